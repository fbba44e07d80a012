"""Fitting and forecasting: :func:`fit_forecast` and the read-only :class:`ForecastModel`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from forecasts._daily import DailyFit, fit_daily, predict_daily
from forecasts._history import ChannelHistory, prepare_history
from forecasts._profile import fit_profiles, interval_alpha, shares
from forecasts.calendar import Calendar
from forecasts.columns import (
    CHANNEL,
    FORECAST,
    FORECAST_COLUMNS,
    HI80,
    HI95,
    LO80,
    LO95,
    NB_ALPHA,
    TIMESTAMP,
)
from forecasts.report import DataReport

__all__ = ["ForecastModel", "fit_forecast"]

#: Weekly origins refitted inside :func:`fit_forecast` to measure out-of-sample daily error.
CALIBRATION_ORIGINS = 8
_SPECIAL = ["holiday", "eve", "after", "bridge", "minor", "closure"]


@dataclass(frozen=True, kw_only=True, slots=True)
class _ChannelModel:
    channel: str
    always_open: bool
    daily: DailyFit
    profiles: dict[str, np.ndarray]
    alpha_interval: float
    alpha_day: float
    alpha_day_special: float


def _totals(h: ChannelHistory) -> np.ndarray:
    return np.where(h.expected, np.nan_to_num(h.volume), 0.0).sum(axis=1)


def _oos_terms(
    table: pd.DataFrame, totals: np.ndarray, usable: np.ndarray, always_open: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-sample relative squared errors of daily totals at earlier weekly origins."""
    idx = np.flatnonzero(usable)
    terms, special = [], []
    if len(idx) < 8 * 7:
        return np.array([]), np.array([], dtype=bool)
    last = idx[-1]
    flags = np.asarray(table[_SPECIAL].to_numpy().any(axis=1), dtype=bool)
    for k in range(1, CALIBRATION_ORIGINS + 1):
        cut = last - 7 * k + 1
        train = usable.copy()
        train[cut:] = False
        if train.sum() < 28:
            break
        fit = fit_daily(table.iloc[:cut], totals[:cut], train[:cut], always_open)
        test = slice(cut, cut + 7)
        mu, cats = predict_daily(fit, table.iloc[test])
        ok = usable[test] & (mu > 1.0)
        y = totals[test][ok]
        terms.append(((y - mu[ok]) ** 2 - mu[ok]) / mu[ok] ** 2)
        special.append(flags[test][ok])
    if not terms:
        return np.array([]), np.array([], dtype=bool)
    return np.concatenate(terms), np.concatenate(special)


def _fit_channel(h: ChannelHistory, table: pd.DataFrame) -> _ChannelModel:
    totals = _totals(h)
    daily = fit_daily(table, totals, h.usable, h.always_open)
    _, cats = predict_daily(daily, table)
    profiles = fit_profiles(h.volume, h.expected, h.usable, cats, daily.spec.parents)
    alpha_interval = interval_alpha(h.volume, h.expected, h.usable, cats, profiles)
    terms, special = _oos_terms(table, totals, h.usable, h.always_open)
    alpha_day, alpha_special = daily.alpha, daily.alpha_special
    if len(terms):
        clipped = np.minimum(terms, 1.0)
        if (~special).any():
            alpha_day = max(alpha_day, float(clipped[~special].mean()))
        if special.any():
            alpha_special = max(alpha_special, float(clipped[special].mean()))
        alpha_special = max(alpha_special, alpha_day)
    return _ChannelModel(
        channel=h.channel,
        always_open=h.always_open,
        daily=daily,
        profiles=profiles,
        alpha_interval=alpha_interval,
        alpha_day=alpha_day,
        alpha_day_special=alpha_special,
    )


def nb_quantile(q: float, mean: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Quantile ``q`` of a negative binomial: mean ``mean``, variance ``mean + alpha mean^2``."""
    mean = np.asarray(mean, dtype=float)
    a = np.maximum(np.asarray(alpha, dtype=float), 1e-8)
    out = stats.nbinom.ppf(q, 1.0 / a, 1.0 / (1.0 + a * mean))
    return np.where(mean > 0, out, 0.0)


@dataclass(frozen=True, kw_only=True, slots=True)
class ForecastModel:
    """A fitted traffic model (read-only): one two-stage model per channel.

    Stage one predicts each day's total with a negative-binomial GLM (day category: week day,
    public holiday, eve of a holiday; additive effects of the day after a holiday or closure,
    bridge days, minor holidays, event kinds and named events; annual Fourier terms and a
    trend once more than 420 days of history exist; recent weeks weigh more, half-life 120
    days). Stage two splits the day over its open intervals with a recent intraday profile
    of its day category. The predictive distribution of each interval is negative binomial
    (see :meth:`forecast`).

    Attributes
    ----------
    calendar
        The calendar used for fitting and forecasting.
    interval_minutes
        Interval length, minutes.
    report
        Data checks: gaps, outage days, aggregation (:class:`forecasts.DataReport`).
    """

    calendar: Calendar
    interval_minutes: int
    report: DataReport
    _channels: tuple[_ChannelModel, ...]

    @property
    def channels(self) -> tuple[str, ...]:
        """Channel names, in the order of the forecast rows."""
        return tuple(c.channel for c in self._channels)

    def forecast(self, start: dt.date, days: int) -> pd.DataFrame:
        """Forecast whole days from ``start`` (local dates), every interval of every channel.

        Returns
        -------
        pandas.DataFrame
            :data:`forecasts.FORECAST_COLUMNS` plus ``nb_alpha``: one row per interval and
            channel (``timestamp`` is the interval's local start). ``forecast`` is the expected
            contacts per interval; the interval's predictive distribution is negative
            binomial with that mean and variance ``forecast + nb_alpha * forecast**2``
            (scipy ``nbinom(n=1/nb_alpha, p=1/(1 + nb_alpha*forecast))``); it includes the
            day-level random effect and the out-of-sample error of the daily total.
            ``lo80``/``hi80`` and ``lo95``/``hi95`` are its 10/90% and 2.5/97.5% quantiles
            (contacts). Closed intervals (outside opening hours, closures) are 0 in every
            column.
        """
        if days < 1:
            raise ValueError(f"days={days} must be at least 1")
        last = start + dt.timedelta(days=days - 1)
        table = self.calendar.day_table(start, last)
        from forecasts._history import expected_slots

        slots = 1440 // self.interval_minutes
        stamps = pd.DatetimeIndex(table.index).repeat(slots) + pd.to_timedelta(
            np.tile(np.arange(slots) * self.interval_minutes, days), unit="min"
        )
        special = table[_SPECIAL].to_numpy().any(axis=1)
        frames = []
        for m in self._channels:
            open_ = expected_slots(self.calendar, table, self.interval_minutes, m.always_open)
            mu_day, cats = predict_daily(m.daily, table)
            mean = np.zeros((days, slots))
            for i in range(days):
                if cats[i] != "closed" and open_[i].any():
                    mean[i] = mu_day[i] * shares(m.profiles[str(cats[i])], open_[i])
            s2 = np.where(special, m.alpha_day_special, m.alpha_day)[:, None]
            alpha = np.broadcast_to(s2 + m.alpha_interval + s2 * m.alpha_interval, mean.shape)
            alpha = np.where(mean > 0, alpha, 0.0).ravel()
            mu = mean.ravel()
            frames.append(
                pd.DataFrame(
                    {
                        TIMESTAMP: stamps,
                        CHANNEL: m.channel,
                        FORECAST: mu,
                        LO80: nb_quantile(0.10, mu, alpha),
                        HI80: nb_quantile(0.90, mu, alpha),
                        LO95: nb_quantile(0.025, mu, alpha),
                        HI95: nb_quantile(0.975, mu, alpha),
                        NB_ALPHA: alpha,
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)[[*FORECAST_COLUMNS, NB_ALPHA]]

    @property
    def params(self) -> pd.DataFrame:
        """Fitted coefficients per channel: ``channel, term, estimate, std_error``.

        Daily terms are on the log scale (``exp(estimate)`` is a multiplicative effect on
        the daily total); ``dispersion[...]`` rows are NB dispersions (no standard error).
        """
        rows = []
        for m in self._channels:
            terms = [str(t) for t in m.daily.params.index]
            estimates = m.daily.params.to_numpy(dtype=float)
            errors = m.daily.bse.to_numpy(dtype=float)
            for term, value, error in zip(terms, estimates, errors, strict=True):
                rows.append((m.channel, term, float(value), float(error)))
            for term, value in (
                ("dispersion[day]", m.alpha_day),
                ("dispersion[day, special days]", m.alpha_day_special),
                ("dispersion[interval]", m.alpha_interval),
            ):
                rows.append((m.channel, term, value, float("nan")))
        return pd.DataFrame(rows, columns=["channel", "term", "estimate", "std_error"])

    def summary(self) -> str:
        """Human-readable coefficients, dispersions and data findings."""
        lines = [f"Two-stage NB forecast, {self.interval_minutes}-min intervals"]
        params = self.params
        for m in self._channels:
            spec = m.daily.spec
            lines.append(
                f"\nchannel {m.channel}: short week days {list(spec.short_dows)}, "
                f"annual terms {spec.fourier}, always open {m.always_open}"
            )
            sub = params[params["channel"] == m.channel]
            for term, value in zip(sub["term"].tolist(), sub["estimate"].tolist(), strict=True):
                name, estimate = str(term), float(value)
                effect = f"x{np.exp(estimate):.3f}" if name.startswith(("flag", "event")) else ""
                lines.append(f"  {name:<40} {estimate:>10.4f} {effect}")
        notes = self.report.messages()
        if notes:
            lines.append("\ndata notes:")
            lines += [f"  {n}" for n in notes]
        return "\n".join(lines)


def fit_forecast(
    history: pd.DataFrame,
    calendar: Calendar,
    *,
    interval_minutes: int = 60,
    always_open_channels: Collection[str] = (),
) -> ForecastModel:
    """Fit the traffic model to a history, per channel.

    Parameters
    ----------
    history
        Columns ``timestamp`` (naive local wall-clock start of each row's period), ``volume``
        (contacts, >= 0) and optionally ``channel`` (absent: one channel ``"all"``). Rows at
        any 5-60 minute resolution; missing rows are missing data, not zeros.
    calendar
        Opening hours, public-holiday country and events.
    interval_minutes
        Model interval, minutes (5, 10, 15, 20, 30 or 60; a multiple of the data resolution).
    always_open_channels
        Channels that receive traffic around the clock (e.g. e-mail): they ignore opening
        hours and closures.

    Raises
    ------
    HistoryError
        Bad rows (named by position, field and value); see :class:`forecasts.HistoryError`.
    """
    channels, report = prepare_history(history, calendar, interval_minutes, always_open_channels)
    table = calendar.day_table(channels[0].days[0].date(), channels[0].days[-1].date())
    fitted = tuple(_fit_channel(h, table) for h in channels)
    return ForecastModel(
        calendar=calendar, interval_minutes=interval_minutes, report=report, _channels=fitted
    )
