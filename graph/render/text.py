"""Plain-text renderings for the terminal: plans, trees, paths, nodes and lists.

Each renderer takes a :class:`~graph.render.style.Style` (colour, tree
characters); without one the text is plain.

>>> format_hours(3), format_hours(1.5), format_hours(6.25), format_hours(1373.0), format_hours(None)
('3 h', '1.5 h', '6.25 h', '1,373 h', '? h')
>>> plural(1, "step"), plural(1200, "step")
('1 step', '1,200 steps')
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from ..errors import Diagnostic
from ..model import NODE_FIELDS, RELATIONS
from ..plan import Plan
from ..query import TreeRow
from ..schedule import Schedule, Slot, WeekGroup
from ..validate import is_web_url
from .style import PLAIN, Style

if TYPE_CHECKING:  # NetworkX is imported where a graph is made or searched, not for its name
    import networkx as nx

__all__ = [
    "choice_text",
    "diagnostic_text",
    "due_phrase",
    "format_day",
    "format_hours",
    "level_title",
    "list_text",
    "next_text",
    "node_text",
    "nodes_text",
    "part_name",
    "part_phrase",
    "paths_text",
    "plan_text",
    "plural",
    "rest_phrase",
    "recommended_summary",
    "resource_facts",
    "resource_line",
    "schedule_summary",
    "search_text",
    "tree_lines",
    "tree_text",
    "week_heading",
    "week_span",
]


def format_hours(hours) -> str:
    """Return hours as given (``"3 h"``, ``"6.25 h"``, to a ten-thousandth), or ``"? h"`` when unknown."""
    if hours is None:
        return "? h"
    return f"{hours:,.4f}".rstrip("0").rstrip(".") + " h"


def plural(n: int, noun: str) -> str:
    """Return ``n`` and ``noun``, with an ``s`` unless ``n`` is 1."""
    return f"{n:,} {noun}{'s' * (n != 1)}"


def _one_line(text) -> str:
    return " ".join(str(text).split())


def _name(graph: nx.DiGraph, node) -> str:
    return _one_line(graph.nodes[node].get("name", node))


def _label(graph: nx.DiGraph, node, style: Style) -> str:
    return f"{style.paint(node, 'id')}: {_name(graph, node)}"


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
    >>> resource_line({**r, "part": "Lecture 3", "part_hours": 4, "part_url": "https://example.org/c/3"})
    'Calculus <https://example.org/c> [free, 100 h course; for this step: Lecture 3 <https://example.org/c/3>, 4 h]'
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


def part_phrase(resource: dict, clean=_one_line, link=None) -> str:
    """Return which part of a resource the step uses, ``"for this step: Chapter 5, 6 h"``, or ``""``.

    ``clean`` prepares the part's name for where it lands (one line; Markdown escapes it). Where the part
    has its own web address (``part_url``), ``link(name, url)`` makes the name a link (text: ``name <url>``).
    """
    part, hours, url = resource.get("part"), resource.get("part_hours"), resource.get("part_url")
    if part is None and hours is None:
        return ""
    if part is None:
        return f"for this step: {format_hours(hours)} of it"
    return f"for this step: {part_name(part, url, clean, link)}" + (f", {format_hours(hours)}" if hours is not None
                                                                    else "")


def part_name(part, url, clean=_one_line, link=None) -> str:
    """Return a part's name (``clean`` prepares it for where it lands), with its own web address where it has
    one: ``link(name, url)`` makes the name a link (text: ``name <url>``). A part with an address and no name
    is named ``the part``.

    >>> part_name("Lecture 3", "https://example.org/3"), part_name("Lecture 3", None), part_name(None, "https://e.org/")
    ('Lecture 3 <https://example.org/3>', 'Lecture 3', 'the part <https://e.org/>')
    """
    part = "the part" if part is None else part
    if not is_web_url(url):
        return clean(part)
    return link(part, url) if link else f"{clean(part)} <{_one_line(url)}>"


def plan_text(plan: Plan, schedule: Schedule | None = None, style: Style = PLAIN,
              known_note: str | None = None) -> str:
    """Return a plan as numbered steps with hours and resources, and the total.

    With a ``schedule``, the steps come under the headings of their weeks, each with its due date;
    with ``strategy="levels"``, under the headings of their waves. ``known_note`` says where what
    is known came from (``"known: 2, from progress.yaml"``).
    """
    lines = [style.paint(f"Study plan for {_one_line(plan.target_name)} ({plan.target}): "
                         f"{plural(len(plan.steps), 'step')}, {_total(plan)}"
                         + (" (strategy: levels)" if plan.strategy == "levels" else ""), "heading")]
    if known_note:
        lines.append(known_note[:1].upper() + known_note[1:])
    headings, dues = _week_lines(schedule) if schedule else ({}, {})
    if schedule:
        lines.extend(schedule_summary(plan, schedule))
    soft = recommended_summary(plan)
    if soft:
        lines.append(soft)
    if plan.skipped:
        lines.append(f"Already known, skipped: {len(plan.skipped)} ({', '.join(plan.skipped[:12])}"
                     f"{', ...' if len(plan.skipped) > 12 else ''})")
    lines.append("")
    if not plan.steps:
        lines.append(f"Nothing to study: {plan.target} is already known.")
    width = len(str(len(plan.steps)))
    level = None
    gone = set(plan.discontinued)
    for step in plan.steps:
        if step.level is not None and step.level != level:
            level = step.level
            lines.append(("" if step.number == 1 else "\n") + style.paint(level_title(level), "heading"))
        lines.extend(style.paint(line, "heading") for line in headings.get(step.number, ()))
        where = " · ".join(x for x in (step.kind, step.area, "recommended" if step.recommended else None,
                                        "discontinued" if step.id in gone else None) if x)
        lines.append(f"{style.paint(f'{step.number:>{width}}.', 'number')} {_one_line(step.name)} "
                     f"({style.paint(step.id, 'id')}) - {style.paint(format_hours(step.hours), 'hours')}"
                     + (f" [{where}]" if where else ""))
        pad = " " * (width + 2)
        if step.number in dues:
            lines.append(f"{pad}{dues[step.number]}")
        if step.summary:
            lines.append(f"{pad}{_one_line(step.summary)}")
        if step.kind == "resource" and step.url:
            lines.append(f"{pad}read: <{step.url}>")
        if step.whole_hours is not None:
            lines.append(f"{pad}{rest_phrase(step)}")
        for i, resource in enumerate(step.resources):
            lines.append(f"{pad}{'learn with' if i == 0 else '        or'}: {resource_line(resource)}")
        for choice in step.choices:
            lines.append(f"{pad}{choice_text(choice, gone)}")
        if step.needed_for:
            lines.append(f"{pad}needed for: {', '.join(step.needed_for)}")
        if step.deeper:
            lines.append(f"{pad}go deeper: {', '.join(step.deeper)}")
    if plan.recommended:
        lines.append("")
        lines.append("Recommended, not included (add --include-recommended): " + ", ".join(plan.recommended))
    lines.append("")
    total, steps = _total(plan), plural(len(plan.steps), "step")
    lines.append(style.paint((f"Total: {steps}, {total}" if total == _NO_HOURS else f"Total: {total} over {steps}")
                             + (f"; {_reached(plan, schedule)}" if schedule and schedule.slots else ""), "heading"))
    return "\n".join(lines) + "\n"


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def recommended_summary(plan: Plan) -> str:
    """Return how much of a plan is there only through recommendations (``--include-recommended``), or ``""``.

    >>> from graph.plan import Step
    >>> plan = Plan("t", "T", [Step(1, "a", "A", "topic", 3, recommended=True), Step(2, "t", "T", "topic", 5)],
    ...             [], [], [], True, "depth")
    >>> recommended_summary(plan)
    'Recommended, included: 1 step, 3 h (marked recommended)'
    """
    soft = [s for s in plan.steps if s.recommended]
    if not soft:
        return ""
    hours = sum(s.hours or 0 for s in soft)
    return f"Recommended, included: {plural(len(soft), 'step')}, {format_hours(hours)} (marked recommended)"


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


def level_title(level: int) -> str:
    """Return the heading of a wave of a plan in levels: what it holds can be studied in any order.

    >>> level_title(2)
    'Level 2 (any order within the level):'
    """
    return f"Level {level} (any order within the level):"


def rest_phrase(step) -> str:
    """Say that a resource step counts only the rest of it: its parts that teach other steps count there.

    >>> from graph.plan import Step
    >>> rest_phrase(Step(1, "book", "Book", "resource", 45, whole_hours=180))
    'the rest of its 180 h: the parts that teach other steps, or what you know, are counted there'
    """
    return (f"the rest of its {format_hours(step.whole_hours)}: the parts that teach other steps, "
            "or what you know, are counted there")


def choice_text(choice: dict, discontinued=frozenset()) -> str:
    """Return how a plan met one any-of group: the alternative taken and the others, those in
    ``discontinued`` marked so.

    >>> choice_text({"group": "framework", "picked": "pytorch", "known": False, "alternatives": ["jax", "theano"]},
    ...             {"theano"})
    'any one of (framework): pytorch, taken; or jax, theano (discontinued)'
    """
    def named(node):
        return f"{node} (discontinued)" if node in discontinued else node

    how = "known" if choice.get("known") else "taken"
    others = f"; or {', '.join(map(named, choice['alternatives']))}" if choice["alternatives"] else ""
    return f"any one of ({choice['group']}): {named(choice['picked'])}, {how}{others}"


_NO_HOURS = "no hour estimates"


def _total(plan: Plan) -> str:
    totals = plan.totals()
    unknown = totals.steps_without_hours
    if totals.no_estimates:
        return _NO_HOURS
    return format_hours(totals.hours) + (f" (+ {plural(unknown, 'step')} without an estimate)" if unknown else "")


def tree_text(graph: nx.DiGraph, rows: list[TreeRow], style: Style = PLAIN) -> str:
    """Return tree rows drawn with branches; ``(*)`` marks a subtree shown above.

    >>> from graph.query import tree
    >>> g = nx.DiGraph()
    >>> g.add_edges_from([("a", "c"), ("b", "c"), ("a", "b")], relation="prerequisite", strength="required")
    >>> print(tree_text(g, tree(g, "c")), end="")
    c: c
    ├── a: a
    └── b: b
        └── a: a
    >>> from graph.render.style import Style
    >>> print(tree_text(g, tree(g, "c"), Style(charset="ascii")), end="")
    c: c
    |-- a: a
    `-- b: b
        `-- a: a
    """
    return "".join(tree_lines(graph, rows, style))


def tree_lines(graph: nx.DiGraph, rows, style: Style = PLAIN) -> Iterator[str]:
    """Yield the lines of :func:`tree_text` one by one (each ending in a newline), for large trees."""
    child, last_child, line_past, space = style.branches
    repeated_mark, cut_mark = style.paint(" (*)", "dim"), style.paint(" ...", "dim")
    pads = ["", ""]  # pads[d]: what stands before the branch of a row at depth d
    labels: dict = {}  # a node shown again is labelled again
    tags: dict = {}  # each relation and strength's " [tag]", made once
    any_repeated = False
    for node, depth, relation, last, repeated, cut, group, strength in rows:
        label = labels.get(node)
        if label is None:
            label = labels[node] = _label(graph, node, style)
        if depth:
            del pads[depth + 1:]
            pads.append(pads[depth] + (space if last else line_past))
            branch = last_child if last else child
        else:
            branch = ""
        tag = tags.get((relation, strength))
        if tag is None:
            words = _tree_tag(relation, strength)
            tag = tags[relation, strength] = " " + style.paint(f"[{words}]", "dim") if words else ""
        label += tag
        if group:
            label += " " + style.paint(f"[any of: {group}]", "dim")
        if repeated or cut:
            any_repeated = any_repeated or repeated
            label += repeated_mark if repeated else cut_mark
        yield f"{pads[depth]}{branch}{label}\n"
    if any_repeated:
        yield style.paint("(*) shown above; not repeated", "dim") + "\n"


def _tree_tag(relation, strength) -> str:
    """Return what a tree row says about its edge: the relation unless a plain prerequisite, the
    strength unless required (a recommendation must not read as a need).

    >>> _tree_tag("prerequisite", "required"), _tree_tag("prerequisite", "recommended")
    ('', 'recommended')
    >>> _tree_tag("leads-to", "recommended"), _tree_tag("recommended", "recommended")
    ('leads-to, recommended', 'recommended')
    """
    parts = [relation] if relation and relation != "prerequisite" else []
    if strength not in (None, "required") and strength != relation:
        parts.append(strength)
    return ", ".join(parts)


def list_text(graph: nx.DiGraph, nodes: list, style: Style = PLAIN) -> str:
    """Return one ``id: name`` line per node."""
    return "".join(f"{_label(graph, n, style)}\n" for n in nodes)


def _where(data: dict) -> str:
    where = " · ".join(str(x) for x in (data.get("kind"), data.get("area")) if x)
    return f" [{where}]" if where else ""


def nodes_text(graph: nx.DiGraph, nodes: list, style: Style = PLAIN) -> str:
    """Return one ``id: name [kind · area]`` line per node.

    >>> g = nx.DiGraph(); g.add_node("svd", name="SVD", kind="topic", area="linear-algebra")
    >>> nodes_text(g, ["svd"])
    'svd: SVD [topic · linear-algebra]\\n'
    """
    return "".join(f"{_label(graph, n, style)}{_where(graph.nodes[n])}\n" for n in nodes)


def search_text(graph: nx.DiGraph, matches: list, style: Style = PLAIN) -> str:
    """Return search results best first, each as ``id: name [kind · area]`` and what it matched."""
    return "".join(f"{_label(graph, m.id, style)}{_where(graph.nodes[m.id])}"
                   f"{style.paint(' (' + ', '.join(m.fields) + ')', 'dim')}\n" for m in matches)


def known_phrase(marked: int, known: int) -> str:
    """Say what is known, counted both ways: ``"5 marked (9 with what they need)"``."""
    return f"{marked:,} marked ({known:,} with what they need)"


def diagnostic_text(diagnostic: Diagnostic, style: Style = PLAIN) -> str:
    """Return ``path:line: level: message`` with the level coloured.

    >>> diagnostic_text(Diagnostic("nodes.yaml", 3, "error", "duplicate id 'x'"))
    "nodes.yaml:3: error: duplicate id 'x'"
    """
    text = str(diagnostic)
    level = f": {diagnostic.level}: "
    if not style.color or diagnostic.level not in ("error", "warning", "note"):
        return text
    where, _, message = text.partition(level)
    return f"{where}: {style.paint(diagnostic.level, diagnostic.level)}: {message}"


def _edge_line(graph: nx.DiGraph, u, v, style: Style) -> str:
    data = graph.edges[u, v]
    relation = data.get("relation", "prerequisite")
    why = f": {_one_line(data['why'])}" if data.get("why") else ""
    return f"    {style.paint('↓', 'dim')} {RELATIONS[relation].phrase} {style.paint(f'[{relation}]', 'dim')}{why}"


def paths_text(graph: nx.DiGraph, found: list[list], style: Style = PLAIN) -> str:
    """Return each path as its nodes with the relation and reason of every edge."""
    blocks = []
    for number, path in enumerate(found, 1):
        head = f"Path {number}: " if len(found) > 1 else ""
        lines = [style.paint(f"{head}{' -> '.join(path)} ({len(path) - 1} edge{'s' * (len(path) != 2)})", "heading")]
        for u, v in zip(path, path[1:]):
            lines.append(f"  {_label(graph, u, style)}")
            lines.append(_edge_line(graph, u, v, style))
        lines.append(f"  {_label(graph, path[-1], style)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _value(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_one_line(v) for v in value)
    return _one_line(value)


def _teaching(edge_data: dict) -> bool:
    return RELATIONS[edge_data["relation"]].teaches


def _edge_kind(edge: dict) -> str:
    """Return an edge's relation, with its strength unless required and its any-of group.

    >>> _edge_kind({"relation": "prerequisite", "strength": "recommended"})
    'prerequisite, recommended'
    >>> _edge_kind({"relation": "prerequisite", "strength": "required", "any_of": "framework"})
    'prerequisite, any of: framework'
    """
    parts = [edge["relation"]]
    if edge.get("strength") not in (None, "required") and edge["strength"] != edge["relation"]:
        parts.append(edge["strength"])
    if edge.get("any_of"):
        parts.append(f"any of: {edge['any_of']}")
    return ", ".join(parts)


def _part(edge: dict) -> str:
    facts = [_one_line(edge["part"])] if edge.get("part") else []
    if is_web_url(edge.get("part_url")):
        facts.append(f"<{_one_line(edge['part_url'])}>")
    if edge.get("hours") is not None:
        facts.append(format_hours(edge["hours"]))
    return f" ({', '.join(facts)})" if facts else ""


_SHOWN_FIRST = ("id", "name", "kind", "area", "hours", "summary")


def node_text(graph: nx.DiGraph, node, resources: list[dict], style: Style = PLAIN) -> str:
    """Return a node in full: its fields, what teaches it (or what it teaches), prerequisites and dependents.

    >>> g = nx.DiGraph()
    >>> g.add_node("book", name="A book", kind="resource", free=True)
    >>> g.add_node("la", name="Linear algebra", kind="topic")
    >>> g.add_edge("book", "la", relation="teaches")
    >>> print(node_text(g, "book", []), end="")
    A book (book)
    kind: resource · hours: ? h
    free: yes
    <BLANKLINE>
    Teaches:
      - la: Linear algebra
    """
    data = graph.nodes[node]
    lines = [style.paint(f"{_name(graph, node)} ({node})", "heading")]
    facts = [f"kind: {data.get('kind')}"]
    if data.get("area"):
        facts.append(f"area: {data['area']}")
    facts.append(f"hours: {format_hours(data.get('hours'))}")
    lines.append(" · ".join(facts))
    if data.get("summary"):
        lines.append(_one_line(data["summary"]))
    for key in NODE_FIELDS:
        if key in data and key not in _SHOWN_FIRST:
            lines.append(f"{key}: {_value(data[key])}")
    if resources:
        lines.append("")
        lines.append(style.paint("Learn with:", "heading"))
        lines.extend(f"  - {resource_line(r)}" for r in resources)
    incoming = [(u, d) for u, d in graph._pred[node].items() if not _teaching(d)]
    outgoing = list(graph._succ[node].items())
    taught = [(v, d) for v, d in outgoing if _teaching(d)]
    sections = (("Teaches:", taught, False),
                ("Needs:", incoming, True),
                ("Needed for / builds on it:", [(v, d) for v, d in outgoing if not _teaching(d)], True))
    for title, edges, tagged in sections:
        if not edges:
            continue
        lines.append("")
        lines.append(style.paint(title, "heading"))
        for peer, edge in edges:
            tag = " " + style.paint(f"[{_edge_kind(edge)}]", "dim") if tagged else _part(edge)
            why = f" - {_one_line(edge['why'])}" if edge.get("why") else ""
            lines.append(f"  - {_label(graph, peer, style)}{tag}{why}")
    return "\n".join(lines) + "\n"


def next_text(graph: nx.DiGraph, nodes: list, resources: dict, style: Style = PLAIN,
              known_note: str | None = None, outside: dict | None = None) -> str:
    """Return what can be studied now, each with its first resource (or, for a resource, its link).

    ``known_note`` says where what is known came from (``"known: 2, from progress.yaml"``).
    ``outside``: the nodes toward a goal that its plan does not take, each with the
    alternative it takes instead (or None: only an alternative not taken needs it).
    """
    note = f" ({known_note})" if known_note else ""
    if not nodes:
        return f"Nothing left to study: everything here is known{note}.\n"
    outside = outside or {}
    lines = [style.paint(f"You can start on {len(nodes)} now{note}:", "heading")]
    for node in nodes:
        data = graph.nodes[node]
        facts = ["discontinued"] if data.get("discontinued") is True else []
        if node in outside:
            instead = outside[node]
            facts.append(f"an alternative: the plan takes {instead}" if instead else
                         "needed only by an alternative the plan does not take")
        tail = style.paint(f" ({'; '.join(facts)})", "dim") if facts else ""
        lines.append(f"  {_label(graph, node, style)} - {style.paint(format_hours(data.get('hours')), 'hours')}{tail}")
        if resources.get(node):
            lines.append(f"      learn with: {resource_line(resources[node][0])}")
        elif data.get("kind") == "resource" and data.get("url"):
            lines.append(f"      read: <{data['url']}>")
    return "\n".join(lines) + "\n"
