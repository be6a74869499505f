"""`graph build`: every output file from valid data, all or nothing, byte-identical from one build to the next."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import graph.build
from graph.cli import main
from graph.load import load_graph

NODES = """\
nodes:
  - {id: algebra, name: Algebra, kind: topic, hours: 10}
  - {id: book, name: The Book, kind: resource, url: "https://example.org/book", free: true, hours: 20}
  - {id: calculus, name: Calculus, kind: topic, hours: 30, aliases: [calc]}
  - {id: analyst, name: Analyst, kind: degree}
  - {id: engineer, name: Engineer, kind: degree}
"""
EDGES = """\
edges:
  - {from: book, to: algebra, relation: teaches}
  - {from: book, to: calculus, relation: teaches}
  - {from: algebra, to: calculus}
  - {from: calculus, to: analyst, relation: combines-into}
  - {from: algebra, to: engineer}
"""
OWNED = ["graph.html", "graph.json", "graph.graphml", "graph.dot", "graph.mmd",
         "plans/analyst.md", "plans/analyst.json", "plans/engineer.md", "plans/engineer.json"]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))


def write_data(folder: Path, nodes: str = NODES, edges: str = EDGES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nodes.yaml").write_text(nodes, encoding="utf-8")
    (folder / "edges.yaml").write_text(edges, encoding="utf-8")
    return folder


@pytest.fixture
def data(tmp_path) -> Path:
    return write_data(tmp_path / "data")


def run(data: Path, *args: str):
    result = CliRunner().invoke(main, ["--data", str(data), *args])
    assert "Traceback" not in result.output
    return result


def snapshot(folder: Path) -> dict:
    """Every file below ``folder`` (hidden ones included) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def rename_algebra(data: Path) -> None:
    """Change the data so that every output file would change."""
    (data / "nodes.yaml").write_text(NODES.replace("name: Algebra", "name: Algebra II"), encoding="utf-8")


def test_build_writes_the_map_every_degree_plan_and_every_export(data, tmp_path):
    out = tmp_path / "out"
    result = run(data, "build", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(snapshot(out)) == sorted([*OWNED, ".graph-build.json"])
    for name in OWNED:
        assert f"wrote {out / name} (" in result.output
    assert result.output.splitlines()[-1].startswith(f"built {out}: 9 files (9 changed) from 5 nodes, 5 edges in ")
    # The plans are what `graph order` prints; the exports what `graph export` prints.
    for degree in ("analyst", "engineer"):
        for fmt, suffix in (("markdown", "md"), ("json", "json")):
            order = run(data, "order", "--target", degree, "--format", fmt).output
            assert (out / "plans" / f"{degree}.{suffix}").read_text(encoding="utf-8") == order
    for fmt, name in graph.build.EXPORT_FORMATS.items():
        assert (out / name).read_text(encoding="utf-8") == run(data, "export", "--format", fmt).output


def test_build_writes_the_html_map_of_the_whole_graph(data, tmp_path):
    from graph.render.html import render_html

    run(data, "build", "--out", str(tmp_path / "out"))
    page = (tmp_path / "out" / "graph.html").read_text(encoding="utf-8")
    assert page == render_html(load_graph(data, use_cache=False))
    assert "Calculus" in page


def test_build_of_invalid_data_writes_nothing_and_names_file_and_line(data, tmp_path):
    out = tmp_path / "out"
    assert run(data, "build", "--out", str(out)).exit_code == 0
    before = snapshot(out)
    (data / "edges.yaml").write_text(EDGES + "  - {from: calculus, to: algebra}\n", encoding="utf-8")
    result = run(data, "build", "--out", str(out))
    assert result.exit_code == 1
    assert f"{data / 'edges.yaml'}:4: error: cycle: algebra -> calculus -> algebra" in result.output
    assert snapshot(out) == before
    fresh = tmp_path / "fresh"
    assert run(data, "build", "--out", str(fresh)).exit_code == 1 and not fresh.exists()


def test_build_refuses_an_out_folder_inside_the_data_folder(data):
    result = run(data, "build", "--out", str(data / "out"))
    assert result.exit_code == 2 and "--out" in result.output and "inside the data folder" in result.output
    assert sorted(p.name for p in data.iterdir()) == ["edges.yaml", "nodes.yaml"]


@pytest.mark.parametrize("command, option, proposed", [
    (["build"], "--output", "../data-out"),
    (["html"], "--output", "../data-out/graph.html"),
    (["export", "--output", "map.json"], "--output", "../data-out/map.json"),
])
def test_a_refused_output_proposes_a_place_beside_the_map_that_works(data, monkeypatch, command, option, proposed):
    """Inside the map's own folder the default out/ is refused; the message says where to write instead."""
    monkeypatch.chdir(data)
    refused = CliRunner().invoke(main, command)
    assert refused.exit_code == 2
    assert f"write beside it instead: {option} {proposed}" in refused.output, refused.output
    assert CliRunner().invoke(main, [command[0], option, proposed]).exit_code == 0
    written = data.parent / proposed.removeprefix("../")
    assert (written / "graph.html" if command == ["build"] else written).is_file()
    assert sorted(p.name for p in data.iterdir()) == ["edges.yaml", "nodes.yaml"]


def test_build_into_a_file_or_an_unwritable_place_is_a_clear_error(data, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert "is a file" in run(data, "build", "--out", str(blocker)).output
    result = run(data, "build", "--out", str(blocker / "out"))
    assert result.exit_code == 1 and "--out: cannot create the output folder" in result.output
    out = tmp_path / "out"
    (out / "graph.dot").mkdir(parents=True)
    result = run(data, "build", "--out", str(out))
    assert result.exit_code == 1 and f"cannot write '{out / 'graph.dot'}': a folder or file is in the way" in result.output
    assert sorted(snapshot(out)) == []


def test_two_builds_give_byte_identical_files_whatever_the_hash_seed_or_cache(data, tmp_path):
    outs = []
    for seed in ("1", "2", "3"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "GRAPH_CACHE_DIR": str(tmp_path / "cache")}
        cache = ["--no-cache"] if seed == "3" else []  # seed 1 fills the cache, 2 reads it, 3 parses again
        done = subprocess.run([sys.executable, "-m", "graph", "--data", str(data), *cache, "build", "--out", str(out)],
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        outs.append(snapshot(out))
    assert outs[0] == outs[1] == outs[2]
    assert len(outs[0]) == len(OWNED) + 1


def test_a_repeated_build_rewrites_only_what_changed(data, tmp_path):
    out = tmp_path / "out"
    run(data, "build", "--out", str(out))
    stamps = {name: (out / name).stat().st_ino for name in OWNED}
    (data / "nodes.yaml").write_text(NODES.replace("name: Engineer", "name: Engineer II"), encoding="utf-8")
    result = run(data, "build", "--out", str(out))
    rewritten = {name for name in OWNED if (out / name).stat().st_ino != stamps[name]}
    assert "plans/engineer.md" in rewritten and "plans/analyst.md" not in rewritten
    assert f"unchanged {out / 'plans' / 'analyst.md'} (" in result.output
    assert f"wrote {out / 'plans' / 'engineer.md'} (" in result.output
    assert run(data, "build", "--out", str(out), "--quiet").output.startswith(f"built {out}: 9 files (0 changed)")


def test_build_keeps_files_it_does_not_own_and_drops_plans_of_removed_degrees(data, tmp_path):
    out = tmp_path / "out"
    (out / "plans").mkdir(parents=True)
    (out / "notes.txt").write_text("mine")
    (out / "plans" / "my-plan.md").write_text("mine too")
    run(data, "build", "--out", str(out))
    (data / "nodes.yaml").write_text(NODES.replace("kind: degree}\n  - {id: engineer, name: Engineer, kind: degree}",
                                                   "kind: degree}\n  - {id: engineer, name: Engineer, kind: topic}"))
    assert run(data, "build", "--out", str(out)).exit_code == 0
    files = snapshot(out)
    assert "plans/engineer.md" not in files and "plans/engineer.json" not in files
    assert "plans/analyst.md" in files
    assert files["notes.txt"] == b"mine" and files["plans/my-plan.md"] == b"mine too"
    assert json.loads(files[".graph-build.json"])["files"] == sorted(n for n in OWNED if "engineer." not in n)


# --- all or nothing ------------------------------------------------------------------------------------------------

def test_a_renderer_failing_half_way_leaves_the_previous_build_intact(data, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run(data, "build", "--out", str(out))
    before = snapshot(out)
    rename_algebra(data)

    def broken(graph):
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(graph.render.mermaid, "graph_mermaid", broken)  # after graph.html, .json, .graphml, .dot
    result = run(data, "build", "--out", str(out))
    assert result.exit_code == 3 and "internal error (RuntimeError: renderer bug)" in result.output
    assert snapshot(out) == before


def test_a_failure_while_moving_files_into_place_puts_the_old_ones_back(data, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run(data, "build", "--out", str(out))
    before = snapshot(out)
    rename_algebra(data)
    real, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 4:
            raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(graph.build.os, "replace", failing_replace)
    result = run(data, "build", "--out", str(out))
    assert result.exit_code == 1 and "--out: cannot write into" in result.output
    assert "No space left on device" in result.output
    assert snapshot(out) == before


KILL_AT_THIRD_FILE = """
import os, signal, sys
import graph.build
real, calls = graph.build._stage, []

def stage(path, data):
    calls.append(path)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    real(path, data)

graph.build._stage = stage
from graph.cli import main
main(sys.argv[1:])
"""


def test_a_build_killed_between_files_leaves_the_previous_build_and_the_next_build_cleans_up(data, tmp_path):
    out = tmp_path / "out"
    run(data, "build", "--out", str(out))
    before = snapshot(out)
    rename_algebra(data)
    env = {**os.environ, "GRAPH_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(KILL_AT_THIRD_FILE), "--data", str(data), "build",
                           "--out", str(out)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    leftovers = [p for p in out.iterdir() if p.name.startswith(graph.build.STAGING_PREFIX)]
    assert len(leftovers) == 1  # hidden, and only the killed build's own
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(graph.build.STAGING_PREFIX)} == before
    assert run(data, "build", "--out", str(out)).exit_code == 0
    assert not [p for p in out.iterdir() if p.name.startswith(graph.build.STAGING_PREFIX)]
    assert b"Algebra II" in (out / "graph.json").read_bytes()


def test_a_second_build_into_the_same_folder_at_once_is_refused(data, tmp_path):
    fcntl = pytest.importorskip("fcntl", reason="the folder lock uses flock, which this system lacks")
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a running build holds it
        result = run(data, "build", "--out", str(out))
    finally:
        os.close(fd)
    assert result.exit_code == 1 and "another 'graph build' is writing to" in result.output
    assert snapshot(out) == {}
