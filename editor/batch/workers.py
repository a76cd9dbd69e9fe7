"""Worker processes for ``cleanup batch --jobs N``: one article at a time each, a time limit per
article, and no orphans.

Each worker is a spawned process with its own pipe. The parent sends it one item, the worker
says when it starts on it (after loading the model and the rules, which the time limit does not
count) and sends back the result. Because every worker holds exactly one article, the parent
knows which article a dead worker was checking, and can stop exactly the worker whose article
runs past ``--timeout`` and start a fresh one in its place.

A worker never outlives the run: it asks the kernel to kill it when its parent dies
(``PR_SET_PDEATHSIG``, Linux), watches its parent's pid as well, and leaves when its pipe
closes. The parent ignores nothing: Ctrl-C and SIGTERM are the parent's to handle (workers
ignore SIGINT, so that a terminal's Ctrl-C reaches only the parent, which stops them).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable

# the first article a worker gets also pays for loading the model and the rules: that part has
# its own, fixed allowance, so that a short --timeout does not fail a worker that is still loading
LOAD_ALLOWANCE = 600.0
PARENT_POLL = 0.2  # seconds between a worker's checks that its parent is alive

DIED = "a worker process died while checking this article"


def timed_out_message(timeout: float) -> str:
    return (f"took longer than the time limit ({timeout:g} s, --timeout); the check was stopped "
            f"and its worker replaced")


# --------------------------------------------------------------------------------------------
# the worker side


def _die_with_parent(parent_pid: int) -> None:
    """Exit as soon as the parent is gone (SIGKILL, SIGTERM, a crash), whatever we are doing."""
    try:  # Linux: the kernel sends SIGKILL when the parent (the thread that spawned us) dies
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except Exception:  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent_pid:  # it died before we could ask
        os._exit(1)

    def watch() -> None:  # elsewhere (and as a second line): poll; reparenting changes our ppid
        while True:
            time.sleep(PARENT_POLL)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="cleanup-parent-watch", daemon=True).start()


def worker_main(conn, task: Callable[[dict], dict], prepare: Callable[[dict], None] | None,
                init: Callable[..., None] | None, init_args: tuple, parent_pid: int) -> None:
    """The loop of one worker process: receive an item, say "started", send the result."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent_pid)
    if init is not None:
        init(*init_args)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):  # the parent closed our pipe (or died)
            return
        if item is None:
            return
        if prepare is not None:
            try:
                prepare(item)
            except Exception:  # the task reports the failure with the article
                pass
        try:
            conn.send(("started", os.getpid()))
            result = task(item)
        except (EOFError, OSError, BrokenPipeError):
            return
        except Exception as e:  # the task should not raise; if it does, the article fails
            result = {"path": item.get("path"), "ok": False, "worker": None,
                      "error": f"worker failed: {type(e).__name__}: {' '.join(str(e).split())[:300]}"}
        try:
            conn.send(("result", result))
        except (EOFError, OSError, BrokenPipeError):
            return


# --------------------------------------------------------------------------------------------
# the parent side


@dataclass
class _Slot:
    process: object
    conn: object
    job: dict | None = None
    sent: float = 0.0
    started: float | None = None

    @property
    def busy(self) -> bool:
        return self.job is not None


class WorkerPool:
    """``workers`` processes; ``run(jobs, load, on_result)`` checks every job, each in one
    worker. ``timeout`` (seconds, None for no limit): an article whose check takes longer is
    reported with an error and its worker is killed and replaced. A worker that dies (killed,
    out of memory, a crash in native code) has its article run once more in a fresh worker; if
    that one dies too, the article is reported with :data:`DIED`."""

    name = "local"
    task: Callable[[dict], dict]  # set by subclasses (a module-level function: it is pickled)
    prepare: Callable[[dict], None] | None = None
    init: Callable[..., None] | None = None

    def __init__(self, workers: int, init_args: tuple = (), timeout: float | None = None):
        self.workers = workers
        self.init_args = init_args
        self.timeout = timeout
        self._slots: list[_Slot] = []
        self.replaced = 0  # workers started in place of one that died or timed out

    # -- processes -------------------------------------------------------------------------

    def _spawn(self) -> _Slot:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        task = type(self).task
        prepare = type(self).prepare
        init = type(self).init
        process = ctx.Process(target=worker_main, name="cleanup-batch-worker", daemon=True,
                              args=(child_conn, task, prepare, init, self.init_args, os.getpid()))
        process.start()
        child_conn.close()  # only the worker holds its end: it sees EOF when we are gone
        return _Slot(process, parent_conn)

    def _stop(self, slot: _Slot, kill: bool = False) -> None:
        try:
            if kill:
                slot.process.kill()
            else:
                try:
                    slot.conn.send(None)
                except (OSError, ValueError):
                    pass
            slot.process.join(2 if not kill else 5)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join(5)
        finally:
            try:
                slot.conn.close()
            except OSError:
                pass

    # -- the run ---------------------------------------------------------------------------

    def run(self, jobs: list[dict], load: Callable[[dict], "dict | None"],
            on_result: Callable[[dict, dict], None]) -> None:
        self._pending: deque = deque(jobs)
        self._load, self._on_result = load, on_result
        while True:
            self._fill()
            busy = [s for s in self._slots if s.busy]
            if not busy:
                if self._pending:
                    continue
                break
            ready = self._wait(busy)
            now = time.monotonic()
            for slot in busy:
                self._attend(slot, ready, now)
        self.close()

    def _fill(self) -> None:
        """Give every idle worker a job, and start workers (up to ``workers``) for the rest."""
        for slot in list(self._slots):
            if not slot.busy:
                self._assign(slot)
        while self._pending and len(self._slots) < self.workers:
            slot = self._spawn()
            self._slots.append(slot)
            self._assign(slot)

    def _wait(self, busy: list[_Slot]) -> set:
        """The busy workers' pipes and process sentinels that are ready, waiting at most until
        the nearest deadline."""
        from multiprocessing.connection import wait

        wait_for = min(self._deadline(s) for s in busy) - time.monotonic()
        return set(wait([s.conn for s in busy] + [s.process.sentinel for s in busy],
                        timeout=max(0.0, wait_for) if wait_for != float("inf") else None))

    def _attend(self, slot: _Slot, ready: set, now: float) -> None:
        """Take a busy worker's message (started, or its result), or notice it died or is late."""
        if slot.conn in ready:
            try:
                kind, value = slot.conn.recv()
            except (EOFError, OSError):
                self._died(slot)
                return
            if kind == "started":
                slot.started = now
                return
            job, slot.job = slot.job, None
            self._on_result(job, value)
        elif slot.process.sentinel in ready:
            if slot.conn.poll():  # it answered, then exited: take the answer first
                return
            self._died(slot)
        elif now >= self._deadline(slot):
            job, slot.job = slot.job, None
            self._replace(slot, kill=True)
            if slot.started is None:
                self._on_result(job, _error(job, f"the worker did not start on this article within "
                                                 f"{LOAD_ALLOWANCE:g} s; it was stopped"))
            else:
                self._on_result(job, _error(job, timed_out_message(self.timeout)))

    def _assign(self, slot: _Slot) -> None:
        """Give ``slot`` the next job (a worker that cannot take it is replaced)."""
        pending = self._pending
        while pending:
            job = pending.popleft()
            item = self._load(job)
            if item is None:
                continue
            try:
                slot.conn.send(item)
            except (OSError, ValueError):  # the worker is gone: the job goes to a new one
                pending.appendleft(job)
                self._replace(slot, kill=True)
                return
            slot.job, slot.sent, slot.started = job, time.monotonic(), None
            return

    def _replace(self, slot: _Slot, kill: bool) -> None:
        self._stop(slot, kill=kill)
        if slot in self._slots:
            self._slots.remove(slot)
        self.replaced += 1

    def _died(self, slot: _Slot) -> None:
        job = slot.job
        slot.job = None
        self._replace(slot, kill=True)
        if job.get("suspect"):
            self._on_result(job, _error(job, DIED))
        else:  # once more, in a fresh worker: it may have been killed for someone else's sake
            job["suspect"] = True
            self._pending.appendleft(job)

    def _deadline(self, slot: _Slot) -> float:
        if slot.started is None:
            return slot.sent + LOAD_ALLOWANCE
        if self.timeout is None:
            return float("inf")
        return slot.started + self.timeout

    def close(self) -> None:
        slots, self._slots = self._slots, []
        for slot in slots:
            self._stop(slot)

    def abort(self) -> None:
        """Stop every worker now (articles in progress are abandoned)."""
        slots, self._slots = self._slots, []
        for slot in slots:
            try:
                slot.process.terminate()
            except Exception:
                pass
        for slot in slots:
            try:
                slot.process.join(3)
                if slot.process.is_alive():
                    slot.process.kill()
                    slot.process.join(3)
                slot.conn.close()
            except Exception:
                pass


def _error(job: dict, message: str) -> dict:
    return {"path": job["path"], "ok": False, "error": message, "worker": None}
