"""Applying fixes: the one place where edits change text (right to left, overlaps skipped)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from editor.findings import Applicability, Finding, Fix


@dataclass
class FixResult:
    text: str
    applied: list[Fix] = field(default_factory=list)
    skipped: list[Fix] = field(default_factory=list)  # overlapped an earlier chosen fix


def allowed(fix: Fix, level: Applicability) -> bool:
    """May ``fix`` be applied at ``level`` (safe: safe fixes only; unsafe: safe and unsafe)?"""
    if fix.applicability is Applicability.DISPLAY_ONLY:
        return False
    return fix.applicability.rank >= level.rank


def apply_fixes(text: str, fixes: Iterable[Fix]) -> FixResult:
    """Apply whole fixes to ``text``. A fix whose edits overlap an already chosen one is skipped.

    Fixes are considered in source order (then the longer first); the chosen edits are applied
    right to left so that earlier offsets stay valid.
    """
    ordered = sorted(
        (f for f in fixes if f.edits),
        key=lambda f: (min(e.span.start for e in f.edits), -max(e.span.end for e in f.edits)),
    )
    taken: list[tuple[int, int]] = []
    result = FixResult(text)
    chosen = []
    for fix in ordered:
        spans = [(e.span.start, e.span.end) for e in fix.edits]
        if any(_clash(s, t) for s in spans for t in taken) or any(
            _clash(a, b) for i, a in enumerate(spans) for b in spans[i + 1 :]
        ):
            result.skipped.append(fix)
            continue
        taken.extend(spans)
        chosen.append(fix)
    edits = sorted((e for f in chosen for e in f.edits), key=lambda e: (e.span.start, e.span.end), reverse=True)
    out = text
    for e in edits:
        out = out[: e.span.start] + e.replacement + out[e.span.end :]
    result.text = out
    result.applied = chosen
    return result


def _clash(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions clash with edits that strictly contain them or at same point
        if a[0] == a[1] and b[0] == b[1]:
            return a[0] == b[0]
        p, s = (a, b) if a[0] == a[1] else (b, a)
        return s[0] < p[0] < s[1]
    return a[0] < b[1] and b[0] < a[1]


def first_fixes(findings: Iterable[Finding], level: Applicability) -> list[Fix]:
    return [f.fixes[0] for f in findings if f.fixes and allowed(f.fixes[0], level)]


def fix_until_stable(
    text: str, check: Callable[[str], list[Finding]], level: Applicability, cap: int = 4
) -> tuple[str, int, list[Finding]]:
    """Apply the first allowed fix of every finding, re-check, repeat until nothing changes.

    Returns the fixed text, the number of fixes applied and the findings on the final text.
    """
    applied = 0
    findings = check(text)
    for _ in range(cap):
        fixes = first_fixes(findings, level)
        if not fixes:
            break
        res = apply_fixes(text, fixes)
        if not res.applied or res.text == text:
            break
        applied += len(res.applied)
        text = res.text
        findings = check(text)
    return text, applied, findings
