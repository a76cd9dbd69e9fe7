"""Tricky cases for the news-translation checks (MT701-MT703)."""

from __future__ import annotations

import pytest

from editor.checks import news as N
from tests.checks.support import hits_of, units_of


@pytest.fixture(scope="module")
def run(nlp):
    def run(check, *texts, kind="paragraph", options=None):
        return [h.unit.doc.text[h.start:h.end] for h in hits_of(check, units_of(nlp, *texts, kind=kind), options)]
    return run


# ----------------------------------------------------------------------------- MT701

def test_bare_verb_after_comma(run):
    assert run(N.comma_bare_verb, "The council will repave the streets, plant new trees in the square.") \
        == ["streets, plant"]


def test_bare_verb_fix_joins_with_and(run, nlp):
    hits = hits_of(N.comma_bare_verb, units_of(nlp, "Workers will inspect the pipes, replace the worn valves."))
    assert hits and hits[0].replacements[0] == "pipes and replace"


def test_bare_verb_fix_is_sure_only_when_and_keeps_who_does_what(nlp):
    def applicability(text):
        (hit,) = hits_of(N.comma_bare_verb, units_of(nlp, text))
        return hit.applicability

    assert applicability("Workers will inspect the pipes, replace the worn valves.") is None
    # under a negation "and" would negate the second verb too
    assert applicability("The bus cannot stop, change lanes early.") == "display-only"
    # the words after the verb have a predicate of their own: the "verb" starts a new subject
    assert applicability("The front wheel must stay level, lift rear wheel also to clear the step.") == "display-only"
    assert applicability("Staff should check the doors, lift team lands the cargo.") == "display-only"


def test_bare_verb_after_adverb_keeps_adverb_in_fix(run, nlp):
    hits = hits_of(N.comma_bare_verb, units_of(nlp, "The two towns will share the costs, jointly run the summer fair."))
    assert [h.unit.doc.text[h.start:h.end] for h in hits] == ["costs, jointly run"]
    assert hits[0].replacements[0] == "costs and jointly run"


@pytest.mark.parametrize("text", [
    "When the water boils, add the rice.",
    "Then, stir the sauce gently.",
    "He shouted, run to the exit.",
    "Workers will inspect the pipes and replace the worn valves.",
])
def test_bare_verb_allowed(run, text):
    assert run(N.comma_bare_verb, text) == []


@pytest.mark.parametrize("text", [
    "To succeed you should be bold, try new things, and take risks.",
    "The flower makes insects crawl over it, carry the pollen, and bring it elsewhere.",
    "You may risk your savings for an idea that may, or may not, work.",
])
def test_english_series_and_asides_are_allowed(run, text):
    assert run(N.comma_bare_verb, text) == []


def test_a_series_without_its_comma_and_is_still_flagged(run):
    # "… and open" with no comma before it does not make the first comma an English series
    assert run(N.comma_bare_verb, "The council will repave the streets, plant new trees and open a park.") \
        == ["streets, plant"]


def test_bare_verb_skips_headings(run):
    assert run(N.comma_bare_verb, "Inspect the pipes, replace the valves", kind="heading") == []


def test_bare_verb_leaves_doubled_word_to_mt702(run):
    assert run(N.comma_bare_verb, "The children like to knock, knock on every door.") == []


# ----------------------------------------------------------------------------- MT702

def test_doubled_word(run):
    assert run(N.doubled_word, "The agency sent an urgent urgent notice to farmers.") == ["urgent urgent"]


@pytest.mark.parametrize("text", [
    "It was very, very cold.",
    "What he had had was enough.",
    "The clock went tick, tick, tick.",
    "Near the gate, it stood alone. When we got close to it, it moved.",
    "Wen Wen spoke first.",
])
def test_doubled_word_allowed(run, text):
    assert run(N.doubled_word, text) == []


@pytest.mark.parametrize("text", [
    "The singer was truly, truly gifted.",
    "They built bridges, bridges that still carry trains today.",
    "The study compared schools, schools with smaller classes and schools without.",
    "It changed how she saw work, work more than anything else.",
])
def test_deliberate_repetition_across_a_comma_is_allowed(run, text):
    assert run(N.doubled_word, text) == []


@pytest.mark.parametrize("text,expected", [
    ("The prices of grain, grain and oil rose again.", ["grain, grain"]),
    ("Children like to touch, touch, but they should not.", ["touch, touch"]),
    ("The ball rolled under, under the old sofa.", ["under, under"]),
])
def test_repetition_across_a_comma_that_is_a_slip(run, text, expected):
    assert run(N.doubled_word, text) == expected


# ----------------------------------------------------------------------------- MT703

def test_comma_capital(run):
    assert run(N.comma_capital, "Prices fell in the autumn, The shops were empty.") == ["autumn, The"]


@pytest.mark.parametrize("text", [
    "We toured Lyon, Paris and Nice.",
    "The visitors, German and Dutch, left early.",
    "After lunch, I went home.",
    "Small Towns, Big Dreams, Quiet Lives and Open Roads",
])
def test_comma_capital_allowed(run, text):
    assert run(N.comma_capital, text) == []


# ----------------------------------------------------------------------------- MT703 fixes

def test_comma_capital_suggests_a_full_stop_only_between_two_clauses(nlp):
    (hit,) = hits_of(N.comma_capital, units_of(nlp, "The county built two schools, Hospitals are next."))
    assert hit.replacements == ("schools. Hospitals", "schools, hospitals")
    (hit,) = hits_of(N.comma_capital, units_of(nlp, "For example, Many villages still burn coal."))
    assert hit.replacements == ("example, many",)  # "For example." would be a fragment
