"""Polars schemas of the warehouse tables, so every frame (even an empty one) has exact types.

The column names and meanings are the public contract (``contracts/``); a test checks that
these schemas, the DuckDB DDL and the Pandera models agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

UTC_TIME = pl.Datetime("us", "UTC")

SCHEMAS: dict[str, dict[str, pl.DataType | type[pl.DataType]]] = {
    "articles": {
        "article_id": pl.String,
        "external_id": pl.String,
        "source_uri": pl.String,
        "outlet": pl.String,
        "url": pl.String,
        "title": pl.String,
        "authors": pl.List(pl.String),
        "published_at": UTC_TIME,
        "language": pl.String,
        "body": pl.String,
        "word_count": pl.Int32,
        "content_hash": pl.String,
        "duplicate_of": pl.String,
        "story_id": pl.String,
    },
    "rejected": {
        "rejection_id": pl.String,
        "source_uri": pl.String,
        "external_id": pl.String,
        "reason": pl.String,
        "detail": pl.String,
    },
    "quarantine": {
        "article_id": pl.String,
        "stage": pl.String,
        "content_hash": pl.String,
        "code_version": pl.String,
        "error_class": pl.String,
        "message": pl.String,
    },
    "boilerplate": {
        "article_id": pl.String,
        "position": pl.Int32,
        "kind": pl.String,
        "text": pl.String,
        "reason": pl.String,
    },
    "claims": {
        "claim_id": pl.String,
        "article_id": pl.String,
        "source_id": pl.String,
        "speaker": pl.String,
        "speaker_start": pl.Int32,
        "speaker_end": pl.Int32,
        "cue": pl.String,
        "cue_start": pl.Int32,
        "cue_end": pl.Int32,
        "content": pl.String,
        "content_start": pl.Int32,
        "content_end": pl.Int32,
        "is_direct": pl.Boolean,
        "via_source_id": pl.String,
        "method": pl.String,
    },
    "source_mentions": {
        "claim_id": pl.String,
        "role": pl.String,
        "article_id": pl.String,
        "source_id": pl.String,
        "name": pl.String,
        "kind": pl.String,
        "description": pl.String,
        "surface": pl.String,
    },
    "sources": {
        "source_id": pl.String,
        "name": pl.String,
        "kind": pl.String,
        "description": pl.String,
        "aliases": pl.List(pl.String),
        "same_as": pl.String,
    },
    "figures": {
        "figure_id": pl.String,
        "article_id": pl.String,
        "claim_id": pl.String,
        "text": pl.String,
        "start": pl.Int32,
        "end": pl.Int32,
        "value": pl.Float64,
        "value_low": pl.Float64,
        "value_high": pl.Float64,
        "change": pl.String,
        "unit": pl.String,
        "kind": pl.String,
        "counted": pl.String,
        "frame_counted": pl.String,
        "frame_event": pl.String,
        "frame_holder": pl.String,
        "frame_place": pl.String,
        "frame_time": pl.String,
        "frame_role": pl.String,
    },
    "locations": {
        "location_id": pl.String,
        "article_id": pl.String,
        "text": pl.String,
        "start": pl.Int32,
        "end": pl.Int32,
        "geonameid": pl.Int64,
        "name": pl.String,
        "feature_code": pl.String,
        "country_code": pl.String,
        "admin1": pl.String,
        "latitude": pl.Float64,
        "longitude": pl.Float64,
        "confidence": pl.Float64,
        "mention": pl.String,
    },
    "stories": {
        "story_id": pl.String,
        "label": pl.String,
        "first_published": UTC_TIME,
        "last_published": UTC_TIME,
        "article_count": pl.Int32,
        "outlet_count": pl.Int32,
        "outlets": pl.List(pl.String),
    },
    "claim_groups": {
        "claim_group_id": pl.String,
        "claim_id": pl.String,
        "article_id": pl.String,
        "source_id": pl.String,
        "via_source_id": pl.String,
        "is_representative": pl.Boolean,
        "similarity": pl.Float64,
        "from_duplicate": pl.Boolean,
    },
    "figure_conflicts": {
        "conflict_id": pl.String,
        "story_id": pl.String,
        "counted": pl.String,
        "figure_id_a": pl.String,
        "article_id_a": pl.String,
        "source_id_a": pl.String,
        "text_a": pl.String,
        "value_a": pl.Float64,
        "low_a": pl.Float64,
        "high_a": pl.Float64,
        "figure_id_b": pl.String,
        "article_id_b": pl.String,
        "source_id_b": pl.String,
        "text_b": pl.String,
        "value_b": pl.Float64,
        "low_b": pl.Float64,
        "high_b": pl.Float64,
        "frame_a": pl.String,
        "frame_b": pl.String,
        "frame_match": pl.String,
        "reason": pl.String,
    },
}


def to_frame(table: str, rows: Iterable[Mapping[str, object]]) -> pl.DataFrame:
    """Build a frame with the exact schema of ``table`` from row dicts (extra keys dropped)."""
    schema = SCHEMAS[table]
    columns: dict[str, list[object]] = {name: [] for name in schema}
    for row in rows:
        for name in schema:
            columns[name].append(row.get(name))
    return pl.DataFrame(columns, schema=schema)
