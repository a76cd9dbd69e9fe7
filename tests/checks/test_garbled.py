"""Garbled sentences (MT307): several weak signs together."""

from __future__ import annotations

from functools import partial

import pytest

from editor.checks.garbled import garbled_sentence
from editor.checks.splices import comma_splice
from tests.checks.support import found_in


@pytest.fixture(scope="module")
def run(nlp):
    return partial(found_in, nlp)


# ------------------------------------------------------------------ MT307 garbled sentence

def test_garbled_sentence_lists_signals(run):
    found = run(garbled_sentence, "Students the teachers is also need to praise often.")
    assert len(found) == 1
    msg = found[0][1].message
    assert "broken verb group" in msg and "in front" in msg


def test_garbled_defers_to_other_rules(run):
    # a comma splice in the sentence is already reported by MT305: no second finding
    text = "The bridge is also need to repair, heavy trucks can damages it."
    assert run(comma_splice, text)
    assert run(garbled_sentence, text) == []


def test_garbled_counts_signals_other_rules_report_when_asked(run):
    # with unreported_only off, a subjectless clause and a broken verb group count as signals
    text = "The old mill is also need to repair, will open again next year."
    opts = {"unreported_only": False, "skip_if_reported": False}
    found = run(garbled_sentence, text, options=opts)
    assert len(found) == 1
    assert "broken verb group" in found[0][1].message


def test_clean_sentence_not_garbled(run):
    assert run(garbled_sentence, "Teachers also need to praise students often.") == []
