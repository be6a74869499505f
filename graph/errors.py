"""Diagnostics about data files, and the errors a user can cause.

>>> print(Diagnostic("data/nodes.yaml", 3, "error", "duplicate id 'x'"))
data/nodes.yaml:3: error: duplicate id 'x'
>>> print(Diagnostic("n.yaml", 1, "error", "bad name 'a\\nb\\x1b[31m'"))
n.yaml:1: error: bad name 'a\\nb\\x1b[31m'
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable

from .sinks import terminal

__all__ = ["DataError", "Diagnostic", "UnknownIdError", "did_you_mean", "terminal_safe"]




def terminal_safe(text) -> str:
    """Return ``text`` on one line, control characters and line separators written as escapes
    (the terminal's escaper, :func:`graph.sinks.terminal`).

    >>> terminal_safe("moved\\x1b[2J\\nto")
    'moved\\\\x1b[2J\\\\nto'
    """
    return terminal(text)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in a data file, printed as ``path:line: level: message``."""

    path: str
    line: int
    level: str  # "error", "warning" or "note"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line > 0 else self.path
        # Escaped for the terminal: each diagnostic stays one line and cannot drive it.
        return terminal(f"{where}: {self.level}: {self.message}")

    def to_dict(self) -> dict:
        """Return the diagnostic as a JSON-ready mapping."""
        return {"path": self.path, "line": self.line, "level": self.level, "message": self.message}


class DataError(Exception):
    """The data folder holds errors; ``diagnostics`` lists all of them."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.level == "error"]
        super().__init__(f"{len(errors)} error(s) in the data")


class UnknownIdError(LookupError):
    """A command named a node id that the graph does not hold."""

    def __init__(self, node_id: str, suggestions: list[str]):
        self.node_id = node_id
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"unknown id '{node_id}'{hint}")


def did_you_mean(word: str, choices: Iterable[str], n: int = 3) -> str:
    """Return a ``"; did you mean 'x'?"`` suffix for ``word``, or ``""``.

    >>> did_you_mean("topik", ["topic", "resource", "degree"])
    "; did you mean 'topic'?"
    >>> did_you_mean("zzz", ["topic"])
    ''
    """
    matches = difflib.get_close_matches(str(word), list(choices), n=n, cutoff=0.6)
    if not matches:
        return ""
    return "; did you mean " + " or ".join(repr(m) for m in matches) + "?"
