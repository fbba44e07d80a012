"""Saved rosters and publications survive a restart, are all-or-nothing, and published ones are
immutable."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from staffing.persistence import SCHEMA_VERSION, Repository

WEEK = dt.date(2026, 11, 23)
ROSTER = pd.DataFrame(
    {"employee_id": ["E1", "E2"], "name": ["Ann", "=Bob"], "paid_hours": [7.5, 4.0]}
)
HOURS = pd.DataFrame({"employee_id": ["E1", "E2"], "paid_hours": [7.5, 4.0]})


def save(repo: Repository, label: str = "first") -> int:
    saved = repo.save_roster(
        store="Mini Mart", week=WEEK, label=label, status="optimal", roster=ROSTER, hours=HOURS,
        kpis={"wage_cost": 123.5},
    )  # fmt: skip
    return saved.id


def test_saved_work_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    repo = Repository(path)
    rid = save(repo)
    publication = repo.publish(rid)
    repo.close()
    again = Repository(path)
    (saved,) = again.rosters("Mini Mart")
    assert saved.id == rid
    assert saved.week == WEEK
    pd.testing.assert_frame_equal(saved.roster, ROSTER)
    assert saved.kpis == {"wage_cost": 123.5}
    assert again.publications("Mini Mart") == (publication,)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_publishing_again_makes_a_new_version(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "db.sqlite3")
    first = repo.publish(save(repo, "first"))
    second = repo.publish(save(repo, "after Anna's sick day"))
    assert (first.version, second.version) == (1, 2)
    assert [p.version for p in repo.publications("Mini Mart")] == [2, 1]


def test_published_rosters_cannot_be_changed(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    repo = Repository(path)
    rid = save(repo)
    repo.publish(rid)
    raw = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        raw.execute("UPDATE rosters SET label = 'x' WHERE id = ?", (rid,))
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        raw.execute("DELETE FROM publications")


def test_a_failed_write_leaves_nothing_half_written(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "db.sqlite3")
    with pytest.raises(AttributeError):  # fails inside the transaction, after BEGIN
        repo.save_roster(
            store="Mini Mart", week=WEEK, label="bad", status="optimal", roster=ROSTER,
            hours=None, kpis={},  # type: ignore[arg-type]
        )  # fmt: skip
    assert repo.rosters("Mini Mart") == ()
    rid = save(repo)  # the connection is usable again: no transaction left open
    assert [r.id for r in repo.rosters("Mini Mart")] == [rid]
    with pytest.raises(KeyError):
        repo.publish(999)
    assert repo.publications("Mini Mart") == ()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Repository(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(RuntimeError, match="newer than this program"):
        Repository(path)


def test_scenarios_survive_reopening_and_rerunning_replaces_them(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    repo = Repository(path)
    for name, definition, cost in [
        ("+10% traffic", {"traffic_factor": 1.1}, 100.0),
        ("90/20", {"service_level": 0.9}, 120.0),
        ("+10% traffic", {"traffic_factor": 1.1}, 101.0),
    ]:
        repo.save_scenario(
            store="Mini Mart", week=WEEK, name=name, definition=definition,
            results={"wage cost": cost},
        )  # fmt: skip
    repo.close()
    again = Repository(path)
    saved = again.scenarios("Mini Mart", WEEK)
    assert [s.name for s in saved] == ["+10% traffic", "90/20"]
    assert saved[0].results == {"wage cost": 101.0}
    assert again.scenarios("Mini Mart", WEEK + dt.timedelta(7)) == ()
    again.delete_scenario("Mini Mart", WEEK, "90/20")
    assert [s.name for s in again.scenarios("Mini Mart", WEEK)] == ["+10% traffic"]


def test_a_version_1_database_is_upgraded_in_place(tmp_path: Path) -> None:
    from staffing.persistence import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    old.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
    old.close()
    repo = Repository(path)
    rid = save(repo)
    repo.save_scenario(store="Mini Mart", week=WEEK, name="x", definition={}, results={})
    assert repo.roster(rid).label == "first"
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 2


def test_ids_with_leading_zeros_come_back_as_written(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "db.sqlite3")
    roster = ROSTER.assign(employee_id=["007", "0012"], name=["001", "Bob"])
    saved = repo.save_roster(
        store="Mini Mart", week=WEEK, label="ids", status="optimal", roster=roster,
        hours=HOURS.assign(employee_id=["007", "0012"]), kpis={},
    )  # fmt: skip
    again = repo.roster(saved.id)
    assert again.roster["employee_id"].tolist() == ["007", "0012"]
    assert again.roster["name"].tolist() == ["001", "Bob"]
    assert again.hours["employee_id"].tolist() == ["007", "0012"]
