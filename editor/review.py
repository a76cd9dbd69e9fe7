"""A review exported from the HTML report (``Export review``: ``ARTICLE.review.json``), as fixes.

The report's page applies what the editor accepted with its own JavaScript; this module is the
Python reading of the same file, so that the page's download can be held to
:func:`editor.fixes.apply_fixes` and a shared review can be applied outside a browser::

    {"format": "cleanup-review", "version": 1, "path": "a.md", "hash": "<sha256 of the text>",
     "decisions": [{"key": "MT201@10-25", "id": 3, "rule": "MT201", "start": 10, "end": 25,
                    "decision": "accepted" | "rejected" | "undecided",
                    "choice": {"id": 3, "rule": "MT201", "fix": 1} | "custom",
                    "custom": {"start": 10, "end": 25, "replacement": "the editor's own text"}}],
     "edits": [{"start": 40, "end": 52, "replacement": "…", "decision": "accepted" | "rejected"}]}

``choice.id`` is the index of the finding whose fix ``choice.fix`` was chosen (findings with the
same span are one card in the page, and any of their fixes may be chosen). ``edits`` are rewrites
of text the editor selected in the article. The fixes are listed as the page lists them: accepted
decisions in finding order, then accepted edits in the order they were made; ``apply_fixes`` then
takes them in source order and skips one that overlaps an earlier one, as ``--fix`` does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from editor.document import InputError, content_hash
from editor.findings import Applicability, Edit, Finding, Fix, Span
from editor.fixes import FixResult, apply_fixes

FORMAT = "cleanup-review"


def load_review(path: str | Path) -> dict:
    """A review file, checked for its shape (InputError naming the file otherwise)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(path, f"not a review file: {e}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(path, "not a cleanup review file (its 'format' is not 'cleanup-review')")
    return data


def _span(d: dict, length: int) -> Span:
    start, end = d.get("start"), d.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= length):
        raise ValueError(f"bad range {start!r}-{end!r}")
    return Span(start, end)


def review_fixes(text: str, findings: Sequence[Finding], review: dict) -> list[Fix]:
    """The fixes the review accepts, in the order the report's page gives them to its copy of
    ``apply_fixes``. Raises ValueError when the review is of another text or points nowhere."""
    if review.get("hash") not in (None, content_hash(text)):
        raise ValueError("the review is of another version of the article (its text differs)")
    out: list[Fix] = []
    items = sorted((d for d in review.get("decisions") or () if d.get("decision") == "accepted"),
                   key=lambda d: d.get("id", 0))
    for d in items:
        choice = d.get("choice")
        if choice == "custom":
            custom = d.get("custom") or {}
            out.append(Fix((Edit(_span(custom, len(text)), str(custom.get("replacement", ""))),),
                           Applicability.UNSAFE, "the editor's rewrite"))
            continue
        if not isinstance(choice, dict):
            raise ValueError(f"decision {d.get('key')!r}: no choice")
        fid, k = choice.get("id"), choice.get("fix")
        if not (isinstance(fid, int) and 0 <= fid < len(findings)) or not (isinstance(k, int) and 0 <= k < len(findings[fid].fixes)):
            raise ValueError(f"decision {d.get('key')!r}: no fix {k!r} of finding {fid!r}")
        if findings[fid].rule != choice.get("rule"):
            raise ValueError(f"decision {d.get('key')!r}: finding {fid} is {findings[fid].rule}, not {choice.get('rule')}")
        out.append(findings[fid].fixes[k])
    for e in review.get("edits") or ():
        if e.get("decision", "accepted") == "accepted":
            out.append(Fix((Edit(_span(e, len(text)), str(e.get("replacement", ""))),), Applicability.UNSAFE,
                           "the editor's edit"))
    return out


def apply_review(text: str, findings: Sequence[Finding], review: dict) -> FixResult:
    """The reviewed article: ``apply_fixes`` with the review's fixes."""
    return apply_fixes(text, review_fixes(text, findings, review))
