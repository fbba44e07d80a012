"""Roster page: generate the week and see who works when, coverage and KPIs."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import altair as alt
import pandas as pd
import streamlit as st

from staffing.errors import InputError
from staffing.exports import file_name_part, to_csv_bytes, to_xlsx_bytes
from staffing.handover import export_name, publication_state
from staffing.kpis import service_level_meaning
from staffing.model import ChannelKind, StoreData
from staffing.persistence import Publication, SavedRoster, StoreIdentity
from staffing.pipeline import PlanSettings, WeekPlan, carry_decisions, reopen_week, roster_week
from staffing.rostering import status_text
from staffing.training import find_training_time
from ui.common import (
    _choose_week,
    _chosen_week,
    _duration,
    _forecast_notes,
    _plan,
    _problems,
    _restart_editor,
    _save_plan,
    _saved_work,
    _show_decisions,
    _show_notes,
    _store,
    _unapplied_edits,
    _week_forecast,
    _week_requirements,
)


def page_roster() -> None:
    """Roster: generate the week and see who works when, coverage and KPIs."""
    data = _store()
    if data is None:
        return
    st.title("Weekly roster")
    if "week_picker" not in st.session_state:  # dropped by Streamlit on the other pages
        st.session_state["week_picker"] = _chosen_week(data)
    picked = st.date_input("Week starting", key="week_picker")
    week = picked if isinstance(picked, dt.date) else _chosen_week(data)
    _choose_week(week)  # every page follows it
    # Kept under a key of its own: Streamlit drops a widget's key on pages that do not show
    # it, and the Adjust page's re-solves use this limit too.
    chosen = int(st.session_state.get("solve_seconds", 8))
    limit = st.slider("Solver time limit (seconds)", 5, 60, chosen)
    st.session_state["solve_seconds"] = limit
    plan = _plan()
    keep = _keep_decisions(plan, week)
    unapplied = _unapplied_edits(plan)
    if unapplied:
        st.warning(
            f"The Adjust page holds {unapplied} edit(s) of this roster not applied yet: "
            "**Generate roster** (or opening a saved roster) replaces the roster and discards "
            "them. Press **Apply edits** there first to keep them."
        )
    if st.button("Generate roster", type="primary"):
        _generate(data, week, float(limit), plan if keep else None)
    plan = _plan()
    if plan is None or plan.week_start != week:
        if plan is not None:
            st.warning(
                f"You picked the week of {week:%a %d %b %Y}; the roster in progress is the week "
                f"of {plan.week_start:%a %d %b %Y} (kept in saved work, and on the Adjust "
                f"page). Press **Generate roster** to plan the week of {week:%d %b}, or open a "
                f"saved roster of it below; pick {plan.week_start:%d %b} again to go back."
            )
        else:
            st.info(f"Press **Generate roster** to plan the week of {week:%a %d %b %Y}.")
        _saved_rosters(data, week, current=None)
        return
    st.header(f"Roster of the week of {plan.week_start:%a %d %b %Y}")
    targets = st.session_state.get("targets", {})
    if targets != st.session_state.get("plan_targets", {}):
        st.warning("Service targets were edited after this roster was generated: press "
                   "**Generate roster** to plan with them (your locked shifts and days off "
                   "are kept).")  # fmt: skip
    elif targets:
        st.caption("Service targets edited on the Requirements page are in use.")
    _show_notes(plan)
    _show_decisions(plan)
    k = plan.kpis
    cur = data.store.costs.currency
    cols = st.columns([1, 1, 1.1, 1.5])  # room for "no bound proved"
    cols[0].metric("Wage cost", f"{k.wage_cost:,.0f} {cur}")
    cols[1].metric("Paid hours", f"{k.paid_hours:,.1f}")
    cols[2].metric("Understaffed person-hours", f"{k.understaffed_person_hours:,.1f}")
    bound = plan.roster.lower_bound
    cols[3].metric(
        "Optimality gap",
        "no bound proved" if k.proved_gap is None else f"{k.proved_gap:.1%}",
        help="How far the roster's cost could at most be above the best possible one, from a "
        "lower bound the solver proves. 'no bound proved': the time limit ended before one was "
        "found. "
        "A longer time limit tightens both: the bound counts whole people day by day as "
        "time allows, and from about 15 s whole days of the roster are re-solved exactly (the "
        "README's figures table has the sample store's gaps at 10, 20 and 60 s).",
    )
    proved = (
        "no lower bound proved in the time limit"
        if k.proved_gap is None
        else f"proven lower bound {bound:,.0f}"
    )
    opened = st.session_state.get("plan_opened")
    if opened is not None and opened[0] is plan:  # not edited: as saved
        made = opened[1]
    elif plan.roster.status == "edited":
        made = status_text(plan.roster.status)
    else:
        made = f"{status_text(plan.roster.status)}, after {plan.roster.solve_seconds:.1f} s"
    st.caption(
        f"Roster: {made}. Roster cost {plan.roster.objective:,.0f}, {proved} (wages plus "
        "priced shortfalls and rule penalties)."
    )
    for caution in plan.caution_lines():  # no bound proved, e-mail falling behind
        st.warning(caution)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "channel": c.channel,
                    "service level": f"{c.service_level:.1%}",
                    "counts contacts": service_level_meaning(plan.data.store.channel(c.channel)),
                    "average wait": _duration(c.average_wait_seconds),
                    "abandonment": f"{c.abandon_rate:.1%}",
                    "queue growth over the week": (
                        f"{c.backlog_growth:+,.0f}"
                        if plan.data.store.channel(c.channel).kind == ChannelKind.DEFERRED
                        else ""
                    ),
                }
                for c in k.channels
            ]
        ),
        hide_index=True,
    )
    rows = plan.roster_rows.assign(
        start=lambda f: pd.to_datetime(f["start"]), end=lambda f: pd.to_datetime(f["end"])
    )
    st.subheader("Who works when")
    chart = (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            x=alt.X("start:T", title=None),
            x2="end:T",
            y=alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelOverlap=False)),
            color=alt.Color("role:N"),
            tooltip=["name", "role", "start", "end", "paid_hours"],
        )
        .properties(height=max(300, 24 * rows["name"].nunique()))
    )
    breaks = rows[rows["break_start"] != ""].assign(
        start=lambda f: pd.to_datetime(f["break_start"]),
        end=lambda f: pd.to_datetime(f["break_end"]),
    )
    pauses = (
        alt.Chart(breaks)
        .mark_bar(color="white", opacity=0.8)
        .encode(x="start:T", x2="end:T", y=alt.Y("name:N", sort=None),
                tooltip=["name", alt.Tooltip("start:T", title="break"), "break_minutes"])
    )  # fmt: skip
    st.altair_chart(chart + pauses)  # full width by default (Streamlit >= 1.46)
    st.caption("Bars are shifts coloured by role; white gaps are unpaid meal breaks.")
    _coverage_chart(plan)
    short = plan.shortfall_lines()
    st.subheader(f"Shortfalls ({len(short)})")
    capacity = plan.capacity_text()
    if capacity:
        st.warning(capacity)
    shown = [f"- {s}" for s in short[:40]]
    if len(short) > 40:  # all of them are in the coverage chart below and in kpis.json
        shown.append(f"- ... and {len(short) - 40} more (see the coverage chart by role)")
    st.write("\n".join(shown) or "None: every interval is covered.")
    for v in plan.violations:
        st.error(v.message)
    st.subheader("Publish")
    if st.button("Publish this roster"):
        with _saved_work("Publishing") as repo:
            if repo is not None:
                saved = repo.save_roster(
                    store=StoreIdentity.of(plan.data),
                    week=plan.week_start,
                    label=f"published, {k.wage_cost:,.0f} {cur}",
                    status=plan.roster.status,
                    roster=plan.roster_rows,
                    hours=plan.hours,
                    kpis=k.as_dict(),
                    decisions=plan.decisions(),
                )
                pub = repo.publish(saved.id)
                st.success(
                    f"Published week of {pub.week:%d %b %Y} as version {pub.version}: saved "
                    f"roster v{saved.id}, the number the Export page and `staffing export "
                    "--version` go by."
                )
    published: tuple[Publication, ...] = ()
    on_record: pd.DataFrame | None = None  # the shifts of this week's latest publication
    with _saved_work("Listing the published weeks") as repo:
        if repo is not None:
            published = repo.publications(StoreIdentity.of(data))
            latest = next((p for p in published if p.week == plan.week_start), None)
            if latest is not None:
                on_record = repo.roster(latest.roster_id).roster
    if published:
        st.caption(
            "Published: "
            + "; ".join(
                f"week {p.week:%d %b} version {p.version}, v{p.roster_id} "
                f"({p.published:%d %b %H:%M})"
                for p in published[:5]
            )
        )
    if on_record is not None and _shifts(on_record) != _shifts(plan.roster_rows):
        st.info(
            "The roster on screen is not the published one of this week: publish it to replace "
            "that, or download the published version on the Export page."
        )
    st.subheader("Export")
    # named like the Export page's downloads; this roster is the one on screen, not a saved one
    stem = f"{file_name_part(data.store.name)}_{plan.week_start.isoformat()}_on-screen"
    st.download_button(
        "Download roster (CSV)", to_csv_bytes(plan.roster_rows), f"roster_{stem}.csv", "text/csv"
    )
    st.download_button(
        "Download hours (CSV)", to_csv_bytes(plan.hours), f"hours_{stem}.csv", "text/csv"
    )
    st.download_button(
        "Download roster and hours (XLSX)",
        to_xlsx_bytes({"roster": plan.roster_rows, "hours": plan.hours}),
        f"roster_{stem}.xlsx",
    )
    st.subheader("Hours per employee, against contract")
    hours = plan.hours.assign(
        within_contract=lambda f: (
            (f["paid_hours"] >= f["min_hours_week"] - 1e-6)
            & (f["paid_hours"] <= f["max_hours_week"] + 1e-6)
        )
    )
    st.dataframe(hours, hide_index=True)
    st.caption(
        f"Fairness: {k.weekend_days_beyond_first} weekend day(s) worked beyond each person's "
        "first (weekend-only contracts aside: in one week, people working both Saturday and "
        f"Sunday); at most {k.most_closing_shifts} closing shift(s) for one person."
    )
    _training(plan)
    with st.expander("Saved rosters of this week"):
        _saved_rosters(data, plan.week_start, current=plan)


def _training(plan: WeekPlan) -> None:
    """Where a training (a workshop, a team meeting) is felt least in this roster."""
    st.subheader("Find a time for a training")
    st.caption(
        "Windows where every attendee is on duty outside their break, ranked by hours below a "
        "post's minimum, then contacts answered late, then understaffed hours (each beyond the "
        "roster's own). The roster itself stays as it is."
    )
    team = {f"{e.name} ({e.id})": e.id for e in plan.data.employees}
    step = plan.data.store.interval_minutes
    lengths = [k * step for k in range(1, 8 * 60 // step + 1)]
    cols = st.columns([3, 1])
    picked = cols[0].multiselect("Attendees", list(team), key="training_attendees")
    minutes = cols[1].selectbox(
        "Length", lengths, index=lengths.index(120) if 120 in lengths else 0,
        format_func=lambda m: f"{m // 60} h {m % 60:02d}" if m % 60 else f"{m // 60} h",
        key="training_minutes",
    )  # fmt: skip
    ask = (plan, tuple(team[p] for p in picked), int(minutes))
    if st.button("Find the time", disabled=not picked):
        with st.spinner("Trying every window..."):
            found = find_training_time(plan, list(ask[1]), ask[2])
        st.session_state["training_found"] = (ask, found)
    kept = st.session_state.get("training_found")
    if kept is None or kept[0][0] is not plan or kept[0][1:] != ask[1:]:
        return
    found = kept[1]
    if found.options:
        st.write(f"{found.fitting} window(s) fit; felt least first:")
        st.dataframe(found.to_frame(), hide_index=True)
    else:
        st.warning(
            "No window fits: every attendee must be on duty through it, outside their break. "
            "Give them shifts that overlap on the Adjust page (lock them), then look again."
        )
    for line in found.blocked:
        st.caption(f"No window on {line}.")


def _keep_decisions(plan: WeekPlan | None, week: dt.date) -> bool:
    """Whether Generate keeps the roster's locked shifts and days off that fall in ``week``,
    asked only when there are some; unticked, says which will be dropped."""
    if plan is None:
        return False
    days = [week + dt.timedelta(days=d) for d in range(plan.problem.days)]
    lines = plan.decision_lines(set(days))
    rest = len(plan.decision_lines()) - len(lines)
    if rest and plan.week_start != week:
        st.caption(
            f"The roster of the week of {plan.week_start:%d %b %Y} and its {rest} decision(s) "
            "(locked shifts, days off) stay in saved work: pick that week to open it again."
        )
    if not lines:
        return False
    keep = st.checkbox(
        f"Keep my {len(lines)} decision(s) in this week when generating (locked shifts, days off)",
        value=True,
        key="keep_decisions",
    )
    shown = "\n".join(f"- {line}" for line in lines)
    if keep:
        st.caption("Generate roster plans around:\n" + shown)
    else:
        st.warning("Generate roster will drop these decisions:\n" + shown)
    return keep


def _generate(data: StoreData, week: dt.date, limit: float, keep_from: WeekPlan | None) -> None:
    """Plan ``week`` afresh, with the decisions of ``keep_from`` that fall in it kept."""
    with st.spinner("Forecasting and sizing the week..."):
        forecast = _week_forecast(week)  # cached: shared with the forecast page
        if forecast is None:
            return
        needs = _week_requirements(week)  # cached: shared with the requirements page
    decisions = keep_from.decisions() if keep_from is not None else {}
    locked, days_off, notes = carry_decisions(data, week, needs, decisions)
    notes = (*_forecast_notes(week), *notes)  # what limits the forecast, e.g. a week far ahead
    plan = _solve_with_progress(
        lambda on_solution: roster_week(
            data, week, forecast, needs, PlanSettings(time_limit_seconds=limit),
            on_solution=on_solution, locked=locked, days_off=days_off, notes=notes,
        ),
        limit,
    )  # fmt: skip
    st.session_state["plan"] = plan
    st.session_state["plan_targets"] = dict(st.session_state.get("targets", {}))
    _restart_editor()
    kept = plan.decision_lines()
    _save_plan(plan, f"generated, {len(kept)} decision(s) kept" if kept else "generated")
    if kept:
        st.success(
            f"Generated with {len(kept)} of your decision(s) kept:\n"
            + "\n".join(f"- {line}" for line in kept)
        )


def _solve_with_progress(
    run: Callable[[Callable[[float, float], None]], WeekPlan], limit: float
) -> WeekPlan:
    """Run the solver in a worker thread and show its progress from this (the script) thread.

    The solver reports each better roster (cost, seconds) to a callback; only this thread
    touches Streamlit, so the progress bar is safe to update.
    """
    best: list[float] = []

    def on_solution(cost: float, seconds: float) -> None:
        best.append(cost)

    bar = st.progress(0.0, text="Rostering...")
    with ThreadPoolExecutor(max_workers=1) as pool:
        job = pool.submit(run, on_solution)
        started = time.monotonic()
        while not job.done():
            elapsed = time.monotonic() - started
            text = f"Rostering: {elapsed:.0f} s of about {limit:.0f} s"
            if best:
                text += f"; {len(best)} rosters found, the best costs {best[-1]:,.0f}"
            bar.progress(min(elapsed / (limit + 3.0), 0.99), text=text)
            time.sleep(0.25)
        plan = job.result()
    bar.empty()
    return plan


def _coverage_chart(plan: WeekPlan) -> None:
    """People on duty against the need per interval for one role, short intervals in red."""
    st.subheader("Coverage against requirement")
    role = st.selectbox("Role", list(plan.problem.roles), key="coverage_role")
    cov = plan.coverage[plan.coverage["role"] == role].assign(
        need=lambda f: f[["required", "post_minimum"]].max(axis=1),
        status=lambda f: f["short"].gt(0).map({True: "short", False: "covered"}),
    )
    # every interval, closed ones too: the need line drops to 0 overnight instead of bridging
    base = alt.Chart(cov).encode(x=alt.X("timestamp:T", title=None))
    bars = base.mark_bar().encode(
        y=alt.Y("on_duty:Q", title="people"),
        color=alt.Color("status:N", scale=alt.Scale(domain=["covered", "short"],
                                                    range=["#4c78a8", "#e45756"])),
        tooltip=["timestamp:T", "on_duty", "need", "short"],
    )  # fmt: skip
    need = base.mark_line(color="black", interpolate="step-after").encode(y="need:Q")
    st.altair_chart(bars + need)  # full width by default (Streamlit >= 1.46)
    st.caption("Bars: people on duty (breaks excluded); line: people needed.")


def _saved_rosters(data: StoreData, week: dt.date, current: WeekPlan | None) -> None:
    """The saved rosters of ``week`` (newest first), one to look at, download or open again,
    so that work survives a restart of the app; and the other weeks that have some."""
    saved: tuple[SavedRoster, ...] = ()
    published: tuple[Publication, ...] = ()
    with _saved_work("Opening the saved rosters") as repo:
        if repo is not None:
            saved = repo.rosters(StoreIdentity.of(data))
            published = repo.publications(StoreIdentity.of(data))
    mine = {s.id: s for s in saved if s.week == week}
    others = sorted({s.week for s in saved if s.week != week}, reverse=True)
    if others:
        st.caption(
            "Saved rosters of other weeks (pick the week above to see them): "
            + ", ".join(f"week of {w:%a %d %b %Y}" for w in others[:12])
            + (f" and {len(others) - 12} more" if len(others) > 12 else "")
            + "."
        )
    if not mine:
        if current is None:
            st.caption(f"No roster of the week of {week:%a %d %b %Y} is saved yet.")
        return
    if current is None:
        st.subheader(f"Saved rosters of the week of {week:%a %d %b %Y} ({len(mine)})")
    pick = st.selectbox(
        f"Saved roster of the week of {week:%d %b %Y}",
        list(mine),
        format_func=lambda i: (
            f"week of {mine[i].week:%a %d %b}, {mine[i].label}, saved "
            f"{mine[i].created:%a %d %b %H:%M} ({status_text(mine[i].status)})"
        ),
        key=f"saved_pick_{week.isoformat()}",
    )
    chosen = mine[pick]
    st.dataframe(chosen.roster, hide_index=True)
    st.download_button(
        "Download saved roster (CSV)",
        to_csv_bytes(chosen.roster),
        # named as the Export page names it: published, replaced or not-published
        f"roster_{export_name(data.store.name, chosen, publication_state(chosen, published))}.csv",
        "text/csv",
    )
    changes = chosen.team_changes(StoreIdentity.of(data))
    if changes:
        st.warning(
            "The team changed since this roster was saved; opening it leaves out these "
            "people's shifts and decisions:\n" + "\n".join(f"- {c}" for c in changes)
        )
    if st.button("Open it to adjust or publish"):
        _open(data, chosen)


def _open(data: StoreData, saved: SavedRoster) -> None:
    """A saved roster becomes the roster in progress, with its decisions."""
    forecast = _week_forecast(saved.week)
    if forecast is None:
        return
    try:
        plan = reopen_week(
            data,
            saved.week,
            saved.roster,
            forecast,
            decisions=saved.decisions,
            notes=_forecast_notes(saved.week),
        )
    except InputError as exc:
        _problems("The saved roster cannot be read back:", exc)
        return
    st.session_state["plan"] = plan
    st.session_state["plan_opened"] = (
        plan,
        f"opened from saved work ({saved.label}, saved {saved.created:%a %d %b %H:%M}: "
        f"{status_text(saved.status)})",
    )
    st.session_state["plan_targets"] = dict(st.session_state.get("targets", {}))
    _choose_week(saved.week)
    _restart_editor()
    st.rerun()


def _shifts(rows: pd.DataFrame) -> list[tuple[str, ...]]:
    """A roster's shifts as sorted text (who, when, role, break), to compare a saved roster
    (read back as text) with one on screen."""
    keys = ["employee_id", "start", "end", "role", "break_start", "break_end"]
    shown = rows.reindex(columns=keys).fillna("").astype(str)
    return sorted(tuple(r) for r in shown.itertuples(index=False))
