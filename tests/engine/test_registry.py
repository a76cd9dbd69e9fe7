"""Discovering rule files and selecting rules by code prefix."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from editor.engine.registry import build_ruleset, load_rules, rules_dir, selected
from editor.engine.schema import RuleFileError

ROOT = Path(__file__).resolve().parents[2]
sys_rules = ROOT / "rules"


def rule_file(code: str, name: str, default: bool = True) -> str:
    return textwrap.dedent(f"""\
        code: {code}
        name: {name}
        category: style
        severity: info
        kind: phrase
        default: {"true" if default else "false"}
        phrases: [zzz {name}]
        message: A toy rule for the registry tests.
        docs: {{what: a toy rule, why: for tests only, fix: no fix at all}}
        examples:
          - flag: "[[zzz {name}]]"
          - allow: "nothing"
        """)


@pytest.fixture
def folder(tmp_path):
    f = tmp_path / "rules"
    (f / "lists").mkdir(parents=True)
    (f / "lists" / "not-a-rule.yaml").write_text("this: is not a rule file\n")
    (f / "mt").mkdir()
    for code, name, default in [("MT101", "aa", True), ("MT102", "bb", True), ("MT201", "cc", True),
                                ("MT301", "dd", False), ("ST101", "ee", True)]:
        (f / "mt" / f"{name}.yaml").write_text(rule_file(code, name, default))
    return f


def test_rules_dir_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CLEANUP_RULES", str(tmp_path))
    assert rules_dir() == tmp_path.resolve()
    monkeypatch.delenv("CLEANUP_RULES")
    assert rules_dir().name in ("rules", "_rules")


def test_load_rules_discovers_files_and_skips_lists(folder):
    rules = load_rules(folder)
    assert sorted(r.code for r in rules) == ["MT101", "MT102", "MT201", "MT301", "ST101"]
    assert all(r.path.parent.name == "mt" for r in rules)


def test_load_rules_follows_the_environment(folder, monkeypatch):
    monkeypatch.setenv("CLEANUP_RULES", str(folder))
    assert len(load_rules()) == 5


def test_missing_folder(tmp_path):
    with pytest.raises(RuleFileError) as ei:
        load_rules(tmp_path / "nope")
    assert "nope" in str(ei.value)


def _codes(folder, select=None, ignore=None):
    return sorted(r.code for r in load_rules(folder) if selected(r, select, ignore))


def test_selection_by_code_prefix(folder):
    assert _codes(folder) == ["MT101", "MT102", "MT201", "ST101"]  # opt-in MT301 is off
    assert _codes(folder, select=["MT"]) == ["MT101", "MT102", "MT201"]
    assert _codes(folder, select=["MT1"]) == ["MT101", "MT102"]
    assert _codes(folder, select=["MT1", "ST"]) == ["MT101", "MT102", "ST101"]
    assert _codes(folder, ignore=["MT1"]) == ["MT201", "ST101"]
    assert _codes(folder, select=["MT"], ignore=["MT102"]) == ["MT101", "MT201"]
    # an exact selection wins over a broader ignore
    assert _codes(folder, select=["MT102"], ignore=["MT"]) == ["MT102"]
    # opt-in rules need their exact code or ALL
    assert _codes(folder, select=["MT3"]) == []
    assert _codes(folder, select=["MT301"]) == ["MT301"]
    assert _codes(folder, select=["ALL"]) == ["MT101", "MT102", "MT201", "MT301", "ST101"]
    assert _codes(folder, ignore=["ALL"]) == []


def test_build_ruleset_is_cached_per_folder_and_selection(folder):
    import spacy

    nlp = spacy.blank("en")
    a = build_ruleset(nlp, select=["MT"], folder=folder)
    assert build_ruleset(nlp, select=["MT"], folder=folder) is a
    b = build_ruleset(nlp, select=["ST"], folder=folder)
    assert b is not a
    assert sorted(a.by_code) == ["MT101", "MT102", "MT201"]
    assert sorted(b.by_code) == ["ST101"]


def test_the_shipped_starter_rules_load(tmp_path):
    dst = tmp_path / "rules"
    shutil.copytree(sys_rules / "starter", dst / "starter")
    shutil.copytree(sys_rules / "lists", dst / "lists")
    rules = load_rules(dst)
    assert {"ST101", "ST102", "ST103"} <= {r.code for r in rules}
    assert {r.kind for r in rules} >= {"phrase", "token-pattern", "dependency-pattern"}
