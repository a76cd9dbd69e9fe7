"""The article gate (editor/gate.py) and its stage in the pipeline."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from editor.api import get_checker
from editor.cli import cli
from editor.config import Config
from editor.gate import DEFAULT_MINIMUM, DEFAULT_THRESHOLD, evidence, split

# Our own sentences. One comma splice in otherwise good English: a spoken-style splice a careful
# human writer might leave.
HUMAN = ("The river rose all night, the village was flooded by morning.\n\n"
         "By noon the water had gone down and the shops opened again.\n")
# Dense machine-translation artifacts: a splice among a broken verb group, agreement, a
# subjectless clause.
MT = ("The market is very busy, the vendors sell vegetables every morning. The price is also need to "
      "pay attention.\n\nMany tourists comes here every year, they take photos in the square. When walking "
      "in the square, should pay attention to safety.\n")


def test_evidence_counts_mt_rules_only():
    ev = evidence(["MT305", "MT201", "ST106", "HARPER/SplitWords", "TY102"], words=100)
    assert ev.findings == 2 and ev.per_1k == pytest.approx(20.0)


@pytest.mark.parametrize("n, words, opens", [
    (DEFAULT_MINIMUM, 100, True),  # enough findings, dense
    (DEFAULT_MINIMUM - 1, 10, False),  # dense but too few
    (DEFAULT_MINIMUM, 10_000, False),  # enough findings but sparse
])
def test_the_gate_needs_both_the_minimum_and_the_density(n, words, opens):
    assert evidence(["MT305"] * n, words).opens is opens


def test_split_holds_back_only_gated_rules():
    items = ["a", "b", "c"]
    closed = evidence(["MT305"], 1000)
    shown, held = split(items, ["MT305", "MT201", "ST101"], {"MT305"}, closed)
    assert shown == ["b", "c"] and held == ["a"]
    opened = evidence(["MT305"] * 5, 100)
    assert split(items, ["MT305", "MT201", "ST101"], {"MT305"}, opened) == (items, [])


def test_threshold_and_minimum_are_the_documented_defaults():
    ev = evidence([], 0)
    assert (ev.threshold, ev.minimum) == (DEFAULT_THRESHOLD, DEFAULT_MINIMUM) and not ev.opens


def test_a_human_article_holds_back_its_gated_finding():
    findings, held = get_checker().detect_gated(HUMAN, "md")
    assert "MT305" not in {f.rule for f in findings}
    assert [f.rule for f in held.findings] == ["MT305"]
    assert not held.evidence.opens


def test_a_machine_translated_article_shows_them():
    findings, held = get_checker().detect_gated(MT, "md")
    rules = [f.rule for f in findings]
    assert rules.count("MT305") == 2 and "MT302" in rules
    assert held.findings == [] and held.evidence.opens


def test_all_findings_and_an_exact_selection_open_the_gate():
    everything = get_checker(settings=Config(all_findings=True))
    assert "MT305" in {f.rule for f in everything.detect(HUMAN, "md")}
    chosen = get_checker(select=["MT305"])
    assert "MT305" in {f.rule for f in chosen.detect(HUMAN, "md")}
    by_prefix = get_checker(select=["MT3"])  # a prefix is not a choice of this rule
    assert "MT305" not in {f.rule for f in by_prefix.detect(HUMAN, "md")}


def test_cli_says_what_it_held_back_and_all_findings_shows_it(tmp_path):
    article = tmp_path / "a.md"
    article.write_text(HUMAN, encoding="utf-8")
    runner = CliRunner()
    quiet = runner.invoke(cli, ["check", str(article), "--fail-on", "never"])
    assert quiet.exit_code == 0, quiet.output
    assert "1 finding held back (MT305)" in quiet.output and "--all-findings" in quiet.output
    shown = runner.invoke(cli, ["check", str(article), "--all-findings", "--format", "json", "--fail-on", "never"])
    data = json.loads(shown.output)
    assert [f["rule"] for f in data["files"][0]["findings"]] == ["MT305"]
    held = json.loads(runner.invoke(cli, ["check", str(article), "--format", "json", "--fail-on", "never"]).output)
    assert held["files"][0]["findings"] == []
    assert held["files"][0]["held_back"]["rules"] == {"MT305": 1}


def test_configuration_key_all_findings(tmp_path):
    (tmp_path / "cleanup.toml").write_text("all-findings = true\n", encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text(HUMAN, encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(article), "--format", "json", "--fail-on", "never"])
    assert [f["rule"] for f in json.loads(out.output)["files"][0]["findings"]] == ["MT305"]


def test_the_html_report_says_what_the_gate_held_back():
    from editor.document import SourceDocument
    from editor.render.html import render_html

    checker = get_checker()
    quiet = render_html(checker.check(SourceDocument("a.md", HUMAN, "md")))
    assert 'id="stat-held"' in quiet and "1 finding held back (MT305)" in quiet
    loud = render_html(checker.check(SourceDocument("b.md", MT, "md")))
    assert 'id="stat-held"' not in loud
