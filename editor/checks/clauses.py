"""Subordinate clauses that lost their verb (the second reading of rule MT304, sentence-fragment).

Chinese 因为 ("because"), 只要 ("as long as"), 如果 ("if") introduce a topic as easily as a clause:
因为倒走 ("because walking backwards") needs no verb, and word-for-word English keeps the
conjunction with a bare noun phrase or adverb after it: "because backwards, the leg …", "as long as
the bending and stretching of the joint, the load …". English "because" and "as long as" need a
clause (or "because of" and a noun); the sentence reads garbled.

The check reads the words from the conjunction to the next comma or the end of the sentence: no
verb there (no finite verb, participle, infinitive or modal) is the signal.  Reduced clauses that
English does allow are left alone: "if necessary", "if so", "once again", "as long as possible",
"unless otherwise stated", and "although/while/when" with an adjective or a noun phrase ("although
a small town, …"), which are not checked at all.
"""

from __future__ import annotations

from typing import Iterable

from editor.checks.base import RUNNING_PROSE, CheckContext, Hit, prose_tokens

# Words after which English allows a verbless remainder.
_ALLOWED_AFTER = {
    "if": {"any", "so", "not", "necessary", "possible", "needed", "required", "applicable", "ever",
           "anything", "only", "in", "at", "on", "under", "over", "appropriate", "available",
           "desired", "true", "false", "yes", "no", "unsure", "known", "unknown", "relevant",
           "present", "there", "here", "then", "need"},
    "unless": {"otherwise", "necessary", "needed", "required", "stated", "noted", "specified",
               "in", "at", "on", "under"},
    "once": {"again", "more", "in", "upon", "or", "a", "an", "the", "every", "before", "already",
             "daily", "weekly", "monthly", "yearly", "annually", "only", "twice"},
    "because": {"of", "as", "in", "like", "at", "on", "for", "with", "without", "during", "after", "before"},
    "as long as": {"possible", "necessary", "needed", "required", "ever", "you", "we", "they",
                   "i", "he", "she", "it", "there"},
}
# "because" must govern a clause or "of": any verbless remainder is wrong.  The others need a
# noun in the remainder to count (a reduced "if possible" has none).
_NEED_NOUN = {"if", "unless", "once", "as long as"}
_VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"})
_STOPS = frozenset({",", ".", ";", ":", "!", "?", "\u2014", "(", ")", '"', "\u201c", "\u201d"})


def _opener(doc, t) -> tuple[str, int] | None:
    """(conjunction, index of its last token) when ``t`` starts one of the conjunctions checked."""
    low = t.lower_
    if low in ("because", "if", "unless", "once"):
        if low == "once" and t.dep_ not in ("mark", "advmod"):
            return None
        if low == "if" and t.i > 0 and doc[t.i - 1].lower_ in ("as", "even", "what", "only"):
            return None  # "as if", "even if": other constructions
        return low, t.i
    if low == "as" and t.i + 2 < len(doc) and doc[t.i + 1].lower_ == "long" and doc[t.i + 2].lower_ == "as":
        if t.i > 0 and doc[t.i - 1].lower_ in ("twice", "half", "just", "so", "not", "three", "times"):
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
_CONJUNCTIONS = frozenset({"because", "if", "unless", "once", "although", "when", "while", "as"})


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
        if doc[j].lower_ in ("which", "who", "whose", "that"):
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


