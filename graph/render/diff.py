"""Renderings of a :class:`graph.diff.MapDiff`: text for the terminal, Markdown for a pull request, JSON.

Values are shown as JSON (text quoted, lists bracketed), so ``"3"`` and ``3``
differ visibly. In text, characters that could drive a terminal are written as
escapes; in Markdown every value and id is escaped (:func:`graph.render.markdown.escape`),
so data cannot add links, HTML or mentions to a review.
"""

from __future__ import annotations

import json
import re

from ..diff import MapDiff, PlanDelta
from .json import dumps
from .markdown import escape
from .text import format_hours, plural

__all__ = ["diff_json", "diff_markdown", "diff_text", "summary"]

_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")
_LONG = 160


def _value(value, limit: int | None = _LONG) -> str:
    text = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def _edge(key) -> str:
    return f"{key[0]} -> {key[1]}"


def _signed(n: float, unit: str = "") -> str:
    text = format_hours(abs(n)) if unit == "h" else f"{abs(n):,}"
    return ("+" if n > 0 else "-" if n < 0 else "±") + text


def summary(d: MapDiff) -> str:
    """Return one line counting what changed, or ``"no changes"``.

    >>> from graph.diff import MapDiff
    >>> summary(MapDiff("a", "b")), summary(MapDiff("a", "b", nodes_added=[("x", {})]))
    ('no changes', 'nodes: 1 added')
    """
    parts = []
    for what, added, removed, changed in (("nodes", d.nodes_added, d.nodes_removed, d.nodes_changed),
                                          ("edges", d.edges_added, d.edges_removed, d.edges_changed)):
        counts = [f"{len(items)} {verb}" for items, verb in ((added, "added"), (removed, "removed"),
                                                            (changed, "changed")) if items]
        if counts:
            parts.append(f"{what}: {', '.join(counts)}")
    moved = [p for p in d.plans if p.changed]
    if moved:
        parts.append(f"{plural(len(moved), 'plan')} changed")
    errors = sum(x.level == "error" for x in d.introduced)
    if errors:
        parts.append(f"{plural(errors, 'error')} introduced")
    fixed = sum(x.level == "error" for x in d.fixed)
    if fixed:
        parts.append(f"{plural(fixed, 'error')} fixed")
    if not parts and d.changed:
        parts.append("warnings changed")
    return "; ".join(parts) or "no changes"


def _plan_numbers(p: PlanDelta) -> tuple[str, str, str, str]:
    """Return the steps, their change, the hours and their change (``""`` where nothing changed)."""
    if p.old is None or p.new is None:
        side = p.new or p.old
        return f"{len(side.steps)}", "", format_hours(side.hours), ""
    before, after = len(p.old.steps), len(p.new.steps)
    return (f"{before} -> {after}", f"({_signed(after - before)})" if after != before else "",
            f"{format_hours(p.old.hours)} -> {format_hours(p.new.hours)}",
            f"({_signed(p.new.hours - p.old.hours, 'h')})" if p.new.hours != p.old.hours else "")


def _offers(d: MapDiff) -> list:
    """Each step whose offered resources changed, once, whichever plans hold it (the offer is the step's own)."""
    seen, found = set(), []
    for p in d.plans:
        for change in p.offers_changed:
            if change[0] not in seen:
                seen.add(change[0])
                found.append(change)
    return found


def _plan_state(p: PlanDelta) -> str:
    if p.old is None:
        return "new"
    if p.new is None:
        return "removed"
    return "reordered" if p.reordered else ""


def _not_compared(d: MapDiff) -> str:
    """What was not compared: the plans, with the items of a file that could not be read."""
    if not d.unread:
        return "Plans"
    return "Nodes, edges and plans" if any(name.endswith("/nodes.yaml") for name in d.unread) else "Edges and plans"


def diff_text(d: MapDiff) -> str:
    """Return the diff for the terminal: the summary, then each section that has something."""
    lines = [f"{d.old} -> {d.new}: {summary(d)}"]
    for title, added, removed, changed, name in (
            ("Nodes", d.nodes_added, d.nodes_removed, d.nodes_changed, str),
            ("Edges", d.edges_added, d.edges_removed, d.edges_changed, _edge)):
        if not (added or removed or changed):
            continue
        lines += ["", f"{title}:"]
        for key, fields in added:
            lines.append(f"  + {_value(name(key), None)[1:-1]}" + _brief(fields))
        for key, fields in removed:
            lines.append(f"  - {_value(name(key), None)[1:-1]}" + _brief(fields))
        for change in changed:
            lines.append(f"  ~ {_value(name(change.key), None)[1:-1]}")
            for field, (before, after) in change.fields.items():
                lines.append(f"      {field}: {_shown(before)} -> {_shown(after)}")
    moved = [p for p in d.plans if p.changed]
    if d.plans_skipped:
        lines += ["", f"{_not_compared(d)}: not compared: {d.plans_skipped}"]
    if moved:
        lines += ["", "Plans:"]
        for p in moved:
            steps, more, spent, longer = _plan_numbers(p)
            state = _plan_state(p)
            lines.append(f"  {p.target} ({_value(p.name, None)[1:-1]}): "
                         + " ".join(x for x in (steps, ("step" if steps == "1" else "steps") + "," * (not more),
                                                more + "," * bool(more),
                                                spent, longer, f"[{state}]" if state else "") if x))
            if p.old and p.new:
                if p.gained:
                    lines.append(f"      gains: {', '.join(p.gained)}")
                if p.lost:
                    lines.append(f"      loses: {', '.join(p.lost)}")

    offers = _offers(d)
    if offers:
        lines += ["", "Resources offered, first choice first:"]
        lines += [f"  {step}: {', '.join(before) or '(nothing)'} -> {', '.join(after) or '(nothing)'}"
                  for step, before, after in offers]
    for title, items in (("Introduced by the change", d.introduced), ("Fixed by the change", d.fixed)):
        if items:
            lines += ["", f"{title}:"] + [f"  {x}" for x in items]
    return "\n".join(lines) + "\n"


def _shown(value) -> str:
    return "(none)" if value is None else _value(value)


def _brief(fields: dict) -> str:
    """A node's name, or an edge's relation, with its strength unless required and its any-of group: what an
    edge added or removed does to plans.

    >>> _brief({"relation": "theory-behind", "strength": "deepening"}), _brief({"name": "Ratios"})
    (' (theory-behind, deepening)', ' (Ratios)')
    """
    facts = [str(fields[k]) for k in ("name", "relation") if isinstance(fields.get(k), str)]
    if fields.get("strength") not in (None, "required", fields.get("relation")):
        facts.append(str(fields["strength"]))
    if fields.get("any_of") is not None:
        facts.append(f"any of {fields['any_of']}")
    return f" ({_value(', '.join(facts), 80)[1:-1]})" if facts else ""


def diff_markdown(d: MapDiff, max_chars: int | None = None) -> str:
    """Return the diff as Markdown for a pull request: summary, plan table, changes, problems.

    ``max_chars``: the most the text may hold (a GitHub comment holds 65,536 characters). The summary and
    the plans are always there, then as many problems and then node and edge changes as fit, and a
    line saying how many were left out.
    """
    lines = [f"### Map changes: {escape(summary(d))}", "",
             f"Comparing `{_code(d.old)}` with `{_code(d.new)}`."]
    moved = [p for p in d.plans if p.changed]
    if d.plans_skipped:
        subject = _not_compared(d).replace("Plans", "Study plans").replace(" plans", " study plans")
        lines += ["", f"{subject} not compared: {escape(d.plans_skipped)}."]
    if moved:
        lines += ["", "#### Study plans", "", "| plan | steps | hours | gains | loses |",
                  "| --- | --- | --- | --- | --- |"]
        for p in moved:
            steps, more, spent, longer = _plan_numbers(p)
            steps, spent = f"{steps} {more}".strip(), f"{spent} {longer}".strip()
            state = _plan_state(p)
            gains = ", ".join(escape(s) for s in p.gained) if p.old and p.new else ""
            loses = ", ".join(escape(s) for s in p.lost) if p.old and p.new else ""
            lines.append(f"| {escape(p.name)} ({escape(p.target)}){f' *{state}*' if state else ''} | {steps} | "
                         f"{spent} | {gains or '–'} | {loses or '–'} |")
        offers = _offers(d)
        if offers:
            lines += ["", "Resources offered, first choice first:", ""]
            lines += [f"- {escape(step)}: {escape(', '.join(before)) or '(nothing)'} → "
                      f"{escape(', '.join(after)) or '(nothing)'}" for step, before, after in offers]
    changes = []  # (section, one entry's lines)
    for title, added, removed, changed, name in (
            ("Nodes", d.nodes_added, d.nodes_removed, d.nodes_changed, str),
            ("Edges", d.edges_added, d.edges_removed, d.edges_changed, _edge)):
        for verb, items in (("added", added), ("removed", removed)):
            changes += [(title, f"- **{verb}** {escape(name(key))} {escape(_brief(fields))}".rstrip())
                        for key, fields in items]
        for change in changed:
            changes.append((title, "\n".join([f"- **changed** {escape(name(change.key))}"] + [
                f"  - {escape(field)}: {escape(_shown(before))} → {escape(_shown(after))}"
                for field, (before, after) in change.fields.items()])))
    problems = [(title, f"- {escape(str(x))}") for title, items in
                (("Problems introduced", d.introduced), ("Problems fixed", d.fixed)) for x in items]

    def text(kept_changes, kept_problems) -> str:
        body, section = list(lines), None
        for title, entry in kept_changes + kept_problems:
            if title != section:
                body += ["", f"#### {title}", ""]
                section = title
            body.append(entry)
        left = (len(changes) - len(kept_changes), len(problems) - len(kept_problems))
        if any(left):
            counts = [plural(n, what) for n, what in zip(left, ("change", "problem")) if n]
            body += ["", f"*Not shown: {' and '.join(counts)}, for this text to hold at most {max_chars:,} "
                         "characters; `graph diff` lists them all.*"]
        return "\n".join(body) + "\n"

    def most(items, fits) -> int:  # the most leading items that fit, by bisection
        low, high = 0, len(items)
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if fits(middle) else (low, middle - 1)
        return low

    whole = text(changes, problems)
    if max_chars is None or len(whole) <= max_chars:
        return whole
    shown = most(problems, lambda n: len(text([], problems[:n])) <= max_chars)
    kept = most(changes, lambda n: len(text(changes[:n], problems[:shown])) <= max_chars)
    return text(changes[:kept], problems[:shown])


def _code(text: str) -> str:
    return " ".join(str(text).split()).replace("`", "'")


def _plan_dict(p: PlanDelta) -> dict:
    def side(totals):
        return None if totals is None else {"steps": len(totals.steps), "hours": totals.hours,
                                            "steps_without_hours": totals.without_hours}

    return {"target": p.target, "name": p.name, "old": side(p.old), "new": side(p.new), "gained": p.gained,
            "lost": p.lost, "reordered": p.reordered,
            "offers_changed": [{"step": step, "old": before, "new": after} for step, before, after in p.offers_changed]}


def diff_json(d: MapDiff) -> str:
    """Return the diff as JSON: every section, plans (changed or not) and diagnostics."""
    def edge(key):
        return {"from": key[0], "to": key[1]}

    return dumps({
        "old": d.old,
        "new": d.new,
        "changed": d.changed,
        "nodes_added": [{"id": k, **f} for k, f in d.nodes_added],
        "nodes_removed": [{"id": k, **f} for k, f in d.nodes_removed],
        "nodes_changed": [{"id": c.key, "fields": {n: {"old": a, "new": b} for n, (a, b) in c.fields.items()}}
                          for c in d.nodes_changed],
        "edges_added": [{**edge(k), **f} for k, f in d.edges_added],
        "edges_removed": [{**edge(k), **f} for k, f in d.edges_removed],
        "edges_changed": [{**edge(c.key), "fields": {n: {"old": a, "new": b} for n, (a, b) in c.fields.items()}}
                          for c in d.edges_changed],
        "plans": [_plan_dict(p) for p in d.plans],
        "plans_skipped": d.plans_skipped or None,
        "unread": d.unread,
        "introduced": [x.to_dict() for x in d.introduced],
        "fixed": [x.to_dict() for x in d.fixed],
    })
