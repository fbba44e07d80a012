"""The saved-work database's schema: its ordered migrations (``PRAGMA user_version`` counts
those applied) and migration 5, which gives every row saved before it the store identity it
was made for (:class:`~staffing.identity.StoreIdentity`)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from collections.abc import Callable

from staffing.identity import shared_people

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "statements"]

MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
    """
    CREATE TABLE rosters (
        id INTEGER PRIMARY KEY,
        store TEXT NOT NULL,
        week TEXT NOT NULL,
        label TEXT NOT NULL,
        status TEXT NOT NULL,
        created TEXT NOT NULL,
        roster_csv TEXT NOT NULL,
        hours_csv TEXT NOT NULL,
        kpis_json TEXT NOT NULL
    );
    CREATE TABLE publications (
        id INTEGER PRIMARY KEY,
        roster_id INTEGER NOT NULL REFERENCES rosters(id),
        store TEXT NOT NULL,
        week TEXT NOT NULL,
        version INTEGER NOT NULL,
        published TEXT NOT NULL,
        UNIQUE (store, week, version)
    );
    CREATE TRIGGER publications_immutable_update BEFORE UPDATE ON publications
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    CREATE TRIGGER publications_immutable_delete BEFORE DELETE ON publications
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    CREATE TRIGGER published_rosters_frozen BEFORE UPDATE ON rosters
    WHEN EXISTS (SELECT 1 FROM publications WHERE roster_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    """,
    """
    CREATE TABLE scenarios (
        id INTEGER PRIMARY KEY,
        store TEXT NOT NULL,
        week TEXT NOT NULL,
        name TEXT NOT NULL,
        created TEXT NOT NULL,
        definition_json TEXT NOT NULL,
        results_json TEXT NOT NULL,
        UNIQUE (store, week, name)
    );
    """,
    # A plain sqlite3 client (foreign keys off) could delete a published roster, or replace it
    # with INSERT OR REPLACE / UPDATE OR REPLACE (which deletes without firing delete triggers).
    """
    CREATE TRIGGER published_rosters_undeletable BEFORE DELETE ON rosters
    WHEN EXISTS (SELECT 1 FROM publications WHERE roster_id = OLD.id)
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    CREATE TRIGGER published_rosters_not_replaced_by_insert BEFORE INSERT ON rosters
    WHEN EXISTS (SELECT 1 FROM publications WHERE roster_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    CREATE TRIGGER published_rosters_not_replaced_by_update BEFORE UPDATE ON rosters
    WHEN EXISTS (SELECT 1 FROM publications WHERE roster_id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    CREATE TRIGGER publications_not_replaced BEFORE INSERT ON publications
    WHEN EXISTS (SELECT 1 FROM publications WHERE id = NEW.id
                 OR (store = NEW.store AND week = NEW.week AND version = NEW.version))
    BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
    """,
    # The manager's decisions behind a roster (locked shifts, days off), so that a roster opened
    # again after a restart keeps them through its next re-solves.
    """
    ALTER TABLE rosters ADD COLUMN decisions_json TEXT NOT NULL DEFAULT '{}';
    """,
    # Saved work belongs to a store identity, not to a store name (see _identify_stores).
    lambda db: _identify_stores(db),
)
SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> list[str]:
    """The SQL statements of a migration script, one by one (triggers hold inner ``;``)."""
    statements: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip().strip(";").strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip().strip(";").strip():
        raise ValueError(f"incomplete SQL statement in a migration: {pending!r}")
    return statements


# Migration 5: tables and triggers rebuilt around the store identities. The triggers that
# guard published rosters are dropped while the tables are rebuilt and made again after.
_GUARDS = (
    "publications_immutable_update",
    "publications_immutable_delete",
    "publications_not_replaced",
    "published_rosters_frozen",
    "published_rosters_undeletable",
    "published_rosters_not_replaced_by_insert",
    "published_rosters_not_replaced_by_update",
)
_IDENTITY_TABLES = """
CREATE TABLE stores (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    team_json TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX stores_by_name ON stores (name);
ALTER TABLE rosters ADD COLUMN store_id INTEGER REFERENCES stores(id);
CREATE INDEX rosters_by_store ON rosters (store_id);
CREATE INDEX rosters_by_name ON rosters (store);
ALTER TABLE publications RENAME TO publications_v4;
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    roster_id INTEGER NOT NULL REFERENCES rosters(id),
    store TEXT NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    week TEXT NOT NULL,
    version INTEGER NOT NULL,
    published TEXT NOT NULL,
    UNIQUE (store_id, week, version)
);
ALTER TABLE scenarios RENAME TO scenarios_v4;
CREATE TABLE scenarios (
    id INTEGER PRIMARY KEY,
    store TEXT NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    week TEXT NOT NULL,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    definition_json TEXT NOT NULL,
    results_json TEXT NOT NULL,
    UNIQUE (store_id, week, name)
);
"""
_IDENTITY_GUARDS = """
DROP TABLE publications_v4;
DROP TABLE scenarios_v4;
CREATE TRIGGER publications_immutable_update BEFORE UPDATE ON publications
BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
CREATE TRIGGER publications_immutable_delete BEFORE DELETE ON publications
BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
CREATE TRIGGER publications_not_replaced BEFORE INSERT ON publications
WHEN EXISTS (SELECT 1 FROM publications WHERE id = NEW.id
             OR (store_id = NEW.store_id AND week = NEW.week AND version = NEW.version))
BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
CREATE TRIGGER published_rosters_frozen BEFORE UPDATE ON rosters
WHEN EXISTS (SELECT 1 FROM publications WHERE roster_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
CREATE TRIGGER published_rosters_undeletable BEFORE DELETE ON rosters
WHEN EXISTS (SELECT 1 FROM publications WHERE roster_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
CREATE TRIGGER published_rosters_not_replaced_by_insert BEFORE INSERT ON rosters
WHEN EXISTS (SELECT 1 FROM publications WHERE roster_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
CREATE TRIGGER published_rosters_not_replaced_by_update BEFORE UPDATE ON rosters
WHEN EXISTS (SELECT 1 FROM publications WHERE roster_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'published rosters are immutable'); END;
"""
# A publication whose roster a plain client deleted (possible before migration 3) cannot go
# into the new table (its roster_id must name a roster): it is kept here instead.
_ORPHANS = """
CREATE TABLE IF NOT EXISTS publications_without_roster (
    id INTEGER PRIMARY KEY,
    roster_id INTEGER NOT NULL,
    store TEXT NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores(id),
    week TEXT NOT NULL,
    version INTEGER NOT NULL,
    published TEXT NOT NULL
);
"""


def _identify_stores(db: sqlite3.Connection) -> None:
    """Migration 5: every saved roster, publication and scenario gets the store it was made for.

    Rows saved before it carry only the store's name. Each roster also carries its team: the
    ids and names in its rows and hours (every employee of the store, for rosters the app
    saved). Rosters of one name are grouped the way :class:`StoreIdentity` tells stores apart
    (no id naming two people, at least half of the larger team shared), each roster compared
    with the team of its group's last roster, as a save compares with the team recorded; each
    group becomes a known store with that team, and the store as loaded later finds its group
    by the same rule, so a store reaches the work it saved and not another team's.
    A publication goes with its roster. A scenario, which names nobody, goes with the group of
    the last roster of its name and week saved before it (creation time, then row id), else of
    the earliest one saved after it; a week without rosters is looked up the same way among
    all rosters of the name, as is a publication whose roster is gone (by its publication
    time); a name with neither gets a group of its own. Nothing is dropped: every row is
    copied, ids kept, in the migration's one transaction.
    """
    for trigger in _GUARDS:
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for statement in statements(_IDENTITY_TABLES):
        db.execute(statement)
    groups: list[tuple[str, dict[str, str]]] = []  # (name, team), index = group
    roster_group: dict[int, int] = {}
    # (name, week or None) -> [(created, roster id, group)], in the order saved
    saved: dict[tuple[str, str | None], list[tuple[str, int, int]]] = {}
    for rid, name, week, created, roster_csv, hours_csv in db.execute(
        "SELECT id, store, week, created, roster_csv, hours_csv FROM rosters ORDER BY id"
    ).fetchall():
        team = _csv_team(hours_csv, roster_csv)
        fits = [
            (shared, -g)
            for g, (known, members) in enumerate(groups)
            if known == name and (shared := shared_people(members, team)) is not None
        ]
        if fits:
            group = -max(fits)[1]
            members = groups[group][1]  # now the team as this roster saw it (as _claim does)
            groups[group] = (name, {e: w or members.get(e, "") for e, w in team.items()})
        else:
            group = len(groups)
            groups.append((name, dict(team)))
        roster_group[rid] = group
        for key in ((name, week), (name, None)):
            saved.setdefault(key, []).append((created, rid, group))

    def group_of(name: str, week: str | None, when: str) -> int:
        """The group of the last roster of ``name`` (and ``week``) saved at or before
        ``when``, else of the earliest saved after it; a new group when there is none."""
        found = saved.get((name, week)) or saved.get((name, None))
        if not found:
            saved[(name, None)] = [(when, 0, len(groups))]
            groups.append((name, {}))
            return len(groups) - 1
        before = [r for r in found if r[0] <= when]
        return max(before)[2] if before else min(found)[2]

    # (id, roster_id, store, week, version, published, its roster's store or None if gone)
    publications = [
        (row, roster_group[row[1]] if row[6] == row[2] else group_of(row[2], None, row[5]))
        for row in db.execute(
            "SELECT p.id, p.roster_id, p.store, p.week, p.version, p.published, r.store "
            "FROM publications_v4 p LEFT JOIN rosters r ON r.id = p.roster_id ORDER BY p.id"
        ).fetchall()
    ]
    scenarios = [
        (row, group_of(row[1], row[2], row[4]))
        for row in db.execute(
            "SELECT id, store, week, name, created, definition_json, results_json "
            "FROM scenarios_v4 ORDER BY id"
        ).fetchall()
    ]
    now = dt.datetime.now().replace(microsecond=0).isoformat()
    ids = [
        db.execute(
            "INSERT INTO stores (name, fingerprint, team_json, updated) VALUES (?, '', ?, ?)",
            (name, json.dumps(team), now),
        ).lastrowid
        for name, team in groups
    ]
    db.executemany(
        "UPDATE rosters SET store_id = ? WHERE id = ?",
        [(ids[group], rid) for rid, group in roster_group.items()],
    )
    for row, group in publications:
        table = "publications" if row[6] is not None else "publications_without_roster"
        if row[6] is None:
            db.execute(_ORPHANS)
        db.execute(
            f"INSERT INTO {table} (id, roster_id, store, store_id, week, version, published) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (row[0], row[1], row[2], ids[group], row[3], row[4], row[5]),
        )
    db.executemany(
        "INSERT INTO scenarios (id, store, store_id, week, name, created, definition_json, "
        "results_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(row[0], row[1], ids[group], *row[2:]) for row, group in scenarios],
    )
    for statement in statements(_IDENTITY_GUARDS):
        db.execute(statement)


def _csv_team(*texts: str) -> dict[str, str]:
    """Employee id -> name in saved CSV text (the first name given for an id wins)."""
    team: dict[str, str] = {}
    for text in texts:
        for row in csv.DictReader(io.StringIO(text)):
            emp = row.get("employee_id")
            if emp is not None and (emp not in team or not team[emp]):
                team[emp] = row.get("name") or ""
    return team
