"""Segmentation: the prose of an article, block by block, with a map back to the source.

Markup is masked, never stripped from the coordinate system: every prose character knows the
source range it came from, so a span found in prose maps to an exact ``[start, end)`` range of the
file text.  Code, URLs, HTML and front matter never reach the prose (or reach it only as a
placeholder marked as masked, so that a sentence around inline code still parses).
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

# --------------------------------------------------------------------------------------------
# Offset maps


@dataclass(frozen=True)
class Piece:
    """A run of prose text ``[prose_start, prose_start + length)`` from source ``[src_start, src_end)``.

    An identity piece copies the source character for character; any other piece (a decoded
    entity, an escaped character, a placeholder, a CRLF read as one newline) maps as a whole.
    """

    prose_start: int
    length: int
    src_start: int
    src_end: int
    masked: bool = False
    exact: bool = True  # False for replaced text (a same-length replacement is no copy: CR → LF)

    @property
    def identity(self) -> bool:
        return self.exact and self.src_end - self.src_start == self.length and not self.masked


class OffsetMap:
    def __init__(self, pieces: list[Piece]):
        self.pieces = pieces
        self._starts = [p.prose_start for p in pieces]
        self.length = pieces[-1].prose_start + pieces[-1].length if pieces else 0

    def _piece(self, i: int) -> Piece:
        return self.pieces[bisect.bisect_right(self._starts, i) - 1]

    def char_start(self, i: int) -> int:
        p = self._piece(i)
        return p.src_start + (i - p.prose_start) if p.identity else p.src_start

    def char_end(self, i: int) -> int:
        p = self._piece(i)
        return p.src_start + (i - p.prose_start) + 1 if p.identity else p.src_end

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a prose span to the source span it was read from."""
        if not self.pieces:
            raise ValueError("empty segment")
        if not 0 <= start <= end <= self.length:
            raise ValueError(f"span [{start}, {end}) outside prose of length {self.length}")
        if start == end:
            if start == self.length:
                pos = self.pieces[-1].src_end
            else:
                pos = self.char_start(start)
            return pos, pos
        return self.char_start(start), self.char_end(end - 1)

    def is_masked(self, start: int, end: int) -> bool:
        """Does ``[start, end)`` touch masked prose (placeholders for code, URLs, ...)?"""
        if start == end:
            end = start + 1
        k = max(bisect.bisect_right(self._starts, start) - 1, 0)
        while k < len(self.pieces) and self.pieces[k].prose_start < end:
            if self.pieces[k].masked:
                return True
            k += 1
        return False


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pieces: list[Piece] = []
        self.length = 0

    def identity(self, src_start: int, text: str) -> None:
        if not text:
            return
        last = self.pieces[-1] if self.pieces else None
        if last and last.identity and last.src_end == src_start:
            self.pieces[-1] = Piece(last.prose_start, last.length + len(text), last.src_start, last.src_end + len(text))
        else:
            self.pieces.append(Piece(self.length, len(text), src_start, src_start + len(text)))
        self.parts.append(text)
        self.length += len(text)

    def replace(self, src_start: int, src_end: int, text: str, masked: bool = False) -> None:
        if not text:
            return
        self.pieces.append(Piece(self.length, len(text), src_start, src_end, masked, exact=False))
        self.parts.append(text)
        self.length += len(text)

    def build(self) -> tuple[str, OffsetMap]:
        return _mask_long_runs("".join(self.parts), self.pieces)


# A run of this many punctuation marks or symbols (no letter, digit or space) is no prose: it is
# masked, and only its first three characters reach the engines.  spaCy's tokenizer and Harper
# take time quadratic in such a run (40 KB of "!" took minutes); masked, it costs nothing.
MAX_PUNCT_RUN = 32
_PUNCT_RUN = re.compile(r"[^\w\s]{%d,}" % MAX_PUNCT_RUN)


def _mask_long_runs(text: str, pieces: list[Piece]) -> tuple[str, OffsetMap]:
    """``text`` with every run of MAX_PUNCT_RUN or more punctuation marks replaced by a masked
    placeholder (its first three characters) that maps to the whole run in the source."""
    runs = [(m.start(), m.end()) for m in _PUNCT_RUN.finditer(text)]
    if not runs:
        return text, OffsetMap(pieces)
    starts = [p.prose_start for p in pieces]
    parts: list[str] = []
    out: list[Piece] = []
    length = 0

    def copy(x: int, y: int) -> None:  # prose [x, y) of the old pieces, cut at x and y
        nonlocal length
        k = bisect.bisect_right(starts, x) - 1
        while x < y:
            p = pieces[k]
            e = min(y, p.prose_start + p.length)
            if p.identity:
                src = p.src_start + x - p.prose_start
                out.append(Piece(length, e - x, src, src + e - x))
            else:  # never cut: run boundaries are widened to whole replaced pieces
                out.append(Piece(length, p.length, p.src_start, p.src_end, p.masked, p.exact))
            parts.append(text[x:e])
            length += e - x
            x = e
            k += 1

    cursor = 0
    for a0, b0 in runs:
        pa = pieces[bisect.bisect_right(starts, a0) - 1]
        pb = pieces[bisect.bisect_right(starts, b0 - 1) - 1]
        a = a0 if pa.identity else pa.prose_start
        b = b0 if pb.identity else pb.prose_start + pb.length
        if a < cursor:  # a replaced piece holds the end of the last run and the start of this one
            continue
        copy(cursor, a)
        src_start = pa.src_start + (a - pa.prose_start) if pa.identity else pa.src_start
        src_end = pb.src_start + (b - pb.prose_start) if pb.identity else pb.src_end
        placeholder = text[a0:a0 + 3]
        out.append(Piece(length, len(placeholder), src_start, src_end, masked=True, exact=False))
        parts.append(placeholder)
        length += len(placeholder)
        cursor = b
    copy(cursor, len(text))
    return "".join(parts), OffsetMap(out)


# --------------------------------------------------------------------------------------------
# Segments


@dataclass
class Segment:
    kind: str  # heading | paragraph | list_item | blockquote | table_cell | label
    start: int  # source range of the block's prose
    end: int
    text: str  # the prose
    map: OffsetMap = field(repr=False)
    level: int = 0  # heading level where known

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        return self.map.to_source(start, end)

    def is_masked(self, start: int, end: int) -> bool:
        return self.map.is_masked(start, end)

    @property
    def masked_ranges(self) -> list[tuple[int, int]]:
        return [(p.prose_start, p.prose_start + p.length) for p in self.map.pieces if p.masked]


def segment(text: str, fmt: str) -> list[Segment]:
    return segment_markdown(text) if fmt == "md" else segment_text(text)


_EOL = re.compile(r"\r\n|\r|\n")


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, end_of_content, start_of_next_line) for every line, EOLs as in the source."""
    out = []
    pos = 0
    for m in _EOL.finditer(text):
        out.append((pos, m.start(), m.end()))
        pos = m.end()
    out.append((pos, len(text), len(text)))
    return out


# --------------------------------------------------------------------------------------------
# Plain text

_BULLET = re.compile(r"[ \t]*(?:[•·▪◦●\-*+]|\d{1,3}[.)])[ \t]+(?=\S)")
_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATE = re.compile(
    rf"""^(?:
        {_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}
      | \d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{4}}
      | \d{{4}}[-/.年]\d{{1,2}}[-/.月]\d{{1,2}}日?
      | \d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}
    )(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?$""",
    re.X | re.I,
)
_TERMINAL = ".,;:!。！，；：…\"'”’)"


def _line_kind(line: str) -> str:
    """How a line of plain text reads on its own: paragraph, heading, label or list_item."""
    s = line.strip()
    if _DATE.match(s) or re.fullmatch(r"[\d\W_]+", s):
        return "label"
    words = s.split()
    if len(words) <= 3 and s[-1] not in _TERMINAL + "?":
        # "Share", "icon", "Hot Picks", "Warm tips": short stray lines stand alone
        return "label" if len(words) <= 2 and not s[0].isupper() or len(s) <= 6 else "heading"
    if len(words) <= 14 and s[-1] not in _TERMINAL:
        return "heading"
    return "paragraph"


def segment_text(text: str) -> list[Segment]:
    """Split plain text into blocks: paragraphs at blank lines; heading, date and label lines alone."""
    segments: list[Segment] = []
    current: list[tuple[int, int]] = []  # (start, end) of joined paragraph lines

    def flush() -> None:
        if current:
            start, end = current[0][0], current[-1][1]
            segments.append(_identity_segment("paragraph", text, start, end))
            current.clear()

    for start, end, _next in _lines(text):
        line = text[start:end]
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        lead = len(line) - len(line.lstrip())
        s, e = start + lead, start + len(line.rstrip())
        m = _BULLET.match(line)
        if m and len(stripped) > 2 and not re.fullmatch(r"\d{1,3}[.)]", stripped):
            flush()
            segments.append(_identity_segment("list_item", text, start + m.end(), e))
            continue
        kind = _line_kind(stripped)
        if kind == "paragraph":
            current.append((s, e))
        else:
            flush()
            segments.append(_identity_segment(kind, text, s, e))
    flush()
    return segments


def _identity_segment(kind: str, text: str, start: int, end: int) -> Segment:
    b = _Builder()
    b.identity(start, text[start:end])
    prose, omap = b.build()
    return Segment(kind, start, end, prose, omap)


# --------------------------------------------------------------------------------------------
# Markdown


@lru_cache(maxsize=1)
def _markdown_parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    # only the blocks are read from markdown-it: the inline content is scanned here (_scan_inline),
    # so its inline parse (slow on pathological input: seconds for 100 KB of "![") is skipped
    return MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter_plugin).disable(["inline", "text_join"])


def segment_markdown(text: str) -> list[Segment]:
    lines = _lines(text)
    tokens = _markdown_parser().parse(text)  # markdown-it normalises EOLs; line numbers still agree
    segments: list[Segment] = []
    containers: list[str] = []
    heading_level = 0
    for tok in tokens:
        t = tok.type
        if t.endswith("_open") and tok.nesting == 1:
            containers.append(t[:-5])
            if t == "heading_open":
                heading_level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
            continue
        if t.endswith("_close") and tok.nesting == -1:
            if containers:
                containers.pop()
            continue
        if t != "inline" or tok.map is None or not tok.content.strip():
            continue
        if "heading" in containers:
            kind = "heading"
        elif "td" in containers or "th" in containers:
            kind = "table_cell"
        elif "list_item" in containers:
            kind = "list_item"
        elif "blockquote" in containers:
            kind = "blockquote"
        else:
            kind = "paragraph"
        seg = _inline_segment(kind, text, lines, tok.map, tok.content, cell=kind == "table_cell")
        if seg is not None:
            if kind == "heading":
                seg.level = heading_level
            segments.append(seg)
    return segments


def _locate_line(src_line: str, content_line: str, cursor: int = 0) -> tuple[int, str] | None:
    """Where a line of block content sits in its source line; returns (column, content used)."""
    if not content_line:
        return None
    if src_line.endswith(content_line) and cursor == 0:
        return len(src_line) - len(content_line), content_line
    stripped = content_line.strip()
    if not stripped:
        return None
    r = src_line.rstrip()
    if r.endswith(content_line.rstrip()) and cursor == 0:
        c = content_line.rstrip()
        return len(r) - len(c), c
    k = src_line.find(stripped, cursor)
    if k < 0:
        return None
    return k, stripped


def _inline_segment(kind, text, lines, line_range, content, cell=False) -> Segment | None:
    """Map a block's inline content back to its source lines, then scan it for inline markup."""
    content_lines = content.split("\n")
    l0, l1 = line_range
    # content string → source positions; one entry per content line: (src_start, text) or None
    located: list[tuple[int, str] | None] = []
    li = l0
    for k, cl in enumerate(content_lines):
        found = None
        while li < min(l1, len(lines)):
            ls, le, _ = lines[li]
            found = _locate_line(text[ls:le], cl)
            li += 1
            if found is not None:
                found = (ls + found[0], found[1])
                break
        if found is None and cell and k == 0:
            found = None
        located.append(found)
    b = _Builder()
    block = _BlockSource(text, [loc for loc in located if loc is not None])
    # one scan over the whole block: code spans, links and HTML tags may run over line breaks
    _scan_inline(b, block, 0, len(block.s))
    prose, omap = b.build()
    if not prose.strip() or not omap.pieces:
        return None
    start = omap.pieces[0].src_start
    end = omap.pieces[-1].src_end
    return Segment(kind, start, end, prose, omap)


_ESCAPABLE = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+)>")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")  # comments and <!…>, <?…?> below
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_EMAIL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
_TICKS = re.compile(r"`+")
PLACEHOLDER = "X"


class _BlockSource:
    """A block's content lines joined by "\n", each index mapped back to the file text."""

    def __init__(self, text: str, located: list[tuple[int, str]]):
        self.text = text
        self.parts: list[tuple[int, int, int]] = []  # (index in s, source offset, length)
        pos = 0
        for src, line_text in located:
            if self.parts:
                pos += 1  # the "\n" between two lines
            self.parts.append((pos, src, len(line_text)))
            pos += len(line_text)
        self.s = "\n".join(line_text for _, line_text in located)
        self._starts = [p[0] for p in self.parts]

    def pos(self, j: int) -> int:
        """Source offset of index ``j`` of ``s`` (a line break maps to the end of its line)."""
        js, src, n = self.parts[bisect.bisect_right(self._starts, j) - 1]
        return src + min(j - js, n)

    def copy(self, b: _Builder, j0: int, j1: int) -> None:
        """Emit ``s[j0:j1]`` as prose: identity runs within lines, each line break as one newline."""
        j = j0
        while j < j1:
            k = bisect.bisect_right(self._starts, j) - 1
            js, src, n = self.parts[k]
            if j < js + n:
                e = min(j1, js + n)
                b.identity(src + j - js, self.s[j:e])
                j = e
                continue
            gap_start, gap_end = src + n, self.parts[k + 1][1]
            if self.text[gap_start:gap_end] == "\n":
                b.identity(gap_start, "\n")
            else:
                b.replace(gap_start, gap_end, "\n")
            j += 1


class _Marks:
    """Where the block's code spans, brackets and parentheses close, each found in one pass over
    the block, so that scanning it is linear however it is written (a 20 KB run of ``[`` used to
    be rescanned from every bracket: minutes)."""

    def __init__(self, s: str):
        self.s = s
        self.code: dict[int, int] = {}  # index of an opening backtick run -> end of its code span
        self.bracket: dict[int, int] = {}  # "[" -> its "]" (escapes and code spans skipped)
        self.paren: dict[int, int] = {}  # "(" -> its ")" (escapes skipped)
        self.closers: list[int] = [i for i, ch in enumerate(s) if ch == "]"]  # every "]", for [ref] and [^note]
        self._next: dict[str, tuple[int, int]] = {}
        self._code_spans()
        self._pairs()

    def _code_spans(self) -> None:
        """CommonMark code spans: a run of N backticks up to the next run of exactly N."""
        s = self.s
        self.runs = runs = {}  # width -> starts of the backtick runs of exactly that width
        for m in _TICKS.finditer(s):
            runs.setdefault(m.end() - m.start(), []).append(m.start())
        ptr = dict.fromkeys(runs, 0)
        k, n = 0, len(s)
        while k < n:
            ch = s[k]
            if ch == "\\" and k + 1 < n and s[k + 1] in _ESCAPABLE:
                k += 2
                continue
            if ch != "`":
                k = self._next_special(k + 1)
                continue
            j = k
            while j < n and s[j] == "`":
                j += 1
            width, starts = j - k, runs.get(j - k, [])
            p = ptr.get(width, 0)
            while p < len(starts) and starts[p] < j:
                p += 1
            ptr[width] = p
            if p < len(starts):
                self.code[k] = starts[p] + width
                k = starts[p] + width
            else:
                k = j

    def code_end(self, i: int, j: int) -> int | None:
        """End of the code span opened by the backticks ``s[i:j]``: the next run of exactly as
        many backticks (None when there is none)."""
        starts = self.runs.get(j - i, ())
        k = bisect.bisect_left(starts, j)
        return starts[k] + j - i if k < len(starts) else None

    def _next_special(self, k: int) -> int:
        """The next backslash or backtick at or after ``k`` (or the end)."""
        a = self.next_of("\\", k)
        b = self.next_of("`", k)
        n = len(self.s)
        return min(a if a >= 0 else n, b if b >= 0 else n)

    def _pairs(self) -> None:
        s = self.s
        brackets: list[int] = []
        parens: list[int] = []
        k, n = 0, len(s)
        code = self.code
        while k < n:
            ch = s[k]
            if ch == "\\":
                k += 2
                continue
            if ch == "`" and k in code:
                # a bracket inside a code span is code; a parenthesis is still counted (a link
                # target may hold a backtick)
                end = code[k]
                for j in range(k, end):
                    if s[j] == "(":
                        parens.append(j)
                    elif s[j] == ")" and parens:
                        self.paren[parens.pop()] = j
                k = end
                continue
            if ch == "[":
                brackets.append(k)
            elif ch == "]" and brackets:
                self.bracket[brackets.pop()] = k
            elif ch == "(":
                parens.append(k)
            elif ch == ")" and parens:
                self.paren[parens.pop()] = k
            k += 1

    def next_of(self, needle: str, p: int) -> int:
        """``s.find(needle, p)``, remembered: the scan asks with growing ``p``, so every part of
        the block is searched once however many openers (``<!--``, ``<?``) are left unclosed."""
        memo = self._next.get(needle)
        if memo is not None and memo[0] <= p and (memo[1] < 0 or memo[1] >= p):
            return memo[1]
        found = self.s.find(needle, p)
        self._next[needle] = (p, found)
        return found

    def next_closer(self, p: int, hi: int) -> int | None:
        """The first "]" in ``[p, hi)``."""
        k = bisect.bisect_left(self.closers, p)
        return self.closers[k] if k < len(self.closers) and self.closers[k] < hi else None

    def bracket_close(self, i: int, hi: int) -> int | None:
        close = self.bracket.get(i)
        return close if close is not None and close < hi else None

    def link_tail(self, k: int, hi: int) -> int | None:
        """End of ``(target "title")`` or ``[ref]`` after a link's text, or None if it is no link."""
        if k >= hi:
            return None
        if self.s[k] == "(":
            close = self.paren.get(k)
            return close + 1 if close is not None and close < hi else None
        if self.s[k] == "[":
            close = self.next_closer(k, hi)
            return close + 1 if close is not None else None
        return None

    def link_end(self, i: int, hi: int) -> int | None:
        close = self.bracket_close(i, hi)
        return None if close is None else self.link_tail(close + 1, hi)

    def html(self, i: int, hi: int) -> int | None:
        """End of the autolink or raw HTML (tag, comment, ``<?…?>``, ``<!…>``) at ``i``, if any."""
        s = self.s
        m = _AUTOLINK.match(s, i, hi) or _HTML_TAG.match(s, i, hi)
        if m:
            return m.end()
        for opener, closer in (("<!--", "-->"), ("<?", "?>")):
            if s.startswith(opener, i, hi):
                j = self.next_of(closer, i + len(opener))
                return j + len(closer) if 0 <= j and j + len(closer) <= hi else None
        if s.startswith("<!", i, hi) and i + 2 < hi and "A" <= s[i + 2] <= "Z":
            j = self.next_of(">", i + 2)
            return j + 1 if 0 <= j < hi else None
        return None


class _InlineScan:
    """The state of one :func:`_scan_inline`: the window ``[lo, n)`` being scanned, where the
    pending prose run starts, and the enclosing scans (link texts) to resume.

    Each ``_at_*`` handler is called with the index of its character and returns where the scan
    goes on; one that does not recognise its construct returns ``i + 1`` (plain text)."""

    __slots__ = ("b", "block", "s", "P", "marks", "frames", "lo", "n", "run_start")

    def __init__(self, b: _Builder, block: _BlockSource, lo: int, hi: int):
        self.b = b
        self.block = block
        self.s = block.s
        self.P = block.pos
        self.marks = _Marks(block.s)
        self.frames: list[tuple[int, int, int]] = []  # (lo, hi, resume at) of each enclosing scan
        self.lo = lo
        self.n = hi
        self.run_start = lo

    def flush(self, i: int) -> None:
        """Emit the pending prose run up to ``i``."""
        if i > self.run_start:
            self.block.copy(self.b, self.run_start, i)

    def emit(self, i: int, end: int, text: str, masked: bool = False) -> int:
        """Replace ``s[i:end]`` by ``text`` after the pending prose; the run restarts at ``end``."""
        self.flush(i)
        self.b.replace(self.P(i), self.P(end), text, masked=masked)
        self.run_start = end
        return end

    def skip(self, i: int, end: int) -> int:
        """Leave ``s[i:end]`` out of the prose (no placeholder); the run restarts at ``end``."""
        self.flush(i)
        self.run_start = end
        return end

    def end_of_window(self) -> int | None:
        """At the end of the window: emit its last run and resume the enclosing scan (its
        position), or None when this was the outermost one."""
        if self.n > self.run_start:
            self.block.copy(self.b, self.run_start, self.n)
        if not self.frames:
            return None
        self.lo, self.n, i = self.frames.pop()
        self.run_start = i
        return i

    def _at_backslash(self, i: int) -> int:
        s = self.s
        if i + 1 < self.n and s[i + 1] in _ESCAPABLE:
            return self.emit(i, i + 2, s[i + 1])
        return i + 1

    def _at_backtick(self, i: int) -> int:
        s, n = self.s, self.n
        j = i
        while j < n and s[j] == "`":
            j += 1
        end = self.marks.code_end(i, j)
        if end is not None and end <= n:
            return self.emit(i, end, PLACEHOLDER, masked=True)
        return j

    def _at_angle(self, i: int) -> int:
        s, n = self.s, self.n
        end = self.marks.html(i, n)
        if end is None:
            return i + 1
        alone = (i == self.lo or s[i - 1].isspace()) and (end == n or s[end].isspace())
        if alone or _AUTOLINK.match(s, i, end):
            # a tag standing alone between spaces (<img>, a comment) keeps a masked place,
            # so that the words around it do not read as glued by two spaces
            return self.emit(i, end, PLACEHOLDER, masked=True)
        return self.skip(i, end)

    def _at_ampersand(self, i: int) -> int:
        m = _ENTITY.match(self.s, i, self.n)
        if m:
            decoded = html.unescape(m.group(0))
            if decoded != m.group(0):
                return self.emit(i, m.end(), decoded)
        return i + 1

    def _at_bang(self, i: int) -> int:
        if i + 1 < self.n and self.s[i + 1] == "[":
            end = self.marks.link_end(i + 1, self.n)
            if end is not None:
                return self.emit(i, end, PLACEHOLDER, masked=True)
        return i + 1

    def _at_bracket(self, i: int) -> int:
        marks, n = self.marks, self.n
        if self.s.startswith("[^", i, n):
            close = marks.next_closer(i, n)
            if close is not None:
                return self.skip(i, close + 1)
        close = marks.bracket_close(i, n)
        if close is not None:
            after = marks.link_tail(close + 1, n)
            if after is not None:
                # link text is prose: scan it; the target is masked (skipped)
                self.flush(i)
                self.frames.append((self.lo, n, after))
                self.lo = self.run_start = i + 1
                self.n = close
                return i + 1
        return i + 1

    def _at_url_letter(self, i: int) -> int:
        s = self.s
        if i == self.lo or not s[i - 1].isalnum():
            m = _URL.match(s, i, self.n)
            if m:
                return self.emit(i, m.end(), PLACEHOLDER, masked=True)
        return i + 1

    def _at_at_sign(self, i: int) -> int:
        s, lo, n = self.s, self.lo, self.n
        if i > lo and s[i - 1] in _EMAIL_CHARS:
            m = _EMAIL.search(s, max(lo, i - 64), min(n, i + 256))
            if m and m.start() <= i < m.end() and m.start() >= self.run_start:
                return self.emit(m.start(), m.end(), PLACEHOLDER, masked=True)
        return i + 1

    def _at_emphasis(self, i: int) -> int:
        s, n = self.s, self.n
        c = s[i]
        j = i
        while j < n and s[j] == c:
            j += 1
        before = s[i - 1] if i > self.lo else " "
        after = s[j] if j < n else " "
        intraword = before.isalnum() and after.isalnum()
        delimiter = not (before.isspace() and after.isspace()) and not (c == "_" and intraword)
        if c == "~" and j - i < 2:
            delimiter = False
        if delimiter:
            self.skip(i, j)
        return j


# the characters that may open an inline construct, and the handler of each; every other
# character is plain text
_INLINE_HANDLERS = {
    "\\": _InlineScan._at_backslash,
    "`": _InlineScan._at_backtick,
    "<": _InlineScan._at_angle,
    "&": _InlineScan._at_ampersand,
    "!": _InlineScan._at_bang,
    "[": _InlineScan._at_bracket,
    **dict.fromkeys("hfwHFW", _InlineScan._at_url_letter),
    "@": _InlineScan._at_at_sign,
    **dict.fromkeys("*_~", _InlineScan._at_emphasis),
}


def _scan_inline(b: _Builder, block: _BlockSource, lo: int, hi: int) -> None:
    """Scan ``block.s[lo:hi]`` as inline Markdown; emit prose pieces into ``b``.

    Linear in the block's length: closers come from :class:`_Marks`, and link text is scanned
    in place (a stack of the enclosing scans, not recursion: 1,200 nested links are fine)."""
    scan = _InlineScan(b, block, lo, hi)
    s = block.s
    handler_of = _INLINE_HANDLERS.get
    i, n = lo, hi
    while True:
        if i >= n:
            resume = scan.end_of_window()
            if resume is None:
                return
            i, n = resume, scan.n
            continue
        handler = handler_of(s[i])
        if handler is None:
            i += 1
            continue
        i = handler(scan, i)
        n = scan.n
