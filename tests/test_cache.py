"""The cache of loaded data folders: fresh, tamper-proof, safe under concurrency, off with --no-cache."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph.load
from graph import cache
from graph.cli import main
from graph.load import bundled_data_dir, load

from conftest import SAMPLE_EDGES, SAMPLE_NODES, write_data

LIMIT = 20_000  # the redundant-edge limit load uses by default


@pytest.fixture()
def cache_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(folder))
    return folder


@pytest.fixture()
def data(tmp_path) -> Path:
    return write_data(tmp_path / "data", SAMPLE_NODES, SAMPLE_EDGES)


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def entry_of(data: Path) -> Path:
    return cache.cache_dir() / f"{cache.key(data / 'nodes.yaml', data / 'edges.yaml', LIMIT)}.json"


def seal(body: bytes) -> bytes:
    """The entry's first line: an HMAC-SHA256 of the body under the cache folder's secret."""
    secret = (cache.cache_dir() / "secret.key").read_bytes()
    return hmac.new(secret, body, hashlib.sha256).hexdigest().encode()


def sign(body: bytes) -> bytes:
    """An entry as the user's own tool would write it: only the user can read the secret."""
    return seal(body) + b"\n" + body


def no_parsing(monkeypatch):
    """Make any YAML parsing fail: a load that succeeds then came from the cache."""
    def refuse(*args, **kwargs):
        raise AssertionError("the YAML was parsed: the cache entry was not used")

    monkeypatch.setattr(graph.load, "read_entries", refuse)


def assert_same(a, b):
    """The two loads hold the same graph, down to the order of nodes, successors and predecessors."""
    ga, gb = a.graph, b.graph
    assert list(ga.nodes(data=True)) == list(gb.nodes(data=True))
    assert list(ga.edges(data=True)) == list(gb.edges(data=True))
    for node in ga:
        assert list(ga.pred[node].items()) == list(gb.pred[node].items()), node
        for target, attrs in gb.succ[node].items():
            assert attrs is gb.pred[target][node]  # one attribute dict per edge, as networkx keeps it
    assert a.diagnostics == b.diagnostics
    assert list(a.node_lines.items()) == list(b.node_lines.items())
    assert a.edge_lines == b.edge_lines


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("folder", ["sample", "bundled"])
def test_cached_load_equals_parsed_load(cache_folder, data, folder, monkeypatch):
    folder = data if folder == "sample" else bundled_data_dir()
    parsed = load(folder, use_cache=False)
    assert not parsed.errors
    first = load(folder)  # parses and stores
    assert len(entries(cache_folder)) == 1
    no_parsing(monkeypatch)
    again = load(folder)
    assert_same(parsed, first)
    assert_same(parsed, again)
    assert again.data_dir == folder


def test_predecessors_keep_file_order(cache_folder, tmp_path, monkeypatch):
    """Edges come back in file order, not grouped by source: the order 'show' lists prerequisites in."""
    nodes = [{"id": i, "name": i.upper(), "kind": "topic"} for i in ("a", "b", "c", "d")]
    edges = [{"from": "c", "to": "d"}, {"from": "a", "to": "d", "relation": "recommended"},
             {"from": "b", "to": "d", "why": "b first"}, {"from": "a", "to": "b"}]
    folder = write_data(tmp_path / "order", nodes, edges)
    parsed = load(folder, use_cache=False)
    load(folder)
    no_parsing(monkeypatch)
    cached = load(folder)
    assert list(cached.graph.pred["d"]) == ["c", "a", "b"] == list(parsed.graph.pred["d"])
    assert cached.graph.edges["b", "d"] == {"relation": "prerequisite", "strength": "required", "why": "b first"}
    assert cached.graph.edges["a", "d"] == {"relation": "recommended", "strength": "recommended"}
    assert_same(parsed, cached)


def test_a_changed_file_is_read_again(cache_folder, data):
    assert load(data).graph.nodes["algebra"]["name"] == "Algebra"
    nodes = [dict(n, name="Algebra II") if n["id"] == "algebra" else n for n in SAMPLE_NODES]
    write_data(data, nodes, SAMPLE_EDGES)
    assert load(data).graph.nodes["algebra"]["name"] == "Algebra II"
    write_data(data, nodes, SAMPLE_EDGES[:-1])
    assert not load(data).graph.has_edge("linear-algebra", "dl-book")
    assert len(entries(cache_folder)) == 3
    assert run("--data", data, "show", "algebra").output.startswith("Algebra II")


def _corruptions(raw: bytes, other_key: str):
    checksum, _, body = raw.partition(b"\n")
    payload = json.loads(body)

    def signed(change):
        copy = json.loads(body)
        change(copy)
        return sign(json.dumps(copy).encode())

    flipped = bytearray(raw)
    flipped[len(raw) // 2] ^= 0x04
    yield "empty", b""
    yield "truncated", raw[: len(raw) // 2]
    yield "truncated body", raw[:-1]
    yield "bit flipped", bytes(flipped)
    yield "checksum only", checksum + b"\n"
    yield "invalid JSON", sign(body[:-1] + b",")
    yield "not UTF-8", sign(b"\xff\xfe" + body)
    yield "not an object", sign(b"[1, 2, 3]")
    yield "deep nesting", sign(b"[" * 100_000 + b"]" * 100_000)
    yield "wrong key", signed(lambda p: p.update(key=other_key))
    yield "no key", signed(lambda p: p.pop("key"))
    yield "missing part", signed(lambda p: p.pop("edges"))
    yield "edge index out of range", signed(lambda p: p["edges"].__setitem__(0, 10 ** 6))
    yield "negative edge index", signed(lambda p: p["edges"].__setitem__(0, -1))
    yield "edge index not a number", signed(lambda p: p["edges"].__setitem__(0, "a"))
    yield "short arrays", signed(lambda p: p["node_lines"].pop())
    yield "repeated id", signed(lambda p: p["ids"].__setitem__(1, p["ids"][0]))
    yield "attrs not mappings", signed(lambda p: p.update(attrs=[[] for _ in p["attrs"]]))
    yield "bad diagnostic", signed(lambda p: p.update(diagnostics=[["only", "three", "fields"]]))
    yield "unknown relation code", signed(lambda p: p["relation"].__setitem__(0, 99))
    def repeat_first_edge(p):
        count = len(p["relation"])  # "edges" holds the sources, then the targets
        p["edges"][1], p["edges"][count + 1] = p["edges"][0], p["edges"][count]

    yield "repeated edge", signed(repeat_first_edge)
    assert payload["key"] != other_key


def test_a_corrupt_entry_is_ignored_and_rebuilt(cache_folder, data, tmp_path, monkeypatch):
    parsed = load(data, use_cache=False)
    load(data)
    entry = entry_of(data)
    genuine = entry.read_bytes()
    other = write_data(tmp_path / "other", SAMPLE_NODES[:3], SAMPLE_EDGES[:2])
    other_key = entry_of(other).stem
    for name, bad in _corruptions(genuine, other_key):
        entry.write_bytes(bad)
        again = load(data)
        assert_same(parsed, again)  # the entry was ignored, the data parsed
        assert entry.read_bytes() == genuine, name  # and the entry written anew
    with monkeypatch.context() as patched:
        no_parsing(patched)
        assert_same(parsed, load(data))


def test_an_entry_of_other_data_is_not_used(cache_folder, data, tmp_path):
    """An entry copied under another key (a valid checksum, the wrong key inside) is not used."""
    other = write_data(tmp_path / "other", SAMPLE_NODES[:3], SAMPLE_EDGES[:2])
    load(data)
    entry_of(other).write_bytes(entry_of(data).read_bytes())
    assert load(other).graph.number_of_nodes() == 3


def test_an_unwritable_cache_never_fails_a_command(tmp_path, monkeypatch, data):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(blocker / "cache"))
    assert not load(data).errors
    result = run("--data", data, "prereqs", "ml", "--format", "list")
    assert result.exit_code == 0, result.output


_LOADER = """
import sys
from graph.load import load
loaded = load(sys.argv[1])
assert not loaded.errors
print(loaded.graph.number_of_nodes(), loaded.graph.number_of_edges())
"""


def test_concurrent_writers_leave_a_valid_entry(cache_folder, tmp_path, monkeypatch):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.generate import generate, write

    folder = write(generate(3000, seed=11), tmp_path / "big")
    parsed = load(folder, use_cache=False)
    env = {**__import__("os").environ, "GRAPH_CACHE_DIR": str(cache_folder)}
    procs = [subprocess.Popen([sys.executable, "-c", _LOADER, str(folder)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(6)]
    results = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err[-1000:] for _, err in results]
    assert {out for out, _ in results} == {f"{parsed.graph.number_of_nodes()} {parsed.graph.number_of_edges()}\n"}
    assert [p.name for p in entries(cache_folder)] == [entry_of(folder).name]
    assert not [p for p in cache_folder.iterdir() if p.name.startswith(".tmp-")]  # no temporary file left
    raw = entry_of(folder).read_bytes()
    checksum, _, body = raw.partition(b"\n")
    assert seal(body) == checksum
    no_parsing(monkeypatch)
    assert_same(parsed, load(folder))


def test_data_with_errors_is_not_cached(cache_folder, tmp_path):
    folder = write_data(tmp_path / "bad", SAMPLE_NODES, SAMPLE_EDGES + [{"from": "ml", "to": "algebra"}])
    assert load(folder).errors  # a cycle
    assert load(folder).errors
    assert entries(cache_folder) == []
    assert run("--data", folder, "validate").exit_code == 1
    assert entries(cache_folder) == []


def test_warnings_are_cached_with_the_data(cache_folder, tmp_path, monkeypatch):
    nodes = SAMPLE_NODES + [{"id": "lonely", "name": "Lonely", "kind": "topic"}]
    folder = write_data(tmp_path / "warn", nodes, SAMPLE_EDGES)
    first = load(folder)
    assert first.warnings and not first.errors
    no_parsing(monkeypatch)
    assert load(folder).diagnostics == first.diagnostics
    result = run("--data", folder, "validate")
    assert result.exit_code == 0 and "node 'lonely' is isolated" in result.output


def test_no_cache_neither_reads_nor_writes(cache_folder, data):
    result = run("--data", data, "--no-cache", "prereqs", "ml", "--format", "list")
    assert result.exit_code == 0, result.output
    assert not cache_folder.exists()
    # A genuine entry, altered (and signed again) to say something else: read only without --no-cache.
    load(data)
    entry = entry_of(data)
    body = entry.read_bytes().partition(b"\n")[2]
    payload = json.loads(body)
    index = payload["ids"].index("algebra")
    payload["attrs"][index]["name"] = "Altered algebra"
    entry.write_bytes(sign(json.dumps(payload).encode()))
    before = entry.read_bytes(), entry.stat().st_mtime_ns
    assert "Altered algebra" in run("--data", data, "order", "-t", "ml").output  # read from the entry
    for command in (["show", "algebra"], ["validate"], ["order", "-t", "ml"]):
        result = run("--data", data, "--no-cache", *command)
        assert result.exit_code == 0, result.output
        assert "Altered" not in result.output
    assert entries(cache_folder) == [entry]
    assert (entry.read_bytes(), entry.stat().st_mtime_ns) == before


def test_an_entry_of_a_hand_made_load_keeps_its_graph(cache_folder, data, monkeypatch):
    """Edges without lines (a Loaded not made by the loader) are stored in line order, then graph order."""
    loaded = load(data, use_cache=False)
    loaded.edge_lines = {("calculus", "ml"): 5}
    nodes, edges = data / "nodes.yaml", data / "edges.yaml"
    cache.store(nodes, edges, LIMIT, loaded)
    again = cache.fetch(nodes, edges, LIMIT)
    assert list(again.graph.nodes(data=True)) == list(loaded.graph.nodes(data=True))
    assert list(again.graph.edges(data=True)) == list(loaded.graph.edges(data=True))
    assert again.edge_lines[("calculus", "ml")] == 5 and again.edge_lines[("algebra", "calculus")] == 0


def test_a_file_edited_while_it_loads_is_not_cached_under_its_new_content(cache_folder, data, monkeypatch):
    read = graph.load.read_entries

    def read_then_edit(path, *args, **kwargs):
        result = read(path, *args, **kwargs)
        if path.name == "nodes.yaml":  # an editor saves the file just after it was read
            path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        return result

    monkeypatch.setattr(graph.load, "read_entries", read_then_edit)
    load(data)
    monkeypatch.setattr(graph.load, "read_entries", read)
    assert entries(cache_folder) == []
    # the next load reads the new bytes and caches them
    load(data)
    assert entries(cache_folder) == [entry_of(data)]


def test_an_entry_forged_without_the_secret_is_not_used(cache_folder, data):
    """Whoever can write the cache folder but not read the secret cannot make the tool trust an entry."""
    load(data)
    entry = entry_of(data)
    payload = json.loads(entry.read_bytes().partition(b"\n")[2])
    payload["attrs"][payload["ids"].index("algebra")]["name"] = "Forged algebra"
    body = json.dumps(payload).encode()
    guessed = [hashlib.sha256(body).hexdigest().encode(),  # the checksum of earlier versions
               hmac.new(b"\0" * 32, body, hashlib.sha256).hexdigest().encode()]
    for first_line in guessed:
        entry.write_bytes(first_line + b"\n" + body)
        assert load(data).graph.nodes["algebra"]["name"] == "Algebra"
        assert not entry.read_bytes().startswith(first_line)  # rebuilt from the data
    entry.write_bytes(sign(body))  # the control: sealed with the user's own secret, it is read
    assert load(data).graph.nodes["algebra"]["name"] == "Forged algebra"


def test_the_secret_is_private_to_the_user(cache_folder, data):
    load(data)
    secret = cache_folder / "secret.key"
    info = secret.stat()
    assert info.st_size == 32 and info.st_mode & 0o777 == 0o600 and info.st_uid == os.getuid()
    assert cache_folder.stat().st_mode & 0o077 == 0
    first = secret.read_bytes()
    shutil.rmtree(cache_folder)
    load(data)
    assert secret.read_bytes() != first  # random, made anew


def _loosen(secret: Path) -> None:
    secret.chmod(0o644)


def _linked(secret: Path) -> None:
    target = secret.with_name("elsewhere")
    secret.rename(target)
    secret.symlink_to(target)


def _hard_linked(secret: Path) -> None:
    os.link(secret, secret.with_name("second-name"))


def _pipe(secret: Path) -> None:
    secret.unlink()
    os.mkfifo(secret)


def _short(secret: Path) -> None:
    secret.write_bytes(b"guessable")


def _other_owner(secret: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("changing a file's owner needs root (CI runs as root)")
    os.chown(secret, 65534, 65534)


@pytest.mark.parametrize("spoil", [_loosen, _linked, _hard_linked, _pipe, _short, _other_owner],
                         ids=lambda f: f.__name__.strip("_"))
def test_a_secret_that_cannot_be_trusted_turns_the_cache_off(cache_folder, data, monkeypatch, spoil):
    parsed = load(data, use_cache=False)
    load(data)
    spoil(cache_folder / "secret.key")
    before = sorted((p.name, p.stat().st_mtime_ns) for p in cache_folder.glob("*.json"))
    parses, read = [], graph.load.read_entries
    monkeypatch.setattr(graph.load, "read_entries", lambda *a, **k: parses.append(1) or read(*a, **k))
    assert_same(parsed, load(data))  # parsed again (no hang on a pipe), nothing stored under that secret
    assert parses
    assert sorted((p.name, p.stat().st_mtime_ns) for p in cache_folder.glob("*.json")) == before
    result = run("--data", data, "show", "algebra")
    assert result.exit_code == 0 and result.output.startswith("Algebra"), result.output


@pytest.mark.parametrize("folder", ["sample", "bundled"])
def test_a_plan_read_from_the_cache_is_the_same_and_needs_no_networkx(cache_folder, data, folder, tmp_path):
    """'order' reads a cached map as a NetworkX-free graph (graph.partial.Partial): its output in
    every format is the one parsed from the YAML, and NetworkX is never imported."""
    folder = data if folder == "sample" else bundled_data_dir()
    parsed = load(folder, use_cache=False).graph
    targets = [n for n in parsed if parsed.nodes[n].get("kind") == "degree"][:3] or list(parsed)[-3:]
    known = list(parsed)[:2]
    runs = [["order", "--target", t, *more] for t in targets for more in (
        ["--format", "json"], ["--format", "text"], ["--format", "markdown"], ["--strategy", "levels", "--format",
                                                                              "json"],
        ["--known", ",".join(known), "--include-recommended", "--format", "json"],
        ["--hours-per-week", "10", "--start", "2026-01-05", "--format", "ics"])]
    env = {**os.environ, "GRAPH_CACHE_DIR": str(cache_folder), "GRAPH_PROGRESS": ""}
    probe = ("import sys\nfrom graph.cli import main\ntry:\n    main(sys.argv[1:], prog_name='graph')\n"
             "except SystemExit:\n    pass\nprint(sorted(m for m in sys.modules if m.startswith('networkx')),"
             " file=sys.stderr)\n")
    subprocess.run([sys.executable, "-m", "graph", "--data", str(folder), "validate"], env=env, check=True,
                   capture_output=True)  # fills the cache
    for args in runs:
        want = subprocess.run([sys.executable, "-m", "graph", "--data", str(folder), "--no-cache", *args], env=env,
                              capture_output=True)
        got = subprocess.run([sys.executable, "-c", probe, "--data", str(folder), *args], env=env,
                             capture_output=True)
        assert got.stdout == want.stdout and got.returncode == want.returncode == 0, args
        assert got.stderr.decode().strip().splitlines()[-1] == "[]", args


def test_an_index_written_beside_a_plan_gives_the_maps_answers(cache_folder, data):
    """'order' reads the cache entry without NetworkX; the index it writes when none is there answers as the map."""
    env = {**os.environ, "GRAPH_CACHE_DIR": str(cache_folder), "GRAPH_PROGRESS": ""}

    def graph_(*args):
        return subprocess.run([sys.executable, "-m", "graph", "--data", str(data), *args], env=env,
                              capture_output=True, text=True)

    assert graph_("validate").returncode in (0, 1)
    for index in cache_folder.glob("index-*.sqlite"):
        index.unlink()
    target = list(load(data, use_cache=False).graph)[-1]
    assert graph_("order", "--target", target, "--format", "json").returncode == 0
    assert list(cache_folder.glob("index-*.sqlite"))
    nodes = list(load(data, use_cache=False).graph)
    for args in (["show", nodes[0]], ["prereqs", target, "--format", "json"], ["path", nodes[0], target],
                 ["next", "--known", nodes[0]]):
        assert graph_(*args).stdout == graph_("--no-cache", *args).stdout, args
