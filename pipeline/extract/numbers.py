"""Number words, scale words, units and qualifiers used by :mod:`pipeline.extract.figures`.

Everything here is plain data plus small pure functions over lowercase strings: no spaCy. Unit
names follow the NewsQuant gold (lowercase, singular, e.g. ``"kilometre"``, ``"dollar"``,
``"percentage"``, ``"mile per hour"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Cardinal number words and their values.
UNITS_WORDS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS_WORDS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}

#: Multipliers written as words or abbreviations after a number ("1.5 million", "$2bn", "40k").
SCALE_WORDS: dict[str, float] = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "mil": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
}
#: Scale abbreviations that are only a scale after a currency ("$5.4m"); else "m" is a metre.
CURRENCY_ONLY_SCALES: dict[str, float] = {"m": 1e6, "b": 1e9}

#: "dozen" style group words: value of one group.
GROUP_WORDS: dict[str, float] = {"dozen": 12.0, "score": 20.0}

#: Vague plural quantities ("hundreds of detainees") -> order of magnitude; NewsQuant reads them
#: as the range [x, 10x].
VAGUE_WORDS: dict[str, float] = {
    "tens": 10.0,
    "dozens": 12.0,
    "hundreds": 100.0,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
    "trillions": 1e12,
}

#: Fraction words: "a third", "two-thirds", "half", "a quarter".
FRACTION_WORDS: dict[str, float] = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "eighth": 8,
    "eighths": 8,
    "tenth": 10,
    "tenths": 10,
}

ORDINAL_WORDS: dict[str, int] = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}

MONTHS: frozenset[str] = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "jan.",
        "feb",
        "feb.",
        "mar",
        "mar.",
        "apr",
        "apr.",
        "jun",
        "jun.",
        "jul",
        "jul.",
        "aug",
        "aug.",
        "sep",
        "sep.",
        "sept",
        "sept.",
        "oct",
        "oct.",
        "nov",
        "nov.",
        "dec",
        "dec.",
    ]
)

#: Currency written before the number: surface (as a token or token prefix) -> unit name.
CURRENCY_PREFIX: dict[str, str] = {
    "$": "dollar",
    "us$": "dollar",
    "c$": "canadian dollar",
    "ca$": "canadian dollar",
    "a$": "australian dollar",
    "au$": "australian dollar",
    "nz$": "new zealand dollar",
    "hk$": "hong kong dollar",
    "s$": "singapore dollar",
    "€": "euro",
    "£": "pound sterling",
    "¥": "japanese yen",
    "y=": "japanese yen",
    "₹": "indian rupee",
    "rs": "indian rupee",
    "rs.": "indian rupee",
    "rm": "malaysian ringgit",
    "ps": "pound sterling",
    "₪": "shekel",
    "usd": "dollar",
    "eur": "euro",
    "gbp": "pound sterling",
    "jpy": "japanese yen",
    "cny": "chinese yuan",
    "rmb": "chinese yuan",
    "inr": "indian rupee",
    "chf": "swiss franc",
    "aud": "australian dollar",
    "cad": "canadian dollar",
}
#: Words before "$" that name which dollar ("US $58.24", "HK $5.4m").
DOLLAR_COUNTRY: dict[str, str] = {
    "us": "dollar",
    "u.s.": "dollar",
    "hk": "hong kong dollar",
    "c": "canadian dollar",
    "a": "australian dollar",
    "nz": "new zealand dollar",
    "s": "singapore dollar",
}


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """A unit name and the kind of figure it makes."""

    name: str
    kind: str


def _u(kind: str, name: str, *surfaces: str) -> dict[tuple[str, ...], UnitInfo]:
    info = UnitInfo(name, kind)
    return {tuple(s.split()): info for s in surfaces}


#: Units written after the number, as lowercase token sequences.
UNIT_PHRASES: dict[tuple[str, ...], UnitInfo] = {
    **_u("percent", "percentage", "%", "percent", "per cent", "pc", "pct", "per-cent"),
    **_u("percent", "percentage point", "percentage point", "percentage points"),
    **_u("currency", "dollar", "dollar", "dollars", "usd"),
    **_u("currency", "united states dollar", "u.s. dollars", "us dollars"),
    **_u("currency", "hong kong dollar", "hong kong dollars", "hk dollars"),
    **_u("currency", "canadian dollar", "canadian dollars"),
    **_u("currency", "australian dollar", "australian dollars"),
    **_u("currency", "cent", "cent", "cents"),
    **_u("currency", "euro", "euro", "euros", "eur"),
    **_u("currency", "pound sterling", "sterling", "pounds sterling", "gbp"),
    **_u("currency", "japanese yen", "yen", "jpy", "japanese yen"),
    **_u("currency", "chinese yuan", "yuan", "renminbi", "rmb", "cny", "chinese yuan"),
    **_u("currency", "shekel", "shekel", "shekels", "nis", "new shekels"),
    **_u("currency", "danish krone", "danish crowns", "danish kroner", "danish krone"),
    **_u("currency", "swedish krona", "swedish crowns", "swedish kronor", "kronor"),
    **_u("currency", "norwegian krone", "norwegian crowns", "norwegian kroner"),
    **_u("currency", "indian rupee", "rupee", "rupees", "inr"),
    **_u("currency", "swiss franc", "swiss francs", "francs"),
    **_u("currency", "russian ruble", "ruble", "rubles", "rouble", "roubles"),
    **_u("currency", "malaysian ringgit", "ringgit"),
    **_u("currency", "croatian kuna", "kuna", "kn"),
    **_u("currency", "peso", "peso", "pesos"),
    **_u("currency", "bitcoin", "bitcoin", "bitcoins", "btc"),
    **_u("length", "kilometre", "km", "kms", "kilometer", "kilometers", "kilometre", "kilometres"),
    **_u("length", "metre", "m", "meter", "meters", "metre", "metres"),
    **_u("length", "centimetre", "cm", "centimeter", "centimeters", "centimetre", "centimetres"),
    **_u("length", "millimetre", "mm", "millimeter", "millimeters", "millimetre", "millimetres"),
    **_u("length", "nanometre", "nm", "nanometer", "nanometers", "nanometre", "nanometres"),
    **_u("length", "micrometre", "micron", "microns", "micrometer", "micrometers", "μm"),
    **_u("length", "mile", "mile", "miles", "mi"),
    **_u("length", "nautical mile", "nautical mile", "nautical miles"),
    **_u("length", "yard", "yard", "yards", "yd", "yds"),
    **_u("length", "foot", "foot", "feet", "ft"),
    **_u("length", "inch", "inch", "inches", "in."),
    **_u("length", "light year", "light year", "light years", "light-years", "light-year"),
    **_u("area", "square mile", "square mile", "square miles", "sq mi", "sq miles"),
    **_u(
        "area",
        "square kilometre",
        "square kilometers",
        "square kilometres",
        "sq km",
        "km2",
        "square kilometer",
        "square kilometre",
    ),
    **_u(
        "area",
        "square metre",
        "square meters",
        "square metres",
        "sq m",
        "sqm",
        "m2",
        "square meter",
        "square metre",
        "sq metres",
        "sq meters",
    ),
    **_u("area", "square foot", "square feet", "square foot", "sq ft", "sqft"),
    **_u("area", "acre", "acre", "acres"),
    **_u("area", "hectare", "hectare", "hectares", "ha"),
    **_u("mass", "kilogram", "kg", "kgs", "kilogram", "kilograms", "kilo", "kilos"),
    **_u("mass", "gram", "g", "gram", "grams", "gramme", "grammes"),
    **_u("mass", "milligram", "mg", "milligram", "milligrams"),
    **_u("mass", "tonne", "tonne", "tonnes", "metric tons", "metric tonnes", "t"),
    **_u("mass", "ton", "ton", "tons"),
    **_u("mass", "pound-mass", "pound", "pounds", "lb", "lbs"),
    **_u("mass", "ounce", "ounce", "ounces", "oz"),
    **_u("duration", "second", "second", "seconds", "sec", "secs", "s"),
    **_u("duration", "minute", "minute", "minutes", "min", "mins"),
    **_u("duration", "hour", "hour", "hours", "hr", "hrs", "h"),
    **_u("duration", "day", "day", "days"),
    **_u("duration", "week", "week", "weeks"),
    **_u("duration", "month", "month", "months"),
    **_u("duration", "year", "year", "years", "yr", "yrs"),
    **_u("duration", "decade", "decade", "decades"),
    **_u("duration", "century", "century", "centuries"),
    **_u(
        "duration",
        "year of age",
        "year - old",
        "years - old",
        "year old",
        "years old",
        "- year - old",
        "-year-old",
        "year-old",
        "years-old",
        "yr - old",
    ),
    **_u("speed", "mile per hour", "mph", "miles per hour", "miles an hour", "mile per hour"),
    **_u(
        "speed",
        "kilometre per hour",
        "km/h",
        "kmh",
        "kph",
        "kilometers per hour",
        "kilometres per hour",
        "km / h",
        "kilometers an hour",
        "kilometres an hour",
    ),
    **_u("speed", "metre per second", "m/s", "meters per second", "metres per second"),
    **_u("speed", "knot", "knot", "knots", "kt", "kts"),
    **_u(
        "temperature",
        "celsius",
        "degrees celsius",
        "degree celsius",
        "°c",
        "celsius",
        "c",
        "degrees c",
        "º c",
        "° c",
    ),
    **_u(
        "temperature",
        "fahrenheit",
        "degrees fahrenheit",
        "degree fahrenheit",
        "°f",
        "fahrenheit",
        "f",
        "degrees f",
        "° f",
    ),
    **_u("other", "degree", "degree", "degrees", "°"),
    **_u("other", "litre", "litre", "litres", "liter", "liters", "l"),
    **_u("other", "millilitre", "ml", "millilitre", "millilitres", "milliliter", "milliliters"),
    **_u("other", "gallon", "gallon", "gallons", "gal"),
    **_u("other", "barrel", "barrel", "barrels", "bbl"),
    **_u("other", "horsepower", "hp", "horsepower", "ps"),
    **_u("other", "brake horsepower", "bhp"),
    **_u("other", "horse", "horses"),
    **_u("other", "watt", "w", "watt", "watts"),
    **_u("other", "kilowatt", "kw", "kilowatt", "kilowatts"),
    **_u("other", "megawatt", "mw", "megawatt", "megawatts"),
    **_u("other", "gigawatt", "gw", "gigawatt", "gigawatts"),
    **_u("other", "kilowatt hour", "kwh", "kilowatt hour", "kilowatt hours", "kilowatt-hours"),
    **_u("other", "megawatt hour", "mwh", "megawatt hours", "megawatt-hours"),
    **_u("other", "gigawatt hour", "gwh", "gigawatt hours", "gigawatt-hours"),
    **_u("other", "newton metre", "newton metres", "newton meters", "newton-metres"),
    **_u("other", "foot pound-force", "lb - ft", "lb-ft", "pound-feet", "lb ft"),
    **_u("other", "volt", "v", "volt", "volts"),
    **_u("other", "milliampere hour", "mah"),
    **_u("other", "decibel", "db", "decibel", "decibels"),
    **_u("other", "gigapascal", "gpa", "gigapascal", "gigapascals"),
    **_u("other", "megapixel", "mp", "megapixel", "megapixels"),
    **_u("other", "hertz", "hz", "hertz"),
    **_u("other", "gigahertz", "ghz", "gigahertz"),
    **_u("other", "megahertz", "mhz", "megahertz"),
    **_u("other", "byte", "byte", "bytes"),
    **_u("other", "kilobyte", "kb", "kilobyte", "kilobytes"),
    **_u("other", "megabyte", "mb", "megabyte", "megabytes"),
    **_u("other", "gigabyte", "gb", "gigabyte", "gigabytes"),
    **_u("other", "terabyte", "tb", "terabyte", "terabytes"),
    **_u("other", "megabit per second", "mbps", "mbit/s"),
    **_u("other", "gigabit per second", "gbps", "gbit/s"),
    **_u("other", "calorie", "calorie", "calories", "kcal"),
    **_u("other", "point", "point", "points", "pts", "pt", "p", "p."),
    **_u("other", "mile per gallon", "mpg", "miles per gallon"),
    **_u("other", "part per million", "ppm", "parts per million"),
    **_u("other", "part per billion", "ppb", "parts per billion"),
    **_u("other", "cubic foot", "cubic feet", "cubic foot", "cu ft"),
    **_u(
        "other", "cubic metre", "cubic meters", "cubic metres", "cubic meter", "cubic metre", "m3"
    ),
    **_u("other", "cubic inch", "cubic inches", "cubic inch"),
    **_u("other", "dram", "dram", "drams"),
    **_u("currency", "japanese yen", "jpy="),
    **_u("currency", "euro", "eur="),
    **_u("other", "count", "times", "fold", "-fold"),
    **_u("other", "mega british thermal unit", "mmbtu"),
}
#: Case-sensitive unit abbreviations that clash with another unit when lowercased.
CASED_UNITS: dict[str, UnitInfo] = {
    "Nm": UnitInfo("newton metre", "other"),
    "G": UnitInfo("generation wireless", "other"),
}
#: Units written after a "$" amount that name which dollar ("$75 U.S.").
DOLLAR_SUFFIX: dict[str, str] = {
    "u.s.": "united states dollar",
    "us": "united states dollar",
    "usd": "united states dollar",
}
#: Longest unit phrase, in tokens.
MAX_UNIT_TOKENS = max(len(k) for k in UNIT_PHRASES)

#: Unit abbreviations that may only follow a number without a space ("3G", "5s" is not one).
GLUED_ONLY: frozenset[str] = frozenset({"g", "s", "h", "t", "l", "c", "f", "w", "v"})
#: Glued suffixes that make the token something other than a figure ("1990s", "10th", "5pm").
NON_FIGURE_SUFFIXES: frozenset[str] = frozenset(
    {"s", "st", "nd", "rd", "th", "am", "pm", "a.m.", "p.m.", "ad", "bc", "bce", "ce"}
)

#: Time units that can follow "a"/"per" to make a rate ("$1 million a year").
RATE_TIME_UNITS: dict[str, str] = {
    "second": "second",
    "minute": "minute",
    "hour": "hour",
    "day": "day",
    "week": "week",
    "month": "month",
    "year": "year",
    "annum": "year",
    "night": "night",
    "quarter": "quarter",
}

#: Qualifiers written before a figure (lowercase token sequences) -> change symbol.
QUALIFIERS_BEFORE: dict[tuple[str, ...], str] = {
    tuple(k.split()): v
    for k, v in {
        "more than": ">",
        "over": ">",
        "well over": ">",
        "just over": ">",
        "above": ">",
        "at least": ">",
        "in excess of": ">",
        "upwards of": ">",
        "upward of": ">",
        "greater than": ">",
        "higher than": ">",
        "north of": ">",
        "exceeding": ">",
        "no fewer than": ">",
        "no less than": ">",
        "more then": ">",
        "past": ">",
        "less than": "<",
        "under": "<",
        "just under": "<",
        "below": "<",
        "fewer than": "<",
        "up to": "<",
        "at most": "<",
        "no more than": "<",
        "lower than": "<",
        "sub": "<",
        "sub-": "<",
        "shy of": "<",
        "just shy of": "<",
        "short of": "<",
        "not even": "<",
        "about": "~",
        "around": "~",
        "some": "~",
        "approximately": "~",
        "approx.": "~",
        "approx": "~",
        "roughly": "~",
        "nearly": "~",
        "almost": "~",
        "an estimated": "~",
        "estimated": "~",
        "close to": "~",
        "closer to": "~",
        "circa": "~",
        "c.": "~",
        "barely": "~",
        "just about": "~",
        "around about": "~",
        "or so": "~",
        "nigh on": "~",
        "near": "~",
        "an approximate": "~",
        "a roughly": "~",
        "a nearly": "~",
        "an average of": "=",
        "as many as": "=",
        "as much as": "=",
        "exactly": "=",
    }.items()
}
MAX_QUALIFIER_TOKENS = max(len(k) for k in QUALIFIERS_BEFORE)
#: Qualifiers written after a figure.
QUALIFIERS_AFTER: dict[tuple[str, ...], str] = {
    ("or", "more"): ">",
    ("or", "higher"): ">",
    ("plus",): ">",
    ("+",): ">",
    ("or", "less"): "<",
    ("or", "fewer"): "<",
    ("or", "so"): "~",
    ("or", "lower"): "<",
}

#: Verb lemmas that make the figure they govern an increase or a decrease.
UP_VERBS: frozenset[str] = frozenset(
    [
        "rise",
        "increase",
        "gain",
        "climb",
        "jump",
        "grow",
        "advance",
        "surge",
        "soar",
        "rally",
        "add",
        "boost",
        "raise",
        "rebound",
        "spike",
        "up",
        "hike",
        "lift",
        "expand",
        "swell",
        "accelerate",
        "improve",
    ]
)
DOWN_VERBS: frozenset[str] = frozenset(
    [
        "fall",
        "drop",
        "decline",
        "decrease",
        "lose",
        "plunge",
        "plummet",
        "cut",
        "slip",
        "slide",
        "sink",
        "tumble",
        "shed",
        "dip",
        "shrink",
        "reduce",
        "lower",
        "slump",
        "ease",
        "crash",
        "trim",
        "sag",
        "retreat",
        "contract",
        "slash",
        "tank",
        "down",
        "diminish",
    ]
)

_DIGITS = re.compile(
    r"^(?P<pre>to-|sub-|minus-?|[-+]|us\$|hk\$|c\$|ca\$|a\$|au\$|nz\$|s\$|\$|€|£|¥|y=|₹|₪|"
    r"rs\.?|rm|ps|usd|eur|gbp|jpy|inr|cny|chf|aud|cad)?(?P<sign>[-+])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<suf>(?:[^\d\s/,][^\s]*)?)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class NumberToken:
    """A digit string found in one token, e.g. ``"$2bn"`` -> 2.0 with prefix ``"$"``.

    Attributes:
        value: Numeric value of the digits, sign applied.
        prefix: Lowercase text before the digits and sign ("$", "to-", "sub-", ...), or "".
        suffix: Text glued after the digits ("bn", "km", "%"), original case, or "".
        start: Offset of the first character of the prefix within the token.
        num_start: Offset of the digits (or sign) within the token.
    """

    value: float
    prefix: str
    suffix: str
    num_start: int


def parse_digits(text: str) -> NumberToken | None:
    """Parse a token that contains a written number, e.g. "5,000", "$2bn", "-5", "sub-7".

    Args:
        text: One token's text.

    Returns:
        The parsed number, or None when the token is not a number with an optional prefix and
        suffix.
    """
    match = _DIGITS.match(text)
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


def word_value(word: str) -> float | None:
    """Value of a single spelled-out cardinal, including hyphenated ("twenty-five").

    Args:
        word: Lowercase token text.
    """
    if word in UNITS_WORDS:
        return float(UNITS_WORDS[word])
    if word in TENS_WORDS:
        return float(TENS_WORDS[word])
    if "-" in word:
        head, _, tail = word.partition("-")
        if head in TENS_WORDS and tail in UNITS_WORDS and 0 < UNITS_WORDS[tail] < 10:
            return float(TENS_WORDS[head] + UNITS_WORDS[tail])
    return None


def fraction_value(word: str) -> float | None:
    """Value of a written fraction such as "two-thirds" or "three-quarters".

    Args:
        word: Lowercase token text.
    """
    head, sep, tail = word.partition("-")
    if sep and tail in FRACTION_WORDS:
        numerator = word_value(head)
        if numerator is not None and numerator > 0:
            return numerator / FRACTION_WORDS[tail]
    return None


def glued_unit(suffix: str) -> tuple[float, UnitInfo | None] | None:
    """Split a suffix glued to digits into a scale and a unit ("bn" -> 1e9, "kWh" -> kWh).

    Args:
        suffix: Characters after the digits in the same token, original case.

    Returns:
        ``(scale, unit)``; ``(1.0, None)`` for no suffix; None when the suffix is not a known
        scale or unit (so the token is not a figure).
    """
    low = suffix.lower()
    if not low:
        return 1.0, None
    if suffix in CASED_UNITS:
        return 1.0, CASED_UNITS[suffix]
    if len(low) > 1 and low.endswith(".") and (low[:-1],) in UNIT_PHRASES:
        low = low[:-1]  # "3G." split that way by the tokenizer
        if suffix[:-1] in CASED_UNITS:
            return 1.0, CASED_UNITS[suffix[:-1]]
    if low in NON_FIGURE_SUFFIXES:
        return None
    unit = UNIT_PHRASES.get((low,))
    if unit is not None:
        return 1.0, unit
    if low in SCALE_WORDS and low != "hundred":
        return SCALE_WORDS[low], None
    for scale_word, scale in SCALE_WORDS.items():
        if len(scale_word) <= 2 and low.startswith(scale_word):
            unit = UNIT_PHRASES.get((low[len(scale_word) :],))
            if unit is not None and unit.kind == "currency":
                return scale, unit
    return None
