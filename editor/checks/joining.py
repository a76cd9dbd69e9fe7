"""Words run together without the word English needs between them (rules MT308, MT411, MT412).

Chinese lists verb phrases and noun phrases with a comma or the enumeration comma 、 alone, and
puts a figure straight after the noun it measures ("收入2500元"); translated word for word, English
is left with "checked the accounts, interviewed staff" and "special groups, vulnerable groups" (no
"and") and "income 2500 yuan" (no "of" or verb).  The checks read only the tags and the dependency
parse spaCy already produced.
"""

from __future__ import annotations

from typing import Iterable

from editor.engine.lists import words
from editor.checks.base import CheckContext, Hit, prose_tokens
from editor.checks.news import negated, own_predicate_after
from editor.checks.sentences import PROSE_KINDS, has_subject, in_masked

# Punctuation before a noun phrase that introduces an apposition or an aside, not a list item.
_ASIDE_OPENERS = frozenset({"-", "--", "\u2014", "\u2013", ":", "(", '"', "\u201c"})

# Nouns that name a numbered thing ("page 5", "route 66", "top 20", "Day 1", "covid-19"); also
# used by TY102 for a hyphen before a number.
NUMBERED_LABELS = words("numbered-labels")


# Words after "NUMBER UNIT" that make it a measure phrase modifying what precedes it.
_MEASURE_ADVERBS = words("measure-adverbs")


def comma_joined_nouns(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT411: a bare noun phrase that the parser can only attach to the noun before it as an
    apposition, after a comma ("activity classes, elective courses"): a list of two without
    "and"."""
    for unit, t in prose_tokens(ctx):
        if t.dep_ != "appos" or t.tag_ not in ("NN", "NNS") or t.head.tag_ not in ("NN", "NNS"):
            continue
        if any(c.dep_ in ("det", "poss", "nummod") for c in t.children):
            continue  # "my brother, a doctor": a real apposition
        if any(c.dep_ == "nummod" for c in t.head.children):
            continue
        doc = unit.doc
        first = t.left_edge
        if first.text in _ASIDE_OPENERS or (first.i > 0 and doc[first.i - 1].text in _ASIDE_OPENERS):
            continue
        if any(x.like_num or x.text == "%" for x in doc[first.i:t.i + 1]):
            continue
        if first.i < 2 or doc[first.i - 1].text != ",":
            continue
        after = t.i + 1
        if after >= len(doc) or doc[after].text in (".", "!", "?", ";"):
            continue  # "…, like many things in the world, gender.": a closing apposition
        before = doc[first.i - 2]
        if not before.is_alpha or _not_a_bare_list(doc, before, t):
            continue
        yield Hit(before.idx, first.idx + len(first.text), unit=unit,
                  replacements=(f"{before.text} and {first.text}",))


# What may follow the second phrase when it is an aside, not a list item: "little midges -- and
# they …", "social status — where …".
_PHRASE_CLOSERS = frozenset({";", ":", "--", "\u2014", "\u2013"})


def _not_a_bare_list(doc, before, second) -> bool:
    """Whether "X, Y" is something other than a two-item list without "and": after "for
    example," ("like, for example, mountain climbing"); a list that has its ", and" or ", or"
    after the second item ("closet space, poor heating, and old pipes"); an aside that runs to a dash
    ("tiny flies, little midges -- and they …"); an idiom like "weight for weight"."""
    if before.lower_ in ("example", "instance") and before.i > 0 and doc[before.i - 1].lower_ == "for":
        return True
    nxt = second.right_edge.i + 1
    if nxt >= len(doc) or doc[nxt].text in _PHRASE_CLOSERS:
        return True
    if doc[nxt].text == "," and nxt + 1 < len(doc) and doc[nxt + 1].lower_ in ("and", "or"):
        return True
    if any(c.dep_ == "cc" and doc[c.i - 1].text == "," for c in second.children):
        return True
    return any(c.dep_ == "prep" and any(g.lemma_ == second.lemma_ for g in c.children) for c in second.children)


def noun_before_number(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT412: a common noun directly followed by a number ("income 2500 yuan"), unless the noun
    names a numbered thing ("page 5", "top 20")."""
    for unit, t in prose_tokens(ctx):
        doc = unit.doc
        if t.i + 1 >= len(doc) or t.tag_ != "NN" or not t.is_alpha or t.is_upper or t.is_title:
            continue
        n = doc[t.i + 1]
        if n.tag_ != "CD" or t.lower_ in NUMBERED_LABELS or len(t.text) < 3 or _number_starts_phrase(doc, n):
            continue
        if n.i + 2 < len(doc) and doc[n.i + 2].lower_ in _MEASURE_ADVERBS:
            continue  # "an orbit 30 kilometres away": a measure phrase of its own
        yield Hit(t.idx, n.idx + len(n.text), unit=unit)


def _number_starts_phrase(doc, n) -> bool:
    """Whether the number after the noun belongs to what follows, not to the noun: "one" as a
    determiner ("the more inequality one country has", "for example one man", "one more time"),
    or a year that starts a range or ends the phrase ("in the period 1969 to 1982")."""
    nxt = doc[n.i + 1] if n.i + 1 < len(doc) else None
    if n.lower_ == "one":
        return nxt is not None and nxt.pos_ in ("NOUN", "ADJ", "PROPN")
    if len(n.text) == 4 and n.text.isdigit() and 1500 <= int(n.text) <= 2099:
        return nxt is None or nxt.pos_ not in ("NOUN", "PROPN")
    return False


def _coordination(head) -> list:
    """Every conjunct of the coordination that ``head`` opens (conj of conj included)."""
    out, stack = [], [head]
    while stack:
        x = stack.pop()
        cs = [c for c in x.children if c.dep_ == "conj"]
        out.extend(cs)
        stack.extend(cs)
    return out


def missing_conjunction(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT308: a series of verb phrases joined only by commas, with no "and" before the last one.

    Chinese lists actions with a comma (or 、) alone; English puts "and" before the last item
    ("checked the accounts, interviewed staff and closed the case").  Only verb series whose
    last member has no subject of its own are flagged (with a subject it is a comma splice).
    """
    for unit in ctx.units:
        if unit.kind not in PROSE_KINDS:
            continue
        doc = unit.doc
        for head in doc:
            if head.dep_ == "conj" or head.pos_ != "VERB":
                continue
            conjs = _coordination(head)
            if not conjs:
                continue
            members = [head, *conjs]
            if any(c.dep_ in ("cc", "preconj") for m in members for c in m.children):
                continue
            last = max(conjs, key=lambda c: c.i)
            if last.pos_ != "VERB" or has_subject(last):
                continue
            # "…, doing the sums, writing the code": a string of participles is a loose English
            # series (and after a finite verb an adverbial phrase), not a Chinese run of actions
            if last.tag_ == "VBG":
                continue
            le = last.left_edge.i
            if le < 2 or doc[le - 1].text not in (",", "\u3001"):
                continue
            before = doc[le - 2]
            if before.is_punct:
                continue
            first = doc[le]
            start, end = before.idx, first.idx + len(first)
            if in_masked(unit, start, end):
                continue
            tail = doc.text[first.idx:end]
            # "and" puts the last verb under a negation of the first ("cannot start, replace …")
            # and cannot join a phrase that has a predicate of its own: then only show it
            sure = not any(negated(m) for m in members) and not own_predicate_after(doc, last.i)
            yield Hit(start, end, replacements=(f"{before.text} and {tail}",), unit=unit,
                      applicability=None if sure else "display-only")
