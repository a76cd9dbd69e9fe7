"""benchmarks/rewrite_quality.py and its scoring (benchmarks/rewrite_metrics.py), pinned by
hand-computed cases.

Every sentence here is made up for these tests (none comes from JFLEG).  The fixpoint and
attribution logic runs on a fake checker (regular expressions yielding real ``Finding`` objects),
so no spaCy model is needed except in the one end-to-end run of the script.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    import rewrite_metrics as rm
    import rewrite_quality as rq
finally:
    sys.path.remove(str(ROOT / "benchmarks"))


# --------------------------------------------------------------------------- tokenization


@pytest.mark.parametrize("tokens, prose", [
    ("I do n't know if he 's here .", "I don't know if he's here."),
    ("We ca n't stay , we wo n't go !", "We can't stay, we won't go!"),
    ("It costs 2 0 % more since 1 9 9 8 .", "It costs 20% more since 1998."),
    ("They said \" we are late \" and left .", "They said \"we are late\" and left."),
    ("A list ( short ) : one ; two ...", "A list (short): one; two..."),
    ("in ten years ' time", "in ten years' time"),
    ("a heat(energy) source", "a heat(energy) source"),
    ("the whole &amp; thing", "the whole &amp; thing"),
    ("so good ! ! !", "so good!!!"),
    ("it ends here etc. .", "it ends here etc.."),
    ("my 1 0th try", "my 10th try"),
])
def test_detokenize_reads_as_prose_and_round_trips(tokens, prose):
    assert rm.detokenize(tokens) == prose
    assert rm.tokenize(prose) == tokens.split()


def test_tokenize_splits_a_full_stop_only_at_the_end_as_jfleg_does():
    assert rm.tokenize("Mr. Li came. Then he left.") == ["Mr.", "Li", "came.", "Then", "he", "left", "."]
    assert rm.tokenize("Is it? Yes!") == ["Is", "it", "?", "Yes", "!"]


def test_tokenize_handles_curly_apostrophes_and_currency():
    assert rm.tokenize("I don’t pay $50.") == ["I", "do", "n’t", "pay", "$", "5", "0", "."]
    assert rm.tokenize("Lopez's car") == ["Lopez", "'s", "car"]
    assert rm.tokenize("don'ts and need't") == ["don'ts", "and", "need't"]


def test_round_trip_on_the_jfleg_dev_set(shared):
    """The share the script reports: every dev source comes back as its own tokens."""
    records = rq.load_records(shared / "data" / "jfleg_dev.jsonl")
    ok, total = rq.round_trip_share(records)
    assert total == 754 and ok / total >= 0.99


# --------------------------------------------------------------------------- GLEU

SRC = "a b c d".split()
REF = "a b x d".split()


def test_gleu_statistics_by_hand():
    sent = rm.GleuSentence.of(SRC, [REF])
    # unchanged source: unigrams a b d right, c kept though the reference changed it (penalty)
    # -> 3 - 1 = 2 of 4; bigrams: ab right, bc and cd kept wrongly -> max(1 - 2, 0) = 0 of 3
    assert sent.stats(SRC) == [(4, 4, 2, 4, 0, 3, 0, 2, 0, 1)]
    assert rm.gleu_from_stats(sent.stats(SRC)[0]) == 0.0
    # smoothed (sentence level): zeros count as 1 -> (2/4 * 1/3 * 1/2 * 1/1) ** (1/4), no brevity penalty
    assert rm.gleu_from_stats(sent.stats(SRC)[0], smooth=True) == pytest.approx((1 / 12) ** 0.25)
    assert rm.gleu_from_stats(sent.stats(REF)[0]) == pytest.approx(1.0)


def test_gleu_brevity_penalty_and_sentence_mean():
    sent = rm.GleuSentence.of(SRC, [REF, SRC])
    short = "a b x".split()
    by_ref = sent.stats(short)
    assert by_ref[0] == (3, 4, 3, 3, 2, 2, 1, 1, 0, 0)
    # 4-grams: none (denominator 0): smoothed to 1/1; brevity penalty exp(1 - 4/3)
    assert rm.gleu_from_stats(by_ref[0], smooth=True) == pytest.approx(math.exp(-1 / 3))
    # against the unchanged source as reference: nothing is penalised; a b right (2 of 3), ab (1 of 2)
    assert by_ref[1] == (3, 4, 2, 3, 1, 2, 0, 1, 0, 0)
    expected_1 = math.exp(1 - 4 / 3 + (math.log(2 / 3) + math.log(1 / 2) + math.log(1 / 1) + math.log(1)) / 4)
    assert rm.sentence_gleu(by_ref) == pytest.approx((math.exp(-1 / 3) + expected_1) / 2)


def test_corpus_gleu_sums_statistics_before_dividing():
    one = rm.GleuSentence.of(SRC, [REF])
    two = rm.GleuSentence.of("p q".split(), ["p q".split()])
    stats = [one.stats(REF), two.stats("p q".split())]
    # sums: c 6, r 6; n1 6/6, n2 4/4, n3 2/2, n4 1/1 -> 1.0; the first sentence alone would be 1.0 too
    score = rm.corpus_gleu(stats, rm.reference_draws(2, 1, 3))
    assert score.mean == pytest.approx(1.0) and score.std == 0.0 and len(score.runs) == 3
    stats = [one.stats(SRC), two.stats("p q".split())]
    # (4+2, 4+2, 2+2, 4+2, 0+1, 3+1, 0, 2+0, 0, 1+0): 3-grams 0 of 2 -> corpus GLEU 0
    assert rm.corpus_gleu(stats, [[0, 0]]).mean == 0.0
    stats = [one.stats("a b x d e".split()), two.stats("p q".split())]
    total = [a + b for a, b in zip(stats[0][0], stats[1][0])]
    assert total == [7, 6, 6, 7, 4, 5, 2, 3, 1, 2]
    expected = math.exp((math.log(6 / 7) + math.log(4 / 5) + math.log(2 / 3) + math.log(1 / 2)) / 4)
    assert rm.corpus_gleu(stats, [[0, 0]]).mean == pytest.approx(expected)


def test_corpus_gleu_mean_std_and_interval_over_runs():
    sent = rm.GleuSentence.of(SRC, [REF, SRC])
    stats = [sent.stats(REF)]
    score = rm.corpus_gleu(stats, [[0], [1], [0], [0]])
    right, other = 1.0, rm.gleu_from_stats(stats[0][1])
    assert score.runs == [right, other, right, right]
    mean = (3 * right + other) / 4
    std = math.sqrt((3 * (right - mean) ** 2 + (other - mean) ** 2) / 4)  # population, as numpy.std
    assert score.mean == pytest.approx(mean) and score.std == pytest.approx(std)
    assert score.ci_low == pytest.approx(mean - 1.959964 * std) and score.ci_high == pytest.approx(mean + 1.959964 * std)


def test_reference_draws_are_the_official_python2_draws():
    draws = rm.reference_draws(5, 4, 2)
    # random.seed(0): random() = 0.8444, 0.7580, 0.4206, 0.2589, 0.5113 -> int(x * 4)
    assert draws[0] == [3, 3, 1, 1, 2]
    assert draws[1] == [2, 0, 3, 3, 1]  # seed 101
    assert rm.reference_draws(5, 4, 2) == draws


def test_official_gleu_of_the_unchanged_jfleg_dev_source(shared):
    """keisks/jfleg publishes 38.21 for the dev source; its script prints 0.382146 and std 0.009891."""
    records = rq.load_records(shared / "data" / "jfleg_dev.jsonl")
    stats = [rm.GleuSentence.of(r.source, r.references).stats(r.source) for r in records]
    score = rm.corpus_gleu(stats, rm.reference_draws(len(records), 4))
    assert round(score.mean, 6) == 0.382146 and round(score.std, 6) == 0.009891


def test_paired_bootstrap():
    sent = rm.GleuSentence.of(SRC, [REF, REF])
    same = [sent.stats(SRC)] * 5
    assert rm.paired_bootstrap(same, same, samples=50) == (0.0, 0.0, 1.0)
    better = [sent.stats(REF)] * 5
    low, high, p = rm.paired_bootstrap(better, same, samples=50)
    assert low == high == pytest.approx(1.0) and p == 0.0


# --------------------------------------------------------------------------- edits


def test_token_edits_one_edit_per_run_of_changed_tokens():
    src = "a b c d e".split()
    assert rm.token_edits(src, "a x c d e f".split()) == [(1, 2, ("x",)), (5, 5, ("f",))]
    assert rm.token_edits(src, "a d e".split()) == [(1, 3, ())]
    assert rm.token_edits(src, "a y z d e".split()) == [(1, 3, ("y", "z"))]
    assert rm.token_edits(src, src) == []


@given(st.lists(st.sampled_from("abcd"), max_size=8), st.lists(st.sampled_from("abcde"), max_size=8))
def test_token_edits_turn_the_source_into_the_target(source, target):
    edits = rm.token_edits(source, target)
    assert rm.apply_token_edits(source, edits) == target
    assert all(a[1] < b[0] for a, b in zip(edits, edits[1:]))  # a kept token between any two edits


def test_m2_chooses_the_reference_that_maximises_cumulative_f():
    a, b, c, d = (0, 1, ("A",)), (0, 1, ("B",)), (2, 3, ()), (4, 4, ("D",))
    score = rm.m2_score([[a], []], [[[b], [a, c]], [[d], []]])
    # sentence 1: ref 0 F 0, ref 1 1.25 / 1.5; sentence 2: ref 0 (1,1,3) 0.714, ref 1 (1,1,2) 0.833
    assert score.chosen == [1, 1]
    assert (score.correct, score.proposed, score.gold) == (1, 1, 2)
    assert score.precision == 1.0 and score.recall == 0.5
    assert score.f == pytest.approx(1.25 * 0.5 / (0.25 + 0.5))
    # a tie on F and on correct edits: the reference with fewer proposed + β²·gold wins
    assert rm.m2_score([[]], [[[a, b], [c]]]).chosen == [1]
    assert rm.m2_score([[a]], [[[a], [a]]]).chosen == [0]  # full tie: the first
    nothing = rm.m2_score([[]], [[[]]])
    assert nothing.precision is None and nothing.recall is None and nothing.f == 0.0


def test_edit_verdict():
    a, b = (0, 1, ("A",)), (3, 3, ("B",))
    refs = [[a], [b], [a, b, (5, 6, ())]]
    assert rm.edit_verdict([a], refs) == "match"
    assert rm.edit_verdict([a, b], refs) == "match"  # both in reference 2
    assert rm.edit_verdict([a, b], refs[:2]) == "miss"  # split over two references
    assert rm.edit_verdict([(0, 1, ("Z",))], refs) == "miss"
    assert rm.edit_verdict([], refs) == "no-op"


# --------------------------------------------------------------------------- running a checker


def _finding(rule: str, start: int, end: int, repl: str, level: Applicability) -> Finding:
    return Finding(rule, "grammar", Severity.WARNING, "m", Span(start, end),
                   (Fix((Edit(Span(start, end), repl),), level),), name=rule.lower())


# (rule, pattern, replacement, applicability)
FAKE_RULES = [
    ("TYPO", r"\bteh\b", "the", Applicability.UNSAFE),
    ("DOUBLE", r"\bthe the\b", "the", Applicability.SAFE),
    ("SHOUT", r"\bhuge\b", "HUGE", Applicability.DISPLAY_ONLY),
    ("WRONG", r"\bcat\b", "dog", Applicability.UNSAFE),
]


def fake_detect(text: str) -> list[Finding]:
    out = [_finding(rule, m.start(), m.end(), repl, level)
           for rule, pattern, repl, level in FAKE_RULES for m in re.finditer(pattern, text)]
    out += [Finding("NOFIX", "style", Severity.INFO, "m", Span(m.start(), m.end()), name="nofix")
            for m in re.finditer(r"\bvery\b", text)]
    return out


def test_run_sentence_fixes_to_a_fixpoint_and_names_the_fixes_applied():
    calls: list[str] = []

    def detect(text):
        calls.append(text)
        return fake_detect(text)

    run = rq.run_sentence(detect, "I saw teh the bird.")
    # unsafe: TYPO makes "the the", which DOUBLE fixes in the next round
    assert run.outputs == {"fix": "I saw teh the bird.", "unsafe_fixes": "I saw the bird."}
    assert [f.rule for f in run.applied["unsafe_fixes"]] == ["TYPO", "DOUBLE"]
    assert run.fixes_applied == {"fix": 0, "unsafe_fixes": 2}
    assert run.applied["fix"] == []
    assert len(calls) == len(set(calls)) == 3  # each text checked once


RECORDS = [
    rq.Record("s1", tuple("I saw teh the bird .".split()),
              (tuple("I saw the bird .".split()),) * 2 + (tuple("I saw a bird .".split()),) * 2),
    rq.Record("s2", tuple("The cat is very huge .".split()),
              (tuple("The cat is huge .".split()),) * 4),
    rq.Record("s3", tuple("Nothing to see here .".split()), (tuple("Nothing to see here .".split()),) * 4),
]


def _evaluated(**kw):
    runs = rq.run_all(RECORDS, fake_detect)
    return runs, rq.evaluate(RECORDS, runs, iterations=20, bootstrap=20,
                             is_default=lambda code: code != "SHOUT", **kw)


def test_evaluate_scores_the_three_systems():
    runs, result = _evaluated()
    src, fix, unsafe = (result["systems"][k] for k in rq.SYSTEMS)
    assert src["changed_sentences"] == 0 and fix["changed_sentences"] == 0
    assert fix["gleu"] == src["gleu"] and fix["delta"] == 0.0
    # unsafe: s1 fixed as two references have it (one edit, correct), s2 "cat" -> "dog" (wrong)
    assert unsafe["changed_sentences"] == 2 and unsafe["fixes_applied"] == 3
    assert unsafe["edits"]["proposed"] == 2 and unsafe["edits"]["correct"] == 1
    assert unsafe["edits"]["precision"] == 0.5
    draws = rm.reference_draws(3, 4, 20)
    hyps = [tuple("I saw the bird .".split()), tuple("The dog is very huge .".split()), RECORDS[2].source]
    stats = [rm.GleuSentence.of(r.source, r.references).stats(h) for r, h in zip(RECORDS, hyps)]
    assert unsafe["gleu"] == pytest.approx(rm.corpus_gleu(stats, draws).mean)
    assert unsafe["delta"] == pytest.approx(unsafe["gleu"] - src["gleu"])
    assert result["round_trip"] == {"ok": 3, "total": 3, "share": 1.0}
    json.dumps({k: v for k, v in result.items() if k != "_singles"})


def test_per_rule_table_and_the_rules_that_miss_more():
    _runs, result = _evaluated()
    rows = {r["rule"]: r for r in result["rules"]}
    # s1: TYPO alone gives "the the" (a miss: no reference has it); DOUBLE does not fire on the
    # source (it needs "the the"); s2: WRONG and SHOUT miss, NOFIX has no fix
    assert rows["TYPO"]["match"] == 0 and rows["TYPO"]["miss"] == 1 and rows["TYPO"]["unsafe"] == 1
    assert "DOUBLE" not in rows
    assert rows["SHOUT"]["display_only"] == 1 and rows["SHOUT"]["default"] is False
    assert rows["WRONG"]["miss"] == 1 and rows["WRONG"]["gleu_down"] == 1
    assert rows["NOFIX"]["findings"] == 1 and rows["NOFIX"]["with_fix"] == 0 and rows["NOFIX"]["match_rate"] is None
    assert result["default_rules_missing_more"] == ["TYPO", "WRONG"]  # SHOUT misses too, but is not default


def test_single_fix_that_matches_a_reference():
    records = [rq.Record("m", tuple("A huge cat sat .".split()), (tuple("A dog sat .".split()),
                                                                   tuple("A huge dog sat .".split())))]
    runs = rq.run_all(records, fake_detect)
    result = rq.evaluate(records, runs, iterations=4, bootstrap=0)
    rows = {r["rule"]: r for r in result["rules"]}
    assert rows["WRONG"]["match"] == 1 and rows["WRONG"]["match_rate"] == 1.0
    assert rows["WRONG"]["gleu_up"] == 1 and rows["WRONG"]["mean_sentence_gleu_delta"] > 0
    assert "delta_ci95" not in result["systems"]["fix"]


def test_mark_changes():
    assert rq.mark_changes("I saw teh the bird.", "I saw the bird.") == "I saw [-teh-] the bird."
    assert rq.mark_changes("a b c", "a x c d") == "a [-b-] {+x+} c {+d+}"


def test_samples_are_seeded_and_in_data_order():
    runs, result = _evaluated()
    singles = result["_singles"]
    lines = rq.sample_rule(RECORDS, runs, singles, "WRONG", n=5, seed=3)
    assert lines[0] == "1 of 1 rewrites by WRONG (seed 3)"
    assert any("rewrite: The [-cat-] {+dog+} is very huge." in line for line in lines)
    assert sum(line.startswith("  ref ") for line in lines) == 4
    with pytest.raises(rq.UsageError, match="no rewrite by that rule"):
        rq.sample_rule(RECORDS, runs, singles, "NOFIX", n=5, seed=0)
    everything = rq.sample_all(RECORDS, runs, n=1, seed=0)
    assert everything[0] == "1 of 2 sentences changed by --fix --unsafe-fixes (seed 0)"
    assert everything == rq.sample_all(RECORDS, runs, n=1, seed=0)
    both = rq.sample_all(RECORDS, runs, n=5, seed=0)
    assert [line.split()[0] for line in both if line.startswith("s")] == ["s1", "s2"]
    assert "rules: TYPO (unsafe), DOUBLE (safe)  edits: 1, 1 in a reference" in both[2]


def test_report_text_names_every_figure():
    _runs, result = _evaluated()
    result.pop("_singles")
    text = rq.format_report(result)
    for needle in ("GLEU", "--fix --unsafe-fixes", "F0.5", "TYPO", "miss more often than they match (path): TYPO, WRONG"):
        assert needle in text


# --------------------------------------------------------------------------- the command line


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / "rewrite_quality.py"), *args],
                          capture_output=True, text=True, cwd=cwd)


def test_cli_bad_input_exits_2_with_one_line(tmp_path):
    result = run_cli("--data", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 2 and "nope.jsonl: no such file" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "a b", "references": ["a b"]}\n{"source": 3}\n', encoding="utf-8")
    result = run_cli("--data", str(bad))
    assert result.returncode == 2 and "bad.jsonl:2:" in result.stderr and "Traceback" not in result.stderr
    bad.write_text("not json\n", encoding="utf-8")
    assert "bad.jsonl:1: not JSON" in run_cli("--data", str(bad)).stderr
    assert run_cli("--limit", "0").returncode == 2
    assert run_cli("--sample", "all", "--json").returncode == 2


def test_cli_end_to_end_with_the_real_checker(tmp_path):
    data = tmp_path / "mini.jsonl"
    rows = [
        {"id": "a", "source": "Noise is one of the main reason people move away .",
         "references": ["Noise is one of the main reasons people move away ."] * 4},
        {"id": "b", "source": "The weather was fine today .", "references": ["The weather was fine today ."] * 4},
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = run_cli("--data", str(data), "--select", "MT405", "--json", "--iterations", "10", "--bootstrap", "10")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    fix = out["systems"]["fix"]
    assert fix["changed_sentences"] == 1 and fix["edits"]["precision"] == 1.0
    assert fix["gleu"] > out["systems"]["source"]["gleu"]
    assert out["rules"][0]["rule"] == "MT405" and out["rules"][0]["match"] == 1 and out["rules"][0]["safe"] == 1
    assert out["round_trip"]["share"] == 1.0 and out["checker"].endswith("select MT405")


# --------------------------------------------------------------------------- path-consistent edits


def test_levenshtein_on_tokens():
    levenshtein = rm.levenshtein

    assert levenshtein("a b c".split(), "a b c".split()) == 0
    assert levenshtein("a b c".split(), "a x c".split()) == 1
    assert levenshtein("a b c".split(), "c".split()) == 2
    assert levenshtein([], "a b".split()) == 2


def test_an_edit_is_consistent_when_it_lies_on_a_shortest_path_to_the_reference():
    consistent, maxmatch_score, path_verdict, token_edits = rm.consistent, rm.maxmatch_score, rm.path_verdict, rm.token_edits

    source = "it turned out reslts are good".split()
    reference = "the results are good".split()
    # the reference's own edit is one merged block, so the exact comparison misses the fix
    assert token_edits(source, reference) == [(0, 4, ("the", "results"))]
    fix = (3, 4, ("results",))
    assert consistent(source, fix, reference)
    assert not consistent(source, (3, 4, ("resits",)), reference)  # a wrong word
    assert not consistent(source, (5, 6, ("bad",)), reference)  # a change the reference does not make
    assert not consistent(source, (3, 4, ("reslts",)), reference)  # no change at all
    assert path_verdict(source, [fix], [reference, "it is fine".split()]) == "match"
    assert path_verdict(source, [], [reference]) == "no-op"
    score = maxmatch_score([source], [[fix, (5, 6, ("bad",))]], [[reference]], [[token_edits(source, reference)]])
    assert (score.correct, score.proposed, score.gold) == (1, 2, 1)
