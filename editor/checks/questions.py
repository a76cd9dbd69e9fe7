"""Questions in statement word order (rules MT303 declarative question, MT309 question heading).

Chinese marks a question only with a final particle or question mark; translated, the question
mark closes a statement ("Running every day is good?") or a headline fragment.
"""

from __future__ import annotations

from typing import Iterable

from editor.engine.lists import words

from .base import CheckContext, Hit
from .sentences import (
    FINITE_TAGS, SUBJECT_DEPS, WH_WORDS, Sentence, analysed_sentences, first_word, in_masked,
    is_finite, sentence_findings, span_words,
)

# --------------------------------------------------------------------------- MT303

TAG_WORDS = words("question-tag-words")


def _inverted(doc, s: Sentence, verb) -> bool:
    """Question word order: an auxiliary, modal or wh-word before the subject, or a tag."""
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    first = doc[first_word(doc, s)]
    if first.tag_ in ("WDT", "WP", "WP$", "WRB") or first.lower_ in WH_WORDS - {"that"}:
        return True
    for t in doc[s.start:s.end]:
        if t.tag_ in ("WDT", "WP", "WP$", "WRB") and t.i < verb.i and t.lower_ != "that":
            return True
    if subj is None:
        return verb.i == first_word(doc, s)
    for t in doc[s.start:subj.left_edge.i]:
        if t.tag_ == "MD" or t.lemma_ in ("be", "do", "have") and t.pos_ == "AUX":
            return True
        if t.lemma_ in ("be", "do", "have") and t.tag_ in FINITE_TAGS:
            return True
    # tag question / alternative: ", right?" ", isn't it?" "or not?"
    tail = [t for t in doc[max(s.start, s.end - 4):s.end]]
    if any(t.text == "," for t in tail) or any(t.lower_ in TAG_WORDS for t in tail[-2:]):
        return True
    if any(t.lower_ == "or" for t in doc[verb.i:s.end]):
        return True
    return False


def _question_clause(doc, s: Sentence):
    """The head of the clause a question mark closes, or None."""
    root = s.root
    # the last main clause (after a comma) carries the question
    cands = [root] + [c for c in root.children if c.dep_ in ("conj", "ccomp", "parataxis") and c.i > root.i]
    return cands[-1]


INVERTING_AUX = words("inverting-auxiliaries")


def find_declarative_question(doc, s: Sentence):
    """(span_start_tok, span_end_tok, kind, replacement) or None."""
    if s.term != "?" or s.words < 4:
        return None
    if any(t.text in (":", '"', "\u201c", "\u201d") for t in doc[s.start:s.end]):
        return None  # the question is quoted or follows a colon: its own clause is elsewhere
    verb = _question_clause(doc, s)
    if verb.pos_ not in ("VERB", "AUX") or not is_finite(verb):
        if s.finite_main:
            return None
        # headline-style fragment ending in "?"
        if any(t.tag_ in FINITE_TAGS or t.pos_ in ("VERB", "AUX") and is_finite(t)
               for t in doc[s.start:s.end]):
            return None
        if any(t.tag_ in ("WDT", "WP", "WP$", "WRB") for t in doc[s.start:s.end]):
            return None
        a, b = s.start, s.end
        return a, b, "fragment", None
    if _inverted(doc, s, verb):
        return None
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None or subj.i > verb.i:
        return None
    # clause start: "that"/"so" before the subject, else the subject
    a = subj.left_edge.i
    for c in verb.children:
        if c.dep_ in ("mark", "cc") and c.i < a:
            a = c.i
    if doc[a:subj.left_edge.i + 1][0].lower_ in INVERTING_AUX or (
            subj.left_edge.i > s.start and doc[subj.left_edge.i - 1].lower_ in INVERTING_AUX):
        return None  # already a question ("does X have …?") that the parse did not see as one
    if subj.dep_ == "expl":
        # topic-comment: something fronted before "there"
        a = first_word(doc, s)
        kind = "topic"
    else:
        kind = "declarative"
    return a, verb.i + 1, kind, _question_template(doc, a, subj, verb)


PLURAL_PRONOUNS = words("plural-pronouns")


def _question_template(doc, a: int, subj, verb):
    """Question word order for "[that] SUBJECT VERB" when it is mechanical, else None."""
    if subj.dep_ not in ("nsubj", "nsubjpass", "csubj") or any(
            t.text in (",", "(", ")") for t in doc[subj.left_edge.i:verb.i]):
        return None
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < verb.i]
    subj_text = doc[subj.left_edge.i:subj.right_edge.i + 1].text
    lead = doc[subj.left_edge.i]
    if lead.i == a and lead.pos_ != "PROPN" and lead.text != "I" and not lead.is_upper:
        subj_text = subj_text[:1].lower() + subj_text[1:]
    if subj.right_edge.i + 1 < verb.i and not auxes:
        return None  # words between subject and verb: not mechanical
    if auxes:
        first = auxes[0]
        if first.dep_ == "neg" or first.i <= subj.right_edge.i:
            return None
        rest = doc[first.i + 1:verb.i + 1].text
        out = f"{first.text} {subj_text} {rest}"
    elif verb.lemma_ == "be":
        out = f"{verb.text} {subj_text}"
    elif verb.tag_ in ("VBZ", "VBP", "VBD"):
        if verb.tag_ == "VBD":
            do = "did"
        else:
            plural = subj.tag_ in ("NNS", "NNPS") or subj.lower_ in PLURAL_PRONOUNS or any(
                c.dep_ == "conj" for c in subj.children)
            do = "do" if plural else "does"
        out = f"{do} {subj_text} {verb.lemma_}"
    else:
        return None
    if doc[a].text[:1].isupper():
        out = out[:1].upper() + out[1:]
    return out


def declarative_question(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT303: a question mark after declarative word order, or after a headline fragment."""
    for s, (a, b, kind, rep) in sentence_findings(ctx, find_declarative_question):
        doc = s.unit.doc
        if kind in options.get("skip_kinds", ()):
            continue
        start, end = span_words(doc, a, b)
        if rep and end != doc[b - 1].idx + len(doc[b - 1]):
            rep = None  # the span was shortened: no mechanical rewrite
        yield Hit(start, end, message=QUESTION_MESSAGES[kind], replacements=(rep,) if rep else (),
                  unit=s.unit)


QUESTION_MESSAGES = {
    "declarative": "A question in statement word order reads as translated (Chinese marks a "
                   "question only at the end). English puts the auxiliary first: \"Does X have …?\", "
                   "\"Is X …?\".",
    "topic": "A topic put in front of \"there is/are\" in a question is Chinese topic-comment "
             "order. Make the topic the subject: \"Does X have any Y?\" or \"Is there any Y in X?\".",
    "fragment": "A headline-style fragment with a question mark in running prose reads as "
                "translated. Write a full question: \"Does X cause Y?\", \"What are the effects of X?\".",
}


# --------------------------------------------------------------------------- MT309


def question_heading(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT309: a heading that ends in "?" but is not shaped as a question
    ("Winter swimming on the heart side effects?", "Running every day is good?")."""
    for unit in ctx.units:
        if unit.kind != "heading":
            continue
        doc = unit.doc
        for s in analysed_sentences(unit):
            if s.term != "?":
                continue
            r = find_declarative_question(doc, s)
            if r is None:
                continue
            a, b, kind, rep = r
            start, end = doc[s.start].idx, doc[s.end - 1].idx + len(doc[s.end - 1])
            if in_masked(unit, start, end):
                continue
            yield Hit(start, end, message=QUESTION_MESSAGES_HEADING[kind], unit=unit)


QUESTION_MESSAGES_HEADING = {
    "declarative": "This heading asks a question in statement word order, a pattern carried over "
                   "from Chinese. Write a real question (\"Is X good for Y?\", \"Does X help?\") or "
                   "a statement heading (\"X and Y\").",
    "topic": "This heading puts a topic in front of \"there is/are\" and adds a question mark: "
             "Chinese topic-comment order. Write \"Does X have any Y?\" or \"X: is there any Y?\".",
    "fragment": "This heading is a noun phrase with a question mark, a pattern carried over from "
                "Chinese headlines. Write a real question (\"Does X have side effects?\") or drop "
                "the question mark (\"Side effects of X\").",
}


