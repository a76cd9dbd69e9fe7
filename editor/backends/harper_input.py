"""What Harper is given: every call to Harper in cleanup (the HARPER engine, ST106/ST107's speller)
lints the texts this module cuts, so that no call gets input Harper cannot take (issue 26).

- **Words.**  Harper's speller needs about 0.65 MB per letter of the longest word it corrects
  (measured with harper-py 0.2: 500 letters 0.39 GB, 1,000 letters 0.73 GB, 2,000 letters 1.4 GB);
  a 100,000-letter word makes it ask for tens of gigabytes and abort the whole process (a failed
  allocation in Rust is an abort, not an exception).  A run of more than :data:`MAX_WORD_CHARS`
  word characters (letters, digits, apostrophes: everything Harper reads as one word; CJK runs
  too) is left out of Harper's input: no English word is that long (the longest in the big
  dictionaries has 45 letters), so it can only be a DNA sequence, base64, a hash or keyboard
  mashing, and no spelling or grammar finding on it could help an editor.  Nothing is reported
  for it (Hunspell, LanguageTool and Vale skip such tokens silently too); the text around it is
  checked as usual.
- **Sentences.**  Harper's time grows with the square of a sentence's length (100 KB of "& "
  without a sentence end took minutes): a stretch of more than :data:`MAX_SENTENCE_CHARS`
  characters without a sentence end is cut at a space (else between two words), each piece read
  as a paragraph of its own.
- **Calls.**  The pieces are joined with blank lines into calls of at most :data:`MAX_CALL_CHARS`
  characters (an article up to that size is one call, as before), so that memory per call is
  bounded whatever the article's size.  Each call is a :class:`editor.backends.Joined`, whose
  ``locate`` maps Harper's spans (code points of the call's text) back to the texts.

Ordinary prose (no such word, no such stretch) reaches Harper exactly as it is.
"""

from __future__ import annotations

import re
from typing import Sequence

from editor.backends import SEPARATOR, Joined, Piece

MAX_WORD_CHARS = 64
MAX_SENTENCE_CHARS = 1000
MAX_CALL_CHARS = 50_000
STAND_IN = "X"  # what Harper reads where a word was left out (the segmenter's placeholder for code and URLs)

_WORD_CHARS = r"\w'’"  # a superset of what Harper reads as one word (measured over every code point)
_LONG_WORD = re.compile(r"[%s]{%d,}" % (_WORD_CHARS, MAX_WORD_CHARS + 1))
_WORD_CHAR = re.compile(r"[%s]" % _WORD_CHARS)
_SENTENCE_END = re.compile(r"[.!?;:。！？；…][\"'”’)\]]*(?=\s)|\n")


def long_words(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every run of word characters too long to give Harper."""
    return [m.span() for m in _LONG_WORD.finditer(text)]


def text_parts(text: str, sentence_limit: int = MAX_SENTENCE_CHARS,
               part_limit: int = MAX_CALL_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` parts of ``text`` for Harper: all of it but its over-long words, each part
    at most ``part_limit`` long and without a stretch of more than ``sentence_limit`` characters
    without a sentence end.  Text with neither, up to ``part_limit`` long, is one part: the whole
    of it (even if empty)."""
    skipped = long_words(text)
    if not skipped:
        return _cut(text, 0, len(text), sentence_limit, part_limit)
    out = []
    pos = 0
    for a, b in skipped + [(len(text), len(text))]:
        if a > pos:
            out.extend(_cut(text, pos, a, sentence_limit, part_limit))
        pos = b
    return out


def _cut(text: str, lo: int, hi: int, limit: int, part_limit: int) -> list[tuple[int, int]]:
    """``text[lo:hi]`` in parts: whole when it is short; else cut where a stretch without a
    sentence end exceeds ``limit`` and at the last sentence end before ``part_limit``."""
    if hi - lo <= limit:
        return [(lo, hi)]
    out = []
    start = prev = lo
    for bound in [m.end() for m in _SENTENCE_END.finditer(text, lo, hi)] + [hi]:
        while bound - prev > limit:
            cut = _cut_point(text, prev, limit)
            out.append((start, cut))
            start = prev = cut
        if bound - start > part_limit:  # prev > start here: bound - prev <= limit < part_limit
            out.append((start, prev))
            start = prev
        prev = bound
    out.append((start, hi))
    return out


def _cut_point(text: str, prev: int, limit: int) -> int:
    """Where to cut a long stretch that starts at ``prev``: after the last space in its second
    half, else after the last character that is not part of a word (there is one in every
    ``MAX_WORD_CHARS + 1`` characters once long words are out), else at ``prev + limit``."""
    lo, hi = prev + limit // 2, prev + limit
    space = text.rfind(" ", lo, hi)
    if space > prev:
        return space + 1
    for p in range(hi, lo, -1):
        if not _WORD_CHAR.match(text, p - 1) or not _WORD_CHAR.match(text, p):
            return p
    return hi


def calls(texts: Sequence[str], limit: int | None = None) -> list[Joined]:
    """The Harper calls that lint ``texts``: their parts (:func:`text_parts`) in order, at most
    ``limit`` (:data:`MAX_CALL_CHARS`) characters a call; ``Joined.locate`` gives ``(index in
    texts, start, end)``.  Texts,
    and the parts of a text cut at a long stretch, are joined with blank lines; a word left out
    stands as :data:`STAND_IN`, so that the sentence around it still reads as one sentence (no
    lint can be located on the stand-in: it belongs to no part)."""
    limit = limit or MAX_CALL_CHARS
    out: list[Joined] = []
    pieces: list[Piece] = []
    chunks: list[str] = []
    pos = 0
    for i, text in enumerate(texts):
        parts = text_parts(text, part_limit=limit - 2 * len(STAND_IN))
        for n, (a, b) in enumerate(parts):
            gap = a > (parts[n - 1][1] if n else 0)  # a word left out just before this part
            tail = STAND_IN if n == len(parts) - 1 and b < len(text) else ""  # ... or just after it
            paragraph = n == 0 or not gap  # a new text, or a cut in a long stretch
            if pieces and pos + len(SEPARATOR) + 1 + (b - a) + len(tail) > limit:
                out.append(Joined(pieces, "".join(chunks)))
                pieces, chunks, pos = [], [], 0
            lead = (SEPARATOR if pieces and paragraph else "") + (STAND_IN if gap else "")
            chunks.append(lead)
            pos += len(lead)
            pieces.append(Piece(i, a, b, pos))
            chunks.append(text[a:b] + tail)
            pos += b - a + len(tail)
    if pieces:
        out.append(Joined(pieces, "".join(chunks)))
    return out
