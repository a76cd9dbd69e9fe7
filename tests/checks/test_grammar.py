"""Tricky cases for the grammar checks (MT2xx verb groups, MT4xx determiners/number/agreement)."""

from __future__ import annotations

import pytest

from editor.checks import grammar as G
from tests.checks.support import hits_of, units_of


@pytest.fixture(scope="module")
def parse(nlp):
    return lambda *paragraphs: units_of(nlp, *paragraphs)


def spans(check, units, options=None):
    """(unit index, flagged text, first replacement or edits) for every hit."""
    return [(h.unit.index, h.unit.doc.text[h.start:h.end], h.replacements[:1] or h.edits)
            for h in hits_of(check, units, options)]


def flagged(check, parse, text, options=None):
    return [s for _, s, _ in spans(check, parse(text), options)]


# -- word forms ------------------------------------------------------------------------------

def test_word_forms():
    assert G._third_singular_lemma("helps") == "help"
    assert G._third_singular_lemma("watches") == "watch"
    assert G._third_singular_lemma("carries") == "carry"
    assert G._third_singular_lemma("process") is None  # a base form, not an -s form
    assert G._third_singular_lemma("focus") is None
    assert G._past_lemma("caused") == "cause"
    assert G._past_lemma("stopped") == "stop"
    assert G._past_lemma("took") == "take"
    assert G._past_lemma("need") is None
    assert G._plural("reason") == "reasons"
    assert G._plural("Child") == "Children"
    assert G._plural("city") == "cities"
    assert G._third_singular("carry") == "carries"
    assert G._past("need") == "needed"


# -- MT201 be + bare verb ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "What we did was go home early.",
    "All you need to do is press the button.",
    "There is need to check the brakes.",
    "The plan is to need less water.",
    "Her job is teaching.",
])
def test_be_bare_verb_allows(parse, text):
    assert flagged(G.be_bare_verb, parse, text) == []


def test_be_bare_verb_inflects_for_tense(parse):
    hits = spans(G.be_bare_verb, parse("Last year the farm was need to hire more workers."))
    assert hits and hits[0][1] == "was need" and hits[0][2] == ("needed",)


# -- MT202 / MT203 -----------------------------------------------------------------------------

def test_be_modal_not_a_must(parse):
    assert flagged(G.be_modal, parse, "Sun cream is a must in July.") == []
    assert flagged(G.be_modal, parse, "Sun cream is must in July.") == []  # no verb: not this rule
    assert flagged(G.be_modal, parse, "Visitors are must show a ticket.") == ["are must"]


def test_passive_intransitive(parse):
    assert flagged(G.passive_intransitive, parse, "The fire was occurred at night.") == ["was occurred"]
    assert flagged(G.passive_intransitive, parse, "The old king was succeeded by his son.") == []
    assert flagged(G.passive_intransitive, parse, "She was tired and appeared pale.") == []


# -- MT204 causative ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Make sure the lights are off.",
    "This makes it clear that we were right.",
    "Let me know when the bus arrives.",
    "What makes people happy is simple.",
])
def test_causative_allows(parse, text):
    assert flagged(G.causative_finite, parse, text) == []


def test_causative_long_subject_points_at_the_verb(parse):
    text = "The massage will make the small muscles along the spine of the lower back are relaxed."
    hits = flagged(G.causative_finite, parse, text)
    assert hits == ["are"] or (hits and len(hits[0]) <= 50)


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
    assert flagged(G.modal_inflected, parse, text) == []


def test_modal_inflected_flags(parse):
    assert flagged(G.modal_inflected, parse, "This cream can reduces swelling.") == ["can reduces"]
    assert flagged(G.modal_inflected, parse, "The storm will damaged the crops.") == ["will damaged"]


# -- MT207 paired connectives --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Not only is it cheap, but it is also fast.",
    "Although it was late, the shop was open, but nobody came in.",
    "Because it rained, so much water flooded the road.",
    "Although small, the flat is bright.",
    "Because of the rain, so many people stayed home.",
])
def test_paired_connective_allows(parse, text):
    assert flagged(G.paired_connective, parse, text) == []


def test_paired_connective_despite(parse):
    hits = spans(G.paired_connective, parse("Despite the cold weather, but the match went ahead."))
    assert [h[1] for h in hits] == ["but"]


# -- MT401 the + gerund --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The early morning is the best time.",
    "We watched the heavy lifting of the crane.",
    "The quick thinking of the nurse saved him.",
    "The squeezing and stretching of space is tiny.",
])
def test_the_gerund_allows(parse, text):
    assert flagged(G.the_gerund, parse, text) == []


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
    assert flagged(G.quantifier_singular, parse, text) == []


def test_quantifier_mass_noun_changes_quantifier(parse):
    hits = spans(G.quantifier_singular, parse("We cannot spend these money on toys."), {"mass_nouns": True})
    assert hits and hits[0][2][0][2] == "this"


@pytest.mark.parametrize("text", [
    "She is one of the family now.",
    "It is one of the best places to swim.",
    "One of the Smith brothers called.",
    "One of the reasons is cost.",
])
def test_one_of_allows(parse, text):
    assert flagged(G.one_of_singular, parse, text) == []


# -- MT406-MT408 agreement -----------------------------------------------------------------------

@pytest.mark.parametrize("check,text", [
    (G.coordinated_subject, "Each boy and each girl has a seat."),
    (G.coordinated_subject, "Bread and butter is my breakfast."),
    (G.coordinated_subject, "Is the noise and the dust a problem?"),
    (G.gerund_subject, "Eating and drinking are forbidden."),
    (G.gerund_subject, "What matters are the results."),
    (G.plural_subject, "The news is good."),
    (G.plural_subject, "Ten years is a long time."),
    (G.plural_subject, "The customs has seized the goods."),
    (G.plural_subject, "The bag of apples is heavy."),
])
def test_agreement_allows(parse, check, text):
    assert flagged(check, parse, text) == []


def test_agreement_flags_auxiliary(parse):
    assert flagged(G.coordinated_subject, parse, "The noise and the dust is terrible.") == ["is"]
    assert flagged(G.plural_subject, parse, "The tickets was sold out by noon.") == ["was"]


# -- MT409 person drift (document level) --------------------------------------------------------

def test_person_drift_sets_unit_and_needs_you(parse):
    units = parse("If you swim, you should warm up first.", "Adjust the pace to their own level.")
    hits = spans(G.person_drift, units)
    assert hits == [(1, "their own", ("your own",))]
    assert spans(G.person_drift, parse("Adjust the pace to their own level.")) == []


def test_person_drift_antecedent_and_distance(parse):
    units = parse("You can swim here.", "You should rest.", "Children pick their own lanes.")
    assert spans(G.person_drift, units) == []
    far = parse("You can swim here; you should rest.", "A.", "B.", "C.", "D.", "Pick the pace by their own feel.")
    assert spans(G.person_drift, far) == []
