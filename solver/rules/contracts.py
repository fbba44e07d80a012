"""Contracts: one shift a day, paid hours between minimum (soft) and maximum, working days,
consecutive days, weekend days, wages and overtime."""

from __future__ import annotations

from solver.rules._context import Context, Term

__all__ = ["add_contracts"]


def add_contracts(ctx: Context) -> list[Term]:
    """Per employee: the day indicators, hour and day limits, wage and overtime terms."""
    p = ctx.problem
    w = p.weights
    terms: list[Term] = []
    hours = p.slot_minutes / 60
    for e, emp in enumerate(p.employees):
        days = []
        for d in range(p.days):
            work = ctx.model.new_bool_var(f"works[{emp.id},{d}]")
            ctx.model.add(sum(ctx.x[i] for i in ctx.by_emp_day.get((e, d), [])) == work)
            ctx.works[(e, d)] = work
            days.append(work)
        paid = ctx.paid_minutes(e)
        ctx.model.add(paid <= emp.max_minutes).only_enforce_if(
            ctx.guard(f"{emp.name}'s maximum of {emp.max_minutes / 60:g} paid hours")
        )
        if emp.min_minutes > 0:
            missing = ctx.model.new_int_var(0, emp.min_minutes, f"below_min[{emp.id}]")
            ctx.model.add(paid + missing >= emp.min_minutes)
            terms.append(Term("contract_minimum", missing, w.contract_minimum / 60))
        ctx.model.add(sum(days) <= emp.max_days).only_enforce_if(
            ctx.guard(f"{emp.name}'s maximum of {emp.max_days} working days")
        )
        span = emp.max_consecutive_days + 1
        if span <= p.days:
            guard = ctx.guard(f"{emp.name}'s maximum of {emp.max_consecutive_days} days in a row")
            for d in range(p.days - span + 1):
                ctx.model.add(sum(days[d : d + span]) <= emp.max_consecutive_days).only_enforce_if(
                    guard
                )
        weekend = [days[d] for d in range(p.days) if p.is_weekend(d)]
        if weekend:
            ctx.model.add(sum(weekend) <= emp.max_weekend_days).only_enforce_if(
                ctx.guard(f"{emp.name}'s maximum of {emp.max_weekend_days} weekend days")
            )
        for d in range(p.days):
            for i in ctx.by_emp_day.get((e, d), []):
                terms.append(Term("wage", ctx.x[i], ctx.cands[i].paid * hours * emp.hourly_cost))
        if w.overtime_premium > 0 and emp.max_minutes > w.overtime_after_minutes:
            extra = ctx.model.new_int_var(0, emp.max_minutes, f"overtime[{emp.id}]")
            ctx.model.add(extra >= paid - w.overtime_after_minutes)
            terms.append(Term("overtime", extra, emp.hourly_cost * w.overtime_premium / 60))
    return terms
