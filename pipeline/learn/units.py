"""``newsledger train figures``: the unit disambiguator of :mod:`pipeline.extract.unitsense`.

Learned from CQE's unit sentences (``train/figures/unit-sentences-train.jsonl``: a sentence and
the unit its amount means, "I weigh 230" -> pound-mass). One multinomial logistic regression
over the sentence's words and word pairs, the surface as written and whether it is glued to the
digits (:func:`pipeline.extract.unitsense.features`); at run time only the candidates of the
surface (``[ambiguous]`` in ``units.toml``) are compared. The weights are written as canonical
JSON (rounded, zeros dropped): no pickle, no scikit-learn at run time, the same bytes for the
same data and code. Reported: grouped cross-validation accuracy on the training file and, when
``unit-sentences-test.jsonl`` lies beside it, accuracy there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from pipeline.extract import unitsense
from pipeline.extract.lexicon import lexicon
from pipeline.learn import (
    SHARED_EVAL,
    TrainReport,
    TrainRequest,
    canonical_json,
    code_digest,
    deterministic,
    files_digest,
    library_versions,
    read_jsonl,
    write_atomic,
)

TRAIN_FILE = SHARED_EVAL / "train" / "figures" / "unit-sentences-train.jsonl"
TEST_NAME = "unit-sentences-test.jsonl"
#: Inverse regularisation strength and the rounding of exported weights.
C = 4.0
DIGITS = 3
#: Weights smaller than this are dropped from the export (they move no decision).
MIN_WEIGHT = 0.02
#: Features seen in fewer training sentences than this are not learned from.
MIN_COUNT = 1

#: A number as the grammar reads one: "1/4", "5,000.50" (not a list's comma: "¥400, which").
_NUMBER = r"\d+/\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_QUOTE_MARKS = "'\"′″"


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount in a training sentence as the pipeline sends it to the disambiguator."""

    surface: str
    glued: bool
    value: float | None
    number: str


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """An amount (with a scale word: "2.1 million P") and the word after it; a symbol before."""
    scales = "|".join(sorted(lexicon().scales, key=len, reverse=True))
    after = re.compile(
        rf"(?P<num>{_NUMBER})(?:\s(?P<scale>{scales}))?(?P<gap>\s?)(?P<word>[^\s\d,;:!?()]+)",
        re.IGNORECASE,
    )
    before = re.compile(rf"(?P<symbol>[^\w\s])(?P<gap>\s?)(?P<num>{_NUMBER})")
    return after, before


def _value(number: str, scale: str | None) -> float:
    top, _, bottom = number.replace(",", "").partition("/")
    value = float(top) / float(bottom) if bottom and float(bottom) else float(top)
    return value * (lexicon().scales[scale.lower()] if scale else 1.0)


def _amounts(text: str) -> Iterator[tuple[str, Amount]]:
    """(surface, amount) of every amount with an ambiguous surface, as the grammar reads them.

    After the amount: the word as written, without a sentence's period, lowercased when longer
    than a letter, or a quote mark that begins it ("12'"); before it: a symbol that names
    several currencies ("¥500").
    """
    ambiguous = lexicon().ambiguous
    after, before = _patterns()
    for match in after.finditer(text):
        word = match.group("word")
        bare = word.rstrip(".") or word
        tries = [word, bare] + ([word.lower(), bare.lower()] if len(word) > 1 else [])
        if word[0] in _QUOTE_MARKS:
            tries.append(word[0])
        surface = next((s for s in tries if s in ambiguous), None)
        if surface is not None:
            value = _value(match.group("num"), match.group("scale"))
            number = text[
                match.start("num") : match.end("scale")
                if match.group("scale")
                else match.end("num")
            ]
            yield surface, Amount(surface, match.group("gap") == "", value, number)
    for match in before.finditer(text):
        symbol = match.group("symbol")
        if unitsense.money_surface(symbol):
            value = _value(match.group("num"), None)
            yield symbol, Amount(symbol, match.group("gap") == "", value, match.group(0))


def amount_of(text: str, unit: str | None) -> Amount:
    """The amount of ``text`` whose ambiguous surface may mean ``unit`` (None: the first).

    Without one, the first number with no surface (the model then reads only the words).
    """
    ambiguous = lexicon().ambiguous
    fallback: Amount | None = None
    for surface, amount in _amounts(text):
        if unit is None or unit in {c.name for c in ambiguous[surface]}:
            return amount
        fallback = fallback or amount
    if fallback is not None:
        return fallback
    bare = re.search(_NUMBER, text)
    if bare is None:
        return Amount("", False, None, "")
    return Amount("", False, _value(bare.group(0), None), bare.group(0))


def surface_of(text: str, unit: str | None) -> tuple[str, bool]:
    """The ambiguous surface of an amount in ``text`` and whether it is glued (see amount_of)."""
    amount = amount_of(text, unit)
    return amount.surface, amount.glued


#: An example: the features, the ambiguous surface, the gold unit and the amount as written.
Example = tuple[list[str], str, str, str]


def _examples(rows: Sequence[dict], *, with_gold: bool) -> list[Example]:
    """(features, surface, unit, number) of each row."""
    out = []
    for row in rows:
        amount = amount_of(row["text"], row["unit"] if with_gold else None)
        features = unitsense.features(
            row["text"],
            amount.surface,
            glued=amount.glued,
            value=amount.value,
            number=amount.number,
        )
        out.append((features, amount.surface, row["unit"], amount.number))
    return out


def _fit(examples: Sequence[Example]):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for features, *_ in examples:
        for feature in features:
            counts[feature] = counts.get(feature, 0) + 1
    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform(
        [{f: 1.0 for f in features if counts[f] >= MIN_COUNT} for features, *_ in examples]
    )
    labels = [unit for _, _, unit, _ in examples]
    model = LogisticRegression(C=C, max_iter=2000, solver="lbfgs")
    with deterministic():
        model.fit(matrix, labels)
    return vectorizer, model


def _export(vectorizer, model) -> dict:
    """Weights rounded, the small ones dropped: a small file that decides the same."""
    kept = list(range(len(model.classes_)))
    classes = [str(model.classes_[k]) for k in kept]
    weights: dict[str, dict[str, float]] = {}
    coef = model.coef_
    for column, feature in enumerate(vectorizer.get_feature_names_out()):
        row = {
            str(new): round(float(coef[old, column]), DIGITS)
            for new, old in enumerate(kept)
            if abs(float(coef[old, column])) >= MIN_WEIGHT
        }
        if row:
            weights[str(feature)] = row
    intercepts = [round(float(model.intercept_[k]), DIGITS) for k in kept]
    return {"classes": classes, "intercepts": intercepts, "weights": weights}


def _accuracy(payload: dict, examples: Sequence[Example]) -> float:
    """Share of examples whose candidate with the best score (as at run time) is the gold."""
    classes = payload["classes"]
    right = 0
    for features, surface, unit, number in examples:
        candidates = [c.name for c in lexicon().ambiguous.get(surface, ())] or classes
        candidates = unitsense.plausible(candidates, number)
        totals = {
            name: payload["intercepts"][classes.index(name)]
            for name in candidates
            if name in classes
        }
        for feature in features:
            row = payload["weights"].get(feature, {})
            for name in totals:
                totals[name] += row.get(str(classes.index(name)), 0.0)
        if totals and max(totals, key=lambda name: totals[name]) == unit:
            right += 1
    return round(right / max(1, len(examples)), 4)


def train(request: TrainRequest) -> TrainReport:
    """Learn the disambiguator from the request's files (default: CQE's training sentences)."""
    files = list(request.data) or [TRAIN_FILE]
    rows = [row for path in sorted(files) for row in read_jsonl(path, request.limit)]
    examples = _examples(rows, with_gold=True)
    folds = max(2, min(request.folds, len(examples)))
    fold_right = []
    for fold in range(folds):
        train_part = [e for k, e in enumerate(examples) if k % folds != fold]
        held_out = [e for k, e in enumerate(examples) if k % folds == fold]
        if len({e[2] for e in train_part}) < 2 or not held_out:
            continue
        payload = _export(*_fit(train_part))
        fold_right.append(_accuracy(payload, held_out) * len(held_out))
    payload = _export(*_fit(examples))
    metrics: dict[str, object] = {
        "sentences": len(examples),
        "classes": len(payload["classes"]),
        "features": len(payload["weights"]),
        "cv_accuracy": round(sum(fold_right) / max(1, len(examples)), 4),
    }
    tests = [path.with_name(TEST_NAME) for path in files if path.with_name(TEST_NAME).exists()]
    if tests:
        test_rows = [row for path in tests for row in read_jsonl(path)]
        metrics["test_accuracy"] = _accuracy(payload, _examples(test_rows, with_gold=False))
        metrics["test_sentences"] = len(test_rows)
    data_digest = files_digest(files, limit=request.limit)
    payload["trained_on"] = {
        "data_sha256": data_digest,
        "code_sha256": learning_digest(),
        "files": sorted(Path(p).name for p in files),
        "limit": request.limit,
        "C": C,
        "libraries": library_versions("scikit-learn"),
    }
    out = request.out or unitsense.MODEL
    write_atomic(out, canonical_json(payload))
    return TrainReport(out, data_digest, metrics)


def learning_code() -> tuple[tuple[ModuleType, ...], tuple[Path, ...]]:
    """The code and data files that decide what the disambiguator learns (its code digest).

    This module (which sentences become examples, their labels, the fit), the features
    (:func:`pipeline.extract.unitsense.features`), and the unit lexicon with its tables
    (:func:`pipeline.extract.lexicon.lexicon`): which surfaces are ambiguous and between which
    units is read from them, so a new table row may add examples or classes. Not the figure
    extraction that asks the model: it only uses what was learned.
    """
    import sys

    from pipeline.extract import lexicon as lexicon_module

    return (sys.modules[__name__], unitsense, lexicon_module), tuple(lexicon_module.data_files())


def learning_digest() -> str:
    """sha256 of :func:`learning_code`: what ``trained_on.code_sha256`` of a current model holds."""
    modules, files = learning_code()
    return code_digest(*modules, files=files)
