"""The index changes no answer: every small command prints the same, text and JSON, read from the index
as parsed from the YAML (--no-cache), on the bundled map, the fixture map and a generated one; and a
small answer imports neither NetworkX nor PyYAML nor the other outputs' renderers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph.load
from graph.cli import main
from graph.index import open_index
from graph.load import bundled_data_dir, load

from benchmarks.generate import generate, write
from cli_helpers import MAP

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module", params=["bundled", "fixture", "generated"])
def data(request, tmp_path_factory, cache) -> Path:
    if request.param == "bundled":
        folder = bundled_data_dir()
    elif request.param == "fixture":
        folder = MAP
    else:
        folder = write(generate(250, 2.8, seed=3), tmp_path_factory.mktemp("generated"))
    os.environ["GRAPH_CACHE_DIR"] = str(cache)
    try:
        assert not load(folder).errors  # writes the cache and the index
        assert open_index(folder) is not None
    finally:
        del os.environ["GRAPH_CACHE_DIR"]
    return folder


def run(data: Path, cache: Path, args: list, indexed: bool):
    options = [] if indexed else ["--no-cache"]
    result = CliRunner().invoke(main, ["--data", str(data), *options, *map(str, args)],
                                env={"GRAPH_CACHE_DIR": str(cache), "GRAPH_DEBUG": "", "GRAPH_PROGRESS": ""},
                                prog_name="graph")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def compare(data: Path, cache: Path, monkeypatch, commands: list, from_index: bool = True) -> int:
    """Run each command both ways; with ``from_index``, the indexed run may not load the map."""
    expected = [run(data, cache, args, indexed=False) for args in commands]
    if from_index:
        def refuse(*args, **kwargs):
            raise AssertionError("the map was loaded: the index did not answer")

        monkeypatch.setattr(graph.load, "load", refuse)
    for args, want in zip(commands, expected):
        assert run(data, cache, args, indexed=True) == want, args
    return len(commands)


def ids_of(data: Path) -> list[str]:
    return list(load(data, use_cache=False).graph)


def sample(items: list, n: int) -> list:
    return items[::max(1, len(items) // n)]


def test_show_is_the_same(data, cache, monkeypatch):
    nodes = sample(ids_of(data), 25)
    assert compare(data, cache, monkeypatch, [["show", n, "--format", f] for n in nodes for f in ("text", "json")])


@pytest.mark.parametrize("name", ["prereqs", "dependents"])
def test_prerequisites_and_dependents_are_the_same(data, cache, monkeypatch, name):
    nodes = sample(ids_of(data), 8)
    commands = [[name, n, "--format", f, *depth] for n in nodes for f in ("tree", "list", "json")
                for depth in ([], ["--depth", "1"])]
    commands += [[name, n, "--format", f, *options] for n in nodes[:3] for f in ("tree", "list", "json")
                 for options in (["--depth", "0"], ["--depth", "2"], ["--include-recommended", "--depth", "1"])]
    commands += [[name, n, "--charset", "ascii", "--color", "always"] for n in nodes[:2]]
    assert compare(data, cache, monkeypatch, commands)


def pairs_of(data: Path, n: int) -> list[tuple[str, str]]:
    """Pairs of nodes where one needs the other (near and far along a chain), and pairs where neither does."""
    from graph.plan import ancestors
    from graph.model import ordering_strengths

    g = load(data, use_cache=False).graph
    found = []
    for node in sample(list(g), n):
        above = sorted(ancestors(g, node, ordering_strengths(True)), key=list(g).index)
        if above:
            found += [(above[0], node), (above[-1], node), (node, above[len(above) // 2])]
    nodes = list(g)
    return found + [(nodes[0], nodes[-1]), (nodes[1], nodes[1])]


def test_path_is_the_same(data, cache, monkeypatch):
    pairs = pairs_of(data, 8)
    commands = [["path", a, b, "--format", f] for a, b in pairs for f in ("text", "json")]
    commands += [["path", a, b, "--all", "--limit", limit, *options] for a, b in pairs[:9]
                 for limit in ("3", "20") for options in ([], ["--include-recommended"], ["--through-resources"],
                                                          ["--include-recommended", "--through-resources"])]
    commands += [["path", a.upper(), b, "--format", "json"] for a, b in pairs[:3]]
    assert compare(data, cache, monkeypatch, commands)


def test_next_is_the_same(data, cache, monkeypatch, tmp_path):
    """``next`` for known sets from --known and a progress file, with a target and without one."""
    g = load(data, use_cache=False).graph
    nodes = list(g)
    some = sample(nodes, 6)
    knowns = [[], [nodes[0]], some[:2], some[2:5], [some[3].upper()], nodes[:30:3]]
    targets = [None, some[-1], some[1], nodes[-1]]
    progress = tmp_path / "progress.yaml"
    progress.write_text("known:\n" + "".join(f"  - {n}\n" for n in some[1:4]), encoding="utf-8")
    commands = [["next", *(["--known", ",".join(k)] if k else []), *(["--target", t] if t else []), *more]
                for k in knowns for t in targets for more in ([], ["--format", "json"])]
    commands += [["next", "--include-recommended", "--known", some[0], *t] for t in ([], ["--target", some[-1]])]
    commands += [["next", "--progress", progress, *t, "--format", f] for t in ([], ["--target", nodes[-1]])
                 for f in ("text", "json")]
    commands += [["next", "--progress", progress, "--known", some[0], "--target", some[-2]]]
    assert compare(data, cache, monkeypatch, commands)


def test_search_is_the_same(data, cache, monkeypatch):
    g = load(data, use_cache=False).graph
    queries = set()
    for node in sample(list(g), 12):
        attrs = g.nodes[node]
        queries |= {node, node[:3], node.split("-")[0], attrs.get("name", ""), *(attrs.get("aliases") or [])[:1]}
        if attrs.get("summary"):
            queries.add(" ".join(attrs["summary"].split()[:2]))
    queries = sorted(q for q in queries if q.strip())
    commands = [["search", *q.split(), "--format", f] for q in queries for f in ("text", "json")]
    areas = sorted({a for _, a in g.nodes(data="area") if a})
    commands += [["search", q.split()[0], "--kind", k] for q in queries[:6] for k in ("topic", "resource")]
    commands += [["search", q.split()[0], "--area", a, "--limit", "3"] for q in queries[:3] for a in areas[:2]]
    commands += [["search", "zzzz-nothing"], ["search", "Ünïcode"], ["search", "-"], ["search", "--area", "no-such",
                                                                                        "x"]]
    assert compare(data, cache, monkeypatch, commands)


def test_list_is_the_same(data, cache, monkeypatch):
    g = load(data, use_cache=False).graph
    areas = sorted({a for _, a in g.nodes(data="area") if a})
    commands = [["list", *kind, *area, "--format", f] for kind in ([], ["--kind", "topic"], ["--kind", "resource"],
                                                                    ["--kind", "degree"])
                for area in ([], *(["--area", a] for a in areas[:2])) for f in ("text", "json")]
    commands.append(["list", "--area", (areas[0] if areas else "x") + "s"])  # did you mean
    assert compare(data, cache, monkeypatch, commands)


def test_completion_is_the_same(data, cache, monkeypatch):
    nodes = sample(ids_of(data), 6)
    words = sorted({""} | {n[:k] for n in nodes for k in (1, 3)} | {n.upper()[:4] for n in nodes[:2]})
    commands = []
    for word in words:
        for line in (f"graph show {word}", f"graph prereqs {word}", f"graph next --known a,{word}"):
            commands.append(line)
    commands += ["graph list --area ", "graph search x --area m"]

    def complete(line: str, indexed: bool):
        env = {"_GRAPH_COMPLETE": "bash_complete", "COMP_WORDS": line, "COMP_CWORD": str(len(line.split(" ")) - 1),
               "GRAPH_CACHE_DIR": str(cache), "GRAPH_DATA": str(data)}
        if not indexed:
            env["GRAPH_CACHE_DIR"] = str(cache / "none")  # an empty cache folder: the map is parsed
        result = CliRunner().invoke(main, [], env=env, prog_name="graph")
        return result.exit_code, result.stdout

    expected = [complete(line, indexed=False) for line in commands]
    monkeypatch.setattr(graph.load, "load", lambda *a, **k: pytest.fail("completion loaded the map"))
    for line, want in zip(commands, expected):
        assert complete(line, indexed=True) == want, line


def test_names_the_index_does_not_know_get_the_whole_maps_answer(data, cache, monkeypatch, tmp_path):
    """An unknown or ambiguous name is answered from the whole map (its suggestions need it): the same."""
    g = load(data, use_cache=False).graph
    some = sample(list(g), 3)
    commands = [["show", n[:-1] + "x"] for n in some] + [["prereqs", n.upper() + "q"] for n in some]
    commands += [["show", "nothing-like-it"], ["dependents", ""]]
    commands += [["path", some[0][:-1] + "x", some[1]], ["path", some[0], some[1] + "q"], ["path", "", some[2]]]
    commands += [["next", "--known", some[0][:-1] + "x"], ["next", "--target", some[1] + "q"],
                 ["next", "--known", f"{some[0]},nothing-like-it", "--target", some[2]]]
    progress = tmp_path / "progress.yaml"
    progress.write_text(f"known:\n  - {some[0]}\n  - {some[1]}q\n", encoding="utf-8")
    commands += [["next", "--progress", progress], ["next", "--progress", tmp_path / "missing.yaml"]]
    broken = tmp_path / "broken.yaml"
    broken.write_text("known: [a\n", encoding="utf-8")
    commands += [["next", "--progress", broken], ["next", "--progress", broken, "--known", "nothing-like-it"]]
    assert compare(data, cache, monkeypatch, commands, from_index=False)


def test_names_in_any_case_and_aliases_resolve_from_the_index(cache, monkeypatch, data):
    g = load(data, use_cache=False).graph
    texts = [t for n, d in list(g.nodes(data=True))[:8] for t in (n.upper(), d.get("name"), *(d.get("aliases") or []))
             if isinstance(t, str)]
    unique = [t for t in texts if run(data, cache, ["show", t], indexed=False)[0] == 0]
    assert unique
    assert compare(data, cache, monkeypatch, [["show", t, "--format", "json"] for t in unique])


SMALL = [["show", "calculus"], ["path", "algebra", "calculus"], ["prereqs", "calculus", "--depth", "1"], ["dependents", "calculus", "--format", "json"],
         ["search", "calc"], ["list", "--kind", "topic"], ["next", "--known", "calculus", "--format", "json"]]


@pytest.mark.parametrize("args", SMALL, ids=lambda a: " ".join(a))
def test_a_small_answer_imports_no_networkx_yaml_or_other_renderers(tmp_path, args):
    env = {**os.environ, "GRAPH_CACHE_DIR": str(tmp_path / "cache"), "GRAPH_PROGRESS": ""}
    subprocess.run([sys.executable, "-m", "graph", "--data", str(MAP), "validate"], env=env, check=True,
                   capture_output=True)
    probe = ("import sys\nfrom graph.cli import main\ntry:\n    main(sys.argv[1:], prog_name='graph')\n"
             "except SystemExit:\n    pass\nprint(repr(sorted(m for m in sys.modules if "
             "m.split('.')[0] in ('networkx', 'yaml', 'pyvis', 'jinja2') or m.startswith('graph.render.') and m "
             "not in ('graph.render.text', 'graph.render.json', 'graph.render.style'))), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe, "--data", str(MAP), *args], env=env, capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout  # the answer
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_no_cache_reads_no_index(tmp_path):
    """An index that says something else (altered by hand) is read without --no-cache, never with it."""
    import sqlite3

    from graph.index import location

    env = {"GRAPH_CACHE_DIR": str(tmp_path / "cache")}
    os.environ.update(env)
    try:
        assert not load(MAP).errors
        with sqlite3.connect(location(MAP)) as db:
            db.execute("UPDATE nodes SET attrs = json_set(attrs, '$.name', 'Altered') WHERE id = 'calculus'")
        assert run(MAP, tmp_path / "cache", ["show", "calculus"], indexed=True)[1].startswith("Altered (calculus)")
        assert not run(MAP, tmp_path / "cache", ["show", "calculus"], indexed=False)[1].startswith("Altered")
    finally:
        del os.environ["GRAPH_CACHE_DIR"]


def test_a_reach_of_more_than_a_quarter_of_a_large_map_is_answered_from_the_whole_map(data, cache, monkeypatch):
    """What most of the map needs (or a way through most of it) is read faster from the cache entry than row
    by row from the index: such an answer loads the map, and says the same."""
    from graph.plan import ancestors
    from graph.model import ordering_strengths

    monkeypatch.setattr("graph.indexquery._MOST_NODES", 0)  # the bundled and generated maps count as large
    g = load(data, use_cache=False).graph
    deepest = max(g, key=lambda n: len(ancestors(g, n, ordering_strengths())))
    assert len(ancestors(g, deepest, ordering_strengths())) > len(g) // 4
    loads = []
    real = graph.load.load
    monkeypatch.setattr(graph.load, "load", lambda *a, **k: loads.append(1) or real(*a, **k))
    from graph.plan import descendants

    widest = max(g, key=lambda n: len(descendants(g, n, ordering_strengths())))
    assert len(descendants(g, widest, ordering_strengths())) > len(g) // 4
    commands = [["prereqs", deepest, "--format", f] for f in ("tree", "list", "json")] + \
        [["dependents", widest, "--format", f] for f in ("tree", "list", "json")]
    assert compare(data, cache, monkeypatch, commands, from_index=False)
    assert len(loads) >= 2 * len(commands)  # the indexed runs loaded the map too
