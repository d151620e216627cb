"""Compressed inputs: gzip, bzip2 and xz files, by their bytes, whatever their name says.

News exports ship compressed (Quotebank's ``.json.bz2``, crawls as ``.jsonl.gz``), and a
scraper may save a gzip response under a ``.txt`` name. Both are read: the file's first bytes
say whether and how it is compressed, and its name, less a ``.gz``/``.bz2``/``.xz`` suffix, says
what is inside (a ``.txt`` holding gzip is plain text). Decompression streams into a temporary
file with two limits, so a small file cannot expand into the disk (a "zip bomb"):

- the decompressed size: for a single document the reader's ``max_bytes``; for JSON lines
  (capped per line, not per file) :data:`MAX_LINES_FACTOR` times it;
- the expansion ratio: past :data:`MAX_RATIO` times the compressed bytes read (text compresses
  3 to 10 times; bombs compress a thousand times and more) once the output is past 1 MB.

A file past either limit is one ``too_large`` rejection; a corrupt stream is ``unreadable``.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import lzma
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

#: First bytes of each supported compression format, and how to open it.
FORMATS: dict[str, tuple[bytes, object]] = {
    "gzip": (b"\x1f\x8b", gzip.open),
    "bzip2": (b"BZh", bz2.open),
    "xz": (b"\xfd7zXZ\x00", lzma.open),
}

#: Name suffixes of compressed files, dropped to find the type of what is inside.
COMPRESSED_SUFFIXES = frozenset({".gz", ".gzip", ".bz2", ".xz"})

#: A compressed JSON-lines file may hold this many times ``max_bytes`` in all.
MAX_LINES_FACTOR = 100

#: Largest decompressed/compressed ratio accepted once past :data:`_RATIO_FLOOR` bytes.
MAX_RATIO = 200
_RATIO_FLOOR = 1 << 20
_BLOCK = 1 << 16


class TooLarge(ValueError):
    """The decompressed data is over a limit (see the module docstring)."""


def compression_of(path: Path) -> str | None:
    """``"gzip"``, ``"bzip2"``, ``"xz"`` or None, from the file's first bytes."""
    with path.open("rb") as handle:
        head = handle.read(8)
    for name, (magic, _) in FORMATS.items():
        if head.startswith(magic):
            return name
    return None


def inner_suffix(path: Path) -> str:
    """The suffix that says what a (possibly compressed) file holds: ``x.jsonl.gz`` is .jsonl."""
    suffix = path.suffix.lower()
    if suffix in COMPRESSED_SUFFIXES:
        return Path(path.stem).suffix.lower()
    return suffix


@contextlib.contextmanager
def decompressed(path: Path, kind: str, limit: int) -> Iterator[Path]:
    """A temporary file holding ``path`` decompressed, removed afterwards.

    Raises:
        TooLarge: When the output passes ``limit`` bytes or the ratio limit.
        OSError, EOFError, lzma.LZMAError: When the stream is corrupt.
    """
    _, opener = FORMATS[kind]
    handle, name = tempfile.mkstemp(prefix="newsledger-", suffix=".decompressed")
    os.close(handle)
    target = Path(name)
    try:
        with path.open("rb") as raw, opener(raw, "rb") as source, target.open("wb") as out:  # type: ignore[operator]
            _copy_capped(source, out, raw, limit)
        yield target
    finally:
        target.unlink(missing_ok=True)


def _copy_capped(source: IO[bytes], out: IO[bytes], raw: IO[bytes], limit: int) -> None:
    written = 0
    while block := source.read(_BLOCK):
        written += len(block)
        if written > limit:
            raise TooLarge(f"it decompresses to more than {limit:,} bytes")
        consumed = max(1, raw.tell())
        if written > _RATIO_FLOOR and written > MAX_RATIO * consumed:
            raise TooLarge(
                f"it expands more than {MAX_RATIO} times ({consumed:,} compressed bytes gave "
                f"{written:,}): a compression bomb, not text"
            )
        out.write(block)
