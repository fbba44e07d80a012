"""The first roster from whole rosters per person (``solver._columns``): column generation over
each person's own model, then a dive.

Its results depend on time limits (CP-SAT prices each person within one), so the tests check
what must hold whatever the timing: every rule kept, the LP's bound below every roster and
below a proven optimum, and on a tiny hand-checked week the optimum itself.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver import (
    Roster,
    RosterProblem,
    ShiftRequest,
    SolveSettings,
    check_roster,
    evaluate_roster,
    solve,
)
from solver._breaks import place_breaks
from solver._build import build_model
from solver._columns import column_roster
from solver._master import _covers, _Person
from solver.model import _column_share
from tests.solver.test_search import alone_week
from tests.solver.test_shift_types import cover, nurse, typed


def priced(p: RosterProblem, picked: set[int]) -> tuple[float, Roster]:
    ctx, _, _ = build_model(p, None, ())
    shifts = place_breaks(p, [ctx.cands[i] for i in sorted(picked)])
    roster = Roster(status="", assignments=shifts, objective=0.0)
    return sum(q.value for q in evaluate_roster(p, roster)), roster


def test_a_tiny_nurse_week_gets_its_optimum_and_a_bound_equal_to_it() -> None:
    """Two nurses, two days; an early and a late nurse needed each day (10 per one missing).
    ``a`` may work one day only and asks for day 0 off (weight 3); ``b`` asks not to work the
    late shift of day 1 (weight 2). At most three of the four shifts can be covered (a one,
    b one a day), even in fractions, so 10 is a bound; it is reached with ``a`` late on day 1,
    ``b`` early on day 1 and on either shift of day 0, every request met."""
    p = tiny_week()
    ctx, _, _ = build_model(p, None, ())
    found = column_roster(ctx, 5.0, 1)
    assert found.roster is not None
    cost, roster = priced(p, found.roster)
    assert check_roster(p, roster) == ()
    assert cost == pytest.approx(10.0)
    assert found.bound == pytest.approx(10.0, abs=0.01)
    assert found.bound <= cost + 1e-9


def tiny_week() -> RosterProblem:
    return typed(
        days=2,
        employees=(nurse("a", max_days=1), nurse("b")),
        shift_demands=tuple(cover(d, k, 1, 10.0) for d in range(2) for k in "EL"),
        requests=(
            ShiftRequest(employee_id="a", day=0, on=False, weight=3.0),
            ShiftRequest(employee_id="b", day=1, on=False, weight=2.0, shift_type="L"),
        ),
    )


def test_the_dive_holds_a_day_in_pricing_and_lets_it_go() -> None:
    """The dive holds a person's day to a shift or to a day off in their pricing model. In the
    tiny week, ``a`` held to the early shift of day 0 must work it, at the cost of their unmet
    request (the checker's figure), though the shift is worth nothing; held off day 0 they stay
    off it however much it is worth, and take the shift worth most on day 1 instead (they may
    work one day); let go, they take the day-0 shift worth most."""
    p = tiny_week()
    ctx, _, _ = build_model(p, None, ())
    shift = {
        (ctx.cands[i].day, ctx.cands[i].kind): i
        for i in ctx.by_emp_day[(0, 0)] + ctx.by_emp_day[(0, 1)]
    }
    a = _Person(ctx, 0)

    def cheapest(value: dict[int, float]) -> tuple[float, frozenset[int]]:
        optimal, rosters = a.price(value, 5.0)
        assert optimal
        return min(rosters, key=lambda r: r[0] - sum(value.get(i, 0.0) for i in r[1]))

    a.restrict({0: shift[(0, "E")], 1: -1})
    own, shifts = cheapest({})
    assert shifts == {shift[(0, "E")]}
    _, roster = priced(p, set(shifts))
    cover_terms = ("shift_under", "shift_over")
    assert own == pytest.approx(
        sum(q.value for q in evaluate_roster(p, roster) if not q.name.startswith(cover_terms))
    )
    worth = {shift[(0, "E")]: 50.0, shift[(0, "L")]: 40.0, shift[(1, "L")]: 30.0}
    a.restrict({0: -1})
    assert cheapest(worth)[1] == {shift[(1, "L")]}
    a.restrict({})
    assert cheapest(worth)[1] == {shift[(0, "E")]}


@pytest.mark.slow  # about 10 s: CP-SAT proves each of the 8 weeks in 1-3 s
@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_every_roster_keeps_the_rules_and_the_bound_stays_below_the_optimum(seed: int) -> None:
    """Random 3-day weeks with posts, over-staffing, convex shortfall per slot and cover per
    shift type: each person's rosters come from their own model with every rule on, and the
    LP's bound (when column generation ended) is at most the roster's cost and at most the
    cost of CP-SAT's roster (the optimum, once proved). A cover row priced with the wrong sign
    would break the bound."""
    rng = random.Random(seed)
    p = alone_week(rng, typed=True)
    ctx, _, _ = build_model(p, None, ())
    found = column_roster(ctx, 5.0, 1)
    assert found.roster is not None
    cost, roster = priced(p, found.roster)
    assert check_roster(p, roster) == ()
    assert found.bound <= cost + 1e-6
    best = solve(p, SolveSettings(time_limit_seconds=10, workers=1, seed=0, column_share=0))
    # CP-SAT proves these weeks optimal in 1-3 s. Stopped by its 10 s first on a slow machine,
    # its roster still keeps every rule, so its cost is at or above the optimum: the LP's bound
    # must stay under it either way, and CP-SAT's own bound under the column roster's cost.
    assert best.status in ("optimal", "feasible")
    assert check_roster(p, best) == ()
    assert found.bound <= best.objective + 1e-6
    assert best.lower_bound <= cost + 1e-6


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_cover_rows_price_a_whole_roster_as_the_checker_does(seed: int) -> None:
    """The LP's cover rows, at whole numbers of people: the k-th missing person at the k-th
    cost (cheapest first), posts and over-staffing per slot, under- and over-cover per shift
    type, must add up to the checker's cover penalties for any roster."""
    rng = random.Random(seed)
    p = alone_week(rng, typed=True)
    ctx, _, _ = build_model(p, None, ())
    picked = set()
    for (_, _), shifts in ctx.by_emp_day.items():
        if rng.random() < 0.6:
            picked.add(rng.choice(shifts))
    total = 0.0
    for row in _covers(ctx):
        c = sum(1 for i in row.members if i in picked)
        total += sum(row.units[: max(0, len(row.units) - c)])  # the cheapest missing first
        total += row.post_cost * max(0, row.minimum - c) + row.over_cost * max(0, c - row.need)
    _, roster = priced(p, picked)
    cover = ("shortfall", "post_shortfall", "overstaffing", "shift_under", "shift_over")
    checker = sum(q.value for q in evaluate_roster(p, roster) if q.name.startswith(cover))
    assert total == pytest.approx(checker)


def test_nurse_rosters_start_from_whole_rosters_and_stores_from_the_greedy_one() -> None:
    nurses = typed(
        days=2, employees=(nurse("a"), nurse("b")), shift_demands=(cover(0, "E", 1, 10.0),)
    )
    ctx, _, _ = build_model(nurses, None, ())
    assert _column_share(ctx, SolveSettings()) == 0.5
    assert _column_share(ctx, SolveSettings(column_share=0.2)) == 0.2
    # an explicit share of exact re-solves takes that path instead
    assert _column_share(ctx, SolveSettings(neighbourhood_share=0.5)) == 0.0
    store = alone_week(random.Random(1), typed=True)  # cover per slot as well
    ctx, _, _ = build_model(store, None, ())
    assert _column_share(ctx, SolveSettings()) == 0.0
