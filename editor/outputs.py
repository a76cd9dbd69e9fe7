"""Where ``cleanup ARTICLE`` writes: the fixed article (``--output``) and each HTML report.

Planned before anything is checked, so that a bad plan writes nothing:

- no output is ever written over an article of the run (``cleanup A.md --report A.md``, a
  symlink or hard link to it, ``--output`` naming the article itself): one line, exit 2;
- each article gets its own report: in a report folder (``--report DIR``, several articles, or
  the configuration's ``report-dir``) at its path below the articles' common folder, so that
  ``a/index.md`` and ``b/index.md`` do not overwrite each other's report.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from editor.paths import Inputs, clash_message, display

REPORT_SUFFIX = ".cleanup.html"


class OutputClash(Exception):
    """An output path is an article of the run (one line)."""


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
