"""Segmentation: prose blocks with kinds, markup masked, offset maps that round-trip exactly."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.segment import PLACEHOLDER, segment, segment_markdown, segment_text

TRIGGER = "can not"


def prose(text: str, fmt: str = "md") -> str:
    return "\n¶\n".join(s.text for s in segment(text, fmt))


def kinds(text: str, fmt: str = "md") -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in segment(text, fmt)]


def check_maps(text: str, segs) -> None:
    """Every offset map is monotonic, inside the file, and identity pieces copy the source."""
    for seg in segs:
        m = seg.map
        assert m.length == len(seg.text)
        assert 0 <= seg.start <= seg.end <= len(text)
        pos = 0
        last_src = 0
        for p in m.pieces:
            assert p.prose_start == pos and p.length > 0
            pos += p.length
            assert 0 <= p.src_start <= p.src_end <= len(text)
            assert p.src_start >= last_src, "pieces go backwards in the source"
            last_src = p.src_end
            if p.identity:
                assert seg.text[p.prose_start : p.prose_start + p.length] == text[p.src_start : p.src_end]
        n = len(seg.text)
        for a in range(n + 1):
            for b in range(a, min(n, a + 5) + 1):
                s, e = seg.to_source(a, b)
                assert 0 <= s <= e <= len(text)
                if a == b:
                    continue
                cov = [p for p in m.pieces if p.prose_start < b and p.prose_start + p.length > a]
                if all(p.identity for p in cov) and all(x.src_end == y.src_start for x, y in zip(cov, cov[1:])):
                    assert text[s:e] == seg.text[a:b]


def find_source(seg, text: str, needle: str) -> str:
    i = seg.text.index(needle)
    s, e = seg.to_source(i, i + len(needle))
    return text[s:e]


# --------------------------------------------------------------------------------------------
# Markdown blocks


def test_block_kinds():
    text = (
        "# Main title\n\n"
        "A paragraph of prose.\n\n"
        "## Second *level*\n\n"
        "- first item\n"
        "- second item\n\n"
        "1. numbered item\n\n"
        "> quoted words\n\n"
        "| Name | Value |\n"
        "|------|-------|\n"
        "| cell one | cell two |\n\n"
        "Setext title\n"
        "============\n"
    )
    segs = segment_markdown(text)
    got = [(s.kind, s.text) for s in segs]
    assert got == [
        ("heading", "Main title"),
        ("paragraph", "A paragraph of prose."),
        ("heading", "Second level"),
        ("list_item", "first item"),
        ("list_item", "second item"),
        ("list_item", "numbered item"),
        ("blockquote", "quoted words"),
        ("table_cell", "Name"),
        ("table_cell", "Value"),
        ("table_cell", "cell one"),
        ("table_cell", "cell two"),
        ("heading", "Setext title"),
    ]
    assert [s.level for s in segs if s.kind == "heading"] == [1, 2, 1]
    for s in segs:
        if s.kind != "heading" or "level" not in s.text:
            assert text[s.start : s.end] == s.text
    check_maps(text, segs)


def test_list_item_continuation_lines_are_one_segment():
    text = "- an item that\n  goes on here\n- next\n"
    segs = segment_markdown(text)
    assert [s.text for s in segs] == ["an item that\ngoes on here", "next"]
    check_maps(text, segs)
    assert find_source(segs[0], text, "goes on") == "goes on"


@pytest.mark.parametrize(
    "text",
    [
        "```\nThe pump can not start.\n```\n",
        "~~~python\nThe pump can not start.\n~~~\n",
        "```\nThe pump can not start.\nno closing fence\n",
        "    The pump can not start in indented code.\n",
        "<div>\nThe pump can not start.\n</div>\n",
        "<!--\nThe pump can not start.\n-->\n",
        "---\ntitle: The pump can not start\ntags: [a, b]\n---\n",
    ],
    ids=["fenced", "tilde-fenced", "unclosed-fence", "indented", "html-block", "html-comment", "front-matter"],
)
def test_blocks_that_are_never_prose(text):
    assert TRIGGER not in prose(text)
    after = text + "\nThe valve can not close.\n" if not text.startswith("```\nThe pump can not start.\nno") else text
    segs = segment_markdown(after)
    check_maps(after, segs)
    assert "pump" not in "".join(s.text for s in segs)


def test_unclosed_fence_swallows_the_rest():
    text = "Before.\n\n```\ncode can not\n\nStill code.\n"
    assert prose(text) == "Before."


def test_front_matter_then_body():
    text = "---\ntitle: can not\n---\n\n# The title\n\nBody text.\n"
    segs = segment_markdown(text)
    assert [s.text for s in segs] == ["The title", "Body text."]
    assert segs[0].start == text.index("The title")


@pytest.mark.parametrize(
    "text, visible",
    [
        ("Run `can not` now.", "Run X now."),
        ("Run ``code ` can not`` now.", "Run X now."),
        ("Run `code can\nnot` now.", "Run X now."),
        ("See https://example.com/can-not/very-very now.", "See X now."),
        ("See http://example.com/can-not now.", "See X now."),
        ("See www.example.com/can-not now.", "See X now."),
        ("See <https://example.com/can-not> now.", "See X now."),
        ("Mail <can.not@example.com> now.", "Mail X now."),
        ("Mail can.not@example.com now.", "Mail X now."),
        ("A [link text](https://example.com/can-not \"can not\") here.", "A link text here."),
        ("A [link text\nmore](https://example.com/can-not) here.", "A link text\nmore here."),
        ("A [link](https://example.com/x\n'title can not') here.", "A link here."),
        ("A [ref link][can-not] here.", "A ref link here."),
        ("An ![can not alt](img/can-not.png) here.", "An X here."),
        ("Text <b>bold</b> stays.", "Text bold stays."),
        ("Text <span title='can not'>inside</span> stays.", "Text inside stays."),
        ("Text <span title='can\nnot'>inside</span> stays.", "Text inside stays."),
        ("Hold <img src=x onerror='can not'> on.", "Hold X on."),
        ("Hold <!-- can not --> on.", "Hold X on."),
        ("A note[^can-not] here.", "A note here."),
    ],
)
def test_inline_markup_is_masked(text, visible):
    segs = segment_markdown(text + "\n")
    assert len(segs) == 1
    seg = segs[0]
    assert seg.text == visible
    assert TRIGGER not in seg.text and "can\nnot" not in seg.text
    check_maps(text, segs)
    for a, b in seg.masked_ranges:
        assert seg.text[a:b] == PLACEHOLDER
        assert seg.is_masked(a, b)
        # the placeholder maps to the whole masked construct, never to a part of it
        s, e = seg.to_source(a, b)
        assert text[s:e] not in ("", PLACEHOLDER)


def test_masked_placeholder_maps_to_the_whole_code_span():
    text = "Run `can not` now."
    seg = segment_markdown(text)[0]
    i = seg.text.index(PLACEHOLDER)
    assert seg.is_masked(i, i + 1)
    assert seg.is_masked(i - 1, i + 2)
    assert not seg.is_masked(0, 3)
    assert text[slice(*seg.to_source(i, i + 1))] == "`can not`"


def test_link_text_is_prose_and_maps_back():
    text = "Read [the pump can not start](https://example.com/x) today."
    seg = segment_markdown(text)[0]
    assert seg.text == "Read the pump can not start today."
    assert find_source(seg, text, "can not") == "can not"
    s, _ = seg.to_source(seg.text.index("can not"), seg.text.index("can not") + 7)
    assert s == text.index("can not")


def test_escapes_and_entities_map_back_exactly():
    text = "A \\*star\\* &amp; &copy; &#169; &#x1F600; &bogus; x"
    seg = segment_markdown(text)[0]
    assert seg.text == "A *star* & © © 😀 &bogus; x"
    expect = {"*": "\\*", "&": "&amp;", "©": "&copy;", "😀": "&#x1F600;"}
    for prose_char, source in expect.items():
        i = seg.text.index(prose_char)
        assert text[slice(*seg.to_source(i, i + 1))] == source
    i = seg.text.index("©", seg.text.index("©") + 1)
    assert text[slice(*seg.to_source(i, i + 1))] == "&#169;"
    assert find_source(seg, text, "&bogus;") == "&bogus;"  # not an entity: copied as is
    # a span over an escape maps to the whole escape
    i = seg.text.index("*star*")
    assert text[slice(*seg.to_source(i, i + 6))] == "\\*star\\*"
    check_maps(text, [seg])


def test_emphasis_is_dropped_but_positions_stay_exact():
    text = "It is **very** *hot* and __wet__ today, snake_case_name stays."
    seg = segment_markdown(text)[0]
    assert seg.text == "It is very hot and wet today, snake_case_name stays."
    for word in ("very", "hot", "wet", "snake_case_name"):
        assert find_source(seg, text, word) == word
    # a span across dropped markup covers the markup in the source
    i = seg.text.index("very hot")
    assert text[slice(*seg.to_source(i, i + 8))] == "very** *hot"


def test_crlf_markdown_offsets_are_into_the_text_as_read():
    text = "# Title\r\n\r\nFirst line\r\nsecond line can not.\r\n\r\n- item can not\r\n"
    segs = segment_markdown(text)
    assert [s.kind for s in segs] == ["heading", "paragraph", "list_item"]
    assert segs[1].text == "First line\nsecond line can not."
    # the CRLF maps as a whole: one newline in the prose, two characters in the source
    i = segs[1].text.index("\n")
    assert text[slice(*segs[1].to_source(i, i + 1))] == "\r\n"
    for seg in segs:
        assert find_source(seg, text, "can not") if "can not" in seg.text else True
    check_maps(text, segs)


def test_lone_cr_line_break_is_not_an_identity_copy():
    text = "word\rword"
    segs = segment_markdown(text)
    check_maps(text, segs)


def test_emoji_and_cjk_offsets():
    text = "😀 中文 text here can not.\n"
    seg = segment_markdown(text)[0]
    i = seg.text.index("can not")
    assert seg.to_source(i, i + 7) == (text.index("can not"), text.index("can not") + 7)


def test_empty_and_blank_input():
    assert segment("", "md") == []
    assert segment("", "txt") == []
    assert segment("\n\n  \r\n", "md") == []
    assert segment("\n\n  \r\n", "txt") == []


def test_to_source_rejects_spans_outside_prose():
    seg = segment_markdown("abc")[0]
    with pytest.raises(ValueError):
        seg.to_source(2, 9)
    assert seg.to_source(3, 3) == (3, 3)


# --------------------------------------------------------------------------------------------
# Plain text


def test_text_paragraphs_at_blank_lines():
    text = "This first paragraph has two sentences. It goes on here.\nAnd on a second line, still the same one.\n\nA second paragraph follows here, in full.\n"
    segs = segment_text(text)
    assert [s.kind for s in segs] == ["paragraph", "paragraph"]
    assert segs[0].text == text[: text.index("\n\n")]
    check_maps(text, segs)


def test_text_heading_date_and_label_lines_stand_alone():
    text = (
        "How to Sleep Better at Night\n"
        "March 3, 2021\n"
        "Experts say that tea before bed can not help everyone, and many people sleep worse.\n"
        "Share\n"
        "2021-03-04 10:22\n"
        "Warm tips\n"
        "Drink water often, because the body needs it during the whole day long.\n"
    )
    got = kinds(text, "txt")
    assert got == [
        ("heading", "How to Sleep Better at Night"),
        ("label", "March 3, 2021"),
        ("paragraph", "Experts say that tea before bed can not help everyone, and many people sleep worse."),
        ("label", "Share"),
        ("label", "2021-03-04 10:22"),
        ("heading", "Warm tips"),
        ("paragraph", "Drink water often, because the body needs it during the whole day long."),
    ]
    check_maps(text, segment_text(text))


def test_text_indented_lines_are_prose_not_code():
    text = "    This indented line is ordinary prose and it can not be code at all.\n"
    segs = segment_text(text)
    assert [s.text for s in segs] == [text.strip()]
    assert segs[0].start == 4


def test_text_bullets_are_list_items():
    text = "• drink more water every day.\n- sleep early and well.\n1. walk after dinner.\n"
    segs = segment_text(text)
    assert [(s.kind, s.text) for s in segs] == [
        ("list_item", "drink more water every day."),
        ("list_item", "sleep early and well."),
        ("list_item", "walk after dinner."),
    ]


def test_text_markup_characters_are_plain_prose():
    text = "Use `this` and <b>that</b> as written, the text file has no markup at all.\n"
    assert segment_text(text)[0].text == text.strip()


def test_text_crlf():
    text = "A long first paragraph line, with a comma.\r\nSecond line of it, also long enough.\r\n\r\nNext one here, also long enough.\r\n"
    segs = segment_text(text)
    assert len(segs) == 2
    check_maps(text, segs)
    assert segs[0].text == "A long first paragraph line, with a comma.\r\nSecond line of it, also long enough."


# --------------------------------------------------------------------------------------------
# Property tests

ATOMS = st.sampled_from([
    "word", "can", "not", "The", " ", "  ", "\n", "\r\n", "\n\n", "\r\n\r\n", "\r", "\t", "    ",
    "*", "_", "**", "~~", "`", "``", "```", "~~~", "[", "]", "(", ")", "![", "[t](u)", "[t][r]", "[^1]",
    "<", ">", "<b>", "</b>", "<br/>", "<!-- c -->", "<div>", "</div>", "<https://x.y/z>",
    "https://ex.com/a_b", "www.ex.org", "a@b.com", "&amp;", "&copy;", "&#169;", "&#x1F600;", "&bogus;",
    "\\", "\\*", "\\[", "#", "# ", "## ", "> ", "- ", "* ", "1. ", "|", " | ", "|---|", "---", "---\n",
    "===", "😀", "中文", "é", "\u00a0", ":", ".", "!", "?", "\n[r]: http://x\n", "Share", "March 3, 2021",
])
MARKDOWNISH = st.lists(ATOMS, max_size=50).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(MARKDOWNISH, st.sampled_from(["md", "txt"]))
def test_offset_maps_round_trip_on_markdownish_text(text, fmt):
    check_maps(text, segment(text, fmt))


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=80), st.sampled_from(["md", "txt"]))
def test_offset_maps_round_trip_on_any_text(text, fmt):
    check_maps(text, segment(text, fmt))


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(["word", " ", "can not", "`", "\n", "\r\n", "x"]), max_size=30).map("".join))
def test_code_spans_never_leak_into_prose(inner):
    inner = inner.replace("`", "")
    if not inner.strip() or inner.strip() != inner:
        return
    if any(not line.strip() for line in inner.replace("\r\n", "\n").split("\n")):
        return  # a blank (or whitespace-only) line ends the paragraph: no code span across it
    text = f"Before `{inner}` after."
    segs = segment_markdown(text)
    assert [s.text for s in segs] == ["Before X after."]
