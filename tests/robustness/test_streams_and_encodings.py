"""Issue 26, point 7: a reader that goes away after the first bytes of a JSON or SARIF document
(exit 141, not 1), Ctrl-C during a long check (exit 130 at once), UTF-16 surrogates written as
UTF-8 bytes (refused, not read as GB18030), and Big5 files whose bytes outside the fixes must come
back exactly as they were."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from editor.document import InputError, decode_article, splice_encoded
from tests.robustness.support import env, one_error, run

EXIT_BROKEN_PIPE = 141
SENTENCE = "The council said that the the new library will open its doors to readers next spring. "
CESU8_EMOJI = b"\xed\xa0\xbd\xed\xb8\x82"  # U+1F642 as two UTF-16 surrogates, each written as UTF-8
BIG5_TEN = b"\xa2\xcc"  # 十 as Big5's radical form: read as U+5341, which Python writes back as A451


def _article(tmp_path, n: int = 300):
    path = tmp_path / "long.md"
    path.write_text("\n\n".join(SENTENCE * 4 for _ in range(n)), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github"])
def test_a_reader_that_goes_away_is_exit_141_in_every_format(tmp_path, fmt):
    path = _article(tmp_path, 60)
    p = subprocess.Popen([sys.executable, "-m", "editor", "check", "--format", fmt, "--select", "MT702,MT452",
                          str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env())
    try:
        assert p.stdout.read(10)
        p.stdout.close()  # like `| head -c 10`
        err = p.stderr.read().decode()
        assert p.wait(timeout=120) == EXIT_BROKEN_PIPE, err
    finally:
        p.kill()
    assert "Traceback" not in err and "Exception ignored" not in err


def test_a_json_document_still_ends_whole_when_read_to_the_end(tmp_path):
    import json

    path = _article(tmp_path, 20)
    p = subprocess.run([sys.executable, "-m", "editor", "check", "--format", "json", str(path)],
                       capture_output=True, env=env(), timeout=120)
    assert p.returncode in (0, 1)
    assert json.loads(p.stdout)["files"][0]["path"].endswith("long.md")


def test_ctrl_c_at_a_terminal_stops_a_long_check_at_once(tmp_path):
    path = _article(tmp_path, 600)  # about 0.2 MB: a check of many seconds
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.environ.update(env())
        os.execv(sys.executable, [sys.executable, "-m", "editor", "check", str(path)])
    try:
        time.sleep(6)  # spaCy loaded, the check under way
        os.write(fd, b"\x03")  # Ctrl-C: the terminal sends SIGINT to the foreground process
        t0 = time.monotonic()
        status = _wait_reading(pid, fd, 30)
        elapsed = time.monotonic() - t0
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert os.waitstatus_to_exitcode(status) == 130
    assert elapsed < 5


def _wait_reading(pid: int, fd: int, limit: float) -> int:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                pass
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
    raise AssertionError(f"still running {limit} s after Ctrl-C")


def test_sigint_to_a_process_stops_it_with_130(tmp_path):
    path = _article(tmp_path, 600)
    p = subprocess.Popen([sys.executable, "-m", "editor", "check", str(path)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env())
    try:
        time.sleep(6)
        p.send_signal(signal.SIGINT)
        t0 = time.monotonic()
        out, err = p.communicate(timeout=30)
    finally:
        p.kill()
    assert p.returncode == 130, err
    assert time.monotonic() - t0 < 5
    assert err.decode().strip().endswith("cleanup: interrupted") and b"Traceback" not in err


@pytest.mark.parametrize("data, line", [
    (b"A short note about rivers. " + CESU8_EMOJI + b" The end.\n", 1),
    (b"First line.\nSecond line " + CESU8_EMOJI + b"\n", 2),
    (b"A lone surrogate \xed\xa0\x80 in text.\n", 1),
])
def test_surrogates_written_as_utf8_are_refused(data, line):
    with pytest.raises(InputError) as e:
        decode_article(data, "a.txt")
    assert str(e.value) == (f"a.txt: not valid UTF-8: UTF-16 surrogates encoded as UTF-8 (CESU-8) at line {line} "
                            "(bytes 0xed 0xa0); convert it to UTF-8")


def test_gb18030_with_the_same_bytes_is_still_read():
    data = "中文的文章，关于一座新桥。".encode("gb18030") * 10
    text, enc, _ = decode_article(data, "zh.txt")
    assert enc == "gb18030" and text.startswith("中文的文章")


@pytest.mark.usefixtures("starter_env")
def test_the_command_line_names_the_file_and_exits_2(tmp_path):
    (tmp_path / "cesu.md").write_bytes(b"Some words " + CESU8_EMOJI + b" here.\n")
    r = run("check", "cesu.md")
    assert r.code == 2
    one_error(r, "cesu.md", "CESU-8")


def test_big5_fix_keeps_every_byte_outside_the_fix(tmp_path):
    line = "這是一篇關於橋樑的文章".encode("big5") + BIG5_TEN
    body = (line + b"\n\nThe committee said that the the bridge " + BIG5_TEN + b" will open.\r\n\r\n") * 5
    path = tmp_path / "a.txt"
    path.write_bytes(body)
    p = subprocess.run([sys.executable, "-m", "editor", str(path), "--fix", "--unsafe-fixes", "--no-report",
                        "--select", "MT702"], capture_output=True, env=env(), timeout=120, text=True)
    assert "fixed 5" in p.stderr, p.stderr
    assert path.read_bytes() == body.replace(b"the the", b"the")


@pytest.mark.parametrize("encoding", ["big5", "cp950", "big5hkscs", "gb18030", "utf-16-le"])
def test_splice_encoded_decodes_to_the_new_text(encoding):
    old = "第一行\r\n第二行 alpha\n第三行"
    original = old.encode(encoding)
    new = "第一行\r\n第二行 beta\n第三行\n新"
    assert splice_encoded(original, new, encoding).decode(encoding) == new


def test_splice_encoded_keeps_duplicate_codes_in_edited_lines():
    original = b"ab" + BIG5_TEN + b"cd\n" + BIG5_TEN + b"x"
    got = splice_encoded(original, "ab十Xd\n十x\nnew 十", "big5")
    assert got == b"ab" + BIG5_TEN + b"Xd\n" + BIG5_TEN + b"x\nnew " + "十".encode("big5")
