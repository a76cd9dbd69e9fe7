"""The ``regex`` rule kind: Python regular expressions over the text of each unit.

Like Vale's ``existence``/``substitution`` checks and LanguageTool's ``<regexp>`` rules, for what
is about characters rather than words (Chinese characters, spacing, digit formats):

- ``pattern``: one expression or a list of them, tried in order over ``unit.text``;
- ``flags``: ``ignorecase``, ``multiline``, ``dotall``, ``verbose``, ``ascii`` (a string or a list);
- ``mark``: the group (number or name) that is flagged, default the whole match;
- ``replace``: replacement templates: ``\\1``/``\\g<name>`` are groups of the match, ``{match}``
  the marked text;
- ``@name`` inside a pattern is the word list ``rules/lists/name.txt``: ``(?:a|b|…)`` of its
  entries, escaped, longest first (write ``\\@`` for a literal at sign).
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from editor.checks.base import CheckContext, Hit

FLAGS = {
    "ignorecase": re.IGNORECASE,
    "multiline": re.MULTILINE,
    "dotall": re.DOTALL,
    "verbose": re.VERBOSE,
    "ascii": re.ASCII,
}
_LIST_REF = re.compile(r"(?<!\\)@([a-z0-9]+(?:-[a-z0-9]+)*)")


def expand_pattern(pattern: str, entries_of: Callable[[str], list[str]]) -> str:
    """``pattern`` with every ``@name`` replaced by an alternation of the list's entries."""

    def alternation(m: re.Match) -> str:
        entries = sorted(set(entries_of(m.group(1))), key=lambda w: (-len(w), w))
        return "(?:" + "|".join(re.escape(w) for w in entries) + ")"

    return _LIST_REF.sub(alternation, pattern)


def flag_bits(names: list[str]) -> int:
    bits = 0
    for name in names:
        bits |= FLAGS[name]
    return bits


def _render(template: str, m: re.Match, marked: str) -> str:
    """A replacement: groups of the match expanded (``\\1``), ``{match}`` the marked text."""
    return marked.join(m.expand(piece) for piece in template.split("{match}"))


def regex_hits(ctx: CheckContext, patterns: tuple[re.Pattern, ...], mark: int | str,
               replace: tuple[str, ...]) -> Iterator[Hit]:
    """A hit for the marked group of every match of every pattern in every unit."""
    for unit in ctx.units:
        text = unit.text
        for pattern in patterns:
            for m in pattern.finditer(text):
                s, e = m.span(mark)
                if s < 0 or s == e:
                    continue  # the marked group did not take part, or matched nothing
                marked = text[s:e]
                reps = tuple(_render(t, m, marked) for t in replace)
                yield Hit(s, e, replacements=reps, unit=unit)
