"""Find nodes by what they are called: ids, names, aliases and summaries.

:func:`resolve` turns what a user typed into an id: an id as it is, or an
exact, case-insensitive match of one node's id, name or alias. Anything else
is an :class:`~graph.errors.UnknownIdError` with "did you mean" suggestions
(:func:`suggest`), or an :class:`AmbiguousNameError` listing the candidates.
:func:`search` ranks nodes for a few words; :func:`select` lists nodes by kind
and area.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_node("linear-algebra", name="Linear algebra", kind="topic", area="math", aliases=["LA"],
...            summary="Vectors, matrices and linear maps.")
>>> g.add_node("calculus", name="Calculus", kind="topic", area="math", summary="Limits and derivatives.")
>>> g.add_node("strang", name="Strang's course", kind="resource", summary="A course on linear algebra.")
>>> resolve(g, "la"), resolve(g, "CALCULUS"), resolve(g, "calculus")
('linear-algebra', 'calculus', 'calculus')
>>> resolve(g, "calculas")
Traceback (most recent call last):
...
graph.errors.UnknownIdError: unknown id 'calculas'; did you mean 'calculus'?
>>> [m.id for m in search(g, "linear")]
['linear-algebra', 'strang']
>>> select(g, kind="topic")
['linear-algebra', 'calculus']
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from .errors import UnknownIdError

if TYPE_CHECKING:  # NetworkX is imported where a graph is made or searched, not for its name
    import networkx as nx

__all__ = ["AmbiguousNameError", "Match", "areas", "fold", "resolve", "resolve_all", "resolve_area", "resolver", "search",
           "select", "suggest"]

_CUTOFF = 0.75  # how alike a suggestion must be (difflib's ratio): "nothing" is not "boosting" (0.67)
_WORD = re.compile(r"[^\W_]+")


class AmbiguousNameError(LookupError):
    """What the user typed is the name or alias of several nodes; ``candidates`` lists their ids."""

    def __init__(self, text: str, candidates: list[str]):
        self.text = text
        self.candidates = candidates
        super().__init__(f"'{text}' names {len(candidates)} nodes: {', '.join(candidates)}; give one of these ids")


def _labels(graph: nx.DiGraph):
    """Yield ``(node, label)`` for each id, name and alias, in file order."""
    for node, data in graph.nodes(data=True):
        yield node, node
        for label in (data.get("name"), *(data.get("aliases") or ())):
            if isinstance(label, str):
                yield node, label


_SEPARATORS = re.compile(r"[\s_\-]+")


def fold(text) -> str:
    """Return ``text`` as names are compared: any case, and spaces, underscores and hyphens alike.

    >>> fold("The_Chain  rule"), fold(" chain-RULE ")
    ('the chain rule', 'chain rule')
    """
    return _SEPARATORS.sub(" ", str(text).casefold()).strip()



def resolve(graph: nx.DiGraph, text: str) -> str:
    """Return the id that ``text`` names: an id, or one node's id, name or alias as :func:`fold` compares them
    (``chain_rule``, ``CHAIN RULE`` and ``chain-rule`` are one).

    Raises :class:`AmbiguousNameError` when ``text`` names several nodes, and
    :class:`~graph.errors.UnknownIdError` (with suggestions) when it names none.
    """
    if text in graph:
        return text
    wanted = fold(text)
    found = list(dict.fromkeys(node for node, label in _labels(graph) if fold(label) == wanted))
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousNameError(text, found)
    raise UnknownIdError(text, suggest(graph, text))


def resolver(graph: nx.DiGraph, suggestions: int | None = None):
    """Return :func:`resolve` for many texts on one map: its labels folded once, and "did you mean" (which
    scans every label) for the first ``suggestions`` unknown texts only (all when None).

    >>> g = nx.DiGraph()
    >>> g.add_node("chain-rule", name="The chain rule")
    >>> name = resolver(g, suggestions=0)
    >>> name("CHAIN_RULE"), name("the chain rule")
    ('chain-rule', 'chain-rule')
    """
    index: dict = {}
    for node, label in _labels(graph):
        index.setdefault(fold(label), {})[node] = None
    left = [suggestions]

    def resolve_one(text: str) -> str:
        if text in graph:
            return text
        found = list(index.get(fold(text), ()))
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousNameError(text, found)
        hint = []
        if left[0] is None or left[0] > 0:
            hint = suggest(graph, text)
            left[0] = None if left[0] is None else left[0] - 1
        raise UnknownIdError(text, hint)

    return resolve_one


def resolve_all(graph: nx.DiGraph, texts) -> list[str]:
    """Return :func:`resolve` of each of ``texts``, in order, without repeats."""
    return list(dict.fromkeys(resolve(graph, text) for text in texts))


def suggest(graph: nx.DiGraph, text: str, n: int = 3) -> list[str]:
    """Return up to ``n`` ids whose id, name or alias resembles ``text`` or starts with it.

    >>> g = nx.DiGraph()
    >>> g.add_node("linear-algebra", name="Linear algebra", aliases=["LA"])
    >>> g.add_node("gradient-boosting", name="Gradient-boosted trees", aliases=["boosting"])
    >>> suggest(g, "linear-algbra"), suggest(g, "linear"), suggest(g, "nothing")
    (['linear-algebra'], ['linear-algebra'], [])
    """
    import difflib

    wanted = fold(text)
    by_label: dict[str, str] = {}
    for node, label in _labels(graph):
        by_label.setdefault(fold(label), node)
    exact = [by_label[wanted]] if wanted in by_label else []
    close = difflib.get_close_matches(wanted, list(by_label), n=n * 3, cutoff=_CUTOFF)
    starting = [label for label in by_label if len(wanted) >= 3 and label.startswith(wanted)]
    return list(dict.fromkeys(exact + [by_label[label] for label in close + starting]))[:n]


def areas(graph: nx.DiGraph) -> list[str]:
    """Return the areas that nodes name, in file order."""
    return list(dict.fromkeys(a for _, a in graph.nodes(data="area") if isinstance(a, str)))


def resolve_area(graph: nx.DiGraph, text: str) -> str | None:
    """Return the area that ``text`` names as :func:`fold` compares them (``Calculus`` is ``calculus``), or None.

    >>> g = nx.DiGraph(); g.add_node("a", area="linear-algebra")
    >>> resolve_area(g, "Linear Algebra"), resolve_area(g, "algebra")
    ('linear-algebra', None)
    """
    names = areas(graph)
    if text in names:
        return text
    found = [a for a in names if fold(a) == fold(text)]
    return found[0] if len(found) == 1 else None


def select(graph: nx.DiGraph, kind: str | None = None, area: str | None = None) -> list[str]:
    """Return the ids of the nodes of ``kind`` in ``area`` (either may be None: any), in file order."""
    return [node for node, data in graph.nodes(data=True)
            if (kind is None or data.get("kind") == kind) and (area is None or data.get("area") == area)]


class Match(NamedTuple):
    """One search result: the node, its score (higher is better) and the fields its words matched."""

    id: str
    score: int
    fields: tuple[str, ...]


# A word found in a field scores by the field and by how it is found: the whole word, or its start.
# A node's own id and name weigh more than its aliases, which weigh more than its area and summary.
_WEIGHTS = {"id": (8, 6), "name": (8, 6), "aliases": (6, 4), "area": (2, 1), "summary": (2, 1)}
_KIND_RANK = {"topic": 0, "degree": 1, "resource": 2}  # among equal scores: what to learn before what to learn from
_OWN_PHRASE = 30  # bonus when the words together are exactly the id or the name
_OWN_START = 15  # bonus when they are the start of the id or the name ("derivative" of "Derivatives")
_PHRASE = 20  # bonus when the words together are exactly an alias
_INSIDE = 5  # bonus when they appear together inside the id, the name or an alias


def search(graph: nx.DiGraph, query: str, kind: str | None = None, area: str | None = None,
           limit: int | None = None) -> list[Match]:
    """Return the nodes matching every word of ``query``, best first (file order among equals).

    A word matches a field when it is one of the field's words or the start of
    one, ignoring case (underscores and hyphens part words). Matches in the
    node's own id and name weigh most, then its aliases, then its area and
    summary, whole words more than starts; a query that is a node's id or name,
    or the start of one, comes before one that is an alias. Among equals, topics come before
    degrees and resources (as in the page's search box), then file order.
    ``kind`` and ``area`` narrow the nodes searched.

    >>> g = nx.DiGraph()
    >>> g.add_node("svd", name="Singular value decomposition", aliases=["SVD"], summary="A matrix factorization.")
    >>> g.add_node("pca", name="Principal component analysis", summary="Uses the SVD of the data matrix.")
    >>> search(g, "svd")
    [Match(id='svd', score=38, fields=('id', 'aliases')), Match(id='pca', score=2, fields=('summary',))]
    >>> search(g, "matrix decomposition")
    [Match(id='svd', score=10, fields=('name', 'summary'))]
    """
    words = _WORD.findall(query.casefold())
    if not words:
        return []
    phrase = " ".join(words)
    found = []
    for node in select(graph, kind, area):
        data = graph.nodes[node]
        fields = {"id": [node], "name": [data.get("name")], "aliases": list(data.get("aliases") or ()),
                  "area": [data.get("area")], "summary": [data.get("summary")]}
        texts = {key: [" ".join(_WORD.findall(v.casefold())) for v in values if isinstance(v, str)]
                 for key, values in fields.items()}
        score, matched = 0, []
        for word in words:
            best = 0
            for key, values in texts.items():
                whole, start = _WEIGHTS[key]
                for text in values:
                    tokens = text.split()
                    weight = whole if word in tokens else start if any(t.startswith(word) for t in tokens) else 0
                    if weight:
                        best = max(best, weight)
                        if key not in matched:
                            matched.append(key)
            if not best:
                break
            score += best
        else:
            own = texts["id"] + texts["name"]
            names = own + texts["aliases"]
            if phrase in own:
                score += _OWN_PHRASE
            elif any(text.startswith(phrase) for text in own):
                score += _OWN_START
            elif phrase in texts["aliases"]:
                score += _PHRASE
            elif len(words) > 1 and any(phrase in text for text in names):
                score += _INSIDE
            found.append(Match(node, score, tuple(k for k in _WEIGHTS if k in matched)))
    kinds = graph.nodes
    found.sort(key=lambda m: (-m.score, _KIND_RANK.get(kinds[m.id].get("kind"), len(_KIND_RANK))))  # stable
    return found[:limit] if limit is not None else found
