"""Mermaid flowchart rendering of a graph: GitHub draws a ```` ```mermaid ```` block of it.

Node ids in the output are generated, ``n0``, ``n1``, ... in graph (file)
order, so no id can collide with Mermaid's keywords (``end``, ``graph``,
``class``, ``style``, ``click``, ``subgraph``, ...); each label is the node's
name (``3. Name`` for a plan step) with its real id under it. Label text is
escaped with Mermaid's entity codes (``#quot;``, ``#35;``, ``#lt;``, ...):
quotes, brackets, ``<``, ``>``, ``&``, ``#`` and the like cannot end a label,
open HTML or start an entity, and line breaks become spaces.

Shapes follow the kind (topic: rounded box, resource: box, degree: hexagon),
colours come from ``model.KINDS`` (``classDef``) and ``model.RELATIONS``
(``linkStyle``), and an edge of any relation but ``prerequisite`` is labelled
with it. Mermaid draws at most 500 edges by default (``maxEdges``; GitHub
keeps that limit): for a larger graph, export a plan (``--target``).

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("end", name='The "end" <b>#1</b>', kind="topic")
>>> g.add_node("r", name="R", kind="resource")
>>> g.add_edge("r", "end", relation="teaches")
>>> print(graph_mermaid(g))  # doctest: +ELLIPSIS
flowchart LR
    n0("The #quot;end#quot; #lt;b#gt;#35;1#lt;/b#gt;<br/>#40;end#41;")
    n1["R<br/>#40;r#41;"]
    n1 -.->|"teaches"| n0
    classDef topic ...
    class n0 topic
    class n1 resource
    linkStyle 0 stroke:#F58518,stroke-width:1px,stroke-dasharray:2 4
<BLANKLINE>
"""

from __future__ import annotations

import networkx as nx

from ..model import DEFAULT_RELATION, KINDS, RELATIONS, STRENGTHS

__all__ = ["MAX_EDGES", "graph_mermaid", "label_text"]

MAX_EDGES = 500  # Mermaid's default maxEdges
_SHAPES = {"topic": ('("', '")'), "resource": ('["', '"]'), "degree": ('{{"', '"}}')}
_ENTITIES = {'"': "#quot;", "#": "#35;", "&": "#amp;", "<": "#lt;", ">": "#gt;"}
_ENTITIES.update({c: f"#{ord(c)};" for c in "[](){}|`%;:\\"})


def label_text(text) -> str:
    """Return ``text`` on one line, safe inside a double-quoted Mermaid label.

    >>> label_text('a "b" [c]\\n<d> #e;')
    'a #quot;b#quot; #91;c#93; #lt;d#gt; #35;e#59;'
    """
    return "".join(_ENTITIES.get(c, c) for c in " ".join(str(text).split()))


def _style(relation: str, strength: str | None) -> dict:
    """The relation's line, dashed as its strength says when it does not order study."""
    spec = RELATIONS.get(relation)
    style = dict(spec.style) if spec else {}
    if strength in STRENGTHS and not STRENGTHS[strength].orders:
        style["dashes"] = STRENGTHS[strength].style["dashes"]
    return style


def _arrow(relation: str, strength: str | None = None) -> str:
    style = _style(relation, strength)
    arrow = "-.->" if style.get("dashes") else ("==>" if style.get("width", 1) >= 2 else "-->")
    label = relation if strength in (None, "required") or relation == "recommended" else f"{relation}, {strength}"
    return arrow if relation == DEFAULT_RELATION and label == relation else f'{arrow}|"{label_text(label)}"|'


def _link_style(relation: str, strength: str | None = None) -> str:
    style = _style(relation, strength)
    parts = [f"stroke:{style.get('color', '#555555')}", f"stroke-width:{style.get('width', 1)}px"]
    if style.get("dashes"):
        parts.append("stroke-dasharray:" + " ".join(str(d) for d in style["dashes"]))
    return ",".join(parts)


def graph_mermaid(graph: nx.DiGraph) -> str:
    """Return ``graph`` as a Mermaid ``flowchart LR`` with generated ids and escaped labels."""
    ids = {node: f"n{i}" for i, node in enumerate(graph)}
    lines = ["flowchart LR"]
    by_kind: dict = {}
    for node, data in graph.nodes(data=True):
        kind = data.get("kind")
        opening, closing = _SHAPES.get(kind, _SHAPES["topic"])
        name = data.get("name", node)
        if data.get("step") is not None:
            name = f"{data['step']}. {name}"
        lines.append(f"    {ids[node]}{opening}{label_text(name)}<br/>{label_text(f'({node})')}{closing}")
        by_kind.setdefault(kind if kind in KINDS else "topic", []).append(ids[node])
    by_relation: dict = {}
    for index, (u, v, data) in enumerate(graph.edges(data=True)):
        relation = data.get("relation", DEFAULT_RELATION)
        strength = data.get("strength")
        lines.append(f"    {ids[u]} {_arrow(relation, strength)} {ids[v]}")
        by_relation.setdefault((relation, strength), []).append(str(index))
    for kind, spec in KINDS.items():
        if kind in by_kind:
            lines.append(f"    classDef {kind} fill:{spec.color},stroke:{spec.color},color:#ffffff")
    lines.extend(f"    class {','.join(members)} {kind}" for kind, members in by_kind.items())
    lines.extend(f"    linkStyle {','.join(indexes)} {_link_style(*kind)}" for kind, indexes in by_relation.items())
    return "\n".join(lines) + "\n"
