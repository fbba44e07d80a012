"""Erlang C and Erlang A against a discrete-event simulation of M/M/n(+M), first come first served.

Each case simulates a long stationary run (seeded) and checks the formulas fall inside a band of
a few standard errors of the simulated means (batch means over 20 batches).
"""

from __future__ import annotations

import heapq

import numpy as np
import pytest

from staffing import queueing as q


def simulate(
    rate_per_hour: float, aht: float, agents: int, patience: float | None, customers: int, seed: int
) -> dict[str, np.ndarray]:
    """Per-customer outcomes: waited seconds, abandoned flag (FCFS, exponential everything)."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(3600.0 / rate_per_hour, customers))
    service = rng.exponential(aht, customers)
    patience_draw = (
        np.full(customers, np.inf) if patience is None else rng.exponential(patience, customers)
    )
    free = [0.0] * agents
    heapq.heapify(free)
    wait = np.empty(customers)
    abandoned = np.zeros(customers, dtype=bool)
    for i in range(customers):
        start = max(arrivals[i], free[0])
        waited = start - arrivals[i]
        if waited > patience_draw[i]:
            abandoned[i] = True
            wait[i] = patience_draw[i]
            continue
        wait[i] = waited
        heapq.heapreplace(free, start + service[i])
    warm = customers // 10
    return {"wait": wait[warm:], "abandoned": abandoned[warm:]}


def batch_band(values: np.ndarray, batches: int = 20) -> tuple[float, float]:
    means = np.array([b.mean() for b in np.array_split(values, batches)])
    return float(means.mean()), float(4 * means.std(ddof=1) / np.sqrt(batches) + 1e-3)


@pytest.mark.parametrize(
    ("rate", "aht", "agents"),
    [
        (200.0, 180.0, 14),  # Call Centre Helper example, occupancy 0.71
        (1900.0, 180.0, 100),  # occupancy 0.95
        (9600.0, 180.0, 500),  # large
    ],
)
def test_erlang_c_matches_simulation(rate: float, aht: float, agents: int) -> None:
    sim = simulate(rate, aht, agents, None, 120_000, seed=agents)
    traffic = rate * aht / 3600
    sl, sl_band = batch_band(sim["wait"] <= 20.0)
    asa, asa_band = batch_band(sim["wait"])
    assert float(q.service_level(traffic, agents, aht, 20.0)) == pytest.approx(sl, abs=sl_band)
    assert float(q.average_speed_of_answer(traffic, agents, aht)) == pytest.approx(
        asa, abs=asa_band
    )


@pytest.mark.parametrize(
    ("rate", "aht", "patience", "agents"),
    [
        (200.0, 180.0, 120.0, 10),  # understaffed: heavy abandonment
        (2100.0, 180.0, 300.0, 100),  # offered load above the agents: occupancy > 0.95
        (9600.0, 180.0, 600.0, 480),  # large
    ],
)
def test_erlang_a_matches_simulation(rate: float, aht: float, patience: float, agents: int) -> None:
    sim = simulate(rate, aht, agents, patience, 120_000, seed=agents + 1)
    answered_within = (sim["wait"] <= 20.0) & ~sim["abandoned"]
    sl, sl_band = batch_band(answered_within)
    ab, ab_band = batch_band(sim["abandoned"])
    wait, wait_band = batch_band(sim["wait"])
    r = q.erlang_a(rate, aht, patience, agents, 20.0)
    assert float(r.service_level) == pytest.approx(sl, abs=sl_band)
    assert float(r.abandon_rate) == pytest.approx(ab, abs=ab_band)
    assert float(r.asa) == pytest.approx(wait, abs=wait_band)
    if agents == 100:
        assert float(r.occupancy) > 0.95
