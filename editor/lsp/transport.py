"""The wire under the language server: LSP's base protocol read so that no single bad message
stops the server (issue 26, point 4).

pygls 2.1's own loop (``pygls.io_.run_async``) gives up in several ways: a frame without
``Content-Length`` glues its body to the next frame's header, which then never matches, so every
later message is lost; ``Content-Length: 1000000000000`` asks ``stdin.read`` for a terabyte
(MemoryError, the process ends); a body that is not JSON or not an object is logged with a
traceback and never answered; a request whose params do not fit its method fails inside
``json.loads``' object hook and is never answered either, so the client waits for ever.

Here, one frame at a time:

- a frame that cannot be read (no ``Content-Length``, a bad or conflicting one, one over
  :data:`MAX_BODY`, a line that is not a header) is answered with a parse error (-32700, id null)
  and reading resynchronises at the next ``Content-Length`` header, skipping what lies between in
  bounded pieces: a body never holds a ``Content-Length: N`` line of its own (JSON strings cannot
  hold a raw line break), so the next header is found again;
- a body that is not JSON: parse error (-32700); JSON that is not a request, notification or
  response object (an array, a number, no ``jsonrpc: "2.0"``, a bad id): invalid request (-32600);
- a request whose params do not fit its method: invalid params (-32602) with the request's id;
  a notification that does not fit is logged (one line) and dropped (notifications get no reply);
- positions are clamped before they are read: a negative line or character is 0 and one past
  LSP's ``uinteger`` is its maximum (the document code clamps them to the text, as VS Code does).

Each problem is one line in the log, never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import threading
from dataclasses import dataclass
from typing import BinaryIO

from lsprotocol import types as lsp
from pygls.protocol import JsonRPCNotification, JsonRPCRequestMessage, JsonRPCResponseMessage, LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

log = logging.getLogger("cleanup.lsp")

MAX_BODY = 64 * 1024 * 1024  # bytes: a message over this is refused (a 5 MB article is far below)
MAX_LINE = 64 * 1024  # a header line longer than this is not a header
UINTEGER_MAX = 2**31 - 1

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602

# RFC 7230 header fields: a token, a colon, a value, the line break (LSP sends \r\n; \n is taken too)
_HEADER = re.compile(rb"([A-Za-z0-9!#$%&'*+.^_`|~-]+):[ \t]*(.*?)[ \t]*\r?\n", re.S)
# where a frame starts again: a Content-Length header ending the line read
_LENGTH_AT_END = re.compile(rb"content-length:[ \t]*(\d{1,18})[ \t]*\r?\n\Z", re.I)


@dataclass
class Frame:
    body: bytes


@dataclass
class BadFrame:
    reason: str


class FdStream:
    """``readline(limit)`` and ``read(n)`` straight from a file descriptor. The reading thread is a
    daemon blocked in ``os.read`` when the server exits; blocked inside a buffered ``sys.stdin``
    it would hold the buffer's lock, and Python aborts at exit ("could not acquire lock for
    <stdin> at interpreter shutdown")."""

    CHUNK = 65536

    def __init__(self, fd: int):
        self.fd = fd
        self.buf = bytearray()
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = os.read(self.fd, self.CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def readline(self, limit: int) -> bytes:
        start = 0
        while True:
            i = self.buf.find(b"\n", start, limit)
            if i >= 0:
                return self._take(i + 1)
            if len(self.buf) >= limit:
                return self._take(limit)
            start = len(self.buf)
            if not self._fill():
                return self._take(len(self.buf))

    def read(self, n: int) -> bytes:
        while len(self.buf) < n and self._fill():
            pass
        return self._take(min(n, len(self.buf)))

    def _take(self, n: int) -> bytes:
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out


def byte_source(stream: BinaryIO):
    """Standard input as an :class:`FdStream` (any other stream, e.g. in tests, as it is)."""
    try:
        return FdStream(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return stream


class FrameReader:
    """Frames from a byte stream (standard input); blocking, so it runs in its own thread."""

    def __init__(self, stream: BinaryIO):
        self.stream = byte_source(stream)
        self.skipping = False  # after a bad frame: looking for the next Content-Length header
        self.pending = b""  # a line read but not yet looked at while skipping

    def next(self) -> Frame | BadFrame | None:
        """The next message body, a :class:`BadFrame` (reading goes on at the next header), or
        None at the end of the input."""
        length = None
        if self.skipping:
            length = self._skip_to_length()
            if length is None:
                return None
            self.skipping = False
        return self._read_frame(length)

    def _bad(self, reason: str, pending: bytes = b"") -> BadFrame:
        self.skipping = True
        self.pending = pending
        return BadFrame(reason)

    def _read_frame(self, length: int | None) -> Frame | BadFrame | None:
        seen = length is not None
        while True:
            line = self.stream.readline(MAX_LINE)
            if not line:
                if seen:
                    log.error("the input ended inside a message header")
                return None
            if line in (b"\r\n", b"\n"):
                if not seen:
                    continue  # a stray line break between messages
                if length is None:
                    return self._bad("a message without a Content-Length header")
                if length > MAX_BODY:
                    return self._bad(f"Content-Length {length} is over the limit of {MAX_BODY // 2**20} MB")
                body = self.stream.read(length)
                if len(body) < length:
                    log.error("the input ended inside a message (%d of %d bytes)", len(body), length)
                    return None
                return Frame(body)
            m = _HEADER.fullmatch(line)
            if m is None:
                what = "a header line over 64 KB" if not line.endswith(b"\n") else f"not a header line: {line[:60]!r}"
                return self._bad(what, line)
            seen = True
            if m[1].lower() == b"content-length":
                value = m[2]
                if not value.isdigit() or len(value) > 18:
                    return self._bad(f"a bad Content-Length header: {value[:40]!r}")
                if length is not None and int(value) != length:
                    return self._bad("two different Content-Length headers")
                length = int(value)

    def _skip_to_length(self) -> int | None:
        """Read on until a line ends with a Content-Length header; its length (None at the end of
        the input). Holds at most two lines of MAX_LINE bytes at a time."""
        tail = b""
        while True:
            line, self.pending = (self.pending or self.stream.readline(MAX_LINE)), b""
            if not line:
                return None
            window = tail + line
            if line.endswith(b"\n"):
                m = _LENGTH_AT_END.search(window)
                if m:
                    return int(m[1])
                tail = b""
            else:
                tail = window[-40:]


def clamp_positions(params) -> None:
    """Clamp every ``{"line": int, "character": int}`` in ``params`` to LSP's ``uinteger``
    range, in place (iteratively: params may nest deeply)."""
    stack = [params]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if _is_int(node.get("line")) and _is_int(node.get("character")):
                for key in ("line", "character"):
                    node[key] = min(max(node[key], 0), UINTEGER_MAX)
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _valid_id(v) -> bool:
    return _is_int(v) or isinstance(v, str)


def shape_problem(data) -> tuple[str | None, int | str | None]:
    """(why ``data`` is not a JSON-RPC 2.0 message, or None; the id to answer with)."""
    if not isinstance(data, dict):
        kind = "an array (LSP sends no batches)" if isinstance(data, list) else f"a JSON {type(data).__name__}"
        return f"a message must be a JSON object, not {kind}", None
    msg_id = data.get("id")
    reply_id = msg_id if _valid_id(msg_id) else None
    if data.get("jsonrpc") != "2.0":
        return 'a message must have "jsonrpc": "2.0"', reply_id
    if "id" in data and not _valid_id(msg_id) and not (msg_id is None and "method" not in data):
        return "a message id must be an integer or a string", None
    if "method" in data:
        if not isinstance(data["method"], str):
            return "a method must be a string", reply_id
        return None, reply_id
    if "id" in data and ("result" in data or "error" in data):
        return None, reply_id
    return "a message needs a method (request, notification) or a result or error (response)", reply_id


class CleanupProtocol(LanguageServerProtocol):
    """pygls' protocol with message bodies read by :meth:`receive` and pygls' own copy of every
    open document left out (the server keeps its own; pygls' would be a second copy, rebuilt
    line by line on every change)."""

    def reply_error(self, msg_id, code: int, message: str) -> None:
        log.warning("answered %s: %s", code, message)
        self._send_data({"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}})

    def receive(self, body: bytes) -> None:
        """Handle one message body; reply with an error to what cannot be handled."""
        try:
            data = json.loads(body.decode("utf-8"))  # LSP's bodies are UTF-8 (json.loads would guess)
        except RecursionError:
            return self.reply_error(None, PARSE_ERROR, "Parse error: the JSON nests too deeply")
        except ValueError as e:  # JSONDecodeError, UnicodeDecodeError
            return self.reply_error(None, PARSE_ERROR, f"Parse error: {str(e)[:200]}")
        problem, msg_id = shape_problem(data)
        if problem:
            return self.reply_error(msg_id, INVALID_REQUEST, f"Invalid request: {problem}")
        clamp_positions(data.get("params"))
        try:
            message = self._structure(data)
        except Exception as e:
            return self._refuse(data, e)
        if "method" in data and "id" in data and not hasattr(message, "id"):
            return self.reply_error(msg_id, INVALID_REQUEST, f"Invalid request: {data['method']} is a notification")
        self.handle_message(message)

    def _structure(self, data: dict):
        if "method" in data:
            cls = self.get_message_type(data["method"])
            if cls is None:
                cls = JsonRPCRequestMessage if "id" in data else JsonRPCNotification
        elif "error" in data:
            cls = lsp.ResponseErrorMessage
        else:
            cls = self._result_types.pop(data["id"], None) or JsonRPCResponseMessage
        return self._converter.structure(data, cls)

    def _refuse(self, data: dict, error: Exception) -> None:
        method = data.get("method")
        detail = _first_line(error)
        if method is None:
            log.warning("a response that does not fit: %s", detail)
        elif "id" not in data:
            log.warning("dropped a %s notification that does not fit: %s", method, detail)
        elif self.get_message_type(method) is None:
            self.reply_error(data["id"], INVALID_REQUEST, f"Invalid request: {detail}")
        else:
            self.reply_error(data["id"], INVALID_PARAMS, f"Invalid params for {method}: {detail}")

    def handle_message(self, message) -> None:
        if self._shutdown and getattr(message, "method", lsp.EXIT) != lsp.EXIT and hasattr(message, "id"):
            return self.reply_error(message.id, INVALID_REQUEST, "Invalid request: the server is shutting down")
        super().handle_message(message)

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params):
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params):
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params):
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


def _first_line(error: BaseException) -> str:
    """What went wrong structuring a message, in one line (cattrs nests the cause in groups)."""
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    name = type(error).__name__
    text = str(error).splitlines()[0] if str(error) else ""
    if isinstance(error, KeyError):
        return f"missing {text}"
    return f"{name}: {text}"[:200] if text else name


async def serve(protocol: CleanupProtocol, reader: FrameReader, stop: threading.Event) -> None:
    """Read frames in a thread of their own (one frame read ahead at most) and handle them here."""
    loop = asyncio.get_running_loop()
    frames: asyncio.Queue = asyncio.Queue(maxsize=1)

    def read() -> None:
        while True:
            try:
                item = reader.next()
            except (OSError, ValueError) as e:  # standard input closed under us
                log.error("could not read standard input: %s", e)
                item = None
            put = frames.put(item)
            try:
                asyncio.run_coroutine_threadsafe(put, loop).result()
            except (RuntimeError, asyncio.CancelledError):  # the loop is gone: the server has stopped
                put.close()
                return
            if item is None:
                return

    threading.Thread(target=read, name="lsp-stdin", daemon=True).start()
    while not stop.is_set():
        item = await frames.get()
        if item is None:
            return
        if isinstance(item, BadFrame):
            protocol.reply_error(None, PARSE_ERROR, f"Parse error: {item.reason}")
            continue
        protocol.receive(item.body)
