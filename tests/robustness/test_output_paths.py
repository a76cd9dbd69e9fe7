"""Issue 16, points 1 and 11: no output is written over an article, and every article gets its
own report (``cleanup ARTICLE``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.robustness.support import one_error, run
from tests.texts import BAD, GOOD

pytestmark = pytest.mark.usefixtures("starter_env")


def article(name: str = "A.md", text: str = BAD) -> Path:
    p = Path(name)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_report_path_that_is_the_article_is_refused_and_nothing_is_written():
    a = article()
    r = run("A.md", "--report", "A.md")
    assert r.code == 2
    one_error(r, "A.md", "would overwrite the article")
    assert a.read_text(encoding="utf-8") == BAD  # the article is intact (it used to become the report)
    assert r.out == ""  # refused before anything was checked
    assert sorted(os.listdir(".")) == ["A.md"]


@pytest.mark.parametrize("link", ["symlink", "hardlink", "other spelling"])
def test_report_path_that_reaches_the_article_another_way_is_refused(link):
    a = article("sub/A.md")
    if link == "symlink":
        os.symlink("sub/A.md", "R.html")
        target = "R.html"
    elif link == "hardlink":
        os.link("sub/A.md", "R.html")
        target = "R.html"
    else:
        target = "sub/../sub/./A.md"
    r = run("sub/A.md", "--report", target)
    assert r.code == 2
    one_error(r, "would overwrite the article sub/A.md")
    assert a.read_text(encoding="utf-8") == BAD


def test_output_that_is_the_article_is_refused():
    a = article()
    r = run("A.md", "--output", "A.md", "--no-report")
    assert r.code == 2
    one_error(r, "--output would overwrite the article A.md", "--fix")
    assert a.read_text(encoding="utf-8") == BAD


def test_an_article_named_like_a_report_is_not_its_own_report():
    # "page.cleanup.html" used to be given as its own report path, and was overwritten by it
    article("page.cleanup.html", BAD)
    r = run("page.cleanup.html")
    assert r.code == 1, r
    assert Path("page.cleanup.html").read_text(encoding="utf-8") == BAD
    assert Path("page.cleanup.html.cleanup.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_same_file_names_in_different_folders_get_separate_reports():
    article("x/index.md", BAD)
    article("y/index.md", BAD + BAD)
    r = run("x/index.md", "y/index.md", "--report", "reports")
    assert r.code == 1, r
    first = Path("reports/x/index.md.cleanup.html").read_text(encoding="utf-8")
    second = Path("reports/y/index.md.cleanup.html").read_text(encoding="utf-8")
    assert "x/index.md" in first and "y/index.md" in second
    assert sorted(str(p) for p in Path("reports").rglob("*.html")) == [
        "reports/x/index.md.cleanup.html", "reports/y/index.md.cleanup.html"]
    # one article into an existing folder keeps the flat name
    Path("solo").mkdir()
    assert run("x/index.md", "--report", "solo").code == 1
    assert os.listdir("solo") == ["index.md.cleanup.html"]


def test_same_file_names_with_a_configured_report_dir():
    Path("cleanup.toml").write_text('report-dir = "out"\n', encoding="utf-8")
    article("docs/a/intro.md", BAD)
    article("docs/b/intro.md", GOOD)
    r = run("docs/a/intro.md", "docs/b/intro.md")
    assert r.code == 1, r
    assert Path("out/a/intro.md.cleanup.html").is_file() and Path("out/b/intro.md.cleanup.html").is_file()

