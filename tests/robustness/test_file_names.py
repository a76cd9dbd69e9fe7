"""Issue 16, point 6: file names that are not valid UTF-8 (``b"caf\\xe9.md"``, Latin-1 on disk)
are reported and written safely; ``cleanup batch`` lists such a file as failed and goes on,
leaving no temporary file behind."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from editor.batch.runner import run_batch
from tests.robustness.support import run, run_process, temp_files
from tests.texts import BAD

pytestmark = pytest.mark.usefixtures("starter_env")

NAME = b"caf\xe9.md"
SHOWN = "caf\\xe9.md"


def latin1_article(folder: str = ".") -> str:
    path = os.path.join(os.fsencode(folder), NAME)
    with open(path, "wb") as fh:
        fh.write(BAD.encode())
    return os.fsdecode(path)


def test_check_prints_the_name_escaped_in_every_format():
    latin1_article()
    r = run("check", ".")
    assert r.code == 1, r
    assert f"./{SHOWN}:1:10: ST101" in r.out
    r = run("check", ".", "--format", "json")
    assert json.loads(r.out)["files"][0]["path"] == f"./{SHOWN}"
    r = run("check", ".", "--format", "github")
    assert f"file={SHOWN},line=1" in r.out
    r = run("check", ".", "--format", "sarif")
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for res in json.loads(r.out)["runs"][0]["results"] for loc in res["locations"]}
    assert uris == {"caf%E9.md"}  # the name's own bytes, percent-encoded


def test_the_report_is_written_beside_it_with_the_name_escaped_inside():
    path = latin1_article()
    r = run(path)
    assert r.code == 1, r
    report = Path(path + ".cleanup.html")
    html = report.read_bytes().decode("utf-8")  # valid UTF-8
    assert SHOWN in html
    assert temp_files(Path(".")) == []


def test_in_a_real_process_with_a_utf8_locale(tmp_path):
    latin1_article(str(tmp_path))
    p = run_process("check", "--ignore", "HARPER", ".", cwd=tmp_path,
                    env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "LANG": "C.UTF-8",
                         "LC_ALL": "C.UTF-8", "NO_COLOR": "1", "PYTHONUTF8": "0"})
    assert p.returncode == 1, p.stderr
    assert f"./{SHOWN}:1:10".encode() in p.stdout
    assert b"Traceback" not in p.stderr


def test_batch_lists_it_as_failed_and_goes_on():
    Path("lib").mkdir()
    latin1_article("lib")
    Path("lib/good.md").write_text(BAD, encoding="utf-8")
    out = run_batch(["lib"], "out", jobs=1, progress="none")
    assert out.exit_code() == 2
    rows = {r["path"]: r for r in json.loads(Path("out/summary.json").read_text("utf-8"))["rows"]}
    assert rows[f"lib/{SHOWN}"]["status"] == "error"
    assert "file name is not valid UTF-8 (byte 0xe9)" in rows[f"lib/{SHOWN}"]["error"]
    assert rows["lib/good.md"]["status"] == "ok"
    assert SHOWN in Path("out/index.html").read_text("utf-8") and SHOWN in Path("out/summary.csv").read_text("utf-8")
    assert temp_files(Path("out")) == []
    assert sorted(p.name for p in Path("out/reports").iterdir()) == ["good.md.html"]


def test_batch_on_the_command_line():
    Path("lib").mkdir()
    latin1_article("lib")
    r = run("batch", "lib", "--out", "out", "-q", "--timeout", "0")
    assert r.code == 2
    assert r.errors() == [f"cleanup: lib/{SHOWN}: the file name is not valid UTF-8 (byte 0xe9); rename it to "
                          "UTF-8 (e.g. convmv -f latin1 -t utf-8)"]
    assert temp_files(Path("out")) == []
