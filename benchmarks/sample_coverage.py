"""How much of what an editor would mark in the real machine-translated sample does cleanup flag?

The sample lives in ../shared/samples/walking-backwards.txt (read at run time, not copied). The list
below is our editor's reading of it: each problem is named by a short anchor, a piece of the text
that an editor would mark; a problem counts as flagged when any finding overlaps its anchor.

    python benchmarks/sample_coverage.py [--sample PATH] [--show] [--unsafe]

Prints coverage (target: at least 85%), the problems missed, the findings that hit none of the
listed problems (candidates for false alarms), and with --show the article with every fix applied.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_SAMPLE = ROOT.parent / "shared" / "samples" / "walking-backwards.txt"

# (what an editor would say, anchor text, occurrence of the anchor: 1 = first)
PROBLEMS: list[tuple[str, str, int]] = [
    ("'to fitness': literal purpose phrase (to keep fit)", "to fitness", 1),
    ("doubled verb group 'is also need to'", "is also need to", 1),
    ("collocation 'master the amount of exercise'", "master the amount", 1),
    ("comma splice before 'the body can benefit'", ", the body can benefit", 1),
    ("'walking needs to walk': subject cannot walk", "needs to walk with the strength", 1),
    ("topic-comment question 'that ... have an impact?'", "that backwards walking on the knees have an impact?", 1),
    ("topic-comment question '... there are no side effects?'", "on the knee there are no side effects?", 1),
    ("headline fragment question (heading)", "Walking backwards on the knee side effects?", 1),
    ("'the' before a gerund: 'In the backward walking'", "In the backward walking", 1),
    ("collocation 'the pace is small' (short strides)", "the pace is small", 1),
    ("'And walking posture is relatively straight': missing article / sentence-initial And", "And walking posture", 1),
    ("garbled clause 'the knee in the process as long as ...'", "as long as the flexion and extension of the action", 1),
    ("'can not' for 'cannot'", "can not bend", 1),
    ("garbled clause 'swing backwards leg in the forefoot ...'", "swing backwards leg in the forefoot on the ground also to force straight", 1),
    ("causative with finite verb 'make the muscles ... are exercised'", "are exercised", 1),
    ("garbled 'is side walk, eight foot walk'", "eight foot walk", 1),
    ("'the wear and tear ... and the impact is great': agreement / collocation", "the impact is great", 1),
    ("fragment starting with 'Because when walking backwards'", "Because when walking backwards", 1),
    ("literal 'old joint damage' (old injuries)", "old joint damage", 1),
    ("'a lot' meaning a place", "choose a lot", 1),
    ("person drift 'according to their own conditions'", "their own", 1),
    ("collocation 'master the center of gravity'", "master the center of gravity", 1),
    ("calque 'the time to 20-30 minutes is appropriate'", "is appropriate", 1),
    ("garbled 'toes first, heels after the ground'", "heels after the ground", 1),
    ("'Hands can swing' for arms", "Hands can swing", 1),
    ("calque '... as the degree' and fragment", "as the degree", 1),
    ("calque heading 'Warm tips'", "Warm tips", 1),
    ("'the backward walking' + fragment 'Before and after ...'", "Before and after the backward walking", 1),
    ("dropped subject 'Can accelerate blood circulation'", "Can accelerate", 1),
    ("collocation 'accelerate blood circulation'", "accelerate blood circulation", 1),
    ("page chrome 'Share'", "Share", 1),
    ("page chrome 'Everyone Is Watching'", "Everyone Is Watching", 1),
    ("page chrome 'icon'", "icon", 1),
    ("page chrome 'Hot Picks'", "Hot Picks", 1),
    ("teaser list entry 1", "Yoga for the Cervical Spine: Benefits, Risks, and Protection", 1),
    ("teaser list entry 2", "Exercises to Avoid for Children's Growth and Development", 1),
    ("teaser list entry 3", "The Impact of Cycling on Health: Key Considerations for Non-Professionals", 1),
    ("teaser list entry 4", "The Effectiveness of Knee Braces: When and How to Use Them", 1),
    ("teaser list entry 5", "Is it good to exercise in winter", 1),
]


def locate(text: str, anchor: str, occurrence: int) -> tuple[int, int] | None:
    pos = -1
    for _ in range(occurrence):
        pos = text.find(anchor, pos + 1)
        if pos < 0:
            return None
    return pos, pos + len(anchor)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
    ap.add_argument("--show", action="store_true", help="print the article with every fix applied")
    ap.add_argument("--unsafe", action="store_true", help="with --show: apply unsafe fixes too (default)")
    args = ap.parse_args(argv)
    if not args.sample.is_file():
        print(f"sample not found: {args.sample}", file=sys.stderr)
        return 2
    from editor.api import get_checker
    from editor.document import read_document
    from editor.findings import Applicability
    from editor.fixes import fix_until_stable

    doc = read_document(args.sample)
    checker = get_checker()
    findings = checker.detect(doc.text, doc.fmt)
    spans = []
    for label, anchor, occ in PROBLEMS:
        span = locate(doc.text, anchor, occ)
        if span is None:
            print(f"anchor not found in sample: {anchor!r}", file=sys.stderr)
            return 2
        spans.append((label, span))
    hit, missed = [], []
    for label, (s, e) in spans:
        (hit if any(f.span.start < e and s < f.span.end for f in findings) else missed).append(label)
    unmatched = [f for f in findings if not any(f.span.start < e and s < f.span.end for _, (s, e) in spans)]
    print(f"problems listed: {len(PROBLEMS)}; flagged: {len(hit)}; coverage: {len(hit) / len(PROBLEMS):.0%} (target 85%)")
    print(f"findings: {len(findings)}; findings on no listed problem: {len(unmatched)}")
    if missed:
        print("\nmissed:")
        for m in missed:
            print(f"  - {m}")
    if unmatched:
        print("\nfindings on no listed problem (check: false alarm, or a problem the list lacks?):")
        for f in unmatched:
            print(f"  - {f.rule} {doc.text[f.span.start:f.span.end]!r}: {f.message[:90]}")
    if args.show:
        fixed, n, _ = fix_until_stable(doc.text, lambda t: checker.detect(t, doc.fmt), Applicability.UNSAFE)
        print(f"\n--- the article with {n} safe and unsafe fixes applied ---\n")
        print(fixed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
