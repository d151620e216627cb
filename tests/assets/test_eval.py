"""``newsledger eval`` scores the rows of a warehouse built by ``newsledger run``'s own job."""

import json
from pathlib import Path

import pytest

from assets.cli import main
from pipeline.evaluate.figures import warehouse_figures
from pipeline.warehouse import Warehouse, connect

pytestmark = pytest.mark.slow

FIGURES = [
    {
        "id": "s1",
        "text": "The company hired 250 workers last year.",
        "figures": [{"value": 250.0, "unit": "worker", "change": "=", "concept": "workers"}],
    },
    {
        "id": "s2",
        "text": "Prices rose by 3.5 percent in March.",
        "figures": [{"value": 3.5, "unit": "percentage", "change": "up", "concept": "prices"}],
    },
    {
        "id": "s3",
        "text": "More than 40 people were hurt in the storm.",
        "figures": [{"value": 40.0, "unit": "people", "change": ">", "concept": "people"}],
    },
]

PLACES = [
    {
        "id": "p1",
        "title": None,
        "text": "Protesters gathered in Paris on Sunday.\n\nLater they marched to Lyon.",
        "toponyms": [
            {
                "start": 22,
                "end": 27,
                "surface": "Paris",
                "type": "city",
                "geonameid": 2988507,
                "lat": 48.85341,
                "lon": 2.3488,
            },
            {
                "start": 64,
                "end": 68,
                "surface": "Lyon",
                "type": "city",
                "geonameid": 2996944,
                "lat": 45.74846,
                "lon": 4.84671,
            },
        ],
    }
]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def eval_env(tmp_path, monkeypatch, gazetteer_path):
    monkeypatch.setenv("NEWSLEDGER_EVAL_DIR", str(tmp_path / "eval"))
    monkeypatch.setenv("NEWSLEDGER_GAZETTEER", str(gazetteer_path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    # the figures eval's Recognizers-Text and unit-sentence pools: the repository's small copy
    monkeypatch.setenv(
        "NEWSLEDGER_FIGURE_POOLS", str(Path(__file__).resolve().parents[1] / "fixtures" / "figures")
    )
    return tmp_path


def _last_json(capsys) -> dict:
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    return json.loads(lines[-1])


def test_figures_eval_prints_one_json_line_last_with_both_halves(eval_env, capsys):
    gold = _write(eval_env / "figs.jsonl", FIGURES)
    assert main(["eval", "figures", "--gold", str(gold), "--json"]) == 0
    metrics = _last_json(capsys)
    for measure in ("value", "value+unit", "value+change"):
        assert set(metrics[measure]) >= {"p", "r", "f1"}
        assert metrics[measure]["f1"] == pytest.approx(1.0)
    assert {"read", "check"} <= set(metrics)
    assert set(metrics["suites"]) == {"currency", "range", "percent", "all"}
    # fx-range-3 is a near copy of fx-range-2 (only "<-" differs): scored on its own figures
    assert metrics["suites"]["all"] == pytest.approx(1.0)
    assert 0 <= metrics["units_accuracy"] <= 1
    assert set(metrics["units_accuracy_halves"]) == {"read", "check"}
    assert metrics["words_per_s"]["figures"] > 0
    assert "suites" in metrics["quantulum3"]


def test_figures_eval_scores_what_newsledger_run_builds(eval_env, capsys):
    gold = _write(eval_env / "figs.jsonl", FIGURES)
    assert main(["eval", "figures", "--gold", str(gold), "--json"]) == 0
    eval_warehouse = eval_env / "eval" / "figs" / "warehouse.duckdb"
    assert eval_warehouse.exists()
    # The same input through `newsledger run --no-release`, into a warehouse of its own.
    run_input = eval_env / "run-input" / "figs.jsonl"
    run_input.parent.mkdir()
    run_input.write_text(
        "".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in FIGURES)
    )
    run_warehouse = eval_env / "run.duckdb"
    assert (
        main(["run", "--input", str(run_input), "--warehouse", str(run_warehouse), "--no-release"])
        == 0
    )
    capsys.readouterr()
    rows = {}
    for path in (eval_warehouse, run_warehouse):
        con = connect(path, read_only=True)
        try:
            rows[path] = warehouse_figures(Warehouse(con))
        finally:
            con.close()
    assert rows[eval_warehouse] == rows[run_warehouse]
    assert {k: len(v) for k, v in rows[run_warehouse].items()} == {"s1": 1, "s2": 1, "s3": 1}


def test_locations_eval_maps_offsets_back_into_the_gold_text(eval_env, capsys):
    gold = _write(eval_env / "places.jsonl", PLACES)
    assert main(["eval", "locations", "--gold", str(gold), "--json"]) == 0
    metrics = _last_json(capsys)
    assert metrics["recognition"]["f1"] == pytest.approx(1.0)
    assert metrics["acc161_recognised"] == pytest.approx(1.0)
    assert set(metrics) >= {"acc161_end_to_end", "exact_geonameid", "read", "check"}


def test_conflicts_eval_decides_judged_pairs_with_the_stages_code(eval_env, capsys):
    gold = Path(__file__).resolve().parents[1] / "fixtures" / "conflicts" / "allsides-pairs.jsonl"
    assert main(["eval", "conflicts", "--gold", str(gold), "--limit", "6", "--json"]) == 0
    metrics = _last_json(capsys)
    assert metrics["pairs"] == 6
    assert metrics["found"] == 6  # every pair's two figures are rows of the eval's warehouse
    assert {"p", "r", "f1", "same_quantity", "read", "check"} <= set(metrics)
    assert metrics["read"]["pairs"] + metrics["check"]["pairs"] == 6
    # a stratified set is scored per stratum too (the first pairs are the initial sample)
    assert sum(stratum["pairs"] for stratum in metrics["strata"].values()) == 6
    assert {"read", "check"} <= set(metrics["strata"]["initial"])
    # the read half's pairs of one quantity whose frames do not match, counted by check
    assert sum(metrics["read_same_misses"].values()) <= metrics["read"]["same_quantity"]["gold"]
