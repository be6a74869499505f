"""A learner's days at the command line: what each answer says must agree with the others and be true."""

from __future__ import annotations

import json

import pytest

from cli_helpers import graph, write_map


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GRAPH_PROGRESS", raising=False)
    monkeypatch.chdir(tmp_path)


NODES = """\
nodes:
  - {id: basics, name: Basics, kind: topic, hours: 2}
  - {id: stats, name: Statistics, kind: topic, hours: 3}
  - {id: history, name: History of the field, kind: topic, hours: 1}
  - {id: goal, name: Goal, kind: topic, hours: 4}
"""
EDGES = """\
edges:
  - {from: basics, to: goal}
  - {from: stats, to: goal, strength: recommended}
  - {from: history, to: goal, relation: leads-to, strength: recommended}
"""


def test_a_tree_with_recommendations_says_which_edges_are_only_recommended(tmp_path):
    folder = write_map(tmp_path / "map", NODES, EDGES)
    out = graph("--data", folder, "prereqs", "goal", "--include-recommended").stdout
    assert out.splitlines() == [
        "goal: Goal",
        "├── basics: Basics",
        "├── stats: Statistics [recommended]",
        "└── history: History of the field [leads-to, recommended]",
    ]
    down = graph("--data", folder, "dependents", "stats", "--include-recommended", "--charset", "ascii").stdout
    assert down.splitlines() == ["stats: Statistics", "`-- goal: Goal [recommended]"]
    # Without recommendations nothing needs a tag: the tree holds required edges only.
    assert graph("--data", folder, "prereqs", "goal").stdout.splitlines() == ["goal: Goal", "└── basics: Basics"]


def test_search_puts_the_topic_before_a_resource_it_ties_with_as_the_page_does(tmp_path):
    folder = write_map(tmp_path / "map", """\
nodes:
  - {id: kalman-book, name: Kalman and Bayesian Filters in Python, kind: resource}
  - {id: filtering, name: Filtering, kind: degree}
  - {id: kalman-filter, name: Kalman filter, kind: topic}
""", """\
edges:
  - {from: kalman-book, to: kalman-filter, relation: teaches}
  - {from: kalman-filter, to: filtering}
""")
    found = json.loads(graph("--data", folder, "search", "kal", "--format", "json").stdout)["results"]
    assert [r["id"] for r in found] == ["kalman-filter", "kalman-book"]
    assert graph("--data", folder, "search", "kal").stdout.startswith("kalman-filter: Kalman filter [topic]")


def test_next_says_the_same_known_in_text_and_json(tmp_path):
    folder = write_map(tmp_path / "map", NODES, EDGES)
    (tmp_path / "progress.yaml").write_text("known: [goal]\n", encoding="utf-8")
    text = graph("--data", folder, "next").stdout
    found = json.loads(graph("--data", folder, "next", "--format", "json").stdout)
    # One id in the file (it implies basics too): both say what the file holds, as order's JSON does.
    assert "known: 1 marked (2 with what they need), from progress.yaml" in text
    assert found["known"] == ["goal"] == json.loads(graph("--data", folder, "order", "-t", "goal",
                                                           "--format", "json").stdout)["known"]
    assert [n["id"] for n in found["next"]] == ["stats", "history"]


CHAIN_NODES = """\
nodes:
  - {id: limits, name: Limits, kind: topic, hours: 1}
  - {id: derivatives, name: Derivatives, kind: topic, hours: 1}
  - {id: chain-rule, name: Chain rule, kind: topic, hours: 1}
  - {id: vectors, name: Vectors, kind: topic, hours: 1}
"""
CHAIN_EDGES = """\
edges:
  - {from: limits, to: derivatives}
  - {from: derivatives, to: chain-rule}
"""


def test_undo_of_an_id_known_through_another_unmarks_what_needs_it_and_marks_nothing_for_it(tmp_path):
    folder = write_map(tmp_path / "map", CHAIN_NODES, CHAIN_EDGES)
    assert graph("--data", folder, "done", "chain-rule", "vectors").exit_code == 0
    # derivatives is known (chain-rule needs it) though the file does not list it.
    out = graph("--data", folder, "done", "--undo", "derivatives").stdout
    assert out == ("progress.yaml: unmarked chain-rule; derivatives was known through chain-rule; "
                   "known: 1 marked (1 with what they need)\n")
    assert (tmp_path / "progress.yaml").read_text(encoding="utf-8").splitlines()[1:] == ["known:", "- vectors"]
    plan = json.loads(graph("--data", folder, "order", "-t", "chain-rule", "--format", "json").stdout)
    assert [s["id"] for s in plan["steps"]] == ["limits", "derivatives", "chain-rule"] and plan["skipped_known"] == []
    # An id that nothing marked implies is "not known", and the file is left alone.
    again = graph("--data", folder, "done", "--undo", "chain-rule", "--format", "json")
    assert json.loads(again.stdout) == {"progress": "progress.yaml", "created": False, "removed": [],
                                        "not_known": ["chain-rule"], "removed_with_them": [], "through": {},
                                        "known": ["vectors"], "marked": 1, "known_with_what_they_need": 1}
    # Unmarking what a marked topic needs unmarks that topic (the file lists no derivatives to unmark).
    graph("--data", folder, "done", "chain-rule")
    gone = json.loads(graph("--data", folder, "done", "--undo", "limits", "--format", "json").stdout)
    assert (gone["removed"], gone["removed_with_them"], gone["through"], gone["known"]) == (
        ["limits"], ["chain-rule"], {"limits": ["chain-rule"]}, ["vectors"])


FRAMEWORK_NODES = """\
nodes:
  - {id: basics, name: Basics, kind: topic, hours: 2}
  - {id: torch, name: Torch, kind: resource, hours: 4, url: "https://example.org/torch"}
  - {id: old-tool, name: Old tool, kind: resource, hours: 3, discontinued: true, url: "https://example.org/old"}
  - {id: old-manual, name: Old tool manual, kind: topic, hours: 1}
  - {id: models, name: Models, kind: topic, hours: 4}
"""
FRAMEWORK_EDGES = """\
edges:
  - {from: basics, to: models}
  - {from: torch, to: models, any_of: framework}
  - {from: old-manual, to: old-tool}
  - {from: old-tool, to: models, any_of: framework}
"""


def test_next_toward_a_goal_says_what_its_plan_does_not_take_and_what_is_discontinued(tmp_path):
    folder = write_map(tmp_path / "map", FRAMEWORK_NODES, FRAMEWORK_EDGES)
    text = graph("--data", folder, "next", "--target", "models").stdout
    assert text.splitlines() == [
        "You can start on 3 now:",
        "  basics: Basics - 2 h",
        "  torch: Torch - 4 h",
        "      read: <https://example.org/torch>",
        "  old-manual: Old tool manual - 1 h (needed only by an alternative the plan does not take)",
    ]
    # Knowing its manual makes the old tool the cheaper alternative, but the plan keeps the current one.
    graph("--data", folder, "done", "old-manual")
    found = json.loads(graph("--data", folder, "next", "--target", "models", "--format", "json").stdout)["next"]
    assert [(n["id"], n["in_plan"], n["alternative_to"], n["discontinued"]) for n in found] == [
        ("basics", True, None, False), ("torch", True, None, False), ("old-tool", False, "torch", True)]
    assert graph("--data", folder, "next", "--target", "models").stdout.splitlines()[2:] == [
        "  torch: Torch - 4 h",
        "      read: <https://example.org/torch>",
        "  old-tool: Old tool - 3 h (discontinued; an alternative: the plan takes torch)",
        "      read: <https://example.org/old>"]
    # Without a goal there is no plan to compare with; a discontinued tool is still said to be one.
    assert "  old-tool: Old tool - 3 h (discontinued)" in graph("--data", folder, "next").stdout.splitlines()


def test_plans_mark_a_discontinued_alternative_or_step(tmp_path):
    folder = write_map(tmp_path / "map", FRAMEWORK_NODES, FRAMEWORK_EDGES)
    text = graph("--data", folder, "order", "-t", "models").stdout
    assert "   any one of (framework): torch, taken; or old-tool (discontinued)" in text.splitlines()
    markdown = graph("--data", folder, "order", "-t", "models", "--format", "markdown").stdout
    assert "  - any one of (framework): torch, taken; or old-tool (discontinued)" in markdown.splitlines()
    assert json.loads(graph("--data", folder, "order", "-t", "models", "--format", "json").stdout)[
        "discontinued"] == ["old-tool"]
    # Cheaper once its manual is known, the old tool is still not taken while a current one remains.
    kept = graph("--data", folder, "order", "-t", "models", "--known", "old-manual").stdout
    assert "   any one of (framework): torch, taken; or old-tool (discontinued)" in kept.splitlines()
    # When every alternative is discontinued, the cheaper is the step the plan takes, and the step says what it is.
    retired = write_map(tmp_path / "retired", FRAMEWORK_NODES.replace("kind: resource, hours: 4,",
                                                                      "kind: resource, hours: 4, discontinued: true,"),
                        FRAMEWORK_EDGES)
    taken = graph("--data", retired, "order", "-t", "models", "--known", "old-manual").stdout
    assert "2. Old tool (old-tool) - 3 h [resource · discontinued]" in taken
    assert "   any one of (framework): old-tool (discontinued), taken; or torch (discontinued)" in taken.splitlines()
    assert "- [ ] **2. [Old tool](<https://example.org/old>)** (3 h; discontinued)" in graph(
        "--data", retired, "order", "-t", "models", "--known", "old-manual", "--format", "markdown").stdout


def test_a_plan_with_recommendations_marks_the_steps_only_they_bring(tmp_path):
    folder = write_map(tmp_path / "map", NODES, EDGES)
    text = graph("--data", folder, "order", "-t", "goal", "--include-recommended").stdout.splitlines()
    assert text[:2] == ["Study plan for Goal (goal): 4 steps, 10 h", "Recommended, included: 2 steps, 4 h (marked recommended)"]
    assert "1. Basics (basics) - 2 h [topic]" in text
    assert "2. Statistics (stats) - 3 h [topic · recommended]" in text
    assert "3. History of the field (history) - 1 h [topic · recommended]" in text
    markdown = graph("--data", folder, "order", "-t", "goal", "--include-recommended", "--format", "markdown").stdout
    assert "Recommended, included: 2 steps, 4 h (marked recommended)." in markdown
    assert "- [ ] **2. Statistics** (3 h; recommended)" in markdown
    plan = json.loads(graph("--data", folder, "order", "-t", "goal", "--include-recommended", "--format", "json").stdout)
    assert [(s["id"], s["recommended"]) for s in plan["steps"]] == [
        ("basics", False), ("stats", True), ("history", True), ("goal", False)]
    calendar = graph("--data", folder, "order", "-t", "goal", "--include-recommended", "--format", "ics",
                     "--hours-per-week", "8", "--start", "2027-01-04").stdout
    assert "DESCRIPTION:3 h\\, recommended\\, due Sun 2027-01-10." in calendar
    # Without recommendations there is nothing to mark.
    assert "Recommended, included" not in graph("--data", folder, "order", "-t", "goal").stdout
