"""A small programmatic interface: check a string of text with the default model and rules."""

from __future__ import annotations

from typing import Iterable

from editor.engine import build_ruleset
from editor.findings import Finding
from editor.nlp import load_model
from editor.pipeline import Checker


def get_checker(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                model: str | None = None, harper: bool = False, languagetool=None,
                vocabulary: Iterable[str] = (), dialect: str | None = None) -> Checker:
    """Our rules; with ``harper=True`` Harper too (the CLI's default); ``languagetool``: a
    :class:`editor.backends.languagetool.LanguageToolEngine` or None (see editor/backends)."""
    nlp = load_model(model)
    from editor.backends.harper import build_engines

    engines = build_engines(select, ignore, harper, languagetool, vocabulary, dialect)
    return Checker(nlp=nlp, ruleset=build_ruleset(nlp, select=select, ignore=ignore), engines=engines,
                   vocabulary=tuple(vocabulary), dialect=dialect or "us")


def check_text(text: str, fmt: str = "txt", select: Iterable[str] | None = None,
               ignore: Iterable[str] | None = None, model: str | None = None,
               harper: bool = False) -> list[Finding]:
    """Findings for ``text`` read as a plain-text ("txt") or Markdown ("md") article."""
    return get_checker(select, ignore, model, harper=harper).detect(text, fmt)
