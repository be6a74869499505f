"""Weekly schedules: a study plan laid out over the weeks of a weekly budget of hours.

Weeks are counted from the start date: week 1 is the start date and the six days
after it. The steps fill the weeks in plan order, each taking its hours out of the
budget: a step longer than what is left of its week runs on into the next ones.
A step is due on the last day of the week its hours run out; the target, the
plan's last step, is reached on its due date. A step without an hour estimate
takes no time (its slot is marked ``unestimated``, so that renderers can
say so); a degree is a goal and takes no time either.

Hours are counted in whole seconds, so decimal estimates (0.1 h, 1.5 h) add up
exactly and a step that ends on a week's last hour does not spill into the next.

>>> from datetime import date
>>> from graph.plan import Step
>>> steps = [Step(1, "a", "A", "topic", 6), Step(2, "b", "B", "topic", 12),
...          Step(3, "c", "C", "topic", None), Step(4, "goal", "Goal", "degree", None)]
>>> s = weekly_schedule(steps, 8, date(2025, 3, 3))
>>> [(t.first_week, t.last_week, t.due.isoformat()) for t in s.slots]
[(1, 1, '2025-03-09'), (1, 3, '2025-03-23'), (3, 3, '2025-03-23'), (3, 3, '2025-03-23')]
>>> s.weeks, s.end.isoformat(), s.without_hours
(3, '2025-03-23', ['c'])
>>> [(g.week, [t.step.id for t in g.slots]) for g in s.groups()]
[(1, ['a', 'b']), (3, ['c', 'goal'])]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

__all__ = ["MAX_HOURS_PER_WEEK", "MAX_YEARS", "Schedule", "ScheduleError", "Slot", "WeekGroup", "weekly_schedule"]

MAX_HOURS_PER_WEEK = 168  # the hours in a week
MAX_YEARS = 20  # a schedule past this is no plan to follow: it is refused
_SECONDS = 3600  # hours are counted in whole seconds


class ScheduleError(ValueError):
    """The budget cannot schedule the plan (not a positive number of hours, or past the calendar's end)."""


class Slot(NamedTuple):
    """Where one step of the plan falls: its first and last week (from 1) and the day it is due."""

    step: object  # the plan's Step
    first_week: int
    last_week: int
    due: date
    unestimated: bool = False  # the step gives no hours (and is not a degree): scheduled at 0 h

    @property
    def spans(self) -> int:
        """How many weeks the step runs over."""
        return self.last_week - self.first_week + 1


@dataclass(frozen=True, slots=True)
class WeekGroup:
    """The steps that start in one week, from its first day ``start`` to its last day ``end``."""

    week: int
    start: date
    end: date
    slots: list[Slot]


@dataclass(frozen=True)
class Schedule:
    """A plan over weeks: one :class:`Slot` per step, in plan order."""

    start: date
    hours_per_week: float
    slots: list[Slot]

    @property
    def without_hours(self) -> list[str]:
        """The ids of the steps that give no hours, scheduled at 0 h."""
        return [slot.step.id for slot in self.slots if slot.unestimated]

    @property
    def weeks(self) -> int:
        """How many weeks the plan takes (0 for an empty plan)."""
        return self.slots[-1].last_week if self.slots else 0

    @property
    def end(self) -> date | None:
        """The day the target is reached: the last step's due date (``None`` for an empty plan)."""
        return self.slots[-1].due if self.slots else None

    def week_start(self, week: int) -> date:
        """Return the first day of ``week`` (counted from 1)."""
        return self.start + timedelta(days=7 * (week - 1))

    def week_end(self, week: int) -> date:
        """Return the last day of ``week`` (counted from 1)."""
        return self.start + timedelta(days=7 * week - 1)

    def groups(self) -> list[WeekGroup]:
        """Return the steps grouped by the week they start in, in plan order.

        A week inside a long step, where no step starts, has no group: the step runs over it.
        """
        groups: list[WeekGroup] = []
        for slot in self.slots:
            if groups and groups[-1].week == slot.first_week:
                groups[-1].slots.append(slot)
            else:
                week = slot.first_week
                groups.append(WeekGroup(week, self.week_start(week), self.week_end(week), [slot]))
        return groups


def weekly_schedule(steps: Sequence, hours_per_week: float, start: date) -> Schedule:
    """Return ``steps`` (a plan's, in order) laid out over weeks of ``hours_per_week`` from ``start``.

    Linear in the number of steps. Raises :class:`ScheduleError` when
    ``hours_per_week`` is not a number in (0, 168], or when the schedule would
    run past :data:`MAX_YEARS` years (or the last day the calendar holds).

    >>> from graph.plan import Step
    >>> weekly_schedule([Step(1, "a", "A", "topic", 1)], 0, date(2025, 1, 1))
    Traceback (most recent call last):
    ...
    graph.schedule.ScheduleError: hours per week must be more than 0 and at most 168, not 0
    >>> weekly_schedule([Step(1, "a", "A", "topic", 2000)], 1.5, date(2025, 1, 1))
    Traceback (most recent call last):
    ...
    graph.schedule.ScheduleError: the schedule would run past 20 years (step 1, a, ends in week 1,334, on 2050-07-26)
    """
    if not (isinstance(hours_per_week, (int, float)) and 0 < hours_per_week <= MAX_HOURS_PER_WEEK):
        raise ScheduleError(f"hours per week must be more than 0 and at most {MAX_HOURS_PER_WEEK}, "
                            f"not {hours_per_week}")
    budget = _seconds(hours_per_week)
    if not budget:
        raise ScheduleError(f"hours per week must be at least a second, not {hours_per_week}")
    last_day = (date.max - start).days  # the most days the calendar holds after the start
    years = _years_later(start, MAX_YEARS)
    limit = min(last_day, (years - start).days if years else last_day)
    slots, elapsed, due_week, due = [], 0, None, None
    add = slots.append
    for step in steps:
        hours = step.hours
        length = 0 if hours is None else _seconds(hours)
        if length:
            first, last = elapsed // budget, (elapsed + length - 1) // budget
        else:  # no time: done with the step before it, in the week that one ends
            first = last = max(elapsed - 1, 0) // budget
        elapsed += length
        if last != due_week:  # steps due in the same week share its last day
            days = 7 * last + 6
            if days > limit:
                where = f"step {step.number}, {step.id}, ends in week {last + 1:,}"
                if limit == last_day:
                    raise ScheduleError(f"the schedule runs past {date.max.isoformat()} ({where})")
                raise ScheduleError(f"the schedule would run past {MAX_YEARS} years ({where}, "
                                    f"on {(start + timedelta(days=days)).isoformat()})")
            due_week, due = last, start + timedelta(days=days)
        add(Slot(step, first + 1, last + 1, due, step.unestimated))
    return Schedule(start, hours_per_week, slots)


def _years_later(day: date, years: int) -> date | None:
    """Return the same day ``years`` later (28 February for 29 February), or None past the calendar's end."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        if day.year + years > date.max.year:
            return None
        return day.replace(year=day.year + years, day=28)


def _seconds(hours) -> int:
    seconds = hours * _SECONDS
    if not math.isfinite(seconds):
        raise ScheduleError(f"{hours} hours is too long to schedule")
    return round(seconds)
