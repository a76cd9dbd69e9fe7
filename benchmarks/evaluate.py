#!/usr/bin/env python
"""Measure a checker's detection quality on annotated machine translation.

    python benchmarks/evaluate.py DATA.jsonl [DATA2.jsonl ...] [options]

Each article of each file is checked on its own, as if it were its own file, and the findings
are scored with the metric of ``shared/data/README.md`` (see ``benchmarks/evaluation.py``): precision
against chance, pinpoint recall against chance, findings per 1,000 words; overall, per category
and per rule, weakest rules first.  Each file gets its own report (annotation densities differ,
so sets are not pooled).

Engines:

- ``cleanup`` (default): this project's pipeline, ``editor.api.check_text``; ``--select`` and
  ``--ignore`` pass rule-code prefixes to it.
- ``harper``: Harper (harper-py) with its default rules, as a reference point; rule names are
  Harper's rule keys, categories its lint kinds.  ``--select``/``--ignore`` filter its rule
  names by prefix.
- ``harper-cleanup``: Harper as ``cleanup check`` runs it (editor/backends/harper.py: our default
  selection of its rules, on the prose segments, names recognised by spaCy not spelling errors);
  codes ``HARPER/<Rule>``.  ``--select HARPER/SpellCheck`` etc. work as on the command line.
- ``both``: what ``cleanup check`` reports by default (LanguageTool off): our rules and Harper,
  merged (editor/merge.py).  LanguageTool needs a server and is not measured here.

Examples::

    python benchmarks/evaluate.py ../shared/data/mqm_zhen_2021ted_docs.jsonl --exclude-human
    python benchmarks/evaluate.py ../shared/data/mqm_zhen_2021ted_docs.jsonl --system refB
    python benchmarks/evaluate.py ../shared/data/*.jsonl --engine harper --json

``--cv`` chooses the default rules (see benchmarks/README.md): a lower bound of lift above 1, and
(issue 21) a rate on machine translation (the higher of its rates on the MT sets) at least 3x the rate on human English (TED's human
translations, and with ``--human``, on by default when the files are there, JFLEG's references and
MLQE-PE's post-edits), judged with at least 5 findings on human English, after the article gate
(editor.gate) for an ``mt-articles-only`` rule; mechanical rules the annotations cannot judge are
exempt from the lift test (``MECHANICAL``).  Its figures are those of a default run rebuilt from
every rule's raw findings, the article gate included, with the defaults' findings and errors per
1,000 words on human English and issue 21's targets; it also prints each rule's precision on MT
and the severity the policy allows (``--severities``: our rules whose severity disagrees).  The
plain evaluation runs the pipeline, so its figures include the gate too (``--select`` naming a
gated rule by its exact code turns its gate off, as on the command line).

Exit status: 0 on success, 2 on bad input (missing or malformed file, unknown engine, no
records left after filtering, the pipeline not available).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # evaluation.py, the metric, beside this script

from evaluation import (  # noqa: E402
    DEFAULT_SEEDS,
    MAX_PINPOINT,
    Checker,
    Finding,
    Report,
    RuleEvidence,
    RuleRate,
    common_severities,
    compute_metrics,
    evaluate,
    evidence_units,
    filter_records,
    format_report,
    grouped_folds,
    load_records,
    per_1k,
    record_rates,
    report_to_dict,
    rule_evidence,
    source_group,
    spread,
    sum_rates,
)


class UsageError(Exception):
    """Bad input: reported plainly, exit code 2."""


def _prefix_filter(
    select: Sequence[str] | None, ignore: Sequence[str] | None
) -> Callable[[str], bool]:
    """Whether a rule name passes ``--select`` and ``--ignore`` (prefixes, as ruff's)."""

    def keep(rule: str) -> bool:
        if select and not any(rule.startswith(p) for p in select):
            return False
        return not (ignore and any(rule.startswith(p) for p in ignore))

    return keep


def cleanup_checker(select: Sequence[str] | None, ignore: Sequence[str] | None) -> Checker:
    """The project's own pipeline (``editor.api.check_text``), imported on first use."""
    try:
        from editor.api import check_text
    except ImportError as exc:
        raise UsageError(f"the cleanup pipeline is not available (editor.api: {exc})") from None

    def check(text: str) -> list[Finding]:
        found = check_text(text, fmt="txt", select=select or None, ignore=ignore or None)
        return [(f.span.start, f.span.end, f.rule, f.category) for f in found]

    return check


def harper_checker(select: Sequence[str] | None, ignore: Sequence[str] | None) -> Checker:
    """Harper with its default configuration, one linter built once.

    Harper's spans are code points of the linted ``str`` (as harper-py documents and as
    ``Lint.problem_text == text[start:end]`` confirms), so they are used as they are.  The text
    is linted as plain text: the articles are not Markdown.
    """
    try:
        import harper
    except ImportError as exc:
        raise UsageError(f"harper-py is not installed ({exc})") from None
    linter = harper.Linter(harper.Dialect.AMERICAN)
    keep = _prefix_filter(select, ignore)

    def check(text: str) -> list[Finding]:
        organized = linter.organized_lints(text, language=harper.Language.PLAINTEXT)
        return [
            (lint.span.start, lint.span.end, rule, lint.lint_kind)
            for rule, lints in organized.items()
            if keep(rule)
            for lint in lints
        ]

    return check


def _pipeline_checker(harper: bool, only_harper: bool = False):
    def build(select: Sequence[str] | None, ignore: Sequence[str] | None) -> Checker:
        try:
            from editor.api import check_text
        except ImportError as exc:
            raise UsageError(f"the cleanup pipeline is not available (editor.api: {exc})") from None
        sel = list(select or []) or (["HARPER"] if only_harper else None)

        def check(text: str) -> list[Finding]:
            found = check_text(text, fmt="txt", select=sel, ignore=ignore or None, harper=harper)
            return [(f.span.start, f.span.end, f.rule, f.category) for f in found]

        return check

    return build


ENGINES = {
    "cleanup": cleanup_checker,
    "harper": harper_checker,
    # Harper as `cleanup check` runs it: our default selection of its rules, on the prose
    # segments, names (spaCy NER) not spelling errors
    "harper-cleanup": _pipeline_checker(True, only_harper=True),
    # what `cleanup check` reports by default (LanguageTool off): our rules and Harper, merged
    "both": _pipeline_checker(True),
}


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/evaluate.py",
        description="Detection quality (precision and pinpoint recall against chance) on "
        "annotated machine translation.",
    )
    parser.add_argument(
        "data", nargs="+", type=Path, help="JSON-lines file(s) of annotated articles"
    )
    parser.add_argument(
        "--engine", choices=sorted(ENGINES), default="cleanup", help="checker to measure"
    )
    parser.add_argument(
        "--system",
        action="append",
        metavar="NAME",
        help="only articles of this system (repeatable), e.g. refB",
    )
    parser.add_argument(
        "--exclude-human", action="store_true", help="leave out human reference translations"
    )
    parser.add_argument(
        "--select", nargs="+", metavar="PREFIX", help="only rules with these code prefixes"
    )
    parser.add_argument(
        "--ignore", nargs="+", metavar="PREFIX", help="leave out rules with these code prefixes"
    )
    parser.add_argument(
        "--seeds", type=int, default=DEFAULT_SEEDS, help="seeded runs for the chance levels"
    )
    parser.add_argument(
        "--max-pinpoint",
        type=int,
        default=MAX_PINPOINT,
        help="longest finding (characters) that earns pinpoint recall",
    )
    parser.add_argument(
        "--limit", type=int, metavar="N", help="only the first N articles (after filtering)"
    )
    parser.add_argument("--top", type=int, metavar="N", help="show only the N weakest rules")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    cv = parser.add_argument_group(
        "cross-validation (--cv)",
        "Every rule of every engine is run once (ours with ALL, Harper with all its rules); each "
        "rule's lift gets a confidence interval on the pooled sets; the default-rule decision "
        "(lower bound of lift above 1) is cross-validated by source document.",
    )
    cv.add_argument("--cv", action="store_true", help="grouped cross-validation of the defaults")
    cv.add_argument("--folds", type=int, default=5, help="folds (TED: one talk a fold) [5]")
    cv.add_argument("--boot", type=int, default=2000, help="bootstrap resamples per interval [2000]")
    cv.add_argument("--findings-cache", type=Path, metavar="FILE",
                    help="reuse the raw findings saved in FILE (written there when missing)")
    cv.add_argument("--write-evidence", type=Path, metavar="FILE",
                    help="write each rule's pooled evidence and decision as JSON (checked in as "
                    "benchmarks/rule-evidence.json)")
    cv.add_argument("--human", action=argparse.BooleanOptionalAction, default=None,
                    help="add human English beside the TED human translations: JFLEG dev's first "
                    "references and MLQE-PE's post-edits (see benchmarks/false_alarms.py) [on when the "
                    "files exist]")
    cv.add_argument("--jfleg", type=Path, metavar="FILE",
                    help="JFLEG dev [jfleg_dev.jsonl beside the first data file]")
    cv.add_argument("--mlqe-pe", type=Path, metavar="DIR",
                    help="MLQE-PE post-editing data, extracted [$CLEANUP_MLQE_PE; skipped when neither is set]")
    cv.add_argument("--model-folds", type=Path, metavar="DIR",
                    help="the learned detector's fold models (training/cv_detector.py: DIR/fold-K): each "
                    "record of the data sets is checked with the model of its own fold, which never saw its "
                    "source document; human sets outside the folds with the shipped model")
    cv.add_argument("--severities", action="store_true",
                    help="list our rules whose rule-file severity disagrees with the severity policy")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    return args


def _load(args: argparse.Namespace) -> list[tuple[Path, list[Mapping[str, Any]]]]:
    """Every file, read and filtered (UsageError naming the file on bad input)."""
    datasets: list[tuple[Path, list[Mapping[str, Any]]]] = []
    for path in args.data:
        try:
            loaded = load_records(path)
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        records = filter_records(
            loaded, systems=args.system, exclude_human=args.exclude_human, limit=args.limit
        )
        if not records:
            raise UsageError(f"{path}: no articles left after filtering")
        datasets.append((path, records))
    return datasets


def _run(args: argparse.Namespace) -> list[Report]:
    """Load and filter every file first (so bad input fails before models load), then check."""
    datasets = _load(args)

    started = time.perf_counter()
    checker = ENGINES[args.engine](args.select, args.ignore)
    if not args.quiet:
        print(f"{args.engine} set-up: {time.perf_counter() - started:.2f} s", file=sys.stderr)

    reports = []
    for path, records in datasets:

        def progress(done: int, total: int, name: str = path.name) -> None:
            end = "\n" if done == total else ""
            print(f"\r{name}: {done}/{total} articles", end=end, file=sys.stderr, flush=True)

        label = f"{path} [{args.engine}]"
        if args.system:
            label += f" systems={','.join(args.system)}"
        if args.exclude_human:
            label += " without human references"
        try:
            reports.append(
                evaluate(
                    records,
                    checker,
                    seeds=args.seeds,
                    max_pinpoint=args.max_pinpoint,
                    progress=None if args.quiet else progress,
                    label=label,
                )
            )
        except ValueError as exc:  # a finding outside its text: a checker bug, said plainly
            raise UsageError(f"{path}: {exc}") from None
    return reports

# --------------------------------------------------------------------------- cross-validation

RawFinding = tuple  # (start, end, rule, category, severity, source, has_fix): JSON-friendly

METRICS = ("per_1k", "precision", "lift", "pinpoint_recall", "pinpoint_lift")


def _dataset_name(path: Path) -> str:
    return path.stem


def _collect_raw(datasets: list[tuple[str, list[Mapping[str, Any]]]], quiet: bool,
                 model_folds: Path | None = None, folds: int = 5) -> dict[str, list]:
    """Every rule of every engine on every record, before merging and overlap resolution (the
    learned detector's findings only where its article gate lets them through).  With
    ``model_folds``, the records of the data sets that the folds cover (those with a fold's
    model) are checked with their own fold's learned detector (``model_folds/fold-K``)."""
    try:
        from editor.api import get_checker
    except ImportError as exc:
        raise UsageError(f"the cleanup pipeline is not available (editor.api: {exc})") from None
    checker = get_checker(select=["ALL"], harper=True)
    fold_checkers = _fold_checkers(model_folds) if model_folds else {}
    out: dict[str, list] = {}
    for name, records in datasets:
        fold_of = grouped_folds(records, folds) if fold_checkers and not _human_set(name) else None
        rows = []
        for done, record in enumerate(records, start=1):
            use = fold_checkers[fold_of[done - 1]] if fold_of else checker
            found, model_gate = use.detect_scored(record["text"], "txt")
            held = model_gate is not None and model_gate[0] < model_gate[1]  # the detector's article gate
            rows.append([
                (f.span.start, f.span.end, f.rule, f.category, f.severity.value, f.source, bool(f.fixes))
                for f in found if not (held and f.rule.startswith("MODEL/"))
            ])
            if not quiet:
                end = "\n" if done == len(records) else ""
                print(f"\r{name}: {done}/{len(records)} articles", end=end, file=sys.stderr, flush=True)
        out[name] = rows
    return out


def _human_set(name: str) -> bool:
    """The human-English sets (:func:`_human_sets`): outside the folds."""
    return name.startswith("human:")


def _fold_checkers(folder: Path) -> dict[int, Checker]:
    """A checker per fold model ``folder/fold-K`` (every rule, Harper, that fold's detector)."""
    import os

    from editor.api import get_checker

    found = sorted(folder.glob("fold-*"))
    if not found:
        raise UsageError(f"--model-folds: no fold-K folders in {folder} (training/cv_detector.py makes them)")
    checkers = {}
    before = os.environ.get("CLEANUP_DETECTOR_MODEL")
    try:
        for path in found:
            os.environ["CLEANUP_DETECTOR_MODEL"] = str(path.resolve())
            checkers[int(path.name.split("-")[1])] = get_checker(select=["ALL"], harper=True)
    finally:
        if before is None:
            os.environ.pop("CLEANUP_DETECTOR_MODEL", None)
        else:
            os.environ["CLEANUP_DETECTOR_MODEL"] = before
    return checkers


def _model_key(folder: Path | None) -> str | None:
    """What the detector's findings depend on: the fold models' files (or the shipped model's)."""
    import hashlib

    from editor.backends.detector import model_folder

    paths = sorted(folder.glob("fold-*/*")) if folder else []
    shipped = model_folder()
    if shipped is not None and shipped.is_dir():
        paths += sorted(shipped.iterdir())
    if not paths:
        return None
    h = hashlib.sha256()
    for p in paths:
        if p.is_file():
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]


def _raw_findings(datasets, args) -> dict[str, list]:
    cache = args.findings_cache
    key = {name: [r.get("id", i) for i, r in enumerate(records)] for name, records in datasets}
    model = _model_key(args.model_folds)
    if cache is not None and cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("records") == key and data.get("model") == model:
            return {name: [[tuple(f) for f in rows] for rows in items] for name, items in data["findings"].items()}
        print(f"{cache}: made for other records; checking again", file=sys.stderr)
    raw = _collect_raw(datasets, args.quiet, args.model_folds, args.folds)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"records": key, "model": model, "findings": raw}), encoding="utf-8")
    return raw


@lru_cache(maxsize=1)
def _rule_files() -> tuple[dict[str, int], frozenset[str], dict[str, str]]:
    """From our rule files: each rule's overlap priority (editor.pipeline.resolve), the rules the
    article gate applies to (``mt-articles-only: true``, editor.gate) and each rule's severity
    (which a findings cache made before a rule file changed its severity does not know)."""
    from editor.engine import load_rules

    from editor.backends import detector

    rules = load_rules()
    gated = {r.code for r in rules if r.mt_articles_only}
    meta = detector.read_meta(detector.model_folder())
    if meta and meta.get("mt_articles_only"):  # the learned detector waits for the same gate
        gated.add(detector.CODE)
    return ({r.code: r.priority for r in rules if r.priority}, frozenset(gated),
            {r.code: r.severity.value for r in rules})


def gated_rules() -> frozenset[str]:
    """Our rules with ``mt-articles-only: true`` (and the learned detector when its meta.json says
    ``mt_articles_only``): held back by the article gate in a default run."""
    return _rule_files()[1]


def default_run(raw_rows: list[RawFinding], chosen: Collection[str], words: int,
                gated: Collection[str] | None = None) -> list:
    """What a run with only the ``chosen`` rules reports, as the pipeline makes it: merged across
    engines (editor.merge.merge), the article gate (editor.gate: the findings of the chosen
    ``gated`` rules, by default those whose rule file says ``mt-articles-only: true``, held back
    unless the article's findings of the chosen MT rules open it), then one finding per span
    (editor.pipeline.resolve).  ``words``: the article's words (``len(text.split())``)."""
    from editor.findings import Applicability, Edit, Finding as Found, Fix, Severity, Span
    from editor.gate import evidence, split
    from editor.merge import fold_model, merge
    from editor.pipeline import resolve

    priorities, gated_files, severities = _rule_files()
    items = []
    for start, end, rule, category, severity, source, has_fix in raw_rows:
        if rule not in chosen:
            continue
        span = Span(start, end)
        fixes = (Fix((Edit(span, ""),), Applicability.UNSAFE),) if has_fix else ()
        items.append(Found(rule, category, Severity(severities.get(rule, severity)), "", span, fixes, source, "",
                           (source,)))
    merged = merge(items)
    codes = [f.rule for f in merged]
    gate = (gated_files if gated is None else frozenset(gated)) & set(chosen)
    shown, _ = split(merged, codes, gate, evidence(codes, words))
    return resolve(fold_model(shown), priorities)


def _selected(raw_rows: list[RawFinding], chosen: Collection[str], words: int,
              gated: Collection[str] | None = None) -> list[Finding]:
    """:func:`default_run` as the metric's findings ``(start, end, rule, category)``."""
    return [(f.span.start, f.span.end, f.rule, f.category) for f in default_run(raw_rows, chosen, words, gated)]


def current_defaults() -> dict[str, bool]:
    """Every rule code of our rules and Harper's → on by default today."""
    from editor.backends import harper as h
    from editor.engine import load_rules

    from editor.backends import detector as d

    out = {r.code: r.default for r in load_rules()}
    if h.available():
        out.update({h.PREFIX + rule: h.is_default(rule) for rule in h.default_config()})
    meta = d.read_meta(d.model_folder())
    if meta is not None:
        out[d.CODE] = d.is_default(meta)
    return out


MIN_UNITS = 5
"""Fewer evidence units than this, or one source group: too rare to be judged alone."""

RARE = "(rare rules)"
"""The pseudo-rule under which our rare default rules are judged together."""


def rare(evidence: RuleEvidence | None) -> bool:
    return evidence is None or evidence.units < MIN_UNITS or evidence.groups < 2


HUMAN_RATIO = 3.0
"""A default rule must fire at least this many times as often on MT as on human English."""

MIN_HUMAN_FINDINGS = 5
"""The human-English test judges a rule only with at least this many findings on human English:
fewer is noise (a rule seen twice in 200,000 words of good English is not thereby common there)."""

ERROR_MIN_PRECISION = 0.85
ERROR_MIN_MT_FINDINGS = 10
ERROR_MAX_HUMAN_PER_1K = 0.1
"""The severity policy (issue 21): error only with this precision on MT over at least this many
findings on MT, and at most this rate on human English; everything else warning (or info)."""

MECHANICAL: dict[str, str] = {
    "MT602": "full-width punctuation is Chinese typography that no English text contains; the dev "
             "sets' annotators never mark it, so its lift cannot be measured",
}
"""Rules the dev data cannot judge (annotators never mark what they flag) but that cannot fire on
English at all: on by default without the lift test (reason ``mechanical: …``).  The human-English
test still applies to them, as a safeguard."""

GATE_ROUNDS = 5
"""The article gate of a default run depends on the rules it runs (their MT findings are its
evidence) and the human-English test of a gated rule on the gate: the choice is repeated with the
previous round's rules until it no longer changes, at most this many rounds."""

HUMAN_SYSTEMS = ("ref", "refB")


@dataclass(frozen=True)
class HumanEvidence:
    """A rule's rate on machine translation (the records of the dev sets that are not human
    translations: WeTS and TED's MT systems pooled) beside its rate on human English (TED's
    human translations, JFLEG's references, MLQE-PE's post-edits), each rule on its own (raw
    findings, before merging and overlap resolution, like the lift evidence); the findings of a
    rule with ``mt-articles-only`` only in the articles whose evidence opens the article gate of a
    default run (:func:`gate_rates`)."""

    mt: RuleRate
    mt_words: int
    human: RuleRate
    human_words: int
    # the rule's rate on each MT data set: the admission test reads the highest, since pooling
    # would let the larger set (TED's modern MT) dilute what a rule finds in crude news MT
    mt_by_set: tuple[float, ...] = ()

    @property
    def mt_per_1k(self) -> float | None:
        return per_1k(self.mt.findings, self.mt_words)

    @property
    def mt_peak_per_1k(self) -> float:
        return max((self.mt_per_1k or 0.0, *self.mt_by_set))

    @property
    def human_per_1k(self) -> float | None:
        return per_1k(self.human.findings, self.human_words)

    @property
    def precision(self) -> float | None:
        """The share of its distinct spans on MT that overlap an annotated error."""
        return self.mt.precision

    @property
    def ratio(self) -> float | None:
        """MT rate / human rate (``None`` when it never fired on human English)."""
        h = self.human_per_1k
        return self.mt_peak_per_1k / h if h else None

    @property
    def too_common(self) -> bool:
        """Fires about as often on human English: its MT rate is not HUMAN_RATIO x its human rate
        (whatever its number of findings there; :func:`decide` asks for MIN_HUMAN_FINDINGS)."""
        h = self.human_per_1k
        return bool(h) and self.mt_peak_per_1k < HUMAN_RATIO * h

    @property
    def severity(self) -> str:
        """The severity the policy allows: error only when precise on MT (over enough findings)
        and silent on human English."""
        p, h = self.precision, self.human_per_1k
        ok = (p is not None and p >= ERROR_MIN_PRECISION and self.mt.findings >= ERROR_MIN_MT_FINDINGS
              and h is not None and h <= ERROR_MAX_HUMAN_PER_1K)
        return "error" if ok else "warning"


def decide(rule: str, evidence: RuleEvidence | None, default_now: bool,
           pool: RuleEvidence | None = None, human: HumanEvidence | None = None) -> tuple[bool, str]:
    """The default-rule policy: :func:`decide_by_lift` (issue 12; a rule of :data:`MECHANICAL`
    is on without it), then (issue 21) a rule it turns on is turned off when its rate on MT is not
    :data:`HUMAN_RATIO` times its rate on human English (``human``, after the article gate for an
    ``mt-articles-only`` rule; no such test without it, when the rule never fired on human English,
    or with fewer than :data:`MIN_HUMAN_FINDINGS` findings there: noise)."""
    if rule in MECHANICAL:
        seen = "" if human is None else f" ({human.human.findings} findings on human English)"
        on, reason = True, f"mechanical: {MECHANICAL[rule]}{seen}"
    else:
        on, reason = decide_by_lift(rule, evidence, default_now, pool)
    if on and human is not None and human.too_common:
        if human.human.findings < MIN_HUMAN_FINDINGS:
            return on, (f"{reason}; too few findings on human English to judge ({human.human.findings} < "
                        f"{MIN_HUMAN_FINDINGS})")
        return False, (f"fires about as often on human English ({human.mt_peak_per_1k:.2f} per 1,000 words "
                       f"on MT, {human.human_per_1k:.2f} on human English; needs {HUMAN_RATIO:g}x)")
    return on, reason


def decide_by_lift(rule: str, evidence: RuleEvidence | None, default_now: bool,
                   pool: RuleEvidence | None = None) -> tuple[bool, str]:
    """The default-rule policy (issue 12): on only with a lower bound of lift above 1.

    - Harper: on only if it fired on the dev sets in at least two source documents and passes,
      and is not off for a reason that figures do not decide (``OFF_FOR_REASONS``: whole-sentence
      flags, duplicates of ours, style preferences, spelling's volume on names); rules that never
      fired stay opt-in.
    - Ours: an opt-in rule stays opt-in (it is off for what it flags, not for its figures).  A
      default rule with enough evidence (:data:`MIN_UNITS` units in two source groups) must pass
      on its own.  Rules too rare on the dev sets to be judged alone (many target calques that
      news and TED never contain) are judged together: their pooled units must pass (``pool``).
    """
    if rule.startswith(("HARPER/", "MODEL/")):
        from editor.backends.harper import OFF_FOR_REASONS

        name = rule.split("/", 1)[1] if rule.startswith("HARPER/") else ""
        if evidence is None or not evidence.units:
            return False, "never fired on the dev sets"
        if evidence.groups < 2:
            return False, "fired in one source document only"
        if name in OFF_FOR_REASONS:
            return False, OFF_FOR_REASONS[name]
        if evidence.passes:
            return True, "lower bound of lift above 1"
        return False, "lower bound of lift not above 1"
    if not default_now:
        return False, "opt-in"
    if rare(evidence):
        seen = evidence.units if evidence is not None else 0
        if pool is not None and pool.passes:
            return True, f"rare ({seen} units): judged with the other rare rules, pooled bound {pool.lower_bound:.2f}"
        return False, f"rare ({seen} units): the rare rules' pooled bound is not above 1"
    if evidence.passes:
        return True, "lower bound of lift above 1"
    return False, "lower bound of lift not above 1"


def _with_pool(units: Mapping[str, list], defaults: Mapping[str, bool], groups, boot: int
               ) -> dict[str, RuleEvidence]:
    """Each rule's evidence, and the pooled evidence of our rare default rules under RARE."""
    evidence = rule_evidence({r: u for r, u in units.items() if u}, groups, boot=boot)
    pooled = [
        u for r, items in units.items()
        if not r.startswith("HARPER/") and defaults.get(r) and rare(evidence.get(r))
        for u in items
    ]
    if pooled:
        evidence[RARE] = rule_evidence({RARE: pooled}, groups, boot=boot)[RARE]
    return evidence


def _figures(report: Report) -> dict[str, Any]:
    o = report.overall
    out = {m: getattr(o, m) for m in METRICS}
    for group, score in o.groups.items():
        out[f"{group}_recall"] = score.pinpoint_recall
    out["words"] = report.words
    out["records"] = report.records
    return out


def cross_validate(args: argparse.Namespace) -> dict[str, Any]:
    datasets = [(_dataset_name(path), records) for path, records in _load(args)]
    human_sets = _human_sets(args)
    raw = _raw_findings(datasets + human_sets, args)
    defaults = current_defaults()
    units, groups, folds, counts = _evidence_inputs(datasets, raw, args)
    rules = sorted(set(defaults) | set(units))
    choose = partial(_choose_gated, rules=rules, defaults=defaults)
    measure = partial(_measure, raw=raw, seeds=args.seeds)
    rate_rows = _rate_rows(datasets, human_sets, raw)
    rates = GatedRates(rate_rows, _gate_codes(datasets, human_sets, raw), gated_rules())

    def fold_human(k: int) -> Callable[[Collection[str]], dict[str, HumanEvidence]]:
        # the human sets are in every training fold
        return partial(rates.evidence, keep=lambda name, i: name not in folds or folds[name][i] != k)

    evidence = _with_pool(units, defaults, groups, args.boot)
    for rule, ev in evidence.items():
        ev.findings = counts.get(rule, ev.findings)
    final, decisions, human = choose(evidence, partial(rates.evidence, rules=rules))
    today = {r for r in rules if defaults.get(r)}
    cv, final_folds, today_folds, fold_changes = _cross_folds(args, datasets, units, folds, defaults, choose,
                                                              measure, final, today, fold_human)
    severities = rule_severities(raw)

    def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
        keys = [k for k in rows[0] if k not in ("fold", "rules", "words", "records")] if rows else []
        return {key: spread([row.get(key) for row in rows]) for key in keys}

    def chosen_set(chosen: set[str], per_fold: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        return {name: {"folds": summary(per_fold[name]), "whole": measure(chosen, name, records, lambda i: True)}
                for name, records in datasets}

    return {
        "datasets": {
            name: {"records": len(records), "groups": len(groups[name]), "folds": args.folds,
                   "words": sum(len(r["text"].split()) for r in records)}
            for name, records in datasets
        },
        "boot": args.boot,
        "seeds": args.seeds,
        "human": _human_summary(rate_rows),
        "gate": _gate_summary(),
        "human_defaults": {"final": human_figures(final, datasets, human_sets, raw),
                           "today": human_figures(today, datasets, human_sets, raw)},
        "rules": {r: _rule_entry(r, defaults, decisions, evidence, human[r], severities.get(r)) for r in rules},
        "cv": {name: {"folds": rows, "summary": summary(rows)} for name, rows in cv.items()},
        "final": chosen_set(final, final_folds),
        "today": chosen_set(today, today_folds),
        "fold_changes": fold_changes,  # against the final choice: what each fold chose differently
        "rare_pool": {k: v for k, v in vars(evidence[RARE]).items() if k != "rule"} if RARE in evidence else None,
        "changes": {
            "turn_off": sorted(r for r in today - final),
            "turn_on": sorted(r for r in final - today),
        },
    }


def _evidence_inputs(datasets, raw, args):
    """(evidence units per rule, source groups per data set, fold of each record per data set,
    articles each rule fired in) over every data set."""
    units: dict[str, list] = {}
    groups: dict[str, list[str]] = {}
    folds: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    for name, records in datasets:
        metric_rows = [[f[:4] for f in rows] for rows in raw[name]]
        for rule, items in evidence_units(records, metric_rows, stratum=name, seeds=args.seeds).items():
            units.setdefault(rule, []).extend(items)
        for rows in metric_rows:
            for rule in {(f[0], f[1], f[2]) for f in rows}:
                counts[rule[2]] = counts.get(rule[2], 0) + 1
        groups[name] = sorted({source_group(r, i) for i, r in enumerate(records)})
        folds[name] = grouped_folds(records, args.folds)
    return units, groups, folds, counts


def _choose(ev: Mapping[str, RuleEvidence], human: Mapping[str, HumanEvidence] | None = None, *, rules,
            defaults) -> tuple[set[str], dict[str, tuple[bool, str]]]:
    """The rules the policy turns on given this evidence, and every rule's decision."""
    human = human or {}
    decisions = {r: decide(r, ev.get(r), defaults.get(r, False), ev.get(RARE), human.get(r)) for r in rules}
    return {r for r, (on, _) in decisions.items() if on}, decisions


def _choose_gated(ev: Mapping[str, RuleEvidence], human_of: Callable[[Collection[str]], Mapping[str, HumanEvidence]],
                  *, rules, defaults) -> tuple[set[str], dict[str, tuple[bool, str]], Mapping[str, HumanEvidence]]:
    """:func:`_choose` with the human-English rates of a default run with the rules chosen
    (``human_of(rules)``, :meth:`GatedRates.evidence`): the article gate's evidence is the chosen
    rules' findings, so the choice starts from the rules the lift policy turns on and is repeated
    with the last round's rules until it is stable (:data:`GATE_ROUNDS`).  Returns the chosen
    rules, every rule's decision and the human evidence the decisions read."""
    chosen = _choose(ev, None, rules=rules, defaults=defaults)[0]
    for _ in range(GATE_ROUNDS):
        human = human_of(chosen)
        new, decisions = _choose(ev, human, rules=rules, defaults=defaults)
        if new == chosen:
            break
        chosen = new
    return new, decisions, human


def _measure(chosen: set[str], name: str, records, keep, *, raw, seeds) -> dict[str, Any]:
    """The figures of the chosen rules (a default run with them: :func:`default_run`, the article
    gate included) on the records ``keep`` accepts (by index)."""
    idx = [i for i in range(len(records)) if keep(i)]
    found = [_selected(raw[name][i], chosen, len(records[i]["text"].split())) for i in idx]
    return _figures(compute_metrics([records[i] for i in idx], found, seeds=seeds))


def _cross_folds(args, datasets, units, folds, defaults, choose, measure, final, today, fold_human):
    """For each fold: the policy applied on the other folds, and the figures on the held-out one
    of its choice, of the final choice and of today's defaults; and what each fold chose
    differently from the final choice."""
    cv: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in datasets}
    final_folds: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in datasets}
    today_folds: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in datasets}
    fold_changes: list[dict[str, Any]] = []
    for k in range(args.folds):
        train_units = {
            r: [u for u in items if folds[u.stratum][u.record] != k] for r, items in units.items()
        }
        train_groups = {
            name: sorted({source_group(rec, i) for i, rec in enumerate(records) if folds[name][i] != k})
            for name, records in datasets
        }
        fold_evidence = _with_pool(train_units, defaults, train_groups, args.boot)
        chosen = choose(fold_evidence, fold_human(k))[0]
        fold_changes.append({"fold": k, "off": sorted(final - chosen), "on": sorted(chosen - final)})
        for name, records in datasets:
            if not any(f == k for f in folds[name]):
                continue
            held = lambda i, name=name: folds[name][i] == k  # noqa: E731
            cv[name].append(dict(measure(chosen, name, records, held), fold=k, rules=len(chosen)))
            final_folds[name].append(measure(final, name, records, held))
            today_folds[name].append(measure(today, name, records, held))
        if not args.quiet:
            print(f"fold {k + 1}/{args.folds}: {len(chosen)} rules on", file=sys.stderr)
    return cv, final_folds, today_folds, fold_changes


def _human_sets(args: argparse.Namespace) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Human English besides TED's human translations: JFLEG's references and MLQE-PE's
    post-edits (benchmarks/false_alarms.py's readers).  ``--human``: JFLEG must be there;
    by default each set that is there is used, and what is skipped is said in one line."""
    if args.human is False:
        return []
    import false_alarms as fa

    jfleg = args.jfleg or args.data[0].parent / fa.JFLEG
    folder = fa.mlqe_pe_folder(args.mlqe_pe)
    sets, skipped = [], []
    try:
        if args.human or args.jfleg or jfleg.is_file():
            sets.append(("human:jfleg-refs", fa.jfleg_articles(jfleg)))
        else:
            skipped.append(f"JFLEG ({jfleg}: no such file)")
        if folder is not None:
            sets.append(("human:mlqe-pe", fa.mlqe_pe_articles(folder)))
        else:
            skipped.append(f"MLQE-PE ({fa.MLQE_HOW})")
    except fa.UsageError as exc:
        raise UsageError(str(exc)) from None
    if skipped and not args.quiet:
        print("human English: skipped " + "; ".join(skipped), file=sys.stderr)
    return [(name, records[:args.limit] if args.limit else records) for name, records in sets]


def is_human(record: Mapping[str, Any]) -> bool:
    """A human translation (TED's ``ref``/``refB``), not machine translation."""
    return bool(record.get("is_human_reference")) or record.get("system") in HUMAN_SYSTEMS


RateRow = tuple  # (data set, record index, human?, words, {rule: RuleRate})


def _rate_rows(datasets, human_sets, raw) -> list[RateRow]:
    """Each record's counts per rule, from the raw findings (every rule on its own)."""
    rows = []
    for name, records in datasets + human_sets:
        for i, (record, found) in enumerate(zip(records, raw[name], strict=True)):
            rows.append((name, i, name.startswith("human:") or is_human(record), len(record["text"].split()),
                         record_rates(record, found, i)))
    return rows


def _gate_codes(datasets, human_sets, raw) -> list[list[str]]:
    """For each row of :func:`_rate_rows`, the rule codes of its raw findings of the MT rules: the
    article gate's evidence (editor.gate).  Counted before merging, as the pipeline counts after
    it: our findings lead every merged group (editor.merge), so merging never removes one."""
    from editor.gate import EVIDENCE_PREFIX

    return [[f[2] for f in found if f[2].startswith(EVIDENCE_PREFIX)]
            for name, _ in datasets + human_sets for found in raw[name]]


def gate_rates(rows: Sequence[RateRow], codes: Sequence[Sequence[str]], chosen: Collection[str],
               gated: Collection[str]) -> list[RateRow]:
    """The rate rows as a default run with the ``chosen`` rules counts them: in an article whose
    findings of the chosen MT rules (``codes[i]``, see :func:`_gate_codes`) do not open the article
    gate (editor.gate.evidence, its threshold and minimum), the findings of the ``gated`` rules are
    held back (a gated rule not chosen too: its rates are then those it would have if it were on)."""
    from editor.gate import evidence

    out = []
    for (name, i, human, words, counts), found in zip(rows, codes, strict=True):
        if gated and not evidence([c for c in found if c in chosen], words).opens:
            counts = {r: v for r, v in counts.items() if r not in gated}
        out.append((name, i, human, words, counts))
    return out


class GatedRates:
    """Each rule's rates on MT and human English in a default run with a set of rules: the rate
    rows after the article gate (:func:`gate_rates`), made once for each set."""

    def __init__(self, rows: Sequence[RateRow], codes: Sequence[Sequence[str]], gated: Collection[str]):
        self.rows, self.codes, self.gated = rows, codes, frozenset(gated)
        self._made: dict[frozenset[str], list[RateRow]] = {}

    def gated_rows(self, chosen: Collection[str]) -> list[RateRow]:
        key = frozenset(chosen)
        if key not in self._made:
            self._made[key] = gate_rates(self.rows, self.codes, key, self.gated)
        return self._made[key]

    def evidence(self, chosen: Collection[str], keep: Callable[[str, int], bool] | None = None,
                 rules: Sequence[str] = ()) -> dict[str, HumanEvidence]:
        return human_evidence(self.gated_rows(chosen), keep, rules)


def _gate_summary() -> dict[str, Any]:
    from editor.gate import DEFAULT_MINIMUM, DEFAULT_THRESHOLD

    return {"threshold": DEFAULT_THRESHOLD, "minimum": DEFAULT_MINIMUM, "rules": sorted(gated_rules())}


def human_figures(chosen: Collection[str], datasets, human_sets, raw) -> dict[str, dict[str, Any]]:
    """Findings and errors (severity error) per 1,000 words of a default run with the ``chosen``
    rules (:func:`default_run`, the article gate included) on human English: per source (TED's
    human translations, JFLEG's references, MLQE-PE's post-edits) and pooled."""
    totals: dict[str, list[int]] = {}
    for name, records in datasets + human_sets:
        for record, rows in zip(records, raw[name], strict=True):
            if not (name.startswith("human:") or is_human(record)):
                continue
            words = len(record["text"].split())
            found = {(f.span.start, f.span.end, f.rule): f.severity.value for f in default_run(rows, chosen, words)}
            t = totals.setdefault(_source_key(name, True), [0, 0, 0])
            t[0], t[1], t[2] = t[0] + words, t[1] + len(found), t[2] + sum(v == "error" for v in found.values())
    totals["pooled"] = [sum(t[j] for t in totals.values()) for j in range(3)]
    return {key: {"words": w, "findings": f, "errors": e, "per_1k": per_1k(f, w), "errors_per_1k": per_1k(e, w)}
            for key, (w, f, e) in totals.items()}


def _source_key(name: str, human: bool) -> str:
    return name.removeprefix("human:") if name.startswith("human:") else f"{name} ({'human' if human else 'mt'})"


def human_evidence(rows: Sequence[RateRow], keep: Callable[[str, int], bool] | None = None,
                   rules: Sequence[str] = ()) -> dict[str, HumanEvidence]:
    """Each rule's rate on MT and on human English over the rows ``keep`` accepts (by data set
    and record index; all by default), for every rule that fired and every rule in ``rules``."""
    kept = [r for r in rows if keep is None or keep(r[0], r[1])]
    mt = sum_rates(r[4] for r in kept if not r[2])
    human = sum_rates(r[4] for r in kept if r[2])
    mt_words = sum(r[3] for r in kept if not r[2])
    human_words = sum(r[3] for r in kept if r[2])
    sets = sorted({r[0] for r in kept if not r[2]})
    by_set = {name: (sum_rates(r[4] for r in kept if r[0] == name and not r[2]),
                     sum(r[3] for r in kept if r[0] == name and not r[2])) for name in sets}

    def peaks(rule: str) -> tuple[float, ...]:
        return tuple(per_1k(rates.get(rule, RuleRate()).findings, words) or 0.0 for rates, words in by_set.values())

    return {rule: HumanEvidence(mt.get(rule, RuleRate()), mt_words, human.get(rule, RuleRate()), human_words,
                                peaks(rule))
            for rule in sorted(set(mt) | set(human) | set(rules))}


def _human_summary(rows: Sequence[RateRow]) -> dict[str, Any]:
    words: dict[str, int] = {}
    for name, _, human, count, _ in rows:
        key = _source_key(name, human)
        words[key] = words.get(key, 0) + count
    return {"human_words": sum(r[3] for r in rows if r[2]), "mt_words": sum(r[3] for r in rows if not r[2]),
            "sources": words}


def rule_severities(raw: Mapping[str, list]) -> dict[str, str]:
    """Our rules' severities as their files say; Harper's, the most common in its findings."""
    from editor.engine import load_rules

    out = common_severities(raw)
    out.update({r.code: r.severity.value for r in load_rules()})
    return out


def _rule_entry(r: str, defaults, decisions, evidence, human: HumanEvidence, severity: str | None) -> dict[str, Any]:
    return {
        "engine": "harper" if r.startswith("HARPER/") else "model" if r.startswith("MODEL/") else "cleanup",
        "default_now": bool(defaults.get(r)),
        "gated": r in gated_rules(),
        "decision": decisions[r][0],
        "reason": decisions[r][1],
        "mt_per_1k": human.mt_per_1k,
        "human_per_1k": human.human_per_1k,
        "human_findings": human.human.findings,
        "human_errors": human.human.errors,
        "human_ratio": human.ratio,
        "mt_precision": human.precision,
        "severity": severity,
        "severity_by_policy": human.severity,
        **({k: v for k, v in vars(evidence[r]).items() if k != "rule"} if r in evidence else {}),
    }


def evidence_file(result: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a --cv result that is checked in (benchmarks/rule-evidence.json): each rule
    that fired or is on by default, its pooled figures and the decision."""
    keep = ("engine", "gated", "decision", "reason", "findings", "units", "groups", "lift", "ci_low",
            "ci_high", "exact_low", "lower_bound", "mt_per_1k", "human_per_1k", "human_findings", "mt_precision",
            "severity", "severity_by_policy")

    def rounded(v: Any) -> Any:
        return round(v, 4) if isinstance(v, float) else v

    return {
        "made_by": "python benchmarks/evaluate.py ../shared/data/wets_zhen_dev.jsonl "
                   "../shared/data/mqm_zhen_2021ted_docs.jsonl --cv --mlqe-pe DIR --write-evidence "
                   "benchmarks/rule-evidence.json",
        "datasets": result["datasets"],
        "human_words": result["human"]["human_words"],
        "mt_words": result["human"]["mt_words"],
        "human_sources": result["human"]["sources"],
        "gate": result["gate"],
        "human_defaults": result["human_defaults"]["final"],
        "policy": "on by default only with a one-sided 95% lower bound of lift above 1 (bootstrap "
                  f"by source document and exact bound); our rules with fewer than {MIN_UNITS} units or "
                  "one source group are judged pooled (rare_pool); Harper rules must fire in two "
                  "source groups and pass on their own; rules that cannot fire on English and that "
                  f"annotators never mark ({', '.join(sorted(MECHANICAL))}) are on without the lift test "
                  "(reason 'mechanical'); and a rule that would be on is off when its "
                  f"findings per 1,000 words on MT (mt_per_1k) are not {HUMAN_RATIO:g}x those on human "
                  f"English (human_per_1k), judged only with at least {MIN_HUMAN_FINDINGS} findings on human "
                  "English; the rates of a gated rule (mt-articles-only) are those after the article gate "
                  "of a default run; severity_by_policy: error only with mt_precision >= "
                  f"{ERROR_MIN_PRECISION} over at least {ERROR_MIN_MT_FINDINGS} findings on MT and "
                  f"human_per_1k <= {ERROR_MAX_HUMAN_PER_1K}; cv and human_defaults: a default run, the "
                  "article gate included",
        "rare_pool": {k: rounded(v) for k, v in (result.get("rare_pool") or {}).items() if k != "by_stratum"},
        "cv": {name: {m: {k: rounded(v) for k, v in st.items()} for m, st in cv["summary"].items()}
               for name, cv in result["cv"].items()},
        "rules": {
            r: {k: rounded(v.get(k)) for k in keep if k in v}
            for r, v in result["rules"].items()
            if v.get("units") or v.get("decision") or v.get("default_now")
        },
    }


def _pm(s: Mapping[str, Any], digits: int = 3) -> str:
    if not s or s.get("mean") is None:
        return "-"
    return f"{s['mean']:.{digits}f} ± {s['sd']:.{digits}f} [{s['min']:.{digits}f}–{s['max']:.{digits}f}]"


def format_cv(result: Mapping[str, Any]) -> str:
    out = []
    for name, info in result["datasets"].items():
        out.append(f"{name}: {info['records']} records, {info['words']} words, "
                   f"{info['groups']} source groups in {info['folds']} folds")
    out.append(f"intervals: stratified cluster bootstrap, {result['boot']} resamples, 95%; "
               "decisions read the one-sided 95% lower bound = min(bootstrap 5th percentile, Clopper–Pearson); none for a rule seen in one source group")
    for title, key in (("cross-validated (defaults chosen on the other folds)", "cv"),
                       ("final defaults, per fold", "final"), ("today's defaults, per fold", "today")):
        out += ["", title + ": mean ± sd [min–max] over folds"]
        for name in result["datasets"]:
            summ = result[key][name]["summary"] if key == "cv" else result[key][name]["folds"]
            out.append(f"  {name}")
            for metric, s in summ.items():
                out.append(f"    {metric:16} {_pm(s, 1 if metric == 'per_1k' else 3)}")
    out += ["", "whole sets (final defaults | today's defaults)"]
    for name in result["datasets"]:
        f, t = result["final"][name]["whole"], result["today"][name]["whole"]
        cells = [f"{m} {f[m]:.3f} | {t[m]:.3f}" for m in METRICS if f.get(m) is not None and t.get(m) is not None]
        out.append(f"  {name}: " + "; ".join(cells))
    h = result.get("human") or {}
    if h:
        out += ["", f"human English: {h['human_words']:,} words; MT: {h['mt_words']:,} words ("
                + ", ".join(f"{k} {v:,}" for k, v in h["sources"].items()) + ")"]
    out += _format_human_defaults(result)
    out += ["", f"{'rule':34} {'now':>3} {'new':>3} {'find':>5} {'units':>5} {'lift':>5} "
            f"{'95% CI':>13} {'exact':>6} {'low':>5} {'mt/1k':>6} {'hum/1k':>6} {'prec':>5} {'sev':>4} "
            f"{'pol':>4}  reason"]

    def fmt(v: Any, d: int = 2) -> str:
        return "-" if v is None else f"{v:.{d}f}"

    def sev(v: Any) -> str:
        return {"error": "err", "warning": "warn"}.get(v, v or "-")

    rows = sorted(result["rules"].items(), key=lambda kv: (kv[1].get("lower_bound") is None,
                                                           kv[1].get("lower_bound") or 0, kv[0]))
    for rule, v in rows:
        if not v.get("units") and not v.get("default_now"):
            continue
        ci = f"{fmt(v.get('ci_low'))}–{fmt(v.get('ci_high'))}" if v.get("ci_low") is not None else "-"
        out.append(
            f"{rule:34} {'on' if v['default_now'] else '-':>3} {'on' if v['decision'] else '-':>3} "
            f"{v.get('findings', 0):>5} {v.get('units', 0):>5} {fmt(v.get('lift')):>5} {ci:>13} "
            f"{fmt(v.get('exact_low')):>6} {fmt(v.get('lower_bound')):>5} {fmt(v.get('mt_per_1k')):>6} "
            f"{fmt(v.get('human_per_1k')):>6} {fmt(v.get('mt_precision')):>5} {sev(v.get('severity')):>4} "
            f"{sev(v.get('severity_by_policy')):>4}  {v['reason']}"
        )
    out += ["", "what each fold chose differently from the final defaults:"]
    for ch in result.get("fold_changes", []):
        out.append(f"  fold {ch['fold']}: off {', '.join(ch['off']) or '-'}; on {', '.join(ch['on']) or '-'}")
    pool = result.get("rare_pool")
    if pool:
        out += ["", f"rare rules pooled (our default rules with < {MIN_UNITS} units or one source group): "
                f"{pool['units']} units in {pool['groups']} groups, lift {fmt(pool['lift'])}, "
                f"95% CI {fmt(pool['ci_low'])}–{fmt(pool['ci_high'])}, lower bound {fmt(pool['lower_bound'])}"]
    ch = result["changes"]
    out += ["", "turn off: " + (", ".join(ch["turn_off"]) or "none"),
            "turn on:  " + (", ".join(ch["turn_on"]) or "none")]
    return "\n".join(out)


def _format_human_defaults(result: Mapping[str, Any]) -> list[str]:
    """The human-English figures of a default run and issue 21's targets, pass or fail."""
    hd = result.get("human_defaults") or {}
    gate = result.get("gate") or {}
    out = ["", f"article gate: opens at {gate.get('minimum')} findings of MT rules and {gate.get('threshold')} "
               f"per 1,000 words; gated rules: {', '.join(gate.get('rules') or []) or 'none'}"]
    if hd.get("final"):
        out.append("human English, a default run (gate included): findings | errors per 1,000 words, "
                   "final defaults || today's defaults")
        for key, f in hd["final"].items():
            t = hd["today"].get(key, {})
            out.append(f"  {key:34} {f['words']:>8,} words  {_num(f['per_1k'])} | {_num(f['errors_per_1k'])}"
                       f"  ||  {_num(t.get('per_1k'))} | {_num(t.get('errors_per_1k'))}")
    out += ["", "issue 21 targets (cross-validated means on MT; final defaults on human English):"]
    pooled = (hd.get("final") or {}).get("pooled") or {}
    checks = [("human findings/1k", pooled.get("per_1k"), "<=", 2.0),
              ("human errors/1k", pooled.get("errors_per_1k"), "<=", 0.3)]
    for name in result["datasets"]:
        if "wets" in name:
            summ = result["cv"][name]["summary"]
            checks += [(f"{name} pinpoint recall", summ.get("pinpoint_recall", {}).get("mean"), ">=", 0.15),
                       (f"{name} lift", summ.get("lift", {}).get("mean"), ">=", 2.0)]
    for label, value, op, target in checks:
        ok = value is not None and (value <= target if op == "<=" else value >= target)
        out.append(f"  {label:34} {_num(value)} {op} {target:g}: {'pass' if ok else 'FAIL'}")
    return out


def _num(v: Any) -> str:
    return "-" if v is None else f"{v:.3f}"


def severity_disagreements(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Our rules whose rule-file severity disagrees with the policy: an error the policy does not
    allow (``demote``), or a warning or info the policy would allow as an error (``may_promote``)."""
    out = []
    for rule, v in sorted(result["rules"].items()):
        if v["engine"] != "cleanup" or not v.get("severity"):
            continue
        now, policy = v["severity"], v.get("severity_by_policy")
        if (now == "error") == (policy == "error"):
            continue
        out.append({"rule": rule, "severity": now, "severity_by_policy": policy,
                    "change": "demote" if now == "error" else "may_promote", "on": bool(v["decision"]),
                    "mt_precision": v.get("mt_precision"), "human_per_1k": v.get("human_per_1k")})
    return out


def format_severities(items: Sequence[Mapping[str, Any]]) -> str:
    def fmt(v: Any) -> str:
        return "-" if v is None else f"{v:.2f}"

    out = [f"severity policy: error only with precision on MT >= {ERROR_MIN_PRECISION} over at least "
           f"{ERROR_MIN_MT_FINDINGS} findings and <= {ERROR_MAX_HUMAN_PER_1K} findings per 1,000 words on "
           "human English (after the article gate); our rules that disagree:"]
    for i in items:
        out.append(f"  {i['rule']:10} {i['severity']:>7} -> {i['severity_by_policy']:7} "
                   f"{'(' + i['change'] + ')':14} precision {fmt(i['mt_precision'])}, human/1k "
                   f"{fmt(i['human_per_1k'])}{'' if i['on'] else ', off by default'}")
    if not items:
        out.append("  none")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    try:
        if args.cv:
            result = cross_validate(args)
            if args.write_evidence:
                args.write_evidence.write_text(json.dumps(evidence_file(result), indent=1) + "\n",
                                               encoding="utf-8")
            result["severity_disagreements"] = severity_disagreements(result)
            print(json.dumps(result, indent=2) if args.json else format_cv(result))
            if args.severities and not args.json:
                print("\n" + format_severities(result["severity_disagreements"]))
            return 0
        reports = _run(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # --write-evidence or --findings-cache cannot be written
        print(f"error: cannot write {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([report_to_dict(r) for r in reports], indent=2))
    else:
        print("\n\n".join(format_report(r, top=args.top) for r in reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
