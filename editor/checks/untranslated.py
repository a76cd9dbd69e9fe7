"""Leftovers of the Chinese source: characters, full-width punctuation and Chinese number formats.

All checks scan the text of one unit with a compiled regular expression (units are short blocks).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

from editor.checks.base import CheckContext, Hit, Unit
from editor.engine.lists import words

# --------------------------------------------------------------------------------------------
# Chinese characters (MT601 is a regex rule with this pattern; MT602 leaves runs of them to it)

CJK_RE = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]"
    r"(?:[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\u3000-\u303f\uff00-\uffef\s\d]*"
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\u3000-\u303f\uff00-\uffef])?"
)


def _unmasked(unit: Unit, start: int, end: int) -> bool:
    return not unit.touches_masked(start, end)


# --------------------------------------------------------------------------------------------
# Full-width punctuation

# Marks that are followed by a space in English.  Curly quotes and the single ellipsis are
# ordinary English typography and are left alone; only the doubled Chinese ellipsis is flagged.
_SPACED = {"，": ",", "。": ".", "；": ";", "：": ":", "？": "?", "！": "!", "、": ","}
_PLAIN = {
    "（": "(", "）": ")", "【": "[", "】": "]", "〔": "[", "〕": "]", "《": '"', "》": '"',
    "〈": '"', "〉": '"', "「": '"', "」": '"', "『": '"', "』": '"', "……": "...", "～": "~",
    "　": " ", "％": "%", "＋": "+", "－": "-", "＝": "=", "／": "/", "＆": "&", "＃": "#",
    "＠": "@", "＊": "*", "＜": "<", "＞": ">", "｜": "|", "＿": "_",
}
for _d in range(10):
    _PLAIN[chr(0xFF10 + _d)] = str(_d)
FULLWIDTH_RE = re.compile("……|" + "|".join(re.escape(k) for k in sorted({**_SPACED, **_PLAIN}, key=len, reverse=True)))
_OPENING = set("（【〔《〈「『")
_CLOSING = set("）】〕》〉」』")


def fullwidth_punctuation(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT602: full-width (Chinese) punctuation; the fix is the ASCII mark, with English spacing."""
    for unit in ctx.units:
        text = unit.text
        for m in FULLWIDTH_RE.finditer(text):
            s, e = m.start(), m.end()
            if not _unmasked(unit, s, e):
                continue
            mark = m.group()
            # leave Chinese punctuation that sits inside Chinese text to MT601 (one finding per run)
            before, after = text[s - 1 : s], text[e : e + 1]
            if CJK_RE.match(before or "a") and (not after or CJK_RE.match(after) or not after.strip()):
                continue
            if mark in _SPACED:
                rep = _SPACED[mark]
                if mark == "、":
                    rep = ","
                if after and not after.isspace() and after not in "\"'”’)]}":
                    rep += " "
                # a space the Chinese mark left before it
                if s > 0 and text[s - 1] == " " and mark != "、":
                    s -= 1
            else:
                rep = _PLAIN[mark]
                if mark in _OPENING and before and before.isalnum():
                    rep = " " + rep
                elif mark in _CLOSING and after and after.isalnum():
                    rep += " "  # "(about an hour）under" → "(about an hour) under"
            yield Hit(s, e, replacements=(rep,), unit=unit)


# --------------------------------------------------------------------------------------------
# Numbers


def _group(digits: str) -> str:
    """'0012400000' -> '12,400,000', for any number of digits (int() refuses over 4,300)."""
    digits = digits.lstrip("0") or "0"
    head = len(digits) % 3 or 3
    return ",".join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def _words(value: Decimal) -> str | None:
    """12400000000 -> '12.4 billion' when the value is a round number of millions or more."""
    for scale, name in ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if value >= scale:
            q = value / scale
            txt = format(q.normalize(), "f")
            if "." in txt and len(txt.split(".")[1]) > 3:
                return None  # too many figures to read as words: digit groups are better
            return f"{txt} {name}"
    return None


MILLIONS_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d{4,})(\.\d+)? million\b")


def thousands_of_millions(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT603: "925,800 million" / "4678 million": 万-based figures that English says in billions."""
    for unit in ctx.units:
        for m in MILLIONS_RE.finditer(unit.text):
            value = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
            if value < 1000:
                continue
            billions = format((value / 1000).normalize(), "f")
            yield Hit(m.start(), m.end(), replacements=(f"{billions} billion",), unit=unit)


LONG_RE = re.compile(r"(?<![\w.,:/#@$-])(\d{5,}|\d{1,3}(?:,\d{3}){3,})(?![\w:/@-]|[.,]\d)")
_ID_WORDS = words("number-id-words")


def long_numbers(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT604: "2500000" (no digit grouping) and "9,241,000,000,000" (a figure English reads in words).

    An ungrouped figure shorter than ``min_digits`` ("40000 years ago", "250000 species") is a
    house-style matter that human translators write too, and is left alone."""
    min_digits = int(options.get("min_digits", 7))
    for unit in ctx.units:
        text = unit.text
        for m in LONG_RE.finditer(text):
            s, e = m.span(1)
            prev = re.findall(r"[A-Za-z]+", text[max(0, s - 12) : s])
            if prev and prev[-1].lower() in _ID_WORDS:
                continue
            digits = m.group(1).replace(",", "")
            if "," not in m.group(1) and len(digits) < min_digits:
                continue
            words = _words(Decimal(digits)) if len(digits) >= 10 else None
            reps = []
            if words:
                reps.append(words)
            if "," not in m.group(1):
                reps.append(_group(digits))
            if not reps:
                continue
            yield Hit(s, e, replacements=tuple(reps), unit=unit)


YEAR_RE = re.compile(r"\b((?:1[89]|20)\d\d) years?\b(?![-'’])")
PLUS_RE = re.compile(
    r"\b((?:more than|over|above|nearly|almost|about|around|at least|up to|exceeding)\s+\d[\d,.]*)\s?\+(?=\s|$|[.,;:!?)])",
    re.I,
)
TEN_THOUSAND_RE = re.compile(r"(?<![\w.,])(\d+(?:\.\d+)?) ten thousands?\b|(?<![\w.,])(\d{1,3}) thousand\b", re.I)


def chinese_number_formats(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT605: "2023 year", "more than 100 +", "3 ten thousand", "10 thousand"."""
    for unit in ctx.units:
        text = unit.text
        for m in YEAR_RE.finditer(text):
            # "2023 year" is Chinese order (2023年); "the 2023 year" of a fiscal/school year is English
            after = text[m.end() : m.end() + 12].lower()
            before = text[max(0, m.start() - 5) : m.start()].lower()
            if before.endswith(("the ", "a ")) or after.startswith((" end", " plan", " budget", " report")):
                continue
            yield Hit(m.start(), m.end(), message=None, replacements=(m.group(1),), unit=unit)
        for m in PLUS_RE.finditer(text):
            yield Hit(m.start(), m.end(), replacements=(m.group(1),), unit=unit)
        for m in TEN_THOUSAND_RE.finditer(text):
            if m.group(1):
                value = Decimal(m.group(1)) * 10000
            else:
                value = Decimal(m.group(2)) * 1000
            txt = format(value.normalize(), "f")
            rep = f"{int(value):,}" if "." not in txt else txt
            yield Hit(m.start(), m.end(), replacements=(rep,), unit=unit)


RANGE_RE = re.compile(r"(?<![\w.,:/-])(\d{1,4}(?:\.\d+)?)-(\d{1,4}(?:\.\d+)?)(?![\w/-]|\.\d)")


def hyphen_ranges(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT606: a numeric range written with a hyphen ("20-30 minutes"): English typography uses an en dash."""
    for unit in ctx.units:
        text = unit.text
        for m in RANGE_RE.finditer(text):
            a, b = m.group(1), m.group(2)
            try:
                if Decimal(a) >= Decimal(b):
                    continue  # scores ("3-1") and dates are not ranges
            except ArithmeticError:  # pragma: no cover
                continue
            yield Hit(m.start(), m.end(), replacements=(f"{a}\u2013{b}",), unit=unit)
