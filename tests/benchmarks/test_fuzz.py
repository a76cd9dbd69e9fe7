"""benchmarks/fuzz.py: the generator covers the shapes issue 26 names, the invariants catch a
shifted offset and lost text, and a short fuzz run of the real check finds nothing wrong."""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    import fuzz
finally:
    sys.path.remove(str(ROOT / "benchmarks"))


def test_the_generator_is_deterministic_and_covers_every_shape():
    a = [fuzz.make_case(random.Random(3)) for _ in range(1)]
    b = [fuzz.make_case(random.Random(3)) for _ in range(1)]
    assert a == b
    rng = random.Random(5)
    texts = "".join(fuzz.make_case(rng)[0] for _ in range(60))
    assert "\r\n" in texts and re.search(r"\r(?!\n)", texts) and re.search(r"(?<!\r)\n", texts)
    assert any(c in texts for c in fuzz.ASTRAL) and "\x1b" in texts and "\u200b" in texts
    assert "```" in texts and "<!--" in texts and "[[[" in texts and "> > " in texts
    assert re.search(r"[A-Za-z]{1000,}", texts)  # a long token


@pytest.mark.parametrize("text, offset, expected", [
    ("abc", 2, (1, 3)),
    ("a\nb", 2, (2, 1)),
    ("a\r\nb", 3, (2, 1)),
    ("a\rb\r\nc\nd", 7, (4, 1)),
    ("🙂x\ny", 1, (1, 2)),
])
def test_line_col_counts_every_line_ending_and_code_points(text, offset, expected):
    assert fuzz.line_col(text, offset) == expected


@dataclass
class FakeReport:
    findings: list
    remaining: None = None
    fixed_text: str | None = None
    extra: dict = field(default_factory=dict)


def _finding(rule, s, e, fixes=()):
    return Finding(rule=rule, category="spelling", severity=Severity.WARNING, message="m", span=Span(s, e), fixes=fixes)


def _json(text, findings):
    return {"json": {"files": [{"findings": [
        {"rule": f.rule, "start": f.span.start, "end": f.span.end, "line": fuzz.line_col(text, f.span.start)[0],
         "column": fuzz.line_col(text, f.span.start)[1], "text": text[f.span.start:f.span.end]} for f in findings]}]}}


def test_the_invariants_catch_a_shifted_spelling_offset_and_a_span_outside_the_text():
    text = "One wrod here.\r\nTwo more."
    good = _finding("ST106", 4, 8)
    shifted = _finding("ST106", 5, 9)
    outside = _finding("MT101", 20, 40)
    assert fuzz.problems_of(text, FakeReport([good]), _json(text, [good])) == []
    got = fuzz.problems_of(text, FakeReport([shifted, outside]), _json(text, [shifted]))
    assert any("inside a word" in p for p in got) and any("outside a text" in p for p in got)


def test_the_invariants_catch_a_wrong_json_line():
    text = "a\r\nb wrod"
    f = _finding("ST106", 5, 9)
    rendered = _json(text, [f])
    rendered["json"]["files"][0]["findings"][0]["line"] = 3
    assert any("line/column" in p for p in fuzz.problems_of(text, FakeReport([f]), rendered))


def test_the_invariants_catch_overlapping_applied_edits(monkeypatch):
    text = "abcdef"
    fix = Fix((Edit(Span(1, 3), "X"),), Applicability.SAFE)
    f = _finding("MT101", 1, 3, (fix,))
    import editor.fixes

    class Broken:  # an apply_fixes that applies two overlapping edits
        def __init__(self, t, fixes):
            self.text = "aXYef"
            self.applied = [fix, Fix((Edit(Span(2, 4), "Y"),), Applicability.SAFE)]

    monkeypatch.setattr(editor.fixes, "apply_fixes", Broken)
    assert fuzz._lost_text(text, FakeReport([f])) == ["lost text: applied edits overlap at 2"]


def test_a_short_fuzz_of_the_real_check_finds_nothing_wrong(tmp_path):
    got = fuzz.fuzz(seconds=12, seed=11, keep=tmp_path, cli_every=0, limit_gb=6.0, quiet=True)
    assert got["cases"] >= 2
    assert got["failures"] == 0, got["examples"]
