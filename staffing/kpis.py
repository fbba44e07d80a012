"""Service and cost KPIs of a roster: what customers get with the people actually on duty.

People on duty per role and interval (breaks excluded) are shared among the role's channels in
proportion to each channel's requirement (people at a fixed post of the role count too: a post
is a minimum head-count, as in sizing and in the solver), then each channel's queue is evaluated
with the same formulas and deadlines that sized it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import asdict, dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

import solver
from staffing import channel_staffing as cs
from staffing import queueing
from staffing.columns import CHANNEL, REQUIRED, ROLE, TIMESTAMP
from staffing.model import Channel, ChannelKind, StoreData
from staffing.requirements import Requirements, open_mask
from staffing.rostering import closing_minute, money, overtime_premium
from staffing.transient import carried_queues

__all__ = [
    "ChannelKpi",
    "ChannelService",
    "Kpis",
    "channel_service",
    "compute_kpis",
    "evaluate_channel",
    "service_level_meaning",
]


@dataclass(frozen=True, kw_only=True, slots=True)
class ChannelKpi:
    """One channel's predicted service over the week at the rostered staffing.

    ``service_level`` is the fraction of all contacts answered within the channel's threshold
    (deferred work: handled within the response deadline); ``average_wait_seconds`` is the mean
    wait of all arrivals, those who abandon included (deferred work: the mean response,
    wall-clock); rates are volume-weighted over the week. ``intervals_below_target`` counts the
    intervals with fewer people on the channel than its requirement (for deferred work, an
    interval short of its share of the backlog, which later intervals may still make good).
    ``backlog_growth`` is, for deferred work, how many more contacts wait at the week's end
    than at its start, when the week before went as planned (below 0: the week catches up);
    0 for other channels.
    """

    channel: str
    role: str
    volume: float
    service_level: float
    average_wait_seconds: float
    abandon_rate: float
    intervals_below_target: int
    backlog_growth: float = 0.0


@dataclass(frozen=True, kw_only=True, slots=True)
class Kpis:
    """Headline figures of a planned week (currency of the store, hours are paid hours).

    Fairness: ``weekend_days_beyond_first`` counts, over the people not on a weekend-only
    contract (:attr:`~staffing.model.Employee.weekend_only`), the weekend days each works beyond
    their first in the planned days: in a one-week plan, how many of them work both Saturday
    and Sunday. It is what the solver's fairness term charges (days), less the weekends that
    weekend-only contracts work by contract. ``most_closing_shifts`` is
    the most days with a closing shift (one ending at or after closing time) that one person
    works; the solver prices each closing shift a person works beyond two a week
    (:data:`~staffing.rostering.FREE_CLOSING_SHIFTS`), so closes spread over the team. They
    replace the spreads (max minus min days among the people who
    work): the weekend spread read 2 on every roster of both sample stores (someone works no
    weekend day, someone both), and the closing one equalled ``most_closing_shifts`` whenever
    someone who works never closes (on every sample roster).
    """

    status: str
    wage_cost: float
    overtime_cost: float
    paid_hours: float
    shifts: int
    understaffed_person_hours: float
    understaffed_interval_hours: float
    objective: float
    lower_bound: float
    gap: float
    solve_seconds: float
    weekend_days_beyond_first: int
    most_closing_shifts: int
    channels: tuple[ChannelKpi, ...]

    @property
    def proved_gap(self) -> float | None:
        """The optimality gap (a fraction), or None when no lower bound was proved in the time
        limit (a gap against a bound of 0 would read 100%).

        Returns
        -------
        float or None
            ``gap`` (fraction 0-1 of the objective) when ``lower_bound`` is above 0, else None.
        """
        return self.gap if self.lower_bound > 0 else None

    def as_dict(self) -> dict[str, object]:
        """Plain values for JSON (``kpis.json``; ``gap`` null when no bound was proved).

        Returns
        -------
        dict of str to object
            Every field by name (currency units, paid hours, seconds, fractions, days as in the
            class), ``gap`` replaced by :attr:`proved_gap`, and ``channels`` as a dict of
            channel id to that channel's :class:`ChannelKpi` fields.
        """
        out = asdict(self)
        out["gap"] = self.proved_gap
        out["channels"] = {c.channel: asdict(c) for c in self.channels}
        return out


def service_level_meaning(channel: Channel) -> str:
    """What a channel's service level counts, in words (``answered within 20 s``).

    Parameters
    ----------
    channel : Channel
        The channel.

    Returns
    -------
    str
        ``handled within <response_hours> h of opening hours`` for deferred work, else
        ``answered within <seconds> s``: the service-level threshold, or the maximum average
        wait when the channel has no service-level target (as :func:`evaluate_channel`
        judges it).
    """
    if channel.kind == ChannelKind.DEFERRED:
        return f"handled within {channel.response_hours:g} h of opening hours"
    within = channel.answer_within_seconds
    if channel.service_level is None and channel.max_average_wait_seconds is not None:
        within = channel.max_average_wait_seconds  # as evaluate_channel judges it
    return f"answered within {within:g} s"


def evaluate_channel(
    channel: Channel,
    volume: np.ndarray,
    agents: np.ndarray,
    interval_minutes: int,
    is_open: np.ndarray | None = None,
    planned: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Service level, average wait (s) and abandonment per interval at ``agents`` on duty.

    ``agents`` are people assigned to the channel (before shrinkage); each is available to
    customers a ``1 - shrinkage`` share of the time (``agents x (1 - shrinkage)`` servers,
    partly available ones included: taking the whole people of
    ``floor(agents * (1 - shrinkage))`` had counted 3 advisors at 10% shrinkage as 2, and
    reported the store's phone abandonment at 9.1% where a simulation of random availability
    gives 5.1%). Queues are carried from interval to interval (:mod:`staffing.transient`).
    The service level is the fraction answered within
    the channel's threshold (its maximum average wait when it has no service-level target).
    Deferred work (e-mail) is due ``response_hours`` of open time after it arrives
    (``is_open``: the store's open intervals; None: always open). The week starts with the
    queue that weeks staffed as ``planned`` leave, and the next week is staffed as this one
    (:func:`~staffing.channel_staffing.week_after_plan`), so every contact's fate is known.

    Parameters
    ----------
    channel : Channel
        The channel (kind, handling time in seconds, targets, shrinkage as a fraction 0-1).
    volume : ndarray
        Contacts arriving per interval.
    agents : ndarray
        People assigned to the channel per interval (before shrinkage).
    interval_minutes : int
        Interval length, minutes.
    is_open : ndarray of bool, optional
        The store's open intervals; None: always open. Deferred work counts only open time
        towards its deadline; a closed interval empties other channels' queues.
    planned : ndarray, optional
        Deferred work only: the people planned on the channel per interval (before shrinkage),
        who staffed the weeks before; None: as ``agents``.

    Returns
    -------
    dict of str to ndarray
        Per interval: ``service_level`` (fraction 0-1), ``average_wait_seconds`` (seconds;
        for deferred work the mean response, wall-clock) and ``abandon_rate`` (fraction 0-1;
        0 for deferred work), plus, for deferred work, ``counted`` (contacts whose fate is
        known: all of them) and ``backlog_growth`` (contacts that arrived less contacts
        handled).
    """
    seconds = interval_minutes * 60.0
    effective = np.asarray(agents, dtype=float) * (1.0 - channel.shrinkage)
    volume = np.asarray(volume, dtype=float)
    zeros = np.zeros_like(volume)
    if channel.kind == ChannelKind.DEFERRED:  # back-office work is divisible: no rounding
        always = np.ones(volume.size, dtype=bool)
        before = effective if planned is None else np.asarray(planned, dtype=float)
        if planned is not None:
            before = before * (1.0 - channel.shrinkage)
        sl, wait, known, growth = _deferred(
            volume, effective, before, channel, seconds, always if is_open is None else is_open
        )
        return {
            "service_level": sl,
            "average_wait_seconds": wait,
            "abandon_rate": zeros,
            "counted": known,
            "backlog_growth": growth,
        }
    # Without a service-level target the threshold a customer is judged by is the maximum
    # average wait (the same convention as the staffing kernels' gain).
    within = channel.answer_within_seconds
    if channel.service_level is None and channel.max_average_wait_seconds is not None:
        within = channel.max_average_wait_seconds
    # Each person is available to customers a 1 - shrinkage share of the time: a partly
    # available agent (fractional servers) in the carried chain. Whole agents (no shrinkage)
    # keep exact Erlang C or A where the queue is at its steady state.
    available = np.asarray(agents, dtype=float) * (1.0 - channel.shrinkage)
    if channel.kind == ChannelKind.CHAT:
        available = available * channel.concurrency
    traffic = volume * channel.aht_seconds / seconds
    m = queueing.measures(traffic, available, channel.aht_seconds, within, channel.patience_seconds)
    steady = {
        "service_level": m.service_level,
        # no steady state when overloaded: the carried queue below replaces these
        "average_wait_seconds": np.minimum(m.asa, seconds),
        "abandon_rate": m.abandon_rate,
    }
    whole = bool(np.all(np.abs(available - np.round(available)) < 1e-9))
    return carried_queues(
        volume,
        available,
        seconds,
        channel.aht_seconds,
        within,
        channel.patience_seconds,
        np.ones(volume.size, dtype=bool) if is_open is None else np.asarray(is_open, dtype=bool),
        steady,
        exact=whole,
    )


def _deferred(
    volume: np.ndarray,
    n: np.ndarray,
    planned: np.ndarray,
    channel: Channel,
    seconds: float,
    is_open: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """First in, first out with the deadlines the work was sized to (only open time counts),
    after weeks that went as planned (:func:`~staffing.channel_staffing.week_after_plan`): per
    interval of arrival, the fraction handled in time, the mean response (s) and how many
    contacts those are; and per interval, the contacts that arrived less those handled."""
    per_agent = seconds / channel.aht_seconds  # contacts one person on duty handles
    handled, _ = cs.week_after_plan(
        volume, n * per_agent, planned * per_agent, is_open, channel.response_hours or 0.0, seconds
    )
    known = volume - handled.carried
    with np.errstate(invalid="ignore", divide="ignore"):
        wait = np.where(known > 1e-9, handled.waited * seconds / np.maximum(known, 1e-300), 0.0)
    return handled.service_level(volume), wait, known, volume - handled.done


def compute_kpis(
    data: StoreData,
    requirements: Requirements,
    coverage: pd.DataFrame,
    roster_rows: pd.DataFrame,
    roster: solver.Roster,
) -> Kpis:
    """KPIs of a roster against the requirements it was built for.

    Parameters
    ----------
    data : StoreData
        The store (channels, costs, opening hours) and its team (hourly costs).
    requirements : Requirements
        The requirements the roster was built for (volume and people required per channel
        and interval).
    coverage : DataFrame
        People on duty per role and slot (:func:`~staffing.rostering.coverage_frame`).
    roster_rows : DataFrame
        One row per shift (:func:`~staffing.rostering.roster_frame`).
    roster : solver.Roster
        The roster (status, objective, bound, gap and solve time).

    Returns
    -------
    Kpis
        Wage and overtime cost (currency units, to the cent; wage cost includes the overtime
        premium), paid and understaffed hours, the solver's figures, the fairness figures
        (days; see :class:`Kpis`) and one :class:`ChannelKpi` per channel with a role.
    """
    store = data.store
    slot_hours = store.interval_minutes / 60
    on_duty = coverage.pivot_table(index=TIMESTAMP, columns=ROLE, values="on_duty", aggfunc="sum")
    kpis = [
        _channel_kpi(s.channel, s.volume, s.measures, s.needed, s.agents)
        for s in channel_service(data, requirements, on_duty)
    ]
    short = coverage["short"].to_numpy(float)
    wage = sum(Decimal(repr(float(c))) for c in roster_rows["cost"]) if len(roster_rows) else 0
    paid = float(roster_rows["paid_hours"].sum()) if len(roster_rows) else 0.0
    premiums = Decimal(0)  # each person's to the cent, as employee_hours.csv shows them
    for emp in data.employees:
        hours = float(roster_rows.loc[roster_rows["employee_id"] == emp.id, "paid_hours"].sum())
        extra = max(0.0, hours - store.costs.overtime_after_hours)
        premiums += Decimal(repr(overtime_premium(extra, emp.hourly_cost, store.costs)))
    short_slots = coverage.groupby(TIMESTAMP)["short"].sum()
    return Kpis(
        status=roster.status,
        wage_cost=money(Decimal(wage) + premiums),
        overtime_cost=money(premiums),
        paid_hours=round(paid, 2),
        shifts=len(roster_rows),
        understaffed_person_hours=round(float(short.sum()) * slot_hours, 2),
        understaffed_interval_hours=round(float((short_slots > 0).sum()) * slot_hours, 2),
        objective=float(roster.objective),
        lower_bound=float(roster.lower_bound),
        gap=float(roster.gap),
        solve_seconds=float(roster.solve_seconds),
        channels=tuple(kpis),
        **_fairness(data, roster_rows),
    )


@dataclass(frozen=True, slots=True)
class ChannelService:
    """One channel's queue over the planned days at a given staffing: per interval, the
    contacts (``volume``), the people the channel needed and was given (``needed``,
    ``agents``; before shrinkage) and :func:`evaluate_channel`'s ``measures``."""

    channel: Channel
    volume: np.ndarray
    needed: np.ndarray
    agents: np.ndarray
    measures: dict[str, np.ndarray]

    @property
    def in_time(self) -> np.ndarray:
        """Contacts answered (handled) within the channel's threshold, per interval of arrival."""
        counted = self.measures.get("counted", self.volume)
        return np.asarray(counted * np.nan_to_num(self.measures["service_level"]), dtype=float)


def channel_service(
    data: StoreData,
    requirements: Requirements,
    on_duty: pd.DataFrame,
    roles: Collection[str] | None = None,
) -> list[ChannelService]:
    """Every channel's queue at the people on duty, for the channels whose role has any.

    Parameters
    ----------
    data : StoreData
        The store (channels, opening hours, planning interval).
    requirements : Requirements
        Volume and people required per channel and interval.
    on_duty : DataFrame
        People on duty (breaks excluded), one column per role, indexed by interval start
        (local time).
    roles : collection of str, optional
        Only the channels of these roles; None: every role's.

    Returns
    -------
    list of ChannelService
        In the store's order of roles, then channels.
    """
    store = data.store
    channels_frame = requirements.channels
    is_open = open_mask(data, pd.DatetimeIndex(on_duty.index))
    out: list[ChannelService] = []
    for role in store.roles:
        mine = [c for c in store.channels if c.role == role]
        if not mine or (roles is not None and role not in roles):
            continue
        frames = {
            c.id: channels_frame[channels_frame[CHANNEL] == c.id]
            .set_index(TIMESTAMP)
            .reindex(on_duty.index)
            for c in mine
        }
        # A fixed post of the role is a minimum head-count that serves the channels too, as
        # in sizing and in the solver (need = max(required, post)); taking it away here made a
        # store with an advisor post fall 11 points of phone service level at full cover.
        available = on_duty.get(role, pd.Series(0, index=on_duty.index)).to_numpy(dtype=float)
        needed = np.vstack([frames[c.id][REQUIRED].fillna(0).to_numpy(float) for c in mine])
        allocated = _allocate(available, needed)
        for i, c in enumerate(mine):
            volume = frames[c.id]["volume"].fillna(0).to_numpy(float)
            m = evaluate_channel(
                c, volume, allocated[i], store.interval_minutes, is_open, planned=needed[i]
            )
            out.append(ChannelService(c, volume, needed[i], allocated[i], m))
    return out


def _allocate(available: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """Split whole people among channels in proportion to need (largest remainder).

    ``available`` is people per interval, ``needed`` is ``[channel, interval]``; returns
    ``[channel, interval]`` whole numbers summing to ``available``.
    """
    total = needed.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, needed / np.maximum(total, 1e-12), 1.0 / needed.shape[0])
    exact = share * available
    whole = np.floor(exact + 1e-9)
    left = (available - whole.sum(axis=0)).round().astype(int)
    order = np.argsort(-(exact - whole), axis=0, kind="stable")
    for t in np.flatnonzero(left > 0):
        whole[order[: left[t], t], t] += 1
    return whole


def _channel_kpi(
    c: Channel, volume: np.ndarray, m: dict[str, np.ndarray], needed: np.ndarray, agents: np.ndarray
) -> ChannelKpi:
    counted = m.get("counted", volume)  # deferred work of unknown fate is not counted
    total = float(counted.sum())
    weights = counted / total if total > 0 else np.zeros_like(volume)
    sl = float(np.sum(weights * np.nan_to_num(m["service_level"]))) if total > 0 else 1.0
    wait = m["average_wait_seconds"]
    finite = np.isfinite(wait)
    avg_wait = float(np.sum(weights[finite] * wait[finite]) / max(weights[finite].sum(), 1e-12))
    if not finite[volume > 0].all():
        avg_wait = float("inf")
    return ChannelKpi(
        channel=c.id,
        role=c.role,
        volume=round(float(volume.sum()), 1),
        service_level=round(sl, 4),
        average_wait_seconds=round(avg_wait, 1) if np.isfinite(avg_wait) else avg_wait,
        abandon_rate=round(float(np.sum(weights * m["abandon_rate"])), 4),
        intervals_below_target=int(np.sum(agents + 1e-9 < needed)),
        backlog_growth=round(float(m["backlog_growth"].sum()), 1) if "backlog_growth" in m else 0.0,
    )


def _is_weekend(row: pd.Series) -> bool:
    return dt.date.fromisoformat(row["date"]).weekday() >= 5


def _closing(data: StoreData):  # type: ignore[no-untyped-def]
    def is_closing(row: pd.Series) -> bool:
        day = dt.date.fromisoformat(row["date"])
        close = closing_minute(data.store, day.weekday())  # as the solver prices them
        if close is None:
            return False
        end = dt.datetime.fromisoformat(row["end"])
        minutes = (end - dt.datetime.combine(day, dt.time())).total_seconds() / 60
        return minutes >= close

    return is_closing


def _fairness(data: StoreData, rows: pd.DataFrame) -> dict[str, int]:
    """The fairness fields of :class:`Kpis` (days) from one row per shift (``employee_id``,
    ``date`` as ISO text, ``end`` as ISO date-time)."""
    weekend = _days_with(rows, _is_weekend)
    closing = _days_with(rows, _closing(data))
    by_contract = weekend.index.isin([e.id for e in data.employees if e.weekend_only])
    return {
        "weekend_days_beyond_first": int((weekend[~by_contract] - 1).clip(lower=0).sum()),
        "most_closing_shifts": int(closing.max()) if len(closing) else 0,
    }


def _days_with(rows: pd.DataFrame, predicate) -> pd.Series:  # type: ignore[no-untyped-def]
    """Days with such a shift per employee who works at least one shift (two shifts on one
    Saturday are one weekend day), indexed by employee id."""
    if rows.empty:
        return pd.Series(dtype=int)
    hits = rows[rows.apply(predicate, axis=1).astype(bool)]
    counts = hits.groupby("employee_id")["date"].nunique()
    return counts.reindex(rows["employee_id"].unique(), fill_value=0)
