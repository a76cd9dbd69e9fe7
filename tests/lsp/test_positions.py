"""Code-point offsets ↔ LSP positions in each position encoding, and didChange edits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from editor.lsp.positions import PositionMap, apply_change, line_starts

# Text with the characters that trip position code: astral emoji (2 UTF-16 units, 4 UTF-8
# bytes), CJK (3 UTF-8 bytes), every LSP line break, and breaks LSP does not know (U+2028, form
# feed, NEL) that str.splitlines would split at.
ALPHABET = st.sampled_from(list("ab é中😀\n\r\u2028\x0c\x85\t"))
TEXTS = st.text(ALPHABET, max_size=60)


def reference_position(text: str, offset: int, encoding: str) -> tuple[int, int]:
    """The LSP definition, spelled out: lines end at \\n, \\r\\n or \\r; count code units."""
    before = text[:offset]
    line = 0
    start = 0
    i = 0
    while i < len(before):
        if before[i] == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            if i + 1 < len(before):
                line, start, i = line + 1, i + 2, i + 2
                continue
            break  # the offset sits between \r and \n
        if before[i] in "\r\n":
            line, start = line + 1, i + 1
        i += 1
    seg = text[start:offset]
    units = {"utf-8": len(seg.encode("utf-8")), "utf-16": len(seg.encode("utf-16-le")) // 2, "utf-32": len(seg)}
    return line, units[encoding]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
@given(text=TEXTS, data=st.data())
def test_position_and_offset_round_trip(encoding, text, data):
    offset = data.draw(st.integers(0, len(text)))
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        offset -= 1  # inside a CRLF is not a position LSP can name
    pm = PositionMap(text, encoding)
    pos = pm.position(offset)
    assert pos == reference_position(text, offset, encoding)
    assert pm.offset(*pos) == offset


def test_utf16_counts_surrogate_pairs_and_utf8_counts_bytes():
    text = "a😀b\n中x"
    assert PositionMap(text, "utf-16").position(2) == (0, 3)  # 'b' after a 2-unit emoji
    assert PositionMap(text, "utf-8").position(2) == (0, 5)
    assert PositionMap(text, "utf-32").position(2) == (0, 2)
    assert PositionMap(text, "utf-8").position(5) == (1, 3)  # 'x' after a 3-byte CJK character
    assert PositionMap(text, "utf-16").offset(0, 3) == 2


def test_line_breaks_are_lsp_line_breaks_only():
    assert line_starts("a\nb\r\nc\rd\u2028e\x0cf\x85g") == [0, 2, 5, 7]


def test_positions_past_the_end_clamp():
    pm = PositionMap("ab\ncd", "utf-16")
    assert pm.offset(0, 99) == 2  # past the end of line 0: its end, not the next line
    assert pm.offset(9, 0) == 5
    assert pm.offset(1, 1) == 4
    assert PositionMap("a😀b", "utf-16").offset(0, 2) == 2  # inside the surrogate pair: after the emoji


@given(text=TEXTS, data=st.data())
def test_apply_change_replaces_the_range(text, data):
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    if 0 < a < len(text) and text[a - 1] == "\r" and text[a] == "\n":
        a -= 1
    if 0 < b < len(text) and text[b - 1] == "\r" and text[b] == "\n":
        b -= 1
    b = max(a, b)
    pm = PositionMap(text, "utf-16")
    new = data.draw(TEXTS)
    assert apply_change(text, pm.position(a), pm.position(b), new, "utf-16") == text[:a] + new + text[b:]
    assert apply_change(text, None, None, new, "utf-16") == new


def test_negative_positions_clamp_to_the_start():
    pm = PositionMap("ab\ncd", "utf-16")
    assert pm.offset(1, -3) == 3 and pm.offset(-1, 5) == 0
    assert apply_change("ab\ncd", (1, -3), (1, -1), "X", "utf-16") == "ab\nXcd"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
@given(text=TEXTS, data=st.data())
def test_offset_of_any_character_rounds_up_to_a_code_point(encoding, text, data):
    """Every character number, including ones inside a surrogate pair or a UTF-8 sequence and ones
    past the line's end: the first code point at or after it, never past the end of its line."""
    pm = PositionMap(text, encoding)
    line = data.draw(st.integers(0, len(pm.starts) - 1))
    character = data.draw(st.integers(0, 200))
    start, end = pm.starts[line], pm._line_end(line)
    expected = next((o for o in range(start, end + 1) if pm.position(o)[1] >= character), end)
    assert pm.offset(line, character) == expected


def test_positions_on_a_megabyte_line_cost_what_they_cost_on_a_short_one():
    """Publishing converts two offsets per finding: converting from the line's start each time
    made a one-line document quadratic (a 1 MB line, 6,000 findings: 14 s, now 0.03 s)."""
    import time

    text = "😀 " + "word " * 200_000  # one line of a megabyte, an astral character at its start
    pm = PositionMap(text, "utf-16")
    t = time.perf_counter()
    for offset in range(0, len(text), 50):
        assert pm.position(offset) == (0, offset + 1 if offset >= 1 else offset)
    assert pm.offset(0, len(text)) == len(text) - 1 and pm.offset(0, 2) == 1
    assert time.perf_counter() - t < 3  # ~0.05 s; converting from the line start took about a minute
