"""The shipped learned detector (editor/models/detector/) and its run-time reader
(editor/backends/detector_model.py): the contract the engine and the benchmarks rely on."""
import json
import re

import pytest

from editor.backends.detector import PACKAGE_FOLDER
from editor.backends.detector_model import DetectorModel

pytest.importorskip("onnxruntime")


@pytest.fixture(scope="module")
def model() -> DetectorModel:
    if not (PACKAGE_FOLDER / "model.onnx").exists():
        pytest.fail(f"the shipped model is missing from {PACKAGE_FOLDER}")
    return DetectorModel(PACKAGE_FOLDER, threads=1)


def test_the_shipped_model_fits_the_budget_and_its_meta_is_complete():
    size = sum(p.stat().st_size for p in PACKAGE_FOLDER.iterdir() if p.is_file())
    assert size <= 60e6
    meta = json.loads((PACKAGE_FOLDER / "meta.json").read_text(encoding="utf-8"))
    assert 0 < meta["threshold"] < 1 and isinstance(meta["default"], bool)  # tests/rules/test_evidence.py: measured
    points = meta["calibration"]
    assert points == sorted(points) and all(0 <= p <= 1 and 0 <= q <= 1 for p, q in points)
    assert [q for _, q in points] == sorted(q for _, q in points)  # precision never falls as probability rises
    assert any("WeTS" in line for line in meta["figures"])  # what `cleanup rule MODEL/unlikely` shows
    assert meta["default"] or meta["off_reason"]  # an opt-in model says why


def test_every_word_gets_one_probability_and_its_exact_span(model):
    text = "Ünïcode — «quotes», emoji 😀 and CJK 中文 mixed; numbers 3.14 and e-mail a@b.org."
    words = model.word_probs([text])[0]
    assert all(0.0 <= w.prob <= 1.0 for w in words)
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert all(text[w.start:w.end].strip() == text[w.start:w.end] != "" for w in words)
    covered = "".join(text[w.start:w.end] for w in words)
    assert covered == re.sub(r"\s+", "", text)


def test_a_long_text_is_read_in_windows_that_never_cut_a_word(model):
    sentence = "The committee met on Tuesday and agreed that the unbelievably overcomplicated bridge would open. "
    text = sentence * 30  # far beyond 128 pieces
    words = model.word_probs([text])[0]
    assert len(words) == len(re.findall(r"\w+|[^\w\s]", text))
    assert all(text[w.start:w.end] in sentence for w in words)


def test_a_texts_probabilities_do_not_depend_on_its_batch(model):
    short = "He go to school by the bus every days."
    long = "The river rises each spring, and the farmers along its banks plant late. " * 6
    alone = model.word_probs([short])[0]
    batched = model.word_probs([long, short, "Yes."])[1]
    assert [(w.start, w.end) for w in alone] == [(w.start, w.end) for w in batched]
    assert max(abs(a.prob - b.prob) for a, b in zip(alone, batched)) < 1e-5


def test_empty_and_blank_texts_have_no_words(model):
    assert model.word_probs(["", "   ", "\n"]) == [[], [], []]


GARBLED = [  # written for this test, in the manner of crude Chinese→English machine translation
    "The reporter learned from the city bureau that the work of the greening is carried out orderly.",
    "In order to better serve the masses, the relevant departments have increased the strength of the inspection.",
    "Try to choose a lot with few people and a flat road, so as to avoid to fall down.",
]
CLEAN = [
    "The committee met on Tuesday and agreed that the new bridge would open in spring.",
    "She has taught music at the village school for almost twenty years.",
    "Heavy rain is expected tonight, so the match has been moved to Sunday.",
]


def test_the_shipped_model_finds_machine_translation_less_likely_than_good_english(model):
    def mean(texts):
        probs = [w.prob for words in model.word_probs(texts) for w in words]
        return sum(probs) / len(probs)

    assert mean(GARBLED) > 1.5 * mean(CLEAN)  # 0.28 against 0.15 for the shipped model


def test_the_shipped_model_runs_in_cleanup_check_when_selected(tmp_path, monkeypatch):
    import subprocess
    import sys

    article = tmp_path / "a.md"
    text = "# Greening\r\n\r\n" + " ".join(GARBLED) + " 😀\r\n\r\n" + " ".join(CLEAN) + "\r\n"
    article.write_bytes(text.encode("utf-8"))
    env = {k: v for k, v in __import__("os").environ.items() if k != "CLEANUP_DETECTOR_MODEL"}
    out = subprocess.run([sys.executable, "-m", "editor", "check", str(article), "--format", "json", "--fail-on",
                          "never", "--select", "MODEL/unlikely"], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    findings = json.loads(out.stdout)["files"][0]["findings"]
    assert findings and all(f["rule"] == "MODEL/unlikely" for f in findings)
    clean_start = text.index(CLEAN[0])
    for f in findings:
        assert f["text"] == text[f["start"]:f["end"]] and 0 <= f["confidence"] <= 1
        assert f["severity"] in ("warning", "info")
    assert any("greening" in f["text"] for f in findings)
    assert all(f["start"] < clean_start for f in findings)  # nothing in the good English


def test_the_model_does_not_run_where_the_article_gate_stays_shut(monkeypatch):
    """On by default it waits for the rules' article gate; where our MT rules cannot open it the
    model is not even run (its findings would all be held back). Named by its code, it runs."""
    from editor.api import get_checker
    from editor.backends.detector_model import DetectorModel as Model

    monkeypatch.delenv("CLEANUP_DETECTOR_MODEL", raising=False)
    calls = []
    real = Model.word_probs
    monkeypatch.setattr(Model, "word_probs", lambda self, texts, **kw: calls.append(len(texts)) or real(self, texts, **kw))
    text = "\n\n".join(CLEAN)
    checker = get_checker()
    if not any(getattr(e, "mt_articles_only", ()) for e in checker.engines):
        pytest.skip("the shipped model is not gated by the article gate")
    assert [f for f in checker.detect(text, "txt") if "model" in f.sources] == [] and calls == []
    get_checker(select=["MODEL/unlikely"]).detect(text, "txt")
    assert calls
