"""Forecast -> staff required per interval, per channel and per role.

Each channel is sized by the queue model of its kind (:mod:`staffing.channel_staffing`), then
shrinkage is applied (``required = ceil(agents / (1 - shrinkage))``), channels of one role are
added up, and fixed posts become the role's minimum head-count. The marginal service gain of
each person below the requirement becomes the solver's convex shortfall cost, so a missing
person at the lunch peak costs more than one in a quiet hour.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from staffing import channel_staffing as cs
from staffing.columns import (
    AGENTS,
    BINDING,
    CHANNEL,
    FORECAST,
    HI80,
    HI95,
    LO80,
    REQUIRED,
    REQUIREMENT_COLUMNS,
    ROLE,
    TIMESTAMP,
)
from staffing.errors import InputError
from staffing.model import (
    DEFAULT_ANSWER_WITHIN_SECONDS,
    DEFAULT_SHRINKAGE,
    Channel,
    ChannelKind,
    StoreData,
)
from staffing.rostering import RoleNeeds

__all__ = [
    "MAX_AGENTS_PER_INTERVAL",
    "ErlangAnswer",
    "Requirements",
    "compute_requirements",
    "erlang_calculator",
    "open_mask",
]

_MAX_COST_RATIO = 25.0
_MIN_COST_RATIO = 0.25


@dataclass(frozen=True, kw_only=True, slots=True)
class Requirements:
    """Staff needed over the planning days.

    Attributes
    ----------
    channels : DataFrame
        One row per channel and interval with :data:`staffing.columns.REQUIREMENT_COLUMNS`:
        forecast ``volume`` (contacts per interval), ``agents`` needed on the channel before
        shrinkage, ``required`` people after shrinkage, the binding target, the predicted service
        level, average wait (s), abandonment and occupancy at ``agents``, ``marginal_gain`` (the
        service gained by the last required agent, in the kernel's unit) and ``p_meet_target``
        (probability the interval meets its targets with ``agents``, given the forecast
        uncertainty; empty for deferred work, whose backlog spans intervals).
    roles : DataFrame
        One row per role and interval: ``required`` (sum of its channels), ``post_minimum``.
    needs : RoleNeeds
        The same on the solver's slot grid, with the convex shortfall costs.
    """

    week_start: dt.date
    days: int
    interval_minutes: int
    staff_to: str
    channels: pd.DataFrame
    roles: pd.DataFrame
    needs: RoleNeeds


def open_mask(data: StoreData, stamps: pd.DatetimeIndex) -> np.ndarray:
    """True for intervals inside opening hours (and not on a closure day, nor in the hour
    skipped when the clocks go forward).

    Parameters
    ----------
    data : StoreData
        The store (opening hours, time zone) and its events (``closure`` days).
    stamps : DatetimeIndex
        Naive local start of each interval.

    Returns
    -------
    ndarray of bool
        One value per stamp: True when the interval starts inside the day's opening hours.
    """
    store = data.store
    closures: set[dt.date] = set()
    for ev in data.events:
        if ev.kind == "closure":
            closures.update(pd.date_range(ev.start_date, ev.end_date, freq="D").date)
    minute = stamps.hour * 60 + stamps.minute
    result = np.zeros(len(stamps), dtype=bool)
    for wd in range(7):
        hours = store.open_minutes(wd)
        if hours is None:
            continue
        result |= (stamps.day_of_week == wd) & (minute >= hours[0]) & (minute < hours[1])
    dates = np.asarray(stamps.date)
    twice = np.zeros(len(stamps), dtype=bool)  # a repeated hour exists: either reading will do
    skipped = stamps.tz_localize(store.timezone, nonexistent="NaT", ambiguous=twice).isna()
    return result & ~np.isin(dates, np.array(sorted(closures), dtype=object)) & ~skipped


def _grid(week_start: dt.date, days: int, interval_minutes: int) -> pd.DatetimeIndex:
    start = pd.Timestamp(week_start)
    return pd.date_range(
        start, periods=days * 1440 // interval_minutes, freq=f"{interval_minutes}min"
    )


def _size(channel: Channel, volume: np.ndarray, seconds: float, is_open: np.ndarray) -> cs.Staffing:
    c = channel
    if c.kind == ChannelKind.DEFERRED:
        return cs.staff_deferred(
            volume,
            seconds,
            c.aht_seconds,
            response_hours=c.response_hours or 0.0,  # set: Channel checks it
            open_mask=is_open,
        )
    if c.kind == ChannelKind.WALK_IN:
        return cs.staff_walk_in(
            volume,
            seconds,
            c.aht_seconds,
            service_level=c.service_level,
            within_seconds=c.answer_within_seconds,
            max_average_wait_seconds=c.max_average_wait_seconds,
            max_occupancy=c.max_occupancy,
        )
    if c.kind == ChannelKind.CHAT:
        return cs.staff_chat(
            volume,
            seconds,
            c.aht_seconds,
            concurrency=c.concurrency,
            service_level=c.service_level,
            within_seconds=c.answer_within_seconds,
            max_average_wait_seconds=c.max_average_wait_seconds,
            max_occupancy=c.max_occupancy,
        )
    return cs.staff_calls(
        volume,
        seconds,
        c.aht_seconds,
        service_level=c.service_level,
        within_seconds=c.answer_within_seconds,
        max_average_wait_seconds=c.max_average_wait_seconds,
        patience_seconds=c.patience_seconds,
        max_abandon_rate=c.max_abandon_rate,
        max_occupancy=c.max_occupancy,
    )


#: The most agents one channel is sized for in one interval: a volume that needs more is taken
#: for a unit mistake (the sizing tables grow with it: 1e7 contacts an interval had asked for
#: 3 GB and crashed, 2,000 on three people hung the KPIs).
MAX_AGENTS_PER_INTERVAL = 2_000


def _check_size(
    channel: Channel, volume: np.ndarray, seconds: float, stamps: pd.DatetimeIndex
) -> None:
    """Refuse a forecast no store or contact center staffs: more than
    :data:`MAX_AGENTS_PER_INTERVAL` agents busy at once on average."""
    load = volume * channel.aht_seconds / seconds / channel.concurrency
    if not load.size or float(load.max()) <= MAX_AGENTS_PER_INTERVAL:
        return
    t = int(np.argmax(load))
    raise InputError.single(
        "traffic.csv",
        f"at most {MAX_AGENTS_PER_INTERVAL:,} agents busy at once on one channel (this volume "
        f"keeps {load[t]:,.0f} busy at {channel.aht_seconds:g} s a contact): check the "
        "volume's unit (contacts per interval) and aht_seconds",
        field=f"{channel.id} volume",
        value=f"{volume[t]:,.0f} contacts forecast for {stamps[t]:%Y-%m-%d %H:%M}",
    )


def compute_requirements(
    data: StoreData,
    forecast: pd.DataFrame,
    week_start: dt.date,
    *,
    days: int = 7,
    staff_to: str = "forecast",
) -> Requirements:
    """Staff per interval for ``days`` from ``week_start``.

    Parameters
    ----------
    data : StoreData
        The store (channels, targets, posts, costs).
    forecast : DataFrame
        Forecast frame (contacts per planning interval) covering the days; intervals or
        channels it lacks count as 0 contacts.
    week_start : datetime.date
        First day to size (local date).
    days : int
        Days to size.
    staff_to : {"forecast", "hi80", "hi95"}
        Size to the point forecast or to the upper bound of its 80% / 95% interval.

    Returns
    -------
    Requirements
        Per channel and per role, on the ``store.interval_minutes`` grid, and the solver's
        needs with shortfall costs (currency units per person-slot).

    Raises
    ------
    ValueError
        A ``staff_to`` other than the three above (:class:`~staffing.pipeline.PlanSettings`
        checks it first).
    InputError
        When a channel's volume would keep more than :data:`MAX_AGENTS_PER_INTERVAL` agents
        busy at once (a unit mistake), naming ``traffic.csv``, the channel and the interval.
    ValueError
        When no head-count up to the sizing kernel's cap meets a channel's targets (see
        :func:`staffing.queueing.required_agents`).
    """
    store = data.store
    columns = {"forecast": FORECAST, "hi80": HI80, "hi95": HI95}
    if staff_to not in columns:
        raise ValueError(f"staff_to {staff_to!r}: expected one of {', '.join(columns)}")
    column = columns[staff_to]
    stamps = _grid(week_start, days, store.interval_minutes)
    seconds = store.interval_minutes * 60.0
    is_open = open_mask(data, stamps)
    n = len(stamps)
    slot_hours = store.interval_minutes / 60
    rows: list[pd.DataFrame] = []
    role_required = {r: np.zeros(n, dtype=int) for r in store.roles}
    role_values: dict[str, list[np.ndarray]] = {r: [] for r in store.roles}
    for channel in store.channels:
        fc = forecast[forecast[CHANNEL] == channel.id].set_index(TIMESTAMP).reindex(stamps)
        volume = fc[column].fillna(0.0).to_numpy(float)
        if channel.follows_opening_hours:
            volume = np.where(is_open, volume, 0.0)
        _check_size(channel, volume, seconds, stamps)
        staffing = _size(channel, volume, seconds, is_open)
        agents = np.asarray(staffing.agents, dtype=int)
        keep = 1.0 - channel.shrinkage
        required = np.ceil(agents / keep - 1e-9).astype(int)
        role_required[channel.role] += required
        gain = np.asarray(staffing.gain, dtype=float)
        p_meet = _p_meet(channel, fc, agents, seconds, is_open)
        rows.append(
            pd.DataFrame(
                {
                    TIMESTAMP: stamps,
                    CHANNEL: channel.id,
                    ROLE: channel.role,
                    "volume": np.round(volume, 3),
                    AGENTS: agents,
                    REQUIRED: required,
                    BINDING: np.asarray(staffing.binding),
                    "service_level": np.round(np.asarray(staffing.service_level, float), 4),
                    "average_wait_seconds": np.round(np.asarray(staffing.asa, float), 2),
                    "abandon_rate": np.round(np.asarray(staffing.abandon_rate, float), 4),
                    "occupancy": np.round(np.asarray(staffing.occupancy, float), 4),
                    "marginal_gain": np.round(gain[:, 0] if gain.shape[1] else np.zeros(n), 4),
                    "p_meet_target": np.round(p_meet, 3),
                }
            )
        )
        role_values[channel.role].append(_person_values(gain, agents, required, keep))
    minimum = _post_minimum(data, stamps, is_open)
    costs = {}
    for role in store.roles:
        costs[role] = (
            _merge_costs(
                role_values[role], role_required[role], store.costs.understaffing_cost_per_hour
            )
            * slot_hours
        )
    channels = pd.concat(rows, ignore_index=True)[list(REQUIREMENT_COLUMNS)]
    roles = pd.concat(
        [
            pd.DataFrame(
                {TIMESTAMP: stamps, ROLE: r, REQUIRED: role_required[r], "post_minimum": minimum[r]}
            )
            for r in store.roles
        ],
        ignore_index=True,
    )
    return Requirements(
        week_start=week_start,
        days=days,
        interval_minutes=store.interval_minutes,
        staff_to=staff_to,
        channels=channels,
        roles=roles,
        needs=RoleNeeds(required=role_required, minimum=minimum, shortfall_costs=costs),
    )


def _person_values(
    gain: np.ndarray, agents: np.ndarray, required: np.ndarray, keep: float
) -> np.ndarray:
    """Value of the k-th missing *person* (after shrinkage) per interval: ``[interval, k]``.

    Missing one person removes ``keep`` agents of capacity; the value of the k-th missing person
    is the gain of agent index ``floor(k * keep)`` below the requirement, normalised by the
    channel's typical value of its last agent so channels in different units can be merged.
    """
    width = int(required.max()) if required.size else 0
    out = np.zeros((len(agents), max(width, 1)))
    if gain.size == 0 or width == 0:
        return out
    positive = gain[:, 0][(agents > 0) & (gain[:, 0] > 0)]
    reference = float(np.median(positive)) if positive.size else 1.0
    k = np.arange(width)
    index = np.minimum(np.floor(k * keep).astype(int), gain.shape[1] - 1)
    values = gain[:, index] / reference
    values = np.clip(values, _MIN_COST_RATIO, _MAX_COST_RATIO)
    values[k[None, :] >= required[:, None]] = 0.0
    return values


def _merge_costs(values: list[np.ndarray], required: np.ndarray, per_hour: float) -> np.ndarray:
    """Merge channels' person values into one non-decreasing cost curve per interval."""
    width = max(1, int(required.max()) if required.size else 1)
    out = np.zeros((len(required), width))
    if not values:
        return out + per_hour
    stacked = np.concatenate(values, axis=1)
    stacked = np.sort(np.where(stacked > 0, stacked, np.inf), axis=1)[:, :width]
    stacked = np.where(np.isfinite(stacked), stacked, 0.0)
    out[:, : stacked.shape[1]] = stacked
    out = np.maximum.accumulate(np.where(out > 0, out, _MIN_COST_RATIO), axis=1)
    return out * per_hour


def _post_minimum(
    data: StoreData, stamps: pd.DatetimeIndex, is_open: np.ndarray
) -> dict[str, np.ndarray]:
    out = {r: np.zeros(len(stamps), dtype=int) for r in data.store.roles}
    minute = np.asarray(stamps.hour * 60 + stamps.minute)
    weekday = np.asarray(stamps.day_of_week)
    for post in data.store.posts:
        start = 0 if post.start is None else post.start.hour * 60 + post.start.minute
        end = 1440 if post.end is None else (post.end.hour * 60 + post.end.minute) or 1440
        mask = is_open & np.isin(weekday, post.days) & (minute >= start) & (minute < end)
        out[post.role] += np.where(mask, post.min_staff, 0)
    return out


def _p_meet(
    channel: Channel, fc: pd.DataFrame, agents: np.ndarray, seconds: float, is_open: np.ndarray
) -> np.ndarray:
    """P(interval meets its targets with ``agents``) under the forecast distribution.

    The arrivals an interval can absorb with ``agents`` (its capacity volume) are found by
    bisection on the staffing kernel; the forecast volume is taken as normal with the standard
    deviation implied by its 80% interval, ``(hi80 - lo80) / (2 * 1.2816)``.
    """
    mean = fc[FORECAST].fillna(0.0).to_numpy(float)
    sd = (fc[HI80] - fc[LO80]).fillna(0.0).to_numpy(float) / (2 * stats.norm.ppf(0.9))
    if channel.kind == ChannelKind.DEFERRED:  # a backlog spans intervals: no per-interval answer
        return np.full(mean.shape, np.nan)
    lo = np.zeros_like(mean)
    hi = np.maximum(mean * 4 + 10, 10.0)
    for _ in range(30):
        mid = (lo + hi) / 2
        needed = np.asarray(_size(channel, mid, seconds, is_open).agents)
        ok = needed <= agents
        lo = np.where(ok, mid, lo)
        hi = np.where(ok, hi, mid)
    capacity = lo
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 0, (capacity - mean) / sd, np.where(capacity >= mean, np.inf, -np.inf))
    p = stats.norm.cdf(z)
    return np.where(mean > 0, p, 1.0)


@dataclass(frozen=True, kw_only=True, slots=True)
class ErlangAnswer:
    """The quick calculator's answer (times in seconds, rates as fractions)."""

    volume: float
    period_seconds: float
    aht_seconds: float
    traffic_erlangs: float
    agents: int
    agents_after_shrinkage: int
    binding_target: str
    service_level: float
    average_wait_seconds: float
    abandon_rate: float
    occupancy: float

    def as_dict(self) -> dict[str, object]:
        """Plain values for printing or JSON.

        Returns
        -------
        dict of str to object
            The fields by name (seconds, fractions and agents as in the class).
        """
        return asdict(self)


def erlang_calculator(
    *,
    volume: float,
    period_seconds: float,
    aht_seconds: float,
    service_level: float | None = None,
    within_seconds: float = DEFAULT_ANSWER_WITHIN_SECONDS,
    max_average_wait_seconds: float | None = None,
    patience_seconds: float | None = None,
    max_abandon_rate: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = DEFAULT_SHRINKAGE,
) -> ErlangAnswer:
    """Required agents for one interval of calls and every metric at that head-count.

    Parameters
    ----------
    volume : float
        Calls arriving in the interval (contacts per interval).
    period_seconds : float
        Interval length, seconds.
    aht_seconds : float
        Average handling time, seconds.
    service_level : float, optional
        Fraction 0-1 of calls to answer within ``within_seconds``.
    within_seconds : float
        Service-level threshold, seconds; by default
        :data:`~staffing.model.DEFAULT_ANSWER_WITHIN_SECONDS`.
    max_average_wait_seconds : float, optional
        Maximum mean wait, seconds.
    patience_seconds : float, optional
        Mean patience, seconds (Erlang A); None for Erlang C.
    max_abandon_rate : float, optional
        Maximum fraction 0-1 abandoning.
    max_occupancy : float, optional
        Maximum agent occupancy, fraction 0-1.
    shrinkage : float
        Fraction of paid time not available for calls, 0 to below 1; by default
        :data:`~staffing.model.DEFAULT_SHRINKAGE`.

    Returns
    -------
    ErlangAnswer
        The traffic (Erlangs), agents needed, agents after shrinkage, the binding target and
        the service level, average wait (seconds), abandonment and occupancy at ``agents``.

    Raises
    ------
    ValueError
        A target out of range or out of reach (see :func:`staffing.queueing.required_agents`),
        or a shrinkage outside 0 (inclusive) to 1 (exclusive).
    """
    if not 0 <= shrinkage < 1:  # 1 divided by zero; above 1 gave a negative head-count
        raise ValueError(f"shrinkage {shrinkage!r}: expected a fraction from 0 to below 1")
    staffing = cs.staff_calls(
        np.array([volume], dtype=float),
        period_seconds,
        aht_seconds,
        service_level=service_level,
        within_seconds=within_seconds,
        max_average_wait_seconds=max_average_wait_seconds,
        patience_seconds=patience_seconds,
        max_abandon_rate=max_abandon_rate,
        max_occupancy=max_occupancy,
    )
    agents = int(np.asarray(staffing.agents)[0])
    return ErlangAnswer(
        volume=volume,
        period_seconds=period_seconds,
        aht_seconds=aht_seconds,
        traffic_erlangs=volume * aht_seconds / period_seconds,
        agents=agents,
        agents_after_shrinkage=math.ceil(agents / (1 - shrinkage) - 1e-9),
        binding_target=str(np.asarray(staffing.binding)[0]),
        service_level=float(np.asarray(staffing.service_level)[0]),
        average_wait_seconds=float(np.asarray(staffing.asa)[0]),
        abandon_rate=float(np.asarray(staffing.abandon_rate)[0]),
        occupancy=float(np.asarray(staffing.occupancy)[0]),
    )
