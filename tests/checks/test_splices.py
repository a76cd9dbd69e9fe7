"""Tricky cases for comma splices (MT305)."""

from __future__ import annotations

from functools import partial

import pytest

from editor.checks.splices import comma_splice
from tests.checks.support import found_in


@pytest.fixture(scope="module")
def run(nlp):
    return partial(found_in, nlp)


def spans(found):
    return [s for s, _ in found]


# ------------------------------------------------------------------ MT305 comma splice

def test_comma_splice_points_at_comma_and_fixes(run):
    found = run(comma_splice, "The rain stopped at noon, the roads were dry by evening.")
    assert spans(found) == ["noon, the"]
    assert found[0][1].replacements == ("noon. The", "noon; the", "noon, and the")


def test_every_splice_of_a_sentence_is_reported(run):
    text = "The rain stopped at noon, the roads were dry by evening, the children went out."
    assert spans(run(comma_splice, text)) == ["noon, the", "evening, the"]


def test_parse_only_reports_first_splice_when_capped(run):
    text = "The rain stopped at noon, the roads were dry by evening, the children went out."
    found = run(comma_splice, text, options={"per_sentence": 1, "words": False})
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
    assert spans(run(comma_splice, text)) == [span]


def test_comma_splice_after_closing_quote_fix_keeps_the_quote(run):
    found = run(comma_splice, "The mayor promised to \u201cfix the roads,\u201d the council has no money for it.")
    assert found[0][1].replacements == ("roads.\u201d The", "roads\u201d; the", "roads,\u201d and the")


@pytest.mark.parametrize("text", [
    "Bread prices rose by a tenth in March, the statistics bureau said on Tuesday.",
    "Exports fell sharply, officials told reporters in Beijing.",
    "Forecasters said, snow will reach the valley by noon.",
    "The minister told reporters on Monday, the dam is safe.",
    "When we cook or shop for the family, we rarely think about packaging.",
])
def test_attributions_reported_speech_and_coordinated_openers_are_not_splices(run, text):
    assert spans(run(comma_splice, text)) == []


def test_a_splice_in_a_conditional_sentence_keeps_the_condition(run):
    found = run(comma_splice, "If the river floods, the ferry stops running, the school closes early.")
    assert spans(found) == ["running, the"]
    assert found[0][1].replacements[0] == "running, and the"  # a full stop would cut it off the "if"


def test_a_topic_first_sentence_gets_no_fragment_making_fix(run):
    found = run(comma_splice, "The old bridge over the canal, traffic is heavy every morning.")
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
    assert run(comma_splice, text) == []


# ------------------------------------------------------------------ commas good English writes
# (issue 21: correct English never gets an error; each family measured on human English)

@pytest.mark.parametrize("text", [
    # a coordinating conjunction after the comma
    "She said she was tired, so we stopped for tea.",
    "Our kids love the school, so we moved to the village.",
    "The path was steep, yet the children never complained.",
    # a subordinate clause opening the sentence, however it opens
    "Even though the bus was late, we reached the station in time.",
    "So long as the lamp is on, the moths will keep coming.",
    "For example, if you train in the morning and rest at noon, you sleep better.",
    "Just as bakers rise early to light the ovens, fishermen leave before dawn.",
    "To understand the village we live in, we need to listen to its oldest people.",
    "The longer the rope is, the harder it gets to pull.",
    # an adverbial phrase before the comma that opens the next clause (issue 21's own examples)
    "In this universe, we have only one sun.",
    "In the past, we walked to school.",
    "There may be many universes, but in this universe, we have only one sun.",
    "Life was hard then, and in the past, we walked to school.",
    "The old maps show that in the past, we walked to the market along the river.",
    "He looked at the painting and saw that to the children, the colours meant summer.",
    "Birds migrate in autumn, then, much like the swallows of the north, they come back in spring.",
    # short parentheticals
    "You can see, these numbers rise every winter.",
    "I have to say, we cooked the soup twice.",
    "The ball would roll past, let's say, the oak and it would stop at the fence.",
    "The way I see it, the only problem is the weather.",
    # a correlative pair
    "The plan is not only cheap now, it has always been cheap.",
    "Either in the kitchen or in the garden, the cat sleeps all day.",
    # a topic taken up again, a list that goes on as the subject
    "The water from the roof, some of it runs into the barrel.",
    "Her quiet manner, sharp wit and long experience made her the obvious choice.",
    # the spoken style: a pronoun subject on each side
    "It's everywhere, it's all around you.",
    "I am not talking about the price, I am talking about the taste.",
])
def test_good_english_commas_are_not_splices(run, text):
    assert spans(run(comma_splice, text)) == []


@pytest.mark.parametrize("text, span", [
    # noun subjects on both sides: the splice of crude news MT
    ("The rain stopped at noon, the roads were dry by evening.", "noon, the"),
    ("Sales of the new phone rose in March, the factory hired two hundred workers.", "March, the"),
    # a capital after the comma: a sentence boundary the translation lost
    ("It is reported that the fair drew many farmers, It has also drawn buyers from abroad.", "farmers, It"),
    # a clause after the opening subordinate one is spliced to it
    ("When the river froze, the ferry stopped, the villagers walked across the ice.", "stopped, the"),
])
def test_splices_with_noun_subjects_are_still_found(run, text, span):
    assert span in spans(run(comma_splice, text))


def test_a_name_called_in_direct_speech_is_not_a_splice(run):
    assert spans(run(comma_splice, "Anna smiled and said: “Maria, we are leaving now.”")) == []
