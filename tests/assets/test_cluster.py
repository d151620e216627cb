"""On a real local Dask cluster: the same tables as the local pool, and a killed worker costs
only a retry of its batches."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from pipeline import articles, stages
from pipeline.engine.dask import DaskEngine
from pipeline.warehouse import RELEASE_TABLES, Warehouse, connect

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NEWSLEDGER = Path(sys.executable).parent / "newsledger"
#: What the per-article pass writes, beside the published tables.
PASS_TABLES = ("nlp_docs", "source_mentions", "stage_state", "quarantine")


def _tables(path: Path) -> dict[str, list[tuple]]:
    con = connect(path, read_only=True)
    try:
        wh = Warehouse(con)
        names = [*RELEASE_TABLES, *PASS_TABLES]
        return {name: wh.frame(f"SELECT * FROM {name} ORDER BY ALL").rows() for name in names}
    finally:
        con.close()


def _run(root: Path, name: str, gazetteer: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DAGSTER_HOME": str(root / f"{name}-home"),
        "NEWSLEDGER_GAZETTEER": str(gazetteer),
    }
    env.pop("NEWSLEDGER_CLUSTER", None)
    command = [str(NEWSLEDGER), "run", "--input", str(ROOT / "data" / "sample")]
    command += ["--warehouse", str(root / f"{name}.duckdb"), "--no-release", *extra]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def test_a_local_cluster_gives_exactly_the_tables_of_the_local_pool(tmp_path, gazetteer_path):
    pool = _run(tmp_path, "pool", gazetteer_path)
    cluster = _run(tmp_path, "cluster", gazetteer_path, "--cluster", "local:2")
    assert pool.returncode == 0, pool.stdout[-2000:] + pool.stderr[-2000:]
    assert cluster.returncode == 0, cluster.stdout[-2000:] + cluster.stderr[-2000:]
    assert "articles, " in cluster.stdout  # the pass's progress lines
    expected, got = _tables(tmp_path / "pool.duckdb"), _tables(tmp_path / "cluster.duckdb")
    assert expected["claims"] and expected["nlp_docs"]
    assert got == expected


def _ingested(path: Path, sample_dir: Path) -> None:
    con = connect(path)
    try:
        stages.ingest(Warehouse(con), [sample_dir], field_map={})
    finally:
        con.close()


def test_a_worker_killed_mid_run_costs_a_retry_not_the_run(
    tmp_path, sample_dir, gazetteer_path, monkeypatch
):
    clean, killed = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    for path in (clean, killed):
        _ingested(path, sample_dir)
    con = connect(clean)
    try:
        stages.extract_pass(Warehouse(con), gazetteer_path, parse=True, n_process=1)
    finally:
        con.close()

    monkeypatch.setattr(articles, "BATCH_ARTICLES", 1)  # many batches: the kill lands mid-run
    engines: list[DaskEngine] = []
    enter = DaskEngine.__enter__

    def remember(self: DaskEngine) -> DaskEngine:
        engines.append(enter(self))
        return engines[-1]

    monkeypatch.setattr(DaskEngine, "__enter__", remember)
    victims: list[int] = []

    def kill_one(progress: articles.Progress) -> None:
        if not victims and progress.done < progress.total:
            victims.append(engines[0].worker_pids()[0])
            os.kill(victims[0], signal.SIGKILL)

    con = connect(killed)
    try:
        reports, run = stages.extract_pass(
            Warehouse(con),
            gazetteer_path,
            parse=True,
            cluster="local:2",
            on_progress=kill_one,
        )
    finally:
        con.close()
    assert victims, "no worker was killed"
    assert not psutil.pid_exists(victims[0]) or psutil.Process(victims[0]).status() == "zombie"
    assert run.total == run.articles
    assert all(report.quarantined == 0 for report in reports.values())
    assert _tables(killed) == _tables(clean)
