"""A cache of loaded data folders, so a repeated query skips parsing YAML.

An entry is a JSON file in the user's cache directory (``GRAPH_CACHE_DIR``
overrides it), named by a SHA-256 of the tool version, the limits, the paths and
the bytes of both data files: any change to a file gives a new key. Only data
without errors is cached, and it is plain JSON: loading it can never run code.

The entry's first line is an HMAC-SHA256 of the rest under a secret of 32
random bytes, kept beside the entries in ``secret.key``: a file the user owns,
that nobody else may read or write. A truncated, altered or forged entry (by
anyone who can write the folder but not read the secret) is ignored and
rebuilt; an entry that verifies was written by this user's own loader from data
its checks accepted, so it is used without checking that data again. When the
secret cannot be trusted (another owner, open permissions, a link), the cache
is not used.

Entries and the secret are written to a temporary file and renamed (or linked)
into place, so concurrent writers leave a valid entry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import operator
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import Diagnostic
from .loaded import Loaded

__all__ = ["cache_dir", "edges_in_order", "fetch", "key", "store"]

_FORMAT = 4
_KEEP = 8  # entries kept; older ones are removed on store
_SECRET = "secret.key"
_SECRET_BYTES = 32


def cache_dir() -> Path:
    """Return the folder holding cache entries."""
    if os.environ.get("GRAPH_CACHE_DIR"):
        return Path(os.environ["GRAPH_CACHE_DIR"])
    import platformdirs

    return Path(platformdirs.user_cache_dir("graph-explorer", appauthor=False))


def key(nodes_path: Path, edges_path: Path, redundant_limit, contents: tuple[bytes, bytes] | None = None) -> str | None:
    """Return the cache key for the two files, or None when one cannot be read.

    ``contents``: the bytes of the two files, when already read.
    """
    from . import __version__
    from .readlimits import file_limit, open_bounded
    from .yamlread import Limits

    digest = hashlib.sha256()
    digest.update(repr((_FORMAT, __version__, str(nodes_path), str(edges_path), redundant_limit,
                        Limits.from_env())).encode())
    limit = file_limit(Limits.from_env().file_bytes)
    try:
        if contents is not None:  # already read, within the loader's limit
            for data in contents:
                digest.update(len(data).to_bytes(8, "little"))
                digest.update(data)
        else:
            for path in (nodes_path, edges_path):  # in chunks, within the loader's limit: never a whole file at once
                with open_bounded(path, limit) as file:
                    digest.update(os.fstat(file.fileno()).st_size.to_bytes(8, "little"))
                    read = 0
                    while read <= limit.bytes:
                        chunk = file.read(1 << 20)
                        if not chunk:
                            break
                        read += len(chunk)
                        digest.update(chunk)
                    if read > limit.bytes:
                        return None
    except OSError:
        return None
    return digest.hexdigest()


def fetch(nodes_path: Path, edges_path: Path, redundant_limit, entry_key: str | None = None, light: bool = False):
    """Return the cached :class:`~graph.load.Loaded` for these files, or None.

    ``entry_key``: the key of the files when already computed. ``light``: the graph is a
    :class:`~graph.partial.Partial` holding the whole map (the same dicts, in the same orders), for
    a caller that only reads it: NetworkX is not imported.
    """
    entry_key = entry_key or key(nodes_path, edges_path, redundant_limit)
    if entry_key is None:
        return None
    try:
        folder = cache_dir()
        raw, _ = _read_file(folder / f"{entry_key}.json")
        seal, _, body = raw.partition(b"\n")
        secret = _secret(folder, create=False)
        if secret is None or not hmac.compare_digest(_seal(secret, body), seal):
            return None
        payload = json.loads(body)
        if payload.get("key") != entry_key:
            return None
        graph, node_lines, edge_lines = _graph(payload, light)
        diagnostics = [Diagnostic(*d) for d in payload["diagnostics"]]
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None
    return Loaded(graph, diagnostics, nodes_path.parent, node_lines, edge_lines)


def _graph(payload: dict, light: bool = False):
    """Rebuild the graph and the lines from an entry's compact arrays.

    Filling the DiGraph's own dicts directly, in the order the loader added
    nodes and edges, gives the same graph as ``add_nodes_from`` and
    ``add_edges_from`` (iteration orders included) in a fraction of the time.
    """
    ids, attrs, lines = payload["ids"], payload["attrs"], payload["node_lines"]
    ends, relations, codes = payload["edges"], payload["relations"], payload["relation"]
    count = len(codes)
    if not (len(ids) == len(attrs) == len(lines) == len(set(ids))
            and len(ends) == 2 * count == 2 * len(payload["edge_lines"])
            and all(type(a) is dict for a in attrs)):
        raise ValueError("inconsistent cache entry")
    sources, targets = ends[:count], ends[count:]
    if count and (min(sources) < 0 or min(targets) < 0):
        raise ValueError("bad edge in cache entry")
    kinds = []  # each code's (relation, strength); strength None for teaches edges
    for relation, strength in relations:
        if type(relation) is not str or not (strength is None or type(strength) is str):
            raise ValueError("bad relation in cache entry")
        kinds.append({"relation": relation} if strength is None else {"relation": relation, "strength": strength})
    datas = [kinds[code].copy() for code in codes]
    for k, data in payload["edge_attrs"]:  # edges with more than a relation and strength, e.g. a reason
        if type(data) is not dict or not 0 <= k < count:
            raise ValueError("bad edge in cache entry")
        datas[k] = data
    heads, tails = [ids[i] for i in sources], [ids[j] for j in targets]
    succ = [{} for _ in ids]
    pred = [{} for _ in ids]
    for i, tail, data in zip(sources, tails, datas):
        succ[i][tail] = data
    for j, head, data in zip(targets, heads, datas):
        pred[j][head] = data
    if sum(map(len, succ)) != count or any(map(operator.eq, sources, targets)):
        raise ValueError("repeated edge or self-loop in cache entry")
    if light:
        from .partial import Partial

        graph = Partial._of(dict(zip(ids, attrs)), dict(zip(ids, succ)), dict(zip(ids, pred)))
    else:
        import networkx as nx

        graph = nx.DiGraph()
        graph._node.update(zip(ids, attrs))
        graph._succ.update(zip(ids, succ))
        graph._pred.update(zip(ids, pred))
    node_lines = _Lazy(lambda: dict(zip(ids, lines)))
    edge_lines = _Lazy(lambda: dict(zip(zip(heads, tails), payload["edge_lines"])))
    return graph, node_lines, edge_lines


class _Lazy(Mapping):
    """A mapping made on first use: where items came from is rarely needed once a graph is cached."""

    def __init__(self, make):
        self._make, self._items = make, None

    def _get(self) -> dict:
        if self._items is None:
            self._items, self._make = self._make(), None
        return self._items

    def __getitem__(self, item):
        return self._get()[item]

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


def _payload(entry_key: str, loaded) -> dict:
    graph = loaded.graph
    ids = list(graph)
    index = {node: i for i, node in enumerate(ids)}
    edges, lines, datas = edges_in_order(loaded)
    relations: dict = {}
    codes = [relations.setdefault((data.get("relation"), data.get("strength")), len(relations)) for data in datas]
    extra = [[k, data] for k, data in enumerate(datas)
             if len(data) != 1 + ("strength" in data) or type(data.get("relation")) is not str]
    return {
        "key": entry_key,
        "ids": ids,
        "attrs": [graph._node[n] for n in ids],
        "node_lines": [loaded.node_lines.get(n, 0) for n in ids],
        "edges": [index[u] for u, _ in edges] + [index[v] for _, v in edges],
        "relations": list(relations),
        "relation": codes,
        "edge_attrs": extra,
        "edge_lines": lines,
        "diagnostics": [[d.path, d.line, d.level, d.message] for d in loaded.diagnostics],
    }


def edges_in_order(loaded) -> tuple[list, list, list]:
    """Return the edges of ``loaded`` in the order the loader added them (file order), their lines and data.

    That order fixes the order of both successors and predecessors when the
    edges are added back. The loader's edge_lines holds every edge in that
    order; otherwise the edges are sorted by line.
    """
    graph = loaded.graph
    edge_lines, succ = loaded.edge_lines, graph._succ
    try:
        if len(edge_lines) != graph.number_of_edges():
            raise KeyError("not one line per edge")
        edges, lines = list(edge_lines), list(edge_lines.values())
        datas = [succ[u][v] for u, v in edges]  # as many distinct edges, all in the graph: all of them
    except (KeyError, TypeError, ValueError):
        edges = sorted(graph.edges, key=lambda e: edge_lines.get(e, 0))
        lines = [edge_lines.get(e, 0) for e in edges]
        datas = [succ[u][v] for u, v in edges]
    return edges, lines, datas


def store(nodes_path: Path, edges_path: Path, redundant_limit, loaded, entry_key: str | None = None) -> None:
    """Save ``loaded`` under the key of these files; do nothing if it has errors or fails.

    ``entry_key``: the key computed before the files were read; when given and
    the files have changed since, nothing is stored (which content was read is
    then unknown).
    """
    if loaded.errors:
        return
    current = key(nodes_path, edges_path, redundant_limit)
    if current is None or (entry_key is not None and current != entry_key):
        return
    try:
        body = json.dumps(_payload(current, loaded), ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode("utf-8")
    except (TypeError, ValueError, KeyError):
        return
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        secret = _secret(folder, create=True)
        if secret is None:
            return
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_seal(secret, body) + b"\n" + body)
            os.replace(tmp, folder / f"{current}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        return


def _seal(secret: bytes, body: bytes) -> bytes:
    return hmac.new(secret, body, hashlib.sha256).hexdigest().encode()


def _secret(folder: Path, create: bool) -> bytes | None:
    """Return the folder's secret, made first if ``create``; None when there is none to trust."""
    path = folder / _SECRET
    if create and not os.path.lexists(path):
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".key")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(os.urandom(_SECRET_BYTES))
            try:
                os.link(tmp, path)  # never replaces a secret another process made meanwhile
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    try:
        secret, info = _read_file(path, _SECRET_BYTES + 1)
    except OSError:
        return None
    if len(secret) != _SECRET_BYTES:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077 or info.st_nlink != 1):
        return None
    return secret


def _read_file(path: Path, size: int = -1) -> tuple[bytes, os.stat_result]:
    """Return up to ``size`` bytes of the regular file ``path`` and its status; never follow a link or wait on a pipe."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"not a regular file: {path}")
        return file.read(size), info


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[_KEEP:]:
        old.unlink(missing_ok=True)
