"""Word maps for Python checks: list files whose lines pair a word with another.

A pair list is a file in ``rules/lists/`` (read through :func:`editor.engine.lists.word_list`)
whose entries are ``KEY: VALUE`` lines, e.g. ``is: 3sg`` or ``child: children``; a key may have
several words (``as long as: possible``).
"""

from __future__ import annotations

from editor.engine.lists import word_list


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
