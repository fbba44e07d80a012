"""What several pages share: the store and its forecast (cached), the roster in the session,
the database of saved work and a few formatters.

The store folder is the uploaded or picked one (session state ``store_folder``), else the
``STAFFING_STORE`` environment variable, else the sample store.
"""

from __future__ import annotations

import datetime as dt
import json
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
from staffing.persistence import Repository, StoreIdentity
from staffing.pipeline import WeekPlan
from staffing.requirements import Requirements, compute_requirements

DEFAULT_STORE = Path(__file__).resolve().parents[1] / "sample_data" / "store"


@st.cache_resource(show_spinner="Loading the store...")
def _load(folder: str) -> StoreData:
    return load_store(folder)


@st.cache_data(show_spinner="Forecasting the week...")
def _forecast(folder: str, week: dt.date) -> tuple[pd.DataFrame, tuple[str, ...]]:
    from staffing.forecasting import forecast_notes, forecast_week  # statsmodels loads here

    data = _load(folder)
    frame, model = forecast_week(data, week)
    return frame, forecast_notes(data, week, model)


@st.cache_data(show_spinner="Sizing the week...")
def _requirements(folder: str, week: dt.date, targets: str) -> Requirements:
    """The week's staff needed with the edited targets (``targets``: their JSON); cached, as
    the Requirements page sized the contact center again in 1.5 s at every click."""
    data = _with_targets(_load(folder), json.loads(targets))
    return compute_requirements(data, _forecast(folder, week)[0], week)


def _week_requirements(week: dt.date) -> Requirements:
    """:func:`_requirements` of the store in use, with the session's edited targets (call it
    once :func:`_week_forecast` has found a forecast)."""
    targets = json.dumps(st.session_state.get("targets", {}), sort_keys=True)
    return _requirements(_folder(), week, targets)


def _week_forecast(week: dt.date) -> pd.DataFrame | None:
    """The week's forecast, or None after saying why there is none (e.g. a week picked before
    the history has enough data to fit)."""
    from staffing.forecasting import HistoryError  # statsmodels loads at the first forecast

    try:
        return _forecast(_folder(), week)[0]
    except HistoryError as exc:
        st.error(f"No forecast for the week of {week:%d %b %Y}: {exc}. Pick a later week.")
        return None


def _forecast_notes(week: dt.date) -> tuple[str, ...]:
    """What the week's forecast model says about itself (a short history, an event kind it has
    never seen, days it forecasts as closed); empty when it cannot be fitted."""
    from staffing.forecasting import HistoryError  # statsmodels loads at the first forecast

    try:
        return _forecast(_folder(), week)[1]
    except HistoryError:
        return ()


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
    return _with_targets(data, st.session_state.get("targets", {}))


def _with_targets(data: StoreData, edits: dict[str, dict[str, Any]]) -> StoreData:
    """``data`` with the edited service targets (channel -> field -> value) applied."""
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
                store=StoreIdentity.of(plan.data), week=plan.week_start, label=label,
                status=plan.roster.status, roster=plan.roster_rows, hours=plan.hours,
                kpis=plan.kpis.as_dict(), decisions=plan.decisions(),
            )  # fmt: skip


def _plan() -> WeekPlan | None:
    plan = st.session_state.get("plan")
    return plan if isinstance(plan, WeekPlan) else None


def _restart_editor() -> None:
    """The Adjust page's table starts again from the (new) roster: a new editor key, so that
    neither Streamlit nor the browser keeps the edits of the table it replaces."""
    st.session_state["edits_version"] = st.session_state.get("edits_version", 0) + 1
    for name in ("adjust_draft", "adjust_base", "adjust_pending"):
        st.session_state.pop(name, None)


def _unapplied_edits(plan: WeekPlan | None) -> int:
    """How many edits the Adjust page holds for ``plan`` that were not applied (changed,
    added and deleted shifts, days off released), as last shown there."""
    pending = st.session_state.get("adjust_pending")
    return int(pending[1]) if plan is not None and pending and pending[0] is plan else 0


def _chosen_week(data: StoreData) -> dt.date:
    """The week picked on the Roster page (session state ``chosen_week``, kept per store
    folder), else the roster's week, else the store's next week.

    Kept under a key of its own: Streamlit drops a widget's key on pages that do not show it,
    so the picker alone forgot the choice on every visit to another page.
    """
    chosen = st.session_state.get("chosen_week")
    if isinstance(chosen, tuple) and chosen[0] == _folder() and isinstance(chosen[1], dt.date):
        return chosen[1]
    plan = _plan()
    if plan is not None and plan.data.store.name == data.store.name:
        return plan.week_start
    return data.default_week()


def _choose_week(week: dt.date) -> None:
    """Make ``week`` the week every page shows (see :func:`_chosen_week`)."""
    st.session_state["chosen_week"] = (_folder(), week)


def _week_caption() -> None:
    """Where the week a page shows (in its title) is chosen."""
    st.caption("The week picked on the Roster page (pick another there).")


def _show_notes(plan: WeekPlan) -> None:
    """What the manager must know about how this roster was made: rules that could not all
    hold and what gave way (locks left out included), and the plan's notes (decisions left
    out on reopening or generating, forecast data notes)."""
    for conflict in plan.roster.conflicts:
        st.warning(conflict)
    for note in plan.notes:
        st.info(note)


def _show_decisions(plan: WeekPlan) -> None:
    """The manager's locked shifts and days off, in words."""
    lines = plan.decision_lines()
    if lines:
        st.markdown(
            f"**Your decisions, kept through re-solves ({len(lines)}):**\n"
            + "\n".join(f"- {line}" for line in lines)
        )


def _duration(seconds: float) -> str:
    """Seconds as the unit a manager reads: 45 s, 6.5 min, 3.6 h."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"
