"""How terminal text looks: colour or none, and the characters trees are drawn with.

Text renderers take a :class:`Style`; the default, :data:`PLAIN`, adds nothing,
so their output stays plain text for files and pipes.

>>> Style(color=True).paint("calculus", "id")
'\\x1b[36mcalculus\\x1b[0m'
>>> PLAIN.paint("calculus", "id"), Style(charset="ascii").branches
('calculus', ('|-- ', '`-- ', '|   ', '    '))
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CHARSETS", "PLAIN", "ROLES", "Style"]

#: What each kind of text looks like in colour (SGR codes).
ROLES = {
    "heading": "1",  # bold
    "id": "36",  # cyan
    "number": "1",
    "hours": "32",  # green
    "dim": "2",  # the tree's branches, labels such as "learn with"
    "error": "1;31",
    "warning": "1;33",
    "note": "1;34",
}

#: Tree branches: (a child, the last child, the line past a child, the space past the last one).
CHARSETS = {
    "utf8": ("├── ", "└── ", "│   ", "    "),
    "ascii": ("|-- ", "`-- ", "|   ", "    "),
}


@dataclass(frozen=True)
class Style:
    """``color``: wrap text in ANSI colours; ``charset``: ``utf8`` or ``ascii`` tree branches."""

    color: bool = False
    charset: str = "utf8"

    def paint(self, text: str, role: str) -> str:
        """Return ``text`` coloured for ``role`` (one of :data:`ROLES`), or unchanged without colour."""
        if not self.color or not text:
            return text
        return f"\x1b[{ROLES[role]}m{text}\x1b[0m"

    @property
    def branches(self) -> tuple[str, str, str, str]:
        """The tree's branch strings for this charset, coloured as ``dim``."""
        return tuple(self.paint(b, "dim") if b.strip() else b for b in CHARSETS[self.charset])


PLAIN = Style()
