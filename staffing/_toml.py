"""Parsing and validating ``store.toml`` into a :class:`staffing.model.Store`.

Every problem names the file, the line of the offending key (found in the raw text, since
``tomllib`` keeps no positions), the key path, the bad value and what was expected. A value of
the wrong TOML type is one problem, never an exception; numbers must be finite and within the
ranges of ``_RANGES`` (listed in docs/store_format.md).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import tomllib
import zoneinfo
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeGuard

import holidays

from staffing._csv import MOST_PER_HOUR, number_text, parse_clock, read_text
from staffing.errors import InputError, Problem
from staffing.model import WEEKDAYS, Channel, ChannelKind, Costs, Post, Rules, Store

__all__ = ["load_store_toml", "parse_toml", "parse_weekday"]

FILE = "store.toml"
_TOP_KEYS = {
    "name",
    "timezone",
    "country",
    "subdivision",
    "interval_minutes",
    "roles",
    "opening_hours",
    "channels",
    "posts",
    "rules",
    "costs",
}
_CHANNEL_KEYS = {f.name for f in fields(Channel)}
_POST_KEYS = {"role", "name", "min_staff", "days", "start", "end"}
_DEFERRED_ONLY = "deferred work is sized by its response_hours alone"
_QUEUE_KEYS = (
    "service_level",
    "answer_within_seconds",
    "max_average_wait_seconds",
    "patience_seconds",
    "max_abandon_rate",
    "max_occupancy",
    "concurrency",
)
_CALLS_ONLY = "abandonment is modelled for calls channels only (Erlang A)"
_NOT_DEFERRED = "only deferred channels (e-mail, back office) have a response deadline"
_CHAT_ONLY = "only chat channels handle several contacts at a time"
# Keys a channel kind does not use: refused rather than silently ignored (a walk-in channel's
# max_abandon_rate had passed as its one target and sized nothing).
_NOT_FOR: dict[ChannelKind, dict[str, str]] = {
    ChannelKind.DEFERRED: dict.fromkeys(_QUEUE_KEYS, _DEFERRED_ONLY),
    ChannelKind.WALK_IN: {
        "patience_seconds": _CALLS_ONLY,
        "max_abandon_rate": _CALLS_ONLY,
        "response_hours": _NOT_DEFERRED,
        "concurrency": _CHAT_ONLY,
    },
    ChannelKind.CHAT: {
        "patience_seconds": _CALLS_ONLY,
        "max_abandon_rate": _CALLS_ONLY,
        "response_hours": _NOT_DEFERRED,
    },
    ChannelKind.CALLS: {"response_hours": _NOT_DEFERRED, "concurrency": _CHAT_ONLY},
}


def _default(cls: type, name: str) -> object:
    """The default of field ``name`` of dataclass ``cls``: the model documents each default
    once, and a key left out of store.toml takes it from there."""
    return next(f.default for f in fields(cls) if f.name == name)


def parse_weekday(text: str) -> int | None:
    """Weekday index (0 = Monday) of a name like ``monday`` or ``Mon``; None if not a day."""
    t = text.strip().lower()
    for i, name in enumerate(WEEKDAYS):
        if t in (name, name[:3]):
            return i
    return None


class _Locator:
    """Finds the line of ``key`` inside table ``[table]`` or the n-th ``[[table]]``."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line(self, key: str | None, table: str | None = None, index: int = 0) -> int | None:
        current: str | None = None
        seen: dict[str, int] = {}
        for no, raw in enumerate(self.lines, start=1):
            stripped = raw.strip()
            header = re.match(r"^\[\[?\s*([A-Za-z0-9_.]+)\s*\]\]?", stripped)
            if header:
                current = header.group(1)
                seen[current] = seen.get(current, -1) + 1
                if key is None and current == table and seen[current] == index:
                    return no
                if table is None and current.split(".")[0] == key:  # [key] instead of key = ...
                    return no
                continue
            in_scope = current == table and (table is None or seen.get(table) == index)
            if in_scope and key is not None and re.match(rf'^"?{re.escape(key)}"?\s*=', stripped):
                return no
        return None


class _Checker:
    """Collects the problems of one TOML file (``file``: its name as the user knows it)."""

    def __init__(self, text: str, file: str = FILE) -> None:
        self.locate = _Locator(text)
        self.file = file
        self.problems: list[Problem] = []

    def add(
        self,
        path: str,
        expected: str,
        value: object = None,
        *,
        table: str | None = None,
        index: int = 0,
        key: str | None = None,
    ) -> None:
        line = self.locate.line(key, table, index) if (key or table) else None
        shown = None if value is None else str(value)
        self.problems.append(
            Problem(file=self.file, line=line, field=path, value=shown, expected=expected)
        )


def parse_toml(text: str, file: str) -> dict[str, Any]:
    """``text`` read as TOML; a syntax error raises an :class:`InputError` naming ``file`` and
    the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise InputError.single(file, f"valid TOML ({exc})", line=line) from None


def load_store_toml(path: Path) -> Store:
    """Read and validate ``store.toml``.

    Raises
    ------
    InputError
        With every problem found: TOML syntax, missing or unknown keys, values of the wrong
        type or out of range (each range is in :data:`_RANGES`), an unknown time zone or holiday
        country/subdivision, rules that contradict each other, posts that never apply.
    """
    text = read_text(path, FILE)
    raw = parse_toml(text, FILE)
    chk = _Checker(text)
    for key in raw:
        if key not in _TOP_KEYS:
            _unknown(chk, key, key, _TOP_KEYS)
    for key in ("name", "timezone", "country", "roles", "opening_hours", "channels"):
        if key not in raw:
            chk.add(key, f"the required key '{key}'")
    if chk.problems:
        raise InputError(chk.problems)

    name = _text(chk, raw, "name")
    tz = _text(chk, raw, "timezone")
    if tz:  # a wrong type is reported once, by _text
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            chk.add("timezone", "an IANA time zone such as 'Europe/London'", tz, key="timezone")
    country = _text(chk, raw, "country").upper()
    subdivision = _text(chk, raw, "subdivision") if "subdivision" in raw else None
    if country and subdivision != "":
        try:
            holidays.country_holidays(country, subdiv=subdivision)
        except NotImplementedError as exc:
            where = "subdivision" if subdivision and "subdiv" in str(exc) else "country"
            value = subdivision if where == "subdivision" else country
            chk.add(where, f"a code known to the 'holidays' package ({exc})", value, key=where)
    interval = raw.get("interval_minutes", _default(Store, "interval_minutes"))
    if type(interval) is not int or interval not in (15, 30, 60):  # not 30.0, not true
        how = " written without quotes" if isinstance(interval, str) else ""
        chk.add(
            "interval_minutes",
            f"15, 30 or 60 (a whole number of minutes{how})",
            interval,
            key="interval_minutes",
        )
    roles = raw["roles"]
    if not isinstance(roles, list) or not roles or not all(isinstance(r, str) and r for r in roles):
        chk.add("roles", "a non-empty list of role names", roles, key="roles")
        roles = []
    elif len(set(roles)) != len(roles):
        chk.add("roles", "each role once", roles, key="roles")
    elif bad := [r for r in roles if ";" in r or r != r.strip()]:
        # employees.csv separates roles by ';' and trims them: such a role could never be held
        chk.add(
            "roles",
            "role names without ';' (employees.csv separates roles with it) and without spaces "
            f"around them: {', '.join(repr(r) for r in bad)}",
            roles,
            key="roles",
        )
        roles = [r for r in roles if r not in bad]

    opening = _opening_hours(chk, raw["opening_hours"])
    channels = _channels(chk, raw["channels"], roles)
    posts = _posts(chk, raw.get("posts", []), roles)
    rules = _table(chk, raw.get("rules", {}), "rules", Rules)
    costs = _table(chk, raw.get("costs", {}), "costs", Costs)
    if chk.problems:
        raise InputError(chk.problems)
    assert isinstance(rules, Rules)
    assert isinstance(costs, Costs)
    store = Store(
        name=name,
        timezone=tz,
        country=country,
        subdivision=subdivision,
        interval_minutes=interval,
        roles=tuple(roles),
        opening_hours=opening,
        channels=tuple(channels),
        posts=tuple(posts),
        rules=rules,
        costs=costs,
    )
    _check_rules(chk, raw.get("rules", {}), store)
    _check_posts(chk, store)
    if chk.problems:
        raise InputError(chk.problems)
    return store


def _unknown(
    chk: _Checker, path: str, key: str, known: set[str], *, table: str | None = None, index: int = 0
) -> None:
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    chk.add(
        path,
        f"one of the keys {', '.join(sorted(known))}{hint}",
        key,
        table=table,
        index=index,
        key=key,
    )


def _text(
    chk: _Checker,
    raw: dict[str, Any],
    key: str,
    *,
    path: str | None = None,
    table: str | None = None,
    index: int = 0,
) -> str:
    """``raw[key]`` stripped, or "" after reporting it is not a non-empty text."""
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        expected = "a non-empty text in quotes"
        chk.add(path or key, expected, value, table=table, index=index, key=key)
        return ""
    return value.strip()


def _opening_hours(chk: _Checker, raw: object) -> dict[int, tuple[dt.time, dt.time]]:
    result: dict[int, tuple[dt.time, dt.time]] = {}
    if not isinstance(raw, dict):
        chk.add(
            "opening_hours",
            "a table [opening_hours] with one key per week day",
            raw,
            key="opening_hours",
        )
        return result
    seen: dict[int, str] = {}
    n_before = len(chk.problems)
    for day, value in raw.items():
        where = f"opening_hours.{day}"
        idx = parse_weekday(day)
        line = chk.locate.line(day, "opening_hours")
        if idx is None:
            chk.add(
                where, "a week day name (monday ... sunday)", day, table="opening_hours", key=day
            )
            continue
        if idx in seen:
            chk.add(
                where,
                f"each week day once ('{seen[idx]}' is the same day)",
                day,
                table="opening_hours",
                key=day,
            )
            continue
        seen[idx] = day
        if isinstance(value, str) and value.strip().lower() == "closed":
            continue
        match = re.fullmatch(r"\s*(\S+)\s*-\s*(\S+)\s*", value) if isinstance(value, str) else None
        if not match or "," in match.group(0):
            several = isinstance(value, list) or (isinstance(value, str) and "," in value)
            expected = "'HH:MM-HH:MM' or 'closed'" + (
                " (one opening range a day: hours split in two, such as a store closed at "
                "midday or open past midnight and again in the morning, are not supported)"
                if several
                else ""
            )
            chk.add(where, expected, value, table="opening_hours", key=day)
            continue
        try:
            start = parse_clock(FILE, line, where, match.group(1))
            end = parse_clock(FILE, line, where, match.group(2), is_end=True)
        except InputError as exc:
            chk.problems.extend(exc.problems)
            continue
        if _minutes(end, is_end=True) <= _minutes(start):
            chk.add(
                where,
                "a closing time after the opening time (one range a day, within the day: a "
                "store open past midnight closes at '24:00' and opens the next day at '00:00')",
                value,
                table="opening_hours",
                key=day,
            )
            continue
        result[idx] = (start, end)
    if not result and len(chk.problems) == n_before:
        chk.add("opening_hours", "at least one open day", None, table="opening_hours")
    return result


def _minutes(t: dt.time, *, is_end: bool = False) -> int:
    """Minute of the day; an end of 00:00 is midnight at the end of the day (1440)."""
    minutes = t.hour * 60 + t.minute
    return (minutes or 1440) if is_end else minutes


def _tables(chk: _Checker, raw: object, name: str, *, required: bool) -> list[dict[str, Any]]:
    """``raw`` as a list of ``[[name]]`` tables, or [] after reporting what it is instead."""
    if isinstance(raw, list) and all(isinstance(t, dict) for t in raw) and (raw or not required):
        return raw
    expected = f"at least one [[{name}]] table" if required else f"[[{name}]] tables"
    chk.add(name, expected, raw, key=name)
    return []


def _role(
    chk: _Checker, table: dict[str, Any], roles: list[str], where: str, name: str, index: int
) -> str:
    """``table["role"]``, or "" after reporting it is not one of ``roles`` (if they are valid)."""
    role = table.get("role")
    if isinstance(role, str) and (role in roles or not roles):
        return role
    expected = f"one of the roles {roles}" if roles else "a role in quotes"
    chk.add(f"{where}.role", expected, role, table=name, index=index, key="role")
    return ""


def _channels(chk: _Checker, raw: object, roles: list[str]) -> list[Channel]:
    result: list[Channel] = []
    ids: set[str] = set()
    for i, table in enumerate(_tables(chk, raw, "channels", required=True)):
        where = f"channels[{i + 1}]"
        n_before = len(chk.problems)
        for key in table:
            if key not in _CHANNEL_KEYS:
                _unknown(chk, f"{where}.{key}", key, _CHANNEL_KEYS, table="channels", index=i)
        for key in ("id", "kind", "role", "aht_seconds"):
            if key not in table:
                chk.add(f"{where}.{key}", f"the required key '{key}'", table="channels", index=i)
        if len(chk.problems) > n_before:
            continue
        cid = table["id"]
        if not isinstance(cid, str) or not re.fullmatch(r"[a-z0-9_]+", cid) or cid in ids:
            chk.add(
                f"{where}.id",
                "a unique id of lower-case letters, digits and _, in quotes",
                cid,
                table="channels",
                index=i,
                key="id",
            )
            cid = ""
        ids.add(cid)
        name = cid
        if "name" in table:
            name = _text(chk, table, "name", path=f"{where}.name", table="channels", index=i)
        try:
            kind = ChannelKind(table["kind"])
        except ValueError:
            chk.add(
                f"{where}.kind",
                "one of calls, chat, walk_in, deferred",
                table["kind"],
                table="channels",
                index=i,
                key="kind",
            )
            continue
        role = _role(chk, table, roles, where, "channels", i)
        values: dict[str, Any] = {}
        for key in _CHANNEL_KEYS - {"id", "name", "kind", "role"}:
            if key in table:
                values[key] = _number(
                    chk, table[key], f"{where}.{key}", key, table="channels", index=i
                )
        if kind == ChannelKind.DEFERRED and "response_hours" not in table:
            chk.add(
                f"{where}.response_hours",
                "a response deadline in hours for deferred work",
                table="channels",
                index=i,
            )
        for key in sorted(table.keys() & _NOT_FOR.get(kind, {}).keys()):
            chk.add(
                f"{where}.{key}",
                f"no {key} on a {kind.value} channel: {_NOT_FOR[kind][key]}",
                table[key],
                table="channels",
                index=i,
                key=key,
            )
        if len(chk.problems) > n_before:
            continue
        channel = Channel(id=cid, name=name, kind=kind, role=role, **values)
        _check_channel_targets(chk, channel, where, i)
        result.append(channel)
    return result


@dataclass(frozen=True, slots=True)
class _Range:
    """The numbers a key accepts: ``low`` (excluded when ``above``) to ``high``, both finite."""

    low: float
    high: float
    kind: str = "a number"  # in words, with the unit: "a whole number of minutes"
    integer: bool = False
    above: bool = False

    def accepts(self, value: object) -> TypeGuard[float]:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if self.integer and not isinstance(value, int):
            return False
        return (self.low < value if self.above else self.low <= value) and value <= self.high

    def expected(self) -> str:
        low, high = number_text(self.low), number_text(self.high)
        if self.above:
            return f"{self.kind} above {low} and at most {high}"
        return f"{self.kind} from {low} to {high}"


_DAY_S = 86_400
_HOURS = "a number of hours"
_RANGES: dict[str, _Range] = {
    # [[channels]]
    "aht_seconds": _Range(0, _DAY_S, "a number of seconds", above=True),
    "service_level": _Range(0, 1, "a fraction", above=True),
    "answer_within_seconds": _Range(0, _DAY_S, "a number of seconds", above=True),
    "max_average_wait_seconds": _Range(0, _DAY_S, "a number of seconds", above=True),
    "patience_seconds": _Range(0, _DAY_S, "a number of seconds", above=True),
    "max_abandon_rate": _Range(0, 1, "a fraction", above=True),
    "max_occupancy": _Range(0, 1, "a fraction", above=True),
    "concurrency": _Range(1, 20, "a whole number of chats", integer=True),
    "response_hours": _Range(0, 24 * 14, _HOURS, above=True),
    "shrinkage": _Range(0, 0.9, "a fraction"),
    # [[posts]]
    "min_staff": _Range(1, 1000, "a whole number of people", integer=True),
    # [rules]: a day has 24 hours, a shift starts on the planning grid, a week has 7 days
    "min_shift_hours": _Range(0, 24, _HOURS, above=True),
    "max_shift_hours": _Range(0, 24, _HOURS, above=True),
    "shift_start_step_minutes": _Range(
        15, 1440, "a whole number of minutes, a multiple of interval_minutes,", integer=True
    ),
    "min_rest_hours": _Range(0, 24, _HOURS),
    "max_days_per_week": _Range(1, 7, "a whole number of days", integer=True),
    "max_consecutive_days": _Range(1, 7, "a whole number of days", integer=True),
    "break_after_hours": _Range(0, 24, _HOURS),
    "break_minutes": _Range(0, 240, "a whole number of minutes", integer=True),
    "break_window_start_hours": _Range(0, 24, _HOURS),
    "break_window_end_hours": _Range(0, 24, _HOURS),
    # rostering lets shifts start from midnight and end by 06:00 the next day
    "prep_minutes_before_open": _Range(0, 360, "a whole number of minutes", integer=True),
    "close_minutes_after_close": _Range(0, 360, "a whole number of minutes", integer=True),
    # [costs]
    "understaffing_cost_per_hour": _Range(0, MOST_PER_HOUR, "an amount per hour"),
    "post_shortfall_cost_per_hour": _Range(0, MOST_PER_HOUR, "an amount per hour"),
    "overstaffing_cost_per_hour": _Range(0, MOST_PER_HOUR, "an amount per hour"),
    "overtime_premium": _Range(0, 10, "a fraction of the wage"),
    "overtime_after_hours": _Range(0, 168, "a number of paid hours per week"),
}


def _number(
    chk: _Checker,
    value: object,
    path: str,
    key: str,
    *,
    table: str,
    index: int = 0,
    spec: _Range | None = None,
) -> float | None:
    """``value`` if it is in ``spec`` (default ``_RANGES[key]``), else None after reporting it."""
    spec = _RANGES[key] if spec is None else spec
    if spec.accepts(value):
        return value
    expected = spec.expected()
    if spec.integer and isinstance(value, float) and value.is_integer():
        expected += " (written without a decimal point)"
    elif isinstance(value, str):
        expected += " (written without quotes)"
    chk.add(path, expected, value, table=table, index=index, key=key)
    return None


def _check_channel_targets(chk: _Checker, c: Channel, where: str, i: int) -> None:
    if c.kind == ChannelKind.DEFERRED:  # its response_hours are checked before it is made
        return
    if (
        c.service_level is None
        and c.max_average_wait_seconds is None
        and c.max_abandon_rate is None
    ):
        targets = "service_level or max_average_wait_seconds"  # max_abandon_rate: calls only
        if c.kind == ChannelKind.CALLS:
            targets = "service_level, max_average_wait_seconds or max_abandon_rate"
        chk.add(where, f"at least one target: {targets}", table="channels", index=i)
    if c.max_abandon_rate is not None and c.patience_seconds is None:
        chk.add(
            f"{where}.max_abandon_rate",
            "patience_seconds as well (abandonment needs it)",
            c.max_abandon_rate,
            table="channels",
            index=i,
            key="max_abandon_rate",
        )
    if c.concurrency > 1 and c.kind != ChannelKind.CHAT:
        chk.add(
            f"{where}.concurrency",
            "1 except for chat channels",
            c.concurrency,
            table="channels",
            index=i,
            key="concurrency",
        )


def _posts(chk: _Checker, raw: object, roles: list[str]) -> list[Post]:
    result: list[Post] = []
    for i, table in enumerate(_tables(chk, raw, "posts", required=False)):
        where = f"posts[{i + 1}]"
        n_before = len(chk.problems)
        for key in table:
            if key not in _POST_KEYS:
                _unknown(chk, f"{where}.{key}", key, _POST_KEYS, table="posts", index=i)
        role = _role(chk, table, roles, where, "posts", i)
        name = role
        if "name" in table:
            name = _text(chk, table, "name", path=f"{where}.name", table="posts", index=i)
        min_staff = _number(
            chk,
            table.get("min_staff", _default(Post, "min_staff")),
            f"{where}.min_staff",
            "min_staff",
            table="posts",
            index=i,
        )
        days = _days(chk, table.get("days", list(WEEKDAYS)), where, i)
        times: dict[str, dt.time | None] = {"start": None, "end": None}
        for key in ("start", "end"):
            if key not in table:
                continue
            line = chk.locate.line(key, "posts", i)
            if not isinstance(table[key], str):
                chk.add(
                    f"{where}.{key}",
                    'a time in quotes, such as "10:00"',
                    table[key],
                    table="posts",
                    index=i,
                    key=key,
                )
                continue
            try:
                times[key] = parse_clock(
                    FILE, line, f"{where}.{key}", table[key], is_end=key == "end"
                )
            except InputError as exc:
                chk.problems.extend(exc.problems)
        start, end = times["start"], times["end"]
        if start is not None and end is not None and _minutes(end, is_end=True) <= _minutes(start):
            chk.add(
                f"{where}.end",
                f"an end after the start ({start:%H:%M}), or 24:00 for midnight",
                table["end"],
                table="posts",
                index=i,
                key="end",
            )
        if len(chk.problems) > n_before:
            continue
        assert isinstance(min_staff, int)
        result.append(
            Post(
                role=role,
                name=name,
                min_staff=min_staff,
                days=tuple(sorted(set(days))),
                start=start,
                end=end,
            )
        )
    return result


def _days(chk: _Checker, value: object, where: str, index: int) -> list[int]:
    """Weekday indices of a list of day names, or [] after reporting the entries that are not."""
    if isinstance(value, list) and value:
        days = [parse_weekday(d) if isinstance(d, str) else None for d in value]
        if None not in days:
            return [d for d in days if d is not None]
        value = ", ".join(str(v) for v, d in zip(value, days, strict=True) if d is None)
    chk.add(
        f"{where}.days",
        'a list of week days, such as ["monday", "tuesday"]',
        value,
        table="posts",
        index=index,
        key="days",
    )
    return []


def _table(chk: _Checker, raw: object, name: str, cls: type[Rules] | type[Costs]) -> Rules | Costs:
    if not isinstance(raw, dict):
        chk.add(name, f"a table [{name}]", raw, key=name)
        return cls()
    known = {f.name for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            _unknown(chk, f"{name}.{key}", key, known, table=name)
        elif key in _RANGES:
            values[key] = _number(chk, value, f"{name}.{key}", key, table=name)
        else:  # a label such as the currency
            values[key] = _text(chk, raw, key, path=f"{name}.{key}", table=name)
    return cls(**values)


def _check_rules(chk: _Checker, raw: dict[str, Any], store: Store) -> None:
    """Checks between [rules] keys and the planning interval (each key is in range by now)."""
    r, interval = store.rules, store.interval_minutes

    def report(*options: tuple[str, str]) -> None:
        # on the first key of the options written in the file, with its line
        key, expected = next(((k, e) for k, e in options if k in raw), options[0])
        chk.add(f"rules.{key}", expected, getattr(r, key), table="rules", key=key)

    # as rostering.build_problem rounds them to the grid: the shortest shift up, the longest down
    shortest = math.ceil(r.min_shift_hours * 60 / interval - 1e-9) * interval
    longest = int(r.max_shift_hours * 60 // interval) * interval
    if r.min_shift_hours > r.max_shift_hours:
        report(
            ("min_shift_hours", f"at most rules.max_shift_hours ({r.max_shift_hours:g})"),
            ("max_shift_hours", f"at least rules.min_shift_hours ({r.min_shift_hours:g})"),
        )
    elif shortest > longest:
        report(
            (
                "max_shift_hours",
                f"at least {shortest / 60:g}: shifts are whole {interval}-minute intervals, "
                f"and min_shift_hours ({r.min_shift_hours:g}) rounds up to {shortest / 60:g}",
            ),
        )
    step = r.shift_start_step_minutes
    if step is not None and step % interval:
        report(
            (
                "shift_start_step_minutes",
                f"a multiple of interval_minutes ({interval}), from {interval} to 1,440",
            )
        )
    start, end = r.break_window_start_hours, r.break_window_end_hours
    if start > end:
        report(
            ("break_window_start_hours", f"at most rules.break_window_end_hours ({end:g})"),
            ("break_window_end_hours", f"at least rules.break_window_start_hours ({start:g})"),
        )
    elif r.break_minutes and r.break_after_hours < r.max_shift_hours:
        # On the planning grid, as rostering.build_problem and the solver read them: the window
        # starts on the grid at or before break_window_start_hours, the break is whole intervals,
        # and it ends an interval before its shift does (else it is a shorter shift).
        opens = int(start * 60 // interval)
        length = math.ceil(r.break_minutes / interval - 1e-9)
        need = opens + length + 1  # intervals the shortest shift with a break needs
        hours = interval / 60
        if need > longest // interval:
            latest = (longest // interval - length - 1) * hours
            report(
                (
                    "break_window_start_hours",
                    f"at most {latest:g}, so that a break of rules.break_minutes "
                    f"({r.break_minutes}) fits in the longest shift ({longest / 60:g} h) "
                    f"with an interval ({interval} min) of work after it",
                ),
                (
                    "break_minutes",
                    f"at most {(longest // interval - opens - 1) * interval:g}, so that the break "
                    f"fits in the longest shift after break_window_start_hours ({start:g}), "
                    "an interval before its end",
                ),
                (
                    "max_shift_hours",
                    f"at least {need * hours:g}, so that a shift has room for its break after "
                    f"break_window_start_hours ({start:g}) and an interval of work after it",
                ),
            )
        else:
            # every shift length the solver offers (the longest, then an hour shorter each time,
            # and the shortest) that gets a break must have room for it
            gets = int(r.break_after_hours * 60 // interval)  # longer than this: a break
            step = max(1, 60 // interval)
            offered = set(range(longest // interval, shortest // interval - 1, -step))
            offered.add(shortest // interval)
            short = sorted(n for n in offered if gets < n < need)
            if short:
                report(
                    (
                        "break_after_hours",
                        f"at least {short[-1] * hours:g}, so that no shift gets a break it has no "
                        f"room for: a {short[0] * hours:g}-h shift is over break_after_hours but "
                        "shorter than break_window_start_hours + the break + an interval of work "
                        f"after it ({need * hours:g} h)",
                    ),
                )


def _check_posts(chk: _Checker, store: Store) -> None:
    """A post must cover one planning interval of opening hours, else it would have no effect."""
    step = store.interval_minutes
    for i, post in enumerate(store.posts):
        start = 0 if post.start is None else _minutes(post.start)
        end = 1440 if post.end is None else _minutes(post.end, is_end=True)
        for day in post.days:
            hours = store.open_minutes(day)
            if hours is None:
                continue
            first = max(start, hours[0])
            first += -first % step  # the first interval starting inside both windows
            if first < min(end, hours[1]):
                break
        else:
            written = [
                default if t is None else f"{t:%H:%M}"
                for t, default in ((post.start, "opening"), (post.end, "closing"))
            ]
            days = ", ".join(WEEKDAYS[d][:3] for d in post.days)
            chk.add(
                f"posts[{i + 1}]",
                f"hours covering at least one {step}-minute interval of the opening hours on "
                f"one of its days ({days}); as written the post has no effect",
                "-".join(written),
                table="posts",
                index=i,
            )
