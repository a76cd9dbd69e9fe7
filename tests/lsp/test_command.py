"""``cleanup server`` on the command line: usage errors are one line and exit code 2; standard
output carries nothing but the protocol."""

from __future__ import annotations

import json

import pytest
import re
import subprocess
import sys

HEADER = re.compile(rb"(Content-Length: \d+|Content-Type: [^\r\n]+)\r\n$")


def test_bad_configuration_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "bad.toml").write_text('fail-on = "sometimes"\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "editor", "server", "--stdio", "--config", str(tmp_path / "bad.toml")],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.toml" in lines[0] and "fail-on" in lines[0]


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.mark.parametrize("config, text, codes", [
    (None, "She has alot of books.\n", ["ST105"]),
    # harper-py prints "gerund_form: …" to descriptor 1 from native code on this sentence
    ('select = ["ST105", "HARPER/LookingForwardTo"]\n', "She has alot of books. We are looking forward to cats!\n",
     ["ST105", "HARPER/LookingForwardTo"]),
], ids=["plain", "native-print"])
def test_stdout_holds_only_protocol_messages(tmp_path, config, text, codes):
    """A whole session over raw stdio: initialize, open, shutdown, exit. Every byte on standard
    output must be a framed JSON-RPC message (a stray print would break the editor's client)."""
    if config:
        (tmp_path / "cleanup.toml").write_text(config, encoding="utf-8")
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": (tmp_path / "a.md").as_uri(), "languageId": "markdown", "version": 1,
            "text": text}}},
    ]
    proc = subprocess.Popen([sys.executable, "-m", "editor", "server", "--stdio"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    for m in messages:
        proc.stdin.write(_frame(m))
    proc.stdin.flush()
    out = b""
    seen = []
    while not any(m.get("method") == "textDocument/publishDiagnostics" for m in seen):
        n = None
        while (line := proc.stdout.readline()) != b"\r\n":
            assert HEADER.match(line), line  # a header line of the base protocol, nothing else
            if line.lower().startswith(b"content-length:"):
                n = int(line.split(b":")[1])
        seen.append(json.loads(proc.stdout.read(n)))
    proc.stdin.write(_frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
    proc.stdin.write(_frame({"jsonrpc": "2.0", "method": "exit"}))
    proc.stdin.flush()
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert seen[0]["id"] == 1 and seen[0]["result"]["serverInfo"]["name"] == "cleanup"
    diags = next(m for m in seen if m.get("method") == "textDocument/publishDiagnostics")["params"]["diagnostics"]
    assert [d["code"] for d in diags] == codes
    # what is left on stdout after the diagnostics: the shutdown answer, framed, nothing else
    rest = out
    while rest:
        head, _, rest = rest.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        assert all(HEADER.match(h + b"\r\n") for h in lines), head
        n = next(int(h.split(b":")[1]) for h in lines if h.lower().startswith(b"content-length:"))
        json.loads(rest[:n])
        rest = rest[n:]
