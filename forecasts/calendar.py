"""The business calendar: opening hours, public holidays and user events, as day types."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field

import holidays
import numpy as np
import pandas as pd

__all__ = ["EVENT_KINDS", "Calendar", "Event"]

EVENT_KINDS: tuple[str, ...] = ("school_vacation", "promotion", "closure", "other")

Hours = tuple[dt.time, dt.time] | None


def _all_day() -> dict[int, Hours]:
    return {d: (dt.time(0, 0), dt.time(0, 0)) for d in range(7)}


@functools.lru_cache(maxsize=32)
def _holiday_dates(
    country: str | None, subdivision: str | None, first_year: int, last_year: int
) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """Public holidays (date -> name) and optional/observance days of the years, cached."""
    if country is None:
        return {}, frozenset()
    years = range(first_year, last_year + 1)
    found = holidays.country_holidays(country, subdiv=subdivision, years=years)
    minor: frozenset[dt.date] = frozenset()
    if "optional" in getattr(found, "supported_categories", ()):
        minor = frozenset(
            holidays.country_holidays(
                country, subdiv=subdivision, years=years, categories=("optional",)
            )
        )
    return dict(found), minor


@dataclass(frozen=True, kw_only=True, slots=True)
class Event:
    """A dated user event that changes traffic.

    Parameters
    ----------
    start, end
        First and last day (inclusive), local dates.
    name
        Event name; events that repeat under the same name (e.g. "Black Friday") share an effect.
    kind
        One of ``school_vacation``, ``promotion``, ``closure`` (no traffic on channels that
        follow opening hours) or ``other``.
    """

    start: dt.date
    end: dt.date
    name: str
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in EVENT_KINDS:
            raise ValueError(
                f"event {self.name!r}: kind {self.kind!r} is not one of {', '.join(EVENT_KINDS)}"
            )
        if self.end < self.start:
            raise ValueError(f"event {self.name!r}: end {self.end} is before start {self.start}")


@dataclass(frozen=True, kw_only=True, slots=True)
class Calendar:
    """Opening hours, public-holiday country and events of one business.

    Parameters
    ----------
    country
        ISO 3166 code for :func:`holidays.country_holidays` (e.g. ``"GB"``, ``"IL"``), or None
        for no public holidays. An unknown code raises ValueError.
    subdivision
        Holiday subdivision (e.g. ``"ENG"``), or None.
    opening_hours
        Week day (0 = Monday) -> (open, close) local wall-clock time; ``close == time(0, 0)``
        means midnight (24:00). None or a missing day means closed. Default: open 24 h every day.
    events
        Dated events (school vacations, promotions, closures, other).
    timezone
        IANA zone of the local wall-clock times, or None: intervals that do not exist when the
        clocks go forward are closed (no traffic, no gap in the data).
    """

    country: str | None
    subdivision: str | None = None
    opening_hours: Mapping[int, Hours] = field(default_factory=_all_day)
    events: tuple[Event, ...] = ()
    timezone: str | None = None

    def __post_init__(self) -> None:
        if self.timezone is not None:
            try:
                zoneinfo.ZoneInfo(self.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {self.timezone!r}") from None
        if self.country is not None:
            supported = holidays.list_supported_countries()
            if self.country not in supported:
                raise ValueError(f"unknown holiday country code {self.country!r}")
            subdivisions = supported[self.country]
            if self.subdivision is not None and self.subdivision not in subdivisions:
                raise ValueError(
                    f"unknown subdivision {self.subdivision!r} for country {self.country!r}"
                )
        elif self.subdivision is not None:
            raise ValueError(f"subdivision {self.subdivision!r} given without a country")
        for day, hours in self.opening_hours.items():
            if day not in range(7):
                raise ValueError(f"opening hours: week day {day!r} is not 0 (Monday) .. 6")
            if hours is None:
                continue
            start, end = hours
            if end != dt.time(0, 0) and end <= start:
                raise ValueError(
                    f"opening hours of week day {day}: close {end} before open {start}"
                )

    def skipped_slots(self, days: pd.DatetimeIndex, interval_minutes: int) -> np.ndarray:
        """True for the intervals (days x intervals of the day) whose local start does not
        exist: the hour skipped when the clocks go forward (none without a time zone)."""
        slots = 1440 // interval_minutes
        out = np.zeros((len(days), slots), dtype=bool)
        if self.timezone is None or not len(days):
            return out
        zone = zoneinfo.ZoneInfo(self.timezone)
        for i, day in enumerate(days):
            start = dt.datetime.combine(day.date(), dt.time(), zone)
            if start.utcoffset() == (start + dt.timedelta(days=1)).utcoffset():
                continue  # no clock change that day (offsets at both midnights agree)
            stamps = pd.DatetimeIndex(
                [
                    start.replace(tzinfo=None) + dt.timedelta(minutes=k * interval_minutes)
                    for k in range(slots)
                ]  # fmt: skip
            )
            twice = np.zeros(slots, dtype=bool)  # a repeated hour exists: either reading will do
            out[i] = stamps.tz_localize(zone, nonexistent="NaT", ambiguous=twice).isna()
        return out

    def open_minutes(self, weekday: int) -> tuple[int, int] | None:
        """Opening window of a week day in minutes after midnight (``close`` up to 1440)."""
        hours = self.opening_hours.get(weekday)
        if hours is None:
            return None
        start, end = hours
        close = 1440 if end == dt.time(0, 0) else end.hour * 60 + end.minute
        return start.hour * 60 + start.minute, close

    def slot_open(self, weekday: int, interval_minutes: int) -> np.ndarray:
        """Boolean per interval of the day: True where the interval overlaps opening hours."""
        starts = np.arange(0, 1440, interval_minutes)
        window = self.open_minutes(weekday)
        if window is None:
            return np.zeros(len(starts), dtype=bool)
        return (starts < window[1]) & (starts + interval_minutes > window[0])

    def day_table(
        self, first: dt.date, last: dt.date, quiet_weekday: int | None = None
    ) -> pd.DataFrame:
        """One row per date from ``first`` to ``last`` with its calendar flags.

        Columns: ``dow`` (0 = Monday), ``open`` (the week day has opening hours), ``holiday``
        (public holiday), ``holiday_name``, ``minor`` (optional/observance day where the
        country has that category, e.g. the intermediate days of Passover), ``eve`` (day before
        a public holiday), ``after`` (first day, not a holiday and not ``quiet_weekday``, after
        a holiday or closure that did not fall on ``quiet_weekday``: the catch-up day),
        ``after_closure`` (day after a closure), ``bridge`` (working day between a holiday and
        a closed or holiday day), ``closure`` and one boolean column per event kind, plus
        ``events`` (tuple of event names).
        """
        pad = 7
        dates = pd.date_range(
            first - dt.timedelta(days=pad), last + dt.timedelta(days=pad), freq="D"
        )
        dows = np.asarray(dates.day_of_week)
        open_days = np.array([self.opening_hours.get(d) is not None for d in range(7)])
        public, minor = _holiday_dates(
            self.country, self.subdivision, dates[0].year, dates[-1].year
        )
        days = [d.date() for d in dates]
        holiday = np.array([d in public for d in days], dtype=bool)
        kinds = {kind: np.zeros(len(days), dtype=bool) for kind in EVENT_KINDS}
        names: list[list[str]] = [[] for _ in days]
        stamps = dates.to_numpy()
        for event in self.events:
            lo = int(stamps.searchsorted(np.datetime64(event.start, "ns")))
            hi = int(stamps.searchsorted(np.datetime64(event.end, "ns"), side="right"))
            kinds[event.kind][lo:hi] = True
            for k in range(lo, hi):
                names[k].append(event.name)
        closure = kinds["closure"]
        off = holiday | closure
        shut = off | ~open_days[dows]
        quiet = -1 if quiet_weekday is None else quiet_weekday
        after = np.zeros(len(days), dtype=bool)
        for i in range(1, len(days)):
            if off[i] or dows[i] == quiet:
                continue
            j = i - 1
            while j >= 0 and (off[j] or dows[j] == quiet):
                if off[j] and dows[j] != quiet:
                    after[i] = True
                    break
                j -= 1
        prev_shut, next_shut = np.roll(shut, 1), np.roll(shut, -1)
        table = pd.DataFrame(
            {
                "dow": dows,
                "open": open_days[dows],
                "holiday": holiday,
                "holiday_name": [public.get(d, "") for d in days],
                "minor": np.array([d in minor and d not in public for d in days], dtype=bool),
                **kinds,
                "events": [tuple(n) for n in names],
                "eve": np.roll(holiday, -1) & ~off,
                "after": after,
                "after_closure": np.roll(closure, 1) & ~closure,
                "bridge": ~shut & ((np.roll(off, 1) & next_shut) | (prev_shut & np.roll(off, -1))),
            },
            index=dates,
        )
        table = table.iloc[pad:-pad]
        table.index.name = "date"
        return table
