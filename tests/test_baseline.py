"""Baselines: fingerprints that survive moved lines; --write-baseline / --baseline (real git repos)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from editor.baseline import Baseline, BaselineError, baseline_json, fingerprint
from editor.findings import Finding, Severity, Span
from tests.test_cli import run, write
from tests.texts import git

BAD = "The pump can not start."  # ST101
BAD2 = "The valve can not close."  # ST101, other words around it


pytestmark = pytest.mark.usefixtures("starter_env")


def finding(text, needle, rule="ST101", nth=0):
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    return Finding(rule, "typography", Severity.WARNING, "m", Span(i, i + len(needle)))


def test_fingerprint_ignores_position_case_and_spacing_but_not_context():
    a = "Intro.\n\nThe old pump can not start."
    b = "New title\n\nMore text here.\n\nThe old pump CAN  NOT start."
    fa, fb = finding(a, "can not"), finding(b, "CAN  NOT")
    assert fingerprint(fa, a) == fingerprint(fb, b)
    c = "The old valve can not start."
    assert fingerprint(finding(c, "can not"), c) != fingerprint(fa, a)
    assert fingerprint(Finding("ST102", "x", Severity.INFO, "m", fa.span), a) != fingerprint(fa, a)


def test_counts_repeated_fingerprints(tmp_path):
    text = "one two three can not four five six one two three can not four five six"
    fs = [finding(text, "can not", nth=0), finding(text, "can not", nth=1)]
    path = tmp_path / "base.json"
    path.write_text(baseline_json(path, [(str(tmp_path / "a.md"), fs[:1], text)]))
    b = Baseline.load(path)
    assert len(b) == 1
    new = b.new_findings(str(tmp_path / "a.md"), fs, text)
    assert len(new) == 1
    path.write_text(baseline_json(path, [(str(tmp_path / "a.md"), fs, text)]))
    assert Baseline.load(path).new_findings(str(tmp_path / "a.md"), fs, text) == []
    assert json.loads(path.read_text())["files"]["a.md"][0]["count"] == 2


@pytest.mark.parametrize("content, words", [
    ("{", "invalid JSON"),
    ('{"version": 9, "files": {}}', "not a cleanup baseline"),
    ('{"version": 1, "files": {"a.md": [{"rule": "x"}]}}', "needs a fingerprint"),
])
def test_bad_baseline_files(tmp_path, content, words):
    p = tmp_path / "b.json"
    p.write_text(content)
    with pytest.raises(BaselineError, match=words):
        Baseline.load(p)


def test_cli_missing_or_bad_baseline_exits_2():
    write("a.md", BAD + "\n")
    r = run("check", "a.md", "--baseline", "nope.json")
    assert r.code == 2 and "nope.json" in r.err and "--write-baseline" in r.err, r
    Path("bad.json").write_text("[]")
    r = run("check", "a.md", "--baseline", "bad.json")
    assert r.code == 2 and "bad.json" in r.err, r


def test_adopting_on_an_existing_site_in_a_git_repository(tmp_path):
    repo = tmp_path / "site"
    repo.mkdir()
    os.chdir(repo)
    git("init", "-q")
    write("docs/a.md", f"# Pumps\n\n{BAD}\n")
    write("docs/b.md", "All is well here.\n")
    git("add", ".")
    git("commit", "-qm", "site")

    r = run("check", "docs", "--write-baseline", ".cleanup-baseline.json")
    assert r.code == 0, r
    assert "recorded 1 finding" in r.err
    data = json.loads(Path(".cleanup-baseline.json").read_text())
    assert list(data["files"]) == ["docs/a.md"] and data["files"]["docs/a.md"][0]["rule"] == "ST101"
    assert not list(Path(".").glob(".cleanup-baseline.json.*"))  # atomic: no temp file left
    git("add", ".cleanup-baseline.json")
    git("commit", "-qm", "baseline")

    # nothing new: exit 0
    r = run("check", "docs", "--baseline", ".cleanup-baseline.json")
    assert r.code == 0 and r.out == "", r

    # lines move (a paragraph is added above) and a new finding appears
    write("docs/a.md", f"# Pumps\n\nA new paragraph\nover two lines.\n\n{BAD}\n\n{BAD2}\n")
    r = run("check", "docs", "--baseline", ".cleanup-baseline.json")
    assert r.code == 1, r
    assert r.out.count("ST101") == 1 and "docs/a.md:8:11: ST101" in r.out, r

    # JSON, GitHub and SARIF output show only the new finding too
    out = json.loads(run("check", "docs", "--baseline", ".cleanup-baseline.json", "--format", "json").out)
    assert [f["text"] for file in out["files"] for f in file["findings"]] == ["can not"]
    assert [f["line"] for file in out["files"] for f in file["findings"]] == [8]

    # from another working folder and another checkout location, paths still match
    git("commit", "-qam", "more")
    clone = tmp_path / "clone"
    git("clone", "-q", str(repo), str(clone), cwd=tmp_path)
    os.chdir(clone / "docs")
    r = run("check", ".", "--baseline", "../.cleanup-baseline.json")
    assert r.code == 1 and r.out.count("ST101") == 1, r


def test_write_baseline_does_not_list_findings_and_overwrites(tmp_path):
    write("a.md", BAD + "\n")
    r = run("check", "a.md", "--write-baseline", "b.json")
    assert r.code == 0 and r.out == "", r
    write("a.md", "Fine.\n")
    run("check", "a.md", "--write-baseline", "b.json")
    assert json.loads(Path("b.json").read_text())["files"] == {}
