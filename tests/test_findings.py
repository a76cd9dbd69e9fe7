"""Findings, spans and fixes: the types every engine produces."""

from __future__ import annotations

import pytest

from editor.findings import CATEGORIES, Applicability, Edit, Finding, Fix, Severity, Span


def test_span_rejects_bad_ranges():
    with pytest.raises(ValueError):
        Span(-1, 2)
    with pytest.raises(ValueError):
        Span(5, 4)
    assert len(Span(3, 7)) == 4
    assert len(Span(3, 3)) == 0


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ((0, 5), (5, 9), False),  # touching is not overlapping
        ((0, 5), (4, 9), True),
        ((2, 3), (0, 9), True),
        ((3, 3), (0, 9), True),  # an insertion strictly inside a span
        ((0, 3), (3, 3), False),  # an insertion at a span's edge
        ((3, 3), (3, 3), True),  # two insertions at one point clash
    ],
)
def test_span_overlaps(a, b, expected):
    assert Span(*a).overlaps(Span(*b)) is expected
    assert Span(*b).overlaps(Span(*a)) is expected


def test_ranks():
    assert Severity.ERROR.rank > Severity.WARNING.rank > Severity.INFO.rank
    assert Applicability.SAFE.rank > Applicability.UNSAFE.rank > Applicability.DISPLAY_ONLY.rank
    assert Applicability("display-only") is Applicability.DISPLAY_ONLY
    assert {s.value for s in Severity} == {"error", "warning", "info"}


def test_replacement_text_applies_every_edit_to_the_covered_text():
    text = "The reason is because it rained."
    fix = Fix(
        (Edit(Span(14, 21), "that"), Edit(Span(4, 10), "cause")),
        Applicability.UNSAFE,
    )
    assert fix.replacement_text(text) == "cause is that"
    assert Fix((), Applicability.SAFE).replacement_text(text) == ""
    assert Fix((Edit(Span(3, 3), ","),), Applicability.SAFE).replacement_text(text) == ","


def test_finding_applicability_and_order():
    fix = Fix((Edit(Span(0, 1), "x"),), Applicability.UNSAFE)
    a = Finding("ST101", "grammar", Severity.WARNING, "m", Span(5, 9), (fix,))
    b = Finding("ST102", "style", Severity.INFO, "m", Span(1, 2))
    assert a.applicability is Applicability.UNSAFE
    assert b.applicability is None
    assert sorted([a, b], key=Finding.sort_key) == [b, a]
    assert a.source == "cleanup"


def test_categories_are_fixed():
    assert "calque" in CATEGORIES and "grammar" in CATEGORIES


def test_replacement_text_covers_the_finding_span():
    """A fix that edits part of the flagged words shows as the whole flagged text, changed."""
    from editor.findings import Applicability, Edit, Fix, Span

    text = "it will make the muscles are exercised today"
    start = text.index("make")
    end = text.index(" today")
    are = text.index("are ")
    fix = Fix((Edit(Span(are, are + 4), ""),), Applicability.UNSAFE)
    assert fix.replacement_text(text) == ""
    assert fix.replacement_text(text, Span(start, end)) == "make the muscles exercised"
