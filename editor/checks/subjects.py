"""Clauses without a subject (rules MT301 dropped subject, MT302 subjectless clause) and an
activity made the subject of its own verb (MT310).

Chinese drops a subject the context supplies; word-for-word English is left with "Can lower blood
pressure." or "…, can reduce the risk".
"""

from __future__ import annotations

from typing import Iterable, Iterator

from editor.engine.lists import words

from .base import CheckContext, Hit, prose_tokens
from .sentences import (
    PROSE_KINDS, SAY_VERBS, SUBJECT_DEPS, SUBORDINATORS, Sentence, first_word, has_subject,
    prose_sentences, sentence_findings, span_words,
)

SUBJECTLESS_FORMULAS = words("subjectless-formulas")


# --------------------------------------------------------------------------- MT301


def find_dropped_subject(doc, s: Sentence):
    """(first, verb) token indexes when the sentence opens on a modal or a finite verb and its
    clause has no subject; None otherwise."""
    if s.term not in (".", "!") or s.words < 2:
        return None
    k = first_word(doc, s)
    if k >= s.end:
        return None
    t = doc[k]
    if t.tag_ == "MD":
        verb = t.head if t.dep_ in ("aux", "auxpass") else t
    elif t.tag_ in ("VBZ", "VBD"):
        verb = t if t.dep_ not in ("aux", "auxpass") else t.head
    else:
        return None
    if t.lower_ in SUBJECTLESS_FORMULAS:
        return None
    if t.tag_ == "VBZ" and k + 1 < s.end and (doc[k + 1].tag_ in ("VB", "VBP") or doc[k + 1].lower_ == "like"):
        return None  # "So flies like it.": a plural noun read as a verb, the verb after it
    if t.i == s.start and t.text[0].islower():
        return None  # lower-case start: a continuation, not a sentence
    if verb.i < t.i or verb.i >= s.end:
        return None
    if has_subject(verb) or has_subject(t):
        return None
    # a subject anywhere before the verb attached elsewhere (mis-parse) -> be quiet
    for x in doc[k:verb.i]:
        if x.dep_ in SUBJECT_DEPS:
            return None
    # the clause must be the main clause of the sentence
    if verb.dep_ != "ROOT":
        return None
    return k, verb.i


def dropped_subject(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT301: a declarative sentence that starts with a modal or finite verb and has no subject."""
    for s, (k, v) in sentence_findings(ctx, find_dropped_subject):
        doc = s.unit.doc
        start, end = span_words(doc, k, v + 1)
        t = doc[k]
        rest = doc.text[t.idx + len(t):end]
        first = t.text[0].lower() + t.text[1:]
        cap = k == s.start
        subjects = ("It", "This") if cap else ("it", "this")
        reps = tuple(f"{p} {first}{rest}" for p in subjects)
        # "It" fits a modal or a third-person verb ("Can relieve …", "Helps …"); a past verb
        # ("But found that …") may want "I", "we" or "they": then only show the suggestion
        sure = t.tag_ == "MD" or (t.tag_ == "VBZ" and t.lower_ != "lets")
        yield Hit(start, end, replacements=reps, unit=s.unit, applicability=None if sure else "display-only")


# --------------------------------------------------------------------------- MT302

MIDCLAUSE_SKIP = words("midclause-adverbs")


# Sentence openers after which a clause is subordinate, so a main clause may be an imperative.
_IMPERATIVE_OPENERS = SUBORDINATORS | {"no", "whatever", "whoever"}


IMPERATIVE_AFTER_COMMA = words("imperative-verbs-after-comma")


def _imperative_after_comma(doc, s: Sentence, c: int, t) -> bool:
    """Whether a plain verb form after the comma ``c`` may be an imperative main clause: after
    an opening adverbial clause or a discourse word ("If it rains, take a coat"; "So, imagine")."""
    first = first_word(doc, s)
    if first >= c or doc[first].lower_ in _IMPERATIVE_OPENERS:
        return True
    if all(x.pos_ in ("ADV", "INTJ", "CCONJ", "PUNCT") for x in doc[s.start:c]):
        return True
    if any(x.lower_ == "matter" and doc[x.i - 1].lower_ == "no" for x in doc[max(s.start + 1, c - 4):c]):
        return True  # "no matter what, …"
    return t.lower_ in IMPERATIVE_AFTER_COMMA


SUBJECTLESS_TAGS = ("MD", "VBZ", "VBD", "VBP")


def find_subjectless_clauses(doc, s: Sentence, tags=SUBJECTLESS_TAGS) -> Iterator[tuple[int, int, int]]:
    """(comma, first word, verb) for clauses after a comma that open on a modal or finite verb
    without a subject of their own ("..., can reduce the risk")."""
    for c in range(s.start + 1, s.end - 1):
        if doc[c].text != ",":
            continue
        k = c + 1
        while k < s.end and doc[k].lower_ in MIDCLAUSE_SKIP:
            k += 1
        if k >= s.end:
            continue
        t = doc[k]
        if t.tag_ not in tags or not t.is_alpha:
            continue
        if t.tag_ == "VBP" and _imperative_after_comma(doc, s, c, t):
            continue
        verb = t.head if t.dep_ in ("aux", "auxpass", "neg") else t
        if verb.pos_ not in ("VERB", "AUX") or verb.i < k:
            continue
        if verb.dep_ in ("relcl", "acl", "amod", "compound", "nsubj", "appos", "pcomp", "pobj", "xcomp"):
            continue
        if has_subject(verb) or has_subject(t):
            continue
        if doc[c - 1].lemma_ in SAY_VERBS or doc[c - 1].lower_ in ("say", "says", "said"):
            continue  # "..., we think, can see" / parenthetical
        # a list of verb phrases closed by "and"/"or" ("It rotates, checks it, and passes it on")
        head = verb.head if verb.dep_ == "conj" else verb
        if any(x.dep_ == "cc" and x.i > verb.i for x in head.children) or any(
            x.dep_ == "cc" and x.i > verb.i for x in verb.children
        ):
            continue
        if any(x.dep_ == "conj" and x.i > verb.i and any(y.dep_ == "cc" for y in x.children) for x in head.children):
            continue
        yield c, k, verb.i


def _closes_aside(doc, s: Sentence, c: int) -> bool:
    """Whether the comma ``c`` closes a short aside opened after "and"/"or" or after a sentence's
    opening "Here"/"There" ("…, and, of course, covers itself"; "Here, for instance, is …"): the
    clause goes on with the subject it had before the aside."""
    o = c - 1
    while o > s.start and doc[o].text != "," and c - o <= 5:
        o -= 1
    if doc[o].text != "," or o == c - 1 or o <= s.start:
        return False
    if not all(t.pos_ in ("ADV", "ADP", "DET", "NOUN", "ADJ") for t in doc[o + 1:c]):
        return False
    return doc[o - 1].tag_ == "CC" or (o - 1 == s.start and doc[s.start].tag_ in ("RB", "EX"))


def _main_verb_after_subject(doc, s: Sentence, c: int, v: int) -> bool:
    """Whether the verb after the comma is the sentence's main verb and its subject the noun
    phrase that opens the sentence, set apart by an aside ("The countries on the right, like
    Norway, are twice as rich"; "The cell, the male one, will fall")."""
    verb = doc[v]
    if verb.dep_ != "ROOT" or not (doc[s.start].pos_ in ("DET", "NOUN", "PROPN", "ADJ", "NUM")
                                   or doc[s.start].tag_ == "PRP$"):
        return False
    return not any(t.tag_ in ("VBZ", "VBD", "VBP", "MD", "TO") and t.dep_ not in ("relcl", "acl")
                   and t.head.dep_ not in ("relcl", "acl") for t in doc[s.start:c])


def _license(doc, s: Sentence, c: int, v: int) -> str | None:
    if _closes_aside(doc, s, c):
        return "aside"
    if _main_verb_after_subject(doc, s, c, v):
        return "subject-first"
    return None


def subjectless_clause(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT302: a clause after a comma with a finite verb and no subject of its own."""
    tags = tuple(options.get("tags", SUBJECTLESS_TAGS))
    for s in prose_sentences(ctx, unclosed_words=options.get("unclosed_words", 10)):
        doc = s.unit.doc
        for c, k, v in find_subjectless_clauses(doc, s, tags):
            if _license(doc, s, c, v):
                continue
            prev = doc[c - 1]
            start = prev.idx
            _, end = span_words(doc, k, v + 1, max_chars=50 - (doc[k].idx - start))
            end = max(end, doc[k].idx + len(doc[k]))
            yield Hit(start, end, unit=s.unit)


# --------------------------------------------------------------------------- MT310

_NEED_WORDS = words("activity-need-words")


def _gerund_of(g, lemma: str) -> bool:
    """Whether ``g`` ("swimming", "cycling", "walking") is the -ing form of ``lemma``."""
    if g.lemma_ == lemma:
        return True
    stem = g.lower_[:-3]
    return stem in (lemma, lemma + lemma[-1:]) or (lemma.endswith("e") and stem == lemma[:-1])


ACTIVITY_FILLERS = words("activity-fillers")


def activity_repeats_itself(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT310: an activity as the subject of its own verb ("walking needs to walk", "swimming
    should swim"): the Chinese topic ("as for walking") made the subject. A token pattern, since
    the parse of such sentences is itself unreliable."""
    for unit, t in prose_tokens(ctx, PROSE_KINDS):
        if not t.lower_.endswith("ing") or t.tag_ not in ("VBG", "NN") or len(t) < 5:
            continue
        doc = unit.doc
        n = len(doc)
        if t.i > 0 and doc[t.i - 1].pos_ not in ("ADV", "ADJ", "PUNCT", "CCONJ", "DET"):
            continue
        k = t.i + 1
        if k >= n or doc[k].lower_ not in _NEED_WORDS:
            continue
        k += 1
        if k < n and doc[k].lower_ in ACTIVITY_FILLERS:
            k += 1
        if k < n and doc[k].lower_ == "to":
            k += 1
        if k >= n or doc[k].pos_ != "VERB" or doc[k].tag_ != "VB":
            continue
        if not _gerund_of(t, doc[k].lemma_):
            continue
        yield Hit(t.idx, doc[k].idx + len(doc[k]), unit=unit)
