"""Streamlit front end: a router over pages that call the ``staffing`` library.

Run with ``streamlit run app.py`` (``make run``). It opens on the sample store; the store folder
can be changed with the ``STAFFING_STORE`` environment variable. The pages live in ``ui/``, one
module each; caching lives there only.
"""

from __future__ import annotations

import streamlit as st

from ui import (
    page_adjust,
    page_export,
    page_forecast,
    page_requirements,
    page_roster,
    page_scenarios,
    page_store,
)


def main() -> None:
    """Route between the pages."""
    st.set_page_config(page_title="Peak-hour staffing", layout="wide")
    pages = [
        st.Page(page_roster, title="Roster", default=True),
        st.Page(page_adjust, title="Adjust"),
        st.Page(page_export, title="Export"),
        st.Page(page_scenarios, title="Scenarios"),
        st.Page(page_forecast, title="Forecast"),
        st.Page(page_requirements, title="Requirements"),
        st.Page(page_store, title="Store and data"),
    ]
    st.navigation(pages).run()


if __name__ == "__main__":  # streamlit runs this file as __main__; tests import the pages from ui
    main()
