"""SARIF 2.1.0: valid against the OASIS schema (tests/data), rules, regions, fixes; CLI --format sarif."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from editor.document import SourceDocument
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.pipeline import FileReport
from editor.render.sarif import render_sarif
from tests.test_cli import run, write

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


pytestmark = pytest.mark.usefixtures("starter_env")


def valid(validator, text: str) -> dict:
    data = json.loads(text)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return data


RULES = {
    "MT301": {"code": "MT301", "name": "dropped-subject", "category": "structure", "severity": "warning",
              "message": "The sentence has no subject: {match}", "default": True, "fix": "unsafe",
              "docs": {"what": "A clause without a subject.", "why": "Chinese drops subjects.", "fix": "Add one."}},
}


def test_the_validator_rejects_broken_sarif(validator):
    assert list(validator.iter_errors({"version": "2.1.0", "runs": [{"tool": {}}]}))
    assert list(validator.iter_errors({"version": "2.0.0", "runs": []}))


def test_results_regions_fixes_and_rules(validator, tmp_path):
    text = "中文 😀 first line\nThe pump can not start.\n"
    s = text.index("can not")
    t = text.index("first")
    doc = SourceDocument.from_text(text, path=str(tmp_path / "docs" / "my file.md"))
    fs = [
        Finding("MT301", "structure", Severity.WARNING, "no subject", Span(t, t + 5)),
        Finding("ST101", "grammar", Severity.ERROR, "Write “cannot”", Span(s, s + 7), name="can-not-for-cannot",
                fixes=(Fix((Edit(Span(s, s + 7), "cannot"),), Applicability.SAFE, "replace with “cannot”"),)),
        Finding("HARPER/Spelling", "spelling", Severity.INFO, "spelling", Span(0, 2), source="harper",
                name="Spelling", fixes=(Fix((Edit(Span(0, 2), "x"),), Applicability.DISPLAY_ONLY, "shown"),)),
    ]
    out = valid(validator, render_sarif([("docs/my file.md", FileReport(doc=doc, findings=fs), None)], RULES,
                                         base=tmp_path))
    assert out["version"] == "2.1.0"
    run_ = out["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["HARPER/Spelling", "MT301", "ST101"]  # registry + unknown codes
    mt = rules[1]
    assert mt["name"] == "DroppedSubject"
    assert mt["defaultConfiguration"]["level"] == "warning"
    assert mt["fullDescription"]["text"] == "A clause without a subject. Chinese drops subjects."
    assert "Why: Chinese drops subjects." in mt["help"]["text"]
    assert rules[0]["defaultConfiguration"]["level"] == "note"  # unknown: from the finding
    assert rules[2]["defaultConfiguration"]["level"] == "error"
    res = run_["results"]
    assert [(r["ruleId"], r["level"], r["ruleIndex"]) for r in res] == [
        ("MT301", "warning", 1), ("ST101", "error", 2), ("HARPER/Spelling", "note", 0)]
    loc = res[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "docs/my%20file.md", "uriBaseId": "%SRCROOT%"}
    # code points: 中 文 space 😀 space = 5, so "first" starts at column 6
    assert {k: loc["region"][k] for k in ("startLine", "startColumn", "endLine", "endColumn")} == {
        "startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 11}
    assert loc["region"]["snippet"]["text"] == "first"
    fix = res[1]["fixes"][0]
    assert fix["artifactChanges"][0]["replacements"] == [{
        "deletedRegion": {"startLine": 2, "startColumn": 10, "endLine": 2, "endColumn": 17},
        "insertedContent": {"text": "cannot"}}]
    assert "fixes" not in res[0] and "fixes" not in res[2]  # no fix / display-only
    assert run_["invocations"][0]["executionSuccessful"] is True


def test_unreadable_files_become_notifications(validator):
    out = valid(validator, render_sarif([("bin.md", None, "binary file, not an article")], RULES))
    inv = out["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["message"]["text"] == "binary file, not an article"
    assert out["runs"][0]["results"] == []


def test_cli_format_sarif_is_valid_and_complete(validator):
    write("docs/a.md", "# Pumps\n\nThe pump can not start.\n\nIt was very very cold.\n")
    write("docs/b.md", "All is well here.\n")
    Path("cleanup.toml").write_text('[substitutions]\n"Pumps" = "Pumping stations"\n')
    r = run("check", "docs", "--format", "sarif", "--report-unused-suppressions")
    assert r.code == 1, r
    out = valid(validator, r.out)
    run_ = out["runs"][0]
    ids = {x["id"] for x in run_["tool"]["driver"]["rules"]}
    assert {"ST101", "ST102", "ST103", "CU001", "CU101"} <= ids  # the registry, opt-in ones, meta rules
    got = [(x["ruleId"], x["locations"][0]["physicalLocation"]["region"]["startLine"]) for x in run_["results"]]
    assert got == [("CU101", 1), ("ST101", 3), ("ST102", 5)]
    st101 = run_["results"][1]
    assert st101["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/a.md"
    assert st101["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "cannot"
    rule = next(x for x in run_["tool"]["driver"]["rules"] if x["id"] == "ST101")
    assert rule["help"]["text"] and rule["defaultConfiguration"]["level"] == "warning"


def test_fix_description_and_message_read_as_the_edited_phrase(validator):
    # the artifact changes stay the exact edits; what a person reads is the whole phrase, changed
    text = "Rain is one of the main reason we stay in.\n"
    s, e, r = text.index("one"), text.index(" we"), text.index("reason")
    f = Finding("MT405", "grammar", Severity.ERROR, "The noun must be plural.", Span(s, e),
                (Fix((Edit(Span(r, r + 6), "reasons"),), Applicability.SAFE, "apply the suggested rewrite"),))
    report = FileReport(doc=SourceDocument.from_text(text, path="a.md"), findings=[f])
    result = valid(validator, render_sarif([("a.md", report, None)]))["runs"][0]["results"][0]
    phrase = "“one of the main reason” → “one of the main reasons”"
    assert result["message"]["text"] == f"The noun must be plural.\nsuggestion (safe): {phrase}"
    (fix,) = result["fixes"]
    assert fix["description"]["text"] == f"{phrase} (safe)"
    (change,) = fix["artifactChanges"][0]["replacements"]
    assert change["insertedContent"]["text"] == "reasons"
    assert (change["deletedRegion"]["startColumn"], change["deletedRegion"]["endColumn"]) == (r + 1, r + 7)


def test_region_covers_an_edit_next_to_the_flagged_text(validator):
    text = "Hot baths make the joints around both knees in the morning are softer.\n"
    make, are = text.index("make"), text.index("are")
    f = Finding("MT204", "grammar", Severity.ERROR, "m", Span(are, are + 3),
                (Fix((Edit(Span(make, make + 4), "get"), Edit(Span(are - 1, are + 3), "")), Applicability.UNSAFE),))
    report = FileReport(doc=SourceDocument.from_text(text, path="a.md"), findings=[f])
    result = valid(validator, render_sarif([("a.md", report, None)]))["runs"][0]["results"][0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["snippet"]["text"] == "make the joints around both knees in the morning are"
    assert (region["startColumn"], region["endColumn"]) == (make + 1, are + 4)
    assert "“make the joints around both knees in the morning are” → “get the joints" in result["message"]["text"]


def test_confidence_is_a_property_and_the_rank(validator):
    doc = SourceDocument.from_text("ab cd ef", path="x.md")
    model = Finding("MODEL/unlikely", "grammar", Severity.WARNING, "m", Span(3, 5), source="model",
                    sources=("model",), confidence=0.82)
    rule = Finding("MT301", "structure", Severity.WARNING, "m", Span(0, 2))
    data = valid(validator, render_sarif([("x.md", FileReport(doc=doc, findings=[rule, model], words=3), None)], RULES))
    plain, ranked = data["runs"][0]["results"]
    assert "rank" not in plain and "confidence" not in plain["properties"]
    assert ranked["rank"] == 82.0 and ranked["properties"]["confidence"] == 0.82
