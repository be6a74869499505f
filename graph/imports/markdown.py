"""Curated Markdown lists ("awesome" lists, course catalogues, curricula) as data entries.

The file is parsed by markdown-it-py, a CommonMark parser, into tokens; nothing
of the file is rendered or run, and raw HTML is never read. Two shapes are read,
in one file or both:

* a **list**: each heading is an area (its slug); each http(s) link is a
  resource with the link's text as name, its URL, and the text after it, to the
  next link or the end of its line, as summary, whether the links stand in list
  items or in paragraphs split by line breaks. A list item with no link of its
  own that holds a nested list is a group: with ``heading_topics`` it becomes a
  topic that the resources under it teach, as does each heading with resources
  directly under it; without, the group is named in each entry's comment.
  Relative links, anchors (``#section``, a table of contents), images, badges (a
  link around an image) and other schemes (``mailto:``; ``javascript:`` is no
  link at all to the parser) are not resources. A link labelled ``current
  address`` right after a resource is its ``current_url``, one labelled ``part
  for this topic`` the ``part_url`` of the teaches edge to the topic it stands
  under (with ``heading_topics``; else left out, in a note), and a closing
  ``(free, 12 h)`` its ``free`` and ``hours``: what ``graph export --format
  markdown`` writes. A line of prose that states an order ("A before B") is not
  guessed at: it is kept as a note for the author.
* a **curriculum**: a table whose columns name a course and at least one of a
  duration, an effort and prerequisites (``Courses | Duration | Effort |
  Prerequisites``). Each row is a node (a resource when it links to the course,
  else a topic), with ``hours`` = duration x effort (ranges averaged), the
  arithmetic in its comment. Prerequisites are resolved by name to the rows of
  the same file (:func:`name_key`: case, spaces, hyphens and punctuation
  ignored); ``none`` means none; a name no row has becomes a topic of its own,
  listed in a note with any close match.

A link met again (the same URL) is one resource; each entry's comment names the
line it came from.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "list.md"
>>> _ = path.write_text("# Awesome\\n\\n## Linear algebra\\n\\n- [Strang](https://ocw.mit.edu/18-06) - The MIT course.\\n")
>>> [item.fields for item in read_markdown([path]).nodes]
[{'id': 'strang', 'name': 'Strang', 'kind': 'resource', 'summary': 'The MIT course.', 'area': 'linear-algebra', \
'url': 'https://ocw.mit.edu/18-06'}]
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from ..errors import did_you_mean, terminal_safe
from ..render.markdown_list import CURRENT_LABEL, PART_LABEL
from ..render.text import plural
from ..validate import is_web_url
from ..yamlread import Limits
from . import Builder, ImportFailure, Imported, make_id, read_text

__all__ = ["name_key", "read_markdown"]
_MAX_NESTING = 20  # markdown-it's own bound on nested blocks: deeper content is read as text
_ORDER_WORDS = re.compile(r"\b(before|after|first|then|prerequisites?|requires?|required|needs?|once you|"
                          r"start with|followed by|builds? on|leads? to|theory behind)\b", re.IGNORECASE)
_FACTS = re.compile(r"\s*\((?:(free|paid)(?:,\s*)?)?(?:(\d[\d,]*(?:\.\d+)?)\s*h)?\)\s*\Z")
_GOAL = "(goal)"  # what an export writes after a degree's name
_AFTER = (CURRENT_LABEL, PART_LABEL)  # links that belong to the resource before them
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_JOINING = re.compile(r"[a-z]{1,4}\Z")  # "[A](x) and [B](y)": a word joining two links, not a summary
_LEAD = re.compile(r"\A[\s)]*(?:[-\u2013\u2014:|,;](?=\s|\Z))?\s*")  # one separator: " - ", ": ", " | "
_NONE = {"", "none", "-", "\u2013", "\u2014", "n/a", "na", "nothing", "no"}
_COLUMNS = {"course": re.compile(r"course|name|title|topic|subject|class"),
            "duration": re.compile(r"duration|length|weeks|time"),
            "effort": re.compile(r"effort|workload|commitment|hours"),
            "prerequisites": re.compile(r"prereq|requires|requirements|depends")}
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(?:\s*(?:-|\u2013|to)\s*(\d+(?:\.\d+)?))?\s*([a-z]*)", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:[,;/+]|\band\b|&)\s*", re.IGNORECASE)


def name_key(text: str) -> str:
    """Return ``text`` as names are compared: case, accents, spaces, hyphens and punctuation ignored.

    >>> name_key("Linear Algebra"), name_key("linear-algebra"), name_key("Linear  algebra!")
    ('linearalgebra', 'linearalgebra', 'linearalgebra')
    """
    folded = unicodedata.normalize("NFKD", str(text)).casefold()
    return "".join(c for c in folded if c.isalnum())


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": _MAX_NESTING}).enable("table")
    md.normalizeLink = lambda url: url  # keep each URL as written: a round trip must give it back unchanged
    return md


@dataclass
class _Link:
    href: str
    label: str
    badge: bool  # only an image inside: a badge or a picture, not a resource


@dataclass
class _Line:
    number: int
    parts: list = field(default_factory=list)  # text (str) and links (_Link), in order

    def text(self) -> str:
        return " ".join("".join(p if isinstance(p, str) else p.label for p in self.parts).split())


def _lines(inline) -> list[_Line]:
    """Split an inline token into its source lines, each a list of text and links."""
    first = inline.map[0] + 1 if inline.map else 0
    lines = [_Line(first)]
    link = None
    for child in inline.children or ():
        kind = child.type
        if kind in ("softbreak", "hardbreak") or (kind == "html_inline" and re.match(r"<br\s*/?>", child.content, re.I)):
            if kind != "html_inline":
                lines.append(_Line(lines[-1].number + 1))
            else:
                lines.append(_Line(lines[-1].number))
            if link is not None:
                lines[-1].parts.append(link)  # a link spanning lines stands where it ends
                lines[-2].parts.remove(link)
            continue
        if kind == "link_open":
            link = _Link(str(child.attrGet("href") or ""), "", False)
            lines[-1].parts.append(link)
        elif kind == "link_close":
            link = None
        elif kind in ("text", "code_inline"):
            if link is not None:
                link.label += child.content
                link.badge = link.badge and not child.content.strip()
            else:  # code keeps its backticks: a summary is Markdown's text as written
                mark = child.markup if kind == "code_inline" else ""
                lines[-1].parts.append(f"{mark}{child.content}{mark}")
        elif kind == "image" and link is not None and not link.label.strip():
            link.badge = True  # a link around a picture: a badge, unless text follows it
    for line in lines:
        for part in line.parts:
            if isinstance(part, _Link):
                part.label = " ".join(part.label.split())
    return lines


@dataclass
class _Section:
    level: int
    title: str
    line: int
    heading: bool  # a heading (an area), else a list group
    rest: str = ""  # a group's text after its name in bold: ": summary (12 h)"
    raw: str | None = None  # the raw id of its topic, once made


def _summary(text: str) -> str:
    return " ".join(_LEAD.sub("", re.sub(r"\(\s*\)", "", text)).split())


def _facts(text: str) -> tuple[str, dict]:
    """Split ``(free, 12 h)`` at the end of a summary into fields."""
    found = _FACTS.search(text)
    if not found or not (found.group(1) or found.group(2)):
        return text, {}
    fields = {}
    if found.group(1):
        fields["free"] = found.group(1) == "free"
    if found.group(2):
        number = float(found.group(2).replace(",", ""))
        fields["hours"] = int(number) if number.is_integer() else number
    return text[:found.start()].rstrip(), fields


def _amount(text: str) -> tuple[float, str, str] | None:
    """Return (number, unit, how) from ``"6-10 hours/week"``: a range averaged; ``None`` if no number."""
    found = _AMOUNT.search(text)
    if not found:
        return None
    low = float(found.group(1))
    if found.group(2):
        high = float(found.group(2))
        return (low + high) / 2, found.group(3).lower(), f"{found.group(1)}-{found.group(2)} averaged"
    return low, found.group(3).lower(), ""


def _number(value: float):
    value = round(value, 1)
    return int(value) if value.is_integer() else value


def _hours(duration: str, effort: str) -> tuple[float | None, str]:
    """Return hours from a duration and an effort cell, and the rule applied (for the comment)."""
    span = _amount(duration) if duration.strip() else None
    rate = _amount(effort) if effort.strip() else None
    if span and span[1].startswith(("h", "hr")):
        return _number(span[0]), f"hours: {duration.strip()} as given"
    if span and rate and span[1].startswith(("w", "wk")):
        how = ", ".join(h for h in (span[2], rate[2]) if h)
        return (_number(span[0] * rate[0]),
                f"hours: {_number(span[0])} weeks x {_number(rate[0])} h a week"
                + (f" ({how})" if how else ""))
    if span and rate and span[1].startswith("d"):
        return _number(span[0] * rate[0]), f"hours: {_number(span[0])} days x {_number(rate[0])} h a day"
    if rate and not span and rate[1].startswith(("h", "hr")) and "week" not in effort.lower():
        return _number(rate[0]), f"hours: {effort.strip()} as given"
    if duration.strip() or effort.strip():
        return None, f"no hours: cannot multiply '{duration.strip()}' by '{effort.strip()}'"
    return None, ""


def _columns(header: list[str]) -> dict | None:
    """Return the curriculum columns a table's header names (course, duration, effort, prerequisites), or None."""
    found = {}
    for index, title in enumerate(header):
        folded = title.casefold()
        for role, pattern in _COLUMNS.items():
            if role not in found and pattern.search(folded):
                found[role] = index
                break
    return found if "course" in found and len(found) > 1 else None


class _MarkdownBuilder(Builder):
    names_note = False  # every id is made from a name

    def note(self, text: str) -> None:
        """Add a note; it quotes the file, so control characters are written as escapes (notes reach a terminal)."""
        super().note(terminal_safe(text))


class _Reader:
    """Reads one file's tokens into the shared builder."""

    def __init__(self, path, builder: _MarkdownBuilder, state: dict, heading_topics: bool):
        self.name = os.fspath(path)
        self.builder = builder
        self.state = state  # shared across files: resources by URL, raw ids
        self.heading_topics = heading_topics
        self.sections: list[_Section] = []
        self.parents: list[str] = []  # names of linked list items whose nested lists we are in
        self.order_notes: list[str] = []
        self.html_lines: list[int] = []
        self.courses: list[tuple] = []  # (raw, name, prerequisite cells, line) of curriculum rows

    # -- ids and entries --

    def _raw(self) -> str:
        self.state["count"] += 1
        return f"node {self.state['count']}"

    def _where(self, line: int) -> str:
        path = [s.title for s in self.sections] + self.parents
        return f"{self.name} line {line}" + (f" ({' > '.join(path)})" if path else "")

    def _area(self) -> dict:
        headings = [s for s in self.sections if s.heading]
        return {"area": make_id(headings[-1].title)} if headings and make_id(headings[-1].title) else {}

    def _topic(self) -> str | None:
        """Return the raw id of the topic the current section stands for (made on first use), if any."""
        if not self.heading_topics or not self.sections:
            return None
        section = self.sections[-1]
        if section.raw is None:
            section.raw = self._raw()
            rest, fields = _facts(section.rest)
            kind = "topic"
            if rest.startswith(_GOAL):
                kind, rest = "degree", rest[len(_GOAL):]
            entry = {"name": section.title, "kind": kind, **fields}
            if _summary(rest):
                entry["summary"] = _summary(rest)
            entry.update(self._area() if not section.heading else {"area": make_id(section.title)})
            self.builder.node(section.raw, entry, f"{self.name} line {section.line}: "
                              f"{'heading' if section.heading else 'list group'} '{section.title}'", made_up=True)
        return section.raw

    def _resource(self, link: _Link, summary: str, line: int, current: str | None, part_url: str | None) -> None:
        known = self.state["urls"].get(link.href)
        topic = self._topic()
        if known is not None:
            raw, where = known
            self.state["again"].append((link.href, where, f"{self.name}:{line}"))
        else:
            raw = self._raw()
            summary, facts = _facts(summary)
            fields = {"name": link.label or link.href, "kind": "resource", **facts}
            if summary:
                fields["summary"] = summary
            fields.update(self._area())
            fields["url"] = link.href
            if current:
                fields["current_url"] = current
            self.builder.node(raw, fields, self._where(line), made_up=True)
            self.state["urls"][link.href] = (raw, f"{self.name}:{line}")
        if topic is not None:
            edge = {"relation": "teaches", **({"part_url": part_url} if part_url else {})}
            self.builder.edge(raw, topic, edge, f"{self.name} line {line}")
        elif part_url:
            self.state["parts"].append(f"{self.name}:{line}")

    # -- blocks --

    def line(self, line: _Line, prose: bool = True) -> None:
        """Read one source line: each resource link with the text after it; a line of prose for its order."""
        parts = line.parts
        links = []
        for i, p in enumerate(parts):
            if isinstance(p, _Link) and not p.badge and is_web_url(p.href) and \
                    (p.label.casefold() not in _AFTER or not links):  # after a resource: its current_url, part_url
                links.append(i)
        for i, part in enumerate(parts):
            if isinstance(part, _Link) and not is_web_url(part.href) and not part.badge:
                self.state["skipped"] += 1
        if not links:
            said = [s for s in _SENTENCE.split(line.text()) if _ORDER_WORDS.search(s)]
            if prose and said:
                where = self.sections[-1].title if self.sections else "the introduction"
                shown = " ".join(said)
                shown = shown if len(shown) <= 300 else shown[:297] + "..."
                self.order_notes.append(f"'{where}' ({self.name}:{line.number}) states an order, not read "
                                        f"as edges: \"{shown}\"")
            return
        for n, index in enumerate(links):
            end = links[n + 1] if n + 1 < len(links) else len(parts)
            after: dict = {}  # CURRENT_LABEL and PART_LABEL: the first such link's address
            text = []
            for part in parts[index + 1:end]:
                if isinstance(part, _Link):
                    if part.label.casefold() in _AFTER and is_web_url(part.href) and part.label.casefold() not in after:
                        after[part.label.casefold()] = part.href
                        continue
                    if part.badge:
                        continue
                    text.append(part.label)
                else:
                    text.append(part)
            summary = _summary("".join(text))
            if end < len(parts) and _JOINING.match(summary):
                summary = ""
            self._resource(parts[index], summary, line.number, after.get(CURRENT_LABEL), after.get(PART_LABEL))

    def heading(self, level: int, title: str, line: int) -> None:
        while self.sections and (not self.sections[-1].heading or self.sections[-1].level >= level):
            self.sections.pop()
        self.sections.append(_Section(level, title, line, True))

    def table(self, rows: list[tuple[int, list]]) -> None:
        """Read a table: a curriculum if its header names a course and a duration, effort or prerequisites."""
        header = [" ".join(_Line(0, cell).text().split()) if cell else "" for cell in
                  ([_flat(c) for c in rows[0][1]] if rows else [])]
        columns = _columns(header)
        if columns is None:
            for number, cells in rows[1:]:
                for cell in cells:
                    for part in _lines_of(cell, number):
                        self.line(part, prose=False)
            return
        for number, cells in rows[1:]:
            def cell(role):
                index = columns.get(role)
                return cells[index] if index is not None and index < len(cells) else None

            course = cell("course")
            if course is None:
                continue
            flat = _flat(course)
            links = [p for p in flat if isinstance(p, _Link) and not p.badge and is_web_url(p.href)]
            name = links[0].label if links and links[0].label else _Line(0, flat).text()
            if not name:
                continue
            text = {role: _Line(0, _flat(cell(role))).text() if cell(role) is not None else ""
                    for role in ("duration", "effort")}
            hours, rule = _hours(text["duration"], text["effort"])
            fields = {"name": name, "kind": "resource" if links else "topic"}
            if hours is not None:
                fields["hours"] = hours
            fields.update(self._area())
            if links:
                fields["url"] = links[0].href
                fields["format"] = "course"
            raw = self._raw()
            self.builder.node(raw, fields, self._where(number) + (f"; {rule}" if rule else ""), made_up=True)
            self.courses.append((raw, name, _flat(cell("prerequisites")) if cell("prerequisites") else None, number))

    def prerequisites(self) -> None:
        """Resolve each curriculum row's prerequisites by name to the rows of this file."""
        by_key: dict[str, str] = {}
        for raw, name, _, _ in self.courses:
            by_key.setdefault(name_key(name), raw)
        names = [name for _, name, _, _ in self.courses]
        unresolved: dict[str, str] = self.state["unresolved"]
        for raw, name, cell, number in self.courses:
            if not cell:
                continue
            wanted = [p.label for p in cell if isinstance(p, _Link) and p.label]
            rest = "".join(p for p in cell if isinstance(p, str))
            wanted += [w for w in _SPLIT.split(rest) if w.strip()]
            for text in wanted:
                text = " ".join(text.split()).strip(" .")
                if text.casefold() in _NONE:
                    continue
                source = f"{self.name} line {number}: '{name}' needs '{text}'"
                found = by_key.get(name_key(text))
                if found is None:
                    key = name_key(text) or text
                    if key not in unresolved:
                        unresolved[key] = self._raw()
                        self.builder.node(unresolved[key], {"name": text, "kind": "topic", **self._area()},
                                          f"{self.name} line {number}: prerequisite '{text}' names no course "
                                          "of the file", made_up=True)
                        self.builder.note(f"prerequisite '{text}' ({self.name}:{number}) names no course of the "
                                          f"file, kept as a topic of its own{did_you_mean(text, names)}")
                    found = unresolved[key]
                self.builder.edge(found, raw, {}, source)  # a row that needs itself is kept, for validate


def _flat(cell) -> list:
    """Return a table cell's parts (text and links) on one line."""
    if cell is None:
        return []
    return [part for line in _lines(cell) for part in line.parts]


def _lines_of(cell, number: int) -> list[_Line]:
    lines = _lines(cell)
    for line in lines:
        line.number = number
    return lines


def _group_title(inline) -> tuple[str, str]:
    """Return a group item's name (its bold start, else its whole text) and the text after it."""
    children = list(inline.children or [])
    while children and children[0].type == "text" and not children[0].content:  # the parser opens with ""
        children.pop(0)
    if children and children[0].type == "strong_open":
        close = next((i for i, c in enumerate(children) if c.type == "strong_close"), None)
        if close is not None:
            name = "".join(c.content for c in children[1:close] if c.type in ("text", "code_inline"))
            rest = "".join(c.content for c in children[close + 1:] if c.type in ("text", "code_inline"))
            if name.strip():
                return " ".join(name.split()), " ".join(rest.split())
    return _Line(0, _flat(inline)).text(), ""


def _item_reads(tokens, start: int) -> tuple[bool, bool, object]:
    """For the list item opening at ``start``: whether its first paragraph has a resource link, whether it
    holds a nested list, and its first inline token."""
    level = tokens[start].level
    inline = tokens[start + 2] if start + 2 < len(tokens) and tokens[start + 1].type == "paragraph_open" else None
    linked = inline is not None and any(isinstance(p, _Link) and not p.badge and is_web_url(p.href)
                                        for line in _lines(inline) for p in line.parts)
    nested = False
    for token in tokens[start + 1:]:
        if token.level <= level and token.type == "list_item_close":
            break
        if token.type in ("bullet_list_open", "ordered_list_open"):
            nested = True
            break
    return linked, nested, inline


def _read_file(path, builder: _MarkdownBuilder, state: dict, heading_topics: bool) -> None:
    name = os.fspath(path)
    limit = Limits.from_env().file_bytes
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0
    if size > limit:
        raise ImportFailure(f"{name}: {size:,} bytes is more than the limit of {limit:,} "
                            "(raise it with GRAPH_MAX_FILE_MB)")
    text = read_text(path, "Markdown")
    try:
        tokens = _parser().parse(text)
    except RecursionError:
        raise ImportFailure(f"{name}: not readable: nested too deeply") from None
    reader = _Reader(path, builder, state, heading_topics)
    headings = [t for t in tokens if t.type == "heading_open"]
    title = headings[0] if headings and headings[0].tag == "h1" and sum(t.tag == "h1" for t in headings) == 1 \
        else None
    items: list[str] = []  # what each open list item pushed: "group", "parent" or ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "heading_open":
            heading = " ".join(_Line(0, _flat(tokens[i + 1])).text().split())
            if token is not title and heading:
                reader.heading(int(token.tag[1:]), heading, token.map[0] + 1)
            i += 3
            continue
        if kind == "list_item_open":
            linked, nested, inline = _item_reads(tokens, i)
            pushed = ""
            if nested and inline is not None and not linked:
                group, rest = _group_title(inline)
                if group:
                    reader.sections.append(_Section(100 + token.level, group, token.map[0] + 1, False, rest))
                    pushed = "group"
            elif nested and linked:
                for line in _lines(inline):  # the item's own line stands outside the nesting it opens
                    reader.line(line)
                first = next(p for line in _lines(inline) for p in line.parts
                             if isinstance(p, _Link) and not p.badge and is_web_url(p.href))
                reader.parents.append(first.label or first.href)
                items.append("parent")
                i += 4  # past the item's first paragraph, read above
                continue
            items.append(pushed)
            i += 1
            continue
        if kind == "list_item_close":
            pushed = items.pop() if items else ""
            if pushed == "group" and reader.sections and not reader.sections[-1].heading:
                reader.sections.pop()
            elif pushed == "parent" and reader.parents:
                reader.parents.pop()
            i += 1
            continue
        if kind == "table_open":
            rows, cells, number = [], None, 0
            while i < len(tokens) and tokens[i].type != "table_close":
                t = tokens[i]
                if t.type == "tr_open":
                    cells, number = [], (t.map[0] + 1 if t.map else number)
                elif t.type == "tr_close":
                    rows.append((number, cells))
                elif t.type == "inline" and cells is not None:
                    cells.append(t)
                i += 1
            reader.table(rows)
            i += 1
            continue
        if kind == "html_block" and not token.content.lstrip().startswith("<!--"):
            reader.html_lines.append(token.map[0] + 1 if token.map else 0)
        elif kind == "inline":
            in_group = items and items[-1] == "group" and tokens[i - 1].type == "paragraph_open" \
                and tokens[i - 2].type == "list_item_open"
            if not in_group:
                for line in _lines(token):
                    reader.line(line)
        i += 1
    reader.prerequisites()
    for note in reader.order_notes:
        builder.note(note)
    if reader.html_lines:
        shown = ", ".join(str(n) for n in reader.html_lines[:5]) + (", ..." if len(reader.html_lines) > 5 else "")
        builder.note(f"{plural(len(reader.html_lines), 'HTML block')} of {name} left out, unread "
                     f"(line{'s' if len(reader.html_lines) > 1 else ''} {shown})")


def read_markdown(sources: list, heading_topics: bool = False) -> Imported:
    """Read Markdown files ``sources`` into an :class:`Imported`.

    ``heading_topics``: headings with resources under them and list groups become topics,
    each taught by its resources; otherwise headings are areas only.
    """
    builder = _MarkdownBuilder("markdown", sources)
    state = {"count": 0, "urls": {}, "again": [], "skipped": 0, "unresolved": {}, "parts": []}
    for path in sources:
        _read_file(path, builder, state, heading_topics)
    if state["again"]:
        url, first, again = state["again"][0]
        builder.note(f"{plural(len(state['again']), 'link')} listed again read as the same resource "
                     f"(e.g. {url} at {again}, first at {first})")
    if state["skipped"]:
        builder.note(f"{plural(state['skipped'], 'link')} that {'is' if state['skipped'] == 1 else 'are'} not "
                     "http(s) (relative, #anchors, mailto:) not read as resources")
    if state["parts"]:
        builder.note(f"{plural(len(state['parts']), 'link')} labelled '{PART_LABEL}' left out (e.g. at "
                     f"{state['parts'][0]}): a part's link belongs to the teaches edge to a topic, and only "
                     "--heading-topics reads the topics")
    if not builder._nodes:
        raise ImportFailure(f"{', '.join(os.fspath(s) for s in sources)}: no http(s) link and no curriculum table "
                            "found; a list's resources are links, a curriculum's courses the rows of a table "
                            "with a course column and a duration, effort or prerequisites column")
    return builder.finish()
