"""The map's drawing in headless Chromium: the first view, the Fit button, bends and "teaches" edges.

The measurements read the page's own map box (the canvas's bounding rectangle) and each node's shape and
label as vis-network draws them (``graphExplorer.nodeBox``, from ``network.canvasToDOM``), so they hold
whatever room the page gives the map.
"""

from __future__ import annotations

import pytest

from graph.query import next_steps
from graph.render.html import render_html
from test_browser import CHROMIUM, bundled_graph, browser, open_page, sync_playwright  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium executable (chromium or /usr/bin/chromium)"),
    pytest.mark.skipif(sync_playwright is None, reason="Python Playwright is not installed"),
]

VIEWPORTS = [(390, 844), (768, 1024), (1280, 720), (1440, 900), (1920, 1080)]


def _boxes(opened, ids) -> dict:
    """Each node's drawn box (shape and label) in page pixels."""
    canvas = opened.page.locator("#map canvas").bounding_box()
    boxes = opened.run("ids => ids.map(id => graphExplorer.nodeBox(id))", list(ids))
    return {n: (canvas["x"] + b["left"], canvas["y"] + b["top"], canvas["x"] + b["right"], canvas["y"] + b["bottom"])
            for n, b in zip(ids, boxes)}


def _rect(box: dict) -> tuple:
    return box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]


def _inside(inner: tuple, outer: tuple) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_the_first_view_shows_the_start_now_topics_whole_and_fit_covers_no_node(open_page, viewport):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=viewport, phone=viewport[0] < 700)
    start = opened.run("graphExplorer.next()")
    assert start and start == next_steps(graph, set())
    canvas = _rect(opened.page.locator("#map canvas").bounding_box())
    fit = opened.page.get_by_role("button", name="Fit", exact=True)
    button = _rect(fit.bounding_box())
    # The button never lies over the drawing, whatever the view.
    assert not _overlap(button, canvas)
    for node, box in _boxes(opened, start).items():
        assert _inside(box, canvas), f"{node}'s label is cut by the map's edge at {viewport}: {box} in {canvas}"
    # Legible (labels 11 px high) where the map box holds them so; where it does not (a phone, or 1280x720
    # below the page's bars), whole comes first: shrunk no more than it takes, they fill the box's height.
    pixels = opened.run("graphExplorer.labelPixels()")
    if pixels < 11 - 1e-9:
        boxes = list(_boxes(opened, start).values())
        extent = max(b[3] for b in boxes) - min(b[1] for b in boxes)
        assert extent >= 0.75 * (canvas[3] - canvas[1]), f"labels {pixels:.1f} px high, the list {extent} px tall"
    # Fit shows every node whole, none under the button, and every bend of the links between them.
    fit.click()
    opened.settle()
    for node, box in _boxes(opened, list(graph)).items():
        assert _inside(box, canvas), f"{node} is cut after Fit at {viewport}: {box} in {canvas}"
        assert not _overlap(box, button)
    bends = opened.run("graphExplorer.bendsBox()")
    assert bends is not None and _inside((canvas[0] + bends["left"], canvas[1] + bends["top"],
                                          canvas[0] + bends["right"], canvas[1] + bends["bottom"]), canvas)
    opened.assert_clean()


def test_fit_shows_every_bend_of_the_long_links_too(open_page, tmp_path):
    """On a generated 150-node map the long links bend above and below every node: Fit takes them in."""
    import sys
    from pathlib import Path

    from graph.load import load

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.generate import generate, write

    graph = load(write(generate(150, 2.8, 1), tmp_path / "g150"), use_cache=False).graph
    opened = open_page(render_html(graph), viewport=(1440, 900))
    assert opened.run("graphExplorer.layered()")
    canvas = _rect(opened.page.locator("#map canvas").bounding_box())
    opened.page.get_by_role("button", name="Fit", exact=True).click()
    opened.settle()
    bends = opened.run("graphExplorer.bendsBox()")
    assert _inside((canvas[0] + bends["left"], canvas[1] + bends["top"], canvas[0] + bends["right"],
                    canvas[1] + bends["bottom"]), canvas), f"bends {bends} beyond the map {canvas}"
    opened.assert_clean()


def test_a_start_list_too_long_to_read_whole_is_shown_from_its_top_legibly(open_page, tmp_path):
    """60 topics to start on cannot all be read in one view: the first view shows the first of them whole,
    labels 11 px high, rather than all of them too small to read."""
    from cli_helpers import write_map

    from graph.load import load

    nodes = "nodes:\n" + "".join(f"  - {{id: s{i}, name: Starting topic number {i}, kind: topic}}\n"
                                 for i in range(60))
    nodes += "".join(f"  - {{id: t{j}, name: Next topic {j}, kind: topic}}\n" for j in range(10))
    edges = "edges:\n" + "".join(f"  - {{from: s{i}, to: t{i % 10}, relation: prerequisite, why: w}}\n"
                                 for i in range(60))
    graph = load(write_map(tmp_path / "wide", nodes, edges), use_cache=False).graph
    opened = open_page(render_html(graph), viewport=(1440, 900))
    assert opened.run("graphExplorer.labelPixels()") >= 11 - 1e-9
    start = opened.run("graphExplorer.next()")
    assert len(start) == 60
    canvas = _rect(opened.page.locator("#map canvas").bounding_box())
    boxes = _boxes(opened, start)
    whole = [n for n, box in boxes.items() if _inside(box, canvas)]
    assert len(whole) >= 8
    # From the top: the highest of the list is in view, whole, near the map's top edge.
    top = min(boxes, key=lambda n: boxes[n][1])
    assert top in whole and boxes[top][1] - canvas[1] < 40
    opened.assert_clean()


PLAN_VIEWPORTS = [(390, 844), (720, 450), (1280, 720), (1440, 900)]


@pytest.mark.parametrize("viewport", PLAN_VIEWPORTS, ids=[f"{w}x{h}" for w, h in PLAN_VIEWPORTS])
def test_a_plan_too_wide_to_read_whole_opens_on_its_first_step_whole_and_legible(open_page, viewport):
    """README: the first view shows "a goal's first steps". The developer plan's 40 steps span the map; its view
    centred its rows on the middle of the first columns, which held steps 10, 12, 13 and 29 at 1280x720, not step 1."""
    from graph.plan import study_plan

    _, graph = bundled_graph()
    first = study_plan(graph, "developer").steps[0].id
    for how in ("address", "button"):
        opened = open_page(render_html(graph), viewport=viewport, phone=viewport[0] < 700,
                           hash="#target=developer" if how == "address" else "")
        if how == "button":
            opened.page.get_by_role("button", name="Study plan for Developer").click()
        opened.settle()
        canvas = _rect(opened.page.locator("#map canvas").bounding_box())
        box = _boxes(opened, [first])[first]
        assert _inside(box, canvas), f"step 1, {first}, is not whole in the first view at {viewport} ({how})"
        assert opened.run("graphExplorer.labelPixels()") >= 11 - 1e-9
        opened.assert_clean()
