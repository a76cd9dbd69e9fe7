"""End to end on the project's own sample articles, with the default configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def checker(nlp):
    from editor.api import get_checker

    return get_checker(harper=True)  # what `cleanup` runs by default (LanguageTool off)


def test_the_clean_sample_has_no_findings(checker):
    text = (ROOT / "samples" / "clean-article.md").read_text(encoding="utf-8")
    found = checker.detect(text, "md")
    assert found == [], [(f.rule, text[f.span.start:f.span.end]) for f in found]


SEED_PHENOMENA = [  # what an editor marks in the seed article (issue 12, point 6, and before it)
    "is also need to pay attention",
    "on the knee side effects",
    "The amount of exercise",
    "toes first, heels after",
    "Use your eyes to observe",
    "shoes with a heel",
    "side walk",
    "eight foot walk",
    "as long as the flexion and extension",
    "because backwards",
    "choose a lot",
    "Warm tips",
    "make the muscles around the knee joint are exercised",
    "Can accelerate",
]


def test_the_seed_article(checker, shared):
    text = (shared / "samples" / "walking-backwards.txt").read_text(encoding="utf-8")
    found = checker.detect(text, "txt")
    for phrase in SEED_PHENOMENA:
        start = text.index(phrase)
        assert any(f.span.start < start + len(phrase) and start < f.span.end and f.category != "boilerplate"
                   for f in found), phrase
    chrome = [f for f in found if f.category == "boilerplate"]
    assert len(chrome) <= 4 and text[chrome[0].span.start:].startswith("Share")
    body_end = text.index("\nShare\n")
    assert all(f.span.start < body_end for f in found if f.category != "boilerplate")  # nothing inside chrome
