"""How tangled a drawing is: the edge crossings of a map's layout, and of Graphviz ``dot``'s, counted alike.

A crossing is two straight segments whose insides meet in one point: segments
that share an end, touch or overlap along a line do not count. A drawing's
segments run between node centres, or through the bends of an edge drawn as a
polyline. The edges counted are the map's structure, every edge but those that
say a resource teaches a topic (:func:`counted_edges`); ``dot`` gets the nodes
those edges touch and those edges, drawn left to right with boxes of the size
the benchmark states (:func:`dot_positions`).

>>> crossings([((0, 0), (2, 2)), ((0, 2), (2, 0)), ((0, 0), (2, 0))])
1
"""

from __future__ import annotations

import shutil
import subprocess
from bisect import insort

import networkx as nx

from .model import RELATIONS

__all__ = ["counted_edges", "crossings", "dot_crossings", "dot_positions", "drawing_segments"]

DOT_GRAPH = "digraph {{ rankdir=LR; node [shape=box, width=1.2, height=0.4];\n{body}}}\n"


def counted_edges(graph: nx.DiGraph, nodes=None) -> list:
    """The edges whose crossings count, in graph order: all but ``teaches`` edges (among ``nodes``, if given)."""
    keep = None if nodes is None else set(nodes)
    edges = []
    for u, v, d in graph.edges(data=True):
        spec = RELATIONS.get(d.get("relation"))
        if spec is not None and spec.teaches:
            continue
        if keep is None or (u in keep and v in keep):
            edges.append((u, v))
    return edges


def drawing_segments(positions: dict, edges: list, bends: dict | None = None) -> list:
    """The straight segments that draw ``edges``: centre to centre, through the edge's bends if it has any."""
    bends = bends or {}
    segments = []
    for u, v in edges:
        points = [positions[u], *bends.get((u, v), ()), positions[v]]
        segments.extend(zip(points, points[1:]))
    return segments


def crossings(segments: list) -> int:
    """The number of pairs of segments that properly cross (their insides meet in a single point).

    Segments are ``((x1, y1), (x2, y2))``. Only pairs whose x-ranges overlap are
    compared: a sweep from left to right keeps the segments still open, sorted by
    where they end.
    """
    items = []
    for (x1, y1), (x2, y2) in segments:
        if (x1, y1) == (x2, y2):
            continue
        if x2 < x1 or (x2 == x1 and y2 < y1):
            x1, y1, x2, y2 = x2, y2, x1, y1
        items.append((x1, y1, x2, y2))
    items.sort()
    count = 0
    open_ends: list = []  # (x2, index), sorted
    for k, (ax1, ay1, ax2, ay2) in enumerate(items):
        # Segments ending before this one starts cannot cross it; one ending where it starts touches at most.
        cut = 0
        while cut < len(open_ends) and open_ends[cut][0] < ax1:
            cut += 1
        if cut:
            del open_ends[:cut]
        alo, ahi = (ay1, ay2) if ay1 <= ay2 else (ay2, ay1)
        dx, dy = ax2 - ax1, ay2 - ay1
        for _, j in open_ends:
            bx1, by1, bx2, by2 = items[j]
            if (by1 if by1 >= by2 else by2) < alo or (by1 if by1 <= by2 else by2) > ahi:
                continue
            d1 = dx * (by1 - ay1) - dy * (bx1 - ax1)
            d2 = dx * (by2 - ay1) - dy * (bx2 - ax1)
            if not ((d1 > 0 > d2) or (d1 < 0 < d2)):
                continue
            ex, ey = bx2 - bx1, by2 - by1
            d3 = ex * (ay1 - by1) - ey * (ax1 - bx1)
            d4 = ex * (ay2 - by1) - ey * (ax2 - bx1)
            if (d3 > 0 > d4) or (d3 < 0 < d4):
                count += 1
        insort(open_ends, (ax2, k))
    return count


def dot_positions(graph: nx.DiGraph, dot: str | None = None, timeout: float = 600) -> dict | None:
    """Where ``dot -Tplain`` puts the nodes of the counted edges, ``{node: (x, y)}`` in inches; ``None``
    without a ``dot`` executable. Nodes are named by their order, so no id needs quoting."""
    dot = dot or shutil.which("dot")
    if dot is None:
        return None
    edges = counted_edges(graph)
    nodes = list(dict.fromkeys(n for edge in edges for n in edge))
    number = {n: i for i, n in enumerate(nodes)}
    body = "".join(f"n{i};\n" for i in range(len(nodes)))
    body += "".join(f"n{number[u]} -> n{number[v]};\n" for u, v in edges)
    run = subprocess.run([dot, "-Tplain"], input=DOT_GRAPH.format(body=body), capture_output=True, text=True,
                         timeout=timeout, check=True)
    positions = {}
    for line in run.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "node":
            positions[nodes[int(parts[1][1:])]] = (float(parts[2]), float(parts[3]))
    return positions


def dot_crossings(graph: nx.DiGraph, dot: str | None = None) -> int | None:
    """The crossings of ``dot``'s drawing of the counted edges, as straight segments between node centres;
    ``None`` without ``dot``."""
    positions = dot_positions(graph, dot)
    if positions is None:
        return None
    return crossings(drawing_segments(positions, counted_edges(graph)))
