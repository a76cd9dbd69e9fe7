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
    "Scores",
    "compute_metrics",
    "error_group",
    "evaluate",
    "filter_records",
    "format_report",
    "load_records",
    "overlaps",
    "report_to_dict",
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


def load_records(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSON-lines file: one JSON object a line, blank lines skipped.

    Raises ``ValueError`` naming the file and line when a line is not a JSON object with a
    string ``text``.
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
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError(f"{path}:{number}: expected a JSON object with a string 'text'")
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
