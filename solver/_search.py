"""The local search's state: a roster held as one shift (or none) per employee-day, with its
cover, hours and patterns kept up to date, and each move's cost found exactly.

Every objective term the model prices is either about one person (wage, overtime, contract
minimum, hours off target, weekend days, closing shifts, requests) or about cover (shortfall, posts,
over-staffing, shift-type cover), and cover is a sum over people. So with everybody else fixed,
the best shift of one person on one day is found exactly by scoring all of that person's
candidates for the day at once: the value of one more person in each slot, summed over a
shift's on-duty slots with prefix sums, against the shift's own costs. Hard rules are a
per-person count of violations priced at ``BIG`` each, so that no move raises it. The moves
(``replan``, ``pair``, ``rebreak``, ``rebuild_week``) are methods here; :mod:`solver._local`
decides when to run them, and :mod:`solver._exact` re-solves whole days on the same state.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from solver._candidates import Candidate
from solver.problem import RosterProblem

__all__ = ["BIG", "Search", "restore", "value_of"]

BIG = 1e6  # cost of one unit of hard-rule violation: repairs come before savings
_EPS = 1e-7


class Search:
    """One roster under local search (see the module's docstring)."""

    def __init__(self, problem: RosterProblem, cands: list[Candidate]) -> None:
        p = self.p = problem
        self.cands = cands
        n = self.n = p.horizon_slots
        self.days = p.days
        w = p.weights
        hours = p.slot_minutes / 60
        # Cover: one row per role with demand, plus a zero row for roles without.
        roles = [d.role for d in p.demands]
        self.role_row = {r: k for k, r in enumerate(roles)}
        zero = len(roles)
        self.req, self.minimum, self.need, self.table, self.over = [], [], [], [], []
        for d in p.demands:
            req = np.zeros(n, dtype=np.int64)
            req[: min(n, len(d.required))] = np.asarray(d.required[:n], dtype=np.int64)
            mn = np.zeros(n, dtype=np.int64)
            if d.minimum:
                mn[: min(n, len(d.minimum))] = np.asarray(d.minimum[:n], dtype=np.int64)
            width = max(int(req.max(initial=0)), 1)
            table = np.full((n, width), w.shortfall)
            if d.shortfall_costs:
                for t in range(min(n, len(d.shortfall_costs))):
                    costs = d.shortfall_costs[t]
                    if costs:
                        k = min(len(costs), width)
                        table[t, :k] = costs[:k]
                        table[t, k:] = costs[-1]
            self.req.append(req)
            self.minimum.append(mn)
            self.need.append(np.maximum(req, mn))
            self.table.append(table)
            self.over.append(d.over_cost)
        self.post = w.post_shortfall
        self.cover = np.zeros((zero + 1, n), dtype=np.int64)
        self.prefix = np.zeros((zero + 1, n + 1))
        self.value = np.zeros((zero + 1, n))
        # Candidate arrays.
        m = len(cands)
        self.c_start = np.array([min(max(c.start, 0), n) for c in cands], dtype=np.int64)
        self.c_end = np.array([min(max(c.end, 0), n) for c in cands], dtype=np.int64)
        # Breaks: each may start at any of ``places`` slots (the last one repeated to fill the
        # rows); a shift is scored with its break where the slots are worth least.
        first = np.array([c.break_first if c.break_at >= 0 else c.start for c in cands])
        last = np.array([c.break_last if c.break_at >= 0 else c.start for c in cands])
        blen = np.array([c.break_len if c.break_at >= 0 else 0 for c in cands], dtype=np.int64)
        places = int((last - first).max(initial=0)) + 1
        self.b_start = np.array(
            [np.clip(np.minimum(first + k, last), self.c_start, self.c_end) for k in range(places)],
            dtype=np.int64,
        ).reshape(places, m)
        self.b_end = np.clip(self.b_start + blen, self.b_start, self.c_end)
        self.c_s0 = np.array([c.start for c in cands], dtype=np.int64)
        self.c_e0 = np.array([c.end for c in cands], dtype=np.int64)
        self.c_row = np.array([self.role_row.get(c.role, zero) for c in cands], dtype=np.int64)
        self.c_paid = np.array([c.paid * p.slot_minutes for c in cands], dtype=np.int64)
        self.c_wage = np.array(
            [c.paid * hours * p.employees[c.employee].hourly_cost for c in cands]
        )
        # Groups: the candidates of one employee-day.
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, c in enumerate(cands):
            groups[(c.employee, c.day)].append(i)
        self.group = {k: np.array(v, dtype=np.int64) for k, v in groups.items()}
        # Requests: the unmet weight of each candidate, and of a day off, per employee-day.
        self.req_on = np.zeros(m)
        self.req_off: dict[tuple[int, int], float] = defaultdict(float)
        index = {emp.id: e for e, emp in enumerate(p.employees)}
        for wish in p.requests:
            e = index.get(wish.employee_id)
            if e is None or (e, wish.day) not in groups:
                continue  # nothing this search can change
            g = self.group[(e, wish.day)]
            match = np.array([_matches(cands[i], wish) for i in g], dtype=bool)
            cost = wish.weight * w.request
            if wish.on:  # unmet by a day off or by a shift that does not match
                self.req_on[g[~match]] += cost
                self.req_off[(e, wish.day)] += cost
            else:  # unmet by a matching shift
                self.req_on[g[match]] += cost
        # Shift-type cover rows: (day, kind) -> [(row, role or None)].
        self.kind_rows: dict[tuple[int, str], list[int]] = defaultdict(list)
        for k, dem in enumerate(p.shift_demands):
            self.kind_rows[(dem.day, dem.shift_type)].append(k)
        self.kind_count = np.zeros(len(p.shift_demands), dtype=np.int64)
        # Successions.
        spd = p.slots_per_day
        rules = p.shift_rules
        self.pairs = rules.forbidden_successions
        self.c_is = {
            kind: np.array([_is(c, kind, rules, spd) for c in cands], dtype=bool)
            for pair in self.pairs
            for kind in pair
        }
        self.caps = [dict(emp.max_shifts_per_type) for emp in p.employees]
        # Closing shifts beyond the free ones, priced per person (fairness).
        self.c_closes = np.array([p.is_closing(c.day, c.end) for c in cands], dtype=bool)
        self.closes = np.zeros(len(p.employees), dtype=np.int64)
        # State.
        E = len(p.employees)
        self.shift = np.full((E, p.days), -1, dtype=np.int64)
        self.place = np.zeros((E, p.days), dtype=np.int64)  # the break's place in b_start
        self.paid = np.zeros(E, dtype=np.int64)
        self.kinds: list[dict[str, int]] = [defaultdict(int) for _ in range(E)]
        self.weekend = [p.is_weekend(d) for d in range(p.days)]
        self.weekend_id = [p.weekend_of(d) for d in range(p.days)]
        self.hours = hours
        self.person = self._person_table()
        self.patterns: dict[tuple[int, int], float] = {}
        self.mask = [0] * E  # days worked, as bits
        self.flat = [t.ravel() for t in self.table]
        self.offset = [np.arange(n, dtype=np.int64) * t.shape[1] for t in self.table]
        self.has_min = [bool(m.any()) for m in self.minimum]

    # -- cover -------------------------------------------------------------------------------
    def _values(self, row: int, lo: int, hi: int) -> np.ndarray:
        """The value of one more person in each slot of ``[lo, hi)`` of ``row``."""
        c = self.cover[row, lo:hi]
        short = self.req[row][lo:hi] - c
        width = self.table[row].shape[1]
        # the table row-major: slot t's k-th missing person at t * width + k
        # ufuncs, not np.clip: this runs hundreds of thousands of times on short arrays
        k = self.offset[row][lo:hi] + np.minimum(np.maximum(short - 1, 0), width - 1)
        gain = self.flat[row].take(k)
        gain[short <= 0] = 0.0
        if self.has_min[row]:
            gain += self.post * (c < self.minimum[row][lo:hi])
        if self.over[row]:
            gain -= self.over[row] * (c >= self.need[row][lo:hi])
        return gain

    def refresh(self, row: int) -> None:
        """Prefix sums of the value of one more person in each slot of ``row``, afresh."""
        if row >= len(self.req):
            return
        self.value[row] = self._values(row, 0, self.n)
        self.prefix[row, 1:] = np.cumsum(self.value[row])

    def _cover(self, i: int, sign: int, k: int) -> None:
        """Add (``sign`` 1) or remove (-1) candidate ``i`` with its break at place ``k``."""
        r = int(self.c_row[i])
        s, e, bs, be = self.c_start[i], self.c_end[i], self.b_start[k, i], self.b_end[k, i]
        self.cover[r, s:e] += sign
        self.cover[r, bs:be] -= sign
        if r >= len(self.req) or e <= s:
            return
        # Only the shift's slots change value: patch the prefix sums from there on.
        fresh = self._values(r, s, e)
        diff = fresh - self.value[r, s:e]
        self.value[r, s:e] = fresh
        self.prefix[r, s + 1 : e + 1] += np.cumsum(diff)
        self.prefix[r, e + 1 :] += diff.sum()

    def _pauses(self, g: np.ndarray) -> np.ndarray:
        """``[place, candidate]``: the value of the slots each break place takes off duty."""
        r = self.c_row[g]
        return self.prefix[r, self.b_end[:, g]] - self.prefix[r, self.b_start[:, g]]

    def _gain(self, g: np.ndarray) -> np.ndarray:
        """The value of the slots each candidate covers, its break at its cheapest place."""
        pre = self.prefix
        r = self.c_row[g]
        full = pre[r, self.c_end[g]] - pre[r, self.c_start[g]]
        return full - self._pauses(g).min(axis=0)

    # -- one person's terms ------------------------------------------------------------------
    def _person(self, e: int, paid: np.ndarray) -> np.ndarray:
        """Overtime, contract minimum, hours off target and hour violations by paid minutes."""
        return self.person[e, paid // self.p.slot_minutes]

    def _person_table(self) -> np.ndarray:
        """``[employee, paid slots]``: the paid-hour terms of every possible total, tabulated."""
        p, w = self.p, self.p.weights
        slot = p.slot_minutes
        most = int(self.c_paid.max(initial=0)) // slot * p.days + 1
        paid = np.arange(most) * slot
        rows = []
        for emp in p.employees:
            out = np.maximum(0, paid - w.overtime_after_minutes) / 60 * emp.hourly_cost
            out *= w.overtime_premium
            out += np.maximum(0, emp.min_minutes - paid) / 60 * w.contract_minimum
            if emp.target_minutes is not None:
                out += np.abs(paid - emp.target_minutes) / 60 * w.fairness_hours
            out += BIG * np.maximum(0, paid - emp.max_minutes) / slot
            out += BIG * np.maximum(0, emp.hard_min_minutes - paid) / slot
            rows.append(out)
        return np.array(rows).reshape(len(p.employees), most)

    def _pattern(self, e: int, d: int, on: bool) -> float:
        """Weekend fairness and day-pattern violations of ``e`` with day ``d`` on or off."""
        mask = self.mask[e] | (1 << d) if on else self.mask[e] & ~(1 << d)
        key = (e, mask)
        cost = self.patterns.get(key)
        if cost is None:
            works = [bool(mask >> k & 1) for k in range(self.days)]
            cost = self.patterns[key] = self._pattern_cost(e, works)
        return cost

    def _pattern_cost(self, e: int, works: list[bool]) -> float:
        emp = self.p.employees[e]
        cost = 0.0
        wk = sum(1 for x, we in zip(works, self.weekend, strict=True) if x and we)
        cost += max(0, wk - 1) * self.p.weights.fairness_weekend
        bad = max(0, sum(works) - emp.max_days) + max(0, wk - emp.max_weekend_days)
        if emp.max_weekends is not None:
            ids = {self.weekend_id[k] for k, x in enumerate(works) if x and self.weekend[k]}
            bad += max(0, len(ids) - emp.max_weekends)
        k, days = 0, self.days
        while k < days:  # runs
            j = k
            while j < days and works[j] == works[k]:
                j += 1
            length = j - k
            if works[k]:
                bad += max(0, length - emp.max_consecutive_days)
            if k > 0 and j < days:
                least = emp.min_consecutive_days if works[k] else emp.min_consecutive_days_off
                bad += max(0, least - length)
            k = j
        return cost + BIG * bad

    def rest_breaks(self, e: int) -> int:
        """Pairs of ``e``'s shifts, one after the other with any days off between them, that
        rest less than ``min_rest_slots`` or overlap.

        Consecutive worked days are not enough: a shift past midnight can end within a long
        rest of the shift after a day off (12-h shifts, 14 h of rest: 23:00-11:00, a day off,
        00:00-12:00 rests 13 h), and the greedy roster checks neighbouring days only. Pairs
        further apart need no check once these hold: each shift ends after it starts.
        """
        rest = self.p.shift_rules.min_rest_slots
        row = self.shift[e]
        on = [int(i) for i in row if i >= 0]
        return sum(
            1
            for a, b in zip(on, on[1:], strict=False)
            if self.c_s0[b] - self.c_e0[a] < rest or self.c_s0[b] < self.c_e0[a]
        )

    def _neighbours(self, e: int, d: int) -> tuple[int, int]:
        prev = nxt = -1
        row = self.shift[e]
        for k in range(d - 1, -1, -1):
            if row[k] >= 0:
                prev = int(row[k])
                break
        for k in range(d + 1, self.days):
            if row[k] >= 0:
                nxt = int(row[k])
                break
        return prev, nxt

    # -- moves -------------------------------------------------------------------------------
    def assign(self, e: int, d: int, i: int, k: int | None = None) -> None:
        """Give ``(e, d)`` candidate ``i`` (-1: a day off), its break at place ``k`` (None: the
        cheapest place given everyone else)."""
        old = int(self.shift[e, d])
        if old == i and (k is None or k == self.place[e, d]):
            return
        if old >= 0:
            self._take(e, old, -1, int(self.place[e, d]))
        if i >= 0:
            if k is None:
                k = int(self._pauses(np.array([i]))[:, 0].argmin())
            self._take(e, i, 1, k)
            self.place[e, d] = k
            self.mask[e] |= 1 << d
        else:
            self.mask[e] &= ~(1 << d)
        self.shift[e, d] = i

    def _take(self, e: int, i: int, sign: int, k: int) -> None:
        self._cover(i, sign, k)
        self.paid[e] += sign * int(self.c_paid[i])
        self.closes[e] += sign * int(self.c_closes[i])
        c = self.cands[i]
        if c.kind is not None:
            self.kinds[e][c.kind] += sign
            for k in self.kind_rows.get((c.day, c.kind), []):
                role = self.p.shift_demands[k].role
                if role is None or role == c.role:
                    self.kind_count[k] += sign

    def _kind_value(self, i: int) -> float:
        """Shift-type cover cost change of adding candidate ``i`` (others as they are)."""
        c = self.cands[i]
        value = 0.0
        for k in self.kind_rows.get((c.day, c.kind), []) if c.kind is not None else []:
            dem = self.p.shift_demands[k]
            if dem.role is not None and dem.role != c.role:
                continue
            value += -dem.under_cost if self.kind_count[k] < dem.required else dem.over_cost
        return value

    def options(
        self, e: int, d: int, only: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """With ``(e, d)`` cleared: the candidates and their costs, and the cost of a day off.

        Costs are relative (the terms that do not depend on this day are left out). ``only``
        restricts the candidates to that one (a shift being dropped needs no alternatives).
        """
        g = self.group[(e, d)] if only is None else np.array([only], dtype=np.int64)
        paid_other = int(self.paid[e])
        cost = self.c_wage[g] - self._gain(g) + self.req_on[g]
        cost += self._person(e, paid_other + self.c_paid[g])
        off = float(self._person(e, np.array([paid_other]))[0]) + self.req_off.get((e, d), 0.0)
        cost += self._pattern(e, d, True)
        off += self._pattern(e, d, False)
        w = self.p.weights
        if w.fairness_closing > 0:  # one more closing shift than the others of the week
            more = int(self.closes[e]) + 1 > w.free_closing_shifts
            cost += w.fairness_closing * more * self.c_closes[g]
        # the nearest shifts worked, across days off (rest_breaks counts the same pairs)
        prev, nxt = self._neighbours(e, d)
        rest = self.p.shift_rules.min_rest_slots
        starts, ends = self.c_s0[g], self.c_e0[g]
        if prev >= 0:
            cost += BIG * (starts - self.cands[prev].end < rest)
            if self.shift[e, d - 1] == prev if d > 0 else False:
                for first, second in self.pairs:
                    if self.c_is[first][prev]:
                        cost += BIG * self.c_is[second][g]
        if nxt >= 0:
            cost += BIG * (self.cands[nxt].start - ends < rest)
            if d + 1 < self.days and self.shift[e, d + 1] == nxt:
                for first, second in self.pairs:
                    if self.c_is[second][nxt]:
                        cost += BIG * self.c_is[first][g]
        if self.caps[e] or self.kind_rows:
            for pos, i in enumerate(g):
                kind = self.cands[i].kind
                if kind is None:
                    continue
                cap = self.caps[e].get(kind)
                if cap is not None and self.kinds[e][kind] + 1 > cap:
                    cost[pos] += BIG * (self.kinds[e][kind] + 1 - cap)
                cost[pos] += self._kind_value(int(i))
        return g, cost, off

    def replan(self, e: int, d: int, on: bool | None = None) -> float:
        """Give ``(e, d)`` its best option (``on``: force work / a day off); the cost change."""
        old = int(self.shift[e, d])
        self.assign(e, d, -1)
        if on is False:  # only the day off and the shift it replaces are priced
            if old < 0:
                return 0.0
            _, cost, off = self.options(e, d, only=old)
            return off - float(cost[0])
        g, cost, off = self.options(e, d)
        before = off if old < 0 else float(cost[np.searchsorted(g, old)])
        if on is None and (g.size == 0 or off <= cost.min() + _EPS):
            best, after = -1, off
        else:
            pos = int(np.argmin(cost))
            best, after = int(g[pos]), float(cost[pos])
            if old >= 0 and after >= before - _EPS:  # keep the shift on a tie
                best, after = old, before
        self.assign(e, d, best)
        return after - before

    def rebreak(self, e: int, d: int) -> float:
        """Move the break of ``(e, d)``'s shift to its cheapest place; the cost change."""
        i = int(self.shift[e, d])
        if i < 0 or self.b_start[-1, i] == self.b_start[0, i]:
            return 0.0
        k = int(self.place[e, d])
        self._take(e, i, -1, k)
        pauses = self._pauses(np.array([i]))[:, 0]
        best = int(pauses.argmin())
        if pauses[best] >= pauses[k] - _EPS:
            best = k
        self._take(e, i, 1, best)
        self.place[e, d] = best
        return float(pauses[best] - pauses[k])

    def pair(self, first: tuple[int, int], second: tuple[int, int]) -> float:
        """Re-plan two employee-days together (``first``, then ``second``), kept when cheaper;
        the cost change (0 when nothing changed)."""
        keep = [(day, int(self.shift[day]), int(self.place[day])) for day in (first, second)]
        delta = self.replan(*first, on=False) + self.replan(*second, on=False)
        delta += self.replan(*first) + self.replan(*second)
        if delta < -1e-6:
            return delta
        # Back exactly as it was, breaks included: re-placed one at a time, each break went to
        # its cheapest place with the other shift still off, and a pass of transfers that
        # changed nothing left the store's roster 40-200 dearer.
        for (e, d), _, _ in keep:
            self.assign(e, d, -1)
        for (e, d), i, k in keep:
            self.assign(e, d, i, k)
        return 0.0

    # -- one person's whole week -------------------------------------------------------------
    def _week_cost(self, e: int, days: dict[int, int]) -> float:
        """Cost of ``e`` working ``days`` (day -> candidate), everyone else as they are and
        ``e`` cleared from the cover: the terms that depend on ``e``'s week."""
        ids = np.array(sorted(days.values()), dtype=np.int64)
        cost = float((self.c_wage[ids] + self.req_on[ids] - self._gain(ids)).sum())
        cost += sum(self.req_off.get((e, d), 0.0) for d in range(self.days) if d not in days)
        paid = int(self.c_paid[ids].sum())
        cost += float(self._person(e, np.array([paid]))[0])
        mask = sum(1 << d for d in days)
        key = (e, mask)
        if key not in self.patterns:
            works = [bool(mask >> k & 1) for k in range(self.days)]
            self.patterns[key] = self._pattern_cost(e, works)
        cost += self.patterns[key]
        rest = self.p.shift_rules.min_rest_slots
        order = [days[d] for d in sorted(days)]
        for a, b in zip(order, order[1:], strict=False):
            first, second = self.cands[a], self.cands[b]
            if second.start - first.end < rest or second.start < first.end:
                cost += BIG
            if second.day == first.day + 1:
                for x, y in self.pairs:
                    if self.c_is[x][a] and self.c_is[y][b]:
                        cost += BIG
        for kind, cap in self.caps[e].items():
            count = sum(1 for i in order if self.cands[i].kind == kind)
            cost += BIG * max(0, count - cap)
        return cost + self._closing_cost(int(self.c_closes[ids].sum()))

    def _closing_cost(self, closes: int) -> float:
        """The fairness price of one person's ``closes`` closing shifts."""
        w = self.p.weights
        return max(0, closes - w.free_closing_shifts) * w.fairness_closing

    def rebuild_week(self, e: int, fixed: set[int]) -> float:
        """Give ``e`` the best week by dynamic programming over days (hours and days whole);
        kept when cheaper. ``fixed`` days keep their shift. The cost change."""
        old = {d: int(i) for d, i in enumerate(self.shift[e]) if i >= 0}
        for d in old:
            self.assign(e, d, -1)
        before = self._week_cost(e, old)
        keep = {d: i for d, i in old.items() if d in fixed}
        base_paid = int(sum(int(self.c_paid[i]) for i in keep.values()))
        emp = self.p.employees[e]
        free_days = [d for d in range(self.days) if d not in fixed and (e, d) in self.group]
        slot = self.p.slot_minutes
        P = self.person.shape[1]
        K = min(self.days, emp.max_days) + 1
        V = np.full((K, P), np.inf)
        V[len(keep), base_paid // slot] = 0.0
        choices: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
        for d in free_days:
            g = self.group[(e, d)]
            rc = self.c_wage[g] + self.req_on[g] - self._gain(g)
            lens = self.c_paid[g] // slot
            nv = V + self.req_off.get((e, d), 0.0)
            pick = np.full((K, P), -1, dtype=np.int64)
            for ln in np.unique(lens):
                ln = int(ln)
                if ln >= P:
                    continue
                at = int(np.argmin(np.where(lens == ln, rc, np.inf)))
                cand = V[:-1, : P - ln] + rc[at]
                tgt = nv[1:, ln:]
                better = cand < tgt
                tgt[better] = cand[better]
                pick[1:, ln:][better] = g[at]
            V = nv
            choices.append((d, pick, lens, g))
        total = V + self.person[e][None, :]
        k, paid = np.unravel_index(int(np.argmin(total)), total.shape)
        if not np.isfinite(total[k, paid]):
            for d, i in old.items():
                self.assign(e, d, i)
            return 0.0
        new = dict(keep)
        for d, pick, _, _ in reversed(choices):
            i = int(pick[k, paid])
            if i >= 0:
                new[d] = i
                paid -= int(self.c_paid[i]) // slot
                k -= 1
        after = self._week_cost(e, new)
        if after >= before - 1e-6:
            new, after = old, before
        for d, i in new.items():
            self.assign(e, d, i)
        return after - before


def _matches(c: Candidate, wish: object) -> bool:
    if getattr(wish, "shift_type", None) is not None and c.kind != wish.shift_type:  # type: ignore[attr-defined]
        return False
    lo, hi = getattr(wish, "start_slot", None), getattr(wish, "end_slot", None)
    return lo is None or hi is None or (c.start < hi and lo < c.end)


def _is(c: Candidate, kind: str, rules: object, spd: int) -> bool:
    if c.kind is not None and c.kind == kind:
        return True
    closing = getattr(rules, "closing_from_slot", None)
    opening = getattr(rules, "opening_until_slot", None)
    if kind == "closing" and closing is not None:
        return bool(c.end - c.day * spd >= closing)
    if kind == "opening" and opening is not None:
        return bool(c.start - c.day * spd < opening)
    return False


def restore(s: Search, target: np.ndarray, places: np.ndarray) -> None:
    """Back to the roster ``target`` with its breaks at ``places``."""
    diff = np.argwhere((s.shift != target) | ((target >= 0) & (s.place != places)))
    for e, d in diff:
        s.assign(int(e), int(d), -1)
    for e, d in diff:
        s.assign(int(e), int(d), int(target[e, d]), int(places[e, d]))
    for row in range(len(s.req)):  # drop the rounding the patched prefix sums gathered
        s.refresh(row)


def value_of(s: Search) -> float:
    """The search's objective (violations at their big price: hours, days and their runs,
    weekends, rest between each shift and the next one worked), for accepting a kick."""
    total = float(s.c_wage[s.shift[s.shift >= 0]].sum())
    for e in range(len(s.p.employees)):
        total += float(s._person(e, np.array([s.paid[e]]))[0])
        row = s.shift[e]
        on = [d for d in range(s.days) if row[d] >= 0]
        if on:
            total += s._pattern(e, on[0], True)
        else:
            total += s._pattern(e, 0, False)
        for d in range(s.days):
            total += s.req_on[row[d]] if row[d] >= 0 else s.req_off.get((e, d), 0.0)
        total += BIG * s.rest_breaks(e) + s._closing_cost(int(s.closes[e]))
    for r in range(len(s.req)):
        c = s.cover[r]
        short = np.maximum(0, s.req[r] - c)
        cum = np.cumsum(s.table[r], axis=1)
        idx = np.minimum(short, cum.shape[1]) - 1
        total += float(np.where(short > 0, cum[np.arange(s.n), np.maximum(idx, 0)], 0.0).sum())
        total += s.post * float(np.maximum(0, s.minimum[r] - c).sum())
        total += s.over[r] * float(np.maximum(0, c - s.need[r]).sum())
    for k, dem in enumerate(s.p.shift_demands):
        have = int(s.kind_count[k])
        total += max(0, dem.required - have) * dem.under_cost
        total += max(0, have - dem.required) * dem.over_cost
    return total
