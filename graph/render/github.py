"""Diagnostics as GitHub Actions workflow commands, so problems show on a pull request's lines.

Each diagnostic is one line, ``::error file=PATH,line=N,title=TITLE::MESSAGE``
(``::warning`` for warnings, ``::notice`` for notes; ``line`` left out when a
problem has none). Messages and file names come from the data, so they are
escaped as GitHub's runner expects (the ``@actions/core`` toolkit's
``escapeData`` and ``escapeProperty``): in the message ``%``, ``\\r`` and
``\\n`` become ``%25``, ``%0D`` and ``%0A``; in a property ``:`` and ``,`` also
become ``%3A`` and ``%2C``. A message can then neither end its line (and start
another command) nor a property end early.

>>> from graph.errors import Diagnostic
>>> print(annotation(Diagnostic("data/edges.yaml", 12, "error", "cycle: a -> b -> a")))
::error file=data/edges.yaml,line=12,title=graph validate::cycle: a -> b -> a
>>> print(annotation(Diagnostic("d,1/n:x.yaml", 0, "warning", "100% odd\\n::error::forged")))
::warning file=d%2C1/n%3Ax.yaml,title=graph validate::100%25 odd%0A::error::forged
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import Diagnostic
from ..sinks import ci_log, command_data, command_property

__all__ = ["annotation", "annotations", "escape_data", "escape_property", "summary_line"]

_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


escape_data = command_data  # the sink's escapers (graph.sinks), by the names of GitHub's toolkit
escape_property = command_property


def _under(path: str, root: str | os.PathLike) -> str:
    """Return ``path`` (relative paths from the current folder) relative to ``root`` if it lies under it."""
    full = os.path.abspath(path)
    for inside, top in ((full, os.path.abspath(root)), (os.path.realpath(full), os.path.realpath(root))):
        try:
            return Path(inside).relative_to(top).as_posix()
        except ValueError:
            continue
    return path


def annotation(d: Diagnostic, title: str = "graph validate", root: str | os.PathLike | None = None) -> str:
    """Return diagnostic ``d`` as one workflow command; ``root``: the repository's folder, which GitHub
    reads file paths from (a path under it is written relative to it)."""
    path = _under(d.path, root) if root is not None else d.path
    props = [f"file={escape_property(path)}"]
    if d.line > 0:
        props.append(f"line={d.line}")
    props.append(f"title={escape_property(title)}")
    return f"::{_COMMANDS.get(d.level, 'notice')} {','.join(props)}::{escape_data(d.message)}"


def annotations(diagnostics, title: str = "graph validate", root=None) -> str:
    """Return one workflow command per diagnostic, each on its own line."""
    return "".join(annotation(d, title, root) + "\n" for d in diagnostics)


def summary_line(text: str) -> str:
    """Return a line of the log beside the annotations (``validate``'s summary, which names the data
    folder) that no runner reads as a command: a folder named with a line break and ``::error::`` stays
    one line."""
    return ci_log(text)
