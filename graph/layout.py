"""Where the map's nodes go: a layered drawing, left to right, in the manner of Graphviz ``dot``.

:func:`layout` places the nodes of a map in columns in study order (what a
topic needs lies to its left) and returns their positions and, for an edge that
spans several columns, the bends it is drawn through. Up to
:data:`LAYERED_UP_TO` drawn nodes (and :data:`VIRTUAL_UP_TO` bends) it draws as
``dot`` does, in four steps:

1. columns: each node one past its furthest prerequisite, then moved right
   towards what it leads to where that shortens its edges (a node with no
   prerequisite stays in the first column: study starts on the left);
2. bends: an edge that spans columns gets a virtual node in each column it
   passes, so every segment joins two neighbouring columns;
3. order: the rows of each column are sorted by the weighted median of their
   neighbours, sweeping right and left, each sweep followed by transpositions of
   neighbours that lower the crossings, from two starting orders, keeping the
   order with the fewest crossings (up to 24 sweeps a start, as ``dot``; fewer
   on a map with many bends, within :data:`SWEEP_BUDGET` rows times sweeps);
4. coordinates: Brandes and Köpf's four alignments, balanced, so that long
   edges run straight and a node sits level with its neighbours where it can.

Resources that only teach (their ``teaches`` edges are drawn on selection, not
at first view) are not part of the structure: each sits in the column just left
of the first topic it teaches, ordered and aligned with it, as a prerequisite
would be. Above those sizes the layout is the fast one: longest-path columns, a
few barycenter sweeps, crowded columns wrapped, straight edges.

Everything is deterministic: the same nodes and edges in the same order give
the same drawing.

>>> import networkx as nx
>>> drawing = layout(nx.DiGraph([("a", "c"), ("b", "c"), ("c", "d"), ("a", "d")]))
>>> sorted((n, x) for n, (x, y) in drawing.positions.items()), drawing.layered
([('a', 0), ('b', 0), ('c', 220), ('d', 440)], True)
>>> drawing.bends[("a", "d")][0][0]
220
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field

import networkx as nx

from .model import RELATIONS

__all__ = ["LAYERED_UP_TO", "VIRTUAL_UP_TO", "Layout", "layout"]

LAYERED_UP_TO = 2500  # drawn nodes drawn by the layered engine; above, the fast layout
# Bends (virtual nodes) the layered engine takes on; above, the fast layout. Metacademy's 487 nodes need
# 2,128 bends (about 1 s of layout), a generated 1,000-node map 36,834 (about 2 s); at this limit about 3 s.
VIRTUAL_UP_TO = 60_000

COLUMN_GAP = 220  # between two columns
SUB_GAP = 120  # the fast layout: between the sub-columns of one crowded column
ROW_GAP = 64  # the fast layout: the least gap between rows; short columns are spread up to MAX_ROW_GAP
MAX_ROW_GAP = 150
ASPECT = 1.8  # the fast layout: the width / height it aims for
SWEEPS = 4  # the fast layout's barycenter sweeps

LABEL_WIDTH = 170  # the page's widthConstraint for labels
WRAP_WIDTH = 110  # where their lines break in practice (vis-network wraps at word ends within it)
LINE_HEIGHT = 16  # of a label's line, at the page's 14 px font
CHAR_WIDTH = 7.0  # a label's mean character width, at that font
LABEL_CHARS = 48  # the page shortens longer labels to this
NODE_SIZES = {"topic": 15, "resource": 11, "degree": 26}  # the page's node radius by kind
ROW_SPACE = 8  # the least space between two nodes of one column (label included)
BEND_SPACE = 10  # between a bend and its neighbour in a column
MAX_ITERATIONS = 24  # median sweeps per starting order, as dot's default
MIN_ITERATIONS = 4  # the least, however many rows
# Rows (real and bends) times sweeps that one starting order may spend: 24 sweeps up to 6,600 rows, fewer
# above, so the time grows with the bends rather than with bends times 24. A generated 1,000-node map
# (37,800 rows) gets 4 sweeps a start, and its fewest crossings came by the fourth in every run measured.
SWEEP_BUDGET = 160_000
STALE_ITERATIONS = 8  # stop after this many sweeps without fewer crossings (dot's MinQuit)


@dataclass
class Layout:
    """Positions ``{node: (x, y)}``, each edge's bends ``{(u, v): [(x, y), ...]}`` (only edges drawn through
    bends), and whether the layered engine drew it (``False``: the fast layout, straight edges)."""

    positions: dict
    bends: dict = field(default_factory=dict)
    layered: bool = False


def layout(graph: nx.DiGraph, order: list | None = None, edges: list | None = None) -> Layout:
    """Lay out ``graph`` left to right: columns in study order, rows ordered to keep edges from crossing.

    ``order`` (default: all nodes) and ``edges`` (pairs among them; default: the
    graph's edges among them) restrict the drawing. The layered engine draws up
    to :data:`LAYERED_UP_TO` nodes; larger maps get the fast layout.
    """
    order = list(graph) if order is None else list(order)
    if edges is None:
        drawn = set(order)
        edges = [(u, v) for u in order for v in graph._succ[u] if v in drawn]
    edges = [(e[0], e[1]) for e in edges]
    if len(order) <= LAYERED_UP_TO:
        found = _layered(graph, order, edges)
        if found is not None:
            return found
    return Layout(_fast(graph, order, edges), {}, False)


# --- the layered engine ------------------------------------------------------------------------------------------

def _teaches(graph: nx.DiGraph, u, v) -> bool:
    spec = RELATIONS.get(graph._succ[u][v].get("relation")) if v in graph._succ.get(u, ()) else None
    return bool(spec and spec.teaches)


def _layered(graph: nx.DiGraph, order: list, edges: list) -> Layout | None:
    """The layered drawing, or ``None`` when it would need more than :data:`VIRTUAL_UP_TO` bends."""
    structure, taught = [], {}
    for u, v in edges:
        if u == v:
            continue
        if _teaches(graph, u, v):
            taught.setdefault(u, []).append(v)
        else:
            structure.append((u, v))
    touched = {n for edge in structure for n in edge}
    # A node whose only edges say what it teaches is drawn beside the first topic it teaches.
    satellites = [n for n in order if n in taught and n not in touched]
    placed = [n for n in order if n not in set(satellites)]
    number = {n: i for i, n in enumerate(placed)}
    count = len(placed)
    pairs = list(dict.fromkeys((number[u], number[v]) for u, v in structure if u in number and v in number))
    pairs, reversed_pairs = _acyclic(count, pairs)

    level = _columns(count, pairs)
    spans = sum(level[v] - level[u] - 1 for u, v in pairs)
    if spans > VIRTUAL_UP_TO:
        return None

    # A resource that only teaches sits just left of the first topic it teaches, tied to it for the order.
    up: list = [[] for _ in range(count)]
    down: list = [[] for _ in range(count)]
    anchors = {}
    for n in satellites:
        targets = [number[t] for t in taught[n] if t in number and number[t] < count]
        i = len(level)
        number[n] = i
        up.append([])
        down.append([])
        if targets:
            anchors[i] = min(targets, key=lambda t: (level[t], t))
            level.append(level[anchors[i]] - 1)
        else:
            level.append(0)
    shift = -min(level, default=0)
    layer_of = [c + shift for c in level]
    real = len(layer_of)

    # The proper layered graph: real rows 0..real-1, then the bends.
    chains = {}
    for u, v in pairs:
        previous = u
        chain = []
        for column in range(layer_of[u] + 1, layer_of[v]):
            w = len(layer_of)
            layer_of.append(column)
            up.append([previous])
            down.append([])
            down[previous].append(w)
            chain.append(w)
            previous = w
        down[previous].append(v)
        up[v].append(previous)
        if chain:
            chains[(u, v)] = chain
    columns = max(layer_of, default=-1) + 1
    names = sorted(number, key=number.__getitem__)
    # The structure is ordered without them; each then takes the place where its edge crosses least.
    layers = _order(count, layer_of, up, down, columns, [_first_key(graph, n) for n in names])
    _place_satellites(layers, anchors, layer_of, down, real)
    for i, anchor in anchors.items():
        down[i].append(anchor)
        up[anchor].append(i)
    sizes = [_extent(graph, names[v] if v < real else None) for v in range(len(layer_of))]
    ys = _coordinates(layers, up, down, real, sizes)
    _pack_start(layers, ys, sizes, shift, anchors)

    def at(v):
        return ((layer_of[v] - shift) * COLUMN_GAP, round(ys[v]))

    positions = {n: at(i) for n, i in number.items()}
    bends = {}
    for (u, v), chain in chains.items():
        points = [at(w) for w in chain]
        a, b = names[u], names[v]
        if (u, v) in reversed_pairs:
            a, b, points = b, a, points[::-1]
        bends[(a, b)] = points
    return Layout(positions, bends, True)


def _first_key(graph: nx.DiGraph, node) -> tuple:
    """The first order within a column: by area, then graph order (the caller's order breaks ties)."""
    area = graph._node[node].get("area") if node in graph._node else None
    return (not isinstance(area, str), area if isinstance(area, str) else "")


def _acyclic(count: int, pairs: list) -> tuple[list, set]:
    """The edges with those that close a cycle turned round (depth-first, in order), and the set turned."""
    succ = [[] for _ in range(count)]
    for u, v in pairs:
        succ[u].append(v)
    state = [0] * count  # 0 unseen, 1 on the stack, 2 done
    back = set()
    for root in range(count):
        if state[root]:
            continue
        stack = [(root, iter(succ[root]))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            for child in children:
                if state[child] == 1:
                    back.add((node, child))
                elif state[child] == 0:
                    state[child] = 1
                    stack.append((child, iter(succ[child])))
                    break
            else:
                state[node] = 2
                stack.pop()
    if not back:
        return pairs, set()
    turned = list(dict.fromkeys((v, u) if (u, v) in back else (u, v) for u, v in pairs))
    return turned, {(v, u) for u, v in back}


def _columns(count: int, pairs: list) -> list:
    """Each node's column: one past its furthest prerequisite, then moved right where it has more edges
    out than in (towards what it leads to) as far as its successors allow; sources stay in column 0."""
    preds = [[] for _ in range(count)]
    succs = [[] for _ in range(count)]
    for u, v in pairs:
        succs[u].append(v)
        preds[v].append(u)
    waiting = [len(p) for p in preds]
    queue = [n for n in range(count) if not waiting[n]]
    level = [0] * count
    for n in queue:
        for s in succs[n]:
            if level[s] < level[n] + 1:
                level[s] = level[n] + 1
            waiting[s] -= 1
            if not waiting[s]:
                queue.append(s)
    for _ in range(4):
        moved = False
        for n in reversed(queue):
            if not preds[n] or not succs[n] or len(succs[n]) <= len(preds[n]):
                continue
            latest = min(level[s] for s in succs[n]) - 1
            if latest > level[n]:
                level[n] = latest
                moved = True
        for n in queue:
            if not preds[n] or len(preds[n]) <= len(succs[n]):
                continue
            earliest = max(level[p] for p in preds[n]) + 1
            if earliest < level[n]:
                level[n] = earliest
                moved = True
        if not moved:
            break
    return level


def _order(count: int, layer_of: list, up: list, down: list, columns: int, keys: list) -> list:
    """The rows of each column, with as few crossings as the sweeps find."""
    starts = []
    first = [[] for _ in range(columns)]
    for v in sorted(range(count), key=lambda v: (keys[v], v)):
        first[layer_of[v]].append(v)
    starts.append(_spread(first, layer_of, down, columns, forward=True))
    starts.append(_spread(first, layer_of, up, columns, forward=False))
    best, best_count = None, None
    iterations = max(MIN_ITERATIONS, min(MAX_ITERATIONS, SWEEP_BUDGET // max(1, len(up))))
    for layers in starts:
        found, crossings = _mincross(layers, up, down, iterations)
        if best_count is None or crossings < best_count:
            best, best_count = found, crossings
    return best


def _spread(first: list, layer_of: list, ahead: list, columns: int, forward: bool) -> list:
    """A starting order, as dot builds one: breadth-first walks from each real node not yet reached, column
    by column from the first (or the last), each column's real nodes in ``first``'s order."""
    layers: list = [[] for _ in range(columns)]
    seen = set()
    for column in (range(columns) if forward else range(columns - 1, -1, -1)):
        for v in first[column]:
            if v in seen:
                continue
            seen.add(v)
            layers[column].append(v)
            queue = [v]
            for x in queue:
                for w in ahead[x]:
                    if w not in seen:
                        seen.add(w)
                        layers[layer_of[w]].append(w)
                        queue.append(w)
    return layers


def _mincross(layers: list, up: list, down: list, iterations: int) -> tuple[list, int]:
    """dot's loop: a median sweep (right, then left, in turn), transpositions, keep the best; at most
    ``iterations`` sweeps."""
    position = [0] * len(up)
    for layer in layers:
        for i, v in enumerate(layer):
            position[v] = i
    best = [list(layer) for layer in layers]
    best_count = _count(layers, down, position)
    stale = 0
    for iteration in range(iterations):
        if best_count == 0:
            break
        reverse = iteration % 4 < 2
        if iteration % 2 == 0:
            for r in range(1, len(layers)):
                _reorder(layers[r], up, position, reverse)
        else:
            for r in range(len(layers) - 2, -1, -1):
                _reorder(layers[r], down, position, reverse)
        _transpose(layers, up, down, position, not reverse)
        found = _count(layers, down, position)
        if found < best_count:
            best, best_count, stale = [list(layer) for layer in layers], found, 0
        else:
            stale += 1
            if stale >= STALE_ITERATIONS:
                break
    return best, best_count


def _median(values: list) -> float:
    """Gansner et al.'s weighted median of sorted neighbour positions; -1 for none."""
    m = len(values)
    if m == 0:
        return -1.0
    half = m // 2
    if m % 2:
        return float(values[half])
    if m == 2:
        return (values[0] + values[1]) / 2
    left = values[half - 1] - values[0]
    right = values[-1] - values[half]
    if left + right == 0:
        return (values[half - 1] + values[half]) / 2
    return (values[half - 1] * right + values[half] * left) / (left + right)


def _reorder(layer: list, neighbours: list, position: list, reverse: bool) -> None:
    """Sort ``layer`` by its nodes' medians; a node without neighbours keeps its place."""
    fixed, movable = [], []
    for i, v in enumerate(layer):
        near = neighbours[v]
        if not near:
            fixed.append(i)
            continue
        if len(near) == 1:
            key = float(position[near[0]])
        else:
            key = _median(sorted(position[w] for w in near))
        movable.append((key, -i if reverse else i, v))
    movable.sort()
    fixed_at = set(fixed)
    k = 0
    for i in range(len(layer)):
        if i in fixed_at:
            continue
        layer[i] = movable[k][2]
        k += 1
    for i, v in enumerate(layer):
        position[v] = i


def _keys(layer: list, near: list, position: list, keys: list) -> None:
    """Each node's neighbour positions in a column either side: an int for one neighbour, else a sorted list."""
    for v in layer:
        n = near[v]
        if len(n) == 1:
            keys[v] = position[n[0]]
        elif n:
            keys[v] = sorted([position[x] for x in n])
        else:
            keys[v] = None


def _moved(nodes: list, keys: list, old: int, new: int) -> None:
    """A node went from row ``old`` to row ``new``: its neighbours' keys (``nodes``) say so."""
    for x in nodes:
        k = keys[x]
        if k.__class__ is int:
            keys[x] = new
        else:
            k[bisect_left(k, old)] = new


def _transpose(layers: list, up: list, down: list, position: list, reverse: bool) -> None:
    """Swap neighbours in a column while that lowers the crossings (or, ``reverse``, keeps them equal)."""
    count = len(layers)
    candidate = [True] * count
    # Each node's neighbour positions either side, kept up to date through every swap.
    upkey, downkey = [None] * len(up), [None] * len(up)
    for layer in layers:
        _keys(layer, up, position, upkey)
        _keys(layer, down, position, downkey)
    changed = True
    rounds = 0
    last = count - 1
    while changed and rounds < 8:
        changed = False
        rounds += 1
        for r, layer in enumerate(layers):
            if not candidate[r]:
                continue
            candidate[r] = False
            if len(layer) < 2:
                continue
            v = layer[0]
            a, c = upkey[v], downkey[v]
            for i in range(len(layer) - 1):
                w = layer[i + 1]
                b, d = upkey[w], downkey[w]
                if a.__class__ is int and b.__class__ is int:
                    c0, c1 = a > b, a < b
                elif a is None or b is None:
                    c0 = c1 = 0
                else:
                    c0, c1 = _pair(a, b)
                if c.__class__ is int and d.__class__ is int:
                    c0 += c > d
                    c1 += c < d
                elif c is not None and d is not None:
                    d0, d1 = _pair(c, d)
                    c0 += d0
                    c1 += d1
                if c1 < c0 or (reverse and c0 > 0 and c1 == c0):
                    layer[i], layer[i + 1] = w, v
                    position[v], position[w] = i + 1, i
                    _moved(down[v], upkey, i, i + 1)
                    _moved(down[w], upkey, i + 1, i)
                    _moved(up[v], downkey, i, i + 1)
                    _moved(up[w], downkey, i + 1, i)
                    if c1 < c0:
                        changed = True
                        candidate[r] = True
                        if r > 0:
                            candidate[r - 1] = True
                        if r < last:
                            candidate[r + 1] = True
                else:
                    v, a, c = w, b, d


def _pair(a, b) -> tuple[int, int]:
    """For the neighbour positions of two nodes (an int or a sorted list each): crossings with a's node
    above b's, and below it."""
    if a.__class__ is int:
        a = [a]
    if b.__class__ is int:
        b = [b]
    c0 = c1 = 0
    n = len(b)
    for x in a:
        c0 += bisect_left(b, x)
        c1 += n - bisect_right(b, x)
    return c0, c1


def _count(layers: list, down: list, position: list) -> int:
    """All crossings between neighbouring columns: the inversions of each gap's edge ends."""
    total = 0
    for layer in layers[:-1]:
        seen: list = []
        for v in layer:
            targets = sorted([position[w] for w in down[v]])
            for p in targets:
                total += len(seen) - bisect_right(seen, p)
            for p in targets:
                insort(seen, p)
    return total


def _pack_start(layers: list, ys: list, sizes: list, shift: int, anchors: dict) -> None:
    """Close up the first column (where study starts: what can be studied now) round its middle, so that it
    reads as one list; the resources left of it follow their topics. Crossings between neighbouring
    columns depend on the order alone, so they do not change."""
    if shift >= len(layers) or not layers[shift]:
        return
    column = layers[shift]
    middle = sorted(ys[v] for v in column)[len(column) // 2]
    packed = [0.0]
    for a, b in zip(column, column[1:]):
        packed.append(packed[-1] + sizes[a][1] + sizes[b][0])
    centre = packed[len(column) // 2] if column else 0
    for v, y in zip(column, packed):
        ys[v] = y - centre + middle
    if shift:
        lowest = -math.inf
        previous = None
        for v in layers[shift - 1]:
            want = ys[anchors[v]] if v in anchors else ys[v]
            if previous is not None:
                lowest = ys[previous] + sizes[previous][1] + sizes[v][0]
            ys[v] = max(want, lowest)
            previous = v


def _place_satellites(layers: list, anchors: dict, layer_of: list, down: list, real: int) -> None:
    """Insert each satellite (row -> its anchor in the next column) where its edge crosses the fewest
    edges between the two columns; a satellite with no anchor goes last in its column."""
    position = {}
    for layer in layers:
        for i, v in enumerate(layer):
            position[v] = i
    for i in sorted(anchors, key=lambda i: (layer_of[i], position[anchors[i]], i)):
        layer = layers[layer_of[i]]
        target = position[anchors[i]]
        # Crossings if inserted at k: edges from rows before k that end below the anchor, and from rows
        # after k that end above it. Start at k = 0 and move down one row at a time.
        ends = [[position[w] for w in down[v] if w in position] for v in layer]
        cost = sum(1 for e in ends for p in e if p < target)
        best, best_at = cost, 0
        for k, e in enumerate(ends):
            cost += sum(1 for p in e if p > target) - sum(1 for p in e if p < target)
            if cost < best or (cost == best and k + 1 <= len(layer) and _ties_lower(e, target)):
                best, best_at = cost, k + 1
        layer.insert(best_at, i)
        for k in range(best_at, len(layer)):
            position[layer[k]] = k
    for i in range(real):
        if i not in anchors and i not in position and not down[i]:
            layers[layer_of[i]].append(i)
            position[i] = len(layers[layer_of[i]]) - 1


def _ties_lower(ends: list, target: int) -> bool:
    """Whether a row whose edges end at ``ends`` sits above the anchor (a tie then goes below it)."""
    return bool(ends) and max(ends) <= target


def _extent(graph: nx.DiGraph, node) -> tuple[float, float]:
    """How far a row reaches above and below its centre: a node's shape and label below it, or a bend."""
    if node is None:
        return (BEND_SPACE / 2, BEND_SPACE / 2)
    data = graph._node.get(node, {})
    radius = NODE_SIZES.get(str(data.get("kind")), 12)
    name = " ".join(str(data.get("name", node)).split())[:LABEL_CHARS]
    lines = max(1, math.ceil(len(name) * CHAR_WIDTH / WRAP_WIDTH))
    return (radius + ROW_SPACE / 2, radius + 2 + lines * LINE_HEIGHT + ROW_SPACE / 2)


# --- coordinates: Brandes and Köpf ---------------------------------------------------------------------------------

def _coordinates(layers: list, up: list, down: list, real: int, sizes: list) -> list:
    """Each row's vertical position: the balanced mean of Brandes and Köpf's four alignments."""
    total = len(up)
    position = [0] * total
    for layer in layers:
        for i, v in enumerate(layer):
            position[v] = i
    marked = _type1_conflicts(layers, up, position, real)
    results = []
    for vertical in ("down", "up"):
        for horizontal in ("top", "bottom"):
            seq = layers if vertical == "down" else layers[::-1]
            near = up if vertical == "down" else down
            if horizontal == "bottom":
                seq = [layer[::-1] for layer in seq]
            root, align = _align(seq, near, position, marked, horizontal == "bottom", total)
            ys = _compact(seq, root, align, sizes, horizontal == "bottom", total)
            results.append(ys)
    # Align the four to the one of least height, then take the mean of the two middle values.
    widths = [(max(ys) - min(ys)) if ys else 0 for ys in results]
    smallest = min(range(4), key=lambda k: (widths[k], k))
    lo, hi = min(results[smallest], default=0), max(results[smallest], default=0)
    shifted = []
    for k, ys in enumerate(results):
        if not ys:
            shifted.append(ys)
            continue
        delta = lo - min(ys) if k in (0, 2) else hi - max(ys)
        shifted.append([y + delta for y in ys])
    final = []
    for v in range(total):
        values = sorted(ys[v] for ys in shifted)
        final.append((values[1] + values[2]) / 2)
    return final


def _type1_conflicts(layers: list, up: list, position: list, real: int) -> set:
    """Edges between a real node and a bend that cross an edge between two bends: not to be aligned."""
    marked = set()
    for r in range(1, len(layers) - 1):
        layer = layers[r + 1]
        k0 = 0
        scan = 0
        last = len(layers[r]) - 1
        for l1, v in enumerate(layer):
            inner = next((u for u in up[v] if v >= real and u >= real), None)
            if l1 == len(layer) - 1 or inner is not None:
                k1 = position[inner] if inner is not None else last
                while scan <= l1:
                    w = layer[scan]
                    for u in up[w]:
                        k = position[u]
                        if k < k0 or k > k1:
                            if not (u >= real and w >= real):
                                marked.add((u, w))
                    scan += 1
                k0 = k1
    return marked


def _align(seq: list, near: list, position: list, marked: set, mirrored: bool, total: int) -> tuple[list, list]:
    """Vertical alignment: each row joins the block of its median neighbour where no conflict forbids it."""
    root = list(range(total))
    align = list(range(total))
    for layer in seq[1:]:
        r = math.inf if mirrored else -math.inf
        for v in layer:
            neighbours = near[v]
            if not neighbours:
                continue
            ordered = sorted(neighbours, key=position.__getitem__, reverse=mirrored)
            d = len(ordered)
            medians = [ordered[(d - 1) // 2]] if d % 2 else [ordered[d // 2 - 1], ordered[d // 2]]
            for m in medians:
                if align[v] != v:
                    break
                if (m, v) in marked or (v, m) in marked:
                    continue
                pm = position[m]
                if (pm < r) if mirrored else (pm > r):
                    align[m] = v
                    root[v] = root[m]
                    align[v] = root[v]
                    r = pm
    return root, align


def _compact(seq: list, root: list, align: list, sizes: list, mirrored: bool, total: int) -> list:
    """Horizontal compaction: blocks placed as high (or low) as their neighbours above allow, by a longest
    path over the blocks; the least gap between two rows is the sum of their extents."""
    block_edges: dict = {}
    indegree: dict = {}
    for layer in seq:
        for a, b in zip(layer, layer[1:]):
            # a comes before b in this sweep's order: above it, or below when mirrored.
            upper, lower = (b, a) if mirrored else (a, b)
            gap = sizes[upper][1] + sizes[lower][0]
            ra, rb = root[a], root[b]
            key = (ra, rb)
            if gap > block_edges.get(key, -1):
                if key not in block_edges:
                    indegree[rb] = indegree.get(rb, 0) + 1
                block_edges[key] = gap
    out: dict = {}
    for (ra, rb), gap in block_edges.items():
        out.setdefault(ra, []).append((rb, gap))
    roots = [v for v in range(total) if root[v] == v]
    place = {r: 0.0 for r in roots}
    queue = [r for r in roots if not indegree.get(r)]
    for r in queue:
        for rb, gap in out.get(r, ()):
            if place[r] + gap > place[rb]:
                place[rb] = place[r] + gap
            indegree[rb] -= 1
            if not indegree[rb]:
                queue.append(rb)
    sign = -1 if mirrored else 1
    return [sign * place[root[v]] for v in range(total)]


# --- the fast layout ---------------------------------------------------------------------------------------------

def _fast(graph: nx.DiGraph, order: list, edges: list) -> dict:
    """Longest-path columns, rows from a few barycenter sweeps, crowded columns wrapped into sub-columns so
    the whole keeps a screen-like shape. Linear in nodes plus edges per sweep."""
    preds = {n: [] for n in order}
    succs = {n: [] for n in order}
    for u, v in edges:
        succs[u].append(v)
        preds[v].append(u)
    level = _levels(order, preds, succs)
    rank = {n: i for i, n in enumerate(order)}

    def first_order(n):
        area = graph.nodes[n].get("area")
        return (not isinstance(area, str), area if isinstance(area, str) else "", rank[n])

    columns = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for n in sorted(order, key=first_order):
        columns[level[n]].append(n)
    _sweep(columns, preds, succs)
    return _wrapped(columns, len(order))


def _levels(order: list, preds: dict, succs: dict) -> dict:
    """Longest-path levels (Kahn's order); nodes on a cycle share one last level."""
    waiting = {n: len(preds[n]) for n in order}
    level: dict = {}
    queue = [n for n in order if not waiting[n]]
    for n in queue:
        level[n] = max((level[p] + 1 for p in preds[n]), default=0)
        for s in succs[n]:
            waiting[s] -= 1
            if not waiting[s]:
                queue.append(s)
    if len(level) < len(order):
        last = max(level.values(), default=-1) + 1
        for n in order:
            level.setdefault(n, last)
    for n in order:
        if not preds[n] and succs[n]:
            level[n] = max(0, min(level[s] for s in succs[n]) - 1)
    return level


def _sweep(columns: list, preds: dict, succs: dict) -> None:
    """Reorder each column by the mean position of its neighbours, down then up, a few times."""
    pos: dict = {}

    def place(column):
        middle = (len(column) - 1) / 2
        for i, n in enumerate(column):
            pos[n] = i - middle

    for column in columns:
        place(column)
    for _ in range(SWEEPS):
        for sequence, neighbours in ((columns[1:], preds), (columns[-2::-1], succs)):
            for column in sequence:
                # The keys are read before the column moves: one pass, no function call per node.
                keys = {}
                for n in column:
                    near = neighbours[n]
                    keys[n] = sum([pos[m] for m in near]) / len(near) if near else pos[n]
                column.sort(key=keys.__getitem__)
                place(column)


def _wrapped(columns: list, count: int) -> dict:
    """Place the ordered columns: wrap a column taller than the aim into zigzag
    sub-columns, spread short columns apart so the drawing keeps a screen-like shape."""
    levels = len(columns)
    # Rows R such that the width (count / R + levels) * COLUMN_GAP is ASPECT * R * ROW_GAP.
    a, b, c = ASPECT * ROW_GAP, levels * COLUMN_GAP, count * COLUMN_GAP
    rows = max(12, math.ceil((b + math.sqrt(b * b + 4 * a * c)) / (2 * a))) if count else 1
    subs = [max(1, math.ceil(len(column) / rows)) for column in columns]
    width = levels * COLUMN_GAP + (sum(subs) - levels) * SUB_GAP
    tallest = max((math.ceil(len(column) / s) for column, s in zip(columns, subs)), default=1)
    gap = min(MAX_ROW_GAP, max(ROW_GAP, width / ASPECT / tallest))
    positions = {}
    x = 0
    for column, sub in zip(columns, subs):
        middle = (len(column) - 1) / 2
        for i, n in enumerate(column):
            positions[n] = (x + (i % sub) * SUB_GAP, round((i - middle) * gap / sub))
        x += COLUMN_GAP + (sub - 1) * SUB_GAP
    return positions
