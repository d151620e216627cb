"""A pass's writes wait in files beside the warehouse and reach it chunk by chunk after a kill."""

import duckdb
import polars as pl
import pytest

from pipeline import articles, nlp, warehouse_schema
from pipeline.pass_journal import (
    ChunkWrites,
    ParseWrites,
    PassJournal,
    StageWrites,
    journal_folder,
)
from pipeline.tables import to_frame
from pipeline.warehouse import Warehouse
from pipeline.warehouse_connect import connect


def _article(warehouse: Warehouse, article_id: str, content_hash: str) -> None:
    warehouse.con.execute(
        """
        INSERT INTO articles (article_id, external_id, source_uri, outlet, authors, body,
                              word_count, content_hash)
        VALUES (?, ?, 'test', 'Outlet', [], 'A body.', 2, ?)
        """,
        [article_id, article_id, content_hash],
    )


def _docs(*pairs: tuple[str, bytes], model: str = "m") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "content_hash": [h for h, _ in pairs],
            "model": [model] * len(pairs),
            "doc": [blob for _, blob in pairs],
        },
        schema={"content_hash": pl.String, "model": pl.String, "doc": pl.Binary},
    )


def _writes(docs: pl.DataFrame, *articles_: tuple[str, str], location: bool = True) -> ChunkWrites:
    processed = pl.DataFrame(
        {"article_id": [a for a, _ in articles_], "content_hash": [h for _, h in articles_]}
    )
    rows = [
        {"location_id": f"l-{a}", "article_id": a, "text": "Paris", "start": 0, "end": 5}
        | {"confidence": 1.0}
        for a, _ in articles_
    ]
    table = to_frame("locations", rows)
    if not location:  # a row the table refuses (no key)
        table = table.with_columns(location_id=pl.lit(None, pl.String))
    stage = StageWrites(
        "locations", "v1", processed, {"locations": table}, to_frame("quarantine", [])
    )
    return ChunkWrites(docs, ParseWrites(processed, to_frame("quarantine", [])), [stage])


def _cached(warehouse: Warehouse) -> dict[str, bytes]:
    return dict(warehouse.con.execute("SELECT content_hash, doc FROM nlp_docs").fetchall())


def _done(warehouse: Warehouse) -> list[str]:
    return [
        r[0]
        for r in warehouse.con.execute("SELECT article_id FROM locations ORDER BY 1").fetchall()
    ]


def test_writes_stay_in_files_until_the_flush_commits_them(tmp_path):
    warehouse = Warehouse(connect(tmp_path / "w.duckdb"))
    for a, h in (("a1", "h1"), ("a2", "h2"), ("a3", "h2")):
        _article(warehouse, a, h)
    journal = PassJournal(warehouse)
    assert journal.folder == tmp_path / "w.duckdb.pass"
    journal.add(_writes(_docs(("h1", b"\x01")), ("a1", "h1")))
    journal.add(_writes(_docs(("h2", b"\x02")), ("a2", "h2"), ("a3", "h2")))
    assert _cached(warehouse) == {} and _done(warehouse) == []
    assert journal.flush() == 2
    assert _cached(warehouse) == {"h1": b"\x01", "h2": b"\x02"}
    assert _done(warehouse) == ["a1", "a2", "a3"]
    assert warehouse.pending("locations", "v1").height == 0
    assert not journal.folder.exists()
    assert journal.flush() == 0


def test_a_killed_pass_leaves_whole_chunks_the_next_flush_commits(tmp_path):
    path = tmp_path / "w.duckdb"
    warehouse = Warehouse(connect(path))
    _article(warehouse, "a1", "h1")
    _article(warehouse, "a2", "h2")
    killed = PassJournal(warehouse)
    killed.add(_writes(_docs(("h1", b"\x01"), ("h2", b"\x02")), ("a1", "h1"), ("a2", "h2")))
    assert killed.folder is not None
    (killed.folder / ".00000002.tmp").mkdir()  # a chunk the kill left half written
    warehouse.con.execute("UPDATE articles SET content_hash = 'h2b' WHERE article_id = 'a2'")
    warehouse.con.close()
    again = Warehouse(connect(path))
    assert PassJournal(again).flush() == 1
    assert _cached(again) == {"h1": b"\x01", "h2": b"\x02"}  # docs are keyed by body: kept
    assert _done(again) == ["a1"]  # a2's body changed since: its rows are not the body's
    assert again.pending("locations", "v1")["article_id"].to_list() == ["a2"]
    assert not (tmp_path / "w.duckdb.pass").exists()


def test_a_chunk_the_warehouse_refuses_is_dropped_and_its_error_raised(tmp_path):
    warehouse = Warehouse(connect(tmp_path / "w.duckdb"))
    _article(warehouse, "a1", "h1")
    _article(warehouse, "a2", "h2")
    journal = PassJournal(warehouse)
    journal.add(_writes(_docs(("h1", b"\x01")), ("a1", "h1"), location=False))
    journal.add(_writes(_docs(("h2", b"\x02")), ("a2", "h2")))
    with pytest.raises(duckdb.Error, match="NOT NULL"):
        journal.flush()
    assert _cached(warehouse) == {"h2": b"\x02"} and _done(warehouse) == ["a2"]
    assert warehouse.pending("locations", "v1")["article_id"].to_list() == ["a1"]
    assert journal.flush() == 0  # never blocks a later pass


def test_a_warehouse_in_memory_commits_at_once():
    con = duckdb.connect()
    warehouse_schema.ensure_schema(con)
    warehouse = Warehouse(con)
    _article(warehouse, "a1", "h1")
    assert journal_folder(warehouse) is None
    PassJournal(warehouse).add(_writes(_docs(("h1", b"\x01")), ("a1", "h1")))
    assert _cached(warehouse) == {"h1": b"\x01"} and _done(warehouse) == ["a1"]


def test_a_pass_commits_a_killed_passs_chunks_before_it_looks_for_work(tmp_path):
    warehouse = Warehouse(connect(tmp_path / "w.duckdb"))
    _article(warehouse, "a1", "h1")
    PassJournal(warehouse).add(ChunkWrites(_docs(("h1", b"\x01"), model=nlp.model_name())))
    report = articles.run_pass(warehouse, [], None)
    assert report.total == 0  # nothing to parse: the doc came from the journal
    assert report.cached == 1
    assert _cached(warehouse) == {"h1": b"\x01"}
