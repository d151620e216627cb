"""The writer simulation commits synthetic results through the pass's own commit path."""

from pathlib import Path

from pipeline import writer_sim
from pipeline.warehouse import connect


def test_simulated_results_land_in_the_warehouse(tmp_path: Path) -> None:
    path = tmp_path / "writer.duckdb"
    report = writer_sim.simulate(path, 300)
    assert report.articles == 300
    per_article = writer_sim.PER_ARTICLE
    expected = 300 * (2 * per_article["claims"] + per_article["figures"] + per_article["locations"])
    assert report.rows == expected  # claims, their speakers' mentions, figures, locations
    con = connect(path, read_only=True)
    try:
        counts = {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in ("nlp_docs", "claims", "figures", "locations")
        }
    finally:
        con.close()
    assert counts == {
        "nlp_docs": 300,
        "claims": 300 * per_article["claims"],
        "figures": 300 * per_article["figures"],
        "locations": 300 * per_article["locations"],
    }
