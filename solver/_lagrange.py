"""A lower bound by Lagrangian relaxation of the cover rows, tighter than the LP relaxation.

Pricing the cover rows (people on duty against demand, fixed posts, over-staffing) with multipliers
splits the roster problem into one small problem per person: choose at most one shift a day, at most
``max_days`` days and between the hard minimum and maximum paid hours, paying wage, requests,
overtime, contract minimum and hours off target, and earning the multiplier of every slot on duty.
That problem is solved exactly by dynamic programming over days with (days worked, paid slots,
weekend days worked) as the state, for all people at once in numpy, each break placed where its
slots earn least, weekend days beyond the first priced (fairness) and beyond the person's limit
barred; rest, runs of days and weekends in a row are left out (dropping constraints keeps it a
relaxation). For any multipliers the result is a valid lower bound. Started at the LP's duals it is
at least the LP's value, because each person's hours and days are chosen whole; subgradient steps
(Polyak's rule) then raise it further. One evaluation costs milliseconds on a store week.
"""

from __future__ import annotations

import time

import numpy as np

from solver._candidates import Candidate
from solver.problem import RosterProblem

__all__ = ["lagrangian_bound"]

_INF = 1e18
_MAX_TABLE = 40_000_000  # entries of the DP's choice table (int16) with the weekend state


def lagrangian_bound(
    problem: RosterProblem,
    cands: list[Candidate],
    rows: dict[tuple[str, str, int], float],
    upper: float,
    seconds: float,
    iterations: int = 200,
) -> float:
    """The best Lagrangian lower bound found within ``seconds`` (currency units; 0 if none).

    Parameters
    ----------
    rows : dict
        Starting multipliers by ``("cover" | "post" | "over", role, slot)``: the LP
        relaxation's duals (:func:`solver.bound.lp_bound` with ``duals``). At the LP's duals the
        bound is at least the LP's value, since each person's week is chosen whole.
    upper : float
        The objective of a known roster, or an estimate, for the step length (currency units).
    seconds : float
        Time budget (seconds).

    Problems with per-shift-type cover are not handled (0 is returned): the LP bound serves them.
    """
    if problem.shift_demands or not cands or not problem.demands:
        return 0.0
    deadline = time.perf_counter() + seconds
    p, w = problem, problem.weights
    n, slot = p.horizon_slots, p.slot_minutes
    E, D = len(p.employees), p.days
    roles = [d.role for d in p.demands]
    row_of = {r: k for k, r in enumerate(roles)}
    R = len(roles)
    # Demand rows.
    req = np.zeros((R, n))
    mn = np.zeros((R, n))
    over = np.zeros((R, 1))
    width = 1
    for k, d in enumerate(p.demands):
        req[k, : min(n, len(d.required))] = d.required[:n]
        if d.minimum:
            mn[k, : min(n, len(d.minimum))] = d.minimum[:n]
        over[k, 0] = d.over_cost
        width = max(width, int(req[k].max(initial=0)))
    need = np.maximum(req, mn)
    tiers = np.full((R, n, width), np.inf)  # cost of the j-th missing person (inf: no such)
    for k, d in enumerate(p.demands):
        for t in range(n):
            r = int(req[k, t])
            if r <= 0:
                continue
            costs = d.shortfall_costs[t] if d.shortfall_costs and t < len(d.shortfall_costs) else ()
            for j in range(r):
                tiers[k, t, j] = costs[min(j, len(costs) - 1)] if costs else w.shortfall
    has_req, has_min = req > 0, mn > 0
    # Candidates.
    c_row = np.array([row_of.get(c.role, R) for c in cands])
    c_s = np.array([min(max(c.start, 0), n) for c in cands])
    c_e = np.array([min(max(c.end, 0), n) for c in cands])
    # Breaks: each may start anywhere from c_first to c_last; it goes where the slots earn least.
    c_first = np.array([c.break_first if c.break_at >= 0 else c.start for c in cands])
    c_last = np.array([c.break_last if c.break_at >= 0 else c.start for c in cands])
    c_blen = np.array([c.break_len if c.break_at >= 0 else 0 for c in cands])
    places = int((c_last - c_first).max(initial=0)) + 1
    b_starts = np.array([np.clip(np.minimum(c_first + k, c_last), c_s, c_e) for k in range(places)])
    b_ends = np.clip(b_starts + c_blen, b_starts, c_e)
    ar_c = np.arange(len(cands))
    c_paid = np.array([c.paid for c in cands])
    hours = slot / 60
    base = np.array([c.paid * hours * p.employees[c.employee].hourly_cost for c in cands])
    index = {emp.id: e for e, emp in enumerate(p.employees)}
    off_cost = np.zeros((E, D))
    by_day: dict[tuple[int, int], list[int]] = {}
    for i, c in enumerate(cands):
        by_day.setdefault((c.employee, c.day), []).append(i)
    for wish in p.requests:
        e = index.get(wish.employee_id)
        if e is None or not 0 <= wish.day < D:
            continue
        cost = wish.weight * w.request
        members = by_day.get((e, wish.day), [])
        for i in members:
            c = cands[i]
            hit = (wish.shift_type is None or c.kind == wish.shift_type) and (
                wish.start_slot is None
                or wish.end_slot is None
                or (c.start < wish.end_slot and wish.start_slot < c.end)
            )
            if hit != wish.on:
                base[i] += cost
        if wish.on:
            off_cost[e, wish.day] += cost
    lengths = np.unique(c_paid)
    L = len(lengths)
    li = np.searchsorted(lengths, c_paid)
    emp = np.array([c.employee for c in cands])
    day = np.array([c.day for c in cands])
    key = (emp * D + day) * L + li  # group: (employee, day, paid length)
    G = E * D * L
    # Per person: paid-hour terms by paid slots, hard limits as infinite cost.
    K = min(D, max(e.max_days for e in p.employees)) + 1
    P = int(c_paid.max()) * min(D, K - 1) + 1
    paid_minutes = np.arange(P) * slot
    person = np.empty((E, P))
    max_days = np.array([min(e.max_days, D) for e in p.employees])
    for e, em in enumerate(p.employees):
        v = np.maximum(0, paid_minutes - w.overtime_after_minutes) / 60 * em.hourly_cost
        v = v * w.overtime_premium
        v += np.maximum(0, em.min_minutes - paid_minutes) / 60 * w.contract_minimum
        if em.target_minutes is not None:
            v += np.abs(paid_minutes - em.target_minutes) / 60 * w.fairness_hours
        v[paid_minutes > em.max_minutes] = _INF
        v[paid_minutes < em.hard_min_minutes] = _INF
        person[e] = v
    k_ok = np.arange(K)[None, :] <= max_days[:, None]  # (E, K)
    # Weekend days worked: the third state, for the weekend limit and its fairness term (left
    # out, still a relaxation, where it would make the DP's choice table too large: long
    # horizons with many weekend days).
    weekend = np.array([p.is_weekend(d) for d in range(D)], dtype=bool)
    Wd = min(int(weekend.sum()), max(e.max_weekend_days for e in p.employees)) + 1
    if D * E * K * P * Wd > _MAX_TABLE:
        weekend[:], Wd = False, 1
    wk_cost = np.empty((E, Wd))
    for e, em in enumerate(p.employees):
        wk_cost[e] = np.maximum(0, np.arange(Wd) - 1) * w.fairness_weekend
        wk_cost[e, np.arange(Wd) > em.max_weekend_days] = _INF
    # Multipliers: lam (cover rows, >= 0), pi (posts, 0..post), mu (over-staffing, 0..over).
    start = [np.zeros((R, n)) for _ in range(3)]
    where = {"cover": 0, "post": 1, "over": 2}
    for (kind, role, t), dual in rows.items():
        if role in row_of and t < n and kind in where:
            start[where[kind]][row_of[role], t] = dual
    lam = np.where(has_req, np.maximum(start[0], 0.0), 0.0)
    pi = np.where(has_min, np.clip(start[1], 0.0, w.post_shortfall), 0.0)
    mu = np.clip(start[2], 0.0, over)
    ar_e = np.arange(E)

    def evaluate(lam: np.ndarray, pi: np.ndarray, mu: np.ndarray) -> tuple[float, np.ndarray]:
        """L(multipliers) and the cover of the relaxed roster that attains it."""
        reward = np.zeros((R + 1, n + 1))
        reward[:R, 1:] = np.cumsum(lam + pi - mu, axis=1)
        pauses = reward[c_row, b_ends] - reward[c_row, b_starts]  # (places, candidates)
        where_brk = pauses.argmin(axis=0)
        gain = reward[c_row, c_e] - reward[c_row, c_s] - pauses[where_brk, ar_c]
        c_bs, c_be = b_starts[where_brk, ar_c], b_ends[where_brk, ar_c]
        rc = base - gain
        order = np.lexsort((rc, key))
        keys = key[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        pick = np.full(G, -1)
        pick[keys[starts]] = order[starts]
        flat_best = np.full(G, _INF)
        flat_best[keys[starts]] = rc[order[starts]]
        bestc = flat_best.reshape(E, D, L)
        # DP over days: state (days worked, paid slots, weekend days worked).
        V = np.full((E, K, P, Wd), _INF)
        V[:, 0, 0, 0] = 0.0
        choice = np.full((D, E, K, P, Wd), -1, dtype=np.int16)
        for d in range(D):
            nv = V + off_cost[:, d, None, None, None]
            ch = np.full((E, K, P, Wd), -1, dtype=np.int16)
            dw = int(weekend[d])
            for j, ln in enumerate(lengths):
                b = bestc[:, d, j]
                ln = int(ln)
                if ln >= P or not np.any(b < _INF / 2):
                    continue
                cand = V[:, :-1, : P - ln, : Wd - dw] + b[:, None, None, None]
                tgt = nv[:, 1:, ln:, dw:]
                better = cand < tgt
                tgt[better] = cand[better]
                ch[:, 1:, ln:, dw:][better] = j
            V, choice[d] = nv, ch
        total = V + person[:, None, :, None] + wk_cost[:, None, None, :]
        total = np.where(k_ok[:, :, None, None], total, _INF)
        flat = total.reshape(E, -1).argmin(axis=1)
        sub = total.reshape(E, -1)[ar_e, flat]
        if np.any(sub >= _INF / 2):  # someone has no feasible week even relaxed
            return -_INF, np.zeros((R, n))
        short = np.minimum(tiers - lam[:, :, None], 0.0)
        short[~np.isfinite(short)] = 0.0
        value = float(
            sub.sum() + (lam * req).sum() + (pi * mn).sum() - (mu * need).sum() + short.sum()
        )
        ks, ps, ws = np.unravel_index(flat, (K, P, Wd))
        diff = np.zeros((R + 1, n + 1))
        for d in range(D - 1, -1, -1):
            j = choice[d, ar_e, ks, ps, ws]
            on = j >= 0
            if np.any(on):
                ids = pick[((ar_e[on] * D + d) * L + j[on])]
                np.add.at(diff, (c_row[ids], c_s[ids]), 1)
                np.add.at(diff, (c_row[ids], c_e[ids]), -1)
                np.add.at(diff, (c_row[ids], c_bs[ids]), -1)
                np.add.at(diff, (c_row[ids], c_be[ids]), 1)
                ps = ps - np.where(on, lengths[np.maximum(j, 0)], 0)
                ks = ks - on
                ws = ws - (on & weekend[d])
        return value, np.cumsum(diff, axis=1)[:R, :n]

    def subgradient(lam: np.ndarray, pi: np.ndarray, mu: np.ndarray, best: float) -> float:
        theta, stall = 0.1, 0
        for _ in range(iterations):
            if time.perf_counter() > deadline:
                break
            value, cov = evaluate(lam, pi, mu)
            if value > best + 1e-9:
                best, stall = value, 0
            else:
                stall += 1
                if stall >= 5:
                    theta, stall = theta / 2, 0
                    if theta < 1e-3:
                        break
            units = (tiers < lam[:, :, None]).sum(axis=2)
            g_lam = np.where(has_req, req - cov - units, 0.0)
            g_pi = np.where(has_min, mn - cov, 0.0)
            g_mu = np.where(over > 0, cov - need, 0.0)
            norm = float((g_lam**2).sum() + (g_pi**2).sum() + (g_mu**2).sum())
            if norm <= 1e-12:
                break  # the relaxed roster meets every row exactly: the bound is optimal
            step = theta * max(upper - value, 1e-6 * max(abs(upper), 1.0)) / norm
            lam = np.where(has_req, np.maximum(0.0, lam + step * g_lam), 0.0)
            pi = np.where(has_min, np.clip(pi + step * g_pi, 0.0, w.post_shortfall), 0.0)
            mu = np.clip(mu + step * g_mu, 0.0, over)
        return best

    best = max(0.0, evaluate(lam, pi, mu)[0])
    return subgradient(lam, pi, mu, best)
