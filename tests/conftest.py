"""Shared fixtures: the project's own data only (data/sample), so a plain clone can test."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
SEEDS = SAMPLE / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def gazetteer_path(tmp_path_factory) -> Path:
    """The gazetteer, built once per test session."""
    from pipeline.stages import ensure_gazetteer

    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.arrow"
    ensure_gazetteer(path, geonames_dir=ROOT / "data" / "gazetteer")
    return path


@pytest.fixture
def run_example() -> Callable[[str, Path], subprocess.CompletedProcess[str]]:
    """Run a documented Python example (the release card's) in a subprocess inside ``cwd``.

    Every statement and assertion of the example runs; the process then leaves without
    interpreter teardown, where pandas.read_parquet's Arrow I/O threads can abort on a busy
    machine after the work is done (apache/arrow#34314, documented in the card).
    """

    def run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        script = code + "\nimport os, sys\nsys.stdout.flush()\nos._exit(0)\n"
        return subprocess.run(
            [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True
        )

    return run
