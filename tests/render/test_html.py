"""The HTML report: everything escaped, a strict CSP, proposed changes as <del>/<ins>."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from editor.document import SourceDocument
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.pipeline import FileReport
from editor.render.html import render_html, view_model, word_diff

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = (
    "# Title <script>alert(1)</script>\n\n"
    "The pump can not start <img src=x onerror=alert(1)> today.\n"
    "A [click me](javascript:alert(1)) link and <a href=\"javascript:alert(2)\">raw</a>.\n"
    "Entities &amp; &lt;b&gt; &#60;script&#62; stay as written.\n"
    "<iframe src=\"https://evil.example\"></iframe>\n"
)
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "div", "span", "main", "section",
    "p", "del", "ins", "a", "ol", "li", "strong", "small", "q", "code", "details", "summary", "pre",
}


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> TagCollector:
    p = TagCollector()
    p.feed(html)
    p.close()
    return p


def finding(text, needle, repl=None, level=Applicability.SAFE, message="Flagged “{m}”.", rule="ST101"):
    start = text.index(needle)
    span = Span(start, start + len(needle))
    fixes = (Fix((Edit(span, repl),), level, f"replace with {repl}"),) if repl is not None else ()
    return Finding(rule, "grammar", Severity.WARNING, message.replace("{m}", needle), span, fixes,
                   name="can-not-for-cannot")


def hostile_report():
    doc = SourceDocument.from_text(HOSTILE, path="<script>alert('path')</script>.md")
    findings = [
        finding(HOSTILE, "can not", "cannot"),
        finding(HOSTILE, "<img src=x onerror=alert(1)>", "<script>alert(3)</script>", rule="ST104"),
        finding(HOSTILE, "javascript:alert(1)", None, message="Odd link <b>{m}</b>", rule="ST105"),
    ]
    findings.sort(key=Finding.sort_key)
    return FileReport(doc=doc, findings=findings, words=len(HOSTILE.split()))


def test_everything_from_the_article_is_escaped():
    html = render_html(hostile_report())
    parsed = parse(html)
    tags = {t for t, _ in parsed.tags}
    assert tags <= TEMPLATE_TAGS, f"unexpected tags: {tags - TEMPLATE_TAGS}"
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
    for raw in ("<script>", "<img src=x", "<iframe", '<a href="javascript:', "<b>"):
        assert raw not in html
    # shown as text: the reader sees exactly what the article says
    shown = "".join(parsed.text)
    assert "<script>alert(1)</script>" in shown
    assert "<img src=x onerror=alert(1)>" in shown
    assert "[click me](javascript:alert(1))" in shown
    assert "&amp; &lt;b&gt; &#60;script&#62;" in shown  # entities stay as written, not decoded
    assert "&amp;amp;" in html


def test_content_security_policy():
    html = render_html(hostile_report())
    metas = [a for t, a in parse(html).tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1
    csp = metas[0]["content"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp  # falls back to default-src 'none': no script runs
    assert html.index("Content-Security-Policy") < html.index("<body")


def test_proposed_changes_are_del_and_ins():
    html = render_html(hostile_report())
    assert "<del>can not</del><ins>cannot</ins>" in html
    # word-level: only the changed words of a replacement are marked
    assert "&lt;<del>img src=x onerror=</del><ins>script&gt;</ins>alert(<del>1</del><ins>3</ins>)" in html


@pytest.mark.parametrize("old, new", [("very very hot", "very hot"), ("can not", "cannot"), ("a b c", "a x c"),
                                      ("中文 😀 x", "中文 y"), ("", "")])
def test_word_diff_rebuilds_both_texts(old, new):
    ops = word_diff(old, new)
    assert "".join(t for op, t in ops if op != "insert") == old
    assert "".join(t for op, t in ops if op != "delete") == new


def test_word_diff():
    assert word_diff("can not", "cannot") == [("delete", "can not"), ("insert", "cannot")]
    assert word_diff("", "x") == [("insert", "x")]


def test_view_model_lists_every_finding_and_skips_overlaps_inline():
    text = "It was very very cold."
    a = finding(text, "very very", "very")
    b = finding(text, "very cold", None, rule="ST999")  # overlaps a: listed, not drawn inline
    vm = view_model(FileReport(doc=SourceDocument.from_text(text), findings=[a, b], words=5))
    assert [f["rule"] for f in vm["findings"]] == ["ST101", "ST999"]
    assert [p["type"] for p in vm["parts"]] == ["text", "change", "text"]
    assert "".join(p.get("text", "") if p["type"] == "text" else "".join(t for op, t in p["diff"] if op != "insert")
                   for p in vm["parts"]) == text
    assert vm["findings"][1]["line"] == 1 and vm["findings"][1]["column"] == 13
    assert "+It was very cold." in vm["fixed_unified"]


def test_display_only_fixes_are_not_in_the_unified_diff():
    text = "It was very very cold."
    a = finding(text, "very very", "very", level=Applicability.DISPLAY_ONLY)
    vm = view_model(FileReport(doc=SourceDocument.from_text(text), findings=[a], words=5))
    assert vm["fixed_unified"] == ""


def test_report_written_by_the_cli(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from editor.cli import main

    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules" / "starter", folder / "starter")
    shutil.copytree(ROOT / "rules" / "lists", folder / "lists")
    monkeypatch.setenv("CLEANUP_RULES", str(folder))
    monkeypatch.chdir(tmp_path)
    Path("a.md").write_text(HOSTILE)
    with CliRunner().isolation():
        with pytest.raises(SystemExit):
            main(["a.md"])
    html = Path("a.md.cleanup.html").read_text()
    assert "Content-Security-Policy" in html
    assert "<del>can not</del><ins>cannot</ins>" in html
    tags = {t for t, _ in parse(html).tags}
    assert tags <= TEMPLATE_TAGS
