"""Write output files atomically: a reader sees the old file or the new one, never half of one.

:func:`locked` holds a folder's lock, so that writers of the same files take turns.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "sub" / "a.txt"
>>> write_atomic(target, "héllo\\n")
>>> target.read_bytes()
b'h\\xc3\\xa9llo\\n'
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

__all__ = ["FilesExist", "locked", "write_atomic", "write_new_files"]

# A file system that has no flock (some network mounts) says so with one of these: the lock is then skipped.
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL, errno.EBADF}


@contextmanager
def locked(folder: str | os.PathLike, wait: bool = True):
    """Hold an exclusive lock on ``folder`` for the ``with`` block; raise :class:`BlockingIOError` if
    ``wait`` is false and another process holds it.

    The lock is ``flock`` on the folder itself (symbolic links resolved), so no lock file is left behind. It is
    advisory (it binds only those who take it) and released when the process ends,
    however it ends. Where the system or the file system has no ``flock`` (Windows,
    some network mounts), nothing is locked.

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> with locked(folder):
    ...     print("writing")
    writing
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    fd = os.open(os.path.realpath(folder), os.O_RDONLY)  # links resolved: a link and its target share one lock
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise
        except OSError as exc:
            if exc.errno not in _NO_LOCKS:
                raise
        yield
    finally:
        os.close(fd)


_TMP = ".tmp"


def _remove_leftovers(path: Path) -> None:
    """Remove the temporary files of ``path`` that a killed writer left (``.NAME.PID.XXXX.tmp``, its
    process gone): a writer killed between writing and renaming cannot remove its own."""
    prefix = f".{path.name}."
    try:
        names = [n for n in os.listdir(path.parent) if n.startswith(prefix) and n.endswith(_TMP)]
    except OSError:
        return
    for name in names:
        pid = name[len(prefix):].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # a writer still running
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError, OSError):
            continue  # another user's process, or a name that is not ours: left alone
        try:
            os.unlink(path.parent / name)
        except OSError:
            pass


def write_atomic(path: str | os.PathLike, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8 with LF line ends) to ``path`` via a temporary file and a rename.

    The temporary file is ``.NAME.PID.XXXX.tmp`` beside the file; one that a writer killed before its
    rename left (its process gone) is removed by the next write. A symbolic link stays: the file it
    points to is replaced. A device, a pipe or a socket
    (``/dev/null``, a FIFO, ``/dev/stdout``) is written to directly, as a shell's ``>`` does; a rename
    would put a regular file in its place.
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        mode = os.stat(path).st_mode  # through links
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        with open(path, "wb") as out:
            out.write(data)
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=_TMP)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class FilesExist(Exception):
    """A folder already holds files that were not to be replaced."""


def write_new_files(folder: str | os.PathLike, files: dict, force: bool = False) -> list[Path]:
    """Write ``files`` (name to content) into ``folder``, each atomically; return their paths.

    Raises :class:`FilesExist`, writing nothing, if one of them exists already and
    ``force`` is false.
    """
    folder = Path(folder)
    targets = [folder / name for name in files]
    existing = [str(t) for t in targets if t.exists() or t.is_symlink()]
    if existing and not force:
        raise FilesExist(f"'{folder}' already holds {' and '.join(existing)}; choose another folder "
                         "or pass --force to replace them")
    for target, content in zip(targets, files.values()):
        write_atomic(target, content)
    return targets
