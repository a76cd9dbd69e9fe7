"""The false-alarm benchmark (benchmarks/false_alarms.py) and the human-English part of rule
admission (benchmarks/evaluate.py --cv): readers, rates per rule and the policy, on small
made-up data (every sentence here is written for these tests)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    import evaluate as bench
    import false_alarms as fa
    from evaluation import RuleEvidence, RuleRate, per_1k, record_rates, sum_rates, total_rate
finally:
    sys.path.remove(str(ROOT / "benchmarks"))


# --------------------------------------------------------------------------- readers


def test_mlqe_detokenize_joins_moses_clitics_and_drops_zero_width_spaces() -> None:
    assert fa.mlqe_detokenize("He hadn 't seen the boat 's sail , had he ?") == "He hadn't seen the boat's sail, had he?"
    assert fa.mlqe_detokenize("The \u200b \u200b river ( the long one ) froze .") == "The river (the long one) froze."


def _pe(folder: Path, name: str, split: str, lines: list[str]) -> None:
    (folder / name).mkdir(parents=True)
    (folder / name / f"{split}.pe").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_mlqe_pe_reader(tmp_path: Path) -> None:
    _pe(tmp_path, "ne-en-dev", "dev", [f"Line {i} of the dev set ." for i in range(20)])
    _pe(tmp_path / "test", "ro-en-test20", "test20", ["A cat sat .", "", "It didn 't move ."])
    _pe(tmp_path, "si-en-train", "train", ["Only with the train flag ."])
    _pe(tmp_path, "et-en-dev", "dev", ["Kept aside , never read ."])
    articles = fa.mlqe_pe_articles(tmp_path)
    assert [a["id"] for a in articles] == ["mlqe-pe:ne-en-dev:0000", "mlqe-pe:ne-en-dev:0001",
                                           "mlqe-pe:ro-en-test20:0000"]
    first = articles[0]["text"].split("\n\n")
    assert len(first) == 15 and first[0] == "Line 0 of the dev set." and len(articles[1]["text"].split("\n\n")) == 5
    assert articles[2]["text"] == "A cat sat.\n\nIt didn't move."  # blank lines skipped, one paragraph a sentence
    assert not any("aside" in a["text"] for a in articles)  # et-en is never read
    with_train = fa.mlqe_pe_articles(tmp_path, train=True)
    assert with_train[-1]["id"] == "mlqe-pe:si-en-train:0000"
    assert [name for name, _ in fa.mlqe_pe_files(tmp_path)] == ["ne-en-dev", "ro-en-test20"]
    with pytest.raises(fa.UsageError, match="not a folder"):
        fa.mlqe_pe_articles(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(fa.UsageError, match="no .*pe under"):
        fa.mlqe_pe_articles(tmp_path / "empty")


def test_mlqe_pe_folder_from_option_or_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(fa.MLQE_ENV, raising=False)
    assert fa.mlqe_pe_folder(None) is None
    monkeypatch.setenv(fa.MLQE_ENV, str(tmp_path))
    assert fa.mlqe_pe_folder(None) == tmp_path and fa.mlqe_pe_folder(Path("x")) == Path("x")


def _jfleg(path: Path, n: int = 3) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(n):
            refs = [f"The {i} dogs do n't bark .", f"Dogs {i} never bark .", "x .", "y ."]
            handle.write(json.dumps({"id": f"j{i}", "source": "dogs no bark", "references": refs}) + "\n")
    return path


def test_jfleg_articles_detokenize_the_references(tmp_path: Path) -> None:
    path = _jfleg(tmp_path / "jfleg.jsonl", 3)
    articles = fa.jfleg_articles(path, size=2)
    assert [a["text"] for a in articles] == ["The 0 dogs don't bark.\n\nThe 1 dogs don't bark.",
                                             "The 2 dogs don't bark."]
    assert len(fa.jfleg_articles(path, all_refs=True)[0]["text"].split("\n\n")) == 12
    (tmp_path / "bad.jsonl").write_text('{"references": "no list"}\n', encoding="utf-8")
    with pytest.raises(fa.UsageError, match="bad.jsonl:1"):
        fa.jfleg_articles(tmp_path / "bad.jsonl")


# --------------------------------------------------------------------------- rates per rule


def test_record_rates_count_distinct_findings_errors_and_hits() -> None:
    text = "One two three four five six seven eight nine ten."
    record = {"text": text, "errors": [{"start": 4, "end": 7}]}  # "two"
    findings = [
        (4, 7, "A", "c", "error"),
        (4, 7, "A", "c", "error"),  # the same finding again: counted once
        (8, 13, "A", "c", "warning"),
        (4, 7, "B", "c", "warning"),  # another rule on the same span: its own finding
    ]
    rates = record_rates(record, findings)
    assert rates["A"] == RuleRate(findings=2, errors=1, spans=2, hits=1) and rates["A"].precision == 0.5
    assert rates["B"] == RuleRate(findings=1, errors=0, spans=1, hits=1)
    plain = record_rates({"text": text}, [(0, 3, "A", "c")])  # no severity, no annotations
    assert plain["A"] == RuleRate(1, 0, 1, 0)
    total = sum_rates([rates, plain])
    assert total["A"] == RuleRate(3, 1, 3, 1) and total_rate(total) == RuleRate(4, 1, 4, 2)
    assert per_1k(3, 1500) == 2.0 and per_1k(1, 0) is None


def _source(name: str, kind: str, texts: list[str]) -> fa.Source:
    return fa.Source(name, kind, [{"id": f"{name}{i}", "text": t, "errors": []} for i, t in enumerate(texts)])


def test_summarize_puts_human_rates_beside_mt_rates() -> None:
    human_text = " ".join(["word"] * 500)  # 500 words
    mt_text = " ".join(["word"] * 1000)
    sources = [_source("ted-human", "human", [human_text]), _source("jfleg-refs", "human", [human_text]),
               _source("wets", "mt", [mt_text])]
    found = {
        "ted-human": [[(0, 4, "R1", "c", "error"), (5, 9, "R2", "c", "warning")]],
        "jfleg-refs": [[(0, 4, "R1", "c", "error")]],
        "wets": [[(0, 4, "R1", "c", "error"), (5, 9, "R1", "c", "error"), (10, 14, "R1", "c", "error"),
                  (15, 19, "R3", "c", "info")]],
    }
    result = fa.summarize(sources, found)
    assert result["human"]["words"] == 1000 and result["human"]["per_1k"] == 3.0
    assert result["human"]["errors_per_1k"] == 2.0
    assert result["sources"]["ted-human"]["per_1k"] == 4.0 and result["sources"]["wets"]["per_1k"] == 4.0
    r1 = result["rules"]["R1"]
    assert r1["human_sources"]["ted-human"] == {"findings": 1, "errors": 1, "per_1k": 2.0, "errors_per_1k": 2.0}
    assert r1["human"]["per_1k"] == 2.0 and r1["mt_per_1k"] == 3.0 and r1["ratio"] == 1.5
    assert r1["severity"] == "error" and r1["precision"] == 0.0
    assert result["rules"]["R2"]["mt_per_1k"] == 0.0 and result["rules"]["R3"]["ratio"] is None
    assert result["targets"]["pass"] is False and result["targets"]["findings_pass"] is False
    text = fa.format_result(result, {"wets": 1.0})
    assert "R1" in text and "FAIL" in text and "MT/human" in text
    shown = fa.shown(sources, found, ["R2"])
    assert [(s["rule"], s["source"], s["text"]) for s in shown] == [("R2", "ted-human", "word")]


def test_targets() -> None:
    assert fa.targets({"per_1k": 2.0, "errors_per_1k": 0.3})["pass"]
    assert not fa.targets({"per_1k": 1.0, "errors_per_1k": 0.31})["pass"]
    assert not fa.targets({"per_1k": None, "errors_per_1k": None})["pass"]


# --------------------------------------------------------------------------- the admission policy


def _human(mt: int, mt_words: int, human: int, human_words: int, hits: int = 0) -> bench.HumanEvidence:
    return bench.HumanEvidence(RuleRate(mt, 0, mt, hits), mt_words, RuleRate(human, 0, human, 0), human_words)


def _evidence(low: float | None, units: int = 30, groups: int = 10) -> RuleEvidence:
    return RuleEvidence("R", units, units, groups, 0.5, 0.2, 2.5, low, 3.0, low, low)


def test_a_rule_about_as_common_on_human_english_is_turned_off() -> None:
    strong = _evidence(1.4)
    on, reason = bench.decide("MT900", strong, True, human=_human(100, 50_000, 5, 5_000))  # 2.0 vs 1.0 per 1k
    assert not on and reason.startswith("fires about as often on human English")
    assert bench.decide("MT900", strong, True, human=_human(150, 50_000, 5, 5_000))[0]  # exactly 3x: kept
    assert bench.decide("MT900", strong, True, human=_human(20, 10_000, 0, 1_000))[0]  # never on human English
    assert bench.decide("MT900", strong, True, human=_human(0, 10_000, 0, 0))[0]  # no human English measured
    assert bench.decide("MT900", strong, True)[0]  # no human evidence: the lift policy alone
    assert not bench.decide("MT900", strong, False, human=_human(30, 1_000, 0, 1_000))[0]  # opt-in stays opt-in
    assert not bench.decide("MT900", _evidence(0.9), True, human=_human(30, 1_000, 0, 1_000))[0]
    harper = bench.decide("HARPER/Foo", strong, True, human=_human(1, 1_000, 5, 1_000))
    assert harper == (False, harper[1]) and "human English" in harper[1]
    rare = bench.decide("MT901", _evidence(None, 2, 2), True, pool=strong, human=_human(2, 10_000, 6, 2_000))
    assert not rare[0] and "human English" in rare[1]


def test_severity_policy() -> None:
    assert _human(100, 10_000, 1, 10_000, hits=85).severity == "error"  # precision 0.85, 0.1 per 1k
    assert _human(100, 10_000, 1, 10_000, hits=84).severity == "warning"
    assert _human(10, 10_000, 0, 10_000, hits=10).severity == "error"  # precise over 10 findings on MT
    assert _human(9, 10_000, 0, 10_000, hits=9).severity == "warning"  # 9: too few to call it an error
    assert _human(100, 10_000, 2, 10_000, hits=100).severity == "warning"  # 0.2 per 1k on human English
    assert _human(0, 10_000, 0, 10_000).severity == "warning"  # no precision: no error
    assert _human(100, 10_000, 0, 0, hits=100).severity == "warning"  # human rate unknown
    ev = _human(30, 10_000, 1, 1_000)
    assert ev.mt_per_1k == 3.0 and ev.human_per_1k == 1.0 and ev.ratio == 3.0


def test_human_evidence_pools_rows_and_holds_out_folds() -> None:
    rows = [
        ("wets", 0, False, 1000, {"R": RuleRate(4, 0, 4, 2)}),
        ("ted", 0, True, 500, {"R": RuleRate(1, 1, 1, 0)}),
        ("ted", 1, False, 1000, {"R": RuleRate(2, 0, 2, 2), "Q": RuleRate(1, 0, 1, 0)}),
        ("human:jfleg-refs", 0, True, 500, {}),
    ]
    ev = bench.human_evidence(rows, rules=["Z"])
    assert ev["R"].mt_per_1k == 3.0 and ev["R"].human_per_1k == 1.0 and ev["R"].precision == pytest.approx(4 / 6)
    assert ev["Z"].human_per_1k == 0.0 and ev["Q"].human.findings == 0
    held = bench.human_evidence(rows, lambda name, i: name != "ted")
    assert held["R"].mt_per_1k == 4.0 and held["R"].human_per_1k == 0.0 and "Q" not in held


def test_severity_disagreements() -> None:
    rules = {
        "MT1": {"engine": "cleanup", "severity": "error", "severity_by_policy": "warning", "decision": True},
        "MT2": {"engine": "cleanup", "severity": "warning", "severity_by_policy": "error", "decision": False},
        "MT3": {"engine": "cleanup", "severity": "info", "severity_by_policy": "warning", "decision": True},
        "HARPER/X": {"engine": "harper", "severity": "error", "severity_by_policy": "warning", "decision": True},
    }
    found = bench.severity_disagreements({"rules": rules})
    assert [(d["rule"], d["change"], d["on"]) for d in found] == [("MT1", "demote", True), ("MT2", "may_promote", False)]
    assert "MT1" in bench.format_severities(found) and "none" in bench.format_severities([])


def test_cv_human_sets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(fa.MLQE_ENV, raising=False)

    def args(**kw) -> argparse.Namespace:
        base = {"human": None, "jfleg": None, "mlqe_pe": None, "data": [tmp_path / "wets.jsonl"], "quiet": True,
                "limit": None}
        return argparse.Namespace(**{**base, **kw})

    assert bench._human_sets(args()) == []  # nothing there: skipped
    with pytest.raises(bench.UsageError, match="cannot read"):
        bench._human_sets(args(human=True))  # asked for: must be there
    _jfleg(tmp_path / "jfleg_dev.jsonl", 30)
    _pe(tmp_path / "mlqe", "si-en-dev", "dev", ["A line ."] * 16)
    sets = bench._human_sets(args(mlqe_pe=tmp_path / "mlqe"))
    assert [(name, len(records)) for name, records in sets] == [("human:jfleg-refs", 2), ("human:mlqe-pe", 2)]
    assert bench._human_sets(args(human=False, mlqe_pe=tmp_path / "mlqe")) == []
    assert [len(r) for _, r in bench._human_sets(args(limit=1, mlqe_pe=tmp_path / "mlqe"))] == [1, 1]


# --------------------------------------------------------------------------- the script


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / "false_alarms.py"), *args],
                          capture_output=True, text=True, cwd=ROOT,
                          env={k: v for k, v in os.environ.items() if k != fa.MLQE_ENV})


def test_cli_missing_file_exits_2(tmp_path: Path) -> None:
    result = run_cli("--data-dir", str(tmp_path))
    assert result.returncode == 2 and "cannot read" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("--data-dir", str(ROOT.parent / "shared" / "data"), "--mlqe-pe", str(tmp_path / "none"))
    assert result.returncode == 2 and "MLQE-PE" in result.stderr


def test_cli_end_to_end_on_a_tiny_data_dir(tmp_path: Path) -> None:
    ted = [{"id": "t1", "system": "ref", "is_human_reference": True, "doc_id": "talk.1",
            "text": "The river was calm that morning, and the boats stayed in the harbour.", "errors": []},
           {"id": "t2", "system": "SysA", "is_human_reference": False, "doc_id": "talk.1",
            "text": "River is calm in that morning, boats is stay at harbour.",
            "errors": [{"start": 0, "end": 8}], "fluency_errors": [{"start": 0, "end": 8, "category": "Fluency/Grammar"}]}]
    (tmp_path / fa.TED).write_text("".join(json.dumps(r) + "\n" for r in ted), encoding="utf-8")
    (tmp_path / fa.WETS).write_text(json.dumps({"id": "w1", "text": "He very like the swimming.", "errors": []}) + "\n",
                                    encoding="utf-8")
    _jfleg(tmp_path / fa.JFLEG, 2)
    _pe(tmp_path / "mlqe", "ru-en-test20", "test20", ["The bridge opened in spring ."])
    cache = tmp_path / "cache.json"
    result = run_cli("--data-dir", str(tmp_path), "--mlqe-pe", str(tmp_path / "mlqe"), "--json", "--targets",
                     "--findings-cache", str(cache), "--quiet")
    assert result.returncode in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert list(data["sources"]) == ["ted-human", "jfleg-refs", "mlqe-pe", "wets", "ted-mt"]
    assert data["human"]["words"] == 13 + 10 + 5 and data["targets"]["pass"] is (result.returncode == 0)
    again = run_cli("--data-dir", str(tmp_path), "--mlqe-pe", str(tmp_path / "mlqe"), "--human-only", "--quiet",
                    "--findings-cache", str(cache), "--show", "MT,ST,TY,HARPER")
    assert again.returncode == 0 and "findings shown" in again.stdout and "ted-human" in again.stdout
