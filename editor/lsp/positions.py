"""Code-point offsets ↔ LSP positions, and edits to a document's text.

The editor's coordinate system is ``[start, end)`` code-point offsets into the text. LSP speaks
in (line, character), lines split at ``\\n``, ``\\r\\n`` and ``\\r`` only (not at U+2028, form
feed or NEL, which ``str.splitlines`` also splits at), characters counted in the negotiated
position encoding: UTF-16 code units unless client and server agreed on UTF-8 or UTF-32.
"""

from __future__ import annotations

import bisect
import re

ENCODINGS = ("utf-16", "utf-8", "utf-32")


def _char_units(c: str, encoding: str) -> int:
    o = ord(c)
    if encoding == "utf-32":
        return 1
    if encoding == "utf-8":
        return 1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4
    return 2 if o > 0xFFFF else 1


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# characters wider than one unit: astral (two UTF-16 code units), non-ASCII (2-4 UTF-8 bytes)
_WIDE = {"utf-16": re.compile("[\U00010000-\U0010FFFF]"), "utf-8": re.compile("[^\x00-\x7f]")}


def line_starts(text: str) -> list[int]:
    """Offsets where lines start: 0 and after every ``\\n``, ``\\r\\n`` and lone ``\\r``."""
    return [0, *(m.end() for m in _LINE_BREAK.finditer(text))]


class PositionMap:
    """Positions in one text, for one position encoding.

    Built once per text (in time linear in its length) and then O(log n) per position: the
    offsets of the characters wider than one unit in the encoding are indexed, so a position on
    a line of a megabyte costs what one on a short line costs (converting each offset from the
    start of its line made publishing quadratic on long lines)."""

    def __init__(self, text: str, encoding: str = "utf-16"):
        if encoding not in ENCODINGS:
            raise ValueError(f"unknown position encoding {encoding!r}")
        self.text = text
        self.encoding = encoding
        self.starts = line_starts(text)
        self._wide: list[int] | None = None  # offsets of the wide characters, built on first use
        self._extra: list[int] = [0]  # _extra[k]: units beyond one per character in the first k

    def _index(self) -> list[int]:
        if self._wide is None:
            pattern = _WIDE.get(self.encoding)
            wide = [m.start() for m in pattern.finditer(self.text)] if pattern and not self.text.isascii() else []
            extra = [0] * (len(wide) + 1)
            total = 0
            for k, i in enumerate(wide, 1):
                total += _char_units(self.text[i], self.encoding) - 1
                extra[k] = total
            self._wide, self._extra = wide, extra
        return self._wide

    def _extra_before(self, offset: int) -> int:
        """Units beyond one per character in ``text[:offset]``."""
        wide = self._index()
        return self._extra[bisect.bisect_left(wide, offset)]

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
        return line, offset - start + self._extra_before(offset) - self._extra_before(start)

    def offset(self, line: int, character: int) -> int:
        """The code-point offset of an LSP position. A line past the end gives the end of the
        text; a character past the end of its line gives the end of the line (as LSP says);
        a character inside a surrogate pair or a UTF-8 sequence rounds up to the next code point.
        Negative numbers (which LSP does not allow) count as 0."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self._line_end(line)
        character = max(character, 0)
        if self.encoding == "utf-32":
            return min(start + character, end)
        # one line, converted at C speed (no index needed: a didChange costs one pass over its line)
        codec = "utf-16-le" if self.encoding == "utf-16" else "utf-8"
        data = self.text[start:end].encode(codec, "surrogatepass")
        size = 2 if self.encoding == "utf-16" else 1
        cut = character * size
        if cut >= len(data):
            return end
        # inside a character: round up to the next one
        if size == 2:
            if 0xDC <= data[cut + 1] <= 0xDF and cut >= 2 and 0xD8 <= data[cut - 1] <= 0xDB:
                cut += 2
        else:
            while cut < len(data) and data[cut] & 0xC0 == 0x80:
                cut += 1
        return start + len(data[:cut].decode(codec, "surrogatepass"))


def apply_change(text: str, start: tuple[int, int] | None, end: tuple[int, int] | None, new: str,
                 encoding: str) -> str:
    """``text`` after one ``didChange`` content change (``start``/``end`` None: the whole text).
    Positions outside the text are clamped to it (a negative one to the start of the text or of
    its line, one past the end of a line to that end, a line past the last to the end of the
    text), as editors do."""
    if start is None or end is None:
        return new
    pm = PositionMap(text, encoding)
    a = pm.offset(*start)
    b = pm.offset(*end)
    if b < a:
        a, b = b, a
    return text[:a] + new + text[b:]
