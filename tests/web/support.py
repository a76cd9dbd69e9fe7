"""A running ``cleanup serve`` for tests: a subprocess on a free loopback port."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
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


def start_server(folder: Path, *args: str) -> tuple[subprocess.Popen, int]:
    env = dict(os.environ, HOME=str(folder / "home"), TMPDIR=str(folder / "tmp"), NO_COLOR="1")
    (folder / "home").mkdir(exist_ok=True)
    (folder / "tmp").mkdir(exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "editor", "serve", "--port", "0", *args], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()  # "cleanup: serving on http://127.0.0.1:PORT/ ..." once the model is loaded
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        raise AssertionError(f"server did not start: {line}{proc.stderr.read()}")
    return proc, int(m.group(1))
