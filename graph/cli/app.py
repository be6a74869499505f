"""The ``graph`` command group: the session every command shares, the global options, and the
mapping of the errors a user can cause to messages and exit codes (never tracebacks).

Conventions: the answer goes to standard output (plans, trees, JSON, the
report of ``validate``, the files a command wrote); errors that stop a command
and notes about the run go to standard error. Exit codes are in
:data:`EXIT_CODES`.
"""

from __future__ import annotations

import atexit
import gc
import os
import shlex
import sys
import threading
from pathlib import Path

import click

from .. import __version__
from ..errors import DataError, UnknownIdError
from ..render.text import plural


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
PROGRESS_HELP = ("Your progress file (YAML 'known: [ids]') [default: $GRAPH_PROGRESS, else progress.yaml in the "
                  "current folder, read when it exists; a file you name must exist (exit 2)].")


class Session:
    """What every command shares: the data folder, how to load it, and how to print."""

    def __init__(self):
        self.data_option: str | None = None
        self.use_cache = True
        self.color: str | None = None  # --color: auto (None), always or never
        self._loaded = None
        self._index = None  # the data folder's index: None until asked for, False when it cannot answer

    @property
    def data_dir(self) -> Path:
        """The data folder in use."""
        from ..folder import resolve_data_dir

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
        from ..folder import bundled_data_dir

        folder = self.data_dir.resolve()
        return f"the bundled map, {folder}" if folder == bundled_data_dir().resolve() else f"the data folder {folder}"

    def load(self, **options):
        """Load the data folder (diagnostics included, errors or not)."""
        from ..load import load

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

    def from_index(self, answer, *args):
        """Return ``answer(index, *args)`` (see :mod:`graph.indexquery`) when the data folder's index can
        give it, else None: the index is off with the cache, missing, stale or not to be trusted, or the
        answer needs the whole map (a name it does not know). The caller then loads the map."""
        if not self.use_cache or self._index is False:
            return None
        from ..index import IndexUnusable, open_index

        if self._index is None:
            self._index = open_index(self.data_dir) or False
            if self._index is False:
                return None
        try:
            return answer(self._index, *args)
        except IndexUnusable:
            self._index = False
            return None

    @property
    def graph(self):
        """The valid graph; on data errors, print them and exit 1."""
        if self._loaded is None:
            self._loaded = self.load()
        if self._loaded.errors:
            raise DataError(self._loaded.diagnostics)
        return self._loaded.graph

    @property
    def read_only_graph(self):
        """:attr:`graph` for a command that only reads nodes and edges (no NetworkX algorithm, no change):
        from the cache it is a :class:`~graph.partial.Partial` of the whole map, made without NetworkX."""
        if self._loaded is None:
            self._loaded = self.load(light=True)
        return self.graph

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
        from ..render.style import Style

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


def command(name: str | None = None, uses: tuple[str, ...] = _GLOBAL, **settings):
    """``@main.command`` with the global options it ``uses``; ``--data`` given to a command that reads
    no data folder is refused, not ignored."""

    def decorate(function):
        return main.command(name=name, **settings)(_global_options(function, uses))

    return decorate


class _Command(click.Command):
    """A command that reads ``-target`` as the ``--target`` it is meant to be, not ``-t arget``: it says so."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        longs = {name for param in self.params for name in getattr(param, "opts", ()) + getattr(
            param, "secondary_opts", ()) if name.startswith("--")}
        for arg in args:
            if arg == "--":
                break
            word = arg.partition("=")[0]
            if len(word) > 2 and word[1] != "-" and f"-{word}" in longs:
                raise click.UsageError(f"'{arg}': a long option takes two dashes: did you mean '-{arg}'?", ctx)
        ctx.meta["graph.args"] = list(args)  # for messages naming an option as it was typed (see typed_option)
        return super().parse_args(ctx, args)


class _Group(click.Group):
    """Turns the errors a user can cause into messages and exit codes, never tracebacks."""

    command_class = _Command

    def invoke(self, ctx):
        from ..lookup import AmbiguousNameError

        session = ctx.ensure_object(Session)
        try:
            return super().invoke(ctx)
        except _progress_error() as exc:  # evaluated only once something is raised: no YAML reader before
            self._diagnostics(session, exc)
            say(f"graph: cannot use the progress file '{exc.path}'{_progress_source(exc)}")
            ctx.exit(2)
        except DataError as exc:
            self._diagnostics(session, exc)
            from ..folder import EDGES_FILE, NODES_FILE

            errors = sum(d.level == "error" for d in exc.diagnostics)
            if any(Path(d.path).name in (NODES_FILE, EDGES_FILE) for d in exc.diagnostics):
                say(f"graph: {plural(errors, 'error')} in {_safe_label(session)} "
                    "(run 'graph validate' for details)")
            else:
                say(f"graph: {exc}")
            ctx.exit(1)
        except UnknownIdError as exc:
            say(f"Error: {exc} (in {_safe_label(session)})")
            ctx.exit(2)
        except AmbiguousNameError as exc:
            say(f"Error: {exc} (in {_safe_label(session)})")
            graph = session._loaded.graph if session._loaded else None
            if graph is not None:
                from ..render.text import nodes_text

                click.echo(nodes_text(graph, exc.candidates), err=True, nl=False)
            ctx.exit(2)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except OSError as exc:
            where = f" '{exc.filename}'" if exc.filename else ""
            say(f"graph: cannot access{where}: {exc.strerror or exc}")
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("graph: interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # a bug: say so in one line rather than a traceback
            say(f"graph: internal error ({type(exc).__name__}: {exc}); please report it with the "
                "command and data that caused it (set GRAPH_DEBUG=1 for the traceback)")
            if os.environ.get("GRAPH_DEBUG"):
                raise
            ctx.exit(3)

    @staticmethod
    def _diagnostics(session: Session, exc: DataError) -> None:
        from ..render.text import diagnostic_text

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


def _progress_error():
    from ..progress import ProgressError

    return ProgressError


def say(text: str) -> None:
    """Print a message or a note to standard error, escaped for the terminal (:func:`graph.sinks.terminal`):
    what it quotes from a file (a CSV header, a JSON key, a folder's name) cannot drive the terminal."""
    from ..sinks import terminal

    click.echo(terminal(text), err=True)


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
