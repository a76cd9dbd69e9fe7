#!/usr/bin/env python
"""False alarms on human English: how often the default checker fires on text people wrote well.

    python benchmarks/false_alarms.py [--mlqe-pe DIR] [--select P ...] [--ignore P ...] [--json]
    python benchmarks/false_alarms.py --targets          # PASS/FAIL of issue 21's targets, exit 1 on FAIL
    python benchmarks/false_alarms.py --show MT305       # every flagged span of a rule, in context

Human English (each a *source*):

- ``ted-human``: the human translations of the TED MQM set (records of
  ``mqm_zhen_2021ted_docs.jsonl`` with system ``ref`` or ``refB``), one record an article;
- ``jfleg-refs``: JFLEG dev's first references (``--all-refs``: all four), detokenized
  (``rewrite_metrics.detokenize``), 25 sentences a pseudo-article, one paragraph each;
- ``mlqe-pe``: the human post-edits (``.pe``) of MLQE-PE's ne/ro/ru/si-en post-editing sets,
  test20 and dev (``--mlqe-train``: train too), detokenized, 15 sentences a pseudo-article, from
  ``--mlqe-pe DIR`` or ``$CLEANUP_MLQE_PE`` (skipped with one line on stderr when neither is set;
  benchmarks/README.md says how to fetch it).  et-en is never read: it is kept aside.

Machine translation, from the same run, to set each rule's false alarms beside its hits:
``wets`` (``wets_zhen_dev.jsonl``) and ``ted-mt`` (the TED records of the 13 MT systems).

Every article is checked by the checker ``cleanup check`` uses by default
(``editor.api.get_checker(harper=True)``: our rules and Harper, merged, one finding per span);
``--select``/``--ignore`` pass rule-code prefixes to it as in benchmarks/evaluate.py.

Printed: per source and on all human English pooled, words, findings and errors (severity
``error``) per 1,000 words; per rule, the same on each human source and pooled, next to its
findings per 1,000 words on WeTS and TED MT, its precision and lift on both pooled (the metric of
benchmarks/evaluation.py) and the ratio of its MT rate to its human rate.  A finding is a distinct
``(start, end, rule)``; a word a whitespace-separated token.

Targets (issue 21, ``--targets``): at most 2 findings and 0.3 errors per 1,000 words on all human
English pooled.  Exit status: 0; 1 with ``--targets`` when one is missed; 2 on bad input (a
missing or malformed data file, an MLQE-PE folder without post-edits).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # evaluation.py and rewrite_metrics.py, beside this script

from evaluation import (  # noqa: E402
    RuleRate,
    common_severities,
    compute_metrics,
    load_records,
    per_1k,
    record_rates,
    sum_rates,
    total_rate,
)
from rewrite_metrics import detokenize  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
TED = "mqm_zhen_2021ted_docs.jsonl"
WETS = "wets_zhen_dev.jsonl"
JFLEG = "jfleg_dev.jsonl"
HUMAN_SYSTEMS = ("ref", "refB")

MLQE_PAIRS = ("ne", "ro", "ru", "si")  # into English; et-en is kept aside and never read
MLQE_SPLITS = ("test20", "dev")
MLQE_ENV = "CLEANUP_MLQE_PE"
MLQE_HOW = ("clone https://github.com/sheffieldnlp/mlqe-pe, extract data/post-editing/{dev,test}/"
            "{ne,ro,ru,si}-en-*.tar.gz into a folder and pass it as --mlqe-pe DIR or $CLEANUP_MLQE_PE")
JFLEG_PER_ARTICLE = 25
MLQE_PER_ARTICLE = 15

MAX_FINDINGS_PER_1K = 2.0
MAX_ERRORS_PER_1K = 0.3
"""Issue 21's targets on all human English pooled."""


class UsageError(Exception):
    """Bad input: reported plainly, exit code 2."""


@dataclass
class Source:
    """Articles of one kind: ``human`` English or ``mt`` (annotated machine translation)."""

    name: str
    kind: str
    records: list[Mapping[str, Any]]
    note: str = ""

    @property
    def words(self) -> int:
        return sum(len(r["text"].split()) for r in self.records)


# --------------------------------------------------------------------------- readers


def _pseudo_articles(prefix: str, sentences: Sequence[str], size: int) -> list[dict[str, Any]]:
    """``size`` sentences an article, one paragraph each."""
    kept = [s for s in sentences if s.strip()]
    return [
        {"id": f"{prefix}:{i // size:04d}", "text": "\n\n".join(kept[i:i + size])}
        for i in range(0, len(kept), size)
    ]


def _read_jsonl(path: Path, *, text: bool = True) -> list[dict[str, Any]]:
    """evaluation.load_records, its problems as UsageError (one line naming the file and line)."""
    try:
        return load_records(path, text=text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def ted_records(path: Path, *, human: bool) -> list[Mapping[str, Any]]:
    """The TED records of the human translations (system ``ref``/``refB``) or of the MT systems."""
    return [r for r in _read_jsonl(path)
            if (r.get("system") in HUMAN_SYSTEMS or bool(r.get("is_human_reference"))) == human]


def jfleg_articles(path: Path, *, all_refs: bool = False, size: int = JFLEG_PER_ARTICLE) -> list[dict[str, Any]]:
    """JFLEG's references (the first of each sentence, or all), detokenized, ``size`` a pseudo-article."""
    sentences = []
    for number, record in enumerate(_read_jsonl(path, text=False), start=1):
        refs = record.get("references")
        if not isinstance(refs, list) or not refs:
            raise UsageError(f"{path}:{number}: expected a JSON object with a list 'references'")
        sentences += [detokenize(ref) for ref in (refs if all_refs else refs[:1])]
    return _pseudo_articles("jfleg-refs", sentences, size)


def mlqe_detokenize(line: str) -> str:
    """An MLQE-PE post-edit (Moses-style tokens) → prose: "hadn 't" → "hadn't", zero-width spaces
    dropped, then JFLEG's :func:`rewrite_metrics.detokenize`."""
    tokens: list[str] = []
    for tok in line.split():
        tok = tok.replace("\u200b", "").replace("\u200d", "")
        if not tok:
            continue
        if tok.lower() in ("'t", "\u2019t") and tokens and tokens[-1][-1:].lower() == "n":
            tokens[-1] += tok
        else:
            tokens.append(tok)
    return detokenize(tokens)


def mlqe_pe_files(folder: Path, *, train: bool = False) -> list[tuple[str, Path]]:
    """``(name, path)`` of each ``.pe`` file of the ne/ro/ru/si-en sets under ``folder``: a folder
    ``{pair}-en-{split}`` holding ``{split}.pe``, at any depth (et-en never)."""
    splits = MLQE_SPLITS + (("train",) if train else ())
    out = []
    for pair in MLQE_PAIRS:
        for split in splits:
            name = f"{pair}-en-{split}"
            found = sorted(p for p in folder.rglob(f"{split}.pe") if p.parent.name == name)
            if found:
                out.append((name, found[0]))
    return out


def mlqe_pe_articles(folder: Path, *, train: bool = False, size: int = MLQE_PER_ARTICLE) -> list[dict[str, Any]]:
    """The post-edits, detokenized, ``size`` sentences a pseudo-article (articles never straddle two
    files).  UsageError when ``folder`` holds none."""
    if not folder.is_dir():
        raise UsageError(f"MLQE-PE: {folder} is not a folder ({MLQE_HOW})")
    files = mlqe_pe_files(folder, train=train)
    if not files:
        raise UsageError(f"MLQE-PE: no {{ne,ro,ru,si}}-en-*/*.pe under {folder} ({MLQE_HOW})")
    out = []
    for name, path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        out += _pseudo_articles(f"mlqe-pe:{name}", [mlqe_detokenize(line) for line in lines], size)
    return out


def mlqe_pe_folder(option: Path | None) -> Path | None:
    """``--mlqe-pe DIR``, else ``$CLEANUP_MLQE_PE``, else None."""
    if option is not None:
        return option
    env = os.environ.get(MLQE_ENV)
    return Path(env) if env else None


def human_sources(args: argparse.Namespace, quiet: bool = False) -> list[Source]:
    """TED's human translations, JFLEG's references and MLQE-PE's post-edits (when there)."""
    sources = [
        Source("ted-human", "human", ted_records(args.ted, human=True), "TED ref/refB"),
        Source("jfleg-refs", "human", jfleg_articles(args.jfleg, all_refs=args.all_refs),
               "JFLEG dev, " + ("all references" if args.all_refs else "first references")),
    ]
    folder = mlqe_pe_folder(args.mlqe_pe)
    if folder is None:
        if not quiet:
            print(f"MLQE-PE skipped: {MLQE_HOW}", file=sys.stderr)
    else:
        splits = MLQE_SPLITS + (("train",) if args.mlqe_train else ())
        sources.append(Source("mlqe-pe", "human", mlqe_pe_articles(folder, train=args.mlqe_train),
                              f"MLQE-PE ne/ro/ru/si-en {'+'.join(splits)}"))
    return sources


def load_sources(args: argparse.Namespace) -> list[Source]:
    """Every source the run measures (UsageError naming a missing or bad file)."""
    for path in (args.ted, args.jfleg) + (() if args.human_only else (args.wets,)):
        if not path.is_file():
            raise UsageError(f"cannot read {path}: no such file")
    sources = human_sources(args, args.quiet)
    if not args.human_only:
        sources += [Source("wets", "mt", _read_jsonl(args.wets), "WeTS dev"),
                    Source("ted-mt", "mt", ted_records(args.ted, human=False), "TED, MT systems")]
    if args.limit:
        for source in sources:
            source.records = source.records[:args.limit]
    for source in sources:
        if not source.records:
            raise UsageError(f"{source.name}: no articles")
    return sources


# --------------------------------------------------------------------------- checking (cached)

FoundRow = tuple  # (start, end, rule, category, severity): JSON-friendly


def code_fingerprint() -> str:
    """A digest of what decides the findings: editor/ (Python), rules/ and Harper's version."""
    digest = hashlib.sha256()
    for folder, pattern in ((ROOT / "editor", "*.py"), (ROOT / "rules", "*")):
        for path in sorted(folder.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    try:
        from importlib.metadata import version

        digest.update(version("harper-py").encode())
    except Exception:  # noqa: BLE001 - not installed: the checker says so
        pass
    return digest.hexdigest()


def _texts_digest(source: Source) -> str:
    digest = hashlib.sha256()
    for record in source.records:
        digest.update(record["text"].encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _checker(args: argparse.Namespace):
    try:
        from editor.api import get_checker
    except ImportError as exc:
        raise UsageError(f"the cleanup pipeline is not available (editor.api: {exc})") from None
    return get_checker(args.select, args.ignore, harper=True)


def _check(source: Source, checker, quiet: bool) -> list[list[FoundRow]]:
    rows = []
    for done, record in enumerate(source.records, start=1):
        rows.append([(f.span.start, f.span.end, f.rule, f.category, f.severity.value)
                     for f in checker.detect(record["text"], "txt")])
        if not quiet:
            end = "\n" if done == len(source.records) else ""
            print(f"\r{source.name}: {done}/{len(source.records)} articles", end=end, file=sys.stderr, flush=True)
    return rows


def check_sources(sources: Sequence[Source], args: argparse.Namespace) -> tuple[dict[str, list], dict[str, float]]:
    """Each source's findings (article by article) and the seconds its check took; with
    ``--findings-cache FILE``, sources already checked with the same code, selection and texts
    are read from FILE, the others checked and added to it."""
    cache: Path | None = args.findings_cache
    head = {"code": code_fingerprint(), "select": args.select, "ignore": args.ignore}
    stored: dict[str, Any] = {}
    if cache is not None and cache.exists():
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if all(data.get(k) == v for k, v in head.items()):
            stored = data.get("sources", {})
        elif not args.quiet:
            print(f"{cache}: made with other code or rules; checking again", file=sys.stderr)
    found: dict[str, list] = {}
    seconds: dict[str, float] = {}
    checker = None
    for source in sources:
        digest = _texts_digest(source)
        entry = stored.get(source.name)
        if entry and entry.get("digest") == digest:
            found[source.name] = [[tuple(f) for f in rows] for rows in entry["findings"]]
            seconds[source.name] = entry.get("seconds", 0.0)
            continue
        checker = checker or _checker(args)
        started = time.perf_counter()
        found[source.name] = _check(source, checker, args.quiet)
        seconds[source.name] = time.perf_counter() - started
        stored[source.name] = {"digest": digest, "findings": found[source.name], "seconds": seconds[source.name]}
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({**head, "sources": stored}), encoding="utf-8")
    return found, seconds


# --------------------------------------------------------------------------- figures


def _rates(count: RuleRate, words: int) -> dict[str, Any]:
    return {"findings": count.findings, "errors": count.errors,
            "per_1k": per_1k(count.findings, words), "errors_per_1k": per_1k(count.errors, words)}


def _ratio(mt: float | None, human: float | None) -> float | None:
    """MT rate / human rate; None when either is unknown or the human rate is zero."""
    return mt / human if mt is not None and human else None


def summarize(sources: Sequence[Source], found: Mapping[str, list]) -> dict[str, Any]:
    """Every figure the script prints (see the module docstring)."""
    rates = {s.name: sum_rates(record_rates(r, rows, i) for i, (r, rows) in enumerate(zip(s.records, found[s.name],
                                                                                          strict=True)))
             for s in sources}
    words = {s.name: s.words for s in sources}
    human = [s.name for s in sources if s.kind == "human"]
    mt = [s.name for s in sources if s.kind == "mt"]
    human_words, mt_words = sum(words[n] for n in human), sum(words[n] for n in mt)
    human_rates = sum_rates(rates[n] for n in human)
    mt_rates = sum_rates(rates[n] for n in mt)
    metrics = None
    if mt:
        records = [r for s in sources if s.kind == "mt" for r in s.records]
        rows = [[tuple(f[:4]) for f in rows] for s in sources if s.kind == "mt" for rows in found[s.name]]
        metrics = compute_metrics(records, rows)
    result: dict[str, Any] = {
        "sources": {s.name: {"kind": s.kind, "note": s.note, "articles": len(s.records), "words": words[s.name],
                             **_rates(total_rate(rates[s.name]), words[s.name])} for s in sources},
        "human": {"sources": human, "words": human_words, **_rates(total_rate(human_rates), human_words)},
        "mt": {"sources": mt, "words": mt_words, **_rates(total_rate(mt_rates), mt_words),
               "precision": metrics.overall.precision if metrics else None,
               "lift": metrics.overall.lift if metrics else None},
        "rules": {},
    }
    severities = common_severities(found)
    for rule in sorted(set(human_rates) | set(mt_rates)):
        result["rules"][rule] = _rule_figures(rule, severities.get(rule), rates, words, human, mt, metrics)
    result["targets"] = targets(result["human"])
    return result


def _rule_figures(rule, severity, rates, words, human, mt, metrics) -> dict[str, Any]:
    empty = RuleRate()
    h_count = RuleRate()
    for name in human:
        h_count.add(rates[name].get(rule, empty))
    m_count = RuleRate()
    for name in mt:
        m_count.add(rates[name].get(rule, empty))
    h_words, m_words = sum(words[n] for n in human), sum(words[n] for n in mt)
    scores = metrics.by_rule.get(rule) if metrics else None
    out = {
        "severity": severity,
        "human_sources": {n: _rates(rates[n].get(rule, empty), words[n]) for n in human},
        "human": _rates(h_count, h_words),
        "mt_sources": {n: per_1k(rates[n].get(rule, empty).findings, words[n]) for n in mt},
        "mt_per_1k": per_1k(m_count.findings, m_words) if mt else None,
        "precision": scores.precision if scores else None,
        "lift": scores.lift if scores else None,
    }
    out["ratio"] = _ratio(out["mt_per_1k"], out["human"]["per_1k"])
    return out


def targets(human: Mapping[str, Any]) -> dict[str, Any]:
    """Issue 21's targets on all human English pooled."""
    f, e = human.get("per_1k"), human.get("errors_per_1k")
    return {"max_findings_per_1k": MAX_FINDINGS_PER_1K, "max_errors_per_1k": MAX_ERRORS_PER_1K,
            "findings_per_1k": f, "errors_per_1k": e,
            "findings_pass": f is not None and f <= MAX_FINDINGS_PER_1K,
            "errors_pass": e is not None and e <= MAX_ERRORS_PER_1K,
            "pass": f is not None and e is not None and f <= MAX_FINDINGS_PER_1K and e <= MAX_ERRORS_PER_1K}


# --------------------------------------------------------------------------- output


SHORT = {"error": "err", "warning": "warn", "info": "info"}


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _table(rows: list[list[str]], left: Sequence[int] = (0,)) -> list[str]:
    """Columns padded to their widest cell: those in ``left`` to the left, the others right."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             .rstrip() for r in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    return lines


def _ratio_cell(rule: Mapping[str, Any]) -> str:
    if rule["ratio"] is not None:
        return f"{rule['ratio']:.1f}"
    return "inf" if rule["mt_per_1k"] and not rule["human"]["findings"] else "-"


def format_summary(result: Mapping[str, Any]) -> list[str]:
    rows = [["source", "kind", "articles", "words", "findings/1k", "errors/1k", "what"]]
    for name, s in result["sources"].items():
        rows.append([name, s["kind"], str(s["articles"]), f"{s['words']:,}", _fmt(s["per_1k"]),
                     _fmt(s["errors_per_1k"]), s["note"]])
    h, m = result["human"], result["mt"]
    rows.append(["all human", "human", "", f"{h['words']:,}", _fmt(h["per_1k"]), _fmt(h["errors_per_1k"]),
                 "+".join(h["sources"])])
    if m["sources"]:
        rows.append(["all MT", "mt", "", f"{m['words']:,}", _fmt(m["per_1k"]), _fmt(m["errors_per_1k"]),
                     f"precision {_fmt(m['precision'], 3)}, lift {_fmt(m['lift'])}"])
    return _table(rows, left=(0, 1, 6))


def format_rules(result: Mapping[str, Any]) -> list[str]:
    """One row a rule, most findings on human English first."""
    human, mt = result["human"]["sources"], result["mt"]["sources"]
    head = ["rule", "sev"]
    for name in human:
        head += [f"{name} f", "e"]
    head += ["human f", "e"] + [f"{n} f" for n in mt] + (["MT f", "prec", "lift", "MT/human"] if mt else [])
    rows = [head]
    order = sorted(result["rules"].items(), key=lambda kv: (-kv[1]["human"]["findings"], -(kv[1]["mt_per_1k"] or 0),
                                                            kv[0]))
    for rule, r in order:
        row = [rule, SHORT.get(r["severity"], r["severity"] or "-")]
        for name in human:
            row += [_fmt(r["human_sources"][name]["per_1k"]), _fmt(r["human_sources"][name]["errors_per_1k"])]
        row += [_fmt(r["human"]["per_1k"]), _fmt(r["human"]["errors_per_1k"])]
        row += [_fmt(r["mt_sources"][n]) for n in mt]
        if mt:
            row += [_fmt(r["mt_per_1k"]), _fmt(r["precision"], 3), _fmt(r["lift"]), _ratio_cell(r)]
        rows.append(row)
    return _table(rows, left=(0, 1))


def format_result(result: Mapping[str, Any], seconds: Mapping[str, float]) -> str:
    words = sum(s["words"] for s in result["sources"].values())
    checked = sum(seconds.values())
    out = ["False alarms on human English (our rules + Harper, as `cleanup check` runs them by default)", ""]
    out += format_summary(result)
    out += ["", f"time: checker {checked:.1f} s for {words:,} words"
            + (f" ({words / checked:,.0f} words/s; cached sources count their first run)" if checked else ""), ""]
    out += ["per rule: findings (f) and errors (e) per 1,000 words; MT f = WeTS + TED MT pooled, with the "
            "rule's precision and lift there; MT/human = MT f / human f", ""]
    out += format_rules(result)
    out += ["", format_targets(result["targets"])]
    return "\n".join(out)


def format_targets(t: Mapping[str, Any]) -> str:
    def word(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    return (f"targets (all human English pooled): findings/1k {_fmt(t['findings_per_1k'])} <= "
            f"{t['max_findings_per_1k']:g} {word(t['findings_pass'])}; errors/1k {_fmt(t['errors_per_1k'])} <= "
            f"{t['max_errors_per_1k']:g} {word(t['errors_pass'])}; overall {word(t['pass'])}")


def shown(sources: Sequence[Source], found: Mapping[str, list], rules: Sequence[str]) -> list[dict[str, Any]]:
    """Every finding on human English of the rules named (a code or a prefix), with its context:
    the paragraph around it, at most 100 characters before and 60 after."""
    out = []
    for source in sources:
        if source.kind != "human":
            continue
        for record, rows in zip(source.records, found[source.name], strict=True):
            text = record["text"]
            for start, end, rule, _category, severity in sorted(rows, key=lambda f: (f[0], f[1], f[2])):
                if not any(rule == r or rule.startswith(r) for r in rules):
                    continue
                before = max(text.rfind("\n", 0, start) + 1, start - 100)
                after = text.find("\n", end)
                after = len(text) if after < 0 else min(after, end + 60)
                out.append({"rule": rule, "severity": severity, "source": source.name,
                            "article": str(record.get("id", "")), "span": [start, end], "text": text[start:end],
                            "context": text[before:after].replace("\n", " ")})
    return out


def format_shown(items: Sequence[Mapping[str, Any]]) -> str:
    lines = [f"{i['rule']} {i['severity']} {i['source']} {i['article']}: [{i['text']}] :: {i['context']}" for i in items]
    return "\n".join(lines + [f"({len(items)} findings shown)", ""])


# --------------------------------------------------------------------------- command line


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmarks/false_alarms.py",
                                     description="Findings and errors per 1,000 words on human English, per rule, "
                                     "next to each rule's figures on machine translation.")
    parser.add_argument("--data-dir", type=Path, default=DATA,
                        help=f"folder of {TED}, {WETS} and {JFLEG} [../shared/data]")
    parser.add_argument("--ted", type=Path, help=f"the TED MQM set [DATA-DIR/{TED}]")
    parser.add_argument("--wets", type=Path, help=f"WeTS dev [DATA-DIR/{WETS}]")
    parser.add_argument("--jfleg", type=Path, help=f"JFLEG dev [DATA-DIR/{JFLEG}]")
    parser.add_argument("--all-refs", action="store_true", help="all four JFLEG references, not the first only")
    parser.add_argument("--mlqe-pe", type=Path, metavar="DIR",
                        help=f"MLQE-PE post-editing data, extracted [${MLQE_ENV}; skipped when neither is set]")
    parser.add_argument("--mlqe-train", action="store_true", help="MLQE-PE's train sets too (test20 and dev by default)")
    parser.add_argument("--human-only", action="store_true", help="leave out the MT sets (no precision, lift, ratio)")
    parser.add_argument("--select", nargs="+", metavar="PREFIX", help="only rules with these code prefixes")
    parser.add_argument("--ignore", nargs="+", metavar="PREFIX", help="leave out rules with these code prefixes")
    parser.add_argument("--show", action="append", metavar="RULE",
                        help="print each finding of RULE (a code or prefix; comma-separated or repeated) on "
                        "human English in context")
    parser.add_argument("--limit", type=int, metavar="N", help="only the first N articles of each source")
    parser.add_argument("--findings-cache", type=Path, metavar="FILE",
                        help="reuse the findings saved in FILE when code, rules, selection and texts are the same")
    parser.add_argument("--targets", action="store_true",
                        help=f"PASS/FAIL for <= {MAX_FINDINGS_PER_1K:g} findings and <= {MAX_ERRORS_PER_1K:g} "
                        "errors per 1,000 words on all human English; exit 1 on FAIL")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    args.ted = args.ted or args.data_dir / TED
    args.wets = args.wets or args.data_dir / WETS
    args.jfleg = args.jfleg or args.data_dir / JFLEG
    args.show = [r for item in args.show or () for r in item.split(",") if r]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    started = time.perf_counter()
    try:
        sources = load_sources(args)
        found, seconds = check_sources(sources, args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # --findings-cache cannot be written
        print(f"error: cannot write {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    result = summarize(sources, found)
    items = shown(sources, found, args.show) if args.show else []
    result["seconds"] = {"check": seconds, "total": time.perf_counter() - started}
    if args.json:
        print(json.dumps({**result, "shown": items} if args.show else result, indent=2))
    else:
        if args.show:
            print(format_shown(items))
        print(format_result(result, seconds))
        print(f"total time: {result['seconds']['total']:.1f} s")
    return 1 if args.targets and not result["targets"]["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
