"""`graph diff OLD NEW`: each kind of change, the plans it moves, the errors it brings, in three formats."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_EDGES, SAMPLE_NODES, write_data
from graph.cli import main


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))


def run(*args: str, cwd=None):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def folders(tmp_path, change):
    """The sample map as OLD, and as NEW after ``change(nodes, edges)``."""
    nodes, edges = copy.deepcopy(SAMPLE_NODES), copy.deepcopy(SAMPLE_EDGES)
    change(nodes, edges)
    return write_data(tmp_path / "old", SAMPLE_NODES, SAMPLE_EDGES), write_data(tmp_path / "new", nodes, edges)


def diff_json(old, new, *args):
    result = run("diff", str(old), str(new), "--format", "json", *args)
    return result.exit_code, json.loads(result.output)


def node(nodes, node_id):
    return next(n for n in nodes if n["id"] == node_id)


def test_identical_maps_exit_0_and_say_no_changes(tmp_path):
    old, new = folders(tmp_path, lambda nodes, edges: None)
    result = run("diff", str(old), str(new))
    assert result.exit_code == 0
    assert result.output == f"{old} -> {new}: no changes\n"
    code, data = diff_json(old, new)
    assert code == 0 and data["changed"] is False
    assert [p["target"] for p in data["plans"]] == ["ml-engineer"]


def test_a_node_added_removed_and_changed_field_by_field(tmp_path):
    def change(nodes, edges):
        nodes.append({"id": "optimization", "name": "Optimization", "kind": "topic", "hours": 15})
        edges.append({"from": "calculus", "to": "optimization"})
        edges.append({"from": "optimization", "to": "ml"})
        nodes.remove(node(nodes, "history"))
        edges[:] = [e for e in edges if "history" not in (e["from"], e["to"])]
        node(nodes, "probability")["hours"] = 24
        node(nodes, "probability")["summary"] = "Chance, made exact."
        del node(nodes, "algebra")["aliases"]

    code, data = diff_json(*folders(tmp_path, change))
    assert code == 1
    assert data["nodes_added"] == [{"id": "optimization", "name": "Optimization", "kind": "topic", "hours": 15}]
    assert [n["id"] for n in data["nodes_removed"]] == ["history"]
    assert data["nodes_changed"] == [
        {"id": "algebra", "fields": {"aliases": {"old": ["elementary algebra"], "new": None}}},
        {"id": "probability", "fields": {"hours": {"old": 20, "new": 24},
                                         "summary": {"old": None, "new": "Chance, made exact."}}},
    ]
    assert [(e["from"], e["to"]) for e in data["edges_added"]] == [("calculus", "optimization"), ("optimization", "ml")]
    assert [(e["from"], e["to"], e["relation"]) for e in data["edges_removed"]] == [("history", "ml", "recommended")]


def test_an_edge_changed_field_by_field(tmp_path):
    def change(nodes, edges):
        edge = next(e for e in edges if (e["from"], e["to"]) == ("algebra", "calculus"))
        edge["why"] = "Calculus is algebra with limits."
        edge["relation"] = "theory-behind"

    code, data = diff_json(*folders(tmp_path, change))
    assert code == 1
    assert data["edges_changed"] == [{"from": "algebra", "to": "calculus", "fields": {
        "relation": {"old": "prerequisite", "new": "theory-behind"},
        "why": {"old": "Calculus manipulates algebraic expressions.", "new": "Calculus is algebra with limits."}}}]
    assert not data["nodes_changed"] and not data["edges_added"] and not data["edges_removed"]


def test_what_each_plan_gains_and_loses_in_steps_and_hours(tmp_path):
    # The degree stops needing deep learning and needs statistics directly; probability takes longer.
    def change(nodes, edges):
        edges[:] = [e for e in edges if (e["from"], e["to"]) != ("deep-learning", "ml-engineer")]
        edges.append({"from": "statistics", "to": "ml-engineer"})
        node(nodes, "probability")["hours"] = 26

    old, new = folders(tmp_path, change)
    code, data = diff_json(old, new)
    (plan,) = data["plans"]
    # OLD: algebra 10, calculus 40, linear-algebra 30, probability 20, statistics 25, ml 60, deep-learning 50.
    assert plan["old"] == {"steps": 8, "hours": 235, "steps_without_hours": 0}
    # NEW: algebra, calculus, probability (26), statistics and the degree.
    assert plan["new"] == {"steps": 5, "hours": 101, "steps_without_hours": 0}
    assert plan["gained"] == [] and plan["lost"] == ["linear-algebra", "ml", "deep-learning"]
    text = run("diff", str(old), str(new)).output
    assert "  ml-engineer (ML engineer): 8 -> 5 steps (-3), 235 h -> 101 h (-134 h)\n" \
           "      loses: linear-algebra, ml, deep-learning\n" in text
    # --target compares other plans, here one the change makes longer.
    code, data = diff_json(old, new, "--target", "statistics")
    assert [(p["target"], p["old"]["hours"], p["new"]["hours"], p["gained"]) for p in data["plans"]] == \
        [("statistics", 95, 101, [])]


def test_a_new_degree_and_a_gained_step(tmp_path):
    def change(nodes, edges):
        nodes.append({"id": "statistician", "name": "Statistician", "kind": "degree"})
        edges.append({"from": "statistics", "to": "statistician"})
        nodes.append({"id": "measure-theory", "name": "Measure theory", "kind": "topic", "hours": 30})
        edges.append({"from": "measure-theory", "to": "probability"})

    code, data = diff_json(*folders(tmp_path, change))
    plans = {p["target"]: p for p in data["plans"]}
    assert plans["statistician"]["old"] is None and plans["statistician"]["new"]["steps"] == 6
    assert plans["ml-engineer"]["gained"] == ["measure-theory"]
    assert plans["ml-engineer"]["new"]["hours"] - plans["ml-engineer"]["old"]["hours"] == 30


def test_a_cycle_introduced_is_reported_and_plans_are_not_compared(tmp_path):
    def change(nodes, edges):
        edges.append({"from": "ml", "to": "algebra"})

    old, new = folders(tmp_path, change)
    code, data = diff_json(old, new)
    # The side with the cycle is named as the reviewer named it, not as OLD or NEW.
    assert code == 1 and data["plans"] == [] and data["plans_skipped"] == f"{new} has a cycle"
    (problem,) = data["introduced"]
    assert problem["level"] == "error" and problem["path"] == str(new / "edges.yaml")
    assert problem["message"].startswith("cycle: algebra -> calculus")
    # The reverse change fixes it.
    code, data = diff_json(new, old)
    assert [p["message"] for p in data["fixed"]] == [problem["message"]]


def test_errors_are_matched_by_message_not_by_line(tmp_path):
    # The same unknown field before and after, moved down by an added node: not a new problem.
    def broken(nodes):
        node(nodes, "ml")["dificulty"] = "hard"

    def change(nodes, edges):
        broken(nodes)
        nodes.insert(0, {"id": "logic", "name": "Logic", "kind": "topic"})
        edges.append({"from": "logic", "to": "algebra"})

    nodes = copy.deepcopy(SAMPLE_NODES)
    broken(nodes)
    old = write_data(tmp_path / "old", nodes, SAMPLE_EDGES)
    new_nodes, new_edges = copy.deepcopy(SAMPLE_NODES), copy.deepcopy(SAMPLE_EDGES)
    change(new_nodes, new_edges)
    new = write_data(tmp_path / "new", new_nodes, new_edges)
    code, data = diff_json(old, new)
    assert code == 1 and data["introduced"] == [] and data["fixed"] == []


def test_markdown_for_a_pull_request_escapes_the_data(tmp_path):
    def change(nodes, edges):
        node(nodes, "ml")["name"] = "ML <img src=x onerror=alert(1)> | @everyone [x](javascript:alert(1))"
        edges.append({"from": "history", "to": "dl-book", "why": "see #1 *now*"})  # a resource: no plan moves

    old, new = folders(tmp_path, change)
    result = run("diff", str(old), str(new), "--format", "markdown")
    assert result.exit_code == 1
    text = result.output
    assert text.startswith("### Map changes: nodes: 1 changed; edges: 1 added")
    # Every character that could make HTML, a mention or a link is escaped.
    assert not re.search(r"(?<!\\)[<>@\[\]|]", text)
    assert "\\<img src=x onerror=alert(1)\\> \\| \\@everyone \\[x\\](javascript:alert(1))" in text
    assert "#### Study plans" not in text
    assert '"see \\#1 \\*now\\*"' not in text  # an added edge shows its relation, not its reason
    assert "- **added** history -\\> dl-book (prerequisite)" in text


def test_markdown_plan_table(tmp_path):
    def change(nodes, edges):
        edges.append({"from": "history", "to": "deep-learning"})

    result = run("diff", *map(str, folders(tmp_path, change)), "--format", "markdown")
    assert "| ML engineer (ml-engineer) | 8 -> 9 (+1) | 235 h -> 238 h (+3 h) | history | – |" in result.output


def test_terminal_text_escapes_control_characters(tmp_path):
    def change(nodes, edges):
        node(nodes, "ml")["summary"] = "red \x1b[31m text\x9b"

    result = run("diff", *map(str, folders(tmp_path, change)))
    assert "\x1b" not in result.output and "\x9b" not in result.output
    assert 'summary: (none) -> "red \\u001b[31m text\\u009b"' in result.output


def test_unreadable_sides_exit_2_with_a_clear_message(tmp_path):
    old, _ = folders(tmp_path, lambda n, e: None)
    empty = tmp_path / "empty"
    empty.mkdir()
    for args, message in (
            ([str(old), str(tmp_path / "missing")], "NEW: '" + str(tmp_path / "missing") + "' is neither a data folder"),
            ([str(empty), str(old)], f"OLD: '{empty}' holds no nodes.yaml"),
            ([str(old), str(old), "--target", "nope"], "unknown id 'nope'"),
    ):
        result = run("diff", *args)
        assert result.exit_code == 2, result.output
        assert message in result.output


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_git_revision_is_read_with_git_show_and_nothing_is_checked_out(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    write_data(repo / "data", SAMPLE_NODES, SAMPLE_EDGES)

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                       check=True, capture_output=True)

    git("init", "-q")
    git("add", "data")
    git("commit", "-qm", "map")
    nodes = copy.deepcopy(SAMPLE_NODES)
    node(nodes, "ml")["hours"] = 61
    write_data(repo / "data", nodes, SAMPLE_EDGES)
    before = {p.name: p.read_bytes() for p in (repo / "data").iterdir()}
    monkeypatch.chdir(repo)
    code, data = diff_json("HEAD:data", "data")
    assert code == 1 and data["old"] == "HEAD:data"
    assert data["nodes_changed"] == [{"id": "ml", "fields": {"hours": {"old": 60, "new": 61}}}]
    assert {p.name: p.read_bytes() for p in (repo / "data").iterdir()} == before
    result = run("diff", "HEAD:nowhere", "data")
    assert result.exit_code == 2 and "OLD: git cannot read 'HEAD:nowhere/nodes.yaml'" in result.output
    # Diagnostics of a revision name it.
    (repo / "data" / "edges.yaml").write_text((repo / "data" / "edges.yaml").read_text() + "  - {from: ml, to: algebra}\n")
    git("commit", "-qam", "a cycle")
    code, data = diff_json("HEAD~1:data", "HEAD:data")
    assert data["introduced"][0]["path"] == "HEAD:data/edges.yaml"


def test_a_strength_made_deepening_leaves_the_plan_and_shows_field_by_field(tmp_path):
    def change(nodes, edges):
        edge = next(e for e in edges if (e["from"], e["to"]) == ("linear-algebra", "ml"))
        edge["strength"] = "deepening"

    old, new = folders(tmp_path, change)
    code, data = diff_json(old, new)
    assert code == 1
    assert data["edges_changed"] == [{"from": "linear-algebra", "to": "ml", "fields": {
        "strength": {"old": "required", "new": "deepening"}}}]
    (plan,) = data["plans"]
    # Linear algebra was needed by ml (and by dl-book, a resource outside the plan): it leaves the plan.
    assert plan["lost"] == ["linear-algebra"] and plan["new"]["hours"] == plan["old"]["hours"] - 30


def test_a_step_whose_offered_resources_change_is_shown_once(tmp_path):
    # A second resource for algebra (after khan-algebra in file order), in every plan that holds the step.
    def change(nodes, edges):
        nodes.append({"id": "openstax-algebra", "name": "OpenStax Algebra", "kind": "resource", "free": True,
                      "preferred": True, "url": "https://openstax.org/details/books/college-algebra-2e"})
        edges.append({"from": "openstax-algebra", "to": "algebra", "relation": "teaches"})

    old, new = folders(tmp_path, change)
    code, data = diff_json(old, new, "--target", "ml-engineer", "--target", "calculus")
    assert code == 1
    for plan in data["plans"]:
        assert plan["gained"] == [] and plan["old"] == plan["new"]
        assert plan["offers_changed"] == [{"step": "algebra", "old": ["khan-algebra"],
                                           "new": ["khan-algebra", "openstax-algebra"]}]
    text = run("diff", str(old), str(new), "--target", "ml-engineer", "--target", "calculus").output
    assert text.count("algebra: khan-algebra -> khan-algebra, openstax-algebra") == 1


def test_a_target_is_named_as_anywhere_else_and_looked_up_in_the_two_maps(tmp_path, monkeypatch):
    # A degree renamed by the change, and the user's own data folder (the current folder) holding neither.
    def change(nodes, edges):
        node(nodes, "ml-engineer")["name"] = "Machine learning engineer"
        nodes.append({"id": "optimization", "name": "Optimization", "kind": "topic", "hours": 15})
        edges.append({"from": "calculus", "to": "optimization"})

    old, new = folders(tmp_path, change)
    monkeypatch.chdir(write_data(tmp_path / "mine", [{"id": "x", "name": "X", "kind": "topic"}], []))
    for name in ("ML engineer", "machine learning engineer", "ml-engineer"):
        code, data = diff_json(old, new, "--target", name)
        assert [p["target"] for p in data["plans"]] == ["ml-engineer"], name
    result = run("diff", str(old), str(new), "--target", "Optimization")
    assert "  optimization (Optimization): 3 steps, 65 h [new]" in result.output
    result = run("diff", str(old), str(new), "--target", "algebr")
    assert result.exit_code == 2
    assert f"--target: unknown id 'algebr'; did you mean 'algebra'? (in neither {old} nor {new})" in result.output


def test_a_plan_of_one_step_says_step(tmp_path):
    def change(nodes, edges):
        nodes.append({"id": "logic", "name": "Logic", "kind": "topic", "hours": 2})

    result = run("diff", *map(str, folders(tmp_path, change)), "--target", "logic")
    assert "  logic (Logic): 1 step, 2 h [new]" in result.output


def test_an_edge_added_or_removed_says_whether_it_orders_study(tmp_path):
    # A reviewer must tell an edge that adds to plans from one that only deepens or recommends.
    def change(nodes, edges):
        nodes.append({"id": "measure-theory", "name": "Measure theory", "kind": "topic", "hours": 30})
        nodes.append({"id": "jax", "name": "JAX", "kind": "topic", "hours": 5})
        edges.append({"from": "measure-theory", "to": "probability", "relation": "theory-behind",
                      "strength": "deepening"})
        edges.append({"from": "jax", "to": "ml", "any_of": "framework"})
        edges[:] = [e for e in edges if (e["from"], e["to"]) not in {("linear-algebra", "ml"), ("history", "ml")}]
        edges.append({"from": "linear-algebra", "to": "ml", "any_of": "framework", "relation": "combines-into"})

    old, new = folders(tmp_path, change)
    text = run("diff", str(old), str(new)).output
    assert "  + measure-theory -> probability (theory-behind, deepening)\n" in text
    assert "  + jax -> ml (prerequisite, any of framework)\n" in text
    assert "  - history -> ml (recommended)\n" in text
    assert "  ~ linear-algebra -> ml\n      any_of: (none) -> \"framework\"\n" in text
    markdown = run("diff", str(old), str(new), "--format", "markdown").output
    assert "- **added** measure-theory -\\> probability (theory-behind, deepening)" in markdown


def test_a_file_that_cannot_be_read_is_not_shown_as_everything_removed(tmp_path):
    # A colon in a reason breaks the YAML: the change must not read as "every edge removed, every plan empty".
    old, new = folders(tmp_path, lambda nodes, edges: None)
    text = (new / "edges.yaml").read_text()
    (new / "edges.yaml").write_text(text + "  - {from: ml, to: deep-learning, why: a: b}\n")
    result = run("diff", str(old), str(new))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"{old} -> {new}: 1 error introduced"
    assert f"Edges and plans: not compared: {new}/edges.yaml cannot be read" in result.output
    assert "Edges:" not in result.output and "Plans:\n" not in result.output
    code, data = diff_json(old, new)
    assert data["unread"] == [f"{new}/edges.yaml"] and data["edges_removed"] == [] and data["plans"] == []
    assert [p["message"][:12] for p in data["introduced"]] == ["YAML syntax:"]
    # The other way round, the syntax error is fixed, and nothing else is claimed.
    code, data = diff_json(new, old)
    assert code == 1 and data["introduced"] == [] and [p["message"][:12] for p in data["fixed"]] == ["YAML syntax:"]
    assert "Edges and study plans not compared" in run("diff", str(old), str(new), "--format", "markdown").output


def test_markdown_fits_a_pull_request_comment_when_asked(tmp_path):
    # GitHub refuses a comment over 65,536 characters: `gh pr comment` would fail on a large change.
    def change(nodes, edges):
        for i in range(300):
            nodes.append({"id": f"topic-{i}", "name": f"Topic {i}", "kind": "topic", "hours": 1})
        edges.append({"from": "topic-0", "to": "ml"})
        edges.append({"from": "ml", "to": "algebra"})  # a cycle: a problem the reviewer must see

    old, new = folders(tmp_path, change)
    whole = run("diff", str(old), str(new), "--format", "markdown").output
    assert len(whole) > 5_000
    short = run("diff", str(old), str(new), "--format", "markdown", "--max-chars", "5000")
    assert short.exit_code == 1 and len(short.output) <= 5_000
    assert short.output.split("#### Nodes")[0] == whole.split("#### Nodes")[0]  # the summary and plans whole
    assert "#### Problems introduced" in short.output and "cycle: algebra -> calculus" in short.output.replace("\\", "")
    entries = [line for line in whole.splitlines() if line.startswith("- **")]
    shown = [line for line in short.output.splitlines() if line.startswith("- **")]
    assert shown == entries[:len(shown)] and 0 < len(shown) < len(entries)
    assert short.output.rstrip().endswith(f"*Not shown: {len(entries) - len(shown)} changes, for this text to hold "
                                          "at most 5,000 characters; `graph diff` lists them all.*")
    assert run("diff", str(old), str(new), "--format", "markdown", "--max-chars", "10000000").output == whole
    refused = run("diff", str(old), str(new), "--max-chars", "5000")
    assert refused.exit_code == 2 and "--max-chars: applies to --format markdown" in refused.output
