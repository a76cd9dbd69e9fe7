"""The detection-quality metric (benchmarks/evaluation.py), pinned by hand-computed figures.

The articles in ``tests/data/mini_annotated.jsonl`` are made up for these tests:

- ``mini-1`` (sysA, 21 words): errors "have discuss" (Fluency/Grammar), "yesterday"
  (Accuracy/Mistranslation, not a fluency error), "make" (Fluency/Grammar), "very happiness"
  annotated twice (Style/Awkward and Fluency/Grammar), an omission without a span, and
  "continue to strengthen the cooperation" (Style/Unnatural or awkward).  Four distinct fluency
  spans: grammar 3, awkward 2.
- ``mini-2`` (refB, human reference, 21 words, with em dashes): " ," (Fluency/Punctuation) and
  "recieve" (Fluency/Spelling).
- ``mini-3`` (sysA, 12 words): no errors.
- ``mini-4`` (sysB, 11 words): WeTS-style "replacement" errors "very like", "because of" (no
  group).

Eight distinct fluency spans in all, 65 words.  No spaCy model or pipeline is needed: the
checkers here are fakes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    from evaluation import (
        Finding,
        IntervalIndex,
        compute_metrics,
        evaluate,
        filter_records,
        format_report,
        load_records,
        overlaps,
        report_to_dict,
    )
finally:
    sys.path.remove(str(ROOT / "benchmarks"))

DATA = ROOT / "tests" / "data" / "mini_annotated.jsonl"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return load_records(DATA)


def by_id(records: list[dict], key: str) -> dict:
    return next(r for r in records if r["id"] == key)


def at(text: str, phrase: str, rule: str = "R1", category: str = "cat") -> Finding:
    """A finding on the first occurrence of ``phrase`` in ``text``."""
    start = text.index(phrase)
    return (start, start + len(phrase), rule, category)


def findings_for(records: list[dict], spec: dict[str, list[Finding]]) -> list[list[Finding]]:
    return [spec.get(r["id"], []) for r in records]


# --------------------------------------------------------------------------- loading


def test_load_records_reads_every_line(records: list[dict]) -> None:
    assert [r["id"] for r in records] == ["mini-1", "mini-2", "mini-3", "mini-4"]
    text = by_id(records, "mini-2")["text"]
    error = by_id(records, "mini-2")["errors"][1]
    assert text[error["start"] : error["end"]] == "recieve"  # code points, past the em dashes


def test_load_records_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n\n{"text": broken}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:3"):
        load_records(path)
    path.write_text('{"no_text": 1}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r":1: expected a JSON object"):
        load_records(path)


def test_filter_records(records: list[dict]) -> None:
    assert [r["id"] for r in filter_records(records, systems=["refB"])] == ["mini-2"]
    assert [r["id"] for r in filter_records(records, exclude_human=True)] == [
        "mini-1",
        "mini-3",
        "mini-4",
    ]
    assert [r["id"] for r in filter_records(records, systems=["sysA"], limit=1)] == ["mini-1"]


# --------------------------------------------------------------------------- overlap


@pytest.mark.parametrize(
    ("a", "b", "c", "d", "expected"),
    [
        (0, 3, 2, 5, True),
        (0, 3, 3, 5, False),  # touching is not overlapping
        (3, 5, 0, 3, False),
        (1, 2, 0, 9, True),
        (4, 4, 2, 6, True),  # an insertion point inside
        (2, 2, 2, 6, True),  # ... on the left edge
        (6, 6, 2, 6, True),  # ... on the right edge
        (7, 7, 2, 6, False),
        (2, 6, 6, 6, True),  # symmetric
        (3, 3, 3, 3, True),
        (3, 3, 4, 4, False),
    ],
)
def test_overlaps(a: int, b: int, c: int, d: int, expected: bool) -> None:
    assert overlaps(a, b, c, d) is expected


spans = st.tuples(st.integers(0, 30), st.integers(0, 8)).map(lambda t: (t[0], t[0] + t[1]))


@given(st.lists(spans, max_size=12), spans)
def test_interval_index_agrees_with_brute_force(
    indexed: list[tuple[int, int]], query: tuple[int, int]
) -> None:
    expected = any(overlaps(query[0], query[1], s, e) for s, e in indexed)
    assert IntervalIndex(indexed).hits(*query) is expected


# --------------------------------------------------------------------------- precision


def test_precision_counts_distinct_spans_against_any_error(records: list[dict]) -> None:
    text = by_id(records, "mini-1")["text"]
    report = compute_metrics(
        records,
        findings_for(
            records,
            {
                "mini-1": [
                    at(text, "have discuss", "X"),  # fluency error: hit
                    at(text, "plan", "X"),  # nothing there: miss
                    at(text, "yesterday", "Y"),  # an accuracy error still counts: hit
                    at(text, "have discuss", "Y"),  # same span, other rule: counted once
                    at(text, "have discuss", "X"),  # exact repeat: not a new finding
                ]
            },
        ),
    )
    overall = report.overall
    assert overall.spans == 3
    assert overall.findings == 4
    assert overall.precision == pytest.approx(2 / 3)
    assert overall.per_1k == pytest.approx(4 * 1000 / 65)
    assert report.words == 65
    assert report.errors == 10  # spans only: the omission has none
    assert report.fluency_errors == 8


def test_no_findings_gives_undefined_precision(records: list[dict]) -> None:
    report = compute_metrics(records, [[] for _ in records])
    assert report.overall.findings == 0
    assert report.overall.precision is None
    assert report.overall.lift is None
    assert report.overall.pinpoint_recall == 0
    assert report.by_rule == {}


def test_zero_length_finding_touching_an_error(records: list[dict]) -> None:
    text = by_id(records, "mini-1")["text"]
    end_of_make = text.index("make") + len("make")
    inside_plan = text.index("plan") + 2
    report = compute_metrics(
        records,
        findings_for(
            records,
            {
                "mini-1": [
                    (end_of_make, end_of_make, "Z", "c"),
                    (inside_plan, inside_plan, "Z", "c"),
                ]
            },
        ),
    )
    assert report.overall.precision == pytest.approx(1 / 2)
    assert report.overall.pinpoint_recall == pytest.approx(1 / 8)


def test_findings_outside_the_text_are_rejected(records: list[dict]) -> None:
    length = len(by_id(records, "mini-3")["text"])
    with pytest.raises(ValueError, match="outside the text"):
        compute_metrics(
            records, findings_for(records, {"mini-3": [(length - 2, length + 1, "R", "c")]})
        )
    with pytest.raises(ValueError, match="4 records but 1"):
        compute_metrics(records, [[]])


# --------------------------------------------------------------------------- pinpoint recall


def test_pinpoint_recall_over_distinct_fluency_spans(records: list[dict]) -> None:
    t1, t2 = by_id(records, "mini-1")["text"], by_id(records, "mini-2")["text"]
    report = compute_metrics(
        records,
        findings_for(
            records,
            {
                "mini-1": [at(t1, "very happiness"), at(t1, "yesterday")],  # yesterday: not fluency
                "mini-2": [at(t2, "recieve")],
            },
        ),
    )
    # "very happiness" (annotated twice, one span) and "recieve": 2 of 8 distinct spans.
    assert report.overall.pinpoint_recall == pytest.approx(2 / 8)
    assert report.overall.pinpoint_findings == 3


def test_pinpoint_limit_is_fifty_characters(records: list[dict]) -> None:
    text = by_id(records, "mini-1")["text"]
    start = text.index("make")  # a span from here reaches "make" and "very happiness"
    short = compute_metrics(
        records, findings_for(records, {"mini-1": [(start, start + 50, "R", "c")]})
    )
    long = compute_metrics(
        records, findings_for(records, {"mini-1": [(start, start + 51, "R", "c")]})
    )
    assert short.overall.pinpoint_recall == pytest.approx(
        3 / 8
    )  # make, very happiness, continue...
    assert long.overall.pinpoint_recall == 0
    assert long.overall.precision == 1.0  # a long finding still counts for precision
    custom = compute_metrics(
        records, findings_for(records, {"mini-1": [(start, start + 51, "R", "c")]}), max_pinpoint=60
    )
    assert custom.overall.pinpoint_recall == pytest.approx(3 / 8)


def test_pinpoint_recall_by_group(records: list[dict]) -> None:
    t1, t2 = by_id(records, "mini-1")["text"], by_id(records, "mini-2")["text"]
    report = compute_metrics(
        records,
        findings_for(records, {"mini-1": [at(t1, "very happiness")], "mini-2": [at(t2, " ,")]}),
    )
    assert report.group_errors == {"grammar": 3, "awkward": 2, "punctuation": 1, "spelling": 1}
    groups = report.overall.groups
    assert groups["grammar"].errors == 3
    assert groups["grammar"].pinpoint_recall == pytest.approx(1 / 3)
    assert groups["awkward"].pinpoint_recall == pytest.approx(1 / 2)
    assert groups["punctuation"].pinpoint_recall == 1.0
    assert groups["spelling"].pinpoint_recall == 0.0
    assert report.overall.pinpoint_recall == pytest.approx(2 / 8)


def test_wets_style_records_have_no_groups(records: list[dict]) -> None:
    wets = [by_id(records, "mini-4")]
    report = compute_metrics(wets, [[at(wets[0]["text"], "because of")]])
    assert report.group_errors == {}
    assert report.overall.groups == {}
    assert report.overall.pinpoint_recall == pytest.approx(1 / 2)


# --------------------------------------------------------------------------- per rule / category


def test_per_rule_and_per_category_breakdown(records: list[dict]) -> None:
    text = by_id(records, "mini-1")["text"]
    report = compute_metrics(
        records,
        findings_for(
            records,
            {
                "mini-1": [
                    at(text, "have discuss", "X", "grammar"),
                    at(text, "plan", "X", "grammar"),
                    at(text, "yesterday", "Y", "style"),
                    at(text, "have discuss", "Y", "style"),
                ]
            },
        ),
    )
    x, y = report.by_rule["X"], report.by_rule["Y"]
    assert (x.findings, x.precision, x.pinpoint_recall) == (2, 0.5, pytest.approx(1 / 8))
    assert (y.findings, y.precision, y.pinpoint_recall) == (2, 1.0, pytest.approx(1 / 8))
    assert x.per_1k == pytest.approx(2 * 1000 / 65)
    assert report.overall.pinpoint_recall == pytest.approx(1 / 8)  # both found the same span
    assert report.by_category["grammar"].precision == 0.5
    assert report.by_category["style"].precision == 1.0


def test_per_rule_chance_moves_only_that_rules_findings(records: list[dict]) -> None:
    text = by_id(records, "mini-1")["text"]
    x = [at(text, "have discuss", "X"), at(text, "plan", "X")]
    y = [at(text, "cooperation", "Y")]
    both = compute_metrics(records, findings_for(records, {"mini-1": x + y}))
    alone = compute_metrics(records, findings_for(records, {"mini-1": x}))
    assert both.by_rule["X"].chance_precision == alone.overall.chance_precision
    assert both.by_rule["X"].chance_pinpoint_recall == alone.overall.chance_pinpoint_recall


# --------------------------------------------------------------------------- chance


def test_chance_is_deterministic_and_depends_on_the_seeds(records: list[dict]) -> None:
    text = by_id(records, "mini-1")["text"]
    findings = findings_for(records, {"mini-1": [at(text, "plan"), at(text, "make")]})
    first = compute_metrics(records, findings, seeds=3)
    again = compute_metrics(records, findings, seeds=3)
    assert report_to_dict(first) == report_to_dict(again)
    assert 0 < first.overall.chance_precision < 1
    assert first.overall.lift == pytest.approx(
        first.overall.precision / first.overall.chance_precision
    )
    assert first.overall.pinpoint_lift == pytest.approx(
        first.overall.pinpoint_recall / first.overall.chance_pinpoint_recall
    )
    other = compute_metrics(records, findings, seeds=1)
    assert other.overall.chance_precision != first.overall.chance_precision


def test_chance_of_an_error_covering_everything_is_one() -> None:
    record = {"id": "all", "text": "every word here is wrong", "errors": [], "fluency_errors": []}
    record["errors"] = record["fluency_errors"] = [
        {"start": 0, "end": 24, "category": "Fluency/Grammar"}
    ]
    report = compute_metrics([record], [[(6, 10, "R", "c")]])
    assert report.overall.chance_precision == 1.0
    assert report.overall.lift == 1.0
    assert report.overall.chance_pinpoint_recall == 1.0
    assert report.overall.pinpoint_lift == 1.0
    assert report.overall.groups["grammar"].pinpoint_lift == 1.0


def test_chance_never_hitting_gives_undefined_lift() -> None:
    # The error sits inside a word; a one-character finding moved to a word start never reaches it.
    record = {
        "text": "aa bb cc dd",
        "errors": [{"start": 1, "end": 2}],
        "fluency_errors": [{"start": 1, "end": 2}],
    }
    report = compute_metrics([record], [[(1, 2, "R", "c")]])
    assert report.overall.precision == 1.0
    assert report.overall.chance_precision == 0.0
    assert report.overall.lift is None
    assert report.overall.pinpoint_lift is None


def test_chance_converges_to_the_share_of_word_starts_in_errors() -> None:
    # Word starts 0, 3, 6, 9; the error covers the first two words; a one-character finding
    # moved at random hits it half the time.
    record = {
        "id": "half",
        "text": "ab cd ef gh",
        "errors": [{"start": 0, "end": 5}],
        "fluency_errors": [],
    }
    report = compute_metrics([record], [[(9, 10, "R", "c")]], seeds=2, draws=2000)
    assert report.overall.chance_precision == pytest.approx(0.5, abs=0.03)
    assert report.overall.precision == 0.0


def test_moved_long_finding_earns_no_pinpoint_recall_even_when_clipped() -> None:
    text = "word " * 30
    record = {
        "text": text,
        "errors": [],
        "fluency_errors": [{"start": len(text) - 5, "end": len(text) - 1}],
    }
    report = compute_metrics([record], [[(0, 60, "R", "c")]], draws=50)
    assert report.overall.chance_pinpoint_recall == 0.0


# --------------------------------------------------------------------------- running and output


def test_evaluate_runs_the_checker_on_each_article() -> None:
    seen: list[str] = []

    def checker(text: str) -> list[Finding]:
        seen.append(text)
        return [at(text, "recieve", "SPELL", "spelling")] if "recieve" in text else []

    report = evaluate(DATA, checker, exclude_human=False)
    assert len(seen) == 4
    assert report.overall.precision == 1.0
    assert report.overall.pinpoint_recall == pytest.approx(1 / 8)
    assert report.label == str(DATA)
    assert report.check_seconds is not None

    refb = evaluate(DATA, checker, systems=["refB"])
    assert refb.records == 1
    assert refb.fluency_errors == 2
    assert refb.overall.pinpoint_recall == pytest.approx(1 / 2)


def test_format_report_puts_weak_rules_first(records: list[dict]) -> None:
    t1 = by_id(records, "mini-1")["text"]
    t3 = by_id(records, "mini-3")["text"]
    report = compute_metrics(
        records,
        findings_for(
            records,
            {
                "mini-1": [at(t1, "make", "GOOD", "grammar")],
                "mini-3": [at(t3, "sentence", "WEAK", "style"), at(t3, "nothing", "WEAK", "style")],
            },
        ),
    )
    table = format_report(report)
    assert table.index("!WEAK") < table.index(" GOOD")
    assert "pinpoint recall by group" in table
    json.dumps(report_to_dict(report))  # JSON-ready


# --------------------------------------------------------------------------- the command line


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "evaluate.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    result = run_cli(str(tmp_path / "nope.jsonl"), "--engine", "harper")
    assert result.returncode == 2
    assert "cannot read" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_bad_file_and_empty_selection_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    result = run_cli(str(bad))
    assert result.returncode == 2
    assert "bad.jsonl:1" in result.stderr
    result = run_cli(str(DATA), "--system", "nobody")
    assert result.returncode == 2
    assert "no articles left" in result.stderr


# --------------------------------------------------------------------------- evidence per rule


def test_exact_lower_bound_matches_clopper_pearson() -> None:
    from evaluation import beta_cdf, exact_lower

    # Clopper–Pearson 95% lower bounds: x/n = 1/1 -> 0.025, 10/20 -> 0.2720, 0/5 -> 0
    assert exact_lower(1, 1) == pytest.approx(0.025, abs=1e-6)
    assert exact_lower(10, 20) == pytest.approx(0.27196, abs=1e-4)
    assert exact_lower(0, 5) == 0.0 and exact_lower(3, 0) is None
    assert beta_cdf(0.5, 2, 2) == pytest.approx(0.5) and beta_cdf(0.3, 1, 1) == pytest.approx(0.3)
    assert beta_cdf(0.2, 2, 5) == pytest.approx(0.34464, abs=1e-5)  # I_0.2(2, 5)


def _unit(stratum: str, group: str, record: int, hit: float, chance: float) -> "EvidenceUnit":
    from evaluation import EvidenceUnit

    return EvidenceUnit(stratum, group, record, 1, hit, chance)


def test_evidence_units_pool_a_repeated_text_within_an_article() -> None:
    from evaluation import evidence_units

    text = "Code 600519 rose. Code 600519 fell. Code 600519 held. The others were quiet here today."
    starts = [i for i in range(len(text)) if text.startswith("600519", i)]
    record = {"id": "r1", "text": text,
              "errors": [{"start": s, "end": s + 6} for s in starts], "fluency_errors": []}
    findings = [[(s, s + 6, "STOCK", "x") for s in starts] + [(text.index("quiet"), text.index("quiet") + 5, "STOCK", "x")]]
    units = evidence_units([record], findings, stratum="news")["STOCK"]
    assert len(units) == 2  # "600519" three times is one piece of evidence, "quiet" another
    stock = next(u for u in units if u.spans == 3)
    assert stock.hit == 1.0 and 0 < stock.chance < 1 and stock.group == "rec:r1"


def test_source_groups_keep_a_talks_translations_together() -> None:
    from evaluation import grouped_folds, source_group

    records = [{"id": f"t{i}", "doc_id": f"talk.{i % 3}", "text": "x"} for i in range(9)]
    folds = grouped_folds(records, 5)
    assert len(set(folds)) == 3  # three talks: three folds, whatever k
    for a, b in zip(records, folds):
        assert all(f == b for r, f in zip(records, folds) if r["doc_id"] == a["doc_id"])
    wets = [{"id": f"w{i}", "text": "x"} for i in range(20)]
    folds = grouped_folds(wets, 5)
    assert sorted(folds.count(k) for k in range(5)) == [4] * 5 and grouped_folds(wets, 5) == folds
    assert source_group(wets[0], 0) == "rec:w0" and source_group(records[1], 1) == "doc:talk.1"
    with pytest.raises(ValueError):
        grouped_folds(wets[:1], 5)


def test_lift_interval_is_narrow_for_a_consistent_rule_and_wide_for_a_lucky_one() -> None:
    from evaluation import lift_interval, rule_evidence

    groups = {"news": [f"g{i}" for i in range(40)]}
    steady = [_unit("news", f"g{i}", i, 1.0 if i % 3 else 0.0, 0.25) for i in range(40)]  # 2/3 hit, chance 1/4
    low, high = lift_interval(steady, groups, boot=500)
    assert 1.5 < low < 8 / 3 < high < 4
    low2, high2, one_sided = lift_interval(steady, groups, boot=500, one_sided=0.95)
    assert (low2, high2) == (low, high) and low < one_sided < 8 / 3
    lucky = [_unit("news", "g0", 0, 1.0, 0.25)]
    ev = rule_evidence({"STEADY": steady, "LUCKY": lucky}, groups, boot=500)
    steady_ev = ev["STEADY"]
    assert steady_ev.passes and steady_ev.ci_low < steady_ev.lower_bound <= steady_ev.exact_low  # one-sided 95%
    assert not ev["LUCKY"].passes and ev["LUCKY"].lower_bound is None  # one source group: no bound
    below = [_unit("news", f"g{i}", i, 1.0 if i % 5 == 0 else 0.0, 0.25) for i in range(40)]
    assert not rule_evidence({"B": below}, groups, boot=500)["B"].passes
    assert lift_interval([], groups) == (None, None)


def test_spread_summarises_fold_figures() -> None:
    from evaluation import spread

    s = spread([1.0, 2.0, 3.0, None])
    assert s["mean"] == 2.0 and s["sd"] == pytest.approx(1.0) and (s["min"], s["max"], s["n"]) == (1.0, 3.0, 3)
    assert spread([None])["mean"] is None


def test_cross_validation_policy() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import evaluate as bench
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from evaluation import RuleEvidence

    def ev(units, groups, low):
        return RuleEvidence("R", units, units, groups, 0.5, 0.2, 2.5, low, 3.0, low, low)

    strong, weak = ev(30, 10, 1.4), ev(30, 10, 0.9)
    assert bench.decide("MT900", strong, True)[0] and not bench.decide("MT900", weak, True)[0]
    assert not bench.decide("MT900", strong, False)[0]  # opt-in stays opt-in
    assert bench.decide("HARPER/Foo", strong, True)[0] and not bench.decide("HARPER/Foo", None, True)[0]
    assert not bench.decide("HARPER/SpellCheck", strong, False)[0]  # off for a reason, whatever its figures
    rare_rule = ev(2, 2, None)
    assert bench.decide("MT901", rare_rule, True, pool=strong)[0]
    assert not bench.decide("MT901", rare_rule, True, pool=weak)[0]
    assert bench.decide("MT902", None, True, pool=strong)[0]  # never fired: judged with the rare rules
    assert not bench.decide("HARPER/Bar", rare_rule, True, pool=strong)[0]  # Harper: no pooling


def test_cli_cv_unwritable_outputs_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    for option in ("--write-evidence", "--findings-cache"):
        result = run_cli(str(DATA), "--cv", "--folds", "2", "--quiet", "--no-human", option, str(blocker / "out.json"))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("error: cannot write") and "Traceback" not in result.stderr
