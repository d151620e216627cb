"""Against a real Dagster instance: webserver and daemon on 127.0.0.1, runs through GraphQL."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from dagster_graphql import DagsterGraphQLClient

from pipeline.warehouse import Warehouse, connect

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TABLES = ("articles", "rejected", "sources", "claims", "figures", "locations")

OVERVIEW = """
{
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes { name sensors { name } schedules { name } }
    }
  }
  assetNodes {
    assetKey { path }
    assetChecksOrError { ... on AssetChecks { checks { name blocking } } }
  }
}
"""

SENSOR_RUNS = """
query ($tags: [ExecutionTag!]) {
  runsOrError(filter: {tags: $tags}) {
    ... on Runs { results { runId status } }
  }
}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(1)
    raise TimeoutError(f"{url} did not come up in {seconds}s")


@pytest.fixture(scope="module")
def services(tmp_path_factory, gazetteer_path):
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    landing = home / "landing"
    landing.mkdir()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "NEWSLEDGER_WAREHOUSE": str(home / "warehouse.duckdb"),
        "NEWSLEDGER_INPUTS": str(ROOT / "data" / "sample" / "seeds"),
        "NEWSLEDGER_RELEASES": str(home / "releases"),
        "NEWSLEDGER_GAZETTEER": str(gazetteer_path),
        "NEWSLEDGER_LANDING": str(landing),
    }
    port = _free_port()
    log = (home / "services.log").open("w")
    common = {"cwd": ROOT, "env": env, "stdout": log, "stderr": subprocess.STDOUT}
    webserver = subprocess.Popen(
        [BIN / "dagster-webserver", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        **common,
    )
    daemon = subprocess.Popen([BIN / "dagster-daemon", "run", "-w", "workspace.yaml"], **common)
    try:
        _wait_for(f"http://127.0.0.1:{port}/server_info", 180)
        client = DagsterGraphQLClient("127.0.0.1", port_number=port)
        yield client, home, landing
    finally:
        for process in (daemon, webserver):
            process.terminate()
        for process in (daemon, webserver):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def _wait_for_run(client: DagsterGraphQLClient, run_id: str, seconds: float = 420) -> str:
    deadline = time.monotonic() + seconds
    status = ""
    while time.monotonic() < deadline:
        status = client.get_run_status(run_id).value
        if status in {"SUCCESS", "FAILURE", "CANCELED"}:
            return status
        time.sleep(2)
    return status


def _count(home: Path, table: str) -> int:
    con = connect(home / "warehouse.duckdb")
    try:
        return Warehouse(con).count(table)
    finally:
        con.close()


def test_ui_serves_schedule_sensor_and_checks_on_all_tables(services):
    client, _, _ = services
    data = client._execute(OVERVIEW)
    repository = data["repositoriesOrError"]["nodes"][0]
    assert [s["name"] for s in repository["sensors"]] == ["landing_sensor"]
    assert [s["name"] for s in repository["schedules"]] == ["daily_release"]
    checks = {
        "/".join(node["assetKey"]["path"]): node["assetChecksOrError"].get("checks", [])
        for node in data["assetNodes"]
    }
    for table in TABLES:
        assert [(c["name"], c["blocking"]) for c in checks[table]] == [(f"{table}_contract", True)]


def test_run_launched_through_graphql_fills_the_warehouse(services):
    client, home, _ = services
    run_id = client.submit_job_execution(
        "warehouse", repository_location_name="newsledger", repository_name="__repository__"
    )
    assert _wait_for_run(client, run_id) == "SUCCESS"
    for table in ("articles", "sources", "claims", "figures", "locations"):
        assert _count(home, table) > 0, table


def test_sensor_requests_a_run_for_a_landed_file(services):
    client, home, landing = services
    (landing / "landed.txt").write_text(
        "Convoy reaches Basra\n\nMore than 40 trucks reached Basra on Monday, officials said.\n"
    )
    deadline = time.monotonic() + 240
    runs: list[dict] = []
    while time.monotonic() < deadline and not runs:
        data = client._execute(
            SENSOR_RUNS, {"tags": [{"key": "dagster/sensor_name", "value": "landing_sensor"}]}
        )
        runs = data["runsOrError"]["results"]
        time.sleep(3)
    assert runs, "the landing sensor requested no run"
    assert _wait_for_run(client, runs[0]["runId"]) == "SUCCESS"
    con = connect(home / "warehouse.duckdb")
    try:
        titles = Warehouse(con).frame("SELECT title FROM articles")["title"].to_list()
    finally:
        con.close()
    assert "Convoy reaches Basra" in titles
