"""Fitting and forecasting: :func:`fit_forecast` and the read-only :class:`ForecastModel`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from forecasts._daily import SPECIAL_DAYS, DailyFit, DailySpec, fit_daily, predict_daily
from forecasts._findings import channel_findings, event_findings
from forecasts._history import ChannelHistory, prepare_history
from forecasts._profile import choose_half_life, fit_profiles, interval_alpha, shares
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

#: Contacts a day below which a day's forecast is 0: the log link's floor (e^-30 a day), where
#: a kind of day never had traffic (a phone line that was silent every past Sunday), had come
#: out as 7e-12 contacts an interval, and sizing staffed every such interval with an agent.
_NO_TRAFFIC = 1e-6

#: Range searched for the dispersion multipliers of the 80% and 95% intervals, and the
#: number of bisection steps on its log scale.
SCALE_RANGE = (0.01, 10.0)
SCALE_STEPS = 14
#: The held-out intervals are calibrated in up to this many groups by their expected volume
#: (quantiles), each with its own multipliers: with one for the whole day the sample store's
#: e-mail 80% band held 94% of its quietest quarter of intervals and 77% of its busiest.
SCALE_GROUPS = 4
#: Held-out intervals each group needs; fewer groups (down to one) when there are not enough.
SCALE_MIN_PER_GROUP = 250
#: Weekly origins refitted inside :func:`fit_forecast` to measure out-of-sample error.
CALIBRATION_ORIGINS = 8
#: Usable days an origin needs before it (four weeks).
MIN_DAYS_BEFORE_ORIGIN = 28
#: Fewer weekly origins than this: weeks are left out in turn instead (cross-validation).
MIN_ORIGINS = 4


@dataclass(frozen=True, kw_only=True, slots=True)
class _ChannelModel:
    channel: str
    always_open: bool
    daily: DailyFit
    profiles: dict[str, np.ndarray]
    profile_half_life: float
    alpha_interval: float
    alpha_day: float
    alpha_day_special: float
    scale_centres: tuple[float, ...]  # each group's median expected contacts per interval
    scale80: tuple[float, ...]  # one per group
    scale95: tuple[float, ...]
    findings: tuple[str, ...]

    def scales(self, mean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The 80% and 95% dispersion multipliers of intervals with expected ``mean``: each
        group's at its centre, log-linear between centres (one flat multiplier per group had
        made the top of a band drop by a contact where the volume crossed into the next group),
        the end groups' beyond them."""
        return _between(self.scale_centres, self.scale80, mean), _between(
            self.scale_centres, self.scale95, mean
        )


def _between(centres: tuple[float, ...], values: tuple[float, ...], mean: np.ndarray) -> np.ndarray:
    """``values`` at ``centres``, interpolated in log-log between them, held beyond them."""
    mean = np.asarray(mean, dtype=float)
    if len(values) == 1:
        return np.full(mean.shape, values[0])
    x = np.log(np.maximum(mean, 1e-9))
    return np.exp(np.interp(x, np.log(centres), np.log(values)))


def _totals(h: ChannelHistory) -> np.ndarray:
    return np.where(h.expected, np.nan_to_num(h.volume), 0.0).sum(axis=1)


@dataclass(frozen=True, kw_only=True, slots=True)
class _OutOfSample:
    rows: np.ndarray  # grid rows of the scored days
    mu: np.ndarray  # out-of-sample expected daily totals
    special: np.ndarray  # special day flags
    means: np.ndarray  # out-of-sample expected contacts per interval, rows x intervals
    folds: int  # number of refits
    how: str  # "weekly origins", "leaving each week out" or "leaving each day out"


def _held_out(
    calendar: Calendar,
    h: ChannelHistory,
    totals: np.ndarray,
    train: np.ndarray,
    first: int,
    n: int,
    cats: np.ndarray,
    parents: dict[str, str],
    half_life: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Days ``first .. first + n - 1`` forecast by a model fitted on the ``train`` days only
    (daily totals, and intraday profiles by the day categories ``cats`` of the full model):
    rows scored, daily means, special flags and interval means of the usable days with a
    mean above one contact."""
    end = first if not train[first:].any() else len(h.days)  # a weekly origin: data before it
    fit = fit_daily(calendar, h.days[:end], totals[:end], train[:end], h.always_open)
    profiles = fit_profiles(
        h.volume[:end], h.expected[:end], train[:end], cats[:end], parents, half_life
    )
    mu, _, table = predict_daily(fit, calendar, h.days[first], n)
    flags = np.asarray(table[list(SPECIAL_DAYS)].to_numpy().any(axis=1), dtype=bool)
    rows = np.arange(first, first + n)
    ok = h.usable[rows] & (mu > 1.0)
    means = np.zeros((int(ok.sum()), h.volume.shape[1]))
    for j, i in enumerate(rows[ok]):
        cat, quiet = str(cats[i]), f"dow{fit.spec.quiet_dow}"
        for _ in range(4):  # a category without training days: as the fitted model maps it
            if cat in profiles:
                break
            cat = parents.get(cat, quiet)
        open_ = h.expected[i]
        means[j] = mu[ok][j] * shares(profiles.get(cat, open_.astype(float)), open_)
    return rows[ok], mu[ok], flags[ok], means


def _out_of_sample(
    calendar: Calendar,
    h: ChannelHistory,
    totals: np.ndarray,
    cats: np.ndarray,
    parents: dict[str, str],
    half_life: float,
) -> _OutOfSample:
    """Forecasts of days the model did not see, to calibrate the prediction intervals.

    With enough history, the last :data:`CALIBRATION_ORIGINS` weeks, each forecast from the
    data before its weekly origin (at least :data:`MIN_DAYS_BEFORE_ORIGIN` usable days). A
    shorter history has fewer than :data:`MIN_ORIGINS` such origins: each of its weeks is then
    left out in turn and forecast from the others (each day, below two weeks of usable days),
    which measures the error of a model that has seen fewer days than the final one.
    """
    idx = np.flatnonzero(h.usable)
    last = int(idx[-1]) if len(idx) else 0
    cuts = [
        int(last - 7 * k + 1)
        for k in range(1, CALIBRATION_ORIGINS + 1)
        if last - 7 * k + 1 > 0 and h.usable[: last - 7 * k + 1].sum() >= MIN_DAYS_BEFORE_ORIGIN
    ]
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    if len(cuts) >= MIN_ORIGINS:
        how = "weekly origins"
        for cut in cuts:
            train = h.usable & (np.arange(len(h.days)) < cut)
            n = min(7, len(h.days) - cut)
            parts.append(_held_out(calendar, h, totals, train, cut, n, cats, parents, half_life))
    else:
        block = 7 if len(idx) >= 14 else 1
        how = "leaving each week out" if block == 7 else "leaving each day out"
        start = last + 1
        while start > 0:
            first = max(0, start - block)
            train = h.usable.copy()
            train[first:start] = False
            if h.usable[first:start].any() and train.sum() >= 1:
                parts.append(
                    _held_out(
                        calendar, h, totals, train, first, start - first, cats, parents, half_life
                    )
                )
            start = first
    slots = h.volume.shape[1]
    if not parts:
        return _OutOfSample(
            rows=np.zeros(0, int),
            mu=np.zeros(0),
            special=np.zeros(0, bool),
            means=np.zeros((0, slots)),
            folds=0,
            how=how,
        )
    return _OutOfSample(
        rows=np.concatenate([p[0] for p in parts]),
        mu=np.concatenate([p[1] for p in parts]),
        special=np.concatenate([p[2] for p in parts]),
        means=np.concatenate([p[3] for p in parts]),
        folds=len(parts),
        how=how,
    )


def _held_out_intervals(
    h: ChannelHistory, oos: _OutOfSample, alphas: tuple[float, float, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Held-out interval means, actuals and NB dispersions (before any scale), mean > 0."""
    day, special, interval = alphas
    means, actual, base = [], [], []
    for i, sp, mean in zip(oos.rows, oos.special, oos.means, strict=True):
        open_ = h.expected[i]
        means.append(mean[open_])
        actual.append(h.volume[i][open_])
        s2 = special if sp else day
        base.append(np.full(int(open_.sum()), s2 + interval + s2 * interval))
    m, y, a = np.concatenate(means), np.concatenate(actual), np.concatenate(base)
    keep = m > 0
    return m[keep], y[keep], a[keep]


def _calibrate(
    h: ChannelHistory, oos: _OutOfSample, alphas: tuple[float, float, float]
) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """Dispersion multipliers that give 80% and 95% coverage on the out-of-sample intervals,
    per group of expected volume (:data:`SCALE_GROUPS`): the groups' centres (median expected
    contacts per interval), then the 80% and the 95% multiplier of each group."""
    if not len(oos.rows):
        return (), (1.0,), (1.0,)
    return group_scales(*_held_out_intervals(h, oos, alphas))


def group_scales(
    m: np.ndarray, y: np.ndarray, a: np.ndarray
) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """The groups' centres and multipliers of :func:`_calibrate` for held-out intervals with
    expected contacts ``m``, actual contacts ``y`` and NB dispersions ``a`` (before scaling);
    one group, without a centre, when there are too few intervals or volumes to split."""
    groups = max(1, min(SCALE_GROUPS, len(m) // SCALE_MIN_PER_GROUP))
    edges = np.unique(np.quantile(m, np.arange(1, groups) / groups)) if groups > 1 else m[:0]
    member = np.searchsorted(edges, m, side="right")
    centres: list[float] = []
    found: list[list[float]] = [[], []]
    for g in range(len(edges) + 1):
        mine = member == g
        if not mine.any():
            continue
        centres.append(float(np.median(m[mine])))
        for k, level in enumerate((0.80, 0.95)):
            found[k].append(_scale(y[mine], m[mine], a[mine], level))
    if len(centres) < 2 or len(set(centres)) < len(centres):  # nothing to interpolate between
        return (), (_scale(y, m, a, 0.80),), (_scale(y, m, a, 0.95),)
    return tuple(centres), tuple(found[0]), tuple(found[1])


def _scale(y: np.ndarray, m: np.ndarray, a: np.ndarray, level: float) -> float:
    """The multiplier of ``a`` whose central NB interval holds ``level`` of ``y`` (bisection on
    its log: coverage grows with it); 1 with nothing to hold."""
    if not len(y):
        return 1.0
    tail = (1 - level) / 2
    lo, hi = np.log(SCALE_RANGE[0]), np.log(SCALE_RANGE[1])
    for _ in range(SCALE_STEPS):
        mid = 0.5 * (lo + hi)
        if _coverage(y, m, np.exp(mid) * a, tail) < level:
            lo = mid
        else:
            hi = mid
    return float(np.exp(0.5 * (lo + hi)))


def _coverage(y: np.ndarray, mean: np.ndarray, alpha: np.ndarray, tail: float) -> float:
    """Share of ``y`` inside the central NB interval with ``tail`` in each tail.

    ``y >= ppf(tail)`` is ``cdf(y) >= tail`` and ``y <= ppf(1 - tail)`` is
    ``cdf(y - 1) < 1 - tail``: two CDFs instead of two (much slower) quantile searches.
    """
    a = np.maximum(alpha, 1e-8)
    n, p = 1.0 / a, 1.0 / (1.0 + a * mean)
    inside = (stats.nbinom.cdf(y, n, p) >= tail) & (stats.nbinom.cdf(y - 1, n, p) < 1 - tail)
    return float(inside.mean())


def _fit_channel(h: ChannelHistory, calendar: Calendar) -> _ChannelModel:
    totals = _totals(h)
    daily = fit_daily(calendar, h.days, totals, h.usable, h.always_open)
    _, cats, _ = predict_daily(daily, calendar, h.days[0], len(h.days))
    parents = daily.spec.parents
    half_life = choose_half_life(h.volume, h.expected, h.usable, cats, parents)
    profiles = fit_profiles(h.volume, h.expected, h.usable, cats, parents, half_life)
    alpha_interval = interval_alpha(h.volume, h.expected, h.usable, cats, profiles)
    oos = _out_of_sample(calendar, h, totals, cats, parents, half_life)
    alpha_day, alpha_special = daily.alpha, daily.alpha_special
    if len(oos.rows):
        y = totals[oos.rows]
        terms = np.minimum(((y - oos.mu) ** 2 - oos.mu) / oos.mu**2, 1.0)
        if (~oos.special).any():
            alpha_day = max(alpha_day, float(terms[~oos.special].mean()))
        if oos.special.any():
            alpha_special = max(alpha_special, float(terms[oos.special].mean()))
        alpha_special = max(alpha_special, alpha_day)
    centres, scale80, scale95 = _calibrate(h, oos, (alpha_day, alpha_special, alpha_interval))
    raw80 = float("nan")  # the in-sample dispersions' 80% coverage of the held-out days
    if len(oos.rows):
        m, y, a = _held_out_intervals(h, oos, (daily.alpha, daily.alpha_special, alpha_interval))
        raw80 = _coverage(y, m, a, 0.10) if len(m) else raw80
    return _ChannelModel(
        channel=h.channel,
        always_open=h.always_open,
        daily=daily,
        profiles=profiles,
        profile_half_life=half_life,
        alpha_interval=alpha_interval,
        alpha_day=alpha_day,
        alpha_day_special=alpha_special,
        scale_centres=centres,
        scale80=scale80,
        scale95=scale95,
        findings=tuple(channel_findings(calendar, h, daily.spec, oos.how, len(oos.rows), raw80)),
    )


def _eves_text(spec: DailySpec) -> str:
    """How the daily model treats holiday eves on full week days, for the summary."""
    if spec.eve_flag:
        return "as their week day"
    if spec.short_dows:
        return "as a short day"
    return "as a day type of their own, from the quietest week day"


def _group_names(centres: tuple[float, ...]) -> list[str]:
    """``""`` for one group, else each group's centre (expected contacts per interval)."""
    return [f", mean {c:.3g}" for c in centres] if centres else [""]


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
    public holiday, eve of a holiday, which is a short day unless the history's eves looked
    like their own week day, then an additive eve effect; additive effects of the day after a
    holiday or closure, bridge days, minor holidays, event kinds and named events; annual
    Fourier terms and a trend once more than 420 days of history exist; recent weeks weigh
    more, half-life 120 days, or 730 days once the annual terms are fitted). Stage two splits
    the day over its open intervals with the intraday profile of its day category: a weighted
    mean of its recent days, the weights' half-life chosen per channel by out-of-sample error.
    The predictive distribution of each interval is negative binomial (see :meth:`forecast`),
    its dispersion scaled to cover 80% / 95% of held-out intervals, with a scale of its own for
    each quarter of them by expected volume (quiet and busy intervals err differently): the
    held-out days are the last weeks, each forecast from the data before it, or with fewer
    than seven weeks each week (below two weeks, each day) left out in turn. A holiday, eve or
    closure type whose every past day had (near) zero traffic is forecast at those days' mean
    instead of by the GLM. What limits the forecast (short history, unlearnable events) is in
    ``report.findings``.

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
        """Channel names, in the order of the forecast rows.

        Returns
        -------
        tuple of str
            One name per fitted channel, sorted by name.
        """
        return tuple(c.channel for c in self._channels)

    def forecast(self, start: dt.date, days: int) -> pd.DataFrame:
        """Forecast whole days from ``start`` (local dates), every interval of every channel.

        Parameters
        ----------
        start : datetime.date
            First forecast day (local date).
        days : int
            Number of days, 1 or more.

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
            (contacts), widened to include ``forecast`` where a whole-number quantile lies on
            the other side of it (a mean of 0.02 contacts has a 90% quantile of 0): the bands
            always hold the forecast, and whole counts fall inside them exactly as often.
            Closed intervals (outside opening hours, closures) are 0 in every column.

        Raises
        ------
        ValueError
            ``days`` below 1.
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
        frames = []
        for m in self._channels:
            open_ = expected_slots(self.calendar, table, self.interval_minutes, m.always_open)
            mu_day, cats, own = predict_daily(m.daily, self.calendar, pd.Timestamp(start), days)
            special = own[list(SPECIAL_DAYS)].to_numpy().any(axis=1)
            mean = np.zeros((days, slots))
            for i in range(days):
                if cats[i] != "closed" and open_[i].any() and mu_day[i] >= _NO_TRAFFIC:
                    mean[i] = mu_day[i] * shares(m.profiles[str(cats[i])], open_[i])
            s2 = np.where(special, m.alpha_day_special, m.alpha_day)[:, None]
            alpha = np.broadcast_to(s2 + m.alpha_interval + s2 * m.alpha_interval, mean.shape)
            alpha = np.where(mean > 0, alpha, 0.0).ravel()
            mu = mean.ravel()
            scale80, scale95 = m.scales(mu)
            alpha80, alpha95 = scale80 * alpha, scale95 * alpha
            frames.append(
                pd.DataFrame(
                    {
                        TIMESTAMP: stamps,
                        CHANNEL: m.channel,
                        FORECAST: mu,
                        LO80: np.minimum(nb_quantile(0.10, mu, alpha80), mu),
                        HI80: np.maximum(nb_quantile(0.90, mu, alpha80), mu),
                        LO95: np.minimum(nb_quantile(0.025, mu, alpha95), mu),
                        HI95: np.maximum(nb_quantile(0.975, mu, alpha95), mu),
                        NB_ALPHA: alpha80,
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)[[*FORECAST_COLUMNS, NB_ALPHA]]

    @property
    def params(self) -> pd.DataFrame:
        """Fitted coefficients per channel: ``channel, term, estimate, std_error``.

        Daily terms are on the log scale (``exp(estimate)`` is a multiplicative effect on
        the daily total); ``dispersion[...]`` rows are NB dispersions and
        ``dispersion scale[...]`` their multipliers for the 80% and 95% intervals;
        ``profile half-life[weeks]`` is the weighting of the intraday profiles chosen
        out of sample (these rows have no standard error).

        Returns
        -------
        pandas.DataFrame
            One row per channel and term; ``std_error`` NaN where there is none.
        """
        rows = []
        for m in self._channels:
            terms = [str(t) for t in m.daily.params.index]
            estimates = m.daily.params.to_numpy(dtype=float)
            errors = m.daily.bse.to_numpy(dtype=float)
            for term, value, error in zip(terms, estimates, errors, strict=True):
                rows.append((m.channel, term, float(value), float(error)))
            groups = _group_names(m.scale_centres)
            scales = [
                (f"dispersion scale[{level}% interval{g}]", v)
                for level, values in (("80", m.scale80), ("95", m.scale95))
                for g, v in zip(groups, values, strict=True)
            ]
            for term, value in (
                ("dispersion[day]", m.alpha_day),
                ("dispersion[day, special days]", m.alpha_day_special),
                ("dispersion[interval]", m.alpha_interval),
                *scales,
                ("profile half-life[weeks]", m.profile_half_life),
            ):
                rows.append((m.channel, term, value, float("nan")))
        return pd.DataFrame(rows, columns=["channel", "term", "estimate", "std_error"])

    def summary(self) -> str:
        """Human-readable coefficients, dispersions and data findings.

        Returns
        -------
        str
            Several lines: per channel its daily specification and every term of
            :attr:`params` (with ``exp(estimate)`` for calendar flags and events), then the data
            report's notes.
        """
        lines = [f"Two-stage NB forecast, {self.interval_minutes}-min intervals"]
        params = self.params
        for m in self._channels:
            spec = m.daily.spec
            lines.append(
                f"\nchannel {m.channel}: short week days {list(spec.short_dows)}, "
                f"eves {_eves_text(spec)}, "
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
    history : pandas.DataFrame
        Columns ``timestamp`` (naive local wall-clock start of each row's period), ``volume``
        (contacts, >= 0) and optionally ``channel`` (absent: one channel ``"all"``). Rows at
        any 5-60 minute resolution; missing rows are missing data, not zeros.
    calendar : Calendar
        Opening hours, public-holiday country and events.
    interval_minutes : int
        Model interval, minutes (5, 10, 15, 20, 30 or 60; a multiple of the data resolution).
    always_open_channels : collection of str
        Channels that receive traffic around the clock (e.g. e-mail): they ignore opening
        hours and closures.

    Returns
    -------
    ForecastModel
        The fitted model, one per channel, with its data report.

    Raises
    ------
    HistoryError
        Bad rows (named by position, field and value), a missing column, an empty history,
        a resolution that does not divide ``interval_minutes``, or a channel without one
        complete open day to fit; see :class:`forecasts.HistoryError`.
    ValueError
        ``interval_minutes`` not one of 5, 10, 15, 20, 30, 60.
    """
    channels, report = prepare_history(history, calendar, interval_minutes, always_open_channels)
    fitted = tuple(_fit_channel(h, calendar) for h in channels)
    findings = [f for m in fitted for f in m.findings]
    findings += event_findings(calendar, {m.channel: m.daily.spec for m in fitted}, channels)
    return ForecastModel(
        calendar=calendar,
        interval_minutes=interval_minutes,
        report=dataclasses.replace(report, findings=tuple(findings)),
        _channels=fitted,
    )
