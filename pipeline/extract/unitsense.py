"""The learned unit disambiguator: which unit an ambiguous surface means in its sentence.

"pounds" is money or weight, "5 C" a temperature or a charge, "10'" feet or minutes, "kn"
knots or kuna. The surfaces and their candidate units are data (``[ambiguous]`` in
``data/figures/units.toml``); this module scores the candidates that the amount's form allows
(:func:`plausible`: "780.31 ¥" has cents, so no yen) with a linear model over the sentence's
words, learned by ``newsledger train figures`` (:mod:`pipeline.learn.units`) from CQE's unit
sentences and committed as canonical JSON weights in ``pipeline/models/units.json``: inference
is a dot product, with no pickle and no scikit-learn import at run time. It runs only on
ambiguous surfaces. Without the model file the first candidate is kept.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.extract.lexicon import UnitInfo, lexicon

if TYPE_CHECKING:
    from spacy.tokens import Span

#: The committed model (inside the package).
MODEL = Path(__file__).resolve().parent.parent / "models" / "units.json"

_WORD = re.compile(r"[a-z]+|[^\sa-z0-9]", re.IGNORECASE)
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.(\d+))?|\d+(?:\.(\d+))?")


def _stem(word: str) -> str:
    """A plural's singular, roughly ("temperatures" -> "temperature"): fewer, denser features."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def amount_features(value: float | None, number: str) -> list[str]:
    """The amount's own form: its order of magnitude, decimals and thousands separator.

    Prices in yen run to thousands and in yuan to tens, pence have no decimals where pounds
    have two: the digits tell some units apart where the words do not.
    """
    if value is None:
        return []
    magnitude = 0 if value == 0 else max(-3, min(7, math.floor(math.log10(abs(value)))))
    digits = _DIGITS.search(number)
    decimals = min(3, len((digits.group(1) or digits.group(2) or "") if digits else ""))
    out = [f"mag={magnitude}", f"dec={decimals}"]
    if digits and "," in digits.group(0):
        out.append("comma")
    return out


def features(
    text: str, surface: str, *, glued: bool, value: float | None = None, number: str = ""
) -> list[str]:
    """The model's features of an amount written with ``surface`` in the sentence ``text``.

    Lowercase words (plurals made singular) and marks of the sentence (numbers dropped), word
    pairs, the surface as written (its case tells "C" from "c"), whether it is glued to the
    digits ("5C"), and the amount's form (:func:`amount_features`, alone and with the
    surface). Words in a window around the amount, the surface's shape and surface-word pairs
    were tried and left out: they did not raise the cross-validated accuracy.
    """
    words = [_stem(w.lower()) for w in _WORD.findall(text)]
    out = [f"w={w}" for w in words]
    out += [f"b={a}_{b}" for a, b in itertools.pairwise(words)]
    out += [f"s={surface}", f"glued={glued}", f"s={surface}|glued={glued}"]
    amount = amount_features(value, number)
    out += amount + [f"s={surface}|{feature}" for feature in amount]
    return sorted(set(out))


_DECIMALS = re.compile(r"\d\.\d")


def plausible(names: list[str], number: str) -> list[str]:
    """The candidate ``names`` the amount as written allows (all of them where none would be).

    An amount with decimals and no scale ("780.31", not "5.4bn") is no currency without a
    minor unit (ISO 4217, ``[no_minor_unit]`` in ``currencies.toml``): "780.31 ¥" is yuan.
    """
    if _DECIMALS.search(number) is None or any(c.isalpha() for c in number):
        return names
    whole = lexicon().whole_currencies
    kept = [name for name in names if name not in whole]
    return kept or names


def money_surface(symbol: str) -> str:
    """``symbol`` when it names several currencies ("¥": yen or yuan), else "".

    Such a symbol before the amount is the surface the model reads, as a unit written after it.
    """
    candidates = lexicon().ambiguous.get(symbol, ())
    return symbol if sum(c.kind == "currency" for c in candidates) > 1 else ""


def model_version() -> str:
    """Digest of the committed model file ("none" without one), for the stage's version."""
    import hashlib

    if not MODEL.exists():
        return "none"
    return hashlib.sha256(MODEL.read_bytes()).hexdigest()[:16]


def load() -> bool:
    """Load the model now (the figures stage does, before its workers fork); False if absent."""
    return _model() is not None


@cache
def _model(path: Path = MODEL) -> dict | None:
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def scores(
    text: str,
    surface: str,
    names: list[str],
    *,
    glued: bool,
    value: float | None = None,
    number: str = "",
) -> dict[str, float]:
    """Linear scores of the candidate unit ``names`` (those the model knows)."""
    model = _model()
    if model is None:
        return {}
    classes: list[str] = model["classes"]
    index = {name: k for k, name in enumerate(classes)}
    wanted = {index[name]: name for name in names if name in index}
    if not wanted:
        return {}
    totals = {k: model["intercepts"][k] for k in wanted}
    weights: dict[str, dict[str, float]] = model["weights"]
    for feature in features(text, surface, glued=glued, value=value, number=number):
        row = weights.get(feature)
        if row is None:
            continue
        for k in wanted:
            totals[k] += row.get(str(k), 0.0)
    return {wanted[k]: total for k, total in totals.items()}


def choose(
    sentence: Span,
    surface: str,
    candidates: tuple[UnitInfo, ...],
    *,
    glued: bool,
    value: float | None = None,
    number: str = "",
) -> UnitInfo:
    """The candidate the model scores highest in ``sentence`` (ties: the data's order).

    Only the candidates the amount as written allows are scored (:func:`plausible`).

    Args:
        sentence: The amount's sentence.
        surface: The ambiguous surface as written ("P", "¥").
        candidates: The units it may mean (``[ambiguous]`` in ``units.toml``).
        glued: Whether the surface touches the digits ("5C", "¥500").
        value: The amount's value, scale words applied.
        number: The amount as written ("5,000.00").
    """
    names = plausible([c.name for c in candidates], number)
    candidates = tuple(c for c in candidates if c.name in names)
    if len(candidates) == 1:
        return candidates[0]
    scored = scores(sentence.text, surface, names, glued=glued, value=value, number=number)
    if not scored:
        return candidates[0]
    best = max(candidates, key=lambda c: (scored.get(c.name, float("-inf")),))
    return best
