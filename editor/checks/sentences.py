"""Sentence analysis shared by the sentence-structure checks (rules MT301-MT310).

Every check works on the parse spaCy already made: one pass over the tokens of each sentence,
no re-parsing.  The per-sentence analysis (:class:`Sentence`: where its words start and end, its
terminal punctuation, whether its main clause has a finite verb) is cached on the Doc
(``doc.user_data``), so running several checks costs one analysis.

Only running prose is checked: units of kind ``paragraph`` or ``blockquote``, sentences that end
with terminal punctuation and contain no masked (non-prose) text.  Headings, list items,
captions, labels and table cells use fragments and bare questions normally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from editor.engine.lists import words

from .base import CheckContext, Unit

PROSE_KINDS = frozenset({"paragraph", "blockquote"})
FINITE_TAGS = frozenset({"VBZ", "VBD", "VBP", "MD"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
CLOSERS = frozenset({'"', "'", "\u201d", "\u2019", ")", "]", "\u300d", "\u300f"})
OPENERS = frozenset({'"', "'", "\u201c", "\u2018", "(", "[", "-", "\u2014", "\u2013"})
# Subordinators that make a clause dependent when they introduce it.
SUBORDINATORS = words("subordinators")
WH_WORDS = words("wh-words")
# Sentence openers skipped before looking for the first word of the clause.
LEADING_SKIP = words("leading-skip")
SAY_VERBS = words("say-verbs")


# --------------------------------------------------------------------------- analysis


@dataclass
class Sentence:
    """What the checks need to know about one sentence of running prose."""

    unit: Unit
    start: int  # token index of the first word (after leading quotes/brackets)
    end: int  # token index after the last word (before terminal punctuation and closers)
    term: str  # terminal punctuation: "." "!" "?" or "" (none)
    words: int  # alphabetic tokens
    root: object
    finite_main: bool = False
    signals: list = field(default_factory=list)  # (name, start_char, end_char)


def is_finite(tok) -> bool:
    """A verb that carries tense itself or through its auxiliaries."""
    if tok.tag_ in FINITE_TAGS:
        return True
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and (c.tag_ in FINITE_TAGS or c.lower_ in ("do", "does", "did")):
            return True
    return False


def has_subject(tok) -> bool:
    return any(c.dep_ in SUBJECT_DEPS for c in tok.children)


def in_masked(unit: Unit, a: int, b: int) -> bool:
    return unit.touches_masked(a, b)


def analysed_sentences(unit: Unit) -> list[Sentence]:
    """The analysed sentences of a prose unit (cached on the doc)."""
    doc = unit.doc
    cache = doc.user_data.get("mt3_structure")
    if cache is not None:
        for s in cache:
            s.unit = unit
        return cache
    out: list[Sentence] = []
    for sent in doc.sents:
        i, j = sent.start, sent.end
        while j > i and (doc[j - 1].is_space or doc[j - 1].text in CLOSERS):
            j -= 1
        term = ""
        while j > i and doc[j - 1].text in (".", "!", "?", "...", "\u2026", "?!", "!?", "\u3002", "\uff1f", "\uff01"):
            term = term or doc[j - 1].text
            j -= 1
        if term in ("\u3002",):
            term = "."
        elif term in ("\uff1f", "?!", "!?"):
            term = "?"
        elif term in ("\uff01",):
            term = "!"
        elif term in ("...", "\u2026"):
            term = ""  # trailing off: not a full sentence boundary
        while j > i and doc[j - 1].text in CLOSERS:
            j -= 1
        while i < j and (doc[i].is_space or doc[i].text in OPENERS or doc[i].is_punct):
            i += 1
        if i >= j:
            continue
        if in_masked(unit, doc[i].idx, doc[j - 1].idx + len(doc[j - 1])):
            continue
        words = sum(1 for t in doc[i:j] if t.is_alpha)
        root = sent.root
        finite_main = is_finite(root) and root.pos_ in ("VERB", "AUX")
        if not finite_main:
            for c in root.children:
                if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and is_finite(c):
                    finite_main = True
                    break
        out.append(Sentence(unit, i, j, term, words, root, finite_main))
    doc.user_data["mt3_structure"] = out
    return out


def prose_sentences(ctx: CheckContext, unclosed_words: int | None = None) -> Iterator[Sentence]:
    """Sentences of running prose: prose units, and sentences closed by . ! or ?

    With ``unclosed_words``, also sentences without closing punctuation of at least that many
    words (a paragraph of scraped text that ends on ";" or "…" is still prose, not a heading)."""
    for unit in ctx.units:
        if unit.kind not in PROSE_KINDS:
            continue
        for s in analysed_sentences(unit):
            if s.term or (unclosed_words is not None and s.words >= unclosed_words):
                yield s


def unit_tokens(ctx: CheckContext) -> Iterator[tuple[Unit, object]]:
    """(unit, token) for every token of every unit, in document order (the grammar checks read
    headings and list items too, unlike the sentence checks)."""
    for unit in ctx.units:
        for t in unit.tokens:
            yield unit, t


def sentence_findings(ctx: CheckContext, find, *args) -> Iterator[tuple[Sentence, object]]:
    """(sentence, result) for every sentence of running prose (closed by . ! or ?) where
    ``find(doc, sentence, *args)`` is not None."""
    for s in prose_sentences(ctx):
        found = find(s.unit.doc, s, *args)
        if found is not None:
            yield s, found


def span_words(doc, i: int, j: int, max_chars: int = 50) -> tuple[int, int]:
    """Char span of tokens i..j-1, shortened to whole tokens within max_chars."""
    start = doc[i].idx
    end = doc[i].idx + len(doc[i])
    for k in range(i + 1, j):
        e = doc[k].idx + len(doc[k])
        if e - start > max_chars:
            break
        end = e
    return start, end


def first_word(doc, s: Sentence) -> int:
    """Index of the first word of the clause, after leading conjunctions and commas."""
    k = s.start
    while k < s.end and (doc[k].lower_ in LEADING_SKIP or doc[k].text == ","):
        k += 1
    return k
