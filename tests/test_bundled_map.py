"""The bundled map's content (data/nodes.yaml, data/edges.yaml): its fidelity to the list and its pedagogy.

The map encodes the curated list awesomeMLmath (Eder Santana, MIT licence).
Its exact links and the sentences quoted as reasons are hard-coded here, so the
test runs from any clone. The pedagogy tests hold what a teacher signed in
docs/map-review.md: what each degree's plan holds and leaves out, how long it
takes, and which of the list's claims order study and which only deepen it.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from graph.load import load
from graph.model import ordering_strengths
from graph.plan import study_plan

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

# The list's links whose current address is not certain: they keep the list's URL and say so in a note.
UNVERIFIED_SEED_URLS = ["khan-calculus", "edx-intro-statistics", "edx-probability", "edx-signals-and-systems",
                        "edx-discrete-time-signal-processing", "hajek-random-processes"]

# The section of the list each of its learning resources is named under, as an area of the map.
LIST_SECTIONS = {
    "khan-calculus": "calculus",
    "khan-linear-algebra": "linear-algebra",
    "mit-18-06": "linear-algebra",
    "edx-intro-statistics": "statistics",
    "edx-probability": "probability",
    "hajek-random-processes": "stochastic-processes",
    "colah-visual-information": "information-theory",
    "edx-signals-and-systems": "signal-processing",
    "edx-discrete-time-signal-processing": "signal-processing",
    "wikipedia-adaptive-filter": "signal-processing",
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
    "The main topics are Calculus, Linear Algebra, Statistics, Probability and Signal Processing.",
    "DO NOT stop with just solving system of equations",
]

REQUIRED, RECOMMENDED, DEEPENING = "required", "recommended", "deepening"

# What the list says, as (from, to, relation, strength, a sentence the edge's why must quote).
# Where the list says where a topic's theory lives, the edge deepens it; it does not order study.
SEED_EDGES = [
    ("probability", "stochastic-processes", "combines-into", REQUIRED, SEED_SENTENCES[0]),
    ("signal-processing", "stochastic-processes", "combines-into", DEEPENING, SEED_SENTENCES[0]),
    ("stochastic-processes", "rnn", "theory-behind", DEEPENING, SEED_SENTENCES[0]),
    ("stochastic-processes", "kalman-filter", "theory-behind", DEEPENING, SEED_SENTENCES[0]),
    ("stochastic-processes", "researcher", "prerequisite", REQUIRED, SEED_SENTENCES[0]),
    ("eigendecomposition", "pca", "leads-to", REQUIRED, SEED_SENTENCES[1]),
    ("eigendecomposition", "pca", "leads-to", REQUIRED, SEED_SENTENCES[17]),
    ("eigendecomposition", "feature-learning", "leads-to", REQUIRED, SEED_SENTENCES[1]),
    ("convolution", "cnn", "theory-behind", REQUIRED, SEED_SENTENCES[2]),
    ("linear-algebra", "signal-processing", "prerequisite", REQUIRED, SEED_SENTENCES[3]),
    ("eigendecomposition", "fourier-transform", "special-case", REQUIRED, SEED_SENTENCES[4]),
    ("random-variables", "pdf", "prerequisite", REQUIRED, SEED_SENTENCES[5]),
    ("pdf", "moments", "prerequisite", REQUIRED, SEED_SENTENCES[6]),
    ("moments", "estimators", "prerequisite", REQUIRED, SEED_SENTENCES[6]),
    ("moments", "gaussian", "prerequisite", REQUIRED, SEED_SENTENCES[7]),
    ("moments", "information-theory", "generalized-by", REQUIRED, SEED_SENTENCES[8]),
    ("adaptive-filters", "mlp", "theory-behind", DEEPENING, SEED_SENTENCES[9]),
    ("keras", "practitioner", "prerequisite", REQUIRED, SEED_SENTENCES[10]),
    ("xgboost", "practitioner", "prerequisite", REQUIRED, SEED_SENTENCES[10]),
    ("kaggle-competitions", "practitioner", "prerequisite", REQUIRED, SEED_SENTENCES[10]),
    ("mlp", "developer", "prerequisite", REQUIRED, SEED_SENTENCES[11]),
    ("implementing-models", "developer", "prerequisite", REQUIRED, SEED_SENTENCES[12]),
    ("keras", "developer", "prerequisite", REQUIRED, SEED_SENTENCES[11]),
    ("pytorch", "implementing-models", "prerequisite", REQUIRED, SEED_SENTENCES[12]),
    ("tensorflow", "implementing-models", "prerequisite", REQUIRED, SEED_SENTENCES[12]),
    ("jax", "implementing-models", "prerequisite", REQUIRED, SEED_SENTENCES[12]),
    ("theano", "implementing-models", "prerequisite", REQUIRED, SEED_SENTENCES[12]),
    ("calculus", "developer", "prerequisite", REQUIRED, SEED_SENTENCES[13]),
    ("linear-algebra", "developer", "prerequisite", REQUIRED, SEED_SENTENCES[13]),
    ("statistics", "developer", "prerequisite", RECOMMENDED, SEED_SENTENCES[14]),
    ("probability", "developer", "prerequisite", RECOMMENDED, SEED_SENTENCES[14]),
    ("hajek-random-processes", "researcher", "prerequisite", REQUIRED, SEED_SENTENCES[15]),
    ("statistics", "researcher", "prerequisite", REQUIRED, SEED_SENTENCES[16]),
    ("signal-processing", "researcher", "prerequisite", REQUIRED, SEED_SENTENCES[16]),
]

# Chains a learner must be led through (each step a path of required edges).
REQUIRED_PATHS = [
    ["eigendecomposition", "pca"],
    ["eigendecomposition", "fourier-transform"],
    ["complex-numbers", "fourier-transform", "stationary-processes"],
    ["linear-algebra", "signal-processing", "researcher"],
    ["pdf", "moments", "information-theory"],
    ["moments", "gaussian"],
    ["moments", "estimators"],
    ["convolution", "cnn"],
    ["limits", "derivatives", "chain-rule", "partial-derivatives", "gradient"],
    ["chain-rule", "integrals"],
    ["gradient", "gradient-descent", "adaptive-filters"],
    ["expectation", "adaptive-filters"],
    ["gradient-descent", "logistic-regression", "mlp", "developer"],
    ["chain-rule", "backpropagation", "mlp"],
    ["gradient", "jacobian", "matrix-calculus", "backpropagation"],
    ["vectors", "matrices", "matrix-multiplication", "linear-systems", "eigendecomposition", "svd"],
    ["change-of-basis", "eigendecomposition", "positive-definite", "multivariate-gaussian"],
    ["gaussian", "multivariate-gaussian", "state-space-models"],
    ["positive-definite", "hessian", "convexity", "lagrange-kkt", "researcher"],
    ["conditioning", "researcher"],
    ["multiple-integrals", "joint-distributions"],
    ["change-of-variables", "probability"],
    ["random-variables", "expectation", "moments"],
    ["probability-for-ml", "cost-functions", "mlp"],
    ["probability-for-ml", "logistic-regression"],
    ["maximum-likelihood", "fisher-information", "statistics"],
    ["maximum-likelihood", "hypothesis-testing", "statistics"],
    ["entropy", "kl-divergence", "cross-entropy", "information-theory"],
    ["lti-systems", "convolution", "fourier-transform", "digital-filters"],
    ["markov-chains", "state-space-models", "kalman-filter"],
    ["real-analysis", "sigma-algebras", "convergence-modes", "martingales", "researcher"],
    ["complex-numbers", "characteristic-functions", "convergence-modes"],
    ["conditional-expectation", "em-mixture-models", "variational-inference", "researcher"],
    ["monte-carlo", "mcmc", "researcher"],
    ["decision-trees", "gradient-boosting", "practitioner"],
    ["floating-point", "implementing-models"],
    ["calculus", "developer"],
    ["linear-algebra", "developer"],
    ["taylor-series", "real-analysis", "hajek-random-processes", "researcher"],
    ["complex-numbers", "complex-analysis", "hajek-random-processes"],
    ["probability", "hajek-random-processes"],
    ["developer", "researcher"],
    ["keras", "practitioner"],
    ["xgboost", "practitioner"],
]

# What must not order study: the list's claims about where theory lives (issue 12, defect 1).
NOT_REQUIRED = [
    ("signal-processing", "rnn"),
    ("signal-processing", "kalman-filter"),
    ("stochastic-processes", "rnn"),
    ("stochastic-processes", "kalman-filter"),
    ("digital-filters", "rnn"),
    ("sampling", "kalman-filter"),
    ("adaptive-filters", "mlp"),
    ("lti-systems", "mlp"),
]

# The foundations the second edition added; each is on the researcher's plan.
NEW_FOUNDATIONS = [
    "convexity", "lagrange-kkt", "newtons-method", "hessian",
    "multiple-integrals", "change-of-variables", "jacobian", "taylor-series", "matrix-calculus",
    "real-analysis", "complex-numbers", "complex-analysis",
    "sigma-algebras", "convergence-modes", "characteristic-functions", "martingales", "conditional-expectation",
    "floating-point", "conditioning",
    "fisher-information", "hypothesis-testing",
    "change-of-basis", "positive-definite",
    "logistic-regression", "regularization", "em-mixture-models", "monte-carlo", "mcmc", "variational-inference",
    "decision-trees", "hidden-markov-models",
]

# Each degree's total hours, as stated in docs/map-review.md (a motivated self-learner).
HOURS_RANGES = {"practitioner": (100, 180), "developer": (400, 650), "researcher": (1100, 1600)}

AREAS = ["calculus", "linear-algebra", "statistics", "probability", "signal-processing",
         "stochastic-processes", "information-theory"]
MODELS = ["mlp", "cnn", "rnn", "pca", "kalman-filter"]
DEGREES = ["practitioner", "developer", "researcher"]
SIGNAL_AREAS = {"signal-processing", "stochastic-processes"}
CURRENT_FRAMEWORKS = {"pytorch", "tensorflow", "jax"}


@pytest.fixture(scope="module")
def loaded():
    return load(DATA_DIR, use_cache=False)


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


@pytest.fixture(scope="module")
def plans(graph):
    return {degree: study_plan(graph, degree) for degree in DEGREES}


def _of_kind(graph, kind):
    return [n for n, k in graph.nodes(data="kind") if k == kind]


def _steps(plan):
    return [s.id for s in plan.steps]


# ---- the data is valid, and its warnings are the ones explained in docs/map-review.md

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
    assert 120 <= graph.number_of_nodes() <= 180


# ---- the list, kept: its links, its resources, its claims

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


def test_links_of_uncertain_address_say_they_are_the_lists(graph):
    for node_id in UNVERIFIED_SEED_URLS:
        attrs = graph.nodes[node_id]
        assert "current_url" not in attrs, node_id
        assert "2016 address" in attrs.get("note", ""), node_id


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


def test_every_topic_is_taught_by_a_free_resource(graph):
    for node_id in _of_kind(graph, "topic"):
        teachers = [u for u, _, rel in graph.in_edges(node_id, data="relation") if rel == "teaches"]
        assert all(graph.nodes[u]["kind"] == "resource" for u in teachers)
        assert any(graph.nodes[u].get("free") is True for u in teachers), f"no free resource teaches {node_id}"


def test_each_resource_of_the_list_teaches_in_its_section(graph):
    for resource, area in LIST_SECTIONS.items():
        taught = [v for _, v, rel in graph.out_edges(resource, data="relation") if rel == "teaches"]
        assert any(graph.nodes[v].get("area") == area for v in taught), f"{resource} teaches nothing in {area}"
    assert set(LIST_SECTIONS.values()) == set(AREAS)


def test_areas_and_models_named_by_the_list_are_topics(graph):
    for node_id in AREAS + MODELS:
        assert graph.nodes[node_id]["kind"] == "topic"


def test_every_edge_has_a_reason(graph):
    for u, v, why in graph.edges(data="why"):
        assert why and why.strip(), f"edge {u} -> {v} has no why"


@pytest.mark.parametrize("source,target,relation,strength,sentence", SEED_EDGES,
                         ids=[f"{s}->{t}" for s, t, *_ in SEED_EDGES])
def test_claims_of_the_list(graph, source, target, relation, strength, sentence):
    assert graph.has_edge(source, target), f"missing {source} -> {target}"
    edge = graph.edges[source, target]
    assert edge["relation"] == relation
    assert edge["strength"] == strength
    assert sentence in edge["why"]


def test_every_sentence_of_the_list_is_quoted(graph):
    whys = [why for _, _, why in graph.edges(data="why")]
    for sentence in SEED_SENTENCES:
        assert any(sentence in why for why in whys), sentence


def test_theano_is_kept_as_discontinued_beside_current_frameworks(graph):
    theano = graph.nodes["theano"]
    assert theano["discontinued"] is True and "2017" in theano["note"]
    group = {u for u, _, d in graph.in_edges("implementing-models", data=True) if d.get("any_of")}
    assert group == CURRENT_FRAMEWORKS | {"theano"}
    assert all(not graph.nodes[f].get("discontinued") for f in CURRENT_FRAMEWORKS)


# ---- what orders study

@pytest.mark.parametrize("chain", REQUIRED_PATHS, ids=["->".join(c) for c in REQUIRED_PATHS])
def test_paths(ordering, chain):
    for a, b in zip(chain, chain[1:]):
        assert nx.has_path(ordering, a, b), f"no ordering path {a} -> {b}"


@pytest.mark.parametrize("source,target", NOT_REQUIRED, ids=[f"{s}->{t}" for s, t in NOT_REQUIRED])
def test_where_theory_lives_does_not_order_study(ordering, source, target):
    assert not nx.has_path(ordering, source, target)


def test_the_mlp_is_reachable_from_gradient_descent_without_adaptive_filters(ordering):
    without = ordering.subgraph(n for n in ordering if n != "adaptive-filters")
    assert nx.has_path(without, "gradient-descent", "mlp")


def test_every_required_edge_has_a_reason(graph):
    for u, v, data in graph.edges(data=True):
        if data.get("strength") == REQUIRED:
            assert data.get("why", "").strip(), f"required edge {u} -> {v} has no why"


def test_the_degrees_climb_without_requiring_kaggle_of_a_developer(graph, ordering):
    """A researcher is a developer first; a developer needs the practitioner's tools, not its competitions
    (issue 22, item 4: "The list never says a developer needs Kaggle")."""
    assert sorted(_of_kind(graph, "degree")) == sorted(DEGREES)
    assert graph.edges["developer", "researcher"]["strength"] == REQUIRED
    assert graph.edges["practitioner", "developer"]["strength"] == RECOMMENDED
    assert "kaggle-competitions" not in nx.ancestors(ordering, "developer")
    assert "keras" in nx.ancestors(ordering, "developer")


# ---- the three plans, as a teacher would sign them

@pytest.mark.parametrize("degree", DEGREES)
def test_each_degree_takes_the_stated_hours(plans, degree):
    totals = plans[degree].totals()
    low, high = HOURS_RANGES[degree]
    assert low <= totals.hours <= high, f"{degree}: {totals.hours} h"
    assert totals.steps_without_hours == 0


def test_the_practitioner_plan_stays_short_and_practical(graph, plans):
    steps = _steps(plans["practitioner"])
    assert {"keras", "xgboost", "kaggle-competitions"} <= set(steps)
    assert {"python-pandas", "eda-feature-engineering", "linear-baselines"} <= set(steps)  # issue 22, item 10
    assert len(steps) <= 14
    # no mathematics beyond the descriptive statistics of exploratory analysis
    assert {n for n in steps if graph.nodes[n].get("area") not in ("machine-learning", "general")} == \
        {"descriptive-statistics"}


def test_the_developer_plan_needs_calculus_and_linear_algebra_and_no_signal_processing(graph, plans):
    plan = plans["developer"]
    steps = set(_steps(plan))
    assert {"calculus", "linear-algebra", "mlp", "implementing-models", "keras"} <= steps
    assert not {n for n in steps if graph.nodes[n].get("area") in SIGNAL_AREAS}
    assert "statistics" not in steps and "probability" not in steps
    assert {"practitioner", "kaggle-competitions"}.isdisjoint(steps)
    assert {"statistics", "probability", "practitioner"} <= set(plan.recommended)


def test_the_developer_plan_takes_a_current_framework_not_theano(plans):
    step = next(s for s in plans["developer"].steps if s.id == "implementing-models")
    [choice] = [c for c in step.choices if c["group"] == "framework"]
    assert choice["picked"] in CURRENT_FRAMEWORKS
    assert "theano" in choice["alternatives"]
    steps = _steps(plans["developer"])
    assert choice["picked"] in steps and "theano" not in steps
    assert not CURRENT_FRAMEWORKS - {choice["picked"]} & set(steps)


def test_the_researcher_plan_covers_every_topic_but_the_practitioners_competitions(graph, plans):
    steps = set(_steps(plans["researcher"]))
    left_out = [t for t in _of_kind(graph, "topic") if t not in steps]
    assert set(left_out) <= set(_steps(plans["practitioner"])), left_out
    assert "kaggle-competitions" in left_out


def test_every_new_foundation_is_on_the_researcher_plan(graph, plans):
    steps = set(_steps(plans["researcher"]))
    for topic in NEW_FOUNDATIONS:
        assert graph.nodes[topic]["kind"] == "topic", topic
        assert topic in steps, topic


def test_the_researcher_reaches_the_background_hajek_assumes_before_hajek(graph, plans):
    steps = _steps(plans["researcher"])
    background = {u for u, _, s in graph.in_edges("hajek-random-processes", data="strength") if s == REQUIRED}
    assert background == {"probability", "real-analysis", "linear-algebra", "fourier-transform", "complex-analysis"}
    hajek = steps.index("hajek-random-processes")
    assert all(steps.index(b) < hajek for b in background)
    assert steps.index("complex-numbers") < steps.index("fourier-transform")


def test_rnn_and_kalman_filter_plans_hold_no_signal_processing(graph):
    for target in ("rnn", "kalman-filter"):
        plan = study_plan(graph, target)
        assert not {n for n in _steps(plan) if graph.nodes[n].get("area") == "signal-processing"}, target
        assert "stochastic-processes" in plan.deepening, target


# ---- hours are calibrated, never counted twice

@pytest.mark.parametrize("degree", DEGREES)
def test_the_plans_printed_in_the_map_review_are_what_a_run_gives(plans, degree):
    """docs/map-review.md prints each plan, step by step with hours, and its totals; they must not go stale."""
    import re

    review = (DATA_DIR.parent / "docs" / "map-review.md").read_text(encoding="utf-8")
    section = review.split(f"### {degree.capitalize()}\n", 1)[1].split("\n### ", 1)[0]
    shown = re.findall(r"^(\d+)\. `([^`]+)` (\d+) h", section, re.M)
    plan = plans[degree]
    assert shown == [(str(s.number), s.id, str(round(s.hours or 0))) for s in plan.steps]
    totals = plan.totals()
    assert f"Total: {totals.hours:,.0f} h over {totals.steps} steps." in section
    assert f"): {totals.steps} steps, {totals.hours:,.0f} h\n" in section


def test_no_resource_is_apportioned_beyond_its_hours(graph):
    for node_id in _of_kind(graph, "resource"):
        parts = [d["hours"] for _, _, d in graph.out_edges(node_id, data=True) if d.get("hours") is not None]
        assert sum(parts) <= graph.nodes[node_id]["hours"] or node_id == "hajek-random-processes", node_id


def test_the_hajek_step_counts_only_the_chapters_no_topic_covers(graph, plans):
    whole_book = 150  # one Illinois semester, by the rule of a 12-unit MIT subject (item 12): 180 h less exams
    assert graph.nodes["hajek-random-processes"]["hours"] == whole_book
    chapters = sum(d["hours"] for _, _, d in graph.out_edges("hajek-random-processes", data=True)
                   if d.get("hours") is not None)
    # every topic a chapter teaches is on the researcher's plan: the book's step is the rest, counted once
    step = next(s for s in plans["researcher"].steps if s.id == "hajek-random-processes")
    assert (step.hours, step.whole_hours) == (whole_book - chapters, whole_book) == (7, 150)


def test_the_quora_lists_are_attached(graph):
    for node_id, goal in (("quora-beginner-dl-projects", "practitioner"), ("quora-brockman-answer", "developer")):
        assert graph.out_degree(node_id) > 0
        reach = nx.descendants(graph, node_id)
        assert goal in reach, f"{node_id} does not lead toward {goal}"


# ---- the third edition (issue 22): each fixed item, held by the nodes it names

def _before(steps, first, then):
    return steps.index(first) < steps.index(then)


def test_probability_for_ml_is_required_before_logistic_regression_and_the_mlp(graph, plans):
    """Item 1: no logistic regression (trained on log loss) or MLP before expectation, likelihood and cost."""
    for u, v in [("probability-for-ml", "logistic-regression"), ("probability-for-ml", "cost-functions"),
                 ("cost-functions", "mlp")]:
        assert graph.edges[u, v].get("strength", REQUIRED) == REQUIRED, (u, v)
    for degree in ("developer", "researcher"):
        steps = _steps(plans[degree])
        assert _before(steps, "probability-for-ml", "logistic-regression"), degree
        assert _before(steps, "cost-functions", "mlp"), degree
    assert study_plan(graph, "logistic-regression").totals().hours <= 280


@pytest.mark.parametrize("strategy", ["depth", "levels"])
def test_the_random_processes_block_follows_hajeks_book(graph, strategy):
    """Item 2: chapter 4 (what a random process is) before chapters 5, 6, 7, 8 and 10; chapter 7 before 8."""
    steps = _steps(study_plan(graph, "researcher", strategy=strategy))
    for later in ("markov-chains", "hidden-markov-models", "mean-square-calculus", "stationary-processes",
                  "wiener-filtering", "martingales"):
        assert _before(steps, "random-processes", later), later
    assert _before(steps, "mean-square-calculus", "stationary-processes")
    assert _before(steps, "stationary-processes", "wiener-filtering")
    assert _before(steps, "convergence-modes", "mean-square-calculus")
    chapters = {v for _, v, d in graph.out_edges("hajek-random-processes", data=True) if d.get("hours")}
    assert {"random-processes", "mean-square-calculus", "wiener-filtering"} <= chapters


def test_em_is_required_before_hidden_markov_models(graph, plans):
    """Item 3: Baum-Welch is EM, and Hajek's section 5.3 follows 5.2."""
    assert graph.edges["em-mixture-models", "hidden-markov-models"].get("strength", REQUIRED) == REQUIRED
    assert _before(_steps(plans["researcher"]), "em-mixture-models", "hidden-markov-models")


def test_the_researcher_plan_opens_with_mathematics_not_tools(graph, plans):
    """Item 4: the plan starts from limits, and no tool or competition comes in its first 20 steps."""
    steps = _steps(plans["researcher"])
    assert steps[0] == "limits"
    assert not {n for n in steps[:20] if graph.nodes[n].get("area") == "machine-learning"}


@pytest.mark.parametrize("degree", DEGREES)
def test_tools_come_after_the_concepts_they_implement_and_count_once(graph, plans, degree):
    """Item 5: Keras after training a network, XGBoost after gradient boosting; a tool's part that teaches
    another step of the plan carries its hours, so the tool step counts only the rest."""
    plan = plans[degree]
    steps = _steps(plan)
    for concept, tool in (("deep-learning-with-keras", "keras"), ("gradient-boosting", "xgboost")):
        if tool in steps:
            assert _before(steps, concept, tool), (degree, tool)
    for step in plan.steps:
        if step.kind != "resource":
            continue
        for _, v, d in graph.out_edges(step.id, data=True):
            if d.get("relation") == "teaches" and v in steps and graph.nodes[v].get("hours"):
                assert d.get("hours") is not None or step.id == "hajek-random-processes", (step.id, v)


def test_linear_regression_is_required_before_logistic_regression_and_needs_little(graph, plans):
    """Item 6: linear regression needs descriptive statistics and orthogonality, not the whole of statistics."""
    assert graph.edges["linear-regression", "logistic-regression"].get("strength", REQUIRED) == REQUIRED
    steps = _steps(study_plan(graph, "linear-regression"))
    assert "descriptive-statistics" in steps and "orthogonality" in steps
    statistical = {n for n in steps if graph.nodes[n].get("area") in ("probability", "statistics")}
    assert statistical == {"descriptive-statistics", "linear-regression"}
    for degree in ("developer", "researcher"):
        assert _before(_steps(plans[degree]), "linear-regression", "logistic-regression")


def test_adaptive_filters_need_moments_and_eigenvalues(ordering):
    """Item 7: the Wiener equations use the correlation matrix; the LMS step bound is 2 over its largest eigenvalue."""
    for need in ("moments", "eigendecomposition"):
        assert ordering.has_edge(need, "adaptive-filters"), need


@pytest.mark.parametrize("target,absent", [
    ("real-analysis", {"hessian", "eigendecomposition", "partial-derivatives", "linear-algebra", "calculus"}),
    ("central-limit-theorem", {"positive-definite", "eigendecomposition", "vectors", "multiple-integrals"}),
    ("gaussian", {"positive-definite", "eigendecomposition", "joint-distributions"}),
    ("newtons-method", {"conditioning", "svd"}),
    # the audit of every topic's plan (item 5 of the brief, section 8 of docs/map-review.md)
    ("kalman-filter", {"estimators", "hypothesis-testing", "descriptive-statistics", "fourier-transform"}),
    ("probability", {"eigendecomposition", "positive-definite", "multivariate-gaussian"}),
    ("fisher-information", {"eigendecomposition", "hessian"}),
    ("bayesian-inference", {"estimators", "central-limit-theorem"}),
    ("mcmc", {"estimators", "hypothesis-testing"}),
])
def test_a_plan_to_a_sub_target_holds_only_what_it_needs(graph, target, absent):
    """Item 8: calculus -> real analysis, positive definite -> the (scalar) Gaussian and conditioning -> Newton's
    method no longer pull in what the target does not use."""
    steps = set(_steps(study_plan(graph, target)))
    assert not steps & absent, steps & absent


def test_descriptive_statistics_comes_early(plans):
    """Item 9: descriptive statistics before logistic regression, and before any first-course probability topic."""
    for degree in ("developer", "researcher"):
        steps = _steps(plans[degree])
        assert _before(steps, "descriptive-statistics", "logistic-regression"), degree
    steps = _steps(plans["researcher"])
    for later in ("conditional-probability", "estimators", "martingales"):
        assert _before(steps, "descriptive-statistics", later), later


# The subjects a researcher is expected to have that the second edition lacked (item 10), each with what it
# cannot be followed without.
MISSING_SUBJECTS = {
    "concentration-inequalities": {"moments"},
    "learning-theory": {"concentration-inequalities", "supervised-learning"},
    "graphical-models": {"joint-distributions"},
    "exponential-families": {"maximum-likelihood"},
    "svm-kernels": {"lagrange-kkt"},
    "autoencoders": {"mlp"},
    "deep-generative-models": {"autoencoders", "variational-inference"},
    "attention-transformers": {"mlp"},
    "jensens-inequality": {"expectation"},
}


@pytest.mark.parametrize("subject", sorted(MISSING_SUBJECTS))
def test_the_missing_subjects_are_on_the_researcher_plan_after_what_they_need(graph, ordering, plans, subject):
    assert graph.nodes[subject]["kind"] == "topic"
    assert MISSING_SUBJECTS[subject] <= set(ordering.predecessors(subject)), subject
    steps = _steps(plans["researcher"])
    assert all(_before(steps, need, subject) for need in MISSING_SUBJECTS[subject])


@pytest.mark.parametrize("later", ["hidden-markov-models", "variational-inference"])
def test_graphical_models_come_before_hmms_and_variational_inference(ordering, later):
    assert ordering.has_edge("graphical-models", later)


def test_jensen_and_exponential_families_come_before_em_and_variational_inference(ordering):
    assert ordering.has_edge("jensens-inequality", "em-mixture-models")
    assert nx.has_path(ordering, "jensens-inequality", "variational-inference")
    assert ordering.has_edge("exponential-families", "variational-inference")


def test_the_developer_is_offered_pca(plans):
    assert "pca" in plans["developer"].recommended


# ---- item 11: every resource points at the part that teaches

def test_every_long_resource_that_teaches_several_steps_names_the_part_on_each_edge(graph):
    """The part rule: a resource of 50 h or more that teaches three or more steps names, on each teaches
    edge, the chapter, section or lecture that teaches it."""
    for node_id in _of_kind(graph, "resource"):
        if (graph.nodes[node_id].get("hours") or 0) < 50:
            continue
        teaching = [(v, d) for _, v, d in graph.out_edges(node_id, data=True) if d.get("relation") == "teaches"]
        if len(teaching) >= 3:
            assert [v for v, d in teaching if not d.get("part")] == [], node_id


def test_each_mit_18_06_step_links_its_own_lecture(graph):
    urls = {v: d.get("part_url") for _, v, d in graph.out_edges("mit-18-06", data=True) if d.get("part_url")}
    assert len(urls) >= 10
    assert len(set(urls.values())) == len(urls), "two steps link the same lecture"
    assert "lecture-21" in urls["eigendecomposition"] and "lecture-26" in urls["fourier-transform"]
    assert "25" in graph.edges["mit-18-06", "eigendecomposition"]["part"]  # the spectral theorem
    assert not graph.has_edge("mit-18-06", "vectors")  # lecture 1 is the geometry of linear equations


@pytest.mark.parametrize("resource,topic", [
    ("deep-learning-book", "fisher-information"),  # section 5.5.2 only mentions the Cramer-Rao bound
    ("colah-visual-information", "information-theory"),  # no differential or maximum entropy
    ("edx-discrete-time-signal-processing", "fourier-transform"),  # a graduate course, not a first one
    ("edx-discrete-time-signal-processing", "sampling"),
    ("mit-18-02sc", "jacobian"),  # the chain rule in partials, not the Jacobian matrix
])
def test_resources_no_longer_teach_what_they_do_not(graph, resource, topic):
    assert not graph.has_edge(resource, topic)


def test_the_fft_and_the_unused_chapters_are_taught_where_they_fit(graph):
    for resource, topic in [("mit-18-06", "fourier-transform"), ("dspguide", "fourier-transform"),
                            ("mml-book", "orthogonality"), ("mml-book", "linear-regression"),
                            ("islr", "linear-regression")]:
        assert graph.edges[resource, topic]["relation"] == "teaches", (resource, topic)
    assert graph.edges["keras", "implementing-models"]["part_url"].startswith("https://keras.io/")
    assert "Chapter" in graph.edges["deep-learning-book", "mlp"]["part"]


# ---- item 12: hours

TWELVE_UNIT_SUBJECTS = ["mit-18-01sc", "mit-18-02sc", "mit-18-06", "mit-6-041", "mit-6-436j", "mit-6-262",
                        "mit-18-650", "mit-18-100a", "mit-18-04", "mit-res-6-007"]


@pytest.mark.parametrize("course", TWELVE_UNIT_SUBJECTS)
def test_a_twelve_unit_mit_subject_is_140_hours_for_a_self_learner(graph, course):
    """12 units x 14 weeks is 168 h, of which a self-learner skips about 28 h of exams and their preparation."""
    assert graph.nodes[course]["hours"] == 140


def test_complex_numbers_take_what_the_fourier_transform_needs(graph):
    assert graph.nodes["complex-numbers"]["hours"] <= 6


def test_no_plan_to_a_topic_outgrows_what_its_area_needs(graph, plans):
    """Every topic's own plan stays below the plan to random processes at Hajek's level (600 h), the largest
    sub-target a teacher would give; the degrees are the only longer plans."""
    researcher = plans["researcher"].totals().hours
    for topic in _of_kind(graph, "topic"):
        hours = study_plan(graph, topic).totals().hours
        assert hours <= 600 and hours < researcher, (topic, hours)


def test_the_plan_sizes_printed_in_the_map_review_are_what_a_run_gives(graph):
    import re

    review = (DATA_DIR.parent / "docs" / "map-review.md").read_text(encoding="utf-8")
    table = review.split("### Every topic's plan\n", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| [^|]* \| (\d+) \| ([\d,]+) \|", table, re.M)
    assert len(rows) >= 15
    for topic, steps, hours in rows:
        totals = study_plan(graph, topic).totals()
        assert (int(steps), int(hours.replace(",", ""))) == (totals.steps, round(totals.hours)), topic
