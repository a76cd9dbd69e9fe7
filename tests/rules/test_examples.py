"""Every example of every rule is a test (rules are data that carry their own examples)."""

from __future__ import annotations

import pytest

from editor.engine import load_rules
from editor.fixes import apply_fixes

RULES = load_rules()
CASES = [(rule, ex) for rule in RULES for ex in rule.examples]


def _id(case) -> str:
    rule, ex = case
    return f"{rule.code}-{ex.kind}-L{ex.line}"


@pytest.fixture(scope="module")
def checkers():
    from editor.api import get_checker

    cache = {}

    def get(rule):
        """Only this rule, with the configuration its file gives its examples (``settings``:
        house substitutions for CU101, the chrome rules BP100 groups...)."""
        if rule.code not in cache:
            from dataclasses import replace

            from editor.config import Config

            settings = replace(rule.settings or Config(), select=[rule.code]).folded()
            cache[rule.code] = get_checker(settings=settings)
        return cache[rule.code]

    return get


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_example(case, checkers):
    rule, ex = case
    checker = checkers(rule)
    found = [f for f in checker.detect(ex.text, ex.fmt) if f.rule == rule.code]
    where = f"{rule.path}:{ex.line}"
    if ex.kind == "allow":
        assert not found, f"{where}: allow example flagged at {[ex.text[f.span.start:f.span.end] for f in found]}"
        return
    start, end = ex.span
    exact = [f for f in found if (f.span.start, f.span.end) == (start, end)]
    assert exact, (
        f"{where}: expected {ex.text[start:end]!r} flagged; got "
        f"{[ex.text[f.span.start:f.span.end] for f in found]}"
    )
    finding = exact[0]
    if finding.fixes:
        assert ex.fixed is not None, f"{where}: the finding has a fix; the example needs 'fixed'"
        fixed = apply_fixes(ex.text, [finding.fixes[0]]).text
        assert fixed == ex.fixed, f"{where}: first fix gives {fixed!r}"
        again = [f for f in checker.detect(fixed, ex.fmt) if f.rule == rule.code]
        assert not again, f"{where}: the fixed text is flagged again at {[fixed[f.span.start:f.span.end] for f in again]}"
    else:
        assert ex.fixed is None, f"{where}: 'fixed' given but the finding has no fix"
