"""Compiled rules: every kind runs through the shared matchers and yields hits with fixes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from editor.engine.registry import build_ruleset
from editor.engine.rules import TokenSpec, WordLists, expand_lists, match_case, render_template
from editor.engine.schema import RuleFileError
from editor.findings import Applicability
from editor.pipeline import Checker


@pytest.mark.parametrize(
    "source, replacement, expected",
    [
        ("alot", "a lot", "a lot"),
        ("Alot", "a lot", "A lot"),
        ("ALOT", "a lot", "A LOT"),
        ("A", "an", "An"),  # one capital letter is a title, not all caps
        ("can not", "cannot", "cannot"),
        ("x", "", ""),
        ("", "y", "y"),
    ],
)
def test_match_case(source, replacement, expected):
    assert match_case(source, replacement) == expected


class Tok:
    def __init__(self, text, lemma=None):
        self.text = text
        self.lemma_ = lemma or text
        self.lower_ = text.lower()


def test_render_template():
    toks = {"be": Tok("Was", "be"), "x": Tok("Cold")}
    assert render_template("{be} that", toks, "was because") == "Was that"
    assert render_template("{be.lemma} {x.lower} {match}", toks, "M") == "be cold M"
    with pytest.raises(KeyError):
        render_template("{nope}", toks, "M")
    with pytest.raises(KeyError):
        render_template("{x.shape}", toks, "M")


def test_token_spec(tmp_path):
    import spacy

    doc = spacy.blank("en")("The Pump can not start 42")
    spec = TokenSpec({"LOWER": {"IN": ["pump", "valve"]}, "IS_TITLE": True}, tmp_path, 1)
    assert spec.matches(doc[1]) and not spec.matches(doc[0]) and not spec.matches(None)
    neg = TokenSpec({"LOWER": {"NOT_IN": ["only"]}}, tmp_path, 1)
    assert neg.matches(None) and neg.matches(doc[2])
    rx = TokenSpec({"TEXT": {"REGEX": "^[0-9]+$"}}, tmp_path, 1)
    assert rx.matches(doc[5]) and not rx.matches(doc[4])
    with pytest.raises(RuleFileError):
        TokenSpec({"LOWER": {"LIKE": "x"}}, tmp_path, 3)
    with pytest.raises(RuleFileError):
        TokenSpec({"TEXT": {"REGEX": "("}}, tmp_path, 3)
    with pytest.raises(RuleFileError):
        TokenSpec(["LOWER"], tmp_path, 3)


def test_word_lists_and_expansion(tmp_path):
    (tmp_path / "be.txt").write_text("# forms of be\nis\nwas  # past\n\nare\n")
    lists = WordLists(tmp_path)
    assert lists.get("be", (tmp_path, 1)) == ["is", "was", "are"]
    got = expand_lists({"LOWER": {"IN": ["@be", "am"]}}, lists, (tmp_path, 1))
    assert got == {"LOWER": {"IN": ["is", "was", "are", "am"]}}
    with pytest.raises(RuleFileError) as ei:
        lists.get("nope", (tmp_path / "r.yaml", 7))
    assert ei.value.line == 7


def _rule(code, name, kind, body, fix="safe", examples='  - flag: "[[x]]"\n  - allow: "y"\n'):
    fix_block = f"fix:\n  applicability: {fix}\n" if fix else ""
    return (
        f"code: {code}\nname: {name}\ncategory: style\nseverity: warning\nkind: {kind}\n"
        f"message: Toy rule for the engine tests, flagged {{match}}.\n{fix_block}"
        "docs: {what: toy rule text, why: tests need it, fix: whatever it does}\n"
        f"examples:\n{examples}" + textwrap.dedent(body)
    )


@pytest.fixture(scope="module")
def toy_folder(tmp_path_factory):
    f = tmp_path_factory.mktemp("toyrules")
    (f / "lists").mkdir()
    (f / "lists" / "fruit.txt").write_text("apple\npear\n")
    rules = {
        "phrase.yaml": _rule("TS101", "toy-phrase", "phrase", """\
            phrases:
              - phrase: very very
                replace: [very, really]
              - phrase: so so
                next: {LOWER: {IN: ["@fruit"]}}
                replace: so
            """),
        "swap.yaml": _rule("TS102", "toy-swap", "substitution", """\
            swap:
              alot: a lot
              irregardless: [regardless, anyway]
            """),
        "token.yaml": _rule("TS103", "toy-token", "token-pattern", """\
            patterns:
              - [{LOWER: can}, {LOWER: not}, {LOWER: {NOT_IN: [only]}}]
            mark: [0, 2]
            replace: cannot
            """),
        "nofix.yaml": _rule("TS104", "toy-nofix", "phrase", """\
            phrases: [warm tips]
            """, fix=None),
        "dep.yaml": _rule("TS105", "toy-dep", "dependency-pattern", """\
            patterns:
              - - {RIGHT_ID: be, RIGHT_ATTRS: {LEMMA: be}}
                - {LEFT_ID: be, REL_OP: ">", RIGHT_ID: subj, RIGHT_ATTRS: {DEP: nsubj, LEMMA: reason}}
                - {LEFT_ID: be, REL_OP: ">", RIGHT_ID: clause, RIGHT_ATTRS: {DEP: advcl}}
                - {LEFT_ID: clause, REL_OP: ">", RIGHT_ID: because, RIGHT_ATTRS: {DEP: mark, LOWER: because}}
            mark: [be, because]
            replace: "{be} that"
            """, fix="unsafe"),
        "py.yaml": _rule("TS106", "toy-python", "python", """\
            check: editor.checks.typography:double_hyphen
            """),
    }
    for name, text in rules.items():
        (f / name).write_text(text)
    return f


def _checker(nlp, folder, select):
    return Checker(nlp=nlp, ruleset=build_ruleset(nlp, select=select, folder=folder))


def _found(checker, text):
    return [(f.rule, text[f.span.start : f.span.end], [fx.replacement_text(text) for fx in f.fixes])
            for f in checker.detect(text, "md")]


def test_phrase_rule(nlp, toy_folder):
    c = _checker(nlp, toy_folder, ["TS101"])
    text = "It was Very very cold, so so good, and so so apple pie."
    assert _found(c, text) == [("TS101", "Very very", ["Very", "Really"]), ("TS101", "so so", ["so"])]
    f = c.detect(text, "md")[0]
    assert f.message == "Toy rule for the engine tests, flagged Very very."
    assert f.fixes[0].applicability is Applicability.SAFE


def test_substitution_rule_preserves_case(nlp, toy_folder):
    c = _checker(nlp, toy_folder, ["TS102"])
    text = "ALOT of people, Irregardless of cost, alot."
    assert _found(c, text) == [
        ("TS102", "ALOT", ["A LOT"]),
        ("TS102", "Irregardless", ["Regardless", "Anyway"]),
        ("TS102", "alot", ["a lot"]),
    ]


def test_token_pattern_rule_marks_part_of_the_match(nlp, toy_folder):
    c = _checker(nlp, toy_folder, ["TS103"])
    assert _found(c, "It can not start, and can not only run.") == [("TS103", "can not", ["cannot"])]


def test_rule_without_fix(nlp, toy_folder):
    c = _checker(nlp, toy_folder, ["TS104"])
    found = c.detect("Warm tips: drink water.", "md")
    assert len(found) == 1 and found[0].fixes == ()


def test_dependency_pattern_rule(nlp, toy_folder):
    c = _checker(nlp, toy_folder, ["TS105"])
    text = "The reason is because the bridge is closed."
    assert _found(c, text) == [("TS105", "is because", ["is that"])]
    assert c.detect(text, "md")[0].fixes[0].applicability is Applicability.UNSAFE


def test_python_rule(nlp, toy_folder):
    c = _checker(nlp, toy_folder, ["TS106"])
    text = "The river--rose overnight."
    found = c.detect(text, "md")
    assert [(f.rule, text[f.span.start : f.span.end]) for f in found] == [("TS106", "--")]


def test_all_kinds_together_share_the_matchers(nlp, toy_folder):
    c = _checker(nlp, toy_folder, ["TS"])
    text = "The reason is because it can not start, alot of very very cold."
    rules = [f.rule for f in c.detect(text, "md")]
    assert sorted(rules) == ["TS101", "TS102", "TS103", "TS105"]


def test_replacement_without_fix_is_an_error(tmp_path, nlp):
    (tmp_path / "r.yaml").write_text(_rule("TS201", "toy-bad", "token-pattern", """\
        patterns:
          - [{LOWER: can}]
        replace: x
        """, fix=None))
    with pytest.raises(RuleFileError) as ei:
        build_ruleset(nlp, folder=tmp_path)
    assert "no 'fix'" in ei.value.message and ei.value.path.endswith("r.yaml") and ei.value.line


def test_dependency_mark_must_name_nodes(tmp_path, nlp):
    text = _rule("TS202", "toy-dep-bad", "dependency-pattern", """\
        patterns:
          - - {RIGHT_ID: be, RIGHT_ATTRS: {LEMMA: be}}
        mark: [nothere]
        """, fix=None)
    (tmp_path / "r.yaml").write_text(text)
    with pytest.raises(RuleFileError) as ei:
        build_ruleset(nlp, folder=tmp_path)
    assert "nothere" in ei.value.message
    assert ei.value.line == text[: text.index("mark:")].count("\n") + 1


def test_describe(toy_folder):
    from editor.engine.registry import load_rules

    d = {r.code: r.describe() for r in load_rules(Path(toy_folder))}
    assert d["TS101"]["fix"] == "safe" and d["TS104"]["fix"] is None
    assert d["TS105"]["kind"] == "dependency-pattern"


# --------------------------------------------------------------------------------------------
# regex rules


def _regex_folder(tmp_path, body, fix="safe", lists=None):
    (tmp_path / "lists").mkdir(exist_ok=True)
    for name, entries in (lists or {}).items():
        (tmp_path / "lists" / f"{name}.txt").write_text(f"# {name}: toy list\n" + "\n".join(entries) + "\n")
    (tmp_path / "r.yaml").write_text(_rule("TS301", "toy-regex", "regex", body, fix=fix))
    return tmp_path


def test_regex_rule_marks_a_group_and_expands_templates(nlp, tmp_path):
    folder = _regex_folder(tmp_path, r"""
        pattern: '\b(\d+) (per ?cent)\b'
        flags: ignorecase
        mark: 2
        replace: ['%', 'percent ({match}, \1)']
        """)
    c = _checker(nlp, folder, ["TS301"])
    text = "Prices rose 5 per cent and 7 PERCENT last year."
    assert _found(c, text) == [
        ("TS301", "per cent", ["%", "percent (per cent, 5)"]),
        ("TS301", "PERCENT", ["%", "percent (PERCENT, 7)"]),
    ]


def test_regex_rule_tries_every_pattern_and_flags_without_fix(nlp, tmp_path):
    folder = _regex_folder(tmp_path, """
        pattern: ['\\bfoo\\b', 'bar+']
        """, fix=None)
    c = _checker(nlp, folder, ["TS301"])
    text = "A foo and a barrr, food and bat."
    assert _found(c, text) == [("TS301", "foo", []), ("TS301", "barrr", [])]


def test_regex_rule_expands_word_lists_longest_first(nlp, tmp_path):
    from editor.engine.regexes import expand_pattern

    assert expand_pattern(r"\d+ (?:@units)\b \@x", lambda name: ["km", "km/h", "m"]) == \
        r"\d+ (?:(?:km/h|km|m))\b \@x"
    folder = _regex_folder(tmp_path, r"""
        pattern: '\b\d+(@units)\b'
        mark: 1
        replace: ' \1'
        """, lists={"units": ["km", "kmh", "m"]})
    c = _checker(nlp, folder, ["TS301"])
    text = "A 40kmh limit over 300m, not 5kg."
    assert _found(c, text) == [("TS301", "kmh", [" kmh"]), ("TS301", "m", [" m"])]


# --------------------------------------------------------------------------------------------
# lemma-pair rules

PAIR_RULE = """\
    pairs:
      - relation: verb-object
        heads: [eat]
        deps: "@medicines"
        suggest: [take]
        message: "“{match}”: English takes medicine."
      - relation: adjective-noun
        heads: [big]
        deps: [rain, "@weather"]
        suggest: heavy
      - relation: subject-adjective
        heads: [small]
        deps: [risk]
    """


def _pair_folder(tmp_path, body=PAIR_RULE, fix="unsafe"):
    (tmp_path / "lists").mkdir(exist_ok=True)
    (tmp_path / "lists" / "medicines.txt").write_text("# medicines: toy list\nmedicine\npill\n")
    (tmp_path / "lists" / "weather.txt").write_text("# weather: toy list\nsnow\n")
    (tmp_path / "r.yaml").write_text(_rule("TS401", "toy-pairs", "lemma-pair", body, fix=fix))
    return tmp_path


def test_lemma_pair_rule_relations_lists_and_suggestions(nlp, tmp_path):
    c = _checker(nlp, _pair_folder(tmp_path), ["TS401"])
    text = "Eat the pills after meals. Big snow fell. The risk is small. They eat rice."
    assert _found(c, text) == [
        ("TS401", "Eat the pills", ["Take the pills"]),
        ("TS401", "Big snow", ["Heavy snow"]),
        ("TS401", "risk is small", []),
    ]
    messages = [f.message for f in c.detect(text, "md")]
    assert messages[0] == "“Eat the pills”: English takes medicine."
    assert messages[1] == "Toy rule for the engine tests, flagged Big snow."


def test_lemma_pair_suggests_only_for_a_base_form_verb(nlp, tmp_path):
    c = _checker(nlp, _pair_folder(tmp_path), ["TS401"])
    text = "He ate the medicine."
    assert _found(c, text) == [("TS401", "ate the medicine", [])]


@pytest.mark.parametrize(
    "kind, body, fix, needle",
    [
        ("regex", "pattern: '(unclosed'\n", "safe", "bad regular expression"),
        ("regex", "pattern: 'a(b)'\nmark: 2\n", "safe", "group 2"),
        ("regex", "pattern: 'a(b)'\nmark: name\n", "safe", "group 'name'"),
        ("regex", "pattern: 'ab'\nflags: [loud]\n", "safe", "'flags' must be one or more of"),
        ("regex", "pattern: 'a(b)'\nreplace: '\\2'\n", "safe", "names a group"),
        ("regex", "pattern: []\n", "safe", "'pattern' must be"),
        ("regex", "pattern: 'a @nolist'\n", "safe", "unknown word list @nolist"),
        ("regex", "patterns: [[{LOWER: a}]]\n", "safe", "belongs to kind"),
        ("regex", "pattern: 'ab'\nreplace: x\n", None, "no 'fix'"),
        ("lemma-pair", "pairs: []\n", "unsafe", "'pairs' must be a non-empty list"),
        ("lemma-pair", "pairs:\n  - {relation: verb-subject, heads: [a], deps: [b]}\n", "unsafe", "relation must be one of"),
        ("lemma-pair", "pairs:\n  - {relation: verb-object, heads: [a]}\n", "unsafe", "'deps' must be"),
        ("lemma-pair", "pairs:\n  - {relation: verb-object, heads: [a], deps: [b], also: c}\n", "unsafe",
         "unknown key 'also'"),
        ("lemma-pair", "pairs:\n  - {relation: verb-object, heads: [a], deps: ['@nolist']}\n", "unsafe",
         "unknown word list @nolist"),
        ("lemma-pair", PAIR_RULE, None, "no 'fix'"),
    ],
)
def test_regex_and_lemma_pair_errors_name_file_and_line(nlp, tmp_path, kind, body, fix, needle):
    folder = (_regex_folder if kind == "regex" else _pair_folder)(tmp_path, body, fix=fix)
    with pytest.raises(RuleFileError) as ei:
        build_ruleset(nlp, folder=folder)
    assert needle in ei.value.message and ei.value.path.endswith("r.yaml") and ei.value.line


def test_a_new_collocation_rule_is_one_yaml_file(nlp, tmp_path, monkeypatch):
    """Adding a collocation: copy the shipped rules, write one file, and the CLI's checker uses it."""
    import shutil

    from editor.engine.registry import SOURCE_RULES, load_rules

    folder = tmp_path / "rules"
    shutil.copytree(SOURCE_RULES, folder)
    (folder / "mt" / "lexical" / "MT599-do-a-photo.yaml").write_text(textwrap.dedent("""\
        code: MT599
        name: do-a-photo
        category: collocation
        severity: warning
        kind: lemma-pair
        pairs:
          - relation: verb-object
            heads: [do]
            deps: [photo, photos, picture]
            suggest: [take]
        message: "“{match}”: English takes a photo."
        fix:
          applicability: unsafe
        docs:
          what: “Do a photo”.
          why: English takes photos.
          fix: Replaces the verb.
        examples:
          - flag: "Let us [[do a photo]] here."
            fixed: "Let us take a photo here."
          - allow: "Let us take a photo here."
        """))
    monkeypatch.setenv("CLEANUP_RULES", str(folder))
    assert "MT599" in {r.code for r in load_rules()}
    from editor.api import get_checker

    found = [f for f in get_checker(select=["MT599"]).detect("Can we do a photo together?", "md")]
    assert [(f.rule, f.message, f.fixes[0].edits[0].replacement) for f in found] == [
        ("MT599", "“do a photo”: English takes a photo.", "take a photo")]


def test_rule_command_shows_what_regex_and_lemma_pair_rules_detect(monkeypatch):
    from click.testing import CliRunner

    from editor.cli import cli

    monkeypatch.delenv("CLEANUP_RULES", raising=False)
    out = CliRunner().invoke(cli, ["rule", "MT501"]).output
    assert "Detects:\n  verb-object: grasp/master + amount, amount of exercise," in out
    assert "  verb-object: eat + capsule, capsules, drug, drugs, medication, medicine, … → take\n" in out
    out = CliRunner().invoke(cli, ["rule", "ST104"]).output
    assert "Detects:\n  regex: (?<=[^\\s.!?:;])( {2,})(?=[^\\s])\n" in out
    assert "Detects:" not in CliRunner().invoke(cli, ["rule", "MT101"]).output  # a phrase rule: its examples say it


# -- case: capitals belong to the sentence, not to the rule file or the matched word ---------------

@pytest.fixture(scope="module")
def case_folder(tmp_path_factory):
    f = tmp_path_factory.mktemp("caserules")
    (f / "lists").mkdir()
    (f / "phrase.yaml").write_text(_rule("TS201", "toy-filler", "phrase", """\
        phrases:
          - phrase: as we all know
            replace: ["", "clearly"]
        """))
    (f / "token.yaml").write_text(_rule("TS202", "toy-swap-order", "token-pattern", """\
        patterns:
          - [{LOWER: often}, {LOWER: very}]
        replace: "{1} {0}"
        """))
    return f


def test_deleting_a_sentence_first_words_capitalises_the_next(nlp, case_folder):
    c = _checker(nlp, case_folder, ["TS201"])
    text = "As we all know the river floods in spring."
    (f,) = c.detect(text, "md")
    from editor.fixes import apply_fixes

    assert apply_fixes(text, [f.fixes[0]]).text == "The river floods in spring."
    assert apply_fixes(text, [f.fixes[1]]).text == "Clearly the river floods in spring."
    mid = "The river, as we all know floods in spring."
    (g,) = c.detect(mid, "md")
    assert [e.replacement for e in g.fixes[0].edits] == [""]  # mid-sentence: a plain deletion, no capital


def test_a_sentence_initial_capital_is_not_carried_into_the_middle(nlp, case_folder):
    c = _checker(nlp, case_folder, ["TS202"])
    assert _found(c, "Often very tired, she slept.") == [("TS202", "Often very", ["Very often"])]
    assert _found(c, "She was often very tired.") == [("TS202", "often very", ["very often"])]


def test_phrase_replacements_take_their_case_from_the_text(nlp):
    from editor.engine.registry import build_ruleset

    c = Checker(nlp=nlp, ruleset=build_ruleset(nlp, select=["MT101"]))
    assert _found(c, "The hotel leaflet has a page for warm tips on buses.")[0][2][0] == "tips"
    assert _found(c, "Warm tips: keep the receipt.")[0][2][0] == "Tips"
