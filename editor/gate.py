"""The article gate: rules that also fire on good English speak only in articles that read as
machine-translated.

Some rules find real machine-translation artifacts at a good precision on machine translation, yet
fire now and then on English that people wrote well: a comma splice in a transcribed talk, a list
of verbs without "and" (benchmarks/false_alarms.py measures every rule's rate on human English).
An editor of a human-written article gains nothing from them; an editor of machine translation
loses real hits without them. So a rule file may say ``mt-articles-only: true``: its findings are
reported only when the article shows enough other signs of machine translation — at least
``minimum`` findings of the machine-translation rules (codes ``MT…``, the gated ones included)
and at least ``threshold`` of them per 1,000 words. Otherwise they are *held back*: counted and
named in the report, not shown. ``--all-findings`` (configuration: ``all-findings = true``) shows
them anyway.

The threshold and the minimum were chosen on the dev sets and the human-English benchmark (a grid
of 4-10 per 1,000 words and 2-3 findings: 8 and 3 keep human English under 2 findings per 1,000
words with the most pinpoint recall on news MT; docs/rules.md, benchmarks/README.md). The same
functions serve the pipeline and the benchmarks, so the figures measure what runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Iterable, Sequence, TypeVar

# What counts as a sign of machine translation: a finding of one of our MT rules
EVIDENCE_PREFIX = "MT"
DEFAULT_THRESHOLD = 8.0  # MT findings per 1,000 words
DEFAULT_MINIMUM = 3  # MT findings in the article


@dataclass(frozen=True)
class Evidence:
    """How much an article reads as machine translation, and whether the gate opens."""

    findings: int  # findings of the MT rules
    words: int
    threshold: float = DEFAULT_THRESHOLD
    minimum: int = DEFAULT_MINIMUM
    # the learned detector's own gate (editor/backends/detector.py): the article's mean word
    # probability and the least its findings need (meta.json's article_min); None: no such gate
    model_score: float | None = None
    model_min: float | None = None

    @property
    def per_1k(self) -> float:
        return 1000.0 * self.findings / self.words if self.words else 0.0

    @property
    def opens(self) -> bool:
        return self.findings >= self.minimum and self.per_1k >= self.threshold

    @property
    def model_opens(self) -> bool:
        return self.model_score is None or self.model_min is None or self.model_score >= self.model_min

    def describe(self) -> str:
        n = self.findings
        out = (f"{n} finding{'s' if n != 1 else ''} of the MT rules in {self.words} words, {self.per_1k:.1f} per 1,000; "
               f"the gate opens at {self.minimum} and {self.threshold:g} per 1,000")
        if not self.model_opens:
            out += f"; the model's article score {self.model_score:.2f}, under {self.model_min:g}"
        return out


def evidence(codes: Iterable[str], words: int, threshold: float = DEFAULT_THRESHOLD,
             minimum: int = DEFAULT_MINIMUM) -> Evidence:
    """The article's evidence from the rule codes of its findings."""
    return Evidence(sum(1 for c in codes if c.startswith(EVIDENCE_PREFIX)), words, threshold, minimum)


T = TypeVar("T")


def split(items: Sequence[T], codes: Sequence[str], gated: Collection[str], ev: Evidence) -> tuple[list[T], list[T]]:
    """(shown, held back): ``items[i]`` (a finding, or a benchmark's row) has rule ``codes[i]``;
    an item of a ``gated`` rule is held back unless the evidence opens the gate."""
    if ev.opens or not gated:
        return list(items), []
    shown, held = [], []
    for item, code in zip(items, codes, strict=True):
        (held if code in gated else shown).append(item)
    return shown, held


MODEL_PREFIX = "MODEL/"  # the learned detector's codes: held back by its own gate (model_opens)


def split_model(items: Sequence[T], codes: Sequence[str], ev: Evidence) -> tuple[list[T], list[T]]:
    """(shown, held back): the learned detector's items held back unless its gate opens."""
    if ev.model_opens:
        return list(items), []
    shown, held = [], []
    for item, code in zip(items, codes, strict=True):
        (held if code.startswith(MODEL_PREFIX) else shown).append(item)
    return shown, held
