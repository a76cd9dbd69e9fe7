"""Issue 16, point 2: ``--fix`` never overwrites a change that lands while it writes, writes
through symlinks, keeps hard links, and never leaves a temporary file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from editor.document import InputError, read_document
from editor.writer import atomic_write
from tests.robustness.support import one_error, run, temp_files
from tests.texts import BAD

pytestmark = pytest.mark.usefixtures("starter_env")
FIXED = "The pump cannot start.\n"
EDIT = "An editor's change, saved while cleanup was writing.\n"


def test_a_change_while_the_temporary_file_is_written_is_kept(monkeypatch):
    """The change lands after the first comparison, while the fixed text is being written: it
    must be seen by the comparison made just before the rename."""
    Path("a.md").write_text(BAD, encoding="utf-8")
    real_fsync = os.fsync
    landed = []

    def fsync_and_edit(fd):
        real_fsync(fd)
        if not landed:  # the editor saves now, between the write and the rename
            landed.append(True)
            Path("a.md").write_text(EDIT, encoding="utf-8")

    monkeypatch.setattr(os, "fsync", fsync_and_edit)
    r = run("a.md", "--fix", "--no-report")
    assert landed
    assert r.code == 2
    one_error(r, "a.md", "changed on disk since it was read")
    assert Path("a.md").read_text(encoding="utf-8") == EDIT
    assert temp_files(Path(".")) == []


def test_write_fixed_keeps_an_article_that_changed_and_removes_its_temporary_file():
    Path("a.md").write_text(BAD, encoding="utf-8")
    doc = read_document("a.md")
    Path("a.md").write_text(EDIT, encoding="utf-8")
    from editor.writer import ChangedOnDisk, write_fixed

    with pytest.raises(ChangedOnDisk):
        write_fixed(doc, FIXED)
    assert Path("a.md").read_text(encoding="utf-8") == EDIT and temp_files(Path(".")) == []


def test_fix_on_a_symlink_writes_through_to_its_target():
    Path("real").mkdir()
    Path("real/a.md").write_text(BAD, encoding="utf-8")
    os.symlink("real/a.md", "link.md")
    r = run("link.md", "--fix", "--no-report")
    assert r.code == 0, r
    assert os.path.islink("link.md") and os.readlink("link.md") == "real/a.md"
    assert Path("real/a.md").read_text(encoding="utf-8") == FIXED
    assert temp_files(Path(".")) == []


def test_fix_keeps_hard_links():
    Path("a.md").write_text(BAD, encoding="utf-8")
    os.link("a.md", "b.md")
    inode = os.stat("a.md").st_ino
    os.chmod("a.md", 0o640)
    r = run("a.md", "--fix", "--no-report")
    assert r.code == 0, r
    assert Path("b.md").read_text(encoding="utf-8") == FIXED  # the other link sees the fix
    st = os.stat("a.md")
    assert st.st_ino == inode and st.st_nlink == 2 and st.st_mode & 0o777 == 0o640
    assert temp_files(Path(".")) == []


def test_a_text_that_cannot_be_encoded_leaves_no_temporary_file(tmp_path):
    with pytest.raises(InputError, match="not Unicode"):
        atomic_write(tmp_path / "r.html", "caf\udce9")
    assert os.listdir(tmp_path) == []


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "a.md"
    target.write_text("original", encoding="utf-8")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new")
    assert os.listdir(tmp_path) == ["a.md"] and target.read_text(encoding="utf-8") == "original"
