"""Time ``cleanup batch`` over the 75 TED documents: one job, two jobs, and a cached re-run.

Writes each record's ``text`` of ../shared/data/mqm_zhen_2021ted_docs.jsonl to its own file in a
temporary folder, then runs the real command (a fresh process each time, model load included):

1. ``--jobs 1`` into a fresh output folder,
2. ``--jobs 2`` into another fresh output folder,
3. ``--jobs 2`` again into the second folder (every article served from the cache).

Checks that every run produced the index and one report per article and that the three runs
agree on every article's findings, then prints the figures and the targets (two jobs at least
1.5x faster than one; the cached re-run at least 10x faster than the first two-job run).

    python benchmarks/batch.py [DATA.jsonl] [--keep DIR] [--args "--ignore HARPER"]

The runs use a copy of ``editor/`` and ``rules/`` taken at the start (on PYTHONPATH), so that
editing the checkout while the benchmark runs changes neither the results nor the cache key.

``--args`` passes options to every run (``--ignore HARPER``: our rules without Harper, whose
linting already runs in a second thread beside spaCy's parse, so one job uses more than a core).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "mqm_zhen_2021ted_docs.jsonl"


def write_articles(data: Path, folder: Path) -> tuple[int, int]:
    folder.mkdir(parents=True, exist_ok=True)
    n = words = 0
    with data.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if not line.strip():
                continue
            rec = json.loads(line)
            name = re.sub(r"[^A-Za-z0-9._-]+", "_", str(rec.get("id", i)))[:80]
            (folder / f"{i:03d}-{name}.txt").write_text(rec["text"], encoding="utf-8")
            n += 1
            words += len(rec["text"].split())
    return n, words


def snapshot(folder: Path) -> dict:
    """Copy the package and the rules; the environment that runs the copy."""
    shutil.copytree(ROOT / "editor", folder / "editor", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "rules", folder / "rules")
    env = dict(os.environ)
    env["PYTHONPATH"] = str(folder) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("CLEANUP_RULES", None)
    return env


ENV: dict | None = None


CPU: list[float] = []  # CPU seconds (user + system, all processes) of each run


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run(articles: Path, out: Path, jobs: int, extra: list[str] | tuple = ()) -> tuple[float, int, str]:
    cmd = [sys.executable, "-m", "editor", "batch", str(articles), "--out", str(out), "--jobs", str(jobs),
           "--progress", "none", *extra]
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - t0
    CPU.append(_children_cpu() - cpu0)
    return wall, proc.returncode, proc.stderr.strip()


def rows(out: Path) -> dict:
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    return {r["path"]: {k: v for k, v in r.items() if k not in ("report",)} for r in summary["rows"]}, summary


def check_outputs(out: Path, n: int) -> list[str]:
    problems = []
    if not (out / "index.html").is_file():
        problems.append(f"{out}: no index.html")
    reports = list((out / "reports").rglob("*.html"))
    if len(reports) != n:
        problems.append(f"{out}: {len(reports)} reports for {n} articles")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    ap.add_argument("--args", default="", help="options for every run, e.g. \"--ignore HARPER\"")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"batch.py: {args.data}: no such file", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="cleanup-batch-bench-"))
    if args.keep and work.exists():
        shutil.rmtree(work)
    try:
        articles = work / "articles"
        n, words = write_articles(args.data, articles)
        global ENV
        ENV = snapshot(work / "code")
        extra = shlex.split(args.args)
        print(f"{n} articles, {words:,} words ({args.data.name}); {os.cpu_count()} cores"
              + (f"; options: {args.args}" if extra else ""))
        t1, rc1, err1 = run(articles, work / "out-j1", 1, extra)
        print(f"--jobs 1            {t1:7.2f} s  {words / t1:8,.0f} words/s  cpu {CPU[-1]:6.1f} s  exit {rc1}")
        t2, rc2, err2 = run(articles, work / "out-j2", 2, extra)
        print(f"--jobs 2            {t2:7.2f} s  {words / t2:8,.0f} words/s  cpu {CPU[-1]:6.1f} s  exit {rc2}")
        first_fp = json.loads((work / "out-j2" / "summary.json").read_text("utf-8"))["run"]["fingerprint"]
        t3, rc3, err3 = run(articles, work / "out-j2", 2, extra)
        print(f"--jobs 2, cached    {t3:7.2f} s  {words / t3:8,.0f} words/s  cpu {CPU[-1]:6.1f} s  exit {rc3}")
        print(f"  {err3.splitlines()[-1] if err3 else ''}")
        problems = []
        for rc, err in ((rc1, err1), (rc2, err2), (rc3, err3)):
            if rc != 0:
                problems.append(f"exit {rc}: {err[-500:]}")
        for out in ("out-j1", "out-j2"):
            problems += check_outputs(work / out, n)
        r1, _ = rows(work / "out-j1")
        r3, s3 = rows(work / "out-j2")
        if r1 != r3:
            problems.append("the one-job and the cached two-job runs disagree on some article")
        if s3["run"]["from_cache"] != n:
            fp = s3["run"]["fingerprint"]
            changed = sorted(k for k in set(fp) | set(first_fp) if fp.get(k) != first_fp.get(k))
            problems.append(f"cached re-run served {s3['run']['from_cache']} of {n} articles from the cache"
                            f" (fingerprint fields that changed: {', '.join(changed) or 'none'})")
        speedup = t1 / t2
        cache_factor = t2 / t3
        print(f"two jobs vs one:    {speedup:.2f}x   (target >= 1.5x) {'ok' if speedup >= 1.5 else 'MISSED'}")
        print(f"cached vs first:    {cache_factor:.1f}x   (target >= 10x) {'ok' if cache_factor >= 10 else 'MISSED'}")
        for p in problems:
            print(f"problem: {p}")
        return 1 if problems else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
