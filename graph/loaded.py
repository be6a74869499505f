"""A loaded data folder: the graph, every diagnostic, and where each item came from.

Made by :func:`graph.load.load`, from the YAML files or from a cache entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .errors import Diagnostic

__all__ = ["Loaded"]


@dataclass
class Loaded:
    """A loaded data folder: the graph, every diagnostic, and where each item came from."""

    graph: nx.DiGraph
    diagnostics: list[Diagnostic]
    data_dir: Path
    node_lines: dict = field(default_factory=dict)
    edge_lines: dict = field(default_factory=dict)
    unread: tuple = ()  # the file names (nodes.yaml, edges.yaml) that could not be read at all
    entries: tuple | None = None  # the node and edge entries the files hold, bad ones too (None: as the graph)

    @property
    def counts(self) -> tuple[int, int]:
        """The nodes and edges the files give, those an error keeps out of the graph included."""
        return self.entries or (self.graph.number_of_nodes(), self.graph.number_of_edges())

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics of level ``error``."""
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The diagnostics of level ``warning``."""
        return [d for d in self.diagnostics if d.level == "warning"]
