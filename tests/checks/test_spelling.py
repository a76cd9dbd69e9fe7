"""ST106: lower-case misspellings, with a fix applied only when the correction is clear; ST107:
the other dialect's spellings."""

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
    # the only word one edit away, not a swap: shown, never applied (0 of 3 right on WeTS dev)
    assert S.clear_correction("tecnology", ["technology", "ecology"]) == (["technology", "ecology"], False)


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
    assert found["us"] == set() and found["gb"] == set()  # the other dialect's spelling is ST107's note
    noted = {d: {(u.doc.text[h.start:h.end], h.replacements[0], h.message) for h in
                 S.dialect_spellings(CheckContext(units=units, dialect=d), {}) for u in [h.unit]}
             for d in ("us", "gb")}
    assert noted["us"] == {("colour", "color", "“{match}”: British spelling; en-US writes “color”."),
                           ("harbour", "harbor", "“{match}”: British spelling; en-US writes “harbor”.")}
    assert noted["gb"] == {("color", "colour", "“{match}”: American spelling; en-GB writes “colour”.")}


def test_the_british_note_is_info_and_never_applied():
    from editor.api import get_checker

    text = "The colour of the harbour changed.\n"
    found = get_checker(select=["ST106", "ST107"]).detect(text, "txt")
    assert [(f.rule, f.severity.value, f.fixes[0].applicability.value) for f in found] == [
        ("ST107", "info", "display-only"), ("ST107", "info", "display-only")]


@pytest.mark.parametrize("word", ["capita", "arable", "storey", "delisting", "bollworm", "wolfberry",
                                  "formalistic", "herdsmen's", "osteophytes", "drumhead", "electron"])
def test_real_english_words_are_known(word):
    assert S.verdict(word, ("Grable", "parable"), False, False)[0] == "known"


@pytest.mark.parametrize("word", ["woek", "experinces", "recieved", "tecnology", "abuot", "leter"])
def test_learner_typos_stay_typos(word):
    suggestions = S._lint_texts([word], "us")[0].suggestions
    assert S.verdict(word, suggestions, False, False)[0] == "typo"


def test_a_lower_case_word_is_never_fixed_to_a_capitalised_name():
    kind, kept = S.verdict("qwarble", ("Warble", "Grable", "warble"), False, False)
    assert kind == "typo" and kept == ("warble",)
    assert S.verdict("july", ("July", "jury"), False, True) == ("name", ("July",))
    assert S.verdict("electron", ("Electron",), False, False)[0] == "known"  # no entity: not a name


def test_rare_words_and_per_capita_in_running_text(nlp):
    from tests.checks.support import hits_of, units_of

    text = "Income per capita grew, the farm has arable land, and we recieved the woek plan."
    found = {h.unit.doc.text[h.start:h.end]: h for h in hits_of(S.misspelled_words, units_of(nlp, text))}
    assert set(found) == {"recieved", "woek"}
    assert found["recieved"].applicability is None and found["recieved"].replacements[0] == "received"


def test_the_configured_vocabulary_is_not_misspelt(nlp):
    from editor.api import get_checker

    text = "We met the zhiqing group and recieved a letter.\n"
    flagged = {text[f.span.start:f.span.end] for f in get_checker(select=["ST106"]).detect(text, "txt")}
    assert flagged == {"zhiqing", "recieved"}
    with_vocab = get_checker(select=["ST106"], vocabulary=["zhiqing"]).detect(text, "txt")
    assert {text[f.span.start:f.span.end] for f in with_vocab} == {"recieved"}


def test_a_lint_is_found_in_its_unit_by_bisection():
    """The unit index answers what the scan of every unit did (issue 26: the scan was quadratic)."""
    from types import SimpleNamespace as U

    units = [U(segment_index=0, offset=0, text="abcdef"), U(segment_index=0, offset=6, text=""),
             U(segment_index=0, offset=6, text="ghijkl"), U(segment_index=2, offset=0, text="mnop")]
    where = S._UnitIndex(units)
    assert where.locate(S._Lint(0, 1, 3, ("x",))) == (units[0], 1, 3, ("x",))
    assert where.locate(S._Lint(0, 7, 9, ())) == (units[2], 1, 3, ())  # not the empty twin at 6
    assert where.locate(S._Lint(0, 5, 8, ())) is None  # across two units
    assert where.locate(S._Lint(1, 0, 1, ())) is None  # a segment not checked
    assert where.locate(S._Lint(2, 0, 4, ())) == (units[3], 0, 4, ())
