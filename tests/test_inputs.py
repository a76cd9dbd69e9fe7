"""``-`` reads the article from standard input, in every output format, named by --stdin-filename."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from editor.cli import main

from .test_cli import BAD, GOOD, Result, write

pytestmark = pytest.mark.usefixtures("starter_env")

CODE = "Use `can not` in code.\n"  # Markdown masks inline code; plain text does not


def run_stdin(data: bytes | str, *args) -> Result:
    runner = CliRunner()
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with runner.isolation(input=raw) as (out, err, _):
        try:
            main(list(args))
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return Result(code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace"))


def test_check_reads_stdin():
    r = run_stdin(BAD, "check", "-")
    assert r.code == 1, r
    assert r.out.startswith("-:1:10: ST101")


@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_every_format_names_the_stdin_filename(fmt):
    r = run_stdin(BAD, "check", "-", "--stdin-filename", "docs/story.md", "--format", fmt)
    assert r.code == 1, r
    if fmt == "json":
        data = json.loads(r.out)
        assert [f["path"] for f in data["files"]] == ["docs/story.md"]
        assert data["files"][0]["findings"][0]["rule"] == "ST101"
    elif fmt == "github":
        assert r.out.startswith("::warning file=docs/story.md,line=1,")
    else:
        result = json.loads(r.out)["runs"][0]["results"][0]
        assert result["ruleId"] == "ST101"
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("docs/story.md")


def test_the_stdin_filename_decides_the_format():
    assert run_stdin(CODE, "check", "-").code == 0  # Markdown by default: inline code is masked
    assert run_stdin(CODE, "check", "-", "--stdin-filename", "a.md").code == 0
    r = run_stdin(CODE, "check", "-", "--stdin-filename", "a.txt")
    assert r.code == 1 and r.out.startswith("a.txt:1:6: ST101"), r


def test_the_stdin_filename_picks_the_configuration():
    write("quiet/cleanup.toml", 'ignore = ["ST101"]\n')
    assert run_stdin(BAD, "check", "-", "--stdin-filename", "quiet/a.md").code == 0
    assert run_stdin(BAD, "check", "-", "--stdin-filename", "loud/a.md").code == 1


def test_article_command_reads_stdin_and_writes_no_report_unless_asked():
    r = run_stdin(BAD, "-", "--fail-on", "never")
    assert r.code == 0 and "-:1:10: ST101" in r.out, r
    assert list(Path(".").glob("*.html")) == []
    r = run_stdin(BAD, "-", "--report", "out.html", "--fail-on", "never")
    assert Path("out.html").exists()


def test_fix_on_stdin_prints_the_fixed_article_and_findings_on_stderr():
    r = run_stdin("\ufeffThe pump can not start.\r\n", "-", "--fix", "--fail-on", "never")
    assert r.code == 0, r
    assert r.out == "\ufeffThe pump cannot start.\r\n"  # BOM and CRLF kept
    assert "fixed 1" in r.err
    r = run_stdin(GOOD, "-", "--fix")
    assert r.out == GOOD  # nothing to fix: the article as it came


def test_diff_on_stdin():
    r = run_stdin(BAD, "-", "--diff", "--stdin-filename", "a.md", "--fail-on", "never")
    assert r.out == "--- a/a.md\n+++ b/a.md\n@@ -1 +1 @@\n-The pump can not start.\n+The pump cannot start.\n", r


def test_stdin_in_gbk():
    text = "\u6e29\u99a8\u63d0\u793a\uff1aThe pump can not start.\n"
    r = run_stdin(text.encode("gbk"), "check", "-", "--format", "json")
    f = json.loads(r.out)["files"][0]["findings"][0]
    assert f["rule"] == "ST101" and f["start"] == text.index("can not") and f["text"] == "can not"


def test_stdin_with_other_paths_is_a_usage_error():
    write("a.md", GOOD)
    r = run_stdin(BAD, "check", "-", "a.md")
    assert r.code == 2 and len(r.errors()) == 1 and "standard input" in r.errors()[0], r


def test_undecidable_bytes_on_stdin_exit_2():
    r = run_stdin("Caf\u00e9 au lait\n".encode("latin-1"), "check", "-", "--stdin-filename", "x.md")
    assert r.code == 2 and len(r.errors()) == 1 and "x.md" in r.errors()[0] and "UTF-8" in r.errors()[0], r
