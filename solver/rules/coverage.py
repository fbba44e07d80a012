"""Coverage: people on duty per role and slot against demand (convex shortfall), fixed posts
(soft minimum head-count) and over-staffing; and people per named shift type and day against
its cover (under- and over-cover priced per person)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.rules._context import Context, Term

__all__ = ["add_coverage"]


def add_coverage(ctx: Context) -> list[Term]:
    """Shortfall units per missing person with their convex costs; post and over-staffing."""
    p = ctx.problem
    n = p.horizon_slots
    terms = _shift_cover(ctx)
    if not p.demands:
        return terms
    # Aggregate identical shifts (same role and times) into one count variable: the coverage
    # rows then have a term per shift pattern instead of one per person and pattern. When the
    # break may start at several places, the count splits into how many take it at each place,
    # and the slots of the break window are covered by those parts: identical shifts are
    # interchangeable, so this prices the best break placement exactly.
    groups: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for i, c in enumerate(ctx.cands):
        groups[(c.role, c.start, c.end)].append(i)
    on_duty: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    most: dict[tuple[str, int], int] = defaultdict(int)  # people who could be on duty
    for (role, start, end), members in groups.items():
        c = ctx.cands[members[0]]
        count = ctx.model.new_int_var(0, len(members), f"count[{role},{start},{end}]")
        ctx.model.add(count == cp_model.LinearExpr.sum([ctx.x[i] for i in members]))
        places = c.break_starts()
        if len(places) <= 1:
            for t in range(max(start, 0), min(end, n)):
                if c.covers(t):
                    on_duty[(role, t)].append(count)
                    most[(role, t)] += len(members)
            continue
        split = [
            ctx.model.new_int_var(0, len(members), f"break[{role},{start},{end},{b}]")
            for b in places
        ]
        ctx.model.add(cp_model.LinearExpr.sum(split) == count)
        ctx.breaks[(role, start, end)] = list(zip(places, split, strict=True))
        lo, hi = places[0], places[-1] + c.break_len
        for t in range(max(start, 0), min(end, n)):
            most[(role, t)] += len(members)
            if lo <= t < hi:
                on_duty[(role, t)].extend(
                    v for b, v in zip(places, split, strict=True) if not b <= t < b + c.break_len
                )
            else:
                on_duty[(role, t)].append(count)
    w = p.weights
    for demand in p.demands:
        r = demand.role
        for t in range(n):
            req = demand.required[t] if t < len(demand.required) else 0
            minimum = demand.minimum[t] if demand.minimum else 0
            cover = cp_model.LinearExpr.sum(on_duty.get((r, t), []))
            if req > 0:
                costs = demand.shortfall_costs[t] if demand.shortfall_costs else ()
                units = []
                for k in range(req):
                    cost = costs[min(k, len(costs) - 1)] if costs else w.shortfall
                    s = ctx.model.new_bool_var(f"short[{r},{t},{k}]")
                    units.append(s)
                    terms.append(Term(f"shortfall[{r}]", s, cost))
                ctx.model.add(cover + cp_model.LinearExpr.sum(units) >= req)
            if minimum > 0:
                post = ctx.model.new_int_var(0, minimum, f"post[{r},{t}]")
                ctx.model.add(cover + post >= minimum)
                terms.append(Term(f"post_shortfall[{r}]", post, w.post_shortfall))
            if demand.over_cost > 0 and on_duty.get((r, t)):
                need = max(req, minimum)
                over = ctx.model.new_int_var(0, most[(r, t)], f"over[{r},{t}]")
                ctx.model.add(over >= cover - need)
                terms.append(Term(f"overstaffing[{r}]", over, demand.over_cost))
    return terms


def _shift_cover(ctx: Context) -> list[Term]:
    """Per :class:`~solver.problem.ShiftTypeDemand`: missing and surplus people, each priced."""
    by_kind: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, c in enumerate(ctx.cands):
        if c.kind is not None:
            by_kind[(c.day, c.kind)].append(i)
    terms: list[Term] = []
    for k, dem in enumerate(ctx.problem.shift_demands):
        members = [
            ctx.x[i]
            for i in by_kind.get((dem.day, dem.shift_type), [])
            if dem.role is None or ctx.cands[i].role == dem.role
        ]
        cover = cp_model.LinearExpr.sum(members)
        label = f"{dem.shift_type},{dem.day},{k}"
        under = ctx.model.new_int_var(0, dem.required, f"under[{label}]")
        ctx.model.add(cover + under >= dem.required)
        terms.append(Term(f"shift_under[{dem.shift_type}]", under, dem.under_cost))
        if dem.over_cost > 0 and len(members) > dem.required:
            over = ctx.model.new_int_var(0, len(members) - dem.required, f"over[{label}]")
            ctx.model.add(over >= cover - dem.required)
            terms.append(Term(f"shift_over[{dem.shift_type}]", over, dem.over_cost))
    return terms
