"""Configuration: finding, parsing, validating, printing and applying it (library and CLI)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from editor.config import (
    Config,
    ConfigError,
    ConfigFinder,
    load_config,
    parse_config_file,
)
from editor.findings import Severity
from tests.test_cli import run, write
from tests.texts import BAD, GOOD, INFO



pytestmark = pytest.mark.usefixtures("starter_env")


def put(path: str, text: str) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


FULL = """
[tool.cleanup]
select = ["MT", "ST"]
ignore = ["MT3"]
exclude = ["drafts/**"]
fail-on = "error"
report-dir = "reports"
vocabulary = ["WeChat", "Xi Jinping"]

[tool.cleanup.severity]
MT301 = "info"
ST1 = "error"

[tool.cleanup.substitutions]
"e-mail" = "email"
Github = "GitHub"

[tool.cleanup.languagetool]
server = "http://localhost:8081"
timeout = 12.5
disable = ["WHITESPACE_RULE"]
enable = ["EN_QUOTES"]
"""


# --------------------------------------------------------------------------------------------
# loading


def test_full_pyproject_table(tmp_path):
    put("pyproject.toml", FULL)
    cfg = load_config(tmp_path / "docs" / "a.md")
    assert cfg.source == (tmp_path / "pyproject.toml").absolute()
    assert cfg.select == ["MT", "ST"] and cfg.ignore == ["MT3"]
    assert cfg.exclude == ["drafts/**"]
    assert cfg.fail_on == "error"
    assert cfg.report_dir == str((tmp_path / "reports").resolve())
    assert cfg.vocabulary == ["WeChat", "Xi Jinping"]
    assert cfg.severity == {"MT301": "info", "ST1": "error"}
    assert cfg.substitutions == {"e-mail": "email", "Github": "GitHub"}
    assert cfg.languagetool == "http://localhost:8081"
    assert cfg.languagetool_timeout == 12.5
    assert cfg.languagetool_disable == ["WHITESPACE_RULE"] and cfg.languagetool_enable == ["EN_QUOTES"]


def test_defaults_without_any_file(tmp_path):
    cfg = load_config(tmp_path / "a.md")
    assert cfg == Config()
    assert cfg.source is None and cfg.fail_on == "warning" and cfg.languagetool == "off"
    assert cfg.languagetool_timeout == 30 and cfg.select is None and cfg.vocabulary == []


def test_nearest_wins_walking_up(tmp_path):
    put("pyproject.toml", '[tool.cleanup]\nfail-on = "error"\n')
    put("docs/cleanup.toml", 'fail-on = "info"\n')
    assert load_config(tmp_path / "docs" / "deep" / "er" / "a.md").fail_on == "info"
    assert load_config(tmp_path / "docs" / "a.md").source == (tmp_path / "docs" / "cleanup.toml").absolute()
    assert load_config(tmp_path / "other" / "a.md").fail_on == "error"


def test_precedence_in_one_folder(tmp_path):
    put("pyproject.toml", '[tool.cleanup]\nfail-on = "error"\n')
    put("cleanup.toml", 'fail-on = "info"\n')
    assert load_config(tmp_path / "a.md").fail_on == "info"
    put(".cleanup.toml", 'fail-on = "never"\n')
    assert load_config(tmp_path / "a.md").fail_on == "never"


def test_pyproject_without_table_is_skipped(tmp_path):
    put("pyproject.toml", '[tool.cleanup]\nfail-on = "error"\n')
    put("sub/pyproject.toml", '[project]\nname = "x"\n')
    assert load_config(tmp_path / "sub" / "a.md").fail_on == "error"


def test_explicit_overrides_search(tmp_path):
    put("cleanup.toml", 'fail-on = "info"\n')
    put("elsewhere/mine.toml", 'fail-on = "error"\n')
    cfg = load_config(tmp_path / "a.md", tmp_path / "elsewhere" / "mine.toml")
    assert cfg.fail_on == "error"


def test_finder_reads_each_file_once(tmp_path, monkeypatch):
    put("cleanup.toml", 'fail-on = "info"\n')
    import editor.config as config

    calls = []
    real = config.parse_config_file
    monkeypatch.setattr(config, "parse_config_file", lambda *a, **k: calls.append(a) or real(*a, **k))
    finder = ConfigFinder()
    for i in range(50):
        assert finder.for_path(tmp_path / f"d{i % 5}" / "a.md").fail_on == "info"
    assert len(calls) == 1


# --------------------------------------------------------------------------------------------
# errors name the file and the key


@pytest.mark.parametrize(
    "text, key, words",
    [
        ('fail-ob = "error"\n', "fail-ob", "did you mean 'fail-on'"),
        ('fail-on = "sometimes"\n', "fail-on", "error, warning, info, never"),
        ('select = "MT"\n', "select", "list of strings"),
        ('select = ["M T"]\n', "select", "not a rule code"),
        ('[severity]\nMT301 = "fatal"\n', "severity.MT301", "error, warning, info"),
        ('[languagetool]\nserver = "ftp://x"\n', "languagetool.server", "http(s) URL"),
        ('[languagetool]\ntimeout = -1\n', "languagetool.timeout", "seconds"),
        ('[languagetool]\nservre = "local"\n', "languagetool.servre", "unknown key"),
        ('[substitutions]\n"e-mail" = 3\n', "substitutions.e-mail", "must be a string"),
        ('vocabulary = ["ok", 3]\n', "vocabulary", "list of strings"),
        ('report-dir = 5\n', "report-dir", "folder path"),
    ],
)
def test_bad_values_name_file_and_key(tmp_path, text, key, words):
    put("cleanup.toml", text)
    with pytest.raises(ConfigError) as e:
        load_config(tmp_path / "a.md")
    msg = str(e.value)
    assert "\n" not in msg
    assert msg.startswith("cleanup.toml: ")  # relative to the working folder
    assert f"key '{key}'" in msg
    assert words in msg


def test_pyproject_keys_are_named_with_their_table(tmp_path):
    put("pyproject.toml", "[tool.cleanup]\nbogus = 1\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: key 'tool.cleanup.bogus': unknown key"):
        load_config(tmp_path / "a.md")


def test_invalid_toml(tmp_path):
    put("cleanup.toml", "select = [\n")
    with pytest.raises(ConfigError, match=r"cleanup.toml: invalid TOML"):
        load_config(tmp_path / "a.md")


def test_explicit_pyproject_needs_the_table(tmp_path):
    p = put("pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"no \[tool.cleanup\] table"):
        parse_config_file(p)


def test_missing_explicit_file(tmp_path):
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config(tmp_path / "a.md", tmp_path / "nope.toml")


# --------------------------------------------------------------------------------------------
# behaviour


def test_severity_for_exact_and_longest_prefix():
    cfg = Config(severity={"MT": "info", "MT3": "error", "MT301": "warning"})
    assert cfg.severity_for("MT301") == "warning"
    assert cfg.severity_for("MT302") == "error"
    assert cfg.severity_for("MT101") == "info"
    assert cfg.severity_for("ST101") is None


def test_with_overrides_ignores_unset_flags():
    cfg = Config(select=["MT"], fail_on="error")
    assert cfg.with_overrides(select=None, fail_on=None) is cfg
    assert cfg.with_overrides(select=["ST"]).select == ["ST"]
    assert cfg.with_overrides(fail_on="info").fail_on == "info"


def test_as_toml_is_valid_toml_and_round_trips(tmp_path):
    put("pyproject.toml", FULL)
    cfg = load_config(tmp_path / "a.md")
    text = cfg.as_toml()
    put("printed/cleanup.toml", text)
    again = load_config(tmp_path / "printed" / "a.md")
    for field in ("select", "ignore", "exclude", "fail_on", "report_dir", "vocabulary", "severity",
                  "substitutions", "languagetool", "languagetool_timeout", "languagetool_disable",
                  "languagetool_enable"):
        assert getattr(again, field) == getattr(cfg, field), field
    assert tomllib.loads(text)["languagetool"]["server"] == "http://localhost:8081"


def test_report_unused_suppressions_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = parse_config_file(put("flags/cleanup.toml", "report-unused-suppressions = true\n"))
    assert cfg.report_unused_suppressions is True
    assert "report-unused-suppressions = true" in cfg.as_toml()
    with pytest.raises(ConfigError, match="report-unused-suppressions.*true or false"):
        parse_config_file(put("flags2/cleanup.toml", "report-unused-suppressions = 'yes'\n"))


# --------------------------------------------------------------------------------------------
# the command line


def test_bad_config_exits_2_naming_the_key():
    write("a.md", BAD)
    put("cleanup.toml", 'fail-on = "sometimes"\n')
    r = run("check", "a.md")
    assert r.code == 2, r
    errs = r.errors()
    assert len(errs) == 1 and "cleanup.toml" in errs[0] and "key 'fail-on'" in errs[0], r
    assert "Traceback" not in r.err
    r = run("a.md", "--no-report")
    assert r.code == 2 and "key 'fail-on'" in r.err, r


def test_clean_exit_0_findings_exit_1_with_config():
    put("cleanup.toml", 'vocabulary = ["WeChat"]\n')
    write("good.md", GOOD)
    write("bad.md", BAD)
    assert run("check", "good.md").code == 0
    assert run("check", "bad.md").code == 1


def test_config_fail_on_and_cli_override():
    write("a.md", BAD)
    put("cleanup.toml", 'fail-on = "error"\n')
    assert run("check", "a.md").code == 0
    assert run("check", "a.md", "--fail-on", "warning").code == 1


def test_fail_on_is_per_file(tmp_path):
    write("strict/a.md", BAD)
    write("lax/a.md", BAD)
    put("lax/cleanup.toml", 'fail-on = "never"\n')
    assert run("check", "lax").code == 0
    assert run("check", "lax", "strict").code == 1


def test_config_select_and_cli_select_override():
    write("a.md", BAD + INFO)
    put("cleanup.toml", 'ignore = ["ST101"]\n')
    r = run("check", "a.md", "--fail-on", "info")
    assert "ST101" not in r.out and "ST102" in r.out, r
    r = run("check", "a.md", "--ignore", "ST102", "--fail-on", "info")
    assert "ST101" in r.out and "ST102" not in r.out, r


def test_severity_from_config_changes_output_and_exit():
    write("a.md", INFO)
    assert run("check", "a.md").code == 0
    put("cleanup.toml", '[severity]\nST102 = "error"\n')
    r = run("check", "a.md")
    assert r.code == 1 and "ST102 [error]" in r.out, r


def test_substitution_is_a_finding_and_fixable():
    write("a.md", "Send us an e-mail today.\n")
    put("cleanup.toml", '[substitutions]\n"e-mail" = "email"\n')
    r = run("check", "a.md")
    assert r.code == 1 and "a.md:1:12: CU101 [warning]" in r.out and "“e-mail” → “email”" in r.out, r
    r = run("a.md", "--fix", "--no-report")
    assert Path("a.md").read_text() == "Send us an email today.\n", r


def test_explicit_config_flag():
    write("a.md", BAD)
    put("ci/strict.toml", '[severity]\nST101 = "error"\n')
    r = run("check", "a.md", "--config", "ci/strict.toml", "--fail-on", "error")
    assert r.code == 1 and "ST101 [error]" in r.out, r
    r = run("check", "a.md", "--config", "ci/missing.toml")
    assert r.code == 2 and "missing.toml" in r.err, r


def test_config_command_prints_effective_configuration():
    put("pyproject.toml", FULL)
    write("docs/a.md", GOOD)
    r = run("config", "docs/a.md")
    assert r.code == 0, r
    data = tomllib.loads(r.out)
    assert data["fail-on"] == "error" and data["vocabulary"] == ["WeChat", "Xi Jinping"]
    assert data["severity"] == {"MT301": "info", "ST1": "error"}
    assert data["languagetool"]["timeout"] == 12.5
    assert "pyproject.toml" in r.out.splitlines()[0]
    put("pyproject.toml", "[tool.cleanup]\nnope = 1\n")
    r = run("config", "docs/a.md")
    assert r.code == 2 and "key 'tool.cleanup.nope'" in r.err, r


def test_report_dir_from_config():
    write("a.md", GOOD)
    put("cleanup.toml", 'report-dir = "out/reports"\n')
    r = run("a.md")
    assert r.code == 0, r
    assert Path("out/reports/a.md.cleanup.html").is_file()
    assert not Path("a.md.cleanup.html").exists()


# --------------------------------------------------------------------------------------------
# many files: the model is loaded once, one rule set per distinct selection


def test_200_files_load_the_model_once(monkeypatch, nlp):
    from functools import lru_cache

    import spacy

    import editor.engine
    import editor.nlp
    from editor.nlp import default_model_name, load_model

    for i in range(200):
        write(f"docs/{i // 50}/a{i}.md", BAD if i % 7 == 0 else GOOD)
    put("docs/3/cleanup.toml", 'ignore = ["ST101"]\n')  # a second selection for 50 files
    put("docs/2/cleanup.toml", '[severity]\nST101 = "error"\n')  # same selection, other config
    loads, rulesets = [], []
    real_build = editor.engine.build_ruleset
    # the real loader behind a fresh cache (the session's cached model stays as it is); spaCy's
    # load is counted and answers with the already loaded model
    monkeypatch.setattr(spacy, "load", lambda *a, **k: loads.append(a) or nlp)
    raw = getattr(editor.nlp, "_load_model", load_model).__wrapped__  # the loader behind the cache
    fresh = lru_cache(maxsize=4)(raw)
    monkeypatch.setattr(editor.nlp, "load_model", lambda name=None: fresh(name or default_model_name()))
    monkeypatch.setattr(editor.engine, "build_ruleset",
                        lambda *a, **k: rulesets.append(real_build(*a, **k)) or rulesets[-1])
    r = run("check", "docs", "--format", "json")
    assert r.code == 1, r.err
    assert len(loads) == 1
    assert len(rulesets) == 3  # a checker per configuration (editor.checkers) ...
    assert len({id(rs) for rs in rulesets}) == 2  # ... sharing a rule set per selection: default, ignore=ST101
    import json

    files = json.loads(r.out)["files"]
    assert len(files) == 200
    sevs = {f["path"].split("/")[1]: {x["severity"] for x in f["findings"]} for f in files if f["findings"]}
    assert sevs == {"0": {"warning"}, "1": {"warning"}, "2": {"error"}}


# --------------------------------------------------------------------------------------------
# the documented shapes are the real ones (README, docs/ci.md, .pre-commit-hooks.yaml)

ROOT = Path(__file__).resolve().parents[1]


def _blocks(md: str, lang: str) -> list[str]:
    import re

    return re.findall(rf"```{lang}\n(.*?)```", md, re.S)


def test_readme_configuration_example_is_valid(tmp_path):
    blocks = [b for b in _blocks((ROOT / "README.md").read_text(), "toml") if "[tool.cleanup]" in b]
    assert blocks
    put("pyproject.toml", blocks[0])
    cfg = load_config(tmp_path / "a.md")
    assert cfg.vocabulary and cfg.substitutions and cfg.severity and cfg.exclude
    assert cfg.languagetool == "off" and cfg.fail_on == "warning"


def test_ci_doc_workflows_parse_and_use_the_documented_options():
    from ruamel.yaml import YAML

    doc = (ROOT / "docs" / "ci.md").read_text()
    workflows = [YAML(typ="safe").load(b) for b in _blocks(doc, "yaml")]
    # the workflow written out step by step (the one before it uses the repository's action)
    gh = next(w for w in workflows if "jobs" in w and any("run" in s for s in w["jobs"]["cleanup"]["steps"]))
    steps = gh["jobs"]["cleanup"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "--format github" in runs and "--diff-base" in runs and "--format sarif" in runs
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    assert gh["permissions"]["security-events"] == "write"
    gl = next(w for w in workflows if "cleanup" in w and "script" in w["cleanup"])
    assert any("--diff-base" in line for line in gl["cleanup"]["script"])


def test_pre_commit_hooks_run_the_cli_on_matching_files():
    import re
    import shlex

    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"cleanup", "cleanup-fix"}
    for h in hooks:
        assert h["language"] == "python" and h["require_serial"] is True
        pat = re.compile(h["files"])
        assert pat.search("docs/a.md") and pat.search("b.markdown") and pat.search("c.txt")
        assert not pat.search("setup.py") and not pat.search("a.md.cleanup.html")
    write("a.md", BAD)
    write("b.md", GOOD)
    argv = shlex.split(by_id["cleanup"]["entry"])
    assert argv[0] == "cleanup"
    assert run(*argv[1:], "a.md", "b.md").code == 1
    assert run(*argv[1:], "b.md").code == 0
    fix = shlex.split(by_id["cleanup-fix"]["entry"])
    run(*fix[1:], "a.md")
    assert Path("a.md").read_text() == "The pump cannot start.\n"
    assert not Path("a.md.cleanup.html").exists()
