"""Placing the breaks of a chosen set of shifts where they cost least.

Each long shift's break may start anywhere in its window. Taking a person off duty in slot ``t``
when ``c`` people of the role are on duty costs the next shortfall unit's price (when ``c`` is at
most the requirement), the post price (when ``c`` is at most the fixed post's minimum) and saves
the over-staffing price (when ``c`` is above the need). Breaks are first placed one by one (or
where the CP-SAT model put them), then each is moved to its cheapest place given all the others
until no move saves anything: a local optimum of the exact cost, which staggers the breaks of
people who would otherwise leave the floor together.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from solver._candidates import Candidate, break_window
from solver.problem import Assignment, RosterProblem

__all__ = ["place_breaks"]

_PASSES = 20


class _Loss:
    """Cost of one person fewer on duty, per role, slot and head-count (currency units)."""

    def __init__(self, problem: RosterProblem) -> None:
        n = problem.horizon_slots
        w = problem.weights
        self.req: dict[str, np.ndarray] = {}
        self.mn: dict[str, np.ndarray] = {}
        self.tiers: dict[str, np.ndarray] = {}
        self.over: dict[str, float] = {}
        self.post = w.post_shortfall
        for d in problem.demands:
            req = np.zeros(n, dtype=int)
            req[: min(n, len(d.required))] = d.required[:n]
            mn = np.zeros(n, dtype=int)
            if d.minimum:
                mn[: min(n, len(d.minimum))] = d.minimum[:n]
            tiers = np.zeros((n, max(1, int(req.max(initial=0)))))
            for t in np.flatnonzero(req):
                costs = d.shortfall_costs[t] if d.shortfall_costs else ()
                for k in range(req[t]):
                    tiers[t, k] = costs[min(k, len(costs) - 1)] if costs else w.shortfall
            self.req[d.role], self.mn[d.role], self.tiers[d.role] = req, mn, tiers
            self.over[d.role] = d.over_cost

    def __call__(self, role: str, slots: range, cover: np.ndarray) -> float:
        """Cost of taking one person of ``role`` off duty in ``slots``, ``cover`` on duty."""
        if role not in self.req:
            return 0.0
        req, mn, tiers = self.req[role], self.mn[role], self.tiers[role]
        total = 0.0
        for t in slots:
            c = int(cover[t])
            if c <= req[t]:
                total += tiers[t, req[t] - c]
            if c <= mn[t]:
                total += self.post
            if c > max(req[t], mn[t]):
                total -= self.over[role]
        return total


def place_breaks(
    problem: RosterProblem,
    chosen: list[Candidate],
    given: dict[tuple[str, int, int], list[int]] | None = None,
) -> tuple[Assignment, ...]:
    """The chosen shifts as assignments, each break at a place of least cost.

    ``given`` holds starting break starts by shift pattern ``(role, start, end)`` (the CP-SAT
    model's split); the shifts of a pattern take them in turn, the others start at their
    cheapest place in order of start time.
    """
    people = problem.employees
    plain = sorted(
        (
            Assignment(
                employee_id=people[c.employee].id,
                day=c.day,
                start_slot=c.start,
                end_slot=c.end,
                role=c.role,
                shift_type=c.kind,
            )
            for c in chosen
        ),
        key=lambda a: (a.start_slot, a.employee_id),
    )
    n = problem.horizon_slots
    length = problem.shift_rules.break_rule.length_slots if problem.shift_rules.break_rule else 0
    cover = {r: np.zeros(n, dtype=int) for r in problem.roles}
    places: list[range] = []
    for a in plain:
        if a.role in cover:
            cover[a.role][max(a.start_slot, 0) : min(a.end_slot, n)] += 1
        _, first, last, _ = break_window(problem, a.start_slot, a.end_slot)
        places.append(range(first, last + 1) if first >= 0 else range(0))
    loss = _Loss(problem)
    todo = {k: list(v) for k, v in (given or {}).items()}
    at: list[int] = [-1] * len(plain)

    def off(i: int, b: int, sign: int) -> None:
        role = plain[i].role
        if role in cover:
            cover[role][max(b, 0) : min(b + length, n)] -= sign

    def cost(i: int, b: int) -> float:
        role = plain[i].role
        if role not in cover:
            return 0.0
        return loss(role, range(max(b, 0), min(b + length, n)), cover[role])

    for i, a in enumerate(plain):
        if not places[i]:
            continue
        wanted = todo.get((a.role, a.start_slot, a.end_slot))
        at[i] = wanted.pop() if wanted else min(places[i], key=lambda b: cost(i, b))
        off(i, at[i], 1)
    for _ in range(_PASSES):
        moved = False
        for i in range(len(plain)):
            if len(places[i]) <= 1:
                continue
            off(i, at[i], -1)
            now = cost(i, at[i])
            best = min(places[i], key=lambda b: cost(i, b))
            if cost(i, best) < now - 1e-9:
                at[i], moved = best, True
            off(i, at[i], 1)
        if not moved:
            break
    out = [
        replace(a, break_start=b, break_end=b + length) if b >= 0 else a
        for a, b in zip(plain, at, strict=True)
    ]
    return tuple(sorted(out, key=lambda a: (a.day, a.start_slot, a.employee_id)))
