"""Property tests for the surfaces a hostile file or command line reaches besides the data folder:
progress files, the four import formats, diff revisions, completion output, GitHub output.

Each runs in-process on small drawn inputs with the fixed seed and budget of
``test_fuzz.py`` (``HYPOTHESIS_PROFILE=long`` for more); together they take
well under a minute. What each asserts is what a user relies on: an answer or
a clear refusal (never another exception), and output that its reader takes
as it was meant.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from click.shell_completion import BashComplete, FishComplete, ZshComplete
from hypothesis import given
from hypothesis import strategies as st

from graph.cli import options as cli_options
from graph.diff import DiffFailure, read_side
from graph.errors import Diagnostic
from graph.imports import ImportFailure, folder_files
from graph.imports.csv import CsvOptions, read_edges
from graph.imports.graphml import read_graphml
from graph.imports.nodelink import read_nodelink
from graph.progress import ProgressError, read_progress, read_progress_lines, write_progress
from graph.render.github import annotation, summary_line
from graph.yamlread import read_entries
from test_fuzz import fuzz
from test_robustness import write_map

_HOSTILE = ["$(touch PWNED)", "`id`", "*", "a\nb", "x\x1b[31m", "\u202e", "::error::x", "%0A", "y", "n", "~",
            "&a", "*a", "<b>", "\ud800", "-", "--output=x", "a,b", "a:b", "\t", "\r", " lead"]
texts = st.text(max_size=20) | st.sampled_from(_HOSTILE)


def _written_yaml_reads_back(imported, folder: Path) -> None:
    """The files an import writes are YAML the loader reads: no syntax error, no unreadable text."""
    for name, text in folder_files(imported).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        _, problems = read_entries(path, name, name.split(".")[0])
        assert not [p for p in problems if "YAML" in p.message or "UTF-8" in p.message], problems


# --- progress files ------------------------------------------------------------------------------------------------

_PIECES = st.sampled_from([b"known:", b"\n", b" ", b"- ", b"[", b"]", b"{", b"}", b",", b"&a ", b"*a", b"!!str ",
                           b"!!python/object:os.system ", b"a", b"calculus", b"'", b'"', b"\xef\xbb\xbf", b"\xff",
                           b"\t", b"#", b":", b"~", b"y", b"<<: "])


@fuzz(80)
@given(st.lists(_PIECES, max_size=40).map(b"".join) | st.binary(max_size=200))
def test_a_progress_file_is_read_or_refused(tmp_path_factory, body):
    path = tmp_path_factory.mktemp("p") / "p.yaml"
    path.write_bytes(body)
    try:
        read = read_progress_lines(path)
    except ProgressError as exc:
        assert exc.diagnostics and all(d.path == str(path) and d.level == "error" for d in exc.diagnostics)
        return
    assert all(isinstance(i, str) and isinstance(line, int) and line >= 1 for i, line in read)
    assert b"*a" not in body or b"&a" not in body or not read  # aliases never expand into ids


@fuzz(25)
@given(st.lists(st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=12) | texts
                .filter(lambda t: "\ud800" not in t), max_size=8))
def test_a_written_progress_file_reads_back_the_same(tmp_path_factory, ids):
    path = tmp_path_factory.mktemp("w") / "p.yaml"
    write_progress(path, ids)
    assert read_progress(path) == list(dict.fromkeys(ids))


# --- the four import formats ----------------------------------------------------------------------------------------

_CELLS = texts | st.sampled_from(["id", "name", "from", "to", "a", "b", "c", "1", "9" * 200, '"', '""', ","])


@fuzz(60)
@given(st.lists(st.lists(_CELLS, max_size=4), max_size=6), st.sampled_from(["csv", "tsv"]),
       st.sampled_from([None, True, False]), st.sampled_from([(), ("1", "2"), ("2", "1"), ("1", "1")]))
def test_a_csv_or_tsv_edge_list_is_imported_or_refused(tmp_path_factory, rows, fmt, header, columns):
    folder = tmp_path_factory.mktemp("csv")
    separator = "\t" if fmt == "tsv" else ","
    path = folder / f"e.{fmt}"
    path.write_text("\n".join(separator.join(cells) for cells in rows), encoding="utf-8", errors="surrogatepass")
    try:
        imported = read_edges([path], fmt, CsvOptions(columns=columns, header=header))
    except ImportFailure as exc:
        assert str(exc).strip()
        return
    assert imported.edges, "an import that reads no pair is refused"
    assert all(e.fields["from"] != e.fields["to"] or columns != ("1", "1") for e in imported.edges)
    _written_yaml_reads_back(imported, folder)


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
                     max_leaves=12)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@fuzz(40)
@given(st.lists(st.dictionaries(st.sampled_from(["id", "name", "area", "aliases", "hours", "x"]) | texts, _JSON,
                                max_size=4), max_size=4),
       st.lists(st.dictionaries(st.sampled_from(["source", "target", "why", "relation"]) | texts, _JSON, max_size=3),
                max_size=3),
       st.sampled_from(["", _nested(150), "9" * 400, '"\\udc00"']))
def test_node_link_json_is_imported_or_refused(tmp_path_factory, nodes, edges, extra):
    folder = tmp_path_factory.mktemp("json")
    text = json.dumps({"nodes": nodes, "edges": edges})
    if extra:
        text = text[:-1] + f', "extra": {extra}}}'
    path = folder / "g.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        imported = read_nodelink([path])
    except ImportFailure as exc:
        assert str(exc).startswith(str(path))
        return
    assert not extra  # deep values, long numbers and lone surrogates are refused
    _written_yaml_reads_back(imported, folder)


def _xml(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            if isinstance(text, str) else text)


@fuzz(50)
@given(st.lists(st.tuples(texts, texts, texts), max_size=4), st.lists(st.tuples(texts, texts), max_size=3),
       st.sampled_from(["", _nested(150), "[" + "9" * 300 + "]", '["\\ud800"]', "not json", '{"a": [1]}']))
def test_graphml_is_imported_or_refused(tmp_path_factory, nodes, edges, desc_value):
    folder = tmp_path_factory.mktemp("graphml")
    safe = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd]")  # what XML 1.0 can hold at all
    clean = [tuple(safe.sub("", t) for t in row) for row in nodes]
    body = "".join(f'<node id="{_xml(i)}"><data key="n">{_xml(name)}</data><data key="a">{_xml(area)}</data>'
                   f'<data key="j">{_xml(desc_value)}</data></node>' for i, name, area in clean)
    body += "".join(f'<edge source="{_xml(safe.sub("", a))}" target="{_xml(safe.sub("", b))}"/>' for a, b in edges)
    path = folder / "g.graphml"
    path.write_text('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
                    '<key id="n" for="node" attr.name="name" attr.type="string"/>'
                    '<key id="a" for="node" attr.name="area" attr.type="string"/>'
                    '<key id="j" for="node" attr.name="aliases" attr.type="string"><desc>json</desc></key>'
                    f'<graph edgedefault="directed">{body}</graph></graphml>', encoding="utf-8")
    try:
        imported = read_graphml([path])
    except ImportFailure as exc:
        assert str(exc).startswith(str(path))
        return
    for item in imported.nodes:
        area = item.fields.get("area")
        assert area is None or not isinstance(area, str) or not re.search(r"[a-z0-9]", area.lower()) or \
            re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", area), area  # areas are slugs where they can be
    _written_yaml_reads_back(imported, folder)


# --- diff revisions -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("repo")
    write_map(root / "data")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(root)}
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "map"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)
    return root


_REVISION_PARTS = st.sampled_from(["-", "--", "--output=", "keep", ":", "main", "HEAD", "~1", "^", "data", "/", ".",
                                   "..", "@{1}", "--no-index", "-p", "=", " ", "\n", "*", "x"])


@fuzz(40)
@given(st.lists(_REVISION_PARTS, min_size=1, max_size=6).map("".join))
def test_a_diff_side_is_read_or_refused_and_writes_nothing(repo, spec):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        try:
            side = read_side(spec, "NEW", use_cache=False)
        except DiffFailure as exc:
            side = None
            assert str(exc).startswith("NEW: ")
    if side is not None:
        assert side.label == spec
        assert not spec.partition(":")[0].startswith("-") or Path(spec).is_dir()
    assert sorted(p.name for p in repo.iterdir()) == [".git", "data"]


# --- completion output ----------------------------------------------------------------------------------------------

_SAFE = re.compile(r"[a-z0-9][a-z0-9,-]*\Z")


@fuzz(80)
@given(st.lists(st.tuples(texts | st.sampled_from(["a", "ab", "calculus"]), texts, texts), min_size=1, max_size=6),
       st.sampled_from(["", "a", "a,", "x,a", "$("]))
def test_completion_output_keeps_each_shells_protocol(nodes, incomplete):
    graph = nx.DiGraph()
    for node, name, area in nodes:
        graph.add_node(node, name=name, kind="topic", area=area)
    known, other = type("Param", (), {"name": "known"})(), type("Param", (), {"name": "target"})()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cli_options, "_completion_graph", lambda ctx: graph)
        patch.setattr(cli_options, "_from_index", lambda ctx, answer, *args: None)  # the graph above, not an index
        items = (cli_options.complete_ids(None, known, incomplete) + cli_options.complete_ids(None, other, incomplete)
                 + cli_options.complete_areas(None, other, incomplete.split(",")[-1]))
    for item in items:
        assert _SAFE.match(item.value), item.value
        assert item.help is None or not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", item.help), item.help
    for shell in (BashComplete, ZshComplete, FishComplete):
        formatter = shell.__new__(shell)
        lines = "\n".join(formatter.format_completion(item) for item in items).split("\n") if items else []
        if shell is ZshComplete:
            assert len(lines) == 3 * len(items)
        else:
            assert len(lines) == len(items)


# --- GitHub output --------------------------------------------------------------------------------------------------

def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


@fuzz(80)
@given(texts, st.integers(-1, 10**6), st.sampled_from(["error", "warning", "note"]), texts)
def test_an_annotation_is_one_command_that_says_what_it_was_given(path, line, level, message):
    command = annotation(Diagnostic(path, line, level, message))
    assert "\n" not in command and "\r" not in command
    kind, _, rest = command.partition(" ")
    assert kind in ("::error", "::warning", "::notice")
    props, _, data = rest.partition("::")
    assert _unescape(data) == message
    fields = dict(part.split("=", 1) for part in props.split(","))
    assert _unescape(fields["file"]) == path and fields["title"] == "graph validate"
    assert ("line" in fields) == (line > 0)


@fuzz(60)
@given(texts, texts)
def test_a_summary_line_is_never_a_workflow_command(folder, verdict):
    line = summary_line(f"{folder}: {verdict}")
    assert not re.search(r"[\n\r\x00-\x08\x0a-\x1f\x7f\u2028\u2029]", line)  # one line, no escape sequence
    assert not line.startswith("::")


_values = st.none() | st.booleans() | st.integers() | st.floats() | texts | st.lists(texts, max_size=3)


@fuzz(200)
@given(st.dictionaries(st.sampled_from(["relation", "strength", "why", "any_of", "part", "hours", "part_url",
                                        "other"]), _values), texts, texts)
def test_prereqs_json_writes_each_edge_as_the_json_encoder_would(data, source, target):
    """``prereqs --format json`` writes its edges as text directly (a large reach has 250,000 of them): the
    same bytes as the encoder of every other JSON answer, whatever an edge holds (escapes, NaN, lists)."""
    from graph.render.json import _edge_of, _edge_texts, _item_encoder

    written = _edge_texts({source: {target: data}}, [source], {target})
    assert written == [_item_encoder()(_edge_of(source, target, data))]
    if not any(isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))) for v in data.values()):
        assert json.loads(written[0]) == _edge_of(source, target, data)
