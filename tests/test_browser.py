"""The HTML map in headless Chromium: offline, interactive, and inert to hostile data.

Run by hand to refresh the README's picture of the bundled map::

    python tests/test_browser.py docs/screenshot.png
"""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pytest

from conftest import HOSTILE_ID, PAYLOADS
from graph.model import ordering_relations
from graph.plan import known_closure, resources_for, study_plan
from graph.render.html import SCRIPTS, render_html
from graph.render.text import format_hours

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

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


@pytest.fixture()
def open_page(browser, tmp_path):
    """``open_page(html) -> Opened``: the page loaded from a file:// URL, offline, drawn."""
    pages = []

    def opener(html: str, name: str = "page.html", timeout_ms: int = 30_000) -> Opened:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        pages.append(page)
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
        page.goto(path.as_uri())
        page.wait_for_function("window.graphReady === true", timeout=timeout_ms)
        return opened

    yield opener
    for page in pages:
        page.close()


def chain(graph: nx.DiGraph, node) -> set:
    """What a click lights: the node, what it needs and what needs it, through ordering relations;
    for a resource, what it needs and the topics it teaches."""
    ordering = ordering_relations()
    kept = nx.DiGraph([(u, v) for u, v, r in graph.edges(data="relation") if r in ordering])
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
    assert format_hours(plan.total_hours) in opened.page.locator("#subtitle").text_content()
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


# --- the README's screenshot, by hand --------------------------------------------------------------------------------

def _readme_screenshot(out: Path, node: str = "gradient-descent", zoom_steps: int = 2) -> None:
    """Render the bundled map, light up one node's chain and save a screenshot to ``out``."""
    from graph.load import bundled_data_dir, load

    folder = Path("data") if (Path("data") / "nodes.yaml").is_file() else bundled_data_dir()
    graph = load(folder, use_cache=False).graph
    page_file = out.with_suffix(".html")
    page_file.parent.mkdir(parents=True, exist_ok=True)
    page_file.write_text(render_html(graph, title="Study map"), encoding="utf-8")
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = chromium.new_page(viewport={"width": 1600, "height": 1000}, device_scale_factor=1)
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL_SCHEMES) else r.abort())
            page.goto(page_file.resolve().as_uri())
            page.wait_for_function("window.graphReady === true")
            if node in graph:
                page.evaluate("id => graphExplorer.select(id, false)", node)
                box = page.locator("#map canvas").bounding_box()
                at = page.evaluate("id => graphExplorer.domPosition(id)", node)
                page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
                for _ in range(zoom_steps):
                    page.mouse.wheel(0, -100)
                    page.wait_for_timeout(50)
                page.mouse.move(box["x"] + 2, box["y"] + 2)  # no tooltip in the picture
                page.wait_for_timeout(300)
            page.screenshot(path=str(out))
            chromium.close()
    finally:
        page_file.unlink()
    print(f"wrote {out} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)")


if __name__ == "__main__":
    _readme_screenshot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot.png"))
