"""Erlang C, Erlang A and the chat approximation against discrete-event simulations.

Calls: M/M/n(+M), first come first served. Chat: agents holding several chats at once, each
chat slowed down by the others on the same agent.

Each case simulates a long stationary run (seeded) and checks the formulas fall inside a band of
a few standard errors of the simulated means (batch means over 20 batches).
"""

from __future__ import annotations

import heapq
from collections import deque

import numpy as np
import pytest

from staffing import channel_staffing
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


def simulate_chat(
    rate_per_hour: float, work: float, agents: int, concurrency: int, slowdown: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Waits and durations of chats on ``agents`` agents holding up to ``concurrency`` each.

    A new chat goes to the least busy agent, or waits in one first-come-first-served queue when
    every agent is full. A chat needs an exponential amount of ``work`` seconds and takes
    ``work * (1 + slowdown * (m - 1))`` when it starts as its agent's m-th chat: juggling chats
    slows each one down, as it does in real chat centers.
    """
    rng = np.random.default_rng(seed)
    customers = 60_000
    arrivals = np.cumsum(rng.exponential(3600.0 / rate_per_hour, customers))
    needed = rng.exponential(work, customers)
    busy = np.zeros(agents, dtype=np.int64)
    ends: list[tuple[float, int]] = []
    waiting: deque[int] = deque()
    wait, duration = np.empty(customers), np.empty(customers)

    def begin(chat: int, agent: int, now: float) -> None:
        busy[agent] += 1
        duration[chat] = needed[chat] * (1 + slowdown * (busy[agent] - 1))
        wait[chat] = now - arrivals[chat]
        heapq.heappush(ends, (now + duration[chat], agent))

    i = 0
    while i < customers:
        if ends and ends[0][0] <= arrivals[i]:
            now, agent = heapq.heappop(ends)
            busy[agent] -= 1
            if waiting:
                begin(waiting.popleft(), agent, now)
            continue
        agent = int(np.argmin(busy))
        if busy[agent] < concurrency:
            begin(i, agent, arrivals[i])
        else:
            waiting.append(i)
        i += 1
    while waiting:  # serve whoever still waits when the last chat has arrived
        now, agent = heapq.heappop(ends)
        busy[agent] -= 1
        begin(waiting.popleft(), agent, now)
    warm = customers // 10
    return wait[warm:], duration[warm:]


def test_chat_without_slowdown_is_exactly_erlang_c_on_agent_slots() -> None:
    """2 chats per agent, occupancy 0.83: M/M/(n k) holds within the simulation's band."""
    wait, duration = simulate_chat(200.0, 300.0, 10, 2, 0.0, seed=3)
    staffing = channel_staffing.staff_chat(
        np.array([200.0]), 3600.0, 300.0, concurrency=2, service_level=0.5
    )
    assert staffing.agents[0] <= 10
    traffic = 200.0 * 300.0 / 3600
    sl, sl_band = batch_band(wait <= 20.0)
    asa, asa_band = batch_band(wait)
    assert float(duration.mean()) == pytest.approx(300.0, rel=0.02)
    assert float(q.service_level(traffic, 20, 300.0, 20.0)) == pytest.approx(sl, abs=sl_band)
    assert float(q.average_speed_of_answer(traffic, 20, 300.0)) == pytest.approx(asa, abs=asa_band)


@pytest.mark.parametrize(
    ("rate", "agents", "concurrency"),
    [
        (200.0, 12, 2),  # occupancy 0.69 at the full-concurrency duration
        (400.0, 14, 3),  # occupancy 0.95
        (2000.0, 70, 3),  # large, occupancy 0.95
    ],
)
def test_chat_approximation_is_safe_with_full_concurrency_duration(
    rate: float, agents: int, concurrency: int
) -> None:
    """With a 25% slow-down per extra chat, the approximation brackets the simulation.

    Fed the average chat duration it is optimistic (busy agents hold more chats, which last
    longer); fed the duration of a chat at full concurrency, as the store format asks, it is
    conservative, so staffing to it meets the target. Measured service levels (simulated,
    conservative, optimistic): 0.980, 0.961, 0.989; 0.478, 0.400, 0.574; 0.938, 0.784, 0.957.
    """
    work, slowdown = 240.0, 0.25
    wait, duration = simulate_chat(rate, work, agents, concurrency, slowdown, seed=agents)
    simulated = float((wait <= 20.0).mean())
    full = work * (1 + slowdown * (concurrency - 1))
    servers = agents * concurrency
    conservative = float(q.service_level(rate * full / 3600, servers, full, 20.0))
    optimistic = float(
        q.service_level(rate * duration.mean() / 3600, servers, duration.mean(), 20.0)
    )
    assert conservative - 0.01 <= simulated <= optimistic + 0.01
    assert simulated - conservative <= 0.2
