"""CSV and TSV edge lists, and node tables, as data entries.

An edge list has one prerequisite pair per row; which two columns hold it is
chosen by header name or by number (1 is the first column), the first two by
default. ``direction`` says which of the two is learned first: published data
sets use both orders (``prereq-first``: ``A,B`` means A before B;
``prereq-last``: B before A). ``where`` keeps only rows whose column holds a
value (``label=1`` for a data set of labelled pairs), ``edge_fields`` maps
other columns to edge fields (``why=reason``).

A node table has an id column (``id``, else the first), a name column
(``name``, else the second), and any columns mapped to node fields: those
named like a field (``url``, ``summary``, ``hours``, ...) are mapped by
themselves, others with ``node_fields`` (``summary=description``). Values are
converted to the field's type (:func:`graph.imports.coerce`); other columns are
left out and named in the header.

The dialect (delimiter, quoting) is found by the standard library's
``csv.Sniffer``, and so is whether the first row is a header, unless
``header`` says (a column chosen by name implies one, and so does a node
table's first row naming ``id`` or ``name``). Each entry written
notes its source line; a row spanning lines is noted by its first.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "pairs.tsv").write_text("Calculus\\tGradient_descent\\nLinear_algebra\\tGradient_descent\\n")
>>> imported = read_edges([folder / "pairs.tsv"], fmt="tsv")
>>> [(e.fields["from"], e.fields["to"], e.source.split("/")[-1]) for e in imported.edges]
[('calculus', 'gradient-descent', 'pairs.tsv line 1'), ('linear-algebra', 'gradient-descent', 'pairs.tsv line 2')]
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from dataclasses import dataclass, field

from ..errors import did_you_mean
from ..model import EDGE_FIELDS, NODE_FIELDS
from ..render.text import plural
from . import Builder, ImportFailure, Imported, coerce, field_for, read_text

__all__ = ["CsvOptions", "read_edges"]

DIRECTIONS = ("prereq-first", "prereq-last")
_DELIMITERS = {"csv": ",;|\t", "tsv": "\t"}
_SAMPLE = 64 * 1024


@dataclass
class CsvOptions:
    """How to read an edge list and its node table (each option as ``graph import`` names it)."""

    columns: tuple = ()  # the pair's two columns, by name or number; default the first two
    direction: str = "prereq-first"
    where: tuple = ()  # (column, value) pairs: keep rows where every column holds its value
    edge_fields: tuple = ()  # (field, column) pairs
    header: bool | None = None  # None: sniffed
    delimiter: str | None = None  # the edge lists' separator; None: sniffed
    nodes: str | None = None  # node table file
    node_id: str | None = None
    node_name: str | None = None
    node_fields: tuple = ()  # (field, column) pairs
    node_header: bool | None = None


@dataclass
class _Table:
    path: str
    header: list | None
    rows: list = field(default_factory=list)  # (line, cells)
    sniffed: bool = False  # whether the header row was guessed (no option said)
    header_line: int = 0  # the header's line, to read it back as a row (demote)

    @property
    def width(self) -> int:
        """The number of columns: the header's, or the widest of the first 100 rows."""
        return max([len(self.header or [])] + [len(cells) for _, cells in self.rows[:100]] + [0])

    def promote(self) -> None:
        """Read the first row as the header."""
        (self.header_line, self.header), self.rows = self.rows[0], self.rows[1:]

    def demote(self) -> None:
        """Read the header row as the first row of data again."""
        self.rows, self.header = [(self.header_line, self.header), *self.rows], None

    def column(self, ref: str, option: str) -> int:
        """Return the index of column ``ref`` (a header name or a number from 1)."""
        ref = str(ref).strip()
        width = self.width
        if ref.isdigit():
            number = int(ref)
            if not 1 <= number <= max(width, 1):
                raise ImportFailure(f"{option}: column {number} does not exist in {self.path} "
                                    f"(it has {plural(width, 'column')})")
            return number - 1
        if self.header is None:
            raise ImportFailure(f"{option}: '{ref}' names a column, but {self.path} has no header row; "
                                f"give column numbers (1 to {width}) or --header")
        names = [h.strip() for h in self.header]
        if ref in names:
            return names.index(ref)
        folded = [h.casefold() for h in names]
        if ref.casefold() in folded:
            return folded.index(ref.casefold())
        raise ImportFailure(f"{option}: no column '{ref}' in {self.path}; its columns are "
                            f"{', '.join(names)}{did_you_mean(ref, names)}")

    def find(self, name: str) -> int | None:
        """Return the index of the header column called ``name`` (any case), or ``None``."""
        if self.header is None:
            return None
        folded = [h.strip().casefold() for h in self.header]
        return folded.index(name) if name in folded else None


def _read_table(path, fmt: str, delimiter: str | None, header: bool | None, names_given: bool,
                header_names: tuple = ()) -> _Table:
    """Read a table; ``header`` None: a header if a column is named, a cell is in ``header_names``, or sniffed."""
    text = read_text(path, fmt.upper())
    sample = text[:_SAMPLE]
    sniffer = csv.Sniffer()
    if delimiter is None:
        try:
            dialect = sniffer.sniff(sample, delimiters=_DELIMITERS[fmt])
        except csv.Error:  # one column, or too little text to tell: the format's own delimiter
            dialect = csv.excel_tab if fmt == "tsv" else csv.excel
    else:
        dialect = type("Given", (csv.excel,), {"delimiter": delimiter})
    reader = csv.reader(text.splitlines(keepends=True), dialect, strict=True)
    rows = []
    try:
        start = 1
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailure(f"{path}:{reader.line_num}: not readable as {fmt.upper()}: {exc}") from None
    sniffed = False
    if header is None:
        first = next((cells for _, cells in rows[:1]), [])
        if names_given or any(c.strip().casefold() in header_names for c in first):
            header = True
        else:
            sniffed = True
            try:
                header = bool(sample.strip()) and sniffer.has_header(sample)
            except csv.Error:
                header = False
    table = _Table(str(path), None, rows, sniffed)
    if header and rows:
        table.promote()
    return table


def _named_again(table: _Table, first: int, second: int) -> bool:
    """Whether a cell of the header's pair is an id that a row of the edge list names: the row is data.

    >>> t = _Table("t", ["a", "b"], [(2, ["b", "c"]), (3, ["c", "d"])])
    >>> _named_again(t, 0, 1), _named_again(_Table("t", ["from", "to"], t.rows), 0, 1)
    (True, False)
    """
    header = table.header or []
    if len(header) <= max(first, second):
        return False
    ends = {header[first].strip(), header[second].strip()}
    return any(len(cells) > max(first, second) and ends & {cells[first].strip(), cells[second].strip()}
               for _, cells in table.rows)


def _names_columns(table: _Table, first: int, second: int) -> bool:
    """Whether the first row of an edge list of text looks like a header: neither of its two cells is
    named by another row, while most other rows share an id with some row (as a graph's edges do).

    The standard sniffer judges a header by the types of its columns, and an edge list holds only text.

    >>> rows = [(1, ["prereq", "concept"]), (2, ["a", "b"]), (3, ["b", "c"]), (4, ["c", "d"])]
    >>> _names_columns(_Table("t", None, rows), 0, 1), _names_columns(_Table("t", None, rows[1:]), 0, 1)
    (True, False)
    """
    if len(table.rows) < 3:
        return False
    pairs = [(cells[first].strip(), cells[second].strip()) for _, cells in table.rows
             if len(cells) > max(first, second)]
    if len(pairs) < 3 or len(pairs[0]) < 2:
        return False
    counts = Counter(cell for pair in pairs[1:] for cell in pair)
    if any(cell in counts for cell in pairs[0]):
        return False
    joined = sum(counts[a] > 1 or counts[b] > 1 for a, b in pairs[1:])
    return joined * 2 >= len(pairs) - 1


def _check_pairs(table: _Table, path, delimiter: str | None) -> None:
    """Fail with a clear message when an edge list has no two columns to read a pair from."""
    if table.width >= 2:
        return
    if not table.rows and table.header is None:
        raise ImportFailure(f"{os.fspath(path)}: the file holds no rows; an edge list has a pair of ids per row")
    how = (f"with the delimiter {delimiter!r} given" if delimiter is not None else
           "(its separator could not be told from its first rows; give it with --delimiter, e.g. --delimiter ';')")
    raise ImportFailure(f"{os.fspath(path)}: only one column found {how}; an edge list has a pair of ids per row")


def _named(refs) -> bool:
    return any(not str(r).strip().isdigit() for r in refs)


def _pairs(pairs: tuple, option: str) -> list:
    """Check ``FIELD=COLUMN`` style options (already split) for empty parts."""
    for left, right in pairs:
        if not str(left).strip() or not str(right).strip():
            raise ImportFailure(f"{option}: expected NAME=VALUE, found '{left}={right}'")
    return list(pairs)


def _cell(cells: list, index: int, table: _Table, line: int, option: str) -> str:
    if index >= len(cells):
        raise ImportFailure(f"{table.path}:{line}: the row has {plural(len(cells), 'column')}; "
                            f"{option} needs column {index + 1}")
    return cells[index]


def read_edges(sources: list, fmt: str = "csv", options: CsvOptions | None = None) -> Imported:
    """Read edge lists ``sources`` (and the node table ``options.nodes``) into an :class:`Imported`."""
    options = options or CsvOptions()
    if options.direction not in DIRECTIONS:
        raise ImportFailure(f"--direction: '{options.direction}' is not one of {', '.join(DIRECTIONS)}")
    if options.columns and len(options.columns) != 2:
        raise ImportFailure(f"--columns: give two columns (the pair), found {len(options.columns)}")
    edge_fields = _pairs(options.edge_fields, "--edge-field")
    for name, _ in edge_fields:
        if name not in EDGE_FIELDS or name in ("from", "to"):
            choices = [f for f in EDGE_FIELDS if f not in ("from", "to")]
            raise ImportFailure(f"--edge-field: '{name}' is not an edge field; fields are "
                                f"{', '.join(choices)}{did_you_mean(name, choices)}")
    where = _pairs(options.where, "--where")
    listed = [str(s) for s in sources] + ([str(options.nodes)] if options.nodes else [])
    builder = Builder(fmt, listed, topics=not options.nodes)
    if options.nodes:
        _read_nodes(builder, options)
    refs = list(options.columns) + [c for c, _ in where] + [c for _, c in edge_fields]
    kept, seen = 0, {}  # rows --where keeps; the values its columns hold in the others
    for path in sources:
        table = _read_table(path, fmt, options.delimiter, options.header, _named(refs))
        if not options.columns:
            _check_pairs(table, path, options.delimiter)
        first, second = (table.column(c, "--columns") for c in (options.columns or ("1", "2")))
        if table.sniffed and table.header is None and _names_columns(table, first, second):
            table.promote()
        elif table.sniffed and table.header is not None and (not table.rows or _named_again(table, first, second)):
            table.demote()  # the sniffer judges by types, and an edge list holds only text; a lone row is a pair
        if first == second:
            raise ImportFailure(f"--columns: both ends of the pair are column {first + 1} of {os.fspath(path)}; "
                                "give two different columns (each row would be a self-loop)")
        if not table.rows:
            raise ImportFailure(f"{os.fspath(path)}: the file holds a header row ({', '.join(table.header or [])}) "
                                "and no pairs; --no-header reads it as a pair")
        if table.sniffed and table.rows:
            builder.note(f"{os.fspath(path)}: the first row read as a header ({', '.join(table.header)}); "
                         f"--no-header reads it as a pair" if table.header is not None else
                         f"{os.fspath(path)}: no header row found, the first row read as a pair; "
                         f"--header if it names the columns")
        wanted = [(table.column(c, "--where"), value.strip()) for c, value in where]
        mapped = [(name, table.column(c, "--edge-field")) for name, c in edge_fields]
        read = {first, second, *(i for i, _ in wanted), *(i for _, i in mapped)}
        for index in range(table.width):
            if index not in read:  # a label or score column the user may mean to select by (--where)
                title = table.header[index].strip() if table.header and index < len(table.header) else ""
                builder.drop("edges", title or f"column {index + 1}")
        for line, cells in table.rows:
            if any(i >= len(cells) or cells[i].strip() != value for i, value in wanted):
                for (i, _), (c, _) in zip(wanted, where):
                    if i < len(cells):
                        seen.setdefault(c, set()).add(cells[i].strip())
                continue
            kept += 1
            a = _cell(cells, first, table, line, "--columns").strip()
            b = _cell(cells, second, table, line, "--columns").strip()
            prereq, needs = (a, b) if options.direction == "prereq-first" else (b, a)
            fields = {name: coerce("edges", name, cells[i]) for name, i in mapped if i < len(cells) and cells[i].strip()}
            builder.edge(prereq, needs, fields, f"{os.fspath(path)} line {line}")
    if where and not kept:  # a misspelt value would write an empty map that validates
        found = "; ".join(f"{c} holds {', '.join(repr(v) for v in sorted(seen.get(c, ()))[:10]) or 'nothing'}"
                          for c, _ in where)
        raise ImportFailure("--where: no row has " + " and ".join(f"{c} '{v}'" for c, v in where) + f" ({found})")
    if where:
        builder.note("only rows where " + " and ".join(f"{c} is '{v}'" for c, v in where))
    if options.direction == "prereq-last":
        builder.note("pairs read prerequisite last: each row's second column is learned first")
    return builder.finish()


def _read_nodes(builder: Builder, options: CsvOptions) -> None:
    path = options.nodes
    node_fields = _pairs(options.node_fields, "--node-field")
    for name, _ in node_fields:
        if name not in NODE_FIELDS or name == "id":
            choices = [f for f in NODE_FIELDS if f != "id"]
            raise ImportFailure(f"--node-field: '{name}' is not a node field; fields are "
                                f"{', '.join(choices)}{did_you_mean(name, choices)}")
    refs = [r for r in (options.node_id, options.node_name) if r] + [c for _, c in node_fields]
    # The node table is often saved apart from the edge list: its own dialect is sniffed.
    table = _read_table(path, "tsv" if str(path).lower().endswith(".tsv") else "csv", None, options.node_header,
                        _named(refs), ("id", "name"))
    id_column = table.column(options.node_id, "--node-id") if options.node_id else (table.find("id") or 0)
    mapped = {name: table.column(c, "--node-field") for name, c in node_fields}
    if options.node_name:
        mapped["name"] = table.column(options.node_name, "--node-name")
    elif "name" not in mapped:
        found = table.find("name")
        if found is not None:
            mapped["name"] = found
        elif table.header is None and any(len(cells) > 1 for _, cells in table.rows):
            mapped["name"] = 1 if id_column != 1 else 0
    if table.header is not None:
        for index, title in enumerate(table.header):
            name = field_for("nodes", title)
            if index == id_column or index in mapped.values() or name in mapped or not title.strip():
                continue
            if name and name != "id":
                mapped[name] = index
            else:
                builder.drop("nodes", title.strip())
    for line, cells in table.rows:
        raw = _cell(cells, id_column, table, line, "--node-id").strip()
        fields = {name: coerce("nodes", name, cells[i]) for name, i in mapped.items()
                  if i < len(cells) and cells[i].strip()}
        builder.node(raw, fields, f"{os.fspath(path)} line {line}")
