"""The learned detector's model at run time: a token classifier in ONNX, read with onnxruntime.

``DetectorModel(folder)`` loads ``model.onnx``, ``tokenizer.json`` (a Hugging Face ``tokenizers``
file) and ``meta.json`` from one folder; :meth:`DetectorModel.word_probs` gives, for each text, its
words (the tokenizer's pre-tokenized words: runs of letters and digits, each punctuation mark) with
their code-point spans and the model's probability that the word is wrong (the highest of its
sub-word pieces).  Training (``training/train_detector.py``) scores its folds with this same class,
so what is measured is what runs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

MAX_PIECES = 128  # pieces per window, [CLS] and [SEP] included (the length the model was trained on)


@dataclass(frozen=True)
class Word:
    start: int  # code points into the text given
    end: int
    prob: float


class DetectorModel:
    def __init__(self, folder: str | Path, *, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(folder)
        self.folder = folder
        self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
        self.cls = self.tokenizer.token_to_id("[CLS]")
        self.sep = self.tokenizer.token_to_id("[SEP]")
        self.max_pieces = int(self.meta.get("max_pieces", MAX_PIECES))

    def _windows(self, texts: Sequence[str]):
        """(text index, piece ids, piece offsets, word ids) per window of at most max_pieces."""
        encodings = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        room = self.max_pieces - 2
        for t, enc in enumerate(encodings):
            ids, offsets, words = enc.ids, enc.offsets, enc.word_ids
            a = 0
            while a < len(ids):
                b = min(len(ids), a + room)
                # never cut a word in two: end the window at the last word boundary
                while b < len(ids) and b > a + 1 and words[b] == words[b - 1]:
                    b -= 1
                yield t, ids[a:b], offsets[a:b], words[a:b]
                a = b

    def piece_probs(self, texts: Sequence[str], *, batch_size: int = 32):
        """For each text, a list of (start, end, word id, probability) per sub-word piece."""
        windows = [w for w in self._windows(texts) if w[1]]
        order = sorted(range(len(windows)), key=lambda i: len(windows[i][1]))
        out: list[list[tuple[int, int, int, float]]] = [[] for _ in texts]
        results: dict[int, np.ndarray] = {}
        for k in range(0, len(order), batch_size):
            chunk = order[k:k + batch_size]
            width = max(len(windows[i][1]) for i in chunk) + 2
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for r, i in enumerate(chunk):
                piece = windows[i][1]
                ids[r, 0] = self.cls
                ids[r, 1:len(piece) + 1] = piece
                ids[r, len(piece) + 1] = self.sep
                mask[r, :len(piece) + 2] = 1
            logits = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            bad = 1.0 / (1.0 + np.exp(logits[:, :, 0] - logits[:, :, 1]))
            for r, i in enumerate(chunk):
                results[i] = bad[r, 1:len(windows[i][1]) + 1]
        for i, (t, _, offsets, words) in enumerate(windows):
            probs = results[i]
            out[t].extend((s, e, w, float(p)) for (s, e), w, p in zip(offsets, words, probs))
        return out

    def word_probs(self, texts: Sequence[str], *, batch_size: int = 32) -> list[list[Word]]:
        """Each text's words with the probability that the word is wrong."""
        result = []
        for pieces in self.piece_probs(texts, batch_size=batch_size):
            words: list[Word] = []
            last = None
            for s, e, w, p in pieces:
                if w is not None and w == last and words:
                    prev = words[-1]
                    words[-1] = Word(prev.start, max(prev.end, e), max(prev.prob, p))
                else:
                    words.append(Word(s, e, p))
                last = w
            result.append(words)
        return result
