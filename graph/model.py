"""The vocabulary of a study map: node kinds, node fields and edge relations.

Every edge points from what is learned first to what builds on it. A relation
declares how it behaves:

* ``orders``: the source must be studied before the target (a hard
  prerequisite: all of them are needed);
* ``alternative``: the source is one of several ways to learn the target
  (a resource that ``teaches`` a topic: any one suffices, and the resource's own
  prerequisites do not become prerequisites of the topic);
* ``recommended``: the source is advised before the target, not required;
  study plans include it only when asked to;
* ``style``: how the HTML page draws it.

>>> RELATIONS["prerequisite"].orders
True
>>> RELATIONS["teaches"].alternative
True
>>> DEFAULT_RELATION
'prerequisite'
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_RELATION",
    "EDGE_FIELDS",
    "FORMATS",
    "KINDS",
    "NODE_FIELDS",
    "RELATIONS",
    "Field",
    "Kind",
    "Relation",
    "ordering_relations",
]


@dataclass(frozen=True)
class Kind:
    """A kind of node, with how the HTML page draws it."""

    name: str
    description: str
    shape: str
    color: str


@dataclass(frozen=True)
class Relation:
    """A typed edge relation and how it behaves in plans, queries and drawings."""

    name: str
    phrase: str  # reads "FROM <phrase> TO"
    description: str
    orders: bool = True
    alternative: bool = False
    recommended: bool = False
    style: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Field:
    """A field of a node or edge mapping in the data files."""

    name: str
    types: tuple  # allowed Python types after YAML parsing
    description: str
    required: bool = False
    kinds: tuple = ()  # kinds the field is meant for; empty: any kind


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("topic", "something to learn: a concept, a method, a model", "dot", "#4C78A8"),
        Kind("resource", "something to learn from: a course, book, video, article, tool", "square", "#F58518"),
        Kind("degree", "a goal: a level of mastery made of topics and resources", "star", "#E45756"),
    )
}

RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in (
        Relation(
            "prerequisite",
            "is a prerequisite of",
            "hard prerequisite: FROM must be learned before TO (the default)",
            style={"color": "#555555", "dashes": False, "width": 1.5},
        ),
        Relation(
            "teaches",
            "teaches",
            "a resource that teaches a topic; the resources of one topic are "
            "alternatives, any one suffices",
            orders=False,
            alternative=True,
            style={"color": "#F58518", "dashes": [2, 4], "width": 1},
        ),
        Relation(
            "recommended",
            "is recommended before",
            "soft prerequisite: FROM helps with TO but is not required",
            orders=False,
            recommended=True,
            style={"color": "#999999", "dashes": [8, 6], "width": 1},
        ),
        Relation(
            "combines-into",
            "combines into",
            "FROM is one of several fields that together give TO (all are needed)",
            style={"color": "#B279A2", "dashes": False, "width": 2.5},
        ),
        Relation(
            "theory-behind",
            "is the theory behind",
            "FROM is the theory that TO rests on",
            style={"color": "#54A24B", "dashes": False, "width": 2.5},
        ),
        Relation(
            "generalized-by",
            "is generalized by",
            "TO generalizes FROM: learn the special case first",
            style={"color": "#72B7B2", "dashes": False, "width": 2},
        ),
        Relation(
            "special-case",
            "has as a special case",
            "TO is an instance of FROM (the Fourier transform is an eigendecomposition)",
            style={"color": "#EECA3B", "dashes": False, "width": 2},
        ),
        Relation(
            "leads-to",
            "leads to",
            "TO is an application that FROM opens up",
            style={"color": "#9D755D", "dashes": False, "width": 2},
        ),
    )
}

DEFAULT_RELATION = "prerequisite"

FORMATS = (
    "course",
    "book",
    "notes",
    "video",
    "article",
    "paper",
    "list",
    "tool",
    "answer",
    "website",
)

_TEXT = (str,)
_NUMBER = (int, float)

NODE_FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("id", _TEXT, "unique lowercase slug: a-z, 0-9 and '-'", required=True),
        Field("name", _TEXT, "display name", required=True),
        Field("kind", _TEXT, "one of: " + ", ".join(KINDS), required=True),
        Field("summary", _TEXT, "one-line description"),
        Field("hours", _NUMBER, "estimated study hours (a number >= 0)"),
        Field("area", _TEXT, "subject area, e.g. linear-algebra"),
        Field("aliases", (list,), "other names, used by search and 'did you mean'"),
        Field("url", _TEXT, "link (http or https only)"),
        Field("current_url", _TEXT, "where an old url now lives (http or https only)", kinds=("resource",)),
        Field("format", _TEXT, "one of: " + ", ".join(FORMATS), kinds=("resource",)),
        Field("free", (bool,), "whether the resource costs nothing", kinds=("resource",)),
        Field("author", _TEXT, "author, teacher or publisher", kinds=("resource",)),
        Field("preferred", (bool,), "an editor's pick, offered first among alternatives", kinds=("resource",)),
    )
}

EDGE_FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("from", _TEXT, "id of what is learned first", required=True),
        Field("to", _TEXT, "id of what builds on it", required=True),
        Field("relation", _TEXT, "one of: " + ", ".join(RELATIONS) + f" (default {DEFAULT_RELATION})"),
        Field("why", _TEXT, "the reason, quoting the source where there is one"),
    )
}


def ordering_relations(include_recommended: bool = False) -> frozenset[str]:
    """Return the names of the relations that order study.

    >>> sorted(ordering_relations())
    ['combines-into', 'generalized-by', 'leads-to', 'prerequisite', 'special-case', 'theory-behind']
    >>> "recommended" in ordering_relations(include_recommended=True)
    True
    """
    return frozenset(
        r.name for r in RELATIONS.values() if r.orders or (include_recommended and r.recommended)
    )
