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


def misspelled_words(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """ST106: lower-case words Harper's speller does not know."""
    loaded = _linter(ctx.dialect)
    if loaded is None:
        return
    harper, linter = loaded

    min_len = int(options.get("min_letters", 4))
    for unit in ctx.units:
        if unit.kind not in RUNNING_PROSE and unit.kind != "table_cell":
            continue
        text = unit.text
        if not text.strip():
            continue
        with _lock, native_output_to_stderr():
            lints = linter.lint(text, language=harper.Language.PLAINTEXT)
        for lint in lints:
            start, end = lint.span.start, lint.span.end
            word = text[start:end]
            if len(word) < min_len or not _LOWER_WORD.fullmatch(word):
                continue
            suggestions = [s.replacement_text for s in lint.suggestions
                           if s.kind == harper.SuggestionKind.REPLACE and s.replacement_text][:5]
            if not suggestions:
                yield Hit(start, end, unit=unit)
                continue
            ordered, clear = clear_correction(word, suggestions)
            yield Hit(start, end, replacements=tuple(ordered[:3]), unit=unit,
                      applicability=None if clear else "display-only")
