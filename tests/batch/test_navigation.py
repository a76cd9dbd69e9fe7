"""The batch index (issue 13): filter by any rule code, every report links back to the index and
to the previous/next article of the ranking, and page chrome counts once per region."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from editor.batch.index import ranked_count, result_row, write_outputs
from tests.texts import BAD, GOOD, INFO

from .test_cli_batch import run
from .test_index import _index_page, f, outcome


def chrome(text: str, needle: str) -> dict:
    s = text.index(needle)
    return {"rule": "BP101", "category": "boilerplate", "severity": "warning", "applicability": "unsafe",
            "start": s, "end": s + len(needle), "line": text[:s].count("\n") + 1,
            "end_line": text[:s + len(needle)].count("\n") + 1}


ARTICLE = ("Share\n\nWeChat\n\n- Hot Picks\n- 1. Ten tips for swimming\n\nThe swimmers rest after the lap.\n\n"
           "Related articles\n\n## Read more\n")


def test_chrome_counts_once_per_region():
    fs = [chrome(ARTICLE, n) for n in ("Share", "WeChat", "Hot Picks", "Ten tips for swimming",
                                        "Related articles", "Read more")]
    other = {"rule": "MT201", "category": "grammar", "severity": "error", "start": 60, "end": 70, "line": 8}
    # two regions (the prose paragraph splits them) and one finding that is not chrome
    assert ranked_count(fs + [other], ARTICLE) == 3
    # the same when a rule reports each region as one finding
    whole = [dict(chrome(ARTICLE, "Share"), end=ARTICLE.index("swimming") + 8),
             dict(chrome(ARTICLE, "Related articles"), end=len(ARTICLE) - 1)]
    assert ranked_count(whole + [other], ARTICLE) == 3
    # without the text (an old cache): findings on the same or the next line join
    assert ranked_count([chrome(ARTICLE, "Share"), chrome(ARTICLE, "Related articles")], None) == 2
    row = result_row("a.md", "reports/a.md.html", {"words": 100, "findings": fs + [other]}, ARTICLE)
    assert (row["findings"], row["ranked_findings"], row["per_1k"]) == (7, 3, 30.0)


def test_chrome_heavy_article_ranks_below_a_garbled_one():
    text = ARTICLE
    chrome_heavy = result_row("chrome.md", "reports/chrome.md.html", {"words": 100, "findings": [
        chrome(text, n) for n in ("Share", "WeChat", "Hot Picks", "Ten tips for swimming")]}, text)
    garbled = result_row("garbled.md", "reports/garbled.md.html", {"words": 100, "findings": [
        f("MT201"), f("MT301")]}, "x" * 100)
    from editor.batch.index import ranked

    assert [r["path"] for r in ranked([chrome_heavy, garbled])] == ["garbled.md", "chrome.md"]


def test_index_filters_by_any_rule_code(tmp_path):
    many = [f(code) for code in ("MT101", "MT102", "MT103", "MT104", "MT105", "MT106")] + [f("MT101")]
    rs = [result_row("lib/many.md", "reports/many.md.html", {"words": 100, "title": "", "findings": many}),
          result_row("lib/one.md", "reports/one.md.html", {"words": 100, "title": "", "findings": [f("MT106")]}),
          result_row("lib/none.md", "reports/none.md.html", {"words": 100, "title": "", "findings": [f("MT101")]})]
    assert "MT106" not in [c for c, _ in rs[0]["top_rules"]]  # beyond the top five of that article
    write_outputs(outcome(tmp_path, rs))
    with _index_page(tmp_path) as (page, problems):
        codes = page.eval_on_selector_all("#rule option", "os => os.map(o => o.value)")
        assert codes == ["", "MT101", "MT102", "MT103", "MT104", "MT105", "MT106"]
        page.select_option("#rule", "MT106")
        shown = page.eval_on_selector_all("#ranking tbody tr", "rs => rs.map(r => r.dataset.path)")
        assert sorted(shown) == ["lib/many.md", "lib/one.md"]
        page.select_option("#rule", "")
        page.fill("#q", "mt106")  # the search box knows every code too
        assert page.inner_text("#shown") == "2"
    assert problems == []


@pytest.mark.usefixtures("starter_env")
def test_reports_link_to_the_index_and_the_neighbours_in_the_ranking():
    lib = Path("lib")
    (lib / "deep").mkdir(parents=True)
    (lib / "a.md").write_text(BAD + BAD + INFO, encoding="utf-8")  # worst first
    (lib / "deep" / "b c.md").write_text(BAD + GOOD, encoding="utf-8")
    (lib / "z.txt").write_text(GOOD, encoding="utf-8")  # clean: last
    code, _, err = run("batch", "lib", "--out", "out", "--jobs", "1", "--quiet")
    assert code == 0, err
    out = Path("out").resolve()
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CLEANUP_CHROMIUM", "/usr/bin/chromium"),
                                    headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto((out / "reports" / "a.md.html").as_uri())
            page.click("#nav-next")
            expect(page).to_have_url((out / "reports" / "deep" / "b c.md.html").as_uri())
            page.click("#nav-next")
            expect(page).to_have_url((out / "reports" / "z.txt.html").as_uri())
            page.click("#nav-prev")
            expect(page).to_have_url((out / "reports" / "deep" / "b c.md.html").as_uri())
            page.click("#nav-index")
            expect(page).to_have_url((out / "index.html").as_uri())
            page.goto((out / "reports" / "z.txt.html").as_uri())
            page.click("#nav-next")  # the last one: the index says so
            expect(page.locator("#nav-note")).to_have_text("That was the last article of the ranking.")
        finally:
            browser.close()
