"""Typography checks that patterns cannot express."""

from __future__ import annotations

import re
from typing import Iterable

from editor.checks.base import CheckContext, Hit


def _matches(ctx: CheckContext, pattern: re.Pattern, needle: str):
    """(unit, match) for every match of ``pattern`` in units whose text contains ``needle``."""
    for unit in ctx.units:
        text = unit.text
        if needle in text:
            for m in pattern.finditer(text):
                yield unit, m

_SPACES = re.compile(r"(?<=[^\s.!?:;])( {2,})(?=[^\s])")


def double_space(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """Runs of spaces between words (not after sentence-final punctuation, not indentation)."""
    for unit, m in _matches(ctx, _SPACES, "  "):
        yield Hit(m.start(1), m.end(1), replacements=(" ",), unit=unit)


_DOUBLE_HYPHEN = re.compile(r"(?<=\w)( ?)--(?!-)( ?)(?=\w)")
_FUNCTION_WORDS = (
    "a|an|the|each|and|or|but|which|who|whom|whose|we|it|this|that|these|those|our|their|his|her|"
    "its|my|your|is|are|was|were|at|of|so|because|if|when|while|not|there|they|he|she|you|i"
)
_GLUED_DASH = re.compile(rf"(?<![\w-])([A-Za-z]{{2,}})-({_FUNCTION_WORDS})\b(?!-)", re.I)


def double_hyphen(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """Two hyphens standing in for a dash between words ("the idea -- and the risk")."""
    for unit, m in _matches(ctx, _DOUBLE_HYPHEN, "--"):
        start = m.start() + len(m.group(1))
        yield Hit(start, start + 2, replacements=("\u2014",), unit=unit)


def hyphen_as_dash(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """A hyphen glued between a word and a function word that starts a new clause or phrase
    ("the black holes-each one heavier"): it stands for a dash, not a compound."""
    for unit, m in _matches(ctx, _GLUED_DASH, "-"):
        yield Hit(m.start(), m.end(), replacements=(f"{m.group(1)} \u2014 {m.group(2)}",), unit=unit)
