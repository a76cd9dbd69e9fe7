"""Other engines: Harper (embedded, offline) and LanguageTool (a server), in our coordinates.

Both engines read the same prose as our rules: the segments of :mod:`editor.segment`, joined
with blank lines, so markup never reaches them and every span they report maps back to the file
through the segment's offset map (:func:`editor.spans.finding_from_span`, as for our rules).
Spans touching masked text (code, URLs, HTML placeholders) are dropped.

An engine has ``name``, ``start(segments)`` (begins its work in a thread, so that it overlaps
spaCy's parse) and ``finish(handle, segments, text)`` (waits and returns Findings in source
coordinates).  Engine failures are :class:`EngineError` with a one-line message.
"""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass
from typing import Iterable, Sequence

from typing import TYPE_CHECKING

from editor.findings import Applicability, Finding, Severity

if TYPE_CHECKING:  # pragma: no cover
    from editor.segment import Segment

# spaCy entity labels whose words are names, not spelling errors
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "PRODUCT", "WORK_OF_ART", "EVENT", "FAC"})
SEPARATOR = "\n\n"  # between segments in the text an engine reads


class EngineError(Exception):
    """An engine failed: the message is one line (what failed and why)."""


@dataclass(frozen=True)
class EngineRule:
    """Enough of a rule for :func:`editor.engine.registry.selected` (code + on by default)."""

    code: str
    default: bool


def rule_selected(code: str, default: bool, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """The same selection logic as our rules: prefixes; an opt-in rule needs its exact code or ALL."""
    from editor.engine.registry import selected

    return selected(EngineRule(code, default), select, ignore)


def engine_wanted(prefix: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """Could any rule of an engine whose codes start with ``prefix`` (e.g. ``HARPER/``) be selected?"""
    select = list(select or [])
    ignore = list(ignore or [])
    stem = prefix.rstrip("/")
    if any(p in (stem, prefix, "ALL") for p in ignore) and not any(p.startswith(prefix) for p in select):
        return False
    if not select:
        return True
    return any(p == "ALL" or prefix.startswith(p) or p.startswith(prefix) for p in select)


def kind_table(warning: dict[str, Sequence[str]], info: dict[str, Sequence[str]]) -> dict[str, tuple[str, Severity]]:
    """An engine's kinds of problem → (our category, severity), written as category → kinds for
    each severity (Harper's lint kinds, LanguageTool's issue types)."""
    table: dict[str, tuple[str, Severity]] = {}
    for severity, by_category in ((Severity.WARNING, warning), (Severity.INFO, info)):
        for category, kinds in by_category.items():
            table.update(dict.fromkeys(kinds, (category, severity)))
    return table


_warned: set[str] = set()


def warn_once(message: str) -> None:
    """One warning line on stderr, once per process and message."""
    if message not in _warned:
        _warned.add(message)
        print(f"cleanup: warning: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# the joined prose an engine reads, and the way back


@dataclass(frozen=True)
class Piece:
    """Segment ``segment`` ``[start, end)`` sits at ``offset`` in the joined text."""

    segment: int
    start: int
    end: int
    offset: int


class Joined:
    """Prose pieces joined with blank lines; positions in the joined text map back to segments."""

    def __init__(self, pieces: list[Piece], text: str):
        self.pieces = pieces
        self.text = text
        self._offsets = [p.offset for p in pieces]

    @classmethod
    def of(cls, segments: Sequence[Segment], parts: Iterable[tuple[int, int, int]] | None = None) -> "Joined":
        """Join whole segments, or the given ``(segment, start, end)`` parts of them, in order."""
        if parts is None:
            parts = ((i, 0, len(s.text)) for i, s in enumerate(segments))
        pieces: list[Piece] = []
        out: list[str] = []
        pos = 0
        for si, s, e in parts:
            if out:
                out.append(SEPARATOR)
                pos += len(SEPARATOR)
            pieces.append(Piece(si, s, e, pos))
            out.append(segments[si].text[s:e])
            pos += e - s
        return cls(pieces, "".join(out))

    def locate(self, start: int, end: int) -> tuple[int, int, int] | None:
        """``[start, end)`` of the joined text as ``(segment, seg_start, seg_end)``; None if it
        is not inside one piece (it crosses the blank line between two)."""
        k = bisect.bisect_right(self._offsets, start) - 1
        if k < 0:
            return None
        p = self.pieces[k]
        a, b = start - p.offset, end - p.offset
        if a < 0 or b > p.end - p.start or b < a:
            return None
        return p.segment, p.start + a, p.start + b


# --------------------------------------------------------------------------------------------
# one engine's report → a Finding in source coordinates

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})


def mechanical(old: str, new: str) -> bool:
    """Is replacing ``old`` by ``new`` purely mechanical: a run of spaces made one, or only the
    kind of dash changed ("1990-2000" → "1990–2000")?  Nothing else is safe to apply unseen."""
    if old == new:
        return False
    if re.fullmatch(r"[ \t]{2,}", old) and new == " ":
        return True
    if re.sub(r"[ \t]{2,}", " ", old) == new and old.strip() == old:
        return True
    return len(old) == len(new) and old.translate(_DASHES) == new.translate(_DASHES) and any(
        c in "-\u2010\u2011\u2012\u2013\u2014\u2212" for c in new)


def make_finding(
    *,
    segments: Sequence[Segment],
    text: str,
    seg_index: int,
    start: int,
    end: int,
    code: str,
    name: str,
    category: str,
    severity: Severity,
    message: str,
    source: str,
    replacements: Sequence[tuple[int, int, str]] = (),
    safe: bool = False,
    display_only: bool = False,
) -> Finding | None:
    """An engine's report at segment ``[start, end)`` → a Finding, through
    :func:`editor.spans.finding_from_span` like every other source. ``replacements`` are
    ``(start, end, text)`` edits in segment coordinates, one fix each, best first; they are unsafe
    unless ``safe`` and :func:`mechanical`, and only shown with ``display_only``."""
    from editor.spans import Origin, finding_from_span

    seg = segments[seg_index]
    proposals = [_engine_fix(seg, text, a, b, rep, safe, display_only)
                 for a, b, rep in replacements if 0 <= a <= b <= len(seg.text)]
    origin = Origin(code, name, category, severity, source)
    return finding_from_span(segments, text, seg_index, start, end, origin,
                             message.replace("\n", " ").strip() or code, proposals)


def _engine_fix(seg: "Segment", text: str, a: int, b: int, rep: str, safe: bool, display_only: bool):
    from editor.spans import Proposal, edit_title

    sa, sb = seg.to_source(a, b)
    old = text[sa:sb]
    if display_only:
        applicability = Applicability.DISPLAY_ONLY  # not reliable enough to apply
    elif safe and mechanical(old, rep):
        applicability = Applicability.SAFE
    else:
        applicability = Applicability.UNSAFE
    return Proposal(((a, b, rep),), applicability, edit_title(old, rep, insertion=a == b))


# --------------------------------------------------------------------------------------------
# names are not spelling errors


def name_spans(units, segments: Sequence[Segment]) -> list[tuple[int, int]]:
    """Source spans of the names spaCy's NER found (people, places, organisations, works...)."""
    out = []
    for unit in units:
        seg = segments[unit.segment_index]
        for ent in unit.doc.ents:
            if ent.label_ in NAME_LABELS:
                s, e = unit.offset + ent.start_char, unit.offset + ent.end_char
                if 0 <= s < e <= len(seg.text):
                    out.append(seg.to_source(s, e))
    out.sort()
    return out


def drop_names(findings: list[Finding], names: list[tuple[int, int]], vocabulary: Iterable[str], text: str) -> list[Finding]:
    """Drop spelling findings (of any engine, ours included) on a recognised name or a
    vocabulary word."""
    vocab = {w.casefold() for w in vocabulary}
    starts = [s for s, _ in names]
    longest = max((e - s for s, e in names), default=0)
    out = []
    for f in findings:
        if f.category == "spelling":
            word = text[f.span.start:f.span.end]
            if word.casefold() in vocab or word.strip(".,;:'’\"").casefold() in vocab:
                continue
            k = bisect.bisect_left(starts, f.span.end)
            hit = False
            while k > 0:
                k -= 1
                s, e = names[k]
                if s < f.span.start - longest:
                    break
                if s < f.span.end and f.span.start < e:
                    hit = True
                    break
            if hit:
                continue
        out.append(f)
    return out


__all__ = [
    "EngineError", "Joined", "NAME_LABELS", "Piece", "combine", "drop_names", "engine_wanted", "make_finding",
    "mechanical", "name_spans", "rule_selected", "warn_once",
]


def combine(ours: list[Finding], pending: list, segments: Sequence[Segment], units, text: str,
            vocabulary: Iterable[str] = (), merged: bool = True) -> list[Finding]:
    """Wait for the other engines, drop every engine's spelling findings on names and vocabulary
    words, and merge everything into one finding per problem (:func:`editor.merge.merge`)."""
    from editor.merge import merge

    theirs: list[Finding] = []
    for engine, handle in pending:
        if getattr(engine, "uses_units", False):  # the learned detector reads spaCy's sentences
            theirs.extend(engine.finish(handle, segments, text, units))
        else:
            theirs.extend(engine.finish(handle, segments, text))
    found = [*ours, *theirs]
    if any(f.category == "spelling" for f in found):
        found = drop_names(found, name_spans(units, segments), vocabulary, text)
    if not theirs:
        return found
    return merge(found) if merged else found
