"""Import the graphs people already have into a new data folder.

Each format has its module (:mod:`.csv` for CSV and TSV edge lists and node
tables, :mod:`.graphml`, :mod:`.nodelink` for NetworkX node-link JSON) that
reads its sources into an :class:`Imported`: the node and edge entries to write,
each with a note of the source row it came from, and the header comment of the
written files. :func:`folder_files` renders it as canonical YAML
(:mod:`graph.render.yaml`) and :func:`write_folder` writes it.

What every format shares:

* The import is faithful: cycles, duplicate edges, duplicate ids and edges
  naming ids the node table lacks are written as they are, so ``graph
  validate`` reports each with a line in the written YAML, where a comment
  names the source row.
* An id that is not a slug (``Gradient_descent``) is slugified
  (``gradient-descent``) and the original kept as an alias, so search and "did
  you mean" still find it. Left as they were, every such id would be an error
  and the import useless; slugifying is deterministic, so edges and the node
  table agree. An id with nothing to slugify (only punctuation, or a script
  with no ASCII form) is kept as it is, for ``validate`` to report.
* Nodes that appear only in edges become topics named from their original ids,
  underscores turned to spaces; with a node table (CSV), they are not made up:
  the edges keep naming them and ``validate`` reports the missing ids.
* Attributes that are not fields of the data format (Gephi's ``x``, ``y``,
  ``weight``; a table's extra columns) are left out, and the header says which.

>>> make_id("Gradient_descent"), make_id("linear-algebra"), make_id("Ångström units"), make_id("???")
('gradient-descent', 'linear-algebra', 'angstrom-units', '???')
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..model import EDGE_FIELDS, NODE_FIELDS
from ..render.text import plural
from ..render.yaml import Item, entries_yaml
from ..validate import SLUG

__all__ = ["Builder", "ImportFailure", "Imported", "Item", "coerce", "field_for", "folder_files",
           "make_id", "read_text", "write_folder"]

_NODES, _EDGES = "nodes.yaml", "edges.yaml"


class ImportFailure(Exception):
    """A source or an option cannot be used; the message names the file, line or option."""


@dataclass
class Imported:
    """What an import read: entries to write, and notes on what it did (for the header and the user)."""

    fmt: str
    sources: list[str]
    nodes: list[Item] = field(default_factory=list)
    edges: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def header(self, key: str) -> list[str]:
        """Return the comment lines that open the written ``key`` file."""
        lines = [f"Imported by 'graph import {self.fmt}' from {', '.join(self.sources)}.",
                 "Each entry's comment names the source row it came from; 'graph validate' checks the result."]
        return lines + [f"Note: {note}" for note in self.notes]


def make_id(raw: str) -> str:
    """Return ``raw`` as a slug id: lowercase ASCII letters and digits joined by ``-``; ``raw`` if none is left."""
    if SLUG.match(raw):
        return raw
    ascii_text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug or raw


def _name_of(raw: str) -> str:
    return raw.replace("_", " ").strip() or raw


class Builder:
    """Collects an import's entries: ids made into slugs, topics made for ids only edges name.

    ``topics=False`` (a node table was given) leaves ids the nodes lack as they
    are, for ``validate`` to report.

    >>> b = Builder("csv", ["e.csv"])
    >>> b.edge("Linear_algebra", "ml", {}, "e.csv line 2")
    >>> [item.fields for item in b.finish().nodes]
    [{'id': 'linear-algebra', 'name': 'Linear algebra', 'kind': 'topic', 'aliases': ['Linear_algebra']}, \
{'id': 'ml', 'name': 'ml', 'kind': 'topic'}]
    """

    def __init__(self, fmt: str, sources: list[str], topics: bool = True):
        self.imported = Imported(fmt, [str(s) for s in sources])
        self.topics = topics
        self.changed: dict[str, str] = {}  # original id -> slug
        self.in_edges: dict[str, dict[str, str]] = {}  # id -> {original: first source}
        self.dropped: dict[str, set] = {"nodes": set(), "edges": set()}
        self.unnamed = 0

    def make(self, raw) -> str:
        """Return the data id for the source id ``raw``."""
        raw = str(raw)
        made = make_id(raw)
        if made != raw:
            self.changed[raw] = made
        return made

    def _alias(self, fields: dict, raw: str) -> None:
        if raw in self.changed:
            aliases = fields.get("aliases")
            aliases = list(aliases) if isinstance(aliases, list) else []
            if raw not in aliases:
                fields["aliases"] = [*aliases, raw]

    def node(self, raw_id, fields: dict, source: str) -> None:
        """Add a node entry with id ``raw_id`` (made a slug) and ``fields``.

        ``kind`` defaults to topic, ``name`` to the original id with underscores as spaces.
        """
        raw = str(raw_id)
        entry = {"id": self.make(raw), **{k: v for k, v in fields.items() if k != "id"}}
        if "name" not in entry:
            entry["name"] = _name_of(raw)
            self.unnamed += 1
        entry.setdefault("kind", "topic")
        self._alias(entry, raw)
        self.imported.nodes.append(Item(entry, source))

    def edge(self, raw_from, raw_to, fields: dict, source: str) -> None:
        """Add an edge entry from ``raw_from`` to ``raw_to`` (both made slugs) with ``fields``."""
        entry = {}
        for end, raw in (("from", str(raw_from)), ("to", str(raw_to))):
            entry[end] = self.make(raw)
            self.in_edges.setdefault(entry[end], {}).setdefault(raw, source)
        entry.update((k, v) for k, v in fields.items() if k not in ("from", "to"))
        self.imported.edges.append(Item(entry, source))

    def drop(self, scope: str, name: str) -> None:
        """Record that attribute ``name`` of ``scope`` (nodes or edges) is not a field and was left out."""
        self.dropped[scope].add(str(name))

    def note(self, text: str) -> None:
        """Add a note to the written files' header."""
        self.imported.notes.append(text)

    def finish(self) -> Imported:
        """Return the import, with topics made for ids only edges name and the notes complete."""
        imported = self.imported
        if self.topics:
            defined = {item.fields.get("id") for item in imported.nodes}
            made = 0
            for node_id, raws in self.in_edges.items():
                if node_id in defined or not node_id:
                    continue
                for raw, source in raws.items():  # two originals made one slug: two entries, a duplicate id
                    fields = {"id": node_id, "name": _name_of(raw), "kind": "topic"}
                    self._alias(fields, raw)
                    imported.nodes.append(Item(fields, f"{source}: named in an edge only"))
                    made += 1
            if made:
                self.note(f"{plural(made, 'node')} named only in edges made into topics")
        if self.unnamed:
            self.note(f"{plural(self.unnamed, 'node')} without a name named from "
                      f"{'their ids' if self.unnamed != 1 else 'its id'}")
        if self.changed:
            n = len(self.changed)
            raw, slug = next(iter(self.changed.items()))
            self.note(f"{plural(n, 'id')} made into slugs, the original kept as an alias "
                      f"(e.g. '{raw}' -> '{slug}')")
        parts = [f"{', '.join(sorted(names))} ({scope})" for scope, names in self.dropped.items() if names]
        if parts:
            self.note(f"attributes that are not fields of the data format, left out: {'; '.join(parts)}")
        return imported


_FIELDS = {"nodes": NODE_FIELDS, "edges": EDGE_FIELDS}
# What drawing tools and other writers call some fields.
_SYNONYMS = {"nodes": {"label": "name", "title": "name", "description": "summary", "link": "url",
                       "type": "kind", "alias": "aliases"},
             "edges": {"label": "relation", "type": "relation", "reason": "why", "description": "why"}}
_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0"}
_INT = re.compile(r"[-+]?\d+\Z")


def field_for(scope: str, name: str) -> str | None:
    """Return the field of ``scope`` (``nodes`` or ``edges``) an attribute called ``name`` maps to, or ``None``.

    >>> field_for("nodes", "Label"), field_for("nodes", "url"), field_for("nodes", "x"), field_for("edges", "why")
    ('name', 'url', None, 'why')
    """
    fields = _FIELDS[scope]
    if name in fields:
        return name
    folded = name.strip().casefold().replace(" ", "_")
    for known in fields:
        if known.casefold() == folded:
            return known
    return _SYNONYMS[scope].get(folded)


def coerce(scope: str, name: str, text: str):
    """Return the text of a cell or attribute as the type field ``name`` takes; the text if it does not parse.

    A value that does not parse is kept as it is, so that ``validate`` reports it.
    Lists are written ``a; b; c``.

    >>> coerce("nodes", "hours", "2.5"), coerce("nodes", "hours", "3"), coerce("nodes", "hours", "lots")
    (2.5, 3, 'lots')
    >>> coerce("nodes", "free", "Yes"), coerce("nodes", "aliases", "LA; lin alg"), coerce("nodes", "name", "1")
    (True, ['LA', 'lin alg'], '1')
    """
    spec = _FIELDS[scope].get(name)
    if spec is None or str in spec.types:
        return text
    stripped = text.strip()
    if bool in spec.types:
        lowered = stripped.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else text
    if int in spec.types:
        try:
            if _INT.match(stripped):
                return int(stripped)
            number = float(stripped)
        except ValueError:  # not a number, or too many digits to convert
            return text
        return int(number) if number.is_integer() and "." not in stripped and "e" not in stripped.lower() \
            else number
    if list in spec.types:
        return [part.strip() for part in text.split(";") if part.strip()]
    return text


def folder_files(imported: Imported) -> dict[str, str]:
    """Return ``{"nodes.yaml": text, "edges.yaml": text}`` for ``imported``."""
    return {_NODES: entries_yaml("nodes", imported.nodes, imported.header("nodes")),
            _EDGES: entries_yaml("edges", imported.edges, imported.header("edges"))}


def write_folder(imported: Imported, out: str | os.PathLike, force: bool = False,
                 sources: list = ()) -> list[Path]:
    """Write ``imported`` into the folder ``out`` (created if needed), each file atomically.

    Raises :class:`ImportFailure` if ``out`` holds a data file and ``force`` is
    false, or if a file to write is one of the ``sources`` (even with ``force``).
    """
    from ..output import FilesExist, write_new_files

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ImportFailure(f"--out: '{out}' exists and is not a folder")
    files = folder_files(imported)
    read = {Path(s).resolve() for s in sources}
    for name in files:
        if (out / name).resolve() in read:
            raise ImportFailure(f"--out: '{out / name}' is one of the sources; import never writes over its sources")
    try:
        return write_new_files(out, files, force)
    except FilesExist as exc:
        raise ImportFailure(f"--out: {exc}") from None
    except OSError as exc:
        raise ImportFailure(f"--out: cannot write '{out}': {exc.strerror or exc}") from exc


def read_text(path: str | os.PathLike, what: str = "source") -> str:
    """Return a source file's text (UTF-8, a byte-order mark dropped), or raise :class:`ImportFailure`."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ImportFailure(f"{path}: {what} file not found") from None
    except IsADirectoryError:
        raise ImportFailure(f"{path}: is a folder, not a {what} file") from None
    except OSError as exc:
        raise ImportFailure(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFailure(f"{path}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                            "save the file as UTF-8") from None
