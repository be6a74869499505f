"""The page's progress import applies the CLI's limits (graph/readlimits.py): bytes, encoding, aliases.

Browser tests: skipped only where no Chromium or Playwright exists (see ``test_browser.py``).
"""

from __future__ import annotations

import json
import re
import time

import pytest

from graph.marks import marks_of
from graph.progress import ProgressError, read_progress, read_progress_lines
from graph.readlimits import PROGRESS
from graph.render.html import render_html
from test_browser import browser, bundled_graph, expect, open_page, pytestmark  # noqa: F401  (fixtures, skip marks)

FILES = {
    "aliases.yaml": (b"known: [&a calculus, *a]\n", "aliases"),
    "latin-1.yaml": (b"known: [caf\xe9]\n", "not valid UTF-8"),
    "utf-16.yaml": ("known: [calculus]\n".encode("utf-16"), "not valid UTF-8"),
    "too-big.yaml": (b"known:\n" + b" " * PROGRESS.bytes, f"over the progress file limit of {PROGRESS.bytes:,} bytes"),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_page_refuses_what_the_cli_refuses(open_page, tmp_path, name):
    body, reason = FILES[name]
    path = tmp_path / name
    path.write_bytes(body)
    with pytest.raises(ProgressError):
        read_progress(path)
    _, graph = bundled_graph()
    opened = open_page(render_html(graph))
    page = opened.page
    page.get_by_label("Import progress").set_input_files(path)
    page.wait_for_function("n => document.getElementById('status').textContent.includes(n)", arg=name)
    message = page.get_by_role("status").text_content()
    assert reason in message and "Nothing changed" in message, message
    assert opened.run("graphExplorer.marked()") == []
    opened.assert_clean()


def test_the_page_reads_what_the_cli_reads(open_page, tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfknown: [calculus, 'y']\n")  # a byte-order mark, and a quoted YAML 1.1 word
    assert read_progress(path) == ["calculus", "y"]
    _, graph = bundled_graph()
    opened = open_page(render_html(graph))
    opened.page.get_by_label("Import progress").set_input_files(path)
    opened.page.wait_for_function("() => document.getElementById('status').textContent.includes('Imported')")
    assert opened.run("graphExplorer.marked()") == ["calculus", "y"]  # an entry the map lacks is kept, as by the CLI
    opened.assert_clean()


def _import(opened, path) -> str:
    """Import ``path`` through the page's "Import progress" control; return what the status says of it."""
    opened.page.get_by_label("Import progress").set_input_files(path)
    opened.page.wait_for_function("n => document.getElementById('status').textContent.includes(n)", arg=path.name)
    return opened.page.get_by_role("status").text_content()


def test_the_pages_import_names_lines_and_suggests_as_the_cli_warns(open_page, tmp_path):
    folder, graph = bundled_graph()
    path = tmp_path / "typed.yaml"
    path.write_text("# what I know\nknown:\n  - Derivatives\n  - vectros\n  - linear algbra\n  - zzz-nothing\n",
                    encoding="utf-8")
    warnings = marks_of(graph, read_progress_lines(path), str(path)).warnings  # what graph next --progress warns of
    assert [w.line for w in warnings] == [4, 5, 6]
    opened = open_page(render_html(graph))
    message = _import(opened, path)
    shown = []
    for warning, entry in zip(warnings, ["vectros", "linear algbra", "zzz-nothing"]):
        hint = re.search(r"\((did you mean .*?\?)\)", warning.message)
        shown.append(f"'{entry}' (line {warning.line}" + (f"; {hint.group(1)}" if hint else "") + ")")
    assert "did you mean 'vectors'?" in shown[0] and "did you mean 'linear-algebra' or" in shown[1]
    assert message == f"Imported 1 known id from typed.yaml; not in this map, kept: {', '.join(shown)}."
    assert opened.run("graphExplorer.marked()") == ["derivatives", "vectros", "linear algbra", "zzz-nothing"]
    opened.assert_clean()


@pytest.mark.parametrize("text", [
    "known:\n  - limits\n  - derivatives\n    - chain-rule\n",  # a '- ' indented too far continues the entry above
    "known:\n  - limits\n  - |\n    chain-rule\n",  # a block scalar spans lines too
    "# mine\nknown:\n  - limits\n  - 12\n",
    "known:\n  - limits\nmore: [x]\n",
    "\n\nknown: limits\n",
])
def test_the_page_refuses_a_malformed_progress_file_on_the_line_the_cli_names_and_keeps_the_progress(
        open_page, tmp_path, text):
    _, graph = bundled_graph()
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProgressError) as refused:
        read_progress(path)
    [diagnostic] = refused.value.diagnostics
    opened = open_page(render_html(graph))
    opened.page.get_by_role("button", name="Study plan for Practitioner").click()
    steps = opened.page.get_by_role("list", name="Steps to study", exact=True)
    steps.get_by_role("checkbox", name=graph.nodes["supervised-learning"]["name"], exact=True).click()
    before = opened.run("graphExplorer.marked()")
    assert before == ["supervised-learning"]
    message = _import(opened, path)
    assert message == f"Could not import mine.yaml: line {diagnostic.line}: {diagnostic.message}. Nothing changed."
    assert opened.run("graphExplorer.marked()") == before
    opened.assert_clean()


def test_a_huge_hostile_progress_file_is_answered_at_once_in_a_few_lines_and_stays_text(open_page, tmp_path):
    """50,000 entries the map lacks, led by 10,000-character ids, markup and a right-to-left override: the status
    quotes the first few, each cut short and inert, in a few lines above the list, within a second or two."""
    _, graph = bundled_graph()
    long_ids = [letter * 10_000 for letter in "abcdefgh"]
    hostile = ["<img src=x onerror='window.__pwned=1'>", "javascript:window.__pwned=1//\u202eevil"]
    entries = hostile + long_ids + [f"unknown-entry-{k}" for k in range(50_000)]
    path = tmp_path / "hostile.yaml"
    path.write_text("known:\n" + "".join(f"  - {json.dumps(entry)}\n" for entry in entries), encoding="utf-8")
    assert len(read_progress(path)) == len(entries)  # the CLI reads it: the page must too
    opened = open_page(render_html(graph))
    page = opened.page
    started = time.monotonic()
    message = _import(opened, path)
    assert time.monotonic() - started < 3, "the import blocked the tab"
    assert message.startswith("Imported 0 known ids from hostile.yaml; not in this map, kept: "
                              "'<img src=x onerror='window.__pwned=1'>' (line 2), 'javascript:window.__pwned=1//\\u202eevil'")
    assert message.count("\u2026' (line ") == 8 and message.count("; 10,000 characters)") == 8
    assert "a" * 60 not in message and "\u202e" not in message
    shown = page.get_by_role("status")
    assert shown.inner_text().startswith(message[:message.index("(line 4; 10,000 characters)")])
    assert " (line 4; 10,000 characters) and 50,007 more. The next 7" in shown.inner_text()  # three in the sentence
    assert shown.bounding_box()["height"] < 100, shown.bounding_box()  # the study list and the map stay in view
    shown.get_by_text("The next 7").click()  # the other seven named, each cut short
    expect(shown.get_by_text("(line 11; 10,000 characters) and 50,000 more.", exact=False)).to_be_visible()
    assert shown.bounding_box()["height"] < 200, shown.bounding_box()
    expect(page.get_by_role("button", name="Fit", exact=True)).to_be_in_viewport()  # the bar above the map
    assert page.locator("#status img").count() == 0
    assert len(opened.run("graphExplorer.marked()")) == len(entries)  # kept, as the CLI keeps them
    opened.assert_clean()


def test_a_malformed_progress_file_with_a_huge_entry_is_refused_in_one_short_line(open_page, tmp_path):
    _, graph = bundled_graph()
    path = tmp_path / "long.yaml"
    path.write_text("known:\n  - limits\n  - " + "x" * 100_000 + "\n    - chain-rule\n", encoding="utf-8")
    with pytest.raises(ProgressError):
        read_progress(path)
    opened = open_page(render_html(graph))
    message = _import(opened, path)
    assert message.startswith("Could not import long.yaml: line 4: this line continues the entry of line 3 ('xxx")
    assert len(message) < 300 and message.endswith("under the one before. Nothing changed."), message
    opened.assert_clean()
