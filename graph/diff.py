"""What a change to a map does: nodes and edges added, removed and changed, and the plans it moves.

:func:`read_side` loads one side of a comparison: a data folder, or a folder
at a git revision (``main:data``), whose two files are read with ``git
cat-file`` (nothing is checked out; a revision that begins with ``-`` is
refused, and each file's size is checked before it is read). :func:`compare` returns a :class:`MapDiff`:

* nodes and edges (keyed by ``from``/``to``) added, removed, and changed
  field by field;
* for each degree of either side (or each ``targets`` id), the study plan on
  each side (:func:`graph.plan.study_plan`): steps and hours, and the steps it
  gains and loses (or, with the same steps, whether their order changed),
  and the steps whose offered resources changed (which comes first matters);
* the errors and warnings of ``graph validate`` that the change introduces,
  and those it fixes (matched by message, line numbers aside, since lines move;
  warnings only when neither side has errors, since ``validate`` checks
  warnings only then). Plans are not compared when a side has a cycle: no
  order exists. A file that cannot be read at all (a YAML syntax error) would
  look as if all it holds were removed: its items, and plans, are not compared,
  and :attr:`MapDiff.unread` names it.

The renderers are in :mod:`graph.render.diff`.

>>> import networkx as nx
>>> from graph.loaded import Loaded
>>> old = nx.DiGraph(); old.add_node("a", name="A", kind="topic", hours=2); old.add_node("d", name="D", kind="degree")
>>> old.add_edge("a", "d", relation="prerequisite", strength="required")
>>> new = old.copy(); new.nodes["a"]["hours"] = 3
>>> d = compare(Loaded(old, [], "old"), Loaded(new, [], "new"))
>>> [(c.key, c.fields) for c in d.nodes_changed], [(p.target, p.old.hours, p.new.hours) for p in d.plans]
([('a', {'hours': (2, 3)})], [('d', 2, 3)])
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .errors import Diagnostic
from .loaded import Loaded
from .plan import study_plan
from .readlimits import Limit, file_limit
from .yamlread import Limits

__all__ = ["Change", "DiffFailure", "MapDiff", "PlanDelta", "PlanTotals", "Side", "compare", "read_side"]

_FILES = ("nodes.yaml", "edges.yaml")
_LINES = re.compile(r"\blines? \d+(?:(?:, | and )\d+)*")


class DiffFailure(Exception):
    """A side of the comparison cannot be read; the message names it."""


@dataclass
class Side:
    """One side of a comparison: how the user named it, and what loaded."""

    label: str
    loaded: Loaded


def read_side(spec: str, option: str, use_cache: bool = True) -> Side:
    """Load ``spec``: a data folder, or ``REVISION:FOLDER`` read from git (``main:data``, ``HEAD~1:.``).

    Diagnostics name the files as ``REVISION:FOLDER/nodes.yaml``. Raises
    :class:`DiffFailure` if the folder, the revision or a file does not exist.
    """
    from .load import load

    path = Path(spec)
    if path.is_dir():
        for name in _FILES:
            if not (path / name).is_file():
                raise DiffFailure(f"{option}: '{spec}' holds no {name}; a data folder holds nodes.yaml and edges.yaml")
        return Side(spec, load(path, use_cache=use_cache))
    revision, colon, folder = spec.partition(":")
    if not colon or path.exists():
        raise DiffFailure(f"{option}: '{spec}' is neither a data folder nor a git revision and folder "
                          "such as main:data")
    if revision.startswith("-"):  # git would read it as an option (--output=... writes files)
        raise DiffFailure(f"{option}: '{spec}': a revision cannot begin with '-'")
    folder = folder.rstrip("/")
    limit = file_limit(Limits.from_env().file_bytes)
    with tempfile.TemporaryDirectory(prefix="graph-diff-") as tmp:
        for name in _FILES:
            blob = f"{revision}:{folder}/{name}" if folder else f"{revision}:{name}"
            (Path(tmp) / name).write_bytes(_git_blob(blob, option, limit))
        loaded = load(tmp, use_cache=False)
    shown = {str(Path(tmp) / name): f"{spec.rstrip('/')}/{name}" for name in _FILES}
    loaded.diagnostics = [Diagnostic(shown.get(d.path, d.path), d.line, d.level, d.message)
                          for d in loaded.diagnostics]
    loaded.data_dir = Path(spec)
    return Side(spec, loaded)


def _git(args: list, blob: str, option: str) -> bytes:
    try:
        done = subprocess.run(["git", *args, "--end-of-options", blob], capture_output=True, check=False,
                              stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise DiffFailure(f"{option}: cannot run git to read '{blob}': {exc.strerror or exc}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffFailure(f"{option}: git cannot read '{blob}': {reason[-1] if reason else 'git cat-file failed'}")
    return done.stdout


def _git_blob(blob: str, option: str, limit: Limit) -> bytes:
    """Return the blob ``REVISION:PATH``, its size checked against ``limit`` before it is read."""
    if blob.startswith("-"):
        raise DiffFailure(f"{option}: '{blob}': a revision cannot begin with '-'")
    size = _git(["cat-file", "-s"], blob, option).strip()
    if not size.isdigit():
        raise DiffFailure(f"{option}: git cannot tell the size of '{blob}'")
    if int(size) > limit.bytes:
        raise DiffFailure(f"{option}: '{blob}': the file is {int(size):,} bytes, over {limit.name} of "
                          f"{limit.bytes:,} bytes{limit.raise_with}")
    data = _git(["cat-file", "blob"], blob, option)
    if len(data) > limit.bytes:  # the object changed between the two reads
        raise DiffFailure(f"{option}: '{blob}': over {limit.name} of {limit.bytes:,} bytes{limit.raise_with}")
    return data


@dataclass
class Change:
    """A node (``key`` its id) or an edge (``key`` its ``(from, to)``) and its changed fields: name -> (old, new)."""

    key: object
    fields: dict


@dataclass(frozen=True)
class PlanTotals:
    """One side's plan: its steps in order, their hours, and the resources each step offers, in order."""

    steps: tuple
    hours: float
    without_hours: int
    offers: tuple = ()  # (step id, (resource ids...)) for each step offering any


@dataclass
class PlanDelta:
    """A plan on both sides; ``old`` or ``new`` is ``None`` where the target does not exist."""

    target: str
    name: str
    old: PlanTotals | None
    new: PlanTotals | None

    @property
    def gained(self) -> list:
        """Steps of the new plan that the old one lacks, in the new plan's order."""
        before = set(self.old.steps) if self.old else set()
        return [s for s in (self.new.steps if self.new else ()) if s not in before]

    @property
    def lost(self) -> list:
        """Steps of the old plan that the new one lacks, in the old plan's order."""
        after = set(self.new.steps) if self.new else set()
        return [s for s in (self.old.steps if self.old else ()) if s not in after]

    @property
    def offers_changed(self) -> list:
        """``(step, old resources, new resources)`` for each step of both plans whose offer changed."""
        if not (self.old and self.new):
            return []
        before, after = dict(self.old.offers), dict(self.new.offers)
        steps = [s for s in self.new.steps if s in set(self.old.steps)]
        return [(s, list(before.get(s, ())), list(after.get(s, ()))) for s in steps
                if before.get(s, ()) != after.get(s, ())]

    @property
    def reordered(self) -> bool:
        """Whether both plans hold the same steps in another order."""
        return bool(self.old and self.new and self.old.steps != self.new.steps and not self.gained and not self.lost)

    @property
    def changed(self) -> bool:
        """Whether the plan differs at all (steps, order or hours)."""
        return self.old != self.new


@dataclass
class MapDiff:
    """Everything that differs between two maps."""

    old: str
    new: str
    nodes_added: list = field(default_factory=list)  # (id, fields)
    nodes_removed: list = field(default_factory=list)
    nodes_changed: list = field(default_factory=list)  # Change
    edges_added: list = field(default_factory=list)  # ((from, to), fields)
    edges_removed: list = field(default_factory=list)
    edges_changed: list = field(default_factory=list)
    plans: list = field(default_factory=list)  # PlanDelta, changed or not
    introduced: list = field(default_factory=list)  # Diagnostic of the new side
    fixed: list = field(default_factory=list)  # Diagnostic of the old side
    errors: tuple = (0, 0)  # errors on the old and new sides
    plans_skipped: str = ""  # why plans were not compared, if they were not
    unread: list = field(default_factory=list)  # the files of either side that could not be read at all

    @property
    def changed(self) -> bool:
        """Whether the maps differ in anything a user sees: data, plans or diagnostics."""
        return any((self.nodes_added, self.nodes_removed, self.nodes_changed, self.edges_added, self.edges_removed,
                    self.edges_changed, self.introduced, self.fixed, [p for p in self.plans if p.changed]))


def _field_changes(old: dict, new: dict) -> dict:
    names = list(old) + [n for n in new if n not in old]
    return {n: (old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n)
            or type(old.get(n)) is not type(new.get(n))}


def _items(graph: nx.DiGraph, edges: bool) -> dict:
    if edges:
        return {(u, v): data for u, v, data in graph.edges(data=True)}
    return dict(graph.nodes(data=True))


def _plan(graph: nx.DiGraph, target) -> PlanTotals | None:
    if target not in graph:
        return None
    plan = study_plan(graph, target)
    totals = plan.totals()
    offers = tuple((s.id, tuple(r["id"] for r in s.resources)) for s in plan.steps if s.resources)
    return PlanTotals(tuple(s.id for s in plan.steps), totals.hours, totals.steps_without_hours, offers)


def _problem_key(d: Diagnostic) -> tuple:
    return d.level, _LINES.sub("line N", d.message)


def _new_problems(ours: list, theirs: list) -> list:
    """Return the diagnostics of ``ours`` that ``theirs`` lacks (as many times as they are missing)."""
    left = Counter(_problem_key(d) for d in theirs)
    found = []
    for d in ours:
        key = _problem_key(d)
        if left[key]:
            left[key] -= 1
        else:
            found.append(d)
    return found


def compare(old, new, targets=None, old_label: str | None = None, new_label: str | None = None) -> MapDiff:
    """Return what differs from the loaded map ``old`` to ``new`` (each a :class:`graph.loaded.Loaded`).

    ``targets``: the ids whose plans to compare; by default every degree of either side.
    """
    result = MapDiff(old_label or str(old.data_dir), new_label or str(new.data_dir))
    g_old, g_new = old.graph, new.graph
    # A file that could not be read would show all its items removed: what depends on it is not compared.
    result.unread = [f"{label.rstrip('/')}/{name}" for label, side in ((result.old, old), (result.new, new))
                     for name in getattr(side, "unread", ())]
    nodes_unread = any(name.endswith("/nodes.yaml") for name in result.unread)
    for edges, added, removed, changed in ((False, result.nodes_added, result.nodes_removed, result.nodes_changed),
                                           (True, result.edges_added, result.edges_removed, result.edges_changed)):
        if result.unread and (edges or nodes_unread):
            continue
        before, after = _items(g_old, edges), _items(g_new, edges)
        added.extend((key, fields) for key, fields in after.items() if key not in before)
        removed.extend((key, fields) for key, fields in before.items() if key not in after)
        for key, fields in after.items():
            if key in before:
                differences = _field_changes(before[key], fields)
                if differences:
                    changed.append(Change(key, differences))
    if targets is None:
        targets = [n for n, kind in g_new.nodes(data="kind") if kind == "degree"]
        targets += [n for n, kind in g_old.nodes(data="kind") if kind == "degree" and n not in g_new]
    cyclic = [label for label, g in ((result.old, g_old), (result.new, g_new)) if not nx.is_directed_acyclic_graph(g)]
    if result.unread:
        result.plans_skipped = f"{' and '.join(result.unread)} cannot be read"
        targets = []
    elif cyclic:
        result.plans_skipped = f"{' and '.join(cyclic)} {'has a cycle' if len(cyclic) == 1 else 'have cycles'}"
        targets = []
    for target in dict.fromkeys(targets):
        side = g_new if target in g_new else g_old
        name = side.nodes[target].get("name", target) if target in side else target
        result.plans.append(PlanDelta(target, name, _plan(g_old, target), _plan(g_new, target)))
    # Warnings are only computed for a map without errors: compare them only where both sides have them.
    levels = ("error",) if old.errors or new.errors else ("error", "warning")
    before = [d for d in old.diagnostics if d.level in levels]
    after = [d for d in new.diagnostics if d.level in levels]
    result.introduced = _new_problems(after, before)
    result.fixed = _new_problems(before, after)
    # Beside a file that cannot be read, the other side's problems may only be hidden, not fixed or new.
    old_unread, new_unread = getattr(old, "unread", ()), getattr(new, "unread", ())
    if new_unread and not old_unread:
        result.fixed = []
    if old_unread and not new_unread:
        result.introduced = []
    result.errors = (len(old.errors), len(new.errors))
    return result
