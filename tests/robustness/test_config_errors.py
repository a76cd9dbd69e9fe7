"""Issue 16, point 5: a bad configuration in ``cleanup batch`` and a bad ``exclude`` glob anywhere
are one line naming the file and the key, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.batch.runner import BatchError, run_batch
from editor.config import ConfigError, parse_config_file
from tests.robustness.support import one_error, run
from tests.texts import BAD

pytestmark = pytest.mark.usefixtures("starter_env")


def library(config: str) -> None:
    Path("lib/sub").mkdir(parents=True)
    Path("lib/a.md").write_text(BAD, encoding="utf-8")
    Path("lib/sub/b.md").write_text(BAD, encoding="utf-8")
    Path("lib/sub/cleanup.toml").write_text(config, encoding="utf-8")


@pytest.mark.parametrize("config, key", [
    ('fail-on = "sometimes"\n', "fail-on"),
    ('[severity]\nST101 = "loud"\n', "severity.ST101"),
    ('exclude = ["[z-a]"]\n', "exclude"),
    ('exclude = ["!"]\n', "exclude"),
])
def test_batch_with_a_bad_configuration_is_one_line_and_exit_2(config, key):
    library(config)
    r = run("batch", "lib", "--out", "out", "-q", "--timeout", "0", "-j", "1")
    assert r.code == 2
    line = one_error(r, "lib/sub/cleanup.toml", f"key '{key}'")
    assert "internal error" not in line
    with pytest.raises(BatchError, match=f"key '{key}'"):
        run_batch(["lib"], "out2", jobs=1, progress="none")


@pytest.mark.parametrize("command", [["check"], [], ["config"]])
def test_a_bad_exclude_glob_is_one_line_naming_the_file_and_key(command):
    library('exclude = ["drafts/[z-a]*.md"]\n')
    args = [*command, "lib/sub/b.md"] if command != ["check"] else ["check", "lib"]
    r = run(*args)
    assert r.code == 2
    line = one_error(r, "lib/sub/cleanup.toml", "key 'exclude'", "drafts/[z-a]*.md")
    assert "Traceback" not in r.err and "position" not in line


def test_every_pattern_discover_can_compile_is_accepted(tmp_path):
    f = tmp_path / "cleanup.toml"
    f.write_text('exclude = ["drafts/", "*.generated.md", "**/tmp/**", "!keep.md", "a[bc].md", "\\\\#x.md"]\n',
                 encoding="utf-8")
    assert parse_config_file(f).exclude[0] == "drafts/"
    f.write_text('exclude = ["[z-a]"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad character range z-a"):
        parse_config_file(f)
