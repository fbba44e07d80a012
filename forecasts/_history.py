"""Checking and aggregating a traffic history: bad rows, gaps and outage days."""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasts.calendar import Calendar
from forecasts.columns import CHANNEL, DEFAULT_CHANNEL, TIMESTAMP, VOLUME
from forecasts.report import ChannelReport, DataReport, Gap, Outage

__all__ = [
    "ChannelHistory",
    "HistoryError",
    "expected_slots",
    "prepare_history",
    "validate_history",
]

#: Days whose total is below this share of the usual total for that week day are outages.
OUTAGE_SHARE = 0.1
#: ... provided the usual total is at least this many contacts.
OUTAGE_MIN_USUAL = 10.0
_SPECIAL = ("holiday", "minor", "eve", "after", "bridge", "closure", "promotion", "other")


class HistoryError(ValueError):
    """The history frame cannot be used; the message names the row position, field and value."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ChannelHistory:
    """One channel's history as a day x interval grid.

    Attributes
    ----------
    channel
        Channel name.
    always_open
        True when the channel ignores opening hours and closures.
    days
        The dates of the grid rows (midnight timestamps).
    volume
        Contacts per interval, shape (days, intervals per day); NaN where missing.
    expected
        True where the interval is open (traffic expected) that day.
    usable
        True for days that are complete (no gap), not outages and have an open interval.
    """

    channel: str
    always_open: bool
    days: pd.DatetimeIndex
    volume: np.ndarray
    expected: np.ndarray
    usable: np.ndarray


#: Days of a week day (the latest with rows) an open interval must lack rows on, as well as most
#: of them, to be outside the history's hours rather than missing.
_RECENT_DAYS = 4


def expected_slots(
    calendar: Calendar, table: pd.DataFrame, interval_minutes: int, always_open: bool
) -> np.ndarray:
    """Open intervals per day of a :meth:`Calendar.day_table`, shape (days, intervals): not
    the hour skipped when the clocks go forward (:meth:`Calendar.skipped_slots`)."""
    skipped = calendar.skipped_slots(pd.DatetimeIndex(table.index), interval_minutes)
    if always_open:
        return ~skipped
    by_dow = np.array([calendar.slot_open(d, interval_minutes) for d in range(7)])
    mask = by_dow[table["dow"].to_numpy()]
    mask[table["closure"].to_numpy()] = False
    return mask & ~skipped


def _fail(position: int, field: str, value: object, expected: str) -> HistoryError:
    if isinstance(value, np.generic):
        value = value.item()
    return HistoryError(f"history row {position}: {field} {value!r} is not {expected}")


def validate_history(history: pd.DataFrame) -> pd.DataFrame:
    """The history as ``timestamp, channel, volume`` (parsed), or :class:`HistoryError`."""
    for column in (TIMESTAMP, VOLUME):
        if column not in history.columns:
            raise HistoryError(
                f"history has no {column!r} column "
                f"(columns: {', '.join(map(str, history.columns))})"
            )
    if len(history) == 0:
        raise HistoryError("history is empty: no rows to fit")
    frame = pd.DataFrame(
        {
            TIMESTAMP: pd.to_datetime(history[TIMESTAMP], errors="coerce"),
            CHANNEL: (
                history[CHANNEL].astype(str).to_numpy()
                if CHANNEL in history.columns
                else DEFAULT_CHANNEL
            ),
            VOLUME: pd.to_numeric(history[VOLUME], errors="coerce").astype(float),
        }
    ).reset_index(drop=True)
    if isinstance(frame[TIMESTAMP].dtype, pd.DatetimeTZDtype):
        raise HistoryError(
            "history timestamps carry a time zone; give naive local wall-clock times"
        )
    for field, expected in ((TIMESTAMP, "a date and time"), (VOLUME, "a number")):
        bad = np.flatnonzero(frame[field].isna().to_numpy())
        if len(bad):
            raise _fail(int(bad[0]), field, history[field].iloc[bad[0]], expected)
    negative = np.flatnonzero(frame[VOLUME].to_numpy() < 0)
    if len(negative):
        raise _fail(int(negative[0]), VOLUME, frame[VOLUME].iloc[negative[0]], ">= 0")
    dup = frame.duplicated([TIMESTAMP, CHANNEL], keep=False).to_numpy()
    if dup.any():
        rows = np.flatnonzero(dup)
        first = frame.iloc[rows[0]]
        raise HistoryError(
            f"history rows {rows[0]} and {rows[1]}: duplicated timestamp "
            f"{first[TIMESTAMP]} for channel {first[CHANNEL]!r}"
        )
    return frame


def _resolution(frame: pd.DataFrame, interval_minutes: int) -> int:
    stamps = frame[TIMESTAMP]
    off = stamps.dt.second.to_numpy() + 60 * (stamps.dt.microsecond.to_numpy() > 0)
    if off.any():
        row = int(np.flatnonzero(off)[0])
        raise _fail(row, TIMESTAMP, str(stamps.iloc[row]), "on a whole minute")
    minutes = stamps.dt.hour.to_numpy() * 60 + stamps.dt.minute.to_numpy()
    step = math.gcd(60, *np.unique(minutes).tolist())
    if interval_minutes % step:
        raise HistoryError(
            f"history has {step}-minute intervals; interval_minutes={interval_minutes} "
            f"must be a multiple of {step}"
        )
    return step


def _unseen_hours(
    missing: np.ndarray, expected: np.ndarray, observed_day: np.ndarray, dows: np.ndarray
) -> np.ndarray:
    """``[week day, interval]``: open intervals the history has no rows for on the last
    :data:`_RECENT_DAYS` days of that week day that have rows, nor on most of them: outside
    the history's hours rather than gaps (a store open later than it used to be, a channel
    answered fewer hours than the store opens), which had made every such day incomplete and
    left the week day to be forecast at another's level. An interval with rows on a recent
    day is open now and stays a gap where rows are missing, however often (a feed that lost
    the lunch hour on 7 of 12 Mondays must not have it forecast at 0)."""
    unseen = np.zeros((7, missing.shape[1]), dtype=bool)
    for dow in range(7):
        days = np.flatnonzero(observed_day & (dows == dow))
        if not len(days):
            continue
        due = expected[days].sum(axis=0)
        recent = missing[days[-_RECENT_DAYS:]].all(axis=0)
        unseen[dow] = (due > 0) & recent & (missing[days].sum(axis=0) * 2 > due)
    return unseen


def _hour_runs(unseen: np.ndarray, interval_minutes: int) -> tuple[tuple[int, int, int], ...]:
    """Runs of ``unseen`` per week day: (week day, first minute, end minute)."""
    return tuple(
        (dow, a * interval_minutes, b * interval_minutes)
        for dow in range(7)
        for a, b in _runs(unseen[dow])
    )


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """Start and end (exclusive) of each run of True."""
    edges = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def _outages(
    volume: np.ndarray, expected: np.ndarray, complete: np.ndarray, table: pd.DataFrame
) -> list[int]:
    totals = np.where(expected, np.nan_to_num(volume), 0.0).sum(axis=1)
    normal = complete & expected.any(axis=1) & ~table[list(_SPECIAL)].to_numpy().any(axis=1)
    dows = table["dow"].to_numpy()
    found = []
    for i in np.flatnonzero(normal):
        near = normal & (dows == dows[i]) & (np.abs(np.arange(len(dows)) - i) <= 35)
        near[i] = False
        if near.sum() < 2:
            continue
        usual = float(np.median(totals[near]))
        if usual >= OUTAGE_MIN_USUAL and totals[i] < OUTAGE_SHARE * usual:
            found.append(int(i))
    return found


def prepare_history(
    history: pd.DataFrame,
    calendar: Calendar,
    interval_minutes: int,
    always_open_channels: Collection[str],
) -> tuple[list[ChannelHistory], DataReport]:
    """Validate, aggregate to ``interval_minutes`` and find gaps and outage days per channel.

    Raises
    ------
    HistoryError
        Missing column, empty frame, unparsable or negative value, duplicated (timestamp,
        channel), or a resolution that does not divide ``interval_minutes``.
    """
    if interval_minutes not in (5, 10, 15, 20, 30, 60):
        raise ValueError(f"interval_minutes={interval_minutes} is not one of 5, 10, 15, 20, 30, 60")
    frame = validate_history(history)
    step = _resolution(frame, interval_minutes)
    per_slot = interval_minutes // step
    stamps = frame[TIMESTAMP]
    frame["day"] = stamps.dt.normalize()
    frame["slot"] = (stamps.dt.hour * 60 + stamps.dt.minute) // interval_minutes
    first, last = frame["day"].min().date(), frame["day"].max().date()
    table = calendar.day_table(first, last)
    days = pd.DatetimeIndex(table.index)
    slots = 1440 // interval_minutes
    channels: list[ChannelHistory] = []
    reports: list[ChannelReport] = []
    for name, rows in frame.groupby(CHANNEL, sort=True):
        channel = str(name)
        always = channel in always_open_channels
        grouped = rows.groupby(["day", "slot"])[VOLUME].agg(["sum", "count"])
        volume = np.full((len(days), slots), np.nan)
        di = days.get_indexer(grouped.index.get_level_values(0))
        si = grouped.index.get_level_values(1).to_numpy()
        whole = grouped["count"].to_numpy() == per_slot
        volume[di[whole], si[whole]] = grouped["sum"].to_numpy()[whole]
        expected = expected_slots(calendar, table, interval_minutes, always)
        flat_missing = (np.isnan(volume) & expected).ravel()
        # the channel's first and last rows in time (the frame may come in any order)
        span = rows.sort_values(TIMESTAMP)["slot"]
        begin = int(days.searchsorted(rows["day"].min())) * slots + int(span.iloc[0])
        end = int(days.searchsorted(rows["day"].max())) * slots + int(span.iloc[-1]) + 1
        flat_missing[:begin] = False
        flat_missing[end:] = False
        # Hours the store opens but the history (mostly) never had: not gaps but outside the
        # history's hours (the store now opens longer, or the channel runs shorter hours).
        observed_day = (~np.isnan(volume)).any(axis=1)
        dows = table["dow"].to_numpy()
        # judged on every day with rows, the first and last whole (a history that starts at
        # its first day's opening is not 'open' before it)
        unseen = _unseen_hours(np.isnan(volume) & expected, expected, observed_day, dows)
        if unseen.any():
            expected = expected & ~unseen[dows]
            flat_missing &= expected.ravel()
        gaps = tuple(
            Gap(
                start=(
                    days[a // slots] + pd.Timedelta(minutes=interval_minutes * (a % slots))
                ).to_pydatetime(),
                end=(
                    days[b // slots] + pd.Timedelta(minutes=interval_minutes * (b % slots))
                ).to_pydatetime()
                if b < len(days) * slots
                else (days[-1] + pd.Timedelta(days=1)).to_pydatetime(),
                intervals=int(b - a),
            )
            for a, b in _runs(flat_missing)
        )
        missing = flat_missing.reshape(len(days), slots)
        complete = ~missing.any(axis=1) & observed_day
        outage_rows = _outages(volume, expected, complete, table)
        usable = complete & expected.any(axis=1)
        usable[outage_rows] = False
        if not usable.any():
            example = (
                f" (e.g. {gaps[0].start:%Y-%m-%d %H:%M} to {gaps[0].end:%H:%M})" if gaps else ""
            )
            raise HistoryError(
                f"channel {channel!r} has no complete day to fit: every day lacks rows for "
                f"intervals the calendar says are open{example}; give the opening hours, or "
                "rows with volume 0 where the channel was open and quiet"
            )
        if not np.nansum(np.where(usable[:, None], volume, 0.0)) > 0:
            # the daily model's log-link fit has no level to find: statsmodels failed with
            # "the first guess on the deviance function returned a nan"
            raise HistoryError(
                f"channel {channel!r} has no contacts in its history (volume 0 on every day it "
                "was open): there is nothing to forecast it from; give its real history, or "
                "remove the channel"
            )
        outside = np.nansum(np.where(expected, 0.0, volume))
        outages = tuple(
            Outage(
                date=days[i].date(),
                volume=float(np.nansum(np.where(expected[i], volume[i], 0.0))),
            )
            for i in outage_rows
        )
        channels.append(
            ChannelHistory(
                channel=channel,
                always_open=always,
                days=days,
                volume=volume,
                expected=expected,
                usable=usable,
            )
        )
        reports.append(
            ChannelReport(
                channel=channel,
                rows=len(rows),
                resolution_minutes=step,
                interval_minutes=interval_minutes,
                intervals=int((~np.isnan(volume)).sum()),
                first=rows[TIMESTAMP].min().to_pydatetime(),
                last=rows[TIMESTAMP].max().to_pydatetime(),
                gaps=gaps,
                outage_days=outages,
                volume_outside_hours=float(outside),
                usable_days=int(usable.sum()),
                unseen_hours=_hour_runs(unseen, interval_minutes),
            )
        )
    return channels, DataReport(channels=tuple(reports))
