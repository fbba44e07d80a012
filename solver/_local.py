"""Local search on a first roster: best shift per employee-day, day-off moves, ruin and recreate.

With everybody else fixed, the best shift of one person on one day is found exactly
(:mod:`solver._search` keeps the roster's state and scores each move). Three moves use that:

* **re-plan** an employee-day: the best of its candidates or a day off;
* **move a day off**: drop the shift of one day, re-plan another day of the same person;
* **ruin and recreate**: clear every shift over a few random days (or of a few random people)
  and re-plan the cleared employee-days in random order, kept when the roster got cheaper.

Hard rules are kept by a per-person count of violations that no move may raise (a greedy
roster that breaks a rule is repaired by the same moves, since lowering the count pays first;
when they cannot repair it, the first roster is returned as it was).
The search is plain numpy and Python and typically improves a greedy week by several percent in
a second or two, which CP-SAT's random neighbourhoods do not do in ten; CP-SAT then starts from
this roster and proves the bound.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable

import numpy as np

from solver._candidates import Candidate
from solver._exact import exact_days
from solver._groups import exact_groups
from solver._search import BIG, Search, restore, value_of
from solver.problem import RosterProblem

__all__ = ["improve"]

_SPAN = 6  # days apart at most for the two days of one person re-planned together
_STALL = 400  # ruin-and-recreate kicks in a row without a better roster end the search
# Tried on the store (10 s, seeds 0-5) and not kept: accepting a kick up to T dearer, T falling
# to 0 over the search (T 10 / 30: mean 23,500 / 23,502 against 23,538 without; 60 / 150
# worse), within the spread; kicks aimed at an empty post (two people of that role and one
# other, whole weeks rebuilt, 30% of kicks): 23,598 against 23,542; starting from the LP's
# roster (each person-day's largest or a sampled LP share; 113 of 216 person-days fractional)
# instead of the greedy one: 23,580-23,622 against 23,473-23,583 after 7 s of search. The 10-s
# search is flat from about 3 s (23,55x): what gains later is exact days (solver._exact).


def improve(
    problem: RosterProblem,
    cands: list[Candidate],
    picked: set[int],
    seconds: float,
    seed: int = 0,
    frozen: set[tuple[int, int]] | None = None,
    floor: float = 0.0,
    report: Callable[[float], None] | None = None,
    repair: bool = True,
    breaks: dict[int, int] | None = None,
    exact_seconds: float = 0.0,
    group_seconds: float = 0.0,
    workers: int = 1,
) -> set[int]:
    """A cheaper roster (candidate indices) found from ``picked`` within ``seconds``.

    ``frozen`` employee-days (locked shifts) keep what ``picked`` gives them. The search also
    ends when the roster's cost reaches ``floor`` (a lower bound, currency units) or after
    many kicks in a row that found nothing cheaper. ``report(cost)`` is called with the cost of
    each better roster that breaks no hard rule (currency units), the first one included.
    With ``repair`` False a first roster that breaks hard rules is returned as it is at once.
    ``breaks``, if given, receives the break start slot of each returned shift that has a
    movable break (candidate index -> slot). On rosters without cover per shift type, the last
    ``group_seconds`` of ``seconds`` re-solve the whole weeks of a few people at a time
    (:mod:`solver._groups`, ``workers`` groups at once), and the ``exact_seconds`` before them
    whole days exactly (:mod:`solver._exact`).
    """
    end = time.perf_counter() + seconds
    last = end - group_seconds  # the exact days' end
    deadline = last - exact_seconds
    rng = random.Random(seed)
    s = Search(problem, cands)
    for i in picked:
        c = cands[i]
        s.assign(c.employee, c.day, i)
    fixed = frozen or set()
    slots = [k for k in s.group if k not in fixed]
    if not slots:
        return set(picked)
    for row in range(len(s.req)):
        s.refresh(row)

    told = [float("inf")]

    def tell(value: float) -> None:
        if report is not None and value < min(BIG / 2, told[0] - 1e-6):
            told[0] = value
            report(value)

    broken = value_of(s) >= BIG / 2
    tell(value_of(s))

    def sweep() -> float:
        gained = 0.0
        rng.shuffle(slots)
        for e, d in slots:
            gained += s.replan(e, d)
        return gained

    def descend() -> None:
        while time.perf_counter() < deadline:
            while time.perf_counter() < deadline and sweep() < -1e-6:
                pass
            if weekly or day_moves() > -1e-6:  # with whole weeks, two-day moves come last
                return

    by_emp: dict[int, list[int]] = defaultdict(list)
    for e, d in sorted(slots):
        by_emp[e].append(d)

    def day_moves() -> float:
        """Re-plan two days of one person together (hours move between days, or a day off
        moves), trying both orders; kept when cheaper."""
        total = 0.0
        for e, mine in by_emp.items():
            if time.perf_counter() >= deadline:
                break
            for a in range(len(mine)):
                for b in range(a + 1, len(mine)):
                    d1, d2 = mine[a], mine[b]
                    if d2 - d1 > _SPAN:
                        break
                    if s.shift[e, d1] < 0 and s.shift[e, d2] < 0:
                        continue
                    for first, second in ((d1, d2), (d2, d1)):
                        delta = s.pair((e, first), (e, second))
                        if delta < 0:
                            total += delta
                            break
        return total

    mates: dict[str, list[int]] = defaultdict(list)  # who can work each role
    for e, emp in enumerate(problem.employees):
        for role in emp.roles:
            mates[role].append(e)
    # Colleagues tried per shift handed over: three on a store, up to eight on larger rosters,
    # where the passes of moves gain more than the kicks. Contact center (220 people), 50 s of
    # search: three left the passes stuck at 78,900-78,920 from about 40 s, eight reached
    # 78,580-78,800; store (35 people), 8 s, seeds 0-7: eight cost the kicks time (mean
    # 23,545 -> 23,604).
    tries = min(8, max(3, len(problem.employees) // 25))

    def transfers(days: list[int], givers: list[int] | None = None) -> float:
        """Hand a shift of ``givers`` (everyone) to one of a few random colleagues on the same
        day (then re-plan the giver)."""
        total = 0.0
        for d in days:
            for e1 in range(len(problem.employees)) if givers is None else givers:
                i = int(s.shift[e1, d])
                if i < 0 or (e1, d) in fixed or time.perf_counter() >= deadline:
                    continue
                pool = mates[cands[i].role]
                for e2 in rng.sample(pool, min(tries, len(pool))):
                    if e2 == e1 or (e2, d) not in s.group or (e2, d) in fixed:
                        continue
                    delta = s.pair((e2, d), (e1, d))  # the taker first
                    if delta < 0:
                        total += delta
                        break
        return total

    every_day = list(range(problem.days))

    fixed_days: dict[int, set[int]] = defaultdict(set)
    for e, d in fixed:
        fixed_days[e].add(d)
    people = sorted({e for e, _ in s.group})
    weekly = not problem.shift_demands  # typed cover is not in the week's programme

    def weeks() -> float:
        """Each person's best whole week with everybody else fixed."""
        total = 0.0
        rng.shuffle(people)
        for e in people:
            if time.perf_counter() >= deadline:
                break
            total += s.rebuild_week(e, fixed_days[e])
        return total

    def full() -> None:
        while time.perf_counter() < deadline:
            descend()
            gained = transfers(every_day)
            gained += sum(s.rebreak(e, d) for e, d in slots)
            if weekly:
                gained += weeks()
            if weekly and gained > -1e-6:
                # Whole weeks move hours between days; the two-day moves (about ten times the
                # cost of a pass of the others) catch what the rules block them from. Run
                # first, they took 18 s of the contact center's 60 (first pass at 80,300);
                # last, the others reach that in 3 s.
                gained += day_moves()
            if not broken:
                tell(value_of(s))  # progress for the caller (a pass can take seconds)
            if gained > -1e-6:
                return

    if broken and not repair:
        return set(picked)  # its breaks are placed by the caller
    if broken:  # try a repair by single re-plans first; give up early if it fails
        while time.perf_counter() < deadline and sweep() < -1e-6:
            pass
        if value_of(s) >= BIG / 2:
            day_moves()
    if not broken or value_of(s) < BIG / 2:
        full()
    best = s.shift.copy(), s.place.copy()
    best_value = value_of(s)
    if broken and best_value >= BIG / 2:
        # The first roster breaks hard rules the moves could not repair (e.g. minimum hours
        # on a nurse roster): hand it over as it was, for CP-SAT's exact re-solves.
        return set(picked)
    tell(best_value)
    current = best_value
    emps = sorted(by_emp)
    stall = 0
    while time.perf_counter() < deadline and stall < _STALL and best_value > floor + 1e-6:
        stall += 1
        snapshot = s.shift.copy(), s.place.copy()
        who: set[int] = set()
        if rng.random() < 0.5:  # everyone over a random day
            d0 = rng.randrange(problem.days)
            ruin = [(e, d) for e, d in slots if d == d0 and rng.random() < 0.5]
        else:  # a few people over the whole horizon
            who = set(rng.sample(emps, min(len(emps), 3)))
            ruin = [(e, d) for e, d in slots if e in who]
        for e, d in ruin:
            s.assign(e, d, -1)
        rng.shuffle(ruin)
        if weekly and who:  # recreate whole weeks, one person after another
            for e in who:
                s.rebuild_week(e, fixed_days[e])
        else:
            for e, d in ruin:
                s.replan(e, d)
        touched = sorted({d for _, d in ruin})
        # Settle what the kick touched: everyone on the touched days, or, after whole weeks
        # rebuilt by the weekly programme, only those people's days (everyone on every day was
        # a sweep of the whole roster per kick: 52 kicks in 7 s on the store, 238 now; on
        # nurse rosters, re-planned day by day, the wide settle stays: Curtois 7, 60 s, seeds
        # 0-2 ended 1.2-2.8% above the best known with the narrow one, 0.85-1.04% without).
        local = weekly and bool(who)
        around = ruin if local else [(e, d) for e, d in slots if d in touched]
        while time.perf_counter() < deadline:  # settle the days the kick touched
            gained = 0.0
            for e, d in around:
                gained += s.replan(e, d)
            if gained > -1e-6:
                break
        transfers(touched, sorted(who) if local else None)
        value = value_of(s)
        if value < current - 1e-6:
            current = value
            if value < best_value - 1e-6:
                best, best_value, stall = (s.shift.copy(), s.place.copy()), value, 0
                tell(value)
        else:
            restore(s, *snapshot)
    restore(s, *best)
    if exact_seconds > 0 and weekly and best_value > floor + 1e-6:
        exact_days(s, last, rng, fixed, lambda: value_of(s), tell, BIG / 2)
    if group_seconds > 0 and weekly and value_of(s) > floor + 1e-6:
        exact_groups(s, end, rng, fixed, lambda: value_of(s), tell, workers, floor)
    chosen = {int(i) for i in s.shift.ravel() if i >= 0}
    if breaks is not None:
        for e, d in zip(*np.nonzero(s.shift >= 0), strict=True):
            i, k = int(s.shift[e, d]), int(s.place[e, d])
            if cands[i].break_at >= 0:
                breaks[i] = int(s.b_start[k, i])
    return chosen
