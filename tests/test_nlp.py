"""NLP: one model per process, batched; long text is chunked below spaCy's max_length."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import copy_starter_rules

from editor.nlp import CHUNK_CHARS, ModelError, analyze, chunks, load_model
from editor.segment import segment

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def blank():
    import spacy

    nlp = spacy.blank("en")
    assert nlp.max_length == 1_000_000  # spaCy's default guard: the big inputs below exceed it
    return nlp


def _check_units(segments, units):
    """Every token of every unit maps back to the same characters of its segment."""
    covered: dict[int, int] = {}
    for u in units:
        seg = segments[u.segment_index]
        assert len(u.doc.text) <= CHUNK_CHARS * 2
        assert seg.text[u.offset : u.offset + len(u.doc.text)] == u.doc.text
        covered[u.segment_index] = covered.get(u.segment_index, 0) + len(u.doc.text)
        for tok in list(u.doc)[:: max(1, len(u.doc) // 50)]:
            assert seg.text[u.offset + tok.idx : u.offset + tok.idx + len(tok.text)] == tok.text
    for i, seg in enumerate(segments):
        assert covered[i] == len(seg.text), "chunks must cover the whole segment"


def test_chunks_cover_the_text_and_cut_at_sentence_ends():
    text = "This is one sentence. " * 5000
    parts = chunks(text, limit=1000)
    assert parts[0][0] == 0 and parts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:]))
    assert all(e - s <= 2000 for s, e in parts)
    assert all(text[e - 2 : e] == ". " for _, e in parts[:-1])


def test_chunks_without_any_space_still_cut():
    text = "x" * 10_000
    parts = chunks(text, limit=1000)
    assert "".join(text[s:e] for s, e in parts) == text
    assert all(e - s <= 2000 for s, e in parts)


def test_short_text_is_one_chunk():
    assert chunks("abc") == [(0, 3)]
    assert chunks("") == [(0, 0)]


def test_one_megabyte_paragraph_without_blank_lines(blank):
    sentence = "The battery can not hold a charge, so the soup was very very hot 😀 中文. "
    text = sentence * (1_050_000 // len(sentence) + 1)
    assert len(text) > blank.max_length
    segs = segment(text, "md")
    assert len(segs) == 1
    units = analyze(segs, blank)
    assert len(units) > 1
    _check_units(segs, units)


def test_one_megabyte_line_without_sentence_ends(blank):
    text = "word " * 220_000
    segs = segment(text, "txt")
    units = analyze(segs, blank)
    _check_units(segs, units)


def test_five_megabyte_file(blank):
    para = "Experts say the pump can not start when the tank is very very cold outside. " * 3
    text = ("A heading line\n" + para + "\n\n") * (5_000_000 // (len(para) + 17) + 1)
    assert len(text) >= 5_000_000
    segs = segment(text, "txt")
    units = analyze(segs, blank)
    assert len(units) == len(segs)
    _check_units(segs, units)
    last = units[-1]
    seg = segs[last.segment_index]
    assert text[slice(*seg.to_source(0, len(seg.text)))] == seg.text


def test_findings_in_a_huge_paragraph_have_exact_offsets(blank, tmp_path, monkeypatch):
    folder = tmp_path / "rules"
    copy_starter_rules(folder)
    from editor.engine import build_ruleset
    from editor.pipeline import Checker

    checker = Checker(nlp=blank, ruleset=build_ruleset(blank, select=["ST101", "ST102"], folder=folder))
    sentence = "Sadly the battery can not hold a charge and the soup was very very hot. "
    text = sentence * (1_100_000 // len(sentence))
    findings = checker.detect(text, "md")
    n = text.count(sentence)
    assert len(findings) == 2 * n
    for f in findings:
        assert text[f.span.start : f.span.end] in ("can not", "very very")


def test_analyze_keeps_document_order_and_masks(nlp):
    text = "# Title\n\nRun `can not` now.\n\n- item\n"
    segs = segment(text, "md")
    units = analyze(segs, nlp)
    assert [u.kind for u in units] == ["heading", "paragraph", "list_item"]
    assert [u.segment_index for u in units] == [0, 1, 2]
    assert [u.index for u in units] == [0, 1, 2]
    assert units[1].masked == ((4, 5),)
    assert units[1].doc.text[4:5] == "X"


def test_masks_of_a_chunked_segment_with_thousands_of_code_spans(blank):
    """Issue 26: the masked ranges were rebuilt (and the chunk's text joined again) for every
    chunk and every range: 30,000 code spans took 249 s.  Each chunk gets exactly the ranges that
    fall in it, cut to it, in its own coordinates."""
    text = "Start here " + "`x` word " * 6000 + "and a `tail` at the end."
    segs = segment(text, "md")
    units = analyze(segs, blank)
    _check_units(segs, units)
    assert len(units) > 1
    seg = segs[0]
    every = seg.masked_ranges
    assert len(every) == 6001
    got = []
    for u in units:
        n = len(u.doc.text)
        assert u.masked == tuple((max(s, u.offset) - u.offset, min(e, u.offset + n) - u.offset)
                                 for s, e in every if e > u.offset and s < u.offset + n)
        got += [(u.offset + s, u.offset + e) for s, e in u.masked]
        assert all(u.doc.text[s:e] == "X" for s, e in u.masked)
    assert got == every
    last = units[-1]
    tail = last.doc.text.rindex("X")
    a, b = seg.to_source(last.offset + tail, last.offset + tail + 1)
    assert text[a:b] == "`tail`"


@pytest.mark.parametrize("start,end,expected", [
    (0, 4, False), (0, 5, True), (5, 5, True), (7, 7, False), (7, 9, False), (9, 10, False), (10, 11, True),
    (12, 12, False), (11, 30, True), (30, 31, False), (2, 2, False)])
def test_unit_touches_masked_is_the_overlap_test(blank, start, end, expected):
    from editor.checks.base import Unit

    unit = Unit(doc=blank("abcde fgh ij klm"), kind="paragraph", segment_index=0, index=0,
                masked=((4, 7), (10, 12)))
    assert unit.touches_masked(start, end) is expected
    assert expected is any(s < end and start < e for s, e in unit.masked)
    assert Unit(doc=unit.doc, kind="paragraph", segment_index=0, index=0).touches_masked(0, 30) is False


def test_model_is_loaded_once(nlp):
    assert load_model() is nlp
    assert nlp.max_length >= CHUNK_CHARS * 4


def test_unknown_model_is_a_model_error():
    with pytest.raises(ModelError) as ei:
        load_model("no_such_model_for_cleanup_tests")
    assert "no_such_model_for_cleanup_tests" in str(ei.value)


def test_a_long_stretch_that_is_not_prose_is_blanked_before_the_parse():
    """Issue 26: 100 KB of "a:" took 22 s per 100 KB (spaCy's cost per token; the limit is 10 s)."""
    from editor.nlp import NOT_PROSE_RUN, blank_non_prose

    junk = "a:" * 1_000
    text = "Words before it. " + junk + " x <a b & 12 " * 10 + "Words after it."
    got = blank_non_prose(text)
    assert len(got) == len(text) and got.startswith("Words before it. ") and got.endswith(" Words after it.")
    assert got[17:-16].strip() == ""
    for kept in ("a:" * 100, "The council met again. " * 200, "未翻译的中文段落" * 400, "Go on.\n\n" * 500,
                 ("Word " + "1234 " * 3) * (NOT_PROSE_RUN // 10)):
        assert blank_non_prose(kept) == kept  # short, or prose now and then: read as before
    assert blank_non_prose("xy\n" + "& \n" * 600 + "zw") == "xy\n" + "  \n" * 600 + "zw"  # line breaks kept
    for long_piece in ("ab-" * 20_000, "é" * 20_000, "ACGT" * 5_000, "https://x.example/" + "a1" * 1_000):
        assert blank_non_prose(f"Before it. {long_piece} after it.") == f"Before it. {' ' * len(long_piece)} after it."
    assert blank_non_prose("中文段落没有空格" * 500) == "中文段落没有空格" * 500  # no spaces between its words


def test_prose_around_a_stretch_that_is_not_prose_is_still_checked():
    from editor.api import check_text

    text = "He said it the the end. " + "a:" * 5_000 + " She saw the the light.\n"
    found = [(f.rule, f.span.start) for f in check_text(text, "md", select=["MT702"])]
    assert found == [("MT702", 11), ("MT702", text.rindex("the the"))]
