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
