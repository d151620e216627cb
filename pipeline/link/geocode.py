"""Toponym resolution against the offline gazetteer (Mordecai-style ranking, no search server).

Candidates for a mention are ranked with a linear score over: name match kind (exact, alternate,
alias, spelling skeleton), population, feature class, the countries and admin1 divisions the
document talks about, an explicit container ("Qayara, Iraq", "Springfield, Ill.", "the province
of Nineveh") and distance to the other places resolved in the same document. Resolution runs in
two passes: the first without document context, the second with the context the first produced.

Names are grouped by the key that reached the gazetteer ("Paris City Hall" is "Paris"), share one
container per document (one sense per discourse), and a country's own name excludes its cities'
alternate names ("Mexico"). A name and its "container" that together form one gazetteer name
("Washington, D.C.") are read as that name; places listed together ("England and Wales") tend to
be of one kind; a division named elsewhere in another form ("Wash.") supports its full name.
Points: counties (no offline coordinates) take the median of the document's same-state towns;
recognised names with no candidate, or only a spelling-skeleton guess outside the document's
countries and divisions, take the document's focus.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from pipeline.link.gazetteer import (
    KIND_ABBREV,
    KIND_ALIAS,
    KIND_ALT,
    KIND_DEMONYM,
    KIND_FUZZY,
    Gazetteer,
    fuzzy_key,
    name_key,
)

#: Candidates scored per mention (rows are pre-sorted by kind, then population).
MAX_CANDIDATES = 40

COUNTRY_SHARE_WEIGHT = 3.0
COUNTRY_SEEN_WEIGHT = 1.0
ADMIN1_SHARE_WEIGHT = 2.0
ADMIN1_SEEN_WEIGHT = 1.0
#: Context weight (about two confident mentions) at which a division counts as fully "seen".
ADMIN1_SEEN_FULL = 2.0
PROMINENT_CONTEXT_BONUS = 1.5
#: For a division the document also names in another form ("Wash." beside "Washington").
NAMED_DIVISION_BONUS = 3.0
#: For the kind of place a list neighbour is ("England and Wales", "Missouri, New York").
SIBLING_BONUS = 1.5
# fmt: off
_KIND_SCORE = {0: 0.0, KIND_ALT: -1.2, KIND_ALIAS: 0.3, KIND_DEMONYM: 0.0, KIND_FUZZY: -2.5,
               KIND_ABBREV: -9.0}
_CODE_SCORE = {"PCLI": 2.0, "CONT": 2.5, "RGN": 1.5, "GULF": 1.0, "ADM1": 0.8, "PPLC": 2.0,
               "ADM2": -0.5}
ADMIN_WORDS = frozenset({
    "province", "governorate", "state", "region", "county", "district", "parish", "prefecture",
    "oblast", "department", "provinces", "counties", "states",
})
# fmt: on


#: How a place is mentioned (the ``mention`` column of ``locations``): by its name ("Iraq"),
#: by a demonym or adjective ("Iraqi", "Americans"), by its name used as a modifier
#: ("U.S.-led"), or by its name inside the name of something else ("US Special Forces").
NAME, DEMONYM, MODIFIER, EMBEDDED = "name", "demonym", "modifier", "embedded"
MENTION_FORMS = (NAME, DEMONYM, MODIFIER, EMBEDDED)


@dataclass(frozen=True, slots=True)
class Mention:
    """A place mention to resolve.

    Attributes:
        text: Surface text.
        start: Char offset.
        end: Char offset.
        container: Surface text of an explicit container right after it ("X, Iraq"), if any.
        admin_hint: True when a division word is attached ("Nineveh province").
        demonym: True for a demonym ("Iraqi"): countries and continents only.
        gazetteer_only: True when only the gazetteer (not NER) proposed it.
        listed: True when it follows the previous mention in a list ("England and Wales",
            "Missouri, New York"): the two are likely places of one kind.
        form: How the place is mentioned, one of :data:`MENTION_FORMS`.
    """

    text: str
    start: int
    end: int
    container: str | None = None
    admin_hint: bool = False
    demonym: bool = False
    gazetteer_only: bool = False
    listed: bool = False
    form: str = NAME

    @property
    def abbreviation(self) -> bool:
        """Whether the surface looks like a dotted or two-capital abbreviation ("Ga.", "NJ")."""
        t = self.text
        return (t.endswith(".") and len(t) <= 6) or (len(t) == 2 and t.isupper())


@dataclass(frozen=True, slots=True)
class Resolution:
    """The chosen gazetteer row (``row`` is None when unresolved), a 0..1 confidence and a point.

    The point is the row's, except where the gazetteer has only a guess (``approx``, e.g. a
    county) and the document locates it better; an unmatched local name ("Kingsley Road")
    gets the document's focus point with ``row`` None.
    """

    row: int | None
    confidence: float
    latitude: float | None = None
    longitude: float | None = None
    approx: bool = False


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


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


def _part_keys(key: str) -> list[str]:
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
    parts of the surface (:func:`_part_keys`) for names that NER extended past the place
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
    candidates = [*parts, *_part_keys(name_key(mention.text))]
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
    return "", []


def _joined_rows(gazetteer: Gazetteer, mention: Mention) -> tuple[str, list[int]] | None:
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
        return [r for r in rows if gazetteer.feature_code(r) in ("PCLI", "CONT", "RGN")]
    return rows


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


#: Evidence weight per country code or "CC.admin1" division (floats: Counter holds ints).
_Weights = dict[str, float]


def _add_weights(total: _Weights, part: Mapping[str, float]) -> None:
    """Add ``part`` into ``total`` in place (``Counter.update``, for float weights)."""
    for key, weight in part.items():
        total[key] = weight + total.get(key, 0)


def _weights_without(total: Mapping[str, float], part: Mapping[str, float]) -> _Weights:
    """``total`` less ``part``, keeping positive weights only (weights are never negative)."""
    left = {key: weight - part.get(key, 0) for key, weight in total.items()}
    return {key: weight for key, weight in left.items() if weight > 0}


@dataclass(frozen=True, slots=True)
class _Context:
    countries: _Weights
    admin1: _Weights
    points: tuple[tuple[float, float], ...]
    divisions: frozenset[str] = frozenset()


_EMPTY = _Context({}, {}, ())


def _score(
    gazetteer: Gazetteer,
    row: int,
    mention: Mention,
    context: _Context,
    containers: Sequence[int],
) -> float:
    kind = int(gazetteer.kind[row])
    code = gazetteer.feature_code(row)
    cc = gazetteer.country_code(row)
    pop = int(gazetteer.population[row])
    if code == "ADM1":
        pop //= 3  # summed city populations overstate a division against a same-named city
    kind_score = _KIND_SCORE.get(kind, 0.0)
    if kind == KIND_ABBREV and mention.abbreviation:
        kind_score = 0.0
    score = kind_score + 0.45 * math.log10(pop + 10)
    code_score = _CODE_SCORE.get(code, 0.0)
    if code == "ADM1" and f"{cc}.{gazetteer.admin1_code(row)}" in context.divisions:
        # The division is named in another form too ("Camp Murray, Wash." beside "Washington").
        code_score += NAMED_DIVISION_BONUS
    if code in ("ADM1", "ADM2"):
        code_score += 2.5 if mention.admin_hint else 0.0
    elif mention.admin_hint and code not in ("PCLI", "CONT"):
        code_score -= 1.0
    score += code_score
    total = sum(context.countries.values())
    if total:
        share = context.countries.get(cc, 0) / total if cc else 0.0
        bonus = COUNTRY_SHARE_WEIGHT * share + (COUNTRY_SEEN_WEIGHT if share > 0 else 0.0)
        if code in ("PCLI", "CONT", "RGN"):
            # News names foreign countries and regions without being about them: a country
            # is not outvoted by a same-named village of the document's country ("Greece").
            bonus = max(bonus, PROMINENT_CONTEXT_BONUS)
        score += bonus
    a1 = gazetteer.admin1_code(row)
    a1_total = sum(context.admin1.values())
    if a1 and a1_total and code not in ("PCLI", "CONT"):
        a1_weight = context.admin1.get(f"{cc}.{a1}", 0)
        # One passing mention of a division is weak evidence: the "seen" bonus grows with it,
        # or a village of 740 in Vermont outvotes Manchester, New Hampshire.
        seen = min(1.0, a1_weight / ADMIN1_SEEN_FULL)
        score += ADMIN1_SHARE_WEIGHT * a1_weight / a1_total + ADMIN1_SEEN_WEIGHT * seen
    for crow in containers:
        ccode = gazetteer.feature_code(crow)
        if ccode == "PCLI" and gazetteer.country_code(crow) == cc and code != "PCLI":
            score += 4.0
            break
        if (
            ccode == "ADM1"
            and gazetteer.country_code(crow) == cc
            and gazetteer.admin1_code(crow) == a1
            and code != "ADM1"
        ):
            score += 5.0
            break
    if context.points and code not in ("PCLI", "CONT", "ADM1"):
        lat, lon = float(gazetteer.latitude[row]), float(gazetteer.longitude[row])
        nearest = min(_haversine(lat, lon, p[0], p[1]) for p in context.points)
        if nearest < 50:
            score += 2.0
        elif nearest < 200:
            score += 1.2
        elif nearest < 500:
            score += 0.5
    return score


_NO_CONTAINER: tuple[int, ...] = ()


def _sibling_codes(
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


def _best(
    gazetteer: Gazetteer,
    mention: Mention,
    rows: list[int],
    context: _Context,
    containers: Sequence[int],
    listed_codes: frozenset[str] = frozenset(),
) -> tuple[int | None, float, float]:
    best, best_score, second = None, -math.inf, -math.inf
    # A city inside its namesake division ("Kirkuk" in Kirkuk governorate) is the default
    # reading of the bare name; a division word ("Kirkuk province") reverses it.
    namesakes = {
        (gazetteer.country_code(r), gazetteer.admin1_code(r))
        for r in rows
        if gazetteer.feature_code(r) == "ADM1"
    }
    # One place can be reached by several rows (a city and a region sharing an id): it keeps
    # its best row, and the runner-up must be another place.
    # A country's own name means the country, not one of its cities that has the name as an
    # alternate ("Mexico" is not Mexico City).
    named_countries = {
        gazetteer.country_code(r)
        for r in rows
        if gazetteer.feature_code(r) == "PCLI" and int(gazetteer.kind[r]) in (0, KIND_ALIAS)
    }
    # "Missouri, New York, North Carolina and Virginia": a comma before a division that contains
    # none of the candidates lists siblings, and the name is most likely of the same kind.
    sibling = _sibling_codes(gazetteer, rows, containers) | listed_codes
    by_place: dict[int, tuple[float, int]] = {}
    for row in rows:
        if (
            named_countries
            and gazetteer.country_code(row) in named_countries
            and int(gazetteer.kind[row]) in (KIND_ALT, KIND_FUZZY)
        ):
            continue
        gid = int(gazetteer.geonameid[row])
        s = _score(gazetteer, row, mention, context, containers)
        if (
            namesakes
            and not mention.admin_hint
            and gazetteer.feature_code(row).startswith("PPL")
            and (gazetteer.country_code(row), gazetteer.admin1_code(row)) in namesakes
        ):
            s += 1.0
        if gazetteer.feature_code(row) in sibling:
            s += SIBLING_BONUS
        if gid not in by_place or s > by_place[gid][0]:
            by_place[gid] = (s, row)
    for s, row in by_place.values():
        if s > best_score:
            best, best_score, second = row, s, best_score
        elif s > second:
            second = s
    return best, best_score, second


#: Feature codes a list neighbour passes on ("England and Wales": both first-level divisions).
_LISTED_CODES = frozenset({"ADM1", "PCLI"})


def _listed_codes(
    gazetteer: Gazetteer,
    mentions: Sequence[Mention],
    chosen: Sequence[tuple[int | None, float, float]],
    min_score: float,
) -> list[frozenset[str]]:
    """Per mention, the division level its list neighbours were resolved to, if any.

    A neighbour resolved to a town passes nothing on: "Austin, Texas" is a town and its state.
    """
    codes: list[frozenset[str]] = [frozenset()] * len(mentions)

    def level(i: int) -> frozenset[str]:
        row, score, _ = chosen[i]
        if row is None or score < min_score or mentions[i].demonym:
            return frozenset()
        code = gazetteer.feature_code(row)
        return frozenset({code}) if code in _LISTED_CODES else frozenset()

    for i in range(1, len(mentions)):
        if mentions[i].listed:
            codes[i] = codes[i] | level(i - 1)
            if not mentions[i - 1].container:
                # After a comma the next name may contain this one ("Nineveh, Iraq"): that
                # reading is the container's, and _sibling_codes checks it.
                codes[i - 1] = codes[i - 1] | level(i)
    return codes


def _contribution(
    gazetteer: Gazetteer,
    mention: Mention,
    row: int | None,
    score: float,
    second: float,
    min_score: float,
) -> tuple[_Weights, _Weights, list[tuple[float, float]]]:
    countries: _Weights = {}
    admin1: _Weights = {}
    points: list[tuple[float, float]] = []
    if row is None or score < min_score:
        return countries, admin1, points
    cc = gazetteer.country_code(row)
    code = gazetteer.feature_code(row)
    margin = min(1.0, max(0.0, score - second)) if second > -math.inf else 1.0
    weight = (1.0 if code in ("PCLI", "ADM1") else 0.5) * (0.5 + 0.5 * margin)
    if mention.demonym:
        weight *= 0.5
    if cc:
        countries[cc] = countries.get(cc, 0) + weight
        if code != "PCLI":
            a1 = f"{cc}.{gazetteer.admin1_code(row)}"
            admin1[a1] = admin1.get(a1, 0) + weight
    if code not in ("PCLI", "CONT", "ADM1") and margin >= 0.5 and not mention.gazetteer_only:
        points.append((float(gazetteer.latitude[row]), float(gazetteer.longitude[row])))
    return countries, admin1, points


def _in_context(gazetteer: Gazetteer, row: int, context: _Context) -> bool:
    """Whether a place lies in the document's countries and, if any, their named divisions.

    Used to accept a guess (a spelling skeleton) only where the rest of the document points.
    """
    cc = gazetteer.country_code(row)
    if not context.countries.get(cc):
        return False
    divisions = [a for a, w in context.admin1.items() if w > 0 and a.startswith(cc + ".")]
    return not divisions or f"{cc}.{gazetteer.admin1_code(row)}" in divisions


def _median_point(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    mid = len(points) // 2
    if len(points) % 2:
        return lats[mid], lons[mid]
    return (lats[mid - 1] + lats[mid]) / 2, (lons[mid - 1] + lons[mid]) / 2


def _located(
    gazetteer: Gazetteer,
    keys: Sequence[str],
    mentions: Sequence[Mention],
    chosen: Sequence[tuple[int | None, float, float]],
    min_score: float,
) -> list[tuple[str, str, float, float, str]]:
    """(country, "CC.A1", lat, lon, key) of the confidently resolved, truly located places."""
    out = []
    for key, m, (row, score, _) in zip(keys, mentions, chosen, strict=True):
        if row is None or score < min_score or m.demonym or bool(gazetteer.approx[row]):
            continue
        if not gazetteer.feature_code(row).startswith("PPL"):
            continue
        cc = gazetteer.country_code(row)
        out.append(
            (
                cc,
                f"{cc}.{gazetteer.admin1_code(row)}",
                float(gazetteer.latitude[row]),
                float(gazetteer.longitude[row]),
                key,
            )
        )
    return out


_FOCUS_LEVEL = {"PCLI": 3, "CONT": 4, "RGN": 3, "ADM1": 2, "ADM2": 1}


def _focus(
    gazetteer: Gazetteer,
    mentions: Sequence[Mention],
    chosen: Sequence[tuple[int | None, float, float]],
    min_score: float,
) -> tuple[float, float] | None:
    """The document's focus: the point of its most often mentioned place (any level).

    Ties go to the finer place (a town before its country), then to the earlier one.
    Approximate points (counties) and demonyms do not count.
    """
    counts: Counter = Counter()
    first: dict[int, int] = {}
    for i, (m, (row, score, _)) in enumerate(zip(mentions, chosen, strict=True)):
        if row is None or score < min_score or m.demonym or bool(gazetteer.approx[row]):
            continue
        counts[row] += 1
        first.setdefault(row, i)
    if not counts:
        return None
    row = min(
        counts, key=lambda r: (-counts[r], _FOCUS_LEVEL.get(gazetteer.feature_code(r), 0), first[r])
    )
    return float(gazetteer.latitude[row]), float(gazetteer.longitude[row])


def resolve(
    gazetteer: Gazetteer,
    mentions: Sequence[Mention],
    *,
    min_score: float = 1.5,
    iterations: int = 2,
) -> list[Resolution]:
    """Resolve the mentions of one document, jointly.

    Each pass scores every mention against the context (countries, admin1 divisions, points)
    that the previous pass's choices for the *other* surface names give, so repeated mentions
    of one ambiguous name cannot vote for themselves.

    After the passes, a chosen place whose gazetteer point is only a guess (a county: the
    offline sources have no county coordinates) takes the median point of the document's
    located places in the same first-level division, and a recognised name with no candidate
    at all takes the document's focus point: local news names streets, parks and townships of
    the town it reports on. So does a name reached only through its spelling skeleton when that
    guess lies outside the countries and divisions the rest of the document points to.

    Args:
        gazetteer: A loaded gazetteer.
        mentions: The document's mentions, in text order.
        min_score: Below this score a gazetteer-only mention is rejected (it was recognised
            only because it looked like a place) and no choice feeds the document context.
            NER mentions keep their best candidate: a guess beats no answer.
        iterations: Context passes after the context-free first pass.

    Returns:
        One :class:`Resolution` per mention, in the same order.
    """
    joined = [_joined_rows(gazetteer, m) for m in mentions]
    matched = [j or matched_rows(gazetteer, m) for m, j in zip(mentions, joined, strict=True)]
    direct = frozenset(
        key
        for m, (key, _) in zip(mentions, matched, strict=True)
        if key and key in lookup_keys(m.text)
    )
    matched = [
        (key, r) if not key or key in direct or j else matched_rows(gazetteer, m, direct)
        for m, (key, r), j in zip(mentions, matched, joined, strict=True)
    ]
    rows = [r for _, r in matched]
    mentions = [
        replace(m, admin_hint=True)
        if not m.admin_hint and key and key.rsplit(" ", 1)[-1] in ADMIN_WORDS
        else m
        for m, (key, _) in zip(mentions, matched, strict=True)
    ]
    containers = [
        container_rows(gazetteer, m.container) if m.container and j is None else _NO_CONTAINER
        for m, j in zip(mentions, joined, strict=True)
    ]
    # Mentions are grouped by the name that reached the gazetteer: "Paris City Hall" and
    # "Paris" are one name and must not vote for each other.
    keys = [key or name_key(m.text) for m, (key, _) in zip(mentions, matched, strict=True)]
    # The container of a joined name, also recognised on its own ("D.C." of "Washington, D.C."),
    # is the same mention: it joins that name's group and cannot vote for it.
    for i in range(1, len(mentions)):
        prev, m = mentions[i - 1], mentions[i]
        if (
            joined[i - 1] is not None
            and prev.container
            and m.start - prev.end <= 3
            and m.text == prev.container.split()[0]
        ):
            keys[i] = keys[i - 1]
    # One sense per discourse: "Springfield, Ohio" settles every later bare "Springfield".
    named: dict[str, list[int]] = {}
    for key, c in zip(keys, containers, strict=True):
        if c:
            named.setdefault(key, []).extend(c)
    containers = [c or named.get(k, _NO_CONTAINER) for k, c in zip(keys, containers, strict=True)]
    chosen = [
        _best(gazetteer, m, r, _EMPTY, c)
        for m, r, c in zip(mentions, rows, containers, strict=True)
    ]
    contexts: dict[str, _Context] = {}
    for _ in range(iterations):
        groups: dict[str, tuple[_Weights, _Weights, list, set]] = {}
        countries: _Weights = {}
        admin1: _Weights = {}
        for key, m, (row, score, second) in zip(keys, mentions, chosen, strict=True):
            c, a, pts = _contribution(gazetteer, m, row, score, second, min_score)
            g = groups.setdefault(key, ({}, {}, [], set()))
            _add_weights(g[0], c)
            _add_weights(g[1], a)
            g[2].extend(pts)
            if row is not None and score >= min_score and gazetteer.feature_code(row) == "ADM1":
                g[3].add(f"{gazetteer.country_code(row)}.{gazetteer.admin1_code(row)}")
            _add_weights(countries, c)
            _add_weights(admin1, a)
        contexts = {}
        for key, (c, a, _, _) in groups.items():
            others = tuple(p for k, g in groups.items() if k != key for p in g[2])
            divisions = frozenset(d for k, g in groups.items() if k != key for d in g[3])
            contexts[key] = _Context(
                _weights_without(countries, c), _weights_without(admin1, a), others, divisions
            )
        listed = _listed_codes(gazetteer, mentions, chosen, min_score)
        chosen = [
            _best(gazetteer, m, r, contexts[k], c, lc)
            for k, m, r, c, lc in zip(keys, mentions, rows, containers, listed, strict=True)
        ]
    # A spelling skeleton is a guess that stands only in a country the rest of the document
    # talks about ("Qayara" beside Mosul): "Portroe" in an Irish story is not Portree, Skye.
    chosen = [
        (None, -math.inf, -math.inf)
        if row is not None
        and int(gazetteer.kind[row]) == KIND_FUZZY
        and not _in_context(gazetteer, row, contexts.get(k, _EMPTY))
        else (row, score, second)
        for k, (row, score, second) in zip(keys, chosen, strict=True)
    ]
    located = _located(gazetteer, keys, mentions, chosen, min_score)
    focus = _focus(gazetteer, mentions, chosen, min_score)
    out = []
    for key, m, (row, score, second) in zip(keys, mentions, chosen, strict=True):
        if row is None:
            if focus is not None and not m.gazetteer_only and not m.demonym:
                out.append(Resolution(None, 0.1, focus[0], focus[1], approx=True))
            else:
                out.append(Resolution(None, 0.0))
            continue
        if m.gazetteer_only and score < min_score:
            out.append(Resolution(None, 0.0))
            continue
        margin = score - second if second > -math.inf else 5.0
        confidence = round(min(1.0, max(0.0, 1.0 / (1.0 + math.exp(-(margin - 0.5))))), 3)
        lat, lon = float(gazetteer.latitude[row]), float(gazetteer.longitude[row])
        approx = bool(gazetteer.approx[row])
        if approx:
            cc = gazetteer.country_code(row)
            a1 = f"{cc}.{gazetteer.admin1_code(row)}"
            near = [(p[2], p[3]) for p in located if p[4] != key and p[1] == a1]
            if near:
                lat, lon = _median_point(near)
        out.append(Resolution(row, confidence, lat, lon, approx))
    return out
