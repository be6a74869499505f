"""What several commands share: completion of ids and areas, the known and target options, and
writing answers (JSON to standard output, files atomically)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import click

from .app import PROGRESS_HELP, Session


def _completion_graph(ctx: click.Context):
    """The graph of the data folder the command line names so far, or None (completion must never fail)."""
    session = ctx.find_object(Session) or Session()
    try:
        return session.load().graph
    except Exception:  # an unreadable folder completes nothing
        return None


def _from_index(ctx: click.Context, answer, *args):
    """``answer`` from the index of the data folder the command line names so far, or None."""
    session = ctx.find_object(Session) or Session()
    try:
        return session.from_index(answer, *args)
    except Exception:  # an unreadable folder: completion loads it, and completes nothing
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
    from ..indexquery import completions

    head, comma, word = incomplete.rpartition(",") if param.name == "known" else ("", "", incomplete)
    found = _from_index(ctx, completions, word)
    if found is None:
        graph = _completion_graph(ctx)
        if graph is None:
            return []
        word = word.casefold()
        found = [(node, graph.nodes[node].get("name")) for node in graph
                 if isinstance(node, str) and node.casefold().startswith(word)]
    return _completions((f"{head}{comma}{node}", name) for node, name in found)


def complete_areas(ctx: click.Context, param, incomplete: str):
    """Complete the areas of the data folder in use."""
    from ..index import Index
    from ..lookup import areas

    known = _from_index(ctx, Index.areas)
    if known is None:
        graph = _completion_graph(ctx)
        known = [] if graph is None else areas(graph)
    return _completions((a, None) for a in known if isinstance(a, str) and a.startswith(incomplete))


# --- shared options and helpers ---------------------------------------------------------------------------------

def split_ids(values) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def resolve_id(graph, text: str) -> str:
    from ..lookup import resolve

    return resolve(graph, text)


class _Known(NamedTuple):
    """What the learner knows: the ids marked (``--known`` and the progress file), the progress file read
    (or None), a note saying so ("known: 5 marked (9 with what they need), from progress.yaml"), and the
    ids with what they need (:func:`graph.plan.known_closure` along required edges)."""

    ids: list
    progress: str | None
    note: str | None
    closure: set


def read_progress(progress: str | None):
    """Return the progress file to use (:func:`graph.progress.locate`) and its ``(text, line)`` entries, or
    None for them when there is no file to read (none named, and no default file).

    Raises :class:`graph.progress.ProgressError`, its ``source`` set, for a file that cannot be read.
    """
    from ..progress import ProgressError, locate, read_progress_lines

    location = locate(progress)
    if not (location.given or location.path.exists()):
        return location, None
    try:
        return location, read_progress_lines(location.path)
    except ProgressError as exc:
        exc.source = location.source
        raise


def read_known(graph, known: tuple, progress: str | None, read=None) -> _Known:
    """Return the known ids from ``--known`` and the progress file (:func:`graph.marks.marks_of`: its
    entries as names resolve; those this map does not have are warned about on standard error, and kept).

    ``read``: what :func:`read_progress` returned, when the caller read the file already.
    """
    from ..lookup import resolve_all
    from ..marks import marks_of
    from ..plan import known_closure
    from ..render.text import known_phrase

    ids = resolve_all(graph, split_ids(known))
    sources = ["--known"] if ids else []
    location, lines = read_progress(progress) if read is None else read
    used = None
    if lines is not None:
        used = str(location.path)
        marks = marks_of(graph, lines, used)
        echo_progress_warnings(marks.warnings)
        ids += marks.marked
        sources.append(used)
    ids = list(dict.fromkeys(ids))
    closure = known_closure(graph, ids)
    note = f"known: {known_phrase(len(ids), len(closure))}, from {' and '.join(sources)}" if sources else None
    return _Known(ids, used, note, closure)


SHOWN_WARNINGS = 20  # a progress file may hold thousands of entries another map has: the first few, then a count


def echo_progress_warnings(warnings, style=None) -> None:
    """Print a progress file's warnings to standard error: the first :data:`SHOWN_WARNINGS`, then how many more."""
    from ..render.style import PLAIN
    from ..render.text import diagnostic_text

    for warning in warnings[:SHOWN_WARNINGS]:
        click.echo(diagnostic_text(warning, style or PLAIN), err=True)
    if len(warnings) > SHOWN_WARNINGS:
        more = len(warnings) - SHOWN_WARNINGS
        click.echo(f"{warnings[0].path}: and {more:,} more {'entry' if more == 1 else 'entries'} this map does not "
                   "have (kept in the file)", err=True)


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


def output_option(what: str = "FILE"):
    """``--output/-o FILE``: write the answer to a file instead of standard output."""
    return click.option("--output", "-o", metavar=what, type=click.Path(dir_okay=False),
                        help="Write to FILE (atomically; never inside the data folder) instead of standard output; "
                             "its extension chooses the format unless --format does, and must agree with it.")


def output_format(output, fmt: str | None, suffixes: dict, default: str | None = "text") -> str | None:
    """Return the format to write ``output`` in: ``fmt`` (``--format``), else the one its extension names
    in ``suffixes``, else ``default`` when it has no extension (or goes to standard output).

    Refused, naming the extension: an extension that names another format than ``--format``, and, without
    ``--format``, an extension no format has (``plan.pdf``: writing text under that name would mislead;
    ``--format text`` writes it anyway). ``default`` None: the caller decides what an unknown extension means.
    """
    if output in (None, "-"):
        return fmt or default
    suffix = Path(output).suffix.lower()
    implied = suffixes.get(suffix)
    if fmt and implied and implied != fmt:
        better = next((s for s, f in suffixes.items() if f == fmt), None)
        rename = f"name it '{Path(output).with_suffix(better)}'" if better else "use another name"
        raise click.UsageError(f"--output: '{output}' ends in {suffix} ({implied}), but --format {fmt} writes "
                               f"{fmt}: {rename}, or leave --format out")
    if fmt or implied:
        return fmt or implied
    if suffix and default is not None:
        known = ", ".join(dict.fromkeys(suffixes))
        raise click.UsageError(f"--output: '{output}' ends in {suffix}, which is no format this command writes "
                               f"({known}): rename it, or give --format to write that format under this name")
    return default


def typed_option(*names: str) -> str:
    """Return which of ``names`` (one option's long spellings, ``--output`` and its alias ``--out``) the command
    line used, the last given, so that a message names what the user typed; the first when none was (or
    only its short form, ``-o``)."""
    args = click.get_current_context().meta.get("graph.args", [])
    used = [a.partition("=")[0] for a in args if a.partition("=")[0] in names]
    return used[-1] if used else names[0]
