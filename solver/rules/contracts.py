"""Contracts: one shift a day, paid hours between minimum (soft or hard) and maximum, working
days, shifts per type, runs of working days and of days off, weekend days and weekends, wages and
overtime."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.problem import Employee
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
            ctx.guard(f"{emp.name}'s maximum of {emp.max_minutes / 60:g} paid hours", e)
        )
        if emp.min_minutes > 0:
            missing = ctx.model.new_int_var(0, emp.min_minutes, f"below_min[{emp.id}]")
            ctx.model.add(paid + missing >= emp.min_minutes)
            terms.append(Term("contract_minimum", missing, w.contract_minimum / 60))
        ctx.model.add(sum(days) <= emp.max_days).only_enforce_if(
            ctx.guard(f"{emp.name}'s maximum of {emp.max_days} working days", e)
        )
        span = emp.max_consecutive_days + 1
        if span <= p.days:
            guard = ctx.guard(
                f"{emp.name}'s maximum of {_days(emp.max_consecutive_days)} in a row", e
            )
            for d in range(p.days - span + 1):
                ctx.model.add(sum(days[d : d + span]) <= emp.max_consecutive_days).only_enforce_if(
                    guard
                )
        weekend = [days[d] for d in range(p.days) if p.is_weekend(d)]
        if weekend:
            ctx.model.add(sum(weekend) <= emp.max_weekend_days).only_enforce_if(
                ctx.guard(f"{emp.name}'s maximum of {emp.max_weekend_days} weekend days", e)
            )
        if emp.hard_min_minutes > 0:
            ctx.model.add(paid >= emp.hard_min_minutes).only_enforce_if(
                ctx.guard(f"{emp.name}'s minimum of {emp.hard_min_minutes / 60:g} paid hours", e)
            )
        _shifts_per_type(ctx, e, emp)
        _runs(ctx, e, emp, days)
        _weekends(ctx, e, emp, days)
        for d in range(p.days):
            for i in ctx.by_emp_day.get((e, d), []):
                terms.append(Term("wage", ctx.x[i], ctx.cands[i].paid * hours * emp.hourly_cost))
        if w.overtime_premium > 0 and emp.max_minutes > w.overtime_after_minutes:
            extra = ctx.model.new_int_var(0, emp.max_minutes, f"overtime[{emp.id}]")
            ctx.model.add(extra >= paid - w.overtime_after_minutes)
            terms.append(Term("overtime", extra, emp.hourly_cost * w.overtime_premium / 60))
    return terms


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _shifts_per_type(ctx: Context, e: int, emp: Employee) -> None:
    """At most ``cap`` shifts of each capped type over the horizon."""
    for name, cap in emp.max_shifts_per_type:
        mine = [
            ctx.x[i]
            for d in range(ctx.problem.days)
            for i in ctx.by_emp_day.get((e, d), [])
            if ctx.cands[i].kind == name
        ]
        if len(mine) > cap:
            ctx.model.add(sum(mine) <= cap).only_enforce_if(
                ctx.guard(f"{emp.name}'s maximum of {cap} {name} shifts", e)
            )


def _runs(ctx: Context, e: int, emp: Employee, days: list[cp_model.IntVar]) -> None:
    """Runs of working days and of days off inside the horizon at least their minimum long.

    A run of ``s`` days from day ``d`` that has a day of the other kind on both sides (so it
    neither touches the horizon's start nor its end) is forbidden for every ``s`` below the
    minimum: one clause per such window.
    """
    n = len(days)
    for minimum, working, what in (
        (emp.min_consecutive_days, True, "working days"),
        (emp.min_consecutive_days_off, False, "days off"),
    ):
        if minimum <= 1 or n < 3:
            continue
        guard = ctx.guard(f"{emp.name}'s minimum of {minimum} {what} in a row", e)
        for s in range(1, minimum):
            for d in range(1, n - s):
                inside = days[d : d + s]
                if working:  # not (off, work * s, off)
                    clause = [days[d - 1], days[d + s]] + [v.Not() for v in inside]
                else:  # not (work, off * s, work)
                    clause = [days[d - 1].Not(), days[d + s].Not(), *inside]
                ctx.model.add_bool_or(clause).only_enforce_if(guard)


def _weekends(ctx: Context, e: int, emp: Employee, days: list[cp_model.IntVar]) -> None:
    """At most ``max_weekends`` weekends with a Saturday or a Sunday worked."""
    if emp.max_weekends is None:
        return
    p = ctx.problem
    groups: dict[int, list[cp_model.IntVar]] = {}
    for d in range(p.days):
        w = p.weekend_of(d)
        if w is not None:
            groups.setdefault(w, []).append(days[d])
    if len(groups) <= emp.max_weekends:
        return
    worked = []
    for w, members in groups.items():
        lit = ctx.model.new_bool_var(f"weekend_worked[{emp.id},{w}]")
        for v in members:
            ctx.model.add_implication(v, lit)
        worked.append(lit)
    ctx.model.add(sum(worked) <= emp.max_weekends).only_enforce_if(
        ctx.guard(f"{emp.name}'s maximum of {emp.max_weekends} weekends", e)
    )
