"""A cache of loaded data folders, so a repeated query skips parsing YAML.

An entry is a JSON file in the user's cache directory (``GRAPH_CACHE_DIR``
overrides it), named by a SHA-256 of the tool version, the limits, the paths and
the bytes of both data files: any change to a file gives a new key. The file's
first line is a SHA-256 of the rest, so a truncated or altered entry is ignored
and rebuilt. It is plain JSON: loading it can never run code. Entries are
written to a temporary file and renamed into place, so concurrent writers leave
a valid entry. Only data without errors is cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import networkx as nx

from .errors import Diagnostic

__all__ = ["cache_dir", "fetch", "key", "store"]

_FORMAT = 1
_KEEP = 8  # entries kept; older ones are removed on store


def cache_dir() -> Path:
    """Return the folder holding cache entries."""
    if os.environ.get("GRAPH_CACHE_DIR"):
        return Path(os.environ["GRAPH_CACHE_DIR"])
    import platformdirs

    return Path(platformdirs.user_cache_dir("graph-explorer", appauthor=False))


def key(nodes_path: Path, edges_path: Path, redundant_limit) -> str | None:
    """Return the cache key for the two files, or None when one cannot be read."""
    from . import __version__
    from .yamlread import Limits

    digest = hashlib.sha256()
    digest.update(repr((_FORMAT, __version__, str(nodes_path), str(edges_path), redundant_limit,
                        Limits.from_env())).encode())
    try:
        for path in (nodes_path, edges_path):
            data = path.read_bytes()
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
    except OSError:
        return None
    return digest.hexdigest()


def fetch(nodes_path: Path, edges_path: Path, redundant_limit):
    """Return the cached :class:`~graph.load.Loaded` for these files, or None."""
    from .load import Loaded

    entry_key = key(nodes_path, edges_path, redundant_limit)
    if entry_key is None:
        return None
    try:
        raw = (cache_dir() / f"{entry_key}.json").read_bytes()
        checksum, _, body = raw.partition(b"\n")
        if hashlib.sha256(body).hexdigest().encode() != checksum:
            return None
        payload = json.loads(body)
        if payload.get("key") != entry_key:
            return None
        graph = nx.DiGraph()
        graph.add_nodes_from(payload["nodes"])
        graph.add_edges_from(payload["edges"])
        diagnostics = [Diagnostic(*d) for d in payload["diagnostics"]]
        node_lines = dict(zip(graph, payload["node_lines"]))
        edge_lines = {(u, v): line for (u, v, _), line in zip(payload["edges"], payload["edge_lines"])}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return Loaded(graph, diagnostics, nodes_path.parent, node_lines, edge_lines)


def store(nodes_path: Path, edges_path: Path, redundant_limit, loaded) -> None:
    """Save ``loaded`` under the key of these files; do nothing if it has errors or fails."""
    if loaded.errors:
        return
    entry_key = key(nodes_path, edges_path, redundant_limit)
    if entry_key is None:
        return
    graph = loaded.graph
    payload = {
        "key": entry_key,
        "nodes": list(graph.nodes(data=True)),
        "edges": list(graph.edges(data=True)),
        "diagnostics": [[d.path, d.line, d.level, d.message] for d in loaded.diagnostics],
        "node_lines": [loaded.node_lines.get(n, 0) for n in graph],
        "edge_lines": [loaded.edge_lines.get((u, v), 0) for u, v in graph.edges],
    }
    try:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError):
        return
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
            os.replace(tmp, folder / f"{entry_key}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[_KEEP:]:
        old.unlink(missing_ok=True)
