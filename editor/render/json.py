"""The JSON contract (version 1): see README, "JSON output"."""

from __future__ import annotations

import json

from editor.paths import display
from editor.render.model import finding_dict, shown_held, summary


def render_json(entries: list) -> str:
    """``entries`` are (path as given, FileReport | None, error message | None)."""
    files = []
    all_findings = []
    errors = 0
    words = 0
    for path, report, error in entries:
        item: dict = {"path": display(path), "findings": []}
        if error is not None:
            item["error"] = error
            errors += 1
        if report is not None:
            fs = report.final_findings
            item["findings"] = [finding_dict(f, report, final=True) for f in fs]
            item["words"] = report.words
            held = shown_held(report)
            if held is not None:
                item["held_back"] = held.as_dict()  # editor.gate: not shown, not counted
            if report.fixed_text is not None:
                item["fixes_applied"] = report.fixes_applied
                loop = getattr(report, "fix_loop", None)
                if loop is not None and (loop.skipped or not loop.converged):  # what --fix did not do
                    item["fixes_skipped"] = [{"reason": s.reason, "title": s.fix.title} for s in loop.skipped]
                    item["fix_converged"] = loop.converged
                    item["fix_rounds"] = loop.rounds
            all_findings.extend(fs)
            words += report.words
        files.append(item)
    return json.dumps(
        {"version": 1, "files": files, "summary": summary(all_findings, len(files), errors, words)},
        ensure_ascii=False,
        indent=2,
    )
