"""Course plans: the resources that teach a study plan's steps in the fewest hours.

Learners take courses, not topics. Given a plan, a course plan picks, from the
resources that teach its steps (the ``teaches`` edges), a set that teaches every
step some resource teaches, with the fewest hours, and lists the steps no
resource teaches. A resource that is itself a step of the plan teaches that step.

A chosen resource costs its whole hours (a learner takes the course). With
``parts``, a resource may instead be taken for some of its parts: the hours of
those parts, where its ``teaches`` edges give them (``part``/``hours``); a part
the data gives no hours for can only be had with the whole resource. A resource
step's own part is what the plan counts for it (the rest of its hours).

It is a weighted set cover. Up to :data:`EXACT_LIMIT` candidate resources it is
solved exactly (branch and bound); past that, or when the search runs past its
budget of work, by the greedy rule (most new steps per hour), which costs at most
H(d) <= 1 + ln d times the fewest hours, d being the most steps one choice
teaches. The result says which was used.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_nodes_from([("a", {"name": "A", "hours": 2}), ("b", {"name": "B", "hours": 3}),
...                   ("t", {"name": "T", "kind": "degree"})])
>>> g.add_edges_from([("a", "t"), ("b", "t")], relation="prerequisite", strength="required")
>>> g.add_nodes_from([("big", {"name": "Big", "kind": "resource", "hours": 50, "free": True}),
...                   ("sa", {"name": "Small A", "kind": "resource", "hours": 10}),
...                   ("sb", {"name": "Small B", "kind": "resource", "hours": 12, "free": True})])
>>> g.add_edges_from([("big", "a"), ("big", "b"), ("sa", "a"), ("sb", "b")], relation="teaches")
>>> g.edges["big", "a"].update(part="Chapter 1", hours=4)
>>> from graph.plan import study_plan
>>> plan = study_plan(g, "t")
>>> [(c.id, c.steps, c.hours) for c in course_plan(g, plan).courses]
[('sa', ['a'], 10), ('sb', ['b'], 12)]
>>> [(c.id, c.steps, c.hours) for c in course_plan(g, plan, free=True).courses]
[('big', ['a', 'b'], 50)]
>>> cp = course_plan(g, plan, parts=True)
>>> [(c.id, c.steps, c.hours) for c in cp.courses], cp.total_hours, cp.method
([('big', ['a'], 4), ('sb', ['b'], 12)], 16, 'exact')
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx

from .plan import Plan, resources_for

__all__ = [
    "EXACT_LIMIT",
    "Choice",
    "Cover",
    "Course",
    "CoursePlan",
    "course_plan",
    "exact_cover",
    "greedy_bound",
    "greedy_cover",
    "set_cover",
]

#: Up to this many candidate resources, the cover is exact; past it, greedy.
EXACT_LIMIT = 40
#: The work (sets and classes of elements visited) an exact search may do before it settles for the best found.
SEARCH_BUDGET = 1_000_000
_EPS = 1e-9


class Choice(NamedTuple):
    """One way to take a resource: the steps it teaches so, and its hours (``part``: one part of it)."""

    resource: str
    steps: frozenset
    hours: float
    part: bool = False


class Cover(NamedTuple):
    """The choices a set cover took (indexes, in the order given), their hours, and whether it is proven fewest."""

    chosen: list[int]
    hours: float
    exact: bool


def _classes(universe: list, sets: list) -> tuple[list[list[int]], list[int]]:
    """Return, for each set, the classes it holds, and each class's size: elements of ``universe`` that
    the same sets hold form one class (covering one covers all). Classes come in ``universe`` order."""
    wanted = set(universe)
    holders: dict = {}
    for i, s in enumerate(sets):
        for e in s:
            if e in wanted:
                holders.setdefault(e, []).append(i)
    index: dict[tuple, int] = {}
    sizes: list[int] = []
    members: list[list[int]] = [[] for _ in sets]
    for e in dict.fromkeys(universe):
        key = tuple(holders.get(e, ()))
        if not key:
            continue
        if key not in index:
            index[key] = len(sizes)
            sizes.append(0)
            for i in key:
                members[i].append(index[key])
        sizes[index[key]] += 1
    return members, sizes


def greedy_cover(universe: list, sets: list, costs: list) -> Cover:
    """Cover what ``sets`` can of ``universe`` by the greedy rule: take the set with the most new elements
    per unit of cost (a set that costs nothing first; ties to the larger, then the earlier set), then drop
    what the others cover anyway, the dearest first. Near-linear: prices only rise, so they are kept in a
    heap and brought up to date when they come to the top.

    >>> greedy_cover([1, 2, 3], [{1, 2}, {3}, {1, 2, 3}], [2, 2, 5])
    Cover(chosen=[0, 1], hours=4, exact=False)
    """
    members, sizes = _classes(universe, sets)
    holders: list[list[int]] = [[] for _ in sizes]
    for i, classes in enumerate(members):
        for c in classes:
            holders[c].append(i)
    new = [sum(sizes[c] for c in classes) for classes in members]

    def key(i):
        return (max(costs[i], 0) / new[i], -new[i], i)

    heap = [key(i) for i in range(len(sets)) if new[i]]
    heapq.heapify(heap)
    covered = [False] * len(sizes)
    chosen = []
    while heap:
        top = heapq.heappop(heap)
        i = top[2]
        if not new[i]:
            continue
        if top != key(i):  # stale: its price rose since it was pushed
            heapq.heappush(heap, key(i))
            continue
        chosen.append(i)
        for c in members[i]:
            if not covered[c]:
                covered[c] = True
                for j in holders[c]:
                    new[j] -= sizes[c]
    times = [0] * len(sizes)
    for i in chosen:
        for c in members[i]:
            times[c] += 1
    for i in sorted(chosen, key=lambda i: (-costs[i], -i)):
        if all(times[c] > 1 for c in members[i]):
            chosen.remove(i)
            for c in members[i]:
                times[c] -= 1
    chosen.sort()
    return Cover(chosen, sum(costs[i] for i in chosen), False)


def exact_cover(universe: list, sets: list, costs: list, budget: int = SEARCH_BUDGET) -> Cover:
    """Cover what ``sets`` can of ``universe`` at the least cost (then with the fewest sets), by branch and bound.

    Elements that the same sets hold count as one. Each branch takes one of the sets
    holding the uncovered element that the fewest sets hold, and later branches leave
    out the sets earlier ones took. A branch is cut when its cost plus a lower bound
    (each uncovered element at its cheapest price per element) cannot beat the best
    cover found; the search starts from the greedy cover. After ``budget`` steps of
    work it stops with the best found (``exact`` False).

    >>> exact_cover([1, 2, 3], [{1, 2}, {3}, {1, 2, 3}], [2, 2, 3.5])
    Cover(chosen=[2], hours=3.5, exact=True)
    """
    members, sizes = _classes(universe, sets)
    masks = [sum(1 << c for c in classes) for classes in members]
    n = len(masks)
    start = greedy_cover(universe, sets, costs)
    best = [start.hours, len(start.chosen), start.chosen]
    holding: list[list[int]] = [[] for _ in sizes]  # each class's sets, the cheapest first
    for i in sorted(range(n), key=lambda i: (costs[i], -masks[i].bit_count(), i)):
        for c in members[i]:
            holding[c].append(i)
    work = 0

    def bound(left: int, banned: int) -> tuple | None:
        """Each uncovered class at its cheapest price per uncovered class, and the class the fewest sets hold."""
        nonlocal work
        price = {}
        for i in range(n):
            if not banned >> i & 1:
                count = (masks[i] & left).bit_count()
                if count:
                    price[i] = costs[i] / count
        total, pick, fewest = 0.0, 0, None
        for c, bit in enumerate(reversed(bin(left)[2:])):
            if bit == "1":
                open_ = [price[i] for i in holding[c] if i in price]
                work += len(holding[c]) + 1
                if not open_:
                    return None
                total += min(open_)
                if fewest is None or len(open_) < fewest:
                    pick, fewest = c, len(open_)
        work += n * (1 + len(sizes) // 256)  # each set's count is an AND of masks this long
        return total, pick

    def search(left: int, banned: int, cost: float, taken: list) -> None:
        if not left:
            if cost < best[0] - _EPS or (cost <= best[0] + _EPS and len(taken) < best[1]):
                best[:] = [cost, len(taken), sorted(taken)]
            return
        if work > budget:
            return
        found = bound(left, banned)
        if found is None:
            return
        low_bound, element = found
        if cost + low_bound > best[0] + _EPS or (cost + low_bound > best[0] - _EPS and len(taken) + 1 >= best[1]):
            return
        tried = banned
        for i in holding[element]:
            if tried >> i & 1:
                continue
            search(left & ~masks[i], tried, cost + costs[i], taken + [i])
            tried |= 1 << i

    search((1 << len(sizes)) - 1, 0, 0.0, [])
    return Cover(best[2], best[0], work <= budget)


def greedy_bound(sets: list, universe: list) -> float:
    """Return H(d) = 1 + 1/2 + ... + 1/d, d the most elements of ``universe`` one set holds: the greedy
    cover costs at most this many times the least (H(d) <= 1 + ln d).

    >>> greedy_bound([{1, 2, 3}, {4}], [1, 2, 3, 4])
    1.8333333333333333
    """
    wanted = set(universe)
    d = max((sum(e in wanted for e in s) for s in sets), default=0)
    return sum(1 / k for k in range(1, d + 1))


def set_cover(universe: list, sets: list, costs: list, exact: bool) -> Cover:
    """Cover what ``sets`` can of ``universe``: exactly (:func:`exact_cover`) or greedily (:func:`greedy_cover`)."""
    return exact_cover(universe, sets, costs) if exact else greedy_cover(universe, sets, costs)


@dataclass
class Course:
    """A chosen resource: the plan steps it is taken for, in plan order, and the hours it counts.

    ``whole``: taken whole (``hours`` its own hours); else for ``parts``, each ``(step, part name, hours)``.
    ``hours`` is None when the resource gives none (it counts 0 in the total). ``named``: for each step whose
    ``teaches`` edge names its part or gives the part's link, ``(part name, part_url)`` (either may be None).
    """

    id: str
    name: str
    url: str | None
    format: str | None
    free: bool
    hours: float | None
    whole_hours: float | None
    steps: list[str]
    first_step: int
    whole: bool = True
    parts: list[tuple] = field(default_factory=list)
    named: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Return the course as a JSON-ready mapping."""
        return {
            "id": self.id,
            "name": self.name,
            "url": self.url,
            "format": self.format,
            "free": self.free,
            "hours": self.hours,
            "whole_hours": self.whole_hours,
            "whole": self.whole,
            "first_step": self.first_step,
            "steps": self.steps,
            "parts": [{"step": s, "part": p, "hours": h, "part_url": self.named.get(s, (None, None))[1]}
                      for s, p, h in self.parts],
            "step_parts": [{"step": s, "part": p, "part_url": u} for s, (p, u) in self.named.items()],
        }


@dataclass
class CoursePlan:
    """The resources chosen for a plan, in the order each is first needed, and the steps none teaches.

    ``method``: ``"exact"`` (the fewest hours, proven) or ``"greedy"`` (at most ``bound`` times the fewest);
    ``candidates``: how many resources teach some step of the plan (the free ones, with ``free``).
    """

    plan: Plan
    courses: list[Course]
    uncovered: list[str]
    method: str
    bound: float
    candidates: int
    free: bool
    parts: bool

    @property
    def total_hours(self) -> float:
        """The hours of the chosen resources (those without hours count 0)."""
        return sum(c.hours or 0 for c in self.courses)

    @property
    def without_hours(self) -> list[str]:
        """The chosen resources that give no hours."""
        return [c.id for c in self.courses if c.hours is None]

    @property
    def covered(self) -> int:
        """How many steps of the plan the chosen resources teach."""
        return len({s for c in self.courses for s in c.steps})

    def to_dict(self) -> dict:
        """Return the course plan as a JSON-ready mapping."""
        return {
            "target": self.plan.target,
            "target_name": self.plan.target_name,
            "known": self.plan.known,
            "free_only": self.free,
            "parts": self.parts,
            "method": self.method,
            "greedy_bound": self.bound,
            "candidates": self.candidates,
            "plan_steps": len(self.plan.steps),
            "plan_hours": self.plan.totals().hours,
            "resources": [c.to_dict() for c in self.courses],
            "uncovered": self.uncovered,
            "total_hours": self.total_hours,
        }


def course_plan(graph: nx.DiGraph, plan: Plan, free: bool = False, parts: bool = False,
                exact_limit: int = EXACT_LIMIT) -> CoursePlan:
    """Return the resources that teach ``plan``'s steps in the fewest hours (see the module's docstring).

    ``free``: only free resources; ``parts``: a resource may be taken for the parts the plan needs;
    ``exact_limit``: the most candidate resources to solve exactly (past it, greedy).
    Degrees are goals, not studied: no resource needs to teach them.
    """
    studied = [s for s in plan.steps if s.kind != "degree"]
    number = {s.id: s.number for s in studied}
    rank = {node: i for i, node in enumerate(graph)}
    teach: dict[str, dict] = {}  # resource -> its resources_for entry
    edges: dict[str, dict] = {}  # resource -> {step: (part name, part hours, part url)}
    for step in studied:
        for r in resources_for(graph, step.id, rank):
            if free and not r.get("free"):
                continue
            teach.setdefault(r["id"], r)
            edges.setdefault(r["id"], {})[step.id] = (r.get("part"), r.get("part_hours"), r.get("part_url"))
    for step in studied:  # a resource that is a step teaches that step: its own part is what the plan counts
        data = graph.nodes[step.id]
        if step.kind == "resource" and (data.get("free") or not free):
            teach.setdefault(step.id, {"id": step.id, "name": data.get("name", step.id), "url": data.get("url"),
                                       "format": data.get("format"), "free": data.get("free"),
                                       "hours": data.get("hours")})
            edges.setdefault(step.id, {})[step.id] = (None, step.hours, None)
    resources = sorted(teach, key=rank.__getitem__)
    choices = []
    for r in resources:
        whole = teach[r].get("hours")
        choices.append(Choice(r, frozenset(edges[r]), whole or 0))
        if parts:
            choices.extend(Choice(r, frozenset([s]), h, True) for s, (_, h, _) in edges[r].items()
                           if h is not None and (whole is None or h < whole))
    universe = [s.id for s in studied]
    sets = [c.steps for c in choices]
    exact = len(resources) <= exact_limit
    found = set_cover(universe, sets, [c.hours for c in choices], exact)
    taken: dict[str, list[Choice]] = {}
    for i in found.chosen:
        taken.setdefault(choices[i].resource, []).append(choices[i])
    courses = [_course(teach[r], edges[r], picks, number) for r, picks in taken.items()]
    courses.sort(key=lambda c: (c.first_step, rank[c.id]))
    covered = {s for c in courses for s in c.steps}
    return CoursePlan(plan, courses, [s for s in universe if s not in covered],
                      "exact" if exact and found.exact else "greedy", greedy_bound(sets, universe),
                      len(resources), free, parts)


def _course(entry: dict, edges: dict, picks: list[Choice], number: dict) -> Course:
    whole = entry.get("hours")
    by_plan = number.__getitem__
    if any(not c.part for c in picks):
        steps, hours, chosen_parts, is_whole = sorted(edges, key=by_plan), whole, [], True
    else:
        steps = sorted((s for c in picks for s in c.steps), key=by_plan)
        chosen_parts = [(s, edges[s][0], edges[s][1]) for s in steps]
        hours, is_whole = sum(c.hours for c in picks), False
    named = {s: (edges[s][0], edges[s][2]) for s in steps if edges[s][0] is not None or edges[s][2]}
    return Course(entry["id"], entry.get("name", entry["id"]), entry.get("url"), entry.get("format"),
                  bool(entry.get("free")), hours, whole, steps, by_plan(steps[0]), is_whole, chosen_parts, named)
