"""A first roster from whole rosters per person: column generation, then a dive.

Column generation (:mod:`solver._master`) solves the LP over every whole roster per person
that keeps their rules, and proves a Lagrangian bound on the way. A dive then turns its
fractional solution into one roster per person.

A dive step holds some days of people (a shift or a day off) as their LP roster nearest to
whole has them, the days their LP rosters agree on most first, as many as the pace so far allows
to end in time, then prices the others again; the days all of a person's LP rosters agree on are
held on the way. With time for many more steps, a step that raises the LP by more than half a
percent is undone and fewer other days are tried. If that dive took less than a third of the
time left, a second one holds whole people instead (their LP roster nearest to whole, a tenth
of those left at least, the others left free), and the cheaper roster is kept. Curtois 30-s
runs of this module alone: on 12 the days' dive ended at 4,062-4,194 (best known 4,040), the
whole people's at 7,503 and 11,215; on 5 the days' dive at 1,449-1,554, the whole people's
after it at 1,145-1,148 (best known 1,143). The roster so built is the first one the search
then improves.

Cover is exact per person only when each shift's break has one place (or none), as in
:mod:`solver._by_employee`; with movable breaks this is not used.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from solver._master import EPS, Master
from solver.rules._context import Context

__all__ = ["Columns", "column_roster"]

_GENERATE = 0.4  # share of the time left after the first rosters for column generation
_REPRICE = 3  # rounds of pricing after each dive step at most (days)
_REPRICE_WHOLE = 10  # (whole rosters)
_DIVE = 10  # at least this share (1/_DIVE) of the people left is held whole per step
_TOL = 0.005  # a dive step that raises the LP more than this share is undone ...
_TRIES = 3  # ... this many times in a row at most, each time holding a quarter as many days
_ROOMY = 10  # ... when there is time for this many steps at least
_PACE = 0.5  # share of the time left the dive plans to take at its recent pace


@dataclass(frozen=True, slots=True)
class Columns:
    """What :func:`column_roster` found: the roster (candidate indices; None if someone has no
    roster that keeps their rules, or the LP failed) and a lower bound on the whole problem
    (currency units; 0.0 unless some round priced everyone to proven optimality)."""

    roster: set[int] | None
    bound: float


def column_roster(ctx: Context, seconds: float, workers: int) -> Columns:
    """A roster built from whole rosters per person, and the best Lagrangian bound proved.

    ``seconds``: the whole budget (seconds); 40% of what is left after everyone's first
    rosters goes to column generation, the rest to the dives. ``workers`` people are priced at
    once (CP-SAT lets go of the GIL while it solves).
    """
    deadline = time.perf_counter() + seconds
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:  # pragma: no cover - GLOP ships with OR-Tools
        return Columns(None, 0.0)
    with ThreadPoolExecutor(max(1, workers)) as pool:
        master = Master(ctx, lp, pool)
        if not master.first_rosters(deadline):
            return Columns(None, master.bound)
        until = time.perf_counter() + _GENERATE * (deadline - time.perf_counter())
        pace = master.generate(until)
        roster = None if pace is None else _dives(master, deadline, pace)
    return Columns(roster, master.bound)


def _dives(master: Master, deadline: float, pace: float) -> set[int] | None:
    """Days first (whole people did far worse on Curtois 12); then, if it fits twice over in
    the time left, whole people (Curtois 5: better), the cheaper kept. ``pace``: the seconds
    of the last generation pass, the first guess of a step's."""
    master.diving = True
    started = time.perf_counter()
    best = _Dive(master, deadline, pace).run(whole=False)
    took = time.perf_counter() - started
    if best is not None and deadline - time.perf_counter() > 2 * took:
        other = _Dive(master, deadline, pace).run(whole=True)
        if other is not None and other[0] < best[0]:
            best = other
    return None if best is None else best[1]


class _Dive:
    """One dive: holds days (or whole rosters) of people until everyone's are held, then lets
    every hold go again."""

    def __init__(self, master: Master, deadline: float, pace: float) -> None:
        self.master, self.deadline = master, deadline
        self.held: list[dict[int, int]] = [{} for _ in master.people]  # day -> candidate or -1
        self.paces = [pace]  # seconds a step: a guess before the first
        self.tabu: set[tuple[int, int, int]] = set()  # (person, day, candidate) found too dear

    def _hold(self, items: list[tuple[int, int, int]]) -> None:
        for e, d, i in items:
            self.held[e][d] = i
        self._apply(items)

    def _let_go(self, items: list[tuple[int, int, int]]) -> None:
        for e, d, _ in items:
            del self.held[e][d]
        self._apply(items)

    def _apply(self, items: list[tuple[int, int, int]]) -> None:
        """Tell the master the holds of everyone in ``items`` as they now stand."""
        for e in {e for e, _, _ in items}:
            self.master.hold(e, self.held[e])

    def run(self, whole: bool) -> tuple[float, set[int]] | None:
        """The roster the dive ends at: its cost and candidate indices, None if the LP failed.

        ``whole``: hold people's whole LP roster nearest to whole, at least a tenth of those
        left a step, without undoing any; else days.
        """
        m = self.master
        tries = 0
        while len(m.fixed) < len(m.people):
            step_started = time.perf_counter()
            value = m.solve()
            if value is None:
                return None
            share: dict[tuple[int, int, int], float] = defaultdict(float)
            top: dict[int, tuple[float, int]] = {}  # person -> their LP roster nearest to whole
            for k, ((e, _, _), v) in enumerate(zip(m.columns, m.variables, strict=True)):
                x = v.solution_value()
                if e in m.fixed or x <= EPS:
                    continue
                if e not in top or x > top[e][0]:
                    top[e] = (x, k)
                for d in range(m.days):
                    if d not in self.held[e]:
                        share[(e, d, m.on_day[k].get(d, -1))] += x
            left = self.deadline - time.perf_counter()
            if left <= 0:  # out of time: everyone left takes their LP roster nearest to whole
                for e, (_, keep) in top.items():
                    m.keep(e, keep)
                break
            # each person's loose days as their top roster has them, surest first
            agreed: list[tuple[int, int, int]] = []
            loose: list[tuple[float, int, int, int]] = []
            barred: list[tuple[float, int, int, int]] = []  # loose, but found too dear
            for e, (_, keep) in top.items():
                for d in range(m.days):
                    if d not in self.held[e]:
                        key = (e, d, m.on_day[keep].get(d, -1))
                        if share[key] > 1 - 1e-6:
                            agreed.append(key)
                        else:
                            (barred if key in self.tabu else loose).append(
                                (-share[key], e, d, key[2])
                            )
            loose = sorted(loose or barred)  # when every loose day is barred, bar none
            # enough a step to end in time at the recent pace
            pace = sum(self.paces[-3:]) / len(self.paces[-3:])
            steps = max(1.0, _PACE * left / pace)
            if whole:
                ranked = sorted(top, key=lambda e: -top[e][0])
                sure = sum(1 for e in ranked if top[e][0] > 1 - 1e-6)
                count = max(math.ceil(len(ranked) / steps), len(ranked) // _DIVE, sure, 1)
                some = set(ranked[:count])
                chosen = [(e, d, i) for _, e, d, i in loose if e in some]
                agreed = [key for key in agreed if key[0] in some]
            else:
                need = math.ceil(len(loose) / steps / 4**tries)
                chosen = [(e, d, i) for _, e, d, i in loose[:need]]
            self._hold(agreed + chosen)
            if not self._reprice(whole, step_started, pace):
                return None
            self.paces.append(time.perf_counter() - step_started)
            # with time for many more steps, a step that raises the LP too much is undone
            roomy = steps >= _ROOMY and time.perf_counter() < self.deadline
            if chosen and not whole and tries < _TRIES and roomy:
                now = m.solve()
                if now is None:
                    return None
                if now - value > _TOL * max(1.0, abs(value)):
                    # too dear: let those days go again, and hold fewer, others
                    self._let_go(chosen)
                    self.tabu.update(chosen)
                    tries += 1
                    continue
            tries = 0
        cost = m.solve()
        if cost is None:
            return None
        picked: set[int] = set()
        for e in range(len(m.people)):
            picked |= m.columns[m.top(e)][2]
        for e in range(len(m.people)):  # let every hold go again
            self.held[e].clear()
            m.hold(e, self.held[e])
        return cost, picked

    def _reprice(self, whole: bool, step_started: float, pace: float) -> bool:
        """Price the others' rosters again after a step, a few rounds at most (the days' dive
        keeps its pace); False if the LP failed."""
        m = self.master
        for _ in range(_REPRICE_WHOLE if whole else _REPRICE):
            now = time.perf_counter()
            if len(m.fixed) == len(m.people) or now >= self.deadline:
                break
            if not whole and now - step_started > 2 * pace:
                break
            added = m.price_all(self.deadline)
            if added is None:
                return False
            if not added:
                break
        return True
