"""Graphviz DOT rendering of a graph: ``dot -Tsvg graph.dot > graph.svg`` draws it.

The drawing runs left to right (``rankdir=LR``). A node is labelled with its
name (``3. Name`` when it carries a plan ``step`` number), shaped by kind
(topic: ellipse, resource: box, degree: double octagon) and coloured like the
HTML map; its web ``url`` becomes the SVG link (``URL``, made safe for SVG
by :func:`svg_url`) and its summary the tooltip. An edge is coloured, dashed and thickened from
``model.RELATIONS[relation].style`` and keeps ``relation`` as an attribute.

Every id and value is a double-quoted DOT string (an attribute name too, unless
it is a plain identifier), with ``\\`` and ``"`` escaped and line breaks
written as ``\\n``. The data's own fields are attributes too, converted as
:func:`graph.render.graphml.attribute_text` does (booleans ``true``/``false``,
lists as JSON text, ``None`` omitted); a field named like a Graphviz attribute
(``area``, ``target``, ...) is written ``data_<name>`` so Graphviz does not
read it as layout.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("a", name='Say "hi"', kind="topic", area="x")
>>> g.add_node("b", name="B", kind="resource")
>>> g.add_edge("b", "a", relation="teaches")
>>> print(graph_dot(g))  # doctest: +ELLIPSIS
digraph "graph" {
...
  "a" [label="Say \\"hi\\"", shape="ellipse", ... data_area="x", kind="topic", name="Say \\"hi\\""];
  "b" [label="B", shape="box", ...];
  "b" -> "a" [color="#F58518", style="dotted", penwidth="1", ..., relation="teaches"];
}
<BLANKLINE>
"""

from __future__ import annotations

import re

import networkx as nx

from ..model import KINDS, RELATIONS, STRENGTHS
from ..validate import is_web_url
from .graphml import attribute_text

__all__ = ["GRAPHVIZ_ATTRIBUTES", "graph_dot", "quote", "svg_url"]

SHAPES = {"topic": "ellipse", "resource": "box", "degree": "doubleoctagon"}
_FONT = "Helvetica,Arial,sans-serif"

#: Graphviz's own attribute names (graphviz.org/doc/info/attrs.html): data fields named so get ``data_``.
GRAPHVIZ_ATTRIBUTES = frozenset("""
    _background area arrowhead arrowsize arrowtail bb beautify bgcolor center charset class cluster
    clusterrank color colorscheme comment compound concentrate constraint Damping decorate defaultdist
    dim dimen dir diredgeconstraints distortion dpi edgehref edgetarget edgetooltip edgeURL epsilon esep
    fillcolor fixedsize fontcolor fontname fontnames fontpath fontsize forcelabels gradientangle group
    head_lp headclip headhref headlabel headport headtarget headtooltip headURL height href id image
    imagepath imagepos imagescale inputscale K label label_scheme labelangle labeldistance labelfloat
    labelfontcolor labelfontname labelfontsize labelhref labeljust labelloc labeltarget labeltooltip
    labelURL landscape layer layerlistsep layers layerselect layersep layout len levels levelsgap lhead
    lheight linelength lp ltail lwidth margin maxiter mclimit mindist minlen mode model newrank nodesep
    nojustify normalize notranslate nslimit nslimit1 oneblock ordering orientation outputorder overlap
    overlap_scaling overlap_shrink pack packmode pad page pagedir pencolor penwidth peripheries pin pos
    quadtree quantum radius rank rankdir ranksep ratio rects regular remincross repulsiveforce resolution
    root rotate rotation samehead sametail samplepoints scale searchsize sep shape shapefile showboxes
    sides size skew smoothing sortv splines start style stylesheet tail_lp tailclip tailhref taillabel
    tailport tailtarget tailtooltip tailURL target TBbalance tooltip truecolor URL vertices viewport
    voro_margin weight width xdotversion xlabel xlp z
""".split())

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def quote(text) -> str:
    """Return ``text`` as a double-quoted DOT string.

    >>> print(quote('a "b" \\\\ c\\nd'))
    "a \\"b\\" \\\\ c\\nd"
    """
    text = _CONTROL.sub("\ufffd", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def svg_url(url: str) -> str:
    """Return ``url`` as a Graphviz ``URL`` value that stays well-formed in SVG output.

    Some Graphviz versions (2.43) copy ``URL`` into the SVG ``xlink:href``
    unescaped: ``"'<>\\`` and spaces are percent-encoded, and ``&`` is written
    ``&amp;``, an entity every version passes through as it is.

    >>> svg_url('https://e.org/?a=1&b="2"')
    'https://e.org/?a=1&amp;b=%222%22'
    """
    return "".join(_URL_ESCAPES.get(c, c) for c in url)


_URL_ESCAPES = {c: f"%{ord(c):02X}" for c in "\"'<>\\ "} | {"&": "&amp;"}


def _attributes(shown: list, data: dict) -> str:
    """Return ``[k="v", ...]``: the drawing attributes ``shown`` first, then the data's fields sorted."""
    fields = []
    for name in sorted(data, key=str):
        text = attribute_text(data[name])
        if text is not None:
            name = str(name)
            fields.append((f"data_{name}" if name in GRAPHVIZ_ATTRIBUTES else name, text))
    pairs = [(k, v) for k, v in shown if v is not None] + fields
    return "[" + ", ".join(f"{_name(k)}={quote(v)}" for k, v in pairs) + "]"


def _name(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else quote(name)


def _node(node, data: dict) -> str:
    kind = data.get("kind")
    color = KINDS[kind].color if kind in KINDS else "#888888"
    name = " ".join(str(data.get("name", node)).split())
    label = f"{data['step']}. {name}" if data.get("step") is not None else name
    url = data.get("url")
    shown = [
        ("label", label),
        ("shape", SHAPES.get(kind, "ellipse")),
        ("color", color),
        ("fillcolor", color + "33"),
        ("tooltip", data.get("summary") or name),
        ("URL", svg_url(url) if is_web_url(url) else None),
    ]
    return f"  {quote(node)} {_attributes(shown, data)};"


def _edge(graph: nx.DiGraph, u, v, data: dict) -> str:
    relation = RELATIONS.get(data.get("relation"))
    style = relation.style if relation else {}
    strength = STRENGTHS.get(data.get("strength"))
    dashes = strength.style["dashes"] if strength and not strength.orders else style.get("dashes")
    line = "solid" if not dashes else ("dotted" if dashes[0] <= 3 else "dashed")
    phrase = relation.phrase if relation else "leads to"
    tooltip = f"{graph.nodes[u].get('name', u)} {phrase} {graph.nodes[v].get('name', v)}"
    if data.get("why"):
        tooltip += f": {data['why']}"
    shown = [
        ("color", style.get("color", "#555555")),
        ("style", line),
        ("penwidth", attribute_text(style.get("width", 1))),
        ("tooltip", tooltip),
    ]
    return f"  {quote(u)} -> {quote(v)} {_attributes(shown, data)};"


def graph_dot(graph: nx.DiGraph) -> str:
    """Return ``graph`` as a Graphviz ``digraph``: nodes and edges in graph (file) order."""
    lines = [
        'digraph "graph" {',
        f"  graph {_attributes([('rankdir', 'LR')], graph.graph)};",
        f'  node [style="filled", fontname={quote(_FONT)}];',
        f'  edge [fontname={quote(_FONT)}, arrowsize="0.7"];',
    ]
    lines.extend(_node(node, data) for node, data in graph.nodes(data=True))
    lines.extend(_edge(graph, u, v, data) for u, v, data in graph.edges(data=True))
    lines.append("}")
    return "\n".join(lines) + "\n"
