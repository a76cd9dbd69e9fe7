"""The learned detector (editor/backends/detector.py) measured on its own, issue 20's figures.

    python benchmarks/detector.py [--model DIR] [--mlqe-pe DIR] [--thresholds 0.5,0.6,...]

Prints, for each threshold on the word probability:
- machine translation (WeTS dev, TED MT systems): findings per 1,000 words, precision, lift,
  pinpoint recall and pinpoint lift (../shared/data/README.md's metric), TED's grammar and
  awkward group recall;
- human English (TED ref/refB, JFLEG dev first references): findings per 1,000 words;
- word-level MCC and F1-BAD on MLQE-PE test20 (ne/ro/ru/si-en MT words against their tags).

The shipped model was fine-tuned on WeTS dev and the TED set (training/README.md), so its figures
here are in-sample: they are for comparing models trained without ../shared/data (MLQE-PE only) and
for the MLQE-PE test20 word MCC.  The out-of-fold figures, rules and model together, come from
``--combined CACHE`` (below), made from ``evaluate.py --cv --model-folds``.
Word probabilities are cached per model and text (``--cache FILE``).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from pathlib import Path
from typing import Any, Mapping, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluation import compute_metrics, load_records  # noqa: E402
from false_alarms import DATA, JFLEG, TED, WETS, jfleg_articles, ted_records  # noqa: E402

MLQE_PAIRS = ("ne-en", "ro-en", "ru-en", "si-en")
DEFAULT_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
Words = list  # [(start, end, prob)]


def paragraphs(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for part in text.split("\n\n"):
        if part.strip():
            out.append((start, start + len(part)))
        start += len(part) + 2
    return out


def record_words(model, texts: Sequence[str]) -> list[Words]:
    """Each text's words with their probabilities, paragraph by paragraph (offsets into the text)."""
    units, where = [], []
    for t, text in enumerate(texts):
        for a, b in paragraphs(text):
            units.append(text[a:b])
            where.append((t, a))
    out: list[Words] = [[] for _ in texts]
    for (t, a), words in zip(where, model.word_probs(units)):
        out[t].extend((w.start + a, w.end + a, w.prob) for w in words)
    return out


def spans(words: Words, text: str, threshold: float, gap: int = 1) -> list[tuple[int, int, float]]:
    """Flagged words (prob ≥ threshold) merged into spans across gaps of ``gap`` words, never across
    a paragraph break; punctuation trimmed from the ends.  (start, end, highest prob)."""
    out: list[tuple[int, int, float]] = []
    run: list[tuple[int, int, float]] = []
    since = 0

    def close():
        items = [w for w in run if any(ch.isalnum() for ch in text[w[0]:w[1]])] or run
        if items:
            out.append((items[0][0], items[-1][1], max(p for _, _, p in run)))

    for s, e, p in words:
        if run and "\n\n" in text[run[-1][1]:s]:
            close()
            run, since = [], 0
        if p >= threshold:
            if run and since > gap:
                close()
                run = []
            run.append((s, e, p))
            since = 0
        elif run:
            since += 1
            if since > gap:
                close()
                run, since = [], 0
    if run:
        close()
    return out


def mlqe_word_scores(model, folder: Path, split: str = "test20") -> dict[str, tuple[list[int], list[float]]]:
    """Per language pair: the MT words' gold tags (1 = BAD) and the model's probability for each."""
    sys.path.insert(0, str(ROOT / "training"))
    from detector_data import detokenize_with_spans

    out = {}
    for pair in MLQE_PAIRS:
        base = folder / f"{pair}-{split}" / split
        mts = base.with_suffix(".mt").read_text(encoding="utf-8").splitlines()
        tags = base.with_suffix(".tags").read_text(encoding="utf-8").splitlines()
        texts, token_spans, gold = [], [], []
        for mt, tag in zip(mts, tags):
            toks, tg = mt.split(), tag.split()
            if len(tg) != 2 * len(toks) + 1:
                continue
            text, sp = detokenize_with_spans(toks)
            texts.append(text)
            token_spans.append(sp)
            gold.append([int(x == "BAD") for x in tg[1::2]])
        probs = model.word_probs(texts)
        y, p = [], []
        for sp, g, words in zip(token_spans, gold, probs):
            for span, label in zip(sp, g):
                best = 0.0
                if span:
                    best = max((w.prob for w in words if w.start < span[1] and span[0] < w.end), default=0.0)
                y.append(label)
                p.append(best)
        out[pair] = (y, p)
    return out


def mcc_f1(y: Sequence[int], p: Sequence[float], threshold: float) -> tuple[float, float]:
    tp = sum(1 for a, b in zip(y, p) if a and b >= threshold)
    fp = sum(1 for a, b in zip(y, p) if not a and b >= threshold)
    fn = sum(1 for a, b in zip(y, p) if a and b < threshold)
    tn = len(y) - tp - fp - fn
    den = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    mcc = (tp * tn - fp * fn) / den if den else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return mcc, f1


def _digest(model_dir: Path) -> str:
    h = hashlib.sha256()
    for name in ("model.onnx", "meta.json"):
        h.update((model_dir / name).read_bytes())
    return h.hexdigest()[:16]


def load_sets(data: Path) -> dict[str, list[Mapping[str, Any]]]:
    return {
        "wets": load_records(data / WETS),
        "ted-mt": ted_records(data / TED, human=False),
        "ted-human": ted_records(data / TED, human=True),
        "jfleg-refs": jfleg_articles(data / JFLEG),
    }


def predict_sets(model, model_dir: Path, sets, cache: Path | None) -> dict[str, list[Words]]:
    key = _digest(model_dir)
    if cache and cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("model") == key and set(data["words"]) == set(sets):
            return data["words"]
    words = {name: record_words(model, [r["text"] for r in records]) for name, records in sets.items()}
    if cache:
        cache.write_text(json.dumps({"model": key, "words": words}), encoding="utf-8")
    return words


def figures(sets, words, threshold: float, seeds: int = 3) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, records in sets.items():
        found = [[(s, e, "MODEL/unlikely", "model") for s, e, _ in spans(w, r["text"], threshold)]
                 for r, w in zip(records, words[name])]
        n = sum(len(f) for f in found)
        nwords = sum(len(r["text"].split()) for r in records)
        row: dict[str, Any] = {"per_1k": 1000 * n / nwords}
        if name in ("wets", "ted-mt"):
            o = compute_metrics(records, found, seeds=seeds).overall
            row.update(precision=o.precision, lift=o.lift, pinpoint_recall=o.pinpoint_recall,
                       pinpoint_lift=o.pinpoint_lift)
            for g, sc in o.groups.items():
                row[f"{g}_recall"] = sc.pinpoint_recall
        out[name] = row
    return out


def _f(v, d=3):
    return "-" if v is None else f"{v:.{d}f}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=ROOT / "editor" / "models" / "detector")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--mlqe-pe", type=Path, help="extracted MLQE-PE data: adds word-level MCC on test20")
    ap.add_argument("--thresholds", default=",".join(map(str, DEFAULT_THRESHOLDS)))
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--combined", type=Path, metavar="CACHE",
                    help="instead: rules + model out of fold, from the findings cache of evaluate.py --cv "
                    "--model-folds DIR --findings-cache CACHE (issue 20's targets, PASS/FAIL)")
    ap.add_argument("--evidence", type=Path, default=ROOT / "benchmarks" / "rule-evidence.json",
                    help="with --combined: the rules evaluate.py --cv kept [benchmarks/rule-evidence.json]")
    args = ap.parse_args(argv)
    if args.combined:
        return print_combined(combined(args.combined, args.evidence), args.json)
    from editor.backends.detector_model import DetectorModel

    model = DetectorModel(args.model)
    sets = load_sets(args.data)
    t0 = time.time()
    words = predict_sets(model, args.model, sets, args.cache)
    took = time.time() - t0
    result: dict[str, Any] = {"thresholds": {}}
    for thr in [float(x) for x in args.thresholds.split(",")]:
        result["thresholds"][thr] = figures(sets, words, thr)
    if args.mlqe_pe:
        scores = mlqe_word_scores(model, args.mlqe_pe)
        result["mlqe_test20"] = {
            pair: {str(thr): dict(zip(("mcc", "f1_bad"), mcc_f1(y, p, thr))) for thr in (0.3, 0.4, 0.5, 0.6, 0.7)}
            for pair, (y, p) in scores.items()}
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"model {args.model} (scored in {took:.0f} s)")
    print("thr   | WeTS f/1k prec  lift  pin   pinL  gram  awk  | TED-MT f/1k prec lift pin  gram  awk  | human TED JFLEG")
    for thr, row in result["thresholds"].items():
        w, t = row["wets"], row["ted-mt"]
        print(f"{thr:<5} | {w['per_1k']:6.1f} {_f(w['precision'])} {_f(w['lift'], 2)} {_f(w['pinpoint_recall'])} "
              f"{_f(w['pinpoint_lift'], 2)} {_f(w.get('grammar_recall'))} {_f(w.get('awkward_recall'))} | "
              f"{t['per_1k']:5.1f} {_f(t['precision'])} {_f(t['lift'], 2)} {_f(t['pinpoint_recall'])} "
              f"{_f(t.get('grammar_recall'))} {_f(t.get('awkward_recall'))} | "
              f"{row['ted-human']['per_1k']:5.2f} {row['jfleg-refs']['per_1k']:5.2f}")
    for pair, rows in result.get("mlqe_test20", {}).items():
        print(pair, " ".join(f"thr {k}: MCC {v['mcc']:.3f} F1-BAD {v['f1_bad']:.3f}" for k, v in rows.items()))
    return 0



# --------------------------------------------------------------------------- rules + model, out of fold

TARGETS = (  # issue 20, point 5: (set, figure, comparison, bound)
    ("wets_zhen_dev", "pinpoint_recall", ">=", 0.25),
    ("wets_zhen_dev", "lift", ">=", 2.0),
    ("wets_zhen_dev", "pinpoint_lift", ">=", 2.0),
    ("wets_zhen_dev", "per_1k", "<=", 30.0),
    ("mqm_zhen_2021ted_docs", "grammar+awkward_recall", ">=", 0.15),
    ("mqm_zhen_2021ted_docs", "human_per_1k", "<=", 2.0),
    ("", "jfleg_refs_per_1k", "<=", 2.0),
)


def print_combined(result: dict[str, Any], as_json: bool) -> int:
    if as_json:
        print(json.dumps(result, indent=1))
        return 0
    ok = True
    for label, sets in result.items():
        print(f"{label}: mean ± sd over 5 folds")
        for name, rows in sets.items():
            if not isinstance(rows, dict):
                print(f"  {name:<22} {rows:.2f}")
                continue
            print(f"  {name}")
            for key, sp in rows.items():
                if sp["mean"] is not None:
                    print(f"    {key:<20} {sp['mean']:.3f} ± {sp['sd'] or 0:.3f}")
    both = result["rules+model"]
    print("issue 20 targets (rules + model):")
    for name, key, op, bound in TARGETS:
        if name:
            value = both[name][key]["mean"]
        else:
            value = both[key]
        passed = value is not None and (value >= bound if op == ">=" else value <= bound)
        ok &= passed
        print(f"  {name or 'jfleg refs'} {key} {_f(value)} (target {op} {bound:g})  {'PASS' if passed else 'FAIL'}")
    return 0 if ok else 1



def combined(cache: Path, evidence: Path, seeds: int = 3) -> dict[str, Any]:
    """Rules + model together, per fold: the findings cache of ``evaluate.py --cv --model-folds
    --findings-cache CACHE`` (each WeTS/TED record checked with its own fold's model), the rules
    ``--write-evidence EVIDENCE`` kept, with and without ``MODEL/unlikely`` (a default run:
    merged, gated, the model folded into the rules' findings, resolved)."""
    from evaluate import default_run
    from evaluation import grouped_folds, spread

    raw = json.loads(cache.read_text(encoding="utf-8"))["findings"]
    ev = json.loads(evidence.read_text(encoding="utf-8"))
    rules = {r for r, e in ev["rules"].items() if e["decision"] and not r.startswith("MODEL/")}
    data = {"wets_zhen_dev": load_records(DATA / WETS), "mqm_zhen_2021ted_docs": load_records(DATA / TED)}
    out: dict[str, Any] = {}
    for label, chosen in (("rules", rules), ("rules+model", rules | {"MODEL/unlikely"})):
        for name, records in data.items():
            folds = grouped_folds(records, 5)
            rows = []
            for k in range(5):
                idx = [i for i in range(len(records)) if folds[i] == k]
                mt = [i for i in idx if records[i].get("system") not in ("ref", "refB")]
                found = [[(f.span.start, f.span.end, f.rule, f.category)
                          for f in default_run([tuple(x) for x in raw[name][i]], chosen, len(records[i]["text"].split()))]
                         for i in mt]
                report = compute_metrics([records[i] for i in mt], found, seeds=seeds)
                o = report.overall
                row = {"per_1k": o.per_1k, "precision": o.precision, "lift": o.lift,
                       "pinpoint_recall": o.pinpoint_recall, "pinpoint_lift": o.pinpoint_lift}
                for g, sc in o.groups.items():
                    row[f"{g}_recall"] = sc.pinpoint_recall
                n_ga = [report.group_errors.get(g, 0) for g in ("grammar", "awkward")]
                if sum(n_ga):  # the two groups together, weighted by their errors
                    row["grammar+awkward_recall"] = sum(
                        (o.groups[g].pinpoint_recall or 0) * n for g, n in zip(("grammar", "awkward"), n_ga) if n
                    ) / sum(n_ga)
                human = [i for i in idx if records[i].get("system") in ("ref", "refB")]
                if human:
                    n = sum(len(default_run([tuple(x) for x in raw[name][i]], chosen, len(records[i]["text"].split())))
                            for i in human)
                    row["human_per_1k"] = 1000 * n / sum(len(records[i]["text"].split()) for i in human)
                rows.append(row)
            out.setdefault(label, {})[name] = {key: spread([r.get(key) for r in rows]) for key in rows[0]}
        jfleg = raw.get("human:jfleg-refs")
        if jfleg is not None:
            arts = jfleg_articles(DATA / JFLEG)
            n = sum(len(default_run([tuple(x) for x in rows_], chosen, len(a["text"].split()))) for a, rows_ in zip(arts, jfleg))
            out[label]["jfleg_refs_per_1k"] = 1000 * n / sum(len(a["text"].split()) for a in arts)
    return out


if __name__ == "__main__":
    raise SystemExit(main())
