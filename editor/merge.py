"""Merging the findings of several engines into one list with one voice.

When engines flag overlapping spans for the same problem, the problem is reported once:

- the message shown is the most specific one: ours first (our rules target machine-translation
  artifacts and say what to do), then LanguageTool's, then Harper's (:data:`ENGINE_ORDER`);
- the suggestions are merged: the shown finding's fixes first, then the others' fixes that
  change the text differently;
- ``source`` names the engine whose message is shown, ``sources`` every engine that flagged it.

"The same problem": the spans overlap, the findings come from different engines, and either the
spans are identical or the categories belong to the same family (a spelling finding and a
grammar finding on one word are two problems; "a" flagged by two engines as a grammar problem is
one).  Findings of one engine are never merged here: overlaps within an engine are the resolver's
job (:func:`editor.pipeline.resolve`).
"""

from __future__ import annotations

import bisect
from dataclasses import replace
from typing import Iterable

from editor.findings import Finding

ENGINE_ORDER = ("cleanup", "languagetool", "harper")
MODEL = "model"  # the learned detector's source (editor/backends/detector.py)

FAMILIES = {
    "spelling": "spelling",
    "grammar": "grammar",
    "structure": "grammar",
    "punctuation": "punctuation",
    "typography": "punctuation",
    "style": "wording",
    "calque": "wording",
    "collocation": "wording",
    "untranslated": "untranslated",
    "boilerplate": "boilerplate",
}


def _priority(source: str) -> int:
    return ENGINE_ORDER.index(source) if source in ENGINE_ORDER else len(ENGINE_ORDER)


def same_problem(a: Finding, b: Finding) -> bool:
    if MODEL in (a.source, b.source):
        return False  # the learned detector's findings are folded in after the article gate (fold_model)
    if a.source == b.source or not a.span.overlaps(b.span):
        return False
    if a.span == b.span:
        return True
    return FAMILIES.get(a.category, a.category) == FAMILIES.get(b.category, b.category)


class _Group:
    __slots__ = ("finding", "sources", "fixes")

    def __init__(self, f: Finding):
        self.finding = f
        self.sources = list(f.sources or (f.source,))
        self.fixes = list(f.fixes)

    def absorb(self, other: Finding) -> None:
        for s in other.sources or (other.source,):
            if s not in self.sources:
                self.sources.append(s)
        have = {fx.edits for fx in self.fixes}
        for fx in other.fixes:
            if fx.edits not in have:
                self.fixes.append(fx)
                have.add(fx.edits)

    def result(self) -> Finding:
        f = self.finding
        return replace(f, sources=tuple(self.sources), fixes=tuple(self.fixes))


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per problem across engines (see the module docstring), in document order."""
    ordered = sorted(findings, key=lambda f: (_priority(f.source), f.span.start, f.span.end, f.rule))
    groups: list[_Group] = []
    starts: list[int] = []  # groups sorted by span start, for the overlap search
    longest = 0
    for f in ordered:
        target = None
        # candidates: groups starting before f ends and no earlier than the longest span allows
        hi = bisect.bisect_left(starts, f.span.end + (1 if f.span.start == f.span.end else 0))
        lo = bisect.bisect_left(starts, f.span.start - longest)
        for k in range(lo, hi):
            g = groups[k]
            if f.source in g.sources:
                continue
            if same_problem(g.finding, f):
                target = g
                break
        if target is not None:
            target.absorb(f)
            continue
        k = bisect.bisect_right(starts, f.span.start)
        starts.insert(k, f.span.start)
        groups.insert(k, _Group(f))
        longest = max(longest, len(f.span))
    return sorted((g.result() for g in groups), key=Finding.sort_key)


def fold_model(findings: Iterable[Finding]) -> list[Finding]:
    """The learned detector's findings folded into the others': a finding of another engine
    (a rule of ours, Harper's, LanguageTool's) that overlaps a model finding keeps its message
    and fixes, gains the model's confidence (the higher of its own, or 0, and the model's) and
    ``model`` in its sources; the model finding is dropped.  A model finding that overlaps
    nothing stays.  Run after the article gate, so that a held-back rule finding never takes
    the model's finding with it."""
    found = list(findings)
    models = sorted((f for f in found if f.source == MODEL), key=lambda f: (f.span.start, f.span.end))
    if not models:
        return found
    starts = [f.span.start for f in models]
    longest = max(len(f.span) for f in models)
    absorbed: set[int] = set()
    out = []
    for f in found:
        if f.source == MODEL:
            continue
        hi = bisect.bisect_left(starts, f.span.end + (1 if f.span.start == f.span.end else 0))
        lo = bisect.bisect_left(starts, f.span.start - longest)
        hits = [k for k in range(lo, hi) if models[k].span.overlaps(f.span)]
        if hits:
            absorbed.update(hits)
            best = max(models[k].confidence or 0.0 for k in hits)
            sources = tuple(f.sources or (f.source,))
            f = replace(f, confidence=max(f.confidence or 0.0, best),
                        sources=sources if MODEL in sources else sources + (MODEL,))
        out.append(f)
    out.extend(m for k, m in enumerate(models) if k not in absorbed)
    return sorted(out, key=Finding.sort_key)
