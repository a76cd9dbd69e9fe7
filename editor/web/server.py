"""The HTTP service (``cleanup serve``): the JSON contract over HTTP, and the report UI in a browser.

Standard library only (``http.server.ThreadingHTTPServer``). Routes:

- ``GET /``: a page with a form: paste an article, get the reviewable HTML report.
- ``POST /check``: the JSON contract (README, "JSON output") for one article, sent as JSON
  (``{"text": …, "format": "md"|"txt", "path": …, "fix": "safe"|"unsafe"}``) or as the body of a
  ``text/plain`` / ``text/markdown`` request (``?format=&path=&fix=`` in the query).
- ``POST /review``: the HTML report (the same page ``cleanup ARTICLE`` writes) for an article sent
  the same ways or from the form (``application/x-www-form-urlencoded``).
- ``GET /health``: ``{"status": "ok", "version": …, "workers": {"running": n, "configured": N},
  "checks": n}``.

Every error is JSON ``{"error": {"status": N, "message": "…"}}`` (plain text for the form) and
the server goes on. Bodies over ``max_bytes`` get 413 without being read; a missing length 411;
two different ``Content-Length`` headers, or one beside ``Transfer-Encoding``, 400; an unknown
content type 415; bad JSON (too deeply nested too), a JSON body that is not an object, a field that
is not a string, text that is not UTF-8 or holds a lone surrogate 400.

Who may ask (editor/web/guard.py): a ``Host`` the server answers for (else 421) and, from a
browser, its own origin or one given with ``--allow-origin`` (else 403).

Limits: at most ``max_connections`` connections are served at once (the next one gets 503 at
once and is closed, so slow clients cannot hold a thread each); a request line with headers, and
a body, must each arrive within ``read_timeout`` seconds (408, closed); at most ``max_pending``
checks run or wait for a worker (503). Checks run in worker processes (editor/web/workers.py):
a check that crashes its worker gets 500 and the worker is replaced; one that runs over
``timeout`` seconds gets 503 and its worker is replaced; a client that goes away has its check
stopped. Each such event is one line on standard error, never a traceback. SIGTERM or SIGINT
(:func:`serve`): the server stops accepting, lets checks in flight finish for a short grace,
stops the workers (a check still running gets 503) and exits 0. Nothing is written to disk.
"""

from __future__ import annotations

import http.client
import json
import re
import select
import signal
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from editor import __version__
from editor.web.errors import ClientGone, HTTPError
from editor.web.guard import Deadlines, HostPolicy
from editor.web.workers import WorkerPool

__all__ = ["HTTPError", "Server", "make_server", "serve"]

MAX_BYTES = 1_000_000
MAX_PENDING = 16
MAX_CONNECTIONS = 64
READ_TIMEOUT = 10.0
TIMEOUT = 60.0
WRITE_TIMEOUT = 30.0  # a client has this long to take a reply (sendall's total)
LINGER_S = 1.0  # the longest a closing connection's leftover input is read
SHUTDOWN_GRACE = 5.0  # checks in flight at SIGTERM may finish in this time (at most half of --timeout)
TEXT_TYPES = {"text/plain": "txt", "text/markdown": "md", "text/x-markdown": "md"}
FORM_TYPE = "application/x-www-form-urlencoded"
FIELDS = {"text", "format", "path", "fix"}
CHECK_ROUTES = ("/check", "/review")


def say(line: str) -> None:
    """One line on standard error (events: a crash, a time limit, a client gone; never a traceback)."""
    try:
        sys.stderr.write(f"cleanup serve: {line}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


class Article:
    """What a request asks to check."""

    def __init__(self, text: str, fmt: str | None, path: str | None, fix: str | None):
        if fmt is not None and fmt not in ("md", "txt", "markdown", "text"):
            raise HTTPError(400, f"format must be 'md' or 'txt', not {fmt!r}")
        if fix is not None and fix not in ("safe", "unsafe", "none", ""):
            raise HTTPError(400, f"fix must be 'safe' or 'unsafe', not {fix!r}")
        if path is not None and (len(path) > 1024 or any(c in path for c in "\0\r\n")):
            raise HTTPError(400, "path must be a name of at most 1024 characters on one line")
        self.text = text
        self.fmt = {"markdown": "md", "text": "txt"}.get(fmt or "", fmt)
        self.path = path or None
        self.fix = fix if fix in ("safe", "unsafe") else None


class Service:
    """What every request shares: the worker pool, who may ask, and the limits."""

    def __init__(self, pool: WorkerPool, policy: HostPolicy, max_bytes: int = MAX_BYTES,
                 max_pending: int = MAX_PENDING, timeout: float = TIMEOUT, read_timeout: float = READ_TIMEOUT):
        self.pool = pool
        self.policy = policy
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.read_timeout = read_timeout
        self.deadlines = Deadlines()
        self.slots = threading.BoundedSemaphore(max_pending)
        self.in_flight = 0
        self.stopping = False
        self._idle = threading.Condition()

    def run(self, route: str, article: Article, gone) -> tuple[str, str]:
        """(content type, body) of the worker's answer; HTTPError or ClientGone otherwise."""
        if self.stopping:
            raise HTTPError(503, "the server is shutting down")
        if not self.slots.acquire(blocking=False):
            raise HTTPError(503, "busy: too many requests waiting; try again", {"Retry-After": "1"})
        try:
            job = {"route": route.strip("/"), "text": article.text, "format": article.fmt, "path": article.path,
                   "fix": article.fix}
            reply = self.pool.run(job, self.timeout, gone)
        finally:
            self.slots.release()
        if reply[0] == "error":
            raise HTTPError(reply[1], reply[2], event=reply[3])
        return reply[1], reply[2]

    def begin(self) -> None:
        """A request for a check has come (counted until its reply is sent: ``in_flight``)."""
        with self._idle:
            self.in_flight += 1

    def end(self) -> None:
        with self._idle:
            self.in_flight -= 1
            self._idle.notify_all()

    def wait_idle(self, seconds: float) -> bool:
        """Wait until no check is in flight (True) or ``seconds`` have passed (False)."""
        with self._idle:
            return self._idle.wait_for(lambda: self.in_flight == 0, timeout=seconds)


class Handler(BaseHTTPRequestHandler):
    server_version = f"cleanup/{__version__}"
    protocol_version = "HTTP/1.1"
    timeout = WRITE_TIMEOUT  # the socket's; reads are cut off sooner by the service's Deadlines
    service: Service  # set on the subclass made by make_server
    quiet = False
    cut_off = False

    # -------------------------------------------------------------------- reading the request

    def handle_one_request(self):
        """The request line and headers must arrive within the read timeout (a keep-alive connection
        that sends nothing for that long is closed)."""
        self._body_read = False
        self.cors = None
        self.command, self.requestline, self.request_version = "", "", "HTTP/1.1"
        self.headers = http.client.HTTPMessage()
        self.service.deadlines.arm(self, self.service.read_timeout)
        try:
            super().handle_one_request()
        finally:
            self.service.deadlines.disarm(self)

    def parse_request(self):
        if self.cut_off:  # the request line itself did not arrive in time
            return self._timed_out("the request line")
        ok = super().parse_request()  # reads the headers
        if self.service.deadlines.disarm(self) and ok:
            return self._timed_out("the request headers")
        return ok

    def _timed_out(self, what: str) -> bool:
        self.close_connection = True
        if self.raw_requestline.strip():
            self._error(HTTPError(408, f"{what} did not arrive within {self.service.read_timeout:g} s"), False)
        return False

    def do_GET(self):
        self._route("GET")

    def do_HEAD(self):
        self._route("HEAD")

    def do_POST(self):
        self._route("POST")

    def do_PUT(self):
        self._route("PUT")

    def do_DELETE(self):
        self._route("DELETE")

    def do_PATCH(self):
        self._route("PATCH")

    def do_OPTIONS(self):
        self._route("OPTIONS")

    ROUTES = {"/": ("GET", "HEAD"), "/health": ("GET", "HEAD"), "/check": ("POST",), "/review": ("POST",)}

    def _route(self, method: str) -> None:
        checking = urlsplit(self.path).path in CHECK_ROUTES
        if checking:
            self.service.begin()
        try:
            self._answer(method)
        finally:
            if checking:
                self.service.end()  # after the reply: a server stopping waits for it

    def _answer(self, method: str) -> None:
        url = urlsplit(self.path)
        self.query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        self.cors = None
        form = _content_type(self.headers.get("Content-Type", ""))[0] == FORM_TYPE  # errors in plain text
        try:
            self.cors = self.service.policy.check(method, self.headers)
            allowed = self.ROUTES.get(url.path)
            if allowed is None:
                raise HTTPError(404, f"no such resource: {url.path} (try GET /, POST /check or POST /review)")
            if method == "OPTIONS" and self.cors is not None and url.path in CHECK_ROUTES:
                return self._preflight()
            if method not in allowed:
                raise HTTPError(405, f"{method} is not allowed on {url.path}", {"Allow": ", ".join(allowed)})
            if url.path == "/":
                from editor.web.page import paste_page

                self._send(200, paste_page(self.service.max_bytes), "text/html; charset=utf-8", html=True)
            elif url.path == "/health":
                self._send_json(200, self._health())
            else:
                article, form = self._article()
                ctype, body = self.service.run(url.path, article, self._client_gone)
                self._send(200, body, ctype, html=ctype.startswith("text/html"))
        except ClientGone as e:
            self.close_connection = True
            say(f"{self.address_string()} {method} {url.path}: the client went away; its check was cancelled ({e})")
        except HTTPError as e:
            if e.event:
                say(f"{self.address_string()} {method} {url.path}: {e.event}")
            self._error(e, form)
        except Exception as e:  # a bug: one line in the log, a 500 to the client
            say(f"{self.address_string()} {method} {url.path}: internal error: {type(e).__name__}: {e} "
                "(a bug in cleanup)")
            self._error(HTTPError(500, f"internal error: {type(e).__name__}: {e}"), form)

    def _health(self) -> dict:
        pool = self.service.pool
        return {"status": "ok", "version": __version__,
                "workers": {"running": pool.running, "configured": pool.size}, "checks": self.service.in_flight}

    def _client_gone(self) -> bool:
        """Has the client closed its connection (end of file waiting to be read, or an error)?"""
        try:
            poller = select.poll()
            poller.register(self.connection, select.POLLIN | select.POLLERR | select.POLLHUP)
            if not poller.poll(0):
                return False
            return self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            return True

    # ------------------------------------------------------------------------------- input

    def _length(self) -> int:
        lengths = {v.strip() for v in self.headers.get_all("Content-Length") or []}
        if self.headers.get_all("Transfer-Encoding"):
            if lengths:
                raise HTTPError(400, "a request with both Transfer-Encoding and Content-Length is refused "
                                     "(its length is ambiguous)")
            raise HTTPError(411, "send the body with a Content-Length (chunked transfer is not supported)")
        if not lengths:
            raise HTTPError(411, "a Content-Length is required")
        if len(lengths) > 1:
            raise HTTPError(400, f"two different Content-Length headers ({', '.join(sorted(lengths))}): refused")
        length = lengths.pop()
        if not re.fullmatch(r"[0-9]{1,15}", length):
            raise HTTPError(400, f"bad Content-Length: {length!r}")
        return int(length)

    def _body(self) -> bytes:
        n = self._length()
        if n > self.service.max_bytes:
            raise HTTPError(413, f"the article is {n} bytes; this server takes at most {self.service.max_bytes}")
        self.service.deadlines.arm(self, self.service.read_timeout)
        stalled = False
        try:
            data = self.rfile.read(n)
        except TimeoutError:  # a single read waited the socket's whole timeout
            data, stalled = b"", True
        finally:
            cut = self.service.deadlines.disarm(self) or stalled
        self._body_read = True
        if len(data) < n:
            self.close_connection = True
            if cut:
                raise HTTPError(408, f"the body did not arrive within {self.service.read_timeout:g} s "
                                     f"({len(data)} of {n} bytes came)")
            raise HTTPError(400, "the body is shorter than its Content-Length")
        return data

    def _article(self) -> tuple[Article, bool]:
        ctype, params = _content_type(self.headers.get("Content-Type", ""))
        charset = params.get("charset", "utf-8").lower()
        form = ctype == FORM_TYPE
        if ctype not in TEXT_TYPES and ctype not in ("application/json", FORM_TYPE):
            raise HTTPError(415, f"send application/json, text/plain, text/markdown or a form, not {ctype or 'no type'!r}")
        if charset not in ("utf-8", "utf8"):
            raise HTTPError(415, f"the body must be UTF-8, not {charset}")
        text = _decode(self._body(), "the body")
        if ctype == "application/json":
            return _json_article(text), False
        if form:
            try:
                fields = parse_qs(text, keep_blank_values=True, max_num_fields=len(FIELDS) + 4, errors="strict")
            except UnicodeDecodeError:
                raise HTTPError(400, "the form's text is not valid UTF-8") from None
            except ValueError as e:
                raise HTTPError(400, f"bad form: {e}") from None
            if "text" not in fields:
                raise HTTPError(400, "the form has no text field")
            get = lambda k: fields[k][-1] if k in fields else None  # noqa: E731
            # browsers send a textarea's line ends as CRLF whatever was pasted: the article gets LF
            text = get("text").replace("\r\n", "\n")
            return Article(text, get("format") or None, get("path") or None, get("fix") or None), True
        q = self.query
        for key, value in q.items():
            _encodable(value, f"query parameter {key!r}")
        fmt = q.get("format") or TEXT_TYPES[ctype]
        return Article(text, fmt, q.get("path"), q.get("fix")), False

    # ------------------------------------------------------------------------------ output

    def _send(self, status: int, body: str | bytes, ctype: str, headers: dict | None = None, html: bool = False):
        data = body.encode("utf-8") if isinstance(body, str) else body
        if not self._body_read and (self.headers.get("Content-Length", "0").strip() not in ("", "0")
                                    or self.headers.get("Transfer-Encoding")):
            self.close_connection = True  # an unread body must not be taken for the next request
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "same-origin")
            if html:
                self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
            if self.cors is not None:
                self.send_header("Access-Control-Allow-Origin", self.cors)
                self.send_header("Vary", "Origin")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError, TimeoutError) as e:
            self.close_connection = True
            if status >= 400:
                return  # an error for a client that is gone: nothing lost, nothing to report
            say(f"{self.address_string()} {self.command} {self.path}: the client went away before the answer "
                f"({status}) was sent ({type(e).__name__})")

    def _send_json(self, status: int, value, headers: dict | None = None):
        self._send(status, json.dumps(value, ensure_ascii=False), "application/json; charset=utf-8", headers)

    def _preflight(self) -> None:
        self._send(204, b"", "text/plain", {"Access-Control-Allow-Methods": "POST",
                                            "Access-Control-Allow-Headers": "Content-Type",
                                            "Access-Control-Max-Age": "600"})

    def _error(self, e: HTTPError, form: bool) -> None:
        if not self._body_read:
            self.close_connection = True  # a body, if one was sent, was not read: the connection cannot go on
        if form:
            self._send(e.status, f"cleanup: {e.message}\n", "text/plain; charset=utf-8", e.headers)
        else:
            self._send_json(e.status, {"error": {"status": e.status, "message": e.message}}, e.headers)

    def handle_expect_100(self):
        """``Expect: 100-continue``: refuse a body that is too large before the client sends it."""
        try:
            n = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            n = 0
        if n > self.service.max_bytes:
            self.cors = None
            self._error(HTTPError(413, f"the article is {n} bytes; this server takes at most {self.service.max_bytes}"),
                        False)
            return False
        return super().handle_expect_100()

    def send_error(self, code, message=None, explain=None):  # malformed requests (http.server's own checks)
        self.close_connection = True
        self.cors = None
        self._error(HTTPError(code, message or HTTPStatus(code).phrase), False)

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        if not self.quiet:
            say(f"{self.address_string()} {format % args}")


def _json_article(text: str) -> Article:
    try:
        data = json.loads(text)
    except RecursionError:
        raise HTTPError(400, "invalid JSON: nested too deeply") from None
    except ValueError as e:
        raise HTTPError(400, f"invalid JSON: {e}") from None
    if not isinstance(data, dict):
        raise HTTPError(400, f"the JSON body must be an object with a \"text\" string, not {_json_kind(data)}")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise HTTPError(400, f"unknown field {_clip(unknown[0])!r} (known: {', '.join(sorted(FIELDS))})")
    for key in sorted(FIELDS):
        if key in data and data[key] is not None:
            if not isinstance(data[key], str):
                raise HTTPError(400, f"field {key!r} must be a string, not {_json_kind(data[key])}")
            _encodable(data[key], f"field {key!r}")
    if not isinstance(data.get("text"), str):
        raise HTTPError(400, "the JSON body needs a \"text\" string: the article")
    return Article(data["text"], data.get("format"), data.get("path"), data.get("fix"))


def _json_kind(value) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _clip(value: str, n: int = 60) -> str:
    return value if len(value) <= n else value[:n] + "…"


def _encodable(value: str, what: str) -> None:
    """Text with a lone surrogate (JSON ``"\\ud800"``) is not text: 400 rather than a failure later."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise HTTPError(400, f"{what} holds a lone surrogate (U+{ord(value[e.start]):04X} at character {e.start}), "
                             "which is not text: send each character outside the BMP as one surrogate pair") from None


def _content_type(value: str) -> tuple[str, dict]:
    parts = [p.strip() for p in value.split(";")]
    params = {}
    for p in parts[1:]:
        if "=" in p:
            k, v = p.split("=", 1)
            params[k.strip().lower()] = v.strip().strip('"')
    return parts[0].lower(), params


def _decode(data: bytes, what: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise HTTPError(400, f"{what} is not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None


class Server(ThreadingHTTPServer):
    """One thread per connection, at most ``max_connections`` of them; the rest get 503 at once."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    max_connections = MAX_CONNECTIONS
    quiet = False

    def server_activate(self):
        super().server_activate()
        self.connections = 0
        self.refused = 0
        self._count = threading.Lock()
        self._last_refusal_log = 0.0

    def process_request(self, request, client_address):
        with self._count:
            full = self.connections >= self.max_connections
            if not full:
                self.connections += 1
        if full:
            return self._refuse(request)
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._done()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._done()

    def _done(self) -> None:
        with self._count:
            self.connections -= 1

    def _refuse(self, request) -> None:
        """503 and close, from the accepting thread, without waiting for anything."""
        message = f"too many connections (at most {self.max_connections} at once); try again"
        body = json.dumps({"error": {"status": 503, "message": message}}).encode()
        head = (f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n").encode()
        try:
            request.setblocking(False)
            try:
                request.recv(65536)  # what has come already: closing on unread data would reset the connection
            except OSError:
                pass
            request.send(head + body)
            request.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        self.close_request(request)  # no lingering read here: this is the accepting thread
        self.refused += 1
        now = time.monotonic()
        if now - self._last_refusal_log >= 5:  # one line per burst, not one per connection
            self._last_refusal_log = now
            say(f"{message}: connection refused with 503 ({self.refused} so far)")

    def shutdown_request(self, request):
        """Close after a lingering read: closing with unread data (a body refused with 413) would reset
        the connection, and the client could lose the reply before reading it."""
        try:
            request.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + LINGER_S
            while (left := deadline - time.monotonic()) > 0:
                request.settimeout(left)
                if not request.recv(65536):
                    break
        except OSError:
            pass
        self.close_request(request)

    def handle_error(self, request, client_address):
        """An error escaping a handler (a client resetting its connection, a bug): one line, no traceback."""
        e = sys.exc_info()[1]
        if isinstance(e, (ConnectionError, TimeoutError)):
            return  # the client went away or stalled: nothing to answer, nothing to report
        say(f"{client_address[0]}: error serving a request: {type(e).__name__}: {e} (a bug in cleanup)")


def make_server(host: str, port: int, pool: WorkerPool, *, max_bytes: int = MAX_BYTES,
                max_pending: int = MAX_PENDING, quiet: bool = False, timeout: float = TIMEOUT,
                read_timeout: float = READ_TIMEOUT, max_connections: int = MAX_CONNECTIONS,
                allow_hosts=(), allow_origins=()) -> Server:
    """A server bound to (host, port) (port 0: any free port; see ``server.server_address``) whose
    checks run in ``pool``. ValueError for a bad ``allow_origins`` item; OSError if it cannot listen."""
    # the socket's own timeout bounds each read and a reply's whole send; Deadlines cut reads sooner
    handler = type("CleanupHandler", (Handler,), {"quiet": quiet, "timeout": max(WRITE_TIMEOUT, 2 * read_timeout)})
    server_class = type("CleanupServer", (Server,), {"max_connections": max_connections, "quiet": quiet})
    if ":" in host.strip("[]"):
        server_class.address_family = socket.AF_INET6
    server = server_class((host.strip("[]"), port), handler)
    try:
        policy = HostPolicy(host, server.server_address[0], allow_hosts, allow_origins)
    except ValueError:
        server.server_close()
        raise
    handler.service = Service(pool, policy, max_bytes=max_bytes, max_pending=max_pending, timeout=timeout,
                              read_timeout=read_timeout)
    return server


def serve(server: Server, echo=say) -> None:
    """Serve until SIGTERM or SIGINT; then stop accepting, give checks in flight a short grace, stop
    the workers (what still runs gets 503) and return."""
    service: Service = server.RequestHandlerClass.service
    stopping = threading.Event()

    def stop(signum, frame):
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, name="cleanup-stop", daemon=True).start()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.serve_forever(poll_interval=0.2)
        service.stopping = True
        server.server_close()  # no new connections
        grace = min(SHUTDOWN_GRACE, service.timeout / 2)
        finished = service.wait_idle(grace)
        cancelled = service.in_flight
        service.pool.close()
        if not finished:
            service.wait_idle(2.0)  # their handlers answer 503
        echo(f"stopped{f' ({cancelled} check(s) still running after {grace:g} s were cancelled)' if cancelled else ''}")
    finally:
        service.pool.close()
        for s, handler in previous.items():
            signal.signal(s, handler)
