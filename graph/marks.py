"""What a learner marked, and what that makes known: one meaning of the progress file for every command.

The progress file (:mod:`graph.progress`) records what the learner marked;
knowing is derived from it: a marked node and all it needs
(:func:`graph.plan.known_closure`). Each entry names a node as people type
names (:func:`graph.lookup.resolve`: ``Derivatives``, ``chain rule`` and
``chain_rule`` are ids here); an entry repeated counts once; an entry the map
does not have is a warning (file, line, did you mean) and is kept, so a file
shared between maps loses nothing, and ``graph done --undo`` removes it.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("limits", name="Limits"); g.add_node("chain-rule", name="The chain rule")
>>> g.add_edge("limits", "chain-rule", relation="prerequisite", strength="required")
>>> m = marks_of(g, [("Chain Rule", 2), ("chain_rule", 3), ("vectros", 4)], "progress.yaml")
>>> m.marked, m.entries
(['chain-rule'], ['chain-rule', 'vectros'])
>>> print(m.warnings[0])
progress.yaml:4: warning: unknown id 'vectros', kept in the file: graph done --undo vectros removes it
>>> count_text(g, m.marked)
'1 marked (2 with what they need)'
>>> change = unmark(g, m.entries, ["limits"]); change.entries, change.changed, change.dependents
(['vectros'], ['limits'], ['chain-rule'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import Diagnostic, UnknownIdError
from .lookup import AmbiguousNameError, fold, resolve, resolver
from .plan import forget, known_closure
from .progress import edit_progress
from .render.text import known_phrase

if TYPE_CHECKING:  # NetworkX is imported where a graph is made or searched, not for its name
    import networkx as nx

__all__ = ["Change", "Marks", "count_text", "mark", "marks_of", "unmark", "update_marks"]


@dataclass(frozen=True)
class Marks:
    """A progress file read against a map: its ``entries`` (each once, in file order, as ids where the
    map has them), the ``marked`` ids of this map among them, and ``warnings`` for the others."""

    entries: list[str]
    marked: list[str]
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def unknown(self) -> list[str]:
        """The entries this map does not have (kept in the file), in the order of ``warnings``."""
        marked = set(self.marked)
        return [e for e in self.entries if e not in marked]


def marks_of(graph: nx.DiGraph, lines, path: str) -> Marks:
    """Return the :class:`Marks` of the ``(text, line)`` entries read from the progress file ``path``."""
    from .validate import SUGGEST_LIMIT

    entries, marked, warnings = [], [], []
    seen: set = set()  # a hostile file may hold 100,000 entries: no list scans, few "did you mean"
    name = resolver(graph, SUGGEST_LIMIT)
    for text, line in lines:
        try:
            node = name(text)
        except (UnknownIdError, AmbiguousNameError) as exc:
            if text not in seen:
                seen.add(text)
                entries.append(text)
                warnings.append(Diagnostic(path, line, "warning", _kept(exc, text)))
            continue
        if node not in seen:
            seen.add(node)
            marked.append(node)
            entries.append(node)
    return Marks(entries, marked, warnings)


SHOWN_CHARACTERS = 60  # of an entry the map does not have, quoted in its warning


def _kept(exc: Exception, text: str) -> str:
    import shlex

    if len(text) > SHOWN_CHARACTERS and isinstance(exc, UnknownIdError):
        # A hostile or mangled file's entry is named by its start and length, not printed whole on every line.
        shown = f"{text[:SHOWN_CHARACTERS]}... ({len(text):,} characters)"
        return f"unknown id '{shown}', kept in the file: graph done --undo with the whole entry removes it"
    undo = f"kept in the file: graph done --undo {shlex.quote(text)} removes it"
    if isinstance(exc, UnknownIdError):
        hint = f" (did you mean {' or '.join(repr(s) for s in exc.suggestions)}?)" if exc.suggestions else ""
        return f"unknown id '{text}'{hint}, {undo}"
    return f"{exc}; {undo}"


def count_text(graph: nx.DiGraph, marked, strengths: frozenset | None = None) -> str:
    """Say what ``marked`` counts: ``"5 marked (9 with what they need)"``."""
    return known_phrase(len(marked), len(known_closure(graph, marked, strengths)))


@dataclass(frozen=True)
class Change:
    """What :func:`mark` or :func:`unmark` did: the ``entries`` after it, the ids ``changed`` (marked, or
    unmarked), those ``unchanged`` (already marked, or not known), the marked ``dependents`` unmarked with
    them (they need one of them), and for each id unmarked only through those, the ones it was known
    ``through``. :func:`update_marks` adds the file's ``warnings`` and whether it ``created`` it."""

    entries: list[str]
    changed: list[str]
    unchanged: list[str]
    dependents: list[str] = field(default_factory=list)
    through: dict = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    created: bool = False


def mark(graph: nx.DiGraph, entries: list[str], ids) -> Change:
    """Mark ``ids`` (ids of ``graph``); those already marked are unchanged.

    An id known only through what needs it is marked too: unmarking that later leaves it known.
    """
    ids = list(dict.fromkeys(ids))
    added = [i for i in ids if i not in entries]
    return Change(entries + added, added, [i for i in ids if i in entries])


def unmark(graph: nx.DiGraph, entries: list[str], ids) -> Change:
    """Unmark ``ids`` and every marked node that needs one of them (:func:`graph.plan.forget`); add nothing.

    An id not marked but known through marked nodes is unmarked by unmarking them (``through``
    names them); an entry the map does not have is removed when named.
    """
    ids = list(dict.fromkeys(ids))
    kept = forget(graph, entries, ids)
    gone = [e for e in entries if e not in set(kept)]
    known = known_closure(graph, [e for e in entries if e in graph])
    changed = [i for i in ids if i in gone or i in known]
    dependents = [e for e in gone if e not in set(ids)]
    through = {i: [d for d in dependents if i in known_closure(graph, [d])] for i in changed if i not in entries}
    return Change(kept, changed, [i for i in ids if i not in changed], dependents, through)


def update_marks(graph: nx.DiGraph, path, texts, undo: bool = False) -> Change:
    """Mark (or with ``undo`` unmark) what ``texts`` name in the progress file at ``path``, created if needed.

    Each text is resolved as :func:`graph.lookup.resolve` does; with ``undo``, a text that names an
    entry of the file this map does not have removes that entry. Raises
    :class:`~graph.errors.UnknownIdError` or :class:`~graph.lookup.AmbiguousNameError` for a text that
    names nothing, and :class:`graph.progress.ProgressError` (the file untouched) for a file that does
    not parse. The file is written only when it changes, each entry once, as an id.
    """

    def change(lines):
        marks = marks_of(graph, lines, str(path))
        ids = [_name(graph, text, marks.unknown if undo else ()) for text in texts]
        done = unmark(graph, marks.entries, ids) if undo else mark(graph, marks.entries, ids)
        left = set(done.entries)
        warnings = [d for d, entry in zip(marks.warnings, marks.unknown) if entry in left]
        return (done.entries if done.changed else None), (done, warnings)

    (done, warnings), created = edit_progress(path, change)
    return Change(done.entries, done.changed, done.unchanged, done.dependents, done.through, warnings, created)


def _name(graph: nx.DiGraph, text: str, unknown) -> str:
    try:
        return resolve(graph, text)
    except UnknownIdError:
        for entry in unknown:
            if fold(entry) == fold(text):
                return entry
        raise
