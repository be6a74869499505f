"""Property tests feeding ``graph validate`` and ``graph order`` malformed data.

Each run must end in exit 0 with a valid graph, or exit 1 with ``path:line:``
diagnostics: never a traceback, an internal error (exit 3) or a hang. The
inputs here are small (hypothesis draws them), so they run in-process through
click's runner; one that could nest deeply enough to crash libyaml's composer
is sent to a subprocess instead (see ``run``), and the pathological inputs
themselves are in ``test_robustness.py``.

The seed is fixed (``derandomize``) and the budget stays well under two
minutes. For a longer, randomly seeded run (about 10 minutes)::

    HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py -q
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import networkx as nx
import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from graph.load import load
from graph.model import EDGE_FIELDS, FORMATS, KINDS, NODE_FIELDS, RELATIONS
from graph.yamlread import _too_deep
from test_robustness import (
    SMALL_EDGES,
    SMALL_NODES,
    TARGET,
    bad_lines,
    markdown_problems,
    run_inline,
    run_process,
    write_map,
)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
_SCALE = {"ci": 1, "long": 16}.get(PROFILE, 1)
_BASE = settings(
    derandomize=PROFILE != "long",
    database=None if PROFILE != "long" else settings.default.database,
    deadline=timedelta(seconds=20),  # per example; a hang fails, a slow shared machine does not
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    print_blob=True,
)


def fuzz(examples: int) -> settings:
    """Settings for a test: ``examples`` in CI, many more with ``HYPOTHESIS_PROFILE=long``."""
    return settings(_BASE, max_examples=examples * _SCALE)


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="graph-fuzz-") as folder:
        yield Path(folder)


def _crash_prone(*contents: bytes) -> bool:
    """Whether an input could nest deep enough to crash libyaml's composer (never run in-process)."""
    for data in contents:
        lines = data
        for other in (b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9"):
            lines = lines.replace(other, b"\n")
        if data.count(b"[") + data.count(b"{") > 500 or re.search(rb"(?m)^[ \t?:-]{500}", lines):
            return True
    return False


def run(args, *contents: bytes, env: dict | None = None):
    return (run_process if _crash_prone(*contents) else run_inline)(args, env=env)


def check_folder(folder: Path, nodes: bytes, edges: bytes, progress: Path | None = None, env: dict | None = None):
    """Run validate and order on ``folder`` and check how they end; return whether the data is valid."""
    write_map(folder, nodes, edges)
    base = ["--data", folder, "--no-cache"]
    checked = run([*base, "validate"], nodes, edges, env=env)
    assert "Traceback" not in checked.output
    assert checked.code in (0, 1), (checked.code, checked.output[-2000:])
    assert not bad_lines(checked, folder), bad_lines(checked, folder)[:5]

    extra = ["--progress", progress] if progress else []
    for fmt in ("text", "markdown"):
        planned = run([*base, "order", "-t", TARGET, "--format", fmt, *extra], nodes, edges, env=env)
        assert "Traceback" not in planned.output
        if planned.code == 2 and progress and planned.stderr.startswith(f"{progress}"):
            # a progress file that cannot be used: a usage error naming it, not a data error
            assert checked.code == 0, planned.output
            *problems, last = planned.stderr.splitlines()
            assert problems and all(line.startswith(f"{progress}") for line in problems), planned.stderr
            assert last == f"graph: cannot use the progress file '{progress}' (given by --progress)", last
            continue
        if planned.code == 2:  # valid data without the target: a usage error, not a data error
            assert checked.code == 0 and planned.stderr.startswith(f"Error: unknown id '{TARGET}'"), planned.output
            continue
        assert planned.code in (0, 1), (planned.code, planned.output[-2000:])
        assert not bad_lines(planned, folder, diagnostics_only=False), bad_lines(planned, folder, False)[:5]
        if planned.code == 0:
            assert planned.stdout.strip()
            if fmt == "markdown":
                assert markdown_problems(planned.stdout) == []
        elif not progress:
            assert checked.code == 1

    if checked.code == 0:
        loaded = load(folder, use_cache=False)
        assert not loaded.errors
        graph = loaded.graph
        assert nx.is_directed_acyclic_graph(graph)
        for node, attrs in graph.nodes(data=True):
            assert attrs["kind"] in KINDS and isinstance(attrs["name"], str) and attrs["name"].strip()
        for _, _, relation in graph.edges(data="relation"):
            assert relation in RELATIONS
    return checked.code == 0


# --- strategies ---------------------------------------------------------------------------------------------

_IDS = re.findall(r"(?m)^  - id: (\S+)$", SMALL_NODES)
_HOSTILE = ["<script>alert(1)</script>", "[x](javascript:alert(1))", "javascript:alert(1)", "&amp;", "*a*", "`c`",
            "![i](https://e.org/i.png)", "<!--", "\\", "|a|", "${x}", "{{x}}", "%s%n", "\u202e", "\u2028", "\ufeff"]
scalars = (st.none() | st.booleans() | st.integers() | st.floats()
           | st.text(max_size=30) | st.sampled_from(_IDS + list(KINDS) + list(RELATIONS) + list(FORMATS) + _HOSTILE))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8) | st.integers() | st.booleans(), inner, max_size=4),
                      max_leaves=20)


@st.composite
def dumped(draw, value=values) -> bytes:
    """A value written as YAML in a random style."""
    data = draw(value)
    text = yaml.safe_dump(data, default_flow_style=draw(st.sampled_from([False, True, None])), sort_keys=False,
                          allow_unicode=draw(st.booleans()), indent=draw(st.integers(2, 6)),
                          width=draw(st.sampled_from([20, 80, 10_000])), explicit_start=draw(st.booleans()))
    return text.encode("utf-8")


def entries(fields: dict):
    """Lists of mappings whose keys are mostly real field names, with values of any type."""
    keys = st.sampled_from([*fields, *fields, "extra", "Name", "ID", ""])
    field_values = values | st.sampled_from(_IDS) | st.sampled_from(["https://example.org/x", "http://", "ftp://x"])
    return st.lists(st.dictionaries(keys, field_values, max_size=len(fields) + 1), max_size=8)


_TOKENS = [b"\t", b"\x00", b"\x07", b"\x1b[2J", b"\xef\xbb\xbf", b"\r\n", b"\r", b"\n", b"\xff", b"\xc3", b"\xc2\x85",
           "\u2028".encode(), "é".encode(), b"&a ", b"*a", b"*b ", b"<<: *a\n", b"<<: {a: 1}\n", b"? ", b"- ", b": ",
           b"!!python/object/apply:os.system [echo]", b"!!python/name:os.system ", b"!!binary ", b"!!set ",
           b"!!omap ", b"!!timestamp ", b"!custom ", b"%YAML 1.1\n", b"%TAG !! tag:yaml.org,2002:python/\n",
           b"---\n", b"...\n", b"[", b"]", b"{", b"}", b",", b"#", b"'", b'"', b"|\n", b">-\n", b"~", b"null",
           b"1e309", b"-.inf", b".nan", b"0x1F", b"0o17", b"0b101", b"1:2:3", b"2001-12-14", b"yes", b"on",
           b"1_000", b"!!int ", b"!!str ", b"!!float ", b"\\", b"%", b"@", b"`", b"x" * 300]


@st.composite
def mutated_map(draw) -> tuple[bytes, bytes]:
    """The small map with a few lines deleted, repeated or cut, bytes changed or tokens inserted."""
    files = [SMALL_NODES.encode(), SMALL_EDGES.encode()]
    for _ in range(draw(st.integers(1, 4))):
        which = draw(st.integers(0, 1))
        data = files[which]
        lines = data.split(b"\n")
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "flip", "insert", "crlf", "bom"]))
        at = draw(st.integers(0, 10**6))
        if op == "delete":
            del lines[at % len(lines)]
            data = b"\n".join(lines)
        elif op == "duplicate":
            lines.insert(at % len(lines), lines[at % len(lines)])
            data = b"\n".join(lines)
        elif op == "swap":
            i, j = at % len(lines), draw(st.integers(0, 10**6)) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif op == "truncate":
            data = data[: at % (len(data) + 1)]
        elif op == "flip":
            i = at % max(len(data), 1)
            data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1:]
        elif op == "insert":
            i = at % (len(data) + 1)
            data = data[:i] + draw(st.sampled_from(_TOKENS)) + data[i:]
        elif op == "crlf":
            data = data.replace(b"\n", b"\r\n")
        else:
            data = b"\xef\xbb\xbf" + data
        files[which] = data
    return files[0], files[1]


# --- the fuzz tests -----------------------------------------------------------------------------------------


@fuzz(1000)
@given(mutated_map())
@example((SMALL_NODES.encode(), SMALL_EDGES.encode()))
@example((SMALL_NODES.encode().replace(b"\n", b"\r\n"), b"\xef\xbb\xbf" + SMALL_EDGES.encode()))
def test_mutated_small_map(workdir, files):
    nodes, edges = files
    valid = check_folder(workdir / "mutated", nodes, edges)
    if (nodes, edges) == (SMALL_NODES.encode(), SMALL_EDGES.encode()):
        assert valid


@fuzz(400)
@given(dumped(), st.booleans(), st.sampled_from(["bare", "nodes", "edges", "both"]))
def test_random_yaml_documents(workdir, document, as_nodes, wrap):
    nodes, edges = SMALL_NODES.encode(), SMALL_EDGES.encode()
    body = document
    if wrap in ("nodes", "edges", "both"):
        key = "nodes" if as_nodes else "edges"
        body = f"{key}:\n".encode() + b"".join(b"  " + line + b"\n" for line in document.splitlines())
    if as_nodes:
        nodes = body
    else:
        edges = body
    if wrap == "both":
        nodes, edges = body.replace(b"edges:", b"nodes:", 1), body.replace(b"nodes:", b"edges:", 1)
    check_folder(workdir / "documents", nodes, edges)


@fuzz(250)
@given(st.one_of(st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300)),
       st.sampled_from([b"", b"nodes:\n", b"nodes:\n  - ", b"nodes: [", b"\xef\xbb\xbf"]), st.booleans())
def test_random_text(workdir, text, prefix, as_nodes):
    data = prefix + text
    nodes, edges = (data, SMALL_EDGES.encode()) if as_nodes else (SMALL_NODES.encode(), b"edges:\n" + text)
    check_folder(workdir / "text", nodes, edges)


@fuzz(400)
@given(entries(NODE_FIELDS), entries(EDGE_FIELDS), st.booleans())
def test_wrong_types_in_every_field(workdir, node_entries, edge_entries, flow):
    def dump(key, items):
        return yaml.safe_dump({key: items}, default_flow_style=flow, sort_keys=False, allow_unicode=True).encode()

    check_folder(workdir / "types", dump("nodes", node_entries), dump("edges", edge_entries))


_printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60)


@fuzz(150)
@given(st.lists(st.tuples(st.sampled_from(["name", "summary", "author", "area"]), st.integers(0, 24),
                          _printable.filter(str.strip) | st.sampled_from(_HOSTILE[:-3]))
                | st.tuples(st.sampled_from(["url", "current_url"]), st.integers(0, 24),
                            st.sampled_from(["http://", "https://", "HTTPS://"]).flatmap(
                                lambda scheme: _printable.map(lambda t: scheme + "e.org/" + "".join(t.split())))),
                min_size=1, max_size=12))
def test_hostile_text_never_becomes_markdown(workdir, changes):
    """Whatever text and URLs valid data holds, the Markdown plan escapes it and links only http(s)."""
    tree = yaml.safe_load(SMALL_NODES)
    for field, index, text in changes:
        tree["nodes"][index][field] = text
    nodes = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode()
    folder = workdir / "hostile"
    write_map(folder, nodes, SMALL_EDGES.encode())
    assume(run_inline(["--data", folder, "--no-cache", "validate"]).code == 0)
    for extra in ([], ["--include-recommended"], ["--known", "algebra"]):
        planned = run_inline(["--data", folder, "--no-cache", "order", "-t", TARGET, "--format", "markdown", *extra])
        assert planned.code == 0, planned.output
        assert markdown_problems(planned.stdout) == [], planned.stdout


@fuzz(150)
@given(st.one_of(dumped(), st.binary(max_size=200),
                 st.lists(st.sampled_from(_IDS) | st.text(max_size=10) | st.integers(), max_size=6).map(
                     lambda ids: yaml.safe_dump({"known": ids}).encode())),
       st.sampled_from([b"", b"known:\n", b"\xef\xbb\xbf"]))
def test_random_progress_files(workdir, body, prefix):
    progress = workdir / "progress.yaml"
    progress.write_bytes(prefix + body)
    folder = workdir / "progress-map"
    check_folder(folder, SMALL_NODES.encode(), SMALL_EDGES.encode(), progress=progress)
    if not _crash_prone(prefix + body):
        shown = run_inline(["--data", folder, "--no-cache", "next", "--progress", progress])
        assert shown.code in (0, 1, 2), shown.output
        if shown.code == 2:
            assert all(line.startswith(f"{progress}") for line in shown.stderr.splitlines()[:-1]), shown.stderr


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                           | st.text(max_size=20) | st.sampled_from(_HOSTILE + _IDS + list(RELATIONS)),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                        max_size=3), max_leaves=8)


def _leaves(tree, path=()):
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key != "key":
                yield from _leaves(value, (*path, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            yield from _leaves(value, (*path, i))
    if path:
        yield path


_CACHED_COMMANDS = (["validate"], ["order", "-t", TARGET, "--format", "markdown"], ["show", "calculus"],
                    ["order", "-t", TARGET, "--strategy", "levels"], ["next", "--format", "json"])


@pytest.fixture(scope="module")
def genuine_entry(workdir):
    """A folder with the small map, a cache folder, the genuine cache entry and the commands' outputs."""
    folder = write_map(workdir / "cached")
    cache_folder = workdir / "cache"
    env = {"GRAPH_CACHE_DIR": str(cache_folder)}
    result = run_inline(["--data", folder, "validate"], env=env)
    assert result.code == 0
    [entry] = cache_folder.glob("*.json")
    outputs = [run_inline(["--data", folder, *command], env=env) for command in _CACHED_COMMANDS]
    return folder, cache_folder, entry, entry.read_bytes(), [(r.code, r.stdout, r.stderr) for r in outputs]


@fuzz(200)
@given(st.data())
def test_forged_cache_entries(genuine_entry, data):
    """An entry forged without the user's secret, any part replaced: never a crash, never its data in the output."""
    folder, cache_folder, entry, genuine, outputs = genuine_entry
    forged = json.loads(genuine.partition(b"\n")[2])
    paths = list(_leaves(forged))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        value = data.draw(json_values)
        try:
            node = forged
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):  # an earlier change replaced a parent
            continue
    body = json.dumps(forged).encode()
    secret = data.draw(st.sampled_from([None, b"\0" * 32]) | st.binary(min_size=32, max_size=32))
    seal = hashlib.sha256(body) if secret is None else hmac.new(secret, body, hashlib.sha256)
    entry.write_bytes(seal.hexdigest().encode() + b"\n" + body)
    env = {"GRAPH_CACHE_DIR": str(cache_folder)}
    for command, expected in zip(_CACHED_COMMANDS, outputs):
        result = run_inline(["--data", folder, *command], env=env)
        assert (result.code, result.stdout, result.stderr) == expected, command
    entry.write_bytes(genuine)


_NESTINGS = {
    "flow-seq": (b"[", b"", b"]"), "flow-map": (b"{k: ", b"", b"}"), "compact-seq": (b"- ", b"", b""),
    "explicit-key": (b"? ", b"", b""), "indented-map": (b"k:", b"{indent}", b""),
    "seq-of-maps": (b"- k:", b"{indent}  ", b""),
}


@fuzz(12)
@given(st.sampled_from(sorted(_NESTINGS)), st.integers(101, 40_000), st.sampled_from([b"\n", b"\r\n", b"\r", "\u2028".encode()]),
       st.sampled_from(["nodes", "edges", "progress"]), st.booleans())
def test_deep_nesting_in_a_subprocess(workdir, style, depth, newline, where, closed):
    """Any style of deep nesting, at any depth over the limit, in any file: one error, no crash."""
    opener, indent, closer = _NESTINGS[style]
    if indent:  # one level per line, each indented further (kept under a few megabytes)
        depth = min(depth, 2_000)
        body = b"".join(indent.replace(b"{indent}", b" " * i) + opener + newline for i in range(depth))
    else:
        body = opener * depth + b"x" + (closer * depth if closed else b"") + newline
    key = {"nodes": b"nodes:", "edges": b"edges:", "progress": b"known:"}[where]
    data = key + newline + body
    folder = write_map(workdir / "deep", SMALL_NODES, SMALL_EDGES)
    progress = workdir / "deep-progress.yaml"
    progress.write_bytes(b"known: []\n")
    (progress if where == "progress" else folder / f"{where}.yaml").write_bytes(data)
    result = run_process(["--data", folder, "--no-cache", "order", "-t", TARGET, "--progress", progress])
    # A progress file that cannot be read is a usage error (2); bad data is 1.
    assert result.code == (2 if where == "progress" else 1) and "Traceback" not in result.output, result.output[-2000:]
    shown = f"{progress}" if where == "progress" else f"{folder / where}.yaml"
    first = result.stderr.splitlines()[0]
    assert re.match(re.escape(shown) + r":\d+: error: .*(nested|YAML)", first), first


@fuzz(500)
@given(values, st.integers(2, 12), st.sampled_from([False, True, None]), st.integers(2, 6),
       st.sampled_from([b"\n", b"\r\n", b"\r"]))
def test_depth_precheck_never_misses_deep_nesting(value, limit, flow, indent, newline):
    """When the cheap pre-check of ``_too_deep`` skips the exact scan, the nesting really is within the limit."""
    data = yaml.safe_dump(value, default_flow_style=flow, indent=indent).encode().replace(b"\n", newline)
    depth = deepest = 0
    for event in yaml.parse(data):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    found = _too_deep(data, limit)
    assert (found == 0) == (deepest <= limit), (found, deepest, data)
