"""LanguageTool through language-tool-python: a self-hosted server, the public API, or ``local``.

``--languagetool off|local|URL`` (also ``CLEANUP_LANGUAGETOOL`` and the configuration file):

- ``local``: language-tool-python's managed server (it downloads LanguageTool into its cache on
  first use and needs Java >= 17); one server per run, shut down at exit.
- a URL: a self-hosted server (``http://localhost:8081``) or the public API
  (``https://api.languagetool.org``).  The public API takes at most 20 KB a request and about 20
  requests a minute: articles are split into requests of at most :data:`PUBLIC_MAX_BYTES` bytes,
  spaced :data:`PUBLIC_MIN_INTERVAL` seconds apart, and HTTP 429 is retried after the server's
  ``Retry-After`` (bounded).

The prose segments are sent joined with blank lines (markup, code and URLs never leave the
machine), each article in one request when it fits, else in a few large ones cut at segment (or
sentence) ends.  LanguageTool counts offsets and lengths in UTF-16 code units; they are turned
into code points of the text sent, then into file offsets through the segments' offset maps.

language-tool-python 3.4 is kept (it manages the local server) and subclassed to fix what it gets
wrong: it converts match offsets from UTF-16 but not lengths (a match after an emoji that covers
one is one code point too long), turns a 5xx reply into a ``KeyError`` (``response["matches"]``
on an error body), hides HTTP 429 (only 426 is recognised), and fixes its timeout at 300 s.
:class:`CleanupLanguageTool` overrides ``_query_server`` and ``check`` for that; everything else
(language negotiation, the local server's download, start-up and shutdown) is the library's.
"""

from __future__ import annotations

import copy
import math
import json
import threading
import time
import urllib.parse
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Iterable, Sequence

from editor.backends import EngineError, Joined, engine_wanted, kind_table, make_finding, rule_selected, warn_once
from editor.findings import Finding, Severity
from editor.segment import Segment

PREFIX = "LT/"
SOURCE = "languagetool"
DEFAULT_TIMEOUT = 30.0
PUBLIC_MAX_BYTES = 18_000  # the public API's limit is 20 KB a request (form encoding adds a little)
SERVER_MAX_BYTES = 100_000  # a self-hosted or local server: no limit by default; keep requests sane
PUBLIC_MIN_INTERVAL = 3.0  # seconds between requests to the public API (20 a minute)
MAX_429_RETRIES = 3
MAX_BACKOFF = 10.0  # the longest wait after one HTTP 429

# LanguageTool rules off by default: they duplicate our rules or Harper's, or cry wolf on
# articles.  Enable one with --select LT/<ID> or the configuration's languagetool enable list.
OFF_BY_DEFAULT = {
    "MORFOLOGIK_RULE_EN_US": "spelling of names and transliterations (as Harper's SpellCheck)",
    "MORFOLOGIK_RULE_EN_GB": "spelling of names and transliterations (as Harper's SpellCheck; --dialect gb)",
    "MORFOLOGIK_RULE_EN_AU": "spelling of names and transliterations (as Harper's SpellCheck; --dialect au)",
    "MORFOLOGIK_RULE_EN_CA": "spelling of names and transliterations (as Harper's SpellCheck; --dialect ca)",
    "WHITESPACE_RULE": "duplicates Harper's NoFrenchSpaces and our typography rules",
    "ENGLISH_WORD_REPEAT_RULE": "duplicates MT702 (doubled words)",
    "ENGLISH_WORD_REPEAT_BEGINNING_RULE": "style: sentences starting with the same word",
    "UPPERCASE_SENTENCE_START": "scraped labels and list items start in lower case",
    "EN_QUOTES": "typographic quotes are a house-style choice",
    "DASH_RULE": "dash style: Harper's Dashes and NumericRangeEnDash cover it",
    "PUNCTUATION_PARAGRAPH_END": "headings and labels have no final period",
    "TOO_LONG_SENTENCE": "whole sentences, as Harper's LongSentences (no pinpoint value)",
    "COMMA_PARENTHESIS_WHITESPACE": "duplicates our punctuation-spacing rules",
    "EN_UNPAIRED_BRACKETS": "quotes and brackets split across segments",
}

CATEGORIES = {
    "TYPOS": "spelling",
    "CONFUSED_WORDS": "spelling",
    "GRAMMAR": "grammar",
    "PUNCTUATION": "punctuation",
    "TYPOGRAPHY": "typography",
    "CASING": "typography",
    "COLLOCATIONS": "collocation",
    "COMPOUNDING": "spelling",
    "MISC": "grammar",
    "REPETITIONS": "grammar",
}
ISSUE_TYPES = kind_table(
    warning={"spelling": ("misspelling",), "grammar": ("grammar", "duplication")},
    info={"typography": ("typographical", "whitespace"),
          "style": ("style", "locale-violation", "register", "inconsistency")},
)

# --dialect / the configuration's dialect → LanguageTool's language code
LANGUAGES = {"us": "en-US", "gb": "en-GB", "au": "en-AU", "ca": "en-CA"}

HOW_TO_ENABLE = ("LanguageTool is off; enable it with --languagetool local|URL "
                 "(or CLEANUP_LANGUAGETOOL, or the configuration file's languagetool server)")


def _ltp():
    try:
        import language_tool_python  # noqa: F401
        from language_tool_python import server
    except ImportError as e:
        raise EngineError(f"language-tool-python cannot be imported ({e})") from None
    return server


# --------------------------------------------------------------------------------------------
# UTF-16 code units ↔ code points


class Utf16:
    """Positions in UTF-16 code units of ``text`` → code points (astral characters count 2)."""

    def __init__(self, text: str):
        self.astral = [i for i, c in enumerate(text) if ord(c) > 0xFFFF]  # code-point positions
        self.length = len(text)
        self.units = self.length + len(self.astral)

    def to_code_point(self, u: int) -> int:
        if u < 0 or u > self.units:
            raise EngineError(f"LanguageTool reported offset {u} outside the text sent ({self.units} UTF-16 units)")
        # the k-th astral character (code point p) starts at unit p + k; count those before u
        lo, hi = 0, len(self.astral)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.astral[mid] + mid < u:
                lo = mid + 1
            else:
                hi = mid
        return u - lo


# --------------------------------------------------------------------------------------------
# the client: language-tool-python with its four faults fixed


def client_class():
    """language-tool-python's ``LanguageTool`` with :class:`_ClientFixes` (imported only when
    LanguageTool is wanted)."""
    server = _ltp()

    class CleanupLanguageTool(_ClientFixes, server.LanguageTool):
        """language-tool-python's ``LanguageTool`` with a configurable timeout, plain errors for
        5xx / 429 / malformed JSON, and UTF-16 lengths as well as offsets converted."""

    return CleanupLanguageTool


class _ClientFixes:
    """What :func:`client_class` overrides in language-tool-python's ``LanguageTool`` (it comes
    first in the class's bases, so ``super()`` is the library's class)."""

    def __init__(self, *args: Any, timeout: float = DEFAULT_TIMEOUT, min_interval: float = 0.0,
                 **kwargs: Any) -> None:
        self._TIMEOUT = timeout  # the library reads self._TIMEOUT (a class constant of 300 s)
        self._min_interval = min_interval
        self._last_request = 0.0
        super().__init__(*args, **kwargs)

    @property
    def base(self) -> str:
        url = getattr(self, "_url", "")
        return url[: -len("v2/")] if url.endswith("v2/") else url

    def _query_server(self, url: str, params: dict | None = None, num_tries: int = 2,
                      method: str = "get") -> Any:
        import requests
        from language_tool_python.exceptions import LanguageToolError, RateLimitError, ServerError

        where = f"LanguageTool at {self.base or url}"
        restarted = False
        waits = 0
        while True:
            gap = self._min_interval - (time.monotonic() - self._last_request)
            if gap > 0:
                time.sleep(gap)
            self._last_request = time.monotonic()
            try:
                status, headers, body = bounded_request(method, url, params, self._TIMEOUT, self._proxies)
            except ReplyError as e:
                raise LanguageToolError(f"{where}: {e}") from None
            except requests.Timeout:
                raise LanguageToolError(f"{where}: no answer within {self._TIMEOUT:g} s "
                                        f"(set --languagetool-timeout)") from None
            except requests.ConnectionError as e:
                if not self._remote and not restarted:  # the managed server died: start it again
                    restarted = True
                    self._terminate_server()
                    self._start_local_server()
                    continue
                raise LanguageToolError(f"{where}: cannot connect ({_reason(e)})") from None
            except requests.RequestException as e:
                raise LanguageToolError(f"{where}: {_reason(e)}") from None
            if status in (429, 426):
                if waits < MAX_429_RETRIES:
                    waits += 1
                    time.sleep(_retry_after(headers.get("Retry-After"), waits))
                    continue
                raise RateLimitError(f"{where}: rate limit exceeded (HTTP {status}) after "
                                     f"{waits} retries; try again later or use your own server")
            if status >= 500:
                raise ServerError(f"{where}: server error HTTP {status}{_first_line(body)}")
            if status >= 400:
                raise LanguageToolError(f"{where}: request refused, HTTP {status}{_first_line(body)}")
            try:
                return json.loads(body)
            except (ValueError, RecursionError):
                raise LanguageToolError(f"{where}: the reply is not JSON{_first_line(body)}") from None

    def _get_languages(self) -> set:
        """The library's, with the reply checked first: a list of objects, each with a string
        ``code`` and ``longCode`` (LanguageTool's documented ``/v2/languages``)."""
        from language_tool_python.exceptions import LanguageToolError

        self._start_server_if_needed()
        reply = self._query_server(urllib.parse.urljoin(self._url, "languages"), num_tries=1)
        if not isinstance(reply, list) or not all(
                isinstance(e, dict) and isinstance(e.get("code"), str) and isinstance(e.get("longCode", ""), str)
                for e in reply):
            shown = json.dumps(reply, default=str)[:80]
            raise LanguageToolError(f"LanguageTool at {self.base}: malformed reply to /v2/languages "
                                    f"(expected a list of languages, got {shown})")
        return {e["code"] for e in reply} | {e["longCode"] for e in reply if e.get("longCode")} | {"auto"}

    def check_raw(self, text: str) -> list[dict]:
        """The raw matches of ``/v2/check`` for ``text``, validated, with ``offset``/``length``
        turned from UTF-16 code units into code points of ``text``."""
        from language_tool_python.exceptions import LanguageToolError

        url = urllib.parse.urljoin(self._url, "check")
        reply = self._query_server(url, self._create_params(text), method="post")
        where = f"LanguageTool at {self.base}"
        if not isinstance(reply, dict) or not isinstance(reply.get("matches"), list):
            raise LanguageToolError(f"{where}: malformed reply (no list of matches)")
        conv = Utf16(text)
        limit = max_matches(text)
        if len(reply["matches"]) > limit:
            raise LanguageToolError(f"{where}: implausible reply: {len(reply['matches'])} matches for "
                                    f"{len(text)} characters (at most {limit} accepted)")
        out = []
        for m in reply["matches"]:
            problem = match_problem(m)
            if problem:
                raise LanguageToolError(f"{where}: malformed match in the reply ({problem}): "
                                        f"{json.dumps(m, default=str)[:120]}")
            u0, n = m["offset"], m["length"]
            reps = [r["value"] for r in m.get("replacements") or []]
            try:
                start, end = conv.to_code_point(u0), conv.to_code_point(u0 + n)
            except EngineError as e:
                raise LanguageToolError(f"{where}: {e}") from None
            m = copy.deepcopy(m)
            m["offset"], m["length"] = start, end - start
            m["_replacements"] = reps
            out.append(m)
        return out

    def check(self, text: str) -> list:
        """As the library's ``check``, with offsets and lengths in code points."""
        from language_tool_python.match import Match

        out = []
        for m in self.check_raw(text):
            raw = copy.deepcopy(m)
            raw.pop("_replacements", None)
            raw.setdefault("context", {"text": text, "offset": m["offset"], "length": m["length"]})
            raw.setdefault("replacements", [])
            raw["rule"].setdefault("issueType", "")
            offset, length = m["offset"], m["length"]
            match = Match(raw, "")  # "" : no astral characters to adjust for, already done
            match.offset, match.error_length = offset, length
            out.append(match)
        return out


# --------------------------------------------------------------------------------------------
# one HTTP exchange, bounded: in time as a whole, and in size


MAX_REPLY_BYTES = 32 * 1024 * 1024  # compressed, as received
MAX_DECODED_BYTES = 32 * 1024 * 1024  # after gzip/deflate


class ReplyError(Exception):
    """The reply cannot be accepted (too large, an unknown encoding): one line."""


def bounded_request(method: str, url: str, params: dict | None, timeout: float, proxies=None
                    ) -> tuple[int, dict, str]:
    """``(status, headers, body text)`` of one request, the whole exchange (connecting, the
    headers, every byte of the body) within ``timeout`` seconds: a server that trickles a byte
    every few seconds is given up at the limit (requests' own timeout only bounds each read).
    The body is capped at MAX_REPLY_BYTES as received and MAX_DECODED_BYTES decompressed.
    Raises requests.Timeout, requests.RequestException or ReplyError."""
    import requests

    deadline = time.monotonic() + timeout
    box: dict = {}

    def exchange() -> None:
        try:
            box["value"] = _exchange(method, url, params, deadline, timeout, proxies)
        except BaseException as e:  # handed to the caller's thread
            box["error"] = e

    worker = threading.Thread(target=exchange, name="languagetool-request", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()))
    if worker.is_alive():  # it stops reading at the deadline; a daemon, so it never holds up exit
        raise requests.Timeout(f"no complete answer within {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _exchange(method, url, params, deadline, timeout, proxies) -> tuple[int, dict, str]:
    import zlib

    import requests

    left = max(0.001, deadline - time.monotonic())
    headers = {"Accept-Encoding": "gzip, deflate"}
    kwargs = dict(timeout=(min(left, timeout), min(left, timeout)), proxies=proxies, headers=headers, stream=True)
    if method == "post":
        response = requests.post(url, data=params, **kwargs)
    else:
        response = requests.get(url, params=params, **kwargs)
    with response:
        encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            decoder = zlib.decompressobj()
        elif encoding in ("identity", ""):
            decoder = None
        else:
            raise ReplyError(f"the reply is encoded as {encoding!r}, which is not supported")
        body = _read_body(response, encoding, decoder, deadline, timeout)
        text = bytes(body).decode(response.encoding or "utf-8", "replace")
        return response.status_code, dict(response.headers), text


def _read_body(response, encoding: str, decoder, deadline: float, timeout: float) -> bytearray:
    """The reply's body, capped, decompressed; a connection cut mid-body is a ReplyError."""
    import zlib

    import requests
    import urllib3

    try:
        return _read_capped(response, encoding, decoder, deadline, timeout)
    except urllib3.exceptions.HTTPError as e:  # IncompleteRead, a reset connection: urllib3's own, not requests'
        reason = e.args[1] if len(e.args) > 1 and isinstance(e.args[1], Exception) else e
        if isinstance(reason, urllib3.exceptions.IncompleteRead):
            raise ReplyError(f"the reply was cut short ({reason.partial} bytes received, "
                             f"{reason.expected} more announced)") from None
        raise ReplyError(f"the connection broke during the reply ({type(reason).__name__})") from None
    except (zlib.error, requests.exceptions.ChunkedEncodingError) as e:  # pragma: no cover - defensive
        raise ReplyError(f"the reply is damaged ({e})") from None


def _read_capped(response, encoding: str, decoder, deadline: float, timeout: float) -> bytearray:
    import zlib

    import requests

    received = 0
    body = bytearray()
    for chunk in response.raw.stream(65536, decode_content=False):
        received += len(chunk)
        if received > MAX_REPLY_BYTES:
            raise ReplyError(f"the reply is larger than {MAX_REPLY_BYTES // (1024 * 1024)} MB; refused")
        if decoder is None:
            body += chunk
        else:
            try:
                body += decoder.decompress(chunk, MAX_DECODED_BYTES - len(body) + 1)
            except zlib.error as e:
                raise ReplyError(f"the reply's {encoding} data is damaged ({e})") from None
            if decoder.unconsumed_tail:  # more than the cap is waiting
                raise ReplyError(_too_large_decoded())
        if len(body) > MAX_DECODED_BYTES:
            raise ReplyError(_too_large_decoded())
        if time.monotonic() > deadline:
            raise requests.Timeout(f"no complete answer within {timeout:g} s")
    if decoder is not None:
        body += decoder.flush()
        if len(body) > MAX_DECODED_BYTES:
            raise ReplyError(_too_large_decoded())
    return body


def _too_large_decoded() -> str:
    return f"the reply decompresses to more than {MAX_DECODED_BYTES // (1024 * 1024)} MB; refused"


def max_matches(text: str) -> int:
    """The most matches a reply may hold for ``text``: one per character at most, and never more
    than 50,000 (200,000 matches would cost gigabytes as findings)."""
    return min(50_000, max(1_000, len(text)))


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def match_problem(m: Any) -> str | None:
    """What is wrong with one match of a reply, or None (offsets are checked against the text
    separately)."""
    if not isinstance(m, dict):
        return "not an object"
    if not _is_int(m.get("offset")) or not _is_int(m.get("length")) or m["offset"] < 0 or m["length"] < 0:
        return "offset and length must be whole numbers, 0 or more"
    rule = m.get("rule")
    if not isinstance(rule, dict) or not isinstance(rule.get("id"), str) or not rule["id"]:
        return "no rule id"
    if not isinstance(rule.get("category"), dict) or not isinstance(rule["category"].get("id"), str):
        return "no rule category"
    if "issueType" in rule and not isinstance(rule["issueType"], (str, type(None))):
        return "issueType is not text"
    if not isinstance(m.get("message"), str):
        return "the message is not text"
    reps = m.get("replacements")
    if reps is not None and (not isinstance(reps, list)
                             or not all(isinstance(r, dict) and isinstance(r.get("value"), str) for r in reps)):
        return "replacements must be a list of {\"value\": text}"
    return None


def _reason(e: Exception) -> str:
    text = str(e)
    for marker in ("Connection refused", "Name or service not known", "No route to host",
                   "Temporary failure in name resolution", "Connection reset", "Network is unreachable"):
        if marker in text:
            return marker.lower()
    return text.splitlines()[0][:160] if text else type(e).__name__


def _first_line(body: str) -> str:
    line = " ".join(body.strip().split())[:160]
    return f": {line}" if line else ""


def _retry_after(header: str | None, attempt: int) -> float:
    try:
        wait = float(header) if header is not None else 2.0 ** attempt
    except ValueError:
        wait = 2.0 ** attempt
    return max(0.0, min(wait, MAX_BACKOFF))


# --------------------------------------------------------------------------------------------
# the engine


def is_public(url: str) -> bool:
    host = urllib.parse.urlparse(url if "//" in url else "http://" + url).hostname or ""
    return host == "languagetool.org" or host.endswith(".languagetool.org")


class LanguageToolEngine:
    """LanguageTool for one run: a server (URL) or the managed local one, started on first use."""

    name = SOURCE

    def __init__(self, server: str, *, timeout: float = DEFAULT_TIMEOUT, enable: Iterable[str] = (),
                 disable: Iterable[str] = (), select: Iterable[str] | None = None,
                 ignore: Iterable[str] | None = None, language: str = "en-US", required: bool = True,
                 max_bytes: int | None = None):
        if server in ("", "off"):
            raise ValueError("LanguageToolEngine needs 'local' or a URL")
        if server != "local" and not urllib.parse.urlparse(server).scheme in ("http", "https"):
            raise EngineError(f"--languagetool: expected off, local or an http(s):// URL, not {server!r}")
        if not math.isfinite(timeout) or timeout <= 0:
            raise EngineError(f"--languagetool-timeout must be a finite number of seconds, more than 0 (got {timeout:g})")
        self.server = server
        self.timeout = float(timeout)
        self.language = language
        self.required = required
        self.select = list(select or [])
        self.ignore = list(ignore or [])
        exact_on = {p[len(PREFIX):] for p in self.select if p.startswith(PREFIX) and len(p) > len(PREFIX)}
        exact_off = {p[len(PREFIX):] for p in self.ignore if p.startswith(PREFIX) and len(p) > len(PREFIX)}
        self.enabled = (set(enable) | exact_on) - exact_off
        self.disabled = (set(OFF_BY_DEFAULT) | set(disable) | exact_off) - self.enabled
        public = server != "local" and is_public(server)
        self.max_bytes = max_bytes or (PUBLIC_MAX_BYTES if public else SERVER_MAX_BYTES)
        self._min_interval = PUBLIC_MIN_INTERVAL if public else 0.0
        self.active = engine_wanted(PREFIX, self.select, self.ignore)
        self._tool = None
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="languagetool")
        self._cache: dict[str, list[dict]] = {}
        self.failed: str | None = None
        self.requests = 0

    def describe(self) -> str:
        if self.failed:
            return f"failed ({self.failed})"
        return f"on ({'local server' if self.server == 'local' else self.server})"

    # -- the server ------------------------------------------------------------------------

    def open(self):
        """Connect (URL) or start the managed server (local); an EngineError says why not."""
        with self._lock:
            if self._tool is not None:
                return self._tool
            cls = client_class()
            import requests
            from language_tool_python.exceptions import LanguageToolError

            try:
                if self.server == "local":
                    tool = cls(self.language, timeout=self.timeout)
                else:
                    tool = cls(self.language, remote_server=self.server, timeout=self.timeout,
                               min_interval=self._min_interval)
            except LanguageToolError as e:
                raise EngineError(str(e)) from None
            except requests.RequestException as e:  # the managed server's first-use download
                if self.server != "local":
                    raise EngineError(f"LanguageTool at {self.server}: {_reason(e)}") from None
                raise EngineError("LanguageTool (local): cannot download LanguageTool (needed once, then it runs "
                                  f"offline; or use --languagetool URL): {_reason(e)}") from None
            except ModuleNotFoundError as e:  # confirm_java_compatibility: no java on PATH
                raise EngineError(f"LanguageTool (local) needs Java 17 or later: {e}") from None
            except SystemError as e:  # java too old
                raise EngineError(f"LanguageTool (local): {e}") from None
            except ValueError as e:  # the language is not offered by the server
                raise EngineError(f"LanguageTool at {self.server}: {e}") from None
            except Exception as e:  # noqa: BLE001 - download or start-up failures of the local server
                where = "LanguageTool (local)" if self.server == "local" else f"LanguageTool at {self.server}"
                first = (str(e).splitlines() or [type(e).__name__])[0][:200]
                raise EngineError(f"{where}: {first}") from None
            tool.disabled_rules = set(self.disabled)
            tool.enabled_rules = set(self.enabled)
            self._tool = tool
            return tool

    def close(self) -> None:
        tool, self._tool = self._tool, None
        if tool is not None:
            try:
                tool.close()
            except Exception:  # noqa: BLE001 - shutting down: nothing left to report to
                pass
        self._pool.shutdown(wait=False)

    # -- the engine protocol ---------------------------------------------------------------

    def start(self, segments: Sequence[Segment]) -> Future | None:
        if self.failed or not self.active:
            return None
        return self._pool.submit(self._check, list(segments))

    def finish(self, handle: Future | None, segments: Sequence[Segment], text: str) -> list[Finding]:
        if handle is None:
            return []
        try:
            results = handle.result()
        except EngineError as e:
            if self.required:
                raise
            self.failed = str(e)
            warn_once(f"{e}; continuing without LanguageTool")
            return []
        out = []
        for joined, matches in results:
            out.extend(self.to_findings(matches, joined, segments, text))
        return out

    # -- work ------------------------------------------------------------------------------

    def requests_for(self, segments: Sequence[Segment]) -> list[Joined]:
        """The texts to send: whole segments packed into as few requests as fit; a segment too
        long for one request is cut at sentence ends."""
        from editor.nlp import chunks

        limit = self.max_bytes
        parts: list[tuple[int, int, int]] = []
        for i, seg in enumerate(segments):
            if not seg.text.strip():
                continue
            if len(seg.text.encode("utf-8")) <= limit:
                parts.append((i, 0, len(seg.text)))
            else:  # chunks of at most limit/4 characters: at most limit bytes even at 4 bytes each
                parts.extend((i, a, b) for a, b in chunks(seg.text, max(limit // 8, 1)))
        out: list[Joined] = []
        batch: list[tuple[int, int, int]] = []
        size = 0
        for si, a, b in parts:
            n = len(segments[si].text[a:b].encode("utf-8")) + 2
            if batch and size + n > limit:
                out.append(Joined.of(segments, batch))
                batch, size = [], 0
            batch.append((si, a, b))
            size += n
        if batch:
            out.append(Joined.of(segments, batch))
        return out

    def _check(self, segments: Sequence[Segment]) -> list[tuple[Joined, list[dict]]]:
        from language_tool_python.exceptions import LanguageToolError

        tool = self.open()
        out = []
        for joined in self.requests_for(segments):
            cached = self._cache.get(joined.text)
            if cached is None:
                try:
                    cached = tool.check_raw(joined.text)
                except LanguageToolError as e:
                    raise EngineError(str(e)) from None
                self.requests += 1
                if len(self._cache) > 256:
                    self._cache.clear()
                self._cache[joined.text] = cached
            out.append((joined, cached))
        return out

    def to_findings(self, matches: list[dict], joined: Joined, segments: Sequence[Segment], text: str) -> list[Finding]:
        out = []
        for m in matches:
            start, end = m["offset"], m["offset"] + m["length"]
            where = joined.locate(start, end)
            if where is None:
                continue
            rule = m["rule"]
            code = PREFIX + str(rule["id"])
            if not rule_selected(code, True, self.select, self.ignore):
                continue
            si, s, e = where
            category, severity = _category(rule)
            reps = [(s, e, r) for r in m.get("_replacements", [])[:5]]
            name = "lt-" + str(rule["id"]).lower().replace("_", "-")
            f = make_finding(
                segments=segments, text=text, seg_index=si, start=s, end=e, code=code, name=name,
                category=category, severity=severity, message=str(m.get("message") or rule.get("description") or code),
                source=SOURCE, replacements=reps, safe=False,
            )
            if f is not None:
                out.append(f)
        return out


def _category(rule: dict) -> tuple[str, Severity]:
    issue = str(rule.get("issueType") or "")
    cat_id = str(rule.get("category", {}).get("id") or "")
    category, severity = ISSUE_TYPES.get(issue, ("grammar", Severity.WARNING))
    if cat_id in CATEGORIES:
        category = CATEGORIES[cat_id]
    elif cat_id and issue not in ISSUE_TYPES:
        category = "style"
        severity = Severity.INFO
    return category, severity


# --------------------------------------------------------------------------------------------
# settings: CLI > environment > configuration file > default (off)

ENV = "CLEANUP_LANGUAGETOOL"


def resolve_setting(cli_value: str | None, env: dict, config) -> tuple[str, str]:
    """(setting, where it came from): ``off``, ``local`` or a URL; from "cli", "env", "config"
    or "default"."""
    if cli_value:
        return cli_value.strip(), "cli"
    if env.get(ENV, "").strip():
        return env[ENV].strip(), "env"
    value = getattr(config, "languagetool", None) if config is not None else None
    if value and value != "off":
        return str(value).strip(), "config"
    if value == "off" and config is not None and getattr(config, "source", None) is not None:
        return "off", "config"
    return "off", "default"


def static_rules_note() -> list[str]:
    """What ``cleanup rules`` says about LanguageTool: its rules live on the server."""
    lines = [f"{'LT/*':40} languagetool  the server's English rules, with --languagetool local|URL "
             "(https://community.languagetool.org/rule/list?lang=en)"]
    for rid, why in sorted(OFF_BY_DEFAULT.items()):
        lines.append(f"{'LT/' + rid:40} languagetool  {why}  (opt-in)")
    return lines
