"""The batch result cache: one SQLite file in the output folder.

A row is keyed by ``item_key(fingerprint, fmt, content digest)``: the article's content hash plus
the engine fingerprint (effective options, rule files, check code, package, spaCy and model
versions, harper-py). Any change to one of them gives a new key, so a stale result is never
served; old rows are simply not looked up again. The stored result is the plain dict a worker
returns (findings as JSON-contract dicts, words, title, timings), zlib-compressed, without the
rendered report; the row also remembers the report file it was written to (size, mtime) so an
unchanged report is not rendered again.

Every result is committed as soon as it is stored (WAL, so a commit is cheap): a write lock is
held for milliseconds, a run killed at any moment keeps everything it finished, and another
process reading the file meanwhile (or writing it: a busy timeout of 30 s) is never in the way.
A cache file that another process keeps locked is *busy*, not broken: :class:`CacheBusy`, and it
is never moved aside.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import zlib
from pathlib import Path

CACHE_NAME = ".cleanup-cache.sqlite3"
SCHEMA = 1


class CacheError(Exception):
    """The cache file exists but cannot be used (one line, names the file)."""


class CacheBusy(CacheError):
    """Another process holds the cache file locked for longer than the busy timeout."""


BUSY_TIMEOUT = 30.0  # seconds to wait for another process's write to finish


def _is_busy(e: sqlite3.Error) -> bool:
    text = str(e).lower()
    return isinstance(e, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _error(path: Path, doing: str, e: sqlite3.Error, hint: str) -> CacheError:
    if _is_busy(e):
        return CacheBusy(f"{path}: the cache is in use by another process ({e})")
    return CacheError(f"{path}: {doing} ({e}); {hint}")


def item_key(fingerprint: str, fmt: str, digest: str) -> str:
    return hashlib.sha256(f"{SCHEMA}\0{fingerprint}\0{fmt}\0{digest}".encode()).hexdigest()


class ResultCache:
    """Get and put batch results. Commits every ``commit_every`` puts (default: each one; and on
    ``commit``/``close``), so an interrupted or killed run keeps what it finished."""

    def __init__(self, path: str | Path, commit_every: int = 1):
        self.path = Path(path)
        self.commit_every = commit_every
        self._pending = 0
        try:
            self._db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            row = self._db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
            if row is not None and row[0] != str(SCHEMA):
                self._db.execute("DROP TABLE IF EXISTS results")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS results ("
                " key TEXT PRIMARY KEY, path TEXT NOT NULL, result BLOB NOT NULL,"
                " report TEXT, report_size INTEGER, report_mtime_ns INTEGER, created REAL NOT NULL)"
            )
            self._db.commit()
        except sqlite3.Error as e:
            raise _error(self.path, "cannot use the cache", e, "delete it or run with --no-cache") from None

    # ----------------------------------------------------------------------------------------

    def get(self, key: str) -> tuple[dict, dict | None] | None:
        """(result, report stat {"report", "size", "mtime_ns"} or None), or None on a miss."""
        try:
            row = self._db.execute(
                "SELECT result, report, report_size, report_mtime_ns FROM results WHERE key=?", (key,)
            ).fetchone()
        except sqlite3.Error as e:
            raise _error(self.path, "cannot read the cache", e, "delete it or run with --no-cache") from None
        if row is None:
            return None
        try:
            result = json.loads(zlib.decompress(row[0]).decode("utf-8"))
        except (zlib.error, UnicodeDecodeError, ValueError):
            return None  # a damaged row is a miss; it is overwritten by the fresh result
        stat = {"report": row[1], "size": row[2], "mtime_ns": row[3]} if row[1] else None
        return result, stat

    def put(self, key: str, path: str, result: dict, report: str | None = None,
            size: int | None = None, mtime_ns: int | None = None) -> None:
        blob = zlib.compress(json.dumps(result, ensure_ascii=False, sort_keys=True).encode("utf-8"), 6)
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key, path, blob, report, size, mtime_ns, time.time()),
            )
        except sqlite3.Error as e:
            raise _error(self.path, "cannot write the cache", e, "run with --no-cache") from None
        self._pending += 1
        if self._pending >= self.commit_every:
            self.commit()

    def set_report(self, key: str, report: str, size: int, mtime_ns: int) -> None:
        try:
            self._db.execute("UPDATE results SET report=?, report_size=?, report_mtime_ns=? WHERE key=?",
                             (report, size, mtime_ns, key))
        except sqlite3.Error as e:
            raise _error(self.path, "cannot write the cache", e, "run with --no-cache") from None
        self._pending += 1
        if self._pending >= self.commit_every:
            self.commit()

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM results").fetchone()[0]

    def commit(self) -> None:
        try:
            self._db.commit()
        except sqlite3.Error as e:
            raise _error(self.path, "cannot write the cache", e, "run with --no-cache") from None
        self._pending = 0

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self._db.close()

    def __enter__(self) -> "ResultCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
