"""A first roster from whole rosters per person: column generation, then a dive.

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

Then a dive. A step holds some days of people (a shift or a day off) as their LP roster nearest
to whole has them, the days their LP rosters agree on most first, as many as the pace so far
allows to end in time, then prices the others again; the days all of a person's LP rosters
agree on are held on the way. With time for many more steps, a step that raises the LP by more
than half a percent is undone and fewer other days are tried. If that dive took less than a
third of the time left, a second one holds whole people instead (their LP roster nearest to
whole, a tenth of those left at least, the others left free), and the cheaper roster is kept.
Curtois 30-s runs of this module alone: on 12 the days' dive ended at 4,062-4,194 (best known
4,040), the whole people's at 7,503 and 11,215; on 5 the days' dive at 1,449-1,554, the whole
people's after it at 1,145-1,148 (best known 1,143). The roster so built is the first one the
search then improves.

Cover is exact per person only when each shift's break has one place (or none), as in
:mod:`solver._by_employee`; with movable breaks this is not used.
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

__all__ = ["column_roster"]

_PRICE_SECONDS = 1.0  # at most per person and round
_EPS = 1e-6
_FINER = 100  # the pricing models' scale against the whole model's
_PARTS = 4  # groups of people priced in turn, the LP solved before each ...
_FAST = 0.001  # ... while a pass lowers the LP by more than this share (Curtois 8: a bound)
_REPRICE = 3  # rounds of pricing after each dive step at most (days)
_REPRICE_WHOLE = 10  # (whole rosters)
_DIVE = 10  # at least this share (1/_DIVE) of the people left is held whole per step
_TOL = 0.005  # a dive step that raises the LP more than this share is undone ...
_TRIES = 3  # ... this many times in a row at most, each time holding a quarter as many days
_ROOMY = 10  # ... when there is time for this many steps at least
_PACE = 0.5  # share of the time left the dive plans to take at its recent pace
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
            if abs(worth) > _EPS:
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


@dataclass(frozen=True, slots=True)
class Columns:
    """What :func:`column_roster` found: the roster (candidate indices; None if someone has no
    roster that keeps their rules, or the LP failed) and a lower bound on the whole problem
    (currency units; 0.0 unless some round priced everyone to proven optimality)."""

    roster: set[int] | None
    bound: float


def column_roster(ctx: Context, seconds: float, workers: int) -> Columns:
    """A roster built from whole rosters per person, and the best Lagrangian bound proved.

    ``seconds``: the whole budget (seconds); 40% of what is left after everyone's first
    rosters goes to column generation, the rest to the dives. ``workers`` people are priced at
    once (CP-SAT lets go of the GIL while it solves).
    """
    bound = [0.0]
    with ThreadPoolExecutor(max(1, workers)) as pool:
        roster = _column_roster(ctx, seconds, pool, bound)
    return Columns(roster, bound[0])


def _column_roster(
    ctx: Context,
    seconds: float,
    pool: ThreadPoolExecutor,
    bound: list[float],
) -> set[int] | None:
    started = time.perf_counter()
    deadline = started + seconds
    p = ctx.problem
    people = [_Person(ctx, e) for e in range(len(p.employees))]
    rows = _covers(ctx)
    in_rows: dict[int, list[int]] = defaultdict(list)
    for r, row in enumerate(rows):
        for i in row.members:
            in_rows[i].append(r)

    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    inf = lp.infinity()
    objective = lp.Objective()
    cover_row: list[pywraplp.Constraint | None] = []
    post_row: list[pywraplp.Constraint | None] = []
    over_row: list[pywraplp.Constraint | None] = []
    for row in rows:
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
        cover_row.append(a)
        post_row.append(b)
        over_row.append(c)
    convex = [lp.Constraint(1.0, 1.0) for _ in people]
    columns: list[tuple[int, float, frozenset[int]]] = []  # (person, own cost, shifts)
    variables: list[pywraplp.Variable] = []
    seen: set[tuple[int, frozenset[int]]] = set()  # (person, shifts): days off look alike
    owned: list[list[int]] = [[] for _ in people]  # each person's columns
    on_day: list[dict[int, int]] = []  # each column's shifts by day (one a day)

    def add(e: int, own: float, shifts: frozenset[int]) -> bool:
        if (e, shifts) in seen:
            return False
        seen.add((e, shifts))
        v = lp.NumVar(0.0, 1.0, "")
        objective.SetCoefficient(v, own)
        convex[e].SetCoefficient(v, 1.0)
        count: dict[int, int] = defaultdict(int)
        for i in shifts:
            for r in in_rows.get(i, ()):
                count[r] += 1
        for r, k in count.items():
            for row, sign in ((cover_row[r], 1.0), (post_row[r], 1.0), (over_row[r], -1.0)):
                if row is not None:
                    row.SetCoefficient(v, sign * k)
        owned[e].append(len(columns))
        on_day.append({ctx.cands[i].day: i for i in shifts})
        columns.append((e, own, shifts))
        variables.append(v)
        return True

    # First rosters: each person's cheapest with cover worth nothing, and with every shift
    # worth what its first missing person costs.
    full: dict[int, float] = defaultdict(float)
    for row in rows:
        if row.units:
            for i in row.members:
                full[i] += row.units[0]
    for e, person in enumerate(people):
        had = len(columns)
        for value in ({}, full):
            left = deadline - time.perf_counter()
            _, rosters = person.price(value, min(left, _PRICE_SECONDS)) if left > 0 else (0, [])
            for own, shifts in rosters:
                add(e, own, shifts)
        if len(columns) == had:  # no roster keeps their rules (or none in time)
            return None
    fixed: set[int] = set()  # people whose every day the dive holds
    diving = False
    center: list[_Prices | None] = [None]

    def round_(until: float, parts: int = 1) -> int | None:
        """Price every person not fixed once, in ``parts`` groups, the LP solved before each;
        new columns, None if the LP failed."""
        todo = [e for e in range(len(people)) if e not in fixed]
        size = max(1, math.ceil(len(todo) / parts))
        total = 0
        for k in range(0, len(todo), size):
            added = priced(until, todo[k : k + size], parts == 1)
            if added is None:
                return None
            total += added
        return total

    def priced(until: float, todo: list[int], whole: bool) -> int | None:
        """Solve the LP, then price ``todo`` at its prices; new columns, None if the LP
        failed. ``whole``: everyone not fixed is in ``todo`` (a Lagrangian bound)."""
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        prices = _Prices.of(rows, cover_row, post_row, over_row)
        duals = prices.values(in_rows)
        mu = [row.dual_value() for row in convex]
        added = 0
        last = center[0]
        for smooth in (_SMOOTH, 0.0) if last is not None else (0.0,):
            now = prices if smooth == 0 or last is None else last.mix(prices, smooth)
            value = duals if now is prices else now.values(in_rows)

            def job(
                e: int, value: dict[int, float] = value
            ) -> tuple[bool, list[tuple[float, frozenset[int]]]]:
                left = until - time.perf_counter()
                if left <= 0:
                    return False, []
                return people[e].price(value, min(left, _PRICE_SECONDS))

            proved = True
            least = 0.0  # each person's cheapest roster at these prices, summed
            for e, (optimal, rosters) in zip(todo, pool.map(job, todo), strict=True):
                proved = proved and optimal and bool(rosters)
                if rosters:
                    least += min(own - sum(value.get(i, 0.0) for i in sh) for own, sh in rosters)
                for own, shifts in rosters:
                    reduced = own - sum(duals.get(i, 0.0) for i in shifts) - mu[e]
                    if reduced < -1e-6 * max(1.0, abs(mu[e])):
                        added += add(e, own, shifts)
            if proved and whole and not diving:
                # Lagrangian bound at these prices: cover rows priced, one roster a person,
                # each the cheapest (CP-SAT proved it at prices rounded to its scale).
                rounding = sum(p.days / person.scale for person in people)
                bound[0] = max(bound[0], now.constant(rows) + least - rounding - 1e-6)
            center[0] = now
            if added:
                break
        return added

    generate_until = time.perf_counter() + 0.4 * (deadline - time.perf_counter())
    parts = _PARTS
    pass_seconds = 0.1
    was = math.inf
    while time.perf_counter() < generate_until:
        pass_started = time.perf_counter()
        if parts > 1:  # groups while the LP falls fast
            if lp.Solve() != pywraplp.Solver.OPTIMAL:
                return None
            value = lp.Objective().Value()
            if was - value < _FAST * abs(value):
                parts = 1  # whole rounds from here: each that CP-SAT proves gives a bound
            was = value
        added = round_(generate_until, parts)
        pass_seconds = time.perf_counter() - pass_started
        if added is None:
            return None
        if not added:
            if parts == 1:
                break
            parts = 1
    # Dive: hold days of people (a shift or a day off) as their LP roster nearest to whole has
    # them, the days their LP rosters agree on most first, then price the others again; the
    # days all of a person's LP rosters agree on are held on the way. Until every day of
    # everyone is held. A hold that raises the LP too much is let go and others tried.
    held: list[dict[int, int]] = [{} for _ in people]  # day -> candidate, or -1 for off
    diving = True

    def hold(e: int) -> None:
        """Price person ``e`` and bound their columns with the days they now hold."""
        people[e].restrict(held[e])
        for k in owned[e]:
            ok = all(on_day[k].get(d, -1) == i for d, i in held[e].items())
            variables[k].SetBounds(0.0, 1.0 if ok else 0.0)
        if len(held[e]) == p.days:
            fixed.add(e)
        else:
            fixed.discard(e)

    def dive(whole: bool) -> tuple[float, set[int]] | None:
        """The roster the dive ends at: its cost and candidate indices, None if the LP failed.

        ``whole``: hold people's whole LP roster nearest to whole, at least a tenth of those
        left a step, without undoing any; else days.
        """
        paces = [pass_seconds]  # seconds a step: a guess before the first
        tries = 0
        tabu: set[tuple[int, int, int]] = set()  # (person, day, candidate) found too dear
        while len(fixed) < len(people):
            step_started = time.perf_counter()
            if lp.Solve() != pywraplp.Solver.OPTIMAL:
                return None
            value = lp.Objective().Value()
            share: dict[tuple[int, int, int], float] = defaultdict(float)
            top: dict[int, tuple[float, int]] = {}  # person -> their LP roster nearest to whole
            for k, ((e, _, _), v) in enumerate(zip(columns, variables, strict=True)):
                x = v.solution_value()
                if e in fixed or x <= _EPS:
                    continue
                if e not in top or x > top[e][0]:
                    top[e] = (x, k)
                for d in range(p.days):
                    if d not in held[e]:
                        share[(e, d, on_day[k].get(d, -1))] += x
            left = deadline - time.perf_counter()
            if left <= 0:  # out of time: everyone left takes their LP roster nearest to whole
                for e, (_, keep) in top.items():
                    for k in owned[e]:
                        variables[k].SetBounds(float(k == keep), float(k == keep))
                break
            # each person's loose days as their top roster has them, surest first
            agreed: list[tuple[int, int, int]] = []
            loose: list[tuple[float, int, int, int]] = []
            barred: list[tuple[float, int, int, int]] = []  # loose, but found too dear
            for e, (_, keep) in top.items():
                for d in range(p.days):
                    if d not in held[e]:
                        key = (e, d, on_day[keep].get(d, -1))
                        if share[key] > 1 - 1e-6:
                            agreed.append(key)
                        else:
                            (barred if key in tabu else loose).append((-share[key], e, d, key[2]))
            loose = sorted(loose or barred)  # when every loose day is barred, bar none
            # enough a step to end in time at the recent pace
            pace = sum(paces[-3:]) / len(paces[-3:])
            steps = max(1.0, _PACE * left / pace)
            if whole:
                ranked = sorted(top, key=lambda e: -top[e][0])
                sure = sum(1 for e in ranked if top[e][0] > 1 - 1e-6)
                count = max(math.ceil(len(ranked) / steps), len(ranked) // _DIVE, sure, 1)
                some = set(ranked[:count])
                chosen = [(e, d, i) for _, e, d, i in loose if e in some]
                agreed = [key for key in agreed if key[0] in some]
            else:
                need = math.ceil(len(loose) / steps / 4**tries)
                chosen = [(e, d, i) for _, e, d, i in loose[:need]]
            for e, d, i in agreed + chosen:
                held[e][d] = i
            for e in {e for e, _, _ in agreed + chosen}:
                hold(e)
            for _ in range(_REPRICE_WHOLE if whole else _REPRICE):  # the others' rosters again
                now = time.perf_counter()
                if len(fixed) == len(people) or now >= deadline:
                    break
                if not whole and now - step_started > 2 * pace:  # the days' dive keeps its pace
                    break
                added = round_(deadline)
                if added is None:
                    return None
                if not added:
                    break
            paces.append(time.perf_counter() - step_started)
            # with time for many more steps, a step that raises the LP too much is undone
            roomy = steps >= _ROOMY and time.perf_counter() < deadline
            if chosen and not whole and tries < _TRIES and roomy:
                if lp.Solve() != pywraplp.Solver.OPTIMAL:
                    return None
                if lp.Objective().Value() - value > _TOL * max(1.0, abs(value)):
                    # too dear: let those days go again, and hold fewer, others
                    for e, d, i in chosen:
                        del held[e][d]
                        tabu.add((e, d, i))
                    for e in {e for e, _, _ in chosen}:
                        hold(e)
                    tries += 1
                    continue
            tries = 0
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        cost = lp.Objective().Value()
        picked: set[int] = set()
        for e in range(len(people)):
            keep = max(owned[e], key=lambda k: variables[k].solution_value())
            picked |= columns[keep][2]
        for e in range(len(people)):  # let every hold go again
            held[e].clear()
            hold(e)
        return cost, picked

    # Days first (whole people did far worse on Curtois 12); then, if it fits twice over in
    # the time left, whole people (Curtois 5: better), the cheaper kept.
    dive_started = time.perf_counter()
    best = dive(whole=False)
    took = time.perf_counter() - dive_started
    if best is not None and deadline - time.perf_counter() > 2 * took:
        other = dive(whole=True)
        if other is not None and other[0] < best[0]:
            best = other
    return None if best is None else best[1]
