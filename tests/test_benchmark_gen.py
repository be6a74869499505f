"""The benchmark generator makes valid, acyclic data in the project's format."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from graph.load import load

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate, write  # noqa: E402


@pytest.mark.parametrize("n, mean, seed", [(1, 2.8, 0), (2, 2.8, 1), (300, 2.8, 2), (200, 0.5, 3), (150, 6, 4)])
def test_generated_data_is_a_valid_dag(tmp_path, n, mean, seed):
    data = generate(n, mean, seed)
    write(data, tmp_path)
    loaded = load(tmp_path, use_cache=False)
    assert loaded.errors == [], loaded.errors[:3]
    graph = loaded.graph
    assert graph.number_of_nodes() == n
    assert graph.number_of_edges() == len(data.edges)
    assert nx.is_directed_acyclic_graph(graph)
    assert data.deepest in graph
    assert nx.dag_longest_path_length(graph) == data.depth
    assert len(nx.ancestors(graph, data.deepest)) >= data.depth
    assert {graph.nodes[node]["kind"] for node in graph} == {"topic"}


def test_mean_number_of_prerequisites_is_close_to_asked():
    data = generate(5000, 2.8, seed=7)
    assert 2.6 <= len(data.edges) / 5000 <= 2.9


def test_fields_and_seed():
    first, again, other = generate(500, seed=3), generate(500, seed=3), generate(500, seed=4)
    assert first == again
    assert first.edges != other.edges
    fields = {name for node in first.nodes for name in node}
    assert fields == {"id", "name", "kind", "summary", "hours", "area"}
    assert any("summary" not in node for node in first.nodes)


def test_script(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "50", str(tmp_path / "g"),
                          "--seed", "9"], capture_output=True, text=True, check=True)
    assert "50 nodes" in run.stdout and "deepest node" in run.stdout
    assert load(tmp_path / "g", use_cache=False).errors == []


@pytest.mark.parametrize("seed", range(40))
def test_redundant_edge_paths_match_breadth_first_search(seed):
    """The two-sided search of validate names the same path as a plain breadth-first search."""
    import random

    from graph.validate import _ordering_path, _shortest_first_path

    rng = random.Random(seed)
    data = generate(rng.randint(2, 60), rng.choice([0.5, 1, 2.8, 5]), seed)
    edges = [(u, v, {"relation": rng.choice(["prerequisite"] * 4 + ["teaches", "recommended"])})
             for u, v in data.edges]
    rng.shuffle(edges)
    graph = nx.DiGraph()
    graph.add_nodes_from(node["id"] for node in data.nodes)
    graph.add_edges_from(edges)
    keep = {u: [v for v, d in graph._succ[u].items() if d["relation"] == "prerequisite"] for u in graph}
    back = {v: [u for u, d in graph._pred[v].items() if d["relation"] == "prerequisite"] for v in graph}
    bit = {node: 1 << i for i, node in enumerate(graph)}
    below = {}
    for node in reversed(list(nx.topological_sort(graph))):
        below[node] = 0
        for v in keep[node]:
            below[node] |= bit[v] | below[v]
    for u in graph:
        for v in graph:
            if below[u] & bit[v]:
                assert _shortest_first_path(keep, back, u, v, below, bit) == _ordering_path(keep, u, v)
