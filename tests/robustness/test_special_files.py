"""Issue 16, point 10: FIFOs, devices and other files that are not regular, named as articles,
are exit 2 at once (reading one blocked forever or never ended); a NUL byte anywhere makes a
file binary. (The 1 MB paragraph's memory is measured by benchmarks/pathological.py.)"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import pytest

from editor.document import InputError, read_document
from tests.robustness.support import run_process
from tests.texts import BAD

pytestmark = pytest.mark.usefixtures("starter_env")


def test_a_fifo_is_refused_at_once_in_a_real_process(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "a.md").write_text(BAD, encoding="utf-8")
    t0 = time.monotonic()
    p = run_process("check", "--ignore", "HARPER", "pipe.md", "a.md", cwd=tmp_path, timeout=120)
    assert time.monotonic() - t0 < 60
    assert p.returncode == 2, p.stderr
    errors = [x for x in p.stderr.decode().splitlines() if x.startswith("cleanup:")]
    assert errors == ["cleanup: pipe.md: is a FIFO (named pipe), not an article"]
    assert b"a.md:1:10: ST101" in p.stdout  # the other article is still checked


def _memory_cap() -> None:
    """At most 6 GB of address space: reading /dev/zero, as cleanup once did, fails fast instead
    of taking the machine's memory."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))


def test_a_device_is_refused_without_reading_it(tmp_path):
    p = run_process("check", "--ignore", "HARPER", "/dev/zero", cwd=tmp_path, timeout=120, preexec_fn=_memory_cap)
    assert p.returncode == 2
    assert b"cleanup: /dev/zero: is a character device, not an article" in p.stderr


def test_a_socket_is_refused(tmp_path):
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(tmp_path / "sock.md"))
        with pytest.raises(InputError, match="is a socket, not an article"):
            read_document(tmp_path / "sock.md")
    finally:
        s.close()
    with pytest.raises(InputError, match="is a directory"):  # a folder keeps its own message
        read_document(tmp_path)


def test_a_fifo_in_a_batch_folder_is_listed_as_failed():
    Path("lib").mkdir()
    os.mkfifo("lib/pipe.md")
    Path("lib/a.md").write_text(BAD, encoding="utf-8")
    p = run_process("batch", "lib", "--out", "out", "-q", "--ignore", "HARPER", timeout=120)  # it used to block
    assert p.returncode == 2, p.stderr
    rows = {r["path"]: r for r in json.loads(Path("out/summary.json").read_text("utf-8"))["rows"]}
    assert rows["lib/pipe.md"]["error"] == "is a FIFO (named pipe), not an article"
    assert rows["lib/a.md"]["status"] == "ok"


def test_a_nul_byte_anywhere_marks_a_binary_file(tmp_path):
    late = tmp_path / "late.md"
    late.write_bytes(BAD.encode() * 1000 + b"\x00" + BAD.encode())  # the NUL is past the first 8 KB
    with pytest.raises(InputError, match="binary file"):
        read_document(late)
    (tmp_path / "clean.md").write_bytes(BAD.encode() * 1000)
    assert read_document(tmp_path / "clean.md").text == BAD * 1000

