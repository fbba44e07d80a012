"""Days re-solved exactly (solver._exact): a hand-checked day and random weeks.

The local search's last ``exact_seconds`` re-solve one day at a time with HiGHS, everyone's
other days fixed. Here the search itself gets no time (``seconds == exact_seconds``), so what
changes is the exact days' doing.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver import check_roster
from solver._greedy import greedy
from solver._local import improve
from tests.solver.test_rules import _door_post
from tests.solver.test_search import all_cands, cost, random_week, roster_of


def test_an_empty_day_is_re_solved_to_its_optimum_and_the_search_ends_early() -> None:
    # The door post (tests/solver/test_rules.py): with nobody rostered, 8 empty hours at 100.
    # The day's optimum is a's 8-hour shift (7 paid hours, 70) and its break hour empty (100):
    # 170; b (40 an hour, 4 hours at least) would cost more than the hole.
    p, cands = _door_post()
    assert cost(p, roster_of(p, cands, set())) == pytest.approx(800.0)
    told: list[float] = []
    places: dict[int, int] = {}
    started = time.perf_counter()
    picked = improve(
        p, cands, set(), 30.0, seed=0, report=told.append, breaks=places, exact_seconds=30.0
    )
    # one day, proved best: the search stops long before its 30 s
    assert time.perf_counter() - started < 15.0
    after = roster_of(p, cands, picked, places)
    assert cost(p, after) == pytest.approx(170.0)
    assert [p.employees[cands[i].employee].id for i in picked] == ["a"]
    assert told[-1] == pytest.approx(170.0)


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10_000), people=st.integers(1, 5), days=st.integers(2, 7))
def test_exact_days_never_break_a_rule_across_days_nor_make_a_roster_dearer(
    seed: int, people: int, days: int
) -> None:
    # Random weeks with rest (11 h), runs of days, days, weekend days and hours limits: a day
    # re-solved with the others fixed must leave out the shifts that would break a rule with
    # them (the relaxation it solves has none of rest and runs) and keep everything it prices
    # equal to the checker's price.
    p = random_week(seed, people, days)
    cands = all_cands(p)
    first = greedy(p, cands)
    start: dict[int, int] = {}
    improve(p, cands, first, seconds=0.0, seed=seed, breaks=start)
    before = roster_of(p, cands, first, start)
    end: dict[int, int] = {}
    told: list[float] = []
    # a locked shift (a frozen employee-day) stays as it is
    lock = min(first, default=None)
    frozen = set() if lock is None else {(cands[lock].employee, cands[lock].day)}
    picked = improve(
        p, cands, first, 2.0, seed, frozen, breaks=end, report=told.append, exact_seconds=2.0
    )
    assert lock is None or lock in picked
    after = roster_of(p, cands, picked, end)
    if check_roster(p, before) == ():
        assert check_roster(p, after) == ()
        assert cost(p, after) <= cost(p, before) + 1e-6
        assert cost(p, after) == pytest.approx(min(told), abs=1e-6)
