"""One bounded reader for every file a user gives the tool, and the limits it applies, written down once.

Every read of a user's file (the data files, the cache key's view of them, a
progress file, an import source) goes through :func:`read_bounded` or
:func:`open_bounded` (a blob ``graph diff`` reads from git is held to the same
:class:`Limit` by its size, ``git cat-file -s``, before it is read):

* only a regular file is read (links are followed). A FIFO, a device or a
  socket is refused at once: a FIFO may never end (and would hold a lock while
  it waits), ``/dev/zero`` never does, so neither can be bounded;
* a file over its limit is refused from its size, before reading; and at most
  the limit plus one byte is ever read, so a file that grows while it is read is
  refused too, never read whole;
* the refusal says which limit, the size and how to raise it, as a
  :class:`Refused` (an :class:`OSError`: ``EFBIG``, or ``EINVAL`` for a file that
  is not regular) whose ``strerror`` is that sentence, for the caller to print
  after the file's name.

:data:`PROGRESS` holds the limits of a progress file, which the page applies
too (:mod:`graph.render.html` hands them to its progress import).

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "f.txt"
>>> _ = p.write_bytes(b"12345")
>>> read_bounded(p, Limit("test", 5, ""))
b'12345'
>>> try:
...     read_bounded(p, Limit("the test limit", 4, " (raise it with X)"))
... except OSError as exc:
...     print(exc.strerror)
the file is 5 bytes, over the test limit of 4 bytes (raise it with X)
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass

__all__ = ["PROGRESS", "Limit", "Refused", "ProgressLimits", "file_limit", "open_bounded", "read_bounded"]


@dataclass(frozen=True)
class Limit:
    """A size limit: what it is called in messages, its bytes, and how to raise it (``" (raise it with ...)"``)."""

    name: str
    bytes: int
    raise_with: str = ""


@dataclass(frozen=True)
class ProgressLimits:
    """What a progress file may be, for the CLI and the page alike.

    ``bytes``: its size in bytes (a list of 4 MiB holds some 200,000 ids, more than
    any map has). ``encodings``: UTF-8 only (a byte-order mark is dropped), which
    the tool writes. ``aliases``: YAML aliases (``*a``) allowed: none, since a
    list of ids needs none and 10,000 aliases of one long text would expand a
    40 KB file to gigabytes. ``depth``: how deep its values nest (a mapping holding a list is 2).
    """

    bytes: int = 4 * 1024 * 1024
    encodings: tuple = ("utf-8",)
    aliases: int = 0
    depth: int = 10

    @property
    def limit(self) -> Limit:
        """The size limit as :func:`read_bounded` takes it."""
        return Limit("the progress file limit", self.bytes)

    def to_dict(self) -> dict:
        """The limits as the page's data holds them."""
        return {"bytes": self.bytes, "encodings": list(self.encodings), "aliases": self.aliases,
                "depth": self.depth}


PROGRESS = ProgressLimits()


def file_limit(file_bytes: int, what: str = "data file") -> Limit:
    """Return the limit of a data file, an import source or a blob diff reads, ``file_bytes``
    (:class:`graph.yamlread.Limits`, which ``GRAPH_MAX_FILE_MB`` sets)."""
    return Limit(f"the {what} limit", file_bytes, " (raise it with GRAPH_MAX_FILE_MB)")


class Refused(OSError):
    """A file the bounded reader will not read: ``strerror`` says why and which limit, the file aside."""


def _refuse(code: int, text: str, path) -> Refused:
    return Refused(code, text, os.fspath(path))


_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def open_bounded(path: str | os.PathLike, limit: Limit):
    """Open the regular file ``path`` for reading in binary, or raise :class:`OSError` saying why not.

    Never blocks: a FIFO is opened without waiting for a writer, then refused.
    Raises ``FileNotFoundError`` and ``IsADirectoryError`` as ``open`` does.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
        if not stat.S_ISREG(info.st_mode):
            kind = next((text for test, text in _KINDS if test(info.st_mode)), "not a regular file")
            raise _refuse(errno.EINVAL, f"the file is {kind}, not a regular file, so it cannot be read within "
                                        f"{limit.name} of {limit.bytes:,} bytes; save it to a file first", path)
        if info.st_size > limit.bytes:
            raise _refuse(errno.EFBIG, f"the file is {info.st_size:,} bytes, over {limit.name} of {limit.bytes:,} bytes"
                                       f"{limit.raise_with}", path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bounded(path: str | os.PathLike, limit: Limit) -> bytes:
    """Return the bytes of the regular file ``path``, reading at most ``limit.bytes`` plus one.

    Raises :class:`OSError` for a file that cannot be read, is not a regular
    file, or is (or grows) over the limit; its ``strerror`` says which limit.
    """
    with open_bounded(path, limit) as file:
        data = file.read(limit.bytes + 1)
    if len(data) > limit.bytes:
        raise _refuse(errno.EFBIG, f"the file grew over {limit.name} of {limit.bytes:,} bytes while it was read"
                                   f"{limit.raise_with}", path)
    return data
