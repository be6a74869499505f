"""The ``graph`` command line: thin click commands over the library.

Conventions: the answer goes to standard output (plans, trees, JSON, the
report of ``validate``, the files a command wrote); errors that stop a command
and notes about the run go to standard error. Exit codes are in
:data:`EXIT_CODES`.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import shlex
import sys
import threading
from pathlib import Path
from typing import NamedTuple

import click

from . import __version__
from .errors import DataError, UnknownIdError
from .render.text import plural

#: What each exit status means (``graph --help`` and the README list them).
EXIT_CODES = {
    0: "success",
    1: "the data has errors, a file could not be written, nothing was found (path, list, search), or diff found "
       "a change",
    2: "usage: a bad option, an unknown or ambiguous id, an input that cannot be read (a progress file, an "
       "import source, a diff side)",
    3: "internal error (a bug: please report it)",
    130: "interrupted",
}

_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
_EPILOG = "\b\nExit codes:\n" + "\n".join(f"  {code:<4} {text}" for code, text in EXIT_CODES.items()) + (
    "\n\nAnswers go to standard output; errors and notes to standard error.")
_PROGRESS_HELP = ("Your progress file (YAML 'known: [ids]') [default: $GRAPH_PROGRESS, else progress.yaml in the "
                  "current folder, read when it exists; a file you name must exist (exit 2)].")


class Session:
    """What every command shares: the data folder, how to load it, and how to print."""

    def __init__(self):
        self.data_option: str | None = None
        self.use_cache = True
        self.color: str | None = None  # --color: auto (None), always or never
        self._loaded = None

    @property
    def data_dir(self) -> Path:
        """The data folder in use."""
        from .load import resolve_data_dir

        folder = resolve_data_dir(self.data_option)
        if not folder.is_dir():
            source = "--data" if self.data_option else "GRAPH_DATA" if os.environ.get("GRAPH_DATA") else "bundled map"
            if folder.is_file():
                raise click.UsageError(f"{source}: '{folder}' is a file, not a folder; give the folder that "
                                       f"holds nodes.yaml and edges.yaml ('{folder.parent}')")
            raise click.UsageError(f"{source}: folder '{folder}' does not exist")
        return folder

    @property
    def data_label(self) -> str:
        """The data folder in use, resolved, as summaries and messages name it."""
        from .load import bundled_data_dir

        folder = self.data_dir.resolve()
        return f"the bundled map, {folder}" if folder == bundled_data_dir().resolve() else f"the data folder {folder}"

    def load(self, **options):
        """Load the data folder (diagnostics included, errors or not)."""
        from .load import load

        loaded = load(self.data_dir, use_cache=self.use_cache, **options)
        gc.freeze()  # the graph lives as long as the process: later collections need not walk it
        return loaded

    def check_output(self, path: str | Path, option: str = "--out", folder: bool = False) -> Path:
        """Return ``path``, or stop with a usage error if it lies inside the data folder.

        The error proposes a place beside the data folder (``folder``: ``path`` names a folder).
        """
        data = self.data_dir.resolve()
        # Where the file is written (a temporary file in its folder, renamed to its name) and, for a
        # symbolic link, where it points.
        written = Path(path).parent.resolve() / Path(path).name
        if any(t == data or data in t.parents for t in (written, Path(path).resolve())):
            instead = _beside(data, None if folder else Path(path).name)
            hint = f"; write beside it instead: {option} {instead}" if instead else ": choose a place outside it"
            raise click.UsageError(f"{option}: '{path}' is inside the data folder '{data}', and the tool never "
                                   f"writes into the data folder{hint}")
        return Path(path)

    @property
    def graph(self):
        """The valid graph; on data errors, print them and exit 1."""
        if self._loaded is None:
            self._loaded = self.load()
        if self._loaded.errors:
            raise DataError(self._loaded.diagnostics)
        return self._loaded.graph

    def colored(self, err: bool = False) -> bool:
        """Whether to colour standard output (or ``err``: standard error).

        ``--color always`` or ``never`` decides; otherwise colour when the stream is
        a terminal, ``NO_COLOR`` is unset or empty and ``TERM`` is not ``dumb``.
        """
        if self.color in ("always", "never"):
            return self.color == "always"
        if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
            return False
        stream = sys.stderr if err else sys.stdout
        try:
            return stream.isatty()
        except (AttributeError, ValueError):
            return False

    def style(self, err: bool = False, charset: str = "utf8"):
        """The :class:`~graph.render.style.Style` to render for standard output (or ``err``)."""
        from .render.style import Style

        return Style(color=self.colored(err), charset=charset)

    def echo(self, text: str = "", err: bool = False, nl: bool = True) -> None:
        """Print ``text``, keeping its colours when colour is on (click strips them off a terminal)."""
        click.echo(text, err=err, nl=nl, color=True if self.colored(err) else None)


def _beside(data: Path, name: str | None) -> str | None:
    """A place to write beside the data folder ``data``: the sibling folder ``DATA-out`` (with the file
    ``name`` in it), relative to the current folder when it is near, or None if ``data`` is a root.

    >>> _beside(Path("/nowhere/maps/algebra"), "graph.html")
    '/nowhere/maps/algebra-out/graph.html'
    """
    if data.parent == data:
        return None
    place = data.parent / f"{data.name}-out"
    if name:
        place = place / name
    near = os.path.relpath(place)
    return shlex.quote(near if near.split(os.sep).count(os.pardir) <= 1 else str(place))


def _set_option(name: str, value_when_set=None):
    def store(ctx: click.Context, param, value):
        if value not in (None, False):
            setattr(ctx.ensure_object(Session), name, value if value_when_set is None else value_when_set)
        return value

    return store


_GLOBAL = ("data", "cache", "color")


def _global_options(command, uses: tuple[str, ...] = _GLOBAL):
    """Add the options every command takes, before or after its name (``graph --data D show X``,
    ``graph show X --data D``); its help lists them after its own. A command lists only those of
    ``uses`` (the group takes all three)."""
    options = {
        "data": click.option("--data", metavar="DIR", expose_value=False, callback=_set_option("data_option"),
                             help="Data folder with nodes.yaml and edges.yaml [default: $GRAPH_DATA, else the "
                                  "current folder if it holds nodes.yaml, else ./data if it does, else the "
                                  "bundled map]."),
        "cache": click.option("--no-cache", is_flag=True, default=False, expose_value=False,
                              callback=_set_option("use_cache", False),
                              help="Always parse the YAML; do not read or write the cache."),
        "color": click.option("--color", type=click.Choice(["auto", "always", "never"]), expose_value=False,
                              callback=_set_option("color"),
                              help="Colour the output [default: auto: on a terminal, unless NO_COLOR is set]."),
    }
    chosen = [options[name] for name in _GLOBAL if name in uses]
    if "data" not in uses:
        chosen.insert(0, click.option("--data", hidden=True, expose_value=False, callback=_refuse_data))
    for option in reversed(chosen):
        command = option(command)
    params = command.__click_params__  # click lists these in reverse: the global ones go last
    command.__click_params__ = params[-len(chosen):] + params[:-len(chosen)]
    return command


def _refuse_data(ctx: click.Context, param, value):
    if value is not None or ctx.find_object(Session).data_option is not None:
        raise click.UsageError(f"--data: '{ctx.info_name}' reads no data folder; leave the option out", ctx)


def _command(name: str | None = None, uses: tuple[str, ...] = _GLOBAL, **settings):
    """``@main.command`` with the global options it ``uses``; ``--data`` given to a command that reads
    no data folder is refused, not ignored."""

    def decorate(function):
        return main.command(name=name, **settings)(_global_options(function, uses))

    return decorate


class _Group(click.Group):
    """Turns the errors a user can cause into messages and exit codes, never tracebacks."""

    def invoke(self, ctx):
        from .lookup import AmbiguousNameError
        from .progress import ProgressError

        session = ctx.ensure_object(Session)
        try:
            return super().invoke(ctx)
        except ProgressError as exc:
            self._diagnostics(session, exc)
            click.echo(f"graph: cannot use the progress file '{exc.path}'{_progress_source(exc)}", err=True)
            ctx.exit(2)
        except DataError as exc:
            self._diagnostics(session, exc)
            from .load import EDGES_FILE, NODES_FILE

            errors = sum(d.level == "error" for d in exc.diagnostics)
            if any(Path(d.path).name in (NODES_FILE, EDGES_FILE) for d in exc.diagnostics):
                click.echo(f"graph: {plural(errors, 'error')} in {_safe_label(session)} "
                           "(run 'graph validate' for details)", err=True)
            else:
                click.echo(f"graph: {exc}", err=True)
            ctx.exit(1)
        except UnknownIdError as exc:
            click.echo(f"Error: {exc} (in {_safe_label(session)})", err=True)
            ctx.exit(2)
        except AmbiguousNameError as exc:
            click.echo(f"Error: {exc} (in {_safe_label(session)})", err=True)
            graph = session._loaded.graph if session._loaded else None
            if graph is not None:
                from .render.text import nodes_text

                click.echo(nodes_text(graph, exc.candidates), err=True, nl=False)
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

    @staticmethod
    def _diagnostics(session: Session, exc: DataError) -> None:
        from .render.text import diagnostic_text

        style = session.style(err=True)
        for d in exc.diagnostics:
            if d.level == "error":
                session.echo(diagnostic_text(d, style), err=True)

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


def _safe_label(session: Session) -> str:
    try:
        return session.data_label
    except click.UsageError:
        return f"'{session.data_option}'"


def _progress_source(exc) -> str:
    source = getattr(exc, "source", None)
    if source == "default":
        return " (progress.yaml in the current folder, read when it exists; --progress FILE names another)"
    return f" (given by {source})" if source else ""


@click.group(cls=_Group, context_settings=_SETTINGS, epilog=_EPILOG)
@_global_options
@click.version_option(__version__, prog_name="graph")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Explore a map of what to learn before what.

    IDs can be given as ids, names or aliases, in any case. The options
    --data, --no-cache and --color go before or after the command.
    """
    ctx.ensure_object(Session)


# --- completion -----------------------------------------------------------------------------------------------

def _completion_graph(ctx: click.Context):
    """The graph of the data folder the command line names so far, or None (completion must never fail)."""
    session = ctx.find_object(Session) or Session()
    try:
        return session.load().graph
    except Exception:  # an unreadable folder completes nothing
        return None


def _complete_ids(ctx: click.Context, param, incomplete: str):
    """Complete the ids of the data folder in use (after commas, for ``--known a,b``)."""
    from click.shell_completion import CompletionItem

    graph = _completion_graph(ctx)
    if graph is None:
        return []
    head, comma, word = incomplete.rpartition(",") if param.name == "known" else ("", "", incomplete)
    word = word.casefold()
    return [CompletionItem(f"{head}{comma}{node}", help=graph.nodes[node].get("name"))
            for node in graph if node.casefold().startswith(word)]


def _complete_areas(ctx: click.Context, param, incomplete: str):
    from click.shell_completion import CompletionItem

    from .lookup import areas

    graph = _completion_graph(ctx)
    return [] if graph is None else [CompletionItem(a) for a in areas(graph) if a.startswith(incomplete)]


# --- shared options and helpers ---------------------------------------------------------------------------------

def _split_ids(values) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _resolve(graph, text: str) -> str:
    from .lookup import resolve

    return resolve(graph, text)


class _Known(NamedTuple):
    """What the learner knows: the ids, the progress file read (or None), and a note saying so."""

    ids: list
    progress: str | None
    note: str | None


def _known(graph, known: tuple, progress: str | None) -> _Known:
    """Return the known ids from ``--known`` and the progress file, checked against the graph."""
    from .errors import Diagnostic
    from .lookup import resolve_all, suggest
    from .progress import ProgressError, locate, read_progress_lines

    ids = resolve_all(graph, _split_ids(known))
    sources = ["--known"] if ids else []
    location = locate(progress)
    used = None
    if location.given or location.path.exists():
        used = str(location.path)
        try:
            problems = []
            for node, line in read_progress_lines(location.path):
                if node in graph:
                    ids.append(node)
                else:
                    problems.append(Diagnostic(used, line, "error", str(UnknownIdError(node, suggest(graph, node)))))
            if problems:
                raise ProgressError(used, problems)
        except ProgressError as exc:
            exc.source = location.source
            raise
        sources.append(used)
    ids = list(dict.fromkeys(ids))
    note = f"known: {len(ids)}, from {' and '.join(sources)}" if sources else None
    return _Known(ids, used, note)


def _known_options(command):
    command = click.option("--progress", metavar="FILE", type=click.Path(dir_okay=False),
                           help=_PROGRESS_HELP)(command)
    return click.option("--known", multiple=True, metavar="IDS", shell_complete=_complete_ids,
                        help="Ids you already know, with what they need (repeatable, comma-separated).")(command)


def _target_option(required: bool, help_text: str):
    return click.option("--target", "-t", required=required, metavar="ID", shell_complete=_complete_ids,
                        help=help_text)


def _format_option(*choices: str, default: str = "text"):
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True)


def _json(session: Session, value) -> None:
    from .render.json import dumps

    click.echo(dumps(value), nl=False)


def _write(path, content, option: str) -> None:
    """Write ``content`` atomically to ``path``; a failure names ``path`` as given, never a temporary file."""
    from .output import write_atomic

    try:
        write_atomic(path, content)
    except OSError as exc:
        raise click.ClickException(f"{option}: cannot write '{path}': {exc.strerror or exc}") from exc


# --- commands ---------------------------------------------------------------------------------------------------

@_command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="github: GitHub Actions annotations, shown on a pull request's lines.")
@click.option("--redundant/--no-redundant", default=None,
              help="Force the redundant-edge check on or off (default: on up to 20,000 nodes).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.pass_obj
def validate(session: Session, fmt: str, redundant: bool | None, quiet: bool) -> None:
    """Check the data; exit 1 if it has errors.

    Prints every problem as PATH:LINE: LEVEL: MESSAGE, then a summary naming the data folder.
    Warnings do not fail.
    """
    from .render.text import diagnostic_text
    from .validate import REDUNDANT_LIMIT

    limit = {None: REDUNDANT_LIMIT, True: None, False: -1}[redundant]
    loaded = session.load(redundant_limit=limit)
    shown = [d for d in loaded.diagnostics if not (quiet and d.level != "error")]
    graph = loaded.graph
    folder = str(loaded.data_dir.resolve())
    if fmt == "json":
        click.echo(json.dumps({
            "data": folder,
            "valid": not loaded.errors,
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "diagnostics": [d.to_dict() for d in shown],
        }, indent=2, ensure_ascii=False))
    else:
        if fmt == "github":
            from .render.github import annotations

            # GitHub reads annotation paths from the repository's root, whatever the step's working folder.
            click.echo(annotations(shown, root=os.environ.get("GITHUB_WORKSPACE") or Path.cwd()), nl=False)
        else:
            style = session.style()
            for d in shown:
                session.echo(diagnostic_text(d, style))
        errors, warnings = len(loaded.errors), len(loaded.warnings)
        verdict = plural(errors, "error") if errors else "valid"
        click.echo(f"{folder}: {plural(graph.number_of_nodes(), 'node')}, "
                   f"{plural(graph.number_of_edges(), 'edge')}: {verdict}, {plural(warnings, 'warning')}")
    sys.exit(1 if loaded.errors else 0)


_PLAN_FORMATS = click.Choice(["text", "markdown", "json", "ics"])
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


@_command()
@_target_option(True, "The degree, topic or resource to reach.")
@_known_options
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
    target = _resolve(graph, target)
    learner = _known(graph, known, progress)
    plan = study_plan(graph, target, learner.ids, include_recommended, strategy)
    schedule = _schedule(plan, hours_per_week, start) if hours_per_week is not None else None
    if fmt == "ics":
        if not plan.steps:
            click.echo(f"Nothing to study: {target} is already known; no calendar written.", err=True)
            return
        from .render.ics import plan_ics

        content = plan_ics(plan, schedule)
    elif fmt == "text":
        from .render.style import PLAIN
        from .render.text import plan_text

        content = plan_text(plan, schedule, PLAIN if to_file else session.style(), learner.note)
    else:
        from .render import json, markdown

        content = {"json": json.plan_json, "markdown": markdown.plan_markdown}[fmt](plan, schedule)
    if not to_file:
        session.echo(content, nl=False)
        return
    data = content.encode() if isinstance(content, str) else content
    _write(output, data, "--output")
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
    @_command(name=name, help=doc)
    @click.argument("node_id", metavar="ID", shell_complete=_complete_ids)
    @click.option("--depth", type=click.IntRange(min=0), default=None, help="Follow at most N edges.")
    @click.option("--include-recommended", is_flag=True, help="Follow recommendations too.")
    @_format_option("tree", "list", "json", default="tree")
    @click.option("--charset", type=click.Choice(["utf8", "ascii"]), default="utf8", show_default=True,
                  help="Draw the tree's branches with these characters.")
    @click.pass_obj
    def command(session: Session, node_id, depth, include_recommended, fmt, charset) -> None:
        from . import query

        graph = session.graph
        node_id = _resolve(graph, node_id)
        if fmt == "tree":
            from .render.text import tree_lines

            rows = query.tree(graph, node_id, reverse=reverse, depth=depth, include_recommended=include_recommended)
            _echo_lines(session, tree_lines(graph, rows, session.style(charset=charset)))
            return
        find = query.dependents if reverse else query.prerequisites
        ids = find(graph, node_id, depth=depth, include_recommended=include_recommended)
        if fmt == "json":
            from .render.json import related_json

            click.echo(related_json(graph, node_id, key, ids, depth), nl=False)
        else:
            from .render.text import list_text

            session.echo(list_text(graph, ids, session.style()), nl=False)

    return command


def _echo_lines(session: Session, lines, batch: int = 4096) -> None:
    """Print lines as they come, a batch at a time: a deep tree can run to hundreds of megabytes."""
    import itertools

    lines = iter(lines)
    color = True if session.colored() else None
    while chunk := "".join(itertools.islice(lines, batch)):
        click.echo(chunk, nl=False, color=color)


prereqs = _related_command("prereqs", False, "prerequisites",
                           "Everything ID needs, as a tree (a subtree shown before is marked (*)) or a list "
                           "in study order.")
dependents = _related_command("dependents", True, "dependents",
                              "Everything that builds on ID, as a tree or a list.")


@_command()
@click.argument("source", metavar="A", shell_complete=_complete_ids)
@click.argument("target", metavar="B", shell_complete=_complete_ids)
@click.option("--all", "all_paths", is_flag=True, help="Every path, shortest first (bounded by --limit).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="At most this many paths with --all.")
@click.option("--include-recommended", is_flag=True, help="Follow recommendations too.")
@click.option("--through-resources", is_flag=True, help="Let a path run through a resource (what it needs, "
                                                        "what it teaches).")
@_format_option("text", "json")
@click.pass_obj
def path(session: Session, source, target, all_paths, limit, include_recommended, through_resources, fmt) -> None:
    """Why A is needed for B: the chain of required edges from A to B, with relations and reasons.

    Exit 1 if there is none.
    """
    from .query import paths

    graph = session.graph
    source, target = _resolve(graph, source), _resolve(graph, target)
    found = paths(graph, source, target, limit if all_paths else 1, include_recommended, through_resources)
    if fmt == "json":
        from .render.json import paths_json

        click.echo(paths_json(graph, source, target, found), nl=False)
    elif found:
        from .render.text import paths_text

        session.echo(paths_text(graph, found, session.style()), nl=False)
    if not found:
        reverse = paths(graph, target, source, 1, include_recommended, through_resources)
        hint = f" (but {target} leads to {source}: try 'graph path {target} {source}')" if reverse else ""
        click.echo(f"no path from {source} to {target}: {source} is not needed for {target}{hint}", err=True)
        sys.exit(1)


@_command(name="next")
@_known_options
@_target_option(False, "Only what is on the way to ID.")
@click.option("--include-recommended", is_flag=True, help="Count recommendations as prerequisites.")
@_format_option("text", "json")
@click.pass_obj
def next_(session: Session, known, progress, target, include_recommended, fmt) -> None:
    """What you can study now: everything whose prerequisites you know."""
    from .model import ordering_strengths
    from .plan import known_closure, resources_for
    from .query import next_steps

    graph = session.graph
    target = _resolve(graph, target) if target else None
    learner = _known(graph, known, progress)
    known_set = known_closure(graph, learner.ids, ordering_strengths(include_recommended))
    found = next_steps(graph, known_set, target, include_recommended)
    resources = {n: resources_for(graph, n) for n in found}
    outside = _outside_the_plan(graph, target, learner.ids, include_recommended, found) if target else {}
    if fmt == "json":
        _json(session, {"target": target, "known": learner.ids, "progress": learner.progress, "next": [
            {"id": n, "name": graph.nodes[n].get("name", n), "kind": graph.nodes[n].get("kind"),
             "hours": graph.nodes[n].get("hours"), "discontinued": graph.nodes[n].get("discontinued") is True,
             "in_plan": (n not in outside) if target else None, "alternative_to": outside.get(n),
             "resources": resources[n]} for n in found]})
    else:
        from .render.text import next_text

        session.echo(next_text(graph, found, resources, session.style(), learner.note, outside), nl=False)


def _outside_the_plan(graph, target, known, include_recommended, found) -> dict:
    """Of ``found`` (what can be started toward ``target``), those its plan does not take: each
    alternative with the one the plan takes instead, the rest (needed only by such) with None."""
    from .plan import study_plan

    plan = study_plan(graph, target, known, include_recommended)
    steps = {s.id for s in plan.steps}
    instead = {m: c["picked"] for s in plan.steps for c in s.choices for m in c["alternatives"]}
    return {n: instead.get(n) for n in found if n not in steps}


@_command()
@click.argument("node_id", metavar="ID", shell_complete=_complete_ids)
@_format_option("text", "json")
@click.pass_obj
def show(session: Session, node_id, fmt) -> None:
    """A node in full: fields, resources, what it teaches, prerequisites and dependents with reasons."""
    from .plan import resources_for

    graph = session.graph
    node_id = _resolve(graph, node_id)
    resources = resources_for(graph, node_id)
    if fmt == "json":
        from .render.json import node_json

        click.echo(node_json(graph, node_id, resources), nl=False)
    else:
        from .render.text import node_text

        session.echo(node_text(graph, node_id, resources, session.style()), nl=False)


@_command(name="list")
@click.option("--kind", type=click.Choice(["topic", "resource", "degree"]), help="Only nodes of this kind.")
@click.option("--area", metavar="AREA", shell_complete=_complete_areas, help="Only nodes of this area.")
@_format_option("text", "json")
@click.pass_obj
def list_command(session: Session, kind, area, fmt) -> None:
    """Every node (or those of a kind and area) in file order, with kind and area. Exit 1 if none."""
    from .lookup import select

    graph = session.graph
    _check_area(graph, area)
    found = select(graph, kind, area)
    if fmt == "json":
        _json(session, {"kind": kind, "area": area, "nodes": [_node_summary(graph, n) for n in found]})
    else:
        from .render.text import nodes_text

        session.echo(nodes_text(graph, found, session.style()), nl=False)
    if not found:
        click.echo(f"no node{f' of kind {kind}' if kind else ''}{f' in area {area}' if area else ''}", err=True)
        sys.exit(1)


def _check_area(graph, area: str | None) -> None:
    from .errors import did_you_mean
    from .lookup import areas

    if area is not None and area not in (known := areas(graph)):
        raise click.BadParameter(f"no node has area '{area}'{did_you_mean(area, known)}", param_hint="'--area'")


def _node_summary(graph, node) -> dict:
    data = graph.nodes[node]
    return {"id": node, "name": data.get("name", node), "kind": data.get("kind"), "area": data.get("area"),
            "hours": data.get("hours"), "summary": data.get("summary")}


@_command()
@click.argument("words", nargs=-1, required=True, metavar="WORDS...")
@click.option("--kind", type=click.Choice(["topic", "resource", "degree"]), help="Only nodes of this kind.")
@click.option("--area", metavar="AREA", shell_complete=_complete_areas, help="Only nodes of this area.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many.")
@_format_option("text", "json")
@click.pass_obj
def search(session: Session, words, kind, area, limit, fmt) -> None:
    """Nodes whose id, name, aliases, area or summary hold every word, best first. Exit 1 if none.

    A word matches a whole word or the start of one, in any case; matches in the id, name and
    aliases rank first.
    """
    from .lookup import search as find

    graph = session.graph
    _check_area(graph, area)
    query = " ".join(words)
    found = find(graph, query, kind, area, limit)
    if fmt == "json":
        _json(session, {"query": query, "results": [
            {**_node_summary(graph, m.id), "score": m.score, "matched": list(m.fields)} for m in found]})
    else:
        from .render.text import search_text

        session.echo(search_text(graph, found, session.style()), nl=False)
    if not found:
        click.echo(f"nothing matches '{query}' (in {session.data_label})", err=True)
        sys.exit(1)


@_command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...", shell_complete=_complete_ids)
@click.option("--progress", metavar="FILE", type=click.Path(dir_okay=False),
              help="The progress file to update [default: $GRAPH_PROGRESS, else progress.yaml in the current "
                   "folder]; it may live beside or inside the data folder.")
@click.option("--undo", is_flag=True, help="Remove the ids instead.")
@_format_option("text", "json")
@click.pass_obj
def done(session: Session, ids, progress, undo, fmt) -> None:
    """Mark topics as known in your progress file, created if needed (written atomically, one writer at a time).

    Says which ids were added and which were already known (with --undo: removed, or were not known).
    With --undo, what needs a removed id goes too, and what they needed stays known, as unticking
    "I know this" in the page does. An existing progress file that cannot be read exits 2.
    """
    from .lookup import resolve_all
    from .progress import ProgressError, locate, update_progress

    graph = session.graph
    ids = resolve_all(graph, _split_ids(ids))
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
        _json(session, {"progress": str(location.path), changed: update.changed, unchanged: update.unchanged,
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
    from .plan import forget, known_closure

    def known_now(ids):
        closure = known_closure(graph, [i for i in ids if i in graph])
        return [n for n in graph if n in closure] + [i for i in ids if i not in graph]

    return {"forget": lambda marked, ids: forget(graph, marked, ids), "known_now": known_now}


def _check_progress_target(session: Session, path: Path) -> None:
    """Refuse a progress file that is one of the map's own files (a progress file may sit beside them)."""
    from .load import EDGES_FILE, NODES_FILE

    data = session.data_dir.resolve()
    if path.resolve() in (data / NODES_FILE, data / EDGES_FILE):
        raise click.UsageError(f"--progress: '{path}' is one of the map's own files; name a file of your own")


@_command()
@_target_option(False, "Draw only the plan to reach ID, numbered in study order.")
@_known_options
@click.option("--include-recommended", is_flag=True, help="With --target: also what is only recommended.")
@click.option("--out", "-o", default="out/graph.html", show_default=True, type=click.Path(dir_okay=False),
              help="Where to write the page (never inside the data folder).")
@_format_option("text", "json")
@click.pass_obj
def html(session: Session, target, known, progress, include_recommended, out, fmt) -> None:
    """Write the interactive map as one self-contained HTML page."""
    from .model import ordering_strengths
    from .plan import known_closure, study_plan
    from .render.html import render_html

    graph = session.graph
    out = session.check_output(out)
    target = _resolve(graph, target) if target else None
    learner = _known(graph, known, progress)
    plan = study_plan(graph, target, learner.ids, include_recommended) if target else None
    known_set = known_closure(graph, learner.ids, ordering_strengths(include_recommended))
    page = render_html(graph, plan=plan, known=frozenset(known_set))
    _write(out, page, "--out")
    size = len(page.encode())
    if fmt == "json":
        _json(session, {"out": str(out), "bytes": size, "data": str(session.data_dir.resolve()),
                        "nodes": graph.number_of_nodes(), "target": target,
                        "steps": len(plan.steps) if plan else None, "known": learner.ids,
                        "progress": learner.progress})
        return
    drawn = f"{plural(len(plan.steps), 'plan step')}" if plan else plural(graph.number_of_nodes(), "node")
    note = f"; {learner.note}" if learner.note else ""
    click.echo(f"wrote {out} ({drawn} of {session.data_label}, {size:,} bytes{note})")


@_command(name="build")
@click.option("--out", "-o", default="out", show_default=True, type=click.Path(file_okay=False), metavar="DIR",
              help="The folder to write (never inside the data folder).")
@_known_options
@click.option("-q", "--quiet", is_flag=True, help="Print only the closing summary.")
@_format_option("text", "json")
@click.pass_obj
def build_command(session: Session, out, known, progress, quiet, fmt) -> None:
    """Write everything to open or import: the map, every degree's plan, the graph for other tools.

    Into DIR: graph.html (the interactive map), plans/DEGREE.md and plans/DEGREE.json (the study plan of
    every degree, without what you know), graph.json (NetworkX node-link), graph.graphml (Gephi, yEd,
    Cytoscape), graph.dot (Graphviz) and graph.mmd (Mermaid). Writes nothing if the data has errors. All
    files are rendered before any is moved into place, so a failed or interrupted build leaves the previous
    ones as they were; files the build did not write are left alone.
    """
    import time

    from .build import BuildError, build
    from .render.mermaid import MAX_EDGES

    started = time.perf_counter()
    out = session.check_output(out, "--out", folder=True)
    graph = session.graph
    learner = _known(graph, known, progress)
    try:
        written = build(graph, out, learner.ids)
    except BuildError as exc:
        raise click.ClickException(f"--out: {exc}") from exc
    if graph.number_of_edges() > MAX_EDGES:
        click.echo(f"note: {out}/graph.mmd has {graph.number_of_edges():,} edges; Mermaid (and GitHub) draws at "
                   f"most {MAX_EDGES} by default: for a drawing, use 'graph export --format mermaid --target ID'",
                   err=True)
    changed = sum(item.changed for item in written)
    if fmt == "json":
        _json(session, {"out": str(out), "data": str(session.data_dir.resolve()),
                        "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "changed": changed,
                        "known": learner.ids, "progress": learner.progress,
                        "files": [{"name": w.name, "path": str(w.path), "bytes": w.size, "changed": w.changed}
                                  for w in written]})
        return
    if not quiet:
        for item in written:
            click.echo(f"{'wrote' if item.changed else 'unchanged'} {item.path} ({item.size:,} bytes)")
    note = f"; {learner.note}" if learner.note else ""
    click.echo(f"built {out}: {len(written)} files ({changed} changed) from {graph.number_of_nodes():,} nodes, "
               f"{graph.number_of_edges():,} edges in {time.perf_counter() - started:.1f} s ({session.data_label}"
               f"{note})")


_EXPORT_FORMATS = ("json", "graphml", "dot", "mermaid")


@_command(name="export")
@click.option("--format", "fmt", type=click.Choice(_EXPORT_FORMATS),
              help="json (NetworkX node-link), graphml, dot (Graphviz) or mermaid "
                   "[default: from the --output file's extension].")
@_target_option(False, "Only the study plan to reach ID: its steps, the resources teaching them, the edges "
                       "among them.")
@click.option("--output", "-o", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write to FILE (atomically; never inside the data folder) instead of standard output.")
@click.option("--report", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="With --output: how to report the file written (--format is the export's own format).")
@click.pass_obj
def export_command(session: Session, fmt, target, output, report) -> None:
    """Print or write the graph, or one plan's subgraph, for other tools."""
    from .build import export_text, format_for_path

    to_file = output not in (None, "-")
    fmt = fmt or format_for_path(output if to_file else None)
    if fmt is None:
        hint = f" (cannot tell from '{output}')" if to_file else ""
        raise click.UsageError(f"--format: give one of {', '.join(_EXPORT_FORMATS)}{hint}")
    if report == "json" and not to_file:
        raise click.UsageError("--report json reports a file written: give --output FILE")
    if to_file:
        session.check_output(output, "--output")
    graph = session.graph
    target = _resolve(graph, target) if target else None
    text = export_text(graph, fmt, target)
    if not to_file:
        click.echo(text, nl=False)
        return
    _write(output, text, "--output")
    size = len(text.encode())
    if report == "json":
        _json(session, {"output": output, "format": fmt, "bytes": size, "target": target,
                        "data": str(session.data_dir.resolve())})
    else:
        click.echo(f"wrote {output} ({fmt}, {size:,} bytes, from {session.data_label})")


# ---- Authors' tools: import, diff, init (issue 15) ----

def _assignments(values, option: str) -> tuple:
    """Split repeated ``NAME=VALUE`` options."""
    pairs = []
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep:
            raise click.UsageError(f"{option}: expected NAME=VALUE, found '{value}'")
        pairs.append((name.strip(), rest))
    return tuple(pairs)


_CSV_ONLY = ("columns", "direction", "where", "edge_field", "header", "delimiter", "nodes", "node_id",
             "node_name", "node_field")


class _ImportFormat(click.Choice):
    """The formats import reads; DOT and Mermaid, which export writes, are refused with the reason."""

    def convert(self, value, param, ctx):
        if str(value).lower() in ("dot", "mermaid", "mmd"):
            self.fail(f"'{value}' is for drawing and cannot be imported (it loses fields and their types); "
                      "export graphml or json instead", param, ctx)
        return super().convert(value, param, ctx)


@_command(name="import", uses=())
@click.argument("fmt", metavar="FORMAT", type=_ImportFormat(["csv", "tsv", "graphml", "json"]))
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--out", "-o", required=True, metavar="DIR", help="The data folder to write (nodes.yaml, edges.yaml).")
@click.option("--force", is_flag=True, help="Replace the data files DIR already holds.")
@click.option("--columns", metavar="A,B", help="csv/tsv: the pair's two columns, by name or number from 1 "
                                               "[default: the first two].")
@click.option("--direction", type=click.Choice(["prereq-first", "prereq-last"]), default="prereq-first",
              show_default=True, help="csv/tsv: which column of the pair is learned first.")
@click.option("--where", multiple=True, metavar="COL=VALUE", help="csv/tsv: keep only rows where COL holds VALUE "
                                                                  "(repeatable: all must hold).")
@click.option("--edge-field", multiple=True, metavar="FIELD=COL", help="csv/tsv: a column to an edge field, "
                                                                       "e.g. why=reason (repeatable).")
@click.option("--header/--no-header", default=None, help="csv/tsv: whether the edge list's first row names the "
                                                         "columns [default: sniffed].")
@click.option("--delimiter", metavar="CHAR", help="csv/tsv: the edge list's column separator ('tab' "
                                                  "for a tab) [default: sniffed].")
@click.option("--nodes", metavar="FILE", type=click.Path(dir_okay=False),
              help="csv/tsv: a node table (id, name, and columns named like node fields).")
@click.option("--node-id", metavar="COL", help="The node table's id column [default: 'id', else the first].")
@click.option("--node-name", metavar="COL", help="The node table's name column [default: 'name', else the second].")
@click.option("--node-field", multiple=True, metavar="FIELD=COL",
              help="A node table column to a node field, e.g. summary=description (repeatable).")
@click.pass_context
def import_command(ctx, fmt, sources, out, force, **csv_options) -> None:
    """Write a new data folder from graphs in other formats, then check it with 'graph validate'.

    FORMAT is csv or tsv (edge lists of prerequisite pairs), graphml (graph export, yEd, Gephi) or json
    (NetworkX node-link). Never writes over its sources or, without --force, over a data folder.
    """
    from .imports import ImportFailure, write_folder

    given = [name for name in _CSV_ONLY if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE]
    try:
        if fmt in ("csv", "tsv"):
            from .imports.csv import CsvOptions, read_edges

            delimiter = csv_options["delimiter"]
            delimiter = "\t" if delimiter in ("tab", "\\t") else delimiter
            if delimiter is not None and len(delimiter) != 1:
                raise click.UsageError(f"--delimiter: give one character or 'tab', found '{delimiter}'")
            columns = tuple(c for c in (csv_options["columns"] or "").split(",") if c.strip())
            options = CsvOptions(columns=columns, direction=csv_options["direction"],
                                 where=_assignments(csv_options["where"], "--where"),
                                 edge_fields=_assignments(csv_options["edge_field"], "--edge-field"),
                                 header=csv_options["header"], delimiter=delimiter, nodes=csv_options["nodes"],
                                 node_id=csv_options["node_id"], node_name=csv_options["node_name"],
                                 node_fields=_assignments(csv_options["node_field"], "--node-field"))
            imported = read_edges(list(sources), fmt, options)
        else:
            if given:
                raise click.UsageError(f"--{given[0].replace('_', '-')}: applies to csv and tsv only")
            if fmt == "graphml":
                from .imports.graphml import read_graphml as read
            else:
                from .imports.nodelink import read_nodelink as read
            imported = read(list(sources))
        read_files = [*sources, *([csv_options["nodes"]] if csv_options["nodes"] else [])]
        written = write_folder(imported, out, force, read_files)
    except ImportFailure as exc:
        click.echo(f"graph import: {exc}", err=True)
        sys.exit(2)
    click.echo(f"wrote {written[0]} ({plural(len(imported.nodes), 'node')}) and {written[1]} "
               f"({plural(len(imported.edges), 'edge')})")
    for note in imported.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"next: graph --data {shlex.quote(str(out))} validate", err=True)


@_command(name="init", uses=())
@click.argument("folder", metavar="DIR")
@click.option("--force", is_flag=True, help="Replace the data files DIR already holds.")
def init_command(folder, force) -> None:
    """Write a small example map into DIR: two topics, a resource and a degree, each field explained."""
    from .output import FilesExist
    from .starter import write_starter

    try:
        written = write_starter(folder, force)
    except FilesExist as exc:
        raise click.UsageError(str(exc)) from None
    folder = shlex.quote(str(folder))
    click.echo(f"wrote {' and '.join(map(str, written))}; try: graph --data {folder} validate && "
               f"graph --data {folder} order --target shopper")


def _diff_target(sides: list, text: str) -> str:
    """Return the id ``text`` names in NEW (the map under review), else in OLD; exit 2 naming both if neither."""
    from .lookup import AmbiguousNameError, resolve

    suggestions = []
    for side in reversed(sides):
        try:
            return resolve(side.loaded.graph, text)
        except AmbiguousNameError as exc:
            click.echo(f"Error: --target: {exc} (in {side.label})", err=True)
            sys.exit(2)
        except UnknownIdError as exc:
            suggestions += exc.suggestions
    hint = UnknownIdError(text, list(dict.fromkeys(suggestions))[:3])
    click.echo(f"Error: --target: {hint} (in neither {sides[0].label} nor {sides[1].label})", err=True)
    sys.exit(2)


@_command(name="diff", uses=("cache",))
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--target", "-t", "targets", multiple=True, metavar="ID",
              help="Compare the plan to reach ID (repeatable) [default: every degree].")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--max-chars", type=click.IntRange(min=200), metavar="N",
              help="With --format markdown: at most N characters (a GitHub comment holds 65536); the summary, "
                   "plans and problems come first, then the changes that fit, and how many did not.")
@click.pass_obj
def diff_command(session: Session, old, new, targets, fmt, max_chars) -> None:
    """What changes from map OLD to map NEW: nodes, edges, each degree's plan, and the errors introduced.

    OLD and NEW are data folders or git revisions with a folder, such as main:data (read with git show;
    nothing is checked out). Exits 0 if nothing changed, 1 if something did, 2 if a side cannot be read.
    """
    from .diff import DiffFailure, compare, read_side

    if max_chars is not None and fmt != "markdown":
        raise click.UsageError("--max-chars: applies to --format markdown")
    try:
        sides = [read_side(spec, name, session.use_cache) for spec, name in ((old, "OLD"), (new, "NEW"))]
    except DiffFailure as exc:
        click.echo(f"graph diff: {exc}", err=True)
        sys.exit(2)
    targets = [_diff_target(sides, text) for text in _split_ids(targets)] or None
    result = compare(sides[0].loaded, sides[1].loaded, targets, old, new)
    if fmt == "json":
        from .render.diff import diff_json as render
    elif fmt == "markdown":
        from .render.diff import diff_markdown

        def render(d):
            return diff_markdown(d, max_chars)
    else:
        from .render.diff import diff_text as render
    click.echo(render(result), nl=False)
    sys.exit(1 if result.changed else 0)
