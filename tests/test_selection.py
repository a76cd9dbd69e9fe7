"""--select/--ignore/--extend-select codes that match no rule are usage errors naming them;
--extend-select adds opt-in rules (Harper's spelling) to the defaults; a mistyped sub-command is a
usage error with "did you mean"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.selection import unknown_codes

from .test_cli import BAD, run, write

pytestmark = pytest.mark.usefixtures("starter_env")

KNOWN = ["ST101", "ST102", "MT301", "HARPER/SpellCheck", "CU001"]


def test_unknown_codes():
    assert unknown_codes(["ST", "ST1", "ST101", "ALL", "LT/WHATEVER", "LT", "HARPER", "HARPER/Spell", "CU",
                          "HARPER/ALL"], KNOWN) == []
    assert unknown_codes(["XY/ALL"], KNOWN) == [("XY/ALL", None)]
    assert unknown_codes(["MT999", "st101", "XX"], KNOWN) == [("MT999", None), ("st101", "ST101"), ("XX", None)]
    assert unknown_codes(["MT310"], KNOWN) == [("MT310", "MT301")]


@pytest.mark.parametrize("option", ["--select", "--ignore", "--extend-select"])
@pytest.mark.parametrize("command", [["check"], []], ids=["check", "article"])
def test_a_code_that_matches_no_rule_exits_2_naming_it(option, command):
    write("a.md", BAD)
    r = run(*command, "a.md", option, "ST101,ST999", "--no-report" if not command else "--quiet")
    assert r.code == 2, r
    (line,) = r.errors()
    assert f"{option}: ST999 matches no rule" in line and "ST101" not in line.split("ST999")[0]
    assert r.out == ""


def test_a_wrong_case_gets_a_hint():
    write("a.md", BAD)
    r = run("check", "a.md", "--select", "st101")
    assert r.code == 2 and "did you mean ST101?" in r.errors()[0], r


def test_other_engines_codes_are_known():
    write("a.md", BAD)
    assert run("check", "a.md", "--ignore", "HARPER/SpellCheck,LT/ANYTHING", "--fail-on", "never").code == 0
    r = run("check", "a.md", "--ignore", "HARPER/NoSuchRule")
    assert r.code == 2 and "HARPER/NoSuchRule matches no rule" in r.errors()[0]


def test_extend_select_adds_spelling_to_the_defaults():
    write("a.md", "The pump can not start; we feel Zhiqing.\n")
    r = run("check", "a.md", "--format", "json", "--fail-on", "never")
    assert [f["rule"] for f in json.loads(r.out)["files"][0]["findings"]] == ["ST101"]
    r = run("check", "a.md", "--format", "json", "--fail-on", "never", "--extend-select", "HARPER/SpellCheck")
    found = [(f["rule"], f["text"]) for f in json.loads(r.out)["files"][0]["findings"]]
    assert found == [("ST101", "can not"), ("HARPER/SpellCheck", "Zhiqing")], found
    # with --select, --extend-select adds to that selection
    r = run("check", "a.md", "--format", "json", "--fail-on", "never", "--select", "ST102",
            "--extend-select", "HARPER/SpellCheck")
    assert [f["rule"] for f in json.loads(r.out)["files"][0]["findings"]] == ["HARPER/SpellCheck"]


def test_config_extend_select_and_vocabulary_feed_spelling():
    write("a.md", "The pump can not start; we feel Zhiqing.\n")
    write("cleanup.toml", 'extend-select = ["HARPER/SpellCheck"]\n')
    r = run("check", "a.md", "--format", "json", "--fail-on", "never")
    assert [f["rule"] for f in json.loads(r.out)["files"][0]["findings"]] == ["ST101", "HARPER/SpellCheck"]
    write("cleanup.toml", 'extend-select = ["HARPER/SpellCheck"]\nvocabulary = ["Zhiqing"]\n')
    r = run("check", "a.md", "--format", "json", "--fail-on", "never")
    assert [f["rule"] for f in json.loads(r.out)["files"][0]["findings"]] == ["ST101"]
    # --select on the command line replaces the file's whole selection, extend-select included
    r = run("check", "a.md", "--format", "json", "--fail-on", "never", "--select", "ST")
    assert [f["rule"] for f in json.loads(r.out)["files"][0]["findings"]] == ["ST101"]
    r = run("config", "a.md")
    assert 'extend-select = ["HARPER/SpellCheck"]' in r.out


@pytest.mark.parametrize("dialect, flagged", [("us", "colour"), ("gb", "color"), ("au", "color"), ("ca", "realise")])
def test_dialect_decides_what_spelling_flags(dialect, flagged):
    write("a.md", "The colour and the color; they realise it.\n")
    r = run("check", "a.md", "--format", "json", "--fail-on", "never", "--extend-select", "HARPER/SpellCheck",
            "--dialect", dialect)
    spelling = [f for f in json.loads(r.out)["files"][0]["findings"] if f["category"] == "spelling"]
    assert all("harper" in f["sources"] for f in spelling)  # Harper's speller agrees (merged with ST106)
    words = [f["text"] for f in spelling]
    assert flagged in words
    assert ("colour" in words) == (dialect in ("us",)) and ("color" in words) == (dialect != "us")


def test_config_dialect_and_bad_value():
    write("a.md", "The colour of the sea.\n")
    write("cleanup.toml", 'dialect = "gb"\nextend-select = ["HARPER/SpellCheck"]\n')
    r = run("check", "a.md", "--format", "json", "--fail-on", "never")
    assert json.loads(r.out)["files"][0]["findings"] == []
    r = run("check", "a.md", "--format", "json", "--fail-on", "never", "--dialect", "us")  # the flag wins
    assert [f["text"] for f in json.loads(r.out)["files"][0]["findings"]] == ["colour"]
    assert 'dialect = "gb"' in run("config", "a.md").out
    write("cleanup.toml", 'dialect = "uk"\n')
    r = run("check", "a.md")
    assert r.code == 2 and "key 'dialect': must be one of us, gb, au, ca (got 'uk')" in r.errors()[0], r
    r = run("check", "a.md", "--dialect", "uk", "--config", "/dev/null")
    assert r.code == 2 and "--dialect" in r.errors()[0]


def test_mistyped_sub_command_is_a_usage_error_with_did_you_mean():
    write("a.md", BAD)
    r = run("chek", ".")
    assert r.code == 2, r
    (line,) = r.errors()
    assert "chek" in line and "did you mean 'cleanup check'?" in line
    assert run("confg").errors()[0].endswith("(did you mean 'cleanup config'?)")
    # an existing file of that name is an article, and an unlike word is a missing article
    write("chek", BAD)
    assert run("chek", "--no-report", "--fail-on", "never").code == 0
    r = run("zebra", "--no-report")
    assert r.code == 2 and "zebra: no such file" in r.errors()[0], r
    assert not Path("zebra.cleanup.html").exists()
