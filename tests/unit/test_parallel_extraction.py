"""Extraction on two processes writes the rows of a serial run, in its order (no Dagster)."""

import multiprocessing
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipeline import articles, nlp, stages
from pipeline.engine import local
from pipeline.link import gazetteer as gazetteer_module
from pipeline.stages import ingest, parse_pending
from pipeline.warehouse import Warehouse, connect

pytestmark = pytest.mark.slow

FIELDS = {"text": "content_original"}
TABLES = ("claims", "source_mentions", "figures", "locations")


@pytest.fixture(scope="module")
def parsed(tmp_path_factory, sample_dir) -> Path:
    """A warehouse of the bundled sample with every doc cached, but one.

    The JSON slice is read under two file names (new article ids, same bodies), so a chunk holds
    several batches and takes the parallel path, while only the distinct bodies are parsed.
    One body's cached doc is dropped: extraction parses it itself.
    """
    root = tmp_path_factory.mktemp("parallel")
    inputs = [sample_dir / "seeds", sample_dir / "html"]
    for name in ("first.jsonl", "second.jsonl"):
        shutil.copy(sample_dir / "jsonl" / "allsides-slice.jsonl", root / name)
        inputs.append(root / name)
    path = root / "w.duckdb"
    con = connect(path)
    try:
        wh = Warehouse(con)
        ingest(wh, inputs, field_map=FIELDS)
        parse_pending(wh, n_process=1)
        wh.con.execute(
            "DELETE FROM nlp_docs WHERE content_hash = (SELECT min(content_hash) FROM nlp_docs)"
        )
        assert wh.count("articles") >= 2 * articles.BATCH_ARTICLES + 1
    finally:
        con.close()
    return path


def _run_stages(path: Path, gazetteer: Path, n_process: int, monkeypatch) -> tuple[dict, dict]:
    """Run the three stages; return what each wrote per chunk, in order, and the tables."""
    written: dict[str, list[dict[str, pl.DataFrame]]] = {}
    con = connect(path)
    try:
        wh = Warehouse(con)
        replace = wh.replace_stage_rows

        def record(stage, version, processed, tables):
            written.setdefault(stage, []).append(tables)
            replace(stage, version, processed, tables)

        monkeypatch.setattr(wh, "replace_stage_rows", record)
        reports = [  # one stage at a time
            stages.extract_all(wh, gazetteer, only=[name], n_process=n_process)[name]
            for name in stages.EXTRACTION_STAGES
        ]
        assert all(report.articles == wh.count("articles") for report in reports)
        # Nothing pending: the gazetteer is not loaded (nor a pool started).
        with monkeypatch.context() as patch:
            patch.setattr(gazetteer_module, "load_gazetteer", pytest.fail)
            again = stages.extract_all(wh, gazetteer, only=["locations"], n_process=n_process)
            assert again["locations"].articles == 0
        tables = {name: wh.frame(f"SELECT * FROM {name} ORDER BY ALL") for name in TABLES}
    finally:
        con.close()
    return written, tables


def test_parallel_extraction_matches_serial(parsed, tmp_path, gazetteer_path, monkeypatch):
    forks = []
    get_context = multiprocessing.get_context

    def spy(method=None):
        forks.append(method)
        return get_context(method)

    monkeypatch.setattr(multiprocessing, "get_context", spy)
    results = {}
    for n_process in (1, 2):
        copy = tmp_path / f"n{n_process}.duckdb"
        shutil.copy(parsed, copy)
        results[n_process] = _run_stages(copy, gazetteer_path, n_process, monkeypatch)
    # Workers replaced after every batch (a long run's lifetime, shortened; a chunk has three
    # or more batches, see `parsed`): fresh workers rebuild the memos and the string store,
    # and the rows must not change.
    with monkeypatch.context() as patch:
        patch.setattr(local, "BATCHES_PER_WORKER", 1)
        copy = shutil.copy(parsed, tmp_path / "replaced.duckdb")
        replaced = _run_stages(copy, gazetteer_path, 2, monkeypatch)

    assert forks == ["spawn"] * 6  # one pool per stage, only for n_process=2
    assert multiprocessing.active_children() == []  # every pool joined
    (serial_written, serial_tables), (parallel_written, parallel_tables) = results[1], results[2]
    for table in TABLES:
        assert serial_tables[table].equals(replaced[1][table]), table
    assert serial_written.keys() == parallel_written.keys() == {"claims", "figures", "locations"}
    for stage, chunks in serial_written.items():
        assert len(chunks) == len(parallel_written[stage])
        for serial, parallel in zip(chunks, parallel_written[stage], strict=True):
            assert serial.keys() == parallel.keys()
            for table, frame in serial.items():
                assert frame.equals(parallel[table]), (stage, table)  # same rows, same order
    for table in TABLES:
        assert serial_tables[table].height > 0, table
        assert serial_tables[table].equals(parallel_tables[table]), table


def test_small_chunks_stay_in_process_and_prepare_only_with_work(parsed, tmp_path, monkeypatch):
    con = connect(shutil.copy(parsed, tmp_path / "w.duckdb"))
    try:
        wh = Warehouse(con)
        monkeypatch.setattr(local, "MIN_PARALLEL_BATCHES", wh.count("articles") + 1)
        monkeypatch.setattr(multiprocessing, "get_context", pytest.fail)  # no fork
        prepared, seen = [], []

        def extractor(item, doc, earlier, context):
            seen.append(item.article_id)
            return {}

        probe = stages.ExtractionStage("probe", "v1", (), extractor, lambda: prepared.append(1))
        for _ in range(2):  # the second run has nothing pending
            stages.run_extractions(wh, [probe], n_process=2)
        assert prepared == [1]
        assert set(seen) == set(wh.frame("SELECT article_id FROM articles")["article_id"])
    finally:
        con.close()


class Boom(Exception):
    pass


def test_an_extractor_error_quarantines_its_article_and_the_pass_goes_on(parsed, tmp_path):
    """One article that breaks an extractor costs its own rows of that stage, not the run."""
    con = connect(shutil.copy(parsed, tmp_path / "w.duckdb"))
    try:
        wh = Warehouse(con)
        last = wh.frame("SELECT max(article_id) AS a FROM articles")["a"][0]

        def extractor(item, doc, earlier, context):
            if item.article_id == last:
                raise Boom(f"cannot read {item.article_id}")
            return {}

        probe = stages.ExtractionStage("probe", "v1", (), extractor)
        report = stages.run_extractions(wh, [probe])["probe"]
        assert multiprocessing.active_children() == []  # the pool was closed and joined
        assert (report.articles, report.quarantined) == (wh.count("articles"), 1)
        version = f"v1+{nlp.model_name()}"  # a stage's version includes the model's
        assert wh.pending("probe", version).height == 0  # every article handled, the bad one too
        quarantined = wh.frame("SELECT * FROM quarantine").to_dicts()
        body_hash = wh.frame(
            "SELECT content_hash FROM articles WHERE article_id = ?", [last]
        ).item()
        assert quarantined == [
            {
                "article_id": last,
                "stage": "probe",
                "content_hash": body_hash,
                "code_version": version,
                "error_class": "Boom",
                "message": f"cannot read {last}",
            }
        ]
        # Unchanged body and code: not retried. New code: retried, and out of quarantine.
        assert stages.run_extractions(wh, [probe])["probe"].articles == 0
        fixed = stages.ExtractionStage("probe", "v2", (), lambda *_: {})
        assert stages.run_extractions(wh, [fixed])["probe"].quarantined == 0
        assert wh.count("quarantine") == 0
    finally:
        con.close()


def test_a_write_error_stops_the_stage_and_its_pool(parsed, tmp_path):
    """A failure outside the extractors (here: rows the table cannot take) is the run's."""
    con = connect(shutil.copy(parsed, tmp_path / "w.duckdb"))
    try:
        wh = Warehouse(con)

        def extractor(item, doc, earlier, context):  # a row without its key: not storable
            return {"figures": [{"article_id": item.article_id, "no_such_column": 1}]}

        with pytest.raises(Exception, match="NOT NULL"):
            stages.run_extractions(
                wh, [stages.ExtractionStage("probe", "v1", ("figures",), extractor)]
            )
        assert multiprocessing.active_children() == []
        version = f"v1+{nlp.model_name()}"
        assert wh.pending("probe", version).height == wh.count("articles")  # nothing marked done
    finally:
        con.close()


def test_one_pass_writes_what_the_stages_write_one_at_a_time(
    parsed, tmp_path, gazetteer_path, monkeypatch
):
    """Each doc is restored once for the three stages; the rows do not change."""
    _, separate = _run_stages(
        shutil.copy(parsed, tmp_path / "s.duckdb"), gazetteer_path, 2, monkeypatch
    )
    con = connect(shutil.copy(parsed, tmp_path / "p.duckdb"))
    try:
        wh = Warehouse(con)
        restored = []
        iter_docs = nlp.iter_docs  # the stage runner imports pipeline.nlp lazily
        monkeypatch.setattr(nlp, "iter_docs", lambda *a: restored.append(1) or iter_docs(*a))
        reports = stages.extract_all(wh, gazetteer_path, n_process=1)
        assert {name: report.articles for name, report in reports.items()} == dict.fromkeys(
            stages.EXTRACTION_STAGES, wh.count("articles")
        )
        assert len(restored) == wh.count("articles") - 1  # one body has no cached doc
        for table in TABLES:
            assert wh.frame(f"SELECT * FROM {table} ORDER BY ALL").equals(separate[table]), table
        # Only figures pending (their code changed): they link to the stored claims.
        wh.con.execute("UPDATE stage_state SET code_version = 'old' WHERE stage = 'figures'")
        again = stages.extract_all(wh, gazetteer_path, n_process=2)
        assert [again[name].articles for name in stages.EXTRACTION_STAGES] == [
            0,
            wh.count("articles"),
            0,
        ]
        figures = wh.frame("SELECT * FROM figures ORDER BY ALL")
        assert figures.equals(separate["figures"])
    finally:
        con.close()


def test_locations_redo_when_the_gazetteer_file_is_replaced(parsed, tmp_path, gazetteer_path):
    gazetteer = tmp_path / "gazetteer.arrow"
    shutil.copy(gazetteer_path, gazetteer)
    con = connect(shutil.copy(parsed, tmp_path / "w.duckdb"))
    try:
        wh = Warehouse(con)

        def locations() -> int:
            return stages.extract_all(wh, gazetteer, only=["locations"])["locations"].articles

        assert (locations(), locations()) == (wh.count("articles"), 0)
        replacement = tmp_path / "new.parquet"
        shutil.copy(gazetteer_path, replacement)
        os.utime(replacement, ns=(1, 1))
        os.replace(replacement, gazetteer)  # the same rows, another file: checked anew
        assert (locations(), locations()) == (wh.count("articles"), 0)
    finally:
        con.close()
