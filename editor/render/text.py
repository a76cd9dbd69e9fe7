"""Terminal output: path:line:col, code, message, suggestion; coloured on a terminal."""

from __future__ import annotations

import click

from editor.findings import Finding
from editor.paths import display
from editor.pipeline import FileReport
from editor.render.model import change_phrase, held_note

_SEV_COLOUR = {"error": "red", "warning": "yellow", "info": "blue"}


def _shorten(s: str, n: int = 60) -> str:
    s = s.replace("\n", "⏎")
    return s if len(s) <= n else s[: n - 1] + "…"


def render_finding(path: str, f: Finding, report: FileReport, color: bool) -> str:
    span = f.extent  # what the fixes rewrite: the suggestion replaces exactly this
    line, col = report.final_lines.position(span.start)
    text = report.final_text
    path = display(path)
    loc = click.style(f"{path}:{line}:{col}:", bold=True) if color else f"{path}:{line}:{col}:"
    code = click.style(f.rule, fg=_SEV_COLOUR[f.severity.value], bold=True) if color else f.rule
    out = f"{loc} {code} [{f.severity.value}] {f.message}"
    if f.fixes:
        fix = f.fixes[0]
        label = fix.applicability.value
        more = f" (+{len(f.fixes) - 1} more)" if len(f.fixes) > 1 else ""
        sugg = f"    suggestion ({label}): {change_phrase(f, fix, text)}{more}"
        out += "\n" + (click.style(sugg, fg="green") if color else sugg)
    else:
        out += f"\n    at: “{_shorten(text[span.start : span.end])}”"
    return out


def render_text(path: str, report: FileReport, color: bool) -> list[str]:
    lines = [render_finding(path, f, report, color) for f in report.final_findings]
    note = held_note(report)
    return lines + ([f"{path}: {note}"] if note else [])
