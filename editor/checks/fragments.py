"""Sentence fragments (rule MT304): a sentence with no finite main verb, and a subordinate clause
that lost its verb inside a sentence.

Chinese 因为 ("because"), 只要 ("as long as"), 如果 ("if") introduce a topic as easily as a clause:
因为倒走 ("because walking backwards") needs no verb, and word-for-word English keeps the
conjunction with a bare noun phrase or adverb after it: "because backwards, the leg …", "as long as
the bending and stretching of the joint, the load …". English "because" and "as long as" need a
clause (or "because of" and a noun); the sentence reads garbled.

The second reading reads the words from the conjunction to the next comma or the end of the
sentence: no verb there (no finite verb, participle, infinitive or modal) is the signal.  Reduced
clauses that English does allow are left alone: "if necessary", "if so", "once again", "as long as
possible", "unless otherwise stated", and "although/while/when" with an adjective or a noun phrase
("although a small town, …"), which are not checked at all.
"""

from __future__ import annotations

from typing import Iterable

from editor.engine.lists import words
from editor.engine.lists import word_groups

from .base import RUNNING_PROSE, CheckContext, Hit, prose_tokens
from .inflection import is_base_verb
from .sentences import FINITE_TAGS, Sentence, sentence_findings

# --------------------------------------------------------------------------- MT304


IMPERATIVE_MISTAGGED = words("imperatives-mistagged")
STRANDED_SUBORDINATORS = words("stranded-subordinators")


def find_fragment(doc, s: Sentence, min_words: int = 4, stranded: bool = False):
    """Why the sentence is a fragment ("subordinate" or "no-verb"), or None.

    A subordinate clause standing alone ("Because the roads flooded.") is reported only with
    ``stranded``: human English writes it as often as MT does (on WeTS dev 1 of 4 such findings
    hit an error, below chance; on human English 12 findings in 50k words)."""
    if s.term not in (".", "!") or s.words < min_words:
        return None
    root = s.root
    first = doc[s.start]
    if (first.lower_ in STRANDED_SUBORDINATORS and first.head.i == root.i
            and first.dep_ == "mark"):
        return "subordinate" if stranded else None  # "Because the roads flooded." standing alone
    if s.finite_main:
        return None
    if root.pos_ in ("VERB", "AUX") and root.tag_ in ("VB", "VBP") and not any(
        c.dep_ == "aux" and c.tag_ == "TO" for c in root.children
    ):
        return None  # imperative
    if any(t.tag_ in FINITE_TAGS and t.dep_ not in ("relcl", "acl") and t.head.dep_ not in ("relcl", "acl")
           for t in doc[s.start:s.end]):
        return None
    if any(t.text == ":" for t in doc[s.start:s.end]):
        return None
    if any(t.lower_ in ("'s", "\u2019s") and doc[t.i - 1].tag_ in ("EX", "RB", "PRP", "WP", "DT")
           for t in doc[s.start + 1:s.end]):
        return None  # "Here's the plant, …": "'s" is the verb
    if first.i > 0 and doc[first.i - 1].text == "(" or any(t.text == ")" for t in doc[s.start:s.start + 4]):
        return None  # starts with a stage direction such as "(Applause)"
    if first.lower_ in ("what", "how") or first.lemma_ in IMPERATIVE_MISTAGGED:
        return None  # exclamative ("What a day.") or an imperative the tagger took for a noun
    if any(t.dep_ in ("nsubj", "nsubjpass") and t.head.pos_ in ("NOUN", "PROPN") and t.head.i > t.i
           for t in doc[s.start:s.end]):
        return None  # a subject hanging off a noun: the verb was mis-tagged as a noun
    if any(t.lower_ in MISTAGGED_VERBS and t.tag_ not in ("VB", "VBP", "VBZ", "VBD", "VBN", "VBG")
           and doc[t.i - 1].tag_ in ("NN", "NNS", "NNP", "NNPS") and t.i > s.start
           for t in doc[s.start + 1:s.end]):
        return None  # "Soft herbs such as mint last longest …": a verb the tagger read as an adverb
    if _verb_reading(doc, s):
        return None  # "Many people in the city walk backwards every morning."
    k = s.start
    while k + 1 < s.end and doc[k].tag_ in ("RB", "CC") and doc[k + 1].tag_ in ("RB", "CC", ","):
        k += 1  # a leading "And again," does not count
    if not any(t.text == "," for t in doc[k + 1:s.end]):
        return None  # a verbless sentence of human style: "A lot of difference between them."
    return "no-verb"


# Tags of the words that may follow a verb the tagger read as a noun: its object's determiner,
# a preposition, an adverb, a particle.
_AFTER_VERB_TAGS = frozenset({"DT", "PDT", "IN", "RB", "RP", "PRP$", "PRP", "TO"})
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})


def _subject_before(doc, i: int, start: int):
    """The noun that may be the subject of a verb at ``i``: the word before it, or the noun before
    the prepositional phrase that ends there ("people in the city | walk")."""
    k = i - 1
    while k > start and doc[k - 1].tag_ in ("DT", "JJ", "PRP$", "CD", "NN", "NNP", "HYPH"):
        k -= 1
    if k - 2 >= start and doc[k - 1].tag_ == "IN" and doc[k - 2].tag_ in _NOUN_TAGS:
        return doc[k - 2]
    return doc[i - 1]


def _verb_reading(doc, s: Sentence) -> bool:
    """Whether a word the tagger took for a noun or a participle, after a noun that agrees with it
    as its subject and before what follows a verb, is an English verb: "Many people in the city
    walk backwards", "Old records point to a temple", "The bullet sinks into the wall", "Local
    shops suffered as a result". Noun compounds ("safety card to …") do not agree and stay."""
    for t in doc[s.start + 1:s.end - 1]:
        if t.tag_ not in ("NN", "NNS", "VBN") or doc[t.i + 1].tag_ not in _AFTER_VERB_TAGS:
            continue
        subject = _subject_before(doc, t.i, s.start)
        if subject.tag_ not in _NOUN_TAGS or doc[t.i - 1].tag_ not in _NOUN_TAGS:
            continue
        plural = subject.tag_ in ("NNS", "NNPS")
        if t.tag_ == "VBN" or (t.tag_ == "NN" and plural) or (
                t.tag_ == "NNS" and not plural and t.lower_.endswith("s")):
            if is_base_verb(t.lemma_.lower()) or is_base_verb(t.lower_):
                return True
    return False


# Verbs the tagger reads as adverbs, adjectives or nouns right after a plural subject ("herbs
# last longest", "prices rise", "costs fall").
MISTAGGED_VERBS = words("verbs-mistagged")


def _fragment_span(doc, s: Sentence, why: str) -> tuple[int, int]:
    """Token range to point at: the subordinator and the next words of a stranded
    subordinate clause, or the head word of a verbless sentence with its neighbours."""
    if why == "subordinate":
        return s.start, min(s.end, s.start + 3)
    r = s.root
    return max(s.start, r.i - 1), min(s.end, r.i + 2)


def fragment(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT304: a sentence in running prose with no finite main verb."""
    min_words = int(options.get("min_words", 4))
    stranded = bool(options.get("stranded", False))
    for s, why in sentence_findings(ctx, find_fragment, min_words, stranded):
        doc = s.unit.doc
        a, b = _fragment_span(doc, s, why)
        start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
        yield Hit(start, end, message=FRAGMENT_MESSAGES[why], unit=s.unit)
    # the fragment inside a sentence: a conjunction whose clause has no verb
    yield from verbless_subordinate(ctx, options)


FRAGMENT_MESSAGES = {
    "subordinate": "This sentence is only a subordinate clause (\"Because …\", \"Although …\") "
                   "with no main clause: Chinese can leave it standing, English cannot. Join it "
                   "to the sentence before or after, or add the main clause.",
    "no-verb": "This sentence has no main verb: a noun phrase closed with a full stop reads as "
               "a translated fragment. Add the verb it needs (\"is\", \"has\", \"should be\") or "
               "join it to the neighbouring sentence.",
}


# Words after which English allows a verbless remainder.
_ALLOWED_AFTER = word_groups("verbless-remainders")
# "because" must govern a clause or "of": any verbless remainder is wrong.  The others need a
# noun in the remainder to count (a reduced "if possible" has none).
_NEED_NOUN = words("noun-needing-conjunctions")
_VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"})
_STOPS = frozenset({",", ".", ";", ":", "!", "?", "\u2014", "(", ")", '"', "\u201c", "\u201d"})


CHECKED_CONJUNCTIONS = words("checked-conjunctions")
IF_COMPOUNDS = words("if-compounds")
COMPARATIVE_AS_LONG = words("comparison-before-as-long-as")


def _opener(doc, t) -> tuple[str, int] | None:
    """(conjunction, index of its last token) when ``t`` starts one of the conjunctions checked."""
    low = t.lower_
    if low in CHECKED_CONJUNCTIONS:
        if low == "once" and t.dep_ not in ("mark", "advmod"):
            return None
        if low == "if" and t.i > 0 and doc[t.i - 1].lower_ in IF_COMPOUNDS:
            return None  # "as if", "even if": other constructions
        return low, t.i
    if low == "as" and t.i + 2 < len(doc) and doc[t.i + 1].lower_ == "long" and doc[t.i + 2].lower_ == "as":
        if t.i > 0 and doc[t.i - 1].lower_ in COMPARATIVE_AS_LONG:
            return None  # "twice as long as the old one": a comparison
        return "as long as", t.i + 2
    return None


MESSAGE = (
    "“{match}”: a conjunction that needs a clause is followed by words with no verb. Chinese "
    "因为/只要/如果 can introduce a bare topic; English “because”, “as long as”, “if” need a verb "
    "(“because you walk backwards, …”) or a different word (“because of the bending …”). Reword "
    "the clause.")


def verbless_subordinate(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT304's second reading: "because", "as long as", "if", "unless", "once" followed by words
    with no verb up to the next comma (a fragment inside a sentence)."""
    for unit, t in prose_tokens(ctx, RUNNING_PROSE):
        found = _opener(unit.doc, t)
        if found is None:
            continue
        conj, last = found
        doc = unit.doc
        sent_end = t.sent.end
        j = last + 1
        if j >= sent_end or doc[j].text in _STOPS:
            continue
        if doc[j].lower_ in _ALLOWED_AFTER[conj] or doc[j].lemma_ in _ALLOWED_AFTER[conj]:
            continue
        k = j
        while k < sent_end and doc[k].text not in _STOPS and (k == j or _opener(doc, doc[k]) is None):
            k += 1  # to the next comma, or the next conjunction (which starts a stretch of its own)
        if k >= sent_end or not any(x.is_alpha for x in doc[j:k]):
            # a remainder that runs to the end of the sentence ("Why? Because money.") is left to
            # MT304's first reading
            continue
        if any(x.tag_ in _VERB_TAGS for x in doc[j:k]):
            continue
        if conj in _NEED_NOUN and not any(x.pos_ in ("NOUN", "PROPN") for x in doc[j:k]):
            continue
        if _subject_continues(doc, k, sent_end):
            continue  # "if nectar, such a precious thing, is scarce": the clause goes on past an aside
        if any(x.lower_ in ("'s", "\u2019s") for x in doc[j:k]):
            continue  # "because the sun's gone": "'s" may be the verb
        start_char = t.idx
        end_char = t.idx + len(t.text)
        for x in doc[t.i + 1:k]:  # the stretch, cut at a word boundary within 50 characters
            if x.idx + len(x.text) - start_char > 50:
                break
            end_char = x.idx + len(x.text)
        yield Hit(start_char, end_char, message=MESSAGE, unit=unit)


_NP_POS = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "PRON", "CCONJ", "ADP", "PART"})
# Conjunctions that cannot sit inside a plain noun phrase continuing a subject.
_CONJUNCTIONS = words("clause-conjunctions")
RELATIVE_OPENERS = words("relative-openers")


def _subject_continues(doc, k: int, sent_end: int) -> bool:
    """Whether the verbless words before the comma at ``k`` are the subject of a verb that comes
    after asides or further list items: "if nectar, which is precious, is scarce"; "if our roads,
    bridges, all our towers can …"."""
    i = k
    listed = False  # a plain noun phrase was skipped: a list continuing the subject
    while i < sent_end and doc[i].text == ",":
        j = i + 1
        while j < sent_end and doc[j].tag_ == "RB":
            j += 1
        if j >= sent_end:
            return False
        m = j
        while m < sent_end and doc[m].text not in _STOPS:
            m += 1
        chunk = doc[j:m]
        if doc[j].tag_ in ("VBZ", "VBP", "VBD", "MD"):
            return True  # the verb comes straight after the comma
        if doc[j].lower_ in RELATIVE_OPENERS:
            i = m  # a relative clause set off by commas: an aside
            continue
        verbs = [x for x in chunk if x.tag_ in _VERB_TAGS]
        if verbs:
            own_subject = any(x.dep_ in ("nsubj", "nsubjpass", "expl") or x.tag_ == "PRP"
                              for x in doc[j:verbs[0].i])
            return listed or not own_subject
        if all(x.pos_ in _NP_POS and x.lower_ not in _CONJUNCTIONS for x in chunk):
            listed = True
            i = m
            continue
        return False
    return False


