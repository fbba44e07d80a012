"""Requests: weighted wishes to work or not to work a day (or part of it, or a shift type)."""

from __future__ import annotations

from solver.rules._context import Context, Term

__all__ = ["add_requests"]


def add_requests(ctx: Context) -> list[Term]:
    """One penalty literal per unmet request."""
    p = ctx.problem
    index = {emp.id: e for e, emp in enumerate(p.employees)}
    terms: list[Term] = []
    for k, req in enumerate(p.requests):
        e = index.get(req.employee_id)
        if e is None or not 0 <= req.day < p.days:
            continue
        shifts = ctx.by_emp_day.get((e, req.day), [])
        if req.start_slot is not None and req.end_slot is not None:
            lo, hi = req.start_slot, req.end_slot
            shifts = [i for i in shifts if ctx.cands[i].start < hi and lo < ctx.cands[i].end]
        if req.shift_type is not None:
            shifts = [i for i in shifts if ctx.cands[i].kind == req.shift_type]
        hit = sum(ctx.x[i] for i in shifts)
        unmet = ctx.model.new_bool_var(f"request_unmet[{k}]")
        if req.on:
            ctx.model.add(hit >= 1).only_enforce_if(unmet.negated())
        else:
            ctx.model.add(hit == 0).only_enforce_if(unmet.negated())
        terms.append(Term("requests", unmet, req.weight * p.weights.request))
    return terms
