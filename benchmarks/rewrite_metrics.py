"""Pure scoring for ``benchmarks/rewrite_quality.py``: JFLEG tokenization, GLEU, token edits and
CoNLL-2014-style (M2) precision, recall and F0.5.  No I/O, no checker: every function here takes
tokens or numbers and returns numbers, so that the tests can check them on hand-computed cases.

Tokenization
    JFLEG's text is tokenized with spaces around punctuation ("did not developped ."), clitics
    split ("do n't", "Lopez 's"), and every digit on its own ("5 0 years").  :func:`detokenize`
    turns such tokens into prose for the checker ("did not developped.", "don't", "50 years");
    :func:`tokenize` turns the checker's output back into JFLEG's tokens.  The round trip gives
    back the source tokens for nearly all of the dev set (the script reports the share).

GLEU
    A port of the official JFLEG ``eval/gleu.py`` (keisks/jfleg; Napoles et al. 2015, updated
    2016 "GLEU without tuning"), written from its source: n-grams 1..4; per n, the numerator is
    the hypothesis n-grams found in the reference minus those found among the source n-grams
    that the reference does not contain (clipped counts, floored at 0), the denominator
    ``max(len(hyp) + 1 - n, 0)``; geometric mean of the four ratios times the brevity penalty
    ``exp(min(0, 1 - len(ref) / len(hyp)))``; a corpus score sums the statistics over sentences
    before dividing.  Each of ``iterations`` (500) runs picks one reference per sentence at random,
    the run ``j`` seeded with ``j * 101`` and drawing exactly as the official Python 2 script did
    (``randint(0, k - 1)`` there is ``int(random() * k)``), so the reference choices, and hence
    the figures, are the official script's; the mean, the standard deviation (over runs,
    population) and the normal 95% interval ``mean ± 1.96 std`` are reported as it prints them.
    Sentence-level GLEU is the official ``--sent`` figure: the mean over the references of the
    smoothed score (zero statistics counted as 1).

Edits
    :func:`token_edits` aligns two token lists with :class:`difflib.SequenceMatcher` (no junk
    heuristic) and turns every maximal run of differing tokens between two matched blocks into
    one edit ``(start, end, replacement)``: source tokens ``[start, end)`` become the tuple
    ``replacement`` (an insertion has ``start == end``, a deletion an empty replacement).  Two
    changes are one edit exactly when no token between them is kept.

Precision, recall, F0.5
    As the M2 scorer (CoNLL-2014) scores against several annotators: the references' edits are
    extracted the same way, and for each sentence, in order, the reference is chosen that
    maximises the cumulative F0.5 so far (ties: more correct edits, then fewer proposed + β²·gold),
    see :func:`m2_score`.  An applied edit is correct when it equals an edit of the chosen
    reference (same source span, same replacement).  Unlike the M2 scorer, the hypothesis's edits
    are fixed by the alignment above instead of being re-segmented per reference through an edit
    lattice, so a system edit that one reference splits differently counts as wrong: a slightly
    strict reading.

Path-consistent (MaxMatch-style) matching
    JFLEG's references are rewrites, not minimal edit annotations: a reference that fixes
    "reaults" and also drops the "turned out" before it yields one merged edit ("turned out
    reaults" -> "the results"), and the exact comparison counts the system's "reaults" ->
    "results" as wrong.  The M2 scorer (MaxMatch) avoids this by choosing, among all ways of
    segmenting the system's change, the one that agrees most with the gold edits.  The same idea
    without gold segmentation: an applied edit is *consistent* with a reference when it lies on
    a shortest token edit path from the source to that reference, i.e. applying it lowers the
    token Levenshtein distance to the reference by exactly the edit's own cost
    (:func:`consistent`).  A wrong word ("dhe" -> "die" where the reference has "the") or a
    change the reference does not make is never consistent.  :func:`maxmatch_score` counts
    consistent edits as correct, with the same per-sentence choice of reference.
"""

from __future__ import annotations

import difflib
import math
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import NormalDist

# --------------------------------------------------------------------------------------------
# tokenization

_CLITICS = ("'s", "'re", "'ve", "'ll", "'d", "'m")
_NO_SPACE_BEFORE = {".", ",", "?", "!", ":", ";", ")", "]", "}", "...", "%", "n't", "''"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}
_ENTITY = re.compile(r"&#?\w+;")


def _is_clitic(token: str) -> bool:
    t = token.lower().replace("\u2019", "'")
    return t == "n't" or t in _CLITICS


def detokenize(tokens: Sequence[str] | str) -> str:
    """JFLEG tokens → prose: "I do n't know ( yet ) ." → "I don't know (yet)."

    Punctuation and clitics join the word before them, opening brackets the word after; straight
    double quotes alternate between opening and closing (quotes inside a token count); a lone
    apostrophe after a word ending in "s" is a plural possessive ("years ' time" → "years' time");
    digits split one a token are joined again ("1 9 0 8" → "1908").
    """
    if isinstance(tokens, str):
        tokens = tokens.split()
    out: list[str] = []
    glue_next = False  # the previous token opens something: no space after it
    double_open = False  # an odd number of straight double quotes so far
    single_open = False
    for i, tok in enumerate(tokens):
        attach = False
        opens = False
        if tok == '"':
            if double_open:
                attach = True
            else:
                opens = True
            double_open = not double_open
        elif tok == "'":
            prev = tokens[i - 1] if i else ""
            if single_open:
                attach, single_open = True, False
            elif prev[-1:] in ("s", "S"):
                attach = True  # plural possessive
            else:
                opens, single_open = True, True
        elif tok in _NO_SPACE_BEFORE or _is_clitic(tok):
            attach = True
            if tok == "''":
                double_open = False
        elif tok in _NO_SPACE_AFTER:
            opens = True
            if tok == "``":
                double_open = True
        elif i and tok[:1].isdigit() and tokens[i - 1][-1:].isdigit():
            attach = True  # "5 0" → "50"
        if '"' in tok and tok != '"':
            double_open = double_open != (tok.count('"') % 2 == 1)
        if out and not attach and not glue_next:
            out.append(" ")
        out.append(tok)
        glue_next = opens
    return "".join(out)


_LEADING = ('"', "``", "(", "[", "{")
_TRAILING = ('"', "''", ")", "]", "}", ",", ";", ":", "?", "!", "%")
_CONTRACTION = re.compile(r"(?i)^(.*[a-z].*?)(n['\u2019]t)$")
_CLITIC = re.compile(r"(?i)^(.*[a-z0-9].*?)(['\u2019](?:s|re|ve|ll|d|m))$")
_DIGITS = re.compile(r"(?<=\d)(?=\d)")


def tokenize(text: str) -> list[str]:
    """Prose → JFLEG tokens, the inverse of :func:`detokenize` on JFLEG's own text.

    Splits off opening quotes and brackets, closing quotes and brackets, ``, ; : ? ! % ...``
    at the end of a word (one token each: "!!" is two), a plural-possessive apostrophe, the
    clitics ``n't 's 're 've 'll 'd 'm`` (straight or curly apostrophe: "can't" → "ca n't");
    a full stop only at the end of the text (JFLEG keeps "Mr." and "etc." whole, and treats
    each line as one sentence: "meters. That" stays as it is); and puts every digit on its own
    ("1908" → "1 9 0 8", "10th" → "1 0th").  A closing bracket is split only when the word has
    no opening one ("heat(energy)" stays whole); an HTML entity keeps its semicolon.
    """
    chunks = text.split()
    tokens: list[str] = []
    for k, chunk in enumerate(chunks):
        last = k == len(chunks) - 1
        lead: list[str] = []
        trail: list[str] = []
        while True:
            opener = next((p for p in _LEADING if chunk.startswith(p) and len(chunk) > len(p)), None)
            if opener is None and chunk.startswith("$") and chunk[1:2].isdigit():
                opener = "$"
            if opener is None and chunk[:1] in ("'", "\u2018") and len(chunk) > 1 and chunk[1].isalpha() \
                    and not _is_clitic(chunk):
                opener = chunk[0]
            if opener is None:
                break
            lead.append(opener)
            chunk = chunk[len(opener):]
        period_taken = False
        while len(chunk) > 1:
            if chunk.endswith("...") and len(chunk) > 3:
                trail.append("...")
                chunk = chunk[:-3]
                continue
            if last and not period_taken and chunk.endswith(".") and not chunk.endswith("..."):
                trail.append(".")
                chunk = chunk[:-1]
                period_taken = True
                continue
            closer = next((p for p in _TRAILING if chunk.endswith(p) and len(chunk) > len(p)), None)
            if closer in (")", "]", "}"):
                opening = {")": "(", "]": "[", "}": "{"}[closer]
                if chunk.count(opening) >= chunk.count(closer):
                    closer = None  # "heat(energy)": the bracket belongs to the word
            if closer == ";" and _ENTITY.search(chunk):
                closer = None  # "&amp;"
            if closer is None and chunk.endswith(("'", "\u2019")) and chunk[-2:-1] in ("s", "S"):
                closer = chunk[-1]  # "years'" → "years '"
            if closer is None:
                break
            trail.append(closer)
            chunk = chunk[: -len(closer)]
        core: list[str] = []
        if chunk:
            m = _CONTRACTION.match(chunk) or _CLITIC.match(chunk)
            core = [m.group(1), m.group(2)] if m else [chunk]
        split_core = [piece for word in core for piece in _DIGITS.split(word) if piece]
        tokens.extend(lead + split_core + trail[::-1])
    return tokens


# --------------------------------------------------------------------------------------------
# GLEU (official JFLEG eval/gleu.py, ported)

ORDER = 4
OFFICIAL_ITERATIONS = 500
Z95 = NormalDist().inv_cdf(0.975)  # scipy.stats.norm.interval(0.95) in the official script


def ngram_counts(tokens: Sequence[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) + 1 - n))


@dataclass(frozen=True)
class GleuSentence:
    """One sentence's source and references, with their n-grams counted once."""

    source: tuple[str, ...]
    references: tuple[tuple[str, ...], ...]
    src_ngrams: tuple[Counter, ...] = field(repr=False, compare=False)
    ref_ngrams: tuple[tuple[Counter, ...], ...] = field(repr=False, compare=False)
    # per reference and n: the source n-grams the reference does not contain (with source counts)
    changed: tuple[tuple[Counter, ...], ...] = field(repr=False, compare=False)

    @classmethod
    def of(cls, source: Sequence[str], references: Sequence[Sequence[str]]) -> "GleuSentence":
        src = tuple(source)
        refs = tuple(tuple(r) for r in references)
        if not refs:
            raise ValueError("a sentence needs at least one reference")
        s = tuple(ngram_counts(src, n) for n in range(1, ORDER + 1))
        r = tuple(tuple(ngram_counts(ref, n) for n in range(1, ORDER + 1)) for ref in refs)
        changed = tuple(
            tuple(Counter({g: c for g, c in s[n].items() if g not in rn[n]}) for n in range(ORDER)) for rn in r
        )
        return cls(src, refs, s, r, changed)

    def stats(self, hypothesis: Sequence[str]) -> list[tuple[int, ...]]:
        """The official statistics of ``hypothesis`` against each reference:
        ``(len(hyp), len(ref), num_1, den_1, ..., num_4, den_4)``."""
        hlen = len(hypothesis)
        hyp = [ngram_counts(hypothesis, n) for n in range(1, ORDER + 1)]
        out = []
        for ref, ref_ngrams, changed in zip(self.references, self.ref_ngrams, self.changed):
            row = [hlen, len(ref)]
            for n in range(1, ORDER + 1):
                h = hyp[n - 1]
                kept_right = sum((h & ref_ngrams[n - 1]).values())
                kept_wrong = sum((h & changed[n - 1]).values())
                row.append(max(kept_right - kept_wrong, 0))
                row.append(max(hlen + 1 - n, 0))
            out.append(tuple(row))
        return out


def gleu_from_stats(stats: Sequence[float], smooth: bool = False) -> float:
    """GLEU from (summed) statistics; ``smooth`` (sentence level) counts zeros as 1."""
    if smooth:
        stats = [s if s != 0 else 1 for s in stats]
    if any(s == 0 for s in stats):
        return 0.0
    c, r = stats[0], stats[1]
    log_prec = sum(math.log(float(x) / y) for x, y in zip(stats[2::2], stats[3::2])) / ORDER
    return math.exp(min(0.0, 1.0 - float(r) / c) + log_prec)


def sentence_gleu(stats_by_ref: Sequence[Sequence[float]]) -> float:
    """The official sentence-level GLEU: the mean smoothed score over the references."""
    return sum(gleu_from_stats(s, smooth=True) for s in stats_by_ref) / len(stats_by_ref)


def reference_draws(n_sentences: int, n_refs: int, iterations: int = OFFICIAL_ITERATIONS) -> list[list[int]]:
    """For each run ``j`` the reference index of every sentence, as the official script draws
    them: ``random.seed(j * 101)``, then ``randint(0, n_refs - 1)`` per sentence under Python 2,
    which is ``int(random() * n_refs)`` (Python 3's ``randint`` draws differently)."""
    draws = []
    for j in range(iterations):
        rng = random.Random(j * 101)
        draws.append([int(rng.random() * n_refs) for _ in range(n_sentences)])
    return draws


@dataclass
class GleuScore:
    mean: float
    std: float
    ci_low: float
    ci_high: float
    runs: list[float]  # corpus GLEU of each run (reference sampling)

    def as_dict(self) -> dict:
        return {"gleu": self.mean, "std": self.std, "ci95": [self.ci_low, self.ci_high], "iterations": len(self.runs)}


def corpus_gleu(stats: Sequence[Sequence[Sequence[float]]], draws: Sequence[Sequence[int]]) -> GleuScore:
    """Corpus GLEU over runs: ``stats[i][r]`` are sentence ``i``'s statistics against reference
    ``r`` (:meth:`GleuSentence.stats`), ``draws[j][i]`` the reference of sentence ``i`` in run ``j``."""
    runs = []
    width = 2 + 2 * ORDER
    for draw in draws:
        total = [0] * width
        for per_ref, r in zip(stats, draw):
            row = per_ref[r]
            for k in range(width):
                total[k] += row[k]
        runs.append(gleu_from_stats(total))
    mean = sum(runs) / len(runs)
    std = math.sqrt(sum((x - mean) ** 2 for x in runs) / len(runs))  # numpy.std: population
    return GleuScore(mean, std, mean - Z95 * std, mean + Z95 * std, runs)


def paired_bootstrap(
    stats_a: Sequence[Sequence[Sequence[float]]],
    stats_b: Sequence[Sequence[Sequence[float]]],
    samples: int = 1000,
    seed: int = 12,
) -> tuple[float, float, float]:
    """Corpus GLEU of ``a`` minus that of ``b`` on resampled test sets: sentences drawn with
    replacement and one reference drawn per sentence, the same for both systems.  Returns the
    2.5th and 97.5th percentiles and the share of samples where ``a`` is not better (a one-sided
    p-value for "a improves on b")."""
    rng = random.Random(seed)
    n = len(stats_a)
    width = 2 + 2 * ORDER
    deltas = []
    for _ in range(samples):
        ta = [0] * width
        tb = [0] * width
        for _i in range(n):
            i = rng.randrange(n)
            r = rng.randrange(len(stats_a[i]))
            ra, rb = stats_a[i][r], stats_b[i][r]
            for k in range(width):
                ta[k] += ra[k]
                tb[k] += rb[k]
        deltas.append(gleu_from_stats(ta) - gleu_from_stats(tb))
    deltas.sort()
    low = deltas[int(0.025 * (samples - 1))]
    high = deltas[int(math.ceil(0.975 * (samples - 1)))]
    p_not_better = sum(1 for d in deltas if d <= 0) / samples
    return low, high, p_not_better


# --------------------------------------------------------------------------------------------
# token edits and M2-style scoring

TokenEdit = tuple[int, int, tuple[str, ...]]  # source tokens [start, end) → replacement tokens


def token_edits(source: Sequence[str], target: Sequence[str]) -> list[TokenEdit]:
    """The edits that turn ``source`` into ``target`` (see the module docstring)."""
    matcher = difflib.SequenceMatcher(None, list(source), list(target), autojunk=False)
    edits: list[TokenEdit] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if edits and edits[-1][1] == i1:  # no kept token in between: one change (difflib
            start, _end, repl = edits.pop()  # puts an equal block between changes; kept for safety)
            edits.append((start, i2, repl + tuple(target[j1:j2])))
        else:
            edits.append((i1, i2, tuple(target[j1:j2])))
    return edits


def apply_token_edits(source: Sequence[str], edits: Sequence[TokenEdit]) -> list[str]:
    out = list(source)
    for start, end, repl in sorted(edits, reverse=True):
        out[start:end] = list(repl)
    return out


def f_beta(correct: float, proposed: float, gold: float, beta: float = 0.5) -> float:
    """The M2 scorer's F from counts: (1+β²)·c / (β²·g + p); 1.0 when nothing was proposed
    and nothing was to be found."""
    denom = beta * beta * gold + proposed
    if denom == 0:
        return 1.0 if correct == 0 else 0.0
    return (1 + beta * beta) * correct / denom


@dataclass
class EditScore:
    correct: int = 0
    proposed: int = 0
    gold: int = 0
    chosen: list[int] = field(default_factory=list)  # the reference chosen for each sentence
    beta: float = 0.5

    @property
    def precision(self) -> float | None:
        return self.correct / self.proposed if self.proposed else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.gold if self.gold else None

    @property
    def f(self) -> float:
        p, r = self.precision, self.recall
        if not p or not r:
            return 0.0
        b2 = self.beta * self.beta
        return (1 + b2) * p * r / (b2 * p + r)

    def as_dict(self) -> dict:
        return {"proposed": self.proposed, "correct": self.correct, "gold": self.gold,
                "precision": self.precision, "recall": self.recall, f"f{self.beta:g}": self.f}


def _choose_references(per_sentence, beta: float) -> EditScore:
    """Sum ``(proposed, [(correct, gold) for each reference])`` over sentences, choosing per
    sentence (in order) the reference that maximises the cumulative F_β, as the M2 scorer does
    (ties: more correct edits, then fewer proposed + β²·gold)."""
    score = EditScore(beta=beta)
    b2 = beta * beta
    for proposed, options in per_sentence:
        best = None
        for k, (correct, n_gold) in enumerate(options):
            c, p, g = score.correct + correct, score.proposed + proposed, score.gold + n_gold
            key = (f_beta(c, p, g, beta), c, -(p + b2 * g))
            if best is None or key > best[0]:
                best = (key, k, correct, n_gold)
        _key, k, correct, n_gold = best
        score.correct += correct
        score.proposed += proposed
        score.gold += n_gold
        score.chosen.append(k)
    return score


def m2_score(
    hypothesis_edits: Sequence[Sequence[TokenEdit]],
    reference_edits: Sequence[Sequence[Sequence[TokenEdit]]],
    beta: float = 0.5,
) -> EditScore:
    """Precision, recall and F_β of the hypothesis edits of every sentence against the edits of
    its references, an edit being correct when it equals an edit of the chosen reference
    (:func:`_choose_references`)."""
    def sentences():
        for hyp, refs in zip(hypothesis_edits, reference_edits, strict=True):
            hyp_set = set(hyp)
            yield len(hyp_set), [(len(hyp_set & set(gold)), len(gold)) for gold in refs]

    return _choose_references(sentences(), beta)


def edit_verdict(edits: Sequence[TokenEdit], reference_edits: Sequence[Sequence[TokenEdit]]) -> str:
    """One fix's token edits against a sentence's references: ``match`` when every edit is an
    edit of one same reference, ``no-op`` when the fix changes no token, else ``miss``."""
    if not edits:
        return "no-op"
    wanted = set(edits)
    return "match" if any(wanted <= set(gold) for gold in reference_edits) else "miss"


def levenshtein(a: Sequence[str], b: Sequence[str]) -> int:
    """Token edit distance (insert, delete, substitute: cost 1 each)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def consistent(source: Sequence[str], edit: TokenEdit, reference: Sequence[str]) -> bool:
    """Whether ``edit`` lies on a shortest edit path from ``source`` to ``reference``: applying it
    lowers the distance to the reference by exactly its own cost."""
    start, end, repl = edit
    cost = levenshtein(source[start:end], repl)
    if cost == 0:
        return False
    after = apply_token_edits(source, [edit])
    return levenshtein(source, reference) - levenshtein(after, reference) == cost


def maxmatch_score(
    sources: Sequence[Sequence[str]],
    hypothesis_edits: Sequence[Sequence[TokenEdit]],
    references: Sequence[Sequence[Sequence[str]]],
    reference_edits: Sequence[Sequence[Sequence[TokenEdit]]],
    beta: float = 0.5,
) -> EditScore:
    """As :func:`m2_score`, an edit being correct when it is :func:`consistent` with the chosen
    reference (gold: that reference's edits)."""
    def sentences():
        for source, hyp, refs, golds in zip(sources, hypothesis_edits, references, reference_edits, strict=True):
            hyp_set = sorted(set(hyp))
            yield len(hyp_set), [(sum(consistent(source, e, ref) for e in hyp_set), len(gold))
                                 for ref, gold in zip(refs, golds)]

    return _choose_references(sentences(), beta)


def path_verdict(source: Sequence[str], edits: Sequence[TokenEdit], references: Sequence[Sequence[str]]) -> str:
    """As :func:`edit_verdict`, with :func:`consistent` in place of equality: ``match`` when every
    edit of the fix lies on a shortest path to one same reference."""
    if not edits:
        return "no-op"
    return "match" if any(all(consistent(source, e, ref) for e in edits) for ref in references) else "miss"


__all__ = [
    "detokenize", "tokenize", "ngram_counts", "GleuSentence", "gleu_from_stats", "sentence_gleu",
    "reference_draws", "GleuScore", "corpus_gleu", "paired_bootstrap", "TokenEdit", "token_edits",
    "apply_token_edits", "f_beta", "EditScore", "m2_score", "edit_verdict", "OFFICIAL_ITERATIONS", "Z95",
    "levenshtein", "consistent", "maxmatch_score", "path_verdict",
]
