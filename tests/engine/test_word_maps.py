"""Pair lists in rules/lists/ ("KEY: VALUE" lines) as the grammar and sentence checks read them."""

from __future__ import annotations

import pytest

from editor.checks.inflection import PLURAL_TO_SINGULAR, SINGULAR_TO_PLURAL
from editor.engine.lists import word_groups, word_pairs


@pytest.fixture
def lists(tmp_path, monkeypatch):
    (tmp_path / "lists").mkdir()
    monkeypatch.setenv("CLEANUP_RULES", str(tmp_path))

    def write(name, text):
        (tmp_path / "lists" / f"{name}.txt").write_text(text, encoding="utf-8")
    return write


def test_pairs_keep_file_order_and_multi_word_keys(lists):
    lists("p", "# comment\nis: 3sg\nas long as: possible  # trailing comment\nwas: past\n")
    assert list(word_pairs("p").items()) == [("is", "3sg"), ("as long as", "possible"), ("was", "past")]


def test_groups_gather_the_words_of_each_key(lists):
    lists("g", "if: so\nif: necessary\nonce: again\n")
    assert word_groups("g") == {"if": frozenset({"so", "necessary"}), "once": frozenset({"again"})}


@pytest.mark.parametrize("text, error", [
    ("is 3sg\n", "not a 'KEY: VALUE' line"),
    ("is:\n", "not a 'KEY: VALUE' line"),
    ("is: 3sg\nis: pl\n", "a key appears twice"),
])
def test_malformed_pair_lists_are_refused(lists, text, error):
    lists("bad", text)
    with pytest.raises(ValueError, match=error):
        word_pairs("bad")


def test_verb_agreement_reads_one_list_both_ways():
    assert SINGULAR_TO_PLURAL["doesn't"] == "don't" and PLURAL_TO_SINGULAR["don't"] == "doesn't"
    assert {v: k for k, v in PLURAL_TO_SINGULAR.items()} == SINGULAR_TO_PLURAL
