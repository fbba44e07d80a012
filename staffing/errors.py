"""Errors a store manager can act on: bad input, and a database of saved work that fails.

Every piece of user input enters through :mod:`staffing.loader`; whatever is wrong there is
raised as one :class:`InputError` carrying all the :class:`Problem` s found, so a store manager
sees every mistake of a file at once instead of fixing them one traceback at a time. A database
of saved work (:mod:`staffing.persistence`) that cannot be opened, read or written raises one
:class:`StorageError` naming the file, what is wrong and what to do.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["InputError", "Problem", "StorageError"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Problem:
    """One thing wrong with one input value.

    Attributes
    ----------
    file : str
        File name as the user knows it (e.g. ``traffic.csv``).
    line : int | None
        1-based line number in the file (the header is line 1), or None for whole-file problems.
    field : str | None
        Column or key name, or None when the problem is not about one field.
    value : str | None
        The offending value as written, or None.
    expected : str
        What would have been accepted, in plain words.
    """

    file: str
    line: int | None = None
    field: str | None = None
    value: str | None = None
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.field is not None:
            where += f", field '{self.field}'"
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            return f"{where}: got {shown!r}; expected {self.expected}"
        return f"{where}: expected {self.expected}"


class InputError(ValueError):
    """Raised when user input is invalid; carries every :class:`Problem` found.

    ``str(error)`` lists the problems one per line (at most ``max_shown``, then a count), which
    is what the CLI prints and the app shows inline.
    """

    max_shown = 20

    def __init__(self, problems: Iterable[Problem], uncollected: int = 0) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        #: Problems found but not kept (a reader stops collecting after a few hundred).
        self.uncollected = uncollected
        if not self.problems:
            raise ValueError("InputError needs at least one problem")
        super().__init__(self._message())

    def _message(self) -> str:
        lines = [str(p) for p in self.problems[: self.max_shown]]
        hidden = len(self.problems) + self.uncollected - self.max_shown
        if hidden > 0:
            lines.append(f"... and {hidden} more problem(s) of the same kind")
        return "\n".join(lines)

    @classmethod
    def single(
        cls,
        file: str,
        expected: str,
        *,
        line: int | None = None,
        field: str | None = None,
        value: object = None,
    ) -> InputError:
        """Build an error with one problem (``value`` is shown as written, if given)."""
        shown = None if value is None else str(value)
        return cls([Problem(file=file, line=line, field=field, value=shown, expected=expected)])


class StorageError(Exception):
    """Raised when the database of saved work cannot be opened, read or written.

    Raised instead of the raw ``sqlite3`` error (``file is not a database``, ``database is
    locked``, ...), which does not name the file. ``str(error)`` is one message for the user:
    the file, what is wrong in plain words and what to do.

    Parameters
    ----------
    path : str or os.PathLike
        The database file (``STAFFING_DB`` or the default path).
    problem : str
        What is wrong, in plain words (e.g. ``"is locked: another program holds it"``).
    advice : str
        What to do about it (e.g. ``"move it aside or set STAFFING_DB to another file"``).
    """

    def __init__(self, path: str | os.PathLike[str], problem: str, advice: str) -> None:
        self.path = str(path)
        self.problem = problem
        self.advice = advice
        super().__init__(f"Saved-work database {self.path} {problem}. To fix: {advice}.")

    def __reduce__(self) -> tuple[type[StorageError], tuple[str, str, str]]:
        # picklable across processes (the default would call StorageError(message))
        return (type(self), (self.path, self.problem, self.advice))
