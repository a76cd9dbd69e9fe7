"""Writing without losing text: atomic replace, BOM and CRLF kept, changes on disk detected."""

from __future__ import annotations

import os

import pytest

from editor.document import InputError, read_document
from editor.writer import atomic_write, unchanged_since_read


def test_atomic_write_creates_and_replaces(tmp_path):
    p = tmp_path / "a.md"
    atomic_write(p, "one\r\ntwo 😀\n")
    assert p.read_bytes() == "one\r\ntwo 😀\n".encode()  # newlines written exactly as given
    atomic_write(p, "three")
    assert p.read_text() == "three"
    assert sorted(os.listdir(tmp_path)) == ["a.md"]  # no temporary file left behind


def test_atomic_write_keeps_the_bom_when_asked(tmp_path):
    p = tmp_path / "a.md"
    atomic_write(p, "x", bom=True)
    assert p.read_bytes() == b"\xef\xbb\xbfx"
    atomic_write(p, "x")
    assert p.read_bytes() == b"x"


def test_atomic_write_keeps_the_file_mode(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("old")
    os.chmod(p, 0o640)
    atomic_write(p, "new")
    assert (p.stat().st_mode & 0o777) == 0o640


def test_atomic_write_into_a_missing_folder_is_an_input_error(tmp_path):
    target = tmp_path / "missing" / "a.md"
    with pytest.raises(InputError) as ei:
        atomic_write(target, "x")
    assert str(target) in str(ei.value) and "\n" not in str(ei.value)


def test_atomic_write_under_a_file_is_an_input_error(tmp_path):
    f = tmp_path / "file.md"
    f.write_text("x")
    with pytest.raises(InputError) as ei:
        atomic_write(f / "report.html", "x")
    assert "report.html" in str(ei.value)


def test_failed_rename_leaves_the_original_and_no_temp_file(tmp_path, monkeypatch):
    p = tmp_path / "a.md"
    p.write_text("original")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(InputError) as ei:
        atomic_write(p, "new text")
    assert "No space left" in str(ei.value)
    assert p.read_text() == "original"
    assert os.listdir(tmp_path) == ["a.md"]


def test_unchanged_since_read(tmp_path):
    p = tmp_path / "a.md"
    p.write_bytes(b"\xef\xbb\xbfHello.\r\n")
    doc = read_document(p)
    assert unchanged_since_read(doc)


def test_changed_content_is_detected_even_with_the_same_size_and_mtime(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("Hello.")
    doc = read_document(p)
    st = p.stat()
    p.write_text("Jello.")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert not unchanged_since_read(doc)


def test_changed_size_or_time_is_detected(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("Hello.")
    doc = read_document(p)
    p.write_text("Hello, world.")
    assert not unchanged_since_read(doc)


def test_deleted_file_counts_as_changed(tmp_path):
    p = tmp_path / "a.md"
    p.write_text("Hello.")
    doc = read_document(p)
    p.unlink()
    assert not unchanged_since_read(doc)
