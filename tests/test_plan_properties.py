"""Properties of study orders on random DAGs (hypothesis).

For any DAG, target and known set: the plan holds exactly the target and what it
needs through the edges that order study, minus what is known and what that
needs; each node once; every ordering edge among its nodes points forward; the
same input gives the same plan. With alternatives (``any_of`` groups), every
step has each of its groups met by a step before it or a known node, and only
the alternatives taken are studied.
"""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.model import RELATIONS, STRENGTHS, ordering_strengths
from graph.plan import known_closure, study_plan
from graph.query import dependents, next_steps, prerequisites

RELATION_NAMES = sorted(RELATIONS)


@st.composite
def dags(draw):
    n = draw(st.integers(min_value=1, max_value=25))
    # a random file order, and edges only forward in a random topological order: acyclic by construction
    order = draw(st.permutations(range(n)))
    kinds = draw(st.lists(st.sampled_from(["topic", "topic", "resource", "degree"]), min_size=n, max_size=n))
    graph = nx.DiGraph()
    for i in range(n):
        graph.add_node(f"n{i}", name=f"Node {i}", kind=kinds[i], hours=i % 4 or None)
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    for a, b in pairs:
        u, v = order[min(a, b)], order[max(a, b)]
        if u == v:
            continue
        relation = draw(st.sampled_from(RELATION_NAMES))
        if RELATIONS[relation].teaches and kinds[u] != "resource":
            relation = "prerequisite"
        spec = RELATIONS[relation]
        strength = spec.default_strength if spec.fixed else draw(st.sampled_from(sorted(STRENGTHS)))
        graph.add_edge(f"n{u}", f"n{v}", relation=relation, **({"strength": strength} if strength else {}))
    return graph


def expected_plan(graph, target, known, strengths):
    sub = nx.DiGraph()
    sub.add_nodes_from(graph)
    sub.add_edges_from((u, v) for u, v, r in graph.edges(data="strength") if r in strengths)
    known_all = set(known).union(*(nx.ancestors(sub, k) for k in known)) if known else set()
    return (nx.ancestors(sub, target) | {target}) - known_all, sub


@settings(max_examples=300, deadline=None, derandomize=True)
@given(dags(), st.data(), st.booleans(), st.sampled_from(["depth", "levels"]))
def test_plan_holds_exactly_the_needed_nodes_in_a_valid_order(graph, data, soft, strategy):
    nodes = list(graph)
    target = data.draw(st.sampled_from(nodes))
    known = data.draw(st.lists(st.sampled_from(nodes), max_size=4, unique=True))
    strengths = ordering_strengths(include_recommended=soft)
    plan = study_plan(graph, target, known, include_recommended=soft, strategy=strategy)
    ids = [s.id for s in plan.steps]
    wanted, sub = expected_plan(graph, target, known, strengths)
    assert len(ids) == len(set(ids))
    assert set(ids) == wanted
    position = {n: i for i, n in enumerate(ids)}
    for u, v in sub.edges:
        if u in position and v in position:
            assert position[u] < position[v]
    again = study_plan(graph.copy(), target, list(known), include_recommended=soft, strategy=strategy)
    assert [s.id for s in again.steps] == ids
    assert plan.totals().hours == sum(graph.nodes[n]["hours"] or 0 for n in ids)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(dags(), st.data())
def test_prerequisites_and_dependents_are_ancestors_and_descendants(graph, data):
    node = data.draw(st.sampled_from(list(graph)))
    _, sub = expected_plan(graph, node, [], ordering_strengths())
    before = prerequisites(graph, node)
    after = dependents(graph, node)
    assert set(before) == nx.ancestors(sub, node) and len(before) == len(set(before))
    assert set(after) == nx.descendants(sub, node) and len(after) == len(set(after))
    for order in (before + [node], [node] + after):
        position = {n: i for i, n in enumerate(order)}
        assert all(position[u] < position[v] for u, v in sub.edges if u in position and v in position)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(dags(), st.data())
def test_next_steps_have_every_prerequisite_known(graph, data):
    known = known_closure(graph, data.draw(st.lists(st.sampled_from(list(graph)), max_size=5, unique=True)))
    _, sub = expected_plan(graph, next(iter(graph)), [], ordering_strengths())
    found = next_steps(graph, known)
    for node in found:
        assert node not in known
        assert set(sub.predecessors(node)) <= known
    # nothing studiable is missed: every topic or degree outside `known` with known prerequisites is offered
    for node, kind in graph.nodes(data="kind"):
        if kind != "resource" and node not in known and set(sub.predecessors(node)) <= known:
            assert node in found


@st.composite
def dags_with_alternatives(draw):
    """A DAG whose required edges into a node are sometimes grouped as alternatives."""
    graph = draw(dags())
    for node in graph:
        required = [u for u, d in graph._pred[node].items() if d.get("strength") == "required"]
        if len(required) >= 2 and draw(st.booleans()):
            members = draw(st.lists(st.sampled_from(required), min_size=2, max_size=len(required), unique=True))
            for u in members:
                graph._pred[node][u]["any_of"] = "g"
    return graph


@settings(max_examples=300, deadline=None, derandomize=True)
@given(dags_with_alternatives(), st.data(), st.sampled_from(["depth", "levels"]))
def test_alternatives_are_met_once_each_and_in_order(graph, data, strategy):
    nodes = list(graph)
    target = data.draw(st.sampled_from(nodes))
    known = data.draw(st.lists(st.sampled_from(nodes), max_size=3, unique=True))
    plan = study_plan(graph, target, known, strategy=strategy)
    ids = [s.id for s in plan.steps]
    position = {n: i for i, n in enumerate(ids)}
    known_all = known_closure(graph, known)
    assert len(ids) == len(set(ids)) and not set(ids) & known_all
    assert ids == [] if target in known_all else ids[-1] == target or strategy == "levels"
    for step in plan.steps:
        needs = graph._pred[step.id]
        groups = {}
        for u, d in needs.items():
            if d.get("strength") != "required":
                continue
            if "any_of" in d:
                groups.setdefault(d["any_of"], []).append(u)
            else:  # a plain requirement: studied before, or known
                assert u in known_all or position[u] < position[step.id]
        for group, members in groups.items():
            met = [m for m in members if m in known_all or (m in position and position[m] < position[step.id])]
            assert met, f"{step.id}: no alternative of {members} is met"
            choice = next(c for c in step.choices if c["group"] == group)
            assert choice["picked"] in met and sorted([choice["picked"], *choice["alternatives"]]) == sorted(members)
    # nothing is studied that no step needs: every step but the target is a plain need or a pick of a later step
    picked = {(c["picked"]) for s in plan.steps for c in s.choices}
    for step in plan.steps:
        if step.id != target:
            assert step.needed_for, f"{step.id} is in the plan but needed by no step"
            assert any("any_of" not in graph._pred[n][step.id] or step.id in picked for n in step.needed_for)
