"""Plain-text articles: the title on the first line, then paragraphs."""

from __future__ import annotations

from pipeline.ingest.decode import NotText, decode_bytes
from pipeline.ingest.fields import RawRecord, Rejection


def read_txt(data: bytes, *, name: str, source_uri: str) -> RawRecord | Rejection:
    """Read one plain-text article.

    Args:
        data: The file's bytes (any of UTF-8, UTF-16 with BOM, cp1252, Latin-1).
        name: The file name (the article's external id).
        source_uri: Where it came from, relative.

    Returns:
        The record (title = first non-blank line, text = the rest), or a rejection for an
        empty or binary file.
    """
    if not data.replace(b"\x00", b"").strip():
        return Rejection(source_uri, name, "empty", "the file is empty or only whitespace")
    try:
        decoded = decode_bytes(data)
    except NotText as exc:
        return Rejection(source_uri, name, "binary", f"not a text file ({exc})")
    lines = decoded.text.lstrip("\ufeff").splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return Rejection(source_uri, name, "empty", "the file has no visible text")
    title = lines[start].strip()
    text = "\n".join(lines[start + 1 :])
    return RawRecord(
        namespace="file", external_id=name, source_uri=source_uri, title=title, text=text
    )
