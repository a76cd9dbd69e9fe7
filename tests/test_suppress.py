"""Suppression comments: blocks, next-line, rule lists, code blocks, unused ones (library and CLI)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from editor.findings import Finding, Severity, Span
from editor.fixes import apply_fixes
from editor.suppress import apply_suppressions, parse_directives
from tests.test_cli import run, write

BAD = "The pump can not start."  # ST101 at column 10


pytestmark = pytest.mark.usefixtures("starter_env")


def at(text: str, needle: str, rule: str = "MT301", nth: int = 0) -> Finding:
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return Finding(rule, "grammar", Severity.WARNING, "m", Span(i, i + len(needle)))


def kept(text, findings, **kw):
    return [(f.rule, text[f.span.start:f.span.end]) for f in apply_suppressions(findings, text, "md", **kw)]


def test_block_with_rule_list():
    text = "alpha one.\n\n<!-- cleanup-disable MT301, MT2 -->\nalpha two beta.\n<!-- cleanup-enable -->\nalpha three.\n"
    fs = [at(text, "alpha", nth=0), at(text, "alpha", nth=1), at(text, "beta", "MT201"),
          at(text, "two", "ST101"), at(text, "alpha", nth=2)]
    assert kept(text, fs) == [("MT301", "alpha"), ("ST101", "two"), ("MT301", "alpha")]


def test_block_without_list_covers_every_rule_to_the_end():
    text = "one x.\n<!-- cleanup-disable -->\ntwo x.\n\nthree x.\n"
    fs = [at(text, "x", nth=0), at(text, "x", "ST101", nth=1), at(text, "x", "HARPER/Spelling", nth=2)]
    assert kept(text, fs) == [("MT301", "x")]


def test_prefix_and_enable_of_named_rules():
    text = "<!-- cleanup-disable MT3 -->\nzz b\n<!-- cleanup-enable MT3 -->\nzz b\n"
    fs = [at(text, "zz", "MT301", nth=0), at(text, "zz", "MT301", nth=1)]
    assert kept(text, fs) == [("MT301", "zz")]
    assert apply_suppressions(fs, text)[0].span.start > text.index("enable")


def test_disable_next_line_skips_blank_lines_and_covers_one_line():
    text = "<!-- cleanup-disable-next-line MT301 -->\n\nfirst line x\nsecond line x\n"
    fs = [at(text, "x", nth=0), at(text, "x", nth=1), at(text, "line", "ST101")]
    assert kept(text, fs) == [("MT301", "x"), ("ST101", "line")]


def test_disable_next_line_without_list():
    text = "<!-- cleanup-disable-next-line -->\nfirst zz\n"
    assert kept(text, [at(text, "zz"), at(text, "first", "ST101")]) == []


def test_a_finding_before_the_comment_on_the_same_line_is_kept():
    text = "x here <!-- cleanup-disable --> x there\n"
    fs = [at(text, "x", nth=0), at(text, "x", nth=1)]
    assert kept(text, fs) == [("MT301", "x")]


def test_directives_in_code_blocks_do_not_count():
    text = "```html\n<!-- cleanup-disable -->\n```\n\nx here\n"
    assert parse_directives(text, "md") == []
    assert kept(text, [at(text, "x")]) == [("MT301", "x")]
    # in a plain-text file there are no code blocks
    assert len(parse_directives(text, "txt")) == 1


def test_unused_directives_become_cu001_with_a_safe_deleting_fix():
    text = "Intro.\n<!-- cleanup-disable-next-line MT301 -->\nnothing here\n<!-- cleanup-disable ST1 -->\nzz\n"
    fs = [at(text, "zz", "ST101")]
    out = apply_suppressions(fs, text, "md", report_unused=True)
    assert [f.rule for f in out] == ["CU001"]
    f = out[0]
    assert text[f.span.start:f.span.end] == "<!-- cleanup-disable-next-line MT301 -->"
    assert "MT301" in f.message and f.fixes[0].applicability.value == "safe"
    fixed = apply_fixes(text, [f.fixes[0]]).text
    assert fixed == "Intro.\nnothing here\n<!-- cleanup-disable ST1 -->\nzz\n"
    # without the flag nothing is added
    assert apply_suppressions(fs, text, "md") == []


def test_prose_mentioning_the_syntax_is_not_a_directive():
    text = "Write <!-- cleanup-disable some words here --> like that.\n"
    assert parse_directives(text) == []


# --------------------------------------------------------------------------------------------
# the command line


def test_cli_suppression_and_unused_report():
    write("a.md", f"<!-- cleanup-disable-next-line ST101 -->\n{BAD}\n\n{BAD}\n\n<!-- cleanup-disable ST102 -->\nFine.\n")
    r = run("check", "a.md")
    assert r.code == 1, r
    assert "a.md:4:10: ST101" in r.out and "a.md:2:" not in r.out, r
    r = run("check", "a.md", "--report-unused-suppressions")
    assert "a.md:6:1: CU001 [warning]" in r.out, r
    assert r.out.count("CU001") == 1
    r = run("check", "a.md", "--report-unused-suppressions", "--ignore", "CU001")
    assert "CU001" not in r.out, r


def test_cli_all_suppressed_exits_0():
    write("a.md", f"<!-- cleanup-disable -->\n{BAD}\n")
    assert run("check", "a.md").code == 0


def test_fix_does_not_touch_suppressed_text():
    text = f"<!-- cleanup-disable-next-line -->\n{BAD}\n\n{BAD}\n"
    write("a.md", text)
    run("a.md", "--fix", "--no-report")
    assert Path("a.md").read_text() == f"<!-- cleanup-disable-next-line -->\n{BAD}\n\nThe pump cannot start.\n"


def test_suppression_in_a_git_repository_keeps_working_after_edits(tmp_path):
    """A real repository: the suppression follows the text when lines are added above it."""
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", "."], check=True)
    write("a.md", f"<!-- cleanup-disable-next-line ST101 -->\n{BAD}\n")
    subprocess.run(git + ["add", "a.md"], check=True)
    subprocess.run(git + ["commit", "-qm", "one"], check=True)
    assert run("check", "a.md").code == 0
    Path("a.md").write_text("# Title\n\nNew intro.\n\n" + Path("a.md").read_text())
    assert run("check", "a.md").code == 0
    assert run("check", "a.md", "--diff-base", "HEAD").code == 0
