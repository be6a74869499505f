"""A teaches edge's ``part_url``: the link to the part of a resource that teaches a topic (issue 22).

Written on a small map of its own, so the bundled map's content can change freely.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.load import load
from graph.plan import study_plan
from graph.render.html import render_html
from graph.render.markdown import plan_markdown
from graph.render.text import plan_text

from cli_helpers import write_map

NODES = """nodes:
  - id: limits
    name: Limits
    kind: topic
    hours: 4
  - id: derivatives
    name: Derivatives
    kind: topic
    hours: 6
  - id: course
    name: A course
    kind: resource
    url: https://example.org/course
    hours: 40
"""
PART = "https://example.org/course/lecture-3"
EDGES = f"""edges:
  - from: limits
    to: derivatives
  - from: course
    to: derivatives
    relation: teaches
    part: Lecture 3
    hours: 6
    part_url: {PART}
  - from: course
    to: limits
    relation: teaches
"""


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], prog_name="graph")
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def folder(tmp_path):
    return write_map(tmp_path / "map", NODES, EDGES)


def test_the_step_shows_the_parts_own_link_in_text_markdown_and_json(folder):
    plan = study_plan(load(folder, use_cache=False).graph, "derivatives")
    [resource] = plan.steps[1].resources
    assert resource["part_url"] == PART
    assert f"for this step: Lecture 3 <{PART}>, 6 h" in plan_text(plan)
    assert f"for this step: [Lecture 3](<{PART}>), 6 h" in plan_markdown(plan)
    # a resource with no part gives no link
    assert "part_url" not in plan.steps[0].resources[0]
    shown = json.loads(run("--data", folder, "order", "--target", "derivatives", "--format", "json").output)
    assert shown["steps"][1]["resources"][0]["part_url"] == PART


def test_show_lists_the_part_with_its_link(folder):
    output = run("--data", folder, "show", "derivatives").output
    assert "Lecture 3" in output and f"<{PART}>" in output


@pytest.mark.parametrize("fmt", ["json", "graphml"])
def test_part_url_survives_export_and_import(folder, tmp_path, fmt):
    exported = tmp_path / f"map.{fmt}"
    assert run("--data", folder, "export", "--format", fmt, "--output", exported).exit_code == 0
    out = tmp_path / "back"
    assert run("import", fmt, exported, "--out", out).exit_code == 0
    graph = load(out, use_cache=False).graph
    assert graph.edges["course", "derivatives"]["part_url"] == PART
    assert "part_url" not in graph.edges["course", "limits"]


def test_the_page_links_the_part_only_when_it_is_a_web_address(folder):
    graph = load(folder, use_cache=False).graph
    assert list(_page_data(graph)["partUrls"].values()) == [PART]
    graph.edges["course", "derivatives"]["part_url"] = "javascript:alert(1)"  # as an untrusted import could
    assert _page_data(graph)["partUrls"] == {}


def _page_data(graph):
    page = render_html(graph)
    return json.loads(page.split('id="graph-data">', 1)[1].split("</script>", 1)[0])


@pytest.mark.parametrize("edge, message", [
    ("  - from: limits\n    to: derivatives\n    part_url: https://example.org/x\n",
     "'part_url' of edge limits -> derivatives is for teaches edges"),
    ("  - from: course\n    to: limits\n    relation: teaches\n    part: One\n    part_url: javascript:alert(1)\n",
     "field 'part_url' of edge course -> limits must be an http or https URL"),
])
def test_a_misplaced_or_unsafe_part_url_is_an_error_naming_the_edge(tmp_path, edge, message):
    folder = write_map(tmp_path / "bad", NODES, "edges:\n" + edge)
    result = run("--data", folder, "validate")
    assert result.exit_code == 1  # validate's exit for invalid data
    assert message in result.output
    assert "edges.yaml:" in result.output
    assert run("--data", folder, "order", "--target", "limits").exit_code == 1


def test_the_schema_knows_part_url():
    from graph.schema import edges_schema

    properties = json.dumps(edges_schema())
    assert '"part_url"' in properties and "^https?://" in properties


def test_the_pages_details_link_the_part_for_a_person_opening_the_node(folder, tmp_path):
    """The details of a node selected from the address show the part's own link, opened safely."""
    import shutil
    from pathlib import Path

    chromium = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    playwright = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")
    if chromium is None:
        pytest.skip("no Chromium executable (chromium or /usr/bin/chromium)")
    page_file = tmp_path / "page.html"
    page_file.write_text(render_html(load(folder, use_cache=False).graph), encoding="utf-8")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri() + "#node=derivatives")
            part = page.get_by_role("link", name="open this part")
            playwright.expect(part).to_have_attribute("href", PART)
            playwright.expect(part).to_have_attribute("rel", "noopener noreferrer")
            page.goto(page_file.as_uri() + "#node=limits")
            playwright.expect(page.get_by_role("heading", name="Limits")).to_be_visible()
            assert page.get_by_role("link", name="open this part").count() == 0
        finally:
            browser.close()


def test_a_course_plan_names_each_steps_part_with_its_link_in_text_and_markdown(folder):
    whole = run("--data", folder, "courses", "--target", "derivatives")
    assert whole.exit_code == 0, whole.output
    assert f"teaches 2 steps, the first at step 1: limits, derivatives (Lecture 3 <{PART}>)" in whole.output
    parts = run("--data", folder, "courses", "--target", "derivatives", "--parts", "--format", "markdown").output
    assert f"Derivatives ([Lecture 3](<{PART}>))" in parts
    shown = json.loads(run("--data", folder, "courses", "--target", "derivatives", "--format", "json").output)
    assert shown["resources"][0]["step_parts"] == [{"step": "derivatives", "part": "Lecture 3", "part_url": PART}]


def test_a_course_plans_part_link_is_escaped_and_only_for_a_web_address(folder):
    from graph.courses import course_plan
    from graph.render.courses import courses_markdown, courses_text

    graph = load(folder, use_cache=False).graph
    edge = graph.edges["course", "derivatives"]
    edge.update(part="Lecture *3* <img src=x onerror=alert(1)>", part_url=PART + "?a=<b>")
    markdown = courses_markdown(course_plan(graph, study_plan(graph, "derivatives")))
    assert f"[Lecture \\*3\\* \\<img src=x onerror=alert(1)\\>](<{PART}?a=%3Cb%3E>)" in markdown
    edge["part_url"] = "javascript:alert(1)"  # as an untrusted import could
    plan = course_plan(graph, study_plan(graph, "derivatives"))
    assert "javascript" not in courses_markdown(plan) and "javascript" not in courses_text(plan)
    assert "derivatives (Lecture *3* <img src=x onerror=alert(1)>)" in courses_text(plan)
