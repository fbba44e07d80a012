"""Fairness: weekends spread (each weekend day beyond the first is penalised), closing shifts
spread (each beyond ``Weights.free_closing_shifts`` a person is penalised) and paid hours close
to each contract's target."""

from __future__ import annotations

from solver.rules._context import Context, Term

__all__ = ["add_fairness"]


def add_fairness(ctx: Context) -> list[Term]:
    """Soft terms only."""
    p = ctx.problem
    w = p.weights
    terms: list[Term] = []
    weekend_days = [d for d in range(p.days) if p.is_weekend(d)]
    for e, emp in enumerate(p.employees):
        if len(weekend_days) > 1 and w.fairness_weekend > 0:
            extra = ctx.model.new_int_var(0, len(weekend_days), f"weekend_extra[{emp.id}]")
            ctx.model.add(extra >= sum(ctx.works[(e, d)] for d in weekend_days) - 1)
            terms.append(Term("fairness_weekend", extra, w.fairness_weekend))
        if w.fairness_closing > 0:
            closes = [
                ctx.x[i]
                for d in range(p.days)
                for i in ctx.by_emp_day.get((e, d), [])
                if p.is_closing(d, ctx.cands[i].end)
            ]
            if len(closes) > w.free_closing_shifts:
                over = ctx.model.new_int_var(0, len(closes), f"closing_extra[{emp.id}]")
                ctx.model.add(over >= sum(closes) - w.free_closing_shifts)
                terms.append(Term("fairness_closing", over, w.fairness_closing))
        if emp.target_minutes is not None and w.fairness_hours > 0:
            # |paid - target| is at most the target or the most this person can be paid over
            # the horizon (their longest shift each day) less it; a fixed week's 10,080
            # minutes made longer horizons infeasible
            most = sum(
                max((ctx.cands[i].paid for i in ctx.by_emp_day.get((e, d), [])), default=0)
                for d in range(p.days)
            )
            top = max(emp.target_minutes, most * p.slot_minutes - emp.target_minutes)
            dev = ctx.model.new_int_var(0, top, f"hours_off_target[{emp.id}]")
            paid = ctx.paid_minutes(e)
            ctx.model.add(dev >= paid - emp.target_minutes)
            ctx.model.add(dev >= emp.target_minutes - paid)
            terms.append(Term("fairness_hours", dev, w.fairness_hours / 60))
    return terms
