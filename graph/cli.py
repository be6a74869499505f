"""The ``graph`` command line: thin click commands over the library."""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
import threading
from pathlib import Path

import click

from . import __version__
from .errors import DataError, UnknownIdError

_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
class Session:
    """What every command shares: the data folder and how to load it."""

    def __init__(self, data_option: str | None, use_cache: bool):
        self.data_option = data_option
        self.use_cache = use_cache
        self._loaded = None

    @property
    def data_dir(self) -> Path:
        """The data folder in use."""
        from .load import resolve_data_dir

        folder = resolve_data_dir(self.data_option)
        if not folder.is_dir():
            source = "--data" if self.data_option else "GRAPH_DATA" if os.environ.get("GRAPH_DATA") else "bundled map"
            raise click.UsageError(f"{source}: folder '{folder}' does not exist")
        return folder

    def load(self, **options):
        """Load the data folder (diagnostics included, errors or not)."""
        from .load import load

        loaded = load(self.data_dir, use_cache=self.use_cache, **options)
        gc.freeze()  # the graph lives as long as the process: later collections need not walk it
        return loaded

    def check_output(self, path: str | Path, option: str = "--out") -> Path:
        """Return ``path``, or stop with a usage error if it lies inside the data folder."""
        data = self.data_dir.resolve()
        # Where the file is written (a temporary file in its folder, renamed to its name) and, for a
        # symbolic link, where it points.
        written = Path(path).parent.resolve() / Path(path).name
        if any(t == data or data in t.parents for t in (written, Path(path).resolve())):
            raise click.UsageError(f"{option}: '{path}' is inside the data folder '{self.data_dir}'; "
                                   "the tool never writes there")
        return Path(path)

    @property
    def graph(self):
        """The valid graph; on data errors, print them and exit 1."""
        if self._loaded is None:
            self._loaded = self.load()
        if self._loaded.errors:
            raise DataError(self._loaded.diagnostics)
        return self._loaded.graph


class _Group(click.Group):
    """Turns the errors a user can cause into messages and exit codes, never tracebacks."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DataError as exc:
            for d in exc.diagnostics:
                if d.level == "error":
                    click.echo(str(d), err=True)
            from .load import EDGES_FILE, NODES_FILE

            in_data = any(Path(d.path).name in (NODES_FILE, EDGES_FILE) for d in exc.diagnostics)
            click.echo(f"graph: {exc}" + (" (run 'graph validate' for details)" if in_data else ""), err=True)
            ctx.exit(1)
        except UnknownIdError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except OSError as exc:
            where = f" '{exc.filename}'" if exc.filename else ""
            click.echo(f"graph: cannot access{where}: {exc.strerror or exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("graph: interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # a bug: say so in one line rather than a traceback
            click.echo(f"graph: internal error ({type(exc).__name__}: {exc}); please report it with the "
                       "command and data that caused it (set GRAPH_DEBUG=1 for the traceback)", err=True)
            if os.environ.get("GRAPH_DEBUG"):
                raise
            ctx.exit(3)

    def main(self, args=None, *rest, **options):
        """Run the command line; started from a shell (no ``args``), end the process once done.

        Freeing a large graph object by object at exit takes longer than a query
        on it (half a second on 100,000 nodes), so once the exit handlers have run
        and the output is flushed, the process ends with ``os._exit``. Called with
        ``args`` (scripts, tests), or with other threads running, it ends as click does.

        The cyclic garbage collector is off for the whole run: a command makes
        millions of objects and almost no reference cycles, and the collector
        would walk them again and again (a sixth of a large plan's time).
        """
        if args is not None or rest or not options.get("standalone_mode", True):
            return super().main(args, *rest, **options)
        gc.disable()
        try:
            return super().main(args, **options)
        except SystemExit as exc:
            code = exc.code
            if not (code is None or type(code) is int) or threading.active_count() > 1:
                raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed or broken stream: leave it to the usual exit
            sys.exit(code)
        atexit._run_exitfuncs()
        os._exit(code or 0)


@click.group(cls=_Group, context_settings=_SETTINGS)
@click.option("--data", "data_option", metavar="DIR",
              help="Data folder with nodes.yaml and edges.yaml (default: $GRAPH_DATA, ./data, the bundled map).")
@click.option("--no-cache", is_flag=True, help="Always parse the YAML; do not read or write the cache.")
@click.version_option(__version__, prog_name="graph")
@click.pass_context
def main(ctx: click.Context, data_option: str | None, no_cache: bool) -> None:
    """Explore a map of what to learn before what."""
    ctx.obj = Session(data_option, use_cache=not no_cache)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--redundant/--no-redundant", default=None,
              help="Force the redundant-edge check on or off (default: on up to 20,000 nodes).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.pass_obj
def validate(session: Session, fmt: str, redundant: bool | None, quiet: bool) -> None:
    """Check the data; exit 1 if it has errors.

    Prints every problem as PATH:LINE: LEVEL: MESSAGE. Warnings do not fail.
    """
    from .validate import REDUNDANT_LIMIT

    limit = {None: REDUNDANT_LIMIT, True: None, False: -1}[redundant]
    loaded = session.load(redundant_limit=limit)
    shown = [d for d in loaded.diagnostics if not (quiet and d.level != "error")]
    graph = loaded.graph
    if fmt == "json":
        click.echo(json.dumps({
            "data": str(loaded.data_dir),
            "valid": not loaded.errors,
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "diagnostics": [d.to_dict() for d in shown],
        }, indent=2, ensure_ascii=False))
    else:
        for d in shown:
            click.echo(str(d))
        errors, warnings = len(loaded.errors), len(loaded.warnings)
        verdict = _count(errors, "error") if errors else "valid"
        click.echo(f"{loaded.data_dir}: {_count(graph.number_of_nodes(), 'node')}, "
                   f"{_count(graph.number_of_edges(), 'edge')}: {verdict}, {_count(warnings, 'warning')}",
                   err=bool(errors))
    sys.exit(1 if loaded.errors else 0)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'s' * (n != 1)}"


def _split_ids(values) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _known(session: Session, graph, known: tuple, progress: str | None) -> list[str]:
    """Return the known ids from ``--known`` and ``--progress``, checked against the graph."""
    from .errors import Diagnostic, did_you_mean
    from .plan import check_ids
    from .progress import read_progress_lines

    ids = _split_ids(known)
    check_ids(graph, ids)
    if progress:
        problems = []
        for node, line in read_progress_lines(progress):
            if node in graph:
                ids.append(node)
            else:
                problems.append(Diagnostic(progress, line, "error", f"unknown id '{node}'{did_you_mean(node, graph)}"))
        if problems:
            raise DataError(problems)
    return ids


def _known_options(command):
    command = click.option("--progress", metavar="FILE", envvar="GRAPH_PROGRESS",
                           type=click.Path(dir_okay=False),
                           help="YAML file listing what you know ('known: [ids]'); default $GRAPH_PROGRESS.")(command)
    return click.option("--known", multiple=True, metavar="IDS",
                        help="Ids you already know, with what they need (repeatable, comma-separated).")(command)


_FORMAT = click.Choice(["text", "markdown", "json", "ics"])
_PLAN_SUFFIXES = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".json": "json", ".ics": "ics",
                  ".ical": "ics"}


def _hours_per_week(ctx, param, value):
    from .schedule import MAX_HOURS_PER_WEEK

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


@main.command()
@click.option("--target", "-t", required=True, metavar="ID", help="The degree, topic or resource to reach.")
@_known_options
@click.option("--include-recommended", is_flag=True, help="Also study what is only recommended.")
@click.option("--strategy", type=click.Choice(["depth", "levels"]), default="depth", show_default=True,
              help="depth: each prerequisite right before what first needs it; levels: in waves.")
@click.option("--hours-per-week", type=float, metavar="N", callback=_hours_per_week,
              help="Lay the plan over weeks of N hours (0 < N <= 168): each step gets its weeks and due date.")
@click.option("--start", metavar="YYYY-MM-DD", callback=_start_date,
              help="With --hours-per-week: the first day of week 1 [default: today].")
@click.option("--format", "fmt", type=_FORMAT,
              help="text, markdown (a checklist), json, or ics (an iCalendar file, one event per step; needs "
                   "--hours-per-week) [default: from the --output file's extension, else text].")
@click.option("--output", "-o", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write to FILE (atomically; never inside the data folder) instead of standard output.")
@click.pass_obj
def order(session: Session, target, known, progress, include_recommended, strategy, hours_per_week, start, fmt,
          output) -> None:
    """The study plan to reach a target, prerequisites first; with --hours-per-week, week by week."""
    from .plan import study_plan

    to_file = output not in (None, "-")
    fmt = fmt or (_PLAN_SUFFIXES.get(Path(output).suffix.lower(), "text") if to_file else "text")
    if hours_per_week is None:
        for option, given in (("--start", start is not None), ("--format ics", fmt == "ics")):
            if given:
                raise click.UsageError(f"{option}: needs --hours-per-week (the weekly budget to schedule by)")
    if to_file:
        session.check_output(output, "--output")
    graph = session.graph
    plan = study_plan(graph, target, _known(session, graph, known, progress), include_recommended, strategy)
    schedule = _schedule(plan, hours_per_week, start) if hours_per_week is not None else None
    if fmt == "ics":
        if not plan.steps:
            click.echo(f"Nothing to study: {target} is already known; no calendar written.", err=True)
            return
        from .render.ics import plan_ics

        content = plan_ics(plan, schedule)
    else:
        from .render import json, markdown, text

        render = {"json": json.plan_json, "markdown": markdown.plan_markdown, "text": text.plan_text}[fmt]
        content = render(plan, schedule)
    if not to_file:
        click.echo(content, nl=False)
        return
    from .output import write_atomic

    data = content.encode() if isinstance(content, str) else content
    try:
        write_atomic(output, data)
    except OSError as exc:
        raise click.ClickException(f"--output: cannot write '{output}': {exc.strerror or exc}") from exc
    when = f", {schedule.weeks:,} weeks to {schedule.end.isoformat()}" if schedule and schedule.end else ""
    click.echo(f"wrote {output} ({fmt}: {len(plan.steps):,} steps{when}; {len(data):,} bytes)")


def _schedule(plan, hours_per_week: float, start):
    """Return ``plan`` over weeks of ``hours_per_week`` from ``start`` (today when not given)."""
    import datetime

    from .schedule import ScheduleError, weekly_schedule

    try:
        return weekly_schedule(plan.steps, hours_per_week, start or datetime.date.today())
    except ScheduleError as exc:
        raise click.UsageError(f"--hours-per-week: {exc}: give more hours a week") from exc


def _related_command(name: str, reverse: bool, key: str, doc: str):
    @main.command(name=name, help=doc)
    @click.argument("node_id", metavar="ID")
    @click.option("--depth", type=click.IntRange(min=0), default=None, help="Follow at most N edges.")
    @click.option("--include-recommended", is_flag=True, help="Follow recommendations too.")
    @click.option("--format", "fmt", type=click.Choice(["tree", "list", "json"]), default="tree",
                  show_default=True)
    @click.pass_obj
    def command(session: Session, node_id, depth, include_recommended, fmt) -> None:
        from . import query

        graph = session.graph
        if fmt == "tree":
            from .render.text import tree_lines

            rows = query.tree(graph, node_id, reverse=reverse, depth=depth, include_recommended=include_recommended)
            _echo_lines(tree_lines(graph, rows))
            return
        find = query.dependents if reverse else query.prerequisites
        ids = find(graph, node_id, depth=depth, include_recommended=include_recommended)
        if fmt == "json":
            from .render.json import related_json

            click.echo(related_json(graph, node_id, key, ids, depth), nl=False)
        else:
            from .render.text import list_text

            click.echo(list_text(graph, ids), nl=False)

    return command


def _echo_lines(lines, batch: int = 4096) -> None:
    """Print lines as they come, a batch at a time: a deep tree can run to hundreds of megabytes."""
    import itertools

    lines = iter(lines)
    while chunk := "".join(itertools.islice(lines, batch)):
        click.echo(chunk, nl=False)


prereqs = _related_command("prereqs", False, "prerequisites",
                           "Everything ID needs, as a tree (a subtree shown before is marked (*)) or a list "
                           "in study order.")
dependents = _related_command("dependents", True, "dependents",
                              "Everything that builds on ID, as a tree or a list.")


@main.command()
@click.argument("source", metavar="A")
@click.argument("target", metavar="B")
@click.option("--all", "all_paths", is_flag=True, help="Every path, shortest first (bounded by --limit).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="At most this many paths with --all.")
@click.option("--include-recommended", is_flag=True, help="Follow recommendations too.")
@click.option("--through-resources", is_flag=True, help="Let a path run through a resource (what it needs, "
                                                        "what it teaches).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def path(session: Session, source, target, all_paths, limit, include_recommended, through_resources, fmt) -> None:
    """Why A is needed for B: the chain of required edges from A to B, with relations and reasons."""
    from .query import paths

    graph = session.graph
    found = paths(graph, source, target, limit if all_paths else 1, include_recommended, through_resources)
    if fmt == "json":
        from .render.json import paths_json

        click.echo(paths_json(graph, source, target, found), nl=False)
    elif found:
        from .render.text import paths_text

        click.echo(paths_text(graph, found), nl=False)
    if not found:
        reverse = paths(graph, target, source, 1, include_recommended, through_resources)
        hint = f" (but {target} leads to {source}: try 'graph path {target} {source}')" if reverse else ""
        click.echo(f"no path from {source} to {target}: {source} is not needed for {target}{hint}", err=True)
        sys.exit(1)


@main.command(name="next")
@_known_options
@click.option("--target", "-t", metavar="ID", help="Only what is on the way to ID.")
@click.option("--include-recommended", is_flag=True, help="Count recommendations as prerequisites.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def next_(session: Session, known, progress, target, include_recommended, fmt) -> None:
    """What you can study now: everything whose prerequisites you know."""
    from .model import ordering_strengths
    from .plan import known_closure, resources_for
    from .query import next_steps

    graph = session.graph
    known_set = known_closure(graph, _known(session, graph, known, progress), ordering_strengths(include_recommended))
    found = next_steps(graph, known_set, target, include_recommended)
    resources = {n: resources_for(graph, n) for n in found}
    if fmt == "json":
        from .render.json import dumps

        click.echo(dumps({"target": target, "known": len(known_set), "next": [
            {"id": n, "name": graph.nodes[n].get("name", n), "kind": graph.nodes[n].get("kind"),
             "hours": graph.nodes[n].get("hours"), "resources": resources[n]} for n in found]}), nl=False)
    else:
        from .render.text import next_text

        click.echo(next_text(graph, found, resources), nl=False)


@main.command()
@click.argument("node_id", metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def show(session: Session, node_id, fmt) -> None:
    """A node in full: fields, resources, prerequisites and dependents with reasons."""
    from .plan import check_ids, resources_for

    graph = session.graph
    check_ids(graph, [node_id])
    resources = resources_for(graph, node_id)
    if fmt == "json":
        from .render.json import node_json as render
    else:
        from .render.text import node_text as render
    click.echo(render(graph, node_id, resources), nl=False)


@main.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option("--progress", metavar="FILE", envvar="GRAPH_PROGRESS", default="progress.yaml", show_default=True,
              type=click.Path(dir_okay=False), help="The progress file to update (default $GRAPH_PROGRESS).")
@click.option("--undo", is_flag=True, help="Remove the ids instead.")
@click.pass_obj
def done(session: Session, ids, progress, undo) -> None:
    """Mark topics as known in your progress file (written atomically)."""
    from .plan import check_ids
    from .progress import read_progress, write_progress

    graph = session.graph
    ids = _split_ids(ids)
    check_ids(graph, ids)
    session.check_output(progress, "--progress")
    known = read_progress(progress) if Path(progress).exists() else []
    known = [k for k in known if k not in ids] if undo else known + [i for i in ids if i not in known]
    write_progress(progress, known)
    click.echo(f"{progress}: {len(known)} known ({'removed' if undo else 'added'}: {', '.join(ids)})")


@main.command()
@click.option("--target", "-t", metavar="ID", help="Draw only the plan to reach ID, numbered in study order.")
@_known_options
@click.option("--include-recommended", is_flag=True, help="With --target: also what is only recommended.")
@click.option("--out", "-o", default="out/graph.html", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the page.")
@click.pass_obj
def html(session: Session, target, known, progress, include_recommended, out) -> None:
    """Write the interactive map as one self-contained HTML page."""
    from .model import ordering_strengths
    from .output import write_atomic
    from .plan import known_closure, study_plan
    from .render.html import render_html

    graph = session.graph
    out = session.check_output(out)
    known_ids = _known(session, graph, known, progress)
    plan = study_plan(graph, target, known_ids, include_recommended) if target else None
    known_set = known_closure(graph, known_ids, ordering_strengths(include_recommended))
    write_atomic(out, render_html(graph, plan=plan, known=frozenset(known_set)))
    drawn = f"{len(plan.steps)} plan steps" if plan else f"{graph.number_of_nodes():,} nodes"
    click.echo(f"wrote {out} ({drawn})")


@main.command(name="build")
@click.option("--out", "-o", default="out", show_default=True, type=click.Path(file_okay=False), metavar="DIR",
              help="The folder to write (never inside the data folder).")
@click.option("-q", "--quiet", is_flag=True, help="Print only the closing summary.")
@click.pass_obj
def build_command(session: Session, out, quiet) -> None:
    """Write everything to open or import: the map, every degree's plan, the graph for other tools.

    Into DIR: graph.html (the interactive map), plans/DEGREE.md and plans/DEGREE.json (the study plan of
    every degree), graph.json (NetworkX node-link), graph.graphml (Gephi, yEd, Cytoscape), graph.dot
    (Graphviz) and graph.mmd (Mermaid). Writes nothing if the data has errors. All files are rendered
    before any is moved into place, so a failed or interrupted build leaves the previous ones as they were;
    files the build did not write are left alone.
    """
    import time

    from .build import BuildError, build
    from .render.mermaid import MAX_EDGES

    started = time.perf_counter()
    out = session.check_output(out, "--out")
    graph = session.graph
    try:
        written = build(graph, out)
    except BuildError as exc:
        raise click.ClickException(f"--out: {exc}") from exc
    if not quiet:
        for item in written:
            click.echo(f"{'wrote' if item.changed else 'unchanged'} {item.path} ({item.size:,} bytes)")
    if graph.number_of_edges() > MAX_EDGES:
        click.echo(f"note: {out}/graph.mmd has {graph.number_of_edges():,} edges; Mermaid (and GitHub) draws at "
                   f"most {MAX_EDGES} by default: for a drawing, use 'graph export --format mermaid --target ID'",
                   err=True)
    changed = sum(item.changed for item in written)
    click.echo(f"built {out}: {len(written)} files ({changed} changed) from {graph.number_of_nodes():,} nodes, "
               f"{graph.number_of_edges():,} edges in {time.perf_counter() - started:.1f} s")


_EXPORT_FORMATS = ("json", "graphml", "dot", "mermaid")


@main.command(name="export")
@click.option("--format", "fmt", type=click.Choice(_EXPORT_FORMATS),
              help="json (NetworkX node-link), graphml, dot (Graphviz) or mermaid "
                   "[default: from the --output file's extension].")
@click.option("--target", "-t", metavar="ID",
              help="Only the study plan to reach ID: its steps, the resources teaching them, the edges among them.")
@click.option("--output", "-o", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write to FILE (atomically; never inside the data folder) instead of standard output.")
@click.pass_obj
def export_command(session: Session, fmt, target, output) -> None:
    """Print or write the graph, or one plan's subgraph, for other tools."""
    from .build import export_text, format_for_path
    from .output import write_atomic

    to_file = output not in (None, "-")
    fmt = fmt or format_for_path(output if to_file else None)
    if fmt is None:
        hint = f" (cannot tell from '{output}')" if to_file else ""
        raise click.UsageError(f"--format: give one of {', '.join(_EXPORT_FORMATS)}{hint}")
    if to_file:
        session.check_output(output, "--output")
    text = export_text(session.graph, fmt, target)
    if not to_file:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise click.ClickException(f"--output: cannot write '{output}': {exc.strerror or exc}") from exc
    click.echo(f"wrote {output} ({fmt}, {len(text.encode()):,} bytes)")
