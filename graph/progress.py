"""A learner's progress file: the ids they already know.

The file is YAML with one key, read with the safe loader only::

    # my progress
    known:
      - calculus
      - linear-algebra

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "progress.yaml"
>>> write_progress(p, ["b", "a"])
>>> read_progress(p)
['b', 'a']
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import DataError, Diagnostic
from .output import write_atomic
from .yamlread import _check_tag, _too_deep, _yaml_error_line, _yaml_error_text

__all__ = ["read_progress", "read_progress_lines", "write_progress"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAX_BYTES = 16 * 1024 * 1024


def read_progress_lines(path: str | Path) -> list[tuple[str, int]]:
    """Return ``(id, line)`` for each known id in the progress file; raise :class:`DataError` if it is malformed."""
    path = Path(path)
    display = str(path)

    def fail(line: int, message: str):
        raise DataError([Diagnostic(display, line, "error", message)])

    try:
        if path.stat().st_size > _MAX_BYTES:
            fail(1, f"progress file is over {_MAX_BYTES:,} bytes")
        data = path.read_bytes()
    except FileNotFoundError:
        fail(1, "progress file not found")
    except OSError as exc:
        fail(1, f"cannot read progress file: {exc.strerror or exc}")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
        deep_line = _too_deep(data, 10)  # libyaml's composer would crash on deep nesting
        if deep_line:
            fail(deep_line, "progress file: values nested too deeply; use a plain list of ids")
        loader = _Loader(data)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except UnicodeDecodeError:
        fail(1, "progress file is not valid UTF-8")
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
        out.append((item.value, item.start_mark.line + 1))
    return out


def read_progress(path: str | Path) -> list[str]:
    """Return the known ids of the progress file at ``path``, in file order."""
    return [node for node, _ in read_progress_lines(path)]


def write_progress(path: str | Path, known) -> None:
    """Write ``known`` ids to ``path`` atomically, keeping their order and dropping repeats."""
    ids = list(dict.fromkeys(known))
    body = yaml.safe_dump({"known": ids}, allow_unicode=True, default_flow_style=False, sort_keys=False)
    write_atomic(path, "# Progress for `graph`: the ids you already know.\n" + body)
