"""Cross-validated in-domain fine-tuning of the detector, and the shipped model.

    python training/cv_detector.py --base DIR --mlqe-pe DIR --out-words FILE [--final OUT]

``--base`` is the MLQE-PE-trained torch model (train_detector.py --save-torch).  For each fold of
``benchmarks/evaluation.grouped_folds`` (5, by source document, over WeTS dev and the TED set), the
base model is fine-tuned on the other folds' paragraphs (their annotated error spans; TED's human
translations as they are) plus a replay sample of MLQE-PE, exported like the shipped model, and
scores the held-out fold's records.  The out-of-fold word probabilities go to ``--out-words``
(JSON: data set → per record a list of [start, end, prob]), which ``benchmarks/evaluate.py --cv
--model-words FILE`` and ``benchmarks/detector.py --words FILE`` read.  ``--final OUT`` then
fine-tunes on every fold and writes the shipped model folder.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from detector_data import mlqe_examples, record_examples  # noqa: E402
from evaluation import grouped_folds, load_records, source_group  # noqa: E402
import train_detector as td  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SETS = {"wets_zhen_dev": "wets_zhen_dev.jsonl", "mqm_zhen_2021ted_docs": "mqm_zhen_2021ted_docs.jsonl"}
FOLDS = 5


def load(data: Path):
    return {name: load_records(data / file) for name, file in SETS.items()}


def fold_examples(sets, folds, k: int | None):
    """Training examples from every record not in fold ``k`` (all records when k is None)."""
    out = []
    for name, records in sets.items():
        for i, r in enumerate(records):
            if k is None or folds[name][i] != k:
                out += record_examples(r, i, group=source_group(r, i))
    return out


def sentence_words(model, texts):
    """Each text's words with their probabilities, read one sentence at a time as the engine reads
    them (spaCy's sentences of each paragraph; editor/backends/detector.py)."""
    from editor.nlp import load_model

    nlp = load_model()
    units, where = [], []
    for t, text in enumerate(texts):
        start = 0
        for part in text.split("\n\n"):
            if part.strip():
                for sent in nlp(part).sents:
                    piece = sent.text.strip()
                    if piece:
                        units.append(piece)
                        where.append((t, start + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))))
            start += len(part) + 2
    out = [[] for _ in texts]
    for (t, a), words in zip(where, model.word_probs(units)):
        out[t].extend((w.start + a, w.end + a, w.prob) for w in words)
    return out


def finetune(base: Path, examples, replay, *, epochs: float, lr: float, seed: int, log):
    from transformers import BertForTokenClassification

    tok = td.load_tokenizer()
    model = BertForTokenClassification.from_pretrained(str(base))
    data = td.encode(tok, examples + replay)
    log(f"fine-tuning on {len(examples)} in-domain + {len(replay)} replay sentences")
    td.train(model, data, epochs=epochs, lr=lr, batch_size=32, seed=seed, log=log)
    return model


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=Path, required=True)
    ap.add_argument("--mlqe-pe", type=Path, required=True)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out-words", type=Path)
    ap.add_argument("--fold-models", type=Path, default=ROOT / "build" / "detector" / "folds",
                    help="where each fold's model goes (benchmarks/evaluate.py --cv --model-folds reads them)")
    ap.add_argument("--final", type=Path, help="write the shipped model (fine-tuned on every fold) here")
    ap.add_argument("--epochs", type=float, default=1.5)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--replay", type=int, default=3000, help="MLQE-PE sentences mixed in (against forgetting)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    import torch

    from editor.backends.detector_model import DetectorModel
    torch.set_num_threads(args.threads)
    log = lambda m: print(m, flush=True)  # noqa: E731
    sets = load(args.data)
    folds = {name: grouped_folds(records, FOLDS) for name, records in sets.items()}
    mlqe = mlqe_examples(args.mlqe_pe, "train")
    replay = random.Random(args.seed).sample(mlqe, min(args.replay, len(mlqe)))
    meta = {"name": "cleanup-mt-detector", "base": "all-MiniLM-L6-v2",
            "trained_on": "MLQE-PE train ne/ro/ru/si-en, then WeTS dev + TED MQM (../shared/data)"}
    if args.out_words:
        words = {name: [None] * len(records) for name, records in sets.items()}
        for k in range(FOLDS):
            t0 = time.time()
            model = finetune(args.base, fold_examples(sets, folds, k), replay, epochs=args.epochs, lr=args.lr,
                             seed=args.seed + k, log=log)
            fold_dir = args.fold_models / f"fold-{k}"
            td.export(model, td.base_model_dir(), fold_dir, quantize=True, meta=dict(meta, fold=k, folds=FOLDS))
            scorer = DetectorModel(fold_dir)
            for name, records in sets.items():
                idx = [i for i in range(len(records)) if folds[name][i] == k]
                for i, w in zip(idx, sentence_words(scorer, [records[i]["text"] for i in idx])):
                    words[name][i] = w
            log(f"fold {k + 1}/{FOLDS} done in {time.time() - t0:.0f} s")
        args.out_words.write_text(json.dumps({"folds": FOLDS, "words": words}), encoding="utf-8")
        log(f"wrote {args.out_words}")
    if args.final:
        model = finetune(args.base, fold_examples(sets, folds, None), replay, epochs=args.epochs, lr=args.lr,
                         seed=args.seed, log=log)
        td.export(model, td.base_model_dir(), args.final, quantize=True, meta=meta)
        log(f"wrote {args.final}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
