"""Standard output stays ours: native writes to descriptor 1 inside an engine call go to stderr."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_a_native_write_inside_the_guard_goes_to_stderr():
    out = _python("""
        import os, sys
        from editor.stdio import native_output_to_stderr
        print("before")
        with native_output_to_stderr():
            os.write(1, b"native\\n")
        print("after")
    """)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["before", "after"]
    assert "native" in out.stderr


def test_nested_and_threaded_guards_restore_stdout_when_the_last_one_leaves():
    out = _python("""
        import os, threading
        from editor.stdio import native_output_to_stderr
        ready = threading.Event(); leave = threading.Event()
        def worker():
            with native_output_to_stderr():
                ready.set(); leave.wait()
                os.write(1, b"worker\\n")
        t = threading.Thread(target=worker); t.start(); ready.wait()
        with native_output_to_stderr():
            with native_output_to_stderr():
                os.write(1, b"inner\\n")
        os.write(1, b"still guarded\\n")   # the worker is still inside
        leave.set(); t.join()
        os.write(1, b"free\\n")
    """)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "free\n"
    assert {"worker", "inner", "still guarded"} <= set(out.stderr.split("\n"))


def test_reserve_stdout_keeps_python_output_and_diverts_native_output():
    out = _python("""
        import os, sys
        from editor.stdio import reserve_stdout
        stream = reserve_stdout()
        os.write(1, b"stray\\n")
        print("protocol")
        sys.stdout.flush()
    """)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "protocol\n"
    assert "stray" in out.stderr


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_machine_readable_output_survives_harper_printing_debug_lines(tmp_path, fmt):
    """harper-py prints "gerund_form: …" from Rust for this sentence; stdout must stay clean."""
    pytest.importorskip("harper")
    article = tmp_path / "cats.md"
    article.write_text("We are looking forward to cats!\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "editor", "check", "--format", fmt, "--fail-on", "never",
                          "--select", "HARPER/LookingForwardTo,MT", str(article)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "gerund_form" not in out.stdout
    if fmt == "github":
        lines = [line for line in out.stdout.splitlines() if line.strip()]
        assert lines and all(line.startswith(("::", "cleanup: ")) for line in lines), out.stdout
    else:
        data = json.loads(out.stdout)
        assert data
    if fmt == "json":
        rules = [f["rule"] for f in json.loads(out.stdout)["files"][0]["findings"]]
        assert "HARPER/LookingForwardTo" in rules
