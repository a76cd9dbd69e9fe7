"""Training and evaluation examples for the learned detector (issue 20).

An example is one sentence of English and the character spans in it that are wrong:
``Example(text, bad, group)``. Sources:

- MLQE-PE post-editing data (``sheffieldnlp/mlqe-pe``, ne/ro/ru/si-en; never et-en): the MT
  output, detokenized, with its word-level BAD tags as spans (a BAD gap tag, a missing word, marks
  the word after it), and the human post-edit as an example with no bad span;
- WeTS dev and the TED MQM documents in ``../shared/data``: each paragraph with the annotated
  error spans inside it (any category: an error is an error), human translations included.
"""
from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from rewrite_metrics import detokenize  # noqa: E402

PAIRS = ("ne-en", "ro-en", "ru-en", "si-en")  # et-en is kept aside for measuring: never read


@dataclass
class Example:
    text: str
    bad: list[tuple[int, int]] = field(default_factory=list)
    group: str = ""  # the source document (folds never split one)
    human: bool = False


def _clean(tokens: list[str]) -> list[str]:
    out = []
    for tok in tokens:
        tok = tok.replace("\u200b", "").replace("\u200d", "")
        if tok:
            out.append(tok)
    return out


def detokenize_with_spans(tokens: list[str]) -> tuple[str, list[tuple[int, int] | None]]:
    """Moses-style tokens → prose and each token's ``[start, end)`` in it (None for a token that
    vanished, a zero-width space)."""
    kept = [(i, t.replace("\u200b", "").replace("\u200d", "")) for i, t in enumerate(tokens)]
    kept = [(i, t) for i, t in kept if t]
    text = detokenize([t for _, t in kept])
    spans: list[tuple[int, int] | None] = [None] * len(tokens)
    cursor = 0
    for i, tok in kept:
        at = text.find(tok, cursor)
        if at < 0:
            continue
        spans[i] = (at, at + len(tok))
        cursor = at + len(tok)
    return text, spans


def mlqe_examples(folder: Path, split: str, *, pairs=PAIRS, with_pe: bool = True) -> list[Example]:
    """MT sentences with their BAD spans and (``with_pe``) the post-edits as human examples."""
    out: list[Example] = []
    for pair in pairs:
        if pair.startswith("et"):
            raise ValueError("et-en is kept aside for measuring")
        base = folder / f"{pair}-{split}" / split
        mts = base.with_suffix(".mt").read_text(encoding="utf-8").splitlines()
        tags = base.with_suffix(".tags").read_text(encoding="utf-8").splitlines()
        pes = base.with_suffix(".pe").read_text(encoding="utf-8").splitlines()
        for n, (mt, tag, pe) in enumerate(zip(mts, tags, pes)):
            words = mt.split()
            tg = tag.split()
            if len(tg) != 2 * len(words) + 1:
                continue
            text, spans = detokenize_with_spans(words)
            bad = []
            for i, span in enumerate(spans):
                word_bad = tg[2 * i + 1] == "BAD"
                gap_before = tg[2 * i] == "BAD"  # a missing word: mark the word after the gap
                if span and (word_bad or gap_before):
                    bad.append(span)
            group = f"mlqe:{pair}:{split}:{n}"
            out.append(Example(text, bad, group))
            if with_pe:
                pe_text, _ = detokenize_with_spans(pe.split())
                if pe_text.strip():
                    out.append(Example(pe_text, [], group, human=True))
    return out


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for part in text.split("\n\n"):
        end = start + len(part)
        if part.strip():
            spans.append((start, end))
        start = end + 2
    return spans


def record_examples(record: dict, index: int, *, group: str) -> list[Example]:
    """One example per paragraph of a WeTS/TED record, spans relative to the paragraph."""
    text = record["text"]
    errors = [(e["start"], e["end"]) for e in record.get("errors", []) if e.get("start") is not None]
    human = bool(record.get("is_human_reference")) or record.get("system") in ("ref", "refB")
    out = []
    for a, b in _paragraphs(text):
        bad = [(max(s, a) - a, min(e, b) - a) for s, e in errors if s < b and e > a]
        out.append(Example(text[a:b], bad, group, human=human))
    return out


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def subsample(examples: list[Example], n: int, seed: int = 0) -> list[Example]:
    if n >= len(examples):
        return list(examples)
    return random.Random(seed).sample(examples, n)
