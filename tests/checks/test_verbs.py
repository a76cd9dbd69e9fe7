"""Tricky cases for broken verb groups (MT201-MT206)."""

from __future__ import annotations

import pytest

from editor.checks.verbs import be_bare_verb, be_modal, causative_finite, modal_inflected, passive_intransitive
from tests.checks.support import flagged, hit_spans, hits_of


# -- MT201 be + bare verb ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "What we did was go home early.",
    "All you need to do is press the button.",
    "There is need to check the brakes.",
    "The plan is to need less water.",
    "Her job is teaching.",
])
def test_be_bare_verb_allows(parse, text):
    assert flagged(be_bare_verb, parse, text) == []


def test_be_bare_verb_inflects_for_tense(parse):
    hits = hit_spans(be_bare_verb, parse("Last year the farm was need to hire more workers."))
    assert hits and hits[0][1] == "was need" and hits[0][2] == ("needed",)


# -- MT202 / MT203 -----------------------------------------------------------------------------

def test_be_modal_not_a_must(parse):
    assert flagged(be_modal, parse, "Sun cream is a must in July.") == []
    assert flagged(be_modal, parse, "Sun cream is must in July.") == []  # no verb: not this rule
    assert flagged(be_modal, parse, "Visitors are must show a ticket.") == ["are must"]


def test_passive_intransitive(parse):
    assert flagged(passive_intransitive, parse, "The fire was occurred at night.") == ["was occurred"]
    assert flagged(passive_intransitive, parse, "The old king was succeeded by his son.") == []
    assert flagged(passive_intransitive, parse, "She was tired and appeared pale.") == []


# -- MT204 causative ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Make sure the lights are off.",
    "This makes it clear that we were right.",
    "Let me know when the bus arrives.",
    "What makes people happy is simple.",
])
def test_causative_allows(parse, text):
    assert flagged(causative_finite, parse, text) == []


def test_causative_long_subject_points_at_the_verb(parse):
    text = "The massage will make the small muscles along the spine of the lower back are relaxed."
    hits = flagged(causative_finite, parse, text)
    assert hits == ["are"] or (hits and len(hits[0]) <= 50)


def test_causative_span_holds_every_edit_of_its_fix(parse):
    # a subject longer than max_span: the span still starts at "make" when "make" becomes "get"
    (unit,) = parse("Daily squats make the small muscles around each knee joint are exercised properly.")
    (hit,) = hits_of(causative_finite, [unit])
    text = unit.doc.text
    assert text[hit.start:hit.end] == "make the small muscles around each knee joint are exercised"
    assert all(hit.start <= a <= b <= hit.end for a, b, _ in hit.edits)
    fixed = text
    for a, b, r in sorted(hit.edits, reverse=True):
        fixed = fixed[:a] + r + fixed[b:]
    assert fixed == "Daily squats get the small muscles around each knee joint exercised properly."


def test_causative_be_at_the_span_end_goes_with_the_space_before_it(parse):
    (unit,) = parse("Hot baths make the joints are softer after a long walk.")
    (hit,) = hits_of(causative_finite, [unit])
    text = unit.doc.text
    assert text[hit.start:hit.end] == "make the joints are"
    assert [(text[a:b], r) for a, b, r in hit.edits] == [(" are", "")]


# -- MT206 modal + inflected verb ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "You can process the forms online.",  # "process" is a base form ending in -s
    "We will focus on sleep.",
    "May showed the best results.",  # the month
    "The will was read aloud.",  # "will" as a noun
    "It could have caused a fire.",
    "Prices may be raised in June.",
])
def test_modal_inflected_allows(parse, text):
    assert flagged(modal_inflected, parse, text) == []


def test_modal_inflected_flags(parse):
    assert flagged(modal_inflected, parse, "This cream can reduces swelling.") == ["can reduces"]
    assert flagged(modal_inflected, parse, "The storm will damaged the crops.") == ["will damaged"]
