"""The JSON contract (version 1): fields, exact offsets, 1-based code-point line/column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from editor.cli import main
from editor.document import SourceDocument
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.pipeline import FileReport
from editor.render.json import render_json

ROOT = Path(__file__).resolve().parents[2]
FIELDS = {"rule", "name", "category", "severity", "message", "start", "end", "line", "column", "end_line",
          "end_column", "text", "replacements", "applicability", "source"}


pytestmark = pytest.mark.usefixtures("starter_env")


def check_json(*args) -> tuple[int, dict]:
    runner = CliRunner()
    with runner.isolation() as (out, err, _):
        try:
            main(["check", "--format", "json", *args])
            code = 0
        except SystemExit as e:
            code = e.code
    return code, json.loads(out.getvalue().decode())


def expected_position(text: str, offset: int) -> tuple[int, int]:
    """Independent reference: lines end at LF (CRLF counts once), columns count code points."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


ARTICLES = {
    "plain.md": "The pump can not start. It was very very cold.\n",
    "emoji.md": "😀😀 A heading 中文\n\n中文 text 😀 here: the pump can not start.\n\n🎉 It was very very cold 👍.\n",
    "crlf.md": "# Title\r\n\r\nLine one is fine.\r\nThe pump can not start.\r\n\r\n- It was very very cold.\r\n",
    "bom.txt": "\ufeffTea Before Sleep\r\nThe pump can not start, it was very very cold.\r\n",
    "entity.md": "Tom &amp; Jerry: the pump can not start and `very very` code.\n",
}


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_contract_and_exact_offsets(name):
    Path(name).write_bytes(ARTICLES[name].encode("utf-8"))
    code, data = check_json(name)
    assert code == 1
    assert data["version"] == 1
    assert [f["path"] for f in data["files"]] == [name]
    text = ARTICLES[name].removeprefix("\ufeff")  # offsets count from after the BOM
    findings = data["files"][0]["findings"]
    # entity.md has its "very very" in inline code: never reported
    assert {f["rule"] for f in findings} == ({"ST101"} if name == "entity.md" else {"ST101", "ST102"})
    for f in findings:
        assert FIELDS <= set(f)
        assert f["severity"] in ("error", "warning", "info")
        assert f["applicability"] in ("safe", "unsafe", "display-only", None)
        assert isinstance(f["replacements"], list) and all(isinstance(r, str) for r in f["replacements"])
        assert f["source"] == "cleanup"
        assert f["name"] and f["message"] and f["category"]
        assert text[f["start"] : f["end"]] == f["text"]
        assert f["text"] in ("can not", "very very")
        assert (f["line"], f["column"]) == expected_position(text, f["start"])
        assert (f["end_line"], f["end_column"]) == expected_position(text, f["end"])
    st101 = next(f for f in findings if f["rule"] == "ST101")
    assert st101["replacements"] == ["cannot"] and st101["applicability"] == "safe"
    assert data["summary"]["findings"] == len(findings)


def test_emoji_and_cjk_columns_are_code_points():
    text = ARTICLES["emoji.md"]
    Path("e.md").write_text(text, encoding="utf-8")
    _, data = check_json("e.md")
    f = next(f for f in data["files"][0]["findings"] if f["rule"] == "ST101")
    # "中文 text 😀 here: the pump " is 25 code points (the emoji is one, not two UTF-16 units)
    assert (f["line"], f["column"]) == (3, 26)
    assert (f["end_line"], f["end_column"]) == (3, 33)


def test_crlf_lines():
    Path("c.md").write_bytes(ARTICLES["crlf.md"].encode())
    _, data = check_json("c.md")
    got = {f["rule"]: (f["line"], f["column"]) for f in data["files"][0]["findings"]}
    assert got == {"ST101": (4, 10), "ST102": (6, 10)}


def test_paths_are_reported_as_given():
    Path("sub").mkdir()
    Path("sub/a.md").write_text("The pump can not start.\n")
    _, data = check_json("./sub/../sub/a.md", "sub")
    assert [f["path"] for f in data["files"]] == ["./sub/../sub/a.md", "sub/a.md"]


def test_clean_and_empty_files():
    Path("empty.md").write_text("")
    Path("clean.md").write_text("All is well.\n")
    code, data = check_json("empty.md", "clean.md")
    assert code == 0
    assert [f["findings"] for f in data["files"]] == [[], []]
    assert data["summary"]["findings"] == 0 and data["summary"]["errors"] == 0


def test_errors_are_listed_with_the_file():
    Path("bin.md").write_bytes(b"\x00\x01")
    code, data = check_json("bin.md", "missing.md")
    assert code == 2
    assert [(f["path"], bool(f.get("error"))) for f in data["files"]] == [("missing.md", True), ("bin.md", True)]
    assert data["summary"]["errors"] == 2


def test_render_json_directly():
    text = "ab cd ef"
    doc = SourceDocument.from_text(text, path="x.md")
    fixes = (Fix((Edit(Span(3, 5), "CD"),), Applicability.UNSAFE, "upper"),
             Fix((Edit(Span(3, 5), ""),), Applicability.DISPLAY_ONLY))
    f = Finding("MT101", "calque", Severity.ERROR, "msg", Span(3, 5), fixes, source="harper", name="toy",
                sources=("harper", "cleanup"))
    report = FileReport(doc=doc, findings=[f], words=3)
    data = json.loads(render_json([("x.md", report, None), ("y.md", None, "no such file")]))
    out = data["files"][0]["findings"][0]
    assert out["replacements"] == ["CD", ""]
    assert out["applicability"] == "unsafe"
    assert out["source"] == "harper" and out["sources"] == ["harper", "cleanup"]
    assert out["fixes"][0]["edits"] == [{"start": 3, "end": 5, "replacement": "CD"}]
    assert (out["line"], out["column"], out["end_line"], out["end_column"]) == (1, 4, 1, 6)
    assert data["files"][1] == {"path": "y.md", "findings": [], "error": "no such file"}
    assert data["summary"]["by_severity"] == {"error": 1}
    assert data["summary"]["fixable"] == 1


def test_json_offsets_after_fixes_point_into_the_fixed_text():
    import json

    from editor.document import SourceDocument
    from editor.findings import Finding, Severity, Span
    from editor.pipeline import FileReport
    from editor.render.json import render_json

    text = "The pump can not start.\nIt goes slow."
    fixed = "The pump cannot start.\nIt goes slow."
    i = fixed.index("slow")
    report = FileReport(doc=SourceDocument.from_text(text, path="a.md"),
                        findings=[Finding("ST101", "grammar", Severity.WARNING, "m", Span(9, 16))])
    report.fixed_text, report.fixes_applied = fixed, 1
    report.remaining = [Finding("ST102", "style", Severity.INFO, "m", Span(i, i + 4))]
    [f] = json.loads(render_json([("a.md", report, None)]))["files"][0]["findings"]
    assert (f["text"], f["line"], f["column"]) == ("slow", 2, 9)


def test_json_says_what_the_fix_loop_did_not_do():
    import json

    from editor.document import SourceDocument
    from editor.findings import Applicability, Edit, Fix, Span
    from editor.fixes import OVERLAP, FixLoop, SkippedFix
    from editor.pipeline import FileReport
    from editor.render.json import render_json

    doc = SourceDocument.from_text("ab", path="a.md")
    report = FileReport(doc=doc, findings=[], fixed_text="ab", remaining=[])
    report.fix_loop = FixLoop("ab", [])
    assert set(json.loads(render_json([("a.md", report, None)]))["files"][0]) == {
        "path", "findings", "words", "fixes_applied"}  # the normal case: nothing more
    rival = Fix((Edit(Span(0, 1), "Z"),), Applicability.SAFE, "rival")
    report.fix_loop = FixLoop("ab", [], applied=4, rounds=4, converged=False, skipped=[SkippedFix(rival, OVERLAP)])
    item = json.loads(render_json([("a.md", report, None)]))["files"][0]
    assert item["fixes_skipped"] == [{"reason": "overlapping another fix", "title": "rival"}]
    assert item["fix_converged"] is False and item["fix_rounds"] == 4


def test_confidence_is_in_the_json_and_null_without_a_model():
    doc = SourceDocument.from_text("ab cd ef", path="x.md")
    model = Finding("MODEL/unlikely", "grammar", Severity.WARNING, "m", Span(3, 5), source="model",
                    sources=("model",), confidence=0.82)
    rule = Finding("MT101", "calque", Severity.WARNING, "m", Span(0, 2))
    data = json.loads(render_json([("x.md", FileReport(doc=doc, findings=[rule, model], words=3), None)]))
    assert [f["confidence"] for f in data["files"][0]["findings"]] == [None, 0.82]
