"""The author's commands: ``validate`` a map, ``import`` one from other formats, ``init`` a new one, ``diff`` two."""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

import click

from ..errors import UnknownIdError
from ..render.text import plural
from .app import Session, command, say
from .options import split_ids


@command()
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
    from ..render.text import diagnostic_text
    from ..validate import REDUNDANT_LIMIT

    limit = {None: REDUNDANT_LIMIT, True: None, False: -1}[redundant]
    loaded = session.load(redundant_limit=limit)
    shown = [d for d in loaded.diagnostics if not (quiet and d.level != "error")]
    nodes, edges = loaded.counts  # what the files give, as import counts it: bad entries too
    folder = str(loaded.data_dir.resolve())
    if fmt == "json":
        click.echo(json.dumps({
            "data": folder,
            "valid": not loaded.errors,
            "nodes": nodes,
            "edges": edges,
            "diagnostics": [d.to_dict() for d in shown],
        }, indent=2, ensure_ascii=False))
    else:
        if fmt == "github":
            from ..render.github import annotations

            # GitHub reads annotation paths from the repository's root, whatever the step's working folder.
            click.echo(annotations(shown, root=os.environ.get("GITHUB_WORKSPACE") or Path.cwd()), nl=False)
        else:
            style = session.style()
            for d in shown:
                session.echo(diagnostic_text(d, style))
        from ..render.github import summary_line
        from ..sinks import terminal

        errors, warnings = len(loaded.errors), len(loaded.warnings)
        verdict = plural(errors, "error") if errors else "valid"
        summary = f"{folder}: {plural(nodes, 'node')}, {plural(edges, 'edge')}: {verdict}, {plural(warnings, 'warning')}"
        # The folder's name is the user's: escaped for the sink (a CI log reads '::error::' as a command).
        click.echo(summary_line(summary) if fmt == "github" else terminal(summary))
    sys.exit(1 if loaded.errors else 0)


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


@command(name="import", uses=())
@click.argument("fmt", metavar="FORMAT", type=_ImportFormat(["csv", "tsv", "graphml", "json", "markdown"]))
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--output", "--out", "-o", "out", required=True, metavar="DIR",
              help="The data folder to write (nodes.yaml, edges.yaml).")
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
@click.option("--heading-topics", is_flag=True, help="markdown: make each heading with links under it, and each "
                                                    "list group, a topic its resources teach [default: areas only].")
@click.pass_context
def import_command(ctx, fmt, sources, out, force, heading_topics, **csv_options) -> None:
    """Write a new data folder from graphs in other formats, then check it with 'graph validate'.

    FORMAT is csv or tsv (edge lists of prerequisite pairs), graphml (graph export, yEd, Gephi), json
    (NetworkX node-link) or markdown (a curated list or a curriculum's tables). Never writes over its sources or, without --force, over a data folder.
    """
    from ..imports import ImportFailure, write_folder

    given = [name for name in _CSV_ONLY if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE]
    if heading_topics and fmt != "markdown":
        raise click.UsageError("--heading-topics: applies to markdown only")
    try:
        if fmt in ("csv", "tsv"):
            from ..imports.csv import CsvOptions, read_edges

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
            if fmt == "markdown":
                from ..imports.markdown import read_markdown

                def read(paths):
                    return read_markdown(paths, heading_topics)
            elif fmt == "graphml":
                from ..imports.graphml import read_graphml as read
            else:
                from ..imports.nodelink import read_nodelink as read
            imported = read(list(sources))
        read_files = [*sources, *([csv_options["nodes"]] if csv_options["nodes"] else [])]
        written = write_folder(imported, out, force, read_files)
    except ImportFailure as exc:
        say(f"graph import: {exc}")
        sys.exit(2)
    click.echo(f"wrote {written[0]} ({plural(len(imported.nodes), 'node')}) and {written[1]} "
               f"({plural(len(imported.edges), 'edge')})")
    for note in imported.notes:
        say(f"note: {note}")
    say(f"next: graph --data {shlex.quote(str(out))} validate")


@command(name="init", uses=())
@click.argument("folder", metavar="DIR")
@click.option("--force", is_flag=True, help="Replace the data files DIR already holds.")
def init_command(folder, force) -> None:
    """Write a small example map into DIR: two topics, a resource and a degree, each field explained."""
    from ..output import FilesExist
    from ..starter import write_starter

    try:
        written = write_starter(folder, force)
    except FilesExist as exc:
        raise click.UsageError(str(exc)) from None
    folder = shlex.quote(str(folder))
    click.echo(f"wrote {' and '.join(map(str, written))}; try: graph --data {folder} validate && "
               f"graph --data {folder} order --target shopper")


def _diff_target(sides: list, text: str) -> str:
    """Return the id ``text`` names in NEW (the map under review), else in OLD; exit 2 naming both if neither."""
    from ..lookup import AmbiguousNameError, resolve

    suggestions = []
    for side in reversed(sides):
        try:
            return resolve(side.loaded.graph, text)
        except AmbiguousNameError as exc:
            say(f"Error: --target: {exc} (in {side.label})")
            sys.exit(2)
        except UnknownIdError as exc:
            suggestions += exc.suggestions
    hint = UnknownIdError(text, list(dict.fromkeys(suggestions))[:3])
    say(f"Error: --target: {hint} (in neither {sides[0].label} nor {sides[1].label})")
    sys.exit(2)


@command(name="diff", uses=("cache",))
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

    OLD and NEW are data folders or git revisions with a folder, such as main:data (read with git cat-file;
    nothing is checked out). Exits 0 if nothing changed, 1 if something did, 2 if a side cannot be read.
    """
    from ..diff import DiffFailure, compare, read_side

    if max_chars is not None and fmt != "markdown":
        raise click.UsageError("--max-chars: applies to --format markdown")
    try:
        sides = [read_side(spec, name, session.use_cache) for spec, name in ((old, "OLD"), (new, "NEW"))]
    except DiffFailure as exc:
        say(f"graph diff: {exc}")
        sys.exit(2)
    targets = [_diff_target(sides, text) for text in split_ids(targets)] or None
    result = compare(sides[0].loaded, sides[1].loaded, targets, old, new)
    if fmt == "json":
        from ..render.diff import diff_json as render
    elif fmt == "markdown":
        from ..render.diff import diff_markdown

        def render(d):
            return diff_markdown(d, max_chars)
    else:
        from ..render.diff import diff_text as render
    click.echo(render(result), nl=False)
    sys.exit(1 if result.changed else 0)


@command(name="check-links")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="json: one entry per link; github: GitHub Actions annotations on the nodes.yaml lines.")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=600), default=10.0, show_default=True,
              metavar="SECONDS", help="How long to wait for each answer.")
@click.option("--per-host", type=click.IntRange(min=1, max=64), default=4, show_default=True,
              help="At most this many requests at a time to one host.")
@click.option("--retries", type=click.IntRange(min=0, max=10), default=2, show_default=True,
              help="Retries after a 5xx, a 429 or a failed connection.")
@click.option("--backoff", type=click.FloatRange(min=0, max=60), default=1.0, show_default=True, metavar="SECONDS",
              help="The wait before the first retry, doubled for each next one (a 429's Retry-After overrides it, "
                   "up to 60 s).")
@click.option("--results-cache", metavar="FILE", type=click.Path(dir_okay=False),
              help="Keep results in FILE (JSON) and reuse those younger than --max-age.")
@click.option("--max-age", default="7d", show_default=True, metavar="AGE",
              help="How long a cached result stands: 7d, 12h, 30m or seconds.")
@click.option("--exclude-private", is_flag=True,
              help="Skip links whose host is or resolves to a loopback, private or link-local address.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on blocked, timed-out and failed links too, not only "
                                             "dead ones.")
@click.option("--all", "show_all", is_flag=True, help="text: list the alive links too.")
@click.pass_obj
def check_links(session: Session, fmt, timeout, per_host, retries, backoff, results_cache, max_age, exclude_private,
                strict, show_all) -> None:
    """Check every url, current_url and part_url of the map over HTTP; exit 1 if a link is dead.

    Statuses: alive, moved (a redirect; permanent ones suggest current_url), dead (404, 410, a name that
    does not resolve while others do; when none resolves, exit 2: the machine seems offline), blocked (401, 403), timeout, error (TLS, 5xx or 429 after the retries), skipped.
    """
    from ..linkcheck import CheckOptions, NoTLS, ResultsCache, check, failed, links_of, offline, parse_age
    from ..render.linkcheck import annotations_text, results_json, results_text

    try:
        age = parse_age(max_age)
    except ValueError:
        raise click.UsageError(f"--max-age: give a duration such as 7d, 12h, 30m or 90 (seconds), "
                               f"found '{max_age}'") from None
    if results_cache:
        session.check_output(results_cache, "--results-cache")
    cache = ResultsCache(results_cache, age) if results_cache else None
    if cache is not None and cache.problem:
        click.echo(f"graph check-links: --results-cache '{results_cache}': {cache.problem}", err=True)
    loaded = session.load()
    if loaded.errors:
        from ..errors import DataError

        raise DataError(loaded.diagnostics)
    options = CheckOptions(timeout=timeout, per_host=per_host, retries=retries, backoff=backoff,
                           exclude_private=exclude_private)
    try:
        results = check(links_of(loaded), options, cache)
    except NoTLS as exc:
        click.echo(f"graph check-links: {exc} (exit 2; no link was checked)", err=True)
        sys.exit(2)
    if cache is not None:
        try:
            cache.save()
        except OSError as exc:
            raise click.ClickException(f"--results-cache: cannot write '{results_cache}': "
                                       f"{exc.strerror or exc}") from exc
    if fmt == "json":
        click.echo(results_json(results), nl=False)
    elif fmt == "github":
        click.echo(annotations_text(results, root=os.environ.get("GITHUB_WORKSPACE") or Path.cwd()), nl=False)
    else:
        click.echo(results_text(results, show_all), nl=False)
    if offline(results):
        click.echo("graph check-links: no host name of the map resolved, so no link was checked: is this machine "
                   "offline? (exit 2; nothing was cached as dead)", err=True)
        sys.exit(2)
    sys.exit(1 if failed(results, strict) else 0)
