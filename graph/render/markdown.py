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

import re

from ..plan import Plan
from ..validate import is_web_url
from .text import choice_text, format_hours, plural

__all__ = ["escape", "link", "plan_markdown"]

# Characters that can start Markdown or HTML syntax inline (emphasis, code, links,
# images, tags, entities, tables, strike-through), GitHub references (#1, @user)
# and math ($). Other punctuation stays readable in the raw text.
_SPECIAL = re.compile(r"([\\`*_\[\]<>!&|~#@$])")


def escape(text) -> str:
    """Return ``text`` on one line with every character that could form Markdown or HTML backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def link(label, url) -> str:
    """Return a Markdown link when ``url`` is http(s), else the escaped label alone."""
    if not is_web_url(url):
        return escape(label)
    safe = url.replace("\\", "%5C").replace("<", "%3C").replace(">", "%3E")  # a backslash would escape the closing ">"
    return f"[{escape(label)}](<{safe}>)"


def _resource(resource: dict) -> str:
    facts = [f for f in (resource.get("format"), "free" if resource.get("free") else None,
                         format_hours(resource["hours"]) if resource.get("hours") is not None else None) if f]
    current = f" (now at {link('this address', resource['current_url'])})" if resource.get("current_url") else ""
    return link(resource["name"], resource.get("url")) + current + (f" · {escape(', '.join(facts))}" if facts else "")


def plan_markdown(plan: Plan) -> str:
    """Return a plan as a Markdown checklist with links and hours."""
    lines = [f"# Study plan: {escape(plan.target_name)}", ""]
    totals = plan.totals()
    unknown = totals.steps_without_hours
    lines.append(f"{plural(totals.steps, 'step')}, about **{format_hours(totals.hours)}** in all"
                 + (f" ({plural(unknown, 'step')} without an estimate)" if unknown else "") + ".")
    if plan.skipped:
        lines.append(f"Already known and skipped: {escape(', '.join(plan.skipped))}.")
    lines.append("")
    for step in plan.steps:
        title = link(step.name, step.url) if step.kind == "resource" else escape(step.name)
        summary = f": {escape(step.summary)}" if step.summary else ""
        lines.append(f"- [ ] **{step.number}. {title}** ({format_hours(step.hours)}){summary}")
        for i, resource in enumerate(step.resources):
            lines.append(f"  - {'Learn with' if i == 0 else 'Or'} {_resource(resource)}")
        for choice in step.choices:
            lines.append(f"  - {escape(choice_text(choice))}")
        if step.deeper:
            lines.append(f"  - Go deeper: {escape(', '.join(step.deeper))}")
    if plan.recommended:
        lines.append("")
        lines.append(f"Also recommended: {escape(', '.join(plan.recommended))}.")
    return "\n".join(lines) + "\n"
