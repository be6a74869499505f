"""Read a data file (a top-level key holding a list of mappings) with line numbers.

YAML is read with PyYAML's safe loader only (libyaml's when present): a tag that
would construct an object (``!!python/...``) is reported, never executed. Unlike
``yaml.safe_load``, duplicate keys inside one mapping are reported instead of
silently keeping the last, and every entry and field keeps the line it came from.

>>> from pathlib import Path
>>> import tempfile
>>> p = Path(tempfile.mkdtemp()) / "nodes.yaml"
>>> _ = p.write_text("nodes:\\n  - id: a\\n    id: b\\n")
>>> entries, problems = read_entries(p, "nodes.yaml", "nodes")
>>> entries[0].line, entries[0].fields
(2, {'id': 'a'})
>>> print(problems[0])
nodes.yaml:3: error: duplicate field 'id' in one entry (first at line 2); YAML would silently keep only the last
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import Diagnostic, did_you_mean
from .readlimits import Refused, file_limit, read_bounded

__all__ = ["Entry", "Limits", "read_entries"]

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_PLAIN_TAGS = {MappingNode: "tag:yaml.org,2002:map", SequenceNode: "tag:yaml.org,2002:seq"}
_MAX_NUMBER = 100  # characters in one number: base-60 ints like 1:2:3 take quadratic time to build
_MAX_NAME = 100  # characters in a key: longer ones are reported by length, not quoted
_BREAKS = (b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")  # line breaks for YAML besides LF


class _Loader(_Base):
    """The safe loader, refusing values that take exponential or quadratic time to build."""

    def flatten_mapping(self, node):
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(None, None, "'<<' merge keys are not supported",
                                                        key_node.start_mark)
        super().flatten_mapping(node)

    def construct_yaml_int(self, node):
        _check_number(node)
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):
        _check_number(node)
        return super().construct_yaml_float(node)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)


def _check_number(node) -> None:
    if len(node.value) > _MAX_NUMBER:
        raise yaml.constructor.ConstructorError(None, None, f"a number of {len(node.value):,} characters is "
                                                f"too long (at most {_MAX_NUMBER})", node.start_mark)


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile data from exhausting memory or the C stack.

    Each can be set through the environment: ``GRAPH_MAX_FILE_MB``,
    ``GRAPH_MAX_TEXT`` (characters in one text field) and ``GRAPH_MAX_DEPTH``.
    """

    file_bytes: int = 512 * 1024 * 1024
    text_chars: int = 10_000
    depth: int = 100

    @classmethod
    def from_env(cls) -> "Limits":
        """Return the limits, with any set in the environment applied."""
        def number(name: str, default: int, scale: int = 1) -> int:
            raw = os.environ.get(name, "")
            try:
                return int(float(raw) * scale) if raw.strip() else default
            except ValueError:
                return default

        d = cls()
        return cls(
            file_bytes=number("GRAPH_MAX_FILE_MB", d.file_bytes, 1024 * 1024),
            text_chars=number("GRAPH_MAX_TEXT", d.text_chars),
            depth=number("GRAPH_MAX_DEPTH", d.depth),
        )


@dataclass
class Entry:
    """One mapping of a data file's list, with the lines of the entry and its fields."""

    line: int
    fields: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)
    unreadable: set = field(default_factory=set)  # fields present but reported as unreadable

    def line_of(self, name: str) -> int:
        """Return the line of field ``name``, or of the entry when it is absent."""
        return self.lines.get(name, self.line)


def _kind(node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "nothing"
    return "a single value"


def _line_at(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, max(position, 0)) + 1


def _too_deep(data: bytes, limit: int) -> int:
    """Return the line where nesting first exceeds ``limit``, or 0.

    libyaml's composer recurses in C and crashes the process on very deep
    nesting, so depth is checked before composing. Counting brackets and long
    indentation is a cheap upper bound; only files over it pay for an exact scan
    of the event stream.
    """
    # Block nesting deepens by at most one level per character of a line's indentation
    # and compact "- ", "? " or ": " indicators (plus two: a list may sit at its key's
    # indentation), flow nesting by one per bracket.
    room = limit - 2 - data.count(b"[") - data.count(b"{")
    if room > 0:
        lines = data
        for other in _BREAKS:
            if other in lines:
                lines = lines.replace(other, b"\n")
        if not re.search(rb"(?m)^[ \t?:-]{%d}" % room, lines):
            return 0
    depth = 0
    try:
        for event in yaml.parse(data, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limit:
                    return event.start_mark.line + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml 0.2.6 and later stop at a nesting depth of their own, while scanning
        # ahead of the events: the same problem, said the same way whatever the version.
        if "nesting depth" in (exc.problem or "") and exc.problem_mark is not None:
            return exc.problem_mark.line + 1
        raise
    return 0


# An anchor (&a) or an alias (*a) can only start after a space, an indicator or at a line's start: a file
# without both is not scanned for them.
_ANCHOR = re.compile(rb"(?:^|[\s\[{,])&[^\s\[\]{},]", re.M)
_ALIAS = re.compile(rb"(?:^|[\s\[{,])\*[^\s\[\]{},]", re.M)
MIN_EXPANSION = 1024 * 1024  # bytes aliases may add to a data file, at least (or the file's own size)


def _alias_excess(data: bytes, most_aliases: int | None, most_bytes: int) -> int:
    """Return the line of the first alias past ``most_aliases`` aliases, or past ``most_bytes`` of
    text that aliases repeat (nested aliases counted as what they expand to); 0 if none is.

    Counted on the event stream, before anything is built: an alias of a long
    text, or of a list of aliases, costs what it would expand to.
    """
    if not (_ANCHOR.search(data) and _ALIAS.search(data)):
        return 0
    sizes: dict = {}  # anchor -> the bytes it expands to
    frames: list = []  # open collections: [anchor, start index, bytes its aliases add]
    count = total = 0
    for event in yaml.parse(data, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            count += 1
            size = sizes.get(event.anchor, 1)
            total += size
            for frame in frames:
                frame[2] += size
            if (most_aliases is not None and count > most_aliases) or total > most_bytes:
                return event.start_mark.line + 1
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = max(1, event.end_mark.index - event.start_mark.index)
        elif isinstance(event, yaml.CollectionStartEvent):
            frames.append([event.anchor, event.start_mark.index, 0])
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, start, added = frames.pop()
            if anchor is not None:
                sizes[anchor] = max(1, event.end_mark.index - start) + added
    return 0


def _yaml_error_line(error: yaml.YAMLError, data: bytes) -> int:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if _never_closed(error):
        mark = error.context_mark  # the quote or bracket that runs to the end of the file
    if mark is not None:
        return mark.line + 1
    position = getattr(error, "position", None)
    return _line_at(data, position) if isinstance(position, int) else 1


def _yaml_error_text(error: yaml.YAMLError, data: bytes = b"") -> str:
    """Return the parser's message, with where on the line and a hint for the two mistakes newcomers
    make most: a tab, and a colon in plain text."""
    if isinstance(error, yaml.MarkedYAMLError):
        parts = [p for p in (error.context, error.problem) if p]
        text = "YAML syntax: " + "; ".join(parts) if parts else "YAML syntax error"
        return text + _hint(error, data)
    return "YAML: " + str(error).splitlines()[0]


def _never_closed(error: yaml.YAMLError) -> bool:
    return ("end of stream" in (getattr(error, "problem", None) or "")
            and getattr(error, "context_mark", None) is not None)


def _hint(error: yaml.MarkedYAMLError, data: bytes) -> str:
    mark = error.problem_mark
    if mark is None:
        return ""
    if _never_closed(error):
        return f" (opened at column {error.context_mark.column + 1} and never closed)"
    problem = error.problem or ""
    lines = data.split(b"\n")
    line = lines[mark.line] if mark.line < len(lines) else b""
    where = f"at column {mark.column + 1}"
    if b"\t" in line[:mark.column + 1] and ("tab" in problem or "cannot start any token" in problem):
        return f" ({where}: a tab; YAML indents with spaces only)"
    if "mapping values are not allowed" in problem:
        return f" ({where}; text holding ': ' must be quoted, as in why: 'A: B')"
    began = error.context_mark
    if began is not None and began.line < mark.line:  # an unclosed bracket: say where it opened
        where += f", in what began at line {began.line + 1}"
    return f" ({where})"


def read_entries(
    path: Path, display: str, key: str, limits: Limits | None = None
) -> tuple[list[Entry], list[Diagnostic]]:
    """Read the list under top-level ``key`` of the YAML file at ``path``.

    Returns the entries read and the problems found, each problem naming
    ``display`` (the path as the user should see it) and a line. Never raises on
    bad content: every problem becomes a diagnostic.
    """
    limits = limits or Limits.from_env()
    problems: list[Diagnostic] = []

    def error(line: int, message: str) -> None:
        problems.append(Diagnostic(display, line, "error", message))

    try:
        data = read_bounded(path, file_limit(limits.file_bytes))
    except FileNotFoundError:
        error(1, "file not found (a data folder holds nodes.yaml and edges.yaml)")
        return [], problems
    except Refused as exc:
        error(1, exc.strerror)
        return [], problems
    except OSError as exc:
        error(1, f"cannot read: {exc.strerror or exc}")
        return [], problems

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        error(_line_at(data, exc.start), f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
        return [], problems

    try:
        deep_line = _too_deep(data, limits.depth)
        if deep_line:
            error(deep_line, f"values nested more than {limits.depth} levels deep")
            return [], problems
        most = max(MIN_EXPANSION, len(data))
        alias_line = _alias_excess(data, None, most)
        if alias_line:
            error(alias_line, f"YAML aliases (*name) would repeat over {most:,} bytes of text (the limit: the "
                              "file's own size, at least 1 MiB); write the values out, or repeat fewer")
            return [], problems
        loader = _Loader(data)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        error(_yaml_error_line(exc, data), _yaml_error_text(exc, data))
        return [], problems

    if root is None:
        error(1, f"the file is empty; expected a top-level '{key}:' list")
        return [], problems
    if not isinstance(root, MappingNode):
        error(root.start_mark.line + 1, f"expected a mapping with the key '{key}:' at the top level, found {_kind(root)}")
        return [], problems
    _check_tag(root, error)

    items = None
    for key_node, value_node in root.value:
        line = key_node.start_mark.line + 1
        if not (isinstance(key_node, ScalarNode) and key_node.tag == _STR) or key_node.value != key:
            name = key_node.value if isinstance(key_node, ScalarNode) else "?"
            if len(name) > _MAX_NAME:
                error(line, f"unknown top-level key of {len(name):,} characters; expected only '{key}:'")
                continue
            error(line, f"unknown top-level key '{name}'; expected only '{key}:'{did_you_mean(name, [key])}")
            continue
        if items is not None:
            error(line, f"duplicate top-level key '{key}'; YAML would silently keep only the last")
            continue
        items = value_node
    if items is None:
        if not problems:
            error(1, f"no top-level '{key}:' list")
        return [], problems
    if isinstance(items, ScalarNode) and items.tag == _NULL:
        return [], problems
    if not isinstance(items, SequenceNode):
        error(items.start_mark.line + 1, f"'{key}' must be a list (each entry starting with '- '), found {_kind(items)}")
        return [], problems
    _check_tag(items, error)

    entries = _read_items(items.value, key, loader, limits, error)
    return entries, problems


def _check_tag(node, error) -> None:
    """Report a collection tagged as anything but a plain mapping or list (it is read as plain data)."""
    if node.tag != _PLAIN_TAGS[type(node)]:
        error(node.start_mark.line + 1, f"unsupported tag '{node.tag}' (only plain data is allowed; nothing was run)")


def _read_items(items, key, constructor, limits: Limits, error) -> list[Entry]:
    entries = []
    for index, item in enumerate(items):
        items[index] = None  # free each composed entry once read: the whole tree and all entries never coexist
        line = item.start_mark.line + 1
        if not isinstance(item, MappingNode):
            error(line, f"each entry of '{key}' must be a mapping of fields, found {_kind(item)}")
            continue
        _check_tag(item, error)
        entry = Entry(line)
        fields, lines = entry.fields, entry.lines
        for key_node, value_node in item.value:
            field_line = key_node.start_mark.line + 1
            if not (isinstance(key_node, ScalarNode) and key_node.tag == _STR):
                what = "'<<' merge keys are not supported" if key_node.tag.endswith(":merge") else "field names must be text"
                error(field_line, what)
                continue
            name = key_node.value
            if len(name) > _MAX_NAME:
                error(field_line, f"a field name of {len(name):,} characters is too long (at most {_MAX_NAME})")
                continue
            if name in fields:
                error(field_line, f"duplicate field '{name}' in one entry (first at line {lines[name]}); "
                                  "YAML would silently keep only the last")
                continue
            if isinstance(value_node, ScalarNode) and value_node.tag == _STR:
                value = value_node.value
            else:
                try:
                    value = constructor.construct_object(value_node, deep=True)
                except yaml.constructor.ConstructorError as exc:
                    mark = exc.problem_mark
                    error(mark.line + 1 if mark else field_line,
                          f"field '{name}': {exc.problem or 'unsupported value'} "
                          "(only plain data is allowed; nothing was run)")
                    entry.unreadable.add(name)
                    continue
                except RecursionError:
                    error(field_line, f"field '{name}': value nested too deeply")
                    entry.unreadable.add(name)
                    continue
                except Exception:  # PyYAML's constructors fail in many ways on explicit tags: !!int "", !!bool x
                    tag = value_node.tag.replace("tag:yaml.org,2002:", "!!")
                    error(field_line, f"field '{name}': cannot read the value as {tag}")
                    entry.unreadable.add(name)
                    continue
            if isinstance(value, str) and len(value) > limits.text_chars:
                error(field_line, f"field '{name}' is {len(value):,} characters long, over the limit of "
                                  f"{limits.text_chars:,} (raise it with GRAPH_MAX_TEXT)")
                entry.unreadable.add(name)
                continue
            fields[name] = value
            lines[name] = field_line
        entries.append(entry)
    return entries
