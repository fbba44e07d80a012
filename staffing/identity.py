"""Which store saved work belongs to: :class:`StoreIdentity` (a store's name and its team) and
the rule that tells two teams apart or one (:func:`shared_people`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from staffing.model import StoreData

__all__ = ["StoreIdentity", "person", "shared_people", "team_of"]


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
        team = [[emp, person(who)] for emp, who in self.team]
        return hashlib.sha256(json.dumps([self.name, team]).encode()).hexdigest()


def person(name: str) -> str:
    """A name as compared between teams: case and spacing do not matter."""
    return " ".join(name.split()).casefold()


def shared_people(known: Mapping[str, str], team: Mapping[str, str]) -> int | None:
    """How many people ``known`` and ``team`` share, or None when they are not one team.

    Not one team: an id both hold names two different people, or fewer than half of the
    larger team is shared (so a few people copied under the store's name are not the store).
    An empty name (not recorded) matches any name; an empty team (none recorded) matches any.
    """
    shared = 0
    for emp, who in known.items():
        if emp not in team:
            continue
        if who and team[emp] and person(who) != person(team[emp]):
            return None
        shared += 1
    if known and team and 2 * shared < max(len(known), len(team)):
        return None
    return shared


def team_of(frames: Iterable[pd.DataFrame]) -> dict[str, str]:
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
