"""Saved work belongs to the store it was made for, not to whichever store has the same name.

The reviewer's case: a store folder also called "Riverside Market", whose employee ids A01 and
S03 name different people (Anna Smith, Ben Jones), showed the sample store's saved roster, and
opening it gave Anna's shifts and locks to Siobhan O'Brien.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from staffing.loader import load_store
from staffing.persistence import MIGRATIONS, SCHEMA_VERSION, Repository, StoreIdentity

WEEK = dt.date(2026, 11, 23)
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "store"
TEAM = {"A01": "Siobhan O'Brien", "S01": "Margaret Hughes", "S03": "Priya Sharma",
        "C01": "Sarah Jenkins"}  # fmt: skip
SAMPLE_STORE = StoreIdentity(name="Riverside Market", team=tuple(TEAM.items()))
# The reviewer's copy: the same ids, two of them other people.
COPY = StoreIdentity(
    name="Riverside Market",
    team=tuple({**TEAM, "A01": "Anna Smith", "S03": "Ben Jones"}.items()),
)


def _rows(team: dict[str, str], *ids: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A roster with one shift for each of ``ids`` and the hours of all of ``team``."""
    day = WEEK.isoformat()
    roster = pd.DataFrame(
        {"employee_id": list(ids), "name": [team[i] for i in ids], "date": day,
         "start": f"{day}T09:00", "end": f"{day}T15:00", "role": "cashier"}
    )  # fmt: skip
    hours = pd.DataFrame({"employee_id": list(team), "name": list(team.values())})
    return roster, hours


def _save(repo: Repository, store: StoreIdentity, label: str, *ids: str, **kw: object) -> int:
    roster, hours = _rows(dict(store.team), *ids)
    return repo.save_roster(
        store=store, week=WEEK, label=label, status="optimal", roster=roster, hours=hours,
        kpis={}, **kw,  # type: ignore[arg-type]
    ).id  # fmt: skip


def test_a_namesake_store_does_not_get_the_other_teams_rosters(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "db.sqlite3")
    mine = _save(repo, COPY, "Anna opens", "A01", "S03",
                 decisions={"days_off": [["A01", WEEK.isoformat()]]})  # fmt: skip
    assert [r.id for r in repo.rosters(COPY)] == [mine]
    assert repo.rosters(SAMPLE_STORE) == ()  # was: the copy's roster, offered to "Open it"
    (other,) = repo.namesake_rosters(SAMPLE_STORE)  # shown read-only, with why
    assert other.id == mine
    assert other.team_changes(SAMPLE_STORE) == (
        "Anna Smith (employee A01): employee id A01 now belongs to Siobhan O'Brien in "
        "Riverside Market.",
        "Ben Jones (employee S03): employee id S03 now belongs to Priya Sharma in "
        "Riverside Market.",
    )
    assert other.team_changes(COPY) == ()
    assert repo.namesake_rosters(COPY) == ()
    theirs = _save(repo, SAMPLE_STORE, "Siobhan opens", "A01")
    assert [r.id for r in repo.rosters(SAMPLE_STORE)] == [theirs]
    assert [r.id for r in repo.rosters(COPY)] == [mine]
    assert [r.id for r in repo.namesake_rosters(COPY)] == [theirs]


def test_publications_and_scenarios_belong_to_their_store(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "db.sqlite3")
    first = repo.publish(_save(repo, COPY, "copy", "A01"))
    other = repo.publish(_save(repo, SAMPLE_STORE, "sample", "A01"))
    assert (first.version, other.version) == (1, 1)  # each store's own first version
    assert repo.publications(COPY) == (first,)
    assert repo.publications(SAMPLE_STORE) == (other,)
    for store, cost in ((COPY, 100.0), (SAMPLE_STORE, 200.0)):
        repo.save_scenario(store=store, week=WEEK, name="+10% traffic", definition={},
                           results={"wage cost": cost})  # fmt: skip
    assert [s.results for s in repo.scenarios(COPY, WEEK)] == [{"wage cost": 100.0}]
    assert [s.results for s in repo.scenarios(SAMPLE_STORE, WEEK)] == [{"wage cost": 200.0}]
    repo.delete_scenario(SAMPLE_STORE, WEEK, "+10% traffic")
    assert repo.scenarios(SAMPLE_STORE, WEEK) == ()
    assert [s.results for s in repo.scenarios(COPY, WEEK)] == [{"wage cost": 100.0}]


def test_a_store_keeps_its_work_as_people_join_and_leave(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "db.sqlite3")
    first = _save(repo, SAMPLE_STORE, "before", "A01", "C01")
    # C01 left, two joined, and a name is now written with other spacing and case
    now = {e: n for e, n in TEAM.items() if e != "C01"} | {"S01": "margaret  HUGHES"}
    later = StoreIdentity(
        name="Riverside Market", team=(*now.items(), ("N01", "Noor Khan"), ("N02", "Olu Ade"))
    )
    second = _save(repo, later, "after", "A01")
    assert [r.id for r in repo.rosters(later)] == [second, first]
    assert [r.id for r in repo.rosters(SAMPLE_STORE)] == [second, first]
    (old,) = (r for r in repo.rosters(later) if r.id == first)
    assert old.team_changes(later) == (
        "Sarah Jenkins (employee C01) is no longer an employee of Riverside Market.",
    )
    assert repo.publish(first).version == 1
    assert repo.publish(second).version == 2  # one store's week, numbered on


def test_a_store_with_other_ids_and_the_same_name_is_another_store(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "db.sqlite3")
    _save(repo, SAMPLE_STORE, "sample", "A01")
    elsewhere = StoreIdentity(name="Riverside Market", team=(("X1", "Ann"), ("X2", "Bo")))
    assert repo.rosters(elsewhere) == ()
    assert len(repo.namesake_rosters(elsewhere)) == 1


def test_the_identity_of_a_store_folder_survives_moving_it(tmp_path: Path) -> None:
    moved = shutil.copytree(SAMPLE, tmp_path / "somewhere" / "else")
    here, there = StoreIdentity.of(load_store(SAMPLE)), StoreIdentity.of(load_store(moved))
    assert here == there
    assert here.fingerprint == there.fingerprint
    assert dict(here.team)["A01"] == "Siobhan O'Brien"
    renamed = StoreIdentity(name=here.name, team=(("A01", "Anna Smith"), *here.team[1:]))
    assert renamed.fingerprint != here.fingerprint


def test_saved_work_cannot_be_kept_by_the_store_name_alone(tmp_path: Path) -> None:
    repo = Repository(tmp_path / "db.sqlite3")
    with pytest.raises(TypeError, match=r"StoreIdentity\.of\(data\)"):
        repo.rosters("Riverside Market")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="listed twice"):
        StoreIdentity(name="x", team=(("A", "a"), ("A", "b")))


def _legacy(path: Path) -> sqlite3.Connection:
    """A database at schema version 4, before stores were told apart."""
    old = sqlite3.connect(path, isolation_level=None)
    script = "; ".join(m for m in MIGRATIONS[:4] if isinstance(m, str))
    old.executescript(f"BEGIN; {script}; PRAGMA user_version = 4; COMMIT;")
    return old


def _insert(
    old: sqlite3.Connection, rid: int, team: dict[str, str], *ids: str,
    created: str = "2026-11-20T10:00:00", week: dt.date = WEEK,
) -> None:  # fmt: skip
    roster, hours = _rows(team, *ids)
    old.execute(
        "INSERT INTO rosters (id, store, week, label, status, created, roster_csv, hours_csv, "
        "kpis_json, decisions_json) VALUES (?, 'Riverside Market', ?, ?, 'optimal', "
        "?, ?, ?, '{}', ?)",
        (rid, week.isoformat(), f"roster {rid}", created, roster.to_csv(index=False),
         hours.to_csv(index=False), '{"days_off": [["A01", "2026-11-24"]]}'),
    )  # fmt: skip


def _scenario(old: sqlite3.Connection, sid: int, name: str, created: str, week: dt.date) -> None:
    old.execute(
        "INSERT INTO scenarios (id, store, week, name, created, definition_json, results_json) "
        "VALUES (?, 'Riverside Market', ?, ?, ?, '{}', '{}')",
        (sid, week.isoformat(), name, created),
    )


def test_a_version_4_database_gives_each_store_its_own_saved_work(tmp_path: Path) -> None:
    path = tmp_path / "v4.sqlite3"
    old = _legacy(path)
    copy_team = dict(COPY.team)
    _insert(old, 1, copy_team, "A01", "S03")  # the copy's, published
    _insert(old, 2, TEAM, "A01")  # the sample store's, published
    _insert(old, 3, copy_team, "S01")  # the copy's draft
    for pid, rid, version in ((10, 1, 1), (11, 2, 2)):
        old.execute(
            "INSERT INTO publications (id, roster_id, store, week, version, published) "
            "VALUES (?, ?, 'Riverside Market', ?, ?, '2026-11-20T11:00:00')",
            (pid, rid, WEEK.isoformat(), version),
        )
    old.execute(  # a v1/v2 plain client could delete a published roster: its publication stays
        "INSERT INTO publications (id, roster_id, store, week, version, published) "
        "VALUES (12, 99, 'Gone Store', ?, 1, '2026-11-20T11:00:00')",
        (WEEK.isoformat(),),
    )
    old.execute(
        "INSERT INTO scenarios (id, store, week, name, created, definition_json, results_json) "
        "VALUES (5, 'Riverside Market', ?, '+10% traffic', '2026-11-20T12:00:00', '{}', '{}')",
        (WEEK.isoformat(),),
    )
    old.close()
    repo = Repository(path)
    raw = sqlite3.connect(path, isolation_level=None)  # a plain client, no transaction held
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [r.id for r in repo.rosters(COPY)] == [3, 1]
    assert [r.id for r in repo.rosters(SAMPLE_STORE)] == [2]
    assert [r.id for r in repo.namesake_rosters(SAMPLE_STORE)] == [3, 1]
    assert [(p.id, p.version) for p in repo.publications(COPY)] == [(10, 1)]
    assert [(p.id, p.version) for p in repo.publications(SAMPLE_STORE)] == [(11, 2)]
    # the scenario goes with the newest roster of its week: the copy's draft
    assert [s.id for s in repo.scenarios(COPY, WEEK)] == [5]
    assert repo.scenarios(SAMPLE_STORE, WEEK) == ()
    assert repo.roster(1).decisions == {"days_off": [["A01", "2026-11-24"]]}
    assert raw.execute("SELECT roster_id FROM publications_without_roster").fetchall() == [(99,)]
    # still immutable, and the next publication of each store numbers on from its own
    for sql in ("DELETE FROM rosters WHERE id = 1", "UPDATE publications SET version = 9",
                "DELETE FROM publications"):  # fmt: skip
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            raw.execute(sql)
    assert repo.publish(3).version == 2
    assert repo.publish(2).version == 3
    # and the store finds the work it saved before the upgrade when it saves again
    new = _save(repo, SAMPLE_STORE, "after the upgrade", "A01")
    assert [r.id for r in repo.rosters(SAMPLE_STORE)] == [new, 2]


def test_migrated_scenarios_go_with_the_store_that_saved_a_roster_just_before(
    tmp_path: Path,
) -> None:
    # Two stores called "Riverside Market" take turns: each scenario was run after its own
    # store saved a roster of the week, and before the other store saved its next one.
    path = tmp_path / "v4.sqlite3"
    old = _legacy(path)
    copy_team, later = dict(COPY.team), WEEK + dt.timedelta(days=7)
    _insert(old, 1, TEAM, "A01", created="2026-11-20T09:00:00")
    _scenario(old, 1, "sample early", "2026-11-20T09:30:00", WEEK)
    _insert(old, 2, copy_team, "A01", created="2026-11-20T10:00:00")
    _scenario(old, 2, "copy", "2026-11-20T10:30:00", WEEK)
    _insert(old, 3, TEAM, "S01", created="2026-11-20T11:00:00")
    _scenario(old, 3, "sample late", "2026-11-20T11:30:00", WEEK)
    _insert(old, 4, copy_team, "S01", created="2026-11-20T12:00:00")  # the newest overall
    _scenario(old, 4, "before any roster", "2026-11-20T08:00:00", later)  # run first
    _insert(old, 5, TEAM, "A01", created="2026-11-20T13:00:00", week=later)
    _insert(old, 6, copy_team, "A01", created="2026-11-20T14:00:00", week=later)
    old.close()
    repo = Repository(path)
    assert [r.id for r in repo.rosters(SAMPLE_STORE)] == [5, 3, 1]
    assert [r.id for r in repo.rosters(COPY)] == [6, 4, 2]
    assert [s.name for s in repo.scenarios(SAMPLE_STORE, WEEK)] == ["sample early", "sample late"]
    assert [s.name for s in repo.scenarios(COPY, WEEK)] == ["copy"]
    # no roster of its week before it: the earliest one after it
    assert [s.name for s in repo.scenarios(SAMPLE_STORE, later)] == ["before any roster"]
    assert repo.scenarios(COPY, later) == ()


def test_a_partial_copy_of_a_store_is_another_store(tmp_path: Path) -> None:
    big = {f"E{i:02}": f"Person {i}" for i in range(35)}
    store = StoreIdentity(name="Riverside Market", team=tuple(big.items()))
    part = StoreIdentity(name="Riverside Market", team=tuple(list(big.items())[:2]))
    repo = Repository(tmp_path / "db.sqlite3")
    mine = _save(repo, store, "full team", "E00", "E01")
    assert repo.publish(mine).version == 1
    copied = _save(repo, part, "2-person copy", "E00", "E01")
    assert repo.publish(copied).version == 1  # its own first version, not the store's second
    assert [r.id for r in repo.rosters(store)] == [mine]
    assert [p.roster_id for p in repo.publications(store)] == [mine]
    assert [r.id for r in repo.rosters(part)] == [copied]
    (team_json,) = repo._db.execute(
        "SELECT team_json FROM stores WHERE id = (SELECT store_id FROM rosters WHERE id = ?)",
        (mine,),
    ).fetchone()
    assert len(json.loads(team_json)) == 35  # the copy did not overwrite the store's team
    # half of the larger team still shared (people left and joined): the same store
    moved_on = {**dict(list(big.items())[:18]), **{f"N{i:02}": f"New {i}" for i in range(17)}}
    later = StoreIdentity(name="Riverside Market", team=tuple(moved_on.items()))
    assert [r.id for r in repo.rosters(later)] == [mine]
    repo.close()
