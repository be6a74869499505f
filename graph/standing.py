"""How far a learner is toward a target: the plan's steps and hours known, what is next, and the pace.

The plan is :func:`graph.plan.study_plan` for what the learner marked: its
steps are what is left, its skipped steps (what the target needs that is
known) what is done, so the whole is both ("12 of 40 steps, 97 of 516 h"),
as the page's progress bar counts it. Given a weekly budget and the day study
started, the schedule (:func:`graph.schedule.weekly_schedule`) of the whole
plan says when the target is due; by a day, it expects the budget's hours for
the days gone by (at most the plan's); the learner is ahead by what they know
beyond that, or behind by what is missing, in hours and in days of the budget.

>>> import networkx as nx
>>> from datetime import date
>>> g = nx.DiGraph()
>>> g.add_nodes_from([("a", {"name": "A", "hours": 10}), ("b", {"name": "B", "hours": 10}),
...                   ("c", {"name": "C", "hours": 20})])
>>> g.add_edges_from([("a", "b"), ("b", "c")], relation="prerequisite", strength="required")
>>> s = standing(g, "c", ["a"], hours_per_week=5, start=date(2025, 1, 1), today=date(2025, 1, 22))
>>> s.steps_known, s.steps_total, s.hours_known, s.hours_total, [step.id for step in s.next]
(1, 3, 10, 40, ['b'])
>>> s.pace.expected_hours, s.pace.ahead_hours, s.pace.ahead_days, s.pace.due.isoformat()
(15.0, -5.0, -7.0, '2025-02-25')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import networkx as nx

from .plan import Plan, Step, known_closure, study_plan
from .query import next_steps
from .schedule import weekly_schedule

__all__ = ["Pace", "Standing", "standing"]


@dataclass(frozen=True)
class Pace:
    """The learner against the schedule of the whole plan on ``today``: the hours it expects by then,
    how many hours (and days of the budget) the learner is ahead (negative: behind), the day the
    schedule reaches the target (``due``), and the day it would at this budget from today (``projected``)."""

    hours_per_week: float
    start: date
    today: date
    expected_hours: float
    ahead_hours: float
    ahead_days: float
    due: date | None
    projected: date | None

    def to_dict(self) -> dict:
        """Return the pace as a JSON-ready mapping."""
        return {"hours_per_week": self.hours_per_week, "start": self.start.isoformat(),
                "today": self.today.isoformat(), "expected_hours": self.expected_hours,
                "ahead_hours": self.ahead_hours, "ahead_days": self.ahead_days,
                "due": self.due.isoformat() if self.due else None,
                "projected": self.projected.isoformat() if self.projected else None}


@dataclass(frozen=True)
class Standing:
    """Where a learner stands toward ``plan.target``: the plan's steps and hours known of its whole,
    the steps that can be started now (``next``, in plan order), the ids marked and known, and the pace."""

    plan: Plan
    steps_known: int
    steps_total: int
    hours_known: float
    hours_total: float
    next: list[Step]
    marked: int
    known: int
    pace: Pace | None = None

    def to_dict(self) -> dict:
        """Return the standing as a JSON-ready mapping."""
        plan = self.plan
        return {"target": plan.target, "target_name": plan.target_name,
                "steps_known": self.steps_known, "steps_total": self.steps_total,
                "hours_known": self.hours_known, "hours_total": self.hours_total,
                "known_steps": plan.skipped, "marked": self.marked, "known_with_what_they_need": self.known,
                "next": [{"id": s.id, "name": s.name, "hours": s.hours} for s in self.next],
                "pace": self.pace.to_dict() if self.pace else None}


def standing(graph: nx.DiGraph, target, marked, hours_per_week: float | None = None, start: date | None = None,
             today: date | None = None) -> Standing:
    """Return where a learner who marked ``marked`` stands toward ``target``.

    With ``hours_per_week`` and ``start``, the :class:`Pace` on ``today``
    (today's date when not given). Raises :class:`~graph.errors.UnknownIdError`
    for unknown ids and :class:`~graph.schedule.ScheduleError` for a budget the
    schedule refuses.
    """
    plan = study_plan(graph, target, marked)
    totals = plan.totals()
    hours_known = sum(graph.nodes[n].get("hours") or 0 for n in plan.skipped)
    closure = known_closure(graph, marked)
    ready = set(next_steps(graph, closure, target))
    pace = None
    if hours_per_week is not None and start is not None:
        pace = _pace(graph, plan, hours_known, hours_per_week, start, today or date.today())
    return Standing(plan, len(plan.skipped), len(plan.skipped) + totals.steps, hours_known,
                    hours_known + totals.hours, [s for s in plan.steps if s.id in ready],
                    len(marked), len(closure), pace)


def _pace(graph, plan: Plan, hours_known: float, hours_per_week: float, start: date, today: date) -> Pace:
    known_steps = [Step(0, n, graph.nodes[n].get("name", n), graph.nodes[n].get("kind", "topic"),
                        graph.nodes[n].get("hours")) for n in plan.skipped]
    whole = weekly_schedule(known_steps + plan.steps, hours_per_week, start)
    total = hours_known + plan.totals().hours
    expected = min(total, max(0, (today - start).days) * hours_per_week / 7)
    ahead = hours_known - expected
    rest = weekly_schedule(plan.steps, hours_per_week, max(today, start))
    return Pace(hours_per_week, start, today, *_rounded(expected, ahead), round(ahead * 7 / hours_per_week, 1),
                whole.end, rest.end)


def _rounded(*hours: float) -> tuple:
    """Return ``hours`` to a hundredth, or where that would make one of them 0 that is not, all to the
    ten-thousandth that :func:`graph.render.text.format_hours` shows: on a budget of minutes a week, a
    hundredth made "the schedule expected 0 h" of 0.0005 h, and "on schedule" of 0.0009 h behind.

    >>> _rounded(7.142857, -2.5), _rounded(0.0109, -0.00086), _rounded(0.000526, 0.0095), _rounded(0.00001)
    ((7.14, -2.5), (0.0109, -0.0009), (0.0005, 0.0095), (0.0,))
    """
    places = 4 if any(h and not round(h, 2) for h in hours) else 2
    return tuple(round(h, places) for h in hours)
