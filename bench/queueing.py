"""Queueing benchmark: speed on 100,000 intervals, pyworkforce side by side, and real data.

1. Erlang C and Erlang A on 100,000 intervals of mixed sizes (up to about 2,000 agents): time and
   peak memory (tracemalloc) of ``staffing.queueing``.
2. pyworkforce (installed into bench/.venv-pyworkforce, run in a subprocess) on a random subset
   of the same intervals: per-interval time ratio and the largest difference in results.
3. The bank call center of 1999 (``../shared/data/bank_calls_1999/hourly_queue_summary.csv``):
   service level within 20 s and abandonment predicted from observed arrivals, handling time
   and agents, by Erlang C and by Erlang A, against what was observed, by hour of day.

    python bench/queueing.py [--intervals 100000] [--subset 300] [--skip-pyworkforce]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import tracemalloc
import venv
from pathlib import Path

import numpy as np
import pandas as pd

from staffing import queueing as q

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT.parent / "shared" / "data" / "bank_calls_1999" / "hourly_queue_summary.csv"
PWF_ENV = ROOT / "bench" / ".venv-pyworkforce"
AHT, TARGET, PATIENCE = 200.0, 20.0, 300.0

PWF_SCRIPT = r"""
import json, sys, time
from pyworkforce.queuing import ErlangC
rows = json.load(sys.stdin)
out = []
start = time.perf_counter()
for traffic, agents, aht, target in rows:
    # pyworkforce works in minutes: transactions per interval of 60 min, aht in minutes
    e = ErlangC(transactions=traffic * 60.0 / (aht / 60.0), aht=aht / 60.0, asa=target / 60.0,
                interval=60)
    out.append([e.waiting_probability(agents), e.service_level(agents)])
elapsed = time.perf_counter() - start
json.dump({"seconds": elapsed, "results": out}, sys.stdout)
"""


def machine() -> str:
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} cpus, python "
        f"{platform.python_version()}, numpy {np.__version__}"
    )


def intervals(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    traffic = np.exp(rng.uniform(np.log(0.5), np.log(1900.0), n))
    agents = np.ceil(traffic + rng.uniform(0.1, 3.0, n) * np.sqrt(traffic) + 1)
    return traffic, agents


def timed(fn, *args):  # type: ignore[no-untyped-def]
    tracemalloc.start()
    start = time.perf_counter()
    result = fn(*args)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 2**20


def speed(n: int) -> tuple[np.ndarray, np.ndarray, float]:
    traffic, agents = intervals(n)

    def erlang_c_all(a: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return q.service_level(a, m, AHT, TARGET), q.average_speed_of_answer(a, m, AHT)

    def erlang_a_all(a: np.ndarray, m: np.ndarray) -> q.ErlangAResult:
        return q.erlang_a(a * 3600 / AHT, AHT, PATIENCE, m, TARGET)

    print(f"\n1. {n:,} intervals, traffic 0.5-1,900 Erlangs, agents up to {int(agents.max()):,}")
    print(f"{'model':<10}{'seconds':>10}{'us/interval':>14}{'peak MiB':>10}")
    bulk = 0.0
    for name, fn in (("Erlang C", erlang_c_all), ("Erlang A", erlang_a_all)):
        _, sec, mib = timed(fn, traffic, agents)
        bulk = bulk or sec
        print(f"{name:<10}{sec:>10.3f}{sec / n * 1e6:>14.2f}{mib:>10.1f}")
    _, sec, mib = timed(
        lambda a: q.required_agents(a, AHT, service_level_target=0.8, within=TARGET), traffic
    )
    print(f"{'required':<10}{sec:>10.3f}{sec / n * 1e6:>14.2f}{mib:>10.1f}  (Erlang C, 80/20)")
    return traffic, agents, bulk


def pyworkforce(traffic: np.ndarray, agents: np.ndarray, subset: int, bulk_seconds: float) -> None:
    py = PWF_ENV / "bin" / "python"
    if not py.exists():
        print(f"\n2. installing pyworkforce into {PWF_ENV} ...", flush=True)
        venv.create(PWF_ENV, with_pip=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "pyworkforce"], check=True)
    rng = np.random.default_rng(1)
    pick = rng.choice(traffic.size, size=subset, replace=False)
    rows = [[float(traffic[i]), int(agents[i]), AHT, TARGET] for i in pick]
    done = subprocess.run(
        [str(py), "-c", PWF_SCRIPT], input=json.dumps(rows), capture_output=True, text=True,
        check=False, timeout=3600,
    )  # fmt: skip
    if done.returncode != 0:
        print(f"\n2. pyworkforce failed: {done.stderr.strip().splitlines()[-1:]}")
        return
    theirs = json.loads(done.stdout)
    res = np.array(theirs["results"], dtype=float)
    start = time.perf_counter()
    pw = q.erlang_c(traffic[pick], agents[pick])
    sl = q.service_level(traffic[pick], agents[pick], AHT, TARGET)
    ours = time.perf_counter() - start
    ratio = (theirs["seconds"] / subset) / (ours / subset)
    finite = np.isfinite(res).all(axis=1)
    print(f"\n2. pyworkforce ErlangC on {subset} of those intervals (its own process)")
    print(f"{'':<22}{'pyworkforce':>14}{'ours':>14}")
    theirs_us = theirs["seconds"] / subset * 1e6
    print(f"{'us per interval':<22}{theirs_us:>14.1f}{ours / subset * 1e6:>14.2f}")
    bulk = bulk_seconds / traffic.size * 1e6
    print(f"speed-up on the same {subset} intervals (target >= 20x): {ratio:,.0f}x")
    print(
        f"speed-up against our 100k-interval throughput ({bulk:.2f} us): {theirs_us / bulk:,.0f}x"
    )
    print(f"intervals where pyworkforce returned a number: {finite.sum()} of {subset}")
    if finite.any():
        dp = np.max(np.abs(res[finite, 0] - pw[finite]))
        ds = np.max(np.abs(res[finite, 1] - sl[finite]))
        print(f"largest difference: P(wait) {dp:.2e}, service level {ds:.2e}")


def _bank_predict(d: pd.DataFrame, factor: float, patience: float) -> pd.DataFrame:
    """Erlang C and Erlang A predictions with ``factor`` x distinct agents as the head-count."""
    lam = d["arrivals_to_agent_queue"].to_numpy(float)  # per hour
    aht = d["mean_service_s"].to_numpy(float)
    n = np.maximum(np.round(d["distinct_agents_serving"].to_numpy(float) * factor), 1.0)
    traffic = lam * aht / 3600
    stable = n > traffic
    c_sl = np.where(stable, q.service_level(traffic, np.where(stable, n, traffic + 1), aht, 20), 0)
    a = q.erlang_a(lam, aht, patience, n, 20.0)
    return pd.DataFrame(
        {
            "hour": d["hour"].dt.hour.to_numpy(),
            "observed_sl": d["frac_answered_within_20s"].to_numpy(),
            "erlang_c_sl": c_sl,
            "erlang_a_sl": a.service_level,
            "observed_abandon": d["abandon_frac"].to_numpy(),
            "erlang_a_abandon": a.abandon_rate,
        }
    )


def _mae(p: pd.DataFrame, model: str) -> float:
    return float((p[model] - p["observed_sl"]).abs().mean())


def bank() -> pd.DataFrame:
    """Predicted against observed, raw and with a head-count factor fitted on Jan-Jun."""
    d = pd.read_csv(BANK, parse_dates=["hour"])
    d = d[(d["arrivals_to_agent_queue"] >= 10) & (d["distinct_agents_serving"] > 0)]
    d = d[d["mean_service_s"].between(30, 1200)]
    train = (d["hour"] < "1999-07-01").to_numpy()
    fit, test = d[train], d[~train]
    # exponential patience, censored by service: total wait of everyone / number who abandoned
    patience = fit["total_wait_s"].sum() / fit["abandoned"].sum()
    print(f"\n3. Bank call center 1999: {len(d):,} hours with >= 10 calls "
          f"({len(fit):,} Jan-Jun to fit, {len(test):,} Jul-Oct held out); patience estimated "
          f"on Jan-Jun as total wait / abandoned = {patience:.0f} s")  # fmt: skip
    raw = _bank_predict(test, 1.0, patience)
    print("\n3a. Head-count = distinct agents serving in the hour (held-out months), by hour:")
    table = raw.groupby("hour").mean(numeric_only=True)
    table["calls/h"] = test.groupby(test["hour"].dt.hour)["arrivals_to_agent_queue"].mean()
    print(table.round(3).to_string())
    print(f"mean |predicted - observed| service level: Erlang C {_mae(raw, 'erlang_c_sl'):.3f}, "
          f"Erlang A {_mae(raw, 'erlang_a_sl'):.3f}; abandonment: Erlang A "
          f"{(raw['erlang_a_abandon'] - raw['observed_abandon']).abs().mean():.3f} "
          f"(Erlang C predicts 0, observed mean {raw['observed_abandon'].mean():.3f})")  # fmt: skip
    # Distinct agents overstate who was on the queue (an agent serving one call counts as one
    # for the hour): fit one factor per model on Jan-Jun, judge it on Jul-Oct.
    factors = np.round(np.arange(0.30, 1.001, 0.05), 2)
    best = {}
    for model in ("erlang_c_sl", "erlang_a_sl"):
        scores = [_mae(_bank_predict(fit, f, patience), model) for f in factors]
        best[model] = float(factors[int(np.argmin(scores))])
    c = _bank_predict(test, best["erlang_c_sl"], patience)
    a = _bank_predict(test, best["erlang_a_sl"], patience)
    print(f"\n3b. Effective head-count = factor x distinct agents, factor fitted on Jan-Jun "
          f"(Erlang C {best['erlang_c_sl']:.2f}, Erlang A {best['erlang_a_sl']:.2f}); "
          f"held-out Jul-Oct by hour:")  # fmt: skip
    calibrated = pd.DataFrame(
        {
            "hour": a["hour"],
            "observed_sl": a["observed_sl"],
            "erlang_c_sl": c["erlang_c_sl"],
            "erlang_a_sl": a["erlang_a_sl"],
            "observed_abandon": a["observed_abandon"],
            "erlang_a_abandon": a["erlang_a_abandon"],
        }
    )
    print(calibrated.groupby("hour").mean(numeric_only=True).round(3).to_string())
    print(f"held-out mean |predicted - observed| service level: Erlang C "
          f"{_mae(c, 'erlang_c_sl'):.3f}, Erlang A {_mae(a, 'erlang_a_sl'):.3f}; abandonment: "
          f"Erlang A {(a['erlang_a_abandon'] - a['observed_abandon']).abs().mean():.3f}, "
          f"Erlang C {a['observed_abandon'].mean():.3f} (it predicts none)")  # fmt: skip
    return calibrated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--intervals", type=int, default=100_000)
    parser.add_argument("--subset", type=int, default=300)
    parser.add_argument("--skip-pyworkforce", action="store_true")
    args = parser.parse_args()
    print(machine())
    traffic, agents, bulk = speed(args.intervals)
    if not args.skip_pyworkforce:
        pyworkforce(traffic, agents, args.subset, bulk)
    if BANK.exists():
        bank()
    else:
        print(f"\n3. {BANK} not found: real-data comparison skipped")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
