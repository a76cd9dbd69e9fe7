"""Batch runs: work items, the one function every worker runs, and the executors that run it.

Everything that crosses a process (or machine) boundary is plain data: an *item* is a dict
(path, text, format, engine options, and for a cached result the stored result); a *result* is a
dict (words, title, findings as JSON-contract dicts, the rendered report, or an error message).
spaCy objects never leave the process that loaded them.

A worker builds its checker the first time it needs one and keeps it (``_STATE``), so the model
is loaded once per worker process: a process of the local pool, a dask worker, or this process
when one job runs inline.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import signal
import socket
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from editor import __version__
from editor.batch.workers import WorkerPool

EXECUTORS = ("local", "dask")

# --------------------------------------------------------------------------------------------
# engine options and fingerprint


def engine_options(select=None, ignore=None, model: str | None = None, config: dict | None = None,
                   harper: bool = True) -> dict:
    """The effective options that decide the findings, as plain data (sent to workers, hashed
    into the cache key). ``model`` is resolved to a name here, so the key names the real model;
    ``config`` holds the configuration's finding-shaping settings (see ``config_options``)."""
    from editor.nlp import default_model_name

    return {
        "select": sorted(select) if select else None,
        "ignore": sorted(ignore) if ignore else None,
        "model": model or default_model_name(),
        "harper": harper,
        "rules_dir": os.environ.get("CLEANUP_RULES") or None,
        "config": config or {},
    }


# what a configuration file changes about the findings themselves (select/ignore are top-level
# options; exclude, fail-on and report-dir do not change an article's findings)
CONFIG_FIELDS = ("severity", "substitutions", "vocabulary", "dialect", "report_unused_suppressions")


def config_options(cfg) -> dict:
    """A Config (editor.config) as plain data: only the fields that shape findings."""
    out = {}
    for name in CONFIG_FIELDS:
        value = getattr(cfg, name, None)
        if name == "dialect" and value == "us":  # the default: keeps earlier caches valid
            continue
        if value:
            out[name] = value if isinstance(value, (str, bool)) else dict(value) if isinstance(value, dict) else list(value)
    return out


def _hash_files(files: Iterable[Path], root: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        try:
            data = f.read_bytes()
        except OSError:
            continue
        h.update(str(f.relative_to(root)).encode("utf-8", "surrogatepass") + b"\0")
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def _dist_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _model_version(name: str) -> str | None:
    """The model package's version from its meta.json (without importing spaCy)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        meta = Path(list(spec.submodule_search_locations)[0]) / "meta.json"
        try:
            data = json.loads(meta.read_text("utf-8"))
            return f"{data.get('version')} (spaCy {data.get('spacy_version')})"
        except (OSError, ValueError):
            pass
    return _dist_version(name)


_FINGERPRINTS: dict[str, tuple[str, dict]] = {}
# code that does not decide findings (output, file discovery, the command line) is left out of
# the fingerprint, so changing it does not empty the cache
_NOT_FINDINGS_DIRS = {"batch", "render", "__pycache__"}
_NOT_FINDINGS_FILES = {"cli.py", "__main__.py", "writer.py", "discover.py", "gitdiff.py", "baseline.py"}


def fingerprint(engine: dict) -> tuple[str, dict]:
    """(digest, details) of everything that decides an article's findings besides its text:
    the effective options, the rule files and word lists in use, the checking code, the package
    version, spaCy and the model, harper-py. The same on a worker as here when both run the same
    installation, which is how a dask run checks that its workers match this machine."""
    key = json.dumps(engine, sort_keys=True)
    got = _FINGERPRINTS.get(key)
    if got is not None:
        return got
    from editor.engine import rules_dir

    folder = Path(engine["rules_dir"]).resolve() if engine.get("rules_dir") else rules_dir()
    package = Path(__file__).resolve().parents[1]
    code_files = [p for p in package.rglob("*.py")
                  if not _NOT_FINDINGS_DIRS & set(p.relative_to(package).parts[:-1])
                  and not (p.parent == package and p.name in _NOT_FINDINGS_FILES)]
    rule_files = [p for p in folder.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".txt")] \
        if folder.is_dir() else []
    details = {
        "options": {k: v for k, v in engine.items() if k != "rules_dir"},
        "package": __version__,
        "rules": _hash_files(rule_files, folder) if rule_files else None,
        "code": _hash_files(code_files, package),
        "spacy": _dist_version("spacy"),
        "model": engine["model"],
        "model_version": _model_version(engine["model"]),
        "harper": _dist_version("harper-py"),
        "detector": _detector_fingerprint(),
    }
    digest = hashlib.sha256(json.dumps(details, sort_keys=True).encode()).hexdigest()
    _FINGERPRINTS[key] = (digest, details)
    return digest, details


def _detector_fingerprint() -> str | None:
    from editor.backends.detector import fingerprint as detector_fingerprint

    return detector_fingerprint()


# --------------------------------------------------------------------------------------------
# the worker side


def build_checker(engine: dict):
    """A worker's checker from the batch's plain-data options, built by editor.checkers like every
    other: our rules, Harper as ``cleanup check`` runs it, and the configuration's fields that
    shape findings (severity, house substitutions, vocabulary, dialect).

    Engines run after the parse, not beside it (``overlap=False``): in a batch the parallelism is
    one article per worker process, so that ``--jobs N`` (or a Dask worker's one thread) keeps to
    N cores instead of N plus a Harper thread each."""
    from editor.checkers import CheckerFactory
    from editor.config import Config

    config = engine.get("config") or {}
    settings = Config(select=engine.get("select"), ignore=engine.get("ignore"),
                      **{k: v for k, v in config.items() if k in CONFIG_FIELDS})
    factory = CheckerFactory(engine.get("model"), harper=bool(engine.get("harper", True)), overlap=False)
    return factory.checker(settings)


def _model_loads() -> int:
    from editor.nlp import load_model

    return load_model.cache_info().misses


@dataclass
class _WorkerState:
    checkers: dict = field(default_factory=dict)
    rules: tuple | None = None  # (rule folder, {code: Rule}) for the reports' rule docs
    lock: threading.Lock = field(default_factory=threading.Lock)
    dedicated: bool = False  # a pool/dask worker process (may set its own environment)


_STATE = _WorkerState()


def _checker_for(engine: dict):
    key = json.dumps(engine, sort_keys=True)
    checker = _STATE.checkers.get(key)
    if checker is None:
        checker = build_checker(engine)
        _STATE.checkers[key] = checker
    return checker


def _rules_for_report() -> dict:
    from editor.engine import load_rules, rules_dir

    folder = rules_dir()
    if _STATE.rules is None or _STATE.rules[0] != folder:
        _STATE.rules = (folder, {r.code: r for r in load_rules(folder)})
    return _STATE.rules[1]


def title_of(text: str, limit: int = 120) -> str:
    """A short title: the first non-empty line (after any front matter), without heading marks."""
    lines = text.splitlines()
    i = 0
    if lines and lines[0].strip() == "---":
        for j in range(1, min(len(lines), 200)):
            if lines[j].strip() in ("---", "..."):
                i = j + 1
                break
    for line in lines[i:]:
        s = line.strip().lstrip("#").strip()
        if s:
            return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"
    return ""


def finding_from_dict(d: dict):
    """A Finding back from its JSON-contract dict (for rendering a cached result)."""
    from editor.findings import Applicability, Edit, Finding, Fix, Severity, Span

    fixes = tuple(
        Fix(tuple(Edit(Span(e["start"], e["end"]), e["replacement"]) for e in fx["edits"]),
            Applicability(fx["applicability"]), fx.get("title", ""))
        for fx in d.get("fixes", [])
    )
    return Finding(rule=d["rule"], category=d["category"], severity=Severity(d["severity"]), message=d["message"],
                   span=Span(d["start"], d["end"]), fixes=fixes, source=d.get("source", "cleanup"),
                   name=d.get("name", ""), sources=tuple(d.get("sources") or ()), confidence=d.get("confidence"))


def render_report(item: dict, result: dict) -> str:
    """The reviewable report of one article (editor.render.html), from a plain result."""
    from editor.document import SourceDocument, content_hash
    from editor.pipeline import FileReport
    from editor.render.html import render_html

    doc = SourceDocument(path=item["path"], text=item["text"], fmt=item["fmt"], bom=bool(item.get("bom")),
                         digest=content_hash(item["text"]))
    report = FileReport(doc=doc, findings=[finding_from_dict(f) for f in result["findings"]], words=result["words"],
                        elapsed=result.get("elapsed", 0.0))
    if result.get("engines"):
        report.engines = dict(result["engines"])
    return render_html(report, _rules_for_report(), batch_report=item.get("report"))


def process_item(item: dict) -> dict:
    """Check (or, for a cached result, only render) one article. Never raises: a failure is a
    result with ``error``. Runs in a pool worker, a dask worker or inline."""
    with _STATE.lock:
        return _process(item)


def _process(item: dict) -> dict:
    base = {"path": item["path"], "worker": f"{socket.gethostname()}:{os.getpid()}"}
    if _STATE.dedicated and item["engine"].get("rules_dir"):
        # a worker process of ours: use the rule folder this run was started with ($CLEANUP_RULES)
        os.environ["CLEANUP_RULES"] = item["engine"]["rules_dir"]
    stage = "check"
    try:
        if item["kind"] == "render":
            result = dict(item["cached"])
        else:
            from editor.document import SourceDocument, content_hash
            from editor.render.model import finding_dict

            checker = _checker_for(item["engine"])
            doc = SourceDocument(path=item["path"], text=item["text"], fmt=item["fmt"], bom=bool(item.get("bom")),
                                 digest=content_hash(item["text"]))
            report = checker.check(doc)
            result = {
                "words": report.words,
                "title": title_of(doc.text),
                "findings": [finding_dict(f, report) for f in report.findings],
                "engines": dict(report.engines or {}),
                "elapsed": round(report.elapsed, 4),
            }
        stage = "report"
        html = render_report(item, result)
    except Exception as e:  # a crashing check must not stop the batch
        return {**base, "ok": False, "error": f"{stage} failed: {type(e).__name__}: {_one_line(str(e))}"}
    return {**base, "ok": True, "result": result, "html": html, "fingerprint": fingerprint(item["engine"])[0],
            "model_loads": _model_loads()}


def _one_line(s: str, limit: int = 300) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def warm_up(item: dict) -> None:
    """Load what checking ``item`` needs (the model, the rules, Harper) before its time limit
    starts to run (editor/batch/workers.py). A failure here is left for process_item to report."""
    if item.get("kind") != "check":
        return
    if _STATE.dedicated and item["engine"].get("rules_dir"):
        os.environ["CLEANUP_RULES"] = item["engine"]["rules_dir"]
    with _STATE.lock:
        _checker_for(item["engine"])
        _rules_for_report()


def _pool_init(rules_dir: str | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _STATE.dedicated = True
    if rules_dir:
        os.environ["CLEANUP_RULES"] = rules_dir


def mark_dedicated_worker() -> None:
    """Called on dask workers (via client.run) so they may take the rule folder from the options."""
    _STATE.dedicated = True


def error_result(path: str, message: str) -> dict:
    return {"path": path, "ok": False, "error": message, "worker": None}


# --------------------------------------------------------------------------------------------
# executors: run(items, on_result); ``load(job)`` turns a light job into an item (reads the text)


Load = Callable[[dict], "dict | None"]
OnResult = Callable[[dict, dict], None]


class InlineExecutor:
    """One job: check in this process (no worker start-up cost)."""

    name = "local"

    def __init__(self):
        self.workers = 1

    def run(self, jobs: list[dict], load: Load, on_result: OnResult) -> None:
        for job in jobs:
            item = load(job)
            if item is not None:
                on_result(job, process_item(item))

    def abort(self) -> None:
        pass


class PoolExecutor(WorkerPool):
    """``--jobs N`` worker processes on this machine (spawned; each loads the model once), with
    the per-article time limit of ``--timeout`` (editor/batch/workers.py)."""

    name = "local"
    task = staticmethod(process_item)  # what a worker runs on an item (a hook for tests)
    prepare = staticmethod(warm_up)
    init = staticmethod(_pool_init)

    def __init__(self, workers: int, rules_dir: str | None = None, timeout: float | None = None):
        super().__init__(workers, (rules_dir,), timeout)
        self.rules_dir = rules_dir


class DaskExecutor:
    """The same items on a dask.distributed cluster: ``--scheduler tcp://HOST:8786``, or a
    LocalCluster of ``--jobs`` worker processes when no scheduler is given."""

    name = "dask"
    verify_fingerprint = True  # remote workers may run another installation: refuse their results

    def __init__(self, scheduler: str | None, workers: int, connect_timeout: float = 20.0,
                 timeout: float | None = None):
        self.scheduler = scheduler
        self.workers = workers
        self.connect_timeout = connect_timeout
        self.timeout = timeout  # per article, counted from its submission (see docs/batch.md)
        self._client = None
        self._cluster = None
        self._futures: list = []

    def _connect(self):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise BatchError("--executor dask needs dask.distributed: pip install 'cleanup-editor[cluster]'") from None
        try:
            if self.scheduler:
                self._client = Client(self.scheduler, timeout=self.connect_timeout, set_as_default=False)
            else:
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                             dashboard_address=None)
                self._client = Client(self._cluster, set_as_default=False)
        except (OSError, TimeoutError) as e:
            self.abort()
            raise BatchError(f"cannot connect to the dask scheduler {self.scheduler or '(local)'}: "
                             f"{_one_line(str(e)) or type(e).__name__}") from None
        info = self._client.scheduler_info()
        n = len(info.get("workers", {}))
        if n == 0:
            self._client.wait_for_workers(1, timeout=self.connect_timeout)
            n = len(self._client.scheduler_info().get("workers", {}))
        self.workers = max(1, n)
        self._client.run(mark_dedicated_worker)

    def run(self, jobs: list[dict], load: Load, on_result: OnResult) -> None:
        from editor.batch.workers import timed_out_message

        self._connect()
        client = self._client
        # with a time limit, no more articles in flight than workers: each starts when submitted
        window = self.workers if self.timeout is not None else max(8, self.workers * 4)
        pending = deque(jobs)
        inflight: dict = {}  # future -> (job, submitted at)

        def submit_more():
            while pending and len(inflight) < window:
                job = pending.popleft()
                item = load(job)
                if item is None:
                    continue
                fut = client.submit(process_item, item, pure=False)
                inflight[fut] = (job, time.monotonic())

        submit_more()
        while inflight:
            done = [fut for fut in inflight if fut.done()]
            if not done:
                time.sleep(0.05)  # futures of a client that is not the default one: poll them
            for fut in done:
                job, _ = inflight.pop(fut)
                try:
                    res = fut.result()
                except Exception as e:  # KilledWorker, lost connection, ...
                    res = error_result(job["path"], f"dask: {type(e).__name__}: {_one_line(str(e))}")
                fut.release()
                on_result(job, res)
            if self.timeout is not None:
                now = time.monotonic()
                for fut, (job, t) in list(inflight.items()):
                    if now - t >= self.timeout:
                        del inflight[fut]
                        self._stop_task(fut)
                        on_result(job, error_result(job["path"], timed_out_message(self.timeout)))
            submit_more()
        self.close()

    def _stop_task(self, fut) -> None:
        """Cancel a task that ran out of time and restart the worker running it (its nanny starts
        a fresh one; a worker without a nanny keeps running the task to its end)."""
        client = self._client
        holder = None
        try:
            for address, keys in client.processing().items():
                if fut.key in keys:
                    holder = address
        except Exception:
            pass
        try:
            fut.cancel()
        except Exception:
            pass
        if holder is not None:
            try:
                client.restart_workers([holder])
            except Exception:
                pass

    def close(self) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        try:
            if client is not None:
                client.close()
        finally:
            if cluster is not None:
                cluster.close()

    def abort(self) -> None:
        try:
            self.close()
        except Exception:
            pass


class BatchError(Exception):
    """A fatal problem with the batch as a whole (one line, exit code 2)."""


def make_executor(executor: str, jobs: int, scheduler: str | None, misses: int, rules_dir: str | None,
                  timeout: float | None = None):
    """Dask, worker processes, or (one job, no time limit) this process."""
    if executor == "dask":
        return DaskExecutor(scheduler, jobs, timeout=timeout)
    if scheduler:
        raise BatchError("--scheduler needs --executor dask")
    workers = max(1, min(jobs, misses))
    if workers == 1 and timeout is None:
        return InlineExecutor()
    return PoolExecutor(workers, rules_dir, timeout)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# --------------------------------------------------------------------------------------------
# the driver


@dataclass
class BatchOutcome:
    rows: list[dict]
    total: int
    interrupted: bool
    stats: dict
    out: Path
    terminated: bool = False  # stopped by SIGTERM (``interrupted`` is set too)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.rows if r["status"] == "error")

    def exit_code(self, fail_on: str = "never") -> int:
        """143 stopped by SIGTERM; 130 interrupted; 2 when any article could not be processed; 1
        when findings reach ``fail_on``; else 0."""
        if self.terminated:
            return 143
        if self.interrupted:
            return 130
        if self.failed:
            return 2
        if fail_on != "never":
            from editor.findings import Severity

            levels = [s.value for s in Severity if s.rank >= Severity(fail_on).rank]
            if any(r["by_severity"].get(level, 0) for r in self.rows for level in levels):
                return 1
        return 0


def report_names(paths: list[str]) -> dict[str, str]:
    """Report file (relative to the output folder) for each article: reports/<path below the
    articles' common folder>.html — unique, readable, stable for the same inputs."""
    if not paths:
        return {}
    absolute = {p: os.path.abspath(p) for p in paths}
    root = os.path.commonpath([os.path.dirname(a) for a in absolute.values()])
    return {p: "reports/" + os.path.relpath(a, root).replace(os.sep, "/") + ".html" for p, a in absolute.items()}


class Terminated(KeyboardInterrupt):
    """SIGTERM: stop like Ctrl-C (workers stopped, index of what finished written), exit 143."""


@contextlib.contextmanager
def _sigterm_stops_the_run():
    """SIGTERM raises Terminated in this (main) thread for the duration of the run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_deferred():
    """While the cache is closed and the index written, Ctrl-C and SIGTERM wait: a second Ctrl-C
    cannot leave a half-finished set of outputs (each file is atomic; this keeps them together)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def record(signum, frame):
        caught.append(signum)

    previous = {sig: signal.signal(sig, record) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _require_dask() -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise BatchError("--executor dask needs dask.distributed, which is not installed: "
                         "pip install 'cleanup-editor[cluster]'") from None


def run_batch(paths: Iterable[str], out: str | Path, *, select=None, ignore=None, model: str | None = None,
              config: str | None = None, jobs: int | None = None, executor: str = "local",
              scheduler: str | None = None, use_cache: bool = True, progress: str = "auto",
              progress_interval: float = 10.0, stream=None, warn: Callable[[str], None] | None = None,
              timeout: float | None = None) -> BatchOutcome:
    """Check every article under ``paths``, write DIR/reports/*.html, DIR/index.html,
    DIR/summary.json and DIR/summary.csv. A KeyboardInterrupt (or SIGTERM) stops the run and
    still writes the index of what finished (``outcome.interrupted``). ``timeout``: seconds an
    article's check may take in a worker process (None: no limit, and one job runs in this
    process). One run at a time per output folder (editor/batch/lock.py)."""
    from editor.batch.lock import Busy, FolderLock

    if executor == "dask":
        _require_dask()
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BatchError(f"{out}: cannot create the output folder: {e.strerror or e}") from None
    if not os.access(out, os.W_OK):
        raise BatchError(f"{out}: output folder is not writable")
    try:
        lock = FolderLock(out).acquire()
    except Busy as e:
        raise BatchError(str(e)) from None
    except OSError as e:
        raise BatchError(f"{out}: cannot lock the output folder: {e.strerror or e}") from None
    try:
        with _sigterm_stops_the_run():
            return _run_batch(paths, out, select=select, ignore=ignore, model=model, config=config, jobs=jobs,
                              executor=executor, scheduler=scheduler, use_cache=use_cache, progress=progress,
                              progress_interval=progress_interval, stream=stream, warn=warn, timeout=timeout)
    finally:
        lock.release()


def _run_batch(paths, out: Path, *, select, ignore, model, config, jobs, executor, scheduler, use_cache, progress,
               progress_interval, stream, warn, timeout) -> BatchOutcome:
    run = _BatchRun(out, select=select, ignore=ignore, model=model, executor=executor,
                    warn=warn or (lambda m: print(f"cleanup: {m}", file=sys.stderr)))
    finder = _config_finder(config)
    try:
        articles, missing = _discover(list(paths), finder)
    except KeyboardInterrupt as e:  # interrupted while searching the folders: an index of nothing yet
        return run.write_nothing_found(terminated=isinstance(e, Terminated))
    run.prepare(articles, missing, finder, progress=progress, stream=stream, progress_interval=progress_interval)
    try:
        jobs_list = run.plan(use_cache)
        if jobs_list:
            run.execute(jobs_list, jobs or default_jobs(), scheduler, timeout)
    except KeyboardInterrupt as e:
        run.interrupted = True
        run.terminated = isinstance(e, Terminated)
    except BaseException:
        _wind_down(run.runner, run.prog, run.cache, run.warn, abort=True)
        raise
    return run.write_outcome()


def _discover(given: list, config_finder) -> tuple[list, list[tuple[str, str]]]:
    """(articles, [(name, why) of inputs that cannot be checked]): the files under ``given``
    (honouring .gitignore and exclude), each real file once; a file name that is not UTF-8 cannot
    go into the index, the summaries or a report's name, so such an article is listed as failed
    (by its name with \\xNN escapes) and the others go on."""
    from editor.config import ConfigError
    from editor.discover import collect
    from editor.paths import display, is_utf8, not_utf8_message

    try:
        articles, missing = collect(tuple(given), config_finder)
    except ConfigError as e:  # a bad configuration file (or exclude pattern): one line, exit 2
        raise BatchError(_one_line(str(e))) from None
    missing = [(display(p), m) for p, m in missing]
    missing += [(display(p), not_utf8_message(p)) for p in articles if not is_utf8(p)]
    seen: set[str] = set()
    unique = []
    for p in filter(is_utf8, articles):
        real = os.path.realpath(p)
        if real not in seen:
            seen.add(real)
            unique.append(p)
    return unique, missing


def _open_cache(cache_path: Path, warn: Callable[[str], None]):
    """The result cache (always written; --no-cache only stops reading from it), or None. One in
    use by something else is never moved aside (results are still written); an unusable one is
    moved to ``NAME.broken`` and a new one started."""
    from editor.batch.cache import CacheBusy, CacheError, ResultCache

    try:
        return ResultCache(cache_path)
    except CacheBusy as e:
        warn(f"{e}; running without the cache this time")
        return None
    except CacheError as e:
        broken = cache_path.with_name(cache_path.name + ".broken")
        warn(f"{cache_path}: not a usable cache ({str(e).split('(', 1)[-1].split(')')[0]}); "
             f"moved it to {broken.name} and started a new one")
        try:
            os.replace(cache_path, broken)
            return ResultCache(cache_path)
        except (OSError, CacheError) as e2:
            warn(f"running without a cache: {e2}")
            return None


class _BatchRun:
    """One batch run's state: the rows of the index so far, the progress display, the cache, the
    executor and the statistics. ``plan`` looks every article up in the cache, ``execute`` hands
    the rest to the executor (which calls ``load`` before and ``finish`` after each job), and
    ``write_outcome`` writes the index of whatever finished."""

    def __init__(self, out: Path, *, select, ignore, model, executor: str, warn: Callable[[str], None]):
        self.out, self.select, self.ignore, self.model = out, select, ignore, model
        self.executor, self.warn = executor, warn
        self.started = time.time()
        self.t0 = time.perf_counter()
        self.rows: list[dict] = []
        self.stats: dict = {"from_cache": 0, "reports_rendered_from_cache": 0, "checked": 0, "workers": {}}
        self.interrupted = self.terminated = False
        self.runner = None
        self.cache = None
        self.prog = None
        self.engines: dict[str, dict] = {}
        self.texts: dict[str, str] = {}  # for the index's count of chrome regions; in flight only

    def _stamp(self) -> None:
        self.stats["elapsed_s"] = round(time.perf_counter() - self.t0, 3)
        self.stats["started"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started))

    def write_nothing_found(self, terminated: bool) -> BatchOutcome:
        """The outcome of a run interrupted before any article was found."""
        from editor.batch.index import write_outputs

        self.stats.update(executor=self.executor, jobs=0)
        self._stamp()
        outcome = BatchOutcome(rows=[], total=0, interrupted=True, out=self.out, terminated=terminated,
                               stats=self.stats)
        with _signals_deferred():
            write_outputs(outcome)
        return outcome

    def prepare(self, articles: list, missing: list, config_finder, *, progress, stream, progress_interval) -> None:
        """Name the reports, refuse outputs that would overwrite an article, check the model, open
        the cache and start the progress display (the inputs that cannot be checked counted)."""
        from editor.batch.cache import CACHE_NAME
        from editor.batch.index import error_row
        from editor.batch.progress import Progress
        from editor.paths import Inputs, display

        out = self.out
        self.articles = articles
        self.names = report_names(articles)
        self.inputs = Inputs(articles)
        for name in ("index.html", "summary.json", "summary.csv", CACHE_NAME):
            hit = self.inputs.clash(out / name)
            if hit is not None:
                raise BatchError(f"{out / name}: the batch's output would overwrite the article {display(hit)}; "
                                 "choose another --out")
        self.finder = _config_lookup(config_finder)
        self.base_engine = engine_options(self.select, self.ignore, self.model)
        _check_model(self.base_engine)
        self.cache = _open_cache(out / CACHE_NAME, self.warn)
        self.rows = [error_row(p, None, m) for p, m in missing]
        self.total = len(articles) + len(missing)
        self.prog = Progress(self.total, mode=progress, stream=stream, interval=progress_interval)
        for _ in missing:
            self.prog.advance(error=True)

    def without_cache(self, e: Exception) -> None:
        self.warn(f"{e}; going on without the cache (every result is still in the index)")
        try:
            self.cache.close()
        except Exception:
            pass
        self.cache = None

    def failed(self, path: str, report: str | None, message: str) -> None:
        from editor.batch.index import error_row

        self.rows.append(error_row(path, report, message))
        self.prog.advance(error=True)

    def engine_for(self, path: str) -> dict:
        """The article's effective options: the command line's --select/--ignore over its
        configuration file's (as ``cleanup check`` does)."""
        from editor.config import ConfigError

        if self.finder is None:
            return self.base_engine
        try:
            cfg_select, cfg_ignore, cfg = self.finder(path)
            engine = engine_options(self.select or cfg_select, self.ignore or cfg_ignore, self.model, cfg)
        except ConfigError as e:  # a bad configuration file: one line naming it and the key, exit 2
            raise BatchError(_one_line(str(e))) from None
        return self.engines.setdefault(json.dumps(engine, sort_keys=True), engine)

    def plan(self, use_cache: bool) -> list[dict]:
        """A job for every article whose report is not already in the output folder, longest
        first: the workers finish together instead of one working alone on a long article at the
        end (results are ranked afterwards, so the order does not show)."""
        jobs_list = []
        for path in self.articles:
            job = self._plan_one(path, use_cache)
            if job is not None:
                jobs_list.append(job)
        jobs_list.sort(key=lambda j: (j["kind"] != "check", -j["size"]))
        return jobs_list

    def _plan_one(self, path: str, use_cache: bool) -> dict | None:
        """The job for one article: a check, a report rendered from the cached result, or None
        (it failed, or its cached report is still in place)."""
        from editor.batch.cache import CacheError, item_key
        from editor.batch.index import result_row
        from editor.document import InputError, read_document
        from editor.paths import display

        try:
            doc = read_document(path)
        except InputError as e:
            self.failed(path, None, e.message)
            return None
        engine = self.engine_for(path)
        report = self.names[path]
        hit = self.inputs.clash(self.out / report)
        if hit is not None:
            self.failed(path, None, f"its report {self.out / report} would overwrite the article "
                        f"{display(hit)}; choose another --out")
            return None
        fp = fingerprint(engine)[0]
        key = item_key(fp, doc.fmt, doc.digest)
        job = {"path": path, "key": key, "fingerprint": fp, "engine": engine, "digest": doc.digest,
               "kind": "check", "size": len(doc.text)}
        try:
            cached = self.cache.get(key) if (self.cache is not None and use_cache) else None
        except CacheError as e:
            self.without_cache(e)
            cached = None
        if cached is not None:
            result, stat = cached
            if stat and stat["report"] == report and _same_stat(self.out / report, stat):
                self.rows.append(result_row(path, report, result, doc.text))
                self.stats["from_cache"] += 1
                self.prog.advance(cached=True)
                return None
            job.update(kind="render", cached=result)
        return job

    def execute(self, jobs_list: list[dict], jobs: int, scheduler, timeout) -> None:
        """Check and render the jobs on the executor (the rule files checked first)."""
        _check_rules()
        misses = sum(1 for j in jobs_list if j["kind"] == "check")
        self.runner = make_executor(self.executor, jobs, scheduler,
                                    misses if self.executor == "local" else len(jobs_list),
                                    self.base_engine.get("rules_dir"), timeout)
        self.stats["executor"] = self.runner.name
        self.stats["jobs"] = self.runner.workers
        self.runner.run(jobs_list, self.load, self.finish)
        self.stats["jobs"] = self.runner.workers

    def load(self, job: dict) -> dict | None:
        """The item for a job: the text read now (so only the articles in flight are in memory)."""
        from editor.batch.cache import item_key
        from editor.document import InputError, read_document

        try:
            doc = read_document(job["path"])
        except InputError as e:
            self.failed(job["path"], None, e.message)
            return None
        if doc.digest != job["digest"]:  # changed since it was looked up: check it afresh
            job.update(kind="check", digest=doc.digest, key=item_key(job["fingerprint"], doc.fmt, doc.digest))
            job.pop("cached", None)
        item = {"kind": job["kind"], "path": job["path"], "text": doc.text, "fmt": doc.fmt, "bom": doc.bom,
                "engine": job["engine"], "report": self.names[job["path"]]}
        self.texts[job["path"]] = doc.text
        if job["kind"] == "render":
            item["cached"] = job["cached"]
        return item

    def finish(self, job: dict, res: dict) -> None:
        """A job's result from the executor: its report written, cached and counted in the index."""
        from editor.batch.index import result_row

        path = job["path"]
        report = self.names[path]
        text = self.texts.pop(path, None)
        if not res.get("ok"):
            self.failed(path, report, res["error"])
            return
        if getattr(self.runner, "verify_fingerprint", False) and res.get("fingerprint") != job["fingerprint"]:
            self.failed(path, report, "the worker's rules, code or model differ from this "
                        "machine's (install the same version of cleanup on every worker)")
            return
        st = self._write_report(path, report, res["html"])
        if st is None:
            return
        self._cache_result(job, res["result"], report, st)
        rendered = job["kind"] == "render"
        self.stats["from_cache"] += rendered
        self.stats["reports_rendered_from_cache"] += rendered
        self.stats["checked"] += not rendered
        w = self.stats["workers"].setdefault(str(res.get("worker")), {"articles": 0, "model_loads": 0})
        w["articles"] += job["kind"] == "check"
        w["model_loads"] = max(w["model_loads"], res.get("model_loads", 0))
        self.rows.append(result_row(path, report, res["result"], text))
        self.prog.advance(cached=rendered)

    def _write_report(self, path: str, report: str, html: str):
        """Write an article's report; its stat, or None when it could not be written (a failed row)."""
        from editor.document import InputError
        from editor.writer import atomic_write

        target = self.out / report
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, html)
            return target.stat()
        except (InputError, OSError) as e:
            self.failed(path, report, f"cannot write the report: {getattr(e, 'message', None) or e}")
            return None

    def _cache_result(self, job: dict, result: dict, report: str, st) -> None:
        from editor.batch.cache import CacheError

        if self.cache is None:
            return
        try:
            if job["kind"] == "render":
                self.cache.set_report(job["key"], report, st.st_size, st.st_mtime_ns)
            else:
                self.cache.put(job["key"], job["path"], result, report, st.st_size, st.st_mtime_ns)
        except CacheError as e:
            self.without_cache(e)

    def write_outcome(self) -> BatchOutcome:
        """Stop the workers (if interrupted), close the cache and write the index, the summaries
        of what finished; a second Ctrl-C waits meanwhile, so the outputs are written whole."""
        from editor.batch.index import write_outputs

        with _signals_deferred():
            _wind_down(self.runner, self.prog, self.cache, self.warn, abort=self.interrupted)
            stats = self.stats
            if getattr(self.runner, "replaced", 0):
                stats["workers_replaced"] = self.runner.replaced
            stats.setdefault("executor", "local" if self.executor == "local" else "dask")
            stats.setdefault("jobs", 0)
            self._stamp()
            stats["fingerprint"] = fingerprint(self.base_engine)[1]
            outcome = BatchOutcome(rows=self.rows, total=self.total, interrupted=self.interrupted, stats=stats,
                                   out=self.out, terminated=self.terminated)
            write_outputs(outcome)
        return outcome


def _wind_down(runner, prog, cache, warn, abort: bool) -> None:
    """Stop the workers (on an interruption), close the progress display and the cache."""
    if abort and runner is not None:
        runner.abort()
    prog.close()
    if cache is not None:
        try:
            cache.close()
        except Exception as e:  # disk full while committing: the index is still written
            warn(str(e))


def _same_stat(target: Path, stat: dict) -> bool:
    try:
        st = target.stat()
    except OSError:
        return False
    return st.st_size == stat["size"] and st.st_mtime_ns == stat["mtime_ns"]


def _check_model(engine: dict) -> None:
    """Fail early, with one line, when the model is not installed (every article would fail)."""
    name = engine["model"]
    try:
        found = importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        found = False
    if not found and not Path(name).is_dir():
        raise BatchError(f"cannot load spaCy model {name!r}: not installed (pip install it, or pass --model)")


def _check_rules() -> None:
    """Fail early, with one line, on a bad rule file (every article would fail). Parsing the rule
    files takes a moment, so a run served entirely from the cache does not do it."""
    from editor.engine import load_rules
    from editor.engine.schema import RuleFileError

    try:
        load_rules()
    except RuleFileError as e:
        raise BatchError(str(e)) from None


def _config_finder(explicit: str | None):
    """The project's configuration finder (editor.config), or None when this installation has none."""
    try:
        from editor.config import ConfigFinder
    except ImportError:  # pragma: no cover - configuration files not supported by this install
        if explicit:
            raise BatchError("--config is not supported by this installation") from None
        return None
    try:
        return ConfigFinder(explicit)
    except Exception as e:  # ConfigError: one line naming the file and key
        raise BatchError(_one_line(str(e))) from None


def _config_lookup(finder):
    """path → (select, ignore, config options) from the configuration that applies to it."""
    if finder is None:
        return None

    def for_path(path: str):
        cfg = finder.for_path(path).folded()  # extend-select added to the selection
        return cfg.select, cfg.ignore, config_options(cfg)

    return for_path
