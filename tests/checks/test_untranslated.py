"""Untranslated leftovers: Chinese characters, full-width punctuation and number formats."""

import pytest
import spacy

from editor.api import check_text
from editor.checks.base import CheckContext, Unit
from editor.checks.untranslated import long_numbers


def _one(text: str, code: str):
    fs = [f for f in check_text(text, fmt="txt", select=[code]) if f.rule == code]
    return [(text[f.span.start:f.span.end], f.fixes[0].edits[0].replacement if f.fixes else None) for f in fs]


@pytest.mark.parametrize("text,expected", [
    ("Sales hit 925,800 million yuan.", ("925,800 million", "925.8 billion")),
    ("Sales hit 4678 million yuan.", ("4678 million", "4.678 billion")),
    ("Sales hit 1,000 million yuan.", ("1,000 million", "1 billion")),
])
def test_thousands_of_millions(text, expected):
    assert _one(text, "MT603") == [expected]


@pytest.mark.parametrize("text,expected", [
    ("About 4000000 people live there.", ("4000000", "4,000,000")),
    ("Loans rose 1070000000000 yuan.", ("1070000000000", "1.07 trillion")),
    ("Revenue was 9,241,000,000,000 yuan.", ("9,241,000,000,000", "9.241 trillion")),
])
def test_long_numbers(text, expected):
    assert _one(text, "MT604") == [expected]


@pytest.mark.parametrize("text", ["In 2023 it rained.", "Call No. 123456 now.", "It costs 12,500 yuan.", "Pi is 3.14159265."])
def test_long_numbers_left_alone(text):
    assert _one(text, "MT604") == []


@pytest.mark.parametrize("text", ["The bones are 60000 years old.", "Some 250000 fans came.", "It was 1987."])
def test_ungrouped_figures_under_a_million_are_house_style(text):
    assert _one(text, "MT604") == []


def test_shorter_figures_are_flagged_when_the_house_style_asks():
    unit = Unit(doc=spacy.blank("en")("Some 250000 fans came."), kind="paragraph", segment_index=0, index=0)
    hits = list(long_numbers(CheckContext(units=[unit]), {"min_digits": 5}))
    assert [(h.start, h.end, h.replacements) for h in hits] == [(5, 11, ("250,000",))]


def test_a_number_of_thousands_of_digits_is_grouped_not_an_internal_error():
    """Issue 26 (found by benchmarks/fuzz.py): int() refuses strings over 4,300 digits."""
    digits = "12" * 2500
    unit = Unit(doc=spacy.blank("en")(f"The key is {digits} here."), kind="paragraph", segment_index=0, index=0)
    hits = list(long_numbers(CheckContext(units=[unit]), {}))
    assert [(h.start, h.end) for h in hits] == [(11, 11 + len(digits))]
    grouped = hits[0].replacements[-1]
    assert grouped.replace(",", "") == digits and grouped.startswith("12,121,") and len(grouped.split(",")[-1]) == 3


@pytest.mark.parametrize("digits, grouped", [("4000000", "4,000,000"), ("0012400000", "12,400,000"), ("123", "123"),
                                             ("0000", "0"), ("1234", "1,234")])
def test_grouping(digits, grouped):
    from editor.checks.untranslated import _group

    assert _group(digits) == grouped


def test_fullwidth_marks_get_english_spacing():
    assert _one("Yes，we can。Next", "MT602") == [("，", ", "), ("。", ". ")]
    assert _one("He said “yes”… and left.", "MT602") == []


def test_chinese_run_is_one_finding():
    assert [s for s, _ in _one("He said 你好，世界 loudly.", "MT601")] == ["你好，世界"]


@pytest.mark.parametrize("text,expected", [
    ("It opened in 2019 year.", ("2019 year", "2019")),
    ("More than 100 + people came.", ("More than 100 +", "More than 100")),
    ("About 3 ten thousand people came.", ("3 ten thousand", "30,000")),
])
def test_chinese_number_formats(text, expected):
    assert _one(text, "MT605") == [expected]


def test_fullwidth_marks_in_an_english_paragraph_become_ascii_with_english_spacing():
    text = "The ferry was late，so we walked to the harbour。Then it rained（for an hour）again。"
    assert _one(text, "MT602") == [("，", ", "), ("。", ". "), ("（", " ("), ("）", ") "), ("。", ".")]
