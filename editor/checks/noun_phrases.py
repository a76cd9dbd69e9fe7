"""Determiners and number in noun phrases (rules MT401 the + gerund, MT403 missing article,
MT404 quantifier + singular noun, MT405 "one of the" + singular noun)."""

from __future__ import annotations

from typing import Iterable

from editor.engine.lists import word_list, words
from editor.engine.lists import word_pairs

from .base import CheckContext, Hit
from .inflection import match_case, plural_noun
from .sentences import unit_tokens

# Singular nouns that read as plural or uncountable after a quantifier: never flagged.
NUMBER_NEUTRAL = words("number-neutral-nouns")


# --------------------------------------------------------------------------------------------
# MT401 "the" before a gerund used as a noun ("in the backward walking")
# --------------------------------------------------------------------------------------------

LEXICAL_ING = words("lexical-ing-nouns")
GERUND_FOLLOWERS = words("gerund-followers")


def the_gerund(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit, det in unit_tokens(ctx):
        doc = unit.doc
        if det.lower_ != "the" or det.dep_ != "det":
            continue
        head = det.head
        if head.i <= det.i or head.i - det.i > 4:
            continue
        low = head.lower_
        if not low.endswith("ing") or low in LEXICAL_ING or head.tag_ not in {"VBG", "NN"}:
            continue
        if head.dep_ == "compound" or (head.i + 1 < len(doc) and doc[head.i + 1].pos_ in {"NOUN", "PROPN"}):
            continue
        if any(c.dep_ in {"prep", "relcl", "acl"} for c in head.children) or (
            head.i + 1 < len(doc) and doc[head.i + 1].lower_ in GERUND_FOLLOWERS
        ):
            continue
        if any(c.dep_ in {"dobj", "nsubj"} for c in head.children):
            continue
        # only adjectives/adverbs between "the" and the gerund, and at least one of them:
        # "the backward walking" reads translated, "the bending is large" is fine English
        between = doc[det.i + 1: head.i]

        def modifier(t) -> bool:
            hyphen = t.tag_ == "HYPH" or (t.i + 1 < len(doc) and doc[t.i + 1].tag_ == "HYPH") or (
                t.i > 0 and doc[t.i - 1].tag_ == "HYPH")
            return t.pos_ in {"ADJ", "ADV"} or hyphen

        if options.get("require_modifier", True) and not any(t.pos_ == "ADJ" or t.tag_ in {"JJ", "HYPH"} for t in between):
            continue
        if not all(modifier(t) for t in between):
            continue
        if any(c.dep_ in {"cc", "conj"} for c in head.children):
            continue  # "the squeezing and stretching of space"
        nxt = doc[det.i + 1]
        if det.text[:1].isupper():
            edits = ((det.idx, nxt.idx + 1, nxt.text[:1].upper()),)
        else:
            edits = ((det.idx, nxt.idx, ""),)
        yield Hit(det.idx, head.idx + len(head.text), unit=unit, edits=edits)


# --------------------------------------------------------------------------------------------
# MT403 missing article before a singular countable noun ("choose flat road")
# --------------------------------------------------------------------------------------------

COUNTABLE = words("countable-nouns")
ARTICLE_FREE_MODIFIERS = words("article-free-modifiers")
IDIOM_LINKS = words("idiom-links")
BARE_NOUN_PREPOSITIONS = words("bare-noun-prepositions")


def missing_article(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    nouns = set(options.get("nouns", COUNTABLE))
    require_adj = options.get("require_adjective", True)
    for unit, noun in unit_tokens(ctx):
        doc = unit.doc
        if noun.tag_ != "NN" or noun.lower_ not in nouns or noun.dep_ not in {"dobj", "pobj", "attr"}:
            continue
        if any(c.lower_ in ARTICLE_FREE_MODIFIERS for c in noun.children):
            continue
        kids = list(noun.children)
        if any(c.dep_ in {"det", "poss", "nummod", "predet", "compound", "nmod"} for c in kids):
            continue
        left = [c for c in kids if c.i < noun.i]
        amods = [c for c in left if c.dep_ == "amod"]
        if require_adj and not amods:
            continue
        if any(c.dep_ not in {"amod", "advmod"} for c in left):
            continue
        start_tok = noun.left_edge
        prev = doc[start_tok.i - 1] if start_tok.i > 0 else None
        if prev is None or prev.pos_ in {"DET", "NUM", "PRON", "PROPN", "PUNCT"} or prev.tag_ in {"PRP$", "POS"}:
            continue
        if noun.i + 1 < len(doc) and (doc[noun.i + 1].pos_ in {"NOUN", "PROPN", "NUM"} or doc[noun.i + 1].lower_ in IDIOM_LINKS):
            continue  # "step by step", "day after day", "hand to hand"
        if noun.dep_ == "pobj" and noun.head.lower_ in BARE_NOUN_PREPOSITIONS and not amods:
            continue
        if any(t.pos_ in {"ADJ"} and t.tag_ in {"JJS", "JJR"} for t in amods):
            continue
        article = "an" if start_tok.lower_[:1] in "aeio" else "a"
        yield Hit(start_tok.idx, noun.idx + len(noun.text), unit=unit,
                  replacements=(article + " " + doc[start_tok.i: noun.i + 1].text,))


# --------------------------------------------------------------------------------------------
# MT404 quantifier + singular noun ("many benefit", "several problem")
# --------------------------------------------------------------------------------------------

PLURAL_QUANTIFIERS = words("plural-quantifiers")


def _noun_head_after(doc, q):
    """The noun that heads the phrase starting right after ``q``, skipping adjectives."""
    j = q.i + 1
    while j < len(doc) and doc[j].tag_ in {"JJ", "JJR", "JJS", "RB", "VBN", "HYPH"} and j - q.i <= 3:
        j += 1
    return doc[j] if j < len(doc) else None


MASS_NOUNS = words("mass-nouns")
# quantifier → the word to use with a mass noun instead ("these money" → "this money")
MASS_QUANTIFIER = word_pairs("mass-quantifiers")
NUMBER_NEUTRAL_ENDINGS = word_list("number-neutral-endings")


def quantifier_singular(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    quants = set(options.get("quantifiers", PLURAL_QUANTIFIERS))
    for unit, q in unit_tokens(ctx):
        doc = unit.doc
        if q.lower_ not in quants:
            continue
        if q.lower_ == "few" and not (q.i > 0 and doc[q.i - 1].lower_ in {"a", "very"}):
            continue
        if q.lower_ == "many" and q.i + 1 < len(doc) and doc[q.i + 1].lower_ == "a":
            continue
        if q.i > 0 and doc[q.i - 1].lower_ in {"and", "joint"} and q.lower_ == "several":
            continue  # "joint and several liability"
        noun = _noun_head_after(doc, q)
        if noun is None or noun.tag_ != "NN" or noun.pos_ != "NOUN" or not noun.is_alpha:
            continue
        if not noun.text.islower():
            continue
        low = noun.lower_
        mass = low in MASS_NOUNS
        if mass and not options.get("mass_nouns", False):
            continue
        if not mass and (low in NUMBER_NEUTRAL or low.endswith(NUMBER_NEUTRAL_ENDINGS)):
            continue
        if noun.dep_ == "compound" or (noun.i + 1 < len(doc) and doc[noun.i + 1].pos_ in {"NOUN", "PROPN"}):
            continue
        if any(c.dep_ in {"cc", "conj"} for c in noun.children) or noun.dep_ == "conj":
            continue  # "both husband and wife", "various disinfection and other products"
        if noun.dep_ == "ROOT" and q.dep_ in {"nsubj"}:
            continue  # "many benefit from it": the noun is a verb here
        if q.head != noun and not (q.head.i > q.i and q.head.i <= noun.i):
            continue
        # a verb reading after a pronoun-like quantifier: "those interested", "these include"
        if q.lower_ in {"these", "those", "both"} and (noun.i + 1 >= len(doc) or noun.nbor(1).pos_ in {"DET", "PRON", "ADP"}) and not mass:
            continue
        start = noun.idx if options.get("noun_only") else q.idx
        end = noun.idx + len(noun.text)
        if mass:
            alt = MASS_QUANTIFIER.get(q.lower_)
            if alt is None:
                yield Hit(start, end, unit=unit, message=options.get("mass_message"))
            else:
                yield Hit(start, end, unit=unit, message=options.get("mass_message"),
                          edits=((q.idx, q.idx + len(q.text), match_case(q.text, alt)),))
            continue
        yield Hit(start, end, unit=unit, edits=((noun.idx, end, plural_noun(noun.text)),))


# --------------------------------------------------------------------------------------------
# MT405 "one of the" + singular noun ("one of the reason")
# --------------------------------------------------------------------------------------------

ONE_OF_DETERMINERS = words("one-of-determiners")
ONE_OF_COUNTABLE = words("one-of-singular-nouns")


def one_of_singular(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit in ctx.units:
        doc = unit.doc
        for one in doc[:-3]:
            if one.lower_ != "one" or doc[one.i + 1].lower_ != "of":
                continue
            det = doc[one.i + 2]
            if det.lower_ not in ONE_OF_DETERMINERS:
                continue
            j = one.i + 3
            while j < len(doc) and (doc[j].tag_ in {"JJ", "JJR", "JJS", "RBS", "RB", "HYPH", "VBN"} or doc[j].lower_ == "most") and j - one.i <= 6:
                j += 1
            if j >= len(doc):
                continue
            noun = doc[j]
            if noun.tag_ != "NN" or not noun.is_alpha or not noun.text.islower():
                continue
            if noun.lower_ in NUMBER_NEUTRAL - ONE_OF_COUNTABLE or noun.lower_.endswith(("ing", "ness")):
                continue
            if noun.dep_ == "compound" or (j + 1 < len(doc) and noun.head == doc[j + 1] and doc[j + 1].pos_ in {"NOUN", "PROPN"}):
                continue
            if j + 1 < len(doc) and doc[j + 1].text == "'s":
                continue
            if noun.lower_ in {"time"} and j + 1 < len(doc) and doc[j + 1].lower_ in {"of", "when"}:
                continue
            yield Hit(one.idx, noun.idx + len(noun.text), unit=unit,
                      edits=((noun.idx, noun.idx + len(noun.text), plural_noun(noun.text)),))


