"""Gazetteer build, load and lookups (one build per test session)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.link import coverage
from pipeline.link.gazetteer import (
    KIND_ALIAS,
    Gazetteer,
    Place,
    fuzzy_key,
    load_gazetteer,
    name_key,
)
from pipeline.link.gazetteer_build import build_gazetteer

GEONAMES_DIR = Path(__file__).resolve().parents[2] / "data" / "gazetteer"


@pytest.fixture(scope="session")
def gazetteer_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Build the gazetteer once per session into a temporary folder."""
    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.arrow"
    stats = build_gazetteer(path, geonames_dir=GEONAMES_DIR)
    return path, stats


@pytest.fixture(scope="session")
def gazetteer(gazetteer_file: tuple[Path, dict]) -> Gazetteer:
    """The loaded session gazetteer."""
    return load_gazetteer(gazetteer_file[0])


def test_name_key_folds_case_accents_and_punctuation() -> None:
    assert name_key("Qayyārah") == "qayyarah"
    assert name_key("U.S.") == "us"
    assert name_key("Al-Asad") == "al asad"
    assert name_key("Martha’s Vineyard") == "marthas vineyard"


def test_fuzzy_key_joins_transliteration_variants() -> None:
    assert fuzzy_key("qayara") == fuzzy_key("qayyarah") == fuzzy_key("al qayyarah")


def test_build_stats_and_atomic_write(gazetteer_file: tuple[Path, dict]) -> None:
    path, stats = gazetteer_file
    assert path.exists() and not list(path.parent.glob("*.tmp"))
    assert stats["places_per_feature_class"]["P"] > 100_000
    assert stats["places_per_feature_class"]["A"] > 3_000
    assert stats["seconds"] > 0


def test_load_is_cached_per_path(gazetteer_file: tuple[Path, dict]) -> None:
    # Load time is reported by `newsledger eval locations`, not asserted: tests check correctness.
    first = load_gazetteer(gazetteer_file[0])
    assert load_gazetteer(gazetteer_file[0]) is first


@pytest.mark.parametrize(
    ("surface", "geonameid", "code"),
    [
        ("Iraq", 99237, "PCLI"),
        ("U.S.", 6252001, "PCLI"),
        ("UK", 2635167, "PCLI"),
        ("Mosul", 99072, "PPL"),
        ("Nineveh", 92877, "ADM1"),
    ],
)
def test_lookup_reaches_expected_place(
    gazetteer: Gazetteer, surface: str, geonameid: int, code: str
) -> None:
    places = [gazetteer.place(r) for r in gazetteer.lookup(surface)]
    match = [p for p in places if p.geonameid == geonameid]
    assert match and match[0].feature_code == code
    assert match[0].latitude is not None and match[0].longitude is not None


def test_country_points_and_capitals(gazetteer: Gazetteer) -> None:
    iraq = next(
        gazetteer.place(r) for r in gazetteer.lookup("Iraq") if gazetteer.feature_code(r) == "PCLI"
    )
    assert (iraq.latitude, iraq.longitude) == (33, 44)
    baghdad = [gazetteer.place(r) for r in gazetteer.lookup("Baghdad")]
    assert any(p.feature_code == "PPLC" and p.country_code == "IQ" for p in baghdad)


def test_spelling_variant_reaches_qayyarah(gazetteer: Gazetteer) -> None:
    ids = {int(gazetteer.geonameid[r]) for r in gazetteer.fuzzy("Qayara")}
    names = {gazetteer.place(r).name for r in gazetteer.fuzzy("Qayara")}
    assert ids and any("Qayy" in n for n in names)


def test_demonyms_and_aliases(gazetteer: Gazetteer) -> None:
    assert any(gazetteer.place(r).country_code == "IQ" for r in gazetteer.lookup("Iraqi"))
    assert any(gazetteer.place(r).geonameid == 6252001 for r in gazetteer.lookup("America"))


@pytest.mark.slow
def test_build_is_byte_identical_across_processes(tmp_path: Path) -> None:
    # Candidates are ranked in file order, so the file must not depend on the hash seed; the
    # rows from airportsdata, regions.txt and pycountry are part of the compared bytes.
    script = (
        "import sys; from pathlib import Path;"
        " from pipeline.link.gazetteer_build import build_gazetteer;"
        " build_gazetteer(Path(sys.argv[1]), geonames_dir=Path('data/gazetteer'))"
    )
    root = Path(__file__).resolve().parents[2]
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"gazetteer-{seed}.arrow"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out)], cwd=root, env=env, check=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    built = load_gazetteer(tmp_path / "gazetteer-1.arrow")
    codes = {
        text: {built.feature_code(r) for r in built.lookup(text)}
        for text in ("Al Asad Air Base", "Heathrow", "Black Sea", "Lake Erie", "NSW")
    }
    assert "AIRB" in codes["Al Asad Air Base"] and "AIRP" in codes["Heathrow"]
    assert "SEA" in codes["Black Sea"] and "LK" in codes["Lake Erie"]
    assert "ADM1" in codes["NSW"]  # ISO 3166-2 code of New South Wales (pycountry)


def _division(gazetteer: Gazetteer, name: str) -> Place:
    """The first-level division called ``name``."""
    return next(
        gazetteer.place(r) for r in gazetteer.lookup(name) if gazetteer.feature_code(r) == "ADM1"
    )


def test_large_division_point_spans_its_towns(gazetteer: Gazetteer) -> None:
    # Manitoba's towns crowd in the south; the GeoNames point (55.0, -97.0) is mid-province.
    manitoba = _division(gazetteer, "Manitoba")
    assert manitoba.latitude is not None and manitoba.latitude > 53.5


def test_curated_division_points_name_real_divisions() -> None:
    # A typo in a code would silently leave the estimate in place: every curated code is a
    # GeoNames admin1 code, under the same name.
    names = {}
    for line in (GEONAMES_DIR / "admin1CodesASCII.txt").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        names[fields[0]] = fields[1]
    listed = coverage.admin1_points(GEONAMES_DIR / "admin1_points.txt")
    assert len(listed) > 50
    for line in (GEONAMES_DIR / "admin1_points.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        code, name, lat, lon = line.split("\t")
        assert names.get(code) == name, code
        assert -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180


def test_curated_division_point_replaces_the_towns_estimate(gazetteer: Gazetteer) -> None:
    # Ontario's towns crowd its south (their box's midpoint is near 47.5 N); its point is
    # mid-province, so "Ontario" resolved right lies within 161 km of where gazetteers put it.
    ontario = _division(gazetteer, "Ontario")
    assert ontario.latitude is not None and ontario.latitude > 49
    assert not ontario.approx


def test_curated_alias_outranks_alternate_name(gazetteer: Gazetteer) -> None:
    rows = [r for r in gazetteer.lookup("New York") if int(gazetteer.geonameid[r]) == 5128581]
    assert rows and all(int(gazetteer.kind[r]) == KIND_ALIAS for r in rows)


def test_well_known_regions(gazetteer: Gazetteer) -> None:
    places = [gazetteer.place(r) for r in gazetteer.lookup("Korean Peninsula")]
    assert any(p.geonameid == 11494804 for p in places)
    # Rivers stand at their mouths, as GeoNames places them (the Mississippi in Louisiana).
    river = next(
        gazetteer.place(r)
        for r in gazetteer.lookup("Mississippi River")
        if gazetteer.feature_code(r) == "STM"
    )
    assert river.latitude is not None and river.latitude < 30
    assert any(gazetteer.feature_code(r) == "DSRT" for r in gazetteer.lookup("Gobi"))


def test_bundled_geonames_files_are_found_from_any_working_directory(tmp_path, monkeypatch):
    from pipeline.link.gazetteer import BUNDLED_GEONAMES

    monkeypatch.chdir(tmp_path)  # the CLI may run from any folder
    assert BUNDLED_GEONAMES.is_absolute()
    for name in ("admin1CodesASCII.txt", "countryInfo.txt", "nationalities.txt"):
        assert (BUNDLED_GEONAMES / name).is_file(), name


def _tiny_file(path: Path, keys: list[str]) -> Path:
    """A gazetteer file of one made-up place per key, written as build_gazetteer writes it."""
    import polars as pl

    from pipeline.link import gazetteer as module

    rows = [
        {
            "key": key,
            "kind": 0,
            "geonameid": i + 1,
            "name": key.title(),
            "feature_class": "P",
            "feature_code": "PPL",
            "country_code": "IQ",
            "admin1_code": None,
            "admin1": None,
            "latitude": 36.0,
            "longitude": 43.0,
            "population": 1000 * (i + 1),
            "approx": False,
        }
        for i, key in enumerate(keys)
    ]
    frame = pl.DataFrame(rows, schema=module._SCHEMA)
    module._write_mappable(module._by_key_hash(frame), path)
    return path


def test_a_string_with_a_keys_hash_is_not_that_key(tmp_path, monkeypatch) -> None:
    """Lookups bisect hashes, then check the key itself: equal hashes alone find nothing."""
    import polars as pl

    from pipeline.link import gazetteer as module

    monkeypatch.setattr(module, "key_hash", len)  # a hash with collisions on purpose
    path = _tiny_file(tmp_path / "tiny.arrow", ["mosul", "baghdad"])
    tiny = Gazetteer(pl.read_ipc(path, memory_map=True))
    assert [int(tiny.geonameid[r]) for r in tiny.rows_for("mosul")] == [1]
    assert [int(tiny.geonameid[r]) for r in tiny.rows_for("baghdad")] == [2]
    assert tiny.admin1_code(tiny.rows_for("mosul")[0]) is None
    assert not tiny.rows_for("basra")  # five letters, like "mosul"
    assert not tiny.rows_for("zz") and not tiny.rows_for("a much longer name")
    with pytest.raises(RuntimeError, match="share a 64-bit hash"):
        _tiny_file(tmp_path / "clash.arrow", ["mosul", "basra"])


def test_the_file_is_mapped_not_copied(gazetteer: Gazetteer) -> None:
    """The numeric columns are views of the mapped file (read-only), not private copies."""
    for column in (gazetteer.kind, gazetteer.geonameid, gazetteer.latitude, gazetteer.population):
        assert not column.flags.writeable
        assert not column.flags.owndata


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_the_built_file_is_as_readable_as_any_file_the_user_writes(gazetteer_path: Path) -> None:
    # A daemon or code server running as another user reads the same cache.
    assert gazetteer_path.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert not list(gazetteer_path.parent.glob(".*.tmp"))


def test_the_cache_an_earlier_version_left_is_removed_and_nothing_else(
    gazetteer_path: Path, tmp_path: Path
) -> None:
    from pipeline.stages import ensure_gazetteer

    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    for folder in (ours, theirs):
        folder.mkdir()
        (folder / "gazetteer.arrow").symlink_to(gazetteer_path)
        (folder / "gazetteer.arrow.fingerprint").write_text(
            Path(f"{gazetteer_path}.fingerprint").read_text()
        )
        (folder / "gazetteer.parquet").write_bytes(b"PAR1")
    (ours / "gazetteer.parquet.fingerprint").write_text("0123456789abcdef\n")

    for folder in (ours, theirs):
        report = ensure_gazetteer(folder / "gazetteer.arrow", geonames_dir=GEONAMES_DIR)
        assert report["built"] is False

    assert sorted(p.name for p in ours.iterdir()) == [
        "gazetteer.arrow",
        "gazetteer.arrow.fingerprint",
    ]
    # Without the sidecar that ensure_gazetteer writes, the file is not ours to delete.
    assert (theirs / "gazetteer.parquet").exists()


def test_county_points_name_real_counties() -> None:
    # Every listed code is a GeoNames admin2 code under the same name, inside the US.
    names = {}
    for line in (GEONAMES_DIR / "admin2Codes.txt").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        names[fields[0]] = fields[1]
    lines = [
        line
        for line in (GEONAMES_DIR / "us_county_points.txt").read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    assert len(lines) > 3000
    for line in lines:
        code, name, lat, lon = line.split("\t")
        assert code.startswith("US.") and names.get(code) == name, code
        assert 18 <= float(lat) <= 72 and -180 <= float(lon) <= -65, code


def test_county_point_is_the_county_not_a_same_named_town(gazetteer: Gazetteer) -> None:
    # "Jackson County, Missouri" is Kansas City's county; the town of Jackson, Missouri lies
    # 350 km east, near Cape Girardeau. The county's own point stands, and it is not approximate.
    county = next(
        gazetteer.place(r)
        for r in gazetteer.lookup("Jackson County")
        if gazetteer.feature_code(r) == "ADM2" and gazetteer.place(r).admin1_code == "MO"
    )
    assert county.latitude is not None and county.longitude is not None
    assert abs(county.latitude - 39.0) < 0.5 and abs(county.longitude + 94.35) < 0.5
    assert not county.approx
