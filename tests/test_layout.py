"""The package's shape: it stands alone (the evaluation metric lives in benchmarks/, which it
serves; no module of ``editor`` imports it or anything else from there), and no function of the
package or the benchmarks reaches 80 lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

IMPORT_ALL = """
import importlib, json, pkgutil, sys
import editor
for m in pkgutil.walk_packages(editor.__path__, "editor."):
    if m.name != "editor.__main__":  # runs the command line
        importlib.import_module(m.name)
print(json.dumps(sorted(sys.modules)))
"""


def test_no_module_of_the_package_imports_the_benchmarks() -> None:
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True, cwd=ROOT / "tests",
                          timeout=300)
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(done.stdout))
    assert "editor.cli" in modules and "editor.batch.runner" in modules  # every module was imported
    assert "editor.evaluate" not in modules
    bench = {p.stem for p in (ROOT / "benchmarks").glob("*.py")}
    assert "evaluation" in bench
    assert not bench & modules, f"benchmark modules imported by the package: {sorted(bench & modules)}"
    assert not any(m == "benchmarks" or m.startswith("benchmarks.") for m in modules)


def test_the_evaluation_module_is_not_in_the_package() -> None:
    assert not (ROOT / "editor" / "evaluate.py").exists()
    assert (ROOT / "benchmarks" / "evaluation.py").is_file()


def test_no_function_of_the_package_or_the_benchmarks_reaches_80_lines() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "longest_functions.py"), "editor", "benchmarks",
                           "--max", "79", "--top", "3"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
