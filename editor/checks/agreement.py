"""Agreement and tense-consistency checks (MT450–MT499).

MT450 subject–verb agreement across a modifier: "the reports from the ministry is ...".
MT451 tense drift: one past-tense sentence about "it/they/we" in the middle of a passage told in
the present ("It looks like carrion. It evolved. It smells ...").  The subject must be a pronoun or a
definite noun phrase ("the sound", "these flies"): the sentence continues the same passage.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from editor.checks.base import RUNNING_PROSE, CheckContext, Hit, Unit, prose_tokens
from editor.checks.inflection import plural_verb as _plural_verb, singular_verb as _singular_verb
from editor.checks.number_agreement import SINGULAR_PLURALS
from editor.engine.lists import word_list, word_pairs, words

# --------------------------------------------------------------------------------------------
# MT450 agreement across a prepositional phrase or relative clause
# --------------------------------------------------------------------------------------------

NUMBER_NEUTRAL = SINGULAR_PLURALS | words("either-number-nouns")
QUANTITY_NOUNS = words("quantity-nouns")
# "a number of X are", "the rest of the X are", "a lot of X are": number comes from X
PARTITIVE_HEADS = words("partitive-heads")
SUBJECT_OPENERS = words("singular-subject-openers")
SINGULAR_DETS = words("singular-subject-determiners")
COUNTERFACTUAL = words("counterfactual-words")
PLURAL_LOOKALIKE_ENDINGS = word_list("singular-s-endings")


def _finite(head):
    """The word carrying agreement in the clause of ``head``: its first auxiliary, or itself."""
    for c in head.children:
        if c.dep_ in {"aux", "auxpass"} and c.i < head.i:
            return c if c.tag_ in {"VBZ", "VBP", "VBD"} else None
    return head if head.tag_ in {"VBZ", "VBP", "VBD"} else None


def _singular_finite(v) -> bool:
    return v.tag_ == "VBZ" or v.lower_ == "was"


def _plural_finite(v) -> bool:
    return (v.tag_ == "VBP" and v.lower_ not in {"am", "'m"}) or v.lower_ == "were"


def _lower_word(n) -> bool:
    return n.text.islower() or (n.is_sent_start and n.text[1:].islower())


def _plain_plural(n) -> bool:
    low = n.lower_
    return (n.tag_ == "NNS" and n.pos_ == "NOUN" and _lower_word(n) and n.is_alpha
            and low.endswith("s") and not low.endswith(PLURAL_LOOKALIKE_ENDINGS)
            and low not in NUMBER_NEUTRAL and low not in QUANTITY_NOUNS)


def _plain_singular(n) -> bool:
    low = n.lower_
    return (n.tag_ == "NN" and n.pos_ == "NOUN" and _lower_word(n) and n.is_alpha
            and low not in NUMBER_NEUTRAL and low not in PARTITIVE_HEADS
            and not low.endswith(("ing", "s")))


def long_distance_agreement(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """A finite verb that disagrees with its subject noun when a modifier stands between them."""
    for unit in ctx.units:
        doc = unit.doc
        for head in doc:
            if head.pos_ not in {"VERB", "AUX"} and head.dep_ != "ROOT":
                continue
            subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < head.i), None)
            if subj is None:
                continue
            verb = _finite(head)
            if verb is None or verb.i <= subj.i:
                continue
            if subj.dep_ == "conj" or any(c.dep_ in {"conj", "cc", "nummod", "quantmod", "appos"} for c in subj.children):
                continue
            if any(c.lower_ in {"each", "every", "one"} for c in subj.children):
                continue
            left = subj.left_edge
            if left.like_num or left.lower_ in SUBJECT_OPENERS and subj.tag_ == "NNS":
                continue
            if left.i > 0 and doc[left.i - 1].lower_ in {"of", "one"}:
                continue
            gap = doc[subj.i + 1: verb.i]
            # something other than adverbs stands between them (the adjacent case is MT408's) ...
            if all(t.pos_ in {"ADV", "PART"} for t in gap):
                continue
            # ... and it all belongs to the subject phrase: a prepositional phrase or a relative clause
            if any(not (subj.left_edge.i <= t.i <= subj.right_edge.i) and t.pos_ not in {"ADV", "PART"} for t in gap):
                continue
            if any(t.is_punct and t.text != "," for t in gap) or any(t.is_quote or t.text in "()" for t in gap):
                continue
            if sum(1 for t in gap if t.text == ",") == 1:
                continue  # "The reports, officials is ..." — unbalanced commas: a misparse
            if subj.lower_ in PARTITIVE_HEADS:
                continue
            before = doc[max(0, left.i - 3): left.i]
            if _plain_plural(subj) and _singular_finite(verb):
                new = _plural_verb(verb)
            elif (_plain_singular(subj) and _plural_finite(verb)
                  and any(c.dep_ == "det" and c.lower_ in SINGULAR_DETS for c in subj.children)):
                if verb.lower_ == "were" and any(t.lower_ in COUNTERFACTUAL for t in before):
                    continue  # subjunctive: "if the answer were simple"
                new = _singular_verb(verb)
            else:
                continue
            yield Hit(verb.idx, verb.idx + len(verb.text),
                      message=(options.get("message") or "").format(subject=subj.text, verb=verb.text) or None,
                      replacements=(new,) if new else (), unit=unit)


# --------------------------------------------------------------------------------------------
# MT451 tense drift: a lone past-tense sentence inside present-tense narration
# --------------------------------------------------------------------------------------------

PRONOUN_SUBJECTS = words("drift-pronoun-subjects")
# or a noun the reader already knows: "the sound", "these flies", "its colour"
DEFINITE = words("definite-determiners")
# words that anchor a sentence in the past (or make the tense a report): leave it alone
PAST_CUES = words("past-cues")
MODALS_PRESENT = words("present-modals")
MODALS_OTHER = words("other-modals")
PROSE_KINDS = RUNNING_PROSE


def _tense(sent):
    """("past" | "present" | None, finite word) for the main clause of a sentence."""
    root = sent.root
    if root.pos_ not in {"VERB", "AUX"}:
        return None, None
    aux = [c for c in root.children if c.dep_ in {"aux", "auxpass"} and c.i < root.i]
    fin = aux[0] if aux else root
    low = fin.lower_
    if low in MODALS_PRESENT:
        return "present", fin
    if low in MODALS_OTHER:
        return None, None
    if fin.tag_ == "VBD":
        return "past", fin
    if fin.tag_ in {"VBZ", "VBP"}:
        return "present", fin
    return None, None


def _sentences(ctx: CheckContext) -> Iterator[list[tuple[Unit, object, str | None, object]]]:
    """Runs of prose sentences, in order, broken at headings and other non-prose units."""
    run: list = []
    for unit in ctx.units:
        if unit.kind not in PROSE_KINDS:
            if run:
                yield run
            run = []
            continue
        for sent in unit.doc.sents:
            tense, fin = _tense(sent)
            run.append((unit, sent, tense, fin))
    if run:
        yield run


def _present_too(verb, subj) -> bool:
    """Whether the "past" form reads as a present just as well: "they spread", "we put" (the
    past of spread, put, cut, set … is the base form, and with a subject other than he/she/it
    the present is the same word); the tagger's guess is then no evidence of a drift."""
    person = subj.morph.get("Person")
    third_singular = "Sing" in subj.morph.get("Number") and "1" not in person and "2" not in person
    return not third_singular and verb.lower_ == verb.lemma_.lower()


def tense_drift(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    window = int(options.get("window", 2))
    need = int(options.get("min_neighbours", 2))
    for run in _sentences(ctx):
        tenses = [t for _, _, t, _ in run]
        for i, (unit, sent, tense, fin) in enumerate(run):
            if tense != "past":
                continue
            head = fin.head if fin.dep_ in {"aux", "auxpass"} else fin
            subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subj is None:
                continue
            if subj.lower_ not in PRONOUN_SUBJECTS and not (
                    subj.pos_ == "NOUN"
                    and any(c.dep_ in {"det", "poss"} and c.lower_ in DEFINITE for c in subj.children)):
                continue
            if any(t.lower_ in PAST_CUES or t.like_num or t.is_quote for t in sent):
                continue
            if _present_too(fin, subj):
                continue
            left = [t for t in tenses[max(0, i - window): i] if t]
            right = [t for t in tenses[i + 1: i + 1 + window] if t]
            if not left or not right or len(left) + len(right) < need:
                continue
            if all(t == "present" for t in left + right):
                yield Hit(fin.idx, fin.idx + len(fin.text), unit=unit)


# --------------------------------------------------------------------------- MT452

REPORTING_VERBS = words("reporting-verbs")
BACKSHIFT = word_pairs("backshift")
QUOTE_OR_BREAK = frozenset('"“”‘’\'') | {"-", "—", "–", ":"}
SPEAKER_SUBJECTS = frozenset({"i", "we", "you"})


def reported_speech_tense(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT452: a present-tense verb group reported after a past-tense reporting verb ("said it will")."""
    for unit, v in prose_tokens(ctx):
        if v.tag_ != "VBD" or v.lemma_ not in REPORTING_VERBS:
            continue
        doc = unit.doc
        reported = [c for c in v.children if c.dep_ == "ccomp" and c.i > v.i]
        # "said that 40 people have died, 10 are missing": the later clauses too
        reported += [x for c in reported for x in c.children if x.dep_ == "conj" and x.pos_ in {"VERB", "AUX"}]
        for c in reported:
            group = [c] + [a for a in c.children if a.dep_ in {"aux", "auxpass"}]
            finite = [t for t in group
                      if t.tag_ in {"VBZ", "VBP"} or (t.tag_ == "MD" and t.lower_ in BACKSHIFT)]
            if not finite:
                continue
            t = min(finite, key=lambda x: x.i)
            if any(x.text in QUOTE_OR_BREAK for x in doc[v.i:t.i]):
                continue  # direct speech: "He said: “It is …”"
            subj = next((x for x in c.children if x.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
            if subj is not None and subj.lower_ in SPEAKER_SUBJECTS:
                continue
            new = BACKSHIFT.get(t.lower_)
            if new and t.text[:1].isupper():
                new = new.capitalize()
            reps = (new,) if new else ()
            yield Hit(t.idx, t.idx + len(t.text), replacements=reps, unit=unit)
