"""Rolling-origin backtest of :func:`forecasts.fit_forecast` against three baselines."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasts._baselines import mstl_ets, seasonal_naive, weekday_median
from forecasts._history import HistoryError, prepare_history
from forecasts._hours import observed_hours
from forecasts.calendar import Calendar
from forecasts.columns import CHANNEL, FORECAST, HI80, HI95, LO80, LO95, TIMESTAMP
from forecasts.model import fit_forecast

__all__ = ["MODELS", "BacktestResult", "backtest"]

#: Model names in the result tables.
MODELS: tuple[str, ...] = ("ours", "seasonal_naive", "median_4wk", "mstl_ets")
_SPECIAL = ["holiday", "eve", "after", "bridge", "minor"]
#: Share of a channel's busiest (week day, interval) cells that count as peak hours.
PEAK_SHARE = 0.25
#: Days of history each origin needs before it (more than four weeks).
MIN_DAYS_BEFORE_ORIGIN = 29


@dataclass(frozen=True, kw_only=True, slots=True)
class BacktestResult:
    """Accuracy of each model over all origins.

    Attributes
    ----------
    table
        One row per channel and model (:data:`MODELS`: ``ours``, ``seasonal_naive``,
        ``median_4wk``, ``mstl_ets``): ``channel, model, mae`` (contacts per interval),
        ``wape`` (sum |error| / sum actual), ``mase`` (MAE / in-sample MAE of the weekly
        seasonal naive on the history before each origin), ``coverage80``, ``coverage95`` (share of
        actuals inside the prediction intervals; ours only, NaN for baselines), ``intervals``.
    by_segment
        WAPE per ``channel, model, segment``: ``normal`` days, ``holiday`` days (public
        holidays, their eves, the day after, bridge and minor holidays) and ``peak`` intervals
        (the busiest 25% of a channel's week day x interval cells by mean volume over the
        whole history), plus ``intervals``.
    predictions
        Every scored interval: ``origin, timestamp, channel, actual, segment, peak`` and one
        column per model, plus our ``lo80, hi80, lo95, hi95``.
    origins
        Forecast origins (local dates; each model is fitted on the data before it).
    horizon_days
        Days forecast from each origin.
    """

    table: pd.DataFrame
    by_segment: pd.DataFrame
    predictions: pd.DataFrame
    origins: tuple[dt.date, ...]
    horizon_days: int

    def to_text(self) -> str:
        """The two tables as plain text for the command line.

        Returns
        -------
        str
            A heading (origins and horizon), :attr:`table` (MAE, WAPE, MASE, coverage) and the
            WAPE by segment, ``-`` for a missing value.
        """
        fmt = {"mae": "{:.2f}".format, "wape": "{:.1%}".format, "mase": "{:.3f}".format}
        fmt |= {"coverage80": "{:.1%}".format, "coverage95": "{:.1%}".format}
        head = (
            f"Backtest: {len(self.origins)} origins ({self.origins[0]} .. {self.origins[-1]}), "
            f"{self.horizon_days}-day horizon"
        )
        seg = self.by_segment.pivot_table(
            index=["channel", "model"], columns="segment", values="wape"
        )
        wape = self.table.pivot_table(index="channel", columns="model", values="wape")
        gains = [
            f"{channel}: our WAPE is {_gain(row['ours'], row['seasonal_naive'])} than the same "
            f"hour last week's, {_gain(row['ours'], row['median_4wk'])} than the median of the "
            "last 4 same week days'"
            for channel, row in wape.iterrows()
        ]
        return "\n".join(
            [
                head,
                self.table.to_string(index=False, formatters=fmt, na_rep="-"),
                *gains,
                "",
                "WAPE by segment",
                seg.to_string(float_format="{:.1%}".format, na_rep="-"),
            ]
        )


def _gain(ours: float, baseline: float) -> str:
    gain = 1 - ours / baseline
    return f"{abs(gain):.1%} {'lower' if gain >= 0 else 'higher'}"


def _default_origins(last_day: dt.date, origins: int, horizon: int) -> list[dt.date]:
    end = last_day + dt.timedelta(days=1) - dt.timedelta(days=horizon)
    return [end - dt.timedelta(days=7 * k) for k in range(origins - 1, -1, -1)]


def _wape(err: pd.Series, actual: pd.Series) -> float:
    total = float(actual.sum())
    return float(err.sum() / total) if total > 0 else float("nan")


def backtest(
    history: pd.DataFrame,
    calendar: Calendar,
    *,
    interval_minutes: int = 60,
    origins: int = 8,
    horizon_days: int = 7,
    origin_dates: Sequence[dt.date] | None = None,
    always_open_channels: Collection[str] = (),
    hours_from_history: bool = False,
) -> BacktestResult:
    """Refit at weekly origins and score ours and three baselines on what followed.

    The baselines: ``seasonal_naive`` (the same interval a week before), ``median_4wk`` (the
    median of the same interval on the last four usable same week days before the origin)
    and ``mstl_ets`` (MSTL + damped exponential smoothing on the last eight weeks).

    Only open intervals with data on non-outage days are scored.

    Parameters
    ----------
    history : pandas.DataFrame
        As for :func:`forecasts.fit_forecast` (contacts per row).
    calendar : Calendar
        As for :func:`forecasts.fit_forecast`.
    interval_minutes : int
        Model interval, minutes; as for :func:`forecasts.fit_forecast`.
    origins : int
        Number of weekly origins, the last one ``horizon_days`` before the end of the history
        (ignored when ``origin_dates`` is given).
    horizon_days : int
        Days forecast from each origin.
    origin_dates : sequence of datetime.date, optional
        Explicit origins (local dates), e.g. to include holiday weeks.
    always_open_channels : collection of str
        As for :func:`forecasts.fit_forecast`.
    hours_from_history : bool
        True for a history without opening hours of its own: at each origin the opening hours
        and the channels open around the clock are read from the history before it
        (:func:`forecasts.observed_hours`), never from the weeks being forecast;
        ``calendar``'s hours and ``always_open_channels`` then only choose the intervals
        scored.

    Returns
    -------
    BacktestResult
        The accuracy tables (MAE in contacts per interval, WAPE, MASE, interval coverage as
        fractions) and every scored prediction.

    Raises
    ------
    HistoryError
        Bad rows (see :func:`forecasts.fit_forecast`), or too little history: the first
        origin needs :data:`MIN_DAYS_BEFORE_ORIGIN` days of history before it, so the default
        origins need ``MIN_DAYS_BEFORE_ORIGIN + 7 * (origins - 1) + horizon_days`` days.
    ValueError
        ``origins`` below 1, an empty ``origin_dates``, ``horizon_days`` below 1, or
        ``interval_minutes`` not one of 5, 10, 15, 20, 30, 60.
    """
    channels, _ = prepare_history(history, calendar, interval_minutes, always_open_channels)
    days = channels[0].days
    first_day, last_day = days[0].date(), days[-1].date()
    dates = (
        sorted(origin_dates)
        if origin_dates is not None
        else _default_origins(last_day, origins, horizon_days)
    )
    if not dates:
        raise ValueError(
            "origin_dates is empty" if origin_dates is not None else f"origins={origins} < 1"
        )
    _check_history_before(dates[0], first_day, last_day, origins, horizon_days, origin_dates)
    table = calendar.day_table(first_day, last_day)
    special = np.asarray(table[_SPECIAL].to_numpy().any(axis=1), dtype=bool)
    stamps = pd.to_datetime(history[TIMESTAMP])
    slots = 1440 // interval_minutes
    parts = []
    for origin in dates:
        train = history[stamps < pd.Timestamp(origin)]
        fit_calendar, always = calendar, always_open_channels
        if hours_from_history:
            seen = observed_hours(train, interval_minutes)
            fit_calendar = dataclasses.replace(calendar, opening_hours=seen.hours)
            always = seen.always_open
        model = fit_forecast(
            train, fit_calendar, interval_minutes=interval_minutes, always_open_channels=always
        )
        fc = model.forecast(origin, horizon_days)
        o = int(days.searchsorted(pd.Timestamp(origin)))
        h = min(horizon_days, len(days) - o)
        for ch in channels:
            mine = fc[fc[CHANNEL] == ch.channel].iloc[: h * slots]
            if mine.empty:  # no history of it before this origin: scored from later ones
                continue
            peak = _peak_cells(ch.volume, ch.expected, ch.usable, table["dow"].to_numpy())
            score = ch.expected[o : o + h] & ch.usable[o : o + h, None]
            score &= ~np.isnan(ch.volume[o : o + h])
            frame = pd.DataFrame(
                {
                    "origin": origin,
                    TIMESTAMP: mine[TIMESTAMP].to_numpy(),
                    CHANNEL: ch.channel,
                    "actual": ch.volume[o : o + h].ravel(),
                    "ours": mine[FORECAST].to_numpy(),
                    "seasonal_naive": seasonal_naive(ch.volume, ch.usable, o, h).ravel(),
                    "median_4wk": weekday_median(ch.volume, ch.usable, o, h).ravel(),
                    "mstl_ets": np.where(
                        ch.expected[o : o + h], mstl_ets(ch.volume, ch.expected, ch.usable, o, h), 0
                    ).ravel(),
                    LO80: mine[LO80].to_numpy(),
                    HI80: mine[HI80].to_numpy(),
                    LO95: mine[LO95].to_numpy(),
                    HI95: mine[HI95].to_numpy(),
                    "segment": np.repeat(np.where(special[o : o + h], "holiday", "normal"), slots),
                    "peak": peak[table["dow"].to_numpy()[o : o + h]].ravel(),
                    "scale": _naive_scale(ch.volume, ch.expected, ch.usable, o),
                }
            )
            parts.append(frame[score.ravel()])
    pred = pd.concat(parts, ignore_index=True)
    return BacktestResult(
        table=_table(pred),
        by_segment=_segments(pred),
        predictions=pred,
        origins=tuple(dates),
        horizon_days=horizon_days,
    )


def _check_history_before(
    first_origin: dt.date,
    first_day: dt.date,
    last_day: dt.date,
    origins: int,
    horizon_days: int,
    origin_dates: Sequence[dt.date] | None,
) -> None:
    """Raise :class:`HistoryError` naming the history's length and the length needed."""
    before = (first_origin - first_day).days
    if before >= MIN_DAYS_BEFORE_ORIGIN:
        return
    span = (last_day - first_day).days + 1
    have = f"the history has {span} days ({first_day} .. {last_day})"
    if origin_dates is None:
        needed = MIN_DAYS_BEFORE_ORIGIN + 7 * (origins - 1) + horizon_days
        raise HistoryError(
            f"{have}; a backtest with {origins} weekly origin(s) and a {horizon_days}-day "
            f"horizon needs at least {needed} days: more than four weeks of history "
            f"({MIN_DAYS_BEFORE_ORIGIN} days) before the first origin"
        )
    raise HistoryError(
        f"{have}; the first origin {first_origin} has {max(before, 0)} days of history "
        f"before it and needs at least {MIN_DAYS_BEFORE_ORIGIN} (more than four weeks)"
    )


def _peak_cells(
    volume: np.ndarray, expected: np.ndarray, usable: np.ndarray, dows: np.ndarray
) -> np.ndarray:
    means = np.zeros((7, volume.shape[1]))
    for d in range(7):
        rows = usable & (dows == d)
        if rows.any():
            open_ = expected[rows]
            total = np.where(open_, np.nan_to_num(volume[rows]), 0.0).sum(axis=0)
            count = (open_ & ~np.isnan(volume[rows])).sum(axis=0)
            means[d] = np.divide(total, count, out=np.zeros_like(total), where=count > 0)
    open_cells = means[means > 0]
    if not len(open_cells):
        return np.zeros_like(means, dtype=bool)
    return means >= np.quantile(open_cells, 1 - PEAK_SHARE)


def _naive_scale(
    volume: np.ndarray, expected: np.ndarray, usable: np.ndarray, origin: int
) -> float:
    y = np.where(expected, volume, np.nan)[:origin]
    ok = usable[:origin]
    both = ok[7:] & ok[:-7]
    diff = np.abs(y[7:][both] - y[:-7][both])
    return float(np.nanmean(diff)) if np.isfinite(diff).any() else float("nan")


def _table(pred: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for channel, g in pred.groupby(CHANNEL, sort=True):
        for model in MODELS:
            err = (g[model] - g["actual"]).abs()
            inside80 = (g["actual"] >= g[LO80]) & (g["actual"] <= g[HI80])
            inside95 = (g["actual"] >= g[LO95]) & (g["actual"] <= g[HI95])
            rows.append(
                {
                    "channel": channel,
                    "model": model,
                    "mae": float(err.mean()),
                    "wape": _wape(err, g["actual"]),
                    "mase": float((err / g["scale"]).mean()),
                    "coverage80": float(inside80.mean()) if model == "ours" else float("nan"),
                    "coverage95": float(inside95.mean()) if model == "ours" else float("nan"),
                    "intervals": len(g),
                }
            )
    return pd.DataFrame(rows)


def _segments(pred: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for channel, g in pred.groupby(CHANNEL, sort=True):
        parts = {
            "normal": g[g["segment"] == "normal"],
            "holiday": g[g["segment"] == "holiday"],
            "peak": g[g["peak"]],
        }
        for model in MODELS:
            for segment, s in parts.items():
                rows.append(
                    {
                        "channel": channel,
                        "model": model,
                        "segment": segment,
                        "wape": _wape((s[model] - s["actual"]).abs(), s["actual"]),
                        "intervals": len(s),
                    }
                )
    return pd.DataFrame(rows)
