"""Reading user CSV files with line numbers, and parsing their cells with clear errors."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from staffing.errors import InputError, Problem

__all__ = [
    "MOST_PER_HOUR",
    "Table",
    "number_text",
    "parse_clock",
    "parse_float",
    "parse_int",
    "read_table",
    "read_text",
]

#: Most money per hour (wage or cost, in any currency) an input may give: more is a typo.
MOST_PER_HOUR = 1e7


def read_text(path: Path, display: str) -> str:
    """Read a whole file as UTF-8 (a BOM is accepted).

    Raises
    ------
    InputError
        If the file is missing or not UTF-8 (naming the line of the first bad byte).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError.single(display, "this file to exist") from None
    except OSError as exc:
        raise InputError.single(display, f"a readable file ({exc.strerror})") from None
    save = "'CSV UTF-8'" if display.lower().endswith(".csv") else "UTF-8"
    if raw.count(b"\x00") * 4 >= len(raw) > 0:  # valid UTF-8, but UTF-16 without its BOM
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError.single(
            display,
            f"UTF-8 text (every other byte is 0, as in UTF-16; save the file as {save})",
            line=line,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise InputError.single(
            display,
            f"UTF-8 text (byte 0x{bad} is not UTF-8; save the file as {save})",
            line=line,
        ) from None


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV file as text cells: ``rows[i][column]`` with ``lines[i]`` its line number.

    ``problems`` names the rows left out because their number of fields is wrong; the reader
    of the file reports them with whatever else it finds in the other rows.
    """

    file: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    lines: tuple[int, ...]
    problems: tuple[Problem, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)


def read_table(
    path: Path,
    display: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    allow_empty: bool = False,
) -> Table:
    """Read a CSV file with a header row, checking its columns.

    Blank lines are skipped; every row keeps its 1-based line number (header = line 1). A missing
    column is reported with the closest unknown column as a likely misspelling; unknown columns
    are an error too (a misspelled optional column must not be silently ignored). A row with the
    wrong number of fields is left out and named in ``Table.problems``, so that the caller
    reports it together with the problems of the other rows (raising here hid them until the
    next attempt).
    """
    text = read_text(path, display)
    if not text.strip():
        raise InputError.single(display, f"a header row with columns {', '.join(required)}")
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    line_no = 0
    records = iter(reader)
    while True:
        begins = reader.line_num + 1  # the line this record starts on
        try:
            record = next(records)
        except StopIteration:
            break
        except csv.Error as exc:  # an unclosed quote runs on to the end of the file
            raise InputError.single(
                display,
                f'a closing quote (") for the quoted field that starts here ({exc})',
                line=begins,
            ) from None
        line_no = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [c.strip() for c in record]
            problems.extend(_check_header(display, header, required, optional))
            if problems:
                raise InputError(problems)
            continue
        if len(record) != len(header) and any("\n" in cell for cell in record):
            # an unclosed quote swallowed the lines after it (the lenient reader does not say)
            problems.append(
                Problem(
                    file=display,
                    line=begins,
                    value=text.splitlines()[begins - 1] if begins <= len(text.splitlines()) else "",
                    expected='a closing quote (") for the quoted field that starts on this '
                    "line (it swallowed the rest of the line and the lines after it)",
                )
            )
            continue
        if len(record) != len(header):
            problems.append(
                Problem(
                    file=display,
                    line=line_no,
                    value=",".join(record),
                    expected=f"{len(header)} comma-separated fields (found {len(record)})",
                )
            )
            continue
        rows.append({h: c.strip() for h, c in zip(header, record, strict=True)})
        lines.append(line_no)
    assert header is not None
    if not rows and not problems and not allow_empty:
        raise InputError.single(display, "at least one data row below the header", line=2)
    return Table(display, tuple(header), tuple(rows), tuple(lines), tuple(problems))


def _check_header(
    display: str, header: list[str], required: Sequence[str], optional: Sequence[str]
) -> list[Problem]:
    known = tuple(dict.fromkeys((*required, *optional)))  # in the order documented
    for sep in (";", "\t"):
        cells = [c.strip() for c in ",".join(header).split(sep)]
        if len(header) < len(required) and sum(c in known for c in cells) >= len(required):
            # a spreadsheet in a locale whose list separator is ';' saves such a file
            name = "semicolons" if sep == ";" else "tabs"
            return [
                Problem(
                    file=display, line=1, value=",".join(header),
                    expected=f"a comma-separated file: this one is separated by {name} "
                    "(in a spreadsheet, save as 'CSV UTF-8 (comma delimited)')",
                )
            ]  # fmt: skip
    unknown = [h for h in header if h not in known]
    problems = []
    for col in required:
        if col not in header:
            close = difflib.get_close_matches(col, unknown, n=1, cutoff=0.6)
            hint = f" (is '{close[0]}' a misspelling?)" if close else ""
            problems.append(
                Problem(file=display, line=1, field=col, expected=f"a column named '{col}'{hint}")
            )
    for col in unknown:
        close = difflib.get_close_matches(col, list(known), n=1, cutoff=0.6)
        if close and close[0] in header:
            close = []
        hint = f"; did you mean '{close[0]}'?" if close else ""
        problems.append(
            Problem(
                file=display,
                line=1,
                field=col,
                value=col,
                expected=f"only the columns {', '.join(known)}{hint}",
            )
        )
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(
                Problem(file=display, line=1, field=col, expected="each column name once")
            )
        seen.add(col)
    return problems


def parse_float(
    file: str,
    line: int | None,
    field: str,
    text: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """Parse a finite number (``minimum`` and ``maximum`` inclusive), or raise an InputError
    naming the cell."""
    expected = _range("a number", minimum, maximum)
    try:
        if "_" in text:  # Python reads 1_0 as 10; a spreadsheet or a person would not
            raise ValueError(text)
        value = float(text)
    except ValueError:
        raise InputError.single(file, expected, line=line, field=field, value=text) from None
    if (
        not math.isfinite(value)
        or (minimum is not None and value < minimum)
        or (maximum is not None and value > maximum)
    ):
        raise InputError.single(file, expected, line=line, field=field, value=text)
    return value


def parse_int(
    file: str,
    line: int | None,
    field: str,
    text: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """Parse a whole number (``minimum`` and ``maximum`` inclusive), or raise an InputError
    naming the cell."""
    expected = _range("a whole number", minimum, maximum)
    try:
        if "_" in text:  # as parse_float: 1_0 is not ten here
            raise ValueError(text)
        value = int(text)
    except ValueError:
        raise InputError.single(file, expected, line=line, field=field, value=text) from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise InputError.single(file, expected, line=line, field=field, value=text)
    return value


def _range(kind: str, minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return f"{kind} from {number_text(minimum)} to {number_text(maximum)}"
    if minimum is not None:
        return f"{kind} >= {number_text(minimum)}"
    if maximum is not None:
        return f"{kind} <= {number_text(maximum)}"
    return kind


def number_text(x: float) -> str:
    """A bound as messages show it: ``10,000,000``, ``0.5``."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"


def parse_clock(
    file: str, line: int | None, field: str, text: str, *, is_end: bool = False
) -> dt.time:
    """Parse ``HH:MM`` (``24:00`` allowed when ``is_end``; returned as 00:00 = midnight)."""
    expected = "a time HH:MM between 00:00 and 24:00" if is_end else "a time HH:MM, 00:00-23:59"
    parts = text.split(":")
    if len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[1]) == 2:
        hour, minute = int(parts[0]), int(parts[1])
        if is_end and hour == 24 and minute == 0:
            return dt.time(0, 0)
        if 0 <= hour <= 23 and 0 <= minute <= 59:
            return dt.time(hour, minute)
    raise InputError.single(file, expected, line=line, field=field, value=text)
