"""Checking the codes given to ``--select``/``--ignore``/``--extend-select``: a code or prefix
that matches no rule is a usage error (exit 2) naming it, with the nearest real code, instead of
silently selecting nothing (ruff does the same).

Known codes: our rules (opt-in ones included; built-ins such as CU001 and CU101 are rule files too),
Harper's rules (``HARPER/<Rule>``, when harper-py is installed), the learned detector's
(``MODEL/unlikely``), ``ALL`` and an engine's
``<ENGINE>/ALL``. LanguageTool's rules
live on its server, so any ``LT/…`` code is accepted.
"""

from __future__ import annotations

import difflib
from typing import Iterable


def known_codes() -> list[str]:
    from editor.engine import load_rules

    codes = [r.code for r in load_rules()]
    from editor.backends import harper

    if harper.available():
        codes += ["HARPER/" + r for r in harper.default_config()]
    from editor.backends.detector import CODE

    return codes + [CODE]  # the learned detector's (known whether or not its model is installed)


def matches_some_rule(code: str, known: Iterable[str]) -> bool:
    if code == "ALL" or "LT/".startswith(code) or code.startswith("LT/"):
        return True
    if code.endswith("/ALL"):  # every rule of one engine (HARPER/ALL)
        code = code[:-3]
    if code.startswith("HARPER/"):
        from editor.backends import harper

        if not harper.available():  # cannot tell: Harper is not installed (a warning says so)
            return True
    return any(k.startswith(code) for k in known)


def unknown_codes(codes: Iterable[str] | None, known: Iterable[str] | None = None) -> list[tuple[str, str | None]]:
    """[(code, nearest known code or None)] for each code that matches no rule."""
    codes = list(codes or [])
    if not codes:
        return []
    known = list(known if known is not None else known_codes())
    out = []
    for code in codes:
        if matches_some_rule(code, known):
            continue
        by_case = [k for k in known if k.lower().startswith(code.lower())]
        hint = min(by_case, key=len) if by_case else None
        if hint is None:
            close = difflib.get_close_matches(code, known, n=1, cutoff=0.6)
            hint = close[0] if close else None
        out.append((code, hint))
    return out


def describe_unknown(option: str, bad: list[tuple[str, str | None]]) -> str:
    """One line: ``--select: MT999 matches no rule (did you mean MT301?); see cleanup rules --all``."""
    parts = [f"{code!s} matches no rule" + (f" (did you mean {hint}?)" if hint else "") for code, hint in bad]
    return f"{option}: " + "; ".join(parts) + " (see: cleanup rules --all)"
