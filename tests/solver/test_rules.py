"""One tiny hand-checked instance per rule family, with its exact penalty (1 worker, fixed seed).

Hourly slots (``slot_minutes=60``) keep the arithmetic visible: a slot is an hour.
"""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver import (
    Assignment,
    BreakRule,
    Employee,
    LockedShift,
    RoleDemand,
    Roster,
    RosterProblem,
    ShiftRequest,
    ShiftRules,
    SolveSettings,
    Weights,
    check_roster,
    evaluate_roster,
    resolve,
    solve,
)
from solver._candidates import Candidate, candidates_for

ONE = SolveSettings(time_limit_seconds=10, workers=1, seed=0)
DAY = 24


def demand(role: str, days: int, hours: dict[int, int], **kw: object) -> RoleDemand:
    """``hours`` maps global slot -> people required."""
    req = [0] * (days * DAY)
    for t, n in hours.items():
        req[t] = n
    return RoleDemand(role=role, required=tuple(req), **kw)  # type: ignore[arg-type]


def problem(
    *,
    days: int = 1,
    employees: tuple[Employee, ...],
    demands: tuple[RoleDemand, ...],
    rules: ShiftRules | None = None,
    **kw: object,
) -> RosterProblem:
    return RosterProblem(
        days=days,
        slot_minutes=60,
        roles=tuple(sorted({d.role for d in demands} | {r for e in employees for r in e.roles})),
        demands=demands,
        employees=employees,
        shift_rules=rules or ShiftRules(min_length_slots=4, max_length_slots=4),
        weights=kw.pop("weights", Weights(shortfall=5.0, fairness_weekend=0, fairness_hours=0)),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def emp(
    eid: str, cost: float = 10.0, roles: tuple[str, ...] = ("cashier",), **kw: object
) -> Employee:
    return Employee(id=eid, name=eid, roles=roles, hourly_cost=cost, **kw)  # type: ignore[arg-type]


def test_coverage_worth_a_wage_is_staffed() -> None:
    # 4 hours needed at 20/h shortfall vs a 10/h wage: work 09-13, cost 40, nothing short
    p = problem(
        employees=(emp("a"),),
        demands=(demand("cashier", 1, dict.fromkeys(range(9, 13), 1)),),
        weights=Weights(shortfall=20.0, fairness_weekend=0, fairness_hours=0),
    )
    r = solve(p, ONE)
    assert [(a.start_slot, a.end_slot) for a in r.assignments] == [(9, 13)]
    assert r.objective == pytest.approx(40.0)
    assert r.status == "optimal"
    assert check_roster(p, r) == ()


def test_overstaffing_beyond_the_number_of_shift_patterns_is_priced_not_forbidden() -> None:
    # three people must each work the only 09-13 shift (hard minimum 4 h); 1 is needed, so 2
    # are over for 4 hours at 1.5/h: over-staffing 12, wages 120. (The over-staffing count was
    # once capped at the number of distinct shifts covering a slot, here 1, which made every
    # such roster infeasible; the contact center's greedy first roster was rejected that way.)
    rules = ShiftRules(start_slots=(9,), min_length_slots=4, max_length_slots=4)
    p = problem(
        employees=tuple(emp(e, hard_min_minutes=240) for e in "abc"),
        demands=(demand("cashier", 1, dict.fromkeys(range(9, 13), 1), over_cost=1.5),),
        rules=rules,
    )
    r = solve(p, ONE)
    assert r.status == "optimal"
    assert len(r.assignments) == 3
    assert r.penalty("overstaffing") == pytest.approx(12.0)
    assert r.objective == pytest.approx(132.0)
    assert check_roster(p, r) == ()


def test_coverage_cheaper_than_a_wage_is_left_short() -> None:
    # shortfall 5/h < wage 10/h: nobody works, 4 person-hours short cost 20
    p = problem(
        employees=(emp("a"),), demands=(demand("cashier", 1, dict.fromkeys(range(9, 13), 1)),)
    )
    r = solve(p, ONE)
    assert r.assignments == ()
    assert r.penalty("shortfall") == pytest.approx(20.0)
    assert [(s.start_slot, s.end_slot, s.missing) for s in r.shortfalls] == [(9, 13, 1)]


def test_convex_shortfall_prices_the_first_missing_person_lowest() -> None:
    # two needed, one available; the 1st missing person costs 3/h, the 2nd 50/h: one works,
    # the remaining shortage costs 4 x 3 = 12
    costs = tuple((3.0, 50.0) if 9 <= t < 13 else () for t in range(DAY))
    d = demand("cashier", 1, dict.fromkeys(range(9, 13), 2), shortfall_costs=costs)
    r = solve(problem(employees=(emp("a"),), demands=(d,)), ONE)
    assert len(r.assignments) == 1
    assert r.penalty("shortfall") == pytest.approx(12.0)


def test_fixed_post_without_anyone_to_fill_it() -> None:
    mins = tuple(1 if 9 <= t < 17 else 0 for t in range(DAY))
    d = RoleDemand(role="supervisor", required=(0,) * DAY, minimum=mins)
    p = problem(
        employees=(emp("a"),),
        demands=(d,),
        weights=Weights(post_shortfall=100.0, fairness_weekend=0, fairness_hours=0),
    )
    r = solve(p, ONE)
    assert r.penalty("post_shortfall") == pytest.approx(800.0)
    assert [(s.role, s.missing, s.end_slot - s.start_slot) for s in r.shortfalls] == [
        ("supervisor", 1, 8)
    ]


def test_availability_keeps_a_person_out() -> None:
    d = demand("cashier", 1, dict.fromkeys(range(9, 13), 1))
    p = problem(
        employees=(emp("a", available=((13, 20),)),),
        demands=(d,),
        weights=Weights(shortfall=50.0, fairness_weekend=0, fairness_hours=0),
    )
    r = solve(p, ONE)
    assert all(a.start_slot >= 13 for a in r.assignments)
    assert r.penalty("shortfall") == pytest.approx(200.0)


def test_max_paid_hours() -> None:
    # needed 09-13 on both days, the only person may be paid 4 h: one day stays short
    d = demand("cashier", 2, {**dict.fromkeys(range(9, 13), 1), **dict.fromkeys(range(33, 37), 1)})
    p = problem(
        days=2,
        employees=(emp("a", max_minutes=240),),
        demands=(d,),
        weights=Weights(shortfall=20.0, fairness_weekend=0, fairness_hours=0),
    )
    r = solve(p, ONE)
    assert len(r.assignments) == 1
    assert r.penalty("shortfall") == pytest.approx(80.0)


def test_model_prices_per_minute_terms_exactly() -> None:
    """Hours off target (0.5 an hour), overtime (12.35 x 0.5 an hour) and the contract minimum
    (50 an hour) are priced per minute: 0.83, 10.29 and 83.3 cents. The model's objective must
    equal the checker's to the cent, or the search optimises another objective than the one
    reported (whole cents priced the first 20% high)."""
    from solver.rules._context import objective_scale

    assert objective_scale([0.5 / 60]) == 600  # 5 units a minute
    assert objective_scale([12.35 * 0.5 / 60, 1.0]) == 2400
    assert objective_scale([3.0, 0.25]) == 100

    d = demand("cashier", 1, dict.fromkeys(range(9, 15), 1))
    person = emp("a", cost=12.35, target_minutes=7 * 60, min_minutes=5 * 60, max_minutes=6 * 60)
    weights = Weights(
        shortfall=40.0,
        fairness_weekend=0,
        fairness_hours=0.5,
        overtime_after_minutes=4 * 60 + 20,
        contract_minimum=50.0,
    )
    rules = ShiftRules(min_length_slots=4, max_length_slots=6)
    p = problem(employees=(person,), demands=(d,), rules=rules, weights=weights)
    r = solve(p, ONE)
    # 6 h: wage 74.10, 100 min of overtime at 0.1029 (10.29), 1 h off target (0.50)
    assert r.objective == pytest.approx(74.1 + 100 * 12.35 * 0.5 / 60 + 0.5)
    assert r.model_objective == pytest.approx(r.objective, abs=1e-6)
    # 4 h: also short 2 h (80), 1 h below the minimum (50), 3 h off target (1.50)
    short = replace(p, shift_rules=ShiftRules(min_length_slots=4, max_length_slots=4))
    r = solve(short, ONE)
    assert r.objective == pytest.approx(4 * 12.35 + 80 + 50 + 1.5)
    assert r.model_objective == pytest.approx(r.objective, abs=1e-6)


def test_rest_between_shifts() -> None:
    # a locked 18-22 shift on day 0 and need 06-10 on day 1: the earliest start after 11 h rest
    # is 09:00, which covers one of the four needed hours (worth 50 against a 40 wage)
    d = demand("cashier", 2, dict.fromkeys(range(DAY + 6, DAY + 10), 1))
    lock = LockedShift(employee_id="a", day=0, start_slot=18, end_slot=22, role="cashier")
    rules = ShiftRules(min_length_slots=4, max_length_slots=4, min_rest_slots=11)
    p = problem(
        days=2,
        employees=(emp("a"),),
        demands=(d,),
        rules=rules,
        locked=(lock,),
        weights=Weights(shortfall=50.0, fairness_weekend=0, fairness_hours=0),
    )
    r = solve(p, ONE)
    assert [(a.day, a.start_slot) for a in r.assignments] == [(0, 18), (1, DAY + 9)]
    assert r.penalty("shortfall") == pytest.approx(150.0)
    assert check_roster(p, r) == ()


def test_locked_shift_against_the_rest_rule_is_named() -> None:
    locks = (
        LockedShift(employee_id="a", day=0, start_slot=18, end_slot=22, role="cashier"),
        LockedShift(employee_id="a", day=1, start_slot=DAY + 6, end_slot=DAY + 10, role="cashier"),
    )
    rules = ShiftRules(min_length_slots=4, max_length_slots=4, min_rest_slots=11)
    p = problem(
        days=2,
        employees=(emp("a"),),
        demands=(demand("cashier", 2, {}),),
        rules=rules,
        locked=locks,
    )
    r = solve(p, ONE)
    assert r.status == "rules_conflict"
    assert len(r.conflicts) == 1
    assert "rest of 11 h" in r.conflicts[0]
    assert "locked shift" in r.conflicts[0]


def _rest_across_a_day_off() -> RosterProblem:
    """12-h shifts, 14 h of rest: needed 23:00-11:00 from day 0 and 00:00-12:00 on day 2, so
    both shifts at those hours rest only 13 h across day 1 off."""
    hours = {**dict.fromkeys(range(23, 35), 1), **dict.fromkeys(range(2 * DAY, 2 * DAY + 12), 1)}
    return problem(
        days=3,
        employees=(emp("a"),),
        demands=(demand("cashier", 3, hours),),
        rules=ShiftRules(min_length_slots=12, max_length_slots=12, min_rest_slots=14),
        weights=Weights(shortfall=50.0, fairness_weekend=0, fairness_hours=0),
    )


def test_rest_across_a_day_off() -> None:
    # both shifts (wages 240) with one needed hour left out for the rest: 22-34 then 48-60, or
    # 23-35 then 49-61; 50 short. Nothing cheaper may be reported on the way: the greedy
    # roster (23-35 and 48-60, 240) breaks the rest.
    p = _rest_across_a_day_off()
    seen: list[float] = []
    settings = replace(ONE, on_solution=lambda v, _: seen.append(v))
    r = solve(p, settings)
    assert r.status == "optimal"
    assert check_roster(p, r) == ()
    first, second = r.assignments
    assert second.start_slot - first.end_slot == 14
    assert r.penalty("shortfall") == pytest.approx(50.0)
    assert r.objective == pytest.approx(290.0)
    assert r.model_objective == pytest.approx(290.0)
    assert seen
    assert min(seen) >= 290.0 - 1e-6


def test_local_search_counts_rest_across_a_day_off() -> None:
    from solver._search import BIG, Search, value_of

    p = _rest_across_a_day_off()
    cands = candidates_for(p, 0)
    at = {(c.day, c.start): i for i, c in enumerate(cands)}
    s = Search(p, cands)
    s.assign(0, 0, at[(0, 23)])
    s.assign(0, 2, at[(2, 2 * DAY)])
    for row in range(len(s.req)):
        s.refresh(row)
    assert s.rest_breaks(0) == 1
    assert value_of(s) == pytest.approx(BIG + 240.0)
    # re-planning day 2 prices its shifts starting before 01:00 (13 h of rest) at BIG
    g, cost, _ = s.options(0, 2)
    starts = [cands[i].start - 2 * DAY for i in g]
    assert [x for x, c in zip(starts, cost, strict=True) if c >= BIG / 2] == [0]
    s.assign(0, 0, at[(0, 22)])
    assert s.rest_breaks(0) == 0
    assert value_of(s) < BIG / 2


def test_hours_off_target_beyond_a_week() -> None:
    # 14 days: a is away throughout with a target of 200 h (12,000 min), 200 h off target at
    # 0.5 = 100; b must work 15 h a day (hard minimum 210 h; wages 2,100) against a target of
    # 0: 210 h off it, 105. Either is more than the 168 h a week holds.
    rules = ShiftRules(start_slots=(6,), min_length_slots=15, max_length_slots=15)
    b = emp(
        "b",
        hard_min_minutes=14 * 900,
        max_minutes=14 * 900,
        max_days=14,
        max_consecutive_days=14,
        max_weekend_days=14,
        target_minutes=0,
    )
    p = problem(
        days=14,
        employees=(emp("a", available=(), target_minutes=12_000), b),
        demands=(demand("cashier", 14, {}),),
        rules=rules,
        weights=Weights(overtime_premium=0, fairness_weekend=0, fairness_hours=0.5),
    )
    r = solve(p, ONE)
    assert r.status == "optimal"
    assert len(r.assignments) == 14
    assert r.penalty("fairness_hours") == pytest.approx(205.0)
    assert r.objective == pytest.approx(2_305.0)
    assert r.model_objective == pytest.approx(2_305.0)


def test_max_weekend_days() -> None:
    # day 0 is Saturday: needed Sat and Sun, at most one weekend day
    d = demand("cashier", 2, {**dict.fromkeys(range(9, 13), 1), **dict.fromkeys(range(33, 37), 1)})
    p = problem(
        days=2,
        employees=(emp("a", max_weekend_days=1),),
        demands=(d,),
        start_weekday=5,
        weights=Weights(shortfall=20.0, fairness_weekend=0, fairness_hours=0),
    )
    r = solve(p, ONE)
    assert len(r.assignments) == 1
    assert r.penalty("shortfall") == pytest.approx(80.0)


def test_break_is_unpaid_and_inside_its_window() -> None:
    # an 8 h shift (> 6 h) gets a 1 h break 3-5 h after the start: 7 paid hours
    d = demand("cashier", 1, dict.fromkeys(range(9, 17), 1))
    rules = ShiftRules(
        min_length_slots=8,
        max_length_slots=8,
        break_rule=BreakRule(
            min_shift_slots=6, length_slots=1, window_start_slots=3, window_end_slots=5
        ),
    )
    p = problem(
        employees=(emp("a"),),
        demands=(d,),
        rules=rules,
        weights=Weights(shortfall=20.0, fairness_weekend=0, fairness_hours=0),
    )
    r = solve(p, ONE)
    (a,) = r.assignments
    assert a.break_start is not None
    assert 12 <= a.break_start <= 14
    assert a.paid_slots == 7
    assert r.penalty("wage") == pytest.approx(70.0)
    assert r.penalty("shortfall") == pytest.approx(20.0)  # the break hour is uncovered
    assert check_roster(p, r) == ()


def test_a_break_never_ends_the_shift() -> None:
    """A 5 h shift with a 1 h break allowed 3-4 h in: the break ends at the latest an hour
    before the shift (a break 4-5 h in is a 4 h shift under another name, and it had been
    placed there: fuzz review)."""
    d = demand("cashier", 1, dict.fromkeys(range(9, 14), 1))
    rules = ShiftRules(
        min_length_slots=5,
        max_length_slots=5,
        start_slots=(9,),
        break_rule=BreakRule(
            min_shift_slots=4, length_slots=1, window_start_slots=3, window_end_slots=4
        ),
    )
    p = problem(
        employees=(emp("a"),),
        demands=(d,),
        rules=rules,
        weights=Weights(shortfall=20.0, fairness_weekend=0, fairness_hours=0),
    )
    (c,) = [c for c in candidates_for(p, 0) if c.start == 9]
    assert list(c.break_starts()) == [12]  # 12:00-13:00, then an hour of work
    r = solve(p, ONE)
    (a,) = r.assignments
    assert (a.break_start, a.break_end) == (12, 13)
    late = replace(r, assignments=(replace(a, break_start=13, break_end=14),))
    (v,) = check_roster(p, late)
    assert v.rule == "break"
    assert "ends the shift" in v.message


def test_breaks_of_identical_shifts_are_staggered_by_the_model() -> None:
    # Two people, 8 h shifts 9-17 only, a 1 h break 3-5 h in; one cashier needed 9-17 and a
    # missing hour costs 100. Two shifts with their breaks at different hours cover every hour:
    # wage 2 x 70 = 140. With both breaks at one place (the window's middle) the best is one
    # person and the break hour short: 70 + 100 = 170. The model chooses the places itself.
    d = demand("cashier", 1, dict.fromkeys(range(9, 17), 1))
    rules = ShiftRules(
        min_length_slots=8,
        max_length_slots=8,
        start_slots=(9,),
        break_rule=BreakRule(
            min_shift_slots=6, length_slots=1, window_start_slots=3, window_end_slots=5
        ),
    )
    p = problem(
        employees=(emp("a"), emp("b")),
        demands=(d,),
        rules=rules,
        weights=Weights(shortfall=100.0, fairness_weekend=0, fairness_hours=0),
    )
    r = solve(p, ONE)
    assert r.status == "optimal"
    assert r.objective == pytest.approx(140.0)
    assert r.penalty("shortfall") == pytest.approx(0.0)
    assert len({a.break_start for a in r.assignments}) == 2
    assert r.lower_bound == pytest.approx(140.0)
    assert check_roster(p, r) == ()


def test_day_off_request_is_honoured_when_it_costs_less() -> None:
    d = demand("cashier", 1, dict.fromkeys(range(9, 13), 1))
    req = ShiftRequest(employee_id="a", day=0, on=False, weight=100.0)
    p = problem(
        employees=(emp("a"), emp("b", cost=12.0)),
        demands=(d,),
        requests=(req,),
        weights=Weights(shortfall=20.0, fairness_weekend=0, fairness_hours=0),
    )
    r = solve(p, ONE)
    assert [a.employee_id for a in r.assignments] == ["b"]
    assert r.penalty("requests") == 0.0


def test_resolve_after_an_absence_changes_only_what_it_must() -> None:
    hours = {**dict.fromkeys(range(9, 13), 1), **dict.fromkeys(range(33, 37), 1)}
    d = demand("cashier", 2, hours)
    base = problem(
        days=2,
        employees=(emp("a"), emp("b", cost=11.0)),
        demands=(d,),
        weights=Weights(shortfall=20.0, fairness_weekend=0, fairness_hours=0),
    )
    published = solve(base, ONE)
    assert {a.employee_id for a in published.assignments} == {"a"}
    absent = replace(base.employees[0], available=((0, DAY),))  # a is off sick on day 1
    changed = replace(base, employees=(absent, base.employees[1]))
    r = resolve(changed, published, ONE)
    kept = {(a.employee_id, a.day) for a in r.assignments}
    assert kept == {("a", 0), ("b", 1)}
    # a's day-1 shift removed and b's added: two (employee, day) changes, 20 each
    assert r.penalty("changes") == pytest.approx(40.0)


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    people=st.integers(1, 4),
    days=st.integers(1, 3),
)
def test_random_instances_break_no_hard_rule(seed: int, people: int, days: int) -> None:
    import random

    rng = random.Random(seed)
    hours = {t: rng.randint(0, 3) for t in range(days * DAY) if 7 <= t % DAY < 21}
    emps = tuple(
        emp(
            f"e{i}",
            cost=rng.choice([9.0, 10.0, 12.0]),
            max_minutes=rng.choice([240, 480, 960]),
            max_days=rng.randint(1, days),
            roles=("cashier",),
        )
        for i in range(people)
    )
    rules = ShiftRules(
        min_length_slots=4,
        max_length_slots=8,
        min_rest_slots=11,
        break_rule=BreakRule(
            min_shift_slots=6, length_slots=1, window_start_slots=3, window_end_slots=4
        ),
        closing_from_slot=19,
    )
    fair = rng.choice([0.0, 3.0])  # closing shifts spread, or not priced
    p = problem(
        days=days,
        employees=emps,
        demands=(demand("cashier", days, hours),),
        rules=rules,
        weights=Weights(
            shortfall=15.0, fairness_closing=fair, free_closing_shifts=rng.randint(0, 1)
        ),
    )
    seen: list[float] = []
    r = solve(
        p,
        SolveSettings(
            time_limit_seconds=5, workers=1, seed=0, on_solution=lambda v, _: seen.append(v)
        ),
    )
    assert check_roster(p, r) == ()
    assert r.objective == pytest.approx(sum(x.value for x in evaluate_roster(p, r)))
    # the CP-SAT model's own objective against the checker's: every price is whole at its scale
    assert r.model_objective is not None
    assert r.model_objective == pytest.approx(r.objective, abs=1e-6)
    assert r.lower_bound <= r.objective + 1e-6
    # never dearer than any roster reported on the way (the local search's, CP-SAT's)
    assert seen
    assert r.objective <= min(seen) + 0.01 * (len(r.penalties) + 1)


def _door_post() -> tuple[RosterProblem, list[Candidate]]:
    """A greeter at the door 8:00-16:00: a's 8-hour shift has a break the post misses unless
    dear b comes for 4 hours. Whole shifts: 70 + 100 for the hole; the LP, spreading a's
    break over its window and filling the fractions of holes with fractions of b's shifts,
    110."""
    mins = tuple(1 if 8 <= t < 16 else 0 for t in range(DAY))
    p = problem(
        employees=(emp("a", roles=("greeter",)), emp("b", cost=40.0, roles=("greeter",))),
        demands=(RoleDemand(role="greeter", required=(0,) * DAY, minimum=mins),),
        rules=ShiftRules(
            min_length_slots=4,
            max_length_slots=8,
            break_rule=BreakRule(
                min_shift_slots=6, length_slots=1, window_start_slots=2, window_end_slots=5
            ),
        ),
        weights=Weights(post_shortfall=100.0, fairness_weekend=0, fairness_hours=0),
    )
    return p, [c for e in range(2) for c in candidates_for(p, e)]


def test_mip_bound_lies_between_the_lp_bound_and_the_optimum() -> None:
    from solver.bound import lp_bound, mip_bound

    p, cands = _door_post()
    r = solve(p, ONE)
    assert r.status == "optimal"
    low = lp_bound(p, cands, 10)
    bound, value = mip_bound(p, cands, 10)
    assert r.objective == pytest.approx(170.0)
    assert low < r.objective - 1  # a case where whole shifts matter
    assert bound == pytest.approx(r.objective)  # no rule here that the relaxation drops
    assert value == pytest.approx(r.objective)


def test_the_day_bound_sees_whole_people_at_a_post_over_a_week() -> None:
    # The door post on three days; a (10 an hour) may work two of them, a week row the day
    # bound prices with the LP's duals. The optimum: a's 8-hour shift on two days (7 paid hours,
    # 70, and the break hole, 100) and b's on the third (7 x 40 = 280, and its hole): 720. The
    # LP, with fractions of people covering fractions of breaks, says 540; whole shifts a day
    # add 60 a day and reach the optimum.
    from solver._days import day_bound
    from solver.bound import lp_bound

    p, _ = _door_post()
    three = replace(
        p,
        days=3,
        demands=tuple(
            replace(d, required=d.required * 3, minimum=d.minimum * 3) for d in p.demands
        ),
        employees=(replace(p.employees[0], max_days=2), p.employees[1]),
    )
    cands = [c for e in range(2) for c in candidates_for(three, e)]
    best = solve(three, ONE)
    assert best.status == "optimal"
    assert best.objective == pytest.approx(720.0)
    assert lp_bound(three, cands, 10) == pytest.approx(540.0)
    seen: list[float] = []
    bound = day_bound(three, cands, 10, time.perf_counter() + 10, seen.append)
    assert seen == pytest.approx([540.0, 600.0, 660.0, 720.0])  # the LP's, then day by day
    assert bound == pytest.approx(720.0)


def test_the_solve_bound_takes_whole_shifts_only_beside_the_local_search() -> None:
    # The bound computed on a thread during a solve: the days' whole-shift problems while the
    # local search leaves it time on the other core (here it reaches the optimum), else the
    # LP's.
    from solver.model import _Background

    p, cands = _door_post()
    best = solve(p, ONE).objective
    now = time.perf_counter()
    beside = _Background(p, cands, 60.0, False, now + 30)
    assert beside.result() == pytest.approx(best)
    alone = _Background(p, cands, 60.0, False, now)
    assert alone.result() < best - 1


def test_the_solve_waits_a_little_for_its_first_bound_but_not_for_better_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a machine busy with other work the bound's thread may not have proved anything by the
    deadline (the store's LP, load 5 on 2 cores): the result waits for the first bound a little
    longer, where it had reported none; a bound already proved is taken at once."""
    from solver.model import _Background

    def slow(self: _Background) -> None:
        time.sleep(0.3)
        self._better(7.0)
        time.sleep(30)  # a better bound that never comes in time
        self._better(9.0)

    monkeypatch.setattr(_Background, "_work", slow)
    p, cands = _door_post()
    now = time.perf_counter()
    assert _Background(p, cands, 60.0, False, now).result(now + 0.05) == 0.0
    now = time.perf_counter()
    assert _Background(p, cands, 60.0, False, now).result(now + 0.05, now + 5) == 7.0
    assert time.perf_counter() - now < 2  # not the better bound's 30 s
    first = _Background(p, cands, 60.0, False, now)
    time.sleep(0.5)
    started = time.perf_counter()
    assert first.result(started + 0.05, started + 5) == 7.0
    assert time.perf_counter() - started < 0.3


def test_resolve_hint_puts_a_moved_lock_in_place_of_the_published_shift() -> None:
    """A published 09-13 shift edited to 10-14 and kept: the re-solve's first roster holds the
    locked shift alone that day. Beside the published one it was two shifts a day, which
    CP-SAT rejected as a hint: a 5-s re-solve of the store then changed 37-43 of 149 shifts."""
    from solver._build import build_model
    from solver.model import _hint

    base = problem(
        employees=(emp("a"),),
        demands=(demand("cashier", 1, dict.fromkeys(range(9, 13), 1)),),
        weights=Weights(shortfall=20.0, fairness_weekend=0, fairness_hours=0),
    )
    published = solve(base, ONE)
    assert [(a.start_slot, a.end_slot) for a in published.assignments] == [(9, 13)]
    lock = LockedShift(employee_id="a", day=0, start_slot=10, end_slot=14, role="cashier")
    edited = replace(base, locked=(lock,))
    ctx, _, _ = build_model(edited, published, (0,))
    picked, _, _ = _hint(ctx, ONE, published)
    assert [(ctx.cands[i].start, ctx.cands[i].end) for i in picked] == [(10, 14)]
    r = resolve(edited, published, ONE)
    assert [(a.start_slot, a.end_slot) for a in r.assignments] == [(10, 14)]


def test_resolve_hint_drops_the_fewest_shifts_of_someone_a_hand_edit_overworks() -> None:
    """A sixth day locked by hand for someone allowed five: the re-solve's first roster leaves
    out the one published day least needed, not the whole week (CP-SAT then rebuilt it: a 5-s
    re-solve of the store changed all six of a supervisor's days)."""
    from solver import Assignment, Roster
    from solver._build import build_model
    from solver.model import _hint

    needed = {d * DAY + h: 1 for d in (0, 1, 3, 4, 5) for h in range(9, 13)}  # not Wednesday
    base = problem(
        days=7,
        employees=(emp("a", max_days=5),),
        demands=(demand("cashier", 7, needed),),
        weights=Weights(shortfall=20.0, fairness_weekend=0, fairness_hours=0),
    )
    published = Roster(
        status="published",
        assignments=tuple(
            Assignment(
                employee_id="a",
                day=d,
                start_slot=d * DAY + 9,
                end_slot=d * DAY + 13,
                role="cashier",
            )
            for d in range(5)
        ),  # fmt: skip
        objective=0.0,
    )
    lock = LockedShift(employee_id="a", day=5, start_slot=5 * DAY + 9, end_slot=5 * DAY + 13,
                       role="cashier")  # fmt: skip
    edited = replace(base, locked=(lock,))
    ctx, _, _ = build_model(edited, published, (0,))
    picked, _, _ = _hint(ctx, ONE, published)
    assert sorted(ctx.cands[i].day for i in picked) == [0, 1, 3, 4, 5]
    # out of time (each trial prices the whole roster): the person's unlocked shifts all go
    from solver.model import _published, _with_locks, _without_breakers

    start = _with_locks(ctx, _published(ctx, published))[0]
    assert sorted(ctx.cands[i].day for i in _without_breakers(ctx, start, until=0.0)) == [5]


def test_checker_names_an_overlap_as_an_overlap() -> None:
    """Hand edits can make shifts overlap: 'rests only -2 h' read as nonsense."""
    from solver import Assignment, Roster

    p = problem(days=2, employees=(emp("a"),), demands=(demand("cashier", 2, {}),))
    shifts = (
        Assignment(employee_id="a", day=0, start_slot=20, end_slot=28, role="cashier"),
        Assignment(employee_id="a", day=1, start_slot=26, end_slot=30, role="cashier"),
    )
    found = check_roster(p, Roster(status="edited", assignments=shifts, objective=0.0))
    rest = [v.message for v in found if v.rule == "rest"]
    assert rest == ["a's shift at Tue 02:00 overlaps the one before by 2 h"]


def test_closing_shifts_beyond_the_free_ones_are_priced() -> None:
    """One cashier closes 17:00-21:00 on three days (a shift ending at 21:00 or later closes):
    one beyond the two free ones, at 7."""
    p = problem(
        days=3,
        employees=(emp("a", cost=1.0),),
        demands=(demand("cashier", 3, {t: 1 for d in range(3) for t in range(d * DAY + 17,
                                                                               d * DAY + 21)}),),
        rules=ShiftRules(min_length_slots=4, max_length_slots=4, closing_from_slot=21),
        weights=Weights(shortfall=20.0, fairness_weekend=0, fairness_hours=0,
                        fairness_closing=7.0, free_closing_shifts=2),
    )  # fmt: skip
    r = solve(p, ONE)
    assert len(r.assignments) == 3
    assert r.penalty("fairness_closing") == 7.0
    assert r.objective == pytest.approx(3 * 4 * 1.0 + 7.0)


def test_closing_shifts_are_spread_when_priced() -> None:
    """Two alike cashiers cover a morning and a closing shift on each of four days: priced,
    each closes twice (none beyond the two free); per day, closing_from can differ (Saturday
    closes at 18:00, the shift ending then is the closing one)."""
    days = 4
    hours = {
        t: 1
        for d in range(days)
        for t in (*range(d * DAY + 9, d * DAY + 13), *range(d * DAY + 17, d * DAY + 21))
    }
    windows = tuple((9, 21) for _ in range(days))
    p = problem(
        days=days,
        employees=(emp("a", max_days=4), emp("b", max_days=4)),
        demands=(demand("cashier", days, hours),),
        rules=ShiftRules(min_length_slots=4, max_length_slots=4),
        shift_windows=windows,
        closing_from=(21, 21, 21, 21),
        weights=Weights(shortfall=50.0, fairness_weekend=0, fairness_hours=0,
                        fairness_closing=5.0, free_closing_shifts=2),
    )  # fmt: skip
    r = solve(p, ONE)
    assert r.penalty("fairness_closing") == 0.0
    closes = {"a": 0, "b": 0}
    for a in r.assignments:
        closes[a.employee_id] += p.is_closing(a.day, a.end_slot)
    assert closes == {"a": 2, "b": 2}
    # every close on a instead: two beyond the free ones, 10 (the checker's price)
    lopsided = Roster(
        status="", objective=0.0,
        assignments=tuple(
            Assignment(employee_id=who, day=d, start_slot=d * DAY + start,
                       end_slot=d * DAY + start + 4, role="cashier")
            for d in range(days) for who, start in (("a", 17), ("b", 9))
        ),
    )  # fmt: skip
    priced = {q.name: q.value for q in evaluate_roster(p, lopsided)}
    assert priced["fairness_closing"] == 10.0
    assert not p.is_closing(0, 13)
    early = replace(p, closing_from=(21, 21, 21, 13))  # day 3 closes at 13:00
    assert early.is_closing(3, 3 * DAY + 13)
    with pytest.raises(ValueError, match="closing_from has 2 days, expected one slot"):
        replace(p, closing_from=(21, 21))


def test_closing_from_is_checked_and_a_shift_off_the_horizon_is_not_priced() -> None:
    """Review helper-47: a shift dated past the horizon made evaluate_roster raise IndexError
    (the checker names it instead), and any closing slot was accepted."""
    base = problem(
        days=2,
        employees=(emp("a"),),
        demands=(demand("cashier", 2, {}),),
        closing_from=(21, None),
        weights=Weights(fairness_closing=5.0, free_closing_shifts=0),
    )
    stray = Roster(
        status="", objective=0.0,
        assignments=(Assignment(employee_id="a", day=2, start_slot=2 * DAY + 17,
                                end_slot=2 * DAY + 21, role="cashier"),),
    )  # fmt: skip
    priced = {q.name: q.value for q in evaluate_roster(base, stray)}
    assert priced["fairness_closing"] == 0.0
    assert any(v.rule == "day" for v in check_roster(base, stray))
    assert not base.is_closing(1, DAY + 23)  # None: no close that day
    for bad in ((-3, 21), (21, DAY + 1), (0, 21)):
        with pytest.raises(ValueError, match="closing_from slot"):
            replace(base, closing_from=bad)
