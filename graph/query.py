"""Questions about one node: what it needs, what builds on it, why, and what comes next.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_nodes_from(["a", "b", "c"], kind="topic")
>>> g.add_edges_from([("a", "b"), ("b", "c"), ("a", "c")], relation="prerequisite")
>>> prerequisites(g, "c")
['a', 'b']
>>> dependents(g, "a")
['b', 'c']
>>> [(r.node, r.repeated) for r in tree(g, "c")]
[('c', False), ('a', False), ('b', False), ('a', False)]
>>> g.add_edge("z", "a", relation="prerequisite")
>>> [(r.node, r.repeated) for r in tree(g, "c")]
[('c', False), ('a', False), ('z', False), ('b', False), ('a', True)]
>>> paths(g, "a", "c", limit=5)
[['a', 'c'], ['a', 'b', 'c']]
>>> next_steps(g, {"a", "z"})
['b']
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import networkx as nx

from .model import ordering_relations
from .plan import _file_rank, ancestors, check_ids, depth_first_order, descendants

__all__ = ["TreeRow", "dependents", "next_steps", "paths", "prerequisites", "tree", "within_depth"]


class TreeRow(NamedTuple):
    """One line of a dependency tree, rows in preorder.

    ``last``: the row is the last of its siblings. With the rows before it (the
    latest row one level up is its parent), enough to draw the tree's branches,
    in constant space per row however deep the tree. ``repeated``: the subtree
    was shown above and is not repeated. ``cut``: the depth limit hides children.
    A named tuple: a deep tree on a large graph has hundreds of thousands of rows.
    """

    node: str
    depth: int
    relation: str | None
    last: bool
    repeated: bool = False
    cut: bool = False


def _relations(include_recommended: bool) -> frozenset:
    return ordering_relations(include_recommended)


def within_depth(graph: nx.DiGraph, node, depth: int | None, relations: frozenset, reverse: bool = False) -> set:
    """Return the nodes at most ``depth`` edges from ``node`` (all reachable ones when ``depth`` is None)."""
    if depth is None:
        return (descendants if reverse else ancestors)(graph, node, relations)
    adjacency = graph._succ if reverse else graph._pred
    seen, frontier = {node}, [node]
    for _ in range(depth):
        nxt = []
        for n in frontier:
            for u, d in adjacency[n].items():
                if u not in seen and d.get("relation") in relations:
                    seen.add(u)
                    nxt.append(u)
        frontier = nxt
    seen.discard(node)
    return seen


def prerequisites(graph: nx.DiGraph, node, depth: int | None = None, include_recommended: bool = False) -> list:
    """Return what ``node`` needs, in study order (each prerequisite before what needs it)."""
    check_ids(graph, [node])
    relations = _relations(include_recommended)
    order = depth_first_order(graph, node, relations)[:-1]
    if depth is not None:
        near = within_depth(graph, node, depth, relations)
        order = [n for n in order if n in near]
    return order


def dependents(graph: nx.DiGraph, node, depth: int | None = None, include_recommended: bool = False) -> list:
    """Return what builds on ``node``, in study order (each one after what it needs)."""
    check_ids(graph, [node])
    relations = _relations(include_recommended)
    order = depth_first_order(graph.reverse(copy=False), node, relations)[::-1][1:]
    if depth is not None:
        near = within_depth(graph, node, depth, relations, reverse=True)
        order = [n for n in order if n in near]
    return order


def tree(graph: nx.DiGraph, root, reverse: bool = False, depth: int | None = None,
         include_recommended: bool = False) -> list[TreeRow]:
    """Return the rows of the prerequisite tree of ``root`` (dependents with ``reverse``).

    Children follow the file order; a node whose subtree was already shown is
    marked ``repeated`` and not expanded again, as ``cargo tree`` does.
    """
    check_ids(graph, [root])
    relations = _relations(include_recommended)
    adjacency = graph._succ if reverse else graph._pred
    rank = _file_rank(graph)
    kids_of: dict = {}  # each node's children, with whether each is the last, found once

    def children(node):
        found = kids_of.get(node)
        if found is None:
            kids = [u for u, d in adjacency[node].items() if d.get("relation") in relations]
            if len(kids) > 1:
                kids.sort(key=rank.__getitem__)
            end = len(kids) - 1
            found = kids_of[node] = [(u, adjacency[node][u].get("relation"), i == end) for i, u in enumerate(kids)]
        return found

    rows = [TreeRow(root, 0, None, True, False, depth == 0 and bool(children(root)))]
    expanded = {root}
    stack = [iter(children(root) if depth != 0 else ())]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        node, relation, last = item
        kids = kids_of.get(node)
        if kids is None:
            kids = children(node)
        level = len(stack)
        if kids and node in expanded:
            rows.append(TreeRow(node, level, relation, last, True, False))
            continue
        at_limit = depth is not None and level >= depth
        if not at_limit:
            expanded.add(node)
        rows.append(TreeRow(node, level, relation, last, False, at_limit and bool(kids)))
        if kids and not at_limit:
            stack.append(iter(kids))
    return rows


def paths(graph: nx.DiGraph, source, target, limit: int = 1) -> list[list]:
    """Return up to ``limit`` paths from ``source`` to ``target`` over every relation, shortest first."""
    check_ids(graph, [source, target])
    if source == target:
        return [[source]]
    try:
        return list(itertools.islice(nx.shortest_simple_paths(graph, source, target), limit))
    except nx.NetworkXNoPath:
        return []


def next_steps(graph: nx.DiGraph, known: set, target=None, include_recommended: bool = False) -> list:
    """Return what can be studied now: nodes not known whose prerequisites are all known.

    ``known`` should already hold its prerequisites (see
    :func:`graph.plan.known_closure`). Resources that only teach are left out
    (they are offered with the topics they teach). With ``target``, only nodes
    on the way to it count. Results follow the file order.
    """
    relations = _relations(include_recommended)
    pool = graph.nodes
    if target is not None:
        check_ids(graph, [target])
        pool = ancestors(graph, target, relations) | {target}
    found = []
    for node in graph:
        if node in known or node not in pool:
            continue
        data = graph.nodes[node]
        if data.get("kind") == "resource" and not any(
                d.get("relation") in relations for d in graph._succ[node].values()):
            continue
        if all(u in known for u, d in graph._pred[node].items() if d.get("relation") in relations):
            found.append(node)
    return found
