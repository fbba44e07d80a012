"""Parsing and validating ``store.toml`` into a :class:`staffing.model.Store`.

Every problem names the file, the line of the offending key (found in the raw text, since
``tomllib`` keeps no positions), the key path, the bad value and what was expected.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import zoneinfo
from dataclasses import fields
from pathlib import Path
from typing import Any

import holidays

from staffing._csv import parse_clock, read_text
from staffing.errors import InputError, Problem
from staffing.model import WEEKDAYS, Channel, ChannelKind, Costs, Post, Rules, Store

__all__ = ["load_store_toml", "parse_weekday"]

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
                continue
            in_scope = current == table and (table is None or seen.get(table) == index)
            if in_scope and key is not None and re.match(rf'^"?{re.escape(key)}"?\s*=', stripped):
                return no
        return None


class _Checker:
    def __init__(self, text: str) -> None:
        self.locate = _Locator(text)
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
            Problem(file=FILE, line=line, field=path, value=shown, expected=expected)
        )


def load_store_toml(path: Path) -> Store:
    """Read and validate ``store.toml``.

    Raises
    ------
    InputError
        With every problem found: TOML syntax, missing or unknown keys, bad values, an unknown
        time zone or holiday country/subdivision.
    """
    text = read_text(path, FILE)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise InputError.single(FILE, f"valid TOML ({exc})", line=line) from None
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
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        chk.add("timezone", "an IANA time zone such as 'Europe/London'", tz, key="timezone")
    country = _text(chk, raw, "country").upper()
    subdivision = raw.get("subdivision")
    try:
        holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError as exc:
        where = "subdivision" if subdivision and "subdiv" in str(exc) else "country"
        value = subdivision if where == "subdivision" else country
        chk.add(where, f"a code known to the 'holidays' package ({exc})", value, key=where)
    interval = raw.get("interval_minutes", 30)
    if interval not in (15, 30, 60):
        chk.add("interval_minutes", "15, 30 or 60", interval, key="interval_minutes")
    roles = raw["roles"]
    if not isinstance(roles, list) or not roles or not all(isinstance(r, str) and r for r in roles):
        chk.add("roles", "a non-empty list of role names", roles, key="roles")
        roles = []
    elif len(set(roles)) != len(roles):
        chk.add("roles", "each role once", roles, key="roles")

    opening = _opening_hours(chk, raw["opening_hours"])
    channels = _channels(chk, raw["channels"], roles)
    posts = _posts(chk, raw.get("posts", []), roles)
    rules = _table(chk, raw.get("rules", {}), "rules", Rules)
    costs = _table(chk, raw.get("costs", {}), "costs", Costs)
    if chk.problems:
        raise InputError(chk.problems)
    assert isinstance(rules, Rules)
    assert isinstance(costs, Costs)
    if rules.min_shift_hours > rules.max_shift_hours:
        chk.add("rules.min_shift_hours", "at most rules.max_shift_hours", rules.min_shift_hours)
    if chk.problems:
        raise InputError(chk.problems)
    return Store(
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


def _text(chk: _Checker, raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        chk.add(key, "a non-empty text in quotes", value, key=key)
        return ""
    return value.strip()


def _opening_hours(chk: _Checker, raw: object) -> dict[int, tuple[dt.time, dt.time]]:
    result: dict[int, tuple[dt.time, dt.time]] = {}
    if not isinstance(raw, dict):
        chk.add("opening_hours", "a table [opening_hours] with one key per week day", raw)
        return result
    for day, value in raw.items():
        where = f"opening_hours.{day}"
        idx = parse_weekday(day)
        line = chk.locate.line(day, "opening_hours")
        if idx is None:
            chk.add(
                where, "a week day name (monday ... sunday)", day, table="opening_hours", key=day
            )
            continue
        if isinstance(value, str) and value.strip().lower() == "closed":
            continue
        match = re.fullmatch(r"\s*(\S+)\s*-\s*(\S+)\s*", value) if isinstance(value, str) else None
        if not match:
            chk.add(where, "'HH:MM-HH:MM' or 'closed'", value, table="opening_hours", key=day)
            continue
        try:
            start = parse_clock(FILE, line, where, match.group(1))
            end = parse_clock(FILE, line, where, match.group(2), is_end=True)
        except InputError as exc:
            chk.problems.extend(exc.problems)
            continue
        end_min = end.hour * 60 + end.minute or 1440
        if end_min <= start.hour * 60 + start.minute:
            chk.add(
                where,
                "a closing time after the opening time",
                value,
                table="opening_hours",
                key=day,
            )
            continue
        result[idx] = (start, end)
    if not result:
        chk.add("opening_hours", "at least one open day", None, table="opening_hours")
    return result


def _channels(chk: _Checker, raw: object, roles: list[str]) -> list[Channel]:
    if not isinstance(raw, list) or not raw:
        chk.add("channels", "at least one [[channels]] table", raw)
        return []
    result: list[Channel] = []
    ids: set[str] = set()
    for i, table in enumerate(raw):
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
        cid = str(table["id"])
        if not re.fullmatch(r"[a-z0-9_]+", cid) or cid in ids:
            chk.add(
                f"{where}.id",
                "a unique id of lower-case letters, digits and _",
                cid,
                table="channels",
                index=i,
                key="id",
            )
        ids.add(cid)
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
        if table["role"] not in roles:
            chk.add(
                f"{where}.role",
                f"one of the roles {roles}",
                table["role"],
                table="channels",
                index=i,
                key="role",
            )
        values: dict[str, Any] = {}
        for key in _CHANNEL_KEYS - {"id", "name", "kind", "role"}:
            if key in table:
                values[key] = _number(chk, table[key], f"{where}.{key}", key, i)
        if len(chk.problems) > n_before:
            continue
        try:
            channel = Channel(
                id=cid, name=str(table.get("name", cid)), kind=kind, role=table["role"], **values
            )
        except TypeError as exc:
            chk.add(where, f"valid channel settings ({exc})", table=("channels"), index=i)
            continue
        _check_channel_targets(chk, channel, where, i)
        result.append(channel)
    return result


_RANGES: dict[str, tuple[float, float, bool]] = {
    # key: (low, high, integer)
    "aht_seconds": (1e-9, 86400, False),
    "service_level": (1e-9, 1.0, False),
    "answer_within_seconds": (1e-9, 86400, False),
    "max_average_wait_seconds": (1e-9, 86400, False),
    "patience_seconds": (1e-9, 86400, False),
    "max_abandon_rate": (1e-9, 1.0, False),
    "max_occupancy": (1e-9, 1.0, False),
    "concurrency": (1, 20, True),
    "response_hours": (1e-9, 24 * 14, False),
    "shrinkage": (0.0, 0.9, False),
}


def _number(chk: _Checker, value: object, path: str, key: str, index: int) -> float | int:
    low, high, integer = _RANGES[key]
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if ok and integer:
        ok = isinstance(value, int)
    if not ok or not (low <= value <= high):  # type: ignore[operator]
        kind = "a whole number" if integer else "a number"
        chk.add(
            path,
            f"{kind} between {low:g} and {high:g}",
            value,
            table="channels",
            index=index,
            key=key,
        )
        return low
    return value  # type: ignore[return-value]


def _check_channel_targets(chk: _Checker, c: Channel, where: str, i: int) -> None:
    if c.kind is ChannelKind.DEFERRED:
        if c.response_hours is None:
            chk.add(
                f"{where}.response_hours",
                "a response deadline in hours for deferred work",
                table="channels",
                index=i,
            )
        return
    if (
        c.service_level is None
        and c.max_average_wait_seconds is None
        and c.max_abandon_rate is None
    ):
        chk.add(
            where,
            "at least one target: service_level, max_average_wait_seconds or max_abandon_rate",
            table="channels",
            index=i,
        )
    if c.max_abandon_rate is not None and c.patience_seconds is None:
        chk.add(
            f"{where}.max_abandon_rate",
            "patience_seconds as well (abandonment needs it)",
            c.max_abandon_rate,
            table="channels",
            index=i,
            key="max_abandon_rate",
        )
    if c.concurrency > 1 and c.kind is not ChannelKind.CHAT:
        chk.add(
            f"{where}.concurrency",
            "1 except for chat channels",
            c.concurrency,
            table="channels",
            index=i,
            key="concurrency",
        )


def _posts(chk: _Checker, raw: object, roles: list[str]) -> list[Post]:
    if not isinstance(raw, list):
        chk.add("posts", "[[posts]] tables", raw)
        return []
    result: list[Post] = []
    for i, table in enumerate(raw):
        where = f"posts[{i + 1}]"
        n_before = len(chk.problems)
        for key in table:
            if key not in _POST_KEYS:
                _unknown(chk, f"{where}.{key}", key, _POST_KEYS, table="posts", index=i)
        role = table.get("role")
        if role not in roles:
            chk.add(
                f"{where}.role",
                f"one of the roles {roles}",
                role,
                table="posts",
                index=i,
                key="role",
            )
        min_staff = table.get("min_staff", 1)
        if not isinstance(min_staff, int) or isinstance(min_staff, bool) or min_staff < 1:
            chk.add(
                f"{where}.min_staff",
                "a whole number >= 1",
                min_staff,
                table="posts",
                index=i,
                key="min_staff",
            )
        days: list[int] = []
        for d in table.get("days", list(WEEKDAYS)):
            idx = parse_weekday(str(d))
            if idx is None:
                chk.add(f"{where}.days", "week day names", d, table="posts", index=i, key="days")
            else:
                days.append(idx)
        line = chk.locate.line("start", "posts", i)
        times: dict[str, dt.time | None] = {"start": None, "end": None}
        for key in ("start", "end"):
            if key in table:
                try:
                    times[key] = parse_clock(
                        FILE, line, f"{where}.{key}", str(table[key]), is_end=key == "end"
                    )
                except InputError as exc:
                    chk.problems.extend(exc.problems)
        if len(chk.problems) > n_before:
            continue
        result.append(
            Post(
                role=role,
                name=str(table.get("name", role)),
                min_staff=min_staff,
                days=tuple(sorted(set(days))),
                start=times["start"],
                end=times["end"],
            )
        )
    return result


def _table(chk: _Checker, raw: object, name: str, cls: type[Rules] | type[Costs]) -> Rules | Costs:
    if not isinstance(raw, dict):
        chk.add(name, f"a table [{name}]", raw)
        return cls()
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            _unknown(chk, f"{name}.{key}", key, set(known), table=name)
            continue
        default = getattr(cls(), key)
        if isinstance(default, str):
            if not isinstance(value, str):
                chk.add(f"{name}.{key}", "a text in quotes", value, table=name, key=key)
            values[key] = value
            continue
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if not is_number or value < 0:
            chk.add(f"{name}.{key}", "a number >= 0", value, table=name, key=key)
            continue
        values[key] = value
    return cls(**values)
