"""How far one writer goes: synthetic articles' results through the pass's own commit path.

Workers scale out; the warehouse has one writer. This pushes made-up results (the row counts
and doc sizes of real news, per article) through :func:`pipeline.articles._store`, the code that
commits a chunk in a real pass (to the pass's journal, flushed at the end as a pass does), into
a fresh DuckDB file, and reports the articles per second the writer alone sustains. Nothing is
parsed: it measures the ceiling the writer puts on any number of workers.
``newsledger bench --writer N`` runs it.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline import articles as passes
from pipeline.ids import content_hash, row_id
from pipeline.pass_journal import PassJournal
from pipeline.tables import to_frame
from pipeline.warehouse import Warehouse, connect
from pipeline.work import BatchResult, ParsedDoc, StageSpec, _ipc

#: Rows per article of each table, and bytes per cached doc: means over 1,000 AllSides
#: articles as the pipeline extracted them (see the README's scaling section).
PER_ARTICLE = {"claims": 7, "figures": 8, "locations": 9}
DOC_BYTES = 24_000
BODY_CHARS = 3_500


@dataclass(frozen=True, slots=True)
class WriterReport:
    """What the simulated writer sustained."""

    articles: int
    seconds: float
    articles_per_second: float
    rows: int
    rows_per_second: float
    megabytes: float


def _noop(*_: object) -> dict:
    return {}


def simulate(path: Path, articles: int, *, seed: int = 7) -> WriterReport:
    """Write ``articles`` synthetic articles' results through the pass's commit path.

    The articles themselves are inserted first (the rows need them: keys), untimed; then each
    chunk's results are committed as a real pass commits them, timed.
    """
    rng = random.Random(seed)
    con = connect(path)
    try:
        warehouse = Warehouse(con)
        ids = [f"a_{i:012x}" for i in range(articles)]
        bodies = ["x" * BODY_CHARS] * articles
        hashes = [content_hash(f"{i}") for i in range(articles)]
        frame = to_frame(
            "articles",
            [
                {
                    "article_id": article_id,
                    "external_id": article_id,
                    "source_uri": "synthetic.jsonl",
                    "authors": [],
                    "body": body,
                    "word_count": 500,
                    "content_hash": digest,
                }
                for article_id, body, digest in zip(ids, bodies, hashes, strict=True)
            ],
        )
        warehouse._insert("articles", frame)
        stages = [
            passes.PassStage(StageSpec(name, tables, _noop), "sim")
            for name, tables in (
                ("claims", ("claims", "source_mentions")),
                ("figures", ("figures",)),
                ("locations", ("locations",)),
            )
        ]
        versions = {stage.name: "sim" for stage in stages}
        report = passes.PassReport(
            handled=dict.fromkeys(versions, 0),
            quarantined=dict.fromkeys([*versions, "nlp"], 0),
            rows={t: 0 for s in stages for t in s.spec.tables},
        )
        blob = os.urandom(DOC_BYTES)  # incompressible, like a compressed DocBin
        journal = PassJournal(warehouse)
        started = time.perf_counter()
        for first in range(0, articles, passes.CHUNK_SIZE):
            chunk_ids = ids[first : first + passes.CHUNK_SIZE]
            chunk = pl.DataFrame(
                {
                    "article_id": chunk_ids,
                    "content_hash": hashes[first : first + passes.CHUNK_SIZE],
                    "stages": [[s.name for s in stages]] * len(chunk_ids),
                }
            )
            result = _result(chunk, blob, rng)
            passes._store(
                warehouse,
                journal,
                (chunk, [None], [lambda result=result: result]),  # type: ignore[list-item]
                stages,
                versions,
                "sim",
                report,
                started,
                None,
            )
        journal.flush()  # as a pass does once its workers are gone
        seconds = time.perf_counter() - started
        rows = sum(report.rows.values())
    finally:
        con.close()
    megabytes = path.stat().st_size / 2**20
    return WriterReport(
        articles=articles,
        seconds=round(seconds, 2),
        articles_per_second=round(articles / seconds, 1),
        rows=rows,
        rows_per_second=round(rows / seconds, 1),
        megabytes=round(megabytes, 1),
    )


def _result(chunk: pl.DataFrame, blob: bytes, rng: random.Random) -> BatchResult:
    """One chunk's made-up results: docs, and rows of every table with unique keys."""
    claims, mentions, figures, locations = [], [], [], []
    docs = []
    for article_id, digest in chunk.select("article_id", "content_hash").iter_rows():
        docs.append(ParsedDoc(digest, blob, 500))
        for n in range(PER_ARTICLE["claims"]):
            claim_id = row_id("c", article_id, "claim", n * 100, n * 100 + 80)
            claims.append(
                {
                    "claim_id": claim_id,
                    "article_id": article_id,
                    "source_id": "s_" + hashlib.sha1(f"{rng.random()}".encode()).hexdigest()[:16],
                    "speaker": "A. Speaker",
                    "speaker_start": n * 100 + 82,
                    "speaker_end": n * 100 + 92,
                    "cue": "said",
                    "cue_start": n * 100 + 93,
                    "cue_end": n * 100 + 97,
                    "content": "x" * 80,
                    "content_start": n * 100,
                    "content_end": n * 100 + 80,
                    "is_direct": True,
                    "method": "rules",
                }
            )
            mentions.append(
                {
                    "claim_id": claim_id,
                    "role": "speaker",
                    "article_id": article_id,
                    "source_id": claims[-1]["source_id"],
                    "name": "A. Speaker",
                    "kind": "person",
                    "surface": "A. Speaker",
                }
            )
        for n in range(PER_ARTICLE["figures"]):
            figures.append(
                {
                    "figure_id": row_id("f", article_id, "figure", n * 10, n * 10 + 5),
                    "article_id": article_id,
                    "text": "x" * 5,
                    "start": n * 10,
                    "end": n * 10 + 5,
                    "value": rng.random() * 1000,
                    "change": "=",
                    "kind": "count",
                    "unit": "people",
                    "counted": "people",
                }
            )
        for n in range(PER_ARTICLE["locations"]):
            locations.append(
                {
                    "location_id": row_id("l", article_id, "location", n * 7, n * 7 + 5),
                    "article_id": article_id,
                    "text": "x" * 5,
                    "start": n * 7,
                    "end": n * 7 + 5,
                    "geonameid": 2988507,
                    "name": "Paris",
                    "mention": "name",
                    "latitude": 48.85,
                    "longitude": 2.35,
                    "confidence": 0.9,
                }
            )
    tables = {
        "claims": _ipc("claims", claims),
        "source_mentions": _ipc("source_mentions", mentions),
        "figures": _ipc("figures", figures),
        "locations": _ipc("locations", locations),
    }
    return BatchResult(tuple(docs), tables, (), chunk.height, 500 * chunk.height)
