"""Loading a store folder: the one place user input enters and is validated.

Each reader collects every problem of its file and raises one :class:`InputError` naming file,
line, field, bad value and what was expected. Nothing is dropped silently: repairs are returned
as warnings on :class:`StoreData`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import zipfile
import zoneinfo
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from forecasts.calendar import EVENT_KINDS  # the kinds the forecast knows: one list
from staffing._csv import MOST_PER_HOUR, Table, parse_clock, parse_float, parse_int, read_table
from staffing._toml import load_store_toml, parse_weekday
from staffing.errors import InputError, Problem
from staffing.model import (
    WEEKDAYS,
    AvailabilityKind,
    AvailabilityRule,
    Employee,
    Event,
    Store,
    StoreData,
)

__all__ = [
    "EVENT_KINDS",
    "STORE_FILES",
    "load_store",
    "unpack_store",
    "read_availability",
    "read_employees",
    "read_events",
    "read_traffic",
]

T = TypeVar("T")
_MAX_PROBLEMS = 200
_STAMP = r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"  # a local date-time
FIRST_YEAR, LAST_YEAR = 1900, 2200  # traffic timestamps outside these are typos
_LONG_GAP = pd.Timedelta(days=14)  # traffic rows further apart than this get a warning
_MOST = 1e9  # contacts in one row: more is a typo (and overflows the forecast's weights)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # control characters (Unicode Cc), tab too


def load_store(folder: str | Path) -> StoreData:
    """Load and validate a store folder (see docs/store_format.md).

    Parameters
    ----------
    folder : str or Path
        Folder holding ``store.toml``, ``employees.csv``, ``traffic.csv`` and optionally
        ``availability.csv`` and ``events.csv``.

    Returns
    -------
    StoreData
        The store, employees, availability, traffic (contacts per row of ``traffic.csv``) and
        events, with ``warnings`` for what was repaired or noticed (rules and hours off the
        planning grid, availability only while closed, long gaps in the traffic).

    Raises
    ------
    InputError
        With every problem found, each naming file, line, field and value: ``folder`` not a
        folder; problems in ``store.toml`` alone when it has any (the other files are read
        against it), else in every file (``availability.csv`` only once ``employees.csv``
        reads, since it names them).
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError.single(str(root), "a store folder (a directory holding store.toml)")
    store = load_store_toml(root / "store.toml")
    problems: list[Problem] = []
    uncollected = 0

    def attempt(read: Callable[[], T]) -> T | None:
        nonlocal uncollected
        try:
            return read()
        except InputError as exc:
            problems.extend(exc.problems)
            uncollected += exc.uncollected
            return None

    employees = attempt(lambda: read_employees(root / "employees.csv", store))
    availability: tuple[AvailabilityRule, ...] | None = ()
    if employees is not None and (root / "availability.csv").exists():
        availability = attempt(lambda: read_availability(root / "availability.csv", employees))
    read = attempt(
        lambda: read_traffic(
            root / "traffic.csv",
            channels=[c.id for c in store.channels],
            timezone=store.timezone,
            interval_minutes=store.interval_minutes,
        )
    )
    events: tuple[Event, ...] | None = ()
    if (root / "events.csv").exists():
        events = attempt(lambda: read_events(root / "events.csv"))
    _raise_if(problems, uncollected)
    notes = _closed_availability(store, availability or ())
    assert employees is not None  # each None came with problems, raised above
    assert availability is not None
    assert read is not None
    assert events is not None
    traffic, warnings = read
    warnings = _grid_notes(store) + _unheld_roles(store, employees) + notes + warnings
    return StoreData(
        store=store,
        employees=employees,
        availability=availability,
        traffic=traffic,
        events=events,
        source=str(root),
        warnings=tuple(warnings),
    )


def _grid_notes(store: Store) -> list[str]:
    """Warnings for rules and hours off the planning grid, saying what the roster uses."""
    slot = store.interval_minutes
    rules = store.rules
    notes = []
    rounded = (  # key, minutes as written, rounded up (else down), unit shown
        ("min_shift_hours", rules.min_shift_hours * 60, True, "hours"),
        ("max_shift_hours", rules.max_shift_hours * 60, False, "hours"),
        ("min_rest_hours", rules.min_rest_hours * 60, True, "hours"),
        ("break_after_hours", rules.break_after_hours * 60, False, "hours"),
        ("break_minutes", rules.break_minutes, True, "minutes"),
        ("break_window_start_hours", rules.break_window_start_hours * 60, False, "hours"),
        ("break_window_end_hours", rules.break_window_end_hours * 60, False, "hours"),
        # shifts may start this long before opening and end this long after closing
        ("prep_minutes_before_open", rules.prep_minutes_before_open, True, "minutes"),
        ("close_minutes_after_close", rules.close_minutes_after_close, True, "minutes"),
    )
    for key, minutes, up, unit in rounded:
        if key.startswith("break_") and key != "break_minutes" and rules.break_minutes == 0:
            continue
        if minutes % slot:
            used = (-(-minutes // slot) if up else minutes // slot) * slot
            shown = f"{used / 60:g} hours" if unit == "hours" else f"{used:g} minutes"
            notes.append(
                f"store.toml: rules.{key} is not a whole number of {slot}-minute planning "
                f"intervals; the roster uses {shown}"
            )
    for day, hours in sorted(store.opening_hours.items()):
        if any((t.hour * 60 + t.minute) % slot for t in hours):
            notes.append(
                f"store.toml: opening_hours.{WEEKDAYS[day]} {hours[0]:%H:%M}-{hours[1]:%H:%M} "
                f"is off the {slot}-minute planning grid; only intervals that start inside it "
                "are open"
            )
    return notes


def _closed_availability(store: Store, rules: Iterable[AvailabilityRule]) -> list[str]:
    """Warnings for hours someone is available only while the store is closed."""
    notes = []
    for rule in rules:
        if rule.kind != AvailabilityKind.AVAILABLE or rule.start is None or rule.end is None:
            continue
        if rule.weekday is not None:
            weekday = rule.weekday
        elif rule.date is not None:
            weekday = rule.date.weekday()
        else:  # pragma: no cover - the reader sets one of them
            continue
        window = store.open_minutes(weekday)
        start = rule.start.hour * 60 + rule.start.minute
        end = rule.end.hour * 60 + rule.end.minute or 1440
        if window is None or end <= window[0] or start >= window[1]:
            when = WEEKDAYS[weekday] if rule.weekday is not None else str(rule.date)
            notes.append(
                f"availability.csv: {rule.employee_id} is available on {when} "
                f"{rule.start:%H:%M}-{rule.end:%H:%M} only while the store is closed, so no "
                "shift fits then"
            )
    return notes


STORE_FILES = ("store.toml", "employees.csv", "traffic.csv", "availability.csv", "events.csv")


def unpack_store(files: Iterable[tuple[str, bytes]], target: Path) -> Path:
    """Write uploaded files (a zip of a store folder, or the files themselves) into ``target``.

    Only base names are kept (a zip's folders are flattened, so nothing is written outside
    ``target``); the result is then loaded with :func:`load_store` like any folder. A .csv or
    .toml file that is not one of :data:`STORE_FILES` (a misspelling would be ignored) and two
    files of the same name (a zip with a backup folder: which one is meant?) are errors.

    Parameters
    ----------
    files : iterable of (str, bytes)
        Uploaded file names and contents; a name ending in ``.zip`` is unpacked (hidden files
        and folders in it are skipped).
    target : Path
        Folder to write into; created with its parents if missing. Files of the same names
        are replaced.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    InputError
        A ``.zip`` that is not a valid archive (alone); else every misnamed or repeated file,
        named by upload (and member) name. Files accepted before the problem was found are
        already written.
    OSError
        When ``target`` or a file in it cannot be written.
    """
    target.mkdir(parents=True, exist_ok=True)
    seen: dict[str, str] = {}  # base name -> where it came from
    problems: list[Problem] = []

    def keep(where: str, base: str, content: bytes) -> None:
        if base.lower().endswith((".csv", ".toml")) and base not in STORE_FILES:
            close = difflib.get_close_matches(base, STORE_FILES, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(
                Problem(
                    file=where, expected=f"one of the store's files: {', '.join(STORE_FILES)}{hint}"
                )
            )
            return
        if base in seen:
            problems.append(
                Problem(file=where, expected=f"one {base} only (another is {seen[base]})")
            )
            return
        seen[base] = where
        (target / base).write_bytes(content)

    for name, content in files:
        if name.lower().endswith(".zip"):
            try:
                archive = zipfile.ZipFile(io.BytesIO(content))
            except zipfile.BadZipFile:
                raise InputError.single(name, "a valid .zip archive") from None
            with archive:
                for member in archive.infolist():
                    base = Path(member.filename).name
                    if base and not member.is_dir() and not base.startswith("."):
                        keep(f"{name}: {member.filename}", base, archive.read(member))
        else:
            keep(name, Path(name).name, content)
    _raise_if(problems)
    return target


def _raise_if(problems: list[Problem], uncollected: int = 0) -> None:
    if problems:
        raise InputError(problems, uncollected)


def _plain_text(file: str, line: int, field: str, value: str) -> str:
    """``value`` if it holds no control character (tab included), else an :class:`InputError`.

    A name pasted from another system can carry one; it would show as nothing on screen and
    break exports, so it is named here (the message shows the value escaped, e.g. ``\\x01``).
    """
    if _CONTROL.search(value):
        raise InputError.single(
            file, "text without control characters", line=line, field=field, value=value
        )
    return value


def read_employees(
    path: Path, store: Store, display: str = "employees.csv"
) -> tuple[Employee, ...]:
    """Read ``employees.csv``; roles must be among the store's roles, ids unique.

    Parameters
    ----------
    path : Path
        The CSV file.
    store : Store
        The store whose roles the employees' roles must be among.
    display : str
        The file's name in messages.

    Returns
    -------
    tuple of Employee
        In file order: contract hours per week (0-168), hourly cost (currency units per
        hour), most days and weekend days worked per week.

    Raises
    ------
    InputError
        With every problem found, naming file, line, field and value: the file missing, not
        UTF-8 text, without a header row of the expected columns (a misspelled or unknown
        column included) or without data rows; a row with the wrong number of fields, an empty
        or repeated id, an empty name, text with control characters, roles not of the store,
        or a number out of range.
    """
    table = read_table(
        path,
        display,
        ("employee_id", "name", "roles", "min_hours_week", "max_hours_week", "hourly_cost"),
        ("max_days_week", "max_weekend_days", "contract"),
    )
    problems: list[Problem] = list(table.problems)  # rows with the wrong field count
    result: list[Employee] = []
    seen: dict[str, int] = {}
    for row, line in zip(table.rows, table.lines, strict=True):
        try:
            result.append(_employee(table, row, line, store, seen))
        except InputError as exc:
            problems.extend(exc.problems)
    _raise_if(problems)
    return tuple(result)


def _employee(
    table: Table, row: dict[str, str], line: int, store: Store, seen: dict[str, int]
) -> Employee:
    """One row of ``employees.csv``; every bad field of it is named (each checked on its own,
    so a row with bad roles and bad hours says both at once)."""
    f = table.file
    problems: list[Problem] = []

    def check(read: Callable[[], T]) -> T | None:
        try:
            return read()
        except InputError as exc:
            problems.extend(exc.problems)
            return None

    eid = check(lambda: _employee_id(f, line, row["employee_id"], seen))
    if check(lambda: _plain_text(f, line, "name", row["name"])) == "":
        problems.append(Problem(file=f, line=line, field="name", value="",
                                expected="a non-empty name"))  # fmt: skip
    contract = check(lambda: _plain_text(f, line, "contract", row.get("contract", "")))
    roles = check(lambda: _roles(f, line, row["roles"], store))
    lo = check(
        lambda: parse_float(f, line, "min_hours_week", row["min_hours_week"], minimum=0,
                            maximum=168)
    )  # fmt: skip
    hi = check(
        lambda: parse_float(f, line, "max_hours_week", row["max_hours_week"], minimum=0,
                            maximum=168)
    )  # fmt: skip
    if lo is not None and hi is not None and hi < lo:
        problems.append(
            Problem(
                file=f, line=line, field="max_hours_week", value=row["max_hours_week"],
                expected=f"a number between min_hours_week ({lo:g}) and 168",
            )
        )  # fmt: skip
    cost = check(
        lambda: parse_float(f, line, "hourly_cost", row["hourly_cost"], minimum=0,
                            maximum=MOST_PER_HOUR)
    )  # fmt: skip
    max_days = None
    if row.get("max_days_week"):
        max_days = check(
            lambda: parse_int(f, line, "max_days_week", row["max_days_week"], minimum=0,
                              maximum=7)
        )  # fmt: skip
    weekend: int | None = 2  # a week has two weekend days
    if row.get("max_weekend_days"):
        weekend = check(
            lambda: parse_int(f, line, "max_weekend_days", row["max_weekend_days"], minimum=0,
                              maximum=2)
        )  # fmt: skip
    if (
        problems  # each None below came with a problem
        or eid is None
        or roles is None
        or lo is None
        or hi is None
        or cost is None
        or weekend is None
        or contract is None
    ):
        raise InputError(problems)
    return Employee(
        id=eid,
        name=row["name"],
        roles=roles,
        min_hours_week=lo,
        max_hours_week=hi,
        hourly_cost=cost,
        max_days_week=max_days,
        max_weekend_days=weekend,
        contract=contract,
    )


def _employee_id(f: str, line: int, text: str, seen: dict[str, int]) -> str:
    eid = _plain_text(f, line, "employee_id", text)
    if not eid:
        raise InputError.single(
            f, "a non-empty employee id", line=line, field="employee_id", value=""
        )
    if eid in seen:
        raise InputError.single(
            f,
            f"a unique employee id (already used on line {seen[eid]})",
            line=line,
            field="employee_id",
            value=eid,
        )
    seen[eid] = line
    return eid


def _roles(f: str, line: int, text: str, store: Store) -> tuple[str, ...]:
    parts = [r.strip() for r in text.split(";")]
    roles = tuple(dict.fromkeys(r for r in parts if r))
    bad = [r for r in roles if r not in store.roles]
    expected = f"roles separated by ';' from {', '.join(store.roles)}"
    # "supervisor;;" or "cashier;cashier" is a typo to name, not to tidy away silently
    if roles and not bad and "" in parts:
        expected += ", with no empty entry"
    elif roles and not bad and len(roles) != len(parts):
        twice = next(r for r in roles if parts.count(r) > 1)
        expected += f", each once ('{twice}' is listed twice)"
    if not roles or bad or len(roles) != len(parts):
        raise InputError.single(f, expected, line=line, field="roles", value=text)
    return roles


def read_availability(
    path: Path, employees: Collection[Employee], display: str = "availability.csv"
) -> tuple[AvailabilityRule, ...]:
    """Read ``availability.csv``; every employee must exist, windows must be well formed.

    Parameters
    ----------
    path : Path
        The CSV file (no data rows is allowed).
    employees : collection of Employee
        The store's employees.
    display : str
        The file's name in messages.

    Returns
    -------
    tuple of AvailabilityRule
        In file order; each for a week day or a date, a local clock window (None: the whole
        day) and a kind (available, unavailable, preferred).

    Raises
    ------
    InputError
        With every problem found, naming file, line, field and value: the file missing, not
        UTF-8 text or without a header row of the expected columns; a row with the wrong
        number of fields, an unknown employee, a day that is neither a week day nor a date,
        an unreadable time, an end not after the start, or an unknown kind.
    """
    table = read_table(
        path, display, ("employee_id", "day", "start", "end", "kind"), allow_empty=True
    )
    known = {e.id for e in employees}
    problems: list[Problem] = list(table.problems)  # rows with the wrong field count
    rules: list[AvailabilityRule] = []
    f = table.file
    for row, line in zip(table.rows, table.lines, strict=True):
        try:
            if row["employee_id"] not in known:
                raise InputError.single(
                    f,
                    "an employee_id listed in employees.csv",
                    line=line,
                    field="employee_id",
                    value=row["employee_id"],
                )
            weekday = parse_weekday(row["day"])
            date = None
            if weekday is None:
                try:
                    date = dt.date.fromisoformat(row["day"])
                except ValueError:
                    raise InputError.single(
                        f,
                        "a week day name (monday ... sunday) or a date YYYY-MM-DD",
                        line=line,
                        field="day",
                        value=row["day"],
                    ) from None
            start = parse_clock(f, line, "start", row["start"]) if row["start"] else None
            end = parse_clock(f, line, "end", row["end"], is_end=True) if row["end"] else None
            if start is not None and end is not None:
                end_min = end.hour * 60 + end.minute or 1440
                if end_min <= start.hour * 60 + start.minute:
                    raise InputError.single(
                        f,
                        f"an end after the start ({row['start']})",
                        line=line,
                        field="end",
                        value=row["end"],
                    )
            try:
                kind = AvailabilityKind(row["kind"].lower())
            except ValueError:
                raise InputError.single(
                    f,
                    "available, unavailable or preferred",
                    line=line,
                    field="kind",
                    value=row["kind"],
                ) from None
            rules.append(
                AvailabilityRule(
                    employee_id=row["employee_id"],
                    weekday=weekday,
                    date=date,
                    start=start,
                    end=end,
                    kind=kind,
                )
            )
        except InputError as exc:
            problems.extend(exc.problems)
    _raise_if(problems)
    return tuple(rules)


def read_events(path: Path, display: str = "events.csv") -> tuple[Event, ...]:
    """Read ``events.csv`` (inclusive date ranges with a kind from :data:`EVENT_KINDS`).

    Parameters
    ----------
    path : Path
        The CSV file (no data rows is allowed).
    display : str
        The file's name in messages.

    Returns
    -------
    tuple of Event
        In file order, kinds in lower case.

    Raises
    ------
    InputError
        With every problem found, naming file, line, field and value: the file missing, not
        UTF-8 text or without a header row of the expected columns; a row with the wrong
        number of fields, a date unreadable or outside the years 1900-2200, an end before the
        start, an empty name or one with control characters, or an unknown kind.
    """
    table = read_table(path, display, ("start_date", "end_date", "name", "kind"), allow_empty=True)
    problems: list[Problem] = list(table.problems)  # rows with the wrong field count
    events: list[Event] = []
    f = table.file
    for row, line in zip(table.rows, table.lines, strict=True):
        mine: list[Problem] = []  # every bad field of the row, each checked on its own
        dates: list[dt.date | None] = []
        for key in ("start_date", "end_date"):
            try:
                date: dt.date | None = dt.date.fromisoformat(row[key])
            except ValueError:
                date = None
                mine.append(Problem(file=f, line=line, field=key, value=row[key],
                                    expected="a date YYYY-MM-DD"))  # fmt: skip
            if date is not None and not FIRST_YEAR <= date.year <= LAST_YEAR:
                date = None
                mine.append(
                    Problem(file=f, line=line, field=key, value=row[key],
                            expected=f"a date in the years {FIRST_YEAR}-{LAST_YEAR}")
                )  # fmt: skip
            dates.append(date)
        try:
            name = _plain_text(f, line, "name", row["name"])
        except InputError as exc:
            mine.extend(exc.problems)
            name = "-"
        if not name.strip():
            mine.append(
                Problem(file=f, line=line, field="name", value=row["name"],
                        expected="a name for the event (shown on the forecast)")
            )  # fmt: skip
        kind = row["kind"].strip().lower()  # as availability.csv's kind: any case
        first, last = dates
        if first is not None and last is not None and last < first:
            mine.append(
                Problem(file=f, line=line, field="end_date", value=row["end_date"],
                        expected=f"an end_date on or after start_date ({row['start_date']})")
            )  # fmt: skip
        if kind not in EVENT_KINDS:
            mine.append(
                Problem(file=f, line=line, field="kind", value=row["kind"],
                        expected=f"one of {', '.join(EVENT_KINDS)}")
            )  # fmt: skip
        if mine or first is None or last is None:
            problems.extend(mine)
            continue
        events.append(Event(start_date=first, end_date=last, name=name, kind=kind))
    _raise_if(problems)
    return tuple(events)


def read_traffic(
    path: Path,
    *,
    channels: Collection[str] | None = None,
    timezone: str | None = None,
    interval_minutes: int | None = None,
    display: str = "traffic.csv",
) -> tuple[pd.DataFrame, list[str]]:
    """Read a traffic history ``timestamp, channel, volume`` (``channel`` optional).

    Parameters
    ----------
    path : Path
        The CSV file.
    channels : collection of str, optional
        Known channel ids; when given, ``channel`` is required and checked.
    timezone : str, optional
        IANA zone; timestamps inside a daylight-saving gap are rejected.
    interval_minutes : int, optional
        Planning interval, minutes; the data's resolution (5-60 minutes) must divide it.
    display : str
        The file's name in messages.

    Returns
    -------
    (DataFrame, list of str)
        Columns ``timestamp`` (naive local), ``channel``, ``volume`` (float, contacts per
        interval), sorted; and warnings about what was noticed (gaps are left missing).

    Raises
    ------
    InputError
        With the problems found (a few hundred per check at most, the rest counted), naming
        file, line, field and value: the file missing, not UTF-8 text, without a header row
        of the expected columns (a misspelled or unknown column included) or without data
        rows; a row with the wrong number of fields, a timestamp unreadable, with a time-zone
        offset, outside the years 1900-2200, repeated for a channel, in a daylight-saving gap
        or off the data's grid; a volume that is not a number of contacts from 0 to 1e9; an
        unknown channel; or a resolution that does not divide ``interval_minutes``.
    zoneinfo.ZoneInfoNotFoundError
        An unknown ``timezone`` (``store.toml``'s is checked when it is read).
    """
    optional = () if channels is not None else ("channel",)
    required = (
        ("timestamp", "channel", "volume") if channels is not None else ("timestamp", "volume")
    )
    table = read_table(path, display, required, optional)
    f = table.file
    lines = np.asarray(table.lines)
    frame = pd.DataFrame(list(table.rows), columns=list(table.columns))
    if "channel" not in frame:
        frame["channel"] = "all"
    problems: list[Problem] = list(table.problems)  # rows with the wrong field count
    uncollected = [0]  # problems found beyond the _MAX_PROBLEMS kept per check
    written = {c: frame[c].astype(str).to_numpy() for c in frame.columns}  # values as written

    def report(mask: np.ndarray, field: str, expected: str) -> None:
        found = np.flatnonzero(mask)
        uncollected[0] += max(0, len(found) - _MAX_PROBLEMS)
        for i in found[:_MAX_PROBLEMS]:
            problems.append(
                Problem(
                    file=f,
                    line=int(lines[i]),
                    field=field,
                    value=written[field][i],
                    expected=expected,
                )
            )

    raw = frame["timestamp"].astype(str).str.strip()
    # A time-zone offset is refused by name (the history is local wall-clock time), and a date
    # alone is not taken for midnight.
    zoned = raw.str.fullmatch(_STAMP + r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)").to_numpy()
    report(zoned, "timestamp", "a local wall-clock date-time without a time-zone offset")
    shaped = raw.str.fullmatch(_STAMP).to_numpy()
    stamps = pd.to_datetime(raw.where(shaped), format="ISO8601", errors="coerce")
    unread = ~zoned & stamps.isna().to_numpy()
    report(unread, "timestamp", "a local date-time YYYY-MM-DD HH:MM[:SS]")
    years = stamps.dt.year.to_numpy()
    report(
        stamps.notna().to_numpy() & ((years < FIRST_YEAR) | (years > LAST_YEAR)),
        "timestamp",
        f"a date in the years {FIRST_YEAR}-{LAST_YEAR}",
    )
    volume = pd.to_numeric(frame["volume"], errors="coerce")
    bad_volume = (volume.isna() | ~np.isfinite(volume) | (volume < 0) | (volume > _MOST)).to_numpy()
    report(bad_volume, "volume", f"a number of contacts from 0 to {_MOST:,.0f}")
    if channels is not None:
        report(
            ~frame["channel"].isin(list(channels)).to_numpy(),
            "channel",
            f"a channel id from store.toml ({', '.join(channels)})",
        )
    _raise_if(problems, uncollected[0])

    frame = pd.DataFrame(
        {
            "timestamp": stamps.astype("datetime64[ns]"),
            "channel": frame["channel"].astype(str),
            "volume": volume.astype(float),
            "_line": lines,
        }
    )
    dup = frame.duplicated(["timestamp", "channel"], keep=False).to_numpy()
    if dup.any():
        first: dict[tuple[pd.Timestamp, str], int] = {}
        for i in np.flatnonzero(dup):
            key = (frame["timestamp"].iloc[i], frame["channel"].iloc[i])
            if key in first:
                problems.append(
                    Problem(
                        file=f,
                        line=int(lines[i]),
                        field="timestamp",
                        value=written["timestamp"][i],
                        expected=f"one row per timestamp and channel (same as line {first[key]})",
                    )
                )
            else:
                first[key] = int(lines[i])
            if len(problems) >= _MAX_PROBLEMS:
                break
    if timezone is not None:
        zone = zoneinfo.ZoneInfo(timezone)
        local = pd.DatetimeIndex(frame["timestamp"]).tz_localize(
            zone, nonexistent="NaT", ambiguous=np.zeros(len(frame), dtype=bool)
        )
        for i in np.flatnonzero(local.isna())[:_MAX_PROBLEMS]:
            problems.append(
                Problem(
                    file=f,
                    line=int(lines[i]),
                    field="timestamp",
                    value=written["timestamp"][i],
                    expected=f"a time that exists in {timezone} (this one falls in the "
                    "daylight-saving gap when clocks go forward)",
                )
            )
    _raise_if(problems, uncollected[0])

    minutes = (frame["timestamp"].dt.hour * 60 + frame["timestamp"].dt.minute).to_numpy()
    seconds = frame["timestamp"].dt.second.to_numpy()
    resolution = _resolution(frame, interval_minutes)
    misaligned = (minutes % resolution != 0) | (seconds != 0)
    report(misaligned, "timestamp", f"interval starts on a {resolution}-minute grid")
    if interval_minutes is not None and interval_minutes % resolution != 0:
        problems.append(
            Problem(
                file=f,
                field="timestamp",
                value=f"{resolution}-minute data",
                expected=f"data at a resolution (5-60 minutes) that divides the planning interval "
                f"of {interval_minutes} minutes",
            )
        )
    totals = frame.groupby("channel", sort=True)["volume"].agg(["sum", "size"])
    for channel, (total, rows) in totals.iterrows():
        if not total > 0:  # nothing to forecast from (the fit failed with a statsmodels error)
            problems.append(
                Problem(
                    file=f,
                    field="volume",
                    value=f"0 on all {int(rows)} rows of channel {channel!r}",
                    expected="some contacts in a channel's history: one with none cannot be "
                    "forecast (give its real history, or remove the channel from store.toml)",
                )
            )
    for channel in sorted(set(channels or ()) - set(totals.index)):  # planned at 0 unsaid
        problems.append(
            Problem(
                file=f,
                field="channel",
                value=f"no rows of channel {channel!r}",
                expected="a history for every channel of store.toml (give its rows, or remove "
                "the channel from store.toml)",
            )
        )
    _raise_if(problems, uncollected[0])

    frame = frame.drop(columns="_line").sort_values(["channel", "timestamp"], ignore_index=True)
    return frame, _long_gaps(frame, f)


def _unheld_roles(store: Store, employees: tuple[Employee, ...]) -> list[str]:
    """Warnings for posts and channels of a role nobody on the team holds: every hour of them
    is short, and the roster could only say so among its shortfalls."""
    held = {r for e in employees for r in e.roles}
    out = []
    for post in store.posts:
        if post.role not in held:
            out.append(
                f"store.toml: the post '{post.name}' needs a {post.role}, and nobody in "
                f"employees.csv has the role '{post.role}': it is short every hour it is due"
            )
    for channel in store.channels:
        if channel.role not in held:
            out.append(
                f"store.toml: channel '{channel.id}' is served by the role '{channel.role}', "
                "which nobody in employees.csv has: it is short every hour it has contacts"
            )
    return out


def _long_gaps(frame: pd.DataFrame, file: str) -> list[str]:
    """Warnings for weeks without any row of a channel (a mistyped year moves 'next week')."""
    warnings = []
    for channel, rows in frame.groupby("channel", sort=True):
        stamps = rows["timestamp"].reset_index(drop=True)
        steps = stamps.diff()
        for k in np.flatnonzero((steps > _LONG_GAP).to_numpy()):
            warnings.append(
                f"{file}: no {channel} rows from {stamps[k - 1]:%Y-%m-%d %H:%M} to "
                f"{stamps[k]:%Y-%m-%d %H:%M} ({steps[k].days} days); the forecast treats them as "
                "missing and next week follows the last row"
            )
    return warnings


def _resolution(frame: pd.DataFrame, interval_minutes: int | None = None) -> int:
    """The data's interval length in minutes (5, 10, 15, 20, 30 or 60).

    The grid of the most common step between a channel's rows, when at most one row in a
    thousand (or one row) is off it: those are then the rows to fix, and one row at 23:10 in
    half-hourly data does not make every :30 row look wrong. Else the smallest step found.
    With no step at all (one row a channel) nothing says: the planning interval (else 60).
    """
    steps = frame.sort_values("timestamp").groupby("channel")["timestamp"].diff().dropna()
    steps = steps[steps > pd.Timedelta(0)]
    if steps.empty:  # a single row was once called "60-minute data" and refused
        return interval_minutes or 60
    minutes = (frame["timestamp"].dt.hour * 60 + frame["timestamp"].dt.minute).to_numpy()
    common = _grid(int(steps.mode().iloc[0] / pd.Timedelta(minutes=1)))
    if np.count_nonzero(minutes % common) <= max(1, len(frame) // 1000):
        return common
    return _grid(int(steps.min() / pd.Timedelta(minutes=1)))


def _grid(step: int) -> int:
    """The finest grid of 5-60 minutes that a step of ``step`` minutes fits."""
    for candidate in (5, 10, 15, 20, 30, 60):
        if step <= candidate:
            return candidate
    return 60
