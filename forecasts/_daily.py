"""Stage one: daily totals per channel from a negative-binomial GLM on calendar terms."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

from forecasts.calendar import Calendar

__all__ = ["EVE_FLAG_NAME", "DailyFit", "DailySpec", "fit_daily", "predict_daily"]

#: Week days whose usual total is below this share of the busiest week day are "short" days
#: (an eve falling on one keeps that week day's type).
SHORT_DAY_SHARE = 0.6
#: Half-life of the observation weights, days: recent weeks set the level.
HALF_LIFE_DAYS = 120.0
#: Half-life once annual terms and a trend are fitted: season and trend are then modelled,
#: so older weeks still inform the week-day, holiday and event effects.
HALF_LIFE_DAYS_ANNUAL = 730.0
#: History (days) needed before annual Fourier terms and a trend are fitted.
ANNUAL_MIN_DAYS = 420
FOURIER_ORDER = 3
#: Holiday eves on full week days are told apart by their history: when their totals sit nearer
#: (in log terms) to their own week day's usual total than to the busiest short week day's (the
#: quietest week day's without short days), the eve is that week day with an eve effect (a
#: flag), not a day type of its own under that reference day. With no such eve in the history,
#: an eve is a short day where short days exist (the bank's eves close early), else its week day.
EVE_FLAG_NAME = "eve"
#: Prior strength, in pseudo-days: a holiday/eve/closure starts out like its parent day type,
#: a flag or named event starts out with no effect.
PRIOR_DAYS_CATEGORY = 1.0
PRIOR_DAYS_FLAG = 2.0
FLAGS: tuple[str, ...] = (
    "after",
    "after_closure",
    "bridge",
    "minor",
    "school_vacation",
    "promotion",
    "other",
)
SPECIAL_DAYS: tuple[str, ...] = ("holiday", "eve", "after", "bridge", "minor", "closure")
_SPECIAL_CATEGORIES = ("holiday", "eve", "closure")
#: A special category (holiday, eve, closure) all of whose training days had a total below
#: this share of their week day's usual total, on at least :data:`NEAR_ZERO_MIN_DAYS` days,
#: is forecast at the mean of those days (e.g. a store that closes on public holidays without
#: declaring it): neither the GLM nor its prior toward the parent week day is used for it.
NEAR_ZERO_SHARE = 0.05
NEAR_ZERO_MIN_DAYS = 2


@dataclass(frozen=True, kw_only=True, slots=True)
class DailySpec:
    """Specification of the daily design matrix (fixed at fit time).

    Attributes
    ----------
    categories
        Day categories with training days, one column each: week days ``dow0`` .. ``dow6``
        and the special types ``holiday``, ``eve``, ``closure``. A special day also switches
        on its parent's column, so its coefficient is an offset from the parent.
    parents
        Category -> parent category (holiday -> quietest week day, eve -> busiest short week
        day, else the quietest, closure -> holiday; unseen week days -> quietest week day).
    flags
        Additive 0/1 effects (log scale) that occur in the training days.
    event_names
        Named events with their own effect on top of their kind.
    short_dows, quiet_dow
        Short week days and the quietest open week day.
    eve_flag
        True when an eve on a full week day is its week day plus the ``eve`` flag (an effect
        with a prior of none; in ``flags`` when the history has such eves), not the ``eve``
        category (an offset from its parent); see :data:`EVE_FLAG_NAME`.
    anchor
        Last training date; the trend is in years from it.
    fourier
        Number of annual Fourier pairs (0 = none); a linear trend is fitted when > 0.
    always_open
        True when the channel ignores opening hours and closures.
    near_zero
        Special categories whose every training day had (near) zero traffic -> the mean of
        those days' totals (contacts per day), their forecast; not in ``categories``.
    near_zero_days
        Number of those training days per category.
    """

    categories: tuple[str, ...]
    parents: dict[str, str]
    flags: tuple[str, ...]
    event_names: tuple[str, ...]
    short_dows: tuple[int, ...]
    quiet_dow: int
    anchor: pd.Timestamp
    fourier: int
    always_open: bool
    near_zero: dict[str, float]
    near_zero_days: dict[str, int]
    eve_flag: bool = False

    def columns(self) -> list[str]:
        """Names of the design columns."""
        cols = [f"day[{c}]" for c in self.categories] + [f"flag[{f}]" for f in self.flags]
        cols += [f"event[{n}]" for n in self.event_names]
        if self.fourier:
            cols.append("trend_per_year")
            for k in range(1, self.fourier + 1):
                cols += [f"annual_sin{k}", f"annual_cos{k}"]
        return cols


@dataclass(frozen=True, kw_only=True, slots=True)
class DailyFit:
    """A fitted daily model: coefficients (log scale) and NB dispersions of daily totals."""

    spec: DailySpec
    params: pd.Series
    bse: pd.Series
    alpha: float
    alpha_special: float


def _full_day_eves(table: pd.DataFrame, short_dows: tuple[int, ...]) -> np.ndarray:
    """Eves that fall on full (not short) week days: the only ones with an eve effect."""
    return table["eve"].to_numpy() & ~np.isin(table["dow"].to_numpy(), short_dows)


def _raw_categories(
    table: pd.DataFrame, short_dows: tuple[int, ...], always_open: bool, eve_flag: bool = False
) -> np.ndarray:
    dow = table["dow"].to_numpy()
    cats = np.array([f"dow{d}" for d in dow], dtype=object)
    if not eve_flag:
        cats[_full_day_eves(table, short_dows)] = "eve"
    cats[table["holiday"].to_numpy()] = "holiday"
    cats[table["closure"].to_numpy()] = "closure" if always_open else "closed"
    return cats


def _resolve(cats: np.ndarray, spec: DailySpec) -> np.ndarray:
    """Map categories without training days onto their parents (closed days stay closed)."""
    out = cats.copy()
    for i, c in enumerate(out):
        for _ in range(4):
            if c in spec.categories or c in spec.near_zero or c == "closed":
                break
            c = spec.parents.get(c, f"dow{spec.quiet_dow}")
        kept = c in spec.categories or c in spec.near_zero or c == "closed"
        out[i] = c if kept else spec.categories[0]
    return out


def _plain(table: pd.DataFrame, usable: np.ndarray) -> np.ndarray:
    specials = table[list(SPECIAL_DAYS)].to_numpy().any(axis=1)
    return usable & ~specials & ~table["promotion"].to_numpy()


def _make_spec(
    table: pd.DataFrame, totals: np.ndarray, usable: np.ndarray, always_open: bool, quiet: int
) -> DailySpec:
    dow = table["dow"].to_numpy()
    plain = _plain(table, usable)
    means = {
        d: float(totals[plain & (dow == d)].mean()) for d in range(7) if (plain & (dow == d)).any()
    }
    top = max(means.values(), default=0.0)
    short = tuple(d for d, m in means.items() if m < SHORT_DAY_SHARE * top)
    open_means = {d: m for d, m in means.items() if m > 0}
    short_open = [d for d in short if d in open_means]
    # an eve's reference day: the busiest short week day, else the quietest week day
    eve_parent = f"dow{max(short_open, key=open_means.__getitem__)}" if short_open else None
    reference = eve_parent or f"dow{quiet}"
    parents = {"closure": "holiday", "holiday": f"dow{quiet}", "eve": reference}
    looked = _eves_look_usual(table, totals, usable, short, means, reference)
    # no eve to tell by (none in the history, or none with a plain day of its week day to
    # compare with): like its week day unless short days exist
    eve_flag = looked if looked is not None else eve_parent is None
    cats = _raw_categories(table, short, always_open, eve_flag)
    seen = {str(c) for c in cats[usable]} - {"closed"}
    near_zero, near_zero_days = _near_zero(table, totals, usable, cats, seen)
    seen -= set(near_zero)
    for d in range(7):
        if f"dow{d}" not in seen:
            parents[f"dow{d}"] = f"dow{quiet}"
    order = [f"dow{d}" for d in range(7)] + list(_SPECIAL_CATEGORIES)
    flags = tuple(f for f in FLAGS if table[f].to_numpy()[usable].any())
    if looked:  # eves with plain days of their week days to measure their effect against
        flags += (EVE_FLAG_NAME,)
    names: set[str] = set()
    closed = table["closure"].to_numpy() & (not always_open)
    for row_events, ok, shut in zip(table["events"], usable, closed, strict=True):
        if ok and not shut:
            names.update(row_events)
    kept = np.flatnonzero(usable)
    span = int(kept[-1] - kept[0]) if len(kept) else 0
    return DailySpec(
        categories=tuple(c for c in order if c in seen),
        parents=parents,
        flags=flags,
        event_names=tuple(sorted(names)),
        short_dows=short,
        quiet_dow=quiet,
        anchor=pd.Timestamp(table.index[kept[-1]] if len(kept) else table.index[-1]),
        fourier=FOURIER_ORDER if span >= ANNUAL_MIN_DAYS else 0,
        always_open=always_open,
        near_zero=near_zero,
        near_zero_days=near_zero_days,
        eve_flag=eve_flag,
    )


def _eves_look_usual(
    table: pd.DataFrame,
    totals: np.ndarray,
    usable: np.ndarray,
    short: tuple[int, ...],
    means: dict[int, float],
    reference: str,
) -> bool | None:
    """Whether the usable full-day eves of the history sit nearer to their own week day's usual
    total than to the ``reference`` day's (mean log ratios; see :data:`EVE_FLAG_NAME`); None
    when the history has no such eve to tell: none, or none whose week day has plain days
    (a history of one eve alone had fitted its week day and the eve flag as one column)."""
    dow = table["dow"].to_numpy()
    rows = np.flatnonzero(_full_day_eves(table, short) & usable)  # never a day off itself
    rows = rows[[means.get(int(dow[i]), 0.0) > 0 for i in rows]]
    level = means.get(int(reference[3:]), 0.0)
    if not len(rows) or level <= 0:
        return None
    usual = np.array([means[int(dow[i])] for i in rows])
    own = np.log(np.maximum(totals[rows], 1.0) / usual)
    return bool(own.mean() > np.log(level / usual).mean() / 2)


def _near_zero(
    table: pd.DataFrame, totals: np.ndarray, usable: np.ndarray, cats: np.ndarray, seen: set[str]
) -> tuple[dict[str, float], dict[str, int]]:
    """Special categories whose every usable day had a total below :data:`NEAR_ZERO_SHARE`
    of the usual total of its week day (the mean of its last 8 plain days)."""
    dow = table["dow"].to_numpy()
    plain = _plain(table, usable)
    usual = np.full(7, np.nan)
    for d in range(7):
        rows = np.flatnonzero(plain & (dow == d))[-8:]
        if len(rows):
            usual[d] = float(totals[rows].mean())
    levels: dict[str, float] = {}
    days: dict[str, int] = {}
    for c in _SPECIAL_CATEGORIES:
        if c not in seen:
            continue
        rows = np.flatnonzero(usable & (cats == c))
        ref = usual[dow[rows]]
        if len(rows) < NEAR_ZERO_MIN_DAYS or not np.isfinite(ref).all() or (ref <= 0).any():
            continue
        if (totals[rows] < NEAR_ZERO_SHARE * ref).all():
            levels[c] = float(totals[rows].mean())
            days[c] = len(rows)
    return levels, days


def _design(table: pd.DataFrame, spec: DailySpec) -> tuple[np.ndarray, np.ndarray]:
    """Design matrix and resolved categories for the days of ``table``."""
    cats = _resolve(_raw_categories(table, spec.short_dows, spec.always_open, spec.eve_flag), spec)
    position = {c: k for k, c in enumerate(spec.categories)}
    block = np.zeros((len(table), len(spec.categories)))
    for i, c in enumerate(cats):
        while c in position:
            block[i, position[c]] = 1.0
            c = spec.parents.get(c, "")
    blocks = [block]
    if spec.flags:
        flags = table.reindex(columns=list(spec.flags), fill_value=False)
        if EVE_FLAG_NAME in spec.flags:
            flags[EVE_FLAG_NAME] = _full_day_eves(table, spec.short_dows)
        blocks.append(flags.to_numpy(dtype=float))
    if spec.event_names:
        events = [[float(n in ev) for n in spec.event_names] for ev in table["events"]]
        blocks.append(np.array(events, dtype=float).reshape(len(table), len(spec.event_names)))
    if spec.fourier:
        index = pd.DatetimeIndex(table.index)
        years = ((index - spec.anchor).days.to_numpy() / 365.25)[:, None]
        phase = 2 * np.pi * index.day_of_year.to_numpy()[:, None] / 365.25
        k = np.arange(1, spec.fourier + 1)[None, :]
        waves = np.stack([np.sin(k * phase), np.cos(k * phase)], axis=2).reshape(len(table), -1)
        blocks += [years, waves]
    return np.hstack(blocks), cats


def _prior_rows(
    table: pd.DataFrame, totals: np.ndarray, usable: np.ndarray, spec: DailySpec, x: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pseudo-days: each special type at its parent's level, each flag at no effect."""
    dow = table["dow"].to_numpy()
    plain = _plain(table, usable)
    level: dict[str, float] = {}
    for d in range(7):
        rows = np.flatnonzero(plain & (dow == d))[-8:]
        if len(rows):
            level[f"dow{d}"] = float(totals[rows].mean())
    width = x.shape[1]
    xs, ys, ws = [], [], []
    position = {c: k for k, c in enumerate(spec.categories)}
    for c in _SPECIAL_CATEGORIES:
        if c not in position:
            continue
        row = np.zeros(width)
        node = c
        while node in position:
            row[position[node]] = 1.0
            node = spec.parents.get(node, "")
        target = level.get(spec.parents.get(c, ""), level.get(f"dow{spec.quiet_dow}", 0.0))
        if c == "closure" and "holiday" in position:
            continue  # a closure's parent (holiday) has no level of its own: no prior
        xs.append(row)
        ys.append(target)
        ws.append(PRIOR_DAYS_CATEGORY)
    if level:
        top = max(level, key=level.__getitem__)
        base = np.zeros(width)
        base[position[top]] = 1.0
        extra = len(spec.flags) + len(spec.event_names)
        start = len(spec.categories)
        for k in range(extra):
            row = base.copy()
            row[start + k] = 1.0
            xs.append(row)
            ys.append(level[top])
            ws.append(PRIOR_DAYS_FLAG)
    if not xs:
        return np.zeros((0, width)), np.zeros(0), np.zeros(0)
    return np.array(xs), np.array(ys), np.array(ws)


def _glm(
    y: np.ndarray, x: np.ndarray, w: np.ndarray, alpha: float | None
) -> tuple[np.ndarray, np.ndarray]:
    family: families.Family = (
        families.Poisson() if alpha is None else families.NegativeBinomial(alpha=alpha)
    )
    with warnings.catch_warnings():
        # all-zero categories (e.g. a closed holiday) drive a coefficient to -inf: expected.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        result = GLM(y, x, family=family, var_weights=w, hasconst=False).fit(maxiter=50)
    return np.asarray(result.params), np.asarray(result.bse)


def _moment_alpha(y: np.ndarray, mu: np.ndarray, w: np.ndarray) -> float:
    keep = mu > 1.0
    if not keep.any():
        return 0.0
    terms = ((y - mu) ** 2 - mu) / mu**2
    return float(np.clip(np.average(np.minimum(terms[keep], 1.0), weights=w[keep]), 1e-4, 4.0))


def _quiet_dow(table: pd.DataFrame, totals: np.ndarray, usable: np.ndarray) -> int:
    dow = table["dow"].to_numpy()
    plain = _plain(table, usable)
    means = {
        d: float(totals[plain & (dow == d)].mean()) for d in range(7) if (plain & (dow == d)).any()
    }
    open_means = {d: m for d, m in means.items() if m > 0}
    if not open_means:
        return 6
    return min(open_means, key=open_means.__getitem__)


def fit_daily(
    calendar: Calendar,
    days: pd.DatetimeIndex,
    totals: np.ndarray,
    usable: np.ndarray,
    always_open: bool,
) -> DailyFit:
    """Fit the daily NB GLM on the usable days; ``totals`` are contacts in open intervals."""
    first, last = days[0].date(), days[-1].date()
    quiet = _quiet_dow(calendar.day_table(first, last), totals, usable)
    table = calendar.day_table(first, last, quiet_weekday=quiet)
    spec = _make_spec(table, totals, usable, always_open, quiet)
    x_all, cats = _design(table, spec)
    train = usable & (cats != "closed") & ~np.isin(cats, list(spec.near_zero))
    x, y = x_all[train], totals[train]
    age = (spec.anchor - pd.DatetimeIndex(table.index[train])).days.to_numpy()
    w = 0.5 ** (age / (HALF_LIFE_DAYS_ANNUAL if spec.fourier else HALF_LIFE_DAYS))
    px, py, pw = _prior_rows(table, totals, usable, spec, x_all)
    xa, ya = np.vstack([x, px]), np.concatenate([y, py])
    params, bse = _glm(ya, xa, np.concatenate([w, pw]), None)
    alpha = _moment_alpha(y, np.exp(np.clip(x @ params, -30, 30)), w)
    params, bse = _glm(ya, xa, np.concatenate([w, pw]), alpha)
    mu = np.exp(np.clip(x @ params, -30, 30))
    alpha = _moment_alpha(y, mu, w)
    special = table[list(SPECIAL_DAYS)].to_numpy()[train].any(axis=1)
    alpha_special = _moment_alpha(y[special], mu[special], w[special]) if special.any() else alpha
    cols = spec.columns()
    return DailyFit(
        spec=spec,
        params=pd.Series(params, index=cols),
        bse=pd.Series(bse, index=cols),
        alpha=alpha,
        alpha_special=max(alpha, alpha_special),
    )


def predict_daily(
    fit: DailyFit, calendar: Calendar, first: pd.Timestamp, days: int
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Expected daily totals (contacts per day, 0 on closed days), categories and day table."""
    start = first.date()
    table = calendar.day_table(
        start, (first + pd.Timedelta(days=days - 1)).date(), quiet_weekday=fit.spec.quiet_dow
    )
    x, cats = _design(table, fit.spec)
    mu = np.exp(np.clip(x @ fit.params.to_numpy(), -30, 30))
    mu[cats == "closed"] = 0.0
    for category, level in fit.spec.near_zero.items():
        mu[cats == category] = level
    return mu, cats, table
