"""Issue 16, point 4: an uncaught error never exits 1 (1 means findings): one line and exit 3,
the traceback only with --verbose; a closed stdout is not a finding either."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click
import pytest

EXIT_INTERNAL = 3  # the README's exit-code table
EXIT_BROKEN_PIPE = 141
from tests.robustness.support import env, one_error, run
from tests.texts import BAD

pytestmark = pytest.mark.usefixtures("starter_env")


@pytest.fixture
def crashing_check(monkeypatch):
    from editor.pipeline import Checker

    def check(self, doc, fix=None):
        raise ZeroDivisionError("division by zero in a rule")

    monkeypatch.setattr(Checker, "check", check)


@pytest.mark.parametrize("command", [["check"], []])
def test_a_crash_is_one_line_and_exit_3(crashing_check, command):
    Path("a.md").write_text(BAD, encoding="utf-8")
    r = run(*command, "a.md")
    assert r.code == EXIT_INTERNAL
    line = one_error(r, "internal error while checking a.md", "ZeroDivisionError: division by zero in a rule",
                     "--verbose")
    assert line.startswith("cleanup: internal error")


def test_verbose_adds_the_traceback(crashing_check):
    Path("a.md").write_text(BAD, encoding="utf-8")
    r = run("check", "a.md", "--verbose")
    assert r.code == 3
    assert "Traceback (most recent call last)" in r.err and "ZeroDivisionError" in r.err
    assert r.errors() == ["cleanup: internal error while checking a.md: ZeroDivisionError: division by zero "
                          "in a rule (a bug in cleanup)"]


def test_a_crash_in_another_command_is_exit_3_too(monkeypatch):
    import editor.engine

    def broken(*a, **k):
        raise KeyError("no such thing")

    monkeypatch.setattr(editor.engine, "load_rules", broken)
    r = run("rules")
    assert r.code == 3
    one_error(r, "internal error: KeyError")


def test_a_crash_in_a_real_process(tmp_path):
    import subprocess
    import sys

    (tmp_path / "a.md").write_text(BAD, encoding="utf-8")
    code = textwrap.dedent("""
        import sys
        from editor.pipeline import Checker
        def check(self, doc, fix=None):
            raise MemoryError()
        Checker.check = check
        from editor.cli import main
        main(sys.argv[1:])
    """)
    p = subprocess.run([sys.executable, "-c", code, "check", "a.md", "--ignore", "HARPER"], cwd=tmp_path,
                       capture_output=True, text=True, env=env(), timeout=120)
    assert p.returncode == 3, p.stderr
    assert "Traceback" not in p.stderr
    lines = [x for x in p.stderr.splitlines() if x.startswith("cleanup:")]
    assert lines == ["cleanup: internal error while checking a.md: MemoryError (a bug in cleanup; run again "
                     "with --verbose for the traceback)"]


def test_a_closed_stdout_is_not_exit_1(monkeypatch):
    Path("a.md").write_text(BAD, encoding="utf-8")

    def closed(*a, **k):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(click, "echo", closed)
    r = run("check", "a.md")
    assert r.code == EXIT_BROKEN_PIPE
