"""ST106: lower-case misspellings, with a fix applied only when the correction is clear."""

from __future__ import annotations

import pytest

from editor.checks import spelling as S

pytest.importorskip("harper")


def test_distance_counts_a_swap_as_one_edit():
    assert S.distance("abuot", "about") == (1, True)
    assert S.distance("leter", "letter") == (1, False)
    assert S.distance("cat", "dog")[0] == 3


def test_a_swap_beats_a_substitution_and_ties_are_not_clear():
    assert S.clear_correction("abuot", ["abbot", "about", "abut"]) == (["about", "abbot", "abut"], True)
    ordered, clear = S.clear_correction("leter", ["letter", "lever", "later"])
    assert ordered[0] == "letter" and not clear  # three words one edit away: shown, not applied
    assert S.clear_correction("recieved", ["received", "relieved"]) == (["received", "relieved"], True)
    assert S.clear_correction("qwzrt", ["quart"])[1] is False  # nothing one edit away


def test_only_lower_case_words_are_checked(nlp):
    from tests.checks.support import hits_of, units_of

    text = "We recieved a leter from Xiangtan, and Guangshui replied."
    hits = hits_of(S.misspelled_words, units_of(nlp, text))
    words = {h.unit.doc.text[h.start:h.end]: h for h in hits}
    assert set(words) == {"recieved", "leter"}
    assert words["recieved"].applicability is None and words["recieved"].replacements[0] == "received"
    assert words["leter"].applicability == "display-only"


def test_the_dialect_decides_what_is_misspelt(nlp):
    from editor.checks.base import CheckContext
    from tests.checks.support import units_of

    units = units_of(nlp, "The colour of the harbour changed, and the color of the sky.")
    found = {d: {u.doc.text[h.start:h.end] for h in S.misspelled_words(CheckContext(units=units, dialect=d), {})
                 for u in [h.unit]} for d in ("us", "gb")}
    assert found["us"] == {"colour", "harbour"} and found["gb"] == {"color"}


def test_the_configured_vocabulary_is_not_misspelt(nlp):
    from editor.api import get_checker

    text = "We met the zhiqing group and recieved a letter.\n"
    flagged = {text[f.span.start:f.span.end] for f in get_checker(select=["ST106"]).detect(text, "txt")}
    assert flagged == {"zhiqing", "recieved"}
    with_vocab = get_checker(select=["ST106"], vocabulary=["zhiqing"]).detect(text, "txt")
    assert {text[f.span.start:f.span.end] for f in with_vocab} == {"recieved"}
