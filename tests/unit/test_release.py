"""Releases without Dagster: reproducible bytes, crash safety, changelog, gate, card, verify.

The warehouse rows are written directly with :class:`Warehouse` (a few hand-made articles whose
offsets are right), so these tests need neither spaCy nor Dagster.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from contracts.expectations import (
    gate_release,
    integrity_frame,
    table_suite,
    validate_tables,
)
from contracts.models import CONTRACT_VERSIONS, MODELS
from pipeline.card import render_card
from pipeline.release import (
    CARD,
    CHANGELOG,
    LATEST,
    MANIFEST,
    SLOW_ENV,
    ColumnDoc,
    GateResult,
    ReleaseRefused,
    diff_table,
    latest,
    read_manifest,
    read_tables,
    verify_release,
    write_release,
)
from pipeline.tables import SCHEMAS, to_frame
from pipeline.warehouse import RELEASE_TABLES, Warehouse, connect

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)

BODIES = {
    "a1": "Officials said 40 people died in Mosul.",
    "a2": "Baghdad was quiet, police said.",
    "a3": "No date here, but Kirkuk is named.",
}
PUBLISHED = {
    "a1": datetime(2020, 1, 5, tzinfo=UTC),
    "a2": datetime(2020, 2, 10, tzinfo=UTC),
    "a3": None,
}


def _span(article: str, text: str) -> tuple[int, int]:
    start = BODIES[article].index(text)
    return start, start + len(text)


def _rows() -> dict[str, list[dict]]:
    articles = [
        {
            "article_id": aid,
            "external_id": aid,
            "source_uri": f"{aid}.txt",
            "authors": [],
            "published_at": PUBLISHED[aid],
            "body": body,
            "word_count": len(body.split()),
            "content_hash": hashlib.sha256(body.encode()).hexdigest(),
        }
        for aid, body in BODIES.items()
    ]
    (cs, ce), (ts, te) = _span("a1", "said"), _span("a1", "40 people died in Mosul")
    (ss, se) = _span("a1", "Officials")
    claims = [
        {
            "claim_id": "c1",
            "article_id": "a1",
            "source_id": "s1",
            "speaker": "Officials",
            "speaker_start": ss,
            "speaker_end": se,
            "cue": "said",
            "cue_start": cs,
            "cue_end": ce,
            "content": "40 people died in Mosul",
            "content_start": ts,
            "content_end": te,
            "is_direct": False,
            "method": "rules",
        }
    ]
    sources = [
        {
            "source_id": "s1",
            "name": "Officials",
            "kind": "anonymous",
            "aliases": ["x"],
            "same_as": None,
        }
    ]
    start, end = _span("a1", "40")
    figures = [
        {
            "figure_id": "f1",
            "article_id": "a1",
            "claim_id": "c1",
            "text": "40",
            "start": start,
            "end": end,
            "value": 40.0,
            "change": "=",
            "kind": "count",
            "counted": "people",
        }
    ]
    locations = []
    for lid, aid, name, gid in (
        ("l1", "a1", "Mosul", 99072),
        ("l2", "a2", "Baghdad", 98182),
        ("l3", "a3", "Kirkuk", 94787),
    ):
        start, end = _span(aid, name)
        locations.append(
            {
                "location_id": lid,
                "article_id": aid,
                "text": name,
                "start": start,
                "end": end,
                "geonameid": gid,
                "name": name,
                "country_code": "IQ",
                "latitude": 35.0,
                "longitude": 44.0,
                "confidence": 0.9,
                "mention": "name",
            }
        )
    return {
        "articles": articles,
        "claims": claims,
        "sources": sources,
        "figures": figures,
        "locations": locations,
    }


def _fill(wh: Warehouse, rows: dict[str, list[dict]], *, reverse: bool = False) -> None:
    order = (lambda items: list(reversed(items))) if reverse else list
    articles = to_frame("articles", order(rows["articles"]))
    wh.upsert_articles(articles, to_frame("boilerplate", []))
    processed = articles.select("article_id", "content_hash")
    for table in ("claims", "figures", "locations"):
        wh.replace_stage_rows(table, "v1", processed, {table: to_frame(table, order(rows[table]))})
    wh.replace_table("sources", to_frame("sources", order(rows["sources"])))


def _columns() -> dict[str, list[ColumnDoc]]:
    out = {}
    for table in RELEASE_TABLES:
        contract = MODELS[table].to_schema().columns
        out[table] = [
            ColumnDoc(c, str(contract[c].dtype), contract[c].description or "")
            for c in SCHEMAS[table]
        ]
    return out


def _release(wh: Warehouse, root: Path, **options):
    return write_release(
        wh,
        root,
        code_version="test",
        contract_versions=CONTRACT_VERSIONS,
        columns=_columns(),
        card=render_card,
        now=NOW,
        **options,
    )


@pytest.fixture
def warehouse(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    wh = Warehouse(con)
    _fill(wh, _rows())
    yield wh
    con.close()


def _parquet_bytes(release: Path) -> dict[str, bytes]:
    return {
        p.relative_to(release).as_posix(): p.read_bytes()
        for p in sorted((release / "data").rglob("*.parquet"))
    }


def _python_blocks(markdown: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", markdown, flags=re.S)


def _run_card_examples(release: Path, run_example) -> None:
    blocks = _python_blocks((release / CARD).read_text())
    assert len(blocks) == 3
    for code in blocks:
        done = run_example(code, release)
        assert done.returncode == 0, done.stderr


# -- reproducibility ---------------------------------------------------------------------------
def test_same_rows_give_byte_identical_parquet_in_two_folders(tmp_path):
    releases = []
    for name, reverse in (("one", False), ("two", True)):
        con = connect(tmp_path / name / "w.duckdb")
        _fill(Warehouse(con), _rows(), reverse=reverse)  # insertion order must not matter
        releases.append(_release(Warehouse(con), tmp_path / name / "releases"))
        con.close()
    first, second = releases
    assert first.version == second.version
    assert _parquet_bytes(first.path) == _parquet_bytes(second.path)
    assert len(_parquet_bytes(first.path)) == len(RELEASE_TABLES)


def test_unchanged_data_returns_the_existing_release(warehouse, tmp_path):
    first = _release(warehouse, tmp_path / "r")
    again = _release(warehouse, tmp_path / "r")
    assert first.created and not again.created
    assert again.path == first.path
    assert latest(tmp_path / "r") == first.path


def test_unchanged_data_finds_its_release_without_reading_the_tables(
    warehouse, tmp_path, monkeypatch
):
    first = _release(warehouse, tmp_path / "r")
    with monkeypatch.context() as patch:
        patch.setattr(warehouse, "table", pytest.fail)  # no table is loaded
        again = _release(warehouse, tmp_path / "r")
    assert (again.version, again.created, again.rows) == (first.version, False, first.rows)
    shutil.rmtree(first.path)  # deleted by hand: written again, the same
    rewritten = _release(warehouse, tmp_path / "r")
    assert (rewritten.version, rewritten.created) == (first.version, True)
    warehouse.con.execute("UPDATE articles SET title = 'Another title'")
    changed = _release(warehouse, tmp_path / "r")
    assert changed.created and changed.version != first.version
    assert changed.previous == first.version


# -- manifest, verify ----------------------------------------------------------------------------
def test_manifest_describes_every_table_and_verifies(warehouse, tmp_path):
    info = _release(warehouse, tmp_path / "r")
    manifest = read_manifest(info.path)
    assert manifest["version"] == info.version
    assert manifest["created_at"] == "2024-01-02T03:04:05+00:00"
    assert manifest["code_version"] == "test"
    assert len(manifest["data_fingerprint"]) == 64
    assert manifest["input_fingerprint"]["articles"] == 3
    assert set(manifest["tables"]) == set(RELEASE_TABLES)
    claims = manifest["tables"]["claims"]
    assert claims["contract_version"] == CONTRACT_VERSIONS["claims"]
    assert claims["rows"] == 1
    assert claims["schema"][0] == {
        "column": "claim_id",
        "type": "String",
        "description": MODELS["claims"].to_schema().columns["claim_id"].description,
    }
    (entry,) = claims["files"]
    assert entry["path"] == "data/claims.parquet"
    assert entry["bytes"] == (info.path / entry["path"]).stat().st_size
    assert entry["sha256"] == hashlib.sha256((info.path / entry["path"]).read_bytes()).hexdigest()
    assert {d["path"] for d in manifest["documents"]} >= {CARD, CHANGELOG}
    assert verify_release(info.path) == []


def test_verify_finds_a_changed_byte_and_a_stray_file(warehouse, tmp_path):
    info = _release(warehouse, tmp_path / "r")
    file = info.path / "data" / "figures.parquet"
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(data))
    (info.path / "data" / "extra.parquet").write_bytes(b"")
    problems = verify_release(info.path)
    assert any("checksum mismatch for data/figures.parquet" in p for p in problems)
    assert any("extra.parquet is not in the manifest" in p for p in problems)


def test_input_fingerprint_ignores_extraction_but_data_fingerprint_does_not(tmp_path):
    versions = []
    for name, drop_figures in (("a", False), ("b", True)):
        con = connect(tmp_path / name / "w.duckdb")
        rows = _rows()
        if drop_figures:
            rows["figures"] = []
        _fill(Warehouse(con), rows)
        info = _release(Warehouse(con), tmp_path / name / "r")
        versions.append(read_manifest(info.path))
        con.close()
    a, b = versions
    assert a["input_fingerprint"] == b["input_fingerprint"]
    assert a["data_fingerprint"] != b["data_fingerprint"]


# -- partitioning and the card -----------------------------------------------------------------
def test_large_tables_are_split_by_month_and_load_as_the_card_says(
    warehouse, tmp_path, run_example
):
    info = _release(warehouse, tmp_path / "r", partition_min_rows=1)
    manifest = read_manifest(info.path)
    articles = manifest["tables"]["articles"]
    assert articles["location"] == "data/articles/"
    assert [f["partition"] for f in articles["files"]] == ["2020-01", "2020-02", "unknown"]
    assert [f["path"] for f in manifest["tables"]["locations"]["files"]] == [
        "data/locations/2020-01.parquet",
        "data/locations/2020-02.parquet",
        "data/locations/unknown.parquet",
    ]
    assert manifest["tables"]["sources"]["location"] == "data/sources.parquet"  # no dates
    assert read_tables(info.path)["locations"].equals(warehouse.table("locations"))
    assert verify_release(info.path) == []
    _run_card_examples(info.path, run_example)


def test_card_names_every_column_and_the_geonames_attribution(warehouse, tmp_path, run_example):
    info = _release(warehouse, tmp_path / "r")
    card = (info.path / CARD).read_text()
    assert "GeoNames, geonames.org" in card
    assert "CC-BY 4.0" in card
    for table, columns in _columns().items():
        assert f"### `{table}`" in card
        for column in columns:
            assert f"| `{column.name}` |" in card
    _run_card_examples(info.path, run_example)


# -- changelog -----------------------------------------------------------------------------------
def test_changelog_counts_rows_added_removed_and_changed_by_key(warehouse, tmp_path):
    first = _release(warehouse, tmp_path / "r")
    assert "First release" in (first.path / CHANGELOG).read_text()
    warehouse.con.execute("UPDATE locations SET confidence = 0.5 WHERE location_id = 'l1'")
    warehouse.con.execute("DELETE FROM locations WHERE location_id = 'l3'")
    warehouse.con.execute("DELETE FROM figures")
    second = _release(warehouse, tmp_path / "r")
    assert second.previous == first.version
    manifest = read_manifest(second.path)
    assert manifest["previous_version"] == first.version
    assert manifest["tables"]["locations"]["changes"] == {"added": 0, "removed": 1, "changed": 1}
    assert manifest["tables"]["figures"]["changes"] == {"added": 0, "removed": 1, "changed": 0}
    log = (second.path / CHANGELOG).read_text()
    assert f"Against release `{first.version}`" in log
    assert "| `locations` | 0 | 1 | 1 | 1 |" in log
    assert "`locations` changed: `l1`" in log


def test_diff_reports_schema_changes_and_unbumped_breaks():
    old = pl.DataFrame({"id": ["a", "b"], "n": [1, 2], "gone": ["x", "y"]})
    new = pl.DataFrame({"id": ["b", "c"], "n": [2.0, 3.0], "added": [True, False]})
    diff = diff_table("t", old, new, ["id"], contract_before="1.2.0", contract_after="1.3.0")
    assert (diff.added, diff.removed, diff.changed, diff.unchanged) == (1, 1, 0, 1)
    assert diff.columns_added == ("added",)
    assert diff.columns_removed == ("gone",)
    assert diff.columns_retyped == (("n", "Int64", "Float64"),)
    assert diff.breaking and diff.unbumped_break
    bumped = diff_table("t", old, new, ["id"], contract_before="1.2.0", contract_after="2.0.0")
    assert not bumped.unbumped_break


# -- the gate ------------------------------------------------------------------------------------
def test_refused_release_leaves_nothing_visible(warehouse, tmp_path):
    root = tmp_path / "r"
    first = _release(warehouse, root)
    warehouse.con.execute("DELETE FROM sources")

    def gate(folder, tables):
        assert (folder / "data" / "claims.parquet").exists()  # runs on the staged files
        return GateResult(failures=("claims.integrity.source_id_in_sources: 1 of 1 rows",))

    with pytest.raises(ReleaseRefused, match="source_id_in_sources"):
        _release(warehouse, root, gate=gate)
    assert {p.name for p in root.iterdir() if not p.name.startswith(".")} == {
        LATEST,
        first.version,
    }
    assert latest(root) == first.path
    assert not list(root.glob(".tmp-*"))


def test_expectations_mirror_every_contract_check():
    for table in MODELS:
        suite = table_suite(table, rows=3)
        kinds = {e.expectation_type for e in suite.expectations}
        assert "expect_table_columns_to_match_set" in kinds, table
    figures = table_suite("figures")
    assert any(
        e.expectation_type == "expect_column_values_to_be_in_set" and e.column == "kind"
        for e in figures.expectations
    )


def test_expectations_pass_on_good_rows_and_name_what_broke(warehouse, tmp_path):
    info = _release(warehouse, tmp_path / "r")
    frames = read_tables(info.path)
    good = gate_release(
        info.path, read_manifest(info.path)["tables"], docs=tmp_path / "docs", run_name="t"
    )
    assert good.passed, good.failures
    assert (tmp_path / "docs" / "index.html").exists()
    assert good.evaluated > 50

    broken = dict(frames)
    broken["claims"] = frames["claims"].with_columns(
        content=pl.lit("something else"), source_id=pl.lit("nobody")
    )
    broken["figures"] = frames["figures"].with_columns(kind=pl.lit("weird"))
    broken["articles"] = pl.concat([frames["articles"], frames["articles"].head(1)])
    broken["locations"] = frames["locations"].with_columns(latitude=pl.lit(95.0))
    failures = [o.describe() for o in validate_tables(broken).failures]
    text = "\n".join(failures)
    assert "articles.article_id: expect_column_values_to_be_unique" in text
    assert "claims.integrity.source_id_in_sources" in text
    assert "claims.integrity.content_span_matches" in text
    assert "figures.kind: expect_column_values_to_be_in_set" in text
    assert "locations.latitude: expect_column_values_to_be_between" in text
    assert "figures.integrity" not in text  # the figures' own spans still match


def test_integrity_frame_checks_references_spans_and_row_rules(warehouse):
    frames = {t: warehouse.table(t) for t in RELEASE_TABLES}
    claims = integrity_frame("claims", frames)
    assert claims is not None
    assert {"article_id_in_articles", "source_id_in_sources", "content_span_matches"} <= set(
        claims.columns
    )
    row = claims.row(0, named=True)
    assert row.pop("via_source_id_in_sources") is None  # no relay: nothing to check, GX skips
    assert set(row.values()) == {"c1", True}
    figures = integrity_frame("figures", frames)
    assert {"claim_id_in_claims", "value_or_range", "span_is_ordered"} <= set(figures.columns)


# -- crash safety --------------------------------------------------------------------------------
_WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
sys.path.insert(0, {root!r})
from pipeline.warehouse import Warehouse, connect
from pipeline.release import write_release
con = connect({warehouse!r}, read_only=True)
write_release(Warehouse(con), Path({releases!r}), code_version="test",
              contract_versions={{}}, columns={{}}, now=datetime(2024, 1, 1, tzinfo=UTC))
"""


def _writer(tmp_path: Path, releases: Path, slow: float) -> subprocess.Popen:
    script = _WRITER.format(
        root=str(ROOT), warehouse=str(tmp_path / "w.duckdb"), releases=str(releases)
    )
    env = {**os.environ, SLOW_ENV: str(slow)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], env=env)


def test_kill_during_write_leaves_no_partial_release_and_rerun_succeeds(warehouse, tmp_path):
    releases = tmp_path / "releases"
    warehouse.con.close()  # the writer subprocess opens the file itself
    process = _writer(tmp_path, releases, slow=2.0)
    deadline = time.monotonic() + 60
    while not list(releases.glob(".tmp-*/data/*.parquet")):
        assert process.poll() is None, "the writer finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    visible = [p for p in releases.iterdir() if not p.name.startswith(".")]
    assert visible == []  # no release folder, no LATEST
    assert list(releases.glob(".tmp-*"))  # the debris is hidden

    rerun = _writer(tmp_path, releases, slow=0)
    assert rerun.wait(timeout=120) == 0
    release = latest(releases)
    assert release is not None and (release / MANIFEST).exists()
    assert verify_release(release) == []
    assert not list(releases.glob(".tmp-*"))  # the next run cleaned up
    assert json.loads((release / MANIFEST).read_text())["tables"]["claims"]["rows"] == 1


def test_the_gate_holds_one_table_in_pandas_at_a_time(warehouse, tmp_path, monkeypatch):
    """GX caches every batch's DataFrame for the life of its context; the gate lets each go.

    Otherwise a release of a large corpus holds every table in pandas at once, and the release
    step's memory grows with the corpus (hundreds of MiB at 4,004 articles).
    """
    import gc

    import pandas as pd
    from great_expectations.core.validation_definition import ValidationDefinition

    alive_during: list[int] = []
    run = ValidationDefinition.run

    def counting_run(self, *args, **kwargs):
        result = run(self, *args, **kwargs)
        gc.collect()
        alive_during.append(sum(isinstance(o, pd.DataFrame) for o in gc.get_objects()))
        return result

    monkeypatch.setattr(ValidationDefinition, "run", counting_run)
    info = _release(warehouse, tmp_path / "r")
    report = validate_tables(read_tables(info.path))
    assert report.suites == len(alive_during) > 5
    # The frame of the suite just run is released when its ``to_pandas()`` goes out of scope,
    # after this hook; every earlier one must be gone already.
    assert max(alive_during) <= 1, alive_during
