"""What several commands share: completion of ids and areas, the known and target options, and
writing answers (JSON to standard output, files atomically)."""

from __future__ import annotations

import re
from typing import NamedTuple

import click

from ..errors import UnknownIdError
from .app import PROGRESS_HELP, Session


def _completion_graph(ctx: click.Context):
    """The graph of the data folder the command line names so far, or None (completion must never fail)."""
    session = ctx.find_object(Session) or Session()
    try:
        return session.load().graph
    except Exception:  # an unreadable folder completes nothing
        return None


# What completion hands a shell to insert: slugs (ids and areas are), joined by commas for --known. Bash
# inserts a completion unquoted (a '$(...)' would run on Enter, a '*' expand), zsh and fish split their
# protocol on line breaks: anything else is never offered.
_COMPLETABLE = re.compile(r"[a-z0-9][a-z0-9,-]*\Z")


def _completions(pairs) -> list:
    """Return ``(value, help)`` pairs as completion items: values of the safe alphabet only, helps escaped."""
    from click.shell_completion import CompletionItem

    from ..sinks import terminal

    return [CompletionItem(value, help=terminal(help).replace("\t", " ") if isinstance(help, str) else None)
            for value, help in pairs if isinstance(value, str) and _COMPLETABLE.match(value)]


def complete_ids(ctx: click.Context, param, incomplete: str):
    """Complete the ids of the data folder in use (after commas, for ``--known a,b``)."""
    graph = _completion_graph(ctx)
    if graph is None:
        return []
    head, comma, word = incomplete.rpartition(",") if param.name == "known" else ("", "", incomplete)
    word = word.casefold()
    return _completions((f"{head}{comma}{node}", graph.nodes[node].get("name"))
                        for node in graph if isinstance(node, str) and node.casefold().startswith(word))


def complete_areas(ctx: click.Context, param, incomplete: str):
    """Complete the areas of the data folder in use."""
    from ..lookup import areas

    graph = _completion_graph(ctx)
    return [] if graph is None else _completions((a, None) for a in areas(graph) if a.startswith(incomplete))


# --- shared options and helpers ---------------------------------------------------------------------------------

def split_ids(values) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def resolve_id(graph, text: str) -> str:
    from ..lookup import resolve

    return resolve(graph, text)


class _Known(NamedTuple):
    """What the learner knows: the ids, the progress file read (or None), and a note saying so."""

    ids: list
    progress: str | None
    note: str | None


def read_known(graph, known: tuple, progress: str | None) -> _Known:
    """Return the known ids from ``--known`` and the progress file, checked against the graph."""
    from ..errors import Diagnostic
    from ..lookup import resolve_all, suggest
    from ..progress import ProgressError, locate, read_progress_lines
    from ..validate import SUGGEST_LIMIT

    ids = resolve_all(graph, split_ids(known))
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
                    # "did you mean" scans every id: offered for the first few only, as validate does
                    hint = suggest(graph, node) if len(problems) < SUGGEST_LIMIT else []
                    problems.append(Diagnostic(used, line, "error", str(UnknownIdError(node, hint))))
            if problems:
                raise ProgressError(used, problems)
        except ProgressError as exc:
            exc.source = location.source
            raise
        sources.append(used)
    ids = list(dict.fromkeys(ids))
    note = f"known: {len(ids)}, from {' and '.join(sources)}" if sources else None
    return _Known(ids, used, note)


def known_options(command):
    command = click.option("--progress", metavar="FILE", type=click.Path(dir_okay=False),
                           help=PROGRESS_HELP)(command)
    return click.option("--known", multiple=True, metavar="IDS", shell_complete=complete_ids,
                        help="Ids you already know, with what they need (repeatable, comma-separated).")(command)


def target_option(required: bool, help_text: str):
    return click.option("--target", "-t", required=required, metavar="ID", shell_complete=complete_ids,
                        help=help_text)


def format_option(*choices: str, default: str = "text"):
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True)


def echo_json(session: Session, value) -> None:
    from ..render.json import dumps

    click.echo(dumps(value), nl=False)


def write_output(path, content, option: str) -> None:
    """Write ``content`` atomically to ``path``; a failure names ``path`` as given, never a temporary file."""
    from ..output import write_atomic

    try:
        write_atomic(path, content)
    except OSError as exc:
        raise click.ClickException(f"{option}: cannot write '{path}': {exc.strerror or exc}") from exc
