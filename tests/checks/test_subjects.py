"""Tricky cases for clauses without a subject (MT301, MT302)."""

from __future__ import annotations

from functools import partial

import pytest

from editor.checks.subjects import dropped_subject, subjectless_clause
from tests.checks.support import found_in


@pytest.fixture(scope="module")
def run(nlp):
    return partial(found_in, nlp)


def spans(found):
    return [s for s, _ in found]


# ------------------------------------------------------------------ MT301 dropped subject

def test_modal_first_sentence_flagged_with_subject_fix(run):
    found = run(dropped_subject, "Tea is rich in antioxidants. Can lower blood pressure too.")
    assert spans(found) == ["Can lower"]
    assert found[0][1].replacements == ("It can lower", "This can lower")


def test_after_leading_conjunction_lowercase_fix(run):
    found = run(dropped_subject, "The mill was restored. But will need a new roof soon.")
    assert spans(found) == ["will need"]
    assert found[0][1].replacements[0] == "it will need"


@pytest.mark.parametrize("text", [
    "Drink more water every day.",               # imperative
    "Take the stairs instead of the lift.",       # imperative
    "Can you walk backwards safely?",             # question
    "Is it good to exercise in winter?",          # question
    "Thank you very much.",                       # speech formula
    "Sounds like a good plan.",                   # speech formula
    "You can improve circulation with exercise.", # has a subject
    "There is no harm in trying.",                # expletive subject
])
def test_not_a_dropped_subject(run, text):
    assert run(dropped_subject, text) == []


@pytest.mark.parametrize("kind", ["heading", "list_item", "label", "table_cell"])
def test_dropped_subject_not_in_headings_or_lists(run, kind):
    assert run(dropped_subject, "Can relieve fatigue after a long walk.", kind=kind) == []


def test_masked_sentence_is_skipped(run):
    text = "Can relieve fatigue after a long walk."
    assert run(dropped_subject, text, masked=((0, 3),)) == []


# ------------------------------------------------------------------ MT302 subjectless clause

def test_subjectless_clause_after_comma(run):
    found = run(subjectless_clause, "The company opened two stores in the city, will hire fifty workers.")
    assert spans(found) == ["city, will hire"]


@pytest.mark.parametrize("text", [
    "She washed the dishes, dried them, and put them away.",
    "The report, which was published on Monday, has caused a stir.",
    "The company opened two stores and will hire fifty workers.",
    # issue 21: an aside after "and" or an opening "Here"; the verb's subject comes before it
    "The dog barks at the gate, and, of course, wakes the whole street.",
    "Pupils will read more, write more, and, thus, become better writers.",
    "Here, for instance, is the old mill.",
    "Our village being very small, shares one doctor with the next valley.",
])
def test_not_a_subjectless_clause(run, text):
    assert run(subjectless_clause, text) == []
