"""What :func:`forecasts.fit_forecast` found in the history: gaps, outage days, aggregation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["ChannelReport", "DataReport", "Gap", "Outage"]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Gap:
    """A run of open intervals with no history row (missing data, not zero traffic).

    Attributes
    ----------
    start, end
        First missing interval start and the end of the run (exclusive), local time.
    intervals
        Number of missing intervals in the run.
    """

    start: dt.datetime
    end: dt.datetime
    intervals: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Outage:
    """An open day whose traffic was near zero (below 10% of the usual total for that week day).

    Attributes
    ----------
    date
        The local date, excluded from fitting.
    volume
        Contacts recorded in the open intervals of that day.
    """

    date: dt.date
    volume: float


@dataclass(frozen=True, kw_only=True, slots=True)
class ChannelReport:
    """Data checks of one channel.

    Attributes
    ----------
    channel
        Channel name.
    rows
        History rows read.
    resolution_minutes, interval_minutes
        Resolution of the rows and of the model (rows are summed into intervals; an interval
        with fewer rows than it should hold counts as missing).
    intervals
        Intervals with data after aggregation.
    first, last
        First and last timestamp of the rows.
    gaps, outage_days
        Missing runs and outage days (both excluded from fitting).
    volume_outside_hours
        Contacts recorded in intervals the calendar says are closed (ignored by the model).
    usable_days
        Complete, non-outage open days used for fitting.
    unseen_hours
        Open hours the history has no rows for on the last 4 days of their week day with rows,
        nor on most of them: (week day, 0 = Monday; first minute; end minute, after
        midnight). They are outside the history's hours (not gaps) and forecast at 0.
    """

    channel: str
    rows: int
    resolution_minutes: int
    interval_minutes: int
    intervals: int
    first: dt.datetime
    last: dt.datetime
    gaps: tuple[Gap, ...]
    outage_days: tuple[Outage, ...]
    volume_outside_hours: float
    usable_days: int
    unseen_hours: tuple[tuple[int, int, int], ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class DataReport:
    """Data checks of every channel of a history, and what fitting found.

    Attributes
    ----------
    channels
        Data checks per channel.
    findings
        What limits or changes the forecast, one line each: a history too short for the weekly
        pattern or for calibrated bands, a kind of day with no traffic on every past
        occurrence, declared events whose effect cannot be learned.
    """

    channels: tuple[ChannelReport, ...]
    findings: tuple[str, ...] = ()

    def messages(self) -> list[str]:
        """One human-readable line per finding: first :attr:`findings`, then the data checks
        (gaps, outages, closed-hour traffic)."""
        lines = list(self.findings)
        for c in self.channels:
            if c.resolution_minutes != c.interval_minutes:
                lines.append(
                    f"{c.channel}: {c.rows} rows at {c.resolution_minutes} min summed into "
                    f"{c.interval_minutes}-min intervals"
                )
            for dow, first, end in c.unseen_hours:
                lines.append(
                    f"{c.channel}: open {_WEEKDAYS[dow]} {_clock(first)}-{_clock(end)}, but the "
                    f"history has no rows then on recent or most {_WEEKDAYS[dow]}s: forecast 0 "
                    "there (the day's contacts are spread over the hours the history has)"
                )
            for g in c.gaps:
                lines.append(
                    f"{c.channel}: no data {g.start:%Y-%m-%d %H:%M} .. {g.end:%Y-%m-%d %H:%M} "
                    f"({g.intervals} intervals, treated as missing)"
                )
            for o in c.outage_days:
                lines.append(
                    f"{c.channel}: {o.date} looks like an outage ({o.volume:g} contacts on an open "
                    "day); excluded from fitting"
                )
            if c.volume_outside_hours > 0:
                lines.append(
                    f"{c.channel}: {c.volume_outside_hours:g} contacts recorded outside opening "
                    "hours were ignored"
                )
        return lines
