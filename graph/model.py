"""The vocabulary of a study map: node kinds, node fields, edge relations and strengths.

Every edge points from what is learned first to what builds on it. An edge says
two separate things:

* its **relation**, what the link means (``prerequisite``, ``theory-behind``,
  ``combines-into``, ...), with the reason in ``why``;
* its **strength**, whether the target needs it: ``required`` (the default:
  it orders study, every one is needed), ``recommended`` (advised, in plans
  only when asked) or ``deepening`` (where the theory lives: never orders
  study, offered to go deeper).

Required edges into one target that share an ``any_of`` group are
alternatives: any one of them is enough. The ``teaches`` relation is apart: a
resource is one of several ways to learn a topic, has no strength, and its own
prerequisites do not become the topic's.

>>> RELATIONS["teaches"].teaches, RELATIONS["teaches"].default_strength
(True, None)
>>> RELATIONS["theory-behind"].default_strength
'required'
>>> sorted(ordering_strengths()), sorted(ordering_strengths(include_recommended=True))
(['required'], ['recommended', 'required'])
>>> DEFAULT_RELATION, DEFAULT_STRENGTH
('prerequisite', 'required')
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_RELATION",
    "DEFAULT_STRENGTH",
    "EDGE_FIELDS",
    "FORMATS",
    "KINDS",
    "NODE_FIELDS",
    "RELATIONS",
    "STRENGTHS",
    "Field",
    "Kind",
    "Relation",
    "Strength",
    "ordering_strengths",
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
    """A typed edge relation: what the link means, and how it is drawn.

    ``teaches``: the source is a resource, one of the ways to learn the target
    (no strength). ``default_strength``: the strength of an edge that gives
    none; ``fixed``: the only strength the relation allows.
    """

    name: str
    phrase: str  # reads "FROM <phrase> TO"
    description: str
    teaches: bool = False
    default_strength: str | None = "required"
    fixed: bool = False
    style: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Strength:
    """How much the target of an edge needs its source, and how plans and drawings treat it."""

    name: str
    phrase: str  # reads "FROM is <phrase> for TO"
    description: str
    orders: bool  # orders study by default
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
            teaches=True,
            default_strength=None,
            fixed=True,
            style={"color": "#F58518", "dashes": [2, 4], "width": 1},
        ),
        Relation(
            "recommended",
            "is recommended before",
            "soft prerequisite: FROM helps with TO but is not required",
            default_strength="recommended",
            fixed=True,
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

STRENGTHS: dict[str, Strength] = {
    s.name: s
    for s in (
        Strength("required", "required", "TO cannot be followed without FROM: orders study (the default)",
                 orders=True, style={"dashes": False}),
        Strength("recommended", "recommended", "FROM helps with TO: studied first only with --include-recommended",
                 orders=False, style={"dashes": [8, 6]}),
        Strength("deepening", "a deepening", "FROM is where the theory of TO lives: never orders study, "
                 "offered to go deeper", orders=False, style={"dashes": [2, 6]}),
    )
}

DEFAULT_STRENGTH = "required"

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
        Field("discontinued", (bool,), "a tool or resource no longer maintained"),
        Field("note", _TEXT, "an editor's note shown with the node, e.g. that a link is the list's old address"),
    )
}

EDGE_FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("from", _TEXT, "id of what is learned first", required=True),
        Field("to", _TEXT, "id of what builds on it", required=True),
        Field("relation", _TEXT, "one of: " + ", ".join(RELATIONS) + f" (default {DEFAULT_RELATION})"),
        Field("why", _TEXT, "the reason, quoting the source where there is one"),
        Field("strength", _TEXT, "one of: " + ", ".join(STRENGTHS) + f" (default {DEFAULT_STRENGTH}); "
              "not on teaches edges"),
        Field("any_of", _TEXT, "a group name: required edges into one node sharing it are alternatives, "
              "any one is enough"),
        Field("part", _TEXT, "teaches edges: the part of the resource that teaches TO, e.g. 'Chapter 5'"),
        Field("hours", _NUMBER, "teaches edges: the hours that part takes (a number >= 0)"),
        Field("part_url", _TEXT, "teaches edges: the link to that part itself (http or https only)"),
    )
}


def ordering_strengths(include_recommended: bool = False) -> frozenset[str]:
    """Return the strengths of the edges that order study.

    An edge orders study when ``data.get("strength")`` is one of them; ``teaches``
    edges have no strength.

    >>> sorted(ordering_strengths())
    ['required']
    """
    return frozenset(s.name for s in STRENGTHS.values() if s.orders or (include_recommended and s.name == "recommended"))


#: The relations whose source is one of the ways to learn the target (``teaches``).
TEACHING = frozenset(r for r, spec in RELATIONS.items() if spec.teaches)
