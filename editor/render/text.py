"""Terminal output: path:line:col, code, message, suggestion; coloured on a terminal."""

from __future__ import annotations

import click

from editor.findings import Finding
from editor.paths import display
from editor.pipeline import FileReport

_SEV_COLOUR = {"error": "red", "warning": "yellow", "info": "blue"}


def _shorten(s: str, n: int = 60) -> str:
    s = s.replace("\n", "⏎")
    return s if len(s) <= n else s[: n - 1] + "…"


def render_finding(path: str, f: Finding, report: FileReport, color: bool) -> str:
    line, col = report.final_lines.position(f.span.start)
    text = report.final_text
    path = display(path)
    loc = click.style(f"{path}:{line}:{col}:", bold=True) if color else f"{path}:{line}:{col}:"
    code = click.style(f.rule, fg=_SEV_COLOUR[f.severity.value], bold=True) if color else f.rule
    out = f"{loc} {code} [{f.severity.value}] {f.message}"
    flagged = _shorten(text[f.span.start : f.span.end])
    if f.fixes:
        fix = f.fixes[0]
        repl = _shorten(fix.replacement_text(text, f.span))
        arrow = f"“{flagged}” → “{repl}”" if repl else f"delete “{flagged}”"
        label = fix.applicability.value
        more = f" (+{len(f.fixes) - 1} more)" if len(f.fixes) > 1 else ""
        sugg = f"    suggestion ({label}): {arrow}{more}"
        out += "\n" + (click.style(sugg, fg="green") if color else sugg)
    else:
        out += f"\n    at: “{flagged}”"
    return out


def render_text(path: str, report: FileReport, color: bool) -> list[str]:
    return [render_finding(path, f, report, color) for f in report.final_findings]
