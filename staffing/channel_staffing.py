"""Per-channel staffing kernels: arrivals per interval in, agents and service measures out.

One function per channel kind. Each returns a :class:`Staffing` of numpy arrays (one value per
interval) with the agents needed on the channel *before* shrinkage, the binding target, the
measures at that head-count, and ``gain``: the value of each agent below the requirement, which
the roster solver turns into a convex shortfall cost.

The unit of ``gain`` is *customers per interval not answered within the threshold* (the service
level threshold, or the maximum average wait when no service level is set; for deferred work,
contacts left unhandled in the interval). ``gain[t, k]`` is how many more customers miss the
threshold when the channel is short by ``k + 1`` agents instead of ``k``. It is made
non-decreasing in ``k`` (a running maximum), which keeps the solver's cost convex even where the
queue saturates and every customer already misses the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from staffing import queueing as q
from staffing.model import DEFAULT_ANSWER_WITHIN_SECONDS

__all__ = [
    "Backlog",
    "Staffing",
    "backlog",
    "deferred_deadlines",
    "staff_calls",
    "staff_chat",
    "staff_deferred",
    "staff_walk_in",
    "week_after_plan",
    "weekly_backlog",
]

Float = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True, slots=True)
class Staffing:
    """Agents needed per interval (before shrinkage) and the measures at that head-count.

    ``asa`` is in seconds; rates are fractions; ``gain`` is ``[interval, k]`` as described in the
    module docstring. ``service_level`` is the fraction of customers answered within the
    channel's threshold: ``within_seconds`` when the channel has a service-level target, else
    its maximum average wait (tills judged by a 120 s average wait report the share of customers
    served within 120 s), else ``within_seconds``; ``gain`` and the KPIs use the same threshold.
    """

    agents: NDArray[np.int64]
    binding: NDArray[np.str_]
    service_level: Float
    asa: Float
    abandon_rate: Float
    occupancy: Float
    gain: Float


def _queue(
    volume: Float,
    interval_seconds: float,
    aht_seconds: float,
    *,
    servers_per_agent: int,
    service_level: float | None,
    within_seconds: float,
    max_average_wait_seconds: float | None,
    patience_seconds: float | None,
    max_abandon_rate: float | None,
    max_occupancy: float | None,
) -> Staffing:
    """Size a queue per interval; the parameters are those of :func:`staff_calls`, plus
    ``servers_per_agent`` (contacts one agent serves at once)."""
    volume = np.asarray(volume, dtype=float)
    k = servers_per_agent
    traffic = volume * aht_seconds / interval_seconds
    req = q.required_agents(
        traffic,
        aht_seconds,
        service_level_target=service_level,
        within=within_seconds,
        max_asa=max_average_wait_seconds,
        max_abandon=max_abandon_rate,
        max_occupancy=max_occupancy,
        patience=patience_seconds,
    )
    # agents serve k contacts at once: round the server count up to whole agents
    agents = np.ceil(req.agents / k - 1e-9).astype(np.int64)
    threshold = within_seconds if service_level is not None else max_average_wait_seconds
    threshold = within_seconds if threshold is None else threshold

    def missed(n_agents: NDArray[np.int64]) -> Float:
        m = q.measures(traffic, n_agents * k, aht_seconds, threshold, patience_seconds)
        return volume * (1.0 - m.service_level)

    width = int(agents.max()) if agents.size else 0
    gain = np.zeros((volume.size, max(width, 1)))
    if width:
        above = missed(agents)
        for j in range(width):
            n = np.maximum(agents - j - 1, 0)
            below = missed(n)
            gain[:, j] = np.where(agents - j - 1 >= 0, np.maximum(below - above, 0.0), 0.0)
            above = below
        gain = np.maximum.accumulate(gain, axis=1)
        gain[np.arange(width)[None, :] >= agents[:, None]] = 0.0
    # The measures of the whole agents staffed (not of the server count), the service level
    # within the threshold ``missed`` uses, which is the one the KPIs judge the channel by.
    servers = agents * k if k > 1 else req.agents
    m = q.measures(traffic, servers, aht_seconds, threshold, patience_seconds)
    return Staffing(
        agents=np.where(volume > 0, agents, 0),
        binding=req.binding,
        service_level=m.service_level,
        asa=m.asa,
        abandon_rate=m.abandon_rate,
        occupancy=m.occupancy,
        gain=gain,
    )


def staff_calls(
    volume: Float,
    interval_seconds: float,
    aht_seconds: float,
    *,
    service_level: float | None = None,
    within_seconds: float = DEFAULT_ANSWER_WITHIN_SECONDS,
    max_average_wait_seconds: float | None = None,
    patience_seconds: float | None = None,
    max_abandon_rate: float | None = None,
    max_occupancy: float | None = None,
) -> Staffing:
    """Phone calls: Erlang C, or Erlang A when ``patience_seconds`` is given.

    With patience, callers who would hold too long hang up or take the offered callback, so
    abandonment is modelled and can itself be a target (``max_abandon_rate``).

    Parameters
    ----------
    volume : ndarray
        Contacts arriving per interval.
    interval_seconds : float
        Interval length, seconds.
    aht_seconds : float
        Average handling time, seconds.
    service_level : float, optional
        Fraction of contacts to answer within ``within_seconds``.
    within_seconds : float
        Service-level threshold, seconds; by default
        :data:`~staffing.model.DEFAULT_ANSWER_WITHIN_SECONDS`.
    max_average_wait_seconds : float, optional
        Maximum mean wait, seconds.
    patience_seconds : float, optional
        Mean patience, seconds (Erlang A); None for Erlang C.
    max_abandon_rate : float, optional
        Maximum fraction abandoning (met by Erlang C, where nobody abandons, without patience).
    max_occupancy : float, optional
        Maximum agent occupancy, fraction.

    Returns
    -------
    Staffing
        Agents per interval and the measures there. Its ``service_level`` is judged within
        ``within_seconds`` when ``service_level`` is set, else within
        ``max_average_wait_seconds`` when that is set (the threshold of ``gain`` and of the
        KPIs), else within ``within_seconds``.

    Raises
    ------
    ValueError
        A target out of range or out of reach (see :func:`staffing.queueing.required_agents`).
    """
    return _queue(
        volume,
        interval_seconds,
        aht_seconds,
        servers_per_agent=1,
        service_level=service_level,
        within_seconds=within_seconds,
        max_average_wait_seconds=max_average_wait_seconds,
        patience_seconds=patience_seconds,
        max_abandon_rate=max_abandon_rate,
        max_occupancy=max_occupancy,
    )


def staff_walk_in(
    volume: Float,
    interval_seconds: float,
    aht_seconds: float,
    *,
    service_level: float | None = None,
    within_seconds: float = DEFAULT_ANSWER_WITHIN_SECONDS,
    max_average_wait_seconds: float | None = None,
    max_occupancy: float | None = None,
) -> Staffing:
    """Customers queueing at tills or a counter: one line, ``n`` servers (M/M/n, Erlang C).

    Walk-in customers rarely leave once in line, so no abandonment is modelled; the usual target
    is a maximum average wait, and then the reported service level is the fraction served
    within that wait (seconds), as in :func:`staff_calls`, whose parameters these are.

    Parameters
    ----------
    volume : ndarray
        Contacts arriving per interval.
    interval_seconds : float
        Interval length, seconds.
    aht_seconds : float
        Average handling time, seconds.
    service_level : float, optional
        Fraction of customers to serve within ``within_seconds``.
    within_seconds : float
        Service-level threshold, seconds; by default
        :data:`~staffing.model.DEFAULT_ANSWER_WITHIN_SECONDS`.
    max_average_wait_seconds : float, optional
        Maximum mean wait, seconds.
    max_occupancy : float, optional
        Maximum server occupancy, fraction.

    Returns
    -------
    Staffing
        Servers per interval and the measures there (abandonment 0).

    Raises
    ------
    ValueError
        A target out of range or out of reach (see :func:`staffing.queueing.required_agents`).
    """
    return _queue(
        volume,
        interval_seconds,
        aht_seconds,
        servers_per_agent=1,
        service_level=service_level,
        within_seconds=within_seconds,
        max_average_wait_seconds=max_average_wait_seconds,
        patience_seconds=None,
        max_abandon_rate=None,
        max_occupancy=max_occupancy,
    )


def staff_chat(
    volume: Float,
    interval_seconds: float,
    aht_seconds: float,
    *,
    concurrency: int,
    service_level: float | None = None,
    within_seconds: float = DEFAULT_ANSWER_WITHIN_SECONDS,
    max_average_wait_seconds: float | None = None,
    max_occupancy: float | None = None,
) -> Staffing:
    """Chat: each agent handles up to ``concurrency`` chats at once.

    Approximation: an agent is ``concurrency`` independent servers, each taking ``aht_seconds``
    per chat, so the channel is M/M/(n k). Juggling chats slows each one down, so give
    ``aht_seconds`` as a chat's duration when its agent holds ``concurrency`` chats: the
    simulation in the tests shows the model then under-predicts the service level by 0.02-0.15
    (on the safe side), while the overall average duration makes it
    optimistic at high occupancy. Without slow-down the model is exact. The other parameters
    and the service level reported are as in :func:`staff_calls`.

    Parameters
    ----------
    volume : ndarray
        Contacts arriving per interval.
    interval_seconds : float
        Interval length, seconds.
    aht_seconds : float
        A chat's duration, seconds (see above).
    concurrency : int
        Chats one agent handles at once (1 or more).
    service_level : float, optional
        Fraction of chats to answer within ``within_seconds``.
    within_seconds : float
        Service-level threshold, seconds; by default
        :data:`~staffing.model.DEFAULT_ANSWER_WITHIN_SECONDS`.
    max_average_wait_seconds : float, optional
        Maximum mean wait, seconds.
    max_occupancy : float, optional
        Maximum occupancy of the chat slots, fraction.

    Returns
    -------
    Staffing
        Agents per interval (each holding ``concurrency`` chats) and the measures at that
        head-count (abandonment 0).

    Raises
    ------
    ValueError
        A target out of range or out of reach (see :func:`staffing.queueing.required_agents`).
    """
    return _queue(
        volume,
        interval_seconds,
        aht_seconds,
        servers_per_agent=concurrency,
        service_level=service_level,
        within_seconds=within_seconds,
        max_average_wait_seconds=max_average_wait_seconds,
        patience_seconds=None,
        max_abandon_rate=None,
        max_occupancy=max_occupancy,
    )


def deferred_deadlines(
    is_open: NDArray[np.bool_], response_hours: float, interval_seconds: float
) -> NDArray[np.int64]:
    """The interval (inclusive) by which each interval's arrivals must be handled.

    Only open time counts: ``response_hours`` of open intervals from the start of the arrival
    interval (so an e-mail of 21:00 at a store that closes at 22:00 is due the next morning).
    A deadline beyond the horizon is ``len(is_open)`` or more.

    Parameters
    ----------
    is_open : ndarray of bool
        Open intervals of the horizon.
    response_hours : float
        Response time, hours of open time.
    interval_seconds : float
        Interval length, seconds.

    Returns
    -------
    ndarray of int
        Per interval of arrival, the index of its deadline interval.
    """
    is_open = np.asarray(is_open, dtype=bool)
    open_index = np.cumsum(is_open)  # open intervals up to and including t
    budget = int(np.ceil(response_hours * 3600.0 / interval_seconds - 1e-9))
    # deadline of work arriving in t: the interval where open_index reaches open_index[t]+budget
    open_positions = np.flatnonzero(is_open)
    target = open_index - is_open.astype(int) + budget  # count of open intervals allowed
    deadline = np.full(is_open.size, is_open.size + budget, dtype=np.int64)
    inside = target <= open_positions.size
    deadline[inside] = open_positions[np.maximum(target[inside] - 1, 0)]
    return deadline


@dataclass(frozen=True, slots=True)
class Backlog:
    """Deferred work handled first in, first out; amounts per interval, in the unit of the work.

    Per interval of arrival: ``in_time`` handled by its deadline, ``late`` handled after it or
    left at the horizon's end though due within it, ``carried`` left at the horizon's end and
    due after it (its fate is next week's: neither in time nor late), and ``waited``: the sum
    of amount x intervals from the middle of the arrival interval to the interval it was
    handled in (to the horizon's end for late work left). ``done`` is the work handled in each
    interval.
    """

    done: Float
    in_time: Float
    late: Float
    carried: Float
    waited: Float

    @property
    def ok(self) -> bool:
        """Every contact handled by its deadline (or due after the horizon).

        Returns
        -------
        bool
            True when the late work sums to 0 (within 1e-9 of the work's unit).
        """
        return float(self.late.sum()) <= 1e-9

    def service_level(self, work: Float) -> Float:
        """Per interval of arrival, the fraction of the work whose fate is known this week that
        was handled in time: 1.0 with no arrivals, NaN when all of it is carried to next week.

        Parameters
        ----------
        work : ndarray
            The work that arrived per interval, in the unit of the backlog.

        Returns
        -------
        ndarray
            Fractions 0-1 (or NaN), one per interval.
        """
        known = work - self.carried
        with np.errstate(invalid="ignore", divide="ignore"):
            fraction = np.where(known > 1e-9, self.in_time / np.maximum(known, 1e-300), np.nan)
        return np.where(work > 1e-12, fraction, 1.0)


def backlog(work: Float, capacity: Float, deadline: NDArray[np.int64]) -> Backlog:
    """First in, first out (= earliest deadline first: all work has the same response time)
    with ``capacity`` per interval; late work stays in the queue and is handled when reached.

    Parameters
    ----------
    work : ndarray
        Work arriving per interval (any unit: contacts, or agent-intervals).
    capacity : ndarray
        Work that can be handled per interval, same unit.
    deadline : ndarray of int
        Per interval of arrival, the last interval in time (:func:`deferred_deadlines`).

    Returns
    -------
    Backlog
        The work handled, in time, late and carried, and the waits (amount x intervals), per
        interval.
    """
    size = work.size
    queue: list[list[float]] = []  # [arrival index, remaining]
    done, in_time, late, carried, waited = (np.zeros(size) for _ in range(5))
    for t in range(size):
        if work[t] > 0:
            queue.append([float(t), float(work[t])])
        left = float(capacity[t])
        while queue and left > 1e-12:
            origin = int(queue[0][0])
            take = min(queue[0][1], left)
            done[t] += take
            (in_time if t <= deadline[origin] else late)[origin] += take
            waited[origin] += take * (t - origin + 0.5)
            left -= take
            queue[0][1] -= take
            if queue[0][1] <= 1e-12:
                queue.pop(0)
    for origin_f, amount in queue:  # left at the horizon's end
        origin = int(origin_f)
        if deadline[origin] >= size:
            carried[origin] += amount
        else:
            late[origin] += amount
            waited[origin] += amount * (size - origin)
    return Backlog(done=done, in_time=in_time, late=late, carried=carried, waited=waited)


def weekly_backlog(
    work: Float,
    capacity: Float,
    is_open: NDArray[np.bool_],
    response_hours: float,
    interval_seconds: float,
) -> Backlog:
    """:func:`backlog` in a horizon that repeats, as a planning week does.

    The horizon is run :data:`_WEEKS` times in a row with the same work and capacity, so the
    queue at the start of the last run is what the same week leaves (an empty inbox every
    Monday had made the week look 100% in time while the work due after each week was planned
    in none: 946 of the contact center's 6,646 e-mails). Results are per interval of the
    horizon, by time of arrival: the last run's, except for the work that arrives near the end
    and is due after it, whose fate is the run before's copy of it, handled in the last run.
    ``done`` is the last run's. A week whose capacity falls short of its work shows a backlog
    grown over the runs, late work.

    Parameters
    ----------
    work : ndarray
        Work arriving per interval of the week (any unit).
    capacity : ndarray
        Work that can be handled per interval, same unit.
    is_open : ndarray of bool
        Open intervals (only open time counts towards the deadline).
    response_hours : float
        Response time, hours of open time.
    interval_seconds : float
        Interval length, seconds.

    Returns
    -------
    Backlog
        Per interval of the week, as described above.
    """
    work = np.asarray(work, dtype=float)
    capacity = np.asarray(capacity, dtype=float)
    is_open = np.asarray(is_open, dtype=bool)
    size = work.size
    runs = backlog(
        np.tile(work, _WEEKS),
        np.tile(capacity, _WEEKS),
        deferred_deadlines(np.tile(is_open, _WEEKS), response_hours, interval_seconds),
    )
    last = (_WEEKS - 1) * size
    due_after = deferred_deadlines(is_open, response_hours, interval_seconds) >= size
    pick = np.arange(size) + np.where(due_after, last - size, last)
    return Backlog(
        done=runs.done[last:],
        in_time=runs.in_time[pick],
        late=runs.late[pick],
        carried=runs.carried[pick],
        waited=runs.waited[pick],
    )


_WEEKS = 3  # runs of the horizon behind a weekly backlog: the last starts from the one before


def week_after_plan(
    work: Float,
    capacity: Float,
    planned: Float,
    is_open: NDArray[np.bool_],
    response_hours: float,
    interval_seconds: float,
) -> tuple[Backlog, float]:
    """One week of deferred work handled at ``capacity``, after weeks that went as planned.

    The queue at the start is what ``planned`` capacity leaves, in a week that repeats (two
    runs of it, the sizing's steady state); then the week runs at ``capacity``, and again the
    next week, where the work due after it meets its deadline or not. Results are this week's,
    per interval of arrival. A roster that handles less than a week's work cannot be judged by
    a week that repeats at its own capacity: the backlog grows without end, and the fraction in
    time then depended on how many repeats were run (the contact center's roster, 185 e-mails a
    week short, read 100% in time after 3 repeats and 94.7% after 8). Here it is judged from a
    known start, and how far it falls behind is counted apart.

    Parameters
    ----------
    work : ndarray
        Work arriving per interval of the week (any unit).
    capacity : ndarray
        Work that can be handled per interval this week, same unit.
    planned : ndarray
        Work that the planned staffing handles per interval, same unit.
    is_open : ndarray of bool
        Open intervals (only open time counts towards the deadline).
    response_hours : float
        Response time, hours of open time.
    interval_seconds : float
        Interval length, seconds.

    Returns
    -------
    tuple of (Backlog, float)
        This week's backlog (``carried`` is empty: the next week decides every deadline, and
        work still waiting at its end is late) and the growth of the queue over the week: the
        work that arrived less the work handled, in the unit of the work (above 0: the week
        ends with more waiting than it began with).
    """
    work = np.asarray(work, dtype=float)
    is_open = np.asarray(is_open, dtype=bool)
    size = work.size
    runs = backlog(
        np.tile(work, 4),
        np.concatenate([planned, planned, capacity, capacity]).astype(float),
        deferred_deadlines(np.tile(is_open, 4), response_hours, interval_seconds),
    )
    week = slice(2 * size, 3 * size)
    this = Backlog(
        done=runs.done[week],
        in_time=runs.in_time[week],
        late=runs.late[week] + runs.carried[week],
        carried=np.zeros(size),
        waited=runs.waited[week],
    )
    return this, float(work.sum() - runs.done[week].sum())


def staff_deferred(
    volume: Float,
    interval_seconds: float,
    aht_seconds: float,
    *,
    response_hours: float,
    open_mask: NDArray[np.bool_],
) -> Staffing:
    """E-mail and back-office work: each contact handled within ``response_hours``.

    Only open intervals can work and only open time counts towards the deadline. The profile is
    the smallest constant head-count ``c`` (per open interval) for which first-in-first-out
    processing meets every deadline (bisection; FIFO is earliest-deadline-first here since all
    contacts have the same deadline, and EDF is optimal for one resource), then trimmed to the
    whole agents each interval actually needs (``ceil(work done / capacity of one agent)``).
    The smallest constant head-count spreads the work evenly over the open hours; it does not
    see the role's other channels, so it may stack on their peaks (filling their troughs to
    a level instead asked more person-hours of the store and cost more: not kept).
    The week repeats (:func:`weekly_backlog`): work due after the horizon is the next week's,
    and the same work of the week before is in the queue at the start. ``asa`` is the mean
    response (s, wall-clock, from the middle of the arrival interval) of each interval's
    arrivals.

    Parameters
    ----------
    volume : ndarray
        Contacts arriving per interval.
    interval_seconds : float
        Interval length, seconds.
    aht_seconds : float
        Average handling time, seconds.
    response_hours : float
        Response time, hours of open time.
    open_mask : ndarray of bool
        Open intervals; closed ones get no agents.

    Returns
    -------
    Staffing
        Agents per interval (``binding`` ``response_time``, or ``none`` without agents), the
        fraction handled in time, the mean response (seconds), abandonment 0, occupancy, and
        ``gain``: contacts per interval one agent handles, for each agent required.
    """
    volume = np.asarray(volume, dtype=float)
    is_open = np.asarray(open_mask, dtype=bool)
    per_agent = interval_seconds / aht_seconds  # contacts one agent handles in an interval
    work = volume / per_agent  # agent-intervals

    def handled_at(c: float) -> Backlog:
        return weekly_backlog(
            work, np.where(is_open, c, 0.0), is_open, response_hours, interval_seconds
        )

    def keeps_up(handled: Backlog) -> bool:  # in time, and a week's work done each week
        return handled.ok and float(handled.done.sum()) >= float(work.sum()) - 1e-6

    lo, hi = 0, max(1, 2 * int(np.ceil(work.sum())) + 1)  # carried-in work comes on top
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if keeps_up(handled_at(mid)):
            hi = mid
        else:
            lo = mid
    c = hi if work.sum() > 0 else 0
    handled = handled_at(c)
    done, fraction = handled.done, handled.service_level(work)
    known = work - handled.carried
    with np.errstate(invalid="ignore", divide="ignore"):
        response = np.where(
            known > 1e-9, handled.waited * interval_seconds / np.maximum(known, 1e-300), 0.0
        )
    agents = np.where(is_open, np.ceil(done - 1e-9), 0).astype(np.int64)
    width = int(agents.max()) if agents.size else 0
    gain = np.zeros((volume.size, max(width, 1)))
    gain[np.arange(max(width, 1))[None, :] < agents[:, None]] = per_agent
    occupancy = np.where(agents > 0, done / np.maximum(agents, 1), 0.0)
    return Staffing(
        agents=agents,
        binding=np.where(agents > 0, "response_time", "none").astype(str),
        service_level=fraction,
        asa=response,
        abandon_rate=np.zeros_like(volume),
        occupancy=occupancy,
        gain=gain,
    )
