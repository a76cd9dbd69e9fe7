"""Page chrome left in scraped articles: share bars, "Hot Picks" sections, teaser lists.

These are document-level checks: each block (unit) is classified once per document, then the
blocks of "chrome regions" are reported.  A region only ever starts at an unmistakable marker (a
share/like/icon line, or a block that is exactly a section title such as "Related articles"); it
then takes in the blocks that follow while they look like a list of other articles (rank numbers,
dates, repeated titles, list items, teaser text followed by a date or cut off mid-word) and stops
at the first block of ordinary prose.  Article prose therefore never becomes chrome: a paragraph
is taken only when a date or rank number follows it or when it ends mid-word, and a heading only
when more chrome follows it.

Every hit covers its whole block and proposes deleting it (unsafe: a human should confirm).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from editor.checks.base import CheckContext, Hit, Unit
from editor.engine.lists import words

# Exact block texts (lowercased, punctuation and arrows trimmed) that title a section of links to
# other articles.  Only a block that consists of one of these counts, never a sentence using them.
SECTION_TITLES = words("chrome-section-titles")

# Words a share bar, a like counter or an icon placeholder is made of.
WIDGET_WORDS = words("chrome-widget-words")
# Words allowed in a widget line besides the widget words ("Share to WeChat", "Back to top").
WIDGET_FILLERS = words("chrome-widget-fillers")
WIDGET_CORE = WIDGET_WORDS - words("chrome-widget-weak-words")

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_TIME = r"(?:[ ,]+\d{1,2}\s?:\s?\d{2}(?:\s?:\s?\d{2})?(?:\s?[ap]\.?m\.?)?)?"
DATE_RE = re.compile(
    rf"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:"
    rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?(?:\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?(?:\s+\d{{4}})?"
    rf"|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{2,4}}"
    rf"|\d{{4}}年\d{{1,2}}月\d{{1,2}}日"
    rf"|\d+\s+(?:second|minute|hour|day|week|month|year)s?\s+ago|yesterday|today"
    rf"){_TIME}$",
    re.I,
)
RANK_RE = re.compile(r"^(?:#\s?\d{1,3}|no\.\s?\d{1,3}|top\s?\d{1,3}|\d{1,3}[.)]?)$", re.I)
_TRIM = re.compile(r"^[\s\W_]+|[\s\W_]+$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,]*[kKwW万+]*")


@dataclass
class _Block:
    unit: Unit
    text: str  # stripped text
    norm: str  # lowercased, outer punctuation trimmed, spaces collapsed
    words: list[str]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", _TRIM.sub("", text.lower().replace("’", "'")))


def is_section_title(b: _Block) -> bool:
    return len(b.words) <= 6 and b.norm in SECTION_TITLES


_NAV_RE = re.compile(
    r"^(?:home|homepage|home page|首页)\s*(?:[>»›/|]|&gt;)\s*\S.{0,80}$"  # breadcrumb trail
    r"|^font(?: size)?\s*[:：]?\s*(?:(?:large|big|medium|middle|small|default|[a+-]{1,2})\s*){1,4}$",
    re.I,
)
_COUNT_RE = re.compile(r"^\d[\d,.]*\s?[kKwW万+]*$")


def is_widget(b: _Block) -> bool:
    """A share bar, like counter, icon placeholder, breadcrumb or font-size switch."""
    if not b.words or len(b.words) > 8:
        return False
    if _NAV_RE.match(b.text):
        return True
    core = False
    for w in b.words:
        lw = w.lower()
        if lw in WIDGET_CORE:
            core = True
        elif lw in WIDGET_WORDS or lw in WIDGET_FILLERS or lw[0].isdigit():
            continue
        else:
            return False
    return core


def is_date(b: _Block) -> bool:
    return len(b.text) <= 40 and bool(DATE_RE.match(b.text.strip(" ()[]|·")))


def is_rank(b: _Block) -> bool:
    return len(b.text) <= 8 and bool(RANK_RE.match(b.text))


def is_truncated(b: _Block) -> bool:
    """Prose of some length that stops without any closing punctuation (a teaser cut off)."""
    t = b.text.rstrip()
    return (
        b.unit.kind in ("paragraph", "blockquote")
        and len(b.words) >= 10
        and bool(t)
        and (t[-1].isalnum() or t[-1] in ",;-–")
    )


def _is_titleish(b: _Block) -> bool:
    """A short block that reads as the title of something (no closing full stop)."""
    t = b.text.rstrip()
    return 0 < len(b.words) <= 20 and not t.endswith((".", ";", ",")) and len(t) <= 160


def _blocks(ctx: CheckContext) -> list[_Block]:
    out = []
    for u in ctx.units:
        text = u.text.strip()
        out.append(_Block(u, text, _norm(text), _WORD.findall(text)))
    return out


_CACHE: dict[int, tuple[object, dict[int, str]]] = {}


def classify(ctx: CheckContext) -> dict[int, str]:
    """Map block index -> why it is chrome: widget | section | rank | date | title | teaser | truncated."""
    key = id(ctx)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is ctx.units:
        return hit[1]
    blocks = _blocks(ctx)
    n = len(blocks)
    out: dict[int, str] = {}
    norms = [b.norm for b in blocks]

    def repeated(i: int) -> bool:
        return bool(norms[i]) and any(
            norms[j] == norms[i] for j in range(max(0, i - 3), min(n, i + 4)) if j != i
        )

    def strong(i: int) -> str | None:
        b = blocks[i]
        if is_widget(b):
            return "widget"
        if is_section_title(b):
            return "section"
        return None

    i = 0
    while i < n:
        kind = strong(i)
        if kind is None:
            i += 1
            continue
        # a region starts here; a share bar alone does not open a teaser list
        out[i] = kind
        listing = kind == "section"
        j = i + 1
        while j < n:
            b = blocks[j]
            k = strong(j)
            if k:
                out[j] = k
                listing = listing or k == "section"
                j += 1
                continue
            if not listing:
                if out.get(j - 1) == "widget" and _COUNT_RE.match(b.text):
                    out[j] = "widget"  # a like or share counter
                    j += 1
                    continue
                break
            nxt = blocks[j + 1] if j + 1 < n else None
            nxt_chrome = nxt is None or bool(
                strong(j + 1) or is_rank(nxt) or is_date(nxt) or repeated(j + 1) or nxt.unit.kind == "list_item"
                or is_truncated(nxt)
            )
            if is_rank(b):
                out[j] = "rank"
            elif is_date(b):
                out[j] = "date"
            elif is_truncated(b) and (
                (nxt is not None and nxt_chrome)
                or (nxt is None and any(out.get(k) in _TEASER_MESSAGES for k in range(i, j)))
            ):
                out[j] = "truncated"
            elif _is_titleish(b) and (repeated(j) or b.unit.kind == "list_item" or (nxt is not None and nxt_chrome)):
                out[j] = "title"
            elif b.unit.kind in ("paragraph", "list_item", "blockquote") and nxt is not None and (
                is_date(nxt) or is_rank(nxt)
            ):
                out[j] = "teaser"
            else:
                break
            j += 1
        i = j
    _CACHE.clear()
    _CACHE[key] = (ctx.units, out)
    return out


def _whole(unit: Unit, message: str | None = None) -> Hit:
    text = unit.text
    return Hit(0, len(text), message=message, replacements=("",), unit=unit)


def share_widgets(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """BP101: share bars, like counters and icon placeholders."""
    for i, why in classify(ctx).items():
        if why == "widget":
            yield _whole(ctx.units[i])


def related_section_titles(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """BP102: section titles of link lists ("Hot Picks", "Related articles", "Read more")."""
    for i, why in classify(ctx).items():
        if why == "section":
            yield _whole(ctx.units[i])


_TEASER_MESSAGES = {
    "rank": "A rank number from a list of other articles: page chrome, not part of the article. Delete it.",
    "date": "The date of another article in a teaser list: page chrome. Delete it.",
    "title": "The title of another article in a list of links: page chrome. Delete it.",
    "teaser": "Teaser text of another article in a list of links: page chrome. Delete it.",
}


def teaser_list(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """BP103: the entries of a list of other articles (titles, rank numbers, dates, teasers)."""
    for i, why in classify(ctx).items():
        if why in _TEASER_MESSAGES:
            yield _whole(ctx.units[i], _TEASER_MESSAGES[why])


def truncated_teaser(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """BP104: teaser text cut off mid-word or mid-sentence after a section of other articles."""
    for i, why in classify(ctx).items():
        if why == "truncated":
            yield _whole(ctx.units[i])
