"""A learned baseline for the same-quantity decision, cross-validated on the read half.

``newsledger eval conflicts`` prints it beside the product's numbers, as the other evals print
their baselines: a logistic regression over frame-agreement features
(:func:`agreement_features`: role, counted modifiers, predicate, holder, place, time, as
graded or three-way signals instead of the rule's exact-match requirements), learned from the
read half's ``same_quantity`` labels and scored by grouped cross-validation (folds by story,
``sha1(story) % folds``, so two pairs of one story are never on both sides). Each fold's
threshold is the one that gives the best conflict F1 on its training folds among those that
keep the product's precision there (0.8), if any does. A pair is a
conflict when the score passes and the two figures' intervals cannot both hold, exactly as
:func:`pipeline.across.conflicts.decide` tests values.

It answers one question with numbers: does a model learned from judged pairs decide "same
quantity" better than the hand-written frame rule (:func:`pipeline.across.sameness.compare`)?
The rule is not learned, so its read-half numbers are in-sample (it was written reading the
read half's errors) and its check-half numbers are the held-out ones; the baseline's numbers
are held-out by construction. Only the read half is used; the check half is never touched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.across.conflicts import ConflictSettings, FigureView, figure_interval
from pipeline.across.intervals import gap
from pipeline.across.sameness import (
    COMPARED_ROLES,
    counted_key,
    event_match,
    field_agreements,
    holder_name,
    is_cause,
    is_neutral,
)
from pipeline.evaluate.gold import prf

#: Thresholds a training fold chooses from.
THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
#: The precision the product keeps (issue 30): a training fold's threshold reaches it if it can.
MIN_PRECISION = 0.8
#: Inverse L2 strength (on standardised features).
C = 1.0


@dataclass(frozen=True, slots=True)
class Judged:
    """One judged read-half pair as the baseline sees it."""

    story: str
    features: dict[str, float]
    values_clash: bool
    same_quantity: bool
    conflict: bool


def agreement_features(a: FigureView, b: FigureView, *, unclear: bool) -> dict[str, float]:
    """How far two frames agree, field by field, as numbers (1.0 = yes)."""
    key_a, key_b = counted_key(a.counted), counted_key(b.counted)
    mods_a = key_a.modifiers if key_a else frozenset()
    mods_b = key_b.modifiers if key_b else frozenset()
    union = mods_a | mods_b
    event = event_match(a.event, b.event)
    neutral = is_neutral(a.event) or is_neutral(b.event)
    features = {
        "role_equal": float(a.role == b.role),
        "role_total": float(a.role == b.role == "total"),
        "role_compared": float(a.role in COMPARED_ROLES and b.role in COMPARED_ROLES),
        "kind_count": float(a.kind == "count"),
        "counted_both": float(key_a is not None and key_b is not None),
        "head_equal": float(bool(key_a and key_b and key_a.head == key_b.head)),
        "population": float(bool(key_a and key_b and key_a.same_population(key_b))),
        "modifiers_equal": float(mods_a == mods_b),
        "modifiers_jaccard": len(mods_a & mods_b) / len(union) if union else 1.0,
        "modifiers_one_side": float(bool(mods_a) != bool(mods_b)),
        "modifiers_clash": float(bool(mods_a - mods_b) and bool(mods_b - mods_a)),
        "event_equal": float(event is not None and event[1]),
        "event_class": float(event is not None and not event[1] and not neutral),
        "event_neutral": float(event is not None and not event[1] and neutral),
        "event_differ": float(event is None),
        "unclear": float(unclear),
    }
    for field, (agree, named) in field_agreements(a, b).items():
        features[f"{field}_agree"] = float(agree is True)
        features[f"{field}_differ"] = float(agree is False)
        features[f"{field}_one_side"] = float(agree is None and named)
    holders = (holder_name(a.holder), holder_name(b.holder))
    features["holder_cause"] = float(
        features["holder_one_side"] > 0 and any(is_cause(h) for h in holders)
    )
    return features


def judged(
    story: str,
    a: FigureView,
    b: FigureView,
    settings: ConflictSettings,
    *,
    unclear: bool,
    same_quantity: bool,
    conflict: bool,
) -> Judged:
    """The baseline's view of one judged pair (values tested as ``decide`` tests them)."""
    span_a, span_b = figure_interval(a, settings), figure_interval(b, settings)
    clash = bool(
        span_a
        and span_b
        and not span_a.intersects(span_b)
        and gap(span_a, span_b) <= settings.max_ratio
        and a.article_id != b.article_id
        and a.outlet != b.outlet
    )
    features = agreement_features(a, b, unclear=unclear)
    return Judged(story, features, clash, same_quantity, conflict)


def _fold(story: str, folds: int) -> int:
    return int(hashlib.sha1(story.encode("utf-8")).hexdigest(), 16) % folds


def _choice(scores: Sequence[float], items: Sequence[Judged], threshold: float) -> tuple:
    """How a training fold ranks a threshold: precision at least the product's, then F1."""
    called = [s >= threshold and j.values_clash for s, j in zip(scores, items, strict=True)]
    tp = sum(c and j.conflict for c, j in zip(called, items, strict=True))
    scored = prf(tp, sum(called), sum(j.conflict for j in items))
    return (scored["p"] >= MIN_PRECISION, scored["f1"], -threshold)


def cross_validate(items: Sequence[Judged], *, gold_conflicts: int, gold_same: int, folds=5):
    """Grouped k-fold scores of the learned baseline over ``items`` (the read half's pairs).

    Args:
        items: The judged pairs whose both figures were found.
        gold_conflicts: Conflicts in the read half (with pairs whose figures were not found).
        gold_same: Same-quantity pairs in the read half, likewise.
        folds: Folds, grouped by story.

    Returns:
        ``{"conflict": prf, "same_quantity": prf, "folds", "grouped_by", "thresholds"}``.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    names = sorted(items[0].features) if items else []
    x = np.array([[j.features[n] for n in names] for j in items], dtype=np.float64)
    y = np.array([j.same_quantity for j in items], dtype=np.int64)
    fold = np.array([_fold(j.story, folds) for j in items])
    scores = np.zeros(len(items))
    chosen: list[float] = []
    for k in range(folds):
        train = fold != k
        if not train.any() or len(set(y[train])) < 2 or not (~train).any():
            continue
        model = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=5000))
        model.fit(x[train], y[train])
        inside = [j for j, t in zip(items, train, strict=True) if t]
        fitted = model.predict_proba(x[train])[:, 1]
        best = max(THRESHOLDS, key=lambda t: _choice(fitted.tolist(), inside, t))
        chosen.append(best)
        scores[~train] = (model.predict_proba(x[~train])[:, 1] >= best).astype(np.float64)
    called = [bool(s) for s in scores]
    same_tp = sum(c and j.same_quantity for c, j in zip(called, items, strict=True))
    conflicts = [c and j.values_clash for c, j in zip(called, items, strict=True)]
    tp = sum(c and j.conflict for c, j in zip(conflicts, items, strict=True))
    return {
        "conflict": {**prf(tp, sum(conflicts), gold_conflicts), "tp": tp},
        "same_quantity": {**prf(same_tp, sum(called), gold_same), "tp": same_tp},
        "folds": folds,
        "grouped_by": "story",
        "thresholds": chosen,
    }
