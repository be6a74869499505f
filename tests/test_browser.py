"""The HTML map in headless Chromium: offline, interactive, and inert to hostile data.

Run by hand to refresh the README's pictures of the bundled map::

    python tests/test_browser.py docs
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest

from conftest import HOSTILE_ID, PAYLOADS
from graph.model import ordering_strengths
from graph.plan import known_closure, resources_for, study_plan
from graph.progress import read_progress
from graph.query import next_steps
from graph.render.html import SCRIPTS, render_html
from graph.render.text import format_hours

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    expect = sync_playwright = None

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium executable (chromium or /usr/bin/chromium)"),
    pytest.mark.skipif(sync_playwright is None, reason="Python Playwright is not installed"),
]

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
LOCAL_SCHEMES = ("file:", "data:", "about:")
DIM = 0.2


@dataclass
class Opened:
    """A page under test and everything it tried that it should not have."""

    page: object
    errors: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)

    def run(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def settle(self):
        """Wait until the map's view stops moving (a click zooms to the lit chain)."""
        self.page.wait_for_function("() => !graphExplorer.moving()")

    def fit_map(self):
        """Show the whole map, as a person does who does not see a node: the Fit button."""
        self.page.get_by_role("button", name="Fit", exact=True).click()
        self.settle()

    def canvas_point(self, node_id: str) -> tuple[float, float]:
        self.settle()
        box = self.page.locator("#map canvas").bounding_box()
        pos = self.run("id => graphExplorer.domPosition(id)", node_id)
        return box["x"] + pos["x"], box["y"] + pos["y"]

    def assert_clean(self):
        assert self.errors == [] and self.requests == [] and self.dialogs == []
        assert self.run("typeof window.__pwned") == "undefined"


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@contextmanager
def page_opener(browser, tmp_path, viewport=(1280, 800), bypass_csp: bool = False):
    """``opener(html, ...) -> Opened``: the page loaded from a file:// URL in a context of its own, offline,
    drawn; the contexts close when the block ends. ``bypass_csp`` only lets a test inject a script (axe-core):
    the page's own policy is unchanged."""
    contexts = []
    default_viewport = viewport

    def opener(html: str, name: str = "page.html", timeout_ms: int = 30_000, viewport=default_viewport,
               phone: bool = False, hash: str = "") -> Opened:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        touch = {"has_touch": True, "is_mobile": True, "device_scale_factor": 2} if phone else {}
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                      bypass_csp=bypass_csp, **touch)
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page)
        page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
        page.on("pageerror", lambda e: opened.errors.append(f"pageerror: {e}"))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))

        def route(r):
            if r.request.url.startswith(LOCAL_SCHEMES):
                r.continue_()
            else:
                opened.requests.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(path.as_uri() + hash)
        page.wait_for_function("() => window.graphReady === true", timeout=timeout_ms)
        return opened

    try:
        yield opener
    finally:
        for context in contexts:
            context.close()


@pytest.fixture()
def open_page(browser, tmp_path):
    """``open_page(html) -> Opened``: the page loaded from a file:// URL, offline, drawn."""
    with page_opener(browser, tmp_path) as opener:
        yield opener


def chain(graph: nx.DiGraph, node) -> set:
    """What a click lights: the node, what it needs and what needs it, through required edges;
    for a resource, what it needs and the topics it teaches."""
    ordering = ordering_strengths()
    kept = nx.DiGraph([(u, v) for u, v, r in graph.edges(data="strength") if r in ordering])
    kept.add_nodes_from(graph)
    if graph.nodes[node].get("kind") == "resource":
        return {node} | nx.ancestors(kept, node) | {v for _, v, r in graph.out_edges(node, data="relation")
                                                    if r == "teaches"}
    return {node} | nx.ancestors(kept, node) | nx.descendants(kept, node)


def assert_lit_exactly(opened: Opened, graph: nx.DiGraph, lit: set | None):
    """Check what vis-network will draw: lit nodes and edges full, the rest dimmed (or all full)."""
    nodes = opened.run("ids => ids.map(id => graphExplorer.nodeOpacity(id))", list(graph))
    if lit is None:
        assert set(nodes) == {1}
    else:
        assert {n for n, o in zip(graph, nodes) if o == 1} == lit
        assert {o for o in nodes if o != 1} <= {DIM}
    edges = opened.run("n => Array.from({length: n}, (_, i) => graphExplorer.edgeOpacity(i))",
                       graph.number_of_edges())
    for (u, v), opacity in zip(graph.edges, edges):
        assert (opacity == 1) == (lit is None or (u in lit and v in lit))


# --- offline and complete --------------------------------------------------------------------------------------------

def test_page_opens_offline_with_every_node_and_edge(open_page, sample_graph, tmp_path):
    opened = open_page(render_html(sample_graph))
    counts = opened.run("[graphExplorer.nodeCount(), graphExplorer.edgeCount(), graphExplorer.visibleNodeCount()]")
    assert counts == [sample_graph.number_of_nodes(), sample_graph.number_of_edges(), sample_graph.number_of_nodes()]
    opened.page.screenshot(path=str(tmp_path / "sample.png"))
    assert (tmp_path / "sample.png").stat().st_size > 10_000
    opened.assert_clean()


# --- chain highlight -------------------------------------------------------------------------------------------------

def test_clicking_a_node_lights_its_chain_and_the_background_resets(open_page, sample_graph):
    opened = open_page(render_html(sample_graph))
    opened.fit_map()
    opened.page.mouse.click(*opened.canvas_point("probability"))
    expected = chain(sample_graph, "probability")
    assert expected == {"algebra", "calculus", "probability", "statistics", "ml", "deep-learning", "ml-engineer"}
    assert opened.run("graphExplorer.selected()") == "probability"
    assert set(opened.run("graphExplorer.highlighted()")) == expected
    assert_lit_exactly(opened, sample_graph, expected)
    assert opened.page.locator("#details h2").text_content() == "Probability"

    box = opened.page.locator("#map canvas").bounding_box()
    opened.page.mouse.click(box["x"] + 4, box["y"] + 4)
    assert opened.run("graphExplorer.highlighted()") == []
    assert opened.run("graphExplorer.selected()") is None
    assert_lit_exactly(opened, sample_graph, None)
    opened.assert_clean()


def test_every_node_lights_exactly_its_ordering_chain(open_page, sample_graph):
    opened = open_page(render_html(sample_graph))
    for node in sample_graph:
        assert opened.run("id => graphExplorer.select(id)", node) is True
        expected = chain(sample_graph, node)
        assert set(opened.run("graphExplorer.highlighted()")) == expected, node
        assert_lit_exactly(opened, sample_graph, expected)
    opened.assert_clean()


# --- tooltip and side panel ------------------------------------------------------------------------------------------

def test_hovering_shows_summary_hours_and_resources(open_page, sample_graph):
    opened = open_page(render_html(sample_graph))
    opened.fit_map()
    opened.page.mouse.move(*opened.canvas_point("algebra"))
    tooltip = opened.page.locator("#tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.text_content()
    for part in ("Algebra", "Symbols, equations and functions.", "10 h", "math", "Khan Academy Algebra (free)"):
        assert part in text
    opened.assert_clean()


def test_side_panel_shows_details_links_and_reasons(open_page, sample_graph):
    opened = open_page(render_html(sample_graph))
    opened.run("graphExplorer.select('calculus')")
    details = opened.page.locator("#details")
    text = details.text_content()
    assert "Calculus" in text and "Limits, derivatives and integrals." in text and "40 h" in text
    assert "Algebra" in text and "Calculus manipulates algebraic expressions." in text  # prerequisite and why
    opened.run("graphExplorer.select('algebra')")
    links = opened.page.locator("#details a")
    assert links.count() >= 1
    for i in range(links.count()):
        link = links.nth(i)
        assert link.get_attribute("href").startswith("https://")
        assert link.get_attribute("rel") == "noopener noreferrer"
    opened.page.locator("#details button.node-link", has_text="Calculus").first.click()
    assert opened.run("graphExplorer.selected()") == "calculus"
    opened.assert_clean()


# --- search and filters ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, found", [
    ("Linear algebra", "linear-algebra"),  # name
    ("LA", "linear-algebra"),  # alias
    ("dl-book", "dl-book"),  # id
    ("statis", "statistics"),  # prefix
])
def test_search_box_finds_and_focuses_a_node(open_page, sample_graph, query, found):
    opened = open_page(render_html(sample_graph))
    opened.page.fill("#search", query)
    assert sample_graph.nodes[found]["name"] in opened.page.locator("#search-results li").first.text_content()
    opened.page.press("#search", "Enter")
    assert opened.run("graphExplorer.selected()") == found
    assert set(opened.run("graphExplorer.highlighted()")) == chain(sample_graph, found)
    opened.assert_clean()


def test_filters_hide_by_kind_and_by_area(open_page, sample_graph):
    opened = open_page(render_html(sample_graph))
    kinds = dict(sample_graph.nodes(data="kind"))
    areas = dict(sample_graph.nodes(data="area"))
    visible = "graphExplorer.visibleNodeCount()"
    opened.page.locator("#kind-filter label", has_text="resource").locator("input").uncheck()
    assert opened.run(visible) == sum(k != "resource" for k in kinds.values())
    opened.page.select_option("#area-filter", label="statistics")
    assert opened.run(visible) == sum(areas[n] == "statistics" and kinds[n] != "resource" for n in sample_graph)
    opened.page.select_option("#area-filter", label="(no area)")
    assert opened.run(visible) == sum(areas[n] is None and kinds[n] != "resource" for n in sample_graph)
    opened.run("graphExplorer.select('strang')")  # selecting a hidden node shows it again
    assert opened.page.locator("#kind-filter label", has_text="resource").locator("input").is_checked()
    opened.page.select_option("#area-filter", value="all")
    assert opened.run(visible) == sample_graph.number_of_nodes()
    opened.assert_clean()


# --- plans and progress ----------------------------------------------------------------------------------------------

def test_plan_page_draws_the_plan_with_its_hours(open_page, sample_graph):
    plan = study_plan(sample_graph, "ml-engineer", known=["linear-algebra"])
    opened = open_page(render_html(sample_graph, plan=plan, known=known_closure(sample_graph, ["linear-algebra"])))
    steps = {s.id for s in plan.steps} | set(plan.skipped)
    drawn = steps | {r["id"] for s in steps for r in resources_for(sample_graph, s)}
    assert opened.run("graphExplorer.nodeCount()") == len(drawn)
    assert format_hours(plan.totals().hours) in opened.page.locator("#subtitle").text_content()
    opened.run("id => graphExplorer.select(id)", plan.steps[0].id)
    assert opened.page.locator("#details h2").text_content() == f"1. {plan.steps[0].name}"
    opened.assert_clean()


def test_known_nodes_show_as_done(open_page, sample_graph):
    opened = open_page(render_html(sample_graph, known=frozenset({"algebra"})))
    opened.run("graphExplorer.select('algebra')")
    assert opened.page.locator("#details h2").text_content() == "\u2713 Algebra"
    assert "\u2713 known" in opened.page.locator("#legend").text_content()
    opened.assert_clean()


# --- hostile data ----------------------------------------------------------------------------------------------------

def test_hostile_data_runs_nothing_and_shows_literally(open_page, hostile_graph):
    opened = open_page(render_html(hostile_graph, title=PAYLOADS[1]))
    assert opened.page.title() == PAYLOADS[1]
    for node in hostile_graph:
        opened.fit_map()
        opened.page.mouse.move(*opened.canvas_point(node))
        opened.page.wait_for_timeout(50)
        opened.page.mouse.click(*opened.canvas_point(node))
        assert opened.run("graphExplorer.selected()") == node
    opened.fit_map()
    opened.page.mouse.move(*opened.canvas_point(HOSTILE_ID))
    assert PAYLOADS[1] in opened.page.locator("#tooltip").text_content()  # the summary, as text
    opened.run("id => graphExplorer.select(id)", HOSTILE_ID)
    details = opened.page.locator("#details").text_content()
    assert PAYLOADS[0] in details and "javascript:window.__pwned=1" in details and HOSTILE_ID in details
    opened.page.fill("#search", PAYLOADS[0][:20])
    assert PAYLOADS[0] in opened.page.locator("#search-results").text_content()
    opened.page.press("#search", "Enter")
    assert opened.run("graphExplorer.selected()") == HOSTILE_ID
    inert = opened.run("""() => ({
        scripts: document.scripts.length,
        badLinks: Array.from(document.querySelectorAll('[href]')).filter(a => !/^https?:/.test(a.href)).length,
        handlers: Array.from(document.querySelectorAll('*')).filter(
            e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length,
        media: document.querySelectorAll('img, iframe, object, embed, svg:not(.line)').length,
    })""")
    assert inert == {"scripts": 2 + len(SCRIPTS), "badLinks": 0, "handlers": 0, "media": 0}
    opened.assert_clean()


# --- scale -----------------------------------------------------------------------------------------------------------

def test_5000_node_graph_opens_without_freezing(open_page, random_dag):
    graph = random_dag(5000)
    started = time.perf_counter()
    html = render_html(graph)
    assert time.perf_counter() - started < 5
    opened = open_page(html, timeout_ms=60_000)
    assert opened.run("[graphExplorer.nodeCount(), graphExplorer.edgeCount()]") == [5000, graph.number_of_edges()]
    took = opened.run("""() => { const t = performance.now(); graphExplorer.select('n04990');
                                 return [performance.now() - t, graphExplorer.highlighted().length]; }""")
    assert took[1] == len(chain(graph, "n04990"))
    assert took[0] < 5000
    assert opened.run("new Promise(r => requestAnimationFrame(() => r(1)))") == 1
    opened.assert_clean()


# --- the study list, progress, the URL: the page as a learning tool ---------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def bundled_graph() -> tuple[Path, nx.DiGraph]:
    from graph.load import bundled_data_dir, load

    folder = ROOT / "data" if (ROOT / "data" / "nodes.yaml").is_file() else bundled_data_dir()
    return folder, load(folder, use_cache=False).graph


def graph_cli(folder: Path, *args) -> dict:
    """Run the command line as a user does and return its JSON."""
    env = {**os.environ, "GRAPH_CACHE_DIR": str(folder.parent / ".no-cache")}
    env.pop("GRAPH_PROGRESS", None)
    run = subprocess.run([sys.executable, "-m", "graph", "--data", str(folder), "--no-cache", *map(str, args),
                          "--format", "json"], capture_output=True, text=True, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def steps_list(opened: Opened):
    return opened.page.get_by_role("list", name="Steps to study", exact=True)


def list_names(locator) -> list[str]:
    """The names of a list's items, as their checkboxes are labelled."""
    boxes = locator.get_by_role("checkbox")
    return [boxes.nth(i).evaluate("b => document.getElementById(b.getAttribute('aria-labelledby')).textContent")
            for i in range(boxes.count())]


def alternatives_dag(n: int, seed: int) -> nx.DiGraph:
    """A random DAG using the whole vocabulary: required, recommended and deepening edges, any-of groups,
    resources that teach (some with a part's hours), nodes without hours, discontinued ones."""
    rng = random.Random(seed)
    g = nx.DiGraph()
    for i in range(n):
        kind = "resource" if i % 9 == 4 else "degree" if i % 37 == 36 else "topic"
        attrs = {"name": f"Node {i}", "kind": kind, "area": f"area-{i % 5}"}
        if i % 7 == 3:
            attrs["discontinued"] = True
        if rng.random() < 0.85:
            attrs["hours"] = rng.choice([0, 1, 2, 3, 5, 8, 13, 2.5])
        g.add_node(f"v{i:04d}", **attrs)
    for i in range(1, n):
        parents = rng.sample(range(max(0, i - 40), i), min(i, rng.randint(1, 4)))
        required = []
        for j in parents:
            u, v = f"v{j:04d}", f"v{i:04d}"
            if g.nodes[u]["kind"] == "resource" and rng.random() < 0.5:
                # some chapters give their hours: a resource step then counts only the rest of it
                g.add_edge(u, v, relation="teaches", **({"hours": rng.choice([1, 2, 5])} if rng.random() < 0.6 else {}))
                continue
            strength = rng.choices(["required", "recommended", "deepening"], [0.75, 0.15, 0.1])[0]
            g.add_edge(u, v, relation=rng.choice(["prerequisite", "theory-behind", "combines-into"]), strength=strength)
            if strength == "required":
                required.append(u)
        if len(required) >= 2 and rng.random() < 0.5:
            for u in rng.sample(required, rng.randint(2, len(required))):
                g.edges[u, f"v{i:04d}"]["any_of"] = f"group-{i % 3}"
    return g


def python_plan(graph: nx.DiGraph, target: str, known: list, include_recommended: bool = False) -> dict:
    """graph order --format json, the parts the page's list shows."""
    plan = study_plan(graph, target, known, include_recommended).to_dict()
    return {
        "steps": [{"id": s["id"], "hours": s["hours"], "whole_hours": s.get("whole_hours"), "needed_for": s["needed_for"],
                   "deeper": s["deeper"], "recommended": s["recommended"], "choices": s["choices"]} for s in plan["steps"]],
        "skipped_known": plan["skipped_known"],
        "recommended_not_included": plan["recommended_not_included"],
        "deepening_not_included": plan["deepening_not_included"],
        "total_hours": plan["total_hours"],
        "steps_without_hours": plan["steps_without_hours"],
    }


def test_the_page_plans_as_graph_order_does(open_page, random_dag):
    """The page's port of graph.plan (depth-first order, known closure, any-of picks, next) against the Python."""
    _, bundled = bundled_graph()
    graphs = [bundled, alternatives_dag(300, seed=1), alternatives_dag(300, seed=2), random_dag(400, seed=3)]
    for number, graph in enumerate(graphs):
        opened = open_page(render_html(graph), name=f"plans-{number}.html", timeout_ms=60_000)
        rng = random.Random(number)
        nodes = list(graph)
        degrees = [n for n in nodes if graph.nodes[n].get("kind") == "degree"]
        targets = degrees + rng.sample(nodes, 12)
        cases = [(t, rng.sample(nodes, k)) for t in targets for k in (0, 1, 3, 8)]
        found = opened.run("cases => cases.map(([t, k]) => graphExplorer.plan(t, k))", cases)
        for (target, known), page_plan in zip(cases, found):
            assert page_plan == python_plan(graph, target, known), (target, known)
        if number in (1, 2):  # the vocabulary is exercised: picks, known picks, deepening, recommended
            choices = [c for p in found for s in p["steps"] for c in s["choices"]]
            assert any(c["known"] for c in choices) and any(not c["known"] for c in choices)
            assert any(p["deepening_not_included"] for p in found) and any(p["recommended_not_included"] for p in found)
        nexts = opened.run("cases => cases.map(([t, k]) => [graphExplorer.nextFor(k), graphExplorer.nextFor(k, t)])",
                           cases)
        for (target, known), (anywhere, toward) in zip(cases, nexts):
            closed = known_closure(graph, known)
            assert anywhere == next_steps(graph, closed) and toward == next_steps(graph, closed, target)
        opened.assert_clean()


def test_study_list_is_graph_order_and_follows_checked_boxes(open_page, tmp_path):
    folder, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=(1440, 900))
    page = opened.page
    page.get_by_role("button", name="Study plan for Developer").click()
    expected = graph_cli(folder, "order", "--target", "developer")
    assert list_names(steps_list(opened)) == [s["name"] for s in expected["steps"]]
    assert opened.run("graphExplorer.listOrder()") == [s["id"] for s in expected["steps"]]
    assert page.get_by_role("region", name="Study list").get_by_role("heading", name="Study plan: Developer").is_visible()
    assert f"{len(expected['steps'])} steps" in page.locator("#study .summary").text_content()
    assert format_hours(expected["total_hours"]) + " left" in page.locator("#study .summary").text_content()
    # Knowing a step takes it and what it needs out of the plan, as --known does.
    step = expected["steps"][8]
    steps_list(opened).get_by_role("checkbox", name=step["name"], exact=True).click()  # it moves to "known"
    after = graph_cli(folder, "order", "--target", "developer", "--known", step["id"])
    assert list_names(steps_list(opened)) == [s["name"] for s in after["steps"]]
    known = page.get_by_role("list", name="Already known", exact=True)
    assert set(list_names(known)) == {graph.nodes[n]["name"] for n in after["skipped_known"]}
    assert known.get_by_role("checkbox", name=step["name"], exact=True).is_checked()
    assert format_hours(after["total_hours"]) + " left" in page.locator("#subtitle").text_content()
    # The map numbers the steps as the list does.
    first = after["steps"][0]
    assert opened.run("id => graphExplorer.label(id)", first["id"]).startswith("1. ")
    assert opened.run("id => graphExplorer.label(id)", step["id"]).startswith("\u2713 ")
    opened.assert_clean()


def test_checked_boxes_survive_a_reload_and_a_rebuild(open_page):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph))
    page = opened.page
    start = page.get_by_role("list", name="What you can start now", exact=True)
    ready = next_steps(graph, set())
    # The heading counts them, as graph next does ("You can start on 10 now").
    assert page.get_by_role("heading", name=f"You can start on {len(ready)} now", exact=True).is_visible()
    start.get_by_role("checkbox", name="Limits and continuity", exact=True).click()  # it leaves "start now"
    start.get_by_role("button", name="Derivatives", exact=True).wait_for()  # what it opened up
    page.reload()
    page.wait_for_function("() => window.graphReady === true")
    # Open its area in the outline: the topic is still checked.
    page.get_by_text("calculus (", exact=False).click()
    area = page.get_by_role("list", name="Topics in calculus", exact=True)
    assert area.get_by_role("checkbox", name="Limits and continuity", exact=True).is_checked()
    # Knowing a topic knows what it needs.
    area.get_by_role("checkbox", name="Derivatives", exact=True).check()
    assert "limits" in opened.run("graphExplorer.known()")
    # The same data rebuilt (another file, the same key): the progress is there.
    path = Path(page.url.split("#")[0].replace("file://", ""))
    rebuilt = path.with_name("rebuilt.html")
    rebuilt.write_text(render_html(graph), encoding="utf-8")
    page.goto(rebuilt.as_uri())
    page.wait_for_function("() => window.graphReady === true")
    assert set(opened.run("graphExplorer.marked()")) >= {"derivatives"}
    page.get_by_role("combobox", name="Find a node").fill("Derivatives")
    page.keyboard.press("Enter")
    assert page.locator("#details").get_by_role("checkbox", name="I know this").is_checked()
    opened.assert_clean()


def test_exported_progress_reads_in_graph_next_and_order(open_page, tmp_path):
    folder, graph = bundled_graph()
    opened = open_page(render_html(graph))
    page = opened.page
    page.get_by_role("combobox", name="Find a node").fill("Matrix multiplication")
    page.keyboard.press("Enter")
    page.locator("#details").get_by_role("checkbox", name="I know this").check()
    start = page.get_by_role("list", name="What you can start now", exact=True)
    start.get_by_role("checkbox", name="Descriptive statistics", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    exported = tmp_path / "progress.yaml"
    download.value.save_as(exported)
    assert read_progress(exported) == opened.run("graphExplorer.marked()")
    shown = list_names(page.get_by_role("list", name="What you can start now", exact=True))
    cli = graph_cli(folder, "next", "--progress", exported)
    assert shown == [n["name"] for n in cli["next"]][:len(shown)] and opened.run("graphExplorer.next()") == \
        [n["id"] for n in cli["next"]]
    if len(shown) < len(cli["next"]):  # the list shows the first ones and says how many more
        assert page.get_by_text(f"and {len(cli['next']) - len(shown)} more", exact=True).is_visible()
    page.get_by_role("button", name="Study plan for Researcher").click()
    order = graph_cli(folder, "order", "--target", "researcher", "--progress", exported)
    assert list_names(steps_list(opened)) == [s["name"] for s in order["steps"]]
    toward = graph_cli(folder, "next", "--progress", exported, "--target", "researcher")
    now = [li.get_by_role("checkbox").evaluate("b => b.dataset.node") for li in
           steps_list(opened).get_by_role("listitem").filter(has_text="start now").all()]
    # The page's next set toward the goal is the CLI's; the steps tagged "start now" are those of it the plan
    # takes (of alternatives, only the one it picks is a step).
    assert opened.run("graphExplorer.next()") == [n["id"] for n in toward["next"]]
    assert f"You can start on {len(toward['next'])} now" in page.locator("#study").text_content()
    tagged = [graph_ids(graph)[int(i)] for i in now]
    assert set(tagged) == {n["id"] for n in toward["next"]} & {s["id"] for s in order["steps"]} and tagged
    opened.assert_clean()


def graph_ids(graph: nx.DiGraph) -> list:
    return list(graph)


HOSTILE_PROGRESS = {
    "payloads.yaml": ("known:\n  - calculus\n  - '<img src=x onerror=\"window.__pwned=1;alert(1)\">'\n"
                      "  - \"</script><script>window.__pwned=1</script>\"\n  - __proto__\n"),
    "python-tag.yaml": "known: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
    "js-tag.yaml": "known: !!js/function 'function () { window.__pwned = 1 }'\n",
    "laughs.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nknown: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
    "proto.yaml": "__proto__: {polluted: 1}\nknown: [calculus]\n",
    "not-a-list.yaml": "known: 5\n",
    "numbers.yaml": "known: [calculus, 12, yes]\n",
    "broken.yaml": "known: [calculus\n",
}


def test_a_hostile_progress_file_imports_without_running_anything(open_page, tmp_path):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph))
    page = opened.page
    chooser = page.get_by_label("Import progress")
    status = page.get_by_role("status")
    for name, text in HOSTILE_PROGRESS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    chooser.set_input_files(tmp_path / "payloads.yaml")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('Imported')")
    message = status.text_content()
    assert "Imported 1 known id" in message and '<img src=x onerror="window.__pwned=1;alert(1)">' in message
    assert "__proto__" in message
    # Entries this map does not have are kept as text, as the CLI keeps them: data, never markup.
    kept = ["calculus", '<img src=x onerror="window.__pwned=1;alert(1)">',
            "</script><script>window.__pwned=1</script>", "__proto__"]
    assert opened.run("graphExplorer.marked()") == kept
    for name in list(HOSTILE_PROGRESS)[1:]:
        chooser.set_input_files(tmp_path / name)
        page.wait_for_function("n => document.getElementById('status').textContent.includes(n)", arg=name)
        assert "Nothing changed" in status.text_content(), name
        assert opened.run("graphExplorer.marked()") == kept, name
    assert opened.run("() => ({}).polluted === undefined && Object.prototype.polluted === undefined")
    assert page.locator("#status img, #status script, #study img").count() == 0
    assert not Path("/tmp/pwned").exists()
    opened.assert_clean()


def test_reset_asks_first(open_page):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph, known=known_closure(graph, ["derivatives"])))
    page = opened.page
    assert "derivatives" in opened.run("graphExplorer.known()")
    page.get_by_role("button", name="Reset progress").click()
    dialog = page.get_by_role("dialog", name="Reset progress?")
    assert dialog.is_visible()
    dialog.get_by_role("button", name="Cancel").click()
    assert "derivatives" in opened.run("graphExplorer.known()")
    page.get_by_role("button", name="Reset progress").click()
    dialog.get_by_role("button", name="Reset", exact=True).click()
    assert opened.run("graphExplorer.known()") == []
    page.reload()
    page.wait_for_function("() => window.graphReady === true")
    assert opened.run("graphExplorer.known()") == []  # the built-in progress does not come back
    opened.assert_clean()


def test_the_address_keeps_the_view_and_back_walks_selections(open_page):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), hash="#node=calculus")
    page = opened.page
    assert opened.run("graphExplorer.selected()") == "calculus"
    assert page.locator("#details").get_by_role("heading").first.text_content() == graph.nodes["calculus"]["name"]
    page.get_by_role("combobox", name="Find a node").fill("Vectors")
    page.keyboard.press("Enter")
    assert opened.run("graphExplorer.selected()") == "vectors" and page.url.endswith("#node=vectors")
    page.get_by_role("button", name="Study plan for Practitioner").click()
    assert page.url.endswith("#target=practitioner") and opened.run("graphExplorer.target()") == "practitioner"
    page.go_back()
    page.wait_for_function("() => graphExplorer.selected() === 'vectors'")
    assert opened.run("graphExplorer.target()") is None
    page.go_back()
    page.wait_for_function("() => graphExplorer.selected() === 'calculus'")
    page.go_forward()
    page.wait_for_function("() => graphExplorer.selected() === 'vectors'")
    # A copied address reopens the same view: a plan and a node together.
    page.goto(page.url.split("#")[0] + "#node=derivatives&target=developer")
    page.wait_for_function("() => graphExplorer.selected() === 'derivatives'")
    assert opened.run("graphExplorer.target()") == "developer"
    assert steps_list(opened).locator('li[aria-current="true"]').get_by_role("button").first.text_content() == \
        graph.nodes["derivatives"]["name"]
    # Unknown ids are reported, not thrown.
    page.goto(page.url.split("#")[0] + "#node=no-such-topic&target=<b>x</b>")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('no-such-topic')")
    assert "<b>x</b>" in page.get_by_role("status").text_content()
    assert opened.run("graphExplorer.selected()") is None
    opened.assert_clean()


def test_selecting_in_the_list_selects_on_the_map_and_back(open_page):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=(1440, 900))
    page = opened.page
    page.get_by_role("button", name="Study plan for Practitioner").click()
    steps = steps_list(opened)
    steps.get_by_role("button", name=graph.nodes["supervised-learning"]["name"], exact=True).click()
    assert opened.run("graphExplorer.selected()") == "supervised-learning"
    # Another step of the plan that the view shows, clicked on the map, is the list's current step.
    plan = [s.id for s in study_plan(graph, "practitioner").steps]
    shown = set(opened.run("graphExplorer.nodesInView()"))
    other = next(n for n in plan if n != "supervised-learning" and n in shown)
    x, y = opened.canvas_point(other)
    page.mouse.click(x, y)
    assert opened.run("graphExplorer.selected()") == other
    current = steps.locator('li[aria-current="true"]')
    assert current.count() == 1 and current.get_by_role("button").first.text_content() == graph.nodes[other]["name"]
    opened.assert_clean()


def in_view(opened: Opened, ids) -> bool:
    shown = set(opened.run("graphExplorer.nodesInView()"))
    return set(ids) <= shown


@pytest.mark.parametrize("which", ["bundled", "487 nodes"])
def test_first_frame_is_legible_and_clicks_fit_the_chain(open_page, random_dag, which):
    graph = bundled_graph()[1] if which == "bundled" else random_dag(487, seed=11, parents=2, window=60)
    opened = open_page(render_html(graph), viewport=(1440, 900))
    assert opened.run("graphExplorer.labelPixels()") >= 11
    assert len(opened.run("graphExplorer.nodesInView()")) >= 12
    # A click on a node in view zooms to fit its lit chain, as far as labels stay legible.
    seen = opened.run("graphExplorer.nodesInView()")
    small = min(seen, key=lambda n: (abs(len(chain(graph, n)) - 8), n))
    x, y = opened.canvas_point(small)
    opened.page.mouse.click(x, y)
    opened.settle()
    assert opened.run("graphExplorer.selected()") == small
    assert opened.run("graphExplorer.labelPixels()") >= 11 and in_view(opened, [small])
    if opened.run("graphExplorer.labelPixels()") > 11.01:  # zoomed in past legible: the whole chain fitted
        assert in_view(opened, chain(graph, small))
    # A node whose chain fits legibly is shown with all of it.
    fits = [n for n in graph if len(chain(graph, n)) >= 3 and _fits_legibly(opened, chain(graph, n))]
    if fits:
        opened.run("id => graphExplorer.select(id)", fits[0])
        opened.settle()
        assert in_view(opened, chain(graph, fits[0]))
    opened.fit_map()
    assert in_view(opened, graph)
    opened.assert_clean()


def _fits_legibly(opened: Opened, nodes) -> bool:
    """Whether ``nodes`` fit the map's frame at the scale where labels are 11 px (with the view's margins)."""
    return opened.run("""ids => {
        const frame = document.getElementById("map");
        const pos = ids.map(id => graphExplorer.canvasPosition(id));
        const w = Math.max(...pos.map(p => p.x)) - Math.min(...pos.map(p => p.x)) + 220;
        const h = Math.max(...pos.map(p => p.y)) - Math.min(...pos.map(p => p.y)) + 80;
        return Math.min(frame.clientWidth / w, frame.clientHeight / h) >= graphExplorer.legibleScale();
    }""", sorted(nodes))


def test_selecting_a_node_whose_chain_spans_the_map_keeps_its_labels_legible(open_page):
    """In the bundled map every topic leads on to the degrees at the far right: its chain spans the map."""
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=(1440, 900), hash="#target=developer")
    page = opened.page
    steps_list(opened).get_by_role("button", name="Integrals", exact=True).click()
    opened.settle()
    assert opened.run("graphExplorer.selected()") == "integrals"
    assert not in_view(opened, chain(graph, "integrals"))  # too wide to read whole
    assert opened.run("graphExplorer.labelPixels()") >= 11 and in_view(opened, ["integrals"])
    assert len(opened.run("graphExplorer.nodesInView()")) >= 8
    opened.fit_map()  # the whole of it is one click away
    assert in_view(opened, chain(graph, "integrals"))
    opened.assert_clean()


def _crosses(a: dict, b: dict, w: float, h: float) -> bool:
    """Whether the segment from ``a`` to ``b`` (DOM points) meets the rectangle [0, w] x [0, h] (Liang-Barsky)."""
    t0, t1 = 0.0, 1.0
    dx, dy = b["x"] - a["x"], b["y"] - a["y"]
    for p, q in ((-dx, a["x"]), (dx, w - a["x"]), (-dy, a["y"]), (dy, h - a["y"])):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            t0 = max(t0, q / p)
        else:
            t1 = min(t1, q / p)
    return t0 <= t1


def test_zoomed_in_the_map_draws_every_edge_that_crosses_the_view_and_fitted_all_of_them(open_page, random_dag):
    """Zoomed in on a large map, drawing only what crosses the view makes a click's frame several times
    cheaper; an edge whose two ends are both out of view but which crosses it must still be drawn."""
    graph = random_dag(487, seed=11, parents=2, window=60)
    opened = open_page(render_html(graph), viewport=(1440, 900))
    seen = opened.run("graphExplorer.nodesInView()")
    x, y = opened.canvas_point(seen[len(seen) // 2])
    opened.page.mouse.click(x, y)
    opened.settle()
    opened.run("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    w, h = opened.run("[document.getElementById('map').clientWidth, document.getElementById('map').clientHeight]")
    at = dict(zip(graph, opened.run("ids => ids.map(id => graphExplorer.domPosition(id))", list(graph))))
    drawn = {tuple(e) for e in opened.run("graphExplorer.edgesDrawn()")}
    crossing = {(u, v) for u, v in graph.edges if _crosses(at[u], at[v], w, h)}
    passing = {(u, v) for u, v in crossing if not in_view(opened, [u]) and not in_view(opened, [v])}
    assert passing, "the view should have an edge that crosses it with both ends outside"
    assert crossing <= drawn
    assert len(drawn) < graph.number_of_edges() / 2  # the rest of the map is not drawn
    opened.fit_map()
    opened.run("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert len(opened.run("graphExplorer.edgesDrawn()")) == graph.number_of_edges()
    opened.assert_clean()


def test_filters_refit_and_the_header_counts_follow(open_page, sample_graph):
    opened = open_page(render_html(sample_graph), viewport=(1440, 900))
    page = opened.page
    edges = sample_graph.number_of_edges()
    assert page.locator("#subtitle").text_content() == f"{len(sample_graph)} nodes \u00b7 {edges} links"
    page.locator("#kind-filter label", has_text="resource").locator("input").uncheck()
    topics = [n for n, k in sample_graph.nodes(data="kind") if k != "resource"]
    links = sum(u in topics and v in topics for u, v in sample_graph.edges)
    assert page.locator("#subtitle").text_content() == (f"{len(topics)} of {len(sample_graph)} nodes \u00b7 "
                                                        f"{links} of {edges} links")
    opened.settle()
    assert in_view(opened, topics)
    page.set_viewport_size({"width": 900, "height": 700})
    page.wait_for_timeout(300)
    opened.settle()
    assert in_view(opened, topics)  # refit after a resize
    opened.assert_clean()


def test_search_ranks_names_and_topics_first_and_shows_kinds(open_page):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph))
    page = opened.page
    page.get_by_role("combobox", name="Find a node").fill("kal")
    options = page.get_by_role("listbox", name="Search results").get_by_role("option")
    assert options.first.text_content().startswith("Kalman filter")
    texts = [options.nth(i).text_content() for i in range(options.count())]
    assert "topic" in texts[0] and any("resource" in t and "Kalman" in t for t in texts[1:])
    # A resource lights the topics it teaches.
    book = next(n for n in graph if graph.nodes[n]["kind"] == "resource" and "Kalman" in graph.nodes[n]["name"])
    page.get_by_role("combobox", name="Find a node").fill(graph.nodes[book]["name"])
    page.keyboard.press("Enter")
    taught = {v for _, v, r in graph.out_edges(book, data="relation") if r == "teaches"}
    assert taught and taught <= set(opened.run("graphExplorer.highlighted()"))
    opened.assert_clean()


def test_a_phone_shows_the_list_then_a_full_width_map_and_taps_select(open_page):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=(390, 844), phone=True)
    page = opened.page
    study = page.get_by_role("region", name="Study list").bounding_box()
    area = page.locator("#map-area").bounding_box()
    assert study["y"] < area["y"] and abs(area["width"] - 390) <= 1 and area["height"] >= 400
    assert study["width"] >= 380
    page.get_by_role("button", name="Study plan for Practitioner").tap()
    assert len(list_names(steps_list(opened))) > 3
    page.locator("#map-area").scroll_into_view_if_needed()
    opened.settle()
    node = opened.run("graphExplorer.nodesInView()")[0]
    x, y = opened.canvas_point(node)
    page.touchscreen.tap(x, y)
    page.wait_for_function("id => graphExplorer.selected() === id", arg=node)
    # What the tooltip says on hover is in the details, reachable without hover.
    details = page.locator("#details")
    details.scroll_into_view_if_needed()
    text = details.text_content()
    assert graph.nodes[node]["name"] in text
    if graph.nodes[node].get("summary"):
        assert graph.nodes[node]["summary"] in text
    opened.assert_clean()


def test_a_phone_brings_a_steps_details_into_view_when_it_is_tapped_in_the_list(open_page):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=(390, 844), phone=True, hash="#target=practitioner")
    page = opened.page
    step = steps_list(opened).get_by_role("button", name="XGBoost")
    step.scroll_into_view_if_needed()
    step.tap()
    page.wait_for_function("() => graphExplorer.selected() === 'xgboost'")
    expect(page.locator("#details").get_by_role("heading", name="XGBoost")).to_be_in_viewport()
    expect(page.locator("#details").get_by_role("checkbox", name="I know this")).to_be_in_viewport()
    opened.assert_clean()


def test_the_list_prints_and_the_map_does_not(open_page):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), hash="#target=developer")
    page = opened.page
    page.emulate_media(media="print")
    assert steps_list(opened).is_visible()
    assert not page.locator("#map-area").is_visible() and not page.get_by_role("button", name="Export progress").is_visible()
    # Paper has no use for buttons, nor for the map's node and link counts.
    assert not page.get_by_role("button", name="All topics").is_visible()
    assert not page.get_by_text("links", exact=False).is_visible()
    page.emulate_media(media="screen")
    page.get_by_role("button", name="All topics").click()
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Study plan for Developer").is_visible()
    opened.assert_clean()


# --- what a learner following the map for months meets ---------------------------------------------------------------

def test_unticking_in_the_page_forgets_as_graph_done_undo_does(open_page, tmp_path):
    folder, graph = bundled_graph()
    cli_file, page_file = tmp_path / "cli.yaml", tmp_path / "page.yaml"
    graph_cli(folder, "done", "chain-rule", "vectors", "--progress", cli_file)
    page_file.write_bytes(cli_file.read_bytes())
    opened = open_page(render_html(graph))
    page = opened.page
    page.get_by_label("Import progress").set_input_files(page_file)
    page.wait_for_function("() => document.getElementById('status').textContent.includes('Imported')")
    # Derivatives is known (the chain rule needs it) though the file does not list it: untick it.
    page.get_by_text("calculus (", exact=False).click()
    area = page.get_by_role("list", name="Topics in calculus", exact=True)
    assert area.get_by_role("checkbox", name="Derivatives", exact=True).is_checked()
    area.get_by_role("checkbox", name="Derivatives", exact=True).click()
    assert not area.get_by_role("checkbox", name="The chain rule", exact=True).is_checked()
    # Limits was known only through the chain rule: nothing marked says so now, and nothing is marked for it.
    assert not area.get_by_role("checkbox", name="Limits and continuity", exact=True).is_checked()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    download.value.save_as(page_file)
    undo = graph_cli(folder, "done", "--undo", "derivatives", "--progress", cli_file)
    assert undo["removed"] == ["derivatives"] and undo["removed_with_them"] == ["chain-rule"]
    assert read_progress(page_file) == read_progress(cli_file) == undo["known"] == ["vectors"]
    opened.assert_clean()


def test_importing_a_progress_file_reads_it_as_the_cli_does_and_exports_what_was_marked(open_page, tmp_path):
    folder, graph = bundled_graph()
    typed = tmp_path / "typed.yaml"
    typed.write_text("known:\n  - Derivatives\n  - chain rule\n  - chain_rule\n  - vectros\n  - limits\n",
                     encoding="utf-8")
    cli = graph_cli(folder, "next", "--progress", typed)["known"]
    opened = open_page(render_html(graph))
    page = opened.page
    page.get_by_label("Import progress").set_input_files(typed)
    page.wait_for_function("() => document.getElementById('status').textContent.includes('Imported')")
    assert "Imported 3 known ids from typed.yaml; not in this map, kept: 'vectros' (line 5; did you mean 'vectors'?)." \
        in page.get_by_role("status").text_content()
    marked = opened.run("graphExplorer.marked()")
    assert marked == ["derivatives", "chain-rule", "vectros", "limits"]
    assert [m for m in marked if m != "vectros"] == cli
    with page.expect_download() as download:
        page.get_by_role("button", name="Export progress").click()
    exported = tmp_path / "exported.yaml"
    download.value.save_as(exported)
    # Not minimised (limits stays, though the chain rule needs it), the unknown entry kept, and the message says so.
    assert read_progress(exported) == ["derivatives", "chain-rule", "vectros", "limits"]
    assert page.get_by_role("status").text_content() == ("Exported 3 ids (and 1 this map does not have, kept as imported)"
                                                         " to progress.yaml: use it with graph next --progress progress.yaml")
    opened.assert_clean()


def test_a_plan_says_which_of_what_can_start_now_it_takes_and_marks_discontinued_tools(open_page):
    folder, graph = bundled_graph()
    opened = open_page(render_html(graph), hash="#target=developer")
    page = opened.page
    toward = graph_cli(folder, "next", "--target", "developer")
    taken = [n for n in toward["next"] if n["in_plan"]]
    others = [n for n in toward["next"] if not n["in_plan"]]
    assert others and all(n["alternative_to"] == "pytorch" for n in others)
    names = ", ".join(n["name"] + (" (discontinued)" if n["discontinued"] else "") for n in others)
    hint = page.get_by_text(f"You can start on {len(toward['next'])} now", exact=False)
    assert hint.text_content() == (f"You can start on {len(toward['next'])} now: {len(taken)} steps below (tagged "
                                   f"\u201cstart now\u201d), and {names}, on the way through alternatives the plan "
                                   f"does not take.")
    assert "Theano (discontinued)" in names
    tagged = steps_list(opened).get_by_role("listitem").filter(has_text="start now")
    assert tagged.count() == len(taken)
    # The any-of step names every member, the discontinued one as such, and the one planned.
    step = steps_list(opened).get_by_role("listitem").filter(
        has=page.get_by_role("button", name="Implementing models from papers", exact=True))
    assert "any one of PyTorch, TensorFlow, JAX, Theano (discontinued) will do: PyTorch is planned" in \
        step.text_content()
    # Without a goal, what can start now tags the discontinued tool.
    page.get_by_role("button", name="All topics").click()
    start = page.get_by_role("list", name="What you can start now", exact=True)
    theano = start.get_by_role("listitem").filter(has=page.get_by_role("button", name="Theano", exact=True))
    assert theano.get_by_text("discontinued", exact=True).is_visible()
    opened.assert_clean()


@pytest.mark.parametrize("address", ["#node=kalman-filter&target=researcher", "#node=hajek-random-processes",
                                     "#node=limits"])
def test_a_link_to_a_node_opens_on_that_node_legibly(open_page, address):
    """Its chain does not fit legibly: the first view shows the node itself, amid its chain, not another part."""
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=(1440, 900), hash=address)
    node = address.split("node=")[1].split("&")[0]
    assert opened.run("graphExplorer.selected()") == node
    assert opened.run("graphExplorer.labelPixels()") >= 11
    assert not in_view(opened, chain(graph, node))  # the case this is about: the whole chain cannot be read at once
    assert in_view(opened, [node])
    opened.assert_clean()


def test_details_say_what_part_of_a_resource_teaches_a_topic_as_the_cli_does(open_page):
    from graph.render.text import part_phrase

    folder, graph = bundled_graph()
    opened = open_page(render_html(graph), hash="#node=chain-rule")
    page = opened.page
    details = page.locator("#details")
    shown = graph_cli(folder, "show", "chain-rule")["resources"]
    with_parts = [r for r in shown if r.get("part")]
    assert with_parts
    for resource in with_parts:
        item = details.get_by_role("listitem").filter(has=page.get_by_role("link", name=resource["name"], exact=True))
        assert part_phrase(resource) in item.text_content()  # "for this step: Unit 1, the chain rule, 4 h"
    # The resource's own details list what it teaches, each with its part, not "The chain rule teaches".
    course = with_parts[0]
    details.get_by_role("listitem").filter(has=page.get_by_role("link", name=course["name"], exact=True)) \
        .get_by_role("button", name="(details)").click()
    assert opened.run("graphExplorer.selected()") == course["id"]
    taught = details.get_by_role("listitem").filter(has=page.get_by_role("button", name="The chain rule", exact=True))
    assert course["part"] in taught.text_content() and "teaches" not in taught.text_content()
    opened.assert_clean()


def test_a_plan_with_recommendations_tags_the_steps_only_they_bring(open_page, tmp_path):
    folder, graph = bundled_graph()
    expected = graph_cli(folder, "order", "--target", "developer", "--include-recommended")
    soft = [s for s in expected["steps"] if s["recommended"]]
    required = graph_cli(folder, "order", "--target", "developer")
    assert soft and len(expected["steps"]) - len(soft) == len(required["steps"])
    assert expected["total_hours"] - sum(s["hours"] or 0 for s in soft) == required["total_hours"]
    opened = open_page(render_html(graph, plan=study_plan(graph, "developer", include_recommended=True)),
                       viewport=(1440, 900))
    page = opened.page
    tagged = steps_list(opened).get_by_role("listitem").filter(has=page.get_by_text("recommended", exact=True))
    assert [tagged.nth(k).get_by_role("checkbox").evaluate(
        "b => document.getElementById(b.getAttribute('aria-labelledby')).textContent") for k in range(tagged.count())] \
        == [s["name"] for s in soft]
    hours = format_hours(sum(s["hours"] or 0 for s in soft))
    assert page.get_by_text(f"Recommended, included: {len(soft)} steps, {hours}", exact=False).is_visible()
    # The page's port marks the same steps as graph order on graphs of every shape.
    dag = alternatives_dag(300, seed=1)
    opened = open_page(render_html(dag, plan=study_plan(dag, "v0299", include_recommended=True)), name="soft.html")
    rng = random.Random(7)
    cases = [(t, rng.sample(list(dag), k)) for t in rng.sample(list(dag), 15) for k in (0, 3)]
    found = opened.run("cases => cases.map(([t, k]) => graphExplorer.plan(t, k))", cases)
    for (target, known), page_plan in zip(cases, found):
        assert page_plan == python_plan(dag, target, known, include_recommended=True), (target, known)
    assert any(s["recommended"] for p in found for s in p["steps"])
    opened.assert_clean()


def test_a_plan_without_hours_counts_its_progress_in_steps(open_page):
    # As metacademy imports: no node gives hours. The page says so, as graph order does, not "0 h left".
    dag = nx.DiGraph()
    for node in ("sets", "functions", "limits"):
        dag.add_node(node, name=node.title(), kind="topic")
    dag.add_edges_from([("sets", "functions"), ("functions", "limits")], relation="prerequisite", strength="required")
    opened = open_page(render_html(dag, plan=study_plan(dag, "limits")), viewport=(1440, 900))
    page = opened.page
    summary = page.locator("#study .summary")
    assert summary.text_content() == "3 steps \u00b7 no hour estimates"
    assert "no hour estimates" in page.locator("#subtitle").text_content()
    assert " h" not in steps_list(opened).text_content()
    bar = page.get_by_role("progressbar", name="Steps known of the plan")
    assert (bar.get_attribute("max"), bar.get_attribute("value")) == ("3", "0")
    steps_list(opened).get_by_role("checkbox", name="Sets", exact=True).click()
    expect(summary).to_have_text("2 steps \u00b7 no hour estimates \u00b7 1 known")
    assert (bar.get_attribute("max"), bar.get_attribute("value")) == ("3", "1")
    opened.assert_clean()


# --- the README's screenshots, by hand -------------------------------------------------------------------------------

def _readme_screenshots(folder: Path) -> None:
    """Render the bundled map and save the README's pictures into ``folder``: the map with the study
    list, a chain lit, the list of a plan with progress, and the phone layout."""
    _, graph = bundled_graph()
    page_file = folder / "readme-page.html"
    folder.mkdir(parents=True, exist_ok=True)
    page_file.write_text(render_html(graph, title="Study map"), encoding="utf-8")
    url = page_file.resolve().as_uri()
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)

            def tab(viewport, hash="", **options):
                page = chromium.new_page(viewport=viewport, **options)
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_SCHEMES) else r.abort())
                page.goto(url + hash)
                page.wait_for_function("() => window.graphReady === true")
                return page

            def found_and_shot(page, name, path):
                """Find ``name`` with the search box, as a person does, and take the picture without a tooltip."""
                page.get_by_role("combobox", name="Find a node").fill(name)
                page.keyboard.press("Enter")
                page.wait_for_function("() => !graphExplorer.moving()")
                page.mouse.move(2, 300)
                page.wait_for_timeout(300)
                page.screenshot(path=str(path))

            page = tab({"width": 1440, "height": 900})
            page.wait_for_timeout(300)
            page.screenshot(path=str(folder / "overview.png"))
            found_and_shot(page, "Gradient descent", folder / "screenshot.png")
            page.close()

            page = tab({"width": 1440, "height": 900}, "#target=developer")
            steps = page.get_by_role("list", name="Steps to study", exact=True)
            for name in ("Supervised learning basics", "Limits and continuity", "Vectors", "Derivatives"):
                steps.get_by_role("checkbox", name=name, exact=True).click()
            found_and_shot(page, "Integrals", folder / "progress.png")
            page.close()

            page = tab({"width": 390, "height": 844}, "#target=practitioner", has_touch=True, is_mobile=True,
                       device_scale_factor=2)
            page.get_by_role("list", name="Steps to study", exact=True).get_by_role(
                "checkbox", name="Supervised learning basics", exact=True).tap()
            page.wait_for_timeout(300)
            page.screenshot(path=str(folder / "phone.png"), full_page=False)
            page.close()
            chromium.close()
    finally:
        page_file.unlink()
    print(f"wrote {folder}/overview.png, screenshot.png, progress.png, phone.png")


if __name__ == "__main__":
    _readme_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
