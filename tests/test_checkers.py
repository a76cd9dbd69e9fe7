"""editor.checkers: the one place checkers are built, and each file's settings resolved once."""

from __future__ import annotations

import ast
from pathlib import Path

from editor.checkers import CheckerFactory, CheckerPool, effective
from editor.config import Config, ConfigFinder

ROOT = Path(__file__).resolve().parents[1]


def test_only_editor_checkers_builds_checkers():
    builders = []
    for path in sorted((ROOT / "editor").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Checker":
                builders.append(str(path.relative_to(ROOT)))
    assert builders == ["editor/checkers.py"]


def test_effective_settings_put_the_command_line_on_top():
    raw = Config(select=["MT"], extend_select=["ST101"], ignore=["MT3"], dialect="gb")
    assert effective(raw).select == ["MT", "ST101"]
    assert effective(raw, extend_select=["ST102"]).select == ["MT", "ST101", "ST102"]
    cli = effective(raw, select=["ST"], ignore=[], dialect=None)
    assert (cli.select, cli.ignore, cli.dialect) == (["ST"], [], "gb")  # --select replaces extend-select too
    assert effective(raw, report_unused_suppressions=True).report_unused_suppressions is True


def test_a_pool_resolves_each_configuration_once_and_shares_rule_sets(tmp_path, nlp):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "cleanup.toml").write_text('[severity]\nMT = "error"\n', encoding="utf-8")
    pool = CheckerPool(ConfigFinder(), CheckerFactory(harper=False), ignore=["ST106"])
    (c1, s1), (c2, s2) = pool.for_file(tmp_path / "a" / "x.md"), pool.for_file(tmp_path / "a" / "y.md")
    assert c1 is c2 and s1 is s2  # same configuration: resolved once
    c3, s3 = pool.for_file(tmp_path / "b" / "z.md")
    assert c3 is not c1 and c3.ruleset is c1.ruleset  # another configuration, the same selection
    assert s3.severity == {"MT": "error"} and s3.ignore == ["ST106"] and c3.settings is s3
