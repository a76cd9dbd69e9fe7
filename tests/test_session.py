"""The Python API: ``from editor import check_text, check_file, apply_fixes`` (docs/api.md).

Its findings are compared with what the command line reports for the same files (the real rules,
Harper on, the nearest configuration), in-process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from editor.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "morning-swimming.md"
ARTICLE = "😀 He is also need to go. She has alot of books -- it is broken. Send an e-mail.\n"


def cli(*args) -> tuple[int, str]:
    runner = CliRunner()
    with runner.isolation() as (out, _err, _):
        try:
            main(list(args))
            code = 0
        except SystemExit as e:
            code = e.code
    return code, out.getvalue().decode()


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    """A folder with a configuration (substitutions, a severity, an ignored rule) and articles."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cleanup]\nignore = ["TY101"]\nfail-on = "error"\n\n[tool.cleanup.severity]\nST105 = "error"\n\n'
        '[tool.cleanup.substitutions]\n"e-mail" = "email"\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    shutil.copy(SAMPLE, tmp_path / "sample.md")
    return tmp_path


def test_the_api_is_importable_from_the_package_and_import_editor_stays_light():
    from editor import apply_fixes, check_file, check_text  # noqa: F401

    out = subprocess.run([sys.executable, "-c", "import editor, sys; print('spacy' in sys.modules)"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    with pytest.raises(AttributeError):
        import editor

        editor.no_such_thing  # noqa: B018


@pytest.mark.parametrize("name", ["a.md", "sample.md"])
def test_check_file_gives_the_findings_of_cleanup_check(site, name):
    from editor import check_file

    code, out = cli("check", "--format", "json", name)
    expected = json.loads(out)["files"][0]
    result = check_file(name)
    assert result.to_dict()["findings"] == expected["findings"]
    assert result.words == expected["words"]
    assert json.loads(result.to_json())["files"][0]["findings"] == expected["findings"]
    assert result.failed == (code == 1)
    assert result.config == site / "pyproject.toml"
    if name == "a.md":  # the configuration is applied: CU101 added, ST105 raised, TY101 ignored
        rules = {f.rule: f for f in result.findings}
        assert "CU101" in rules and "TY101" not in rules
        assert rules["ST105"].severity.value == "error"
        assert result.failed


def test_extend_select_and_dialect_of_the_configuration_are_those_of_the_command_line(site):
    from editor import check_file

    (site / "c.md").write_text("The pump can not start. The colour is nice.\n", encoding="utf-8")
    (site / "cleanup.toml").write_text('extend-select = ["ST101"]\ndialect = "us"\n', encoding="utf-8")
    _, out = cli("check", "--format", "json", "c.md")
    expected = json.loads(out)["files"][0]["findings"]
    result = check_file("c.md")
    assert "ST101" in {f.rule for f in result.findings}  # an opt-in rule, added by extend-select
    assert result.to_dict()["findings"] == expected


def test_check_text_results_are_typed_and_point_into_the_text(site):
    from editor import CheckResult, Finding, Location, Severity, check_text

    result = check_text(ARTICLE, "md", path="a.md")
    assert isinstance(result, CheckResult) and result.fmt == "md" and result.text == ARTICLE
    mt = next(f for f in result.findings if f.rule == "MT201")
    assert isinstance(mt, Finding) and mt.severity is Severity.WARNING  # error only by the severity policy (docs/rules.md)
    assert result.flagged(mt) == ARTICLE[mt.span.start:mt.span.end] == "is also need"
    assert result.location(mt) == Location(1, 6, 1, 18)  # code points: the emoji counts once
    assert mt.fixes[0].applicability.value == "unsafe"
    # the same text, checked as the file: the same findings
    from editor import check_file

    assert [f.rule for f in check_file("a.md").findings] == [f.rule for f in result.findings]


def test_check_text_format_follows_the_path_and_defaults_to_plain_text(site):
    from editor import check_text

    md = "Use `alot` in code.\n"
    assert check_text(md, path="x.md").fmt == "md"
    assert not [f for f in check_text(md, path="x.md").findings if f.rule == "ST105"]  # code is masked
    assert [f for f in check_text(md).findings if f.rule == "ST105"]  # plain text: no code to mask
    assert check_text(md).fmt == "txt"
    with pytest.raises(ValueError, match="'md' or 'txt'"):
        check_text(md, "html")


def test_apply_fixes_does_what_fix_does_on_the_command_line(site):
    from editor import apply_fixes, check_file

    for name in ("a.md", "sample.md"):
        for flags, unsafe in (([], False), (["--unsafe-fixes"], True)):
            out = site / f"fixed-{len(flags)}-{name}"
            cli(name, "--fix", *flags, "--output", str(out), "--no-report")
            outcome = apply_fixes(check_file(name), unsafe=unsafe)
            assert outcome.text == out.read_text(encoding="utf-8")
            code, listed = cli("check", "--format", "json", str(out))
            assert [(f["rule"], f["start"]) for f in json.loads(listed)["files"][0]["findings"]] == \
                [(f.rule, f.span.start) for f in outcome.result.findings]
            if name == "a.md" or unsafe:
                assert outcome.changed and outcome.applied > 0
    safe = apply_fixes(check_file("a.md"))
    assert "a lot" in safe.text and "email" in safe.text and "is also need" in safe.text  # unsafe left alone
    for name in ("a.md", "sample.md"):  # nothing written
        assert (site / name).read_text(encoding="utf-8") == (ARTICLE if name == "a.md" else SAMPLE.read_text(encoding="utf-8"))


def test_apply_fixes_to_chosen_findings_respects_their_safety(site):
    from editor import apply_fixes, check_text

    result = check_text(ARTICLE, "md", path="a.md")
    by_rule = {f.rule: f for f in result.findings}
    safe = apply_fixes(result, [by_rule["ST105"]])
    assert safe.text == ARTICLE.replace("alot", "a lot") and safe.applied == 1
    assert "ST105" not in {f.rule for f in safe.result.findings}
    not_allowed = apply_fixes(result, [by_rule["MT201"]])  # unsafe: only with unsafe=True
    assert not_allowed.text == ARTICLE and not not_allowed.changed
    rewrite = apply_fixes(result, [by_rule["MT201"]], unsafe=True)
    assert rewrite.text == ARTICLE.replace("is also need", "also needs")


def test_errors_are_plain_exceptions_with_one_line_reasons(site):
    from editor import ConfigError, InputError, Session, check_file

    with pytest.raises(InputError, match="no such file"):
        check_file("missing.md")
    (site / "bin.md").write_bytes(b"\x00\x01binary")
    with pytest.raises(InputError, match="binary"):
        check_file("bin.md")
    (site / "bad.toml").write_text('fail-on = "sometimes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="fail-on"):
        Session(config=site / "bad.toml")


def test_a_session_reads_the_configuration_again_when_it_changes(site):
    from editor import Session

    session = Session()
    assert "CU101" in {f.rule for f in session.check_text("Send an e-mail.\n", path="a.md").findings}
    (site / "cleanup.toml").write_text('ignore = ["CU101"]\n', encoding="utf-8")  # nearer, and it wins
    assert "CU101" not in {f.rule for f in session.check_text("Send an e-mail.\n", path="a.md").findings}
    isolated = Session(isolated=True).check_text("Send an e-mail.\n", path="a.md")  # no configuration files
    assert isolated.config is None and "CU101" not in {f.rule for f in isolated.findings}


def test_one_session_serves_threads_with_the_same_findings(site):
    from editor import Session

    session = Session()
    texts = [ARTICLE, SAMPLE.read_text(encoding="utf-8"), "She has alot of books.\n"]
    expected = [[(f.rule, f.span) for f in session.check_text(t, "md").findings] for t in texts]
    got: dict[int, list] = {}
    errors = []

    def work(i):
        try:
            got[i] = [(f.rule, f.span) for f in session.check_text(texts[i % 3], "md").findings]
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(got[i] == expected[i % 3] for i in range(9))
