"""Great Expectations suites per published table, built in code from the contracts.

The Pandera models (``contracts.models``) are the source of truth; the suites here mirror them
so that a release carries an independent, human-readable proof (Data Docs) of what was checked
on the exact files it publishes. Two suites per table:

- ``<table>``: the single-table contract: columns, row count, keys unique and not null, nulls,
  value ranges, allowed sets, lengths and patterns, translated from the Pandera field checks.
- ``<table>.integrity``: what needs other tables or whole rows. GX has no cross-table
  expectation, so a frame of the table's key plus computed boolean columns is validated with
  ``expect_column_values_to_be_in_set([True])``: ``<column>_in_<table>`` for a reference,
  ``<text>_span_matches`` for ``articles.body[start:end] == text``, and one column per Pandera
  dataframe check (the check itself, evaluated row-wise). Nulls (an optional reference, a
  missing speaker) are skipped by GX.

Each expectation carries ``meta.blocking``: a failing blocking expectation refuses the release;
non-blocking ones (an empty extraction table) are reported as warnings. GX runs in an ephemeral
context on pandas frames (its SQL datasource cannot read DuckDB here).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandera.polars as pa
import polars as pl

from contracts.checks import REFERENCES, REFERRED_BY, SPANS
from contracts.models import MODELS
from pipeline.release import GateResult, read_tables
from pipeline.warehouse import RELEASE_TABLES

#: Tables that should not be empty; only an empty ``articles`` blocks a release.
NON_EMPTY = {
    "articles": True,
    "sources": False,
    "claims": False,
    "figures": False,
    "locations": False,
}
#: Values listed per failed expectation in reports.
REPORT_EXAMPLES = 5


@dataclass(frozen=True, slots=True)
class Outcome:
    """One evaluated expectation, reduced to what a report needs."""

    suite: str
    expectation: str
    column: str | None
    blocking: bool
    success: bool
    detail: str

    def describe(self) -> str:
        """One line: where, what, and why it failed."""
        where = f"{self.suite}.{self.column}" if self.column else self.suite
        return f"{where}: {self.expectation} {self.detail}".rstrip()


@dataclass(frozen=True, slots=True)
class ExpectationReport:
    """Every expectation of a release and where its Data Docs are."""

    outcomes: tuple[Outcome, ...]
    suites: int
    docs: Path | None = None

    @property
    def failures(self) -> tuple[Outcome, ...]:
        """Blocking expectations that failed: the release must not be published."""
        return tuple(o for o in self.outcomes if o.blocking and not o.success)

    @property
    def warnings(self) -> tuple[Outcome, ...]:
        """Non-blocking expectations that failed."""
        return tuple(o for o in self.outcomes if not o.blocking and not o.success)

    @property
    def passed(self) -> bool:
        """True when no blocking expectation failed."""
        return not self.failures


# -- suites ----------------------------------------------------------------------------------
def table_suite(table: str, rows: int | None = None) -> Any:
    """The single-table suite of ``table``: its Pandera contract, as GX expectations.

    Args:
        table: A published table.
        rows: Exact row count expected (the manifest's), when known.

    Raises:
        NotImplementedError: A contract check has no GX translation yet (add one here).
    """
    gx, gxe = _gx()
    schema = MODELS[table].to_schema()
    expectations: list[Any] = []
    add = expectations.append  # a suite takes expectations only once bound to a context
    add(
        gxe.ExpectTableColumnsToMatchSet(
            column_set=list(schema.columns), exact_match=True, meta=_meta(True)
        )
    )
    if rows is not None:
        add(gxe.ExpectTableRowCountToEqual(value=rows, meta=_meta(True)))
    if table in NON_EMPTY:
        add(gxe.ExpectTableRowCountToBeBetween(min_value=1, meta=_meta(NON_EMPTY[table])))
    for name, column in schema.columns.items():
        if not column.nullable:
            add(gxe.ExpectColumnValuesToNotBeNull(column=name, meta=_meta(True)))
        if column.unique:
            add(gxe.ExpectColumnValuesToBeUnique(column=name, meta=_meta(True)))
        for check in column.checks:
            add(_translate(name, check.name, check.statistics))
    for _, start, end in SPANS.get(table, ()):
        if start != "start":  # figures/locations: their span_is_ordered dataframe check
            add(
                gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                    column_A=end,
                    column_B=start,
                    or_equal=False,
                    ignore_row_if="either_value_is_missing",
                    meta=_meta(True),
                )
            )
    return gx.ExpectationSuite(name=table, expectations=expectations)


def integrity_suite(table: str, frame_columns: Sequence[str]) -> Any:
    """The cross-table suite of ``table``: every computed column must be True (or null)."""
    gx, gxe = _gx()
    key = _key(table)
    expectations = [
        gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[True], meta=_meta(True))
        for column in frame_columns
        if column not in key
    ]
    return gx.ExpectationSuite(name=f"{table}.integrity", expectations=expectations)


def integrity_frame(table: str, frames: Mapping[str, pl.DataFrame]) -> pl.DataFrame | None:
    """The table's key plus one boolean column per reference, span and dataframe check.

    Returns None when the table has nothing to check beyond its own columns.
    """
    frame = frames[table]
    key = _key(table)
    columns: dict[str, pl.Expr] = {}
    for column, other, ref_key in _references(table):
        if other in frames and column in frame.columns:
            keys = frames[other][ref_key].drop_nulls().unique()
            columns[f"{column}_in_{other}"] = (
                pl.when(pl.col(column).is_null()).then(None).otherwise(pl.col(column).is_in(keys))
            )
    for check in MODELS[table].to_schema().checks or []:
        # The Pandera dataframe check itself, evaluated row-wise: an exact mirror of any check
        # the contract gains, with no translation to keep in step.
        try:
            result = check._check_fn(pa.PolarsData(frame.lazy())).collect().to_series(0)
        except pl.exceptions.PolarsError:  # e.g. a missing column: the table suite says which
            result = pl.Series([False] * frame.height, dtype=pl.Boolean)
        frame = frame.with_columns(result.alias(f"_check_{check.name}"))
        columns[check.name] = pl.col(f"_check_{check.name}")
    if table in SPANS and "articles" in frames:
        bodies = frames["articles"].select("article_id", "body")
        frame = frame.join(bodies, on="article_id", how="left", maintain_order="left")
        body_lengths = pl.col("body").str.len_chars()
        for text, start, end in SPANS[table]:
            sliced = pl.col("body").str.slice(pl.col(start), pl.col(end) - pl.col(start))
            matches = (
                pl.col("body").is_not_null()
                & (pl.col(end) <= body_lengths)
                & (sliced == pl.col(text))
            )
            columns[f"{text}_span_matches"] = (
                pl.when(pl.col(start).is_null()).then(None).otherwise(matches.fill_null(False))
            )
    if not columns:
        return None
    return frame.select(*key, **columns)


def _references(table: str) -> list[tuple[str, str, str]]:
    """Every key of ``table`` that points into another table: (column, table, key).

    ``contracts.checks`` lists some of them on the referred side (``REFERRED_BY["sources"]``
    holds ``claims.source_id``); here each is checked on the referring table, as
    ``source_id_in_sources`` in ``claims.integrity``.
    """
    found = list(REFERENCES.get(table, ()))
    for referred, entries in REFERRED_BY.items():
        for referring, column, key in entries:
            if referring == table and (column, referred, key) not in found:
                found.append((column, referred, key))
    return found


# -- running ---------------------------------------------------------------------------------
def validate_tables(
    frames: Mapping[str, pl.DataFrame],
    *,
    expected_rows: Mapping[str, int] | None = None,
    docs: Path | None = None,
    run_name: str = "release",
    run_time: datetime | None = None,
) -> ExpectationReport:
    """Run every suite on ``frames`` in an ephemeral GX context; optionally build Data Docs.

    Args:
        frames: Published tables by name (all of them, so references can be checked).
        expected_rows: Row count per table to expect (the manifest's).
        docs: Folder to build the static Data Docs site into (``index.html``); replaced.
        run_name: Names the validation run in the Data Docs (the release version).
        run_time: Time of the run shown in the Data Docs.
    """
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if docs is not None:
        shutil.rmtree(docs, ignore_errors=True)
        context.add_data_docs_site(
            site_name="release",
            site_config={
                "class_name": "SiteBuilder",
                # A real SiteBuilder option, missing from GX's (self-declared incomplete) TypedDict.
                "show_how_to_buttons": False,  # pyright: ignore[reportArgumentType]
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    # GX requires an absolute path here; releases roots are often relative.
                    "base_directory": str(Path(docs).resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    datasource = context.data_sources.add_pandas("release")
    run_id = RunIdentifier(run_name=run_name, run_time=run_time or datetime.now(UTC))
    outcomes: list[Outcome] = []
    suites = 0
    for table in frames:
        if table not in MODELS:
            continue
        rows = (expected_rows or {}).get(table)
        checks: list[tuple[Any, pl.DataFrame]] = [(table_suite(table, rows), frames[table])]
        integrity = integrity_frame(table, frames)
        if integrity is not None:
            checks.append((integrity_suite(table, integrity.columns), integrity))
        for suite, frame in checks:
            suites += 1
            suite = context.suites.add(suite)
            asset = datasource.add_dataframe_asset(suite.name)
            batch = asset.add_batch_definition_whole_dataframe("all")
            validation = context.validation_definitions.add(
                gx.ValidationDefinition(name=suite.name, data=batch, suite=suite)
            )
            result = validation.run(
                batch_parameters={"dataframe": frame.to_pandas()},
                # BASIC has the counts and examples that a failure report and the Data Docs
                # show; SUMMARY also tallies the unexpected values: a sixth of the gate's time.
                result_format={
                    "result_format": "BASIC",
                    "partial_unexpected_count": REPORT_EXAMPLES,
                },
                run_id=run_id,
            )
            outcomes.extend(_outcome(suite.name, r) for r in result.results)
            _forget_batches(datasource)
    site = None
    if docs is not None:
        context.build_data_docs(site_names=["release"])
        site = docs / "index.html"
    return ExpectationReport(outcomes=tuple(outcomes), suites=suites, docs=site)


def gate_release(
    folder: Path,
    tables: Mapping[str, Any],
    *,
    docs: Path | None,
    run_name: str,
    run_time: datetime | None = None,
) -> GateResult:
    """Every suite on a (staged or published) release's Parquet files, as the writer's gate.

    Args:
        folder: The release folder (or its staging folder).
        tables: The manifest's ``tables`` (files, row counts).
        docs: Where to build the Data Docs; ``folder/docs`` for a release being written.
        run_name: The release version (names the run in the Data Docs).
        run_time: Time of the run shown in the Data Docs.
    """
    frames = read_tables(folder, tables)
    report = validate_tables(
        frames,
        expected_rows={name: int(table["rows"]) for name, table in tables.items()},
        docs=docs,
        run_name=run_name,
        run_time=run_time,
    )
    inside = report.docs is not None and docs is not None and docs.parent == folder
    return GateResult(
        failures=tuple(o.describe() for o in report.failures),
        warnings=tuple(o.describe() for o in report.warnings),
        evaluated=len(report.outcomes),
        suites=report.suites,
        docs=f"{docs.name}/index.html" if inside and docs is not None else None,
    )


def _outcome(suite: str, result: Any) -> Outcome:
    config = result.expectation_config
    kwargs = config.kwargs
    meta = config.meta or {}
    detail = ""
    if result.exception_info and result.exception_info.get("raised_exception"):
        detail = f"raised {result.exception_info.get('exception_message')}"
    elif not result.success:
        detail = _failure_detail(kwargs, result.result or {})
    return Outcome(
        suite=suite,
        expectation=config.type,
        column=kwargs.get("column") or kwargs.get("column_A"),
        blocking=bool(meta.get("blocking", True)),
        success=bool(result.success),
        detail=detail,
    )


def _failure_detail(kwargs: Mapping[str, Any], result: Mapping[str, Any]) -> str:
    if "unexpected_count" in result:
        sample = list(result.get("partial_unexpected_list") or [])[:REPORT_EXAMPLES]
        return (
            f"failed for {result['unexpected_count']} of {result.get('element_count')} rows"
            f" (e.g. {sample!r})"
        )
    if "observed_value" in result:
        expected = {k: v for k, v in kwargs.items() if k not in ("column", "batch_id")}
        return f"observed {result['observed_value']!r}, expected {expected!r}"
    return "failed"


def _translate(column: str, name: str, stats: Mapping[str, Any]) -> Any:
    """One Pandera field check as the equivalent GX expectation (always blocking)."""
    _, gxe = _gx()
    meta = _meta(True)
    if name == "greater_than_or_equal_to":
        return gxe.ExpectColumnValuesToBeBetween(
            column=column, min_value=stats["min_value"], meta=meta
        )
    if name == "greater_than":
        return gxe.ExpectColumnValuesToBeBetween(
            column=column, min_value=stats["min_value"], strict_min=True, meta=meta
        )
    if name == "less_than_or_equal_to":
        return gxe.ExpectColumnValuesToBeBetween(
            column=column, max_value=stats["max_value"], meta=meta
        )
    if name == "less_than":
        return gxe.ExpectColumnValuesToBeBetween(
            column=column, max_value=stats["max_value"], strict_max=True, meta=meta
        )
    if name == "in_range":
        return gxe.ExpectColumnValuesToBeBetween(
            column=column,
            min_value=stats["min_value"],
            max_value=stats["max_value"],
            strict_min=not stats.get("include_min", True),
            strict_max=not stats.get("include_max", True),
            meta=meta,
        )
    if name == "isin":
        return gxe.ExpectColumnValuesToBeInSet(
            column=column, value_set=list(stats["allowed_values"]), meta=meta
        )
    if name == "str_length":
        if stats.get("exact_value") is not None:
            return gxe.ExpectColumnValueLengthsToEqual(
                column=column, value=stats["exact_value"], meta=meta
            )
        return gxe.ExpectColumnValueLengthsToBeBetween(
            column=column,
            min_value=stats.get("min_value"),
            max_value=stats.get("max_value"),
            meta=meta,
        )
    if name == "str_matches":
        return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=stats["pattern"], meta=meta)
    if name == "str_contains":
        return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=stats["pattern"], meta=meta)
    if name == "str_startswith":
        return gxe.ExpectColumnValuesToMatchRegex(
            column=column, regex="^" + re.escape(stats["string"]), meta=meta
        )
    if name == "str_endswith":
        return gxe.ExpectColumnValuesToMatchRegex(
            column=column, regex=re.escape(stats["string"]) + "$", meta=meta
        )
    if name == "notin":
        return gxe.ExpectColumnValuesToNotBeInSet(
            column=column, value_set=list(stats["forbidden_values"]), meta=meta
        )
    if name == "equal_to":
        return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[stats["value"]], meta=meta)
    if name == "not_equal_to":
        return gxe.ExpectColumnValuesToNotBeInSet(
            column=column, value_set=[stats["value"]], meta=meta
        )
    raise NotImplementedError(f"{column}: Pandera check {name} has no GX mirror")


def _forget_batches(datasource: Any) -> None:
    """Drop the DataFrames GX's execution engine caches for the life of the context.

    Its batch manager keeps every validated batch's data, and ``reset_batch_cache`` clears only
    the batch records, not the data. Without this, the gate holds every table in pandas at once,
    and the release step's memory grows with the corpus.
    """
    manager = datasource.get_execution_engine().batch_manager
    manager.reset_batch_cache()
    manager._batch_data_cache.clear()  # no public way to do this; a test guards it


def _gx() -> tuple[Any, Any]:
    """GX and its expectation classes, imported on first use (the import takes seconds)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    return gx, gxe


def _meta(blocking: bool) -> dict[str, Any]:
    return {"blocking": blocking}


def _key(table: str) -> list[str]:
    """Columns that identify a row in reports: the release's primary key."""
    if table in RELEASE_TABLES:
        return list(RELEASE_TABLES[table])
    return [name for name, column in MODELS[table].to_schema().columns.items() if column.unique]
