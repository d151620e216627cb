"""Run a table's contract: its Pandera model plus the checks that need other tables.

A row is verifiable when ``articles.body[start:end]`` equals its text, and when the keys it
points to exist. Those checks need the articles (and sources, claims) beside the table, so they
run here rather than inside the single-frame Pandera model.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandera.errors
import polars as pl

from contracts.models import MODELS
from pipeline.version import code_version, modules_version

if TYPE_CHECKING:
    from pipeline.warehouse import Warehouse

#: Span columns per table: (text column, start column, end column).
SPANS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "claims": (
        ("content", "content_start", "content_end"),
        ("cue", "cue_start", "cue_end"),
        ("speaker", "speaker_start", "speaker_end"),
    ),
    "figures": (("text", "start", "end"),),
    "locations": (("text", "start", "end"),),
}

#: Foreign keys checked by contracts: (column, referenced table, referenced column).
REFERENCES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "claims": (("article_id", "articles", "article_id"),),
    "figures": (("article_id", "articles", "article_id"), ("claim_id", "claims", "claim_id")),
    "locations": (("article_id", "articles", "article_id"),),
    "quarantine": (("article_id", "articles", "article_id"),),
    "articles": (("duplicate_of", "articles", "article_id"),),
    "sources": (("same_as", "sources", "source_id"),),
    "claim_groups": (
        ("claim_id", "claims", "claim_id"),
        ("article_id", "articles", "article_id"),
        ("source_id", "sources", "source_id"),
        ("via_source_id", "sources", "source_id"),
    ),
    "figure_conflicts": (
        ("story_id", "stories", "story_id"),
        ("figure_id_a", "figures", "figure_id"),
        ("figure_id_b", "figures", "figure_id"),
        ("article_id_a", "articles", "article_id"),
        ("article_id_b", "articles", "article_id"),
    ),
}

#: Keys that point *into* a table, checked with that table because it is built after the
#: referring one (``sources`` is canonicalised from the claims): (referring table, column, key).
REFERRED_BY: dict[str, tuple[tuple[str, str, str], ...]] = {
    "sources": (("claims", "source_id", "source_id"), ("claims", "via_source_id", "source_id")),
    "stories": (("articles", "story_id", "story_id"),),
}


@dataclass(frozen=True)
class ContractResult:
    """Outcome of one table's contract."""

    table: str
    rows: int
    problems: tuple[str, ...] = field(default_factory=tuple)
    #: True when the verdict is the remembered pass on identical data and code.
    reused: bool = False

    @property
    def passed(self) -> bool:
        """True when every check held."""
        return not self.problems


def related_tables(table: str) -> tuple[str, ...]:
    """The other tables ``table``'s contract reads: articles for spans, and key targets."""
    related = {"articles"} if table in SPANS else set()
    related |= {other for _, other, _ in REFERENCES.get(table, ())}
    related |= {referring for referring, _, _ in REFERRED_BY.get(table, ())}
    return tuple(sorted(related))


def check_warehouse_table(wh: Warehouse, table: str) -> ContractResult:
    """Run ``table``'s contract on the warehouse, unless it passed on exactly this data.

    Without this, every run would re-validate every table in full, however little changed:
    on a no-op run that was the largest part of our own work, and it grows with the
    warehouse. The verdict is reused only when the table, every table its contract reads and
    the code (ours, Pandera's, Polars', DuckDB's) are all unchanged. Only passes are
    remembered, so a failing table is checked, and its problems reported, on every run.
    """
    names = (table, *related_tables(table))
    digest = wh.fingerprint(dict.fromkeys(names, ("*",)), salt=_contract_salt())
    rows = wh.contract_passed(table, digest)
    if rows is not None:
        return ContractResult(table=table, rows=rows, reused=True)
    result = check_table(table, wh.table(table), {name: wh.table(name) for name in names[1:]})
    if result.passed:
        wh.record_contract_pass(table, digest, result.rows)
    return result


@functools.cache
def _contract_salt() -> str:
    return f"{code_version()}+{modules_version(libraries=('pandera', 'polars', 'duckdb'))}"


def check_table(
    table: str, frame: pl.DataFrame, related: dict[str, pl.DataFrame] | None = None
) -> ContractResult:
    """Validate ``frame`` against the contract of ``table``.

    Args:
        table: Table name (a key of :data:`contracts.models.MODELS`).
        frame: The table's rows.
        related: Other tables by name (``articles`` for spans; ``sources``/``claims`` for keys);
            the checks that need a missing table are skipped.
    """
    related = related or {}
    problems: list[str] = []
    try:
        MODELS[table].validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        for row in cases.head(20).iter_rows(named=True):
            problems.append(
                f"{row.get('column')}: {row.get('check')} failed for {row.get('failure_case')!r}"
            )
        if cases.height > 20:
            problems.append(f"... and {cases.height - 20} more schema failures")
    if "articles" in related and table in SPANS:
        problems.extend(span_problems(table, frame, related["articles"]))
    for column, other, key in REFERENCES.get(table, ()):
        if other in related and column in frame.columns:
            problems.extend(_dangling(frame, column, related[other], key, other))
    for referring, column, key in REFERRED_BY.get(table, ()):
        if referring in related:
            problems.extend(
                f"{referring}.{problem}"
                for problem in _dangling(related[referring], column, frame, key, table)
            )
    return ContractResult(table=table, rows=frame.height, problems=tuple(problems))


def span_problems(table: str, frame: pl.DataFrame, articles: pl.DataFrame) -> list[str]:
    """Rows whose text is not ``body[start:end]`` of their article."""
    problems: list[str] = []
    if frame.is_empty():
        return problems
    bodies = articles.select("article_id", "body")
    joined = frame.join(bodies, on="article_id", how="left")
    for text, start, end in SPANS.get(table, ()):
        present = joined.filter(pl.col(start).is_not_null())
        sliced = present.with_columns(
            _slice=pl.col("body").str.slice(pl.col(start), pl.col(end) - pl.col(start))
        )
        bad = sliced.filter(
            pl.col("body").is_null()
            | (pl.col(end) > pl.col("body").str.len_chars())
            | (pl.col("_slice") != pl.col(text))
        )
        for row in bad.head(10).iter_rows(named=True):
            problems.append(
                f"{table}.{text} {row[text]!r} != body[{row[start]}:{row[end]}] "
                f"{row['_slice']!r} in {row['article_id']}"
            )
        if bad.height > 10:
            problems.append(f"... and {bad.height - 10} more {table}.{text} span mismatches")
    return problems


def _dangling(
    frame: pl.DataFrame, column: str, other: pl.DataFrame, key: str, other_name: str
) -> list[str]:
    values = frame.select(pl.col(column).drop_nulls().unique())
    missing = values.join(other.select(pl.col(key).alias(column)), on=column, how="anti")
    if missing.is_empty():
        return []
    sample = ", ".join(missing[column].head(5).to_list())
    return [f"{column}: {missing.height} values not in {other_name}.{key} (e.g. {sample})"]
