"""A few people's whole weeks re-solved exactly (solver._groups): hand-checked weeks.

The local search's last ``group_seconds`` re-solve groups of people with HiGHS, everyone else
fixed. Here the moves get no time (``seconds == group_seconds``), so what changes is the
groups' doing. Random weeks: ``tests/solver/test_search.py``.
"""

from __future__ import annotations

import pytest

import solver._groups
from solver import (
    RoleDemand,
    Roster,
    RosterProblem,
    ShiftRules,
    SolveSettings,
    Weights,
    check_roster,
    solve,
)
from solver._local import improve
from tests.solver.test_rules import _door_post
from tests.solver.test_search import DAY, all_cands, cost, person, roster_of, week


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each group solve's outcome (True: it found something cheaper), in order."""
    outcomes: list[bool] = []
    solve = solver._groups._solve

    def counted(*args: object) -> object:
        answer = solve(*args)  # type: ignore[arg-type]
        outcomes.append(answer is not None)
        return answer

    monkeypatch.setattr(solver._groups, "_solve", counted)
    return outcomes


def _groups_only(p: RosterProblem, monkeypatch: pytest.MonkeyPatch) -> tuple[list[bool], Roster]:
    """From an empty roster, only the groups' doing (the moves get no time): each group
    solve's outcome, and the roster it ends at, which must break no hard rule."""
    cands = all_cands(p)
    outcomes = _counted(monkeypatch)
    picked = improve(p, cands, set(), 30.0, seed=0, group_seconds=30.0)
    roster = roster_of(p, cands, picked)
    assert check_roster(p, roster) == ()
    return outcomes, roster


def test_an_empty_door_post_is_solved_whole_and_the_search_ends_when_groups_stall(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The door post (tests/solver/test_rules.py): with nobody rostered, 8 empty hours at 100.
    # Both people form one group, so its first solve is the whole problem's: a's 8-hour shift
    # (7 paid hours, 70) and its break hour empty (100), 170; b (40 an hour) would cost more
    # than the hole. Then every group is the same and finds nothing cheaper: after _STALL of
    # them the search ends, not at its 30 s (counting solves holds on any machine).
    p, cands = _door_post()
    assert cost(p, roster_of(p, cands, set())) == pytest.approx(800.0)
    outcomes = _counted(monkeypatch)
    told: list[float] = []
    places: dict[int, int] = {}
    picked = improve(
        p, cands, set(), 30.0, seed=0, report=told.append, breaks=places, group_seconds=30.0
    )
    assert outcomes == [True] + [False] * solver._groups._STALL
    after = roster_of(p, cands, picked, places)
    assert check_roster(p, after) == ()
    assert cost(p, after) == pytest.approx(170.0)
    assert [p.employees[cands[i].employee].id for i in picked] == ["a"]
    assert told[-1] == pytest.approx(170.0)


def test_a_group_keeps_the_rest_rule_between_days(monkeypatch: pytest.MonkeyPatch) -> None:
    # One person, two days, 11 h of rest: the evening of day 1 (20-24) and the morning of day 2
    # (24-28) each want someone, an hour short costs 25 and a wage hour 10. Both shifts (80)
    # would break the rest rule, which the relaxation's model leaves out: the group's own rows
    # between days keep one peak and leave the other short, 40 + 4 x 25 = 140. (Without them
    # the group's answer breaks the rule, the search's price refuses it, and the empty roster
    # stays at 200.)
    need = dict.fromkeys(range(20, 24), 1) | dict.fromkeys(range(24, 28), 1)
    rules = ShiftRules(min_length_slots=4, max_length_slots=4, min_rest_slots=11)
    p = week(need, (person("a"),), days=2, rules=rules)
    outcomes, roster = _groups_only(p, monkeypatch)
    assert outcomes[0] is True
    assert cost(p, roster) == pytest.approx(40 + 4 * 25)


def test_a_locked_shift_stays_in_its_group() -> None:
    # Two people, two days, a peak 8-12 each day; a's shift at 18-22 on day 1 is locked (a
    # frozen employee-day), the rest of a's week is free, so a is in the groups. They may not
    # drop or move that shift: b takes day 1's peak, a keeps 18-22, and someone takes day 2's.
    need = dict.fromkeys(range(8, 12), 1) | dict.fromkeys(range(32, 36), 1)
    p = week(need, (person("a"), person("b")), days=2)
    cands = all_cands(p)
    late = next(i for i, c in enumerate(cands) if c.employee == 0 and c.start == 18)
    picked = improve(p, cands, {late}, 30.0, seed=0, frozen={(0, 0)}, group_seconds=30.0)
    assert late in picked
    roster = roster_of(p, cands, picked)
    assert check_roster(p, roster) == ()
    assert cost(p, roster) == pytest.approx(3 * 40)
    assert sorted(cands[i].start for i in picked if cands[i].employee == 1)[:1] == [8]


def test_cover_missed_where_nobody_may_work_does_not_end_the_groups(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Four cashiers over two days, and a queue "x" that wants 20 people all day that nobody
    # may work: most of the cover missed is there. Groups formed around those slots had no one
    # to take and the phase ended after 0-1 solves (helper-39); now only queues with someone
    # free count, so it runs until groups stall, at the optimum solve() proves.
    req = tuple(2 if 8 <= t % DAY < 20 else 0 for t in range(2 * DAY))
    x = tuple(20 if 8 <= t % DAY < 20 else 0 for t in range(2 * DAY))
    p = RosterProblem(
        days=2,
        slot_minutes=60,
        roles=("cashier", "x"),
        demands=(
            RoleDemand(role="cashier", required=req),
            RoleDemand(role="x", required=x),
        ),
        employees=tuple(person(f"e{i}") for i in range(4)),
        shift_rules=ShiftRules(min_length_slots=4, max_length_slots=8),
        weights=Weights(shortfall=25.0, fairness_weekend=0, fairness_hours=0, contract_minimum=0),
    )
    outcomes, roster = _groups_only(p, monkeypatch)
    assert len(outcomes) > solver._groups._STALL
    best = solve(p, SolveSettings(time_limit_seconds=10, workers=1, seed=0))
    assert best.status == "optimal"
    assert cost(p, roster) == pytest.approx(best.objective)


def test_a_group_that_fails_keeps_its_shifts_and_the_roster_survives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The door post again: the first group solves it (170); the second one's solver fails.
    # The error stays with that group: the roster of the first is returned, and the search
    # goes on to its stall.
    p, cands = _door_post()
    solve_group = solver._groups._solve
    calls: list[int] = []

    def failing(*args: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("HiGHS failed")
        return solve_group(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(solver._groups, "_solve", failing)
    places: dict[int, int] = {}
    picked = improve(p, cands, set(), 30.0, seed=0, breaks=places, group_seconds=30.0)
    assert cost(p, roster_of(p, cands, picked, places)) == pytest.approx(170.0)
    assert len(calls) == 1 + solver._groups._STALL


def test_groups_keep_the_longest_run_of_days_and_are_not_refused_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One person, five days, a peak 8-12 each day, at most 2 days in a row. The relaxation has
    # no runs of days: without the group's own rows its answer works all five, the search's
    # price refuses it every time and the roster stays empty (5 x 100). With them: days 1, 2,
    # 4, 5 (4 x 40) and day 3 short (100).
    need = {d * DAY + t: 1 for d in range(5) for t in range(8, 12)}
    p = week(need, (person("a", max_consecutive_days=2),), days=5)
    outcomes, roster = _groups_only(p, monkeypatch)
    assert outcomes[0] is True
    assert cost(p, roster) == pytest.approx(4 * 40 + 4 * 25)
