"""A whole map as a curated Markdown list, in the style of the "awesome" lists: ``graph export --format markdown``.

One section per area (a ``##`` heading), in the order study reaches them (what
has no area first, under no heading); in
each, the topics in study order (:func:`graph.plan.map_order`), each a list
item with its resources nested under it, one list item per resource: its name
linked to ``url``, a second link to ``current_url`` labelled ``current
address``, under a topic a link to the teaches edge's ``part_url`` labelled
``part for this topic``, its summary, then ``(free, 12 h)``. Resources that teach no topic
close their area's section. Everything from the data is escaped
(:func:`graph.render.markdown.escape`) and only http(s) URLs become links, so
GitHub shows the text as written and no raw HTML is emitted; control characters
are written as ``\\x1b``, so the list printed to a terminal cannot drive it.

A list carries no prerequisite edges, and the header says so: ``graph import
markdown`` reads the list back as its resources (with their ``url`` and
``current_url``, ``free`` and ``hours``), and with ``--heading-topics`` the
topics they teach (with each part's ``part_url``), but not what comes before what.

>>> import re

import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("limits", name="Limits", kind="topic", area="calculus", hours=6)
>>> g.add_node("khan", name="Khan *Calculus*", kind="resource", area="calculus", url="https://k.org/c", free=True)
>>> g.add_edge("khan", "limits", relation="teaches")
>>> print(map_markdown(g).split("\\n\\n", 2)[2])
## Calculus
<BLANKLINE>
- **Limits** (6 h)
  - [Khan \\*Calculus\\*](<https://k.org/c>) (free)
<BLANKLINE>
"""

from __future__ import annotations

import re

import networkx as nx

from ..model import RELATIONS
from ..plan import map_order, resources_for
from ..validate import is_web_url
from .markdown import escape
from .text import format_hours

__all__ = ["map_markdown"]

CURRENT_LABEL = "current address"  # graph.imports.markdown reads a link so labelled as current_url
PART_LABEL = "part for this topic"  # ... and one so labelled as the teaches edge's part_url
HEADER = ("Exported by `graph export --format markdown`: each area's topics in study order, each with the "
          "resources that teach it. A list carries no prerequisite edges: read back with `graph import "
          "markdown`, it gives the resources and topics, not what comes before what.")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")  # would drive a terminal or break a line
_DESTINATION = re.compile(r"([\\<>&])")
_TEACHING = frozenset(r for r, spec in RELATIONS.items() if spec.teaches)


def link(label, url) -> str:
    r"""Return a Markdown link to an http(s) ``url`` that reads back as exactly ``url``, else the label alone.

    Unlike :func:`graph.render.markdown.link`, which writes ``\``, ``<`` and ``>`` percent-encoded, the
    characters a link's ``<...>`` would read otherwise (``\ < > &``) are backslash-escaped: an entity such
    as ``&#9;`` in a URL stays text, and the import gives the URL back unchanged.

    >>> print(link("A", "https://a.example/?x=1&amp;y=<2>"))
    [A](<https://a.example/?x=1\&amp;y=\<2\>>)
    """
    if not is_web_url(url):
        return escape(label)
    destination = _DESTINATION.sub(r"\\\1", url)
    return f"[{escape(label)}](<{destination}>)"


def _facts(data: dict) -> str:
    facts = []
    if isinstance(data.get("free"), bool):
        facts.append("free" if data["free"] else "paid")
    hours = data.get("hours")
    if isinstance(hours, (int, float)) and not isinstance(hours, bool):
        facts.append(format_hours(hours).replace(",", ""))
    return f" ({', '.join(facts)})" if facts else ""


def _resource(resource: dict) -> str:
    name = resource.get("name")
    line = link(name if str(name or "").strip() else resource["id"], resource.get("url"))
    if resource.get("current_url"):
        line += f" ({link(CURRENT_LABEL, resource['current_url'])})"
    if is_web_url(resource.get("part_url")):
        line += f" ({link(PART_LABEL, resource['part_url'])})"
    if resource.get("summary"):
        line += f": {escape(resource['summary'])}"
    return line + _facts(resource)


def _title(area) -> str:
    text = " ".join(str(area).replace("-", " ").split())
    return escape(text[:1].upper() + text[1:])


def map_markdown(graph: nx.DiGraph, title: str = "Study map") -> str:
    """Return ``graph`` as a curated Markdown list: areas, topics in study order, their resources."""
    order = map_order(graph)
    rank = {node: i for i, node in enumerate(graph)}
    sections: dict = {}
    for node in order:
        data = graph.nodes[node]
        if data.get("kind") != "resource":
            sections.setdefault(data.get("area") or "", []).append(node)
    untaught: dict = {}
    taught = {u for u, _, relation in graph.edges(data="relation") if relation in _TEACHING}
    for node in graph:
        data = graph.nodes[node]
        if data.get("kind") == "resource" and node not in taught:
            untaught.setdefault(data.get("area") or "", []).append(node)
    lines = [f"# {escape(title)}", "", HEADER]
    areas = [*sections, *(a for a in untaught if a not in sections)]
    for area in sorted(areas, key=bool):  # what has no area stands first, under no heading
        lines.extend(["", f"## {_title(area)}", ""] if area else [""])
        for node in sections.get(area, ()):
            data = graph.nodes[node]
            name = escape(data.get("name") or node) or escape(node)
            summary = f": {escape(data['summary'])}" if data.get("summary") else ""
            kind = " (goal)" if data.get("kind") == "degree" else ""
            lines.append(f"- **{name}**{kind}{summary}{_facts(data)}")
            lines.extend(f"  - {_resource({'id': r['id'], **graph.nodes[r['id']], 'part_url': r.get('part_url')})}"
                         for r in resources_for(graph, node, rank))
        lines.extend(f"- {_resource({'id': node, **graph.nodes[node]})}" for node in untaught.get(area, ()))
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else
                        f"\\u{ord(m.group()):04x}", "\n".join(lines) + "\n")
