"""Tricky cases for determiners and number in noun phrases (MT401-MT405)."""

from __future__ import annotations

import pytest

from editor.checks.noun_phrases import one_of_singular, quantifier_singular, the_gerund
from tests.checks.support import flagged, hit_spans


# -- MT401 the + gerund --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The early morning is the best time.",
    "We watched the heavy lifting of the crane.",
    "The quick thinking of the nurse saved him.",
    "The squeezing and stretching of space is tiny.",
])
def test_the_gerund_allows(parse, text):
    assert flagged(the_gerund, parse, text) == []


# -- MT404 / MT405 number ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Many people came.",
    "Several family members came.",
    "These kinds of shoes are light.",
    "Many a sailor has tried.",
    "The court found joint and several liability.",
    "Both of them agreed.",
])
def test_quantifier_allows(parse, text):
    assert flagged(quantifier_singular, parse, text) == []


def test_quantifier_mass_noun_changes_quantifier(parse):
    hits = hit_spans(quantifier_singular, parse("We cannot spend these money on toys."), {"mass_nouns": True})
    assert hits and hits[0][2][0][2] == "this"


@pytest.mark.parametrize("text", [
    "She is one of the family now.",
    "It is one of the best places to swim.",
    "One of the Smith brothers called.",
    "One of the reasons is cost.",
])
def test_one_of_allows(parse, text):
    assert flagged(one_of_singular, parse, text) == []
