"""The article gate (editor.gate) where benchmarks/evaluate.py --cv rebuilds a default run from
every rule's raw findings, and the admission policy's human-English minimum and exemptions, on
fabricated findings (no model runs; every text here is made up for these tests)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from editor.gate import DEFAULT_MINIMUM, DEFAULT_THRESHOLD

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    import evaluate as bench
    from evaluation import RuleEvidence, RuleRate
finally:
    sys.path.remove(str(ROOT / "benchmarks"))

GATED = "MT999"  # a made-up rule with mt-articles-only: true
SIGNS = ["MT991", "MT992", "MT993", "MT994", "MT995"]  # made-up MT rules, not gated


def _row(start: int, rule: str, source: str = "cleanup", severity: str = "warning") -> tuple:
    """A raw finding as the findings cache keeps it: (start, end, rule, category, severity, source, has_fix)."""
    return (start, start + 3, rule, "grammar", severity, source, False)


def _article(signs: int) -> list[tuple]:
    """``signs`` findings of ungated MT rules, one of the gated rule and one of Harper's, apart."""
    return [_row(10 * k, SIGNS[k]) for k in range(signs)] + [_row(100, GATED), _row(200, "HARPER/Foo", "harper")]


def _words_at_threshold(findings: int) -> int:
    """The most words in which ``findings`` MT findings still reach the gate's threshold."""
    return int(1000 * findings / DEFAULT_THRESHOLD)


def _rules(found) -> list[str]:
    return sorted(f[2] for f in found)


def test_the_rebuilt_default_run_applies_the_article_gate() -> None:
    signs = DEFAULT_MINIMUM - 1  # with the gated rule's own finding: the minimum
    rows, chosen = _article(signs), set(SIGNS) | {GATED, "HARPER/Foo"}
    dense = _words_at_threshold(signs + 1)
    kept = bench._selected(rows, chosen, dense, gated={GATED})
    assert GATED in _rules(kept) and len(kept) == signs + 2  # evidence enough: the gate opens
    held = bench._selected(rows, chosen, 2 * dense, gated={GATED})  # half the density: below the threshold
    assert GATED not in _rules(held) and len(held) == signs + 1  # held back; the others stay
    few = bench._selected(_article(signs - 1), chosen, 10, gated={GATED})  # dense but under the minimum
    assert GATED not in _rules(few)
    # the evidence is the chosen rules' findings: a rule left out of the run does not count
    assert GATED not in _rules(bench._selected(rows, chosen - {SIGNS[0]}, dense, gated={GATED}))
    # a gated rule that the run does not select is simply absent; an ungated run keeps everything
    assert GATED not in _rules(bench._selected(rows, chosen - {GATED}, dense, gated={GATED}))
    assert GATED in _rules(bench._selected(rows, chosen, 2 * dense, gated=set()))


def test_gated_rates_hold_back_a_gated_rule_in_articles_without_evidence() -> None:
    h = DEFAULT_MINIMUM + 1
    mt_words, human_words = _words_at_threshold(50), 2 * _words_at_threshold(h + 1)
    rows = [
        ("mt", 0, False, mt_words, {GATED: RuleRate(30, 0, 30, 30), SIGNS[0]: RuleRate(20, 0, 20, 10)}),
        ("human:x", 0, True, human_words, {GATED: RuleRate(h, 0, h, 0), SIGNS[0]: RuleRate(1, 0, 1, 0)}),
    ]
    codes = [[GATED] * 30 + [SIGNS[0]] * 20, [GATED] * h + [SIGNS[0]]]
    rates = bench.GatedRates(rows, codes, {GATED})
    both = rates.evidence({GATED, SIGNS[0]})
    # MT: 50 signs at the threshold, the gate opens; human English: half the threshold, held back
    assert both[GATED].mt.findings == 30 and both[GATED].human.findings == 0
    assert both[SIGNS[0]].human.findings == 1  # an ungated rule: as found
    # the evidence is the chosen rules' findings: without the sign rule the MT article stays shut
    assert rates.evidence({GATED}, rules=[GATED])[GATED].mt.findings == 0
    assert bench.GatedRates(rows, codes, set()).evidence({GATED})[GATED].human.findings == h  # no gate
    assert rates.gated_rows({GATED}) is rates.gated_rows([GATED])  # made once per set of rules


def test_a_gated_rule_is_judged_on_its_rates_after_the_gate() -> None:
    strong = RuleEvidence("R", 30, 30, 10, 0.5, 0.2, 2.5, 1.4, 3.0, 1.4, 1.4)
    words = 10_000
    # on human English the gated rule fires 20 times in articles that never open the gate
    rows = [("mt", 0, False, words, {GATED: RuleRate(40, 0, 40, 30)}),
            ("human:x", 0, True, words, {GATED: RuleRate(20, 0, 20, 0)})]
    dense = int(DEFAULT_THRESHOLD * words / 1000) + DEFAULT_MINIMUM  # enough signs to open the gate
    codes = [[GATED] * 40 + [SIGNS[0]] * dense, [GATED] * 20]
    rates = bench.GatedRates(rows, codes, {GATED})
    ungated = bench.GatedRates(rows, codes, set())
    defaults = {GATED: True, SIGNS[0]: True}
    ev = {GATED: strong, SIGNS[0]: strong}
    raw_choice = bench._choose_gated(ev, ungated.evidence, rules=[GATED, SIGNS[0]], defaults=defaults)
    assert GATED not in raw_choice[0]  # 4 vs 2 per 1,000: about as common on human English
    chosen, decisions, human = bench._choose_gated(ev, rates.evidence, rules=[GATED, SIGNS[0]], defaults=defaults)
    assert GATED in chosen and decisions[GATED][0] and human[GATED].human.findings == 0


def _human(mt: int, mt_words: int, human: int, human_words: int) -> bench.HumanEvidence:
    return bench.HumanEvidence(RuleRate(mt, 0, mt, 0), mt_words, RuleRate(human, 0, human, 0), human_words)


def test_the_human_english_test_needs_five_findings() -> None:
    strong = RuleEvidence("R", 30, 30, 10, 0.5, 0.2, 2.5, 1.4, 3.0, 1.4, 1.4)
    n = bench.MIN_HUMAN_FINDINGS
    # the same rates (MT only as common as human English), below and at the minimum
    on, reason = bench.decide("MT900", strong, True, human=_human(n - 1, 10_000, n - 1, 10_000))
    assert on and reason.startswith("lower bound of lift above 1") and "too few findings on human English to judge" in reason
    on, reason = bench.decide("MT900", strong, True, human=_human(n, 10_000, n, 10_000))
    assert not on and reason.startswith("fires about as often on human English")
    # a rare rule keeps the reason its defaults test reads ("rare …")
    rare = bench.decide("MT901", RuleEvidence("R", 2, 2, 2, 0.5, 0.2, 2.5, None, None, None, None), True,
                        pool=strong, human=_human(0, 10_000, 1, 10_000))
    assert rare[0] and rare[1].startswith("rare")


def test_mechanical_rules_are_on_without_the_lift_test() -> None:
    assert "MT602" in bench.MECHANICAL
    weak = RuleEvidence("R", 6, 6, 4, 0.1, 0.2, 0.5, 0.0, 1.0, 0.0, 0.0)
    on, reason = bench.decide("MT602", weak, True, pool=weak, human=_human(6, 10_000, 0, 10_000))
    assert on and reason.startswith("mechanical: ") and "0 findings on human English" in reason
    assert bench.decide("MT602", None, False)[0]  # whatever the rule file says now
    # the human-English test still applies: a mechanical rule that fires on good English goes off
    assert not bench.decide("MT602", weak, True, human=_human(6, 10_000, 10, 10_000))[0]
    assert not bench.decide("MT603", weak, True, pool=weak)[0]  # not exempt: the lift test as ever


def test_human_figures_count_a_default_run_with_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "_rule_files", lambda: ({}, frozenset({GATED}), {SIGNS[1]: "error"}))
    text = " ".join(["word"] * 1000)
    ted = [{"id": "h", "system": "ref", "text": text}, {"id": "m", "system": "SysA", "text": text}]
    human = [{"id": "p", "text": text}]
    raw = {"ted": [[_row(0, GATED), _row(10, SIGNS[0])], [_row(0, SIGNS[0])]],
           "human:pe": [[_row(0, SIGNS[1]), _row(10, GATED)]]}
    figures = bench.human_figures({GATED, *SIGNS}, [("ted", ted)], [("human:pe", human)], raw)
    assert figures["ted (human)"] == {"words": 1000, "findings": 1, "errors": 0, "per_1k": 1.0, "errors_per_1k": 0.0}
    # the rule file's severity wins over the one the findings cache kept
    assert figures["pe"]["findings"] == 1 and figures["pe"]["errors"] == 1
    assert figures["pooled"]["words"] == 2000 and figures["pooled"]["per_1k"] == 1.0
    assert bench.human_figures(set(), [("ted", ted)], [("human:pe", human)], raw)["pooled"]["findings"] == 0
