"""An unchanged input record is not converted again: its stored article is kept (no Dagster)."""

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from pipeline.ingest import RawRecord, record_digest
from pipeline.stages import ingest
from pipeline.warehouse import RELEASE_TABLES, Warehouse, connect

FIELDS = {"text": "content_original"}


@pytest.fixture
def corpus(tmp_path, sample_dir):
    source = sample_dir / "jsonl" / "allsides-slice.jsonl"
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = tmp_path / "in" / "export.jsonl"
    path.parent.mkdir()
    path.write_text("\n".join(lines[:12]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def warehouse(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    yield Warehouse(con)
    con.close()


def _tables(wh):
    names = [*RELEASE_TABLES, "boilerplate"]
    return {name: wh.frame(f"SELECT * FROM {name} ORDER BY ALL") for name in names}


def test_unchanged_records_are_reused_and_change_nothing(warehouse, corpus):
    first = ingest(warehouse, [corpus], field_map=FIELDS)
    assert first.reused == 0 and first.new_or_changed == first.articles > 0
    before = _tables(warehouse)
    second = ingest(warehouse, [corpus], field_map=FIELDS)
    assert second.reused == second.articles == first.articles
    assert second.new_or_changed == 0
    assert (second.records, second.rejected, second.duplicates) == (
        first.records,
        first.rejected,
        first.duplicates,
    )
    for name, frame in _tables(warehouse).items():
        assert frame.equals(before[name]), name


def test_an_edited_record_is_converted_again(warehouse, corpus):
    ingest(warehouse, [corpus], field_map=FIELDS)
    lines = corpus.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[3])
    record["content_original"] = record["content_original"] + "\n\nA new closing paragraph."
    lines[3] = json.dumps(record)
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = ingest(warehouse, [corpus], field_map=FIELDS)
    assert again.new_or_changed == 1 and again.reused == again.articles - 1
    bodies = warehouse.frame("SELECT body FROM articles")["body"].to_list()
    assert any(body.endswith("A new closing paragraph.") for body in bodies)


def test_a_stored_row_changed_behind_ingest_is_restored(warehouse, corpus):
    ingest(warehouse, [corpus], field_map=FIELDS)
    before = _tables(warehouse)["articles"]
    target = before["article_id"][0]
    warehouse.con.execute("UPDATE articles SET title = 'tampered' WHERE article_id = ?", [target])
    again = ingest(warehouse, [corpus], field_map=FIELDS)
    assert again.reused == again.articles - 1 and again.new_or_changed == 1
    assert _tables(warehouse)["articles"].equals(before)


def test_a_new_field_mapping_or_code_version_is_a_new_record():
    raw = RawRecord(
        namespace="export.jsonl",
        external_id="x1",
        source_uri="in/export.jsonl",
        title="Convoy",
        text="Trucks reached Basra.",
        authors=("A", "B"),
        published_at=datetime(2018, 2, 5, tzinfo=UTC),
    )
    digest = record_digest(raw, "v1")
    assert record_digest(raw, "v1") == digest
    assert record_digest(raw, "v2") != digest
    for change in (
        {"title": None},
        {"text": "Trucks reached Basra. "},
        {"authors": ("A",)},
        {"authors": ("A, B",)},
        {"published_at": datetime(2018, 2, 6, tzinfo=UTC)},
        {"html": b"<p>Trucks</p>"},
        {"title": "Convoy", "url": ""},
    ):
        assert record_digest(dataclasses.replace(raw, **change), "v1") != digest, change
