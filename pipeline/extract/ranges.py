"""Ranges and bounds: two numbers that make one figure.

"5 to 10", "5-10", "between 5 and 10", "from 3.1 to 4.5", "20~100", "$50-$60" (a range written
in one token), and opposite bounds joined ("more than 10 and less than 40"). The connectors are
data (``[range]`` in ``data/figures/qualifiers.toml``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from pipeline.extract import numbers as nb
from pipeline.extract import quantities as qt
from pipeline.extract import unitsense
from pipeline.extract.counted import qualifier_before
from pipeline.extract.doccache import doc_text
from pipeline.extract.lexicon import UnitInfo, lexicon
from pipeline.extract.quantities import DASHES, Num
from pipeline.extract.unitphrases import read_unit

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline.extract.figures import Figure


@cache
def _dimensions() -> re.Pattern[str]:
    signs = "".join(sorted(lexicon().size_signs))
    return re.compile(rf"^(\d+(?:\.\d+)?)[{re.escape(signs)}](\d+(?:\.\d+)?)$")


def dimensions(doc: Doc, i: int) -> tuple[Num, Num] | None:
    """The two sides of a size written as one token ("1920x1080", "8×10"), else None.

    Each side is a figure in the unit written after the token ("1920x1080 pixels").
    """
    tok = doc[i]
    signs = lexicon().size_signs
    match = _dimensions().match(tok.text) if any(s in tok.text for s in signs) else None
    if match is None:
        return None
    first, second = (
        Num(i, i + 1, tok.idx + match.start(k), tok.idx + match.end(k), float(match.group(k)))
        for k in (1, 2)
    )
    return first, second


def _ordinal_at(doc: Doc, k: int) -> Num | None:
    """An ordinal beginning at token ``k``, with or without "the" ("the fifteenth", "15th")."""
    at = k + 1 if doc[k].lower_ == "the" and k + 1 < len(doc) else k
    found = qt.ordinal_number(doc, at)
    return found if found is not None and found.i == k else None


def ordinal_bound(doc: Doc, i: int) -> Num | None:
    """An ordinal that is a range's end or a bound, else None.

    "between the tenth and the fifteenth", "higher than the tenth": elsewhere an ordinal is a
    rank, a date or a name, not a figure.
    """
    num = qt.ordinal_number(doc, i)
    if num is None or num.i == 0:
        return None
    opener = doc[num.i - 1].lower_
    if opener in ("between", "from") or qualifier_before(doc, num.i) is not None:
        return num
    return None


def token_range(doc: Doc, i: int) -> tuple[Num, Num] | None:
    """A range written as one token: "20~100", "5k-20k", "10–15", "$" + "50-$60"."""
    parts = nb.split_range(doc[i].text)
    if parts is None:
        return None
    tok = doc[i]
    first, second = (nb.parse_digits(p) for p in parts)
    if first is None or second is None:
        return None
    symbols = lexicon().currency_symbols
    symbol = doc[i - 1].text if i > 0 and not doc[i - 1].whitespace_ else ""
    money = symbols.get(symbol) if symbol and not symbol.isalpha() else None
    if second.prefix and (money is None or symbols.get(second.prefix) != money):
        return None  # "50-$60" needs the "$" before it too
    scales = []
    for parsed in (first, second):
        glued = nb.glued_unit(parsed.suffix)
        if glued is None:
            return None
        scales.append(glued)
    (scale1, unit1), (scale2, unit2) = scales
    if scale1 == 1.0 and scale2 != 1.0 and first.value * scale2 <= second.value * scale2:
        scale1 = scale2  # "5-20k"
    low, high = first.value * scale1, second.value * scale2
    if not low < high:
        return None
    end = tok.idx + len(tok)
    unit = unit2 or unit1
    first_i, start, surface = i, tok.idx, ""
    if money is not None:
        unit = UnitInfo(money, "currency")
        first_i, start, surface = i - 1, doc[i - 1].idx, unitsense.money_surface(symbol)
    money_num = money is not None
    return (
        Num(
            first_i,
            i + 1,
            start,
            end,
            low,
            unit=unit,
            scaled=scale1 != 1.0,
            currency=money_num,
            surface=surface,
        ),
        Num(
            first_i,
            i + 1,
            start,
            end,
            high,
            unit=unit,
            scaled=scale2 != 1.0,
            currency=money_num,
            surface=surface,
        ),
    )


_BOUND_JOINERS = frozenset({("and",), ("but",), (",",), ("and", "no"), (",", "but")})


def join_bounds(doc: Doc, pending: tuple[Figure, int], figure: Figure, num: Num) -> Figure | None:
    """Opposite bounds joined: "more than 10 and less than 40" is the range [10, 40]."""
    first, first_end_i = pending
    if figure.value is None or {first.change, figure.change} != {">", "<"}:
        return None
    if doc[num.i].idx < figure.start and doc[num.i].text[0].isalpha():
        return None  # "x>10 and y<20": bounds of two variables
    if first.unit != figure.unit and figure.unit is not None and first.unit is not None:
        return None
    q_start = next((k for k in range(first_end_i, num.i + 1) if doc[k].idx >= figure.start), num.i)
    gap = tuple(t.lower_ for t in doc[first_end_i:q_start])
    if gap not in _BOUND_JOINERS:
        return None
    low, high = (first.value, figure.value) if first.change == ">" else (figure.value, first.value)
    if low is None or high is None or not low < high:
        return None
    text = doc_text(doc)[first.start : figure.end]
    unit = first.unit or figure.unit
    kind = first.kind if first.unit else figure.kind
    counted = first.counted or figure.counted
    return replace(
        first,
        text=text,
        end=figure.end,
        value=None,
        value_low=low,
        value_high=high,
        change="=",
        unit=unit,
        kind=kind,
        counted=counted,
    )


def range_second(
    doc: Doc, num: Num, j: int, between: bool, *, opened: bool
) -> tuple[Num, bool] | None:
    """The upper end of a range written after ``num`` at token ``j``: (number, by a dash).

    ``opened``: "from", "between" or "range of" came before ``num``. Without one, a connector
    of ``up_unless_opened`` ("to") joins only a rising pair: "20 to 30 people" is a range, but
    "won 49.5 percent to 48.9 percent" or "a margin of 52 to 48" is one value per side.
    """
    lex = lexicon()
    n = len(doc)
    if num.high is not None or num.fraction or j >= n:
        return None
    connector = doc[j]
    word = connector.lower_
    k = j + 1
    second: Num | None = None
    glued_dash = connector.text in DASHES and not doc[j - 1].whitespace_
    glued_dash = glued_dash and not connector.whitespace_
    spaced_dash = connector.text in DASHES and not glued_dash
    if word.startswith("to-"):
        second = qt.digit_number(doc, j)
    elif (word == "and" and between) or (word in lex.range_connectors and word not in ("or",)):
        if k < n and glued_dash and doc[k].lower_.startswith("to-"):
            second = qt.digit_number(doc, k)
        elif k < n:
            second = qt.read_number(doc, k)
            if second is not None and second.continues_range:
                second = None
            if second is None and num.ordinal:  # "between the tenth and the fifteenth"
                second = _ordinal_at(doc, k)
    elif word == "or" and k < n:
        second = qt.read_number(doc, k)
        unit_after = second is not None and read_unit(doc, second) is not None
        both_words = second is not None and not num.digits and not second.digits
        if second is not None and not (num.unit is None and (unit_after or both_words)):
            second = None
    if second is None or second.high is not None or second.fraction:
        return None
    if glued_dash and doc[k].text.startswith("0") and len(doc[k].text) > 1:
        return None  # codes: "12-07"
    if (spaced_dash or word in ("or", "~", "through", "thru", "till", "until")) and not (
        second.value > num.value
    ):
        return None
    if word in lex.up_unless_opened and not opened and not _rises(num, second):
        return None
    return second, glued_dash or spaced_dash


def _rises(low: Num, high: Num) -> bool:
    """Whether ``high`` is above ``low``, the scale written once: "3 to 4 million" rises."""
    first = low.value
    if high.scaled and not low.scaled and abs(first) < abs(high.value) / scale_of(high):
        first *= scale_of(high)
    return high.value > first


def scale_of(num: Num) -> float:
    """The scale factor a scaled number was multiplied by (1e6 for "1.5 million")."""
    if not num.scaled:
        return 1.0
    for scale in (1e12, 1e9, 1e6, 1e3):
        if abs(num.value) >= scale:
            return scale
    return 1.0
