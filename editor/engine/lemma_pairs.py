"""The ``lemma-pair`` rule kind: collocations keyed on two lemmas and the dependency between them.

A rule lists ``pairs``; each pair names a ``relation`` and two word lists:

- ``verb-object``: a verb whose lemma is in ``heads`` with a direct object (or passive subject)
  in ``deps`` ("master the intensity", "eat medicine", "open the light");
- ``subject-adjective``: a predicative adjective in ``heads`` whose subject is in ``deps``
  ("the pace is small", "the dose is too big");
- ``adjective-noun``: an adjective (or noun used as one) in ``heads`` before a noun in ``deps``
  ("big fog", "small rain").

A noun of ``deps`` may be a lemma ("dose"), a compound ("blood circulation") or an "of" phrase
("center of gravity", then the flag covers the whole phrase). ``suggest`` replaces the verb or
adjective (a verb only in its base form); ``message`` overrides the rule's, with ``{match}``.
Pairs are tried in order and the first that matches a word wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from editor.checks.base import CheckContext, Hit, Unit

RELATIONS = ("verb-object", "subject-adjective", "adjective-noun")


@dataclass(frozen=True)
class LemmaPair:
    relation: str
    heads: frozenset[str]
    deps: frozenset[str]
    suggest: tuple[str, ...] = ()
    message: str | None = None

    def describe(self) -> str:
        """One line for ``cleanup rule CODE``: "verb-object: eat + medicine, pill, … → take"."""
        deps = sorted(self.deps)
        shown = ", ".join(deps[:6]) + (", …" if len(deps) > 6 else "")
        out = f"{self.relation}: {'/'.join(sorted(self.heads))} + {shown}"
        return out + (f" → {', '.join(self.suggest)}" if self.suggest else "")


def _lemma(t) -> str:
    return t.lemma_.lower()


def _compound_text(t) -> str:
    """The noun with its compound modifiers ("air conditioner", "blood circulation")."""
    parts = [c for c in t.children if c.dep_ == "compound" and c.i < t.i]
    parts.sort(key=lambda c: c.i)
    return " ".join([_lemma(c) for c in parts] + [_lemma(t)])


def _of_phrase(t):
    """The "of" complement of a noun ("gravity" in "center of gravity"), or None."""
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    return None


def _noun_matches(t, nouns: frozenset[str]) -> bool:
    if _lemma(t) in nouns or _compound_text(t) in nouns or t.lower_ in nouns:
        return True
    pobj = _of_phrase(t)
    return pobj is not None and f"{t.lower_} of {pobj.lower_}" in nouns


def _verb_object(t, pair: LemmaPair):
    if not (t.pos_ == "VERB" and _lemma(t) in pair.heads):
        return None
    objs = [c for c in t.children if c.dep_ in ("dobj", "obj")]
    objs += [c for c in t.children if c.dep_ == "nsubjpass"]
    for o in objs:
        if _noun_matches(o, pair.deps):
            pobj = _of_phrase(o)
            if pobj is not None and f"{o.lower_} of {pobj.lower_}" in pair.deps:
                o = pobj  # the flag covers "center of gravity"
            a, b = sorted((t, o), key=lambda x: x.i)
            reps = pair.suggest if (pair.suggest and t.tag_ in ("VB", "VBP")) else ()
            return a.idx, b.idx + len(b.text), t, reps
    return None


def _subject_adjective(t, pair: LemmaPair):
    if not (t.pos_ == "ADJ" and _lemma(t) in pair.heads and t.dep_ in ("acomp", "ROOT", "conj")):
        return None
    holder = t.head if t.dep_ == "acomp" else t
    for s in (c for c in holder.children if c.dep_ == "nsubj"):
        if _noun_matches(s, pair.deps):
            return s.idx, t.idx + len(t.text), t, ()
    return None


def _adjective_noun(t, pair: LemmaPair):
    if (t.dep_ in ("amod", "compound") and t.i < t.head.i
            and (_lemma(t) in pair.heads or t.lower_ in pair.heads) and _noun_matches(t.head, pair.deps)):
        n = t.head
        return t.idx, n.idx + len(n.text), t, pair.suggest
    return None


_FINDERS = {"verb-object": _verb_object, "subject-adjective": _subject_adjective, "adjective-noun": _adjective_noun}


def _hit(unit: Unit, found, message: str | None) -> Hit:
    """The hit for (start, end, the word to replace, suggestions) of one matched pair."""
    s, e, tok, reps = found
    text = unit.doc.text
    edits: tuple = ()
    replacements: tuple = ()
    if reps:
        upper = tok.text[:1].isupper()
        first = reps[0][:1].upper() + reps[0][1:] if upper else reps[0]
        if tok.idx == s:
            tail = text[tok.idx + len(tok.text):e]
            replacements = tuple((r[:1].upper() + r[1:] if upper else r) + tail for r in reps)
        else:
            edits = ((tok.idx, tok.idx + len(tok.text), first),)
    msg = message.replace("{match}", text[s:e]) if message else None
    return Hit(s, e, message=msg, replacements=replacements, edits=edits, unit=unit)


def pair_hits(ctx: CheckContext, pairs: tuple[LemmaPair, ...]) -> Iterator[Hit]:
    """Every word of every unit that is the head of one of ``pairs`` (the first that matches)."""
    for unit in ctx.units:
        for t in unit.doc:
            for pair in pairs:
                found = _FINDERS[pair.relation](t, pair)
                if found:
                    yield _hit(unit, found, pair.message)
                    break
