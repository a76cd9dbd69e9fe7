"""Tricky cases for paired connectives (MT207)."""

from __future__ import annotations

import pytest

from editor.checks.connectives import paired_connective
from tests.checks.support import flagged, hit_spans


# -- MT207 paired connectives --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Not only is it cheap, but it is also fast.",
    "Although it was late, the shop was open, but nobody came in.",
    "Because it rained, so much water flooded the road.",
    "Although small, the flat is bright.",
    "Because of the rain, so many people stayed home.",
])
def test_paired_connective_allows(parse, text):
    assert flagged(paired_connective, parse, text) == []


def test_paired_connective_despite(parse):
    hits = hit_spans(paired_connective, parse("Despite the cold weather, but the match went ahead."))
    assert [h[1] for h in hits] == ["but"]
