"""Meta-test: where a rule file lives and what it is called follow from its code.

Every rule file is ``<folder>/<CODE>-<name>.yaml``; its folder, its code (prefix and range) and its
category agree with one row of LAYOUT. The table is written once, here, from the rules as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from editor.engine import load_rules
from editor.engine.registry import SOURCE_RULES

# folder under rules/, codes it holds, categories those rules may have
LAYOUT = (
    ("boilerplate", r"BP1\d\d", {"boilerplate"}),
    ("builtin", r"CU\d\d\d", {"style"}),  # fed by the configuration or found by a pipeline stage
    ("typography", r"TY1\d\d", {"typography", "punctuation"}),
    ("starter", r"ST1\d\d", {"grammar", "spelling", "style"}),
    ("mt/lexical", r"MT1\d\d", {"calque"}),
    ("mt/grammar", r"MT2\d\d", {"grammar"}),
    ("mt/structure", r"MT3\d\d", {"structure"}),
    ("mt/grammar", r"MT4[0-4]\d", {"grammar"}),
    ("mt/agreement", r"MT4[5-9]\d", {"grammar"}),
    ("mt/lexical", r"MT5\d\d", {"collocation"}),
    ("mt/untranslated", r"MT6\d\d", {"untranslated", "punctuation", "typography"}),
    ("mt/news", r"MT7\d\d", {"grammar", "punctuation", "structure"}),
)
# Rules placed before the layout was written down: codes are user-facing and never change.
# ST104 (double-space-between-words) is a typography rule with a starter code.
KNOWN_MISPLACED = {"ST104": "typography"}


def layout_problems(code: str, name: str, category: str, path: Path, root: Path) -> list[str]:
    """What is wrong with where and how one rule file is stored (empty: nothing)."""
    problems = []
    if path.name != f"{code}-{name}.yaml":
        problems.append(f"{path}: file name should be {code}-{name}.yaml (code, then the rule's name)")
    folder = path.parent.relative_to(root).as_posix()
    rows = [row for row in LAYOUT if re.fullmatch(row[1], code)]
    if not rows:
        return problems + [f"{path}: code {code} fits no row of the layout table"]
    if KNOWN_MISPLACED.get(code) == folder:
        return problems
    if not any(row[0] == folder for row in rows):
        problems.append(f"{path}: {code} belongs in rules/{' or rules/'.join(r[0] for r in rows)}, not rules/{folder}")
    elif not any(row[0] == folder and category in row[2] for row in rows):
        allowed = sorted(set().union(*(r[2] for r in rows if r[0] == folder)))
        problems.append(f"{path}: category {category!r} is not one of {allowed} for {code} in rules/{folder}")
    return problems


def test_every_rule_file_is_named_by_code_and_placed_by_family():
    problems = [p for r in load_rules(SOURCE_RULES) for p in layout_problems(r.code, r.name, r.category, r.path,
                                                                            SOURCE_RULES)]
    assert not problems, "\n".join(problems)


def test_every_folder_of_the_table_exists():
    for folder, _, _ in LAYOUT:
        assert (SOURCE_RULES / folder).is_dir(), folder


@pytest.mark.parametrize(
    "code, name, category, where, needle",
    [
        ("MT101", "warm-tips", "calque", "mt/lexical/warm-tips.yaml", "file name should be MT101-warm-tips.yaml"),
        ("MT101", "warm-tips", "calque", "mt/news/MT101-warm-tips.yaml", "belongs in rules/mt/lexical"),
        ("MT599", "big-rain", "calque", "mt/lexical/MT599-big-rain.yaml", "category 'calque' is not one of"),
        ("BP105", "footer", "style", "boilerplate/BP105-footer.yaml", "category 'style'"),
        ("TY104", "dash", "typography", "starter/TY104-dash.yaml", "belongs in rules/typography"),
        ("XX101", "odd", "style", "starter/XX101-odd.yaml", "fits no row"),
        ("MT451", "tense-drift", "grammar", "mt/grammar/MT451-tense-drift.yaml", "rules/mt/agreement"),
    ],
)
def test_a_misplaced_rule_fails(tmp_path, code, name, category, where, needle):
    problems = layout_problems(code, name, category, tmp_path / where, tmp_path)
    assert any(needle in p for p in problems), problems


def test_a_well_placed_rule_passes(tmp_path):
    assert layout_problems("MT599", "big-rain", "collocation", tmp_path / "mt/lexical/MT599-big-rain.yaml",
                           tmp_path) == []
