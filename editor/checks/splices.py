"""Comma splices (rule MT305): two independent clauses joined only by a comma.

Two readings: the dependency parse (a clause head with its own subject after a comma), and the
word sequence (a comma, then a subject and a finite verb, after a stretch of words that holds an
independent clause of its own), for mangled sentences the parser hangs together wrongly.
"""

from __future__ import annotations

from typing import Iterable

from editor.engine.lists import word_list, words

from .base import CheckContext, Hit
from .sentences import (
    FINITE_TAGS, LEADING_SKIP, SAY_VERBS, SUBJECT_DEPS, SUBORDINATORS, WH_WORDS, Sentence, first_word,
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


# ---------------------------------------------------------------- what good English does with a comma
# Commas that the two readings above take for splices but that careful English writes every day.
# Each family was measured on human English (TED human translations, JFLEG references, MLQE-PE
# post-edits) against the hits it costs on WeTS (crude news MT).

# A coordinating conjunction right after the comma: "She was tired, so we stopped."
_COORDINATORS = words("splice-coordinators")
# Multi-word openers of a subordinate clause ("even though", "so long as").
_CLAUSE_OPENERS = tuple(tuple(p.split()) for p in word_list("splice-clause-openers"))
# Verbs of short parentheticals: "You see, …", "let's say, …", "I think".
_DISCOURSE_VERBS = words("discourse-verbs")
# Subordinators that also open a prepositional phrase ("after the war").
_PREPOSITIONS = words("prepositional-subordinators")
# Tags of the words of a prepositional phrase ("in the first week of the festival").
_PHRASE_TAGS = frozenset({"IN", "DT", "PDT", "JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "CD",
                          "PRP$", "POS", "HYPH", "VBG", "RB", "NFP", "$", "SYM", "PRP"})


def _opens_subordinate(doc, k: int, end: int) -> bool:
    """Whether a subordinate clause (or an infinitive of purpose, or the first half of "the more
    …, the more …") opens at token ``k``."""
    if k >= end:
        return False
    t = doc[k]
    if t.lower_ in SUBORDINATORS and t.lower_ not in ("that", "so") and t.tag_ in ("IN", "WRB"):
        return True
    if t.tag_ == "TO" and k + 1 < end and doc[k + 1].tag_ == "VB":
        return True  # "To respond well to the world, we need …"
    if t.lower_ == "the" and k + 1 < end and doc[k + 1].tag_ in ("JJR", "RBR"):
        return True  # "The more unequal a society is, the worse …"
    low = [x.lower_ for x in doc[k:min(end, k + 4)]]
    return any(tuple(low[:len(p)]) == p for p in _CLAUSE_OPENERS)


def _in_opening_clause(doc, s: Sentence, c: int) -> bool:
    """Whether the comma ``c`` closes the subordinate clause that opens the sentence ("Even though
    it rained, we …"; "For example, if you study and work, you …")."""
    k = s.start if _opens_subordinate(doc, s.start, c) else first_word(doc, s)  # "So long as …"
    for m in range(k, min(c, k + 4)):
        if doc[m].text == ",":
            if _opens_subordinate(doc, m + 1, c):
                k = m + 1  # after an introductory phrase: "For example, if …"
            break
    if not _opens_subordinate(doc, k, c):
        return False
    # a comma inside the clause only before a conjunction or a relative clause ("If you study,
    # and work hard, …"; "Though the town, which is small, …")
    return all(doc[m + 1].tag_ in ("CC", "WDT", "WP", "WRB") for m in range(k + 1, c) if doc[m].text == ",")


def _adverbial_before(doc, s: Sentence, c: int) -> bool:
    """Whether the words before the comma are a prepositional (or participle) phrase that opens
    the clause after it: "…, in the past, we …"; "… see that to our eyes, the colours …";
    "Regarding the goal of the survey, we …"."""
    j = c
    while j > s.start and doc[j - 1].tag_ in _PHRASE_TAGS and doc[j - 1].dep_ != "mark" and (
            doc[j - 1].lower_ != "that"):
        j -= 1
    b = j  # the phrase's first word
    if j + 1 < c and doc[j].tag_ == "RB" and doc[j + 1].tag_ == "IN":
        j += 1  # "much like the others, …"
    if j >= c or doc[j].dep_ == "mark":
        return False
    if doc[j].tag_ == "VBG" and j == first_word(doc, s):
        return True  # a participle phrase opening the sentence
    if doc[j].tag_ not in ("IN", "TO") or doc[j].lower_ in SUBORDINATORS - _PREPOSITIONS:
        return False
    if b <= first_word(doc, s):
        return True
    prev = doc[b - 1]
    return (prev.text in _STRETCH_BREAKS or prev.lower_ == "that" or prev.tag_ == "CC"
            or prev.lemma_ in SAY_VERBS or prev.lemma_ == "see")


def _discourse(doc, s: Sentence, c: int) -> bool:
    """Whether a short parenthetical sits at the comma: "You see, …", "let's say, …", "The way I
    see it, …", or "…, I think, …" after it."""
    a = _stretch_before(doc, s, c)
    while a < c and doc[a].lower_ in LEADING_SKIP:
        a += 1
    if _parenthetical(doc[a:c]):
        return True
    e = c + 1
    while e < s.end and doc[e].text != ",":
        e += 1
    return e < s.end and e - c <= 4 and _parenthetical(doc[c + 1:e])


def _parenthetical(words_) -> bool:
    return (0 < len(words_) <= 6
            and any(t.lemma_ in _DISCOURSE_VERBS and t.pos_ in ("VERB", "AUX") for t in words_)
            and not any(t.pos_ in ("NOUN", "PROPN", "NUM") and t.lower_ != "way" for t in words_))


def _pronoun_subject(t) -> bool:
    """A personal or demonstrative pronoun as subject ("it", "we", "these")."""
    return t.tag_ in ("PRP", "EX") or (t.tag_ == "DT" and t.dep_ in SUBJECT_DEPS and t.lower_ in _DEMONSTRATIVES)


_DEMONSTRATIVES = words("demonstratives")


def _spoken_pair(doc, s: Sentence, c: int) -> bool:
    """Whether both clauses have a pronoun for subject ("It's everywhere, it's all around you";
    "I'm not talking about X, I'm talking about Y"): the spoken style of human English. Crude MT
    from Chinese news splices clauses with noun subjects (figures in the rule's docs)."""
    j = c + 1
    while j < s.end and doc[j].lower_ in _SPLICE_ADVERBS:
        j += 1
    if j >= s.end or not _pronoun_subject(doc[j]) or (doc[j].is_title and doc[j].text != "I"):
        return False  # "…, It has …": a capital after the comma is a sentence boundary lost in MT
    a = _stretch_before(doc, s, c)
    return any(t.dep_ in ("nsubj", "nsubjpass", "expl") and _pronoun_subject(t) and t.head.dep_ != "relcl"
               for t in doc[a:c])


def _correlative(doc, s: Sentence, c: int) -> bool:
    """"not only …, it …", "Either …, or …": the comma closes the first half of a correlative pair
    ("The rule is not only old, it is also unfair")."""
    if doc[first_word(doc, s)].lower_ == "either" or doc[s.start].lower_ == "either":
        return True
    j = c + 1
    while j < s.end and doc[j].lower_ in _SPLICE_ADVERBS:
        j += 1
    return _pronoun_subject(doc[j]) and any(
        t.lower_ == "not" and doc[t.i + 1].lower_ == "only" for t in doc[s.start:c - 1])


def _resumed_topic(doc, s: Sentence, c: int) -> bool:
    """A topic taken up again after the comma ("The light from the stars, some of it …") or a list
    that goes on as the subject ("His age, his health and his record were …")."""
    a = _stretch_before(doc, s, c)
    if a != s.start or any(_finite_word(t) for t in doc[a:c]):
        return False
    if c + 3 < s.end and doc[c + 2].lower_ == "of" and doc[c + 3].tag_ == "PRP":
        return True  # "some of it", "most of them"
    j = c + 1
    while j < s.end and doc[j].pos_ in _NOUN_PHRASE_POS | {"CCONJ"}:
        if doc[j].pos_ == "CCONJ":
            return True
        j += 1
    return False


def _vocative(doc, s: Sentence, c: int) -> bool:
    """Whether the words before the comma are a name called at the start of direct speech
    ("“Anna, we are leaving”")."""
    a = _stretch_before(doc, s, c)
    while a < c and doc[a].text in _QUOTES:
        a += 1
    return (a < c and a > s.start and doc[a - 1].text in _QUOTES
            and all(t.pos_ == "PROPN" for t in doc[a:c]))


def _license(doc, s: Sentence, c: int, v) -> str | None:
    """Why the comma ``c`` is good English after all (the name of the test that says so), or None."""
    if doc[c + 1].lower_ in _COORDINATORS:
        return "coordinator"
    return next((test.__name__.strip("_") for test in _LICENSES if test(doc, s, c)), None)


# The families of comma good English writes, in the order they are tried
_LICENSES = (_in_opening_clause, _adverbial_before, _discourse, _correlative, _resumed_topic, _vocative, _spoken_pair)


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
            if _license(doc, s, c, v):
                continue
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


