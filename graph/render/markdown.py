"""Markdown renderings: a study plan as a checklist to paste into notes or an issue.

All user text is escaped, so a name cannot inject links, HTML or formatting;
only http(s) URLs become links.

>>> escape("a *b* <script>")
'a \\\\*b\\\\* \\\\<script\\\\>'
>>> link("Site", "https://example.org/a_(b)")
'[Site](<https://example.org/a_(b)>)'
>>> link("Bad", "javascript:alert(1)")
'Bad'
"""

from __future__ import annotations


from ..plan import Plan
from ..schedule import Schedule
from ..sinks import markdown as markdown_escape
from ..validate import is_web_url
from .text import (choice_text, due_phrase, format_hours, level_title, part_phrase, plural, recommended_summary,
                   resource_facts, rest_phrase, schedule_summary, week_heading)

__all__ = ["escape", "link", "plan_markdown"]

escape = markdown_escape  # the Markdown sink's escaper (graph.sinks)


def link(label, url) -> str:
    """Return a Markdown link when ``url`` is http(s), else the escaped label alone."""
    if not is_web_url(url):
        return escape(label)
    safe = url.replace("\\", "%5C").replace("<", "%3C").replace(">", "%3E")  # a backslash would escape the closing ">"
    return f"[{escape(label)}](<{safe}>)"


def _resource(resource: dict) -> str:
    facts = "; ".join(f for f in (escape(", ".join(resource_facts(resource))), part_phrase(resource, escape, link)) if f)
    current = f" (now at {link('this address', resource['current_url'])})" if resource.get("current_url") else ""
    return link(resource["name"], resource.get("url")) + current + (f" · {facts}" if facts else "")


def plan_markdown(plan: Plan, schedule: Schedule | None = None) -> str:
    """Return a plan as a Markdown checklist with links and hours.

    With a ``schedule``, the steps come under a heading for the week each starts in, each with its due date.
    """
    lines = [f"# Study plan: {escape(plan.target_name)}", ""]
    totals = plan.totals()
    unknown = totals.steps_without_hours
    if totals.no_estimates:
        lines.append(f"{plural(totals.steps, 'step')}, no hour estimates.")
    else:
        lines.append(f"{plural(totals.steps, 'step')}, about **{format_hours(totals.hours)}** in all"
                     + (f" ({plural(unknown, 'step')} without an estimate)" if unknown else "") + ".")
    if schedule:
        lines.extend(f"{line}." for line in schedule_summary(plan, schedule, escape))
    if recommended_summary(plan):
        lines.append(f"{recommended_summary(plan)}.")
    if plan.skipped:
        lines.append(f"Already known and skipped: {escape(', '.join(plan.skipped))}.")
    lines.append("")
    headings = {g.slots[0].step.number: g for g in schedule.groups()} if schedule else {}
    dues = {slot.step.number: f"; {due_phrase(slot)}" for slot in schedule.slots} if schedule else {}
    # due_phrase holds dates and numbers only: nothing to escape
    level = None
    gone = set(plan.discontinued)
    for step in plan.steps:
        if step.level is not None and step.level != level:
            level = step.level
            if step.number != 1 and step.number not in headings:  # a week's heading brings its own blank line
                lines.append("")
            lines.extend([f"## {escape(level_title(level).rstrip(':'))}", ""])
        if step.number in headings:
            lines.extend([f"## {week_heading(headings[step.number])}", ""])
        title = link(step.name, step.url) if step.kind == "resource" else escape(step.name)
        summary = f": {escape(step.summary)}" if step.summary else ""
        due = (dues.get(step.number, "") + ("; recommended" if step.recommended else "")
               + ("; discontinued" if step.id in gone else ""))
        lines.append(f"- [ ] **{step.number}. {title}** ({format_hours(step.hours)}{due}){summary}")
        if step.whole_hours is not None:
            lines.append(f"  - {escape(rest_phrase(step))}")
        for i, resource in enumerate(step.resources):
            lines.append(f"  - {'Learn with' if i == 0 else 'Or'} {_resource(resource)}")
        for choice in step.choices:
            lines.append(f"  - {escape(choice_text(choice, gone))}")
        if step.deeper:
            lines.append(f"  - Go deeper: {escape(', '.join(step.deeper))}")
        if step.number + 1 in headings:
            lines.append("")
    if plan.recommended:
        lines.append("")
        lines.append(f"Also recommended: {escape(', '.join(plan.recommended))}.")
    return "\n".join(lines) + "\n"
