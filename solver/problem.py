"""The roster problem and its result: typed, frozen, independent of any application.

Time is a grid of ``slot_minutes`` slots counted from 00:00 of day 0: global slot
``t = day * slots_per_day + s``. A shift starting on day ``d`` may end after midnight; demand
beyond the horizon is zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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
        if self.required < 0 or self.under_cost < 0 or self.over_cost < 0:
            raise ValueError(
                f"cover of {self.shift_type} on day {self.day}: required people and costs "
                "must not be negative"
            )


@dataclass(frozen=True, kw_only=True, slots=True)
class Employee:
    """A person with roles, wage (per paid hour) and contract limits (paid minutes per horizon).

    ``available`` lists global ``[start, end)`` slot windows a shift must lie within (None means
    always); ``preferred`` windows are soft wishes; ``target_minutes`` is the contract target the
    fairness rule pulls paid minutes towards.

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
    preferred: tuple[tuple[int, int], ...] = ()
    target_minutes: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class BreakRule:
    """An unpaid break of ``length_slots`` for shifts longer than ``min_shift_slots``, starting
    between ``window_start_slots`` and ``window_end_slots`` after the shift starts."""

    min_shift_slots: int
    length_slots: int
    window_start_slots: int
    window_end_slots: int


@dataclass(frozen=True, kw_only=True, slots=True)
class ShiftType:
    """A named shift: starts at ``start_slot`` (slot of its day) and lasts ``length_slots``."""

    name: str
    start_slot: int
    length_slots: int

    def __post_init__(self) -> None:
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
        names = [t.name for t in self.shift_types]
        if len(set(names)) < len(names):
            raise ValueError(f"shift type names must be unique: {', '.join(names)}")

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
    request: float = 1.0  # multiplies ShiftRequest.weight
    change: float = 20.0  # per shift changed against a published roster (resolve)


@dataclass(frozen=True, kw_only=True, slots=True)
class RosterProblem:
    """A complete roster problem over ``days`` days."""

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

    def __post_init__(self) -> None:
        known = {t.name for t in self.shift_rules.shift_types}
        for d in self.shift_demands:
            if d.shift_type not in known:
                raise ValueError(f"cover asked for unknown shift type {d.shift_type!r}")
            if not 0 <= d.day < self.days:
                raise ValueError(f"cover of {d.shift_type} on day {d.day} is outside the horizon")
        for r in self.requests:
            if r.shift_type is not None and r.shift_type not in known:
                raise ValueError(
                    f"{r.employee_id}'s request names unknown shift type {r.shift_type!r}"
                )
        for lock in self.locked:
            if lock.shift_type is not None and lock.shift_type not in known:
                raise ValueError(
                    f"{lock.employee_id}'s locked shift names unknown shift type "
                    f"{lock.shift_type!r}"
                )
        for e in self.employees:
            for name, _ in e.max_shifts_per_type:
                if name not in known:
                    raise ValueError(f"{e.name}'s limit names unknown shift type {name!r}")

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
