"""Rest and successions: minimum rest between shifts on consecutive days, and forbidden pairs
such as a closing shift followed by an opening shift, or named shift types (a late ``L`` then an
early ``E``)."""

from __future__ import annotations

from solver.rules._context import Context, Term

__all__ = ["add_rest"]


def add_rest(ctx: Context) -> list[Term]:
    """Hard rules, guarded per employee so that a conflict with a locked shift can be named."""
    p = ctx.problem
    rules = p.shift_rules
    spd = p.slots_per_day
    for e, emp in enumerate(p.employees):
        rest = ctx.guard(
            f"{emp.name}'s rest of {rules.min_rest_slots * p.slot_minutes / 60:g} h between shifts",
            e,
        )
        succession = ctx.guard(f"{emp.name}'s forbidden shift successions", e)
        kinds = [_kinds(ctx, e, d, spd) for d in range(p.days)]
        for d in range(p.days - 1):
            today = ctx.by_emp_day.get((e, d), [])
            tomorrow = ctx.by_emp_day.get((e, d + 1), [])
            if not today or not tomorrow:
                continue
            end = sum(ctx.x[i] * ctx.cands[i].end for i in today)
            start = sum(ctx.x[j] * ctx.cands[j].start for j in tomorrow)
            both = [ctx.works[(e, d)], ctx.works[(e, d + 1)], rest]
            ctx.model.add(start - end >= rules.min_rest_slots).only_enforce_if(both)
            for first, second in rules.forbidden_successions:
                left = kinds[d].get(first, [])
                right = kinds[d + 1].get(second, [])
                if left and right:
                    pair = sum(ctx.x[i] for i in left) + sum(ctx.x[j] for j in right)
                    ctx.model.add(pair <= 1).only_enforce_if(succession)
    return []


def _kinds(ctx: Context, e: int, day: int, spd: int) -> dict[str, list[int]]:
    """Employee ``e``'s candidates on ``day`` by kind: their type's name, closing, opening."""
    rules = ctx.problem.shift_rules
    out: dict[str, list[int]] = {}
    for i in ctx.by_emp_day.get((e, day), []):
        c = ctx.cands[i]
        if c.kind is not None:
            out.setdefault(c.kind, []).append(i)
        if rules.closing_from_slot is not None and c.end - day * spd >= rules.closing_from_slot:
            out.setdefault("closing", []).append(i)
        if rules.opening_until_slot is not None and c.start - day * spd < rules.opening_until_slot:
            out.setdefault("opening", []).append(i)
    return out
