"""The JSON Schemas under schema/ match the vocabulary and accept the bundled map."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from graph.schema import edges_schema, nodes_schema

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("name, make", [("nodes", nodes_schema), ("edges", edges_schema)])
def test_committed_schema_matches_the_model(name, make):
    committed = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert committed == make(), "regenerate with: python -m graph.schema schema"


@pytest.mark.parametrize("name, make", [("nodes", nodes_schema), ("edges", edges_schema)])
def test_bundled_map_conforms(name, make):
    document = yaml.safe_load((ROOT / "data" / f"{name}.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(document, make())


def test_schema_rejects_what_validate_rejects():
    bad_kind = {"nodes": [{"id": "a", "name": "A", "kind": "topik"}]}
    bad_id = {"nodes": [{"id": "A_b", "name": "A", "kind": "topic"}]}
    bad_relation = {"edges": [{"from": "a", "to": "b", "relation": "teachs"}]}
    unknown_field = {"nodes": [{"id": "a", "name": "A", "kind": "topic", "summry": "x"}]}
    for document, schema in ((bad_kind, nodes_schema()), (bad_id, nodes_schema()),
                             (bad_relation, edges_schema()), (unknown_field, nodes_schema())):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(document, schema)
