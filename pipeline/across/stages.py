"""The across-articles stages as plain functions over a :class:`~pipeline.warehouse.Warehouse`.

Each Dagster asset of the ``across`` group calls one of these. They are corpus-wide: an article
added today can be a copy of, or join the story of, any earlier one, so each stage recomputes
its whole result (seconds for thousands of articles; no spaCy) and replaces it in one
transaction. Running twice leaves the same rows: every id is derived from the rows it groups.

A stage whose inputs and rows are unchanged since it last wrote (same fingerprint of the
columns it reads and writes, same code, same settings: :meth:`Warehouse.rebuild`) is not
recomputed; it reports what its last run found. The ``*_COLUMNS`` maps below name every column
each stage reads or writes and must follow its queries (a test rewrites every other column and
expects the same rows).
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from pipeline import ids, tables
from pipeline.across import claim_groups as claim_groups_module
from pipeline.across import conflicts as conflicts_module
from pipeline.across import duplicates as duplicates_module
from pipeline.across import intervals as intervals_module
from pipeline.across import sameness as sameness_module
from pipeline.across import sameness_keys as sameness_keys_module
from pipeline.across import sameness_lexicon as sameness_lexicon_module
from pipeline.across import sameness_records as sameness_records_module
from pipeline.across import stories as stories_module
from pipeline.across.claim_groups import ClaimGroupSettings, group_claims
from pipeline.across.conflicts import ConflictSettings, find_conflicts
from pipeline.across.duplicates import DuplicateSettings, find_duplicates
from pipeline.across.stories import StorySettings, cluster_stories, story_rows
from pipeline.extract import frames as frames_module
from pipeline.link import gazetteer_inputs as gazetteer_inputs_module
from pipeline.version import modules_version
from pipeline.warehouse import Warehouse

#: Columns each stage reads or writes, per table (``*``: every column).
DUPLICATES_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id", "published_at", "body", "content_hash", "duplicate_of"),
}
STORIES_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": (
        "article_id",
        "published_at",
        "title",
        "body",
        "outlet",
        "duplicate_of",
        "story_id",
    ),
    "claims": ("claim_id", "article_id", "source_id"),
    "locations": ("location_id", "article_id", "geonameid"),
    "figures": ("figure_id", "article_id", "counted"),
    "stories": ("*",),
}
CLAIM_GROUPS_COLUMNS: dict[str, tuple[str, ...]] = {
    "claims": ("claim_id", "article_id", "source_id", "via_source_id", "content"),
    "articles": ("article_id", "published_at", "duplicate_of"),
    "claim_groups": ("*",),
}
FIGURE_CONFLICTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": ("article_id", "published_at", "duplicate_of", "story_id", "outlet"),
    "figures": ("*",),
    "claims": ("claim_id", "source_id"),
    "figure_conflicts": ("*",),
}

#: Libraries whose results the stages depend on (a new version rebuilds them).
_LIBRARIES = ("datasketch", "rapidfuzz", "numpy", "polars", "duckdb")


@dataclass(frozen=True, slots=True)
class AcrossReport:
    """What an across stage did."""

    stage: str
    rows: int
    changed: int = 0
    details: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    #: False when the stage's inputs and rows were unchanged, so nothing was recomputed.
    recomputed: bool = True
    fingerprint: str = ""


@functools.cache
def _code_version() -> str:
    """Every across module (they share helpers such as ``publication_order``) and this one.

    Cached: it describes the code this process runs, which does not change under it.
    """
    return (
        modules_version(
            sys.modules[__name__],
            duplicates_module,
            stories_module,
            claim_groups_module,
            conflicts_module,
            intervals_module,
            sameness_module,
            sameness_lexicon_module,
            sameness_keys_module,
            sameness_records_module,
            gazetteer_inputs_module,  # its readers parse the demonym files for sameness
            frames_module,
            ids,
            tables,
            libraries=_LIBRARIES,
        )
        + frames_module.data_digest()[:8]
        + sameness_module.data_digest()[:8]
    )


def _rebuild(
    warehouse: Warehouse,
    stage: str,
    columns: Mapping[str, tuple[str, ...]],
    settings: object,
    build: Callable[[], Mapping[str, Any]],
) -> AcrossReport:
    """Run ``build`` through :meth:`Warehouse.rebuild`; an unchanged stage changes nothing."""
    started = time.perf_counter()
    run = warehouse.rebuild(stage, columns, f"{_code_version()}\x1f{settings!r}", build)
    return AcrossReport(
        stage=stage,
        rows=int(run.report["rows"]),
        changed=int(run.report.get("changed", 0)) if run.recomputed else 0,
        details={k: int(v) for k, v in run.report.get("details", {}).items()},
        seconds=round(time.perf_counter() - started, 3),
        recomputed=run.recomputed,
        fingerprint=run.fingerprint,
    )


def mark_duplicates(
    warehouse: Warehouse, settings: DuplicateSettings | None = None
) -> AcrossReport:
    """Set ``articles.duplicate_of`` for exact and near copies across the whole corpus.

    Ingest already marks exact copies within one batch; this stage sees every article, so a
    copy arriving in a later run, or a lightly edited one, is marked too.
    """
    settings = settings or DuplicateSettings()

    def build() -> dict[str, Any]:
        articles = warehouse.frame(
            "SELECT article_id, published_at, body, content_hash FROM articles ORDER BY article_id"
        )
        found = find_duplicates(articles, settings)
        changed = warehouse.set_article_column(
            "duplicate_of", found.select("article_id", pl.col("duplicate_of").alias("value"))
        )
        return {
            "rows": int(found["duplicate_of"].is_not_null().sum()),
            "changed": changed,
            "details": {"near": int((found["similarity"] < 1.0).sum())},
        }

    return _rebuild(warehouse, "duplicates", DUPLICATES_COLUMNS, settings, build)


def article_entities(warehouse: Warehouse) -> dict[str, frozenset[str]]:
    """Entity keys per article for story similarity: canonical sources, places, counted things.

    Outlets' own bylines are excluded (every article of an outlet shares them).
    """
    frame = warehouse.frame(
        """
        SELECT article_id, 'source:' || source_id AS entity FROM claims
        WHERE source_id IS NOT NULL
        UNION
        SELECT article_id, 'place:' || CAST(geonameid AS VARCHAR) FROM locations
        WHERE geonameid IS NOT NULL
        UNION
        SELECT article_id, 'counted:' || lower(counted) FROM figures WHERE counted IS NOT NULL
        """
    )
    entities: dict[str, set[str]] = {}
    for article_id, entity in frame.iter_rows():
        entities.setdefault(article_id, set()).add(entity)
    return {article_id: frozenset(keys) for article_id, keys in entities.items()}


def build_stories(warehouse: Warehouse, settings: StorySettings | None = None) -> AcrossReport:
    """Cluster originals into stories; copies inherit their original's story.

    Replaces the ``stories`` table and writes ``articles.story_id`` in one transaction (the
    contract checks both after the asset).
    """
    settings = settings or StorySettings()

    def build() -> dict[str, Any]:
        articles = warehouse.frame(
            "SELECT article_id, published_at, title, body, outlet, duplicate_of FROM articles"
        )
        originals = articles.filter(pl.col("duplicate_of").is_null())
        assignment = cluster_stories(originals, article_entities(warehouse), settings)
        of_copies = (
            articles.filter(pl.col("duplicate_of").is_not_null())
            .select("article_id", "duplicate_of")
            .join(assignment.rename({"article_id": "duplicate_of"}), on="duplicate_of", how="left")
            .select("article_id", "story_id")
        )
        assignment = pl.concat([assignment, of_copies]).sort("article_id")
        stories = story_rows(
            articles.select("article_id", "outlet", "title", "published_at"), assignment
        )
        warehouse.replace_table("stories", stories)
        changed = warehouse.set_article_column(
            "story_id", assignment.select("article_id", pl.col("story_id").alias("value"))
        )
        return {
            "rows": stories.height,
            "changed": changed,
            "details": {"articles_in_stories": int(assignment["story_id"].is_not_null().sum())},
        }

    return _rebuild(warehouse, "stories", STORIES_COLUMNS, settings, build)


def build_claim_groups(
    warehouse: Warehouse, settings: ClaimGroupSettings | None = None
) -> AcrossReport:
    """Replace ``claim_groups``: statements by one source carried by several articles."""
    settings = settings or ClaimGroupSettings()

    def build() -> dict[str, Any]:
        claims = warehouse.frame(
            "SELECT claim_id, article_id, source_id, via_source_id, content FROM claims"
        )
        articles = warehouse.frame("SELECT article_id, published_at, duplicate_of FROM articles")
        groups = group_claims(claims, articles, settings)
        warehouse.replace_table("claim_groups", groups)
        return {"rows": groups.height, "details": {"groups": groups["claim_group_id"].n_unique()}}

    return _rebuild(warehouse, "claim_groups", CLAIM_GROUPS_COLUMNS, settings, build)


def build_figure_conflicts(
    warehouse: Warehouse, settings: ConflictSettings | None = None
) -> AcrossReport:
    """Replace ``figure_conflicts``: figures of one story whose values cannot both hold."""
    settings = settings or ConflictSettings()

    def build() -> dict[str, Any]:
        articles = warehouse.frame(
            "SELECT article_id, published_at, duplicate_of, story_id, outlet FROM articles "
            "WHERE story_id IS NOT NULL AND duplicate_of IS NULL"
        )
        story_articles = articles["article_id"].to_list()
        figures = warehouse.frame(
            "SELECT * FROM figures WHERE article_id IN (SELECT unnest(?::VARCHAR[]))"
            " AND (counted IS NOT NULL OR frame_counted IS NOT NULL) ORDER BY figure_id",
            [story_articles],
        )
        speakers = dict(warehouse.frame("SELECT claim_id, source_id FROM claims").iter_rows())
        conflicts = find_conflicts(figures, articles, speakers, settings)
        warehouse.replace_table("figure_conflicts", conflicts)
        stories = conflicts["story_id"].n_unique() if conflicts.height else 0
        return {"rows": conflicts.height, "details": {"stories": stories}}

    return _rebuild(warehouse, "figure_conflicts", FIGURE_CONFLICTS_COLUMNS, settings, build)
