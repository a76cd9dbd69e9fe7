"""Meta-tests over the rule set: unique codes, both kinds of example, docs filled in."""

from collections import Counter

from editor.engine import load_rules

RULES = load_rules()


def test_there_are_rules_of_every_kind():
    kinds = {r.kind for r in RULES}
    assert {"phrase", "substitution", "token-pattern", "dependency-pattern", "regex", "lemma-pair", "python"} <= kinds


def test_codes_and_names_are_unique():
    assert not [c for c, n in Counter(r.code for r in RULES).items() if n > 1]
    assert not [c for c, n in Counter(r.name for r in RULES).items() if n > 1]


def test_every_rule_has_flag_and_allow_examples():
    for r in RULES:
        kinds = Counter(e.kind for e in r.examples)
        assert kinds["flag"] >= 2 and kinds["allow"] >= 2, f"{r.path}: needs >= 2 flag and >= 2 allow examples"


def test_docs_are_filled_in():
    for r in RULES:
        for key in ("what", "why", "fix"):
            assert len(r.docs.get(key, "").split()) >= 3, f"{r.path}: docs.{key} is too thin"
        assert len(r.message.split()) >= 5, f"{r.path}: the message should explain, not just name"


def test_fix_examples_have_expected_text():
    for r in RULES:
        if r.applicability is not None and r.applicability.value != "display-only":
            assert any(e.fixed for e in r.examples), f"{r.path}: a rule with a fix shows a fixed example"
