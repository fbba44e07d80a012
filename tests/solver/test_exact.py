"""Days re-solved exactly (solver._exact): a hand-checked day.

The local search's last ``exact_seconds`` re-solve one day at a time with HiGHS, everyone's
other days fixed. Here the search itself gets no time (``seconds == exact_seconds``), so what
changes is the exact days' doing. Random weeks: ``tests/solver/test_search.py``.
"""

from __future__ import annotations

import pytest

import solver._exact
from solver._local import improve
from tests.solver.test_rules import _door_post
from tests.solver.test_search import cost, roster_of


def test_an_empty_day_is_re_solved_to_its_optimum_and_the_search_ends_early(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The door post (tests/solver/test_rules.py): with nobody rostered, 8 empty hours at 100.
    # The day's optimum is a's 8-hour shift (7 paid hours, 70) and its break hour empty (100):
    # 170; b (40 an hour, 4 hours at least) would cost more than the hole.
    p, cands = _door_post()
    assert cost(p, roster_of(p, cands, set())) == pytest.approx(800.0)
    told: list[float] = []
    places: dict[int, int] = {}
    solves: list[tuple[int | None, bool]] = []  # (shifts per person tried, proved best)
    day = solver._exact._Program.day

    def counted(self: solver._exact._Program, *args: object, **kwargs: object) -> object:
        answer = day(self, *args, **kwargs)  # type: ignore[arg-type]
        solves.append((args[-1], answer is not None and answer[0]))  # type: ignore[index]
        return answer

    monkeypatch.setattr(solver._exact._Program, "day", counted)
    picked = improve(
        p, cands, set(), 30.0, seed=0, report=told.append, breaks=places, exact_seconds=30.0
    )
    # One day, proved best among each person's cheapest shifts, then among all of them: the
    # search stops there, not at its 30 s (it would keep re-solving the day until then).
    # Counting the re-solves, not the seconds, holds on any machine (timings are for bench/).
    assert solves == [(solver._exact._WIDTH, True), (None, True)]
    after = roster_of(p, cands, picked, places)
    assert cost(p, after) == pytest.approx(170.0)
    assert [p.employees[cands[i].employee].id for i in picked] == ["a"]
    assert told[-1] == pytest.approx(170.0)
