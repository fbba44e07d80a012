"""Scenarios page: what-if variants planned with the same pipeline, compared side by side."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from staffing.model import Event, StoreData
from staffing.persistence import SavedScenario, StoreIdentity
from staffing.pipeline import PlanSettings
from staffing.scenario_text import (
    SWEEP_TARGETS,
    channel_label,
    gap_text,
    noise_note,
    sweep_channels,
    sweep_table,
)
from staffing.scenarios import (
    Scenario,
    compare,
    plan_scenario,
    scenario_seconds,
    swept_service_level,
    tradeoff,
)
from ui.common import _chosen_week, _saved_work, _store, _week_forecast


def _saved_scenarios(data: StoreData, week: dt.date) -> tuple[SavedScenario, ...]:
    with _saved_work("Reading the saved scenarios") as repo:
        if repo is not None:
            return repo.scenarios(StoreIdentity.of(data), week)
    return ()


def page_scenarios() -> None:
    """Scenarios: what-if variants planned with the same pipeline and compared side by side."""
    data = _store()
    if data is None:
        return
    st.title("What-if scenarios")
    week = _chosen_week(data)  # the week picked on the Roster page, as every page shows
    st.caption(f"Week of {week:%a %d %b %Y} (chosen on the Roster page).")
    forecast = _week_forecast(week)
    if forecast is None:
        return
    usual = int(scenario_seconds(data))
    limit = st.slider(
        "Solver time per plan (seconds)", 3, 60, usual, key="scenario_seconds",
        help=f"Each scenario run and each point of the sweep is given this solver time limit "
        f"(forecasting and building the model add a few seconds). {usual} s suits a team of "
        f"{len(data.employees)}; less time leaves more solver noise in the differences: on the "
        "220-agent contact center two 5-s runs of one plan differed by a third in cost.",
    )  # fmt: skip
    rules = data.store.rules
    with st.form("scenario"):
        name = st.text_input("Scenario name", "+10% traffic")
        c1, c2, c3 = st.columns(3)
        traffic = c1.number_input("Traffic change (%)", -50, 200, 10)
        target = c2.number_input(
            "Service level target (%)", 50, 99, value=None, placeholder="the store's targets",
            help="For channels with a service-level target; empty keeps the current targets.",
        )  # fmt: skip
        within = c2.number_input(
            "answered within (seconds)", 1, 3600, value=None, placeholder="the store's",
            help="For the same channels: with 90 above and 20 here, a 90/20 target; empty keeps "
            "each channel's own answer time.",
        )  # fmt: skip
        wages = c3.number_input("Wage change (%)", -50, 100, 0)
        c4, c5, c6 = st.columns(3)
        gone = c4.multiselect("Leave out employees", [e.id for e in data.employees])
        shortest_now, longest_now = float(rules.min_shift_hours), float(rules.max_shift_hours)
        low = min(1.0, shortest_now)  # store.toml allows shifts under an hour
        shortest = c5.number_input(
            "Shortest shift (hours)", low, max(12.0, longest_now), shortest_now, step=0.5,
            help=f"The store's is {shortest_now:g} h. Shifts run from the shortest to the "
            "longest: for 6-hour shifts set both to 6 (the longest alone at 6 allows "
            f"{shortest_now:g}-6 h shifts).",
        )  # fmt: skip
        longest = c6.number_input(
            "Longest shift (hours)", low, max(12.0, longest_now), longest_now, step=0.5,
            help=f"The store's is {longest_now:g} h; at least the shortest shift.",
        )  # fmt: skip
        c7, c8, c9 = st.columns(3)
        event_name = c7.text_input("Extra event (optional)", "")
        event_kind = c8.selectbox("Event kind", ["promotion", "school_vacation", "closure"])
        event_days = c9.date_input(
            "Event dates", value=(week, week), min_value=week, max_value=week + dt.timedelta(6)
        )
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
                answer_within_seconds=None if within is None else float(within),
                wage_factor=1 + wages / 100, remove_employees=tuple(gone),
                # only what the scenario changes: an unchanged rule is the store's, not a change
                min_shift_hours=None if shortest == shortest_now else float(shortest),
                max_shift_hours=None if longest == longest_now else float(longest),
                extra_event=event,
            )  # fmt: skip
            run = None
            with st.spinner(f"Planning '{name}' ({limit}-s solver limit)..."):
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
        st.caption(noise_note([s.results.get("optimality gap") for s in saved]))
        st.caption(
            "Saved scenarios stay until deleted. "
            + "; ".join(f"**{s.name}**: {_describe(s.definition, data)}" for s in saved)
        )
        drop = st.selectbox("Delete a scenario", ["(none)", *[s.name for s in saved]])
        if drop != "(none)" and st.button("Delete"):
            with _saved_work("Deleting the scenario") as repo:
                if repo is not None:
                    repo.delete_scenario(StoreIdentity.of(data), week, drop)
                    st.rerun()
    _sweep_section(data, week, forecast, limit)


def _sweep_section(data: StoreData, week: dt.date, forecast: pd.DataFrame, limit: int) -> None:
    """The cost-versus-service sweep: one line per channel, kept for the session."""
    key = (data.store, data.employees, week)  # targets edited or a new team: sweep again
    points = len(SWEEP_TARGETS)
    if st.button("Sweep service targets (cost vs service)"):
        try:
            label = swept_service_level(data)
        except ValueError as exc:  # no channel with a service-level target
            st.error(str(exc))
            return
        with st.spinner(
            f"Planning {points} targets, each with a {limit}-s solver limit (forecasting and "
            "building each model add a few seconds)..."
        ):
            try:
                settings = PlanSettings(time_limit_seconds=float(limit))
                sweep = tradeoff(data, week, SWEEP_TARGETS, settings, forecast)
            except ValueError as exc:  # a target no head-count meets
                st.error(str(exc))
                return
        st.session_state["scenario_sweep"] = (key, limit, label, sweep)
    kept = st.session_state.get("scenario_sweep")
    if kept is None or kept[0] != key:
        return
    _, seconds, label, sweep = kept
    st.subheader("Cost vs service")
    targets = ", ".join(f"{t:.0%}" for t in sweep["target"])
    st.caption(
        f"Service-level targets {targets} for the {label}; the other channels keep their own "
        "targets but share the same people, so their lines show what a stricter target "
        "costs them. Each channel's service level is by its own measure (legend)."
    )
    st.altair_chart(_sweep_chart(data, sweep))  # full width by default (Streamlit >= 1.46)
    st.dataframe(sweep_table(data, sweep, label), hide_index=True)
    note = noise_note(sweep["optimality gap"])
    st.caption(f"Each point was solved with a {seconds}-s time limit. {note}")


def _sweep_chart(data: StoreData, sweep: pd.DataFrame) -> alt.Chart:
    """Wage cost against every channel's service level, one line per channel."""
    columns = sweep_channels(sweep)
    long = sweep.melt(
        id_vars=["target", "wage cost"], value_vars=columns, var_name="column",
        value_name="service level",
    )  # fmt: skip
    long["channel"] = [channel_label(data, c.split(":")[0]) for c in long["column"]]
    cur = data.store.costs.currency
    return (
        alt.Chart(long.drop(columns="column"))
        .mark_line(point=True)
        .encode(
            x=alt.X("wage cost:Q", scale=alt.Scale(zero=False), title=f"wage cost ({cur})"),
            y=alt.Y(
                "service level:Q",
                axis=alt.Axis(format="%"),
                title="service level (each channel by its own measure)",
            ),
            color=alt.Color("channel:N", title="channel", legend=alt.Legend(labelLimit=400)),
            order=alt.Order("target:Q"),
            tooltip=[
                alt.Tooltip("target:Q", format=".0%"),
                alt.Tooltip("wage cost:Q", format=",.2f"),
                "channel:N",
                alt.Tooltip("service level:Q", format=".1%"),
            ],
        )
    )


def _readable(table: pd.DataFrame) -> pd.DataFrame:
    """The side-by-side table as text a manager reads: fractions as percentages, waits in
    seconds, money and hours with thousands separators (it showed 0.8123 and 15672.27)."""

    def shown(label: str, value: object) -> str:
        if label == "optimality gap":
            return gap_text(value)
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
            repo.save_scenario(store=StoreIdentity.of(data), week=week, name=scenario.name,
                               definition=scenario.as_dict(), results=results)  # fmt: skip


def _describe(definition: dict[str, object], data: StoreData) -> str:
    """A saved scenario's changes in words: only what differs from the store (a shift length
    equal to the store's is no change: every run had said "max shift hours 9.0")."""
    rules = data.store.rules
    base = Scenario(name="").as_dict() | {
        "min_shift_hours": rules.min_shift_hours, "max_shift_hours": rules.max_shift_hours,
    }  # fmt: skip
    parts = []
    for key, value in definition.items():
        if key == "name" or value in (None, [], ()) or value == base.get(key, None):
            continue
        parts.append(_change(key, value))
    return ", ".join(parts) or "no change"


def _change(key: str, value: object) -> str:
    """One changed field of a saved scenario in words, with its unit."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if key in ("traffic_factor", "wage_factor"):
            what = "traffic" if key == "traffic_factor" else "wages"
            return f"{what} {(value - 1) * 100:+.4g}%"
        words = {
            "service_level": f"service-level target {value * 100:.4g}%",
            "answer_within_seconds": f"answered within {value:g} s",
            "max_average_wait_seconds": f"average wait at most {value:g} s",
            "min_shift_hours": f"shortest shift {value:g} h",
            "max_shift_hours": f"longest shift {value:g} h",
        }
        if key in words:
            return words[key]
    if key == "remove_employees" and isinstance(value, list | tuple):
        return "without " + ", ".join(str(v) for v in value)
    if key == "extra_event" and isinstance(value, dict):
        first, last = value.get("start_date"), value.get("end_date")
        days = first if first == last else f"{first} to {last}"
        return f"extra event {value.get('name')} ({value.get('kind')}, {days})"
    return f"{key.replace('_', ' ')} {value}"
