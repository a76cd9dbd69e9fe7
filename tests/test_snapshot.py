"""Behaviour snapshot: every finding on the dev sets, the seed article and our samples, byte for byte.

Refactors must not change what an editor sees. This test runs the real pipeline on
``../shared/data`` (both annotated dev sets), ``../shared/samples/walking-backwards.txt`` and
``samples/`` and compares every finding (rule, span, severity, message, engines, and every fix's
edits, safety and title), and the ``--fix`` output of the samples, with the snapshot checked in
as ``tests/data/snapshot.json.gz``.

Two runs of the dev sets: the defaults as ``cleanup`` runs them (our rules and Harper, resolved
and post-processed), and every rule of ours and Harper's before merging and resolution (what the
evaluation measures), so that an opt-in rule cannot drift unseen either.

A change that is meant to change findings regenerates the snapshot, and the diff of the
snapshot is part of the review::

    CLEANUP_UPDATE_SNAPSHOT=1 python -m pytest tests/test_snapshot.py
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from editor.findings import Applicability, Finding

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SNAPSHOT = ROOT / "tests" / "data" / "snapshot.json.gz"
DEV_SETS = ("wets_zhen_dev.jsonl", "mqm_zhen_2021ted_docs.jsonl")


def _finding(f: Finding) -> list:
    fixes = [[[[e.span.start, e.span.end, e.replacement] for e in fx.edits], fx.applicability.value, fx.title]
             for fx in f.fixes]
    return [f.rule, f.span.start, f.span.end, f.severity.value, f.category, f.name, f.message,
            f.source, list(f.sources), fixes]


def _records():
    for name in DEV_SETS:
        with open(SHARED / "data" / name, encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                rec = json.loads(line)
                yield f"{name}#{n}:{rec.get('id')}", rec["text"]


def _articles():
    yield "walking-backwards.txt", (SHARED / "samples" / "walking-backwards.txt").read_text(encoding="utf-8"), "txt"
    for p in sorted((ROOT / "samples").iterdir()):
        if p.suffix in (".md", ".txt"):
            yield f"samples/{p.name}", p.read_text(encoding="utf-8"), "md" if p.suffix == ".md" else "txt"


def take_snapshot() -> dict:
    from editor.api import get_checker

    default = get_checker(harper=True)
    everything = get_checker(select=["ALL"], harper=True)
    snap: dict = {"default": {}, "raw-all": {}, "articles": {}, "fixed": {}}
    for key, text in _records():
        snap["default"][key] = [_finding(f) for f in default.detect(text, "txt")]
        snap["raw-all"][key] = [_finding(f) for f in sorted(everything.detect_raw(text, "txt"),
                                                            key=lambda f: (f.sort_key(), f.message))]
    for key, text, fmt in _articles():
        snap["articles"][key] = [_finding(f) for f in default.detect(text, fmt, key)]
        for level in (Applicability.SAFE, Applicability.UNSAFE):
            from editor.document import SourceDocument

            doc = SourceDocument(path=key, text=text, fmt=fmt)
            report = default.check(doc, fix=level)
            snap["fixed"][f"{key}@{level.value}"] = [report.fixed_text, report.fixes_applied,
                                                      [_finding(f) for f in report.remaining or []]]
    return snap


def _first_difference(old: dict, new: dict) -> str:
    for part in sorted(set(old) | set(new)):
        a, b = old.get(part, {}), new.get(part, {})
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                x, y = a.get(key), b.get(key)
                if isinstance(x, list) and isinstance(y, list):
                    for i, (fx, fy) in enumerate(zip(x, y)):
                        if fx != fy:
                            return f"{part} / {key} / item {i}:\n  was {fx!r}\n  now {fy!r}"
                    return f"{part} / {key}: {len(x)} items, now {len(y)}"
                return f"{part} / {key}: was {x!r:.300}, now {y!r:.300}"
    return "no difference"


@pytest.mark.skipif(not (SHARED / "data" / DEV_SETS[0]).is_file(), reason="../shared/data is not beside the checkout")
def test_findings_are_unchanged_byte_for_byte():
    new = take_snapshot()
    if os.environ.get("CLEANUP_UPDATE_SNAPSHOT"):
        with gzip.open(SNAPSHOT, "wt", encoding="utf-8", compresslevel=9) as fh:
            json.dump(new, fh, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            fh.write("\n")
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as fh:
        old = json.load(fh)
    new = json.loads(json.dumps(new, ensure_ascii=False))  # tuples as lists, as stored
    assert sum(len(v) for v in old["default"].values()) > 1000  # the snapshot holds real findings
    assert old == new, "findings changed: " + _first_difference(old, new)
