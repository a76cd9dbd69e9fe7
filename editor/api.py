"""A small programmatic interface: check a string of text with the default model and rules."""

from __future__ import annotations

from typing import Iterable

from editor.engine import build_ruleset
from editor.findings import Finding
from editor.nlp import load_model
from editor.pipeline import Checker


def get_checker(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                model: str | None = None) -> Checker:
    nlp = load_model(model)
    return Checker(nlp=nlp, ruleset=build_ruleset(nlp, select=select, ignore=ignore))


def check_text(text: str, fmt: str = "txt", select: Iterable[str] | None = None,
               ignore: Iterable[str] | None = None, model: str | None = None) -> list[Finding]:
    """Findings for ``text`` read as a plain-text ("txt") or Markdown ("md") article."""
    return get_checker(select, ignore, model).detect(text, fmt)
