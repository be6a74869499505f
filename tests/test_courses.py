"""Course plans (graph/courses.py): the set cover is exact against brute force, the greedy keeps its bound,
and the plan of courses honours --free, --parts, steps no resource teaches and a stable order."""

from __future__ import annotations

import itertools
import re

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.courses import course_plan, exact_cover, greedy_bound, greedy_cover
from graph.plan import study_plan


def brute_force(universe, sets, costs):
    """The least cost of a cover of what ``sets`` can cover of ``universe``, over every subset of ``sets``."""
    coverable = set().union(*sets) & set(universe) if sets else set()
    best = None
    for r in range(len(sets) + 1):
        for combo in itertools.combinations(range(len(sets)), r):
            if coverable <= set().union(*(sets[i] for i in combo)):
                cost = sum(costs[i] for i in combo)
                best = cost if best is None else min(best, cost)
    return best


@st.composite
def instances(draw, max_sets=9):
    n = draw(st.integers(1, 8))
    universe = list(range(n))
    k = draw(st.integers(1, max_sets))
    sets = [frozenset(draw(st.sets(st.integers(0, n + 1), min_size=1, max_size=n))) for _ in range(k)]
    costs = [draw(st.one_of(st.integers(0, 60), st.sampled_from([0.5, 1.25, 6.25, 12.5]))) for _ in range(k)]
    return universe, sets, costs


def _covers(universe, sets, chosen):
    coverable = set().union(*sets) & set(universe)
    return coverable <= set().union(*(sets[i] for i in chosen)) if chosen else not coverable


@settings(max_examples=200, deadline=None)
@given(instances())
def test_exact_cover_costs_what_brute_force_finds(case):
    universe, sets, costs = case
    found = exact_cover(universe, sets, costs)
    assert found.exact
    assert _covers(universe, sets, found.chosen)
    assert found.hours == pytest.approx(sum(costs[i] for i in found.chosen))
    assert found.hours == pytest.approx(brute_force(universe, sets, costs))


@settings(max_examples=200, deadline=None)
@given(instances())
def test_greedy_cover_covers_within_its_bound(case):
    universe, sets, costs = case
    found = greedy_cover(universe, sets, costs)
    assert _covers(universe, sets, found.chosen)
    least = brute_force(universe, sets, costs)
    assert found.hours <= greedy_bound(sets, universe) * least + 1e-9


def test_greedy_is_worse_than_exact_where_the_bound_allows():
    # The classic case: greedy takes the cheapest per element first and pays more than the least.
    universe = list(range(6))
    sets = [frozenset(range(6)), frozenset({0, 1, 2}), frozenset({3, 4}), frozenset({5})]
    costs = [6.5, 3, 3, 2]
    assert greedy_cover(universe, sets, costs).hours == 8
    assert exact_cover(universe, sets, costs).hours == 6.5
    assert 8 <= greedy_bound(sets, universe) * 6.5


def _map(parts_hours=True) -> nx.DiGraph:
    """Four topics in a chain to a degree; a big free book teaches all of them (parts with hours),
    two paid courses two each, and nothing teaches 'orphan'."""
    g = nx.DiGraph()
    for node, hours in (("a", 5), ("b", 5), ("c", 5), ("d", 5), ("orphan", 2)):
        g.add_node(node, name=node.upper(), kind="topic", hours=hours)
    g.add_node("goal", name="Goal", kind="degree")
    for u, v in (("a", "b"), ("b", "c"), ("c", "d"), ("d", "goal"), ("orphan", "goal")):
        g.add_edge(u, v, relation="prerequisite", strength="required")
    g.add_node("book", name="Book", kind="resource", hours=100, free=True, format="book")
    g.add_node("ab", name="Course AB", kind="resource", hours=30, free=False, format="course")
    g.add_node("cd", name="Course CD", kind="resource", hours=30, free=False, format="course")
    for i, step in enumerate("abcd", 1):
        extra = {"part": f"Chapter {i}", "hours": 8} if parts_hours else {"part": f"Chapter {i}"}
        g.add_edge("book", step, relation="teaches", **extra)
    for r, steps in (("ab", "ab"), ("cd", "cd")):
        for step in steps:
            g.add_edge(r, step, relation="teaches")
    return g


def test_whole_resources_cost_their_whole_hours_in_the_order_first_needed():
    g = _map()
    cp = course_plan(g, study_plan(g, "goal"))
    assert [(c.id, c.steps, c.hours) for c in cp.courses] == [("ab", ["a", "b"], 30), ("cd", ["c", "d"], 30)]
    assert cp.total_hours == 60 and cp.method == "exact"


def test_free_takes_only_free_resources():
    g = _map()
    cp = course_plan(g, study_plan(g, "goal"), free=True)
    assert [(c.id, c.hours) for c in cp.courses] == [("book", 100)]
    assert all(c.free for c in cp.courses)


def test_parts_cost_the_hours_of_the_parts_taken():
    g = _map()
    cp = course_plan(g, study_plan(g, "goal"), parts=True)
    assert [(c.id, c.steps, c.hours, c.whole) for c in cp.courses] == [("book", ["a", "b", "c", "d"], 32, False)]
    assert [p[1] for p in cp.courses[0].parts] == ["Chapter 1", "Chapter 2", "Chapter 3", "Chapter 4"]


def test_parts_without_hours_are_had_only_with_the_whole_resource():
    g = _map(parts_hours=False)
    cp = course_plan(g, study_plan(g, "goal"), parts=True, free=True)
    assert [(c.id, c.hours, c.whole) for c in cp.courses] == [("book", 100, True)]


def test_steps_no_resource_teaches_are_listed_and_degrees_are_not():
    g = _map()
    cp = course_plan(g, study_plan(g, "goal"))
    assert cp.uncovered == ["orphan"]
    g.remove_nodes_from(["ab", "cd", "book"])
    assert course_plan(g, study_plan(g, "goal")).uncovered == ["a", "b", "c", "d", "orphan"]


def test_known_steps_need_no_resource():
    g = _map()
    cp = course_plan(g, study_plan(g, "goal", known=["b"]))
    assert [(c.id, c.steps) for c in cp.courses] == [("cd", ["c", "d"])]


def test_a_resource_step_teaches_itself_and_its_parts_count_the_rest():
    g = _map()
    g.add_node("paper", name="Paper", kind="resource", hours=10, free=True)
    g.add_edge("paper", "goal", relation="prerequisite", strength="required")
    g.add_edge("paper", "d", relation="teaches", part="Section 2", hours=4)
    plan = study_plan(g, "goal")
    cp = course_plan(g, plan, parts=True)
    paper = next(c for c in cp.courses if c.id == "paper")
    assert "paper" in paper.steps
    whole = course_plan(g, plan)
    assert [c.id for c in whole.courses if c.id == "paper"] == ["paper"]


def test_greedy_past_the_limit_says_so_and_keeps_the_cover():
    g = _map()
    plan = study_plan(g, "goal")
    cp = course_plan(g, plan, exact_limit=1)
    assert cp.method == "greedy" and cp.bound >= 1
    assert cp.uncovered == ["orphan"]
    assert cp.total_hours <= cp.bound * course_plan(g, plan).total_hours


def test_course_plans_are_deterministic():
    g = _map()
    plan = study_plan(g, "goal")
    first = course_plan(g, plan, parts=True).to_dict()
    assert all(course_plan(g, plan, parts=True).to_dict() == first for _ in range(5))
    assert set(first) >= {"resources", "total_hours"}
    assert all(set(r) >= {"id", "steps", "hours"} for r in first["resources"])


def test_markdown_escapes_what_the_map_says():
    from graph.render.courses import courses_markdown, courses_text

    g = _map()
    g.nodes["book"]["name"] = "Book *bold* <script>alert(1)</script>"
    g.edges["book", "a"]["part"] = "[Chapter](javascript:alert(1))\nnext line"
    cp = course_plan(g, study_plan(g, "goal"), parts=True, free=True)
    markdown = courses_markdown(cp)
    assert "Book \\*bold\\* \\<script\\>alert(1)\\</script\\>" in markdown
    assert "\\[Chapter\\](javascript:alert(1)) next line, 8 h)" in markdown
    assert re.search(r"(?<!\\)[<*\[]", markdown.replace("- [ ]", "").replace("**", "")) is None
    assert "next line" in courses_text(cp) and "\nnext line" not in courses_text(cp)


def test_an_exact_search_past_its_budget_says_it_is_not_proven_and_keeps_the_greedy_bound():
    universe = list(range(6))
    sets = [frozenset(range(6)), frozenset({0, 1, 2}), frozenset({3, 4}), frozenset({5})]
    costs = [6.5, 3, 3, 2]
    cut = exact_cover(universe, sets, costs, budget=0)
    assert not cut.exact and cut.hours <= greedy_cover(universe, sets, costs).hours
    assert exact_cover(universe, sets, costs).exact
