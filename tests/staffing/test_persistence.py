"""Saved rosters and publications survive a restart, are all-or-nothing, and published ones are
immutable; a database that cannot be used raises one StorageError naming the file."""

from __future__ import annotations

import datetime as dt
import pickle
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from staffing.errors import StorageError
from staffing.persistence import MIGRATIONS, SCHEMA_VERSION, Repository, StoreIdentity

WEEK = dt.date(2026, 11, 23)
ROSTER = pd.DataFrame(
    {"employee_id": ["E1", "E2"], "name": ["Ann", "=Bob"], "paid_hours": [7.5, 4.0]}
)
HOURS = pd.DataFrame({"employee_id": ["E1", "E2"], "paid_hours": [7.5, 4.0]})
STORE = StoreIdentity(name="Mini Mart", team=(("E1", "Ann"), ("E2", "=Bob")))


def save(repo: Repository, label: str = "first") -> int:
    saved = repo.save_roster(
        store=STORE, week=WEEK, label=label, status="optimal", roster=ROSTER, hours=HOURS,
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
    (saved,) = again.rosters(STORE)
    assert saved.id == rid
    assert saved.week == WEEK
    pd.testing.assert_frame_equal(saved.roster, ROSTER)
    assert saved.kpis == {"wage_cost": 123.5}
    assert again.publications(STORE) == (publication,)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_publishing_again_makes_a_new_version(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "db.sqlite3")
    first = repo.publish(save(repo, "first"))
    second = repo.publish(save(repo, "after Anna's sick day"))
    assert (first.version, second.version) == (1, 2)
    assert [p.version for p in repo.publications(STORE)] == [2, 1]


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
            store=STORE, week=WEEK, label="bad", status="optimal", roster=ROSTER,
            hours=None, kpis={},  # type: ignore[arg-type]
        )  # fmt: skip
    assert repo.rosters(STORE) == ()
    rid = save(repo)  # the connection is usable again: no transaction left open
    assert [r.id for r in repo.rosters(STORE)] == [rid]
    with pytest.raises(KeyError):
        repo.publish(999)
    assert repo.publications(STORE) == ()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Repository(path).close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StorageError, match="newer version of this program") as info:
        Repository(path)
    assert info.value.path == str(path)
    assert "upgrade the program" in str(info.value)


def test_scenarios_survive_reopening_and_rerunning_replaces_them(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    repo = Repository(path)
    for name, definition, cost in [
        ("+10% traffic", {"traffic_factor": 1.1}, 100.0),
        ("90/20", {"service_level": 0.9}, 120.0),
        ("+10% traffic", {"traffic_factor": 1.1}, 101.0),
    ]:
        repo.save_scenario(
            store=STORE, week=WEEK, name=name, definition=definition,
            results={"wage cost": cost},
        )  # fmt: skip
    repo.close()
    again = Repository(path)
    saved = again.scenarios(STORE, WEEK)
    assert [s.name for s in saved] == ["+10% traffic", "90/20"]
    assert saved[0].results == {"wage cost": 101.0}
    assert again.scenarios(STORE, WEEK + dt.timedelta(7)) == ()
    again.delete_scenario(STORE, WEEK, "90/20")
    assert [s.name for s in again.scenarios(STORE, WEEK)] == ["+10% traffic"]


def test_a_version_1_database_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    old.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
    old.close()
    repo = Repository(path)
    rid = save(repo)
    repo.save_scenario(store=STORE, week=WEEK, name="x", definition={}, results={})
    assert repo.roster(rid).label == "first"
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_ids_with_leading_zeros_come_back_as_written(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "db.sqlite3")
    roster = ROSTER.assign(employee_id=["007", "0012"], name=["001", "Bob"])
    saved = repo.save_roster(
        store=STORE, week=WEEK, label="ids", status="optimal", roster=roster,
        hours=HOURS.assign(employee_id=["007", "0012"]), kpis={},
    )  # fmt: skip
    again = repo.roster(saved.id)
    assert again.roster["employee_id"].tolist() == ["007", "0012"]
    assert again.roster["name"].tolist() == ["001", "Bob"]
    assert again.hours["employee_id"].tolist() == ["007", "0012"]


def _refused(raw: sqlite3.Connection, sql: str) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        raw.execute(sql)


def test_a_plain_client_cannot_delete_or_replace_a_published_roster(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    repo = Repository(path)
    rid = save(repo)
    draft = save(repo, "draft")
    publication = repo.publish(rid)
    raw = sqlite3.connect(path, isolation_level=None)  # foreign keys off, as sqlite3 starts
    _refused(raw, f"DELETE FROM rosters WHERE id = {rid}")
    _refused(raw, "DELETE FROM rosters")
    _refused(
        raw,
        "INSERT OR REPLACE INTO rosters (id, store, week, label, status, created, roster_csv, "
        f"hours_csv, kpis_json) VALUES ({rid}, 'x', 'x', 'x', 'x', 'x', 'x', 'x', '{{}}')",
    )
    _refused(raw, f"UPDATE OR REPLACE rosters SET id = {rid} WHERE id = {draft}")
    _refused(
        raw,
        "INSERT OR REPLACE INTO publications (roster_id, store, store_id, week, version, "
        f"published) SELECT {draft}, 'Mini Mart', store_id, '{WEEK}', 1, 'x' FROM rosters "
        f"WHERE id = {rid}",
    )
    raw.execute(f"DELETE FROM rosters WHERE id = {draft}")  # a draft can still go
    raw.close()
    assert repo.publications(STORE) == (publication,)
    assert repo.roster(rid).label == "first"
    assert [r.id for r in repo.rosters(STORE)] == [rid]


def test_a_version_2_database_keeps_its_data_and_gains_the_delete_guard(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    old.executescript(f"BEGIN; {MIGRATIONS[0]}; {MIGRATIONS[1]}; PRAGMA user_version = 2; COMMIT;")
    old.execute(
        "INSERT INTO rosters (id, store, week, label, status, created, roster_csv, hours_csv, "
        "kpis_json) VALUES (7, 'Mini Mart', ?, 'old', 'optimal', '2026-11-20T10:00:00', ?, ?, "
        "'{\"wage_cost\": 1.5}')",
        (WEEK.isoformat(), ROSTER.to_csv(index=False), HOURS.to_csv(index=False)),
    )
    old.execute(
        "INSERT INTO publications (roster_id, store, week, version, published) "
        "VALUES (7, 'Mini Mart', ?, 1, '2026-11-20T11:00:00')",
        (WEEK.isoformat(),),
    )
    old.close()
    repo = Repository(path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    saved = repo.roster(7)
    assert saved.label == "old"
    assert saved.kpis == {"wage_cost": 1.5}
    assert saved.decisions == {}  # saved before decisions were kept
    pd.testing.assert_frame_equal(saved.roster, ROSTER)
    assert [(p.roster_id, p.version) for p in repo.publications(STORE)] == [(7, 1)]
    _refused(sqlite3.connect(path), "DELETE FROM rosters WHERE id = 7")


def _open_at_once(path: Path, programs: int) -> list[Exception]:
    """Open a new database from ``programs`` threads released together; their failures."""
    start = threading.Barrier(programs)
    failures: list[Exception] = []

    def open_it() -> None:
        start.wait()
        try:
            Repository(path, lock_timeout_seconds=30).close()
        except Exception as exc:  # collected and reported by the caller
            failures.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(programs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def test_several_programs_opening_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    # Without the version re-read inside BEGIN IMMEDIATE, some of them failed with
    # "table rosters already exists".
    for attempt in range(4):
        path = tmp_path / f"new{attempt}.sqlite3"
        assert _open_at_once(path, 8) == []
        raw = sqlite3.connect(path)
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        raw.close()


def _garbage(path: Path) -> Path:
    path.write_bytes(b"this is not a database, it is a text file\n" * 200)
    return path


def _truncated(path: Path) -> Path:
    repo = Repository(path)
    for _ in range(40):
        save(repo)
    repo.close()
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 3])
    return path


def _open_and_read(path: Path) -> None:
    repo = Repository(path)
    try:
        repo.rosters(STORE)
    finally:
        repo.close()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_garbage, "is not a database this program can read"),
        (_truncated, "is damaged"),
    ],
)
def test_an_unusable_file_raises_a_storage_error_naming_it_and_is_left_alone(
    tmp_path: Path, make: Callable[[Path], Path], expected: str
) -> None:
    path = make(tmp_path / "db.sqlite3")
    before = path.read_bytes()
    with pytest.raises(StorageError) as info:
        _open_and_read(path)
    message = str(info.value)
    assert str(path) in message
    assert expected in message
    assert "move it aside or set STAFFING_DB to another file" in message
    assert not isinstance(info.value, sqlite3.Error)
    assert isinstance(info.value.__cause__, sqlite3.DatabaseError)
    assert path.read_bytes() == before  # never replaced or repaired behind the user's back
    again = pickle.loads(pickle.dumps(info.value))  # crosses process boundaries intact
    assert str(again) == message


def test_a_folder_or_an_unopenable_path_raises_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a folder, not a database file") as info:
        Repository(tmp_path)
    assert info.value.path == str(tmp_path)
    (tmp_path / "plain_file").write_text("x")
    with pytest.raises(StorageError, match="cannot be made") as info:
        Repository(tmp_path / "plain_file" / "db.sqlite3")
    assert "STAFFING_DB" in str(info.value)


def test_the_default_path_in_a_folder_names_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAFFING_DB", str(tmp_path))
    with pytest.raises(StorageError, match="set STAFFING_DB to a file path"):
        Repository()


def test_a_database_locked_by_another_program_says_so(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    repo = Repository(path, lock_timeout_seconds=0.1)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(StorageError, match="is locked: another program holds it") as info:
        save(repo)
    assert str(path) in str(info.value)
    holder.execute("ROLLBACK")
    holder.close()
    rid = save(repo)  # usable again once the other program lets go
    assert [r.id for r in repo.rosters(STORE)] == [rid]
