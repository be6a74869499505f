"""Where text leaves the tool, and the escaper of each sink: the terminal, a CI log, Markdown.

Text from the data or from an imported file (a name, a CSV header, a JSON key,
a folder's name) is untrusted: printed as it is, it could drive a terminal
(escape sequences), forge a CI workflow command (a line break and ``::error::``)
or inject links and HTML into Markdown. Every such text passes through the
escaper of the sink it is printed to:

* :func:`terminal`: control characters (but tab), line separators and the
  bidirectional controls that reorder what a reader sees are written as escapes
  (``\\x1b``, ``\\n``, ``\\u202e``), so a message stays one line and inert;
* :func:`ci_log`: a line of a CI log, as :func:`terminal` and never a workflow
  command (a line that would begin with ``::`` is indented);
  :func:`command_data` and :func:`command_property` escape the parts of a
  workflow command as GitHub's runner expects;
* :func:`markdown`: on one line, every character that could form Markdown or
  HTML backslash-escaped.

>>> print(terminal("bad name 'a\\nb\\x1b[31m'"))
bad name 'a\\nb\\x1b[31m'
>>> print(ci_log("/tmp/d\\n::error::forged: valid"))
/tmp/d\\n::error::forged: valid
>>> markdown("a *b* <script>")
'a \\\\*b\\\\* \\\\<script\\\\>'
"""

from __future__ import annotations

import re

__all__ = ["ci_log", "command_data", "command_property", "markdown", "terminal"]

_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0)) if c != 0x09}
_ESCAPES.update({0x0A: "\\n", 0x0D: "\\r"})
_ESCAPES.update({c: f"\\u{c:04x}" for c in (0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_LINES = {k: v for k, v in _ESCAPES.items() if k != 0x0A}


def terminal(text, lines: bool = False) -> str:
    """Return ``text`` safe to print to a terminal; ``lines``: keep its line feeds (a multi-line text)."""
    return str(text).translate(_LINES if lines else _ESCAPES)


def ci_log(text) -> str:
    """Return ``text`` as one line of a CI log that no runner reads as a workflow command."""
    line = terminal(text)
    return " " + line if line.lstrip().startswith("::") else line


def command_data(text) -> str:
    """Escape a workflow command's message: ``%``, carriage return and line feed (``@actions/core``'s
    ``escapeData``)."""
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def command_property(text) -> str:
    """Escape a workflow command's property value: as a message, and ``:`` and ``,`` (``escapeProperty``)."""
    return command_data(text).replace(":", "%3A").replace(",", "%2C")


# Characters that can start Markdown or HTML syntax inline (emphasis, code, links,
# images, tags, entities, tables, strike-through), GitHub references (#1, @user)
# and math ($). Other punctuation stays readable in the raw text.
_SPECIAL = re.compile(r"([\\`*_\[\]<>!&|~#@$])")


def markdown(text) -> str:
    """Return ``text`` on one line with every character that could form Markdown or HTML backslash-escaped
    (and, as for a terminal, control characters as escapes)."""
    return _SPECIAL.sub(r"\\\1", terminal(" ".join(str(text).split())))
