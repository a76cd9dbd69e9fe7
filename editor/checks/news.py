"""Detectors for artifacts of crude Chinese→English news translation (rules MT7xx).

Each check walks the tokens of each prose unit once and reads only the tags and the dependency
parse spaCy already produced.  Hits are in unit coordinates and always carry their unit.
"""

from __future__ import annotations

from typing import Iterable

from editor.checks.base import RUNNING_PROSE, CheckContext, Hit, prose_tokens
from editor.engine.lists import words

PROSE_KINDS = RUNNING_PROSE

# Base-form words after a comma that do not start a bare verb phrase.
_NOT_BARE_VERB = words("not-bare-verbs")

# Speech verbs before a quoted imperative ("He said, look at this").
_SPEECH = words("quote-speech-verbs")


def _fronted_imperative(doc, verb, comma_i: int) -> bool:
    """True when ``verb`` is an imperative main verb after a fronted clause or phrase
    ("If it rains, take the bus"; "In that case, call us"): the parser makes the verb the
    root of the sentence and everything before the comma hangs from it."""
    return verb.dep_ == "ROOT" and verb.sent.start < comma_i


def _inner_commas(ctx: CheckContext):
    """(unit, doc, comma token) for every comma of running prose with a word on each side."""
    for unit, t in prose_tokens(ctx, PROSE_KINDS):
        if t.text == "," and 1 <= t.i and t.i + 1 < len(unit.doc):
            yield unit, unit.doc, t


def comma_bare_verb(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT701: a comma directly followed by a base-form verb ("… the contract, avoid …").

    Chinese strings verb phrases together with commas; the translation keeps the comma and the
    bare verb, so the clause lacks "and", "to" or a subject.  The span runs from the word before
    the comma to the verb.
    """
    for unit, doc, t in _inner_commas(ctx):
        n = len(doc)
        verb = doc[t.i + 1]
        # One adverb may come first: "…, jointly maintain the order".
        if (options.get("adverb", True) and verb.tag_ == "RB" and verb.lower_ not in ("not", "never")
                and verb.lower_.endswith("ly") and t.i + 2 < n):
            verb = doc[t.i + 2]
        if verb.tag_ != "VB" or not verb.is_alpha or verb.lower_ in _NOT_BARE_VERB or verb.is_title:
            continue
        prev = doc[t.i - 1]
        if prev.lower_ == verb.lower_:  # "touch, touch": a doubled word (MT702)
            continue
        # "First, add …", "Now, look …": an opening adverb before an imperative.
        if prev.is_sent_start or prev.pos_ in ("ADV", "INTJ", "PUNCT"):
            continue
        # "He said, look at this": a quoted imperative after a speech verb.
        if prev.lemma_ in _SPEECH or _fronted_imperative(doc, verb, t.i):
            continue
        # "may, or may not, work": the comma closes an aside that ends in a particle
        if prev.pos_ == "PART":
            continue
        # "be brave, try new things, and take risks": a series that has its "and"
        if _series_closed_later(doc, verb):
            continue
        start = prev.idx
        end = verb.idx + len(verb.text)
        tail = doc.text[doc[t.i + 1].idx:end]
        reps = (f"{prev.text} and {tail}", f"{prev.text}, and {tail}")
        sure = _verb_before(doc, t.i) and not own_predicate_after(doc, verb.i)
        yield Hit(start, end, replacements=reps, unit=unit, applicability=None if sure else "display-only")


def _series_closed_later(doc, verb) -> bool:
    """Whether a later ", and" (", or") in the sentence joins a bare verb of the same series
    ("…, try new things, and take risks"; "…, cross the bay, and then land"): then the commas
    before it are the commas of an English series, not a Chinese run of actions."""
    end = verb.sent.end
    for x in doc[verb.i + 1:end]:
        if x.lower_ not in ("and", "or") or doc[x.i - 1].text != ",":
            continue
        nxt = doc[x.i + 1] if x.i + 1 < end else None
        if nxt is not None and nxt.tag_ == "RB" and x.i + 2 < end:
            nxt = doc[x.i + 2]
        if nxt is not None and nxt.tag_ == "VB":
            return True
    return False


_VERB_TAGS = frozenset({"VB", "VBD", "VBZ", "VBP", "MD"})


def _verb_before(doc, comma: int) -> bool:
    """Whether the sentence has a verb before the comma for the bare verb to join, and that verb
    is not negated ("In other words, …" has none: "and" would join nothing; after "cannot start,
    replace …" the "and" would put "replace" under the negation)."""
    start = doc[comma].sent.start
    verbs = [t for t in doc[start:comma] if t.tag_ in _VERB_TAGS and t.dep_ not in ("amod", "compound")]
    return bool(verbs) and not negated(verbs[-1])


_NEGATIONS = words("negation-words")
_PREDICATE_TO_ADVERBS = words("predicate-to-adverbs")


def negated(verb) -> bool:
    """Whether a verb (or the verb its auxiliary belongs to) carries "not"/"n't"/"never"."""
    head = verb.head if verb.dep_ in ("aux", "auxpass") else verb
    return any(c.dep_ == "neg" or c.lower_ in _NEGATIONS for c in head.children) or \
        verb.lower_ in ("cannot", "can't", "won't")


def own_predicate_after(doc, verb_i: int) -> bool:
    """Whether the words after the bare verb, to the next comma or full stop, have a predicate of
    their own ("…, swing backwards leg lands on the toes"; "…, swing leg also to force straight"):
    then the "verb" starts a noun phrase that is the subject of a new clause, and joining it with
    "and" to the verb before the comma would change who does what."""
    for t in doc[verb_i + 1:]:
        if t.text in (",", ".", ";", "!", "?", ":"):
            return False
        if t.tag_ in ("VBD", "VBZ", "VBP", "MD"):
            return True
        if t.lower_ == "to" and t.i >= 1 and doc[t.i - 1].lower_ in _PREDICATE_TO_ADVERBS:
            return True
    return False


# Words that English itself doubles ("had had", "that that", "very, very", "again and again").
_MAY_DOUBLE = words("may-double-words")


def doubled_word(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT702: the same word twice in a row, with or without a comma ("the staple food, food")."""
    for unit in ctx.units:
        if unit.kind not in PROSE_KINDS:
            continue
        doc = unit.doc
        n = len(doc)
        for t in doc:
            if not t.is_alpha or t.lower_ in _MAY_DOUBLE:
                continue
            # Pronouns ("near it, it was"), names ("Fang Fang"), numbers and interjections.
            if t.pos_ in ("PRON", "PROPN", "INTJ", "NUM") or (t.is_title and not t.is_sent_start):
                continue
            j = t.i + 1
            if j < n and doc[j].text == ",":
                j += 1
            if j >= n or doc[j].lower_ != t.lower_:
                continue
            second = doc[j]
            # Three or more copies are deliberate: sound words ("ding, ding, ding").
            k = t.i - 1
            if k >= 0 and doc[k].text == ",":
                k -= 1
            m = j + 1
            if m < n and doc[m].text == ",":
                m += 1
            if (k >= 0 and doc[k].lower_ == t.lower_) or (m < n and doc[m].lower_ == t.lower_):
                continue
            if j > t.i + 1 and _rhetorical_repeat(doc, t, second):
                continue
            yield Hit(t.idx, second.idx + len(second.text), replacements=(t.text,), unit=unit)


# Parts of speech of function words: "into, into" or "the, the" is a slip, never rhetoric.
_FUNCTION_POS = frozenset({"ADP", "DET", "AUX", "CCONJ", "SCONJ", "PART", "PRON"})
# Tags of a word that makes the second copy the start of a longer phrase: "questions, questions
# that we cannot answer", "societies, societies with less inequality", "thinking, thinking more".
_EXPANSION_TAGS = frozenset({"WDT", "WP", "WP$", "IN", "RBR", "JJR"})


def _rhetorical_repeat(doc, first, second) -> bool:
    """Whether "X, X" (with the comma) is a writer's deliberate repetition rather than a word
    translated twice: an adverb repeated for emphasis ("amazingly, amazingly diverse"), or a
    content word taken up again to be expanded ("some questions, questions that …")."""
    if first.is_stop or first.pos_ in _FUNCTION_POS or second.pos_ in _FUNCTION_POS:
        return False
    if first.pos_ == "ADV":
        return True
    after = doc[second.i + 1] if second.i + 1 < len(doc) else None
    return after is not None and (after.tag_ in _EXPANSION_TAGS or after.lower_ == "that")


def _headline_case(sent) -> bool:
    """True when most words of the sentence are capitalised (a title or headline)."""
    words = [w for w in sent if w.is_alpha and len(w.text) > 3]
    return len(words) >= 3 and sum(w.is_title for w in words) * 2 > len(words)


def comma_capital(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT703: a comma followed by a capitalised common word ("…in April, Help cadres…")."""
    for unit, doc, t in _inner_commas(ctx):
        nxt = doc[t.i + 1]
        if not (nxt.is_title and nxt.is_alpha and len(nxt.text) > 1):
            continue
        # Names, nationalities and other named entities keep their capital.
        if nxt.pos_ == "PROPN" or nxt.tag_ in ("NNP", "NNPS") or nxt.ent_type_:
            continue
        if _headline_case(nxt.sent):
            continue
        prev = doc[t.i - 1]
        if not prev.is_alpha and not prev.like_num:
            continue
        start, end = prev.idx, nxt.idx + len(nxt.text)
        stop, lower = f"{prev.text}. {nxt.text}", f"{prev.text}, {nxt.text.lower()}"
        if _clause_before(doc, t.i) and _clause_after(doc, t.i):
            reps = (stop, lower)  # two clauses: the capital may mark a lost full stop
        else:
            reps = (lower,)  # "For example, Many …": a full stop would leave a fragment
        yield Hit(start, end, replacements=reps, unit=unit)


_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_BREAKS = frozenset({".", "!", "?", ";", ":"})


def _clause_before(doc, comma: int) -> bool:
    """Whether the words from the start of the sentence (or the last ";") to the comma hold a
    finite verb with a subject of its own: a clause that could end in a full stop."""
    i = comma - 1
    while i >= 0 and doc[i].text not in _BREAKS and not doc[i].is_sent_start:
        i -= 1
    return any(t.tag_ in _FINITE and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.children)
               or (t.tag_ in _FINITE and t.dep_ in ("aux", "auxpass")
                   and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in t.head.children))
               for t in doc[max(i, 0):comma])


def _clause_after(doc, comma: int) -> bool:
    """Whether the words after the comma, to the next comma or the end, hold a finite verb."""
    for t in doc[comma + 1:]:
        if t.text == "," or t.text in _BREAKS:
            return False
        if t.tag_ in _FINITE:
            return True
    return False
