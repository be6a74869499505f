"""Properties of study orders on random DAGs (hypothesis).

For any DAG, target and known set: the plan holds exactly the target and what it
needs through ordering relations, minus what is known and what that needs; each
node once; every ordering edge among its nodes points forward; the same input
gives the same plan.
"""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.model import RELATIONS, ordering_relations
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
        if RELATIONS[relation].alternative and kinds[u] != "resource":
            relation = "prerequisite"
        graph.add_edge(f"n{u}", f"n{v}", relation=relation)
    return graph


def expected_plan(graph, target, known, relations):
    sub = nx.DiGraph()
    sub.add_nodes_from(graph)
    sub.add_edges_from((u, v) for u, v, r in graph.edges(data="relation") if r in relations)
    known_all = set(known).union(*(nx.ancestors(sub, k) for k in known)) if known else set()
    return (nx.ancestors(sub, target) | {target}) - known_all, sub


@settings(max_examples=300, deadline=None, derandomize=True)
@given(dags(), st.data(), st.booleans(), st.sampled_from(["depth", "levels"]))
def test_plan_holds_exactly_the_needed_nodes_in_a_valid_order(graph, data, soft, strategy):
    nodes = list(graph)
    target = data.draw(st.sampled_from(nodes))
    known = data.draw(st.lists(st.sampled_from(nodes), max_size=4, unique=True))
    relations = ordering_relations(include_recommended=soft)
    plan = study_plan(graph, target, known, include_recommended=soft, strategy=strategy)
    ids = [s.id for s in plan.steps]
    wanted, sub = expected_plan(graph, target, known, relations)
    assert len(ids) == len(set(ids))
    assert set(ids) == wanted
    position = {n: i for i, n in enumerate(ids)}
    for u, v in sub.edges:
        if u in position and v in position:
            assert position[u] < position[v]
    again = study_plan(graph.copy(), target, list(known), include_recommended=soft, strategy=strategy)
    assert [s.id for s in again.steps] == ids
    assert plan.total_hours == sum(graph.nodes[n]["hours"] or 0 for n in ids)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(dags(), st.data())
def test_prerequisites_and_dependents_are_ancestors_and_descendants(graph, data):
    node = data.draw(st.sampled_from(list(graph)))
    _, sub = expected_plan(graph, node, [], ordering_relations())
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
    _, sub = expected_plan(graph, next(iter(graph)), [], ordering_relations())
    found = next_steps(graph, known)
    for node in found:
        assert node not in known
        assert set(sub.predecessors(node)) <= known
    # nothing studiable is missed: every topic or degree outside `known` with known prerequisites is offered
    for node, kind in graph.nodes(data="kind"):
        if kind != "resource" and node not in known and set(sub.predecessors(node)) <= known:
            assert node in found
