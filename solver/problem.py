"""The roster problem and its result: typed, frozen, independent of any application.

Time is a grid of ``slot_minutes`` slots counted from 00:00 of day 0: global slot
``t = day * slots_per_day + s``. A shift starting on day ``d`` may end after midnight; demand
beyond the horizon is zero.
"""

from __future__ import annotations

import math
import numbers
import operator
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields

import pandas as pd

__all__ = [
    "Assignment",
    "BreakRule",
    "Employee",
    "LockedShift",
    "Penalty",
    "RoleDemand",
    "Roster",
    "RosterProblem",
    "RuleViolation",
    "ShiftRequest",
    "ShiftRules",
    "ShiftType",
    "ShiftTypeDemand",
    "Shortfall",
    "SolveSettings",
    "Weights",
]


def _whole(owner: str, name: str, value: object, hint: object) -> object:
    """``value`` with every number its type hint declares ``int`` made a Python int.

    A numpy integer (a frame's column, say) passes every check below, but the LP builders take
    only Python numbers (the bound's thread died with a TypeError and the solve reported no
    bound); a fraction where a whole number is expected (2.5 people, 90.5 minutes) is refused.
    """
    if hint is int:
        if isinstance(value, bool):
            raise ValueError(f"{owner}: {name} {value!r}, expected a whole number")
        if isinstance(value, numbers.Integral):
            return operator.index(value)
        if isinstance(value, numbers.Real) and float(value).is_integer():
            return int(float(value))
        raise ValueError(f"{owner}: {name} {value!r}, expected a whole number")
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        inner = [a for a in args if a is not type(None)]
        return _whole(owner, name, value, inner[0]) if len(inner) == 1 else value
    if origin is tuple and isinstance(value, tuple):
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_whole(owner, name, v, args[0]) for v in value)
        if len(args) == len(value):
            return tuple(_whole(owner, name, v, a) for v, a in zip(value, args, strict=True))
    return value


_HINTS: dict[type, dict[str, object]] = {}


def _whole_numbers(obj: object) -> None:
    """Make the whole-number fields of a frozen dataclass Python ints (see :func:`_whole`)."""
    kind = type(obj)
    hints = _HINTS.get(kind)
    if hints is None:
        hints = _HINTS[kind] = typing.get_type_hints(kind)
    owner = kind.__name__
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        new = _whole(owner, f.name, value, hints[f.name])
        if new is not value:
            object.__setattr__(obj, f.name, new)


def _cost(owner: str, name: str, value: float) -> None:
    """Refuse a cost or weight that is NaN, infinite or negative."""
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{owner}: {name} {value!r}, expected a finite amount of 0 or more")


def _count(owner: str, name: str, value: int, least: int = 0) -> None:
    """Refuse a count (slots, minutes, days, people) below ``least``."""
    if not value >= least:
        raise ValueError(f"{owner}: {name} {value!r}, expected {least} or more")


def _windows(owner: str, name: str, windows: Iterable[tuple[int, int]]) -> None:
    """Refuse a ``[start, end)`` slot window whose end comes before its start."""
    for start, end in windows:
        if end < start:
            raise ValueError(
                f"{owner}: {name} window ({start}, {end}) ends before it starts, expected "
                "(start slot, end slot) with the end at or after the start"
            )


@dataclass(frozen=True, kw_only=True, slots=True)
class RoleDemand:
    """People needed of one role per global slot.

    ``shortfall_costs[t][k]`` is the cost of the (k+1)-th missing person in slot ``t``
    (non-decreasing in k; the last value repeats; empty means ``Weights.shortfall``).
    ``minimum`` is a fixed-post head-count per slot (soft, ``Weights.post_shortfall`` per missing
    person-slot); ``over_cost`` is charged per person-slot above ``max(required, minimum)``.
    """

    role: str
    required: tuple[int, ...]
    shortfall_costs: tuple[tuple[float, ...], ...] = ()
    minimum: tuple[int, ...] = ()
    over_cost: float = 0.0

    def __post_init__(self) -> None:
        _whole_numbers(self)
        owner = f"demand for {self.role}"
        for name, values in (("required", self.required), ("minimum", self.minimum)):
            for t, n in enumerate(values):
                if not n >= 0:
                    raise ValueError(
                        f"{owner}: {name} {n!r} in slot {t}, expected 0 people or more"
                    )
        _cost(owner, "over_cost", self.over_cost)
        for t, costs in enumerate(self.shortfall_costs):
            for k, c in enumerate(costs):
                _cost(owner, f"shortfall cost of missing person {k + 1} in slot {t}", c)
                if k and c < costs[k - 1]:
                    raise ValueError(
                        f"{owner}: shortfall_costs in slot {t} {costs!r} decrease, expected "
                        "each further missing person to cost at least as much as the one before"
                    )


@dataclass(frozen=True, kw_only=True, slots=True)
class ShiftTypeDemand:
    """People needed on shift type ``shift_type`` on ``day`` (counted per shift, not per slot).

    ``under_cost`` is charged per missing person, ``over_cost`` per person above ``required``
    (currency units); ``role`` restricts the count to shifts worked in that role (None: any role).
    """

    day: int
    shift_type: str
    required: int
    under_cost: float
    over_cost: float = 0.0
    role: str | None = None

    def __post_init__(self) -> None:
        _whole_numbers(self)
        owner = f"cover of {self.shift_type} on day {self.day}"
        _count(owner, "required", self.required)
        _cost(owner, "under_cost", self.under_cost)
        _cost(owner, "over_cost", self.over_cost)


@dataclass(frozen=True, kw_only=True, slots=True)
class Employee:
    """A person with roles, wage (per paid hour) and contract limits (paid minutes per horizon).

    ``available`` lists global ``[start, end)`` slot windows a shift must lie within (None means
    always; a wish to work at some time is a :class:`ShiftRequest`); ``target_minutes`` is the
    contract target the fairness rule pulls paid minutes towards.

    ``min_minutes`` is soft (``Weights.contract_minimum``), ``hard_min_minutes`` hard.
    ``max_shifts_per_type`` caps the shifts of a named :class:`ShiftType` over the horizon (a
    type not listed is unlimited; 0 means never). Runs of working days are at most
    ``max_consecutive_days`` and at least ``min_consecutive_days`` long, runs of days off at least
    ``min_consecutive_days_off``; a run touching the start or the end of the horizon may be
    shorter, as it may continue outside it. ``max_weekends`` caps the weekends with a Saturday or
    a Sunday worked (each weekend counted once; None: no cap), ``max_weekend_days`` the days.
    """

    id: str
    name: str
    roles: tuple[str, ...]
    hourly_cost: float
    min_minutes: int = 0
    max_minutes: int = 10_080
    max_days: int = 7
    max_consecutive_days: int = 7
    min_consecutive_days_off: int = 1
    max_weekend_days: int = 2
    hard_min_minutes: int = 0
    max_shifts_per_type: tuple[tuple[str, int], ...] = ()
    min_consecutive_days: int = 1
    max_weekends: int | None = None
    available: tuple[tuple[int, int], ...] | None = None
    target_minutes: int | None = None

    def __post_init__(self) -> None:
        _whole_numbers(self)
        owner = f"employee {self.id!r}"
        _cost(owner, "hourly_cost", self.hourly_cost)
        counts = {
            "min_minutes": self.min_minutes,
            "max_minutes": self.max_minutes,
            "max_days": self.max_days,
            "max_consecutive_days": self.max_consecutive_days,
            "min_consecutive_days_off": self.min_consecutive_days_off,
            "max_weekend_days": self.max_weekend_days,
            "hard_min_minutes": self.hard_min_minutes,
            "min_consecutive_days": self.min_consecutive_days,
            "max_weekends": self.max_weekends,
            "target_minutes": self.target_minutes,
        }
        for name, value in counts.items():
            if value is not None:
                _count(owner, name, value)
        for kind, cap in self.max_shifts_per_type:
            _count(owner, f"max_shifts_per_type of {kind}", cap)
        _windows(owner, "available", self.available or ())


@dataclass(frozen=True, kw_only=True, slots=True)
class BreakRule:
    """An unpaid break of ``length_slots`` for shifts longer than ``min_shift_slots``, starting
    between ``window_start_slots`` and ``window_end_slots`` after the shift starts."""

    min_shift_slots: int
    length_slots: int
    window_start_slots: int
    window_end_slots: int

    def __post_init__(self) -> None:
        _whole_numbers(self)
        owner = "break rule"
        _count(owner, "min_shift_slots", self.min_shift_slots)
        _count(owner, "length_slots", self.length_slots, 1)
        _count(owner, "window_start_slots", self.window_start_slots)
        if self.window_end_slots < self.window_start_slots:
            raise ValueError(
                f"{owner}: window_end_slots {self.window_end_slots!r} is before "
                f"window_start_slots {self.window_start_slots!r}, expected the window's end at "
                "or after its start"
            )


@dataclass(frozen=True, kw_only=True, slots=True)
class ShiftType:
    """A named shift: starts at ``start_slot`` (slot of its day) and lasts ``length_slots``."""

    name: str
    start_slot: int
    length_slots: int

    def __post_init__(self) -> None:
        _whole_numbers(self)
        if not self.name or self.name in ("opening", "closing"):
            raise ValueError(f"shift type name {self.name!r} is empty or reserved")
        if self.length_slots <= 0 or self.start_slot < 0:
            raise ValueError(f"shift type {self.name}: start and length must be positive")


@dataclass(frozen=True, kw_only=True, slots=True)
class ShiftRules:
    """Which shifts exist and how they may follow each other.

    ``start_slots`` are allowed starts as slot-of-day (None: any); lengths include the break;
    ``length_step_slots`` is the step between candidate lengths (default: one hour).
    A shift ending at or after ``closing_from_slot`` (slot of its day) is "closing", one starting
    before ``opening_until_slot`` is "opening"; ``forbidden_successions`` such as
    ``("closing", "opening")`` forbid that pair on consecutive days.

    When ``shift_types`` is non-empty the candidate shifts are exactly those types (``start_slots``
    and the length rules are then not used), and a type's name can be used in
    ``forbidden_successions`` (e.g. ``("L", "E")``: no early shift the day after a late one).
    """

    start_slots: tuple[int, ...] | None = None
    min_length_slots: int
    max_length_slots: int
    length_step_slots: int | None = None
    break_rule: BreakRule | None = None
    min_rest_slots: int = 0
    forbidden_successions: tuple[tuple[str, str], ...] = ()
    closing_from_slot: int | None = None
    opening_until_slot: int | None = None
    shift_types: tuple[ShiftType, ...] = ()

    def __post_init__(self) -> None:
        _whole_numbers(self)
        names = [t.name for t in self.shift_types]
        if len(set(names)) < len(names):
            raise ValueError(f"shift type names must be unique: {', '.join(names)}")
        owner = "shift rules"
        _count(owner, "min_length_slots", self.min_length_slots, 1)
        if self.max_length_slots < self.min_length_slots:
            raise ValueError(
                f"{owner}: max_length_slots {self.max_length_slots!r} is below "
                f"min_length_slots {self.min_length_slots!r}, expected the longest shift to be "
                "at least as long as the shortest"
            )
        if self.length_step_slots is not None:
            _count(owner, "length_step_slots", self.length_step_slots, 1)
        _count(owner, "min_rest_slots", self.min_rest_slots)
        for start in self.start_slots or ():
            _count(owner, "start slot", start)

    def shift_type(self, name: str) -> ShiftType | None:
        """The shift type called ``name``, if any."""
        return next((t for t in self.shift_types if t.name == name), None)


@dataclass(frozen=True, kw_only=True, slots=True)
class LockedShift:
    """A shift the roster must contain (global slots), of the named type when one is given.

    Without ``shift_type`` any shift at these hours keeps the lock (the solver picks the type
    when several share the hours).
    """

    employee_id: str
    day: int
    start_slot: int
    end_slot: int
    role: str
    shift_type: str | None = None

    def __post_init__(self) -> None:
        _whole_numbers(self)
        if self.end_slot <= self.start_slot:
            raise ValueError(
                f"{self.employee_id}'s locked shift on day {self.day}: end_slot "
                f"{self.end_slot!r} is not after start_slot {self.start_slot!r}, expected a "
                "shift that ends after it starts"
            )


@dataclass(frozen=True, kw_only=True, slots=True)
class ShiftRequest:
    """A wish to work (``on``) or not to work a day, optionally only a slot window of it or
    only a named shift type (``shift_type``: met by working / not working that type)."""

    employee_id: str
    day: int
    on: bool
    weight: float
    start_slot: int | None = None
    end_slot: int | None = None
    shift_type: str | None = None

    def __post_init__(self) -> None:
        _whole_numbers(self)
        _cost(f"{self.employee_id}'s request for day {self.day}", "weight", self.weight)


@dataclass(frozen=True, kw_only=True, slots=True)
class Weights:
    """Objective weights in currency units (per person-slot unless named otherwise)."""

    shortfall: float = 30.0
    post_shortfall: float = 100.0
    overtime_premium: float = 0.5
    overtime_after_minutes: int = 2400
    contract_minimum: float = 50.0  # per missing paid hour below an employee's minimum
    fairness_weekend: float = 5.0  # per weekend day worked beyond the first
    fairness_hours: float = 0.5  # per paid hour away from the contract target
    # per closing shift (RosterProblem.closing_from) beyond free_closing_shifts per person
    fairness_closing: float = 0.0
    free_closing_shifts: int = 2
    request: float = 1.0  # multiplies ShiftRequest.weight
    change: float = 20.0  # per shift changed against a published roster (resolve)

    def __post_init__(self) -> None:
        _whole_numbers(self)
        for f in fields(self):
            if f.name in ("overtime_after_minutes", "free_closing_shifts"):
                _count("weights", f.name, getattr(self, f.name))
            else:
                _cost("weights", f.name, getattr(self, f.name))


@dataclass(frozen=True, kw_only=True, slots=True)
class RosterProblem:
    """A complete roster problem over ``days`` days.

    Each object checks its own fields when it is built, and the problem checks what spans
    them: a demand's role and its per-slot tuples against ``roles`` and the horizon
    (``days * slots_per_day`` slots), unique employee ids, requests and locks against the
    employees and days, breaks against the shift lengths offered. A bad value raises
    ``ValueError`` naming the object, the field, the value and what is expected.
    """

    days: int
    slot_minutes: int
    start_weekday: int = 0
    roles: tuple[str, ...]
    demands: tuple[RoleDemand, ...]
    employees: tuple[Employee, ...]
    shift_rules: ShiftRules
    shift_demands: tuple[ShiftTypeDemand, ...] = ()
    shift_windows: tuple[tuple[int, int], ...] | None = None
    locked: tuple[LockedShift, ...] = ()
    requests: tuple[ShiftRequest, ...] = ()
    weights: Weights = field(default_factory=Weights)
    #: Per day of the horizon, the slot of the day from which a shift ending then or later is
    #: a closing shift for the fairness term (``Weights.fairness_closing``; None: the day has
    #: no closing shift, the store being closed); empty: ``ShiftRules.closing_from_slot``
    #: every day.
    closing_from: tuple[int | None, ...] = ()

    def __post_init__(self) -> None:
        _whole_numbers(self)
        _count("roster problem", "days", self.days)
        if not (self.slot_minutes > 0 and 1440 % self.slot_minutes == 0):
            raise ValueError(
                f"roster problem: slot_minutes {self.slot_minutes!r}, expected a positive "
                "number of minutes that divides a day (1440) exactly, e.g. 15, 30 or 60"
            )
        if not 0 <= self.start_weekday <= 6:
            raise ValueError(
                f"roster problem: start_weekday {self.start_weekday!r}, expected 0 (Monday) "
                "to 6 (Sunday)"
            )
        if self.closing_from and len(self.closing_from) != self.days:
            raise ValueError(
                f"roster problem: closing_from has {_days(len(self.closing_from))}, expected "
                f"one slot (or None) per day of the horizon ({self.days}) or none"
            )
        spd = 1440 // self.slot_minutes
        for at in self.closing_from:
            if at is not None and not 0 < at <= spd:
                raise ValueError(
                    f"roster problem: closing_from slot {at!r}, expected a slot of the day, 1 "
                    f"to {spd} (its closing time), or None"
                )
        self._check_demands()
        self._check_shifts()
        self._check_people()

    def _check_demands(self) -> None:
        n = self.horizon_slots
        seen: set[str] = set()
        for d in self.demands:
            owner = f"demand for {d.role}"
            if d.role not in self.roles:
                raise ValueError(
                    f"{owner}: role {d.role!r} is not one of the problem's roles "
                    f"({', '.join(self.roles) or 'none'})"
                )
            if d.role in seen:
                raise ValueError(f"{owner}: the role has two demands, expected one per role")
            seen.add(d.role)
            for name, values, optional in (
                ("required", d.required, False),
                ("minimum", d.minimum, True),
                ("shortfall_costs", d.shortfall_costs, True),
            ):
                if len(values) != n and not (optional and not values):
                    raise ValueError(
                        f"{owner}: {name} has {len(values)} slots, expected {n} "
                        f"({_days(self.days)} of {self.slots_per_day} slots)"
                        + (" or none" if optional else "")
                    )
        known = {t.name for t in self.shift_rules.shift_types}
        for sd in self.shift_demands:
            if sd.shift_type not in known:
                raise ValueError(f"cover asked for unknown shift type {sd.shift_type!r}")
            if not 0 <= sd.day < self.days:
                raise ValueError(f"cover of {sd.shift_type} on day {sd.day} is outside the horizon")

    def _check_shifts(self) -> None:
        rules = self.shift_rules
        spd = self.slots_per_day
        if self.shift_windows is not None and len(self.shift_windows) < self.days:
            raise ValueError(
                f"roster problem: shift_windows has {_days(len(self.shift_windows))}, expected "
                f"one (first slot, last slot) window per day of the horizon ({self.days})"
            )
        for start in rules.start_slots or ():
            if start >= spd:
                raise ValueError(
                    f"shift rules: start slot {start!r}, expected a slot of the day, 0 to "
                    f"{spd - 1} (slots of {self.slot_minutes} min)"
                )
        brk = rules.break_rule
        if brk is None:
            return
        fits = brk.window_start_slots + brk.length_slots + 1  # a slot of work after the break
        short = [n for n in _lengths(rules, self.slot_minutes) if brk.min_shift_slots < n < fits]
        if short:
            raise ValueError(
                f"break rule: a {brk.length_slots}-slot break starting {brk.window_start_slots} "
                f"slots into the shift does not fit in a {short[0]}-slot shift, which gets "
                f"a break (it is longer than min_shift_slots {brk.min_shift_slots}) that must "
                f"end a slot before the shift does; expected window_start_slots + length_slots "
                f"of at most {short[0] - 1}, or min_shift_slots of {short[-1]} or more"
            )
        for lock in self.locked:
            length = lock.end_slot - lock.start_slot
            if brk.min_shift_slots < length < fits:
                raise ValueError(
                    f"{lock.employee_id}'s locked shift on day {lock.day}: its {length} slots "
                    f"get a break, which starts {brk.window_start_slots} slots into the shift, "
                    f"lasts {brk.length_slots} and ends a slot before the shift does, so it does "
                    f"not fit; expected a locked shift of {fits} slots or more, or of "
                    f"{brk.min_shift_slots} or fewer"
                )

    def _check_people(self) -> None:
        known = {t.name for t in self.shift_rules.shift_types}
        spd = self.slots_per_day
        ids: set[str] = set()
        for e in self.employees:
            if e.id in ids:
                raise ValueError(f"employee id {e.id!r} is used twice, expected unique ids")
            ids.add(e.id)
            for name, _ in e.max_shifts_per_type:
                if name not in known:
                    raise ValueError(f"{e.name}'s limit names unknown shift type {name!r}")
        for r in self.requests:
            owner = f"{r.employee_id}'s request for day {r.day}"
            if r.employee_id not in ids:
                raise ValueError(f"{owner}: {r.employee_id!r} is not an employee of the problem")
            if not 0 <= r.day < self.days:
                raise ValueError(f"{owner}: expected a day of the horizon, 0 to {self.days - 1}")
            if r.shift_type is not None and r.shift_type not in known:
                raise ValueError(
                    f"{r.employee_id}'s request names unknown shift type {r.shift_type!r}"
                )
        for lock in self.locked:
            owner = f"{lock.employee_id}'s locked shift on day {lock.day}"
            if lock.employee_id not in ids:
                raise ValueError(f"{owner}: {lock.employee_id!r} is not an employee of the problem")
            if not 0 <= lock.day < self.days:
                raise ValueError(f"{owner}: expected a day of the horizon, 0 to {self.days - 1}")
            if not lock.day * spd <= lock.start_slot < (lock.day + 1) * spd:
                raise ValueError(
                    f"{owner}: start_slot {lock.start_slot!r} is not on that day, expected a "
                    f"global slot from {lock.day * spd} to {(lock.day + 1) * spd - 1}"
                )
            if lock.shift_type is not None and lock.shift_type not in known:
                raise ValueError(
                    f"{lock.employee_id}'s locked shift names unknown shift type "
                    f"{lock.shift_type!r}"
                )

    def weekend_of(self, day: int) -> int | None:
        """Index of the weekend (Saturday and the Sunday after it) ``day`` belongs to, or None."""
        if not self.is_weekend(day):
            return None
        return (self.start_weekday + day) // 7

    @property
    def slots_per_day(self) -> int:
        """Slots in one day."""
        return 1440 // self.slot_minutes

    @property
    def horizon_slots(self) -> int:
        """Slots in the planning horizon (demand is given for these)."""
        return self.days * self.slots_per_day

    def is_weekend(self, day: int) -> bool:
        """Whether ``day`` is a Saturday or Sunday."""
        return (self.start_weekday + day) % 7 >= 5

    def is_closing(self, day: int, end_slot: int) -> bool:
        """Whether a shift of ``day`` ending at global slot ``end_slot`` is a closing shift
        for the fairness term (see :attr:`closing_from`)."""
        if not 0 <= day < self.days:
            return False  # outside the horizon: the checker names the shift, nothing to price
        at = self.closing_from[day] if self.closing_from else self.shift_rules.closing_from_slot
        return at is not None and end_slot - day * self.slots_per_day >= at


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _lengths(rules: ShiftRules, slot_minutes: int) -> tuple[int, ...]:
    """Every shift length (slots, break included) the rules offer on a grid of
    ``slot_minutes``: the types' lengths, else ``max_length_slots`` down to
    ``min_length_slots`` by ``length_step_slots`` (default one hour), as the candidates have."""
    if rules.shift_types:
        return tuple(sorted({t.length_slots for t in rules.shift_types}))
    step = rules.length_step_slots or max(1, 60 // slot_minutes)
    out = set(range(rules.max_length_slots, rules.min_length_slots - 1, -step))
    return tuple(sorted(out | {rules.min_length_slots}))


@dataclass(frozen=True, kw_only=True, slots=True)
class SolveSettings:
    """CP-SAT parameters; ``on_solution(objective, seconds)`` is called on each better roster
    (from the local search, then from CP-SAT; seconds since the solve started).

    ``neighbourhood_share`` of the time limit (0 to 1) goes to improving the greedy first roster
    before the full search: people are planned one by one, then a few people (or everyone over a
    few days) at a time are re-solved exactly with everybody else fixed; 0 hands the greedy
    roster over as it is. It pays off when hard per-person rules (minimum hours, runs of days)
    make the greedy roster infeasible or poor on large rosters. None (the default) chooses: 0.5
    when some employee has a hard minimum of hours or of days in a row and the week has more
    than 8,000 candidate shifts, else 0 (see ``solver.model``).

    ``local_search_share`` of the time limit (0 to 1; default 0.95, and at most what leaves
    CP-SAT 15%, or 6% on weeks of more than 60,000 candidate shifts) goes first to a fast local
    search on the greedy roster (best shift per person and day, a shift handed to a colleague,
    a person's best whole week, two days of one person, ruin and recreate; see
    ``solver._local``); 0 skips it.

    ``column_share`` of the time limit (0 to 1) goes to building the first roster from whole
    rosters per person (column generation, then a dive: ``solver._columns``) instead of the
    greedy one. None (the default) chooses: 0.5 when cover is counted per shift type only, no
    shift has a movable break and the roster has at most 2,000 person-days (people x days),
    else 0; it then replaces the exact re-solves of ``neighbourhood_share`` unless that is set.

    ``time_limit_seconds`` bounds the search. A solve may end later in two cases: with no
    lower bound proved by then, it waits up to the larger of 2 s and 30% of the limit for the
    first (on a machine busy with other work), and a roster whose rules conflict is searched
    again without the conflicting rules (a roster comes first).

    A time limit of 0 seconds or less, fewer than 1 worker, or a gap or share outside 0 to 1
    raises ``ValueError`` naming the setting and its value.
    """

    time_limit_seconds: float = 10.0
    workers: int = 2
    seed: int = 0
    relative_gap: float = 0.0
    log: bool = False
    on_solution: Callable[[float, float], None] | None = None
    neighbourhood_share: float | None = None
    local_search_share: float = 0.95
    column_share: float | None = None

    def __post_init__(self) -> None:
        _whole_numbers(self)
        if not self.time_limit_seconds > 0:  # also catches NaN
            raise ValueError(
                f"solver time limit {self.time_limit_seconds!r}: expected seconds above 0"
            )
        if self.workers < 1:
            raise ValueError(f"solver workers {self.workers!r}: expected 1 or more")
        if not 0 <= self.relative_gap <= 1:
            raise ValueError(f"solver relative gap {self.relative_gap!r}: expected 0 to 1")
        shares = {
            "neighbourhood": self.neighbourhood_share,
            "local search": self.local_search_share,
            "column": self.column_share,
        }
        for name, share in shares.items():
            if share is not None and not 0 <= share <= 1:
                raise ValueError(
                    f"solver {name} share {share!r}: expected a share of the time limit, 0 to 1"
                )


@dataclass(frozen=True, kw_only=True, slots=True)
class Assignment:
    """One shift: global slots ``[start_slot, end_slot)``, break ``[break_start, break_end)``."""

    employee_id: str
    day: int
    start_slot: int
    end_slot: int
    role: str
    break_start: int | None = None
    break_end: int | None = None
    shift_type: str | None = None

    @property
    def paid_slots(self) -> int:
        """Slots paid (the break is unpaid)."""
        brk = (
            0
            if self.break_start is None or self.break_end is None
            else self.break_end - self.break_start
        )
        return self.end_slot - self.start_slot - brk


@dataclass(frozen=True, kw_only=True, slots=True)
class Penalty:
    """One named term of the objective, in currency units."""

    name: str
    value: float


@dataclass(frozen=True, kw_only=True, slots=True)
class Shortfall:
    """``missing`` people of ``role`` over global slots ``[start_slot, end_slot)`` of ``day``."""

    role: str
    day: int
    start_slot: int
    end_slot: int
    missing: int


@dataclass(frozen=True, kw_only=True, slots=True)
class RuleViolation:
    """A hard rule a roster breaks, in words."""

    rule: str
    employee_id: str | None
    day: int | None
    message: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Roster:
    """The solver's answer: always a roster, with its cost broken down and what it lacks.

    ``status`` is ``optimal``, ``feasible`` (time limit reached), ``heuristic`` (CP-SAT found
    nothing in time; the greedy first roster is returned), ``rules_conflict`` (hard rules
    contradict each other; the conflicting ones were relaxed and are listed in ``conflicts``) or
    ``no_solution`` (nothing found in time; an empty roster). ``objective`` and ``penalties``
    are recomputed from the assignments by the checker; ``model_objective`` is the CP-SAT
    model's own value for the same roster (None when CP-SAT found none), so a test can hold
    the model to the checker.
    """

    status: str
    assignments: tuple[Assignment, ...]
    objective: float
    penalties: tuple[Penalty, ...] = ()
    lower_bound: float = 0.0
    gap: float = 0.0
    shortfalls: tuple[Shortfall, ...] = ()
    conflicts: tuple[str, ...] = ()
    solve_seconds: float = 0.0
    model_objective: float | None = None

    def penalty(self, name: str) -> float:
        """Sum of the penalties whose name is ``name`` or starts with ``name[``."""
        return sum(
            p.value for p in self.penalties if p.name == name or p.name.startswith(name + "[")
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per assignment."""
        return pd.DataFrame(
            [
                {
                    "employee_id": a.employee_id,
                    "day": a.day,
                    "start_slot": a.start_slot,
                    "end_slot": a.end_slot,
                    "role": a.role,
                    "break_start": a.break_start,
                    "break_end": a.break_end,
                }
                for a in self.assignments
            ],
            columns=[
                "employee_id",
                "day",
                "start_slot",
                "end_slot",
                "role",
                "break_start",
                "break_end",
            ],
        )
