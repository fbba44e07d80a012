"""Erlang B/C/A against published values (cited by case id), exact identities and properties."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.optimize import brentq

from staffing import queueing as q

REFERENCE = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / "queueing_reference_values.csv"
)


def _case(case_id: str) -> pd.Series:
    if not REFERENCE.exists():  # CI has ../shared beside the clone; a bare clone skips these
        pytest.skip(f"published reference values not found: {REFERENCE}")
    table = pd.read_csv(REFERENCE)
    return table.set_index("case_id").loc[case_id]


# Abstract Micro Systems Erlang library help pages (queueing_reference_values.csv).
@pytest.mark.parametrize(
    ("case_id", "traffic", "servers"), [("AM01", 10.1, 11), ("AM02", 130.1, 133.78)]
)
def test_probability_of_waiting(case_id: str, traffic: float, servers: float) -> None:
    row = _case(case_id)
    published = float(row.published_value)
    assert float(q.erlang_c(traffic, servers)) == pytest.approx(published, abs=1e-7)


@pytest.mark.parametrize("case_id", ["AM03", "AM04"])
def test_average_speed_of_answer(case_id: str) -> None:
    row = _case(case_id)
    traffic = row.calls_per_period * row.aht_s / row.period_s
    asa = q.average_speed_of_answer(traffic, row.servers, row.aht_s)
    assert float(asa) == pytest.approx(float(row.published_value), rel=1e-7)


@pytest.mark.parametrize(("case_id", "asa"), [("AM05", 5.0), ("AM06", 60.0)])
def test_traffic_from_wait(case_id: str, asa: float) -> None:
    row = _case(case_id)
    found = brentq(
        lambda a: q.average_speed_of_answer(a, row.servers, row.aht_s) - asa,
        0.1,
        row.servers - 1e-9,
    )
    assert found == pytest.approx(float(row.published_value), rel=1e-6)


@pytest.mark.parametrize(("case_id", "sl"), [("AM07", 0.90), ("AM08", 0.95), ("AM09", 0.95)])
def test_traffic_from_service_level(case_id: str, sl: float) -> None:
    row = _case(case_id)
    found = brentq(
        lambda a: q.service_level(a, row.servers, row.aht_s, row.threshold_s) - sl,
        0.1,
        row.servers - 1e-9,
    )
    assert found == pytest.approx(float(row.published_value), rel=1e-4)


@pytest.mark.parametrize(
    ("case_id", "asa"), [("AM10", 15), ("AM11", 15), ("AM12", 5), ("AM13", 30)]
)
def test_fractional_servers_from_wait(case_id: str, asa: float) -> None:
    row = _case(case_id)
    traffic = row.traffic_erlangs
    found = brentq(
        lambda n: q.average_speed_of_answer(traffic, n, row.aht_s) - asa,
        traffic + 1e-6,
        4 * traffic,
    )
    assert found == pytest.approx(float(row.published_value), rel=1e-6)


@pytest.mark.parametrize(
    ("case_id", "blocking"), [("AM14", 0.01), ("AM15", 0.05), ("AM16", 0.05), ("AM17", 0.01)]
)
def test_erlang_b_traffic_from_blocking(case_id: str, blocking: float) -> None:
    row = _case(case_id)
    found = brentq(lambda a: q.erlang_b(a, row.servers) - blocking, 0.01, row.servers)
    assert found == pytest.approx(float(row.published_value), rel=1e-5)


def test_call_centre_helper_example() -> None:
    # CCH1: 100 calls / 30 min, AHT 180 s, 80% in 20 s -> 14 agents, SL 0.888, occupancy 0.714,
    # P(wait) 0.174; 20 with 30% shrinkage.
    r = q.required_agents(10.0, 180.0, service_level_target=0.8, within=20.0)
    assert int(r.agents[0]) == 14
    assert r.binding[0] == "service_level"
    assert float(r.service_level[0]) == pytest.approx(0.888, abs=5e-4)
    assert float(r.occupancy[0]) == pytest.approx(0.714, abs=5e-4)
    assert float(q.erlang_c(10.0, 14)) == pytest.approx(0.174, abs=5e-4)
    assert int(np.ceil(14 / (1 - 0.3))) == 20


def test_mit1_pinned_values() -> None:
    # MIT1: 360 calls / 30 min, AHT 240 s, 55 agents: P(wait) 0.23870, ASA 8.184 s, SL(20 s) 0.8668
    traffic = 360 * 240 / 1800
    assert float(q.erlang_c(traffic, 55)) == pytest.approx(0.23870, abs=5e-6)
    assert float(q.average_speed_of_answer(traffic, 55, 240)) == pytest.approx(8.184, abs=5e-4)
    assert float(q.service_level(traffic, 55, 240, 20)) == pytest.approx(0.8668, abs=5e-5)


def test_erlang_c_is_one_when_unstable_and_asa_infinite() -> None:
    assert q.erlang_c(np.array([5.0, 6.0]), np.array([5, 5])).tolist() == [1.0, 1.0]
    assert np.isinf(q.average_speed_of_answer(6.0, 5, 180)).all()


def test_erlang_a_with_patience_equal_to_handling_time_is_poisson() -> None:
    # theta = mu: every customer leaves at rate mu, so the number present is Poisson(A) and the
    # measures follow in closed form (PASTA).
    lam, aht, n = 200.0, 180.0, 8
    a = lam * aht / 3600
    r = q.erlang_a(lam, aht, aht, n, 20.0)
    k = np.arange(n, 400)
    queue = np.sum((k - n) * stats.poisson.pmf(k, a))
    assert float(r.p_wait) == pytest.approx(1 - stats.poisson.cdf(n - 1, a), rel=1e-10)
    assert float(r.abandon_rate) == pytest.approx(queue / aht / (lam / 3600), rel=1e-10)
    assert float(r.asa) == pytest.approx(queue / (lam / 3600), rel=1e-10)


@pytest.mark.parametrize("n", [12, 500, 10_000])
def test_erlang_a_tends_to_erlang_c(n: int) -> None:
    lam = 0.95 * n * 3600 / 180
    traffic = lam * 180 / 3600
    for target in (20.0, 3600.0):
        r = q.erlang_a(lam, 180.0, 1e12, n, target)
        assert float(r.p_wait) == pytest.approx(float(q.erlang_c(traffic, n)), abs=1e-9)
        sl_c = float(q.service_level(traffic, n, 180.0, target))
        assert float(r.service_level) == pytest.approx(sl_c, abs=1e-9)


def test_erlang_a_long_targets_stay_accurate() -> None:
    # an hour-long target with impatient callers: nearly everyone answered is within target
    r = q.erlang_a(np.array([300.0, 30_000.0]), 200.0, 300.0, np.array([15, 1600]), 3600.0)
    assert np.all(r.service_level_answered > 0.999999)
    assert np.all(np.abs(r.service_level - (1 - r.abandon_rate)) < 1e-9)


@settings(max_examples=60, deadline=None)
@given(
    traffic=st.floats(0.2, 300.0),
    extra=st.integers(1, 40),
    aht=st.floats(30.0, 900.0),
    target=st.floats(1.0, 3600.0),
)
def test_service_level_never_decreases_with_more_agents(
    traffic: float, extra: int, aht: float, target: float
) -> None:
    n = np.arange(int(np.ceil(traffic)) + 1, int(np.ceil(traffic)) + 1 + extra)
    sl = q.service_level(traffic, n, aht, target)
    assert np.all(np.diff(sl) >= -1e-12)
    lam = traffic * 3600 / aht
    a = q.erlang_a(lam, aht, 120.0, n, target)
    assert np.all(np.diff(a.service_level) >= -1e-9)
    assert np.all(np.diff(a.abandon_rate) <= 1e-12)


@settings(max_examples=60, deadline=None)
@given(
    traffic=st.floats(0.1, 400.0),
    sl=st.floats(0.5, 0.99),
    asa=st.floats(5.0, 120.0),
    patience=st.one_of(st.none(), st.floats(30.0, 900.0)),
)
def test_required_agents_meets_every_target_and_one_fewer_misses(
    traffic: float, sl: float, asa: float, patience: float | None
) -> None:
    aht = 240.0
    kwargs = {"service_level_target": sl, "within": 20.0, "max_asa": asa, "patience": patience}
    if patience is not None:
        kwargs["max_abandon"] = 0.1
    r = q.required_agents(traffic, aht, **kwargs)  # type: ignore[arg-type]
    n = int(r.agents[0])

    def meets(agents: int) -> bool:
        if agents < 1:
            return False
        if patience is None:
            if agents <= traffic:
                return False
            return bool(
                q.service_level(traffic, agents, aht, 20.0) >= sl - 1e-12
                and q.average_speed_of_answer(traffic, agents, aht) <= asa + 1e-12
            )
        m = q.erlang_a(traffic * 3600 / aht, aht, patience, agents, 20.0)
        return bool(
            m.service_level >= sl - 1e-12 and m.asa <= asa + 1e-12 and m.abandon_rate <= 0.1 + 1e-12
        )

    assert meets(n)
    assert not meets(n - 1)


@settings(max_examples=60, deadline=None)
@given(
    traffic=st.floats(0.5, 500.0),
    spare=st.floats(0.05, 0.6),
    aht=st.floats(30.0, 900.0),
    target=st.floats(1.0, 3600.0),
)
def test_erlang_a_approaches_erlang_c_as_patience_grows(
    traffic: float, spare: float, aht: float, target: float
) -> None:
    """Waiting and service level move towards Erlang C as callers grow more patient."""
    n = int(np.ceil(traffic * (1 + spare))) + 1
    lam = traffic * 3600 / aht
    patience = aht * np.array([0.5, 2.0, 10.0, 100.0, 1e4, 1e9])
    a = q.erlang_a(lam, aht, patience, n, target)
    p_wait_c = float(q.erlang_c(traffic, n))
    sl_c = float(q.service_level(traffic, n, aht, target))
    assert np.all(np.diff(np.abs(a.p_wait - p_wait_c)) <= 1e-9)
    assert np.all(np.diff(a.abandon_rate) <= 1e-12)
    assert float(a.p_wait[-1]) == pytest.approx(p_wait_c, abs=1e-6)
    assert float(a.service_level[-1]) == pytest.approx(sl_c, abs=1e-6)


def test_no_agent_under_erlang_a_every_caller_abandons_after_their_patience() -> None:
    # 2 Erlangs, nobody to answer: each caller waits until hanging up (mean patience 120 s).
    # The measures were once those of one agent (abandon 0.599, wait 71.9 s, occupancy 0.80).
    m = q.measures(2.0, 0, 240.0, 20.0, 120.0)
    assert float(m.service_level) == 0.0
    assert float(m.abandon_rate) == 1.0
    assert float(m.asa) == pytest.approx(120.0, rel=1e-12)
    assert float(m.occupancy) == 0.0
    one = q.measures(2.0, 1, 240.0, 20.0, 120.0)  # one agent really answers some
    assert 0.0 < float(one.abandon_rate) < 1.0
    assert float(one.service_level) > 0.0


def test_no_agent_under_erlang_c_is_an_unstable_queue() -> None:
    m = q.measures(2.0, 0, 240.0, 20.0)
    assert float(m.service_level) == 0.0
    assert np.isinf(m.asa).all()
    assert float(m.abandon_rate) == 0.0
    assert float(m.occupancy) == 0.0
    # zero traffic needs nobody, with or without patience
    for patience in (None, 120.0):
        idle = q.measures(0.0, 0, 240.0, 20.0, patience)
        assert (float(idle.service_level), float(idle.asa)) == (1.0, 0.0)


def test_erlang_a_with_no_agent_for_each_patience() -> None:
    r = q.erlang_a(100.0, 180.0, np.array([0.0, 120.0, np.inf]), 0, 20.0)
    assert r.service_level.tolist() == [0.0, 0.0, 0.0]
    assert r.abandon_rate.tolist() == [1.0, 1.0, 0.0]  # infinitely patient callers never leave
    assert r.asa.tolist() == [0.0, 120.0, np.inf]
    assert r.occupancy.tolist() == [0.0, 0.0, 0.0]
    assert np.isnan(r.service_level_answered).all()  # nobody is answered


def test_erlang_a_without_patience_is_erlang_b() -> None:
    # Patience 0: whoever finds every agent busy leaves at once (M/M/n/n). Once NaN, which
    # made the head-count search double its bound forever.
    lam, aht, n = 200.0, 180.0, np.array([8, 14])
    traffic = lam * aht / 3600
    r = q.erlang_a(lam, aht, 0.0, n, 20.0)
    blocked = q.erlang_b(traffic, n)
    np.testing.assert_allclose(r.abandon_rate, blocked, rtol=1e-12)
    np.testing.assert_allclose(r.p_wait, blocked, rtol=1e-12)
    np.testing.assert_allclose(r.service_level, 1 - blocked, rtol=1e-12)
    assert r.asa.tolist() == [0.0, 0.0]
    np.testing.assert_allclose(r.occupancy, traffic * (1 - blocked) / n, rtol=1e-12)
    # and the limit of ever shorter patience
    short = q.erlang_a(lam, aht, 1e-6, n, 20.0)
    np.testing.assert_allclose(short.abandon_rate, blocked, rtol=1e-6)


def test_erlang_a_with_infinite_patience_is_erlang_c() -> None:
    # CCH1 (Call Centre Helper): 10 Erlangs, AHT 180 s, 14 agents -> SL(20 s) 0.888, P(wait)
    # 0.174, occupancy 0.714. Overloaded (8 agents): no steady state, as Erlang C reports it.
    r = q.erlang_a(200.0, 180.0, np.inf, np.array([14, 8]), 20.0)
    assert float(r.service_level[0]) == pytest.approx(0.888, abs=5e-4)
    assert float(r.p_wait[0]) == pytest.approx(0.174, abs=5e-4)
    assert float(r.occupancy[0]) == pytest.approx(0.714, abs=5e-4)
    assert float(r.asa[0]) == pytest.approx(float(q.average_speed_of_answer(10.0, 14, 180.0)))
    assert r.abandon_rate.tolist() == [0.0, 0.0]
    assert (float(r.service_level[1]), float(r.asa[1]), float(r.occupancy[1])) == (0, np.inf, 1)


@pytest.mark.parametrize("patience", [-1.0, np.nan])
def test_erlang_a_rejects_a_patience_that_is_not_one(patience: float) -> None:
    with pytest.raises(ValueError, match=rf"patience {patience} s .*expected seconds from 0"):
        q.erlang_a(100.0, 180.0, patience, 5, 20.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_occupancy": 0.0}, "max_occupancy 0.0 is out of range; expected a fraction in (0"),
        ({"max_occupancy": 1.5}, "max_occupancy 1.5 is out of range"),
        ({"max_asa": -5.0}, "max_asa -5.0 is out of range; expected seconds from 0"),
        ({"service_level_target": 1.2}, "service_level_target 1.2 is out of range"),
        ({"service_level_target": np.nan}, "service_level_target nan is out of range"),
        ({"max_abandon": -0.1, "patience": 60.0}, "max_abandon -0.1 is out of range"),
        ({"within": -1.0}, "within -1.0 is out of range"),
        ({"patience": np.nan}, "patience nan is out of range; expected seconds from 0 to inf"),
        ({"patience": -3.0}, "patience -3.0 is out of range"),
    ],
)
def test_required_agents_rejects_targets_out_of_range(
    kwargs: dict[str, float], message: str
) -> None:
    """These once looped for ever (a negative wait, NaN patience) or asked for 10^13 agents."""
    with pytest.raises(ValueError, match=re.escape(message)):
        q.required_agents(10.0, 180.0, **{"max_asa": 60.0, **kwargs})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("traffic", "aht", "message"),
    [
        (np.nan, 180.0, "traffic nan is out of range; expected a finite number of Erlangs"),
        (np.inf, 180.0, "traffic inf is out of range; expected a finite number of Erlangs"),
        (-1.0, 180.0, "traffic -1.0 is out of range; expected a finite number of Erlangs"),
        (1.0, 0.0, "aht 0.0 is out of range; expected finite seconds above 0"),
    ],
)
def test_required_agents_rejects_traffic_that_is_not_one(
    traffic: float, aht: float, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        q.required_agents(np.array([5.0, traffic]), aht, max_asa=20.0)


def test_required_agents_stops_at_its_cap_and_names_the_target() -> None:
    with pytest.raises(ValueError, match=r"no head-count up to 100000 agents meets occupancy"):
        q.required_agents(np.array([1.0, 10.0]), 180.0, max_occupancy=1e-6)
    # a low but reachable occupancy target is met exactly: 10 Erlangs / 0.001
    r = q.required_agents(10.0, 180.0, max_occupancy=1e-3)
    assert int(r.agents[0]) == 10_000
    assert r.binding[0] == "max_occupancy"


@pytest.mark.parametrize("traffic", [1e-6, 0.5, 10.0, 1000.0, 1e5])
@pytest.mark.parametrize("patience", [None, 0.0, 1e-3, 120.0, 1e9, np.inf])
def test_the_strictest_targets_in_range_are_reachable_below_the_cap(
    traffic: float, patience: float | None
) -> None:
    """Everyone answered at once, no wait, nobody abandoning: met within the search's cap
    ``traffic + 20 sqrt(traffic) + 100`` (with a long handling time, the hardest case)."""
    r = q.required_agents(
        traffic,
        1e5,
        service_level_target=1.0,
        within=0.0,
        max_asa=0.0,
        max_abandon=0.0,
        max_occupancy=1.0,
        patience=patience,
    )
    assert traffic < int(r.agents[0]) <= traffic + 20 * np.sqrt(traffic) + 100


def test_required_agents_with_infinite_or_no_patience() -> None:
    erlang_c = q.required_agents(10.0, 180.0, service_level_target=0.8)
    infinite = q.required_agents(10.0, 180.0, service_level_target=0.8, patience=np.inf)
    assert int(infinite.agents[0]) == int(erlang_c.agents[0]) == 14  # CCH1
    # patience 0: a loss system; 1 - B(10, n) >= 0.8 first at n = 11 (B(10, 11) = 0.1632,
    # B(10, 10) = 0.2146, from the Erlang B recursion)
    loss = q.required_agents(10.0, 180.0, service_level_target=0.8, patience=0.0)
    assert int(loss.agents[0]) == 11
    assert float(q.erlang_b(10.0, 11)) == pytest.approx(0.1632, abs=5e-5)
    assert float(q.erlang_b(10.0, 10)) == pytest.approx(0.2146, abs=5e-5)
