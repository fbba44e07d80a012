"""Requirements page: people needed per interval and role, with editable service targets."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from staffing.model import StoreData
from ui.common import _chosen_week, _store, _week_caption, _week_forecast, _week_requirements


def page_requirements() -> None:
    """Requirements: people needed per interval and role, with editable service targets."""
    data = _store()
    if data is None:
        return
    week = _chosen_week(data)  # the Roster page's
    st.title(f"Staff needed, week of {week:%d %b %Y}")
    _week_caption()
    _edit_targets(data)
    data = _store()
    assert data is not None
    forecast = _week_forecast(week)
    if forecast is None:
        return
    req = _week_requirements(week)  # cached per store, week and targets
    binding = (
        req.channels[req.channels["agents"] > 0]
        .sort_values("agents")
        .groupby(["timestamp", "role"])
        .agg(binding=("binding_target", "last"), channel=("channel", "last"))
        .reset_index()
    )
    roles = req.roles.merge(binding, on=["timestamp", "role"], how="left").assign(
        need=lambda f: f[["required", "post_minimum"]].max(axis=1),
        day=lambda f: f["timestamp"].dt.strftime("%a %d"),
        time=lambda f: f["timestamp"].dt.strftime("%H:%M"),
        binding=lambda f: f["binding"].fillna("fixed post"),
    )
    role = st.selectbox("Role", list(data.store.roles))
    one = roles[(roles["role"] == role) & (roles["need"] > 0)]
    heat = (
        alt.Chart(one)
        .mark_rect()
        .encode(
            x=alt.X("time:O", title=None),
            y=alt.Y("day:O", title=None, sort=None),
            color=alt.Color("need:Q", title="people"),
            tooltip=["day", "time", "need", "required", "post_minimum", "channel", "binding"],
        )
    )
    st.altair_chart(heat)  # full width by default (Streamlit >= 1.46)
    st.metric(f"{role}: person-hours needed this week",
              f"{one['need'].sum() * data.store.interval_minutes / 60:,.1f}")  # fmt: skip
    st.caption("Hover a cell for the target that sets it (binding target).")


def _edit_targets(data: StoreData) -> None:
    """The service targets as an editable table; edits apply to every page at once."""
    channels = [c for c in data.store.channels if c.kind.value != "deferred"]
    table = pd.DataFrame(
        [
            {
                "channel": c.id,
                "service level (%)": None if c.service_level is None else c.service_level * 100,
                "answered within (s)": c.answer_within_seconds,
                "max average wait (s)": c.max_average_wait_seconds,
                "max abandonment (%)": None
                if c.max_abandon_rate is None
                else c.max_abandon_rate * 100,
            }
            for c in channels
        ]
    )
    st.subheader("Service targets")
    edited = st.data_editor(
        table,
        disabled=["channel"],
        hide_index=True,
        key="target_editor",
        column_config={
            "service level (%)": st.column_config.NumberColumn(min_value=1, max_value=99.9),
            "answered within (s)": st.column_config.NumberColumn(min_value=1, max_value=3600),
            "max average wait (s)": st.column_config.NumberColumn(min_value=1, max_value=3600),
            "max abandonment (%)": st.column_config.NumberColumn(min_value=0.1, max_value=50),
        },
    )
    overrides, problems = _target_changes(
        data, table, edited, dict(st.session_state.get("targets", {}))
    )
    for problem in problems:
        st.warning(problem)
    st.session_state["targets"] = overrides
    if overrides and st.button("Reset targets to the store's"):
        st.session_state["targets"] = {}
        st.session_state.pop("target_editor", None)
        st.rerun()


def _target_changes(
    data: StoreData,
    before: pd.DataFrame,
    after: pd.DataFrame,
    overrides: dict[str, dict[str, float | None]],
) -> tuple[dict[str, dict[str, float | None]], list[str]]:
    """Edited target rows as per-channel field overrides, and what was refused, in words."""
    problems: list[str] = []
    for row, was in zip(after.to_dict("records"), before.to_dict("records"), strict=True):
        if all((pd.isna(row[k]) and pd.isna(was[k])) or row[k] == was[k] for k in row):
            continue
        c = data.store.channel(str(row["channel"]))
        sl, ab, wait = (
            row["service level (%)"],
            row["max abandonment (%)"],
            row["max average wait (s)"],
        )
        within = row["answered within (s)"]
        change: dict[str, float | None] = {
            "service_level": None if pd.isna(sl) else float(sl) / 100,
            # an emptied cell keeps the channel's own threshold
            "answer_within_seconds": c.answer_within_seconds if pd.isna(within) else float(within),
            "max_average_wait_seconds": None if pd.isna(wait) else float(wait),
            "max_abandon_rate": None if pd.isna(ab) else float(ab) / 100,
        }
        limits = {  # as the table's columns allow: a browser is not the only way in
            "service level (%)": (1, 99.9), "answered within (s)": (1, 3600),
            "max average wait (s)": (1, 3600), "max abandonment (%)": (0.1, 50),
        }  # fmt: skip
        wrong = [
            f"{k} {row[k]:g} is outside {lo:g}-{hi:g}"
            for k, (lo, hi) in limits.items()
            if not pd.isna(row[k]) and not lo <= float(row[k]) <= hi
        ]
        if wrong:
            problems.append(f"{c.id}: {'; '.join(wrong)}; the edit was not applied.")
            continue
        if change["max_abandon_rate"] is not None and c.patience_seconds is None:
            problems.append(f"{c.id}: an abandonment target needs the channel's patience "
                            "(patience_seconds in store.toml); ignored.")  # fmt: skip
            change["max_abandon_rate"] = None
        targets = ("service_level", "max_average_wait_seconds", "max_abandon_rate")
        if all(change[k] is None for k in targets):
            problems.append(f"{c.id}: keep at least one target (service level, wait or "
                            "abandonment); the edit was not applied.")  # fmt: skip
            continue
        overrides[c.id] = overrides.get(c.id, {}) | change
    return overrides, problems
