"""Days re-solved exactly (solver._exact): a hand-checked day.

The local search's last ``exact_seconds`` re-solve one day at a time with HiGHS, everyone's
other days fixed. Here the search itself gets no time (``seconds == exact_seconds``), so what
changes is the exact days' doing. Random weeks: ``tests/solver/test_search.py``.
"""

from __future__ import annotations

import time

import pytest

from solver._local import improve
from tests.solver.test_rules import _door_post
from tests.solver.test_search import cost, roster_of


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
