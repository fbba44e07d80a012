"""Safe exports: CSV (and XLSX) that a spreadsheet opens without executing anything.

Names and notes come from users; a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return) would be run as a formula by Excel or LibreOffice ("CSV injection"). Every text
cell the product writes goes through :func:`neutralise`, which prefixes such cells with an
apostrophe, the convention spreadsheets show as plain text. Numbers stay numbers.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "neutralise",
    "safe_frame",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "write_csv",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Return ``value`` with a leading apostrophe if it is text a spreadsheet would execute."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (object/string columns) are neutralised."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as safe UTF-8 CSV bytes (with BOM, so spreadsheets detect the encoding)."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write the frame as a safe CSV file and return its path."""
    target = Path(path)
    target.write_bytes(to_csv_bytes(frame))
    return target


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per frame, text cells neutralised as in the CSV."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe_frame(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
