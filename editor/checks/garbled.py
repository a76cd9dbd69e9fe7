"""Garbled sentences (rule MT307): several weak signs that a sentence does not hold together."""

from __future__ import annotations

from typing import Iterable, Iterator

from editor.engine.lists import words

from .base import CheckContext, Hit
from .fragments import find_fragment
from .questions import find_declarative_question
from .sentences import SUBJECT_DEPS, Sentence, has_subject, is_finite, prose_sentences
from .splices import find_splices
from .subjects import find_dropped_subject, find_subjectless_clauses

# --------------------------------------------------------------------------- MT307

BE_FORMS = words("be-forms")
# The signs of a garbled sentence, as the message names them ("{}": the words concerned).
LOOSE = "words the sentence does not connect (\"{}\")"
BROKEN_VERB = "a broken verb group (\"{}\")"
HANGING = "a noun phrase left hanging in front (\"{}\")"
NO_VERB = "no main verb"
NO_SUBJECT = "a clause without a subject (\"{}\")"
SPLICE = "clauses joined only by a comma"


def _broken_verb_groups(doc, s: Sentence) -> Iterator[tuple[int, int]]:
    """Token ranges of verb groups that cannot be English: a modal or a form of "be" followed
    by a finite or bare verb ("can helps", "is also need to"), or a causative verb whose
    complement has its own finite verb ("make the muscles are exercised")."""
    for t in doc[s.start:s.end]:
        if t.tag_ == "MD" or (t.lower_ in BE_FORMS and t.tag_ in ("VBZ", "VBP", "VBD")):
            k = t.i + 1
            while k < s.end and doc[k].pos_ in ("ADV", "PART") and doc[k].lower_ not in ("to",):
                k += 1
            if k >= s.end:
                continue
            n = doc[k]
            if t.tag_ == "MD" and n.tag_ in ("VBZ", "VBD") and n.pos_ in ("VERB", "AUX"):
                yield t.i, k + 1
            elif t.tag_ != "MD" and (n.tag_ == "VB" or n.lower_ == "need" and k + 1 < s.end and doc[k + 1].lower_ == "to"):
                if k + 1 < s.end and doc[k + 1].lower_ in ("to",) and n.tag_ == "VB" and n.lower_ != "need":
                    continue
                yield t.i, k + 1
        elif t.lemma_ in ("make", "let") and t.pos_ == "VERB":
            for c in t.children:
                if c.dep_ in ("ccomp",) and c.i > t.i and is_finite(c) and has_subject(c):
                    yield t.i, c.i + 1
                    break


def _odd_order(doc, s: Sentence) -> Iterator[tuple[int, int]]:
    """A noun phrase fronted before a clause with its own subject, left hanging as a topic
    ("This medicine, children should not take"), seen as a sentence-initial noun attached as
    ``dep``/``npadvmod`` to a verb that has another subject."""
    root = s.root
    for c in root.children:
        if c.i < root.i and c.dep_ in ("dep", "npadvmod", "nsubj") and c.pos_ in ("NOUN", "PROPN"):
            subs = [x for x in root.children if x.dep_ in SUBJECT_DEPS and x.i != c.i]
            if subs and c.i < subs[0].i:
                yield c.left_edge.i, c.i + 1


def _signals(doc, s: Sentence, unreported_only: bool) -> list[tuple[str, int, int]]:
    sig = []
    for t in doc[s.start:s.end]:
        if t.dep_ == "dep" and not t.is_punct and t.pos_ not in ("SPACE", "X", "SYM", "NUM"):
            sig.append((LOOSE, t.i, t.i + 1))
    for a, b in _broken_verb_groups(doc, s):
        sig.append((BROKEN_VERB, a, b))
    for a, b in _odd_order(doc, s):
        sig.append((HANGING, a, b))
    if not unreported_only:
        if find_fragment(doc, s) is not None:
            sig.append((NO_VERB, s.start, s.end))
        for c, k, v in find_subjectless_clauses(doc, s):
            sig.append((NO_SUBJECT, c, v + 1))
        r = find_dropped_subject(doc, s)
        if r is not None:
            sig.append((NO_SUBJECT, r[0], r[1] + 1))
        for c, v in find_splices(doc, s):
            sig.append((SPLICE, c, c + 1))
    return sig




def _reported_elsewhere(doc, s: Sentence) -> bool:
    """Whether another structure rule already points at a problem in this sentence."""
    return (find_dropped_subject(doc, s) is not None or find_fragment(doc, s) is not None
            or any(True for _ in find_subjectless_clauses(doc, s)) or bool(find_splices(doc, s))
            or find_declarative_question(doc, s) is not None)


def garbled_sentence(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT307: several weak signs of a garbled sentence together."""
    min_signals = int(options.get("min_signals", 2))
    unreported = bool(options.get("unreported_only", True))
    for s in prose_sentences(ctx):
        doc = s.unit.doc
        if options.get("skip_if_reported", True) and _reported_elsewhere(doc, s):
            continue
        sig = _signals(doc, s, unreported)
        kinds = {k for k, _, _ in sig}
        if len(sig) < min_signals or (options.get("distinct", True) and len(kinds) < min_signals):
            continue
        parts = []
        seen = set()
        for k, a, b in sig:
            txt = doc[a:b].text if b - a <= 6 else doc[a:a + 6].text + " …"
            d = k.format(txt) if "{}" in k else k
            if d not in seen:
                seen.add(d)
                parts.append(d)
        msg = ("This sentence does not hold together and needs a human rewrite: "
               + "; ".join(parts) + ".")
        if options.get("span") == "signals":
            a = min(x for _, x, _ in sig)
            b = max(y for _, _, y in sig)
            start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
        else:
            start, end = doc[s.start].idx, doc[s.end - 1].idx + len(doc[s.end - 1])
        yield Hit(start, end, message=msg, unit=s.unit)


