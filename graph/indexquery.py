"""Small answers from the index: the part of the map each needs, then the library's own functions on it.

Each function reads from an open :class:`~graph.index.Index` the nodes an
answer can reach (a node and its neighbours for ``show``, what a node needs or
what needs it for ``prereqs`` and ``dependents``, the nodes holding every word
for ``search``) as a :class:`~graph.partial.Partial`, on which the usual
query and renderer functions give the answer they give on the whole map. None
means the index cannot give the answer alone (an unknown or ambiguous name,
whose message suggests names from the whole map): the caller loads the map.
"""

from __future__ import annotations

from .errors import UnknownIdError
from .index import Index
from .lookup import _WORD, AmbiguousNameError, resolve
from .model import TEACHING, ordering_strengths
from .partial import Partial

__all__ = ["completions", "named", "neighbourhood", "related", "search_part", "selected", "startable", "way"]


def named(index: Index, text: str) -> tuple[str, int] | None:
    """Return the id that ``text`` names (as :func:`graph.lookup.resolve` finds it) and its position, or None."""
    part = index.part(index.labelled(text), with_edges=False)
    try:
        node = resolve(part, text)
    except (UnknownIdError, AmbiguousNameError):
        return None
    return node, part.positions[node]


def neighbourhood(index: Index, text: str) -> tuple[Partial, str] | None:
    """Return the node ``text`` names with every node one edge from it (what ``show`` reads), or None."""
    found = named(index, text)
    if found is None:
        return None
    node, pos = found
    return index.part(index.neighbours(pos)), node


def related(index: Index, text: str, reverse: bool, depth: int | None, include_recommended: bool,
            tree: bool) -> tuple[Partial, str] | None:
    """Return the node ``text`` names with what it needs (``reverse``: what needs it), or None.

    A tree within ``depth`` reads one level more (whether a row's children are
    cut); a list in study order reads every level, as its order is that of the
    whole depth-first walk. None too when that is more than a quarter of a large
    map: the whole map is read faster then.
    """
    found = named(index, text)
    if found is None:
        return None
    node, pos = found
    levels = depth + 1 if tree and depth is not None else None
    positions = index.reach([pos], reverse, ordering_strengths(include_recommended), levels, most=_most(index))
    if positions is None:
        return None
    return index.part(positions), node


def way(index: Index, source_text: str, target_text: str, include_recommended: bool,
        through_resources: bool) -> tuple[Partial, str, str] | None:
    """Return the nodes between the two nodes named (what ``path`` reads, either way round: its hint
    looks for the way back) and their ids, or None (a name the index cannot resolve alone, or more
    than a quarter of a large map between them)."""
    source, target = named(index, source_text), named(index, target_text)
    if source is None or target is None:
        return None
    strengths = ordering_strengths(include_recommended)
    relations = TEACHING if through_resources else ()
    positions = {source[1], target[1], *index.between(source[1], target[1], strengths, relations),
                 *index.between(target[1], source[1], strengths, relations)}
    if _too_large(index, positions):
        return None
    return index.part(sorted(positions)), source[0], target[0]


_MAX_NAMES = 2000  # names ``next`` looks up one by one in the index; a longer progress file loads the map
_MOST_NODES = 5000  # a part of more nodes than this and a quarter of the map is read faster with the whole map


def _most(index: Index) -> int:
    """The most nodes a part read from the index holds: more are read faster by loading the whole map
    (from its cache entry a node costs a sixth of what it costs read from the index, measured on 100,000 nodes)."""
    return max(_MOST_NODES, index.nodes // 4)


def _too_large(index: Index, positions) -> bool:
    """Whether a part of these nodes is better read by loading the whole map."""
    return len(positions) > _most(index)


def startable(index: Index, target_text: str | None, known_texts: list, entry_texts: list,
              include_recommended: bool) -> tuple[Partial, str | None, set | None] | None:
    """Return what ``next`` reads: a part holding the known (``known_texts`` and the progress file's
    ``entry_texts``) with what they need, and the nodes that may be ready with their prerequisites;
    the id ``target_text`` names; and the nodes that may be ready (None with a target: then its
    prerequisites and every edge into them, what its plan reads). None when a text names no node or
    several (their messages and warnings need the whole map), or when the part would hold more than a
    quarter of a large map (a learner who knows most of it, a target that needs most of it).
    """
    texts = ([target_text] if target_text else []) + list(known_texts) + list(entry_texts)
    if len(texts) > _MAX_NAMES:
        return None
    labelled = set()
    found = []
    for text in texts:
        labelled.update(index.labelled(text))
        one = named(index, text)
        if one is None:
            return None
        found.append(one)
    target = found.pop(0) if target_text else None
    strengths = ordering_strengths(include_recommended)
    known = index.reach(list(dict.fromkeys(p for _, p in found)), strengths=strengths, alternatives=False,
                        most=_most(index))
    if known is None:
        return None
    among = None
    if target is not None:
        # and what the target leads to: whether a resource is only taught is read from its edges out
        reached = index.reach(index.reach([target[1]], strengths=strengths), depth=1) + index.reach(
            [target[1]], True, strengths, 1)
    else:
        candidates = set(index.roots(strengths)).union(index.reach(known, True, strengths, 1)).difference(known)
        among = sorted(candidates)
        resources = candidates.intersection(index.select("resource", None))
        reached = index.reach(among, depth=1) + index.reach(sorted(resources), True, strengths, 1)
    positions = labelled.union(known, reached)
    if _too_large(index, positions):
        return None
    part = index.part(sorted(positions))
    ids = {pos: node for node, pos in part.positions.items()}
    return part, target and target[0], None if among is None else {ids[p] for p in among}


def search_part(index: Index, query: str, kind: str | None, area: str | None) -> Partial:
    """Return the nodes that may match ``query`` (each holding every word), what search then ranks."""
    words = _WORD.findall(query.casefold())
    if not words:
        return Partial()
    positions = index.matching(words)
    return index.part(index.select(kind, area) if positions is None else positions, with_edges=False)


def selected(index: Index, kind: str | None, area: str | None) -> Partial:
    """Return the nodes of ``kind`` in ``area`` (None: any), what ``list`` prints."""
    return index.part(index.select(kind, area), with_edges=False)


def completions(index: Index, word: str) -> list[tuple[str, str | None]]:
    """Return ``(id, name)`` of the nodes whose id starts with ``word`` in any case, in file order."""
    return index.prefixed(word.casefold())
