"""Where ``cleanup ARTICLE`` writes: the fixed article (``--output``) and each HTML report.

Planned before anything is checked, so that a bad plan writes nothing:

- no output is ever written over an article of the run (``cleanup A.md --report A.md``, a
  symlink or hard link to it, ``--output`` naming the article itself): one line, exit 2;
- each article gets its own report: in a report folder (``--report DIR``, several articles, or
  the configuration's ``report-dir``) at its path below the articles' common folder, so that
  ``a/index.md`` and ``b/index.md`` do not overwrite each other's report;
- no file that cleanup did not write is replaced (:func:`refuse_foreign`): an existing report is
  written over (the normal re-run), any other file is left as it is unless ``--force`` says so
  (``cleanup C1.md --report C2.md`` with C2.md an article: one line, exit 2). Each kind of
  output is recognised by what cleanup writes at its top: the report's and the batch index's
  ``<meta name="generator" content="cleanup …">``, the batch summary's and the baseline's first
  keys, the batch table's header row. An empty file holds nothing to lose and is written over.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from editor.paths import Inputs, clash_message, display

REPORT_SUFFIX = ".cleanup.html"


class OutputClash(Exception):
    """An output path is an article of the run, or a file cleanup did not write (one line)."""


GENERATOR = '<meta name="generator" content="cleanup'
HEAD_BYTES = 8192  # every marker below is within the first lines of what cleanup writes

#: kind of output -> (what it is called, a test of the file's first HEAD_BYTES as text)
KINDS: dict[str, tuple[str, Callable[[str], bool]]] = {
    "report": ("a cleanup report", lambda head: GENERATOR in head),
    "batch index": ("a cleanup batch index",
                    lambda head: GENERATOR in head or "<title>cleanup batch:" in head),
    "batch summary": ("a cleanup batch summary",
                      lambda head: head.lstrip().startswith("{") and '"complete":' in head and '"articles":' in head),
    "batch table": ("a cleanup batch table", lambda head: head.startswith("rank,path,title,status,")),
    "baseline": ("a cleanup baseline", lambda head: head.lstrip().startswith("{") and '"tool": "cleanup"' in head),
}


def refuse_foreign(path: str | os.PathLike, kind: str, force: bool = False) -> None:
    """OutputClash unless ``path`` may be written over: it does not exist (or is empty, or a
    folder, which the writer refuses itself), it is ``kind`` of file as cleanup writes it, or
    ``force`` says to overwrite it anyway."""
    name, ours = KINDS[kind]
    if force or not os.path.exists(path) or os.path.isdir(path):
        return
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as e:
        raise OutputClash(f"{display(path)}: exists and cannot be read ({e.strerror or e}), so it may not be "
                          f"{name}; not overwritten (--force overwrites it)") from None
    if not head:
        return
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not ours(text):
        raise OutputClash(f"{display(path)}: exists and is not {name}; not overwritten (--force overwrites it)")


def refuse_foreign_reports(reports: dict[str, tuple[str, str | None]], force: bool = False) -> None:
    """:func:`refuse_foreign` for every report of the run, before anything is written."""
    for target, _ in reports.values():
        refuse_foreign(target, "report", force)


def names_below_common_folder(paths: list[str]) -> dict[str, str]:
    """Each path relative to the folder that holds all of them (``x/a.md``, ``y/a.md``)."""
    if not paths:
        return {}
    absolute = {p: os.path.abspath(p) for p in paths}
    root = os.path.commonpath([os.path.dirname(a) for a in absolute.values()])
    return {p: os.path.relpath(a, root) for p, a in absolute.items()}


def report_targets(paths: list[str], explicit: str | None, folder_of: Callable[[str], str | None]
                   ) -> dict[str, tuple[str, str | None]]:
    """``path -> (report file, report folder to create or None)``. ``explicit`` is ``--report``;
    ``folder_of(path)`` the configuration's report folder for the article (or None)."""
    below = names_below_common_folder(paths)
    out: dict[str, tuple[str, str | None]] = {}
    for path in paths:
        where = explicit or folder_of(path)
        if where is None:
            out[path] = (path + REPORT_SUFFIX, None)
            continue
        folder = Path(where)
        if len(paths) > 1 or folder.is_dir() or where.endswith(("/", os.sep)):
            target = folder / (below[path] + REPORT_SUFFIX)
            out[path] = (str(target), str(target.parent))
        else:
            out[path] = (where, None)
    return out


def refuse_clashes(paths: list[str], output: str | None, reports: dict[str, tuple[str, str | None]]) -> None:
    """OutputClash when ``--output`` or a report would be written over an article of the run."""
    inputs = Inputs(paths)
    if output:
        hit = inputs.clash(output)
        if hit is not None:
            raise OutputClash(clash_message(output, hit, "--output") + " (--fix fixes an article in place)")
    for target, _ in reports.values():
        hit = inputs.clash(target)
        if hit is not None:
            raise OutputClash(clash_message(target, hit, "the report"))


def prepare_folder(folder: str | None) -> None:
    """Create a report folder (and the subfolders of the articles' paths) before writing."""
    if folder is None or os.path.isdir(folder):
        return
    from editor.document import InputError

    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise InputError(display(folder), f"cannot create report folder: {e.strerror or e}") from None
