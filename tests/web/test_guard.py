"""Who may use the HTTP service (editor/web/guard.py): the Host and Origin rules, in process, for
every way of binding (the real server's answers: tests/robustness/test_serve_hostile.py)."""

from __future__ import annotations

import socket
from http.client import HTTPMessage

import pytest

from editor.web.errors import HTTPError
from editor.web.guard import HostPolicy, normalize_origin, split_host


def headers(**values) -> HTTPMessage:
    m = HTTPMessage()
    for key, value in values.items():
        m[key.replace("_", "-")] = value
    return m


def status(policy: HostPolicy, method: str = "POST", **values) -> int:
    try:
        policy.check(method, headers(**values))
        return 200
    except HTTPError as e:
        return e.status


@pytest.mark.parametrize("value,expected", [
    ("localhost:8765", ("localhost", 8765)),
    ("[::1]:80", ("::1", 80)),
    ("Example.COM.", ("example.com", None)),
    ("a b", None), ("host:port", None), ("[::1", None), ("", None), ("x:123456", None),
])
def test_split_host(value, expected):
    assert split_host(value) == expected


def test_normalize_origin():
    assert normalize_origin("https://Editor.example") == ("https", "editor.example", 443)
    assert normalize_origin("http://127.0.0.1:8765/") == ("http", "127.0.0.1", 8765)
    assert normalize_origin("http://a/path") is None and normalize_origin("ftp://a") is None


def test_bound_to_loopback_only_loopback_names_and_the_given_ones():
    policy = HostPolicy("127.0.0.1", "127.0.0.1", allow_hosts=["dev.test"])
    for host in ("127.0.0.1:8765", "localhost", "[::1]:8765", "dev.test:9000", "LOCALHOST"):
        assert status(policy, Host=host) == 200, host
    for host in ("evil.example", "10.0.0.1", "127.0.0.1.nip.io", "[::2]"):
        assert status(policy, Host=host) == 421, host
    assert status(policy) == 400  # no Host at all


def test_bound_to_every_address_ip_literals_and_this_machine_but_no_other_name():
    policy = HostPolicy("0.0.0.0", "0.0.0.0")
    for host in ("192.168.1.20:8765", "[fe80::1]", "localhost", socket.gethostname()):
        assert status(policy, Host=host) == 200, host
    assert status(policy, Host="rebound.evil.example:8765") == 421
    assert status(HostPolicy("0.0.0.0", "0.0.0.0", allow_hosts=["*"]), Host="anything.example") == 200


def test_origins():
    policy = HostPolicy("127.0.0.1", "127.0.0.1", allow_origins=["https://editor.example"])
    assert status(policy, Host="127.0.0.1:8765", Origin="http://127.0.0.1:8765") == 200
    assert status(policy, Host="localhost", Origin="http://localhost:80") == 200  # default port on both sides
    assert status(policy, Host="127.0.0.1:8765", Origin="http://localhost:8765") == 403
    assert status(policy, Host="127.0.0.1:8765", Origin="null") == 403
    # the service's own form under a no-referrer policy: Chromium sends Origin null, and marks it same-origin
    assert status(policy, Host="127.0.0.1:8765", Origin="null", Sec_Fetch_Site="same-origin") == 200
    assert status(policy, Host="127.0.0.1:8765", Origin="null", Sec_Fetch_Site="cross-site") == 403
    assert policy.check("POST", headers(Host="127.0.0.1:8765", Origin="https://editor.example")) == \
        "https://editor.example"
    assert status(policy, Host="127.0.0.1:8765", Sec_Fetch_Site="cross-site") == 403
    assert status(policy, "GET", Host="127.0.0.1:8765", Sec_Fetch_Site="cross-site") == 200  # a link to the page
    assert status(policy, Host="127.0.0.1:8765") == 200  # curl, scripts
    with pytest.raises(ValueError, match="not an origin"):
        HostPolicy("127.0.0.1", "127.0.0.1", allow_origins=["editor.example"])
