"""Sentence-structure checks for machine translation from Chinese (rules MT301-MT399).

Every check works on the parse spaCy already made: one pass over the tokens of each sentence,
no re-parsing.  The per-sentence analysis is shared by all the checks of this module and cached
on the Doc (``doc.user_data``), so running several of them costs one analysis.

Only running prose is checked: units of kind ``paragraph`` or ``blockquote``, sentences that end
with terminal punctuation and contain no masked (non-prose) text.  Headings, list items,
captions, labels and table cells use fragments and bare questions normally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .base import CheckContext, Hit, Unit, prose_tokens
from .clauses import verbless_subordinate
from .news import own_predicate_after, negated

PROSE_KINDS = frozenset({"paragraph", "blockquote"})
FINITE_TAGS = frozenset({"VBZ", "VBD", "VBP", "MD"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
CLOSERS = frozenset({'"', "'", "\u201d", "\u2019", ")", "]", "\u300d", "\u300f"})
OPENERS = frozenset({'"', "'", "\u201c", "\u2018", "(", "[", "-", "\u2014", "\u2013"})
# Subordinators that make a clause dependent when they introduce it.
SUBORDINATORS = frozenset({
    "because", "although", "though", "while", "whereas", "if", "unless", "since", "when",
    "whenever", "once", "until", "till", "before", "after", "as", "so that", "whether",
    "where", "wherever",
})
WH_WORDS = frozenset({"who", "whom", "whose", "which", "what", "where", "when", "why", "how",
                      "whatever", "whichever", "whoever", "that"})
# Sentence openers skipped before looking for the first word of the clause.
LEADING_SKIP = frozenset({"and", "but", "or", "so", "also", "then", "still", "yet", "thus",
                          "therefore", "however", "moreover", "furthermore", "only"})
# Speech formulas without a subject that read fine ("Thank you.", "Sounds good.").
SUBJECTLESS_FORMULAS = frozenset({"thank", "thanks", "sounds", "looks", "seems", "goes",
                                  "turns", "beats", "says", "serves", "figures", "happens"})
SAY_VERBS = frozenset({"say", "tell", "ask", "add", "note", "explain", "write", "reply",
                       "report", "state", "think", "believe", "know", "guess", "mean", "suppose",
                       "hope", "wonder", "admit", "recall", "argue", "claim", "insist", "agree",
                       "announce", "warn", "point", "continue", "conclude", "emphasize",
                       "stress", "reveal", "confirm", "deny", "suggest", "predict", "estimate"})


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


def _is_finite(tok) -> bool:
    """A verb that carries tense itself or through its auxiliaries."""
    if tok.tag_ in FINITE_TAGS:
        return True
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and (c.tag_ in FINITE_TAGS or c.lower_ in ("do", "does", "did")):
            return True
    return False


def _has_subject(tok) -> bool:
    return any(c.dep_ in SUBJECT_DEPS for c in tok.children)


def _in_masked(unit: Unit, a: int, b: int) -> bool:
    return any(s < b and a < e for s, e in unit.masked)


def _sentences(unit: Unit) -> list[Sentence]:
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
        if _in_masked(unit, doc[i].idx, doc[j - 1].idx + len(doc[j - 1])):
            continue
        words = sum(1 for t in doc[i:j] if t.is_alpha)
        root = sent.root
        finite_main = _is_finite(root) and root.pos_ in ("VERB", "AUX")
        if not finite_main:
            for c in root.children:
                if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and _is_finite(c):
                    finite_main = True
                    break
        out.append(Sentence(unit, i, j, term, words, root, finite_main))
    doc.user_data["mt3_structure"] = out
    return out


def _prose_sentences(ctx: CheckContext, unclosed_words: int | None = None) -> Iterator[Sentence]:
    """Sentences of running prose: prose units, and sentences closed by . ! or ?

    With ``unclosed_words``, also sentences without closing punctuation of at least that many
    words (a paragraph of scraped text that ends on ";" or "…" is still prose, not a heading)."""
    for unit in ctx.units:
        if unit.kind not in PROSE_KINDS:
            continue
        for s in _sentences(unit):
            if s.term or (unclosed_words is not None and s.words >= unclosed_words):
                yield s


def _span_words(doc, i: int, j: int, max_chars: int = 50) -> tuple[int, int]:
    """Char span of tokens i..j-1, shortened to whole tokens within max_chars."""
    start = doc[i].idx
    end = doc[i].idx + len(doc[i])
    for k in range(i + 1, j):
        e = doc[k].idx + len(doc[k])
        if e - start > max_chars:
            break
        end = e
    return start, end


def _first_word(doc, s: Sentence) -> int:
    """Index of the first word of the clause, after leading conjunctions and commas."""
    k = s.start
    while k < s.end and (doc[k].lower_ in LEADING_SKIP or doc[k].text == ","):
        k += 1
    return k


# --------------------------------------------------------------------------- MT301


def _dropped_subject(doc, s: Sentence):
    """(first, verb) token indexes when the sentence opens on a modal or a finite verb and its
    clause has no subject; None otherwise."""
    if s.term not in (".", "!") or s.words < 2:
        return None
    k = _first_word(doc, s)
    if k >= s.end:
        return None
    t = doc[k]
    if t.tag_ == "MD":
        verb = t.head if t.dep_ in ("aux", "auxpass") else t
    elif t.tag_ in ("VBZ", "VBD"):
        verb = t if t.dep_ not in ("aux", "auxpass") else t.head
    else:
        return None
    if t.lower_ in SUBJECTLESS_FORMULAS:
        return None
    if t.tag_ == "VBZ" and k + 1 < s.end and (doc[k + 1].tag_ in ("VB", "VBP") or doc[k + 1].lower_ == "like"):
        return None  # "So flies like it.": a plural noun read as a verb, the verb after it
    if t.i == s.start and t.text[0].islower():
        return None  # lower-case start: a continuation, not a sentence
    if verb.i < t.i or verb.i >= s.end:
        return None
    if _has_subject(verb) or _has_subject(t):
        return None
    # a subject anywhere before the verb attached elsewhere (mis-parse) -> be quiet
    for x in doc[k:verb.i]:
        if x.dep_ in SUBJECT_DEPS:
            return None
    # the clause must be the main clause of the sentence
    if verb.dep_ != "ROOT":
        return None
    return k, verb.i


def dropped_subject(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT301: a declarative sentence that starts with a modal or finite verb and has no subject."""
    for s in _prose_sentences(ctx):
        doc = s.unit.doc
        r = _dropped_subject(doc, s)
        if r is None:
            continue
        k, v = r
        start, end = _span_words(doc, k, v + 1)
        t = doc[k]
        rest = doc.text[t.idx + len(t):end]
        first = t.text[0].lower() + t.text[1:]
        cap = k == s.start
        subjects = ("It", "This") if cap else ("it", "this")
        reps = tuple(f"{p} {first}{rest}" for p in subjects)
        # "It" fits a modal or a third-person verb ("Can relieve …", "Helps …"); a past verb
        # ("But found that …") may want "I", "we" or "they": then only show the suggestion
        sure = t.tag_ == "MD" or (t.tag_ == "VBZ" and t.lower_ != "lets")
        yield Hit(start, end, replacements=reps, unit=s.unit, applicability=None if sure else "display-only")


# --------------------------------------------------------------------------- MT302

MIDCLAUSE_SKIP = frozenset({"also", "still", "then", "even", "only", "further", "again", "just",
                            "thus", "therefore", "now", "later", "finally", "immediately"})


# Sentence openers after which a clause is subordinate, so a main clause may be an imperative.
_IMPERATIVE_OPENERS = SUBORDINATORS | {"no", "whatever", "whoever"}


def _imperative_after_comma(doc, s: Sentence, c: int, t) -> bool:
    """Whether a plain verb form after the comma ``c`` may be an imperative main clause: after
    an opening adverbial clause or a discourse word ("If it rains, take a coat"; "So, imagine")."""
    first = _first_word(doc, s)
    if first >= c or doc[first].lower_ in _IMPERATIVE_OPENERS:
        return True
    if all(x.pos_ in ("ADV", "INTJ", "CCONJ", "PUNCT") for x in doc[s.start:c]):
        return True
    if any(x.lower_ == "matter" and doc[x.i - 1].lower_ == "no" for x in doc[max(s.start + 1, c - 4):c]):
        return True  # "no matter what, …"
    return t.lower_ in ("say", "imagine", "suppose", "see", "look")


SUBJECTLESS_TAGS = ("MD", "VBZ", "VBD", "VBP")


def _subjectless_clauses(doc, s: Sentence, tags=SUBJECTLESS_TAGS) -> Iterator[tuple[int, int, int]]:
    """(comma, first word, verb) for clauses after a comma that open on a modal or finite verb
    without a subject of their own ("..., can reduce the risk")."""
    for c in range(s.start + 1, s.end - 1):
        if doc[c].text != ",":
            continue
        k = c + 1
        while k < s.end and doc[k].lower_ in MIDCLAUSE_SKIP:
            k += 1
        if k >= s.end:
            continue
        t = doc[k]
        if t.tag_ not in tags or not t.is_alpha:
            continue
        if t.tag_ == "VBP" and _imperative_after_comma(doc, s, c, t):
            continue
        verb = t.head if t.dep_ in ("aux", "auxpass", "neg") else t
        if verb.pos_ not in ("VERB", "AUX") or verb.i < k:
            continue
        if verb.dep_ in ("relcl", "acl", "amod", "compound", "nsubj", "appos", "pcomp", "pobj", "xcomp"):
            continue
        if _has_subject(verb) or _has_subject(t):
            continue
        if doc[c - 1].lemma_ in SAY_VERBS or doc[c - 1].lower_ in ("say", "says", "said"):
            continue  # "..., we think, can see" / parenthetical
        # a list of verb phrases closed by "and"/"or" ("It rotates, checks it, and passes it on")
        head = verb.head if verb.dep_ == "conj" else verb
        if any(x.dep_ == "cc" and x.i > verb.i for x in head.children) or any(
            x.dep_ == "cc" and x.i > verb.i for x in verb.children
        ):
            continue
        if any(x.dep_ == "conj" and x.i > verb.i and any(y.dep_ == "cc" for y in x.children) for x in head.children):
            continue
        yield c, k, verb.i


def subjectless_clause(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT302: a clause after a comma with a finite verb and no subject of its own."""
    tags = tuple(options.get("tags", SUBJECTLESS_TAGS))
    for s in _prose_sentences(ctx, unclosed_words=options.get("unclosed_words", 10)):
        doc = s.unit.doc
        for c, k, v in _subjectless_clauses(doc, s, tags):
            prev = doc[c - 1]
            start = prev.idx
            _, end = _span_words(doc, k, v + 1, max_chars=50 - (doc[k].idx - start))
            end = max(end, doc[k].idx + len(doc[k]))
            yield Hit(start, end, unit=s.unit)


# --------------------------------------------------------------------------- MT303

QUESTION_AUX_LEMMAS = frozenset({"be", "do", "have", "can", "could", "will", "would", "shall",
                                 "should", "may", "might", "must"})
TAG_WORDS = frozenset({"right", "ok", "okay", "yes", "no", "not", "huh", "eh", "correct", "true"})


def _inverted(doc, s: Sentence, verb) -> bool:
    """Question word order: an auxiliary, modal or wh-word before the subject, or a tag."""
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    first = doc[_first_word(doc, s)]
    if first.tag_ in ("WDT", "WP", "WP$", "WRB") or first.lower_ in WH_WORDS - {"that"}:
        return True
    for t in doc[s.start:s.end]:
        if t.tag_ in ("WDT", "WP", "WP$", "WRB") and t.i < verb.i and t.lower_ != "that":
            return True
    if subj is None:
        return verb.i == _first_word(doc, s)
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


INVERTING_AUX = frozenset({"do", "does", "did", "is", "are", "was", "were", "am", "can", "could",
                           "will", "would", "shall", "should", "may", "might", "must", "has",
                           "have", "had"})


def _declarative_question(doc, s: Sentence):
    """(span_start_tok, span_end_tok, kind, replacement) or None."""
    if s.term != "?" or s.words < 4:
        return None
    if any(t.text in (":", '"', "\u201c", "\u201d") for t in doc[s.start:s.end]):
        return None  # the question is quoted or follows a colon: its own clause is elsewhere
    verb = _question_clause(doc, s)
    if verb.pos_ not in ("VERB", "AUX") or not _is_finite(verb):
        if s.finite_main:
            return None
        # headline-style fragment ending in "?"
        if any(t.tag_ in FINITE_TAGS or t.pos_ in ("VERB", "AUX") and _is_finite(t)
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
        a = _first_word(doc, s)
        kind = "topic"
    else:
        kind = "declarative"
    return a, verb.i + 1, kind, _question_template(doc, a, subj, verb)


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
            plural = subj.tag_ in ("NNS", "NNPS") or subj.lower_ in ("we", "they", "you", "i") or any(
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
    for s in _prose_sentences(ctx):
        doc = s.unit.doc
        r = _declarative_question(doc, s)
        if r is None:
            continue
        a, b, kind, rep = r
        if kind in options.get("skip_kinds", ()):
            continue
        start, end = _span_words(doc, a, b)
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


# --------------------------------------------------------------------------- MT304


IMPERATIVE_MISTAGGED = frozenset({"imagine", "consider", "suppose", "note", "look", "see",
                                  "remember", "think", "picture", "take", "let"})


def _fragment(doc, s: Sentence, min_words: int = 4):
    """Why the sentence is a fragment ("subordinate" or "no-verb"), or None."""
    if s.term not in (".", "!") or s.words < min_words:
        return None
    root = s.root
    first = doc[s.start]
    if (first.lower_ in ("because", "although", "though", "whereas") and first.head.i == root.i
            and first.dep_ == "mark"):
        return "subordinate"  # "Because the roads flooded." standing alone
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
    return "no-verb"


# Verbs the tagger reads as adverbs, adjectives or nouns right after a plural subject ("herbs
# last longest", "prices rise", "costs fall").
MISTAGGED_VERBS = frozenset({
    "last", "grow", "work", "help", "matter", "cost", "costs", "count", "stand", "rest", "lie",
    "fall", "rise", "sell", "keep", "stay", "need", "mean", "remain", "look", "feel", "seem",
    "taste", "smell", "sound", "run", "turn", "wear", "play", "hold", "vary", "differ", "range",
})


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
    for s in _prose_sentences(ctx):
        doc = s.unit.doc
        why = _fragment(doc, s, min_words)
        if why is None:
            continue
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


# --------------------------------------------------------------------------- MT305


def _main_clause_heads(doc, s: Sentence) -> list:
    """Finite verbs with their own subject heading an independent clause."""
    heads = []
    for t in doc[s.start:s.end]:
        if t.pos_ not in ("VERB", "AUX") or not _is_finite(t):
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
        if t.pos_ == "NOUN" and t.dep_ == "dobj" and v.lemma_ not in ("tell", "ask", "warn", "remind"):
            return False  # "They reported the figures, …": an object, not a quotation
    return True


def _splices(doc, s: Sentence) -> list[tuple[int, object]]:
    """(comma index, right clause head) for commas joining two independent clauses."""
    heads = _main_clause_heads(doc, s)
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
        if any(t.dep_ in ("cc", "mark") or t.lower_ in ("and", "but", "or", "so", "because", "while")
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
_DEPENDENT_OPENERS = SUBORDINATORS | WH_WORDS | frozenset({"like", "so", "than", "even"})
# Opening a stretch, these do not change what it is ("…, and prices rose, …").
_STRETCH_CONJ = frozenset({"and", "but", "or", "so", "yet", "then"})
# Pronouns that open a clause as its subject.
_SUBJECT_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "you", "this", "these",
                               "those"})
# Adverbs that may come between the comma and the subject ("…, then the price rose").
_SPLICE_ADVERBS = frozenset({"then", "now", "also", "still", "later", "finally", "soon",
                             "currently", "today", "again"})
# Time words: a stretch naming a time ("last year", "two days later") opens the next clause.
_TIME_WORDS = frozenset({
    "year", "years", "month", "months", "day", "days", "week", "weeks", "time", "morning",
    "afternoon", "evening", "night", "today", "yesterday", "later", "ago", "moment", "moments",
    "hour", "hours", "minute", "minutes", "period", "decade", "decades", "century", "weekend",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday"})
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
        if t.i < v.i and low in _DEPENDENT_OPENERS and low not in ("so", "than", "that", "as"):
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
_CONDITIONAL_OPENERS = frozenset({"if", "unless", "when", "whenever", "once", "provided", "providing",
                                  "as", "after", "before", "until", "while"})

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
    for s in _prose_sentences(ctx, unclosed_words=options.get("unclosed_words", 10)):
        doc = s.unit.doc
        if s.term == "?" and not options.get("questions", False):
            continue
        found = dict(_splices(doc, s)[:limit])
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
            if doc[_first_word(doc, s)].lower_ in _CONDITIONAL_OPENERS and _after_opening_clause(doc, s, c):
                # "If it freezes, the police close the pass, drivers stay home": a full stop would cut
                # the second consequence from its condition; "and" keeps both under it
                reps = (join, semi, stop)
            else:
                reps = (stop, semi, join)
            yield Hit(start, end, replacements=reps, unit=s.unit)


# --------------------------------------------------------------------------- MT306


def _split_point(doc, s: Sentence):
    """The comma (token index) where a long sentence splits best: a comma splice, else a comma
    before an independent clause, else a coordinator joining two clauses; nearest the middle."""
    mid = (s.start + s.end) / 2
    cands = [c for c, _ in _splices(doc, s)]
    if not cands:
        heads = _main_clause_heads(doc, s)
        for a, v in heads[1:]:
            k = a - 1
            if k > s.start and doc[k].text == ",":
                cands.append(k)
            elif k > s.start + 1 and doc[k].lower_ in ("and", "but", "so") and doc[k - 1].text == ",":
                cands.append(k - 1)
    if not cands:
        cands = [t.i for t in doc[s.start:s.end] if t.text == ";"]
    if not cands:
        # any comma before a new verb phrase or clause
        cands = [t.i for t in doc[s.start + 3:s.end - 3]
                 if t.text == "," and doc[t.i + 1].pos_ in ("VERB", "AUX", "PRON", "DET", "NOUN", "PROPN")]
    if not cands:
        return None
    return min(cands, key=lambda c: abs(c - mid))


def long_sentence(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT306: a sentence over ``max_words`` words, pointing at a place to split it."""
    max_words = int(options.get("max_words", 40))
    for s in _prose_sentences(ctx):
        if s.words <= max_words:
            continue
        doc = s.unit.doc
        c = _split_point(doc, s)
        if c is None:
            continue
        prev, nxt = doc[c - 1], doc[c + 1]
        msg = (f"This sentence runs to {s.words} words, more than a reader takes in at once. "
               f"Consider splitting it after \"{prev.text}\" and starting a new sentence with "
               f"\"{nxt.text}\".")
        yield Hit(prev.idx, nxt.idx + len(nxt), message=msg, unit=s.unit)


# --------------------------------------------------------------------------- MT307

BE_FORMS = frozenset({"is", "are", "was", "were", "am", "be", "been", "being"})


def _broken_verb_groups(doc, s: Sentence) -> Iterator[tuple[int, int]]:
    """Token ranges of verb groups that cannot be English: a modal or a form of "be" followed
    by a finite or bare verb ("can helps", "is also need to"), or a causative verb whose
    complement has its own finite verb ("make the muscles are exercised")."""
    for t in doc[s.start:s.end]:
        if t.tag_ == "MD" or (t.lower_ in BE_FORMS and t.tag_ in ("VBZ", "VBP", "VBD")):
            k = t.i + 1
            while k < s.end and doc[k].pos_ in ("ADV", "PART") and doc[k].lower_ not in ("to",):
                k += 1
            if k >= s.end:
                continue
            n = doc[k]
            if t.tag_ == "MD" and n.tag_ in ("VBZ", "VBD") and n.pos_ in ("VERB", "AUX"):
                yield t.i, k + 1
            elif t.tag_ != "MD" and (n.tag_ == "VB" or n.lower_ == "need" and k + 1 < s.end and doc[k + 1].lower_ == "to"):
                if k + 1 < s.end and doc[k + 1].lower_ in ("to",) and n.tag_ == "VB" and n.lower_ != "need":
                    continue
                yield t.i, k + 1
        elif t.lemma_ in ("make", "let") and t.pos_ == "VERB":
            for c in t.children:
                if c.dep_ in ("ccomp",) and c.i > t.i and _is_finite(c) and _has_subject(c):
                    yield t.i, c.i + 1
                    break


def _odd_order(doc, s: Sentence) -> Iterator[tuple[int, int]]:
    """A noun phrase fronted before a clause with its own subject, left hanging as a topic
    ("This medicine, children should not take"), seen as a sentence-initial noun attached as
    ``dep``/``npadvmod`` to a verb that has another subject."""
    root = s.root
    for c in root.children:
        if c.i < root.i and c.dep_ in ("dep", "npadvmod", "nsubj") and c.pos_ in ("NOUN", "PROPN"):
            subs = [x for x in root.children if x.dep_ in SUBJECT_DEPS and x.i != c.i]
            if subs and c.i < subs[0].i:
                yield c.left_edge.i, c.i + 1


def _signals(doc, s: Sentence, unreported_only: bool) -> list[tuple[str, int, int]]:
    sig = []
    for t in doc[s.start:s.end]:
        if t.dep_ == "dep" and not t.is_punct and t.pos_ not in ("SPACE", "X", "SYM", "NUM"):
            sig.append(("loose", t.i, t.i + 1))
    for a, b in _broken_verb_groups(doc, s):
        sig.append(("verb", a, b))
    for a, b in _odd_order(doc, s):
        sig.append(("order", a, b))
    if not unreported_only:
        if _fragment(doc, s) is not None:
            sig.append(("fragment", s.start, s.end))
        for c, k, v in _subjectless_clauses(doc, s):
            sig.append(("subjectless", c, v + 1))
        r = _dropped_subject(doc, s)
        if r is not None:
            sig.append(("subjectless", r[0], r[1] + 1))
        for c, v in _splices(doc, s):
            sig.append(("splice", c, c + 1))
    return sig


SIGNAL_NAMES = {
    "loose": "words the sentence does not connect (\"{}\")",
    "verb": "a broken verb group (\"{}\")",
    "order": "a noun phrase left hanging in front (\"{}\")",
    "fragment": "no main verb",
    "subjectless": "a clause without a subject (\"{}\")",
    "splice": "clauses joined only by a comma",
}


def _reported_elsewhere(doc, s: Sentence) -> bool:
    """Whether another structure rule already points at a problem in this sentence."""
    return (_dropped_subject(doc, s) is not None or _fragment(doc, s) is not None
            or any(True for _ in _subjectless_clauses(doc, s)) or bool(_splices(doc, s))
            or _declarative_question(doc, s) is not None)


def garbled_sentence(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT307: several weak signs of a garbled sentence together."""
    min_signals = int(options.get("min_signals", 2))
    unreported = bool(options.get("unreported_only", True))
    for s in _prose_sentences(ctx):
        doc = s.unit.doc
        if options.get("skip_if_reported", True) and _reported_elsewhere(doc, s):
            continue
        sig = _signals(doc, s, unreported)
        kinds = {k for k, _, _ in sig}
        if len(sig) < min_signals or (options.get("distinct", True) and len(kinds) < min_signals):
            continue
        parts = []
        seen = set()
        for k, a, b in sig:
            txt = doc[a:b].text if b - a <= 6 else doc[a:a + 6].text + " …"
            d = SIGNAL_NAMES[k].format(txt) if "{}" in SIGNAL_NAMES[k] else SIGNAL_NAMES[k]
            if d not in seen:
                seen.add(d)
                parts.append(d)
        msg = ("This sentence does not hold together and needs a human rewrite: "
               + "; ".join(parts) + ".")
        if options.get("span") == "signals":
            a = min(x for _, x, _ in sig)
            b = max(y for _, _, y in sig)
            start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
        else:
            start, end = doc[s.start].idx, doc[s.end - 1].idx + len(doc[s.end - 1])
        yield Hit(start, end, message=msg, unit=s.unit)


DEV_CHECKS = {
    "MT301": (dropped_subject, {}),
    "MT302": (subjectless_clause, {}),
    "MT303": (declarative_question, {}),
    "MT304": (fragment, {}),
    "MT305": (comma_splice, {}),
    "MT306": (long_sentence, {"max_words": 50}),
    "MT307": (garbled_sentence, {}),
}


# --------------------------------------------------------------------------- MT308


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
            if last.pos_ != "VERB" or _has_subject(last):
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
            if _in_masked(unit, start, end):
                continue
            tail = doc.text[first.idx:end]
            # "and" puts the last verb under a negation of the first ("cannot start, replace …")
            # and cannot join a phrase that has a predicate of its own: then only show it
            sure = not any(negated(m) for m in members) and not own_predicate_after(doc, last.i)
            yield Hit(start, end, replacements=(f"{before.text} and {tail}",), unit=unit,
                      applicability=None if sure else "display-only")


# --------------------------------------------------------------------------- MT309


def question_heading(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT309: a heading that ends in "?" but is not shaped as a question
    ("Winter swimming on the heart side effects?", "Running every day is good?")."""
    for unit in ctx.units:
        if unit.kind != "heading":
            continue
        doc = unit.doc
        for s in _sentences(unit):
            if s.term != "?":
                continue
            r = _declarative_question(doc, s)
            if r is None:
                continue
            a, b, kind, rep = r
            start, end = doc[s.start].idx, doc[s.end - 1].idx + len(doc[s.end - 1])
            if _in_masked(unit, start, end):
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


# --------------------------------------------------------------------------- MT310

_NEED_WORDS = frozenset({"need", "needs", "needed", "should", "must", "has", "have", "had", "can",
                         "will"})


def _gerund_of(g, lemma: str) -> bool:
    """Whether ``g`` ("swimming", "cycling", "walking") is the -ing form of ``lemma``."""
    if g.lemma_ == lemma:
        return True
    stem = g.lower_[:-3]
    return stem in (lemma, lemma + lemma[-1:]) or (lemma.endswith("e") and stem == lemma[:-1])


def activity_repeats_itself(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT310: an activity as the subject of its own verb ("walking needs to walk", "swimming
    should swim"): the Chinese topic ("as for walking") made the subject. A token pattern, since
    the parse of such sentences is itself unreliable."""
    for unit, t in prose_tokens(ctx, PROSE_KINDS):
        if not t.lower_.endswith("ing") or t.tag_ not in ("VBG", "NN") or len(t) < 5:
            continue
        doc = unit.doc
        n = len(doc)
        if t.i > 0 and doc[t.i - 1].pos_ not in ("ADV", "ADJ", "PUNCT", "CCONJ", "DET"):
            continue
        k = t.i + 1
        if k >= n or doc[k].lower_ not in _NEED_WORDS:
            continue
        k += 1
        if k < n and doc[k].lower_ in ("to", "also", "not", "still", "only"):
            k += 1
        if k < n and doc[k].lower_ == "to":
            k += 1
        if k >= n or doc[k].pos_ != "VERB" or doc[k].tag_ != "VB":
            continue
        if not _gerund_of(t, doc[k].lemma_):
            continue
        yield Hit(t.idx, doc[k].idx + len(doc[k]), unit=unit)
