"""Figures made of two numbers: a share ("one in five", "2 in 5") and a whole with its part.

"3 dollars 50 cents" and "5 feet 2 inches" are one figure in the whole unit; which units pair
up is data (``[[compound]]`` in ``data/figures/units.toml``).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from pipeline.extract import notfigures as nf
from pipeline.extract import quantities as qt
from pipeline.extract import unitphrases as up
from pipeline.extract.lexicon import Compound, lexicon
from pipeline.extract.quantities import Num

if TYPE_CHECKING:
    from spacy.tokens import Doc


def fraction_of(doc: Doc, num: Num, j: int, part: float) -> Num | None:
    """The whole after "one of four", "one in five", "2 in 5", "3 out of 10": a fraction.

    Spelled numbers take "of" too; digits only "in" and "out of" ("2 of 5" is often a label,
    "Game 2 of 5"). The whole is a plain number: no year ("2 in 2019"), no unit ("2 in 5
    minutes").
    """
    n = len(doc)
    if j + 1 >= n or doc[j].lower_ not in ("of", "in", "out"):
        return None
    word = doc[j].lower_
    k = j + 1 if word in ("in", "of") and (word == "in" or not num.digits) else -1
    if word == "out" and doc[j + 1].lower_ == "of":
        k = j + 2
    if not 0 < k < n:
        return None
    whole = qt.read_number(doc, k)
    if (
        whole is None
        or whole.fraction
        or whole.high is not None
        or whole.scaled
        or whole.unit is not None
        or not whole.value > part > 0
    ):
        return None
    if num.digits and (nf.is_year_like(doc, whole, None) or up.read_unit(doc, whole) is not None):
        return None
    return whole


def minor_amount(doc: Doc, j: int, compound: Compound) -> tuple[float, int] | None:
    """The smaller part written after a whole unit: (amount, next token), else None.

    "and" may come first; the part is a whole number below ``per``, followed by its unit
    ("cents", "inches") or, where the compound allows, by the end of the clause ("15 dollars
    50.", "fifteen dollars and fifty").
    """
    n = len(doc)
    k = j + 1 if doc[j].lower_ == "and" else j
    if k >= n:
        return None
    tok = doc[k]
    if tok.text.isdigit() and len(tok.text) <= 2:
        value = float(tok.text)
    else:
        word = qt.read_number(doc, k)
        if word is None or word.digits or word.value >= 100 or word.fraction:
            return None
        if tok.lower_ in ("a", "an"):
            return None  # "64 cents a dozen" is a rate, not a part
        value, k = word.value, word.j - 1
    if value >= compound.per:
        return None
    after = doc[k + 1] if k + 1 < n else None
    if after is not None and (after.lower_ in compound.minor or after.text in compound.minor):
        return value, k + 2
    if compound.bare and (after is None or after.is_punct):
        return value, k + 1
    return None


@cache
def compound_parts() -> frozenset[str]:
    """Units that are a compound's smaller part ("cent", "inch"): no whole takes a part."""
    lex = lexicon()
    return frozenset(
        info.name
        for compound in lex.compounds
        for surface in compound.minor
        if (info := lex.unit_phrases.get((surface.lower(),))) is not None
    )
