"""Shared fixtures: the project's own data only (data/sample), so a plain clone can test."""

import os
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

    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.parquet"
    ensure_gazetteer(path, geonames_dir=ROOT / "data" / "gazetteer")
    return path
