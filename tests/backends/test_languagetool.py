"""LanguageTool through language-tool-python, end to end against a real HTTP server on 127.0.0.1
(tests/backends/lt_server.py) speaking LanguageTool's /v2 API, including its failure modes."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("language_tool_python")

from editor.backends import EngineError  # noqa: E402
from editor.backends.languagetool import OFF_BY_DEFAULT, LanguageToolEngine, Utf16, client_class  # noqa: E402
from editor.segment import segment  # noqa: E402
from tests.backends.lt_server import LTServer  # noqa: E402

EMOJI_TEXT = "# Trip 😀\n\nI 😀😀 recieve a apple 🇨🇳 at `teh code` and https://teh.example.com/a apple.\n"


@pytest.fixture(scope="module")
def server():
    srv = LTServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def lt(server):
    server.reset()
    return server


def run_engine(engine, text, fmt="md"):
    segs = segment(text, fmt)
    return engine.finish(engine.start(segs), segs, text)


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --------------------------------------------------------------------------------------------
# UTF-16


def test_utf16_to_code_points():
    text = "a😀b🇨🇳c中d"
    conv = Utf16(text)
    for i in range(len(text) + 1):
        units = len(text[:i].encode("utf-16-le")) // 2
        assert conv.to_code_point(units) == i
    with pytest.raises(EngineError):
        conv.to_code_point(conv.units + 1)


def test_the_library_alone_gets_lengths_wrong_and_the_wrapper_right(lt):
    """language-tool-python 3.4 converts offsets but not lengths: a match that covers an
    emoji comes back one code point too long.  CleanupLanguageTool converts both."""
    from language_tool_python import LanguageTool

    words = " ".join(["word"] * 41)
    text = f"Start here. The {words} 😀 end. Next."
    sentence = f"The {words} 😀 end."
    lib = LanguageTool("en-US", remote_server=lt.url)
    lib.enabled_rules = {"TOO_LONG_SENTENCE"}
    (m,) = [m for m in lib.check(text) if m.rule_id == "TOO_LONG_SENTENCE"]
    assert text[m.offset:m.offset + m.error_length] != sentence  # the library's fault
    ours = client_class()("en-US", remote_server=lt.url, timeout=5)
    ours.enabled_rules = {"TOO_LONG_SENTENCE"}
    (m,) = [m for m in ours.check(text) if m.rule_id == "TOO_LONG_SENTENCE"]
    assert text[m.offset:m.offset + m.error_length] == sentence


# --------------------------------------------------------------------------------------------
# the engine against the server


def test_exact_offsets_after_emoji_and_markup_kept_out(lt):
    engine = LanguageToolEngine(lt.url, timeout=5)
    found = run_engine(engine, EMOJI_TEXT)
    by_rule = {f.rule: f for f in found}
    a = by_rule["LT/EN_A_VS_AN"]
    assert EMOJI_TEXT[a.span.start:a.span.end] == "a" and a.span.start == EMOJI_TEXT.index("a apple")
    assert a.source == "languagetool" and a.sources == ("languagetool",)
    assert a.fixes[0].edits[0].replacement == "an" and a.fixes[0].applicability.value == "unsafe"
    # the misspelling rule is off by default (names); code and URLs were never sent
    assert "LT/MORFOLOGIK_RULE_EN_US" not in by_rule
    (check,) = lt.checks()
    assert "teh" not in check["text"] and "https://" not in check["text"] and "`" not in check["text"]
    assert check["language"] == "en-US"
    assert set(check["disabledRules"].split(",")) == set(OFF_BY_DEFAULT)
    # only one finding for "a apple": the one in the URL is masked
    assert sum(1 for f in found if f.rule == "LT/EN_A_VS_AN") == 1


def test_one_request_per_article_and_long_articles_in_a_few_chunks(lt):
    paragraphs = [f"Paragraph {i} 😀 has a apple in it and recieve words." for i in range(60)]
    text = "\n\n".join(paragraphs) + "\n"
    engine = LanguageToolEngine(lt.url, timeout=5, select=["LT/MORFOLOGIK_RULE_EN_US", "LT/EN_A_VS_AN"])
    found = run_engine(engine, text, "txt")
    assert len(lt.checks()) == 1
    small = LanguageToolEngine(lt.url, timeout=5, max_bytes=1000, select=["LT/MORFOLOGIK_RULE_EN_US", "LT/EN_A_VS_AN"])
    lt.reset()
    found_small = run_engine(small, text, "txt")
    assert 3 <= len(lt.checks()) <= 6
    assert all(len(c["text"].encode()) <= 1000 for c in lt.checks())
    assert [(f.rule, f.span) for f in found] == [(f.rule, f.span) for f in found_small]
    assert sum(1 for f in found if text[f.span.start:f.span.end] == "recieve") == 60
    assert sum(1 for f in found if f.rule == "LT/EN_A_VS_AN" and text[f.span.start:f.span.end] == "a") == 60


def test_selection_enables_and_disables_rules(lt):
    engine = LanguageToolEngine(lt.url, timeout=5, select=["LT/WHITESPACE_RULE", "LT/EN_A_VS_AN"],
                                disable=["HE_VERB_AGR"])
    found = run_engine(engine, "He go to  a apple.\n", "txt")
    assert {f.rule for f in found} == {"LT/WHITESPACE_RULE", "LT/EN_A_VS_AN"}
    (check,) = lt.checks()
    assert "WHITESPACE_RULE" in check["enabledRules"] and "WHITESPACE_RULE" not in check["disabledRules"]
    assert "HE_VERB_AGR" in check["disabledRules"]
    lt.reset()
    ignored = LanguageToolEngine(lt.url, timeout=5, ignore=["LT/EN_A_VS_AN"])
    assert not any(f.rule == "LT/EN_A_VS_AN" for f in run_engine(ignored, "He go to a apple.\n", "txt"))
    assert not LanguageToolEngine(lt.url, select=["MT"]).active


# --------------------------------------------------------------------------------------------
# failures: one clear message, bounded time


@pytest.mark.parametrize("mode, expected", [
    ("500", "server error HTTP 500"),
    ("503", "server error HTTP 503"),
    ("malformed", "not JSON"),
    ("bad-match", "malformed match"),
])
def test_failures_are_one_clear_message(lt, mode, expected):
    engine = LanguageToolEngine(lt.url, timeout=5)
    engine.open()
    lt.mode = mode
    with pytest.raises(EngineError) as e:
        run_engine(engine, "He go to a apple.\n", "txt")
    msg = str(e.value)
    assert expected in msg and lt.url in msg and "\n" not in msg


def test_rate_limit_backs_off_then_succeeds(lt):
    engine = LanguageToolEngine(lt.url, timeout=5)
    engine.open()
    lt.mode, lt.fail_count, lt.retry_after = "429", 2, 0
    found = run_engine(engine, "He go to a apple.\n", "txt")
    assert any(f.rule == "LT/EN_A_VS_AN" for f in found)
    assert len(lt.checks()) == 3  # two refusals, then the answer


def test_rate_limit_that_persists_is_reported(lt):
    engine = LanguageToolEngine(lt.url, timeout=5)
    engine.open()
    lt.mode, lt.fail_count, lt.retry_after = "429", 100, 0
    with pytest.raises(EngineError, match="rate limit exceeded \\(HTTP 429\\)"):
        run_engine(engine, "He go to a apple.\n", "txt")


def test_timeout_is_bounded_and_configurable(lt):
    engine = LanguageToolEngine(lt.url, timeout=0.5)
    engine.open()
    lt.mode, lt.delay = "slow", 3.0
    t0 = time.monotonic()
    with pytest.raises(EngineError, match="no answer within 0.5 s"):
        run_engine(engine, "He go to a apple.\n", "txt")
    assert time.monotonic() - t0 < 2.5


def test_unreachable_server():
    engine = LanguageToolEngine(f"http://127.0.0.1:{closed_port()}", timeout=2)
    with pytest.raises(EngineError, match="cannot connect \\(connection refused\\)"):
        engine.open()


def test_not_required_is_a_warning_and_the_other_checks_go_on(lt, nlp, capsys, monkeypatch):
    import editor.backends as backends
    from editor.api import get_checker

    monkeypatch.setattr(backends, "_warned", set())
    engine = LanguageToolEngine(lt.url, timeout=5, required=False)
    engine.open()
    lt.mode = "503"
    # the default rules ("" selects them all) plus one opt-in Harper rule (none is on by default)
    checker = get_checker(select=["", "HARPER/SentenceCapitalization"], harper=True, languagetool=engine)
    found = checker.detect("He is also need to eat. we left early.\n", "txt")
    assert any(f.rule.startswith("MT") for f in found) and any(f.rule.startswith("HARPER/") for f in found)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "HTTP 503" in err[0] and "continuing without LanguageTool" in err[0]
    assert engine.start(segment("x", "txt")) is None  # not asked again in this run


def test_merged_with_harper_and_ours(lt, nlp):
    from editor.api import get_checker

    engine = LanguageToolEngine(lt.url, timeout=5, select=["LT/MORFOLOGIK_RULE_EN_US"])
    checker = get_checker(select=["", "HARPER/SplitWords"], harper=True, languagetool=engine)  # Harper: opt-in
    text = "We talked alot 😀 yesterday.\n"
    found = checker.detect(text, "txt")
    (a,) = [f for f in found if text[f.span.start:f.span.end] == "alot"]
    # our rule's message first; every engine recorded; the same suggestion once
    assert a.source == "cleanup" and a.sources == ("cleanup", "languagetool", "harper")
    assert [fx.edits[0].replacement for fx in a.fixes] == ["a lot"]


def test_local_mode_without_java_is_one_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no java here
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    engine = LanguageToolEngine("local", timeout=5)
    with pytest.raises(EngineError) as e:
        engine.open()
    msg = str(e.value)
    assert "Java" in msg and "\n" not in msg


def test_bad_settings():
    with pytest.raises(EngineError):
        LanguageToolEngine("ftp://x")
    with pytest.raises(EngineError):
        LanguageToolEngine("http://x", timeout=0)


# --------------------------------------------------------------------------------------------
# the command line


def cli(*args, env=None):
    from tests.test_cli import run

    return run(*args, env=env)


def test_cli_check_with_languagetool_url(lt, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.md").write_text(EMOJI_TEXT, encoding="utf-8")
    r = cli("check", "a.md", "--languagetool", lt.url, "--format", "json", "--fail-on", "never")
    assert r.code == 0, r
    data = json.loads(r.out)
    (f,) = [f for f in data["files"][0]["findings"] if f["rule"] == "LT/EN_A_VS_AN"]
    assert f["text"] == "a" and f["start"] == EMOJI_TEXT.index("a apple")
    assert f["line"] == 3 and f["column"] == EMOJI_TEXT.split("\n")[2].index("a apple") + 1
    assert f["source"] == "languagetool" and f["sources"] == ["languagetool"]
    assert "info:" not in r.err


def test_cli_environment_variable_and_timeout_option(lt, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("He go to a apple.\n", encoding="utf-8")
    r = cli("check", "a.txt", "--format", "json", env={"CLEANUP_LANGUAGETOOL": lt.url})
    assert "LT/HE_VERB_AGR" in r.out
    lt.mode, lt.delay = "slow", 3.0
    r = cli("check", "a.txt", "--languagetool-timeout", "0.5", env={"CLEANUP_LANGUAGETOOL": lt.url})
    assert r.code == 2 and r.errors() == [f"cleanup: LanguageTool at {lt.url}/: no answer within 0.5 s "
                                          f"(set --languagetool-timeout)"], r


def test_cli_config_file_sets_the_server(lt, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("cleanup.toml").write_text(f'[languagetool]\nserver = "{lt.url}"\ntimeout = 5\n', encoding="utf-8")
    Path("a.txt").write_text("He go to a apple.\n", encoding="utf-8")
    r = cli("check", "a.txt", "--format", "json")
    assert "LT/HE_VERB_AGR" in r.out, r
    r = cli("check", "a.txt", "--format", "json", "--languagetool", "off")
    assert "LT/" not in r.out and "info:" not in r.err
    r = cli("check", "a.txt", "--format", "json", env={"CLEANUP_LANGUAGETOOL": "off"})
    assert "LT/" not in r.out and "info:" not in r.err  # the environment beats the file


@pytest.mark.parametrize("args, config, language", [
    ([], "", "en-US"), (["--dialect", "gb"], "", "en-GB"), ([], 'dialect = "au"\n', "en-AU"),
    (["--dialect", "ca"], 'dialect = "au"\n', "en-CA"),
])
def test_dialect_is_languagetools_language(lt, tmp_path, monkeypatch, args, config, language):
    monkeypatch.chdir(tmp_path)
    Path("cleanup.toml").write_text(config, encoding="utf-8")
    Path("a.txt").write_text("He go to a apple.\n", encoding="utf-8")
    r = cli("check", "a.txt", "--format", "json", "--languagetool", lt.url, *args)
    assert "LT/HE_VERB_AGR" in r.out, r
    assert [c["language"] for c in lt.checks()] == [language]


def test_setting_precedence():
    from types import SimpleNamespace

    from editor.backends.languagetool import resolve_setting

    cfg = SimpleNamespace(languagetool="http://cfg:1", source="cleanup.toml")
    assert resolve_setting("http://cli:1", {"CLEANUP_LANGUAGETOOL": "http://env:1"}, cfg) == ("http://cli:1", "cli")
    assert resolve_setting(None, {"CLEANUP_LANGUAGETOOL": "http://env:1"}, cfg) == ("http://env:1", "env")
    assert resolve_setting(None, {}, cfg) == ("http://cfg:1", "config")
    assert resolve_setting(None, {}, SimpleNamespace(languagetool="off", source=None)) == ("off", "default")
    assert resolve_setting(None, {}, None) == ("off", "default")


@pytest.mark.parametrize("mode", ["500", "malformed"])
def test_cli_server_failures_exit_2_with_one_line(lt, tmp_path, monkeypatch, mode):
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("He go to a apple.\n", encoding="utf-8")
    lt.mode = mode
    r = cli("check", "a.txt", "--languagetool", lt.url)
    assert r.code == 2 and len(r.errors()) == 1 and "Traceback" not in r.err, r
    assert lt.url in r.errors()[0]


def test_cli_unreachable_url_in_a_real_process(tmp_path):
    Path(tmp_path / "a.md").write_text("He go to a apple.\n", encoding="utf-8")
    port = closed_port()
    p = subprocess.run([sys.executable, "-m", "editor", "check", "a.md", "--languagetool", f"http://127.0.0.1:{port}"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120,
                       env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2])))
    assert p.returncode == 2 and "Traceback" not in p.stderr
    lines = [line for line in p.stderr.splitlines() if line.startswith("cleanup:")]
    assert lines == [f"cleanup: LanguageTool at http://127.0.0.1:{port}/: cannot connect (connection refused)"]


def test_cli_local_without_java_in_a_real_process(tmp_path):
    Path(tmp_path / "a.md").write_text("He go to a apple.\n", encoding="utf-8")
    env = dict(os.environ, PATH=str(tmp_path), PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    env.pop("LTP_JAR_DIR_PATH", None)
    p = subprocess.run([sys.executable, "-m", "editor", "check", "a.md", "--languagetool", "local"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120, env=env)
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    lines = [line for line in p.stderr.splitlines() if line.startswith("cleanup:")]
    assert len(lines) == 1 and "Java" in lines[0], p.stderr


def test_cli_bad_value_and_default_info_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text("Fine words here.\n", encoding="utf-8")
    r = cli("check", "a.txt", "--languagetool", "maybe")
    assert r.code == 2 and len(r.errors()) == 1 and "--languagetool" in r.errors()[0]
    r = cli("check", "a.txt", env={"CLEANUP_LANGUAGETOOL": ""})
    assert "LanguageTool is off" not in r.err  # not on every run (issue 13)
    r = cli("check", "a.txt", "--verbose", env={"CLEANUP_LANGUAGETOOL": ""})
    assert r.err.count("info: LanguageTool is off") == 1
    r = cli("check", "a.txt", "--verbose", "--quiet")
    assert "info:" not in r.err
    r = cli("config", "a.txt")
    assert r.code == 0 and "# LanguageTool is off; enable it with --languagetool local|URL" in r.out
