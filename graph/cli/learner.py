"""The learner's commands: the study plan (``order``), what to study ``next``, marking progress (``done``) and
the report of it (``progress``)."""

from __future__ import annotations

from pathlib import Path

import click

from .app import Session, command
from .options import (complete_ids, echo_json, echo_progress_warnings, format_option, known_options, output_format,
                      output_option, read_known, read_progress, resolve_id, split_ids, target_option, write_output)


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
@output_option()
@click.pass_obj
def order(session: Session, target, known, progress, include_recommended, strategy, hours_per_week, start, fmt,
          output) -> None:
    """The study plan to reach a target, prerequisites first; with --hours-per-week, week by week."""
    from ..plan import study_plan

    to_file = output not in (None, "-")
    asked = fmt
    fmt = output_format(output, fmt, _PLAN_SUFFIXES)
    if hours_per_week is None and (start is not None or fmt == "ics"):
        said = ("--start:" if start is not None else "--format ics:" if asked
                else f"--output: a {Path(output).suffix} file is a calendar, which")
        raise click.UsageError(f"{said} needs --hours-per-week (the weekly budget to schedule by)")
    if to_file:
        session.check_output(output, "--output")
    graph = session.read_only_graph
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
    from ..render.text import plural

    data = content.encode() if isinstance(content, str) else content
    write_output(output, data, "--output")
    when = f", {plural(schedule.weeks, 'week')} to {schedule.end.isoformat()}" if schedule and schedule.end else ""
    click.echo(f"wrote {output} ({fmt}: {plural(len(plan.steps), 'step')}{when}; {len(data):,} bytes)")


def _schedule(plan, hours_per_week: float, start):
    """Return ``plan`` over weeks of ``hours_per_week`` from ``start`` (today when not given)."""
    import datetime

    from ..schedule import ScheduleError, weekly_schedule

    try:
        return weekly_schedule(plan.steps, hours_per_week, start or datetime.date.today())
    except ScheduleError as exc:
        raise click.UsageError(f"--hours-per-week: {exc}: give more hours a week") from exc


_COURSE_SUFFIXES = {s: f for s, f in _PLAN_SUFFIXES.items() if f != "ics"}


@command()
@target_option(True, "The degree, topic or resource to reach.")
@known_options
@click.option("--include-recommended", is_flag=True, help="Also study what is only recommended.")
@click.option("--free", is_flag=True, help="Only free resources.")
@click.option("--parts", is_flag=True, help="Count a resource's parts that the plan needs, where the map gives "
                                            "their hours, rather than the whole resource.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]),
              help="text, markdown (a checklist) or json [default: from the --output file's extension, else text].")
@output_option()
@click.pass_obj
def courses(session: Session, target, known, progress, include_recommended, free, parts, fmt, output) -> None:
    """The resources to take to reach a target: those that teach every step some resource teaches, in the
    fewest hours, in the order each is first needed, and the steps no resource teaches.

    A resource counts its whole hours (a learner takes the course); with --parts, the hours of the parts
    it is taken for. Exact up to 40 candidate resources, else greedy (the output says which).
    """
    from ..courses import course_plan
    from ..plan import study_plan
    from ..render import courses as render
    from ..render.text import format_hours, plural

    to_file = output not in (None, "-")
    fmt = output_format(output, fmt, _COURSE_SUFFIXES)
    if to_file:
        session.check_output(output, "--output")
    graph = session.read_only_graph
    target = resolve_id(graph, target)
    learner = read_known(graph, known, progress)
    found = course_plan(graph, study_plan(graph, target, learner.ids, include_recommended), free=free, parts=parts)
    if fmt == "text":
        from ..render.style import PLAIN

        content = render.courses_text(found, PLAIN if to_file else session.style(), learner.note)
    else:
        content = {"json": render.courses_json, "markdown": render.courses_markdown}[fmt](found)
    if not to_file:
        session.echo(content, nl=False)
        return
    write_output(output, content.encode(), "--output")
    click.echo(f"wrote {output} ({fmt}: {plural(len(found.courses), 'resource')}, "
               f"{format_hours(found.total_hours)}; {len(content.encode()):,} bytes)")


@command(name="next")
@known_options
@target_option(False, "Only what is on the way to ID.")
@click.option("--include-recommended", is_flag=True, help="Count recommendations as prerequisites.")
@format_option("text", "json")
@click.pass_obj
def next_(session: Session, known, progress, target, include_recommended, fmt) -> None:
    """What you can study now: everything whose prerequisites you know."""
    from ..indexquery import startable
    from ..model import ordering_strengths
    from ..plan import known_closure, resources_for
    from ..progress import ProgressError
    from ..query import next_steps

    try:
        read = read_progress(progress)
    except ProgressError:  # raised below, where the whole map's command raises it
        read = None
    entries = [] if read is None or read[1] is None else [text for text, _ in read[1]]
    part = None if read is None else session.from_index(startable, target, split_ids(known), entries,
                                                        include_recommended)
    if part is not None:
        graph, target, among = part
    else:  # the whole map, read without NetworkX when it comes from the cache
        graph, among = session.read_only_graph, None
        target = resolve_id(graph, target) if target else None
    learner = read_known(graph, known, progress, read)
    known_set = known_closure(graph, learner.ids, ordering_strengths(True)) if include_recommended \
        else learner.closure
    found = next_steps(graph, known_set, target, include_recommended, among)
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


@command(name="progress")
@target_option(False, "The degree, topic or resource to report on [default: each degree of the map].")
@known_options
@click.option("--hours-per-week", type=float, metavar="N", callback=_hours_per_week,
              help="With --start: your weekly budget, to say whether you are ahead of its schedule or behind.")
@click.option("--start", metavar="YYYY-MM-DD", callback=_start_date,
              help="With --hours-per-week: the day you started (week 1 of the schedule).")
@click.option("--today", metavar="YYYY-MM-DD", callback=_start_date,
              help="The day to report as of [default: today].")
@format_option("text", "markdown", "json")
@click.pass_obj
def progress_command(session: Session, target, known, progress, hours_per_week, start, today, fmt) -> None:
    """How far you are: the plan's steps and hours you know, what is next, and whether you are on schedule.

    Counts as the page's progress bar does: the steps of the plan (for what you marked) still to
    study, and those the target needs that you know. With --hours-per-week and --start, the
    schedule of the whole plan from --start expects that many hours a week; says by how many hours
    (and days at that budget) you are ahead of it or behind, as of --today.
    """
    from ..lookup import select
    from ..schedule import ScheduleError
    from ..standing import standing

    if (hours_per_week is None) != (start is None):
        given, missing = ("--hours-per-week", "--start") if start is None else ("--start", "--hours-per-week")
        raise click.UsageError(f"{given}: needs {missing} too (the schedule to compare with)")
    graph = session.graph
    targets = [resolve_id(graph, target)] if target else select(graph, kind="degree")
    if not targets:
        raise click.UsageError("--target: the map has no degree to report on; give a target")
    learner = read_known(graph, known, progress)
    try:
        reports = [standing(graph, t, learner.ids, hours_per_week, start, today) for t in targets]
    except ScheduleError as exc:
        raise click.UsageError(f"--hours-per-week: {exc}: give more hours a week") from exc
    if fmt == "json":
        echo_json(session, {"progress": learner.progress, "known": learner.ids,
                            "targets": [r.to_dict() for r in reports]})
    elif fmt == "markdown":
        from ..render.standing import standing_markdown

        session.echo("\n".join(standing_markdown(r) for r in reports), nl=False)
    else:
        from ..render.standing import standing_text

        style = session.style()
        session.echo("\n".join(standing_text(r, style) for r in reports), nl=False)


@command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...", shell_complete=complete_ids)
@click.option("--progress", metavar="FILE", type=click.Path(dir_okay=False),
              help="The progress file to update [default: $GRAPH_PROGRESS, else progress.yaml in the current "
                   "folder, created there if missing]; it may live beside or inside the data folder.")
@click.option("--undo", is_flag=True, help="Unmark the ids, and every marked topic that needs one of them.")
@format_option("text", "json")
@click.pass_obj
def done(session: Session, ids, progress, undo, fmt) -> None:
    """Mark topics as known in your progress file, created if needed (written atomically, one writer at a time).

    The file records what you marked; you know a marked topic and all it needs. Says which ids were
    marked and which were already (with --undo: unmarked, or were not known). --undo ID unmarks ID
    and every marked topic that needs it, and marks nothing in their place, as unticking "I know
    this" in the page does; an id the map does not have is kept in the file (a warning says so)
    until --undo names it. A progress file that cannot be read exits 2 and is left as it was.
    """
    from ..marks import count_text, update_marks
    from ..plan import known_closure
    from ..progress import ProgressError, locate

    graph = session.graph
    location = locate(progress)
    _check_progress_target(session, location.path)
    try:
        change = update_marks(graph, location.path, split_ids(ids), undo=undo)
    except ProgressError as exc:
        exc.source = location.source
        raise
    except OSError as exc:
        raise click.ClickException(f"--progress: cannot write '{location.path}': {exc.strerror or exc}") from exc
    echo_progress_warnings(change.warnings, session.style(err=True))
    marked = [e for e in change.entries if e in graph]
    changed, unchanged = ("removed", "not_known") if undo else ("added", "already_known")
    if fmt == "json":
        extra = {"removed_with_them": change.dependents, "through": change.through} if undo else {}
        echo_json(session, {"progress": str(location.path), "created": change.created, changed: change.changed,
                            unchanged: change.unchanged, **extra, "known": change.entries,
                            "marked": len(marked), "known_with_what_they_need": len(known_closure(graph, marked))})
        return
    click.echo(f"{'created ' if change.created else ''}{location.path}: {_done_text(change, undo)}; "
               f"known: {count_text(graph, marked)}" + ("" if change.changed else " (unchanged)"))


def _done_text(change, undo: bool) -> str:
    """Say what ``graph done`` marked or unmarked (and through what), and what it left."""
    parts = []
    if change.changed and not undo:
        parts.append(f"marked {', '.join(change.changed)}")
    elif change.changed:
        direct = [i for i in change.changed if i not in change.through]
        text = f"unmarked {', '.join(direct or change.dependents)}"
        if direct and change.dependents:
            text += f" and what needs {'it' if len(direct) == 1 else 'them'}: {', '.join(change.dependents)}"
        parts.append(text)
        parts += [f"{node} was known through {', '.join(via)}" for node, via in change.through.items()]
    if change.unchanged:
        parts.append(f"{'was not known' if undo else 'already marked'}: {', '.join(change.unchanged)}")
    return "; ".join(parts)


def _check_progress_target(session: Session, path: Path) -> None:
    """Refuse a progress file that is one of the map's own files (a progress file may sit beside them)."""
    from ..load import EDGES_FILE, NODES_FILE

    data = session.data_dir.resolve()
    if path.resolve() in (data / NODES_FILE, data / EDGES_FILE):
        raise click.UsageError(f"--progress: '{path}' is one of the map's own files; name a file of your own")
