"""The learned detector as an engine: words a model trained on machine translation and its human
post-edits finds unlikely in human English (issue 20).

The model (``editor/backends/detector_model.py``: a token classifier in ONNX, read with
onnxruntime and tokenizers) lives in a folder of three files, ``model.onnx``, ``tokenizer.json``
and ``meta.json``: by default ``editor/models/detector/`` inside the package; the environment
variable ``CLEANUP_DETECTOR_MODEL`` names another folder (or ``off``).  It is loaded once per
process, the first time the engine runs: nothing imports onnxruntime before that.

It reads the same prose as the rules and the other engines (the segments, markup masked), one
sentence at a time (spaCy's sentences; a whole segment when there are none) and gives every word
the probability that it is wrong.  Words at or above ``meta["threshold"]`` are flagged;
consecutive flagged words, also across one unflagged word, make one finding (never across a
sentence end or masked text), without punctuation at its ends.  Codes ``MODEL/<kind>`` (today one:
``MODEL/unlikely``), source ``model``.

``meta.json`` holds what the engine needs beside the weights (every key optional):

- ``threshold``: a word's probability from which it is flagged (default 0.5);
- ``calibration``: ``[[prob, precision], ...]`` sorted by prob, the precision measured at each
  probability; a finding's ``confidence`` is the calibrated value (linear between the points,
  clamped at the ends) at its highest word probability (no calibration: the probability itself);
- ``errors`` (false): whether a finding may be an error (confidence >= 0.85); ``warning_from``
  (0.5): the confidence from which it is a warning, else info;
- ``mt_articles_only`` (false): the model's findings are held back, like the rules marked
  ``mt-articles-only``, unless the article's findings of our MT rules open the article gate
  (editor.gate: at least 3, and 8 per 1,000 words);
- ``article_min`` (null): the mean word probability of the whole article under which the model's
  findings are held back by the article gate (editor.gate; ``--all-findings`` shows them);
- ``reads`` ("sentences"): what one text given to the model is, spaCy's sentences or
  ``"paragraphs"`` (each segment whole: then a span may cross a sentence end, never a paragraph's);
- ``default`` (false): on by default; ``category`` ("grammar"); ``figures``: what
  ``cleanup rule MODEL/unlikely`` shows (a dict of name → value, or lines of text);
  ``name``/``base``/``trained_on``: what the model is.

Where a rule and the model flag the same words, the rule's finding is kept with the model's
confidence (:func:`editor.merge.fold_model`, after the article gate).
"""

from __future__ import annotations

import bisect
import importlib.util
import json
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from editor.backends import EngineError, engine_wanted, make_finding, rule_selected, warn_once
from editor.findings import Finding, Severity

PREFIX = "MODEL/"
SOURCE = "model"
ENV = "CLEANUP_DETECTOR_MODEL"
CODE = PREFIX + "unlikely"
NAME = "model-unlikely"
TITLE = "wording unlikely in human English"
PACKAGE_FOLDER = Path(__file__).resolve().parent.parent / "models" / "detector"
FILES = ("model.onnx", "tokenizer.json", "meta.json")
ERROR_FROM = 0.85  # an error only when the calibrated precision reaches this (and meta allows errors)
QUOTE_CHARS = 60  # the flagged words quoted in the message, cut to about this length

DESCRIPTION = ("words a model trained on machine translation and its human post-edits finds unlikely in "
               "human English: wrong or calqued words, garbled clauses, dropped words, odd word order")


# --------------------------------------------------------------------------------------------
# the model folder and its meta.json


def model_folder(env: dict | None = None) -> Path | None:
    """The folder the model is read from: ``CLEANUP_DETECTOR_MODEL``, else the package's own;
    None when the variable says ``off``."""
    value = (os.environ if env is None else env).get(ENV, "").strip()
    if value.lower() == "off":
        return None
    return Path(value).expanduser() if value else PACKAGE_FOLDER


def asked_by_env(env: dict | None = None) -> bool:
    value = (os.environ if env is None else env).get(ENV, "").strip()
    return bool(value) and value.lower() != "off"


def read_meta(folder: Path | None) -> dict | None:
    """The folder's meta.json when all three files are there, else None (cached per file version)."""
    if folder is None or not all((folder / f).is_file() for f in FILES):
        return None
    path = folder / "meta.json"
    try:
        return _meta(str(path), path.stat().st_mtime_ns)
    except (OSError, ValueError):
        return None


@lru_cache(maxsize=8)
def _meta(path: str, _mtime: int) -> dict:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a JSON object")
    return data


def fingerprint(env: dict | None = None) -> str | None:
    """What identifies the model a run would use (for cleanup batch's cache): its folder, its
    meta.json and the size of its weights; None when there is none."""
    import hashlib

    folder = model_folder(env)
    if read_meta(folder) is None:
        return None
    digest = hashlib.sha256(str(folder.resolve()).encode())
    digest.update((folder / "meta.json").read_bytes())
    digest.update(str((folder / "model.onnx").stat().st_size).encode())
    return digest.hexdigest()[:16]


def is_default(meta: dict | None) -> bool:
    return bool(meta and meta.get("default") is True)


def runtime_missing() -> str | None:
    """The run-time package that cannot be imported (onnxruntime, tokenizers), or None."""
    for name in ("onnxruntime", "tokenizers"):
        if importlib.util.find_spec(name) is None:
            return name
    return None


_load_lock = threading.Lock()


@lru_cache(maxsize=4)
def _load(folder: str):
    from editor.backends.detector_model import DetectorModel

    return DetectorModel(folder)


def load_model(folder: Path):
    """The DetectorModel of ``folder``, loaded once per process (EngineError when it cannot be)."""
    with _load_lock:
        try:
            return _load(str(folder))
        except Exception as e:  # a broken folder or runtime: one line, the rules go on
            raise EngineError(f"the learned detector in {folder} cannot be loaded ({type(e).__name__}: "
                              f"{str(e).splitlines()[0] if str(e) else ''}); rules only") from None


# --------------------------------------------------------------------------------------------
# from word probabilities to findings


def calibrated(prob: float, points: Sequence[Sequence[float]] | None) -> float:
    """``prob`` through the calibration ``[[prob, precision], ...]`` (sorted by prob): linear
    between the points, clamped at the ends; the probability itself without points."""
    if not points:
        return float(prob)
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    if prob <= xs[0]:
        return ys[0]
    if prob >= xs[-1]:
        return ys[-1]
    k = bisect.bisect_right(xs, prob)
    x0, x1, y0, y1 = xs[k - 1], xs[k], ys[k - 1], ys[k]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (prob - x0) / (x1 - x0)


def severity_of(confidence: float, meta: dict) -> Severity:
    if confidence >= ERROR_FROM and meta.get("errors", False):
        return Severity.ERROR
    if confidence >= float(meta.get("warning_from", 0.5)):
        return Severity.WARNING
    return Severity.INFO


def _punctuation(word: str) -> bool:
    return not any(c.isalnum() for c in word)


@dataclass(frozen=True)
class Flagged:
    """One run of flagged words in a text given to the model: ``[start, end)`` and the highest
    word probability in it."""

    start: int
    end: int
    prob: float


def flagged_runs(words: Sequence, text: str, threshold: float, barriers: Sequence[int] = ()) -> list[Flagged]:
    """Runs of words (``Word(start, end, prob)`` of one sentence, in order) with prob >=
    ``threshold``: consecutive ones, also across one unflagged word, make one run; ``barriers``
    (indexes of words that are not prose: masked text) are never inside a run; punctuation-only
    words at a run's ends are dropped unless the run is nothing else."""
    blocked = set(barriers)
    runs: list[list[int]] = []
    for i, w in enumerate(words):
        if i in blocked or w.prob < threshold:
            continue
        last = runs[-1][-1] if runs else None
        if last is not None and i - last <= 2 and not any(j in blocked for j in range(last + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    out = []
    for run in runs:
        core = [k for k in run if not _punctuation(text[words[k].start:words[k].end])] or run
        lo, hi = core[0], core[-1]
        prob = max(words[k].prob for k in run if lo <= k <= hi)
        out.append(Flagged(words[lo].start, words[hi].end, prob))
    return out


def sentences(segments: Sequence, units=None) -> list[tuple[int, int, int]]:
    """``(segment, start, end)`` of every sentence the model reads: spaCy's sentences of the
    analysed units when there are any, else each segment whole; whitespace trimmed."""
    out: list[tuple[int, int, int, str]] = []  # and the text as analysed: stretches that are not prose blanked
    if units:
        for unit in units:
            doc = unit.doc
            if not doc.has_annotation("SENT_START") and not doc.has_annotation("DEP"):
                out.append((unit.segment_index, unit.offset, unit.offset + len(doc.text), doc.text))
                continue
            for sent in doc.sents:
                out.append((unit.segment_index, unit.offset + sent.start_char, unit.offset + sent.end_char, sent.text))
    else:
        out = [(i, 0, len(seg.text), seg.text) for i, seg in enumerate(segments)]
    trimmed = []
    for si, s, e, piece in out:
        lead = len(piece) - len(piece.lstrip())
        tail = len(piece.rstrip())
        if tail > lead:
            trimmed.append((si, s + lead, s + tail))
    return trimmed


def _quote(text: str) -> str:
    words = " ".join(text.split())
    return words if len(words) <= QUOTE_CHARS else words[:QUOTE_CHARS - 1].rstrip() + "…"


def message_for(words: str, confidence: float) -> str:
    return (f"“{_quote(words)}” looks machine-translated: {TITLE} "
            f"(the model's confidence {confidence:.2f}); reread the sentence against the original")


# --------------------------------------------------------------------------------------------
# the engine


class Run:
    """One check's handle: the article's score (mean word probability) once :meth:`finish` ran,
    and the threshold of the article gate (``meta["article_min"]``) it is held to."""

    def __init__(self, article_min: float | None):
        self.article_min = article_min
        self.score: float | None = None
        self.skip = False  # set by the pipeline when the rules' article gate cannot open

    @property
    def gate(self) -> tuple[float, float] | None:
        """(score, article_min) when the article gate applies to this check."""
        if self.article_min is None or self.score is None:
            return None
        return self.score, self.article_min


class DetectorEngine:
    """The learned detector: the engine protocol of editor.backends, run after the parse (it
    reads spaCy's sentences: ``uses_units``)."""

    name = SOURCE
    uses_units = True

    def __init__(self, folder: Path, meta: dict, model=None):
        self.folder = folder
        self.meta = meta
        self._model = model  # a DetectorModel-like object (tests); loaded on first use otherwise
        self.threshold = float(meta.get("threshold", 0.5))
        self.calibration = meta.get("calibration") or None
        self.category = str(meta.get("category", "grammar"))
        self.reads = str(meta.get("reads", "sentences"))  # or "paragraphs": each segment whole
        # meta "mt_articles_only": the model's findings wait for the article gate of the rules
        # (editor.gate: enough findings of our MT rules), like the rules marked mt-articles-only
        self.mt_articles_only = (CODE,) if meta.get("mt_articles_only") else ()
        article_min = meta.get("article_min")
        self.article_min = float(article_min) if article_min is not None else None
        self.broken = False

    @property
    def active(self) -> bool:
        return True

    def describe(self) -> str:
        return f"on ({self.meta.get('name', 'learned detector')}, threshold {self.threshold:g})"

    def model(self):
        if self._model is None:
            self._model = load_model(self.folder)
        return self._model

    def start(self, segments: Sequence) -> Run:
        return Run(self.article_min)

    def finish(self, handle: Run, segments: Sequence, text: str, units=None) -> list[Finding]:
        if self.broken or handle.skip:
            return []
        try:
            model = self.model()
        except EngineError as e:
            self.broken = True
            warn_once(str(e))
            return []
        parts = sentences(segments, units if self.reads == "sentences" else None)
        texts = [segments[si].text[s:e] for si, s, e in parts]
        probs = model.word_probs(texts) if texts else []
        every = [w.prob for words in probs for w in words]
        handle.score = sum(every) / len(every) if every else None
        out = []
        for (si, s, _), words in zip(parts, probs):
            out.extend(self._findings(segments, text, si, s, words))
        return out

    def _findings(self, segments: Sequence, text: str, si: int, offset: int, words: Sequence) -> list[Finding]:
        seg = segments[si]
        sentence = seg.text[offset:]
        barriers = [i for i, w in enumerate(words) if seg.is_masked(offset + w.start, offset + w.end)]
        out = []
        for run in flagged_runs(words, sentence, self.threshold, barriers):
            confidence = round(calibrated(run.prob, self.calibration), 4)
            a, b = offset + run.start, offset + run.end
            sa, sb = seg.to_source(a, b)
            f = make_finding(segments=segments, text=text, seg_index=si, start=a, end=b, code=CODE, name=NAME,
                             category=self.category, severity=severity_of(confidence, self.meta),
                             message=message_for(text[sa:sb], confidence), source=SOURCE)
            if f is not None:
                f.confidence = confidence
                out.append(f)
        return out

    def close(self) -> None:
        pass


def build_engine(select: Iterable[str] | None, ignore: Iterable[str] | None,
                 env: dict | None = None) -> DetectorEngine | None:
    """This selection's detector, or None: not selected, or not installed (then one warning line
    when it would have run: on by default, asked for by ``CLEANUP_DETECTOR_MODEL`` or selected by
    a ``MODEL`` code), and the rules go on."""
    select = list(select or [])
    if not engine_wanted(PREFIX, select, ignore):
        return None
    folder = model_folder(env)
    if folder is None:
        return None
    meta = read_meta(folder)
    asked = asked_by_env(env) or any(p.upper().startswith("MODEL") for p in select)
    if meta is None:
        if asked:
            warn_once(f"no learned detector in {folder} (model.onnx, tokenizer.json, meta.json); rules only")
        return None
    if not rule_selected(CODE, is_default(meta), select, ignore):
        return None
    missing = runtime_missing()
    if missing is not None:
        warn_once(f"the learned detector needs {missing} (pip install onnxruntime tokenizers); rules only")
        return None
    return DetectorEngine(folder, meta)


# --------------------------------------------------------------------------------------------
# cleanup rules / cleanup rule


def rule_line() -> tuple[str, bool, str]:
    """(code, on by default, description) for ``cleanup rules``; the description says when the
    model is not installed."""
    folder = model_folder()
    meta = read_meta(folder)
    if meta is None:
        where = "off (CLEANUP_DETECTOR_MODEL=off)" if folder is None else f"not installed ({folder})"
        return CODE, False, f"{TITLE}: learned detector, {where}"
    return CODE, is_default(meta), f"{TITLE}: learned detector ({meta.get('name', 'model')})"


def explain() -> list[str]:
    """``cleanup rule MODEL/unlikely``."""
    code, on, _ = rule_line()
    folder = model_folder()
    meta = read_meta(folder) or {}
    lines = [f"{code} {NAME}  [learned detector{'' if on else ', opt-in'}]", "",
             f"Flags {DESCRIPTION}.", "",
             "Each finding is a run of words the model flags (merged across one unflagged word, never across a "
             "sentence), with a confidence: the precision measured at the model's probability for its likeliest "
             "word. No automatic fix: reread the sentence against the original."]
    if not meta:
        lines += ["", f"Not installed: no model in {folder}." if folder else "Turned off: CLEANUP_DETECTOR_MODEL=off."]
    else:
        lines += ["", f"Model: {meta.get('name', 'model')} ({meta.get('base', '?')}; trained on "
                      f"{meta.get('trained_on', '?')}), threshold {float(meta.get('threshold', 0.5)):g}, "
                      f"read from {folder}."]
        if meta.get("article_min") is not None:
            lines.append(f"Held back unless the article's mean word probability is at least {meta['article_min']:g} "
                         "(--all-findings, or selecting it by its code, shows it everywhere).")
        lines += _figures(meta.get("figures"))
        if not on and meta.get("off_reason"):
            lines += ["", f"Off by default here: {meta['off_reason']}. Turn it on with --extend-select {CODE}."]
    lines += ["", "Turn it off with --ignore MODEL (or CLEANUP_DETECTOR_MODEL=off); "
                  "CLEANUP_DETECTOR_MODEL=FOLDER reads another model. See docs/engines.md."]
    return lines


def _figures(figures) -> list[str]:
    if not figures:
        return []
    if isinstance(figures, dict):
        return ["", "Figures:"] + [f"  {k}: {v}" for k, v in figures.items()]
    if isinstance(figures, str):
        return ["", "Figures:", f"  {figures}"]
    return ["", "Figures:"] + [f"  {line}" for line in figures]
