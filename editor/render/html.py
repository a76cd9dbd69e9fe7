"""The HTML report: one self-contained page where an editor accepts or rejects every change.

Rendered with jinja2 (autoescaping on) from the FileReport view-model only. The article text and
the findings (``editor.render.model.finding_dict``, plus the word-level diff of every fix) are
embedded as JSON in a ``<script type="application/json">`` block; the page's own script
(``templates/report.js``, inlined) builds the view with ``createElement``/``textContent`` and
never inserts article text as HTML. Its Content-Security-Policy allows only that script and that
style sheet (by hash), forbids every network access and enforces Trusted Types, so even a bug that
assigned a string to ``innerHTML`` would throw instead of running article text.

A ``<noscript>`` fallback shows the article with the first fix of each finding as a static
``<del>``/``<ins>`` diff (autoescaped), for viewers that do not run scripts.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import PurePath

from markupsafe import Markup

from editor import __version__
from editor.document import content_hash
from editor.findings import Applicability, Finding, Span
from editor.paths import display
from editor.pipeline import FileReport
from editor.render.model import finding_dict, held_note

_WORDS = re.compile(r"\s+|\w+|[^\w\s]", re.U)

SEVERITIES = ("error", "warning", "info")
SEVERITY_SYMBOLS = {"error": "✖", "warning": "▲", "info": "ℹ"}


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


_OPS = {"equal": "=", "delete": "-", "insert": "+"}


@lru_cache(maxsize=1)
def _env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("editor.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    """An inlined asset (report.js, report.css); it must not be able to end its own element."""
    env = _env()
    source = env.loader.get_source(env, name)[0]
    if re.search(r"</(script|style)|<!--", source, re.I):
        raise ValueError(f"templates/{name} must not contain '</script', '</style' or '<!--'")
    return source


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def csp(script: str, style: str) -> str:
    """No network at all; only our own inline script and style (by hash); Trusted Types enforced."""
    return (
        "default-src 'none'; "
        f"script-src {_sha256(script)}; "
        f"style-src {_sha256(style)}; "
        "img-src data:; connect-src 'none'; font-src 'none'; media-src 'none'; object-src 'none'; "
        "frame-src 'none'; worker-src 'none'; manifest-src 'none'; form-action 'none'; base-uri 'none'; "
        "require-trusted-types-for 'script'; trusted-types 'none'"
    )


def json_for_script(value) -> str:
    """JSON that is safe inside <script type="application/json">: no '<', '>' or '&' at all, so
    neither ``</script>`` nor ``<!--`` in article text can end or confuse the block."""
    s = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _applicable(f: Finding) -> bool:
    return any(fx.applicability is not Applicability.DISPLAY_ONLY and fx.edits for fx in f.fixes)


def report_data(report: FileReport, rules: dict | None = None) -> dict:
    """Everything the page's script needs, as plain JSON (the one finding shape plus diffs)."""
    text = report.doc.text
    rules = rules or {}
    findings = []
    docs = {}
    for i, f in enumerate(report.findings):
        d = finding_dict(f, report)
        start, end = f.extent.start, f.extent.end  # the span and every edit of every alternative
        old = text[start:end]
        d["id"] = i
        d["range"] = [start, end]
        d["diffs"] = [
            [[_OPS[op], t] for op, t in word_diff(old, fx.replacement_text(text, Span(start, end)))]
            for fx in f.fixes
        ]
        findings.append(d)
        rule = rules.get(f.rule)
        if rule is not None and f.rule not in docs and getattr(rule, "docs", None):
            docs[f.rule] = {k: rule.docs.get(k, "") for k in ("what", "why", "fix") if rule.docs.get(k)}
    return {
        "version": 1,
        "tool": __version__,
        "path": display(report.doc.path),
        "name": PurePath(display(report.doc.path)).name or "article.txt",
        "fmt": report.doc.fmt,
        "bom": bool(report.doc.bom),
        "hash": report.doc.digest or content_hash(text),
        "text": text,
        "words": report.words,
        "engines": {str(k): str(v) for k, v in report.engines.items()},
        "findings": findings,
        "docs": docs,
    }


def _static_parts(report: FileReport) -> list[dict]:
    """The <noscript> article: the first applicable fix of each finding as a static diff."""
    text = report.doc.text
    parts = []
    pos = 0
    for i, f in enumerate(report.findings):
        fix = f.fixes[0] if f.fixes else None
        start, end = f.span.start, f.span.end
        if fix is not None:
            start = min([start] + [e.span.start for e in fix.edits])
            end = max([end] + [e.span.end for e in fix.edits])
        if start < pos:
            continue
        if start > pos:
            parts.append({"type": "text", "text": text[pos:start]})
        old = text[start:end]
        if fix is not None:
            new = fix.replacement_text(text, f.span)
            parts.append({"type": "change", "id": i, "diff": word_diff(old, new), "severity": f.severity.value,
                          "rule": f.rule, "safety": fix.applicability.value})
        else:
            parts.append({"type": "mark", "id": i, "text": old, "severity": f.severity.value, "rule": f.rule})
        pos = end
    parts.append({"type": "text", "text": text[pos:]})
    return parts


def _engines(engines: dict) -> list[dict]:
    out = []
    for name, state in engines.items():
        state = str(state)
        on = state == "on" or state.startswith("on")
        out.append({"name": name, "state": state, "on": on})
    return out


def batch_nav(report_name: str | None) -> dict | None:
    """Links of a report written by ``cleanup batch`` (at ``DIR/<report_name>``): back to
    ``DIR/index.html``, and to the previous and next article of its ranking, which the index
    page resolves (``index.html#go=next&from=<report>``), so a report never goes stale when
    the ranking changes."""
    if not report_name:
        return None
    from urllib.parse import quote

    index = "../" * report_name.count("/") + "index.html"
    here = quote(report_name, safe="/")
    return {"index": index, "prev": f"{index}#go=prev&from={here}", "next": f"{index}#go=next&from={here}"}


def view_model(report: FileReport, rules: dict | None = None, nav: dict | None = None) -> dict:
    """What the template needs: the header figures, the JSON payload, the inlined assets."""
    findings = report.findings
    by_severity = Counter(f.severity.value for f in findings)
    script = _asset("report.js")
    style = _asset("report.css")
    data = report_data(report, rules)
    return {
        "path": display(report.doc.path),
        "version": __version__,
        "words": report.words,
        "count": len(findings),
        "severities": [{"name": s, "symbol": SEVERITY_SYMBOLS[s], "count": by_severity.get(s, 0)} for s in SEVERITIES],
        "by_category": sorted(Counter(f.category for f in findings).items(), key=lambda kv: (-kv[1], kv[0])),
        "per_1k": round(1000 * len(findings) / report.words, 1) if report.words else 0.0,
        "elapsed": round(report.elapsed, 2),
        "engines": _engines(report.engines),
        "changes": sum(1 for f in findings if _applicable(f)),
        "safe": sum(1 for f in findings if f.fixes and f.fixes[0].applicability is Applicability.SAFE),
        "held": held_note(report),  # what the article gate held back (editor.gate), or ''
        "parts": _static_parts(report),
        "items": data["findings"],
        "symbols": SEVERITY_SYMBOLS,
        "data_json": Markup(json_for_script(data)),
        "script": Markup(script),
        "style": Markup(style),
        "csp": csp(script, style),
        "nav": nav,
    }


def render_html(report: FileReport, rules: dict | None = None, batch_report: str | None = None) -> str:
    """The page; ``batch_report``: its path inside a ``cleanup batch`` output folder, for the
    links to the index and the neighbouring articles."""
    return _env().get_template("report.html.j2").render(**view_model(report, rules, batch_nav(batch_report)))
