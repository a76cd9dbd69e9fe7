"""Misspelled lower-case words, with a fix only when the correction is clear (rule ST106).

Harper's speller (harper-py, offline) finds the words; this check keeps the ones an article's
names and transliterations cannot be: lower-case alphabetic words of four letters or more
("recieved", "tecnology"), never capitalised words ("Xiangtan", "Guangshui"), which the full
speller (HARPER/SpellCheck, opt-in) flags in machine-translated news at great volume.  Names the
parser recognises and the configuration's ``vocabulary`` are dropped afterwards, as for every
spelling finding (editor.backends.drop_names).

A flagged word is first judged (:func:`verdict`): a word the other dialect's speller accepts
is ST107's note ("colour" under en-US), not a misspelling; a word wordfreq's English list knows
(common enough, or with no far more common word one edit away: "arable", "per capita",
"bollworm") is never flagged; a name in lower case where the parser sees an entity ("july") is
flagged with its capitalised form.  wordfreq and the other dialect's speller load only when a
word is flagged (about a second, once a process).

The fix is the lower-case suggestion one edit away (a letter added, dropped, changed, or two
swapped): a lower-case word is never fixed to a capitalised one ("arable" is not "Grable").  It
may be applied (unsafe) only when it is a swap of two letters ("abuot" → "about", not "abbot");
otherwise the suggestions are shown, never applied (display-only).  The classes were measured
against the corrections of JFLEG dev and WeTS dev (benchmarks/spelling_fixes.py).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from editor.backends.harper_input import calls
from editor.checks.base import RUNNING_PROSE, CheckContext, Hit
from editor.stdio import native_output_to_stderr

_LOWER_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_lock = threading.Lock()
# measured on the ST106 candidates of JFLEG dev, TED and WeTS (benchmarks/spelling_fixes.py's docstring)
KNOWN_ZIPF = 3.5  # a word at least this common (wordfreq's zipf scale) is known English
TYPO_GAP = 2.0  # a rarer word is a typo when a word one edit away is this much (100 times) more common
# entity types whose words are names ("hangzhou", "armenian"): spaCy's labels
_NAME_ENTITIES = frozenset({"GPE", "NORP", "LOC", "PERSON", "ORG", "FAC", "DATE", "EVENT", "LANGUAGE"})


@lru_cache(maxsize=4)
def _linter(dialect: str = "us"):
    """(harper module, a Harper linter with only its speller on, for ``dialect``), or None without
    harper-py."""
    try:
        import harper
    except ImportError:
        return None
    from editor.backends.harper import dialect_of

    with native_output_to_stderr():
        linter = harper.Linter(dialect_of(dialect))
        config = {rule: False for rule in harper.get_default_lint_config()}
        config["SpellCheck"] = True
        linter.set_lint_config(config)
    return harper, linter


@lru_cache(maxsize=65536)
def distance(a: str, b: str) -> tuple[int, bool]:
    """Damerau–Levenshtein distance (optimal string alignment) and whether a swap was used."""
    rows = [[(j, False) for j in range(len(b) + 1)]]
    for i in range(1, len(a) + 1):
        row = [(i, False)]
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            best = min((rows[i - 1][j][0] + 1, rows[i - 1][j][1]), (row[j - 1][0] + 1, row[j - 1][1]),
                       (rows[i - 1][j - 1][0] + cost, rows[i - 1][j - 1][1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                swap = (rows[i - 2][j - 2][0] + 1, True)
                if swap[0] <= best[0]:
                    best = swap
            row.append(best)
        rows.append(row)
    return rows[-1][-1]


def clear_correction(word: str, suggestions: list[str]) -> tuple[list[str], bool]:
    """The suggestions, best first (a swap of two letters, then the others one edit away), and
    whether the first is clear enough to apply: only a swap ("abuot" → "about").  Measured by
    benchmarks/spelling_fixes.py: swaps are right 0.91 of the time on JFLEG dev; the only
    suggestion one edit away 0.89 there but 0 of 3 on WeTS dev ("cuttage" → "cottage"), so it
    is shown, never applied."""
    scored = [(distance(word.lower(), s.lower()), n, s) for n, s in enumerate(suggestions)]
    close = [x for x in scored if x[0][0] == 1]
    if not close:
        return suggestions, False
    swaps = [x for x in close if x[0][1]]
    if swaps:
        first = swaps[0][2]
        return [first] + [s for s in suggestions if s != first], True
    first = close[0][2]
    return [first] + [s for s in suggestions if s != first], False


@dataclass(frozen=True)
class _Lint:
    piece: int  # index of the text it was found in (a segment, or a unit)
    start: int  # in that text's coordinates
    end: int
    suggestions: tuple[str, ...]


_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speller")


def _lint_texts(texts: list[str], dialect: str) -> list[_Lint]:
    """Harper's speller over ``texts``, linted together (a call per text would pay Harper's fixed
    cost hundreds of times an article) in the bounded calls of editor.backends.harper_input: a
    word too long to be English never reaches the speller, which would need about 0.65 MB per
    letter of it (a 100,000-letter word aborted the process)."""
    loaded = _linter(dialect)
    if loaded is None:
        return []
    harper, linter = loaded
    out = []
    for joined in calls(texts):
        if not joined.text.strip():
            continue
        with _lock, native_output_to_stderr():
            lints = linter.lint(joined.text, language=harper.Language.PLAINTEXT)
        for lint in lints:
            where = joined.locate(lint.span.start, lint.span.end)
            if where is None:
                continue  # across the joint between two texts: never a word
            suggestions = tuple(s.replacement_text for s in lint.suggestions
                                if s.kind == harper.SuggestionKind.REPLACE and s.replacement_text)[:5]
            out.append(_Lint(*where, suggestions))
    return out


def prepare(segments, dialect: str = "us", background: bool = True):
    """The lint of the segments' texts: a Future started now, beside spaCy's parse
    (``background``), or the result itself."""
    key = (tuple(seg.text for seg in segments), dialect, background)
    with _lock:
        if _last_prepared and _last_prepared[0] == key:
            return _last_prepared[1]  # ST106 and ST107 share one lint of the same article
    texts = list(key[0])
    result = _pool.submit(_lint_texts, texts, dialect) if background else _lint_texts(texts, dialect)
    with _lock:
        _last_prepared[:] = [key, result]
    return result


_last_prepared: list = []  # [key, lint] of the latest article prepared


def misspelled_words(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """ST106: lower-case words that are neither in Harper's dictionary nor known English."""
    for unit, start, end, kind, suggestions in _verdicts(ctx, options):
        if kind == "name":
            # shown, not applied: 1 of 3 right on WeTS dev by its annotations (benchmarks/spelling_fixes.py)
            yield Hit(start, end, message=f"“{{match}}” is a name: it is written “{suggestions[0]}”.",
                      replacements=suggestions, unit=unit, applicability="display-only")
        elif kind == "typo" and not suggestions:
            yield Hit(start, end, unit=unit)
        elif kind == "typo":
            ordered, clear = clear_correction(unit.text[start:end], list(suggestions))
            yield Hit(start, end, replacements=tuple(ordered[:3]), unit=unit,
                      applicability=None if clear else "display-only")


def dialect_spellings(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """ST107: a word the other dialect's speller accepts (British under en-US, American under en-GB)."""
    other, own = ("American", "en-GB") if ctx.dialect == "gb" else ("British", "en-US")
    for unit, start, end, kind, suggestions in _verdicts(ctx, options):
        if kind != "dialect":
            continue
        ordered, _ = clear_correction(unit.text[start:end], list(suggestions))
        close = [s for s in ordered if distance(unit.text[start:end], s)[0] <= 2][:1]
        said = f"{own} writes “{close[0]}”" if close else f"not the {own} spelling"
        yield Hit(start, end, message=f"“{{match}}”: {other} spelling; {said}.", replacements=tuple(close),
                  unit=unit)


misspelled_words.prepare = prepare  # the pipeline starts the lint beside the parse
dialect_spellings.prepare = prepare  # the same lint, shared (see prepare)


def _located(ctx: CheckContext) -> list:
    """(unit, start, end, suggestions) of every word Harper's speller flags in the checked units."""
    checked = [u for u in ctx.units if u.kind in RUNNING_PROSE or u.kind == "table_cell"]
    lints = ctx.prepared.get("ST106", ctx.prepared.get("ST107"))
    if lints is None:
        # without the pipeline's preparation (a test, another caller): lint the units themselves
        found = _lint_texts([u.text for u in checked], ctx.dialect)
        return [(checked[x.piece], x.start, x.end, x.suggestions) for x in found]
    if isinstance(lints, Future):
        lints = lints.result()
    where = _UnitIndex(checked)
    return [loc for loc in (where.locate(x) for x in lints) if loc is not None]


def _verdicts(ctx: CheckContext, options: dict):
    """(unit, start, end, verdict, suggestions) for each lower-case word the speller flags; the
    verdict is "dialect", "name", "known" or "typo" (see :func:`verdict`)."""
    min_len = int(options.get("min_letters", 4))
    located = [(u, a, b, sug) for u, a, b, sug in _located(ctx)
               if b - a >= min_len and _LOWER_WORD.fullmatch(u.text[a:b])]
    if not located:
        return
    elsewhere = accepted_elsewhere(frozenset(u.text[a:b] for u, a, b, _ in located), ctx.dialect)
    known_zipf = float(options.get("known_zipf", KNOWN_ZIPF))
    typo_gap = float(options.get("typo_gap", TYPO_GAP))
    for unit, start, end, suggestions in located:
        word = unit.text[start:end]
        entity = any(t.ent_type_ in _NAME_ENTITIES for t in unit.doc.char_span(start, end, alignment_mode="expand"))
        kind, kept = verdict(word, suggestions, word in elsewhere, entity, known_zipf, typo_gap)
        yield unit, start, end, kind, kept


def verdict(word: str, suggestions, other_dialect: bool, entity: bool, known_zipf: float = 3.5,
            typo_gap: float = 2.0) -> tuple[str, tuple[str, ...]]:
    """What a lower-case word Harper's speller flags is, and the suggestions that fit it:

    - "dialect": the other dialect's speller accepts it ("colour" under en-US);
    - "name": a name in lower case ("hangzhou", the parser sees an entity there) → its capitalised form;
    - "known": known English: its zipf frequency (wordfreq) is ``known_zipf`` or more, or it is in
      wordfreq's list and no suggestion one edit away is ``typo_gap`` zipf (100 times) more frequent
      ("arable", "bollworm"; but "recieved" is 2.75 and "received" 4.9);
    - "typo": anything else, with its lower-case suggestions only ("arable" is never "Grable").
    """
    lower = tuple(s for s in suggestions if s == s.lower())
    if other_dialect:
        return "dialect", lower
    capital = word[:1].upper() + word[1:]
    if entity and capital in suggestions:
        return "name", (capital,)
    z = zipf(word)
    if z >= known_zipf:
        return "known", ()
    if z > 0 and not any(distance(word, s)[0] == 1 and zipf(s) - z >= typo_gap for s in lower):
        return "known", ()
    return "typo", lower


@lru_cache(maxsize=1)
def _zipf_function():
    """wordfreq's ``zipf_frequency``, imported on first use (its English list loads in about a
    second), or None without wordfreq."""
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        return None
    return zipf_frequency


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common ``word`` is in English (wordfreq's zipf scale: 7 "the", 3 "arable", 0 unknown);
    a possessive counts as its noun."""
    frequency = _zipf_function()
    if frequency is None:
        return 0.0
    return frequency(word[:-2] if word.endswith("'s") else word, "en")


@lru_cache(maxsize=64)
def accepted_elsewhere(words: frozenset, dialect: str) -> frozenset:
    """The ``words`` that the other dialect's speller (en-GB for en-US, and back) accepts."""
    ordered = sorted(words)
    flagged = {ordered[x.piece] for x in _lint_texts(ordered, "us" if dialect == "gb" else "gb")}
    return frozenset(w for w in ordered if w not in flagged)


class _UnitIndex:
    """The checked units by segment and offset: a segment's lint → the unit (chunk) that holds it,
    found by bisection (a scan of the units for every lint made ST106 quadratic: 100,000 short
    paragraphs with a typo each took minutes)."""

    def __init__(self, units):
        self._units: dict[int, list] = {}
        for unit in units:
            self._units.setdefault(unit.segment_index, []).append(unit)
        for held in self._units.values():
            held.sort(key=lambda u: u.offset)
        self._offsets = {si: [u.offset for u in held] for si, held in self._units.items()}

    def locate(self, lint: _Lint):
        """(unit, start, end, suggestions) of ``lint`` in the unit that holds it, or None."""
        held = self._units.get(lint.piece)
        if held is None:
            return None
        k = bisect_right(self._offsets[lint.piece], lint.start) - 1
        while k >= 0:  # the last unit starting at or before it; an empty one there yields to its twin
            unit = held[k]
            start, end = lint.start - unit.offset, lint.end - unit.offset
            if end <= len(unit.text):
                return unit, start, end, lint.suggestions
            if k == 0 or held[k - 1].offset != unit.offset:
                return None
            k -= 1
        return None
