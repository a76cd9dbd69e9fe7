"""House substitutions (CU101): the configuration's ``[substitutions]`` table, wrong = "right".

An ordinary rule fed by the configuration: the check reads the file's settings from
``CheckContext.settings``, so one rule set serves every configuration.  Entries are matched as
whole words in prose, longest first; a lowercase entry matches any case and keeps the case of the
text (Title, UPPER), an entry with capitals matches exactly as written.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from editor.checks.base import CheckContext, Hit
from editor.engine.rules import match_case


@lru_cache(maxsize=32)
def _compiled(items: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern, str]]:
    out = []
    for wrong, right in sorted(items, key=lambda kv: -len(kv[0])):
        body = r"\s+".join(re.escape(w) for w in wrong.split())
        flags = re.IGNORECASE if wrong == wrong.lower() else 0
        out.append((re.compile(rf"(?<![\w-]){body}(?![\w-])", flags), right))
    return out


def substitutions(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """CU101: each configured substitution, once per place (the longest entry wins an overlap)."""
    settings = ctx.settings
    table = dict(getattr(settings, "substitutions", None) or {})
    if not table:
        return
    source = getattr(settings, "source", None)
    where = f" (configured in {source.name})" if source is not None else ""
    patterns = _compiled(tuple(table.items()))
    for unit in ctx.units:
        taken: list[tuple[int, int]] = []
        for pat, right in patterns:
            for m in pat.finditer(unit.text):
                a, b = m.start(), m.end()
                if unit.touches_masked(a, b) or any(x < b and a < y for x, y in taken):
                    continue
                flagged = m.group(0)
                repl = match_case(flagged, right) if pat.flags & re.IGNORECASE else right
                if repl == flagged:
                    continue
                taken.append((a, b))
                yield Hit(a, b, message=f"house style: write “{repl}”, not “{flagged}”{where}",
                          replacements=(repl,), unit=unit)
