"""Study plans: what to learn, in which order, to reach a target.

A plan holds the target and everything it needs through the ordering relations,
minus what the learner already knows (a known node counts its own prerequisites
as known, as Metacademy's learning plans do). Resources that teach a step are
offered inside the step as alternatives; their own prerequisites are not pulled
in. The default order is depth-first: each prerequisite comes right before
the first step that needs it, siblings in the authors' file order.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_nodes_from([("a", {"name": "A", "kind": "topic", "hours": 2}),
...                   ("b", {"name": "B", "kind": "topic", "hours": 3}),
...                   ("c", {"name": "C", "kind": "topic"})])
>>> g.add_edge("a", "c", relation="prerequisite"); g.add_edge("b", "c", relation="prerequisite")
>>> p = study_plan(g, "c")
>>> [s.id for s in p.steps], p.total_hours
(['a', 'b', 'c'], 5)
>>> [s.id for s in study_plan(g, "c", known=["a"]).steps]
['b', 'c']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from .errors import UnknownIdError
from .lookup import suggest
from .model import RELATIONS, ordering_relations

__all__ = [
    "Plan",
    "Step",
    "ancestors",
    "check_ids",
    "depth_first_order",
    "descendants",
    "known_closure",
    "resources_for",
    "study_plan",
]

STRATEGIES = ("depth", "levels")


@dataclass(slots=True)
class Step:
    """One node of a plan, with what teaches it and what it is needed for."""

    number: int
    id: str
    name: str
    kind: str
    hours: float | None
    area: str | None = None
    summary: str | None = None
    url: str | None = None
    resources: list[dict] = field(default_factory=list)
    needed_for: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Return the step as a JSON-ready mapping."""
        return {
            "step": self.number,
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "area": self.area,
            "hours": self.hours,
            "summary": self.summary,
            "url": self.url,
            "resources": self.resources,
            "needed_for": self.needed_for,
        }


@dataclass
class Plan:
    """A study plan: the steps in order, and what was left out and why."""

    target: str
    target_name: str
    steps: list[Step]
    known: list[str]
    skipped: list[str]
    recommended: list[str]
    include_recommended: bool
    strategy: str

    @property
    def total_hours(self) -> float:
        """The sum of the steps' hours (steps without hours count 0)."""
        return sum(s.hours or 0 for s in self.steps)

    @property
    def steps_without_hours(self) -> int:
        """How many steps to study (not degrees, which are goals) give no hours."""
        return sum(1 for s in self.steps if s.hours is None and s.kind != "degree")

    def to_dict(self) -> dict:
        """Return the plan as a JSON-ready mapping."""
        return {
            "target": self.target,
            "target_name": self.target_name,
            "strategy": self.strategy,
            "include_recommended": self.include_recommended,
            "known": self.known,
            "skipped_known": self.skipped,
            "recommended_not_included": self.recommended,
            "steps": [s.to_dict() for s in self.steps],
            "total_hours": self.total_hours,
            "steps_without_hours": self.steps_without_hours,
        }


def check_ids(graph: nx.DiGraph, ids) -> None:
    """Raise :class:`UnknownIdError` for the first id not in ``graph``, with suggestions."""
    for node_id in ids:
        if node_id not in graph:
            raise UnknownIdError(node_id, suggest(graph, node_id))


def _file_rank(graph: nx.DiGraph) -> dict:
    return {node: i for i, node in enumerate(graph)}


def _reach(adjacency, starts, relations: frozenset) -> set:
    seen = set()
    stack = list(starts)
    while stack:
        for u, data in adjacency[stack.pop()].items():
            if u not in seen and data.get("relation") in relations:
                seen.add(u)
                stack.append(u)
    return seen


def ancestors(graph: nx.DiGraph, node, relations: frozenset) -> set:
    """Return every node that ``node`` needs through edges of ``relations`` (not itself).

    >>> g = nx.DiGraph([("a", "b", {"relation": "prerequisite"}), ("r", "a", {"relation": "teaches"})])
    >>> ancestors(g, "b", ordering_relations())
    {'a'}
    """
    return _reach(graph._pred, [node], relations)


def descendants(graph: nx.DiGraph, node, relations: frozenset) -> set:
    """Return every node that needs ``node`` through edges of ``relations`` (not itself).

    >>> g = nx.DiGraph([("a", "b", {"relation": "prerequisite"}), ("r", "a", {"relation": "teaches"})])
    >>> descendants(g, "r", ordering_relations()), descendants(g, "a", ordering_relations())
    (set(), {'b'})
    """
    return _reach(graph._succ, [node], relations)


def known_closure(graph: nx.DiGraph, ids, relations: frozenset | None = None) -> set:
    """Return ``ids`` plus everything they need: what a learner who knows ``ids`` knows.

    >>> g = nx.DiGraph([("a", "b", {"relation": "prerequisite"})])
    >>> sorted(known_closure(g, ["b"]))
    ['a', 'b']
    """
    relations = ordering_relations() if relations is None else relations
    return set(ids) | _reach(graph._pred, ids, relations)


def depth_first_order(graph: nx.DiGraph, target, relations: frozenset, skip=frozenset()) -> list:
    """Return ``target`` and what it needs, prerequisites first, depth-first.

    Each node comes right after its own prerequisites and as close as possible
    to the first node that needs it; siblings follow the file order. Nodes in
    ``skip`` are left out with everything reached only through them.

    >>> g = nx.DiGraph()
    >>> g.add_edges_from([("x", "t"), ("y", "t"), ("w", "x")], relation="prerequisite")
    >>> depth_first_order(g, "t", ordering_relations())
    ['w', 'x', 'y', 't']
    """
    by_rank = _file_rank(graph).__getitem__
    pred = graph._pred

    def prerequisites(node):
        found = [u for u, d in pred[node].items() if d.get("relation") in relations and u not in skip]
        if len(found) > 1:
            found.sort(key=by_rank)
        return found

    return [] if target in skip else _postorder(target, prerequisites)


def _postorder(target, prerequisites) -> list:
    """Return ``target`` and every node reached through ``prerequisites(node)``, each after those it reaches.

    Nodes are entered in the order ``prerequisites`` lists them; each is called once per node.
    """
    order, stack, entered = [], [(target, iter(prerequisites(target)))], {target}
    enter, push, pop, done = entered.add, stack.append, stack.pop, order.append
    while stack:
        node, todo = stack[-1]
        for u in todo:
            if u not in entered:
                enter(u)
                push((u, iter(prerequisites(u))))
                break
        else:
            pop()
            done(node)
    return order


def _levels_order(graph: nx.DiGraph, nodes: list) -> list:
    """Return ``nodes`` in topological waves over every edge among them, each wave in file order.

    The waves of ``nx.topological_generations(graph.subgraph(nodes))``, computed on the
    graph's own dicts: through a subgraph view it takes four times as long.

    >>> g = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "d"), ("a", "d")])
    >>> _levels_order(g, ["d", "c", "b", "a"])
    ['a', 'b', 'c', 'd']
    """
    by_rank = _file_rank(graph).__getitem__
    members = set(nodes)
    succ, pred = graph._succ, graph._pred
    waiting = {n: sum(u in members for u in pred[n]) for n in nodes}
    wave = [n for n, count in waiting.items() if not count]
    order = []
    while wave:
        wave.sort(key=by_rank)
        order += wave
        following = []
        for n in wave:
            for v in succ[n]:
                if v in members:
                    waiting[v] -= 1
                    if not waiting[v]:
                        following.append(v)
        wave = following
    return order


def resources_for(graph: nx.DiGraph, node, rank: dict | None = None) -> list[dict]:
    """Return the resources that teach ``node``, preferred first, then free, then file order.

    ``rank`` maps nodes to their file position (computed when not given).
    """
    teaching = [u for u, d in graph._pred[node].items() if d.get("relation") in _TEACHING]
    if len(teaching) > 1 and rank is None:
        rank = _file_rank(graph)
    return _resources(graph, teaching, rank)


_TEACHING = frozenset(r for r, spec in RELATIONS.items() if spec.alternative)
_SOFT = frozenset(r for r, spec in RELATIONS.items() if spec.recommended)


def _resources(graph: nx.DiGraph, teaching: list, rank: dict | None) -> list[dict]:
    if not teaching:
        return []
    nodes = graph._node

    def preference(u):
        data = nodes[u]
        return (not data.get("preferred", False), not data.get("free", False), rank[u] if rank else 0)

    out = []
    for u in sorted(teaching, key=preference):
        data = nodes[u]
        out.append({
            "id": u,
            "name": data.get("name", u),
            "url": data.get("url"),
            "current_url": data.get("current_url"),
            "format": data.get("format"),
            "free": data.get("free"),
            "preferred": bool(data.get("preferred", False)),
            "hours": data.get("hours"),
        })
    return out


def study_plan(graph: nx.DiGraph, target, known=(), include_recommended: bool = False,
               strategy: str = "depth") -> Plan:
    """Return the plan to reach ``target`` for a learner who knows ``known``.

    ``strategy``: ``"depth"`` (each prerequisite right before what first needs
    it) or ``"levels"`` (topological waves: everything with no unmet
    prerequisite first). Raises :class:`UnknownIdError` for unknown ids.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; use one of {STRATEGIES}")
    known = list(dict.fromkeys(known))
    check_ids(graph, [target, *known])
    relations = ordering_relations(include_recommended)
    known_set = known_closure(graph, known, relations)
    rank = _file_rank(graph)
    by_rank = rank.__getitem__
    pred = graph._pred
    # One pass over the incoming edges of each node the walk reaches: what it needs (to walk on),
    # what teaches it and what is only recommended for it.
    needs, teaching, soft = {}, {}, set()

    def prerequisites(node):
        found = []
        for u, d in pred[node].items():
            relation = d.get("relation")
            if relation in relations:
                if u not in known_set:
                    found.append(u)
            elif relation in _TEACHING:
                teaching.setdefault(node, []).append(u)
            elif relation in _SOFT:
                soft.add(u)
        if len(found) > 1:
            found.sort(key=by_rank)
        needs[node] = found
        return found

    order = [] if target in known_set else _postorder(target, prerequisites)
    if strategy == "levels":
        order = _levels_order(graph, order)
    # What the target needs but is known (a walk of all it needs: only when something is known).
    needed = (ancestors(graph, target, relations) | {target}) if known_set else set()
    skipped = sorted(needed & known_set, key=by_rank)
    # Every ordering edge inside the plan, seen once as a prerequisite of its target; taking the
    # targets in file order lists what each step is needed for in file order.
    needed_for: dict = {node: [] for node in order}
    for node in sorted(order, key=by_rank):
        for u in needs[node]:
            needed_for[u].append(node)
    recommended = [] if include_recommended else sorted(soft.difference(needed_for, known_set), key=by_rank)

    node_data = graph._node
    steps = []
    for number, node in enumerate(order, 1):
        data = node_data[node]
        steps.append(Step(number, node, data.get("name", node), data.get("kind", "topic"), data.get("hours"),
                          data.get("area"), data.get("summary"), data.get("url"),
                          _resources(graph, teaching[node], rank) if node in teaching else [], needed_for[node]))
    return Plan(
        target=target,
        target_name=graph.nodes[target].get("name", target),
        steps=steps,
        known=known,
        skipped=skipped,
        recommended=recommended,
        include_recommended=include_recommended,
        strategy=strategy,
    )
