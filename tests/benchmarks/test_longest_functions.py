"""benchmarks/longest_functions.py: the longest functions of a folder, and a limit CI can hold."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    import longest_functions as lf
finally:
    sys.path.remove(str(ROOT / "benchmarks"))


def _function(name: str, body_lines: int, indent: str = "") -> str:
    body = "".join(f"{indent}    x{i} = {i}\n" for i in range(body_lines))
    return f"{indent}def {name}():\n{body}"


def test_it_finds_a_too_long_function_and_names_methods_and_nested_ones(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(_function("short", 3) + "\n\nclass K:\n" + _function("method", 10, "    "))
    (tmp_path / "pkg" / "b.py").write_text("@decorated\n" + _function("long", 84) + _function("inner", 2, "    "))
    found = lf.longest([tmp_path / "pkg"])
    assert [(f.name, f.lines) for f in found] == [("long", 88), ("K.method", 11), ("short", 4), ("long.inner", 3)]
    assert found[0].line == 2 and found[0].path.endswith("b.py")

    script = [sys.executable, str(ROOT / "benchmarks" / "longest_functions.py"), str(tmp_path / "pkg")]
    over = subprocess.run([*script, "--max", "80", "--top", "2"], capture_output=True, text=True)
    assert over.returncode == 1
    assert len(over.stdout.splitlines()) == 2 and "long" in over.stdout.splitlines()[0]
    assert over.stderr.splitlines() == [f"over 80 lines: {found[0]}"]
    within = subprocess.run([*script, "--max", "88"], capture_output=True, text=True)
    assert within.returncode == 0 and within.stderr == ""


def test_a_file_that_does_not_parse_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("def broken(:\n")
    assert lf.main([str(tmp_path)]) == 2
