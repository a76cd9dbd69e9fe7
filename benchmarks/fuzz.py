"""Fuzz the whole check (issue 26): random Markdown and plain text with nesting, long tokens,
control and astral characters and mixed line endings, checked as ``cleanup check`` checks them
(our rules and Harper), with every invariant a user relies on verified on every case.

    python benchmarks/fuzz.py                     # 10 minutes, seed 1
    python benchmarks/fuzz.py --seconds 60 --seed 7 --keep /tmp/fuzz-failures
    python benchmarks/fuzz.py --json

The checks run in a worker process (the model loaded once), so that a native crash is seen as a
death and an endless check as a hang instead of killing or stalling the fuzzer; a worker that
died or hung is replaced. Each case is verified for:

- **deaths**: the worker process ended (a signal, an abort in native code);
- **tracebacks**: an exception escaped the check, the fixes or a renderer (text, JSON, SARIF, HTML);
- **hangs**: no answer within 60 s + 60 s per 100 KB for the whole case (the check, the fix loop's
  rounds, the four renderers);
- **slow**: the check alone (as ``cleanup check`` runs it) over 5 s + 10 s per 100 KB, the target;
- **offsets**: a span or an edit outside the text or reversed; a JSON line/column that does not
  point at the finding's offset (computed here independently, with CR, LF and CRLF line ends and
  columns in code points); a spelling finding that starts or ends inside a word (a shifted offset);
- **lost text**: the fixes applied (``--fix --unsafe-fixes``) change text outside their own edits;
- every ``--cli-every``-th case also goes through the real command line (``python -m editor check
  --format json`` on a file): it must exit 0, 1, or 2 with exactly one ``cleanup:`` line, never
  a traceback, and its findings must be the worker's.

Exit status 0 when every count is zero, 1 otherwise. Failing inputs are saved with ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WORDS = ("the council said new bridge will open next spring after final safety checks people walk "
         "backwards fitness method road flat choose few lot also need pay attention to it is a "
         "very good for health but and or so because when which that this these their there "
         "doctor patients hospital winter summer water drink eat slowly quickly often always").split()
ASTRAL = ["🙂", "𝔘", "𠀀", "👩‍👩‍👧", "🇨🇳", "𝟘", "\U0001F3FD", "🏳️‍🌈"]
ODD = ["\ud800", "\udfff", "\u200b", "\u200d", "\u2028", "\u2029", "\ufeff", "\u00ad", "\u202e", "\u0301", "\x7f", "\x0b", "\x0c",
       "\x1b", "\x01", "\t", "\u3000", "\ufffd", "é", "ß", "İ", "ﬁ", "中文", "，", "。", "“", "”", "—", "…"]
MARKUP = ["`", "``", "```", "*", "**", "_", "__", "[", "]", "(", ")", "![", "](", "<", ">", "<!--", "-->", "<?",
          "<a b", "</a>", "&amp;", "&#x1F642;", "&", "\\", "|", "#", "> ", "- ", "1. ", "~~", "$", "{", "}", "http://x.y/a?b=c"]
LONG = ["ACGT", "a", "xY", "ab-", "0", "=", "/", "é", "🙂", "word"]
ENDINGS = ["\n", "\r\n", "\r"]


# --------------------------------------------------------------------------------------------
# the generator


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(1, 30))]
    for _ in range(rng.randint(0, 3)):
        i = rng.randrange(len(words))
        words[i] = rng.choice([rng.choice(ODD), rng.choice(ASTRAL), rng.choice(MARKUP), words[i] * 2,
                               words[i] + rng.choice(ODD) + words[i], words[i].upper()])
    s = " ".join(words)
    return s[:1].upper() + s[1:] + rng.choice([".", ".", "?", "!", "", ",", " ...", "。", ":"])


def _long_token(rng: random.Random) -> str:
    n = rng.choice([50, 200, 1000, 5000, 20000, 60000]) if rng.random() < 0.3 else rng.randint(20, 120)
    unit = rng.choice(LONG)
    return (unit * (n // len(unit) + 1))[:n] if rng.random() < 0.7 else "".join(rng.choice("ACGTacgt-_/.") for _ in range(n))


def _block(rng: random.Random, depth: int = 0) -> str:
    kind = rng.random()
    if kind < 0.35 or depth > 3:
        return " ".join(_sentence(rng) for _ in range(rng.randint(1, 6)))
    if kind < 0.45:
        return "#" * rng.randint(1, 7) + " " + _sentence(rng)
    if kind < 0.55:
        return "\n".join(rng.choice(["- ", "* ", "1. ", "  - ", "    "]) + _block(rng, depth + 1) for _ in range(rng.randint(1, 5)))
    if kind < 0.62:
        return "\n".join("> " * rng.randint(1, 4) + _sentence(rng) for _ in range(rng.randint(1, 4)))
    if kind < 0.68:
        fence = rng.choice(["```", "~~~", "````"])
        return fence + rng.choice(["", "python", "md"]) + "\n" + _sentence(rng) + ("\n" + fence if rng.random() < 0.7 else "")
    if kind < 0.74:
        return _long_token(rng) + " " + _sentence(rng)
    if kind < 0.80:
        return "".join(rng.choice(MARKUP) + rng.choice(WORDS) for _ in range(rng.randint(1, 200)))
    if kind < 0.85:
        n = rng.randint(1, 300)
        return "[" * n + _sentence(rng) + "](u)" * rng.randint(0, n)
    if kind < 0.90:
        return "| a | b |\n|---|---|\n" + "\n".join(f"| {_sentence(rng)} | {rng.choice(WORDS)} |" for _ in range(rng.randint(1, 4)))
    if kind < 0.95:
        return rng.choice(ODD + ASTRAL) * rng.randint(1, 2000)
    return "<div>\n" + _block(rng, depth + 1) + ("\n</div>" if rng.random() < 0.5 else "")


def make_case(rng: random.Random) -> tuple[str, str]:
    """(text, "md"|"txt"): a random article, mostly small, now and then up to a few hundred KB."""
    target = rng.choice([200, 1000, 3000, 10000, 30000]) if rng.random() < 0.93 else rng.choice([100_000, 250_000])
    parts, size = [], 0
    while size < target:
        b = _block(rng)
        parts.append(b)
        size += len(b)
        parts.append(rng.choice(ENDINGS) * rng.choice([1, 2, 2, 3]))
    text = "".join(parts)
    if rng.random() < 0.2:  # one line ending everywhere, but a random one
        text = re.sub(r"\r\n|\r|\n", rng.choice(ENDINGS), text)
    return text, rng.choice(["md", "md", "txt"])


# --------------------------------------------------------------------------------------------
# the invariants (run in the worker)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (code points) of ``offset``; CR, LF and CRLF each end a line."""
    line, start = 1, 0
    for m in re.finditer(r"\r\n|\r|\n", text[:offset]):
        line, start = line + 1, m.end()
    if offset > 0 and text[offset - 1] == "\r" and text[offset:offset + 1] == "\n":
        pass  # between CR and LF: counted on the line the CR ends (the regex saw a lone CR)
    return line, offset - start + 1


SPELLING = {"ST106", "HARPER/SpellCheck", "HARPER/Spelling"}


def problems_of(text: str, report, rendered: dict) -> list[str]:
    """Every broken invariant of one checked case, as short lines."""
    out = []
    n = len(text)
    for f in report.findings:
        s, e = f.span.start, f.span.end
        if not 0 <= s <= e <= n:
            out.append(f"offsets: {f.rule} span [{s}, {e}) outside a text of {n}")
            continue
        for fix in f.fixes:
            for ed in fix.edits:
                if not 0 <= ed.span.start <= ed.span.end <= n:
                    out.append(f"offsets: {f.rule} edit [{ed.span.start}, {ed.span.end}) outside the text")
        if f.rule in SPELLING and e > s and ((s > 0 and text[s - 1].isalnum() and text[s].isalnum())
                                             or (e < n and text[e - 1].isalnum() and text[e].isalnum())):
            out.append(f"offsets: {f.rule} [{s}, {e}) {text[s:e]!r} starts or ends inside a word")
    for item in rendered["json"]["files"][0]["findings"] if report.remaining is None else []:
        if (item["line"], item["column"]) != line_col(text, item["start"]):
            out.append(f"offsets: JSON {item['rule']} line/column {item['line']}:{item['column']} "
                       f"is not offset {item['start']} ({line_col(text, item['start'])})")
        if item["text"] != text[item["start"]:item["end"]]:
            out.append(f"offsets: JSON {item['rule']} text is not text[start:end]")
    out.extend(_lost_text(text, report))
    return out


def _lost_text(text: str, report) -> list[str]:
    """One round of every unsafe fix: the text between the applied edits must come through unchanged."""
    from editor.findings import Applicability
    from editor.fixes import allowed, apply_fixes

    fixes = [fx for f in report.findings for fx in f.fixes if allowed(fx, Applicability.UNSAFE)]
    result = apply_fixes(text, fixes)
    edits = sorted((e.span.start, e.span.end, e.replacement) for fx in result.applied for e in fx.edits)
    rebuilt, at = [], 0
    for s, e, rep in edits:
        if s < at:
            return [f"lost text: applied edits overlap at {s}"]
        rebuilt.append(text[at:s])
        rebuilt.append(rep)
        at = e
    rebuilt.append(text[at:])
    if "".join(rebuilt) != result.text:
        return ["lost text: the fixed text is not the original with the applied edits"]
    if report.fixed_text is not None and not isinstance(report.fixed_text, str):
        return ["lost text: the fix loop returned no text"]
    return []


def render_all(report, path: str) -> dict:
    from editor.render.html import render_html
    from editor.render.json import render_json
    from editor.render.sarif import render_sarif
    from editor.render.text import render_text

    entries = [(path, report, None)]
    list(render_text(path, report, False))
    render_sarif(entries, {})
    render_html(report, {})
    return {"json": json.loads(render_json(entries))}


def worker_main(conn, limit_bytes: int, fixes: bool = True) -> None:
    """Load the checker once; check every case sent; reply (findings, problems) or a traceback."""
    import resource
    import traceback

    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
    except (ValueError, OSError):  # pragma: no cover
        pass
    from editor.api import get_checker
    from editor.document import SourceDocument
    from editor.findings import Applicability

    checker = get_checker(harper=True)
    conn.send(("ready", None))
    while True:
        try:
            text, fmt = conn.recv()
        except EOFError:
            return
        try:
            path = f"case.{fmt}"
            t0 = time.perf_counter()
            plain = checker.check(SourceDocument.from_text(text, path=path, fmt=fmt))
            seconds = time.perf_counter() - t0
            problems = problems_of(text, plain, render_all(plain, path))
            if fixes:
                fixed = checker.check(SourceDocument.from_text(text, path=path, fmt=fmt), fix=Applicability.UNSAFE)
                render_all(fixed, path)
            conn.send(("ok", {"findings": len(plain.findings), "problems": problems, "seconds": seconds}))
        except Exception:  # noqa: BLE001 - the fuzzer reports it
            conn.send(("traceback", traceback.format_exc()))


# --------------------------------------------------------------------------------------------
# the parent: cases, limits, the command line now and then


class Worker:
    def __init__(self, limit_bytes: int, fixes: bool = True):
        self.limit_bytes, self.fixes = limit_bytes, fixes
        self.start()

    def start(self) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=worker_main, args=(child, self.limit_bytes, self.fixes), daemon=True)
        here = str(Path(__file__).resolve().parent)
        added = here not in sys.path
        if added:  # the spawned child imports this module by name: it must find it on its sys.path
            sys.path.append(here)
        try:
            self.proc.start()
        finally:
            if added:
                sys.path.remove(here)
        child.close()
        if not self.conn.poll(300):
            raise SystemExit("fuzz: the worker did not start within 300 s")
        self.conn.recv()

    def run(self, text: str, fmt: str, limit: float) -> tuple[str, object, float]:
        t0 = time.perf_counter()
        try:
            self.conn.send((text, fmt))
            if self.conn.poll(limit):
                kind, value = self.conn.recv()
                return kind, value, time.perf_counter() - t0
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            pass
        elapsed = time.perf_counter() - t0
        alive = self.proc.is_alive()
        self.proc.kill()
        self.proc.join(10)
        code = self.proc.exitcode
        self.start()
        return ("hang", f"no answer in {limit:.0f} s", elapsed) if alive else ("death", f"exit code {code}", elapsed)


def cli_problems(text: str, fmt: str, expected: int, folder: Path) -> list[str]:
    """The real command line on the case as a UTF-8 file."""
    path = folder / f"case.{fmt}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # lone surrogates: refused with one line (exit 2)
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    try:
        p = subprocess.run([sys.executable, "-m", "editor", "check", "--format", "json", "--fail-on", "never", str(path)],
                           capture_output=True, text=True, env=env, timeout=120 + len(text) / 5000)
    except subprocess.TimeoutExpired:
        return ["cli: hang"]
    if "Traceback" in p.stderr or "internal error" in p.stderr:
        return [f"cli: traceback or internal error: {p.stderr.strip().splitlines()[-1][:200]}"]
    if p.returncode == 2:
        lines = [x for x in p.stderr.splitlines() if x.startswith("cleanup:")]
        return [] if len(lines) == 1 else [f"cli: exit 2 with {len(lines)} error lines"]
    if p.returncode != 0:
        return [f"cli: exit {p.returncode}"]
    got = len(json.loads(p.stdout)["files"][0]["findings"])
    return [] if got == expected else [f"cli: {got} findings, the worker found {expected}"]


def fuzz(seconds: float, seed: int, keep: Path | None, cli_every: int, limit_gb: float, quiet: bool = False) -> dict:
    rng = random.Random(seed)
    worker = Worker(int(limit_gb * 2**30))
    counts = {k: 0 for k in ("cases", "bytes", "deaths", "tracebacks", "hangs", "slow", "offsets", "lost_text", "cli")}
    worst, examples = 0.0, []
    end = time.monotonic() + seconds
    with tempfile.TemporaryDirectory() as tmp:
        while time.monotonic() < end:
            text, fmt = make_case(rng)
            limit = 60 + 60 * len(text) / 100_000  # the check, the fix loop's rounds, four renderers
            kind, value, _ = worker.run(text, fmt, limit)
            counts["cases"] += 1
            counts["bytes"] += len(text.encode("utf-8", "surrogatepass"))
            problems = _classify(kind, value, counts)
            if kind == "ok":
                elapsed = value["seconds"]  # the check alone, as `cleanup check` runs it
                if len(text) >= 10_000:
                    worst = max(worst, elapsed / len(text) * 100_000)
                if elapsed > 5 + 10 * len(text) / 100_000:
                    counts["slow"] += 1
                    problems.append(f"slow: {elapsed:.1f} s for {len(text)} characters")
            if kind == "ok" and cli_every and counts["cases"] % cli_every == 0:
                cli = cli_problems(text, fmt, value["findings"], Path(tmp))
                counts["cli"] += len(cli)
                problems += cli
            if problems:
                examples.append({"case": counts["cases"], "size": len(text), "format": fmt, "problems": problems[:5]})
                if keep is not None:
                    keep.mkdir(parents=True, exist_ok=True)
                    (keep / f"case-{seed}-{counts['cases']}.{fmt}").write_text(text, encoding="utf-8", errors="surrogatepass", newline="")
                if not quiet:
                    print(f"case {counts['cases']} ({len(text)} chars, {fmt}): {problems[0][:200]}", file=sys.stderr)
    worker.proc.kill()
    failures = sum(counts[k] for k in ("deaths", "tracebacks", "hangs", "offsets", "lost_text", "cli"))
    return {"seed": seed, "seconds": seconds, **counts, "worst_seconds_per_100kb": round(worst, 2),
            "failures": failures, "examples": examples[:20]}


def _classify(kind: str, value, counts: dict) -> list[str]:
    if kind == "death":
        counts["deaths"] += 1
        return [f"death: {value}"]
    if kind == "hang":
        counts["hangs"] += 1
        return [f"hang: {value}"]
    if kind == "traceback":
        counts["tracebacks"] += 1
        return ["traceback: " + value.strip().splitlines()[-1][:200]]
    problems = value["problems"]
    counts["offsets"] += sum(p.startswith("offsets") for p in problems)
    counts["lost_text"] += sum(p.startswith("lost text") for p in problems)
    return list(problems)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="save failing inputs here")
    ap.add_argument("--cli-every", type=int, default=20, help="every Nth case also through the command line (0: never)")
    ap.add_argument("--memory-gb", type=float, default=6.0, help="the worker's address-space limit")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    got = fuzz(args.seconds, args.seed, args.keep, args.cli_every, args.memory_gb)
    if args.json:
        print(json.dumps(got, indent=2))
    else:
        print(f"{got['cases']} cases, {got['bytes'] / 1e6:.1f} MB in {args.seconds:.0f} s (seed {args.seed})")
        for k in ("deaths", "tracebacks", "hangs", "offsets", "lost_text", "cli", "slow"):
            print(f"  {k:11} {got[k]}")
        print(f"  worst time per 100 KB (cases of 10 KB and more): {got['worst_seconds_per_100kb']} s (target 10 s)")
        print("PASS" if got["failures"] == 0 else "FAIL")
    return 0 if got["failures"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
