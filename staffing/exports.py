"""Safe exports: CSV (and XLSX) that a spreadsheet opens without executing anything.

Names and notes come from users; a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return) would be run as a formula by Excel or LibreOffice ("CSV injection"). Every text
cell the product writes goes through :func:`neutralise`, which prefixes such cells with an
apostrophe, the convention spreadsheets show as plain text. Numbers stay numbers.

An XLSX file cannot hold every character a CSV can: control characters other than tab, line
feed and carriage return (a name pasted from another system), lone surrogates and U+FFFE/U+FFFF
are not allowed in its XML. The XLSX export shows each of them as :data:`XLSX_REPLACEMENT`
instead of failing (or writing a workbook that does not open); the CSV keeps them as they are.
Sheet names have rules of their own, which :func:`to_xlsx_bytes` applies to the names it is
given (see :func:`xlsx_sheet_names`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "XLSX_REPLACEMENT",
    "file_name_part",
    "neutralise",
    "safe_frame",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "write_csv",
    "xlsx_sheet_names",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_REPLACEMENT = "\ufffd"
"""What the XLSX export shows instead of a character a workbook cannot hold (U+FFFD)."""
# Characters outside XML 1.0's Char production, which openpyxl refuses or writes unreadably.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What Excel refuses in a sheet name, on top of the characters above.
_NOT_IN_SHEET_NAME = re.compile(r"[\\/?*:\[\]]|" + _NOT_IN_XLSX.pattern)
_SHEET_NAME_MAX = 31  # Excel's limit, in UTF-16 code units


def file_name_part(text: str) -> str:
    """``text`` (a store's name, say) as part of a download's file name: letters, digits, ``_``
    and ``-`` only, at most 60 characters; ``store`` when nothing is left."""
    return re.sub(r"[^\w-]+", "-", text).strip("-_")[:60] or "store"


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


def _utf16_cut(text: str, limit: int) -> str:
    """The longest start of ``text`` that is at most ``limit`` UTF-16 code units long."""
    used = 0
    for i, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return text[:i]
    return text


def xlsx_sheet_names(names: Iterable[str]) -> list[str]:
    """The sheet names :func:`to_xlsx_bytes` writes for ``names``, in the same order.

    Excel refuses a sheet name that is empty, longer than 31 characters, holds one of
    ``/ \\ ? * : [ ]``, starts or ends with an apostrophe, or is ``History``, and it takes
    names that differ only in case for the same sheet. So each name is made safe in turn:

    1. each of ``/ \\ ? * : [ ]`` and each character a workbook cannot hold (see the module
       docstring) becomes ``_``;
    2. the name is cut to 31 characters (UTF-16 code units, as Excel counts them; a character
       outside the Basic Multilingual Plane is never split);
    3. an apostrophe at either end becomes ``_``, and an empty name becomes ``Sheet``;
    4. a name already taken by an earlier sheet (compared regardless of case), or ``History``,
       gets the first free suffix `` (2)``, `` (3)``, ... (the name cut to leave room for it),
       as Excel names a copied sheet.

    A name that is already safe and unique is kept as it is.

    Parameters
    ----------
    names : iterable of str
        The sheet names asked for (non-text names are written as text).

    Returns
    -------
    list of str
        One safe name per name given, no two alike regardless of case.
    """
    taken: set[str] = set()
    out: list[str] = []
    for name in names:
        base = _utf16_cut(_NOT_IN_SHEET_NAME.sub("_", str(name)), _SHEET_NAME_MAX)
        if base.startswith("'"):
            base = "_" + base[1:]
        if base.endswith("'"):
            base = base[:-1] + "_"
        base = base or "Sheet"
        safe, number = base, 1
        while safe.casefold() in taken or safe.casefold() == "history":
            number += 1
            suffix = f" ({number})"
            safe = _utf16_cut(base, _SHEET_NAME_MAX - len(suffix)) + suffix
        taken.add(safe.casefold())
        out.append(safe)
    return out


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per frame, text cells neutralised as in the CSV.

    Text cells and column names holding characters a workbook cannot hold (see the module
    docstring) show :data:`XLSX_REPLACEMENT` in their place; the export never fails on them.

    Parameters
    ----------
    sheets : dict of str to DataFrame
        Frames by sheet name, written in this order. Each name is made one Excel accepts
        and unique regardless of case, as :func:`xlsx_sheet_names` describes, so the export
        never fails on a name and every frame gets a sheet of its own.

    Returns
    -------
    bytes
        The ``.xlsx`` workbook (written with openpyxl), index left out.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in zip(xlsx_sheet_names(sheets), sheets.values(), strict=True):
            out = safe_frame(frame)
            for col in out.columns:
                if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
                    out[col] = out[col].map(_xlsx_text)
            out.columns = [str(_xlsx_text(c)) for c in out.columns]
            out.to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()
