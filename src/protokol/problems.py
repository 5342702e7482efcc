"""Problems found in user files: plain values with a position, collected in lists and never raised (beancount style)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

ERROR = "error"
WARNING = "warning"


class Pos(NamedTuple):
    """A 1-based line and column in a file (column counts characters, not bytes). A tuple, because the reader
    makes one for every node of every file: a tuple is made five times faster than a frozen dataclass."""

    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    col: int
    severity: str
    code: str
    message: str
    hint: str = ""
    related: tuple[tuple[int, int], ...] = field(default=())  # other lines that take part (e.g. the first of two duplicate keys)

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.col, self.code, self.message)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


class Collector:
    """Gathers problems for one file; `at` builds a Problem from a position."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, pos: Pos | None, code: str, message: str, hint: str = "", severity: str = ERROR, related=()) -> None:
        line, col = (pos.line, pos.col) if pos else (1, 1)
        self.problems.append(Problem(self.file, line, col, severity, code, message, hint, tuple(related)))

    def warn(self, pos: Pos | None, code: str, message: str, hint: str = "") -> None:
        self.add(pos, code, message, hint, severity=WARNING)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)
