"""Mapping the store onto the solver's roster problem, and the solver's roster back to frames.

The solver works on a grid of ``slot_minutes`` slots counted from 00:00 of the first planning
day (global slot ``t = day * slots_per_day + s``); this module owns the translation between
that grid and the store's local dates and times.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

import solver
from solver.checker import coverage, shortfalls
from staffing.columns import ROLE, TIMESTAMP
from staffing.model import AvailabilityKind, AvailabilityRule, Costs, Store, StoreData

__all__ = [
    "RoleNeeds",
    "build_problem",
    "closing_minute",
    "coverage_frame",
    "hours_frame",
    "roster_frame",
    "roster_from_rows",
    "shortfall_text",
    "status_text",
]

#: The solver's status words in plain words for a manager.
STATUS_WORDS = {
    "optimal": "the best roster possible (proved)",
    "feasible": "a good roster; the time limit ended before it was proved the best",
    "heuristic": "a quick first roster; the solver found no better one in the time limit",
    "rules_conflict": "a roster with some rules given way: they cannot all hold (see the notes)",
    "no_solution": "no roster found in the time limit",
    "edited": "edited by hand",
}


#: The price of each closing shift (one ending at closing time or later) a person works in
#: the planned days beyond :data:`FREE_CLOSING_SHIFTS` a week (in proportion for plans of
#: other lengths, one at least; currency units): closes spread over the team, as weekend days
#: are. On the sample store's week, unpriced, one person closed 5
#: times and others 4 while 23 of 35 closed at most once.
CLOSING_FAIRNESS = 5.0
FREE_CLOSING_SHIFTS = 2


def status_text(status: str) -> str:
    """A roster's status (``feasible``, ``rules_conflict``, ...) in plain words."""
    return STATUS_WORDS.get(status, status)


@dataclass(frozen=True, kw_only=True, slots=True)
class RoleNeeds:
    """What the requirements step hands the roster step, per role, on the week's slot grid.

    Attributes
    ----------
    required : dict of role -> array of int
        People needed per slot (after shrinkage), length ``days * slots_per_day``.
    minimum : dict of role -> array of int
        Fixed-post head-count per slot.
    shortfall_costs : dict of role -> 2-D array
        ``[slot, k]``: currency cost of the (k+1)-th missing person in that slot, non-decreasing
        in k.
    """

    required: dict[str, np.ndarray]
    minimum: dict[str, np.ndarray]
    shortfall_costs: dict[str, np.ndarray]


def _slots(minutes: float, slot_minutes: int) -> int:
    return int(math.ceil(minutes / slot_minutes - 1e-9))


def _clock_minutes(t: dt.time | None, default: int) -> int:
    if t is None:
        return default
    return t.hour * 60 + t.minute


def build_problem(
    data: StoreData,
    week_start: dt.date,
    needs: RoleNeeds,
    *,
    days: int = 7,
    locked: tuple[solver.LockedShift, ...] = (),
    requests: tuple[solver.ShiftRequest, ...] = (),
) -> solver.RosterProblem:
    """Build the solver's problem for the ``days`` starting ``week_start``.

    Parameters
    ----------
    data : StoreData
        The store (opening hours, rules, costs), its team and availability.
    week_start : datetime.date
        First planned day (local date); slot 0 is its 00:00.
    needs : RoleNeeds
        People required and post minimums per role and slot, and the shortfall costs
        (currency units per person-slot), on the week's grid.
    days : int
        Days in the horizon.
    locked : tuple of solver.LockedShift
        Shifts the roster must keep.
    requests : tuple of solver.ShiftRequest
        Wishes to work or not; one per ``preferred`` availability window is added, each
        costing :data:`PREFERENCE_COST` (currency units) when not met.

    Returns
    -------
    solver.RosterProblem
        The problem on a grid of ``store.interval_minutes``-minute slots, with the store's
        rules converted to slots and its hourly costs (currency units per hour) to costs per
        slot.

    Raises
    ------
    ValueError
        When the problem is inconsistent (:class:`solver.RosterProblem` names what), e.g. a
        locked shift or request naming someone not in the store or a day outside the horizon.
    """
    store = data.store
    slot = store.interval_minutes
    spd = 1440 // slot
    rules = store.rules
    closures = _closure_days(data, week_start, days)
    windows: list[tuple[int, int]] = []
    for d in range(days):
        date = week_start + dt.timedelta(days=d)
        hours = store.open_minutes(date.weekday())
        if hours is None or date in closures:
            windows.append((0, 0))
            continue
        first = max(0, hours[0] - rules.prep_minutes_before_open) // slot
        last = _slots(min(1440 + 6 * 60, hours[1] + rules.close_minutes_after_close), slot)
        windows.append((first, last))
    step = rules.shift_start_step_minutes or slot
    step_slots = max(1, step // slot)
    break_rule = None
    if rules.break_minutes > 0:
        break_rule = solver.BreakRule(
            min_shift_slots=int(rules.break_after_hours * 60 // slot),
            length_slots=_slots(rules.break_minutes, slot),
            window_start_slots=int(rules.break_window_start_hours * 60 // slot),
            window_end_slots=int(rules.break_window_end_hours * 60 // slot),
        )
    shift_rules = solver.ShiftRules(
        start_slots=tuple(range(0, spd, step_slots)),
        min_length_slots=_slots(rules.min_shift_hours * 60, slot),
        max_length_slots=int(rules.max_shift_hours * 60 // slot),
        break_rule=break_rule,
        min_rest_slots=_slots(rules.min_rest_hours * 60, slot),
    )
    slot_hours = slot / 60
    demands = []
    for role in store.roles:
        required = needs.required.get(role, np.zeros(days * spd, dtype=int))
        minimum = needs.minimum.get(role, np.zeros(days * spd, dtype=int))
        costs = needs.shortfall_costs.get(role)
        cost_rows: tuple[tuple[float, ...], ...] = ()
        if costs is not None:
            cost_rows = tuple(
                tuple(round(float(c), 4) for c in row[: max(1, int(r))])
                for row, r in zip(costs, required, strict=True)
            )
        demands.append(
            solver.RoleDemand(
                role=role,
                required=tuple(int(x) for x in required),
                shortfall_costs=cost_rows,
                minimum=tuple(int(x) for x in minimum),
                over_cost=store.costs.overstaffing_cost_per_hour * slot_hours,
            )
        )
    employees = tuple(_employee(data, e.id, week_start, days, windows) for e in data.employees)
    weights = solver.Weights(
        shortfall=store.costs.understaffing_cost_per_hour * slot_hours,
        post_shortfall=store.costs.post_shortfall_cost_per_hour * slot_hours,
        overtime_premium=store.costs.overtime_premium,
        overtime_after_minutes=int(store.costs.overtime_after_hours * 60),
        fairness_closing=CLOSING_FAIRNESS,
        # two a week, in proportion for plans of other lengths (one at least)
        free_closing_shifts=max(1, round(FREE_CLOSING_SHIFTS * days / 7)),
    )
    # a shift ending at the day's closing time or later closes (as the KPIs count them); a day
    # open until midnight with the next day open from midnight has no close (open past it)
    closing_from = tuple(
        _closing_slot(store, (week_start + dt.timedelta(days=d)).weekday(), slot)
        for d in range(days)
    )
    return solver.RosterProblem(
        days=days,
        slot_minutes=slot,
        start_weekday=week_start.weekday(),
        roles=store.roles,
        demands=tuple(demands),
        employees=employees,
        shift_rules=shift_rules,
        closing_from=closing_from,
        shift_windows=tuple(windows),
        locked=locked,
        requests=requests + _preferences(data, week_start, days),
        weights=weights,
    )


#: What a preferred window not worked costs (currency units a day): enough to choose between
#: shifts that cost the same otherwise, far below an hour of understaffing.
PREFERENCE_COST = 5.0


def closing_minute(store: Store, weekday: int) -> int | None:
    """The minute of the day (1440 at midnight) from which a shift ending then is a closing
    shift on ``weekday`` (0 = Monday): its closing time; None when the store is closed that day
    or open on past midnight (closing at 24:00 with the next day open from 00:00)."""
    hours = store.open_minutes(weekday)
    if hours is None:
        return None
    after = store.open_minutes((weekday + 1) % 7)
    if hours[1] >= 1440 and after is not None and after[0] == 0:
        return None
    return hours[1]


def _closing_slot(store: Store, weekday: int, slot: int) -> int | None:
    """:func:`closing_minute` as a slot of the day (a close off the grid: the slot after)."""
    minute = closing_minute(store, weekday)
    return None if minute is None else -(-minute // slot)


def _preferences(
    data: StoreData, week_start: dt.date, days: int
) -> tuple[solver.ShiftRequest, ...]:
    """A wish to work a shift overlapping each ``preferred`` window of availability.csv (a
    dated row replaces the week day's rows, as for availability)."""
    slot = data.store.interval_minutes
    spd = 1440 // slot
    out = []
    for emp in data.employees:
        rows = [r for r in data.availability if r.employee_id == emp.id]
        for d in range(days):
            date = week_start + dt.timedelta(days=d)
            dated = [r for r in rows if r.date == date]
            todays = dated or [r for r in rows if r.weekday == date.weekday()]
            for r in todays:
                if r.kind == AvailabilityKind.PREFERRED:
                    start, end = _window(r, d * spd, slot, narrow=False)
                    out.append(
                        solver.ShiftRequest(
                            employee_id=emp.id, day=d, on=True, weight=PREFERENCE_COST,
                            start_slot=start, end_slot=end,
                        )
                    )  # fmt: skip
    return tuple(out)


def _closure_days(data: StoreData, week_start: dt.date, days: int) -> set[dt.date]:
    end = week_start + dt.timedelta(days=days - 1)
    out: set[dt.date] = set()
    for ev in data.events:
        if ev.kind != "closure" or ev.end_date < week_start or ev.start_date > end:
            continue
        day = max(ev.start_date, week_start)
        while day <= min(ev.end_date, end):
            out.add(day)
            day += dt.timedelta(days=1)
    return out


def _employee(
    data: StoreData,
    employee_id: str,
    week_start: dt.date,
    days: int,
    windows: list[tuple[int, int]],
) -> solver.Employee:
    store = data.store
    slot = store.interval_minutes
    spd = 1440 // slot
    emp = data.employee(employee_id)
    rows = [r for r in data.availability if r.employee_id == employee_id]
    available: list[tuple[int, int]] = []
    restricted = emp.weekend_only or any(r.kind != AvailabilityKind.PREFERRED for r in rows)
    # Calendar time: each day's own hours, the day after the horizon's too (a last-day shift
    # may run into it). A shift past midnight needs both days' hours, so a day someone may not
    # work is never worked by a shift started the evening before, nor by one starting at 00:00
    # (each day's window had run on to 06:00 the next day, and shifts starting after midnight
    # fell inside it: a Saturday off was worked 00:00-06:00).
    for d in range(days + 1):
        date = week_start + dt.timedelta(days=d)
        dated = [r for r in rows if r.date == date]
        todays = dated or [r for r in rows if r.weekday == date.weekday()]
        base = d * spd
        allowed = [
            _window(r, base, slot, narrow=True)
            for r in todays
            if r.kind == AvailabilityKind.AVAILABLE
        ]
        if not allowed:
            weekend_only = emp.weekend_only and date.weekday() < 5
            allowed = [] if weekend_only else [(base, base + spd)]
        for r in todays:
            if r.kind == AvailabilityKind.UNAVAILABLE:
                allowed = _subtract(allowed, _window(r, base, slot, narrow=False))
        available.extend(w for w in allowed if w[1] > w[0])
    available = _joined(available)
    rules = store.rules
    return solver.Employee(
        id=emp.id,
        name=emp.name,
        roles=emp.roles,
        hourly_cost=emp.hourly_cost,
        min_minutes=int(round(emp.min_hours_week * 60)),
        max_minutes=int(round(emp.max_hours_week * 60)),
        max_days=emp.max_days_week if emp.max_days_week is not None else rules.max_days_per_week,
        max_consecutive_days=rules.max_consecutive_days,
        max_weekend_days=emp.max_weekend_days,
        available=tuple(available) if restricted else None,
        target_minutes=int(round((emp.min_hours_week + emp.max_hours_week) * 30)),
    )


def _window(rule: AvailabilityRule, base: int, slot: int, *, narrow: bool) -> tuple[int, int]:
    """A row's hours on the planning grid: ``narrow`` (available) keeps whole slots inside
    them, else (unavailable) every slot they touch."""
    start = _clock_minutes(rule.start, 0)
    end = _clock_minutes(rule.end, 1440) or 1440
    if narrow:
        return base + _slots(start, slot), base + end // slot
    return base + start // slot, base + _slots(end, slot)


def _joined(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Windows sorted, with touching or overlapping ones joined (a shift may cross midnight)."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(windows):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _subtract(windows: list[tuple[int, int]], cut: tuple[int, int]) -> list[tuple[int, int]]:
    out = []
    for a, b in windows:
        if cut[1] <= a or cut[0] >= b:
            out.append((a, b))
            continue
        if a < cut[0]:
            out.append((a, cut[0]))
        if cut[1] < b:
            out.append((cut[1], b))
    return out


def slot_time(week_start: dt.date, slot: int, slot_minutes: int) -> dt.datetime:
    """Local date-time of the start of global slot ``slot``."""
    return dt.datetime.combine(week_start, dt.time()) + dt.timedelta(minutes=slot * slot_minutes)


def money(amount: float | Decimal) -> float:
    """Currency rounded to the cent half up, as payroll does (``round`` on a float gave 110.07
    for 8.5 h at 12.95, whose exact product is 110.075)."""
    exact = amount if isinstance(amount, Decimal) else Decimal(repr(float(amount)))
    return float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def pay(hours: float, rate: float) -> float:
    """``hours`` x ``rate`` to the cent, multiplied exactly from the figures as written."""
    return money(Decimal(repr(float(hours))) * Decimal(repr(float(rate))))


def roster_frame(data: StoreData, week_start: dt.date, roster: solver.Roster) -> pd.DataFrame:
    """One row per employee-shift: who, date, start/end, role, break, paid hours, cost.

    Parameters
    ----------
    data : StoreData
        The store and its team (names and hourly costs).
    week_start : datetime.date
        First day of the roster's grid (local date).
    roster : solver.Roster
        The roster to show.

    Returns
    -------
    DataFrame
        Columns ``employee_id, name, date`` (ISO date), ``start, end`` (local ISO date-times
        to the minute), ``role, break_start, break_end`` (empty text when no break),
        ``break_minutes`` (minutes), ``paid_hours`` (hours, shift minus break) and ``cost``
        (currency units, to the cent, without overtime premium); sorted by date, start and
        employee id.

    Raises
    ------
    KeyError
        When an assignment names an employee not in ``data``.
    """
    slot = data.store.interval_minutes
    rows = []
    for a in roster.assignments:
        emp = data.employee(a.employee_id)
        brk = 0 if a.break_start is None or a.break_end is None else a.break_end - a.break_start
        paid = (a.end_slot - a.start_slot - brk) * slot / 60
        rows.append(
            {
                "employee_id": emp.id,
                "name": emp.name,
                "date": (week_start + dt.timedelta(days=a.day)).isoformat(),
                "start": slot_time(week_start, a.start_slot, slot).isoformat(timespec="minutes"),
                "end": slot_time(week_start, a.end_slot, slot).isoformat(timespec="minutes"),
                "role": a.role,
                "break_start": ""
                if a.break_start is None
                else slot_time(week_start, a.break_start, slot).isoformat(timespec="minutes"),
                "break_end": ""
                if a.break_end is None
                else slot_time(week_start, a.break_end, slot).isoformat(timespec="minutes"),
                "break_minutes": brk * slot,
                "paid_hours": round(paid, 2),
                "cost": pay(round(paid, 4), emp.hourly_cost),
            }
        )
    columns = [
        "employee_id",
        "name",
        "date",
        "start",
        "end",
        "role",
        "break_start",
        "break_end",
        "break_minutes",
        "paid_hours",
        "cost",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["date", "start", "employee_id"], ignore_index=True)


def hours_frame(data: StoreData, roster_rows: pd.DataFrame) -> pd.DataFrame:
    """One row per employee: paid hours, days, weekend days, closing shifts, cost, contract.

    Parameters
    ----------
    data : StoreData
        The store (overtime threshold and premium) and its team.
    roster_rows : DataFrame
        Rows of :func:`roster_frame`.

    Returns
    -------
    DataFrame
        One row per employee of ``data`` (those without shifts too): ``employee_id, name,
        contract, roles`` (``;``-separated), ``paid_hours`` (hours), ``days_worked``,
        ``weekend_days`` (days), ``min_hours_week, max_hours_week`` (contract, hours per
        week), ``overtime_hours`` (hours beyond ``costs.overtime_after_hours``) and ``cost``
        (currency units, to the cent, overtime premium included). There is no closing-shift
        column.
    """
    costs = data.store.costs
    rows = []
    for emp in data.employees:
        mine = roster_rows[roster_rows["employee_id"] == emp.id]
        paid = float(mine["paid_hours"].sum())
        overtime = max(0.0, paid - costs.overtime_after_hours)
        dates = pd.to_datetime(pd.Series(mine["date"].unique()))  # days, not shifts
        rows.append(
            {
                "employee_id": emp.id,
                "name": emp.name,
                "contract": emp.contract,
                "roles": ";".join(emp.roles),
                "paid_hours": round(paid, 2),
                "days_worked": int(mine["date"].nunique()),
                "weekend_days": int((dates.dt.day_of_week >= 5).sum()),
                "min_hours_week": emp.min_hours_week,
                "max_hours_week": emp.max_hours_week,
                "overtime_hours": round(overtime, 2),
                "cost": week_cost(mine["cost"], overtime, emp.hourly_cost, costs),
            }
        )
    return pd.DataFrame(rows)


def overtime_premium(overtime_hours: float, rate: float, costs: Costs) -> float:
    """The premium on a person's hours beyond the overtime threshold, to the cent."""
    return money(
        Decimal(repr(round(overtime_hours, 4)))
        * Decimal(repr(float(rate)))
        * Decimal(repr(float(costs.overtime_premium)))
    )


def week_cost(shift_costs: pd.Series, overtime_hours: float, rate: float, costs: Costs) -> float:
    """A person's week: their shifts' costs (each to the cent) plus the overtime premium (to the
    cent), so that totals add up to what the rows show."""
    total = sum((Decimal(repr(float(c))) for c in shift_costs), Decimal(0))
    return money(total + Decimal(repr(overtime_premium(overtime_hours, rate, costs))))


def coverage_frame(
    problem: solver.RosterProblem, roster: solver.Roster, week_start: dt.date
) -> pd.DataFrame:
    """Per slot and role: people on duty (breaks excluded), required, post minimum, short.

    Parameters
    ----------
    problem : solver.RosterProblem
        The problem the roster answers (its demands and slot length).
    roster : solver.Roster
        The roster to count.
    week_start : datetime.date
        First day of the grid (local date).

    Returns
    -------
    DataFrame
        One row per role and slot: ``timestamp`` (local start of the slot), ``role``,
        ``required``, ``post_minimum``, ``on_duty``, ``short`` and ``over`` (people; short and
        over are against the larger of required and post minimum).
    """
    n = problem.horizon_slots
    on_duty = coverage(problem, roster)  # the checker's count, breaks excluded
    stamps = [slot_time(week_start, t, problem.slot_minutes) for t in range(n)]
    frames = []
    for demand in problem.demands:
        required = np.asarray(demand.required, dtype=int)
        minimum = (
            np.asarray(demand.minimum, dtype=int) if demand.minimum else np.zeros(n, dtype=int)
        )
        need = np.maximum(required, minimum)
        frames.append(
            pd.DataFrame(
                {
                    TIMESTAMP: stamps,
                    ROLE: demand.role,
                    "required": required,
                    "post_minimum": minimum,
                    "on_duty": on_duty[demand.role],
                    "short": np.maximum(need - on_duty[demand.role], 0),
                    "over": np.maximum(on_duty[demand.role] - need, 0),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def shortfall_text(shortfall: solver.Shortfall, week_start: dt.date, slot_minutes: int) -> str:
    """E.g. ``short 2 people (cashier) Sat 12:00-14:00``.

    Parameters
    ----------
    shortfall : solver.Shortfall
        Missing people of one role over consecutive slots.
    week_start : datetime.date
        First day of the grid (local date).
    slot_minutes : int
        Slot length, minutes.

    Returns
    -------
    str
        The shortfall in words, the role in the plural when more than one person is missing.
    """
    start = slot_time(week_start, shortfall.start_slot, slot_minutes)
    end = slot_time(week_start, shortfall.end_slot, slot_minutes)
    return (
        f"short {_people(shortfall.missing, shortfall.role)} {start:%a} {start:%H:%M}-{end:%H:%M}"
    )


def _people(count: int, role: str) -> str:
    """``2 people (cashier)``, ``1 person (team lead)``: role ids are free text (``sales
    floor``, ``chef``, ``deli``), so the count is of people and the role is named as written;
    guessing a plural from the id's ending had given "2 sales floors" and "2 people in chef"."""
    return f"{count} {'person' if count == 1 else 'people'} ({role.replace('_', ' ')})"


def _blank(value: object) -> bool:
    """An empty cell as the table editor gives it back: None, NaN, NaT or blank text."""
    return value is None or bool(pd.isna(value)) or not str(value).strip()


def _slot_of(text: object, week_start: dt.date, slot_minutes: int) -> int | None:
    """Global slot of an ISO local date-time on the grid, or None when unreadable, off the grid,
    a date alone (not taken for midnight) or with a time-zone offset (times are wall-clock)."""
    raw = str(text).strip()
    try:
        when = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    if when.tzinfo is not None or len(raw) <= len("2026-11-23"):
        return None
    minutes = (when - dt.datetime.combine(week_start, dt.time())).total_seconds() / 60
    return int(minutes // slot_minutes) if minutes % slot_minutes == 0 else None


def _default_break(rule: solver.BreakRule | None, start: int, end: int) -> tuple[int, int] | None:
    """A break in the middle of its window, for a shift long enough to need one (longer than
    ``min_shift_slots``, as the solver and its checker read the rule)."""
    if rule is None or end - start <= rule.min_shift_slots:
        return None
    first = start + rule.window_start_slots
    last = min(start + rule.window_end_slots + rule.length_slots, end - 1) - rule.length_slots
    middle = max(first, (first + last) // 2)
    return middle, middle + rule.length_slots


def roster_from_rows(
    problem: solver.RosterProblem, week_start: dt.date, rows: pd.DataFrame
) -> solver.Roster:
    """A hand-edited roster (rows shaped like ``roster_frame``) back on the solver's grid.

    A shift whose break was removed or left outside the shift gets one in the middle of the
    break window.

    Parameters
    ----------
    problem : solver.RosterProblem
        The problem the roster belongs to (employees, roles, slot length, break rule).
    week_start : datetime.date
        First day of the grid (local date).
    rows : DataFrame
        Rows shaped like :func:`roster_frame`'s: ``start``/``end``/``break_start``/``break_end``
        are ISO local date-times (no time-zone offset) on the ``slot_minutes`` grid.

    Returns
    -------
    solver.Roster
        Status ``edited``, with its penalties and objective recomputed by the checker
        (currency units) and its shortfalls.

    Raises
    ------
    InputError
        Naming the row and field (file ``edited roster``) of every unreadable value: an
        unknown employee or role, a start or end off the week or the grid, an end not after
        the start, or a break time that is neither empty nor on the grid.
    """
    from staffing.errors import InputError, Problem

    slot = problem.slot_minutes
    people = {e.id for e in problem.employees}
    problems: list[Problem] = []
    out: list[solver.Assignment] = []
    for number, row in enumerate(rows.to_dict("records"), start=1):

        def bad(field: str, value: object, expected: str, line: int = number) -> None:
            shown = "" if _blank(value) else str(value)  # an emptied cell, not 'nan'
            problems.append(
                Problem(file="edited roster", line=line, field=field, value=shown,
                        expected=expected)
            )  # fmt: skip

        emp = "" if _blank(row.get("employee_id")) else str(row.get("employee_id")).strip()
        start = _slot_of(row.get("start"), week_start, slot)
        end = _slot_of(row.get("end"), week_start, slot)
        role = "" if _blank(row.get("role")) else str(row.get("role")).strip()
        if emp not in people:
            bad("employee_id", emp, "an employee of this store")
        if start is None or not 0 <= start < problem.days * problem.slots_per_day:
            bad(
                "start",
                row.get("start"),
                f"a local date-time in the week on the {slot}-minute grid",
            )
        if end is None or (start is not None and end <= start):
            bad(
                "end",
                row.get("end"),
                f"a local date-time after the start on the {slot}-minute grid",
            )
        if role not in problem.roles:
            bad("role", role, "one of " + ", ".join(problem.roles))
        if start is None or end is None or end <= start:
            continue
        b_start = _slot_of(row.get("break_start"), week_start, slot)
        b_end = _slot_of(row.get("break_end"), week_start, slot)
        given = (("break_start", b_start), ("break_end", b_end))
        typed = [(k, row.get(k)) for k, at in given if at is None and not _blank(row.get(k))]
        for field, value in typed:  # 'lunch' is not an emptied cell: say so, do not replace it
            bad(
                field, value, f"a date-time on the {slot}-minute grid, or empty for a default break"
            )
        if typed:
            continue
        brk: tuple[int, int] | None = None
        if b_start is not None and b_end is not None and start <= b_start < b_end <= end:
            brk = (b_start, b_end)
        else:
            brk = _default_break(problem.shift_rules.break_rule, start, end)
        out.append(
            solver.Assignment(
                employee_id=emp, day=start // problem.slots_per_day, start_slot=start,
                end_slot=end, role=role, break_start=brk[0] if brk else None,
                break_end=brk[1] if brk else None,
            )
        )  # fmt: skip
    if problems:
        raise InputError(problems)
    assignments = tuple(sorted(out, key=lambda a: (a.employee_id, a.start_slot)))
    draft = solver.Roster(status="edited", assignments=assignments, objective=0.0)
    penalties = solver.evaluate_roster(problem, draft)
    return solver.Roster(
        status="edited",
        assignments=assignments,
        objective=sum(p.value for p in penalties),
        penalties=penalties,
        shortfalls=shortfalls(problem, draft),
    )
