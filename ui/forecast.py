"""Forecast page: the chosen week's traffic per channel with its bands, and a backtest."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from ui.common import (
    _chosen_week,
    _folder,
    _forecast_notes,
    _load,
    _store,
    _week_caption,
    _week_forecast,
)


@st.cache_data(show_spinner="Backtesting the forecast on 4 past weeks (about a minute)...")
def _backtest(folder: str) -> pd.DataFrame:
    from staffing.forecasting import backtest_store

    result = backtest_store(_load(folder), origins=4)
    return result.table


def page_forecast() -> None:
    """Forecast: the chosen week's traffic per channel with 80% and 95% bands."""
    from staffing.forecasting import week_days

    data = _store()
    if data is None:
        return
    week = _chosen_week(data)  # the Roster page's
    st.title(f"Traffic forecast, week of {week:%d %b %Y}")
    _week_caption()
    frame = _week_forecast(week)
    if frame is None:
        return
    channel = st.selectbox("Channel", [c.id for c in data.store.channels])
    one = frame[frame["channel"] == channel]
    base = alt.Chart(one).encode(x=alt.X("timestamp:T", title=None))
    bands = base.mark_area(opacity=0.2).encode(y="lo95:Q", y2="hi95:Q") + base.mark_area(
        opacity=0.35
    ).encode(y="lo80:Q", y2="hi80:Q")
    line = base.mark_line().encode(
        y=alt.Y("forecast:Q", title="contacts per interval"),
        tooltip=["timestamp:T", "forecast:Q", "lo80:Q", "hi80:Q", "hi95:Q"],
    )
    days = week_days(data, week)
    special = days[days["special"]].assign(day=lambda f: pd.to_datetime(f["date"]))
    marks = (
        alt.Chart(special)
        .mark_rule(color="#e45756", strokeDash=[4, 3])
        .encode(x="day:T", tooltip=["date:N", "note:N"])
    )
    st.altair_chart(bands + line + marks)  # full width by default (Streamlit >= 1.46)
    st.caption(
        "Shaded: 80% (dark) and 95% (light) prediction intervals. Red dashed lines: days the "
        "calendar marks (public holidays, eves, bridge days, events)."
    )
    for r in special.itertuples():
        st.markdown(f"- **{r.date:%a %d %b}**: {r.note}")
    notes = _forecast_notes(week)
    if notes:  # a short history, an event kind never seen, days forecast as closed
        with st.expander(f"What the model says about this forecast ({len(notes)})"):
            for note in notes:
                st.markdown(f"- {note}")
    st.subheader("How far to trust it")
    if st.button("Check accuracy (backtest on the last 4 weeks)"):
        st.session_state["backtest"] = True
    if st.session_state.get("backtest"):
        table = _backtest(_folder())
        pivot = table.pivot_table(index="channel", columns="model", values="wape")
        cover = table[table["model"] == "ours"].set_index("channel")
        out = pd.DataFrame(
            {
                "our error (WAPE)": pivot["ours"].map("{:.1%}".format),
                "same hour last week": pivot["seasonal_naive"].map("{:.1%}".format),
                "improvement": (1 - pivot["ours"] / pivot["seasonal_naive"]).map("{:.0%}".format),
                "inside 80% band": cover["coverage80"].map("{:.0%}".format),
                "inside 95% band": cover["coverage95"].map("{:.0%}".format),
            }
        )
        st.dataframe(out)
        st.caption(
            "Each of the last 4 weeks forecast from the history before it and compared with "
            "what happened. WAPE: total absolute error / total volume. A well-calibrated "
            "forecast has about 80% and 95% of the actual intervals inside its bands."
        )
