"""Scenario files for ``staffing compare``: read into Scenarios, every problem named with its line,
and the command's table (one column per scenario beside the store as it is)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from staffing.errors import InputError
from staffing.loader import load_store
from staffing.model import Event
from staffing.pipeline import PlanSettings
from staffing.scenario_file import load_scenarios, planning_error
from staffing.scenarios import scenario_seconds
from tests.staffing.mini_store import write_mini_store
from tests.staffing.test_cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
WEEK = dt.date(2026, 11, 23)  # the mini store's and the sample store's default week


def test_the_sample_stores_scenarios_are_the_ones_the_product_describes() -> None:
    data = load_store(ROOT / "sample_data" / "store")
    path = ROOT / "sample_data" / "store" / "scenarios.toml"
    got = {s.name: s for s in load_scenarios(path, data, data.default_week())}
    assert list(got) == [
        "+10% traffic",
        "90/20 phones",
        "Two fewer part-timers",
        "6-hour shifts",
        "Wednesday promotion",
    ]
    assert got["+10% traffic"].traffic_factor == pytest.approx(1.1)
    assert (got["90/20 phones"].service_level, got["90/20 phones"].answer_within_seconds) == (
        0.9,
        20.0,
    )
    assert got["Two fewer part-timers"].remove_employees == ("A11", "C13")
    assert (got["6-hour shifts"].min_shift_hours, got["6-hour shifts"].max_shift_hours) == (6, 6)
    assert got["Wednesday promotion"].extra_event == Event(
        start_date=dt.date(2026, 11, 25),
        end_date=dt.date(2026, 11, 25),
        name="Midweek sale",
        kind="promotion",
    )
    # a key left out keeps the store's value
    assert got["+10% traffic"].service_level is None
    assert got["+10% traffic"].wage_factor == 1.0


BAD = """\
[[scenario]]
name = "busy"
trafic_factor = 1.1

[[scenario]]
name = "busy"
service_level = 1.5
wage_factor = "1.1"

[[scenario]]
name = "Current"
remove_employees = ["E9", "E1"]

[[scenario]]
name = "short shifts"
max_shift_hours = 3

[[scenario]]
name = "sale"
event = { name = "Sale", kind = "sale", start = 2026-11-28, end = 2026-11-27 }

[[scenario]]
name = "last year"
event = { name = "Sale", kind = "promotion", start = 2025-11-25, end = 2025-11-25 }

[[scenario]]
name = "nobody"
remove_employees = ["E1", "E2", "E3", "E4", "E5", "E6"]
"""


def test_every_problem_names_file_line_field_value_and_what_was_expected(
    tmp_path: Path,
) -> None:
    data = load_store(write_mini_store(tmp_path / "store"))
    path = tmp_path / "what_if.toml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenarios(path, data, WEEK)
    got = [str(p) for p in caught.value.problems]
    expected = [
        "what_if.toml, line 3, field 'scenario[1].trafic_factor': got 'trafic_factor'; "
        "expected one of the keys",
        "did you mean 'traffic_factor'?",
        "what_if.toml, line 6, field 'scenario[2].name': got 'busy'; expected a name of its own "
        "('busy' is used by an earlier scenario)",
        "what_if.toml, line 7, field 'scenario[2].service_level': got '1.5'; expected a fraction "
        "above 0 and at most 1",
        "what_if.toml, line 8, field 'scenario[2].wage_factor': got '1.1'; expected a factor "
        "(1.1 = +10%, 0.9 = -10%) from 0 to 10 (written without quotes)",
        "what_if.toml, line 11, field 'scenario[3].name': got 'Current'; expected a name of its "
        "own ('Current' is kept for the column of the store as it is)",
        "what_if.toml, line 12, field 'scenario[3].remove_employees': got 'E9'; expected an "
        "employee id of employees.csv",
        "what_if.toml, line 16, field 'scenario[4].max_shift_hours': got '3'; expected at least "
        "the store's rules.min_shift_hours (4)",
        "what_if.toml, line 20, field 'scenario[5].event.kind': got 'sale'; expected one of "
        "school_vacation, promotion, closure, other",
        "what_if.toml, line 20, field 'scenario[5].event.end': got '2026-11-27'; expected a day "
        "on or after the start (2026-11-28)",
        "what_if.toml, line 24, field 'scenario[6].event': got '2025-11-25 .. 2025-11-25'; "
        "expected dates after the history's last day (2026-11-21): a scenario's event changes "
        "the planned week, not the past",
        "what_if.toml, line 28, field 'scenario[7].remove_employees': got \"['E1', 'E2', 'E3', "
        "'E4', 'E5', 'E6']\"; expected at least one employee left in",
    ]
    text = "\n".join(got)
    for part in expected:
        assert part in text, part
    assert len(got) == 11, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "what_if.toml, field 'scenario': expected at least one [[scenario]] table"),
        ('[[scenario]]\nname = "a"\ntraffic_factor = \n', "what_if.toml, line 3: expected valid"),
        ('[scenario]\nname = "a"\n', "field 'scenario': got \"{'name': 'a'}\"; expected at "),
        ("[[scenario]]\ntraffic_factor = 1.1\n", "line 1, field 'scenario[1].name': expected the "),
        (
            '[[scenarios]]\nname = "a"\n',
            "line 1, field 'scenarios': got 'scenarios'; expected one of the keys scenario",
        ),
        (
            '[[scenario]]\nname = "a"\nevent = { name = "Sale", kind = "promotion", '
            "start = 2026-11-25T09:00:00, end = 2026-11-25 }\n",
            "line 3, field 'scenario[1].event.start': got '2026-11-25 09:00:00'; expected a date "
            "written YYYY-MM-DD, without quotes",
        ),
        (
            # 4.25 h: no whole number of 60-minute intervals from 4.25 to 4.5 hours
            '[[scenario]]\nname = "odd"\nmin_shift_hours = 4.25\nmax_shift_hours = 4.5\n',
            "line 4, field 'scenario[1].max_shift_hours': got '4.5'; expected at least 5: shifts "
            "are whole 60-minute intervals, and min_shift_hours (4.25) rounds up to 5",
        ),
    ],
)
def test_a_file_that_is_not_a_list_of_scenarios(tmp_path: Path, text: str, expected: str) -> None:
    data = load_store(write_mini_store(tmp_path / "store"))
    path = tmp_path / "what_if.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenarios(path, data, WEEK)
    assert expected in str(caught.value)


def test_compare_prints_and_writes_one_column_per_scenario_beside_the_store(
    tmp_path: Path,
) -> None:
    folder = write_mini_store(tmp_path / "store")
    path = tmp_path / "what_if.toml"
    path.write_text(
        '[[scenario]]\nname = "+50% traffic"\ntraffic_factor = 1.5\n\n'
        '[[scenario]]\nname = "no Fay"\nremove_employees = ["E6"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "new folder" / "table.csv"  # made if need be
    done = run_cli("compare", str(folder), str(path), "--time-limit", "2", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "+50% traffic" in done.stdout
    assert "planning 'no Fay' (2-s solver limit)" in done.stderr
    table = pd.read_csv(out, encoding="utf-8-sig")
    # a name starting with + is neutralised for spreadsheets
    assert list(table.columns) == ["figure", "current", "'+50% traffic", "no Fay"]
    figures = table.set_index("figure")
    cost = figures.loc["wage cost"].astype(float)
    assert cost["'+50% traffic"] > cost["current"]  # more traffic needs more (paid) people
    assert set(figures.loc["solver status"]) <= {"optimal", "feasible"}
    assert figures.loc["phone: service level counts", "current"] == "answered within 20 s"
    # nobody is modelled to abandon here (no channel has a patience): no row of assumed zeros
    assert not [f for f in figures.index if f.endswith("abandonment")]


def test_compare_with_a_bad_scenario_file_exits_2_without_traceback(tmp_path: Path) -> None:
    folder = write_mini_store(tmp_path / "store")
    path = tmp_path / "what_if.toml"
    path.write_text('[[scenario]]\nname = "x"\nremove_employees = ["E99"]\n', encoding="utf-8")
    done = run_cli("compare", str(folder), str(path), "--out", str(tmp_path / "t.csv"))
    assert done.returncode == 2
    assert (
        "what_if.toml, line 3, field 'scenario[1].remove_employees': got 'E99'; expected an "
        "employee id of employees.csv" in done.stderr
    )
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "t.csv").exists()
    missing = run_cli("compare", str(folder), str(tmp_path / "nope.toml"))
    assert missing.returncode == 2
    assert "nope.toml: expected this file to exist" in missing.stderr


def test_teams_of_over_100_people_get_a_minute_per_scenario_plan(tmp_path: Path) -> None:
    data = load_store(write_mini_store(tmp_path / "store"))
    assert scenario_seconds(data) == PlanSettings().time_limit_seconds
    people = tuple(replace(e, id=f"{e.id}-{k}") for k in range(17) for e in data.employees)
    assert scenario_seconds(replace(data, employees=people[:100])) == 10.0
    assert scenario_seconds(replace(data, employees=people[:101])) == 60.0


MORE = """\
[[scenario]]
service_level = 5
traffic_factor = "x"

[[scenario]]
name = "figure"

[[scenario]]
name = "+x"

[[scenario]]
name = "'+x"

[[scenario]]
name = "two\\nlines"

[[scenario]]
name = "twice"
remove_employees = ["E1", "E1"]

[[scenario]]
name = "next month"
event = { name = "Sale", kind = "promotion", start = 2026-12-10, end = 2026-12-12 }

[[scenario]]
name = "far"
event = { name = "Sale", kind = "promotion", start = 2026-11-25, end = 9999-12-31 }

[[scenario]]
name = "no wait target"
max_average_wait_seconds = 60
"""


def test_names_that_collide_in_the_table_and_data_that_changes_nothing_are_refused(
    tmp_path: Path,
) -> None:
    data = load_store(write_mini_store(tmp_path / "store"))
    phone_only = replace(
        data, store=replace(data.store, channels=(data.store.channel("phone"),), posts=())
    )
    path = tmp_path / "what_if.toml"
    path.write_text(MORE, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_scenarios(path, phone_only, WEEK)
    text = str(caught.value)
    expected = [
        # a missing name hides nothing else in its table
        "line 1, field 'scenario[1].name': expected the required key 'name'",
        "line 2, field 'scenario[1].service_level': got '5'",
        "line 3, field 'scenario[1].traffic_factor': got 'x'",
        "line 6, field 'scenario[2].name': got 'figure'; expected a name of its own ('figure' "
        "is kept for the column of figure names)",
        # '+x' is the CSV header of +x once neutralised for spreadsheets
        "line 12, field 'scenario[4].name': got \"'+x\"; expected a name of its own",
        "line 15, field 'scenario[5].name': got 'two\\nlines'; expected a name without control "
        "characters",
        "line 19, field 'scenario[6].remove_employees': got 'E1'; expected each employee once",
        "line 23, field 'scenario[7].event': got '2026-12-10 .. 2026-12-12'; expected dates on "
        "the planned days 2026-11-23 .. 2026-11-29 (an event outside them changes nothing)",
        "line 27, field 'scenario[8].event': got '2026-11-25 .. 9999-12-31'; expected an end by "
        "2200-12-31",
        "line 31, field 'scenario[9].max_average_wait_seconds': got '60.0'; expected a target "
        "some channel has (no channel of store.toml has a maximum wait target",
    ]
    for part in expected:
        assert part in text, part
    assert len(caught.value.problems) == len(expected), text


def test_shift_lengths_the_stores_break_rule_has_no_room_for_are_refused(tmp_path: Path) -> None:
    data = load_store(write_mini_store(tmp_path / "store"))
    rules = replace(data.store.rules, break_after_hours=2.0, break_minutes=30)
    data = replace(data, store=replace(data.store, rules=rules))
    path = tmp_path / "what_if.toml"
    path.write_text(
        '[[scenario]]\nname = "short shifts"\nmin_shift_hours = 2.5\nmax_shift_hours = 3.5\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_scenarios(path, data, WEEK)
    assert (
        "line 4, field 'scenario[1].max_shift_hours': got '3.5'; expected at least 5, so that a "
        "shift has room for its break after break_window_start_hours (3)"
    ) in str(caught.value)
    # a store rule the new lengths no longer fit is named, on the line of a changed length
    path.write_text('[[scenario]]\nname = "short shifts"\nmin_shift_hours = 2.5\n', "utf-8")
    with pytest.raises(InputError) as caught:
        load_scenarios(path, data, WEEK)
    assert (
        "line 3, field 'scenario[1].min_shift_hours': got '2.5'; expected shift lengths the "
        "store's rules allow (rules.break_after_hours: at least 4, so that no shift gets a break "
        "it has no room for"
    ) in str(caught.value)


def test_a_scenario_that_fails_to_plan_is_named_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "what_if.toml"
    path.write_text('[[scenario]]\nname = "a"\n\n[[scenario]]\nname = "b"\n', encoding="utf-8")
    error = planning_error(path, 1, "b", ValueError("tills: too many contacts to size"))
    assert str(error) == (
        "what_if.toml, line 4, field 'scenario[2]': got 'b'; expected a scenario that can be "
        "planned; planning it says: tills: too many contacts to size"
    )


def test_compare_refuses_to_write_its_table_over_an_input_before_solving(tmp_path: Path) -> None:
    folder = write_mini_store(tmp_path / "store")
    path = tmp_path / "what_if.toml"
    text = '[[scenario]]\nname = "busy"\ntraffic_factor = 1.2\n'
    path.write_text(text, encoding="utf-8")
    for target in (path, folder / "traffic.csv"):
        before = target.read_bytes()
        done = run_cli("compare", str(folder), str(path), "--out", str(target))
        assert done.returncode == 2
        assert "field '--out'" in done.stderr
        assert "expected a file that is not one of the inputs" in done.stderr
        assert "planning 'current'" not in done.stderr  # refused before any solve
        assert target.read_bytes() == before
