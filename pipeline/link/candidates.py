"""Candidate places for a mention: the lookup keys that reach the gazetteer, and containers.

A surface is looked up as itself, without qualifiers ("Northeast Georgia"), through its spelling
skeleton, then through its parts ("Paris City Hall" is in Paris). "Name, Container" may be one
name ("Washington, D.C."); otherwise the container names the country or division that holds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from pipeline.link import coverage
from pipeline.link.gazetteer import (
    BUNDLED_GEONAMES,
    KIND_ALIAS,
    KIND_DEMONYM,
    Gazetteer,
    fuzzy_key,
    name_key,
)
from pipeline.link.mention import METONYM, Mention

#: Candidates scored per mention (rows are pre-sorted by kind, then population).
MAX_CANDIDATES = 40


_QUALIFIERS = re.compile(
    r"^(?:the |north |south |east |west |northeast |northwest |southeast |southwest |central |"
    r"northern |southern |eastern |western |upper |lower |greater |metro |downtown |rural |"
    r"northeastern |northwestern |southeastern |southwestern |mid )+"
)
_GENERIC_TAIL = re.compile(r" (?:city|state|province|area|region|metro|town|village)$")


_HEAD_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}


def lookup_keys(text: str) -> list[str]:
    """The lookup keys of a surface: itself, then without qualifiers ("Northeast Georgia")."""
    key = name_key(text)
    keys = [key]
    # Abbreviated generic heads: GeoNames spells "Saint Paul", news writes "St. Paul".
    head, _, rest = key.partition(" ")
    if rest and head in _HEAD_ABBREVIATIONS:
        keys.append(f"{_HEAD_ABBREVIATIONS[head]} {rest}")
    bare = _GENERIC_TAIL.sub("", _QUALIFIERS.sub("", key))
    if bare and bare != key:
        keys.append(bare)
    return keys


# fmt: off
#: Words of an organisation or building named after its place ("Paris City Hall", "Titus
#: County Sheriff's Office", "Honolulu Star-Advertiser"): the head name locates it.
_FACILITY_TAIL = frozenset({
    "hall", "office", "offices", "jail", "police", "sheriff", "sheriffs", "department", "court",
    "courthouse", "council", "councils", "school", "schools", "district", "center", "centre",
    "civic", "recreation", "station", "fire", "chamber", "commerce", "airport", "marina",
    "library", "museum", "hospital", "board", "commission", "elections", "ordinance",
    "committee", "clerk", "clerks", "attorney", "authority", "metropolitan", "central",
    "democrats", "republicans", "government", "city", "town", "star", "advertiser", "times",
    "post", "news", "tribune", "herald", "gazette", "journal", "of", "the", "and", "area",
    "education", "special", "public", "municipal", "regional", "international", "county",
})
#: Words before a place name that do not change where it is ("Historic Dublin", "Town of
#: Groton", "Port of Los Angeles").
_LOCATOR_HEAD = frozenset({
    "local", "historic", "downtown", "greater", "nazi", "town", "city", "village", "port",
    "borough", "of", "the", "building", "metro", "county",
})
# fmt: on


def part_keys(key: str) -> list[str]:
    """Shorter keys inside an unmatched name, longest first: heads, then tails.

    Only parts whose dropped words are facility words (a tail: "Paris City Hall") or locator
    words (a head: "Town of Groton") are tried: "Red River" is not in the town of Red.
    """
    words = key.split()
    out = []
    for i in range(len(words) - 1, 0, -1):
        if all(w in _FACILITY_TAIL or w.isdigit() for w in words[i:]):
            out.append(" ".join(words[:i]))
    for i in range(1, len(words)):
        if all(w in _LOCATOR_HEAD for w in words[:i]):
            out.append(" ".join(words[i:]))
    return [k for k in out if len(k) >= 4 and k.split()[0] not in _LOCATOR_HEAD]


def matched_rows(
    gazetteer: Gazetteer, mention: Mention, prefer: frozenset[str] = frozenset()
) -> tuple[str, list[int]]:
    """The key that reached the gazetteer and its candidate rows ("", [] when none did).

    Order: the surface, the surface without qualifiers, its spelling skeleton, then the
    parts of the surface (:func:`part_keys`) for names that NER extended past the place
    ("Paris City Hall") and names split by a comma ("Thruxton, Hampshire"). A part in
    ``prefer`` (names the document uses on their own) goes first: "Hanover Town Hall" beside
    "Hanover" is in Hanover, not in Hanover Town.
    """
    keys = lookup_keys(mention.text)
    for i, key in enumerate(keys):
        rows = list(gazetteer.rows_for(key)[:MAX_CANDIDATES])
        if i == 0 and len(keys) > 1 and key.partition(" ")[0] in _HEAD_ABBREVIATIONS:
            # "St. Paul" is both an entry of its own (Alberta) and "Saint Paul" (Minnesota).
            rows += [r for r in gazetteer.rows_for(keys[1])[:MAX_CANDIDATES] if r not in rows]
        if rows:
            return key, _demonym_filter(gazetteer, mention, rows)
    key = keys[-1]
    if len(key) >= 5:
        rows = list(gazetteer.rows_for(fuzzy_key(key))[:MAX_CANDIDATES])
        if rows:
            return key, _demonym_filter(gazetteer, mention, rows)
    if mention.demonym:
        return "", []
    pieces = [p for p in mention.text.split(",") if p.strip()]
    parts = [name_key(p) for p in pieces] if len(pieces) > 1 else []
    candidates = [*parts, *part_keys(name_key(mention.text))]
    candidates.sort(key=lambda part: part not in prefer)
    for part in candidates:
        for key in lookup_keys(part):
            rows = [
                r
                for r in gazetteer.rows_for(key)[:MAX_CANDIDATES]
                if int(gazetteer.kind[r]) in (0, 1, 2)
            ]
            if rows:
                return key, rows
    return _of_tail_rows(gazetteer, name_key(mention.text))


#: What the name after "of" may be for a name of something else to stand for it.
_OF_TAIL_CODES = frozenset({"PCLI", "ADM1", "CONT"})


def _of_tail_rows(gazetteer: Gazetteer, key: str) -> tuple[str, list[int]]:
    """A country, first-level division or continent named after the last "of" of a name.

    Tried last, when no part of the name reached the gazetteer. NER sometimes calls a whole
    organisation a place ("United Way of America", "Medical Board of Texas"): what it locates
    is the country or state it is "of", a better answer than the document's focus. Only
    those, by their own name or a curated alias: a town is no such answer ("Bank of Granite").
    """
    head, of, tail = key.rpartition(" of ")
    if not of or not head or len(tail) < 3:
        return "", []
    rows = [
        r
        for r in gazetteer.rows_for(tail)[:MAX_CANDIDATES]
        if gazetteer.feature_code(r) in _OF_TAIL_CODES and int(gazetteer.kind[r]) in (0, KIND_ALIAS)
    ]
    return (tail, rows) if rows else ("", [])


def joined_rows(gazetteer: Gazetteer, mention: Mention) -> tuple[str, list[int]] | None:
    """Key and rows of "name, container" read as one name ("Washington, D.C."), if it is one.

    Such a container is part of the name, not a division that contains it: it must neither
    count as a container nor settle the bare name elsewhere in the document ("Washington").
    """
    if not mention.container:
        return None
    key = name_key(f"{mention.text} {mention.container.split()[0]}")
    rows = [
        r
        for r in gazetteer.rows_for(key)[:MAX_CANDIDATES]
        if int(gazetteer.kind[r]) in (0, KIND_ALIAS)
    ]
    return (key, rows) if rows else None


def _demonym_filter(gazetteer: Gazetteer, mention: Mention, rows: list[int]) -> list[int]:
    if mention.demonym:
        # Countries, continents and regions; a division only by its adjective ("Scottish").
        return [
            r
            for r in rows
            if gazetteer.feature_code(r) in ("PCLI", "CONT", "RGN")
            or (gazetteer.feature_code(r) == "ADM1" and int(gazetteer.kind[r]) == KIND_DEMONYM)
        ]
    if mention.form == METONYM:  # "the White House" is Washington, not White House, Tenn.
        return [r for r in rows if int(gazetteer.kind[r]) == KIND_ALIAS]
    return rows


@lru_cache(maxsize=4)
def metonym_keys(path: Path = BUNDLED_GEONAMES / "metonyms.txt") -> frozenset[str]:
    """Lookup keys of the buildings that stand for a government (``metonyms.txt``)."""
    return frozenset(name_key(t) for _, texts in coverage.metonyms(path) for t in texts)


def candidate_rows(gazetteer: Gazetteer, mention: Mention) -> list[int]:
    """Rows that could be the referent of ``mention`` (see :func:`matched_rows`)."""
    return matched_rows(gazetteer, mention)[1]


def container_rows(gazetteer: Gazetteer, text: str) -> list[int]:
    """Countries and first-level divisions named by a container, longest word prefix first.

    The capitalised run after the comma can run into the next sentence ("Jefferson County,
    Colo. A man ..."): its longest prefix that names a country or division is the container.
    """
    words = text.split()
    for n in range(len(words), 0, -1):
        rows = gazetteer.rows_for(name_key(" ".join(words[:n])))
        found = [r for r in rows if gazetteer.feature_code(r) in ("PCLI", "ADM1")]
        if found:
            return found
    return []


def sibling_codes(
    gazetteer: Gazetteer, rows: Sequence[int], containers: Sequence[int]
) -> frozenset[str]:
    """Feature codes of a comma-listed sibling: containers that contain none of ``rows``."""
    if not containers:
        return frozenset()
    for crow in containers:
        ccode, ccc = gazetteer.feature_code(crow), gazetteer.country_code(crow)
        for row in rows:
            if gazetteer.country_code(row) == ccc and (
                ccode == "PCLI" or gazetteer.admin1_code(row) == gazetteer.admin1_code(crow)
            ):
                return frozenset()
    return frozenset(gazetteer.feature_code(c) for c in containers)
