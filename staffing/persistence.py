"""Saved work: generated rosters, published weeks and what-if scenarios in embedded SQLite.

The database path comes from ``STAFFING_DB`` (default ``~/.staffing/staffing.sqlite3``). The
schema is versioned with ``PRAGMA user_version`` and upgraded by the ordered migrations below.
Every write is one transaction (``with connection:``), so a crash or a killed server leaves
either the whole record or nothing; published rosters are immutable (a trigger refuses any
update or delete, and one refuses deleting or replacing a published roster), and publishing a
week again creates a new version. Two programs opening a new database at once migrate it once:
the version is read again inside the migration's ``BEGIN IMMEDIATE`` transaction.

A database that cannot be opened, read or written (not a database, damaged, locked by another
program, a folder, unreadable) raises :class:`~staffing.errors.StorageError` naming the file,
what is wrong and what to do; the file itself is never replaced or deleted.

Saved work belongs to a store, told apart by :class:`StoreIdentity` (its name and its team),
not by its name alone: two stores called "Riverside Market" whose employee ids name different
people never see each other's rosters, publications or scenarios as their own.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from staffing.errors import StorageError

if TYPE_CHECKING:
    from staffing.model import StoreData

__all__ = [
    "LOCK_TIMEOUT_SECONDS",
    "SCHEMA_VERSION",
    "Publication",
    "Repository",
    "SavedRoster",
    "SavedScenario",
    "StoreIdentity",
    "default_path",
]

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
LOCK_TIMEOUT_SECONDS = 5.0
"""How long a call waits for another program's lock on the database before failing (seconds)."""


def default_path() -> Path:
    """``STAFFING_DB`` or ``~/.staffing/staffing.sqlite3``.

    Returns
    -------
    Path
        The environment variable's value as given (``~`` is not expanded), else the file in
        the user's home folder. Nothing is created.
    """
    return Path(os.environ.get("STAFFING_DB", Path.home() / ".staffing" / "staffing.sqlite3"))


# Columns read back as text: an employee id "007" must not come back as 7.
_TEXT = dict.fromkeys(("employee_id", "name", "contract", "roles", "role"), str)


@dataclass(frozen=True, kw_only=True, slots=True)
class StoreIdentity:
    """Which store saved work belongs to: the store's name and its team (employee id, name).

    Saved work refers to people by employee id: a roster opened on another team gives each
    shift, lock and day off to whoever holds that id there. So a store is recognised by its
    name *and* by who its ids name, compared with the team the database last saw for that
    store: it is the same store when none of the employee ids both teams share names a
    different person (names compared ignoring case and spacing) and at least half of the
    larger team is shared. Each save records the team as it is then, so the store keeps its
    saved work while people join and leave week by week; a partial copy (a few of its people
    under its name) is another store, and never overwrites the team recorded for it.

    Other keys were weighed and refused:

    * the folder's path: an upload is unpacked into a new temporary folder every time, and a
      folder that is moved, renamed, restored from a backup or copied to a new computer is
      still the same store;
    * a hash of the whole of ``store.toml`` or ``employees.csv``: targets, opening hours,
      contracts, hours and costs are corrected from week to week, and the store stays the
      same store;
    * an exact hash of the team: every hire or leaver would orphan the store's saved work.

    The price of a tolerant match is paid where it is safe: a store that gives an employee id
    to a new person, or renames someone, is a new store to the database; its earlier work is
    not lost but listed read-only (:meth:`Repository.namesake_rosters`) with the differences
    named (:meth:`SavedRoster.team_changes`). Two copies of a store with the same people are
    one store here, which is harmless: a roster opened in either gives each shift to the same
    person. A store that renames itself starts afresh, as it did when names were the key.

    Parameters
    ----------
    name : str
        The store's name (``store.toml``'s ``name``).
    team : iterable of (str, str)
        Each employee's id and name; kept sorted by id. Ids must be unique.

    Raises
    ------
    ValueError
        When an employee id appears twice in ``team``.
    """

    name: str
    team: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        team = tuple(sorted((str(emp), str(who)) for emp, who in self.team))
        ids = [emp for emp, _ in team]
        if len(set(ids)) != len(ids):
            twice = sorted({emp for emp in ids if ids.count(emp) > 1})
            raise ValueError(f"store {self.name!r}: employee id(s) listed twice: {twice}")
        object.__setattr__(self, "team", team)

    @classmethod
    def of(cls, data: StoreData) -> StoreIdentity:
        """The identity of a loaded store: its name and every employee's id and name.

        Parameters
        ----------
        data : StoreData
            The store as loaded.

        Returns
        -------
        StoreIdentity
            The key its saved work is kept and found under.
        """
        return cls(name=data.store.name, team=tuple((e.id, e.name) for e in data.employees))

    @property
    def fingerprint(self) -> str:
        """A hash (SHA-256, hexadecimal) of the name and the team, names as compared."""
        team = [[emp, _person(who)] for emp, who in self.team]
        return hashlib.sha256(json.dumps([self.name, team]).encode()).hexdigest()


def _person(name: str) -> str:
    """A name as compared between teams: case and spacing do not matter."""
    return " ".join(name.split()).casefold()


def _shared(known: Mapping[str, str], team: Mapping[str, str]) -> int | None:
    """How many people ``known`` and ``team`` share, or None when they are not one team.

    Not one team: an id both hold names two different people, or fewer than half of the
    larger team is shared (so a few people copied under the store's name are not the store).
    An empty name (not recorded) matches any name; an empty team (none recorded) matches any.
    """
    shared = 0
    for emp, who in known.items():
        if emp not in team:
            continue
        if who and team[emp] and _person(who) != _person(team[emp]):
            return None
        shared += 1
    if known and team and 2 * shared < max(len(known), len(team)):
        return None
    return shared


def _team_of(frames: Iterable[pd.DataFrame]) -> dict[str, str]:
    """Employee id -> name in saved rows (name empty when the rows have no name column)."""
    team: dict[str, str] = {}
    for frame in frames:
        if "employee_id" not in frame.columns:
            continue
        names = frame["name"] if "name" in frame.columns else [""] * len(frame)
        for emp, who in zip(frame["employee_id"], names, strict=True):
            emp, who = str(emp), "" if pd.isna(who) else str(who)
            if who or emp not in team:
                team[emp] = who
    return team


@dataclass(frozen=True, kw_only=True, slots=True)
class SavedRoster:
    """A generated (or edited) roster as saved, with its rows and KPIs."""

    id: int
    store: str
    week: dt.date
    label: str
    status: str
    created: dt.datetime
    roster: pd.DataFrame
    hours: pd.DataFrame
    kpis: dict[str, object]
    #: The decisions kept with it (JSON-shaped; ``WeekPlan.decisions``): empty when none, and
    #: for rosters saved before they were kept.
    decisions: dict[str, object]

    def team_changes(self, store: StoreIdentity) -> tuple[str, ...]:
        """Who this roster names that ``store`` no longer has under the same employee id.

        The people checked are those with a shift in it and those its decisions name (locked
        shifts, days off); their names are the ones saved with it (its rows and its hours).
        Opening a roster that names any of them would drop their shifts or give them, with
        their locks and days off, to whoever holds the id now.

        Parameters
        ----------
        store : StoreIdentity
            The store as it is now.

        Returns
        -------
        tuple of str
            One sentence per person, in the order they first appear; empty when everyone is
            still there under the same id and name.
        """
        now = dict(store.team)
        named = _team_of((self.hours, self.roster))
        used = [str(emp) for emp in self.roster.get("employee_id", ())]
        for item in _as_list(self.decisions.get("locked")):
            if isinstance(item, dict) and "employee_id" in item:
                used.append(str(item["employee_id"]))
        for item in _as_list(self.decisions.get("days_off")):
            if isinstance(item, list | tuple) and item:
                used.append(str(item[0]))
        changes: list[str] = []
        for emp in dict.fromkeys(used):
            was = named.get(emp, "")
            who = f"{was} (employee {emp})" if was else f"employee {emp}"
            if emp not in now:
                changes.append(f"{who} is no longer an employee of {store.name}.")
            elif was and _person(was) != _person(now[emp]):
                changes.append(
                    f"{who}: employee id {emp} now belongs to {now[emp]} in {store.name}."
                )
        return tuple(changes)


@dataclass(frozen=True, kw_only=True, slots=True)
class Publication:
    """One published version of a store's week."""

    id: int
    roster_id: int
    store: str
    week: dt.date
    version: int
    published: dt.datetime


@dataclass(frozen=True, kw_only=True, slots=True)
class SavedScenario:
    """A what-if scenario as run: its definition and its results (one comparison column)."""

    id: int
    store: str
    week: dt.date
    name: str
    created: dt.datetime
    definition: dict[str, object]
    results: dict[str, object]


class Repository:
    """Saved rosters, publications and scenarios of one database file.

    Parameters
    ----------
    path : str or Path, optional
        The database file; default :func:`default_path`. Created (with its folder) if missing.
    lock_timeout_seconds : float, optional
        How long each call waits for another program's lock before failing (seconds); the
        default is :data:`LOCK_TIMEOUT_SECONDS`.

    Raises
    ------
    StorageError
        From the constructor and every method, when the file cannot be opened, read or written
        (a folder, not a database, damaged, locked by another program, unreadable) or was
        written by a newer version of this program. The file is left as it is.
    """

    def __init__(
        self, path: str | Path | None = None, *, lock_timeout_seconds: float = LOCK_TIMEOUT_SECONDS
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._timeout = lock_timeout_seconds
        if self.path.is_dir():
            raise StorageError(
                self.path,
                "is a folder, not a database file",
                f"set STAFFING_DB to a file path, e.g. {self.path / 'staffing.sqlite3'}",
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                self.path,
                f"cannot be created: its folder {self.path.parent} cannot be made "
                f"({exc.strerror or exc})",
                "set STAFFING_DB to a file in a folder you can write to",
            ) from exc
        with self._guard():
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=self._timeout)
        try:
            with self._guard():
                self._use_wal()
                self._db.execute("PRAGMA foreign_keys=ON")
                self._migrate()
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        """Close the database connection.

        The repository cannot be used afterwards (a call then raises
        :class:`sqlite3.ProgrammingError`, not :class:`StorageError`).
        """
        self._db.close()

    def _use_wal(self) -> None:
        # Switching a new file to WAL needs it to itself for a moment; when another program
        # reads it then, SQLite answers "database is locked" at once instead of waiting.
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if _code(exc) != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                    raise
            time.sleep(0.01)

    def _migrate(self) -> None:
        if self._version() == SCHEMA_VERSION:
            return
        # Another program may be migrating the same new file right now: take the write lock,
        # then read the version again, so each migration runs exactly once.
        with self._transaction():
            version = self._version()
            for number in range(version, SCHEMA_VERSION):
                step = MIGRATIONS[number]
                if isinstance(step, str):
                    for statement in _statements(step):
                        self._db.execute(statement)
                else:
                    step(self._db)
                self._db.execute(f"PRAGMA user_version = {number + 1}")

    def _version(self) -> int:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StorageError(
                self.path,
                f"was written by a newer version of this program (schema version {version}; "
                f"this version reads up to {SCHEMA_VERSION})",
                "upgrade the program, or set STAFFING_DB to another file",
            )
        return version

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite's errors about the file into a :class:`StorageError` naming it."""
        try:
            yield
        except sqlite3.ProgrammingError:  # a bug (e.g. a closed connection), not the file
            raise
        except sqlite3.DatabaseError as exc:
            raise _storage_error(self.path, exc, self._timeout) from exc

    def save_roster(
        self,
        *,
        store: StoreIdentity,
        week: dt.date,
        label: str,
        status: str,
        roster: pd.DataFrame,
        hours: pd.DataFrame,
        kpis: dict[str, object],
        decisions: dict[str, object] | None = None,
    ) -> SavedRoster:
        """Save a roster in one transaction and return it as stored.

        Parameters
        ----------
        store : StoreIdentity
            The store it was made for (``StoreIdentity.of(data)``).
        week : datetime.date
            First day of the roster's week.
        label : str
            A name for the manager (e.g. ``generated`` or ``edited``).
        status : str
            The roster's solver status.
        roster, hours : DataFrame
            The roster rows and employee hours, stored as CSV text.
        kpis : dict of str to object
            The KPIs, stored as JSON (values JSON cannot hold are stored as text).
        decisions : dict of str to object, optional
            The manager's decisions behind it (``WeekPlan.decisions()``), given back as
            ``SavedRoster.decisions``; None stores none.

        Returns
        -------
        SavedRoster
            The roster as read back, with its new id and creation time (local, to the second).

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        _check(store)
        created = dt.datetime.now().replace(microsecond=0)
        with self._guard(), self._transaction():
            store_id = self._claim(store)
            cur = self._db.execute(
                "INSERT INTO rosters (store, store_id, week, label, status, created, roster_csv,"
                " hours_csv, kpis_json, decisions_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (store.name, store_id, week.isoformat(), label, status, created.isoformat(),
                 roster.to_csv(index=False), hours.to_csv(index=False),
                 json.dumps(kpis, default=str), json.dumps(decisions or {}, default=str)),
            )  # fmt: skip
        rid = cur.lastrowid
        assert rid is not None
        return self.roster(rid)

    def roster(self, roster_id: int) -> SavedRoster:
        """The saved roster with this id (KeyError if none).

        Parameters
        ----------
        roster_id : int
            The id given by :meth:`save_roster`.

        Returns
        -------
        SavedRoster
            The roster; its text columns (ids, names, roles, contract) are read back as text.

        Raises
        ------
        KeyError
            When no roster has this id.
        StorageError
            When the database cannot be read (see :class:`Repository`).
        """
        with self._guard():
            row = self._db.execute(
                "SELECT id, store, week, label, status, created, roster_csv, hours_csv, kpis_json,"
                " decisions_json FROM rosters WHERE id = ?",
                (roster_id,),
            ).fetchone()
        if row is None:
            raise KeyError(roster_id)
        return SavedRoster(
            id=row[0], store=row[1], week=dt.date.fromisoformat(row[2]), label=row[3],
            status=row[4], created=dt.datetime.fromisoformat(row[5]),
            roster=pd.read_csv(io.StringIO(row[6]), keep_default_na=False, dtype=_TEXT),
            hours=pd.read_csv(io.StringIO(row[7]), keep_default_na=False, dtype=_TEXT),
            kpis=json.loads(row[8]), decisions=json.loads(row[9]),
        )  # fmt: skip

    def rosters(self, store: StoreIdentity) -> tuple[SavedRoster, ...]:
        """A store's saved rosters, newest first.

        Parameters
        ----------
        store : StoreIdentity
            The store (``StoreIdentity.of(data)``).

        Returns
        -------
        tuple of SavedRoster
            Empty when the store has none. Rosters saved under the same name for another
            team are not among them (see :meth:`namesake_rosters`).

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        _check(store)
        with self._guard():
            store_id = self._find(store)
            ids = self._db.execute(
                "SELECT id FROM rosters WHERE store_id = ? ORDER BY id DESC", (store_id,)
            ).fetchall()
        return tuple(self.roster(i) for (i,) in ids)

    def namesake_rosters(self, store: StoreIdentity) -> tuple[SavedRoster, ...]:
        """Rosters saved under this store's name for another team, newest first.

        They belong to another store of the same name, or to this one before it gave an
        employee id to someone else: to be shown read-only with the differences named
        (:meth:`SavedRoster.team_changes`), never opened onto this store's team.

        Parameters
        ----------
        store : StoreIdentity
            The store (``StoreIdentity.of(data)``).

        Returns
        -------
        tuple of SavedRoster
            Empty when there are none.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        _check(store)
        with self._guard():
            store_id = self._find(store)
            ids = self._db.execute(
                "SELECT id FROM rosters WHERE store = ? AND store_id IS NOT ? ORDER BY id DESC",
                (store.name, store_id),
            ).fetchall()
        return tuple(self.roster(i) for (i,) in ids)

    def publish(self, roster_id: int) -> Publication:
        """Publish a saved roster as the next version of its store's week.

        Parameters
        ----------
        roster_id : int
            The saved roster to publish (it can no longer be changed or deleted).

        Returns
        -------
        Publication
            The new publication: version 1 for the week's first of the store the roster was
            saved for, else one above its latest.

        Raises
        ------
        KeyError
            When no roster has this id.
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        saved = self.roster(roster_id)
        now = dt.datetime.now().replace(microsecond=0)
        with self._guard(), self._transaction():
            (store_id,) = self._db.execute(
                "SELECT store_id FROM rosters WHERE id = ?", (roster_id,)
            ).fetchone()
            (latest,) = self._db.execute(
                "SELECT COALESCE(MAX(version), 0) FROM publications "
                "WHERE store_id = ? AND week = ?",
                (store_id, saved.week.isoformat()),
            ).fetchone()
            cur = self._db.execute(
                "INSERT INTO publications (roster_id, store, store_id, week, version, published)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (roster_id, saved.store, store_id, saved.week.isoformat(), latest + 1,
                 now.isoformat()),
            )  # fmt: skip
        pid = cur.lastrowid
        assert pid is not None
        return Publication(id=pid, roster_id=roster_id, store=saved.store, week=saved.week,
                           version=latest + 1, published=now)  # fmt: skip

    def publications(self, store: StoreIdentity) -> tuple[Publication, ...]:
        """A store's publications, newest first.

        Parameters
        ----------
        store : StoreIdentity
            The store (``StoreIdentity.of(data)``).

        Returns
        -------
        tuple of Publication
            Empty when the store has none.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        _check(store)
        with self._guard():
            rows = self._db.execute(
                "SELECT id, roster_id, store, week, version, published FROM publications "
                "WHERE store_id = ? ORDER BY id DESC",
                (self._find(store),),
            ).fetchall()
        return tuple(
            Publication(id=r[0], roster_id=r[1], store=r[2], week=dt.date.fromisoformat(r[3]),
                        version=r[4], published=dt.datetime.fromisoformat(r[5]))
            for r in rows
        )  # fmt: skip

    def save_scenario(
        self,
        *,
        store: StoreIdentity,
        week: dt.date,
        name: str,
        definition: dict[str, object],
        results: dict[str, object],
    ) -> SavedScenario:
        """Save a scenario's definition and results; running it again replaces both.

        Parameters
        ----------
        store : StoreIdentity
            The store it was run for (``StoreIdentity.of(data)``).
        week : datetime.date
            First day of the week planned.
        name : str
            The scenario's name: one saved scenario per store (identity), week and name.
        definition, results : dict of str to object
            ``Scenario.as_dict()`` and its comparison column, stored as JSON (values JSON
            cannot hold are stored as text).

        Returns
        -------
        SavedScenario
            The scenario as read back.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        _check(store)
        created = dt.datetime.now().replace(microsecond=0)
        with self._guard(), self._transaction():
            self._db.execute(
                "INSERT INTO scenarios (store, store_id, week, name, created, definition_json,"
                " results_json) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (store_id, week, name)"
                " DO UPDATE SET created = excluded.created,"
                " definition_json = excluded.definition_json, results_json = excluded.results_json",
                (store.name, self._claim(store), week.isoformat(), name, created.isoformat(),
                 json.dumps(definition, default=str), json.dumps(results, default=str)),
            )  # fmt: skip
        (saved,) = (s for s in self.scenarios(store, week) if s.name == name)
        return saved

    def scenarios(self, store: StoreIdentity, week: dt.date) -> tuple[SavedScenario, ...]:
        """A store week's saved scenarios, oldest first (the order they were created in).

        Parameters
        ----------
        store : StoreIdentity
            The store (``StoreIdentity.of(data)``).
        week : datetime.date
            First day of the week.

        Returns
        -------
        tuple of SavedScenario
            Empty when there are none.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        _check(store)
        with self._guard():
            rows = self._db.execute(
                "SELECT id, store, week, name, created, definition_json, results_json "
                "FROM scenarios WHERE store_id = ? AND week = ? ORDER BY id",
                (self._find(store), week.isoformat()),
            ).fetchall()
        return tuple(
            SavedScenario(id=r[0], store=r[1], week=dt.date.fromisoformat(r[2]), name=r[3],
                          created=dt.datetime.fromisoformat(r[4]),
                          definition=json.loads(r[5]), results=json.loads(r[6]))
            for r in rows
        )  # fmt: skip

    def delete_scenario(self, store: StoreIdentity, week: dt.date, name: str) -> None:
        """Forget a saved scenario (published rosters are never touched).

        Parameters
        ----------
        store : StoreIdentity
            The store (``StoreIdentity.of(data)``); another store's scenario of the same
            name is never touched.
        week : datetime.date
            First day of the week.
        name : str
            The scenario's name; nothing happens when there is none of that name.

        Raises
        ------
        StorageError
            When the database cannot be read or written (see :class:`Repository`).
        """
        _check(store)
        with self._guard(), self._transaction():
            self._db.execute(
                "DELETE FROM scenarios WHERE store_id = ? AND week = ? AND name = ?",
                (self._find(store), week.isoformat(), name),
            )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    def _find(self, store: StoreIdentity) -> int | None:
        """The id of the known store ``store`` is (see :class:`StoreIdentity`), None if new.

        The one with the same fingerprint, else the one of its name that shares the most
        people with it without an id naming two people; the oldest on a tie.
        """
        fingerprint, team = store.fingerprint, dict(store.team)
        best: tuple[int, int] | None = None  # (shared, -id)
        for store_id, known, team_json in self._db.execute(
            "SELECT id, fingerprint, team_json FROM stores WHERE name = ? ORDER BY id",
            (store.name,),
        ).fetchall():
            if known == fingerprint:
                return int(store_id)
            shared = _shared(json.loads(team_json), team)
            if shared is not None and (best is None or (shared, -store_id) > best):
                best = (shared, -store_id)
        return None if best is None else -best[1]

    def _claim(self, store: StoreIdentity) -> int:
        """The id of the known store ``store`` is, its team brought up to date, or of a new
        one; inside a write transaction."""
        store_id = self._find(store)
        if store_id is not None:  # only a matching team may replace the one recorded
            (known, team_json) = self._db.execute(
                "SELECT fingerprint, team_json FROM stores WHERE id = ?", (store_id,)
            ).fetchone()
            if (
                known != store.fingerprint
                and _shared(json.loads(team_json), dict(store.team)) is None
            ):
                store_id = None
        now = dt.datetime.now().replace(microsecond=0).isoformat()
        values = (store.fingerprint, json.dumps(dict(store.team)), now)
        if store_id is None:
            cur = self._db.execute(
                "INSERT INTO stores (name, fingerprint, team_json, updated) VALUES (?, ?, ?, ?)",
                (store.name, *values),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid
        self._db.execute(
            "UPDATE stores SET fingerprint = ?, team_json = ?, updated = ? "
            "WHERE id = ? AND fingerprint <> ?",
            (*values, store_id, store.fingerprint),
        )
        return store_id


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on any exception."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, trace: object) -> None:
        if kind is None:
            try:
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        else:
            self._rollback()  # the exception on its way out is the one to report

    def _rollback(self) -> None:
        if self._db.in_transaction:  # SQLite may have rolled back already (e.g. disk full)
            self._db.execute("ROLLBACK")


def _check(store: object) -> None:
    """Refuse a store given by name only: its saved work could be another team's."""
    if not isinstance(store, StoreIdentity):
        raise TypeError(
            f"saved work is kept per store identity: pass StoreIdentity.of(data), not {store!r}"
        )


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
    for statement in _statements(_IDENTITY_TABLES):
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
            if known == name and (shared := _shared(members, team)) is not None
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
    for statement in _statements(_IDENTITY_GUARDS):
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


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _statements(script: str) -> list[str]:
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


def _code(exc: sqlite3.Error) -> int:
    """SQLite's primary result code of ``exc`` (e.g. ``SQLITE_BUSY``), 0 if unknown."""
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def _storage_error(path: Path, exc: sqlite3.DatabaseError, timeout: float) -> StorageError:
    """A :class:`StorageError` saying in plain words what SQLite's ``exc`` means for ``path``."""
    says = f"(SQLite says: {exc})"
    leave = "this program leaves the file as it is"
    code = _code(exc)
    if code == sqlite3.SQLITE_NOTADB:
        return StorageError(
            path,
            f"is not a database this program can read {says}",
            f"move it aside or set STAFFING_DB to another file ({leave})",
        )
    if code == sqlite3.SQLITE_CORRUPT:
        return StorageError(
            path,
            f"is damaged, perhaps cut short by a crash, a full disk or an incomplete copy {says}",
            f"restore it from a backup, or move it aside or set STAFFING_DB to another file "
            f"({leave})",
        )
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StorageError(
            path,
            "is locked: another program holds it (another copy of the app, a planning run or "
            f"an SQLite tool) and did not let go within {timeout:g} seconds {says}",
            "close that program and try again, or set STAFFING_DB to another file",
        )
    if code == sqlite3.SQLITE_READONLY:
        return StorageError(
            path,
            f"cannot be written: the file or its folder is read-only {says}",
            "make them writable, or set STAFFING_DB to another file",
        )
    if code == sqlite3.SQLITE_FULL:
        return StorageError(
            path, f"cannot be written: the disk is full {says}", "free disk space and try again"
        )
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return StorageError(
            path,
            f"cannot be opened {says}",
            "check that the file and its folder exist and that you may read and write them, "
            "or set STAFFING_DB to another file",
        )
    if code == sqlite3.SQLITE_IOERR:
        return StorageError(
            path,
            f"could not be read or written: a disk or network-drive error {says}",
            "check the disk and try again, or set STAFFING_DB to a file on a local disk",
        )
    return StorageError(
        path,
        f"could not be used {says}",
        f"move it aside or set STAFFING_DB to another file ({leave})",
    )
