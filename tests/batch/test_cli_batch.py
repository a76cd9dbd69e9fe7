"""``cleanup batch`` on the command line: output, exit codes, one-line errors, Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from editor.cli import main
from tests.texts import BAD, GOOD, INFO

ROOT = Path(__file__).resolve().parents[2]


pytestmark = pytest.mark.usefixtures("starter_env")


def run(*args):
    runner = CliRunner()
    with runner.isolation() as (out, err, _):
        try:
            main(list(args))
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return code, out.getvalue().decode(), err.getvalue().decode()


def library():
    lib = Path("lib")
    lib.mkdir()
    (lib / "a.md").write_text(BAD + INFO, encoding="utf-8")
    (lib / "b.md").write_text(GOOD, encoding="utf-8")
    (lib / "c.txt").write_text(INFO, encoding="utf-8")
    return lib


def errors(err):
    return [line for line in err.splitlines() if line.startswith("cleanup:")]


def test_batch_writes_index_reports_and_summaries():
    library()
    code, out, err = run("batch", "lib", "--out", "out", "--jobs", "1")
    assert code == 0, err
    assert "cleanup batch: 3/3 articles (100%)" in err  # not a terminal: plain progress lines
    assert err.strip().splitlines()[-1].startswith("3 of 3 articles processed (3 checked, 0 from the cache)")
    assert out == ""
    for name in ("index.html", "summary.json", "summary.csv", "reports/a.md.html", "reports/b.md.html",
                 "reports/c.txt.html"):
        assert (Path("out") / name).is_file(), name
    code, _, err = run("batch", "lib", "--out", "out", "--jobs", "1", "--quiet")
    assert code == 0 and "cleanup batch:" not in err and "(0 checked, 3 from the cache)" in err


def test_fail_on_and_exit_codes():
    library()
    assert run("batch", "lib", "--out", "out", "-j", "1", "-q")[0] == 0  # findings alone do not fail a batch
    assert run("batch", "lib", "--out", "out", "-j", "1", "-q", "--fail-on", "warning")[0] == 1
    assert run("batch", "lib", "--out", "out", "-j", "1", "-q", "--fail-on", "error")[0] == 0


def test_unreadable_article_is_one_line_and_exit_2():
    library()
    Path("lib/bad.txt").write_bytes(b"caf\xe9\n")
    code, _, err = run("batch", "lib", "missing.md", "--out", "out", "-j", "1", "-q")
    assert code == 2
    assert errors(err) == ["cleanup: lib/bad.txt: not valid UTF-8 (byte 0xe9 at line 1) and not GBK, GB18030, Big5 "
                           "or UTF-16 either; convert it to UTF-8",
                           "cleanup: missing.md: no such file or directory"]
    assert "Traceback" not in err
    rows = {r["path"]: r for r in json.loads(Path("out/summary.json").read_text())["rows"]}
    assert rows["lib/a.md"]["status"] == "ok" and rows["lib/bad.txt"]["status"] == "error"


@pytest.mark.parametrize("args, message", [
    (("--out", "out", "--scheduler", "tcp://127.0.0.1:8786"), "--scheduler needs --executor dask"),
    (("--out", "file.txt/sub"), "file.txt/sub: cannot create the output folder"),
    (("--out", "out", "--model", "no_such_model"), "cannot load spaCy model 'no_such_model'"),
    (("--out", "out", "--jobs", "0"), "--jobs"),
    ((), "Missing option '--out'"),
])
def test_usage_errors_are_one_line_and_exit_2(args, message):
    library()
    Path("file.txt").write_text("x")
    code, _, err = run("batch", "lib", "-q", *args)
    assert code == 2
    assert len(errors(err)) == 1 and message in errors(err)[0], err
    assert "Traceback" not in err


def test_help_documents_the_exit_codes():
    code, out, _ = run("batch", "--help")
    assert code == 0 and "130 interrupted" in out and "--executor [local|dask]" in out


def test_ctrl_c_leaves_a_valid_index_and_a_rerun_resumes(tmp_path):
    lib = Path("lib")
    lib.mkdir()
    paragraph = " ".join([BAD.strip(), INFO.strip(), GOOD.strip()] * 12)
    n = 24
    for i in range(n):
        (lib / f"a{i:02d}.md").write_text("\n\n".join([paragraph] * 6), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "editor", "batch", "lib", "--out", "out", "--jobs", "1", "--progress", "lines",
         "--progress-interval", "0"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    seen = []
    try:
        for line in proc.stderr:
            seen.append(line)
            m = re.match(r"cleanup batch: (\d+)/\d+", line)
            if m and int(m.group(1)) >= 2:
                proc.send_signal(signal.SIGINT)
                break
        rest = proc.communicate(timeout=120)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
    err = "".join(seen) + rest
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    summary = json.loads(Path("out/summary.json").read_text())
    finished = summary["finished"]
    assert summary["run"]["interrupted"] is True and summary["complete"] is False
    assert 2 <= finished < n
    assert f"interrupted: {finished} of {n} articles finished" in err
    html = Path("out/index.html").read_text()
    assert 'id="interrupted"' in html and html.rstrip().endswith("</html>")
    assert len(list(Path("out/reports").glob("*.html"))) >= finished
    code, _, err = run("batch", "lib", "--out", "out", "--jobs", "1", "-q")
    assert code == 0, err
    again = json.loads(Path("out/summary.json").read_text())
    assert again["complete"] is True and again["run"]["from_cache"] >= finished
    assert again["run"]["checked"] == n - again["run"]["from_cache"]


def test_a_bad_rule_file_is_one_line_and_exit_2(rules_folder, monkeypatch, tmp_path):
    import shutil

    broken = tmp_path / "rules"
    shutil.copytree(rules_folder, broken)
    victim = next(broken.rglob("*.yaml"))
    victim.write_text(victim.read_text() + "\nunknown_key_here: 1\n")
    monkeypatch.setenv("CLEANUP_RULES", str(broken))
    library()
    code, _, err = run("batch", "lib", "--out", "out", "-j", "1", "-q")
    assert code == 2 and "Traceback" not in err
    assert len(errors(err)) == 1 and victim.name in errors(err)[0]


def test_batch_finds_what_check_finds():
    from collections import Counter

    library()
    Path("lib/d.md").write_text("# Title\n\n" + BAD + "<!-- cleanup-disable ST101 -->\n" + BAD + INFO, encoding="utf-8")
    code, out, err = run("check", "lib", "--format", "json", "--fail-on", "never", "-q")
    assert code == 0, err
    expected = {f["path"]: (dict(Counter(x["rule"] for x in f["findings"])), f["words"])
                for f in json.loads(out)["files"]}
    code, _, err = run("batch", "lib", "--out", "out", "-j", "1", "-q")
    assert code == 0, err
    rows = {r["path"]: (r["by_rule"], r["words"]) for r in json.loads(Path("out/summary.json").read_text())["rows"]}
    assert rows == expected
    assert expected["lib/d.md"][0]["ST101"] == 1  # the suppression comment applies in both
