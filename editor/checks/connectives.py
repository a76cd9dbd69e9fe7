"""Paired connectives (rule MT207): "Although …, but …", "Because …, so …"."""

from __future__ import annotations

from typing import Iterable

from editor.engine.lists import words
from editor.engine.lists import word_groups

from .base import CheckContext, Hit

# MT207 paired connectives ("Although …, but …", "Because …, so …")
# --------------------------------------------------------------------------------------------

PAIRS = word_groups("paired-connectives")


def _opener(doc, tok):
    """The connective that ``tok`` opens ("although", "because", "despite", "in spite of"), or None."""
    low = tok.lower_
    if low in {"although", "though", "because"}:
        if low == "though" and tok.dep_ not in {"mark", "advmod"}:
            return None
        if low == "though" and tok.i > 0 and doc[tok.i - 1].lower_ not in {"even", ",", "and", "but"} and tok.dep_ != "mark":
            return None
        if low == "because" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "of":
            return None  # "because of X, so" is rarer and the phrase is not a clause
        return low
    if low == "despite" or (low == "spite" and tok.i > 0 and doc[tok.i - 1].lower_ == "in"):
        return "despite"
    return None


LEAD_INS = words("connective-lead-ins")
SO_NOT_CONNECTIVE = words("so-not-connective")
BUT_NOT_CONNECTIVE = words("but-not-connective")


def paired_connective(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """"Although A, but B" / "Because A, so B": the subordinate clause and the coordinator both
    mark the same link.  The subordinator may open the sentence or follow "said that", a comma."""
    for unit in ctx.units:
        doc = unit.doc
        for sent in doc.sents:
            toks = [t for t in sent if not t.is_space]
            for k, opener in enumerate(toks):
                kind = _opener(doc, opener)
                if kind is None:
                    continue
                # the opener must start its clause: sentence start, after a comma/quote/"that"/"and"
                prev = toks[k - 1] if k > 0 else None
                if kind != "despite" and prev is not None and not (
                    prev.is_punct or prev.lower_ in LEAD_INS
                ):
                    continue
                partners = PAIRS[kind]
                seen_comma = False
                main_clause = False  # a subject after the first comma: the main clause has begun
                for t in toks[k + 1:]:
                    if t.text in {";", ".", "!", "?", ":"} or _opener(doc, t):
                        break
                    if t.text in {",", "，"}:
                        seen_comma = True
                        continue
                    if seen_comma and t.dep_ in {"nsubj", "nsubjpass", "expl"}:
                        main_clause = True
                    if main_clause:
                        continue
                    if not seen_comma or t.lower_ not in partners:
                        continue
                    before = doc[t.i - 1]
                    if before.text not in {",", "，"}:
                        continue
                    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
                    if t.lower_ == "so" and nxt is not None and (
                        nxt.lower_ in SO_NOT_CONNECTIVE
                        or nxt.pos_ in {"ADJ", "ADV"} and nxt.lower_ not in {"now", "then"}
                    ):
                        break
                    if t.lower_ == "yet" and nxt is not None and (nxt.pos_ in {"ADJ", "ADV"} or nxt.is_punct):
                        break
                    if t.lower_ == "but" and nxt is not None and nxt.lower_ in BUT_NOT_CONNECTIVE:
                        break  # "not only A, but also B", "although A, but rather"
                    if nxt is not None and nxt.is_punct:
                        end = nxt.idx + len(nxt.text) + (1 if nxt.whitespace_ else 0)
                    else:
                        end = nxt.idx if nxt is not None else t.idx + len(t.text)
                    yield Hit(t.idx, t.idx + len(t.text), unit=unit, edits=((t.idx, end, ""),))
                    break


