"""GraphML rendering of a graph, for Gephi, yEd, Cytoscape, igraph and NetworkX.

Every node is a ``<node id="...">`` with its id; every edge a directed
``<edge source="..." target="...">``. Each attribute of the graph, its nodes
or its edges becomes a ``<key>`` (ids ``d0``, ``d1``, ... sorted by scope then
name) and a ``<data>`` element. Values GraphML cannot hold as they are are
converted deliberately, never dropped:

* ``True``/``False`` become GraphML booleans ``true``/``false``;
* numbers: a key whose values are all integers is ``long``, one with any
  fractional value ``double`` (so ``hours`` may read back as ``3.0``);
* lists and mappings (such as ``aliases``) become JSON text in a ``string``
  key whose ``<desc>`` says so: ``json.loads`` gives the list back;
* ``None`` is omitted, like a field the data does not give, so readers apply
  their own missing value (NetworkX: no attribute; igraph: ``""``, ``nan`` or
  ``False``);
* characters XML 1.0 cannot hold (control characters other than tab and line
  ends) become U+FFFD.

A key whose values mix kinds (text and numbers) is ``string``, each value as
:func:`attribute_text` writes it. Output is deterministic: keys sorted, nodes
and edges in graph (file) order.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("a", name="A & B", free=True, aliases=["ab"])
>>> g.add_edge("a", "b", relation="teaches")
>>> text = graph_graphml(g)
>>> '<data key="d1">true</data>' in text, '<data key="d0">["ab"]</data>' in text
(True, True)
>>> sorted(nx.read_graphml(__import__("io").BytesIO(text.encode())).nodes["a"].items())
[('aliases', '["ab"]'), ('free', True), ('name', 'A & B')]
"""

from __future__ import annotations

import json
import math
import re
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

__all__ = ["attribute_text", "graph_graphml", "xml_text"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SCOPES = ("graph", "node", "edge")
_JSON_NOTE = "JSON text (a list or mapping in the data): read it back with a JSON parser"


def xml_text(value: str) -> str:
    """Return ``value`` with characters XML 1.0 cannot hold replaced by U+FFFD.

    >>> xml_text("a\\x07b\\tc")
    'a\\ufffdb\\tc'
    """
    return _NOT_XML.sub("\ufffd", value)


def attribute_text(value) -> str | None:
    """Return an attribute value as text: how GraphML and DOT write it; ``None`` for no value.

    >>> [attribute_text(v) for v in (True, 3, 2.5, float("inf"), ["a", "b"], None, "x")]
    ['true', '3', '2.5', 'INF', '["a", "b"]', None, 'x']
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        return repr(value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _kind(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, (list, tuple, dict)):
        return "json"
    return "string"


def _key_type(kinds: set) -> str:
    if len(kinds) == 1:
        return kinds.pop()
    if kinds <= {"long", "double"}:
        return "double"
    return "string"


def _value_text(value, key_type: str) -> str:
    if key_type == "double" and not isinstance(value, bool) and isinstance(value, int):
        value = float(value)
    return escape(xml_text(attribute_text(value)), {"\r": "&#13;"})


def graph_graphml(graph: nx.DiGraph) -> str:
    """Return ``graph`` as a GraphML document (text, UTF-8 declared), values converted as the module says."""
    items = {
        "graph": [graph.graph],
        "node": [data for _, data in graph.nodes(data=True)],
        "edge": [data for _, _, data in graph.edges(data=True)],
    }
    kinds: dict = {}
    for scope in _SCOPES:
        for data in items[scope]:
            for name, value in data.items():
                if value is not None:
                    kinds.setdefault((scope, str(name)), set()).add(_kind(value))
    keys = {}  # (scope, name) -> (id, type)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
             'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
    for scope, name in sorted(kinds, key=lambda k: (_SCOPES.index(k[0]), k[1])):
        found = _key_type(set(kinds[scope, name]))
        key_id = f"d{len(keys)}"
        keys[scope, name] = (key_id, "string" if found == "json" else found)
        head = f'  <key id="{key_id}" for="{scope}" attr.name={quoteattr(xml_text(name))} attr.type="{keys[scope, name][1]}"'
        lines.append(f"{head}><desc>{_JSON_NOTE}</desc></key>" if found == "json" else f"{head}/>")

    def data_lines(scope: str, data: dict, indent: str) -> list[str]:
        out = []
        for name in sorted(data, key=str):
            if data[name] is not None:
                key_id, key_type = keys[scope, str(name)]
                out.append(f'{indent}<data key="{key_id}">{_value_text(data[name], key_type)}</data>')
        return out

    lines.append('  <graph id="G" edgedefault="directed">')
    lines.extend(data_lines("graph", graph.graph, "    "))
    for node, data in graph.nodes(data=True):
        inner = data_lines("node", data, "      ")
        open_tag = f"    <node id={quoteattr(xml_text(str(node)))}"
        lines.extend([open_tag + ">", *inner, "    </node>"] if inner else [open_tag + "/>"])
    for u, v, data in graph.edges(data=True):
        inner = data_lines("edge", data, "      ")
        open_tag = f"    <edge source={quoteattr(xml_text(str(u)))} target={quoteattr(xml_text(str(v)))}"
        lines.extend([open_tag + ">", *inner, "    </edge>"] if inner else [open_tag + "/>"])
    lines.extend(["  </graph>", "</graphml>"])
    return "\n".join(lines) + "\n"
