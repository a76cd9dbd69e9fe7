"""The HTML report: everything escaped, a strict CSP, proposed changes as <del>/<ins>."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import copy_starter_rules

from editor.document import SourceDocument
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.pipeline import FileReport
from editor.document import content_hash
from editor.render.html import json_for_script, render_html, report_data, view_model, word_diff
from editor.render.model import finding_dict

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
    "p", "del", "ins", "a", "ol", "li", "strong", "small", "q", "code", "details", "summary", "pre", "nav", "button",
    "dl", "dt", "dd", "kbd", "noscript", "mark", "sup", "footer", "script", "select", "label", "textarea", "input",
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


def payload(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert m, "no JSON block"
    assert "<" not in m[1] and ">" not in m[1] and "&" not in m[1]
    return json.loads(m[1])


def test_everything_from_the_article_is_escaped():
    html = render_html(hostile_report())
    parsed = parse(html)
    tags = {t for t, _ in parsed.tags}
    assert tags <= TEMPLATE_TAGS, f"unexpected tags: {tags - TEMPLATE_TAGS}"
    assert "img" not in tags and "iframe" not in tags
    scripts = [a for t, a in parsed.tags if t == "script"]
    assert scripts == [{"type": "application/json", "id": "report-data"}, {}]  # ours, and only ours
    assert html.count("<script") == 2 and html.count("</script>") == 2
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert "javascript:" not in (value or "").lower(), (tag, name, value)
    for raw in ("<script>alert", "<img src=x", "<iframe", '<a href="javascript:', "<b>"):
        assert raw not in html
    # shown as text (in the no-script fallback): the reader sees exactly what the article says
    shown = "".join(parsed.text)
    assert "<script>alert(1)</script>" in shown
    assert "[click me](javascript:alert(1))" in shown
    assert "&amp; &lt;b&gt; &#60;script&#62;" in shown  # entities stay as written, not decoded
    assert "&amp;amp;" in html
    # and the page's data carries the article exactly
    data = payload(html)
    assert data["text"] == HOSTILE
    assert data["path"] == "<script>alert('path')</script>.md"
    assert [f["message"] for f in data["findings"]][-1] == "Odd link <b>javascript:alert(1)</b>"


def test_json_block_cannot_be_closed_by_article_text():
    text = "a </script><script>alert(1)</script> b <!-- c --> </SCRIPT > & \u2028 \u2028 d"
    html = render_html(FileReport(doc=SourceDocument.from_text(text), findings=[], words=9))
    assert payload(html)["text"] == text
    assert json_for_script("</script><!--") == '"\\u003c/script\\u003e\\u003c!--"'


def test_content_security_policy():
    html = render_html(hostile_report())
    metas = [a for t, a in parse(html).tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1
    policy = dict((d.strip().split(" ", 1) + [""])[:2] for d in metas[0]["content"].split(";") if d.strip())
    assert policy["default-src"] == "'none'" and policy["connect-src"] == "'none'"
    assert policy["form-action"] == "'none'" and policy["base-uri"] == "'none'"
    assert policy["require-trusted-types-for"] == "'script'"
    assert "unsafe" not in metas[0]["content"]
    # only our own inline script and style, by hash
    script = re.search(r"<script>(.*?)</script>", html, re.S)[1]
    style = re.search(r"<style>(.*?)</style>", html, re.S)[1]
    digest = lambda s: "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
    assert policy["script-src"] == digest(script)
    assert policy["style-src"] == digest(style)
    assert html.index("Content-Security-Policy") < html.index("<style")


def test_page_script_never_writes_html():
    js = (ROOT / "editor" / "render" / "templates" / "report.js").read_text()
    js = re.sub(r"/\*.*?\*/", "", js, flags=re.S)
    js = re.sub(r"^\s*//.*$", "", js, flags=re.M)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "setTimeout(\"", "DOMParser", "createContextualFragment", "srcdoc"):
        assert sink not in js, sink


def test_inlined_assets_cannot_end_their_element(monkeypatch):
    from editor.render import html as mod

    class Loader:
        def get_source(self, env, name):
            return ("x = '</script>'", name, lambda: True)

    mod._asset.cache_clear()
    monkeypatch.setattr(mod._env(), "loader", Loader())
    try:
        with pytest.raises(ValueError, match="must not contain"):
            mod._asset("report.js")
    finally:
        mod._asset.cache_clear()


def test_no_script_fallback_shows_changes_as_del_and_ins():
    html = render_html(hostile_report())
    assert "<del>can not</del><ins>cannot</ins>" in html
    # word-level: only the changed words of a replacement are marked
    assert "&lt;<del>img src=x onerror=</del><ins>script&gt;</ins>alert(<del>1</del><ins>3</ins>)" in html


def test_report_data_is_the_one_finding_shape_plus_diffs():
    text = "It was very very cold 😀 and can not stop."
    a = finding(text, "very very", "very")
    start = text.index("can not")
    two = Finding("ST102", "grammar", Severity.ERROR, "m", Span(start, start + 7), (
        Fix((Edit(Span(start, start + 7), "cannot"),), Applicability.SAFE, "one word"),
        Fix((Edit(Span(start + 3, start + 4), ""), Edit(Span(start + 7, start + 7), " be")), Applicability.UNSAFE, "two edits"),
    ))
    report = FileReport(doc=SourceDocument.from_text(text, path="x/y.md"), findings=[a, two], words=9)
    data = report_data(report)
    assert data["name"] == "y.md" and data["text"] == text and data["hash"] == content_hash(text)
    for i, (f, d) in enumerate(zip(report.findings, data["findings"])):
        want = finding_dict(f, report)
        assert {k: d[k] for k in want} == want
        assert d["id"] == i
        s, e = d["range"]
        for fx, ops in zip(f.fixes, d["diffs"]):
            assert "".join(t for op, t in ops if op != "+") == text[s:e]
            assert "".join(t for op, t in ops if op != "-") == fx.replacement_text(text, Span(s, e))
    assert data["findings"][1]["range"] == [start, start + 7]
    assert data["findings"][1]["replacements"] == ["cannot", "cannot be"]


def test_header_figures():
    text = "One two three four. Five can not six."
    report = FileReport(doc=SourceDocument.from_text(text, path="a.md"), findings=[finding(text, "can not", "cannot")],
                        words=8, elapsed=1.234, engines={"cleanup": "on", "languagetool": "off (not configured)"})
    html = render_html(report)
    assert '<dd id="stat-words">8</dd>' in html
    assert "1 <small>(125.0 per 1,000 words)</small>" in html
    assert "warning: 1" in html and "grammar: 1" in html
    assert "cleanup: on" in html and "languagetool: off (not configured)" in html
    assert '<dd id="stat-time">1.23 s</dd>' in html
    assert "1 proposed, 1 safe" in html


def test_renders_from_the_view_model_only(tmp_path):
    # the path does not exist: nothing is read from disk
    text = "Hello can not world.\r\n"
    doc = SourceDocument.from_text(text, path=str(tmp_path / "missing.md"))
    doc.bom = True
    data = payload(render_html(FileReport(doc=doc, findings=[finding(text, "can not", "cannot")], words=4)))
    assert data["bom"] is True and data["text"] == text and data["fmt"] == "md"


@pytest.mark.parametrize("old, new", [("very very hot", "very hot"), ("can not", "cannot"), ("a b c", "a x c"),
                                      ("中文 😀 x", "中文 y"), ("", "")])
def test_word_diff_rebuilds_both_texts(old, new):
    ops = word_diff(old, new)
    assert "".join(t for op, t in ops if op != "insert") == old
    assert "".join(t for op, t in ops if op != "delete") == new


def test_word_diff():
    assert word_diff("can not", "cannot") == [("delete", "can not"), ("insert", "cannot")]
    assert word_diff("", "x") == [("insert", "x")]


def test_no_script_fallback_skips_overlaps_inline():
    text = "It was very very cold."
    a = finding(text, "very very", "very")
    b = finding(text, "very cold", None, rule="ST999")  # overlaps a: listed, not drawn inline
    vm = view_model(FileReport(doc=SourceDocument.from_text(text), findings=[a, b], words=5))
    assert [p["type"] for p in vm["parts"]] == ["text", "change", "text"]
    assert "".join(p.get("text", "") if p["type"] == "text" else "".join(t for op, t in p["diff"] if op != "insert")
                   for p in vm["parts"]) == text
    assert vm["count"] == 2 and vm["changes"] == 1


def test_report_written_by_the_cli(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from editor.cli import main

    folder = tmp_path / "rules"
    copy_starter_rules(folder)
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


def test_a_5000_word_report_stays_well_under_a_megabyte():
    """A dense synthetic report (300 findings with two alternatives each, every rule documented);
    the real figure for a real article is measured by benchmarks/report.py."""
    from types import SimpleNamespace

    sentence = "The swimmers is also need to rest after every long lap in the cold morning pool. "
    text = "".join(sentence + ("\n\n" if i % 5 == 4 else "") for i in range(320))
    assert len(text.split()) >= 5000
    findings = []
    pos = 0
    for i in range(300):
        start = text.index("is also need to", pos)
        span = Span(start, start + len("is also need to"))
        findings.append(Finding(f"MT{200 + i % 40}", "grammar", Severity.ERROR, "A doubled verb group: “is also need to”.",
                                span, (Fix((Edit(span, "also needs to"),), Applicability.UNSAFE, "replace with “also needs to”"),
                                       Fix((Edit(span, "must also"),), Applicability.UNSAFE, "replace with “must also”")),
                                name="be-plus-bare-verb"))
        pos = span.end
    docs = {"what": "A bare verb after a form of be. " * 4, "why": "Machine translation keeps 也需要 word for word. " * 4,
            "fix": "Keep one finite verb. " * 4}
    rules = {f"MT{200 + i}": SimpleNamespace(docs=docs) for i in range(40)}
    report = FileReport(doc=SourceDocument.from_text(text, path="long.md"), findings=findings,
                        words=len(text.split()), elapsed=3.2)
    html = render_html(report, rules)
    size = len(html.encode("utf-8"))
    assert size < 1_000_000, size
    data = payload(html)
    assert len(data["findings"]) == 300 and len(data["docs"]) == 40

