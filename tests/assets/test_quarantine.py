"""One article that breaks an extractor is quarantined; the run, its contracts and release go on."""

import json

import polars as pl
import pytest

from assets.cli import main
from pipeline.release import latest
from pipeline.warehouse import Warehouse, connect

pytestmark = pytest.mark.slow

MARKER = "Lyon"  # only the broken article names it


@pytest.fixture
def corpus(tmp_path, sample_dir):
    folder = tmp_path / "input"
    folder.mkdir()
    records = [
        {"id": f"ok-{n}", "text": f"About {n + 2},000 people marched in Paris, police said."}
        for n in range(5)
    ]
    records.append({"id": "broken", "text": f"Some 300 people gathered in {MARKER} on Monday."})
    (folder / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return [str(folder), str(sample_dir / "seeds")]


def test_a_failing_extractor_quarantines_one_article_and_the_release_is_published(
    corpus, tmp_path, monkeypatch, capsys, gazetteer_path
):
    from pipeline.extract import figures

    real = figures.extract_figures

    def breaks_on_one(doc, *args, **kwargs):
        if MARKER in doc.text:
            raise ZeroDivisionError("a figure parser bug")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(figures, "extract_figures", breaks_on_one)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.setenv("NEWSLEDGER_GAZETTEER", str(gazetteer_path))
    warehouse, releases = tmp_path / "w.duckdb", tmp_path / "releases"
    args = ["run", "--input", *corpus, "--warehouse", str(warehouse)]
    assert main([*args, "--releases", str(releases)]) == 0
    out = capsys.readouterr().out
    assert "quarantined articles (table quarantine): figures 1" in out
    assert f"release: {latest(releases)}" in out

    con = connect(warehouse, read_only=True)
    try:
        wh = Warehouse(con)
        rows = wh.frame(
            """
            SELECT a.external_id, q.stage, q.error_class, q.message
            FROM quarantine q JOIN articles a USING (article_id)
            """
        ).rows()
        assert rows == [("broken", "figures", "ZeroDivisionError", "a figure parser bug")]
        # Its other stages ran; the other articles' figures are there.
        broken_places = wh.frame(
            """
            SELECT count(*) FROM locations l JOIN articles a USING (article_id)
            WHERE a.external_id = 'broken'
            """
        ).item()
        assert broken_places >= 1
        figures_of = dict(
            wh.frame(
                """
                SELECT a.external_id, count(f.figure_id) FROM articles a
                LEFT JOIN figures f USING (article_id) GROUP BY 1
                """
            ).rows()
        )
        assert figures_of["broken"] == 0
        assert all(figures_of[f"ok-{n}"] >= 1 for n in range(5))
    finally:
        con.close()
    published = pl.read_parquet(latest(releases) / "data" / "quarantine.parquet")
    assert published["stage"].to_list() == ["figures"]

    # Unchanged body and code: the next run does not retry it (nor fail).
    assert main([*args, "--no-release"]) == 0
    assert "figures 1" in capsys.readouterr().out
