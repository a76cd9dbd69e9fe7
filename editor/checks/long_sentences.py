"""Long sentences (rule MT306), with the place to split them."""

from __future__ import annotations

from typing import Iterable

from .base import CheckContext, Hit
from .sentences import Sentence, prose_sentences
from .splices import find_splices, main_clause_heads

# --------------------------------------------------------------------------- MT306


def _split_point(doc, s: Sentence):
    """The comma (token index) where a long sentence splits best: a comma splice, else a comma
    before an independent clause, else a coordinator joining two clauses; nearest the middle."""
    mid = (s.start + s.end) / 2
    cands = [c for c, _ in find_splices(doc, s)]
    if not cands:
        heads = main_clause_heads(doc, s)
        for a, v in heads[1:]:
            k = a - 1
            if k > s.start and doc[k].text == ",":
                cands.append(k)
            elif k > s.start + 1 and doc[k].lower_ in ("and", "but", "so") and doc[k - 1].text == ",":
                cands.append(k - 1)
    if not cands:
        cands = [t.i for t in doc[s.start:s.end] if t.text == ";"]
    if not cands:
        # any comma before a new verb phrase or clause
        cands = [t.i for t in doc[s.start + 3:s.end - 3]
                 if t.text == "," and doc[t.i + 1].pos_ in ("VERB", "AUX", "PRON", "DET", "NOUN", "PROPN")]
    if not cands:
        return None
    return min(cands, key=lambda c: abs(c - mid))


def long_sentence(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT306: a sentence over ``max_words`` words, pointing at a place to split it."""
    max_words = int(options.get("max_words", 40))
    for s in prose_sentences(ctx):
        if s.words <= max_words:
            continue
        doc = s.unit.doc
        c = _split_point(doc, s)
        if c is None:
            continue
        prev, nxt = doc[c - 1], doc[c + 1]
        msg = (f"This sentence runs to {s.words} words, more than a reader takes in at once. "
               f"Consider splitting it after \"{prev.text}\" and starting a new sentence with "
               f"\"{nxt.text}\".")
        yield Hit(prev.idx, nxt.idx + len(nxt), message=msg, unit=s.unit)


