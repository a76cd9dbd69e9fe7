"""``cleanup ARTICLE --diff``: a patch that ``git apply`` and ``patch -p1`` accept, byte for byte the
change ``--fix`` makes (no final newline, CRLF, BOM, GBK), findings on stderr, no report."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from editor.document import SourceDocument
from editor.patch import NO_EOL, file_patch, unified_diff_text

from .test_cli import BAD, INFO, run, write

pytestmark = pytest.mark.usefixtures("starter_env")

CASES = {
    "final-newline": BAD.encode("utf-8"),
    "no-final-newline": (INFO + "Line two.\n" + BAD.rstrip("\n")).encode("utf-8"),
    "crlf-no-final-newline": b"The pump can not start.\r\nIt was very very cold.",
    "bom-first-line": b"\xef\xbb\xbf" + BAD.encode("utf-8"),
    "gbk": ("\u6e29\u99a8\u63d0\u793a\uff1a" + BAD).encode("gbk"),
}


def fixed_bytes(name: str, data: bytes, folder: Path) -> bytes:
    """What --fix writes for this file (run in a folder of its own)."""
    folder.mkdir()
    (folder / name).write_bytes(data)
    r = run(str(folder / name), "--fix", "--no-report", "--fail-on", "never")
    assert r.code == 0, r
    return (folder / name).read_bytes()


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("tool", ["git", "patch"])
def test_diff_is_a_patch_that_git_apply_and_patch_accept(case, tool, tmp_path):
    data = CASES[case]
    name = "a.txt" if case == "gbk" else "a.md"
    write(name, "", data)
    # the raw bytes, as a pipe carries them (a GBK article gets a GBK patch)
    from click.testing import CliRunner

    from editor.cli import main

    with CliRunner().isolation() as (out, err, _):
        with pytest.raises(SystemExit) as ei:
            main([name, "--diff", "--fail-on", "never", "--select", "ST"])
    assert ei.value.code == 0
    patch = out.getvalue()
    assert patch.startswith(f"--- a/{name}\n+++ b/{name}\n@@ ".encode())
    # only the patch on stdout; the findings (what is left after the fixes) and the summary on stderr
    assert all(line[:1] in (b"-", b"+", b"@", b" ", b"\\") for line in patch.split(b"\n")[:-1]), patch
    assert b"1 file." in err.getvalue()
    assert not Path(name + ".cleanup.html").exists()  # and no report
    assert Path(name).read_bytes() == data  # nothing written
    want = fixed_bytes(name, data, tmp_path / "fixed")
    assert want != data
    work = tmp_path / "apply"
    work.mkdir()
    (work / name).write_bytes(data)
    (work / "fix.patch").write_bytes(patch)
    if tool == "git":
        cmd = ["git", "apply", "--whitespace=nowarn", "fix.patch"]
    else:
        cmd = ["patch", "-p1", "--batch", "--quiet", "-i", "fix.patch"]
    p = subprocess.run(cmd, cwd=work, capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr.decode(errors="replace")
    assert (work / name).read_bytes() == want


def test_no_newline_marker_and_empty_diff():
    assert unified_diff_text("same", "same", "a.md") == ""
    d = unified_diff_text("one\ntwo", "one\n2", "a.md")
    assert d == f"--- a/a.md\n+++ b/a.md\n@@ -1,2 +1,2 @@\n one\n-two\n{NO_EOL}+2\n{NO_EOL}"
    d = unified_diff_text("x\n", "x", "a.md")
    assert d.endswith(f"-x\n+x\n{NO_EOL}")


def test_patch_is_in_the_files_encoding():
    doc = SourceDocument.from_text("\u6e29\u99a8\u63d0\u793a\n", path="a.txt")
    doc.encoding = "gb18030"
    assert "\u63d0\u793a".encode("gb18030") in file_patch(doc, "\u63d0\u793a\n")


def test_diff_with_nothing_to_fix_prints_nothing():
    write("a.md", "All is well here.\n")
    r = run("a.md", "--diff")
    assert r.code == 0 and r.out == "", r
    assert not Path("a.md.cleanup.html").exists()


def test_diff_writes_a_report_only_where_report_says():
    write("a.md", BAD)
    r = run("a.md", "--diff", "--report", "out.html", "--fail-on", "never")
    assert r.code == 0 and Path("out.html").exists() and r.out.startswith("--- a/a.md")


def test_unsafe_fixes_without_fix_output_or_diff_is_a_usage_error():
    write("a.md", BAD)
    r = run("a.md", "--unsafe-fixes", "--no-report")
    assert r.code == 2, r
    (line,) = r.errors()
    assert "--unsafe-fixes" in line and "--fix" in line
    assert "fixed" not in r.err and Path("a.md").read_text() == BAD


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_diff_of_a_path_in_a_sub_folder_applies_from_the_working_folder(tmp_path):
    write("docs/a.md", INFO.rstrip("\n"))
    r = run("docs/a.md", "--diff", "--fail-on", "never")
    assert r.out.startswith("--- a/docs/a.md\n+++ b/docs/a.md\n")
    Path("fix.patch").write_text(r.out)
    p = subprocess.run(["git", "apply", "fix.patch"], capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert Path("docs/a.md").read_text() == "It was very cold."
