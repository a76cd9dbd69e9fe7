"""Tricky cases for the sentence-structure checks (MT301-MT307)."""

from __future__ import annotations

import pytest

from editor.checks import structure as S
from editor.checks.base import CheckContext, Unit
from tests.checks.support import hits_of, units_of


@pytest.fixture(scope="module")
def run(nlp):
    def run(check, *texts, kind="paragraph", options=None, masked=()):
        units = units_of(nlp, *texts, kind=kind, masked=masked)
        return [(h.unit.doc.text[h.start:h.end], h) for h in hits_of(check, units, options)]
    return run


def spans(found):
    return [s for s, _ in found]


# ------------------------------------------------------------------ MT301 dropped subject

def test_modal_first_sentence_flagged_with_subject_fix(run):
    found = run(S.dropped_subject, "Tea is rich in antioxidants. Can lower blood pressure too.")
    assert spans(found) == ["Can lower"]
    assert found[0][1].replacements == ("It can lower", "This can lower")


def test_after_leading_conjunction_lowercase_fix(run):
    found = run(S.dropped_subject, "The mill was restored. But will need a new roof soon.")
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
    assert run(S.dropped_subject, text) == []


@pytest.mark.parametrize("kind", ["heading", "list_item", "label", "table_cell"])
def test_dropped_subject_not_in_headings_or_lists(run, kind):
    assert run(S.dropped_subject, "Can relieve fatigue after a long walk.", kind=kind) == []


def test_masked_sentence_is_skipped(run):
    text = "Can relieve fatigue after a long walk."
    assert run(S.dropped_subject, text, masked=((0, 3),)) == []


# ------------------------------------------------------------------ MT302 subjectless clause

def test_subjectless_clause_after_comma(run):
    found = run(S.subjectless_clause, "The company opened two stores in the city, will hire fifty workers.")
    assert spans(found) == ["city, will hire"]


@pytest.mark.parametrize("text", [
    "She washed the dishes, dried them, and put them away.",
    "The report, which was published on Monday, has caused a stir.",
    "The company opened two stores and will hire fifty workers.",
])
def test_not_a_subjectless_clause(run, text):
    assert run(S.subjectless_clause, text) == []


# ------------------------------------------------------------------ MT303 declarative question

def test_declarative_question_template(run):
    found = run(S.declarative_question, "People ask about it. Cold showers improve sleep?")
    assert spans(found) == ["Cold showers improve"]
    assert found[0][1].replacements == ("Do cold showers improve",)


def test_topic_comment_question(run):
    found = run(S.declarative_question, "Swimming in cold water there are any risks?")
    assert spans(found) == ["Swimming in cold water there are"]
    assert found[0][1].replacements == ()


@pytest.mark.parametrize("text", [
    "Does swimming in cold water carry any risks?",
    "What should I eat before a long run?",
    "You cleaned the whole house, right?",
    "He asked: the shop opens at nine?",   # question after a colon
    "Really?",
])
def test_real_questions_not_flagged(run, text):
    assert run(S.declarative_question, text) == []


def test_headline_question_only_in_prose(run):
    text = "Cold water swimming side effects?"
    assert spans(run(S.declarative_question, text)) == ["Cold water swimming side effects"]
    assert run(S.declarative_question, text, kind="heading") == []


# ------------------------------------------------------------------ MT304 fragment

def test_stranded_because_clause(run):
    found = run(S.fragment, "The clinic is busy. Because the nearest hospital is two hours away.")
    assert spans(found) == ["Because the nearest"]


def test_noun_phrase_sentence(run):
    found = run(S.fragment, "We walk daily. Thirty minutes of brisk walking as the rule.")
    assert len(found) == 1 and len(found[0][0]) <= 50


@pytest.mark.parametrize("kind", ["heading", "list_item", "label", "table_cell"])
def test_fragments_normal_outside_prose(run, kind):
    assert run(S.fragment, "Thirty minutes of brisk walking every day.", kind=kind) == []


@pytest.mark.parametrize("text", [
    "Walk briskly for thirty minutes every morning.",  # imperative
    "What a lovely morning.",                          # exclamative
    "Thank you all.",                                  # short
    "Because the nearest hospital is far, the clinic is busy.",
    "Thirty minutes of brisk walking every day",       # no full stop: a title line
])
def test_not_a_fragment(run, text):
    assert run(S.fragment, text) == []


# ------------------------------------------------------------------ MT305 comma splice

def test_comma_splice_points_at_comma_and_fixes(run):
    found = run(S.comma_splice, "The rain stopped at noon, the roads were dry by evening.")
    assert spans(found) == ["noon, the"]
    assert found[0][1].replacements == ("noon. The", "noon; the", "noon, and the")


def test_every_splice_of_a_sentence_is_reported(run):
    text = "The rain stopped at noon, the roads were dry by evening, the children went out."
    assert spans(run(S.comma_splice, text)) == ["noon, the", "evening, the"]


def test_parse_only_reports_first_splice_when_capped(run):
    text = "The rain stopped at noon, the roads were dry by evening, the children went out."
    found = run(S.comma_splice, text, options={"per_sentence": 1, "words": False})
    assert len(found) == 1


@pytest.mark.parametrize("text, span", [
    # the second clause hangs from a word of the first in the parse: found by the words
    ("Sales at the shop fell sharply in the spring, the owner has cut two jobs.", "spring, the"),
    # a list-like stretch without a verb continues the clause before it
    ("The town is a port, a market town, its harbour is busy all year.", "town, its"),
    # a sentence that opens on a bare noun phrase, then a clause (topic first)
    ("The old bridge over the canal, traffic is heavy every morning.", "canal, traffic"),
    # a quotation closed after its comma
    ("The mayor promised to \u201cfix the roads,\u201d the council has no money for it.", "roads,\u201d the"),
    # no closing full stop: a scraped paragraph ending on a semicolon is still prose
    ("The market opened late on Monday, the traders were angry about the delay;", "Monday, the"),
])
def test_comma_splice_found_from_the_words(run, text, span):
    assert spans(run(S.comma_splice, text)) == [span]


def test_comma_splice_after_closing_quote_fix_keeps_the_quote(run):
    found = run(S.comma_splice, "The mayor promised to \u201cfix the roads,\u201d the council has no money for it.")
    assert found[0][1].replacements == ("roads.\u201d The", "roads\u201d; the", "roads,\u201d and the")


@pytest.mark.parametrize("text", [
    "Bread prices rose by a tenth in March, the statistics bureau said on Tuesday.",
    "Exports fell sharply, officials told reporters in Beijing.",
    "Forecasters said, snow will reach the valley by noon.",
    "The minister told reporters on Monday, the dam is safe.",
    "When we cook or shop for the family, we rarely think about packaging.",
])
def test_attributions_reported_speech_and_coordinated_openers_are_not_splices(run, text):
    assert spans(run(S.comma_splice, text)) == []


def test_a_splice_in_a_conditional_sentence_keeps_the_condition(run):
    found = run(S.comma_splice, "If the river floods, the ferry stops running, the school closes early.")
    assert spans(found) == ["running, the"]
    assert found[0][1].replacements[0] == "running, and the"  # a full stop would cut it off the "if"


def test_a_topic_first_sentence_gets_no_fragment_making_fix(run):
    found = run(S.comma_splice, "The old bridge over the canal, traffic is heavy every morning.")
    assert spans(found) == ["canal, traffic"]
    hit = found[0][1]
    assert hit.replacements == () and "topic" in hit.message

@pytest.mark.parametrize("text", [
    "The rain stopped at noon, and the roads were dry by evening.",
    "If the rain stops, the roads dry quickly.",
    "When the rain stopped, the roads were dry within an hour.",
    "The results were clear, she said.",
    "You see, the roads were dry by evening.",
    "In fact, the roads were dry by evening.",
    "The roads, which were wet, dried by evening.",
    "The council said that in recent years, the roads have improved.",   # comma inside the reported clause
    "Because the shop was closed, the owner went home.",
    "The shop was closed because the owner was ill, the assistant said.",  # reporting tag
    "Two years later, the roads were dry.",                               # time phrase
    "Dr Anna Berg, the director will see you now.",                       # a name: vocative
    "The mayor said, \u201cthe roads are dry.\u201d",                         # direct speech
    "The rain stopped at noon, the roads were dry",                       # short line without a full stop
    "The path is flat, the pace slow and because of the slope, the walk is easy.",  # "because" in the stretch
    "The shop opened early, a small bakery and because of the snow, the queue was short.",
])
def test_not_a_comma_splice(run, text):
    assert run(S.comma_splice, text) == []


# ------------------------------------------------------------------ MT306 long sentence

def test_long_sentence_threshold_is_an_option(run):
    text = ("The committee met on Tuesday to review the plans for the library, "
            "the members agreed on a budget for a reading room.")
    assert run(S.long_sentence, text) == []
    found = run(S.long_sentence, text, options={"max_words": 10})
    assert spans(found) == ["library, the"]
    assert "words" in found[0][1].message


# ------------------------------------------------------------------ MT307 garbled sentence

def test_garbled_sentence_lists_signals(run):
    found = run(S.garbled_sentence, "Students the teachers is also need to praise often.")
    assert len(found) == 1
    msg = found[0][1].message
    assert "broken verb group" in msg and "in front" in msg


def test_garbled_defers_to_other_rules(run):
    # a comma splice in the sentence is already reported by MT305: no second finding
    text = "The bridge is also need to repair, heavy trucks can damages it."
    assert run(S.comma_splice, text)
    assert run(S.garbled_sentence, text) == []


def test_garbled_counts_signals_other_rules_report_when_asked(run):
    # with unreported_only off, a subjectless clause and a broken verb group count as signals
    text = "The old mill is also need to repair, will open again next year."
    opts = {"unreported_only": False, "skip_if_reported": False}
    found = run(S.garbled_sentence, text, options=opts)
    assert len(found) == 1
    assert "broken verb group" in found[0][1].message


def test_clean_sentence_not_garbled(run):
    assert run(S.garbled_sentence, "Teachers also need to praise students often.") == []


def test_checks_share_one_analysis(nlp):
    doc = nlp("The rain stopped at noon, the roads were dry by evening.")
    unit = Unit(doc=doc, kind="paragraph", segment_index=0, index=0)
    ctx = CheckContext(units=[unit])
    list(S.comma_splice(ctx, {}))
    cached = doc.user_data["mt3_structure"]
    list(S.fragment(ctx, {}))
    assert doc.user_data["mt3_structure"] is cached


def test_verb_series_fix_is_only_shown_under_a_negation(nlp):
    from tests.checks.support import hits_of, units_of

    (hit,) = hits_of(S.missing_conjunction, units_of(nlp, "Volunteers cleaned the beach, collected plastic bottles."))
    assert hit.applicability is None and hit.replacements == ("beach and collected",)
    (hit,) = hits_of(S.missing_conjunction, units_of(nlp, "The engine cannot start, replace the battery first."))
    assert hit.applicability == "display-only"  # "cannot start and replace" negates both
