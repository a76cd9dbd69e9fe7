"""A running ``cleanup serve`` for tests: a subprocess on a free loopback port."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path


class Served:
    def __init__(self, proc: subprocess.Popen, port: int, folder: Path):
        self.proc, self.port, self.folder = proc, port, folder

    def request(self, method: str, path: str, body: bytes | str | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            data = body.encode("utf-8") if isinstance(body, str) else body
            conn.request(method, path, body=data, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def post_json(self, path: str, value) -> tuple[int, dict, dict]:
        status, headers, body = self.request("POST", path, json.dumps(value), {"Content-Type": "application/json"})
        return status, headers, json.loads(body)


def start_server(folder: Path, *args: str, env: dict | None = None) -> tuple[subprocess.Popen, int]:
    """``cleanup serve --port 0 ARGS`` in ``folder`` (``env``: more environment variables), once it
    has printed its address (its workers have loaded the model)."""
    env = dict(os.environ, HOME=str(folder / "home"), TMPDIR=str(folder / "tmp"), NO_COLOR="1", **(env or {}))
    (folder / "home").mkdir(exist_ok=True)
    (folder / "tmp").mkdir(exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "editor", "serve", "--port", "0", *args], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(300, proc.kill)  # a server that never starts fails the test, not the suite
    watchdog.start()
    line = proc.stderr.readline()  # "cleanup: serving on http://127.0.0.1:PORT/ ..." once the model is loaded
    watchdog.cancel()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        raise AssertionError(f"server did not start: {line}{proc.stderr.read()}")
    return proc, int(m.group(1))
