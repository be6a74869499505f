"""Study plans: what to learn, in which order, to reach a target.

A plan holds the target and everything it needs through the ordering relations,
minus what the learner already knows (a known node counts its own prerequisites
as known, as Metacademy's learning plans do). Resources that teach a step are
offered inside the step as alternatives; their own prerequisites are not pulled
in. The default order is depth-first: each prerequisite comes right before
the first step that needs it, siblings in the authors' file order.

Only edges whose strength orders study are followed (``required``, and
``recommended`` when asked). Required edges that share an ``any_of`` group
are alternatives: the plan takes one, the cheaper in hours (with what it
needs that is not known or planned yet), then the first in file order, and
says which it took. Deepening edges never order study; they are offered per
step to go deeper.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_nodes_from([("a", {"name": "A", "kind": "topic", "hours": 2}),
...                   ("b", {"name": "B", "kind": "topic", "hours": 3}),
...                   ("c", {"name": "C", "kind": "topic"})])
>>> g.add_edges_from([("a", "c"), ("b", "c")], relation="prerequisite", strength="required")
>>> p = study_plan(g, "c")
>>> [s.id for s in p.steps], p.totals().hours
(['a', 'b', 'c'], 5)
>>> [s.id for s in study_plan(g, "c", known=["a"]).steps]
['b', 'c']
>>> g.add_edge("a", "c", relation="prerequisite", strength="required", any_of="ab")
>>> g.add_edge("b", "c", relation="prerequisite", strength="required", any_of="ab")
>>> p = study_plan(g, "c")
>>> [s.id for s in p.steps], p.steps[-1].choices
(['a', 'c'], [{'group': 'ab', 'picked': 'a', 'known': False, 'alternatives': ['b']}])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from .errors import UnknownIdError
from .lookup import suggest
from .model import RELATIONS, ordering_strengths

if TYPE_CHECKING:  # NetworkX is imported where a graph is made or searched, not for its name
    import networkx as nx

__all__ = [
    "Plan",
    "Step",
    "Totals",
    "ancestors",
    "check_ids",
    "depth_first_order",
    "descendants",
    "forget",
    "map_order",
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
    level: int | None = None  # the wave, with strategy "levels"
    choices: list[dict] = field(default_factory=list)  # any-of groups this step needs, and the pick
    deeper: list[str] = field(default_factory=list)  # where to go deeper (deepening edges into it)
    recommended: bool = False  # in the plan only through recommendations (with include_recommended)
    whole_hours: float | None = None  # a resource step: its own hours, when its parts in other steps count there

    @property
    def unestimated(self) -> bool:
        """Whether the step gives no hours though it is to be studied (a degree is a goal, not studied)."""
        return self.hours is None and self.kind != "degree"

    def to_dict(self) -> dict:
        """Return the step as a JSON-ready mapping."""
        out = {
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
        if self.level is not None:
            out["level"] = self.level
        out["choices"] = self.choices
        out["deeper"] = self.deeper
        out["recommended"] = self.recommended
        if self.whole_hours is not None:
            out["whole_hours"] = self.whole_hours
        return out


class Totals(NamedTuple):
    """A plan's totals: the steps, their hours, how many steps to study give no hours, and whether none
    does (as in a map imported without hours: a total of 0 h would say nothing)."""

    steps: int
    hours: float
    steps_without_hours: int
    no_estimates: bool = False


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
    deepening: list[str] = field(default_factory=list)
    discontinued: list[str] = field(default_factory=list)  # steps and alternatives no longer maintained

    def totals(self) -> Totals:
        """Return the plan's totals: every renderer's one source for them.

        Steps without hours count 0 hours; degrees are goals, so a degree
        without hours is not counted as a step missing an estimate.
        """
        hours, missing, studied = 0, 0, 0
        for step in self.steps:
            studied += step.kind != "degree"
            if step.hours is None:
                missing += step.unestimated
            else:
                hours += step.hours
        return Totals(len(self.steps), hours, missing, bool(missing) and not hours and missing == studied)

    def to_dict(self, steps: bool = True) -> dict:
        """Return the plan as a JSON-ready mapping (``steps`` false: its ``steps`` an empty list, for a
        caller that writes each step's mapping as it makes it)."""
        totals = self.totals()
        return {
            "target": self.target,
            "target_name": self.target_name,
            "strategy": self.strategy,
            "include_recommended": self.include_recommended,
            "known": self.known,
            "skipped_known": self.skipped,
            "recommended_not_included": self.recommended,
            "deepening_not_included": self.deepening,
            "discontinued": self.discontinued,
            "steps": [s.to_dict() for s in self.steps] if steps else [],
            "total_hours": totals.hours,
            "steps_without_hours": totals.steps_without_hours,
        }


def check_ids(graph: nx.DiGraph, ids) -> None:
    """Raise :class:`UnknownIdError` for the first id not in ``graph``, with suggestions."""
    for node_id in ids:
        if node_id not in graph:
            raise UnknownIdError(node_id, suggest(graph, node_id))


def _file_rank(graph: nx.DiGraph) -> dict:
    return {node: i for i, node in enumerate(graph)}


def _reach(adjacency, starts, strengths: frozenset, alternatives: bool = True) -> set:
    seen = set()
    stack = list(starts)
    while stack:
        for u, data in adjacency[stack.pop()].items():
            if u not in seen and data.get("strength") in strengths and (alternatives or "any_of" not in data):
                seen.add(u)
                stack.append(u)
    return seen


def ancestors(graph: nx.DiGraph, node, strengths: frozenset) -> set:
    """Return every node that ``node`` needs through edges of ``strengths`` (not itself), alternatives included.

    >>> g = nx.DiGraph([("a", "b", {"relation": "prerequisite", "strength": "required"}),
    ...                 ("r", "a", {"relation": "teaches"})])
    >>> ancestors(g, "b", ordering_strengths())
    {'a'}
    """
    return _reach(graph._pred, [node], strengths)


def descendants(graph: nx.DiGraph, node, strengths: frozenset) -> set:
    """Return every node that needs ``node`` through edges of ``strengths`` (not itself).

    >>> g = nx.DiGraph([("a", "b", {"relation": "prerequisite", "strength": "required"}),
    ...                 ("r", "a", {"relation": "teaches"})])
    >>> descendants(g, "r", ordering_strengths()), descendants(g, "a", ordering_strengths())
    (set(), {'b'})
    """
    return _reach(graph._succ, [node], strengths)


def known_closure(graph: nx.DiGraph, ids, strengths: frozenset | None = None) -> set:
    """Return ``ids`` plus everything they need: what a learner who knows ``ids`` knows.

    Alternatives (``any_of`` edges) are not followed: knowing a node does not
    say which of its alternatives the learner used.

    >>> g = nx.DiGraph([("a", "b", {"relation": "prerequisite", "strength": "required"})])
    >>> sorted(known_closure(g, ["b"]))
    ['a', 'b']
    """
    strengths = ordering_strengths() if strengths is None else strengths
    return set(ids) | _reach(graph._pred, ids, strengths, alternatives=False)


def forget(graph: nx.DiGraph, marked, ids, strengths: frozenset | None = None) -> list:
    """Return the ids of ``marked`` to keep once ``ids`` are no longer known: all but ``ids`` and every
    marked node that needs one of them (its :func:`known_closure` holds it). Nothing is added: what
    those needed is known only if something kept needs it. Ids not in the graph are kept unless named.

    >>> g = nx.DiGraph()
    >>> g.add_edges_from([("a", "b"), ("b", "c")], relation="prerequisite", strength="required")
    >>> forget(g, ["a", "c"], ["b"]), forget(g, ["c"], ["c"]), forget(g, ["c", "zz"], ["a"]), forget(g, ["zz"], ["zz"])
    (['a'], [], ['zz'], [])
    """
    strengths = ordering_strengths() if strengths is None else strengths
    present = [i for i in ids if i in graph]
    lost = set(ids) | _reach(graph._succ, present, strengths, alternatives=False)
    return [m for m in marked if m not in lost]


def depth_first_order(graph: nx.DiGraph, target, strengths: frozenset, skip=frozenset()) -> list:
    """Return ``target`` and what it needs, prerequisites first, depth-first, alternatives included.

    Each node comes right after its own prerequisites and as close as possible
    to the first node that needs it; siblings follow the file order. Nodes in
    ``skip`` are left out with everything reached only through them.

    >>> g = nx.DiGraph()
    >>> g.add_edges_from([("x", "t"), ("y", "t"), ("w", "x")], relation="prerequisite", strength="required")
    >>> depth_first_order(g, "t", ordering_strengths())
    ['w', 'x', 'y', 't']
    """
    return [] if target in skip else _postorder(target, _prerequisites_of(graph, strengths, skip))


def _prerequisites_of(graph: nx.DiGraph, strengths: frozenset, skip=frozenset()):
    """Return a function giving a node's prerequisites over edges of ``strengths``, in file order."""
    by_rank = _file_rank(graph).__getitem__
    pred = graph._pred

    def prerequisites(node):
        found = [u for u, d in pred[node].items() if d.get("strength") in strengths and u not in skip]
        if len(found) > 1:
            found.sort(key=by_rank)
        return found

    return prerequisites


def map_order(graph: nx.DiGraph, strengths: frozenset | None = None) -> list:
    """Return every node of ``graph`` in study order: each right after its prerequisites, depth-first,
    starting from the nodes in file order (``strengths``: the edges that order; the required by default).

    >>> g = nx.DiGraph()
    >>> g.add_nodes_from(["t", "x", "w", "z"])
    >>> g.add_edges_from([("x", "t"), ("w", "x")], relation="prerequisite", strength="required")
    >>> map_order(g)
    ['w', 'x', 't', 'z']
    """
    prerequisites = _prerequisites_of(graph, ordering_strengths() if strengths is None else strengths)
    entered: set = set()
    order: list = []
    for node in graph:
        if node not in entered:
            order.extend(_postorder(node, prerequisites, entered))
    return order


def _postorder(target, prerequisites, entered: set | None = None) -> list:
    """Return ``target`` and every node reached through ``prerequisites(node)``, each after those it reaches.

    Nodes are entered in the order ``prerequisites`` lists them; each is called once per node.
    ``entered``: the set to record entered nodes in (``prerequisites`` may read it).
    """
    entered = set() if entered is None else entered
    entered.add(target)
    order, stack = [], [(target, iter(prerequisites(target)))]
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


def _levels(graph: nx.DiGraph, nodes: list) -> list[list]:
    """Return ``nodes`` in topological waves over every edge among them, each wave in file order.

    The waves of ``nx.topological_generations(graph.subgraph(nodes))``, computed on the
    graph's own dicts: through a subgraph view it takes four times as long.

    >>> g = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "d"), ("a", "d")])
    >>> _levels(g, ["d", "c", "b", "a"])
    [['a', 'b'], ['c'], ['d']]
    """
    by_rank = _file_rank(graph).__getitem__
    members = set(nodes)
    succ, pred = graph._succ, graph._pred
    waiting = {n: sum(u in members for u in pred[n]) for n in nodes}
    wave = [n for n, count in waiting.items() if not count]
    waves = []
    while wave:
        wave.sort(key=by_rank)
        waves.append(wave)
        following = []
        for n in wave:
            for v in succ[n]:
                if v in members:
                    waiting[v] -= 1
                    if not waiting[v]:
                        following.append(v)
        wave = following
    return waves


def resources_for(graph: nx.DiGraph, node, rank: dict | None = None) -> list[dict]:
    """Return the resources that teach ``node``, preferred first, then free, then file order.

    ``rank`` maps nodes to their file position (computed when not given).
    """
    teaching = [u for u, d in graph._pred[node].items() if d.get("relation") in _TEACHING]
    if len(teaching) > 1 and rank is None:
        rank = _file_rank(graph)
    return _resources(graph, node, teaching, rank)


_TEACHING = frozenset(r for r, spec in RELATIONS.items() if spec.teaches)


def _resources(graph: nx.DiGraph, node, teaching: list, rank: dict | None) -> list[dict]:
    if not teaching:
        return []
    nodes, pred = graph._node, graph._pred[node]

    def preference(u):
        data = nodes[u]
        return (not data.get("preferred", False), not data.get("free", False), rank[u] if rank else 0)

    out = []
    for u in sorted(teaching, key=preference):
        data = nodes[u]
        item = {
            "id": u,
            "name": data.get("name", u),
            "url": data.get("url"),
            "current_url": data.get("current_url"),
            "format": data.get("format"),
            "free": data.get("free"),
            "preferred": bool(data.get("preferred", False)),
            "hours": data.get("hours"),
        }
        edge = pred[u]
        if "part" in edge or "hours" in edge or "part_url" in edge:
            item["part"] = edge.get("part")
            item["part_hours"] = edge.get("hours")
            if "part_url" in edge:
                item["part_url"] = edge["part_url"]
        out.append(item)
    return out


def _rest_of(graph: nx.DiGraph, resource, hours, counted) -> tuple:
    """Return a resource step's hours less those of its parts that teach ``counted`` nodes, and its own hours.

    A resource studied as a step whose chapters also teach other steps (a
    teaches edge with ``hours``) would count those chapters twice; the step
    keeps the rest. The second value is None when nothing was taken off.

    >>> g = nx.DiGraph()
    >>> g.add_edge("book", "a", relation="teaches", hours=30); g.add_edge("book", "b", relation="teaches", hours=50)
    >>> _rest_of(g, "book", 100, {"a"}.__contains__), _rest_of(g, "book", 60, lambda v: True)
    ((70, 100), (0, 60))
    """
    taken = sum(d["hours"] for v, d in graph._succ[resource].items()
                if "hours" in d and d.get("relation") in _TEACHING and counted(v))
    return (max(0, hours - taken), hours) if taken else (hours, None)


def study_plan(graph: nx.DiGraph, target, known=(), include_recommended: bool = False,
               strategy: str = "depth") -> Plan:
    """Return the plan to reach ``target`` for a learner who knows ``known``.

    ``strategy``: ``"depth"`` (each prerequisite right before what first needs
    it) or ``"levels"`` (topological waves: everything with no unmet
    prerequisite first). Raises :class:`UnknownIdError` for unknown ids.

    Of each ``any_of`` group a step needs, a known member satisfies it; else
    the plan takes a member that is not ``discontinued`` (unless all are), the
    one that adds the fewest hours: its own and those of everything it needs
    (alternatives included), leaving out what is known, what the target needs
    anyway (through edges that are not alternatives) and what the walk has
    entered already; ties go to the file order. The step records the pick and
    the others in ``choices``.

    A resource that is itself a step counts only the rest of its hours: the
    parts of it that teach other steps of the plan, or what is known, are
    counted there (``Step.whole_hours`` keeps the resource's own hours).
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; use one of {STRATEGIES}")
    known = list(dict.fromkeys(known))
    check_ids(graph, [target, *known])
    strengths = ordering_strengths(include_recommended)
    known_set = known_closure(graph, known, strengths)
    rank = _file_rank(graph)
    by_rank = rank.__getitem__
    pred, node_data = graph._pred, graph._node
    entered: set = set()
    # One pass over the incoming edges of each node the walk reaches: what it needs (to walk on),
    # what teaches it, what is only recommended for it, what deepens it, and its any-of groups.
    needs, teaching, soft, deeper, choices = {}, {}, set(), {}, {}

    mandatory = None  # what the target needs whichever alternatives are taken: computed at the first group

    def cost(node) -> tuple:
        nonlocal mandatory
        if mandatory is None:
            mandatory = _reach(pred, [target], strengths, alternatives=False)
        new = ({node} | ancestors(graph, node, strengths)) - known_set - mandatory - entered
        return node_data[node].get("discontinued") is True, sum(node_data[n].get("hours") or 0 for n in new)

    def prerequisites(node):
        found, groups = [], None
        for u, d in pred[node].items():
            strength = d.get("strength")
            if strength in strengths:
                if "any_of" in d:
                    if groups is None:
                        groups = {}
                    groups.setdefault(d["any_of"], []).append(u)
                elif u not in known_set:
                    found.append(u)
            elif strength is None:
                if d.get("relation") in _TEACHING:
                    teaching.setdefault(node, []).append(u)
            elif strength == "recommended":
                soft.add(u)
            elif strength == "deepening":
                deeper.setdefault(node, []).append(u)
        if groups:
            picks = []
            for group, members in groups.items():
                members.sort(key=by_rank)
                known_members = [m for m in members if m in known_set]
                if known_members:
                    picked = known_members[0]
                else:
                    picked = min(members, key=lambda m: (cost(m), rank[m]))
                    found.append(picked)
                picks.append({"group": group, "picked": picked, "known": bool(known_members),
                              "alternatives": [m for m in members if m != picked]})
            choices[node] = picks
        if len(found) > 1:
            found.sort(key=by_rank)
        needs[node] = found
        return found

    order = [] if target in known_set else _postorder(target, prerequisites, entered)
    level_of = {}
    if strategy == "levels":
        waves = _levels(graph, order)
        order = [n for wave in waves for n in wave]
        level_of = {n: i for i, wave in enumerate(waves, 1) for n in wave}
    # What the target needs but is known (a walk of all it needs: only when something is known).
    needed = (ancestors(graph, target, strengths) | {target}) if known_set else set()
    skipped = sorted(needed & known_set, key=by_rank)
    # Every ordering edge inside the plan, seen once as a prerequisite of its target; taking the
    # targets in file order lists what each step is needed for in file order.
    needed_for: dict = {node: [] for node in order}
    for node in sorted(order, key=by_rank):
        for u in needs[node]:
            needed_for[u].append(node)
    recommended = [] if include_recommended else sorted(soft.difference(needed_for, known_set), key=by_rank)
    deep_of = {node: sorted((u for u in us if u not in needed_for and u not in known_set), key=by_rank)
               for node, us in deeper.items() if node in needed_for}
    deepening = sorted({u for us in deep_of.values() for u in us}, key=by_rank)

    # With recommendations, what the target does not need through required edges is there only for them.
    hard = (ancestors(graph, target, ordering_strengths()) | {target}) if include_recommended else None
    steps = []
    # What is no longer maintained among the steps and the alternatives they offer.
    discontinued = {m for picks in choices.values() for c in picks for m in (c["picked"], *c["alternatives"])
                    if node_data[m].get("discontinued") is True}
    for number, node in enumerate(order, 1):
        data = node_data[node]
        hours, whole, kind = data.get("hours"), None, data.get("kind", "topic")
        if kind == "resource" and hours is not None:
            hours, whole = _rest_of(graph, node, hours, lambda v: v in needed_for or v in known_set)
        if data.get("discontinued") is True:
            discontinued.add(node)
        steps.append(Step(number, node, data.get("name", node), kind, hours,
                          data.get("area"), data.get("summary"), data.get("url"),
                          _resources(graph, node, teaching[node], rank) if node in teaching else [],
                          needed_for[node], level_of.get(node), choices.get(node, []), deep_of.get(node, []),
                          hard is not None and node not in hard, whole))
    discontinued = sorted(discontinued, key=by_rank)
    return Plan(
        target=target,
        target_name=graph.nodes[target].get("name", target),
        steps=steps,
        known=known,
        skipped=skipped,
        recommended=recommended,
        include_recommended=include_recommended,
        strategy=strategy,
        deepening=deepening,
        discontinued=discontinued,
    )
