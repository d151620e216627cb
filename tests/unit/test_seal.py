"""The build seal holds only while nothing a later step reads has changed (no Dagster)."""

import os
from pathlib import Path

import pytest

from pipeline import seal
from pipeline.release import LATEST, MANIFEST
from pipeline.warehouse import TABLES, Warehouse, connect

GEONAMES = Path(__file__).resolve().parents[2] / "data" / "gazetteer"


@pytest.fixture
def warehouse(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    yield Warehouse(con)
    con.close()


@pytest.fixture
def releases(tmp_path):
    """A releases folder whose ``LATEST`` names release ``r1`` (its manifest is all that counts)."""
    root = tmp_path / "releases"
    (root / "r1").mkdir(parents=True)
    (root / "r1" / MANIFEST).write_text("{}")
    (root / LATEST).write_text("r1\n")
    return root


def _key(tmp_path: Path, releases: Path) -> str:
    gazetteer = tmp_path / "gazetteer.arrow"
    if not gazetteer.exists():
        gazetteer.write_bytes(b"cities")
    return seal.build_key(
        gazetteer=gazetteer, geonames_dir=GEONAMES, all_countries=None, releases=releases
    )


def test_every_warehouse_table_is_sealed_or_named_as_not_data():
    assert set(seal.UNSEALED_TABLES) <= TABLES  # no typo leaves a log table sealed
    assert set(seal.SEALED_TABLES) | set(seal.UNSEALED_TABLES) == TABLES
    assert {"articles", "nlp_docs", "claims", "stage_runs"} <= set(seal.SEALED_TABLES)


def test_no_seal_until_a_build_records_one(warehouse, tmp_path, releases):
    key = _key(tmp_path, releases)
    assert seal.holding_seal(warehouse, key, releases) is None
    recorded = seal.record_seal(warehouse, key, "r1", "run-1")
    assert seal.holding_seal(warehouse, key, releases) == recorded


def test_a_changed_row_breaks_the_seal_and_undoing_it_restores_it(warehouse, tmp_path, releases):
    key = _key(tmp_path, releases)
    warehouse.con.execute("INSERT INTO stage_runs VALUES ('claims', 'f1', '{}')")
    seal.record_seal(warehouse, key, "r1", "run-1")

    warehouse.con.execute("UPDATE stage_runs SET report = '{\"edited\": 1}'")
    assert seal.holding_seal(warehouse, key, releases) is None
    warehouse.con.execute("UPDATE stage_runs SET report = '{}'")
    assert seal.holding_seal(warehouse, key, releases) is not None


def test_logs_and_memos_do_not_break_the_seal(warehouse, tmp_path, releases):
    key = _key(tmp_path, releases)
    seal.record_seal(warehouse, key, "r1", "run-1")
    warehouse.record_contract_pass("articles", "digest", 0)
    assert seal.holding_seal(warehouse, key, releases) is not None


def test_another_key_or_a_missing_release_breaks_the_seal(warehouse, tmp_path, releases):
    key = _key(tmp_path, releases)
    seal.record_seal(warehouse, key, "r1", "run-1")
    assert seal.holding_seal(warehouse, key + "x", releases) is None

    (releases / LATEST).write_text("r0\n")  # LATEST points elsewhere
    assert seal.holding_seal(warehouse, key, releases) is None
    (releases / LATEST).write_text("r1\n")
    (releases / "r1" / MANIFEST).unlink()  # the release was deleted
    assert seal.holding_seal(warehouse, key, releases) is None


def test_the_key_follows_the_gazetteer_file_and_the_releases_folder(tmp_path, releases):
    key = _key(tmp_path, releases)
    assert _key(tmp_path, releases) == key  # stable

    gazetteer = tmp_path / "gazetteer.arrow"
    stat = gazetteer.stat()
    os.utime(gazetteer, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    moved = _key(tmp_path, releases)
    assert moved != key

    assert _key(tmp_path, tmp_path / "elsewhere") != moved
