"""``newsledger train claims``: learn the claims models from PolNeAR train.

Two learned parts: the cue judge below (which cue candidates beyond the lexicon make a claim),
and the cue, content and source taggers (:mod:`pipeline.learn.claims_crf`), trained here for
each fold and for the final model, written beside the judge's JSON, which lists their
digests under ``taggers``.

Every article is run through :func:`~pipeline.extract.claims.extract_claims` with a recorder
as judge: it sees each cue candidate beyond the lexicon that the extractor would judge
(content outside the quotations it attached) and labels it by the eval's protocol: its content
overlaps a gold attribution by at least half of the longer span, and its speaker overlaps
that attribution's source (or both have none). A logistic regression
(:mod:`pipeline.extract.attribution.model` defines the features) learns from those labels.

The threshold and the reported scores come from article-level k-fold cross-validation run end
to end: each fold's judge and taggers extract the claims of the fold's held-out articles and
the eval's scorer (:func:`pipeline.evaluate.claims.score`) scores them, for each threshold of a
small grid; the threshold with the best pooled content F1 is kept, and the final model is learned on
every article. The model file records the digests of the training data and of the code that
decides what is learned (:func:`learning_code`).

Determinism: articles are sorted by id, folds are the index modulo k, features are counted
in a sorted vocabulary, liblinear runs with a fixed seed on one thread, and the weights are
rounded and written as canonical JSON, so a retrain on the same data writes the same bytes.

Parses: the pipeline's own, restored from the gold warehouse of each training file
(:func:`pipeline.learn.gold_warehouse`, offsets mapped from the normalised body back into the
gold text), which ``newsledger train claims`` first builds or refreshes by ``newsledger eval``'s
code path. The warehouse is required: parsing the raw gold texts here gives other features and
so another model. Only the fixture tests ask for that, by name
(``TrainRequest.direct_parse_for_tests``).
"""

from __future__ import annotations

import hashlib
import math
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Literal

from spacy.tokens import Doc

from pipeline.evaluate.claims import Gold, Pred, gold_attributions, matches, score
from pipeline.extract.attribution.crf import Taggers
from pipeline.extract.attribution.cues import Cue
from pipeline.extract.attribution.model import MODEL_PATH, CueModel, cue_features
from pipeline.extract.attribution.quotes import Quote
from pipeline.extract.speakers import mention_tokens
from pipeline.extract.tokens import char_span
from pipeline.learn import (
    SHARED_EVAL,
    TrainReport,
    TrainRequest,
    canonical_json,
    claims_crf,
    code_digest,
    deterministic,
    files_digest,
    library_versions,
    read_jsonl,
    require_gold_warehouse,
    write_atomic,
)
from pipeline.learn.claims_crf import TaggerArticle, tagger_article

#: The training pool: PolNeAR's 840 training articles (dev and test are never read here).
DEFAULT_DATA = SHARED_EVAL / "claims" / "polnear-train.jsonl"

#: Thresholds tried by cross-validation.
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)

#: Features seen fewer times than this in the training portion are dropped (a smaller model
#: that does not learn single articles by heart).
MIN_FEATURE_COUNT = 3

#: Inverse regularisation strength of the logistic regression.
C = 0.5

ToGold = Callable[[int, int], tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Article:
    """A training article: its gold record, the pipeline's parse, offsets back into gold."""

    gold_id: str
    doc: Doc
    golds: tuple[Gold, ...]
    to_gold: ToGold
    tagging: TaggerArticle


@dataclass(frozen=True, slots=True)
class Example:
    """A cue candidate's features and whether its content matches a gold attribution."""

    features: tuple[str, ...]
    label: bool
    lemma: str = ""


class _Recorder:
    """A judge that records every candidate it sees and admits none (the lexicon's claims)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, tuple[int, int], tuple[int, int] | None, tuple[str, ...]]] = []

    def judge(self, cue: Cue, quotes: Sequence[Quote]) -> tuple[tuple[int, int], bool]:
        assert cue.content is not None
        lemma = cue.verb.lemma_.casefold()
        speaker = char_span(mention_tokens(cue.speaker)) if cue.speaker is not None else None
        self.seen.append((lemma, cue.content, speaker, tuple(cue_features(cue, quotes))))
        return cue.content, False


def _identity(start: int, end: int) -> tuple[int, int]:
    return start, end


def _parsed(rows: Sequence[dict], path: Path, *, direct_parse_for_tests: bool) -> list[Article]:
    """The articles with the pipeline's parse from the gold warehouse of ``path``.

    Raises:
        FileNotFoundError: When the warehouse is missing.
        ValueError: When it lacks some of ``rows``' articles (it is stale).
    """
    texts = {row["id"]: row["text"] for row in rows}
    ids = sorted(texts)
    docs: dict[str, tuple[Doc, ToGold]] = {}
    if direct_parse_for_tests:
        from pipeline.nlp import annotate

        for gold_id, doc in zip(ids, annotate([texts[i] for i in ids]), strict=True):
            docs[gold_id] = (doc, _identity)
    else:
        from pipeline.evaluate.gold import cached_docs, gold_articles
        from pipeline.warehouse import Warehouse, connect

        database = require_gold_warehouse(path)
        warehouse = Warehouse(connect(database, read_only=True))
        try:
            articles = gold_articles(warehouse, texts)
            if missing := set(texts) - set(articles):
                raise ValueError(
                    f"{database} lacks {len(missing)} of {path.name}'s articles: rebuild it "
                    "(newsledger train does)"
                )
            parsed = cached_docs(warehouse, [articles[i].article_id for i in ids])
            for gold_id, doc in zip(ids, parsed, strict=True):
                docs[gold_id] = (doc, articles[gold_id].offsets.span_to_gold)
        finally:
            warehouse.con.close()
    out = []
    for row in sorted(rows, key=lambda r: r["id"]):
        doc, to_gold = docs[row["id"]]
        golds = tuple(gold_attributions(row))
        out.append(Article(row["id"], doc, golds, to_gold, tagger_article(doc, row, to_gold)))
    return out


def _speaker_right(speaker: tuple[int, int] | None, gold: Gold) -> bool:
    """The eval's speaker test: the span overlaps a gold source piece, or both are empty.

    Why in the label: a candidate whose content is right but whose speaker is wrong adds a
    claim to the content score and takes one from the speaker accuracy; on PolNeAR dev the
    candidates beyond the lexicon, learned on content alone, cost a point of it.
    """
    if speaker is None or not gold.sources:
        return speaker is None and not gold.sources
    return any(min(speaker[1], e) > max(speaker[0], s) for s, e in gold.sources)


def examples(article: Article) -> list[Example]:
    """The labelled candidates of one article, in the order the extractor judges them."""
    from pipeline.extract.claims import extract_claims

    recorder = _Recorder()
    list(extract_claims(article.doc, judge=recorder, taggers=False))
    out = []
    for lemma, span, speaker, features in recorder.seen:
        content = article.to_gold(*span)
        said_by = article.to_gold(*speaker) if speaker is not None else None
        label = any(
            matches(content, g.content) and _speaker_right(said_by, g) for g in article.golds
        )
        out.append(Example(features, label, lemma))
    return out


def fit(train: Sequence[Example], *, threshold: float = 0.5) -> CueModel:
    """A logistic regression over ``train``, as a :class:`CueModel` with ``threshold``."""
    import numpy
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for example in train:
        for feature in set(example.features):
            counts[feature] = counts.get(feature, 0) + 1
    vocab = sorted(f for f, n in counts.items() if n >= MIN_FEATURE_COUNT)
    index = {f: i for i, f in enumerate(vocab)}
    indptr, indices = [0], []
    for example in train:
        cols = sorted({index[f] for f in example.features if f in index})
        indices.extend(cols)
        indptr.append(len(indices))
    matrix = csr_matrix(
        (numpy.ones(len(indices)), numpy.array(indices, dtype=numpy.int64), indptr),
        shape=(len(train), len(vocab)),
    )
    labels = numpy.array([e.label for e in train], dtype=numpy.int64)
    if not vocab or len(set(labels.tolist())) < 2:  # too little to learn from: the base rate
        positives = int(labels.sum())
        bias = math.log((positives + 0.5) / (len(train) - positives + 0.5))
        return with_threshold(CueModel({}, round(bias, 5), threshold), train, threshold)
    with deterministic():
        model = LogisticRegression(C=C, solver="liblinear", random_state=0, max_iter=1000)
        model.fit(matrix, labels)
    weights = {
        f: round(float(w), 5) for f, w in zip(vocab, model.coef_[0], strict=True) if abs(w) >= 1e-5
    }
    bias = float(numpy.asarray(model.intercept_).ravel()[0])
    return with_threshold(CueModel(weights, round(bias, 5), threshold), train, threshold)


def with_threshold(model: CueModel, train: Sequence[Example], threshold: float) -> CueModel:
    """``model`` with another threshold, and the lemmas it then admits in ``train``."""
    scorer = CueModel(model.weights, model.bias, threshold)
    admitted = frozenset(e.lemma for e in train if scorer.probability(e.features) >= threshold)
    return CueModel(model.weights, model.bias, threshold, lemmas=admitted)


def _folds(articles: Sequence[Article], k: int) -> list[list[int]]:
    return [[i for i in range(len(articles)) if i % k == fold] for fold in range(k)]


def _predictions(
    article: Article, model: CueModel, taggers: Taggers | Literal[False]
) -> list[Pred]:
    from pipeline.extract.claims import extract_claims

    out = []
    for claim in extract_claims(article.doc, judge=model, taggers=taggers):
        speaker = None
        if claim.speaker_start is not None and claim.speaker_end is not None:
            speaker = article.to_gold(claim.speaker_start, claim.speaker_end)
        out.append(Pred(article.to_gold(claim.content_start, claim.content_end), speaker))
    return out


def cross_validate(
    articles: Sequence[Article],
    per_article: Sequence[list[Example]],
    k: int,
    *,
    progress: bool = False,
) -> dict[str, object]:
    """End-to-end scores of article-level k-fold models, per threshold; the best one chosen."""
    pooled: dict[float, tuple[list[tuple[Gold, ...]], list[list[Pred]]]] = {
        t: ([], []) for t in THRESHOLDS
    }
    fold_f1: dict[float, list[float]] = {t: [] for t in THRESHOLDS}
    for fold, held in enumerate(_folds(articles, k)):
        held_set = set(held)
        train = [e for i, ex in enumerate(per_article) if i not in held_set for e in ex]
        base = fit(train)
        with tempfile.TemporaryDirectory() as scratch:
            card = Path(scratch) / "claims.json"
            kept = [a.tagging for i, a in enumerate(articles) if i not in held_set]
            taggers = claims_crf.load(card, claims_crf.train_taggers(kept, card))
            if progress:
                print(f"claims: fold {fold + 1}/{k} taggers trained", flush=True)
        for threshold in THRESHOLDS:
            model = with_threshold(base, train, threshold)
            golds = [articles[i].golds for i in held]
            preds = [_predictions(articles[i], model, taggers) for i in held]
            pooled[threshold][0].extend(golds)
            pooled[threshold][1].extend(preds)
            fold_f1[threshold].append(score(golds, preds)["content"]["f1"])  # type: ignore[index]
    scores = {t: score(*pooled[t]) for t in THRESHOLDS}
    best = max(THRESHOLDS, key=lambda t: (scores[t]["content"]["f1"], -t))  # type: ignore[index]
    chosen = scores[best]
    return {
        "folds": k,
        "articles": len(articles),
        "threshold": best,
        "content": chosen["content"],
        "direct_quote_recall": chosen["direct_quote_recall"],
        "speaker_accuracy": chosen["speaker_accuracy"],
        "fold_f1": fold_f1[best],
        "by_threshold": {
            str(t): scores[t]["content"]["f1"]  # type: ignore[index]
            for t in THRESHOLDS
        },
    }


def train(request: TrainRequest) -> TrainReport:
    """Learn the cue model from ``request`` (default: PolNeAR train) and write it."""
    paths = pools(request)
    articles: list[Article] = []
    for path in sorted(paths, key=lambda p: p.name):
        rows = read_jsonl(path, request.limit)
        articles.extend(_parsed(rows, path, direct_parse_for_tests=request.direct_parse_for_tests))
    articles.sort(key=lambda a: a.gold_id)
    per_article = [examples(article) for article in articles]
    progress = request.limit is None
    cv = cross_validate(articles, per_article, request.folds, progress=progress)
    model = fit([e for ex in per_article for e in ex], threshold=float(cv["threshold"]))  # type: ignore[arg-type]
    data_digest = files_digest(list(paths), limit=request.limit)
    out = request.out or MODEL_PATH
    taggers = claims_crf.train_taggers([a.tagging for a in articles], out)
    payload = {
        "kind": "claims cue candidates: logistic regression",
        "lemmas": sorted(model.lemmas or ()),
        "bias": model.bias,
        "threshold": model.threshold,
        "weights": model.weights,
        "taggers": taggers,
        "meta": {
            "data": sorted(p.name for p in paths),
            "data_sha256": data_digest,
            "code_sha256": learning_digest(),
            "examples": sum(len(ex) for ex in per_article),
            "positives": sum(e.label for ex in per_article for e in ex),
            "features": len(model.weights),
            "cv": cv,
            "libraries": libraries(),
            "parses": "direct (tests only)" if request.direct_parse_for_tests else "warehouse",
        },
    }
    write_atomic(out, canonical_json(payload))
    return TrainReport(out, data_digest, {"cv": cv, "features": len(model.weights)})


def pools(request: TrainRequest) -> tuple[Path, ...]:
    """The training files of ``request``, whose gold warehouses the trainer reads."""
    return tuple(request.data) or (DEFAULT_DATA,)


def libraries() -> dict[str, str]:
    """What learns (scikit-learn, crfsuite) and what parses (spaCy's model), by version."""
    from pipeline.nlp import model_name

    return {**library_versions("python-crfsuite", "scikit-learn"), "parser": model_name()}


def learning_code() -> tuple[tuple[ModuleType, ...], tuple[Path, ...]]:
    """The code and data files that decide what the claims models learn (their code digest).

    - the taggers: their token features and windows (:mod:`~pipeline.extract.attribution.
      tagging`), their labels, cue lemmas and crfsuite options (:mod:`.claims_crf`);
    - the judge: its features (:mod:`~pipeline.extract.attribution.model`) over the cue
      candidates the rules hand it. Those candidates, their content and speaker spans (and so
      the labels), come from the extraction up to the judge: the assembly
      (:mod:`pipeline.extract.claims`), the quotation, cue, content, signature and relay
      components, the cue tables, the speaker mentions and the source table. A change to any
      of them may change the examples, so it is in;
    - the labels and their alignment to the gold: the eval's gold reading and match test
      (:mod:`pipeline.evaluate.claims`), the cached parses and offset maps
      (:mod:`pipeline.evaluate.gold`), and this module (training, folds, thresholds).

    Left out, as downstream of everything learned: applying the taggers and the speaker of a
    learned cue (:mod:`~pipeline.extract.attribution.crf`), the speaker repairs after a cue made
    a claim (:mod:`~pipeline.extract.attribution.fallback`). One caveat: the threshold is chosen
    by the end-to-end cross-validation, which runs those too; a change there can move the
    recorded ``cv`` scores, not the examples, and is not counted.

    The components are the claims stage's own list (``pipeline.extract.claims.COMPONENTS``)
    less those two, so a new component is in the digest unless it is declared applied-only.
    """
    from pipeline.evaluate import claims as evaluate_claims
    from pipeline.evaluate import gold
    from pipeline.extract import attribution, doccache, tokens
    from pipeline.extract import claims as extract_claims
    from pipeline.extract.attribution import crf, fallback
    from pipeline.link import sources

    applied_only = (crf, fallback)
    components = tuple(m for m in extract_claims.COMPONENTS if m not in applied_only)
    modules = (
        _self(),
        claims_crf,
        extract_claims,
        *components,
        tokens,
        doccache,
        sources,
        evaluate_claims,
        gold,
    )
    tables = tuple(sorted((Path(attribution.__file__).parent / "data").glob("*.json")))
    return modules, (*tables, sources.ALIASES_FILE)


def learning_digest() -> str:
    """sha256 of :func:`learning_code`: what ``meta.code_sha256`` of a current model holds."""
    modules, files = learning_code()
    return code_digest(*modules, files=files)


def _self() -> ModuleType:
    import sys

    return sys.modules[__name__]


def fingerprint(path: Path) -> str:
    """sha256 of a model file (what the tests compare between two retrains)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
