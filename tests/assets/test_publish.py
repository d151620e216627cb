"""Releases through the CLI and Dagster: one command from input to a release users can load.

The seeds are run once per module through ``newsledger run`` (a real Dagster instance in
tmp_path); the other tests reuse that warehouse and release.
"""

import re
import shutil
from pathlib import Path

import pytest

from assets.cli import main
from pipeline.release import CARD, CHANGELOG, MANIFEST, latest, read_manifest, verify_release
from pipeline.warehouse import RELEASE_TABLES, connect

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory, seeds_dir, gazetteer_path):
    root = tmp_path_factory.mktemp("release")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(root / "dagster"))
        patch.setenv("NEWSLEDGER_GAZETTEER", str(gazetteer_path))
        code = main(
            [
                "run",
                "--input",
                str(seeds_dir),
                "--warehouse",
                str(root / "w.duckdb"),
                "--releases",
                str(root / "releases"),
            ]
        )
        yield root, code, patch


def _parquet(release: Path) -> dict[str, bytes]:
    return {
        p.relative_to(release).as_posix(): p.read_bytes()
        for p in sorted((release / "data").rglob("*.parquet"))
    }


def test_run_goes_from_input_to_a_verified_release(built):
    root, code, _ = built
    assert code == 0
    release = latest(root / "releases")
    assert release is not None
    assert verify_release(release) == []
    manifest = read_manifest(release)
    assert set(manifest["tables"]) == set(RELEASE_TABLES)
    assert manifest["expectations"]["failed_blocking"] == 0
    assert (release / manifest["expectations"]["docs"]).exists()
    for name in (CARD, CHANGELOG, MANIFEST, "docs/index.html"):
        assert (release / name).exists(), name
    con = connect(root / "w.duckdb", read_only=True)
    try:
        for table, entry in manifest["tables"].items():
            assert entry["rows"] == con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        con.close()


def test_card_examples_run_inside_the_release(built, run_example):
    root, _, _ = built
    release = latest(root / "releases")
    blocks = re.findall(r"```python\n(.*?)```", (release / CARD).read_text(), flags=re.S)
    assert [("polars" in b, "pandas" in b, "duckdb" in b) for b in blocks] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
    for code in blocks:
        done = run_example(code, release)
        assert done.returncode == 0, done.stderr


def test_release_command_in_another_folder_gives_identical_parquet(built):
    root, _, _ = built
    first = latest(root / "releases")
    args = ["release", "--warehouse", str(root / "w.duckdb"), "--releases", str(root / "again")]
    assert main(args) == 0
    second = latest(root / "again")
    assert second is not None and second.name == first.name
    assert _parquet(second) == _parquet(first)
    assert "First release" in (second / CHANGELOG).read_text()


def test_verify_reruns_checksums_and_expectations(built, tmp_path, capsys):
    root, _, _ = built
    release = latest(root / "releases")
    assert main(["verify", str(root / "releases")]) == 0
    assert "expectations in" in capsys.readouterr().out
    copy = tmp_path / release.name
    shutil.copytree(release, copy)
    with (copy / "data" / "sources.parquet").open("ab") as handle:
        handle.write(b"junk")
    assert main(["verify", str(copy)]) == 1
    assert "checksum mismatch for data/sources.parquet" in capsys.readouterr().out


def test_failing_expectations_refuse_the_release(built, tmp_path, capsys):
    root, _, _ = built
    warehouse = tmp_path / "broken.duckdb"
    shutil.copy(root / "w.duckdb", warehouse)
    con = connect(warehouse)
    con.execute("UPDATE claims SET content = content || ' (edited)'")  # offsets now lie
    con.close()
    releases = tmp_path / "releases"
    assert main(["release", "--warehouse", str(warehouse), "--releases", str(releases)]) == 1
    assert "content_span_matches" in capsys.readouterr().out
    assert [p.name for p in releases.iterdir() if not p.name.startswith(".")] == []
    assert list((releases / ".refused").glob("*/index.html"))  # the report is kept, hidden


def test_release_into_a_relative_folder(built, tmp_path, monkeypatch):
    # The default releases root is relative (data/releases); GX's Data Docs need an absolute path.
    root, _, _ = built
    monkeypatch.chdir(tmp_path)
    args = ["release", "--warehouse", str(root / "w.duckdb"), "--releases", "relative/releases"]
    assert main(args) == 0
    release = latest(tmp_path / "relative" / "releases")
    assert release is not None
    assert (release / "docs" / "index.html").exists()
