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
"""

from __future__ import annotations

import random
import time

from ortools.sat.python import cp_model

from solver.problem import SolveSettings
from solver.rules._context import SCALE, Context

__all__ = ["by_employee"]

_GROUP = 5  # people re-solved together
_DAYS = 10  # days re-solved together for everyone
_STEP_SECONDS = 1.0  # at most per re-solve
_STALL = 60  # re-solves in a row without improvement end the search


def _fix(model: cp_model.CpModel, index: int, value: int) -> None:
    domain = model.proto.variables[index].domain
    domain.clear()
    domain.extend([value, value])


def by_employee(
    ctx: Context,
    free: cp_model.CpModel,
    picked: set[int],
    seconds: float,
    settings: SolveSettings,
    floor: float = 0.0,
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
    """
    deadline = time.perf_counter() + seconds
    people = len(ctx.problem.employees)
    days = ctx.problem.days
    rng = random.Random(settings.seed)
    current = set(picked)
    planned = [False] * people
    best = float("inf")
    stall = 0
    values: list[int] = []  # every variable's value in the last re-solve kept

    def step(open_people: set[int], open_days: range, cap: float = _STEP_SECONDS) -> None:
        nonlocal current, best, stall, values
        left = deadline - time.perf_counter()
        if left <= 0:
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
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = min(left, cap)
        solver.parameters.num_workers = int(settings.workers)
        solver.parameters.random_seed = int(settings.seed)
        if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return  # e.g. locked shifts against the rules, or no time: keep the shifts
        first_pass = not all(planned)
        if not first_pass and solver.objective_value > best - 1e-6:
            stall += 1
            if solver.objective_value > best + 1e-6:
                return
        else:
            stall = 0
        best = solver.objective_value
        values = list(solver.response_proto.solution)
        current = (current - set(relaxed)) | {i for i in relaxed if solver.value(ctx.x[i])}
        for e in open_people:
            planned[e] = True

    everything = range(days)
    # A person alone always has a roster, and any roster that keeps their rules serves the
    # first pass: each gets an even share of half the budget (at least 0.3 s, at most 10 s),
    # not the time to prove their best one. On long horizons proving it is slow: Curtois 20
    # (50 people, 26 weeks) took the 10-s cap for each of its first three people although
    # CP-SAT was within 2 units of the optimum after 0.3 s, the budget ran out with the rest
    # unplanned, and the solve returned no roster at all.
    first = min(10 * _STEP_SECONDS, max(0.3, 0.5 * seconds / max(people, 1)))
    for e in range(people):
        step({e}, everything, cap=first)
    late = [e for e in range(people) if not planned[e]]  # no roster found in that time
    for k, e in enumerate(late):  # the rest of the first half, shared among them
        share = (deadline - 0.5 * seconds - time.perf_counter()) / (len(late) - k)
        step({e}, everything, cap=min(10 * _STEP_SECONDS, max(first, share)))
    while (
        time.perf_counter() < deadline
        and all(planned)
        and stall < _STALL
        and best / SCALE > floor + 1e-6
    ):
        if rng.random() < 0.5 or days <= _DAYS:
            step(set(rng.sample(range(people), min(_GROUP, people))), everything)
        else:
            start = rng.randrange(days - _DAYS + 1)
            step(set(range(people)), range(start, start + _DAYS))
    return current
