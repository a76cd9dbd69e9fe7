"""Writing files without ever losing the user's text: temporary file, then rename.

- The temporary file sits beside the file it replaces and never outlives the write, whatever
  happens (a full disk, an encoding problem, Ctrl-C).
- A symlink is written through: the file it points to gets the new text, the link stays a link.
- A file with several hard links is rewritten in place once the new text is safely on disk
  beside it, so that every link sees the new text (a rename would leave the others on the old).
- ``expect``: checked immediately before the new text replaces the file (after the temporary
  file is written, which may take a while for a large file); when it fails, the file is left
  exactly as it is. ``--fix`` uses it to keep an article that changed on disk meanwhile.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from editor.document import InputError, SourceDocument, content_hash
from editor.paths import display


class ChangedOnDisk(InputError):
    """The file changed after it was read: it was not overwritten."""


def atomic_write(path: str | os.PathLike, text: str, bom: bool = False, encoding: str = "utf-8",
                 expect: Callable[[], bool] | None = None) -> None:
    """Write ``text`` to ``path`` atomically, in ``encoding`` (InputError naming the path on failure,
    including a character the encoding cannot hold; ChangedOnDisk when ``expect()`` says the file
    changed)."""
    shown = display(path)
    if encoding != "utf-8":
        from editor.document import encode_article

        original = _bytes_of(path) if expect is not None else None  # --fix: keep the bytes it did not change
        data = encode_article(text, SourceDocument(path=shown, text="", bom=bom, encoding=encoding), original)
    else:
        try:
            data = (("\ufeff" if bom else "") + text).encode("utf-8")
        except UnicodeEncodeError as e:
            raise InputError(shown, f"cannot write: the text holds a character that is not Unicode ({e.reason})") from None
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    except OSError as e:
        raise InputError(shown, f"cannot write: {e.strerror or e}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise InputError(shown, f"cannot write: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if old is not None:
            _copy_owner_and_mode(tmp, old)
        else:
            os.chmod(tmp, 0o644 & ~_umask())
        if expect is not None and not expect():
            raise ChangedOnDisk(shown, "changed on disk since it was read; not overwritten (run again)")
        if old is not None and old.st_nlink > 1:
            _overwrite_in_place(target, data)
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
    except OSError as e:
        _remove(tmp)
        raise InputError(shown, f"cannot write: {e.strerror or e}") from None
    except BaseException:
        _remove(tmp)
        raise


def _bytes_of(path) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def _copy_owner_and_mode(tmp: str, old: os.stat_result) -> None:
    try:
        os.chmod(tmp, old.st_mode & 0o7777)
    except OSError:
        pass
    if hasattr(os, "chown") and (old.st_uid != os.geteuid() or old.st_gid != os.getegid()):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except OSError:  # not allowed (not root): the file becomes ours, as any editor's save
            pass


def _overwrite_in_place(target: Path, data: bytes) -> None:
    """Rewrite a hard-linked file's content in place; on failure put the old content back."""
    with open(target, "r+b") as fh:
        original = fh.read()
        try:
            fh.seek(0)
            fh.write(data)
            fh.truncate()
            fh.flush()
            os.fsync(fh.fileno())
        except BaseException:
            fh.seek(0)
            fh.write(original)
            fh.truncate()
            fh.flush()
            raise


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def unchanged_since_read(doc: SourceDocument) -> bool:
    """Is the file on disk still exactly what was read (size, mtime and content)?"""
    try:
        st = os.stat(doc.path)
    except OSError:
        return False
    if doc.mtime_ns is not None and (st.st_mtime_ns != doc.mtime_ns or st.st_size != doc.size):
        return False
    try:
        data = Path(doc.path).read_bytes()
    except OSError:
        return False
    from editor.document import decode_article

    try:
        return content_hash(decode_article(data, doc.path)[0]) == doc.digest
    except InputError:
        return False


def write_fixed(doc: SourceDocument, text: str) -> None:
    """``--fix``: the fixed article in place of ``doc``'s file, unless the file changed since it
    was read (compared again immediately before the rename, not only before the write)."""
    atomic_write(doc.path, text, bom=doc.bom, encoding=doc.encoding, expect=lambda: unchanged_since_read(doc))
