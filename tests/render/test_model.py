"""What every output says about a fix: the reported span and the text that replaces exactly it.

For every finding with a fix, in the examples of every rule and in the sample articles, the
JSON ``replacements`` (and so the terminal, GitHub and SARIF suggestions, which read the same
span) put into ``[start, end)`` give the text the fix's edits give.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from editor.document import SourceDocument
from editor.engine import load_rules
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.fixes import apply_fixes
from editor.pipeline import FileReport
from editor.render.model import change_phrase, finding_dict

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules()


def _report(text: str, findings: list[Finding]) -> FileReport:
    return FileReport(doc=SourceDocument.from_text(text, path="a.md"), findings=findings)


def _assert_exact(text: str, findings: list[Finding], where: str) -> int:
    report = _report(text, findings)
    checked = 0
    for f in findings:
        d = finding_dict(f, report)
        assert text[d["start"]:d["end"]] == d["text"]
        for fix, new in zip(f.fixes, d["replacements"]):
            by_span = text[:d["start"]] + new + text[d["end"]:]
            assert by_span == apply_fixes(text, [fix]).text, (
                f"{where}: {f.rule} reports {d['text']!r} → {new!r}, its edits do something else")
            checked += 1
    return checked


@pytest.fixture(scope="module")
def checker_for():
    from editor.api import get_checker
    from editor.config import Config

    cache: dict = {}

    def get(rule=None):
        key = rule.code if rule else None
        if key not in cache:
            settings = replace(rule.settings or Config(), select=[rule.code]).folded() if rule else Config().folded()
            cache[key] = get_checker(settings=settings)
        return cache[key]

    return get


def test_every_rule_example_reports_replacements_of_exactly_its_span(checker_for):
    checked = 0
    for rule in RULES:
        checker = checker_for(rule)
        for ex in rule.examples:
            checked += _assert_exact(ex.text, checker.detect(ex.text, ex.fmt), f"{rule.path}:{ex.line}")
    assert checked > 150  # most rules have fixes: the test really ran over them


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "samples").iterdir()
                                        if p.suffix in {".md", ".txt"}))
def test_every_sample_finding_reports_replacements_of_exactly_its_span(checker_for, name):
    text = (ROOT / "samples" / name).read_text(encoding="utf-8")
    fmt = "md" if name.endswith(".md") else "txt"
    _assert_exact(text, checker_for().detect(text, fmt), name)


def test_extent_widens_the_span_to_the_edits_next_to_it():
    text = "Although the van was old, but it ran well."
    s = text.index("but")
    f = Finding("MT207", "grammar", Severity.ERROR, "m", Span(s, s + 3),
                (Fix((Edit(Span(s, s + 4), ""),), Applicability.SAFE),))
    assert f.extent == Span(s, s + 4)
    d = finding_dict(f, _report(text, [f]))
    assert (d["text"], d["replacements"]) == ("but ", [""])


def test_change_phrase_shows_the_whole_phrase_before_and_after():
    text = "Rain is one of the main reason we stay in."
    s = text.index("one")
    e = text.index(" we")
    r = text.index("reason")
    f = Finding("MT405", "grammar", Severity.ERROR, "m", Span(s, e),
                (Fix((Edit(Span(r, r + 6), "reasons"),), Applicability.SAFE),))
    assert change_phrase(f, f.fixes[0], text) == "“one of the main reason” → “one of the main reasons”"


def test_change_phrase_keeps_the_change_in_sight_in_a_long_span():
    text = "The " + "very long and winding " * 5 + "road are closed."
    a = text.index("are")
    f = Finding("X", "grammar", Severity.ERROR, "m", Span(0, len(text) - 1),
                (Fix((Edit(Span(a, a + 3), "is"),), Applicability.SAFE),))
    shown = change_phrase(f, f.fixes[0], text, width=40)
    assert "road are closed" in shown and "road is closed" in shown and shown.startswith("“…")


def test_change_phrase_for_deletions_and_insertions():
    text = "It was very very cold."
    f = Finding("ST102", "style", Severity.INFO, "m", Span(7, 16),
                (Fix((Edit(Span(7, 12), ""),), Applicability.SAFE),))
    assert change_phrase(f, f.fixes[0], text) == "“very very” → “very”"
    g = Finding("P", "punctuation", Severity.INFO, "m", Span(6, 6), (Fix((Edit(Span(6, 6), ","),), Applicability.SAFE),))
    assert change_phrase(g, g.fixes[0], text) == "insert “,”"
    h = Finding("P", "style", Severity.INFO, "m", Span(0, 7), (Fix((Edit(Span(0, 7), ""),), Applicability.SAFE),))
    assert change_phrase(h, h.fixes[0], text) == "delete “It was ”"
