"""How a run of the command line ends when something goes wrong that is not the user's input.

Exit code 1 means findings, so nothing else may end with 1. A bug in cleanup (any exception no
other handler expected) ends with :data:`EXIT_INTERNAL` and one line on stderr naming the article
being checked and the exception; ``--verbose`` adds the traceback. The README's exit-code table
lists every code.
"""

from __future__ import annotations

import sys
import traceback

import click

EXIT_INTERNAL = 3  # an internal error (a bug): distinct from 2 (bad input) and 1 (findings)
EXIT_BROKEN_PIPE = 141  # stdout closed early (`cleanup check | head`): 128 + SIGPIPE, as a shell reports it
EXIT_TERMINATED = 143  # SIGTERM (128 + 15)


class _State:
    verbose = False
    current: str | None = None  # the article being checked, for the one-line message


STATE = _State()


class PipeClosed(Exception):
    """stdout's reader went away (BrokenPipeError, carried past click, which would exit 1)."""


def reset() -> None:
    """A new run (main() may be called more than once in a process)."""
    STATE.verbose = False
    STATE.current = None


def verbose_callback(ctx, param, value):
    if value:
        STATE.verbose = True
    ctx.meta["cleanup.verbose"] = value  # also read by the engines' "off" line (editor/backends/run.py)
    return value


verbose_option = click.option(
    "--verbose", "-v", is_flag=True, expose_value=False, is_eager=True, callback=verbose_callback,
    help="Also say which engines are off and how to turn them on; on an internal error, print the "
         "traceback (to include in a bug report).")


def checking(path: str | None) -> None:
    """Remember which article is being checked (named in an internal error's line)."""
    STATE.current = path


def safe_streams() -> None:
    """stdout and stderr never fail on a character they cannot encode (a file name that is not
    UTF-8, a terminal in another encoding): it is written as an escape instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a stream that cannot be reconfigured
                pass


def one_line(text: str, limit: int = 400) -> str:
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def internal_error(e: BaseException) -> int:
    """Report an unexpected exception: one line (the traceback with --verbose); the exit code."""
    from editor.paths import display

    where = f" while checking {display(STATE.current)}" if STATE.current else ""
    what = f"{type(e).__name__}: {one_line(e)}" if str(e) else type(e).__name__
    if STATE.verbose:
        traceback.print_exception(type(e), e, e.__traceback__, file=sys.stderr)
    hint = "" if STATE.verbose else "; run again with --verbose for the traceback"
    click.echo(f"cleanup: internal error{where}: {what} (a bug in cleanup{hint})", err=True)
    return EXIT_INTERNAL


def broken_pipe() -> int:
    """stdout was closed by its reader: stop quietly (and keep Python from complaining at exit)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_BROKEN_PIPE
