"""A pass's new docs wait in files beside the warehouse and reach the cache whole after a kill."""

import duckdb
import polars as pl

from pipeline import articles, nlp, warehouse_schema
from pipeline.doc_spill import DocSpill, spill_folder
from pipeline.warehouse import Warehouse
from pipeline.warehouse_connect import connect


def _docs(*pairs: tuple[str, bytes], model: str = "m") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "content_hash": [h for h, _ in pairs],
            "model": [model] * len(pairs),
            "doc": [blob for _, blob in pairs],
        },
        schema={"content_hash": pl.String, "model": pl.String, "doc": pl.Binary},
    )


def _cached(warehouse: Warehouse) -> dict[str, bytes]:
    return dict(warehouse.con.execute("SELECT content_hash, doc FROM nlp_docs").fetchall())


def test_docs_stay_in_files_until_the_flush_caches_them(tmp_path):
    warehouse = Warehouse(connect(tmp_path / "w.duckdb"))
    spill = DocSpill(warehouse)
    assert spill.folder == tmp_path / "w.duckdb.docs"
    spill.add(_docs(("h1", b"\x01"), ("h2", b"\x02")))
    spill.add(_docs(("h2", b"\x02"), ("h3", b"\x03")))  # a copy split across two chunks
    spill.add(_docs())
    assert _cached(warehouse) == {}
    assert spill.flush() == 3
    assert _cached(warehouse) == {"h1": b"\x01", "h2": b"\x02", "h3": b"\x03"}
    assert not spill.folder.exists()
    assert spill.flush() == 0


def test_a_killed_pass_leaves_whole_files_the_next_flush_caches(tmp_path):
    path = tmp_path / "w.duckdb"
    warehouse = Warehouse(connect(path))
    killed = DocSpill(warehouse)
    killed.add(_docs(("h1", b"\x01")))
    (killed.folder / ".99-000002.arrow.tmp").write_bytes(b"half written")
    warehouse.con.close()  # killed: nothing flushed
    again = Warehouse(connect(path))
    assert _cached(again) == {}
    assert DocSpill(again).flush() == 1
    assert _cached(again) == {"h1": b"\x01"}
    assert not (tmp_path / "w.duckdb.docs").exists()


def test_a_warehouse_in_memory_caches_at_once():
    con = duckdb.connect()
    warehouse_schema.ensure_schema(con)
    warehouse = Warehouse(con)
    assert spill_folder(warehouse) is None
    DocSpill(warehouse).add(_docs(("h1", b"\x01")))
    assert _cached(warehouse) == {"h1": b"\x01"}


def test_a_pass_caches_a_killed_passs_docs_before_it_looks_for_work(tmp_path):
    warehouse = Warehouse(connect(tmp_path / "w.duckdb"))
    warehouse.con.execute(
        """
        INSERT INTO articles (article_id, external_id, source_uri, outlet, authors, body,
                              word_count, content_hash)
        VALUES ('a1', 'a1', 'test', 'Outlet', [], 'A body.', 2, 'h1')
        """
    )
    DocSpill(warehouse).add(_docs(("h1", b"\x01"), model=nlp.model_name()))
    report = articles.run_pass(warehouse, [], None)
    assert report.total == 0  # nothing to parse: the doc came from the file
    assert report.cached == 1
    assert _cached(warehouse) == {"h1": b"\x01"}
