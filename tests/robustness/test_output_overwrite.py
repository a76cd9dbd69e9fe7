"""Never overwrite what is not ours (issue 26, point 6): ``cleanup C1.md --report C2.md`` replaced
C2.md (an article) with the report. A report, baseline or batch output path that is an existing
file cleanup did not write is refused (one line naming it, exit 2, the file untouched byte for
byte) unless ``--force``; an earlier cleanup output there is written over, as every re-run does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from editor.outputs import refuse_foreign
from tests.robustness.support import one_error, run
from tests.texts import BAD

pytestmark = pytest.mark.usefixtures("starter_env")

FOREIGN = b"# Another article\r\n\r\nIts own text, \xe2\x80\x9cquoted\xe2\x80\x9d, kept to the byte.\r\n"


def files(**content: bytes) -> None:
    for name, data in content.items():
        Path(name.replace("__", "/")).parent.mkdir(parents=True, exist_ok=True)
        Path(name.replace("__", "/")).write_bytes(data)


def is_report(path: str) -> bool:
    return b'<meta name="generator" content="cleanup' in Path(path).read_bytes()[:8192]


@pytest.mark.parametrize("how", ["--report FILE", "beside the article", "--report DIR"])
def test_a_foreign_file_at_the_report_path_is_refused_and_untouched(how):
    files(**{"C1.md": BAD.encode(), "sub__B.md": BAD.encode()})
    if how == "--report FILE":
        target, args = "C2.md", ["C1.md", "--report", "C2.md"]
    elif how == "beside the article":
        target, args = "C1.md.cleanup.html", ["C1.md"]
    else:
        target, args = "out/C1.md.cleanup.html", ["C1.md", "sub/B.md", "--report", "out/"]
    files(**{target.replace("/", "__"): FOREIGN})
    r = run(*args, "--fail-on", "never")
    assert r.code == 2
    one_error(r, target, "exists and is not a cleanup report", "--force")
    assert Path(target).read_bytes() == FOREIGN
    assert r.out == ""  # refused before anything was checked or written
    assert not any(p.name.endswith(".cleanup.html") and str(p) != target for p in Path(".").rglob("*"))


def test_an_earlier_report_is_written_over_and_force_writes_over_a_foreign_file():
    files(**{"C1.md": BAD.encode(), "C2.md": FOREIGN, "empty.html": b""})
    assert run("C1.md", "--report", "R.html", "--fail-on", "never").code == 0 and is_report("R.html")
    Path("R.html").write_bytes(Path("R.html").read_bytes().replace(b"</body>", b"<!-- old --></body>"))
    assert run("C1.md", "--report", "R.html", "--fail-on", "never").code == 0  # the normal re-run
    assert is_report("R.html") and b"<!-- old -->" not in Path("R.html").read_bytes()
    assert run("C1.md", "--report", "empty.html", "--fail-on", "never").code == 0  # nothing to lose
    assert is_report("empty.html")
    r = run("C1.md", "--report", "C2.md", "--force", "--fail-on", "never")
    assert r.code == 0 and r.errors() == [] and is_report("C2.md")


def test_output_still_writes_the_fixed_article_over_an_existing_file():
    """--output names where the fixed article goes: there is no way to tell an earlier fixed copy
    from any other text, so it is written over as before (only an article of the run is refused)."""
    files(**{"C1.md": BAD.encode(), "clean.md": FOREIGN})
    assert run("C1.md", "--output", "clean.md", "--no-report", "--fail-on", "never").code == 0
    assert Path("clean.md").read_text(encoding="utf-8") == "The pump cannot start.\n"


def test_write_baseline_refuses_a_foreign_file_and_rewrites_its_own():
    files(**{"A.md": BAD.encode(), "notes.json": b'{"todo": ["keep me"]}\n'})
    r = run("check", "A.md", "--write-baseline", "notes.json")
    assert r.code == 2
    one_error(r, "notes.json", "exists and is not a cleanup baseline", "--force")
    assert Path("notes.json").read_bytes() == b'{"todo": ["keep me"]}\n'
    assert run("check", "A.md", "--write-baseline", "base.json").code == 0
    first = Path("base.json").read_text(encoding="utf-8")
    files(**{"A.md": (BAD + BAD).encode()})
    assert run("check", "A.md", "--write-baseline", "base.json").code == 0  # its own: rewritten
    assert Path("base.json").read_text(encoding="utf-8") != first
    assert run("check", "A.md", "--write-baseline", "notes.json", "--force").code == 0
    assert '"tool": "cleanup"' in Path("notes.json").read_text(encoding="utf-8")


def test_batch_refuses_a_foreign_index_and_force_writes_over_it():
    files(**{"lib__a.md": BAD.encode(), "site__index.html": b"<!doctype html><title>My site</title>\n",
             "site__summary.csv": b"name,price\r\ntea,3\r\n"})
    r = run("batch", "lib", "--out", "site", "--jobs", "1", "--progress", "none")
    assert r.code == 2
    one_error(r, os.path.join("site", "index.html"), "exists and is not a cleanup batch index", "--force")
    assert Path("site/index.html").read_bytes() == b"<!doctype html><title>My site</title>\n"
    assert Path("site/summary.csv").read_bytes() == b"name,price\r\ntea,3\r\n"
    assert not Path("site/summary.json").exists() and not Path("site/reports").exists()
    r = run("batch", "lib", "--out", "site", "--jobs", "1", "--progress", "none", "--force")
    assert r.code == 0, r
    # what the run wrote is recognised as its own: the next run writes over it without --force
    for name, kind in (("index.html", "batch index"), ("summary.json", "batch summary"), ("summary.csv", "batch table")):
        refuse_foreign(Path("site") / name, kind)
    for report in Path("site/reports").rglob("*.cleanup.html"):
        refuse_foreign(report, "report")
