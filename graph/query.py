"""Questions about one node: what it needs, what builds on it, why, and what comes next.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_nodes_from(["a", "b", "c"], kind="topic")
>>> g.add_edges_from([("a", "b"), ("b", "c"), ("a", "c")], relation="prerequisite", strength="required")
>>> prerequisites(g, "c")
['a', 'b']
>>> dependents(g, "a")
['b', 'c']
>>> [(r.node, r.repeated) for r in tree(g, "c")]
[('c', False), ('a', False), ('b', False), ('a', False)]
>>> g.add_edge("z", "a", relation="prerequisite", strength="required")
>>> [(r.node, r.repeated) for r in tree(g, "c")]
[('c', False), ('a', False), ('z', False), ('b', False), ('a', True)]
>>> paths(g, "a", "c", limit=5)
[['a', 'c'], ['a', 'b', 'c']]
>>> next_steps(g, {"a", "z"})
['b']
"""

from __future__ import annotations

import heapq
import itertools
from typing import TYPE_CHECKING, NamedTuple

from .model import TEACHING, ordering_strengths
from .plan import _file_rank, ancestors, check_ids, depth_first_order, descendants

if TYPE_CHECKING:  # NetworkX is imported where a graph is made or searched, not for its name
    import networkx as nx

__all__ = ["TreeRow", "dependents", "next_steps", "paths", "prerequisites", "tree", "within_depth"]


class TreeRow(NamedTuple):
    """One line of a dependency tree, rows in preorder.

    ``last``: the row is the last of its siblings. With the rows before it (the
    latest row one level up is its parent), enough to draw the tree's branches,
    in constant space per row however deep the tree. ``repeated``: the subtree
    was shown above and is not repeated. ``cut``: the depth limit hides children.
    ``any_of``: the edge's alternatives group, when it is one of several ways to
    meet the need. ``strength``: the edge's, so a tree that follows recommendations
    can say which edges are only recommended. A named tuple: a deep tree on a large graph has hundreds of
    thousands of rows.
    """

    node: str
    depth: int
    relation: str | None
    last: bool
    repeated: bool = False
    cut: bool = False
    any_of: str | None = None
    strength: str | None = None


def _strengths(include_recommended: bool) -> frozenset:
    return ordering_strengths(include_recommended)


def within_depth(graph: nx.DiGraph, node, depth: int | None, strengths: frozenset, reverse: bool = False) -> set:
    """Return the nodes at most ``depth`` edges from ``node`` (all reachable ones when ``depth`` is None)."""
    if depth is None:
        return (descendants if reverse else ancestors)(graph, node, strengths)
    adjacency = graph._succ if reverse else graph._pred
    seen, frontier = {node}, [node]
    for _ in range(depth):
        nxt = []
        for n in frontier:
            for u, d in adjacency[n].items():
                if u not in seen and d.get("strength") in strengths:
                    seen.add(u)
                    nxt.append(u)
        frontier = nxt
    seen.discard(node)
    return seen


def prerequisites(graph: nx.DiGraph, node, depth: int | None = None, include_recommended: bool = False) -> list:
    """Return what ``node`` needs, in study order (each prerequisite before what needs it)."""
    check_ids(graph, [node])
    strengths = _strengths(include_recommended)
    order = depth_first_order(graph, node, strengths)[:-1]
    if depth is not None:
        near = within_depth(graph, node, depth, strengths)
        order = [n for n in order if n in near]
    return order


def dependents(graph: nx.DiGraph, node, depth: int | None = None, include_recommended: bool = False) -> list:
    """Return what builds on ``node``, in study order (each one after what it needs)."""
    check_ids(graph, [node])
    strengths = _strengths(include_recommended)
    order = depth_first_order(graph.reverse(copy=False), node, strengths)[::-1][1:]
    if depth is not None:
        near = within_depth(graph, node, depth, strengths, reverse=True)
        order = [n for n in order if n in near]
    return order


def tree(graph: nx.DiGraph, root, reverse: bool = False, depth: int | None = None,
         include_recommended: bool = False) -> list[TreeRow]:
    """Return the rows of the prerequisite tree of ``root`` (dependents with ``reverse``).

    Children follow the file order; a node whose subtree was already shown is
    marked ``repeated`` and not expanded again, as ``cargo tree`` does.
    Alternatives are all shown, each marked with its ``any_of`` group.
    """
    check_ids(graph, [root])
    strengths = _strengths(include_recommended)
    adjacency = graph._succ if reverse else graph._pred
    rank = _file_rank(graph)
    kids_of: dict = {}  # each node's children, with whether each is the last, found once

    def children(node):
        found = kids_of.get(node)
        if found is None:
            edges = adjacency[node]
            kids = [u for u, d in edges.items() if d.get("strength") in strengths]
            if len(kids) > 1:
                kids.sort(key=rank.__getitem__)
            end = len(kids) - 1
            found = kids_of[node] = [(u, edges[u].get("relation"), i == end, edges[u].get("any_of"),
                                      edges[u].get("strength")) for i, u in enumerate(kids)]
        return found

    rows = [TreeRow(root, 0, None, True, False, depth == 0 and bool(children(root)))]
    expanded = {root}
    stack = [iter(children(root) if depth != 0 else ())]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        node, relation, last, group, strength = item
        kids = kids_of.get(node)
        if kids is None:
            kids = children(node)
        level = len(stack)
        if kids and node in expanded:
            rows.append(TreeRow(node, level, relation, last, True, False, group, strength))
            continue
        at_limit = depth is not None and level >= depth
        if not at_limit:
            expanded.add(node)
        rows.append(TreeRow(node, level, relation, last, False, at_limit and bool(kids), group, strength))
        if kids and not at_limit:
            stack.append(iter(kids))
    return rows


def paths(graph: nx.DiGraph, source, target, limit: int = 1, include_recommended: bool = False,
          through_resources: bool = False) -> list[list]:
    """Return up to ``limit`` paths by which ``target`` needs ``source``, shortest first.

    Only edges that order study are followed (``recommended`` ones too with
    ``include_recommended``). Resources are left out, unless
    ``through_resources``: then a path may also run through a resource, along
    what it needs and what it teaches. Paths of one length come in file order
    (the first node where two differ: the one earlier in the file first). The
    answer reads only the nodes between the two ends (what ``target`` needs
    that needs ``source``), so a part of the map that holds them gives it too.

    >>> g = nx.DiGraph()
    >>> g.add_nodes_from(["a", "b"], kind="topic"); g.add_node("r", kind="resource")
    >>> g.add_edge("a", "r", relation="prerequisite", strength="required")
    >>> g.add_edge("r", "b", relation="teaches")
    >>> paths(g, "a", "b"), paths(g, "a", "b", through_resources=True)
    ([], [['a', 'r', 'b']])
    """
    check_ids(graph, [source, target])
    if source == target:
        return [[source]]
    strengths = _strengths(include_recommended)
    nodes = graph._node

    def follows(u, v, d):
        if d.get("strength") in strengths:
            return through_resources or (nodes[u].get("kind") != "resource" and nodes[v].get("kind") != "resource")
        return through_resources and d.get("relation") in TEACHING

    return list(itertools.islice(_shortest_first(graph, source, target, follows), limit))


def _shortest_first(graph: nx.DiGraph, source, target, follows):
    """Yield the simple paths from ``source`` to ``target`` along the edges ``follows(u, v, data)`` accepts,
    shortest first, those of one length in file order.

    The walk is restricted first to the nodes between the ends (reached from
    ``source`` and reaching ``target``); there a best-first search whose bound is
    a path's length so far plus its last node's distance to ``target`` pops
    paths in order of (length, file positions of their nodes).
    """
    succ, pred = graph._succ, graph._pred
    distance = {target: 0}  # edges to the target, for every node that reaches it
    wave = [target]
    while wave:
        following = []
        for v in wave:
            for u, d in pred[v].items():
                if u not in distance and follows(u, v, d):
                    distance[u] = distance[v] + 1
                    following.append(u)
        wave = following
    if source not in distance:
        return
    between, stack = {source}, [source]
    while stack:
        u = stack.pop()
        for v, d in succ[u].items():
            if v in distance and v not in between and follows(u, v, d):
                between.add(v)
                stack.append(v)
    order = [n for n in graph if n in between]
    rank = {n: i for i, n in enumerate(order)}
    ahead = {u: sorted((rank[v] for v, d in succ[u].items() if v in between and follows(u, v, d)))
             for u in order}
    frontier = [(distance[source], (rank[source],))]
    end = rank[target]
    while frontier:
        _, ranks = heapq.heappop(frontier)
        last = ranks[-1]
        if last == end:
            yield [order[r] for r in ranks]
            continue
        steps = len(ranks)
        for r in ahead[order[last]]:
            if r not in ranks:  # a simple path (the map is acyclic, but a resource's edges may turn back)
                heapq.heappush(frontier, (steps + distance[order[r]], ranks + (r,)))



def next_steps(graph: nx.DiGraph, known: set, target=None, include_recommended: bool = False,
               among=None) -> list:
    """Return what can be studied now: nodes not known whose prerequisites are all known.

    ``known`` should already hold its prerequisites (see
    :func:`graph.plan.known_closure`). Of alternatives (an ``any_of`` group),
    one known member is enough. Resources that only teach are left out (they
    are offered with the topics they teach). With ``target``, only nodes on
    the way to it count. Results follow the file order.

    ``among``: the nodes that may be ready, when not every node of ``graph`` may (a part of a map
    holds them with what they need and lead to, and other nodes whose prerequisites it lacks).
    """
    strengths = _strengths(include_recommended)
    pool = graph.nodes
    if target is not None:
        check_ids(graph, [target])
        pool = ancestors(graph, target, strengths) | {target}
    found = []
    for node in graph:
        if node in known or node not in pool or (among is not None and node not in among):
            continue
        data = graph.nodes[node]
        if data.get("kind") == "resource" and not any(
                d.get("strength") in strengths for d in graph._succ[node].values()):
            continue
        groups: dict = {}
        ready = True
        for u, d in graph._pred[node].items():
            if d.get("strength") not in strengths:
                continue
            if "any_of" in d:
                groups[d["any_of"]] = groups.get(d["any_of"], False) or u in known
            elif u not in known:
                ready = False
                break
        if ready and all(groups.values()):
            found.append(node)
    return found
