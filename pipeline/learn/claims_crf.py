"""Learning the attribution taggers (:mod:`pipeline.extract.attribution.crf`) from PolNeAR.

Each gold attribution's cue, content and source (covering spans, as the eval reads them) are
mapped onto the pipeline's tokens (token offsets mapped into the gold text). Then:

- the cue tagger learns BIO over every sentence holding a cue lemma (the lemmas that headed a
  gold cue at least :data:`MIN_LEMMA_COUNT` times and in at least :data:`MIN_LEMMA_SHARE` of
  their occurrences in the training articles; the extractor tags those sentences but the ones
  wholly inside a quotation);
- the content and source taggers learn BIO over the window around each gold cue.

python-crfsuite trains with L-BFGS (elastic net; the cue tagger with the averaged perceptron,
its shuffles seeded) for a fixed number of iterations on one thread; with the sequences
appended in a fixed order (articles by id, text order within) its model files come out
byte-identical across runs (``tests/unit/test_learn_claims.py`` retrains twice on a
fixture). :mod:`pipeline.learn.claims` calls :func:`train_taggers` for each
cross-validation fold and for the final model.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy

from pipeline.extract.attribution.crf import TAGGERS, Taggers, tagger_path
from pipeline.extract.attribution.tagging import (
    AFTER,
    BEFORE,
    TokenTable,
    cue_anchor,
    cue_features,
    sentence_window,
    span_features,
    token_table,
)

#: A lemma heads a cue this often in the training articles, and in this share of the times it
#: occurs, before its sentences are tagged. Measured on fold 0 of train (cue tokens F1): a
#: share of 5% tags 81% of the sentences and found as many cues as tagging every sentence
#: (0.772 vs 0.763), since punctuation and "be", which head a cue now and then, no longer
#: pull in every sentence.
MIN_LEMMA_COUNT = 2
MIN_LEMMA_SHARE = 0.05

#: crfsuite options per tagger: L1 and a minimum feature count keep the models small, a fixed
#: iteration count keeps the bytes fixed (and the training time of the five folds and the
#: final model in bounds). Cue tagger, fold 0 of train: c1 0.3, 80 iterations, features seen
#: 3 times: F1 0.771 in 2.9 MB, against 0.772 in 8.2 MB (c1 0.1, 50 iterations, twice).
#: Content tagger, fold 0 of train, gold cues given (its best run matching the gold content by
#: the eval's test / exactly): c1 0.1, 40 iterations 0.701 / 0.515 (1.9 MB); 100 iterations
#: 0.731 / 0.574; 200, 0.733 / 0.592; c1 0.03 or 0.3 at 100, 0.730 / 0.570 and 0.735 / 0.586;
#: c1 0.3 at 200, 0.750 / 0.611 (1.2 MB); at 400, 0.754 / 0.614 (twice the training time);
#: c1 0.6 at 200, 0.749 / 0.612. Features of the neighbours' words and dependencies, the
#: head's dependency and side, a comma before and the sentence's edges added (c1 0.3, 200
#: iterations): 0.754 / 0.618 in 2.1 MB, not kept (slower to extract for 0.4 points).
#: End to end the better tagger alone does not gain: it gives a run to more learned cues,
#: whose extra claims are mostly wrong cues (fold 0: 486 learned claims, 247 right, against
#: 554 and 264; content F1 0.7189 -> 0.7173); it pays through the doubt it casts on the
#: rules' spans (:func:`pipeline.extract.attribution.crf.doubted_contents`: 0.7217).
#: Cue tagger, session 22: the L-BFGS cue tagger is not converged at 80 iterations (loss
#: 16,260 against 14,652 at 200), but converging it tags more cues that are wrong (fold 0 cue
#: recall 0.714 -> 0.717, precision 0.837 -> 0.826, content F1 0.7197 -> 0.7167). crfsuite's
#: averaged perceptron (30 epochs, features seen 3 times) tags as many gold cues with fewer
#: wrong ones (recall 0.716, precision 0.852; content F1 0.7232) in 7.3 MB; it shuffles the
#: sequences with the C library's rand(), which :func:`_seed_shuffle` seeds before training.
#: Source tagger, folds 0 / 1 of train, gold cues given (the head of its run nearest the cue
#: inside the gold source, or no run where the gold has none): c1 0.1, 40 iterations 0.834 /
#: 0.837 (1.2 MB); c1 0.3, 200 iterations 0.856 / 0.855 (0.6 MB). End to end it names the
#: speaker of learned cues only: see the decision list in :mod:`pipeline.extract.attribution`.
PARAMS: dict[str, dict[str, float | int | bool | str]] = {
    "cue": {"algorithm": "ap", "max_iterations": 30, "feature.minfreq": 3},
    "content": {"c1": 0.3, "c2": 0.01, "max_iterations": 200, "feature.minfreq": 3},
    "source": {"c1": 0.3, "c2": 0.01, "max_iterations": 200, "feature.minfreq": 3},
}


@dataclass(frozen=True, slots=True)
class GoldSpans:
    """One gold attribution on the pipeline's tokens: cue, content and source token ranges."""

    cue: tuple[int, int]
    content: tuple[int, int] | None
    source: tuple[int, int] | None


@dataclass(frozen=True, slots=True)
class TaggerArticle:
    """An article's token table, its gold attributions on tokens, and its cue lemmas."""

    table: TokenTable
    golds: tuple[GoldSpans, ...]


def _covering(token_gold: numpy.ndarray, pieces: Sequence[Sequence[int]]) -> tuple[int, int] | None:
    if not pieces:
        return None
    start = min(p[0] for p in pieces)
    end = max(p[1] for p in pieces)
    hit = numpy.flatnonzero((token_gold[:, 0] < end) & (token_gold[:, 1] > start))
    return (int(hit[0]), int(hit[-1]) + 1) if len(hit) else None


def tagger_article(doc, row: dict, to_gold) -> TaggerArticle:
    """The gold attributions of ``row`` on the tokens of ``doc`` (``to_gold`` maps offsets)."""
    table = token_table(doc)
    token_gold = numpy.array(
        [to_gold(int(s), int(e)) for s, e in zip(table.idx, table.ends, strict=True)],
        dtype=numpy.int64,
    ).reshape(-1, 2)
    golds = []
    for attribution in row["attributions"]:
        cue = _covering(token_gold, attribution["cue"])
        if cue is None:
            continue
        golds.append(
            GoldSpans(
                cue,
                _covering(token_gold, attribution["content"]),
                _covering(token_gold, attribution["source"]),
            )
        )
    return TaggerArticle(table, tuple(golds))


def _bio(length: int, span: tuple[int, int] | None, offset: int) -> list[str]:
    labels = ["O"] * length
    if span is not None:
        first, end = max(span[0], offset) - offset, min(span[1], offset + length) - offset
        if first < end:
            labels[first] = "B"
            labels[first + 1 : end] = ["I"] * (end - first - 1)
    return labels


def cue_lemmas(articles: Sequence[TaggerArticle]) -> list[str]:
    """Lemmas heading a gold cue often enough, sorted.

    Often enough: :data:`MIN_LEMMA_COUNT` times, and in :data:`MIN_LEMMA_SHARE` of the lemma's
    occurrences, so that a word that heads a cue now and then ("be", a comma) does not send
    nearly every sentence through the cue tagger.
    """
    counts: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for article in articles:
        seen.update(article.table.lemma)
        for gold in article.golds:
            counts[article.table.lemma[cue_anchor(article.table, *gold.cue)]] += 1
    return sorted(
        lemma
        for lemma, n in counts.items()
        if n >= MIN_LEMMA_COUNT and n >= MIN_LEMMA_SHARE * seen[lemma]
    )


def _trainer(name: str):
    import pycrfsuite

    params = dict(PARAMS[name])
    algorithm = str(params.pop("algorithm", "lbfgs"))
    trainer = pycrfsuite.Trainer(  # pyright: ignore[reportAttributeAccessIssue]
        algorithm=algorithm, verbose=False
    )
    trainer.set_params({**params, "feature.possible_transitions": True})
    return trainer


def _seed_shuffle() -> None:
    """Seed the C library's rand(), which crfsuite's online trainers shuffle the data with.

    Why: unseeded, a second training in the same process (the next fold) draws another order,
    so the bytes of a model would depend on what was trained before it.
    """
    import ctypes

    ctypes.CDLL(None).srand(1)


def train_taggers(articles: Sequence[TaggerArticle], card: Path) -> dict[str, object]:
    """Train the three taggers on ``articles``, written beside ``card``; their card section.

    Returns:
        ``{"lemmas": [...], "files": {name: sha256}, "params": PARAMS}``, what the claims
        model JSON keeps under ``taggers`` (:func:`~pipeline.extract.attribution.crf.
        default_taggers` reads the lemmas from it).
    """
    lemmas = cue_lemmas(articles)
    wanted = frozenset(lemmas)
    trainers = {name: _trainer(name) for name in TAGGERS}
    for article in articles:
        table = article.table
        labels = ["O"] * len(table)
        for gold in article.golds:
            first, end = gold.cue
            labels[first] = "B"
            labels[first + 1 : end] = ["I"] * (end - first - 1)
        for start, end in table.sent_bounds:
            if any(lemma in wanted for lemma in table.lemma[start:end]):
                trainers["cue"].append(cue_features(table, start, end), labels[start:end])
        for gold in article.golds:
            if gold.content is None:
                continue
            w_start, w_end = sentence_window(table, gold.cue, before=BEFORE, after=AFTER)
            features = span_features(table, gold.cue, w_start, w_end)
            length = w_end - w_start
            trainers["content"].append(features, _bio(length, gold.content, w_start))
            trainers["source"].append(features, _bio(length, gold.source, w_start))
    files = {}
    for name, trainer in trainers.items():
        path = tagger_path(card, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        _seed_shuffle()
        trainer.train(str(path))
        files[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"lemmas": lemmas, "files": files, "params": PARAMS}


def load(card: Path, section: dict[str, object]) -> Taggers:
    """The taggers :func:`train_taggers` wrote beside ``card``."""
    lemmas = section["lemmas"]
    assert isinstance(lemmas, list)
    return Taggers.load(card, lemmas)
