"""Where the language server's checks run: in a worker process (the default) or in the server itself.

A native crash in an engine (SIGABRT when Harper cannot allocate, SIGSEGV in spaCy) ends the
process it happens in. So ``cleanup server`` checks in one worker process (editor/web/workers.py's
:class:`WorkerPool`, size 1), started in the background when the server starts; the findings come
back as :class:`Finding` objects (pickled over a pipe), so code actions, hovers and fix-all work on
them as before. A worker that dies during a check, or a check over its time limit, raises
:class:`CheckStopped`: the server tells the user once and a new worker is started. ``--in-process``
keeps the checks in the server (for debugging).

This module imports neither pygls nor the model: the worker runs :func:`check_for_editor` itself.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from editor.config import DEFAULT, ConfigError
from editor.document import SourceDocument
from editor.web.workers import LSP_ROUTE as ROUTE  # the worker's job route


class CheckFailed(Exception):
    """A check could not run or raised in the worker: the message is the whole line."""


class CheckStopped(Exception):
    """The worker died during a check, or the check ran over its time limit; the worker was replaced.

    ``what`` completes "the check of FILE …": "crashed (signal 6, SIGABRT)", "took longer than 120 s"."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


def check_for_editor(session, text: str, fmt: str, path: str | None) -> tuple[list, list[str]]:
    """(findings, problems to show the user) for a document's text, with the configuration of ``path``."""
    problems = []
    try:
        cfg = session.config_for(path)
        if path is not None and session.excluded(path):
            return [], problems
    except ConfigError as e:
        problems.append(f"{e} (using the default configuration)")
        cfg = DEFAULT.with_overrides(select=session.select, ignore=session.ignore).folded()
    doc = SourceDocument.from_text(text, path=path or "<untitled>", fmt=fmt)
    report, _ = session.check_document(doc, cfg)
    return report.findings, problems


def session_state(session) -> dict:
    """What the server's session knows that a worker's must too (the root arrives with ``initialize``)."""
    return {"root": str(session.root) if session.root is not None else None,
            "select": session.select, "ignore": session.ignore}


def apply_state(session, state: dict) -> None:
    """Set a worker's session to the server's ``session_state``."""
    if session.explicit is None:
        session.root = Path(state["root"]) if state.get("root") else None
    session.select = state.get("select")
    session.ignore = state.get("ignore")


class IsolatedChecks:
    """One worker process that checks; started by :meth:`start` in a thread of its own."""

    def __init__(self, options: dict, timeout: float):
        from editor.web.workers import WorkerPool

        self.pool = WorkerPool(options, size=1)
        self.timeout = timeout
        self.started = threading.Event()
        self.start_error: str | None = None

    def start(self) -> None:
        threading.Thread(target=self._start, name="cleanup-worker-start", daemon=True).start()

    def _start(self) -> None:
        from editor.web.workers import WorkerStartError

        try:
            self.pool.start()
        except WorkerStartError as e:
            self.start_error = str(e)
        except Exception as e:  # cannot start a process at all: said at every check
            self.start_error = f"{type(e).__name__}: {e}"
        finally:
            self.started.set()

    def check(self, session, text: str, fmt: str, path: str | None) -> tuple[list, list[str]]:
        """As :func:`check_for_editor`, in the worker. Raises CheckStopped (crash, time limit) or
        CheckFailed (the worker could not start or raised, the server is stopping)."""
        from editor.web.errors import HTTPError

        self.started.wait()
        if self.start_error is not None:
            raise CheckFailed(self.start_error)
        self._wait_for_worker()
        job = {"route": ROUTE, "text": text, "format": fmt, "path": path, "session": session_state(session)}
        try:
            reply = self.pool.run(job, self.timeout, gone=lambda: False)
        except HTTPError as e:
            if getattr(e, "death", None) is not None:
                death = e.death.removeprefix("worker killed by ").removeprefix("worker ")
                raise CheckStopped(f"crashed ({death})") from None
            if "took longer" in e.message:
                raise CheckStopped(f"took longer than {self.timeout:g} s and was stopped") from None
            raise CheckFailed(e.message) from None
        if reply[0] != "ok":  # ("error", status, message, log line): an exception in the worker
            raise CheckFailed(reply[2].removeprefix("internal error: "))
        return reply[2]

    def _wait_for_worker(self) -> None:
        """A worker replaced after a crash loads the model again: that wait is not the check's time."""
        from editor.web.workers import START_TIMEOUT

        deadline = time.monotonic() + START_TIMEOUT
        while self.pool.running == 0 and not self.pool.closing and time.monotonic() < deadline:
            time.sleep(0.05)

    def close(self) -> None:
        """Stop the worker; one still starting is killed before the server exits (left to itself, it
        would fail to read its start-up data from the gone server, a traceback in the editor's log)."""
        self.pool.close()
        self.started.wait(10)
