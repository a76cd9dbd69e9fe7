"""The document model: UTF-8 as read (BOM accepted, CRLF kept), clear errors for bad input."""

from __future__ import annotations

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
