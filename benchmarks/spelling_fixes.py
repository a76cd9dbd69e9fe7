#!/usr/bin/env python
"""Are ST106's spelling fixes right?  The first fix of each ST106 finding against the corrections
of JFLEG dev (learner English, four references a sentence) and WeTS dev (machine-translated news,
error spans with the annotators' suggestion).

    python benchmarks/spelling_fixes.py [--jfleg PATH] [--wets PATH]

Each JFLEG source sentence (detokenized) and each WeTS article is checked with ST106 alone.  A
fix is right on JFLEG when its word is a token of a reference that drops the flagged word (a
reference that corrects it); on WeTS when an error span holds the flagged word and its suggestion
holds the fix's word.  Printed per data set and per class of fix (a swap of two letters, the only
suggestion one edit away, a name's capitalised form, display-only): how many, and the share right.
The rule's policy: a class applied without review (unsafe) must be right 0.8 of the time or more
on each set, else its fixes are display-only (editor/checks/spelling.py).

The thresholds of editor/checks/spelling.py (KNOWN_ZIPF 3.5, TYPO_GAP 2.0) were chosen on the
same candidates (every lower-case word Harper's en-US speller flags on JFLEG dev sources and
references, TED and WeTS dev): with them ST106 keeps 304 of the 325 JFLEG typos that every
reference corrects (drops "alot", "dont", "aswell", "colourful" ...), and "woek", "experinces",
"recieved", "tecnology", "abuot", "leter" stay flagged, while TED's human translations go from
55 candidates to 14 (rare Latin plant names) and JFLEG's references from 20 to 15 (their own
typos).  Exit status 0.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from editor.api import get_checker  # noqa: E402
from editor.checks.spelling import distance  # noqa: E402

DATA = HERE.parent.parent / "shared" / "data"


def fix_class(word: str, fix) -> str:
    """Which kind of fix this is: display-only, name, swap or one-edit."""
    if fix.applicability.value == "display-only":
        return "display-only"
    new = fix.edits[0].replacement
    if new.lower() == word.lower():
        return "name"
    return "swap" if distance(word, new)[1] else "one-edit"


def first_fixes(checker, text: str):
    """(flagged word, its first fix, span) of every ST106 finding with a fix."""
    for f in checker.detect(text, "txt"):
        if f.rule == "ST106" and f.fixes:
            yield text[f.span.start:f.span.end], f.fixes[0], f.span


def jfleg(checker, path: Path) -> Counter:
    tally = Counter()
    for line in path.open(encoding="utf-8"):
        record = json.loads(line)
        refs = [set(r.lower().split()) for r in record["references"]]
        for word, fix, _ in first_fixes(checker, record["source_detok"]):
            new = fix.edits[0].replacement.lower()
            right = any(word.lower() not in r and new in r for r in refs)
            tally[(fix_class(word, fix), right)] += 1
    return tally


def wets(checker, path: Path) -> Counter:
    tally = Counter()
    for line in path.open(encoding="utf-8"):
        record = json.loads(line)
        for word, fix, span in first_fixes(checker, record["text"]):
            new = fix.edits[0].replacement
            suggestions = [e.get("suggestion") or "" for e in record["errors"]
                           if e["start"] is not None and e["start"] < span.end and span.start < e["end"]]
            right = any(re.search(rf"(?<!\w){re.escape(new)}(?!\w)", s) for s in suggestions)
            tally[(fix_class(word, fix), right)] += 1
    return tally


def report(name: str, tally: Counter) -> None:
    applied = [k for k in {c for c, _ in tally} if k != "display-only"]
    right = sum(tally[(c, True)] for c in applied)
    total = sum(tally[(c, r)] for c in applied for r in (True, False))
    share = f"{right / total:.2f}" if total else "-"
    print(f"{name}: applied (unsafe) fixes {total}, right {right} ({share})")
    for c in sorted({c for c, _ in tally}):
        n = tally[(c, True)] + tally[(c, False)]
        print(f"    {c:13s} {n:4d} fixes, right {tally[(c, True)]:4d} ({tally[(c, True)] / n:.2f})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jfleg", type=Path, default=DATA / "jfleg_dev.jsonl")
    ap.add_argument("--wets", type=Path, default=DATA / "wets_zhen_dev.jsonl")
    args = ap.parse_args(argv)
    checker = get_checker(select=["ST106"])
    report("JFLEG dev", jfleg(checker, args.jfleg))
    report("WeTS dev", wets(checker, args.wets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
