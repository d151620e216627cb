"""The landing folder: which files are new or changed since the last look.

A sensor calls :func:`scan` with what it saw last time (its cursor) and requests a run for just
the files that changed. Files are compared by size and modification time first and by content
hash only when those moved, so a tick over a large, quiet folder reads almost nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.ids import file_sha256

#: Extensions the readers understand; anything else in the folder is ignored.
LANDING_EXTENSIONS = frozenset({".txt", ".html", ".htm", ".jsonl", ".json"})


@dataclass(frozen=True, slots=True)
class LandedFile:
    """A file in the landing folder as last seen."""

    path: str  # relative to the landing folder, POSIX separators
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Scan:
    """Result of one look at the landing folder."""

    changed: tuple[LandedFile, ...]  # new or changed content, sorted by path
    seen: dict[str, LandedFile]  # everything present now (the next cursor)

    def cursor(self) -> str:
        """The state to hand to the next scan, as a compact JSON string."""
        return json.dumps(
            {p: [f.size, f.mtime_ns, f.sha256] for p, f in sorted(self.seen.items())},
            separators=(",", ":"),
        )

    def batch_key(self) -> str:
        """Stable key of the changed content: the same change never triggers twice."""
        digest = hashlib.sha256()
        for landed in self.changed:
            digest.update(f"{landed.path}\x1f{landed.sha256}\n".encode())
        return digest.hexdigest()[:16]


def parse_cursor(cursor: str | None) -> dict[str, LandedFile]:
    """Read a cursor written by :meth:`Scan.cursor` (``None`` or junk: nothing seen yet)."""
    if not cursor:
        return {}
    try:
        raw = json.loads(cursor)
        return {p: LandedFile(p, int(v[0]), int(v[1]), str(v[2])) for p, v in raw.items()}
    except (ValueError, TypeError, KeyError, IndexError):
        return {}


def scan(root: Path, previous: Mapping[str, LandedFile]) -> Scan:
    """List readable files under ``root`` and tell which are new or changed.

    Hidden files and folders (a partial upload is usually written as one) are skipped.
    """
    seen: dict[str, LandedFile] = {}
    changed: list[LandedFile] = []
    if not root.is_dir():
        return Scan((), {})
    for file in sorted(root.rglob("*")):
        relative = file.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if not file.is_file() or file.suffix.lower() not in LANDING_EXTENSIONS:
            continue
        stat = file.stat()
        key = relative.as_posix()
        before = previous.get(key)
        if before and before.size == stat.st_size and before.mtime_ns == stat.st_mtime_ns:
            seen[key] = before
            continue
        landed = LandedFile(key, stat.st_size, stat.st_mtime_ns, file_sha256(file))
        seen[key] = landed
        if before is None or before.sha256 != landed.sha256:
            changed.append(landed)
    return Scan(tuple(changed), seen)
