"""Issue 16, points 7 and 9: two ``cleanup batch`` runs on one output folder, a busy cache, and the
parent dying (SIGKILL, SIGTERM, a double Ctrl-C) while workers run."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from editor.batch import cache as cache_module
from editor.batch import runner
from editor.batch.cache import CACHE_NAME, ResultCache
from editor.batch.runner import BatchError, run_batch
from tests.robustness.support import env, one_error, run, temp_files
from tests.texts import BAD, GOOD, INFO

pytestmark = pytest.mark.usefixtures("starter_env")


def library(n: int = 3, paragraphs: int = 1) -> Path:
    lib = Path("lib")
    lib.mkdir(exist_ok=True)
    paragraph = " ".join([BAD.strip(), INFO.strip(), GOOD.strip()] * 12)
    for i in range(n):
        (lib / f"a{i:02d}.md").write_text("\n\n".join([paragraph] * paragraphs), encoding="utf-8")
    return lib


def processes_with(marker: str) -> list[int]:
    """Live processes (not zombies) whose environment holds ``marker``: the ones a test started."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            if marker.encode() not in Path(f"/proc/{pid}/environ").read_bytes():
                continue
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            found.append(int(pid))
    return found


def wait_until_gone(marker: str, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = processes_with(marker)
        if not left:
            return []
        time.sleep(0.2)
    return processes_with(marker)


def kill_all(marker: str) -> None:
    for pid in processes_with(marker):  # only processes this test started (its unique marker)
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def start_batch(marker: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "editor", "batch", "lib", "--out", "out", "--jobs", "2", "--progress", "lines",
         "--progress-interval", "0", *extra],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env(CLEANUP_TEST_MARK=marker))


def wait_for_progress(proc: subprocess.Popen, at_least: int, seen: list[str]) -> None:
    for line in proc.stderr:
        seen.append(line)
        m = re.match(r"cleanup batch: (\d+)/\d+", line)
        if m and int(m.group(1)) >= at_least:
            return
    raise AssertionError("the batch ended before it got that far: " + "".join(seen))


# --------------------------------------------------------------------------------------------
# point 7: one run per output folder; a busy cache is not broken


def test_a_second_run_on_the_same_folder_stops_with_a_clear_message():
    library(12, paragraphs=4)
    marker = f"cleanup-test-{uuid.uuid4()}"
    first = start_batch(marker)
    seen: list[str] = []
    try:
        wait_for_progress(first, 1, seen)
        r = run("batch", "lib", "--out", "out", "-q")
        assert r.code == 2
        one_error(r, "out: another cleanup batch", f"(pid {first.pid})", "use another --out")
        rest = first.communicate(timeout=300)[1]
    finally:
        if first.poll() is None:
            first.kill()
        kill_all(marker)
    assert first.returncode == 0, "".join(seen) + rest
    summary = json.loads(Path("out/summary.json").read_text("utf-8"))
    assert summary["complete"] is True and summary["totals"]["processed"] == 12  # the first run lost nothing
    # the lock went with its holder: the next run works
    assert run("batch", "lib", "--out", "out", "-q").code == 0


def test_a_lock_left_by_a_killed_run_does_not_block_the_next(tmp_path):
    library(1)
    Path("out").mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(Path('out') / '.cleanup-batch.lock')!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, b'%d\\n' % os.getpid())\n"
        "print('locked', flush=True); time.sleep(120)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(BatchError, match=f"another cleanup batch \\(pid {holder.pid}\\)"):
            run_batch(["lib"], "out", jobs=1, progress="none")
        holder.kill()
        holder.wait()
        assert run_batch(["lib"], "out", jobs=1, progress="none").exit_code() == 0
    finally:
        if holder.poll() is None:
            holder.kill()


def test_a_busy_cache_is_never_moved_aside_and_no_result_is_lost(monkeypatch):
    lib = library(3)
    assert run_batch([str(lib)], "out", jobs=1, progress="none").exit_code() == 0
    monkeypatch.setattr(cache_module, "BUSY_TIMEOUT", 0.5)
    other = sqlite3.connect(str(Path("out") / CACHE_NAME), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process is writing and does not let go
    warnings: list[str] = []
    try:
        (lib / "new.md").write_text(BAD + BAD, encoding="utf-8")
        out = run_batch([str(lib)], "out", jobs=1, progress="none", warn=warnings.append)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not Path("out/.cleanup-cache.sqlite3.broken").exists()
    assert any("in use by another process" in w and "without the cache" in w for w in warnings), warnings
    assert out.exit_code() == 0 and out.stats["checked"] == 4
    rows = {r["path"] for r in json.loads(Path("out/summary.json").read_text("utf-8"))["rows"]}
    assert rows == {"lib/a00.md", "lib/a01.md", "lib/a02.md", "lib/new.md"}
    # the cache was left as it was, and serves the next run
    assert run_batch([str(lib)], "out", jobs=1, progress="none").stats["from_cache"] == 3


def test_every_result_is_committed_at_once(tmp_path):
    cache = ResultCache(tmp_path / CACHE_NAME)
    cache.put("k1", "a.md", {"words": 1, "findings": []})
    other = sqlite3.connect(str(tmp_path / CACHE_NAME))
    try:
        assert other.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 1  # visible before close()
    finally:
        other.close()
        cache.close()


# --------------------------------------------------------------------------------------------
# point 9: the parent dies, or is asked to stop


def test_workers_exit_when_the_parent_is_killed():
    library(16, paragraphs=6)
    marker = f"cleanup-test-{uuid.uuid4()}"
    proc = start_batch(marker)
    try:
        wait_for_progress(proc, 1, [])
        workers = [p for p in processes_with(marker) if p != proc.pid]
        assert workers, "the batch should have worker processes"
        proc.kill()  # SIGKILL: no handler runs in the parent
        proc.wait(30)
        assert wait_until_gone(marker, 20) == []  # used to stay, 200-450 MB each, for good
    finally:
        if proc.poll() is None:
            proc.kill()
        kill_all(marker)


def test_sigterm_writes_the_partial_index_and_stops_the_workers():
    n = 16
    library(n, paragraphs=6)
    marker = f"cleanup-test-{uuid.uuid4()}"
    proc = start_batch(marker)
    seen: list[str] = []
    try:
        wait_for_progress(proc, 2, seen)
        proc.send_signal(signal.SIGTERM)
        rest = proc.communicate(timeout=120)[1]
        assert wait_until_gone(marker, 20) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        kill_all(marker)
    err = "".join(seen) + rest
    assert proc.returncode == 143, err
    assert "Traceback" not in err
    summary = json.loads(Path("out/summary.json").read_text("utf-8"))
    assert summary["complete"] is False and summary["run"]["interrupted"] is True
    assert 2 <= summary["finished"] < n
    html = Path("out/index.html").read_text("utf-8")
    assert 'id="interrupted"' in html and html.rstrip().endswith("</html>")
    assert temp_files(Path("out")) == []
    # the next run resumes from the cache
    r = run("batch", "lib", "--out", "out", "-q")
    assert r.code == 0, r
    assert json.loads(Path("out/summary.json").read_text("utf-8"))["run"]["from_cache"] >= summary["finished"]


def test_a_second_ctrl_c_while_the_index_is_written_still_leaves_a_valid_index(monkeypatch):
    from editor.batch import index

    lib = library(5)
    real_process = runner.process_item
    calls = {"n": 0}

    def first_ctrl_c(item):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real_process(item)

    real_csv = index.summary_csv

    def second_ctrl_c(rows):
        os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C again while the index is written
        time.sleep(0.2)
        return real_csv(rows)

    monkeypatch.setattr(runner, "process_item", first_ctrl_c)
    monkeypatch.setattr(index, "summary_csv", second_ctrl_c)
    out = run_batch([str(lib)], "out", jobs=1, progress="none")
    assert out.interrupted and out.exit_code() == 130
    summary = json.loads(Path("out/summary.json").read_text("utf-8"))
    assert summary["finished"] == 2 and summary["complete"] is False
    assert len(Path("out/summary.csv").read_text("utf-8").splitlines()) == 3  # header + 2 rows
    html = Path("out/index.html").read_text("utf-8")
    assert 'id="interrupted"' in html and html.rstrip().endswith("</html>")
    assert temp_files(Path("out")) == []
