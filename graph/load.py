"""Turn a data folder (``nodes.yaml`` and ``edges.yaml``) into a ``networkx.DiGraph``.

Nodes carry their YAML fields (all but ``id``) as attributes, in file order;
edges carry ``relation`` (always set, ``prerequisite`` by default), ``strength``
(set on every edge but ``teaches``: ``required`` by default) and ``any_of``,
``why``, ``part``, ``hours`` when given. Everything that reads data goes
through :func:`load`.

>>> from pathlib import Path
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "nodes.yaml").write_text(
...     "nodes:\\n  - {id: a, name: A, kind: topic}\\n  - {id: b, name: B, kind: topic}\\n")
>>> _ = (folder / "edges.yaml").write_text("edges:\\n  - {from: a, to: b}\\n")
>>> loaded = load(folder, use_cache=False)
>>> list(loaded.graph.edges(data=True))
[('a', 'b', {'relation': 'prerequisite', 'strength': 'required'})]
>>> loaded.errors
[]
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError
from .folder import EDGES_FILE, NODES_FILE, bundled_data_dir, resolve_data_dir
from .loaded import Loaded
from .validate import REDUNDANT_LIMIT, check_edges, check_graph, check_nodes
from .yamlread import Limits, read_entries

if TYPE_CHECKING:  # NetworkX is imported where a graph is made, not for its name
    import networkx as nx

__all__ = ["EDGES_FILE", "NODES_FILE", "Loaded", "bundled_data_dir", "load", "load_graph", "resolve_data_dir"]


def load(data_dir: str | os.PathLike, *, use_cache: bool = True,
         redundant_limit: int | None = REDUNDANT_LIMIT, light: bool = False) -> Loaded:
    """Read, check and assemble the data folder ``data_dir``.

    Never raises on bad data: every problem is in ``Loaded.diagnostics`` and the
    graph holds what could be used. ``use_cache`` reuses a cached result for
    unchanged files (see :mod:`graph.cache`). ``light``: a graph read from the
    cache is a :class:`~graph.partial.Partial` of the whole map, made without
    NetworkX, for a caller that only reads its nodes and edges.
    """
    # Loading makes millions of small objects (YAML nodes, entries, the graph's
    # dicts) and no reference cycles. The cyclic collector would walk them all
    # again at every full collection: on 100,000 nodes that is most of the time
    # spent. It is paused while loading and restored after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(data_dir, use_cache, redundant_limit, light)
    finally:
        if collecting:
            gc.enable()


def _load(data_dir, use_cache: bool, redundant_limit: int | None, light: bool = False) -> Loaded:
    data_dir = Path(data_dir)
    nodes_path, edges_path = data_dir / NODES_FILE, data_dir / EDGES_FILE
    entry_key = None
    if use_cache:
        from . import cache

        # The key of the bytes about to be read: a file edited while it loads is then not
        # cached under its new content's key.
        entry_key = cache.key(nodes_path, edges_path, redundant_limit)
        cached = cache.fetch(nodes_path, edges_path, redundant_limit, entry_key, light) if entry_key else None
        if cached is not None:
            cached.data_dir = data_dir
            if redundant_limit == REDUNDANT_LIMIT:
                from .index import ensure_index

                ensure_index(nodes_path, edges_path, cached, entry_key)
            return cached
    nodes_display, edges_display = str(nodes_path), str(edges_path)
    limits = Limits.from_env()

    node_entries, read_nodes = read_entries(nodes_path, nodes_display, "nodes", limits)
    # A file that gives no entry but errors (YAML syntax, its shape, missing) could not be read at all.
    unread = [NODES_FILE] if not node_entries and any(d.level == "error" for d in read_nodes) else []
    nodes, node_lines, rejected, node_problems = check_nodes(node_entries, nodes_display, limits.text_chars)
    kinds = {node_id: attrs.get("kind") for node_id, attrs in nodes}
    entries = [len(node_entries)]
    del node_entries
    edge_entries, read_edges = read_entries(edges_path, edges_display, "edges", limits)
    unread += [EDGES_FILE] if not edge_entries and any(d.level == "error" for d in read_edges) else []
    edges, edge_lines, edge_problems = check_edges(edge_entries, edges_display, kinds, rejected,
                                                   check_ends=not read_nodes)
    entries.append(len(edge_entries))
    # What an edge left out for an error names is not isolated or untaught: the edge is to be fixed.
    named = _ends(edge_entries, edge_lines) if len(edges) < len(edge_entries) else frozenset()
    del edge_entries

    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    # The graph holds copies of every field: the lists it was made from would double them through the
    # checks, the cache entry and the index (gigabytes on a million nodes).
    unusable = bool(read_nodes and not nodes)
    del nodes, edges, kinds
    diagnostics = read_nodes + node_problems + read_edges + edge_problems
    if not unusable:
        diagnostics += check_graph(graph, node_lines, edge_lines, nodes_display, edges_display, redundant_limit,
                                   # a file that could not be read in full would make every warning a guess
                                   warnings=not any(d.level == "error" for d in read_nodes + read_edges),
                                   named=named)
    order = {nodes_display: 0, edges_display: 1}
    diagnostics.sort(key=lambda d: (order.get(d.path, 2), d.line))
    loaded = Loaded(graph, diagnostics, data_dir, node_lines, edge_lines, tuple(unread), tuple(entries))
    if entry_key:
        cache.store(nodes_path, edges_path, redundant_limit, loaded, entry_key)
        if redundant_limit == REDUNDANT_LIMIT:
            from .index import write_index

            write_index(nodes_path, edges_path, loaded, entry_key)
    return loaded


def _ends(entries, kept: dict) -> frozenset:
    """Return the ids that the edge ``entries`` not ``kept`` (a map of ``(from, to)``) name."""
    named = set()
    for entry in entries:
        ends = tuple(v for v in (entry.fields.get("from"), entry.fields.get("to")) if isinstance(v, str))
        if ends not in kept:  # a pair of ids when both are text; the one text id, or none, never kept
            named.update(ends)
    return frozenset(named)


def load_graph(data_dir: str | os.PathLike, *, use_cache: bool = True) -> nx.DiGraph:
    """Return the graph of ``data_dir``, or raise :class:`DataError` if it has errors."""
    loaded = load(data_dir, use_cache=use_cache)
    if loaded.errors:
        raise DataError(loaded.diagnostics)
    return loaded.graph
