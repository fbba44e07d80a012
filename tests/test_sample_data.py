"""Structural checks of the committed sample data and of its seeded generator.

These do not use the staffing loader (tests/staffing covers it); they check the files the app
and CLI open by default are well formed and that the generator is deterministic.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
FOLDERS = ("store", "contact_center")


def _generator() -> ModuleType:
    """Import ``sample_data/generate.py`` by path (``sample_data`` is not a package)."""
    name = "sample_data_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SAMPLE / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def _store(folder: str) -> dict:
    with (SAMPLE / folder / "store.toml").open("rb") as handle:
        return tomllib.load(handle)


def _csv(folder: str, name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE / folder / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module", params=FOLDERS)
def traffic(request: pytest.FixtureRequest) -> tuple[str, pd.DataFrame]:
    frame = pd.read_csv(SAMPLE / request.param / "traffic.csv")
    return request.param, frame


def test_traffic_columns_volumes_and_keys(traffic: tuple[str, pd.DataFrame]) -> None:
    folder, frame = traffic
    assert list(frame.columns) == ["timestamp", "channel", "volume"]
    assert (frame["volume"] >= 0).all()
    assert not frame.duplicated(["timestamp", "channel"]).any()
    channels = {c["id"] for c in _store(folder)["channels"]}
    assert set(frame["channel"]) == channels


def test_traffic_history_ends_the_day_before_the_planning_week(
    traffic: tuple[str, pd.DataFrame],
) -> None:
    folder, frame = traffic
    stamps = pd.to_datetime(frame["timestamp"], format="%Y-%m-%d %H:%M:%S")
    assert stamps.max().date() == dt.date(2026, 11, 22)
    step = _store(folder)["interval_minutes"]
    assert ((stamps.dt.minute % step) == 0).all()
    assert (stamps.dt.second == 0).all()
    # The spring daylight-saving gap (01:00-01:59 on the last Sunday of March) is never written.
    for gap_day in ("2025-03-30", "2026-03-29"):
        day = stamps[stamps.dt.strftime("%Y-%m-%d") == gap_day]
        assert not (day.dt.hour == 1).any()


def test_store_history_covers_two_years() -> None:
    frame = pd.read_csv(SAMPLE / "store" / "traffic.csv", usecols=["timestamp"])
    assert frame["timestamp"].min() == "2024-11-18 00:00:00"
    assert frame["timestamp"].max() == "2026-11-22 23:30:00"


@pytest.mark.parametrize("folder", FOLDERS)
def test_employees_and_availability(folder: str) -> None:
    roles = set(_store(folder)["roles"])
    employees = _csv(folder, "employees.csv")
    assert {
        "employee_id",
        "name",
        "roles",
        "min_hours_week",
        "max_hours_week",
        "hourly_cost",
    } <= set(employees.columns)
    assert employees["employee_id"].is_unique
    for cell in employees["roles"]:
        assert set(cell.split(";")) <= roles, cell
    low = employees["min_hours_week"].astype(float)
    high = employees["max_hours_week"].astype(float)
    assert ((low >= 0) & (low <= high)).all()
    assert (employees["hourly_cost"].astype(float) > 0).all()
    availability = _csv(folder, "availability.csv")
    assert list(availability.columns) == ["employee_id", "day", "start", "end", "kind"]
    assert set(availability["employee_id"]) <= set(employees["employee_id"])
    assert set(availability["kind"]) <= {"available", "unavailable", "preferred"}


@pytest.mark.parametrize("folder", FOLDERS)
def test_channels_posts_and_events_use_declared_names(folder: str) -> None:
    store = _store(folder)
    roles = set(store["roles"])
    assert {c["role"] for c in store["channels"]} <= roles
    assert {p["role"] for p in store.get("posts", [])} <= roles
    events = _csv(folder, "events.csv")
    assert list(events.columns) == ["start_date", "end_date", "name", "kind"]
    assert set(events["kind"]) <= {"school_vacation", "promotion", "closure", "other"}
    assert (events["start_date"] <= events["end_date"]).all()
    # The default planning week (Monday 2026-11-23) is covered: Black Friday lies in it.
    future = events[events["end_date"] >= "2026-11-23"]
    assert "Black Friday" in set(future["name"])


def test_store_figures_fit_the_brief() -> None:
    employees = _csv("store", "employees.csv")
    assert 25 <= len(employees) <= 35
    greeters = employees["roles"].str.split(";").map(lambda r: "greeter" in r)
    assert greeters.sum() >= 5
    assert (employees["contract"] == "weekend").sum() >= 4


def test_generator_is_deterministic_on_a_slice() -> None:
    generate = _generator()
    start, end = dt.date(2025, 10, 20), dt.date(2025, 11, 2)  # includes the autumn DST change
    first = generate.generate_store_traffic(7, start, end)
    again = generate.generate_store_traffic(7, start, end)
    other = generate.generate_store_traffic(8, start, end)
    pd.testing.assert_frame_equal(first, again)
    assert not first["volume"].equals(other["volume"])
    assert not first.duplicated(["timestamp", "channel"]).any()
    assert first["timestamp"].min() == pd.Timestamp("2025-10-20")
    assert first["timestamp"].max() == pd.Timestamp("2025-11-02 23:30")
