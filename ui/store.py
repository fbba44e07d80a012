"""Store and data page: what was loaded, switching stores and uploading a store."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from staffing.errors import InputError
from staffing.loader import load_store, unpack_store
from ui.common import DEFAULT_STORE, _folder, _load, _problems, _store

SAMPLES = {
    "Riverside Market (store, 35 people)": DEFAULT_STORE,
    "Northwind Contact Centre (220 agents, 15-minute intervals)": DEFAULT_STORE.parent
    / "contact_center",
}
# Session state: every store folder this session has used that is not a bundled sample, with
# how it came (STAFFING_STORE, an upload and its time), so that it can be picked again.
LOADED = "stores_loaded"


def page_store() -> None:
    """Store and data: what was loaded."""
    data = _store()
    if data is None:
        return
    st.title(data.store.name)
    if st.session_state.pop("store_loaded", False):
        st.success("Store loaded: every page now uses it.")
    for warning in data.warnings:
        st.warning(warning)
    _pick_store()
    _upload()
    t = data.traffic
    c1, c2, c3 = st.columns(3)
    c1.metric("Employees", len(data.employees))
    c2.metric("Channels", len(data.store.channels))
    c3.metric("Next week", f"{data.default_week():%a %d %b %Y}")
    st.caption(
        f"History {t['timestamp'].min():%Y-%m-%d} to {t['timestamp'].max():%Y-%m-%d}, "
        f"{len(t):,} rows; interval {data.store.interval_minutes} min; "
        f"public holidays of {data.store.country}"
    )
    st.subheader("Channels and targets")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "channel": c.name,
                    "kind": c.kind.value,
                    "role": c.role,
                    "handling time (s)": c.aht_seconds,
                    "targets": c.targets_text(),
                }
                for c in data.store.channels
            ]
        ),
        hide_index=True,
    )
    st.subheader("Employees")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "id": e.id,
                    "name": e.name,
                    "roles": ", ".join(e.roles),
                    "hours/week": f"{e.min_hours_week:g}-{e.max_hours_week:g}",
                    "cost/h": e.hourly_cost,
                    "contract": e.contract,
                }
                for e in data.employees
            ]
        ),
        hide_index=True,
    )


def _upload() -> None:
    """Accept a zip of a store folder (or its files), check it and switch to it if valid."""
    files = st.file_uploader(
        "Upload a store: a .zip of the folder, or store.toml, employees.csv, traffic.csv "
        "(and availability.csv, events.csv)",
        type=["zip", "toml", "csv"],
        accept_multiple_files=True,
    )
    if not files or not st.button("Use these files"):
        return
    target = Path(tempfile.mkdtemp(prefix="store-"))
    try:
        unpack_store(((f.name, f.getvalue()) for f in files), target)
        load_store(target)
    except InputError as exc:
        shutil.rmtree(target, ignore_errors=True)  # nothing of a refused upload is kept
        _problems("The uploaded store has problems:", exc)
        return
    _loaded()[str(target)] = f"uploaded {dt.datetime.now():%H:%M:%S}"
    _switch_to(str(target))
    st.session_state["store_loaded"] = True
    st.rerun()  # every page, this one too, now shows the new store


def _loaded() -> dict[str, str]:
    """The store folders this session has used, other than the samples: folder -> how it came.

    The folder in use when the page is first shown (``STAFFING_STORE``'s) is the first.
    """
    loaded: dict[str, str] = st.session_state.setdefault(LOADED, {})
    current = _folder()
    if current not in loaded and current not in {str(f) for f in SAMPLES.values()}:
        configured = current == os.environ.get("STAFFING_STORE")
        loaded[current] = "STAFFING_STORE" if configured else "folder"
    return loaded


def _switch_to(folder: str) -> None:
    st.session_state["store_folder"] = folder
    for key in ("plan", "targets", "backtest"):  # the previous store's
        st.session_state.pop(key, None)


def _pick_store() -> None:
    """Switch between the stores this session has loaded (``STAFFING_STORE``'s, uploads) and
    the bundled samples (the contact center takes about a minute to solve)."""
    options: dict[str, str] = {}  # label -> folder
    for folder, how in _loaded().items():
        try:
            name = _load(folder).store.name
        except InputError:  # its problems are shown when it is picked
            name = Path(folder).name
        options[f"{name} ({how})"] = folder
    options.update({label: str(folder) for label, folder in SAMPLES.items()})
    labels = list(options)
    current = _folder()
    choice = st.selectbox(
        "Store", labels,
        index=next((i for i, label in enumerate(labels) if options[label] == current), 0),
        help="The stores loaded in this session (STAFFING_STORE's, each upload) and the "
        "bundled samples. Each store's saved work stays with it.",
    )  # fmt: skip
    if choice is not None and options[choice] != current:
        _switch_to(options[choice])
        st.rerun()
