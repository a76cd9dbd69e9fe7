"""The HTTP service (``cleanup serve``): the JSON contract over HTTP, and the report UI in a browser.

Standard library only (``http.server.ThreadingHTTPServer``). Routes:

- ``GET /``: a page with a form: paste an article, get the reviewable HTML report.
- ``POST /check``: the JSON contract (README, "JSON output") for one article, sent as JSON
  (``{"text": …, "format": "md"|"txt", "path": …, "fix": "safe"|"unsafe"}``) or as the body of a
  ``text/plain`` / ``text/markdown`` request (``?format=&path=&fix=`` in the query).
- ``POST /review``: the HTML report (the same page ``cleanup ARTICLE`` writes) for an article sent
  the same ways or from the form (``application/x-www-form-urlencoded``).
- ``GET /health``: ``{"status": "ok", …}``.

Bodies over ``max_bytes`` get 413 without being read; a missing length 411; an unknown content
type 415; bad JSON, a missing ``text`` or text that is not UTF-8 400; a full queue 503. Every
error is JSON ``{"error": {"status": N, "message": "…"}}`` (plain text for the form). Requests are
served in threads; checks share one loaded model (:class:`editor.session.Session`) and run one at
a time. Nothing is written to disk.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from editor import __version__
from editor.config import ConfigError
from editor.document import SourceDocument
from editor.findings import Applicability
from editor.session import Session

log = logging.getLogger("cleanup.serve")

MAX_BYTES = 1_000_000
MAX_PENDING = 16
TEXT_TYPES = {"text/plain": "txt", "text/markdown": "md", "text/x-markdown": "md"}
FORM_TYPE = "application/x-www-form-urlencoded"
FIELDS = {"text", "format", "path", "fix"}


class HTTPError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


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
        self.fix = {"safe": Applicability.SAFE, "unsafe": Applicability.UNSAFE}.get(fix or "")


class Service:
    """The state every request shares: the session (one loaded model) and the limits."""

    def __init__(self, session: Session, max_bytes: int = MAX_BYTES, max_pending: int = MAX_PENDING):
        self.session = session
        self.max_bytes = max_bytes
        self.slots = threading.BoundedSemaphore(max_pending)
        self._rules = None

    @property
    def rules(self) -> dict:
        if self._rules is None:
            from editor.engine import load_rules

            self._rules = {r.code: r for r in load_rules()}
        return self._rules

    def check(self, article: Article):
        fmt = article.fmt or ("md" if article.path and article.path.lower().endswith((".md", ".markdown")) else
                              "txt" if article.path else "md")
        doc = SourceDocument.from_text(article.text, path=article.path or f"article.{fmt}", fmt=fmt)
        if not self.slots.acquire(blocking=False):
            raise HTTPError(503, "busy: too many requests waiting; try again", {"Retry-After": "1"})
        try:
            try:
                cfg = self.session.config_for(None)
            except ConfigError as e:
                raise HTTPError(500, f"the server's configuration is invalid: {e}") from None
            report, _ = self.session.check_document(doc, cfg, fix=article.fix)
        finally:
            self.slots.release()
        return report

    def contract(self, report) -> dict:
        from editor.render.json import render_json

        data = json.loads(render_json([(report.doc.path, report, None)]))
        if report.fixed_text is not None:
            data["files"][0]["fixed_text"] = report.fixed_text
        return data


class Handler(BaseHTTPRequestHandler):
    server_version = f"cleanup/{__version__}"
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a client may take to send its request
    service: Service  # set on the subclass made by make_server
    quiet = False

    # ------------------------------------------------------------------------------ routing

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
        url = urlsplit(self.path)
        self.query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        allowed = self.ROUTES.get(url.path)
        form = False
        try:
            if allowed is None:
                raise HTTPError(404, f"no such resource: {url.path} (try GET /, POST /check or POST /review)")
            if method not in allowed:
                raise HTTPError(405, f"{method} is not allowed on {url.path}", {"Allow": ", ".join(allowed)})
            if url.path == "/":
                from editor.web.page import paste_page

                self._send(200, paste_page(self.service.max_bytes), "text/html; charset=utf-8", html=True)
            elif url.path == "/health":
                self._send_json(200, {"status": "ok", "version": __version__})
            else:
                article, form = self._article()
                report = self.service.check(article)
                if url.path == "/check":
                    self._send_json(200, self.service.contract(report))
                else:
                    from editor.render.html import render_html

                    self._send(200, render_html(report, self.service.rules), "text/html; charset=utf-8", html=True)
        except HTTPError as e:
            self._error(e, form)
        except Exception as e:  # a bug or a failed engine: one line in the log, a 500 to the client
            log.exception("error serving %s %s", method, url.path)
            self._error(HTTPError(500, f"internal error: {type(e).__name__}: {e}"), form)

    # ------------------------------------------------------------------------------- input

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise HTTPError(411, "send the body with a Content-Length (chunked transfer is not supported)")
        length = self.headers.get("Content-Length")
        if length is None:
            raise HTTPError(411, "a Content-Length is required")
        try:
            n = int(length)
            if n < 0:
                raise ValueError
        except ValueError:
            raise HTTPError(400, f"bad Content-Length: {length!r}") from None
        if n > self.service.max_bytes:
            self.close_connection = True  # the body is not read
            raise HTTPError(413, f"the article is {n} bytes; this server takes at most {self.service.max_bytes}")
        data = self.rfile.read(n)
        if len(data) < n:
            self.close_connection = True
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
        body = self._body()
        text = _decode(body, "the body")
        if ctype == "application/json":
            try:
                data = json.loads(text)
            except ValueError as e:
                raise HTTPError(400, f"invalid JSON: {e}") from None
            if not isinstance(data, dict):
                raise HTTPError(400, "the JSON body must be an object with a \"text\" string")
            unknown = sorted(set(data) - FIELDS)
            if unknown:
                raise HTTPError(400, f"unknown field {unknown[0]!r} (known: {', '.join(sorted(FIELDS))})")
            for key in FIELDS:
                if key in data and data[key] is not None and not isinstance(data[key], str):
                    raise HTTPError(400, f"field {key!r} must be a string")
            if not isinstance(data.get("text"), str):
                raise HTTPError(400, "the JSON body needs a \"text\" string: the article")
            return Article(data["text"], data.get("format"), data.get("path"), data.get("fix")), False
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
        fmt = q.get("format") or TEXT_TYPES[ctype]
        return Article(text, fmt, q.get("path"), q.get("fix")), False

    # ------------------------------------------------------------------------------ output

    def _send(self, status: int, body: str | bytes, ctype: str, headers: dict | None = None, html: bool = False):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if html:
            self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _send_json(self, status: int, value, headers: dict | None = None):
        self._send(status, json.dumps(value, ensure_ascii=False), "application/json; charset=utf-8", headers)

    def _error(self, e: HTTPError, form: bool) -> None:
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
            self.close_connection = True
            self._error(HTTPError(413, f"the article is {n} bytes; this server takes at most {self.service.max_bytes}"),
                        False)
            return False
        return super().handle_expect_100()

    def send_error(self, code, message=None, explain=None):  # malformed requests (http.server's own checks)
        self.close_connection = True
        self._error(HTTPError(code, message or HTTPStatus(code).phrase), False)

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        if not self.quiet:
            sys.stderr.write(f"cleanup serve: {self.address_string()} {format % args}\n")


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
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def make_server(host: str, port: int, session: Session, max_bytes: int = MAX_BYTES,
                max_pending: int = MAX_PENDING, quiet: bool = False) -> Server:
    """A server bound to (host, port) (port 0: any free port; see ``server.server_address``)."""
    service = Service(session, max_bytes=max_bytes, max_pending=max_pending)
    handler = type("CleanupHandler", (Handler,), {"service": service, "quiet": quiet})
    return Server((host, port), handler)
