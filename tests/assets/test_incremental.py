"""Scheduled, incremental runs: the landing sensor and content-hash incrementality."""

import dagster as dg
import pytest

from assets.definitions import build_definitions
from pipeline.warehouse import RELEASE_TABLES, Warehouse, connect

pytestmark = pytest.mark.slow

CITIES = ["Baghdad", "Mosul", "Kirkuk", "Basra", "Erbil", "Kabul", "Damascus", "Aleppo"]


def _land(folder, index):
    city = CITIES[index % len(CITIES)]
    text = (
        f"Aid convoy {index} reaches {city}\n\n"
        f"More than {index + 10} trucks reached {city} on Monday, officials said. "
        f'"We delivered {index * 3 + 7} tonnes of food," said Omar Haddad, a spokesman for '
        f"the relief agency.\n"
    )
    (folder / f"article_{index:03d}.txt").write_text(text)


@pytest.fixture
def landed(tmp_path, monkeypatch, gazetteer_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    for index in range(100):
        _land(landing, index)
    monkeypatch.setenv("NEWSLEDGER_LANDING", str(landing))
    defs = build_definitions(
        warehouse=str(tmp_path / "w.duckdb"),
        inputs=[str(landing)],
        releases=str(tmp_path / "releases"),
        gazetteer=str(gazetteer_path),
    )
    (tmp_path / "dagster").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster")) as instance:
        yield defs, instance, landing, tmp_path / "w.duckdb"


def _tick(defs, instance, cursor):
    sensor = defs.resolve_sensor_def("landing_sensor")
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, definitions=defs, resources=defs.resources
    )
    return sensor.evaluate_tick(context)


def _run(defs, instance, request):
    """Run the warehouse job; per asset, how many articles it (re)processed."""
    processed = {}
    for key, metadata in _metadata(defs, instance, request).items():
        for name in ("processed", "parsed", "new_or_changed"):
            if name in metadata:
                processed[key] = metadata[name]
    return processed


def _counts(path):
    con = connect(path)
    try:
        wh = Warehouse(con)
        return {t: wh.count(t) for t in ("articles", "claims", "figures", "locations")}
    finally:
        con.close()


def test_one_new_article_is_the_only_one_processed(landed):
    defs, instance, landing, warehouse = landed
    first = _tick(defs, instance, None)
    assert len(first.run_requests) == 1
    assert len(first.run_requests[0].run_config["resources"]["inputs"]["config"]["paths"]) == 100
    processed = _run(defs, instance, first.run_requests[0])
    assert processed == {
        "articles": 100,
        "nlp_docs": 100,
        "claims": 100,
        "figures": 100,
        "locations": 100,
    }
    assert _counts(warehouse)["articles"] == 100

    quiet = _tick(defs, instance, first.cursor)
    assert not quiet.run_requests  # nothing new: the sensor skips

    _land(landing, 100)
    second = _tick(defs, instance, quiet.cursor or first.cursor)
    assert len(second.run_requests) == 1
    paths = second.run_requests[0].run_config["resources"]["inputs"]["config"]["paths"]
    assert [p.rsplit("/", 1)[-1] for p in paths] == ["article_100.txt"]
    processed = _run(defs, instance, second.run_requests[0])
    assert processed == {"articles": 1, "nlp_docs": 1, "claims": 1, "figures": 1, "locations": 1}
    assert _counts(warehouse)["articles"] == 101


def test_sensor_runs_keep_the_configured_field_mapping(tmp_path, monkeypatch, gazetteer_path):
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "export.jsonl").write_text(
        '{"ID": "x1", "headline": "Convoy reaches Basra", '
        '"content_original": "More than 40 trucks reached Basra, officials said."}\n'
    )
    monkeypatch.setenv("NEWSLEDGER_LANDING", str(landing))
    defs = build_definitions(
        warehouse=str(tmp_path / "w.duckdb"),
        fields={"title": "headline"},
        gazetteer=str(gazetteer_path),
    )
    (tmp_path / "dagster").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "dagster")) as instance:
        request = _tick(defs, instance, None).run_requests[0]
        config = request.run_config["resources"]["inputs"]["config"]
        assert config["fields"] == {"title": "headline"}
        _run(defs, instance, request)
    con = connect(tmp_path / "w.duckdb")
    try:
        titles = Warehouse(con).frame("SELECT title FROM articles")["title"].to_list()
    finally:
        con.close()
    assert titles == ["Convoy reaches Basra"]


def test_rematerialising_unchanged_input_changes_nothing(landed):
    defs, instance, _, warehouse = landed
    request = _tick(defs, instance, None).run_requests[0]
    _run(defs, instance, request)
    before = _counts(warehouse)
    processed = _run(defs, instance, request)
    assert processed == {"articles": 0, "nlp_docs": 0, "claims": 0, "figures": 0, "locations": 0}
    assert _counts(warehouse) == before


CORPUS_WIDE = ("sources", "duplicates", "stories", "claim_groups", "figure_conflicts")


def _metadata(defs, instance, request, warehouse=None):
    if warehouse is not None:  # the same landed files into another warehouse
        defs = build_definitions(
            warehouse=str(warehouse),
            inputs=request.run_config["resources"]["inputs"]["config"]["paths"],
            gazetteer=defs.resources["gazetteer"].path,
        )
        request = dg.RunRequest()
    job = defs.resolve_job_def("warehouse")
    result = job.execute_in_process(
        instance=instance, run_config=request.run_config, tags=request.tags
    )
    assert result.success
    found = {}
    for event in result.get_asset_materialization_events():
        materialization = event.step_materialization_data.materialization
        found[materialization.asset_key.to_user_string()] = {
            name: value.value for name, value in materialization.metadata.items()
        }
    return found


def _published(path):
    con = connect(path)
    try:
        wh = Warehouse(con)
        return {table: wh.table(table) for table in RELEASE_TABLES}
    finally:
        con.close()


def test_corpus_wide_stages_skip_unchanged_input_and_rebuild_on_a_change(landed, tmp_path):
    defs, instance, landing, warehouse = landed
    request = _tick(defs, instance, None).run_requests[0]
    first = _metadata(defs, instance, request)
    assert all(first[asset]["recomputed"] for asset in CORPUS_WIDE)
    built = _published(warehouse)

    again = _metadata(defs, instance, request)
    assert not any(again[asset]["recomputed"] for asset in CORPUS_WIDE)
    assert again["articles"]["reused"] == 100 and again["articles"]["new_or_changed"] == 0
    for asset in CORPUS_WIDE:
        assert again[asset]["fingerprint"] == first[asset]["fingerprint"], asset
    for table, frame in _published(warehouse).items():
        assert frame.equals(built[table]), table

    edited = landing / "article_007.txt"
    edited.write_text(edited.read_text().replace("tonnes of food", "tonnes of flour"))
    changed = _metadata(defs, instance, request)
    assert changed["articles"]["new_or_changed"] == 1 and changed["articles"]["reused"] == 99
    assert all(changed[asset]["recomputed"] for asset in CORPUS_WIDE)

    fresh = tmp_path / "fresh.duckdb"
    _metadata(defs, instance, request, warehouse=fresh)
    incremental, rebuilt = _published(warehouse), _published(fresh)
    assert not incremental["claims"].equals(built["claims"])  # the edit reached the claims
    for table, frame in rebuilt.items():
        assert incremental[table].equals(frame), table
