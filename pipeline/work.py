"""The per-article work of a pass, as a worker runs it: parse (or restore), then extract.

A batch of articles arrives as plain data (:class:`Batch`): each article's body, its cached doc
if there is one, and what the parent knows that the extractors need (its outlet, the claims
stored for it). The worker parses the bodies that have no cached doc (a long body in windows,
see :mod:`pipeline.windows`), extracts every pending stage from the docs it holds (no
round trip through the cache), and returns plain data (:class:`BatchResult`): the new docs'
blobs for the cache, each table's rows as one Arrow IPC buffer, and the failures.

One article never fails a batch: a body the model cannot annotate, or a stage that raises on an
article, becomes a failure record and the batch goes on (the parent quarantines it). The model,
the gazetteer and the figures' tables are loaded once per worker process, on its first batch,
and kept (:func:`_gazetteer`): never shipped with the work.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import polars as pl
import pyarrow as pa
import pyarrow.ipc

from pipeline.tables import to_frame

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline.assemble import ClaimSpan
    from pipeline.link.gazetteer import Gazetteer

#: Rows per table of one article, as a stage returns them.
ArticleRows = dict[str, list[Mapping[str, object]]]


@dataclass(frozen=True, slots=True)
class ArticleWork:
    """One article of a batch.

    Attributes:
        article_id: The article.
        content_hash: Its body's hash (the doc cache's key).
        body: The body.
        blob: Its cached doc (a DocBin of the body's windows); None: parse it here.
        stages: Names of the stages pending for it.
        outlet: ``articles.outlet`` (claims resolve "AP" and the outlet's own reporters).
        claims: The claims stored for it, for figures when claims do not run in this pass.
        parse_error: Why its body could not be parsed before (quarantined at ``nlp``): it is
            not parsed again, and its stages fail with this.
    """

    article_id: str
    content_hash: str
    body: str
    blob: bytes | None
    stages: tuple[str, ...]
    outlet: str | None = None
    claims: tuple[ClaimSpan, ...] = ()
    parse_error: str | None = None


#: A stage's extractor: one article's rows per table, from its doc (or one window of it), what
#: earlier stages of the pass produced for it, and what this worker has loaded.
Extract = Callable[["ArticleWork", "Doc", ArticleRows, "WorkerContext"], Mapping[str, list]]


@dataclass(frozen=True, slots=True)
class StageSpec:
    """A stage as workers see it: its name, the tables it writes and its extractor."""

    name: str
    tables: tuple[str, ...]
    extract: Extract


@dataclass(frozen=True, slots=True)
class Batch:
    """A batch of work: the stages (in pass order), where the gazetteer is, the articles."""

    stages: tuple[StageSpec, ...]
    items: tuple[ArticleWork, ...]
    gazetteer: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedDoc:
    """A body this batch parsed: its cache blob and word count."""

    content_hash: str
    blob: bytes
    words: int


@dataclass(frozen=True, slots=True)
class Failure:
    """A stage (or ``nlp``) that failed on one article."""

    article_id: str
    stage: str
    error_class: str
    message: str

    @classmethod
    def of(cls, article_id: str, stage: str, exc: BaseException) -> Failure:
        """The record of ``exc`` (its message cut to a readable length)."""
        return cls(article_id, stage, type(exc).__name__, str(exc)[:2000])


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a batch produced (plain data, cheap to send back)."""

    docs: tuple[ParsedDoc, ...]
    tables: dict[str, bytes]
    failures: tuple[Failure, ...]
    articles: int
    words: int
    parse_seconds: float = 0.0
    extract_seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


class WorkerContext:
    """What a worker loads once and keeps: the gazetteer (memory-mapped) by path."""

    def __init__(self, gazetteer: str | None) -> None:
        self._gazetteer_path = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer of the pass (loaded on first use, once per process)."""
        if self._gazetteer_path is None:
            raise RuntimeError("this pass has no gazetteer")
        return _gazetteer(self._gazetteer_path)


@lru_cache(maxsize=2)
def _gazetteer(path: str) -> Gazetteer:
    from pathlib import Path

    from pipeline.link.gazetteer import load_gazetteer

    return load_gazetteer(Path(path))


class NotParsedError(RuntimeError):
    """The article's body could not be parsed (see its ``nlp`` quarantine row)."""


def run_batch(batch: Batch) -> BatchResult:
    """Parse what has no cached doc, extract every pending stage, return plain data.

    Then hand back what the batch left behind (:mod:`pipeline.memory`): the gazetteer pages its
    lookups mapped in and the free pages of the heap. Without that a worker's RSS grew all run:
    by the end of 1,000 articles each had mapped 120 MiB of the gazetteer file and held ~100 MiB
    more heap than between batches. A lookup maps its pages again from the page cache (no I/O).
    """
    from pipeline import memory

    result = _run_batch(batch)
    if batch.gazetteer is not None:
        memory.unmap_file_pages(batch.gazetteer)
    memory.trim_heap()
    return result


def _run_batch(batch: Batch) -> BatchResult:
    from pipeline import nlp

    _one_blas_thread()
    context = WorkerContext(batch.gazetteer)
    started = time.perf_counter()
    parsed, parse_failures = _parse(
        [item for item in batch.items if item.blob is None and item.parse_error is None]
    )
    parse_seconds = time.perf_counter() - started
    vocab_nlp = nlp.load_nlp()
    rows: dict[str, list[Mapping[str, object]]] = {
        table: [] for stage in batch.stages for table in stage.tables
    }
    failures: list[Failure] = [
        Failure(item.article_id, "nlp", *parse_failures[item.content_hash])
        for item in batch.items
        if item.content_hash in parse_failures
    ]
    by_name = {stage.name: stage for stage in batch.stages}
    for item in batch.items:
        stages = [by_name[name] for name in item.stages]
        if not stages:
            continue
        try:
            if item.parse_error is not None:
                raise NotParsedError(f"its body could not be parsed: {item.parse_error}")
            if item.content_hash in parse_failures:
                error_class, message = parse_failures[item.content_hash]
                raise NotParsedError(f"its body could not be parsed: {error_class}: {message}")
            if item.blob is None:
                parts: Iterable[Doc] = parsed[item.content_hash][0]
            else:
                parts = nlp.iter_docs(item.blob, vocab_nlp)
            windows = nlp.extraction_windows(parts, body=item.body)
        except Exception as exc:
            failures.extend(Failure.of(item.article_id, stage.name, exc) for stage in stages)
            continue
        article_rows, article_failures = _extract(item, stages, windows, context)
        failures.extend(article_failures)
        for table, table_rows in article_rows.items():
            rows[table].extend(table_rows)
    docs = tuple(
        ParsedDoc(content_hash, nlp.docs_to_bytes(parts), words)
        for content_hash, (parts, words) in parsed.items()
    )
    return BatchResult(
        docs=docs,
        tables={table: _ipc(table, table_rows) for table, table_rows in rows.items()},
        failures=tuple(failures),
        articles=len(batch.items),
        words=sum(doc.words for doc in docs),
        parse_seconds=round(parse_seconds, 4),
        extract_seconds=round(time.perf_counter() - started - parse_seconds, 4),
        counts={table: len(table_rows) for table, table_rows in rows.items()},
    )


def _parse(items: Sequence[ArticleWork]) -> tuple[dict[str, tuple[list[Doc], int]], dict]:
    """Docs (per body: its windows) and word counts of ``items``' bodies, each parsed once.

    The bodies are annotated together (spaCy batches them); if that raises, one at a time, so
    one bad body costs its own parse. Returns the parsed bodies by content hash, and the
    failures by content hash (error class, message).
    """
    from pipeline import nlp

    bodies = {item.content_hash: item.body for item in items}
    hashes = list(bodies)
    parsed: dict[str, tuple[list[Doc], int]] = {}
    failures: dict[str, tuple[str, str]] = {}
    if not hashes:
        return parsed, failures
    try:
        annotated = nlp.annotate_many([bodies[h] for h in hashes])
        parsed = {
            h: (parts, nlp.words_of(parts)) for h, parts in zip(hashes, annotated, strict=True)
        }
    except Exception:
        for content_hash in hashes:
            try:
                parts = nlp.annotate_windows(bodies[content_hash])
                parsed[content_hash] = (parts, nlp.words_of(parts))
            except Exception as exc:
                failures[content_hash] = (type(exc).__name__, str(exc)[:2000])
    return parsed, failures


def _extract(
    item: ArticleWork,
    stages: Sequence[StageSpec],
    windows: Iterator[Doc],
    context: WorkerContext,
) -> tuple[ArticleRows, list[Failure]]:
    """Every stage of ``stages`` over every window of one article, failures isolated.

    A stage that raises yields no rows for the article (not half of them) and a failure; a
    later stage of the pass then sees it as empty. Restoring or cutting a window that raises
    fails every stage not yet failed.
    """
    rows: ArticleRows = {}
    failed: dict[str, BaseException] = {}
    while True:
        try:
            window = next(windows)
        except StopIteration:
            break
        except Exception as exc:
            failed.update({s.name: exc for s in stages if s.name not in failed})
            break
        window_rows: ArticleRows = {}
        for stage in stages:
            if stage.name in failed:
                window_rows.update({table: [] for table in stage.tables})
                continue
            try:
                produced = stage.extract(item, window, window_rows, context)
                window_rows.update({table: list(r) for table, r in produced.items()})
            except Exception as exc:
                failed[stage.name] = exc
                window_rows.update({table: [] for table in stage.tables})
        for table, table_rows in window_rows.items():
            rows.setdefault(table, []).extend(table_rows)
    for stage in stages:
        if stage.name in failed:
            rows.update({table: [] for table in stage.tables})
    return rows, [Failure.of(item.article_id, name, exc) for name, exc in failed.items()]


def _arrow_schemas() -> dict[str, pa.Schema]:
    from pipeline.tables import SCHEMAS

    return {
        table: pl.DataFrame(schema=schema).to_arrow().schema for table, schema in SCHEMAS.items()
    }


#: Each table's Arrow schema, made when the module is imported (before any fork): a forked
#: worker must not use Polars, whose thread pool does not survive a fork (a write hung).
ARROW_SCHEMAS = _arrow_schemas()


def _ipc(table: str, rows: Sequence[Mapping[str, object]]) -> bytes:
    """Rows of ``table`` as an Arrow IPC stream, built with pyarrow (fork-safe)."""
    schema = ARROW_SCHEMAS[table]
    names = schema.names
    batch = pa.Table.from_pylist([{n: row.get(n) for n in names} for row in rows], schema=schema)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as writer:
        writer.write_table(batch)
    return sink.getvalue().to_pybytes()


def read_table(data: bytes) -> pl.DataFrame:
    """A table's rows from a :class:`BatchResult` buffer (in the parent)."""
    return pl.read_ipc_stream(io.BytesIO(data))


@lru_cache(maxsize=1)
def _one_blas_thread() -> None:
    """One BLAS thread per worker: the workers fill the cores (set once per process)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")


# -- the pipeline's stages, as workers run them -------------------------------------------------
def extract_claims(
    item: ArticleWork, doc: Doc, _: ArticleRows, __: WorkerContext
) -> Mapping[str, list]:
    """Claims and the source mentions behind them."""
    from pipeline import assemble

    return assemble.claim_rows(item.article_id, doc, outlet=item.outlet)


def extract_figures(
    item: ArticleWork, doc: Doc, earlier: ArticleRows, _: WorkerContext
) -> Mapping[str, list]:
    """Figures, linked to the claim whose content contains them (this pass's, else stored)."""
    from pipeline import assemble

    if "claims" in earlier:
        spans: Sequence[ClaimSpan] = [
            assemble.ClaimSpan(str(r["claim_id"]), int(r["content_start"]), int(r["content_end"]))  # type: ignore[arg-type]
            for r in earlier["claims"]
        ]
    else:
        spans = item.claims
    return {"figures": assemble.figure_rows(item.article_id, doc, spans)}


def extract_locations(
    item: ArticleWork, doc: Doc, _: ArticleRows, context: WorkerContext
) -> Mapping[str, list]:
    """Place mentions resolved against the pass's gazetteer."""
    from pipeline import assemble

    return {"locations": assemble.location_rows(item.article_id, doc, context.gazetteer)}


#: The pipeline's extraction stages as workers run them, in pass order.
STAGES: dict[str, StageSpec] = {
    "claims": StageSpec("claims", ("claims", "source_mentions"), extract_claims),
    "figures": StageSpec("figures", ("figures",), extract_figures),
    "locations": StageSpec("locations", ("locations",), extract_locations),
}


def rows_of(results: Iterable[BatchResult], table: str) -> pl.DataFrame:
    """All rows of ``table`` in ``results``, in order."""
    frames = [read_table(r.tables[table]) for r in results if table in r.tables]
    return pl.concat(frames) if frames else to_frame(table, [])
