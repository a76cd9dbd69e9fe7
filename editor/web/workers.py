"""Worker processes for ``cleanup serve``: every check runs in one, so nothing a check does can kill the server.

A :class:`WorkerPool` keeps ``size`` worker processes (``multiprocessing``, spawn: a fresh
interpreter, safe beside the server's threads), each with its own :class:`editor.session.Session`
loaded once (model, rules, Harper), and a :class:`multiprocessing.connection.Connection` to it.
A request takes an idle worker, sends it a job (a dict: route, text, format, path, fix) and waits
for the reply, the worker's death, its client's going away or its time limit, whichever comes
first:

- a reply: the worker goes back to the idle ones;
- death (a native crash: SIGABRT when Harper cannot allocate, SIGSEGV): 500 "the check crashed
  (worker killed by signal 6, SIGABRT)", and a new worker is started in the background;
- the time limit: the worker is killed (a check cannot be interrupted any other way) and
  replaced; 503;
- the client gone: the worker is killed and replaced, nothing is answered.

A worker that died while idle is replaced when it is next taken. The pool never shrinks for
good: a replacement that fails to start is tried again (every 5 s, one log line each time).
``ProcessPoolExecutor`` is not used because one dead worker breaks the whole executor.

``cleanup server`` (the language server, editor/lsp/checks.py) uses a pool of one worker too: its
jobs have route ``lsp-findings`` and carry the server session's root, select and ignore; the reply's
body is ``(findings, problems)``, the :class:`Finding` objects themselves (pickled by the pipe).

Test hooks, read only inside workers and only from the environment of ``cleanup serve``
(tests/robustness/test_serve_hostile.py): ``CLEANUP_TEST_CRASH_ON=MARKER`` makes a worker call
``os.abort()`` when an article contains MARKER; ``CLEANUP_TEST_STALL_ON=MARKER`` makes it sleep
for an hour instead of checking such an article. Neither is set in normal use.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from multiprocessing.connection import wait

from editor.web.errors import ClientGone, HTTPError

CRASH_ENV = "CLEANUP_TEST_CRASH_ON"
STALL_ENV = "CLEANUP_TEST_STALL_ON"
LSP_ROUTE = "lsp-findings"  # editor/lsp/checks.py: Finding objects instead of the JSON contract
TICK = 0.1  # seconds between looks at the client's connection and the clock while a check runs
START_TIMEOUT = 300.0  # a worker loads the model in this time or is given up
RETRY_S = 5.0


class WorkerStartError(Exception):
    """A worker could not load what checks need (the model, the configuration): one line."""


# ------------------------------------------------------------------------------------ the worker side


def worker_main(conn, options: dict) -> None:
    """A worker process: load a Session once, then answer jobs from ``conn`` until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole process group: the server stops us
    try:
        jobs = _Jobs(options)
    except Exception as e:  # a missing model, a configuration made invalid since the server checked it
        from editor.config import ConfigError
        from editor.nlp import ModelError

        _send(conn, ("failed", str(e) if isinstance(e, (ConfigError, ModelError)) else f"{type(e).__name__}: {e}"))
        return
    if not _send(conn, ("ready", os.getpid())):
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the server is gone
            return
        if job is None or not _send(conn, jobs.answer(job)):
            return


def _send(conn, message) -> bool:
    try:
        conn.send(message)
        return True
    except (OSError, ValueError):
        return False


class _Jobs:
    """What a worker holds: the session, the rules (for the HTML report) and the test hooks."""

    def __init__(self, options: dict):
        from editor.session import Session

        self.session = Session(**options)
        self.session.warm_up()
        self._rules = None
        self.crash_on = os.environ.get(CRASH_ENV) or None
        self.stall_on = os.environ.get(STALL_ENV) or None

    @property
    def rules(self) -> dict:
        if self._rules is None:
            from editor.engine import load_rules

            self._rules = {r.code: r for r in load_rules()}
        return self._rules

    def answer(self, job: dict) -> tuple:
        """``("ok", content type, body)`` or ``("error", status, message, log line or None)``."""
        try:
            return ("ok", *self._run(job))
        except HTTPError as e:
            return ("error", e.status, e.message, e.event)
        except Exception as e:  # a bug or a failed engine: the client and the log get one line
            message = f"internal error: {type(e).__name__}: {e}"
            return ("error", 500, message, f"{message} (a bug in cleanup)")

    def _run(self, job: dict) -> tuple[str, str]:
        from editor.config import ConfigError
        from editor.document import SourceDocument
        from editor.findings import Applicability

        text, path, fmt = job["text"], job.get("path"), job.get("format")
        self._test_hooks(text)
        if job["route"] == LSP_ROUTE:  # the language server's: (findings, problems), pickled by the pipe
            from editor.lsp.checks import apply_state, check_for_editor

            apply_state(self.session, job["session"])
            return "application/x-python-pickle", check_for_editor(self.session, text, fmt, path)
        fmt = fmt or ("md" if path and path.lower().endswith((".md", ".markdown")) else "txt" if path else "md")
        doc = SourceDocument.from_text(text, path=path or f"article.{fmt}", fmt=fmt)
        try:
            cfg = self.session.config_for(None)
        except ConfigError as e:
            raise HTTPError(500, f"the server's configuration is invalid: {e}") from None
        fix = {"safe": Applicability.SAFE, "unsafe": Applicability.UNSAFE}.get(job.get("fix") or "")
        report, _ = self.session.check_document(doc, cfg, fix=fix)
        if job["route"] == "review":
            from editor.render.html import render_html

            return "text/html; charset=utf-8", render_html(report, self.rules)
        return "application/json; charset=utf-8", _contract(report)

    def _test_hooks(self, text: str) -> None:
        if self.crash_on and self.crash_on in text:
            import resource

            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file for a crash on purpose
            os.abort()
        if self.stall_on and self.stall_on in text:
            time.sleep(3600)


def _contract(report) -> str:
    import json

    from editor.render.json import render_json

    data = json.loads(render_json([(report.doc.path, report, None)]))
    if report.fixed_text is not None:
        data["files"][0]["fixed_text"] = report.fixed_text
    return json.dumps(data, ensure_ascii=False)


# ------------------------------------------------------------------------------------ the server side


class Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, ctx, options: dict, number: int):
        self.number = number
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=worker_main, args=(child, options), name=f"cleanup-worker-{number}",
                                daemon=True)
        self.proc.start()
        child.close()

    def wait_ready(self, timeout: float, closing=lambda: False) -> str | None:
        """None once the worker has loaded everything; else why it could not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not closing():
            ready = wait([self.conn, self.proc.sentinel], timeout=0.5)
            if self.conn in ready:
                try:
                    message = self.conn.recv()
                except (EOFError, OSError):
                    continue  # it died: its sentinel says how
                return None if message[0] == "ready" else message[1]
            if ready:
                self.proc.join(1)
                return f"a worker could not start ({self.death()})"
        return "the server is stopping" if closing() else f"a worker did not load the model in {timeout:g} s"

    def death(self) -> str:
        code = self.proc.exitcode
        if code is None:
            return "worker still running"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = "unknown signal"
            return f"worker killed by signal {-code}, {name}"
        return f"worker exited with status {code}"

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()  # SIGKILL: a check in native code cannot be asked to stop
        self.proc.join(5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes, each with a Session built from ``options`` (Session's keywords)."""

    def __init__(self, options: dict, size: int, start_timeout: float = START_TIMEOUT, context: str = "spawn"):
        self.options = options
        self.size = size
        self.start_timeout = start_timeout
        self.closing = False
        self._ctx = multiprocessing.get_context(context)
        self._idle: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        self._live: set[Worker] = set()
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)

    @property
    def running(self) -> int:
        """Workers ready or busy (not those being replaced)."""
        with self._lock:
            return len(self._live)

    def start(self) -> None:
        """Start every worker and wait until each has loaded the model; WorkerStartError if one cannot."""
        workers = [Worker(self._ctx, self.options, next(self._numbers)) for _ in range(self.size)]
        try:
            for w in workers:
                problem = w.wait_ready(self.start_timeout, closing=lambda: self.closing)
                if problem is not None:
                    raise WorkerStartError(problem)
        except BaseException:
            for w in workers:
                w.stop()
            raise
        for w in workers:
            self._live.add(w)
            self._idle.put(w)

    def run(self, job: dict, timeout: float, gone) -> tuple:
        """The worker's reply to ``job`` (see ``_Jobs.answer``). Waits at most ``timeout`` s for a free
        worker (503) and lets the check run at most ``timeout`` s (503, the worker is replaced). Raises
        HTTPError (500 when the worker died) or ClientGone when ``gone()`` turns true meanwhile."""
        worker = self._acquire(time.monotonic() + timeout, timeout, gone)
        try:
            worker.conn.send(job)
        except (OSError, ValueError):
            self._lost(worker)
            raise self._died(worker) from None
        deadline = time.monotonic() + timeout
        while True:
            ready = wait([worker.conn, worker.proc.sentinel], timeout=TICK)
            if worker.conn in ready:
                try:
                    reply = worker.conn.recv()
                except (EOFError, OSError):
                    reply = None
                if reply is not None:
                    self._idle.put(worker)
                    return reply
            if ready:
                worker.proc.join(1)
                self._lost(worker)
                raise self._died(worker)
            if gone():
                self._lost(worker)
                raise ClientGone(f"worker {worker.number} stopped and replaced")
            if time.monotonic() >= deadline:
                self._lost(worker)
                raise HTTPError(503, f"the check took longer than {timeout:g} s and was stopped",
                                {"Retry-After": "1"}, event=f"a check took longer than {timeout:g} s: worker "
                                                            f"{worker.number} stopped and replaced")

    def _acquire(self, deadline: float, timeout: float, gone) -> Worker:
        while True:
            if self.closing:
                raise HTTPError(503, "the server is shutting down")
            try:
                worker = self._idle.get(timeout=TICK)
            except queue.Empty:
                if gone():
                    raise ClientGone("it had not started") from None
                if time.monotonic() >= deadline:
                    raise HTTPError(503, f"busy: no worker was free for {timeout:g} s; try again",
                                    {"Retry-After": "1"}) from None
                continue
            if worker.proc.is_alive():
                return worker
            self._lost(worker)  # died while idle (killed from outside)
            sys.stderr.write(f"cleanup serve: worker {worker.number} had died ({worker.death()}); replaced\n")

    def _died(self, worker: Worker) -> HTTPError:
        if self.closing:
            return HTTPError(503, "the server is shutting down; the check was stopped")
        death = worker.death()
        error = HTTPError(500, f"the check crashed ({death}); the worker was replaced, other checks go on",
                          event=f"a check crashed ({death}): worker {worker.number} replaced")
        error.death = death  # for callers that word it themselves (the language server)
        return error

    def _lost(self, worker: Worker) -> None:
        """Forget ``worker`` (killing it if it still runs) and start a replacement in the background."""
        with self._lock:
            self._live.discard(worker)
        worker.stop()
        if not self.closing:
            threading.Thread(target=self._replace, name="cleanup-worker-start", daemon=True).start()

    def _replace(self) -> None:
        while not self.closing:
            worker = Worker(self._ctx, self.options, next(self._numbers))
            problem = worker.wait_ready(self.start_timeout, closing=lambda: self.closing)
            with self._lock:
                if problem is None and not self.closing:
                    self._live.add(worker)
                    self._idle.put(worker)
                    return
            worker.stop()
            if self.closing:
                return
            sys.stderr.write(f"cleanup serve: a replacement worker could not start: {problem}; "
                             f"trying again in {RETRY_S:g} s\n")
            time.sleep(RETRY_S)

    def close(self) -> None:
        """Stop every worker (a check still running is killed: its request gets 503)."""
        self.closing = True
        with self._lock:
            workers = list(self._live)
            self._live.clear()
        for w in workers:
            w.stop()
