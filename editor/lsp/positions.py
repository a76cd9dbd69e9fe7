"""Code-point offsets ↔ LSP positions, and edits to a document's text.

The editor's coordinate system is ``[start, end)`` code-point offsets into the text. LSP speaks
in (line, character), lines split at ``\\n``, ``\\r\\n`` and ``\\r`` only (not at U+2028, form
feed or NEL, which ``str.splitlines`` also splits at), characters counted in the negotiated
position encoding: UTF-16 code units unless client and server agreed on UTF-8 or UTF-32.
"""

from __future__ import annotations

import bisect

ENCODINGS = ("utf-16", "utf-8", "utf-32")


def _units(s: str, encoding: str) -> int:
    if encoding == "utf-32":
        return len(s)
    if encoding == "utf-8":
        return len(s.encode("utf-8", "surrogatepass"))
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _char_units(c: str, encoding: str) -> int:
    o = ord(c)
    if encoding == "utf-32":
        return 1
    if encoding == "utf-8":
        return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4
    return 2 if o > 0xFFFF else 1


def line_starts(text: str) -> list[int]:
    """Offsets where lines start: 0 and after every ``\\n``, ``\\r\\n`` and lone ``\\r``."""
    starts = [0]
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            starts.append(i + 1)
        elif c == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                i += 1
            starts.append(i + 1)
        i += 1
    return starts


class PositionMap:
    """Positions in one text, for one position encoding."""

    def __init__(self, text: str, encoding: str = "utf-16"):
        if encoding not in ENCODINGS:
            raise ValueError(f"unknown position encoding {encoding!r}")
        self.text = text
        self.encoding = encoding
        self.starts = line_starts(text)

    def _line_end(self, line: int) -> int:
        """Offset of the end of ``line``'s content (before its line break)."""
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        if end > self.starts[line] and line + 1 < len(self.starts):
            end -= 1
            if self.text[end] == "\n" and end > self.starts[line] and self.text[end - 1] == "\r":
                end -= 1
        return end

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character), both 0-based, of a code-point offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return line, _units(self.text[start:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The code-point offset of an LSP position. A line past the end gives the end of the
        text; a character past the end of its line gives the end of the line (as LSP says);
        a character inside a surrogate pair or a UTF-8 sequence rounds up to the next code point."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self._line_end(line)
        if self.encoding == "utf-32":
            return min(start + max(character, 0), end)
        units = 0
        i = start
        while i < end and units < character:
            units += _char_units(self.text[i], self.encoding)
            i += 1
        return i


def apply_change(text: str, start: tuple[int, int] | None, end: tuple[int, int] | None, new: str,
                 encoding: str) -> str:
    """``text`` after one ``didChange`` content change (``start``/``end`` None: the whole text)."""
    if start is None or end is None:
        return new
    pm = PositionMap(text, encoding)
    a = pm.offset(*start)
    b = pm.offset(*end)
    if b < a:
        a, b = b, a
    return text[:a] + new + text[b:]
