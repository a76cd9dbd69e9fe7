"""Keep the process's standard output for our own output.

Native code inside an engine can write to file descriptor 1 behind Python's back: harper-py
prints debug lines from Rust (``println!``) on some inputs ("We are looking forward to cats!"
prints ``gerund_form: …``), which turns ``cleanup check --format json|sarif|github`` into invalid
output and breaks a CI step or a language server speaking over stdio.  Redirecting
``sys.stdout`` does not help: the bytes never pass through Python.

:func:`native_output_to_stderr` points descriptor 1 at descriptor 2 for as long as any engine
call is inside it (calls nest and may come from several threads: the descriptor is restored
when the last one leaves), flushing Python's own buffer before each switch so that nothing we
printed earlier lands on the wrong stream.  :func:`reserve_stdout` does the same for the whole
life of a process that owns stdout for a protocol (the language server): Python keeps a private
copy of the real stdout and descriptor 1 goes to stderr for good.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0
_saved: int | None = None
_reserved: io.TextIOWrapper | None = None


def _flush() -> None:
    for stream in (sys.stdout, sys.__stdout__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # closed or broken: nothing of ours is waiting
            pass


@contextmanager
def native_output_to_stderr() -> Iterator[None]:
    """While inside, whatever native code writes to descriptor 1 goes to descriptor 2.

    A no-op where descriptors 1 or 2 are not open (an embedding without them).
    """
    global _depth, _saved
    entered = False
    with _lock:
        if _depth == 0:
            try:
                _flush()
                saved = os.dup(1)
                try:
                    os.dup2(2, 1)
                except OSError:
                    os.close(saved)
                    raise
                _saved = saved
                entered = True
            except OSError:
                entered = False
        else:
            entered = True
        if entered:
            _depth += 1
    try:
        yield
    finally:
        if entered:
            with _lock:
                _depth -= 1
                if _depth == 0 and _saved is not None:
                    _flush()  # what a thread printed meanwhile went to stderr; keep it there
                    try:
                        os.dup2(_saved, 1)
                    finally:
                        os.close(_saved)
                        _saved = None


def reserve_stdout() -> io.TextIOWrapper:
    """For a process whose stdout is a protocol channel (``cleanup server --stdio``).

    Duplicates the real stdout to a private descriptor, points descriptor 1 at stderr for the
    rest of the process, makes ``sys.stdout`` write to the private copy and returns it.  Stray
    native output can then never reach the channel, whatever thread it comes from.
    """
    _flush()
    private = os.dup(1)
    os.dup2(2, 1)
    global _reserved
    stream = io.TextIOWrapper(os.fdopen(private, "wb"), encoding="utf-8", write_through=True, newline="")
    _reserved = stream  # kept alive: dropping the last reference would close the channel
    sys.stdout = stream
    return stream
