"""The defaults agree with the measured evidence (benchmarks/rule-evidence.json, written by
``python benchmarks/evaluate.py ../shared/data/wets_zhen_dev.jsonl ../shared/data/mqm_zhen_2021ted_docs.jsonl
--cv --write-evidence benchmarks/rule-evidence.json``): a rule is on by default only if the policy
of issue 12 puts it on, and every default rule's one-sided lower bound of lift is above 1, its own
or, for a rule too rare on the dev sets to be judged alone, the pooled bound of the rare rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.engine import load_rules

ROOT = Path(__file__).resolve().parents[2]
EVIDENCE = json.loads((ROOT / "benchmarks" / "rule-evidence.json").read_text(encoding="utf-8"))


def test_every_default_rule_of_ours_was_kept_by_the_evidence():
    rules = {r.code: r for r in load_rules()}
    for code, rule in rules.items():
        ev = EVIDENCE["rules"].get(code)
        if rule.default:
            assert ev is not None and ev["decision"], f"{code} is on by default but the evidence says {ev}"
        elif ev is not None:
            assert not ev["decision"], f"{code} is opt-in but the evidence turned it on"


def test_every_default_rule_has_a_lower_bound_above_one():
    pool = EVIDENCE["rare_pool"]
    assert pool["lower_bound"] > 1
    for code, ev in EVIDENCE["rules"].items():
        if not ev["decision"]:
            continue
        bound = ev.get("lower_bound")
        if ev["reason"].startswith("mechanical"):  # cannot fire on English; annotators never mark it
            assert ev["engine"] == "cleanup" and ev["human_per_1k"] == 0, (code, ev)
            continue
        if ev["reason"].startswith("rare"):
            assert ev["engine"] == "cleanup"  # Harper rules are never pooled
            bound = pool["lower_bound"]
        assert bound is not None and bound > 1, (code, ev)


def test_harper_defaults_are_the_rules_the_evidence_kept():
    harper = pytest.importorskip("harper")  # noqa: F841
    from editor.backends.harper import default_config, is_default

    on = {f"HARPER/{r}" for r in default_config() if is_default(r)}
    kept = {code for code, ev in EVIDENCE["rules"].items() if ev["engine"] == "harper" and ev["decision"]}
    assert on == kept


def test_cross_validated_figures_meet_the_targets():
    """Issue 21's targets: quiet on human English, lift kept on machine translation. WeTS pinpoint
    recall fell from 0.152 to 0.142 when the rules that fire on good English were gated or turned
    off; the learned detector (MODEL/unlikely, behind the same article gate) wins it back to 0.156."""
    human = EVIDENCE["human_defaults"]["pooled"]
    assert human["words"] > 100_000  # the three sources: TED human translations, JFLEG, MLQE-PE
    assert human["per_1k"] <= 2.0 and human["errors_per_1k"] <= 0.3, human
    wets = EVIDENCE["cv"]["wets_zhen_dev"]
    assert wets["pinpoint_recall"]["mean"] >= 0.15 and wets["lift"]["mean"] >= 2.0
    assert wets["pinpoint_lift"]["mean"] >= 2.0 and wets["per_1k"]["mean"] <= 25
    ted = EVIDENCE["cv"]["mqm_zhen_2021ted_docs"]
    assert ted["lift"]["mean"] >= 2.0 and ted["pinpoint_lift"]["mean"] >= 2.0


def test_severities_follow_the_policy():
    """error (fails a CI check) only where the evidence allows it: MT precision >= 0.85 over at
    least 10 findings, <= 0.1 findings per 1,000 words on human English (docs/rules.md)."""
    rules = {r.code: r for r in load_rules()}
    for code, rule in rules.items():
        if rule.severity.value != "error":
            continue
        ev = EVIDENCE["rules"].get(code)
        assert ev is not None and ev["severity_by_policy"] == "error", f"{code} is an error but the evidence says {ev}"


def test_the_gated_rules_are_the_rule_files_that_ask_for_it():
    from editor.backends.detector import CODE, PACKAGE_FOLDER, read_meta

    rules = {r.code: r for r in load_rules()}
    asked = {code for code, r in rules.items() if r.mt_articles_only}
    if (read_meta(PACKAGE_FOLDER) or {}).get("mt_articles_only"):  # the learned detector waits for the gate too
        asked.add(CODE)
    assert set(EVIDENCE["gate"]["rules"]) == asked


def test_the_learned_detectors_default_is_what_the_evidence_decided():
    """MODEL/unlikely is judged like Harper's rules, out of fold (evaluate.py --cv --model-folds):
    it ships on by default only if the policy keeps it (issue 20)."""
    from editor.backends.detector import CODE, PACKAGE_FOLDER, is_default, read_meta

    meta = read_meta(PACKAGE_FOLDER)
    ev = EVIDENCE["rules"].get(CODE)
    assert meta is not None and ev is not None, "rule-evidence.json was written without --model-folds"
    assert ev["engine"] == "model" and is_default(meta) == ev["decision"], ev
