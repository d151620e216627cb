"""The warehouse: idempotent writes, incremental stage bookkeeping, the writer lock."""

import multiprocessing

import pytest

from pipeline.tables import to_frame
from pipeline.warehouse import Warehouse, connect, writer_lock


def _article(article_id, body):
    return {
        "article_id": article_id,
        "external_id": article_id,
        "source_uri": f"{article_id}.txt",
        "authors": [],
        "body": body,
        "word_count": len(body.split()),
        "content_hash": (body * 64)[:64],
    }


@pytest.fixture
def warehouse(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    yield Warehouse(con)
    con.close()


def _upsert(wh, rows):
    return wh.upsert_articles(to_frame("articles", rows), to_frame("boilerplate", []))


def test_upsert_twice_keeps_one_row_each(warehouse):
    rows = [_article("a", "one body"), _article("b", "two body")]
    first = _upsert(warehouse, rows)
    second = _upsert(warehouse, rows)
    assert (first.inserted, second.inserted, second.unchanged) == (2, 0, 2)
    assert warehouse.count("articles") == 2


def test_changed_body_drops_stale_rows_and_is_pending_again(warehouse):
    _upsert(warehouse, [_article("a", "old body")])
    pending = warehouse.pending("figures", "v1")
    assert pending["article_id"].to_list() == ["a"]
    figure = {
        "figure_id": "f1",
        "article_id": "a",
        "text": "old",
        "start": 0,
        "end": 3,
        "value": 1.0,
        "change": "=",
        "kind": "count",
    }
    warehouse.replace_stage_rows(
        "figures", "v1", pending, {"figures": to_frame("figures", [figure])}
    )
    assert warehouse.pending("figures", "v1").is_empty()
    assert warehouse.count("figures") == 1

    changed = _upsert(warehouse, [_article("a", "new body")])
    assert changed.changed == 1
    assert warehouse.count("figures") == 0
    assert warehouse.pending("figures", "v1")["article_id"].to_list() == ["a"]


def test_new_code_version_reprocesses(warehouse):
    _upsert(warehouse, [_article("a", "body")])
    warehouse.replace_stage_rows("claims", "v1", warehouse.pending("claims", "v1"), {})
    assert warehouse.pending("claims", "v1").is_empty()
    assert warehouse.pending("claims", "v2").height == 1


def test_failed_transaction_leaves_previous_state(warehouse):
    _upsert(warehouse, [_article("a", "body")])
    with pytest.raises(RuntimeError), warehouse.transaction():
        warehouse.con.execute("DELETE FROM articles")
        raise RuntimeError("killed mid-write")
    assert warehouse.count("articles") == 1


def _try_lock(path, queue):
    try:
        with writer_lock(path, wait=False):
            queue.put("got it")
    except RuntimeError as exc:
        queue.put(str(exc))


def test_second_writer_gets_a_clear_message(tmp_path):
    path = tmp_path / "w.duckdb"
    queue = multiprocessing.get_context("fork").Queue()
    with writer_lock(path):
        process = multiprocessing.get_context("fork").Process(target=_try_lock, args=(path, queue))
        process.start()
        process.join(10)
    assert "Another newsledger run is writing" in queue.get(timeout=5)
