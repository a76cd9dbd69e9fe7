"""Reading articles: one coordinate system, the file text exactly as read.

Articles are UTF-8 (with or without a BOM), UTF-16/UTF-32 (a BOM, or detected), or one of the
Chinese encodings scraped articles come in (GBK/GB2312/GB18030, Big5), detected with
charset-normalizer. Offsets are always code points of the decoded text; ``--fix`` writes back
in the same encoding (``SourceDocument.encoding``, ``SourceDocument.bom``). Bytes that are none of
these are an input error, never a guess at a Western code page (short Latin-1 text is
undecidable: charset-normalizer calls "Café" cp1006).
"""

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
    encoding: str = "utf-8"  # a Python codec name: how the file is read and written back
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
    """Read an article (UTF-8, UTF-16/32, GBK/GB18030, Big5). Raises InputError with a one-line reason."""
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
    text, encoding, bom = decode_article(data, display(path))
    return SourceDocument(
        path=str(path),
        text=text,
        fmt=fmt or format_of(path),
        bom=bom,
        encoding=encoding,
        mtime_ns=st.st_mtime_ns,
        size=st.st_size,
        digest=content_hash(text),
    )


def read_stdin(data: bytes, name: str | None = None, fmt: str | None = None) -> SourceDocument:
    """The article given on standard input (``cleanup -``): ``name`` (``--stdin-filename``) is
    the path it is shown and configured as, and decides the format (Markdown without a name)."""
    shown = name or "-"
    text, encoding, bom = decode_article(data, shown)
    return SourceDocument(path=shown, text=text, fmt=fmt or (format_of(name) if name else "md"), bom=bom,
                          encoding=encoding, digest=content_hash(text))


_BOMS = (  # longest first: the UTF-32-LE BOM begins with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# what charset-normalizer may name for an article (its names); anything else is not trusted
_DETECTED = {
    "gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030", "hz": "hz",
    "big5": "big5", "big5hkscs": "big5hkscs", "cp950": "cp950",
    "utf_16": "utf-16", "utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be",
    "utf_32": "utf-32", "utf_32_le": "utf-32-le", "utf_32_be": "utf-32-be",
}
ENCODING_NAMES = {"utf-8": "UTF-8", "gb18030": "GB18030 (GBK)", "hz": "HZ", "big5": "Big5",
                  "big5hkscs": "Big5-HKSCS", "cp950": "Big5 (cp950)", "utf-16-le": "UTF-16LE",
                  "utf-16-be": "UTF-16BE", "utf-32-le": "UTF-32LE", "utf-32-be": "UTF-32BE"}


def decode_article(data: bytes, path: str | os.PathLike | None = None) -> tuple[str, str, bool]:
    """(text, encoding, bom) of an article's bytes; InputError (naming ``path``) when they are
    binary or in no encoding we can tell. A BOM is not part of the text."""
    for mark, enc in _BOMS:
        if data.startswith(mark):
            try:
                text = data[len(mark):].decode(enc)
            except UnicodeDecodeError as e:
                raise InputError(path, f"not valid {ENCODING_NAMES.get(enc, enc)} despite its byte order mark "
                                       f"(at byte {e.start + len(mark)})") from None
            if "\x00" in text:
                raise InputError(path, "binary file, not an article")
            return text, enc, True
    nul = b"\x00" in data  # anywhere (issue 16): only UTF-16/32 may hold NUL bytes
    if not nul:
        try:
            return data.decode("utf-8"), "utf-8", False
        except UnicodeDecodeError as e:
            first_bad = e.start
        _refuse_encoded_surrogates(data, first_bad, path)
    else:
        first_bad = data.index(b"\x00")
    enc = detect_encoding(data)
    wide = enc is not None and enc.startswith(("utf-16", "utf-32"))
    # UTF-16/32 without a BOM only with NUL bytes (ASCII in UTF-16 has them; 4 bytes of Latin-1
    # read as UTF-16 are two CJK characters), and the Chinese encodings never have them
    if enc is not None and nul == wide:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            text = None
        if text is not None:
            if enc in ("utf-16", "utf-32"):  # detected with a BOM that we did not see: cannot happen
                enc += "-le"  # pragma: no cover
            if "\x00" not in text and not _looks_binary(text) and (not wide or _plausible_without_bom(text)):
                return text, enc, False
    if nul:
        raise InputError(path, "binary file, not an article")
    line = data[:first_bad].count(b"\n") + 1
    raise InputError(path, f"not valid UTF-8 (byte 0x{data[first_bad]:02x} at line {line}) and not GBK, GB18030, "
                           "Big5 or UTF-16 either; convert it to UTF-8")


def _refuse_encoded_surrogates(data: bytes, first_bad: int, path) -> None:
    """UTF-16 surrogates written as UTF-8 bytes (CESU-8, Java's "modified UTF-8", WTF-8) are not
    UTF-8, and would otherwise be taken for GB18030 and read as Chinese characters."""
    try:
        data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return  # invalid as UTF-8 for another reason: some other encoding, perhaps
    line = data[:first_bad].count(b"\n") + 1
    raise InputError(path, f"not valid UTF-8: UTF-16 surrogates encoded as UTF-8 (CESU-8) at line {line} "
                           f"(bytes 0x{data[first_bad]:02x} 0x{data[first_bad + 1]:02x}); convert it to UTF-8")


def detect_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess as a Python codec, if it is one we trust for articles."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a dependency; without it only UTF-8 and BOMs are read
        return None
    best = from_bytes(data[:1_000_000]).best()
    if best is None:
        return None
    return _DETECTED.get(best.encoding)


def _looks_binary(text: str) -> bool:
    """Control characters other than tab/newline/CR/form feed in the decoded text: not prose."""
    sample = text[:8192]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or c == "\ufffd")
    return bad > max(2, len(sample) // 200)


def _plausible_without_bom(text: str) -> bool:
    """UTF-16/32 without a BOM is believed only for text that reads as text: a few words with
    spaces or line breaks between them, not two bytes that happen to decode ("\\x00\\x01")."""
    return len(text) >= 8 and any(c in " \n" for c in text) and sum(c.isprintable() or c in "\t\r\n" for c in text) >= 0.95 * len(text)


def encode_article(text: str, doc: "SourceDocument", original: bytes | None = None) -> bytes:
    """``text`` as the bytes of ``doc``'s file: its encoding, its BOM; InputError naming the file
    when a character (a fix's dash or quote) has no place in that encoding.

    ``original``: the file's bytes as read. Some encodings have two byte sequences for one
    character (Big5 writes 兀 as A461 or C94A, both read as U+5140), so encoding the whole text
    again would change bytes nobody edited; given the original, only the changed lines are
    encoded again and every other byte is kept as it was."""
    data = ("\ufeff" if doc.bom else "") + text
    try:
        if original is not None and doc.encoding != "utf-8":
            return splice_encoded(original, data, doc.encoding)
        return data.encode(doc.encoding)
    except UnicodeEncodeError as e:
        ch = e.object[e.start]
        raise InputError(doc.path, f"cannot write {ch!r} (U+{ord(ch):04X}) in {ENCODING_NAMES.get(doc.encoding, doc.encoding)}, "
                                   "the file's encoding; write it as UTF-8 with --output, or reject that change") from None


def splice_encoded(original: bytes, text: str, encoding: str) -> bytes:
    """``text`` encoded, keeping ``original``'s bytes for every line the text did not change
    (UnicodeEncodeError as ``str.encode``). Only for encodings where a line feed byte is always a
    line feed (UTF-8, GB18030, Big5, …: not UTF-16/32); otherwise, or when the original does not
    decode, the whole text is encoded."""
    whole = text.encode(encoding)
    if whole == original or encoding.startswith(("utf-16", "utf-32")):
        return whole
    try:
        before = original.decode(encoding)
    except UnicodeDecodeError:
        return whole
    old_raw, old_lines, new_lines = original.split(b"\n"), before.split("\n"), text.split("\n")
    if len(old_raw) != len(old_lines) or any(r.decode(encoding) != t for r, t in zip(old_raw, old_lines)):
        return whole
    import difflib

    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(old_raw[i1:i2])
        elif i2 - i1 == j2 - j1:  # lines edited in place: keep the bytes of their unchanged characters too
            out.extend(_splice_line(old_raw[i], old_lines[i], new_lines[j1 + i - i1], encoding) for i in range(i1, i2))
        else:
            out.extend(line.encode(encoding) for line in new_lines[j1:j2])
    spliced = b"\n".join(out)
    return spliced if spliced.decode(encoding) == text else whole


def _splice_line(raw: bytes, old: str, new: str, encoding: str) -> bytes:
    import codecs
    import difflib

    decoder, starts, begin = codecs.getincrementaldecoder(encoding)(), [], 0
    for i in range(len(raw)):  # where each character's bytes begin
        got = decoder.decode(raw[i:i + 1])
        if got:
            starts.extend([begin] * len(got))
            begin = i + 1
    if len(starts) != len(old):
        return new.encode(encoding)
    starts.append(len(raw))
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        parts.append(raw[starts[i1]:starts[i2]] if op == "equal" else new[j1:j2].encode(encoding))
    return b"".join(parts)


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
