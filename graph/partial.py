"""Part of a map: some of its nodes and every edge among them, as the library reads a graph.

A :class:`Partial` is what :mod:`graph.index` reads for an answer that needs a
few nodes. It offers the parts of ``networkx.DiGraph`` that the queries and the
text and JSON renderers read (``_node``, ``_succ``, ``_pred``, ``nodes``,
``edges``, ``reverse``, membership, iteration), without importing NetworkX.
Nodes iterate in the map's file order and each node's edges in the order the
loader added them, so an answer computed on a part that holds every node it
reaches is the answer computed on the whole map.

>>> part = Partial([("a", {"name": "A"}), ("b", {"name": "B"})], [("a", "b", {"relation": "prerequisite"})])
>>> list(part), part.nodes["b"]["name"], list(part._pred["b"]), part.edges["a", "b"]["relation"]
(['a', 'b'], 'B', ['a'], 'prerequisite')
>>> list(part.reverse(copy=False)._pred["a"]), "c" in part, list(part.nodes(data="name"))
(['b'], False, [('a', 'A'), ('b', 'B')])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["Partial"]


class _OverNodes:
    """Membership (an unhashable node is not in it), iteration and length over ``self._node``."""

    def __contains__(self, node) -> bool:
        try:
            return node in self._node
        except TypeError:
            return False

    def __iter__(self):
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)


class Partial(_OverNodes):
    """Some nodes of a map (in file order) with every edge among them (in the order they were added)."""

    def __init__(self, nodes: Iterable = (), edges: Iterable = ()):
        self._node: dict = dict(nodes)
        self.positions: dict = {}  # each node's place in the whole map's file order, when known
        self._succ: dict = {n: {} for n in self._node}
        self._pred: dict = {n: {} for n in self._node}
        for u, v, data in edges:
            self._succ[u][v] = data
            self._pred[v][u] = data

    @classmethod
    def _of(cls, node: dict, succ: dict, pred: dict) -> Partial:
        part = cls.__new__(cls)
        part._node, part._succ, part._pred, part.positions = node, succ, pred, {}
        return part

    @property
    def _adj(self) -> dict:
        return self._succ

    @property
    def nodes(self) -> _Nodes:
        """The nodes and their attributes: ``nodes[n]``, ``nodes(data=True)``, ``nodes(data="name")``."""
        return _Nodes(self._node)

    @property
    def edges(self) -> _Edges:
        """The edges: ``edges[u, v]`` is an edge's attributes; iterating gives ``(u, v)`` pairs."""
        return _Edges(self._succ)

    def __getitem__(self, node) -> dict:
        return self._succ[node]

    def number_of_nodes(self) -> int:
        """How many nodes the part holds."""
        return len(self._node)

    def number_of_edges(self) -> int:
        """How many edges the part holds."""
        return sum(map(len, self._succ.values()))

    def successors(self, node):
        """The nodes ``node`` leads to."""
        return iter(self._succ[node])

    def predecessors(self, node):
        """The nodes that lead to ``node``."""
        return iter(self._pred[node])

    def reverse(self, copy: bool = True) -> Partial:
        """The part with every edge turned round (sharing its dicts: it is never changed)."""
        return Partial._of(self._node, self._pred, self._succ)


class _Nodes(_OverNodes, Mapping):
    def __init__(self, node: dict):
        self._node = node

    def __getitem__(self, node) -> dict:
        return self._node[node]

    def __call__(self, data=False, default=None):
        if data is True:
            return iter(self._node.items())
        if data is False:
            return iter(self._node)
        return ((n, d.get(data, default)) for n, d in self._node.items())


class _Edges(Mapping):
    def __init__(self, succ: dict):
        self._succ = succ

    def __getitem__(self, edge) -> dict:
        u, v = edge
        return self._succ[u][v]

    def __iter__(self):
        return ((u, v) for u, targets in self._succ.items() for v in targets)

    def __len__(self) -> int:
        return sum(map(len, self._succ.values()))
