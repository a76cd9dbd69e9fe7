"""Tricky cases for sentence fragments (MT304)."""

from __future__ import annotations

from functools import partial

import pytest

from editor.checks.fragments import fragment
from tests.checks.support import found_in


@pytest.fixture(scope="module")
def run(nlp):
    return partial(found_in, nlp)


def spans(found):
    return [s for s, _ in found]


# ------------------------------------------------------------------ MT304 fragment

def test_stranded_because_clause_only_on_request(run):
    text = "The clinic is busy. Because the nearest hospital is two hours away."
    # human English writes it as often as MT does (issue 21): off by default
    assert spans(run(fragment, text)) == []
    found = run(fragment, text, options={"stranded": True})
    assert spans(found) == ["Because the nearest"]


def test_noun_phrase_sentence(run):
    found = run(fragment, "We walk daily. Thirty minutes of brisk walking a day, the rule for all of us.")
    assert len(found) == 1 and len(found[0][0]) <= 50


@pytest.mark.parametrize("text", [
    # issue 21: a verb the tagger read as a noun, after a subject it agrees with
    "Many people in the city walk backwards every morning.",
    "Old records point to a temple on the hill, and a market beside it.",
    "The loose stone sinks into the mud, a little deeper every year.",
    "Local shops suffered as a result, and some of them closed.",
    # a verbless sentence without a comma: the elliptical style of human English
    "A lot of difference between the old houses and the new ones.",
    "Some loose bricks in the garden wall.",
    "And again, closely tied to the price of bread.",
    # "'s" is the verb
    "Here's the garden, with its roses and its old pond.",
])
def test_human_english_is_not_a_fragment(run, text):
    assert run(fragment, text) == []


def test_noun_compound_is_not_read_as_a_verb(run):
    # "safety card" does not agree as subject and verb: still no main verb
    text = "The city bus safety card to the passengers in spring, a new service for the elderly."
    assert len(run(fragment, text)) == 1


@pytest.mark.parametrize("kind", ["heading", "list_item", "label", "table_cell"])
def test_fragments_normal_outside_prose(run, kind):
    assert run(fragment, "Thirty minutes of brisk walking every day.", kind=kind) == []


@pytest.mark.parametrize("text", [
    "Walk briskly for thirty minutes every morning.",  # imperative
    "What a lovely morning.",                          # exclamative
    "Thank you all.",                                  # short
    "Because the nearest hospital is far, the clinic is busy.",
    "Thirty minutes of brisk walking every day",       # no full stop: a title line
])
def test_not_a_fragment(run, text):
    assert run(fragment, text) == []
