"""`graph import`: each published shape read faithfully, row by row; the round trip; every user error."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from graph.cli import main
from graph.load import bundled_data_dir, load
from graph.yamlread import read_entries

LINE = re.compile(r"^(?P<path>\S+?):(?P<line>\d+): (?P<level>error|warning|note): (?P<message>.*)$")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def imported(fmt: str, sources: list, out: Path, *options: str):
    """Run `graph import` and return the written entries: (fields, source note) per entry, per file."""
    result = run("import", fmt, *map(str, sources), "--out", str(out), *options)
    assert result.exit_code == 0, result.output
    return written(out, "nodes"), written(out, "edges")


def written(out: Path, key: str) -> list[tuple[dict, str]]:
    """Each entry of the written file with the comment line above it (its source note)."""
    path = out / f"{key}.yaml"
    entries, problems = read_entries(path, str(path), key)
    assert not problems
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(e.fields, lines[e.line - 2].strip().removeprefix("# ")) for e in entries]


def validate(out: Path):
    result = run("--data", str(out), "validate")
    return result.exit_code, [LINE.match(line).groupdict() for line in result.output.splitlines() if LINE.match(line)]


def rows(path: Path, delimiter: str = ","):
    """The source's rows with their line numbers (no row here spans lines)."""
    return [(n, r) for n, r in enumerate(csv.reader(io.StringIO(path.read_text()), delimiter=delimiter), 1) if r]


# ---- CSV and TSV edge lists ----

def test_a_csv_with_a_header_prerequisite_first_columns_by_name_row_by_row(tmp_path):
    source = tmp_path / "pairs.csv"
    source.write_text("concept,needs,reason\n"
                      "limits,derivatives,A derivative is a limit.\n"
                      "derivatives,integrals,\"Integrals undo derivatives, roughly.\"\n"
                      "Linear_algebra,pca,\n")
    nodes, edges = imported("csv", [source], tmp_path / "out", "--columns", "concept,needs",
                            "--edge-field", "why=reason")
    source_rows = rows(source)[1:]
    assert len(edges) == len(source_rows)
    for (fields, note), (line, (a, b, why)) in zip(edges, source_rows):
        assert note == f"{source} line {line}"
        assert (fields["from"], fields["to"]) == (a.lower().replace("_", "-"), b)
        assert fields.get("why") == (why or None)
    # Nodes only in edges: topics named from their original ids, the original kept as an alias.
    by_id = {f["id"]: (f, note) for f, note in nodes}
    assert by_id["linear-algebra"][0] == {"id": "linear-algebra", "name": "Linear algebra", "kind": "topic",
                                          "aliases": ["Linear_algebra"]}
    assert by_id["limits"][1] == f"{source} line 2: named in an edge only"
    assert list(by_id) == ["limits", "derivatives", "integrals", "linear-algebra", "pca"]
    assert validate(tmp_path / "out")[0] == 0


def test_a_headerless_tsv_prerequisite_last_columns_by_number(tmp_path):
    source = tmp_path / "requires.tsv"
    # Each row: a concept, then what it requires (the prerequisite last), a score between.
    source.write_text("derivatives\t0.9\tlimits\nintegrals\t0.7\tderivatives\n")
    nodes, edges = imported("tsv", [source], tmp_path / "out", "--columns", "1,3", "--direction",
                            "prereq-last", "--no-header")
    for (fields, note), (line, (needs, _, prereq)) in zip(edges, rows(source, "\t"), strict=True):
        assert (fields["from"], fields["to"], note) == (prereq, needs, f"{source} line {line}")
    result = run("--data", str(tmp_path / "out"), "order", "--target", "integrals", "--format", "json")
    assert [s["id"] for s in json.loads(result.output)["steps"]] == ["limits", "derivatives", "integrals"]
    assert "prerequisite last" in (tmp_path / "out" / "edges.yaml").read_text()


def test_the_header_is_sniffed_when_not_given(tmp_path):
    with_header = tmp_path / "h.csv"
    with_header.write_text("source_id,target_id,weight\nalpha,beta,1\ngamma,delta,2\nbeta,gamma,3\n")
    _, edges = imported("csv", [with_header], tmp_path / "a")
    assert [(f["from"], f["to"]) for f, _ in edges] == [("alpha", "beta"), ("gamma", "delta"), ("beta", "gamma")]


def test_labelled_pairs_keep_only_the_rows_the_label_column_selects(tmp_path):
    source = tmp_path / "labelled.csv"
    source.write_text("a;b;label\nlimits;derivatives;1\nderivatives;poetry;0\nderivatives;integrals;1\n")
    _, edges = imported("csv", [source], tmp_path / "out", "--where", "label=1")
    kept = [(line, r) for line, r in rows(source, ";")[1:] if r[2] == "1"]
    assert [(f["from"], f["to"], note) for f, note in edges] == \
        [(a, b, f"{source} line {line}") for line, (a, b, _) in kept]
    assert "only rows where label is '1'" in (tmp_path / "out" / "edges.yaml").read_text()


def test_columns_of_an_edge_list_left_unread_are_named(tmp_path):
    # A label column imported without --where makes every negative pair an edge: the note says it was not read.
    source = tmp_path / "labelled.csv"
    source.write_text("a;b;label\nlimits;derivatives;1\nderivatives;poetry;0\n")
    result = run("import", "csv", str(source), "--out", str(tmp_path / "out"))
    assert "note: attributes that are not fields of the data format, left out: label (edges)" in result.output
    headerless = tmp_path / "scores.tsv"
    headerless.write_text("derivatives\t0.9\tlimits\nintegrals\t0.7\tderivatives\n")
    result = run("import", "tsv", str(headerless), "--out", str(tmp_path / "two"), "--columns", "1,3", "--no-header")
    assert "left out: column 2 (edges)" in (tmp_path / "two" / "edges.yaml").read_text()
    assert "left out" not in run("import", "csv", str(source), "--out", str(tmp_path / "three"),
                                 "--where", "label=1").output


def test_a_node_table_with_extra_columns(tmp_path):
    edges_file = tmp_path / "edges.csv"
    edges_file.write_text("from,to\nlimits,derivatives\n")
    table = tmp_path / "concepts.csv"
    table.write_text("id,name,url,hours,difficulty,description,free\n"
                     "limits,Limits,https://example.org/limits,3,easy,Approaching a value.,\n"
                     "derivatives,Derivatives,,4.5,hard,Rates of change.,yes\n")
    nodes, _ = imported("csv", [edges_file], tmp_path / "out", "--nodes", str(table),
                        "--node-field", "summary=description")
    assert nodes == [
        ({"id": "limits", "name": "Limits", "kind": "topic", "summary": "Approaching a value.", "hours": 3,
          "url": "https://example.org/limits"}, f"{table} line 2"),
        ({"id": "derivatives", "name": "Derivatives", "kind": "topic", "summary": "Rates of change.",
          "hours": 4.5, "free": True}, f"{table} line 3"),
    ]
    text = (tmp_path / "out" / "nodes.yaml").read_text()
    assert "left out: difficulty (nodes)" in text
    code, found = validate(tmp_path / "out")
    # `free` is a resource field: kept as the table says, and validate says so.
    assert code == 0 and any("meant for resources" in d["message"] for d in found)


def test_a_headerless_tsv_edge_list_with_a_csv_node_table_of_original_ids(tmp_path):
    # The shape of a research data set: pairs by original id, prerequisite last, and a table of names.
    pairs = tmp_path / "requires.tsv"
    pairs.write_text("Gradient_descent\tDerivative\nBackpropagation\tGradient_descent\n")
    table = tmp_path / "concepts.csv"
    table.write_text("id,name,prerequisite_count\nDerivative,derivative,0\nGradient_descent,gradient descent,1\n"
                     "Backpropagation,backpropagation,1\n")
    nodes, edges = imported("tsv", [pairs], tmp_path / "out", "--no-header", "--direction", "prereq-last",
                            "--nodes", str(table))
    assert [(f["id"], f["name"], f["aliases"]) for f, _ in nodes] == [
        ("derivative", "derivative", ["Derivative"]), ("gradient-descent", "gradient descent", ["Gradient_descent"]),
        ("backpropagation", "backpropagation", ["Backpropagation"])]
    assert [(f["from"], f["to"]) for f, _ in edges] == [("derivative", "gradient-descent"),
                                                        ("gradient-descent", "backpropagation")]
    assert validate(tmp_path / "out")[0] == 0


def test_cycles_duplicates_and_ids_missing_from_the_node_table_are_kept_for_validate(tmp_path):
    edges_file = tmp_path / "pairs.csv"
    edges_file.write_text("a,b\nx,y\ny,x\nx,y\nx,ghost\n")
    table = tmp_path / "nodes.csv"
    table.write_text("id,name\nx,X\ny,Y\nx,X again\n")
    out = tmp_path / "out"
    _, edges = imported("csv", [edges_file], out, "--nodes", str(table), "--header")
    code, found = validate(out)
    assert code == 1
    lines = {key: (out / f"{key}.yaml").read_text().splitlines() for key in ("nodes", "edges")}

    def source_of(d):  # the comment above the entry a diagnostic points into
        above = lines[Path(d["path"]).stem][:int(d["line"]) - 1]
        return next(line.strip() for line in reversed(above) if line.strip().startswith("#"))

    by_kind = {}
    for d in found:
        for kind in ("cycle", "duplicate edge", "duplicate id", "unknown node"):
            if kind in d["message"]:
                by_kind[kind] = (d["message"], source_of(d))
    assert by_kind["duplicate edge"][1] == f"# {edges_file} line 4"
    assert by_kind["duplicate id"][1] == f"# {table} line 4"
    assert "'ghost'" in by_kind["unknown node"][0] and by_kind["unknown node"][1] == f"# {edges_file} line 5"
    assert "x -> y -> x" in by_kind["cycle"][0] or "y -> x -> y" in by_kind["cycle"][0]
    assert by_kind["cycle"][1] in (f"# {edges_file} line 2", f"# {edges_file} line 3")
    # With a node table, ids it lacks are not made up as topics.
    assert "ghost" not in (out / "nodes.yaml").read_text()


def test_ids_that_slugify_alike_stay_two_nodes_with_their_own_edges(tmp_path):
    # Metacademy has both k-means and k-means++: one slug would merge them and make k-means++ -> k-means a
    # self-loop. An id that is a slug already keeps itself; the other gets the first free -2, -3, ...
    source = tmp_path / "p.csv"
    source.write_text("Foo_Bar,b\nfoo bar,b\nk-means++,k-means\nk-means,Foo_Bar\n")
    nodes, edges = imported("csv", [source], tmp_path / "out", "--no-header")
    by_id = {f["id"]: f.get("aliases") for f, _ in nodes}
    assert by_id == {"foo-bar": ["Foo_Bar"], "b": None, "foo-bar-2": ["foo bar"], "k-means-2": ["k-means++"],
                     "k-means": None}
    assert [(f["from"], f["to"]) for f, _ in edges] == [("foo-bar", "b"), ("foo-bar-2", "b"),
                                                        ("k-means-2", "k-means"), ("k-means", "foo-bar")]
    assert validate(tmp_path / "out")[0] == 0
    assert ("2 ids whose slug another id has, made unique: 'foo bar' -> 'foo-bar-2', 'k-means++' -> 'k-means-2'"
            in (tmp_path / "out" / "nodes.yaml").read_text())


def test_an_id_defined_twice_in_the_source_stays_a_duplicate_for_validate(tmp_path):
    edges_file = tmp_path / "e.csv"
    edges_file.write_text("Limits,Derivatives\n")
    table = tmp_path / "n.csv"
    table.write_text("id,name\nLimits,Limits\nDerivatives,Derivatives\nLimits,Limits again\n")
    nodes, _ = imported("csv", [edges_file], tmp_path / "out", "--no-header", "--nodes", str(table))
    assert [f["id"] for f, _ in nodes] == ["limits", "derivatives", "limits"]
    code, found = validate(tmp_path / "out")
    assert code == 1 and any("duplicate id 'limits'" in d["message"] for d in found)


@pytest.mark.parametrize("header", [True, False])
def test_the_header_of_an_edge_list_of_text_is_told_from_a_pair(tmp_path, header):
    # The standard sniffer judges a header by column types; an edge list is all text.
    pairs = [("limits", "derivatives"), ("derivatives", "integrals"), ("derivatives", "gradient"),
             ("integrals", "probability")]
    source = tmp_path / "pairs.csv"
    source.write_text("".join(f"{a},{b}\n" for a, b in ([("prereq", "concept")] if header else []) + pairs))
    result = run("import", "csv", str(source), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert [(f["from"], f["to"]) for f, _ in written(tmp_path / "out", "edges")] == pairs
    said = (f"{source}: the first row read as a header (prereq, concept); --no-header reads it as a pair" if header
            else f"{source}: no header row found, the first row read as a pair; --header if it names the columns")
    assert f"note: {said}" in result.output
    assert [f["id"] for f, _ in written(tmp_path / "out", "nodes")] == [
        "limits", "derivatives", "integrals", "gradient", "probability"]


def test_a_first_row_whose_ids_later_rows_name_is_a_pair_whatever_the_sniffer_says(tmp_path):
    # csv.Sniffer calls "limits,derivatives" a header here; "derivatives" is named again below, so it is a pair.
    source = tmp_path / "nohdr.csv"
    source.write_text("limits,derivatives\nderivatives,integrals\nderivatives,chain rule\n")
    result = run("import", "csv", str(source), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert [(f["from"], f["to"]) for f, _ in written(tmp_path / "out", "edges")] == [
        ("limits", "derivatives"), ("derivatives", "integrals"), ("derivatives", "chain-rule")]
    assert f"note: {source}: no header row found, the first row read as a pair" in result.output


def test_ids_with_nothing_to_make_a_slug_of_become_node_ids_and_keep_their_text(tmp_path):
    source = tmp_path / "odd.csv"
    source.write_text("日本語,Théorème\n+++,c\nnode,c\n")
    nodes, edges = imported("csv", [source], tmp_path / "out", "--no-header")
    assert [(f["id"], f["name"], f.get("aliases")) for f, _ in nodes] == [
        ("node-2", "日本語", ["日本語"]), ("theoreme", "Théorème", ["Théorème"]), ("node-3", "+++", ["+++"]),
        ("c", "c", None), ("node", "node", None)]
    assert [(f["from"], f["to"]) for f, _ in edges] == [("node-2", "theoreme"), ("node-3", "c"), ("node", "c")]
    assert validate(tmp_path / "out") == (0, [])
    assert ("2 ids with no ASCII letter or digit to make a slug of, given 'node' ids, the original kept as an "
            "alias: '日本語' -> 'node-2', '+++' -> 'node-3'") in (tmp_path / "out" / "nodes.yaml").read_text()


def test_a_where_column_implies_a_header_row(tmp_path):
    # Rows the sniffer cannot judge (the label column mixes types, the ids are one letter long).
    source = tmp_path / "labelled.csv"
    source.write_text("a,b,label\na,b,yes\nb,c,1\n")
    _, edges = imported("csv", [source], tmp_path / "out", "--where", "label=1")
    assert [(f["from"], f["to"], note) for f, note in edges] == [("b", "c", f"{source} line 3")]


def test_text_that_yaml_would_misread_is_written_so_it_reads_back(tmp_path):
    source = tmp_path / "p.csv"
    odd = ["yes", "3", "null", "a: b", "#hash", " lead", "- dash", "line\nbreak", "'q\"", "~", "2001-01-01"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["from", "to", "why"])
    for i, text in enumerate(odd):
        writer.writerow([f"a{i}", f"b{i}", text])
    source.write_text(buffer.getvalue())
    _, edges = imported("csv", [source], tmp_path / "out", "--edge-field", "why=why")
    assert [f["why"] for f, _ in edges] == odd
    assert [e["why"] for e in yaml.safe_load((tmp_path / "out" / "edges.yaml").read_text())["edges"]] == odd


# ---- GraphML ----

YED = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:java="http://www.yworks.com/xml/yfiles-common/1.0/java"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:y="http://www.yworks.com/xml/graphml"
 xmlns:yed="http://www.yworks.com/xml/yed/3">
  <key attr.name="Description" attr.type="string" for="graph" id="d0"/>
  <key for="port" id="d1" yfiles.type="portgraphics"/>
  <key attr.name="url" attr.type="string" for="node" id="d4"/>
  <key attr.name="description" attr.type="string" for="node" id="d5"/>
  <key for="node" id="d6" yfiles.type="nodegraphics"/>
  <key for="graphml" id="d7" yfiles.type="resources"/>
  <key attr.name="description" attr.type="string" for="edge" id="d9"/>
  <key for="edge" id="d10" yfiles.type="edgegraphics"/>
  <graph edgedefault="directed" id="G">
    <data key="d0"/>
    <node id="n0">
      <data key="d4"><![CDATA[https://example.org/limits]]></data>
      <data key="d5"><![CDATA[Approaching & arriving]]></data>
      <data key="d6">
        <y:ShapeNode>
          <y:Geometry height="30.0" width="30.0" x="0.0" y="0.0"/>
          <y:Fill color="#FFCC00" transparent="false"/>
          <y:NodeLabel alignment="center" autoSizePolicy="content" fontSize="12">Limits</y:NodeLabel>
          <y:Shape type="rectangle"/>
        </y:ShapeNode>
      </data>
    </node>
    <node id="n1">
      <data key="d6">
        <y:ShapeNode><y:NodeLabel>Derivatives</y:NodeLabel></y:ShapeNode>
      </data>
    </node>
    <node id="n2" yfiles.foldertype="group">
      <data key="d6"><y:ProxyAutoBoundsNode><y:Realizers active="0"><y:GroupNode>
        <y:NodeLabel>Calculus group</y:NodeLabel></y:GroupNode></y:Realizers></y:ProxyAutoBoundsNode></data>
      <graph edgedefault="directed" id="n2:">
        <node id="n2::n0"><data key="d6"><y:ShapeNode><y:NodeLabel>Integrals</y:NodeLabel></y:ShapeNode></data></node>
      </graph>
    </node>
    <edge id="e0" source="n0" target="n1">
      <data key="d10"><y:PolyLineEdge><y:EdgeLabel>theory-behind</y:EdgeLabel></y:PolyLineEdge></data>
    </edge>
    <edge id="e1" source="n1" target="n2::n0">
      <data key="d9"><![CDATA[The fundamental theorem]]></data>
      <data key="d10"><y:PolyLineEdge><y:EdgeLabel>needs derivatives</y:EdgeLabel></y:PolyLineEdge></data>
    </edge>
  </graph>
  <data key="d7"><y:Resources/></data>
</graphml>
"""


def test_a_yed_graphml_takes_labels_from_its_graphics_and_reads_groups(tmp_path):
    source = tmp_path / "drawn.graphml"
    source.write_text(YED)
    nodes, edges = imported("graphml", [source], tmp_path / "out")
    # yEd's own ids (n0, n2::n0) mean nothing to a reviewer: the labels give the ids. The group no edge
    # joins is the area of its nodes, not an isolated topic.
    assert [(f, note) for f, note in nodes] == [
        ({"id": "limits", "name": "Limits", "kind": "topic", "summary": "Approaching & arriving",
          "url": "https://example.org/limits"}, f"{source} line 15"),
        ({"id": "derivatives", "name": "Derivatives", "kind": "topic"}, f"{source} line 27"),
        ({"id": "integrals", "name": "Integrals", "kind": "topic", "area": "calculus-group"}, f"{source} line 36"),
    ]
    assert edges == [
        ({"from": "limits", "to": "derivatives", "relation": "theory-behind"}, f"{source} line 39"),
        ({"from": "derivatives", "to": "integrals", "why": "The fundamental theorem"}, f"{source} line 42"),
    ]
    assert validate(tmp_path / "out") == (0, [])
    text = (tmp_path / "out" / "nodes.yaml").read_text()
    assert "'n0' -> 'limits', 'n1' -> 'derivatives', 'n2::n0' -> 'integrals'" in text
    assert "yEd groups that no edge joins read as the areas of their nodes: calculus-group" in text


def test_a_yed_group_that_edges_join_stays_a_node(tmp_path):
    source = tmp_path / "drawn.graphml"
    drawn = YED.replace('<edge id="e1" source="n1" target="n2::n0">', '<edge id="e1" source="n1" target="n2">')
    wrapped = drawn.replace("<y:NodeLabel>Calculus group</y:NodeLabel>", "<y:NodeLabel>Calculus\n  group</y:NodeLabel>")
    assert wrapped != drawn
    source.write_text(wrapped)
    nodes, edges = imported("graphml", [source], tmp_path / "out")
    assert nodes[2][0]["name"] == "Calculus group"  # a label yEd wraps over lines is one line
    assert [(f["id"], f.get("area")) for f, _ in nodes] == [("limits", None), ("derivatives", None),
                                                             ("calculus-group", None), ("integrals", None)]
    assert edges[1][0]["to"] == "calculus-group"


GEPHI = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key attr.name="label" attr.type="string" for="node" id="label"/>
<key attr.name="Edge Label" attr.type="string" for="edge" id="edgelabel"/>
<key attr.name="weight" attr.type="double" for="edge" id="weight"/>
<key attr.name="hours" attr.type="double" for="node" id="hours"><default>1.0</default></key>
<key attr.name="x" attr.type="float" for="node" id="x"/>
<key attr.name="y" attr.type="float" for="node" id="y"/>
<graph edgedefault="directed">
<node id="0"><data key="label">Probability</data><data key="hours">20.0</data><data key="x">-12.5</data><data key="y">3.1</data></node>
<node id="1"><data key="label">Statistics</data><data key="x">1.0</data><data key="y">0.0</data></node>
<node id="2"/>
<edge id="0" source="0" target="1"><data key="weight">1.0</data><data key="edgelabel">leads-to</data></edge>
<edge id="1" source="1" target="2"><data key="edgelabel">needs a sample</data></edge>
</graph>
</graphml>
"""


def test_a_gephi_graphml_maps_its_label_and_drops_layout_attributes(tmp_path):
    source = tmp_path / "gephi.graphml"
    source.write_text(GEPHI)
    nodes, edges = imported("graphml", [source], tmp_path / "out")
    # Numbers as ids give way to the names (kept as aliases); Gephi's "Edge Label" is a relation when it
    # names one, else the reason.
    assert nodes == [({"id": "probability", "name": "Probability", "kind": "topic", "hours": 20, "aliases": ["0"]},
                      f"{source} line 10"),
                     ({"id": "statistics", "name": "Statistics", "kind": "topic", "hours": 1, "aliases": ["1"]},
                      f"{source} line 11"),
                     ({"id": "2", "name": "2", "kind": "topic", "hours": 1}, f"{source} line 12")]
    assert edges == [({"from": "probability", "to": "statistics", "relation": "leads-to"}, f"{source} line 13"),
                     ({"from": "statistics", "to": "2", "why": "needs a sample"}, f"{source} line 14")]
    assert "left out: x, y (nodes); weight (edges)" in (tmp_path / "out" / "nodes.yaml").read_text()


def test_entity_declarations_are_refused_never_expanded(tmp_path):
    bomb = tmp_path / "bomb.graphml"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
                    '<graphml><graph><node id="&b;"/></graph></graphml>\n')
    external = tmp_path / "external.graphml"
    external.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY x SYSTEM "file://{bomb}">]>\n'
                        '<graphml><graph><node id="&x;"/></graph></graphml>\n')
    for source in (bomb, external):
        result = run("import", "graphml", str(source), "--out", str(tmp_path / "out"))
        assert result.exit_code == 2
        assert f"{source}:2: refused: the XML declares entities" in result.output
    assert not (tmp_path / "out").exists()


# ---- node-link JSON ----

def test_node_link_json_with_the_older_links_key(tmp_path):
    source = tmp_path / "old.json"
    source.write_text(json.dumps({
        "directed": True, "multigraph": False, "graph": {},
        "nodes": [{"id": "limits", "name": "Limits", "kind": "topic", "hours": 3, "pos": [1, 2]},
                  {"id": "Derivatives", "kind": "topic", "url": None}],
        "links": [{"source": "limits", "target": "Derivatives", "relation": "prerequisite", "weight": 1}],
    }))
    nodes, edges = imported("json", [source], tmp_path / "out")
    assert nodes == [({"id": "limits", "name": "Limits", "kind": "topic", "hours": 3}, f"{source} nodes[0]"),
                     ({"id": "derivatives", "name": "Derivatives", "kind": "topic", "aliases": ["Derivatives"]},
                      f"{source} nodes[1]")]
    assert edges == [({"from": "limits", "to": "derivatives", "relation": "prerequisite"}, f"{source} links[0]")]
    assert validate(tmp_path / "out")[0] == 0
    text = (tmp_path / "out" / "nodes.yaml").read_text()
    assert "1 node without a name named from its id" in text and "left out: pos (nodes); weight (edges)" in text


def test_node_link_json_of_a_script_with_numbers_as_ids(tmp_path):
    # networkx.node_link_data of a graph whose nodes are numbers, labelled, as scripts often make them.
    source = tmp_path / "script.json"
    source.write_text(json.dumps({"directed": True,
                                  "nodes": [{"id": 0, "label": "Limits"}, {"id": 1, "label": "Derivatives"}],
                                  "edges": [{"source": 0, "target": 1, "label": "a derivative is a limit"}]}))
    nodes, edges = imported("json", [source], tmp_path / "out")
    assert [(f["id"], f["aliases"]) for f, _ in nodes] == [("limits", ["0"]), ("derivatives", ["1"])]
    assert edges == [({"from": "limits", "to": "derivatives", "why": "a derivative is a limit"}, f"{source} edges[0]")]
    assert validate(tmp_path / "out")[0] == 0


# ---- the round trip ----

@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_export_import_export_gives_identical_bytes_for_the_bundled_map(tmp_path, fmt):
    first = tmp_path / f"first.{fmt}"
    assert run("--data", str(bundled_data_dir()), "export", "--format", fmt, "--output", str(first)).exit_code == 0
    out = tmp_path / "imported"
    assert run("import", fmt, str(first), "--out", str(out)).exit_code == 0
    loaded = load(out, use_cache=False)
    assert not loaded.errors
    second = run("--data", str(out), "export", "--format", fmt).output
    assert second == first.read_text(encoding="utf-8")


# ---- user errors: a clear message, a non-zero exit, the sources untouched ----

def test_an_existing_folder_is_not_overwritten_without_force_and_sources_are_untouched(tmp_path):
    source = tmp_path / "p.csv"
    source.write_text("a,b\n")
    before = source.stat()
    out = tmp_path / "out"
    assert run("import", "csv", str(source), "--out", str(out), "--no-header").exit_code == 0
    first = (out / "edges.yaml").read_bytes()
    source.write_text("a,c\n")
    result = run("import", "csv", str(source), "--out", str(out), "--no-header")
    assert result.exit_code == 2 and "--out" in result.output and "--force" in result.output
    assert (out / "edges.yaml").read_bytes() == first
    assert run("import", "csv", str(source), "--out", str(out), "--no-header", "--force").exit_code == 0
    assert "to: c" in (out / "edges.yaml").read_text()
    assert source.read_text() == "a,c\n" and source.stat().st_ino == before.st_ino


def test_import_never_writes_over_a_source_even_with_force(tmp_path):
    source = tmp_path / "nodes.yaml"  # an edge list that happens to be named like a data file
    source.write_text("a,b\n")
    result = run("import", "csv", str(source), "--out", str(tmp_path), "--force", "--no-header")
    assert result.exit_code == 2 and "is one of the sources" in result.output
    assert source.read_text() == "a,b\n"


@pytest.mark.parametrize("fmt, content, args, message", [
    ("csv", "from,to\na,b\n", ["--columns", "from,too"], "--columns: no column 'too' in {src}; its columns are "
                                                         "from, to; did you mean 'to'?"),
    ("csv", "a,b\n", ["--columns", "1,4"], "--columns: column 4 does not exist in {src} (it has 2 columns)"),
    ("csv", "a,b\n", ["--no-header", "--where", "label=1"], "--where: 'label' names a column, but {src} has no "
                                                            "header row"),
    ("csv", "from,to\na\n", ["--header"], "{src}:2: the row has 1 column; --columns needs column 2"),
    ("csv", 'from,to\n"a,b\n', ["--header"], "{src}:2: not readable as CSV: unexpected end of data"),
    ("csv", "a,b\n", ["--edge-field", "reason=3"], "--edge-field: 'reason' is not an edge field"),
    ("csv", "a,b\n", ["--where", "label"], "--where: expected NAME=VALUE, found 'label'"),
    ("csv", b"a,b\n\xff\xfe,c\n", [], "{src}:2: not valid UTF-8 (byte 0xff)"),
    ("json", '{"nodes": [1,\n  }', [], "{src}:2:3: not valid JSON"),
    ("json", '{"graph": {}}', [], "{src}: not NetworkX node-link JSON: no 'nodes' list"),
    ("json", '{"nodes": [{"name": "x"}]}', [], "{src} nodes[0]: a node has no 'id'"),
    ("graphml", "<graphml>\n<graph><node id='a'></graph></graphml>", [], "{src}:2:23: not well-formed XML: "
                                                                        "mismatched tag"),
    ("graphml", "<gexf/>", [], "{src}:1: not GraphML: the root element is <gexf>"),
    ("graphml", "<graphml><graph><edge source='a'/></graph></graphml>", [], "{src}:1: an <edge> needs a source"),
    ("graphml", "<graphml/>", ["--columns", "1,2"], "--columns: applies to csv and tsv only"),
    ("csv", "", [], "{src}: the file holds no rows; an edge list has a pair of ids per row"),
    ("csv", "a\nb\n", [], "{src}: only one column found (its separator could not be told from its first rows; "
                          "give it with --delimiter, e.g. --delimiter ';')"),
    # One ragged row is enough for the sniffer to give up on ';': the message says what to do, not --columns.
    ("csv", "source;target\nAlgebra;Calculus\nCalculus;\nCalculus;Analysis;extra\n", [],
     "{src}: only one column found (its separator could not be told"),
    ("csv", "a;b\n", ["--delimiter", "|"], "{src}: only one column found with the delimiter '|' given"),
    ("csv", "a,b,label\nx,y,0\ny,z,1\n", ["--where", "label=7"], "--where: no row has label '7' (label holds "
                                                                "'0', '1')"),
    ("dot", "digraph { a -> b }", [], "'dot' is for drawing and cannot be imported (it loses fields and their "
                                      "types); export graphml or json instead"),
])
def test_user_errors_name_the_file_line_or_option(tmp_path, fmt, content, args, message):
    source = tmp_path / f"source.{fmt}"
    source.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run("import", fmt, str(source), "--out", str(tmp_path / "out"), *args)
    assert result.exit_code == 2
    assert message.format(src=source) in result.output
    assert not (tmp_path / "out").exists()


def test_a_missing_or_unreadable_source_is_named(tmp_path):
    result = run("import", "csv", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and f"{tmp_path / 'nope.csv'}: CSV file not found" in result.output
    result = run("import", "json", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and f"{tmp_path}: is a folder, not a JSON file" in result.output


EVERY_FIELD_NODES = """nodes:
  - {id: calculus, name: Calculus, kind: topic, hours: 40, area: math, summary: 'Limits: and more', aliases: [calc, 'a, b']}
  - {id: measure-theory, name: Measure theory, kind: topic, hours: 2.5, note: "Only for the curious.\\nReally."}
  - {id: probability, name: Probability, kind: topic}
  - {id: pytorch, name: PyTorch, kind: topic}
  - {id: tensorflow, name: TensorFlow, kind: topic}
  - {id: theano, name: Theano, kind: topic, discontinued: true}
  - {id: book, name: The book, kind: resource, url: 'https://example.org/b?x=1&y=2', current_url: 'https://example.org/c',
     format: book, free: false, author: Ann O'Neil, preferred: true, hours: 100}
  - {id: dl, name: Deep learning, kind: degree}
"""
EVERY_FIELD_EDGES = """edges:
  - {from: calculus, to: probability, why: 'yes'}
  - {from: measure-theory, to: probability, relation: theory-behind, strength: deepening}
  - {from: theano, to: dl, strength: recommended}
  - {from: pytorch, to: dl, any_of: framework}
  - {from: tensorflow, to: dl, any_of: framework}
  - {from: probability, to: dl}
  - {from: book, to: calculus, relation: teaches, part: Chapter 5, hours: 12}
  - {from: pytorch, to: book, relation: recommended}
"""


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_every_field_of_the_data_format_survives_the_round_trip(tmp_path, fmt):
    data = tmp_path / "data"
    data.mkdir()
    (data / "nodes.yaml").write_text(EVERY_FIELD_NODES)
    (data / "edges.yaml").write_text(EVERY_FIELD_EDGES)
    original = load(data, use_cache=False)
    assert not original.errors, original.errors
    first = run("--data", str(data), "export", "--format", fmt).output
    (tmp_path / f"g.{fmt}").write_text(first)
    assert run("import", fmt, str(tmp_path / f"g.{fmt}"), "--out", str(tmp_path / "out")).exit_code == 0
    again = load(tmp_path / "out", use_cache=False)
    assert not again.errors
    assert list(again.graph.nodes(data=True)) == list(original.graph.nodes(data=True))
    assert list(again.graph.edges(data=True)) == list(original.graph.edges(data=True))
    assert run("--data", str(tmp_path / "out"), "export", "--format", fmt).output == first
    # the written edges say a strength only where it is not the relation's default, as an author writes them
    written = yaml.safe_load((tmp_path / "out" / "edges.yaml").read_text())["edges"]
    given = yaml.safe_load(EVERY_FIELD_EDGES)["edges"]
    assert {(e["from"], e["to"]): e.get("strength") for e in written} == {
        (e["from"], e["to"]): e.get("strength") for e in given}


def test_a_number_too_long_to_convert_is_kept_as_text_for_validate(tmp_path):
    edges_file = tmp_path / "e.csv"
    edges_file.write_text("a,b\n")
    table = tmp_path / "n.csv"
    table.write_text("id,name,hours\na,A," + "9" * 5000 + "\nb,B,2\n")
    nodes, _ = imported("csv", [edges_file], tmp_path / "out", "--no-header", "--nodes", str(table))
    assert nodes[0][0]["hours"] == "9" * 5000 and nodes[1][0]["hours"] == 2
    code, found = validate(tmp_path / "out")
    assert code == 1 and any("field 'hours' of node 'a' must be a number" in d["message"] for d in found)
