"""The HTTP service: real HTTP requests against ``cleanup serve`` running in a subprocess (port 0,
loopback only). Hostile clients, crashes, time limits and the queue limit: tests/robustness/test_serve_hostile.py."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from editor.cli import main
from tests.web.support import Served, start_server

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "morning-swimming.md"
ARTICLE = "He is also need to go. She has alot of books -- it is broken. Send an e-mail.\n"
MAX_BYTES = 200_000


def snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    # TY101 (opt-in since issue 21) for its safe fix of ARTICLE's " -- "
    (folder / "pyproject.toml").write_text('[tool.cleanup]\nextend-select = ["TY101"]\n\n'
                                           '[tool.cleanup.substitutions]\n"e-mail" = "email"\n', encoding="utf-8")
    proc, port = start_server(folder, "--max-bytes", str(MAX_BYTES), "--workers", "1", "--quiet")
    s = Served(proc, port, folder)
    s.before = snapshot(folder)
    yield s
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped" in err


def cli_json(folder: Path, name: str, text: str, config: Path) -> dict:
    path = folder / "cli" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        with runner.isolation() as (out, _err, _):
            try:
                main(["check", "--format", "json", "--config", str(config), name])
            except SystemExit:
                pass
    finally:
        os.chdir(cwd)
    return json.loads(out.getvalue().decode())


def test_post_json_returns_the_json_contract_of_cleanup_check(served, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    status, headers, data = served.post_json("/check", {"text": text, "path": "morning.md"})
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    expected = cli_json(tmp_path, "morning.md", text, served.folder / "pyproject.toml")
    assert data["version"] == 1
    assert data["files"][0]["path"] == "morning.md"
    assert data["files"][0]["findings"] == expected["files"][0]["findings"]
    assert data["summary"] == expected["summary"]


def test_post_text_with_query_options_and_safe_fixes(served):
    status, _, body = served.request("POST", "/check?path=a.md&fix=safe", ARTICLE, {"Content-Type": "text/markdown"})
    assert status == 200
    item = json.loads(body)["files"][0]
    assert item["fixed_text"] == ARTICLE.replace("alot", "a lot").replace(" -- ", " — ").replace("e-mail", "email")
    assert item["fixes_applied"] == 3
    assert {f["rule"] for f in item["findings"]} == {"MT201"}  # what is left: the unsafe rewrite
    status, _, body = served.request("POST", "/check", "She has alot of books.\n", {"Content-Type": "text/plain"})
    assert status == 200 and json.loads(body)["files"][0]["path"] == "article.txt"
    assert [f["rule"] for f in json.loads(body)["files"][0]["findings"]] == ["ST105"]


def test_the_page_and_the_report_it_leads_to(served):
    status, headers, body = served.request("GET", "/")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<form method="post" action="/review"' in page and 'name="text"' in page
    assert "default-src 'none'" in page and "<script" not in page  # the form needs no script
    form = urllib.parse.urlencode({"text": ARTICLE, "format": "md", "path": "pasted.md"})
    status, headers, body = served.request("POST", "/review", form, {"Content-Type": "application/x-www-form-urlencoded"})
    report = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    # the same report page cleanup ARTICLE writes: its template, script and data block
    from editor.render.html import _asset

    assert _asset("report.js") in report and 'id="report-data"' in report
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', report, re.S).group(1))
    assert data["text"] == ARTICLE and data["name"] == "pasted.md"
    assert {f["rule"] for f in data["findings"]} >= {"MT201", "ST105", "TY101", "CU101"}
    assert headers["Cache-Control"] == "no-store" and headers["X-Content-Type-Options"] == "nosniff"


def test_health(served):
    status, _, body = served.request("GET", "/health")
    assert status == 200 and json.loads(body)["status"] == "ok"
    status, headers, body = served.request("HEAD", "/")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


@pytest.mark.parametrize("method,path,body,headers,status,message", [
    ("GET", "/nope", None, {}, 404, "no such resource"),
    ("GET", "/check", None, {}, 405, "GET is not allowed"),
    ("PUT", "/check", "x", {"Content-Type": "text/plain"}, 405, "PUT is not allowed"),
    ("POST", "/check", "x", {"Content-Type": "application/xml"}, 415, "application/json, text/plain"),
    ("POST", "/check", "x", {"Content-Type": "text/plain; charset=latin-1"}, 415, "UTF-8"),
    ("POST", "/check", "{nope", {"Content-Type": "application/json"}, 400, "invalid JSON"),
    ("POST", "/check", "[1]", {"Content-Type": "application/json"}, 400, "object"),
    ("POST", "/check", '{"txt": "x"}', {"Content-Type": "application/json"}, 400, "unknown field 'txt'"),
    ("POST", "/check", '{"path": "a.md"}', {"Content-Type": "application/json"}, 400, "\"text\" string"),
    ("POST", "/check", '{"text": 5}', {"Content-Type": "application/json"}, 400, "must be a string"),
    ("POST", "/check", '{"text": "x", "format": "html"}', {"Content-Type": "application/json"}, 400, "'md' or 'txt'"),
    ("POST", "/check", '{"text": "x", "fix": "all"}', {"Content-Type": "application/json"}, 400, "fix must be"),
    ("POST", "/check", b"caf\xe9", {"Content-Type": "text/plain"}, 400, "not valid UTF-8"),
])
def test_bad_requests_get_a_clear_4xx(served, method, path, body, headers, status, message):
    got, resp_headers, raw = served.request(method, path, body, headers)
    assert got == status
    error = json.loads(raw)["error"]
    assert error["status"] == status and message in error["message"]
    if status == 405:
        assert resp_headers["Allow"] == "POST"


def test_size_limit_and_missing_length(served):
    big = "word " * (MAX_BYTES // 5 + 10)
    status, _, raw = served.request("POST", "/check", big, {"Content-Type": "text/plain"})
    assert status == 413 and str(MAX_BYTES) in json.loads(raw)["error"]["message"]
    # no Content-Length (chunked): 411, and the server is still fine afterwards
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
    conn.putrequest("POST", "/check")
    conn.putheader("Content-Type", "text/plain")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    conn.send(b"5\r\nhello\r\n0\r\n\r\n")
    resp = conn.getresponse()
    assert resp.status == 411
    conn.close()
    assert served.request("GET", "/health")[0] == 200


def test_concurrent_requests_get_their_own_findings(served):
    texts = [ARTICLE, SAMPLE.read_text(encoding="utf-8"), "She has alot of books.\n", "All is well here.\n"]
    expected = [served.post_json("/check", {"text": t, "path": "x.md"})[2]["files"][0]["findings"] for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda i: served.post_json("/check", {"text": texts[i % 4], "path": "x.md"}),
                            range(16)))
    assert all(status == 200 for status, _, _ in got)
    assert [data["files"][0]["findings"] for _, _, data in got] == [expected[i % 4] for i in range(16)]


def test_nothing_is_written_to_disk(served):
    served.request("POST", "/review", urllib.parse.urlencode({"text": ARTICLE}),
                   {"Content-Type": "application/x-www-form-urlencoded"})
    served.post_json("/check", {"text": ARTICLE, "fix": "unsafe"})
    after = {k: v for k, v in snapshot(served.folder).items() if not k.startswith("cli")}
    assert after == served.before


def test_serve_exits_2_with_one_line_on_a_bad_configuration(tmp_path):
    (tmp_path / "bad.toml").write_text('fail-on = "sometimes"\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "editor", "serve", "--port", "0", "--config", str(tmp_path / "bad.toml")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "bad.toml" in proc.stderr and "fail-on" in proc.stderr


def test_serve_exits_2_with_one_line_when_the_port_is_taken(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "editor", "serve", "--port", str(port), "--ignore", "HARPER"],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and f"cannot listen on 127.0.0.1:{port}" in lines[0]


def test_serve_exits_2_with_one_line_when_the_workers_cannot_load_the_model(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "editor", "serve", "--port", "0", "--workers", "1", "--model",
                           "no_such_model_here"], capture_output=True, text=True, timeout=180, cwd=tmp_path, check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "no_such_model_here" in lines[0] and "Traceback" not in proc.stderr


def test_serve_exits_2_with_one_line_on_a_bad_allowed_origin(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "editor", "serve", "--port", "0", "--allow-origin", "example.com/x"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "--allow-origin 'example.com/x' is not an origin" in lines[0]
