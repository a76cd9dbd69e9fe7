"""Comma splices (rule MT305): two independent clauses joined only by a comma.

Two readings: the dependency parse (a clause head with its own subject after a comma), and the
word sequence (a comma, then a subject and a finite verb, after a stretch of words that holds an
independent clause of its own), for mangled sentences the parser hangs together wrongly.
"""

from __future__ import annotations

from typing import Iterable

from editor.engine.lists import words

from .base import CheckContext, Hit
from .sentences import (
    FINITE_TAGS, SAY_VERBS, SUBJECT_DEPS, SUBORDINATORS, WH_WORDS, Sentence, first_word,
    is_finite, prose_sentences,
)

# --------------------------------------------------------------------------- MT305


def main_clause_heads(doc, s: Sentence) -> list:
    """Finite verbs with their own subject heading an independent clause."""
    heads = []
    for t in doc[s.start:s.end]:
        if t.pos_ not in ("VERB", "AUX") or not is_finite(t):
            continue
        if t.dep_ in ("aux", "auxpass"):
            continue
        subj = next((c for c in t.children if c.dep_ in SUBJECT_DEPS), None)
        if subj is None or subj.i > t.i:
            continue
        if t.dep_ in ("relcl", "acl", "csubj", "pcomp", "pobj", "amod", "nsubj", "xcomp", "prep"):
            continue
        if any(c.dep_ == "mark" for c in t.children):
            continue
        if subj.tag_ in ("WDT", "WP", "WP$", "WRB") or subj.lower_ in WH_WORDS:
            continue
        if any(c.tag_ in ("WDT", "WP", "WP$", "WRB") and c.i < t.i for c in t.children):
            continue
        heads.append((subj.left_edge.i if subj.left_edge.i <= subj.i else subj.i, t))
    return heads


def _marked(t) -> bool:
    """Whether a clause head carries a subordinating word ("when", "if", "which")."""
    return any(c.tag_ in ("WRB", "WDT", "WP") or c.dep_ == "mark" for c in t.children)


def _subordinate(tok) -> bool:
    """Whether ``tok`` heads or sits inside a dependent clause (marked, relative, adverbial)."""
    t = tok
    while True:
        if t.dep_ in ("relcl", "acl", "csubj", "csubjpass", "pcomp", "pobj", "prep"):
            return True
        if t.dep_ == "advcl" and (_marked(t) or any(_marked(c) for c in t.children if c.dep_ == "conj")
                                  or t.doc[t.left_edge.i].lower_ in SUBORDINATORS):
            return True  # "When we write or talk about it, …": the marker may hang on the conjunct
        if t.dep_ == "conj" and _marked(t) and t.head.dep_ == "advcl":
            return True
        if any(c.dep_ == "mark" for c in t.children):
            return True
        if t.head.i == t.i:
            return False
        t = t.head


def _owner(tok, left, right):
    """Which of two clause heads ``tok`` hangs from first, walking up the tree."""
    t = tok
    while True:
        if t.i == left.i:
            return left
        if t.i == right.i:
            return right
        if t.head.i == t.i:
            return None
        t = t.head


def _attribution(doc, v, s: Sentence) -> bool:
    """Whether the clause of ``v`` is a trailing attribution ("…, the ministry said on Friday.",
    "…, officials told reporters."): a saying verb with nothing reported after it."""
    if v.lemma_ not in SAY_VERBS:
        return False
    if any(c.dep_ in ("ccomp", "xcomp", "attr", "acomp") and c.i > v.i for c in v.children):
        return False
    return sum(1 for t in doc[v.i + 1:s.end] if not t.is_punct) <= 8


OBJECT_SAY_VERBS = words("object-taking-say-verbs")


def _introduces_speech(doc, verb_i: int, c: int) -> bool:
    """Whether the words from the saying verb at ``verb_i`` to the comma ``c`` only say who spoke
    and when ("Forecasters said, temperatures …"; "He told reporters on Monday, the plan …"):
    the clause after the comma is what was said."""
    v = doc[verb_i]
    if v.lemma_ not in SAY_VERBS:
        return False
    for t in doc[verb_i + 1:c]:
        if t.dep_ in ("ccomp", "xcomp", "attr", "acomp"):
            return False
        if t.pos_ == "NOUN" and t.dep_ == "dobj" and v.lemma_ not in OBJECT_SAY_VERBS:
            return False  # "They reported the figures, …": an object, not a quotation
    return True


CLAUSE_JOINERS = words("clause-joiners")


def find_splices(doc, s: Sentence) -> list[tuple[int, object]]:
    """(comma index, right clause head) for commas joining two independent clauses."""
    heads = main_clause_heads(doc, s)
    out = []
    for n, (a, v) in enumerate(heads):
        c = a - 1
        # allow an adverb or two between comma and subject ("..., then we ...")
        while c > s.start and doc[c].dep_ in ("advmod",) and doc[c].pos_ == "ADV":
            c -= 1
        if c <= s.start or doc[c].text != ",":
            continue
        # the left side must hold an earlier independent clause ending before the comma
        left = [w for (b, w) in heads[:n] if w.i < c]
        if not left:
            continue
        lv = left[-1]
        if _subordinate(lv) or _subordinate(v):
            continue
        # the words before the comma must not belong to the right clause ("in fact, they are")
        if _owner(doc[c - 1], lv, v) is not lv:
            continue
        # a discourse marker on the left ("You see, ...", "I mean, ...")
        if lv.i - s.start <= 2 and c - lv.i <= 1 and all(
            t.pos_ in ("PRON", "VERB", "AUX", "ADV", "CCONJ", "PART") for t in doc[s.start:c]
        ):
            continue
        if lv.lemma_ in SAY_VERBS and v.dep_ in ("ccomp",) and v.head.i == lv.i:
            continue
        if _attribution(doc, v, s):
            continue  # trailing "..., the ministry said on Friday."
        if _introduces_speech(doc, lv.i, c):
            continue  # "Forecasters said, temperatures will fall"
        if doc[c + 1].text in ('"', "\u201c", "'") or doc[c - 1].text in ('"', "\u201d", "'"):
            continue
        # no conjunction between the two clauses
        if any(t.dep_ in ("cc", "mark") or t.lower_ in CLAUSE_JOINERS
               for t in doc[lv.i + 1:c]
               if t.head.i == v.i):
            continue
        out.append((c, v))
    return out


# The tagger's view of a splice.  A mangled sentence is often parsed into a tree where the second
# clause hangs from some word of the first, so the parse-based search above misses it; these
# helpers read the words instead: a comma, then a subject and a finite verb, after a stretch of
# words that holds an independent clause of its own.

# Punctuation that closes the stretch of words before a comma.
_QUOTES = frozenset({'"', "\u201c", "\u201d"})
_STRETCH_BREAKS = frozenset({",", ";", ":", "\u2014", "\u2013", "-", "--", "(", ")"})
# Words that make the stretch they open (or follow the verb of) a dependent clause.
_DEPENDENT_OPENERS = SUBORDINATORS | WH_WORDS | words("dependent-openers")
# Opening a stretch, these do not change what it is ("…, and prices rose, …").
_STRETCH_CONJ = words("stretch-conjunctions")
# Pronouns that open a clause as its subject.
_SUBJECT_PRONOUNS = words("subject-pronouns")
# Adverbs that may come between the comma and the subject ("…, then the price rose").
_SPLICE_ADVERBS = words("splice-adverbs")
# Time words: a stretch naming a time ("last year", "two days later") opens the next clause.
_TIME_WORDS = words("time-words")
_NOUN_PHRASE_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM"})
# Tags that open an adverbial or a participle phrase rather than a list item or a clause.
_ADVERBIAL_OPENERS = frozenset({"IN", "TO", "RB", "VBG", "VBN", "WRB", "CD"})


def _closing_quote(doc, c: int) -> bool:
    """Whether the comma at ``c`` is followed by the quotation mark that closes a quotation."""
    return (c + 2 < len(doc) and doc[c + 1].text in _QUOTES and not doc[c].whitespace_
            and bool(doc[c + 1].whitespace_))


def _finite_word(t) -> bool:
    return t.tag_ in FINITE_TAGS and t.dep_ != "amod"


def _clause_opening(doc, j: int, end: int):
    """The finite verb of a clause that opens at token ``j`` with its subject, or None."""
    if j >= end:
        return None
    t = doc[j]
    if t.lower_ in _SPLICE_ADVERBS and t.tag_ == "RB":
        if j + 1 < end and doc[j + 1].lower_ not in _SPLICE_ADVERBS:
            return _clause_opening(doc, j + 1, end)
        return None
    if t.lower_ in _DEPENDENT_OPENERS or t.tag_ in ("WDT", "WP", "WP$", "WRB", "CC", "IN", "TO"):
        return None
    # the words: a pronoun or a short noun phrase, an adverb, a finite verb
    if t.tag_ == "EX" or t.lower_ in _SUBJECT_PRONOUNS:
        k = j + 1
    else:
        k = j
        while k < end and k - j < 5 and doc[k].pos_ in _NOUN_PHRASE_POS and doc[k].tag_ != "WDT":
            k += 1
        if k == j or doc[k - 1].pos_ not in ("NOUN", "PROPN"):
            k = None
    if k is not None:
        if k < end and doc[k].tag_ == "RB":
            k += 1
        if k < end and _finite_word(doc[k]):
            return doc[k]
    # the parse: a subject whose phrase starts at j, with a finite verb close after it
    if t.tag_ in ("RB", "VBG", "VBN"):
        return None
    for x in doc[j:min(end, j + 9)]:
        if x.dep_ not in ("nsubj", "nsubjpass", "expl") or x.left_edge.i != j or x.head.i <= x.i:
            continue
        h = x.head
        if h.tag_ not in FINITE_TAGS | {"VB", "VBG", "VBN"}:
            return None
        if h.i - x.i > 6 or h.i >= end or any(c.dep_ == "mark" for c in h.children):
            return None
        aux = [c for c in h.children if c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS]
        if h.tag_ in FINITE_TAGS:
            return aux[0] if aux and aux[0].i < h.i else h
        return aux[0] if aux else None
    return None


def _stretch_before(doc, s: Sentence, c: int) -> int:
    """Index of the first token of the stretch of words that ends at the comma ``c``."""
    b = c - 1
    while b >= s.start and doc[b].text not in _STRETCH_BREAKS:
        b -= 1
    return b + 1


def _opener(doc, a: int, c: int):
    t = doc[a]
    if t.lower_ in _STRETCH_CONJ and a + 1 < c:
        t = doc[a + 1]
    return t


INNER_OPENERS = words("inner-dependent-openers")


def _independent_stretch(doc, s: Sentence, a: int, c: int) -> bool:
    """Whether the words a..c-1 (a stretch with a finite verb) read as an independent clause."""
    opener = _opener(doc, a, c)
    if opener.lower_ in _DEPENDENT_OPENERS or opener.tag_ in ("WDT", "WP", "WP$", "WRB"):
        return False
    verbs = [t for t in doc[a:c] if _finite_word(t)]
    if not verbs:
        return False
    v = verbs[-1]
    for t in doc[a:c]:
        low = t.lower_
        if t.i < v.i and low in _DEPENDENT_OPENERS and low not in INNER_OPENERS:
            return False  # "… because prices are high, …"
        if t.i > v.i and ((low in _DEPENDENT_OPENERS and low not in ("so", "as"))
                          or (low == "order" and doc[t.i - 1].lower_ == "in")):
            return False  # "… said that in recent years, …": the comma is inside the reported clause
    return True


def _tag_splices(doc, s: Sentence) -> list[tuple[int, object]]:
    """(comma index, right verb) for commas that the word sequence shows to join two clauses."""
    out = []
    for c in range(s.start + 3, s.end - 2):
        if doc[c].text != ",":
            continue
        j = c + 1
        if _closing_quote(doc, c):
            j += 1  # a quotation closed after its comma: "… the “big hand,” his farm …"
        elif any(t.text in _QUOTES for t in doc[j:j + 2]):
            continue  # direct speech opens
        v = _clause_opening(doc, j, s.end)
        if v is None:
            continue
        a = _stretch_before(doc, s, c)
        if a >= c:
            continue
        stretch = doc[a:c]
        opener = _opener(doc, a, c)
        if any(_finite_word(t) for t in stretch):
            if not _independent_stretch(doc, s, a, c):
                continue
        elif a > s.start and doc[a - 1].text == ",":
            # a list-like stretch ("…, innovative city, innovation has …"): the clause it
            # continues is the nearest stretch to its left with a finite verb
            if opener.tag_ in _ADVERBIAL_OPENERS or opener.lower_ in _DEPENDENT_OPENERS:
                continue
            if any(t.lower_ in _TIME_WORDS or t.lower_ in SUBORDINATORS for t in stretch):
                continue  # "…, two days later, …"; "…, and because backwards, …"
            b = a - 1
            while b > s.start and doc[b].text == ",":
                a2 = _stretch_before(doc, s, b)
                if any(_finite_word(t) for t in doc[a2:b]):
                    break
                b = a2 - 1
            else:
                continue
            if doc[s.start].lower_ in _DEPENDENT_OPENERS or not _independent_stretch(doc, s, a2, b):
                continue
        elif a == s.start:
            # a sentence that opens on a bare noun phrase, then a clause: the topic-comment
            # order of Chinese ("The new district roads, traffic is light")
            if len(stretch) < 3 or opener.tag_ in _ADVERBIAL_OPENERS | {"UH", "JJR", "JJS", "RBR"}:
                continue
            if any(t.lower_ in _TIME_WORDS or t.ent_type_ in ("DATE", "TIME")
                   or t.tag_ in ("VBG", "VBN", "VB", "TO") or t.lower_ in _DEPENDENT_OPENERS
                   for t in stretch):
                continue
            if all(t.pos_ in ("PROPN", "DET", "PUNCT", "CCONJ") for t in stretch):
                continue  # a name or a vocative
        else:
            continue
        if _attribution(doc, v, s):
            continue  # "…, the minister said on Monday."
        said = [t for t in stretch if _finite_word(t)]
        if said and _introduces_speech(doc, said[-1].i, c):
            continue  # "Forecasters said, temperatures will fall"
        out.append((c, v))
    return out


# Openers of a condition that governs every clause of its sentence.
_CONDITIONAL_OPENERS = words("conditional-openers")

_TOPIC_MESSAGE = (
    "A noun phrase, a comma, then a whole clause: the Chinese topic-first order. English makes the "
    "topic part of the clause (\"Traffic on the bridge is heavy\") or starts a new sentence; a full "
    "stop alone would leave a fragment, so reword it.")


def _after_opening_clause(doc, s: Sentence, c: int) -> bool:
    """Whether an earlier comma closes the sentence's opening subordinate clause (so the comma ``c``
    follows its first consequence)."""
    return any(t.text == "," for t in doc[s.start + 2:c])


def comma_splice(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT305: two independent clauses joined only by a comma."""
    limit = int(options.get("per_sentence", 1))
    for s in prose_sentences(ctx, unclosed_words=options.get("unclosed_words", 10)):
        doc = s.unit.doc
        if s.term == "?" and not options.get("questions", False):
            continue
        found = dict(find_splices(doc, s)[:limit])
        if options.get("words", True):
            for c, v in _tag_splices(doc, s):
                found.setdefault(c, v)
        for c, v in sorted(found.items()):
            prev = doc[c - 1]
            quote = doc[c + 1].text if _closing_quote(doc, c) else ""
            nxt = doc[c + 2] if quote else doc[c + 1]
            start = prev.idx
            end = nxt.idx + len(nxt)
            # extend to the verb when short
            mode = options.get("span", "word")
            if mode == "verb" and v.idx + len(v) - start <= 50:
                end = v.idx + len(v)
            elif mode == "comma":
                start, end = doc[c].idx, doc[c].idx + 1
            tail = doc.text[nxt.idx:end]
            cap = tail[:1].upper() + tail[1:] if nxt.pos_ != "PROPN" and nxt.text != "I" else tail
            stop, semi, join = f"{prev.text}.{quote} {cap}", f"{prev.text}{quote}; {tail}", f"{prev.text},{quote} and {tail}"
            a = _stretch_before(doc, s, c)
            if a == s.start and not any(_finite_word(t) for t in doc[a:c]):
                # topic first ("The bridge over the canal, traffic is heavy"): a full stop would
                # leave a fragment; the sentence needs rewording around its topic
                yield Hit(start, end, message=_TOPIC_MESSAGE, unit=s.unit)
                continue
            if doc[first_word(doc, s)].lower_ in _CONDITIONAL_OPENERS and _after_opening_clause(doc, s, c):
                # "If it freezes, the police close the pass, drivers stay home": a full stop would cut
                # the second consequence from its condition; "and" keeps both under it
                reps = (join, semi, stop)
            else:
                reps = (stop, semi, join)
            yield Hit(start, end, replacements=reps, unit=s.unit)


