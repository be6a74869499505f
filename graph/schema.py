"""JSON Schemas of the data files, generated from the vocabulary in :mod:`graph.model`.

Editors use them for completion and checking (the YAML language server reads a
``# yaml-language-server: $schema=...`` comment). ``python -m graph.schema DIR``
writes ``nodes.schema.json`` and ``edges.schema.json`` into DIR. The schemas
check shapes only; ``graph validate`` checks everything.

>>> schema = nodes_schema()
>>> schema["properties"]["nodes"]["items"]["required"]
['id', 'name', 'kind']
>>> edges_schema()["properties"]["edges"]["items"]["properties"]["relation"]["enum"][0]
'prerequisite'
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .model import EDGE_FIELDS, FORMATS, KINDS, NODE_FIELDS, RELATIONS, STRENGTHS
from .validate import SLUG

__all__ = ["edges_schema", "nodes_schema", "write_schemas"]

_SLUG = "^" + SLUG.pattern.replace("\\Z", "") + "$"
_TYPES = {str: "string", int: "number", float: "number", bool: "boolean", list: "array"}


def _property(spec) -> dict:
    types = sorted({_TYPES[t] for t in spec.types})
    out = {"description": spec.description, "type": types[0] if len(types) == 1 else types}
    if out["type"] == "array":
        out["items"] = {"type": "string"}
    return out


def _document(key: str, fields: dict, extra: dict, title: str) -> dict:
    properties = {name: _property(spec) for name, spec in fields.items()}
    for name, rules in extra.items():
        properties[name].update(rules)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "additionalProperties": False,
        "required": [key],
        "properties": {key: {"type": ["array", "null"], "items": {
            "type": "object",
            "additionalProperties": False,
            "required": [name for name, spec in fields.items() if spec.required],
            "properties": properties,
        }}},
    }


def nodes_schema() -> dict:
    """Return the JSON Schema of ``nodes.yaml``."""
    return _document("nodes", NODE_FIELDS, {
        "id": {"pattern": _SLUG},
        "area": {"pattern": _SLUG},
        "kind": {"enum": list(KINDS)},
        "format": {"enum": list(FORMATS)},
        "hours": {"minimum": 0},
        "url": {"pattern": "^https?://"},
        "current_url": {"pattern": "^https?://"},
    }, "Nodes of a study map (graph)")


def edges_schema() -> dict:
    """Return the JSON Schema of ``edges.yaml``."""
    return _document("edges", EDGE_FIELDS, {
        "from": {"pattern": _SLUG},
        "to": {"pattern": _SLUG},
        "relation": {"enum": list(RELATIONS)},
        "strength": {"enum": list(STRENGTHS)},
        "any_of": {"pattern": _SLUG},
        "hours": {"minimum": 0},
        "part_url": {"pattern": "^https?://"},
    }, "Edges of a study map (graph)")


def write_schemas(folder: str | Path) -> list[Path]:
    """Write both schemas into ``folder``; return their paths."""
    from .output import write_atomic

    written = []
    for name, schema in (("nodes", nodes_schema()), ("edges", edges_schema())):
        path = Path(folder) / f"{name}.schema.json"
        write_atomic(path, json.dumps(schema, indent=2) + "\n")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_schemas(sys.argv[1] if len(sys.argv) > 1 else "schema"):
        print(f"wrote {path}")
