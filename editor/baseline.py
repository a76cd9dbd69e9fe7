"""Baselines: record today's findings, then report only new ones.

A finding's fingerprint is its rule, its flagged text (case-folded, whitespace collapsed) and the
words around it in its paragraph (up to three before, three after), hashed. Line numbers and offsets are not part of it,
so findings survive lines moving, paragraphs being added above them, and line endings changing.
The same fingerprint may occur several times in a file: the baseline counts them, and only the
occurrences beyond the recorded count are new.

File format (JSON, written atomically)::

    {"version": 1, "tool": "cleanup",
     "files": {"docs/a.md": [{"rule": "MT301", "text": "is also need to", "fingerprint": "…", "count": 1}]}}

Paths are relative to the baseline file's folder (POSIX separators), so the baseline works from
any working directory and on any checkout location.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path

from editor.findings import Finding

VERSION = 1
CONTEXT_WORDS = 3
_WORD = re.compile(r"\w+(?:['’]\w+)*")


class BaselineError(Exception):
    """A baseline file that cannot be read: one line naming the file."""

    def __init__(self, path: str | os.PathLike, problem: str):
        self.path = str(path)
        super().__init__(f"{self.path}: {problem}")


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


_BLANK_LINE = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")


def fingerprint(f: Finding, text: str, context: int = CONTEXT_WORDS) -> str:
    window_before = text[max(0, f.span.start - 200):f.span.start]
    cuts = list(_BLANK_LINE.finditer(window_before))
    if cuts:  # the context stays inside the paragraph: a paragraph added above changes nothing
        window_before = window_before[cuts[-1].end():]
    window_after = text[f.span.end:f.span.end + 200]
    cut = _BLANK_LINE.search(window_after)
    if cut:
        window_after = window_after[:cut.start()]
    before = [w.casefold() for w in _WORD.findall(window_before)][-context:]
    after = [w.casefold() for w in _WORD.findall(window_after)][:context]
    flagged = _norm(text[f.span.start:f.span.end])
    key = "\x1f".join([f.rule, flagged, " ".join(before), " ".join(after)])
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _key(path: str | os.PathLike, base: Path) -> str:
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.relpath(absolute, base)).as_posix()


class Baseline:
    def __init__(self, path: str | os.PathLike, files: dict[str, Counter] | None = None):
        self.path = Path(path)
        self.base = Path(os.path.abspath(self.path)).parent
        self.files: dict[str, Counter] = files or {}

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Baseline":
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BaselineError(path, "baseline file not found (create it with --write-baseline)") from None
        except (OSError, UnicodeDecodeError) as e:
            raise BaselineError(path, f"cannot read baseline: {getattr(e, 'strerror', None) or e}") from None
        except json.JSONDecodeError as e:
            raise BaselineError(path, f"not a baseline file: invalid JSON at line {e.lineno}") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("files"), dict):
            raise BaselineError(path, f"not a cleanup baseline (version {VERSION}) file")
        files: dict[str, Counter] = {}
        for name, items in data["files"].items():
            if not isinstance(items, list):
                raise BaselineError(path, f"bad entry for {name!r}: expected a list")
            c: Counter = Counter()
            for it in items:
                if not isinstance(it, dict) or not isinstance(it.get("fingerprint"), str):
                    raise BaselineError(path, f"bad entry for {name!r}: each finding needs a fingerprint")
                n = it.get("count", 1)
                if not isinstance(n, int) or n < 1:
                    raise BaselineError(path, f"bad count for {name!r}")
                c[it["fingerprint"]] += n
            files[name] = c
        return cls(path, files)

    def new_findings(self, file_path: str, findings: list[Finding], text: str) -> list[Finding]:
        """The findings not recorded in the baseline for this file."""
        known = Counter(self.files.get(_key(file_path, self.base), Counter()))
        out = []
        for f in findings:
            fp = fingerprint(f, text)
            if known[fp] > 0:
                known[fp] -= 1
            else:
                out.append(f)
        return out

    def __len__(self) -> int:
        return sum(sum(c.values()) for c in self.files.values())


def baseline_json(path: str | os.PathLike, entries: list[tuple[str, list[Finding], str]]) -> str:
    """The baseline file for ``entries``: (file path, findings, file text)."""
    base = Path(os.path.abspath(path)).parent
    files: dict[str, list] = {}
    for file_path, findings, text in entries:
        counts: Counter = Counter()
        first: dict[str, Finding] = {}
        for f in findings:
            fp = fingerprint(f, text)
            counts[fp] += 1
            first.setdefault(fp, f)
        if not counts:
            continue
        items = []
        for fp, f in sorted(first.items(), key=lambda kv: (kv[1].span.start, kv[1].rule)):
            items.append({"rule": f.rule, "text": text[f.span.start:f.span.end], "fingerprint": fp,
                          "count": counts[fp]})
        files[_key(file_path, base)] = items
    data = {"version": VERSION, "tool": "cleanup", "files": dict(sorted(files.items()))}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_baseline(path: str | os.PathLike, entries: list[tuple[str, list[Finding], str]]) -> int:
    """Write the baseline atomically; return the number of findings recorded."""
    from editor.writer import atomic_write

    atomic_write(path, baseline_json(path, entries))
    return sum(len(fs) for _, fs, _ in entries)


__all__ = ["Baseline", "BaselineError", "fingerprint", "write_baseline", "baseline_json"]
