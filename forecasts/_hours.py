"""Opening hours as a history shows them, for a history without a calendar of its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasts._history import validate_history
from forecasts.calendar import Calendar, Hours
from forecasts.columns import CHANNEL, TIMESTAMP

__all__ = ["MOST", "RECENT_WEEKS", "ObservedHours", "observed_hours"]

#: Weeks at the end of the history the opening hours are read from (a store that changed
#: its hours is forecast with the new ones).
RECENT_WEEKS = 8
#: A week day is open when more than this share of its dates in those weeks have rows, and
#: an interval of it is open when more than this share of those open dates have a row in it:
#: one stray row (a till transaction after closing) does not open an interval on every week.
MOST = 0.5
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, kw_only=True, slots=True)
class ObservedHours:
    """Opening hours read from a history (see :func:`observed_hours`).

    Attributes
    ----------
    hours
        Week day (0 = Monday) -> (open, close) local time (``close`` 00:00 means midnight) or
        None (closed), for :class:`forecasts.Calendar`.
    always_open
        Channels open around the clock (e.g. e-mail): they ignore ``hours``.
    first, last
        The dates the hours were read from: the last :data:`RECENT_WEEKS` weeks with rows
        (weeks without any row, a gap in the data, are passed over).
    outside_rows
        Rows of the other channels, anywhere in the history, outside ``hours`` (ignored by the
        forecast), and the first of them (None when there is none).
    first_outside
        Local timestamp and channel of the first such row, or None.
    """

    hours: dict[int, Hours]
    always_open: tuple[str, ...]
    first: dt.date
    last: dt.date
    outside_rows: int
    first_outside: tuple[dt.datetime, str] | None

    def describe(self) -> list[str]:
        """What was inferred, one line per finding, for the command line.

        Returns
        -------
        list of str
            The hours per week day and the dates they were read from; the channels open
            around the clock; the rows outside the hours, if any.
        """
        shown = ", ".join(
            f"{_DAYS[d]} "
            + ("closed" if h is None else f"{h[0]:%H:%M}-{h[1]:%H:%M}".replace("-00:00", "-24:00"))
            for d, h in sorted(self.hours.items())
        )
        lines = [
            f"opening hours as the history shows them: {shown} (read from {self.first} .. "
            f"{self.last}, weeks without rows passed over: the intervals with rows on most "
            "dates of each week day)"
        ]
        if self.always_open:
            lines.append(f"open around the clock: {', '.join(self.always_open)}")
        if self.first_outside is not None:
            stamp, channel = self.first_outside
            lines.append(
                f"{self.outside_rows} row(s) outside these hours ignored (the first: "
                f"{channel} {stamp:%Y-%m-%d %H:%M})"
            )
        return lines


def observed_hours(
    history: pd.DataFrame, interval_minutes: int, *, weeks: int = RECENT_WEEKS
) -> ObservedHours:
    """Opening hours as the history shows them, for a history without a calendar of its own.

    Read from the last ``weeks`` weeks of the history only. A channel with rows from the
    first to the last interval of every week day it has rows on in those weeks is open around
    the clock (e.g. e-mail). The others share opening hours: a week day is open when more than
    half of its dates in those weeks have rows (of any of them), and then from the earliest to
    the end of the latest interval that has a row on more than half of those dates. Rows
    outside those hours (a stray after-hours transaction, hours changed since) are counted
    and ignored by the forecast; missing rows inside them remain gaps.

    Parameters
    ----------
    history : pandas.DataFrame
        As for :func:`forecasts.fit_forecast`.
    interval_minutes : int
        Interval length, minutes.
    weeks : int
        Weeks at the end of the history to read the hours from.

    Returns
    -------
    ObservedHours
        The hours per week day, the channels open around the clock and what was ignored.
    """
    frame = validate_history(history)
    stamps = frame[TIMESTAMP]
    day = stamps.dt.normalize()
    last_day = day.max()
    # The last ``weeks`` weeks (counted back from the last day) that have rows: a week with
    # none is a gap in the data, not a week closed every day (a 4-week gap had made every
    # week day "closed" and the fit fail for want of a complete day).
    back = ((last_day - day).dt.days // 7).to_numpy()
    kept = np.unique(back)[:weeks]
    first_day = max(day.min(), last_day - pd.Timedelta(days=7 * int(kept.max()) + 6))
    slots = 1440 // interval_minutes
    frame = frame.assign(
        day=day,
        dow=stamps.dt.day_of_week.to_numpy(),
        slot=(stamps.dt.hour * 60 + stamps.dt.minute).to_numpy() // interval_minutes,
    )
    recent = frame[np.isin(back, kept)]
    spans = recent.groupby([CHANNEL, "dow"])["slot"].agg(["min", "max"])
    whole = (spans["min"] == 0) & (spans["max"] == slots - 1)
    around = tuple(str(c) for c, ok in whole.groupby(level=0).all().items() if ok)
    # The weeks that count for the hours are those the other channels have rows in (e-mail
    # answered around the clock goes on through a gap in the tills' data).
    others = ~frame[CHANNEL].isin(around).to_numpy()
    if others.any():
        kept = np.unique(back[others])[:weeks]
        first_day = max(day.min(), last_day - pd.Timedelta(days=7 * int(kept.max()) + 6))
    rest = frame[others & np.isin(back, kept)]
    window = pd.date_range(first_day, last_day, freq="D")
    window = window[np.isin((last_day - window).days // 7, kept)]
    dates = np.bincount(window.day_of_week, minlength=7)
    pairs = rest[["day", "dow", "slot"]].drop_duplicates()
    with_rows = pairs.drop_duplicates("day")["dow"].value_counts().reindex(range(7), fill_value=0)
    per_slot = pairs.groupby(["dow", "slot"]).size()
    hours: dict[int, Hours] = dict.fromkeys(range(7))
    for d in range(7):
        seen = int(with_rows[d])
        if not seen or seen <= MOST * dates[d]:
            continue
        counts = per_slot.loc[d] if d in per_slot.index.get_level_values(0) else None
        if counts is None:
            continue
        kept = counts.index[counts.to_numpy() > MOST * seen].to_numpy()
        if not len(kept):
            continue
        start = int(kept.min()) * interval_minutes
        end = (int(kept.max()) + 1) * interval_minutes
        hours[d] = (_clock(start), _clock(end % 1440))
    if not len(rest):  # every channel around the clock
        hours = {d: (dt.time(0, 0), dt.time(0, 0)) for d in range(7)}
    outside = _outside(frame[~frame[CHANNEL].isin(around)], hours, interval_minutes)
    first_outside = None
    if len(outside):
        row = outside.sort_values(TIMESTAMP).iloc[0]
        first_outside = (pd.Timestamp(row[TIMESTAMP]).to_pydatetime(), str(row[CHANNEL]))
    return ObservedHours(
        hours=hours,
        always_open=around,
        first=first_day.date(),
        last=last_day.date(),
        outside_rows=len(outside),
        first_outside=first_outside,
    )


def _outside(frame: pd.DataFrame, hours: dict[int, Hours], interval_minutes: int) -> pd.DataFrame:
    """The rows of ``frame`` in no open interval of their week day."""
    calendar = Calendar(country=None, opening_hours=hours)
    open_slots = np.array([calendar.slot_open(d, interval_minutes) for d in range(7)])
    return frame[~open_slots[frame["dow"].to_numpy(), frame["slot"].to_numpy()]]


def _clock(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)
