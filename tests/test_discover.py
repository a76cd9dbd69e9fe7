"""Folder search: .gitignore (nested, negated, parent folders, .git/info/exclude) and exclude globs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from editor.config import ConfigFinder
from editor.discover import collect
from tests.test_cli import run


pytestmark = pytest.mark.usefixtures("starter_env")


def put(path: str, text: str = "All is well here.\n") -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def names(paths) -> list[str]:
    return sorted(Path(p).as_posix().removeprefix("./") for p in paths)


def test_plain_folder_search():
    for f in ("a.md", "b.markdown", "c.txt", "d.py", ".hidden.md", ".git/x.md", "node_modules/y.md", "sub/e.MD"):
        put(f)
    files, errors = collect(["."])
    assert names(files) == ["a.md", "b.markdown", "c.txt", "sub/e.MD"]
    assert errors == []


def test_gitignore_nested_and_negated():
    put(".gitignore", "build/\n*.tmp.md\n!keep.tmp.md\n")
    put("docs/.gitignore", "private.md\n/drafts\n")
    for f in ("a.md", "x.tmp.md", "keep.tmp.md", "build/out.md", "docs/ok.md", "docs/private.md",
              "docs/drafts/d.md", "docs/sub/drafts/kept.md", "other/private.md"):
        put(f)
    files, _ = collect(["."])
    assert names(files) == ["a.md", "docs/ok.md", "docs/sub/drafts/kept.md", "keep.tmp.md", "other/private.md"]


def test_parent_gitignore_applies_inside_a_repository():
    subprocess.run(["git", "init", "-q", "."], check=True)
    put(".gitignore", "docs/_build/\n")
    Path(".git/info").mkdir(parents=True, exist_ok=True)
    Path(".git/info/exclude").write_text("local.md\n")
    for f in ("docs/a.md", "docs/_build/b.md", "docs/local.md"):
        put(f)
    files, _ = collect(["docs"])
    assert names(files) == ["docs/a.md"]


def test_a_named_file_is_checked_even_if_gitignored():
    put(".gitignore", "x.md\n")
    put("x.md")
    assert names(collect(["x.md"])[0]) == ["x.md"]


def test_exclude_globs_relative_to_the_config_file():
    put("site/cleanup.toml", 'exclude = ["drafts/", "*.generated.md", "/top.md"]\n')
    for f in ("site/a.md", "site/drafts/b.md", "site/x.generated.md", "site/deep/y.generated.md",
              "site/top.md", "site/deep/top.md", "outside.generated.md"):
        put(f)
    files, errors = collect(["."], ConfigFinder())
    assert names(files) == ["outside.generated.md", "site/a.md", "site/deep/top.md"]
    assert errors == []


def test_exclude_applies_to_named_files_too():
    put("cleanup.toml", 'exclude = ["drafts/**"]\n')
    put("drafts/a.md")
    put("b.md")
    files, errors = collect(["drafts/a.md", "b.md"], ConfigFinder())
    assert names(files) == ["b.md"] and errors == []


def test_folder_with_everything_excluded_is_not_an_error_but_an_empty_one_is():
    put(".gitignore", "*.md\n")
    put("a.md")
    Path("empty").mkdir()
    files, errors = collect([".", "empty"])
    assert files == []
    assert errors == [("empty", "no articles here (looked for *.md, *.markdown, *.txt)")]


def test_paths_are_kept_as_given():
    put("sub/a.md")
    assert collect(["./sub/../sub/a.md", "sub"])[0] == ["./sub/../sub/a.md", "sub/a.md"]


def test_cli_respects_gitignore_and_exclude():
    put(".gitignore", "ignored/\n")
    put("cleanup.toml", 'exclude = ["vendor/**"]\n')
    put("ignored/bad.md", "The pump can not start.\n")
    put("vendor/bad.md", "The pump can not start.\n")
    put("good.md")
    r = run("check", ".")
    assert r.code == 0, r
    put("bad.md", "The pump can not start.\n")
    r = run("check", ".")
    assert r.code == 1 and r.out.count("ST101") == 1 and "bad.md" in r.out, r
