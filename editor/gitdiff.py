"""Pull-request mode: which lines changed since a git ref (``--diff-base REF``).

The comparison is between the working tree and the merge base of REF and HEAD (what a pull
request shows: ``git diff REF...`` plus uncommitted changes); when there is no merge base, REF
itself. Untracked files that git does not ignore count as wholly changed. A finding is kept when
any line it spans was added or changed.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
ALL_LINES = None  # marker in the result: every line of the file changed (new/untracked)


class GitDiffError(Exception):
    """A one-line problem with --diff-base (not a repository, unknown ref, git missing)."""


def _git(args: list[str], cwd: Path) -> str:
    env = dict(os.environ, LC_ALL="C", GIT_TERMINAL_PROMPT="0")
    try:
        proc = subprocess.run(["git", "-c", "core.quotePath=false", *args], cwd=cwd, capture_output=True,
                              env=env, timeout=120)
    except FileNotFoundError:
        raise GitDiffError("--diff-base needs git, and git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitDiffError(f"git {args[0]} took too long") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitDiffError(msg[0] if msg else f"git {args[0]} failed (exit {proc.returncode})")
    return proc.stdout.decode("utf-8", "surrogateescape")


def repo_root(start: Path) -> Path:
    try:
        out = _git(["rev-parse", "--show-toplevel"], start)
    except GitDiffError:
        raise GitDiffError(f"{start}: not inside a git repository (needed for --diff-base)") from None
    return Path(out.strip())


def _unquote(path: str) -> str:
    """Undo git's C-style quoting of unusual path names ("a\\tb", octal escapes)."""
    if not (path.startswith('"') and path.endswith('"')):
        return path
    body = path[1:-1]
    raw = bytearray()
    i = 0
    simple = {"n": b"\n", "t": b"\t", '"': b'"', "\\": b"\\", "a": b"\a", "b": b"\b", "f": b"\f", "r": b"\r", "v": b"\v"}
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            if n in simple:
                raw += simple[n]
                i += 2
                continue
            if re.match(r"[0-7]{3}", body[i + 1:i + 4]):
                raw.append(int(body[i + 1:i + 4], 8))
                i += 4
                continue
        raw += c.encode("utf-8", "surrogateescape")
        i += 1
    return raw.decode("utf-8", "surrogateescape")


def parse_diff(diff: str) -> dict[str, set[int]]:
    """``git diff --unified=0`` output → {path relative to the repo: new-side line numbers}."""
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = line[4:].rstrip("\t")
            if target == "/dev/null":
                current = None
                continue
            target = _unquote(target)
            if target.startswith("b/"):
                target = target[2:]
            current = changed.setdefault(target, set())
            continue
        m = _HUNK.match(line)
        if m and current is not None:
            start = int(m.group(1))
            count = int(m.group(2)) if m.group(2) is not None else 1
            current.update(range(start, start + count))
    return changed


class ChangedLines:
    """The lines changed since ``ref`` in the repository that contains ``cwd``."""

    def __init__(self, ref: str, cwd: Path | str = "."):
        if not ref or ref.startswith("-"):
            raise GitDiffError(f"--diff-base: not a git ref: {ref!r}")
        cwd = Path(cwd).absolute()
        self.root = repo_root(cwd).resolve()
        try:
            _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], self.root)
        except GitDiffError:
            raise GitDiffError(f"--diff-base: unknown git ref {ref!r}") from None
        base = ref
        try:
            base = _git(["merge-base", ref, "HEAD"], self.root).strip() or ref
        except GitDiffError:
            pass  # no common history (or no HEAD yet): compare with REF itself
        diff = _git(["diff", "--no-color", "--no-ext-diff", "--unified=0", "--no-renames",
                     "--src-prefix=a/", "--dst-prefix=b/", base, "--"], self.root)
        self.lines: dict[str, set[int] | None] = dict(parse_diff(diff))
        for name in _git(["ls-files", "--others", "--exclude-standard", "-z"], self.root).split("\0"):
            if name:
                self.lines[name] = ALL_LINES

    def _rel(self, path: str | os.PathLike) -> str | None:
        p = Path(os.path.abspath(path))
        try:
            p = p.resolve()
        except OSError:
            pass
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            return None

    def changed(self, path: str | os.PathLike) -> set[int] | None | bool:
        """The changed lines of ``path``: a set, None for "all of it", False for "none"."""
        rel = self._rel(path)
        if rel is None or rel not in self.lines:
            return False
        return self.lines[rel]

    def filter(self, path: str | os.PathLike, findings: list, line_index) -> list:
        """The findings that touch a changed line (``line_index``: the document's LineIndex)."""
        changed = self.changed(path)
        if changed is False:
            return []
        if changed is ALL_LINES:
            return list(findings)
        out = []
        for f in findings:
            first = line_index.position(f.span.start)[0]
            last = line_index.position(max(f.span.start, f.span.end - 1))[0] if f.span.end > f.span.start else first
            if any(n in changed for n in range(first, last + 1)):
                out.append(f)
        return out


__all__ = ["ChangedLines", "GitDiffError", "parse_diff", "repo_root"]
