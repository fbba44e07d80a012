"""The Streamlit app: it opens on the sample store and generates a roster (AppTest)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_app_opens_with_generate_button() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Generate roster"]


@pytest.fixture(autouse=True)
def private_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFFING_DB", str(tmp_path / "app.sqlite3"))


@pytest.mark.slow
def test_generate_roster_shows_kpis_and_exports() -> None:
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.slider[0].set_value(5).run()
    at.button[0].click().run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Wage cost" in labels
    assert "Optimality gap" in labels
    assert any("Shortfalls" in s.value for s in at.subheader)
    publish = next(b for b in at.button if b.label == "Publish this roster")
    publish.click().run()
    assert not at.exception
    # the publication's number and the saved roster's vN, which export goes by (review
    # helper-44: "version 1" on this page was "v2" to staffing export --version)
    saved = max(r.id for r in _saved_rosters())
    assert any(
        f"as version 1: saved roster v{saved}, the number the Export page" in s.value
        for s in at.success
    )
    assert any(f"version 1, v{saved} (" in c.value for c in at.caption)
    assert not any("not the published one" in i.value for i in at.info)
    # the roster on screen changes (an edit, a re-solve): the page says it is not the one on
    # record, which HR exports (the published caption alone had stayed as if it were)
    plan = at.session_state["plan"]
    at.session_state["plan"] = replace(plan, roster_rows=plan.roster_rows.iloc[1:])
    at.run()
    assert any("not the published one" in i.value for i in at.info)


@pytest.mark.slow
def test_roster_page_finds_the_time_for_a_training() -> None:
    """The windows felt least are listed for the roster on screen, with a day that has none
    said why; they are forgotten once other attendees are picked."""
    at = AppTest.from_file(APP, default_timeout=240).run()
    at.slider[0].set_value(5).run()
    at.button[0].click().run()
    plan = at.session_state["plan"]
    rows = plan.roster_rows
    who = rows["employee_id"].value_counts().index[:2].tolist()
    names = {e.id: f"{e.name} ({e.id})" for e in plan.data.employees}
    _widget(at.multiselect, "Attendees").set_value([names[w] for w in who]).run()
    _widget(at.button, "Find the time").click().run()
    assert not at.exception
    from staffing.training import find_training_time

    found = find_training_time(plan, who, 120)
    (table,) = [d.value for d in at.dataframe if "when" in d.value.columns]
    assert list(table["when"]) == list(found.to_frame()["when"])
    assert any(t.value == f"{found.fitting} window(s) fit; felt least first:" for t in at.markdown)
    shown = [c.value for c in at.caption]
    assert found.blocked  # each works at most 5 days: two days at least without both
    assert all(f"No window on {line}." in shown for line in found.blocked)
    _widget(at.multiselect, "Attendees").set_value([names[who[0]]]).run()
    assert not any("window(s) fit" in t.value for t in at.markdown)


def _saved_rosters():  # type: ignore[no-untyped-def]
    """The sample store's saved rosters in the test's database."""
    from staffing.loader import load_store
    from staffing.persistence import Repository, StoreIdentity, default_path

    repo = Repository(default_path(), read_only=True)
    try:
        data = load_store(Path(APP).parent / "sample_data" / "store")
        return repo.rosters(StoreIdentity.of(data))
    finally:
        repo.close()


def test_bad_store_shows_errors_inline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.staffing.mini_store import write_mini_store

    folder = write_mini_store(
        tmp_path / "bad", traffic_csv="timestamp,channel,volume\n2026-11-20 09:00,tills,-1\n"
    )
    monkeypatch.setenv("STAFFING_STORE", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("traffic.csv, line 2, field 'volume'" in m.value for m in at.markdown)


def test_store_warnings_and_every_problem_count_are_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.staffing.mini_store import traffic_csv, write_mini_store

    folder = write_mini_store(
        tmp_path / "typo", traffic_csv=traffic_csv() + "2030-01-01 09:00,tills,4\n"
    )
    monkeypatch.setenv("STAFFING_STORE", str(folder))
    at = AppTest.from_string("from ui import page_store\npage_store()", default_timeout=60).run()
    assert not at.exception
    assert any(
        "no tills rows from 2026-11-21 16:00 to 2030-01-01 09:00" in w.value for w in at.warning
    )
    rows = "".join(f"2026-11-{d} {h:02d}:00,tills,-1\n" for d in (18, 19, 20) for h in range(24))
    bad = write_mini_store(tmp_path / "bad", traffic_csv="timestamp,channel,volume\n" + rows)
    monkeypatch.setenv("STAFFING_STORE", str(bad))
    at = AppTest.from_string("from ui import page_store\npage_store()", default_timeout=60).run()
    shown = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(shown) == 51  # the first 50 of 72, then how many more
    assert shown[-1] == "- ... and 22 more problem(s) of the same kinds"


@pytest.mark.parametrize(
    ("page", "title"),
    [("page_forecast", "Traffic forecast"), ("page_requirements", "Staff needed")],
)
def test_forecast_and_requirements_pages(page: str, title: str) -> None:
    at = AppTest.from_string(f"from ui import {page}\n{page}()", default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value.startswith(title)
    assert len(at.selectbox) == 1


ADJUST = """
import datetime as dt
import streamlit as st
from ui import page_adjust
from ui.common import _folder, _load
from staffing.pipeline import PlanSettings, plan_week
if "plan" not in st.session_state:
    data = _load(_folder())
    st.session_state["plan"] = plan_week(
        data, data.default_week(), PlanSettings(time_limit_seconds=4, workers=1)
    )
page_adjust()
"""


@pytest.mark.slow
def test_adjust_marks_someone_absent_and_resolves() -> None:
    at = AppTest.from_string(ADJUST, default_timeout=240).run()
    assert not at.exception
    plan = at.session_state["plan"]
    first = plan.roster_rows.iloc[0]
    _widget(at.selectbox, "Absent employee").set_value(first["name"])
    _widget(at.multiselect, "Absent on").set_value([dt.date.fromisoformat(first["date"])])
    _widget(at.button, "Re-solve with minimal change").click().run()
    assert not at.exception
    assert any("Re-solved:" in s.value for s in at.success)
    after = at.session_state["plan"].roster_rows
    gone = after[(after["employee_id"] == first["employee_id"]) & (after["date"] == first["date"])]
    assert gone.empty
    assert at.session_state["plan"].violations == ()
    # the people to tell: one line per changed employee-day, the absence among them
    told = "\n".join(t.value for t in at.text)
    assert f"{first['name']} ({first['employee_id']})" in told
    assert "-> off" in told


def test_adjust_offers_today_first_while_the_week_is_under_way() -> None:
    from ui.adjust import _first_changeable

    week = [dt.date(2026, 11, 30) + dt.timedelta(days=d) for d in range(7)]
    assert _first_changeable(week, dt.date(2026, 12, 2)) == dt.date(2026, 12, 2)
    assert _first_changeable(week, dt.date(2026, 12, 6)) == dt.date(2026, 12, 6)
    assert _first_changeable(week, dt.date(2026, 11, 29)) == week[0]  # before it
    assert _first_changeable(week, dt.date(2026, 12, 7)) == week[0]  # after it: all may change


@pytest.mark.slow
def test_adjust_warns_when_days_gone_by_may_change(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.adjust
    from staffing.loader import load_store

    week = load_store(Path(APP).parent / "sample_data" / "store").default_week()
    thursday = week + dt.timedelta(days=3)
    monkeypatch.setattr(ui.adjust, "_today", lambda timezone: thursday)
    at = AppTest.from_string(ADJUST, default_timeout=240).run()
    assert not at.exception
    assert at.session_state["plan"].week_start == week
    first = _widget(at.selectbox, "Days that may change, from")
    assert first.value == thursday  # the store's today, while the week is under way
    assert not any("has gone by" in w.value for w in at.warning)
    first.set_value(week).run()
    gone = f"{week:%a %d %b} to {thursday - dt.timedelta(days=1):%a %d %b} has gone by"
    assert any(gone in w.value for w in at.warning)


def _widget(widgets, label: str):  # type: ignore[no-untyped-def]
    """The one widget of a kind with this label (AppTest lists widgets by kind, in page order)."""
    (found,) = [w for w in widgets if w.label == label]
    return found


@pytest.mark.slow
def test_adjust_from_midweek_keeps_the_days_gone_by_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ui.adjust
    from staffing.pipeline import resolve_week

    asked: list[object] = []

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(kwargs.get("kept_before"))
        return resolve_week(*args, **kwargs)

    monkeypatch.setattr(ui.adjust, "resolve_week", spy)
    monkeypatch.setattr(ui.adjust, "_today", lambda timezone: dt.date(2000, 1, 3))
    at = AppTest.from_string(ADJUST, default_timeout=240).run()
    assert not at.exception
    plan = at.session_state["plan"]
    rows = plan.roster_rows
    wednesday = plan.week_start + dt.timedelta(days=2)
    midweek = _widget(at.selectbox, "Days that may change, from")
    assert midweek.value == plan.week_start  # the week is not under way "today"
    midweek.set_value(wednesday).run()
    # Monday's first worker is away for the rest of the week: a Tuesday absence is history
    monday = rows[rows["date"] == str(plan.week_start)].iloc[0]
    rest = [plan.week_start + dt.timedelta(days=d) for d in range(2, plan.problem.days)]
    _widget(at.selectbox, "Absent employee").set_value(monday["name"])
    tuesday = plan.week_start + dt.timedelta(days=1)
    _widget(at.multiselect, "Absent on").set_value([tuesday, *rest])
    _widget(at.button, "Re-solve with minimal change").click().run()
    assert any(f"absent on {tuesday:%a %d %b}, before {wednesday:%a %d %b}" in e.value
               for e in at.error)  # fmt: skip
    assert asked == []  # refused, not quietly dropped
    _widget(at.multiselect, "Absent on").set_value(rest)
    _widget(at.button, "Re-solve with minimal change").click().run()
    assert not at.exception
    assert asked == [wednesday]
    # the choice holds for the next re-solve of the week
    assert _widget(at.selectbox, "Days that may change, from").value == wednesday
    assert any(f"before {wednesday:%a %d %b} kept as worked" in s.value for s in at.success)
    after = at.session_state["plan"].roster_rows
    columns = ["employee_id", "date", "start", "end", "role"]

    def gone_by(frame):  # type: ignore[no-untyped-def]
        days = frame[frame["date"] < str(wednesday)][columns]
        return days.sort_values(columns).reset_index(drop=True)

    assert gone_by(after).equals(gone_by(rows))  # Monday and Tuesday exactly as they were
    assert not at.session_state["plan"].locked_mask().any()  # held for that solve, not locked
    away = after[
        (after["employee_id"] == monday["employee_id"]) & (after["date"] >= str(wednesday))
    ]
    assert away.empty
    assert at.session_state["plan"].violations == ()


@pytest.mark.slow
def test_adjust_keeps_unapplied_edits_while_another_page_is_open() -> None:
    script = "import streamlit as st\n" + ADJUST.replace(
        "page_adjust()",
        "st.write('another page') if st.session_state.get('away') else page_adjust()",
    )
    at = AppTest.from_string(script, default_timeout=240).run()
    assert not at.exception
    plan = at.session_state["plan"]
    table = at.session_state["adjust_draft"][1]
    assert len(table) == len(plan.roster_rows)
    assert not any(c.value.startswith("Edited:") for c in at.caption)
    at.session_state["away"] = True  # another page: Streamlit forgets the editor's own state
    at.run()
    # what the editor held when the manager left: the first shift deleted
    at.session_state["adjust_draft"] = (plan, table.iloc[1:])
    at.session_state["away"] = False
    at.run()
    assert not at.exception
    assert any(c.value.startswith("Edited:") for c in at.caption)
    assert len(at.data_editor[0].value) == len(plan.roster_rows) - 1
    next(b for b in at.button if b.label == "Discard edits").click().run()
    assert not any(c.value.startswith("Edited:") for c in at.caption)
    assert len(at.data_editor[0].value) == len(plan.roster_rows)


@pytest.mark.slow
def test_a_corrupt_database_leaves_the_roster_readable_and_exportable(tmp_path: Path) -> None:
    import os

    db = Path(os.environ["STAFFING_DB"])  # this test's own file (private_database)
    db.write_bytes(b"this is not a database" * 100)
    roster_page = ADJUST.replace("page_adjust", "page_roster")
    at = AppTest.from_string(roster_page, default_timeout=240).run()
    assert not at.exception
    assert any(str(db) in e.value and "not possible" in e.value for e in at.error)
    labels = [b.label for b in at.get("download_button")]
    assert "Download roster (CSV)" in labels
    assert db.read_bytes() == b"this is not a database" * 100  # left as it was


@pytest.mark.slow
def test_scenarios_run_and_compare() -> None:
    at = AppTest.from_string("from ui import page_scenarios\npage_scenarios()", default_timeout=240)
    at.run()
    assert not at.exception
    at.slider[0].set_value(3)
    at.button[0].click().run()  # the form's "Run scenario"
    assert not at.exception
    assert any("Side by side" in s.value for s in at.subheader)
    table = at.dataframe[0].value
    assert list(table.columns) == ["+10% traffic"]
    # shares as percentages, money with separators: it had shown 0.8123 and 15672.27
    assert table.loc["tills: service level", "+10% traffic"].endswith("%")
    assert "," in table.loc["wage cost", "+10% traffic"]
    at.text_input[0].set_value("  ")
    at.button[0].click().run()  # no name: refused, nothing saved
    assert any("Give the scenario a name." in e.value for e in at.error)
    assert list(at.dataframe[0].value.columns) == ["+10% traffic"]


def test_store_page_offers_upload() -> None:
    at = AppTest.from_string("from ui import page_store\npage_store()", default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Riverside Market"
    assert [b.label for b in at.button] == []  # "Use these files" appears once files are chosen


def test_stricter_targets_need_more_staff_on_every_page() -> None:
    """Targets edited on the Requirements page (kept in session state) re-size at once."""
    script = "from ui import page_requirements\npage_requirements()"
    at = AppTest.from_string(script, default_timeout=120).run()
    assert not at.exception
    assert len(at.data_editor) == 1
    before = float(at.metric[0].value.replace(",", ""))
    at.session_state["targets"] = {"tills": {"max_average_wait_seconds": 30.0}}
    at.run()
    assert not at.exception
    after = float(at.metric[0].value.replace(",", ""))
    assert after > before
    assert any(b.label == "Reset targets to the store's" for b in at.button)


def test_target_edits_become_overrides_and_bad_ones_are_refused() -> None:
    import pandas as pd

    from ui.common import _load
    from ui.requirements import _target_changes

    data = _load(str(Path(APP).parent / "sample_data" / "store"))
    before = pd.DataFrame(
        [{"channel": "phone", "service level (%)": 80.0, "answered within (s)": 20.0,
          "max average wait (s)": None, "max abandonment (%)": None},
         {"channel": "tills", "service level (%)": None, "answered within (s)": 20.0,
          "max average wait (s)": 120.0, "max abandonment (%)": None}]
    )  # fmt: skip
    after = before.copy()
    after.loc[0, "service level (%)"] = 90.0
    after.loc[1, "max average wait (s)"] = None  # no target left: refused
    overrides, problems = _target_changes(data, before, after, {})
    assert overrides["phone"]["service_level"] == pytest.approx(0.9)
    assert "tills" not in overrides
    assert problems == [
        "tills: keep at least one target (service level, wait or abandonment); the edit was "
        "not applied."
    ]
    # out of the table's range (which only the browser enforces): refused, never applied
    after.loc[0, "service level (%)"] = 150.0
    overrides, problems = _target_changes(data, before, after, {})
    assert "phone" not in overrides
    assert (
        problems[0] == "phone: service level (%) 150 is outside 1-99.9; the edit was not applied."
    )


def test_forecast_page_marks_special_days_and_offers_a_backtest() -> None:
    at = AppTest.from_string("from ui import page_forecast\npage_forecast()", default_timeout=120)
    at.run()
    assert not at.exception
    assert any("Black Friday" in m.value for m in at.markdown)  # the sample week's promotion
    assert [b.label for b in at.button] == ["Check accuracy (backtest on the last 4 weeks)"]


def test_forecast_page_shows_what_the_model_says_about_the_forecast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An event of a kind the history has never seen changes nothing, and the model says so;
    the page had dropped what the model said (the CLI printed it)."""
    from tests.staffing.mini_store import EVENTS_CSV, write_mini_store

    events = EVENTS_CSV + "2026-11-25,2026-11-25,Pop-up market,other\n"
    monkeypatch.setenv("STAFFING_STORE", str(write_mini_store(tmp_path / "m", events_csv=events)))
    at = AppTest.from_string("from ui import page_forecast\npage_forecast()", default_timeout=120)
    at.run()
    assert not at.exception
    said = [m.value for e in at.expander for m in e.markdown]
    assert any("Pop-up market" in m and "cannot be learned" in m for m in said), said


@pytest.mark.slow
def test_scenarios_survive_a_restart_of_the_app() -> None:
    script = "from ui import page_scenarios\npage_scenarios()"
    at = AppTest.from_string(script, default_timeout=240).run()
    at.text_input[1].set_value("Stocktake")  # extra event: a closure on the first day
    at.selectbox[0].set_value("closure")
    at.slider[0].set_value(3)
    at.button[0].click().run()
    assert not at.exception
    again = AppTest.from_string(script, default_timeout=240).run()  # a new session
    assert not again.exception
    table = again.dataframe[0].value
    assert list(table.columns) == ["+10% traffic"]
    assert any("extra event" in c.value and "Stocktake" in c.value for c in again.caption)


def test_adjust_without_a_roster_says_what_to_do_first() -> None:
    at = AppTest.from_string("from ui import page_adjust\npage_adjust()", default_timeout=60)
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == ["Generate a roster first (Roster page)."]


def test_a_saved_roster_is_shown_again_after_a_restart() -> None:
    import pandas as pd

    from staffing.persistence import Repository, StoreIdentity
    from ui.common import _folder, _load

    repo = Repository()
    repo.save_roster(
        store=StoreIdentity.of(_load(_folder())), week=dt.date(2026, 11, 23), label="generated",
        status="optimal", roster=pd.DataFrame(
            {"employee_id": ["C01"], "start": ["2026-11-23T09:00"], "end": ["2026-11-23T15:00"],
             "role": ["cashier"], "break_start": [""], "break_end": [""], "paid_hours": [6.0]}
        ), hours=pd.DataFrame({"employee_id": ["C01"]}), kpis={},
    )  # fmt: skip
    repo.close()
    at = AppTest.from_file(APP, default_timeout=60).run()  # a fresh session: nothing generated
    assert not at.exception
    assert any(
        s.value.startswith("Saved rosters of the week of Mon 23 Nov 2026") for s in at.subheader
    )
    assert [b.label for b in at.download_button] == ["Download saved roster (CSV)"]
    # and it can be opened again to adjust and publish
    next(b for b in at.button if b.label == "Open it to adjust or publish").click().run()
    assert not at.exception
    plan = at.session_state["plan"]
    assert plan.roster_rows["employee_id"].tolist() == ["C01"]
    assert any(b.label == "Publish this roster" for b in at.button)


def test_store_page_switches_to_the_contact_center_sample() -> None:
    at = AppTest.from_string("from ui import page_store\npage_store()", default_timeout=120).run()
    assert not at.exception
    at.selectbox[0].set_value("Northwind Contact Centre (220 agents, 15-minute intervals)").run()
    assert not at.exception
    assert at.title[0].value == "Northwind Contact Centre"
    assert at.session_state["store_folder"].endswith("contact_center")


def test_a_week_before_enough_history_says_so() -> None:
    at = AppTest.from_string("from ui import page_roster\npage_roster()", default_timeout=60)
    at.run()
    at.date_input[0].set_value(dt.date(2024, 11, 18)).run()  # the history's first week
    at.button[0].click().run()
    assert not at.exception
    assert any("No forecast for the week of 18 Nov 2024" in e.value for e in at.error)
