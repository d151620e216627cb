"""Toponym resolution against the offline gazetteer: candidates ranked by a learned model.

Candidates of a mention (:mod:`pipeline.link.candidates`) are scored by the logistic models of
:mod:`pipeline.link.ranker` (``newsledger train locations``): a first pass with the static
model (name match, population, feature class, containers, how many other names of the document
have candidates in the same country and division), then passes with the context model, which
adds what the previous pass resolved for the document's *other* names (countries, divisions,
distance to their towns, list neighbours).

Names are grouped by the key that reached the gazetteer ("Paris City Hall" is "Paris"), share one
container per document (one sense per discourse), and a country's own name excludes its cities'
alternate names ("Mexico"). A name and its "container" that together form one gazetteer name
("Washington, D.C.") are read as that name. Points: counties (no offline coordinates) take the
median of the document's same-state towns; recognised names with no candidate, or only a
spelling-skeleton guess outside the document's countries and divisions, take the document's
focus.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from pipeline.link.candidates import (
    MAX_CANDIDATES,
    candidate_rows,
    container_rows,
    joined_rows,
    lookup_keys,
    matched_rows,
    metonym_keys,
    sibling_codes,
)
from pipeline.link.gazetteer import KIND_ALIAS, KIND_ALT, KIND_FUZZY, Gazetteer, name_key
from pipeline.link.mention import (
    ADMIN_WORDS,
    DEMONYM,
    EMBEDDED,
    FACILITY,
    HINT_WORDS,
    MENTION_FORMS,
    METONYM,
    MODIFIER,
    NAME,
    TOWN,
    WATER,
    Mention,
    Resolution,
)
from pipeline.link.points import (
    Choice,
    focus_point,
    located_towns,
    median_point,
    town_mentions,
    unmatched_point,
)
from pipeline.link.ranker import (
    CONTEXT_CANDIDATES,
    EMPTY_CONTEXT,
    Context,
    Features,
    Ranker,
    context_features,
    load_ranker,
    log_population,
    spread,
    static_features,
)

#: Evidence weight per country code or "CC.admin1" division.
Weights = dict[str, float]

_NOTHING: Choice = (None, -math.inf, -math.inf)
_NO_CONTAINER: tuple[int, ...] = ()


def _add_weights(total: Weights, part: Mapping[str, float]) -> None:
    """Add ``part`` into ``total`` in place (``Counter.update``, for float weights)."""
    for key, weight in part.items():
        total[key] = weight + total.get(key, 0)


def _weights_without(total: Mapping[str, float], part: Mapping[str, float]) -> Weights:
    """``total`` less ``part``, keeping positive weights only (weights are never negative)."""
    left = {key: weight - part.get(key, 0) for key, weight in total.items()}
    return {key: weight for key, weight in left.items() if weight > 0}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One candidate row of a mention and its static features."""

    row: int
    geonameid: int
    static: Features


@dataclass(frozen=True, slots=True)
class Prepared:
    """A document ready to rank: its mentions, their name groups and scored candidates.

    Attributes:
        mentions: The mentions (division hints from the matched key filled in).
        keys: Per mention, the name (lookup key) it is grouped under.
        candidates: Per mention, its candidates with their static features.
    """

    mentions: tuple[Mention, ...]
    keys: tuple[str, ...]
    candidates: tuple[tuple[Candidate, ...], ...]


def prepare(gazetteer: Gazetteer, mentions: Sequence[Mention]) -> Prepared:
    """Candidates and static features of a document's mentions (see :func:`resolve`)."""
    joined = [joined_rows(gazetteer, m) for m in mentions]
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
    document = spread(gazetteer, keys, rows)
    candidates = tuple(
        _candidates(gazetteer, m, k, r, c, document)
        for m, k, r, c in zip(mentions, keys, rows, containers, strict=True)
    )
    return Prepared(tuple(mentions), tuple(keys), candidates)


def _candidates(
    gazetteer: Gazetteer,
    mention: Mention,
    key: str,
    rows: list[int],
    containers: Sequence[int],
    document,
) -> tuple[Candidate, ...]:
    # A country's own name means the country, not one of its cities that has the name as an
    # alternate ("Mexico" is not Mexico City).
    named_countries = {
        gazetteer.country_code(r)
        for r in rows
        if gazetteer.feature_code(r) == "PCLI" and int(gazetteer.kind[r]) in (0, KIND_ALIAS)
    }
    rows = [
        r
        for r in rows[:MAX_CANDIDATES]
        if not (
            named_countries
            and gazetteer.country_code(r) in named_countries
            and int(gazetteer.kind[r]) in (KIND_ALT, KIND_FUZZY)
        )
    ]
    if not rows:
        return ()
    # A city inside its namesake division ("Kirkuk" in Kirkuk governorate) is the default
    # reading of the bare name; a division word ("Kirkuk province") reverses it.
    namesakes = frozenset(
        (gazetteer.country_code(r), gazetteer.admin1_code(r))
        for r in rows
        if gazetteer.feature_code(r) == "ADM1"
    )
    # "Missouri, New York, North Carolina and Virginia": a comma before a division that contains
    # none of the candidates lists siblings, and the name is most likely of the same kind.
    siblings = sibling_codes(gazetteer, rows, containers)
    top = max(log_population(gazetteer, r) for r in rows)
    named = any(int(gazetteer.kind[r]) in (0, KIND_ALIAS) for r in rows)
    return tuple(
        Candidate(
            r,
            int(gazetteer.geonameid[r]),
            static_features(
                gazetteer,
                r,
                mention,
                key,
                containers=containers,
                namesakes=namesakes,
                siblings=siblings,
                top_log_pop=top,
                document=document,
                named=named,
            ),
        )
        for r in rows
    )


def _probability(score: float, scored: Sequence[tuple[float, Candidate]]) -> float:
    """The model's probability of the chosen place among the candidates and "no place here".

    Each place counts once, with its best row (as :func:`_pick` chooses).
    """
    best: dict[int, float] = {}
    for s, cand in scored:
        best[cand.geonameid] = max(s, best.get(cand.geonameid, -math.inf))
    top = max(0.0, *best.values())
    total = math.exp(-top) + sum(math.exp(s - top) for s in best.values())
    return round(min(1.0, math.exp(score - top) / total), 3)


def _pick(scored: Sequence[tuple[float, Candidate]]) -> Choice:
    """The best candidate, and the best score of another place (one place may have two rows)."""
    by_place: dict[int, tuple[float, int]] = {}
    for s, cand in scored:
        if cand.geonameid not in by_place or s > by_place[cand.geonameid][0]:
            by_place[cand.geonameid] = (s, cand.row)
    best, best_score, second = None, -math.inf, -math.inf
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
    chosen: Sequence[Choice],
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
) -> tuple[Weights, Weights, list[tuple[float, float]]]:
    countries: Weights = {}
    admin1: Weights = {}
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


#: A spelling guess stands in a country with at least this share of the heaviest one's weight.
GUESS_COUNTRY_SHARE = 0.25


def _in_context(gazetteer: Gazetteer, row: int, context: Context) -> bool:
    """Whether a place lies in the document's main countries and, if any, their divisions.

    Used to accept a guess (a spelling skeleton) only where the rest of the document points:
    a country with at least :data:`GUESS_COUNTRY_SHARE` of the weight of the document's
    heaviest one ("Masada" in a story about Iraq that names Syria once is not in Syria).
    """
    cc = gazetteer.country_code(row)
    weight = context.countries.get(cc, 0.0)
    if not weight or weight < GUESS_COUNTRY_SHARE * context.country_top:
        return False
    divisions = [a for a, w in context.admin1.items() if w > 0 and a.startswith(cc + ".")]
    return not divisions or f"{cc}.{gazetteer.admin1_code(row)}" in divisions


def contexts_of(
    gazetteer: Gazetteer, prepared: Prepared, chosen: Sequence[Choice], min_score: float
) -> tuple[list[Context], list[frozenset[str]]]:
    """Per mention, the context its *other* names give, and its list neighbours' kinds."""
    mentions, keys = prepared.mentions, prepared.keys
    groups: dict[str, tuple[Weights, Weights, list, set]] = {}
    countries: Weights = {}
    admin1: Weights = {}
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
    by_key: dict[str, Context] = {}
    for key, (c, a, _, _) in groups.items():
        others = tuple(p for k, g in groups.items() if k != key for p in g[2])
        divisions = frozenset(d for k, g in groups.items() if k != key for d in g[3])
        by_key[key] = Context(
            _weights_without(countries, c),
            _weights_without(admin1, a),
            others,
            divisions,
            median_point(others) if others else None,
        )
    listed = _listed_codes(gazetteer, mentions, chosen, min_score)
    return [by_key[k] for k in keys], listed


def _best_few(static_scores: Sequence[float]) -> frozenset[int] | None:
    """Indices of the static model's best :data:`CONTEXT_CANDIDATES` (None: all of them)."""
    if len(static_scores) <= CONTEXT_CANDIDATES:
        return None
    ranked = sorted(range(len(static_scores)), key=lambda i: (-static_scores[i], i))
    return frozenset(ranked[:CONTEXT_CANDIDATES])


def _in_shortlist(
    gazetteer: Gazetteer, index: int, cand: Candidate, best: frozenset[int] | None, context: Context
) -> bool:
    """Whether a context pass rescores ``cand`` (see :func:`shortlist`)."""
    return (
        best is None
        or index in best
        or bool(context.countries.get(gazetteer.country_code(cand.row)))
    )


def shortlist(
    gazetteer: Gazetteer, candidates: Sequence[Candidate], ranker: Ranker, context: Context
) -> list[Candidate]:
    """The candidates a context pass rescores.

    The static model's best few, and every one in a country the rest of the document resolved
    to ("Qayara" beside Mosul is a small town).
    """
    best = _best_few([ranker.static.score(c.static) for c in candidates])
    return [
        cand
        for i, cand in enumerate(candidates)
        if _in_shortlist(gazetteer, i, cand, best, context)
    ]


def resolve(
    gazetteer: Gazetteer,
    mentions: Sequence[Mention],
    *,
    ranker: Ranker | None = None,
    iterations: int = 2,
) -> list[Resolution]:
    """Resolve the mentions of one document, jointly.

    The first pass scores every candidate with the static model; each later pass rescores the
    static model's best few with the context model, against the context (countries, admin1
    divisions, points) that the previous pass's choices for the *other* surface names give, so
    repeated mentions of one ambiguous name cannot vote for themselves.

    After the passes, a chosen place whose gazetteer point is only a guess (a county: the
    offline sources have no county coordinates) takes the median point of the document's
    located places in the same first-level division, and a recognised name with no candidate
    at all takes a point from the towns the document names (:func:`~pipeline.link.points.
    unmatched_point`: a building lies in the town just named, "In Washington, ... the Russian
    Embassy"; a township in the one the story is about). So does a name reached only through
    its spelling skeleton when that
    guess lies outside the countries and divisions the rest of the document points to.

    Args:
        gazetteer: A loaded gazetteer.
        mentions: The document's mentions, in text order.
        ranker: The candidate models (default: the committed one, :func:`load_ranker`). Its
            learned ``min_score`` rejects a gazetteer-only mention (recognised only because it
            looked like a place); NER mentions keep their best candidate: a guess beats no
            answer. Choices below even odds (:data:`CONTEXT_SCORE`) feed no context.
        iterations: Context passes after the context-free first pass.

    Returns:
        One :class:`Resolution` per mention, in the same order.
    """
    return resolve_prepared(
        gazetteer, prepare(gazetteer, mentions), ranker=ranker, iterations=iterations
    )


def takes_threshold(mention: Mention) -> bool:
    """Whether ``mention`` is kept only above the learned threshold (``Ranker.min_score``).

    That is a name NER did not call a place, proposed because it is in the gazetteer; demonyms
    and country names inside other names are recognised from lists, and stay.
    """
    return mention.gazetteer_only and mention.form == NAME


#: Log-odds from which a choice feeds the document context (the better-than-even ones).
CONTEXT_SCORE = 0.0


def resolve_prepared(
    gazetteer: Gazetteer,
    prepared: Prepared,
    *,
    ranker: Ranker | None = None,
    iterations: int = 2,
) -> list[Resolution]:
    """:func:`resolve` for a document already through :func:`prepare` (training reuses it)."""
    ranker = ranker or load_ranker()
    min_score = CONTEXT_SCORE
    mentions, keys = prepared.mentions, prepared.keys
    static = [[ranker.static.score(c.static) for c in cands] for cands in prepared.candidates]
    # The context model's score of a candidate's static features is the same in every pass.
    base = [[ranker.context.score(c.static) for c in cands] for cands in prepared.candidates]
    best = [_best_few(s) for s in static]
    scored = [
        list(zip(s, cands, strict=True))
        for s, cands in zip(static, prepared.candidates, strict=True)
    ]
    chosen = [_pick(s) if s else _NOTHING for s in scored]
    contexts: list[Context] = [EMPTY_CONTEXT] * len(mentions)
    for _ in range(iterations):
        contexts, listed = contexts_of(gazetteer, prepared, chosen, min_score)
        scored = [
            [
                (b + ranker.context.partial(context_features(gazetteer, c.row, ctx, lc)), c)
                for i, (c, b) in enumerate(zip(cands, bases, strict=True))
                if _in_shortlist(gazetteer, i, c, top, ctx)
            ]
            for cands, bases, top, ctx, lc in zip(
                prepared.candidates, base, best, contexts, listed, strict=True
            )
        ]
        chosen = [_pick(s) if s else _NOTHING for s in scored]
    # A spelling skeleton is a guess that stands only in a country the rest of the document
    # talks about ("Qayara" beside Mosul): "Portroe" in an Irish story is not Portree, Skye.
    chosen = [
        _NOTHING
        if row is not None
        and int(gazetteer.kind[row]) == KIND_FUZZY
        and not _in_context(gazetteer, row, ctx)
        else (row, score, second)
        for ctx, (row, score, second) in zip(contexts, chosen, strict=True)
    ]
    located = located_towns(gazetteer, keys, mentions, chosen, min_score)
    # The focus counts every place the resolver keeps: a name NER called a place keeps its
    # best candidate however unsure, so it locates the story ("Nenagh" beside "Portroe").
    kept = [
        (row, score, second) if not takes_threshold(m) or score >= ranker.min_score else _NOTHING
        for m, (row, score, second) in zip(mentions, chosen, strict=True)
    ]
    focus = focus_point(gazetteer, mentions, kept, -math.inf)
    town_focus = focus_point(gazetteer, mentions, kept, -math.inf, towns_first=True)
    towns = town_mentions(gazetteer, mentions, kept, min_score)
    out = []
    for key, m, (row, score, _), last in zip(keys, mentions, chosen, scored, strict=True):
        if row is None:
            point = unmatched_point(m, focus=focus, town_focus=town_focus, towns=towns)
            if point is not None and not m.gazetteer_only and not m.demonym:
                out.append(Resolution(None, 0.1, point[0], point[1], approx=True))
            else:
                out.append(Resolution(None, 0.0))
            continue
        if takes_threshold(m) and score < ranker.min_score:
            out.append(Resolution(None, 0.0))
            continue
        confidence = _probability(score, last)
        lat, lon = float(gazetteer.latitude[row]), float(gazetteer.longitude[row])
        approx = bool(gazetteer.approx[row])
        if approx:
            cc = gazetteer.country_code(row)
            a1 = f"{cc}.{gazetteer.admin1_code(row)}"
            near = [(p[2], p[3]) for p in located if p[4] != key and p[1] == a1]
            if near:
                lat, lon = median_point(near)
        out.append(Resolution(row, confidence, lat, lon, approx))
    return out


__all__ = [
    "ADMIN_WORDS",
    "DEMONYM",
    "EMBEDDED",
    "FACILITY",
    "HINT_WORDS",
    "MENTION_FORMS",
    "METONYM",
    "MODIFIER",
    "NAME",
    "TOWN",
    "WATER",
    "Mention",
    "Resolution",
    "candidate_rows",
    "container_rows",
    "contexts_of",
    "metonym_keys",
    "prepare",
    "resolve",
    "resolve_prepared",
]
