"""One ``cleanup batch`` at a time per output folder.

Two runs writing one folder would race on ``index.html`` and the summaries (the last one to
finish would list only its own articles). The second run therefore stops at once with a clear
message naming the first one's process. The lock is an advisory ``flock`` on
``DIR/.cleanup-batch.lock``: the kernel releases it when its holder exits, however it exits, so a
killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import os
from pathlib import Path

LOCK_NAME = ".cleanup-batch.lock"


class Busy(Exception):
    """Another run holds the folder (one line)."""


class FolderLock:
    def __init__(self, folder: str | os.PathLike):
        self.path = Path(folder) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> "FolderLock":
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_pid(fd)
            os.close(fd)
            who = f" (pid {holder})" if holder else ""
            raise Busy(f"{self.path.parent}: another cleanup batch{who} is writing to this folder; "
                       "wait for it to finish or use another --out") from None
        except OSError:  # a file system without locks: go on unlocked rather than refuse to run
            os.close(fd)
            return self
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # releases the lock; the file stays (removing it would race a new holder)

    def __enter__(self) -> "FolderLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read_pid(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""
