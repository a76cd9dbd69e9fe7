#!/usr/bin/env python
"""Measure a checker's detection quality on annotated machine translation.

    python benchmarks/evaluate.py DATA.jsonl [DATA2.jsonl ...] [options]

Each article of each file is checked on its own, as if it were its own file, and the findings
are scored with the metric of ``shared/data/README.md`` (see :mod:`editor.evaluate`): precision
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

Exit status: 0 on success, 2 on bad input (missing or malformed file, unknown engine, no
records left after filtering, the pipeline not available).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from editor.evaluate import (  # noqa: E402
    DEFAULT_SEEDS,
    MAX_PINPOINT,
    Checker,
    Finding,
    Report,
    evaluate,
    filter_records,
    format_report,
    load_records,
    report_to_dict,
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
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    return args


def _run(args: argparse.Namespace) -> list[Report]:
    """Load and filter every file first (so bad input fails before models load), then check."""
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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    try:
        reports = _run(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([report_to_dict(r) for r in reports], indent=2))
    else:
        print("\n\n".join(format_report(r, top=args.top) for r in reports))
    return 0


if __name__ == "__main__":
    sys.exit(main())
