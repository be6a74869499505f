"""JSON renderings of plans and query results, for scripts.

Output is deterministic: keys in a fixed order, lists in study or file order.

>>> print(dumps({"id": "a", "steps": [{"id": "x", "hours": 2}, {"id": "y", "hours": None}], "total": 2}), end="")
{
  "id": "a",
  "steps": [
    {"id": "x", "hours": 2},
    {"id": "y", "hours": null}
  ],
  "total": 2
}
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..plan import Plan, Step
from ..schedule import Schedule

if TYPE_CHECKING:  # NetworkX is imported where a graph is made or searched, not for its name
    import networkx as nx

__all__ = ["dumps", "graph_json", "node_json", "paths_json", "plan_json", "related_json"]


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
_ENCODE = _ENCODER.encode


def _item_encoder():
    """Return a function encoding one list item, built once: ``encode`` builds an encoder per call."""
    from json import encoder

    if encoder.c_make_encoder is None:  # no C accelerator: the plain path
        return _ENCODE
    e = _ENCODER
    chunks = encoder.c_make_encoder({}, e.default, encoder.encode_basestring, None, e.key_separator,
                                    e.item_separator, e.sort_keys, e.skipkeys, e.allow_nan)
    return lambda item: "".join(chunks(item, 0))


def dumps(value) -> str:
    """Return ``value`` as UTF-8 JSON text ending in a newline.

    A mapping is written one key per line and each of its lists one item per
    line: easy to read, diff and grep, and fast on plans of 100,000 steps (each
    item goes through the C encoder; ``indent`` would use the pure-Python one).
    """
    if not isinstance(value, dict) or not value:
        return _ENCODE(value) + "\n"
    parts, encode_item = ["{\n"], _item_encoder()
    for key, item in value.items():
        if len(parts) > 1:
            parts.append(",\n")
        if isinstance(item, _Encoded):
            lines = ",\n    ".join(item.texts)
            parts.append(f"  {_ENCODE(key)}: [\n    {lines}\n  ]" if lines else f"  {_ENCODE(key)}: []")
        elif isinstance(item, (list, _Rows)) and item:
            parts += (f"  {_ENCODE(key)}: [\n    ", ",\n    ".join(map(encode_item, item)), "\n  ]")
        else:
            parts.append(f"  {_ENCODE(key)}: {_ENCODE(item)}")
    parts.append("\n}\n")
    return "".join(parts)  # one copy of a long list's text, not three


class _Rows:
    """Items (at least one) that :func:`dumps` writes one per line, each made as it is written: the
    mappings of a plan's 100,000 steps need not all exist at once."""

    def __init__(self, items):
        self._items = items

    def __iter__(self):
        return iter(self._items)


class _Encoded:
    """Items that :func:`dumps` writes one per line, already JSON text (as its item encoder writes them)."""

    def __init__(self, texts: list[str]):
        self.texts = texts


_EDGE_EXTRAS = ("any_of", "part", "hours", "part_url")  # given on some edges only


def _edge_of(u, v, data: dict) -> dict:
    """Return an edge as ``{"from", "to", "relation", "strength", "why"}`` (``strength`` is null on
    ``teaches`` edges), with ``any_of``, ``part``, ``hours`` and ``part_url`` when the edge has them."""
    edge = {"from": u, "to": v, "relation": data.get("relation"), "strength": data.get("strength"),
            "why": data.get("why")}
    for key in _EDGE_EXTRAS:
        if key in data:
            edge[key] = data[key]
    return edge


def _edge_texts(succ: dict, sources, members) -> list[str]:
    """The JSON text of each edge from ``sources`` to ``members``, as :func:`_edge_of` gives it and
    :func:`dumps` writes it, made directly: a 100,000-node map's reach has 250,000 of them.

    >>> texts = _edge_texts({"a": {"b": {"relation": "prerequisite", "hours": 2}}}, ["a"], {"b"})
    >>> texts == [_item_encoder()(_edge_of("a", "b", {"relation": "prerequisite", "hours": 2}))]
    True
    """
    from json.encoder import encode_basestring

    def text(value) -> str:
        return encode_basestring(value) if type(value) is str else "null" if value is None else _ENCODE(value)

    texts = []
    for u in sources:
        start = '{"from": ' + text(u) + ', "to": '
        for v, data in succ[u].items():
            if v not in members:
                continue
            get = data.get
            edge = (start + text(v) + ', "relation": ' + text(get("relation")) + ', "strength": '
                    + text(get("strength")) + ', "why": ' + text(get("why")))
            for key in _EDGE_EXTRAS:
                if key in data:
                    edge += f', "{key}": ' + text(data[key])
            texts.append(edge + "}")
    return texts


def _edge(graph: nx.DiGraph, u, v) -> dict:
    return _edge_of(u, v, graph._succ[u][v])


def plan_json(plan: Plan, schedule: Schedule | None = None) -> str:
    """Return a plan: ``target``, ``steps`` (each with id, name, kind, hours, resources) and ``total_hours``.

    With a ``schedule``, each step also gives ``weeks`` (``[first, last]``, counted from 1) and ``due``
    (an ISO date), and a ``schedule`` key gives ``hours_per_week``, ``start``, ``weeks``, ``end`` (the
    day the target is reached; null when nothing is left) and ``steps_without_hours`` (their ids,
    scheduled at 0 h).
    """
    data = plan.to_dict(steps=False)
    steps = map(Step.to_dict, plan.steps)
    if schedule is not None:
        steps = map(_scheduled, steps, schedule.slots)
        data["schedule"] = {
            "hours_per_week": schedule.hours_per_week,
            "start": schedule.start.isoformat(),
            "weeks": schedule.weeks,
            "end": schedule.end.isoformat() if schedule.end else None,
            "steps_without_hours": schedule.without_hours,
        }
    data["steps"] = _Rows(steps) if plan.steps else []
    return dumps(data)


def _scheduled(step: dict, slot) -> dict:
    step["weeks"] = [slot.first_week, slot.last_week]
    step["due"] = slot.due.isoformat()
    return step


def related_json(graph: nx.DiGraph, node, key: str, ids: list, depth: int | None) -> str:
    """Return ``{"id", "name", key: ids, "depth", "edges"}`` for prerequisites or dependents."""
    members = set(ids) | {node}
    return dumps({
        "id": node,
        "name": graph.nodes[node].get("name", node),
        key: ids,
        "depth": depth,
        "edges": _Encoded(_edge_texts(graph._succ, [*ids, node], members)),
    })


def paths_json(graph: nx.DiGraph, source, target, found: list[list]) -> str:
    """Return ``{"from", "to", "paths"}``, each path a list of edges with relation and reason."""
    return dumps({
        "from": source,
        "to": target,
        "paths": [[_edge(graph, u, v) for u, v in zip(p, p[1:])] for p in found],
    })


def node_json(graph: nx.DiGraph, node, resources: list[dict]) -> str:
    """Return a node in full, with its resources, prerequisites and dependents."""
    return dumps({
        "id": node,
        **graph.nodes[node],
        "resources": resources,
        "prerequisites": [_edge(graph, u, node) for u in graph._pred[node]],
        "dependents": [_edge(graph, node, v) for v in graph._succ[node]],
    })


def graph_json(graph: nx.DiGraph) -> str:
    """Return the whole graph as NetworkX node-link JSON, keys sorted.

    ``{"directed": true, "multigraph": false, "graph": {...}, "nodes": [{"id": ..., fields}],
    "edges": [{"source": ..., "target": ..., "relation": ..., "why": ...}]}``, nodes and edges
    in file order; ``networkx.node_link_graph(json.loads(text), edges="edges")`` reads it back.

    >>> g = nx.DiGraph([("a", "b", {"relation": "prerequisite"})])
    >>> data = json.loads(graph_json(g))
    >>> data["edges"], list(nx.node_link_graph(data, edges="edges").edges(data=True))
    ([{'relation': 'prerequisite', 'source': 'a', 'target': 'b'}], [('a', 'b', {'relation': 'prerequisite'})])
    """
    import networkx as nx

    try:
        data = nx.node_link_data(graph, edges="edges")
    except TypeError:  # networkx before 3.4 names the key "link"
        data = nx.node_link_data(graph, link="edges")
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
