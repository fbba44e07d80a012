"""Roster solver benchmark: the sample store and the contact center, through the real pipeline.

Prints, per case: employees, slots, candidate shifts, the time to the first roster, the objective
after the time limit, CP-SAT's lower bound and the gap, and the checker's verdict, against the
issue's targets (store: <= 1% gap within 10 s; contact center: first roster within 10 s and
<= 2% gap within 60 s, 2 workers).

    python bench/solver.py [--time-limit 10] [--cc-time-limit 60] [--skip-cc]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

# This file is named like the package it measures: keep bench/ off the import path.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import ortools  # noqa: E402

import solver  # noqa: E402
from solver._candidates import candidates_for  # noqa: E402
from staffing.forecasting import forecast_week  # noqa: E402
from staffing.loader import load_store  # noqa: E402
from staffing.requirements import compute_requirements  # noqa: E402
from staffing.rostering import build_problem  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def run(folder: Path, limit: float, workers: int) -> dict[str, object]:
    data = load_store(folder)
    week = data.default_week()
    forecast, _ = forecast_week(data, week)
    req = compute_requirements(data, forecast, week)
    problem = build_problem(data, week, req.needs)
    started = time.perf_counter()
    n_cands = sum(len(candidates_for(problem, e)) for e in range(len(problem.employees)))
    first: list[float] = []

    def progress(objective: float, seconds: float) -> None:
        if not first:
            first.append(time.perf_counter() - started)

    roster = solver.solve(
        problem,
        solver.SolveSettings(time_limit_seconds=limit, workers=workers, on_solution=progress),
    )
    total = time.perf_counter() - started
    return {
        "case": folder.name,
        "employees": len(problem.employees),
        "slots": problem.horizon_slots,
        "candidates": n_cands,
        "first_s": first[0] if first else float("nan"),
        "total_s": total,
        "status": roster.status,
        "objective": roster.objective,
        "bound": roster.lower_bound,
        "gap": roster.gap,
        "violations": len(solver.check_roster(problem, roster)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--cc-time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-cc", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cpus, "
        f"python {platform.python_version()}, ortools {ortools.__version__}"
    )
    cases = [(ROOT / "sample_data" / "store", args.time_limit, 0.01)]
    if not args.skip_cc:
        cases.append((ROOT / "sample_data" / "contact_center", args.cc_time_limit, 0.02))
    header = (
        f"{'case':<16}{'emps':>5}{'slots':>6}{'cands':>8}{'first s':>9}{'total s':>9}"
        f"{'status':>10}{'objective':>12}{'bound':>12}{'gap':>8}{'target':>8}{'viol':>6}"
    )
    print(header)
    for folder, limit, target in cases:
        r = run(folder, limit, args.workers)
        print(
            f"{r['case']:<16}{r['employees']:>5}{r['slots']:>6}{r['candidates']:>8}"
            f"{r['first_s']:>9.1f}{r['total_s']:>9.1f}{r['status']:>10}{r['objective']:>12.0f}"
            f"{r['bound']:>12.0f}{r['gap']:>8.1%}{target:>8.0%}{r['violations']:>6}"
        )


if __name__ == "__main__":
    main()
