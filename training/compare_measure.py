"""Measure a candidate detector on the lead's harness (benchmarks/detector.py), issue 20 point 2.

Used by training/spacy_detector.py and training/features_detector.py: any object with
``word_probs(texts) -> list[list[Word]]`` is scored the same way as the transformer:

- WeTS / TED / JFLEG figures (``detector.figures``) at the thresholds where WeTS findings per 1,000
  words come closest to 5, 10, 20 and 30;
- word-level MCC and F1-BAD on MLQE-PE test20 per pair, the threshold chosen per pair on MLQE-PE
  dev (best MCC) and applied to test20 (also the one threshold best on the pooled dev);
- throughput (whitespace words per second of ``word_probs`` on the WeTS texts) and size on disk.
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from detector import (
    DATA,
    figures,
    load_sets,
    mcc_f1,
    mlqe_word_scores,
    record_words,
    spans,
)

TARGET_RATES = (5.0, 10.0, 20.0, 30.0)
GRID = [round(0.02 + 0.01 * i, 2) for i in range(97)]


def best_threshold(y, p) -> tuple[float, float]:
    """The grid threshold with the highest MCC (and that MCC)."""
    best = max(GRID, key=lambda t: mcc_f1(y, p, t)[0])
    return best, mcc_f1(y, p, best)[0]


def wets_rate(records, words, threshold: float) -> float:
    n = sum(len(spans(w, r["text"], threshold)) for r, w in zip(records, words))
    return 1000 * n / sum(len(r["text"].split()) for r in records)


def rate_threshold(records, words, target: float) -> float:
    """Threshold whose WeTS findings per 1,000 words is closest to ``target`` (bisection; the rate
    falls as the threshold rises)."""
    lo, hi = 0.0, 1.0
    for _ in range(18):
        mid = (lo + hi) / 2
        if wets_rate(records, words, mid) > target:
            lo = mid
        else:
            hi = mid
    return round(min((lo, hi), key=lambda t: abs(wets_rate(records, words, t) - target)), 5)


def mlqe_figures(model, mlqe: Path) -> dict[str, Any]:
    dev = mlqe_word_scores(model, mlqe, "dev")
    test = mlqe_word_scores(model, mlqe, "test20")
    pooled_thr, _ = best_threshold([a for y, _ in dev.values() for a in y], [b for _, p in dev.values() for b in p])
    out: dict[str, Any] = {"pooled_dev_threshold": pooled_thr}
    for pair, (y, p) in test.items():
        thr, dev_mcc = best_threshold(*dev[pair])
        mcc, f1 = mcc_f1(y, p, thr)
        pm, pf = mcc_f1(y, p, pooled_thr)
        out[pair] = {"dev_threshold": thr, "dev_mcc": dev_mcc, "mcc": mcc, "f1_bad": f1,
                     "mcc_pooled_thr": pm, "f1_bad_pooled_thr": pf, "bad_share": sum(y) / len(y)}
    return out


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def measure(model, name: str, folder: Path, mlqe: Path | None, extra: dict | None = None,
            out: Path | None = None) -> dict[str, Any]:
    sets = load_sets(DATA)
    t0, c0 = time.time(), time.process_time()
    words = {"wets": record_words(model, [r["text"] for r in sets["wets"]])}
    took, cpu = time.time() - t0, time.process_time() - c0
    nwords = sum(len(r["text"].split()) for r in sets["wets"])
    for key in ("ted-mt", "ted-human", "jfleg-refs"):
        words[key] = record_words(model, [r["text"] for r in sets[key]])
    result: dict[str, Any] = {"candidate": name, **(extra or {})}
    result["throughput_words_per_s"] = nwords / cpu  # per CPU second of this one-thread process
    result["throughput_wall_words_per_s"] = nwords / took  # lower when the machine is busy
    result["size_bytes"] = folder_size(folder)
    result["rows"] = []
    for target in TARGET_RATES:
        thr = rate_threshold(sets["wets"], words["wets"], target)
        result["rows"].append({"target_per_1k": target, "threshold": thr, **figures(sets, words, thr)})
    if mlqe:
        result["mlqe_test20"] = mlqe_figures(model, mlqe)
    print_result(result)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result


def _f(v, d=3):
    return "-" if v is None else f"{v:.{d}f}"


def print_result(result: dict[str, Any]) -> None:
    print(f"{result['candidate']}: {result['throughput_words_per_s']:.0f} words/s on WeTS, "
          f"{result['size_bytes'] / 1e6:.1f} MB on disk")
    print("thr     | WeTS f/1k prec  lift  pin   pinL  | TED-MT pin  gram  awk  | human TED JFLEG f/1k")
    for row in result["rows"]:
        w, t = row["wets"], row["ted-mt"]
        print(f"{row['threshold']:<7.4f} | {w['per_1k']:6.1f} {_f(w['precision'])} {_f(w['lift'], 2)} "
              f"{_f(w['pinpoint_recall'])} {_f(w['pinpoint_lift'], 2)} | {_f(t['pinpoint_recall'])} "
              f"{_f(t.get('grammar_recall'))} {_f(t.get('awkward_recall'))} | "
              f"{row['ted-human']['per_1k']:6.2f} {row['jfleg-refs']['per_1k']:6.2f}")
    for pair, v in result.get("mlqe_test20", {}).items():
        if isinstance(v, dict):
            print(f"MLQE-PE test20 {pair}: thr {v['dev_threshold']:.2f} (dev MCC {v['dev_mcc']:.3f}) "
                  f"MCC {v['mcc']:.3f} F1-BAD {v['f1_bad']:.3f}; pooled thr MCC {v['mcc_pooled_thr']:.3f}")


def throughput(model) -> float:
    """Whitespace words per CPU second (one thread) of ``word_probs`` on the WeTS texts, paragraph by
    paragraph: what one free core does, even while the machine is busy."""
    texts = [r["text"] for r in load_sets(DATA)["wets"]]
    model.word_probs(texts[:2])  # warm up
    c0 = time.process_time()
    record_words(model, texts)
    return sum(len(t.split()) for t in texts) / (time.process_time() - c0)


def main(argv=None) -> int:
    """Measure again only the throughput of a saved candidate and update its JSON (used when the
    first run was paused by other work on the machine)."""
    import argparse

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("candidate", choices=("spacy", "features"))
    ap.add_argument("folder", type=Path)
    ap.add_argument("json", type=Path)
    args = ap.parse_args(argv)
    if args.candidate == "spacy":
        from spacy_detector import SpacyDetector as Model
    else:
        from features_detector import FeaturesDetector as Model
    rate = throughput(Model(args.folder))
    result = json.loads(args.json.read_text(encoding="utf-8"))
    result["throughput_words_per_s"] = rate
    result["throughput_note"] = "measured again: words per CPU second, one thread"
    args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"{args.candidate}: {rate:.0f} words/s")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
