"""The batch outputs: ranking rows, summary.json/csv, charts, and the safety of index.html."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import re
from contextlib import contextmanager
from pathlib import Path

from editor.batch.index import (
    category_chart,
    error_row,
    histogram,
    nice_step,
    ranked,
    render_index,
    result_row,
    summary_csv,
    totals,
    write_outputs,
)
from editor.batch.runner import BatchOutcome


def f(rule, severity="warning", category="grammar", applicability="safe"):
    return {"rule": rule, "severity": severity, "category": category, "applicability": applicability}


def rows():
    return [
        result_row("lib/clean.md", "reports/clean.md.html", {"words": 500, "title": "Clean", "findings": []}),
        result_row("lib/bad.md", "reports/bad.md.html", {"words": 200, "title": "Bad", "findings": [
            f("MT201", "error"), f("MT201", "error"), f("MT101", "warning", "calque", None), f("ST102", "info", "style")]}),
        result_row("lib/some.md", "reports/some.md.html", {"words": 1000, "title": "Some", "findings": [
            f("MT101", "warning", "calque"), f("MT301", "warning", "structure")]}),
        error_row("lib/broken.txt", None, "not valid UTF-8 (byte 0xff at line 1); convert it to UTF-8"),
    ]


def outcome(tmp_path, rs=None, interrupted=False, total=None):
    rs = rows() if rs is None else rs
    stats = {"executor": "local", "jobs": 1, "checked": len(rs), "from_cache": 0, "elapsed_s": 1.0,
             "started": "2026-01-01T00:00:00Z"}
    return BatchOutcome(rows=rs, total=total or len(rs), interrupted=interrupted, stats=stats, out=tmp_path)


def test_result_row_counts():
    r = rows()[1]
    assert (r["words"], r["findings"], r["per_1k"]) == (200, 4, 20.0)
    assert r["by_severity"] == {"error": 2, "warning": 1, "info": 1}
    assert r["by_category"] == {"grammar": 2, "calque": 1, "style": 1}
    assert r["top_rules"][0] == ["MT201", 2]
    assert r["fixable"] == 3


def test_ranking_errors_first_then_by_findings_per_1000_words():
    order = [(r["path"], r["rank"]) for r in ranked(rows())]
    assert order == [("lib/broken.txt", None), ("lib/bad.md", 1), ("lib/some.md", 2), ("lib/clean.md", 3)]


def test_totals():
    t = totals(rows())
    assert (t["articles"], t["processed"], t["errors"], t["words"], t["findings"]) == (4, 3, 1, 1700, 6)
    assert t["per_1k"] == round(6000 / 1700, 2)
    assert t["by_category"] == {"grammar": 2, "structure": 1, "calque": 2, "style": 1}
    assert t["top_rules"][:2] == [["MT101", 2], ["MT201", 2]]


def test_csv_has_the_same_table_and_defuses_formulas():
    rs = rows() + [result_row("=cmd.md", "reports/=cmd.md.html", {"words": 10, "title": "=HYPERLINK(1)",
                                                                        "findings": []})]
    table = list(csv.DictReader(io.StringIO(summary_csv(rs))))
    assert [t["path"] for t in table][:3] == ["lib/broken.txt", "lib/bad.md", "lib/some.md"]
    bad = table[1]
    assert (bad["rank"], bad["words"], bad["findings"], bad["per_1k"], bad["error"]) == ("1", "200", "4", "20.00", "2")
    assert bad["category_calque"] == "1" and bad["top_rules"].startswith("MT201:2")
    assert table[0]["problem"].startswith("not valid UTF-8") and table[0]["status"] == "error"
    evil = next(t for t in table if "cmd" in t["path"])
    assert evil["title"] == "'=HYPERLINK(1)" and evil["path"] == "'=cmd.md"


def test_histogram_bins_cover_every_value():
    assert nice_step(24) == 2 and nice_step(7.3) == 1 and nice_step(0) == 1
    bins = histogram([0.0, 0.4, 1.0, 9.9, 10.0])
    assert sum(b["count"] for b in bins) == 5
    assert bins[0]["lo"] == 0 and bins[-1]["hi"] >= 10.0
    assert bins[0]["count"] == 2 and bins[-1]["count"] == 1  # [0,1) holds 0.0 and 0.4; the last holds 10.0
    assert histogram([]) == []


def test_category_chart_scales_to_the_largest():
    chart = category_chart({"grammar": 10, "calque": 5})
    a, b = chart["bars"]
    assert a["w"] == 2 * b["w"] and a["label"] == "grammar"


def _script_and_style(html):
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    return script, style


def _sha(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_index_csp_forbids_the_network_and_allows_only_its_own_script_and_style(tmp_path):
    html = render_index(outcome(tmp_path))
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    assert "default-src 'none'" in csp
    script, style = _script_and_style(html)
    assert f"script-src {_sha(script)}" in csp  # the hash is of exactly the inline script
    assert f"style-src {_sha(style)}" in csp
    assert "&lt;" not in script and "&#" not in script  # the script is not escaped into garbage
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html)
    assert not re.search(r"\ssrc=", html)
    assert html.count("<script>") == 1  # one script runs; the rows are an inert JSON data block
    assert html.count('<script type="application/json" id="rows-data">') == 1


def test_index_never_inserts_text_as_html(tmp_path):
    evil = '<img src=x onerror=alert(1)>"&'
    rs = [result_row("lib/x.md", "reports/x.md.html", {"words": 10, "title": evil, "findings": []}),
          error_row('lib/"><script>alert(2)</script>.md', None, "bad <b>thing</b>")]
    html = render_index(outcome(tmp_path, rs))
    assert "<img src=x" not in html and "<script>alert(2)" not in html and "<b>thing" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    script, _ = _script_and_style(html)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in script


def test_index_table_links_and_charts(tmp_path):
    rs = rows() + [result_row("lib/sub dir/é.md", "reports/sub dir/é.md.html", {"words": 10, "title": "", "findings": []})]
    html = render_index(outcome(tmp_path, rs))
    assert '<a href="reports/bad.md.html">lib/bad.md</a>' in html
    assert 'href="reports/sub%20dir/%C3%A9.md.html"' in html
    assert html.count("<tr class=") == len(rs)
    assert 'id="chart-categories"' in html and "<title>calque: 2</title>" in html
    assert 'id="chart-distribution"' in html and "<svg" in html
    for control in ('id="q"', 'id="cat"', 'id="sev"', 'id="min"', 'id="problems"'):
        assert control in html
    data = json.loads(re.search(r'<script type="application/json" id="rows-data">(.*?)</script>', html, re.S).group(1))
    assert data["categories"] == ["grammar", "structure", "calque", "style"]
    bad = next(r for r in data["rows"] if r[1] == "lib/bad.md")
    assert bad[5:12] == ["reports/bad.md.html", 200, 4, 20.0, [2, 1, 1], [2, 0, 1, 1], [["MT201", 2], ["MT101", 1],
                                                                                       ["ST102", 1]]]
    assert bad[12] == 1 and data["rows"][0][12] is None  # ranks; the failed article has none
    assert 'id="interrupted"' not in html and 'id="problems-banner"' in html


def test_interrupted_run_has_a_banner_and_is_not_complete(tmp_path):
    out = outcome(tmp_path, rows()[:2], interrupted=True, total=10)
    write_outputs(out)
    html = (tmp_path / "index.html").read_text()
    assert 'id="interrupted"' in html and "2 of 10 articles finished" in html
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["complete"] is False and summary["finished"] == 2 and summary["articles"] == 10
    assert summary["run"]["interrupted"] is True
    assert (tmp_path / "summary.csv").read_text().count("\n") == 3


def test_write_outputs_writes_all_three(tmp_path):
    write_outputs(outcome(tmp_path))
    summary = json.loads((Path(tmp_path) / "summary.json").read_text())
    assert summary["complete"] is True and summary["totals"]["processed"] == 3
    assert [r["path"] for r in summary["rows"]] == [r["path"] for r in ranked(rows())]


# --------------------------------------------------------------------------------------------
# in a real browser (Debian's chromium through Playwright, as tests/browser does)


@contextmanager
def _index_page(tmp_path):
    """(page, problems) for DIR/index.html in headless Chromium: console errors and warnings, page
    errors and any request that is not a local file end up in ``problems``. Like the report's
    browser tests, these fail (not skip) without Debian's chromium: CI installs it."""
    from playwright import sync_api

    chromium = os.environ.get("CLEANUP_CHROMIUM", "/usr/bin/chromium")
    problems: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: problems.append(f"request {r.url}") if not r.url.startswith("file:") else None)
            page.goto((tmp_path / "index.html").as_uri())
            yield page, problems
        finally:
            browser.close()


def test_index_sorts_and_filters_in_a_browser_without_csp_violations(tmp_path):
    rs = rows() + [result_row("lib/<b>x</b>.md", "reports/x.md.html", {"words": 100, "title": "<i>T</i>",
                                                                        "findings": [f("MT101", "warning", "calque")]})]
    write_outputs(outcome(tmp_path, rs))
    with _index_page(tmp_path) as (page, problems):
        def visible():
            return page.eval_on_selector_all(
                "#ranking tbody tr", "rs => rs.filter(r => !r.hidden).map(r => r.dataset.path)")

        assert visible() == ["lib/broken.txt", "lib/bad.md", "lib/<b>x</b>.md", "lib/some.md", "lib/clean.md"]
        assert page.locator("#ranking tbody tr").nth(2).locator("a").inner_text() == "lib/<b>x</b>.md"
        page.click("th[data-key=words] button")  # numbers sort descending first
        assert visible()[:2] == ["lib/some.md", "lib/clean.md"]
        page.click("th[data-key=words] button")
        assert visible()[0] == "lib/broken.txt" and visible()[-1] == "lib/some.md"
        page.click("th[data-key=path] button")  # text sorts ascending first
        assert visible() == sorted(visible())
        page.fill("#q", "mt201")
        assert visible() == ["lib/bad.md"] and page.inner_text("#shown") == "1"
        page.fill("#q", "")
        page.select_option("#cat", "calque")
        assert sorted(visible()) == ["lib/<b>x</b>.md", "lib/bad.md", "lib/some.md"]
        page.select_option("#cat", "")
        page.select_option("#sev", "error")
        assert visible() == ["lib/bad.md"]
        page.select_option("#sev", "")
        page.fill("#min", "5")
        assert sorted(visible()) == ["lib/<b>x</b>.md", "lib/bad.md"]
        page.fill("#min", "")
        page.check("#problems")
        assert visible() == ["lib/broken.txt"]
        assert page.evaluate("getComputedStyle(document.body).paddingTop") == "24px"  # the style ran
    assert problems == []


def test_a_large_library_is_drawn_in_pages_and_text_stays_text(tmp_path):
    evil = "</script><script>document.title='pwned'</script><!--"
    rs = [result_row(f"lib/a{i:03d}.md", f"reports/a{i:03d}.md.html",
                     {"words": 1000, "title": evil if i == 7 else f"T{i}",
                      "findings": [f("MT201")] * (i % 50)}) for i in range(450)]
    write_outputs(outcome(tmp_path, rs))
    html = (tmp_path / "index.html").read_text()
    assert html.count("<tr class=") == 200  # the first page is in the markup (and works without script)
    with _index_page(tmp_path) as (page, problems):
        page.wait_for_selector("html[data-ready=true]", state="attached")
        count = "document.querySelectorAll('#ranking tbody tr').length"
        assert page.evaluate(count) == 200 and page.inner_text("#shown") == "450"
        assert page.is_visible("#more")
        page.click("#more")
        page.click("#more")
        assert page.evaluate(count) == 450 and page.is_hidden("#more")
        first = page.locator("#ranking tbody tr").first
        assert first.locator("td").first.inner_text() == "1"
        assert first.get_attribute("data-path") == "lib/a049.md"  # 49 findings: the most per 1,000 words
        page.fill("#q", "pwned")
        assert page.evaluate(count) == 1 and page.inner_text("#shown") == "1"
        assert page.locator("#ranking tbody tr .title").inner_text() == evil
        assert page.title().startswith("cleanup batch") and "pwned" not in page.title()
    assert problems == []
