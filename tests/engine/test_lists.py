"""Word lists in rules/lists/ as Python checks read them."""

import pytest

from editor.engine.lists import word_list, words


def test_lists_read_in_order_without_comments():
    be = word_list("be-forms")
    assert be[0] == "be" and "is" in be and not any(e.startswith("#") for e in be)
    assert words("be-forms") == frozenset(be)


def test_an_unknown_list_is_named():
    with pytest.raises(LookupError, match="@no-such-list"):
        words("no-such-list")


def test_a_rule_folder_without_lists_still_gets_the_shipped_ones(tmp_path, monkeypatch):
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "be-forms.txt").write_text("# a rule author's own list\nbe\nbeen\n")
    monkeypatch.setenv("CLEANUP_RULES", str(tmp_path))
    assert word_list("be-forms") == ("be", "been")  # the author's list wins
    assert "are" not in words("be-forms")
    assert len(words("time-and-amount-units")) > 4  # not in the author's folder: the shipped list
    with pytest.raises(LookupError, match="@no-such-list"):
        words("no-such-list")
