"""The Store page keeps every store the session has loaded selectable (AppTest).

Before, picking a bundled sample dropped the "(uploaded or STAFFING_STORE)" option: the store
that was uploaded or configured could not be reached again without restarting the app.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.staffing.mini_store import write_mini_store

PAGE = "from ui import page_store\npage_store()"
RIVERSIDE = "Riverside Market (store, 35 people)"


class _Upload:
    """What ``st.file_uploader`` hands the page for one file."""

    def __init__(self, path: Path) -> None:
        self.name, self._data = path.name, path.read_bytes()

    def getvalue(self) -> bytes:
        return self._data


@pytest.fixture(autouse=True)
def private_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAFFING_DB", str(tmp_path / "app.sqlite3"))


def _option(at: AppTest, saying: str) -> str:
    """The one store on offer whose label says ``saying``."""
    (box,) = at.selectbox
    offered = [str(o) for o in box.options if saying in str(o)]
    assert len(offered) == 1, f"{saying!r} in none or several of {box.options}"
    return offered[0]


def test_the_configured_store_can_be_picked_again_after_a_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_mini_store(tmp_path / "mine")
    monkeypatch.setenv("STAFFING_STORE", str(folder))
    at = AppTest.from_string(PAGE, default_timeout=120).run()
    assert not at.exception
    assert at.title[0].value == "Mini Mart"
    assert at.selectbox[0].value == _option(at, "STAFFING_STORE")
    at.selectbox[0].set_value(RIVERSIDE).run()
    assert at.title[0].value == "Riverside Market"
    configured = _option(at, "STAFFING_STORE")  # was: only the samples were left
    at.selectbox[0].set_value(configured).run()
    assert not at.exception
    assert at.title[0].value == "Mini Mart"
    assert at.session_state["store_folder"] == str(folder)
    assert configured == "Mini Mart (STAFFING_STORE)"  # named, not "(uploaded or ...)"


def test_an_uploaded_store_can_be_picked_again_after_a_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_mini_store(tmp_path / "upload")
    files = [_Upload(p) for p in sorted(folder.iterdir())]
    monkeypatch.setattr(st, "file_uploader", lambda *a, **k: files)
    at = AppTest.from_string(PAGE, default_timeout=120).run()
    assert at.title[0].value == "Riverside Market"  # the app opens on the sample
    next(b for b in at.button if b.label == "Use these files").click().run()
    assert not at.exception
    assert at.title[0].value == "Mini Mart"
    uploaded = at.session_state["store_folder"]
    assert at.selectbox[0].value == _option(at, "uploaded")
    at.selectbox[0].set_value(RIVERSIDE).run()
    assert at.title[0].value == "Riverside Market"
    label = _option(at, "uploaded")  # was: only the samples were left
    at.selectbox[0].set_value(label).run()
    assert not at.exception
    assert at.title[0].value == "Mini Mart"
    assert at.session_state["store_folder"] == uploaded
    assert label.startswith("Mini Mart (uploaded ")
