"""A build run with nothing new stops after ingest; anything new, edited or missing runs it all.

The runs below share one project folder, in order; each test leaves it built and sealed.
"""

import shutil
from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import build_definitions
from pipeline.release import latest
from pipeline.warehouse import connect

pytestmark = pytest.mark.slow

STEPS = {
    "articles",
    "gazetteer",
    "duplicates",
    "extractions",  # the doc cache (nlp_docs) and the three extractions: one step
    "sources",
    "stories",
    "claim_groups",
    "figure_conflicts",
    "release",
}
AFTER_INGEST = STEPS - {"articles", "gazetteer"}
TAMPER = (
    "UPDATE claims SET content = 'tampered ' || content "
    "WHERE claim_id = (SELECT min(claim_id) FROM claims)"
)
UNTAMPER = "UPDATE claims SET content = substr(content, 10) WHERE content LIKE 'tampered %'"


def _build(root: Path, gazetteer: Path, selection=None) -> dg.ExecuteInProcessResult:
    defs = build_definitions(
        warehouse=str(root / "warehouse.duckdb"),
        inputs=[str(root / "inputs")],
        releases=str(root / "releases"),
        gazetteer=str(gazetteer),
    )
    (root / "dagster").mkdir(exist_ok=True)
    with dg.instance_for_test(temp_dir=str(root / "dagster")) as instance:
        return defs.resolve_job_def("build").execute_in_process(
            instance=instance, asset_selection=selection, raise_on_error=False
        )


def _skipped(result: dg.ExecuteInProcessResult) -> set[str]:
    return {e.step_key or "" for e in result.all_events if e.event_type_value == "STEP_SKIPPED"}


def _sealed(result: dg.ExecuteInProcessResult) -> bool:
    [release] = result.asset_materializations_for_node("release")
    return release.metadata["sealed"].value is True


def _execute(root: Path, sql: str) -> None:
    con = connect(root / "warehouse.duckdb")
    try:
        con.execute(sql)
    finally:
        con.close()


@pytest.fixture(scope="module")
def project(tmp_path_factory, seeds_dir, gazetteer_path):
    root = tmp_path_factory.mktemp("sealed")
    shutil.copytree(seeds_dir, root / "inputs")
    first = _build(root, gazetteer_path)
    assert first.success
    return root, first


def test_a_complete_build_seals_and_an_unchanged_rerun_stops_after_ingest(project, gazetteer_path):
    root, first = project
    assert _sealed(first)
    release = latest(root / "releases")

    again = _build(root, gazetteer_path)

    assert again.success and _skipped(again) == AFTER_INGEST
    # Only the gazetteer is materialised: its own root step, which found its file up to date.
    materialised = {str(e.asset_key) for e in again.get_asset_materialization_events()}
    assert materialised == {str(dg.AssetKey("gazetteer"))}
    for table in ("articles", "rejected"):
        [observed] = [
            o for o in again.asset_observations_for_node("articles") if o.asset_key.path == [table]
        ]
        assert observed.metadata["up_to_date_with_run"].value == first.run_id
    assert latest(root / "releases") == release


def test_an_edited_row_runs_every_step_and_undoing_the_edit_restores_the_seal(
    project, gazetteer_path
):
    root, _ = project
    _execute(root, TAMPER)

    broken = _build(root, gazetteer_path)

    assert not broken.success  # the claims contract ran, and failed
    failed = [e.check_name for e in broken.get_asset_check_evaluations() if not e.passed]
    assert failed == ["claims_contract"]

    _execute(root, UNTAMPER)
    assert _skipped(_build(root, gazetteer_path)) == AFTER_INGEST


def test_a_deleted_release_is_written_again(project, gazetteer_path):
    root, _ = project
    release = latest(root / "releases")
    assert release is not None
    shutil.rmtree(release)

    rebuilt = _build(root, gazetteer_path)

    assert rebuilt.success and not _skipped(rebuilt) and _sealed(rebuilt)
    assert latest(root / "releases") == release and (release / "manifest.json").exists()


def test_a_release_run_alone_does_not_seal(project, gazetteer_path):
    root, _ = project
    alone = _build(root, gazetteer_path, selection=[dg.AssetKey("release")])
    assert alone.success and not _sealed(alone)
    assert _skipped(_build(root, gazetteer_path)) == AFTER_INGEST  # the build's seal holds


def _build_job_from_environment() -> dg.JobDefinition:
    """The ``build`` job with resources from ``NEWSLEDGER_*`` (reconstructable, to re-execute)."""
    return build_definitions().resolve_job_def("build")


def test_a_reexecution_from_a_failure_does_not_seal(project, gazetteer_path, monkeypatch):
    root, _ = project
    monkeypatch.setenv("NEWSLEDGER_WAREHOUSE", str(root / "warehouse.duckdb"))
    monkeypatch.setenv("NEWSLEDGER_INPUTS", str(root / "inputs"))
    monkeypatch.setenv("NEWSLEDGER_RELEASES", str(root / "releases"))
    monkeypatch.setenv("NEWSLEDGER_GAZETTEER", str(gazetteer_path))
    job = dg.reconstructable(_build_job_from_environment)
    _execute(root, TAMPER)
    with dg.instance_for_test(temp_dir=str(root / "dagster")) as instance:
        failed = dg.execute_job(job, instance, raise_on_error=False)
        assert not failed.success
        _execute(root, UNTAMPER)

        options = dg.ReexecutionOptions.from_failure(failed.run_id, instance)
        again = dg.execute_job(job, instance, reexecution_options=options)

        assert again.success
        ran = {e.step_key for e in again.all_events if e.event_type_value == "STEP_START"}
        assert "articles" not in ran and "release" in ran
        [release] = again.asset_materializations_for_node("release")
        assert release.metadata["sealed"].value is False


def test_a_new_article_runs_the_steps_after_ingest(project, gazetteer_path):
    root, _ = project
    (root / "inputs" / "new.txt").write_text(
        "Convoy reaches Basra\n\nMore than 40 trucks reached Basra on Monday, officials said.\n"
    )

    grown = _build(root, gazetteer_path)

    assert grown.success and not _skipped(grown) and _sealed(grown)
    [docs] = [
        m
        for m in grown.asset_materializations_for_node("extractions")
        if m.asset_key.to_user_string() == "nlp_docs"
    ]
    assert docs.metadata["parsed"].value == 1
    assert _skipped(_build(root, gazetteer_path)) == AFTER_INGEST
