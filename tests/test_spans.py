"""editor.spans: the one way a span becomes a Finding, for our rules and the other engines alike."""

from __future__ import annotations

from editor.findings import Applicability, Severity
from editor.segment import segment
from editor.spans import Origin, Proposal, finding_from_span

ORIGIN = Origin("ST900", "toy", "style", Severity.WARNING, "someone")


def _one(text, fmt="md"):
    segs = segment(text, fmt)
    return segs, segs[0].text


def test_maps_to_the_file_and_fills_match():
    text = "# Title\n\nThe colour is red.\n"
    segs = segment(text, "md")
    i = [k for k, s in enumerate(segs) if "colour" in s.text][0]
    a = segs[i].text.index("colour")
    f = finding_from_span(segs, text, i, a, a + 6, ORIGIN, "“{match}” is British",
                          [Proposal(((a, a + 6, "color"),), Applicability.SAFE, "replace with “color”")])
    assert text[f.span.start:f.span.end] == "colour" and f.message == "“colour” is British"
    assert (f.source, f.sources, f.rule, f.name) == ("someone", ("someone",), "ST900", "toy")
    [fix] = f.fixes
    assert text[fix.edits[0].span.start:fix.edits[0].span.end] == "colour" and fix.applicability is Applicability.SAFE


def test_masked_spans_and_edits_and_out_of_range_spans():
    text = "Run `can not` now and then.\n"
    segs, prose = _one(text)
    code = prose.index("X")  # code spans are masked in the segment text
    assert finding_from_span(segs, text, 0, code, code + 1, ORIGIN, "m") is None
    assert finding_from_span(segs, text, 0, 0, len(prose) + 5, ORIGIN, "m") is None
    f = finding_from_span(segs, text, 0, 0, 3, ORIGIN, "m",
                          [Proposal(((0, 3, "Walk"), (code, code + 1, "x")), Applicability.SAFE, "t"),
                           Proposal(((0, 3, "Walk"),), Applicability.SAFE, "t")])
    assert len(f.fixes) == 1 and len(f.fixes[0].edits) == 1  # the fix touching code is dropped


def test_markup_makes_a_fix_display_only_and_no_ops_and_repeats_are_dropped():
    text = "The *big* dog.\n"
    segs, prose = _one(text)
    a = prose.index("big")
    f = finding_from_span(segs, text, 0, a - 4, a + 3, ORIGIN, "m", [
        Proposal(((a - 4, a + 3, "The large"),), Applicability.SAFE, "t"),
        Proposal(((a - 4, a + 3, "The large"),), Applicability.SAFE, "t"),
        Proposal(((a, a + 3, "big"),), Applicability.SAFE, "t")])
    assert [x.applicability for x in f.fixes] == [Applicability.DISPLAY_ONLY]


def test_findings_are_made_in_one_place():
    """Every source goes through editor.spans (the batch cache only reads findings back)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    makers = set()
    for path in sorted((root / "editor").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Finding":
                makers.add(path.relative_to(root).as_posix())
    assert makers == {"editor/spans.py", "editor/batch/runner.py"}
