"""The SQLite result cache: keys, round trips, persistence, damaged files."""

from __future__ import annotations

import sqlite3

import pytest

from editor.batch.cache import CacheError, ResultCache, item_key

RESULT = {"words": 12, "title": "T", "findings": [{"rule": "ST101", "start": 4, "end": 11}], "elapsed": 0.1}


def test_key_depends_on_fingerprint_format_and_content():
    k = item_key("fp", "md", "d1")
    assert k == item_key("fp", "md", "d1")
    assert len({k, item_key("fp2", "md", "d1"), item_key("fp", "txt", "d1"), item_key("fp", "md", "d2")}) == 4


def test_round_trip_and_miss(tmp_path):
    with ResultCache(tmp_path / "c.sqlite3") as c:
        assert c.get("nope") is None
        c.put("k1", "a.md", RESULT, "reports/a.md.html", 100, 123)
        result, stat = c.get("k1")
        assert result == RESULT
        assert stat == {"report": "reports/a.md.html", "size": 100, "mtime_ns": 123}
        c.put("k2", "b.md", RESULT)
        assert c.get("k2")[1] is None
        c.set_report("k2", "reports/b.md.html", 5, 6)
        assert c.get("k2")[1] == {"report": "reports/b.md.html", "size": 5, "mtime_ns": 6}


def test_persists_across_runs(tmp_path):
    path = tmp_path / "c.sqlite3"
    with ResultCache(path) as c:
        c.put("k1", "a.md", RESULT)
    with ResultCache(path) as c:
        assert c.get("k1")[0] == RESULT
        assert len(c) == 1


def test_commits_every_n_puts_so_an_interrupted_run_keeps_them(tmp_path):
    path = tmp_path / "c.sqlite3"
    c = ResultCache(path, commit_every=2)
    c.put("k1", "a.md", RESULT)
    other = sqlite3.connect(str(path))
    assert other.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 0
    c.put("k2", "b.md", RESULT)
    assert other.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 2
    other.close()
    c.close()


@pytest.mark.parametrize("damage, args", [
    ("UPDATE results SET result=? WHERE key='k1'", (b"not zlib",)),  # a damaged row is a miss
    ("UPDATE meta SET value='0' WHERE name='schema'", ()),  # a cache of another schema is dropped
], ids=["damaged-row", "other-schema"])
def test_damaged_or_foreign_entries_are_misses(tmp_path, damage, args):
    path = tmp_path / "c.sqlite3"
    with ResultCache(path) as c:
        c.put("k1", "a.md", RESULT)
    db = sqlite3.connect(str(path))
    db.execute(damage, args)
    db.commit()
    db.close()
    with ResultCache(path) as c:
        assert c.get("k1") is None


def test_not_a_database_is_a_one_line_error(tmp_path):
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CacheError) as e:
        ResultCache(path)
    assert str(path) in str(e.value) and "\n" not in str(e.value)
