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

__all__ = ["Staffing", "staff_calls", "staff_chat", "staff_deferred", "staff_walk_in"]

Float = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True, slots=True)
class Staffing:
    """Agents needed per interval (before shrinkage) and the measures at that head-count.

    ``asa`` is in seconds; rates are fractions; ``gain`` is ``[interval, k]`` as described in the
    module docstring.
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
    if k > 1:  # the measures of the whole agents staffed, not of the server count
        m = q.measures(traffic, agents * k, aht_seconds, within_seconds, patience_seconds)
    else:
        m = q.measures(traffic, req.agents, aht_seconds, within_seconds, patience_seconds)
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
    within_seconds: float = 20.0,
    max_average_wait_seconds: float | None = None,
    patience_seconds: float | None = None,
    max_abandon_rate: float | None = None,
    max_occupancy: float | None = None,
) -> Staffing:
    """Phone calls: Erlang C, or Erlang A when ``patience_seconds`` is given.

    With patience, callers who would hold too long hang up or take the offered callback, so
    abandonment is modelled and can itself be a target (``max_abandon_rate``).
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
    within_seconds: float = 20.0,
    max_average_wait_seconds: float | None = None,
    max_occupancy: float | None = None,
) -> Staffing:
    """Customers queueing at tills or a counter: one line, ``n`` servers (M/M/n, Erlang C).

    Walk-in customers rarely leave once in line, so no abandonment is modelled; the usual target
    is a maximum average wait.
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
    within_seconds: float = 20.0,
    max_average_wait_seconds: float | None = None,
    max_occupancy: float | None = None,
) -> Staffing:
    """Chat: each agent handles up to ``concurrency`` chats at once.

    Approximation: an agent is ``concurrency`` independent servers, each taking ``aht_seconds``
    per chat, so the channel is M/M/(n k). Juggling chats slows each one down, so give
    ``aht_seconds`` as a chat's duration when its agent holds ``concurrency`` chats: the
    simulation in the tests shows the model then under-predicts the service level by 0.02-0.15
    (on the safe side), while the overall average duration makes it
    optimistic at high occupancy. Without slow-down the model is exact.
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


def _edf_feasible(
    work: Float, capacity: Float, deadline: NDArray[np.int64]
) -> tuple[bool, Float, Float]:
    """Earliest-deadline-first (= first-in-first-out here) with ``capacity`` per interval.

    Returns whether all work is done by its deadline interval (inclusive), the work done per
    interval, and the fraction of each interval's arrivals done in time.
    """
    queue: list[list[float]] = []  # [arrival index, remaining]
    done = np.zeros_like(work)
    in_time = np.zeros_like(work)
    ok = True
    for t in range(work.size):
        if work[t] > 0:
            queue.append([float(t), float(work[t])])
        left = float(capacity[t])
        while queue and left > 1e-12:
            origin = int(queue[0][0])
            take = min(queue[0][1], left)
            done[t] += take
            if t <= deadline[origin]:
                in_time[origin] += take
            left -= take
            queue[0][1] -= take
            if queue[0][1] <= 1e-12:
                queue.pop(0)
        while queue and deadline[int(queue[0][0])] <= t:
            ok = False
            queue.pop(0)
    if queue:
        ok = ok and all(deadline[int(o)] >= work.size for o, _ in queue)
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(work > 0, in_time / np.maximum(work, 1e-300), 1.0)
    return ok, done, fraction


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
    Minimising the peak keeps this work in the troughs instead of stacking it on the peaks.
    Work that cannot be done before the horizon ends and whose deadline lies beyond it is left
    to the next week; a backlog at the start of the horizon is not known and taken as empty.
    """
    volume = np.asarray(volume, dtype=float)
    is_open = np.asarray(open_mask, dtype=bool)
    per_agent = interval_seconds / aht_seconds  # contacts one agent handles in an interval
    work = volume / per_agent  # agent-intervals
    open_index = np.cumsum(is_open)  # open intervals up to and including t
    budget = int(np.ceil(response_hours * 3600.0 / interval_seconds - 1e-9))
    # deadline of work arriving in t: the interval where open_index reaches open_index[t]+budget
    open_positions = np.flatnonzero(is_open)
    target = open_index - is_open.astype(int) + budget  # count of open intervals allowed
    deadline = np.full(volume.size, volume.size + budget, dtype=np.int64)
    inside = target <= open_positions.size
    deadline[inside] = open_positions[np.maximum(target[inside] - 1, 0)]
    lo, hi = 0, max(1, int(np.ceil(work.sum())) + 1)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _edf_feasible(work, np.where(is_open, mid, 0.0), deadline)[0]:
            hi = mid
        else:
            lo = mid
    c = hi if work.sum() > 0 else 0
    _, done, fraction = _edf_feasible(work, np.where(is_open, c, 0.0), deadline)
    agents = np.where(is_open, np.ceil(done - 1e-9), 0).astype(np.int64)
    width = int(agents.max()) if agents.size else 0
    gain = np.zeros((volume.size, max(width, 1)))
    gain[np.arange(max(width, 1))[None, :] < agents[:, None]] = per_agent
    occupancy = np.where(agents > 0, done / np.maximum(agents, 1), 0.0)
    return Staffing(
        agents=agents,
        binding=np.where(agents > 0, "response_time", "none").astype(str),
        service_level=fraction,
        asa=np.zeros_like(volume),
        abandon_rate=np.zeros_like(volume),
        occupancy=occupancy,
        gain=gain,
    )
