"""Turn raw bytes into text, or say why they are not text.

Inputs come from scrapers and exports of every age: UTF-8 with or without a byte-order mark,
UTF-16 with a byte-order mark, legacy Windows-1252 or Latin-1, stray NUL bytes. All of these
are articles and are decoded; only data that is clearly not text (images, archives, random
bytes) is refused.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# Signatures of common binary formats that can sit in an input folder by mistake.
_MAGIC = (
    b"\x89PNG",
    b"\xff\xd8\xff",  # JPEG
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",  # zip, docx, xlsx
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"\x7fELF",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"SQLite format 3",
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")
# More than this share of control characters (after NULs are removed) means binary data.
_MAX_CONTROL_SHARE = 0.05
# More than this share of NUL bytes means binary data (or UTF-16 without a byte-order mark).
_MAX_NUL_SHARE = 0.10


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes.

    Attributes:
        text: The decoded text, NUL characters removed.
        encoding: The codec that decoded it ("utf-8", "utf-16", "cp1252", "latin-1").
        nul_bytes: How many NUL characters were stripped.
    """

    text: str
    encoding: str
    nul_bytes: int


class NotText(ValueError):
    """The bytes are not text (binary data)."""


def looks_binary(data: bytes) -> bool:
    """Whether ``data`` starts with a known binary signature or is mostly NUL bytes."""
    if data.startswith(_MAGIC):
        return True
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    sample = data[:65536]
    return bool(sample) and sample.count(0) / len(sample) > _MAX_NUL_SHARE


def _control_share(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(
        1
        for ch in sample
        if ch == "\ufffd"
        or ((ord(ch) < 32 or 127 <= ord(ch) < 160) and ch not in _ALLOWED_CONTROLS)
    )
    return bad / len(sample)


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` as text, trying UTF-8 first, then legacy single-byte encodings.

    Args:
        data: Raw file or record bytes.

    Returns:
        The decoded text with NUL characters removed.

    Raises:
        NotText: When the bytes are binary data rather than text.
    """
    if looks_binary(data):
        raise NotText("binary signature or mostly NUL bytes")
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                # Latin-1 maps every byte; only the 5 bytes cp1252 leaves undefined get here.
                text, encoding = data.decode("latin-1"), "latin-1"
    nul = text.count("\x00")
    if nul:
        text = text.replace("\x00", "")
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise NotText("too many control characters for text")
    return Decoded(text=text, encoding=encoding, nul_bytes=nul)
