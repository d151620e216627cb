"""Learn the candidate ranker of place resolution: ``newsledger train locations``.

The model (:mod:`pipeline.link.ranker`) is two logistic regressions over candidate features,
learned from gold toponyms with coordinates:

- **Pool.** GeoWebNews dev and LGL dev contribute their **read half only**
  (:func:`pipeline.evaluate.gold.by_half`), GeoVirus (``train/locations/geovirus.jsonl``) all
  of it. The committed model has never seen a check half, so ``newsledger eval locations``,
  which runs the committed model through the product path, measures the check halves as held
  out. A file under a ``train/`` folder is used whole; any other file gives its read half.
- **Mentions** are those the pipeline recognises (:func:`pipeline.extract.locations.find_mentions`
  on the pipeline's own parse of the normalised body), matched to a gold toponym by overlap.
  A candidate is right when it is the gold GeoNames id, or, when no candidate is (GeoVirus has
  no ids; some gold ids are not in the bundled gazetteer), when it lies within 161 km of the
  gold point. Gazetteer-only mentions overlapping no gold toponym are all-wrong groups: the
  model learns that a name that merely looks like a place often is not one.
- **Static model** first, on every candidate; its first-pass choices give each mention the
  document context of the *other* names; the **context model** learns from the static model's
  best candidates (:func:`pipeline.link.geocode.shortlist`) with both kinds of features. The
  acceptance threshold of gazetteer-only mentions is the score that keeps the most more right
  than wrong ones.
- **Cross-validation** is grouped by article (fold = ``sha1(id) % folds``): each fold's model
  is learned on the other folds, and the held-out articles are resolved with
  :func:`pipeline.link.geocode.resolve_prepared` exactly as the pipeline resolves them.

Deterministic: records in file order, features in a fixed order, lbfgs on one BLAS thread, the
model written as canonical JSON (floats by ``repr``) with the sha256 of its data and code.
Parses are the pipeline's own, from each file's gold warehouse
(:func:`pipeline.learn.gold_warehouse`), which ``newsledger train locations`` first builds or
refreshes by ``newsledger eval``'s code path; it is required (the pipeline annotates a body in
windows, batched with others, so a parse made here need not be the same). Only the fixture
test parses here, by name (``TrainRequest.direct_parse_for_tests``). The data digest covers the
training files and the gazetteer's fingerprint (its GeoNames sources and build code).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from pipeline.learn import (
    MODELS,
    SHARED_EVAL,
    TrainReport,
    TrainRequest,
    canonical_json,
    code_digest,
    deterministic,
    files_digest,
    library_versions,
    read_jsonl,
    require_gold_warehouse,
    write_atomic,
)
from pipeline.link.geocode import Prepared
from pipeline.link.mention import NAME

#: The default training pool (see the module docstring for which half of each is used).
DEFAULT_POOLS = (
    SHARED_EVAL / "locations" / "geowebnews-dev.jsonl",
    SHARED_EVAL / "locations" / "lgl-dev.jsonl",
    SHARED_EVAL / "train" / "locations" / "geovirus.jsonl",
)
MODEL_FILE = MODELS / "places.json"
KM = 161.0
#: L2 penalty of both models (on standardised features): the best of 0.3, 1, 3 and 10 by the
#: grouped cross-validation (3 also keeps the read and check halves closer than 1).
L2 = 3.0


@dataclass(frozen=True, slots=True)
class Gold:
    """What a recognised mention is, by the gold: a point (and id), or no place, or unknown."""

    kind: str  # "place", "none" (overlaps no gold toponym), "ignore" (gold without coords)
    latitude: float = 0.0
    longitude: float = 0.0
    geonameid: int | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One training article: its source file, id, prepared mentions and their gold."""

    source: str
    gold_id: str
    prepared: Prepared
    gold: tuple[Gold, ...]


def _uses_whole(path: Path) -> bool:
    return "train" in path.parts


def _records(path: Path, limit: int | None) -> list[dict]:
    from pipeline.evaluate.gold import by_half

    records = read_jsonl(path, limit)
    if _uses_whole(path):
        return records
    read = set(by_half([r["id"] for r in records])["read"])
    return [r for r in records if r["id"] in read]


def _docs(path: Path, records: Sequence[dict], *, direct_parse_for_tests: bool) -> list:
    """The pipeline's parse of each record's normalised body, from the gold warehouse.

    Raises:
        FileNotFoundError: When the warehouse is missing.
        ValueError: When it lacks a record or holds another body for it (it is stale).
    """
    from pipeline.normalise import normalise_body

    bodies = [normalise_body(None, r["text"])[0] for r in records]
    if direct_parse_for_tests:
        from pipeline.nlp import annotate

        return annotate(bodies)
    cached = _warehouse_docs(path, records, bodies)
    if missing := sum(doc is None for doc in cached):
        raise ValueError(
            f"the gold warehouse of {path.name} lacks {missing} of its records' bodies: rebuild "
            "it (newsledger train does)"
        )
    return cached


def _warehouse_docs(path: Path, records: Sequence[dict], bodies: Sequence[str]) -> list:
    database = require_gold_warehouse(path)
    out: list = [None] * len(records)
    from pipeline.evaluate.gold import cached_docs
    from pipeline.warehouse import Warehouse, connect

    con = connect(database, read_only=True)
    try:
        warehouse = Warehouse(con)
        frame = warehouse.frame("SELECT external_id, article_id, body FROM articles")
        known = {gid: (aid, body) for gid, aid, body in frame.iter_rows()}
        wanted = [
            (i, known[r["id"]][0])
            for i, r in enumerate(records)
            if r["id"] in known and known[r["id"]][1] == bodies[i]
        ]
        for (i, _), doc in zip(wanted, cached_docs(warehouse, [a for _, a in wanted]), strict=True):
            out[i] = doc
    finally:
        con.close()
    return out


def _gold_of(mention, record: dict, offsets) -> Gold:
    start, end = offsets.span_to_gold(mention.start, mention.end)
    overlapping = [t for t in record["toponyms"] if start < t["end"] and t["start"] < end]
    placed = [t for t in overlapping if t["lat"] is not None]
    if placed:
        t = placed[0]
        return Gold("place", float(t["lat"]), float(t["lon"]), t.get("geonameid"))
    return Gold("ignore") if overlapping else Gold("none")


def load_articles(
    paths: Sequence[Path], limit: int | None, gazetteer, *, direct_parse_for_tests: bool = False
) -> list[Article]:
    """The training articles of ``paths`` (see the module docstring), in file order."""
    from pipeline.evaluate.gold import OffsetMap
    from pipeline.extract.locations import find_mentions
    from pipeline.link.geocode import prepare

    articles: list[Article] = []
    for path in paths:
        records = _records(path, limit)
        docs = _docs(path, records, direct_parse_for_tests=direct_parse_for_tests)
        for record, doc in zip(records, docs, strict=True):
            offsets = OffsetMap.between(record["text"], doc.text)
            mentions = find_mentions(doc, gazetteer)
            prepared = prepare(gazetteer, mentions)
            gold = tuple(_gold_of(m, record, offsets) for m in prepared.mentions)
            articles.append(Article(path.stem, record["id"], prepared, gold))
    return articles


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from pipeline.link.ranker import haversine

    return haversine(lat1, lon1, lat2, lon2)


def _labels(gazetteer, candidates, gold: Gold) -> list[int]:
    """1 for the right candidates (the gold id, else within 161 km of the gold point)."""
    if gold.kind != "place":
        return [0] * len(candidates)
    if gold.geonameid is not None and any(c.geonameid == gold.geonameid for c in candidates):
        return [int(c.geonameid == gold.geonameid) for c in candidates]
    return [
        int(
            _haversine(
                float(gazetteer.latitude[c.row]),
                float(gazetteer.longitude[c.row]),
                gold.latitude,
                gold.longitude,
            )
            <= KM
        )
        for c in candidates
    ]


def _teaches(mention, gold: Gold, labels: list[int]) -> bool:
    """Whether a mention's candidates are training rows: a place found, or a false place."""
    if gold.kind == "place":
        return any(labels)
    # Only a name can be a false place: GeoVirus does not annotate demonyms, and a demonym or
    # an embedded country name is recognised from a list, not because it looked like a place.
    return gold.kind == "none" and mention.gazetteer_only and mention.form == NAME


def _fit(
    rows: list[dict],
    labels: list[int],
    groups: list[int],
    names: Sequence[str],
    mention_weights: Sequence[float] | None = None,
) -> dict:
    """A conditional logit over each mention's candidates; weights in raw feature units.

    A multinomial logistic regression whose classes are a mention's candidates plus "no place
    here" (score 0): the likelihood of a mention is the probability of its right candidates
    (of "no place" for a false place). Standardised features and an L2 penalty; the scaling
    is folded into the weights and a bias. ``groups`` numbers the mention of each row;
    ``mention_weights`` (one per mention, in order) scale each mention's likelihood.
    """
    import numpy as np
    from scipy.optimize import minimize

    x = np.array([[row.get(n, 0.0) for n in names] for row in rows], dtype=np.float64)
    positive = np.array(labels, dtype=np.float64)
    group = np.array(groups, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    sizes = np.diff(np.r_[starts, len(group)])
    null_right = np.add.reduceat(positive, starts) == 0
    weight = (
        np.ones(len(starts))
        if mention_weights is None
        else np.asarray(mention_weights, dtype=np.float64)
    )
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        score = z @ w
        top = np.maximum(np.maximum.reduceat(score, starts), 0.0)
        e = np.exp(score - np.repeat(top, sizes))
        null = np.exp(-top)
        every = np.add.reduceat(e, starts) + null
        right = np.add.reduceat(e * positive, starts) + np.where(null_right, null, 0.0)
        value = float(np.sum(weight * (np.log(every) - np.log(right))) + 0.5 * L2 * (w @ w))
        share = (e / np.repeat(every, sizes) - e * positive / np.repeat(right, sizes)) * np.repeat(
            weight, sizes
        )
        return value, z.T @ share + L2 * w

    result = minimize(
        loss,
        np.zeros(len(names)),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 2000, "gtol": 1e-9, "ftol": 1e-12},
    )
    weights = result.x / scale
    bias = -float(np.dot(weights, mean))
    return {
        "bias": round(bias, 10),
        "weights": {n: round(float(w), 10) for n, w in zip(names, weights, strict=True) if w},
    }


def fit(gazetteer, articles: Sequence[Article]) -> dict:
    """The model payload (static and context models, threshold) learned from ``articles``."""
    from pipeline.link.geocode import (
        CONTEXT_SCORE,
        _pick,
        contexts_of,
        resolve_prepared,
        shortlist,
        takes_threshold,
    )
    from pipeline.link.ranker import (
        CONTEXT_FEATURES,
        STATIC_FEATURES,
        LinearModel,
        Ranker,
        context_features,
        ranker_from_payload,
    )

    rows: list[dict] = []
    labels: list[int] = []
    groups: list[int] = []
    weights: list[float] = []
    for article in articles:
        repeats = Counter(article.prepared.keys)
        for m, key, cands, gold in zip(
            article.prepared.mentions,
            article.prepared.keys,
            article.prepared.candidates,
            article.gold,
            strict=True,
        ):
            y = _labels(gazetteer, cands, gold)
            if cands and _teaches(m, gold, y):
                rows.extend(c.static for c in cands)
                labels.extend(y)
                groups.extend([len(labels)] * len(cands))
                weights.append(1.0 / repeats[key])
    static = _fit(rows, labels, groups, STATIC_FEATURES, weights)
    static_model = LinearModel(static["bias"], static["weights"])
    provisional = Ranker(static_model, static_model, -math.inf)

    rows, labels, groups, weights = [], [], [], []
    for article in articles:
        prepared = article.prepared
        repeats = Counter(prepared.keys)
        chosen = [
            _pick([(static_model.score(c.static), c) for c in cands])
            if cands
            else (None, -math.inf, -math.inf)
            for cands in prepared.candidates
        ]
        contexts, listed = contexts_of(gazetteer, prepared, chosen, CONTEXT_SCORE)
        for m, key, cands, gold, ctx, lc in zip(
            prepared.mentions,
            prepared.keys,
            prepared.candidates,
            article.gold,
            contexts,
            listed,
            strict=True,
        ):
            short = shortlist(gazetteer, cands, provisional, ctx)
            y = _labels(gazetteer, short, gold)
            if short and _teaches(m, gold, y):
                rows.extend(c.static | context_features(gazetteer, c.row, ctx, lc) for c in short)
                labels.extend(y)
                groups.extend([len(labels)] * len(short))
                weights.append(1.0 / repeats[key])
    context = _fit(rows, labels, groups, STATIC_FEATURES + CONTEXT_FEATURES, weights)
    payload = {"static": static, "context": context, "min_score": -1e9}
    ranker = ranker_from_payload(payload)

    # The threshold for gazetteer-only mentions: the score that keeps the most right ones
    # over wrong ones (a tie keeps more).
    scored: list[tuple[float, int]] = []
    for article in articles:
        resolved = resolve_prepared(gazetteer, article.prepared, ranker=ranker)
        for m, res, gold in zip(article.prepared.mentions, resolved, article.gold, strict=True):
            if not takes_threshold(m) or res.row is None or gold.kind == "ignore":
                continue
            logit = math.log(max(res.confidence, 1e-6) / max(1 - res.confidence, 1e-6))
            scored.append((logit, 1 if gold.kind == "place" else -1))
    best, best_gain, gain = -1e9, sum(v for _, v in scored), sum(v for _, v in scored)
    for logit, value in sorted(scored):
        gain -= value
        if gain > best_gain:
            best, best_gain = logit + 1e-6, gain
    payload["min_score"] = round(best, 6)
    return payload


def _fold(gold_id: str, folds: int) -> int:
    return int(hashlib.sha1(gold_id.encode("utf-8")).hexdigest(), 16) % folds


def evaluate(gazetteer, articles: Sequence[Article], ranker) -> dict[str, dict]:
    """acc@161 over recognised gold toponyms, per source file and overall."""
    from pipeline.link.geocode import resolve_prepared, takes_threshold

    counts: dict[str, list[int]] = {}
    for article in articles:
        resolved = resolve_prepared(gazetteer, article.prepared, ranker=ranker)
        for source in (article.source, "all"):
            tally = counts.setdefault(source, [0, 0, 0, 0])  # recognised, right, kept fp, fp
            for m, res, gold in zip(article.prepared.mentions, resolved, article.gold, strict=True):
                # As the locations stage keeps them: an unresolved demonym or gazetteer-only
                # name is no row (pipeline.extract.locations.to_locations).
                kept = res.row is not None or not (m.gazetteer_only or m.demonym)
                if gold.kind == "none" and takes_threshold(m):
                    tally[3] += 1
                    tally[2] += kept
                if (
                    gold.kind != "place"
                    or not kept
                    or res.latitude is None
                    or res.longitude is None
                ):
                    tally[0] += gold.kind == "place" and kept
                    continue
                tally[0] += 1
                distance = _haversine(res.latitude, res.longitude, gold.latitude, gold.longitude)
                tally[1] += distance <= KM
    return {
        source: {
            "recognised": n,
            "acc161_recognised": round(right / n, 4) if n else 0.0,
            "gazetteer_only_false_places_kept": f"{kept_fp}/{fp}",
        }
        for source, (n, right, kept_fp, fp) in sorted(counts.items())
    }


def cross_validate(gazetteer, articles: Sequence[Article], folds: int) -> dict[str, dict]:
    """Grouped k-fold by article: each fold resolved by a model learned on the others."""
    from pipeline.link.ranker import ranker_from_payload

    held: list[Article] = []
    rankers = []
    for k in range(folds):
        train_part = [a for a in articles if _fold(a.gold_id, folds) != k]
        test_part = [a for a in articles if _fold(a.gold_id, folds) == k]
        rankers.append((test_part, ranker_from_payload(fit(gazetteer, train_part))))
        held.extend(test_part)
    counts: dict[str, list[int]] = {}
    merged: dict[str, dict] = {}
    for test_part, ranker in rankers:
        for source, scores in evaluate(gazetteer, test_part, ranker).items():
            tally = counts.setdefault(source, [0, 0, 0, 0])
            n = scores["recognised"]
            tally[0] += n
            tally[1] += round(scores["acc161_recognised"] * n)
            kept, fp = scores["gazetteer_only_false_places_kept"].split("/")
            tally[2] += int(kept)
            tally[3] += int(fp)
    for source, (n, right, kept, fp) in sorted(counts.items()):
        merged[source] = {
            "recognised": n,
            "acc161_recognised": round(right / n, 4) if n else 0.0,
            "gazetteer_only_false_places_kept": f"{kept}/{fp}",
        }
    return merged


def train(request: TrainRequest) -> TrainReport:
    """Learn the ranker from ``request.data`` (default :data:`DEFAULT_POOLS`) and write it."""
    from pipeline.evaluate.locations import DEFAULT_GAZETTEER
    from pipeline.link.gazetteer import BUNDLED_GEONAMES, load_gazetteer
    from pipeline.stages import ensure_gazetteer

    paths = pools(request)
    out = Path(request.out) if request.out else MODEL_FILE
    built = ensure_gazetteer(DEFAULT_GAZETTEER, geonames_dir=BUNDLED_GEONAMES)
    gazetteer = load_gazetteer(DEFAULT_GAZETTEER)
    with deterministic():
        articles = load_articles(
            paths, request.limit, gazetteer, direct_parse_for_tests=request.direct_parse_for_tests
        )
        model = fit(gazetteer, articles)
        validation = cross_validate(gazetteer, articles, request.folds)
    files = files_digest(list(paths), limit=request.limit)
    gazetteer_fingerprint = str(built["fingerprint"])
    # The candidates and their coordinates come from the gazetteer: its fingerprint is data.
    digest = hashlib.sha256(f"{files}\0gazetteer\0{gazetteer_fingerprint}".encode()).hexdigest()
    payload = {
        "about": "Candidate ranker of place resolution (pipeline.link.ranker); "
        "newsledger train locations (pipeline.learn.places).",
        "data_sha256": digest,
        "code_sha256": learning_digest(),
        "trained_on": {
            p.name: {
                "records": "all" if _uses_whole(p) else "read half",
                "articles": sum(a.source == p.stem for a in articles),
            }
            for p in paths
        },
        "cross_validation": {"folds": request.folds, "grouped_by": "article", **validation},
        "inputs": {
            "files_sha256": files,
            "gazetteer_fingerprint": gazetteer_fingerprint,
            "libraries": libraries(),
            "parses": "direct (tests only)" if request.direct_parse_for_tests else "warehouse",
        },
        "model": model,
    }
    write_atomic(out, canonical_json(payload))
    return TrainReport(out, digest, {"cross_validation": payload["cross_validation"]})


def pools(request: TrainRequest) -> tuple[Path, ...]:
    """The training files of ``request``, whose gold warehouses the trainer reads."""
    return tuple(Path(p) for p in (request.data or DEFAULT_POOLS))


def libraries() -> dict[str, str]:
    """What learns (scikit-learn) and what parses (spaCy's model), by version."""
    from pipeline.nlp import model_name

    return {**library_versions("scikit-learn"), "parser": model_name()}


def learning_code() -> tuple[tuple[ModuleType, ...], tuple[Path, ...]]:
    """The code and data files that decide what the ranker learns (its code digest).

    - the examples: the mentions the pipeline recognises (:mod:`pipeline.extract.locations`,
      :mod:`pipeline.extract.place_spans` and its word lists), their gazetteer candidates
      (:mod:`pipeline.link.candidates`, :mod:`pipeline.link.coverage`,
      :mod:`pipeline.link.gazetteer`, :mod:`pipeline.link.mention`) and the parse of the
      normalised body (:mod:`pipeline.normalise`, :mod:`pipeline.evaluate.gold`'s halves,
      cached parses and offset maps);
    - the features and the first pass that gives the context model its context
      (:mod:`pipeline.link.ranker`, :mod:`pipeline.link.geocode`, :mod:`pipeline.link.points`);
    - the labels and the fit: this module.

    Not what uses the resolved places afterwards (locations' rows, focus and stories). The
    gazetteer's rows are data, built from the bundled GeoNames files: not in this digest.
    """
    import sys

    from pipeline import normalise
    from pipeline.evaluate import gold
    from pipeline.extract import doccache, locations, place_spans
    from pipeline.link import candidates, coverage, gazetteer, geocode, mention, points, ranker

    modules = (
        sys.modules[__name__],
        locations,
        place_spans,
        doccache,
        candidates,
        coverage,
        gazetteer,
        mention,
        geocode,
        points,
        ranker,
        normalise,
        gold,
    )
    return modules, (place_spans.WORDS_PATH,)


def learning_digest() -> str:
    """sha256 of :func:`learning_code`: what ``code_sha256`` of a current model holds."""
    modules, files = learning_code()
    return code_digest(*modules, files=files)
