"""iCalendar (RFC 5545) rendering of a scheduled plan: one all-day event per step.

The file is written by the ``icalendar`` library, which escapes every text value
and folds long lines; control characters, which RFC 5545 does not allow in text,
are replaced before they reach it. The output depends only on the plan and the
schedule: each event's UID is made of the step's and the target's ids (so a
calendar re-importing a later schedule of the same plan updates its events rather
than doubling them) and its DTSTAMP is the schedule's start, never the clock.

A step with hours runs from the first day of its first week to the last day of
its last week; a step that takes no time (a degree, a step without an estimate)
is one day, its due date.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from ..plan import Plan
from ..schedule import Schedule
from ..validate import is_web_url
from .text import due_phrase, format_hours, resource_line

__all__ = ["plan_ics"]

PRODID = "-//graph-explorer//study plan//EN"

# C0 and C1 controls other than tab and line feed (RFC 5545 TEXT allows neither CONTROL nor a bare CR).
_CONTROLS = {c: "\ufffd" for c in (*range(0x20), *range(0x7F, 0xA0)) if c not in (0x09, 0x0A)}


def _clean(text) -> str:
    """Return ``text`` on one line with any control character replaced by U+FFFD."""
    return " ".join(str(text).split()).translate(_CONTROLS)


def plan_ics(plan: Plan, schedule: Schedule) -> bytes:
    """Return the scheduled plan as an iCalendar file (bytes, CRLF line ends).

    >>> from datetime import date
    >>> from graph.plan import Step
    >>> from graph.schedule import weekly_schedule
    >>> steps = [Step(1, "a", "A; b, c", "topic", 10), Step(2, "t", "T", "degree", None)]
    >>> plan = Plan("t", "T", steps, [], [], [], False, "depth")
    >>> text = plan_ics(plan, weekly_schedule(steps, 8, date(2025, 3, 3))).decode()
    >>> [line for line in text.splitlines() if line.startswith(("SUMMARY", "DTSTART", "DTEND", "UID"))]
    ['SUMMARY:Step 1/2: A\\\\; b\\\\, c', 'DTSTART;VALUE=DATE:20250303', 'DTEND;VALUE=DATE:20250317', \
'UID:a.t@graph-explorer', 'SUMMARY:Step 2/2: T (the target)', 'DTSTART;VALUE=DATE:20250316', \
'DTEND;VALUE=DATE:20250317', 'UID:t.t@graph-explorer']
    """
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _clean(f"Study plan: {plan.target_name}"))
    stamp = datetime.combine(schedule.start, time(0), timezone.utc)
    total = len(schedule.slots)
    one_day = timedelta(days=1)
    for slot in schedule.slots:
        step = slot.step
        event = Event()
        event.add("uid", _clean(f"{step.id}.{plan.target}@graph-explorer"))
        event.add("dtstamp", stamp)
        takes_time = bool(step.hours)
        event.add("dtstart", schedule.week_start(slot.first_week) if takes_time else slot.due)
        event.add("dtend", slot.due + one_day)
        target = " (the target)" if step.id == plan.target else ""
        event.add("summary", _clean(f"Step {step.number}/{total}: {step.name}{target}"))
        event.add("description", _description(step, slot))
        url = _link(step)
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")  # study time is not a meeting: it does not mark the days busy
        calendar.add_component(event)
    return calendar.to_ical()


def _link(step) -> str | None:
    """Return the http(s) address to open for a step: a resource's own, else where its first resource lives now."""
    if step.kind == "resource":
        candidates = (step.url,)
    else:
        first = step.resources[0] if step.resources else {}
        candidates = (first.get("current_url"), first.get("url"))
    return next((url for url in candidates if is_web_url(url)), None)


def _description(step, slot) -> str:
    soft = ", recommended" if step.recommended else ""
    lines = [f"{format_hours(step.hours)}{soft}, {due_phrase(slot)}."]
    if step.summary:
        lines.append(_clean(step.summary))
    lines.extend(_clean(f"{'Learn with' if i == 0 else 'Or'}: {resource_line(r)}")
                 for i, r in enumerate(step.resources))
    return "\n".join(lines)
