"""Batch progress: a tqdm bar (rate, ETA) on a terminal; plain periodic lines in CI logs."""

from __future__ import annotations

import io
import os
import sys
import time
from typing import TextIO

MODES = ("auto", "bar", "lines", "none")


def choose_mode(mode: str, stream: TextIO) -> str:
    """``auto`` → ``bar`` when the stream is a terminal, ``lines`` otherwise."""
    if mode != "auto":
        return mode
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return "lines"
    try:  # a terminal without a size (some CI pseudo-terminals) cannot show a bar
        if os.get_terminal_size(stream.fileno()).columns <= 0:
            return "lines"
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    return "bar"


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """Counts finished articles. ``lines`` prints one line at most every ``interval`` seconds
    (and a last one on ``close``); ``bar`` draws a tqdm bar; ``none`` prints nothing.

    The rate and ETA count only articles that were checked in this run, not those served from the
    cache, so a resumed run does not promise an ETA it cannot keep.
    """

    def __init__(self, total: int, mode: str = "auto", stream: TextIO | None = None, interval: float = 10.0,
                 clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.mode = choose_mode(mode, self.stream)
        self.total = total
        self.interval = interval
        self.clock = clock
        self.done = 0
        self.cached = 0
        self.errors = 0
        self.started = clock()
        self._last_line = self.started
        self._printed_at = -1  # ``done`` when the last line was printed
        self._bar = None
        if self.mode == "bar":
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="article", file=self.stream, dynamic_ncols=True,
                             smoothing=0.1, desc="cleanup batch", leave=True)

    @property
    def checked(self) -> int:
        return self.done - self.cached

    def advance(self, cached: bool = False, error: bool = False) -> None:
        now = self.clock()
        self.done += 1
        self.cached += bool(cached)
        self.errors += bool(error)
        if self._bar is not None:
            self._bar.update(1)
            if self.errors or self.cached:
                self._bar.set_postfix_str(self._extras(), refresh=False)
        elif self.mode == "lines" and now - self._last_line >= self.interval:
            self._last_line = now
            self._printed_at = self.done
            self._print(self.line(now))

    def _extras(self) -> str:
        parts = []
        if self.cached:
            parts.append(f"{self.cached} from cache")
        if self.errors:
            parts.append(f"{self.errors} error{'s' if self.errors != 1 else ''}")
        return ", ".join(parts)

    def rate(self, now: float | None = None) -> float | None:
        now = self.clock() if now is None else now
        elapsed = now - self.started
        if self.checked <= 0 or elapsed <= 0:
            return None
        return self.checked / elapsed

    def line(self, now: float | None = None) -> str:
        now = self.clock() if now is None else now
        pct = 100.0 * self.done / self.total if self.total else 100.0
        text = f"cleanup batch: {self.done}/{self.total} articles ({pct:.0f}%)"
        rate = self.rate(now)
        if rate:
            text += f", {rate:.1f} articles/s"
            left = self.total - self.done
            if left > 0:
                text += f", ETA {_clock(left / rate)}"
        text += f", elapsed {_clock(now - self.started)}"
        extras = self._extras()
        return text + (f", {extras}" if extras else "")

    def _print(self, text: str) -> None:
        try:
            print(text, file=self.stream, flush=True)
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self.mode == "lines" and self._printed_at != self.done:
            self._print(self.line())
