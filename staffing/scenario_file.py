"""Reading a scenarios file (TOML): the what-if variants ``staffing compare`` plans.

One ``[[scenario]]`` table per variant, each key a field of :class:`~staffing.scenarios.Scenario`
(all but ``name`` optional; a key left out keeps the store's value)::

    [[scenario]]
    name = "+10% traffic"
    traffic_factor = 1.1

    [[scenario]]
    name = "90/20"
    service_level = 0.9
    answer_within_seconds = 20

    [[scenario]]
    name = "Promotion Saturday"
    event = { name = "Winter sale", kind = "promotion", start = 2026-12-12, end = 2026-12-12 }

Every problem names the file, the line of its key, the key, the bad value and what was
expected, as for ``store.toml`` (:mod:`staffing._toml`); all of them are reported at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forecasts.calendar import EVENT_KINDS
from staffing._csv import read_text
from staffing._toml import (
    _RANGES,
    _Checker,
    _number,
    _Range,
    _tables,
    _text,
    _unknown,
    parse_toml,
)
from staffing.errors import InputError
from staffing.model import Event, StoreData
from staffing.scenarios import Scenario

__all__ = ["BASELINE", "load_scenarios"]

#: The name of the column of the store as it is, beside the scenarios.
BASELINE = "current"
_TABLE = "scenario"
_day = dt.timedelta(days=1)
_FACTOR = _Range(0, 10, "a factor (1.1 = +10%, 0.9 = -10%)")
_NUMBERS: dict[str, _Range] = {
    "traffic_factor": _FACTOR,
    "wage_factor": _FACTOR,
    **{
        key: _RANGES[key]
        for key in (
            "service_level",
            "answer_within_seconds",
            "max_average_wait_seconds",
            "min_shift_hours",
            "max_shift_hours",
        )
    },
}
_KEYS = {"name", "remove_employees", "event", *_NUMBERS}
_EVENT_KEYS = {"name", "kind", "start", "end"}


def load_scenarios(
    path: Path, data: StoreData, week: dt.date | None = None, days: int = 7
) -> tuple[Scenario, ...]:
    """Read and validate a scenarios file against the store it varies.

    Parameters
    ----------
    path : Path
        The TOML file.
    data : StoreData
        The store: employees left out must be its own, shift lengths must fit its planning
        interval.
    week : datetime.date, optional
        First planned day: an event must fall on one of the ``days`` from it (one outside
        changes nothing, so its dates are wrong).
    days : int
        Days planned.

    Returns
    -------
    tuple of Scenario
        In file order.

    Raises
    ------
    InputError
        With every problem found: TOML syntax, no ``[[scenario]]``, unknown keys (with the
        nearest known one), a missing, repeated or reserved (``current``) name, numbers of the
        wrong type or out of range, employees the store does not have (or all of them), an
        event without a name, of an unknown kind, ending before it starts or outside the
        planned days, a longest shift
        below the shortest or shift lengths off the planning grid.
    """
    display = path.name
    text = read_text(path, display)
    raw = parse_toml(text, display)
    chk = _Checker(text, display)
    for key in raw:
        if key != _TABLE:
            _unknown(chk, key, key, {_TABLE})
    if _TABLE not in raw:
        chk.add(_TABLE, f"at least one [[{_TABLE}]] table")
    names: set[str] = set()
    scenarios: list[Scenario] = []
    tables = _tables(chk, raw[_TABLE], _TABLE, required=True) if _TABLE in raw else []
    for i, table in enumerate(tables):
        here = _Scope(chk, i)
        before = len(chk.problems)
        scenario = _scenario(here, table, data, names)
        event = scenario.extra_event if scenario else None
        last = week + _day * (days - 1) if week else None
        if event and week and last and not (week <= event.end_date and event.start_date <= last):
            here.add("event", f"dates within the planned days {week} .. {last} (an event "
                     "outside them changes nothing)", f"{event.start_date} .. {event.end_date}",
                     "event")  # fmt: skip
        if scenario is None or len(chk.problems) > before:
            continue
        try:
            scenario.apply(data)  # the shift lengths against the planning grid, among others
        except ValueError as exc:
            here.add("", f"a scenario the store allows ({exc})")
            continue
        scenarios.append(scenario)
    if chk.problems:
        raise InputError(chk.problems)
    return tuple(scenarios)


@dataclass(frozen=True, slots=True)
class _Scope:
    """The ``index``-th ``[[scenario]]`` table of the file ``chk`` checks."""

    chk: _Checker
    index: int

    def path(self, field: str) -> str:
        where = f"{_TABLE}[{self.index + 1}]"
        return f"{where}.{field}" if field else where

    def add(self, field: str, expected: str, value: object = None, key: str | None = None) -> None:
        """Report a problem with ``field`` (dotted below the table; "" for the whole table),
        on the line of ``key``."""
        self.chk.add(self.path(field), expected, value, table=_TABLE, index=self.index, key=key)


def _scenario(
    here: _Scope, table: dict[str, Any], data: StoreData, names: set[str]
) -> Scenario | None:
    """One ``[[scenario]]`` table as a :class:`Scenario`, or None after reporting its problems."""
    for key in table:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, sorted(_KEYS), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            here.add(key, f"one of the keys {', '.join(sorted(_KEYS))}{hint}", key, key)
    if "name" not in table:
        here.add("name", "the required key 'name'")
        return None
    name = _text(here.chk, table, "name", path=here.path("name"), table=_TABLE, index=here.index)
    if name and (name in names or name.lower() == BASELINE):
        why = "used by an earlier scenario" if name in names else "the store as it is"
        here.add("name", f"a name of its own ('{name}' is {why})", name, "name")
    names.add(name)
    numbers: dict[str, float] = {}
    for key in (k for k in table if k in _NUMBERS):  # in file order
        value = _number(here.chk, table[key], here.path(key), key, table=_TABLE,
                        index=here.index, spec=_NUMBERS[key])  # fmt: skip
        if value is not None:
            numbers[key] = float(value)
    shortest = numbers.get("min_shift_hours", data.store.rules.min_shift_hours)
    longest = numbers.get("max_shift_hours", data.store.rules.max_shift_hours)
    if shortest > longest and ("min_shift_hours" in numbers or "max_shift_hours" in numbers):
        key = "max_shift_hours" if "max_shift_hours" in numbers else "min_shift_hours"
        here.add(key, f"a longest shift of at least the shortest ({longest:g} h < {shortest:g} h)",
                 table[key], key)  # fmt: skip
    gone = _left_out(here, table.get("remove_employees", []), data)
    event = _event(here, table["event"]) if "event" in table else None
    if not name:
        return None
    return Scenario(name=name, remove_employees=gone, extra_event=event, **numbers)


def _left_out(here: _Scope, value: object, data: StoreData) -> tuple[str, ...]:
    """``remove_employees``: ids of the store's employees, not all of them."""
    key = "remove_employees"
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        here.add(key, 'a list of employee ids in quotes, e.g. ["E07", "E12"]', value, key)
        return ()
    known = [e.id for e in data.employees]
    for v in value:
        if v not in known:
            close = difflib.get_close_matches(v, known, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            here.add(key, f"an employee id of employees.csv{hint}", v, key)
    if set(known) <= set(value):
        here.add(key, "at least one employee left in (with nobody there is no roster)", value, key)
    return tuple(value)


def _event(here: _Scope, value: object) -> Event | None:
    """``event``: a table of name, kind, start and end (dates, inclusive)."""
    shape = '{ name = "...", kind = "promotion", start = 2026-12-12, end = 2026-12-13 }'
    if not isinstance(value, dict):
        here.add("event", f"a table {shape}", value, "event")
        return None
    before = len(here.chk.problems)
    for key in value:
        if key not in _EVENT_KEYS:
            close = difflib.get_close_matches(key, sorted(_EVENT_KEYS), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            known = ", ".join(sorted(_EVENT_KEYS))
            here.add(f"event.{key}", f"one of the keys {known}{hint}", key, "event")
    name, kind = value.get("name"), value.get("kind")
    if not isinstance(name, str) or not name.strip() or not name.isprintable():
        here.add("event.name", "a non-empty event name in quotes", name, "event")
    if kind not in EVENT_KINDS:
        here.add("event.kind", f"one of {', '.join(EVENT_KINDS)}", kind, "event")
    dates: list[dt.date] = []
    for key in ("start", "end"):
        day = value.get(key)
        if type(day) is not dt.date:  # a datetime is a date too: refused, it has a time
            here.add(f"event.{key}", "a date written YYYY-MM-DD, without quotes", day, "event")
        else:
            dates.append(day)
    if len(dates) == 2 and dates[1] < dates[0]:
        here.add("event.end", f"a day on or after the start ({dates[0]})", dates[1], "event")
    if len(here.chk.problems) > before:
        return None
    assert isinstance(name, str)
    assert isinstance(kind, str)
    return Event(start_date=dates[0], end_date=dates[1], name=name.strip(), kind=kind)
