#!/usr/bin/env python
"""How much do our checks cost on top of spaCy's parse?

    python benchmarks/throughput.py [--words N] [--repeat R] [--json] [--profile] [--keep]

Both sides read the same ~100k words of article text and are timed as whole processes
(interpreter start, imports and model load included), wall clock:

- ``cleanup``: ``python -m editor check --format json --fail-on never FOLDER`` -- the full
  pipeline with the default rules, as CI runs it; ``--engines cleanup+harper`` (the default, as
  ``cleanup check`` runs) includes Harper, ``--engines cleanup`` adds ``--ignore HARPER``.
- ``spaCy``: a small Python program that loads the same model with all its components
  (``editor.nlp.default_model_name()``), reads the same files, splits them at blank lines and
  consumes ``nlp.pipe(texts, batch_size=64)`` in one process.

It prints words, seconds and words/s of each, peak memory (max RSS of each process, from
``wait4``), the ratio cleanup words/s / spaCy words/s, and PASS/FAIL against the target
(ratio >= 0.7: the checks cost at most 30% over the parse).  The machine may be shared, so it
also prints the same ratio by CPU time (user + sys of each process), which other load disturbs
less, and the load average at the start.  With ``--repeat R`` each command
runs R times (alternating) and the fastest run counts.  Before timing, one untimed run on a
single article warms the disk cache and the bytecode, so neither side pays for a cold start.

The corpus is written at run time into a temporary folder, one ``.txt`` file per article:
``../shared/samples/walking-backwards.txt`` then, alternately, the articles of
``../shared/data/mqm_zhen_2021ted_docs.jsonl`` and ``../shared/data/wets_zhen_dev.jsonl``
(their ``text`` fields), until ``--words`` is reached; the last article is cut at a paragraph
end.  Without ``../shared`` it uses the articles in the repository's ``samples/`` folder.  When
the sources hold fewer words than asked for, articles are used again.  Nothing is copied into
the repository.

``--profile`` then checks the same articles in this process under cProfile, with spaCy's parse
done beforehand and left out of the profile, and prints the checks' cost: seconds and words/s
of the checks alone, time by module, the top 25 functions by cumulative time, and the time of
each default rule run on its own (rules sharing a matcher cost less together than the sum).

The rules come from ``$CLEANUP_RULES`` when set (both subprocesses inherit it), else the
checkout's ``rules/`` folder.

Exit status: 0 when the ratio meets the target, 1 when it does not, 2 when a run failed (a
broken rule file, no model, no articles).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
DATASETS = ("data/mqm_zhen_2021ted_docs.jsonl", "data/wets_zhen_dev.jsonl")
SAMPLE = "samples/walking-backwards.txt"
TARGET = 0.7
BATCH_SIZE = 64  # as editor.nlp.BATCH_SIZE
PROFILE_TOP = 25

# The bare-spaCy side: argv = model name, folder, batch size.  Prints (JSON) its own split of
# load and parse time, so the report can show what the model load costs.
SPACY_PROGRAM = r"""
import os, re, sys, time, json
t0 = time.perf_counter()
import spacy
nlp = spacy.load(sys.argv[1])
t1 = time.perf_counter()
texts = []
for root, dirs, files in os.walk(sys.argv[2]):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".txt"):
            with open(os.path.join(root, name), encoding="utf-8") as f:
                texts.extend(p.strip() for p in re.split(r"\n[ \t]*\n", f.read()) if p.strip())
tokens = 0
for doc in nlp.pipe(texts, batch_size=int(sys.argv[3])):
    tokens += len(doc)
t2 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "parse_s": t2 - t1, "texts": len(texts), "tokens": tokens,
                  "components": nlp.pipe_names}))
"""


class BenchError(Exception):
    """A run that cannot be measured: printed on one line, exit status 2."""


# --------------------------------------------------------------------------------------------
# corpus


@dataclass
class Corpus:
    folder: Path
    files: list[Path]
    words: int
    by_source: dict[str, int]


def _words(text: str) -> int:
    return len(text.split())  # as editor.nlp.word_count


def _sources() -> list[tuple[str, str, str]]:
    """(source, name, text) of every article available, in the order they are used."""
    if SHARED.is_dir():
        out = []
        sample = SHARED / SAMPLE
        if sample.is_file():
            out.append(("sample", sample.stem, sample.read_text(encoding="utf-8")))
        sets = []
        for rel in DATASETS:
            path = SHARED / rel
            if not path.is_file():
                continue
            tag = path.stem.split("_")[0]
            with path.open(encoding="utf-8") as f:
                sets.append([(tag, str(r.get("id", i)), r["text"])
                             for i, r in enumerate(json.loads(line) for line in f if line.strip())])
        for i in range(max((len(s) for s in sets), default=0)):  # alternate between the sets
            out.extend(s[i] for s in sets if i < len(s))
        if out:
            return out
    folder = ROOT / "samples"
    if folder.is_dir():
        return [("samples", p.stem, p.read_text(encoding="utf-8"))
                for p in sorted(folder.rglob("*")) if p.suffix in (".txt", ".md") and p.is_file()]
    return []


def build_corpus(words: int, folder: Path) -> Corpus:
    articles = [a for a in _sources() if a[2].strip()]
    if not articles:
        raise BenchError(f"no article text found in {SHARED} or {ROOT / 'samples'}")
    files: list[Path] = []
    by_source: dict[str, int] = defaultdict(int)
    total = 0
    k = 0
    while total < words:
        source, name, text = articles[k % len(articles)]
        left = words - total
        if _words(text) > left:  # cut the last article at a paragraph end (keep at least one)
            kept: list[str] = []
            n = 0
            for para in re.split(r"\n[ \t]*\n", text):
                if kept and n + _words(para) > left:
                    break
                kept.append(para)
                n += _words(para)
            text = "\n\n".join(kept) + "\n"
        slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:60] or "article"
        path = folder / f"{k:04d}-{source}-{slug}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
        total += _words(text)
        by_source[source] += 1
        k += 1
    return Corpus(folder, files, total, dict(by_source))


# --------------------------------------------------------------------------------------------
# timed processes


@dataclass
class Run:
    seconds: float
    cpu_seconds: float | None
    peak_rss_mb: float | None
    stdout: str


def run_process(cmd: list[str]) -> Run:
    """Run ``cmd`` to the end; wall-clock seconds, CPU seconds and peak RSS of that process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        cpu = rss = None
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
            # ru_maxrss is in KiB on Linux, in bytes on macOS
            rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        else:  # pragma: no cover - Windows: no per-process rusage
            proc.wait()
            seconds = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        detail = stderr.splitlines()[-3:] if stderr else ["(no output)"]
        raise BenchError(f"{' '.join(cmd[:4])} ... exited with {proc.returncode}: " + " | ".join(detail))
    return Run(seconds, cpu, rss, stdout)


ENGINE_SETS = {
    "cleanup+harper": [],  # the default of `cleanup check`: our rules and Harper (LanguageTool off)
    "cleanup": ["--ignore", "HARPER"],  # our rules alone
}


def cleanup_cmd(target: Path, engines: str = "cleanup+harper") -> list[str]:
    return [sys.executable, "-m", "editor", "check", "--format", "json", "--fail-on", "never",
            "--color", "never", "--languagetool", "off", *ENGINE_SETS[engines], str(target)]


def spacy_cmd(model: str, target: Path) -> list[str]:
    return [sys.executable, "-c", SPACY_PROGRAM, model, str(target), str(BATCH_SIZE)]


@dataclass
class Side:
    name: str
    words: int
    runs: list[Run] = field(default_factory=list)

    @property
    def best(self) -> Run:
        return min(self.runs, key=lambda r: r.seconds)

    @property
    def words_per_s(self) -> float:
        return self.words / self.best.seconds

    def as_dict(self) -> dict:
        best = self.best
        return {
            "words": self.words,
            "seconds": round(best.seconds, 3),
            "words_per_s": round(self.words_per_s, 1),
            "cpu_seconds": None if best.cpu_seconds is None else round(best.cpu_seconds, 3),
            "peak_rss_mb": None if best.peak_rss_mb is None else round(max(r.peak_rss_mb for r in self.runs), 1),
            "all_seconds": [round(r.seconds, 3) for r in self.runs],
        }


# --------------------------------------------------------------------------------------------
# the in-process profile of the checks


class _RecordingModel:
    """Stands in for the model in ``Checker``: parses for real, keeps each text's doc, and
    counts the time spent in ``nlp.pipe``."""

    def __init__(self, nlp):
        self._nlp = nlp
        self.docs: dict[str, object] = {}
        self.seconds = 0.0

    def pipe(self, texts, **kwargs):
        texts = list(texts)
        t0 = time.perf_counter()
        docs = list(self._nlp.pipe(texts, **kwargs))
        self.seconds += time.perf_counter() - t0
        self.docs.update(zip(texts, docs))
        return iter(docs)

    def __getattr__(self, name):
        return getattr(self._nlp, name)


class _ReplayModel(_RecordingModel):
    """Hands back the docs the recording pass parsed: the checks run without the parse."""

    def __init__(self, recording: _RecordingModel):
        super().__init__(recording._nlp)
        self.docs = recording.docs

    def pipe(self, texts, **kwargs):
        return (self.docs[t] for t in texts)


def _module_of(filename: str) -> str:
    """A short name for where a function lives: editor/engine/rules.py, spacy/matcher, builtins."""
    if filename.startswith("<") or filename == "~":
        return "builtins"
    p = Path(filename)
    parts = p.parts
    for anchor in ("editor", "spacy", "thinc"):
        if anchor in parts:
            i = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[i:])
    return p.name


def _profile_tables(prof: cProfile.Profile) -> tuple[io.StringIO, list[dict], list[tuple[str, float]]]:
    """(pstats' printout of the top functions, the top functions by cumulative time, own time
    by module, largest first)."""
    text = io.StringIO()
    stats = pstats.Stats(prof, stream=text).sort_stats("cumulative")
    stats.print_stats(PROFILE_TOP)
    top = []
    for func in stats.fcn_list[:PROFILE_TOP]:  # type: ignore[attr-defined]
        cc, nc, tt, ct, _ = stats.stats[func]  # type: ignore[attr-defined]
        filename, line, name = func
        top.append({"function": f"{_module_of(filename)}:{line}({name})", "calls": nc,
                    "tottime": round(tt, 4), "cumtime": round(ct, 4)})
    by_module: dict[str, float] = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, tt, _ct, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_module[_module_of(filename)] += tt
    return text, top, sorted(by_module.items(), key=lambda kv: -kv[1])


def _time_each_rule(checker, docs, recording) -> tuple[list[dict], float]:
    """Each default rule run on its own over the parsed units (slowest first), and all of them
    together (seconds)."""
    from editor.checks.base import CheckContext
    from editor.engine import build_ruleset
    from editor.nlp import analyze
    from editor.segment import segment

    contexts = []
    for d in docs:
        segments = segment(d.text, d.fmt)
        units = analyze(segments, _ReplayModel(recording)) if segments else []
        contexts.append(CheckContext(units=units, path=d.path, fmt=d.fmt))
    codes = sorted(r.code for r in checker.ruleset.rules)
    per_rule = []
    for code in codes:
        others = [c for c in codes if c != code and c.startswith(code)]
        rs = build_ruleset(checker.nlp, select=[code], ignore=others)
        t0 = time.perf_counter()
        hits = sum(1 for ctx in contexts for _ in rs.run(ctx))
        per_rule.append({"rule": code, "name": rs.by_code[code].name, "kind": rs.by_code[code].kind,
                         "seconds": round(time.perf_counter() - t0, 4), "hits": hits})
    per_rule.sort(key=lambda r: -r["seconds"])
    t0 = time.perf_counter()
    for ctx in contexts:
        for _ in checker.ruleset.run(ctx):
            pass
    return per_rule, time.perf_counter() - t0


def profile_checks(corpus: Corpus) -> dict:
    from dataclasses import replace

    from editor.api import get_checker
    from editor.document import read_document

    checker = get_checker()
    docs = [read_document(str(p)) for p in corpus.files]

    # 1. the full check, with the model recording its parses (not profiled)
    recording = _RecordingModel(checker.nlp)
    full = replace(checker, nlp=recording)  # the same checker, its model recording
    t0 = time.perf_counter()
    for d in docs:
        full.check(d)
    full_seconds = time.perf_counter() - t0

    # 2. the same checks again, the parse replaced by a lookup, under cProfile
    replay = replace(checker, nlp=_ReplayModel(recording))

    def check_all() -> int:
        return sum(len(replay.check(d).findings) for d in docs)

    prof = cProfile.Profile()
    t0 = time.perf_counter()
    findings = prof.runcall(check_all)
    profiled_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    for d in docs:
        replay.check(d)
    checks_seconds = time.perf_counter() - t0

    text, top, modules = _profile_tables(prof)

    # 3. each default rule on its own, over the parsed units
    per_rule, all_rules_seconds = _time_each_rule(checker, docs, recording)

    return {
        "words": corpus.words,
        "full_check_seconds": round(full_seconds, 3),
        "parse_seconds": round(recording.seconds, 3),
        "checks_seconds": round(checks_seconds, 3),
        "checks_words_per_s": round(corpus.words / checks_seconds, 1) if checks_seconds else None,
        "profiled_seconds": round(profiled_seconds, 3),
        "all_rules_run_seconds": round(all_rules_seconds, 4),
        "findings": findings,
        "by_module": [{"module": m, "tottime": round(t, 4)} for m, t in modules[:15]],
        "top": top,
        "per_rule": per_rule,
        "pstats": text.getvalue(),
    }


# --------------------------------------------------------------------------------------------
# report


def _rules_summary() -> dict:
    from editor.engine import load_rules, rules_dir

    rules = load_rules()
    return {"folder": str(rules_dir()), "default": sorted(r.code for r in rules if r.default),
            "opt_in": sorted(r.code for r in rules if not r.default)}


def _mb(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f} MB"


def print_report(result: dict) -> None:
    c = result["corpus"]
    print(f"corpus: {c['words']:,} words in {c['articles']} articles "
          f"({', '.join(f'{k} {v}' for k, v in c['by_source'].items())})")
    r = result["rules"]
    print(f"rules: {len(r['default'])} default, {len(r['opt_in'])} opt-in, from {r['folder']}")
    print(f"model: {result['model']} ({', '.join(result['spacy_detail']['components'])}); "
          f"engines: {result.get('engines', 'cleanup')}")
    print(f"runs: {result['repeat']} each, fastest counts; whole processes, model load included\n")
    print(f"{'':12}{'words':>10}{'seconds':>10}{'words/s':>10}{'CPU s':>9}{'peak RSS':>11}")
    for key, label in (("cleanup", "cleanup"), ("spacy", "bare spaCy")):
        s = result[key]
        cpu = "-" if s["cpu_seconds"] is None else f"{s['cpu_seconds']:.2f}"
        print(f"{label:12}{s['words']:>10,}{s['seconds']:>10.2f}{s['words_per_s']:>10,.0f}{cpu:>9}"
              f"{_mb(s['peak_rss_mb']):>11}")
    d = result["spacy_detail"]
    print(f"\nbare spaCy inside: load {d['load_s']:.2f} s, parse {d['parse_s']:.2f} s "
          f"({d['texts']:,} paragraphs, {d['tokens']:,} tokens)")
    print(f"cleanup: {result['cleanup_findings']:,} findings in {result['cleanup_files']} files")
    verdict = "PASS" if result["pass"] else "FAIL"
    print(f"\nratio (cleanup words/s / spaCy words/s): {result['ratio']:.3f}   "
          f"target >= {TARGET}   {verdict}")
    if result["cpu_ratio"] is not None:
        print(f"ratio by CPU time (user+sys; less sensitive to other load): {result['cpu_ratio']:.3f}")
    if result["load_average"]:
        print(f"load average at start: {' '.join(map(str, result['load_average']))} on {os.cpu_count()} CPUs")
    p = result.get("profile")
    if not p:
        return
    print(f"\n--- profile: the checks in-process, spaCy's parse left out ---")
    print(f"full check {p['full_check_seconds']:.2f} s = parse {p['parse_seconds']:.2f} s + the rest; "
          f"the checks alone (parse replayed) {p['checks_seconds']:.2f} s "
          f"= {p['checks_words_per_s']:,.0f} words/s; {p['findings']:,} findings")
    print(f"\ntime by module (own time under the profiler, which inflates it "
          f"{p['profiled_seconds'] / p['checks_seconds']:.1f}x; compare shares):")
    for m in p["by_module"]:
        print(f"  {m['tottime']:8.3f} s  {m['module']}")
    print(f"\neach default rule on its own (RuleSet.run over the parsed units; "
          f"all together: {p['all_rules_run_seconds']:.3f} s):")
    for r in p["per_rule"]:
        print(f"  {r['seconds']:8.3f} s  {r['rule']:7} {r['name']:38} {r['kind']:19} {r['hits']:>6} hits")
    print(f"\ntop {PROFILE_TOP} functions by cumulative time (under the profiler):")
    print(p["pstats"].rstrip())


# --------------------------------------------------------------------------------------------


def _measure(args: argparse.Namespace, corpus: Corpus, model: str, rules: dict, folder: Path,
             load_before) -> dict:
    """Time both sides (alternating, ``--repeat`` times each) and compare their best runs."""
    cleanup = Side("cleanup", corpus.words)
    spacy_side = Side("spacy", corpus.words)
    for i in range(args.repeat):  # alternate, so drift hits both sides alike
        order = [(cleanup, cleanup_cmd(folder, args.engines)), (spacy_side, spacy_cmd(model, folder))]
        for side, cmd in order if i % 2 == 0 else reversed(order):
            side.runs.append(run_process(cmd))
            print(f"  {side.name}: {side.runs[-1].seconds:.2f} s", file=sys.stderr)

    report = json.loads(cleanup.best.stdout)
    if report["summary"]["errors"] or report["summary"]["files"] != len(corpus.files):
        raise BenchError(f"cleanup checked {report['summary']['files']} files with "
                         f"{report['summary']['errors']} errors; expected {len(corpus.files)} files")
    ratio = cleanup.words_per_s / spacy_side.words_per_s
    cpu_ratio = None
    if cleanup.best.cpu_seconds and spacy_side.best.cpu_seconds:
        cpu_ratio = round(spacy_side.best.cpu_seconds / cleanup.best.cpu_seconds, 4)
    result = {
        "corpus": {"words": corpus.words, "articles": len(corpus.files), "by_source": corpus.by_source},
        "model": model,
        "rules": rules,
        "repeat": args.repeat,
        "engines": args.engines,
        "cleanup": cleanup.as_dict(),
        "spacy": spacy_side.as_dict(),
        "spacy_detail": {k: round(v, 3) if isinstance(v, float) else v
                         for k, v in json.loads(spacy_side.best.stdout.strip().splitlines()[-1]).items()},
        "cleanup_findings": report["summary"]["findings"],
        "cleanup_files": report["summary"]["files"],
        "ratio": round(ratio, 4),
        "cpu_ratio": cpu_ratio,
        "load_average": load_before,
        "target": TARGET,
        "pass": ratio >= TARGET,
    }
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=100_000, help="size of the corpus (default 100000)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each command; the fastest counts")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--profile", action="store_true",
                    help="also profile the checks in-process (spaCy's parse left out)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus folder and print where it is")
    ap.add_argument("--engines", choices=sorted(ENGINE_SETS), default="cleanup+harper",
                    help="what `cleanup check` runs: cleanup+harper (its default) or cleanup (our rules alone)")
    args = ap.parse_args(argv)
    if args.words < 1 or args.repeat < 1:
        ap.error("--words and --repeat must be at least 1")

    folder = Path(tempfile.mkdtemp(prefix="cleanup-bench-"))
    try:
        from editor.engine import RuleFileError
        from editor.nlp import ModelError, default_model_name

        try:
            model = default_model_name()
            rules = _rules_summary()
        except (ModelError, RuleFileError) as e:
            raise BenchError(f"{e} (a rule file being edited? retry, or set CLEANUP_RULES to a copy)") from None
        corpus = build_corpus(args.words, folder)

        load_before = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None

        # untimed warm-up: disk cache, bytecode, model files
        warm = folder / "warmup"
        warm.mkdir()
        shutil.copy(corpus.files[0], warm / corpus.files[0].name)
        run_process(cleanup_cmd(warm, args.engines))
        shutil.rmtree(warm)

        result = _measure(args, corpus, model, rules, folder, load_before)
        if args.profile:
            print("  profiling the checks in-process ...", file=sys.stderr)
            result["profile"] = profile_checks(corpus)
        if args.keep:
            result["corpus"]["folder"] = str(folder)
        if args.json:
            out = dict(result)
            if "profile" in out:
                out["profile"] = {k: v for k, v in out["profile"].items() if k != "pstats"}
            print(json.dumps(out, indent=2))
        else:
            print_report(result)
            if args.keep:
                print(f"\ncorpus kept in {folder}")
        return 0 if result["pass"] else 1
    except BenchError as e:
        print(f"throughput: {e}", file=sys.stderr)
        return 2
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
