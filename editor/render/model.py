"""Plain dictionaries for output: one definition of what a finding looks like outside."""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from editor.findings import Finding
from editor.pipeline import FileReport


def finding_dict(f: Finding, report: FileReport, final: bool = False) -> dict:
    """``f`` as a plain dictionary. ``final``: ``f`` is one of ``report.final_findings`` (after
    fixes, its offsets point into the fixed text); otherwise it points into the text as read."""
    text = report.final_text if final else report.doc.text
    lines = report.final_lines if final else report.doc.lines
    line, col = lines.position(f.span.start)
    end_line, end_col = lines.position(f.span.end)
    return {
        "rule": f.rule,
        "name": f.name,
        "category": f.category,
        "severity": f.severity.value,
        "message": f.message,
        "start": f.span.start,
        "end": f.span.end,
        "line": line,
        "column": col,
        "end_line": end_line,
        "end_column": end_col,
        "text": text[f.span.start : f.span.end],
        "replacements": [fix.replacement_text(text, f.span) for fix in f.fixes],
        "applicability": f.applicability.value if f.applicability else None,
        "source": f.source,
        "sources": list(f.sources or (f.source,)),
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
