"""The across-articles stages as plain functions over a :class:`~pipeline.warehouse.Warehouse`.

Each Dagster asset of the ``across`` group calls one of these. They are corpus-wide: an article
added today can be a copy of, or join the story of, any earlier one, so each stage recomputes
its whole result (seconds for thousands of articles; no spaCy) and replaces it in one
transaction. Running twice leaves the same rows: every id is derived from the rows it groups.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import polars as pl

from pipeline.across.claim_groups import ClaimGroupSettings, group_claims
from pipeline.across.conflicts import ConflictSettings, figure_places, find_conflicts
from pipeline.across.duplicates import DuplicateSettings, find_duplicates
from pipeline.across.stories import StorySettings, cluster_stories, story_rows
from pipeline.warehouse import Warehouse


@dataclass(frozen=True, slots=True)
class AcrossReport:
    """What an across stage did."""

    stage: str
    rows: int
    changed: int = 0
    details: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def mark_duplicates(
    warehouse: Warehouse, settings: DuplicateSettings | None = None
) -> AcrossReport:
    """Set ``articles.duplicate_of`` for exact and near copies across the whole corpus.

    Ingest already marks exact copies within one batch; this stage sees every article, so a
    copy arriving in a later run, or a lightly edited one, is marked too.
    """
    started = time.perf_counter()
    articles = warehouse.frame(
        "SELECT article_id, published_at, body, content_hash FROM articles ORDER BY article_id"
    )
    found = find_duplicates(articles, settings or DuplicateSettings())
    changed = warehouse.set_article_column(
        "duplicate_of", found.select("article_id", pl.col("duplicate_of").alias("value"))
    )
    return AcrossReport(
        stage="duplicates",
        rows=int(found["duplicate_of"].is_not_null().sum()),
        changed=changed,
        details={"near": int((found["similarity"] < 1.0).sum())},
        seconds=round(time.perf_counter() - started, 3),
    )


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

    Writes ``articles.story_id`` and replaces the ``stories`` table, in one transaction each
    (the table first, so a story id never points at nothing for long; the contract checks both
    after the asset).
    """
    started = time.perf_counter()
    articles = warehouse.frame(
        "SELECT article_id, published_at, title, body, outlet, duplicate_of FROM articles"
    )
    originals = articles.filter(pl.col("duplicate_of").is_null())
    assignment = cluster_stories(
        originals, article_entities(warehouse), settings or StorySettings()
    )
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
    return AcrossReport(
        stage="stories",
        rows=stories.height,
        changed=changed,
        details={"articles_in_stories": int(assignment["story_id"].is_not_null().sum())},
        seconds=round(time.perf_counter() - started, 3),
    )


def build_claim_groups(
    warehouse: Warehouse, settings: ClaimGroupSettings | None = None
) -> AcrossReport:
    """Replace ``claim_groups``: statements by one source carried by several articles."""
    started = time.perf_counter()
    claims = warehouse.frame(
        "SELECT claim_id, article_id, source_id, via_source_id, content FROM claims"
    )
    articles = warehouse.frame("SELECT article_id, published_at, duplicate_of FROM articles")
    groups = group_claims(claims, articles, settings or ClaimGroupSettings())
    warehouse.replace_table("claim_groups", groups)
    return AcrossReport(
        stage="claim_groups",
        rows=groups.height,
        details={"groups": groups["claim_group_id"].n_unique()},
        seconds=round(time.perf_counter() - started, 3),
    )


def build_figure_conflicts(
    warehouse: Warehouse, settings: ConflictSettings | None = None
) -> AcrossReport:
    """Replace ``figure_conflicts``: figures of one story whose values cannot both hold."""
    started = time.perf_counter()
    articles = warehouse.frame(
        "SELECT article_id, published_at, duplicate_of, story_id FROM articles "
        "WHERE story_id IS NOT NULL AND duplicate_of IS NULL"
    )
    story_articles = articles["article_id"].to_list()
    figures = warehouse.frame(
        "SELECT * FROM figures WHERE article_id IN (SELECT unnest(?::VARCHAR[]))"
        " AND counted IS NOT NULL ORDER BY figure_id",
        [story_articles],
    )
    locations = warehouse.frame(
        "SELECT article_id, start, geonameid FROM locations"
        " WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
        [figures["article_id"].unique().to_list()],
    )
    bodies = dict(
        warehouse.frame(
            "SELECT article_id, body FROM articles"
            " WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [figures["article_id"].unique().to_list()],
        ).iter_rows()
    )
    speakers = dict(warehouse.frame("SELECT claim_id, source_id FROM claims").iter_rows())
    conflicts = find_conflicts(
        figures,
        articles,
        speakers,
        figure_places(figures, locations, bodies),
        settings or ConflictSettings(),
    )
    warehouse.replace_table("figure_conflicts", conflicts)
    return AcrossReport(
        stage="figure_conflicts",
        rows=conflicts.height,
        seconds=round(time.perf_counter() - started, 3),
    )
