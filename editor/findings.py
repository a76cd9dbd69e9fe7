"""Findings and fixes: what every engine produces, in source coordinates.

All positions are ``[start, end)`` code-point offsets into the file text as read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Applicability(str, Enum):
    """How far a fix may be trusted (ruff's levels)."""

    SAFE = "safe"  # mechanical: may be applied without a human
    UNSAFE = "unsafe"  # a likely rewrite: applied only on request
    DISPLAY_ONLY = "display-only"  # shown to the editor, never applied

    @property
    def rank(self) -> int:
        return {"safe": 2, "unsafe": 1, "display-only": 0}[self.value]


CATEGORIES = (
    "grammar",
    "structure",
    "calque",
    "collocation",
    "style",
    "untranslated",
    "boilerplate",
    "typography",
    "punctuation",
    "spelling",
)


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def overlaps(self, other: "Span") -> bool:
        if self.start == self.end or other.start == other.end:
            # an insertion point overlaps a span that strictly contains it
            point, span = (self, other) if self.start == self.end else (other, self)
            return span.start < point.start < span.end or (point.start == span.start == span.end)
        return self.start < other.end and other.start < self.end

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Edit:
    span: Span
    replacement: str


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability
    title: str = ""

    def replacement_text(self, text: str, span: "Span | None" = None) -> str:
        """What ``span`` (default: the range the edits cover) reads like with the edits applied.

        Renderers pass the finding's span, so that a fix touching only part of it ("delete
        'are'" inside "make the muscles are exercised") shows as the whole flagged text, changed.
        """
        if not self.edits:
            return text[span.start : span.end] if span else ""
        start = min(e.span.start for e in self.edits)
        end = max(e.span.end for e in self.edits)
        if span is not None:
            start, end = min(start, span.start), max(end, span.end)
        out = []
        pos = start
        for e in sorted(self.edits, key=lambda e: e.span.start):
            out.append(text[pos : e.span.start])
            out.append(e.replacement)
            pos = e.span.end
        out.append(text[pos:end])
        return "".join(out)


@dataclass
class Finding:
    rule: str  # the rule code, e.g. MT301 or HARPER/Spelling
    category: str
    severity: Severity
    message: str
    span: Span
    fixes: tuple[Fix, ...] = ()
    source: str = "cleanup"  # the engine whose message is shown
    name: str = ""  # the rule's name
    sources: tuple[str, ...] = field(default=())  # every engine that reported it
    # the learned detector's calibrated precision (editor/backends/detector.py) for its own
    # findings and for rule findings on words it flagged too; None: no model judged it
    confidence: float | None = None

    @property
    def extent(self) -> Span:
        """The span every output reports: the flagged text, widened to every edit of every fix.

        A fix may edit next to what is flagged (deleting "but " when "but" is flagged, a whole
        line of page chrome, "make" → "get" ahead of a flagged "are exercised"). Outputs report
        this span, so that each fix reads as one replacement of exactly the reported text:
        ``text[:extent.start] + replacement(fix, text) + text[extent.end:]`` is the fixed text.
        """
        edits = [e.span for fix in self.fixes for e in fix.edits]
        if not edits:
            return self.span
        return Span(min([self.span.start] + [s.start for s in edits]), max([self.span.end] + [s.end for s in edits]))

    def replacement(self, fix: Fix, text: str) -> str:
        """What ``fix`` turns the reported span (:attr:`extent`) of ``text`` into."""
        return fix.replacement_text(text, self.extent)

    @property
    def applicability(self) -> Applicability | None:
        return self.fixes[0].applicability if self.fixes else None

    def sort_key(self) -> tuple:
        return (self.span.start, self.span.end, self.rule)
