"""The batch driver in this process: reports, rows, the cache, failures, interruption, the pool."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from editor.batch import runner
from editor.batch.runner import (
    BatchError,
    finding_from_dict,
    fingerprint,
    engine_options,
    report_names,
    run_batch,
    title_of,
)
from tests.texts import BAD, GOOD, INFO



pytestmark = pytest.mark.usefixtures("starter_env")


def library(root: Path = Path("lib")) -> Path:
    (root / "sub").mkdir(parents=True, exist_ok=True)
    (root / "a.md").write_text("# Pumps\n\n" + BAD + "\n" + INFO, encoding="utf-8")
    (root / "b.txt").write_text(GOOD + INFO, encoding="utf-8")
    (root / "sub" / "c.md").write_text(BAD + BAD, encoding="utf-8")
    return root


def batch(*paths, out="out", **kw):
    kw.setdefault("jobs", 1)
    kw.setdefault("progress", "none")
    return run_batch([str(p) for p in paths], out, **kw)


def summary(out="out") -> dict:
    return json.loads((Path(out) / "summary.json").read_text("utf-8"))


def table(out="out") -> dict:
    return {r["path"]: r for r in summary(out)["rows"]}


def test_title_of():
    assert title_of("# Warm tips\n\nbody") == "Warm tips"
    assert title_of("---\ntitle: x\n---\n\n## Second\n") == "Second"
    assert title_of("\n\n  plain first line  \nmore") == "plain first line"
    assert title_of("") == ""
    assert title_of("x" * 300).endswith("…") and len(title_of("x" * 300)) == 120


def test_report_names_are_unique_below_the_common_folder():
    names = report_names(["lib/a.md", "lib/sub/a.md", "lib/b.txt"])
    assert names == {"lib/a.md": "reports/a.md.html", "lib/sub/a.md": "reports/sub/a.md.html",
                     "lib/b.txt": "reports/b.txt.html"}
    assert report_names(["only.md"]) == {"only.md": "reports/only.md.html"}


def test_finding_round_trip(nlp, rules_folder):
    from editor.document import SourceDocument
    from editor.engine import build_ruleset
    from editor.pipeline import Checker, FileReport
    from editor.render.model import finding_dict

    checker = Checker(nlp=nlp, ruleset=build_ruleset(nlp, folder=rules_folder))
    doc = SourceDocument.from_text(BAD + INFO, "x.txt")
    report = checker.check(doc)
    assert report.findings
    for f in report.findings:
        d = finding_dict(f, report)
        assert finding_from_dict(d) == f
        assert finding_dict(finding_from_dict(d), FileReport(doc=doc, findings=[])) == d


def test_fingerprint_changes_with_options_and_rules(rules_folder, tmp_path):
    import shutil

    base = engine_options(None, None, None)
    assert fingerprint(base)[0] == fingerprint(engine_options(None, None, None))[0]
    assert fingerprint(engine_options(["ST1"], None, None))[0] != fingerprint(base)[0]
    other = tmp_path / "rules2"
    shutil.copytree(rules_folder, other)
    changed = dict(base, rules_dir=str(other))
    assert fingerprint(changed)[0] == fingerprint(base)[0]  # same files, same fingerprint
    yaml = next(other.rglob("*.yaml"))
    yaml.write_text(yaml.read_text() + "\n# edited\n")
    runner._FINGERPRINTS.clear()
    assert fingerprint(changed)[0] != fingerprint(base)[0]
    details = fingerprint(base)[1]
    assert details["model"] and details["spacy"] and details["package"] and details["rules"] and details["code"]


def test_reports_index_and_rows():
    # (that the rows hold what ``cleanup check`` finds: tests/batch/test_cli_batch.py)
    lib = library()
    out = batch(lib)
    assert out.exit_code() == 0 and not out.interrupted
    rows = table()
    assert set(rows) == {"lib/a.md", "lib/b.txt", "lib/sub/c.md"}
    for path, row in rows.items():
        assert row["words"] == len(Path(path).read_text("utf-8").split())
        assert row["findings"] == sum(row["by_rule"].values()) == sum(row["by_severity"].values())
        html = (Path("out") / row["report"]).read_text("utf-8")
        assert "<html" in html and Path(path).name in html
    assert rows["lib/sub/c.md"]["by_rule"] == {"ST101": 2}
    assert rows["lib/a.md"]["title"] == "Pumps"
    assert [r["path"] for r in summary()["rows"]][0] == "lib/sub/c.md"  # most findings per 1,000 words
    assert Path("out/index.html").is_file() and Path("out/summary.csv").is_file()
    assert summary()["complete"] is True


def test_cached_rerun_checks_nothing_and_gives_the_same_table():
    lib = library()
    first = batch(lib)
    assert first.stats["checked"] == 3
    second = batch(lib)
    assert second.stats["checked"] == 0 and second.stats["from_cache"] == 3
    assert {r["path"]: r for r in first.rows} == {r["path"]: r for r in second.rows}


def test_a_changed_article_is_checked_again_and_only_it():
    lib = library()
    batch(lib)
    (lib / "b.txt").write_text(BAD, encoding="utf-8")
    out = batch(lib)
    assert out.stats["checked"] == 1 and out.stats["from_cache"] == 2
    assert table()["lib/b.txt"]["by_rule"] == {"ST101": 1}


def test_other_options_miss_the_cache_and_no_cache_forces():
    lib = library()
    batch(lib)
    out = batch(lib, ignore=["ST102"])
    assert out.stats["checked"] == 3
    assert "ST102" not in json.dumps(table())
    assert batch(lib, use_cache=False).stats["checked"] == 3


def test_a_deleted_report_is_rendered_again_from_the_cache():
    lib = library()
    batch(lib)
    report = Path("out/reports/sub/c.md.html")
    before = report.read_text("utf-8")
    report.unlink()
    out = batch(lib)
    assert out.stats["checked"] == 0 and out.stats["reports_rendered_from_cache"] == 1
    assert report.read_text("utf-8") == before


def test_unreadable_and_missing_articles_are_listed_and_exit_2():
    lib = library()
    (lib / "bad.txt").write_bytes(b"caf\xe9 au lait\n")
    out = batch(lib, "nowhere.md")
    assert out.exit_code() == 2
    rows = table()
    assert rows["lib/bad.txt"]["status"] == "error" and "not valid UTF-8" in rows["lib/bad.txt"]["error"]
    assert rows["nowhere.md"]["status"] == "error" and "no such file" in rows["nowhere.md"]["error"]
    assert rows["lib/a.md"]["status"] == "ok"
    assert "not valid UTF-8" in Path("out/index.html").read_text("utf-8")


def test_a_crashing_check_is_listed_does_not_stop_the_batch_and_is_retried_next_time(monkeypatch):
    from editor.pipeline import Checker

    real = Checker.check

    def check(self, doc, fix=None):
        if doc.path.endswith("b.txt"):
            raise RuntimeError("boom in a check")
        return real(self, doc, fix)

    monkeypatch.setattr(Checker, "check", check)
    lib = library()
    out = batch(lib)
    assert out.exit_code() == 2
    rows = table()
    assert rows["lib/b.txt"]["error"] == "check failed: RuntimeError: boom in a check"
    assert rows["lib/a.md"]["status"] == rows["lib/sub/c.md"]["status"] == "ok"
    monkeypatch.setattr(Checker, "check", real)
    again = batch(lib)
    assert again.exit_code() == 0 and again.stats["checked"] == 1  # the failure was not cached


def test_fail_on():
    lib = library()
    out = batch(lib)
    assert out.exit_code("never") == 0
    assert out.exit_code("warning") == 1  # ST101 is a warning
    assert out.exit_code("error") == 0
    (lib / "a.md").unlink()
    (lib / "sub" / "c.md").unlink()
    assert batch(lib).exit_code("warning") == 0  # only an info finding left
    assert batch(lib).exit_code("info") == 1


def test_interrupted_run_leaves_a_valid_index_and_resumes_from_the_cache(monkeypatch):
    lib = library()
    for i in range(3):
        (lib / f"more{i}.md").write_text(f"# More {i}\n\n" + BAD * (i + 1), encoding="utf-8")
    real = runner.process_item
    calls = {"n": 0}

    def flaky(item):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return real(item)

    monkeypatch.setattr(runner, "process_item", flaky)
    out = batch(lib)
    assert out.interrupted and out.exit_code() == 130
    s = summary()
    assert s["complete"] is False and s["finished"] == 3 and s["articles"] == 6
    assert 'id="interrupted"' in Path("out/index.html").read_text("utf-8")
    monkeypatch.setattr(runner, "process_item", real)
    again = batch(lib)
    assert again.stats["from_cache"] == 3 and again.stats["checked"] == 3 and again.exit_code() == 0
    assert summary()["complete"] is True


def test_output_folder_problems_are_batch_errors(tmp_path):
    Path("file").write_text("x")
    with pytest.raises(BatchError, match="cannot create the output folder"):
        batch(library(), out="file/out")


def test_unknown_model_fails_early():
    with pytest.raises(BatchError, match="no_such_model"):
        batch(library(), model="no_such_model")


def test_two_worker_processes_load_the_model_once_each_and_agree_with_one_job():
    lib = library()
    for i in range(5):
        (lib / f"more{i}.md").write_text(GOOD + BAD * (i + 1), encoding="utf-8")
    batch(lib, out="one")
    two = batch(lib, out="two", jobs=2)
    assert two.stats["jobs"] == 2 and two.stats["checked"] == 8
    workers = two.stats["workers"]
    assert len(workers) == 2
    assert all(w["model_loads"] == 1 for w in workers.values())
    assert sum(w["articles"] for w in workers.values()) == 8
    assert table("one") == table("two")
    assert summary("one")["totals"] == summary("two")["totals"]


def test_configuration_files_apply_and_changing_one_misses_the_cache():
    lib = library()
    batch(lib)
    assert table()["lib/sub/c.md"]["by_severity"] == {"error": 0, "warning": 2, "info": 0}
    (lib / "sub" / "cleanup.toml").write_text('[severity]\nST101 = "info"\n', encoding="utf-8")
    out = batch(lib)
    assert out.stats["checked"] == 1 and out.stats["from_cache"] == 2  # only the article under it
    assert table()["lib/sub/c.md"]["by_severity"] == {"error": 0, "warning": 0, "info": 2}
    (lib / "cleanup.toml").write_text('ignore = ["ST102"]\n', encoding="utf-8")
    batch(lib)
    rules = table()["lib/a.md"]["by_rule"]
    assert "ST102" not in rules and rules["ST101"] == 1


def test_the_same_text_at_another_path_is_served_from_the_cache():
    lib = library()
    batch(lib)
    (lib / "copy.md").write_text((lib / "a.md").read_text(encoding="utf-8"), encoding="utf-8")
    out = batch(lib)
    assert out.stats["checked"] == 0 and out.stats["reports_rendered_from_cache"] == 1
    rows = table()
    assert {k: v for k, v in rows["lib/copy.md"].items() if k not in ("path", "report", "rank")} == \
        {k: v for k, v in rows["lib/a.md"].items() if k not in ("path", "report", "rank")}
    assert "copy.md" in Path("out/reports/copy.md.html").read_text("utf-8")


def test_a_damaged_cache_file_is_moved_aside_with_a_warning():
    lib = library()
    Path("out").mkdir()
    Path("out/.cleanup-cache.sqlite3").write_bytes(b"garbage" * 200)
    warnings = []
    out = batch(lib, warn=warnings.append)
    assert out.exit_code() == 0 and out.stats["checked"] == 3
    assert warnings == ["out/.cleanup-cache.sqlite3: not a usable cache (file is not a database); "
                        "moved it to .cleanup-cache.sqlite3.broken and started a new one"]
    assert Path("out/.cleanup-cache.sqlite3.broken").read_bytes().startswith(b"garbage")
    assert batch(lib).stats["from_cache"] == 3


def test_byte_order_mark_reaches_the_report(nlp):
    lib = library()
    (lib / "bom.md").write_bytes(b"\xef\xbb\xbf" + BAD.encode())
    batch(lib)
    row = table()["lib/bom.md"]
    assert row["by_rule"]["ST101"] == 1 and row["status"] == "ok"
    from editor.document import read_document

    # the report is told about the BOM, so the article it downloads keeps it
    assert read_document("lib/bom.md").bom
    assert '"bom":true' in Path("out/reports/bom.md.html").read_text("utf-8")
    assert '"bom":false' in Path("out/reports/a.md.html").read_text("utf-8")


def _dies_on_b(item):
    """A worker task that kills its process on one article (as a crash in native code would)."""
    import os

    if item["path"].endswith("b.txt"):
        os._exit(3)
    return runner.process_item(item)


class _DyingPool(runner.PoolExecutor):
    task = staticmethod(_dies_on_b)


def test_an_article_that_kills_its_worker_is_listed_and_the_others_are_checked(monkeypatch):
    lib = library()
    for i in range(3):
        (lib / f"more{i}.md").write_text(f"# More {i}\n\n" + BAD, encoding="utf-8")
    monkeypatch.setattr(runner, "make_executor", lambda *a, **k: _DyingPool(2, runner.os.environ.get("CLEANUP_RULES")))
    out = batch(lib, jobs=2)
    assert out.exit_code() == 2
    rows = table()
    assert rows["lib/b.txt"]["status"] == "error"
    assert rows["lib/b.txt"]["error"] == "a worker process died while checking this article"
    assert [p for p, r in rows.items() if r["status"] == "error"] == ["lib/b.txt"]
    assert out.stats["checked"] == 5


def test_interrupted_while_searching_folders_still_writes_an_index(monkeypatch):
    import editor.discover

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(editor.discover, "collect", interrupted)
    out = batch(library())
    assert out.interrupted and out.exit_code() == 130
    s = summary()
    assert s["complete"] is False and s["finished"] == 0 and s["rows"] == []
    assert 'id="interrupted"' in Path("out/index.html").read_text("utf-8")
