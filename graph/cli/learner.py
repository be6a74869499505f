"""The learner's commands: the study plan (``order``), what to study ``next``, and marking progress (``done``)."""

from __future__ import annotations

from pathlib import Path

import click

from .app import Session, command
from .options import (complete_ids, echo_json, format_option, known_options, read_known, resolve_id, split_ids,
                      target_option, write_output)


_PLAN_FORMATS = click.Choice(["text", "markdown", "json", "ics"])
_PLAN_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".json": "json", ".ics": "ics",
                  ".ical": "ics"}


def _hours_per_week(ctx, param, value):
    from ..schedule import MAX_HOURS_PER_WEEK

    if value is not None and not 0 < value <= MAX_HOURS_PER_WEEK:  # NaN fails too
        raise click.BadParameter(f"must be more than 0 and at most {MAX_HOURS_PER_WEEK} (the hours in a week), "
                                 f"not {value:g}", ctx, param)
    return int(value) if value is not None and value.is_integer() else value  # 8, not 8.0, in JSON


def _start_date(ctx, param, value):
    import datetime

    if value is None:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date: use YYYY-MM-DD, for example 2025-03-03", ctx,
                                 param) from None


@command()
@target_option(True, "The degree, topic or resource to reach.")
@known_options
@click.option("--include-recommended", is_flag=True, help="Also study what is only recommended.")
@click.option("--strategy", type=click.Choice(["depth", "levels"]), default="depth", show_default=True,
              help="depth: each prerequisite right before what first needs it; levels: in numbered waves.")
@click.option("--hours-per-week", type=float, metavar="N", callback=_hours_per_week,
              help="Lay the plan over weeks of N hours (0 < N <= 168): each step gets its weeks and due date.")
@click.option("--start", metavar="YYYY-MM-DD", callback=_start_date,
              help="With --hours-per-week: the first day of week 1 [default: today].")
@click.option("--format", "fmt", type=_PLAN_FORMATS,
              help="text, markdown (a checklist), json, or ics (an iCalendar file, one event per step; needs "
                   "--hours-per-week) [default: from the --output file's extension, else text].")
@click.option("--output", "-o", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write to FILE (atomically; never inside the data folder) instead of standard output.")
@click.pass_obj
def order(session: Session, target, known, progress, include_recommended, strategy, hours_per_week, start, fmt,
          output) -> None:
    """The study plan to reach a target, prerequisites first; with --hours-per-week, week by week."""
    from ..plan import study_plan

    to_file = output not in (None, "-")
    fmt = fmt or (_PLAN_SUFFIXES.get(Path(output).suffix.lower(), "text") if to_file else "text")
    if hours_per_week is None:
        for option, given in (("--start", start is not None), ("--format ics", fmt == "ics")):
            if given:
                raise click.UsageError(f"{option}: needs --hours-per-week (the weekly budget to schedule by)")
    if to_file:
        session.check_output(output, "--output")
    graph = session.graph
    target = resolve_id(graph, target)
    learner = read_known(graph, known, progress)
    plan = study_plan(graph, target, learner.ids, include_recommended, strategy)
    schedule = _schedule(plan, hours_per_week, start) if hours_per_week is not None else None
    if fmt == "ics":
        if not plan.steps:
            click.echo(f"Nothing to study: {target} is already known; no calendar written.", err=True)
            return
        from ..render.ics import plan_ics

        content = plan_ics(plan, schedule)
    elif fmt == "text":
        from ..render.style import PLAIN
        from ..render.text import plan_text

        content = plan_text(plan, schedule, PLAIN if to_file else session.style(), learner.note)
    else:
        from ..render import json, markdown

        content = {"json": json.plan_json, "markdown": markdown.plan_markdown}[fmt](plan, schedule)
    if not to_file:
        session.echo(content, nl=False)
        return
    data = content.encode() if isinstance(content, str) else content
    write_output(output, data, "--output")
    when = f", {schedule.weeks:,} weeks to {schedule.end.isoformat()}" if schedule and schedule.end else ""
    click.echo(f"wrote {output} ({fmt}: {len(plan.steps):,} steps{when}; {len(data):,} bytes)")


def _schedule(plan, hours_per_week: float, start):
    """Return ``plan`` over weeks of ``hours_per_week`` from ``start`` (today when not given)."""
    import datetime

    from ..schedule import ScheduleError, weekly_schedule

    try:
        return weekly_schedule(plan.steps, hours_per_week, start or datetime.date.today())
    except ScheduleError as exc:
        raise click.UsageError(f"--hours-per-week: {exc}: give more hours a week") from exc


@command(name="next")
@known_options
@target_option(False, "Only what is on the way to ID.")
@click.option("--include-recommended", is_flag=True, help="Count recommendations as prerequisites.")
@format_option("text", "json")
@click.pass_obj
def next_(session: Session, known, progress, target, include_recommended, fmt) -> None:
    """What you can study now: everything whose prerequisites you know."""
    from ..model import ordering_strengths
    from ..plan import known_closure, resources_for
    from ..query import next_steps

    graph = session.graph
    target = resolve_id(graph, target) if target else None
    learner = read_known(graph, known, progress)
    known_set = known_closure(graph, learner.ids, ordering_strengths(include_recommended))
    found = next_steps(graph, known_set, target, include_recommended)
    resources = {n: resources_for(graph, n) for n in found}
    outside = _outside_the_plan(graph, target, learner.ids, include_recommended, found) if target else {}
    if fmt == "json":
        echo_json(session, {"target": target, "known": learner.ids, "progress": learner.progress, "next": [
            {"id": n, "name": graph.nodes[n].get("name", n), "kind": graph.nodes[n].get("kind"),
             "hours": graph.nodes[n].get("hours"), "discontinued": graph.nodes[n].get("discontinued") is True,
             "in_plan": (n not in outside) if target else None, "alternative_to": outside.get(n),
             "resources": resources[n]} for n in found]})
    else:
        from ..render.text import next_text

        session.echo(next_text(graph, found, resources, session.style(), learner.note, outside), nl=False)


def _outside_the_plan(graph, target, known, include_recommended, found) -> dict:
    """Of ``found`` (what can be started toward ``target``), those its plan does not take: each
    alternative with the one the plan takes instead, the rest (needed only by such) with None."""
    from ..plan import study_plan

    plan = study_plan(graph, target, known, include_recommended)
    steps = {s.id for s in plan.steps}
    instead = {m: c["picked"] for s in plan.steps for c in s.choices for m in c["alternatives"]}
    return {n: instead.get(n) for n in found if n not in steps}


@command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...", shell_complete=complete_ids)
@click.option("--progress", metavar="FILE", type=click.Path(dir_okay=False),
              help="The progress file to update [default: $GRAPH_PROGRESS, else progress.yaml in the current "
                   "folder]; it may live beside or inside the data folder.")
@click.option("--undo", is_flag=True, help="Remove the ids instead.")
@format_option("text", "json")
@click.pass_obj
def done(session: Session, ids, progress, undo, fmt) -> None:
    """Mark topics as known in your progress file, created if needed (written atomically, one writer at a time).

    Says which ids were added and which were already known (with --undo: removed, or were not known).
    With --undo, what needs a removed id goes too, and what they needed stays known, as unticking
    "I know this" in the page does. An existing progress file that cannot be read exits 2.
    """
    from ..lookup import resolve_all
    from ..progress import ProgressError, locate, update_progress

    graph = session.graph
    ids = resolve_all(graph, split_ids(ids))
    location = locate(progress)
    _check_progress_target(session, location.path)
    try:
        update = update_progress(location.path, ids, remove=undo, **_forgetting(graph))
    except ProgressError as exc:
        exc.source = location.source
        raise
    except OSError as exc:
        raise click.ClickException(f"--progress: cannot write '{location.path}': {exc.strerror or exc}") from exc
    changed, unchanged = ("removed", "not_known") if undo else ("added", "already_known")
    if fmt == "json":
        extra = {"removed_with_them": update.dependents, "kept": update.kept} if undo else {}
        echo_json(session, {"progress": str(location.path), changed: update.changed, unchanged: update.unchanged,
                        **extra, "known": update.known})
        return
    parts = [f"{changed} {', '.join(update.changed)}"] if update.changed else []
    if update.dependents:
        parts[0] += f" and what needs {'it' if len(update.changed) == 1 else 'them'}: {', '.join(update.dependents)}"
    if update.kept:
        parts.append(f"still known: {', '.join(update.kept)}")
    if update.unchanged:
        parts.append(f"{'was not known' if undo else 'already known'}: {', '.join(update.unchanged)}")
    click.echo(f"{location.path}: {'; '.join(parts)}; known: {len(update.known)}"
               + ("" if update.changed else " (unchanged)"))


def _forgetting(graph) -> dict:
    """How ``done --undo`` forgets on this map: an id known through what needs it goes with that."""
    from ..plan import forget, known_closure

    def known_now(ids):
        closure = known_closure(graph, [i for i in ids if i in graph])
        return [n for n in graph if n in closure] + [i for i in ids if i not in graph]

    return {"forget": lambda marked, ids: forget(graph, marked, ids), "known_now": known_now}


def _check_progress_target(session: Session, path: Path) -> None:
    """Refuse a progress file that is one of the map's own files (a progress file may sit beside them)."""
    from ..load import EDGES_FILE, NODES_FILE

    data = session.data_dir.resolve()
    if path.resolve() in (data / NODES_FILE, data / EDGES_FILE):
        raise click.UsageError(f"--progress: '{path}' is one of the map's own files; name a file of your own")
