"""Threshold, calibration and severity policy of the detector, from out-of-fold predictions.

    python training/calibrate_detector.py --words OOF.json --model DIR [--target-human 1.0]

Reads the out-of-fold word probabilities of cv_detector.py (WeTS dev and the TED set, every record
scored by a model that never saw its source document), and writes into ``DIR/meta.json``:

- ``threshold``: the lowest word probability (on a 0.05 grid) at which the model's findings stay
  at most ``--target-human`` (2) per 1,000 words on TED's human translations and at most
  ``--budget`` per 1,000 words on WeTS (the rules already make about 20 of the 30 allowed);
- ``calibration``: [probability, precision] points — the share of findings whose highest word
  probability falls in each bin that overlap an annotated error (WeTS and TED MT pooled), made
  monotone; the engine turns a finding's probability into its ``confidence`` with it;
- ``errors``: whether any bin reaches precision 0.85 on at least 30 findings (only then may the
  engine report an error);
- ``article_min``: the article gate: the lower quartile, rounded down to 0.01, of the mean word
  probability of the crude news MT articles (WeTS), out of fold; an article whose mean is lower
  (most human English, modern TED MT) has the model's findings held back;
- ``figures``: the model's own out-of-fold figures at the threshold, for ``cleanup rule MODEL/unlikely``.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from detector import figures, spans  # noqa: E402
from evaluation import IntervalIndex, load_records  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
GRID = [round(0.3 + 0.05 * i, 2) for i in range(14)]
BINS = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]


def split_ted(records, words):
    human = [i for i, r in enumerate(records) if r.get("system") in ("ref", "refB") or r.get("is_human_reference")]
    mt = [i for i in range(len(records)) if i not in set(human)]
    return ([records[i] for i in mt], [words[i] for i in mt]), ([records[i] for i in human], [words[i] for i in human])


def calibration(sets_words, threshold: float) -> list[list[float]]:
    """[bin's mean probability, precision, findings] per bin, precision made non-decreasing."""
    rows = []
    for lo, hi in zip(BINS, BINS[1:]):
        hits = n = 0
        total_p = 0.0
        for records, words in sets_words:
            for r, w in zip(records, words):
                index = IntervalIndex([(e["start"], e["end"]) for e in r.get("errors", []) if e.get("start") is not None])
                for s, e, p in spans(w, r["text"], threshold):
                    if lo <= p < hi:
                        n += 1
                        total_p += p
                        hits += bool(index.hits(s, e))
        if n:
            rows.append([round(total_p / n, 3), hits / n, n])
    for i in range(1, len(rows)):  # isotonic by pooling would be nicer; a running max keeps it monotone
        rows[i][1] = max(rows[i][1], rows[i - 1][1])
    return [[p, round(prec, 3), n] for p, prec, n in rows]


def figure_lines(row, threshold: float) -> list[str]:
    """What ``cleanup rule MODEL/unlikely`` shows: the model's own out-of-fold figures."""
    w, t, h = row["wets"], row["ted-mt"], row["ted-human"]
    return [
        f"out of fold, the model alone at threshold {threshold:g} (before the article gate):",
        f"  WeTS dev (crude news MT): {w['per_1k']:.2f} findings per 1,000 words, precision {_f(w['precision'])}, "
        f"lift {_f(w['lift'])}, pinpoint recall {_f(w['pinpoint_recall'])}",
        f"  TED MT: {t['per_1k']:.2f} per 1,000 words, precision {_f(t['precision'])}, lift {_f(t['lift'])}",
        f"  TED human translations: {h['per_1k']:.2f} per 1,000 words",
    ]


def _f(value) -> str:
    return "-" if value is None else f"{value:.3f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=Path, required=True)
    ap.add_argument("--model", type=Path, required=True, nargs="+",
                    help="model folders whose meta.json gets the calibration (the shipped one, the fold models)")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--target-human", type=float, default=2.0)
    ap.add_argument("--budget", type=float, default=10.0)
    ap.add_argument("--default", action=argparse.BooleanOptionalAction, default=False,
                    help="ship the model on by default (only when benchmarks/evaluate.py --cv --model-folds "
                    "keeps MODEL/unlikely on: see training/README.md) [off]")
    ap.add_argument("--mt-articles-only", action=argparse.BooleanOptionalAction, default=True,
                    help="the model's findings wait for the rules' article gate (editor.gate), like the rules "
                    "marked mt-articles-only [on]")
    ap.add_argument("--off-reason", help="why it is not on by default (cleanup rule MODEL/unlikely shows it)")
    args = ap.parse_args(argv)
    oof = json.loads(args.words.read_text(encoding="utf-8"))["words"]
    wets = load_records(args.data / "wets_zhen_dev.jsonl")
    ted = load_records(args.data / "mqm_zhen_2021ted_docs.jsonl")
    (ted_mt, ted_mt_w), (ted_h, ted_h_w) = split_ted(ted, oof["mqm_zhen_2021ted_docs"])
    sets = {"wets": wets, "ted-mt": ted_mt, "ted-human": ted_h}
    words = {"wets": oof["wets_zhen_dev"], "ted-mt": ted_mt_w, "ted-human": ted_h_w}
    chosen, table = None, {}
    for thr in GRID:
        row = figures(sets, words, thr)
        table[thr] = row
        w, t = row["wets"], row["ted-mt"]
        print(f"{thr:.2f}: WeTS {w['per_1k']:.1f}/1k prec {_f(w['precision'])} lift {_f(w['lift'])} "
              f"pin {_f(w['pinpoint_recall'])} | TED-MT {t['per_1k']:.1f}/1k pin {_f(t['pinpoint_recall'])} "
              f"| TED human {row['ted-human']['per_1k']:.2f}/1k", flush=True)
        if chosen is None and row["ted-human"]["per_1k"] <= args.target_human and row["wets"]["per_1k"] <= args.budget:
            chosen = thr
    if chosen is None:
        chosen = GRID[-1]
    article_scores = sorted(sum(p for *_, p in w) / len(w) for w in words["wets"] if w)
    article_min = math.floor(100 * article_scores[len(article_scores) // 4]) / 100
    cal = calibration([(wets, words["wets"]), (ted_mt, ted_mt_w)], chosen)
    update = dict(
        threshold=chosen,
        calibration=[[p, prec] for p, prec, _ in cal],
        calibration_findings=[n for *_, n in cal],
        errors=any(prec >= 0.85 and n >= 30 for _, prec, n in cal),
        warning_from=0.5,
        article_min=article_min,
        figures=figure_lines(table[chosen], chosen),
        default=args.default,
        mt_articles_only=args.mt_articles_only,
    )
    if args.off_reason and not args.default:
        update["off_reason"] = args.off_reason
    for folder in args.model:
        meta_path = folder / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta.pop("off_reason", None)
        meta.update(update)
        meta_path.write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {meta_path}")
    print(f"threshold {chosen}; article_min {article_min}; calibration {cal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
