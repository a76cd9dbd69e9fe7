"""Broken verb groups (rules MT201-MT206): be + bare verb, be + modal, the passive of a verb
that has none, a causative with a finite complement, a modal + inflected verb.

Every check walks the tokens of each unit once and reads only the tags and the dependency parse
spaCy already produced.  Fixes are single-span replacements or, for deletions that must also
remove a space, ``edits``.
"""

from __future__ import annotations

from typing import Iterable

from editor.engine.lists import words
from editor.engine.lists import word_pairs

from .base import CheckContext, Hit
from .inflection import (
    is_base_verb, match_case, past_lemma, past_tense, third_singular, third_singular_lemma,
)
from .sentences import FINITE_TAGS, unit_tokens

BE_FINITE = word_pairs("finite-be")
MODALS = words("modals")

# Adverbs that may sit inside a verb group without changing the analysis.
GROUP_ADVERBS = words("verb-group-adverbs")

# Intransitive verbs that have no passive: "was happened", "is existed".
NO_PASSIVE = word_pairs("no-passive-verbs")


# --------------------------------------------------------------------------------------------
# MT201 be + bare verb ("is also need to")
# --------------------------------------------------------------------------------------------

def _pseudo_cleft(be) -> bool:
    """"What we did was go home", "All you have to do is click": a bare verb after be is fine."""
    sent = be.sent
    for tok in sent:
        if tok.i >= be.i:
            break
        if tok.lemma_ == "do" or tok.lower_ in {"what", "all"}:
            return True
    return False


def _be_groups(doc):
    """(be, the form it carries, the adverbs after it, index of the word after them) for every
    finite "be" followed, after up to two adverbs, by a word."""
    for be in doc:
        form = BE_FINITE.get(be.lower_)
        if form is None:
            continue
        j = be.i + 1
        advs = []
        while j < len(doc) and doc[j].lower_ in GROUP_ADVERBS and len(advs) < 2:
            advs.append(doc[j])
            j += 1
        if j < len(doc):
            yield be, form, advs, j


def _past_words(doc, i: int, skipped) -> int:
    """Index of the first token after token ``i`` that is not one of the ``skipped`` words (at
    most two of them are skipped)."""
    j = i + 1
    while j < len(doc) and doc[j].lower_ in skipped and j - i <= 2:
        j += 1
    return j


TO_INFINITIVE_VERBS = words("to-infinitive-verbs")


def be_bare_verb(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """A finite "be" followed (after adverbs) by a bare verb: "is also need to", "are use"."""
    for unit in ctx.units:
        doc = unit.doc
        for be, form, advs, j in _be_groups(doc):
            if be.pos_ not in {"AUX", "VERB"}:
                continue
            verb = doc[j]
            low = verb.lower_
            if not is_base_verb(low) or verb.tag_ in {"VBN", "VBG", "VBD", "VBZ", "NNS", "NNP", "MD", "CD"}:
                continue
            if any(c.dep_ == "expl" for c in be.children) or any(c.dep_ == "expl" for c in be.head.children):
                continue  # "there is need to"
            nxt = doc[j + 1] if j + 1 < len(doc) else None
            # evidence that the word is used as a verb here
            verbal = verb.tag_ in {"VB", "VBP"} and verb.pos_ in {"VERB", "AUX"}
            to_inf = nxt is not None and nxt.lower_ == "to" and low in TO_INFINITIVE_VERBS
            if not (verbal or to_inf) or _pseudo_cleft(be):
                continue
            span_start, span_end = be.idx, verb.idx + len(verb.text)
            neg = next((k for k, a in enumerate(advs) if a.lower_ in ("not", "n't")), None)
            if neg is not None:
                # "is not need to" / "isn't know": a negated simple tense needs "do"
                do = third_singular("do") if form == "3sg" else past_tense("do") if form == "past" else "do"
                before = [a.text for a in advs[:neg]]
                after = [a.text for a in advs[neg + 1:]]
                negation = "n't" if advs[neg].lower_ == "n't" else " not"
                text = " ".join([*before, do + negation, *after, low])
                if be.text[:1].isupper():
                    text = text[:1].upper() + text[1:]
                yield Hit(span_start, span_end, unit=unit, replacements=(text,))
                continue
            # build the fix: drop "be", inflect the verb for the subject and tense be carried
            if form == "3sg":
                new = third_singular(low)
            elif form == "past":
                new = past_tense(low)
            else:
                new = low
            new_verb = match_case(verb.text, new) if new else None
            repl: tuple[str, ...] = ()
            if new_verb:
                words = [a.text for a in advs] + [new_verb]
                text = " ".join(words)
                if be.text[:1].isupper():
                    text = text[:1].upper() + text[1:]
                repl = (text,)
            yield Hit(span_start, span_end, unit=unit, replacements=repl)


# --------------------------------------------------------------------------------------------
# MT202 be + modal ("are must", "is can")
# --------------------------------------------------------------------------------------------

BE_MODAL_ADVERBS = words("be-modal-adverbs")
MODAL_FILLERS = words("modal-verb-fillers")


def be_modal(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit, be in unit_tokens(ctx):
        doc = unit.doc
        if be.lower_ not in BE_FINITE:
            continue
        j = _past_words(doc, be.i, BE_MODAL_ADVERBS)
        if j >= len(doc):
            continue
        md = doc[j]
        if md.lower_ not in MODALS or md.tag_ != "MD":
            continue
        # the modal must govern a verb right after it: "is must see" reads as "is a must"
        k = _past_words(doc, j, MODAL_FILLERS)
        if k >= len(doc) or not (is_base_verb(doc[k].lower_) or doc[k].lower_ == "be" or doc[j + 1].lower_ == "be"):
            continue
        if doc[k].tag_ in {"NN", "NNS", "NNP"} and doc[k].dep_ not in {"ROOT", "ccomp", "conj"} and doc[k].head != md:
            continue
        inner = doc[be.i + 1: j + 1].text
        if be.text[:1].isupper():
            inner = inner[:1].upper() + inner[1:]
        yield Hit(be.idx, md.idx + len(md.text), unit=unit, replacements=(inner,))


# --------------------------------------------------------------------------------------------
# MT203 passive of a verb that has none ("was happened")
# --------------------------------------------------------------------------------------------

ADJECTIVAL_PARTICIPLES = words("adjectival-participles")


def passive_intransitive(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit in ctx.units:
        doc = unit.doc
        for be, form, advs, j in _be_groups(doc):
            verb = doc[j]
            lemma = NO_PASSIVE.get(verb.lower_)
            if lemma is None:
                continue
            if verb.lower_ in ADJECTIVAL_PARTICIPLES and (
                verb.tag_ == "JJ" or (j + 1 < len(doc) and doc[j + 1].lower_ in {"to"})
            ):
                continue
            if lemma == "succeed" and j + 1 < len(doc) and doc[j + 1].lower_ == "by":
                continue  # "was succeeded by her deputy" is a real passive
            if form == "past":
                new = verb.text if verb.lower_ != "arisen" else "arose"
            elif form == "3sg":
                new = third_singular(lemma)
            else:
                new = lemma
            words = [a.text for a in advs] + [new]
            text = " ".join(words)
            if be.text[:1].isupper():
                text = text[:1].upper() + text[1:]
            yield Hit(be.idx, verb.idx + len(verb.text), unit=unit, replacements=(text,))


# --------------------------------------------------------------------------------------------
# MT204 causative with a finite complement ("makes the cells are protected")
# --------------------------------------------------------------------------------------------

_GET_FOR_MAKE = word_pairs("causative-get")
RELATIVE_PRONOUNS = words("relative-pronouns")
UNCHANGED_PAST = words("unchanged-past-verbs")


def causative_finite(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    max_len = int(options.get("max_span", 50))
    for unit, cause in unit_tokens(ctx):
        doc = unit.doc
        if cause.lemma_ not in {"make", "let"} or cause.pos_ != "VERB":
            continue
        if cause.i + 1 < len(doc) and doc[cause.i + 1].lower_ in {"sure", "certain", "'s"}:
            continue  # "make sure the doors are locked", "let's"

        for comp in cause.children:
            if comp.i <= cause.i or comp.dep_ not in {"ccomp", "xcomp", "dep", "advcl"}:
                continue
            if any(c.dep_ == "mark" for c in comp.children):
                continue
            subj = [c for c in comp.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < comp.i]
            if not subj:
                # the parser may attach the noun phrase to the causative as its object and
                # the finite verb as a subjectless ccomp: accept it when the two are adjacent
                obj = [c for c in cause.children if c.dep_ == "dobj" and c.i < comp.i]
                first = comp.left_edge
                if obj and obj[0].right_edge.i + 1 == first.i and first.tag_ in {"VBZ", "VBP", "VBD", "MD"}:
                    subj = obj
            if not subj or subj[0].left_edge.i != cause.i + 1:
                continue
            if subj[0].lower_ in RELATIVE_PRONOUNS:
                continue
            finite = None
            for c in comp.children:
                if c.dep_ in {"aux", "auxpass"} and c.tag_ in FINITE_TAGS and c.i > subj[0].i:
                    finite = c
                    break
            if finite is None and comp.tag_ in {"VBZ", "VBP", "VBD"} and comp.lower_ not in UNCHANGED_PAST:
                finite = comp
            if finite is None:
                continue
            if finite.is_ancestor(cause) or comp.is_ancestor(cause) or (
                    cause.dep_ == "relcl" and cause.head.dep_ == "ROOT" and cause.head.pos_ in {"NOUN", "PROPN"}):
                continue  # "the firm that made the parts had to pay": the finite verb is the sentence's own
            # nothing but the subject phrase between the causative and the finite verb
            if any(t.is_punct for t in doc[cause.i + 1: finite.i]):
                continue
            end_tok = comp if comp.i >= finite.i else finite
            start = cause.idx
            end = end_tok.idx + len(end_tok.text)
            if end - start > max_len:
                start = finite.idx
            if finite.lemma_ == "be":
                yield _drop_be(unit, cause, finite, start, end)
            elif finite is comp:
                lemma = comp.lemma_ if comp.lemma_ != comp.lower_ else (third_singular_lemma(comp.lower_) or past_lemma(comp.lower_))
                if lemma:
                    yield Hit(start, end, unit=unit, edits=((comp.idx, comp.idx + len(comp.text), lemma),))
                else:
                    yield Hit(start, end, unit=unit)
            else:
                yield Hit(start, end, unit=unit)
            break


def _drop_be(unit, cause, finite, start: int, end: int) -> Hit:
    """"make the skin is soft" → "make the skin soft" (drop be); with a participle, "make the
    muscles are exercised" → "get the muscles exercised" (causative get). The hit's span holds
    every edit: "be" goes with the space after it inside the span, with the space before it at
    the span's end; a span shortened to the finite verb starts at "make" again when "make"
    becomes "get"."""
    doc = unit.doc
    be_end = finite.idx + len(finite.text)
    nxt = doc[finite.i + 1] if finite.i + 1 < len(doc) else None
    prev = doc[finite.i - 1]
    if nxt is not None and end > be_end:
        edits: tuple = ((finite.idx, nxt.idx, ""),)
    else:
        edits = ((prev.idx + len(prev.text), be_end, ""),)
        start = min(start, prev.idx)
    get = _GET_FOR_MAKE.get(cause.lower_)
    if cause.lemma_ == "make" and get and nxt is not None and nxt.tag_ == "VBN":
        edits = ((cause.idx, cause.idx + len(cause.text), get),) + edits
        start = cause.idx
    return Hit(start, end, unit=unit, edits=edits)


# --------------------------------------------------------------------------------------------
# MT206 modal + inflected verb ("can helps", "will caused")
# --------------------------------------------------------------------------------------------

def modal_inflected(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    include_past = options.get("past", True)
    for unit, md in unit_tokens(ctx):
        doc = unit.doc
        if md.tag_ != "MD" or md.lower_ not in MODALS:
            continue
        j = _past_words(doc, md.i, GROUP_ADVERBS)
        if j >= len(doc):
            continue
        verb = doc[j]
        low = verb.lower_
        if verb.is_punct or verb.tag_ in {"NNP", "NNPS", "CD"} or not verb.is_alpha:
            continue
        if j + 1 < len(doc) and doc[j + 1].text == "'s":
            continue
        lemma = third_singular_lemma(low)
        kind = "3sg"
        if lemma is None and include_past:
            if verb.tag_ in {"VBN", "VBD", "VB", "VBP", "JJ"} or low.endswith("ed"):
                lemma = past_lemma(low)
                kind = "past"
        if lemma is None:
            continue
        if kind == "3sg" and verb.tag_ in {"NNS"} and verb.dep_ not in {"ROOT", "conj", "ccomp", "xcomp", "advcl", "relcl"}:
            continue
        # "will" as a noun is tagged NN and "may" as a month NNP: only MD-tagged modals get here
        new = match_case(verb.text, lemma)
        yield Hit(verb.idx if options.get("verb_only") else md.idx, verb.idx + len(verb.text), unit=unit,
                  replacements=(doc[md.i: j].text + " " + new,) if not options.get("verb_only") else (new,))


# --------------------------------------------------------------------------------------------
