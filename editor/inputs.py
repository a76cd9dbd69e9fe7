"""What the command line reads and where it writes content: files, or ``-`` for standard input.

``cleanup - [--stdin-filename NAME]`` and ``cleanup check - …`` read one article from standard
input (any encoding :func:`editor.document.decode_article` reads); NAME is the path it is shown
as, configured as (the nearest configuration to NAME) and whose suffix decides the format
(Markdown when no name is given). ``--fix`` on standard input prints the fixed article to
standard output (in the input's encoding), as ruff does, and the findings go to standard error.
"""

from __future__ import annotations

import sys
from typing import Sequence

import click

from editor.document import SourceDocument, encode_article, read_document, read_stdin

STDIN = "-"


def uses_stdin(paths: Sequence[str]) -> bool:
    """Is standard input asked for? It must then be the only path (a usage error otherwise)."""
    if STDIN not in paths:
        return False
    if len(paths) > 1:
        raise click.UsageError("'-' (standard input) cannot be combined with other paths")
    return True


def display_path(stdin_name: str | None) -> str:
    return stdin_name or STDIN


def read_input(path: str, stdin: bool, stdin_name: str | None) -> SourceDocument:
    """The article at ``path``, or the one on standard input."""
    if not stdin:
        return read_document(path)
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    return read_stdin(data, stdin_name)


def write_stdout(data: bytes | str, doc: SourceDocument | None = None) -> None:
    """Content (a fixed article, a patch) on standard output as bytes: a fixed article in its own
    encoding and BOM, a patch as given."""
    if isinstance(data, str):
        data = encode_article(data, doc) if doc is not None else data.encode("utf-8")
    sys.stdout.flush()  # anything already echoed comes first
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # pragma: no cover - a text-only stdout (an embedding application)
        sys.stdout.write(data.decode("utf-8", "replace"))
        return
    out.write(data)
    out.flush()
