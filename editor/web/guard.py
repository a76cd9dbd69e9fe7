"""Who may use ``cleanup serve`` and for how long: the Host and Origin checks, and read deadlines.

**Host** (DNS rebinding: a web page whose domain is made to resolve to 127.0.0.1 reaches a
loopback server with its own name in ``Host``). A request is answered when the name in its
``Host`` (the port is not compared: a port forward changes it, and a rebinding page cannot choose
the name) is

- the ``--host`` value, or a name given with ``--allow-host`` (repeatable; ``*``: any name);
- when bound to a loopback address: ``localhost``, ``127.0.0.1`` or ``[::1]``;
- when bound to another address or to all of them (``0.0.0.0``, ``::``): any IP address literal
  (what a client that typed the address sends; a rebinding page cannot send one), the loopback
  names and this machine's host name (``socket.gethostname()``). Other names clients use (a DNS
  alias, a proxy's name) need ``--allow-host``.

Anything else gets 421 (Misdirected Request) naming the accepted names; two ``Host`` headers 400.

**Origin** (a page on another site making the browser post to the service). A request with an
``Origin`` header is answered only when the origin is this server (its host and port equal the
``Host``; a ``Host`` without a port stands for the origin scheme's default port) or is listed
with ``--allow-origin`` (repeatable; ``scheme://host[:port]``, or ``null``). Allowed cross-origin
requests get ``Access-Control-Allow-Origin`` and preflight answers, so a page there can read the
reply. Others get 403. Without ``Origin`` (curl, scripts, the service's own form in older
browsers), a request is answered unless it is a POST a browser marks ``Sec-Fetch-Site:
cross-site``.

**Deadlines**: :class:`Deadlines` is one thread that cuts off a connection whose request line and
headers, or whose body, take longer than the read timeout (a client trickling one byte a second
defeats a per-read socket timeout): it shuts the socket's reading side, the blocked read returns
and the handler answers 408 and closes.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time

from editor.web.errors import HTTPError

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def split_host(value: str) -> tuple[str, int | None] | None:
    """``name:port`` or ``[v6]:port`` → (lower-case name without brackets or final dot, port or None);
    None when it is not a host."""
    value = value.strip()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[1:end], value[end + 1:]
        if rest and not rest.startswith(":"):
            return None
        port = rest[1:]
    else:
        name, _, port = value.partition(":")
    if port and not (port.isascii() and port.isdigit() and len(port) <= 5):
        return None
    name = name.lower().rstrip(".")
    if not name or not re.fullmatch(r"[a-z0-9._~%!$&'()*+,;=:-]+", name):
        return None
    return name, int(port) if port else None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def _host_name(value: str) -> str | None:
    """The name an option gives (``::1`` and ``[::1]`` alike)."""
    try:
        return str(ipaddress.ip_address(value.strip().strip("[]")))
    except ValueError:
        parsed = split_host(value)
        return parsed[0] if parsed else None


def normalize_origin(value: str) -> tuple[str, str, int] | None:
    """``scheme://host[:port]`` → (scheme, host, port with the scheme's default); None if it is not one."""
    m = re.fullmatch(r"(https?)://([^/?#@\s]+)/?", value.strip().lower())
    if not m:
        return None
    host = split_host(m.group(2))
    if host is None:
        return None
    scheme = m.group(1)
    return scheme, host[0], host[1] or (443 if scheme == "https" else 80)


class HostPolicy:
    """The names this server answers for and the origins it lets in (see the module's docstring)."""

    def __init__(self, host: str, bound: str, allow_hosts=(), allow_origins=()):
        self.any_host = "*" in allow_hosts
        self.names = {n for n in (_host_name(h) for h in (host, bound, *allow_hosts) if h != "*") if n}
        try:
            address = ipaddress.ip_address(bound.strip("[]"))
        except ValueError:
            address = None
        self.ip_literals = address is None or not address.is_loopback
        self.names |= LOOPBACK_NAMES
        if self.ip_literals:
            self.names.add(socket.gethostname().lower())
        self.origins, self.null_origin = set(), False
        for o in allow_origins:
            if o.strip().lower() == "null":
                self.null_origin = True
                continue
            parsed = normalize_origin(o)
            if parsed is None:
                raise ValueError(f"--allow-origin {o!r} is not an origin (scheme://host[:port], or null)")
            self.origins.add(parsed)

    def accepts_host(self, name: str) -> bool:
        return self.any_host or name in self.names or (self.ip_literals and _is_ip(name))

    def check(self, method: str, headers) -> str | None:
        """Raise HTTPError for a request this server must not answer; return the Origin to name in
        ``Access-Control-Allow-Origin`` for an allowed cross-origin request, else None."""
        hosts = headers.get_all("Host") or []
        if len(hosts) > 1:
            raise HTTPError(400, "more than one Host header")
        host = hosts[0].strip() if hosts else None
        parsed = split_host(host) if host is not None else None
        if not self.any_host:
            if host is None:
                raise HTTPError(400, "a Host header is required")
            if parsed is None or not self.accepts_host(parsed[0]):
                shown = ", ".join(sorted(self.names)) + (", IP addresses" if self.ip_literals else "")
                raise HTTPError(421, f"this server does not answer for Host {host!r} (only for {shown}; "
                                     "start it with --allow-host NAME to add a name)")
        return self._origin(method, headers, parsed)

    def _origin(self, method: str, headers, host: tuple[str, int | None] | None) -> str | None:
        origins = headers.get_all("Origin") or []
        if len(origins) > 1:
            raise HTTPError(400, "more than one Origin header")
        if not origins:
            if method not in SAFE_METHODS and headers.get("Sec-Fetch-Site", "").strip().lower() == "cross-site":
                raise HTTPError(403, "cross-site request refused (Sec-Fetch-Site: cross-site): a page on another "
                                     "site cannot use this service")
            return None
        origin = origins[0].strip()
        if origin.lower() == "null":
            if self.null_origin:
                return "null"
            if headers.get("Sec-Fetch-Site", "").strip().lower() == "same-origin":
                return None  # the service's own page under a no-referrer policy (a browser sets this header, no page can)
            raise HTTPError(403, "cross-origin request refused: Origin null (a sandboxed or local page); start "
                                 "cleanup serve with --allow-origin null to let such pages use it")
        parsed = normalize_origin(origin)
        if parsed is not None and host is not None:
            scheme, name, port = parsed
            if name == host[0] and port == (host[1] or (443 if scheme == "https" else 80)):
                return None  # same origin: the service's own page
        if parsed is not None and parsed in self.origins:
            return origin
        here = f"{host[0]}:{host[1]}" if host and host[1] else host[0] if host else "this server"
        raise HTTPError(403, f"cross-origin request refused: Origin {origin} is not this server ({here}); start "
                             f"cleanup serve with --allow-origin {origin} to let that site use it")


class Deadlines:
    """Cuts off connections whose current read outlasts its deadline (one thread for all of them)."""

    TICK = 0.05

    def __init__(self):
        self._armed: dict = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def arm(self, handler, seconds: float) -> None:
        """From now, ``handler`` (with ``.connection`` and ``.cut_off``) has ``seconds`` to finish reading."""
        with self._lock:
            handler.cut_off = False
            self._armed[handler] = time.monotonic() + seconds
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="cleanup-deadlines", daemon=True)
                self._thread.start()

    def disarm(self, handler) -> bool:
        """Stop watching ``handler``; True if it was cut off (its read ended early, at the deadline)."""
        with self._lock:
            self._armed.pop(handler, None)
            return handler.cut_off

    def _run(self) -> None:
        while True:
            time.sleep(self.TICK)
            now = time.monotonic()
            with self._lock:
                expired = [h for h, deadline in self._armed.items() if deadline <= now]
                for h in expired:
                    del self._armed[h]
                    h.cut_off = True
                    try:
                        h.connection.shutdown(socket.SHUT_RD)  # the blocked read returns what it has
                    except OSError:
                        pass
