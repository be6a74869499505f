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
  table agree. Two different source ids never share a data id: where their
  slugs meet (``k-means`` and ``k-means++``), the later takes ``-2``, so the
  import makes no duplicate or self-loop the source does not have. An id with
  nothing to slugify (only punctuation, or a script with no ASCII form) is kept
  as it is, for ``validate`` to report.
* An area that is not a slug (``Linear Algebra``) is slugified too
  (``linear-algebra``): areas are names the command line completes and filters
  by, as ids are. The original is not kept (the data format has no display
  name for an area); a note says which were changed.
* Ids that are numbers, or yEd's own (``n0``, ``n2::n0``), give way to the
  node's name (``limits``); a number stays an alias. A yEd group that no edge
  joins is not a topic: its name is the area of the nodes inside it.
* Nodes that appear only in edges become topics named from their original ids,
  underscores turned to spaces; with a node table (CSV), they are not made up:
  the edges keep naming them and ``validate`` reports the missing ids.
* Attributes that are not fields of the data format (Gephi's ``x``, ``y``,
  ``weight``; a table's extra columns) are left out, and the header says which.

>>> make_id("Gradient_descent"), make_id("linear-algebra"), make_id("Ångström units"), make_id("???")
('gradient-descent', 'linear-algebra', 'angstrom-units', '???')
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import DEFAULT_RELATION, EDGE_FIELDS, NODE_FIELDS, RELATIONS
from ..render.text import plural
from ..render.yaml import Item, entries_yaml
from ..readlimits import Refused, file_limit, read_bounded
from ..validate import SLUG, slugify
from ..yamlread import Limits

__all__ = ["Builder", "ImportFailure", "Imported", "Item", "coerce", "field_for", "folder_files",
           "label_field", "make_id", "read_json", "read_text", "write_folder"]

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
    return slugify(raw) or raw


def _name_of(raw: str) -> str:
    return raw.replace("_", " ").strip() or raw


_NUMBER = re.compile(r"\d+\Z")
_NO_SLUG = "node"  # the id of a source id with no ASCII letter or digit (then node-2, node-3, ...)


def _examples(pairs: list, most: int = 3) -> str:
    shown = ", ".join(f"'{raw}' -> '{made}'" for raw, made in pairs[:most])
    return f"{shown}, ..." if len(pairs) > most else shown


class Builder:
    """Collects an import's entries, then gives every source id its data id (:meth:`finish`).

    Ids are made slugs; two different source ids are never given the same id
    (the later gets ``-2``, ``-3``, ...), so a map with ``k-means`` and
    ``k-means++`` keeps two nodes and their edges apart. An id that is a
    number, or that a drawing tool made up (yEd's ``n0``), says nothing to a
    reader: a node that has a name gets its id from the name instead. Ids only
    edges name become topics, unless ``topics=False`` (a node table was
    given): then they are left as they are, for ``validate`` to report.

    >>> b = Builder("csv", ["e.csv"])
    >>> b.edge("Linear_algebra", "ml", {}, "e.csv line 2")
    >>> [item.fields for item in b.finish().nodes]
    [{'id': 'linear-algebra', 'name': 'Linear algebra', 'kind': 'topic', 'aliases': ['Linear_algebra']}, \
{'id': 'ml', 'name': 'ml', 'kind': 'topic'}]
    >>> b = Builder("json", ["g.json"])
    >>> b.node(0, {"name": "Limits"}, "g.json nodes[0]")
    >>> b.node("k-means", {}, "g.json nodes[1]")
    >>> b.node("K-means++", {}, "g.json nodes[2]")
    >>> b.edge("K-means++", 0, {}, "g.json edges[0]")
    >>> done = b.finish()
    >>> [i.fields["id"] for i in done.nodes], [(i.fields["from"], i.fields["to"]) for i in done.edges]
    (['limits', 'k-means', 'k-means-2'], [('k-means-2', 'limits')])
    """

    names_note = True  # whether to note the ids made from names (False where every id is a name's)

    def __init__(self, fmt: str, sources: list[str], topics: bool = True):
        self.imported = Imported(fmt, [str(s) for s in sources])
        self.topics = topics
        self._nodes: list[tuple[str, dict, str]] = []  # (source id, fields, source)
        self._edges: list[tuple[str, str, dict, str]] = []
        self._made_up: set[str] = set()  # source ids a tool made up: never kept as aliases
        self._groups: dict[str, str] = {}  # source id -> the source id of its group (yEd)
        self.dropped: dict[str, set] = {"nodes": set(), "edges": set()}

    def node(self, raw_id, fields: dict, source: str, made_up: bool = False, group=None) -> None:
        """Add a node entry with source id ``raw_id`` and ``fields``.

        ``made_up``: the id was made up by a tool (yEd's ``n0``), so the name gives the id and the
        original is not kept. ``group``: the source id of the group node holding it (a yEd group),
        whose name becomes its area.
        """
        raw = str(raw_id)
        self._nodes.append((raw, {k: v for k, v in fields.items() if k != "id"}, source))
        if made_up:
            self._made_up.add(raw)
        if group is not None:
            self._groups[raw] = str(group)

    def edge(self, raw_from, raw_to, fields: dict, source: str) -> None:
        """Add an edge entry from ``raw_from`` to ``raw_to`` with ``fields``.

        A strength that is the relation's default (``required`` on a prerequisite,
        as an export writes on every edge) is left out, as an author leaves it.
        """
        fields = {k: v for k, v in fields.items() if k not in ("from", "to")}
        spec = RELATIONS.get(fields.get("relation", DEFAULT_RELATION))
        if spec is not None and "strength" in fields and fields["strength"] == spec.default_strength:
            del fields["strength"]
        self._edges.append((str(raw_from), str(raw_to), fields, source))

    def drop(self, scope: str, name: str) -> None:
        """Record that attribute ``name`` of ``scope`` (nodes or edges) is not a field and was left out."""
        self.dropped[scope].add(str(name))

    def note(self, text: str) -> None:
        """Add a note to the written files' header."""
        self.imported.notes.append(text)

    def _ids(self, named: dict, claimants: list) -> tuple[dict, list, list]:
        """Give each source id in ``claimants`` its own data id; ``named``: source id -> its name.

        Source ids that are slugs already keep themselves; the others, in order, take the slug of their
        id (or of their name, for numbers and made-up ids) or, when another source id has it, that slug
        with the first free ``-2``, ``-3``, ... Returns the ids, those taken from names, those made unique.
        """
        ids, taken, from_names, unique = {}, {}, [], []

        def wanted(raw):
            name = named.get(raw)
            if (raw in self._made_up or _NUMBER.match(raw)) and isinstance(name, str):
                slug = make_id(name)
                if SLUG.match(slug):
                    return slug, True
            slug = make_id(raw)
            return (slug if SLUG.match(slug) else _NO_SLUG), False  # nothing ASCII to keep: node, node-2, ...

        first = [raw for raw in claimants if raw not in self._made_up and not _NUMBER.match(raw) and SLUG.match(raw)]
        for raw in first:
            ids[raw] = taken[raw] = raw
        for raw in claimants:
            if raw in ids:
                continue
            slug, by_name = wanted(raw)
            made, n = slug, 2
            while SLUG.match(slug) and taken.get(made, raw) != raw:
                made, n = f"{slug}-{n}", n + 1
            ids[raw] = made
            taken.setdefault(made, raw)
            (from_names if by_name else []).append((raw, made))
            if made != slug and slug != _NO_SLUG:
                unique.append((raw, made))
        return ids, from_names, unique

    def finish(self) -> Imported:
        """Return the import: every id made, topics made for ids only edges name, the notes complete."""
        imported = self.imported
        named = {}
        for raw, fields, _ in self._nodes:
            named.setdefault(raw, fields.get("name"))
        in_edges: dict[str, str] = {}  # source id only edges name -> the first edge's source
        for raw_from, raw_to, _, source in self._edges:
            for raw in (raw_from, raw_to):
                if raw not in named:
                    in_edges.setdefault(raw, source)
        # A yEd group no edge touches is an area, not a topic.
        touched = {raw for raw_from, raw_to, *_ in self._edges for raw in (raw_from, raw_to)}
        areas = {g for g in self._groups.values() if g not in touched and isinstance(named.get(g), str)}
        claimants = [raw for raw in named if raw not in areas] + (list(in_edges) if self.topics else [])
        ids, from_names, unique = self._ids(named, claimants)
        area_of = {g: make_id(named[g]) for g in areas}
        slugged = {raw: made for raw, made in ids.items()
                   if made != raw and raw not in self._made_up and (raw, made) not in from_names}
        unslugged = [(raw, made) for raw, made in slugged.items() if not SLUG.match(make_id(raw))]
        for raw, _ in unslugged:
            del slugged[raw]

        areas_made: dict = {}  # an area that is not a slug -> its slug (areas are slugs, as ids are)

        def entry(raw, fields):
            entry = {"id": ids[raw], **fields}
            area = entry.get("area")
            if isinstance(area, str) and not SLUG.match(area) and slugify(area):
                entry["area"] = areas_made.setdefault(area, slugify(area))
            entry.setdefault("name", _name_of(raw))
            entry.setdefault("kind", "topic")
            group = self._groups.get(raw)
            if group in area_of:
                entry.setdefault("area", area_of[group])
            if ids[raw] != raw and raw not in self._made_up:
                aliases = entry.get("aliases")
                aliases = list(aliases) if isinstance(aliases, list) else []
                if raw not in aliases:
                    entry["aliases"] = [*aliases, raw]
            return entry

        unnamed = 0
        for raw, fields, source in self._nodes:
            if raw in areas:
                continue
            unnamed += "name" not in fields
            imported.nodes.append(Item(entry(raw, fields), source))
        if self.topics:
            for raw, source in in_edges.items():
                imported.nodes.append(Item(entry(raw, {}), f"{source}: named in an edge only"))
            if in_edges:
                self.note(f"{plural(len(in_edges), 'node')} named only in edges made into topics")
        for raw_from, raw_to, fields, source in self._edges:
            ends = {"from": ids.get(raw_from, make_id(raw_from)), "to": ids.get(raw_to, make_id(raw_to))}
            imported.edges.append(Item({**ends, **fields}, source))
        if unnamed:
            self.note(f"{plural(unnamed, 'node')} without a name named from "
                      f"{'their ids' if unnamed != 1 else 'its id'}")
        if from_names and self.names_note:
            self.note(f"{plural(len(from_names), 'id')} that {'was a number' if len(from_names) == 1 else 'were numbers'}"
                      f" or yEd's own (n0, n1, ...) made from the names instead: {_examples(from_names)}")
        if slugged:
            raw, made = next(iter(slugged.items()))
            self.note(f"{plural(len(slugged), 'id')} made into {'a slug' if len(slugged) == 1 else 'slugs'}, "
                      f"the original kept as an alias (e.g. '{raw}' -> '{made}')")
        if unslugged:
            self.note(f"{plural(len(unslugged), 'id')} with no ASCII letter or digit to make a slug of, given "
                      f"'{_NO_SLUG}' ids, the original kept as an alias: {_examples(unslugged)}")
        if unique:
            self.note(f"{plural(len(unique), 'id')} whose slug another id has, made unique: {_examples(unique)}")
        if areas_made:
            raw, made = next(iter(areas_made.items()))
            self.note(f"{plural(len(areas_made), 'area')} made into {'a slug' if len(areas_made) == 1 else 'slugs'}, "
                      f"as areas are (e.g. '{raw}' -> '{made}')")
        if areas:
            self.note(f"yEd groups that no edge joins read as the areas of their nodes: "
                      f"{', '.join(sorted(area_of.values()))}")
        parts = [f"{', '.join(sorted(names))} ({scope})" for scope, names in self.dropped.items() if names]
        if parts:
            self.note(f"attributes that are not fields of the data format, left out: {'; '.join(parts)}")
        return imported


_FIELDS = {"nodes": NODE_FIELDS, "edges": EDGE_FIELDS}
# What drawing tools and other writers call some fields.
_SYNONYMS = {"nodes": {"label": "name", "title": "name", "description": "summary", "link": "url",
                       "type": "kind", "alias": "aliases"},
             "edges": {"label": "relation", "edge_label": "relation", "type": "relation", "reason": "why",
                       "description": "why"}}
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


def label_field(label: str) -> str:
    """Return the edge field a drawing tool's edge label goes to: ``relation`` if it names one, else ``why``.

    >>> label_field("leads-to"), label_field("needs the chain rule")
    ('relation', 'why')
    """
    return "relation" if label in RELATIONS else "why"


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
        if len(stripped) > _MAX_NUMBER:  # kept as text, for validate to report
            return text
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
    """Return a source file's text (UTF-8, a byte-order mark dropped), or raise :class:`ImportFailure`.

    Read by the bounded reader (:mod:`graph.readlimits`) within the limit of a data file.
    """
    try:
        data = read_bounded(path, file_limit(Limits.from_env().file_bytes, "import source"))
    except FileNotFoundError:
        raise ImportFailure(f"{path}: {what} file not found") from None
    except IsADirectoryError:
        raise ImportFailure(f"{path}: is a folder, not a {what} file") from None
    except Refused as exc:
        raise ImportFailure(f"{path}: {exc.strerror}") from None
    except OSError as exc:
        raise ImportFailure(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFailure(f"{path}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                            "save the file as UTF-8") from None


_MAX_NUMBER = 100  # characters in a number, as a data file allows (graph.yamlread)
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_json(text: str, where: str, invalid_as_text: bool = False):
    """Return the JSON ``text`` as data, or raise :class:`ImportFailure` naming ``where``.

    Refused rather than written as data that ``validate`` could not read: a value
    nested deeper than a data file may be (``GRAPH_MAX_DEPTH``), a number of over
    100 characters, and text holding a lone surrogate (``"\\ud800"``), which no
    UTF-8 file can hold. ``invalid_as_text``: text that is not JSON at all is returned as it is.

    >>> read_json('{"a": [1, 2.5, "x"]}', "g.json")
    {'a': [1, 2.5, 'x']}
    >>> read_json('[[[1]]]', "g.json")
    [[[1]]]
    """
    def number(kind):
        def parse(literal: str):
            if len(literal) > _MAX_NUMBER:
                raise ImportFailure(f"{where}: a number of {len(literal):,} characters is too long "
                                    f"(at most {_MAX_NUMBER})")
            return kind(literal)
        return parse

    try:
        value = json.loads(text, parse_int=number(int), parse_float=number(float))
    except json.JSONDecodeError as exc:
        if invalid_as_text:
            return text
        raise ImportFailure(f"{where}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        value = None
        deep = True
    else:
        deep = False
    limit = Limits.from_env().depth
    stack = [(value, 1)]
    while stack and not deep:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                deep = True
                break
            children = [v for pair in item.items() for v in pair] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, str) and _SURROGATE.search(item):
            found = _SURROGATE.search(item).group()
            raise ImportFailure(f"{where}: text holds a lone surrogate (\\u{ord(found):04x}), which is not a "
                                "character; fix the escape in the JSON")
    if deep:
        raise ImportFailure(f"{where}: values nested more than {limit} levels deep (raise it with GRAPH_MAX_DEPTH)")
    return value
