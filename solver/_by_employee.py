"""Improving a first roster a few people (or a few days) at a time: a neighbourhood search.

Almost every rostering rule is about one person (hours, days, runs of days, rest, successions,
requests); only cover links people. So a small CP-SAT solve with a few people free and everybody
else's shifts fixed finds the best shifts for those people given the others, hard rules included.
The first pass plans people one by one (those not yet planned keep their first shifts with their
own rules switched off); after it, random groups of people, and all people over a random run of
days, are re-solved in turn, keeping each answer that is no worse. The result is handed to the
full search as its hint: it then starts from a roster that respects every hard rule and covers
well, instead of from a first feasible roster found blind. CP-SAT's own neighbourhoods are random
sets of variables; these follow the roster's structure (a person's weeks, a few days of cover).

People are re-solved in a model of their own (:func:`_alone`: the same rules, the others'
shifts counted as cover already there), built in 0.05-0.1 s, where fixing the whole model's
other variables took 0.3-0.6 s a step on Curtois 21 (100 people, 26 weeks, 120,000 variables)
before CP-SAT's presolve of them. Runs of days for everyone still use the whole model.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import replace

from ortools.sat.python import cp_model

from solver._build import build_model
from solver._candidates import Candidate
from solver.problem import RoleDemand, Roster, RosterProblem, SolveSettings
from solver.rules._context import Context

__all__ = ["by_employee", "whole_indices"]

_GROUP = 5  # people re-solved together
_DAYS = 10  # days re-solved together for everyone
_STEP_SECONDS = 1.0  # at most per re-solve
_STALL = 60  # re-solves in a row without improvement end the search
# At least this long for a person's first roster: CP-SAT presolves a 26-week person's model in
# 0.08-0.18 s and mostly has a roster 0.2 s in (Curtois 21, six people: five of six).
_FIRST_SECONDS = 0.2


def _fix(model: cp_model.CpModel, index: int, value: int) -> None:
    domain = model.proto.variables[index].domain
    domain.clear()
    domain.extend([value, value])


def _less_demand(d: RoleDemand, base: list[int]) -> RoleDemand:
    """``d`` with ``base[t]`` people already on duty in slot ``t``: what is left to cover.

    The (k+1)-th missing person costs the same whoever is already there, so the shortfall
    costs stay; the over-staffing threshold falls with the people already there.
    """
    required = tuple(max(0, r - b) for r, b in zip(d.required, base, strict=False))
    minimum = tuple(max(0, m - b) for m, b in zip(d.minimum, base, strict=False))
    return replace(d, required=required, minimum=minimum)


def whole_indices(ctx: Context, people: list[int], cands: list[Candidate]) -> list[int]:
    """The whole model's index of each candidate of a model of ``people`` alone (its employee
    ``k`` is ``people[k]``)."""
    back = []
    for c in cands:
        same = ctx.by_hours[(people[c.employee], c.start, c.end, c.role)]
        back.append(next(i for i in same if ctx.cands[i].kind == c.kind))
    return back


def _alone(
    ctx: Context, people: list[int], current: set[int], published: Roster | None
) -> tuple[RosterProblem, Roster | None]:
    """The problem of ``people`` alone: everybody else's shifts in ``current`` count as cover.

    Only cover links people (every other rule is about one person), so this problem's objective
    differs from the whole roster's by a constant while the others keep their shifts. Break
    places must be fixed (one place per shift) for the others' cover to be exact.
    """
    p = ctx.problem
    inside = set(people)
    ids = {p.employees[e].id for e in people}
    others = [ctx.cands[i] for i in current if ctx.cands[i].employee not in inside]
    n = p.horizon_slots
    on: dict[str, list[int]] = defaultdict(lambda: [0] * n)
    typed: dict[tuple[int, str], list[str]] = defaultdict(list)
    for c in others:
        if c.kind is not None:
            typed[(c.day, c.kind)].append(c.role)
        if p.demands:
            slots = on[c.role]
            for t in range(max(c.start, 0), min(c.end, n)):
                if c.covers(t):
                    slots[t] += 1
    demands = tuple(_less_demand(d, on[d.role]) if d.role in on else d for d in p.demands)
    shift_demands = []
    for d in p.shift_demands:
        roles = typed.get((d.day, d.shift_type), [])
        base = sum(1 for r in roles if d.role is None or r == d.role)
        shift_demands.append(d if base == 0 else replace(d, required=max(0, d.required - base)))
    sub = replace(
        p,
        employees=tuple(p.employees[e] for e in people),
        demands=demands,
        shift_demands=tuple(shift_demands),
        locked=tuple(p.locked[k] for k in ctx.locks if p.locked[k].employee_id in ids),
        requests=tuple(r for r in p.requests if r.employee_id in ids),
    )
    if published is not None:
        kept = tuple(a for a in published.assignments if a.employee_id in ids)
        published = replace(published, assignments=kept)
    return sub, published


def by_employee(
    ctx: Context,
    free: cp_model.CpModel,
    picked: set[int],
    seconds: float,
    settings: SolveSettings,
    floor: float = 0.0,
    published: Roster | None = None,
    grace: float = 0.0,
) -> set[int]:
    """Candidate indices of the improved roster.

    Parameters
    ----------
    ctx : Context
        The model; ``free`` is a copy of it with no guard forced on.
    picked : set of int
        The first roster (candidate indices), e.g. the greedy one.
    seconds : float
        Time budget (seconds).
    settings : SolveSettings
        Workers and seed for the small solves.
    floor : float
        A lower bound on the objective (currency units): reaching it ends the search, as does
        a long run of re-solves without improvement.
    published : Roster, optional
        The published roster when re-solving (changes to it are priced).
    grace : float
        Seconds beyond ``seconds`` the first pass may take to give everyone a roster that keeps
        their rules: one that breaks them leaves the full search blind (on Curtois 21, 100
        people over 26 weeks, it then found no roster at all in the time left).
    """
    deadline = time.perf_counter() + seconds
    until = deadline + grace  # the first pass's end
    people = len(ctx.problem.employees)
    days = ctx.problem.days
    rng = random.Random(settings.seed)
    current = set(picked)
    planned = [False] * people
    best = float("inf")  # the whole roster's objective (model units), once known
    stall = 0
    values: list[int] = []  # every variable's value in the last whole-model re-solve kept
    mine: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(ctx.cands):
        mine[c.employee].append(i)
    # People can be re-solved in a model of their own (milliseconds) when the others' cover is
    # fixed, that is when every shift's break has one place; else in the whole model.
    alone_ok = all(len(c.break_starts()) <= 1 for c in ctx.cands)

    def solver_for(cap: float) -> cp_model.CpSolver | None:
        left = until - time.perf_counter()
        if left <= 0:
            return None
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = min(left, cap)
        solver.parameters.num_workers = int(settings.workers)
        solver.parameters.random_seed = int(settings.seed)
        return solver

    solving = [0.0]  # seconds inside CP-SAT so far
    refused: set[int] = set()  # people whose rules cannot all hold (CP-SAT proved it)

    def run(solver: cp_model.CpSolver, model: cp_model.CpModel) -> object:
        begun = time.perf_counter()
        status = solver.solve(model)
        solving[0] += time.perf_counter() - begun
        return status

    def kept(objective: float, before: float, first_pass: bool) -> bool:
        """Whether a re-solve's roster (``objective`` against ``before``) is kept."""
        nonlocal stall
        if first_pass or objective < before - 1e-6:
            stall = 0
            return True
        stall += 1
        return objective <= before + 1e-6  # as good: kept, to move on

    def alone_step(group: list[int], cap: float = _STEP_SECONDS) -> None:
        """Re-solve ``group`` in a model of their own, everybody else's cover fixed."""
        nonlocal current, best, values
        if time.perf_counter() >= until:
            return  # no time left: not even to build the model (0.1-0.4 s on long horizons)
        sub, sub_published = _alone(ctx, group, current, published)
        sub_ctx, _, _ = build_model(sub, sub_published, tuple(range(len(sub.locked))), ctx.scale)
        back = whole_indices(ctx, group, sub_ctx.cands)
        first_pass = not all(planned)
        before = float("inf")
        if not first_pass:  # the group's own price of their shifts now, rules aside
            priced = sub_ctx.model.clone()
            for j, v in enumerate(sub_ctx.x):
                _fix(priced, v.index, int(back[j] in current))
            solver = solver_for(_STEP_SECONDS)
            if solver is None or run(solver, priced) != cp_model.OPTIMAL:
                return
            before = solver.objective_value
        for guard in sub_ctx.guards:
            sub_ctx.model.add(guard == 1)
        for j, v in enumerate(sub_ctx.x):
            sub_ctx.model.add_hint(v, int(back[j] in current))
        solver = solver_for(cap)
        if solver is None:
            return
        status = run(solver, sub_ctx.model)
        if status == cp_model.INFEASIBLE:  # e.g. locked shifts against the rules
            refused.update(group)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return  # keep the shifts
        if not kept(solver.objective_value, before, first_pass):
            return
        if best < float("inf"):
            best += solver.objective_value - before
        values = []  # the whole model's values are stale now
        ours = {i for e in group for i in mine[e]}
        chosen = {back[j] for j, v in enumerate(sub_ctx.x) if solver.value(v)}
        current = (current - ours) | chosen
        for e in group:
            planned[e] = True

    def whole_step(open_people: set[int], open_days: range, cap: float = _STEP_SECONDS) -> None:
        """Re-solve ``open_people`` over ``open_days`` in the whole model, the rest fixed."""
        nonlocal current, best, values
        if time.perf_counter() >= until:
            return  # no time left: not even to copy the model
        if open_people and not values and all(planned):
            # Price the roster as it stands first: its every variable is a complete hint, so
            # the re-solve starts from it instead of rebuilding cover and rule variables blind
            # (Curtois 12, runs of 10 days: 1-s re-solves from the shifts alone mostly ended
            # above the roster they started from).
            whole_step(set(), range(0), cap)
        solver = solver_for(cap)
        if solver is None:
            return
        model = free.clone()
        relaxed = []
        for i, v in enumerate(ctx.x):
            c = ctx.cands[i]
            if c.employee in open_people and c.day in open_days:
                relaxed.append(i)
                if not values:
                    model.add_hint(model.get_bool_var_from_proto_index(v.index), i in current)
            else:
                _fix(model, v.index, int(i in current))
        if values:
            # The last roster kept, auxiliary variables included: a complete hint, so the
            # re-solve starts from it instead of rebuilding cover and rule variables blind.
            hint = model.proto.solution_hint
            hint.vars.extend(range(len(values)))
            hint.values.extend(values)
        for index, owner in ctx.owners.items():
            _fix(model, index, int(owner is None or owner in open_people or planned[owner]))
        status = run(solver, model)
        if status == cp_model.INFEASIBLE:  # e.g. locked shifts against the rules
            refused.update(open_people)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return  # keep the shifts
        if open_people and not kept(solver.objective_value, best, not all(planned)):
            return
        best = solver.objective_value
        values = list(solver.response_proto.solution)
        current = (current - set(relaxed)) | {i for i in relaxed if solver.value(ctx.x[i])}
        for e in open_people:
            planned[e] = True

    def step(group: list[int], cap: float = _STEP_SECONDS) -> None:
        if alone_ok:
            alone_step(group, cap)
        else:
            whole_step(set(group), range(days), cap)

    # A person alone always has a roster, and any roster that keeps their rules serves the
    # first pass: each gets an even share of what is left of half the budget, less the time
    # spent around each solve so far (at least _FIRST_SECONDS, at most 10 s), not the time to
    # prove their best one. On long horizons proving it is slow: Curtois 20 (50 people, 26
    # weeks) took the 10-s cap for each of its first three people although CP-SAT was within 2
    # units of the optimum after 0.3 s, the budget ran out with the rest unplanned, and the
    # solve returned no roster at all. Whoever got no roster in their share is tried again, in
    # rounds with twice the time each (from 0.3 s or their share of what is left of that half),
    # into the grace period if need be.
    half = deadline - 0.5 * seconds
    around = 0.0  # mean seconds a step spends outside CP-SAT so far
    for e in range(people):
        share = (half - time.perf_counter()) / (people - e)
        begun, solved = time.perf_counter(), solving[0]
        step([e], cap=min(10 * _STEP_SECONDS, max(_FIRST_SECONDS, share - around)))
        around += (time.perf_counter() - begun - (solving[0] - solved) - around) / (e + 1)
    least = 0.3
    late = [e for e in range(people) if not planned[e] and e not in refused]
    while late and time.perf_counter() < until:
        for k, e in enumerate(late):
            share = (half - time.perf_counter()) / (len(late) - k)
            step([e], cap=min(10 * _STEP_SECONDS, max(least, share - around)))
        least *= 2
        late = [e for e in range(people) if not planned[e] and e not in refused]
    until = deadline
    if all(planned) and best == float("inf") and floor > 0:
        whole_step(set(), range(0), cap=10 * _STEP_SECONDS)  # the floor is about the whole roster
    while (
        time.perf_counter() < deadline
        and all(planned)
        and stall < _STALL
        and best / ctx.scale > floor + 1e-6
    ):
        if rng.random() < 0.5 or days <= _DAYS:
            step(rng.sample(range(people), min(_GROUP, people)))
        else:
            start = rng.randrange(days - _DAYS + 1)
            whole_step(set(range(people)), range(start, start + _DAYS))
    return current
