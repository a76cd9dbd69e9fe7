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
