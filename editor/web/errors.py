"""What the HTTP service's parts raise to end a request (editor/web/server.py turns them into replies)."""

from __future__ import annotations


class HTTPError(Exception):
    """A reply with this status and a one-line message (JSON ``{"error": …}``, plain text for the form).

    ``event``: a line for the server's log (a crashed or stopped check), or None.
    """

    def __init__(self, status: int, message: str, headers: dict | None = None, event: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.event = event


class ClientGone(Exception):
    """The client closed its connection while its request waited or ran: nobody to answer."""
