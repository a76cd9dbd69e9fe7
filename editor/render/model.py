"""Plain dictionaries for output: one definition of what a finding looks like outside."""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from editor.findings import Finding, Fix
from editor.pipeline import FileReport


def finding_dict(f: Finding, report: FileReport, final: bool = False) -> dict:
    """``f`` as a plain dictionary. ``final``: ``f`` is one of ``report.final_findings`` (after
    fixes, its offsets point into the fixed text); otherwise it points into the text as read."""
    text = report.final_text if final else report.doc.text
    lines = report.final_lines if final else report.doc.lines
    span = f.extent  # the flagged text and everything its fixes edit: each replacement is exact
    line, col = lines.position(span.start)
    end_line, end_col = lines.position(span.end)
    return {
        "rule": f.rule,
        "name": f.name,
        "category": f.category,
        "severity": f.severity.value,
        "message": f.message,
        "start": span.start,
        "end": span.end,
        "line": line,
        "column": col,
        "end_line": end_line,
        "end_column": end_col,
        "text": text[span.start : span.end],
        "replacements": [f.replacement(fix, text) for fix in f.fixes],
        "applicability": f.applicability.value if f.applicability else None,
        "source": f.source,
        "sources": list(f.sources or (f.source,)),
        "confidence": f.confidence,  # the learned detector's calibrated precision, or None
        "fixes": [
            {
                "title": fix.title,
                "applicability": fix.applicability.value,
                "edits": [
                    {"start": e.span.start, "end": e.span.end, "replacement": e.replacement} for e in fix.edits
                ],
            }
            for fix in f.fixes
        ],
    }


def change_phrase(f: Finding, fix: Fix, text: str, width: int = 60) -> str:
    """How a fix reads for a person: the reported text before and after, whole (“one of the
    main reason” → “one of the main reasons”, not → “reasons”), trimmed to about ``width``
    characters around the change when long; ``delete “…”`` and ``insert “…”`` when one side is empty."""
    span = f.extent
    old, new = text[span.start : span.end], f.replacement(fix, text)
    old, new = _around_change(old, new, width)
    if not new:
        return f"delete “{old}”"
    if not old:
        return f"insert “{new}”"
    return f"“{old}” → “{new}”"


def message_with_suggestion(f: Finding, text: str) -> str:
    """The finding's message and, when its first fix may be applied, that fix as the edited
    phrase before and after (GitHub annotations, SARIF results)."""
    if not f.fixes or f.fixes[0].applicability.value == "display-only":
        return f.message
    fix = f.fixes[0]
    return f.message + f"\nsuggestion ({fix.applicability.value}): {change_phrase(f, fix, text, width=80)}"


def _around_change(old: str, new: str, width: int) -> tuple[str, str]:
    """``old`` and ``new`` cut to what changes and a few words either side when either is longer
    than ``width`` (line breaks shown as ⏎)."""
    old, new = old.replace("\n", "⏎"), new.replace("\n", "⏎")
    if max(len(old), len(new)) <= width:
        return old, new
    pre = 0
    while pre < min(len(old), len(new)) and old[pre] == new[pre]:
        pre += 1
    suf = 0
    while suf < min(len(old), len(new)) - pre and old[-1 - suf] == new[-1 - suf]:
        suf += 1
    keep = max(width // 4, 10)
    cut_pre = old.rfind(" ", 0, max(pre - keep, 0)) + 1 if pre > keep else 0
    cut_suf = suf - keep if suf > keep else 0
    if cut_suf:
        nxt = old.find(" ", len(old) - suf + keep)
        cut_suf = len(old) - nxt if nxt >= 0 else 0

    def cut(s: str) -> str:
        s = s[cut_pre : len(s) - cut_suf]
        s = ("…" if cut_pre else "") + s + ("…" if cut_suf else "")
        return s if len(s) <= width else s[: width - 1] + "…"

    return cut(old), cut(new)


def summary(findings: Iterable[Finding], files: int, errors: int, words: int = 0) -> dict:
    fs = list(findings)
    return {
        "files": files,
        "errors": errors,
        "findings": len(fs),
        "words": words,
        "by_severity": dict(Counter(f.severity.value for f in fs)),
        "by_category": dict(Counter(f.category for f in fs)),
        "fixable": sum(1 for f in fs if f.fixes and f.applicability and f.applicability.value != "display-only"),
    }


def shown_held(report):
    """What the article gate held back in ``report`` (editor.pipeline.Held), when there is
    something to say: None without held findings, and after fixes (the findings shown are then
    those left on the fixed text)."""
    held = getattr(report, "held", None)
    return held if held is not None and held.findings and report.fixed_text is None else None


def held_note(report) -> str:
    """One line on what the article gate held back (editor.gate), or ''."""
    held = shown_held(report)
    if held is None:
        return ""
    rules = ", ".join(f"{code} ×{n}" if n > 1 else code for code, n in held.by_rule().items())
    n = len(held.findings)
    return (f"{n} finding{'s' if n != 1 else ''} held back ({rules}): the article does not read as "
            f"machine-translated ({held.evidence.describe()}); --all-findings shows them")
