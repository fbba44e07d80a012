"""Forecast -> requirements -> solver problem, on the tiny store with hand-made forecasts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from staffing.errors import InputError
from staffing.loader import load_store
from staffing.model import StoreData
from staffing.requirements import compute_requirements, open_mask
from staffing.rostering import build_problem
from tests.staffing.mini_store import write_mini_store

WEEK = dt.date(2026, 11, 23)  # a Monday


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> StoreData:
    return load_store(write_mini_store(tmp_path_factory.mktemp("mini")))


def flat_forecast(data: StoreData, per_interval: float) -> pd.DataFrame:
    stamps = pd.date_range(pd.Timestamp(WEEK), periods=7 * 24, freq="60min")
    frames = []
    for c in data.store.channels:
        frames.append(
            pd.DataFrame(
                {"timestamp": stamps, "channel": c.id, "forecast": per_interval,
                 "lo80": per_interval * 0.8, "hi80": per_interval * 1.2,
                 "lo95": per_interval * 0.7, "hi95": per_interval * 1.3}
            )
        )  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def test_closed_hours_need_nobody_and_posts_cover_opening_hours(data: StoreData) -> None:
    req = compute_requirements(data, flat_forecast(data, 30.0), WEEK)
    roles = req.roles.set_index(["role", "timestamp"])
    monday_8 = pd.Timestamp("2026-11-23 08:00")
    monday_9 = pd.Timestamp("2026-11-23 09:00")
    sunday_12 = pd.Timestamp("2026-11-29 12:00")
    assert roles.loc[("cashier", monday_8), "required"] == 0  # opens at 09:00
    assert roles.loc[("cashier", monday_9), "required"] > 0
    assert roles.loc[("cashier", sunday_12), "required"] == 0  # closed on Sunday
    sup = req.roles[req.roles["role"] == "supervisor"]
    # one supervisor in each of the 8 open hours of 6 days
    assert int(sup["post_minimum"].sum()) == 8 * 6


def test_tills_sized_by_erlang_c_for_the_wait_target(data: StoreData) -> None:
    # 30 customers an hour at 120 s each = 1 Erlang; a 120 s average wait needs 2 cashiers
    req = compute_requirements(data, flat_forecast(data, 30.0), WEEK)
    tills = req.channels[(req.channels["channel"] == "tills") & (req.channels["volume"] > 0)]
    assert set(tills["agents"]) == {2}
    assert set(tills["binding_target"]) == {"max_asa"}
    assert (tills["average_wait_seconds"] <= 120).all()


def test_staffing_to_the_upper_bound_never_needs_fewer(data: StoreData) -> None:
    fc = flat_forecast(data, 60.0)
    point = compute_requirements(data, fc, WEEK).roles["required"].to_numpy()
    upper = compute_requirements(data, fc, WEEK, staff_to="hi95").roles["required"].to_numpy()
    assert (upper >= point).all()
    assert upper.sum() > point.sum()


def test_shortfall_costs_are_convex_per_slot(data: StoreData) -> None:
    req = compute_requirements(data, flat_forecast(data, 90.0), WEEK)
    for role, costs in req.needs.shortfall_costs.items():
        needed = req.needs.required[role]
        for t in np.flatnonzero(needed > 0):
            row = costs[t, : needed[t]]
            assert np.all(np.diff(row) >= -1e-9), (role, t, row)
            assert row[0] > 0


def test_problem_maps_availability_and_contracts(data: StoreData) -> None:
    req = compute_requirements(data, flat_forecast(data, 30.0), WEEK)
    problem = build_problem(data, WEEK, req.needs)
    by_id = {e.id: e for e in problem.employees}
    spd = problem.slots_per_day
    assert problem.shift_windows is not None
    assert problem.shift_windows[0] == (9, 17)
    assert problem.shift_windows[6] == (0, 0)  # Sunday closed
    # E1 is unavailable all Wednesday: no window that day
    assert by_id["E1"].available is not None
    assert not any(2 * spd <= s < 3 * spd for s, _ in by_id["E1"].available)
    # E2 may work only 09:00-13:00 on Monday
    assert by_id["E2"].available is not None
    assert [w for w in by_id["E2"].available if w[0] < spd] == [(9, 13)]
    # E6 is weekend-only: windows on Saturday and Sunday only
    assert by_id["E6"].available is not None
    assert by_id["E6"].available == ((5 * spd, 7 * spd),)  # Saturday 00:00 to Sunday 24:00
    assert by_id["E1"].max_minutes == 40 * 60
    assert problem.shift_rules.min_length_slots == 4
    assert problem.shift_rules.max_length_slots == 8


def test_tiny_store_plan_breaks_no_rule(data: StoreData, tmp_path: Path) -> None:
    import solver

    req = compute_requirements(data, flat_forecast(data, 30.0), WEEK)
    problem = build_problem(data, WEEK, req.needs)
    roster = solver.solve(problem, solver.SolveSettings(time_limit_seconds=5, workers=1))
    assert roster.assignments
    assert solver.check_roster(problem, roster) == ()


def test_probability_of_meeting_the_target_matches_sampled_forecasts(data: StoreData) -> None:
    """p_meet_target is P(volume <= what the staff can absorb) under the forecast's spread.

    Checked by sampling volumes from the same normal distribution and sizing each sample with
    the same queueing kernel: the sampled fraction that the planned head-count still covers
    must match the reported probability. Staffing to the upper 80% bound lifts it to >= 0.9.
    """
    from staffing.requirements import _size

    fc = flat_forecast(data, 40.0)
    point = compute_requirements(data, fc, WEEK)
    upper = compute_requirements(data, fc, WEEK, staff_to="hi80")
    tills = data.store.channel("tills")
    monday_noon = pd.Timestamp("2026-11-23 12:00")
    rows = point.channels.set_index(["channel", "timestamp"])
    row = rows.loc[("tills", monday_noon)]
    sd = (48.0 - 32.0) / (2 * 1.2815516)
    rng = np.random.default_rng(7)
    volumes = np.maximum(rng.normal(40.0, sd, 4000), 0.0)
    needed = np.asarray(_size(tills, volumes, 3600.0, np.ones(volumes.size, bool)).agents)
    covered = float((needed <= row["agents"]).mean())
    assert row["p_meet_target"] == pytest.approx(covered, abs=0.03)
    assert 0.5 <= row["p_meet_target"] < 0.99
    hi = upper.channels.set_index(["channel", "timestamp"]).loc[("tills", monday_noon)]
    assert hi["p_meet_target"] >= 0.9
    assert hi["agents"] >= row["agents"]


def test_the_hour_skipped_in_spring_needs_nobody(tmp_path: Path) -> None:
    data = load_store(write_mini_store(tmp_path / "store"))
    all_day = {d: (dt.time(0, 0), dt.time(0, 0)) for d in range(7)}
    data = replace(data, store=replace(data.store, opening_hours=all_day))
    stamps = pd.date_range("2026-03-29 00:00", periods=4, freq="h")
    assert open_mask(data, stamps).tolist() == [True, False, True, True]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"service_level": 1.5}, "service_level 1.5 is not in (0, 1]"),
        ({"aht_seconds": 0.0}, "aht_seconds 0.0 is not above 0"),
        ({"shrinkage": 1.0}, "shrinkage 1.0 not in [0, 1)"),
    ],
)
def test_a_channel_with_an_unreachable_target_cannot_be_made(
    tmp_path: Path, change: dict[str, float], message: str
) -> None:
    """A service level of 1.5 once made the requirements' queueing search run forever."""
    data = load_store(write_mini_store(tmp_path / "store"))
    with pytest.raises(ValueError, match=re.escape(message)):
        replace(data.store.channels[0], **change)


def test_service_level_without_a_target_is_judged_within_the_wait_target(
    data: StoreData,
) -> None:
    """Tills have no service-level target, only a 120 s average wait: their service level is
    the share served within 120 s, as the KPIs and the shortfall costs judge it, not within
    the 20 s default of ``answer_within_seconds`` nobody set (which read 0.7178).

    1 Erlang on 2 cashiers, by hand: B(1, 2) = 0.5 / 2.5 = 0.2, C = 2 B / (2 - 0.8) = 1/3, and
    the share served within 120 s is 1 - exp(-(2 - 1) 120 / 120) / 3 = 0.87737.
    """
    from staffing.kpis import evaluate_channel

    req = compute_requirements(data, flat_forecast(data, 30.0), WEEK)
    tills = req.channels[(req.channels["channel"] == "tills") & (req.channels["volume"] > 0)]
    assert set(tills["agents"]) == {2}
    expected = 1 - np.exp(-1.0) / 3
    np.testing.assert_allclose(tills["service_level"], expected, atol=5e-5)
    channel = data.store.channel("tills")
    kpis = evaluate_channel(channel, tills["volume"].to_numpy(), tills["required"].to_numpy(), 60)
    np.testing.assert_allclose(tills["service_level"], kpis["service_level"], atol=5e-5)


def test_a_volume_no_store_staffs_is_named_not_a_crash(tmp_path: Path) -> None:
    """900 million contacts a half hour passed the traffic check (volumes up to 1e9) and then
    asked the sizing tables for 150 GB; a volume that keeps more than 2,000 agents busy is
    taken for a unit mistake and named."""
    data = load_store(write_mini_store(tmp_path / "store"))
    fc = flat_forecast(data, 30.0)
    fc.loc[fc.index[10], "forecast"] = 9e8
    with pytest.raises(InputError) as err:
        compute_requirements(data, fc, WEEK)
    (problem,) = err.value.problems
    assert problem.file == "traffic.csv"
    assert "at most 2,000 agents busy at once" in problem.expected
    assert "900,000,000 contacts forecast for" in str(problem.value)


@pytest.mark.parametrize("shrinkage", [1.0, 1.5, -0.1])
def test_the_erlang_calculator_refuses_a_shrinkage_outside_0_to_1(shrinkage: float) -> None:
    """1.0 raised ZeroDivisionError and 1.5 gave a negative head-count (docstring review)."""
    from staffing.requirements import erlang_calculator

    with pytest.raises(ValueError, match="shrinkage"):
        erlang_calculator(
            volume=100, period_seconds=1800, aht_seconds=180, service_level=0.8,
            within_seconds=20, shrinkage=shrinkage,
        )  # fmt: skip


def test_an_unknown_staff_to_is_a_value_error_naming_the_choices(data: StoreData) -> None:
    with pytest.raises(ValueError, match="staff_to 'hi90': expected one of forecast, hi80, hi95"):
        compute_requirements(data, flat_forecast(data, 30.0), WEEK, staff_to="hi90")
