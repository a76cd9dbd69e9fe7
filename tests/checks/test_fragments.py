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

def test_stranded_because_clause(run):
    found = run(fragment, "The clinic is busy. Because the nearest hospital is two hours away.")
    assert spans(found) == ["Because the nearest"]


def test_noun_phrase_sentence(run):
    found = run(fragment, "We walk daily. Thirty minutes of brisk walking as the rule.")
    assert len(found) == 1 and len(found[0][0]) <= 50


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
