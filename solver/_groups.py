"""A few people's whole weeks re-solved exactly (HiGHS), everyone else's shifts fixed.

On very large weeks the local search (:mod:`solver._local`) runs out of moves that pay long
before its time does: on the contact center (220 people, 15-minute slots) its passes gain 5 or
so a second from about 30 s of a 60-s solve, at 1.9-2.4% above the LP's bound, which HiGHS's
cuts hardly raise (79,175 -> 79,190 in ten minutes at the root): the distance is mostly the
roster's. What the
moves miss needs several people to change at once: someone's late shift ends an hour sooner
only if a colleague who may work the same queue starts an hour later, and that colleague then
works an hour less on another day to stay within their hours.

So a group of four people, everyone else's shifts fixed, is a small whole-shift problem: the
relaxation's model (:mod:`solver.bound`) over their weeks with whole shifts, against the cover
the others leave (each slot's need less the others on duty, only in slots the group can reach),
with rest, forbidden successions and the longest run of days worked added. Hours, days and
weekend days hold in it already; runs of days off and weekends in a row do not, and an answer
that breaks them is refused by the search's price. Each person may take their ``_WIDTH`` cheapest
shifts a day (priced with everyone else as they are) and their current one. HiGHS proves most
groups best in 0.1-1 s, from the current roster as a complete hint, so what it returns is never
dearer by its own price; a group's new weeks are kept when the search's price of the whole
roster agrees.

Groups form around a slot where cover misses its need (a shortfall or people idle): someone on
that queue near then, and three others who may work it. On the contact center's roster after
35 s of moves (seed 0), 15 s of groups gained on average over four seeds: 261 and 264 (two
runs) with groups of four formed so, each person's cheapest 15 shifts a day open; 184 with
three, 175 with five, 214 with four and the cheapest 10; with all of their shifts open, 152 with
three, 55 with two; random groups of three (one queue shared) 99, of four 95. The moves alone
gain about 75 in that time. Solves release the interpreter's lock, so with two workers two
groups are solved at once.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING

import numpy as np
from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.math_opt.python import mathopt

from solver._candidates import Candidate
from solver._exact import _to_mathopt
from solver.bound import _relaxation

if TYPE_CHECKING:
    from solver._search import Search

__all__ = ["exact_groups"]

_GROUP = 4  # people re-solved together
_WIDTH = 15  # each person's cheapest shifts a day open to them (and their current one)
_STEP_SECONDS = 3.0  # HiGHS's time limit for one group
_NEAR_MINUTES = 120  # "near" a slot: a shift within this much of it
# Groups in a row that find nothing cheaper end the search (on small weeks every group may be
# everyone, proved best; on the contact center about half of the groups gain).
_STALL = 50


@dataclass(slots=True)
class _Job:
    """One group's problem: its model, the whole roster's index of each shift variable (they
    come first in the model), and what is needed to apply an answer."""

    model: mathopt.Model
    costs: np.ndarray
    index: list[int]
    whole: list[Candidate]  # the roster's candidate of each shift variable
    current: list[float]  # each shift variable's value in the roster now
    forced: list[int]  # shift variables that must stay 1 (locked shifts)
    splits: dict[tuple[str, int, int], list[tuple[int, int]]]


def exact_groups(
    s: Search,
    deadline: float,
    rng: random.Random,
    fixed: set[tuple[int, int]],
    value: Callable[[], float],
    tell: Callable[[float], None],
    workers: int = 1,
    floor: float = 0.0,
) -> None:
    """Re-solve groups of people's weeks exactly until ``deadline`` (``time.perf_counter``),
    until ``_STALL`` groups in a row find nothing cheaper, or until the roster's price reaches
    ``floor`` (a lower bound, currency units).

    ``fixed`` employee-days keep their shift; ``value()`` is the search's price of its roster,
    which must fall for a group's answer to be kept; ``tell`` receives each better price. With
    ``workers`` above 1, that many groups (disjoint) are solved at once on threads.
    """
    if deadline - time.perf_counter() < 0.5:
        return
    locked: dict[int, int] = defaultdict(int)  # fixed days per person
    for e, _ in fixed:
        locked[e] += 1
    mates: dict[str, list[int]] = defaultdict(list)  # who may work each queue, not all fixed
    for e, emp in enumerate(s.p.employees):
        if locked[e] < s.days:
            for role in emp.roles:
                if role in s.role_row:
                    mates[role].append(e)
    least = min(2, len({e for people in mates.values() for e in people}))  # people a group needs
    if least == 0:
        return
    current = value()
    stall = 0 if current > floor + 1e-6 else _STALL  # groups in a row that found nothing cheaper
    busy: dict[Future[list[tuple[int, int, int, int | None]] | None], list[int]] = {}
    pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        while True:
            while len(busy) < workers and deadline - time.perf_counter() > 0.3:
                taken = {e for g in busy.values() for e in g}
                group: list[int] = []
                for _ in range(10):  # a slot whose queue has no one left to group: another
                    group = _pick(s, rng, mates, taken)
                    if len(group) >= least:
                        break
                if len(group) < least or stall >= _STALL:
                    break
                seconds = min(_STEP_SECONDS, deadline - time.perf_counter())
                done: Future[list[tuple[int, int, int, int | None]] | None]
                if pool is None:
                    done = Future()
                    try:
                        done.set_result(_solve(_build(s, group, fixed), seconds))
                    except Exception as exc:  # kept to the group: see below
                        done.set_exception(exc)
                else:
                    try:
                        done = pool.submit(_solve, _build(s, group, fixed), seconds)
                    except Exception as exc:  # kept to the group: see below
                        done = Future()
                        done.set_exception(exc)
                busy[done] = group
            if not busy:
                return
            finished, _ = wait(list(busy), return_when=FIRST_COMPLETED)
            for future in finished:
                group = busy.pop(future)
                stall += 1
                # A group that fails (HiGHS reporting an error, say) keeps its shifts: the
                # roster the moves built must survive it, whatever went wrong in one group.
                answer = None if future.exception() else future.result()
                if answer is None:
                    continue
                before = {
                    (e, d): (int(s.shift[e, d]), int(s.place[e, d]))
                    for e in group
                    for d in range(s.days)
                }
                for e, d in before:
                    s.assign(e, d, -1)
                for e, d, i, k in answer:
                    s.assign(e, d, i, k)
                now = value()
                if now < current - 1e-6:
                    current, stall = now, 0
                    tell(now)
                    if now <= floor + 1e-6:  # at the lower bound: nothing cheaper exists
                        stall = _STALL
                    continue
                for e, d in before:  # the search prices it otherwise: back as it was
                    s.assign(e, d, -1)
                for (e, d), (i, k) in before.items():
                    if i >= 0:
                        s.assign(e, d, i, k)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)


def _pick(s: Search, rng: random.Random, mates: dict[str, list[int]], taken: set[int]) -> list[int]:
    """A group around a slot whose cover misses its need: someone on that queue near then (if
    anyone is) and others who may work it, none of them ``taken``. Only queues with someone
    free to group count: cover missed where nobody may work (an untrained queue, everyone's
    days locked) left the search with no group to form."""
    roles = [d.role for d in s.p.demands]
    free = {role: [e for e in mates.get(role, []) if e not in taken] for role in roles}
    staffable = [r for r, role in enumerate(roles) if free[role]]
    if not staffable:
        return []
    miss = np.concatenate([np.abs(s.need[r] - s.cover[r]).astype(float) for r in staffable])
    if miss.sum() > 0:
        k = int(np.searchsorted(np.cumsum(miss), rng.random() * miss.sum(), side="right"))
        at, t = divmod(min(k, miss.size - 1), s.n)
        r = staffable[at]
    else:
        r, t = rng.choice(staffable), rng.randrange(s.n)
    pool = free[roles[r]]
    near = _NEAR_MINUTES // s.p.slot_minutes
    d = min(t // s.p.slots_per_day, s.days - 1)
    on = []
    for e in pool:
        i = int(s.shift[e, d])
        if i >= 0 and s.c_row[i] == r and s.c_start[i] - near <= t < s.c_end[i] + near:
            on.append(e)
    group = [rng.choice(on)] if on else []
    rest = [e for e in pool if e not in group]
    return group + rng.sample(rest, min(_GROUP - len(group), len(rest)))


def _build(s: Search, group: list[int], fixed: set[tuple[int, int]]) -> _Job:
    """The group's problem, everyone else's shifts counted as cover already there."""
    p = s.p
    local = {e: k for k, e in enumerate(group)}
    index: list[int] = []
    forced: list[int] = []  # positions in ``index`` of locked shifts
    for e in group:
        for d in range(s.days):
            g = s.group.get((e, d))
            if g is None:
                continue
            old = int(s.shift[e, d])
            if (e, d) in fixed:  # the locked shift, kept (or the day off)
                if old >= 0:
                    forced.append(len(index))
                    index.append(old)
                continue
            if len(g) > _WIDTH:
                place = int(s.place[e, d])
                s.assign(e, d, -1)
                try:
                    options, cost, _ = s.options(e, d)
                finally:
                    s.assign(e, d, old, place)
                cheap = options[np.argsort(cost, kind="stable")[:_WIDTH]]
                index.extend(sorted({int(i) for i in cheap} | ({old} if old >= 0 else set())))
            else:
                index.extend(int(i) for i in g)
    cands = [replace(s.cands[i], employee=local[s.cands[i].employee]) for i in index]
    others = s.cover.copy()  # the cover everyone else gives, breaks included
    for e in group:
        for d in range(s.days):
            i = int(s.shift[e, d])
            if i >= 0:
                k = int(s.place[e, d])
                row = int(s.c_row[i])
                others[row, s.c_start[i] : s.c_end[i]] -= 1
                others[row, s.b_start[k, i] : s.b_end[k, i]] += 1
    reach = np.zeros(others.shape, dtype=bool)  # slots the group may be on duty in
    for i in index:
        reach[s.c_row[i], s.c_start[i] : s.c_end[i]] = True
    demands = []
    for demand in p.demands:  # what is left to cover; the shortfall prices stay (as in
        # solver._by_employee._less_demand)
        r = s.role_row[demand.role]
        left = np.where(reach[r], np.maximum(0, s.req[r] - others[r]), 0)
        low = np.where(reach[r], np.maximum(0, s.minimum[r] - others[r]), 0)
        demands.append(
            replace(
                demand,
                required=tuple(left.tolist()),
                minimum=tuple(low.tolist()) if demand.minimum else (),
            )
        )
    ids = {p.employees[e].id for e in group}
    sub = replace(
        p,
        employees=tuple(p.employees[e] for e in group),
        demands=tuple(demands),
        locked=(),
        requests=tuple(w for w in p.requests if w.employee_id in ids),
    )
    build = pywraplp.Solver.CreateSolver("GLOP")  # a model builder here; HiGHS solves it
    if build is None:  # pragma: no cover - GLOP ships with OR-Tools
        raise RuntimeError("OR-Tools without GLOP")
    splits: dict[tuple[str, int, int], list[tuple[int, int]]] = {}
    _relaxation(build, sub, cands, integer=True, seconds=_STEP_SECONDS, splits=splits)
    _between_days(build, s, cands, index, group)
    proto = linear_solver_pb2.MPModelProto()
    build.ExportModelToProto(proto)
    chosen = {int(i) for e in group for i in s.shift[e] if i >= 0}
    return _Job(
        model=mathopt.Model.from_model_proto(_to_mathopt(proto)),
        costs=np.array([v.objective_coefficient for v in proto.variable]),
        index=index,
        whole=[s.cands[i] for i in index],
        current=[1.0 if i in chosen else 0.0 for i in index],
        forced=forced,
        splits=splits,
    )


def _between_days(
    build: pywraplp.Solver, s: Search, cands: list[Candidate], index: list[int], group: list[int]
) -> None:
    """Rest and forbidden successions between a person's shifts on consecutive days, and the
    longest run of days worked (the relaxation leaves them out): at most one of each pair that
    breaks the first two, at most ``max_consecutive_days`` shifts in any run of one day more.
    (Runs of days off and weekends in a row stay out: an answer that breaks them is refused by
    the search's price.)"""
    x = build.variables()[: len(cands)]
    worked: dict[tuple[int, int], list[int]] = defaultdict(list)
    for j, c in enumerate(cands):
        worked[(c.employee, c.day)].append(j)
    for k, e in enumerate(group):
        most = s.p.employees[e].max_consecutive_days
        for first in range(s.days - most):
            shifts = [j for d in range(first, first + most + 1) for j in worked.get((k, d), [])]
            if len(shifts) > most:
                row = build.Constraint(0.0, float(most))
                for j in shifts:
                    row.SetCoefficient(x[j], 1.0)
    rest = s.p.shift_rules.min_rest_slots
    for (k, d), today in worked.items():
        tomorrow = worked.get((k, d + 1), [])
        if not tomorrow:
            continue
        # a shift starting at T tomorrow clashes with every shift ending after T - rest today
        for start in sorted({cands[j].start for j in tomorrow}):
            late = [j for j in today if cands[j].end > start - rest]
            if late:
                row = build.Constraint(0.0, 1.0)
                for j in late:
                    row.SetCoefficient(x[j], 1.0)
                for j in tomorrow:
                    if cands[j].start <= start:
                        row.SetCoefficient(x[j], 1.0)
        for before, after in s.pairs:
            a = [j for j in today if s.c_is[before][index[j]]]
            b = [j for j in tomorrow if s.c_is[after][index[j]]]
            if a and b:
                row = build.Constraint(0.0, 1.0)
                for j in a + b:
                    row.SetCoefficient(x[j], 1.0)


def _solve(job: _Job, seconds: float) -> list[tuple[int, int, int, int | None]] | None:
    """The group's new shifts ``(employee, day, candidate, break place or None)``, or None
    when HiGHS finds nothing cheaper than the shifts they have. Runs on a worker thread: it
    touches only ``job``."""
    variables = list(job.model.variables())
    shifts = variables[: len(job.index)]
    for v, value in zip(shifts, job.current, strict=True):
        v.lower_bound = v.upper_bound = value
    params = mathopt.SolveParameters(time_limit=timedelta(seconds=max(0.1, seconds)))
    params.highs.int_options["threads"] = 1
    started = time.perf_counter()
    now = mathopt.solve(job.model, mathopt.SolverType.HIGHS, params=params)
    if not now.has_primal_feasible_solution():
        return None
    hint = list(now.variable_values(variables))  # the roster now, every variable completed
    for v in shifts:
        v.lower_bound, v.upper_bound = 0.0, 1.0
    for j in job.forced:
        shifts[j].lower_bound = 1.0
    left = seconds - (time.perf_counter() - started)
    if left < 0.05:
        return None
    params = mathopt.SolveParameters(time_limit=timedelta(seconds=left))
    params.highs.int_options["threads"] = 1
    given = mathopt.ModelSolveParameters(
        solution_hints=[
            mathopt.SolutionHint(variable_values=dict(zip(variables, hint, strict=True)))
        ]
    )
    result = mathopt.solve(job.model, mathopt.SolverType.HIGHS, params=params, model_params=given)
    if not result.has_primal_feasible_solution():
        return None
    values = list(result.variable_values(variables))
    if float(job.costs @ np.asarray(values)) >= float(job.costs @ np.asarray(hint)) - 1e-6:
        return None
    return _shifts(job, values)


def _shifts(job: _Job, values: list[float]) -> list[tuple[int, int, int, int | None]]:
    """The shifts ``values`` choose, each break where the model placed it."""
    places: dict[tuple[str, int, int], list[int]] = {}
    for key, split in job.splits.items():
        places[key] = [b for b, k in split for _ in range(round(values[k]))]
    out: list[tuple[int, int, int, int | None]] = []
    for j, i in enumerate(job.index):
        if values[j] > 0.5:
            c = job.whole[j]
            left = places.get((c.role, c.start, c.end))
            out.append((c.employee, c.day, i, left.pop() - c.break_first if left else None))
    return out
