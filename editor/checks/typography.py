"""Typography checks that patterns cannot express."""

from __future__ import annotations

import re
from typing import Iterable

from editor.checks.base import CheckContext, Hit
from editor.checks.joining import NUMBERED_LABELS
from editor.engine.lists import word_list, words

_PLURAL_LOOKALIKE_ENDINGS = word_list("singular-s-endings")


def _matches(ctx: CheckContext, pattern: re.Pattern, needle: str):
    """(unit, match) for every match of ``pattern`` in units whose text contains ``needle``."""
    for unit in ctx.units:
        text = unit.text
        if needle in text:
            for m in pattern.finditer(text):
                yield unit, m


_DOUBLE_HYPHEN = re.compile(r"(?<=\w)( ?)--(?!-)( ?)(?=\w)")
_FUNCTION_WORDS = "|".join(word_list("glued-dash-function-words"))
_GLUED_DASH = re.compile(rf"(?<![\w-])([A-Za-z]{{2,}})-({_FUNCTION_WORDS})\b(?!-)", re.I)


def double_hyphen(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """Two hyphens standing in for a dash between words ("the idea -- and the risk")."""
    for unit, m in _matches(ctx, _DOUBLE_HYPHEN, "--"):
        after = unit.text[m.end():m.end() + 2]
        if m.group(2) and after[:1].isupper() and after != "I ":
            continue  # "… rose 5% -- Central Bank": a news source line, where the separator is house style
        start = m.start() + len(m.group(1))
        yield Hit(start, start + 2, replacements=("\u2014",), unit=unit)


# Other glued hyphens that cannot join a compound: after a plural noun ("the rivers-most of
# them"), before a capitalised name ("small-Peru and Chile"), before a number ("closer-300 years").
_GLUED_AFTER_PLURAL = re.compile(r"(?<![\w-])([a-z]{3,}s)-([a-z]{2,})\b(?!-)")
_GLUED_BEFORE_NAME = re.compile(r"(?<![\w-])([a-z]{2,})-([A-Z][a-z]+)\b(?!-)")
_GLUED_BEFORE_NUMBER = re.compile(r"(?<![\w-])([a-z]{4,})-(\d[\d,.]*\d|\d)\b(?!-)")
# first parts of real compounds ending in -s ("news-stand", "sales-tax", "species-rich")
_PLURAL_COMPOUND_LEFT = words("plural-compound-left")
# prefixes and name particles before a capital ("anti-Western", "mid-March", "al-Rashid")
_NAME_PREFIXES = words("name-prefixes")


def _glued_elsewhere(text: str):
    for m in _GLUED_AFTER_PLURAL.finditer(text):
        a = m.group(1).lower()
        if a in _PLURAL_COMPOUND_LEFT or a.endswith(_PLURAL_LOOKALIKE_ENDINGS):
            continue
        yield m
    for m in _GLUED_BEFORE_NAME.finditer(text):
        if m.group(1).lower() not in _NAME_PREFIXES:
            yield m
    for m in _GLUED_BEFORE_NUMBER.finditer(text):
        if m.group(1).lower() not in NUMBERED_LABELS:
            yield m


def hyphen_as_dash(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """A hyphen glued between two words that cannot form a compound, where a dash belongs: before
    a function word that starts a new clause or phrase ("the black holes-each one heavier"),
    after a plural noun, before a capitalised name or before a number."""
    for unit in ctx.units:
        text = unit.text
        if "-" not in text:
            continue
        seen = set()
        for m in (*_GLUED_DASH.finditer(text), *_glued_elsewhere(text)):
            if m.start() in seen:
                continue
            seen.add(m.start())
            yield Hit(m.start(), m.end(), replacements=(f"{m.group(1)} \u2014 {m.group(2)}",), unit=unit)


# Words that start hyphenated compounds ("self-assembly", "three-dimensional", "large-scale").
COMPOUND_LEFT = words("compound-left-words")
_COMPOUND_RIGHT_POS = frozenset({"ADJ", "NOUN", "VERB"})
_COMPOUND_RIGHT_TAGS = frozenset({"JJ", "NN", "NNS", "VB", "VBN", "VBG", "VBD", "VBZ", "VBP"})


def spaced_hyphen(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """A compound written with spaces around its hyphen ("self - assembly", "three - dimensional",
    "8 - foot"), as tokenising machine translation leaves it."""
    for unit in ctx.units:
        if " - " not in unit.text:
            continue
        doc = unit.doc
        for t in doc[1:-1]:
            if t.text != "-" or not t.whitespace_:
                continue
            left, right = doc[t.i - 1], doc[t.i + 1]
            if not left.whitespace_ or not right.is_lower or not right.is_alpha:
                continue
            if not (left.lower_ in COMPOUND_LEFT or left.text.isdigit()):
                continue
            if right.pos_ not in _COMPOUND_RIGHT_POS or right.tag_ not in _COMPOUND_RIGHT_TAGS:
                continue
            if t.i >= 2 and doc[t.i - 2].text == "-":
                continue
            yield Hit(left.idx, right.idx + len(right), replacements=(f"{left.text}-{right.text}",), unit=unit)
