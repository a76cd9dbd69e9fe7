"""Issue 26, point 1: one word must not kill the process.

Harper's speller needs about 0.65 MB per letter of the longest word it corrects: a 100,000-letter
word made it ask for tens of gigabytes and abort the process (SIGABRT), with ST106 or
HARPER/SpellCheck selected.  Every Harper call now lints what editor.backends.harper_input cuts:
no word over MAX_WORD_CHARS, no call over MAX_CALL_CHARS.  The process tests run under a 3 GB
address-space limit, so that a regression fails (the allocation fails, the process aborts)
instead of eating the machine's memory.
"""

from __future__ import annotations

import json
import re
import resource

import pytest

from editor.backends import harper_input as H
from tests.robustness.support import run_process

pytest.importorskip("harper")

SPELLERS = "ST106,HARPER/SpellCheck"  # ST106's speller and Harper's own, both opt-in
MEMORY_LIMIT = 3_000_000_000
_RUN = re.compile(r"[\w'’]+")


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _dna(n: int) -> str:
    """A DNA-like sequence of ``n`` letters (deterministic, not periodic)."""
    out, x = [], 7
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2**31
        out.append("ACGT"[x >> 29])
    return "".join(out)


def longest_run(text: str) -> int:
    return max((len(m.group()) for m in _RUN.finditer(text)), default=0)


# --------------------------------------------------------------------------------------------
# the cap itself


def test_words_longer_than_the_cap_are_left_out_and_the_rest_kept():
    word_ok = "b" * H.MAX_WORD_CHARS
    word_long = "c" * (H.MAX_WORD_CHARS + 1)
    text = f"Keep {word_ok} here, drop {word_long}, and keep ünïcode’s 😀 words."
    assert H.long_words(text) == [(text.index(word_long), text.index(word_long) + len(word_long))]
    parts = H.text_parts(text)
    kept = "".join(text[a:b] for a, b in parts)
    assert word_ok in kept and word_long not in kept
    assert kept == text.replace(word_long, "")
    assert H.text_parts("Ordinary prose. Two sentences.") == [(0, 30)]
    assert H.text_parts("") == [(0, 0)]
    assert H.text_parts("d" * 100_000) == []


def test_calls_are_bounded_and_map_back_exactly():
    texts = [f"Paragraph {i} with words." for i in range(3000)]
    texts[5] = "Sequence " + _dna(20_000) + " ends the sentence."
    texts[9] = "a" * 100_000
    texts[11] = "No sentence end here " * 200  # 4,200 characters without one
    texts[12] = "中文" * 200  # a run of 400 CJK characters: nothing Harper could check as English
    found = H.calls(texts)
    assert len(found) > 1
    for joined in found:
        assert len(joined.text) <= H.MAX_CALL_CHARS
        assert longest_run(joined.text) <= H.MAX_WORD_CHARS
        for stretch in re.split(r"[.!?;:]\s|\n", joined.text):
            assert len(stretch) <= H.MAX_SENTENCE_CHARS
        for p in joined.pieces:
            assert joined.text[p.offset:p.offset + p.end - p.start] == texts[p.segment][p.start:p.end]
            assert joined.locate(p.offset, p.offset + p.end - p.start) == (p.segment, p.start, p.end)
    pieces = [p for j in found for p in j.pieces]
    assert [p.segment for p in pieces] == sorted(p.segment for p in pieces)  # in order
    assert {p.segment for p in pieces} == set(range(3000)) - {9, 12}
    sentence = next(j.text for j in found if any(p.segment == 5 for p in j.pieces))
    assert f"Sequence {H.STAND_IN} ends the sentence." in sentence  # still one sentence for Harper


# --------------------------------------------------------------------------------------------
# a real process, with the spellers on, under a memory limit


def test_a_process_survives_one_huge_word_and_checks_the_rest(tmp_path):
    files = {
        "word.txt": "The sample was read.\n\n" + "ACGT" * 25_000 + "\n\nWe recieved the report.\n",
        "letters.md": "# Notes\n\nSome text " + "a" * 100_000 + " and we recieved it.\n",
        "dna.txt": "We sequenced the gene: " + _dna(20_000) + " which was long. We recieved it late.\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    r = run_process("check", "--extend-select", SPELLERS, "--format", "json", *sorted(files), cwd=tmp_path,
                    timeout=300, preexec_fn=_limited)
    assert r.returncode in (0, 1), (r.returncode, r.stderr[-2000:])  # not -6 (SIGABRT) nor 2
    err = r.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "memory allocation" not in err, err[-2000:]
    report = json.loads(r.stdout)
    for entry in report["files"]:
        text = files[entry["path"]]
        spans = [text[f["start"]:f["end"]] for f in entry["findings"] if f["rule"] == "ST106"]
        assert spans == ["recieved"], (entry["path"], spans)


# --------------------------------------------------------------------------------------------
# in process: no Harper call ever gets a word over the cap


class _Spy:
    """A Harper linter that records what it is given and refuses (instead of aborting the
    process) any text with a word over the cap."""

    def __init__(self, real, seen):
        self.real, self.seen = real, seen

    def _check(self, text):
        self.seen.append(text)
        assert longest_run(text) <= H.MAX_WORD_CHARS and len(text) <= H.MAX_CALL_CHARS

    def lint(self, text, **kw):
        self._check(text)
        return self.real.lint(text, **kw)

    def organized_lints(self, text, **kw):
        self._check(text)
        return self.real.organized_lints(text, **kw)


@pytest.fixture
def spied(monkeypatch):
    """A checker with both spellers, its Harper linters spied on."""
    from editor.api import get_checker
    from editor.checks import spelling as S

    seen: list[str] = []
    harper, linter = S._linter("us")
    monkeypatch.setattr(S, "_linter", lambda dialect="us": (harper, _Spy(linter, seen)))
    checker = get_checker(select=SPELLERS.split(","), harper=True)
    (engine,) = [e for e in checker.engines if e.name == "harper"]
    monkeypatch.setattr(engine, "_linter", _Spy(engine._linter, seen))
    return checker, seen


def test_in_process_no_harper_call_gets_a_long_word(spied):
    checker, seen = spied
    text = "A long one: " + "ACGT" * 25_000 + " and then we recieved it.\n\nAnother paragraf.\n"
    found = checker.detect(text, "txt")
    assert seen
    spans = {text[f.span.start:f.span.end]: f for f in found}
    assert {"recieved", "paragraf"} <= set(spans)
    assert "harper" in spans["paragraf"].sources  # Harper's own speller too (merged with ST106's)
    assert not any(f.span.end - f.span.start > H.MAX_WORD_CHARS for f in found)


# --------------------------------------------------------------------------------------------
# long articles: bounded calls, exact offsets at the end


def _long_article(paragraphs: int) -> str:
    """CRLF line endings and astral characters throughout; typos only in the last paragraph."""
    body = "".join(f"Paragraph {i} 😀 has a caf\u00e9 and a 𝔘 in it.\r\n\r\n" for i in range(paragraphs))
    return body + "At the end we recieved it and talked alot 😀 today.\r\n"


def test_harper_engine_lints_a_long_article_in_bounded_calls_with_exact_offsets():
    from editor.backends.harper import HarperEngine
    from editor.segment import segment

    engine = HarperEngine(select=["HARPER/SpellCheck", "HARPER/OpenCompounds"])
    seen: list[str] = []
    engine._linter = _Spy(engine._linter, seen)
    text = _long_article(2500)  # about 100,000 characters: three calls
    segs = segment(text, "txt")
    found = engine.finish(engine.start(segs), segs, text)
    assert len(seen) >= 2
    last = {(f.rule, f.span.start, f.span.end) for f in found if f.span.start > text.rindex("Paragraph")}
    assert ("HARPER/SpellCheck", text.rindex("recieved"), text.rindex("recieved") + 8) in last
    assert ("HARPER/OpenCompounds", text.rindex("alot"), text.rindex("alot") + 4) in last


def test_st106_offsets_are_exact_in_the_last_paragraph_of_a_multi_call_article(monkeypatch):
    from editor.api import get_checker
    from editor.checks import spelling as S

    monkeypatch.setattr(H, "MAX_CALL_CHARS", 2000)  # a short article in many calls
    seen: list[str] = []
    harper, linter = S._linter("us")
    monkeypatch.setattr(S, "_linter", lambda dialect="us": (harper, _Spy(linter, seen)))
    text = _long_article(60)
    found = get_checker(select=["ST106"]).detect(text, "txt")
    assert len(seen) > 1 and all(len(t) <= 2000 for t in seen)
    spans = [(f.span.start, f.span.end) for f in found if f.rule == "ST106"]
    assert spans == [(text.rindex("recieved"), text.rindex("recieved") + 8)]
