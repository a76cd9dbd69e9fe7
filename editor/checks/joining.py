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
        if not before.is_alpha:
            continue
        yield Hit(before.idx, first.idx + len(first.text), unit=unit,
                  replacements=(f"{before.text} and {first.text}",))


def noun_before_number(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT412: a common noun directly followed by a number ("income 2500 yuan"), unless the noun
    names a numbered thing ("page 5", "top 20")."""
    for unit, t in prose_tokens(ctx):
        doc = unit.doc
        if t.i + 1 >= len(doc) or t.tag_ != "NN" or not t.is_alpha or t.is_upper or t.is_title:
            continue
        n = doc[t.i + 1]
        if n.tag_ != "CD" or t.lower_ in NUMBERED_LABELS:
            continue
        if n.i + 2 < len(doc) and doc[n.i + 2].lower_ in _MEASURE_ADVERBS:
            continue  # "an orbit 30 kilometres away": a measure phrase of its own
        yield Hit(t.idx, n.idx + len(n.text), unit=unit)


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
            if last.tag_ == "VBG" and head.tag_ != "VBG":
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
