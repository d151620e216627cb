"""The number grammar inside one token: digits, signs, currency prefixes, glued scales and units.

Pure functions over strings (no spaCy); every word list is in :mod:`pipeline.extract.lexicon`'s
data files. Unit names follow the NewsQuant gold (lowercase, singular, e.g. ``"kilometre"``,
``"dollar"``, ``"percentage"``, ``"mile per hour"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.extract.lexicon import UnitInfo, lexicon

__all__ = [
    "NumberToken",
    "UnitInfo",
    "fraction_value",
    "glued_fraction",
    "glued_unit",
    "marked_part",
    "parse_digits",
    "slash_fraction",
    "split_range",
    "word_value",
]

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"


@cache
def _digits() -> re.Pattern[str]:
    """Optional prefix (sign, "to-", "sub-", "~", a currency), sign, digits, glued suffix."""
    lex = lexicon()
    symbols = sorted(
        {*lex.currency_symbols, *(f"{c}$" for c in lex.dollar_countries), *lex.currency_codes},
        key=len,
        reverse=True,
    )
    prefixes = "|".join(
        [
            "to-",
            "sub-",
            "minus-?",
            "[a-z]?(?:[<>]=?|[≤≥])",  # a comparison, maybe of a variable: ">30", "x>10"
            "[-+~≈]",
            *(re.escape(s.lower()) for s in symbols),
        ]
    )
    return re.compile(
        rf"^(?P<pre>{prefixes})?(?P<sign>[-+])?(?P<num>{_NUMBER})(?P<suf>(?:[^\d\s/,][^\s]*)?)$",
        re.IGNORECASE,
    )


@dataclass(frozen=True, slots=True)
class NumberToken:
    """A digit string found in one token, e.g. ``"$2bn"`` -> 2.0 with prefix ``"$"``.

    Attributes:
        value: Numeric value of the digits, sign applied.
        prefix: Lowercase text before the digits and sign ("$", "to-", "sub-", "~"), or "".
        suffix: Text glued after the digits ("bn", "km", "%"), original case, or "".
        num_start: Offset of the digits (or sign) within the token.
    """

    value: float
    prefix: str
    suffix: str
    num_start: int


def parse_digits(text: str) -> NumberToken | None:
    """Parse a token that holds a written number: "5,000", "$2bn", "-5", "sub-7", "~3.5".

    Returns:
        The parsed number, or None when the token is not a number with an optional prefix and
        suffix (a bad thousands separator, "12,34", is not one).
    """
    match = _digits().match(text)
    if match is None:
        return None
    num = match.group("num")
    if "," in num and not re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", num):
        return None
    value = float(num.replace(",", ""))
    prefix = (match.group("pre") or "").lower()
    if match.group("sign") == "-" or prefix in ("-", "minus", "minus-"):
        value = -value
    return NumberToken(
        value=value,
        prefix=prefix,
        suffix=match.group("suf") or "",
        num_start=match.start("sign") if match.group("sign") else match.start("num"),
    )


_SLASH_FRACTION = re.compile(r"^(\d{1,2})/(\d{1,2})$")


def slash_fraction(text: str) -> float | None:
    """Value of a written fraction "1/2", "3/4" (numerator below denominator, up to 16)."""
    match = _SLASH_FRACTION.match(text)
    if match is None:
        return None
    num, den = int(match.group(1)), int(match.group(2))
    if 0 < num < den <= 16:
        return num / den
    return None


_GLUED_FRACTION = re.compile(r"^(\d{1,2}/\d{1,2})(?P<suf>[^\d\s/,.]\S*)$")


def glued_fraction(text: str) -> NumberToken | None:
    """A written fraction with a unit glued after it: "1/2″", "3/4in", "1/2kg".

    The suffix is read as :func:`parse_digits`' suffix is (a unit, an ambiguous mark).
    """
    match = _GLUED_FRACTION.match(text)
    if match is None:
        return None
    value = slash_fraction(match.group(1))
    if value is None:
        return None
    return NumberToken(value=value, prefix="", suffix=match.group("suf"), num_start=0)


def marked_part(suffix: str) -> tuple[str, float] | None:
    """A mark and the smaller part glued after it: "'9" of "5'9" -> ("'", 9.0), else None.

    The marks are ``[marked_part]`` in ``units.toml``; the part is a number below 100.
    """
    if len(suffix) < 2 or suffix[0] not in lexicon().part_marks:
        return None
    rest = suffix[1:]
    if rest[-1:] in lexicon().part_marks:
        rest = rest[:-1]  # the part's own mark in the same token: "5'9\""
    if not rest[:1].isdigit() or len(rest.split(".")[0]) > 2:
        return None
    try:
        return suffix[0], float(rest)
    except ValueError:
        return None


def vulgar_fraction(text: str) -> float | None:
    """Value of a token that is or ends in a vulgar fraction: "½" -> 0.5, "10½" -> 10.5."""
    fractions = lexicon().vulgar
    if not text or text[-1] not in fractions:
        return None
    whole = text[:-1]
    if whole and not whole.isdigit():
        return None
    return (float(whole) if whole else 0.0) + fractions[text[-1]]


def word_value(word: str) -> float | None:
    """Value of one spelled-out cardinal, including hyphenated tens ("twenty-five")."""
    lex = lexicon()
    if word in lex.cardinals:
        return float(lex.cardinals[word])
    if word in lex.tens:
        return float(lex.tens[word])
    if "-" in word:
        head, _, tail = word.partition("-")
        if head in lex.tens and tail in lex.cardinals and 0 < lex.cardinals[tail] < 10:
            return float(lex.tens[head] + lex.cardinals[tail])
    return None


def fraction_value(word: str) -> float | None:
    """Value of a written fraction such as "two-thirds" or "three-quarters"."""
    head, sep, tail = word.partition("-")
    fractions = lexicon().fractions
    if sep and tail in fractions:
        numerator = word_value(head)
        if numerator is not None and numerator > 0:
            return numerator / fractions[tail]
    return None


def multiple_value(word: str) -> float | None:
    """Value of a one-word multiple: "threefold" -> 3, "10-fold" -> 10."""
    for suffix in lexicon().multiple_suffixes:
        if word.endswith(suffix) and len(word) > len(suffix):
            head = word[: -len(suffix)]
            value = word_value(head)
            if value is None and head.replace(".", "", 1).isdigit():
                value = float(head)
            return value
    return None


def scale_letter(suffix: str, *, money_or_noun: bool) -> float | None:
    """The scale of letters after digits ("bn", "k", "M"); "m"/"b" only with money or a noun.

    Args:
        suffix: The letters, original case, a trailing period allowed ("m.").
        money_or_noun: A currency precedes, or a counted noun or unit follows ("40m users").
    """
    lex = lexicon()
    letters = suffix[:-1] if suffix.endswith(".") and len(suffix) > 1 else suffix
    for key in (letters, letters.lower()):
        if key in lex.scale_letters:
            return lex.scale_letters[key]
    if money_or_noun and letters.lower() in lex.scale_letters_ambiguous:
        return lex.scale_letters_ambiguous[letters.lower()]
    return None


def glued_unit(suffix: str, *, money_or_noun: bool = False) -> tuple[float, UnitInfo | None] | None:
    """Split a suffix glued to digits into a scale and a unit ("bn" -> 1e9, "kWh" -> kWh).

    Args:
        suffix: Characters after the digits in the same token, original case.
        money_or_noun: A currency precedes or a noun follows, so "m"/"b" are scales.

    Returns:
        ``(scale, unit)``; ``(1.0, None)`` for no suffix; None when the suffix is not a known
        scale or unit (so the token is not a figure).
    """
    lex = lexicon()
    if not suffix:
        return 1.0, None
    low = suffix.lower()
    if low in lex.glued_suffixes:
        return None
    if suffix in lex.cased_units and suffix not in lex.scale_letters:
        return 1.0, lex.cased_units[suffix]
    scale = scale_letter(suffix, money_or_noun=money_or_noun)
    if scale is not None:
        return scale, None
    if len(low) > 1 and low.endswith("."):
        if suffix[:-1] in lex.cased_units:
            return 1.0, lex.cased_units[suffix[:-1]]
        if (low[:-1],) in lex.unit_phrases:
            low = low[:-1]  # "3G." split that way by the tokenizer
    unit = lex.unit_phrases.get((low,))
    if unit is not None:
        return 1.0, unit
    if suffix in lex.currency_symbols and not suffix.isalpha():  # "100₾"
        return 1.0, UnitInfo(lex.currency_symbols[suffix], "currency")
    if multiple_value("1" + low) is not None:
        return 1.0, UnitInfo(lex.multiple_unit, "other")
    for letters, scale in lex.scale_letters.items():  # "2bnEUR", "5mUSD" are rare; "5mn"
        if len(letters) <= 2 and low.startswith(letters.lower()) and len(low) > len(letters):
            rest = suffix[len(letters) :]
            unit = lex.unit_phrases.get((rest.lower(),))
            if unit is not None and unit.kind == "currency":
                return scale, unit
            if rest.upper() in lex.currency_codes and rest.isupper():
                return scale, UnitInfo(lex.currency_codes[rest.upper()], "currency")
    return None


@cache
def _range_in_token() -> re.Pattern[str]:
    """Two numbers in one token; the second may repeat the currency symbol ("50-$60")."""
    symbols = sorted((s for s in lexicon().currency_symbols if not s.isalpha()), key=len)
    money = "|".join(re.escape(s) for s in reversed(symbols))
    return re.compile(
        rf"^(?P<a>(?:{_NUMBER})[A-Za-z]{{0,2}})(?P<sep>[-–~]|to)"
        rf"(?P<b>[-+]?(?:{money})?(?:{_NUMBER})[^\s]*)$"
    )


def split_range(text: str) -> tuple[str, str] | None:
    """Split one token that is a range ("20~100", "5k-20k", "10–15") into its two numbers."""
    match = _range_in_token().match(text)
    if match is None:
        return None
    return match.group("a"), match.group("b")
