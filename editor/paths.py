"""Paths as the file system has them and as people read them.

- File names that are not valid UTF-8 reach Python as ``str`` with surrogate escapes
  (``b"caf\\xe9.md"`` is ``"caf\\udce9.md"``): they open, stat and rename fine, but cannot be
  written into UTF-8 output. :func:`display` gives the name to show (``caf\\xe9.md``);
  :func:`is_utf8` says whether a name can go into output as it is.
- :class:`Inputs` remembers which files are articles being read (by device and inode, so that a
  symlink, a hard link or another spelling of the path is the same article), so that no output
  (``--output``, ``--report``, a batch's files) is ever written over one.
- :func:`read_regular` reads a file only if it is a regular file: a FIFO, a device or a socket
  named as an article would block or never end.
"""

from __future__ import annotations

import errno
import os
import stat as stat_module


def display(path: str | os.PathLike) -> str:
    """``path`` as text for people and UTF-8 output: bytes that are not UTF-8 as ``\\xNN``."""
    s = os.fspath(path)
    if isinstance(s, bytes):
        s = os.fsdecode(s)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_utf8(path: str | os.PathLike) -> bool:
    try:
        os.fspath(path).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def first_bad_byte(path: str | os.PathLike) -> str:
    """The first byte of ``path`` that is not UTF-8, as ``0xNN`` (for messages)."""
    raw = os.fsencode(os.fspath(path))
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"0x{raw[e.start]:02x}"
    return "?"


def not_utf8_message(path: str | os.PathLike) -> str:
    return (f"the file name is not valid UTF-8 (byte {first_bad_byte(path)}); "
            "rename it to UTF-8 (e.g. convmv -f latin1 -t utf-8)")


def identity(path: str | os.PathLike) -> tuple[int, int] | None:
    """(device, inode) of the file ``path`` names (following symlinks), or None."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


class Inputs:
    """The articles of a run, to refuse writing any output over one of them."""

    def __init__(self, paths=()):
        self._ids: dict[tuple[int, int], str] = {}
        self._real: dict[str, str] = {}
        for p in paths:
            self.add(p)

    def add(self, path: str | os.PathLike) -> None:
        ident = identity(path)
        if ident is not None:
            self._ids.setdefault(ident, os.fspath(path))
        self._real.setdefault(os.path.realpath(path), os.fspath(path))

    def clash(self, output: str | os.PathLike) -> str | None:
        """The input article that writing ``output`` would replace, or None."""
        ident = identity(output)
        if ident is not None and ident in self._ids:
            return self._ids[ident]
        return self._real.get(os.path.realpath(output))


def clash_message(output: str | os.PathLike, article: str, what: str) -> str:
    return f"{display(output)}: {what} would overwrite the article {display(article)}; choose another path"


class NotRegularFile(OSError):
    """A FIFO, device, socket or folder where an article was expected."""


def kind_of(mode: int) -> str:
    if stat_module.S_ISDIR(mode):
        return "a directory"
    if stat_module.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat_module.S_ISCHR(mode):
        return "a character device"
    if stat_module.S_ISBLK(mode):
        return "a block device"
    if stat_module.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: str | os.PathLike) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and its stat, read without ever blocking on a FIFO or
    reading a device forever (NotRegularFile names what it is instead)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    st = os.stat(path)
    if stat_module.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", os.fspath(path))
    if not stat_module.S_ISREG(st.st_mode):
        raise NotRegularFile(f"is {kind_of(st.st_mode)}, not an article")
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)  # what was opened, not what the name pointed at a moment before
        if not stat_module.S_ISREG(st.st_mode):
            raise NotRegularFile(f"is {kind_of(st.st_mode)}, not an article")
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks), st
    finally:
        os.close(fd)


__all__ = ["display", "is_utf8", "not_utf8_message", "identity", "Inputs", "clash_message", "read_regular",
           "NotRegularFile"]
