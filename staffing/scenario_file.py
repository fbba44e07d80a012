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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from forecasts.calendar import EVENT_KINDS
from staffing._csv import read_text
from staffing._toml import (
    _RANGES,
    _check_rules,
    _Checker,
    _Locator,
    _number,
    _Range,
    _tables,
    _text,
    _unknown,
    parse_toml,
)
from staffing.errors import InputError
from staffing.exports import neutralise
from staffing.model import Event, StoreData
from staffing.scenarios import Scenario

__all__ = ["BASELINE", "LABELS", "load_scenarios", "planning_error"]

#: The name of the column of the store as it is, beside the scenarios.
BASELINE = "current"
#: The column of the figures' names in the table ``staffing compare`` writes.
LABELS = "figure"
_RESERVED = {BASELINE: "the column of the store as it is", LABELS: "the column of figure names"}
_TABLE = "scenario"
_day = dt.timedelta(days=1)
_LAST_EVENT_DAY = dt.date(2200, 12, 31)
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
        nearest known one); a missing, repeated or reserved name (``current``, ``figure``, or
        one a spreadsheet-safe CSV header would make so) or one with control characters;
        numbers of the wrong type or out of range; a target no channel has; shift lengths the
        store's rules would refuse in ``store.toml``; employees the store does not have, named
        twice, or all of them; an event without a name, of an unknown kind, ending before it
        starts, starting on or before the history's last day or after the planned days.
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
        if scenario is not None and scenario.extra_event is not None:
            _event_dates(here, scenario.extra_event, data, week, days)
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


def planning_error(path: Path, index: int, name: str, error: Exception) -> InputError:
    """What planning the ``index``-th scenario of ``path`` (0-based) ran into, on its line.

    Some limits show only once a scenario is planned (a traffic factor that leaves a channel
    too large to size, say); the store's own files are not the cause, the scenario is.
    """
    line = _Locator(read_text(path, path.name)).line(None, _TABLE, index)
    return InputError.single(
        path.name,
        f"a scenario that can be planned; planning it says: {error}",
        line=line,
        field=f"{_TABLE}[{index + 1}]",
        value=name,
    )


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
    """One ``[[scenario]]`` table as a :class:`Scenario`, or None after reporting its problems
    (all of them: a missing name does not hide the others)."""
    for key in table:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, sorted(_KEYS), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            here.add(key, f"one of the keys {', '.join(sorted(_KEYS))}{hint}", key, key)
    name = ""
    if "name" not in table:
        here.add("name", "the required key 'name'")
    else:
        name = _text(here.chk, table, "name", path=here.path("name"), table=_TABLE,
                     index=here.index)  # fmt: skip
    if name:
        _name(here, name, names)
    numbers: dict[str, float] = {}
    for key in (k for k in table if k in _NUMBERS):  # in file order
        value = _number(here.chk, table[key], here.path(key), key, table=_TABLE,
                        index=here.index, spec=_NUMBERS[key])  # fmt: skip
        if value is not None:
            numbers[key] = float(value)
    _targets(here, numbers, data)
    _shift_lengths(here, table, numbers, data)
    gone = _left_out(here, table.get("remove_employees", []), data)
    event = _event(here, table["event"]) if "event" in table else None
    if not name:
        return None
    return Scenario(name=name, remove_employees=gone, extra_event=event, **numbers)


def _name(here: _Scope, name: str, names: set[str]) -> None:
    """A scenario's name: printable, its own once neutralised for spreadsheets (``+x`` and
    ``'+x`` are one CSV header), and neither the store's column nor the table's labels."""
    shown = str(neutralise(name)).casefold()
    if not name.isprintable():
        here.add("name", "a name without control characters (tabs, line breaks)", name, "name")
    elif shown in names:
        here.add("name", f"a name of its own ('{name}' is used by an earlier scenario)", name,
                 "name")  # fmt: skip
    elif shown in _RESERVED:
        here.add("name", f"a name of its own ('{name}' is kept for {_RESERVED[shown]})", name,
                 "name")  # fmt: skip
    names.add(shown)


def _targets(here: _Scope, numbers: dict[str, float], data: StoreData) -> None:
    """A target replaced must be one some channel has: the scenario changes nothing else."""
    channels = data.store.channels
    has = {
        "service_level": any(c.service_level is not None for c in channels),
        "max_average_wait_seconds": any(c.max_average_wait_seconds for c in channels),
    }
    has["answer_within_seconds"] = has["service_level"]
    for key, present in has.items():
        if key in numbers and not present:
            what = "a service-level" if key != "max_average_wait_seconds" else "a maximum wait"
            here.add(key, f"a target some channel has (no channel of store.toml has {what} "
                     "target, so it changes nothing)", numbers[key], key)  # fmt: skip


def _shift_lengths(
    here: _Scope, table: dict[str, Any], numbers: dict[str, float], data: StoreData
) -> None:
    """Replaced shift lengths must pass the checks ``store.toml``'s would: the shortest not
    above the longest, a length on the planning grid, room for the break where one is due."""
    changed: dict[str, float] = {
        k: numbers[k] for k in ("min_shift_hours", "max_shift_hours") if k in numbers
    }
    if not changed:
        return
    store = data.store
    rules = replace(store.rules, **changed)  # type: ignore[arg-type]
    check = _Checker("", here.chk.file)
    _check_rules(check, changed, replace(store, rules=rules))
    for problem in check.problems:
        key = (problem.field or "").removeprefix("rules.")
        expected = problem.expected
        if key not in changed:  # a store rule the new lengths no longer fit
            expected = f"shift lengths the store's rules allow (rules.{key}: {expected})"
            key = next(iter(changed))
        else:
            expected = expected.replace("rules.", "the store's rules.")
        here.add(key, expected, table[key], key)


def _left_out(here: _Scope, value: object, data: StoreData) -> tuple[str, ...]:
    """``remove_employees``: ids of the store's employees, each once, not all of them."""
    key = "remove_employees"
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        here.add(key, 'a list of employee ids in quotes, e.g. ["E07", "E12"]', value, key)
        return ()
    known = [e.id for e in data.employees]
    seen: set[str] = set()
    for v in value:
        if v not in known:
            close = difflib.get_close_matches(v, known, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            here.add(key, f"an employee id of employees.csv{hint}", v, key)
        elif v in seen:
            here.add(key, "each employee once", v, key)
        seen.add(v)
    if set(known) <= seen:
        here.add(key, "at least one employee left in (with nobody there is no roster)", value, key)
    return tuple(value)


def _event_dates(
    here: _Scope, event: Event, data: StoreData, week: dt.date | None, days: int
) -> None:
    """An extra event is about the planned days: on one of them at least, and after the
    history (an event over past days would change what the forecast learns, not the week)."""
    shown = f"{event.start_date} .. {event.end_date}"
    last_seen = data.traffic["timestamp"].max().date()
    if event.start_date <= last_seen:
        here.add("event", f"dates after the history's last day ({last_seen}): a scenario's "
                 "event changes the planned week, not the past the forecast learns from", shown,
                 "event")  # fmt: skip
    elif event.end_date > _LAST_EVENT_DAY:
        here.add("event", f"an end by {_LAST_EVENT_DAY} (as in events.csv)", shown, "event")
    elif week is not None:
        last = week + _day * (days - 1)
        if event.end_date < week or event.start_date > last:
            here.add("event", f"dates on the planned days {week} .. {last} (an event outside "
                     "them changes nothing)", shown, "event")  # fmt: skip


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
