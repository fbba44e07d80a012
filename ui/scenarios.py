"""Scenarios page: what-if variants planned with the same pipeline, compared side by side."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from staffing.model import Event, StoreData
from staffing.persistence import SavedScenario
from staffing.pipeline import PlanSettings, WeekPlan
from staffing.scenarios import Scenario, compare, plan_scenario, tradeoff
from ui.common import _saved_work, _store, _week_forecast


def _saved_scenarios(data: StoreData, week: dt.date) -> tuple[SavedScenario, ...]:
    with _saved_work("Reading the saved scenarios") as repo:
        if repo is not None:
            return repo.scenarios(data.store.name, week)
    return ()


def page_scenarios() -> None:
    """Scenarios: what-if variants planned with the same pipeline and compared side by side."""
    data = _store()
    if data is None:
        return
    st.title("What-if scenarios")
    plan: WeekPlan | None = st.session_state.get("plan")  # the Roster page's week, if any
    same = plan is not None and plan.data.store.name == data.store.name
    week = plan.week_start if plan is not None and same else data.default_week()
    st.caption(f"Week of {week:%a %d %b %Y}" + (" (the roster's week)." if same else "."))
    forecast = _week_forecast(week)
    if forecast is None:
        return
    with st.form("scenario"):
        name = st.text_input("Scenario name", "+10% traffic")
        c1, c2, c3 = st.columns(3)
        traffic = c1.number_input("Traffic change (%)", -50, 200, 10)
        target = c2.number_input(
            "Service level target (%)", 50, 99, value=None, placeholder="the store's targets",
            help="For channels with a service-level target; empty keeps the current targets.",
        )  # fmt: skip
        wages = c3.number_input("Wage change (%)", -50, 100, 0)
        c4, c5 = st.columns(2)
        gone = c4.multiselect("Leave out employees", [e.id for e in data.employees])
        shortest = float(data.store.rules.min_shift_hours)
        longest = c5.number_input(
            "Longest shift (hours)", max(4.0, shortest), max(12.0, shortest),
            max(shortest, float(data.store.rules.max_shift_hours)),
            help=f"At least the store's shortest shift ({shortest:g} h).",
        )  # fmt: skip
        c6, c7, c8 = st.columns(3)
        event_name = c6.text_input("Extra event (optional)", "")
        event_kind = c7.selectbox("Event kind", ["promotion", "school_vacation", "closure"])
        event_days = c8.date_input(
            "Event dates", value=(week, week), min_value=week, max_value=week + dt.timedelta(6)
        )
        limit = st.slider("Solver time limit per scenario (seconds)", 3, 30, 5)
        run_it = st.form_submit_button("Run scenario")
        if run_it and not name.strip():
            st.error("Give the scenario a name.")
            run_it = False
        if run_it and len(gone) == len(data.employees):
            st.error("Leave at least one employee in: with nobody there is no roster to compare.")
            run_it = False
        if run_it:
            name = name.strip()
            event = None
            if event_name.strip():
                first, last = _date_range(event_days, week)
                event = Event(start_date=first, end_date=last, name=event_name.strip(),
                              kind=event_kind)  # fmt: skip
            scenario = Scenario(
                name=name, traffic_factor=1 + traffic / 100,
                service_level=None if target is None else target / 100,
                wage_factor=1 + wages / 100, remove_employees=tuple(gone),
                max_shift_hours=float(longest), extra_event=event,
            )  # fmt: skip
            run = None
            with st.spinner(f"Planning '{name}'..."):
                try:
                    run = plan_scenario(
                        data, week, scenario, PlanSettings(time_limit_seconds=float(limit)),
                        forecast,
                    )  # fmt: skip
                except ValueError as exc:  # e.g. a longest shift below the shortest
                    st.error(str(exc))
            if run is not None:
                replaced = name in {s.name for s in _saved_scenarios(data, week)}
                _save_scenario(data, week, scenario, compare({name: run})[name].to_dict())
                if replaced:
                    st.info(f"The saved scenario '{name}' was replaced by this run.")
    saved = _saved_scenarios(data, week)
    if saved:
        st.subheader("Side by side")
        st.dataframe(_readable(pd.DataFrame({s.name: s.results for s in saved})))
        st.caption(
            "Saved scenarios stay until deleted. "
            + "; ".join(f"**{s.name}**: {_describe(s.definition)}" for s in saved)
        )
        drop = st.selectbox("Delete a scenario", ["(none)", *[s.name for s in saved]])
        if drop != "(none)" and st.button("Delete"):
            with _saved_work("Deleting the scenario") as repo:
                if repo is not None:
                    repo.delete_scenario(data.store.name, week, drop)
                    st.rerun()
    if st.button("Sweep service targets (cost vs service)"):
        with st.spinner("Planning four targets..."):
            sweep = tradeoff(data, week, (0.7, 0.8, 0.9, 0.95),
                             PlanSettings(time_limit_seconds=4.0), forecast)  # fmt: skip
        chart = (
            alt.Chart(sweep)
            .mark_line(point=True)
            .encode(
                x=alt.X("wage cost:Q", scale=alt.Scale(zero=False)),
                y=alt.Y("achieved service level:Q", scale=alt.Scale(zero=False)),
                tooltip=["target", "wage cost", "achieved service level"],
            )
        )
        st.altair_chart(chart, use_container_width=True)
        shares = ("target", "achieved service level", "optimality gap")  # fractions, as %
        st.dataframe(
            sweep.assign(**{name: sweep[name] * 100 for name in shares if name in sweep}),
            hide_index=True,
            column_config={name: st.column_config.NumberColumn(format="%.1f%%") for name in shares},
        )


def _readable(table: pd.DataFrame) -> pd.DataFrame:
    """The side-by-side table as text a manager reads: fractions as percentages, waits in
    seconds, money and hours with thousands separators (it showed 0.8123 and 15672.27)."""

    def shown(label: str, value: object) -> str:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        if not isinstance(value, int | float) or isinstance(value, bool):
            return str(value)
        if label.endswith(("service level", "abandonment", "optimality gap")):
            return f"{value:.1%}"
        return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"

    return pd.DataFrame(
        {col: [shown(str(i), v) for i, v in table[col].items()] for col in table.columns},
        index=table.index,
    )


def _date_range(value: object, default: dt.date) -> tuple[dt.date, dt.date]:
    """A date_input answer (one date or a pair) as first and last day."""
    days = [d for d in (value if isinstance(value, tuple | list) else (value,))
            if isinstance(d, dt.date)]  # fmt: skip
    return (days[0], days[-1]) if days else (default, default)


def _save_scenario(
    data: StoreData, week: dt.date, scenario: Scenario, results: dict[str, object]
) -> None:
    with _saved_work("Saving the scenario") as repo:
        if repo is not None:
            repo.save_scenario(store=data.store.name, week=week, name=scenario.name,
                               definition=scenario.as_dict(), results=results)  # fmt: skip


def _describe(definition: dict[str, object]) -> str:
    """A saved scenario's changes in words (only what differs from the base)."""
    defaults = Scenario(name="").as_dict()
    parts = [f"{k.replace('_', ' ')} {v}" for k, v in definition.items()
             if k != "name" and defaults.get(k) != v and v not in (None, [], ())]  # fmt: skip
    return ", ".join(parts) or "no change"
