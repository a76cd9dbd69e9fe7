"""Issue 16, point 8: a hostile or broken LanguageTool server. ``--languagetool-timeout`` bounds
the whole exchange (a server trickling a byte at a time fails at the limit); replies are capped in
size, compressed and decompressed; replies are validated; ``nan``/``inf`` timeouts are refused.
Every failure is one clear message, never a traceback or gigabytes of memory."""

from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

pytest.importorskip("language_tool_python")

from editor.backends import EngineError  # noqa: E402
from editor.backends.languagetool import LanguageToolEngine  # noqa: E402
from editor.segment import segment  # noqa: E402
from tests.robustness.support import one_error, run  # noqa: E402

LANGUAGES = [{"name": "English (US)", "code": "en", "longCode": "en-US"}]
TEXT = "He go to a apple.\n"


def match(**over) -> dict:
    m = {"message": "Use 'an'.", "offset": 9, "length": 1, "replacements": [{"value": "an"}],
         "rule": {"id": "EN_A_VS_AN", "description": "a/an", "issueType": "misspelling",
                  "category": {"id": "MISC", "name": "Misc"}}}
    m.update(over)
    return m


class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "HostileServer"

    def log_message(self, *a):
        pass

    def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        languages = self.server.languages
        if languages == "short":  # announces 500 bytes, sends 14 and closes
            self.send_response(200)
            self.send_header("Content-Length", "500")
            self.end_headers()
            self.wfile.write(b'[{"name": "En')
            self.close_connection = True
            return
        self._send(200, json.dumps(languages).encode())

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        mode = self.server.mode
        try:
            if mode == "trickle":  # headers at once, then one byte of the body every 0.4 s
                body = json.dumps({"matches": []}).encode() + b" " * 200
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for i in range(len(body)):
                    if self.server.stopped.is_set():
                        return
                    self.wfile.write(body[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.4)
            elif mode == "trickle-status":  # even the status line comes a byte at a time
                for ch in b"HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n":
                    if self.server.stopped.is_set():
                        return
                    self.wfile.write(bytes([ch]))
                    self.wfile.flush()
                    time.sleep(0.4)
            elif mode == "big":  # 40 MB of valid JSON
                body = b'{"matches": [' + b" " * (40 * 1024 * 1024) + b"]}"
                self._send(200, body)
            elif mode == "bomb":  # 100 KB that inflate to 100 MB of valid JSON
                self._send(200, self.server.bomb, {"Content-Encoding": "gzip"})
            elif mode == "gzip":  # an ordinary compressed reply
                body = gzip.compress(json.dumps(self.server.reply).encode())
                self._send(200, body, {"Content-Encoding": "gzip"})
            elif mode == "short":  # the connection closes in the middle of the body
                self.send_response(200)
                self.send_header("Content-Length", "500")
                self.end_headers()
                self.wfile.write(b'{"matches": [')
                self.close_connection = True
            elif mode == "brotli":
                self._send(200, b"xx", {"Content-Encoding": "br"})
            else:
                self._send(200, json.dumps(self.server.reply, separators=(",", ":")).encode())
        except (BrokenPipeError, ConnectionResetError):
            pass


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Hostile)
        self.mode = "json"
        self.languages: object = LANGUAGES
        self.reply: object = {"matches": []}
        self.stopped = threading.Event()
        self.bomb = gzip.compress(b'{"matches": [' + b" " * (100 * 1024 * 1024) + b"]}", 9)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture(scope="module")
def hostile():
    srv = HostileServer()
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield srv
    srv.stopped.set()
    srv.shutdown()
    srv.server_close()


def check(server, timeout: float = 5.0, text: str = TEXT):
    engine = LanguageToolEngine(server.url, timeout=timeout)
    engine.open()
    segs = segment(text, "txt")
    try:
        return engine.finish(engine.start(segs), segs, text)
    finally:
        engine.close()


@pytest.mark.parametrize("mode", ["trickle", "trickle-status"])
def test_a_trickling_server_fails_at_the_limit(hostile, mode):
    hostile.mode = mode
    t0 = time.monotonic()
    box = {}

    def attempt():
        try:
            check(hostile, timeout=1.5)
        except EngineError as e:
            box["error"] = str(e)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(30)
    elapsed = time.monotonic() - t0
    assert not worker.is_alive(), "the request was still running after 30 s (timeout 1.5 s)"
    assert "no answer within 1.5 s" in box["error"] and hostile.url in box["error"]
    assert elapsed < 1.5 + 1.0


def test_a_reply_too_large_is_refused(hostile):
    hostile.mode = "big"
    with pytest.raises(EngineError, match="the reply is larger than 32 MB; refused"):
        check(hostile, timeout=30)


def test_a_compression_bomb_is_refused_before_it_inflates_and_a_plain_reply_still_works(hostile):
    hostile.mode = "bomb"
    with pytest.raises(EngineError, match="the reply decompresses to more than 32 MB; refused"):
        check(hostile, timeout=30)
    hostile.mode, hostile.reply = "gzip", {"matches": [match()]}
    found = check(hostile)
    assert [(f.rule, f.span.start, f.span.end, [e.replacement for fx in f.fixes for e in fx.edits]) for f in found] \
        == [("LT/EN_A_VS_AN", 9, 10, ["an"])]


def test_an_unknown_content_encoding_is_refused(hostile):
    hostile.mode = "brotli"
    with pytest.raises(EngineError, match="encoded as 'br', which is not supported"):
        check(hostile)


@pytest.mark.parametrize("bad, problem", [
    (match(replacements=[{"value": 5}]), "replacements must be a list"),
    (match(replacements=[{"value": None}]), "replacements must be a list"),
    (match(replacements="an"), "replacements must be a list"),
    (match(offset=2, length=-1), "offset and length must be whole numbers"),
    (match(offset=1.5), "offset and length must be whole numbers"),
    (match(offset=True), "offset and length must be whole numbers"),
    (match(message=["x"]), "the message is not text"),
    (match(rule={"id": 3, "category": {"id": "MISC"}}), "no rule id"),
    ("just a string", "not an object"),
])
def test_malformed_matches_are_one_clear_error(hostile, bad, problem):
    hostile.mode, hostile.reply = "json", {"matches": [bad]}
    with pytest.raises(EngineError) as e:
        check(hostile)
    message = str(e.value)
    assert problem in message and hostile.url in message and "\n" not in message


def test_two_hundred_thousand_matches_are_refused(hostile):
    small = {"offset": 0, "length": 1, "message": "m", "rule": {"id": "R", "category": {"id": "C"}}}
    hostile.mode, hostile.reply = "json", {"matches": [small] * 200_000}  # 14 MB: under the size cap
    with pytest.raises(EngineError, match="implausible reply: 200000 matches for 17 characters \\(at most 1000 accepted\\)"):
        check(hostile, timeout=30)


@pytest.mark.usefixtures("starter_env")
@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_nan_and_inf_timeouts_are_refused(value):
    from pathlib import Path

    Path("a.md").write_text(TEXT, encoding="utf-8")
    r = run("check", "a.md", "--languagetool-timeout", value)
    assert r.code == 2
    one_error(r, "--languagetool-timeout", "finite number of seconds")


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_the_engine_refuses_them_too(value):
    with pytest.raises(EngineError, match="finite number of seconds"):
        LanguageToolEngine("http://127.0.0.1:1", timeout=value)



def test_a_reply_cut_short_is_one_clear_error(hostile):
    """Issue 26, point 7: an IncompleteRead from urllib3 was an internal error ("a bug in cleanup")."""
    hostile.mode = "short"
    with pytest.raises(EngineError) as e:
        check(hostile)
    assert str(e.value) == f"LanguageTool at {hostile.url}/: the reply was cut short (13 bytes received, 487 more announced)"


@pytest.mark.parametrize("languages, shown", [
    ({"name": "English"}, '{"name": "English"}'),
    (["en", 3], '["en", 3]'),
    ([{"name": "English", "code": 5}], '[{"name": "English", "code": 5}]'),
    ("short", None),
])
def test_a_malformed_languages_reply_is_one_clear_error(hostile, languages, shown):
    """Issue 26, point 7: ``/v2/languages`` as an object, a list of strings, or cut short."""
    hostile.mode, hostile.languages = "json", languages
    try:
        with pytest.raises(EngineError) as e:
            check(hostile)
    finally:
        hostile.languages = LANGUAGES
    message = str(e.value)
    assert message.startswith(f"LanguageTool at {hostile.url}") and "\n" not in message
    if shown is None:
        assert message.endswith("the reply was cut short (13 bytes received, 487 more announced)")
    else:
        assert f"malformed reply to /v2/languages (expected a list of languages, got {shown})" in message


@pytest.mark.usefixtures("starter_env")
def test_a_reply_cut_short_ends_the_command_line_with_exit_2(hostile):
    from pathlib import Path

    Path("a.md").write_text(TEXT, encoding="utf-8")
    hostile.mode = "short"
    r = run("check", "a.md", "--languagetool", hostile.url)
    assert r.code == 2
    one_error(r, "the reply was cut short")
