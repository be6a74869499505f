"""A start: the small example map that ``graph init DIR`` writes.

Two topics, a resource that teaches them and a degree, each field explained
in a comment (the files are in ``graph/starter_map/``). The map is valid and
``graph build`` draws it.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "map"
>>> [p.name for p in write_starter(folder)]
['nodes.yaml', 'edges.yaml']
>>> write_starter(folder)
Traceback (most recent call last):
...
graph.output.FilesExist: ... already holds ...nodes.yaml...; choose another folder or pass --force to replace them
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["starter_files", "write_starter"]

_FOLDER = Path(__file__).resolve().parent / "starter_map"
_FILES = ("nodes.yaml", "edges.yaml")


def starter_files() -> dict[str, str]:
    """Return the example map as ``{file name: text}``."""
    return {name: (_FOLDER / name).read_text(encoding="utf-8") for name in _FILES}


def write_starter(folder: str | os.PathLike, force: bool = False) -> list[Path]:
    """Write the example map into ``folder`` (created if needed); never over a data file unless ``force``.

    Raises :class:`graph.output.FilesExist` when ``folder`` holds one and ``force`` is false.
    """
    from .output import write_new_files

    return write_new_files(folder, starter_files(), force)
