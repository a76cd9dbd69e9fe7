"""Word forms: inflecting and lemmatizing verbs and nouns."""

from __future__ import annotations

from editor.checks.inflection import past_lemma, past_tense, plural_noun, third_singular, third_singular_lemma


# -- word forms ------------------------------------------------------------------------------

def test_word_forms():
    assert third_singular_lemma("helps") == "help"
    assert third_singular_lemma("watches") == "watch"
    assert third_singular_lemma("carries") == "carry"
    assert third_singular_lemma("process") is None  # a base form, not an -s form
    assert third_singular_lemma("focus") is None
    assert past_lemma("caused") == "cause"
    assert past_lemma("stopped") == "stop"
    assert past_lemma("took") == "take"
    assert past_lemma("need") is None
    assert plural_noun("reason") == "reasons"
    assert plural_noun("Child") == "Children"
    assert plural_noun("city") == "cities"
    assert third_singular("carry") == "carries"
    assert past_tense("need") == "needed"
