"""Column generation's master problem: the LP over whole rosters per person, and its pricing.

Only cover links people: every other rule is about one person. So a roster is a choice of one
whole roster (a column) per person, against the cover rows. The LP over every roster that keeps
a person's rules is solved by column generation: the LP (GLOP) over the rosters found so far
prices the cover rows, and each person's cheapest roster under those prices is found by CP-SAT
in a model of that person alone, built by the same rule modules with the cover left out and
each candidate shift's cover priced instead (10-50 ms on a nurse roster; every roster CP-SAT
finds on the way is a column too). The prices are smoothed (Wentges: half the last ones) so
they stop swinging from round to round. While new rosters keep coming, people are priced in
four groups with the LP solved before each, so later groups see prices the earlier ones'
rosters have already moved: on Curtois 12 (60 nurses) the LP stood at 4,070-4,080 after 13.5 s,
against 4,317-4,350 after 12.5-14 s pricing everyone at once (best known 4,040). Each round of
everyone at the same prices that CP-SAT proves gives a Lagrangian bound at its prices (the
cover rows priced, one roster a person, each the cheapest), valid before the LP converges:
Curtois 8 reports 1,296.4 (best known 1,300; CP-SAT's own bound and the pattern LP's were
1,250-1,272). Rounds in groups give none, so on Curtois 12 no bound is proved in time.

The dive (:mod:`solver._columns`) holds days of people through :meth:`Master.hold`, which both
restricts their pricing model and bounds their columns.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from solver._build import build_model
from solver._by_employee import _alone, whole_indices
from solver.rules._context import Context

__all__ = ["EPS", "Master"]

_PRICE_SECONDS = 1.0  # at most per person and round
EPS = 1e-6  # LP values below this count as 0
_FINER = 100  # the pricing models' scale against the whole model's
_PARTS = 4  # groups of people priced in turn, the LP solved before each ...
_FAST = 0.001  # ... while a pass lowers the LP by more than this share (Curtois 8: a bound)
_SMOOTH = 0.5  # weight of the last prices in the next ones (Wentges smoothing)


@dataclass(frozen=True, slots=True)
class _Cover:
    """One cover row: its members' shifts count; the k-th missing person costs ``units[k]``."""

    members: tuple[int, ...]  # candidate indices
    units: tuple[float, ...]  # len = required
    minimum: int
    post_cost: float
    over_cost: float
    need: int  # over-staffing counts above this


def _covers(ctx: Context) -> list[_Cover]:
    """The cover rows, priced as :mod:`solver.rules.coverage` prices them."""
    p = ctx.problem
    w = p.weights
    n = p.horizon_slots
    rows: list[_Cover] = []
    if p.demands:
        on: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i, c in enumerate(ctx.cands):
            for t in range(max(c.start, 0), min(c.end, n)):
                if c.covers(t):
                    on[(c.role, t)].append(i)
        for d in p.demands:
            for t in range(n):
                req = d.required[t] if t < len(d.required) else 0
                minimum = d.minimum[t] if d.minimum else 0
                members = tuple(on.get((d.role, t), ()))
                costs = d.shortfall_costs[t] if d.shortfall_costs else ()
                units = tuple(
                    costs[min(k, len(costs) - 1)] if costs else w.shortfall for k in range(req)
                )
                over = d.over_cost if members else 0.0
                if req > 0 or minimum > 0 or over > 0:
                    rows.append(
                        _Cover(members, units, minimum, w.post_shortfall, over, max(req, minimum))
                    )
    by_kind: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, c in enumerate(ctx.cands):
        if c.kind is not None:
            by_kind[(c.day, c.kind)].append(i)
    for dem in p.shift_demands:
        members = tuple(
            i
            for i in by_kind.get((dem.day, dem.shift_type), [])
            if dem.role is None or ctx.cands[i].role == dem.role
        )
        over = dem.over_cost if len(members) > dem.required else 0.0
        rows.append(_Cover(members, (dem.under_cost,) * dem.required, 0, 0.0, over, dem.required))
    return rows


class _Person:
    """One person's pricing model: their rules and own costs, cover priced per shift."""

    def __init__(self, ctx: Context, e: int) -> None:
        alone, _ = _alone(ctx, [e], set(), None)  # their locks and requests, nobody else's
        sub = replace(alone, demands=(), shift_demands=())  # cover is priced instead
        # A finer scale than the model's: each shift's cover price is rounded to it, and the
        # bound allows for that rounding.
        self.scale = ctx.scale * _FINER
        own, _, _ = build_model(sub, None, tuple(range(len(sub.locked))), self.scale)
        for guard in own.guards:
            own.model.add(guard == 1)
        self.model = own.model
        self.back = whole_indices(ctx, [e], own.cands)  # own candidate -> the whole model's
        self.vars = own.x
        self.x = [v.index for v in own.x]
        objective = own.model.proto.objective
        self.base: dict[int, int] = defaultdict(int)
        for v, k in zip(objective.vars, objective.coeffs, strict=True):
            self.base[v] += k
        self.offset = objective.offset
        self.day = [ctx.cands[i].day for i in self.back]

    def restrict(self, held: dict[int, int]) -> None:
        """Hold the days in ``held`` (day -> the whole model's candidate, or -1 for a day
        off) in every later pricing; the other days are free again."""
        variables = self.model.proto.variables
        for j, v in enumerate(self.x):
            day = self.day[j]
            lo, hi = 0, 1
            if day in held:
                lo = hi = int(self.back[j] == held[day])
            domain = variables[v].domain
            domain[0], domain[1] = lo, hi

    def price(
        self, value: dict[int, float], seconds: float
    ) -> tuple[bool, list[tuple[float, frozenset[int]]]]:
        """Whether CP-SAT proved its last roster the cheapest with each shift's cover worth
        ``value[i]`` (currency units), and the rosters (own cost, candidate indices) it found on
        the way."""
        coeffs = dict(self.base)
        extra: dict[int, int] = {}
        for j, v in enumerate(self.x):
            k = -round(value.get(self.back[j], 0.0) * self.scale)
            if k:
                coeffs[v] = coeffs.get(v, 0) + k
                extra[v] = k
        objective = self.model.proto.objective
        objective.vars.clear()
        objective.coeffs.clear()
        objective.vars.extend(list(coeffs))
        objective.coeffs.extend(list(coeffs.values()))
        objective.offset = self.offset
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.01, seconds)
        solver.parameters.num_workers = 1
        found = _Found(self, extra)
        status = solver.solve(self.model, found)
        return status == cp_model.OPTIMAL, found.rosters


class _Found(cp_model.CpSolverSolutionCallback):
    def __init__(self, person: _Person, extra: dict[int, int]) -> None:
        super().__init__()
        self._person, self._extra = person, extra
        self.rosters: list[tuple[float, frozenset[int]]] = []

    def on_solution_callback(self) -> None:
        person = self._person
        on = {v.index for v in person.vars if self.boolean_value(v)}
        chosen = frozenset(person.back[j] for j, v in enumerate(person.x) if v in on)
        priced = sum(k for v, k in self._extra.items() if v in on)
        self.rosters.append(((self.objective_value - priced) / person.scale, chosen))


@dataclass(frozen=True, slots=True)
class _Prices:
    """A price per cover row (>= 0): missing people, posts, over-staffing (at most its cost)."""

    cover: tuple[float, ...]
    post: tuple[float, ...]
    over: tuple[float, ...]

    @staticmethod
    def of(
        rows: list[_Cover],
        cover_row: list[pywraplp.Constraint | None],
        post_row: list[pywraplp.Constraint | None],
        over_row: list[pywraplp.Constraint | None],
    ) -> _Prices:
        """The LP's duals, clamped to where the Lagrangian bound stays finite."""

        def dual(row: pywraplp.Constraint | None, top: float = np.inf) -> float:
            return 0.0 if row is None else min(max(row.dual_value(), 0.0), top)

        return _Prices(
            tuple(dual(r) for r in cover_row),
            tuple(dual(r) for r in post_row),
            tuple(dual(r, row.over_cost) for r, row in zip(over_row, rows, strict=True)),
        )

    def mix(self, other: _Prices, weight: float) -> _Prices:
        """``weight`` of these and the rest of ``other``'s."""

        def blend(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
            return tuple(weight * x + (1 - weight) * y for x, y in zip(a, b, strict=True))

        return _Prices(
            blend(self.cover, other.cover),
            blend(self.post, other.post),
            blend(self.over, other.over),
        )

    def values(self, in_rows: dict[int, list[int]]) -> dict[int, float]:
        """What each candidate shift's cover is worth at these prices."""
        out = {}
        for i, rs in in_rows.items():
            worth = sum(self.cover[r] + self.post[r] - self.over[r] for r in rs)
            if abs(worth) > EPS:
                out[i] = worth
        return out

    def constant(self, rows: list[_Cover]) -> float:
        """The rows' own part of the Lagrangian: each row's price times its right-hand side,
        plus its slack at its cheapest under the price."""
        total = 0.0
        for row, a, b, c in zip(rows, self.cover, self.post, self.over, strict=True):
            total += a * len(row.units) + sum(min(0.0, u - a) for u in row.units)
            total += b * row.minimum + min(0.0, (row.post_cost - b) * row.minimum)
            total -= c * row.need
        return total


class Master:
    """The LP over the rosters found so far, one per person (``convex`` rows) against the cover
    rows, with everyone's pricing model; ``bound`` is the best Lagrangian bound proved
    (currency units, 0.0 before any)."""

    def __init__(self, ctx: Context, lp: pywraplp.Solver, pool: ThreadPoolExecutor) -> None:
        self.ctx = ctx
        self.days = ctx.problem.days
        self.people = [_Person(ctx, e) for e in range(len(ctx.problem.employees))]
        self.rows = _covers(ctx)
        self.in_rows: dict[int, list[int]] = defaultdict(list)  # candidate -> its rows
        for r, row in enumerate(self.rows):
            for i in row.members:
                self.in_rows[i].append(r)
        self.lp, self.pool = lp, pool
        inf = lp.infinity()
        objective = lp.Objective()
        self.cover_row: list[pywraplp.Constraint | None] = []
        self.post_row: list[pywraplp.Constraint | None] = []
        self.over_row: list[pywraplp.Constraint | None] = []
        for row in self.rows:
            a = b = c = None
            if row.units:
                a = lp.Constraint(len(row.units), inf)
                for cost in row.units:
                    s = lp.NumVar(0.0, 1.0, "")
                    a.SetCoefficient(s, 1.0)
                    objective.SetCoefficient(s, cost)
            if row.minimum > 0:
                b = lp.Constraint(row.minimum, inf)
                s = lp.NumVar(0.0, row.minimum, "")
                b.SetCoefficient(s, 1.0)
                objective.SetCoefficient(s, row.post_cost)
            if row.over_cost > 0:
                c = lp.Constraint(-row.need, inf)  # over - cover >= -need
                s = lp.NumVar(0.0, inf, "")
                c.SetCoefficient(s, 1.0)
                objective.SetCoefficient(s, row.over_cost)
            self.cover_row.append(a)
            self.post_row.append(b)
            self.over_row.append(c)
        self.convex = [lp.Constraint(1.0, 1.0) for _ in self.people]
        self.columns: list[tuple[int, float, frozenset[int]]] = []  # (person, own cost, shifts)
        self.variables: list[pywraplp.Variable] = []
        self.owned: list[list[int]] = [[] for _ in self.people]  # each person's columns
        self.on_day: list[dict[int, int]] = []  # each column's shifts by day (one a day)
        self._seen: set[tuple[int, frozenset[int]]] = set()  # (person, shifts): days off alike
        self.fixed: set[int] = set()  # people whose every day is held (not priced)
        self.diving = False  # holds restrict pricing: no Lagrangian bound then
        self.bound = 0.0
        self._center: _Prices | None = None  # the last prices, for smoothing

    def add(self, e: int, own: float, shifts: frozenset[int]) -> bool:
        """Add person ``e``'s roster of ``shifts`` (candidate indices) at their own cost
        ``own``; False if they have it already."""
        if (e, shifts) in self._seen:
            return False
        self._seen.add((e, shifts))
        v = self.lp.NumVar(0.0, 1.0, "")
        self.lp.Objective().SetCoefficient(v, own)
        self.convex[e].SetCoefficient(v, 1.0)
        count: dict[int, int] = defaultdict(int)
        for i in shifts:
            for r in self.in_rows.get(i, ()):
                count[r] += 1
        for r, k in count.items():
            for row, sign in (
                (self.cover_row[r], 1.0),
                (self.post_row[r], 1.0),
                (self.over_row[r], -1.0),
            ):
                if row is not None:
                    row.SetCoefficient(v, sign * k)
        self.owned[e].append(len(self.columns))
        self.on_day.append({self.ctx.cands[i].day: i for i in shifts})
        self.columns.append((e, own, shifts))
        self.variables.append(v)
        return True

    def solve(self) -> float | None:
        """The LP's value (currency units), None if GLOP did not solve it."""
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        return float(self.lp.Objective().Value())

    def first_rosters(self, deadline: float) -> bool:
        """Each person's cheapest roster with cover worth nothing, and with every shift worth
        what its first missing person costs; False if someone has none (no roster keeps their
        rules, or none was found in time)."""
        full: dict[int, float] = defaultdict(float)
        for row in self.rows:
            if row.units:
                for i in row.members:
                    full[i] += row.units[0]
        for e, person in enumerate(self.people):
            had = len(self.columns)
            for value in ({}, full):
                left = deadline - time.perf_counter()
                _, rosters = person.price(value, min(left, _PRICE_SECONDS)) if left > 0 else (0, [])
                for own, shifts in rosters:
                    self.add(e, own, shifts)
            if len(self.columns) == had:
                return False
        return True

    def generate(self, until: float) -> float | None:
        """Column generation until ``until`` (``time.perf_counter``) or no new roster: in
        groups while a pass lowers the LP by more than ``_FAST`` of it, then whole rounds.
        The last pass's seconds (0.1 if there was no time for one), None if the LP
        failed."""
        parts = _PARTS
        pass_seconds = 0.1
        was = math.inf
        while time.perf_counter() < until:
            pass_started = time.perf_counter()
            if parts > 1:  # groups while the LP falls fast
                value = self.solve()
                if value is None:
                    return None
                if was - value < _FAST * abs(value):
                    parts = 1  # whole rounds from here: each that CP-SAT proves gives a bound
                was = value
            added = self.price_all(until, parts)
            pass_seconds = time.perf_counter() - pass_started
            if added is None:
                return None
            if not added:
                if parts == 1:
                    break
                parts = 1
        return pass_seconds

    def price_all(self, until: float, parts: int = 1) -> int | None:
        """Price every person not fixed once, in ``parts`` groups, the LP solved before each;
        new columns, None if the LP failed."""
        todo = [e for e in range(len(self.people)) if e not in self.fixed]
        size = max(1, math.ceil(len(todo) / parts))
        total = 0
        for k in range(0, len(todo), size):
            added = self._priced(until, todo[k : k + size], parts == 1)
            if added is None:
                return None
            total += added
        return total

    def _priced(self, until: float, todo: list[int], whole: bool) -> int | None:
        """Solve the LP, then price ``todo`` at its prices; new columns, None if the LP
        failed. ``whole``: everyone not fixed is in ``todo`` (a Lagrangian bound)."""
        if self.solve() is None:
            return None
        prices = _Prices.of(self.rows, self.cover_row, self.post_row, self.over_row)
        duals = prices.values(self.in_rows)
        mu = [row.dual_value() for row in self.convex]
        added = 0
        last = self._center
        for smooth in (_SMOOTH, 0.0) if last is not None else (0.0,):
            now = prices if smooth == 0 or last is None else last.mix(prices, smooth)
            value = duals if now is prices else now.values(self.in_rows)

            def job(
                e: int, value: dict[int, float] = value
            ) -> tuple[bool, list[tuple[float, frozenset[int]]]]:
                left = until - time.perf_counter()
                if left <= 0:
                    return False, []
                return self.people[e].price(value, min(left, _PRICE_SECONDS))

            proved = True
            least = 0.0  # each person's cheapest roster at these prices, summed
            for e, (optimal, rosters) in zip(todo, self.pool.map(job, todo), strict=True):
                proved = proved and optimal and bool(rosters)
                if rosters:
                    least += min(own - sum(value.get(i, 0.0) for i in sh) for own, sh in rosters)
                for own, shifts in rosters:
                    reduced = own - sum(duals.get(i, 0.0) for i in shifts) - mu[e]
                    if reduced < -1e-6 * max(1.0, abs(mu[e])):
                        added += self.add(e, own, shifts)
            if proved and whole and not self.diving:
                # Lagrangian bound at these prices: cover rows priced, one roster a person,
                # each the cheapest (CP-SAT proved it at prices rounded to its scale).
                rounding = sum(self.days / person.scale for person in self.people)
                self.bound = max(self.bound, now.constant(self.rows) + least - rounding - 1e-6)
            self._center = now
            if added:
                break
        return added

    def hold(self, e: int, held: dict[int, int]) -> None:
        """Hold person ``e``'s days in ``held`` (day -> candidate, or -1 for a day off) in
        their pricing and bound their columns that disagree to 0; the other days are free
        again. With every day held, they are fixed."""
        self.people[e].restrict(held)
        for k in self.owned[e]:
            ok = all(self.on_day[k].get(d, -1) == i for d, i in held.items())
            self.variables[k].SetBounds(0.0, 1.0 if ok else 0.0)
        if len(held) == self.days:
            self.fixed.add(e)
        else:
            self.fixed.discard(e)

    def keep(self, e: int, k: int) -> None:
        """Fix person ``e`` to their column ``k``."""
        for j in self.owned[e]:
            self.variables[j].SetBounds(float(j == k), float(j == k))

    def top(self, e: int) -> int:
        """Person ``e``'s column the LP solution has nearest to whole."""
        return max(self.owned[e], key=lambda k: self.variables[k].solution_value())
