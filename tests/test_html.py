"""The HTML map without a browser: self-contained, deterministic, escaped, drawn as a DAG."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from importlib import resources

import networkx as nx
import pytest

from conftest import HOSTILE_ID, PAYLOADS
from graph.model import KINDS, RELATIONS
from graph.plan import known_closure, resources_for, study_plan
from graph.render.html import SCRIPTS, render_html
from graph.render.text import format_hours

DATA_SCRIPT = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)


class _Elements(HTMLParser):
    """Collects every start tag with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(page: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(page)
    return parser.tags


def payload(page: str) -> dict:
    return json.loads(DATA_SCRIPT.search(page).group(1))


SCRIPT_COUNT = 2 + len(SCRIPTS)  # the data, vis-network, the page's own scripts


def scripts(page: str) -> list[str]:
    """The text of every script the page runs (not the JSON data)."""
    return re.findall(r"<script>(.*?)</script>", page, re.S)


def by_id(data: dict) -> dict:
    """Each node's details by id."""
    return {d["id"]: d for d in data["nodes"]}


def drawn_ids(data: dict) -> list:
    ids = [d["id"] for d in data["nodes"]]
    return ids if data["drawn"] is None else [ids[i] for i in data["drawn"]]


# --- self-contained --------------------------------------------------------------------------------------------------

def test_page_loads_nothing_from_anywhere(sample_graph):
    page = render_html(sample_graph)
    tags = elements(page)
    assert not [t for t in tags if t[0] in ("link", "img", "iframe", "object", "embed", "base")]
    assert not [t for t in tags if "src" in t[1] or "href" in t[1]]
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"<link[^>]*stylesheet", page, re.I)
    assert "@import" not in page
    assert not re.search(r"url\(\s*['\"]?(?!data:)", page.split("<script")[0])
    assert "cdn" not in page.split("<script")[0].lower()


def test_page_has_a_strict_content_security_policy(sample_graph):
    page = render_html(sample_graph)
    (policy,) = [a["content"] for t, a in elements(page) if a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    allowed = re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", policy)
    ran = scripts(page)
    assert len(ran) == len(SCRIPTS) + 1
    assert allowed == [base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in ran]


def test_page_inlines_vis_network_from_pyvis(sample_graph):
    page = render_html(sample_graph)
    assert "vis-network" in page and "@version 9.1.2" in page
    assert [t for t, _ in elements(page)].count("script") == SCRIPT_COUNT
    vendored = resources.files("graph.render") / "html_assets"
    assert (vendored / "js-yaml.min.js").read_text("utf-8") in page  # reads imported progress files
    assert "MIT License" in (vendored / "js-yaml.LICENSE").read_text("utf-8")


# --- deterministic ---------------------------------------------------------------------------------------------------

def test_same_graph_gives_the_same_bytes(sample_graph, random_dag):
    assert render_html(sample_graph) == render_html(sample_graph)
    big = random_dag(300)
    assert render_html(big) == render_html(big.copy())


def test_same_bytes_under_any_hash_seed(sample_dir, sample_graph):
    code = ("import hashlib, sys; from graph.load import load; from graph.render.html import render_html; "
            "g = load(sys.argv[1], use_cache=False).graph; "
            "print(hashlib.sha256(render_html(g).encode()).hexdigest())")
    here = hashlib.sha256(render_html(sample_graph).encode()).hexdigest()
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code, str(sample_dir)], env=env, capture_output=True,
                             text=True, check=True, cwd=os.path.dirname(os.path.dirname(__file__)))
        assert out.stdout.strip() == here


def test_rendering_does_not_modify_the_graph(sample_graph):
    before = (copy.deepcopy(dict(sample_graph.nodes(data=True))), copy.deepcopy(list(sample_graph.edges(data=True))))
    render_html(sample_graph)
    render_html(sample_graph, plan=study_plan(sample_graph, "ml-engineer"), known=frozenset({"algebra"}))
    assert (dict(sample_graph.nodes(data=True)), list(sample_graph.edges(data=True))) == before


# --- safe ------------------------------------------------------------------------------------------------------------

def test_hostile_text_never_reaches_the_page_as_markup(hostile_graph):
    page = render_html(hostile_graph, title=PAYLOADS[0])
    assert "</script><script>" not in page
    assert "<img" not in page and "<svg onload" not in page and "<b onmouseover" not in page
    assert "\u2028" not in page and "\u2029" not in page
    tags = elements(page)
    assert [t for t, _ in tags].count("script") == SCRIPT_COUNT
    assert not [(t, a) for t, a in tags if any(name.startswith("on") for name in a)]
    assert f"<title>{PAYLOADS[0].replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</title>" in page


def test_hostile_text_survives_the_round_trip_exactly(hostile_graph):
    data = payload(render_html(hostile_graph))
    names = {d["id"]: d["name"] for d in data["nodes"]}
    assert names[HOSTILE_ID] == PAYLOADS[0] and names["odd"] == PAYLOADS[5]
    assert set(data["why"].values()) == {PAYLOADS[0], PAYLOADS[1], " ".join(PAYLOADS[4].split())}
    assert {look["relation"] for look in data["looks"]} == {r for *_, r in hostile_graph.edges(data="relation")}
    assert data["areas"] == [PAYLOADS[2]]


def test_only_web_addresses_become_links(hostile_graph, sample_graph):
    info = by_id(payload(render_html(hostile_graph)))
    assert "link" not in info[HOSTILE_ID] and info[HOSTILE_ID]["rawUrl"] == "javascript:window.__pwned=1"
    assert "link" not in info["book"]
    assert info["plain"]["link"] == 'https://example.org/a"b<c>'
    sample_graph.nodes["strang"]["current_url"] = "https://ocw.mit.edu/new"
    assert by_id(payload(render_html(sample_graph)))["strang"]["link"] == "https://ocw.mit.edu/new"


# --- what is drawn ---------------------------------------------------------------------------------------------------

def test_every_node_and_edge_is_drawn(sample_graph):
    data = payload(render_html(sample_graph))
    ids = [n["id"] for n in data["nodes"]]
    assert ids == list(sample_graph) and drawn_ids(data) == ids and len(data["positions"]) == len(ids)
    assert [(ids[e[0]], ids[e[1]]) for e in data["edges"]] == list(sample_graph.edges)
    assert [data["looks"][e[2]]["relation"] for e in data["edges"]] == [d for *_, d in sample_graph.edges(data="relation")]


def test_shape_follows_kind_and_colour_follows_area(sample_graph):
    data = payload(render_html(sample_graph))
    groups = data["options"]["groups"]
    group = dict(zip(sample_graph, data["groups"]))
    for node, attrs in sample_graph.nodes(data=True):
        assert groups[group[node]]["shape"] == groups[group[node] + "d"]["shape"] == KINDS[attrs["kind"]].shape
    fills = {area: {groups[group[n]]["color"]["background"]
                    for n, a in sample_graph.nodes(data="area") if a == area} for area in data["areas"]}
    assert all(len(f) == 1 for f in fills.values()) and len(set.union(*fills.values())) == len(fills)
    assert groups[group["strang"]]["color"]["background"] == KINDS["resource"].color


def test_legend_explains_the_kinds_areas_and_relations_drawn(sample_graph):
    legend = render_html(sample_graph).split('id="legend">')[1].split("</section>")[0]
    for kind in KINDS:
        assert f"<b>{kind}</b>" in legend and KINDS[kind].description in legend
    for relation in {d for *_, d in sample_graph.edges(data="relation")}:
        assert f"<b>{relation}</b>" in legend and RELATIONS[relation].phrase in legend
    assert "special-case" not in legend
    for area in ("math", "statistics", "ml"):
        assert area in legend


def test_plan_page_draws_what_its_target_needs_and_what_teaches_it(sample_graph):
    plan = study_plan(sample_graph, "ml-engineer", known=["calculus"])
    page = render_html(sample_graph, plan=plan)
    data = payload(page)
    steps = {s.id for s in plan.steps}
    # Known steps are drawn too (as known): the learner may uncheck them in the page.
    wanted = steps | set(plan.skipped) | {r["id"] for s in steps | set(plan.skipped)
                                          for r in resources_for(sample_graph, s)}
    assert set(drawn_ids(data)) == wanted and "calculus" in wanted and "history" not in wanted
    assert [d["id"] for d in data["nodes"]] == list(sample_graph)  # the whole graph, for plans to any goal
    assert data["target"] == "ml-engineer"
    assert f"Study plan: ML engineer</h1>" in page and f"{format_hours(plan.totals().hours)} in total" in page


def test_known_ids_reach_the_page_and_known_groups_are_grey(sample_graph):
    known = known_closure(sample_graph, ["probability"])
    data = payload(render_html(sample_graph, known=frozenset(known)))
    assert data["known"] == [n for n in sample_graph if n in known]
    groups = data["options"]["groups"]
    for group in data["groups"]:
        assert groups[group + "d"]["color"]["background"] == "#C9C9C9" != groups[group]["color"]["background"]


def test_progress_key_follows_the_data_set_not_its_edits(sample_graph, random_dag):
    key = payload(render_html(sample_graph))["key"]
    grown = sample_graph.copy()
    grown.add_node("topology", name="Topology", kind="topic")
    grown.add_edge("algebra", "topology", relation="prerequisite")
    assert payload(render_html(grown))["key"] == key
    assert payload(render_html(random_dag(50)))["key"] != key


def test_large_graphs_hide_edges_while_moving(sample_graph, random_dag):
    small = payload(render_html(sample_graph))["options"]
    large = payload(render_html(random_dag(2000)))["options"]
    assert not small["interaction"]["hideEdgesOnDrag"] and large["interaction"]["hideEdgesOnDrag"]
    assert large["interaction"]["hideEdgesOnZoom"] and large["edges"]["smooth"] is False
    assert small["physics"]["enabled"] is large["physics"]["enabled"] is False


def test_5000_nodes_render_within_5_seconds(random_dag):
    graph = random_dag(5000)
    started = time.perf_counter()
    page = render_html(graph)
    assert time.perf_counter() - started < 5
    assert len(payload(page)["nodes"]) == 5000


@pytest.mark.parametrize("graph", [
    nx.DiGraph(),
    nx.DiGraph([("a", "b", {"relation": "prerequisite"}), ("b", "a", {"relation": "prerequisite"})]),
    nx.DiGraph([("a", "b", {"relation": "prerequisite"})]),
], ids=["empty", "cycle", "bare-attributes"])
def test_unusual_graphs_still_render(graph):
    data = payload(render_html(graph))
    assert len(data["nodes"]) == graph.number_of_nodes()
