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
