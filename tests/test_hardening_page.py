"""The page's progress import applies the CLI's limits (graph/readlimits.py): bytes, encoding, aliases.

Browser tests: skipped only where no Chromium or Playwright exists (see ``test_browser.py``).
"""

from __future__ import annotations

import pytest

from graph.progress import ProgressError, read_progress
from graph.readlimits import PROGRESS
from graph.render.html import render_html
from test_browser import browser, bundled_graph, open_page, pytestmark  # noqa: F401  (fixtures, skip marks)

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
