"""Where a map's data lives: the data folder in use and the names of its two files.

Apart from :mod:`graph.load`, which reads them, so that finding the folder imports no reader.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["EDGES_FILE", "NODES_FILE", "bundled_data_dir", "resolve_data_dir"]

NODES_FILE = "nodes.yaml"
EDGES_FILE = "edges.yaml"


def bundled_data_dir() -> Path:
    """Return the folder of the map shipped with the package (``data/`` in a source checkout)."""
    here = Path(__file__).resolve().parent
    installed = here / "_data"
    return installed if (installed / NODES_FILE).is_file() else here.parent / "data"


def resolve_data_dir(option: str | os.PathLike | None = None) -> Path:
    """Return the data folder to use.

    In order: ``option`` (``--data DIR``), the ``GRAPH_DATA`` environment
    variable, the current folder when it holds a ``nodes.yaml`` (as ``.``),
    ``./data`` when it holds one, else the bundled map.
    """
    if option:
        return Path(option)
    if os.environ.get("GRAPH_DATA"):
        return Path(os.environ["GRAPH_DATA"])
    for local in (Path("."), Path("data")):
        if (local / NODES_FILE).is_file():
            return local
    return bundled_data_dir()
