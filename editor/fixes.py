"""Applying fixes: the one place where edits change text (overlaps skipped; linear in the number of edits)."""

from __future__ import annotations

import bisect
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

    Fixes are considered in source order (then the longer first); the chosen edits, which never
    overlap, are applied in one pass over the text (offsets are those of ``text``).
    """
    ordered = sorted(
        (f for f in fixes if f.edits),
        key=lambda f: (min(e.span.start for e in f.edits), -max(e.span.end for e in f.edits)),
    )
    taken: list[tuple[int, int]] = []  # the chosen fixes' spans, sorted; no two clash
    result = FixResult(text)
    chosen = []
    for fix in ordered:
        spans = [(e.span.start, e.span.end) for e in fix.edits]
        if any(_clashes_taken(sp, taken) for sp in spans) or any(
            _clash(a, b) for i, a in enumerate(spans) for b in spans[i + 1 :]
        ):
            result.skipped.append(fix)
            continue
        for sp in spans:
            bisect.insort(taken, sp)
        chosen.append(fix)
    edits = sorted((e for f in chosen for e in f.edits), key=lambda e: (e.span.start, e.span.end))
    pieces, at = [], 0
    for e in edits:  # in one pass: an insertion before the edit that starts at the same point
        pieces.append(text[at : e.span.start])
        pieces.append(e.replacement)
        at = e.span.end
    pieces.append(text[at:])
    result.text = "".join(pieces)
    result.applied = chosen
    return result


def _clashes_taken(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    """Does ``span`` clash with one of ``taken`` (sorted, pairwise free of clashes)? Only the two
    spans before its start can reach into it; those from its start on are looked at until one
    starts beyond its end."""
    for k in range(max(0, bisect.bisect_left(taken, (span[0], -1)) - 2), len(taken)):
        t = taken[k]
        if t[0] > span[1]:
            return False
        if _clash(span, t):
            return True
    return False


def _clash(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] or b[0] == b[1]:  # insertions clash with edits that strictly contain them or at same point
        if a[0] == a[1] and b[0] == b[1]:
            return a[0] == b[0]
        p, s = (a, b) if a[0] == a[1] else (b, a)
        return s[0] < p[0] < s[1]
    return a[0] < b[1] and b[0] < a[1]


def first_fixes(findings: Iterable[Finding], level: Applicability) -> list[Fix]:
    return [f.fixes[0] for f in findings if f.fixes and allowed(f.fixes[0], level)]


OVERLAP = "overlapping another fix"
NO_CHANGE = "changing nothing"


@dataclass(frozen=True)
class SkippedFix:
    fix: Fix
    reason: str  # OVERLAP or NO_CHANGE


@dataclass
class FixLoop:
    """What :func:`fix_loop` did. ``skipped``: the allowed fixes still proposed when the loop
    stopped that were not applied (a fix skipped in one round for overlapping another is proposed
    again by the next round's check, so it is listed only if it never got its turn);
    ``converged``: False when ``cap`` rounds changed the text and its check still proposed fixes."""

    text: str  # the fixed text
    findings: list[Finding]  # the findings on it
    applied: int = 0
    rounds: int = 0  # rounds that changed the text
    converged: bool = True
    skipped: list[SkippedFix] = field(default_factory=list)

    def summary(self) -> str:
        """``N skipped (overlapping another fix), fix loop stopped after R rounds without
        converging``: what was not done, or "" when every proposed fix was applied."""
        parts = []
        for reason in (OVERLAP, NO_CHANGE):
            n = sum(1 for s in self.skipped if s.reason == reason)
            if n:
                parts.append(f"{n} skipped ({reason})")
        if not self.converged:
            parts.append(f"fix loop stopped after {self.rounds} round{'s' if self.rounds != 1 else ''} "
                         "without converging")
        return ", ".join(parts)


def fix_loop(text: str, check: Callable[[str], list[Finding]], level: Applicability, cap: int = 4) -> FixLoop:
    """Apply the first allowed fix of every finding, re-check, repeat until nothing changes (at
    most ``cap`` rounds), and account for the fixes it did not apply."""
    findings = check(text)
    loop = FixLoop(text, findings)
    for _ in range(cap):
        fixes = first_fixes(findings, level)
        if not fixes:
            return loop
        res = apply_fixes(text, fixes)
        if not res.applied or res.text == text:  # stuck: what is left would change nothing
            loop.skipped = [SkippedFix(f, OVERLAP) for f in res.skipped] + [SkippedFix(f, NO_CHANGE)
                                                                            for f in res.applied]
            return loop
        loop.applied += len(res.applied)
        loop.rounds += 1
        text = res.text
        findings = check(text)
        loop.text, loop.findings = text, findings
    pending = first_fixes(findings, level)
    if pending:  # the cap ran out with fixes still proposed
        loop.converged = False
        loop.skipped = [SkippedFix(f, OVERLAP) for f in apply_fixes(text, pending).skipped]
    return loop


def fix_until_stable(
    text: str, check: Callable[[str], list[Finding]], level: Applicability, cap: int = 4
) -> tuple[str, int, list[Finding]]:
    """Apply the first allowed fix of every finding, re-check, repeat until nothing changes.

    Returns the fixed text, the number of fixes applied and the findings on the final text
    (:func:`fix_loop` says also what it did not apply).
    """
    loop = fix_loop(text, check, level, cap)
    return loop.text, loop.applied, loop.findings
