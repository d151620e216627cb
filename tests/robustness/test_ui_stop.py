"""``newsledger ui`` ended by SIGTERM stops every process it started (webserver, daemon, ...)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NEWSLEDGER = Path(sys.executable).parent / "newsledger"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_newsledger_ui_leaves_no_process_behind(tmp_path, gazetteer_path, signum):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "NEWSLEDGER_WAREHOUSE": str(tmp_path / "w.duckdb"),
        "NEWSLEDGER_GAZETTEER": str(gazetteer_path),
        "NEWSLEDGER_LANDING": str(tmp_path / "landing"),
    }
    port = _free_port()
    log = (tmp_path / "ui.log").open("w")
    ui = subprocess.Popen(
        [str(NEWSLEDGER), "ui", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        while not _up(f"http://127.0.0.1:{port}/server_info"):
            assert time.monotonic() < deadline, (tmp_path / "ui.log").read_text()[-2000:]
            assert ui.poll() is None, (tmp_path / "ui.log").read_text()[-2000:]
            time.sleep(1)
        started = psutil.Process(ui.pid).children(recursive=True)
        assert len(started) >= 3  # dagster dev, the webserver, the daemon (and code servers)
        groups = {os.getpgid(p.pid) for p in started if p.is_running()}
        signalled = time.monotonic()
        ui.send_signal(signum)
        ui.wait(timeout=60)
        # Nothing it started may be alive 30 s after the signal (normally none is at its exit).
        while _survivors(started, groups) and time.monotonic() < signalled + 30:
            time.sleep(1)
        assert _survivors(started, groups) == []
    finally:
        if ui.poll() is None:
            ui.kill()
        log.close()


def _survivors(started: list[psutil.Process], groups: set[int]) -> list[int]:
    """Pids of the processes started, or of their groups, that still run."""
    alive = {p.pid for p in started if _running(p)}
    alive |= {p.pid for p in psutil.process_iter() if _group(p) in groups and _running(p)}
    return sorted(alive)


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _group(process: psutil.Process) -> int | None:
    try:
        return os.getpgid(process.pid)
    except (ProcessLookupError, PermissionError):
        return None
