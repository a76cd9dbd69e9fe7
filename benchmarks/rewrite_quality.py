#!/usr/bin/env python
"""Do cleanup's fixes make text better?  GLEU and edit precision on JFLEG (learner English with
four human fluency rewrites a sentence).

    python benchmarks/rewrite_quality.py                     # the dev set in ../shared/data
    python benchmarks/rewrite_quality.py --json
    python benchmarks/rewrite_quality.py --engine cleanup    # our rules without Harper
    python benchmarks/rewrite_quality.py --select ALL --ignore HARPER/SpellCheck
    python benchmarks/rewrite_quality.py --sample MT405 --n 20   # read a rule's rewrites
    python benchmarks/rewrite_quality.py --sample all            # read --fix --unsafe-fixes output

Each source sentence is detokenized (:func:`rewrite_metrics.detokenize`) and checked as its own
plain-text article by the checker ``cleanup ARTICLE`` builds (``editor.api.get_checker``: our
rules and Harper, the default configuration, ``--select``/``--ignore`` passed through).  Three
systems are scored: the unchanged source; ``--fix`` (safe fixes applied and re-checked to a
fixpoint by ``editor.fixes.fix_until_stable``, as the command line does); ``--fix
--unsafe-fixes``.  Their output is tokenized back the way JFLEG is (:func:`rewrite_metrics.tokenize`)
and scored with

- GLEU, ported from the official JFLEG script (500 reference samplings, seeded as it does), with
  its standard deviation and 95% interval, the difference to the source, and a paired bootstrap
  interval for that difference (sentences and references resampled together);
- the precision, recall and F0.5 of the applied token edits against the references' edits (per
  sentence the reference that maximises cumulative F0.5, as the M2 scorer picks it);
- per rule: every finding on the source whose first fix is applied alone (display-only ones too:
  their applicability is counted), its token edits a match (all in one reference's edits), a miss,
  or no change at the token level, and the change it makes to the sentence's GLEU.

Nothing is cached on disk.  Exit status: 0, or 2 on bad input (missing or malformed data file,
a rule to sample that made no rewrite, the pipeline not loadable).
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from rewrite_metrics import (  # noqa: E402
    OFFICIAL_ITERATIONS,
    EditScore,
    GleuSentence,
    TokenEdit,
    corpus_gleu,
    detokenize,
    edit_verdict,
    m2_score,
    maxmatch_score,
    path_verdict,
    paired_bootstrap,
    reference_draws,
    sentence_gleu,
    token_edits,
    tokenize,
)

from editor.findings import Applicability, Finding  # noqa: E402
from editor.fixes import apply_fixes, first_fixes, fix_until_stable  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "jfleg_dev.jsonl"
SYSTEMS = ("source", "fix", "unsafe_fixes")
SYSTEM_LABELS = {"source": "source (unchanged)", "fix": "--fix", "unsafe_fixes": "--fix --unsafe-fixes"}
LEVELS = {"fix": Applicability.SAFE, "unsafe_fixes": Applicability.UNSAFE}
VERDICTS = ("match", "miss", "no-op")


class UsageError(Exception):
    """Bad input: one line on stderr, exit code 2."""


# --------------------------------------------------------------------------------------------
# data


@dataclass(frozen=True)
class Record:
    id: str
    source: tuple[str, ...]  # JFLEG tokens
    references: tuple[tuple[str, ...], ...]


def load_records(path: Path, limit: int | None = None) -> list[Record]:
    """JFLEG records from a JSON-lines file (``id``, ``source``, ``references``), validated."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    records: list[Record] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not JSON ({exc.msg})") from None
        source = obj.get("source") if isinstance(obj, dict) else None
        refs = obj.get("references") if isinstance(obj, dict) else None
        if not isinstance(source, str) or not source.split() or not isinstance(refs, list) or not refs \
                or not all(isinstance(r, str) for r in refs):
            raise UsageError(f"{path}:{number}: expected an object with a non-empty \"source\" string "
                             "and a non-empty \"references\" list of strings")
        records.append(Record(str(obj.get("id", number)), tuple(source.split()),
                              tuple(tuple(r.split()) for r in refs)))
        if limit is not None and len(records) >= limit:
            break
    if not records:
        raise UsageError(f"{path}: no sentences")
    return records


def round_trip_share(records: Sequence[Record]) -> tuple[int, int]:
    """How many sources tokenize back to themselves after detokenizing (ok, total)."""
    ok = sum(1 for r in records if tuple(tokenize(detokenize(r.source))) == r.source)
    return ok, len(records)


# --------------------------------------------------------------------------------------------
# running the checker


@dataclass
class SentenceRun:
    text: str  # the detokenized source: what the checker read
    findings: list[Finding]  # on the source
    outputs: dict[str, str] = field(default_factory=dict)  # system → fixed text
    applied: dict[str, list[Finding]] = field(default_factory=dict)  # system → findings whose fix was applied
    fixes_applied: dict[str, int] = field(default_factory=dict)  # as fix_until_stable counts them


def run_sentence(detect: Callable[[str], list[Finding]], text: str,
                 levels: dict[str, Applicability] = LEVELS) -> SentenceRun:
    """Check ``text`` and fix it to a fixpoint at each level exactly as ``cleanup --fix`` does
    (``fix_until_stable``), remembering which findings' fixes were applied in each round."""
    memo: dict[str, list[Finding]] = {}

    def check(t: str) -> list[Finding]:
        found = memo.get(t)
        if found is None:
            found = memo[t] = detect(t)
        return found

    run = SentenceRun(text=text, findings=check(text))
    for name, level in levels.items():
        seen: list[str] = []

        def tracked(t: str, seen: list[str] = seen) -> list[Finding]:
            seen.append(t)
            return check(t)

        fixed, count, _remaining = fix_until_stable(text, tracked, level)
        run.outputs[name] = fixed
        run.fixes_applied[name] = count
        run.applied[name] = applied_findings(seen, memo, level)
    return run


def applied_findings(texts: Sequence[str], findings_of: dict[str, list[Finding]],
                     level: Applicability) -> list[Finding]:
    """The findings whose first fix ``fix_until_stable`` applied, round by round: it checked
    ``texts[0]``, applied the allowed first fixes (``apply_fixes``), checked ``texts[1]``, …"""
    out: list[Finding] = []
    for before, after in zip(texts, texts[1:]):
        findings = findings_of[before]
        owner = {id(f.fixes[0]): f for f in findings if f.fixes}
        result = apply_fixes(before, first_fixes(findings, level))
        if result.text != after:
            raise RuntimeError("fix_until_stable no longer applies first_fixes with apply_fixes: "
                               "update benchmarks/rewrite_quality.py")
        out.extend(owner[id(fix)] for fix in result.applied)
    return out


def build_detector(engine: str, select: list[str] | None, ignore: list[str] | None):
    """(detect(text) -> findings, is_default(code) -> bool | None, description) for the
    checker ``cleanup ARTICLE`` builds with these options (no configuration file)."""
    try:
        from editor.api import get_checker
        from editor.engine import RuleFileError
        from editor.nlp import ModelError
    except ImportError as exc:
        raise UsageError(f"the cleanup pipeline is not available ({exc})") from None
    try:
        checker = get_checker(select=select, ignore=ignore, harper=engine == "both")
    except (RuleFileError, ModelError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    defaults = {r.code: r.default for r in checker.ruleset.rules}

    def is_default(code: str) -> bool | None:
        if code in defaults:
            return defaults[code]
        if code.startswith("HARPER/"):
            from editor.backends import harper

            return harper.is_default(code[len("HARPER/"):])
        return None

    def detect(text: str) -> list[Finding]:
        return checker.detect(text, "txt", "sentence.txt")

    engines = ["cleanup rules"] + [e.name for e in checker.engines]
    desc = " + ".join(engines)
    if select:
        desc += f"; select {','.join(select)}"
    if ignore:
        desc += f"; ignore {','.join(ignore)}"
    return detect, is_default, desc


def run_all(records: Sequence[Record], detect: Callable[[str], list[Finding]],
            levels: dict[str, Applicability] = LEVELS, progress: Callable[[int, int], None] | None = None
            ) -> list[SentenceRun]:
    runs = []
    for done, record in enumerate(records, start=1):
        runs.append(run_sentence(detect, detokenize(record.source), levels))
        if progress is not None:
            progress(done, len(records))
    return runs


# --------------------------------------------------------------------------------------------
# scoring


def hypothesis_tokens(record: Record, run: SentenceRun, output: str) -> tuple[str, ...]:
    """JFLEG tokens of an output: the source's own tokens when nothing changed."""
    return record.source if output == run.text else tuple(tokenize(output))


@dataclass
class SingleFix:
    """One finding's first fix, applied alone to its source sentence."""

    index: int  # the sentence
    rule: str
    name: str
    applicability: str
    output: str  # the sentence with the fix applied (prose)
    edits: list[TokenEdit]
    verdict: str  # match | miss | no-op: exact edits of one reference
    gleu_delta: float  # sentence GLEU after minus before
    path: str = ""  # match | miss | no-op: on a shortest edit path to one reference (MaxMatch-style)


@dataclass
class RuleRow:
    rule: str
    name: str = ""
    default: bool | None = None
    findings: int = 0
    with_fix: int = 0
    applicability: Counter = field(default_factory=Counter)
    verdicts: Counter = field(default_factory=Counter)
    paths: Counter = field(default_factory=Counter)  # path verdicts of the fixes --fix may apply
    gleu_up: int = 0
    gleu_down: int = 0
    gleu_delta_sum: float = 0.0

    @property
    def match_rate(self) -> float | None:
        judged = self.verdicts["match"] + self.verdicts["miss"]
        return self.verdicts["match"] / judged if judged else None

    @property
    def path_rate(self) -> float | None:
        judged = self.paths["match"] + self.paths["miss"]
        return self.paths["match"] / judged if judged else None

    @property
    def mean_gleu_delta(self) -> float | None:
        return self.gleu_delta_sum / self.with_fix if self.with_fix else None

    def as_dict(self) -> dict:
        return {"rule": self.rule, "name": self.name, "default": self.default, "findings": self.findings,
                "with_fix": self.with_fix, "safe": self.applicability["safe"],
                "unsafe": self.applicability["unsafe"], "display_only": self.applicability["display-only"],
                "match": self.verdicts["match"], "miss": self.verdicts["miss"], "no_op": self.verdicts["no-op"],
                "match_rate": self.match_rate, "path_match": self.paths["match"],
                "path_miss": self.paths["miss"], "path_rate": self.path_rate, "gleu_up": self.gleu_up, "gleu_down": self.gleu_down,
                "mean_sentence_gleu_delta": self.mean_gleu_delta}


def single_fixes(records: Sequence[Record], runs: Sequence[SentenceRun], sentences: Sequence[GleuSentence],
                 ref_edits: Sequence[Sequence[Sequence[TokenEdit]]]) -> list[SingleFix]:
    out = []
    for i, (record, run, sent) in enumerate(zip(records, runs, sentences)):
        base = None
        for f in run.findings:
            if not f.fixes:
                continue
            if base is None:
                base = sentence_gleu(sent.stats(record.source))
            fix = f.fixes[0]
            output = apply_fixes(run.text, [fix]).text
            tokens = hypothesis_tokens(record, run, output)
            edits = token_edits(record.source, tokens)
            out.append(SingleFix(i, f.rule, f.name, fix.applicability.value, output, edits,
                                 edit_verdict(edits, ref_edits[i]), sentence_gleu(sent.stats(tokens)) - base,
                                 path_verdict(record.source, edits, record.references)))
    return out


def rule_table(runs: Sequence[SentenceRun], singles: Sequence[SingleFix],
               is_default: Callable[[str], bool | None] = lambda code: None) -> list[RuleRow]:
    rows: dict[str, RuleRow] = {}

    def row(code: str, name: str) -> RuleRow:
        if code not in rows:
            rows[code] = RuleRow(code, name, is_default(code))
        return rows[code]

    for run in runs:
        for f in run.findings:
            row(f.rule, f.name).findings += 1
    for s in singles:
        r = row(s.rule, s.name)
        r.with_fix += 1
        r.applicability[s.applicability] += 1
        r.verdicts[s.verdict] += 1
        if s.applicability != "display-only":
            r.paths[s.path] += 1
        r.gleu_delta_sum += s.gleu_delta
        r.gleu_up += s.gleu_delta > 0
        r.gleu_down += s.gleu_delta < 0
    return sorted(rows.values(), key=lambda r: (-r.findings, r.rule))


def missing_more(rows: Sequence[RuleRow]) -> list[RuleRow]:
    """Default rules whose fixes that ``--fix`` may apply (safe or unsafe) miss the references more
    often than they match them (path-consistent matching, see rewrite_metrics)."""
    return [r for r in rows if r.default and r.paths["miss"] > r.paths["match"]]


def evaluate(records: Sequence[Record], runs: Sequence[SentenceRun], iterations: int = OFFICIAL_ITERATIONS,
             bootstrap: int = 1000, is_default: Callable[[str], bool | None] = lambda code: None) -> dict[str, Any]:
    """Every figure of the benchmark, JSON-ready (plus the per-fix details under ``_singles``)."""
    sentences = [GleuSentence.of(r.source, r.references) for r in records]
    ref_edits = [[token_edits(r.source, ref) for ref in r.references] for r in records]
    n_refs = {len(r.references) for r in records}
    if len(n_refs) != 1:
        raise UsageError("every sentence needs the same number of references (the official GLEU "
                         f"samples reference k of every sentence); found {sorted(n_refs)}")
    draws = reference_draws(len(records), n_refs.pop(), iterations)
    systems: dict[str, Any] = {}
    stats: dict[str, list] = {}
    for name in SYSTEMS:
        hyps = [record.source if name == "source" else hypothesis_tokens(record, run, run.outputs[name])
                for record, run in zip(records, runs)]
        stats[name] = [s.stats(h) for s, h in zip(sentences, hyps)]
        score = corpus_gleu(stats[name], draws)
        edits = [token_edits(r.source, h) for r, h in zip(records, hyps)]
        m2: EditScore = m2_score(edits, ref_edits)
        mm: EditScore = maxmatch_score([r.source for r in records], edits, [r.references for r in records], ref_edits)
        entry = {"label": SYSTEM_LABELS[name], **score.as_dict(),
                 "changed_sentences": sum(1 for r, h in zip(records, hyps) if h != r.source),
                 "fixes_applied": sum(run.fixes_applied.get(name, 0) for run in runs),
                 "edits": m2.as_dict(), "edits_path": mm.as_dict()}
        if name != "source":
            entry["delta"] = score.mean - systems["source"]["gleu"]
            if bootstrap:
                low, high, p = paired_bootstrap(stats[name], stats["source"], samples=bootstrap)
                entry["delta_ci95"] = [low, high]
                entry["p_not_better"] = p
        systems[name] = entry
    singles = single_fixes(records, runs, sentences, ref_edits)
    rows = rule_table(runs, singles, is_default)
    ok, total = round_trip_share(records)
    return {
        "sentences": len(records),
        "round_trip": {"ok": ok, "total": total, "share": ok / total},
        "gleu_iterations": iterations,
        "bootstrap_samples": bootstrap,
        "systems": systems,
        "rules": [r.as_dict() for r in rows],
        "default_rules_missing_more": [r.rule for r in missing_more(rows)],
        "_singles": singles,
    }


# --------------------------------------------------------------------------------------------
# output


def _pct(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{100 * x:.{digits}f}"


def _share(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def format_report(result: dict[str, Any]) -> str:
    out = []
    rt = result["round_trip"]
    out.append(f"JFLEG: {result['sentences']} sentences, {result.get('data', '')}")
    if "checker" in result:
        out.append(f"checker: {result['checker']}; checked in {result.get('seconds', 0):.1f} s")
    out.append(f"round trip detokenize → tokenize gives back the source tokens for {rt['ok']}/{rt['total']} "
               f"sentences ({100 * rt['share']:.1f}%)")
    out += ["", f"GLEU (official JFLEG GLEU, {result['gleu_iterations']} reference samplings; "
                f"Δ: difference to the source, its 95% interval from a paired bootstrap of "
                f"{result['bootstrap_samples']} resamples)",
            f"{'system':22} {'GLEU':>6} {'std':>5} {'95% CI':>15} {'Δ':>6} {'Δ 95% CI':>16} {'changed':>8} {'fixes':>6}"]
    for name in SYSTEMS:
        s = result["systems"][name]
        ci = f"{100 * s['ci95'][0]:.2f}–{100 * s['ci95'][1]:.2f}"
        delta = f"{100 * s['delta']:+.2f}" if "delta" in s else ""
        dci = f"{100 * s['delta_ci95'][0]:+.2f}–{100 * s['delta_ci95'][1]:+.2f}" if "delta_ci95" in s else ""
        out.append(f"{s['label']:22} {100 * s['gleu']:6.2f} {100 * s['std']:5.2f} {ci:>15} {delta:>6} {dci:>16} "
                   f"{s['changed_sentences']:8} {s['fixes_applied']:6}")
    out += ["", "Applied token edits against the references' edits (per sentence the reference that "
                "maximises cumulative F0.5, as the M2 scorer)",
            f"{'system':22} {'proposed':>8} {'correct':>8} {'gold':>6} {'P':>6} {'R':>6} {'F0.5':>6}"]
    for key, title in (("edits", "exact"), ("edits_path", "path")):
        for name in SYSTEMS[1:]:
            s = result["systems"][name]
            e = s[key]
            out.append(f"{s['label'] + ' (' + title + ')':22} {e['proposed']:8} {e['correct']:8} {e['gold']:6} "
                       f"{_share(e['precision']):>6} {_share(e['recall']):>6} {e['f0.5']:6.3f}")
    out.append("(exact: the edit equals an edit of the reference; path: it lies on a shortest token edit path "
               "from the source to the reference, MaxMatch-style — see benchmarks/rewrite_metrics.py)")
    out += ["", "Per rule: each finding's first fix applied alone to its source sentence "
                "(match: all its token edits are edits of one reference; path/pmiss/prate: the same with "
                "path-consistent matching, counted for the fixes --fix may apply; no-op: no token changes; "
                "ΔGLEU: sentence GLEU change, ×100)",
            f"{'rule':34} {'def':>3} {'found':>5} {'fix':>4} {'safe':>4} {'unsf':>4} {'disp':>4} "
            f"{'match':>5} {'miss':>4} {'no-op':>5} {'rate':>5} {'path':>4} {'pmiss':>5} {'prate':>5} "
            f"{'up':>3} {'down':>4} {'ΔGLEU':>6}"]
    for r in result["rules"]:
        d = {True: "yes", False: "no", None: "?"}[r["default"]]
        rate = _share(r["match_rate"])
        delta = "" if r["mean_sentence_gleu_delta"] is None else f"{100 * r['mean_sentence_gleu_delta']:+.2f}"
        out.append(f"{r['rule'][:34]:34} {d:>3} {r['findings']:5} {r['with_fix']:4} {r['safe']:4} {r['unsafe']:4} "
                   f"{r['display_only']:4} {r['match']:5} {r['miss']:4} {r['no_op']:5} {rate:>5} "
                   f"{r['path_match']:4} {r['path_miss']:5} {_share(r['path_rate']):>5} "
                   f"{r['gleu_up']:3} {r['gleu_down']:4} {delta:>6}")
    if not result["rules"]:
        out.append("(no findings)")
    worse = result["default_rules_missing_more"]
    out += ["", "Default rules whose applicable edits (safe or unsafe) miss more often than they match "
                "(path): " + (", ".join(worse) or "none")]
    return "\n".join(out)


def mark_changes(before: str, after: str) -> str:
    """``after`` with the words that differ from ``before`` marked ``[-old-]{+new+}``."""
    a, b = before.split(), after.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def sample_rule(records: Sequence[Record], runs: Sequence[SentenceRun], singles: Sequence[SingleFix],
                rule: str, n: int, seed: int) -> list[str]:
    """``n`` of ``rule``'s rewrites (exact code, else code prefix), drawn with ``seed``, in data order."""
    chosen = [s for s in singles if s.rule == rule] or [s for s in singles if s.rule.startswith(rule)]
    if not chosen:
        fired = sorted({s.rule for s in singles})
        raise UsageError(f"--sample {rule}: no rewrite by that rule on this data; rules that rewrote: "
                         + (", ".join(fired) or "none"))
    picked = sorted(random.Random(seed).sample(range(len(chosen)), min(n, len(chosen))))
    lines = [f"{len(picked)} of {len(chosen)} rewrites by {rule} (seed {seed})"]
    for k in picked:
        s = chosen[k]
        record, run = records[s.index], runs[s.index]
        lines += ["", f"{record.id}  {s.rule}  {s.applicability}  {s.verdict}  ΔGLEU {100 * s.gleu_delta:+.2f}",
                  f"  source:  {run.text}",
                  f"  rewrite: {mark_changes(run.text, s.output)}"]
        lines += [f"  ref {j}:   {detokenize(ref)}" for j, ref in enumerate(record.references)]
    return lines


def sample_all(records: Sequence[Record], runs: Sequence[SentenceRun], n: int, seed: int,
               system: str = "unsafe_fixes") -> list[str]:
    """``n`` sentences the ``system`` run changed, drawn with ``seed``, with the rules applied."""
    changed = [i for i, (rec, run) in enumerate(zip(records, runs))
               if hypothesis_tokens(rec, run, run.outputs[system]) != rec.source]
    if not changed:
        return [f"{SYSTEM_LABELS[system]} changed no sentence"]
    picked = sorted(random.Random(seed).sample(changed, min(n, len(changed))))
    lines = [f"{len(picked)} of {len(changed)} sentences changed by {SYSTEM_LABELS[system]} (seed {seed})"]
    for i in picked:
        record, run = records[i], runs[i]
        output = run.outputs[system]
        tokens = hypothesis_tokens(record, run, output)
        edits = token_edits(record.source, tokens)
        in_ref = sum(1 for e in edits if any(e in token_edits(record.source, ref) for ref in record.references))
        rules = ", ".join(f"{f.rule} ({f.applicability.value})" for f in run.applied[system]) or "-"
        lines += ["", f"{record.id}  rules: {rules}  edits: {len(edits)}, {in_ref} in a reference",
                  f"  source:  {run.text}",
                  f"  rewrite: {mark_changes(run.text, output)}"]
        lines += [f"  ref {j}:   {detokenize(ref)}" for j, ref in enumerate(record.references)]
    return lines


# --------------------------------------------------------------------------------------------
# command line


def _codes(values: Sequence[str] | None) -> list[str] | None:
    out = [v.strip() for item in values or () for v in item.split(",") if v.strip()]
    return out or None


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="benchmarks/rewrite_quality.py",
                                description="GLEU, edit precision and per-rule edit matches of cleanup's "
                                            "fixes on JFLEG.")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"JFLEG JSON lines [{DEFAULT_DATA}]")
    p.add_argument("--engine", choices=("both", "cleanup"), default="both",
                   help="both: our rules and Harper, as `cleanup ARTICLE` runs; cleanup: our rules alone")
    p.add_argument("--select", action="append", metavar="CODES", help="rule code prefixes, as the CLI's --select")
    p.add_argument("--ignore", action="append", metavar="CODES", help="rule code prefixes, as the CLI's --ignore")
    p.add_argument("--limit", type=int, metavar="N", help="only the first N sentences")
    p.add_argument("--iterations", type=int, default=OFFICIAL_ITERATIONS,
                   help=f"GLEU reference samplings [{OFFICIAL_ITERATIONS}, the official script's]")
    p.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                   help="paired bootstrap resamples for the Δ intervals, 0 for none [1000]")
    p.add_argument("--sample", metavar="RULE|all",
                   help="print rewrites to read instead of the figures: a rule's (code or prefix), or "
                        "`all` for sentences changed by --fix --unsafe-fixes")
    p.add_argument("--n", type=int, default=30, help="how many to sample [30]")
    p.add_argument("--seed", type=int, default=0, help="seed of the sample [0]")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = p.parse_args(argv)
    for name in ("limit", "iterations", "n"):
        value = getattr(args, name)
        if value is not None and value < 1:
            p.error(f"--{name} must be at least 1")
    if args.bootstrap < 0:
        p.error("--bootstrap must be 0 or more")
    if args.sample is not None and args.json:
        p.error("--sample prints rewrites to read; it has no --json form")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    try:
        records = load_records(args.data, args.limit)
        detect, is_default, desc = build_detector(args.engine, _codes(args.select), _codes(args.ignore))

        def progress(done: int, total: int) -> None:
            if not args.quiet and sys.stderr.isatty() and (done % 25 == 0 or done == total):
                print(f"\rchecked {done}/{total} sentences", end="\n" if done == total else "",
                      file=sys.stderr, flush=True)

        started = time.perf_counter()
        sampling_rule = args.sample is not None and args.sample != "all"
        levels = {} if sampling_rule else LEVELS
        runs = run_all(records, detect, levels, progress)
        seconds = time.perf_counter() - started
        if args.sample == "all":
            print("\n".join(sample_all(records, runs, args.n, args.seed)))
            return 0
        if sampling_rule:
            sentences = [GleuSentence.of(r.source, r.references) for r in records]
            ref_edits = [[token_edits(r.source, ref) for ref in r.references] for r in records]
            singles = single_fixes(records, runs, sentences, ref_edits)
            print("\n".join(sample_rule(records, runs, singles, args.sample, args.n, args.seed)))
            return 0
        result = evaluate(records, runs, args.iterations, args.bootstrap, is_default)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result.pop("_singles")
    result = {"data": str(args.data), "checker": desc, "seconds": seconds, **result}
    print(json.dumps(result, indent=1) if args.json else format_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
