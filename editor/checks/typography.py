"""Typography checks that patterns cannot express."""

from __future__ import annotations

import re
from typing import Iterable

from editor.checks.base import CheckContext, Hit

_SPACES = re.compile(r"(?<=[^\s.!?:;])( {2,})(?=[^\s])")


def double_space(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """Runs of spaces between words (not after sentence-final punctuation, not indentation)."""
    for unit in ctx.units:
        text = unit.doc.text
        if "  " not in text:
            continue
        for m in _SPACES.finditer(text):
            yield Hit(m.start(1), m.end(1), replacements=(" ",), unit=unit)
