"""The interactive map: one self-contained HTML page drawn with vis-network.

:func:`render_html` turns a graph (or a study plan over it) into a page that
needs nothing from the network: pyvis supplies vis-network, js-yaml (vendored in
``html_assets``) reads imported progress files, and the page inlines them, its
own scripts and style, and the data.

The page is a tool to learn with: a study list beside the map (the numbered
plan to a goal, or the degrees and an outline of topics by area), progress kept
in the browser ("I know this"), exported and imported as the CLI's progress
file, and the view kept in the URL's hash. Its scripts port the plan module's
study order, known closure and next set, so the page and ``graph order`` agree.

The drawing reads as a DAG: positions come from Python (columns in study order,
left to right; rows ordered by barycenter sweeps to keep edges short), so the
browser runs no physics and no layout. Colour shows the area, shape the kind,
line style the relation; the legend is generated from :mod:`graph.model`.

Every piece of user text reaches the page as text: HTML is escaped, the data is
JSON inside a ``type="application/json"`` script with ``<``, ``>``, ``&`` and
U+2028/2029 escaped, the page scripts build DOM with ``textContent`` only, and a
Content-Security-Policy lets only the page's own scripts (by hash) run.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("a", name="</script><script>alert(1)</script>", kind="topic")
>>> g.add_node("b", name="B", kind="topic")
>>> g.add_edge("a", "b", relation="prerequisite")
>>> page = render_html(g)
>>> "</script><script>alert(1)" in page, page == render_html(g)
(False, True)
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import math
import re
from importlib import resources
from pathlib import Path
from string import Template

import networkx as nx

from ..layout import LABEL_WIDTH, LAYERED_UP_TO, NODE_SIZES, VIRTUAL_UP_TO, layout
from ..model import DEFAULT_RELATION, KINDS, RELATIONS, STRENGTHS, ordering_strengths
from ..plan import ancestors
from ..readlimits import PROGRESS
from ..validate import is_web_url
from .text import format_hours, part_phrase

__all__ = ["AREA_PALETTE", "SCRIPTS", "render_html"]

# Area colours, assigned to the sorted areas in turn: any two at least 15 apart in CIEDE2000, and as far
# from the kinds' own colours (graph.model), the known grey and the white background. A map with more
# areas than colours goes round again with the node's border drawn in the next pattern of AREA_PATTERNS.
AREA_PALETTE = (
    "#008856", "#BE0032", "#F3C300", "#FABFD2", "#604E97", "#A1CAF1", "#654522", "#8CD17D", "#7F7F7F",
    "#2B3D26", "#B07AA1", "#76B7B2", "#C2B280", "#9C755F",
)
AREA_PATTERNS = (False, [6, 3], [2, 2], [8, 2, 2, 2])  # node borders: solid, dashed, dotted, dash-dot
# How the page draws each relation on its white map: every line at least 4.5:1 against the background,
# and told apart by more than colour: a dash pattern (the strength's, for recommended and deepening
# edges) and an arrowhead of its own. Relations not listed take graph.model's style.
LINES = {
    "prerequisite": {"color": "#555555", "dashes": False, "width": 1.5, "arrow": "arrow"},
    "teaches": {"color": "#B35900", "dashes": [2, 4], "width": 1.5, "arrow": "circle"},
    "recommended": {"color": "#767676", "dashes": [8, 6], "width": 1.5, "arrow": "vee"},
    "combines-into": {"color": "#8E4F7E", "dashes": [12, 4, 2, 4], "width": 2.5, "arrow": "diamond"},
    "theory-behind": {"color": "#3B7D34", "dashes": [4, 2], "width": 2.5, "arrow": "box"},
    "generalized-by": {"color": "#3F7F7A", "dashes": [10, 3, 2, 3, 2, 3], "width": 2, "arrow": "inv_triangle"},
    "special-case": {"color": "#8A6D00", "dashes": [1, 3], "width": 2, "arrow": "triangle"},
    "leads-to": {"color": "#7A5640", "dashes": [16, 4], "width": 2, "arrow": "bar"},
}
ARROW_SCALE = 0.6
KNOWN_COLOR = "#C9C9C9"
KNOWN_BORDER = "#8A8A8A"
FALLBACK_COLOR = "#888888"
KIND_SIZES = NODE_SIZES

FONT_SIZE = 14
LARGE = 1500  # nodes + edges above which the page hides edges while moving and draws straight lines

# The page's scripts, in the order they run: each is inlined and allowed by its hash.
SCRIPTS = (
    "js-yaml.min.js",  # js-yaml 5.5.0 (MIT, see js-yaml.LICENSE): reads imported progress files
    "model.js",  # the data and its indexes
    "studyplan.js",  # graph.plan's study order, known closure and next set
    "progress.js",  # what the learner knows, kept in localStorage, exported and imported
    "map.js",  # the vis-network drawing: highlight, known style, view
    "panel.js",  # the side panel and the tooltip
    "studylist.js",  # the study list beside the map
    "search.js",  # the search box
    "urlstate.js",  # the view in the URL's hash
    "main.js",  # wiring, filters, window.graphExplorer
    "keyboard.js",  # the map's arrow keys, the skip links
)

_GLYPHS = {
    "dot": "\u25cf", "circle": "\u25cb", "ellipse": "\u2b2d", "square": "\u25a0", "box": "\u25ac",
    "star": "\u2605", "diamond": "\u25c6", "triangle": "\u25b2", "triangleDown": "\u25bc",
    "hexagon": "\u2b22", "database": "\u26c1", "text": "T",
}
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")
_DETAIL_FIELDS = ("summary", "hours", "author", "format", "free", "preferred")


def render_html(graph: nx.DiGraph, *, plan=None, known=frozenset(), title: str = "Study map") -> str:
    """Return the interactive map of ``graph`` as one self-contained HTML document.

    ``plan`` (a :class:`graph.plan.Plan`): open on that plan's target, drawing
    only what the target needs and the resources that teach it; the study list
    numbers the steps. ``known``: the ids the learner marked when the page first
    opens (the page knows them and all they need, and exports them as they are); once the learner
    changes it in the page, the page keeps its own. ``title``: the page's title.
    The page carries the whole graph, so its plans follow ``graph order``. The
    graph is not modified; the same input gives the same bytes.
    """
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    strengths = _ordering(plan)
    order = _drawn_nodes(graph, plan)
    drawn = set(order)
    drawn_edges = [(u, v) for u in order for v in graph._succ[u] if v in drawn]
    edges, why, looks, parts, part_hours, part_urls = _edge_rows(graph, index)
    kinds = [k for k in KINDS if any(graph._node[n].get("kind") == k for n in nodes)]
    kinds += sorted({str(graph._node[n].get("kind")) for n in nodes} - set(kinds))
    areas = sorted({a for a in (graph._node[n].get("area") for n in nodes) if isinstance(a, str)})
    unzoned = any(not isinstance(graph._node[n].get("area"), str) for n in order)
    known = set(known)

    drawing = layout(graph, order, drawn_edges)
    info, node_groups, groups = _node_items(graph, nodes, kinds, areas)
    data = {
        "key": _dataset_key(graph),
        "nodes": info,
        "groups": node_groups,
        "edges": edges,
        "why": why,
        "parts": parts,
        "partHours": part_hours,
        "partUrls": part_urls,
        "looks": list(looks.values()),
        "ordering": sorted(strengths),
        "drawn": None if plan is None else [index[n] for n in order],
        "positions": [drawing.positions[n] for n in order],
        "bends": _bends(drawing, edges, nodes),
        "layered": drawing.layered,
        "kinds": kinds,
        "areas": areas,
        "target": None if plan is None else plan.target,
        "known": [n for n in nodes if n in known],
        "fontSize": FONT_SIZE,
        "options": _options(len(order), len(drawn_edges), groups),
        "progressLimits": PROGRESS.to_dict(),  # what an imported progress file may be, as for the CLI
    }
    drawn_rows = range(len(edges)) if plan is None else [k for k, e in enumerate(edges)
                                                             if nodes[e[0]] in drawn and nodes[e[1]] in drawn]
    shown = {edges[k][2] for k in drawn_rows}
    heading, subtitle = _heading(graph, plan, title, len(order), len(drawn_edges))
    note = _layout_note(drawing.layered, len(order))
    legend = _legend(kinds, areas, unzoned, [look for look in looks.values() if look["n"] in shown], bool(known), note)
    return _page(title, heading, subtitle, data, legend, _filters(kinds, areas, unzoned), note)


def _bends(drawing, edges: list, nodes: list) -> list:
    """``[edge number, x1, y1, x2, y2, ...]`` for each edge drawn through bends (its virtual nodes)."""
    number = {(nodes[e[0]], nodes[e[1]]): k for k, e in enumerate(edges)}
    rows = []
    for pair, points in drawing.bends.items():
        if pair in number:
            rows.append([number[pair]] + [c for point in points for c in point])
    return sorted(rows)


def _layout_note(layered: bool, count: int) -> str:
    """The map's one line on how it is drawn: in layers, or (a large map) by the fast layout."""
    if layered:
        return ("Drawn in layers: what a topic needs lies to its left. A resource sits left of the first topic "
                "it teaches; what it teaches shows when you select or hover either.")
    return (f"{count:,} nodes: drawn by the fast layout (straight lines, more crossings); maps of up to "
            f"{LAYERED_UP_TO:,} nodes whose long links need at most {VIRTUAL_UP_TO:,} bends are drawn in layers.")


def _ordering(plan) -> frozenset:
    """The strengths that order study on this page: the plan's (with ``--include-recommended``), or the default."""
    return ordering_strengths(bool(plan is not None and plan.include_recommended))


def _strength(data: dict):
    """An edge's strength: ``None`` on ``teaches`` edges (and on a hand-built graph's edges with no
    strength, the default of their relation)."""
    if "strength" in data:
        return data["strength"]
    spec = RELATIONS.get(data.get("relation", DEFAULT_RELATION))
    return spec.default_strength if spec else None


def _teaches(data: dict) -> bool:
    """Whether an edge says a resource teaches its target."""
    spec = RELATIONS.get(data.get("relation"))
    return bool(spec and spec.teaches)


def _drawn_nodes(graph: nx.DiGraph, plan) -> list:
    """The nodes to draw, in graph order: all of them, or what a plan's target needs and what teaches it.

    The plan's known steps are drawn too (as known), so that a learner who unchecks one sees it.
    """
    if plan is None:
        return list(graph)
    wanted = ancestors(graph, plan.target, _ordering(plan)) | {plan.target}
    for node in list(wanted):
        wanted.update(u for u, d in graph._pred[node].items() if _teaches(d))
    return [n for n in graph if n in wanted]


def _dataset_key(graph: nx.DiGraph) -> str:
    """What ties the learner's progress in the browser to this data set, across rebuilds and edits.

    The sorted ids of the degrees (the data set's goals), or without degrees its
    first 20 ids in file order, hashed: adding topics keeps the key.
    """
    degrees = sorted(n for n, d in graph._node.items() if d.get("kind") == "degree")
    basis = degrees or [n for n, _ in zip(graph, range(20))]
    return hashlib.sha256(json.dumps(basis, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def _node_items(graph: nx.DiGraph, nodes: list, kinds: list, areas: list):
    """Each node's details, its style group, and the groups' vis-network styles (each also done: ``+"d"``)."""
    kind_index = {k: i for i, k in enumerate(kinds)}
    area_index = {a: i for i, a in enumerate(areas)}
    info, node_groups, groups = [], [], {}
    for n in nodes:
        data = graph._node[n]
        kind = str(data.get("kind"))
        area = data.get("area") if isinstance(data.get("area"), str) else None
        group = f"k{kind_index[kind]}" + (f"a{area_index[area]}" if area else "")
        if group not in groups:
            groups[group] = _group_style(kind, area_index.get(area), False)
            groups[group + "d"] = _group_style(kind, area_index.get(area), True)
        node_groups.append(group)
        info.append(_details(n, data, kind, area))
    return info, node_groups, dict(sorted(groups.items()))


def _details(node: str, data: dict, kind: str, area) -> dict:
    """What the list, tooltip and side panel show about one node; only the fields it has."""
    found = {"id": str(node), "name": _text(data.get("name", node)), "kind": kind}
    if area:
        found["area"] = area
    for field in _DETAIL_FIELDS:
        value = data.get(field)
        if isinstance(value, bool) or (isinstance(value, (int, float)) and math.isfinite(value)):
            found[field] = value
        elif isinstance(value, str):
            found[field] = value
    url = data.get("current_url") if is_web_url(data.get("current_url")) else data.get("url")
    if is_web_url(url):
        found["link"] = url
    elif isinstance(url, str):
        found["rawUrl"] = url
    aliases = [a for a in data.get("aliases") or () if isinstance(a, str)]
    if aliases:
        found["aliases"] = aliases
    for field in ("note", "discontinued"):
        if isinstance(data.get(field), (str, bool)):
            found[field] = data[field]
    return found


def _group_style(kind: str, area: int | None, done: bool) -> dict:
    """The vis-network group of one kind, area and done state: shape by kind, colour by area, border by kind."""
    kind_color = KINDS[kind].color if kind in KINDS else FALLBACK_COLOR
    if done:
        fill, border = KNOWN_COLOR, KNOWN_BORDER
    else:
        fill = _area_color(area) if area is not None else kind_color
        border = kind_color if area is not None else _darker(kind_color)
    color = {"background": fill, "border": border}
    pattern = _area_pattern(area) if area is not None else False
    return {
        **({"shapeProperties": {"borderDashes": pattern}} if pattern else {}),
        "shape": KINDS[kind].shape if kind in KINDS else "dot",
        "size": KIND_SIZES.get(kind, 12),
        "borderWidth": 2,
        "color": {**color, "highlight": color, "hover": color},
        "font": {"color": "#777777" if done else "#222222"},
    }


def _area_color(area: int) -> str:
    """The fill of the ``area``-th area: the palette's colours in turn."""
    return AREA_PALETTE[area % len(AREA_PALETTE)]


def _area_pattern(area: int):
    """The border pattern of the ``area``-th area: solid for the palette's first round, then the next pattern
    of :data:`AREA_PATTERNS` each time the colours go round again."""
    return AREA_PATTERNS[(area // len(AREA_PALETTE)) % len(AREA_PATTERNS)]


def _look_key(data: dict) -> tuple:
    return (str(data.get("relation", DEFAULT_RELATION)), _strength(data))


_TEACHES = frozenset(name for name, spec in RELATIONS.items() if spec.teaches)


def _edge_rows(graph: nx.DiGraph, index: dict):
    """Every edge as ``[from, to, look]`` (indexes; any-of edges add ``any_of`` and their place among
    the edges into ``to``), the reasons by edge number, the looks (one per relation and strength), and
    by edge number what part of a resource teaches a topic, as the CLI says it ("for this step: ..."),
    and the hours of that part (a resource step counts only the rest of its hours), and that part's own
    web address where it has one (http or https only)."""
    rows, why, looks, parts, part_hours, part_urls = [], {}, {}, {}, {}, {}
    for u, succ in graph._succ.items():
        i = index[u]
        for v, d in succ.items():
            key = _look_key(d)
            look = looks.get(key)
            if look is None:
                look = looks[key] = _look(key[0], key[1], len(looks))
            row = [i, index[v], look["n"]]
            if isinstance(d.get("any_of"), str):
                # The edge's place among those into v: a plan lists v's any-of groups in that order.
                row += [d["any_of"], _pred_position(graph, v, u)]
            if d.get("why") is not None:
                why[len(rows)] = _text(d["why"])
            hours = d.get("hours")
            phrase = part_phrase({"part": d.get("part"),
                                  "part_hours": hours if isinstance(hours, (int, float)) else None}, _text)
            if phrase:
                parts[len(rows)] = phrase
                if is_web_url(d.get("part_url")):
                    part_urls[len(rows)] = d["part_url"]
            if key[0] in _TEACHES and isinstance(hours, (int, float)) and not isinstance(hours, bool):
                part_hours[len(rows)] = hours
            rows.append(row)
    return rows, why, looks, parts, part_hours, part_urls


def _pred_position(graph: nx.DiGraph, v, u) -> int:
    for position, w in enumerate(graph._pred[v]):
        if w == u:
            return position
    return -1


def _look(relation: str, strength, number: int) -> dict:
    """How the page treats and draws edges of one relation and strength."""
    spec = RELATIONS.get(relation)
    style = dict(LINES.get(relation) or (spec.style if spec else {}))
    if strength in STRENGTHS and not STRENGTHS[strength].orders:
        style.update(STRENGTHS[strength].style)
    color = style.get("color", FALLBACK_COLOR)
    return {
        "n": number,
        "relation": relation,
        "strength": strength,
        "teaches": bool(spec and spec.teaches),
        "phrase": spec.phrase if spec else relation,
        "default": relation == DEFAULT_RELATION and strength == "required",
        "color": {"color": color, "highlight": color, "hover": color, "inherit": False, "opacity": 1},
        "dashes": style.get("dashes", False),
        "width": style.get("width", 1),
        "arrow": style.get("arrow", "arrow"),
    }


def _options(node_count: int, edge_count: int, groups: dict) -> dict:
    """vis-network options: no physics, no layout engine, lighter drawing for large graphs."""
    large = node_count + edge_count > LARGE
    default = LINES[DEFAULT_RELATION]
    color = default.get("color", FALLBACK_COLOR)
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "hierarchical": {"enabled": False}},
        "interaction": {
            "hover": True,
            "hoverConnectedEdges": False,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": False,
            "tooltipDelay": 3_600_000,
            "selectConnectedEdges": False,
        },
        "nodes": {
            "font": {"size": FONT_SIZE, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "opacity": 1,
            "borderWidthSelected": 4,
            "widthConstraint": {"maximum": LABEL_WIDTH},
            "chosen": {"label": False},
        },
        "edges": {
            "color": {"color": color, "highlight": color, "hover": color, "inherit": False, "opacity": 1},
            "dashes": default.get("dashes", False),
            "width": default.get("width", 1),
            "arrows": {"to": {"enabled": True, "type": default["arrow"], "scaleFactor": ARROW_SCALE}},
            "smooth": False,  # straight segments (through bends): crossings are counted as drawn
            "selectionWidth": 1.5,
            "hoverWidth": 0,
            "chosen": False,
        },
        "groups": groups,
    }


def _heading(graph, plan, title: str, nodes: int, edges: int) -> tuple[str, str]:
    """The header's title and one line saying what is drawn (the page keeps it up to date)."""
    if plan is None:
        return title, f"{nodes:,} nodes \u00b7 {edges:,} links"
    name = _text(getattr(plan, "target_name", None) or graph.nodes[plan.target].get("name", plan.target))
    steps, totals = len(plan.steps), plan.totals()
    return (f"Study plan: {name}",
            f"{steps:,} step{'s' if steps != 1 else ''} \u00b7 "
            + ("no hour estimates" if totals.no_estimates else f"{format_hours(totals.hours)} in total"))


# What the page draws on nodes beyond kind and area: the lit chain, the selection, the plan's numbers.
_LEGEND_MARKS = (
    '<h3>Marks</h3><ul>'
    '<li><span class="mark selected" aria-hidden="true">A</span> a thicker border: the selected node</li>'
    '<li><span class="mark dimmed" aria-hidden="true">A</span> faded: not on the lit chain (what the selected '
    'node needs and what it opens up, or with nothing selected what the plan\'s goal needs)</li>'
    '<li><span class="mark" aria-hidden="true">3.</span> a number before the name: its step in the study plan</li>'
    '<li><span class="mark" aria-hidden="true">\u2713</span> a tick before the name, grey: known (marked, or needed '
    'by something marked)</li>'
    '</ul>'
)


def _legend(kinds: list, areas: list, unzoned: bool, looks: list, known: bool, note: str = "") -> str:
    """The legend: how the map is drawn (``note``, whole: the bar above the map shows two lines of it, and a touch
    screen has no hover for its title), shape by kind, colour by area, line by relation and strength, as escaped HTML."""
    parts = ['<h2 id="legend-heading" tabindex="-1">Legend</h2>']
    if note:
        parts.append(f'<h3>Layout</h3><p id="legend-layout">{_esc(note)}</p>')
    parts += ['<h3>Shape: kind</h3>', '<ul>']
    for kind in kinds:
        spec = KINDS.get(kind)
        glyph = _GLYPHS.get(spec.shape, _GLYPHS["dot"]) if spec else _GLYPHS["dot"]
        color = spec.color if spec else FALLBACK_COLOR
        about = f" \u2014 {spec.description}" if spec else ""
        parts.append(f'<li><span class="glyph" style="color:{_attr(color)}">{glyph}</span> '
                     f'<b>{_esc(kind)}</b>{_esc(about)}</li>')
    parts.append('</ul>')
    parts.append('<h3>Colour: area</h3><ul class="areas">')
    for i, area in enumerate(areas):
        pattern = _area_pattern(i)
        border = f";border:2px {'dotted' if pattern[0] <= 2 else 'dashed'} #222" if pattern else ""
        parts.append(f'<li><span class="swatch" style="background:{_attr(_area_color(i))}{border}"></span>'
                     f'{_esc(area)}</li>')
    if unzoned:
        parts.append('<li><span class="swatch none"></span>no area: the colour of its kind</li>')
    parts.append(f'<li><span class="swatch" style="background:{KNOWN_COLOR}"></span>\u2713 known</li>')
    parts.append('</ul>')
    if looks:
        parts.append('<h3>Line: relation (from first to later)</h3><ul>')
        for look in looks:
            strength = f" ({_esc(look['strength'])})" if look["strength"] not in (None, "required") else ""
            parts.append(f'<li>{_line_sample(look)} <b>{_esc(look["relation"])}</b>{strength}: '
                         f'A {_esc(look["phrase"])} B</li>')
        parts.append('</ul>')
    parts.append(_LEGEND_MARKS)
    return "".join(parts)


_ARROW_MARKS = {  # the legend's arrowheads, pointing right at x = 46, as vis-network draws them
    "arrow": '<path d="M46 6 L38 2 L40 6 L38 10 Z"/>',
    "triangle": '<path d="M46 6 L38 2 L38 10 Z"/>',
    "inv_triangle": '<path d="M38 6 L46 2 L46 10 Z"/>',
    "vee": '<path d="M46 6 L38 2 L41 6 L38 10 Z" fill="none" stroke-width="1.5"/>',
    "circle": '<circle cx="42" cy="6" r="3.5"/>',
    "box": '<rect x="39" y="3" width="7" height="6"/>',
    "diamond": '<path d="M46 6 L42 2 L38 6 L42 10 Z"/>',
    "bar": '<rect x="44" y="1" width="2" height="10"/>',
}


def _line_sample(look: dict) -> str:
    """The legend's sample of one look: its colour, width and dash pattern, and its arrowhead."""
    dashes = look.get("dashes")
    dash = f' stroke-dasharray="{" ".join(str(d) for d in dashes)}"' if isinstance(dashes, list) else ""
    color = _attr(look["color"]["color"])
    mark = _ARROW_MARKS.get(look.get("arrow"), _ARROW_MARKS["arrow"])
    return (f'<svg class="line" width="48" height="12" aria-hidden="true"><line x1="0" y1="6" x2="40" y2="6" '
            f'stroke="{color}" stroke-width="{_attr(look.get("width", 1))}"{dash}/>'
            f'<g fill="{color}" stroke="{color}">{mark}</g></svg>')


def _filters(kinds: list, areas: list, unzoned: bool) -> str:
    """The kind checkboxes and the area menu; values are indexes into the page's data."""
    parts = ['<fieldset id="kind-filter"><legend>Show</legend>']
    for i, kind in enumerate(kinds):
        parts.append(f'<label><input type="checkbox" value="{i}" checked> {_esc(kind)}</label>')
    parts.append('</fieldset><label class="area-filter">Area <select id="area-filter">'
                 '<option value="all">all areas</option>')
    for i, area in enumerate(areas):
        parts.append(f'<option value="{i}">{_esc(area)}</option>')
    if unzoned:
        parts.append('<option value="none">(no area)</option>')
    parts.append('</select></label>')
    return "".join(parts)


def _page(title: str, heading: str, subtitle: str, data: dict, legend: str, filters: str, note: str) -> str:
    """Fill the page template; scripts are allowed by hash only, nothing may be fetched."""
    scripts = [_inline_script(_vis_network_js())] + [_inline_script(_asset(name)) for name in SCRIPTS]
    hashes = " ".join(f"'sha256-{_sha256(s)}'" for s in scripts)
    policy = (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
              "img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'")
    return Template(_asset("page.html")).substitute(
        policy=_attr(policy),
        title=_esc(title),
        heading=_esc(heading),
        subtitle=_esc(subtitle),
        filters=filters,
        legend=legend,
        layout_note=_esc(note),
        layout_note_title=_attr(note),  # the bar shows two lines of it; hovering, all
        css=_asset("explorer.css"),
        data=_script_json(data),
        scripts="\n".join(f"<script>{s}</script>" for s in scripts),
    )


def _script_json(value) -> str:
    """JSON that is safe inside a script element: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def _inline_script(code: str) -> str:
    """Make code safe to inline: nothing in it may close the script element or open a comment."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _vis_network_js() -> str:
    # Found without importing pyvis, whose package imports jinja2 and compiles its templates.
    spec = importlib.util.find_spec("pyvis")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text("utf-8")


def _asset(name: str) -> str:
    return (resources.files(__package__) / "html_assets" / name).read_text("utf-8")


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _text(value) -> str:
    return " ".join(str(value).split())


def _darker(color: str) -> str:
    """``#RRGGBB`` at 70 % brightness."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * 0.7):02X}" for c in (r, g, b))


def _esc(text) -> str:
    return html.escape(str(text), quote=False)


def _attr(text) -> str:
    return html.escape(str(text), quote=True)
