"""Course plans as text, Markdown and JSON: the resources to take, in the order each is first needed.

>>> from graph.plan import Plan, Step
>>> plan = Plan("t", "T", [Step(1, "a", "A", "topic", 2), Step(2, "b", "B", "topic", 3)], [], [], [], False, "depth")
>>> from graph.courses import Course, CoursePlan
>>> cp = CoursePlan(plan, [Course("r", "R", None, "book", True, 10, 10, ["a"], 1)], ["b"], "exact", 1.0, 1,
...                 False, False)
>>> print(courses_text(cp), end="")
Courses for T (t): 1 resource, 10 h, teaching 1 of 2 steps (the plan: 5 h)
Chosen for the fewest hours (exact, of 1 candidate resource), each resource whole
<BLANKLINE>
1. R [free, 10 h book] - 10 h
   teaches 1 step, the first at step 1: a
<BLANKLINE>
No resource teaches 1 step (3 h): b
<BLANKLINE>
Total: 10 h over 1 resource
"""

from __future__ import annotations

from ..courses import Course, CoursePlan
from .json import dumps
from .markdown import escape, link
from .style import PLAIN, Style
from .text import _one_line, format_hours, part_name, plural, resource_line

__all__ = ["courses_json", "courses_markdown", "courses_text"]


def _method(cp: CoursePlan) -> str:
    """How the resources were chosen: exact, or greedy with its bound."""
    of = f"of {plural(cp.candidates, 'candidate resource')}"
    if cp.method == "exact":
        how = f"Chosen for the fewest hours (exact, {of})"
    else:
        how = f"Chosen greedily ({of}): at most {cp.bound:.2f} times the fewest hours"
    return how + (", free ones only" if cp.free else "") + (
        ", each resource whole or the parts the plan needs" if cp.parts else ", each resource whole")


def _studied(cp: CoursePlan) -> int:
    return sum(s.kind != "degree" for s in cp.plan.steps)


def _uncovered_hours(cp: CoursePlan) -> str:
    hours = {s.id: s.hours for s in cp.plan.steps}
    return format_hours(sum(hours[s] or 0 for s in cp.uncovered))


def _headline(cp: CoursePlan) -> str:
    return (f"{plural(len(cp.courses), 'resource')}, {format_hours(cp.total_hours)}, teaching "
            f"{cp.covered:,} of {plural(_studied(cp), 'step')} (the plan: {format_hours(cp.plan.totals().hours)})")


def _taught(course: Course, name=str, clean=_one_line, link=None) -> str:
    """What a course is taken for: its steps (``name`` shows one), each with its part where the data names it
    or links it (:func:`~graph.render.text.part_name`: ``clean`` prepares the name for where it lands, ``link``
    makes it a link), and each part's hours when taken by parts."""
    def part(step) -> str:
        return part_name(*course.named[step], clean, link) if step in course.named else ""

    if course.whole:
        return ", ".join(f"{name(step)} ({part(step)})" if part(step) else name(step) for step in course.steps)
    return ", ".join(f"{name(step)} ({part(step) + ', ' if part(step) else ''}{format_hours(hours)})"
                     for step, _, hours in course.parts)


def courses_text(cp: CoursePlan, style: Style = PLAIN, known_note: str | None = None) -> str:
    """Return a course plan as numbered resources, each with its hours and the steps it teaches, then the
    steps no resource teaches and the total. ``known_note`` says where what is known came from."""
    plan = cp.plan
    lines = [style.paint(f"Courses for {_one_line(plan.target_name)} ({plan.target}): {_headline(cp)}",
                         "heading")]
    if known_note:
        lines.append(known_note[:1].upper() + known_note[1:])
    lines.append(_method(cp))
    lines.append("")
    if not plan.steps:
        lines.append(f"Nothing to study: {plan.target} is already known.")
    width = len(str(len(cp.courses)))
    for i, course in enumerate(cp.courses, 1):
        resource = {"name": course.name, "url": course.url, "format": course.format, "free": course.free,
                    "hours": course.whole_hours}
        lines.append(f"{style.paint(f'{i:>{width}}.', 'number')} {resource_line(resource)} - "
                     f"{style.paint(format_hours(course.hours), 'hours')}"
                     + ("" if course.whole else f" for {plural(len(course.parts), 'part')}"))
        lines.append(f"{' ' * (width + 2)}teaches {plural(len(course.steps), 'step')}, the first at step "
                     f"{course.first_step}: {_taught(course)}")
    if cp.uncovered:
        lines.append("")
        what = "free resource" if cp.free else "resource"
        lines.append(f"No {what} teaches {plural(len(cp.uncovered), 'step')} ({_uncovered_hours(cp)}): "
                     + ", ".join(cp.uncovered))
    if cp.without_hours:
        lines.append(f"No hour estimate, counted 0 h: {', '.join(cp.without_hours)}")
    lines.append("")
    lines.append(style.paint(f"Total: {format_hours(cp.total_hours)} over {plural(len(cp.courses), 'resource')}",
                             "heading"))
    return "\n".join(lines) + "\n"


def courses_markdown(cp: CoursePlan) -> str:
    """Return a course plan as a Markdown checklist of resources with links, hours and the steps each teaches."""
    plan = cp.plan
    names = {s.id: s.name for s in plan.steps}

    def name(step):
        return escape(names.get(step, step))

    lines = [f"# Courses: {escape(plan.target_name)}", "", f"{escape(_headline(cp))}.",
             f"{escape(_method(cp))}.", ""]
    for course in cp.courses:
        facts = ", ".join(f for f in ("free" if course.free else None,
                                      course.format and escape(course.format)) if f)
        taken = "" if course.whole else f" for {plural(len(course.parts), 'part')}"
        lines.append(f"- [ ] **{link(course.name, course.url)}** ({format_hours(course.hours)}{taken}"
                     + (f"; {facts}" if facts else "") + f"): {_taught(course, name, escape, link)}")
    if cp.uncovered:
        what = "free resource" if cp.free else "resource"
        lines.extend(["", f"No {what} teaches {plural(len(cp.uncovered), 'step')} ({_uncovered_hours(cp)}): "
                          f"{', '.join(map(name, cp.uncovered))}."])
    lines.extend(["", f"Total: **{format_hours(cp.total_hours)}** over {plural(len(cp.courses), 'resource')}."])
    return "\n".join(lines) + "\n"


def courses_json(cp: CoursePlan) -> str:
    """Return a course plan: ``resources`` (each with ``id``, ``steps``, ``hours``), ``uncovered``,
    ``total_hours``, and ``method`` (``exact`` or ``greedy``, with ``greedy_bound``)."""
    return dumps(cp.to_dict())
