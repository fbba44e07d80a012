"""The business calendar: opening hours, public holidays and user events, as day types."""

from __future__ import annotations

import datetime as dt
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
    """

    country: str | None
    subdivision: str | None = None
    opening_hours: Mapping[int, Hours] = field(default_factory=_all_day)
    events: tuple[Event, ...] = ()

    def __post_init__(self) -> None:
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
        table = pd.DataFrame(index=dates)
        table["dow"] = dates.day_of_week
        table["open"] = [self.opening_hours.get(d) is not None for d in table["dow"]]
        public: dict[dt.date, str] = {}
        minor: set[dt.date] = set()
        if self.country is not None:
            years = range(dates[0].year, dates[-1].year + 1)
            public = dict(
                holidays.country_holidays(self.country, subdiv=self.subdivision, years=years)
            )
            cls = holidays.country_holidays(self.country, subdiv=self.subdivision, years=years)
            if "optional" in getattr(cls, "supported_categories", ()):
                minor = set(
                    holidays.country_holidays(
                        self.country,
                        subdiv=self.subdivision,
                        years=years,
                        categories=("optional",),
                    )
                )
        days = [d.date() for d in dates]
        table["holiday"] = [d in public for d in days]
        table["holiday_name"] = [public.get(d, "") for d in days]
        table["minor"] = [d in minor and d not in public for d in days]
        for kind in EVENT_KINDS:
            table[kind] = False
        names: list[list[str]] = [[] for _ in days]
        for event in self.events:
            inside = (table.index >= pd.Timestamp(event.start)) & (
                table.index <= pd.Timestamp(event.end)
            )
            table.loc[inside, event.kind] = True
            for k in np.flatnonzero(inside):
                names[int(k)].append(event.name)
        table["events"] = [tuple(n) for n in names]
        off = table["holiday"].to_numpy() | table["closure"].to_numpy()
        shut = off | ~table["open"].to_numpy()
        next_hol = np.roll(table["holiday"].to_numpy(), -1)
        table["eve"] = next_hol & ~off
        quiet = -1 if quiet_weekday is None else quiet_weekday
        dows = table["dow"].to_numpy()
        after = np.zeros(len(table), dtype=bool)
        for i in range(1, len(table)):
            if off[i] or dows[i] == quiet:
                continue
            j = i - 1
            while j >= 0 and (off[j] or dows[j] == quiet):
                if off[j] and dows[j] != quiet:
                    after[i] = True
                    break
                j -= 1
        table["after"] = after
        table["after_closure"] = np.roll(table["closure"].to_numpy(), 1) & ~table["closure"]
        prev_shut, next_shut = np.roll(shut, 1), np.roll(shut, -1)
        table["bridge"] = ~shut & ((np.roll(off, 1) & next_shut) | (prev_shut & np.roll(off, -1)))
        table = table.iloc[pad:-pad]
        table.index.name = "date"
        return table
