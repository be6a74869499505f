"""A learner's progress file: the ids they already know.

The file is YAML with one key, read with the safe loader only::

    # my progress
    known:
      - calculus
      - linear-algebra

Every command finds it in the same place (:func:`locate`): the file given
with ``--progress``, else ``$GRAPH_PROGRESS``, else ``progress.yaml`` in the
current folder, read when it exists. It is the learner's file, not the map's:
it may live beside or inside a data folder.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "progress.yaml"
>>> write_progress(p, ["b", "a"])
>>> read_progress(p)
['b', 'a']
>>> edit_progress(p, lambda entries: ([i for i, _ in entries] + ["c"], "added c"))
('added c', False)
>>> read_progress_lines(p)
[('b', 3), ('a', 4), ('c', 5)]
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, Diagnostic
from .output import locked, write_atomic
from .readlimits import PROGRESS, Refused, read_bounded

__all__ = [
    "DEFAULT_FILE",
    "ENV_VAR",
    "Location",
    "ProgressError",
    "edit_progress",
    "locate",
    "read_progress",
    "read_progress_lines",
    "write_progress",
]

DEFAULT_FILE = "progress.yaml"
ENV_VAR = "GRAPH_PROGRESS"

class ProgressError(DataError):
    """The progress file at ``path`` is missing, unreadable or malformed; ``diagnostics`` say where."""

    def __init__(self, path: str, diagnostics: list[Diagnostic]):
        self.path = path
        super().__init__(diagnostics)


@dataclass(frozen=True)
class Location:
    """Where the progress file is, and who said so: ``--progress``, ``$GRAPH_PROGRESS`` or ``default``."""

    path: Path
    source: str

    @property
    def given(self) -> bool:
        """Whether the user named the file (then it must exist to be read)."""
        return self.source != "default"


def locate(option: str | os.PathLike | None = None) -> Location:
    """Return the progress file to use: ``option`` (``--progress``), ``$GRAPH_PROGRESS``, or ``progress.yaml``.

    >>> locate("me.yaml")
    Location(path=PosixPath('me.yaml'), source='--progress')
    """
    if option:
        return Location(Path(option), "--progress")
    if os.environ.get(ENV_VAR):
        return Location(Path(os.environ[ENV_VAR]), f"${ENV_VAR}")
    return Location(Path(DEFAULT_FILE), "default")


def read_progress_lines(path: str | Path) -> list[tuple[str, int]]:
    """Return ``(id, line)`` for each known id in the progress file.

    Raises :class:`ProgressError` if it is missing, unreadable or malformed.
    """
    import yaml  # here, not at the top: ``next --known`` without a progress file needs no YAML
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from .yamlread import _alias_excess, _Base, _check_tag, _too_deep, _yaml_error_line, _yaml_error_text

    path = Path(path)
    display = str(path)

    def fail(line: int, message: str):
        raise ProgressError(display, [Diagnostic(display, line, "error", message)])

    try:
        data = read_bounded(path, PROGRESS.limit)
    except FileNotFoundError:
        fail(0, "progress file not found")
    except Refused as exc:
        fail(0, f"progress file: {exc.strerror}")
    except OSError as exc:
        fail(0, f"cannot read the progress file: {exc.strerror or exc}")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode(PROGRESS.encodings[0])
        deep_line = _too_deep(data, PROGRESS.depth)  # libyaml's composer would crash on deep nesting
        if deep_line:
            fail(deep_line, "progress file: values nested too deeply; use a plain list of ids")
        alias_line = _alias_excess(data, PROGRESS.aliases, PROGRESS.bytes)
        if alias_line:
            allowed = f"over {PROGRESS.aliases:,} are" if PROGRESS.aliases else "they are"
            fail(alias_line, f"progress file: YAML aliases (*name) repeat text, and {allowed} not allowed; "
                             "write each id out")
        loader = _Base(data)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except UnicodeDecodeError as exc:
        fail(data.count(b"\n", 0, exc.start) + 1, "progress file is not valid UTF-8")
    except yaml.YAMLError as exc:
        fail(_yaml_error_line(exc, data), _yaml_error_text(exc))
    if root is None:
        return []
    if not isinstance(root, MappingNode):
        fail(root.start_mark.line + 1, "expected a mapping with the key 'known:'")
    _check_tag(root, fail)
    known = None
    for key, value in root.value:
        if not (isinstance(key, ScalarNode) and key.value == "known") or known is not None:
            fail(key.start_mark.line + 1, "expected only the key 'known:' (a list of ids)")
        known = value
    if known is None or (isinstance(known, ScalarNode) and known.tag.endswith(":null")):
        return []
    if not isinstance(known, SequenceNode):
        fail(known.start_mark.line + 1, "'known' must be a list of ids")
    _check_tag(known, fail)
    out = []
    for item in known.value:
        if not (isinstance(item, ScalarNode) and item.tag.endswith(":str")):
            fail(item.start_mark.line + 1, "each known entry must be an id (text)")
        if item.end_mark.line > item.start_mark.line and item.value.strip():
            # A '- ' indented too far continues the entry above: "derivatives - chain-rule" names nothing.
            fail(item.end_mark.line + 1 if item.end_mark.column else item.end_mark.line,
                 f"this line continues the entry of line {item.start_mark.line + 1} ({item.value!r}); "
                 "give one id per '- ' entry, each '- ' under the one before")
        out.append((item.value, item.start_mark.line + 1))
    return out


def read_progress(path: str | Path) -> list[str]:
    """Return the known ids of the progress file at ``path``, in file order."""
    return [node for node, _ in read_progress_lines(path)]


def write_progress(path: str | Path, known) -> None:
    """Write ``known`` ids to ``path`` atomically, keeping their order and dropping repeats."""
    import yaml

    from .render.yaml import Dumper

    ids = list(dict.fromkeys(known))
    body = yaml.dump({"known": ids}, Dumper=Dumper, allow_unicode=True, default_flow_style=False, sort_keys=False)
    write_atomic(path, "# Progress for `graph`: the ids you already know.\n" + body)


def edit_progress(path: str | os.PathLike, change) -> tuple:
    """Change the progress file at ``path`` under its folder's lock; return ``(result, created)``.

    ``change(entries)`` gets the file's ``(id, line)`` pairs (none when the file does
    not exist) and returns ``(ids, result)``: the ids to write, or None to leave the file
    as it is. A file that cannot be read raises :class:`ProgressError` and is left
    untouched. ``created`` says whether the file was made.

    The read, the change and the atomic write happen under the lock of the
    file's folder (:func:`graph.output.locked`; for a symbolic link, its target's
    folder, where the file is replaced): writers started at once take turns and
    none loses another's ids, whichever name they give the file.
    """
    path = Path(path)
    folder = Path(os.path.realpath(path)).parent
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder):
        existed = path.exists()
        ids, result = change(read_progress_lines(path) if existed else [])
        if ids is not None:
            write_progress(path, ids)
    return result, ids is not None and not existed
