"""Terminal conventions: colour (--color, NO_COLOR), --charset ascii, exit codes, JSON reports, the README table."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import click
import pytest

from cli_helpers import BUNDLED, MAP, SCRIPT, graph
from graph.cli import EXIT_CODES, main
from graph.progress import read_progress

README = Path(__file__).parent.parent / "README.md"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(autouse=True)
def _clean_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("GRAPH_PROGRESS", "GRAPH_DATA", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


# --- colour --------------------------------------------------------------------------------------------------------

COLOURED = [["show", "ml"], ["prereqs", "developer"], ["order", "-t", "developer"], ["next"], ["list"],
            ["search", "algebra"], ["path", "algebra", "developer"], ["prereqs", "ml", "--format", "list"]]


@pytest.mark.parametrize("command", COLOURED)
def test_color_always_colours_and_never_does_not(command):
    coloured = graph("--data", MAP, "--color", "always", *command).stdout
    assert ANSI.search(coloured), coloured
    plain = graph("--data", MAP, *command, "--color", "never").stdout
    assert not ANSI.search(plain)
    assert ANSI.sub("", coloured) == plain  # colour changes nothing else


def test_output_to_a_pipe_has_no_colour():
    assert not ANSI.search(graph("--data", MAP, "show", "ml").stdout)


def _on_a_terminal(*args, env: dict | None = None) -> str:
    """Run ``graph ARGS`` with its standard output on a pseudo-terminal; return what it printed."""
    pty = pytest.importorskip("pty", reason="pseudo-terminals are a POSIX feature")
    leader, follower = pty.openpty()
    environment = {**os.environ, "TERM": "xterm", "GRAPH_DEBUG": ""}
    environment.pop("NO_COLOR", None)
    child = subprocess.Popen([*SCRIPT, *map(str, args)], stdout=follower, stderr=subprocess.DEVNULL,
                             env={**environment, **(env or {})})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the child is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert child.wait(timeout=60) == 0
    return b"".join(chunks).decode()


def test_a_terminal_gets_colour_unless_no_color_or_a_dumb_terminal():
    assert ANSI.search(_on_a_terminal("--data", MAP, "show", "ml"))
    assert not ANSI.search(_on_a_terminal("--data", MAP, "show", "ml", env={"NO_COLOR": "1"}))
    assert not ANSI.search(_on_a_terminal("--data", MAP, "show", "ml", env={"TERM": "dumb"}))
    assert not ANSI.search(_on_a_terminal("--data", MAP, "--color", "never", "show", "ml"))
    assert ANSI.search(_on_a_terminal("--data", MAP, "show", "ml", env={"NO_COLOR": ""}))  # empty: unset


def test_an_explicit_color_always_wins_over_no_color():
    assert ANSI.search(graph("--data", MAP, "--color", "always", "show", "ml", env={"NO_COLOR": "1"}).stdout)


def test_errors_are_coloured_on_stderr_when_asked(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "nodes.yaml").write_text("nodes:\n  - {id: a, name: A, kind: topik}\n")
    (bad / "edges.yaml").write_text("edges: []\n")
    result = graph("--data", bad, "--color", "always", "next")
    assert "\x1b[1;31merror\x1b[0m: unknown kind" in result.stderr
    assert "\x1b[" not in graph("--data", bad, "next").stderr


# --- charset -------------------------------------------------------------------------------------------------------

def test_charset_ascii_draws_trees_in_ascii():
    utf8 = graph("--data", MAP, "prereqs", "developer").stdout
    ascii_tree = graph("--data", MAP, "prereqs", "developer", "--charset", "ascii").stdout
    assert ascii_tree.isascii() and not utf8.isascii()
    assert ascii_tree.splitlines()[:4] == [
        "developer: Developer",
        "|-- linear-algebra: Linear algebra",
        "|   `-- algebra: Algebra",
        "`-- ml: Machine learning",
    ]
    assert ascii_tree == utf8.replace("├── ", "|-- ").replace("└── ", "`-- ").replace("│   ", "|   ")
    assert graph("--data", MAP, "dependents", "algebra", "--charset", "ascii").stdout.isascii()


# --- exit codes ----------------------------------------------------------------------------------------------------

def test_exit_codes_are_listed_in_help_and_readme_and_are_the_codes_used(tmp_path):
    help_text = graph("--help").stdout
    readme = README.read_text(encoding="utf-8")
    for code, meaning in EXIT_CODES.items():
        assert f"  {code:<4} {meaning}" in help_text
        assert f"| {code} | {meaning} |" in readme
    assert graph("--data", MAP, "show", "ml").exit_code == 0
    assert graph("--data", MAP / "missing", "show", "ml").exit_code == 2
    assert graph("--data", MAP, "show", "nope").exit_code == 2
    assert graph("--data", MAP, "next", "--progress", tmp_path / "none.yaml").exit_code == 2
    assert graph("--data", MAP, "path", "developer", "algebra").exit_code == 1
    assert graph("--data", MAP, "search", "zzzz").exit_code == 1
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "nodes.yaml").write_text("nodes: [")
    assert graph("--data", broken, "next").exit_code == 1


# --- JSON from every command that reports something ----------------------------------------------------------------

def test_done_reports_in_json(tmp_path):
    progress = tmp_path / "p.yaml"
    first = json.loads(graph("--data", MAP, "done", "calculus", "--progress", progress, "--format", "json").stdout)
    assert first == {"progress": str(progress), "created": True, "added": ["calculus"], "already_known": [],
                     "known": ["calculus"], "marked": 1, "known_with_what_they_need": 2}
    undo = json.loads(graph("--data", MAP, "done", "--undo", "calculus", "ml", "--progress", progress,
                            "--format", "json").stdout)
    assert undo == {"progress": str(progress), "created": False, "removed": ["calculus"], "not_known": ["ml"],
                    "removed_with_them": [], "through": {}, "known": [], "marked": 0,
                    "known_with_what_they_need": 0}
    assert read_progress(progress) == []


def test_html_build_and_export_report_in_json(tmp_path):
    page = json.loads(graph("--data", MAP, "html", "--out", tmp_path / "a.html", "-t", "ml", "--known", "algebra",
                            "--format", "json").stdout)
    assert page["out"] == str(tmp_path / "a.html") and page["bytes"] == (tmp_path / "a.html").stat().st_size
    assert (page["target"], page["steps"], page["known"], page["data"]) == ("ml", 4, ["algebra"], str(MAP.resolve()))

    built = json.loads(graph("--data", MAP, "build", "--out", tmp_path / "site", "--format", "json").stdout)
    assert (built["nodes"], built["edges"], built["changed"]) == (14, 21, len(built["files"]))
    for item in built["files"]:
        assert Path(item["path"]).stat().st_size == item["bytes"]
    again = json.loads(graph("--data", MAP, "build", "--out", tmp_path / "site", "--format", "json").stdout)
    assert again["changed"] == 0 and [f["name"] for f in again["files"]] == [f["name"] for f in built["files"]]

    exported = json.loads(graph("--data", MAP, "export", "--output", tmp_path / "m.graphml", "--report",
                                "json").stdout)
    assert exported == {"output": str(tmp_path / "m.graphml"), "format": "graphml",
                        "bytes": (tmp_path / "m.graphml").stat().st_size, "target": None, "data": str(MAP.resolve())}
    refused = graph("--data", MAP, "export", "--format", "json", "--report", "json")
    assert refused.exit_code == 2 and "--report json reports a file written: give --output FILE" in refused.stderr


@pytest.mark.parametrize("command", ["validate", "order", "prereqs", "dependents", "path", "next", "show", "list",
                                     "search", "done", "html", "build"])
def test_every_reporting_command_offers_json(command):
    formats = {p.name: p for p in main.commands[command].params}["fmt"]
    assert "json" in formats.type.choices


# --- the README's command table ------------------------------------------------------------------------------------

GLOBAL = {"--data", "--no-cache", "--color", "--help"}


def _readme_rows() -> dict[str, str]:
    section = README.read_text(encoding="utf-8").split("## Commands", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| `graph ([a-z][a-z-]*)(.*?)` \|", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def test_the_readme_command_table_lists_every_command_and_option():
    rows = _readme_rows()
    assert set(rows) == set(main.commands)
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param, click.Option):
                options = set(param.opts + param.secondary_opts) - GLOBAL
                long = [o for o in options if o.startswith("--")]
                assert not long or any(o in rows[name] for o in long), (name, long)
                if isinstance(param.type, click.Choice) and long and "--format" in long:
                    for choice in param.type.choices:
                        assert choice in rows[name], (name, choice)
    section = README.read_text(encoding="utf-8").split("## Commands", 1)[1]
    for option in ("--data", "--no-cache", "--color"):
        assert option in section
