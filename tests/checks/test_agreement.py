"""Tricky cases for the agreement checks (MT450 agreement across a modifier, MT451 tense drift)."""

from __future__ import annotations

import pytest

from editor.checks import agreement as A
from tests.checks.support import hits_of, units_of


@pytest.fixture(scope="module")
def parse(nlp):
    return lambda *paragraphs, kind="paragraph": units_of(nlp, *paragraphs, kind=kind)


def spans(check, units, options=None):
    return [(h.unit.index, h.unit.doc.text[h.start:h.end], h.replacements[:1])
            for h in hits_of(check, units, options)]


@pytest.mark.parametrize("text, verb, fix", [
    ("The shoes under the bed in the guest room belongs to my brother.", "belongs", "belong"),
    ("Farmers from the hills near the river sells eggs at the market.", "sells", "sell"),
    ("The students who sit at the back of the class was late again.", "was", "were"),
])
def test_agreement_flags(parse, text, verb, fix):
    assert spans(A.long_distance_agreement, parse(text)) == [(0, verb, (fix,))]


@pytest.mark.parametrize("text", [
    "The keys on the table are mine.",
    "The price of the tickets is too high.",          # singular head, plural noun in the PP
    "A lot of the old houses in the valley are empty.",  # partitive
    "Ten years of hard work in the mines was enough.",   # quantity
    "The series of talks on the radio was popular.",     # number-neutral noun
    "If the road to the coast were open, we would drive.",  # subjunctive
    "The keys are on the table.",                      # adjacent: MT408's job, not this rule's
])
def test_agreement_allows(parse, text):
    assert spans(A.long_distance_agreement, parse(text)) == []


def test_tense_drift_across_paragraphs(parse):
    units = parse("The moth rests on the bark all day.", "At dusk it opens its wings.",
                  "It flew to the lamp by the door.", "It circles the light until dawn.")
    assert spans(A.tense_drift, units, {"window": 1, "min_neighbours": 2}) == [(2, "flew", ())]


@pytest.mark.parametrize("paragraphs", [
    # a time expression anchors the past
    ("The moth rests on the bark all day.", "Last night it flew to the lamp.", "It circles the light."),
    # an indefinite noun subject (new information): the rule stays quiet
    ("The moth rests on the bark.", "A bird saw it.", "It hides again."),
    # a past-tense passage
    ("We moved here in the spring.", "It rained for weeks.", "The garden flooded twice."),
    # past sentence at the end of the run: needs present on both sides
    ("The moth rests on the bark.", "It opens its wings.", "It flew away."),
])
def test_tense_drift_allows(parse, paragraphs):
    assert spans(A.tense_drift, parse(*paragraphs), {"window": 1, "min_neighbours": 2}) == []


def test_a_past_that_reads_as_a_present_is_no_drift(parse):
    # "spread" is past and present alike after "they": the tagger's VBD is no evidence
    units = parse("Light travels fast.", "The waves leave the star.", "They spread at the speed of light.",
                  "They reach us after a million years.")
    assert spans(A.tense_drift, units, {"window": 1, "min_neighbours": 2}) == []
    # after "it" the present would be "spreads": "spread" is a past
    units = parse("The fire burns slowly.", "The wind rises at noon.", "It spread to the barn.",
                  "The smoke fills the valley.")
    assert spans(A.tense_drift, units, {"window": 1, "min_neighbours": 2}) == [(2, "spread", ())]


def test_tense_drift_breaks_at_headings(parse):
    units = parse("The moth rests on the bark all day.", "It flew to the lamp by the door.",
                  "It circles the light until dawn.")
    units[0].kind = "heading"
    assert spans(A.tense_drift, units, {"window": 1, "min_neighbours": 2}) == []
