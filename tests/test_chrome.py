"""Page chrome as one decision (editor/chrome.py): contiguous chrome blocks become one BP100 finding."""

from __future__ import annotations

import pytest

from editor.chrome import regions
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.fixes import apply_fixes

ARTICLE = (
    "Morning swims\n\n"
    "Cold water wakes the body. Most swimmers warm up on land first.\n\n"
    "Share\n\n"
    "Hot Picks\n\n"
    "  • Ten quiet lakes for a summer weekend\n"
    "    1\n"
    "    Ten quiet lakes for a summer weekend\n\n"
    "    Lakes are calmer than the sea, and many of them are warm enough by June to swim in witho\n\n"
    "    June 2, 2024\n"
    "  • How to choose a wetsuit\n"
    "    2\n"
    "    How to choose a wetsuit\n\n"
    "    A wetsuit should fit closely at the neck and the wrists, but it must not stop you from breath\n\n"
    "    May 28, 2024\n\n\n"
)


@pytest.fixture(scope="module")
def checker(nlp):
    from editor.api import get_checker

    return get_checker(select=["BP"])


def test_a_teaser_list_after_the_article_is_one_finding(checker):
    found = checker.detect(ARTICLE, "txt")
    assert [f.rule for f in found] == ["BP100"]
    (f,) = found
    assert ARTICLE[f.span.start:].startswith("Share") and ARTICLE[:f.span.end].endswith("May 28, 2024")
    assert "Share" in f.message and "Hot Picks" in f.message and "How to choose a wetsuit" in f.message
    assert "lines 5–" in f.message and f.applicability is Applicability.UNSAFE
    fixed = apply_fixes(ARTICLE, [f.fixes[0]]).text
    # the article stays, the chrome goes, and no blank lines are left at the end of the file
    assert fixed == "Morning swims\n\nCold water wakes the body. Most swimmers warm up on land first.\n"


def test_a_lone_chrome_block_inside_the_article_keeps_its_own_rule(checker):
    text = "The pool opens at six.\n\nShare\n\nLanes are booked by the hour.\n"
    found = checker.detect(text, "txt")
    assert [f.rule for f in found] == ["BP101"]
    assert apply_fixes(text, [found[0].fixes[0]]).text == "The pool opens at six.\n\nLanes are booked by the hour.\n"


def _finding(text: str, phrase: str, rule: str, nth: int = 0) -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    end = start + len(phrase)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end) + 1 or len(text)
    fix = Fix((Edit(Span(line_start, line_end), ""),), Applicability.UNSAFE)
    return Finding(rule, "boilerplate", Severity.WARNING, "m", Span(start, end), (fix,))


def test_regions_are_split_by_prose_and_other_findings_are_kept():
    text = "Share\r\n\r\nIt rained.\r\n\r\nLike 12\r\n\r\nicon\r\n\r\nThe end came late.\r\n"
    share = _finding(text, "Share", "BP101")
    like = _finding(text, "Like 12", "BP101")
    icon = _finding(text, "icon", "BP101")
    other = Finding("MT305", "structure", Severity.ERROR, "m", Span(10, 13))
    out = regions([share, like, icon, other], text)
    assert [f.rule for f in out] == ["BP101", "MT305", "BP100"]
    region = out[2]
    assert (region.span.start, region.span.end) == (text.index("Like"), text.index("icon") + 4)
    fixed = apply_fixes(text, [region.fixes[0]]).text
    assert fixed == "Share\r\n\r\nIt rained.\r\n\r\nThe end came late.\r\n"


def test_a_file_that_is_only_chrome_becomes_empty():
    text = "Share\n\nHot Picks\n\n"
    out = regions([_finding(text, "Share", "BP101"), _finding(text, "Hot Picks", "BP102")], text)
    assert [f.rule for f in out] == ["BP100"]
    assert apply_fixes(text, [out[0].fixes[0]]).text == ""


def test_bp100_is_explained_by_cleanup_rule(monkeypatch, tmp_path):
    from tests.test_cli import run

    monkeypatch.delenv("CLEANUP_RULES", raising=False)
    monkeypatch.chdir(tmp_path)
    r = run("rule", "BP100")
    assert r.code == 0 and "page-chrome-region" in r.out and "editor/chrome.py" in r.out
    assert "BP100-page-chrome-region.yaml" in r.out  # an ordinary rule file


def test_ignoring_bp100_reports_each_block_on_its_own(monkeypatch):
    from editor.api import get_checker

    monkeypatch.delenv("CLEANUP_RULES", raising=False)
    text = "The bridge opens on Monday.\n\nShare to WeChat\n\nHot Picks\n"
    grouped = {f.rule for f in get_checker(select=["BP"]).detect(text, "md")}
    single = {f.rule for f in get_checker(select=["BP"], ignore=["BP100"]).detect(text, "md")}
    assert grouped == {"BP100"} and "BP100" not in single and len(single) >= 2
