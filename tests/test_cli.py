"""The command line: exit codes, bad input, fixes, reports, rules (starter rules, in-process)."""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from editor import __version__
from editor.cli import main

ROOT = Path(__file__).resolve().parents[1]
BAD = "The pump can not start.\n"  # ST101, warning, safe fix
INFO = "It was very very cold.\n"  # ST102, info, safe fix
UNSAFE = "The reason is because the bridge is closed.\n"  # ST103, info, unsafe fix (opt-in: --select it)
GOOD = "All is well here.\n"


pytestmark = pytest.mark.usefixtures("starter_env")


class Result:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    @property
    def err_lines(self):
        return [line for line in self.err.splitlines() if line.strip()]

    def errors(self):
        """The error lines (every error is one line starting with 'cleanup:')."""
        return [line for line in self.err_lines if line.startswith("cleanup:")]

    def __repr__(self):
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


def run(*args, env=None) -> Result:
    runner = CliRunner()
    with runner.isolation(env=env) as (out, err, _):
        try:
            main(list(args))
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return Result(code, out.getvalue().decode(), err.getvalue().decode())


def write(name, text, data: bytes | None = None) -> Path:
    p = Path(name)
    p.parent.mkdir(parents=True, exist_ok=True)
    if data is not None:
        p.write_bytes(data)
    else:
        p.write_bytes(text.encode("utf-8"))
    return p


def one_error_naming(r: Result, name: str) -> str:
    assert "Traceback" not in r.err and "Traceback" not in r.out
    errs = r.errors()
    assert len(errs) == 1, r
    assert name in errs[0], r
    return errs[0]


# --------------------------------------------------------------------------------------------
# exit codes


def test_clean_file_exits_0():
    write("good.md", GOOD)
    r = run("check", "good.md")
    assert r.code == 0, r
    assert r.out == ""


def test_findings_exit_1_and_are_printed():
    write("bad.md", BAD)
    r = run("check", "bad.md")
    assert r.code == 1, r
    assert "bad.md:1:10: ST101 [warning]" in r.out
    assert "“can not” → “cannot”" in r.out


@pytest.mark.parametrize(
    "fail_on, content, code",
    [
        ("warning", INFO, 0),  # default threshold: an info finding passes
        ("info", INFO, 1),
        ("error", BAD, 0),  # a warning is below "error"
        ("warning", BAD, 1),
        ("never", BAD, 0),
        ("never", INFO, 0),
    ],
)
def test_fail_on(fail_on, content, code):
    write("a.md", content)
    r = run("check", "--fail-on", fail_on, "a.md")
    assert r.code == code, r
    assert "ST10" in r.out  # the finding is still shown


def test_fail_on_default_is_warning():
    write("a.md", INFO)
    assert run("check", "a.md").code == 0
    write("b.md", BAD)
    assert run("check", "b.md").code == 1


def test_empty_file_is_fine():
    write("empty.md", "")
    r = run("check", "empty.md")
    assert r.code == 0 and r.out == "", r
    r = run("empty.md", "--no-report")
    assert r.code == 0, r


# --------------------------------------------------------------------------------------------
# bad input: exit 2, one line naming the file, no traceback; the other files are still checked


@pytest.mark.parametrize("command", [["check"], []], ids=["check", "article"])
@pytest.mark.parametrize(
    "name, data, words",
    [
        ("missing.md", None, "no such file"),
        ("bin.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin.txt", "Café\n".encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_input_exits_2(command, name, data, words):
    if data is not None:
        write(name, "", data)
    r = run(*command, name, "--no-report" if not command else "--quiet")
    assert r.code == 2, r
    assert words in one_error_naming(r, name)


def test_folder_with_no_articles():
    os.mkdir("empty-folder")
    Path("empty-folder/notes.rst").write_text("x")
    r = run("check", "empty-folder")
    assert r.code == 2
    assert "no articles" in one_error_naming(r, "empty-folder")


def test_folder_is_searched_for_articles():
    write("docs/a.md", BAD)
    write("docs/sub/b.txt", BAD)
    write("docs/sub/c.markdown", GOOD)
    write("docs/skip.rst", BAD)
    write("docs/.hidden/d.md", BAD)
    r = run("check", "--format", "json", "docs")
    assert r.code == 1
    paths = [f["path"] for f in json.loads(r.out)["files"]]
    assert sorted(paths) == sorted(os.path.join("docs", p) for p in ("a.md", "sub/b.txt", "sub/c.markdown"))


@pytest.mark.parametrize(
    "args, words",
    [
        (["check", "--fail-on", "bogus", "a.md"], "--fail-on"),
        (["check", "--format", "xml", "a.md"], "--format"),
        (["a.md", "--fail-on", "sometimes"], "--fail-on"),
        (["check", "--no-such-option", "a.md"], "--no-such-option"),
    ],
)
def test_unknown_option_value_exits_2(args, words):
    write("a.md", BAD)
    r = run(*args)
    assert r.code == 2, r
    one_error_naming(r, words)
    assert r.out == ""


def test_a_run_over_several_files_checks_the_good_ones():
    write("bad.md", BAD)
    write("good.md", GOOD)
    write("bin.md", "", b"\x00\x01\x02")
    write("latin.txt", "", "Café".encode("latin-1"))
    r = run("bad.md", "missing.md", "good.md", "bin.md", "latin.txt")
    assert r.code == 2, r
    assert "bad.md:1:10: ST101" in r.out
    assert len(r.errors()) == 3
    for name in ("missing.md", "bin.md", "latin.txt"):
        assert sum(name in line for line in r.errors()) == 1
    assert Path("bad.md.cleanup.html").exists() and Path("good.md.cleanup.html").exists()
    assert not Path("bin.md.cleanup.html").exists()
    assert "1 finding in 2 files." in r.err  # the summary counts the files actually checked

    r = run("check", "--format", "json", "bad.md", "bin.md", "good.md", "missing.md")
    assert r.code == 2
    files = {f["path"]: f for f in json.loads(r.out)["files"]}
    assert [x["rule"] for x in files["bad.md"]["findings"]] == ["ST101"]
    assert files["good.md"]["findings"] == [] and "error" not in files["good.md"]
    assert "binary" in files["bin.md"]["error"]
    assert "missing.md" in files
    assert json.loads(r.out)["summary"]["errors"] == 2


def test_unwritable_report_path_under_a_file():
    write("a.md", BAD)
    write("plain.txt", GOOD)
    r = run("a.md", "--report", "plain.txt/report.html")
    assert r.code == 2, r
    one_error_naming(r, "plain.txt/report.html")
    assert "a.md:1:10" in r.out  # the findings were still printed


def test_report_into_a_missing_folder():
    write("a.md", BAD)
    target = os.path.join("no", "such", "folder", "r.html")
    r = run("a.md", "--report", target)
    assert r.code == 2, r
    one_error_naming(r, target)


def test_unwritable_output():
    write("a.md", BAD)
    write("plain.txt", GOOD)
    r = run("a.md", "--output", "plain.txt/fixed.md", "--no-report")
    assert r.code == 2, r
    one_error_naming(r, "plain.txt/fixed.md")
    assert Path("a.md").read_text() == BAD


def test_no_traceback_in_a_real_process(tmp_path, rules_folder):
    write("bin.md", "", b"\x00\x01")
    env = dict(os.environ, CLEANUP_RULES=str(rules_folder))
    p = subprocess.run([sys.executable, "-m", "editor", "check", "bin.md", "nope.md", "--fail-on", "never"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    errs = [line for line in p.stderr.splitlines() if line.startswith("cleanup:")]
    assert len(errs) == 2
    assert sum("bin.md" in e for e in errs) == 1 and sum("nope.md" in e for e in errs) == 1


# --------------------------------------------------------------------------------------------
# sub-commands, names, version, quiet, colour


def test_a_file_named_like_a_command():
    write("check", BAD)
    r = run("./check", "--no-report")
    assert r.code == 1, r
    assert "./check:1:10: ST101" in r.out


def test_version():
    r = run("--version")
    assert r.code == 0
    assert __version__ in r.out


def test_quiet():
    write("bad.md", BAD)
    r = run("bad.md", "--quiet")
    assert r.code == 1
    assert r.out == ""
    assert "report:" not in r.err
    assert Path("bad.md.cleanup.html").exists()
    write("good.md", GOOD)
    r = run("good.md", "--quiet")
    assert (r.code, r.out, r.err) == (0, "", "")
    r = run("check", "--quiet", "bad.md")
    assert r.code == 1 and r.out == ""


def test_no_ansi_codes_without_a_terminal_or_with_no_color():
    write("bad.md", BAD)
    r = run("bad.md", "--no-report")
    assert "\x1b[" not in r.out + r.err
    r = run("bad.md", "--no-report", "--color", "always")
    assert "\x1b[" in r.out  # forced colour reaches a pipe too (the colour path exists)
    r = run("check", "bad.md", "--color", "always", env={"NO_COLOR": "1"})
    assert "\x1b[" in r.out  # an explicit --color always beats NO_COLOR


def test_no_color_in_a_terminal():
    """Under a pseudo-terminal colour is on, unless NO_COLOR is set."""
    pty = pytest.importorskip("pty")
    write("bad.md", BAD)

    def run_in_tty(extra_env):
        master, slave = pty.openpty()
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        env.update(extra_env)
        p = subprocess.Popen([sys.executable, "-m", "editor", "bad.md", "--no-report"], stdout=slave,
                             stderr=subprocess.DEVNULL, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        p.wait(timeout=120)
        os.close(master)
        return b"".join(chunks).decode()

    coloured = run_in_tty({})
    assert "ST101" in coloured and "\x1b[" in coloured
    plain = run_in_tty({"NO_COLOR": "1"})
    assert "ST101" in plain and "\x1b[" not in plain


def test_rules_lists_the_rules(rules_folder):
    from editor.engine import load_rules

    r = run("rules")
    assert r.code == 0
    other = ("HARPER/", "LT/", "MODEL/")  # then the other engines' rules (editor/backends)
    codes = [line.split()[0] for line in r.out.splitlines() if not line.startswith(other)]
    assert codes == sorted(x.code for x in load_rules(rules_folder) if x.default)
    assert {"ST101", "ST102"} <= set(codes)
    r = run("rules", "--all")
    assert [line.split()[0] for line in r.out.splitlines() if not line.startswith(other)] == sorted(
        x.code for x in load_rules(rules_folder))
    assert "can-not-for-cannot" in r.out
    r = run("rules", "--format", "json")
    listed = json.loads(r.out)
    assert {d["code"] for d in listed if not d["code"].startswith(other)} == set(codes)
    assert all(d["default"] for d in listed)
    assert not [d for d in listed if d["code"].startswith("HARPER/")]  # issue 21: no Harper rule on by default
    every = json.loads(run("rules", "--all", "--format", "json").out)
    harper = [d for d in every if d["code"].startswith("HARPER/")]
    assert harper and all(d["engine"] == "harper" and not d["default"] for d in harper)
    assert {"HARPER/SpellCheck", "HARPER/SplitWords"} <= {d["code"] for d in harper}  # opt-in: only with --all
    assert {"CU001", "CU101"} <= {d["code"] for d in listed}
    assert re.search(r"^CU101 +house-substitution", run("rules").out, re.M)


def test_rule_explains_one():
    r = run("rule", "ST101")
    assert r.code == 0
    assert "can-not-for-cannot" in r.out and "What:" in r.out and "Why:" in r.out
    assert "flagged: The battery [can not] hold" in r.out
    assert run("rule", "st101").code == 0


def test_unknown_rule_code():
    r = run("rule", "XX999")
    assert r.code == 2
    one_error_naming(r, "XX999")


def test_no_arguments_shows_help_and_exits_2():
    r = run()
    assert r.code == 2
    assert "cleanup" in r.out + r.err


# --------------------------------------------------------------------------------------------
# fixes


def test_fix_applies_safe_fixes_in_place():
    write("a.md", BAD + UNSAFE)
    r = run("a.md", "--fix", "--no-report", "--fail-on", "info", "--select", "ST101,ST103")
    assert Path("a.md").read_text() == "The pump cannot start.\n" + UNSAFE
    assert r.code == 1  # judged after the fixes: the unsafe finding remains
    assert "ST103" in r.out and "ST101" not in r.out
    assert sorted(os.listdir(".")) == ["a.md"]  # atomic: no temporary file left


def test_fix_exit_code_is_judged_after_fixing():
    write("a.md", BAD)
    r = run("a.md", "--fix", "--no-report")
    assert r.code == 0, r
    assert Path("a.md").read_text() == "The pump cannot start.\n"


def test_unsafe_fixes_are_added_on_request():
    write("a.md", BAD + UNSAFE)
    r = run("a.md", "--fix", "--unsafe-fixes", "--no-report", "--fail-on", "info", "--select", "ST101", "--select", "ST103")
    assert r.code == 0, r
    assert Path("a.md").read_text() == "The pump cannot start.\nThe reason is that the bridge is closed.\n"


def test_fix_keeps_bom_and_crlf():
    write("a.md", "", b"\xef\xbb\xbfThe pump can not start.\r\nIt was very very cold.\r\n")
    r = run("a.md", "--fix", "--no-report", "--fail-on", "info")
    assert r.code == 0, r
    assert Path("a.md").read_bytes() == b"\xef\xbb\xbfThe pump cannot start.\r\nIt was very cold.\r\n"


def test_diff_prints_and_does_not_write():
    write("a.md", BAD)
    r = run("a.md", "--diff", "--no-report")
    assert "--- a/a.md" in r.out and "+++ b/a.md" in r.out
    assert "-The pump can not start." in r.out and "+The pump cannot start." in r.out
    assert Path("a.md").read_text() == BAD


def test_output_writes_elsewhere_and_leaves_the_original():
    write("a.md", BAD)
    r = run("a.md", "--output", "clean.md", "--no-report")
    assert r.code == 0, r
    assert Path("a.md").read_text() == BAD
    assert Path("clean.md").read_text() == "The pump cannot start.\n"


def test_output_takes_one_article():
    write("a.md", BAD)
    write("b.md", BAD)
    r = run("a.md", "b.md", "--output", "clean.md")
    assert r.code == 2
    one_error_naming(r, "--output")


def test_fix_refuses_a_file_changed_on_disk(monkeypatch):
    from editor.pipeline import Checker

    original = Checker.check
    concurrent = "Someone else edited this; the pump can not start.\n"

    def check_then_edit(self, doc, fix=None):
        report = original(self, doc, fix)
        Path(doc.path).write_text(concurrent)  # the editor saved while we were checking
        return report

    monkeypatch.setattr(Checker, "check", check_then_edit)
    write("a.md", BAD)
    r = run("a.md", "--fix", "--no-report")
    assert r.code == 2, r
    assert "changed on disk" in one_error_naming(r, "a.md")
    assert Path("a.md").read_text() == concurrent


def test_fix_refuses_when_the_writer_says_changed(monkeypatch):
    import editor.writer

    monkeypatch.setattr(editor.writer, "unchanged_since_read", lambda doc: False)
    write("a.md", BAD)
    r = run("a.md", "--fix", "--no-report")
    assert r.code == 2
    one_error_naming(r, "a.md")
    assert Path("a.md").read_text() == BAD


# --------------------------------------------------------------------------------------------
# the HTML report


def test_report_beside_the_article():
    write("sub/a.md", BAD)
    r = run("sub/a.md")
    assert r.code == 1
    report = Path("sub/a.md.cleanup.html")
    assert report.exists()
    html = report.read_text()
    assert "<del>can not</del><ins>cannot</ins>" in html
    assert "report: sub/a.md.cleanup.html" in r.err


def test_report_path_and_no_report():
    write("a.md", BAD)
    run("a.md", "--report", "out.html")
    assert Path("out.html").exists() and not Path("a.md.cleanup.html").exists()
    run("a.md", "--no-report")
    assert not Path("a.md.cleanup.html").exists()


def test_report_folder_for_several_articles():
    write("a.md", BAD)
    write("b.md", GOOD)
    r = run("a.md", "b.md", "--report", "reports")
    assert r.code == 1
    assert sorted(os.listdir("reports")) == ["a.md.cleanup.html", "b.md.cleanup.html"]


# --------------------------------------------------------------------------- what --fix did not do


def _never_converging(monkeypatch):
    """Every check proposes two fixes on the first character: one that grows the text (so the fix
    loop never reaches a fixpoint) and one overlapping it (skipped every round)."""
    from editor.findings import Applicability as A, Edit, Finding, Fix, Severity, Span
    from editor.pipeline import Checker

    def detect(self, text, fmt, path=""):
        grow = Fix((Edit(Span(0, 1), text[0] * 2),), A.SAFE, "grow")
        rival = Fix((Edit(Span(0, 1), "Z"),), A.SAFE, "rival")
        return [Finding("ST101", "grammar", Severity.WARNING, "m", Span(0, 1), (grow,)),
                Finding("ST102", "style", Severity.INFO, "m", Span(0, 1), (rival,))]

    monkeypatch.setattr(Checker, "detect", detect)


def test_fix_says_what_it_skipped_and_that_it_did_not_converge(monkeypatch):
    _never_converging(monkeypatch)
    write("a.md", "Text.\n")
    r = run("a.md", "--fix", "--no-report", "--fail-on", "never")
    assert Path("a.md").read_text() == "TTTTText.\n"  # four rounds (one more T each), as before
    assert ("a.md: fixed 4 finding(s), 1 skipped (overlapping another fix), "
            "fix loop stopped after 4 rounds without converging") in r.err_lines


def test_fix_says_what_it_did_not_do_even_when_quiet_or_printing_a_diff(monkeypatch):
    _never_converging(monkeypatch)
    write("a.md", "Text.\n")
    for args in (("--fix", "--quiet"), ("--diff",)):
        r = run("a.md", *args, "--no-report", "--fail-on", "never")
        assert [line for line in r.err_lines if "without converging" in line] == [
            "a.md: fixed 4 finding(s), 1 skipped (overlapping another fix), "
            "fix loop stopped after 4 rounds without converging"], args


def test_fix_in_the_normal_case_says_only_what_it_fixed():
    write("a.md", BAD)
    r = run("a.md", "--fix", "--no-report", "--select", "ST101")
    assert "a.md: fixed 1 finding(s)" in r.err_lines
    assert not [line for line in r.err_lines if "skipped" in line or "converging" in line]
