"""Plain-text renderings for the terminal: plans, trees, paths, nodes and lists.

>>> format_hours(3), format_hours(1.5), format_hours(None)
('3 h', '1.5 h', '? h')
>>> plural(1, "step"), plural(1200, "step")
('1 step', '1,200 steps')
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import networkx as nx

from ..model import RELATIONS
from ..plan import Plan
from ..query import TreeRow
from ..schedule import Schedule, Slot, WeekGroup

__all__ = [
    "choice_text",
    "due_phrase",
    "format_day",
    "format_hours",
    "list_text",
    "next_text",
    "node_text",
    "part_phrase",
    "paths_text",
    "plan_text",
    "plural",
    "resource_facts",
    "resource_line",
    "schedule_summary",
    "tree_lines",
    "tree_text",
    "week_heading",
    "week_span",
]


def format_hours(hours) -> str:
    """Return hours as ``"3 h"``, ``"1.5 h"``, or ``"? h"`` when unknown."""
    if hours is None:
        return "? h"
    return f"{hours:,.1f}".rstrip("0").rstrip(".") + " h"


def plural(n: int, noun: str) -> str:
    """Return ``n`` and ``noun``, with an ``s`` unless ``n`` is 1."""
    return f"{n:,} {noun}{'s' * (n != 1)}"


def _one_line(text) -> str:
    return " ".join(str(text).split())


def _name(graph: nx.DiGraph, node) -> str:
    return _one_line(graph.nodes[node].get("name", node))


def resource_line(resource: dict) -> str:
    """Return a resource as its name, link and facts, on one line.

    Its hours are the whole resource's; where the step uses one part of it (the
    ``teaches`` edge's ``part`` and ``part_hours``), the line says which, with that part's hours.

    >>> r = {"name": "Calculus", "url": "https://example.org/c", "format": "course", "free": True, "hours": 100}
    >>> resource_line(r)
    'Calculus <https://example.org/c> [free, 100 h course]'
    >>> resource_line({**r, "part": "Unit 1: Limits", "part_hours": 6})
    'Calculus <https://example.org/c> [free, 100 h course; for this step: Unit 1: Limits, 6 h]'
    >>> resource_line({"name": "Notes", "hours": 5, "part_hours": 2})
    'Notes [5 h in all; for this step: 2 h of it]'
    """
    link = f" <{resource['url']}>" if resource.get("url") else ""
    extra = f" (now <{resource['current_url']}>)" if resource.get("current_url") else ""
    facts = "; ".join(f for f in (", ".join(resource_facts(resource)), part_phrase(resource)) if f)
    return f"{_one_line(resource['name'])}{link}{extra}" + (f" [{facts}]" if facts else "")


def resource_facts(resource: dict) -> list[str]:
    """Return what a resource is: ``["free", "100 h course"]``, the hours being the whole resource's."""
    kind, hours = resource.get("format"), resource.get("hours")
    size = None if hours is None else f"{format_hours(hours)} {_one_line(kind) if kind else 'in all'}"
    return [f for f in ("free" if resource.get("free") else None, size or kind) if f]


def part_phrase(resource: dict, clean=_one_line) -> str:
    """Return which part of a resource the step uses, ``"for this step: Chapter 5, 6 h"``, or ``""``.

    ``clean`` prepares the part's name for where it lands (one line; Markdown escapes it).
    """
    part, hours = resource.get("part"), resource.get("part_hours")
    if part is None and hours is None:
        return ""
    if part is None:
        return f"for this step: {format_hours(hours)} of it"
    return f"for this step: {clean(part)}" + (f", {format_hours(hours)}" if hours is not None else "")


def plan_text(plan: Plan, schedule: Schedule | None = None) -> str:
    """Return a plan as numbered steps with hours and resources, and the total.

    With a ``schedule``, the steps come under the headings of their weeks, each with its due date.
    """
    lines = [f"Study plan for {_one_line(plan.target_name)} ({plan.target}): "
             f"{plural(len(plan.steps), 'step')}, {_total(plan)}"
             + (" (strategy: levels)" if plan.strategy == "levels" else "")]
    headings, dues = _week_lines(schedule) if schedule else ({}, {})
    if schedule:
        lines.extend(schedule_summary(plan, schedule))
    if plan.skipped:
        lines.append(f"Already known, skipped: {len(plan.skipped)} ({', '.join(plan.skipped[:12])}"
                     f"{', ...' if len(plan.skipped) > 12 else ''})")
    lines.append("")
    if not plan.steps:
        lines.append(f"Nothing to study: {plan.target} is already known.")
    width = len(str(len(plan.steps)))
    for step in plan.steps:
        lines.extend(headings.get(step.number, ()))
        where = " · ".join(x for x in (step.kind, step.area) if x)
        lines.append(f"{step.number:>{width}}. {_one_line(step.name)} ({step.id}) - {format_hours(step.hours)}"
                     + (f" [{where}]" if where else ""))
        pad = " " * (width + 2)
        if step.number in dues:
            lines.append(f"{pad}{dues[step.number]}")
        if step.summary:
            lines.append(f"{pad}{_one_line(step.summary)}")
        if step.kind == "resource" and step.url:
            lines.append(f"{pad}read: <{step.url}>")
        for i, resource in enumerate(step.resources):
            lines.append(f"{pad}{'learn with' if i == 0 else '        or'}: {resource_line(resource)}")
        for choice in step.choices:
            lines.append(f"{pad}{choice_text(choice)}")
        if step.needed_for:
            lines.append(f"{pad}needed for: {', '.join(step.needed_for)}")
        if step.deeper:
            lines.append(f"{pad}go deeper: {', '.join(step.deeper)}")
    if plan.recommended:
        lines.append("")
        lines.append("Recommended, not included (add --include-recommended): " + ", ".join(plan.recommended))
    lines.append("")
    lines.append(f"Total: {_total(plan)} over {plural(len(plan.steps), 'step')}"
                 + (f"; {_reached(plan, schedule)}" if schedule and schedule.slots else ""))
    return "\n".join(lines) + "\n"


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def format_day(day: date) -> str:
    """Return a date with its weekday, in English whatever the locale.

    >>> format_day(date(2025, 3, 3))
    'Mon 2025-03-03'
    """
    return f"{_DAYS[day.weekday()]} {day.isoformat()}"


def week_span(first: int, last: int) -> str:
    """Return ``"week 3"`` or ``"weeks 3-15"``."""
    return f"week {first}" if first == last else f"weeks {first}-{last}"


def due_phrase(slot: Slot) -> str:
    """Return when a step is due, and over how many weeks it runs if more than one.

    >>> from graph.plan import Step
    >>> due_phrase(Slot(Step(1, "a", "A", "topic", 20), 1, 3, date(2025, 3, 23)))
    'due Sun 2025-03-23, runs over weeks 1-3'
    >>> due_phrase(Slot(Step(2, "b", "B", "topic", None), 3, 3, date(2025, 3, 23), unestimated=True))
    'due Sun 2025-03-23; no hour estimate: scheduled at 0 h'
    """
    text = f"due {format_day(slot.due)}"
    if slot.spans > 1:
        text += f", runs over {week_span(slot.first_week, slot.last_week)}"
    return text + ("; no hour estimate: scheduled at 0 h" if slot.unestimated else "")


def week_heading(group: WeekGroup) -> str:
    """Return the heading of the week a group of steps starts in: ``"Week 1 · Mon 2025-03-03 to Sun 2025-03-09"``."""
    return f"Week {group.week:,} · {format_day(group.start)} to {format_day(group.end)}"


def schedule_summary(plan: Plan, schedule: Schedule, clean=_one_line) -> list[str]:
    """Return the lines that say what the schedule is: the budget, the start, the end and what it leaves out.

    ``clean`` prepares the target's name for where it lands (one line; Markdown escapes it).
    """
    lines = [f"Schedule: {format_hours(schedule.hours_per_week)} a week from {format_day(schedule.start)}: "
             + (_reached(plan, schedule, clean) if schedule.slots else "nothing left to schedule")]
    unestimated = len(schedule.without_hours)
    if unestimated:
        one = unestimated == 1
        lines.append(f"{plural(unestimated, 'step')} without an hour estimate {'is' if one else 'are'} scheduled "
                     f"at 0 h: the dates leave out {'its' if one else 'their'} time")
    return lines


def _reached(plan: Plan, schedule: Schedule, clean=_one_line) -> str:
    return (f"{clean(plan.target_name)} reached on {format_day(schedule.end)}, "
            f"after {plural(schedule.weeks, 'week')}")


def _week_lines(schedule: Schedule) -> tuple[dict, dict]:
    """Return the week headings to print before a step's line, and each step's due line, by step number."""
    headings = {}
    for i, group in enumerate(schedule.groups()):
        headings[group.slots[0].step.number] = ([""] if i else []) + [week_heading(group)]
    return headings, {slot.step.number: due_phrase(slot) for slot in schedule.slots}


def choice_text(choice: dict) -> str:
    """Return how a plan met one any-of group: the alternative taken and the others.

    >>> choice_text({"group": "framework", "picked": "pytorch", "known": False, "alternatives": ["jax"]})
    'any one of (framework): pytorch, taken; or jax'
    """
    how = "known" if choice.get("known") else "taken"
    others = f"; or {', '.join(choice['alternatives'])}" if choice["alternatives"] else ""
    return f"any one of ({choice['group']}): {choice['picked']}, {how}{others}"


def _total(plan: Plan) -> str:
    totals = plan.totals()
    unknown = totals.steps_without_hours
    if unknown and not totals.hours and unknown == sum(1 for s in plan.steps if s.kind != "degree"):
        return "no hour estimates"
    return format_hours(totals.hours) + (f" (+ {plural(unknown, 'step')} without an estimate)" if unknown else "")


def tree_text(graph: nx.DiGraph, rows: list[TreeRow]) -> str:
    """Return tree rows drawn with branches; ``(*)`` marks a subtree shown above.

    >>> from graph.query import tree
    >>> g = nx.DiGraph()
    >>> g.add_edges_from([("a", "c"), ("b", "c"), ("a", "b")], relation="prerequisite", strength="required")
    >>> print(tree_text(g, tree(g, "c")), end="")
    c: c
    ├── a: a
    └── b: b
        └── a: a
    """
    return "".join(tree_lines(graph, rows))


def tree_lines(graph: nx.DiGraph, rows) -> Iterator[str]:
    """Yield the lines of :func:`tree_text` one by one (each ending in a newline), for large trees."""
    pads = ["", ""]  # pads[d]: what stands before the branch of a row at depth d
    labels: dict = {}  # a node shown again is labelled again
    any_repeated = False
    for node, depth, relation, last, repeated, cut, group in rows:
        label = labels.get(node)
        if label is None:
            label = labels[node] = f"{node}: {_name(graph, node)}"
        if depth:
            del pads[depth + 1:]
            pads.append(pads[depth] + ("    " if last else "│   "))
            branch = "└── " if last else "├── "
        else:
            branch = ""
        if relation and relation != "prerequisite":
            label = f"{label} [{relation}]"
        if group:
            label = f"{label} [any of: {group}]"
        if repeated or cut:
            any_repeated = any_repeated or repeated
            label += " (*)" if repeated else " ..."
        yield f"{pads[depth]}{branch}{label}\n"
    if any_repeated:
        yield "(*) shown above; not repeated\n"


def list_text(graph: nx.DiGraph, nodes: list) -> str:
    """Return one ``id: name`` line per node."""
    return "".join(f"{n}: {_name(graph, n)}\n" for n in nodes)


def _edge_line(graph: nx.DiGraph, u, v) -> str:
    data = graph.edges[u, v]
    relation = data.get("relation", "prerequisite")
    why = f": {_one_line(data['why'])}" if data.get("why") else ""
    return f"    ↓ {RELATIONS[relation].phrase} [{relation}]{why}"


def paths_text(graph: nx.DiGraph, found: list[list]) -> str:
    """Return each path as its nodes with the relation and reason of every edge."""
    blocks = []
    for number, path in enumerate(found, 1):
        head = f"Path {number}: " if len(found) > 1 else ""
        lines = [f"{head}{' -> '.join(path)} ({len(path) - 1} edge{'s' * (len(path) != 2)})"]
        for u, v in zip(path, path[1:]):
            lines.append(f"  {u}: {_name(graph, u)}")
            lines.append(_edge_line(graph, u, v))
        lines.append(f"  {path[-1]}: {_name(graph, path[-1])}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def node_text(graph: nx.DiGraph, node, resources: list[dict]) -> str:
    """Return a node in full: its fields, resources, prerequisites and dependents."""
    data = graph.nodes[node]
    lines = [f"{_name(graph, node)} ({node})"]
    facts = [f"kind: {data.get('kind')}"]
    if data.get("area"):
        facts.append(f"area: {data['area']}")
    facts.append(f"hours: {format_hours(data.get('hours'))}")
    lines.append(" · ".join(facts))
    if data.get("summary"):
        lines.append(_one_line(data["summary"]))
    for key in ("url", "current_url", "format", "free", "author", "preferred", "aliases"):
        if key in data:
            value = ", ".join(data[key]) if isinstance(data[key], list) else data[key]
            lines.append(f"{key}: {_one_line(value)}")
    if resources:
        lines.append("")
        lines.append("Learn with:")
        lines.extend(f"  - {resource_line(r)}" for r in resources)
    for title, edges, other in (("Needs:", graph.in_edges(node, data=True), 0),
                                ("Needed for / builds on it:", graph.out_edges(node, data=True), 1)):
        shown = [e for e in edges if not (other == 0 and RELATIONS[e[2]["relation"]].teaches)]
        if not shown:
            continue
        lines.append("")
        lines.append(title)
        for edge in shown:
            peer = edge[other]
            why = f" - {_one_line(edge[2]['why'])}" if edge[2].get("why") else ""
            lines.append(f"  - {peer}: {_name(graph, peer)} [{edge[2]['relation']}]{why}")
    return "\n".join(lines) + "\n"


def next_text(graph: nx.DiGraph, nodes: list, resources: dict) -> str:
    """Return what can be studied now, each with its first resource."""
    if not nodes:
        return "Nothing left to study: everything here is known.\n"
    lines = [f"You can start on {len(nodes)} now:"]
    for node in nodes:
        data = graph.nodes[node]
        lines.append(f"  {node}: {_name(graph, node)} - {format_hours(data.get('hours'))}")
        if resources.get(node):
            lines.append(f"      learn with: {resource_line(resources[node][0])}")
    return "\n".join(lines) + "\n"
