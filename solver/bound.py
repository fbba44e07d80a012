"""A lower bound from the linear relaxation of the shift-pattern model (GLOP).

The relaxation keeps the candidate shifts (each break anywhere in its window), one shift a day,
paid-hour (soft and hard minimum, maximum), day, weekend-day and per-type limits, convex shortfall,
fixed posts, over-staffing, under- and over-cover per shift type, requests, contract minimums,
overtime and both fairness terms (weekend days beyond the first, hours off target: convex, so
exact at whole shifts), and drops the rules it cannot state linearly without more variables (rest,
runs of days, weekends in a row): dropping constraints keeps the LP optimum a valid lower bound on
the model's objective. The fairness terms raise it by 0.5% on the store (22,187 -> 22,304).
On shift-covering problems this bound is usually much tighter than what CP-SAT proves in a few
seconds.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import timedelta

from ortools.linear_solver import pywraplp
from ortools.math_opt.io.python import mps_converter
from ortools.math_opt.python import mathopt

from solver._candidates import Candidate
from solver.problem import RosterProblem

__all__ = ["lp_bound", "mip_bound"]


def lp_bound(
    problem: RosterProblem,
    cands: list[Candidate],
    time_limit_seconds: float,
    duals: dict[tuple[str, str, int], float] | None = None,
    *,
    interior: bool = False,
) -> float:
    """The LP relaxation's optimum (currency units), or 0.0 if no optimum is found in time.

    GLOP's simplex by default; ``interior`` uses HiGHS's interior-point method without
    crossover through MathOpt, about twice as fast on very large weeks. Its value is the
    solver's dual bound, valid to about 1e-9.

    ``duals``, if given, receives the dual values of the cover, post and over-staffing rows by
    ``("cover" | "post" | "over", role, slot)`` (the starting multipliers of the Lagrangian
    bound, :mod:`solver._lagrange`).
    """
    started = time.perf_counter()
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:  # pragma: no cover - GLOP ships with OR-Tools
        return 0.0
    rows: dict[tuple[str, str, int], pywraplp.Constraint] = {}
    objective = _relaxation(
        lp, problem, cands, integer=False, seconds=time_limit_seconds, rows=rows, compact=interior
    )
    if interior:
        left = time_limit_seconds - (time.perf_counter() - started)
        return _interior(lp, rows, left, duals) if left > 0 else 0.0
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return 0.0
    if duals is not None:
        duals.update({k: row.dual_value() for k, row in rows.items()})
    return float(objective.Value())


def _interior(
    lp: pywraplp.Solver,
    rows: dict[tuple[str, str, int], pywraplp.Constraint],
    seconds: float,
    duals: dict[tuple[str, str, int], float] | None,
) -> float:
    """Solve the LP built on ``lp`` with HiGHS's interior-point method (MathOpt, for its duals).

    OR-Tools' ``pywraplp`` HiGHS wrapper reports no duals; MathOpt does. The model travels as
    MPS text (a second or two on the contact center), its rows in the same order.
    """
    model = mathopt.Model.from_model_proto(
        mps_converter.mps_to_model_proto(lp.ExportModelAsMpsFormat(False, False))
    )
    params = mathopt.SolveParameters(
        lp_algorithm=mathopt.LPAlgorithm.BARRIER, time_limit=timedelta(seconds=seconds)
    )
    params.highs.string_options["run_crossover"] = "off"
    params.highs.int_options["threads"] = 1  # the other core is the local search's
    result = mathopt.solve(model, mathopt.SolverType.HIGHS, params=params)
    if result.termination.reason != mathopt.TerminationReason.OPTIMAL:
        return 0.0
    if duals is not None and result.has_dual_feasible_solution():
        values = result.dual_values()
        constraints = list(model.linear_constraints())
        duals.update({k: values[constraints[row.index()]] for k, row in rows.items()})
    return float(result.termination.objective_bounds.dual_bound)


def mip_bound(
    problem: RosterProblem, cands: list[Candidate], time_limit_seconds: float
) -> tuple[float, float]:
    """The same model with whole shifts, solved by HiGHS: (best bound, best roster's value).

    A tighter bound than the LP's where whole people matter: on the store the LP places a
    fraction of a greeter's break under a colleague's fraction of a shift, and only the
    integer model sees that someone stands at the door alone (without breaks the LP equals
    this model's optimum within 0.01%). HiGHS's cuts lift the store's bound from 22,304 to
    22,882 in 15 s and 22,948 in 30 s, one thread; SCIP reached 22,898 in 30 s. The solve
    uses one thread and ignores interruption: ``time_limit_seconds`` is its end. It is the
    benchmark's yardstick; the solve's own bound takes whole shifts a day at a time
    (:mod:`solver._days`), which gets further sooner (store: 23,072 in a 30-s solve). The best
    roster's value is ``inf`` when its branching found none in time (it runs no heuristics);
    ``(0.0, inf)`` when HiGHS proves nothing in time.
    """
    started = time.perf_counter()
    build = pywraplp.Solver.CreateSolver("GLOP")  # a model builder here; HiGHS solves it
    if build is None:  # pragma: no cover - GLOP ships with OR-Tools
        return 0.0, float("inf")
    _relaxation(build, problem, cands, integer=True, seconds=time_limit_seconds, compact=True)
    model = mathopt.Model.from_model_proto(
        mps_converter.mps_to_model_proto(build.ExportModelAsMpsFormat(False, False))
    )
    left = time_limit_seconds - (time.perf_counter() - started)
    if left <= 0:
        return 0.0, float("inf")
    params = mathopt.SolveParameters(time_limit=timedelta(seconds=left))
    params.highs.int_options["threads"] = 1
    # The bound is the point: no primal heuristics. With them, HiGHS overran its time limit
    # by 4-9 s in a round at the root (store, 15-20 s limits); without, by 0.3 s, at the same
    # bound.
    params.highs.double_options["mip_heuristic_effort"] = 0.0
    result = mathopt.solve(model, mathopt.SolverType.HIGHS, params=params)
    bounds = result.termination.objective_bounds
    primal = float(bounds.primal_bound) if result.has_primal_feasible_solution() else float("inf")
    return max(0.0, float(bounds.dual_bound)), primal


def _relaxation(
    lp: pywraplp.Solver,
    problem: RosterProblem,
    cands: list[Candidate],
    *,
    integer: bool,
    seconds: float,
    rows: dict[tuple[str, str, int], pywraplp.Constraint] | None = None,
    compact: bool = False,
    tags: list[tuple[int, bool]] | None = None,
    splits: dict[tuple[str, int, int], list[tuple[int, int]]] | None = None,
) -> pywraplp.Objective:
    """Build the relaxed model on ``lp`` (shift variables whole when ``integer``; each
    person's paid minutes as one variable when ``compact``).

    ``rows``, if given, receives the cover, post and over-staffing rows by
    ``("cover" | "post" | "over", role, slot)``, for their duals. ``tags``, if given, receives
    for each variable in the order of their indices its day (-1: the person's week) and whether
    it counts shifts (whole in the roster): the day bound's split (:mod:`solver._days`).
    Variables a week row alone prices get finite upper bounds their rows imply, so that the
    day bound can take their least value. ``splits``, if given, receives for each shift pattern
    ``(role, start, end)`` whose break may start at several places the index of each place's
    count: ``[(break start slot, variable index)]``.
    """
    rows = {} if rows is None else rows
    tagged = [] if tags is None else tags
    lp.SetTimeLimit(int(seconds * 1000))
    w = problem.weights
    hours = problem.slot_minutes / 60
    n = problem.horizon_slots
    per_day = problem.slots_per_day

    def var(lo: float, hi: float, day: int, counts: bool = False) -> pywraplp.Variable:
        tagged.append((day, counts))
        return lp.IntVar(lo, hi, "") if integer and counts else lp.NumVar(lo, hi, "")

    x = [var(0.0, 1.0, c.day, True) for c in cands]
    objective = lp.Objective()
    by_emp_day: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        by_emp_day[(c.employee, c.day)].append(i)
        objective.SetCoefficient(x[i], c.paid * hours * problem.employees[c.employee].hourly_cost)
    weekend_days = sum(1 for d in range(problem.days) if problem.is_weekend(d))
    for e, emp in enumerate(problem.employees):
        days, weekend = [], []
        for d in range(problem.days):
            members = by_emp_day.get((e, d), [])
            if not members:
                continue
            one = lp.Constraint(0.0, 1.0)
            for i in members:
                one.SetCoefficient(x[i], 1.0)
            days.extend(members)
            if problem.is_weekend(d):
                weekend.extend(members)
        minutes = {i: cands[i].paid * problem.slot_minutes for i in days}
        # The person's paid minutes enter several rows: each through the shifts (GLOP is 2-3x
        # faster so on the store) or, ``compact``, through one variable that a single row with
        # all of the person's shifts defines (HiGHS's interior point a quarter faster so on the
        # contact center; SCIP's 30-s bound on the store 22,959 in two runs, against -4,739 to
        # 22,722 through the shifts).
        total: pywraplp.Variable | None = None
        if compact:
            total = var(emp.hard_min_minutes, emp.max_minutes, -1)
            define = lp.Constraint(0.0, 0.0)  # shifts' minutes - total = 0
            define.SetCoefficient(total, -1.0)
            _add_paid(define, 1.0, None, x, minutes)
        else:
            _add_paid(lp.Constraint(emp.hard_min_minutes, emp.max_minutes), 1.0, None, x, minutes)
        minimum = var(0.0, emp.min_minutes, -1)
        objective.SetCoefficient(minimum, w.contract_minimum / 60)
        reach = lp.Constraint(emp.min_minutes, lp.infinity())  # paid + minimum >= min
        reach.SetCoefficient(minimum, 1.0)
        _add_paid(reach, 1.0, total, x, minutes)
        over = var(0.0, emp.max_minutes, -1)
        objective.SetCoefficient(over, emp.hourly_cost * w.overtime_premium / 60)
        # over >= paid - the overtime threshold
        overtime = lp.Constraint(-w.overtime_after_minutes, lp.infinity())
        overtime.SetCoefficient(over, 1.0)
        _add_paid(overtime, -1.0, total, x, minutes)
        if emp.target_minutes is not None and w.fairness_hours > 0:
            # hours off target: paid - target = above - below, both priced
            above = var(0.0, emp.max_minutes, -1)
            below = var(0.0, emp.target_minutes, -1)
            objective.SetCoefficient(above, w.fairness_hours / 60)
            objective.SetCoefficient(below, w.fairness_hours / 60)
            off = lp.Constraint(emp.target_minutes, emp.target_minutes)
            off.SetCoefficient(above, -1.0)
            off.SetCoefficient(below, 1.0)
            _add_paid(off, 1.0, total, x, minutes)
        for name, cap in emp.max_shifts_per_type:
            row = lp.Constraint(0.0, cap)
            for i in days:
                if cands[i].kind == name:
                    row.SetCoefficient(x[i], 1.0)
        limit = lp.Constraint(0.0, emp.max_days)
        for i in days:
            limit.SetCoefficient(x[i], 1.0)
        if weekend:
            end = lp.Constraint(0.0, emp.max_weekend_days)
            for i in weekend:
                end.SetCoefficient(x[i], 1.0)
            if w.fairness_weekend > 0 and weekend_days > 1:
                extra = var(0.0, weekend_days, -1)  # weekend days beyond the first
                objective.SetCoefficient(extra, w.fairness_weekend)
                spread = lp.Constraint(-1.0, lp.infinity())
                spread.SetCoefficient(extra, 1.0)
                for i in weekend:
                    spread.SetCoefficient(x[i], -1.0)
    # Identical shifts of different people count once in each cover row, through a pattern
    # variable (their sum): the cover rows shrink from one entry per person and shift to one
    # per shift pattern, which makes the LP several times faster on large weeks. A pattern
    # whose break may start at several places splits into one part per place, as in the model.
    groups: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        groups[(c.role, c.start, c.end)].append(i)
    on_duty: dict[tuple[str, int], list[pywraplp.Variable]] = defaultdict(list)
    for members in groups.values():
        c = cands[members[0]]
        places = c.break_starts()
        if len(members) == 1 and len(places) <= 1:
            pattern = x[members[0]]
        else:
            pattern = var(0.0, len(members), c.day)
            link = lp.Constraint(0.0, 0.0)
            link.SetCoefficient(pattern, 1.0)
            for i in members:
                link.SetCoefficient(x[i], -1.0)
        if len(places) <= 1:
            for t in range(max(c.start, 0), min(c.end, n)):
                if c.covers(t):
                    on_duty[(c.role, t)].append(pattern)
            continue
        split = [var(0.0, len(members), c.day, True) for _ in places]
        if splits is not None:
            splits[(c.role, c.start, c.end)] = [
                (b, v.index()) for b, v in zip(places, split, strict=True)
            ]
        link = lp.Constraint(0.0, 0.0)
        link.SetCoefficient(pattern, 1.0)
        for v in split:
            link.SetCoefficient(v, -1.0)
        lo, hi = places[0], places[-1] + c.break_len
        for t in range(max(c.start, 0), min(c.end, n)):
            if lo <= t < hi:
                on_duty[(c.role, t)].extend(
                    v for b, v in zip(places, split, strict=True) if not b <= t < b + c.break_len
                )
            else:
                on_duty[(c.role, t)].append(pattern)
    for demand in problem.demands:
        for t in range(n):
            req = demand.required[t] if t < len(demand.required) else 0
            minimum = demand.minimum[t] if demand.minimum else 0
            duty = on_duty.get((demand.role, t), [])
            if req > 0:
                cover = lp.Constraint(req, lp.infinity())
                rows[("cover", demand.role, t)] = cover
                for v in duty:
                    cover.SetCoefficient(v, 1.0)
                costs = demand.shortfall_costs[t] if demand.shortfall_costs else ()
                for k in range(req):
                    unit = var(0.0, 1.0, t // per_day)
                    cover.SetCoefficient(unit, 1.0)
                    objective.SetCoefficient(
                        unit, costs[min(k, len(costs) - 1)] if costs else w.shortfall
                    )
            if minimum > 0:
                post = var(0.0, minimum, t // per_day)
                objective.SetCoefficient(post, w.post_shortfall)
                row = lp.Constraint(minimum, lp.infinity())
                rows[("post", demand.role, t)] = row
                row.SetCoefficient(post, 1.0)
                for v in duty:
                    row.SetCoefficient(v, 1.0)
            if demand.over_cost > 0 and duty:
                # at most everyone who may be on duty (a bound the row implies)
                extra = var(0.0, sum(v.ub() for v in duty), t // per_day)
                objective.SetCoefficient(extra, demand.over_cost)
                row = lp.Constraint(-max(req, minimum), lp.infinity())
                rows[("over", demand.role, t)] = row
                row.SetCoefficient(extra, 1.0)
                for v in duty:
                    row.SetCoefficient(v, -1.0)
    by_kind: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, c in enumerate(cands):
        if c.kind is not None:
            by_kind[(c.day, c.kind)].append(i)
    for dem in problem.shift_demands:
        members = [
            i
            for i in by_kind.get((dem.day, dem.shift_type), [])
            if dem.role is None or cands[i].role == dem.role
        ]
        under = var(0.0, dem.required, dem.day)
        objective.SetCoefficient(under, dem.under_cost)
        row = lp.Constraint(dem.required, lp.infinity())
        row.SetCoefficient(under, 1.0)
        for i in members:
            row.SetCoefficient(x[i], 1.0)
        if dem.over_cost > 0:
            extra = var(0.0, float(len(members)), dem.day)
            objective.SetCoefficient(extra, dem.over_cost)
            row = lp.Constraint(-dem.required, lp.infinity())
            row.SetCoefficient(extra, 1.0)
            for i in members:
                row.SetCoefficient(x[i], -1.0)
    index = {emp.id: e for e, emp in enumerate(problem.employees)}
    for wish in problem.requests:  # unmet >= 1 - shifts asked for; unmet >= shifts asked against
        who = index.get(wish.employee_id)
        if who is None or not 0 <= wish.day < problem.days:
            continue
        members = [
            i
            for i in by_emp_day.get((who, wish.day), [])
            if (wish.shift_type is None or cands[i].kind == wish.shift_type)
            and (
                wish.start_slot is None
                or wish.end_slot is None
                or (cands[i].start < wish.end_slot and wish.start_slot < cands[i].end)
            )
        ]
        unmet = var(0.0, 1.0, wish.day)
        objective.SetCoefficient(unmet, wish.weight * w.request)
        row = lp.Constraint(1.0 if wish.on else 0.0, lp.infinity())
        row.SetCoefficient(unmet, 1.0)
        for i in members:
            row.SetCoefficient(x[i], 1.0 if wish.on else -1.0)
    objective.SetMinimization()
    return objective


def _add_paid(
    row: pywraplp.Constraint,
    sign: float,
    total: pywraplp.Variable | None,
    x: list[pywraplp.Variable],
    minutes: dict[int, int],
) -> None:
    """Add ``sign`` x a person's paid minutes to ``row``: ``total`` if given, else their shifts
    (``minutes``: candidate index -> paid minutes)."""
    if total is not None:
        row.SetCoefficient(total, sign)
        return
    for i, m in minutes.items():
        row.SetCoefficient(x[i], sign * m)
