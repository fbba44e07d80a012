"""The ``staffing`` command line: exit status 2 and a clear message on bad input, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.staffing.mini_store import traffic_csv, write_mini_store

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``staffing ARGS`` in a fresh process (saved work in ``db``, if given)."""
    env = None if db is None else {**os.environ, "STAFFING_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "staffing.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=env,
    )


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (
            {"traffic_csv": "timestamp,channel,volume\n2026-11-20 09:00,tills,-5\n"},
            "traffic.csv, line 2, field 'volume': got '-5'; expected a number of contacts from 0",
        ),
        ({"employees_csv": ""}, "employees.csv: expected a header row"),
        (
            {"availability_csv": "employee_id,day,start,end,kind\nX9,monday,,,unavailable\n"},
            "availability.csv, line 2, field 'employee_id': got 'X9'",
        ),
    ],
)
def test_plan_bad_input_exits_2_without_traceback(
    tmp_path: Path, override: dict[str, str], expected: str
) -> None:
    folder = write_mini_store(tmp_path / "store", **override)
    done = run_cli("plan", str(folder), "--out", str(tmp_path / "out"))
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


def test_a_week_the_history_cannot_forecast_exits_2(tmp_path: Path) -> None:
    folder = write_mini_store(tmp_path / "store")
    done = run_cli("plan", str(folder), "--week", "2020-01-06", "--out", str(tmp_path / "out"))
    assert done.returncode == 2, done.stderr
    assert "field '--week': got '2020-01-06'; expected a week the history before it can" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr


def test_bad_week_option_exits_2(tmp_path: Path) -> None:
    folder = write_mini_store(tmp_path / "store")
    done = run_cli("plan", str(folder), "--week", "2026-13-01")
    assert done.returncode == 2
    assert "command line, field '--week': got '2026-13-01'; expected a date YYYY-MM-DD" in (
        done.stderr
    )


def test_validate_prints_summary(tmp_path: Path) -> None:
    done = run_cli("validate", str(write_mini_store(tmp_path / "store")))
    assert done.returncode == 0, done.stderr
    assert "Mini Mart: 6 employees, 2 channels" in done.stdout
    assert "next week 2026-11-23" in done.stdout


def test_erlang_call_centre_helper_example() -> None:
    # Call Centre Helper example: 100 calls / 30 min, AHT 180 s, 80% in 20 s, 30% shrinkage
    # -> 14 agents (SL 0.888, occupancy 0.714, P(wait) 0.174), 20 after shrinkage.
    done = run_cli(
        "erlang", "--volume", "100", "--period", "1800", "--aht", "180", "--sl", "0.8",
        "--within", "20", "--shrinkage", "0.3", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["agents"] == 14
    assert answer["agents_after_shrinkage"] == 20
    assert answer["service_level"] == pytest.approx(0.888, abs=0.001)
    assert answer["occupancy"] == pytest.approx(0.714, abs=0.001)
    assert answer["binding_target"] == "service_level"


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--time-limit", "0"),
        ("--time-limit", "-5"),
        ("--time-limit", "inf"),  # passed the CLI, then PlanSettings refused it: a traceback
        ("--workers", "0"),
        ("--staff-to", "hi90"),
    ],
)
def test_solver_options_out_of_range_exit_2(tmp_path: Path, option: str, value: str) -> None:
    folder = write_mini_store(tmp_path / "store")
    done = run_cli("plan", str(folder), option, value)
    assert done.returncode == 2
    assert option in done.stderr
    assert value in done.stderr
    assert "Traceback" not in done.stderr


def test_forecast_on_shop_hours_history_writes_into_a_new_folder(tmp_path: Path) -> None:
    """A history with rows only while open (no calendar given) is forecast per its own hours:
    before, every night without rows made each day incomplete and the fit crashed."""
    history = tmp_path / "traffic.csv"
    history.write_text(traffic_csv(), encoding="utf-8")
    out = tmp_path / "new" / "folder" / "forecast.csv"
    args = ["--history", str(history), "--start", "2026-11-23", "--country", "GB"]
    done = run_cli("forecast", *args, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Mon 09:00-17:00" in done.stderr
    assert "Sun closed" in done.stderr
    frame = pd.read_csv(out, encoding="utf-8-sig", parse_dates=["timestamp"])
    assert set(frame["channel"]) == {"phone", "tills"}
    hours = frame["timestamp"].dt.hour
    assert (frame.loc[(hours < 9) | (hours >= 17), "forecast"] == 0).all()
    assert (frame.loc[frame["timestamp"].dt.day_of_week == 6, "forecast"] == 0).all()
    open_hours = frame[(hours >= 9) & (hours < 17) & (frame["timestamp"].dt.day_of_week < 6)]
    assert (open_hours["forecast"] > 0).all()


def test_a_forecast_starting_inside_the_history_says_it_is_a_fit(tmp_path: Path) -> None:
    """Days the model was fitted on came back as a 'forecast' without a word: a manager
    checking accuracy that way sees an in-sample fit."""
    history = tmp_path / "traffic.csv"
    history.write_text(traffic_csv(), encoding="utf-8")
    args = ["--history", str(history), "--start", "2026-11-16", "--country", "GB"]
    done = run_cli("forecast", *args, "--days", "1", "--out", str(tmp_path / "f.csv"))
    assert done.returncode == 0, done.stderr
    assert "note: --start 2026-11-16 is inside the history" in done.stderr
    assert "in-sample fit, not a forecast" in done.stderr
    later = run_cli(
        "forecast", *args[:3], "2026-11-23", *args[4:], "--out", str(tmp_path / "g.csv")
    )
    assert "inside the history" not in later.stderr
    assert "after the history's last day" not in later.stderr


def test_a_forecast_months_past_the_history_says_so(tmp_path: Path) -> None:
    """A forecast 14 weeks after the last row looked like any other."""
    history = tmp_path / "traffic.csv"
    history.write_text(traffic_csv(), encoding="utf-8")
    args = ["--history", str(history), "--start", "2027-03-01", "--country", "GB"]
    done = run_cli("forecast", *args, "--days", "1", "--out", str(tmp_path / "f.csv"))
    assert done.returncode == 0, done.stderr
    assert "note: the forecast starts 14 weeks after the history's last day" in done.stderr


def test_one_stray_after_hours_row_leaves_the_opening_hours_alone(tmp_path: Path) -> None:
    """One till row at Saturday 20:00 seven weeks back made every other Saturday 'miss'
    20:00: all were dropped from the fit (a 'no data' note each) and 20:00 got traffic."""
    history = tmp_path / "traffic.csv"
    history.write_text(traffic_csv() + "2026-10-03 20:00:00,tills,1\n", encoding="utf-8")
    out = tmp_path / "forecast.csv"
    args = ["--history", str(history), "--start", "2026-11-23", "--country", "GB"]
    done = run_cli("forecast", *args, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Sat 09:00-17:00" in done.stderr
    assert "1 row(s) outside these hours ignored (the first: tills 2026-10-03 20:00)" in (
        done.stderr
    )
    assert "no data" not in done.stderr
    frame = pd.read_csv(out, encoding="utf-8-sig", parse_dates=["timestamp"])
    saturday = frame[(frame["channel"] == "tills") & (frame["timestamp"].dt.day_of_week == 5)]
    assert (saturday.loc[saturday["timestamp"].dt.hour >= 17, "forecast"] == 0).all()
    assert saturday["forecast"].sum() == pytest.approx(40 * 8 * 1.15, rel=0.1)


def test_backtest_on_shop_hours_history(tmp_path: Path) -> None:
    history = tmp_path / "traffic.csv"
    history.write_text(traffic_csv(), encoding="utf-8")
    done = run_cli("backtest", "--history", str(history), "--origins", "1")
    assert done.returncode == 0, done.stderr
    assert "opening hours are read from the history before it" in done.stderr
    assert "tills" in done.stdout
    assert "seasonal_naive" in done.stdout


def test_backtest_on_too_short_a_history_exits_2_naming_the_days(tmp_path: Path) -> None:
    """33 days of hourly history (Tue 2026-10-20 .. Sat 11-21) cannot give 8 weekly origins
    a 7-day horizon and four weeks before the first: a clear error and exit status 2 (it was a
    ValueError's traceback)."""
    lines = traffic_csv(weeks=5).splitlines()
    kept = [lines[0], *(row for row in lines[1:] if row[:10] >= "2026-10-20")]
    history = tmp_path / "traffic.csv"
    history.write_text("\n".join(kept) + "\n", encoding="utf-8")
    done = run_cli("backtest", "--history", str(history), "--country", "GB", "--interval", "60")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "traffic.csv: expected rows the forecast can fit" in done.stderr
    assert "the history has 33 days (2026-10-20 .. 2026-11-21)" in done.stderr
    assert "needs at least 85 days" in done.stderr


def test_unknown_subdivision_names_that_option(tmp_path: Path) -> None:
    history = tmp_path / "traffic.csv"
    history.write_text(traffic_csv(weeks=2), encoding="utf-8")
    args = ["--history", str(history), "--start", "2026-11-23", "--country", "GB"]
    done = run_cli("forecast", *args, "--subdivision", "XYZ")
    assert done.returncode == 2
    assert "field '--subdivision': got 'XYZ'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--patience", "0"], "field '--patience': got '0'; expected seconds above 0 and finite"),
        (["--patience", "inf"], "field '--patience': got 'inf'; expected seconds above 0"),
        (["--max-asa", "-5"], "field '--max-asa': got '-5'; expected finite seconds from 0"),
        (["--max-occupancy", "0"], "field '--max-occupancy': got '0'; expected a fraction above 0"),
        (["--max-occupancy", "1.5"], "field '--max-occupancy': got '1.5'; expected a fraction"),
        (["--max-abandon", "0.05"], "field '--max-abandon': got '0.05'; expected --patience too"),
        (["--max-abandon", "2", "--patience", "60"], "got '2'; expected a fraction from 0 to 1"),
        (["--aht", "inf"], "field '--aht': got 'inf'; expected finite seconds above 0"),
        (["--max-occupancy", "1e-6"], "no head-count up to 100000 agents meets occupancy"),
        # a load of a million Erlangs searched for minutes without a word
        (["--volume", "1e7", "--period", "1800", "--aht", "180"], "at most 100,000 Erlangs"),
    ],
)
def test_erlang_options_out_of_range_exit_2(args: list[str], expected: str) -> None:
    """Patience 0 or inf and a negative wait once hung, an occupancy of 0 ran out of memory,
    1.5 was accepted and an abandonment target without patience was silently ignored."""
    from typer.testing import CliRunner

    from staffing.cli import app

    done = CliRunner().invoke(app, ["erlang", "--volume", "100", "--sl", "0.8", *args])
    assert done.exit_code == 2, done.output
    assert expected in done.stderr
    assert done.exception is None or isinstance(done.exception, SystemExit)


def test_erlang_reports_every_bad_option_at_once() -> None:
    from typer.testing import CliRunner

    from staffing.cli import app

    args = ["erlang", "--volume", "100", "--patience", "0", "--max-occupancy", "0"]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 2
    assert "'--patience'" in done.stderr
    assert "'--max-occupancy'" in done.stderr


def test_erlang_without_a_service_level_target_reports_it_within_the_wait_target() -> None:
    """Like requirements.csv and the KPIs: 100 calls / 30 min at 180 s (10 Erlangs) with a
    60 s average-wait target need 12 agents (ASA 40.4 s; 11 give 122.8 s); the service level
    shown is the share answered within 60 s, 1 - C exp(-(12 - 10) 60 / 180) = 0.7693 with
    C(10, 12) = 0.4494 from the Erlang B recursion (within the default 20 s it read 0.6402)."""
    from typer.testing import CliRunner

    from staffing.cli import app

    done = CliRunner().invoke(app, ["erlang", "--volume", "100", "--max-asa", "60", "--json"])
    assert done.exit_code == 0, done.output
    answer = json.loads(done.stdout)
    assert answer["agents"] == 12
    assert answer["binding_target"] == "max_asa"
    assert answer["service_level"] == pytest.approx(0.7693, abs=5e-5)
    assert answer["average_wait_seconds"] == pytest.approx(40.44, abs=5e-3)


@pytest.mark.parametrize(
    ("command", "option", "value", "expected"),
    [
        ("forecast", "--start", "9999-12-31", "expected a date YYYY-MM-DD in the years 1900-2200"),
        ("forecast", "--start", "0001-01-01", "expected a date YYYY-MM-DD in the years 1900-2200"),
        (
            "forecast",
            "--start",
            "2020-01-06",
            "expected a first day on or after the history's first day, 2026-09-28",
        ),
        ("plan", "--week", "9999-12-31", "expected a date YYYY-MM-DD in the years 1900-2200"),
    ],
)
def test_dates_far_off_or_before_the_history_are_refused(
    tmp_path: Path, command: str, option: str, value: str, expected: str
) -> None:
    """Review helper-45: 9999-12-31 died with 'OverflowError: date value out of range', and a
    start before the history was called 'inside the history' and back-cast with the trend."""
    folder = write_mini_store(tmp_path / "store")
    args = (
        ["--history", str(folder / "traffic.csv"), "--out", str(tmp_path / "f.csv")]
        if command == "forecast"
        else [str(folder)]
    )
    done = run_cli(command, *args, option, value)
    assert done.returncode == 2
    assert f"field '{option}': got '{value}'; {expected}" in done.stderr
    assert "Traceback" not in done.stderr
