"""Issue 26, point 4 and the language-server part of point 7: hostile frames against the real
``cleanup server --stdio``, written byte for byte on its standard input. Every bad frame is
answered as JSON-RPC says (-32700 parse error or -32600 invalid request with id null, -32602
invalid params with the request's id), positions outside the document are clamped, an absurd
``Content-Length`` is refused, ``exit`` without ``shutdown`` is exit code 1 — and after each case
the server still answers a hover and publishes diagnostics. One server is shared by the cases that
leave it running; the exit codes need a server each; an exception inside a check is simulated in
this process (monkeypatched) on the same transport."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.robustness.support import env

TEXT = "Our tailor has alot of buttons.\n"  # ST105 on "alot" (characters 15-19)
ALOT = 15


class RawClient:
    """An LSP client that writes raw bytes and reads framed replies (a thread of its own)."""

    def __init__(self, write, read_stream):
        self._write = write
        self.messages: list[dict] = []
        self.arrived = threading.Condition()
        self.closed = False
        self.next_id = 0
        threading.Thread(target=self._read, args=(read_stream,), daemon=True).start()

    def _read(self, out) -> None:
        try:
            while True:
                n = None
                while (line := out.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        n = int(line.split(b":")[1])
                if not line:
                    break
                message = json.loads(out.read(n))
                with self.arrived:
                    self.messages.append(message)
                    self.arrived.notify_all()
        finally:
            with self.arrived:
                self.closed = True
                self.arrived.notify_all()

    def raw(self, data: bytes) -> None:
        self._write(data)

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        self.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method: str, params=None) -> int:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def wait(self, pred, since: int = 0, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for m in self.messages[since:]:
                    if pred(m):
                        return m
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    raise AssertionError(f"no such message (closed={self.closed}); got {self.messages[since:]}")
                self.arrived.wait(left)

    def reply(self, msg_id, since: int = 0, timeout: float = 30) -> dict:
        return self.wait(lambda m: m.get("id") == msg_id and "method" not in m, since, timeout)

    def diagnostics(self, uri: str, version: int, timeout: float = 60) -> list[dict]:
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == uri and m["params"].get("version") == version, timeout=timeout)
        return m["params"]["diagnostics"]

    def initialize(self, root: Path) -> dict:
        result = self.reply(self.request("initialize", {"processId": None, "rootUri": root.as_uri(),
                                                        "capabilities": {}}), timeout=60)
        self.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        return result

    def open(self, uri: str, text: str = TEXT) -> list[dict]:
        self.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
        return self.diagnostics(uri, 1)

    def hover_answers(self, uri: str) -> None:
        """The normal request after a hostile case: a hover on "alot" is answered with ST105."""
        since = len(self.messages)
        result = self.reply(self.request("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": ALOT + 1}}), since)["result"]
        assert result and "ST105" in result["contents"]["value"]


def start(cwd: Path) -> tuple[subprocess.Popen, RawClient]:
    proc = subprocess.Popen([sys.executable, "-m", "editor", "server", "--stdio", "--debounce", "0"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                            env=env())

    def write(data: bytes) -> None:
        proc.stdin.write(data)
        proc.stdin.flush()

    return proc, RawClient(write, proc.stdout)


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate(timeout=10)
    return proc.returncode, err.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One server for every case that leaves it running: (client, uri of an open document)."""
    root = tmp_path_factory.mktemp("lsp-hostile")
    proc, client = start(root)
    try:
        client.initialize(root)
        uri = (root / "tailor.md").as_uri()
        assert [d["code"] for d in client.open(uri)] == ["ST105"]
        yield client, uri, root
        client.send({"jsonrpc": "2.0", "id": 999, "method": "shutdown"})
        client.reply(999)
        client.send({"jsonrpc": "2.0", "method": "exit"})
        code, err = finish(proc)
        assert code == 0, err
        assert "Traceback" not in err, err  # every problem was one line in the log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)


def error_reply(client: RawClient, since: int) -> dict:
    return client.wait(lambda m: "error" in m and "method" not in m, since)


def framed(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.mark.parametrize("frame, code, reply_id", [
    (framed(b"not json!"), -32700, None),
    (framed(b"\xff\xfe{}"), -32700, None),  # not UTF-8
    (framed(b'{"jsonrpc": "2.0", "method": '), -32700, None),  # cut short
    (framed(b"[]"), -32600, None),  # an (empty) batch: LSP sends none
    (framed(json.dumps([{"jsonrpc": "2.0", "method": "shutdown", "id": 7}]).encode()), -32600, None),
    (framed(b"42"), -32600, None),
    (framed(b'"initialize"'), -32600, None),
    (framed(b'{"method": "shutdown", "id": 8}'), -32600, 8),  # no "jsonrpc": "2.0"
    (framed(b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}'), -32600, None),  # an object as id
    (framed(b'{"jsonrpc": "2.0", "id": 9}'), -32600, 9),  # neither request nor response
], ids=["not-json", "not-utf8", "cut-short", "empty-array", "batch", "number", "string", "no-jsonrpc", "object-id",
        "no-method"])
def test_a_body_that_is_not_a_message_is_answered_and_the_server_goes_on(served, frame, code, reply_id):
    client, uri, _ = served
    since = len(client.messages)
    client.raw(frame)
    reply = error_reply(client, since)
    assert reply["error"]["code"] == code and reply["id"] == reply_id and reply["jsonrpc"] == "2.0"
    client.hover_answers(uri)


@pytest.mark.parametrize("frame", [
    b'\r\n{"jsonrpc":"2.0","id":50,"method":"shutdown"}',  # no header at all
    b'Content-Type: application/vscode-jsonrpc\r\n\r\n{"jsonrpc":"2.0","id":51,"method":"shutdown"}',
    b'Content-Length: many\r\n\r\n{"jsonrpc":"2.0","id":52,"method":"shutdown"}',
    b'Content-Length: 5\r\nContent-Length: 6\r\n\r\n{"a":1}',
    b"\x00\x01garbage without a line break " * 3000,  # a "header line" over 64 KB
], ids=["no-header", "no-length", "bad-length", "two-lengths", "long-garbage"])
def test_a_frame_without_a_usable_length_is_a_parse_error_and_reading_resynchronises(served, frame):
    client, uri, _ = served
    since = len(client.messages)
    client.raw(frame)  # the body runs into the next frame's header, which is found again
    client.hover_answers(uri)
    reply = error_reply(client, since)
    assert reply["error"]["code"] == -32700 and reply["id"] is None
    # the body was skipped, not run: the server did not shut down
    assert not [m for m in client.messages[since:] if m.get("id") in (50, 51, 52)]


def test_an_absurd_content_length_is_refused_and_the_server_goes_on(served):
    client, uri, _ = served
    since = len(client.messages)
    client.raw(b'Content-Length: 1000000000000\r\n\r\n{"jsonrpc":"2.0","id":60,"method":"shutdown"}')
    client.hover_answers(uri)
    reply = error_reply(client, since)
    assert reply["error"]["code"] == -32700 and "64 MB" in reply["error"]["message"] and reply["id"] is None
    # just over the limit too, with a body that is actually sent
    since = len(client.messages)
    client.raw(b"Content-Length: %d\r\n\r\n" % (64 * 2**20 + 1) + b"{}")
    client.hover_answers(uri)
    assert error_reply(client, since)["error"]["code"] == -32700


@pytest.mark.parametrize("params, says", [
    ({"textDocument": {"uri": "URI"}}, "position"),
    ({"textDocument": {"uri": "URI"}, "position": "the third word"}, "textDocument/hover"),
    ({"textDocument": {"uri": "URI"}, "position": {"line": "one", "character": 2}}, "textDocument/hover"),
    (None, "textDocument/hover"),
    ([1, 2], "textDocument/hover"),
], ids=["position-missing", "position-string", "line-string", "no-params", "params-array"])
def test_a_request_with_bad_params_gets_invalid_params_with_its_id(served, params, says):
    client, uri, _ = served
    since = len(client.messages)
    params = json.loads(json.dumps(params).replace("URI", uri))
    msg_id = client.request("textDocument/hover", params)
    reply = client.reply(msg_id, since)
    assert reply["error"]["code"] == -32602 and says in reply["error"]["message"]
    client.hover_answers(uri)


def _change(client: RawClient, uri: str, version: int, start: tuple, end: tuple, text: str) -> list[dict]:
    client.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": {
            "start": {"line": start[0], "character": start[1]}, "end": {"line": end[0], "character": end[1]}},
            "text": text}]}})
    return client.diagnostics(uri, version)


def test_change_positions_outside_the_document_are_clamped_and_checked(served):
    client, _, root = served
    uri = (root / "clamped.md").as_uri()
    client.open(uri)
    # a negative character: the start of the line (the client meant the start, or nothing sane)
    diags = _change(client, uri, 2, (0, -5), (0, -1), "Yes. ")
    assert [(d["code"], d["range"]["start"]["character"]) for d in diags] == [("ST105", ALOT + 5)]
    # a line past the end: the end of the text
    diags = _change(client, uri, 3, (40, 0), (41, 3), "He has alot of pins.\n")
    assert [(d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in diags] == [(0, ALOT + 5), (1, 7)]
    # a character past its line's end, and a line number past LSP's uinteger: ends of line / text
    diags = _change(client, uri, 4, (0, 10**6), (0, 2**40), " Indeed.")
    assert len(diags) == 2
    since = len(client.messages)
    hover = client.reply(client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": 1, "character": 8}}), since)["result"]
    assert "ST105" in hover["contents"]["value"]
    assert hover["range"]["start"] == {"line": 1, "character": 7}


def test_requests_after_shutdown_are_refused_and_exit_without_shutdown_is_1(tmp_path):
    """LSP: exit code 0 after shutdown, 1 without; requests between shutdown and exit are errors."""
    proc, client = start(tmp_path)
    try:
        client.initialize(tmp_path)
        client.send({"jsonrpc": "2.0", "method": "exit"})
        code, err = finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 1, err
    assert "Traceback" not in err and "Fatal Python error" not in err, err
    proc, client = start(tmp_path)
    try:
        client.initialize(tmp_path)
        client.reply(client.request("shutdown"))
        refused = client.reply(client.request("textDocument/hover", {
            "textDocument": {"uri": (tmp_path / "a.md").as_uri()}, "position": {"line": 0, "character": 0}}))
        assert refused["error"]["code"] == -32600
        client.send({"jsonrpc": "2.0", "method": "exit"})
        code, err = finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert code == 0, err


def test_an_exception_in_a_check_is_one_message_and_the_server_goes_on(tmp_path, monkeypatch):
    """In this process, on the real transport (pipes): a check that raises, and a change handler
    that raises, each give the client one window/showMessage error; the server goes on."""
    import editor.lsp.server as server_module

    server = server_module.build_server(debounce=0, in_process=True)
    real = server.session.check_document

    def flaky(doc, cfg=None, fix=None):
        if "explode" in doc.text:
            raise RuntimeError("a rule fell over")
        return real(doc, cfg, fix)

    monkeypatch.setattr(server.session, "check_document", flaky)
    to_server, from_client = os.pipe()
    to_client, from_server = os.pipe()
    exit_code = []
    with open(to_server, "rb", buffering=0) as stdin, open(from_server, "wb") as stdout, \
            open(from_client, "wb", buffering=0) as client_out, open(to_client, "rb") as client_in:
        thread = threading.Thread(target=lambda: exit_code.append(server.start_io(stdin, stdout)), daemon=True)
        thread.start()
        client = RawClient(client_out.write, client_in)
        client.initialize(tmp_path)
        shown = lambda m: m.get("method") == "window/showMessage" and m["params"]["type"] == 1  # noqa: E731
        bad = (tmp_path / "bad.md").as_uri()
        for _ in range(2):  # the same failure twice: told once
            client.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": bad, "languageId": "markdown", "version": 1, "text": "Do not explode.\n"}}})
        message = client.wait(shown, timeout=60)
        assert "a rule fell over" in message["params"]["message"]
        good = (tmp_path / "good.md").as_uri()
        assert [d["code"] for d in client.open(good)] == ["ST105"]
        client.hover_answers(good)
        assert len([m for m in client.messages if shown(m)]) == 1
        # a notification handler that raises: one message, and the server still answers
        monkeypatch.setattr(server_module, "apply_change", lambda *a: 1 / 0)
        since = len(client.messages)
        client.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": good, "version": 2}, "contentChanges": [{"range": {
                "start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]}})
        assert "division by zero" in client.wait(shown, since)["params"]["message"]
        client.hover_answers(good)
        client.reply(client.request("shutdown"))
        client.send({"jsonrpc": "2.0", "method": "exit"})
        thread.join(timeout=30)
    assert exit_code == [0]
