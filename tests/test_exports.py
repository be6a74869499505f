"""`graph export`: JSON, GraphML, DOT and Mermaid that real readers accept, for the graph or one plan."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner

from graph.cli import main
from graph.cli.outputs import EXPORT_FORMATS as CLI_FORMATS
from graph.build import EXPORT_FORMATS, EXPORT_ONLY
from graph.model import RELATIONS

# Names that break naive writers; ids that are Mermaid and DOT keywords.
NODES = [
    {"id": "end", "name": 'The "end" <b>#1</b> [x] {y} (z) | a\\b; 50% & `c`', "kind": "topic", "hours": 2,
     "aliases": ["fin", "the end"], "summary": "line one\nline two"},
    {"id": "graph", "name": "Graph & class", "kind": "topic", "hours": 1.5, "area": "class"},
    {"id": "subgraph", "name": "A [book]", "kind": "resource", "url": 'https://example.org/a?b=1&c="2"',
     "free": True, "preferred": False, "format": "book", "hours": 10, "author": "Ann O'Neil"},
    {"id": "class", "name": "Degree: one", "kind": "degree"},
    {"id": "style", "name": "Fourier – Ω\\n #quot; %%", "kind": "topic", "hours": 3},
    {"id": "node", "name": "Unrelated", "kind": "topic"},
]
EDGES = [
    {"from": "graph", "to": "end", "why": 'needs "graph" first\\'},
    {"from": "subgraph", "to": "end", "relation": "teaches"},
    {"from": "end", "to": "class", "relation": "combines-into"},
    {"from": "style", "to": "class", "relation": "recommended"},
    {"from": "style", "to": "node"},
]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "nodes.yaml").write_text(yaml.safe_dump({"nodes": NODES}, allow_unicode=True), encoding="utf-8")
    (folder / "edges.yaml").write_text(yaml.safe_dump({"edges": EDGES}, allow_unicode=True), encoding="utf-8")
    return folder


def export(data: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--data", str(data), "export", *args])
    assert result.exit_code == 0, result.output
    return result.output


def expected_graph() -> nx.DiGraph:
    """The graph the fixture describes, as the loader builds it."""
    g = nx.DiGraph()
    g.add_nodes_from((n["id"], {k: v for k, v in n.items() if k != "id"}) for n in NODES)
    for e in EDGES:
        relation = e.get("relation", "prerequisite")
        strength = e.get("strength", RELATIONS[relation].default_strength)
        g.add_edge(e["from"], e["to"], relation=relation, **({"strength": strength} if strength else {}),
                   **({"why": e["why"]} if "why" in e else {}))
    return g


def test_cli_formats_match_the_library():
    assert CLI_FORMATS == (*EXPORT_FORMATS, *EXPORT_ONLY)


# --- JSON ----------------------------------------------------------------------------------------------------------

def test_json_round_trips_through_networkx_node_link_graph(data):
    read = nx.node_link_graph(json.loads(export(data, "--format", "json")), edges="edges")
    want = expected_graph()
    assert read.is_directed() and not read.is_multigraph()
    assert list(read.nodes(data=True)) == list(want.nodes(data=True))  # same order, same values and types
    assert sorted(read.edges(data=True)) == sorted(want.edges(data=True))


# --- GraphML -------------------------------------------------------------------------------------------------------

def graphml_value(value):
    """A value as the GraphML export documents it: lists as JSON text, the rest as it is."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, list) else value


def test_graphml_reads_back_in_networkx_with_the_same_nodes_edges_and_attributes(data, tmp_path):
    path = tmp_path / "map.graphml"
    export(data, "--output", str(path))
    read = nx.read_graphml(path)
    want = expected_graph()
    assert read.is_directed()
    assert list(read.nodes) == list(want.nodes)
    for node, attrs in want.nodes(data=True):
        assert read.nodes[node] == {k: graphml_value(v) for k, v in attrs.items()}, node
    assert json.loads(read.nodes["end"]["aliases"]) == ["fin", "the end"]
    assert read.nodes["subgraph"]["free"] is True and read.nodes["subgraph"]["preferred"] is False
    assert sorted(read.edges(data=True)) == sorted(want.edges(data=True))


def test_graphml_reads_back_in_igraph_with_the_same_nodes_edges_and_attributes(data, tmp_path):
    igraph = pytest.importorskip("igraph", reason="python-igraph is a test dependency")
    path = tmp_path / "map.graphml"
    export(data, "--format", "graphml", "--output", str(path))
    read = igraph.Graph.Read_GraphML(str(path))
    want = expected_graph()
    assert read.is_directed()
    assert read.vs["id"] == list(want.nodes)
    missing = {"string": "", "boolean": False}
    for vertex in read.vs:
        attrs = want.nodes[vertex["id"]]
        for name in read.vs.attributes():
            if name == "id":
                continue
            got = vertex[name]
            if name in attrs:
                assert got == graphml_value(attrs[name]), (vertex["id"], name)
            elif isinstance(got, float):
                assert math.isnan(got), (vertex["id"], name)  # a number the node does not give
            else:
                assert got in missing.values(), (vertex["id"], name)
        assert set(attrs) <= set(read.vs.attributes())
    edges = {(read.vs[e.source]["id"], read.vs[e.target]["id"]): e.attributes() for e in read.es}
    assert set(edges) == set(want.edges)
    for (u, v), attrs in edges.items():
        assert attrs["relation"] == want.edges[u, v]["relation"]
        assert attrs["why"] == want.edges[u, v].get("why", "")


def test_graphml_types_booleans_numbers_and_documents_json_lists(data):
    text = export(data, "--format", "graphml")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert re.search(r'attr.name="free" attr.type="boolean"', text)
    assert re.search(r'attr.name="hours" attr.type="double"', text)  # 2 and 1.5: one numeric type
    assert re.search(r'attr.name="aliases" attr.type="string"><desc>JSON text', text)
    assert ">true<" in text and ">True<" not in text
    assert "None" not in text and "null" not in text  # missing values are left out, not written


# --- DOT -----------------------------------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def test_dot_renders_with_graphviz_keeping_every_id_label_and_link(data, tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz 'dot' is not on PATH (CI installs graphviz)")
    path = tmp_path / "map.dot"
    export(data, "--output", str(path))
    done = subprocess.run(["dot", "-Tsvg", str(path)], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert b"Warning" not in done.stderr and b"Error" not in done.stderr, done.stderr
    svg = ET.fromstring(done.stdout)  # well-formed, links included
    groups = {g.get("class"): [] for g in svg.iter(f"{SVG}g")}
    for g in svg.iter(f"{SVG}g"):
        groups[g.get("class")].append(g)
    want = expected_graph()
    nodes = {g.find(f"{SVG}title").text: g for g in groups["node"]}
    assert set(nodes) == set(want.nodes)
    for node, g in nodes.items():
        text = " ".join(t.text for t in g.iter(f"{SVG}text"))
        assert text == " ".join(want.nodes[node]["name"].split()), node
    assert {tuple(g.find(f"{SVG}title").text.split("->")) for g in groups["edge"]} == set(want.edges)
    links = [a.get(f"{XLINK}href") for a in svg.iter(f"{SVG}a") if a.get(f"{XLINK}href")]
    assert links == ["https://example.org/a?b=1&c=%222%22"]


def test_dot_quotes_ids_and_styles_nodes_by_kind_and_edges_by_relation(data):
    text = export(data, "--format", "dot")
    assert 'rankdir="LR"' in text
    assert '"end" [label="The \\"end\\" <b>#1</b> [x] {y} (z) | a\\\\b; 50% & `c`", shape="ellipse"' in text
    assert '"subgraph" [label="A [book]", shape="box"' in text
    assert '"class" [label="Degree: one", shape="doubleoctagon"' in text
    teaches = next(line for line in text.splitlines() if line.startswith('  "subgraph" -> "end"'))
    assert 'relation="teaches"' in teaches and 'style="dotted"' in teaches and 'color="#F58518"' in teaches
    recommended = next(line for line in text.splitlines() if line.startswith('  "style" -> "class"'))
    assert 'relation="recommended"' in recommended and 'style="dashed"' in recommended
    assert 'aliases="[\\"fin\\", \\"the end\\"]"' in text  # a list, as JSON text
    assert 'data_area="class"' in text  # a data field named like a Graphviz attribute keeps its value
    assert 'why="needs \\"graph\\" first\\\\"' in text


# --- Mermaid -------------------------------------------------------------------------------------------------------

NODE_LINE = re.compile(r'    (n\d+)(\(|\[|\{\{)"(.*)"(\)|\]|\}\})\Z')
RESERVED = {"end", "graph", "class", "style", "click", "subgraph", "flowchart", "classDef", "linkStyle", "direction"}


def unescape_mermaid(label: str) -> str:
    named = {"quot": '"', "amp": "&", "lt": "<", "gt": ">"}
    return re.sub(r"#(\w+);", lambda m: chr(int(m[1])) if m[1].isdigit() else named[m[1]], label)


def test_mermaid_uses_generated_ids_and_escapes_every_label(data):
    text = export(data, "--format", "mermaid")
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    found = [NODE_LINE.match(line) for line in lines if NODE_LINE.match(line)]
    want = expected_graph()
    assert [m[1] for m in found] == [f"n{i}" for i in range(len(want))]
    assert not RESERVED & {m[1] for m in found}
    for match, (node, attrs) in zip(found, want.nodes(data=True)):
        label = match[3]
        assert not re.search(r'["\[\]{}()|<>`%\\]', label.replace("<br/>", "")), label
        assert all(re.match(r"#\w+;", label[i:]) for i in range(len(label)) if label[i] == "#"), label
        name, real_id = unescape_mermaid(label).split("<br/>")
        assert name == " ".join(attrs["name"].split()) and real_id == f"({node})"
    arrows = [line for line in lines if re.match(r"    n\d+ [-=.]+>", line)]
    assert len(arrows) == want.number_of_edges()
    assert '    n2 -.->|"teaches"| n0' in lines and "    n0 --> n3" not in lines


MERMAID_CHECK = r"""
import { createRequire } from 'module';
import { pathToFileURL } from 'url';
import fs from 'fs';
const modules = process.env.GRAPH_TEST_NODE_MODULES;
const require = createRequire(modules + '/');
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><body></body>');
globalThis.window = dom.window; globalThis.document = dom.window.document;
const { default: mermaid } = await import(pathToFileURL(require.resolve('mermaid')).href);
mermaid.initialize({ startOnLoad: false });
const text = fs.readFileSync(process.argv[2], 'utf8');
await mermaid.parse(text);
const db = (await mermaid.mermaidAPI.getDiagramFromText(text)).db;
const area = document.createElement('textarea');
const labels = {};
for (const [id, v] of db.getVertices()) {
  area.innerHTML = v.text.replace(/ﬂ°°/g, '&#').replace(/ﬂ°/g, '&').replace(/¶ß/g, ';');
  labels[id] = area.value;
}
console.log(JSON.stringify({ labels, edges: db.getEdges().length }));
"""


def test_mermaid_parses_with_mermaid_itself(data, tmp_path):
    modules = os.environ.get("GRAPH_TEST_NODE_MODULES")
    if not (shutil.which("node") and modules and (Path(modules) / "mermaid").is_dir()):
        pytest.skip("set GRAPH_TEST_NODE_MODULES to a node_modules folder with the npm packages mermaid and jsdom")
    path, script = tmp_path / "map.mmd", tmp_path / "check.mjs"
    export(data, "--output", str(path))
    script.write_text(MERMAID_CHECK, encoding="utf-8")
    done = subprocess.run(["node", str(script), str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    parsed = json.loads(done.stdout)
    want = expected_graph()
    assert parsed["edges"] == want.number_of_edges()
    assert list(parsed["labels"].values()) == [
        " ".join(attrs["name"].split()) + f"<br>({node})" for node, attrs in want.nodes(data=True)]


# --- the command ---------------------------------------------------------------------------------------------------

def test_export_of_a_plan_holds_its_steps_the_resources_teaching_them_and_the_edges_among_them(data):
    read = nx.node_link_graph(json.loads(export(data, "--format", "json", "--target", "class")), edges="edges")
    assert list(read.nodes(data="step")) == [("graph", 1), ("end", 2), ("subgraph", None), ("class", 3)]
    assert set(read.edges) == {("graph", "end"), ("subgraph", "end"), ("end", "class")}
    assert read.graph == {"target": "class"}
    assert "style" not in read  # only recommended: not a step
    dot = export(data, "--format", "dot", "--target", "class")
    assert '"class" [label="3. Degree: one"' in dot and '"node"' not in dot


def test_export_writes_a_file_atomically_and_infers_the_format_from_its_name(data, tmp_path):
    target = tmp_path / "sub" / "plan.gv"
    result = CliRunner().invoke(main, ["--data", str(data), "export", "-t", "end", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {target} (dot, ")
    assert target.read_text(encoding="utf-8").startswith('digraph "graph" {')
    assert [p.name for p in target.parent.iterdir()] == ["plan.gv"]  # no temporary file left


@pytest.mark.parametrize("args, message", [
    (["--output", "notes.txt"], "--format: give one of json, graphml, dot, mermaid, markdown (cannot tell from 'notes.txt')"),
    ([], "--format: give one of json, graphml, dot, mermaid, markdown"),
    (["--format", "svg"], "'svg' is not one of"),
])
def test_export_without_a_usable_format_says_which_option(data, tmp_path, args, message):
    result = CliRunner().invoke(main, ["--data", str(data), "export", *args])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_export_never_writes_inside_the_data_folder(data):
    before = sorted(p.name for p in data.iterdir())
    result = CliRunner().invoke(main, ["--data", str(data), "export", "-o", str(data / "x.json")])
    assert result.exit_code == 2 and "--output" in result.output and "inside the data folder" in result.output
    assert sorted(p.name for p in data.iterdir()) == before


def test_export_of_an_unknown_target_suggests_ids(data):
    result = CliRunner().invoke(main, ["--data", str(data), "export", "--format", "dot", "--target", "grap"])
    assert result.exit_code == 2 and "unknown id 'grap'" in result.output and "'graph'" in result.output


def test_export_into_an_unwritable_place_is_a_clear_error(data, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(main, ["--data", str(data), "export", "-o", str(blocker / "map.json")])
    assert result.exit_code == 1 and f"--output: cannot write '{blocker / 'map.json'}'" in result.output
    assert "Traceback" not in result.output
