"""Building and solving the CP-SAT roster model; re-solving with minimal change.

A shift-pattern model: one boolean per candidate shift (employee x day x start x length x role,
see :mod:`solver._candidates`), the rule families of :mod:`solver.rules` adding constraints and
named penalty terms. Coverage is soft, so a roster always exists; hard rules are guarded by
assumption literals, so when locked shifts contradict them the conflicting rules are named and
the locks involved are relaxed.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import combinations

from ortools.sat.python import cp_model

from solver._breaks import place_breaks
from solver._build import build_model as _build
from solver._by_employee import by_employee
from solver._candidates import Candidate
from solver._columns import column_roster
from solver._conflicts import Relaxation, find_conflicts, guard_keys
from solver._days import day_bound
from solver._greedy import greedy
from solver._lagrange import lagrangian_bound
from solver._local import improve
from solver.bound import lp_bound
from solver.checker import check_roster, evaluate_roster, shortfalls
from solver.problem import Assignment, LockedShift, Roster, RosterProblem, SolveSettings
from solver.rules._context import Context

__all__ = ["resolve", "solve"]

_LP_SYNC_CANDIDATES = 5_000  # up to this many candidates, the bound comes before the search
_LP_MAX_CANDIDATES = 60_000  # above this many, the LP is solved by the interior point method
_FULL_LP_CANDIDATES = 20_000  # up to this many, CP-SAT presolves and keeps a full LP
# Up to this many person-days, nurse rosters start from whole rosters per person: each round
# of column generation prices every person's whole horizon, and the dive needs many rounds.
_COLUMN_PERSON_DAYS = 2_000
_NEIGHBOURHOOD_CANDIDATES = 8_000  # above this many, hard minimums call for exact re-solves
_COLUMN_SHARE = 0.5  # of the time limit for whole rosters per person, when they fit
_NEIGHBOURHOOD_SHARE = 0.5  # of the time limit, then (SolveSettings.neighbourhood_share None)
# How long after the time limit a solve waits for its first lower bound when none is proved
# yet: (seconds, share of the limit), the larger. On a quiet machine the store's LP is proved
# in 1.5-3 s of a 10-s solve; on one shared with other work (load 5 on 2 cores) it had not
# been in 10.5 s, and every scenario of an analyst's comparison showed no gap at all.
_FIRST_BOUND_GRACE = (2.0, 0.3)
# Of the time limit, the most a re-solve spends choosing which shifts of people a hand edit
# makes break their rules to leave out (the fewest, priced whole: see _without_breakers).
_BREAKER_SHARE = 0.1
_EXACT_FROM = 12.0  # seconds of local search from which half of them re-solve days exactly
# On very large weeks, the share of the local search's time for re-solving a few people's whole
# weeks at a time (solver._groups), at its end. Contact center, 60 s, seeds 0-2, one group at a
# time: 0.3 80,915 / 80,511 / 80,916, 0.5 80,827 / 80,708 / 80,696, 0.7 80,748 / 80,731 /
# 80,906, against 81,107 / 80,681 / 81,089 without. Two groups at a time (two workers): 0.5
# 80,666 / 80,468 / 80,634 (seeds 3-5: 80,604 / 80,560 / 80,707), 0.65 80,556 / 80,551 /
# 80,673. At 0.5 they start about when the background bound is proved (30 s), which frees the
# second core for the second group.
_GROUP_SHARE = 0.5
# Seconds of local search from which it has groups: before the bound is proved they share its
# core and slow both. Contact center, seeds 0-1: 30 s 81,295 / 81,142 with groups against
# 81,216 / 80,894 without, 10 s 85,737 / 84,679 against 83,025 / 83,944 (a 60-s solve's search
# has about 52 s). Starting them only once the bound was proved, whatever the limit, left the
# 60-s solves no better: 80,817 / 80,448 (seeds 0-1).
_GROUPS_FROM = 40.0
# Short time limits: the local search leaves this much more than CP-SAT's share for handing its
# roster over (breaks placed, the hint completed: 0.3-0.5 s on the store), and CP-SAT gets at
# least this long. With 1.0 s, a 5-s store solve took 6.1 s and a 1-s one 3.0 s.
_HANDOVER_SECONDS = 0.5
_LEAST_CP_SECONDS = 0.3


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, settings: SolveSettings, started: float, scale: int) -> None:
        super().__init__()
        self._callback = settings.on_solution
        self._start = started  # the solve's start (perf_counter), not CP-SAT's
        self._scale = scale  # model units per currency unit

    def on_solution_callback(self) -> None:
        if self._callback is not None:
            self._callback(self.objective_value / self._scale, time.perf_counter() - self._start)


def _hint(
    ctx: Context,
    settings: SolveSettings,
    published: Roster | None,
    free: cp_model.CpModel | None = None,
    floor: float = 0.0,
    deadline: float = float("inf"),
    started: float | None = None,
    after_greedy: Callable[[float], None] | None = None,
) -> tuple[set[int], tuple[Assignment, ...], float]:
    """Hint every variable with a first roster's values (a complete first solution).

    Returns the first roster (candidate indices), its shifts with their breaks placed and a
    lower bound proved on the way (currency units; 0.0 if none).
    ``after_greedy`` is called once the first roster is reported, with the time
    (``time.perf_counter``) until which the local search alone keeps one core busy.

    The first roster is the published one (its shifts that are still possible) when re-solving,
    else one built from whole rosters per person (``SolveSettings.column_share``) or the greedy
    roster. Fixing its shift variables, a quick solve of that copy fills in every
    auxiliary variable, so CP-SAT accepts the hint as its first solution at once.
    """
    breaks: dict[int, int] = {}  # the local search's break places (candidate -> slot)
    found_bound = 0.0
    if published is None:
        picked = None
        share = settings.column_share or 0.0  # chosen by _run (_column_share)
        if share > 0:
            seconds = min(share * settings.time_limit_seconds, deadline - time.perf_counter())
            columns = column_roster(ctx, seconds, settings.workers)
            picked, found_bound = columns.roster, columns.bound
        whole = picked is not None  # every rule kept already: CP-SAT improves it better
        if picked is None:
            picked = greedy(ctx.problem, ctx.cands)
        # The background bound starts once the first roster is reported: building its LP in
        # Python would share the interpreter with the local search's set-up (contact center:
        # from the greedy roster to its report 1.8 s -> 0.4 s).
        pending = [after_greedy] if after_greedy is not None else []
        # From whole rosters per person, the local search is skipped: on Curtois 5 (60 s) it
        # took 30 s to gain 1 on the columns' roster of 1,247, and CP-SAT then ended at 1,145;
        # without it CP-SAT ended at the best known 1,143 (seeds 0 and 1).
        if settings.local_search_share > 0 and not whole:
            picked, frozen = _with_locks(ctx, picked)
            budget = settings.local_search_share * settings.time_limit_seconds
            # Leave CP-SAT (and the hint's completion) at least 15% of the time limit; 6% on
            # very large weeks, where in that time it does little more than complete the hint
            # (contact center, 60 s: 78,922 with 15%, 78,854 with 6%). On the store 8% and 4%
            # (CP-SAT at least 0.5 s) did no better in 10 s: seeds 0-5 23,413-23,523 and
            # 23,412-23,511 against 23,420-23,552 with 15%, the 4% runs 0.5 s over the limit.
            cp_share = 0.06 if len(ctx.cands) > _LP_MAX_CANDIDATES else 0.15
            budget = min(
                budget,
                deadline
                - cp_share * settings.time_limit_seconds
                - _HANDOVER_SECONDS
                - time.perf_counter(),
            )
            tell = settings.on_solution
            since = time.perf_counter() if started is None else started
            # Until when the local search alone keeps one core busy (the whole-shift bound may
            # use the other): not when exact re-solves follow, nor on nurse rosters (cover per
            # shift type), where it often ends long before its budget after a run of kicks
            # without gain and CP-SAT, whose own full LP bounds them, needs both cores.
            weekly = free is None and not ctx.problem.shift_demands
            alone = time.perf_counter() + (budget if weekly else 0.0)

            def report(value: float) -> None:
                if tell is not None:
                    tell(value, time.perf_counter() - since)
                while pending:
                    pending.pop()(alone)

            # With time for several days (0.3-3 s each), the second half of the search re-solves
            # whole days exactly (solver._exact). Store, seeds 0-2: 60 s 23,197-23,345 with it,
            # 23,265-23,438 without; 30 s 23,212-23,352; 20 s mean 23,282 against 23,348 (with
            # 35% of the search: 23,295, 70%: 23,340). Not in 10 s (23,450-23,494 with 40%,
            # against 23,380-23,498), nor on very large weeks (contact center: a day's problem
            # is not solved in 4 s, and building the model takes 5 s).
            exact = groups = 0.0
            if weekly and budget >= _EXACT_FROM and len(ctx.cands) <= _LP_MAX_CANDIDATES:
                exact = 0.5 * budget
            elif weekly and len(ctx.cands) > _LP_MAX_CANDIDATES and budget >= _GROUPS_FROM:
                groups = _GROUP_SHARE * budget
            # When exact per-person re-solves follow (neighbourhood_share), they repair a
            # first roster that breaks hard rules better than these moves: on Curtois 5 and
            # 11 (60 s) the moves' repaired roster led to 25% and 13% above the best known,
            # the greedy one to 8% and 4%. With no time left (Curtois 24: building about a million
            # candidate shifts took 90-110 s of a 60-s limit) not even its set-up runs: that
            # took another 135 s there.
            if budget > 0:
                picked = improve(
                    ctx.problem,
                    ctx.cands,
                    picked,
                    budget,
                    settings.seed,
                    frozen,
                    floor,
                    report,
                    repair=free is None,
                    breaks=breaks,
                    exact_seconds=exact,
                    group_seconds=groups,
                    workers=settings.workers,
                )
        while pending:  # no local search, or it reported nothing
            pending.pop()(time.perf_counter())
    else:  # the published roster with each locked shift in place of that day's shift: a lock
        # moved 30 minutes beside the published shift of its day made the hint two shifts a day,
        # CP-SAT rejected it whole and a 5-s re-solve changed 37-43 of 149 shifts (store)
        until = min(deadline, time.perf_counter() + _BREAKER_SHARE * settings.time_limit_seconds)
        picked = _without_breakers(ctx, _with_locks(ctx, _published(ctx, published))[0], until)
    if free is not None:  # improve it a few people at a time (SolveSettings.neighbourhood_share)
        budget = (settings.neighbourhood_share or 0.0) * settings.time_limit_seconds
        # within the time limit, leaving CP-SAT a tenth of it (the local search came first)
        latest = deadline - 0.1 * settings.time_limit_seconds - time.perf_counter()
        budget = max(0.0, min(budget, latest))
        # Its first pass may take until then to give everyone a roster that keeps their rules.
        grace = max(0.0, latest - budget)
        picked = by_employee(ctx, free, picked, budget, settings, floor, published, grace)
    fixed = ctx.model.clone()
    for i, v in enumerate(ctx.x):
        fixed.add(fixed.get_bool_var_from_proto_index(v.index) == int(i in picked))
    given: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for i, b in breaks.items():  # the local search's break places
        if i in picked:
            given[(ctx.cands[i].role, ctx.cands[i].start, ctx.cands[i].end)].append(b)
    hinted = place_breaks(ctx.problem, [ctx.cands[i] for i in sorted(picked)], given or None)
    if ctx.breaks:  # and the break split
        placed = Counter((a.role, a.start_slot, a.end_slot, a.break_start) for a in hinted)
        for (role, start, end), split in ctx.breaks.items():
            for b, v in split:
                fixed.add(
                    fixed.get_int_var_from_proto_index(v.index) == placed[(role, start, end, b)]
                )
    quick = _solver(
        replace(settings, time_limit_seconds=max(2.0, 0.2 * settings.time_limit_seconds))
    )
    # With every shift fixed, one worker without presolve proves the least completion: the
    # store's in 0.3 s, against 1.6 s with two workers and presolve; the contact center's in
    # 2 s, where presolve (one or two workers) had not proved it after 20 s. (Fixing the shifts
    # by their domains instead of == constraints is faster to build but left the contact
    # center's completion unproved and dearer after 20 s.)
    quick.parameters.num_workers = 1
    quick.parameters.cp_model_presolve = False
    if quick.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for i, v in enumerate(ctx.x):  # locks may contradict it, or the copy was slow: partial hint
            ctx.model.add_hint(v, int(i in picked))
        return picked, hinted, found_bound
    values = quick.response_proto.solution  # every variable, in the model's order
    hint = ctx.model.proto.solution_hint  # set whole: add_hint per variable took 0.4 s (store)
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)
    return picked, hinted, found_bound


def _as_shift(lock: LockedShift) -> Assignment:
    return Assignment(
        employee_id=lock.employee_id,
        day=lock.day,
        start_slot=lock.start_slot,
        end_slot=lock.end_slot,
        role=lock.role,
        shift_type=lock.shift_type,
    )


def _breakers(
    problem: RosterProblem, assignments: Sequence[Assignment], excused: tuple[str, ...]
) -> list[int]:
    """People (indices) whose shifts here break one of their hard rules (the checker's), other
    than the ``excused`` kinds of rule."""
    roster = Roster(status="", assignments=tuple(assignments), objective=0.0)
    ids = {emp.id: e for e, emp in enumerate(problem.employees)}
    return sorted(
        {
            ids[v.employee_id]
            for v in check_roster(problem, roster)
            if v.rule not in excused and v.employee_id in ids
        }
    )


def _without_breakers(ctx: Context, picked: set[int], until: float = float("inf")) -> set[int]:
    """``picked`` with the rules of everyone kept: a hint CP-SAT can complete. A published
    roster edited by hand may break them, and a re-solve from it had found no roster at all in
    8 s (store). Of each person who breaks a hard rule, the fewest shifts (one, else two; never
    a locked one) whose removal makes their rules hold are left out, the cheapest roster's
    (:func:`~solver.checker.evaluate_roster`); failing that, all their unlocked shifts. Leaving
    them all out had made CP-SAT rebuild the week of a supervisor given a sixth day by hand:
    a 5-s re-solve changed all six of his days and left him 8.5 paid hours of a 30-h minimum.
    Each trial prices the whole roster, so from ``until`` (``time.perf_counter``) on the
    people left lose all their unlocked shifts at once (a contact center with 206 people over
    their days had spent 5.4 s of a 5-s re-solve here).
    """
    problem, cands = ctx.problem, ctx.cands
    shifts = place_breaks(problem, [cands[i] for i in picked])
    out = _breakers(problem, shifts, excused=("locked",))
    if not out:
        return set(picked)
    locked = {i for same in ctx.locks.values() for i in same}
    keep = set(picked)
    for e in out:
        who = problem.employees[e].id
        theirs = [a for a in shifts if a.employee_id == who]
        others = [a for a in shifts if a.employee_id != who]
        free = sorted(cands[i].day for i in keep if cands[i].employee == e and i not in locked)
        best: tuple[float, tuple[int, ...]] | None = None
        for size in (1, 2) if time.perf_counter() < until else ():
            for days in combinations(free, size):
                if time.perf_counter() >= until:
                    break
                left = tuple(a for a in theirs if a.day not in days)
                if _breakers(problem, left, excused=("locked",)):
                    continue
                roster = Roster(status="", assignments=(*others, *left), objective=0.0)
                cost = sum(q.value for q in evaluate_roster(problem, roster))
                if best is None or cost < best[0]:
                    best = (cost, days)
            if best is not None:
                break
        gone = set(free) if best is None else set(best[1])
        keep = {i for i in keep if cands[i].employee != e or cands[i].day not in gone}
        shifts = tuple(a for a in shifts if a.employee_id != who or a.day not in gone)
    return keep


def _published(ctx: Context, published: Roster) -> set[int]:
    """The candidate of each published shift that is still possible (one per person and day).

    A shift matches a candidate of the same person, times and role, and of the same named
    type when it has one: shift types may share their times (Curtois' four 8-hour types all
    start at midnight), and matching on times alone put all of them into one day's hint, which
    CP-SAT then rejected as a whole (instance 8: the re-solve's first roster at 9,182 instead
    of the published 1,930).
    """
    ids = {emp.id: e for e, emp in enumerate(ctx.problem.employees)}
    picked: set[int] = set()
    for a in published.assignments:
        same = ctx.by_hours.get((ids.get(a.employee_id, -1), a.start_slot, a.end_slot, a.role), [])
        typed = [i for i in same if ctx.cands[i].kind == a.shift_type]
        if typed or same:
            picked.add((typed or same)[0])
    return picked


def _with_locks(ctx: Context, picked: set[int]) -> tuple[set[int], set[tuple[int, int]]]:
    """The roster with each locked shift in place of that day's shift; the locked days.

    A lock that several candidates keep (types at the same hours) takes the one already
    picked, else the first.
    """
    locked = set()
    for same in ctx.locks.values():
        mine = [i for i in same if i in picked]
        locked.add((mine or same)[0])
    days = {(ctx.cands[i].employee, ctx.cands[i].day) for i in locked}
    kept = {i for i in picked if (ctx.cands[i].employee, ctx.cands[i].day) not in days}
    return kept | locked, days


class _Background:
    """The lower bound computed on a thread; ``result`` waits for it (0.0 if there is none).

    GLOP's simplex, then, while the local search alone keeps the other core busy
    (``days_until``), the days' whole-shift bound started at its duals (:mod:`solver._days`),
    which sees what fractions of people hide (store: 22,304 -> 22,954 in a 10-s solve, 23,061
    in a 20-s one, 23,072 from 30 s); on very large weeks HiGHS's interior point method (twice
    as fast) and the Lagrangian bound of whole weeks per person. The solvers release the GIL,
    so the bound costs the local search little time; HiGHS cannot be interrupted, so its day
    problems end when the local search's budget does, and the exact re-solves and CP-SAT that
    follow keep both cores. ``result`` waits no longer than the solve's deadline and takes the
    bound proved so far; with none proved yet, it waits a little longer for the first (see
    :data:`_FIRST_BOUND_GRACE`).
    """

    def __init__(
        self,
        problem: RosterProblem,
        cands: list[Candidate],
        seconds: float,
        interior: bool,
        days_until: float,
    ) -> None:
        self._problem, self._cands, self._seconds = problem, cands, seconds
        self._interior, self._days_until = interior, days_until
        self._value = 0.0
        self._proved = threading.Event()
        self._thread = threading.Thread(target=self._work, daemon=True)
        self._thread.start()

    def _work(self) -> None:
        problem, cands, seconds = self._problem, self._cands, self._seconds
        started = time.perf_counter()
        if not self._interior:
            until = min(started + seconds, self._days_until)
            day_bound(problem, cands, seconds, until, self._better)
            return
        duals: dict[tuple[str, str, int], float] = {}
        lp = lp_bound(problem, cands, seconds, duals, interior=True)
        self._better(lp)
        left = seconds - (time.perf_counter() - started)
        if lp > 0 and duals and left > 0.2:
            self._better(lagrangian_bound(problem, cands, duals, 1.05 * lp, min(left, 2.0)))

    def _better(self, value: float) -> None:
        self._value = max(self._value, value)
        if self._value > 0:
            self._proved.set()

    def result(self, until: float | None = None, first_until: float | None = None) -> float:
        """The bound (currency units), waiting for it until ``until`` (``time.perf_counter``;
        None: to its end), and while none is proved, for the first one until ``first_until``."""
        wait = None if until is None else max(0.0, until - time.perf_counter())
        self._thread.join(timeout=wait)
        if self._value <= 0 and first_until is not None and self._thread.is_alive():
            self._proved.wait(timeout=max(0.0, first_until - time.perf_counter()))
        return self._value


def _grace(limit: float) -> float:
    """How long after a ``limit``-second solve's deadline it waits for a first bound (s)."""
    return max(_FIRST_BOUND_GRACE[0], _FIRST_BOUND_GRACE[1] * limit)


def _solver(settings: SolveSettings) -> cp_model.CpSolver:
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = float(settings.time_limit_seconds)
    s.parameters.num_workers = int(settings.workers)
    s.parameters.random_seed = int(settings.seed)
    s.parameters.relative_gap_limit = float(settings.relative_gap)
    s.parameters.log_search_progress = bool(settings.log)
    return s


def _search_mode(solver: cp_model.CpSolver, candidates: int) -> None:
    """Presolve and the full linear relaxation on small models; neither on large ones.

    On models of up to ``_FULL_LP_CANDIDATES`` candidate shifts CP-SAT runs its presolve and
    its full-problem worker keeps every constraint in its LP (``max_lp``; with one worker,
    ``linearization_level`` 2): on nurse rosters that LP's bound is within a few percent of the
    optimum where the default worker's stays near zero, and its solutions guide the search
    (Curtois 1-12, 60 s, 2 workers: 0-34% above the best known before; after, 1-3, 5 and 6
    proved optimal and all but 8 and 12 within 5%). On larger weeks presolve alone costs
    seconds and the search mostly completes the local search's roster, so both are off (the
    complete hint starts the search).

    Both workers keep the full LP (``linearization_level`` 2), so the neighbourhood solves of
    the second one follow the LP's guidance too. Curtois, 60 s, seeds 0-2, objective without
    -> with: instance 8 1,520 / 1,521 / 1,550 -> 1,406 / 1,339 / 1,416 (best known 1,300);
    12 5,304 / 5,393 / 4,692 -> 5,110 / 4,807 / 4,597 (4,040); 4 reached 1,716 with all three
    seeds (1,718 once without); 5 1,146 / 1,145 / 1,144 -> 1,235 / 1,143 / 1,143; 7
    1,058 / 1,069 / 1,060 -> 1,066 / 1,063 / 1,069; 9 439 each time but 452 once with; 10 a
    little worse on the mean (4,712 -> 4,737, best known 4,631), 11 a little better
    (3,462 -> 3,451, best known 3,443). LNS alone (``use_lns_only``) after whole rosters per
    person, where the columns give the bound, did worse on Curtois 8: 1,496 / 1,406 / 1,309 /
    1,496 over seeds 0-3, against 1,402-1,415 on five of six seeds with both workers' LP.
    More workers than cores (a wider portfolio at half a core each) did not help Curtois 8
    either (seeds 0-1): 4 workers 1,408 / 1,411, 8 workers 1,400 / 1,507. Nor did covering
    first: CP-SAT on the uncovered shifts alone, from a 1,40x roster, found the least (12,
    proved) in 24 s in one of three 40-s runs; a fourth stopped at 13, and 30 s more on the
    whole objective with the cover capped there ended at 1,408.
    """
    small = candidates <= _FULL_LP_CANDIDATES
    solver.parameters.cp_model_presolve = small
    if not small:
        return
    solver.parameters.linearization_level = 2
    if solver.parameters.num_workers > 1:
        solver.parameters.subsolvers.append("max_lp")


def _column_share(ctx: Context, settings: SolveSettings) -> float:
    """The share of the time limit for the first roster from whole rosters per person.

    The one set, else 0.5 on rosters whose cover is counted per shift type only, with no
    movable break (each person's cover is then exact in a model of their own) and at most
    ``_COLUMN_PERSON_DAYS`` person-days, unless a share of exact re-solves is set (they then
    replace the exact re-solves of people one by one).

    Curtois, 60 s, 2 workers, seeds 0-2, before -> with it (best known): 5 1,145 / 1,143 /
    1,145 -> 1,143 each (once proved optimal); 7 1,061-1,064 -> 1,061-1,063 (1,056); 8 1,412 /
    1,528 / 1,509 -> 1,427 / 1,503 / 1,507 (1,300); 12 (1,680 person-days) 5,003-5,414 ->
    4,262 / 4,764 / 4,656 (4,040). Seed 0: 9 -> 439, 10 -> 4,631 (bound 4,629) and 11 -> 3,443,
    each the best known (0-3.6% above before); 1-4 and 6 still proved optimal. Longer
    horizons, seed 0: 15, 16, 17 75%, 15.5%, 42% -> 40.4%, 10.1%, 30.8%; 14, 18 16.4%, 42% ->
    24.2%, 59.8%. Above the limit the dive ran out of time with most people unfixed: 19 (3,360
    person-days) 5,754-6,076 -> 10,771; 13 (3,360) 5,901 -> 7,768. Exact re-solves after the
    columns' roster (``neighbourhood_share`` 0.4, half of the runs of 10 days for everyone
    centred on an uncovered shift) left Curtois 8 where it was: 1,403-1,413 and 1,499 over
    seeds 0-5, against 1,307 twice, 1,402-1,415 eight times and 1,504-1,505 twice without.
    """
    if settings.column_share is not None:
        return settings.column_share
    if settings.neighbourhood_share:  # that path, when chosen
        return 0.0
    p = ctx.problem
    fits = (
        p.shift_demands
        and not p.demands
        and len(p.employees) * p.days <= _COLUMN_PERSON_DAYS
        and all(len(c.break_starts()) <= 1 for c in ctx.cands)
    )
    return _COLUMN_SHARE if fits else 0.0


def _neighbourhood_share(problem: RosterProblem, settings: SolveSettings, cands: int) -> float:
    """The share of the time limit for exact re-solves of a few people at a time.

    The one set, else 0.5 on rosters of more than ``_NEIGHBOURHOOD_CANDIDATES`` candidate
    shifts where someone has a hard minimum of hours or of days in a row (the greedy roster
    then breaks rules the local search cannot repair, and CP-SAT's full LP is too slow to guide
    its search): Curtois 12 (10,452 candidates, 60 s, seeds 0-2) ended 14.1 / 16.5 / 16.4%
    above the best known with 0.5, 24.2 / 16.7 / 26.2% with 0.25 (19-24% in earlier runs),
    16.7% with 0.75 (seed 0), and 44-58% without; on the smaller instances (up to 5,304
    candidates) re-solves did no better or worse (instance 8: 2.5-10% without over seeds 0-2,
    24-33% with 0.25), and 0 stays. Those runs predate the full LP in both CP-SAT workers
    (``_search_mode``); with it, seeds 0-5: 13.8-26.5% with 0.5 (mean 4,920), 11.5-23.9% with
    0.25 (mean 4,808: within the seeds' spread, so 0.5 stays), 32-55% without (seeds 0-2).
    """
    if settings.neighbourhood_share is not None:
        return settings.neighbourhood_share
    hard = any(e.hard_min_minutes > 0 or e.min_consecutive_days > 1 for e in problem.employees)
    return _NEIGHBOURHOOD_SHARE if hard and cands > _NEIGHBOURHOOD_CANDIDATES else 0.0


def _give_up(ctx: Context, relaxation: Relaxation) -> None:
    """Switch off the rules given up, and forget their guards (so that the re-solves of a few
    people, which switch everyone's guards on, leave them off)."""
    keys = guard_keys(ctx.guards, ctx.owners)
    for guard in list(ctx.guards):
        if keys[guard.index] in relaxation.relaxed:
            ctx.model.add(guard == 0)
            del ctx.guards[guard]
            ctx.owners.pop(guard.index, None)


def _run(problem: RosterProblem, settings: SolveSettings, published: Roster | None) -> Roster:
    started = time.perf_counter()
    limit = settings.time_limit_seconds
    deadline = started + limit
    # Locked shifts are the usual source of conflicts (the Adjust page's re-solves): each
    # locked person's rules are checked alone first, so the search never runs into them.
    # Only people whose locked shifts alone already break a rule (or leave a minimum unmet)
    # need a model of their own: locking every shift of a 35-person store had taken 4-6 s.
    relaxation = find_conflicts(
        problem,
        _breakers(problem, [_as_shift(lock) for lock in problem.locked], excused=("break",)),
        tuple(range(len(problem.locked))),
        started + max(0.3 * limit, 3.0),
    )
    locks = tuple(k for k in range(len(problem.locked)) if k not in relaxation.dropped_locks)
    ctx, _, lock_lits = _build(problem, published, locks)
    _give_up(ctx, relaxation)
    column = _column_share(ctx, settings) if published is None else 0.0
    share = 0.0  # whole rosters per person first: no exact re-solves unless asked for
    if column == 0 or settings.neighbourhood_share is not None:
        share = _neighbourhood_share(problem, settings, len(ctx.cands))
    settings = replace(settings, neighbourhood_share=share, column_share=column)
    free = ctx.model.clone() if share > 0 else None
    for guard in ctx.guards:  # first try with every rule on: presolve can use them fully
        ctx.model.add(guard == 1)
    lp = 0.0
    background: list[_Background] = []
    # A re-solve's bound is its LP without the change prices and locks (a relaxation of it),
    # first: CP-SAT only repairs the published roster, and its own bound on the store read
    # 12,900 (a gap of 45% after one absence where the first solve had shown 3%).
    resolving = published is not None and len(ctx.cands) <= _LP_MAX_CANDIDATES
    if (published is None and len(ctx.cands) <= _LP_SYNC_CANDIDATES) or resolving:
        duals: dict[tuple[str, str, int], float] = {}
        lp = lp_bound(problem, ctx.cands, max(1.0, (0.5 if resolving else 0.35) * limit), duals)
        if lp > 0:  # whole weeks per person: a tighter bound
            lp = max(lp, lagrangian_bound(problem, ctx.cands, duals, 1.05 * lp, 0.1 * limit))

    def start_lp(alone: float) -> None:
        # On larger weeks the bound takes a large part of the time limit: it is computed on a
        # thread while the first roster is improved. It starts after the greedy roster, whose
        # time it would share.
        # Its LP may run into the grace the solve waits for a first bound: on a busy machine
        # (load 4 on 2 cores) the contact center's took longer than 0.9 of what was left of a
        # 60-s limit, gave up, and the 60-s roster had no bound at all.
        if published is None and len(ctx.cands) > _LP_SYNC_CANDIDATES:
            left = deadline + _grace(limit) - time.perf_counter()
            big = len(ctx.cands) > _LP_MAX_CANDIDATES
            background.append(_Background(problem, ctx.cands, max(1.0, left), big, alone))

    floor = lp if published is None else 0.0  # a first roster at this cost is optimal
    first, hinted, found = _hint(ctx, settings, published, free, floor, deadline, started, start_lp)
    lp = max(lp, found)
    remaining = max(_LEAST_CP_SECONDS, limit - (time.perf_counter() - started))
    solver = _solver(replace(settings, time_limit_seconds=remaining))
    _search_mode(solver, len(ctx.cands))
    status = solver.solve(ctx.model, _Progress(settings, started, ctx.scale))
    first_breakers: list[int] = []  # only checked when CP-SAT found nothing
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        shifts = place_breaks(problem, [ctx.cands[i] for i in first])
        first_breakers = _breakers(problem, shifts, excused=("locked",))
    if status == cp_model.INFEASIBLE or first_breakers:
        # Someone's own rules contradict each other (a hard minimum out of reach, say), or the
        # first roster breaks rules and CP-SAT found nothing else in time: find whose rules
        # cannot hold (everyone's when CP-SAT proved it), give up the least, and solve again
        # from the first roster without the breakers' shifts (locks kept), which then keeps
        # every rule left. This may run past the time limit: a roster comes first.
        suspects = (
            range(len(problem.employees)) if status == cp_model.INFEASIBLE else first_breakers
        )
        todo = [e for e in suspects if e not in relaxation.checked]
        relaxation = find_conflicts(
            problem, todo, locks, time.perf_counter() + max(2.0, 0.3 * limit), relaxation
        )
        locks = tuple(k for k in locks if k not in relaxation.dropped_locks)
        ctx, _, lock_lits = _build(problem, published, locks)
        _give_up(ctx, relaxation)
        for guard in ctx.guards:
            ctx.model.add(guard == 1)
        until = time.perf_counter() + _BREAKER_SHARE * limit
        first = _without_breakers(ctx, _with_locks(ctx, first)[0], until)
        for i, v in enumerate(ctx.x):
            ctx.model.add_hint(v, int(i in first))
        remaining = max(2.0, limit - (time.perf_counter() - started))
        solver = _solver(replace(settings, time_limit_seconds=remaining))
        _search_mode(solver, len(ctx.cands))
        status = solver.solve(ctx.model, _Progress(settings, started, ctx.scale))
    conflicts = tuple(m for m in relaxation.messages if m)
    if status == cp_model.INFEASIBLE and not conflicts:  # pragma: no cover - a rule unguarded
        conflicts = ("the rules cannot all hold together, and no single person's rules explain it",)
    if background:
        lp = max(lp, background[0].result(deadline + 0.5, deadline + _grace(limit)))
    elapsed = time.perf_counter() - started
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if not found and not first:
        return Roster(
            status="no_solution",
            assignments=(),
            objective=0.0,
            conflicts=conflicts,
            solve_seconds=elapsed,
        )
    if found:
        chosen = [c for c, v in zip(ctx.cands, ctx.x, strict=True) if solver.value(v)]
    else:  # CP-SAT found nothing in time (very large weeks): the first roster, if it is valid
        chosen = [ctx.cands[i] for i in sorted(first)]
        trial = Roster(status="", assignments=place_breaks(problem, chosen), objective=0.0)
        # it may break only the rules given up (and miss the locks left out)
        relaxed = {problem.employees[e].id for e in relaxation.people}
        dropped = {problem.locked[k].employee_id for k in relaxation.dropped_locks}
        if any(
            v.employee_id not in relaxed and not (v.rule == "locked" and v.employee_id in dropped)
            for v in check_roster(problem, trial)
        ):
            return Roster(
                status="no_solution",
                assignments=(),
                objective=0.0,
                conflicts=conflicts,
                solve_seconds=elapsed,
            )
    assignments = place_breaks(problem, chosen)
    draft = Roster(status="", assignments=assignments, objective=0.0)
    penalties = evaluate_roster(problem, draft, published)
    if found and ctx.breaks:  # the model's own break placement, when it is better
        given = {
            key: [b for b, v in split for _ in range(solver.value(v))]
            for key, split in ctx.breaks.items()
        }
        placed = place_breaks(problem, chosen, given)
        other = Roster(status="", assignments=placed, objective=0.0)
        priced = evaluate_roster(problem, other, published)
        if sum(q.value for q in priced) < sum(q.value for q in penalties) - 1e-9:
            assignments, draft, penalties = placed, other, priced
    if found and not conflicts:
        # The hint itself, when CP-SAT ended on something dearer: on very large weeks the quick
        # completion of the hint can leave auxiliary variables above their least values, and
        # CP-SAT's "improvements" on that price then changed shifts for the worse (contact
        # center: the local search's 78,884 handed over as 78,914-78,968).
        start = Roster(status="", assignments=hinted, objective=0.0)
        priced = evaluate_roster(problem, start, published)
        if sum(q.value for q in priced) < sum(q.value for q in penalties) - 1e-9 and not (
            check_roster(problem, start)
        ):
            assignments, draft, penalties = hinted, start, priced
    objective = sum(p.value for p in penalties)
    cp_bound = solver.best_objective_bound / ctx.scale if found else 0.0
    bound = max(cp_bound, lp)
    gap = max(0.0, (objective - bound) / max(abs(objective), 1e-9)) if objective > 0 else 0.0
    name = "optimal" if status == cp_model.OPTIMAL else "feasible" if found else "heuristic"
    if conflicts:
        name = "rules_conflict"
    return Roster(
        status=name,
        assignments=assignments,
        objective=objective,
        penalties=penalties,
        lower_bound=min(bound, objective),
        gap=gap,
        shortfalls=shortfalls(problem, draft),
        conflicts=conflicts,
        solve_seconds=elapsed,
        model_objective=solver.objective_value / ctx.scale if found else None,
    )


def solve(problem: RosterProblem, settings: SolveSettings | None = None) -> Roster:
    """Roster at the lowest cost; always returns a roster (coverage is soft).

    Parameters
    ----------
    problem : RosterProblem
        The week to roster.
    settings : SolveSettings, optional
        Time limit (seconds), workers, seed and relative gap, set on ``solver.parameters``;
        None uses ``SolveSettings()`` (its defaults are documented there). When rules
        contradict each other the solve may run past the time limit: a roster comes first.

    Returns
    -------
    Roster
        The roster with its status (see :class:`Roster`), penalties and objective recomputed
        by the checker (currency units), lower bound and gap, shortfalls, conflicts and solve
        time (seconds).
    """
    return _run(problem, settings or SolveSettings(), None)


def resolve(
    problem: RosterProblem, published: Roster, settings: SolveSettings | None = None
) -> Roster:
    """Re-roster after changes, keeping as many published shifts as possible.

    Each (employee, day) whose shift is added, removed or moved costs ``weights.change``; the
    published shifts are given to CP-SAT as a hint.

    Parameters
    ----------
    problem : RosterProblem
        The week to roster, with the changes (locked shifts, availability) in it.
    published : Roster
        The roster to keep as much of as possible.
    settings : SolveSettings, optional
        As for :func:`solve`.

    Returns
    -------
    Roster
        As for :func:`solve`; its penalties include ``changes`` (currency units).
    """
    return _run(problem, settings or SolveSettings(), published)
