"""Issue 26, point 1 for the language server: checks run in a worker process, so a native crash
in an engine (simulated: the worker calls ``os.abort()`` on a marker, editor/web/workers.py's test
hook, read by workers only) or a check over ``--check-timeout`` is one ``window/showMessage``
error; the real ``cleanup server --stdio`` stays alive, replaces its worker, checks the next edit
and still answers hovers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.robustness.support import env
from tests.robustness.test_lsp_hostile import TEXT, RawClient, finish

CRASH = "BOOMMARKER"
STALL = "STALLMARKER"


def start(cwd: Path, *args: str) -> tuple[subprocess.Popen, RawClient]:
    proc = subprocess.Popen([sys.executable, "-m", "editor", "server", "--stdio", "--debounce", "0", *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                            env=env(CLEANUP_TEST_CRASH_ON=CRASH, CLEANUP_TEST_STALL_ON=STALL))

    def write(data: bytes) -> None:
        proc.stdin.write(data)
        proc.stdin.flush()

    return proc, RawClient(write, proc.stdout)


def shown(m: dict) -> bool:
    return m.get("method") == "window/showMessage" and m["params"]["type"] == 1


def change(client: RawClient, uri: str, version: int, text: str) -> None:
    client.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}})


def published(client: RawClient, uri: str, version: int) -> list[dict]:
    return [m for m in client.messages if m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri and m["params"].get("version") == version]


def shut_down(client: RawClient, proc: subprocess.Popen) -> tuple[int, str]:
    """shutdown, then exit: the server's exit code and standard error."""
    client.reply(client.request("shutdown"))
    client.send({"jsonrpc": "2.0", "method": "exit"})
    return finish(proc)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.communicate(timeout=10)


def test_a_crash_or_a_stalled_check_is_one_message_and_the_next_edit_is_checked(tmp_path):
    proc, client = start(tmp_path, "--check-timeout", "6")
    try:
        client.initialize(tmp_path)
        uri = (tmp_path / "tailor.md").as_uri()
        # the worker aborts on the marker: one error message naming the file and the signal
        since = len(client.messages)
        client.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": f"A {CRASH} with alot of noise.\n"}}})
        message = client.wait(shown, since, timeout=120)["params"]["message"]
        assert message == f"cleanup: the check of {tmp_path / 'tailor.md'} crashed (signal 6, SIGABRT); " \
                          "the checker was restarted"
        assert proc.poll() is None
        # the next edit is checked by the replacement worker; hovers work on its findings
        change(client, uri, 2, TEXT)
        assert [d["code"] for d in client.diagnostics(uri, 2, timeout=120)] == ["ST105"]
        client.hover_answers(uri)
        assert not published(client, uri, 1)  # nothing for the version whose check crashed
        assert len([m for m in client.messages[since:] if shown(m)]) == 1
        # a check over --check-timeout: the worker is killed and replaced, the user told once
        since = len(client.messages)
        change(client, uri, 3, f"A {STALL} here.\n")
        message = client.wait(shown, since, timeout=60)["params"]["message"]
        assert "took longer than 6 s and was stopped; the checker was restarted" in message
        change(client, uri, 4, "He has alot of pins.\n" + TEXT)
        assert [d["code"] for d in client.diagnostics(uri, 4, timeout=120)] == ["ST105", "ST105"]
        assert not published(client, uri, 3)
        assert len([m for m in client.messages[since:] if shown(m)]) == 1
        code, err = shut_down(client, proc)
    finally:
        stop(proc)
    assert code == 0, err
    assert "Traceback" not in err, err


def test_in_process_checks_ignore_the_test_hook_and_keep_working(tmp_path):
    """``--in-process``: no worker, so the crash hook (read by workers only) never fires."""
    proc, client = start(tmp_path, "--in-process")
    try:
        client.initialize(tmp_path)
        uri = (tmp_path / "tailor.md").as_uri()
        assert [d["code"] for d in client.open(uri, f"{CRASH}. " + TEXT)] == ["ST105"]
        code, err = shut_down(client, proc)
    finally:
        stop(proc)
    assert code == 0, err
