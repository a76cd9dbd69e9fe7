"""Issue 26, point 3 (and the service's part of point 1): the real ``cleanup serve`` against hostile
clients. One server for the module (two workers, short limits, the workers' test hooks on: an
article holding CRASH makes its worker abort, one holding STALL makes it sleep), on a free
loopback port. After every hostile case the server must answer a normal request, and its standard
error must never hold a traceback."""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.web.support import Served, start_server

CRASH = "Zqxv-crash-here"
STALL = "Zqxv-stall-here"
NORMAL = "They is also need to leave early. The plan works well.\n"
TIMEOUT = 3  # --timeout
READ_TIMEOUT = 1  # --read-timeout
MAX_CONNECTIONS = 8


class Hostile(Served):
    lines: list[str]

    def check(self, text: str = NORMAL, headers: dict | None = None):
        return self.request("POST", "/check", json.dumps({"text": text}),
                            {"Content-Type": "application/json", **(headers or {})})

    def health(self) -> dict:
        status, _, body = self.request("GET", "/health")
        assert status == 200
        return json.loads(body)

    def wait_for(self, condition, what: str, seconds: float = 120) -> dict:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            h = self.health()
            if condition(h):
                return h
            time.sleep(0.1)
        raise AssertionError(f"the server did not get to: {what} ({self.health()})")

    def serves_normally(self) -> None:
        """/health answers, both workers are back, and a normal check gets its findings."""
        self.wait_for(lambda h: h["workers"]["running"] == h["workers"]["configured"], "every worker running")
        status, _, body = self.check()
        assert status == 200, body
        assert "MT201" in {f["rule"] for f in json.loads(body)["files"][0]["findings"]}

    def raw(self, data: bytes, *, seconds: float = 10) -> bytes:
        """Send ``data`` on a new connection and read until the server closes it."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=seconds) as s:
            s.sendall(data)
            return _read_all(s)


def _read_all(s: socket.socket) -> bytes:
    out = b""
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            return out
        if not chunk:
            return out
        out += chunk


def _status_and_error(raw: bytes) -> tuple[int, dict]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)["error"]


def _request(method: str, body: bytes, *headers: str) -> bytes:
    return (f"{method} /check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "".join(h + "\r\n" for h in headers) + "\r\n").encode() + body


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    proc, port = start_server(folder, "--workers", "2", "--timeout", str(TIMEOUT), "--read-timeout",
                              str(READ_TIMEOUT), "--max-connections", str(MAX_CONNECTIONS), "--max-pending", "3",
                              "--allow-host", "alias.test", "--allow-origin", "http://allowed.example", "--quiet",
                              env={"CLEANUP_TEST_CRASH_ON": CRASH, "CLEANUP_TEST_STALL_ON": STALL})
    s = Hostile(proc, port, folder)
    s.lines = []
    reader = threading.Thread(target=lambda: s.lines.extend(iter(proc.stderr.readline, "")), daemon=True)
    reader.start()
    yield s
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    reader.join(timeout=10)
    assert proc.returncode == 0, s.lines
    assert not any("Traceback" in line for line in s.lines), "".join(s.lines)


def test_requests_for_other_host_names_are_refused(served):
    for host in ("evil.example", f"evil.example:{served.port}", "127.0.0.1.evil.example", "local host"):
        status, _, body = served.request("GET", "/health", headers={"Host": host})
        assert status in (400, 421), host
        if status == 421:
            assert "--allow-host" in json.loads(body)["error"]["message"]
    for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}", "localhost", f"[::1]:{served.port}",
                 "alias.test", "ALIAS.test:80"):
        assert served.request("GET", "/health", headers={"Host": host})[0] == 200, host
    raw = served.raw(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n")
    assert _status_and_error(raw)[0] == 400
    served.serves_normally()


def test_cross_site_browser_requests_are_refused(served):
    status, _, body = served.check(headers={"Origin": "http://evil.example"})
    message = json.loads(body)["error"]["message"]
    assert status == 403 and "Origin http://evil.example" in message and "--allow-origin" in message
    assert served.check(headers={"Origin": "null"})[0] == 403
    # same port, other host name: another origin; another port: another origin
    assert served.check(headers={"Origin": f"http://localhost:{served.port}"})[0] == 403
    assert served.check(headers={"Origin": f"http://127.0.0.1:{served.port + 1}"})[0] == 403
    # a form posted from another site by an older browser: no Origin, but Sec-Fetch-Site
    status, _, body = served.request("POST", "/review", "text=Hello.", {
        "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site"})
    assert status == 403 and body.startswith(b"cleanup: cross-site request refused")
    # the service's own page, and the origin it was told to let in (with CORS, so that page can read it)
    assert served.check(headers={"Origin": f"http://127.0.0.1:{served.port}"})[0] == 200
    status, headers, _ = served.check(headers={"Origin": "http://allowed.example"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "http://allowed.example"
    status, headers, _ = served.request("OPTIONS", "/check", headers={
        "Origin": "http://allowed.example", "Access-Control-Request-Method": "POST"})
    assert status == 204 and headers["Access-Control-Allow-Methods"] == "POST"
    served.serves_normally()


@pytest.mark.parametrize("body,needle", [
    ('{"text": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ("[" * 100_000, "nested too deeply"),
    ('{"text": "A lone \\ud800 surrogate."}', "lone surrogate (U+D800 at character 7)"),
    ('{"text": "ok", "path": "\\udfff.md"}', "field 'path' holds a lone surrogate"),
    ('["He is also need to go."]', "not an array"),
    ("42", "not a number"),
    ('{"text": ["He is also need to go."]}', "field 'text' must be a string, not an array"),
    ('{"text": "ok", "fix": {"safe": true}}', "field 'fix' must be a string, not an object"),
])
def test_bad_bodies_get_400_with_a_clear_message(served, body, needle):
    status, _, raw = served.request("POST", "/check", body, {"Content-Type": "application/json"})
    error = json.loads(raw)["error"]
    assert status == 400 and error["status"] == 400 and needle in error["message"], error
    assert served.check()[0] == 200


@pytest.mark.parametrize("headers,needle", [
    (("Content-Length: 2", "Content-Length: 3"), "two different Content-Length headers"),
    (("Content-Length: 2", "Transfer-Encoding: chunked"), "both Transfer-Encoding and Content-Length"),
    (("Content-Length: +2",), "bad Content-Length"),
])
def test_ambiguous_lengths_get_400_and_the_connection_is_closed(served, headers, needle):
    # were the body taken for a next request, "GET /health" would be answered on this connection
    raw = served.raw(_request("POST", b"{}GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", *headers))
    status, error = _status_and_error(raw)
    assert status == 400 and needle in error["message"]
    assert raw.count(b"HTTP/1.1 ") == 1
    served.serves_normally()


def test_a_trickling_client_is_cut_off_after_the_read_timeout(served):
    def trickle(head: bytes, drip: bytes) -> tuple[bytes, float]:
        start = time.monotonic()
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as s:
            s.sendall(head)
            try:
                for byte in drip:  # one byte every 0.2 s: no single read ever waits a whole second
                    s.sendall(bytes([byte]))
                    time.sleep(0.2)
            except OSError:
                pass  # cut off while sending
            return _read_all(s), time.monotonic() - start

    raw, took = trickle(_request("POST", b"", "Content-Length: 60"), b'{"text": "' + b"a" * 48 + b'"}')
    status, error = _status_and_error(raw)
    assert status == 408 and "body did not arrive within 1 s" in error["message"]
    assert READ_TIMEOUT <= took < READ_TIMEOUT + 3
    raw, took = trickle(b"", b"POST /check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n")
    assert raw == b"" or raw.startswith(b"HTTP/1.1 408 ")
    assert took < READ_TIMEOUT + 3
    served.serves_normally()


def test_connections_beyond_the_cap_get_503_at_once(served):
    held = [socket.create_connection(("127.0.0.1", served.port), timeout=10) for _ in range(MAX_CONNECTIONS)]
    try:
        start = time.monotonic()
        for _ in range(5):  # each refused at once: the accepting thread never waits for a refused client
            with socket.create_connection(("127.0.0.1", served.port), timeout=10) as extra:
                extra.sendall(b"POST /check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{")
                status, error = _status_and_error(_read_all(extra))
                assert status == 503 and "too many connections" in error["message"]
        assert time.monotonic() - start < READ_TIMEOUT
    finally:
        for s in held:
            s.close()
    served.serves_normally()
    assert any("too many connections" in line for line in served.lines)


def test_a_crashing_check_gets_500_and_the_service_goes_on(served):
    status, _, body = served.check(f"An article that kills its worker: {CRASH}.\n")
    error = json.loads(body)["error"]
    assert status == 500 and "the check crashed (worker killed by signal 6, SIGABRT)" in error["message"]
    # the other worker answers at once; the pool is back to two workers soon after
    assert served.request("GET", "/health")[0] == 200
    assert served.check()[0] == 200
    served.serves_normally()
    assert sum("a check crashed (worker killed by signal 6" in line for line in served.lines) == 1


def test_a_check_over_the_time_limit_gets_503_and_its_worker_is_replaced(served):
    start = time.monotonic()
    status, _, body = served.check(f"An article that never finishes: {STALL}.\n")
    took = time.monotonic() - start
    assert status == 503 and f"took longer than {TIMEOUT} s" in json.loads(body)["error"]["message"]
    assert TIMEOUT <= took < TIMEOUT + 5
    assert served.check()[0] == 200
    served.serves_normally()
    assert sum(f"a check took longer than {TIMEOUT} s" in line for line in served.lines) == 1


def test_a_full_queue_gets_503_and_gone_clients_have_their_checks_cancelled(served):
    stalled = [socket.create_connection(("127.0.0.1", served.port), timeout=10) for _ in range(3)]
    try:
        for s in stalled:  # two run (one per worker), one waits for a worker: --max-pending 3
            body = json.dumps({"text": f"Stalled {STALL}."}).encode()
            s.sendall(_request("POST", body, f"Content-Length: {len(body)}"))
        served.wait_for(lambda h: h["checks"] == 3, "three checks in flight", seconds=TIMEOUT - 1)
        status, headers, body = served.check()
        assert status == 503 and headers["Retry-After"] == "1" and "busy" in json.loads(body)["error"]["message"]
    finally:
        for s in stalled:
            s.close()
    served.wait_for(lambda h: h["checks"] == 0, "no check in flight", seconds=TIMEOUT)
    served.serves_normally()
    assert sum("the client went away; its check was cancelled" in line for line in served.lines) == 3


def test_sigterm_during_a_check_exits_0_without_a_traceback(served):
    """Last: it stops the module's server. The check in flight gets 503 after the grace."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        stalled = pool.submit(served.check, f"Stalled until the end: {STALL}.\n")
        served.wait_for(lambda h: h["checks"] == 1, "a check in flight", seconds=TIMEOUT - 1)
        served.proc.send_signal(signal.SIGTERM)
        status, _, body = stalled.result(timeout=20)
    assert status == 503 and "shutting down" in json.loads(body)["error"]["message"]
    assert served.proc.wait(timeout=20) == 0
    time.sleep(0.2)
    assert any("cleanup: stopped (1 check(s) still running" in line for line in served.lines), served.lines
    assert not any("Traceback" in line for line in served.lines)
