"""Rule files are validated strictly: every error names the file and the line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from editor.engine.registry import load_rules
from editor.engine.rules import RuleSet, WordLists
from editor.engine.schema import RuleFileError, load_rule_file

GOOD = """\
code: TS101
name: can-not-for-cannot
category: grammar
severity: warning
kind: phrase
phrases:
  - phrase: can not
    replace: cannot
message: Write cannot as one word here.
fix:
  applicability: safe
docs:
  what: The two words can and not.
  why: Standard English writes one word.
  fix: Joins them. Safe.
examples:
  - flag: "It [[can not]] start."
    fixed: "It cannot start."
  - allow: "It cannot start."
"""


def write(folder: Path, name: str, text: str) -> Path:
    p = folder / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def error_of(path: Path) -> RuleFileError:
    with pytest.raises(RuleFileError) as ei:
        load_rule_file(path)
    return ei.value


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_good_rule_file(tmp_path):
    spec = load_rule_file(write(tmp_path, "good.yaml", GOOD))
    assert spec.data["code"] == "TS101"
    flag, allow = spec.data["_examples"]
    assert (flag.kind, flag.text, flag.span, flag.fixed, flag.fmt) == ("flag", "It can not start.", (3, 10),
                                                                        "It cannot start.", "md")
    assert allow.kind == "allow" and allow.span is None
    assert flag.line == line_of(GOOD, "- flag")
    assert spec.line("docs") == line_of(GOOD, "docs:")


@pytest.mark.parametrize(
    "old, new, needle, words",
    [
        ("severity: warning\n", "severity: warning\nseverty: error\n", "severty:", "unknown key 'severty'"),
        ("severity: warning\n", "severity: warning\nswap: {a: b}\n", "swap:", "belongs to kind 'substitution'"),
        ("  fix: Joins them. Safe.\n", "  fix: Joins them. Safe.\n  how: somehow\n", "how:", "unknown key 'how' in docs"),
        ("  applicability: safe\n", "  applicability: safe\n  level: 3\n", "level:", "unknown key 'level' in fix"),
        ('    fixed: "It cannot start."\n', '    fixed: "It cannot start."\n    expect: x\n', "- flag",
         "unknown key 'expect' in example"),
        ("    replace: cannot\n", "    replace: cannot\n    nxet: {LOWER: x}\n", "- phrase:", "unknown key 'nxet'"),
    ],
    ids=["top-level", "other-kind", "docs", "fix", "example", "phrase-entry"],
)
def test_unknown_keys(tmp_path, old, new, needle, words):
    text = GOOD.replace(old, new, 1)
    err = error_of(write(tmp_path, "r.yaml", text))
    assert words in err.message
    assert err.line == line_of(text, needle)
    assert str(err).startswith(f"{tmp_path / 'r.yaml'}:{err.line}: ")


@pytest.mark.parametrize(
    "old, new, needle, words",
    [
        ("  what: The two words can and not.\n", "", "docs:", "docs.what must be filled in"),
        ("  why: Standard English writes one word.\n", "  why: ''\n", "docs:", "docs.why must be filled in"),
        ("code: TS101\n", "code: ts-101\n", "code:", "must be 2-8 capital letters"),
        ("name: can-not-for-cannot\n", "name: Can Not\n", "name:", "kebab-case"),
        ("category: grammar\n", "category: vibes\n", "category:", "category 'vibes'"),
        ("severity: warning\n", "severity: fatal\n", "severity:", "severity 'fatal'"),
        ("kind: phrase\n", "kind: regexp\n", "kind:", "'kind' must be one of"),
        ("  applicability: safe\n", "  applicability: maybe\n", "fix:", "fix.applicability"),
        ('  - flag: "It [[can not]] start."\n', '  - flag: "It can not start."\n', "- flag", "marks exactly one span"),
        ('  - allow: "It cannot start."\n', '  - allow: "It [[cannot]] start."\n', "- allow", "no [[ ]] mark"),
        ("message: Write cannot as one word here.\n", "message: ''\n", "message:", "'message' must be a non-empty"),
    ],
)
def test_invalid_values(tmp_path, old, new, needle, words):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    err = error_of(write(tmp_path, "r.yaml", text))
    assert words in err.message, err
    assert err.line == line_of(text, needle), err
    assert str(tmp_path / "r.yaml") in str(err)


def test_missing_docs(tmp_path):
    start = GOOD.index("docs:")
    end = GOOD.index("examples:")
    err = error_of(write(tmp_path, "r.yaml", GOOD[:start] + GOOD[end:]))
    assert "'docs' must be a mapping" in err.message
    assert str(err).startswith(str(tmp_path / "r.yaml"))


def test_bad_yaml(tmp_path):
    text = GOOD.replace("message: Write cannot as one word here.", "message: Write: cannot: here", 1)
    err = error_of(write(tmp_path, "r.yaml", text))
    assert "invalid YAML" in err.message
    assert err.line == line_of(text, "message:")


def test_duplicate_yaml_key(tmp_path):
    text = GOOD + "code: TS102\n"
    err = error_of(write(tmp_path, "r.yaml", text))
    assert err.line is not None and "r.yaml" in str(err)


def test_not_a_mapping(tmp_path):
    err = error_of(write(tmp_path, "r.yaml", "- a\n- b\n"))
    assert err.line == 1


def test_bad_spacy_pattern_names_file_and_line(tmp_path):
    import spacy

    text = GOOD.replace("kind: phrase\n", "kind: token-pattern\n").replace(
        "phrases:\n  - phrase: can not\n    replace: cannot\n",
        "patterns:\n  - [{LOWER: can}, {LOWER: not, OPP: '?'}]\nreplace: cannot\n",
    )
    folder = tmp_path / "rules"
    path = write(folder, "r.yaml", text)
    spec = load_rule_file(path)  # the YAML itself is valid
    rules = load_rules(folder)
    with pytest.raises(RuleFileError) as ei:
        RuleSet(rules, {"TS101": spec}, WordLists(folder / "lists"), spacy.blank("en"))
    err = ei.value
    assert "bad pattern" in err.message
    assert err.path == str(path) and err.line == line_of(text, "patterns:")


def test_unknown_token_attribute_in_a_phrase_condition(tmp_path):
    import spacy

    text = GOOD.replace("    replace: cannot\n", "    replace: cannot\n    next: {LOWERCASE: start}\n")
    folder = tmp_path / "rules"
    path = write(folder, "r.yaml", text)
    spec = load_rule_file(path)
    with pytest.raises(RuleFileError) as ei:
        RuleSet(load_rules(folder), {"TS101": spec}, WordLists(folder / "lists"), spacy.blank("en"))
    assert "LOWERCASE" in ei.value.message and ei.value.path == str(path) and ei.value.line


def test_unknown_word_list(tmp_path):
    import spacy

    text = GOOD.replace("    replace: cannot\n", "    replace: cannot\n    next: {LOWER: {IN: ['@nosuchlist']}}\n")
    folder = tmp_path / "rules"
    path = write(folder, "r.yaml", text)
    spec = load_rule_file(path)
    with pytest.raises(RuleFileError) as ei:
        RuleSet(load_rules(folder), {"TS101": spec}, WordLists(folder / "lists"), spacy.blank("en"))
    assert "@nosuchlist" in ei.value.message and str(path) in str(ei.value)


def test_bad_python_check(tmp_path):
    text = GOOD.replace("kind: phrase\n", "kind: python\n").replace(
        "phrases:\n  - phrase: can not\n    replace: cannot\n", "check: editor.no_such_module:func\n")
    folder = tmp_path / "rules"
    write(folder, "r.yaml", text)
    with pytest.raises(RuleFileError) as ei:
        load_rules(folder)
    assert "cannot import" in ei.value.message and ei.value.line == line_of(text, "check:")


def test_duplicate_code(tmp_path):
    folder = tmp_path / "rules"
    write(folder, "a/first.yaml", GOOD)
    second = GOOD.replace("name: can-not-for-cannot", "name: another-name")
    path = write(folder, "b/second.yaml", second)
    with pytest.raises(RuleFileError) as ei:
        load_rules(folder)
    err = ei.value
    assert err.path == str(path)
    assert err.line == line_of(second, "code:")
    assert "TS101" in err.message and "first.yaml" in err.message


def test_duplicate_name(tmp_path):
    folder = tmp_path / "rules"
    write(folder, "a.yaml", GOOD)
    path = write(folder, "b.yaml", GOOD.replace("code: TS101", "code: TS102"))
    with pytest.raises(RuleFileError) as ei:
        load_rules(folder)
    assert ei.value.path == str(path) and ei.value.line == line_of(GOOD, "name:")
