"""Safe exports: CSV (and XLSX) that a spreadsheet opens without executing anything.

Names and notes come from users; a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return) would be run as a formula by Excel or LibreOffice ("CSV injection"). Every text
cell the product writes goes through :func:`neutralise`, which prefixes such cells with an
apostrophe, the convention spreadsheets show as plain text. Numbers stay numbers.

An XLSX file cannot hold every character a CSV can: control characters other than tab, line
feed and carriage return (a name pasted from another system), lone surrogates and U+FFFE/U+FFFF
are not allowed in its XML. The XLSX export shows each of them as :data:`XLSX_REPLACEMENT`
instead of failing (or writing a workbook that does not open); the CSV keeps them as they are.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "XLSX_REPLACEMENT",
    "neutralise",
    "safe_frame",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "write_csv",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_REPLACEMENT = "\ufffd"
"""What the XLSX export shows instead of a character a workbook cannot hold (U+FFFD)."""
# Characters outside XML 1.0's Char production, which openpyxl refuses or writes unreadably.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def neutralise(value: object) -> object:
    """Return ``value`` with a leading apostrophe if it is text a spreadsheet would execute.

    Parameters
    ----------
    value : object
        A cell value.

    Returns
    -------
    object
        ``"'" + value`` for text starting with one of :data:`FORMULA_PREFIXES`, else ``value``
        unchanged (numbers stay numbers).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (object/string columns) are neutralised.

    Parameters
    ----------
    frame : DataFrame
        The frame to export; it is not changed.

    Returns
    -------
    DataFrame
        The copy, its column names neutralised too (and made text).
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as safe UTF-8 CSV bytes (with BOM, so spreadsheets detect the encoding).

    Parameters
    ----------
    frame : DataFrame
        The frame to export (its index is left out).

    Returns
    -------
    bytes
        The CSV text of :func:`safe_frame`, encoded ``utf-8-sig``.
    """
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write the frame as a safe CSV file and return its path.

    Parameters
    ----------
    frame : DataFrame
        The frame to write (as :func:`to_csv_bytes`).
    path : str or Path
        The file; replaced if it exists. Its folder must exist.

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path`.

    Raises
    ------
    OSError
        When the file cannot be written.
    """
    target = Path(path)
    target.write_bytes(to_csv_bytes(frame))
    return target


def _xlsx_text(value: object) -> object:
    """``value`` with characters a workbook cannot hold replaced by :data:`XLSX_REPLACEMENT`."""
    if isinstance(value, str):
        return _NOT_IN_XLSX.sub(XLSX_REPLACEMENT, value)
    return value


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per frame, text cells neutralised as in the CSV.

    Text cells and column names holding characters a workbook cannot hold (see the module
    docstring) show :data:`XLSX_REPLACEMENT` in their place; the export never fails on them.

    Parameters
    ----------
    sheets : dict of str to DataFrame
        Frames by sheet name; names are cut to Excel's 31 characters (two names alike in
        their first 31 characters are written to one sheet).

    Returns
    -------
    bytes
        The ``.xlsx`` workbook (written with openpyxl), index left out.

    Raises
    ------
    ValueError
        From openpyxl, when a sheet name holds a character Excel refuses (``/ \\ ? * : [ ]``).
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            out = safe_frame(frame)
            for col in out.columns:
                if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
                    out[col] = out[col].map(_xlsx_text)
            out.columns = [str(_xlsx_text(c)) for c in out.columns]
            out.to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
