"""Rest and successions: minimum rest between shifts, and forbidden pairs on consecutive days
such as a closing shift followed by an opening shift, or named shift types (a late ``L`` then an
early ``E``).

Rest is stated between the shifts of consecutive days, and between those of days further apart
only where some pair is too close: with a day off between them, a shift past midnight can end
within a long rest of the next one (12-h shifts and 14 h of rest: 23:00-11:00, a day off,
00:00-12:00 rests 13 h). On ordinary stores no such pair exists and nothing is added.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.rules._context import Context, Term

__all__ = ["add_rest"]


def add_rest(ctx: Context) -> list[Term]:
    """Hard rules, guarded per employee so that a conflict with a locked shift can be named
    (rest across days off shares the rest rule's guard)."""
    p = ctx.problem
    rules = p.shift_rules
    spd = p.slots_per_day
    for e, emp in enumerate(p.employees):
        hours = rules.min_rest_slots * p.slot_minutes / 60
        rest = ctx.guard(  # without a rest rule, shifts still may not overlap
            f"{emp.name}'s rest of {hours:g} h between shifts"
            if hours
            else f"no overlap between {emp.name}'s shifts",
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
        _rest_across_days_off(ctx, e, rest)
    return []


def _rest_across_days_off(ctx: Context, e: int, rest: cp_model.IntVar) -> None:
    """Rest between employee ``e``'s shifts of days ``d`` and ``d + k`` (k >= 2).

    For each end ``end`` of a day-``d`` shift: no shift of day ``d`` ending at ``end`` or later
    together with a shift of day ``d + k`` starting before ``end + min_rest_slots`` (one shift a
    day, so the sum of both groups is at most 1). Every pair too close is in the group of the
    first shift's own end; days are skipped as soon as no shift of theirs can start that early.
    """
    p = ctx.problem
    need = p.shift_rules.min_rest_slots
    spd = p.slots_per_day
    for d in range(p.days - 2):
        today = ctx.by_emp_day.get((e, d), [])
        if not today:
            continue
        latest = max(ctx.cands[i].end for i in today)
        k = 2
        # a shift of day d + k starts at (d + k) * spd or later
        while d + k < p.days and (d + k) * spd - latest < need:
            later = ctx.by_emp_day.get((e, d + k), [])
            for end in sorted({ctx.cands[i].end for i in today}):
                close = [j for j in later if ctx.cands[j].start - end < need]
                if not close:
                    continue
                late = [i for i in today if ctx.cands[i].end >= end]
                ctx.model.add(
                    sum(ctx.x[i] for i in late) + sum(ctx.x[j] for j in close) <= 1
                ).only_enforce_if(rest)
            k += 1


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
