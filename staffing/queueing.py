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

from staffing.model import DEFAULT_ANSWER_WITHIN_SECONDS

__all__ = [
    "MAX_AGENTS",
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
        Fraction of answered contacts answered within the target (NaN when none is answered:
        no agent on duty).
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
        Contacts per hour (>= 0).
    aht : array_like
        Average handling time, seconds (> 0).
    patience : array_like
        Mean customer patience (exponential), seconds, in ``[0, inf]``. ``0``: a caller who
        finds every agent busy hangs up at once (the Erlang B loss system); ``inf``: nobody
        hangs up (Erlang C, with the overload convention of :func:`measures` when
        ``agents <= traffic``).
    agents : array_like
        Agents (>= 0), rounded to whole agents. With no agent every caller waits until they
        hang up: abandon rate 1, mean wait = the mean patience, service level 0, occupancy 0.
    target : array_like
        Service-level threshold, seconds.

    Returns
    -------
    ErlangAResult
        The measures per element of the broadcast inputs; ``service_level_answered`` is NaN
        where no contact is answered (no agent, traffic above zero).

    Raises
    ------
    ValueError
        If a patience is negative or NaN, or a head-count is negative or NaN.

    Notes
    -----
    With ``g(x) = lam (1 - exp(-theta x)) / theta - n mu x`` the virtual waiting time has density
    ``p lam exp(g(x))`` for ``x > 0`` and mass ``p E`` at zero, ``E = 1 / B(A, n - 1)``. The
    integrals of ``exp(g)`` and ``exp(g - theta x)`` reduce to regularized lower incomplete gamma
    functions ``P(s, a)`` with ``s = n mu / theta`` and ``a = lam / theta``. Where ``P(s, a)``
    underflows (patience beyond a few hundred handling times, a stable queue) the Erlang C limit
    is returned, which agrees to the precision shown in the tests. The mean wait of all arrivals
    is ``abandon rate x patience`` (each waiting caller hangs up at rate ``1 / patience``).
    """
    lam, h, pat, n_in, t = np.broadcast_arrays(
        *(np.asarray(v, float) for v in (arrival_rate, aht, patience, agents, target))
    )
    if not np.all(pat >= 0):  # NaN too
        bad = float(pat[~(pat >= 0)].ravel()[0])
        raise ValueError(
            f"erlang_a: patience {bad!r} s is not a mean patience; expected seconds from 0 "
            "(hang up at once) to inf (never hang up)"
        )
    if not np.all(n_in >= 0):
        bad = float(n_in[~(n_in >= 0)].ravel()[0])
        raise ValueError(f"erlang_a: agents {bad!r} is not a head-count; expected 0 or more")
    lam = lam / 3600.0  # per second
    mu = 1.0 / h
    traffic = lam / mu
    whole = np.round(n_in)
    none = whole < 1  # no agent: handled at the end
    loss = pat <= 0  # patience 0: Erlang B
    patient = np.isinf(pat)  # patience inf: Erlang C
    n = np.maximum(whole, 1.0)
    theta = 1.0 / np.where(loss | patient, 1.0, pat)  # the general formula on finite patience
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
    asa = abandon / theta
    # Patience of more than a few hundred handling times: P(s, a) underflows, and the queue is
    # Erlang C to double precision; return the Erlang C limit there, and for infinite patience.
    limit = ((p_all < 1e-300) & (n > traffic)) | patient
    if limit.any():
        p_wait = np.where(limit, erlang_c(traffic, n), p_wait)
        answered_within = np.where(limit, service_level(traffic, n, h, t), answered_within)
        abandon = np.where(limit, 0.0, abandon)
        asa = np.where(limit, average_speed_of_answer(traffic, n, h), asa)
    if loss.any():  # those who find every agent busy leave at once, the others never wait
        blocked = erlang_b(traffic, n)
        p_wait = np.where(loss, blocked, p_wait)
        answered_within = np.where(loss, 1.0 - blocked, answered_within)
        abandon = np.where(loss, blocked, abandon)
        asa = np.where(loss, 0.0, asa)
    answered_within = np.clip(answered_within, 0.0, 1.0)
    served = 1.0 - abandon
    answered_share = np.clip(answered_within / np.maximum(served, 1e-300), 0.0, 1.0)
    occupancy = np.clip(traffic * served / n, 0.0, 1.0)
    overloaded = patient & (n <= traffic)  # no steady state: the queue grows without end
    occupancy = np.where(overloaded, 1.0, occupancy)
    answered_share = np.where(overloaded, 0.0, answered_share)
    # No agent: every caller waits until they hang up (forever with infinite patience).
    p_wait = np.where(none, 1.0, p_wait)
    answered_within = np.where(none, 0.0, answered_within)
    answered_share = np.where(none, np.nan, answered_share)
    asa = np.where(none, pat, asa)
    abandon = np.where(none, np.where(patient, 0.0, 1.0), abandon)
    occupancy = np.where(none, 0.0, occupancy)
    zero = lam <= 0
    return ErlangAResult(
        p_wait=np.where(zero, 0.0, p_wait),
        service_level=np.where(zero, 1.0, answered_within),
        service_level_answered=np.where(zero, 1.0, answered_share),
        asa=np.where(zero, 0.0, asa),
        abandon_rate=np.where(zero, 0.0, abandon),
        occupancy=np.where(zero, 0.0, occupancy),
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class RequiredAgents:
    """The smallest head-count meeting every target, per interval, and the metrics there.

    ``binding`` names the target that needed the most agents (``"service_level"``,
    ``"max_asa"``, ``"max_abandon"``, ``"max_occupancy"``, ``"stability"``: more agents than
    Erlangs of traffic under Erlang C, at least one agent under Erlang A), or ``"none"`` when
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
    """Service level, mean wait, abandon rate and occupancy at a given head-count.

    Parameters
    ----------
    traffic : array_like
        Offered traffic, Erlangs.
    agents : array_like
        Agents on duty (>= 0). Erlang A rounds them to whole agents.
    aht : array_like
        Average handling time, seconds.
    target : array_like
        Service-level threshold, seconds.
    patience : array_like, optional
        Mean patience, seconds (see :func:`erlang_a`); None for Erlang C (nobody abandons).

    Returns
    -------
    Measures
        ``service_level``: fraction of all arrivals answered within ``target`` seconds;
        ``asa``: mean wait of all arrivals, seconds; ``abandon_rate`` and ``occupancy``:
        fractions.

    Notes
    -----
    Zero traffic gives service level 1, no wait, no abandonment and occupancy 0. Under Erlang C
    an overloaded interval (``agents <= traffic``, no agent included) has no steady state: its
    service level is 0 and its wait infinite; its occupancy is 1, or 0 with no agent. Under
    Erlang A with no agent every caller waits until hanging up: abandon rate 1, mean wait = the
    mean patience, service level 0, occupancy 0.
    """
    a, n, h, t = np.broadcast_arrays(
        *(np.asarray(v, float) for v in (traffic, agents, aht, target))
    )
    zero = a <= 0
    if patience is not None:
        r = erlang_a(a * 3600.0 / h, h, patience, n, t)
        sl, asa, ab, occ = r.service_level, r.asa, r.abandon_rate, r.occupancy
    else:
        stable = n > a
        safe = np.where(stable, n, a + 1.0)
        sl = np.where(stable, service_level(a, safe, h, t), 0.0)
        asa = np.where(stable, average_speed_of_answer(a, safe, h), np.inf)
        ab = np.zeros_like(a)
        occ = np.where(stable, a / np.maximum(n, 1e-300), np.where(n > 0, 1.0, 0.0))
    return Measures(
        service_level=np.where(zero, 1.0, sl),
        asa=np.where(zero, 0.0, asa),
        abandon_rate=np.where(zero, 0.0, ab),
        occupancy=np.where(zero, 0.0, occ),
    )


#: The search for a head-count stops here for occupancy targets (unless the traffic itself
#: needs more agents): a tiny occupancy target would otherwise ask for millions of agents.
MAX_AGENTS = 100_000


def required_agents(
    traffic: ArrayLike,
    aht: ArrayLike,
    *,
    service_level_target: float | None = None,
    within: float = DEFAULT_ANSWER_WITHIN_SECONDS,
    max_asa: float | None = None,
    max_abandon: float | None = None,
    max_occupancy: float | None = None,
    patience: float | None = None,
) -> RequiredAgents:
    """Smallest whole number of agents meeting all given targets at once, per interval.

    Parameters
    ----------
    traffic : array_like
        Offered traffic per interval, Erlangs (finite, >= 0).
    aht : array_like
        Average handling time, seconds (finite, > 0).
    service_level_target : float, optional
        Fraction in [0, 1] to answer within ``within`` seconds (of all arrivals under Erlang A).
    within : float
        Service-level threshold, seconds (>= 0); by default
        :data:`~staffing.model.DEFAULT_ANSWER_WITHIN_SECONDS`.
    max_asa : float, optional
        Maximum mean wait, seconds (>= 0).
    max_abandon : float, optional
        Maximum fraction abandoning, in [0, 1]. Without ``patience`` nobody abandons (Erlang C),
        so the target is always met.
    max_occupancy : float, optional
        Maximum agent occupancy, in (0, 1].
    patience : float, optional
        Mean patience, seconds, in [0, inf]: use Erlang A instead of Erlang C (``inf`` is
        Erlang C; ``0`` is Erlang B, callers who find every agent busy hang up at once).

    Returns
    -------
    RequiredAgents
        The head-count per interval (0 without traffic), the binding target and the measures
        there (service level within ``within`` seconds).

    Raises
    ------
    ValueError
        If an argument is out of the ranges above, or no head-count up to the search's cap
        meets every target (the message names the interval, its traffic and the targets
        missed). The cap is ``traffic + 20 sqrt(traffic) + 100`` agents, far above what any
        target in range needs, or ``traffic / max_occupancy`` with an occupancy target, but
        never above :data:`MAX_AGENTS` unless the first bound is larger.

    Notes
    -----
    A vectorized bisection on the head-count (every measure is monotone in agents). Without
    patience the queue must also be stable (``agents > traffic``); with it, at least one agent
    must answer.
    """
    a, h = np.broadcast_arrays(np.asarray(traffic, float), np.asarray(aht, float))
    a = a.ravel()
    h = h.ravel()
    bad_a = a[~((a >= 0) & np.isfinite(a))]
    bad_h = h[~((h > 0) & np.isfinite(h))]
    target = service_level_target
    for name, value, in_range, expected in (
        ("traffic", bad_a[0] if bad_a.size else None, False, "a finite number of Erlangs from 0"),
        ("aht", bad_h[0] if bad_h.size else None, False, "finite seconds above 0"),
        (
            "service_level_target",
            target,
            target is None or 0 <= target <= 1,
            "a fraction in [0, 1]",
        ),
        ("within", within, within >= 0, "seconds from 0"),
        ("max_asa", max_asa, max_asa is None or max_asa >= 0, "seconds from 0"),
        (
            "max_abandon",
            max_abandon,
            max_abandon is None or 0 <= max_abandon <= 1,
            "a fraction in [0, 1]",
        ),
        (
            "max_occupancy",
            max_occupancy,
            max_occupancy is None or 0 < max_occupancy <= 1,
            "a fraction in (0, 1]",
        ),
        ("patience", patience, patience is None or patience >= 0, "seconds from 0 to inf"),
    ):
        if value is not None and not in_range:
            raise ValueError(
                f"required_agents: {name} {float(value)!r} is out of range; expected {expected}"
            )
    if patience is not None and np.isinf(patience):
        patience = None  # nobody ever abandons: Erlang C
    t = np.full_like(a, within)
    pat = None if patience is None else np.full_like(a, patience)

    def checks(n: Float) -> dict[str, NDArray[np.bool_]]:
        m = measures(a, n, h, t, pat)
        sl, asa, ab, occ = m.service_level, m.asa, m.abandon_rate, m.occupancy
        out = {"stability": (n > a) if pat is None else (n >= 1) | (a <= 0)}
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

    cap = np.ceil(a + 20.0 * np.sqrt(a) + 100.0)
    if max_occupancy is not None:
        with np.errstate(over="ignore"):  # a tiny target: the bound below is MAX_AGENTS
            cap = np.maximum(cap, np.minimum(np.ceil(a / max_occupancy) + 1.0, MAX_AGENTS))
    lo = np.zeros_like(a)  # known to fail (or zero traffic)
    hi = np.minimum(np.ceil(a + 6.0 * np.sqrt(a) + 10.0), cap)
    good = ok(hi)
    while not good.all():
        stuck = ~good & (hi >= cap)
        if stuck.any():
            i = int(np.flatnonzero(stuck)[0])
            missed = [name for name, passed in checks(hi).items() if not passed[i]]
            given = {
                "service_level": f"service level {service_level_target} within {within:g} s",
                "max_asa": f"mean wait <= {max_asa} s",
                "max_abandon": f"abandon rate <= {max_abandon}",
                "max_occupancy": f"occupancy <= {max_occupancy}",
                "stability": "at least one agent"
                if pat is not None
                else "a stable queue (more agents than Erlangs of traffic)",
            }
            raise ValueError(
                f"required_agents: no head-count up to {int(cap[i])} agents meets "
                + ", ".join(given[name] for name in missed)
                + f" at {a[i]:g} Erlangs of traffic (interval {i}); relax those targets"
            )
        hi = np.where(good, hi, np.minimum(hi * 2 + 10, cap))
        good = ok(hi)
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
