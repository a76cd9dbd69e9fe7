"""Spans to Findings: the one function every source of findings goes through.

Our rules report in the coordinates of an analysed unit, Harper and LanguageTool in those of a
segment of prose, house substitutions in a segment too; all of them end here, as a segment span
and the fixes proposed for it (:class:`Proposal`, edits in segment coordinates).
:func:`finding_from_span` maps them to the file through the segment's offset map and applies the
rules every source shares:

- a span that touches masked text (code, URLs, HTML placeholders) gives no finding;
- a fix that would edit masked text is dropped; one whose edited text crosses markup (emphasis,
  an entity) is shown but never applied (display-only), because applying it would lose the markup;
- a fix that changes nothing, or repeats an earlier one, is dropped;
- ``{match}`` in the message is the flagged text as it stands in the file.

Stages that already work in file coordinates (page-chrome regions, unused suppression comments)
make their findings with :func:`finding_in_file`, the constructor :func:`finding_from_span` ends with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span

if TYPE_CHECKING:  # pragma: no cover
    from editor.segment import Segment


@dataclass(frozen=True)
class Proposal:
    """A fix proposed in segment coordinates: ``(start, end, replacement)`` edits applied together."""

    edits: tuple[tuple[int, int, str], ...]
    applicability: Applicability
    title: str


@dataclass(frozen=True)
class Origin:
    """Who reports a finding: the rule's identity and the engine whose message is shown."""

    code: str
    name: str
    category: str
    severity: Severity
    source: str = "cleanup"


def finding_from_span(segments: Sequence["Segment"], text: str, seg_index: int, start: int, end: int,
                      origin: Origin, message: str, proposals: Sequence[Proposal] = ()) -> Finding | None:
    """A problem at ``[start, end)`` of segment ``seg_index`` → a Finding in file coordinates, or
    None when the span is outside the segment or touches masked text."""
    seg = segments[seg_index]
    if not (0 <= start <= end <= len(seg.text)) or seg.is_masked(start, end):
        return None
    src_start, src_end = seg.to_source(start, end)
    fixes: list[Fix] = []
    seen: set[tuple] = set()
    for proposal in proposals:
        fix = _fix_in_source(seg, text, proposal)
        if fix is None:
            continue
        key = tuple((e.span.start, e.span.end, e.replacement) for e in fix.edits)
        if key in seen:
            continue
        seen.add(key)
        fixes.append(fix)
    return finding_in_file(src_start, src_end, origin, message.replace("{match}", text[src_start:src_end]), fixes)


def finding_in_file(start: int, end: int, origin: Origin, message: str, fixes: Sequence[Fix] = ()) -> Finding:
    """The Finding itself, for a span already in file coordinates: what :func:`finding_from_span`
    ends with, and what the stages that work on the file (page-chrome regions, suppression
    comments) make directly."""
    return Finding(rule=origin.code, category=origin.category, severity=origin.severity, message=message,
                   span=Span(start, end), fixes=tuple(fixes), source=origin.source, name=origin.name,
                   sources=(origin.source,))


def _fix_in_source(seg: "Segment", text: str, proposal: Proposal) -> Fix | None:
    edits = []
    crosses = False
    for a, b, rep in proposal.edits:
        if not (0 <= a <= b <= len(seg.text)) or (a != b and seg.is_masked(a, b)):
            return None
        sa, sb = seg.to_source(a, b)
        crosses = crosses or text[sa:sb] != seg.text[a:b]
        edits.append(Edit(Span(sa, sb), rep))
    if len(edits) == 1 and text[edits[0].span.start:edits[0].span.end] == edits[0].replacement:
        return None  # changes nothing
    applicability = Applicability.DISPLAY_ONLY if crosses else proposal.applicability
    return Fix(tuple(edits), applicability, proposal.title)


def edit_title(old: str, new: str, insertion: bool = False) -> str:
    """How a one-edit fix is named in reports and editors."""
    if new == "":
        return f"delete “{old}”" if len(old) <= 40 else "delete this text"
    if insertion:
        return f"insert “{new}”"
    return f"replace with “{new}”"
