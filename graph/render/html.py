"""The interactive map: one self-contained HTML page drawn with vis-network.

:func:`render_html` turns a graph (or a study plan over it) into a page that
needs nothing from the network: pyvis supplies vis-network and its node and edge
model, and the page inlines vis-network, its own script and style, and the data.

The drawing reads as a DAG: positions come from Python (columns in study order,
left to right; rows ordered by barycenter sweeps to keep edges short), so the
browser runs no physics and no layout. Colour shows the area, shape the kind,
line style the relation; the legend is generated from :mod:`graph.model`.

Every piece of user text reaches the page as text: HTML is escaped, the data is
JSON inside a ``type="application/json"`` script with ``<``, ``>``, ``&`` and
U+2028/2029 escaped, the page script builds DOM with ``textContent`` only, and a
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
import json
import math
import re
from importlib import resources
from string import Template

import networkx as nx

from ..model import DEFAULT_RELATION, KINDS, RELATIONS, STRENGTHS
from ..validate import is_web_url
from .text import format_hours

__all__ = ["AREA_PALETTE", "layout", "render_html"]

# Area colours, assigned to the sorted areas in turn. The kinds' own colours
# (blue, orange, red in graph.model) are left out so an area never looks like a kind.
AREA_PALETTE = (
    "#59A14F", "#B07AA1", "#76B7B2", "#EDC948", "#FF9DA7", "#9C755F", "#A0CBE8",
    "#8CD17D", "#D4A6C8", "#499894", "#F1CE63", "#FABFD2", "#D7B5A6", "#B6992D",
    "#86BCB6", "#79706E", "#BAB0AC", "#D37295",
)
KNOWN_COLOR = "#C9C9C9"
KNOWN_BORDER = "#8A8A8A"
FALLBACK_COLOR = "#888888"
KIND_SIZES = {"topic": 15, "resource": 11, "degree": 26}

COLUMN_GAP = 220  # between the columns of two study levels
SUB_GAP = 120  # between the sub-columns of one crowded level
ROW_GAP = 64  # the least; short columns are spread up to MAX_ROW_GAP
MAX_ROW_GAP = 150
ASPECT = 1.8  # the width / height the layout aims for
LABEL_WIDTH = 170  # labels wrap at this width
SWEEPS = 4
LARGE = 1500  # nodes + edges above which the page hides edges while moving
LABEL_CHARS = 48

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

    ``plan`` (a :class:`graph.plan.Plan`): draw only its steps, numbered in study
    order, and the resources offered for them, with the total hours in the header.
    ``known``: ids drawn as done (grey, with a check mark); pass
    :func:`graph.plan.known_closure` of what the learner knows. ``title``: the
    page's title. The graph is not modified; the same input gives the same bytes.
    """
    order = _drawn_nodes(graph, plan)
    drawn = set(order)
    edges = [(u, v, d) for u in order for v, d in graph._succ[u].items() if v in drawn]
    steps = {step.id: number for number, step in enumerate(plan.steps, 1)} if plan else {}
    done = {n for n in known if n in drawn}
    kinds = [k for k in KINDS if any(graph.nodes[n].get("kind") == k for n in order)]
    kinds += sorted({str(graph.nodes[n].get("kind")) for n in order} - set(kinds))
    areas = sorted({a for a in (graph.nodes[n].get("area") for n in order) if isinstance(a, str)})
    relations = [r for r in RELATIONS if any(d.get("relation") == r for _, _, d in edges)]
    unzoned = any(not isinstance(graph.nodes[n].get("area"), str) for n in order)

    positions = layout(graph, order, edges)
    nodes, info, groups = _node_items(graph, order, positions, kinds, areas, steps, done)
    data = {
        "nodes": nodes,
        "info": info,
        "edges": _edge_items(edges),
        "kinds": kinds,
        "areas": areas,
        "relations": {name: _relation_entry(name) for name in RELATIONS},
        "defaultRelation": DEFAULT_RELATION,
        "options": _options(len(order), len(edges), groups),
    }
    heading, subtitle = _heading(graph, plan, title, len(order), len(edges), len(done))
    return _page(title, heading, subtitle, data, _legend(kinds, areas, unzoned, relations, bool(done)),
                 _filters(kinds, areas, unzoned))


def layout(graph: nx.DiGraph, order: list | None = None, edges: list | None = None) -> dict:
    """Return ``{node: (x, y)}``: columns in study order, left to right, rows keeping edges short.

    A node's column is one past its furthest predecessor (longest path); a node
    with no predecessor sits just left of the first node it leads to. Rows come
    from a few barycenter sweeps; a crowded column is wrapped into sub-columns so
    the whole drawing keeps a screen-like shape. ``order`` (default: all nodes)
    and ``edges`` restrict the drawing. Linear in nodes plus edges per sweep.

    >>> g = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "d")])
    >>> sorted((n, x) for n, (x, y) in layout(g).items())
    [('a', 0), ('b', 0), ('c', 220), ('d', 440)]
    """
    order = list(graph) if order is None else order
    edges = list(graph.edges) if edges is None else edges
    preds = {n: [] for n in order}
    succs = {n: [] for n in order}
    for u, v, *_ in edges:
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
    return _coordinates(columns, len(order))


def _drawn_nodes(graph: nx.DiGraph, plan) -> list:
    """The nodes to draw, in graph order: all of them, or a plan's steps and their resources."""
    if plan is None:
        return list(graph)
    wanted = {step.id for step in plan.steps}
    for step in plan.steps:
        wanted.update(r["id"] for r in step.resources if isinstance(r, dict) and "id" in r)
    return [n for n in graph if n in wanted]


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

    def barycenter(n, neighbours):
        near = neighbours[n]
        return sum(pos[m] for m in near) / len(near) if near else pos[n]

    for column in columns:
        place(column)
    for _ in range(SWEEPS):
        for sequence, neighbours in ((columns[1:], preds), (columns[-2::-1], succs)):
            for column in sequence:
                column.sort(key=lambda n: barycenter(n, neighbours))
                place(column)


def _coordinates(columns: list, count: int) -> dict:
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


def _node_items(graph, order, positions, kinds, areas, steps, done):
    """vis-network node items (pyvis's model), the matching details, and the style groups."""
    from pyvis.node import Node

    kind_index = {k: i for i, k in enumerate(kinds)}
    area_index = {a: i for i, a in enumerate(areas)}
    nodes, info, groups = [], [], {}
    for n in order:
        data = graph.nodes[n]
        kind = str(data.get("kind"))
        area = data.get("area") if isinstance(data.get("area"), str) else None
        name = _text(data.get("name", n))
        group = f"k{kind_index[kind]}" + (f"a{area_index[area]}" if area else "") + ("d" if n in done else "")
        if group not in groups:
            groups[group] = _group_style(kind, area_index.get(area), n in done)
        label = _short(name)
        if n in steps:
            label = f"{steps[n]}. {label}"
        if n in done:
            label = "\u2713 " + label
        x, y = positions[n]
        nodes.append(Node(str(n), KINDS[kind].shape if kind in KINDS else "dot", label=label,
                          group=group, x=x, y=y).options)
        info.append(_details(data, name, kind, area, steps.get(n), n in done))
    return nodes, info, dict(sorted(groups.items()))


def _details(data: dict, name: str, kind: str, area, step, known: bool) -> dict:
    """What the tooltip and side panel show about one node; only the fields it has."""
    found = {"name": name, "kind": kind}
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
    if step is not None:
        found["step"] = step
    if known:
        found["known"] = True
    return found


def _group_style(kind: str, area: int | None, done: bool) -> dict:
    """The vis-network group of one kind, area and done state: colour by area, border by kind."""
    kind_color = KINDS[kind].color if kind in KINDS else FALLBACK_COLOR
    if done:
        fill, border = KNOWN_COLOR, KNOWN_BORDER
    else:
        fill = AREA_PALETTE[area % len(AREA_PALETTE)] if area is not None else kind_color
        border = kind_color if area is not None else _darker(kind_color)
    color = {"background": fill, "border": border}
    return {
        "size": KIND_SIZES.get(kind, 12),
        "borderWidth": 2,
        "color": {**color, "highlight": color, "hover": color},
        "font": {"color": "#777777" if done else "#222222"},
    }


def _edge_items(edges: list) -> list:
    """vis-network edge items (pyvis's model); the page styles them by relation."""
    from pyvis.edge import Edge

    items = []
    for i, (u, v, d) in enumerate(edges):
        extra = {"why": _text(d["why"])} if d.get("why") is not None else {}
        strength = d.get("strength")
        if strength is not None:
            extra["strength"] = str(strength)
            if strength in STRENGTHS and not STRENGTHS[strength].orders:
                extra["dashes"] = STRENGTHS[strength].style["dashes"]
        items.append(Edge(str(u), str(v), id=i, relation=str(d.get("relation")), **extra).options)
    return items


def _relation_entry(name: str) -> dict:
    """How the page treats and draws one relation."""
    spec = RELATIONS[name]
    return {
        "phrase": spec.phrase,
        "alternative": spec.teaches,
        **_edge_look(spec),
    }


def _edge_look(spec) -> dict:
    """The vis-network edge style of a relation (the page dims edges through the colour's opacity)."""
    color = spec.style.get("color", FALLBACK_COLOR)
    return {
        "color": {"color": color, "highlight": color, "hover": color, "inherit": False, "opacity": 1},
        "dashes": spec.style.get("dashes", False),
        "width": spec.style.get("width", 1),
    }


def _options(node_count: int, edge_count: int, groups: dict) -> dict:
    """vis-network options: no physics, no layout engine, lighter drawing for large graphs."""
    large = node_count + edge_count > LARGE
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
        },
        "nodes": {
            "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "opacity": 1,
            "borderWidthSelected": 4,
            "widthConstraint": {"maximum": LABEL_WIDTH},
            "chosen": {"label": False},
        },
        "edges": {
            **_edge_look(RELATIONS[DEFAULT_RELATION]),
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": False if large else {"enabled": True, "type": "cubicBezier",
                                           "forceDirection": "horizontal", "roundness": 0.45},
            "selectionWidth": 1.5,
            "hoverWidth": 0,
        },
        "groups": groups,
    }


def _heading(graph, plan, title: str, nodes: int, edges: int, known: int) -> tuple[str, str]:
    """The header's title and one line saying what is drawn."""
    if plan is None:
        counts = [f"{nodes:,} nodes", f"{edges:,} links"] + ([f"{known:,} known"] if known else [])
        return title, " \u00b7 ".join(counts)
    name = _text(getattr(plan, "target_name", None) or graph.nodes[plan.target].get("name", plan.target))
    steps = len(plan.steps)
    hours = format_hours(plan.totals().hours)
    return f"Study plan: {name}", f"{steps:,} step{'s' if steps != 1 else ''} \u00b7 {hours} in total"


def _legend(kinds: list, areas: list, unzoned: bool, relations: list, known: bool) -> str:
    """The legend: shape by kind, colour by area, line by relation, as escaped HTML."""
    parts = ['<h2>Legend</h2>', '<h3>Shape: kind</h3>', '<ul>']
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
        color = AREA_PALETTE[i % len(AREA_PALETTE)]
        parts.append(f'<li><span class="swatch" style="background:{_attr(color)}"></span>{_esc(area)}</li>')
    if unzoned:
        parts.append('<li><span class="swatch none"></span>no area: the colour of its kind</li>')
    if known:
        parts.append(f'<li><span class="swatch" style="background:{KNOWN_COLOR}"></span>\u2713 known</li>')
    parts.append('</ul>')
    if relations:
        parts.append('<h3>Line: relation (from first to later)</h3><ul>')
        for name in relations:
            spec = RELATIONS[name]
            parts.append(f'<li>{_line_sample(spec.style)} <b>{_esc(name)}</b>: A {_esc(spec.phrase)} B</li>')
        parts.append('</ul>')
    return "".join(parts)


def _line_sample(style: dict) -> str:
    dashes = style.get("dashes")
    dash = f' stroke-dasharray="{" ".join(str(d) for d in dashes)}"' if isinstance(dashes, list) else ""
    return (f'<svg class="line" width="40" height="10" aria-hidden="true"><line x1="0" y1="5" x2="40" y2="5" '
            f'stroke="{_attr(style.get("color", FALLBACK_COLOR))}" '
            f'stroke-width="{_attr(style.get("width", 1))}"{dash}/></svg>')


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


def _page(title: str, heading: str, subtitle: str, data: dict, legend: str, filters: str) -> str:
    """Fill the page template; scripts are allowed by hash only, nothing may be fetched."""
    vis_js = _inline_script(_vis_network_js())
    app_js = _inline_script(_asset("explorer.js"))
    hashes = " ".join(f"'sha256-{_sha256(s)}'" for s in (vis_js, app_js))
    policy = (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
              "img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'")
    return Template(_asset("page.html")).substitute(
        policy=_attr(policy),
        title=_esc(title),
        heading=_esc(heading),
        subtitle=_esc(subtitle),
        filters=filters,
        legend=legend,
        css=_asset("explorer.css"),
        data=_script_json(data),
        vis_js=vis_js,
        app_js=app_js,
    )


def _script_json(value) -> str:
    """JSON that is safe inside a script element: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def _inline_script(code: str) -> str:
    """Make code safe to inline: nothing in it may close the script element or open a comment."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _vis_network_js() -> str:
    return (resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text("utf-8")


def _asset(name: str) -> str:
    return (resources.files(__package__) / "html_assets" / name).read_text("utf-8")


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _text(value) -> str:
    return " ".join(str(value).split())


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1].rstrip() + "\u2026"


def _darker(color: str) -> str:
    """``#RRGGBB`` at 70 % brightness."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * 0.7):02X}" for c in (r, g, b))


def _esc(text) -> str:
    return html.escape(str(text), quote=False)


def _attr(text) -> str:
    return html.escape(str(text), quote=True)
