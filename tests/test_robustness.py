"""Every data folder is untrusted input: pathological files end in clear messages, never code or crashes.

The inputs that could crash the process (libyaml's composer recurses in C and
segfaults on deep nesting) or hang it (exponential aliases, quadratic numbers)
run in a subprocess with a timeout; the rest run in-process. The small valid map
below (every kind, every relation) is shared with ``test_fuzz.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from graph import cache
from graph.cli import main
from graph.load import load
from graph.progress import read_progress

SMALL_NODES = """\
# A small map: every kind, every relation, most fields.
nodes:
  - id: arithmetic
    name: Arithmetic
    kind: topic
    summary: Numbers and operations
    hours: 10
    area: foundations
    aliases: [sums, "basic math"]
  - id: algebra
    name: Algebra
    kind: topic
    hours: 20
    area: foundations
  - id: functions
    name: Functions
    kind: topic
    hours: 8.5
  - id: calculus
    name: Calculus
    kind: topic
    summary: "Limits, derivatives & integrals"
    hours: 40
    url: https://en.wikipedia.org/wiki/Calculus
  - id: linear-algebra
    name: Linear algebra
    kind: topic
    hours: 30
  - id: matrix-decomposition
    name: Matrix decompositions
    kind: topic
    hours: 12
  - id: eigendecomposition
    name: Eigendecomposition
    kind: topic
    hours: 6
  - id: fourier-transform
    name: Fourier transform
    kind: topic
    hours: 10
  - id: probability
    name: Probability
    kind: topic
    hours: 25
  - id: statistics
    name: Statistics
    kind: topic
    hours: 25
  - id: machine-learning
    name: Machine learning
    kind: topic
    hours: 60
  - id: signal-processing
    name: Signal processing
    kind: topic
    hours: 30
  - id: khan-arithmetic
    name: Khan Academy arithmetic
    kind: resource
    format: course
    free: true
    url: https://www.khanacademy.org/math/arithmetic
    author: Khan Academy
  - id: algebra-book
    name: "Algebra: a first book"
    kind: resource
    format: book
    free: false
    preferred: true
    hours: 50
  - id: functions-notes
    name: Notes on functions
    kind: resource
    format: notes
    url: http://example.org/functions
  - id: mit-1801
    name: MIT 18.01 Single Variable Calculus
    kind: resource
    format: course
    free: true
    url: https://ocw.mit.edu/courses/18-01sc
    current_url: https://ocw.mit.edu/courses/18-01sc-single-variable-calculus-fall-2010/
  - id: strang-la
    name: Strang, Introduction to Linear Algebra
    kind: resource
    format: book
    author: Gilbert Strang
  - id: decomposition-video
    name: Matrix decompositions explained
    kind: resource
    format: video
  - id: eigen-article
    name: Eigenvectors, visually
    kind: resource
    format: article
  - id: fourier-paper
    name: On the Fourier series
    kind: resource
    format: paper
  - id: probability-list
    name: Probability reading list
    kind: resource
    format: list
  - id: stats-tool
    name: A statistics notebook
    kind: resource
    format: tool
  - id: ml-answer
    name: How do I start with ML?
    kind: resource
    format: answer
  - id: dsp-website
    name: The DSP guide
    kind: resource
    format: website
  - id: data-science-degree
    name: Data science
    kind: degree
    summary: A goal made of several fields
"""

SMALL_EDGES = """\
edges:
  - {from: arithmetic, to: algebra}
  - from: algebra
    to: functions
    relation: prerequisite
    why: functions are written with algebra
  - {from: functions, to: calculus}
  - {from: algebra, to: linear-algebra}
  - {from: eigendecomposition, to: matrix-decomposition, relation: generalized-by}
  - {from: linear-algebra, to: eigendecomposition, relation: theory-behind}
  - {from: eigendecomposition, to: fourier-transform, relation: special-case}
  - {from: calculus, to: fourier-transform}
  - {from: calculus, to: probability}
  - {from: probability, to: statistics}
  - {from: calculus, to: statistics, relation: recommended}
  - {from: fourier-transform, to: signal-processing, relation: leads-to}
  - {from: statistics, to: machine-learning}
  - {from: matrix-decomposition, to: machine-learning}
  - {from: machine-learning, to: data-science-degree, relation: combines-into}
  - {from: signal-processing, to: data-science-degree, relation: combines-into}
  - {from: khan-arithmetic, to: arithmetic, relation: teaches}
  - {from: algebra-book, to: algebra, relation: teaches}
  - {from: functions-notes, to: functions, relation: teaches}
  - {from: mit-1801, to: calculus, relation: teaches}
  - {from: strang-la, to: linear-algebra, relation: teaches}
  - {from: strang-la, to: eigendecomposition, relation: teaches}
  - {from: decomposition-video, to: matrix-decomposition, relation: teaches}
  - {from: eigen-article, to: eigendecomposition, relation: teaches}
  - {from: fourier-paper, to: fourier-transform, relation: teaches}
  - {from: probability-list, to: probability, relation: teaches}
  - {from: stats-tool, to: statistics, relation: teaches}
  - {from: ml-answer, to: machine-learning, relation: teaches}
  - {from: dsp-website, to: signal-processing, relation: teaches}
  - {from: arithmetic, to: algebra-book, relation: prerequisite}
"""

TARGET = "data-science-degree"
DIAGNOSTIC = re.compile(r"\S+:\d+: (error|warning|note): ")
# The hint to run 'graph validate' follows errors in the data files only (not in a progress file).
ERRORS_SUMMARY = re.compile(r"graph: [\d,]+ errors? in (the data folder|the bundled map,) \S.* "
                            r"\(run 'graph validate' for details\)")
# Whatever the data, one command ends well within this (a hang is a failure, not a slow pass).
SECONDS = 60


def write_map(folder: Path, nodes: bytes | str = SMALL_NODES, edges: bytes | str = SMALL_EDGES) -> Path:
    """Write ``nodes.yaml`` and ``edges.yaml`` (text as UTF-8, bytes as they are) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (("nodes.yaml", nodes), ("edges.yaml", edges)):
        (folder / name).write_bytes(content.encode() if isinstance(content, str) else content)
    return folder


@dataclass
class Run:
    """How one command ended."""

    code: int
    stdout: str
    stderr: str
    seconds: float = 0.0

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_process(args, env: dict | None = None, timeout: float = SECONDS) -> Run:
    """Run ``python -m graph ARGS`` in a subprocess: a crash or a hang fails the test, not pytest."""
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "graph", *map(str, args)], capture_output=True,
                              timeout=timeout, env={**os.environ, "GRAPH_DEBUG": "", **(env or {})})
    except subprocess.TimeoutExpired:
        pytest.fail(f"graph {' '.join(map(str, args))}: still running after {timeout} s")
    return Run(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"),
               time.monotonic() - started)


def run_inline(args, env: dict | None = None) -> Run:
    """Run the CLI in this process (only for inputs that cannot crash the interpreter)."""
    started = time.monotonic()
    result = CliRunner().invoke(main, [str(a) for a in args], env={"GRAPH_DEBUG": "", **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr, time.monotonic() - started)


def bad_lines(run: Run, folder: Path, diagnostics_only: bool = True) -> list[str]:
    """Return the lines of a run's output that are neither diagnostics nor a summary line.

    ``diagnostics_only=False``: check standard error only (standard output holds a result).
    """
    summary = re.compile(re.escape(str(folder)) + r": [\d,]+ nodes?, [\d,]+ edges?: "
                         r"(valid|[\d,]+ errors?), [\d,]+ warnings?")
    text = run.output if diagnostics_only else run.stderr
    return [line for line in text.splitlines()
            if not (DIAGNOSTIC.match(line) or summary.fullmatch(line) or ERRORS_SUMMARY.fullmatch(line))]


def check_ended_well(run: Run, folder: Path, diagnostics_only: bool = True) -> None:
    """Exit 0 or 1, no traceback, every line a ``path:line: level:`` diagnostic or a summary."""
    assert "Traceback" not in run.output, run.output[-3000:]
    assert run.code in (0, 1), (run.code, run.output[-3000:])
    assert not bad_lines(run, folder, diagnostics_only), bad_lines(run, folder, diagnostics_only)[:5]
    assert run.seconds < SECONDS


def errors_of(run: Run) -> list[str]:
    return [line for line in run.output.splitlines() if DIAGNOSTIC.match(line) and ": error: " in line]


@pytest.fixture()
def small(tmp_path) -> Path:
    """A folder holding the small valid map."""
    return write_map(tmp_path / "data")


# --- the small map itself -------------------------------------------------------------------------------


def test_small_map_is_valid_without_warnings(small):
    run = run_inline(["--data", small, "--no-cache", "validate"])
    assert run.code == 0, run.output
    assert run.stdout.strip() == f"{small}: 25 nodes, 30 edges: valid, 0 warnings"
    loaded = load(small, use_cache=False)
    kinds = {kind for _, kind in loaded.graph.nodes(data="kind")}
    relations = {rel for _, _, rel in loaded.graph.edges(data="relation")}
    assert kinds == {"topic", "resource", "degree"}
    assert len(relations) == 8
    plan = run_inline(["--data", small, "--no-cache", "order", "-t", TARGET])
    assert plan.code == 0 and "Data science" in plan.stdout


@pytest.mark.parametrize("variant", ["bom", "crlf", "bom-crlf", "cr", "non-ascii", "tabs-in-text"])
def test_valid_variants_pass(tmp_path, variant):
    nodes, edges = SMALL_NODES, SMALL_EDGES
    if variant == "non-ascii":
        nodes = (nodes.replace("name: Arithmetic", "name: Arithmétique — 算术 🧮")
                 .replace("name: Algebra\n", "name: \"Ālgebra ‘quoted’\"\n")
                 .replace("Numbers and operations", "Zahlen und Rechenarten, Ünïcödé"))
    if variant == "tabs-in-text":
        nodes = nodes.replace("Numbers and operations", '"Numbers\\tand\\toperations"')
    data = {"nodes": nodes.encode(), "edges": edges.encode()}
    for name, content in data.items():
        if "crlf" in variant:
            content = content.replace(b"\n", b"\r\n")
        if variant == "cr":
            content = content.replace(b"\n", b"\r")
        if "bom" in variant:
            content = b"\xef\xbb\xbf" + content
        data[name] = content
    folder = write_map(tmp_path / "data", data["nodes"], data["edges"])
    run = run_inline(["--data", folder, "--no-cache", "validate"])
    assert run.code == 0, run.output
    assert "0 warnings" in run.stdout
    plan = run_inline(["--data", folder, "--no-cache", "order", "-t", TARGET, "--format", "markdown"])
    assert plan.code == 0
    if variant == "non-ascii":
        assert "Arithmétique — 算术 🧮" in plan.stdout


# --- pathological files: each in a subprocess ---------------------------------------------------------------


def _laughs(levels: int = 12) -> bytes:
    """A field value whose aliases would expand to 9**levels items."""
    parts = [b"&l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    parts += [b"&l%d [" % i + b", ".join([b"*l%d" % (i - 1)] * 9) + b"]" for i in range(1, levels)]
    return b"[" + b", ".join(parts) + b"]"


def _merge_bomb(levels: int = 10) -> bytes:
    lines = [b"  - id: arithmetic", b"    name: A", b"    kind: topic",
             b"    m0: &m0 {a0: 1, a1: 1, a2: 1, a3: 1, a4: 1, a5: 1, a6: 1, a7: 1, a8: 1}"]
    lines += [b"    m%d: &m%d {<<: [" % (i, i) + b", ".join([b"*m%d" % (i - 1)] * 9) + b"]}"
              for i in range(1, levels)]
    return b"nodes:\n" + b"\n".join(lines) + b"\n"


def _entry(extra: bytes) -> bytes:
    return b"nodes:\n  - id: arithmetic\n    name: Arithmetic\n    kind: topic\n" + extra


# (name, nodes.yaml bytes, what the first error says, the line it names)
PATHOLOGICAL = [
    ("flow-brackets-100k", b"nodes: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "nested more than 100", 1),
    ("flow-brackets-unclosed", b"nodes: " + b"[" * 100_000 + b"\n", "nested more than 100", 1),
    ("flow-braces", b"nodes: " + b"{a: " * 50_000 + b"\n", "nested more than 100", 1),
    ("flow-on-many-lines", b"nodes: [\n" + b" [\n" * 30_000, "nested more than 100", 100),
    ("block-compact-seqs", b"nodes:\n- " + b"- " * 30_000 + b"x\n", "nested more than 100", 2),
    ("block-explicit-keys", b"nodes:\n" + b"? " * 30_000 + b"x\n", "nested more than 100", 2),
    ("block-indented-maps", b"nodes:\n" + b"".join(b" " * i + b"k:\n" for i in range(1, 3000)),
     "nested more than 100", 101),
    ("block-seq-of-maps", b"nodes:\n" + b"".join(b"  " * i + b"- k:\n" for i in range(3000)),
     "nested more than 100", 51),
    ("cr-line-ends", b"nodes:\r" + b"- " * 30_000 + b"x\r", "nested more than 100", 2),
    ("nel-line-ends", "nodes:\u0085".encode() + b"- " * 30_000 + b"x\n", "nested more than 100", 2),
    ("ls-line-ends", "nodes:\u2028".encode() + b"- " * 30_000 + b"x\n", "nested more than 100", 2),
    ("ps-line-ends", "nodes:\u2029".encode() + b"- " * 30_000 + b"x\n", "nested more than 100", 2),
    ("deep-field-value", _entry(b"    aliases: " + b"[" * 50_000 + b"\n"), "nested more than 100", 5),
    ("billion-laughs", _entry(b"    aliases: " + _laughs() + b"\n"), "YAML aliases (*name) would repeat over", 5),
    ("billion-laughs-name", _entry(b"    summary: " + _laughs() + b"\n"), "YAML aliases (*name) would repeat", 5),
    ("merge-key-bomb", _merge_bomb(), "YAML aliases (*name) would repeat", 10),
    ("base-60-number", _entry(b"    hours: " + b"1:" * 600_000 + b"1\n"), "is too long", 5),
    ("binary-number", _entry(b"    hours: 0b" + b"1" * 200_000 + b"\n"), "is too long", 5),
    ("decimal-number", _entry(b"    hours: " + b"9" * 200_000 + b"\n"), "field 'hours'", 5),
    ("bad-tagged-scalars", _entry(b"    hours: !!int ''\n    free: !!bool maybe\n    summary: !!timestamp x\n"
                                  b"    area: !!float '-'\n"), "cannot read the value as !!int", 5),
    ("megabyte-name", b"nodes:\n  - id: a\n    kind: topic\n    name: " + b"x" * 5_000_000 + b"\n",
     "over the limit of 10,000", 4),
    ("megabyte-quoted-name", b"nodes:\n  - id: a\n    kind: topic\n    name: \"" + b"\\u00e9" * 1_000_000 + b"\"\n",
     "over the limit of 10,000", 4),
    ("megabyte-field-name", b"nodes:\n  - id: a\n    ? " + b"k" * 3_000_000 + b"\n    : 1\n", "field name of 3,000,000", 3),
    ("megabyte-top-key", b"? " + b"k" * 3_000_000 + b"\n: 1\n", "unknown top-level key", 1),
    ("long-line-of-entries", b"nodes: [" + b"{id: a, name: A, kind: topic}, " * 20_000 + b"]\n", "duplicate id", 1),
    ("invalid-utf8", SMALL_NODES.encode()[:400] + b"\xff\xfe" + SMALL_NODES.encode()[400:], "not valid UTF-8", 20),
    ("utf16", SMALL_NODES.encode("utf-16"), "not valid UTF-8", 1),
    ("nul-byte", SMALL_NODES.encode().replace(b"Algebra\n", b"Alg\x00ebra\n", 1), "control characters", 11),
    ("escape-byte", SMALL_NODES.encode().replace(b"Algebra\n", b"Alg\x1bebra\n", 1), "control characters", 11),
    ("two-documents", SMALL_NODES.encode() + b"---\nnodes: []\n", "single document", 120),
]


@pytest.mark.parametrize("name, nodes, message, line", PATHOLOGICAL, ids=[p[0] for p in PATHOLOGICAL])
def test_pathological_nodes_file_gets_one_clear_error(tmp_path, name, nodes, message, line):
    folder = write_map(tmp_path / "data", nodes, SMALL_EDGES)
    for command in (["validate"], ["order", "-t", TARGET]):
        run = run_process(["--data", folder, "--no-cache", *command])
        check_ended_well(run, folder)
        assert run.code == 1
        errors = errors_of(run)
        assert any(e.startswith(f"{folder / 'nodes.yaml'}:{line}: error: ") and message in e for e in errors), errors
        assert max(map(len, errors)) < 1000  # a megabyte of data is never echoed back


def test_pathological_edges_file_gets_one_clear_error(tmp_path):
    folder = write_map(tmp_path / "data", SMALL_NODES, b"edges:\n- " + b"- " * 40_000 + b"x\n")
    run = run_process(["--data", folder, "--no-cache", "validate"])
    check_ended_well(run, folder)
    assert errors_of(run) == [f"{folder / 'edges.yaml'}:2: error: values nested more than 100 levels deep"]


def test_file_over_the_size_limit_is_not_read(tmp_path):
    folder = write_map(tmp_path / "data")
    with open(folder / "nodes.yaml", "r+b") as out:  # sparse: 600 MB on paper, nothing on disk
        out.truncate(600 * 1024 * 1024)
    run = run_process(["--data", folder, "--no-cache", "validate"], timeout=20)
    check_ended_well(run, folder)
    assert errors_of(run)[0].startswith(f"{folder / 'nodes.yaml'}:1: error: the file is 629,145,600 bytes, over the "
                                        "data file limit of 536,870,912 bytes (raise it with GRAPH_MAX_FILE_MB)")


@pytest.mark.parametrize("env, message, line", [
    ({"GRAPH_MAX_FILE_MB": "0.001"}, "over the data file limit of 1,048 bytes (raise it with GRAPH_MAX_FILE_MB)", 1),
    ({"GRAPH_MAX_TEXT": "20"}, "field 'summary' is 22 characters long, over the limit of 20", 6),
    ({"GRAPH_MAX_DEPTH": "3"}, "values nested more than 3 levels deep", 9),
])
def test_limits_can_be_set_and_are_named(small, env, message, line):
    run = run_inline(["--data", small, "--no-cache", "validate"], env=env)
    check_ended_well(run, small)
    assert run.code == 1
    first = errors_of(run)[0]
    assert first.startswith(f"{small / 'nodes.yaml'}:{line}: error: ") and message in first, first
    assert run_inline(["--data", small, "--no-cache", "validate"], env={"GRAPH_MAX_DEPTH": "4"}).code == 0


def test_text_from_the_data_never_breaks_a_line_or_drives_the_terminal(tmp_path):
    nodes = SMALL_NODES.replace("kind: degree", 'kind: "deg\\nree\\e[2J\\u2028"').replace(
        "name: Functions", 'name: "Func\\e]0;owned\\x07tions"')
    edges = SMALL_EDGES.replace("{from: arithmetic, to: algebra}", '{from: arithmetic, to: "alg\\rebra\\x1b[31m"}')
    folder = write_map(tmp_path / "data", nodes, edges)
    for command in (["validate"], ["order", "-t", "calculus"]):
        run = run_inline(["--data", folder, "--no-cache", *command])
        check_ended_well(run, folder)
        assert run.code == 1
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", run.output)
    assert any("control character U+001B" in line for line in errors_of(run))


# --- no code from data ------------------------------------------------------------------------------------------

CODE_TAGS = [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/new:os.system ["touch {marker}"]',
    '!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]',
    "!!python/name:os.system",
    "!!python/object:os.system {{}}",
    '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {marker}"]',
    '!!python/module:os',
]


@pytest.mark.parametrize("tag", CODE_TAGS)
@pytest.mark.parametrize("where", ["field", "id", "entry", "list", "root", "edge", "key"])
def test_code_tags_are_refused_and_never_run(tmp_path, tag, where):
    marker = tmp_path / "pwned"
    value = tag.format(marker=marker)
    nodes, edges = SMALL_NODES, SMALL_EDGES
    if where == "field":
        nodes = nodes.replace("summary: Numbers and operations", f"summary: {value}")
    elif where == "id":
        nodes = nodes.replace("  - id: algebra\n", f"  - id: {value}\n")
    elif where == "entry":
        nodes = nodes.replace("  - id: algebra\n", f"  - {value.split(' ')[0]}\n    id: algebra\n")
    elif where == "list":
        nodes = nodes.replace("nodes:\n", f"nodes: {value.split(' ')[0]}\n", 1)
    elif where == "root":
        nodes = nodes.replace("nodes:\n", f"--- {value.split(' ')[0]}\nnodes:\n", 1)
    elif where == "edge":
        edges = edges.replace("{from: functions, to: calculus}", f"{{from: functions, to: calculus, why: {value}}}")
    elif where == "key":
        nodes = nodes.replace("    hours: 20\n", f"    ? {value}\n    : 20\n", 1)
    assert nodes != SMALL_NODES or edges != SMALL_EDGES
    folder = write_map(tmp_path / "data", nodes, edges)
    for command in (["validate"], ["order", "-t", TARGET])[: 2 if where == "field" else 1]:
        run = run_process(["--data", folder, "--no-cache", *command])
        check_ended_well(run, folder)
        assert run.code == 1
        assert not marker.exists()
        errors = errors_of(run)
        file = folder / ("edges.yaml" if where == "edge" else "nodes.yaml")
        assert any(e.startswith(f"{file}:") for e in errors), errors
        assert any(word in " ".join(errors) for word in ("nothing was run", "field names must be text",
                                                          "YAML syntax")), errors


def test_code_tags_in_the_progress_file_are_refused_and_never_run(small, tmp_path):
    marker = tmp_path / "pwned"
    for text in (f'known: !!python/object/apply:os.system ["touch {marker}"]\n',
                 f'known:\n  - !!python/object/apply:os.system ["touch {marker}"]\n',
                 f'--- !!python/object/new:os.system ["touch {marker}"]\nknown: [algebra]\n',
                 f'!!python/object/apply:os.system ["touch {marker}"]: [algebra]\n',
                 'known: !!python/object/apply:os.system\n  - algebra\n'):
        progress = tmp_path / "progress.yaml"
        progress.write_text(text)
        for command in (["order", "-t", TARGET, "--progress", progress], ["next", "--progress", progress],
                        ["done", "calculus", "--progress", progress]):
            run = run_process(["--data", small, "--no-cache", *command])
            assert run.code == 2 and "Traceback" not in run.output, run.output
            assert run.stderr.startswith(f"{progress}:"), run.stderr
            assert not marker.exists()
        assert progress.read_text() == text  # 'done' did not rewrite a file it could not read


def test_deeply_nested_progress_file_is_an_error_not_a_crash(small, tmp_path):
    progress = tmp_path / "progress.yaml"
    for text in ("known:\n- " + "- " * 30_000 + "x\n", "known: " + "[" * 100_000 + "\n",
                 "known:\r- " + "- " * 30_000 + "x\r", "known:\n  - algebra\n  - \"a\\x00b\"\n  - \0\n"):
        progress.write_text(text)
        run = run_process(["--data", small, "--no-cache", "order", "-t", TARGET, "--progress", progress])
        assert run.code == 2, run.output  # the learner's file, not the data: no 'graph validate' hint
        first, *rest = run.stderr.splitlines()
        assert re.match(re.escape(str(progress)) + r":\d+: error: ", first), first
        assert rest == [f"graph: cannot use the progress file '{progress}' (given by --progress)"]


def test_missing_progress_file_is_a_usage_error_naming_the_file(small, tmp_path, monkeypatch):
    run = run_inline(["--data", small, "--no-cache", "next", "--progress", tmp_path / "none.yaml"])
    assert run.code == 2
    assert run.stderr.startswith(f"{tmp_path / 'none.yaml'}: error: progress file not found")
    monkeypatch.setenv("GRAPH_PROGRESS", str(tmp_path / "gone.yaml"))
    run = run_inline(["--data", small, "--no-cache", "order", "-t", TARGET])
    assert run.code == 2
    assert run.stderr.splitlines() == [f"{tmp_path / 'gone.yaml'}: error: progress file not found",
                                       f"graph: cannot use the progress file '{tmp_path / 'gone.yaml'}' "
                                       "(given by $GRAPH_PROGRESS)"]


def _cache_entry(folder: Path) -> Path:
    [entry] = [p for p in cache.cache_dir().glob("*.json")]
    assert entry.stem == cache.key(folder / "nodes.yaml", folder / "edges.yaml", 20_000)
    return entry


def _sign(body: bytes) -> bytes:
    """Seal an entry as a forger would who can write the cache folder but not read the user's secret."""
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def test_forged_cache_entries_are_never_run_or_trusted(small, tmp_path, monkeypatch):
    """Entries forged by whoever writes the cache folder (right key, well-formed, no secret) are never used."""
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))
    marker = tmp_path / "pwned"
    assert run_inline(["--data", small, "validate"]).code == 0
    entry = _cache_entry(small)
    genuine = entry.read_bytes()
    payload = json.loads(genuine.partition(b"\n")[2])

    import pickle

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    forged_bodies = [
        pickle.dumps(Exploit()),
        f'!!python/object/apply:os.system ["touch {marker}"]'.encode(),
        b'{"key": "' + entry.stem.encode() + b'", "__class__": "os.system"}',
    ]
    # Well-formed JSON with the right key, but data the checks would refuse.
    def mutated(change) -> bytes:
        copy = json.loads(json.dumps(payload))
        change(copy)
        return json.dumps(copy).encode()

    def set_all_strings(value):
        def change(tree):
            def walk(node):
                items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
                for k, v in list(items):
                    if k == "key":
                        continue
                    if isinstance(v, str):
                        node[k] = value
                    else:
                        walk(v)
            walk(tree)
        return change

    for value in ("javascript:alert(1)", "<script>alert(1)</script>", "x\ny", "", "a" * 20_000):
        forged_bodies.append(mutated(set_all_strings(value)))
    for field, value in (("kind", "evil"), ("url", "javascript:alert(1)"), ("hours", -5), ("hours", "lots"),
                         ("name", ["list"]), ("aliases", [1, 2]), ("free", "yes")):
        def change(tree, field=field, value=value):
            def walk(node):
                if isinstance(node, dict):
                    if "name" in node and "kind" in node:
                        node[field] = value
                    for v in node.values():
                        walk(v)
                elif isinstance(node, list):
                    for v in node:
                        walk(v)
            walk(tree)
        forged_bodies.append(mutated(change))

    for body in forged_bodies:
        entry.write_bytes(_sign(body))
        for command in (["validate"], ["order", "-t", TARGET, "--format", "markdown"], ["show", "calculus"],
                        ["prereqs", TARGET], ["order", "-t", TARGET, "--strategy", "levels"]):
            run = run_inline(["--data", small, *command])
            assert run.code == 0, (body[:200], command, run.output[-2000:])
            assert "javascript:" not in run.stdout and "<script>" not in run.stdout
            assert "evil" not in run.stdout and "lots" not in run.stdout
        assert not marker.exists()
        assert run_inline(["--data", small, "validate"]).stdout.endswith(": 25 nodes, 30 edges: valid, 0 warnings\n")


def test_genuine_cache_entries_are_used(small, tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))
    first = load(small)
    import graph.load

    def no_parsing(*args, **kwargs):
        raise AssertionError("the cache entry was not used")

    monkeypatch.setattr(graph.load, "read_entries", no_parsing)
    again = load(small)
    assert nx.utils.graphs_equal(first.graph, again.graph)
    assert list(first.graph.nodes(data=True)) == list(again.graph.nodes(data=True))


# --- no script from data: Markdown plans ------------------------------------------------------------------------

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![img](https://evil.example/x.png)",
    "<https://evil.example>",
    "](<javascript:alert(1)>)",
    "**bold** _it_ `code` ~~s~~ | a | b |",
    "&lt;script&gt; &#106;avascript:",
    "\\<escaped\\> \\\\[x\\\\]",
    "line\none\n# heading\n- [x] item",
    "<!-- comment --> <a href='javascript:alert(1)'>x</a>",
]


_LINK = re.compile(r"\[((?:\\[!-/:-@\[-`{-~]|[^\\\[\]\n])*)\]\(<([^>\n]*)>\)")
_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")


def markdown_problems(markdown: str) -> list[str]:
    """Return what in a rendered plan could be a link, an image, HTML or formatting that the data made.

    The template itself only writes a heading, checkboxes, bold step numbers and
    ``[label](<http...>)`` links (a destination without backslashes, which
    would escape its closing ``>``); once those and the backslash-escaped
    characters are taken out, no character that Markdown or HTML gives a
    meaning may remain, in the text or in a link's label.
    """
    problems, labels = [], []

    def take(match) -> str:
        label, destination = match.groups()
        if not re.fullmatch(r"(?i:https?)://[^\s<>\\]+", destination):
            problems.append(f"link to {destination!r}")
        labels.append(label)
        return " "

    text = "\n".join([_LINK.sub(take, markdown), *labels])
    text = _ESCAPED.sub("", text)
    text = re.sub(r"(?m)^# |^\s*- \[ \] |^\s+- |\*\*", "", text)
    for char in "<>[]`&*_!|~\\":
        if char in text:
            at = text.index(char)
            problems.append(f"unescaped {char!r} in {text[max(0, at - 40):at + 40]!r}")
    return problems


def test_markdown_oracle_catches_unescaped_text():
    assert markdown_problems("- [ ] **1. [A](<https://a.org/x>)** (1 h): a \\*b\\*\n") == []
    assert markdown_problems("- [ ] **1. [A](<javascript:x>)**\n")
    assert markdown_problems("a <b>\n") and markdown_problems("a [b](c)\n") and markdown_problems("*b*")
    assert markdown_problems("[a](<https://e.org/\\>) [b](<https://e.org/>)")
    assert markdown_problems("[a *b*](<https://e.org/>)")


def hostile_map(folder: Path, texts: list[str], urls: list[str]) -> Path:
    """The small map with every text field of every node carrying one of ``texts`` and ``urls``."""
    import yaml

    nodes = yaml.safe_load(SMALL_NODES)["nodes"]
    for i, node in enumerate(nodes):
        node["name"] = texts[i % len(texts)]
        node["summary"] = texts[(i + 1) % len(texts)]
        node["author"] = texts[(i + 2) % len(texts)]
        if node["kind"] == "resource":
            node["url"] = urls[i % len(urls)]
            node["current_url"] = urls[(i + 1) % len(urls)]
        else:
            node.pop("author")
    return write_map(folder, yaml.safe_dump({"nodes": nodes}, allow_unicode=True), SMALL_EDGES)


def test_markdown_plan_escapes_every_text_and_links_only_web_urls(tmp_path):
    urls = ["https://example.org/a_(b)*c*", "http://example.org/<script>", "https://e.org/x>)[y](javascript:z)",
            "https://e.org/\\", "https://e.org/a`b`|c"]
    folder = hostile_map(tmp_path / "data", [t.replace("\n", " ") for t in HOSTILE_TEXT], urls)
    assert run_inline(["--data", folder, "--no-cache", "validate"]).code == 0
    run = run_inline(["--data", folder, "--no-cache", "order", "-t", TARGET, "--format", "markdown",
                      "--include-recommended"])
    assert run.code == 0, run.output
    assert markdown_problems(run.stdout) == []
    assert "](<https://example.org/a_(b)*c*>)" in run.stdout
    assert "<script>" not in run.stdout and "](<javascript" not in run.stdout


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>x</script>",
                                 "vbscript:x", "file:///etc/passwd", " https://e.org/", "https:/x", "//evil.org/x",
                                 "https://e.org/\x00", "java\tscript:alert(1)"])
def test_only_http_urls_are_accepted(tmp_path, url):
    import yaml

    nodes = SMALL_NODES.replace("url: http://example.org/functions", f"url: {json.dumps(url)}")
    folder = write_map(tmp_path / "data", nodes, SMALL_EDGES)
    assert yaml.safe_load(nodes)["nodes"][14]["url"] == url
    run = run_inline(["--data", folder, "--no-cache", "validate"])
    check_ended_well(run, folder)
    assert run.code == 1
    errors = errors_of(run)
    assert errors and all(e.startswith(f"{folder / 'nodes.yaml'}:75: error: field 'url' of node 'functions-notes' ")
                          for e in errors), errors


# --- nothing lost: the data folder is never written ----------------------------------------------------------


def snapshot(folder: Path) -> dict:
    """Every file and folder below ``folder`` with its bytes, mode and modification time."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        found[str(path.relative_to(folder))] = (path.read_bytes() if path.is_file() else None,
                                                info.st_mode, info.st_mtime_ns)
    info = folder.stat()
    found["."] = (None, info.st_mode, info.st_mtime_ns)
    return found


def test_no_command_writes_inside_the_data_folder(small, tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    before = snapshot(small)
    progress = tmp_path / "me" / "progress.yaml"
    commands = [
        ["validate"], ["validate", "--format", "json"], ["validate", "--redundant"],
        ["order", "-t", TARGET], ["order", "-t", TARGET, "--format", "markdown"],
        ["order", "-t", TARGET, "--format", "json", "--strategy", "levels"],
        ["prereqs", TARGET], ["dependents", "arithmetic", "--format", "list"], ["path", "algebra", "calculus"],
        ["next"], ["show", "mit-1801"], ["done", "arithmetic", "--progress", progress],
        ["next", "--progress", progress], ["order", "-t", TARGET, "--progress", progress],
        ["html", "--out", tmp_path / "out" / "map.html"], ["export", "--format", "json"],
        ["export", "--output", tmp_path / "out" / "graph.graphml"], ["build", "--out", tmp_path / "site", "-q"],
    ]
    for cache_option in ([], ["--no-cache"]):
        for command in commands:
            run = run_inline(["--data", small, *cache_option, *command])
            assert run.code == 0, (command, run.output[-2000:])
            assert snapshot(small) == before, command
    assert list((tmp_path / "cache").glob("*.json"))  # the cache was on, and it lives elsewhere
    assert read_progress(progress) == ["arithmetic"]


@pytest.mark.parametrize("inside", ["progress.yaml", "sub/progress.yaml", "sub/deeper/p.yaml"])
def test_done_keeps_a_progress_file_inside_the_data_folder_when_asked(small, tmp_path, inside):
    """The progress file is the learner's, not the map's: it may live in the data folder; the map is untouched."""
    before = {name: entry for name, entry in snapshot(small).items() if name != "."}
    run = run_inline(["--data", small, "--no-cache", "done", "calculus", "--progress", small / inside])
    assert run.code == 0, run.output
    assert read_progress(small / inside) == ["calculus"]
    assert {name: entry for name, entry in snapshot(small).items() if name in before} == before


@pytest.mark.parametrize("own", ["nodes.yaml", "edges.yaml", "link.yaml"])
def test_done_refuses_the_maps_own_files_as_a_progress_file(small, tmp_path, own):
    (small / "link.yaml").symlink_to(small / "nodes.yaml")
    before = snapshot(small)
    run = run_inline(["--data", small, "--no-cache", "done", "calculus", "--progress", small / own])
    assert run.code == 2 and "one of the map's own files" in run.stderr, run.output
    assert snapshot(small) == before


@pytest.mark.parametrize("command", [["html", "--out"], ["export", "--format", "json", "--output"],
                                     ["build", "--out"]])
@pytest.mark.parametrize("inside", [".", "map.html", "sub/map.html", "link.html"])
def test_outputs_inside_the_data_folder_are_refused(small, tmp_path, command, inside):
    (small / "link.html").symlink_to(tmp_path / "elsewhere.html")
    before = snapshot(small)
    run = run_inline(["--data", small, "--no-cache", *command, small / inside])
    assert run.code == 2, run.output
    assert "inside the data folder" in run.stderr or (inside == "." and "is a directory" in run.stderr), run.stderr
    assert snapshot(small) == before


def test_done_writes_the_progress_file_atomically(small, tmp_path, monkeypatch):
    import graph.output

    progress = tmp_path / "progress.yaml"
    assert run_inline(["--data", small, "--no-cache", "done", "arithmetic", "--progress", progress]).code == 0
    old = progress.read_bytes()

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device", str(dst))

    real_fdopen = os.fdopen

    def failing_fdopen(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)
        real_write = handle.write

        def write(data):
            real_write(data[: len(data) // 2])
            raise OSError(5, "Input/output error")

        handle.write = write
        return handle

    for target, fake in ((graph.output.os, ("replace", failing_replace)),
                         (graph.output.os, ("fdopen", failing_fdopen))):
        with monkeypatch.context() as patch:
            patch.setattr(target, *fake)
            run = run_inline(["--data", small, "--no-cache", "done", "calculus", "--progress", progress])
        assert run.code == 1, run.output
        assert run.stderr.count("\n") == 1 and "Traceback" not in run.output, run.stderr
        assert progress.read_bytes() == old
        assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "progress.yaml"]  # no temporary file left
    assert run_inline(["--data", small, "--no-cache", "done", "calculus", "--progress", progress]).code == 0
    assert read_progress(progress) == ["arithmetic", "calculus"]


def test_an_output_that_is_a_link_a_pipe_or_a_device_is_written_through_not_replaced(small, tmp_path):
    import threading

    target = tmp_path / "real.md"
    target.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    run = run_inline(["--data", small, "--no-cache", "order", "-t", "calculus", "--output", link])
    assert run.code == 0, run.output
    assert link.is_symlink() and "calculus" in target.read_text()

    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()), daemon=True)
    reader.start()
    run = run_inline(["--data", small, "--no-cache", "order", "-t", "calculus", "--format", "json", "--output", fifo])
    reader.join(10)
    assert run.code == 0, run.output
    assert json.loads(received[0])["target"] == "calculus"
    assert fifo.is_fifo()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device node needs root")
def test_a_full_device_as_output_fails_with_its_error_and_stays_a_device(small, tmp_path):
    full = tmp_path / "full"
    os.mknod(full, 0o666 | 0o020000, os.makedev(1, 7))  # a character device, as /dev/full
    run = run_inline(["--data", small, "--no-cache", "export", "--format", "json", "--output", full])
    assert run.code == 1
    assert f"--output: cannot write '{full}': No space left on device" in run.stderr
    assert full.is_char_device()
