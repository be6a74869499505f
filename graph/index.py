"""An SQLite index of a checked data folder, for the answers that need a few of its nodes.

The index holds the nodes (file order, each with its level: the longest chain
of edges that ends at it), the edges (the order the loader added them), every
node's id, name and aliases as :func:`graph.lookup` folds them,
and a full-text index (FTS5 when this SQLite has it, else a table scanned in
SQL) of the words that search reads. It is written with the cache entry, to a
temporary file renamed into place, and only for data without errors: an
answer read from it is the answer of the whole map. :mod:`graph.partial` turns
what it reads into a graph the queries and renderers take.

One index per data folder, named by a SHA-256 of the tool's version, the
index format, the folder's real path and the ``GRAPH_MAX_*`` limits in the
environment. It records each data file's size, modification time (ns) and
inode, as git's index does: when all agree and the file was last modified
before the second the index was written, the file is taken as unchanged;
otherwise (git's rule for racy timestamps included) the files' bytes are hashed
and compared with the hash recorded. A size that differs is a change.

The index is a file only its user can write (owner, mode, one link, a regular
file, in a folder others cannot write), checked on open; it is read all the
same as untrusted input: opened read-only, its schema compared with the one
this version writes, every value's type checked, every query parameterised,
each string bounded. Anything unexpected means no index: the caller then
loads the data as it would without one.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import tempfile
import time
from pathlib import Path

from .lookup import _WORD, fold
from .partial import Partial
from .plan import _levels

__all__ = ["Index", "IndexUnusable", "ensure_index", "open_index", "write_index"]

#: What reading an index that is not as this version writes it raises: SQLite's errors, values of the
#: wrong type or shape. The caller then loads the map instead.
IndexUnusable = (sqlite3.Error, ValueError, TypeError, KeyError, OverflowError, RecursionError)

FORMAT = 3
_PREFIX = "index-"
_SUFFIX = ".sqlite"
_KEEP = 8  # indexes kept (one per data folder); older ones are removed on write
_MAX_VALUE = 32 * 1024 * 1024  # bytes in one string SQLite hands back
_MAX_META = 64 * 1024  # bytes in the meta table's values
_FOLD_PROBE = "Ab_C-d  \u00c9\u00df x"  # how lookup folds names, recorded so a change of its rule is seen

_TABLES = """
CREATE TABLE meta (name TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE nodes (pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, fold TEXT NOT NULL, name TEXT,
                    kind TEXT, area TEXT, attrs TEXT NOT NULL, level INTEGER NOT NULL);
CREATE TABLE edges (pos INTEGER PRIMARY KEY, src INTEGER NOT NULL, dst INTEGER NOT NULL, relation TEXT NOT NULL,
                    strength TEXT, alt INTEGER NOT NULL, attrs TEXT);
CREATE TABLE labels (label TEXT NOT NULL, node INTEGER NOT NULL);
"""
# The edges' indexes hold what the walks read (strength, any-of, the other end): a walk reads no edge rows.
_INDEXES = """
CREATE INDEX nodes_fold ON nodes (fold);
CREATE INDEX edges_src ON edges (src, strength, alt, dst);
CREATE INDEX edges_dst ON edges (dst, strength, alt, src);
CREATE INDEX labels_label ON labels (label);
"""
_FTS = "CREATE VIRTUAL TABLE words USING fts5(text, content='', tokenize=\"unicode61 remove_diacritics 0 tokenchars '_'\");"
_SCAN = "CREATE TABLE words (rowid INTEGER PRIMARY KEY, text TEXT NOT NULL);"
_SAFE_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _schema(fts: bool) -> str:
    return _TABLES + (_FTS if fts else _SCAN) + _INDEXES


def _has_fts5() -> bool:
    try:
        sqlite3.connect(":memory:").execute(_FTS)
    except sqlite3.Error:
        return False
    return True


def _expected_master(fts: bool, cache: dict = {}) -> list:  # noqa: B006 - made once per process
    if fts not in cache:
        db = sqlite3.connect(":memory:")
        db.executescript(_schema(fts))
        cache[fts] = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        db.close()
    return cache[fts]


def location(data_dir) -> Path:
    """Return the index file of the data folder ``data_dir`` (in the cache folder)."""
    from . import __version__
    from .cache import cache_dir

    limits = sorted((k, v) for k, v in os.environ.items() if k.startswith("GRAPH_MAX_"))
    name = hashlib.sha256(repr((FORMAT, __version__, os.path.realpath(data_dir), limits)).encode()).hexdigest()
    return cache_dir() / f"{_PREFIX}{name}{_SUFFIX}"


def _files(data_dir) -> tuple[Path, Path]:
    from .folder import EDGES_FILE, NODES_FILE

    real = Path(os.path.realpath(data_dir))
    return real / NODES_FILE, real / EDGES_FILE


def _signature(path: Path) -> list | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev]


def _digest(contents) -> str:
    digest = hashlib.sha256()
    for data in contents:
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


# --- writing -------------------------------------------------------------------------------------------------

def write_index(nodes_path: Path, edges_path: Path, loaded, entry_key: str) -> None:
    """Write the index of ``loaded``, read from these files under the cache key ``entry_key``.

    Does nothing when the data has errors, when the files no longer hold what
    was read (their key is not ``entry_key``), or when anything fails: the
    index is a shortcut, never a requirement.
    """
    from . import cache
    from .validate import REDUNDANT_LIMIT

    if loaded.errors:
        return
    try:
        paths = _files(nodes_path.parent)
        before = [_signature(p) for p in paths]
        contents = tuple(p.read_bytes() for p in paths)
        after = [_signature(p) for p in paths]
        written_ns = time.time_ns()
        if None in before or before != after or [len(c) for c in contents] != [s[0] for s in before]:
            return
        if cache.key(nodes_path, edges_path, REDUNDANT_LIMIT, contents) != entry_key:
            return
        folder = cache.cache_dir()
        target = location(nodes_path.parent)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=_SUFFIX)
        os.close(fd)
        try:
            fts = _has_fts5()
            db = sqlite3.connect(tmp)
            try:
                _fill(db, loaded, fts, {"format": str(FORMAT), "folder": str(paths[0].parent),
                                        "files": json.dumps(before), "digest": _digest(contents),
                                        "written_ns": str(written_ns), "fold": fold(_FOLD_PROBE),
                                        "fts": "1" if fts else "0"})
            finally:
                db.close()
            os.chmod(tmp, 0o600)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except (OSError, sqlite3.Error, TypeError, ValueError, KeyError):
        return


def ensure_index(nodes_path: Path, edges_path: Path, loaded, entry_key: str) -> None:
    """Write the index of ``loaded`` (see :func:`write_index`) unless a fresh one is there already."""
    index = open_index(nodes_path.parent)
    if index is None:
        write_index(nodes_path, edges_path, loaded, entry_key)
    else:
        index.close()


def _fill(db: sqlite3.Connection, loaded, fts: bool, meta: dict) -> None:
    from .cache import edges_in_order

    graph = loaded.graph
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -65536")
    db.executescript(_TABLES + (_FTS if fts else _SCAN))
    level = {n: i for i, wave in enumerate(_levels(graph, list(graph))) for n in wave}  # KeyError on a cycle
    position = {}
    node_rows, label_rows, word_rows = [], [], []
    for pos, (node, data) in enumerate(graph.nodes(data=True)):
        position[node] = pos
        name, kind, area = (v if isinstance(v, str) else None for v in (data.get("name"), data.get("kind"),
                                                                         data.get("area")))
        node_rows.append((pos, node, node.casefold(), name, kind, area, dumps(data), level[node]))
        labels = dict.fromkeys(fold(label) for label in (node, name, *(data.get("aliases") or ()))
                               if isinstance(label, str))
        label_rows.extend((label, pos) for label in labels)
        texts = [node, data.get("name"), *(data.get("aliases") or ()), data.get("area"), data.get("summary")]
        word_rows.append((pos, " " + " ".join(w for t in texts if isinstance(t, str) for w in _WORD.findall(t.casefold()))))
    db.executemany("INSERT INTO nodes VALUES (?, ?, ?, ?, ?, ?, ?, ?)", node_rows)
    db.executemany("INSERT INTO labels VALUES (?, ?)", label_rows)
    db.executemany("INSERT INTO words (rowid, text) VALUES (?, ?)", word_rows)
    del node_rows, label_rows, word_rows
    edges, _, datas = edges_in_order(loaded)
    db.executemany("INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?)", (
        (k, position[u], position[v], *_edge_columns(data, dumps)) for k, ((u, v), data) in enumerate(zip(edges, datas))))
    meta.update(nodes=str(len(position)), edges=str(len(edges)))
    db.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    db.executescript(_INDEXES)
    db.execute(f"PRAGMA user_version = {FORMAT}")
    db.commit()


def _edge_columns(data: dict, dumps) -> tuple:
    """An edge's relation, strength, whether it is an alternative, and its data as JSON unless the
    relation and strength (in that order) say it all: most edges store no text."""
    relation, strength = data.get("relation"), data.get("strength")
    plain = type(relation) is str and (list(data) == ["relation"] or (list(data) == ["relation", "strength"]
                                                                      and type(strength) is str))
    return (relation if type(relation) is str else "", strength if type(strength) is str else None,
            int("any_of" in data), None if plain else dumps(data))


def _edge_data(relation, strength, attrs) -> dict:
    if attrs is not None:
        data = json.loads(_text(attrs))
        if type(data) is not dict:
            raise ValueError("an edge of the index is not a mapping")
        return data
    return {"relation": _text(relation)} if strength is None else {"relation": _text(relation),
                                                                    "strength": _text(strength)}


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob(f"{_PREFIX}*{_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[_KEEP:]:
        old.unlink(missing_ok=True)


# --- reading -------------------------------------------------------------------------------------------------

def open_index(data_dir) -> Index | None:
    """Return the index of ``data_dir`` when it is trusted, well formed and fresh, else None."""
    db = None
    try:
        path = location(data_dir)
        db = _connect(path)
        index = _checked(db, _files(data_dir))
        if index is not None:
            return index
    except (OSError, sqlite3.Error, ValueError, TypeError, KeyError, OverflowError):
        pass
    if db is not None:
        db.close()
    return None


def _trusted(info: os.stat_result) -> bool:
    if not hasattr(os, "getuid"):
        return stat.S_ISREG(info.st_mode)
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _connect(path: Path) -> sqlite3.Connection:
    """Open ``path`` read-only once it proves to be a regular file only this user can write."""
    folder = os.stat(path.parent)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not (stat.S_ISREG(info.st_mode) and info.st_nlink == 1 and _trusted(info) and _trusted(folder)):
            raise ValueError("an index that is not this user's own")
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
        db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, _MAX_VALUE)
        for pragma in ("trusted_schema = OFF", "query_only = ON", "cell_size_check = ON", "mmap_size = 0"):
            db.execute(f"PRAGMA {pragma}")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        opened = os.stat(path, follow_symlinks=False)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino) or version != FORMAT:
            db.close()
            raise ValueError("an index replaced while opened, or of another format")
        return db
    finally:
        os.close(fd)


def _checked(db: sqlite3.Connection, paths: tuple[Path, Path]) -> Index | None:
    master = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name LIMIT 100").fetchall()
    if master not in (_expected_master(True), _expected_master(False)):
        return None
    meta = dict(db.execute("SELECT name, value FROM meta WHERE length(value) <= ? LIMIT 32", (_MAX_META,)))
    if meta.get("format") != str(FORMAT) or meta.get("fold") != fold(_FOLD_PROBE):
        return None
    if meta.get("folder") != str(paths[0].parent):
        return None
    if not _fresh(paths, json.loads(meta["files"]), int(meta["written_ns"]), meta["digest"]):
        return None
    nodes, edges = int(meta["nodes"]), int(meta["edges"])
    if not (0 <= nodes < 1 << 40 and 0 <= edges < 1 << 40):
        return None
    return Index(db, meta["fts"] == "1", nodes, edges)


def _fresh(paths, recorded: list, written_ns: int, digest: str) -> bool:
    """Whether the files still hold what the index was made from (see the module's docstring)."""
    now = [_signature(p) for p in paths]
    if None in now or type(recorded) is not list or len(recorded) != len(now):
        return False
    if any(type(s) is not list or not s or n[0] != s[0] for n, s in zip(now, recorded)):
        return False
    written_second = written_ns // 1_000_000_000
    if now == recorded and all(n[1] // 1_000_000_000 < written_second for n in now):
        return True
    contents = []
    for path, (size, *_) in zip(paths, now):
        with open(path, "rb") as file:
            contents.append(file.read(size + 1))
    return [len(c) for c in contents] == [n[0] for n in now] and _digest(contents) == digest


class Index:
    """An open, checked, fresh index: the queries that read a part of the map."""

    def __init__(self, db: sqlite3.Connection, fts: bool, nodes: int, edges: int):
        self._db, self._fts, self.nodes, self.edges = db, fts, nodes, edges

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def _rows(self, sql: str, *params) -> list:
        return self._db.execute(sql, params).fetchall()

    def labelled(self, text: str) -> list[int]:
        """Return the positions of the nodes whose id, name or alias folds as ``text`` does, in file order."""
        return [p for (p,) in self._rows("SELECT DISTINCT node FROM labels WHERE label = ? ORDER BY node LIMIT ?",
                                         fold(text), self.nodes)]

    def positions(self, ids) -> list[int]:
        """Return the positions of those of ``ids`` that are nodes, in file order."""
        return [p for (p,) in self._rows("SELECT pos FROM nodes WHERE id IN (SELECT value FROM json_each(?)) "
                                         "ORDER BY pos", json.dumps(list(ids)))]

    def areas(self) -> list[str]:
        """Return the areas that nodes name, in file order."""
        return [a for (a,) in self._rows("SELECT area FROM nodes WHERE area IS NOT NULL GROUP BY area "
                                         "ORDER BY min(pos) LIMIT ?", self.nodes) if type(a) is str]

    def select(self, kind: str | None, area: str | None) -> list[int]:
        """Return the positions of the nodes of ``kind`` in ``area`` (None: any), in file order."""
        return [p for (p,) in self._rows("SELECT pos FROM nodes WHERE (?1 IS NULL OR kind = ?1) "
                                         "AND (?2 IS NULL OR area = ?2) ORDER BY pos", kind, area)]

    def prefixed(self, prefix: str) -> list[tuple[str, str | None]]:
        """Return ``(id, name)`` of the nodes whose id, case folded, starts with ``prefix``, in file order."""
        found = []
        cursor = self._db.execute("SELECT pos, id, fold, name FROM nodes WHERE fold >= ? ORDER BY fold", (prefix,))
        for pos, node, fold, name in cursor:
            if type(fold) is not str or not fold.startswith(prefix):
                break
            found.append((pos, _text(node), name if name is None else _text(name)))
        cursor.close()
        return [(node, name) for _, node, name in sorted(found)]

    def reach(self, starts: list[int], reverse: bool = False, strengths=None, depth: int | None = None,
              alternatives: bool = True, most: int | None = None) -> list[int] | None:
        """Return ``starts`` and the nodes they need (``reverse``: that need them), in file order.

        Only edges of ``strengths`` are followed (None: every edge), at most
        ``depth`` of them (None: any number), and with ``alternatives`` false
        none of an ``any_of`` group. With ``most``, None when the reach holds
        more nodes than that (a walk with no depth bound stops as soon as it has
        found them).
        """
        near, far = ("src", "dst") if not reverse else ("dst", "src")
        where = ["(?2 IS NULL OR e.strength IN (SELECT value FROM json_each(?2)))"]
        if not alternatives:
            where.append("e.alt = 0")
        if depth is None:
            # a LIMIT on the recursive part ends the walk once it has found that many nodes
            sql = (f"WITH RECURSIVE r(pos) AS (SELECT value FROM json_each(?1) UNION "
                   f"SELECT e.{near} FROM r JOIN edges e ON e.{far} = r.pos WHERE {' AND '.join(where)} LIMIT ?3) "
                   f"SELECT pos FROM r ORDER BY pos")
            params = (json.dumps(starts), None if strengths is None else json.dumps(sorted(strengths)),
                      -1 if most is None else most + 1)
        else:
            sql = (f"WITH RECURSIVE r(pos, d) AS (SELECT value, 0 FROM json_each(?1) UNION "
                   f"SELECT e.{near}, r.d + 1 FROM r JOIN edges e ON e.{far} = r.pos "
                   f"WHERE r.d < ?3 AND {' AND '.join(where)}) SELECT DISTINCT pos FROM r ORDER BY pos")
            params = (json.dumps(starts), None if strengths is None else json.dumps(sorted(strengths)), depth)
        found = [p for (p,) in self._db.execute(sql, params)]
        return None if most is not None and len(found) > most else found

    def between(self, source: int, target: int, strengths, relations=()) -> list[int]:
        """Return the nodes reached from ``source`` that reach ``target`` (both included when one reaches
        the other, else none), along edges of ``strengths`` or of ``relations``, in file order.

        Every edge climbs a level (a node's level is the longest chain of edges that ends at it), so
        the walk up from ``target`` stops at ``source``'s level: near ends read few rows.
        """
        follow = ("(e.strength IN (SELECT value FROM json_each(?3)) OR e.relation IN (SELECT value FROM "
                  "json_each(?4)))")
        sql = (f"WITH RECURSIVE up(pos) AS (SELECT ?2 UNION SELECT e.src FROM up JOIN edges e ON e.dst = up.pos "
               f"JOIN nodes n ON n.pos = e.src WHERE {follow} AND (n.level > (SELECT level FROM nodes WHERE pos = ?1) "
               f"OR e.src = ?1)), down(pos) AS (SELECT ?1 WHERE ?1 IN up UNION SELECT e.dst FROM down JOIN edges e "
               f"ON e.src = down.pos WHERE {follow} AND e.dst IN up) SELECT pos FROM down ORDER BY pos")
        return [p for (p,) in self._db.execute(sql, (source, target, json.dumps(sorted(strengths)),
                                                     json.dumps(sorted(relations))))]

    def roots(self, strengths) -> list[int]:
        """Return the nodes no edge of ``strengths`` leads to, in file order."""
        return [p for (p,) in self._rows("SELECT pos FROM nodes n WHERE NOT EXISTS (SELECT 1 FROM edges e "
                                         "WHERE e.dst = n.pos AND e.strength IN (SELECT value FROM json_each(?))) "
                                         "ORDER BY pos", json.dumps(sorted(strengths)))]

    def neighbours(self, pos: int) -> list[int]:
        """Return the node at ``pos`` and every node one edge from it, in file order."""
        return [p for (p,) in self._rows("SELECT ?1 UNION SELECT src FROM edges WHERE dst = ?1 "
                                         "UNION SELECT dst FROM edges WHERE src = ?1 ORDER BY 1", pos)]

    def matching(self, words: list[str]) -> list[int] | None:
        """Return the positions of the nodes holding a word that starts with each of ``words`` (as
        :func:`graph.lookup.search` splits text), in file order; None when the words are not plain
        lower-case ASCII letters, digits and underscores (then every node may match)."""
        if not words or any(not w or not _SAFE_WORD.issuperset(w) for w in words):
            return None
        if self._fts:
            query = " AND ".join(f'"{w}"*' for w in words)
            return [p for (p,) in self._rows("SELECT rowid FROM words WHERE words MATCH ? ORDER BY rowid", query)]
        where = " AND ".join("instr(text, ' ' || ?) > 0" for _ in words)
        return [p for (p,) in self._rows(f"SELECT rowid FROM words WHERE {where} ORDER BY rowid", *words)]

    def part(self, positions: list[int], with_edges: bool = True) -> Partial:
        """Return the nodes at ``positions`` and every edge among them (none unless ``with_edges``), as a
        :class:`~graph.partial.Partial` whose ``positions`` maps each node to its position."""
        wanted = json.dumps(positions)
        nodes, ids = [], {}
        for pos, node, attrs in self._db.execute("SELECT pos, id, attrs FROM nodes WHERE pos IN "
                                                 "(SELECT value FROM json_each(?)) ORDER BY pos", (wanted,)):
            data = json.loads(_text(attrs))
            if type(data) is not dict or type(pos) is not int:
                raise ValueError("a node of the index is not a mapping")
            ids[pos] = _text(node)
            nodes.append((ids[pos], data))
        edges = []
        if with_edges:
            for src, dst, relation, strength, attrs in self._db.execute(
                    "SELECT src, dst, relation, strength, attrs FROM edges WHERE src IN (SELECT value FROM "
                    "json_each(?1)) AND dst IN (SELECT value FROM json_each(?1)) ORDER BY pos", (wanted,)):
                edges.append((ids[src], ids[dst], _edge_data(relation, strength, attrs)))
        part = Partial(nodes, edges)
        part.positions = {node: pos for pos, node in ids.items()}
        return part


def _text(value) -> str:
    if type(value) is not str:
        raise ValueError("a text of the index is not text")
    return value
