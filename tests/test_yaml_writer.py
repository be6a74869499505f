"""The canonical YAML writer: any value it writes reads back unchanged, through both safe loaders."""

from __future__ import annotations

import math

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.render.yaml import Item, entries_yaml
from graph.yamlread import read_entries

# Any text Python can write as UTF-8 (no lone surrogates), line breaks and control characters included.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
VALUES = st.one_of(TEXT, st.integers(), st.floats(allow_nan=False), st.booleans(), st.lists(TEXT, max_size=4))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(TEXT, VALUES, max_size=4), min_size=1, max_size=4), TEXT)
def test_any_entries_read_back_unchanged_with_their_notes_as_comments(entries, note):
    text = entries_yaml("nodes", [Item(dict(e), note) for e in entries], ["a header", note])
    assert yaml.safe_load(text) == {"nodes": entries}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert yaml.load(text, Loader=loader) == {"nodes": entries}


def test_the_data_reader_sees_each_field_on_its_own_line(tmp_path):
    fields = {"id": "a", "name": "yes", "kind": "topic", "summary": "x\ny: z", "hours": 1.5, "aliases": ["a, b"]}
    path = tmp_path / "nodes.yaml"
    path.write_text(entries_yaml("nodes", [Item({k: fields[k] for k in reversed(list(fields))}, "row 1")]))
    entries, problems = read_entries(path, "nodes.yaml", "nodes")
    assert not problems and entries[0].fields == fields
    # Ids first, then the model's order, one field per line.
    assert list(entries[0].lines) == list(fields) and sorted(entries[0].lines.values()) == list(range(4, 10))
    assert math.isclose(entries[0].fields["hours"], 1.5)
