"""Sanity checks of the bundled map's content (data/nodes.yaml, data/edges.yaml).

The map encodes the curated list awesomeMLmath (Eder Santana, MIT licence).
Its exact links and the sentences quoted as reasons are hard-coded here, so the
test runs from any clone.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.load import load
from graph.model import ordering_strengths

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# Every link of the seed list, character for character.
SEED_URLS = {
    "khan-calculus": "https://www.khanacademy.org/math/calculus-home",
    "khan-linear-algebra": "https://www.khanacademy.org/math/linear-algebra",
    "mit-18-06": "http://ocw.mit.edu/courses/mathematics/18-06-linear-algebra-spring-2010/"
                 "video-lectures/lecture-21-eigenvalues-and-eigenvectors/",
    "edx-intro-statistics": "https://www.edx.org/course/introduction-statistics-descriptive-uc-berkeleyx-stat2-1x",
    "edx-probability": "https://www.edx.org/course/introduction-statistics-probability-uc-berkeleyx-stat2-2x",
    "hajek-random-processes": "http://www.ifp.illinois.edu/~hajek/Papers/randomprocDec11.pdf",
    "colah-visual-information": "http://colah.github.io/posts/2015-09-Visual-Information/",
    "edx-signals-and-systems": "https://www.edx.org/course/signals-systems-part-1-iitbombayx-ee210-1x-1",
    "edx-discrete-time-signal-processing": "https://www.edx.org/course/discrete-time-signal-processing-mitx-6-341x-1",
    "wikipedia-adaptive-filter": "https://en.wikipedia.org/wiki/Adaptive_filter",
    "quora-beginner-dl-projects": "https://www.quora.com/What-are-some-beginner-Deep-Learning-project-ideas",
    "quora-brockman-answer": "https://www.quora.com/What-are-the-best-ways-to-pick-up-Deep-Learning-skills-as-an-"
                             "engineer/answer/Greg-Brockman",
    "keras": "https://github.com/fchollet/keras.git",
    "xgboost": "https://github.com/dmlc/xgboost",
}

# Sentences of the seed list that edges quote as their reason (spelling kept).
SEED_SENTENCES = [
    'If you "combine" Probability with Signal Processing you have Stochastic Processes which is the theory '
    "behind RNN, Kalman Filters, etc.",
    "You will use that to understand Principal Compoenent Analysis and the idea of space transformation which "
    "is what feature learning is all about.",
    "Signal processing will teach what are convolutions (for you convolutional neural nets).",
    "signal processing is just linear algebra++.",
    "Fourier Transforms is an eigenvalue decomposition.",
    "a probability density function (pdf) is as much as we can know about a radom variable.",
    'Machine Learning is about estimating "momements" (you should learn that) of a pdf.',
    "(mean and var are the 1st and 2nd order moments)",
    "Information Theory generalizes all that.",
    "this is the basis of neural nets",
    "you should feel good if you can use Keras and XGboost for Kaggle competitions.",
    "write your own multilayer perceptron from scratch and contribute new layers to Keras.",
    "This means implementing models from papers in Theano or Tensorflow.",
    "You should need calculus and linear algebra to understand what you are doing.",
    "Maybe some statistics and probability to understand the expectation operators and cost functions.",
    'But if you can understand the "An exploration of Random Processes for Engineers" you may already know '
    "most of the basic and intermediary math necessary.",
]

# What the list says, as (from, to, relation, a sentence the edge's why must quote).
SEED_EDGES = [
    ("probability", "stochastic-processes", "combines-into", SEED_SENTENCES[0]),
    ("signal-processing", "stochastic-processes", "combines-into", SEED_SENTENCES[0]),
    ("stochastic-processes", "rnn", "theory-behind", SEED_SENTENCES[0]),
    ("stochastic-processes", "kalman-filter", "theory-behind", SEED_SENTENCES[0]),
    ("eigendecomposition", "pca", "leads-to", SEED_SENTENCES[1]),
    ("eigendecomposition", "feature-learning", "leads-to", SEED_SENTENCES[1]),
    ("convolution", "cnn", "theory-behind", SEED_SENTENCES[2]),
    ("linear-algebra", "signal-processing", "prerequisite", SEED_SENTENCES[3]),
    ("eigendecomposition", "fourier-transform", "special-case", SEED_SENTENCES[4]),
    ("random-variables", "pdf", "prerequisite", SEED_SENTENCES[5]),
    ("pdf", "moments", "prerequisite", SEED_SENTENCES[6]),
    ("moments", "gaussian", "prerequisite", SEED_SENTENCES[7]),
    ("moments", "information-theory", "generalized-by", SEED_SENTENCES[8]),
    ("adaptive-filters", "mlp", "theory-behind", SEED_SENTENCES[9]),
    ("keras", "practitioner", "prerequisite", SEED_SENTENCES[10]),
    ("xgboost", "practitioner", "prerequisite", SEED_SENTENCES[10]),
    ("kaggle-competitions", "practitioner", "prerequisite", SEED_SENTENCES[10]),
    ("mlp", "developer", "prerequisite", SEED_SENTENCES[11]),
    ("implementing-models", "developer", "prerequisite", SEED_SENTENCES[12]),
    ("calculus", "developer", "prerequisite", SEED_SENTENCES[13]),
    ("linear-algebra", "developer", "prerequisite", SEED_SENTENCES[13]),
    ("statistics", "developer", "recommended", SEED_SENTENCES[14]),
    ("probability", "developer", "recommended", SEED_SENTENCES[14]),
    ("hajek-random-processes", "researcher", "prerequisite", SEED_SENTENCES[15]),
]

# Chains a learner must be led through (each step an ordering edge or path).
REQUIRED_PATHS = [
    ["probability", "rnn"],
    ["signal-processing", "stochastic-processes", "kalman-filter"],
    ["probability", "stochastic-processes", "rnn"],
    ["linear-algebra", "pca"],
    ["eigendecomposition", "pca"],
    ["eigendecomposition", "fourier-transform"],
    ["linear-algebra", "signal-processing", "stochastic-processes"],
    ["pdf", "moments", "information-theory"],
    ["moments", "gaussian"],
    ["convolution", "cnn"],
    ["adaptive-filters", "mlp", "developer"],
    ["limits", "derivatives", "chain-rule", "partial-derivatives", "gradient"],
    ["gradient", "gradient-descent", "adaptive-filters"],
    ["chain-rule", "backpropagation", "mlp"],
    ["gradient", "backpropagation"],
    ["vectors", "matrices", "matrix-multiplication", "linear-systems", "eigendecomposition", "svd"],
    ["random-variables", "expectation", "moments"],
    ["estimators", "maximum-likelihood", "cost-functions"],
    ["entropy", "kl-divergence", "cross-entropy", "cost-functions"],
    ["lti-systems", "convolution", "fourier-transform", "digital-filters"],
    ["markov-chains", "state-space-models", "kalman-filter"],
    ["calculus", "developer"],
    ["linear-algebra", "developer"],
    ["calculus", "hajek-random-processes", "researcher"],
    ["probability", "hajek-random-processes"],
    ["practitioner", "developer", "researcher"],
    ["keras", "practitioner"],
    ["xgboost", "practitioner"],
]

AREAS = ["calculus", "linear-algebra", "statistics", "probability", "signal-processing",
         "stochastic-processes", "information-theory"]
MODELS = ["mlp", "cnn", "rnn", "pca", "kalman-filter"]
DEGREES = ["practitioner", "developer", "researcher"]


@pytest.fixture(scope="module")
def loaded():
    try:
        return load(DATA_DIR, use_cache=False)
    except TypeError:  # a loader without the cache option
        return load(DATA_DIR)


@pytest.fixture(scope="module")
def graph(loaded):
    return loaded.graph


@pytest.fixture(scope="module")
def ordering(graph):
    """The graph restricted to the edges that order study."""
    strengths = ordering_strengths()
    g = nx.DiGraph()
    g.add_nodes_from(graph.nodes)
    g.add_edges_from((u, v) for u, v, strength in graph.edges(data="strength") if strength in strengths)
    return g


def _of_kind(graph, kind):
    return [n for n, k in graph.nodes(data="kind") if k == kind]


def test_loads_without_errors(loaded):
    assert [str(d) for d in loaded.diagnostics if d.level == "error"] == []


def test_no_untaught_or_isolated_warnings(loaded):
    bad = [str(d) for d in loaded.diagnostics
           if d.level == "warning" and ("teaches it" in d.message or "isolated" in d.message)]
    assert bad == []


def test_only_redundant_edges_kept_are_claims_of_the_list(loaded, graph):
    for d in loaded.diagnostics:
        if d.level != "warning":
            continue
        assert d.message.startswith("redundant edge "), str(d)
        u, v = d.message[len("redundant edge "):].split(":")[0].split(" -> ")
        why = graph.edges[u, v].get("why", "")
        assert any(s in why for s in SEED_SENTENCES), f"redundant edge {u} -> {v} is not a claim of the list"


def test_acyclic(graph):
    assert nx.is_directed_acyclic_graph(graph)


def test_size(graph):
    assert 60 <= graph.number_of_nodes() <= 110


def test_every_seed_url_is_a_preferred_resource(graph):
    for node_id, url in SEED_URLS.items():
        assert node_id in graph, node_id
        attrs = graph.nodes[node_id]
        assert attrs["kind"] == "resource"
        assert attrs["url"] == url, node_id
        assert attrs.get("preferred") is True, node_id
    urls = {attrs.get("url") for _, attrs in graph.nodes(data=True)}
    assert set(SEED_URLS.values()) <= urls


def test_only_the_lists_resources_are_preferred(graph):
    preferred = {n for n, p in graph.nodes(data="preferred") if p}
    assert preferred == set(SEED_URLS)


def test_current_urls_sit_beside_the_original(graph):
    for node_id, attrs in graph.nodes(data=True):
        if "current_url" in attrs:
            assert attrs.get("url"), node_id
            assert attrs["current_url"] != attrs["url"], node_id
            assert attrs["current_url"].startswith("https://"), node_id


def test_tools_of_the_practitioner(graph):
    for node_id in ("keras", "xgboost"):
        assert graph.nodes[node_id]["format"] == "tool"


def test_resources_are_described(graph):
    for node_id in _of_kind(graph, "resource"):
        attrs = graph.nodes[node_id]
        for name in ("name", "summary", "format", "free", "hours", "area"):
            assert name in attrs, f"resource {node_id} lacks {name}"


def test_topics_are_described(graph):
    for node_id in _of_kind(graph, "topic"):
        attrs = graph.nodes[node_id]
        for name in ("summary", "area", "hours"):
            assert attrs.get(name) not in (None, ""), f"topic {node_id} lacks {name}"


def test_every_topic_is_taught(graph):
    for node_id in _of_kind(graph, "topic"):
        teachers = [u for u, _, rel in graph.in_edges(node_id, data="relation") if rel == "teaches"]
        assert teachers, f"no resource teaches {node_id}"
        assert all(graph.nodes[u]["kind"] == "resource" for u in teachers)


def test_areas_are_topics_taught_by_the_list(graph):
    for area in AREAS:
        assert graph.nodes[area]["kind"] == "topic"
        teachers = {u for u, _, rel in graph.in_edges(area, data="relation") if rel == "teaches"}
        assert teachers & set(SEED_URLS), f"no resource of the list teaches {area}"


def test_models_named_by_the_list_are_topics(graph):
    for model in MODELS:
        assert graph.nodes[model]["kind"] == "topic"


def test_every_edge_has_a_reason(graph):
    for u, v, why in graph.edges(data="why"):
        assert why and why.strip(), f"edge {u} -> {v} has no why"


@pytest.mark.parametrize("source,target,relation,sentence", SEED_EDGES,
                         ids=[f"{s}->{t}" for s, t, _, _ in SEED_EDGES])
def test_claims_of_the_list(graph, source, target, relation, sentence):
    assert graph.has_edge(source, target), f"missing {source} -> {target}"
    edge = graph.edges[source, target]
    assert edge["relation"] == relation
    assert sentence in edge["why"]


@pytest.mark.parametrize("chain", REQUIRED_PATHS, ids=["->".join(c) for c in REQUIRED_PATHS])
def test_paths(ordering, chain):
    for a, b in zip(chain, chain[1:]):
        assert nx.has_path(ordering, a, b), f"no ordering path {a} -> {b}"


def test_three_cumulative_degrees(graph, ordering):
    assert sorted(_of_kind(graph, "degree")) == sorted(DEGREES)
    for lower, higher in zip(DEGREES, DEGREES[1:]):
        assert graph.has_edge(lower, higher)
        assert graph.edges[lower, higher]["relation"] == "prerequisite"
    assert "practitioner" in nx.ancestors(ordering, "researcher")


def test_the_researcher_plan_covers_every_topic(graph, ordering):
    needed = nx.ancestors(ordering, "researcher")
    missing = [t for t in _of_kind(graph, "topic") if t not in needed]
    assert missing == []


def test_developer_only_recommends_statistics_and_probability(ordering):
    needed = nx.ancestors(ordering, "developer")
    assert {"calculus", "linear-algebra", "mlp"} <= needed
    assert "statistics" not in needed and "probability" not in needed
    assert "stochastic-processes" not in needed


def test_practitioner_needs_no_math(graph, ordering):
    areas = {graph.nodes[n].get("area") for n in nx.ancestors(ordering, "practitioner")}
    assert areas <= {"machine-learning", "general"}


def test_the_quora_lists_are_attached(graph):
    for node_id, goal in (("quora-beginner-dl-projects", "practitioner"), ("quora-brockman-answer", "developer")):
        assert graph.out_degree(node_id) > 0
        reach = nx.descendants(graph, node_id)
        assert goal in reach, f"{node_id} does not lead toward {goal}"
