"""Issue 16, point 11: ``--executor dask`` without dask, CSV cells a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from editor.batch.index import error_row, summary_csv
from tests.robustness.support import env
from tests.texts import BAD

pytestmark = pytest.mark.usefixtures("starter_env")


def test_dask_executor_without_dask_is_one_line_naming_the_extra(tmp_path):
    (tmp_path / "a.md").write_text(BAD, encoding="utf-8")
    code = textwrap.dedent("""
        import sys
        sys.modules["distributed"] = None  # as if dask[distributed] were not installed
        sys.modules["dask"] = None
        from editor.cli import main
        main(sys.argv[1:])
    """)
    p = subprocess.run([sys.executable, "-c", code, "batch", "a.md", "--out", "out", "--executor", "dask", "-q"],
                       cwd=tmp_path, capture_output=True, text=True, env=env(), timeout=120)
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr
    lines = [x for x in p.stderr.splitlines() if x.startswith("cleanup:")]
    assert lines == ["cleanup: --executor dask needs dask.distributed, which is not installed: "
                     "pip install 'cleanup-editor[cluster]'"]
    assert not (tmp_path / "out" / "reports").exists()  # refused before any article was checked


def test_csv_cells_a_spreadsheet_would_run_are_neutralised():
    formulas = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "-cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\r=1"]
    rows = [{**error_row(text, None, text), "title": text} for text in formulas]
    rows.append(error_row("docs/a-b.md", None, "not valid UTF-8"))  # ordinary cells are left alone
    table = list(csv.DictReader(io.StringIO(summary_csv(rows), newline="")))
    got = {r["path"]: r["problem"] for r in table}
    expected = {"'" + text: "'" + text for text in formulas}
    expected["docs/a-b.md"] = "not valid UTF-8"
    assert got == expected
