"""The code version recorded in every release manifest."""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


def package_version() -> str:
    """The installed newsledger version."""
    try:
        return metadata.version("newsledger")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def code_version() -> str:
    """Package version plus a digest of the code that shapes the data.

    Hashing the sources (not a git sha) works in an sdist or a checkout with local changes, and
    is the same on every machine for the same code.
    """
    digest = hashlib.sha256()
    for folder in ("pipeline", "contracts"):
        for file in sorted((_ROOT / folder).rglob("*.py")):
            digest.update(file.relative_to(_ROOT).as_posix().encode())
            digest.update(file.read_bytes())
    return f"{package_version()}+{digest.hexdigest()[:12]}"
