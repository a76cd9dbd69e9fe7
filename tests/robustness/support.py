"""Helpers for the robustness suite: run the command line in this process or in a real one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from editor.cli import main

ROOT = Path(__file__).resolve().parents[2]


class Result:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    def errors(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith("cleanup:")]

    def __repr__(self):
        return f"Result(code={self.code}, out={self.out!r}, err={self.err!r})"


def run(*args, env=None) -> Result:
    """``cleanup ARGS`` in this process (an exception escaping main() fails the test)."""
    runner = CliRunner()
    with runner.isolation(env=env) as (out, err, _):
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return Result(code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace"))


def env(**extra) -> dict:
    e = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    e.update(extra)
    return e


def run_process(*args, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    """``python -m editor ARGS`` as a real process (bytes arguments allowed)."""
    return subprocess.run([sys.executable, "-m", "editor", *args], capture_output=True, timeout=timeout,
                          env=kw.pop("env", None) or env(), **kw)


def one_error(r: Result, *needles: str) -> str:
    """The run printed exactly one error line, containing every needle, and no traceback."""
    assert "Traceback" not in r.err and "Traceback" not in r.out, r
    errs = r.errors()
    assert len(errs) == 1, r
    for needle in needles:
        assert needle in errs[0], (needle, r)
    return errs[0]


def temp_files(folder: Path) -> list[Path]:
    return [p for p in Path(folder).rglob("*") if p.name.endswith(".tmp")]
