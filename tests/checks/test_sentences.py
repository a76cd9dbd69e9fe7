"""The sentence analysis the sentence-structure checks share (editor/checks/sentences.py)."""

from __future__ import annotations

from editor.checks import sentences as S
from editor.checks.base import CheckContext, Unit
from editor.checks.fragments import fragment
from editor.checks.splices import comma_splice


def unit_of(nlp, text, kind="paragraph", index=0, masked=()):
    return Unit(doc=nlp(text), kind=kind, segment_index=index, index=index, masked=masked)


def words_of(s: S.Sentence) -> str:
    return s.unit.doc[s.start:s.end].text


def test_a_sentence_runs_from_its_first_word_to_its_last(nlp):
    unit = unit_of(nlp, '"We will go," she said. And the rain stopped at noon!')
    first, second = S.analysed_sentences(unit)
    assert words_of(first) == 'We will go," she said'  # the opening quote is not a word
    assert (first.term, first.words, first.root.text, first.finite_main) == (".", 5, "said", True)
    assert words_of(second) == "And the rain stopped at noon" and second.term == "!"


def test_trailing_off_is_no_sentence_end(nlp):
    (s,) = S.analysed_sentences(unit_of(nlp, "The rain stopped at noon…"))
    assert words_of(s) == "The rain stopped at noon" and s.term == ""


def test_finite_verbs_carry_tense_themselves_or_through_an_auxiliary(nlp):
    doc = nlp("He did not come. They can lower blood pressure.")
    assert [t.text for t in doc if S.is_finite(t)] == ["did", "come", "can", "lower"]
    assert [t.text for t in doc if S.has_subject(t)] == ["come", "lower"]


def test_the_clause_opens_after_leading_conjunctions_and_commas(nlp):
    unit = unit_of(nlp, "And, however, the rain stopped. Still raining.")
    first, second = S.analysed_sentences(unit)
    assert unit.doc[S.first_word(unit.doc, first)].text == "the"
    assert unit.doc[S.first_word(unit.doc, second)].text == "raining"


def test_prose_sentences_are_closed_sentences_of_running_prose(nlp):
    units = [unit_of(nlp, "A heading that is closed.", kind="heading", index=0),
             unit_of(nlp, "One closed sentence. Then words that run on without an end", index=1),
             unit_of(nlp, "A list item that is closed.", kind="list_item", index=2)]
    ctx = CheckContext(units=units)
    assert [words_of(s) for s in S.prose_sentences(ctx)] == ["One closed sentence"]
    assert [words_of(s) for s in S.prose_sentences(ctx, unclosed_words=5)] == [
        "One closed sentence", "Then words that run on without an end"]


def test_a_sentence_holding_masked_text_is_not_analysed(nlp):
    unit = unit_of(nlp, "Run `make test` now. The rain stopped.", masked=((4, 15),))
    assert [words_of(s) for s in S.analysed_sentences(unit)] == ["The rain stopped"]


def test_sentence_findings_keep_the_sentences_where_the_reading_finds_something(nlp):
    ctx = CheckContext(units=[unit_of(nlp, "The rain stopped. It was cold and the wind rose.")])

    def long(doc, s, min_words):
        return s.words if s.words >= min_words else None

    assert [(words_of(s), n) for s, n in S.sentence_findings(ctx, long, 4)] == [
        ("It was cold and the wind rose", 7)]


def test_span_words_stops_at_a_whole_token_within_the_limit(nlp):
    doc = nlp("The quick brown fox jumps over the lazy dog")
    assert S.span_words(doc, 0, 9, max_chars=15) == (0, 15)  # "The quick brown"
    assert S.span_words(doc, 0, 9, max_chars=14) == (0, 9)  # "The quick"


def test_unit_tokens_read_every_unit_in_order(nlp):
    units = [unit_of(nlp, "A title", kind="heading", index=0), unit_of(nlp, "Some text.", index=1)]
    assert [(u.index, t.text) for u, t in S.unit_tokens(CheckContext(units=units))] == [
        (0, "A"), (0, "title"), (1, "Some"), (1, "text"), (1, ".")]


def test_checks_share_one_analysis(nlp):
    unit = unit_of(nlp, "The rain stopped at noon, the roads were dry by evening.")
    ctx = CheckContext(units=[unit])
    list(comma_splice(ctx, {}))
    cached = unit.doc.user_data["mt3_structure"]
    list(fragment(ctx, {}))
    assert unit.doc.user_data["mt3_structure"] is cached

