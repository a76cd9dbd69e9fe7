"""Which files to check: folders are searched for articles, respecting ``.gitignore`` and the
configuration's ``exclude`` globs.

- ``.gitignore`` files apply while searching a folder: those inside it, and those of its parent
  folders up to the root of the git repository it is in (plus ``.git/info/exclude``), with git's
  semantics (later and deeper patterns win, ``!`` re-includes). A file named on the command line
  is checked even if git ignores it.
- ``exclude`` patterns (gitignore-style globs, relative to the folder of the configuration file
  that applies to the file) apply to folder searches *and* to files named on the command line, so
  that pre-commit and "changed files" lists honour them.
- Hidden files and folders and tool folders (``node_modules``, virtualenvs, ...) are skipped.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import pathspec

from editor.config import Config, ConfigFinder
from editor.document import ARTICLE_SUFFIXES

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox"}


def _spec(lines: Iterable[str]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(list(lines))


class _Ignores:
    """The stack of .gitignore files that applies to one folder search."""

    def __init__(self):
        self._cache: dict[Path, pathspec.GitIgnoreSpec | None] = {}

    def spec_for_dir(self, folder: Path) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._cache:
            f = folder / ".gitignore"
            spec = None
            try:
                if f.is_file():
                    spec = _spec(f.read_text(encoding="utf-8", errors="replace").splitlines())
            except OSError:
                spec = None
            self._cache[folder] = spec
        return self._cache[folder]

    def ignored(self, path: Path, is_dir: bool, chain: list[tuple[Path, pathspec.GitIgnoreSpec]]) -> bool:
        """Deepest .gitignore with a matching pattern decides (as git does)."""
        for base, spec in reversed(chain):
            try:
                rel = path.relative_to(base).as_posix()
            except ValueError:
                continue
            r = spec.check_file(rel + "/" if is_dir else rel)
            if r.include is not None:
                return bool(r.include)
        return False


def _repo_root(folder: Path) -> Path | None:
    cur = folder
    while True:
        if (cur / ".git").exists():
            return cur
        if cur.parent == cur:
            return None
        cur = cur.parent


def _parent_chain(folder: Path, ignores: _Ignores) -> list[tuple[Path, pathspec.GitIgnoreSpec]]:
    """The .gitignore files above ``folder`` (repo root first), and .git/info/exclude."""
    root = _repo_root(folder)
    if root is None:
        return []
    chain: list[tuple[Path, pathspec.GitIgnoreSpec]] = []
    info = root / ".git" / "info" / "exclude"
    try:
        if info.is_file():
            chain.append((root, _spec(info.read_text(encoding="utf-8", errors="replace").splitlines())))
    except OSError:
        pass
    parts = folder.relative_to(root).parts
    cur = root
    for i in range(len(parts)):
        spec = ignores.spec_for_dir(cur)
        if spec is not None:
            chain.append((cur, spec))
        cur = cur / parts[i]
    return chain


class Excluder:
    """``exclude`` globs of the configuration that applies to each file."""

    def __init__(self, finder: ConfigFinder | None):
        self.finder = finder
        self._specs: dict[int, tuple[Config, pathspec.GitIgnoreSpec]] = {}

    def excluded(self, path: Path, is_dir: bool = False) -> bool:
        if self.finder is None:
            return False
        cfg = self.finder.for_path(path if is_dir else path.parent)
        if not cfg.exclude:
            return False
        key = id(cfg)
        if key not in self._specs:
            self._specs[key] = (cfg, _spec(cfg.exclude))
        spec = self._specs[key][1]
        base = cfg.root or Path.cwd()
        absolute = path.absolute()
        try:
            rel = absolute.relative_to(base.absolute()).as_posix()
        except ValueError:
            rel = os.path.relpath(absolute, base.absolute()).replace(os.sep, "/")
        return spec.match_file(rel + "/" if is_dir else rel)


def collect(paths: Iterable[str], finder: ConfigFinder | None = None,
            gitignore: bool = True) -> tuple[list[str], list[tuple[str, str]]]:
    """Expand files and folders into article paths; return (articles, [(path, error)]).

    ``finder`` supplies the configuration (its ``exclude``) for each file; without one nothing
    is excluded by configuration.
    """
    articles: list[str] = []
    errors: list[tuple[str, str]] = []
    ignores = _Ignores()
    excluder = Excluder(finder)
    add = articles.append  # paths are kept as given (a file named twice is checked twice)

    for given in paths:
        p = Path(given)
        if p.is_dir():
            found, skipped = _walk(p, ignores, excluder, gitignore)
            if not found and not skipped:
                errors.append((given, "no articles here (looked for *.md, *.markdown, *.txt)"))
            for f in found:
                add(f)
        elif not p.exists():
            errors.append((given, "no such file or directory"))
        elif excluder.excluded(p):
            continue
        else:
            add(given)
    return articles, errors


def _walk(top: Path, ignores: _Ignores, excluder: Excluder, gitignore: bool) -> tuple[list[str], int]:
    found: list[str] = []
    skipped = 0
    absolute_top = top.absolute()
    chains: dict[str, list[tuple[Path, pathspec.GitIgnoreSpec]]] = {}
    if gitignore:
        chains[str(top)] = _parent_chain(absolute_top, ignores)
    for root, dirs, files in os.walk(top):
        root_abs = Path(os.path.abspath(root))
        chain = chains.get(root, [])
        if gitignore:
            spec = ignores.spec_for_dir(root_abs)
            if spec is not None:
                chain = chain + [(root_abs, spec)]
        keep = []
        for d in sorted(dirs):
            if d in SKIP_DIRS or d.startswith("."):
                continue
            dp = root_abs / d
            if gitignore and chain and ignores.ignored(dp, True, chain):
                skipped += 1
                continue
            if excluder.excluded(Path(root) / d, is_dir=True):
                skipped += 1
                continue
            keep.append(d)
            chains[os.path.join(root, d)] = chain
        dirs[:] = keep
        for name in sorted(files):
            if not name.lower().endswith(ARTICLE_SUFFIXES) or name.startswith("."):
                continue
            fp = os.path.join(root, name)
            if gitignore and chain and ignores.ignored(root_abs / name, False, chain):
                skipped += 1
                continue
            if excluder.excluded(Path(fp)):
                skipped += 1
                continue
            found.append(fp)
    return found, skipped


__all__ = ["collect", "Excluder", "SKIP_DIRS"]
