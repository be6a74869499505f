"""Questions about the map: what a node needs and opens, why A leads to B, a node in full, lists and search."""

from __future__ import annotations

import sys

import click

from .app import Session, command
from .options import complete_areas, complete_ids, echo_json, format_option, resolve_id


def _related_command(name: str, reverse: bool, key: str, doc: str):
    @command(name=name, help=doc)
    @click.argument("node_id", metavar="ID", shell_complete=complete_ids)
    @click.option("--depth", type=click.IntRange(min=0), default=None, help="Follow at most N edges.")
    @click.option("--include-recommended", is_flag=True, help="Follow recommendations too.")
    @format_option("tree", "list", "json", default="tree")
    @click.option("--charset", type=click.Choice(["utf8", "ascii"]), default="utf8", show_default=True,
                  help="Draw the tree's branches with these characters.")
    @click.pass_obj
    def related(session: Session, node_id, depth, include_recommended, fmt, charset) -> None:
        from .. import query
        from ..indexquery import related as part

        found = session.from_index(part, node_id, reverse, depth, include_recommended, fmt == "tree")
        if found is not None:
            graph, node_id = found
        else:  # the whole map, read without NetworkX when it comes from the cache
            graph = session.read_only_graph
            node_id = resolve_id(graph, node_id)
        if fmt == "tree":
            from ..render.text import tree_lines

            rows = query.tree(graph, node_id, reverse=reverse, depth=depth, include_recommended=include_recommended)
            _echo_lines(session, tree_lines(graph, rows, session.style(charset=charset)))
            return
        find = query.dependents if reverse else query.prerequisites
        ids = find(graph, node_id, depth=depth, include_recommended=include_recommended)
        if fmt == "json":
            from ..render.json import related_json

            click.echo(related_json(graph, node_id, key, ids, depth), nl=False)
        else:
            from ..render.text import list_text

            session.echo(list_text(graph, ids, session.style()), nl=False)

    return related


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


@command()
@click.argument("source", metavar="A", shell_complete=complete_ids)
@click.argument("target", metavar="B", shell_complete=complete_ids)
@click.option("--all", "all_paths", is_flag=True, help="Every path, shortest first, those of one length in file "
                                                       "order (bounded by --limit).")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="At most this many paths with --all.")
@click.option("--include-recommended", is_flag=True, help="Follow recommendations too.")
@click.option("--through-resources", is_flag=True, help="Let a path run through a resource (what it needs, "
                                                        "what it teaches).")
@format_option("text", "json")
@click.pass_obj
def path(session: Session, source, target, all_paths, limit, include_recommended, through_resources, fmt) -> None:
    """Why A is needed for B: the chain of required edges from A to B, with relations and reasons.

    Exit 1 if there is none.
    """
    from ..indexquery import way
    from ..query import paths

    found = session.from_index(way, source, target, include_recommended, through_resources)
    if found is not None:
        graph, source, target = found
    else:
        graph = session.graph
        source, target = resolve_id(graph, source), resolve_id(graph, target)
    found = paths(graph, source, target, limit if all_paths else 1, include_recommended, through_resources)
    if fmt == "json":
        from ..render.json import paths_json

        click.echo(paths_json(graph, source, target, found), nl=False)
    elif found:
        from ..render.text import paths_text

        session.echo(paths_text(graph, found, session.style()), nl=False)
    if not found:
        reverse = paths(graph, target, source, 1, include_recommended, through_resources)
        hint = f" (but {target} leads to {source}: try 'graph path {target} {source}')" if reverse else ""
        click.echo(f"no path from {source} to {target}: {source} is not needed for {target}{hint}", err=True)
        sys.exit(1)


@command()
@click.argument("node_id", metavar="ID", shell_complete=complete_ids)
@format_option("text", "json")
@click.pass_obj
def show(session: Session, node_id, fmt) -> None:
    """A node in full: fields, resources, what it teaches, prerequisites and dependents with reasons."""
    from ..indexquery import neighbourhood
    from ..plan import resources_for

    found = session.from_index(neighbourhood, node_id)
    if found is not None:
        graph, node_id = found
    else:
        graph = session.graph
        node_id = resolve_id(graph, node_id)
    resources = resources_for(graph, node_id)
    if fmt == "json":
        from ..render.json import node_json

        click.echo(node_json(graph, node_id, resources), nl=False)
    else:
        from ..render.text import node_text

        session.echo(node_text(graph, node_id, resources, session.style()), nl=False)


@command(name="list")
@click.option("--kind", type=click.Choice(["topic", "resource", "degree"]), help="Only nodes of this kind.")
@click.option("--area", metavar="AREA", shell_complete=complete_areas, help="Only nodes of this area.")
@format_option("text", "json")
@click.pass_obj
def list_command(session: Session, kind, area, fmt) -> None:
    """Every node (or those of a kind and area) in file order, with kind and area. Exit 1 if none."""
    from ..indexquery import selected
    from ..lookup import select

    area = _check_area(session, area)
    graph = session.from_index(selected, kind, area)
    if graph is None:
        graph = session.graph
    found = select(graph, kind, area)
    if fmt == "json":
        echo_json(session, {"kind": kind, "area": area, "nodes": [_node_summary(graph, n) for n in found]})
    else:
        from ..render.text import nodes_text

        session.echo(nodes_text(graph, found, session.style()), nl=False)
    if not found:
        click.echo(f"no node{f' of kind {kind}' if kind else ''}{f' in area {area}' if area else ''}", err=True)
        sys.exit(1)


def _check_area(session: Session, area: str | None) -> str | None:
    """Return the area ``--area`` names, as names resolve (``Calculus`` is ``calculus``), or refuse it."""
    from ..errors import did_you_mean
    from ..index import Index
    from ..lookup import areas, resolve_area
    from ..partial import Partial

    if area is None:
        return None
    known = session.from_index(Index.areas)
    # From the index, a part holding one node per area, in the map's order of areas: what resolve_area reads.
    graph = session.graph if known is None else Partial((str(i), {"area": a}) for i, a in enumerate(known))
    found = resolve_area(graph, area)
    if found is None:
        raise click.BadParameter(f"no node has area '{area}'{did_you_mean(area, areas(graph))}",
                                 param_hint="'--area'")
    return found


def _node_summary(graph, node) -> dict:
    data = graph.nodes[node]
    return {"id": node, "name": data.get("name", node), "kind": data.get("kind"), "area": data.get("area"),
            "hours": data.get("hours"), "summary": data.get("summary")}


@command()
@click.argument("words", nargs=-1, required=True, metavar="WORDS...")
@click.option("--kind", type=click.Choice(["topic", "resource", "degree"]), help="Only nodes of this kind.")
@click.option("--area", metavar="AREA", shell_complete=complete_areas, help="Only nodes of this area.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many.")
@format_option("text", "json")
@click.pass_obj
def search(session: Session, words, kind, area, limit, fmt) -> None:
    """Nodes whose id, name, aliases, area or summary hold every word, best first. Exit 1 if none.

    A word matches a whole word or the start of one, in any case; matches in a node's own id and
    name rank first, then its aliases, then its area and summary.
    """
    from ..indexquery import search_part
    from ..lookup import search as find

    area = _check_area(session, area)
    query = " ".join(words)
    graph = session.from_index(search_part, query, kind, area)
    if graph is None:
        graph = session.graph
    found = find(graph, query, kind, area, limit)
    if fmt == "json":
        echo_json(session, {"query": query, "results": [
            {**_node_summary(graph, m.id), "score": m.score, "matched": list(m.fields)} for m in found]})
    else:
        from ..render.text import search_text

        session.echo(search_text(graph, found, session.style()), nl=False)
    if not found:
        click.echo(f"nothing matches '{query}' (in {session.data_label})", err=True)
        sys.exit(1)
