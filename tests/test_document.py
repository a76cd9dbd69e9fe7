"""The document model: UTF-8 (and GBK/GB18030/Big5/UTF-16) as read (BOM accepted, CRLF kept), clear errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.document import InputError, LineIndex, SourceDocument, format_of, read_document


def _one_line_naming(err: InputError, path) -> str:
    msg = str(err)
    assert "\n" not in msg
    assert str(path) in msg
    return msg


def test_plain_utf8(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("Café 😀 中文\n", encoding="utf-8")
    doc = read_document(p)
    assert doc.text == "Café 😀 中文\n"
    assert doc.fmt == "md" and doc.bom is False
    assert doc.path == str(p)
    assert doc.size == p.stat().st_size and doc.mtime_ns == p.stat().st_mtime_ns
    assert doc.digest


def test_bom_is_accepted_and_remembered(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbfHello world.\n")
    doc = read_document(p)
    assert doc.bom is True
    assert doc.text == "Hello world.\n"  # offsets count from the first character after the BOM
    assert doc.fmt == "txt"


def test_crlf_is_kept_as_is(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes(b"One line.\r\nTwo lines.\r\n\r\nThree.\r\n")
    doc = read_document(p)
    assert doc.text == "One line.\r\nTwo lines.\r\n\r\nThree.\r\n"
    assert doc.text.index("Two") == 11
    assert doc.lines.position(11) == (2, 1)
    assert doc.lines.position(doc.text.index("Three")) == (4, 1)


def test_binary_file(tmp_path):
    p = tmp_path / "photo.md"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError) as ei:
        read_document(p)
    assert "binary" in _one_line_naming(ei.value, p)
    assert ei.value.path == str(p)


def test_invalid_utf8(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("First line\nCafé au lait\n".encode("latin-1"))
    with pytest.raises(InputError) as ei:
        read_document(p)
    msg = _one_line_naming(ei.value, p)
    assert "UTF-8" in msg and "line 2" in msg


def test_utf16_with_a_bom_is_read_as_utf16(tmp_path):
    p = tmp_path / "wide.txt"
    p.write_bytes("Hello".encode("utf-16"))
    doc = read_document(p)
    assert (doc.text, doc.encoding, doc.bom) == ("Hello", "utf-16-le", True)


def test_missing_file(tmp_path):
    p = tmp_path / "nope.md"
    with pytest.raises(InputError) as ei:
        read_document(p)
    assert "no such file" in _one_line_naming(ei.value, p)


def test_directory(tmp_path):
    d = tmp_path / "folder.md"
    d.mkdir()
    with pytest.raises(InputError) as ei:
        read_document(d)
    assert "directory" in _one_line_naming(ei.value, d)


def test_empty_file(tmp_path):
    p = tmp_path / "empty.md"
    p.write_bytes(b"")
    doc = read_document(p)
    assert doc.text == "" and doc.lines.position(0) == (1, 1)


def test_format_of():
    assert format_of("a.md") == "md"
    assert format_of("A.MARKDOWN") == "md"
    assert format_of("a.txt") == "txt"
    assert format_of("check") == "txt"


def test_from_text():
    doc = SourceDocument.from_text("x", path="b.md")
    assert doc.fmt == "md" and doc.digest and doc.bom is False


@pytest.mark.parametrize(
    "text, offset, expected",
    [
        ("abc", 0, (1, 1)),
        ("abc", 3, (1, 4)),
        ("ab\ncd", 3, (2, 1)),
        ("ab\ncd", 4, (2, 2)),
        ("ab\r\ncd", 4, (2, 1)),
        ("ab\r\ncd", 2, (1, 3)),  # the CR belongs to line 1
        ("ab\rcd", 3, (2, 1)),  # a lone CR ends a line too
        ("😀😀 x", 3, (1, 4)),  # columns count code points, not UTF-16 units or bytes
        ("中文\n中文 x", 6, (2, 4)),
    ],
)
def test_line_index(text, offset, expected):
    assert LineIndex(text).position(offset) == expected


def test_input_error_without_path():
    assert str(InputError(None, "bad")) == "bad"


# --------------------------------------------------------------------------------------------
# encodings of scraped Chinese articles (issue 13): detected, offsets in the decoded text, --fix
# writes back in the same encoding

CHINESE = "\u6e29\u99a8\u63d0\u793a\uff1a\u65e9\u4e0a\u6e38\u6cf3\u3002The pump can not start.\n"
TRADITIONAL = "\u6eab\u99a8\u63d0\u793a\uff1a\u65e9\u4e0a\u6e38\u6cf3\u5c0d\u8eab\u9ad4\u597d\u3002The pump can not start.\n"


@pytest.mark.parametrize("text, codec, encoding, bom", [
    (CHINESE, "gbk", "gb18030", False),
    (CHINESE + "\u20ac \U00020000\n", "gb18030", "gb18030", False),
    (TRADITIONAL, "big5", "big5", False),
    (CHINESE, "utf-16", "utf-16-le", True),
    ("The pump can not start, and the boat is late.\n", "utf-16-le", "utf-16-le", False),
    ("The pump can not start, and the boat is late.\n", "utf-16-be", "utf-16-be", False),
    (CHINESE, "utf-8-sig", "utf-8", True),
])
def test_chinese_and_utf16_articles_are_read(tmp_path, text, codec, encoding, bom):
    p = tmp_path / "a.txt"
    p.write_bytes(text.encode(codec))
    doc = read_document(p)
    assert (doc.text, doc.encoding, doc.bom) == (text, encoding, bom)


@pytest.mark.parametrize("data", [
    "Caf\u00e9 au lait\n".encode("latin-1"),
    bytes(range(128, 256)) * 3,
    b"\xff\xfe\x00\xd8",  # a UTF-16 BOM, then half a surrogate pair
])
def test_undecidable_bytes_are_one_line(tmp_path, data):
    p = tmp_path / "a.txt"
    p.write_bytes(data)
    with pytest.raises(InputError) as ei:
        read_document(p)
    _one_line_naming(ei.value, p)


@pytest.mark.usefixtures("starter_env")
@pytest.mark.parametrize("codec, bom", [("gbk", b""), ("big5", b""), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"")])
def test_cli_offsets_and_fix_keep_the_encoding(codec, bom):
    from .test_cli import run

    text = TRADITIONAL if codec == "big5" else CHINESE
    Path("a.txt").write_bytes(bom + text.encode(codec))
    r = run("check", "a.txt", "--format", "json")
    (f,) = json.loads(r.out)["files"][0]["findings"]
    assert (f["start"], f["text"], f["column"]) == (text.index("can not"), "can not", text.index("can not") + 1)
    r = run("a.txt", "--fix", "--fail-on", "never")
    assert r.code == 0, r
    assert Path("a.txt").read_bytes() == bom + text.replace("can not", "cannot").encode(codec)
    assert "\u63d0\u793a" in Path("a.txt.cleanup.html").read_text(encoding="utf-8")  # the report is UTF-8


@pytest.mark.usefixtures("starter_env")
def test_cli_a_fix_the_encoding_cannot_hold_is_one_line_and_the_file_is_kept():
    from .test_cli import run

    data = TRADITIONAL.encode("big5")
    Path("a.txt").write_bytes(data)
    Path("cleanup.toml").write_text('[substitutions]\n"pump" = "pump \U0001F600"\n', encoding="utf-8")
    r = run("a.txt", "--fix", "--no-report", "--fail-on", "never")
    assert r.code == 2, r
    (line,) = [x for x in r.err.splitlines() if x.startswith("cleanup:")]
    assert "a.txt" in line and "Big5" in line and "U+1F600" in line
    assert Path("a.txt").read_bytes() == data
    Path("b.txt").write_bytes("Caf\u00e9\n".encode("latin-1"))
    r = run("check", "b.txt")
    assert r.code == 2 and [x for x in r.err.splitlines() if x.startswith("cleanup:")] == [
        "cleanup: b.txt: not valid UTF-8 (byte 0xe9 at line 1) and not GBK, GB18030, Big5 or UTF-16 either; "
        "convert it to UTF-8"]
