"""How much an edge is needed: required, recommended, deepening, and any-of alternatives.

A small map in the shape of the bundled one: a developer needs calculus and
one framework of three; stochastic processes are the theory behind RNNs (a
deepening edge: never studied first); a book teaches two topics, chapter by
chapter.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.load import load
from graph.plan import known_closure, study_plan
from graph.query import next_steps, paths, tree

from conftest import write_data

NODES = [
    {"id": "calculus", "name": "Calculus", "kind": "topic", "hours": 40},
    {"id": "python", "name": "Python", "kind": "topic", "hours": 10},
    {"id": "theano", "name": "Theano", "kind": "topic", "hours": 5, "discontinued": True,
     "note": "Discontinued in 2017; kept because the list names it."},
    {"id": "tensorflow", "name": "TensorFlow", "kind": "topic", "hours": 20},
    {"id": "pytorch", "name": "PyTorch", "kind": "topic", "hours": 20},
    {"id": "stochastic-processes", "name": "Stochastic processes", "kind": "topic", "hours": 60},
    {"id": "history", "name": "History of AI", "kind": "topic", "hours": 2},
    {"id": "rnn", "name": "Recurrent networks", "kind": "topic", "hours": 8},
    {"id": "developer", "name": "Developer", "kind": "degree"},
    {"id": "mml", "name": "Mathematics for ML", "kind": "resource", "url": "https://mml-book.github.io/",
     "hours": 200, "free": True},
]
EDGES = [
    {"from": "python", "to": "theano"},
    {"from": "python", "to": "tensorflow"},
    {"from": "calculus", "to": "rnn"},
    {"from": "stochastic-processes", "to": "rnn", "relation": "theory-behind", "strength": "deepening",
     "why": "Stochastic processes are the theory behind RNNs."},
    {"from": "history", "to": "rnn", "relation": "recommended"},
    {"from": "rnn", "to": "developer"},
    {"from": "theano", "to": "developer", "any_of": "framework", "why": "Theano or Tensorflow"},
    {"from": "tensorflow", "to": "developer", "any_of": "framework"},
    {"from": "pytorch", "to": "developer", "any_of": "framework"},
    {"from": "mml", "to": "calculus", "relation": "teaches", "part": "Chapter 5", "hours": 12},
    {"from": "mml", "to": "stochastic-processes", "relation": "teaches", "part": "Chapter 6", "hours": 15},
    {"from": "mml", "to": "python", "relation": "teaches"},
    {"from": "mml", "to": "pytorch", "relation": "teaches"},
    {"from": "mml", "to": "history", "relation": "teaches"},
    {"from": "mml", "to": "theano", "relation": "teaches"},
    {"from": "mml", "to": "tensorflow", "relation": "teaches"},
]


@pytest.fixture()
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))
    return write_data(tmp_path / "map", NODES, EDGES)


@pytest.fixture()
def graph(folder):
    loaded = load(folder, use_cache=False)
    assert [str(d) for d in loaded.errors] == []
    return loaded.graph


def run(folder, *args):
    result = CliRunner().invoke(main, ["--data", str(folder), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_edge_but_teaches_gets_a_strength(graph):
    assert graph.edges["calculus", "rnn"]["strength"] == "required"
    assert graph.edges["history", "rnn"]["strength"] == "recommended"
    assert graph.edges["stochastic-processes", "rnn"] == {
        "relation": "theory-behind", "strength": "deepening", "why": "Stochastic processes are the theory behind RNNs."}
    assert "strength" not in graph.edges["mml", "calculus"]
    assert graph.edges["mml", "calculus"]["part"] == "Chapter 5"


def test_a_deepening_edge_never_orders_study_but_is_offered(graph):
    for soft in (False, True):
        plan = study_plan(graph, "rnn", include_recommended=soft)
        assert "stochastic-processes" not in [s.id for s in plan.steps]
        assert plan.steps[-1].deeper == ["stochastic-processes"] and plan.deepening == ["stochastic-processes"]
    assert [s.id for s in study_plan(graph, "rnn").steps] == ["calculus", "rnn"]
    assert [s.id for s in study_plan(graph, "rnn", include_recommended=True).steps] == ["calculus", "history", "rnn"]
    assert study_plan(graph, "rnn").recommended == ["history"]
    # known, it is not offered again
    assert study_plan(graph, "rnn", known=["stochastic-processes"]).steps[-1].deeper == []


def test_any_of_takes_a_current_alternative_adding_the_fewest_hours(graph):
    plan = study_plan(graph, "developer")
    # theano adds 15 h with python but is discontinued; tensorflow adds 30 h with python; pytorch 20 h
    assert [s.id for s in plan.steps] == ["pytorch", "calculus", "rnn", "developer"]  # file order
    assert plan.steps[-1].choices == [{"group": "framework", "picked": "pytorch", "known": False,
                                       "alternatives": ["theano", "tensorflow"]}]


def test_any_of_counts_what_the_plan_takes_anyway(graph):
    # once the developer needs python anyway, tensorflow adds only its own 20 h, as pytorch does:
    # the tie goes to the file order, whether python comes from the plan or is known
    graph.add_edge("python", "developer", relation="prerequisite", strength="required")
    assert [c["picked"] for c in study_plan(graph, "developer").steps[-1].choices] == ["tensorflow"]
    graph.remove_edge("python", "developer")
    assert [c["picked"] for c in study_plan(graph, "developer", known=["python"]).steps[-1].choices] == ["tensorflow"]


def test_a_discontinued_alternative_is_taken_only_when_all_are(graph):
    for node in ("tensorflow", "pytorch"):
        graph.nodes[node]["discontinued"] = True
    assert [c["picked"] for c in study_plan(graph, "developer").steps[-1].choices] == ["theano"]


def test_a_known_alternative_meets_the_group(graph):
    plan = study_plan(graph, "developer", known=["tensorflow"])
    assert [s.id for s in plan.steps] == ["calculus", "rnn", "developer"]
    assert plan.steps[-1].choices[0]["picked"] == "tensorflow" and plan.steps[-1].choices[0]["known"]
    assert "python" not in [s.id for s in plan.steps]  # known through tensorflow


def test_knowing_the_target_does_not_say_which_alternative_was_used(graph):
    known = known_closure(graph, ["developer"])
    assert {"calculus", "rnn", "developer"} <= known
    assert not known & {"theano", "tensorflow", "pytorch", "python"}


def test_next_needs_one_known_alternative(graph):
    known = known_closure(graph, ["calculus", "rnn"])
    assert "developer" not in next_steps(graph, known)
    assert "developer" in next_steps(graph, known | {"pytorch"})


def test_path_follows_only_what_orders_study(graph):
    assert paths(graph, "stochastic-processes", "rnn") == []
    assert paths(graph, "history", "rnn") == []
    assert paths(graph, "history", "rnn", include_recommended=True) == [["history", "rnn"]]
    assert paths(graph, "python", "developer", limit=5) == [["python", "theano", "developer"],
                                                             ["python", "tensorflow", "developer"]]


def test_tree_marks_alternatives(graph, folder):
    rows = {r.node: r for r in tree(graph, "developer")}
    assert rows["pytorch"].any_of == "framework" and rows["rnn"].any_of is None
    out = run(folder, "prereqs", "developer")
    assert "pytorch: PyTorch [any of: framework]" in out


def test_plans_say_which_alternative_was_taken(folder):
    text = run(folder, "order", "--target", "developer")
    assert "any one of (framework): pytorch, taken; or theano (discontinued), tensorflow" in text
    assert "go deeper: stochastic-processes" in text
    markdown = run(folder, "order", "--target", "developer", "--format", "markdown")
    assert "any one of (framework): pytorch, taken; or theano (discontinued), tensorflow" in markdown
    data = json.loads(run(folder, "order", "--target", "developer", "--format", "json"))
    assert data["steps"][-1]["choices"][0]["picked"] == "pytorch"
    assert data["deepening_not_included"] == ["stochastic-processes"]
    calculus = next(s for s in data["steps"] if s["id"] == "calculus")
    assert calculus["resources"][0]["part"] == "Chapter 5" and calculus["resources"][0]["part_hours"] == 12


def test_levels_give_each_step_its_wave(graph):
    plan = study_plan(graph, "developer", strategy="levels")
    assert {s.id: s.level for s in plan.steps} == {"calculus": 1, "pytorch": 1, "rnn": 2, "developer": 3}
    assert all(s.level is None for s in study_plan(graph, "developer").steps)


def test_the_cache_keeps_strengths_and_groups(folder, graph):
    load(folder)  # store
    cached = load(folder)
    assert list(cached.graph.edges(data=True)) == list(graph.edges(data=True))


def test_alternatives_do_not_make_edges_redundant(tmp_path):
    nodes = [{"id": i, "name": i, "kind": "topic"} for i in ("a", "b", "c", "t")]
    edges = [{"from": "a", "to": "b"}, {"from": "b", "to": "t", "any_of": "g"}, {"from": "c", "to": "t", "any_of": "g"},
             {"from": "a", "to": "t"}]
    loaded = load(write_data(tmp_path / "m", nodes, edges), use_cache=False)
    # a -> t is not implied by a -> b -> t: a learner who takes c never meets b
    assert not [d for d in loaded.warnings if "redundant" in d.message]
