"""Pathological inputs: how long ``cleanup check`` takes on small hostile files, and the peak
memory of a 1 MB paragraph (issue 16, point 3 and 10).

Each file is checked by a fresh process (``python -m editor check --format json --fail-on never
FILE``, our rules and Harper as by default), timed from start to exit, model load included, with
its own peak RSS (reported by a small wrapper process, see ``_WRAPPER``). The check alone (model already loaded, in this process) is timed
too, so that the cost of the input is not hidden by the cost of starting up.

    python benchmarks/pathological.py              # every case, including the two 1 MB paragraphs
    python benchmarks/pathological.py --small      # without the 1 MB paragraphs (a few seconds each)
    python benchmarks/pathological.py --json

Targets: every case of the issue (20 KB of ``[``, 40 KB of ``!``, 100 KB of ``&`` or ``![``,
1,200 nested links) finishes in under 5 s as a whole process; a 1 MB paragraph peaks under 1 GB.
Exit status 0 when the targets are met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = ("The committee said on Tuesday that the new bridge, which has been under construction "
            "since 2019, will open to traffic next spring after a final round of safety checks. ")

# (name, file name, text, in the issue's list)
CASES = [
    ("20 KB of [", "brackets.md", "[" * 20_000, True),
    ("40 KB of !", "bangs.md", "!" * 40_000, True),
    ("100 KB of &", "ampersands.md", "&" * 100_000, True),
    ("100 KB of ![", "images.md", "![" * 50_000, True),
    ("1,200 nested links", "nested.md", "[" * 1200 + "x" + "](u)" * 1200, True),
    ("20 KB of [ (plain text)", "brackets.txt", "[" * 20_000, True),
    ("40 KB of ! (plain text)", "bangs.txt", "!" * 40_000, True),
    ("100 KB of & (plain text)", "ampersands.txt", "&" * 100_000, True),
    ("100 KB of <!-- (unclosed comments)", "comments.md", "<!--" * 25_000, False),
    ("80 KB of emoji", "emoji.md", "🙂" * 20_000, False),
    ("120 KB of … (ellipsis)", "ellipsis.txt", "…" * 40_000, False),
    ("100 KB of '& ' (no sentence end)", "amp-spaced.txt", "& " * 50_000, False),
    ("100 KB of 'a:' (one token per character)", "colons.txt", "a:" * 50_000, False),
    ("100 KB of words, no sentence end", "words.txt", "word " * 20_000, False),
]
LARGE = [
    ("1 MB paragraph of prose", "paragraph.txt", (SENTENCE * (1_000_000 // len(SENTENCE) + 1))[:1_000_000]),
    ("1 MB paragraph, no sentence end", "paragraph-words.txt", ("word " * 200_000)[:1_000_000]),
]


# The process is started from a small wrapper that reports its children's peak RSS: Linux keeps
# a process's peak RSS across fork and exec, so a child forked from this (large) process would
# report this process's size, not its own.
_WRAPPER = """
import json, resource, subprocess, sys
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
print(json.dumps({"exit": p.returncode, "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "traceback": b"Traceback" in p.stderr}))
"""


def run_process(path: Path) -> dict:
    """Wall time, peak RSS and exit code of one ``cleanup check`` process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _WRAPPER, sys.executable, "-m", "editor", "check", "--format", "json",
                          "--fail-on", "never", str(path)], capture_output=True, text=True, env=env, check=True)
    elapsed = time.perf_counter() - t0
    got = json.loads(out.stdout)
    return {"seconds": round(elapsed, 2), "peak_mb": round(got["peak_kb"] / 1024, 1), "exit": got["exit"],
            "traceback": got["traceback"]}


def check_time(checker, text: str, fmt: str) -> float:
    t0 = time.perf_counter()
    checker.detect(text, fmt)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--small", action="store_true", help="skip the two 1 MB paragraphs")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from editor.api import get_checker

    checker = get_checker(harper=True)  # as `cleanup check` runs by default
    checker.detect("Warm up the model and Harper.", "txt")
    rows = []
    cases = [(n, f, t, issue) for n, f, t, issue in CASES]
    if not args.small:
        cases += [(n, f, t, None) for n, f, t in LARGE]
    with tempfile.TemporaryDirectory() as tmp:
        for name, filename, text, in_issue in cases:
            path = Path(tmp) / filename
            path.write_text(text, encoding="utf-8")
            fmt = "md" if filename.endswith(".md") else "txt"
            whole = run_process(path)
            inside = check_time(checker, text, fmt)
            rows.append({"case": name, "bytes": len(text.encode()), "in_issue": in_issue,
                         "check_s": round(inside, 2), "process_s": whole["seconds"], "peak_mb": whole["peak_mb"],
                         "exit": whole["exit"], "traceback": whole["traceback"]})
            if not args.json:
                r = rows[-1]
                print(f"{name:44} {r['bytes']:>9,} B  check {r['check_s']:6.2f} s  process {r['process_s']:6.2f} s"
                      f"  peak {r['peak_mb']:7.1f} MB  exit {r['exit']}{'  TRACEBACK' if r['traceback'] else ''}",
                      flush=True)
    ok = all(r["process_s"] < 5.0 for r in rows if r["in_issue"]) and \
        all(r["peak_mb"] < 1024 for r in rows if r["in_issue"] is None) and \
        not any(r["traceback"] or r["exit"] not in (0,) for r in rows)
    if args.json:
        print(json.dumps({"rows": rows, "pass": ok}, indent=2))
    else:
        print("PASS" if ok else "FAIL", "(the issue's cases under 5 s as a whole process; 1 MB paragraphs under 1 GB; "
              "no traceback)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
