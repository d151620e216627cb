"""The code version recorded in every release manifest."""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from types import ModuleType

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
    return f"{package_version()}+{sources_digest(('pipeline', 'contracts'))[:12]}"


def sources_digest(folders: Sequence[str]) -> str:
    """SHA-256 of every Python file under ``folders`` (of the project), with its path."""
    digest = hashlib.sha256()
    for folder in folders:
        for file in sorted((_ROOT / folder).rglob("*.py")):
            digest.update(file.relative_to(_ROOT).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def modules_version(*modules: ModuleType, libraries: Sequence[str] = ()) -> str:
    """Digest of the source of ``modules`` and the versions of ``libraries``.

    Stages record it with what they wrote, so new code (ours, or a library whose results they
    depend on) redoes their work even when the data did not change.
    """
    digest = hashlib.sha256()
    for module in modules:
        digest.update(module.__name__.encode())
        digest.update(inspect.getsource(module).encode("utf-8"))
    for library in libraries:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "missing"
        digest.update(f"{library}=={version}".encode())
    return digest.hexdigest()[:16]
