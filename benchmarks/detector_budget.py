#!/usr/bin/env python
"""The learned detector's budget (issue 20, point 4), measured on this machine.

    python benchmarks/detector_budget.py [--model DIR] [--repeat R] [--json]

Prints and checks against the targets:
- size: the model folder on disk (≤ 60 MB);
- throughput of the model alone: words/s of ``DetectorModel.word_probs`` over ~30k words of WeTS
  and TED machine translation, paragraph by paragraph, in this process after loading
  (≥ 3,000 words/s);
- cold start: ``cleanup check`` on a ~1,000-word article (whole process, wall clock, fastest of
  ``--repeat`` alternating runs) with the model against ``--ignore MODEL`` (≤ +0.5 s);
- peak memory (max RSS from ``wait4``) of that ``cleanup check`` with the model (≤ 500 MB).

Without ``../shared/data`` the repository's ``samples/`` articles are used.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
TARGETS = {"size_mb": 60.0, "words_per_s": 3000.0, "cold_start_extra_s": 0.5, "peak_mb": 500.0}


def corpus(words: int) -> list[str]:
    texts: list[str] = []
    files = [DATA / "wets_zhen_dev.jsonl", DATA / "mqm_zhen_2021ted_docs.jsonl"]
    if all(f.exists() for f in files):
        rows = [[json.loads(x)["text"] for x in f.read_text(encoding="utf-8").splitlines() if x.strip()] for f in files]
        pool = [t for pair in zip(*rows) for t in pair]
    else:
        pool = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.*"))]
    total = 0
    while total < words:
        for t in pool:
            texts.append(t)
            total += len(t.split())
            if total >= words:
                break
    return texts


def article(words: int = 1000) -> str:
    paras, total = [], 0
    for text in corpus(words * 2):
        for p in text.split("\n\n"):
            paras.append(p)
            total += len(p.split())
            if total >= words:
                return "\n\n".join(paras) + "\n"
    return "\n\n".join(paras) + "\n"


def run(cmd: list[str], env) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {os.waitstatus_to_exitcode(status)}")
    return took, usage.ru_maxrss / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=ROOT / "editor" / "models" / "detector")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--words", type=int, default=30000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from detector import record_words

    from editor.backends.detector_model import DetectorModel

    size = sum(f.stat().st_size for f in args.model.iterdir() if f.is_file()) / 1e6
    t0 = time.perf_counter()
    model = DetectorModel(args.model)
    load_s = time.perf_counter() - t0
    texts = corpus(args.words)
    record_words(model, texts[:2])  # warm up
    t0 = time.perf_counter()
    record_words(model, texts)
    took = time.perf_counter() - t0
    nwords = sum(len(t.split()) for t in texts)
    env = dict(os.environ, CLEANUP_DETECTOR_MODEL=str(args.model.resolve()))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(article(), encoding="utf-8")
        base = [sys.executable, "-m", "editor", "check", "--format", "json", "--fail-on", "never", str(path)]
        run(base, env)  # warm the disk cache and bytecode
        with_model, without = [], []
        for _ in range(args.repeat):
            with_model.append(run(base + ["--extend-select", "MODEL/unlikely"], env))
            without.append(run(base + ["--ignore", "MODEL"], env))
    result = {
        "size_mb": round(size, 1),
        "load_s": round(load_s, 3),
        "words": nwords,
        "words_per_s": round(nwords / took),
        "check_with_model_s": round(min(t for t, _ in with_model), 2),
        "check_without_model_s": round(min(t for t, _ in without), 2),
        "peak_mb": round(max(m for _, m in with_model)),
        "peak_without_model_mb": round(max(m for _, m in without)),
    }
    result["cold_start_extra_s"] = round(result["check_with_model_s"] - result["check_without_model_s"], 2)
    ok = {
        "size_mb": result["size_mb"] <= TARGETS["size_mb"],
        "words_per_s": result["words_per_s"] >= TARGETS["words_per_s"],
        "cold_start_extra_s": result["cold_start_extra_s"] <= TARGETS["cold_start_extra_s"],
        "peak_mb": result["peak_mb"] <= TARGETS["peak_mb"],
    }
    result["pass"] = ok
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"model folder        {result['size_mb']:.1f} MB (target <= 60)          {'PASS' if ok['size_mb'] else 'FAIL'}")
        print(f"model alone         {result['words_per_s']:,} words/s over {nwords:,} words (target >= 3,000)  "
              f"{'PASS' if ok['words_per_s'] else 'FAIL'}")
        print(f"model load          {result['load_s']:.2f} s")
        print(f"cleanup check, 1k words: {result['check_with_model_s']:.2f} s with the model, "
              f"{result['check_without_model_s']:.2f} s without: +{result['cold_start_extra_s']:.2f} s "
              f"(target <= +0.5)  {'PASS' if ok['cold_start_extra_s'] else 'FAIL'}")
        print(f"peak memory         {result['peak_mb']} MB with the model, {result['peak_without_model_mb']} MB without "
              f"(target <= 500)  {'PASS' if ok['peak_mb'] else 'FAIL'}")
    return 0 if all(ok.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
