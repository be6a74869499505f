"""The progress report (:mod:`graph.standing`) as text for the terminal and as Markdown for notes.

>>> import networkx as nx
>>> from datetime import date
>>> from graph.standing import standing
>>> g = nx.DiGraph()
>>> g.add_nodes_from([("a", {"name": "A", "hours": 10}), ("b", {"name": "B", "hours": 10})])
>>> g.add_edge("a", "b", relation="prerequisite", strength="required")
>>> print(standing_text(standing(g, "b", ["a"], 5, date(2025, 1, 1), date(2025, 1, 8))), end="")
Progress toward b (B): 1 of 2 steps, 10 of 20 h known.
Known: 1 marked (1 with what they need).
Next: b: B (10 h).
At 5 h a week since 2025-01-01, as of 2025-01-08: ahead by 5 h (7 days); the schedule expected 5 h.
The schedule reaches b on 2025-01-28; at 5 h a week from today: 2025-01-21.
"""

from __future__ import annotations

from ..standing import Pace, Standing
from .markdown import escape
from .style import PLAIN, Style
from .text import format_hours, known_phrase, plural

__all__ = ["standing_markdown", "standing_text"]

_SHOWN = 8  # steps that can be started now, named before "and N more"


def _days(days: float) -> str:
    text = f"{abs(days):,.1f}".rstrip("0").rstrip(".")
    return f"{text} day{'s' * (text != '1')}"


def _pace_lines(pace: Pace, target: str) -> list[str]:
    budget = f"{format_hours(pace.hours_per_week)} a week"
    if pace.ahead_hours > 0:
        how = f"ahead by {format_hours(pace.ahead_hours)} ({_days(pace.ahead_days)})"
    elif pace.ahead_hours < 0:
        how = f"behind by {format_hours(-pace.ahead_hours)} ({_days(pace.ahead_days)})"
    else:
        how = "on schedule"
    lines = [f"At {budget} since {pace.start.isoformat()}, as of {pace.today.isoformat()}: {how}; "
             f"the schedule expected {format_hours(pace.expected_hours)}."]
    if pace.due:
        lines.append(f"The schedule reaches {target} on {pace.due.isoformat()}; at {budget} from today: "
                     f"{pace.projected.isoformat() if pace.projected else 'reached'}.")
    return lines


def _summary(s: Standing) -> str:
    steps = f"{s.steps_known:,} of {plural(s.steps_total, 'step')}"
    if not s.hours_total:  # a map without hour estimates: hours would say nothing
        return f"{steps} known"
    return f"{steps}, {format_hours(s.hours_known).removesuffix(' h')} of {format_hours(s.hours_total)} known"


def _next(s: Standing, label) -> str:
    if not s.next:
        return f"Nothing left: {s.plan.target} is known." if not s.plan.steps else "Next: nothing can be started."
    first, rest = s.next[0], s.next[1:]
    more = ""
    if rest:
        names = ", ".join(label(step) for step in rest[:_SHOWN])
        more = f"; can start now too: {names}" + (f" and {len(rest) - _SHOWN} more" if len(rest) > _SHOWN else "")
    return f"Next: {label(first)} ({format_hours(first.hours)}){more}."


def standing_text(s: Standing, style: Style = PLAIN) -> str:
    """Return the progress report as plain text (coloured ids with ``style``)."""
    plan = s.plan
    lines = [f"Progress toward {style.paint(plan.target, 'id')} ({' '.join(plan.target_name.split())}): "
             f"{_summary(s)}.",
             f"Known: {known_phrase(s.marked, s.known)}.",
             _next(s, lambda step: f"{style.paint(step.id, 'id')}: {' '.join(step.name.split())}"
                   if step is s.next[0] else style.paint(step.id, "id"))]
    if s.pace:
        lines += _pace_lines(s.pace, plan.target)
    return "\n".join(lines) + "\n"


def standing_markdown(s: Standing) -> str:
    """Return the progress report as Markdown, every name escaped."""
    plan = s.plan
    lines = [f"# Progress toward {escape(plan.target_name)}", "",
             f"- **{escape(_summary(s))}**",
             f"- Known: {escape(known_phrase(s.marked, s.known))}",
             f"- {escape(_next(s, lambda step: f'{step.id}: {step.name}' if step is s.next[0] else step.id))}"]
    if s.pace:
        lines += [f"- {escape(line)}" for line in _pace_lines(s.pace, plan.target)]
    return "\n".join(lines) + "\n"
