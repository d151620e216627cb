"""The per-article pass: parse and extract every article that needs it, on an engine.

One pass handles the doc cache (``nlp_docs``) and the extraction stages (claims, figures,
locations) together: an article whose body has no cached doc is parsed by the worker that
extracts it, from the docs it already holds, and its new blob comes back for the cache, so a
doc is never serialised, sent and restored just to be extracted. Each stage keeps its own
bookkeeping (``stage_state``: body hash and code version per article), so a changed extractor
redoes its own stage alone, from the cached docs, and never re-runs spaCy.

The pass reads the pending articles chunk by chunk (memory stays bounded by a chunk however
much is pending), sends each chunk's batches to the engine (:mod:`pipeline.engine`), hands the
next chunk to the workers before it stores the current one, and journals each chunk's writes
(docs, rows, ``stage_state`` and quarantine together) to files beside the warehouse, which it
commits chunk by chunk, each in one transaction, once the workers have exited
(:mod:`pipeline.pass_journal`: DuckDB would hold every appended row in this process while the
workers hold theirs). Only this process touches the warehouse.

A batch that fails as a whole (its worker died three times: Dask's ``allowed-failures``) is
retried article by article; an article that fails alone is quarantined at every stage it had
pending, with the error, and the pass goes on.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

from pipeline.pass_journal import ChunkWrites, ParseWrites, PassJournal, StageWrites
from pipeline.tables import to_frame
from pipeline.work import (
    ArticleWork,
    Batch,
    BatchResult,
    Failure,
    ParsedDoc,
    StageSpec,
    read_table,
    run_batch,
)

if TYPE_CHECKING:
    from pipeline.engine import Engine
    from pipeline.warehouse import Warehouse

#: Articles read, sent and committed at a time: bounds memory on any corpus.
CHUNK_SIZE = 256

#: Articles per batch at most, and characters per batch at most (a longer body goes alone):
#: enough for spaCy's batching, small enough that every worker stays busy to the end of a chunk.
BATCH_ARTICLES = 8
BATCH_CHARS = 40_000


@dataclass(frozen=True, slots=True)
class PassStage:
    """A stage of the pass: what workers run, and its code version (for ``stage_state``)."""

    spec: StageSpec
    version: str
    #: Loads what its batches use (the figures' tables, the gazetteer) where they run, before
    #: the first (see :meth:`pipeline.engine.Engine.prepare`).
    prepare: Callable[[], None] | None = None

    @property
    def name(self) -> str:
        """The stage's name."""
        return self.spec.name


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a pass is: for the CLI's progress line and the run's logs."""

    done: int
    total: int
    seconds: float

    @property
    def rate(self) -> float:
        """Articles per second so far."""
        return self.done / self.seconds if self.seconds else 0.0

    @property
    def left_seconds(self) -> float | None:
        """Seconds left at the rate so far (None before the first batch)."""
        return (self.total - self.done) / self.rate if self.rate else None


@dataclass(slots=True)
class PassReport:
    """What a pass did."""

    articles: int = 0
    parsed: int = 0
    cached: int = 0
    words: int = 0
    seconds: float = 0.0
    parse_seconds: float = 0.0
    extract_seconds: float = 0.0
    workers: int = 0
    #: Articles pending when the pass began (what progress counts towards).
    total: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    handled: dict[str, int] = field(default_factory=dict)
    quarantined: dict[str, int] = field(default_factory=dict)


def run_pass(
    warehouse: Warehouse,
    stages: Sequence[PassStage],
    engine_factory: Callable[[], Engine] | None,
    *,
    parse: bool = True,
    gazetteer: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> PassReport:
    """Parse and extract what is pending, on the engine ``engine_factory`` opens (when needed).

    Args:
        warehouse: The warehouse; only this process reads and writes it.
        stages: The extraction stages to run, in pass order (a later stage sees the rows an
            earlier one produced for the article); empty to only fill the doc cache.
        engine_factory: Opens the engine (a context manager); not called when nothing is
            pending. None runs everything in this process.
        parse: Parse the bodies whose doc is missing from the cache (else a pending article
            without a cached doc is parsed but not cached: the doc cache was not selected).
        gazetteer: The gazetteer file workers load (for locations).
        on_progress: Called after every batch.
    """
    from pipeline import nlp

    started = time.perf_counter()
    report = PassReport(
        handled={s.name: 0 for s in stages},
        quarantined={s.name: 0 for s in stages} | ({"nlp": 0} if parse else {}),
        rows={t: 0 for s in stages for t in s.spec.tables},
    )
    model = nlp.model_name()
    versions = {s.name: f"{s.version}+{model}" for s in stages}
    journal = PassJournal(warehouse)
    journal.flush()  # what a killed pass left on disk: resumed, not redone
    todo = _pending(warehouse, stages, versions, model, parse=parse)
    report.cached = warehouse.count("nlp_docs")
    report.total = todo.height
    if not todo.height:
        report.seconds = round(time.perf_counter() - started, 3)
        return report
    needs_claims = any(s.name == "figures" for s in stages)
    engine_cm = None
    try:
        if engine_factory is not None:
            engine_cm = engine_factory()
            engine = engine_cm.__enter__()  # type: ignore[attr-defined]
            # Where the batches run, before the first: the model and what the stages load.
            engine.prepare([nlp.load_nlp, *(s.prepare for s in stages if s.prepare is not None)])
            report.workers = engine.workers
        else:
            engine = None
        queued: Queued | None = None
        for chunk in todo.iter_slices(CHUNK_SIZE):
            batches = _batches(
                _work(warehouse, chunk, stages, needs_claims=needs_claims),
                tuple(s.spec for s in stages),
                gazetteer,
            )
            getters = _submit(engine, batches)
            if queued is not None:
                _store(
                    warehouse,
                    journal,
                    queued,
                    stages,
                    versions,
                    model,
                    report,
                    started,
                    on_progress,
                )
            queued = (chunk, batches, getters)
        if queued is not None:
            _store(
                warehouse, journal, queued, stages, versions, model, report, started, on_progress
            )
    except BaseException as exc:
        if engine_cm is not None:
            engine_cm.__exit__(type(exc), exc, exc.__traceback__)  # type: ignore[attr-defined]
            engine_cm = None
        if isinstance(exc, Exception):  # the chunks done so far count (a kill leaves them too)
            with contextlib.suppress(Exception):
                journal.flush()
        raise
    finally:
        if engine_cm is not None:
            engine_cm.__exit__(None, None, None)  # type: ignore[attr-defined]
    # The workers are gone: the chunks go into DuckDB now, not while they held their memory.
    journal.flush()
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _pending(
    warehouse: Warehouse,
    stages: Sequence[PassStage],
    versions: dict[str, str],
    model: str,
    *,
    parse: bool,
) -> pl.DataFrame:
    """``article_id``, ``content_hash``, the pending stages and whether to parse, per article.

    An article is pending for a stage whose ``stage_state`` has another body or code version;
    for the cache, when its body has no doc of this model and is not quarantined at ``nlp``
    for this model. Sorted by content hash, so copies of one body meet in one batch.
    """
    parts = [
        warehouse.pending(stage.name, versions[stage.name]).with_columns(stage=pl.lit(stage.name))
        for stage in stages
    ]
    if parse:
        parts.append(
            warehouse.frame(
                """
                SELECT a.article_id, a.content_hash FROM articles a
                LEFT JOIN nlp_docs d USING (content_hash)
                WHERE (d.content_hash IS NULL OR d.model <> ?)
                  AND a.content_hash NOT IN (
                    SELECT content_hash FROM quarantine WHERE stage = 'nlp' AND code_version = ?
                  )
                """,
                [model, model],
            ).with_columns(stage=pl.lit(None, dtype=pl.String))
        )
    if not parts:
        return pl.DataFrame(
            schema={
                "article_id": pl.String,
                "content_hash": pl.String,
                "stages": pl.List(pl.String),
            }
        )
    order = {stage.name: i for i, stage in enumerate(stages)}
    return (
        pl.concat(parts)
        .group_by("article_id", "content_hash")
        .agg(pl.col("stage").drop_nulls().unique())
        .with_columns(
            stages=pl.col("stage").list.eval(
                pl.element().sort_by(pl.element().replace_strict(order, default=99))
            )
        )
        .drop("stage")
        .sort("content_hash", "article_id")
    )


def _work(
    warehouse: Warehouse, chunk: pl.DataFrame, stages: Sequence[PassStage], *, needs_claims: bool
) -> list[ArticleWork]:
    """The chunk's articles as work: bodies, cached docs, outlets, stored claims."""
    from pipeline.assemble import ClaimSpan

    ids = chunk["article_id"].to_list()
    # The chunk's keys are each query's driving side (the hash join's build), so DuckDB looks
    # up the chunk's rows: joining the tables first would build a hash table of every cached
    # doc and read every body at each chunk, a cost (and a high-water mark of this process's
    # memory) that grew with the warehouse, not the chunk.
    found = warehouse.frame(
        """
        SELECT a.article_id, a.body, a.outlet, a.content_hash
        FROM (SELECT unnest(?::VARCHAR[]) AS article_id) k
        JOIN articles a USING (article_id)
        """,
        [ids],
    )
    docs = dict(
        warehouse.frame(
            """
            SELECT d.content_hash, d.doc
            FROM (SELECT DISTINCT unnest(?::VARCHAR[]) AS content_hash) k
            JOIN nlp_docs d USING (content_hash)
            WHERE d.model = ?
            """,
            [chunk["content_hash"].to_list(), _model()],
        ).iter_rows()
    )
    errors = dict(
        warehouse.frame(
            """
            SELECT q.article_id, q.message
            FROM (SELECT unnest(?::VARCHAR[]) AS article_id) k
            JOIN quarantine q USING (article_id)
            JOIN articles a USING (article_id)
            WHERE q.stage = 'nlp' AND q.content_hash = a.content_hash
            """,
            [ids],
        ).iter_rows()
    )
    by_id = {
        article_id: (body, outlet, docs.get(content_hash), errors.get(article_id))
        for article_id, body, outlet, content_hash in found.iter_rows()
    }
    claims: dict[str, list[ClaimSpan]] = {}
    if needs_claims:
        stored = warehouse.frame(
            """
            SELECT c.claim_id, c.article_id, c.content_start, c.content_end
            FROM (SELECT unnest(?::VARCHAR[]) AS article_id) k
            JOIN claims c USING (article_id)
            ORDER BY c.claim_id
            """,
            [ids],
        )
        for claim_id, article_id, start, end in stored.iter_rows():
            claims.setdefault(article_id, []).append(ClaimSpan(claim_id, start, end))
    out = []
    for article_id, content_hash, pending in chunk.select(
        "article_id", "content_hash", "stages"
    ).iter_rows():
        body, outlet, blob, parse_error = by_id[article_id]
        out.append(
            ArticleWork(
                article_id=article_id,
                content_hash=content_hash,
                body=body,
                blob=blob,
                stages=tuple(pending),
                outlet=outlet,
                claims=tuple(claims.get(article_id, ())),
                parse_error=parse_error if blob is None else None,
            )
        )
    return out


def _model() -> str:
    from pipeline import nlp

    return nlp.model_name()


def _batches(
    items: Sequence[ArticleWork], stages: tuple[StageSpec, ...], gazetteer: str | None
) -> list[Batch]:
    """The chunk's articles in batches, longest bodies first, copies of one body together.

    At most :data:`BATCH_ARTICLES` articles and :data:`BATCH_CHARS` characters a batch (a
    longer body goes alone: a worker's memory grows with its batch). Longest first, so that
    the last batches of a chunk, which one worker may finish alone, are short. Articles sharing
    a body (exact copies) stay in one batch, so the body is parsed once. The order depends on
    the bodies only: the same input gives the same batches.
    """
    groups: dict[str, list[ArticleWork]] = {}
    for item in items:
        groups.setdefault(item.content_hash, []).append(item)
    ordered = sorted(
        groups.values(), key=lambda group: (-len(group[0].body), group[0].content_hash)
    )
    batches: list[list[ArticleWork]] = []
    size = 0
    for group in ordered:
        length = len(group[0].body)
        full = bool(batches) and (
            len(batches[-1]) + len(group) > BATCH_ARTICLES or size + length > BATCH_CHARS
        )
        if not batches or full:
            batches.append([])
            size = 0
        batches[-1].extend(group)
        size += length
    return [Batch(stages, tuple(batch), gazetteer) for batch in batches]


#: A chunk on its way: its rows of pending articles, its batches and their result getters.
Queued = tuple[pl.DataFrame, list[Batch], list[Callable[[], BatchResult]]]


def _submit(engine: Engine | None, batches: list[Batch]) -> list[Callable[[], BatchResult]]:
    if engine is None:
        return [functools.partial(run_batch, batch) for batch in batches]
    return engine.map(run_batch, batches)


def _results(queued: Queued) -> Iterator[BatchResult]:
    """Each batch's result; a batch that failed as a whole is retried article by article."""
    _, batches, getters = queued
    for batch, get in zip(batches, getters, strict=True):
        try:
            yield get()
        except Exception as exc:
            yield _one_by_one(batch, exc)


def _one_by_one(batch: Batch, error: BaseException) -> BatchResult:
    """A failed batch's articles each alone, here; one that fails again is quarantined."""
    parts: list[BatchResult] = []
    for item in batch.items:
        try:
            parts.append(run_batch(Batch(batch.stages, (item,), batch.gazetteer)))
        except Exception as exc:
            stages = item.stages + (("nlp",) if item.blob is None else ())
            failure = [Failure.of(item.article_id, stage, exc) for stage in stages]
            parts.append(BatchResult((), {}, tuple(failure), 1, 0))
    del error
    return _combine(parts)


def _combine(parts: Sequence[BatchResult]) -> BatchResult:
    tables: dict[str, list[pl.DataFrame]] = {}
    for part in parts:
        for table, data in part.tables.items():
            tables.setdefault(table, []).append(read_table(data))
    from pipeline.work import _ipc

    return BatchResult(
        docs=tuple(doc for part in parts for doc in part.docs),
        tables={
            table: _ipc(table, pl.concat(frames).to_dicts()) for table, frames in tables.items()
        },
        failures=tuple(f for part in parts for f in part.failures),
        articles=sum(part.articles for part in parts),
        words=sum(part.words for part in parts),
    )


def _store(
    warehouse: Warehouse,
    journal: PassJournal,
    queued: Queued,
    stages: Sequence[PassStage],
    versions: dict[str, str],
    model: str,
    report: PassReport,
    started: float,
    on_progress: Callable[[Progress], None] | None,
) -> None:
    """Collect a chunk's results and commit them in one transaction."""
    chunk = queued[0]
    results: list[BatchResult] = []
    for result in _results(queued):
        results.append(result)
        report.parse_seconds += result.parse_seconds
        report.extract_seconds += result.extract_seconds
        if on_progress is not None:
            done = report.articles + sum(r.articles for r in results)
            on_progress(Progress(done, report.total, time.perf_counter() - started))
    docs: list[ParsedDoc] = [doc for r in results for doc in r.docs]
    failures: list[Failure] = [f for r in results for f in r.failures]
    hashes = dict(chunk.select("article_id", "content_hash").iter_rows())
    writes = ChunkWrites(
        docs=pl.DataFrame(
            {
                "content_hash": [d.content_hash for d in docs],
                "model": [model] * len(docs),
                "doc": [d.blob for d in docs],
            },
            schema={"content_hash": pl.String, "model": pl.String, "doc": pl.Binary},
        )
    )
    if "nlp" in report.quarantined:
        writes.parse = ParseWrites(
            articles=chunk.filter(
                pl.col("content_hash").is_in([d.content_hash for d in docs])
                | pl.col("article_id").is_in([f.article_id for f in failures if f.stage == "nlp"])
            ).select("article_id", "content_hash"),
            failed=_quarantine_rows(failures, "nlp", hashes, model),
        )
        report.quarantined["nlp"] += writes.parse.failed.height
    for stage in stages:
        processed = chunk.filter(pl.col("stages").list.contains(stage.name))
        if not processed.height:
            continue
        frames = {
            table: _table(results, table).filter(
                pl.col("article_id").is_in(processed["article_id"])
            )
            for table in stage.spec.tables
        }
        failed = _quarantine_rows(failures, stage.name, hashes, versions[stage.name])
        writes.stages.append(
            StageWrites(
                stage.name,
                versions[stage.name],
                processed.select("article_id", "content_hash"),
                frames,
                failed,
            )
        )
        report.quarantined[stage.name] += failed.height
        report.handled[stage.name] += processed.height
        for table, frame in frames.items():
            report.rows[table] += frame.height
    # Committed once the workers are gone (see pipeline.pass_journal).
    journal.add(writes)
    report.parsed += len(docs)
    report.words += sum(d.words for d in docs)
    report.articles += chunk.height


def _table(results: Sequence[BatchResult], table: str) -> pl.DataFrame:
    frames = [read_table(r.tables[table]) for r in results if table in r.tables]
    return pl.concat(frames) if frames else to_frame(table, [])


def _quarantine_rows(
    failures: Sequence[Failure], stage: str, hashes: dict[str, str], version: str
) -> pl.DataFrame:
    return to_frame(
        "quarantine",
        [
            {
                "article_id": f.article_id,
                "stage": f.stage,
                "content_hash": hashes[f.article_id],
                "code_version": version,
                "error_class": f.error_class,
                "message": f.message,
            }
            for f in failures
            if f.stage == stage
        ],
    )
