"""Long sentences (MT306)."""

from __future__ import annotations

from functools import partial

import pytest

from editor.checks.long_sentences import long_sentence
from tests.checks.support import found_in


@pytest.fixture(scope="module")
def run(nlp):
    return partial(found_in, nlp)


def spans(found):
    return [s for s, _ in found]


# ------------------------------------------------------------------ MT306 long sentence

def test_long_sentence_threshold_is_an_option(run):
    text = ("The committee met on Tuesday to review the plans for the library, "
            "the members agreed on a budget for a reading room.")
    assert run(long_sentence, text) == []
    found = run(long_sentence, text, options={"max_words": 10})
    assert spans(found) == ["library, the"]
    assert "words" in found[0][1].message
