"""Materialise the whole graph on the seeds into tmp_path, then check what users rely on."""

from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

from assets.definitions import build_definitions
from pipeline.release import latest, verify_release
from pipeline.warehouse import Warehouse, connect

pytestmark = pytest.mark.slow


def _materialise(root: Path, inputs: list[str], gazetteer: Path) -> dg.ExecuteInProcessResult:
    defs = build_definitions(
        warehouse=str(root / "warehouse.duckdb"),
        inputs=inputs,
        releases=str(root / "releases"),
        gazetteer=str(gazetteer),
    )
    job = defs.resolve_job_def("build")
    (root / "dagster").mkdir(exist_ok=True)
    with dg.instance_for_test(temp_dir=str(root / "dagster")) as instance:
        return job.execute_in_process(instance=instance, raise_on_error=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory, seeds_dir, gazetteer_path):
    root = tmp_path_factory.mktemp("build")
    result = _materialise(root, [str(seeds_dir)], gazetteer_path)
    con = connect(root / "warehouse.duckdb")
    yield root, result, Warehouse(con)
    con.close()


def test_run_succeeds_with_every_check_passing(built):
    _, result, _ = built
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == 10  # six tables, articles again after duplicates, three across
    assert all(evaluation.passed for evaluation in evaluations)


def test_all_five_tables_are_filled(built):
    _, _, wh = built
    for table in ("articles", "sources", "claims", "figures", "locations"):
        assert wh.count(table) > 0, table


def test_release_is_written_and_intact(built):
    root, _, wh = built
    release = latest(root / "releases")
    assert release is not None
    assert verify_release(release) == []
    assert pq.read_table(release / "data" / "claims.parquet").num_rows == wh.count("claims")


def test_rerun_leaves_the_same_rows(built, seeds_dir, gazetteer_path):
    root, _, wh = built
    before = {t: wh.table(t) for t in ("articles", "claims", "figures", "locations", "sources")}
    wh.con.close()
    assert _materialise(root, [str(seeds_dir)], gazetteer_path).success
    con = connect(root / "warehouse.duckdb")
    again = Warehouse(con)
    for table, frame in before.items():
        assert again.table(table).equals(frame), table
    wh.con = con  # later tests keep using the fixture's warehouse


def _body(wh, name_part):
    return wh.frame(
        "SELECT article_id, title, body FROM articles WHERE source_uri LIKE ?", [f"%{name_part}%"]
    ).row(0, named=True)


def test_repeated_title_appears_once(built):
    _, _, wh = built
    article = _body(wh, "000_8a6a88420e78db9b")
    assert article["title"] == "US Starts Drawing Down Troops from Iraq"
    assert "US Starts Drawing Down Troops from Iraq" not in article["body"]


def test_caption_and_comment_prompt_are_not_in_any_body(built):
    _, _, wh = built
    bodies = wh.frame("SELECT body FROM articles")["body"].to_list()
    for body in bodies:
        assert "AP Photo/" not in body
        assert "having issues with commenting" not in body
        assert "Related Articles" not in body


def test_battle_quote_is_direct_from_al_hadithi_via_ap(built):
    _, _, wh = built
    claim = wh.frame(
        """
        SELECT c.*, s.name AS speaker_name, v.name AS via_name
        FROM claims c
        LEFT JOIN sources s ON s.source_id = c.source_id
        LEFT JOIN sources v ON v.source_id = c.via_source_id
        WHERE c.content LIKE 'The battle against Daesh [ISIS] has ended%'
        """
    ).row(0, named=True)
    assert claim["is_direct"]
    assert claim["speaker_name"] == "Saad al-Hadithi"
    assert claim["via_name"] == "The Associated Press"


@pytest.mark.parametrize(
    ("text", "value", "low", "high"),
    [
        ("60 percent", 60.0, None, None),
        ("4,000", 4000.0, None, None),
        ("1,000 to 1,500", None, 1000.0, 1500.0),
    ],
)
def test_seed_figures_have_the_right_values(built, text, value, low, high):
    _, _, wh = built
    rows = wh.frame(
        "SELECT value, value_low, value_high FROM figures WHERE text LIKE ?", [f"%{text}%"]
    )
    assert (value, low, high) in set(rows.iter_rows())


@pytest.mark.parametrize(
    ("place", "geonameid"),
    [("Mosul", 99072), ("Iraq", 99237), ("Kirkuk", 94787), ("Baghdad", 98182)],
)
def test_seed_places_resolve_to_geonames(built, place, geonameid):
    _, _, wh = built
    ids = set(wh.frame("SELECT geonameid FROM locations WHERE text = ?", [place])["geonameid"])
    assert ids == {geonameid}


def test_a_broken_contract_blocks_everything_downstream(built, tmp_path, seeds_dir, gazetteer_path):
    """A claim whose text no longer matches its span stops the run before anything reads it."""
    root, _, wh = built
    wh.con.execute("CHECKPOINT")
    (tmp_path / "warehouse.duckdb").write_bytes((root / "warehouse.duckdb").read_bytes())
    con = connect(tmp_path / "warehouse.duckdb")
    con.execute(
        "UPDATE claims SET content = 'tampered ' || content WHERE claim_id = "
        "(SELECT min(claim_id) FROM claims)"
    )
    con.close()

    result = _materialise(tmp_path, [str(seeds_dir)], gazetteer_path)

    assert not result.success
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert [e.check_name for e in failed] == ["claims_contract"]
    assert "tampered" in failed[0].metadata["problems"].value
    materialised = {
        event.asset_key.to_user_string() for event in result.get_asset_materialization_events()
    }
    # Figures and locations come out of the same step as claims; the steps after it never run.
    downstream = {"sources", "claim_groups", "stories", "figure_conflicts", "release"}
    assert "claims" in materialised and not materialised & downstream
    assert latest(tmp_path / "releases") is None


def test_subsets_picked_in_the_ui(built, tmp_path, seeds_dir, gazetteer_path):
    """One asset of a multi-asset step, or contracts alone, as the UI can launch them."""
    root, _, wh = built
    wh.con.execute("CHECKPOINT")
    (tmp_path / "warehouse.duckdb").write_bytes((root / "warehouse.duckdb").read_bytes())
    contracts = dg.AssetSelection.checks(
        dg.AssetCheckKey(dg.AssetKey("articles"), "articles_contract"),
        dg.AssetCheckKey(dg.AssetKey("claims"), "claims_contract"),
    )
    defs = build_definitions(
        warehouse=str(tmp_path / "warehouse.duckdb"),
        inputs=[str(seeds_dir)],
        releases=str(tmp_path / "releases"),
        gazetteer=str(gazetteer_path),
    )
    defs = dg.Definitions.merge(
        defs,
        dg.Definitions(
            jobs=[
                dg.define_asset_job("figures_only", selection=dg.AssetSelection.assets("figures")),
                dg.define_asset_job("contracts_only", selection=contracts),
            ]
        ),
    )
    (tmp_path / "dagster").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster")) as instance:
        figures = defs.resolve_job_def("figures_only").execute_in_process(instance=instance)
        checks = defs.resolve_job_def("contracts_only").execute_in_process(instance=instance)

    materialised = figures.get_asset_materialization_events()
    assert [e.asset_key.to_user_string() for e in materialised] == ["figures"]
    assert [(e.check_name, e.passed) for e in figures.get_asset_check_evaluations()] == [
        ("figures_contract", True)
    ]
    assert checks.get_asset_materialization_events() == []
    evaluated = sorted((e.check_name, e.passed) for e in checks.get_asset_check_evaluations())
    assert evaluated == [("articles_contract", True), ("claims_contract", True)]
