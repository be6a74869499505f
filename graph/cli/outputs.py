"""Outputs to open or import elsewhere: the page (``html``), everything at once (``build``), and ``export``."""

from __future__ import annotations

import click

from ..render.text import plural
from .app import Session, command
from .options import (echo_json, format_option, known_options, output_format, output_option, read_known,
                      resolve_id, target_option, typed_option, write_output)


@command()
@target_option(False, "Draw only the plan to reach ID, numbered in study order.")
@known_options
@click.option("--include-recommended", is_flag=True, help="With --target: also what is only recommended.")
@click.option("--output", "--out", "-o", "out", default="out/graph.html", show_default=True,
              type=click.Path(dir_okay=False), help="Where to write the page (never inside the data folder).")
@format_option("text", "json")
@click.pass_obj
def html(session: Session, target, known, progress, include_recommended, out, fmt) -> None:
    """Write the interactive map as one self-contained HTML page."""
    from ..plan import study_plan
    from ..render.html import render_html

    graph = session.graph
    said = typed_option("--output", "--out")
    out = session.check_output(out, said)
    target = resolve_id(graph, target) if target else None
    learner = read_known(graph, known, progress)
    plan = study_plan(graph, target, learner.ids, include_recommended) if target else None
    page = render_html(graph, plan=plan, known=frozenset(learner.ids))  # what was marked: the page derives the rest
    write_output(out, page, said)
    size = len(page.encode())
    if fmt == "json":
        echo_json(session, {"out": str(out), "bytes": size, "data": str(session.data_dir.resolve()),
                        "nodes": graph.number_of_nodes(), "target": target,
                        "steps": len(plan.steps) if plan else None, "known": learner.ids,
                        "progress": learner.progress})
        return
    drawn = f"{plural(len(plan.steps), 'plan step')}" if plan else plural(graph.number_of_nodes(), "node")
    note = f"; {learner.note}" if learner.note else ""
    click.echo(f"wrote {out} ({drawn} of {session.data_label}, {size:,} bytes{note})")


@command(name="build")
@click.option("--output", "--out", "-o", "out", default="out", show_default=True, type=click.Path(file_okay=False),
              metavar="DIR",
              help="The folder to write (never inside the data folder).")
@known_options
@click.option("-q", "--quiet", is_flag=True, help="Print only the closing summary.")
@format_option("text", "json")
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

    from ..build import BuildError, build
    from ..render.mermaid import MAX_EDGES

    started = time.perf_counter()
    said = typed_option("--output", "--out")
    out = session.check_output(out, said, folder=True)
    graph = session.graph
    learner = read_known(graph, known, progress)
    try:
        written = build(graph, out, learner.ids)
    except BuildError as exc:
        raise click.ClickException(f"{said}: {exc}") from exc
    if graph.number_of_edges() > MAX_EDGES:
        click.echo(f"note: {out}/graph.mmd has {graph.number_of_edges():,} edges; Mermaid (and GitHub) draws at "
                   f"most {MAX_EDGES} by default: for a drawing, use 'graph export --format mermaid --target ID'",
                   err=True)
    changed = sum(item.changed for item in written)
    if fmt == "json":
        echo_json(session, {"out": str(out), "data": str(session.data_dir.resolve()),
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


EXPORT_FORMATS = ("json", "graphml", "dot", "mermaid", "markdown")


@command(name="export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS),
              help="json (NetworkX node-link), graphml, dot (Graphviz), mermaid or markdown (a curated list) "
                   "[default: from the --output file's extension].")
@target_option(False, "Only the study plan to reach ID: its steps, the resources teaching them, the edges "
                       "among them.")
@output_option()
@click.option("--report", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="With --output: how to report the file written (--format is the export's own format).")
@click.pass_obj
def export_command(session: Session, fmt, target, output, report) -> None:
    """Print or write the graph, or one plan's subgraph, for other tools."""
    from ..build import EXPORT_SUFFIXES, export_text

    to_file = output not in (None, "-")
    fmt = output_format(output, fmt, EXPORT_SUFFIXES, default=None)
    if fmt is None:
        hint = f" (cannot tell from '{output}')" if to_file else ""
        raise click.UsageError(f"--format: give one of {', '.join(EXPORT_FORMATS)}{hint}")
    if report == "json" and not to_file:
        raise click.UsageError("--report json reports a file written: give --output FILE")
    if to_file:
        session.check_output(output, "--output")
    graph = session.graph
    target = resolve_id(graph, target) if target else None
    text = export_text(graph, fmt, target)
    if not to_file:
        click.echo(text, nl=False)
        return
    write_output(output, text, "--output")
    size = len(text.encode())
    if report == "json":
        echo_json(session, {"output": output, "format": fmt, "bytes": size, "target": target,
                        "data": str(session.data_dir.resolve())})
    else:
        click.echo(f"wrote {output} ({fmt}, {size:,} bytes, from {session.data_label})")
