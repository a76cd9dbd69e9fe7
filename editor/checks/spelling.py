"""Misspelled lower-case words, with a fix only when the correction is clear (rule ST106).

Harper's speller (harper-py, offline) finds the words; this check keeps the ones an article's
names and transliterations cannot be: lower-case alphabetic words of four letters or more
("recieved", "tecnology"), never capitalised words ("Xiangtan", "Guangshui"), which the full
speller (HARPER/SpellCheck, opt-in) flags in machine-translated news at great volume.  Names the
parser recognises and the configuration's ``vocabulary`` are dropped afterwards, as for every
spelling finding (editor.backends.drop_names).

The fix is the suggestion one edit away (a letter added, dropped, changed, or two swapped), and
it may be applied (unsafe) only when exactly one suggestion is that close, or when the closest
is a swap of two letters ("abuot" → "about", not "abbot"); otherwise the suggestions are shown,
never applied (display-only).  On the JFLEG learner-English set, one-edit corrections are the
ones the references agree with (benchmarks/rewrite_quality.py).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from editor.checks.base import RUNNING_PROSE, CheckContext, Hit
from editor.stdio import native_output_to_stderr

_LOWER_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_lock = threading.Lock()


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
    """The suggestions, best first, and whether the first is clear enough to apply."""
    scored = [(distance(word.lower(), s.lower()), n, s) for n, s in enumerate(suggestions)]
    close = [x for x in scored if x[0][0] == 1]
    if not close:
        return suggestions, False
    swaps = [x for x in close if x[0][1]]
    if swaps:
        first = swaps[0][2]
        return [first] + [s for s in suggestions if s != first], True
    first = close[0][2]
    return [first] + [s for s in suggestions if s != first], len(close) == 1


@dataclass(frozen=True)
class _Lint:
    piece: int  # index of the text it was found in (a segment, or a unit)
    start: int  # in that text's coordinates
    end: int
    suggestions: tuple[str, ...]


_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speller")


def _lint_texts(texts: list[str], dialect: str) -> list[_Lint]:
    """Harper's speller over ``texts``, linted together as one text (a call per text would pay
    Harper's fixed cost hundreds of times an article)."""
    loaded = _linter(dialect)
    joined = "\n\n".join(texts)
    if loaded is None or not joined.strip():
        return []
    harper, linter = loaded
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 2
    with _lock, native_output_to_stderr():
        lints = linter.lint(joined, language=harper.Language.PLAINTEXT)
    out = []
    for lint in lints:
        k = bisect_right(starts, lint.span.start) - 1
        start, end = lint.span.start - starts[k], lint.span.end - starts[k]
        if end > len(texts[k]):
            continue  # across the joint between two texts: never a word
        suggestions = tuple(s.replacement_text for s in lint.suggestions
                            if s.kind == harper.SuggestionKind.REPLACE and s.replacement_text)[:5]
        out.append(_Lint(k, start, end, suggestions))
    return out


def prepare(segments, dialect: str = "us", background: bool = True):
    """The lint of the segments' texts: a Future started now, beside spaCy's parse
    (``background``), or the result itself."""
    texts = [seg.text for seg in segments]
    return _pool.submit(_lint_texts, texts, dialect) if background else _lint_texts(texts, dialect)


def misspelled_words(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """ST106: lower-case words Harper's speller does not know."""
    min_len = int(options.get("min_letters", 4))
    checked = [u for u in ctx.units if u.kind in RUNNING_PROSE or u.kind == "table_cell"]
    lints = ctx.prepared.get("ST106")
    if lints is None:
        # without the pipeline's preparation (a test, another caller): lint the units themselves
        found = _lint_texts([u.text for u in checked], ctx.dialect)
        located = [(checked[x.piece], x.start, x.end, x.suggestions) for x in found]
    else:
        if isinstance(lints, Future):
            lints = lints.result()
        located = [loc for loc in (_in_unit(checked, x) for x in lints) if loc is not None]
    for unit, start, end, suggestions in located:
        word = unit.text[start:end]
        if len(word) < min_len or not _LOWER_WORD.fullmatch(word):
            continue
        if not suggestions:
            yield Hit(start, end, unit=unit)
            continue
        ordered, clear = clear_correction(word, list(suggestions))
        yield Hit(start, end, replacements=tuple(ordered[:3]), unit=unit,
                  applicability=None if clear else "display-only")


misspelled_words.prepare = prepare  # the pipeline starts the lint beside the parse


def _in_unit(units, lint: _Lint):
    """(unit, start, end, suggestions) of a segment's lint in the unit (chunk) that holds it."""
    for unit in units:
        if unit.segment_index == lint.piece:
            start, end = lint.start - unit.offset, lint.end - unit.offset
            if 0 <= start and end <= len(unit.text):
                return unit, start, end, lint.suggestions
    return None
