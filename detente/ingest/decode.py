"""Bytes to text: refuse binary files, detect the encoding of text that is not UTF-8."""

from __future__ import annotations

import re
import unicodedata

from charset_normalizer import from_bytes

# Signatures of common binary formats users drop into a folder of reports by mistake.
BINARY_MAGIC = {
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP or Office file",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office file",
}
CONTROL_SHARE_LIMIT = 0.05
WESTERN_NON_ASCII_SHARE = 0.1


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class DecodeError(ValueError):
    """The input is not text we can read; the message says what it looks like."""


def decode_bytes(data: bytes) -> str:
    if not data.strip():
        raise DecodeError("empty file")
    _refuse_binary(data)
    text = _decode(data)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if _control_share(text) > CONTROL_SHARE_LIMIT:
        raise DecodeError("looks like a binary file (many control characters)")
    if not text.strip():
        raise DecodeError("empty file")
    return text


def _refuse_binary(data: bytes) -> None:
    for magic, what in BINARY_MAGIC.items():
        if data.startswith(magic):
            raise DecodeError(f"binary file ({what}); convert it to text or HTML first")
    head = data[:8192]
    if b"\x00" in head and not _is_utf16(head):
        raise DecodeError("binary file (contains NUL bytes)")


def _is_utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff"))


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    western = _as_western(data)
    if western is not None:
        return western
    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("unknown text encoding; save the file as UTF-8")
    return str(best)


def _as_western(data: bytes) -> str | None:
    """Windows-1252 when every non-ASCII character it gives is a Latin letter or typographic mark.

    Most non-UTF-8 English news is Windows-1252 (smart quotes, accented names);
    statistical detection guesses a Baltic or Cyrillic code page for short texts.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    foreign = [ch for ch in text if not ch.isascii()]
    if len(foreign) > WESTERN_NON_ASCII_SHARE * len(text):
        return None
    plausible = all(unicodedata.category(ch)[0] in "LPZS" for ch in foreign)
    return text if plausible else None


def _control_share(text: str) -> float:
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / max(len(sample), 1)
