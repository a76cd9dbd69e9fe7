"""The HTML report: the article with proposed changes as a word-level diff, and every finding.

Rendered with jinja2 (autoescaping on) from the FileReport; article text is only ever inserted
as escaped text.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from functools import lru_cache

from editor import __version__
from editor.fixes import apply_fixes
from editor.pipeline import FileReport

_WORDS = re.compile(r"\s+|\w+|[^\w\s]", re.U)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """[(op, text)] with op in equal | delete | insert, at word granularity."""
    a = _WORDS.findall(old)
    b = _WORDS.findall(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                out.append(("insert", "".join(b[j1:j2])))
    return out


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("editor.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def view_model(report: FileReport, rules: dict | None = None) -> dict:
    text = report.doc.text
    findings = report.findings
    rules = rules or {}
    # inline parts: findings in order; an overlapping finding is listed but not drawn inline
    parts = []
    pos = 0
    for i, f in enumerate(findings):
        start, end = f.span.start, f.span.end
        if f.fixes:  # a fix may reach beyond the flagged words: draw the whole changed range
            start = min([start] + [e.span.start for e in f.fixes[0].edits])
            end = max([end] + [e.span.end for e in f.fixes[0].edits])
        if start < pos:
            continue
        if start > pos:
            parts.append({"type": "text", "text": text[pos:start]})
        old = text[start:end]
        if f.fixes:
            new = f.fixes[0].replacement_text(text, f.span)
            parts.append({"type": "change", "id": i, "diff": word_diff(old, new), "severity": f.severity.value,
                          "rule": f.rule, "safety": f.fixes[0].applicability.value})
        else:
            parts.append({"type": "mark", "id": i, "text": old, "severity": f.severity.value, "rule": f.rule})
        pos = end
    parts.append({"type": "text", "text": text[pos:]})
    items = []
    for i, f in enumerate(findings):
        line, col = report.doc.lines.position(f.span.start)
        rule = rules.get(f.rule)
        items.append({
            "id": i,
            "rule": f.rule,
            "name": f.name,
            "category": f.category,
            "severity": f.severity.value,
            "message": f.message,
            "line": line,
            "column": col,
            "text": text[f.span.start : f.span.end],
            "suggestions": [{"text": fx.replacement_text(text, f.span), "safety": fx.applicability.value,
                             "title": fx.title} for fx in f.fixes],
            "source": f.source,
            "docs": rule.docs if rule else {},
        })
    all_fixed = apply_fixes(text, [f.fixes[0] for f in findings if f.fixes and f.fixes[0].applicability.value != "display-only"]).text
    return {
        "path": report.doc.path,
        "version": __version__,
        "words": report.words,
        "parts": parts,
        "findings": items,
        "by_severity": Counter(f.severity.value for f in findings),
        "by_category": sorted(Counter(f.category for f in findings).items()),
        "per_1k": round(1000 * len(findings) / report.words, 1) if report.words else 0.0,
        "elapsed": round(report.elapsed, 2),
        "engines": report.engines,
        "changes": sum(1 for p in parts if p["type"] == "change"),
        "fixed_unified": "".join(difflib.unified_diff(
            text.splitlines(keepends=True), all_fixed.splitlines(keepends=True),
            fromfile=report.doc.path, tofile=report.doc.path + " (all fixes)")),
    }


def render_html(report: FileReport, rules: dict | None = None) -> str:
    return _env().get_template("report.html.j2").render(**view_model(report, rules))
