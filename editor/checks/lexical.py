"""Lexical checks that lists and token patterns cannot express on their own.

- ``pay_attention_overuse``: 注意 rendered as "pay attention to" before every verb of an article,
  and "pay attention to the method" (要注意方法), which English says otherwise.
- ``doubled_list_ending``: "such as A, B, etc." — an example list closed again by 等.
- ``collocations``: verb–object, subject–predicate and adjective–noun pairs that English does not
  use, read from the rule's ``options`` (data, not code), keyed on lemmas and the dependency
  between the two words.
"""

from __future__ import annotations

from typing import Iterable

from editor.checks.base import CheckContext, Hit

# --------------------------------------------------------------------------------------------
# pay attention to

_PAY = {"pay", "paying", "pays", "paid"}
_BETWEEN = {"more", "close", "special", "particular", "great", "careful", "much", "extra", "some"}


def _pay_attention(doc):
    """(start token, end token, object token or None) of every 'pay ... attention to'."""
    toks = list(doc)
    n = len(toks)
    for i, t in enumerate(toks):
        if t.lower_ not in _PAY:
            continue
        j = i + 1
        while j < n and toks[j].lower_ in _BETWEEN:
            j += 1
        if j + 1 < n and toks[j].lower_ == "attention" and toks[j + 1].lower_ == "to":
            obj = None
            k = j + 2
            while k < n and toks[k].pos_ in ("DET", "ADJ", "PRON") and toks[k].lower_ not in ("it", "this", "that"):
                k += 1
            if k < n:
                obj = toks[k]
            yield t, toks[j + 1], obj


def pay_attention_overuse(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT107."""
    limit = int(options.get("max_per_document", 2))
    method_nouns = set(options.get("method_nouns", ()))
    seen = []
    for unit in ctx.units:
        for first, last, obj in _pay_attention(unit.doc):
            seen.append((unit, first, last, obj))
    for n, (unit, first, last, obj) in enumerate(seen):
        if obj is not None and obj.lemma_.lower() in method_nouns:
            yield Hit(
                first.idx,
                obj.idx + len(obj.text),
                message=(
                    f"\"{unit.text[first.idx:obj.idx + len(obj.text)]}\" renders 注意方法/注意量 word for word: "
                    "English does not 'pay attention to' a method or an amount. Say what to do: "
                    "\"do it the right way\", \"use the right technique\", \"keep the amount moderate\"."
                ),
                unit=unit,
            )
        elif n >= limit:
            yield Hit(first.idx, last.idx + len(last.text), unit=unit)


# --------------------------------------------------------------------------------------------
# such as A, B, etc.

_INTRO = {("such", "as"), ("for", "example"), ("for", "instance"), ("including",), ("like",)}
_CLOSERS = (("etc",), ("etc.",), ("and", "so", "on"), ("and", "so", "forth"), ("and", "the", "like"))


def doubled_list_ending(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT111: an example list opened by "such as"/"including" and closed again by "etc."/"and so on"."""
    max_gap = int(options.get("max_tokens", 25))
    intros = [tuple(x.split()) for x in options.get("intros", ["such as", "including", "for example"])]
    for unit in ctx.units:
        doc = unit.doc
        for sent in doc.sents:
            toks = list(sent)
            lows = [t.lower_ for t in toks]
            start = None
            i = 0
            while i < len(toks):
                for intro in intros:
                    if tuple(lows[i : i + len(intro)]) == intro:
                        start = i + len(intro)
                        break
                if start is not None and i >= start:
                    if i - start > max_gap or lows[i] in (";", ":") or toks[i].tag_ in ("VBD", "VBZ", "VBP", "MD"):
                        start = None
                    else:
                        for closer in _CLOSERS:
                            if tuple(lows[i : i + len(closer)]) == closer or (
                                closer[0] == "etc" and lows[i] in ("etc", "etc.")
                            ):
                                if toks[i].text.startswith("ETC"):
                                    continue  # ETC, the toll-collection system
                                a = toks[i]
                                b = toks[i + len(closer) - 1]
                                s, e = a.idx, b.idx + len(b.text)
                                if doc.text[s:e].lower() == "etc" and doc.text[e : e + 1] == ".":
                                    e += 1
                                # delete the closer and the comma or space before it
                                ds = toks[i - 1].idx if i > 0 and toks[i - 1].text == "," else s
                                while ds > 0 and doc.text[ds - 1] == " ":
                                    ds -= 1
                                de = e
                                after = doc.text[e:].lstrip()
                                if doc.text[s:e].endswith(".") and (not after or after[0].isupper()):
                                    de = e - 1  # "etc." ended the sentence: keep its full stop
                                yield Hit(s, e, edits=((ds, de, ""),), unit=unit)
                                start = None
                                break
                i += 1


# --------------------------------------------------------------------------------------------
# collocations


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


def _noun_matches(t, nouns: set[str]) -> bool:
    if _lemma(t) in nouns or _compound_text(t) in nouns or t.lower_ in nouns:
        return True
    pobj = _of_phrase(t)
    return pobj is not None and f"{t.lower_} of {pobj.lower_}" in nouns


def collocations(ctx: CheckContext, options: dict) -> Iterable[Hit]:
    """MT501–MT503: curated pairs; each entry of options['pairs'] is
    {relation: verb-object | subject-adjective | adjective-noun, heads: [...], deps: [...],
     suggest: [...], message: "..."}.  'heads' are the verb/adjective lemmas, 'deps' the noun lemmas
    (or compound phrases).  A suggestion replaces the verb or adjective when it is in its base form.
    """
    pairs = options.get("pairs", [])
    prepared = [
        (p["relation"], set(p["heads"]), set(p["deps"]), tuple(p.get("suggest", ())), p.get("message"))
        for p in pairs
    ]
    for unit in ctx.units:
        doc = unit.doc
        for t in doc:
            for rel, heads, deps, suggest, message in prepared:
                hit = None
                if rel == "verb-object" and t.pos_ == "VERB" and _lemma(t) in heads:
                    objs = [c for c in t.children if c.dep_ in ("dobj", "obj")]
                    objs += [c for c in t.children if c.dep_ == "nsubjpass"]
                    for o in objs:
                        if _noun_matches(o, deps):
                            pobj = _of_phrase(o)
                            if pobj is not None and f"{o.lower_} of {pobj.lower_}" in deps:
                                o = pobj  # the flag covers "center of gravity"
                            a, b = sorted((t, o), key=lambda x: x.i)
                            reps = suggest if (suggest and t.tag_ in ("VB", "VBP")) else ()
                            hit = (a.idx, b.idx + len(b.text), t, reps)
                            break
                elif rel == "subject-adjective" and t.pos_ == "ADJ" and _lemma(t) in heads and t.dep_ in ("acomp", "ROOT", "conj"):
                    subj = [c for c in t.head.children if c.dep_ == "nsubj"] if t.dep_ == "acomp" else [
                        c for c in t.children if c.dep_ == "nsubj"]
                    for s in subj:
                        if _noun_matches(s, deps):
                            hit = (s.idx, t.idx + len(t.text), t, ())
                            break
                elif (rel == "adjective-noun" and t.dep_ in ("amod", "compound") and t.i < t.head.i
                      and (_lemma(t) in heads or t.lower_ in heads) and _noun_matches(t.head, deps)):
                    n = t.head
                    reps = suggest
                    hit = (t.idx, n.idx + len(n.text), t, reps)
                if hit:
                    s, e, tok, reps = hit
                    edits = ()
                    replacements = ()
                    if reps:
                        first = reps[0]
                        if tok.text[:1].isupper():
                            first = first[:1].upper() + first[1:]
                        if tok.idx == s:
                            replacements = tuple(
                                (r[:1].upper() + r[1:] if tok.text[:1].isupper() else r) + doc.text[tok.idx + len(tok.text):e]
                                for r in reps
                            )
                        else:
                            edits = ((tok.idx, tok.idx + len(tok.text), first),)
                    text = doc.text[s:e]
                    msg = message.replace("{match}", text) if message else None
                    yield Hit(s, e, message=msg, replacements=replacements, edits=edits, unit=unit)
                    break
