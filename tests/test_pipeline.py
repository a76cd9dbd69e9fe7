"""The pipeline end to end on the starter rules: findings in source coordinates, never in markup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import copy_starter_rules

from editor.checks.base import Hit, Unit
from editor.document import SourceDocument
from editor.findings import Applicability, Finding, Severity, Span
from editor.pipeline import FileReport, resolve, to_finding
from editor.segment import segment

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def checker(tmp_path_factory, nlp):
    folder = tmp_path_factory.mktemp("rules")
    copy_starter_rules(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLEANUP_RULES", str(folder))
        from editor.api import get_checker

        yield get_checker()


def flagged(text, findings):
    return [(f.rule, text[f.span.start : f.span.end]) for f in findings]


MASKED_MD = """---
title: The pump can not start
summary: very very cold
---

# A heading that is fine

```
The pump can not start; it is very very cold.
```

~~~
can not very very
~~~

    indented code can not start, very very cold

Inline `can not` and `very very` code, then https://example.com/can-not/very-very and
<https://example.com/very%20very> and www.example.org/can-not-start here.

A [link](https://example.com/can not "very very") and ![can not](very-very.png) and
<span title="can not">x</span> end.

Code `spans that can not
end on one line` here, a [link](https://example.com/x
"title: can not, very very") and <span
title="can not, very very">a tag</span> over two lines.

<div>
The pump can not start; it is very very cold.
</div>

```
unclosed fence: can not, very very
"""


def test_nothing_is_reported_inside_code_urls_html_or_front_matter(checker):
    assert checker.detect(MASKED_MD, "md") == []


def test_the_same_text_in_prose_is_flagged(checker):
    prose = "The pump can not start when it is very very cold.\n\n"
    text = MASKED_MD.replace("# A heading that is fine\n", "# A heading that is fine\n\n" + prose)
    found = checker.detect(text, "md")
    assert flagged(text, found) == [("ST101", "can not"), ("ST102", "very very")]
    start = text.index(prose)
    assert all(start <= f.span.start < start + len(prose) for f in found)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The pump can not start.", "can not"),
        ("😀 中文 ok. The pump can not start.", "can not"),
        ("First line.\r\n\r\nThe pump can not start.\r\n", "can not"),
        ("- The pump can not start.\n", "can not"),
        ("> The pump can not start.\n", "can not"),
        ("| a | b |\n|---|---|\n| The pump can not start. | x |\n", "can not"),
        ("Use &amp; then: the pump can not start.", "can not"),
        ("A [pump that can not start](https://x.org) here.", "can not"),
    ],
)
def test_finding_offsets_slice_the_flagged_text(checker, text, expected):
    found = checker.detect(text, "md")
    assert flagged(text, found) == [("ST101", expected)]
    f = found[0]
    assert f.fixes and f.fixes[0].applicability is Applicability.SAFE
    assert f.name == "can-not-for-cannot" and f.source == "cleanup"


def test_plain_text_files(checker):
    text = "Tea Before Sleep\nMarch 3, 2021\nThe pump can not start, and `code can not` is plain text here.\n"
    found = checker.detect(text, "txt")
    assert flagged(text, found) == [("ST101", "can not"), ("ST101", "can not")]


def test_a_span_across_markup_gets_a_display_only_fix(checker):
    text = "The soup was very **very** hot."
    found = checker.detect(text, "md")
    assert len(found) == 1
    f = found[0]
    assert text[f.span.start : f.span.end] == "very **very"
    assert f.fixes and all(fx.applicability is Applicability.DISPLAY_ONLY for fx in f.fixes)


def test_check_with_fixes_reaches_a_clean_text(checker):
    doc = SourceDocument.from_text("It can not be very very hot.\r\n", path="a.md")
    report = checker.check(doc, fix=Applicability.SAFE)
    assert report.fixed_text == "It cannot be very hot.\r\n"
    assert report.fixes_applied == 2
    assert report.remaining == [] and report.final_findings == []
    assert len(report.findings) == 2
    assert report.words == 7


def test_check_without_fixes(checker):
    doc = SourceDocument.from_text("It can not start.", path="a.md")
    report = checker.check(doc)
    assert report.fixed_text is None and report.remaining is None
    assert report.final_findings == report.findings and len(report.findings) == 1


def test_unsafe_fix_needs_the_unsafe_level(checker):
    from editor.api import get_checker

    checker = get_checker(select=["ST103"])  # an opt-in rule: selected by its exact code
    text = "The reason is because the bridge is closed."
    doc = SourceDocument.from_text(text, path="a.md")
    assert checker.check(doc, fix=Applicability.SAFE).fixed_text == text
    assert checker.check(doc, fix=Applicability.UNSAFE).fixed_text == "The reason is that the bridge is closed."


def test_empty_document(checker):
    assert checker.detect("", "md") == []
    assert checker.detect("", "txt") == []


# --------------------------------------------------------------------------------------------
# to_finding and resolve, without the model


class _Doc:
    def __init__(self, text):
        self.text = text


def _rule(applicability=Applicability.SAFE, code="ST900"):
    from editor.engine.rules import Rule

    return Rule(code=code, name="toy", category="style", severity=Severity.WARNING, message="flagged {match}",
                docs={}, examples=[], kind="python", path=Path("x.yaml"), applicability=applicability)


def test_to_finding_drops_hits_on_masked_text():
    text = "Run `can not` now."
    segs = segment(text, "md")
    unit = Unit(doc=_Doc(segs[0].text), kind="paragraph", segment_index=0, index=0)
    i = segs[0].text.index("X")
    assert to_finding(_rule(), Hit(i - 1, i + 1, replacements=("y",), unit=unit), segs, text) is None
    f = to_finding(_rule(), Hit(0, 3, replacements=("Walk",), unit=unit), segs, text)
    assert (f.span.start, f.span.end) == (0, 3) and f.message == "flagged Run"
    assert f.fixes[0].edits[0].replacement == "Walk"


def test_to_finding_rejects_hits_outside_the_unit():
    segs = segment("abc", "md")
    unit = Unit(doc=_Doc("abc"), kind="paragraph", segment_index=0, index=0)
    with pytest.raises(ValueError):
        to_finding(_rule(), Hit(1, 9, unit=unit), segs, "abc")


def test_to_finding_maps_multi_edit_fixes():
    text = "&amp; The reason is because x."
    segs = segment(text, "md")
    prose = segs[0].text
    unit = Unit(doc=_Doc(prose), kind="paragraph", segment_index=0, index=0)
    a = prose.index("because")
    f = to_finding(_rule(Applicability.UNSAFE), Hit(a, a + 7, edits=((a, a + 7, "that"), (0, 1, "and")), unit=unit),
                   segs, text)
    edits = {(e.span.start, e.span.end, e.replacement) for e in f.fixes[0].edits}
    b = text.index("because")
    assert edits == {(b, b + 7, "that"), (0, 5, "and")}


def _f(rule, start, end, severity=Severity.WARNING, fixes=()):
    return Finding(rule, "style", severity, "m", Span(start, end), fixes)


def test_resolve_keeps_one_finding_per_span():
    a = _f("ST200", 0, 4, Severity.INFO)
    b = _f("ST100", 0, 4, Severity.ERROR)
    c = _f("ST050", 0, 4, Severity.INFO)
    d = _f("ST300", 2, 6)
    got = resolve([d, a, b, c])
    assert [x.rule for x in got] == ["ST100", "ST300"]
    # same severity: the lower code wins
    assert [x.rule for x in resolve([a, c])] == ["ST050"]


def test_resolve_priority_outranks_overlapping_findings():
    low = _f("ST200", 0, 10, Severity.ERROR)
    high = _f("ST300", 5, 12, Severity.INFO)
    apart = _f("ST400", 20, 25)
    assert [x.rule for x in resolve([low, high, apart], {"ST300": 1})] == ["ST300", "ST400"]
    assert [x.rule for x in resolve([low, high, apart])] == ["ST200", "ST300", "ST400"]  # no priority: both
    # on one span the higher priority wins before severity
    assert [x.rule for x in resolve([_f("ST200", 0, 4, Severity.ERROR), _f("ST300", 0, 4, Severity.INFO)],
                                    {"ST300": 2})] == ["ST300"]
    # touching is not overlapping
    assert len(resolve([_f("ST200", 0, 5), _f("ST300", 5, 9)], {"ST300": 1})) == 2


def test_resolve_span_length_drops_a_finding_nested_in_a_longer_one_of_its_rule():
    outer, inner, other = _f("ST200", 0, 20), _f("ST200", 4, 9), _f("ST300", 4, 9)
    assert [(x.rule, x.span.start) for x in resolve([inner, outer, other])] == [("ST200", 0), ("ST300", 4)]
    assert len(resolve([_f("ST200", 0, 5), _f("ST200", 3, 9)])) == 2  # overlapping, not nested: both


def test_filters_run_before_resolve_so_a_suppressed_rule_hides_nothing_else():
    from editor.config import Config
    from editor.pipeline import apply_settings

    text = "<!-- cleanup-disable-next-line ST100 -->\nabcd efgh\n"
    at = text.index("abcd")
    a, b = _f("ST100", at, at + 4, Severity.ERROR), _f("ST200", at, at + 4, Severity.INFO)
    out = resolve(apply_settings([a, b], text, "md", Config(severity={"ST2": "warning"}), {}))
    assert [(x.rule, x.severity) for x in out] == [("ST200", Severity.WARNING)]


def test_file_report_is_a_plain_view_model():
    doc = SourceDocument.from_text("x")
    r = FileReport(doc=doc, findings=[])
    assert r.final_findings == [] and r.engines == {"cleanup": "on"}


def test_engines_run_beside_the_parse_or_after_it_with_the_same_findings(nlp, monkeypatch):
    """overlap=True starts the other engines before spaCy's parse; overlap=False (batch workers)
    after it. The findings are the same either way."""
    from dataclasses import replace

    import editor.pipeline as pipeline
    from editor.api import get_checker
    from editor.findings import Edit, Fix, Severity, Span

    events = []

    class Engine:
        name = "fake"

        def describe(self):
            return "on"

        def start(self, segments):
            events.append("start")
            return segments

        def finish(self, handle, segments, text):
            i = text.index("walk")
            return [Finding("FAKE/Walk", "style", Severity.INFO, "m", Span(i, i + 4),
                            (Fix((Edit(Span(i, i + 4), "stroll"),), Applicability.UNSAFE),),
                            source="fake", sources=("fake",))]

    real = pipeline.analyze

    def analyze(*a, **k):
        events.append("parse")
        return real(*a, **k)

    monkeypatch.setattr(pipeline, "analyze", analyze)
    checker = replace(get_checker(select=["MT"]), engines=(Engine(),))
    text = "We walk to the lake every day.\n"
    found = {}
    for overlap in (True, False):
        events.clear()
        found[overlap] = replace(checker, overlap=overlap).detect(text, "txt")
        assert events == (["start", "parse"] if overlap else ["parse", "start"])
    assert found[True] == found[False]
    assert any(f.rule == "FAKE/Walk" for f in found[True])


def test_the_report_says_which_engines_did_not_run(nlp):
    from editor.api import get_checker

    report = get_checker(select=["ST"]).check(SourceDocument.from_text("The pump can not start.\n", path="a.txt"))
    assert report.engines["cleanup"] == "on"
    assert report.engines["harper"].startswith("off")
    assert report.engines["languagetool"].startswith("off (not configured")


def test_removing_page_chrome_takes_its_bullet_and_line_with_it():
    from editor.findings import Edit, Fix
    from editor.pipeline import _delete_whole_lines

    text = "Body text.\n  \u2022 Hot Picks\n    1\n    Other title: more\n"

    def deletion(needle):
        i = text.index(needle)
        return Fix((Edit(Span(i, i + len(needle)), ""),), Applicability.UNSAFE)

    for needle, line in (("Hot Picks", "  \u2022 Hot Picks\n"), ("1", "    1\n"),
                         ("Other title: more", "    Other title: more\n")):
        [edit] = _delete_whole_lines(deletion(needle), text).edits
        assert text[edit.span.start:edit.span.end] == line and edit.replacement == ""
    # part of a line, or a replacement: unchanged
    part = deletion("Other title")
    assert _delete_whole_lines(part, text) is part
    i = text.index("Body")
    swap = Fix((Edit(Span(i, i + 4), "Main"),), Applicability.UNSAFE)
    assert _delete_whole_lines(swap, text) is swap


def test_the_sample_loses_its_teaser_list_without_leftover_bullets(nlp, shared, monkeypatch):
    from editor.api import get_checker

    monkeypatch.delenv("CLEANUP_RULES", raising=False)  # the project's rules, not the starter set

    doc = SourceDocument.from_text((shared / "samples" / "walking-backwards.txt").read_text(), path="a.txt")
    fixed = get_checker().check(doc, fix=Applicability.UNSAFE).fixed_text
    assert "Hot Picks" not in fixed and "October 31, 2023" not in fixed
    assert not any(line.strip() in ("\u2022", "-", "*") for line in fixed.splitlines())


def test_a_lone_surrogate_does_not_stop_the_check(checker):
    """Issue 26: a language server's or an API caller's text may hold a lone surrogate, which
    spaCy cannot encode; it is read as U+FFFD, one code point for one, so offsets stay exact."""
    from editor.pipeline import without_lone_surrogates

    text = "Intro \ud800 here.\n\nThe pump can not start."
    found = checker.detect(text, "md")
    assert flagged(text, found) == [("ST101", "can not")]
    assert without_lone_surrogates(text) == text.replace("\ud800", "\ufffd")
    assert without_lone_surrogates("plain") == "plain"
