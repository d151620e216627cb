"""Stable, content-derived identifiers.

Ids never come from a clock or a random source, so rebuilding the warehouse from the same
inputs gives the same ids and the release files stay byte-identical.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_SEPARATOR = "\x1f"  # ASCII unit separator: cannot appear in a path or a field name.


def stable_id(*parts: object, length: int = 16) -> str:
    """Return a short hex digest of ``parts``.

    Args:
        *parts: Values that identify the thing; joined with a separator that cannot occur
            inside them, so ``("ab", "c")`` and ``("a", "bc")`` differ.
        length: Number of hex characters to keep (16 = 64 bits, enough for millions of rows).
    """
    joined = _SEPARATOR.join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def content_hash(text: str) -> str:
    """Hash of an article body; an unchanged body is never parsed twice."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes, read in 1 MiB blocks (files may be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def article_id(namespace: str, external_id: str) -> str:
    """Id of an article: where the record comes from, not what it says.

    An article whose text changes keeps its id and gets a new ``content_hash``.
    """
    return "a_" + stable_id(namespace, external_id)


def row_id(prefix: str, article: str, kind: str, start: int, end: int) -> str:
    """Id of an extracted row: its article, its kind and its character span."""
    return f"{prefix}_" + stable_id(article, kind, start, end)
