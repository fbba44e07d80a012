"""What several pages share: the store and its forecast (cached), the roster in the session,
the database of saved work and a few formatters.

The store folder is the uploaded or picked one (session state ``store_folder``), else the
``STAFFING_STORE`` environment variable, else the sample store.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from staffing.errors import InputError, StorageError
from staffing.loader import load_store
from staffing.model import StoreData
from staffing.persistence import Repository
from staffing.pipeline import WeekPlan

DEFAULT_STORE = Path(__file__).resolve().parents[1] / "sample_data" / "store"


@st.cache_resource(show_spinner="Loading the store...")
def _load(folder: str) -> StoreData:
    return load_store(folder)


@st.cache_data(show_spinner="Forecasting the week...")
def _forecast(folder: str, week: dt.date) -> pd.DataFrame:
    from staffing.forecasting import forecast_week  # statsmodels loads at the first forecast

    return forecast_week(_load(folder), week)[0]


def _week_forecast(week: dt.date) -> pd.DataFrame | None:
    """The week's forecast, or None after saying why there is none (e.g. a week picked before
    the history has enough data to fit)."""
    from staffing.forecasting import HistoryError  # statsmodels loads at the first forecast

    try:
        return _forecast(_folder(), week)
    except HistoryError as exc:
        st.error(f"No forecast for the week of {week:%d %b %Y}: {exc}. Pick a later week.")
        return None


def _folder() -> str:
    uploaded = st.session_state.get("store_folder")
    return str(uploaded) if uploaded else os.environ.get("STAFFING_STORE", str(DEFAULT_STORE))


def _problems(title: str, exc: InputError, shown: int = 50) -> None:
    """An input error's problems as a list, the first ``shown`` of them and a count of the rest."""
    st.error(title)
    for problem in exc.problems[:shown]:
        st.markdown(f"- {problem}")
    rest = len(exc.problems) + exc.uncollected - shown
    if rest > 0:
        st.markdown(f"- ... and {rest:,} more problem(s) of the same kinds")


def _store() -> StoreData | None:
    """The store, with the service targets edited on the Requirements page applied."""
    try:
        data = _load(_folder())
    except InputError as exc:
        _problems("The store folder has problems:", exc)
        return None
    edits: dict[str, dict[str, Any]] = st.session_state.get("targets", {})  # field -> value
    if not edits:
        return data
    channels = tuple(replace(c, **edits.get(c.id, {})) for c in data.store.channels)
    return replace(data, store=replace(data.store, channels=channels))


@contextmanager
def _saved_work(action: str) -> Iterator[Repository | None]:
    """The database of saved work, or None after saying why ``action`` cannot use it.

    A corrupt, locked or unreachable database (``STAFFING_DB``) must not take the page with it:
    the roster on screen can still be read and exported.
    """
    try:
        repo = Repository()
    except StorageError as exc:
        st.error(f"{action}: not possible. {exc}")
        yield None
        return
    try:
        yield repo
    except StorageError as exc:
        st.error(f"{action}: not possible. {exc}")
    finally:
        repo.close()


def _save_plan(plan: WeekPlan, label: str) -> None:
    """Keep a generated or edited roster in the database so it survives a restart."""
    with _saved_work("Saving this roster") as repo:
        if repo is not None:
            repo.save_roster(
                store=plan.data.store.name, week=plan.week_start, label=label,
                status=plan.roster.status, roster=plan.roster_rows, hours=plan.hours,
                kpis=plan.kpis.as_dict(), decisions=plan.decisions(),
            )  # fmt: skip


def _plan() -> WeekPlan | None:
    plan = st.session_state.get("plan")
    return plan if isinstance(plan, WeekPlan) else None


def _duration(seconds: float) -> str:
    """Seconds as the unit a manager reads: 45 s, 6.5 min, 3.6 h."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"
