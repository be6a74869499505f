"""A loaded data folder: the graph, every diagnostic, and where each item came from.

Made by :func:`graph.load.load`, from the YAML files or from a cache entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Diagnostic

if TYPE_CHECKING:  # NetworkX is imported where a graph is made or searched, not for its name
    import networkx as nx

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

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics of level ``error``."""
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The diagnostics of level ``warning``."""
        return [d for d in self.diagnostics if d.level == "warning"]
