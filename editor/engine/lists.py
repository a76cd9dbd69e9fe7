"""Word lists: ``rules/lists/NAME.txt``, one entry a line, ``#`` starts a comment.

A pair list has ``KEY: VALUE`` lines (``is: 3sg``, ``child: children``; a key may have several
words): :func:`word_pairs` reads one value a key, :func:`word_groups` gathers the values of a key.

Rule files reference a list as ``"@NAME"`` inside an IN/NOT_IN list (or wherever a rule kind takes
words); Python checks read the same files through :func:`word_list` / :func:`words`, so that every
list of words the checker knows is data a newcomer can read and change without touching code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


def lists_dir() -> Path:
    """``lists/`` inside the rule folder in use (see editor.engine.registry.rules_dir)."""
    from editor.engine.registry import rules_dir

    return rules_dir() / "lists"


def read_list(path: Path) -> tuple[str, ...]:
    """The entries of one list file, in order (blank lines and comments dropped)."""
    entries = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return tuple(entries)


@lru_cache(maxsize=None)
def _list_in(folder: Path, name: str) -> tuple[str, ...]:
    path = folder / f"{name}.txt"
    if not path.is_file():
        raise LookupError(f"unknown word list @{name} (no {path})")
    return read_list(path)


def _folder_with(name: str) -> Path:
    """The rule folder's ``lists/`` if it has NAME, else the shipped one: a rule author's folder
    ($CLEANUP_RULES) need not copy the lists the built-in Python checks read."""
    folder = lists_dir()
    if not (folder / f"{name}.txt").is_file():
        from editor.engine.registry import PACKAGE_RULES, SOURCE_RULES

        shipped = (PACKAGE_RULES if PACKAGE_RULES.is_dir() else SOURCE_RULES) / "lists"
        if (shipped / f"{name}.txt").is_file():
            return shipped
    return folder


def word_list(name: str) -> tuple[str, ...]:
    """The entries of ``rules/lists/NAME.txt`` in file order (for lists whose order matters)."""
    return _list_in(_folder_with(name), name)


def words(name: str) -> frozenset[str]:
    """The entries of ``rules/lists/NAME.txt`` as a set (membership tests in checks)."""
    return _words_in(_folder_with(name), name)


@lru_cache(maxsize=None)
def _words_in(folder: Path, name: str) -> frozenset[str]:
    return frozenset(_list_in(folder, name))


# ``KEY: VALUE`` lists: a word paired with another (``child: children``, ``if: so``)


def _pair(entry: str, name: str) -> tuple[str, str]:
    key, sep, value = entry.partition(":")
    if not sep or not key.strip() or not value.strip():
        raise ValueError(f"@{name}: {entry!r} is not a 'KEY: VALUE' line")
    return key.strip(), value.strip()


def word_pairs(name: str) -> dict[str, str]:
    """``rules/lists/NAME.txt`` read as ``KEY: VALUE`` lines, in file order (one value a key)."""
    pairs = [_pair(entry, name) for entry in word_list(name)]
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError(f"@{name}: a key appears twice")
    return out


def word_groups(name: str) -> dict[str, frozenset[str]]:
    """``KEY: WORD`` lines gathered by key: ``if: so`` and ``if: necessary`` give
    ``{"if": {"so", "necessary"}}`` (keys in file order)."""
    groups: dict[str, set[str]] = {}
    for entry in word_list(name):
        key, value = _pair(entry, name)
        groups.setdefault(key, set()).add(value)
    return {key: frozenset(values) for key, values in groups.items()}
