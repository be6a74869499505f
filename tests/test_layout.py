"""The map's layout: reads left to right, bends long edges, deterministic, and no more tangled than dot."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import networkx as nx
import pytest

from graph.crossings import counted_edges, crossings, dot_crossings, drawing_segments
from graph.layout import COLUMN_GAP, LAYERED_UP_TO, layout
from graph.load import load

ROOT = Path(__file__).resolve().parent.parent
DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz dot is not installed: nothing to compare with")


def drawn_crossings(graph: nx.DiGraph) -> int:
    """The crossings of the page's drawing, counted as the benchmark counts them: as drawn, through bends."""
    drawing = layout(graph)
    return crossings(drawing_segments(drawing.positions, counted_edges(graph), drawing.bends))


def test_the_counter_counts_proper_crossings_only():
    x = [((0, 0), (2, 2)), ((0, 2), (2, 0))]
    assert crossings(x) == 1
    assert crossings([((0, 0), (2, 2)), ((2, 2), (4, 0))]) == 0  # a shared end
    assert crossings([((0, 0), (2, 0)), ((1, 0), (3, 0))]) == 0  # overlapping on a line
    assert crossings([((0, 0), (2, 0)), ((1, 0), (1, 5))]) == 0  # touching
    assert crossings([((0, 0), (1, 1)), ((2, 0), (3, 1))]) == 0
    # Each pair of the 4 diagonals of a 2x2 grid of boxes crosses where they meet.
    assert crossings([((0, y), (1, 1 - y)) for y in (0, 1)] + [((1, y), (2, 1 - y)) for y in (0, 1)]) == 2


def test_edges_run_left_to_right_through_one_bend_per_column_passed(sample_graph, random_dag):
    for graph in (sample_graph, random_dag(400, seed=1), random_dag(1500, seed=2, window=20)):
        drawing = layout(graph)
        assert drawing.layered
        pos = drawing.positions
        assert len(set(pos.values())) == graph.number_of_nodes()
        for u, v in counted_edges(graph):
            assert pos[u][0] < pos[v][0]
            xs = [x for x, _ in drawing.bends.get((u, v), ())]
            assert xs == list(range(pos[u][0] + COLUMN_GAP, pos[v][0], COLUMN_GAP))


def test_a_resource_that_only_teaches_sits_just_left_of_the_first_topic_it_teaches(sample_graph):
    pos = layout(sample_graph).positions
    for r in sample_graph:
        out = [(v, d.get("relation")) for _, v, d in sample_graph.out_edges(r, data=True)]
        if out and all(rel == "teaches" for _, rel in out) and not sample_graph.in_degree(r):
            first = min(pos[v][0] for v, _ in out)
            assert pos[r][0] == first - COLUMN_GAP


def test_the_layout_is_deterministic(random_dag):
    graph = random_dag(300, seed=5)
    again = nx.DiGraph(graph)
    assert layout(graph) == layout(again)


def test_a_cycle_is_drawn_without_failing():
    graph = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    drawing = layout(graph)
    assert set(drawing.positions) == set("abcd")


def test_above_the_layered_size_the_fast_layout_keeps_a_screen_like_shape(random_dag):
    graph = random_dag(LAYERED_UP_TO + 500, seed=3, window=3000)
    drawing = layout(graph)
    assert not drawing.layered and not drawing.bends
    xs, ys = [p[0] for p in drawing.positions.values()], [p[1] for p in drawing.positions.values()]
    assert 0.5 < (max(xs) - min(xs)) / (max(ys) - min(ys)) < 4


@needs_dot
def test_no_more_crossings_than_dot_on_the_bundled_map():
    graph = load(ROOT / "data", use_cache=False).graph
    assert drawn_crossings(graph) <= dot_crossings(graph)


def _generated(tmp_path, n):
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate, write

    return load(write(generate(n, 2.8, 1), tmp_path / f"g{n}"), use_cache=False).graph


def test_a_generated_1000_node_map_is_drawn_in_layers_through_its_bends(tmp_path):
    """Its long links need 36,834 bends: the layered engine takes them (the benchmark sets its crossings
    beside dot's), and each link is drawn through one bend in every column it passes."""
    graph = _generated(tmp_path, 1000)
    drawing = layout(graph)
    assert drawing.layered
    for (u, v), points in drawing.bends.items():
        columns = sorted((drawing.positions[u][0], drawing.positions[v][0]))
        assert [x for x, _ in points] == list(range(columns[0] + COLUMN_GAP, columns[1], COLUMN_GAP)) or \
            [x for x, _ in points][::-1] == list(range(columns[0] + COLUMN_GAP, columns[1], COLUMN_GAP))
    assert sum(map(len, drawing.bends.values())) > 30_000


def test_a_map_whose_long_links_need_too_many_bends_gets_the_fast_layout(tmp_path):
    """A generated 1,500-node map needs 74,216 bends, over the engine's limit: the fast layout draws it,
    so 'graph html' stays quick on it."""
    graph = _generated(tmp_path, 1500)
    assert graph.number_of_nodes() <= LAYERED_UP_TO
    drawing = layout(graph)
    assert not drawing.layered and not drawing.bends
