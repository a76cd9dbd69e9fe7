"""Lexical checks that lists and token patterns cannot express on their own.

- ``pay_attention_overuse``: 注意 rendered as "pay attention to" before every verb of an article,
  and "pay attention to the method" (要注意方法), which English says otherwise.
- ``doubled_list_ending``: "such as A, B, etc." — an example list closed again by 等.

Collocations (MT501–MT503) are ``lemma-pair`` rules: data only (editor.engine.lemma_pairs).
"""

from __future__ import annotations

from typing import Iterable

from editor.checks.base import CheckContext, Hit
from editor.engine.lists import word_list, words

# --------------------------------------------------------------------------------------------
# pay attention to

_PAY = words("pay-forms")
_BETWEEN = words("pay-attention-intensifiers")


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

_CLOSERS = tuple(tuple(closer.split()) for closer in word_list("list-closers"))


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
