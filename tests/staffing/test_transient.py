"""Queues carried from one interval to the next against a simulation of the same week.

Walk-in customers (Poisson arrivals, exponential service, first come first served) arrive at a
counter that nobody staffs for the first half hour; the queue that builds up is served over the
next intervals. Per-interval Erlang C sees none of it after the first interval.
"""

from __future__ import annotations

import heapq

import numpy as np
import pytest

from staffing import queueing
from staffing.transient import carried_queues

SECONDS = 1800.0
AHT = 120.0
WITHIN = 60.0
RATE = np.array([60.0, 60.0, 60.0, 60.0, 60.0, 0.0])  # arrivals per hour; closed at the end
SERVERS = np.array([0.0, 3.0, 3.0, 3.0, 3.0, 0.0])  # 90 an hour once staffed


def _steady(
    volume: np.ndarray, servers: np.ndarray, patience: float | None = None
) -> dict[str, np.ndarray]:
    m = queueing.measures(volume * AHT / SECONDS, servers, AHT, WITHIN, patience)
    return {
        "service_level": m.service_level,
        "average_wait_seconds": np.minimum(m.asa, SECONDS),
        "abandon_rate": m.abandon_rate,
    }


def _simulate(runs: int, seed: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Per interval of arrival: share answered within WITHIN, and the week's mean wait (s)."""
    rng = np.random.default_rng(seed)
    within = np.zeros(RATE.size)
    count = np.zeros(RATE.size)
    waited_total, customers = 0.0, 0
    for _ in range(runs):
        free: list[float] = [SECONDS] * 3  # the three people come in at the second interval
        heapq.heapify(free)
        t = 0.0
        while True:
            t += rng.exponential(3600.0 / 60.0)
            interval = int(t // SECONDS)
            if interval >= 5:  # arrivals end with the fifth interval
                break
            start = max(t, free[0])
            heapq.heapreplace(free, start + rng.exponential(AHT))
            wait = start - t
            within[interval] += wait <= WITHIN
            count[interval] += 1
            waited_total += wait
            customers += 1
    return within / np.maximum(count, 1), count / runs, waited_total / customers


def test_a_queue_left_by_an_empty_counter_is_carried_into_the_next_intervals() -> None:
    volume = RATE * SECONDS / 3600.0
    is_open = np.array([True] * 5 + [False])
    steady = _steady(volume, SERVERS)
    got = carried_queues(volume, SERVERS, SECONDS, AHT, WITHIN, None, is_open, steady)
    sl, arrivals, mean_wait = _simulate(runs=400, seed=1)
    # the simulated service level per interval of arrival (400 runs: +-0.02 or so)
    assert got["service_level"][:5] == pytest.approx(sl[:5], abs=0.05)
    assert sl[1] < 0.2  # the backlog: steady-state Erlang C had said otherwise
    assert steady["service_level"][1] > 0.7
    # Little's law over the week: the waits reported per interval add up to the simulated total
    reported = float(np.sum(got["average_wait_seconds"][:5] * arrivals[:5]) / arrivals[:5].sum())
    assert reported == pytest.approx(mean_wait, rel=0.08)
    assert (
        float(np.sum(steady["average_wait_seconds"][:5] * arrivals[:5])) / arrivals[:5].sum()
        < 0.8 * mean_wait
    )  # the per-interval view misses a quarter of it


def test_a_week_at_its_steady_state_keeps_the_steady_figures() -> None:
    volume = np.full(6, 30.0)
    servers = np.full(6, 3.0)
    steady = _steady(volume, servers)
    got = carried_queues(
        volume, servers, SECONDS, AHT, WITHIN, None, np.ones(6, dtype=bool), steady
    )
    for key, value in steady.items():
        assert got[key] == pytest.approx(value)


def test_abandonment_keeps_the_carried_queue_short() -> None:
    volume = RATE * SECONDS / 3600.0
    is_open = np.array([True] * 5 + [False])
    patient = carried_queues(
        volume, SERVERS, SECONDS, AHT, WITHIN, None, is_open, _steady(volume, SERVERS)
    )
    leaving = carried_queues(
        volume, SERVERS, SECONDS, AHT, WITHIN, 120.0, is_open, _steady(volume, SERVERS, 120.0)
    )
    assert leaving["average_wait_seconds"][1] < patient["average_wait_seconds"][1]
    assert leaving["abandon_rate"][0] == pytest.approx(1.0, abs=0.02)  # nobody there: all leave
    assert 0 < leaving["abandon_rate"][1] < 1


def test_a_queue_of_thousands_keeps_the_steady_figures() -> None:
    """Three people against 2,000 walk-ins a half hour: the carried queue would need thousands
    of states (the KPIs had hung); the steady figures already say the week fails."""
    volume = np.full(48, 2000.0)
    servers = np.full(48, 3.0)
    steady = _steady(volume, servers)
    got = carried_queues(
        volume, servers, SECONDS, AHT, WITHIN, None, np.ones(48, dtype=bool), steady
    )
    for key, value in steady.items():
        assert got[key] == pytest.approx(value)
    assert steady["service_level"].max() == 0.0


def test_a_queue_served_after_the_arrivals_stop_counts_as_their_wait() -> None:
    """Thirty walk-ins in a half hour nobody staffs, then three people and no one new: they
    wait the rest of that half hour (900 s on average) and then about ten minutes for the ones
    ahead. The queue's time after the arrivals stopped had been counted nowhere."""
    volume = np.array([30.0, 0.0, 0.0, 0.0])
    servers = np.array([0.0, 3.0, 3.0, 3.0])
    is_open = np.ones(4, dtype=bool)
    got = carried_queues(
        volume, servers, SECONDS, AHT, WITHIN, None, is_open, _steady(volume, servers)
    )
    assert 1300 < got["average_wait_seconds"][0] < 1700
    assert got["service_level"][0] == pytest.approx(0.0, abs=1e-9)
