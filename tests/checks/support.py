"""Running one check on parsed paragraphs, for the tests of editor/checks."""

from __future__ import annotations

from editor.checks.base import CheckContext, Hit, Unit


def units_of(nlp, *texts: str, kind: str = "paragraph", masked=()) -> list[Unit]:
    """One unit per text, parsed in one batch, as the pipeline builds them."""
    return [Unit(doc=d, kind=kind, segment_index=i, index=i, masked=masked)
            for i, d in enumerate(nlp.pipe(texts))]


def hits_of(check, units: list[Unit], options=None) -> list[Hit]:
    """Every hit of ``check``; each must name its unit (the pipeline maps hits through it)."""
    hits = list(check(CheckContext(units=units), dict(options or {})))
    assert all(h.unit is not None for h in hits), f"{check.__name__} must set Hit.unit"
    return hits


def found_in(nlp, check, *texts: str, kind: str = "paragraph", options=None, masked=()) -> list:
    """(flagged text, hit) for every hit of ``check`` on one unit per text."""
    units = units_of(nlp, *texts, kind=kind, masked=masked)
    return [(h.unit.doc.text[h.start:h.end], h) for h in hits_of(check, units, options)]


def hit_spans(check, units: list[Unit], options=None) -> list:
    """(unit index, flagged text, first replacement or edits) for every hit."""
    return [(h.unit.index, h.unit.doc.text[h.start:h.end], h.replacements[:1] or h.edits)
            for h in hits_of(check, units, options)]


def flagged(check, parse, text: str, options=None) -> list[str]:
    """The flagged texts of ``check`` on one paragraph (``parse``: the fixture of conftest.py)."""
    return [s for _, s, _ in hit_spans(check, parse(text), options)]
