"""A small programmatic interface: check a string of text with the default model and rules."""

from __future__ import annotations

from typing import Iterable

from editor.config import Config
from editor.findings import Finding
from editor.pipeline import Checker


def get_checker(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                model: str | None = None, harper: bool = False, languagetool=None,
                vocabulary: Iterable[str] = (), dialect: str | None = None,
                settings: Config | None = None) -> Checker:
    """Our rules; with ``harper=True`` Harper too (the CLI's default); ``languagetool``: a
    :class:`editor.backends.languagetool.LanguageToolEngine` or None (see editor/backends).
    ``settings``: a whole configuration (editor.config.Config) instead of the keyword options."""
    from editor.checkers import CheckerFactory

    if settings is None:
        settings = Config(select=list(select) if select else None, ignore=list(ignore) if ignore else None,
                          vocabulary=list(vocabulary), dialect=dialect or "us")
    return CheckerFactory(model, harper=harper, languagetool=languagetool).checker(settings)


def check_text(text: str, fmt: str = "txt", select: Iterable[str] | None = None,
               ignore: Iterable[str] | None = None, model: str | None = None,
               harper: bool = False) -> list[Finding]:
    """Findings for ``text`` read as a plain-text ("txt") or Markdown ("md") article."""
    return get_checker(select, ignore, model, harper=harper).detect(text, fmt)
