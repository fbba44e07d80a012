"""Exports never let a spreadsheet execute a cell (CSV injection), and keep numbers numeric."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from staffing.exports import (
    FORMULA_PREFIXES,
    XLSX_REPLACEMENT,
    neutralise,
    to_csv_bytes,
    to_xlsx_bytes,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Ann O'Brien", "Ann O'Brien"),
        ("", ""),
        (-3.5, -3.5),
        (7, 7),
    ],
)
def test_neutralise(value: object, expected: object) -> None:
    assert neutralise(value) == expected


def test_csv_neutralises_text_but_not_numbers() -> None:
    frame = pd.DataFrame(
        {"name": ["=cmd|' /C calc'!A0", "Bo"], "paid_hours": [-1.5, 8.0], "note": ["@x", "ok"]}
    )
    text = to_csv_bytes(frame).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["note"] == "'@x"
    assert rows[0]["paid_hours"] == "-1.5"
    assert rows[1]["name"] == "Bo"


@given(st.text(min_size=1))
def test_no_exported_text_cell_starts_with_a_formula_prefix(text: str) -> None:
    out = neutralise(text)
    assert isinstance(out, str)
    assert not out.startswith(FORMULA_PREFIXES)
    assert out.removeprefix("'") == text or out == text


def test_xlsx_cells_are_neutralised() -> None:
    import openpyxl

    data = to_xlsx_bytes({"roster": pd.DataFrame({"name": ["=1+1"], "cost": [12.5]})})
    sheet = openpyxl.load_workbook(io.BytesIO(data))["roster"]
    assert sheet["A2"].value == "'=1+1"
    assert sheet["B2"].value == 12.5


def test_xlsx_replaces_characters_a_workbook_cannot_hold_instead_of_crashing() -> None:
    # A frame edited in the app can hold a control character the loader would refuse;
    # openpyxl raised IllegalCharacterError on "\x01" and wrote an unreadable file for "\ufffe".
    import openpyxl

    frame = pd.DataFrame(
        {
            "name": ["Daniel\x01Okafor", "\x0b=1+1", "tab\tand\nnewline", "bad\ufffe"],
            "paid_hours": [8.0, 4.0, 2.0, 1.0],
            "note\x1f": ["a", "b", "c", "d"],
        }
    )
    data = to_xlsx_bytes({"roster": frame})
    sheet = openpyxl.load_workbook(io.BytesIO(data))["roster"]
    assert [c.value for c in sheet[1]] == ["name", "paid_hours", f"note{XLSX_REPLACEMENT}"]
    assert [sheet[f"A{i}"].value for i in range(2, 6)] == [
        f"Daniel{XLSX_REPLACEMENT}Okafor",
        f"{XLSX_REPLACEMENT}=1+1",
        "tab\tand\nnewline",
        f"bad{XLSX_REPLACEMENT}",
    ]
    assert sheet["A3"].data_type == "s"  # still text, not a formula
    assert sheet["B2"].value == 8.0
    # The CSV keeps the text exactly as it is.
    assert "Daniel\x01Okafor" in to_csv_bytes(frame).decode("utf-8-sig")


@given(st.text())
def test_any_text_exports_to_a_readable_workbook(text: str) -> None:
    import openpyxl

    data = to_xlsx_bytes({"roster": pd.DataFrame({"name": [text]})})
    value = openpyxl.load_workbook(io.BytesIO(data))["roster"]["A2"].value
    assert value is None or isinstance(value, str)
