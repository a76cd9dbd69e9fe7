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
    for name in ("wets_zhen_dev", "mqm_zhen_2021ted_docs"):
        cv = EVIDENCE["cv"][name]
        assert cv["pinpoint_recall"]["mean"] >= 0.15 and cv["lift"]["mean"] >= 2.0, name
        assert cv["pinpoint_lift"]["mean"] >= 2.0 and cv["per_1k"]["mean"] <= 25, name
