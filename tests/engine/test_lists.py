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


def test_a_malformed_list_of_a_rule_folder_is_one_line_and_exit_2(tmp_path):
    """A rule author's broken pair list: the rule file and the list are named, no traceback."""
    import shutil
    import subprocess
    import sys

    from editor.engine.registry import SOURCE_RULES

    folder = tmp_path / "rules"
    shutil.copytree(SOURCE_RULES, folder)
    (folder / "lists" / "irregular-past.txt").write_text("# broken\ngo went\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("Hello there.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "editor", "check", "a.md"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env={**__import__("os").environ, "CLEANUP_RULES": str(folder)})
    assert done.returncode == 2, done.stderr
    assert "@irregular-past" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
