"""Queueing formulas: Erlang B, Erlang C and Erlang A (M/M/n+M), numpy-vectorized.

Units: times in seconds, arrival rates in contacts per hour, traffic in Erlangs (arrival rate x
handling time), agents as head-counts (fractional values use the standard continuous extension of
Erlang B through the incomplete gamma function). Every function broadcasts scalars and arrays.

Erlang B is computed from the regularized incomplete gamma function in log space (no factorials,
no loop over agents), which is also the continuous extension for fractional agents. Erlang A is
evaluated in closed form through regularized incomplete gamma functions (the virtual-waiting-time
density of M/M/n+G, Baccelli & Hebuterne 1981; Zeltyn & Mandelbaum 2005), in log space, so
targets of an hour and 10,000 agents stay accurate where a direct ``exp(-rate * t)`` product
underflows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

__all__ = [
    "ErlangAResult",
    "Measures",
    "RequiredAgents",
    "average_speed_of_answer",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "measures",
    "required_agents",
    "service_level",
]

Float = NDArray[np.float64]


def erlang_b(traffic: ArrayLike, agents: ArrayLike) -> Float:
    """Blocking probability of an M/M/n/n loss system (Erlang B).

    Parameters
    ----------
    traffic : array_like
        Offered traffic, Erlangs (>= 0).
    agents : array_like
        Servers (>= 0; fractional values use the continuous extension).

    Returns
    -------
    ndarray
        Probability that an arrival finds all servers busy, in [0, 1].

    Notes
    -----
    ``B(A, x) = A^x e^-A / Gamma(x + 1, A)`` (upper incomplete gamma), evaluated in log space; it
    equals the classical ``(A^n / n!) / sum_k A^k / k!`` for whole ``n`` and is the standard
    continuous extension otherwise. Where the regularized incomplete gamma underflows (offered
    traffic far above the servers, ``n << A``) the fluid limit ``1 - n / A`` is used.
    """
    a, n = np.broadcast_arrays(np.asarray(traffic, float), np.asarray(agents, float))
    n = np.maximum(n, 0.0)
    safe_a = np.maximum(a, 1e-300)
    q = special.gammaincc(n + 1.0, safe_a)
    with np.errstate(divide="ignore"):
        log_b = n * np.log(safe_a) - safe_a - special.gammaln(n + 1.0) - np.log(q)
    b = np.where(q > 1e-280, np.exp(np.minimum(log_b, 0.0)), np.clip(1.0 - n / safe_a, 0.0, 1.0))
    return np.where(a <= 0, np.where(n > 0, 0.0, 1.0), b)


def erlang_c(traffic: ArrayLike, agents: ArrayLike) -> Float:
    """Probability that a contact waits in an M/M/n queue (Erlang C).

    1.0 when ``agents <= traffic`` (the queue is unstable), never above 1.
    """
    a, n = np.broadcast_arrays(np.asarray(traffic, float), np.asarray(agents, float))
    b = erlang_b(a, n)
    stable = n > a
    with np.errstate(divide="ignore", invalid="ignore"):
        c = n * b / (n - a * (1.0 - b))
    return np.where(stable, np.clip(c, 0.0, 1.0), 1.0)


def service_level(
    traffic: ArrayLike, agents: ArrayLike, aht: ArrayLike, target: ArrayLike
) -> Float:
    """Fraction answered within ``target`` seconds in an M/M/n queue (Erlang C).

    ``1 - C(n, A) exp(-(n - A) target / aht)``; 0 when ``agents <= traffic``.
    """
    a, n, h, t = np.broadcast_arrays(
        *(np.asarray(v, float) for v in (traffic, agents, aht, target))
    )
    c = erlang_c(a, n)
    stable = n > a
    sl = 1.0 - c * np.exp(-np.where(stable, n - a, 0.0) * t / h)
    return np.where(stable, sl, 0.0)


def average_speed_of_answer(traffic: ArrayLike, agents: ArrayLike, aht: ArrayLike) -> Float:
    """Mean wait in seconds of an M/M/n queue, ``C aht / (n - A)`` (inf when agents <= traffic)."""
    a, n, h = np.broadcast_arrays(*(np.asarray(v, float) for v in (traffic, agents, aht)))
    c = erlang_c(a, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = c * h / (n - a)
    return np.where(n > a, asa, np.inf)


@dataclass(frozen=True, kw_only=True, slots=True)
class ErlangAResult:
    """Steady-state measures of an M/M/n+M queue (Erlang A), per interval.

    Attributes
    ----------
    p_wait : ndarray
        Probability that an arrival waits (finds all agents busy).
    service_level : ndarray
        Fraction of all arrivals answered within the target.
    service_level_answered : ndarray
        Fraction of answered contacts answered within the target.
    asa : ndarray
        Mean time in queue over all arrivals (until answered or abandoned), seconds.
    abandon_rate : ndarray
        Fraction of arrivals that abandon.
    occupancy : ndarray
        Fraction of agent time busy with contacts.
    """

    p_wait: Float
    service_level: Float
    service_level_answered: Float
    asa: Float
    abandon_rate: Float
    occupancy: Float


def erlang_a(
    arrival_rate: ArrayLike,
    aht: ArrayLike,
    patience: ArrayLike,
    agents: ArrayLike,
    target: ArrayLike,
) -> ErlangAResult:
    """Exact measures of the M/M/n+M queue (Erlang A).

    Parameters
    ----------
    arrival_rate : array_like
        Contacts per hour.
    aht : array_like
        Average handling time, seconds.
    patience : array_like
        Mean customer patience (exponential), seconds.
    agents : array_like
        Whole number of agents (>= 1).
    target : array_like
        Service-level threshold, seconds.

    Notes
    -----
    With ``g(x) = lam (1 - exp(-theta x)) / theta - n mu x`` the virtual waiting time has density
    ``p lam exp(g(x))`` for ``x > 0`` and mass ``p E`` at zero, ``E = 1 / B(A, n - 1)``. The
    integrals of ``exp(g)`` and ``exp(g - theta x)`` reduce to regularized lower incomplete gamma
    functions ``P(s, a)`` with ``s = n mu / theta`` and ``a = lam / theta``. Where ``P(s, a)``
    underflows (patience beyond a few hundred handling times, a stable queue) the Erlang C limit
    is returned, which agrees to the precision shown in the tests.
    """
    lam, h, pat, n, t = np.broadcast_arrays(
        *(np.asarray(v, float) for v in (arrival_rate, aht, patience, agents, target))
    )
    lam = lam / 3600.0  # per second
    mu = 1.0 / h
    theta = 1.0 / pat
    n = np.maximum(np.round(n), 1.0)
    traffic = lam / mu
    s = n * mu / theta
    a = np.maximum(lam / theta, 1e-300)
    u_t = a * np.exp(-theta * t)
    # log prefactor of J: Gamma(s) e^a a^-s / theta
    log_pref = special.gammaln(s) + a - s * np.log(a) - np.log(theta)
    log_e = -np.log(np.maximum(erlang_b(traffic, n - 1.0), 1e-300))
    p_all = special.gammainc(s, a)
    p1_all = special.gammainc(s + 1.0, a)
    p1_t = special.gammainc(s + 1.0, u_t)
    ratio = s / a  # the prefactor of the e^(-theta x) integral over that of J
    log_lam = np.log(np.maximum(lam, 1e-300))
    with np.errstate(divide="ignore"):
        log_j = log_lam + log_pref + np.log(p_all)
        log_k_inf = log_lam + log_pref + np.log(ratio) + np.log(p1_all)
        log_k_t = log_lam + log_pref + np.log(ratio) + np.log(np.maximum(p1_all - p1_t, 0.0))
    log_d = np.logaddexp(log_e, log_j)
    p_wait = np.exp(log_j - log_d)
    answered_within = np.exp(log_e - log_d) + np.exp(log_k_t - log_d)
    served_waiting = np.exp(log_k_inf - log_d)
    abandon = np.clip(p_wait - served_waiting, 0.0, 1.0)
    # Patience of more than a few hundred handling times: P(s, a) underflows, and the queue is
    # Erlang C to double precision; return the Erlang C limit there.
    limit = (p_all < 1e-300) & (n > traffic)
    if limit.any():
        c = erlang_c(traffic, n)
        p_wait = np.where(limit, c, p_wait)
        answered_within = np.where(limit, service_level(traffic, n, h, t), answered_within)
        abandon = np.where(limit, 0.0, abandon)
    served = np.maximum(1.0 - abandon, 1e-300)
    zero = lam <= 0
    return ErlangAResult(
        p_wait=np.where(zero, 0.0, p_wait),
        service_level=np.where(zero, 1.0, np.clip(answered_within, 0.0, 1.0)),
        service_level_answered=np.where(zero, 1.0, np.clip(answered_within / served, 0.0, 1.0)),
        asa=np.where(
            zero,
            0.0,
            np.where(
                limit,
                average_speed_of_answer(traffic, np.maximum(n, traffic + 1), h),
                abandon / theta,
            ),
        ),
        abandon_rate=np.where(zero, 0.0, abandon),
        occupancy=np.where(zero, 0.0, np.clip(traffic * (1.0 - abandon) / n, 0.0, 1.0)),
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class RequiredAgents:
    """The smallest head-count meeting every target, per interval, and the metrics there.

    ``binding`` names the target that needed the most agents (``"service_level"``,
    ``"max_asa"``, ``"max_abandon"``, ``"max_occupancy"``, ``"stability"``), or ``"none"`` when
    there is no traffic.
    """

    agents: NDArray[np.int64]
    binding: NDArray[np.str_]
    service_level: Float
    asa: Float
    abandon_rate: Float
    occupancy: Float


@dataclass(frozen=True, kw_only=True, slots=True)
class Measures:
    """Service measures per interval at a given head-count (seconds, fractions)."""

    service_level: Float
    asa: Float
    abandon_rate: Float
    occupancy: Float


def measures(
    traffic: ArrayLike,
    agents: ArrayLike,
    aht: ArrayLike,
    target: ArrayLike,
    patience: ArrayLike | None = None,
) -> Measures:
    """Service level within ``target`` s, mean wait (s), abandon rate and occupancy.

    Erlang A when ``patience`` (seconds) is given, else Erlang C, where an overloaded interval
    (``agents <= traffic``) has service level 0, infinite wait and occupancy 1. Zero traffic
    gives service level 1 and no wait.
    """
    a, n, h, t = np.broadcast_arrays(
        *(np.asarray(v, float) for v in (traffic, agents, aht, target))
    )
    zero = a <= 0
    if patience is not None:
        r = erlang_a(a * 3600.0 / h, h, patience, np.maximum(n, 1.0), t)
        sl, asa, ab, occ = r.service_level, r.asa, r.abandon_rate, r.occupancy
        sl = np.where(n >= 1, sl, 0.0)
    else:
        stable = n > a
        safe = np.where(stable, n, a + 1.0)
        sl = np.where(stable, service_level(a, safe, h, t), 0.0)
        asa = np.where(stable, average_speed_of_answer(a, safe, h), np.inf)
        ab = np.zeros_like(a)
        occ = np.where(stable, a / np.maximum(n, 1e-300), 1.0)
    return Measures(
        service_level=np.where(zero, 1.0, sl),
        asa=np.where(zero, 0.0, asa),
        abandon_rate=np.where(zero, 0.0, ab),
        occupancy=np.where(zero, 0.0, occ),
    )


def required_agents(
    traffic: ArrayLike,
    aht: ArrayLike,
    *,
    service_level_target: float | None = None,
    within: float = 20.0,
    max_asa: float | None = None,
    max_abandon: float | None = None,
    max_occupancy: float | None = None,
    patience: float | None = None,
) -> RequiredAgents:
    """Smallest whole number of agents meeting all given targets at once, per interval.

    Parameters
    ----------
    traffic : array_like
        Offered traffic per interval, Erlangs.
    aht : array_like
        Average handling time, seconds.
    service_level_target : float, optional
        Fraction to answer within ``within`` seconds (of all arrivals under Erlang A).
    within : float
        Service-level threshold, seconds.
    max_asa : float, optional
        Maximum mean wait, seconds.
    max_abandon : float, optional
        Maximum fraction abandoning (needs ``patience``).
    max_occupancy : float, optional
        Maximum agent occupancy.
    patience : float, optional
        Mean patience, seconds: use Erlang A instead of Erlang C.

    Notes
    -----
    A vectorized bisection on the head-count (every measure is monotone in agents). Without
    patience the queue must also be stable (``agents > traffic``).
    """
    a, h = np.broadcast_arrays(np.asarray(traffic, float), np.asarray(aht, float))
    a = a.ravel()
    h = h.ravel()
    t = np.full_like(a, within)
    pat = None if patience is None else np.full_like(a, patience)

    def checks(n: Float) -> dict[str, NDArray[np.bool_]]:
        m = measures(a, n, h, t, pat)
        sl, asa, ab, occ = m.service_level, m.asa, m.abandon_rate, m.occupancy
        out = {"stability": (n > a) if pat is None else np.ones_like(a, dtype=bool)}
        if service_level_target is not None:
            out["service_level"] = sl >= service_level_target - 1e-12
        if max_asa is not None:
            out["max_asa"] = asa <= max_asa + 1e-12
        if max_abandon is not None:
            out["max_abandon"] = ab <= max_abandon + 1e-12
        if max_occupancy is not None:
            out["max_occupancy"] = occ <= max_occupancy + 1e-12
        return out

    def ok(n: Float) -> NDArray[np.bool_]:
        return np.logical_and.reduce(list(checks(n).values()))

    lo = np.zeros_like(a)  # known to fail (or zero traffic)
    hi = np.ceil(a + 6.0 * np.sqrt(a) + 10.0)
    while not ok(hi).all():
        hi = np.where(ok(hi), hi, hi * 2 + 10)
    while np.any(hi - lo > 1):
        mid = np.floor((lo + hi) / 2)
        good = ok(mid)
        hi = np.where(good, mid, hi)
        lo = np.where(good, lo, mid)
    n = np.where(a > 0, hi, 0.0)
    binding = np.full(a.shape, "none", dtype=object)
    below = np.maximum(n - 1, 0)
    failed = checks(below)
    failed["stability"] = failed.pop("stability")  # a user's target names the binding first
    for name, passed in failed.items():
        binding = np.where((a > 0) & ~passed & (binding == "none"), name, binding)
    m = measures(a, np.maximum(n, 1e-9), h, t, pat)
    return RequiredAgents(
        agents=n.astype(np.int64),
        binding=binding.astype(str),
        service_level=m.service_level,
        asa=m.asa,
        abandon_rate=m.abandon_rate,
        occupancy=m.occupancy,
    )
