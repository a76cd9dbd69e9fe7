"""GitHub Actions workflow commands: one annotation per finding, then a one-line summary.

    ::warning file=docs/a.md,line=4,col=17,endLine=4,endColumn=33,title=MT201::message

Escaping follows the workflow-command syntax (the runner's ``toolkit/command``): in the message
(data) ``%`` → ``%25``, CR → ``%0D``, LF → ``%0A``; in property values also ``:`` → ``%3A`` and
``,`` → ``%2C``. Severities: error → ``error``, warning → ``warning``, info → ``notice``.
Lines and columns are 1-based, columns count code points, ``endColumn`` is exclusive (as in the
JSON output). GitHub shows a limited number of annotations per step (10 of each kind per step,
50 per job at the time of writing): the summary line and SARIF upload (docs/ci.md) cover the rest.
"""

from __future__ import annotations

from collections import Counter

from editor.findings import Finding
from editor.paths import display
from editor.pipeline import FileReport
from editor.render.model import message_with_suggestion

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def _path(path: str) -> str:
    p = display(path.replace("\\", "/"))
    while p.startswith("./"):
        p = p[2:]
    return p


def _command(kind: str, message: str, **props) -> str:
    parts = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind}{' ' + parts if parts else ''}::{escape_data(message)}"


def finding_command(path: str, f: Finding, report: FileReport) -> str:
    lines = report.final_lines
    span = f.extent  # what the fixes rewrite: the suggestion replaces exactly this
    line, col = lines.position(span.start)
    end_line, end_col = lines.position(span.end)
    return _command(LEVEL[f.severity.value], message_with_suggestion(f, report.final_text), file=_path(path),
                    line=line, col=col, endLine=end_line, endColumn=end_col, title=f.rule)


def summary_line(findings: list[Finding], checked: int, errors: int) -> str:
    by = Counter(f.severity.value for f in findings)
    n = len(findings)
    detail = ", ".join(f"{by[s]} {s}" for s in ("error", "warning", "info") if by[s])
    out = f"cleanup: {n} finding{'s' if n != 1 else ''}" + (f" ({detail})" if detail else "")
    out += f" in {checked} file{'s' if checked != 1 else ''}"
    if errors:
        out += f"; {errors} file{'s' if errors != 1 else ''} could not be checked"
    return out + "."


def render_github(entries: list) -> list[str]:
    """``entries`` are (path as given, FileReport | None, error message | None), as for JSON."""
    out: list[str] = []
    findings: list[Finding] = []
    checked = errors = 0
    for path, report, error in entries:
        if error is not None:
            errors += 1
            out.append(_command("error", error, file=_path(path), title="cleanup"))
        if report is not None:
            checked += 1
            fs = report.final_findings
            findings.extend(fs)
            out.extend(finding_command(path, f, report) for f in fs)
    out.append(summary_line(findings, checked, errors))
    return out


__all__ = ["render_github", "escape_data", "escape_property", "summary_line"]
