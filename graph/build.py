"""Build everything a user opens or imports from a valid graph, and exports of it.

:func:`build` writes, into an output folder:

* ``graph.html``: the interactive map of the whole graph;
* ``plans/<degree-id>.md`` and ``plans/<degree-id>.json``: the study plan of
  every degree (what ``graph order --target ID`` prints as Markdown and JSON);
* ``graph.json`` (NetworkX node-link), ``graph.graphml`` (Gephi, yEd,
  Cytoscape, igraph), ``graph.dot`` (Graphviz) and ``graph.mmd`` (Mermaid).

A build is all or nothing. Every file is rendered in memory first: a failing
renderer leaves the folder untouched. The files that changed are then written
to a staging folder inside the output folder (``.graph-build-staging-*``,
each file flushed to disk), and only then moved into place, one ``os.replace``
each, with no rendering or writing in between. A build killed before that
leaves every old file as it was and a staging folder that the next build
removes; an error while moving (a full disk, a permission) puts the old files
back. Only a kill within the moves themselves, a few renames, could leave old
and new files side by side, until the next build. A file whose bytes are unchanged is not rewritten (its time stamp
stays). Files the build did not write are never touched: the build records
what it wrote in ``.graph-build.json`` and removes only files it wrote before
and no longer writes (the plan of a deleted degree). Two builds of the same
data give the same bytes: no time stamps, sorted keys, file order throughout.
One build at a time may write a folder (a lock on the folder, where the
system has ``flock``).

:func:`export_text` renders one format for the whole graph or for the
subgraph of one study plan (:func:`plan_subgraph`).

>>> import networkx as nx, tempfile
>>> g = nx.DiGraph()
>>> g.add_nodes_from([("a", {"name": "A", "kind": "topic"}), ("d", {"name": "D", "kind": "degree"})])
>>> g.add_edge("a", "d", relation="prerequisite")
>>> out = Path(tempfile.mkdtemp()) / "out"
>>> [(w.name, w.changed) for w in build(g, out)][:3]
[('graph.html', True), ('graph.json', True), ('graph.graphml', True)]
>>> [w.name for w in build(g, out) if w.changed]
[]
>>> sorted(p.name for p in (out / "plans").iterdir())
['d.json', 'd.md']
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import networkx as nx

from .output import locked
from .plan import Plan, study_plan
from .render import dot, graphml, markdown, mermaid
from .render import json as json_render

__all__ = [
    "EXPORT_FORMATS",
    "EXPORT_ONLY",
    "EXPORT_SUFFIXES",
    "MANIFEST",
    "BuildError",
    "Written",
    "build",
    "export_text",
    "format_for_path",
    "plan_subgraph",
    "render_export",
    "render_files",
]

#: Export format -> file name in a build.
EXPORT_FORMATS = {"json": "graph.json", "graphml": "graph.graphml", "dot": "graph.dot", "mermaid": "graph.mmd"}
#: Export formats a build does not write: the curated list is for publishing, not for other tools.
EXPORT_ONLY = ("markdown",)
MANIFEST = ".graph-build.json"
STAGING_PREFIX = ".graph-build-staging-"
EXPORT_SUFFIXES = {".json": "json", ".graphml": "graphml", ".dot": "dot", ".gv": "dot", ".mmd": "mermaid",
                   ".mermaid": "mermaid", ".md": "markdown"}


class BuildError(Exception):
    """The output folder cannot be written; the message names it and says why."""


@dataclass(frozen=True)
class Written:
    """One file of a build: where it is, its size, and whether this build changed it."""

    path: Path
    name: str  # relative to the output folder, with '/'
    size: int
    changed: bool


def format_for_path(path) -> str | None:
    """Return the export format a file name implies, or ``None``.

    >>> format_for_path("map.graphml"), format_for_path("x/plan.gv"), format_for_path("notes.txt")
    ('graphml', 'dot', None)
    """
    return EXPORT_SUFFIXES.get(PurePosixPath(str(path)).suffix.lower()) if path else None


def render_export(graph: nx.DiGraph, fmt: str) -> str:
    """Return ``graph`` in export format ``fmt``: ``json``, ``graphml``, ``dot``, ``mermaid`` or ``markdown``.

    >>> render_export(nx.DiGraph([("a", "b")]), "mermaid").splitlines()[:2]
    ['flowchart LR', '    n0("a<br/>#40;a#41;")']
    """
    if fmt == "json":
        return json_render.graph_json(graph)
    if fmt == "graphml":
        return graphml.graph_graphml(graph)
    if fmt == "dot":
        return dot.graph_dot(graph)
    if fmt == "mermaid":
        return mermaid.graph_mermaid(graph)
    if fmt == "markdown":
        from .render.markdown_list import map_markdown

        return map_markdown(graph)
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join([*EXPORT_FORMATS, *EXPORT_ONLY])}")


def plan_subgraph(graph: nx.DiGraph, plan: Plan) -> nx.DiGraph:
    """Return the plan's steps and the resources that teach them, with every edge among them.

    Nodes come in study order, each step followed by its resources not seen
    before; a step node gains a ``step`` attribute (its number in the plan),
    and the graph a ``target`` attribute.

    >>> g = nx.DiGraph()
    >>> g.add_nodes_from([("r", {"kind": "resource"}), ("a", {"kind": "topic"}), ("b", {"kind": "topic"}),
    ...                   ("x", {"kind": "topic"})])
    >>> req = {"relation": "prerequisite", "strength": "required"}
    >>> g.add_edges_from([("r", "a", {"relation": "teaches"}), ("a", "b", req), ("b", "x", req)])
    >>> sub = plan_subgraph(g, study_plan(g, "b"))
    >>> list(sub.nodes(data="step")), list(sub.edges), sub.graph
    ([('a', 1), ('r', None), ('b', 2)], [('a', 'b'), ('r', 'a')], {'target': 'b'})
    """
    sub = nx.DiGraph(target=plan.target)
    for step in plan.steps:
        sub.add_node(step.id, **graph.nodes[step.id], step=step.number)
        for resource in step.resources:
            if resource["id"] not in sub:
                sub.add_node(resource["id"], **graph.nodes[resource["id"]])
    sub.add_edges_from((u, v, data) for u in sub for v, data in graph._succ[u].items() if v in sub)
    return sub


def export_text(graph: nx.DiGraph, fmt: str, target=None) -> str:
    """Return the whole graph, or the subgraph of the plan to reach ``target``, in format ``fmt``.

    Raises :class:`graph.errors.UnknownIdError` for an unknown ``target``.
    """
    if target is not None:
        graph = plan_subgraph(graph, study_plan(graph, target))
    return render_export(graph, fmt)


def _degrees(graph: nx.DiGraph) -> list:
    return [node for node, kind in graph.nodes(data="kind") if kind == "degree"]


def render_files(graph: nx.DiGraph, known=()) -> dict[str, bytes]:
    """Return every file of a build, rendered: relative name (with ``/``) -> bytes, in a fixed order.

    ``known``: ids the learner knows: drawn as done on the map, left out of the plans.
    """
    from .render.html import render_html

    known = list(known)
    texts = {"graph.html": render_html(graph, known=frozenset(known))}  # what was marked: the page derives the rest
    for fmt, name in EXPORT_FORMATS.items():
        texts[name] = render_export(graph, fmt)
    for degree in _degrees(graph):
        _check_file_name(degree)
        plan = study_plan(graph, degree, known)
        texts[f"plans/{degree}.md"] = markdown.plan_markdown(plan)
        texts[f"plans/{degree}.json"] = json_render.plan_json(plan)
    return {name: text.encode("utf-8") for name, text in texts.items()}


def _check_file_name(node_id) -> None:
    name = str(node_id)
    if not name or name.startswith(".") or any(c in name for c in '/\\:\0') or name != name.strip():
        raise BuildError(f"degree id {name!r} cannot be a file name in plans/")


def build(graph: nx.DiGraph, out_dir, known=()) -> list[Written]:
    """Render everything (:func:`render_files`, for a learner who knows ``known``) and write it into
    ``out_dir``, all or nothing.

    Returns one :class:`Written` per file, in build order. Raises
    :class:`BuildError` when the folder cannot be written (the folder is
    then as it was before); any error while rendering propagates before
    anything is written.
    """
    out = Path(out_dir)
    files = render_files(graph, known)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create the output folder '{out}': {_reason(exc)}") from exc
    if not out.is_dir():
        raise BuildError(f"'{out}' is not a folder")
    with _locked(out):
        return _write(out, files)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


@contextmanager
def _locked(out: Path):
    with ExitStack() as stack:
        try:
            stack.enter_context(locked(out, wait=False))
        except BlockingIOError as exc:
            raise BuildError(f"another 'graph build' is writing to '{out}'; try again when it is done") from exc
        yield


def _write(out: Path, files: dict[str, bytes]) -> list[Written]:
    for leftover in out.glob(STAGING_PREFIX + "*"):  # from a build that was killed; we hold the lock
        shutil.rmtree(leftover, ignore_errors=True)
    changed = {}
    for name, data in files.items():
        target = out / name
        if target.is_dir() or (target.parent != out and target.parent.exists() and not target.parent.is_dir()):
            raise BuildError(f"cannot write '{target}': a folder or file is in the way")
        if not (target.is_file() and _same(target, data)):
            changed[name] = data
    previous = _read_manifest(out)
    try:
        if changed:
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
            try:
                for name, data in changed.items():
                    _stage(staging / name, data)
                for name in changed:
                    (out / name).parent.mkdir(parents=True, exist_ok=True)
                _move_into_place(out, staging, list(changed))
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            _sync_dir(out)
        for name in previous - set(files):
            (out / name).unlink(missing_ok=True)
        if previous - set(files):
            _remove_empty_dirs(out, previous - set(files))
        manifest = json.dumps({"files": sorted(files)}, indent=2).encode() + b"\n"
        if not ((out / MANIFEST).is_file() and _same(out / MANIFEST, manifest)):
            _stage(out / (MANIFEST + ".tmp"), manifest)
            os.replace(out / (MANIFEST + ".tmp"), out / MANIFEST)
    except OSError as exc:
        raise BuildError(f"cannot write into '{out}': {_reason(exc)}") from exc
    return [Written(out / name, name, len(data), name in changed) for name, data in files.items()]


def _move_into_place(out: Path, staging: Path, names: list) -> None:
    """Move the staged files over their targets; on any error, put the old files back and re-raise."""
    kept = staging / ".previous"  # hard links to the files being replaced: the rollback
    done = []
    try:
        for name in names:
            target = out / name
            if target.exists() or target.is_symlink():
                (kept / name).parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(target, kept / name, follow_symlinks=False)
                except OSError:  # no hard links here: keep a copy
                    shutil.copy2(target, kept / name, follow_symlinks=False)
            os.replace(staging / name, target)
            done.append(name)
    except BaseException:
        for name in reversed(done):
            if (kept / name).exists() or (kept / name).is_symlink():
                os.replace(kept / name, out / name)
            else:
                (out / name).unlink(missing_ok=True)
        raise


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _stage(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` and flush it to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o644)


def _sync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _read_manifest(out: Path) -> set[str]:
    """Return the files a previous build wrote (only plain relative names inside ``out``)."""
    try:
        names = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    safe = set()
    for name in names if isinstance(names, list) else ():
        parts = PurePosixPath(name).parts if isinstance(name, str) else ()
        if parts and not PurePosixPath(name).is_absolute() and ".." not in parts and parts[0] != MANIFEST:
            safe.add(name)
    return safe


def _remove_empty_dirs(out: Path, names) -> None:
    for folder in sorted({(out / name).parent for name in names}, key=lambda p: -len(p.parts)):
        if folder != out:
            try:
                folder.rmdir()
            except OSError:
                pass
