"""GraphML as data entries: what ``graph export --format graphml``, yEd and Gephi save.

Each ``<key>`` declares an attribute (``attr.name``, ``attr.type``, a
``<default>``); each ``<data>`` of a node or edge becomes the field its name
maps to (:func:`graph.imports.field_for`: ``name``, ``url``, Gephi's
``label``, yEd's ``description``, ...), converted by its type: ``boolean``,
``int``/``long``, ``float``/``double`` (a whole number reads back as an
integer), ``string``; a key whose ``<desc>`` says it holds JSON text (as
``graph export`` writes lists) is decoded. yEd keeps labels in its graphics
keys (``yfiles.type="nodegraphics"``: the first ``y:NodeLabel``; an
``edgegraphics`` ``y:EdgeLabel``, like Gephi's ``Edge Label``, becomes the
edge's ``relation`` when it names one, else its ``why``). Nodes of nested
graphs (yEd groups) are read too, each with its group.

The XML is parsed by ``defusedxml``: a document type with entity
declarations (the "billion laughs") or external entities is refused, never
expanded or fetched. Each entry notes its source line.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
>>> _ = path.write_text('''<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
... <key id="l" for="node" attr.name="label" attr.type="string"/>
... <graph edgedefault="directed"><node id="n0"><data key="l">Limits</data></node>
... <node id="n1"><data key="l">Derivatives</data></node><edge source="n0" target="n1"/></graph></graphml>''')
>>> imported = read_graphml([path])
>>> [i.fields for i in imported.nodes]
[{'id': 'n0', 'name': 'Limits', 'kind': 'topic'}, {'id': 'n1', 'name': 'Derivatives', 'kind': 'topic'}]
>>> imported.edges[0].fields, imported.edges[0].source.split("/")[-1]
({'from': 'n0', 'to': 'n1'}, 'g.graphml line 4')
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import defusedxml
import defusedxml.ElementTree as SafeET

from . import Builder, ImportFailure, Imported, coerce, field_for, label_field, read_json, read_text

__all__ = ["read_graphml"]

_JSON_HINT = "json"


@dataclass
class _Key:
    scope: str  # node, edge, graph, all
    name: str | None
    type: str
    json: bool
    yfiles: str | None
    default: str | None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(path, text: str):
    """Return the root element and a map from element id to its line."""
    lines = {}

    class Builder_(ET.TreeBuilder):
        def start(self, tag, attrs):
            element = super().start(tag, attrs)
            lines[id(element)] = parser.parser.CurrentLineNumber
            return element

    parser = SafeET.DefusedXMLParser(target=Builder_(), forbid_dtd=False, forbid_entities=True,
                                     forbid_external=True)
    try:
        parser.feed(text)
        root = parser.close()
    except ET.ParseError as exc:
        line, column = exc.position
        raise ImportFailure(f"{path}:{line}:{column + 1}: not well-formed XML: {str(exc).split(':')[0]}") from None
    except defusedxml.DefusedXmlException as exc:
        line = parser.parser.CurrentLineNumber
        raise ImportFailure(f"{path}:{line}: refused: the XML declares entities ({type(exc).__name__}); "
                            "GraphML needs none, and expanding them is unsafe") from None
    return root, lines


def _value(key: _Key, text: str, scope: str, field: str, where: str):
    if key.json:
        return read_json(text, where, invalid_as_text=True)
    kind = key.type.lower()
    if kind == "boolean":
        lowered = text.strip().lower()
        return True if lowered in ("true", "1") else False if lowered in ("false", "0") else text
    if kind in ("int", "long"):
        try:
            return int(text.strip())
        except ValueError:
            return text
    if kind in ("float", "double"):
        try:
            number = float(text.strip())
        except ValueError:
            return text
        return int(number) if number.is_integer() else number
    return coerce(scope, field, text)  # a string key: text, or what the field takes (yEd and Gephi write text)


def _yfiles_label(data, tag: str) -> str | None:
    for element in data.iter():
        if _local(element.tag) == tag:
            text = " ".join("".join(element.itertext()).split())  # a label wrapped over lines: one line
            if text:
                return text
    return None


def read_graphml(sources: list) -> Imported:
    """Read GraphML files ``sources`` into an :class:`Imported`."""
    builder = Builder("graphml", sources)
    for path in sources:
        name = os.fspath(path)
        _read_one(builder, name, *_parse(name, read_text(path, "GraphML")))
    return builder.finish()


# The ids yEd gives nodes: n0, n1, and n2::n0 inside the group n2.
_YED_ID = re.compile(r"n\d+(::n\d+)*\Z")


def _read_one(builder: Builder, name: str, root, lines: dict) -> None:
    if _local(root.tag) != "graphml":
        raise ImportFailure(f"{name}:{lines.get(id(root), 1)}: not GraphML: the root element is "
                            f"<{_local(root.tag)}>, not <graphml>")
    keys = _keys(root)
    yed = any(key.yfiles for key in keys.values())
    parent = {child: element for element in root.iter() for child in element}
    undirected = False
    for element in root.iter():
        tag = _local(element.tag)
        line = lines.get(id(element), 0)
        where = f"{name} line {line}"
        if tag == "graph":
            undirected |= element.get("edgedefault") == "undirected"
        elif tag == "node":
            node_id = element.get("id")
            if node_id is None:
                raise ImportFailure(f"{name}:{line}: a <node> has no id")
            holder = parent.get(parent.get(element))  # a node's graph lies in its group's node
            group = holder.get("id") if holder is not None and _local(holder.tag) == "node" else None
            builder.node(node_id, _fields(builder, keys, element, "node", f"{name}:{line}"), where,
                         made_up=yed and bool(_YED_ID.match(node_id)), group=group)
        elif tag == "edge":
            ends = element.get("source"), element.get("target")
            if None in ends:
                raise ImportFailure(f"{name}:{line}: an <edge> needs a source and a target")
            undirected |= element.get("directed") == "false"
            builder.edge(*ends, _fields(builder, keys, element, "edge", f"{name}:{line}"), where)
        elif tag == "hyperedge":
            raise ImportFailure(f"{name}:{line}: hyperedges are not supported: an edge joins two nodes")
    if undirected:
        builder.note(f"{name} has undirected edges; each is read from source to target")


def _keys(root) -> dict:
    keys = {}
    for element in root:
        if _local(element.tag) != "key" or element.get("id") is None:
            continue
        desc = default = None
        for child in element:
            if _local(child.tag) == "desc":
                desc = child.text or ""
            elif _local(child.tag) == "default":
                default = child.text or ""
        keys[element.get("id")] = _Key(element.get("for", "all"), element.get("attr.name"),
                                       element.get("attr.type", "string"),
                                       bool(desc) and desc.lower().startswith(_JSON_HINT),
                                       element.get("yfiles.type"), default)
    return keys


def _fields(builder: Builder, keys: dict, element, scope: str, where: str) -> dict:
    plural = scope + "s"
    given = {}
    for data in element:
        if _local(data.tag) == "data":
            given[data.get("key")] = data
    fields = {}
    for key_id, key in keys.items():
        if key.scope not in (scope, "all"):
            continue
        data = given.get(key_id)
        if key.yfiles in ("nodegraphics", "edgegraphics"):
            label = _yfiles_label(data, "NodeLabel" if scope == "node" else "EdgeLabel") if data is not None else None
            if label is None:
                continue
            if scope == "node":
                fields.setdefault("name", label)
            else:
                fields.setdefault(label_field(label), label)
            continue
        if data is None and key.default is None:
            continue
        name = field_for(plural, key.name) if key.name else None
        if name is None or name in ("id", "from", "to"):
            if key.name or key.yfiles is None:
                builder.drop(plural, key.name or key_id)
            continue
        text = "".join(data.itertext()) if data is not None else key.default
        if name == "relation" and field_for(plural, key.name) != key.name.strip().casefold():
            name = label_field(text.strip())  # a label (Gephi's Edge Label): a relation if it names one
        if name not in fields:
            fields[name] = _value(key, text, plural, name, f"{where}: <data key=\"{key_id}\">")
    for key_id in given:
        if key_id not in keys:
            builder.drop(plural, key_id)
    return fields
