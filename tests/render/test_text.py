"""Terminal output: path:line:col, code, message and the suggestion; colour only when asked."""

from __future__ import annotations

from editor.document import SourceDocument
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.pipeline import FileReport
from editor.render.text import render_finding, render_text


def report_for(text, *findings):
    return FileReport(doc=SourceDocument.from_text(text, path="a.md"), findings=list(findings))


def finding(start, end, *fixes, severity=Severity.WARNING, rule="ST101"):
    return Finding(rule, "grammar", severity, "Write it as one word.", Span(start, end), tuple(fixes))


def fix(start, end, repl, level=Applicability.SAFE):
    return Fix((Edit(Span(start, end), repl),), level)


def test_finding_with_a_suggestion():
    text = "😀 line one\r\nThe pump can not start."
    i = text.index("can not")
    f = finding(i, i + 7, fix(i, i + 7, "cannot"))
    out = render_finding("a.md", f, report_for(text, f), color=False)
    assert out.splitlines() == [
        "a.md:2:10: ST101 [warning] Write it as one word.",
        "    suggestion (safe): “can not” → “cannot”",
    ]


def test_finding_without_a_fix_shows_the_text():
    text = "The pump can\nnot start."
    f = finding(9, 16, severity=Severity.INFO)
    out = render_finding("a.md", f, report_for(text, f), color=False)
    assert out.splitlines()[1] == "    at: “can⏎not”"
    assert "[info]" in out


def test_deletion_and_more_suggestions():
    text = "It was very very cold."
    f = finding(11, 16, fix(11, 16, "", Applicability.UNSAFE), fix(11, 16, "so"))
    assert text[11:16] == " very"
    out = render_finding("a.md", f, report_for(text, f), color=False)
    assert "suggestion (unsafe): delete “ very”" in out and "(+1 more)" in out


def test_long_text_is_shortened():
    text = "x" * 200
    f = finding(0, 200)
    out = render_finding("a.md", f, report_for(text, f), color=False)
    assert "…" in out and len(out.splitlines()[1]) < 80


def test_colour_only_when_asked():
    text = "The pump can not start."
    f = finding(9, 16, fix(9, 16, "cannot"))
    r = report_for(text, f)
    assert "\x1b[" not in render_finding("a.md", f, r, color=False)
    coloured = render_finding("a.md", f, r, color=True)
    assert "\x1b[" in coloured and "ST101" in coloured


def test_render_text_uses_the_final_findings():
    text = "The pump can not start."
    f = finding(9, 16, fix(9, 16, "cannot"))
    r = report_for(text, f)
    assert len(render_text("a.md", r, False)) == 1
    r.remaining = []
    assert render_text("a.md", r, False) == []


def test_findings_left_after_fixes_point_into_the_fixed_text():
    text = "The pump can not start.\nIt goes slow."
    fixed = "The pump cannot start.\nIt goes slow."
    i = fixed.index("slow")
    rest = finding(i, i + 4, severity=Severity.INFO, rule="ST102")
    report = report_for(text, finding(9, 16))
    report.fixed_text, report.remaining, report.fixes_applied = fixed, [rest], 1
    [out] = render_text("a.md", report, color=False)
    assert out.splitlines() == ["a.md:2:9: ST102 [info] Write it as one word.", "    at: “slow”"]
