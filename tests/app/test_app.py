"""The Streamlit app: it opens on the sample store and generates a roster (AppTest)."""

from __future__ import annotations

import datetime as dt
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
    assert any("as version 1" in s.value for s in at.success)


def test_bad_store_shows_errors_inline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.staffing.mini_store import write_mini_store

    folder = write_mini_store(
        tmp_path / "bad", traffic_csv="timestamp,channel,volume\n2026-11-20 09:00,tills,-1\n"
    )
    monkeypatch.setenv("STAFFING_STORE", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("traffic.csv, line 2, field 'volume'" in m.value for m in at.markdown)


@pytest.mark.parametrize(
    ("page", "title"),
    [("page_forecast", "Traffic forecast"), ("page_requirements", "Staff needed")],
)
def test_forecast_and_requirements_pages(page: str, title: str) -> None:
    at = AppTest.from_string(f"from app import {page}\n{page}()", default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value.startswith(title)
    assert len(at.selectbox) == 1


ADJUST = """
import datetime as dt
import streamlit as st
from app import _load, _folder, page_adjust
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
    at.selectbox[0].set_value(first["name"])
    at.multiselect[0].set_value([dt.date.fromisoformat(first["date"])])
    at.button[0].click().run()
    assert not at.exception
    assert any("Re-solved" in s.value for s in at.success)
    after = at.session_state["plan"].roster_rows
    gone = after[(after["employee_id"] == first["employee_id"]) & (after["date"] == first["date"])]
    assert gone.empty
    assert at.session_state["plan"].violations == ()


@pytest.mark.slow
def test_scenarios_run_and_compare() -> None:
    at = AppTest.from_string(
        "from app import page_scenarios\npage_scenarios()", default_timeout=240
    )
    at.run()
    assert not at.exception
    at.slider[0].set_value(3)
    at.button[0].click().run()  # the form's "Run scenario"
    assert not at.exception
    assert any("Side by side" in s.value for s in at.subheader)
    assert list(at.dataframe[0].value.columns) == ["+10% traffic"]


def test_store_page_offers_upload() -> None:
    at = AppTest.from_string("from app import page_store\npage_store()", default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Riverside Market"
    assert [b.label for b in at.button] == []  # "Use these files" appears once files are chosen
