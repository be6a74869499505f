"""The results of ``graph check-links`` as text, JSON and GitHub Actions annotations.

Everything a server sent (a redirect's URL, an error) is data: the text lines
write control characters as escapes (:func:`graph.errors.terminal_safe`), JSON
escapes them all (``ensure_ascii``), and annotations are written as the text
lines, then escaped as the runner expects (:mod:`graph.render.github`).

>>> from graph.linkcheck import Link, Result
>>> link = Link("strang", "url", "http://ocw.example/18-06", "data/nodes.yaml", 12)
>>> r = Result(link, "moved", 200, "https://ocw.example/18-06", permanent=True)
>>> print(result_line(r))
data/nodes.yaml:12: warning: moved: strang url http://ocw.example/18-06 -> https://ocw.example/18-06 (permanent: set current_url)
>>> print(annotations_text([r], root="."), end="")
::warning file=data/nodes.yaml,line=12,title=graph check-links::moved: strang url http://ocw.example/18-06 -> \
https://ocw.example/18-06 (permanent: set current_url)
"""

from __future__ import annotations

import json

from ..errors import Diagnostic, terminal_safe
from ..linkcheck import STATUSES, Result, counts
from .github import annotations
from .text import plural

__all__ = ["annotations_text", "results_json", "results_text", "result_line", "summary_line"]

_LEVELS = {"dead": "error", "moved": "warning", "blocked": "warning", "timeout": "warning", "error": "warning"}


def _message(r: Result) -> str:
    text = f"{r.status}: {r.link.node} {r.link.field} {r.link.url}"
    if r.final_url and r.final_url != r.link.url:
        text += f" -> {r.final_url}"
    details = []
    if r.code is not None and r.status != "moved":
        details.append(f"HTTP {r.code}")
    if r.error and not (r.code is not None and r.error == f"HTTP {r.code}"):
        details.append(r.error)
    if r.status == "moved":
        details.append("permanent: set current_url" if r.permanent else "temporary")
    if r.cached:
        details.append("cached")
    return text + (f" ({'; '.join(details)})" if details else "")


def _diagnostic(r: Result) -> Diagnostic:
    return Diagnostic(r.link.path, r.link.line, _LEVELS.get(r.status, "note"), _message(r))


def result_line(r: Result) -> str:
    """Return one result as ``PATH:LINE: LEVEL: STATUS: ID FIELD URL [-> FINAL] (details)``, safe for a terminal.

    The level is ``error`` for a dead link, ``warning`` for the others that need a look, ``note`` otherwise.
    """
    return str(_diagnostic(r))


def summary_line(results: list[Result]) -> str:
    """Return ``N links (M from the cache): 1 dead, 3 alive``."""
    cached = sum(r.cached for r in results)
    found = ", ".join(f"{n:,} {status}" for status, n in counts(results).items())
    return terminal_safe(f"{plural(len(results), 'link')}" + (f" ({cached:,} from the cache)" if cached else "")
                         + (f": {found}" if found else ""))


def results_text(results: list[Result], show_alive: bool = False) -> str:
    """Return every result that is not alive (all with ``show_alive``), worst first, then the summary."""
    rank = {status: i for i, status in enumerate(STATUSES)}
    shown = sorted((r for r in results if show_alive or r.status != "alive"),
                   key=lambda r: (rank[r.status], r.link.path, r.link.line))
    return "".join(result_line(r) + "\n" for r in shown) + summary_line(results) + "\n"


def results_json(results: list[Result]) -> str:
    """Return the results as JSON: ``links`` (one entry per link, in file order) and ``counts``."""
    return json.dumps({"links": [r.to_dict() for r in results], "counts": counts(results)},
                      indent=1, ensure_ascii=True) + "\n"


def annotations_text(results: list[Result], root=None) -> str:
    """Return an annotation on the data file's line for each link that is not alive or skipped."""
    shown = [_diagnostic(r) for r in results if r.status in _LEVELS]
    # The runner's escapes keep a command on its line; escaping control characters first keeps them off a terminal.
    return annotations([Diagnostic(d.path, d.line, d.level, terminal_safe(d.message)) for d in shown],
                       "graph check-links", root)
