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
UTF16_NUL_SHARE = 0.7  # of the byte pairs with a NUL on one side: UTF-16 text in a Latin script
JAPANESE_KANA_SHARE = 0.1  # of the non-ASCII characters: Japanese prose is about half kana, a headline less


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
    if b"\x00" in head and _utf16_codec(data) is None:
        raise DecodeError("binary file (contains NUL bytes)")


def _utf16_codec(data: bytes) -> str | None:
    """UTF-16 by its byte-order mark, or, without one, by the NUL half of each character that text in a
    Latin script leaves on one side of every pair (Windows tools write UTF-16 without asking)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = data[:8192]
    pairs = len(head) // 2
    if pairs == 0:
        return None
    even_nuls, odd_nuls = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    if odd_nuls >= UTF16_NUL_SHARE * pairs and even_nuls <= (1 - UTF16_NUL_SHARE) * pairs:
        return "utf-16-le"
    if even_nuls >= UTF16_NUL_SHARE * pairs and odd_nuls <= (1 - UTF16_NUL_SHARE) * pairs:
        return "utf-16-be"
    return None


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    utf16 = _utf16_codec(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    western = _as_western(data)
    if western is not None:
        return western
    japanese = _as_japanese(data)
    if japanese is not None:
        return japanese
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


def _as_japanese(data: bytes) -> str | None:
    """Shift-JIS (as Windows writes it, cp932) when it decodes cleanly into text with kana.

    Statistical detection reads short Shift-JIS as Korean: both use the same
    byte ranges. Japanese prose is full of hiragana and katakana, which Korean
    bytes read as Shift-JIS never give (they come out as half-width katakana).
    """
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return None
    foreign = [ch for ch in text if not ch.isascii()]
    kana = sum(1 for ch in foreign if "\u3040" <= ch <= "\u30ff")
    return text if foreign and kana >= JAPANESE_KANA_SHARE * len(foreign) else None


def _control_share(text: str) -> float:
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) / max(len(sample), 1)
