"""NetworkX node-link JSON as data entries: what ``graph export --format json`` writes.

The file is a JSON object with ``nodes`` (each an object with an ``id``) and
``edges`` (each with ``source`` and ``target``), or ``links`` as NetworkX
wrote it before 3.4. Every other key of a node or edge is a field; keys that are
not fields of the data format are left out and named in the header, and
``null`` values are dropped like absent ones. Each entry notes where it came
from (``graph.json nodes[3]``).

>>> import json, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.json"
>>> _ = path.write_text(json.dumps({"nodes": [{"id": "a", "name": "A", "x": 1}], "links": [{"source": "a", "target": "b"}]}))
>>> imported = read_nodelink([path])
>>> [i.fields for i in imported.nodes], [i.fields for i in imported.edges]
([{'id': 'a', 'name': 'A', 'kind': 'topic'}, {'id': 'b', 'name': 'b', 'kind': 'topic'}], [{'from': 'a', 'to': 'b'}])
"""

from __future__ import annotations

import os

from . import Builder, ImportFailure, Imported, field_for, label_field, read_json, read_text

__all__ = ["read_nodelink"]


def _object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise ImportFailure(f"{where}: expected an object, found {type(value).__name__}")
    return value


def _fields(builder: Builder, scope: str, item: dict, skip: tuple) -> dict:
    fields = {}
    for key, value in item.items():
        if key in skip or value is None:
            continue
        name = field_for(scope, key)
        if name == "relation" and key.strip().casefold() != name and isinstance(value, str):
            name = label_field(value.strip())  # a label: a relation if it names one, else the reason
        if name is None or name in fields or name in ("id", "from", "to"):
            builder.drop(scope, key)
            continue
        fields[name] = value
    return fields


def read_nodelink(sources: list) -> Imported:
    """Read node-link JSON files ``sources`` into an :class:`Imported`."""
    builder = Builder("json", sources)
    for path in sources:
        name = os.fspath(path)
        data = _object(read_json(read_text(path, "JSON"), name), name)
        if not isinstance(data.get("nodes"), list):
            raise ImportFailure(f"{name}: not NetworkX node-link JSON: no 'nodes' list at the top level")
        key = "edges" if "edges" in data else "links"
        edges = data.get(key, [])
        if not isinstance(edges, list):
            raise ImportFailure(f"{name}: '{key}' must be a list")
        if data.get("directed") is False:
            builder.note(f"{name} says its graph is undirected; each edge is read from source to target")
        for index, node in enumerate(data["nodes"]):
            where = f"{name} nodes[{index}]"
            node = _object(node, where)
            if "id" not in node or node["id"] is None:
                raise ImportFailure(f"{where}: a node has no 'id'")
            builder.node(node["id"], _fields(builder, "nodes", node, ("id",)), where)
        for index, edge in enumerate(edges):
            where = f"{name} {key}[{index}]"
            edge = _object(edge, where)
            for end in ("source", "target"):
                if edge.get(end) is None:
                    raise ImportFailure(f"{where}: an edge has no '{end}'")
            builder.edge(edge["source"], edge["target"],
                         _fields(builder, "edges", edge, ("source", "target", "key")), where)
    return builder.finish()
