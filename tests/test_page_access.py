"""The page around the map for everyone: the list's room, the keyboard, axe-core, a phone, print.

Driven as a person drives it (roles, labels, keys, viewports); ``window.graphExplorer`` is read
for state only. axe-core is injected through Playwright into a context that bypasses the page's
CSP, so the page's own policy stays as strict as it ships.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import networkx as nx
import pytest

from graph.render.html import render_html
from graph.render.text import format_hours
from test_browser import (CHROMIUM, Opened, browser, bundled_graph, expect, list_names,  # noqa: F401 (browser: a fixture)
                          page_opener, steps_list, sync_playwright)

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium executable (chromium or /usr/bin/chromium)"),
    pytest.mark.skipif(sync_playwright is None, reason="Python Playwright is not installed"),
]

DESKTOP = (1280, 720)
ZOOMED = (720, 450)  # 1440x900 at 200% zoom, in CSS pixels
SMALL_ZOOMED = (640, 360)  # 1280x720 at 200% zoom: the phone's layout, on a short screen
WIDE = (1440, 900)
PHONE = (390, 844)


def axe_script() -> Path | None:
    """axe-core's browser build, from the node packages CI installs (GRAPH_TEST_NODE_MODULES)."""
    folder = os.environ.get("GRAPH_TEST_NODE_MODULES")
    path = Path(folder) / "axe-core" / "axe.min.js" if folder else None
    return path if path and path.is_file() else None


@pytest.fixture()
def open_page(browser, tmp_path):
    """``open_page(html, viewport=..., phone=..., hash=...) -> Opened``, offline, in its own context that
    lets axe-core in (the page's policy is unchanged)."""
    with page_opener(browser, tmp_path, viewport=DESKTOP, bypass_csp=True) as opener:
        yield opener


def boxes_in_view(opened: Opened, list_locator) -> int:
    """How many checkboxes of a list are wholly inside the viewport and inside every box that scrolls them."""
    return list_locator.evaluate("""list => {
        const inside = (r, b) => r.top >= b.top && r.bottom <= b.bottom && r.left >= b.left && r.right <= b.right;
        const view = {top: 0, left: 0, bottom: window.innerHeight, right: window.innerWidth};
        return Array.from(list.querySelectorAll('input[type=checkbox]')).filter(box => {
            const r = box.getBoundingClientRect();
            if (!r.width || !inside(r, view)) return false;
            for (let up = box.parentElement; up; up = up.parentElement) {
                const style = getComputedStyle(up);
                if (/(auto|scroll|hidden)/.test(style.overflowY + style.overflowX) && !inside(r, up.getBoundingClientRect()))
                    return false;
            }
            return true;
        }).length;
    }""")


# --- 2. the list gets the room ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("viewport, least", [(DESKTOP, 10), (ZOOMED, 4)])
def test_the_developer_plan_shows_its_steps_with_nothing_selected(open_page, viewport, least):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=viewport)
    page = opened.page
    page.get_by_role("button", name="Study plan for Developer").click()
    steps = steps_list(opened)
    assert len(list_names(steps)) >= 40
    assert boxes_in_view(opened, steps) >= least
    # Details and legend do not share the list's column: they open beside the map, and the list keeps its room.
    page.get_by_role("button", name="Legend", exact=True).click()
    assert page.get_by_role("complementary", name="Details and legend").get_by_role("heading", name="Legend").is_visible()
    assert boxes_in_view(opened, steps) >= least
    opened.assert_clean()


def test_a_short_screen_in_the_phones_layout_still_shows_five_steps(open_page):
    """1280x720 at 200% zoom is 640x360 CSS px: the phone's layout (the list, then the map, the page scrolling), where
    the list's box took half the screen's height: 3 steps. It takes at least 16rem."""
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=SMALL_ZOOMED)
    opened.page.get_by_role("button", name="Study plan for Developer").click()
    assert boxes_in_view(opened, steps_list(opened)) >= 5
    opened.assert_clean()


def test_the_page_follows_the_browsers_font_size_and_reflows_at_320_px(open_page, browser):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=(320, 640), phone=True, hash="#target=developer")
    page = opened.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # WCAG 1.4.10: no sideways scrolling
    steps_list(opened).get_by_role("button", name="Keras", exact=True).tap()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # WCAG 1.4.4: a larger default font (the browser's setting) makes the page's text larger, not only the root's.
    small = page.get_by_role("heading", name="Study plan: Developer", level=2).evaluate(
        "h => parseFloat(getComputedStyle(h).fontSize)")
    page.evaluate("document.documentElement.style.fontSize = '24px'")
    large = page.get_by_role("heading", name="Study plan: Developer", level=2).evaluate(
        "h => parseFloat(getComputedStyle(h).fontSize)")
    assert large == pytest.approx(small * 1.5)
    box = page.locator("#study ol input[type=checkbox]").first.bounding_box()
    assert box["width"] == pytest.approx(24)  # the checkboxes too
    opened.assert_clean()


# --- 5. axe-core: no violations, of any impact, in every state a learner meets ---------------------------------------

def axe_violations(opened: Opened) -> list[str]:
    """Run axe-core (its default rules: WCAG A and AA and best practices) on the page as it is now."""
    script = axe_script()
    if script is None:
        if os.environ.get("CI") == "true":
            pytest.fail("axe-core is missing: .ci/run installs it with npm and sets GRAPH_TEST_NODE_MODULES")
        pytest.skip("axe-core is not installed (npm install axe-core, then set GRAPH_TEST_NODE_MODULES)")
    page = opened.page
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(script))
    found = page.evaluate("() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => "
                          "v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).slice(0, 6).join(', ')))")
    return found


@pytest.mark.parametrize("viewport, phone", [(WIDE, False), (PHONE, True)], ids=["1440x900", "390x844"])
def test_axe_finds_nothing_in_any_state(open_page, viewport, phone):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=viewport, phone=phone)
    page = opened.page
    press = (lambda locator: locator.tap()) if phone else (lambda locator: locator.click())
    seen = {"first view": axe_violations(opened)}
    press(page.get_by_role("button", name="Study plan for Developer"))
    seen["a plan open"] = axe_violations(opened)
    steps = steps_list(opened)
    last = list_names(steps)[-1]
    for name in ("Keras", "Vectors", last):  # the last one ticks many: the status line lists them behind "All"
        box = steps.get_by_role("checkbox", name=name, exact=True)
        box.scroll_into_view_if_needed()
        press(box)
    assert page.get_by_role("status").get_by_text("All ", exact=False).is_visible()
    seen["steps ticked"] = axe_violations(opened)
    search = page.get_by_role("combobox", name="Find a node")
    search.fill("Derivatives")
    seen["a search with matches"] = axe_violations(opened)
    page.keyboard.press("Enter")
    page.wait_for_function("() => graphExplorer.selected() === 'derivatives'")
    opened.settle()
    seen["a node selected"] = axe_violations(opened)
    search.fill("no such topic anywhere")
    assert page.get_by_text("No match").is_visible()
    seen["a search with no match"] = axe_violations(opened)
    search.fill("")
    page.keyboard.press("Escape")
    reset = page.get_by_role("button", name="Reset progress")
    reset.scroll_into_view_if_needed()
    press(reset)
    assert page.get_by_role("dialog", name="Reset progress?").is_visible()
    seen["the reset dialog"] = axe_violations(opened)
    assert seen == {state: [] for state in seen}
    opened.assert_clean()


# --- 4. the map by keyboard -----------------------------------------------------------------------------------------

def selected(opened: Opened):
    return opened.run("graphExplorer.selected()")


def column_of(opened: Opened, graph: nx.DiGraph, node) -> list:
    """The nodes drawn in ``node``'s column (the same x on the canvas), top to bottom."""
    at = dict(zip(graph, opened.run("ids => ids.map(id => graphExplorer.canvasPosition(id))", list(graph))))
    return sorted((n for n in graph if abs(at[n]["x"] - at[node]["x"]) < 1), key=lambda n: (at[n]["y"], list(graph).index(n)))


def test_the_map_is_a_named_control_whose_arrow_keys_walk_the_graph(open_page, sample_graph):
    graph = sample_graph
    opened = open_page(render_html(graph), viewport=WIDE)
    page = opened.page
    # From the top of the page, the skip links come first; one reaches the map.
    page.keyboard.press("Tab")
    assert page.get_by_role("button", name="Skip to the study list").evaluate("b => b === document.activeElement")
    assert page.get_by_role("button", name="Skip to the study list").is_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Skip to the map"
    the_map = page.get_by_role("application", name="Map of the graph")
    assert the_map.evaluate("m => m === document.activeElement") and opened.run("graphExplorer.focused()") == "map"
    assert "Arrow keys" in the_map.evaluate("m => document.getElementById(m.getAttribute('aria-describedby')).textContent")
    said = page.locator("#map-said")
    # An arrow with nothing selected starts the walk; the selection is said in a live region.
    page.keyboard.press("ArrowRight")
    first = selected(opened)
    assert first is not None
    assert said.get_attribute("aria-live") == "polite"
    expect(said).to_have_text(re.compile("^" + re.escape(graph.nodes[first]["name"]) + ", "))
    # Right goes to what the node opens up, Left to what it needs, and back where it came from.
    walked = [first]
    while graph.out_degree(selected(opened)) and len(walked) < len(graph):
        here = selected(opened)
        page.keyboard.press("ArrowRight")
        assert selected(opened) in set(graph.successors(here))
        walked.append(selected(opened))
    assert len(walked) >= 3
    here = selected(opened)
    page.keyboard.press("ArrowLeft")
    assert selected(opened) == walked[-2] and selected(opened) in set(graph.predecessors(here))
    page.keyboard.press("ArrowRight")
    assert selected(opened) == here
    # At the end of the graph the map says so and stays.
    page.keyboard.press("ArrowRight")
    assert selected(opened) == here
    expect(said).to_contain_text("opens up nothing")
    # Up and Down walk the node's column, by its drawn position: back along the walk to a column of two or more.
    back = len(walked) - 1
    while len(column_of(opened, graph, walked[back])) < 2:
        back -= 1
        page.keyboard.press("ArrowLeft")
        assert selected(opened) == walked[back]
    here = walked[back]
    column = column_of(opened, graph, here)
    k = column.index(here)
    key, step = ("ArrowDown", 1) if k + 1 < len(column) else ("ArrowUp", -1)
    page.keyboard.press(key)
    assert selected(opened) == column[k + step]
    node = selected(opened)
    # Enter opens its details, with the focus on their heading.
    page.keyboard.press("Enter")
    details = page.get_by_role("complementary", name="Details and legend")
    heading = details.get_by_role("heading", name=graph.nodes[node]["name"], level=2)
    assert heading.is_visible() and heading.evaluate("h => h === document.activeElement")
    # Escape clears the selection; the focus returns to the map the details came from.
    page.keyboard.press("Escape")
    assert selected(opened) is None and not details.is_visible()
    assert opened.run("graphExplorer.focused()") == "map"
    page.keyboard.press("ArrowLeft")
    assert selected(opened) is not None
    page.keyboard.press("Escape")
    assert selected(opened) is None
    opened.assert_clean()


def test_skip_links_reach_the_list_and_the_details(open_page):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=WIDE, hash="#target=developer&node=derivatives")
    page = opened.page
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Skip to the study list"
    assert page.get_by_role("heading", name="Study plan: Developer", level=2).evaluate("h => h === document.activeElement")
    page.keyboard.press("Tab")
    assert steps_list(opened).locator(":focus").count() == 1  # the list's first control, not 59 presses later
    page.get_by_role("button", name="Skip to the details").focus()
    page.keyboard.press("Enter")
    name = graph.nodes["derivatives"]["name"]
    assert page.locator("#details").get_by_role("heading", name=name, level=2).evaluate("h => h === document.activeElement")
    page.keyboard.press("Tab")
    assert page.get_by_role("checkbox", name="I know this").evaluate("b => b === document.activeElement")
    opened.assert_clean()


@pytest.mark.parametrize("viewport", [DESKTOP, ZOOMED], ids=["desktop", "zoomed"])
def test_skip_to_the_details_with_nothing_selected_shows_where_the_focus_went(open_page, viewport):
    """With nothing selected the details hold the hints: "Skip to the details" focuses them, and the focus must show
    (it had no outline at all: a keyboard user saw the panel open and lost the focus)."""
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=viewport, hash="#target=developer")
    page = opened.page
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Skip to the details")).to_be_focused()
    page.keyboard.press("Enter")
    details = page.get_by_role("region", name="Details")
    expect(details).to_be_focused()
    expect(details).to_be_in_viewport()
    assert details.evaluate("d => getComputedStyle(d).outlineStyle") == "solid"
    opened.assert_clean()


def test_buttons_that_redraw_their_region_keep_the_focus_on_a_control(open_page):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=WIDE)
    page = opened.page
    page.get_by_role("button", name="Study plan for Developer").focus()
    page.keyboard.press("Enter")
    assert opened.run("graphExplorer.target()") == "developer"
    assert page.get_by_role("heading", name="Study plan: Developer", level=2).evaluate("h => h === document.activeElement")
    # "Study plan to here" in the details redraws the list and the details: the focus goes to the new plan.
    steps_list(opened).get_by_role("button", name="Derivatives", exact=True).click()
    page.get_by_role("button", name="Study plan to here").focus()
    page.keyboard.press("Enter")
    name = graph.nodes["derivatives"]["name"]
    assert opened.run("graphExplorer.target()") == "derivatives"
    assert page.get_by_role("heading", name=f"Study plan: {name}", level=2).evaluate("h => h === document.activeElement")
    # "All topics" back to the outline.
    page.get_by_role("button", name="All topics").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="What to learn", level=2).evaluate("h => h === document.activeElement")
    # "I know this" redraws the details: the focus stays on it.
    page.get_by_role("combobox", name="Find a node").fill(name)
    page.keyboard.press("Enter")
    know = page.get_by_role("checkbox", name="I know this")
    know.focus()
    page.keyboard.press("Space")
    assert know.is_checked() and know.evaluate("b => b === document.activeElement")
    opened.assert_clean()


# --- 6. a tick says what else it changes ----------------------------------------------------------------------------

def status(opened: Opened) -> str:
    return opened.page.get_by_role("status").filter(has_text="marked").text_content()


def test_a_tick_that_marks_others_known_names_them_and_an_untick_too(open_page):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=WIDE, hash="#target=developer")
    page = opened.page
    steps = steps_list(opened)
    names = {n: graph.nodes[n].get("name", n) for n in graph}
    # A step whose prerequisites are steps too: ticking it ticks them (Keras training ticks "Supervised learning basics").
    plan = opened.run("graphExplorer.listOrder()")
    step = next(s for s in plan[1:] if len(opened.run("id => graphExplorer.plan(id, []).steps", s)) in range(2, 6))
    before = set(opened.run("graphExplorer.known()"))
    steps.get_by_role("checkbox", name=names[step], exact=True).click()
    others = set(opened.run("graphExplorer.known()")) - before - {step}
    assert others
    said = status(opened)
    assert said.startswith(f"{names[step]} marked known, and with it {len(others)} other")
    assert all(names[n] in said for n in others), said
    # Unticking one of those forgets what needs it (and what only that needed), and says which.
    first = sorted(others, key=plan.index)[0]
    before = set(opened.run("graphExplorer.known()"))
    page.get_by_role("list", name="Already known", exact=True).get_by_role("checkbox", name=names[first], exact=True).click()
    lost = before - set(opened.run("graphExplorer.known()")) - {first}
    assert step in lost
    said = status(opened)
    assert said.startswith(f"{names[first]} marked not known, and with it {len(lost)} other")
    assert "no longer known" in said and all(names[n] in said for n in lost), said
    # Many at once: the line names six and counts the rest; every name is one click away.
    last = plan[-1]
    before = set(opened.run("graphExplorer.known()"))
    steps.get_by_role("checkbox", name=names[last], exact=True).click()
    many = set(opened.run("graphExplorer.known()")) - before - {last}
    assert len(many) > 6
    said = status(opened)
    assert f"and with it {len(many)} others it needs" in said and f"and {len(many) - 6} more" in said
    page.get_by_role("status").get_by_text(f"All {len(many)}").click()
    listed = page.get_by_role("status").locator("details span").text_content()
    assert all(names[n] in listed for n in many)
    opened.assert_clean()


# --- 7. a phone: the details in view, hints for touch ---------------------------------------------------------------

def test_a_tap_on_a_phone_shows_the_details_in_a_sheet_and_the_hints_speak_of_taps(open_page):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=PHONE, phone=True)
    page = opened.page
    page.get_by_role("button", name="Legend", exact=True).tap()
    hint = page.locator("#details .hint")
    assert "Tap a node" in hint.inner_text() and "Hover" not in hint.inner_text() and "click" not in hint.inner_text()
    page.get_by_role("button", name="Close details and legend").tap()
    sheet = page.get_by_role("complementary", name="Details and legend")
    assert not sheet.is_visible()
    # A tap on a node of the map, scrolled to as a person scrolls: its details come up in view.
    page.locator("#map-area").scroll_into_view_if_needed()
    opened.settle()
    # The lowest node in view: the sheet comes up where the tap was, and the click the browser makes of the
    # tap must not select what the sheet shows there (test_browser's phone test meets such a link).
    seen = opened.run("graphExplorer.nodesInView()")
    node = max(seen, key=lambda n: (opened.run("id => graphExplorer.domPosition(id).y", n), n))
    x, y = opened.canvas_point(node)
    assert y > PHONE[1] / 2
    page.touchscreen.tap(x, y)
    page.wait_for_function("id => graphExplorer.selected() === id", arg=node)
    page.wait_for_timeout(600)
    assert opened.run("graphExplorer.selected()") == node
    heading = sheet.get_by_role("heading", name=graph.nodes[node]["name"], level=2)
    expect(heading).to_be_in_viewport()
    expect(sheet.get_by_role("checkbox", name="I know this")).to_be_in_viewport()
    assert sheet.bounding_box()["y"] + sheet.bounding_box()["height"] <= PHONE[1] + 1
    # ... and the node tapped stays in sight above the sheet: the map moves up to the window's top, and the
    # node is drawn in the part the sheet leaves (it was under the sheet, the list's scroll carrying the map off).
    x, y = opened.canvas_point(node)
    assert 0 < x < PHONE[0] and 0 < y < sheet.bounding_box()["y"], (x, y, sheet.bounding_box())
    # The click the browser makes of the tap gives the focus to nothing the sheet brought under the finger.
    assert not opened.run("document.getElementById('panel').contains(document.activeElement)")
    # The tooltip, a thing of hover, is never shown on a phone.
    assert not page.locator("#tooltip").is_visible()
    scrolled = opened.run("window.scrollY")
    page.get_by_role("button", name="Close details and legend").tap()
    assert not sheet.is_visible() and opened.run("graphExplorer.selected()") == node
    assert opened.run("window.scrollY") == scrolled  # closing the sheet does not make the page jump
    opened.assert_clean()


def _visible(page, text: str) -> int:
    """How many elements showing exactly ``text`` a person sees (not one a pixel wide, kept for screen readers)."""
    found = page.get_by_text(text, exact=True)
    boxes = [found.nth(k).bounding_box() for k in range(found.count()) if found.nth(k).is_visible()]
    return sum(box["width"] > 1 and box["height"] > 1 for box in boxes)


def test_a_phone_says_the_plans_title_and_hours_once_and_the_page_a_goal_was_made_for_gives_the_map_back(open_page):
    from graph.plan import study_plan

    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=PHONE, phone=True, hash="#target=practitioner")
    page = opened.page
    plan = study_plan(graph, "practitioner")
    hours = f"{len(plan.steps)} steps \u00b7 {format_hours(plan.totals().hours)} left"
    assert _visible(page, "Study plan: Practitioner") == 1 and _visible(page, hours) == 1
    study = page.get_by_role("region", name="Study list")
    expect(study.get_by_role("heading", name="Study plan: Practitioner", level=2)).to_be_in_viewport()
    assert page.get_by_role("heading", level=1).count() == 1  # the page keeps its title for screen readers
    # A page made for a goal (graph html --target) that the learner leaves: the map's own title comes back.
    opened = open_page(render_html(graph, plan=plan), viewport=PHONE, phone=True, name="goal.html")
    page = opened.page
    assert page.title() == "Study plan: Practitioner \u2014 Study map"
    page.get_by_role("button", name="All topics").tap()
    assert page.get_by_role("heading", level=1).text_content() == "Study map" and page.title() == "Study map"
    opened.assert_clean()


@pytest.mark.parametrize("viewport, shown", [(ZOOMED, 1), (DESKTOP, 2)], ids=["zoomed", "desktop"])
def test_at_200_percent_zoom_the_plans_title_and_hours_show_once(open_page, viewport, shown):
    """At 720x450 CSS px the list's own heading says the plan; the header's (kept for screen readers) does not
    say it again, which leaves the list about 50 px more. A tall screen keeps both."""
    from graph.plan import study_plan

    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=viewport, hash="#target=developer")
    plan = study_plan(graph, "developer")
    hours = f"{len(plan.steps)} steps \u00b7 {format_hours(plan.totals().hours)} left"
    assert _visible(opened.page, "Study plan: Developer") == shown
    assert _visible(opened.page, hours) == 1  # the list's own line; a tall header says it in its own words
    assert opened.page.get_by_role("heading", level=1).count() == 1
    opened.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP, ZOOMED, WIDE], ids=["phone", "desktop", "zoomed", "wide"])
def test_one_bar_above_the_map_holds_the_filters_the_layouts_note_and_fit(open_page, viewport):
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=viewport, phone=viewport == PHONE, hash="#target=practitioner")
    page = opened.page
    bar = page.get_by_role("group", name="What the map shows")
    fit = bar.get_by_role("button", name="Fit", exact=True)
    expect(fit).to_be_visible()
    expect(bar.get_by_text("Drawn in layers", exact=False)).to_be_visible()
    below = bar.bounding_box()
    canvas = page.locator("#map canvas").bounding_box()
    assert abs(canvas["y"] - (below["y"] + below["height"])) <= 1  # the map starts where the one bar ends
    assert fit.bounding_box()["y"] + fit.bounding_box()["height"] <= canvas["y"]
    opened.assert_clean()


@pytest.mark.parametrize("viewport", [PHONE, ZOOMED], ids=["phone", "zoomed"])
def test_the_layouts_note_cut_to_two_lines_is_read_whole_with_a_tap_in_the_legend(open_page, viewport):
    """The bar above the map shows two lines of the layout's note and a mouse's hover its title; a touch screen has
    no hover: a tap on the note (or "Legend") opens the legend, which holds the whole note in view."""
    _, graph = bundled_graph()
    phone = viewport == PHONE
    opened = open_page(render_html(graph), viewport=viewport, phone=phone, hash="#target=developer")
    page = opened.page
    bar = page.get_by_role("group", name="What the map shows")
    note = bar.get_by_text("Drawn in layers", exact=False)
    whole = note.get_attribute("title")
    line = float(note.evaluate("p => getComputedStyle(p).lineHeight").removesuffix("px"))
    assert note.bounding_box()["height"] <= 2 * line + 1 and whole.endswith("when you select or hover either.")
    assert note.evaluate("p => p.scrollHeight > p.clientHeight + 1")  # cut: it needs more lines than it shows
    note.tap() if phone else note.click()
    legend = page.get_by_role("complementary", name="Details and legend")
    expect(legend.get_by_role("heading", name="Layout")).to_be_in_viewport()
    told = legend.get_by_text(whole, exact=True)
    expect(told).to_be_in_viewport()
    assert told.bounding_box()["height"] > 2 * line  # whole, on as many lines as it needs
    expect(bar.get_by_role("button", name="Legend", exact=True)).to_have_attribute("aria-expanded", "true")
    close = legend.get_by_role("button", name="Close details and legend")
    close.tap() if phone else close.click()
    expect(legend).to_be_hidden()
    opened.assert_clean()


def test_escape_closes_the_legend_and_gives_the_focus_back_to_its_button(open_page):
    """README: the panel closes with "Close" or Escape; with nothing selected, Escape closed only a selection's details."""
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=ZOOMED, hash="#target=developer")
    page = opened.page
    button = page.get_by_role("button", name="Legend", exact=True)
    button.press("Enter")
    panel = page.get_by_role("complementary", name="Details and legend")
    heading = panel.get_by_role("heading", name="Legend")
    expect(heading).to_be_in_viewport()
    expect(heading).to_be_focused()  # the focus goes where the legend opened, not on through Fit and the map
    close_bar = panel.get_by_role("button", name="Close details and legend").bounding_box()
    assert heading.bounding_box()["y"] >= close_bar["y"] + close_bar["height"]  # not under the sticky Close bar
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Shift+Tab")  # back through the panel, to its Close button
    expect(panel.get_by_role("button", name="Close details and legend")).to_be_focused()
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    opened.assert_clean()


@pytest.mark.parametrize("viewport", [(1024, 768), ZOOMED], ids=["1024x768", "zoomed"])
def test_details_open_beside_where_the_node_was_chosen_and_do_not_press_the_legend_button(open_page, viewport):
    """Below 75rem the panel has no column of its own. A step chosen in the list has its details over the map's
    right side (the list stays in view), and its node is drawn in the part left uncovered where that part is wide
    enough; a node chosen by the search or on the map has them over the list's column, and the map keeps its width
    (at 720x450 the panel over the map left 32 px of it). Legend is pressed only when the legend was asked for."""
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=viewport, hash="#target=developer")
    page = opened.page
    panel = page.get_by_role("complementary", name="Details and legend")
    button = page.get_by_role("button", name="Legend", exact=True)
    area = page.locator("#map-area").bounding_box()
    right = area["x"] + area["width"]

    steps_list(opened).get_by_role("button", name="Matrix multiplication", exact=True).click()
    expect(panel.get_by_role("heading", name=re.compile("Matrix multiplication$"))).to_be_visible()
    over = panel.bounding_box()
    assert over["x"] >= area["x"] - 1  # over the map: the list beside it
    expect(steps_list(opened).get_by_role("button", name="Matrix multiplication", exact=True)).to_be_in_viewport()
    expect(button).to_have_attribute("aria-expanded", "false")
    if over["x"] - area["x"] >= 240:
        x, y = opened.canvas_point("matrix-multiplication")
        assert area["x"] < x < over["x"] - 40 and area["y"] < y < area["y"] + area["height"], (x, y, over)

    search = page.get_by_role("combobox", name="Find a node")
    search.fill("Eigenvalues and eigendecomposition")
    search.press("Enter")
    expect(panel.get_by_role("heading", name=re.compile("Eigenvalues and eigendecomposition$"))).to_be_visible()
    over = panel.bounding_box()
    assert over["x"] + over["width"] <= area["x"] + 1  # over the list's column: the map whole
    x, y = opened.canvas_point("eigendecomposition")
    assert area["x"] < x < right and area["y"] < y < area["y"] + area["height"], (x, y, area)

    # A node clicked on the map: its details over the list too, the node still in view.
    seen = [n for n in opened.run("graphExplorer.nodesInView()") if n != "eigendecomposition"]
    points = {n: opened.canvas_point(n) for n in seen}
    assert points, seen
    inside = [n for n, (x, y) in points.items()
              if area["x"] + 8 < x < right - 8 and area["y"] + 8 < y < area["y"] + area["height"] - 8]
    assert inside, (points, area)
    node = inside[0]
    page.mouse.click(*points[node])
    page.wait_for_function("id => graphExplorer.selected() === id", arg=node)
    over = panel.bounding_box()
    assert over["x"] + over["width"] <= area["x"] + 1
    x, y = opened.canvas_point(node)
    assert area["x"] < x < right and area["y"] < y < area["y"] + area["height"]

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(panel.get_by_role("heading", name="Legend")).to_be_in_viewport()
    opened.assert_clean()


def test_escape_in_the_search_box_clears_it_first_then_closes_the_details(open_page):
    """A phone-sized window (640x360) is half covered by the details' sheet: Escape, where the focus is, closes it."""
    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=SMALL_ZOOMED)
    page = opened.page
    search = page.get_by_role("combobox", name="Find a node")
    search.fill("Integrals")
    search.press("Enter")
    panel = page.get_by_role("complementary", name="Details and legend")
    expect(panel.get_by_role("heading", name="Integrals")).to_be_visible()
    search.focus()
    page.keyboard.press("Escape")
    expect(search).to_have_value("")
    expect(panel).to_be_visible()  # the first Escape only cleared the box
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert opened.run("graphExplorer.selected()") is None
    expect(search).to_be_focused()
    opened.assert_clean()


# --- 8. the legend explains every mark ------------------------------------------------------------------------------

def test_the_legend_explains_the_marks_the_map_puts_on_nodes(open_page, sample_graph):
    opened = open_page(render_html(sample_graph), viewport=WIDE, hash="#target=ml")
    page = opened.page
    page.get_by_role("button", name="Legend", exact=True).click()
    legend = page.locator("#legend")
    marks = legend.get_by_role("list").last
    text = marks.inner_text()
    for words in ("selected node", "faded: not on the lit chain", "its step in the study plan", "known"):
        assert words in text, words
    # What it explains is on the map: a number on a step's label, a dimmed node with a goal and nothing selected.
    first = opened.run("graphExplorer.listOrder()")[0]
    assert opened.run("id => graphExplorer.label(id)", first).startswith("1. ")
    assert 0 < min(opened.run("ids => ids.map(id => graphExplorer.nodeOpacity(id))", list(sample_graph))) < 1
    opened.assert_clean()


# --- 9. print: each step, its hours and where to learn it, one title ------------------------------------------------

def test_the_printed_plan_gives_each_step_its_hours_and_first_resource_under_one_title(open_page):
    from graph.plan import resources_for, study_plan
    from graph.render.text import format_hours
    from graph.validate import is_web_url

    _, graph = bundled_graph()
    opened = open_page(render_html(graph), viewport=WIDE, hash="#target=developer")
    page = opened.page
    page.emulate_media(media="print")
    assert page.get_by_text("Study plan: Developer", exact=True).count() == 2  # the header's and the list's
    assert sum(page.get_by_text("Study plan: Developer", exact=True).nth(k).is_visible() for k in range(2)) == 1
    steps = study_plan(graph, "developer").to_dict()["steps"]
    plan = [s["id"] for s in steps]
    assert opened.run("graphExplorer.listOrder()") == plan
    items = steps_list(opened).get_by_role("listitem")
    assert items.count() == len(plan)
    with_source = 0
    for k, (node, step) in enumerate(zip(plan, steps)):
        text = items.nth(k).inner_text()
        assert (format_hours(step["hours"]) if step["hours"] is not None else "? h") + " \u00b7 " in text, text
        found = resources_for(graph, node)
        if found:
            first = found[0]
            url = first["current_url"] if is_web_url(first.get("current_url")) else first["url"]
            assert f"Learn it from: {first['name']} \u2014 {url}" in text, text
            with_source += 1
    assert with_source >= len(plan) // 2
    # On screen the addresses stay in the details, not in the list.
    page.emulate_media(media="screen")
    assert "Learn it from" not in steps_list(opened).inner_text()
    opened.assert_clean()
