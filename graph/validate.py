"""The rules a data folder must follow, each reported as a :class:`Diagnostic`.

Entry rules (:func:`check_nodes`, :func:`check_edges`) look at one YAML entry at
a time; graph rules (:func:`check_graph`) look at the whole graph: cycles,
redundant edges, isolated nodes, topics that nothing teaches. Every rule is
linear in nodes plus edges, except redundant-edge detection, which is bounded
by ``redundant_limit`` nodes and said so when skipped.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_edge("a", "b", relation="prerequisite"); g.add_edge("b", "a", relation="prerequisite")
>>> for d in check_graph(g, {"a": 1, "b": 2}, {("a", "b"): 1, ("b", "a"): 3}, "n.yaml", "e.yaml"):
...     print(d)
e.yaml:1: error: cycle: a -> b -> a
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING
import unicodedata
from urllib.parse import urlsplit

from .errors import Diagnostic, did_you_mean
from .model import (
    DEFAULT_RELATION,
    EDGE_FIELDS,
    FORMATS,
    KINDS,
    NODE_FIELDS,
    RELATIONS,
    STRENGTHS,
    ordering_strengths,
)

if TYPE_CHECKING:  # NetworkX is imported where a graph is searched; an entry is read elsewhere
    import networkx as nx

    from .yamlread import Entry

__all__ = [
    "REDUNDANT_LIMIT",
    "SLUG",
    "SUGGEST_LIMIT", "suggestions_allowed",
    "check_edges",
    "check_graph",
    "check_nodes",
    "is_web_url",
    "slugify",
]

SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\Z")
REDUNDANT_LIMIT = 20_000
SUGGEST_LIMIT = 50  # "did you mean" scans every id: offer it for the first few only
SUGGEST_BUDGET = 200_000  # ids compared by every "did you mean" of one check: on a large map, fewer of them


def suggestions_allowed(ids: int) -> int:
    """How many "did you mean" to offer against ``ids`` ids: :data:`SUGGEST_LIMIT`, fewer on a large map.

    >>> suggestions_allowed(172), suggestions_allowed(26_000), suggestions_allowed(10**6)
    (50, 7, 1)
    """
    return max(1, min(SUGGEST_LIMIT, SUGGEST_BUDGET // max(1, ids)))

# Control characters but tab and line feed: they would rewrite a terminal or break a line of output.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TYPE_NAMES = {str: "text", bool: "true or false", int: "a number", float: "a number", list: "a list"}


def slugify(raw: str) -> str:
    """Return ``raw`` as a slug: lowercase ASCII letters and digits joined by ``-``; ``""`` if none is left.

    >>> slugify("Linear Algebra"), slugify("Ångström units"), slugify("$(touch x)"), slugify("???")
    ('linear-algebra', 'angstrom-units', 'touch-x', '')
    """
    if SLUG.match(raw):
        return raw
    ascii_text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def is_web_url(value: object) -> bool:
    """Return whether ``value`` is an absolute http or https URL.

    >>> is_web_url("https://example.org/x"), is_web_url("javascript:alert(1)"), is_web_url("http://")
    (True, False, False)
    """
    if not isinstance(value, str) or any(c.isspace() or ord(c) < 32 for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _type_ok(value: object, types: tuple) -> bool:
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types)


def _check_fields(entry: Entry, fields: dict, what: str, error, warn, kind: str | None = None) -> set:
    """Check names, presence and types of an entry's fields; return the names of the bad required ones."""
    bad = set(entry.unreadable)
    for name, value in entry.fields.items():
        spec = fields.get(name)
        line = entry.line_of(name)
        if spec is None:
            error(line, f"unknown field '{name}' in {what}{did_you_mean(name, fields)}")
            continue
        if not _type_ok(value, spec.types):
            wanted = " or ".join(dict.fromkeys(_TYPE_NAMES.get(t, t.__name__) for t in spec.types))
            hint = " (quote it to make it text)" if str in spec.types and isinstance(value, (bool, int, float)) else ""
            error(line, f"field '{name}' of {what} must be {wanted}, found {_describe(value)}{hint}")
            bad.add(name)
            continue
        if isinstance(value, str) and not value.strip():
            error(line, f"field '{name}' of {what} is empty")
            bad.add(name)
        elif isinstance(value, str) and _CONTROL.search(value):
            error(line, f"field '{name}' of {what} holds the control character "
                        f"U+{ord(_CONTROL.search(value).group()):04X}; only tabs and line breaks are allowed")
            bad.add(name)
        if kind and spec.kinds and kind in KINDS and kind not in spec.kinds:
            warn(line, f"field '{name}' of {what} is meant for {' and '.join(k + 's' for k in spec.kinds)}, not {kind}s")
    for name, spec in fields.items():
        if spec.required and name not in entry.fields and name not in entry.unreadable:
            error(entry.line, f"{what} has no '{name}' field")
            bad.add(name)
    return bad


def check_nodes(entries: list[Entry], display: str, text_limit: int = 10_000):
    """Check node entries.

    Returns ``(nodes, lines, rejected, diagnostics)``: ``nodes`` a list of
    ``(id, attrs)`` for each entry with a good id, in file order (duplicates
    dropped; an entry with other errors is kept, so that its edges are not
    reported again), ``lines`` maps each id to its line, ``rejected`` holds the
    text ids of entries that could not be used.
    """
    diagnostics: list[Diagnostic] = []

    def error(line, message):
        diagnostics.append(Diagnostic(display, line, "error", message))

    def warn(line, message):
        diagnostics.append(Diagnostic(display, line, "warning", message))

    nodes: list[tuple[str, dict]] = []
    lines: dict[str, int] = {}
    rejected: set = set()
    for entry in entries:
        fields = entry.fields
        node_id = fields.get("id")
        kind = fields.get("kind")
        what = f"node '{node_id}'" if isinstance(node_id, str) and node_id else "a node"
        bad = _check_fields(entry, NODE_FIELDS, what, error, warn, kind if isinstance(kind, str) else None)
        if "id" in bad:
            continue
        # A bad or repeated id leaves the entry out, but its other fields are checked all the same: fixing
        # the id should not bring new errors.
        usable = True
        if not SLUG.match(node_id):
            error(entry.line_of("id"), f"bad id '{node_id}': use lowercase letters, digits and '-' "
                                       "(a slug such as 'linear-algebra')")
            rejected.add(node_id)
            usable = False
        elif node_id in lines:
            error(entry.line_of("id"), f"duplicate id '{node_id}' (first defined at line {lines[node_id]})")
            usable = False
        if "kind" not in bad and kind not in KINDS:
            error(entry.line_of("kind"), f"unknown kind '{kind}' of node '{node_id}'; kinds are "
                                         f"{', '.join(KINDS)}{did_you_mean(kind, KINDS)}")
        area = fields.get("area")
        if "area" not in bad and isinstance(area, str) and not SLUG.match(area):
            # An area is a name the command line completes and filters by, as ids are: a slug.
            slug = slugify(area)
            hint = f"; did you mean '{slug}'?" if slug else ""
            error(entry.line_of("area"), f"bad area '{area}' of node '{node_id}': use lowercase letters, digits "
                                         f"and '-' (a slug such as 'linear-algebra'){hint}")
        for name in ("url", "current_url"):
            if isinstance(fields.get(name), str) and fields[name].strip() and not is_web_url(fields[name]):
                error(entry.line_of(name), f"field '{name}' of node '{node_id}' must be an http or https URL")
        fmt = fields.get("format")
        if isinstance(fmt, str) and fmt and fmt not in FORMATS:
            error(entry.line_of("format"), f"unknown format '{fmt}' of node '{node_id}'; formats are "
                                           f"{', '.join(FORMATS)}{did_you_mean(fmt, FORMATS)}")
        hours = fields.get("hours")
        if _type_ok(hours, (int, float)) and (not math.isfinite(hours) or hours < 0):
            error(entry.line_of("hours"), f"field 'hours' of node '{node_id}' must be a number >= 0")
        aliases = fields.get("aliases")
        if isinstance(aliases, list):
            if not all(isinstance(a, str) and a.strip() and not _CONTROL.search(a) for a in aliases):
                error(entry.line_of("aliases"), f"field 'aliases' of node '{node_id}' must be a list of text")
            elif any(len(a) > text_limit for a in aliases):
                error(entry.line_of("aliases"), f"an alias of node '{node_id}' is over {text_limit:,} characters")
        if not usable:
            continue
        lines[node_id] = entry.line
        nodes.append((node_id, {k: v for k, v in fields.items() if k != "id"}))
    return nodes, lines, rejected, diagnostics


def check_edges(entries: list[Entry], display: str, kinds: dict[str, str], rejected=frozenset(),
                check_ends: bool = True):
    """Check edge entries against the nodes' ``kinds`` (id to kind).

    Edges naming a ``rejected`` node are dropped silently (that node's error is
    reported already); ``check_ends=False`` (the nodes file could not be read)
    does the same for every unknown node.

    Returns ``(edges, lines, diagnostics)``: ``edges`` a list of
    ``(from, to, attrs)`` for each usable entry in file order, ``lines`` maps
    each ``(from, to)`` to its line. Every edge gets a ``relation``, and every
    edge but ``teaches`` a ``strength``. Required edges into one node that share
    an ``any_of`` group must be at least two.
    """
    diagnostics: list[Diagnostic] = []

    def error(line, message):
        diagnostics.append(Diagnostic(display, line, "error", message))

    def warn(line, message):
        diagnostics.append(Diagnostic(display, line, "warning", message))

    suggestions_left = suggestions_allowed(len(kinds))
    edges: list[tuple[str, str, dict]] = []
    lines: dict[tuple[str, str], int] = {}
    for entry in entries:
        fields = entry.fields
        source, target = fields.get("from"), fields.get("to")
        what = (f"edge {source or '(empty)'} -> {target or '(empty)'}" if isinstance(source, str)
                and isinstance(target, str) else "an edge")
        bad = _check_fields(entry, EDGE_FIELDS, what, error, warn)
        if "from" in bad or "to" in bad:
            continue
        usable = True
        for name, node_id in (("from", source), ("to", target)):
            if node_id not in kinds:
                usable = False
                if node_id in rejected or not check_ends:
                    continue
                hint = ""
                if suggestions_left > 0:
                    suggestions_left -= 1
                    hint = did_you_mean(node_id, kinds)
                error(entry.line_of(name), f"edge '{name}' names unknown node '{node_id}'{hint}")
        relation = fields.get("relation", DEFAULT_RELATION)
        if "relation" in bad:
            continue
        if relation not in RELATIONS:
            error(entry.line_of("relation"), f"unknown relation '{relation}' on {what}; relations are "
                                             f"{', '.join(RELATIONS)}{did_you_mean(relation, RELATIONS)}")
            _unknown_strength(entry, fields, bad, None, what, error)
            usable = False
        elif not usable:  # an unknown strength is said even when an end is unknown, as the relation is
            _unknown_strength(entry, fields, bad, RELATIONS[relation], what, error)
        if not usable:
            continue
        if source == target:
            error(entry.line, f"self-loop: edge from '{source}' to itself")
            continue
        if (source, target) in lines:
            error(entry.line, f"duplicate edge {source} -> {target} (first at line {lines[(source, target)]})")
            continue
        spec = RELATIONS[relation]
        if spec.teaches:
            if kinds[source] not in KINDS:  # an unknown kind, reported on the node already
                continue
            if kinds[source] != "resource":
                error(entry.line_of("relation"), f"relation '{relation}' on {what} must start at a resource; "
                                                 f"'{source}' is a {kinds[source]}")
                continue
            if kinds[target] == "resource":
                warn(entry.line_of("relation"), f"relation '{relation}' on {what} ends at a resource; "
                                                "resources teach topics")
        if not _edge_rules(entry, fields, bad, spec, what, error):
            continue
        attrs = {"relation": relation}
        if not spec.teaches:
            attrs["strength"] = fields.get("strength", spec.default_strength)
        for name in _EXTRA_EDGE_FIELDS:
            if name in fields and name not in bad:  # a field of the wrong type is reported, not kept
                attrs[name] = fields[name]
        lines[(source, target)] = entry.line
        edges.append((source, target, attrs))
    diagnostics += _check_groups(edges, lines, display)
    return edges, lines, diagnostics


_EXTRA_EDGE_FIELDS = ("any_of", "why", "part", "hours", "part_url")
_TEACHES_ONLY = ("part", "hours", "part_url")


def _unknown_strength(entry: Entry, fields: dict, bad: set, spec, what: str, error) -> bool:
    """Report a strength that is not one of :data:`STRENGTHS` on a non-teaches edge (``spec`` None: a relation
    that is not known); return whether it was."""
    strength = fields.get("strength")
    if "strength" not in fields or "strength" in bad or (spec and spec.teaches) or strength in STRENGTHS:
        return False
    error(entry.line_of("strength"), f"unknown strength '{strength}' on {what}; strengths are "
                                     f"{', '.join(STRENGTHS)}{did_you_mean(strength, STRENGTHS)}")
    return True


def _edge_rules(entry: Entry, fields: dict, bad: set, spec, what: str, error) -> bool:
    """Check the fields whose meaning depends on the relation; return whether the edge is usable."""
    usable = True
    strength = fields.get("strength")
    if "strength" in fields and "strength" not in bad:
        line = entry.line_of("strength")
        if spec.teaches:
            error(line, f"'strength' does not apply to {what}: relation '{spec.name}' offers a resource, "
                        "any one of a topic's resources suffices")
            usable = False
        elif _unknown_strength(entry, fields, bad, spec, what, error):
            usable = False
        elif spec.fixed and strength != spec.default_strength:
            error(line, f"relation '{spec.name}' on {what} is always {spec.default_strength}; for a "
                        f"{strength} edge use relation '{DEFAULT_RELATION}' with strength: {strength}")
            usable = False
    if "any_of" in fields and "any_of" not in bad:
        group, line = fields["any_of"], entry.line_of("any_of")
        if not SLUG.match(group):
            error(line, f"'any_of' of {what} must be a group name of a-z, 0-9 and '-', found {group!r}")
            usable = False
        elif spec.teaches or (strength or spec.default_strength) != "required":
            error(line, f"'any_of' on {what} groups required alternatives; this edge is "
                        f"{'a teaches edge' if spec.teaches else strength or spec.default_strength}")
            usable = False
    for name in _TEACHES_ONLY:
        if name in fields and name not in bad and not spec.teaches:
            error(entry.line_of(name), f"'{name}' of {what} is for teaches edges (the part of a resource "
                                       "that teaches a topic)")
            usable = False
    part_url = fields.get("part_url")
    if "part_url" in fields and "part_url" not in bad and not is_web_url(part_url):
        error(entry.line_of("part_url"), f"field 'part_url' of {what} must be an http or https URL")
        usable = False
    hours = fields.get("hours")
    if "hours" in fields and "hours" not in bad and not 0 <= hours < math.inf:
        error(entry.line_of("hours"), f"field 'hours' of {what} must be a number >= 0, found {hours}")
        usable = False
    return usable


def _check_groups(edges: list, lines: dict, display: str) -> list[Diagnostic]:
    """Report ``any_of`` groups with a single edge: an alternative needs another."""
    members: dict = {}
    for source, target, attrs in edges:
        if "any_of" in attrs:
            members.setdefault((target, attrs["any_of"]), []).append(source)
    return [Diagnostic(display, lines[(sources[0], target)], "error",
                       f"any_of group '{group}' into '{target}' has one edge ({sources[0]} -> {target}); "
                       "alternatives need at least two, or drop 'any_of'")
            for (target, group), sources in members.items() if len(sources) == 1]


def _cycle_path(graph: nx.DiGraph, group: set, rank: dict) -> list:
    """Return one cycle of ``group`` as a closed path starting at its earliest node in file order."""
    start = min(group, key=rank.__getitem__)
    import networkx as nx

    cycle = [u for u, _ in nx.find_cycle(graph.subgraph(group), source=start)]
    if start in cycle:
        i = cycle.index(start)
        cycle = cycle[i:] + cycle[:i]
    return cycle + [cycle[0]]


def check_graph(graph: nx.DiGraph, node_lines: dict, edge_lines: dict, nodes_display: str,
                edges_display: str, redundant_limit: int | None = REDUNDANT_LIMIT,
                warnings: bool = True, named=frozenset()) -> list[Diagnostic]:
    """Check the whole graph: cycles, redundant edges, isolated and untaught nodes.

    ``redundant_limit``: above this many nodes the redundant-edge check is
    skipped with a note (``None``: always run it; negative: never).
    ``warnings=False`` checks cycles only. ``named``: ids that edges left out of the
    graph (for an error) name; they are not reported isolated or untaught.
    """
    import networkx as nx

    diagnostics: list[Diagnostic] = []
    if graph.number_of_nodes() == 0:
        return [Diagnostic(nodes_display, 1, "error", "the graph has no nodes")]

    cyclic = False
    groups = [g for g in nx.strongly_connected_components(graph) if len(g) > 1]
    found = []
    rank = {n: i for i, n in enumerate(graph)} if groups else {}
    for group in groups:
        path = _cycle_path(graph, group, rank)
        line = min(edge_lines.get(e, 0) for e in zip(path, path[1:]))
        extra = f" ({len(group)} nodes in this group: {', '.join(sorted(group)[:20])}{', ...' if len(group) > 20 else ''})" \
            if len(group) > len(path) - 1 else ""
        found.append(Diagnostic(edges_display, line, "error", "cycle: " + " -> ".join(path) + extra))
        cyclic = True
    diagnostics.extend(sorted(found))
    if not warnings:
        return diagnostics

    if not cyclic and (redundant_limit is None or redundant_limit >= 0):
        n = graph.number_of_nodes()
        if redundant_limit is None or n <= redundant_limit:
            diagnostics.extend(_redundant_edges(graph, edge_lines, edges_display))
        else:
            diagnostics.append(Diagnostic(edges_display, 1, "note",
                                          f"redundant-edge check skipped: {n:,} nodes is over the limit of "
                                          f"{redundant_limit:,} (use 'graph validate --redundant' to run it)"))

    for node in graph.nodes:
        if graph.degree(node) == 0 and node not in named:
            diagnostics.append(Diagnostic(nodes_display, node_lines.get(node, 0), "warning",
                                          f"node '{node}' is isolated: no edge goes in or out"))

    teaching = {r for r, spec in RELATIONS.items() if spec.teaches}
    taught = {v for _, v, rel in graph.edges(data="relation") if rel in teaching}
    topics = [n for n, kind in graph.nodes(data="kind") if kind == "topic"]
    if taught:
        for node in topics:
            if node not in taught and node not in named:
                diagnostics.append(Diagnostic(nodes_display, node_lines.get(node, 0), "warning",
                                              f"topic '{node}' has no resource that teaches it"))
    elif topics and not named and any(kind == "resource" for _, kind in graph.nodes(data="kind")):
        diagnostics.append(Diagnostic(nodes_display, node_lines.get(topics[0], 0), "warning",
                                      f"no resource teaches any topic ({len(topics):,} topics)"))
    return diagnostics


def _redundant_edges(graph: nx.DiGraph, edge_lines: dict, display: str) -> list[Diagnostic]:
    """Warn about required edges u -> v that another required path already implies.

    Alternatives (``any_of`` edges) neither imply nor are implied: a path
    through one alternative is not a path every learner takes.
    Descendant sets are Python integers used as bit sets, filled in reverse
    topological order: O(nodes * edges / word size), fine up to the limit.
    """
    import networkx as nx

    ordering = ordering_strengths()

    def counts(d):
        return d.get("strength") in ordering and "any_of" not in d

    succ = {n: [v for v, d in graph._adj[n].items() if counts(d)] for n in graph}
    bit = {n: 1 << i for i, n in enumerate(graph)}
    below: dict = {}
    for node in reversed(list(nx.topological_sort(graph))):
        mask = 0
        for v in succ[node]:
            mask |= bit[v] | below[v]
        below[node] = mask
    pred = {n: [u for u, d in graph._pred[n].items() if counts(d)] for n in graph}
    found = []
    for u in graph:
        via = 0
        for w in succ[u]:
            via |= below[w]
        if not via:
            continue
        for v in succ[u]:
            if via & bit[v]:
                w = next(w for w in succ[u] if below[w] & bit[v])
                path = [u] + _shortest_first_path(succ, pred, w, v, below, bit)
                found.append(Diagnostic(display, edge_lines.get((u, v), 0), "warning",
                                        f"redundant edge {u} -> {v}: already implied by {' -> '.join(path)}"))
    return sorted(found)


def _ordering_path(succ: dict, source, target) -> list:
    parents = {source: None}
    queue = [source]
    for node in queue:
        if node == target:
            break
        for v in succ[node]:
            if v not in parents:
                parents[v] = node
                queue.append(v)
    path = [target]
    while parents[path[-1]] is not None:
        path.append(parents[path[-1]])
    return path[::-1]


def _shortest_first_path(succ: dict, pred: dict, source, target, below: dict, bit: dict) -> list:
    """Return the path :func:`_ordering_path` returns, from a search in both directions.

    That path is the shortest whose successor positions (in ``succ`` order) come
    first lexicographically. Breadth-first layers grow from ``source`` over
    nodes that reach ``target`` and from ``target`` over nodes ``source``
    reaches (``below``, ``bit``: descendants as bit sets), the smaller side
    first, until they meet; the path is then walked greedily from ``source``
    through the nodes that lie on a shortest path. A one-sided search would
    walk everything between the two nodes, for each redundant edge.
    """
    reaches_target, from_source = bit[target], below[source]
    forward, layers = {source: 0}, [[source]]
    backward, back_layer, b = {target: 0}, [target], 0
    while True:
        if len(layers[-1]) <= len(back_layer):
            k, found = len(layers), []
            for x in layers[-1]:
                for y in succ[x]:
                    if y not in forward and (y == target or below[y] & reaches_target):
                        forward[y] = k
                        found.append(y)
            layers.append(found)
            met = any(y in backward for y in found)
        else:
            b, found = b + 1, []
            for x in back_layer:
                for y in pred[x]:
                    if y not in backward and (y == source or from_source & bit[y]):
                        backward[y] = b
                        found.append(y)
            back_layer = found
            met = any(y in forward for y in found)
        if met:
            break
        if not found:
            raise ValueError(f"no path from {source} to {target}")
    d = len(layers) - 1 + b
    on_path: dict = {}  # forward layer -> its nodes on a shortest path, for layers beyond the backward side

    def on_shortest(y, k):
        return backward.get(y) == d - k if d - k <= b else y in on_path[k]

    for k in range(d - b - 1, -1, -1):
        on_path[k] = {x for x in layers[k] if any(on_shortest(y, k + 1) for y in succ[x])}
    path = [source]
    for k in range(1, d + 1):
        path.append(next(y for y in succ[path[-1]] if on_shortest(y, k)))
    return path
