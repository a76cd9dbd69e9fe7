"""SARIF 2.1.0 for code-scanning services (GitHub code scanning, GitLab, Azure DevOps).

One run; ``tool.driver.rules`` holds every rule in the registry plus any code the findings use
that the registry does not know (other engines: HARPER/…, LT/…); each result has its rule, level,
message, one physical location (URI relative to the working folder, ``%SRCROOT%``) and its fixes
as artifact changes. Regions are 1-based lines and columns counted in Unicode code points
(``columnKind: unicodeCodePoints``), end column exclusive, as SARIF defines.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from editor import __version__
from editor.findings import Finding
from editor.pipeline import FileReport
from editor.render.model import change_phrase, message_with_suggestion

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str, base: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        rel = absolute.relative_to(base).as_posix()
    except ValueError:
        rel = Path(os.path.relpath(absolute, base)).as_posix()
    return quote(os.fsencode(rel), safe="/")  # the name's own bytes, even when they are not UTF-8


def _rule_descriptor(code: str, info: dict | None, sample: Finding | None) -> dict:
    if info is None:
        name = (sample.name if sample and sample.name else code)
        desc = {"id": code, "name": _pascal(name),
                "shortDescription": {"text": name if sample is None else f"{name} ({sample.source})"},
                "defaultConfiguration": {"level": LEVEL[sample.severity.value] if sample else "warning"},
                "properties": {"category": sample.category if sample else "", "source": sample.source if sample else ""}}
        return desc
    docs = info.get("docs") or {}
    what, why, fix = docs.get("what", ""), docs.get("why", ""), docs.get("fix", "")
    full = " ".join(x for x in (what, why) if x) or info.get("message", code)
    help_text = "\n\n".join(x for x in (f"What: {what}" if what else "", f"Why: {why}" if why else "",
                                         f"Fix: {fix}" if fix else "") if x) or full
    help_md = "\n\n".join(x for x in (f"**What.** {what}" if what else "", f"**Why.** {why}" if why else "",
                                       f"**Fix.** {fix}" if fix else "") if x) or full
    return {
        "id": code,
        "name": _pascal(info.get("name") or code),
        "shortDescription": {"text": _short(info.get("name") or code, info.get("message", ""))},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_md + f"\n\nRun `cleanup rule {code}` for examples."},
        "defaultConfiguration": {"level": LEVEL.get(info.get("severity", "warning"), "warning"),
                                 "enabled": bool(info.get("default", True))},
        "properties": {k: v for k, v in (("category", info.get("category")),
                                         ("tags", [info["category"]] if info.get("category") else None),
                                         ("fix", info.get("fix", info.get("applicability")))) if v},
    }


def _short(name: str, message: str) -> str:
    msg = message.replace("{match}", "…").strip()
    return f"{name}: {msg}" if msg else name


def _pascal(name: str) -> str:
    parts = [p for p in name.replace("_", "-").replace("/", "-").split("-") if p]
    return "".join(p[:1].upper() + p[1:] for p in parts) or name


def _region(report: FileReport, start: int, end: int) -> dict:
    lines = report.final_lines
    sl, sc = lines.position(start)
    el, ec = lines.position(end)
    return {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec}


def _result(f: Finding, report: FileReport, uri: str, rule_index: dict[str, int]) -> dict:
    text = report.final_text
    location = {"uri": uri, "uriBaseId": "%SRCROOT%"}
    span = f.extent  # the flagged text and everything its fixes edit
    region = _region(report, span.start, span.end)
    region["snippet"] = {"text": text[span.start:span.end]}
    result: dict = {
        "ruleId": f.rule,
        "ruleIndex": rule_index[f.rule],
        "level": LEVEL[f.severity.value],
        "message": {"text": message_with_suggestion(f, text)},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region}}],
        "properties": {"category": f.category, "source": f.source, "sources": list(f.sources or (f.source,))},
    }
    if f.confidence is not None:  # the learned detector's calibrated precision; SARIF's rank is 0-100
        result["properties"]["confidence"] = f.confidence
        result["rank"] = round(f.confidence * 100, 1)
    fixes = []
    for fix in f.fixes:
        if fix.applicability.value == "display-only" or not fix.edits:
            continue
        fixes.append({
            # what a person reads: the reported text before and after; the exact edits follow
            "description": {"text": f"{change_phrase(f, fix, text, width=80)} ({fix.applicability.value})"},
            "artifactChanges": [{
                "artifactLocation": dict(location),
                "replacements": [
                    {"deletedRegion": _region(report, e.span.start, e.span.end),
                     "insertedContent": {"text": e.replacement}}
                    for e in sorted(fix.edits, key=lambda e: e.span.start)
                ],
            }],
        })
    if fixes:
        result["fixes"] = fixes
    return result


def render_sarif(entries: list, rules: dict[str, dict] | None = None, base: str | os.PathLike | None = None) -> str:
    """``entries``: (path as given, FileReport | None, error | None); ``rules``: code → rule
    description (``Rule.describe()`` dicts and the meta rules); ``base``: the folder URIs are
    relative to (default: the working folder)."""
    base_path = Path(os.path.abspath(base or os.getcwd()))
    rules = rules or {}
    samples: dict[str, Finding] = {}
    for _, report, _ in entries:
        if report is not None:
            for f in report.final_findings:
                samples.setdefault(f.rule, f)
    codes = sorted(set(rules) | set(samples))
    descriptors = [_rule_descriptor(c, rules.get(c), samples.get(c)) for c in codes]
    rule_index = {c: i for i, c in enumerate(codes)}
    results = []
    notifications = []
    for path, report, error in entries:
        uri = _uri(path, base_path)
        if error is not None:
            notifications.append({
                "level": "error",
                "message": {"text": error},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}}}],
            })
        if report is not None:
            results.extend(_result(f, report, uri, rule_index) for f in report.final_findings)
    run = {
        "tool": {"driver": {"name": "cleanup", "semanticVersion": __version__, "version": __version__,
                            "rules": descriptors}},
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": base_path.as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, ensure_ascii=False, indent=2)


__all__ = ["render_sarif", "LEVEL"]
