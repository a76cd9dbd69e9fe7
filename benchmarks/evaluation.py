"""Detection-quality metric: how well a checker's findings point at annotated errors.

This implements the metric defined in ``shared/data/README.md`` for JSON-lines files of
annotated machine translation (one article a line, with ``text``, ``errors`` and
``fluency_errors``; every span is ``[start, end)`` in code points of ``text``, ``null`` for an
omission that has no span).

A *finding* here is a plain tuple ``(start, end, rule, category)`` in code-point offsets into
the article text; any checker can be measured by turning its output into such tuples.

Definitions (the README's, made exact):

- **Overlap.** Two intervals ``[a, b)`` and ``[c, d)`` overlap when they share a positive
  length: ``max(a, c) < min(b, d)``.  An *empty* interval ``[p, p)`` (an insertion point, e.g.
  "a comma is missing here") overlaps an interval when ``p`` lies inside it or on one of its
  edges (``c <= p <= d``), so a finding that points *between* two characters still counts when
  it touches the error, and two empty intervals overlap when they are at the same point.  The
  same rule is applied to randomly moved findings, so it does not bias lift.
- **findings**: distinct ``(start, end, rule)`` triples (a checker that repeats the very same
  finding is not rewarded).  **per_1k** is findings per 1,000 words, a word being a
  whitespace-separated token of the text.
- **precision**: the share of distinct finding spans ``(start, end)`` (per article; several rules
  on one span count once) that overlap any annotated error with a span, of any category.
- **chance precision**: every distinct finding span is moved, keeping its length, to ``draws``
  (10) random word starts of the same article (clipped at the end of the text); the precision of
  each draw is averaged, then averaged again over ``seeds`` seeded runs.  **lift** = precision /
  chance precision.
- **pinpoint recall**: the share of distinct fluency-error spans (per article, by
  ``(start, end)``; null spans skipped) that overlap a finding at most ``max_pinpoint`` (50)
  characters long.  **chance pinpoint recall**: the same for each draw of moved findings (draw
  ``k`` moves every finding once, so it is a random checker with the same number and lengths of
  findings), averaged like chance precision.  **pinpoint lift** = pinpoint recall / chance
  pinpoint recall.
- **pinpoint recall by group**: the same restricted to the fluency errors of a group (see
  :data:`GROUPS`; a span annotated twice with categories of two groups counts in both).
- **per rule / per category**: the same figures for only the findings of one rule (or one
  finding category), its chance level computed by moving only those findings.  Its pinpoint
  recall is still a share of *all* fluency errors, so per-rule recalls are comparable and add
  up to at least the overall one.

Random positions are drawn from a generator seeded with the seed, the article's ``id`` (or its
index) and the span, so a span lands in the same random places whichever other findings are
present: the overall, per-rule and per-category chance levels use the same draws, and results
are deterministic across runs and Python versions.
"""

from __future__ import annotations

import json
import math
import random
import re
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_DRAWS",
    "DEFAULT_SEEDS",
    "GROUPS",
    "MAX_PINPOINT",
    "Checker",
    "Finding",
    "GroupScore",
    "IntervalIndex",
    "Report",
    "RuleRate",
    "Scores",
    "compute_metrics",
    "error_group",
    "evaluate",
    "filter_records",
    "format_report",
    "load_records",
    "overlaps",
    "per_1k",
    "record_rates",
    "report_to_dict",
    "sum_rates",
    "total_rate",
]

Finding = tuple[int, int, str, str]
"""``(start, end, rule, category)``: a finding in code-point offsets into the article text."""

Checker = Callable[[str], Iterable[Finding]]
"""Anything that takes an article's text and returns its findings."""

MAX_PINPOINT = 50
"""A finding longer than this many characters earns no pinpoint recall."""

DEFAULT_DRAWS = 10
"""Random word starts each finding is moved to, per seed."""

DEFAULT_SEEDS = 5
"""Seeded runs the chance levels are averaged over."""

GROUPS: dict[str, tuple[str, ...]] = {
    "grammar": ("Fluency/Grammar", "Style/Bad sentence structure", "Fluency/Inconsistency"),
    "awkward": ("Style/Awkward", "Style/Unnatural or awkward", "Fluency/Register"),
    "punctuation": ("Fluency/Punctuation",),
    "spelling": ("Fluency/Spelling",),
}
"""Fluency-error groups, by what a checker must understand to find them (MQM categories)."""

_GROUP_OF: dict[str, str] = {cat.lower(): group for group, cats in GROUPS.items() for cat in cats}

_WORD = re.compile(r"\S+")


# --------------------------------------------------------------------------- loading


def load_records(path: str | Path, *, text: bool = True) -> list[dict[str, Any]]:
    """Read a JSON-lines file: one JSON object a line, blank lines skipped.

    Raises ``ValueError`` naming the file and line when a line is not a JSON object (with
    ``text``: with a string ``text``; JFLEG's records have none).
    """
    records: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON: {exc.msg}") from None
            if not isinstance(record, dict) or (text and not isinstance(record.get("text"), str)):
                raise ValueError(f"{path}:{number}: expected a JSON object" + (" with a string 'text'" if text else ""))
            records.append(record)
    return records


def filter_records(
    records: Sequence[Mapping[str, Any]],
    *,
    systems: Sequence[str] | None = None,
    exclude_human: bool = False,
    limit: int | None = None,
) -> list[Mapping[str, Any]]:
    """Keep the records of the given ``systems`` (all if ``None``), optionally without human
    references (``is_human_reference``), then the first ``limit`` of them."""
    kept = [
        record
        for record in records
        if (systems is None or record.get("system") in systems)
        and not (exclude_human and record.get("is_human_reference"))
    ]
    return kept if limit is None else kept[:limit]


def error_group(error: Mapping[str, Any]) -> str | None:
    """The group (:data:`GROUPS`) of an annotated error, or ``None`` if it has none.

    Uses ``category_norm`` when the record has it (normalised MQM names), else ``category``.
    """
    category = error.get("category_norm") or error.get("category") or ""
    return _GROUP_OF.get(str(category).lower())


# --------------------------------------------------------------------------- intervals


def overlaps(a: int, b: int, c: int, d: int) -> bool:
    """Whether ``[a, b)`` and ``[c, d)`` overlap (see the module docstring for empty ones)."""
    if a == b or c == d:
        return max(a, c) <= min(b, d)
    return max(a, c) < min(b, d)


class IntervalIndex:
    """A static set of intervals answering "does anything overlap ``[s, e)``?" in O(log n).

    Non-empty intervals are kept sorted by start with a running maximum of their ends; empty
    ones (points) are kept apart, since their overlap rule differs.
    """

    __slots__ = ("_starts", "_max_ends", "_points")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        """Index ``(start, end)`` pairs (``end >= start``)."""
        items = list(spans)
        solid = sorted((s, e) for s, e in items if e > s)
        self._points = sorted(s for s, e in items if e == s)
        self._starts = [s for s, _ in solid]
        self._max_ends: list[int] = []
        running = -1
        for _, e in solid:
            running = max(running, e)
            self._max_ends.append(running)

    def __len__(self) -> int:
        return len(self._starts) + len(self._points)

    def hits(self, start: int, end: int) -> bool:
        """Whether any indexed interval overlaps ``[start, end)``."""
        if start == end:
            # Solid intervals with c <= p and d >= p; points equal to p.
            count = bisect_right(self._starts, start)
            if count and self._max_ends[count - 1] >= start:
                return True
        else:
            # Solid intervals with c < end and d > start; points with start <= p <= end.
            count = bisect_left(self._starts, end)
            if count and self._max_ends[count - 1] > start:
                return True
        if self._points:
            i = bisect_left(self._points, start)
            return i < len(self._points) and self._points[i] <= end
        return False


# --------------------------------------------------------------------------- results


@dataclass
class GroupScore:
    """Pinpoint recall on the fluency errors of one group."""

    errors: int
    pinpoint_recall: float | None
    chance_pinpoint_recall: float | None
    pinpoint_lift: float | None


@dataclass
class Scores:
    """The metric for one set of findings (all of them, one rule's or one category's)."""

    findings: int
    spans: int
    per_1k: float | None
    precision: float | None
    chance_precision: float | None
    lift: float | None
    pinpoint_findings: int
    pinpoint_recall: float | None
    chance_pinpoint_recall: float | None
    pinpoint_lift: float | None
    groups: dict[str, GroupScore] = field(default_factory=dict)


@dataclass
class Report:
    """The metric for a whole run: overall, per finding category and per rule."""

    records: int
    words: int
    errors: int
    fluency_errors: int
    group_errors: dict[str, int]
    seeds: int
    draws: int
    max_pinpoint: int
    overall: Scores
    by_category: dict[str, Scores]
    by_rule: dict[str, Scores]
    label: str = ""
    check_seconds: float | None = None
    metric_seconds: float | None = None


# --------------------------------------------------------------------------- computing


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _lift(observed: float | None, chance: float | None) -> float | None:
    """observed / chance; undefined (``None``) when either is, or chance is zero."""
    if observed is None or not chance:
        return None
    return observed / chance


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


class _Article:
    """One record, prepared once: its error indexes, fluency spans and word starts."""

    def __init__(self, record: Mapping[str, Any], index: int) -> None:
        self.text: str = record["text"]
        self.key = str(record.get("id", index))
        self.words = len(self.text.split())
        self.word_starts = [m.start() for m in _WORD.finditer(self.text)] or [0]
        self.errors = IntervalIndex(self._spans(record.get("errors") or ()))
        groups: dict[tuple[int, int], set[str]] = {}
        for error in record.get("fluency_errors") or ():
            span = self._span(error)
            if span is None:
                continue
            bucket = groups.setdefault(span, set())
            group = error_group(error)
            if group is not None:
                bucket.add(group)
        self.fluency: list[tuple[tuple[int, int], frozenset[str]]] = [
            (span, frozenset(g)) for span, g in sorted(groups.items())
        ]
        self._moves: dict[tuple[int, int, int], list[int]] = {}

    def _span(self, error: Mapping[str, Any]) -> tuple[int, int] | None:
        start, end = error.get("start"), error.get("end")
        if start is None or end is None:
            return None
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"record {self.key}: error span [{start}, {end}) outside the text")
        return int(start), int(end)

    def _spans(self, errors: Iterable[Mapping[str, Any]]) -> list[tuple[int, int]]:
        return [s for s in (self._span(e) for e in errors) if s is not None]

    def moves(self, seed: int, span: tuple[int, int], draws: int) -> list[int]:
        """The ``draws`` random word starts ``span`` is moved to under ``seed`` (memoised)."""
        key = (seed, span[0], span[1])
        found = self._moves.get(key)
        if found is None or len(found) != draws:
            rng = random.Random(f"{seed}|{self.key}|{span[0]}|{span[1]}")
            found = [rng.choice(self.word_starts) for _ in range(draws)]
            self._moves[key] = found
        return found

    def covered(self, findings: IntervalIndex) -> list[frozenset[str]]:
        """The groups of each distinct fluency span that ``findings`` overlaps."""
        return [groups for (s, e), groups in self.fluency if findings.hits(s, e)]


class _Tally:
    """Sums of hits and coverage, kept for the observed findings and for every random draw."""

    def __init__(self) -> None:
        self.hits = 0
        self.spans = 0
        self.covered = 0
        self.covered_by_group: dict[str, int] = {}

    def add_coverage(self, covered: list[frozenset[str]]) -> None:
        self.covered += len(covered)
        for groups in covered:
            for group in groups:
                self.covered_by_group[group] = self.covered_by_group.get(group, 0) + 1


def _score(
    articles: Sequence[_Article],
    findings: Sequence[Sequence[Finding]],
    *,
    fluency_total: int,
    group_totals: Mapping[str, int],
    words: int,
    seeds: int,
    draws: int,
    max_pinpoint: int,
) -> Scores:
    """The metric for ``findings[i]`` in ``articles[i]`` (one rule's, one category's or all)."""
    observed = _Tally()
    chance = [_Tally() for _ in range(seeds * draws)]
    n_findings = 0
    n_pinpoint = 0
    for article, article_findings in zip(articles, findings, strict=True):
        n_findings += len({(s, e, r) for s, e, r, _ in article_findings})
        spans = sorted({(s, e) for s, e, _, _ in article_findings})
        if not spans:
            continue
        observed.spans += len(spans)
        observed.hits += sum(article.errors.hits(s, e) for s, e in spans)
        short = [(s, e) for s, e in spans if e - s <= max_pinpoint]
        n_pinpoint += len(short)
        observed.add_coverage(article.covered(IntervalIndex(short)))

        # Draw k moves every span once.  A span keeps its length (clipped at the end of the
        # text); whether it may earn pinpoint recall depends on its original length.
        length = len(article.text)
        moved: list[list[tuple[int, int]]] = [[] for _ in chance]
        moved_short: list[list[tuple[int, int]]] = [[] for _ in chance]
        for span in spans:
            width = span[1] - span[0]
            for seed in range(seeds):
                for draw, start in enumerate(article.moves(seed, span, draws)):
                    target = (start, min(start + width, length))
                    moved[seed * draws + draw].append(target)
                    if width <= max_pinpoint:
                        moved_short[seed * draws + draw].append(target)
        for tally, draw_spans, draw_short in zip(chance, moved, moved_short, strict=True):
            tally.spans += len(draw_spans)
            tally.hits += sum(article.errors.hits(s, e) for s, e in draw_spans)
            if draw_short:
                tally.add_coverage(article.covered(IntervalIndex(draw_short)))

    precision = _ratio(observed.hits, observed.spans)
    chance_precision = _mean(_ratio(t.hits, t.spans) for t in chance) if observed.spans else None
    recall = _ratio(observed.covered, fluency_total)
    chance_recall = (
        _mean(_ratio(t.covered, fluency_total) for t in chance) if fluency_total else None
    )
    groups: dict[str, GroupScore] = {}
    for group, total in group_totals.items():
        g_recall = observed.covered_by_group.get(group, 0) / total
        g_chance = _mean(t.covered_by_group.get(group, 0) / total for t in chance)
        groups[group] = GroupScore(total, g_recall, g_chance, _lift(g_recall, g_chance))
    return Scores(
        findings=n_findings,
        spans=observed.spans,
        per_1k=_ratio(1000 * n_findings, words),
        precision=precision,
        chance_precision=chance_precision,
        lift=_lift(precision, chance_precision),
        pinpoint_findings=n_pinpoint,
        pinpoint_recall=recall,
        chance_pinpoint_recall=chance_recall,
        pinpoint_lift=_lift(recall, chance_recall),
        groups=groups,
    )


def compute_metrics(
    records: Sequence[Mapping[str, Any]],
    findings: Sequence[Iterable[Finding]],
    *,
    seeds: int = DEFAULT_SEEDS,
    draws: int = DEFAULT_DRAWS,
    max_pinpoint: int = MAX_PINPOINT,
    label: str = "",
) -> Report:
    """The metric for ``findings[i]`` found in ``records[i]["text"]``, for every ``i``.

    A pure function of its arguments: the random moves are seeded (see the module docstring).
    Raises ``ValueError`` when the lengths differ or a finding lies outside its text.
    """
    if len(records) != len(findings):
        raise ValueError(f"{len(records)} records but {len(findings)} lists of findings")
    if seeds < 1 or draws < 1:
        raise ValueError("seeds and draws must be at least 1")
    articles = [_Article(record, i) for i, record in enumerate(records)]
    checked: list[list[Finding]] = []
    for article, article_findings in zip(articles, findings, strict=True):
        items: list[Finding] = []
        for start, end, rule, category in article_findings:
            if not 0 <= start <= end <= len(article.text):
                raise ValueError(
                    f"record {article.key}: finding [{start}, {end}) of rule {rule!r} "
                    f"outside the text (length {len(article.text)})"
                )
            items.append((int(start), int(end), str(rule), str(category)))
        checked.append(items)

    words = sum(a.words for a in articles)
    fluency_total = sum(len(a.fluency) for a in articles)
    group_totals = {
        group: sum(1 for a in articles for _, groups in a.fluency if group in groups)
        for group in GROUPS
    }
    group_totals = {g: n for g, n in group_totals.items() if n}
    score = partial(
        _score,
        articles,
        fluency_total=fluency_total,
        group_totals=group_totals,
        words=words,
        seeds=seeds,
        draws=draws,
        max_pinpoint=max_pinpoint,
    )

    def subset(key: Callable[[Finding], str]) -> dict[str, Scores]:
        names = sorted({key(f) for items in checked for f in items})
        return {
            name: score([[f for f in items if key(f) == name] for items in checked])
            for name in names
        }

    return Report(
        records=len(articles),
        words=words,
        errors=sum(len(a.errors) for a in articles),
        fluency_errors=fluency_total,
        group_errors=group_totals,
        seeds=seeds,
        draws=draws,
        max_pinpoint=max_pinpoint,
        overall=score(checked),
        by_category=subset(lambda f: f[3]),
        by_rule=subset(lambda f: f[2]),
        label=label,
    )


def evaluate(
    path: str | Path | Sequence[Mapping[str, Any]],
    checker: Checker,
    *,
    systems: Sequence[str] | None = None,
    exclude_human: bool = False,
    limit: int | None = None,
    seeds: int = DEFAULT_SEEDS,
    draws: int = DEFAULT_DRAWS,
    max_pinpoint: int = MAX_PINPOINT,
    progress: Callable[[int, int], None] | None = None,
    label: str | None = None,
) -> Report:
    """Run ``checker`` on each article of ``path`` (a JSON-lines file, or records already
    loaded), one article at a time, and measure its findings.

    ``systems``, ``exclude_human`` and ``limit`` select records (:func:`filter_records`);
    ``progress(done, total)`` is called after each article; ``label`` names the run in the
    report (the file name by default).  The report records the checker's and the metric's time.
    """
    if isinstance(path, (str, Path)):
        records: Sequence[Mapping[str, Any]] = load_records(path)
        label = str(path) if label is None else label
    else:
        records = path
    records = filter_records(records, systems=systems, exclude_human=exclude_human, limit=limit)
    started = time.perf_counter()
    findings: list[list[Finding]] = []
    for done, record in enumerate(records, start=1):
        findings.append(list(checker(record["text"])))
        if progress is not None:
            progress(done, len(records))
    check_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = compute_metrics(
        records, findings, seeds=seeds, draws=draws, max_pinpoint=max_pinpoint, label=label or ""
    )
    report.check_seconds = check_seconds
    report.metric_seconds = time.perf_counter() - started
    return report


# --------------------------------------------------------------------------- output


def report_to_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    return asdict(report)


def _effective_lift(scores: Scores) -> float:
    """Lift, or for a zero chance level: -1 when nothing was hit, infinity when something was."""
    if scores.lift is not None:
        return scores.lift
    return math.inf if scores.precision else -1.0


def _weakness(item: tuple[str, Scores]) -> tuple[float, int, str]:
    """Sort key putting the weakest rules first: lowest lift, then most findings."""
    name, scores = item
    return (_effective_lift(scores), -scores.findings, name)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def format_report(report: Report, *, top: int | None = None) -> str:
    """A readable table: totals, then overall, per category and per rule, weakest first.

    Columns: findings, findings per 1,000 words, precision, chance precision, lift, pinpoint
    recall, chance pinpoint recall, pinpoint lift, and the pinpoint recall of each error group
    present in the data.  ``top`` limits the per-rule rows.
    """
    groups = list(report.group_errors)
    header = ["", "findings", "/1k w", "prec", "chance", "lift", "pin.rec", "chance", "pin.lift"]
    header += [g[:5] for g in groups]

    def row(name: str, s: Scores) -> list[str]:
        mark = "!" if _effective_lift(s) < 1 else " "
        cells = [
            f"{mark}{name}",
            str(s.findings),
            _fmt(s.per_1k, 1),
            _fmt(s.precision),
            _fmt(s.chance_precision),
            _fmt(s.lift, 2),
            _fmt(s.pinpoint_recall),
            _fmt(s.chance_pinpoint_recall),
            _fmt(s.pinpoint_lift, 2),
        ]
        cells += [_fmt(s.groups[g].pinpoint_recall) if g in s.groups else "-" for g in groups]
        return cells

    def table(title: str, rows: list[list[str]]) -> list[str]:
        body = [[title] + header[1:]] + rows
        widths = [max(len(r[i]) for r in body) for i in range(len(header))]
        lines = []
        for r in body:
            first = r[0].ljust(widths[0])
            rest = [cell.rjust(width) for cell, width in zip(r[1:], widths[1:], strict=True)]
            lines.append("  ".join([first, *rest]))
        lines.insert(1, "-" * len(lines[0]))
        return lines

    o = report.overall
    out = [
        f"{report.label or 'evaluation'}: {report.records} articles, {report.words} words, "
        f"{report.errors} error spans, {report.fluency_errors} fluency-error spans"
        + (
            " (" + ", ".join(f"{g} {n}" for g, n in report.group_errors.items()) + ")"
            if report.group_errors
            else ""
        ),
        f"chance: each finding moved to {report.draws} random word starts x {report.seeds} seeds; "
        f"pinpoint: findings <= {report.max_pinpoint} chars",
    ]
    if report.check_seconds is not None:
        rate = report.words / report.check_seconds if report.check_seconds else math.inf
        out.append(
            f"time: checker {report.check_seconds:.2f} s ({rate:,.0f} words/s), "
            f"metric {report.metric_seconds or 0:.2f} s"
        )
    out.append("")
    out += table("overall", [row("all", o)])
    if o.groups:
        out.append(
            "pinpoint recall by group (chance, lift): "
            + "; ".join(
                f"{g} {_fmt(s.pinpoint_recall)} ({_fmt(s.chance_pinpoint_recall)}, "
                f"{_fmt(s.pinpoint_lift, 2)})"
                for g, s in o.groups.items()
            )
        )
    out.append("")
    out += table(
        "category", [row(n, s) for n, s in sorted(report.by_category.items(), key=_weakness)]
    )
    out.append("")
    rules = sorted(report.by_rule.items(), key=_weakness)
    shown = rules if top is None else rules[:top]
    out += table("rule (weakest first)", [row(n, s) for n, s in shown])
    if len(shown) < len(rules):
        out.append(f"... {len(rules) - len(shown)} more rules")
    out.append("(! = lift below 1, or no hit at all: no better than flagging random places)")
    return "\n".join(out)


# --------------------------------------------------------------------------- evidence per rule
#
# Which rules earn a place among the defaults: each rule's lift with a confidence interval on the
# pooled dev sets, and grouped cross-validation of that choice (benchmarks/evaluate.py --cv).
#
# - **Source groups.** Records that come from one source document are not independent: the 15
#   systems' translations of one TED talk share their content, and WeTS's records are groups of
#   15 sentences of their own.  :func:`source_group` names the group; intervals resample groups
#   and folds hold whole groups out.
# - **Evidence units.** A rule that flags one repeated token (a stock code, a name) many times in
#   one article has one piece of evidence, not many: a rule's distinct spans in an article are
#   pooled by their text (lower-cased, spaces collapsed), and a unit's hit and chance are the
#   means of its spans'.
# - **Interval.** A stratified cluster bootstrap (each data set a stratum; its source groups
#   resampled with replacement, the groups where the rule did not fire included) of
#   lift = Σ hit / Σ chance: a two-sided 95% percentile interval is reported.  The decision
#   "is the rule above chance?" is a one-sided test, so it reads the one-sided 95% lower bound:
#   the 5th percentile of the bootstrap, or, smaller when there are few units (where the
#   bootstrap is degenerate), the exact (Clopper–Pearson) one-sided 95% lower bound of the
#   units' precision divided by their chance precision.  A rule that fired in only one source
#   group has no lower bound at all (one document is one piece of evidence).


@dataclass(frozen=True)
class EvidenceUnit:
    """One piece of evidence for a rule: its spans with one text in one article."""

    stratum: str  # the data set
    group: str  # the source document (see :func:`source_group`)
    record: int  # index of the record in its data set
    spans: int
    hit: float  # mean of the spans' hits (0/1)
    chance: float  # mean of the spans' chance of a hit when moved to random word starts


@dataclass
class RuleEvidence:
    """A rule's lift on pooled data, with its interval."""

    rule: str
    findings: int
    units: int
    groups: int  # source groups in which it fired
    precision: float | None
    chance_precision: float | None
    lift: float | None
    ci_low: float | None
    ci_high: float | None
    exact_low: float | None
    lower_bound: float | None  # one-sided 95%: min(bootstrap, exact); None when it fired in one source group
    by_stratum: dict[str, dict[str, float | int | None]] = field(default_factory=dict)

    @property
    def passes(self) -> bool:
        return self.lower_bound is not None and self.lower_bound > 1.0


def source_group(record: Mapping[str, Any], index: int) -> str:
    """The source document a record was translated from: TED records of one talk (``doc_id``)
    share one; a record without ``doc_id`` (a WeTS group of sentences) is its own."""
    doc = record.get("doc_id")
    return f"doc:{doc}" if doc else f"rec:{record.get('id', index)}"


def _unit_key(text: str, start: int, end: int) -> str:
    if start == end:  # an insertion point: the word after it
        match = _WORD.search(text, start)
        return "^" + (match.group(0).lower() if match else "")
    return " ".join(text[start:end].lower().split())


def evidence_units(
    records: Sequence[Mapping[str, Any]],
    findings: Sequence[Iterable[Finding]],
    *,
    stratum: str,
    seeds: int = DEFAULT_SEEDS,
    draws: int = DEFAULT_DRAWS,
) -> dict[str, list[EvidenceUnit]]:
    """Each rule's evidence units in one data set (``findings[i]`` found in ``records[i]``)."""
    out: dict[str, list[EvidenceUnit]] = {}
    for index, (record, items) in enumerate(zip(records, findings, strict=True)):
        article = _Article(record, index)
        group = source_group(record, index)
        by_rule: dict[str, set[tuple[int, int]]] = {}
        for start, end, rule, _ in items:
            by_rule.setdefault(rule, set()).add((int(start), int(end)))
        length = len(article.text)
        for rule, spans in by_rule.items():
            pooled: dict[str, list[tuple[float, float]]] = {}
            for span in sorted(spans):
                hit = float(article.errors.hits(*span))
                width = span[1] - span[0]
                moved = [
                    article.errors.hits(s, min(s + width, length))
                    for seed in range(seeds)
                    for s in article.moves(seed, span, draws)
                ]
                pooled.setdefault(_unit_key(article.text, *span), []).append(
                    (hit, sum(moved) / len(moved))
                )
            for pairs in pooled.values():
                out.setdefault(rule, []).append(
                    EvidenceUnit(
                        stratum, group, index, len(pairs),
                        sum(p[0] for p in pairs) / len(pairs), sum(p[1] for p in pairs) / len(pairs),
                    )
                )
    return out


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-12:
            break
    return h


def beta_cdf(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, 1.0 - x) / b


def exact_lower(successes: float, n: int, level: float = 0.95) -> float | None:
    """Clopper–Pearson (exact) lower bound of a proportion: the ``(1 - level) / 2`` quantile of
    Beta(x, n - x + 1).  ``successes`` may be fractional (units pool several spans).  Unlike
    Wilson's, this bound does not flatter a rule with one or two lucky findings."""
    if n <= 0:
        return None
    if successes <= 0:
        return 0.0
    a, b = successes, n - successes + 1.0
    target = (1.0 - level) / 2
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if beta_cdf(mid, a, b) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def lift_interval(
    units: Sequence[EvidenceUnit],
    groups_by_stratum: Mapping[str, Sequence[str]],
    *,
    boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
    one_sided: float | None = None,
):
    """Percentile interval of Σ hit / Σ chance under a stratified cluster bootstrap.

    ``groups_by_stratum`` lists every source group of each data set (also those without a
    unit of this rule).  ``(None, None)`` when there are no units.  With ``one_sided``, a third
    value: the one-sided lower bound at that level (the ``1 - one_sided`` percentile).
    """
    import numpy as np

    if not units:
        return (None, None, None) if one_sided is not None else (None, None)
    rng = np.random.default_rng(seed)
    total_hit = np.zeros(boot)
    total_chance = np.zeros(boot)
    for stratum, groups in groups_by_stratum.items():
        index = {g: i for i, g in enumerate(groups)}
        hit = np.zeros(len(groups))
        chance = np.zeros(len(groups))
        for u in units:
            if u.stratum == stratum:
                hit[index[u.group]] += u.hit
                chance[index[u.group]] += u.chance
        if not hit.any() and not chance.any():
            continue
        draw = rng.integers(0, len(groups), size=(boot, len(groups)))
        total_hit += hit[draw].sum(axis=1)
        total_chance += chance[draw].sum(axis=1)
    valid = total_chance > 0
    if not valid.any():
        return (None, None, None) if one_sided is not None else (None, None)
    ratios = total_hit[valid] / total_chance[valid]
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(ratios, [tail, 100 - tail])
    if one_sided is not None:
        return float(low), float(high), float(np.percentile(ratios, (1 - one_sided) * 100))
    return float(low), float(high)


def rule_evidence(
    units: Mapping[str, Sequence[EvidenceUnit]],
    groups_by_stratum: Mapping[str, Sequence[str]],
    *,
    findings: Mapping[str, int] | None = None,
    boot: int = 2000,
) -> dict[str, RuleEvidence]:
    """Every rule's pooled lift, interval and lower bound (see the section's comment)."""
    out: dict[str, RuleEvidence] = {}
    for rule, items in sorted(units.items()):
        n = len(items)
        hits = sum(u.hit for u in items)
        chance = sum(u.chance for u in items)
        lift = _lift(hits / n, chance / n) if n else None
        low, high, one = lift_interval(items, groups_by_stratum, boot=boot, one_sided=0.95)
        w = exact_lower(hits, n, level=0.90)  # the one-sided 95% exact bound
        exact = w / (chance / n) if w is not None and chance else None
        fired_in = len({(u.stratum, u.group) for u in items})
        bounds = [b for b in (one, exact) if b is not None]
        by_stratum: dict[str, dict[str, float | int | None]] = {}
        for stratum in groups_by_stratum:
            mine = [u for u in items if u.stratum == stratum]
            if mine:
                h = sum(u.hit for u in mine)
                c = sum(u.chance for u in mine)
                by_stratum[stratum] = {
                    "units": len(mine),
                    "spans": sum(u.spans for u in mine),
                    "lift": _lift(h, c),
                }
        out[rule] = RuleEvidence(
            rule=rule,
            findings=(findings or {}).get(rule, sum(u.spans for u in items)),
            units=n,
            groups=fired_in,
            precision=hits / n if n else None,
            chance_precision=chance / n if n else None,
            lift=lift,
            ci_low=low,
            ci_high=high,
            exact_low=exact,
            # one source document is one piece of evidence, whatever its count: no bound
            lower_bound=min(bounds) if bounds and fired_in >= 2 else None,
            by_stratum=by_stratum,
        )
    return out


def grouped_folds(records: Sequence[Mapping[str, Any]], k: int, *, seed: int = 0) -> list[int]:
    """A fold number (0..k-1) for each record; records of one source group share a fold.

    With k groups or fewer, each group is a fold (leave one talk out); otherwise the groups are
    shuffled (seeded) and dealt round-robin.
    """
    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    groups = sorted({source_group(r, i) for i, r in enumerate(records)})
    if len(groups) < 2:
        raise ValueError("cross-validation needs at least 2 source groups")
    if len(groups) > k:
        random.Random(seed).shuffle(groups)
    fold_of = {g: i % k for i, g in enumerate(groups)}
    return [fold_of[source_group(r, i)] for i, r in enumerate(records)]


def spread(values: Sequence[float | None]) -> dict[str, float | None]:
    """Mean, sample standard deviation, minimum and maximum of the defined values."""
    kept = [v for v in values if v is not None]
    if not kept:
        return {"mean": None, "sd": None, "min": None, "max": None, "n": 0}
    mean = sum(kept) / len(kept)
    sd = math.sqrt(sum((v - mean) ** 2 for v in kept) / (len(kept) - 1)) if len(kept) > 1 else 0.0
    return {"mean": mean, "sd": sd, "min": min(kept), "max": max(kept), "n": len(kept)}


# --------------------------------------------------------------------------- rates per rule
#
# How often a rule fires, per 1,000 words, and how often as an error: on human English (false
# alarms: benchmarks/false_alarms.py, and the admission policy of benchmarks/evaluate.py --cv) and
# on machine translation, where the spans' precision against the annotated errors is counted too.
# A finding is a distinct ``(start, end, rule)`` triple, as in :class:`Scores`; its severity, when
# given, is the fifth item of the tuple (``"error"``, ``"warning"``, ``"info"``).


@dataclass
class RuleRate:
    """A rule's counts over some articles."""

    findings: int = 0  # distinct (start, end, rule) triples
    errors: int = 0  # of them, those with severity "error"
    spans: int = 0  # distinct (start, end) spans
    hits: int = 0  # of them, those that overlap an annotated error

    def add(self, other: RuleRate) -> None:
        self.findings += other.findings
        self.errors += other.errors
        self.spans += other.spans
        self.hits += other.hits

    @property
    def precision(self) -> float | None:
        """Share of the spans that overlap an annotated error (``None`` without spans)."""
        return _ratio(self.hits, self.spans)


def per_1k(count: float, words: int) -> float | None:
    """``count`` per 1,000 words (``None`` for no words)."""
    return _ratio(1000 * count, words)


def record_rates(record: Mapping[str, Any], findings: Iterable[Sequence[Any]], index: int = 0
                 ) -> dict[str, RuleRate]:
    """Each rule's counts in one article: ``findings`` are tuples ``(start, end, rule, category[,
    severity, ...])`` in code points of ``record["text"]``; hits count against the record's
    ``errors`` (none for an article without annotations)."""
    errors = _Article(record, index).errors
    seen: dict[str, dict[tuple[int, int], bool]] = {}
    out: dict[str, RuleRate] = {}
    for item in findings:
        start, end, rule = int(item[0]), int(item[1]), str(item[2])
        severity = item[4] if len(item) > 4 else None
        spans = seen.setdefault(rule, {})
        rate = out.setdefault(rule, RuleRate())
        if (start, end) in spans:
            # the same span again: an error if any of its findings is one
            if severity == "error" and not spans[(start, end)]:
                spans[(start, end)] = True
                rate.errors += 1
            continue
        spans[(start, end)] = severity == "error"
        rate.findings += 1
        rate.spans += 1
        rate.errors += severity == "error"
        rate.hits += errors.hits(start, end)
    return out


def sum_rates(parts: Iterable[Mapping[str, RuleRate]]) -> dict[str, RuleRate]:
    """Every rule's counts added up over several articles."""
    total: dict[str, RuleRate] = {}
    for part in parts:
        for rule, rate in part.items():
            total.setdefault(rule, RuleRate()).add(rate)
    return total


def total_rate(rates: Mapping[str, RuleRate]) -> RuleRate:
    """All rules' counts together (one finding per rule and span)."""
    out = RuleRate()
    for rate in rates.values():
        out.add(rate)
    return out


def common_severities(found: Mapping[str, Sequence[Sequence[Sequence[Any]]]]) -> dict[str, str]:
    """Each rule's most common severity in findings rows ``(start, end, rule, category, severity)``
    kept per data set and article."""
    counts: dict[str, Counter] = {}
    for rows in found.values():
        for article in rows:
            for f in article:
                counts.setdefault(f[2], Counter())[f[4]] += 1
    return {rule: c.most_common(1)[0][0] for rule, c in counts.items()}
