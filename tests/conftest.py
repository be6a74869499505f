"""Shared fixtures: a small study map written as YAML, a hostile graph, a random DAG factory."""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest
import yaml

from graph.load import load

SAMPLE_NODES = [
    {"id": "algebra", "name": "Algebra", "kind": "topic", "area": "math", "hours": 10,
     "summary": "Symbols, equations and functions.", "aliases": ["elementary algebra"]},
    {"id": "calculus", "name": "Calculus", "kind": "topic", "area": "math", "hours": 40,
     "summary": "Limits, derivatives and integrals."},
    {"id": "linear-algebra", "name": "Linear algebra", "kind": "topic", "area": "math", "hours": 30,
     "aliases": ["LA"]},
    {"id": "probability", "name": "Probability", "kind": "topic", "area": "statistics", "hours": 20},
    {"id": "statistics", "name": "Statistics", "kind": "topic", "area": "statistics", "hours": 25},
    {"id": "history", "name": "History of AI", "kind": "topic", "area": "ml", "hours": 3},
    {"id": "ml", "name": "Machine learning", "kind": "topic", "area": "ml", "hours": 60},
    {"id": "deep-learning", "name": "Deep learning", "kind": "topic", "area": "ml", "hours": 50},
    {"id": "khan-algebra", "name": "Khan Academy Algebra", "kind": "resource", "format": "course",
     "url": "https://www.khanacademy.org/math/algebra", "free": True, "preferred": True, "hours": 20},
    {"id": "strang", "name": "Strang: Linear Algebra", "kind": "resource", "format": "course",
     "url": "https://ocw.mit.edu/courses/18-06", "free": True},
    {"id": "dl-book", "name": "Deep Learning (the book)", "kind": "resource", "format": "book",
     "url": "https://www.deeplearningbook.org/", "author": "Goodfellow, Bengio, Courville"},
    {"id": "ml-engineer", "name": "ML engineer", "kind": "degree", "summary": "Builds and ships models."},
]
SAMPLE_EDGES = [
    {"from": "algebra", "to": "calculus", "why": "Calculus manipulates algebraic expressions."},
    {"from": "algebra", "to": "linear-algebra"},
    {"from": "calculus", "to": "probability"},
    {"from": "probability", "to": "statistics"},
    {"from": "statistics", "to": "ml", "relation": "theory-behind"},
    {"from": "linear-algebra", "to": "ml", "relation": "combines-into"},
    {"from": "calculus", "to": "ml", "relation": "combines-into"},
    {"from": "history", "to": "ml", "relation": "recommended"},
    {"from": "ml", "to": "deep-learning", "relation": "leads-to"},
    {"from": "deep-learning", "to": "ml-engineer"},
    {"from": "khan-algebra", "to": "algebra", "relation": "teaches"},
    {"from": "strang", "to": "linear-algebra", "relation": "teaches"},
    {"from": "dl-book", "to": "deep-learning", "relation": "teaches"},
    {"from": "linear-algebra", "to": "dl-book", "why": "The book opens with a linear algebra chapter."},
]

# Each payload sets window.__pwned or opens a dialog if it ever runs.
PAYLOADS = [
    "</script><script>window.__pwned=1;alert(1)</script>",
    '<img src=x onerror="window.__pwned=1;alert(1)">',
    "\"'><svg onload=window.__pwned=1>",
    "<!--<script>window.__pwned=1</script>-->",
    "\u2028\u2029${window.__pwned=1}`</style>",
    "&lt;b&gt; &amp; ]]>",
]
HOSTILE_ID = "evil\"'><img src=x onerror=window.__pwned=1>"


def write_data(folder: Path, nodes: list, edges: list) -> Path:
    """Write ``nodes.yaml`` and ``edges.yaml`` into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nodes.yaml").write_text(yaml.safe_dump({"nodes": nodes}, allow_unicode=True), encoding="utf-8")
    (folder / "edges.yaml").write_text(yaml.safe_dump({"edges": edges}, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """A folder holding the sample map (topics in three areas, resources, a degree, six relations)."""
    return write_data(tmp_path_factory.mktemp("sample"), SAMPLE_NODES, SAMPLE_EDGES)


@pytest.fixture()
def sample_graph(sample_dir) -> nx.DiGraph:
    """The sample map, loaded and free of errors (a fresh graph for each test)."""
    loaded = load(sample_dir, use_cache=False)
    assert not loaded.errors, loaded.errors
    return loaded.graph


@pytest.fixture()
def hostile_graph() -> nx.DiGraph:
    """A graph whose every text field, id, kind and relation carries a script payload."""
    g = nx.DiGraph()
    g.add_node(HOSTILE_ID, name=PAYLOADS[0], kind="topic", area=PAYLOADS[2], summary=PAYLOADS[1],
               url="javascript:window.__pwned=1", aliases=[PAYLOADS[3]], hours=2)
    g.add_node("plain", name=PAYLOADS[2], kind="topic", summary=PAYLOADS[4], url="https://example.org/a\"b<c>")
    g.add_node("book", name=PAYLOADS[1], kind="resource", url="javascript:alert(1)",
               current_url="data:text/html,<script>alert(1)</script>", author=PAYLOADS[5], format=PAYLOADS[3])
    g.add_node("odd", name=PAYLOADS[5], kind="<b onmouseover=window.__pwned=1>odd</b>")
    g.add_edge(HOSTILE_ID, "plain", relation="prerequisite", strength="required", why=PAYLOADS[0])
    g.add_edge("book", HOSTILE_ID, relation="teaches", why=PAYLOADS[1])
    g.add_edge("plain", "odd", relation="<script>window.__pwned=1</script>", strength="<b>required</b>",
               why=PAYLOADS[4])
    return g


def _random_dag(n: int, seed: int = 7, parents: int = 2, window: int = 300) -> nx.DiGraph:
    rng = random.Random(seed)
    g = nx.DiGraph()
    areas = [f"area-{i}" for i in range(12)]
    for i in range(n):
        g.add_node(f"n{i:05d}", name=f"Topic {i}", kind="resource" if i % 7 == 3 else "topic",
                   area=rng.choice(areas), hours=rng.randint(1, 20), summary=f"Summary of topic {i}.")
    for i in range(1, n):
        for j in rng.sample(range(max(0, i - window), i), min(i, parents)):
            g.add_edge(f"n{j:05d}", f"n{i:05d}", relation="prerequisite", strength="required")
    return g


@pytest.fixture()
def random_dag():
    """``random_dag(n, seed=7, parents=2, window=300)``: a seeded random DAG of ``n`` nodes."""
    return _random_dag
