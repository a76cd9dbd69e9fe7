"""Subject-verb number agreement (rules MT406 coordinated subject, MT407 gerund subject, MT408
plural subject)."""

from __future__ import annotations

from typing import Iterable

from editor.engine.lists import word_list, words

from .base import CheckContext, Hit
from .inflection import PLURAL_TO_SINGULAR, plural_verb, singular_verb

SINGULAR_FINITE = words("singular-finite-verbs")


def _is_singular_finite(verb) -> bool:
    return verb.tag_ == "VBZ" or verb.lower_ in SINGULAR_FINITE


def _finite(head):
    """The finite word of the clause headed by ``head``: itself, or its first auxiliary."""
    if head.tag_ in {"VBZ", "VBP", "VBD", "MD"}:
        return head
    for c in head.children:
        if c.dep_ in {"aux", "auxpass"} and c.i < head.i:
            return c if c.tag_ in {"VBZ", "VBP", "VBD", "MD"} else None
    return None


def _clause_heads(doc):
    """(head, finite word) for every clause head that has a finite word."""
    for head in doc:
        if head.pos_ in {"VERB", "AUX", "ADJ", "NOUN"} or head.dep_ == "ROOT":
            fin = _finite(head)
            if fin is not None:
                yield head, fin


DISTRIBUTIVES = words("distributive-determiners")


def _singular_verbs_with_subject(ctx: CheckContext):
    """(unit, verb, subject) for every singular finite verb whose clause has a subject before it."""
    for unit in ctx.units:
        for head, verb in _clause_heads(unit.doc):
            if not _is_singular_finite(verb):
                continue
            subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < verb.i), None)
            if subj is not None:
                yield unit, verb, subj


def _has_det(tok) -> bool:
    return any(c.dep_ in {"det", "poss"} and c.lower_ not in DISTRIBUTIVES for c in tok.children) or tok.tag_ == "PRP"


# --------------------------------------------------------------------------------------------
# MT406 coordinated subject + singular verb ("the noise and the dust is")
# --------------------------------------------------------------------------------------------

DISTRIBUTIVE_OPENERS = words("distributive-openers")


def coordinated_subject(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit, verb, subj in _singular_verbs_with_subject(ctx):
        doc = unit.doc
        if subj.pos_ not in {"NOUN", "PRON"}:
            continue
        conjs = [c for c in subj.children if c.dep_ == "conj" and c.i < verb.i]
        ccs = [c for c in subj.children if c.dep_ == "cc"]
        if len(conjs) != 1 or not ccs or ccs[0].lower_ != "and":
            continue
        conj = conjs[0]
        if conj.pos_ not in {"NOUN", "PRON"}:
            continue
        if any(c.lower_ in {"each", "every", "no"} for c in subj.children) or subj.left_edge.lower_ in DISTRIBUTIVE_OPENERS:
            continue
        # both conjuncts must be separate, determined noun phrases: "the noise and the dust"
        if not (_has_det(subj) and _has_det(conj)):
            continue
        if subj.lower_ == conj.lower_:
            continue
        # nothing between the subject phrase and the verb but adverbs
        gap = doc[subj.right_edge.i + 1: verb.i]
        if any(t.pos_ not in {"ADV", "PART"} for t in gap):
            continue
        # inversion / questions: verb must follow the whole subject
        if conj.right_edge.i >= verb.i:
            continue
        new = plural_verb(verb)
        yield Hit(verb.idx, verb.idx + len(verb.text), unit=unit, replacements=(new,) if new else ())


# --------------------------------------------------------------------------------------------
# MT407 gerund or infinitive subject + plural verb ("eating late at night have")
# --------------------------------------------------------------------------------------------

def gerund_subject(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit in ctx.units:
        doc = unit.doc
        for head, verb in _clause_heads(doc):
            low = verb.lower_
            if not (low in PLURAL_TO_SINGULAR or (verb.tag_ == "VBP" and low not in {"am"})):
                continue
            if any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in head.children):
                continue
            subj = next((c for c in head.children if c.dep_ in {"csubj", "csubjpass"} and c.i < verb.i), None)
            if subj is None or subj.tag_ != "VBG":
                continue
            if subj.left_edge.i != subj.i and subj.left_edge.pos_ not in {"ADV", "PART"}:
                continue  # "what ... are", "the people eating" — not a bare gerund clause
            if any(c.dep_ in {"conj", "cc"} for c in subj.children):
                continue
            gap = doc[subj.right_edge.i + 1: verb.i]
            if any(t.pos_ not in {"ADV", "PART"} for t in gap):
                continue
            new = singular_verb(verb)
            yield Hit(verb.idx, verb.idx + len(verb.text), unit=unit, replacements=(new,) if new else ())


# --------------------------------------------------------------------------------------------
# MT408 plural noun subject + singular verb ("the results is")
# --------------------------------------------------------------------------------------------

SINGULAR_PLURALS = words("singular-plurals")
PLURAL_TIME_NOUNS = words("plural-time-nouns")
SINGULAR_S_ENDINGS = word_list("singular-s-endings")
IRREGULAR_PLURAL_NOUNS = words("irregular-plural-nouns")
SINGULAR_DETERMINERS = words("singular-determiners")


def plural_subject(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit, verb, subj in _singular_verbs_with_subject(ctx):
        doc = unit.doc
        if subj.tag_ != "NNS" or not subj.text.islower():
            continue
        low = subj.lower_
        if low in PLURAL_TIME_NOUNS:
            continue  # "these days", "ten years" are adverbials or quantities
        if low in SINGULAR_PLURALS or low.endswith(SINGULAR_S_ENDINGS) or not low.endswith("s") and low not in IRREGULAR_PLURAL_NOUNS:
            continue
        kids = list(subj.children)
        if any(c.dep_ in {"conj", "nummod", "quantmod"} or c.lower_ in {"every", "each", "one"} for c in kids):
            continue
        if subj.left_edge.like_num or subj.left_edge.lower_ in SINGULAR_DETERMINERS:
            continue
        if subj.i + 1 < len(doc) and doc[subj.i + 1].lower_ in {"'s", "'"}:
            continue
        # the subject noun must stand right before the verb (only adverbs between)
        gap = doc[subj.i + 1: verb.i]
        if any(t.pos_ not in {"ADV", "PART"} for t in gap):
            continue
        if subj.i > 0 and doc[subj.i - 1].pos_ in {"NOUN", "PROPN"} and subj.dep_ != "nsubj":
            continue
        new = plural_verb(verb)
        yield Hit(verb.idx, verb.idx + len(verb.text), unit=unit, replacements=(new,) if new else ())


# --------------------------------------------------------------------------------------------
