"""Bad problem input fails where it enters, with a message naming the object, the field, the
value and what is expected; every valid edge keeps working.

Hourly slots (``slot_minutes=60``): one day is 24 slots.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from solver import (
    BreakRule,
    Employee,
    LockedShift,
    RoleDemand,
    RosterProblem,
    ShiftRequest,
    ShiftRules,
    ShiftTypeDemand,
    SolveSettings,
    Weights,
    solve,
)

DAY = 24
NAN = float("nan")
INF = float("inf")


def emp(eid: str = "a", **kw: object) -> Employee:
    fields: dict[str, object] = {"roles": ("cashier",), "hourly_cost": 10.0} | kw
    return Employee(id=eid, name=eid, **fields)  # type: ignore[arg-type]


def need(days: int = 1, **kw: object) -> RoleDemand:
    fields: dict[str, object] = {"role": "cashier", "required": (1,) * (days * DAY)} | kw
    return RoleDemand(**fields)  # type: ignore[arg-type]


RULES = ShiftRules(min_length_slots=4, max_length_slots=8)


def week(**kw: object) -> RosterProblem:
    """Two days, two cashiers; ``kw`` replaces any field."""
    base: dict[str, object] = {
        "days": 2,
        "slot_minutes": 60,
        "roles": ("cashier",),
        "demands": (need(2),),
        "employees": (emp("a"), emp("b")),
        "shift_rules": RULES,
    }
    return RosterProblem(**(base | kw))  # type: ignore[arg-type]


def lock(**kw: object) -> LockedShift:
    fields: dict[str, object] = {
        "employee_id": "a",
        "day": 1,
        "start_slot": DAY + 9,
        "end_slot": DAY + 13,
        "role": "cashier",
    } | kw
    return LockedShift(**fields)  # type: ignore[arg-type]


# (what is wrong, how to build it, words the message must contain)
BAD: list[tuple[str, Callable[[], object], str]] = [
    # one object's own fields
    ("NaN wage", lambda: emp(hourly_cost=NAN), r"employee 'a': hourly_cost nan, expected a finite"),
    ("infinite wage", lambda: emp(hourly_cost=INF), r"employee 'a': hourly_cost inf"),
    ("negative wage", lambda: emp(hourly_cost=-1.0), r"employee 'a': hourly_cost -1.0"),
    ("negative max_days", lambda: emp(max_days=-1), r"employee 'a': max_days -1, expected 0 or"),
    ("negative max_minutes", lambda: emp(max_minutes=-60), r"employee 'a': max_minutes -60"),
    ("negative target", lambda: emp(target_minutes=-1), r"employee 'a': target_minutes -1"),
    ("negative type cap", lambda: emp(max_shifts_per_type=(("L", -1),)), r"of L -1"),
    (
        "reversed availability",
        lambda: emp(available=((17, 9),)),
        r"employee 'a': available window \(17, 9\) ends before it starts",
    ),
    ("negative required", lambda: need(required=(-2,) * DAY), r"cashier: required -2 in slot 0"),
    (
        "negative minimum",
        lambda: need(minimum=(0,) * 5 + (-1,) * (DAY - 5)),
        r"cashier: minimum -1 in slot 5",
    ),
    ("negative over_cost", lambda: need(over_cost=-5.0), r"cashier: over_cost -5.0"),
    ("NaN over_cost", lambda: need(over_cost=NAN), r"cashier: over_cost nan"),
    (
        "decreasing shortfall costs",
        lambda: need(shortfall_costs=((3.0,),) * 10 + ((50.0, 1.0),) * (DAY - 10)),
        r"cashier: shortfall_costs in slot 10 \(50.0, 1.0\) decrease, expected",
    ),
    (
        "NaN shortfall cost",
        lambda: need(shortfall_costs=((5.0, NAN),) * DAY),
        r"cashier: shortfall cost of missing person 2 in slot 0 nan",
    ),
    (
        "NaN type cover cost",
        lambda: ShiftTypeDemand(day=0, shift_type="E", required=1, under_cost=NAN),
        r"cover of E on day 0: under_cost nan",
    ),
    (
        "break of no length",
        lambda: BreakRule(
            min_shift_slots=6, length_slots=0, window_start_slots=3, window_end_slots=5
        ),
        r"break rule: length_slots 0, expected 1 or more",
    ),
    (
        "break window reversed",
        lambda: BreakRule(
            min_shift_slots=6, length_slots=1, window_start_slots=5, window_end_slots=3
        ),
        r"break rule: window_end_slots 3 is before window_start_slots 5",
    ),
    (
        "shortest shift longer than the longest",
        lambda: ShiftRules(min_length_slots=8, max_length_slots=4),
        r"shift rules: max_length_slots 4 is below min_length_slots 8",
    ),
    (
        "shifts of no length",
        lambda: ShiftRules(min_length_slots=0, max_length_slots=0),
        r"shift rules: min_length_slots 0, expected 1 or more",
    ),
    (
        "negative rest",
        lambda: ShiftRules(min_length_slots=4, max_length_slots=8, min_rest_slots=-1),
        r"shift rules: min_rest_slots -1",
    ),
    ("negative shortfall weight", lambda: Weights(shortfall=-1.0), r"weights: shortfall -1.0"),
    ("NaN fairness weight", lambda: Weights(fairness_hours=NAN), r"weights: fairness_hours nan"),
    ("infinite request weight", lambda: Weights(request=INF), r"weights: request inf"),
    (
        "negative request weight",
        lambda: ShiftRequest(employee_id="a", day=0, on=True, weight=-5.0),
        r"a's request for day 0: weight -5.0",
    ),
    (
        "lock ending at its start",
        lambda: lock(end_slot=DAY + 9),
        r"a's locked shift on day 1: end_slot 33 is not after start_slot 33",
    ),
    # what spans objects: checked by the problem
    (
        "demand for an unknown role",
        lambda: week(demands=(RoleDemand(role="baker", required=(1,) * 2 * DAY),)),
        r"demand for baker: role 'baker' is not one of the problem's roles \(cashier\)",
    ),
    (
        "two demands for one role",
        lambda: week(demands=(need(2), need(2))),
        r"demand for cashier: the role has two demands",
    ),
    (
        "demand shorter than the horizon",
        lambda: week(demands=(need(1),)),
        r"demand for cashier: required has 24 slots, expected 48 \(2 days of 24 slots\)",
    ),
    (
        "demand longer than the horizon",
        lambda: week(demands=(need(3),)),
        r"required has 72 slots, expected 48",
    ),
    (
        "minimum shorter than the horizon",
        lambda: week(demands=(need(2, minimum=(1,) * 5),)),
        r"demand for cashier: minimum has 5 slots, expected 48 .* or none",
    ),
    (
        "shortfall costs shorter than the horizon",
        lambda: week(demands=(need(2, shortfall_costs=((5.0,),) * 3),)),
        r"demand for cashier: shortfall_costs has 3 slots, expected 48",
    ),
    (
        "opening hours for fewer days than the horizon",
        lambda: week(shift_windows=((8, 20),)),
        r"shift_windows has 1 day, expected one .* per day of the horizon \(2\)",
    ),
    ("slot of 0 minutes", lambda: week(slot_minutes=0), r"slot_minutes 0, expected a positive"),
    ("slot of 25 minutes", lambda: week(slot_minutes=25), r"slot_minutes 25, .* divides a day"),
    ("negative slot", lambda: week(slot_minutes=-60), r"slot_minutes -60"),
    ("weekday 7", lambda: week(start_weekday=7), r"start_weekday 7, expected 0 \(Monday\) to 6"),
    ("weekday -1", lambda: week(start_weekday=-1), r"start_weekday -1"),
    (
        "two employees with one id",
        lambda: week(employees=(emp("a"), emp("a", hourly_cost=5.0))),
        r"employee id 'a' is used twice",
    ),
    (
        "start slot past the day",
        lambda: week(
            shift_rules=ShiftRules(start_slots=(30,), min_length_slots=4, max_length_slots=4)
        ),
        r"shift rules: start slot 30, expected a slot of the day, 0 to 23",
    ),
    (
        "break past the shift's end",  # a 7-h shift gets a break from 6 h on, 2 h long
        lambda: week(
            shift_rules=ShiftRules(
                min_length_slots=7,
                max_length_slots=7,
                break_rule=BreakRule(
                    min_shift_slots=6, length_slots=2, window_start_slots=6, window_end_slots=7
                ),
            )
        ),
        r"break rule: a 2-slot break starting 6 slots into the shift does not fit in a 7-slot "
        r"shift.*end a slot before the shift does; expected window_start_slots \+ length_slots "
        r"of at most 6, or min_shift_slots of 7 or more",
    ),
    (
        "break past a locked shift's end",
        lambda: week(
            shift_rules=ShiftRules(
                min_length_slots=9,
                max_length_slots=9,
                break_rule=BreakRule(
                    min_shift_slots=6, length_slots=1, window_start_slots=7, window_end_slots=7
                ),
            ),
            locked=(lock(end_slot=DAY + 16),),
        ),
        r"a's locked shift on day 1: its 7 slots get a break",
    ),
    (
        "request for an unknown employee",
        lambda: week(requests=(ShiftRequest(employee_id="zz", day=0, on=True, weight=5.0),)),
        r"zz's request for day 0: 'zz' is not an employee",
    ),
    (
        "request after the horizon",
        lambda: week(requests=(ShiftRequest(employee_id="a", day=2, on=False, weight=5.0),)),
        r"a's request for day 2: expected a day of the horizon, 0 to 1",
    ),
    (
        "lock for an unknown employee",
        lambda: week(locked=(lock(employee_id="zz"),)),
        r"zz's locked shift on day 1: 'zz' is not an employee",
    ),
    (
        "lock after the horizon",
        lambda: week(locked=(lock(day=2, start_slot=2 * DAY + 9, end_slot=2 * DAY + 13),)),
        r"a's locked shift on day 2: expected a day of the horizon, 0 to 1",
    ),
    (
        "lock whose hours are on another day",
        lambda: week(locked=(lock(day=0),)),
        r"a's locked shift on day 0: start_slot 33 is not on that day, expected a global slot "
        r"from 0 to 23",
    ),
]


@pytest.mark.parametrize(
    ("build", "words"), [(b, w) for _, b, w in BAD], ids=[n for n, _, _ in BAD]
)
def test_bad_input_is_refused_with_its_object_field_and_value(
    build: Callable[[], object], words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        build()


def test_valid_edges_are_accepted() -> None:
    p = week()
    # the break ends a slot before the end of the shortest shift that gets one (8 h: 6 + 1 + 1)
    brk = BreakRule(min_shift_slots=7, length_slots=1, window_start_slots=6, window_end_slots=7)
    replace(p, shift_rules=replace(RULES, break_rule=brk))
    # a break only on lengths the rules do not offer: 4-8 h by 2 h gives 4, 6 and 8 h
    late = BreakRule(min_shift_slots=4, length_slots=1, window_start_slots=4, window_end_slots=4)
    replace(p, shift_rules=replace(RULES, length_step_slots=2, break_rule=late))
    # closed days, empty and touching availability windows, no demand at all, no days
    replace(p, shift_windows=((0, 0), (8, 20), (8, 20)))
    replace(p, employees=(emp("a", available=((9, 9), (9, 17))), emp("b", available=())))
    replace(p, demands=())
    replace(p, days=0, demands=())
    # convex costs, repeated and empty per slot; a zero weight switches a term off
    costs = ((5.0, 5.0, 9.0),) * DAY + ((),) * DAY
    replace(p, demands=(need(2, shortfall_costs=costs, minimum=(0,) * 2 * DAY),))
    replace(p, weights=Weights(shortfall=0.0, fairness_hours=0.0, overtime_after_minutes=0))
    # a lock and a request on the horizon's last day, a lock past midnight
    replace(
        p,
        locked=(lock(start_slot=DAY + 20, end_slot=DAY + 28),),
        requests=(ShiftRequest(employee_id="b", day=1, on=False, weight=0.0),),
    )


def test_numpy_and_whole_float_counts_become_python_ints() -> None:
    """A frame's numpy integers pass the checks and reach the LP bound as Python ints (a numpy
    count had killed the bound's thread with a TypeError: the solve then reported no bound)."""
    np = pytest.importorskip("numpy")
    p = week(
        days=np.int64(2),
        demands=(need(2, required=tuple(np.int64(v) for v in need(2).required)),),
        employees=(emp("a", max_minutes=np.int32(480)), emp("b", min_minutes=240.0)),
        shift_rules=replace(RULES, start_slots=(np.int64(8), 9)),
    )
    assert type(p.days) is int
    assert {type(v) for v in p.demands[0].required} == {int}
    assert type(p.employees[0].max_minutes) is int
    assert type(p.employees[1].min_minutes) is int
    assert p.shift_rules.start_slots == (8, 9)
    assert {type(v) for v in p.shift_rules.start_slots or ()} == {int}
    assert solve(p, SolveSettings(time_limit_seconds=2, workers=1)).lower_bound > 0


@pytest.mark.parametrize(
    "build",
    [
        lambda: need(1, required=(1.5,) * DAY),
        lambda: emp("a", max_minutes=90.5),
        lambda: lock(day=True),
        lambda: replace(RULES, start_slots=("8",)),
    ],
    ids=["half a person", "half a minute", "a bool day", "a text slot"],
)
def test_a_fraction_or_other_type_where_a_whole_number_is_expected_is_refused(
    build: Callable[[], object],
) -> None:
    with pytest.raises(ValueError, match="expected a whole number"):
        build()
