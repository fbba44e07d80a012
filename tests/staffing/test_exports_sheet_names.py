"""The XLSX export writes every frame to a sheet of its own, under a name Excel accepts; a
store's name becomes a safe part of a download's file name.

Excel refuses a sheet name that is empty, over 31 characters, holds ``/ \\ ? * : [ ]``, starts
or ends with an apostrophe or is ``History``, and takes names differing only in case for one
sheet. Each test opens the workbook back and checks every frame is there with its data.
"""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffing.exports import file_name_part, to_xlsx_bytes, xlsx_sheet_names

FORBIDDEN = "/\\?*:[]"


def _frames(names: list[str]) -> dict[str, pd.DataFrame]:
    """One small frame per name, each with values of its own (its position in ``names``)."""
    return {
        name: pd.DataFrame({"frame": [i, i], "name": [f"row {i}", "x"]})
        for i, name in enumerate(names)
    }


def _read_back(data: bytes) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Each sheet's name and rows (header first), in workbook order."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [(ws.title, [tuple(r) for r in ws.iter_rows(values_only=True)]) for ws in book]


def _assert_every_frame_kept(names: list[str]) -> list[str]:
    """Write one frame per name, read the workbook back, check each frame has its own sheet
    holding exactly its data, and return the sheet names."""
    sheets = _read_back(to_xlsx_bytes(_frames(names)))
    assert len(sheets) == len(names)
    for i, (_, rows) in enumerate(sheets):
        assert rows == [("frame", "name"), (i, f"row {i}"), (i, "x")]
    titles = [title for title, _ in sheets]
    assert titles == xlsx_sheet_names(names)
    return titles


def _assert_excel_accepts(title: str) -> None:
    assert title
    assert len(title.encode("utf-16-le")) // 2 <= 31
    assert not set(title) & set(FORBIDDEN)
    assert not title.startswith("'")
    assert not title.endswith("'")
    assert title.casefold() != "history"


def test_safe_unique_names_are_kept_as_they_are() -> None:
    assert _assert_every_frame_kept(["roster", "hours", "Requirements 2024-06"]) == [
        "roster",
        "hours",
        "Requirements 2024-06",
    ]


@pytest.mark.parametrize("char", list(FORBIDDEN))
def test_a_character_excel_forbids_becomes_an_underscore(char: str) -> None:
    assert _assert_every_frame_kept([f"north{char}south"]) == ["north_south"]


def test_names_alike_in_their_first_31_characters_get_a_sheet_each() -> None:
    prefix = "Roster for the flagship store, "  # 31 characters
    names = [prefix + "week 1", prefix + "week 2", prefix + "week 3"]
    titles = _assert_every_frame_kept(names)
    assert titles == [prefix, prefix[:27] + " (2)", prefix[:27] + " (3)"]
    # pandas reads the same frames back
    read = pd.read_excel(io.BytesIO(to_xlsx_bytes(_frames(names))), sheet_name=None)
    assert list(read) == titles
    for i, frame in enumerate(read.values()):
        pd.testing.assert_frame_equal(frame, _frames(names)[names[i]])


def test_names_that_differ_only_in_case_get_a_sheet_each() -> None:
    assert _assert_every_frame_kept(["Roster", "roster", "ROSTER"]) == [
        "Roster",
        "roster (2)",
        "ROSTER (3)",
    ]


def test_a_name_made_safe_does_not_take_the_sheet_of_another() -> None:
    assert _assert_every_frame_kept(["a/b", "a_b", "a_b (2)"]) == ["a_b", "a_b (2)", "a_b (2) (2)"]


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("", "Sheet"),
        ("'", "_"),
        ("''", "__"),
        ("'quoted'", "_quoted_"),
        ("O'Brien", "O'Brien"),  # an apostrophe inside a name is fine
        ("History", "History (2)"),  # reserved by Excel
        ("note\x01", "note_"),  # a control character a workbook cannot hold
    ],
)
def test_names_excel_refuses_are_made_acceptable(name: str, title: str) -> None:
    assert _assert_every_frame_kept([name]) == [title]
    _assert_excel_accepts(title)


def test_an_apostrophe_left_at_the_end_by_the_cut_is_replaced() -> None:
    name = "x" * 30 + "'tail"
    assert _assert_every_frame_kept([name]) == ["x" * 30 + "_"]


def test_the_cut_never_splits_a_character_outside_the_basic_plane() -> None:
    (title,) = _assert_every_frame_kept(["\N{GRINNING FACE}" * 20])
    assert title == "\N{GRINNING FACE}" * 15  # 30 UTF-16 code units; a 16th would need 32
    _assert_excel_accepts(title)


@settings(max_examples=60)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.text(alphabet="ab'/[]Hh ", max_size=35),
            st.sampled_from(["", "'", "History", "x" * 31, "x" * 32, "X" * 33]),
        ),
        min_size=1,
        max_size=6,
        unique=True,
    )
)
def test_every_frame_gets_a_sheet_excel_accepts(names: list[str]) -> None:
    titles = _assert_every_frame_kept(names)
    for title in titles:
        _assert_excel_accepts(title)
    assert len({t.casefold() for t in titles}) == len(titles)


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("Riverside Market", "Riverside-Market"),
        ("A/B: Café & Co.", "A-B-Café-Co"),
        ("../../etc", "etc"),
        ("***", "store"),
        ("x" * 80, "x" * 60),
    ],
)
def test_a_store_name_becomes_a_safe_part_of_a_file_name(name: str, part: str) -> None:
    assert file_name_part(name) == part
