"""--diff-base: only findings on lines changed since a git ref (real repositories in tmp_path)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from editor.document import LineIndex
from editor.findings import Finding, Severity, Span
from editor.gitdiff import ChangedLines, GitDiffError, parse_diff
from tests.test_cli import run, write
from tests.texts import git

BAD = "The pump can not start."  # ST101


pytestmark = pytest.mark.usefixtures("starter_env")


def commit(msg="c"):
    git("add", "-A")
    git("commit", "-qm", msg)


def test_parse_diff_hunks():
    diff = (
        "diff --git a/a.md b/a.md\n--- a/a.md\n+++ b/a.md\n"
        "@@ -3 +3 @@\n-x\n+y\n@@ -10,0 +11,2 @@\n+p\n+q\n@@ -20,3 +22,0 @@\n-gone\n"
        "diff --git a/old.md b/old.md\n--- a/old.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n"
        'diff --git "a/sp ace\\303\\251.md" "b/sp ace\\303\\251.md"\n--- "a/sp ace\\303\\251.md"\n'
        '+++ "b/sp ace\\303\\251.md"\n@@ -1 +1 @@\n-a\n+b\n'
    )
    assert parse_diff(diff) == {"a.md": {3, 11, 12}, "sp aceé.md": {1}}


def test_pull_request_mode_in_a_real_repository(tmp_path):
    git("init", "-q")
    write("docs/a.md", f"# Title\n\n{BAD}\n\nOld paragraph.\n")
    write("docs/b.md", f"{BAD}\n")
    commit("base")
    git("checkout", "-qb", "feature")
    # a change on the branch: line 5 of a.md; b.md untouched; a new file
    write("docs/a.md", f"# Title\n\n{BAD}\n\nOld paragraph. The valve can not close.\n")
    write("docs/new.md", f"{BAD}\n")
    commit("feature work")
    # main moves on after the branch point: its changes must not count (merge base is used)
    git("checkout", "-q", "main")
    write("docs/b.md", f"Changed on main.\n\n{BAD}\n")
    commit("main work")
    git("checkout", "-q", "feature")

    r = run("check", "docs", "--diff-base", "main", "--format", "json")
    assert r.code == 1, r
    found = {(Path(file["path"]).as_posix(), f["line"]) for file in json.loads(r.out)["files"] for f in file["findings"]}
    assert found == {("docs/a.md", 5), ("docs/new.md", 1)}

    # without --diff-base every finding is reported
    r = run("check", "docs", "--format", "json")
    assert sum(len(f["findings"]) for f in json.loads(r.out)["files"]) == 4

    # uncommitted and untracked changes count too
    write("docs/b.md", f"{BAD}\n\n{BAD} Again.\n")
    write("docs/untracked.md", f"{BAD}\n")
    r = run("check", "docs", "--diff-base", "HEAD")
    assert r.code == 1, r
    lines = sorted(line.split(" ")[0] for line in r.out.splitlines() if " ST101 " in line)
    assert lines == ["docs/b.md:3:10:", "docs/untracked.md:1:10:"], r

    # nothing changed since HEAD in a.md: a clean exit for it alone
    assert run("check", "docs/a.md", "--diff-base", "HEAD").code == 0


def test_run_from_a_subfolder(tmp_path):
    git("init", "-q")
    write("docs/a.md", "Fine.\n")
    commit()
    write("docs/a.md", f"Fine.\n{BAD}\n")
    # user settings that change git diff's output do not matter
    git("config", "diff.noprefix", "true")
    git("config", "diff.mnemonicPrefix", "true")
    git("config", "color.ui", "always")
    os.chdir("docs")
    r = run("check", "a.md", "--diff-base", "HEAD")
    assert r.code == 1 and "a.md:2:10: ST101" in r.out, r


def test_filter_multi_line_findings(tmp_path):
    git("init", "-q")
    write("a.md", "one\ntwo\nthree\n")
    commit()
    write("a.md", "one\nTWO\nthree\n")
    text = Path("a.md").read_text()
    cl = ChangedLines("HEAD")
    spanning = Finding("X1", "style", Severity.INFO, "m", Span(0, text.index("three")))  # lines 1-2
    first = Finding("X1", "style", Severity.INFO, "m", Span(0, 3))  # line 1 only
    assert cl.filter("a.md", [spanning, first], LineIndex(text)) == [spanning]


def test_errors_exit_2_with_one_line(tmp_path):
    write("a.md", f"{BAD}\n")
    r = run("check", "a.md", "--diff-base", "main")
    assert r.code == 2 and "not inside a git repository" in r.err and "Traceback" not in r.err, r
    git("init", "-q")
    commit()
    r = run("check", "a.md", "--diff-base", "no-such-branch")
    assert r.code == 2 and "unknown git ref 'no-such-branch'" in r.err, r
    assert len([line for line in r.err.splitlines() if line.startswith("cleanup:")]) == 1
    with pytest.raises(GitDiffError):
        ChangedLines("--output=x")
