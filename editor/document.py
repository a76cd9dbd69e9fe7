"""Reading articles: one coordinate system, the file text exactly as read."""

from __future__ import annotations

import bisect
import hashlib
import os
from dataclasses import dataclass, field

MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt",)
ARTICLE_SUFFIXES = MARKDOWN_SUFFIXES + TEXT_SUFFIXES


class InputError(Exception):
    """A problem with the user's input: reported as one line naming the file, exit code 2."""

    def __init__(self, path: str | os.PathLike | None, message: str):
        self.path = str(path) if path is not None else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path else message)


def format_of(path: str | os.PathLike) -> str:
    return "md" if str(path).lower().endswith(MARKDOWN_SUFFIXES) else "txt"


@dataclass
class SourceDocument:
    path: str
    text: str  # exactly as read (BOM removed, line endings kept)
    fmt: str = "txt"  # "md" | "txt"
    bom: bool = False
    mtime_ns: int | None = None
    size: int | None = None
    digest: str = ""
    _lines: "LineIndex | None" = field(default=None, repr=False)

    @property
    def lines(self) -> "LineIndex":
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    @classmethod
    def from_text(cls, text: str, path: str = "<text>", fmt: str | None = None) -> "SourceDocument":
        return cls(path=path, text=text, fmt=fmt or format_of(path), digest=content_hash(text))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def read_document(path: str | os.PathLike, fmt: str | None = None) -> SourceDocument:
    """Read an article as UTF-8. Raises InputError with a one-line reason."""
    from editor.paths import NotRegularFile, display, read_regular

    try:  # a FIFO, device or socket is refused at once (reading one would block or never end)
        data, st = read_regular(path)
    except FileNotFoundError:
        raise InputError(display(path), "no such file") from None
    except IsADirectoryError:
        raise InputError(display(path), "is a directory") from None
    except NotRegularFile as e:
        raise InputError(display(path), str(e)) from None
    except OSError as e:
        raise InputError(display(path), f"cannot read: {e.strerror or e}") from None
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # a NUL anywhere: binary
        raise InputError(display(path), "binary file, not an article")
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(
            display(path), f"not valid UTF-8 (byte 0x{data[e.start]:02x} at line {line}); convert it to UTF-8"
        ) from None
    if "\x00" in text:
        raise InputError(display(path), "binary file, not an article")
    return SourceDocument(
        path=str(path),
        text=text,
        fmt=fmt or format_of(path),
        bom=bom,
        mtime_ns=st.st_mtime_ns,
        size=st.st_size,
        digest=content_hash(text),
    )


class LineIndex:
    """Offset → (line, column), both 1-based; columns count code points. Built lazily."""

    def __init__(self, text: str):
        starts = [0]
        i = 0
        n = len(text)
        while True:
            j = text.find("\n", i)
            if j < 0:
                break
            starts.append(j + 1)
            i = j + 1
        # a lone CR (old Mac) also ends a line
        if "\r" in text:
            starts = sorted(set(starts) | {k + 1 for k, c in enumerate(text) if c == "\r" and (k + 1 >= n or text[k + 1] != "\n")})
        self.starts = starts
        self.length = n

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1
