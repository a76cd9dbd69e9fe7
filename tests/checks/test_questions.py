"""Tricky cases for questions in statement word order (MT303)."""

from __future__ import annotations

from functools import partial

import pytest

from editor.checks.questions import declarative_question
from tests.checks.support import found_in


@pytest.fixture(scope="module")
def run(nlp):
    return partial(found_in, nlp)


def spans(found):
    return [s for s, _ in found]


# ------------------------------------------------------------------ MT303 declarative question

def test_declarative_question_template(run):
    found = run(declarative_question, "People ask about it. Cold showers improve sleep?")
    assert spans(found) == ["Cold showers improve"]
    assert found[0][1].replacements == ("Do cold showers improve",)


def test_topic_comment_question(run):
    found = run(declarative_question, "Swimming in cold water there are any risks?")
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
    assert run(declarative_question, text) == []


def test_headline_question_only_in_prose(run):
    text = "Cold water swimming side effects?"
    assert spans(run(declarative_question, text)) == ["Cold water swimming side effects"]
    assert run(declarative_question, text, kind="heading") == []
