"""Person drift (rule MT409): "you" … "their own" for the same reader, across a document."""

from __future__ import annotations

from typing import Iterable

from editor.engine.lists import words

from .base import CheckContext, Hit
from .inflection import match_case
from .sentences import unit_tokens

# MT409 person drift: "you" … "their own" for the same reader (document level)
# --------------------------------------------------------------------------------------------

SECOND_PERSON = words("second-person")
THIRD_PLURAL_CUES = words("third-person-cues")


def person_drift(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    window = int(options.get("window", 3))
    min_you = int(options.get("min_you", 2))
    last_you_unit = -10 ** 9
    you_count = 0
    for unit, tok in unit_tokens(ctx):
        doc = unit.doc
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
        yield Hit(match[0], match[1], unit=unit, replacements=(match_case(tok.text, match[2]),))
