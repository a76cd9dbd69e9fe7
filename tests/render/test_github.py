"""GitHub workflow commands: escaping, positions, levels, the summary line; CLI --format github."""

from __future__ import annotations

import pytest

from editor.document import SourceDocument
from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span
from editor.pipeline import FileReport
from editor.render.github import escape_data, escape_property, render_github, summary_line
from tests.test_cli import run, write


pytestmark = pytest.mark.usefixtures("starter_env")


def report(text: str, findings: list[Finding], path="docs/a.md") -> FileReport:
    return FileReport(doc=SourceDocument.from_text(text, path=path), findings=findings)


def test_escaping_rules():
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_one_command_per_finding_with_positions_and_levels():
    text = "Zhōngwén 中文 first line\nsecond: line, here\n"
    s = text.index("first")
    s2 = text.index("line, here")
    fs = [
        Finding("MT301", "grammar", Severity.ERROR, "50% of it: bad, here", Span(s, s + 5)),
        Finding("MT101", "calque", Severity.WARNING, "w", Span(s2, s2 + 4),
                fixes=(Fix((Edit(Span(s2, s2 + 4), "row"),), Applicability.SAFE, "replace"),)),
        Finding("HARPER/Spelling", "spelling", Severity.INFO, "i", Span(0, text.index("\nsecond") + 2)),
    ]
    lines = render_github([("./docs/a,b:c.md", report(text, fs), None)])
    assert lines[0] == ("::error file=docs/a%2Cb%3Ac.md,line=1,col=13,endLine=1,endColumn=18,"
                        "title=MT301::50%25 of it: bad, here")
    assert lines[1] == ("::warning file=docs/a%2Cb%3Ac.md,line=2,col=9,endLine=2,endColumn=13,"
                        "title=MT101::w%0Asuggestion (safe): “line” → “row”")
    assert lines[2].startswith("::notice file=docs/a%2Cb%3Ac.md,line=1,col=1,endLine=2,endColumn=2,title=HARPER/Spelling::i")
    assert lines[3] == "cleanup: 3 findings (1 error, 1 warning, 1 info) in 1 file."
    assert len(lines) == 4


def test_columns_count_code_points_not_utf16():
    text = "😀😀 bad word\n"  # two astral characters: 4 UTF-16 units, 2 code points
    s = text.index("bad")
    line = render_github([("a.md", report(text, [Finding("X1", "style", Severity.WARNING, "m", Span(s, s + 3))]), None)])[0]
    assert ",col=4,endLine=1,endColumn=7," in line


def test_unreadable_files_are_errors_and_counted():
    lines = render_github([("bin.md", None, "binary file, not an article"), ("ok.md", report("Fine.\n", []), None)])
    assert lines == ["::error file=bin.md,title=cleanup::binary file, not an article",
                     "cleanup: 0 findings in 1 file; 1 file could not be checked."]


def test_summary_line_plural():
    assert summary_line([], 2, 0) == "cleanup: 0 findings in 2 files."


def test_cli_format_github():
    write("docs/bad.md", "# Pumps\n\nThe pump can not start.\n")
    write("docs/good.md", "All is well here.\n")
    r = run("check", "docs", "--format", "github")
    assert r.code == 1, r
    out = r.out.splitlines()
    assert out[0].startswith("::warning file=docs/bad.md,line=3,col=10,endLine=3,endColumn=17,title=ST101::")
    assert out[-1] == "cleanup: 1 finding (1 warning) in 2 files."
    assert len(out) == 2
    write("docs/bad.md", "Fine.\n")
    r = run("check", "docs", "--format", "github")
    assert r.code == 0 and r.out.splitlines() == ["cleanup: 0 findings in 2 files."], r


def test_cli_statistics():
    write("a.md", "The pump can not start. It can not stop. It was very very cold.\n")
    r = run("check", "a.md", "--statistics", "--fail-on", "info")
    assert r.code == 1, r
    assert r.out.splitlines() == ["2  ST101  [*] warning  can-not-for-cannot",
                                  "1  ST102  [*] info     doubled-intensifier"], r
    assert "a.md:1:" not in r.out
    # with a machine format the statistics go to stderr, stdout stays valid
    r = run("check", "a.md", "--statistics", "--format", "json")
    import json

    assert json.loads(r.out)["summary"]["findings"] == 3
    assert "2  ST101" in r.err


def test_long_suggestions_are_shortened_to_one_line():
    text = "word " * 40 + "\n"
    f = Finding("BP104", "boilerplate", Severity.WARNING, "Delete it.", Span(0, len(text) - 1),
                fixes=(Fix((Edit(Span(0, len(text) - 1), ""),), Applicability.UNSAFE, "delete"),))
    line = render_github([("a.md", report(text, [f]), None)])[0]
    suggestion = line.split("%0A", 1)[1]
    assert suggestion.startswith("suggestion (unsafe): delete “word word") and suggestion.endswith("…”")
    assert len(suggestion) == len("suggestion (unsafe): delete “”") + 80 and "%0A" not in suggestion


def test_suggestion_reads_as_the_whole_edited_phrase():
    text = "Rain is one of the main reason we stay in.\n"
    s, e, r = text.index("one"), text.index(" we"), text.index("reason")
    f = Finding("MT405", "grammar", Severity.ERROR, "Plural.", Span(s, e),
                fixes=(Fix((Edit(Span(r, r + 6), "reasons"),), Applicability.SAFE),))
    line = render_github([("a.md", report(text, [f]), None)])[0]
    assert line.endswith("::Plural.%0Asuggestion (safe): “one of the main reason” → “one of the main reasons”")
