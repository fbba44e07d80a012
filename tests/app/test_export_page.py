"""The Export page: HR downloads a saved week, the published version by default (AppTest)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from staffing.exports import to_csv_bytes
from staffing.loader import load_store
from staffing.persistence import Repository, SavedRoster, StoreIdentity

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "from ui import page_export\npage_export()"
STORE = "Riverside Market"  # the sample store the app opens on
IDENTITY = StoreIdentity.of(load_store(Path(APP).parent / "sample_data" / "store"))
WEEK = dt.date(2026, 11, 23)
# Another store called Riverside Market: the same ids, A01 and A02 other people.
OTHER = StoreIdentity(
    name=STORE, team=(*IDENTITY.team[2:], ("A01", "Anna Smith"), ("A02", "Ben Jones"))
)


@pytest.fixture(autouse=True)
def private_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFFING_DB", str(tmp_path / "app.sqlite3"))


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes each download button offers, by its file name (from the last run)."""
    files: dict[str, bytes] = {}
    add = MediaFileManager.add

    def record(
        self: MediaFileManager, data: bytes | str, mimetype: str, *args: object, **kw: object
    ) -> str:
        name = kw.get("file_name")
        if isinstance(name, str) and isinstance(data, bytes):
            files[name] = data
        return add(self, data, mimetype, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(MediaFileManager, "add", record)
    return files


def _save(
    repo: Repository, label: str, who: str, week: dt.date = WEEK, *,
    store: StoreIdentity = IDENTITY, emp: str = "007",
) -> SavedRoster:  # fmt: skip
    """A saved roster of one shift for ``who`` (shaped like ``WeekPlan.roster_rows``)."""
    day = week.isoformat()
    roster = pd.DataFrame(
        {"employee_id": [emp], "name": [who], "date": [day], "start": [f"{day}T09:00"],
         "end": [f"{day}T15:00"], "role": ["cashier"], "break_start": [f"{day}T12:00"],
         "break_end": [f"{day}T12:30"], "break_minutes": [30], "paid_hours": [5.5],
         "cost": [68.75]}
    )  # fmt: skip
    hours = pd.DataFrame(
        {"employee_id": [emp], "name": [who], "contract": ["full_time"], "roles": ["cashier"],
         "paid_hours": [5.5], "days_worked": [1], "weekend_days": [0], "min_hours_week": [0],
         "max_hours_week": [40], "overtime_hours": [0.0], "cost": [68.75]}
    )  # fmt: skip
    return repo.save_roster(
        store=store, week=week, label=label, status="optimal", roster=roster, hours=hours,
        kpis={"wage_cost": 68.75, "paid_hours": 5.5},
    )  # fmt: skip


def _snapshot(repo: Repository, store: StoreIdentity = IDENTITY) -> list[tuple[object, ...]]:
    return [
        (s.id, s.label, s.roster.to_csv(), s.hours.to_csv(), s.kpis) for s in repo.rosters(store)
    ] + [(p.id, p.roster_id, p.version) for p in repo.publications(store)]


def test_nothing_saved_says_so() -> None:
    at = AppTest.from_string(PAGE, default_timeout=60).run()
    assert not at.exception
    assert any(i.value.startswith(f"Nothing is saved yet for {STORE}") for i in at.info)
    assert len(at.download_button) == 0


def test_the_latest_published_version_is_chosen_and_exported_as_saved(
    downloads: dict[str, bytes],
) -> None:
    repo = Repository()
    first = _save(repo, "generated", "Ann")
    repo.publish(first.id)  # version 1, replaced below
    published = _save(repo, "optimal, 69 EUR", '=HYPERLINK("http://x")')  # a formula name
    repo.publish(published.id)  # version 2: the one in force
    _save(repo, "edited by hand", "Ben")  # edited after publishing: newer, not published
    _save(repo, "generated", "Cat", week=WEEK - dt.timedelta(days=7))
    before = _snapshot(repo)
    at = AppTest.from_string(PAGE, default_timeout=60).run()
    assert not at.exception
    assert at.selectbox[0].value == WEEK
    assert at.selectbox[1].value == published.id  # not the newest save, not version 1
    assert "PUBLISHED AS VERSION 2" in at.selectbox[1].format_func(published.id)
    assert "REPLACED BY VERSION 2" in at.selectbox[1].format_func(first.id)
    assert any(f"v{published.id} is the published roster" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert len(table) == 3
    assert table["paid hours"].tolist() == [5.5, 5.5, 5.5]
    name = f"Riverside-Market_2026-11-23_v{published.id}_published"
    assert set(downloads) == {f"roster_{name}.csv", f"totals_{name}.csv", f"roster_{name}.xlsx"}
    shifts = downloads[f"roster_{name}.csv"]
    assert shifts == to_csv_bytes(published.roster)
    assert "'=HYPERLINK" in shifts.decode("utf-8-sig")  # neutralised
    assert downloads[f"totals_{name}.csv"] == to_csv_bytes(published.hours)
    book = pd.read_excel(io.BytesIO(downloads[f"roster_{name}.xlsx"]), sheet_name=None)
    assert list(book) == ["shifts", "weekly totals"]
    assert book["shifts"]["name"].tolist() == ['\'=HYPERLINK("http://x")']
    assert book["weekly totals"]["paid_hours"].tolist() == [5.5]
    # HR can pick another version; it is marked as not the published one
    at.selectbox[1].set_value(first.id).run()
    assert any("is not the published roster" in w.value for w in at.warning)
    assert any(n.endswith(f"_v{first.id}_replaced.csv") for n in downloads)
    assert _snapshot(repo) == before  # nothing saved, changed or deleted
    repo.close()


def test_a_week_without_a_published_version_says_so(downloads: dict[str, bytes]) -> None:
    repo = Repository()
    _save(repo, "generated", "Ann", week=WEEK - dt.timedelta(days=7))
    repo.publish(repo.rosters(IDENTITY)[0].id)
    draft = _save(repo, "generated", "Ben")  # the newest week: not published
    repo.close()
    at = AppTest.from_string(PAGE, default_timeout=60).run()
    assert at.selectbox[0].value == WEEK - dt.timedelta(days=7)  # the published week first
    at.selectbox[0].set_value(WEEK).run()
    assert not at.exception
    assert any("No version of the week of 23 Nov 2026 is published" in w.value for w in at.warning)
    assert at.selectbox[1].value == draft.id
    assert "NOT PUBLISHED" in at.selectbox[1].format_func(draft.id)
    name = f"roster_Riverside-Market_2026-11-23_v{draft.id}_not-published.csv"
    assert downloads[name] == to_csv_bytes(draft.roster)


def test_the_app_routes_to_the_export_page(monkeypatch: pytest.MonkeyPatch) -> None:
    # The router's pages, narrowed to the one titled Export: as if it were picked in the sidebar.
    navigation = st.navigation

    def pick_export(pages: list[st.Page], **kw: Any) -> st.Page:
        return navigation([p for p in pages if p.title == "Export"], **kw)

    monkeypatch.setattr(st, "navigation", pick_export)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Export for HR and payroll"


def test_an_unreadable_database_says_why_and_is_left_alone() -> None:
    import os

    db = Path(os.environ["STAFFING_DB"])
    db.write_bytes(b"this is not a database" * 100)
    at = AppTest.from_string(PAGE, default_timeout=60).run()
    assert not at.exception
    assert any(str(db) in e.value and "not possible" in e.value for e in at.error)
    assert len(at.info) == 0  # not "nothing is saved yet"
    assert db.read_bytes() == b"this is not a database" * 100


def test_rosters_of_another_team_of_the_same_name_are_listed_read_only(
    downloads: dict[str, bytes],
) -> None:
    # The store's identity broke (or another store has its name): nothing of its own is
    # saved, but it must not look as if nothing were saved at all.
    repo = Repository()
    theirs = _save(repo, "generated", "Anna Smith", store=OTHER, emp="A01")
    repo.publish(theirs.id)
    assert repo.rosters(IDENTITY) == ()
    before = _snapshot(repo, OTHER)
    at = AppTest.from_string(PAGE, default_timeout=60).run()
    assert not at.exception
    assert not any("Nothing is saved yet" in i.value for i in at.info)
    assert any(
        i.value.startswith(f"No roster is saved for {STORE} with its current team. 1 roster(s)")
        for i in at.info
    )
    assert any("saved for a different team" in w.value for w in at.warning)
    assert any(
        "Anna Smith (employee A01): employee id A01 now belongs to Siobhan O'Brien" in w.value
        for w in at.warning
    )
    assert at.selectbox(key="export_namesake").value == theirs.id
    assert "OTHER TEAM" in at.selectbox(key="export_namesake").format_func(theirs.id)
    assert len(at.button) == 0  # nothing to open, publish or delete
    name = f"Riverside-Market_2026-11-23_v{theirs.id}_other-team"
    assert set(downloads) == {f"roster_{name}.csv", f"totals_{name}.csv", f"roster_{name}.xlsx"}
    assert downloads[f"roster_{name}.csv"] == to_csv_bytes(theirs.roster)
    assert downloads[f"totals_{name}.csv"] == to_csv_bytes(theirs.hours)
    assert _snapshot(repo, OTHER) == before  # nothing saved, changed or deleted
    assert _snapshot(repo) == []  # nor opened or saved onto the current team
    repo.close()


def test_the_other_teams_rosters_come_below_the_stores_own(downloads: dict[str, bytes]) -> None:
    repo = Repository()
    mine = _save(repo, "generated", "Siobhan O'Brien", emp="A01")
    theirs = _save(repo, "generated", "Ben Jones", store=OTHER, emp="A02")
    repo.close()
    at = AppTest.from_string(PAGE, default_timeout=60).run()
    assert not at.exception
    assert at.selectbox[1].value == mine.id  # the store's own version to export
    assert [s.value for s in at.selectbox] == [WEEK, mine.id, theirs.id]
    assert len(at.dataframe[0].value) == 1  # its own versions: only its own roster
    assert any(
        "Ben Jones (employee A02): employee id A02 now belongs to James Whitaker" in w.value
        for w in at.warning
    )
    assert f"roster_Riverside-Market_2026-11-23_v{mine.id}_not-published.csv" in downloads
    other = f"roster_Riverside-Market_2026-11-23_v{theirs.id}_other-team.csv"
    assert downloads[other] == to_csv_bytes(theirs.roster)
