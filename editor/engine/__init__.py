"""The rule engine: rule files → validated specs → compiled rules → one RuleSet."""

from editor.engine.registry import build_ruleset, load_rules, rules_dir, selected  # noqa: F401
from editor.engine.schema import RuleFileError  # noqa: F401
