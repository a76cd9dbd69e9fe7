#!/usr/bin/env python
"""Load test of the HTTP service: requests/s, latency and memory of ``cleanup serve``.

    python benchmarks/serve_load.py [--requests 1000] [--concurrency 4] [--words 1000]
                                    [--distinct 1] [--warmup 20] [--json]

1. Builds an article of at least ``--words`` words (cut at a paragraph end; the same sources as
   benchmarks/report.py: ``../shared/samples/walking-backwards.txt``, the machine-translated
   articles of ``../shared/data/wets_zhen_dev.jsonl``, else ``samples/``). With ``--distinct K``,
   K different articles of that length, sent in turn (new words every request, as real traffic).
2. Starts the real server, ``python -m editor serve --host 127.0.0.1 --port 0 --quiet``, in an
   empty temporary folder (default configuration: our rules and Harper), and waits for it to load
   the model. Traffic goes to 127.0.0.1 only; every loop is bounded in count and time.
3. Sends ``--warmup`` requests, reads the server's resident memory (VmRSS of its process and of
   its worker processes, summed), then
   ``--requests`` requests ``POST /check`` (JSON body, Markdown) from ``--concurrency`` client
   threads, each on its own keep-alive connection, in four equal rounds, reading the memory after
   each round.
4. Prints requests/s, the latency median, p95 and p99 (seconds per request as a client sees it,
   queueing behind other clients' checks included), and the memory after the warm-up and after
   each round. PASS when every response is 200 and memory after the last round is within
   ``--growth-limit`` (default 5%) of memory after the first round; exit status 0 on PASS, 1 on
   FAIL, 2 when the server could not be started.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import build_article, sources  # noqa: E402  (benchmarks/report.py)

DEADLINE_S = 3600  # the whole run stops by itself after an hour at most


def articles(words: int, distinct: int) -> list[str]:
    if distinct <= 1:
        return [build_article(words)]
    paragraphs = [p.strip() for t in sources() for p in t.replace("\r\n", "\n").split("\n\n") if p.strip()]
    out, i = [], 0
    for _ in range(distinct):
        chosen, count = [], 0
        while count < words:
            p = paragraphs[i % len(paragraphs)]
            chosen.append(p)
            count += len(p.split())
            i += 1
        out.append("\n\n".join(chosen) + "\n")
    return out


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (the server's worker processes)."""
    out = [pid]
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as f:
                for child in f.read().split():
                    out += _tree(int(child))
    except OSError:
        pass
    return out


def rss_kb(pid: int) -> int:
    """Resident memory of the server and its worker processes together."""
    total = 0
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/status", encoding="ascii") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    if not total:
        raise RuntimeError("no VmRSS")
    return total


def start(folder: str) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, "-m", "editor", "serve", "--host", "127.0.0.1", "--port", "0", "--quiet"],
                            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = proc.stderr.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        raise RuntimeError(f"the server did not start: {line.strip()} {proc.stderr.read().strip()}")
    threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep its stderr drained
    return proc, int(m.group(1))


class Client:
    def __init__(self, port: int):
        self.port = port
        self.local = threading.local()

    def post(self, body: bytes) -> tuple[int, float]:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/check", body=body, headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            status = resp.status
        except (OSError, http.client.HTTPException):
            self.local.conn = None
            conn.close()
            status = 0
        return status, time.perf_counter() - t0


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q / 100 * len(s) + 0.5)) - 1))
    return s[k]


def _args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--words", type=int, default=1000)
    ap.add_argument("--distinct", type=int, default=1, help="different articles sent in turn")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--growth-limit", type=float, default=0.05)
    ap.add_argument("--json", action="store_true")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    texts = articles(args.words, args.distinct)
    bodies = [json.dumps({"text": t, "path": f"article-{i}.md"}).encode("utf-8") for i, t in enumerate(texts)]
    words = [len(t.split()) for t in texts]
    with tempfile.TemporaryDirectory(prefix="cleanup-serve-load-") as folder:
        t0 = time.perf_counter()
        try:
            proc, port = start(folder)
        except RuntimeError as e:
            print(f"serve_load: {e}", file=sys.stderr)
            return 2
        startup = time.perf_counter() - t0
        client = Client(port)
        begun = time.monotonic()
        try:
            for i in range(args.warmup):
                client.post(bodies[i % len(bodies)])
            rss = {"warm-up": rss_kb(proc.pid)}
            latencies: list[float] = []
            statuses: list[int] = []
            rounds = 4
            per_round = max(1, args.requests // rounds)
            elapsed = 0.0
            sent = 0
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                for r in range(rounds):
                    if time.monotonic() - begun > DEADLINE_S:
                        break
                    n = per_round if r < rounds - 1 else args.requests - per_round * (rounds - 1)
                    t1 = time.perf_counter()
                    for status, lat in pool.map(lambda k: client.post(bodies[k % len(bodies)]), range(sent, sent + n)):
                        statuses.append(status)
                        latencies.append(lat)
                    elapsed += time.perf_counter() - t1
                    sent += n
                    rss[f"after {sent}"] = rss_kb(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    ok = sum(1 for s in statuses if s == 200)
    keys = list(rss)
    first, last = rss[keys[1]], rss[keys[-1]]
    growth = (last - first) / first
    result = {
        "requests": len(statuses), "ok": ok, "concurrency": args.concurrency, "words": words[0] if len(words) == 1 else words,
        "distinct_articles": len(texts), "startup_s": round(startup, 2),
        "requests_per_s": round(len(statuses) / elapsed, 2), "words_per_s": round(sum(words[k % len(words)] for k in range(len(statuses))) / elapsed),
        "latency_s": {"median": round(statistics.median(latencies), 3), "p95": round(percentile(latencies, 95), 3),
                      "p99": round(percentile(latencies, 99), 3), "max": round(max(latencies), 3)},
        "rss_mb": {k: round(v / 1024, 1) for k, v in rss.items()},
        "growth_after_first_round": round(growth, 4),
        "cpus": os.cpu_count(),
    }
    passed = ok == len(statuses) == args.requests and growth <= args.growth_limit
    result["pass"] = passed
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"cleanup serve: {len(statuses)} requests of a {result['words']}-word article ({len(texts)} distinct), "
              f"{args.concurrency} clients, {ok} OK; server start {startup:.1f} s")
        print(f"  throughput: {result['requests_per_s']} requests/s ({result['words_per_s']} words/s)")
        lat = result["latency_s"]
        print(f"  latency: median {lat['median']} s, p95 {lat['p95']} s, p99 {lat['p99']} s, max {lat['max']} s")
        print("  memory (RSS): " + ", ".join(f"{k}: {v} MB" for k, v in result["rss_mb"].items()))
        print(f"  growth from the first round to the last: {growth:+.1%} (limit {args.growth_limit:.0%})")
        print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
