"""Our roster against pyworkforce's shift selection and rostering, on the sample store's week.

pyworkforce (installed into bench/.venv-pyworkforce, run in a subprocess) gets each role's
requirement curve from our requirements step (people needed per 30-minute interval, the larger
of the queueing need and the fixed-post minimum) and whole-hour shift patterns of 4, 6 and 8
hours inside opening hours:

- ``MinAbsDifference``: how many of each shift per day, minimising |scheduled - required|.
- ``MinRequiredResources``: the cheapest shift counts that cover every interval (hard).
- ``MinHoursRoster``: names those shift counts (for the cashiers) with its own rules.

Both selection models count heads per shift, not people: no availability, contracts, rest,
breaks or skills, so their cost is an estimate (paid hours x the role's median hourly wage) and
their coverage ignores meal breaks. Ours names every person with all the rules and is judged by
the same measures: paid hours, wage cost, under-staffed person-hours and interval-hours.

    python bench/pyworkforce_roster.py [--time-limit 30]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

# bench/solver.py is named like the package: keep bench/ off the import path, and measure
# the checkout this file is in (the virtual environment's editable install may point at
# another one: a git worktree of an older commit would measure main's code).
_HERE = Path(__file__).resolve().parent
sys.path = [str(_HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import numpy as np  # noqa: E402

from staffing.loader import load_store  # noqa: E402
from staffing.pipeline import PlanSettings, plan_week  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PWF_ENV = ROOT / "bench" / ".venv-pyworkforce"

PWF_SCRIPT = r"""
import json, sys, time
from pyworkforce.scheduling import MinAbsDifference, MinRequiredResources
from pyworkforce.rostering.binary_programming import MinHoursRoster
job = json.load(sys.stdin)
out = {}
for role, need in job["need"].items():
    days, periods = len(need), len(need[0])
    peak = max(max(row) for row in need)
    res = {}
    for name, cls in (("MinAbsDifference", MinAbsDifference),
                      ("MinRequiredResources", MinRequiredResources)):
        kw = {"cost_dict": job["costs"]} if name == "MinRequiredResources" else {}
        model = cls(num_days=days, periods=periods, shifts_coverage=job["shifts"],
                    required_resources=need, max_period_concurrency=4 * peak + 10,
                    max_shift_concurrency=2 * peak + 5, max_search_time=job["limit"],
                    num_search_workers=2, **kw)
        start = time.perf_counter()
        sol = model.solve()
        res[name] = {"status": sol["status"], "seconds": time.perf_counter() - start,
                     "shifts": sol["resources_shifts"]}
    out[role] = res
    if role == job["roster_role"]:
        chosen = res["MinRequiredResources"]["shifts"]
        names = list(job["shifts"])
        required = {s: [0] * days for s in names}
        for r in chosen:
            if r["day"] >= 0:
                required[r["shift"]][r["day"]] = r["resources"]
        roster = MinHoursRoster(num_days=days, resources=job["people"], shifts=names,
                                shifts_hours=[int(job["hours"][s]) for s in names],
                                min_working_hours=job["min_hours"], banned_shifts=[],
                                max_resting=days - job["max_days"], required_resources=required,
                                max_search_time=job["limit"], num_search_workers=2)
        start = time.perf_counter()
        sol = roster.solve()
        out["roster"] = {"status": sol["status"], "seconds": time.perf_counter() - start,
                         "cost": sol.get("cost")}
json.dump(out, sys.stdout)
"""


def pyworkforce_python() -> Path:
    py = PWF_ENV / "bin" / "python"
    if not py.exists():
        print(f"installing pyworkforce into {PWF_ENV} ...", flush=True)
        venv.create(PWF_ENV, with_pip=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "pyworkforce"], check=True)
    return py


def shift_patterns(open_from: int, open_to: int, periods_per_hour: int) -> dict[str, list[int]]:
    """Whole-hour starts, 4/6/8-hour shifts inside [open_from, open_to) (periods of the day)."""
    per_day = 24 * periods_per_hour
    shifts = {}
    for hours in (4, 6, 8):
        length = hours * periods_per_hour
        for start in range(open_from, open_to - length + 1, periods_per_hour):
            cover = [0] * per_day
            cover[start : start + length] = [1] * length
            shifts[f"{start // periods_per_hour:02d}h+{hours}"] = cover
    return shifts


def measures(cover: np.ndarray, need: np.ndarray, slot_hours: float) -> tuple[float, float, float]:
    """Under-staffed person-hours, under-staffed interval-hours, over-staffed person-hours."""
    short = np.maximum(need - cover, 0)
    return (
        float(short.sum() * slot_hours),
        float((short > 0).sum() * slot_hours),
        float(np.maximum(cover - need, 0).sum() * slot_hours),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, python "
          f"{platform.python_version()}")  # fmt: skip
    data = load_store(ROOT / "sample_data" / "store")
    week = data.default_week()
    start = time.perf_counter()
    plan = plan_week(data, week, PlanSettings(time_limit_seconds=args.time_limit))
    ours_seconds = time.perf_counter() - start
    slot = data.store.interval_minutes
    per_day, slot_hours = 1440 // slot, slot / 60
    cov = plan.coverage
    roles = [r for r in data.store.roles if cov[cov["role"] == r][["required", "post_minimum"]]
             .to_numpy().max() > 0]  # fmt: skip
    need = {}
    for r in roles:
        one = cov[cov["role"] == r]
        need[r] = np.maximum(one["required"], one["post_minimum"]).to_numpy().reshape(7, per_day)
    opened = [data.store.open_minutes(d) for d in range(7)]
    first = min(o[0] for o in opened if o) // slot
    last = max(o[1] for o in opened if o) // slot
    shifts = shift_patterns(first, last, 60 // slot)
    hours = {s: sum(c) * slot_hours for s, c in shifts.items()}
    cashiers = [e for e in data.employees if "cashier" in e.roles]
    job = {
        "need": {r: need[r].tolist() for r in roles},
        "shifts": shifts,
        "hours": hours,
        "costs": hours,  # MinRequiredResources minimises paid hours
        "limit": args.time_limit,
        "roster_role": "cashier",
        "people": [e.id for e in cashiers],
        "min_hours": 0,
        "max_days": 5,
    }
    py = pyworkforce_python()
    done = subprocess.run([str(py), "-c", PWF_SCRIPT], input=json.dumps(job), text=True,
                          capture_output=True)  # fmt: skip
    if done.returncode:
        sys.exit(f"pyworkforce failed:\n{done.stderr[-3000:]}")
    pwf = json.loads(done.stdout)

    print(f"\nSample store, week of {week}: {len(roles)} roles, {per_day} intervals a day, "
          f"{len(shifts)} patterns for pyworkforce; limit {args.time_limit:.0f} s")  # fmt: skip
    head = (f"{'role':<11}{'model':<22}{'status':<10}{'paid h':>8}{'wage cost':>11}"
            f"{'short p-h':>11}{'short int-h':>13}{'over p-h':>10}{'seconds':>9}")  # fmt: skip
    print(head)
    print("-" * len(head))
    totals: dict[str, list[float]] = {}
    for r in roles:
        wage = statistics.median(e.hourly_cost for e in data.employees if r in e.roles)
        on_duty = cov[cov["role"] == r]["on_duty"].to_numpy().reshape(7, per_day)
        paid = float(plan.roster_rows.loc[plan.roster_rows["role"] == r, "paid_hours"].sum())
        cost = float(plan.roster_rows.loc[plan.roster_rows["role"] == r, "cost"].sum())
        rows = [("ours (named, all rules)", plan.roster.status, paid, cost, on_duty,
                 plan.roster.solve_seconds)]  # fmt: skip
        for name in ("MinAbsDifference", "MinRequiredResources"):
            res = pwf[r][name]
            cover = np.zeros((7, per_day))
            paid = 0.0
            for s in res["shifts"]:
                if s["day"] >= 0 and s["resources"] > 0:
                    cover[s["day"]] += s["resources"] * np.array(shifts[s["shift"]])
                    paid += s["resources"] * hours[s["shift"]]
            rows.append((name, res["status"], paid, paid * wage, cover, res["seconds"]))
        for label, status, paid, cost, cover, seconds in rows:
            short, short_int, over = measures(cover, need[r], slot_hours)
            t = totals.setdefault(label, [0.0] * 5)
            for i, v in enumerate((paid, cost, short, short_int, over)):
                t[i] += v
            print(f"{r:<11}{label:<22}{status:<10}{paid:>8.1f}{cost:>11,.0f}{short:>11.1f}"
                  f"{short_int:>13.1f}{over:>10.1f}{seconds:>9.1f}")  # fmt: skip
    print("-" * len(head))
    for label, (paid, cost, short, short_int, over) in totals.items():
        print(f"{'all':<11}{label:<22}{'':<10}{paid:>8.1f}{cost:>11,.0f}{short:>11.1f}"
              f"{short_int:>13.1f}{over:>10.1f}")  # fmt: skip
    roster = pwf.get("roster", {})
    print(f"\npyworkforce MinHoursRoster naming the cashiers' MinRequiredResources shifts "
          f"({len(cashiers)} people, at most 5 days each): {roster.get('status')} after "
          f"{roster.get('seconds', 0):.1f} s")  # fmt: skip
    print(f"ours: the whole store in {ours_seconds:.1f} s (forecast, requirements and roster)")
    print(
        "\nReading the table: pyworkforce's selection models have an unlimited pool of "
        "interchangeable people, so they\nbuy every missing head; ours can only use the "
        "store's people within their availability and contracts,\nand prices a missing person "
        "at the service that person would add (store.toml [costs]), so it leaves\nthe "
        "intervals where one more person adds little service short. Same requirement curve, "
        "same measures."
    )
    print(
        "\nWhat pyworkforce leaves out, and ours enforces: availability windows and days off, "
        "skills/roles per person,\ncontract minimum/maximum hours per person (MinHoursRoster "
        "has one minimum for all, selection has none),\nrest between shifts across days (only "
        "banned shift successions), meal breaks (coverage counts the break),\nfixed posts as "
        "role minimums, the marginal value of each extra person (it weighs every missing head "
        "alike),\nfairness of weekends and closing shifts, locked shifts and minimal-change "
        "re-solves, interval coverage in rostering\n(MinHoursRoster only meets a head-count per "
        "shift and day)."
    )


if __name__ == "__main__":
    main()
