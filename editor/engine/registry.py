"""Discovering rule files and choosing the rules that run (select/ignore by code prefix)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from editor.engine.rules import (PythonRule, Rule, RuleSet, WordLists, _common, compile_lemma_pairs, compile_python,
                                 compile_regex)
from editor.engine.schema import RuleFileError, RuleSpec, load_rule_file

PACKAGE_RULES = Path(__file__).resolve().parent.parent / "_rules"  # inside an installed wheel
SOURCE_RULES = Path(__file__).resolve().parents[2] / "rules"  # in a source checkout


def rules_dir() -> Path:
    """The rule folder: $CLEANUP_RULES (for rule authors), the wheel's copy, or the checkout's."""
    override = os.environ.get("CLEANUP_RULES")
    if override:
        return Path(override).resolve()
    if PACKAGE_RULES.is_dir():
        return PACKAGE_RULES
    return SOURCE_RULES


@lru_cache(maxsize=8)
def _load(folder: Path) -> tuple[tuple[Rule, ...], dict[str, RuleSpec]]:
    if not folder.is_dir():
        raise RuleFileError(folder, None, "rule folder not found")
    specs: dict[str, RuleSpec] = {}
    rules: list[Rule] = []
    for path in sorted(folder.rglob("*.yaml")):
        if "lists" in path.relative_to(folder).parts[:1]:
            continue
        spec = load_rule_file(path)
        code = spec.data["code"]
        if code in specs:
            raise RuleFileError(path, spec.line("code"), f"code {code} is already used by {specs[code].path}")
        specs[code] = spec
        rules.append(_compile(spec, WordLists(folder / "lists")))
    names: dict[str, Path] = {}
    for r in rules:
        if r.name in names:
            raise RuleFileError(r.path, specs[r.code].line("name"), f"name {r.name} is already used by {names[r.name]}")
        names[r.name] = r.path
    return tuple(rules), specs


def _compile(spec: RuleSpec, lists: WordLists) -> Rule:
    """The runnable rule of a validated file (matcher kinds are compiled by the RuleSet)."""
    kind = spec.data["kind"]
    if kind == "python":
        return compile_python(spec)
    if kind == "regex":
        return compile_regex(spec, lists)
    if kind == "lemma-pair":
        return compile_lemma_pairs(spec, lists)
    return Rule(**_common(spec))


def load_rules(folder: Path | None = None) -> list[Rule]:
    """Every rule file, validated (raises RuleFileError naming the file and line)."""
    return list(_load(folder or rules_dir())[0])


def selected(rule: Rule, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    """Is a rule enabled? Opt-in rules (default: false) need their exact code or ALL in select."""
    select = list(select or [])
    ignore = list(ignore or [])
    if any(rule.code.startswith(p) and p != "" for p in ignore if p != "ALL") or "ALL" in ignore:
        # an exact selection wins over a broader ignore (ruff's behaviour)
        if not any(p == rule.code for p in select):
            return False
    if not select:
        return rule.default
    for p in select:
        if p == "ALL" or p == rule.code:
            return True
        if p.endswith("/ALL") and rule.code.startswith(p[:-3]):  # HARPER/ALL: an engine's every rule
            return True
        if rule.code.startswith(p) and rule.default:
            return True
    return False


@lru_cache(maxsize=16)
def _ruleset(folder: Path, select: tuple[str, ...] | None, ignore: tuple[str, ...], nlp) -> RuleSet:
    rules, specs = _load(folder)
    chosen = [r for r in rules if selected(r, select, ignore)]
    return RuleSet(chosen, specs, WordLists(folder / "lists"), nlp)


def build_ruleset(nlp, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
                  folder: Path | None = None) -> RuleSet:
    sel = tuple(select) if select else None
    return _ruleset(folder or rules_dir(), sel, tuple(ignore or ()), nlp)


__all__ = ["build_ruleset", "load_rules", "rules_dir", "selected", "PythonRule"]
