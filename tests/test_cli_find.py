"""Finding things: 'graph list', 'graph search', and shell completion of ids through click's completion."""

from __future__ import annotations

import json

import pytest

from cli_helpers import BUNDLED, MAP, graph, process
from graph.load import load


@pytest.fixture(autouse=True)
def _clean_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("GRAPH_PROGRESS", "GRAPH_DATA", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


# --- list ----------------------------------------------------------------------------------------------------------

def test_list_shows_every_node_in_file_order_with_kind_and_area():
    lines = graph("--data", MAP, "list").stdout.splitlines()
    assert lines[:2] == ["algebra: Algebra [topic · basics]", "calculus: Calculus [topic · calculus]"]
    assert [line.split(":")[0] for line in lines] == list(load(MAP).graph)


def test_list_narrows_by_kind_and_area():
    assert graph("--data", MAP, "list", "--kind", "resource", "--area", "linear-algebra").exit_code == 1
    assert graph("--data", MAP, "list", "--kind", "degree").stdout == "developer: Developer [degree]\n"
    data = json.loads(graph("--data", MAP, "list", "--area", "calculus", "--format", "json").stdout)
    assert [(n["id"], n["kind"], n["area"], n["hours"]) for n in data["nodes"]] == [
        ("calculus", "topic", "calculus", 20), ("optimization", "topic", "calculus", 10)]
    degrees = json.loads(graph("--data", BUNDLED, "list", "--kind", "degree", "--format", "json").stdout)
    assert [n["id"] for n in degrees["nodes"]] == ["practitioner", "developer", "researcher"]


def test_list_of_an_unknown_area_is_a_usage_error_with_a_suggestion():
    result = graph("--data", MAP, "list", "--area", "calculsu")
    assert result.exit_code == 2
    assert "no node has area 'calculsu'; did you mean 'calculus'?" in result.stderr


# --- search --------------------------------------------------------------------------------------------------------

def test_search_ranks_ids_names_and_aliases_above_summaries():
    found = json.loads(graph("--data", BUNDLED, "search", "gradient", "--format", "json").stdout)["results"]
    ids = [r["id"] for r in found]
    assert ids[0] == "gradient"  # the query is its id
    assert set(ids[1:3]) == {"gradient-boosting", "gradient-descent"}  # in their ids and names
    summaries_only = [r for r in found if r["matched"] == ["summary"]]
    assert summaries_only and found.index(summaries_only[0]) > 2
    assert [r["score"] for r in found] == sorted((r["score"] for r in found), reverse=True)
    assert {"id", "name", "kind", "area", "hours", "summary", "score", "matched"} <= set(found[0])


def test_search_needs_every_word_and_finds_aliases_and_summaries():
    text = graph("--data", BUNDLED, "search", "fourier", "transform").stdout
    assert text.splitlines()[0].startswith("fourier-transform: ")
    assert "[topic · signal-processing]" in text.splitlines()[0]
    found = json.loads(graph("--data", BUNDLED, "search", "SVD", "--format", "json").stdout)["results"]
    assert found[0]["id"] == "svd" and "aliases" in found[0]["matched"]
    kaggle = json.loads(graph("--data", BUNDLED, "search", "kaggle", "--kind", "resource", "--format",
                              "json").stdout)["results"]
    assert kaggle and all(r["kind"] == "resource" for r in kaggle)


def test_search_with_no_match_exits_1_and_says_where_it_looked():
    result = graph("--data", BUNDLED, "search", "zymurgy")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"nothing matches 'zymurgy' (in the bundled map, {BUNDLED.resolve()})\n"


def test_search_limit():
    assert len(graph("--data", BUNDLED, "search", "learning", "--limit", "3").stdout.splitlines()) == 3


# --- completion ----------------------------------------------------------------------------------------------------

def complete(words: str, env: dict | None = None) -> list[tuple[str, str]]:
    """Ask the command line to complete the last of ``words`` as bash does; return (type, value) pairs."""
    parts = words.split(" ")
    run = process(env={"_GRAPH_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1),
                       **(env or {})})
    assert run.returncode == 0, run.stderr
    return [tuple(line.split(",", 1)) for line in run.stdout.splitlines() if line]


def test_completion_of_ids_for_an_argument_of_the_bundled_map():
    assert ("plain", "calculus") in complete("graph show calc")
    assert {value for _, value in complete("graph prereqs kalman")} == {"kalman-filter"}
    ids = {value for _, value in complete("graph show ")}
    assert ids == set(load(BUNDLED).graph)


@pytest.mark.parametrize("words", ["graph order --target dev", "graph order -t dev", "graph next --target dev",
                                   "graph html -t dev", "graph path probability dev",
                                   "graph done dev", "graph export --target dev"])
def test_completion_of_ids_wherever_an_id_goes(words):
    assert ("plain", "developer") in complete(words)


def test_completion_after_a_comma_and_in_the_data_folder_given():
    assert ("plain", "limits,derivatives") in complete("graph next --known limits,deriv")
    assert [value for _, value in complete(f"graph --data {MAP} show meas")] == ["measure-theory"]
    assert complete("graph show meas") == []  # the bundled map has no measure theory


def test_completion_in_zsh_and_fish_describes_each_id():
    zsh = process(env={"_GRAPH_COMPLETE": "zsh_complete", "COMP_WORDS": "graph show rnn", "COMP_CWORD": "2"})
    assert zsh.stdout.splitlines()[:3] == ["plain", "rnn", "Recurrent neural networks"]
    fish = process(env={"_GRAPH_COMPLETE": "fish_complete", "COMP_WORDS": "graph show rnn", "COMP_CWORD": "rnn"})
    assert fish.stdout.splitlines() == ["plain,rnn\tRecurrent neural networks"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_are_available_for_each_shell(shell):
    script = process(env={"_GRAPH_COMPLETE": f"{shell}_source"})
    assert script.returncode == 0 and "_GRAPH_COMPLETE" in script.stdout


def test_completion_of_a_broken_folder_completes_nothing_and_never_fails(tmp_path):
    (tmp_path / "nodes.yaml").write_text("nodes: [")
    assert complete(f"graph --data {tmp_path} show a") == []
    assert complete("graph --data /nonexistent show a") == []
