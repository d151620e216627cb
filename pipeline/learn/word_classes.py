"""Distributional word classes for the cue tagger, learned from unlabelled parsed text.

A word that headed a cue once or never in PolNeAR train ("contend", "concede", "gripe") gives
the cue tagger no lemma feature to go on; its class does, if the class holds the words that
did ("say", "insist", "argue"). Each lemma frequent enough is described by the contexts it
occurs in over the training articles' cached parses (its dependency to its head and the head's
lemma, its children's dependencies and lemmas, its neighbours), weighted by positive pointwise
mutual information, reduced by a truncated SVD (the eigenvectors of the context Gram matrix)
and grouped by k-means (k-means++ seeding from a fixed-seed generator). No labels are read.

Deterministic: inputs in a fixed order, lemmas and contexts sorted, a fixed seed, sign of each
singular vector fixed; the class table is written as sorted ``lemma<TAB>class`` lines, whose
digest the claims model card keeps (:mod:`pipeline.learn.claims_crf`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy

from pipeline.extract.attribution.tagging import TokenTable

#: Parts of speech whose lemmas get a class (the others are few and have their own features).
CLASS_POS = frozenset({"VERB", "NOUN", "ADJ", "ADV", "AUX"})
#: A lemma is classed when it occurs this often; a context counts when seen this often.
MIN_LEMMA = 5
MIN_CONTEXT = 10
#: At most this many contexts (the most frequent), SVD dimensions and classes.
MAX_CONTEXTS = 3000
DIMENSIONS = 100
CLASSES = 200
KMEANS_ROUNDS = 25
SEED = 7


def _contexts(table: TokenTable) -> Iterable[tuple[str, str]]:
    """``(lemma, context)`` pairs of one article's classed tokens."""
    lemma, pos, dep = table.lemma, table.pos, table.dep
    heads = table.head.tolist()
    n = len(lemma)
    for i in range(n):
        h = heads[i]
        if pos[i] in CLASS_POS:
            if h != i:
                yield lemma[i], "^" + dep[i] + "|" + lemma[h]
                yield lemma[i], "^" + dep[i]
            if i > 0:
                yield lemma[i], "<" + lemma[i - 1]
            if i + 1 < n:
                yield lemma[i], ">" + lemma[i + 1]
        if h != i and pos[h] in CLASS_POS:
            yield lemma[h], "v" + dep[i] + "|" + lemma[i]
            yield lemma[h], "v" + dep[i]


def _kmeans(points: numpy.ndarray, k: int, rng: numpy.random.Generator) -> numpy.ndarray:
    """Cluster ids of ``points`` (rows) by k-means with k-means++ seeding."""
    n = len(points)
    centres = [points[int(rng.integers(n))]]
    nearest = ((points - centres[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        total = float(nearest.sum())
        pick = int(numpy.searchsorted(numpy.cumsum(nearest), rng.random() * total))
        centres.append(points[min(pick, n - 1)])
        nearest = numpy.minimum(nearest, ((points - centres[-1]) ** 2).sum(axis=1))
    c = numpy.array(centres)
    assign = numpy.zeros(n, dtype=numpy.int64)
    for _ in range(KMEANS_ROUNDS):
        dist = (points**2).sum(1)[:, None] - 2 * points @ c.T + (c**2).sum(1)[None, :]
        assign = dist.argmin(axis=1)
        for j in range(k):
            members = points[assign == j]
            if len(members):
                c[j] = members.mean(axis=0)
    return assign


def learn_classes(tables: Iterable[TokenTable]) -> dict[str, int]:
    """A class id per frequent lemma of ``tables`` (see the module docstring)."""
    pairs: Counter[tuple[str, str]] = Counter()
    lemmas: Counter[str] = Counter()
    for table in tables:
        pairs.update(_contexts(table))
        lemmas.update(lm for lm, p in zip(table.lemma, table.pos, strict=True) if p in CLASS_POS)
    context_counts: Counter[str] = Counter()
    for (_, context), count in pairs.items():
        context_counts[context] += count
    contexts = sorted(
        sorted(
            (c for c, n in context_counts.items() if n >= MIN_CONTEXT),
            key=lambda c: (-context_counts[c], c),
        )[:MAX_CONTEXTS]
    )
    words = sorted(w for w, n in lemmas.items() if n >= MIN_LEMMA and w.isalpha())
    if len(words) < CLASSES or len(contexts) < DIMENSIONS:
        return {}
    row = {w: i for i, w in enumerate(words)}
    col = {c: j for j, c in enumerate(contexts)}
    counts = numpy.zeros((len(words), len(contexts)), dtype=numpy.float64)
    for (word, context), count in sorted(pairs.items()):
        i, j = row.get(word), col.get(context)
        if i is not None and j is not None:
            counts[i, j] += count
    smoothed = counts.sum(axis=0) ** 0.75  # context distribution smoothing (Levy et al.)
    expected = counts.sum(axis=1)[:, None] * (smoothed / smoothed.sum())[None, :]
    with numpy.errstate(divide="ignore", invalid="ignore"):
        ppmi = numpy.log(counts / numpy.maximum(expected, 1e-12))
    ppmi = numpy.where(counts > 0, numpy.maximum(ppmi, 0.0), 0.0)
    values, vectors = numpy.linalg.eigh(ppmi.T @ ppmi)
    top = numpy.argsort(values)[::-1][:DIMENSIONS]
    basis = vectors[:, top]
    basis *= numpy.sign(basis[numpy.abs(basis).argmax(axis=0), numpy.arange(len(top))])
    embedded = ppmi @ basis
    embedded /= numpy.maximum(numpy.linalg.norm(embedded, axis=1, keepdims=True), 1e-12)
    assign = _kmeans(embedded, CLASSES, numpy.random.default_rng(SEED))
    return {w: int(a) for w, a in zip(words, assign.tolist(), strict=True)}


def write_classes(classes: Mapping[str, int], path: Path) -> None:
    """Write ``classes`` as sorted ``lemma<TAB>class`` lines."""
    path.write_text("".join(f"{w}\t{c}\n" for w, c in sorted(classes.items())), encoding="utf-8")
