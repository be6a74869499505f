"""Issue 14's defects, one test (or a few) each: each reproduces what a learner saw and checks the fix."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from cli_helpers import BUNDLED, MAP, SCRIPT, graph, process, write_map
from graph.load import load
from graph.plan import study_plan
from graph.progress import read_progress


@pytest.fixture(autouse=True)
def _clean_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("GRAPH_PROGRESS", "GRAPH_DATA", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


def plan_of(*args, **options) -> dict:
    result = graph("order", *args, "--format", "json", **options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- 1. 'graph done' writes a file that every command reads ------------------------------------------------------

def test_1_done_writes_the_progress_file_that_next_order_html_and_build_read(tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    fresh = plan_of("-t", "developer")
    assert {"limits", "vectors"} <= {s["id"] for s in fresh["steps"]}
    assert "limits" in [n["id"] for n in json.loads(graph("next", "--format", "json").stdout)["next"]]

    learner = tmp_path / "learner"
    learner.mkdir()
    monkeypatch.chdir(learner)
    assert graph("done", "limits", "vectors").exit_code == 0
    assert read_progress(learner / "progress.yaml") == ["limits", "vectors"]

    shown = graph("next")
    assert "(known: 2 marked (2 with what they need), from progress.yaml)" in shown.stdout.splitlines()[0]
    assert "limits:" not in shown.stdout
    assert "\nKnown: 2 marked (2 with what they need), from progress.yaml\n" in graph("order", "-t", "developer").stdout
    plan = plan_of("-t", "developer")
    assert {"limits", "vectors"} <= set(plan["skipped_known"])
    assert not {"limits", "vectors"} & {s["id"] for s in plan["steps"]}
    assert plan["total_hours"] < fresh["total_hours"]

    page = json.loads(graph("html", "--out", tmp_path / "site" / "map.html", "--format", "json").stdout)
    assert (page["known"], page["progress"]) == (["limits", "vectors"], "progress.yaml")
    built = json.loads(graph("build", "--out", tmp_path / "site" / "all", "--format", "json").stdout)
    assert built["progress"] == "progress.yaml"
    degree_plan = json.loads((tmp_path / "site" / "all" / "plans" / "developer.json").read_text())
    assert degree_plan["steps"] == plan["steps"]


@pytest.mark.parametrize("command", ["done", "next", "order", "html", "build"])
def test_1_every_progress_option_names_the_one_default_location(command):
    text = " ".join(graph(command, "--help").stdout.split())
    assert "--progress FILE" in text
    assert "$GRAPH_PROGRESS, else progress.yaml in the current folder" in text, text


def test_1_graph_progress_is_the_same_place_for_every_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GRAPH_PROGRESS", str(tmp_path / "me" / "known.yaml"))
    assert graph("--data", MAP, "done", "calculus").exit_code == 0
    assert not (tmp_path / "progress.yaml").exists()
    assert f"known: 1 marked (2 with what they need), from {tmp_path / 'me' / 'known.yaml'}" in graph(
        "--data", MAP, "next").stdout


# --- 2. own data in the current folder ----------------------------------------------------------------------------

KITCHEN_NODES = """\
nodes:
  - {id: knife-skills, name: Knife skills, kind: topic, hours: 3}
  - {id: mise-en-place, name: Mise en place, kind: topic, hours: 2}
  - {id: line-cook, name: Line cook, kind: degree}
"""
KITCHEN_EDGES = """\
edges:
  - {from: knife-skills, to: mise-en-place}
  - {from: mise-en-place, to: line-cook}
"""


@pytest.fixture()
def kitchen(tmp_path, monkeypatch) -> Path:
    """A learner's own map in the current folder."""
    folder = write_map(tmp_path / "kitchen", KITCHEN_NODES, KITCHEN_EDGES)
    monkeypatch.chdir(folder)
    return folder.resolve()


def test_2_a_current_folder_holding_nodes_yaml_is_the_data(kitchen):
    checked = graph("validate")
    assert checked.stdout.splitlines()[-1] == f"{kitchen}: 3 nodes, 2 edges: valid, 0 warnings"
    assert [s["id"] for s in plan_of("-t", "line-cook")["steps"]] == ["knife-skills", "mise-en-place", "line-cook"]


def test_2_unknown_ids_name_the_data_folder_in_use(kitchen, tmp_path, monkeypatch):
    missing = graph("order", "-t", "limits")
    assert missing.exit_code == 2
    assert f"unknown id 'limits' (in the data folder {kitchen})" in missing.stderr
    monkeypatch.chdir(tmp_path)
    missing = graph("order", "-t", "line-cook")
    assert missing.exit_code == 2
    assert f"(in the bundled map, {BUNDLED.resolve()})" in missing.stderr


def test_2_the_page_is_drawn_from_the_current_folder_and_never_written_into_it(kitchen, tmp_path):
    refused = graph("html")
    assert refused.exit_code == 2 and "inside the data folder" in refused.stderr
    assert not (kitchen / "out").exists()
    wrote = graph("html", "--out", tmp_path / "site" / "graph.html")
    assert wrote.exit_code == 0
    assert f"of the data folder {kitchen}" in wrote.stdout
    page = (tmp_path / "site" / "graph.html").read_text()
    assert "Knife skills" in page and "Linear algebra" not in page


def test_2_a_progress_file_may_live_in_the_data_folder_when_the_user_asks(kitchen):
    before = {name: (kitchen / name).read_bytes() for name in ("nodes.yaml", "edges.yaml")}
    done = graph("--data", ".", "done", "knife-skills")
    assert done.exit_code == 0, done.output
    assert read_progress(kitchen / "progress.yaml") == ["knife-skills"]
    assert {name: (kitchen / name).read_bytes() for name in before} == before
    assert "known: 1 marked (1 with what they need), from progress.yaml" in graph("next").stdout


def test_2_the_data_folder_is_chosen_in_the_documented_order(kitchen, tmp_path, monkeypatch):
    def folder() -> str:
        return json.loads(graph("validate", "--format", "json").stdout)["data"]

    assert folder() == str(kitchen)
    write_map(kitchen / "data", "nodes: []\n", "edges: []\n")
    assert folder() == str(kitchen)  # the current folder comes before ./data
    monkeypatch.setenv("GRAPH_DATA", str(MAP))
    assert folder() == str(MAP.resolve())
    assert json.loads(graph("--data", BUNDLED, "validate", "--format", "json").stdout)["data"] == str(BUNDLED)
    monkeypatch.delenv("GRAPH_DATA")
    (kitchen / "nodes.yaml").unlink()
    assert folder() == str(kitchen / "data")


# --- 3. global options after the command --------------------------------------------------------------------------

def test_3_global_options_work_before_or_after_the_command():
    after = graph("prereqs", "developer", "--data", MAP, "--depth", "1")
    assert after.exit_code == 0, after.output
    assert after.stdout.splitlines()[0] == "developer: Developer"
    before = graph("--data", MAP, "prereqs", "developer", "--depth", "1")
    assert after.stdout == before.stdout
    assert graph("show", "measure-theory", "--no-cache", "--color", "never", "--data", MAP).exit_code == 0
    # the option after the command wins over the one before it
    assert graph("--data", BUNDLED, "show", "measure-theory", "--data", MAP).stdout.startswith(
        "Measure theory (measure-theory)\n")
    assert "--data DIR" in graph("validate", "--help").stdout


@pytest.mark.parametrize("command", [["init", "starter"], ["diff", "old", "new"], ["import", "csv", "pairs.csv",
                                                                                  "--out", "imported"]])
def test_3_a_command_that_reads_no_data_folder_refuses_data_rather_than_ignoring_it(command, tmp_path,
                                                                                     monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args in (["--data", MAP, *command], [*command, "--data", MAP]):
        refused = graph(*args)
        assert refused.exit_code == 2, refused.output
        assert f"--data: '{command[0]}' reads no data folder" in refused.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written
    assert "--data" not in graph(command[0], "--help").stdout


# --- 4. names and aliases are ids ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text, node", [("RNN", "rnn"), ("calc", "calculus"), ("Calculus", "calculus"),
                                        ("KALMAN FILTER", "kalman-filter"), ("gradient boosting", "gradient-boosting")])
def test_4_names_and_aliases_of_the_bundled_map_resolve_in_any_case(text, node):
    shown = graph("--data", BUNDLED, "show", text)
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines()[0].endswith(f"({node})")


def test_4_every_place_an_id_is_given_takes_a_name(tmp_path):
    assert graph("--data", BUNDLED, "prereqs", "RNN", "--format", "json").stdout == graph(
        "--data", BUNDLED, "prereqs", "rnn", "--format", "json").stdout
    assert plan_of("--data", BUNDLED, "-t", "Developer", "--known", "Calculus,LinAlg") == plan_of(
        "--data", BUNDLED, "-t", "developer", "--known", "calculus,linear-algebra")
    assert graph("--data", BUNDLED, "path", "limits", "RNN").exit_code == 0
    progress = tmp_path / "p.yaml"
    assert graph("--data", BUNDLED, "done", "Calculus", "rnn", "--progress", progress).exit_code == 0
    assert read_progress(progress) == ["calculus", "rnn"]  # the file keeps ids


def test_4_an_ambiguous_name_lists_the_candidates(tmp_path):
    folder = write_map(tmp_path / "m", """\
nodes:
  - {id: linear-algebra, name: Linear algebra, kind: topic, area: math, aliases: [LA]}
  - {id: los-angeles, name: Los Angeles, kind: topic, area: places, aliases: [la]}
""", "edges: []\n")
    result = graph("--data", folder, "show", "La")
    assert result.exit_code == 2
    assert "'La' names 2 nodes: linear-algebra, los-angeles; give one of these ids" in result.stderr
    assert "linear-algebra: Linear algebra [topic · math]\nlos-angeles: Los Angeles [topic · places]\n" in result.stderr


def test_4_did_you_mean_only_for_near_misses():
    result = graph("--data", BUNDLED, "show", "nothing")
    assert result.exit_code == 2
    assert "unknown id 'nothing' (in the bundled map" in result.stderr
    assert "gradient-boosting" not in result.stderr and "did you mean" not in result.stderr
    assert "did you mean 'calculus'" in graph("--data", BUNDLED, "show", "calculas").stderr


# --- 5. path follows only what orders study -------------------------------------------------------------------------

def test_5_path_follows_required_edges_unless_asked():
    # probability -> statistics is required; statistics -> ml only recommended.
    assert graph("--data", MAP, "path", "probability", "ml").exit_code == 1
    found = json.loads(graph("--data", MAP, "path", "probability", "ml", "--include-recommended",
                             "--format", "json").stdout)
    assert [(e["from"], e["to"], e["strength"]) for e in found["paths"][0]] == [
        ("probability", "statistics", "required"), ("statistics", "ml", "recommended")]


def test_5_a_path_runs_through_a_resource_only_when_asked():
    # measure-theory is needed by advanced-course, a resource that teaches probability.
    refused = graph("--data", MAP, "path", "measure-theory", "probability")
    assert refused.exit_code == 1 and "no path from measure-theory to probability" in refused.stderr
    found = graph("--data", MAP, "path", "measure-theory", "probability", "--through-resources")
    assert found.stdout.splitlines()[0] == "measure-theory -> advanced-course -> probability (2 edges)"


def test_5_every_edge_of_a_default_path_is_required_between_topics():
    graph_ = load(BUNDLED).graph
    for a, b in [("limits", "rnn"), ("limits", "researcher"), ("vectors", "developer")]:
        found = json.loads(graph("--data", BUNDLED, "path", a, b, "--all", "--format", "json").stdout)
        assert found["paths"], (a, b)
        for edges in found["paths"]:
            for edge in edges:
                assert edge["strength"] == "required", edge
                assert graph_.nodes[edge["from"]]["kind"] != "resource", edge


# --- 6. one totals function -----------------------------------------------------------------------------------------

def test_6_a_plan_without_any_hours_says_so_beside_its_steps(tmp_path):
    folder = write_map(tmp_path / "m", """\
nodes:
  - {id: basics, name: Basics, kind: topic}
  - {id: goal, name: Goal, kind: topic}
""", "edges:\n  - {from: basics, to: goal}\n")
    text = graph("--data", folder, "order", "-t", "goal").stdout
    assert text.splitlines()[0] == "Study plan for Goal (goal): 2 steps, no hour estimates"
    assert text.rstrip().endswith("Total: 2 steps, no hour estimates")
    markdown = graph("--data", folder, "order", "-t", "goal", "--format", "markdown").stdout
    assert "2 steps, no hour estimates." in markdown and "0 h" not in markdown


def test_6_totals_agree_across_renderers_when_only_a_degree_has_hours(tmp_path):
    folder = write_map(tmp_path / "m", """\
nodes:
  - {id: basics, name: Basics, kind: topic}
  - {id: goal, name: Goal, kind: degree, hours: 5}
""", "edges:\n  - {from: basics, to: goal}\n")
    totals = study_plan(load(folder).graph, "goal").totals()
    assert (totals.steps, totals.hours, totals.steps_without_hours) == (2, 5, 1)
    text = graph("--data", folder, "order", "-t", "goal").stdout
    assert "no hour estimates" not in text
    assert text.splitlines()[0] == "Study plan for Goal (goal): 2 steps, 5 h (+ 1 step without an estimate)"
    assert "2. Goal (goal) - 5 h [degree]" in text
    assert text.rstrip().endswith("Total: 5 h (+ 1 step without an estimate) over 2 steps")
    markdown = graph("--data", folder, "order", "-t", "goal", "--format", "markdown").stdout
    assert "2 steps, about **5 h** in all (1 step without an estimate)." in markdown
    plan = plan_of("--data", folder, "-t", "goal")
    assert (plan["total_hours"], plan["steps_without_hours"]) == (5, 1)
    one = graph("--data", folder, "order", "-t", "basics", "--format", "markdown").stdout
    assert "1 step, no hour estimates." in one and "1 steps" not in one


# --- 7. levels are numbered -------------------------------------------------------------------------------------------

def test_7_levels_are_numbered_in_text_markdown_and_json():
    plan = plan_of("--data", BUNDLED, "-t", "developer", "--strategy", "levels")
    levels = {s["id"]: s["level"] for s in plan["steps"]}
    assert [s["level"] for s in plan["steps"]] == sorted(levels.values())
    assert min(levels.values()) == 1
    for step in plan["steps"]:  # a wave needs only earlier waves
        assert all(levels[later] > step["level"] for later in step["needed_for"]), step["id"]
    waves = sorted(set(levels.values()))
    text = graph("--data", BUNDLED, "order", "-t", "developer", "--strategy", "levels").stdout.splitlines()
    headings = [line for line in text if line.startswith("Level ")]
    assert headings == [f"Level {n} (any order within the level):" for n in waves]
    first = text.index(headings[1])
    assert text[first + 1].split(".")[0].strip() == str(sum(1 for v in levels.values() if v == 1) + 1)
    markdown = graph("--data", BUNDLED, "order", "-t", "developer", "--strategy", "levels", "--format",
                     "markdown").stdout
    assert [line for line in markdown.splitlines() if line.startswith("## ")] == [
        f"## Level {n} (any order within the level)" for n in waves]
    depth = plan_of("--data", BUNDLED, "-t", "developer")
    assert all("level" not in s for s in depth["steps"])
    assert "Level 1" not in graph("--data", BUNDLED, "order", "-t", "developer").stdout


# --- 8. write errors, honest 'done', progress files that cannot be read ----------------------------------------------

@pytest.mark.parametrize("command, option, name", [
    (["html"], "--out", "graph.html"),
    (["export", "--format", "dot"], "--output", "map.dot"),
    (["done", "calculus"], "--progress", "progress.yaml"),
])
def test_8_write_errors_name_the_path_given_not_a_temporary_file(tmp_path, monkeypatch, command, option, name):
    import graph.output as output

    target = tmp_path / "site" / name

    def refused(dir, prefix, suffix):  # what a folder we may not write gives: the temporary file's name
        raise PermissionError(13, "Permission denied", f"{dir}/{prefix}az5c2ab7{suffix}")

    monkeypatch.setattr(output.tempfile, "mkstemp", refused)
    result = graph("--data", MAP, *command, option, target)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {option}: cannot write '{target}': Permission denied\n"


def test_8_done_says_what_it_changed_and_what_it_did_not(tmp_path):
    progress = tmp_path / "progress.yaml"

    def done(*args) -> str:
        result = graph("--data", MAP, "done", *args, "--progress", progress)
        assert result.exit_code == 0, result.output
        return result.stdout

    assert done("calculus", "ml") == f"created {progress}: marked calculus, ml; known: 2 marked (5 with what they need)\n"
    stamp = progress.stat().st_mtime_ns
    assert done("ml") == f"{progress}: already marked: ml; known: 2 marked (5 with what they need) (unchanged)\n"
    assert progress.stat().st_mtime_ns == stamp
    assert done("statistics", "calculus") == (f"{progress}: marked statistics; already marked: calculus; "
                                              "known: 3 marked (7 with what they need)\n")
    # Unmarking ml marks nothing in its place: what only ml needed (optimization) is no longer known.
    assert done("--undo", "ml", "measure-theory") == (f"{progress}: unmarked ml; was not known: measure-theory; "
                                                      "known: 2 marked (4 with what they need)\n")
    assert done("--undo", "measure-theory") == (f"{progress}: was not known: measure-theory; "
                                                "known: 2 marked (4 with what they need) (unchanged)\n")
    assert read_progress(progress) == ["calculus", "statistics"]


@pytest.mark.parametrize("content, message", [
    (None, "progress file not found"),
    (b"known: [calculus\n", "while parsing a flow sequence"),
    (b"\xff\xfe known", "progress file is not valid UTF-8"),
    (b"known:\n  - calculus\n   - ml\n", "this line continues the entry of line 2 ('calculus - ml')"),
])
def test_8_a_progress_file_that_cannot_be_used_exits_2_naming_it(tmp_path, content, message):
    progress = tmp_path / "mine.yaml"
    if content is not None:
        progress.write_bytes(content)
    for command in (["next"], ["order", "-t", "developer"], ["html", "--out", tmp_path / "x.html"],
                    ["build", "--out", tmp_path / "site"]):
        result = graph("--data", MAP, *command, "--progress", progress)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.startswith(f"{progress}") and message in result.stderr, result.stderr
        assert result.stderr.endswith(f"graph: cannot use the progress file '{progress}' (given by --progress)\n")
        assert "in the data" not in result.stderr
    assert "2    usage: a bad option, an unknown or ambiguous id, an input that cannot be read (a progress file," in (
        graph("--help").stdout)


def test_8_an_unreadable_default_progress_file_says_where_it_came_from(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "progress.yaml").write_text("known: 3\n")
    result = graph("--data", MAP, "next")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "graph: cannot use the progress file 'progress.yaml' (progress.yaml in the current folder, read when it "
        "exists; --progress FILE names another)")


# --- 9. concurrent 'graph done' loses nothing ------------------------------------------------------------------------

def test_9_twenty_writers_at_once_lose_nothing(tmp_path):
    ids = [f"topic-{i:02d}" for i in range(20)]
    nodes = yaml.safe_dump({"nodes": [{"id": i, "name": i, "kind": "topic"} for i in ids]})
    edges = yaml.safe_dump({"edges": [{"from": a, "to": b} for a, b in zip(ids, ids[1:])]})
    folder = write_map(tmp_path / "map", nodes, edges)
    work = tmp_path / "learner"
    work.mkdir()
    env = {"GRAPH_CACHE_DIR": str(tmp_path / "cache"), "GRAPH_PROGRESS": ""}
    assert process("--data", folder, "validate", env=env).returncode == 0  # a warm cache: the writers overlap more
    import os

    writers = [subprocess.Popen([*SCRIPT, "--data", str(folder), "done", node], cwd=work,
                                env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for node in ids]
    results = [(w.wait(timeout=120), w.stderr.read()) for w in writers]
    for w in writers:
        w.stdout.close()
        w.stderr.close()
    assert all(code == 0 for code, _ in results), results
    assert sorted(read_progress(work / "progress.yaml")) == ids
    assert sorted(p.name for p in work.iterdir()) == ["progress.yaml"]  # no lock or temporary file left


# --- 10. show of a resource, booleans, the data folder named, one stdout/stderr convention --------------------------

def test_10_show_of_a_resource_lists_what_it_teaches():
    shown = graph("--data", MAP, "show", "advanced-course").stdout
    assert "free: yes" in shown and "True" not in shown
    teaches = shown.split("Teaches:\n")[1].split("\n\n")[0]
    assert teaches == "  - probability: Probability"
    needs = shown.split("Needs:\n")[1].split("\n\n")[0]
    assert needs.rstrip("\n") == "  - measure-theory: Measure theory [prerequisite] - The course assumes it."
    assert "Needed for" not in shown
    khan = graph("--data", MAP, "show", "khan").stdout
    assert khan.split("Teaches:\n")[1].splitlines() == [
        "  - algebra: Algebra", "  - calculus: Calculus", "  - optimization: Optimization",
        "  - statistics: Statistics", "  - ml: Machine learning", "  - measure-theory: Measure theory"]
    assert "free: no" in graph("--data", MAP, "show", "paid-book").stdout


def test_10_validate_names_the_data_folder_resolved(tmp_path, monkeypatch):
    monkeypatch.chdir(MAP)
    checked = graph("--data", ".", "validate")
    assert checked.stdout.splitlines()[-1].startswith(f"{MAP.resolve()}: 14 nodes")
    assert not checked.stdout.startswith(".:")


def test_10_answers_on_stdout_errors_on_stderr(tmp_path):
    bad = write_map(tmp_path / "bad", "nodes:\n  - {id: a, name: A, kind: topic}\n", "edges:\n  - {from: a, to: b}\n")
    checked = graph("--data", bad, "validate")  # the report is validate's answer: all of it on stdout
    assert checked.exit_code == 1 and checked.stderr == ""
    assert "edges.yaml:2: error: " in checked.stdout
    assert checked.stdout.splitlines()[-1] == f"{bad.resolve()}: 1 node, 1 edge: 1 error, 0 warnings"
    queried = graph("--data", bad, "next")  # a query cannot answer: why goes to stderr, nothing to stdout
    assert queried.exit_code == 1 and queried.stdout == ""
    assert "edges.yaml:2: error: " in queried.stderr
    assert queried.stderr.splitlines()[-1] == (f"graph: 1 error in the data folder {bad.resolve()} "
                                               "(run 'graph validate' for details)")


def test_10_show_says_how_much_each_edge_is_needed_and_which_part_teaches(tmp_path):
    folder = write_map(tmp_path / "m", """\
nodes:
  - {id: a, name: A, kind: topic}
  - {id: b, name: B, kind: topic}
  - {id: pytorch, name: PyTorch, kind: topic}
  - {id: jax, name: JAX, kind: topic}
  - {id: dev, name: Developer, kind: degree}
  - {id: book, name: The Book, kind: resource, discontinued: true, note: moved in 2020}
""", """\
edges:
  - {from: a, to: b, strength: recommended}
  - {from: a, to: dev, relation: theory-behind, strength: deepening}
  - {from: pytorch, to: dev, any_of: framework}
  - {from: jax, to: dev, any_of: framework}
  - {from: book, to: a, relation: teaches, part: Chapter 5, hours: 6}
""")
    book = graph("--data", folder, "show", "book").stdout
    assert "discontinued: yes\nnote: moved in 2020\n" in book
    assert book.endswith("Teaches:\n  - a: A (Chapter 5, 6 h)\n")
    assert graph("--data", folder, "show", "dev").stdout.endswith(
        "Needs:\n  - a: A [theory-behind, deepening]\n  - pytorch: PyTorch [prerequisite, any of: framework]\n"
        "  - jax: JAX [prerequisite, any of: framework]\n")
    assert "  - b: B [prerequisite, recommended]\n" in graph("--data", folder, "show", "a").stdout
    edges = json.loads(graph("--data", folder, "show", "book", "--format", "json").stdout)["dependents"]
    assert edges == [{"from": "book", "to": "a", "relation": "teaches", "strength": None, "why": None,
                      "part": "Chapter 5", "hours": 6}]
