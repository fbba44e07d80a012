"""Queues carried from one interval to the next, where a short-staffed interval leaves one.

Erlang C and A (:mod:`staffing.queueing`) take each interval as a steady state of its own. After
an interval with too few people on duty, the queue it leaves is served in the next ones, and
the steady-state figures of those report short waits where customers in fact wait for most of
an hour. (A simulation of the sample store's week found the tills' mean wait 373 s against the
210 s of per-interval Erlang C; no cashier from 08:00 to 10:00 on a Wednesday left a queue until
noon that Erlang C did not see at 10:30, and mildly overloaded half-hours, with no steady state,
had been reported as a whole interval's wait where customers waited 9-14 minutes.)

Here the number of customers in the system is a birth-death process (Poisson arrivals at the
interval's rate, exponential handling, ``servers`` of them, exponential patience), its
distribution carried over interval boundaries and found within each interval by
uniformization. An interval whose carried distribution is its own steady state (within
:data:`_SETTLED` in total variation) keeps its steady-state figures and passes that state on;
a closed interval empties the queue; the horizon starts at the first interval's steady state.

Per interval, with ``P`` the time-average distribution over the interval (arrivals see it:
Poisson arrivals see time averages): the service level is the share of arrivals answered
within ``within`` seconds (an arrival finding ``n >= c`` in the system waits for
``n - c + 1`` completions at rate ``c / aht``, racing its own patience; those ahead are taken
not to abandon); the mean wait is the mean queue over the interval divided by the arrival rate
(Little's law, abandoners included); the abandon rate is the abandonment rate over the arrival
rate. A queue still served in an open interval without arrivals is the wait of the customers
before it. With whole agents, where the interval has a steady state, the steady-state figures
(exact Erlang C or A) are moved by the difference the carried queue makes to this chain's own
figures; with shrinkage (partly available agents) the chain's figures are used throughout.
Against a simulation of the sample store's week (400 runs): tills 68.5% / 378 s against
69.8 +- 0.3% / 373 +- 4 s, counter 68.2% / 382 s against 70.0 +- 0.4% / 401 +- 9 s, the phone
(10% shrinkage, each advisor available at random) 91.6% answered in 20 s and 5.1% abandoning
against 91.0% and 5.05%; the contact center's calls within 0.3 points and 0.5 s. Not modelled:
when fewer people come on duty, calls in progress go back to the queue in the chain, where
real agents finish them (a full team leaving for half an hour: service level 0.48 against 0.52
simulated).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from scipy import stats

__all__ = ["carried_queues"]

Float = NDArray[np.float64]

_SETTLED = 0.01  # total variation distance within which the carried queue is the steady state
_MAX_STATES = 2_000  # customers in the system at most; beyond, the steady figures stand
_MAX_WORK = 3e8  # uniformization steps x states over the week at most (a few seconds)
_DENSE = 300  # states below which a dense step matrix is the faster


def carried_queues(
    volume: Float,
    servers: Float,
    seconds: float,
    aht: float,
    within: float,
    patience: float | None,
    is_open: NDArray[np.bool_],
    steady: dict[str, Float],
    *,
    exact: bool = True,
) -> dict[str, Float]:
    """Service level, mean wait (s) and abandon rate per interval, queues carried over.

    Parameters
    ----------
    volume : ndarray
        Arrivals per interval (contacts).
    servers : ndarray
        Servers per interval (agents available x concurrency; fractional values are a partly
        available agent).
    seconds : float
        Interval length, seconds.
    aht, within : float
        Mean handling time and the service-level threshold, seconds.
    patience : float or None
        Mean patience, seconds (None: nobody abandons).
    is_open : ndarray of bool
        Open intervals; a closed one empties the queue.
    steady : dict
        The per-interval steady-state ``service_level``, ``average_wait_seconds`` and
        ``abandon_rate`` (Erlang C or A at these servers).
    exact : bool
        Whether ``steady`` is exact for ``servers`` (whole agents): it is then kept where the
        carried queue is the steady state, and moved by the difference the carried queue makes
        elsewhere. Otherwise (partly available agents: shrinkage) this chain's own figures are
        used throughout, so that they stay consistent (more agents never wait longer) and do
        not depend on the interval's length; ``steady`` then serves only weeks whose queue
        would run to thousands.

    Returns
    -------
    dict
        The same three arrays, with the stretches' intervals replaced.
    """
    volume = np.asarray(volume, dtype=float)
    servers = np.maximum(np.asarray(servers, dtype=float), 0.0)
    is_open = np.asarray(is_open, dtype=bool)
    out = {k: np.array(v, dtype=float) for k, v in steady.items()}
    rate = volume / seconds  # arrivals per second
    mu = 1.0 / aht
    theta = 0.0 if patience is None else 1.0 / patience
    states = _states(rate, servers, mu, theta, seconds, is_open)
    fastest = rate + servers * mu + theta * states  # each interval's uniformization rate, at most
    work = float(np.sum(np.where(is_open, fastest * seconds, 0.0))) * states
    if states > _MAX_STATES or work > _MAX_WORK:
        # A queue of thousands (a week staffed for a tenth of its traffic): the steady figures
        # already say it fails (service level 0, waits of the whole interval).
        return out
    n = np.arange(states + 1, dtype=float)
    p: Float | None = None
    last = -1  # the last interval with arrivals: a queue served later is its customers' wait
    for t in range(volume.size):
        if not is_open[t]:
            p = None  # closing empties the queue
            continue
        settled = _stationary(rate[t], servers[t], mu, theta, n)
        if p is None:
            p = _start(rate, servers, mu, theta, t, is_open, n)
        if settled is not None and 0.5 * float(np.abs(p - settled).sum()) < _SETTLED:
            p = settled  # at its steady state: the steady figures stand
            if not exact and rate[t] > 0:
                for key, value in _measures(p, rate[t], servers[t], mu, theta, within, n).items():
                    out[key][t] = value
            last = t if rate[t] > 0 else last
            continue
        p, average = _interval(p, rate[t], servers[t], mu, theta, seconds, n)
        if rate[t] <= 0:
            # No arrivals, but a queue still served: its time is the wait of the customers
            # who arrived before (Little's law over the week; it had been counted nowhere).
            waiting = float(average @ np.maximum(n - servers[t], 0.0)) * seconds
            if last >= 0 and waiting > 0:
                out["average_wait_seconds"][last] += waiting / volume[last]
                out["abandon_rate"][last] = min(
                    1.0, out["abandon_rate"][last] + theta * waiting / volume[last]
                )
            continue
        last = t
        carried = _measures(average, rate[t], servers[t], mu, theta, within, n)
        if settled is None or not exact:  # the carried queue's own figures
            for key, value in carried.items():
                out[key][t] = value
            continue
        # The steady figures (whole agents, exact Erlang A) moved by what the carried queue
        # changes in this chain's own figures (partly available agents; an arrival's answer
        # within the threshold ignores those ahead abandoning).
        alone = _measures(settled, rate[t], servers[t], mu, theta, within, n)
        for key, value in carried.items():
            moved = out[key][t] + value - alone[key]
            out[key][t] = (
                max(0.0, min(1.0, moved)) if key != "average_wait_seconds" else max(0.0, moved)
            )
    return out


def _measures(
    p: Float, rate: float, servers: float, mu: float, theta: float, within: float, n: Float
) -> dict[str, float]:
    """Service level, mean wait (s) and abandon rate of arrivals that see the distribution
    ``p`` of the number in the system."""
    waiting = float(p @ np.maximum(n - servers, 0.0))  # mean queue
    return {
        "service_level": float(p @ _answered(n, servers, mu, theta, within)),
        "average_wait_seconds": waiting / rate,
        "abandon_rate": theta * waiting / rate,
    }


def _states(
    rate: Float, servers: Float, mu: float, theta: float, seconds: float, is_open: NDArray[np.bool_]
) -> int:
    """Customers the chain is truncated at: the most servers plus the largest fluid backlog
    (or, with abandonment, the queue that patience bounds) and room for its noise."""
    backlog, worst = 0.0, 0.0
    for t in range(rate.size):
        net = (rate[t] - servers[t] * mu) * seconds
        backlog = max(0.0, backlog + net) if is_open[t] else 0.0
        worst = max(worst, backlog)
    peak = float(rate.max(initial=0.0))
    if theta > 0:
        worst = min(worst, peak / theta)
    per_interval = peak * seconds
    return int(math.ceil(servers.max(initial=0.0) + worst + 6 * math.sqrt(per_interval + 1) + 20))


def _start(
    rate: Float,
    servers: Float,
    mu: float,
    theta: float,
    t: int,
    is_open: NDArray[np.bool_],
    n: Float,
) -> Float:
    """The distribution an interval starts from when nothing is carried into it: an empty
    system after a closed interval, else (at the horizon's start, unknown) its own steady
    state, or empty if it has none."""
    if t == 0 or is_open[t - 1]:
        settled = _stationary(rate[t], servers[t], mu, theta, n)
        if settled is not None:
            return settled
    p = np.zeros(n.size)
    p[0] = 1.0
    return p


def _rates(rate: float, servers: float, mu: float, theta: float, n: Float) -> tuple[Float, Float]:
    up = np.full(n.size, rate)
    up[-1] = 0.0  # truncated: the last state takes no more arrivals
    down = np.minimum(n, servers) * mu + np.maximum(n - servers, 0.0) * theta
    return up, down


def _stationary(rate: float, servers: float, mu: float, theta: float, n: Float) -> Float | None:
    """The steady state of the truncated chain, or None if the untruncated one has none."""
    if theta == 0 and rate >= servers * mu:
        return None
    up, down = _rates(rate, servers, mu, theta, n)
    with np.errstate(divide="ignore"):
        log_ratio = np.log(np.maximum(up[:-1], 1e-300)) - np.log(np.maximum(down[1:], 1e-300))
    log_p = np.concatenate([[0.0], np.cumsum(log_ratio)])
    p = np.exp(log_p - log_p.max())
    return p / p.sum()


def _interval(
    p: Float, rate: float, servers: float, mu: float, theta: float, seconds: float, n: Float
) -> tuple[Float, Float]:
    """The distribution at the interval's end and its time average over the interval
    (uniformization, Poisson weights to 1e-12).

    The chain is cut, for this interval, where the distribution cannot reach with any weight
    (its support now plus the interval's arrivals and ten standard deviations of them): fewer
    states and a smaller uniformization rate than the whole truncation's.
    """
    support = int(np.flatnonzero(p > 1e-15).max(initial=0))
    arrivals = rate * seconds
    top = min(n.size - 1, support + int(arrivals + 10 * math.sqrt(arrivals) + 10))
    m = n[: top + 1]
    up, down = _rates(rate, servers, mu, theta, m)
    total = float((up + down).max())
    if total <= 0:
        return p, p.copy()
    up, down = up / total, down / total
    stay = 1.0 - up - down
    mean = total * seconds
    steps = int(stats.poisson.isf(1e-12, mean)) + 2
    k = np.arange(steps)
    seen = np.empty((steps, top + 1))  # the distribution after each uniformization step
    seen[0] = p[: top + 1]
    if top < _DENSE:  # one matrix product a step
        step = np.diag(stay)
        step[np.arange(top), np.arange(1, top + 1)] = up[:-1]
        step[np.arange(1, top + 1), np.arange(top)] = down[1:]
        for i in range(1, steps):
            seen[i] = seen[i - 1] @ step
    else:  # three slices a step
        for i in range(1, steps):
            q, nxt = seen[i - 1], seen[i]
            np.multiply(q, stay, out=nxt)
            nxt[1:] += q[:-1] * up[:-1]
            nxt[:-1] += q[1:] * down[1:]
    end = np.zeros(n.size)
    average = np.zeros(n.size)
    end[: top + 1] = stats.poisson.pmf(k, mean) @ seen
    average[: top + 1] = (stats.poisson.sf(k, mean) / mean) @ seen  # time after step k
    return end / end.sum(), average / average.sum()


def _answered(n: Float, servers: float, mu: float, theta: float, within: float) -> Float:
    """P(answered within ``within`` s) of an arrival that finds ``n`` in the system.

    A partly available agent (``servers`` not whole) is free for the arrival with the
    fractional part's probability: the servers free are then ``floor(servers) + 1``, else
    ``floor(servers)``; with ``s`` free servers an arrival finding ``n >= s`` waits for
    ``n - s + 1`` completions at rate ``servers / aht``, racing its own patience.
    """
    low = math.floor(servers + 1e-9)
    frac = servers - low
    speed = servers * mu

    def with_free(free: int) -> Float:
        ahead = np.maximum(n - free + 1, 1.0)  # completions it waits for, when it waits
        if speed <= 0:
            waited = np.zeros_like(n)
        else:
            race = (speed / (speed + theta)) ** ahead  # served before its patience runs out
            waited = race * stats.gamma.cdf(within, ahead, scale=1.0 / (speed + theta))
        return np.where(n < free, 1.0, waited)

    out = with_free(low)
    if frac > 1e-9:
        out = (1 - frac) * out + frac * with_free(low + 1)
    return out
