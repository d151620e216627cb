"""Toponym resolution against the offline gazetteer (Mordecai-style ranking, no search server).

Candidates for a mention are ranked with a linear score over: name match kind (exact, alternate,
alias, spelling skeleton), population, feature class, the countries and admin1 divisions the
document talks about, an explicit container ("Qayara, Iraq", "Springfield, Ill.", "the province
of Nineveh") and distance to the other places resolved in the same document. Resolution runs in
two passes: the first without document context, the second with the context the first produced.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

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
_KIND_SCORE = {0: 0.0, KIND_ALT: -1.2, KIND_ALIAS: 0.3, KIND_DEMONYM: 0.0, KIND_FUZZY: -2.5,
               KIND_ABBREV: -9.0}
_CODE_SCORE = {"PCLI": 2.0, "CONT": 2.5, "RGN": 1.5, "GULF": 1.0, "ADM1": 0.8, "PPLC": 2.0,
               "ADM2": -0.5}
ADMIN_WORDS = frozenset({
    "province", "governorate", "state", "region", "county", "district", "parish", "prefecture",
    "oblast", "department", "provinces", "counties", "states",
})


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
    """

    text: str
    start: int
    end: int
    container: str | None = None
    admin_hint: bool = False
    demonym: bool = False
    gazetteer_only: bool = False

    @property
    def abbreviation(self) -> bool:
        """Whether the surface looks like a dotted or two-capital abbreviation ("Ga.", "NJ")."""
        t = self.text
        return (t.endswith(".") and len(t) <= 6) or (len(t) == 2 and t.isupper())


@dataclass(frozen=True, slots=True)
class Resolution:
    """The chosen gazetteer row (``row`` is None when unresolved) and a 0..1 confidence."""

    row: int | None
    confidence: float


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


def lookup_keys(text: str) -> list[str]:
    """The lookup keys of a surface: itself, then without qualifiers ("Northeast Georgia")."""
    key = name_key(text)
    keys = [key]
    bare = _GENERIC_TAIL.sub("", _QUALIFIERS.sub("", key))
    if bare and bare != key:
        keys.append(bare)
    return keys


def candidate_rows(gazetteer: Gazetteer, mention: Mention) -> list[int]:
    """Rows that could be the referent of ``mention`` (exact key, else spelling skeleton)."""
    keys = lookup_keys(mention.text)
    rows: list[int] = []
    for key in keys:
        rows = list(gazetteer.rows_for(key)[:MAX_CANDIDATES])
        if rows:
            break
    key = keys[-1]
    if not rows and len(key) >= 5:
        rows = list(gazetteer.rows_for(fuzzy_key(key))[:MAX_CANDIDATES])
    if mention.demonym:
        rows = [r for r in rows if gazetteer.feature_code(r) in ("PCLI", "CONT")]
    return rows


def _container_rows(gazetteer: Gazetteer, text: str) -> list[int]:
    rows = gazetteer.rows_for(name_key(text))
    return [r for r in rows if gazetteer.feature_code(r) in ("PCLI", "ADM1")]


@dataclass(frozen=True, slots=True)
class _Context:
    countries: Counter
    admin1: Counter
    points: tuple[tuple[float, float], ...]


_EMPTY = _Context(Counter(), Counter(), ())


def _score(
    gazetteer: Gazetteer, row: int, mention: Mention, context: _Context,
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
    if code in ("ADM1", "ADM2"):
        code_score += 2.5 if mention.admin_hint else 0.0
    elif mention.admin_hint and code not in ("PCLI", "CONT"):
        code_score -= 1.0
    score += code_score
    total = sum(context.countries.values())
    if total and cc:
        share = context.countries.get(cc, 0) / total
        score += COUNTRY_SHARE_WEIGHT * share + (COUNTRY_SEEN_WEIGHT if share > 0 else 0.0)
    a1 = gazetteer.admin1_code(row)
    a1_total = sum(context.admin1.values())
    if a1 and a1_total and code not in ("PCLI", "CONT"):
        a1_share = context.admin1.get(f"{cc}.{a1}", 0) / a1_total
        score += ADMIN1_SHARE_WEIGHT * a1_share + (ADMIN1_SEEN_WEIGHT if a1_share else 0.0)
    for crow in containers:
        ccode = gazetteer.feature_code(crow)
        if ccode == "PCLI" and gazetteer.country_code(crow) == cc and code != "PCLI":
            score += 4.0
            break
        if (ccode == "ADM1" and gazetteer.country_code(crow) == cc
                and gazetteer.admin1_code(crow) == a1 and code != "ADM1"):
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


def _best(
    gazetteer: Gazetteer, mention: Mention, rows: list[int], context: _Context,
    containers: Sequence[int],
) -> tuple[int | None, float, float]:
    best, best_score, second = None, -math.inf, -math.inf
    seen: set[int] = set()
    # A city inside its namesake division ("Kirkuk" in Kirkuk governorate) is the default
    # reading of the bare name; a division word ("Kirkuk province") reverses it.
    namesakes = {
        (gazetteer.country_code(r), gazetteer.admin1_code(r))
        for r in rows if gazetteer.feature_code(r) == "ADM1"
    }
    for row in rows:
        gid = int(gazetteer.geonameid[row])
        if gid in seen:
            continue
        seen.add(gid)
        s = _score(gazetteer, row, mention, context, containers)
        if (namesakes and not mention.admin_hint and gazetteer.feature_code(row).startswith("PPL")
                and (gazetteer.country_code(row), gazetteer.admin1_code(row)) in namesakes):
            s += 1.0
        if s > best_score:
            best, best_score, second = row, s, best_score
        elif s > second:
            second = s
    return best, best_score, second


def _contribution(
    gazetteer: Gazetteer, mention: Mention, row: int | None, score: float, second: float,
    min_score: float,
) -> tuple[Counter, Counter, list[tuple[float, float]]]:
    countries: Counter = Counter()
    admin1: Counter = Counter()
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
        countries[cc] += weight
        if code != "PCLI":
            admin1[f"{cc}.{gazetteer.admin1_code(row)}"] += weight
    if code not in ("PCLI", "CONT", "ADM1") and margin >= 0.5 and not mention.gazetteer_only:
        points.append((float(gazetteer.latitude[row]), float(gazetteer.longitude[row])))
    return countries, admin1, points


def resolve(
    gazetteer: Gazetteer, mentions: Sequence[Mention], *, min_score: float = 1.5,
    iterations: int = 2,
) -> list[Resolution]:
    """Resolve the mentions of one document, jointly.

    Each pass scores every mention against the context (countries, admin1 divisions, points)
    that the previous pass's choices for the *other* surface names give, so repeated mentions
    of one ambiguous name cannot vote for themselves.

    Args:
        gazetteer: A loaded gazetteer.
        mentions: The document's mentions, in text order.
        min_score: Below this score the best candidate is rejected (the mention stays
            unresolved rather than guessed).
        iterations: Context passes after the context-free first pass.

    Returns:
        One :class:`Resolution` per mention, in the same order.
    """
    rows = [candidate_rows(gazetteer, m) for m in mentions]
    containers = [
        _container_rows(gazetteer, m.container) if m.container else _NO_CONTAINER for m in mentions
    ]
    keys = [name_key(m.text) for m in mentions]
    chosen = [
        _best(gazetteer, m, r, _EMPTY, c)
        for m, r, c in zip(mentions, rows, containers, strict=True)
    ]
    for _ in range(iterations):
        groups: dict[str, tuple[Counter, Counter, list]] = {}
        countries: Counter = Counter()
        admin1: Counter = Counter()
        for key, m, (row, score, second) in zip(keys, mentions, chosen, strict=True):
            c, a, pts = _contribution(gazetteer, m, row, score, second, min_score)
            g = groups.setdefault(key, (Counter(), Counter(), []))
            g[0].update(c)
            g[1].update(a)
            g[2].extend(pts)
            countries.update(c)
            admin1.update(a)
        contexts: dict[str, _Context] = {}
        for key, (c, a, _) in groups.items():
            others = tuple(p for k, g in groups.items() if k != key for p in g[2])
            contexts[key] = _Context(countries - c, admin1 - a, others)
        chosen = [
            _best(gazetteer, m, r, contexts[k], c)
            for k, m, r, c in zip(keys, mentions, rows, containers, strict=True)
        ]
    out = []
    for row, score, second in chosen:
        if row is None or score < min_score:
            out.append(Resolution(None, 0.0))
            continue
        margin = score - second if second > -math.inf else 5.0
        confidence = 1.0 / (1.0 + math.exp(-(margin - 0.5)))
        out.append(Resolution(row, round(min(1.0, max(0.0, confidence)), 3)))
    return out
