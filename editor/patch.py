"""``cleanup ARTICLE --diff``: the fixes as a unified diff that ``git apply`` and ``patch -p1`` accept.

The diff is of the file as it is on disk: its BOM is part of the first line, CRLF stays inside
its line, a last line without a newline is followed by ``\\ No newline at end of file`` (difflib
leaves that out, and both tools then refuse or corrupt the patch), and the bytes are in the
file's own encoding (a GBK article gets a GBK patch, which both tools apply byte for byte).
"""

from __future__ import annotations

import difflib
import os

from editor.document import InputError, SourceDocument

NO_EOL = "\\ No newline at end of file\n"


def split_lines(text: str) -> list[str]:
    """Lines with their ends; only "\\n" ends a line (as for git and patch), "\\r\\n" stays inside."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def patch_path(path: str) -> str:
    """The name in the ``---``/``+++`` lines: relative to the working folder when inside it
    (``git apply`` refuses ``..`` and absolute names), with ``/`` separators."""
    if path == "-":
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        rel = path
    if rel.startswith(".." + os.sep) or rel == ".." or os.path.isabs(rel):
        rel = path
    return rel.replace(os.sep, "/")


def unified_diff_text(old: str, new: str, path: str, context: int = 3) -> str:
    """The unified diff of ``old`` -> ``new`` (both the whole file, BOM included) as text; ""
    when they are equal."""
    if old == new:
        return ""
    name = patch_path(path)
    out = []
    for line in difflib.unified_diff(split_lines(old), split_lines(new), f"a/{name}", f"b/{name}", n=context):
        out.append(line if line.endswith("\n") else line + "\n" + NO_EOL)
    return "".join(out)


def file_patch(doc: SourceDocument, fixed_text: str) -> bytes:
    """The patch that turns ``doc``'s file into the file ``--fix`` would write, as bytes in the
    file's encoding (UTF-16/32 files get a UTF-8 patch: patch tools read lines as bytes)."""
    bom = "\ufeff" if doc.bom else ""
    text = unified_diff_text(bom + doc.text, bom + fixed_text, doc.path)
    encoding = doc.encoding if not doc.encoding.startswith(("utf-16", "utf-32")) else "utf-8"
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as e:
        ch = e.object[e.start]
        raise InputError(doc.path, f"cannot write {ch!r} (U+{ord(ch):04X}) in the file's encoding "
                                   f"({doc.encoding}); use --output to write UTF-8") from None
