"""Writing files without ever losing the user's text: temporary file, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from editor.document import InputError, SourceDocument, content_hash


def atomic_write(path: str | os.PathLike, text: str, bom: bool = False, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically, in ``encoding`` (InputError naming the path on failure,
    including a character the encoding cannot hold)."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    data = ("\ufeff" if bom else "") + text
    if encoding != "utf-8":
        from editor.document import encode_article

        encode_article(text, SourceDocument(path=str(path), text="", bom=bom, encoding=encoding))  # raises early
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise InputError(path, f"cannot write: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if p.exists():
            try:
                os.chmod(tmp, p.stat().st_mode & 0o7777)
            except OSError:
                pass
        else:
            os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, p)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise InputError(path, f"cannot write: {e.strerror or e}") from None


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
