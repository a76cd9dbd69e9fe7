"""A small real HTTP server on 127.0.0.1 speaking LanguageTool's documented HTTP API (v2).

- ``GET /v2/languages`` → ``[{"name", "code", "longCode"}, ...]``
- ``POST /v2/check`` (form-encoded; ``GET`` with a query string works too): ``text`` or ``data``
  (the JSON annotation format: ``{"annotation": [{"text": ...}, {"markup": ..., "interpretAs": ...}]}``),
  ``language`` (required), ``enabledRules``, ``disabledRules``, ``enabledOnly``,
  ``disabledCategories``, ``enabledCategories``, ``level``, ``motherTongue``, ``preferredVariants``.
  The reply has ``software``, ``language`` and ``matches`` (``message``, ``shortMessage``,
  ``replacements[{value}]``, ``offset``, ``length``, ``context{text, offset, length}``,
  ``sentence``, ``rule{id, description, issueType, category{id, name}}``), with offsets and
  lengths in UTF-16 code units, as the Java server counts them.

Its "rules" are a handful of deterministic checks (enough to test an integration, not a grammar
checker): a misspelling list (MORFOLOGIK_RULE_EN_US), "a" before a vowel (EN_A_VS_AN), doubled
words (ENGLISH_WORD_REPEAT_RULE), runs of spaces (WHITESPACE_RULE), "he go" (HE_VERB_AGR).

Failure modes (``server.mode``): ``"ok"``, ``"500"``/``"503"`` (an HTML error page, as a proxy
gives), ``"429"`` (rate limit for the next ``server.fail_count`` requests, then ok), ``"slow"``
(sleeps ``server.delay`` seconds before answering), ``"malformed"`` (a truncated JSON body),
``"bad-match"`` (a match without ``rule``).  ``max_text_length`` mimics the server's
``maxTextLength`` (HTTP 413).  Every request is recorded in ``server.requests``.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "English (Australian)", "code": "en", "longCode": "en-AU"},
    {"name": "English (Canadian)", "code": "en", "longCode": "en-CA"},
    {"name": "German", "code": "de", "longCode": "de"},
]
MISSPELLINGS = {"alot": ["a lot"], "teh": ["the"], "recieve": ["receive"], "hapy": ["happy", "hippy"], "Beijng": ["Beijing"]}
DEFAULT_OFF = {"TOO_LONG_SENTENCE"}


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def _rule(rid, description, issue, cat_id, cat_name):
    return {"id": rid, "description": description, "issueType": issue, "category": {"id": cat_id, "name": cat_name}}


RULES = {
    "MORFOLOGIK_RULE_EN_US": _rule("MORFOLOGIK_RULE_EN_US", "Possible spelling mistake", "misspelling", "TYPOS", "Possible Typo"),
    "EN_A_VS_AN": _rule("EN_A_VS_AN", "Use of 'a' vs. 'an'", "misspelling", "MISC", "Miscellaneous"),
    "ENGLISH_WORD_REPEAT_RULE": _rule("ENGLISH_WORD_REPEAT_RULE", "Word repetition (e.g. 'will will')", "duplication", "MISC", "Miscellaneous"),
    "WHITESPACE_RULE": _rule("WHITESPACE_RULE", "Whitespace repetition (bad formatting)", "whitespace", "TYPOGRAPHY", "Typography"),
    "HE_VERB_AGR": _rule("HE_VERB_AGR", "Agreement error: third person singular", "grammar", "GRAMMAR", "Grammar"),
    "TOO_LONG_SENTENCE": _rule("TOO_LONG_SENTENCE", "Readability: sentence over 40 words", "style", "STYLE", "Style"),
}


def find_problems(text: str):
    """(rule id, start, end, message, short message, replacements) in code points of ``text``."""
    out = []
    for m in re.finditer(r"[A-Za-z]+", text):
        if m.group() in MISSPELLINGS:
            out.append(("MORFOLOGIK_RULE_EN_US", m.start(), m.end(), "Possible spelling mistake found.",
                        "Spelling mistake", MISSPELLINGS[m.group()]))
    for m in re.finditer(r"\b([Aa]) ([aeiouAEIOU]\w*)", text):
        rep = "an" if m.group(1) == "a" else "An"
        out.append(("EN_A_VS_AN", m.start(1), m.end(1),
                    "Use “an” instead of ‘a’ if the following word starts with a vowel sound, e.g. ‘an article’, ‘an hour’.",
                    "Wrong article", [rep]))
    for m in re.finditer(r"\b(\w+) (\1)\b", text, re.I):
        out.append(("ENGLISH_WORD_REPEAT_RULE", m.start(2) - 1, m.end(2), "Possible typo: you repeated a word.",
                    "Word repetition", [""]))
    for m in re.finditer(r"(?<=\S)  +(?=\S)", text):
        out.append(("WHITESPACE_RULE", m.start(), m.end(), "Possible typo: you repeated a whitespace", "", [" "]))
    for m in re.finditer(r"\b(He|She|It|he|she|it) (go|have|do)\b", text):
        rep = {"go": "goes", "have": "has", "do": "does"}[m.group(2)]
        out.append(("HE_VERB_AGR", m.start(2), m.end(2),
                    "The pronoun ‘%s’ is usually used with a third-person or a past tense verb." % m.group(1),
                    "Grammatical problem", [rep]))
    for m in re.finditer(r"[^.!?\s][^.!?]*[.!?]", text):
        if len(m.group().split()) > 40:
            out.append(("TOO_LONG_SENTENCE", m.start(), m.end(), "This sentence is over 40 words long.", "", []))
    return sorted(out, key=lambda p: (p[1], p[2]))


def annotation_text(data: str) -> str:
    """The text LanguageTool checks for ``data``: text as is, markup replaced by interpretAs."""
    parts = json.loads(data)["annotation"]
    return "".join(p["text"] if "text" in p else p.get("interpretAs", "") for p in parts)


def check_reply(params: dict[str, str]) -> tuple[int, dict | str]:
    language = params.get("language")
    if not language:
        return 400, "Error: Missing 'language' parameter"
    if language not in {lang["longCode"] for lang in LANGUAGES} | {"auto"}:
        return 400, f"Error: '{language}' is not a language code known to LanguageTool."
    if "text" in params:
        text = params["text"]
    elif "data" in params:
        try:
            text = annotation_text(params["data"])
        except (ValueError, KeyError, TypeError):
            return 400, "Error: Could not parse JSON from 'data' parameter"
    else:
        return 400, "Error: Missing 'text' or 'data' parameter"
    enabled = {r for r in params.get("enabledRules", "").split(",") if r}
    disabled = {r for r in params.get("disabledRules", "").split(",") if r}
    disabled_cats = {c for c in params.get("disabledCategories", "").split(",") if c}
    only = params.get("enabledOnly") == "true"
    matches = []
    for rid, s, e, msg, short, reps in find_problems(text):
        rule = RULES[rid]
        if only and rid not in enabled:
            continue
        if rid in disabled or rule["category"]["id"] in disabled_cats:
            continue
        if rid in DEFAULT_OFF and rid not in enabled:
            continue
        cs, ce = max(0, s - 20), min(len(text), e + 20)
        sent_start = max(text.rfind(".", 0, s) + 1, 0)
        sent_end = text.find(".", e)
        sent_end = len(text) if sent_end < 0 else sent_end + 1
        matches.append({
            "message": msg,
            "shortMessage": short,
            "replacements": [{"value": r} for r in reps],
            "offset": utf16_len(text[:s]),
            "length": utf16_len(text[s:e]),
            "context": {"text": text[cs:ce], "offset": utf16_len(text[cs:s]), "length": utf16_len(text[s:e])},
            "sentence": text[sent_start:sent_end].strip(),
            "type": {"typeName": "Other"},
            "rule": rule,
            "ignoreForIncompleteSentence": False,
            "contextForSureMatch": 0,
        })
    return 200, {
        "software": {"name": "LanguageTool", "version": "6.6", "buildDate": "2025-03-27", "apiVersion": 1,
                     "status": "", "premium": False},
        "warnings": {"incompleteResults": False},
        "language": {"name": "English (US)", "code": language,
                     "detectedLanguage": {"name": "English (US)", "code": "en-US", "confidence": 0.99}},
        "matches": matches,
    }


class _Handler(BaseHTTPRequestHandler):
    server: "LTServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: str | dict, content_type: str = "application/json", headers=None):
        data = (json.dumps(body) if isinstance(body, (dict, list)) else body).encode("utf-8")
        if isinstance(body, str) and content_type == "application/json":
            content_type = "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, params: dict[str, str]):
        srv = self.server
        path = urllib.parse.urlparse(self.path).path
        with srv.lock:
            srv.requests.append((self.command, path, params))
            mode = srv.mode
            if mode == "429":
                if srv.fail_count > 0:
                    srv.fail_count -= 1
                else:
                    mode = "ok"
        if mode == "slow":
            time.sleep(srv.delay)
        if mode in ("500", "503"):
            return self._send(int(mode), "<html><body><h1>%s Service Unavailable</h1></body></html>" % mode, "text/html")
        if mode == "429":
            return self._send(429, "Error: Too many requests. Please try again later.", "text/plain",
                              {"Retry-After": str(srv.retry_after)})
        if path.rstrip("/") == "/v2/languages":
            return self._send(200, LANGUAGES)
        if path.rstrip("/") == "/v2/check":
            if mode == "malformed":
                return self._send(200, '{"software": {"name": "LanguageTool"}, "matches": [{"message": ', "application/json")
            text_len = len(params.get("text", params.get("data", "")))
            if srv.max_text_length and text_len > srv.max_text_length:
                return self._send(413, f"Error: Your text exceeds the limit of {srv.max_text_length} characters "
                                       f"(it's {text_len} characters). Please submit a shorter text.", "text/plain")
            status, body = check_reply(params)
            if mode == "bad-match" and isinstance(body, dict) and body["matches"]:
                del body["matches"][0]["rule"]
            return self._send(status, body)
        if path.rstrip("/") == "/v2/healthcheck":
            return self._send(200, "OK", "text/plain")
        return self._send(404, f"Error: no such endpoint {path}", "text/plain")

    def do_GET(self):
        query = urllib.parse.urlparse(self.path).query
        self._handle(dict(urllib.parse.parse_qsl(query, keep_blank_values=True)))

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8")
        self._handle(dict(urllib.parse.parse_qsl(body, keep_blank_values=True)))


class LTServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, dict]] = []
        self.mode = "ok"
        self.fail_count = 0
        self.retry_after = 0
        self.delay = 5.0
        self.max_text_length = 0
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> "LTServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def checks(self) -> list[dict]:
        return [p for m, path, p in self.requests if path.rstrip("/") == "/v2/check"]

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.mode = "ok"
            self.fail_count = 0
            self.retry_after = 0
            self.max_text_length = 0


if __name__ == "__main__":  # run it by hand: python tests/backends/lt_server.py
    srv = LTServer()
    print(srv.url, flush=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
