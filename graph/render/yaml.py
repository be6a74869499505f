"""A data folder written as canonical, reviewable YAML: the style of the bundled map.

Each entry starts with its ids (``id``; ``from`` and ``to``), then one field per
line in the order ``graph.model`` declares them, then any other field in the
order given (``graph validate`` reports those). Entries are separated by a blank
line and may carry a comment saying where they came from. The file opens with a
comment block (``header``).

Every value is written by PyYAML's own emitter, so the quoting rules are the
library's: text that would read as something else (``yes``, ``3``, ``a: b``,
``#x``, a leading space) is single-quoted, and text holding a line break or a
character YAML cannot write as it is is double-quoted with escapes, on one line.
Any text therefore reads back unchanged through the safe loader. ``None`` is
left out, like a field the source does not give.

>>> print(entries_yaml("edges", [Item({"to": "b", "from": "a", "why": "yes: really"}, "row 2")], ["Made by hand."]))
# Made by hand.
<BLANKLINE>
edges:
<BLANKLINE>
  # row 2
  - from: a
    to: b
    why: 'yes: really'
<BLANKLINE>
>>> scalar("line one\\nline two"), scalar(["LA", "a, b"]), scalar(1.5), scalar(True)
('"line one\\\\nline two"', "[LA, 'a, b']", '1.5', 'true')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..model import EDGE_FIELDS, NODE_FIELDS

__all__ = ["Dumper", "Item", "entries_yaml", "scalar"]



class Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, which also quotes ``y``, ``Y``, ``n`` and ``N``: YAML 1.1 booleans that
    PyYAML reads as text but other readers (the page's js-yaml with its YAML 1.1 schema) as booleans.
    Every other YAML 1.1 boolean and null word (``yes``, ``off``, ``~``, ...) PyYAML quotes itself."""


Dumper.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$"), list("yYnN"))
_RESOLVE = Dumper("").resolve
_STR = "tag:yaml.org,2002:str"
# Text that is certainly plain in a block mapping value when the resolver reads it as text:
# no indicator first, no ': ' or ' #', no trailing space. Anything else goes through the emitter.
_BREAK = re.compile("[\n\r\x85\u2028\u2029]")  # YAML's line breaks: outside double quotes they would fold
_PLAIN = re.compile(r"[A-Za-z0-9][\w .,/()+'-]*(?<! )\Z")
_ORDER = {"nodes": list(NODE_FIELDS), "edges": list(EDGE_FIELDS)}


@dataclass
class Item:
    """One entry to write: its fields, and a note of where it came from (a comment), if any."""

    fields: dict
    source: str | None = None


def _dump(value, style=None) -> str:
    text = yaml.dump(value, Dumper=Dumper, default_flow_style=True, allow_unicode=True, width=2**30,
                     sort_keys=False, default_style=style)
    return text[:-5] if text.endswith("\n...\n") else text[:-1]


def scalar(value) -> str:
    """Return ``value`` as YAML text that fits on one line after ``key: ``.

    >>> scalar("3"), scalar("yes"), scalar("plain text"), scalar(" lead"), scalar("y"), scalar("~")
    ("'3'", "'yes'", 'plain text', "' lead'", "'y'", "'~'")
    """
    if isinstance(value, str) and _PLAIN.match(value) and _RESOLVE(yaml.ScalarNode, value, (True, False)) == _STR:
        return value
    text = _dump(value)
    if _BREAK.search(text):  # a line break or a folded long line: double quotes keep it on one line
        text = _dump(value, '"')
    return text


# What a comment cannot hold as it is: characters YAML does not allow, and line breaks (YAML's own
# \x85, \u2028 and \u2029 too), which would end the comment.
_NOT_IN_COMMENT = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def _comment(text: str) -> str:
    """Return ``text`` as the body of a one-line comment, what a comment cannot hold escaped.

    >>> _comment("a b\x1b[31m\u2028d")
    'a b\\\\x1b[31m\\\\u2028d'
    """
    return _NOT_IN_COMMENT.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                               else f"\\u{ord(m.group()):04x}", str(text))


def _ordered(fields: dict, order: list) -> list:
    known = [name for name in order if name in fields]
    return known + [name for name in fields if name not in order]


def entries_yaml(key: str, items: list[Item], header: list[str] = ()) -> str:
    """Return a data file: the ``header`` as comments, then ``key:`` and each item, fields in model order."""
    order = _ORDER.get(key, [])
    lines = [f"# {_comment(line)}".rstrip() for line in header]
    if lines:
        lines.append("")
    lines.append(f"{key}:" if items else f"{key}: []")
    for item in items:
        lines.append("")
        if item.source:
            lines.append(f"  # {_comment(item.source)}")
        names = [n for n in _ordered(item.fields, order) if item.fields[n] is not None]
        for i, name in enumerate(names):
            lead = "  - " if i == 0 else "    "
            lines.append(f"{lead}{scalar(str(name))}: {scalar(item.fields[name])}")
        if not names:
            lines.append("  - {}")
    return "\n".join(lines) + "\n"

