"""MT308 (verbs joined by a comma alone), MT411 (nouns joined by a comma alone) and MT412 (a noun
running into a number)."""

from __future__ import annotations

import pytest

from editor.api import check_text
from editor.checks.joining import NUMBERED_LABELS, missing_conjunction
from tests.checks.support import hits_of, units_of


def flagged(text, code):
    return [text[f.span.start:f.span.end] for f in check_text(text, "md", select=[code])]


@pytest.mark.parametrize("text", [
    "Volunteers cleaned the river banks, public toilets near the market.",
    "The project trains young farmers, local craftsmen in the valley.",
])
def test_two_noun_phrases_joined_by_a_comma(nlp, text):
    [span] = flagged(text, "MT411")
    assert ", " in span


@pytest.mark.parametrize("text", [
    "I called my sister, a nurse at the clinic.",  # an apposition with its article
    "The new ward has one aim - comfort, rest and quiet.",  # after a dash
    "What matters in the end is one thing, money.",  # closing the sentence
    "The price rose by 5%, 20 yuan a kilo.",  # figures
])
def test_appositions_and_asides_are_left_alone(nlp, text):
    assert flagged(text, "MT411") == []


@pytest.mark.parametrize("text", [
    "Damp walls, poor heating, and decaying plumbing make old houses hard to live in.",  # ", and"
    "Pound for pound, the ant is stronger: its strength, weight for weight, beats a horse.",  # idiom
    "That is twice the energy output, weight for weight, of a hummingbird.",
])
def test_lists_with_their_and_and_idioms_are_left_alone(nlp, text):
    assert flagged(text, "MT411") == []


def test_a_noun_running_into_a_figure(nlp):
    assert flagged("Her salary 4000 dollars covers the rent.", "MT412") == ["salary 4000"]


@pytest.mark.parametrize("text", [
    "Read page 12 before the class.",
    "The satellite flies in an orbit 700 kilometres above the sea.",
    "In 2019 Bristol 3 won the cup.",
])
def test_labels_measures_and_names_before_numbers_are_left_alone(nlp, text):
    assert flagged(text, "MT412") == []


@pytest.mark.parametrize("text", [
    "The more inequality one country has, the worse it does.",  # "one" goes with "country"
    "For example one teacher brought her own chairs.",
    "She asked the bank one more time for a loan.",
    "During the period 1969 to 1982 the mill was closed.",  # a year starting a range
    "Many teenagers own mp 3 players.",  # a two-letter noun
])
def test_numbers_that_belong_to_what_follows_are_left_alone(nlp, text):
    assert flagged(text, "MT412") == []


def test_a_year_like_figure_before_a_unit_is_still_flagged(nlp):
    assert flagged("Her monthly income 1800 yuan is not enough.", "MT412") == ["income 1800"]


@pytest.mark.parametrize("text", [
    "If they are like us, they spend their days calculating, writing code, building instruments.",
    "And here we are, running these tests, doing these sums, writing these programs.",
])
def test_a_string_of_participles_is_not_a_verb_series(nlp, text):
    assert flagged(text, "MT308") == []


def test_label_nouns_are_singular_lower_case_words():
    assert all(w == w.lower() and " " not in w for w in NUMBERED_LABELS)


def test_verb_series_fix_is_only_shown_under_a_negation(nlp):
    (hit,) = hits_of(missing_conjunction, units_of(nlp, "Volunteers cleaned the beach, collected plastic bottles."))
    assert hit.applicability is None and hit.replacements == ("beach and collected",)
    (hit,) = hits_of(missing_conjunction, units_of(nlp, "The engine cannot start, replace the battery first."))
    assert hit.applicability == "display-only"  # "cannot start and replace" negates both
