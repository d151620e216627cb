"""The figures grammar over spaCy tokens: numbers (digits, words, money) and the unit after them.

Each reader takes a token index and returns a frozen record of what it read, with token and
character bounds; every word list comes from :func:`pipeline.extract.lexicon.lexicon`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pipeline.extract import numbers as nb
from pipeline.extract.lexicon import UnitInfo, lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc

DASHES = frozenset({"-", "–", "—"})
UNIT_NOUN_POS = frozenset({"NOUN", "PROPN"})


@dataclass(frozen=True, slots=True)
class Num:
    """A number read from tokens ``[i, j)``; char offsets may cut into the first token."""

    i: int
    j: int
    start: int
    end: int
    value: float
    high: float | None = None  # set for vague plurals ("hundreds" -> [100, 1000])
    unit: UnitInfo | None = None
    currency: bool = False
    scaled: bool = False
    digits: bool = True
    fraction: bool = False
    change: str = "="
    continues_range: bool = False  # token began with "to-" ("to-260,000")
    surface: str = ""  # the unit's surface when it was glued and ambiguous ("5C", "10'")
    suspended: bool = False  # "four-" in "four-, five- and six-cylinder"


@dataclass(frozen=True, slots=True)
class UnitSpan:
    """A unit read after a number, ending before token ``j`` / char ``end``.

    ``candidates`` holds the units an ambiguous surface may mean (first: the fallback).
    """

    info: UnitInfo
    j: int
    end: int
    surface: str = ""
    candidates: tuple[UnitInfo, ...] = ()


def _end(doc: Doc, j: int) -> int:
    tok = doc[j - 1]
    return tok.idx + len(tok)


def fraction_context(doc: Doc, k: int) -> bool:
    """Whether a fraction word ending before ``k`` is used as a quantity ("a third of ...")."""
    if k >= len(doc):
        return True
    t = doc[k]
    return t.lower_ == "of" or t.is_punct or t.tag_ in ("DT", "PRP$", "PDT")


def _trailing_zeros(value: float) -> int:
    n, count = int(value), 0
    while n and n % 10 == 0:
        n //= 10
        count += 1
    return count


def _word_sequence(doc: Doc, i: int, value: float) -> tuple[float, int, bool]:
    """Extend a number word at ``i`` over the words after it: (value, next token, scaled).

    "three thousand nine hundred and sixty five", "ninety five", "forty-five" (split by the
    tokenizer), "one thousand and five hundred", "two dozen".
    """
    lex = lexicon()
    n = len(doc)
    total, current, j = 0.0, value, i + 1
    while j < n:
        w = doc[j].lower_
        v = nb.word_value(w)
        if (
            w in DASHES
            and not doc[j].whitespace_
            and not doc[j - 1].whitespace_
            and j + 1 < n
            and (nb.word_value(doc[j + 1].lower_) or 0) < 10
            and current % 100 >= 20
            and current % 10 == 0
        ):
            j += 1  # "forty-five" as three tokens
            continue
        if v is not None and current and v < 10 ** _trailing_zeros(current):
            current += v
        elif v is not None and not current and total:
            current = v
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in lex.scales and w != "hundred":
            total += (current or 1) * lex.scales[w]
            current = 0.0
        elif (
            w == "and"
            and j + 1 < n
            and nb.word_value(doc[j + 1].lower_) is not None
            and (doc[j - 1].lower_ == "hundred" or doc[j - 1].lower_ in lex.scales)
        ):
            j += 1
            continue
        elif w in lex.groups:
            current *= lex.groups[w]
        else:
            break
        j += 1
    return total + current, j, j > i + 1


def _word_number(doc: Doc, i: int) -> Num | None:
    """Spelled-out numbers, fractions, dozens and vague plurals starting at token ``i``."""
    lex = lexicon()
    tok = doc[i]
    low = tok.lower_
    n = len(doc)
    nxt = doc[i + 1].lower_ if i + 1 < n else ""
    if low in ("a", "an"):  # "a dozen", "a third", "a million", "a quarter million"
        if nxt in lex.groups:
            return Num(i, i + 2, tok.idx, _end(doc, i + 2), lex.groups[nxt], digits=False)
        if nxt in lex.fractions and nxt not in ("second",):
            value = 1.0 / lex.fractions[nxt]
            if i + 2 < n and doc[i + 2].lower_ in lex.scales:
                scale = lex.scales[doc[i + 2].lower_]
                return Num(i, i + 3, tok.idx, _end(doc, i + 3), value * scale, digits=False)
            if nxt in ("third", "quarter", "half", "fifth", "tenth") and fraction_context(
                doc, i + 2
            ):
                end = _end(doc, i + 2)
                return Num(i, i + 2, tok.idx, end, value, digits=False, fraction=True)
            return None
        if nxt in lex.scales:
            value, j, _ = _word_sequence(doc, i + 1, lex.scales[nxt])
            return Num(i, j, tok.idx, _end(doc, j), value, digits=False, scaled=True)
        return None
    if low in ("half", "quarter") and i + 1 < n and doc[i + 1].lower_ in lex.scales:
        value = lex.scales[doc[i + 1].lower_] / lex.fractions[low]  # "half million"
        return Num(i, i + 2, tok.idx, _end(doc, i + 2), value, digits=False, scaled=True)
    if (
        low == "half"
        and (fraction_context(doc, i + 1) or (i + 1 < n and doc[i + 1].tag_ == "DT"))
        and (i + 1 >= n or doc[i + 1].text not in DASHES)
    ):
        return Num(i, i + 1, tok.idx, tok.idx + len(tok), 0.5, digits=False, fraction=True)
    frac = nb.fraction_value(low)
    if frac is not None:
        return Num(i, i + 1, tok.idx, tok.idx + len(tok), frac, digits=False, fraction=True)
    multiple = nb.multiple_value(low)
    if multiple is not None:
        unit = UnitInfo(lex.multiple_unit, "other")
        return Num(i, i + 1, tok.idx, tok.idx + len(tok), multiple, unit=unit, digits=False)
    if low in lex.vague and nxt == "of":
        base = lex.vague[low]
        j = i + 1
        # "tens of thousands of", "hundreds of millions of"
        if i + 3 < n and doc[i + 2].lower_ in lex.vague and doc[i + 3].lower_ == "of":
            base *= lex.vague[doc[i + 2].lower_]
            j = i + 3
        high = 120.0 if low == "dozens" and j == i + 1 else base * 10
        return Num(i, j, tok.idx, _end(doc, j), base, high=high, digits=False)
    value = nb.word_value(low)
    if value is None:
        return None
    if (
        i + 2 < n
        and doc[i + 1].text in DASHES
        and not doc[i].whitespace_
        and doc[i + 2].lower_ in lex.fractions
        and doc[i + 2].lower_.endswith("s")
    ):  # "two-thirds" split by the tokenizer
        value /= lex.fractions[doc[i + 2].lower_]
        return Num(i, i + 3, tok.idx, _end(doc, i + 3), value, digits=False, fraction=True)
    total, j, scaled = _word_sequence(doc, i, value)
    if j < n and doc[j].lower_ in lex.fractions and doc[j].lower_ not in ("second",):
        word = doc[j].lower_
        plural_or_one = word.endswith("s") or (total == 1 and fraction_context(doc, j + 1))
        scale_after = j + 1 < n and doc[j + 1].lower_ in lex.scales
        if plural_or_one and (fraction_context(doc, j + 1) or scale_after):
            value = total / lex.fractions[word]  # "three quarters", "one fifth of"
            if j + 1 < n and doc[j + 1].lower_ in lex.scales:
                value *= lex.scales[doc[j + 1].lower_]
                return Num(i, j + 2, tok.idx, _end(doc, j + 2), value, digits=False)
            return Num(i, j + 1, tok.idx, _end(doc, j + 1), value, digits=False, fraction=True)
    return Num(i, j, tok.idx, _end(doc, j), total, digits=False, scaled=scaled)


def _noun_follows(doc: Doc, j: int) -> bool:
    """A unit or a plural noun at token ``j``: "40m subscribers", "3 B users", "5m tonnes"."""
    if j >= len(doc):
        return False
    nxt = doc[j]
    return nxt.is_alpha and (
        ((nxt.lower_,) in lexicon().unit_phrases and len(nxt.text) > 1)
        or nxt.tag_ in ("NNS", "NNPS")
    )


def _currency_of_prefix(prefix: str) -> str | None:
    lex = lexicon()
    if prefix.upper() in lex.currency_codes:
        return lex.currency_codes[prefix.upper()]
    for key, name in lex.currency_symbols.items():
        if key.lower() == prefix:
            return name
    if prefix.endswith("$") and prefix[:-1] in lex.dollar_countries:
        return lex.dollar_countries[prefix[:-1]]
    return None


def digit_number(doc: Doc, i: int, *, currency: bool = False) -> Num | None:
    """A number written with digits at token ``i``, with glued prefix/suffix and scale words.

    Args:
        doc: The document.
        i: Token index.
        currency: A currency symbol precedes the token, so "m"/"b" mean million/billion.
    """
    lex = lexicon()
    tok = doc[i]
    text = tok.text
    parsed = nb.parse_digits(text)
    if parsed is None:
        value = nb.slash_fraction(text)
        if value is None:
            value = nb.vulgar_fraction(text)
        if value is None:
            return None
        return Num(i, i + 1, tok.idx, tok.idx + len(tok), value)
    prefix = parsed.prefix
    currency_name = _currency_of_prefix(prefix) if prefix else None
    if (
        currency_name
        and prefix in {p.lower() for p in lex.small_name_prefixes}
        and abs(parsed.value) < lex.small_name_below
        and not parsed.suffix
    ):
        return None  # "PS5", "RM2": product names, not money
    unit = UnitInfo(currency_name, "currency") if currency_name else None
    value = parsed.value
    scaled = False
    suffix = parsed.suffix
    money_or_noun = bool(currency_name or currency)
    glued_surface = ""
    if suffix:
        glued = nb.glued_unit(suffix, money_or_noun=money_or_noun or _noun_follows(doc, i + 1))
        if glued is None:
            bare = suffix[:-1] if suffix.endswith(".") and len(suffix) > 1 else suffix
            if bare not in lex.ambiguous:
                return None
            glued = (1.0, lex.ambiguous[bare][0])
            glued_surface = bare
        scale, glued_info = glued
        value *= scale
        scaled = scale != 1.0
        if glued_info is not None:
            unit = glued_info
            if suffix in lex.ambiguous or suffix.lower() in lex.ambiguous:
                glued_surface = suffix
    change = {"sub-": "<", "+": "up", "~": "~", "≈": "~"}.get(prefix, "=")
    start = tok.idx if prefix and prefix != "to-" else tok.idx + parsed.num_start
    if prefix == "to-":
        start = tok.idx + 3
    if prefix in ("~", "≈", "+"):
        start = tok.idx
    j = i + 1
    n = len(doc)
    while j < n and not suffix:
        if doc[j].lower_ in lex.scales:
            value *= lex.scales[doc[j].lower_]
            scaled = True
            j += 1
            continue
        if scaled or (doc[j].text in ("k", "K") and doc[j - 1].whitespace_):
            break
        noun_after = _noun_follows(doc, j + 1)
        if (
            doc[j - 1].whitespace_
            and len(doc[j].text.rstrip(".")) == 1
            and not (money_or_noun or noun_after)
        ):
            break  # a spaced letter is a scale only before money's noun or a count: "3 B users"
        letters = nb.scale_letter(doc[j].text, money_or_noun=money_or_noun or noun_after)
        if letters is None:
            break
        value *= letters
        scaled = True
        j += 1
    if j < n and not suffix and not scaled:  # "10 1/2 miles", "10 ½"
        extra = nb.slash_fraction(doc[j].text) or nb.vulgar_fraction(doc[j].text)
        if extra is not None and extra < 1 and parsed.value == int(parsed.value):
            value += extra if value >= 0 else -extra
            j += 1
    end = _end(doc, j) if j > i + 1 else tok.idx + len(tok)
    return Num(
        i,
        j,
        start,
        end,
        value,
        unit=unit,
        currency=currency_name is not None,
        scaled=scaled,
        change=change,
        continues_range=prefix == "to-",
        surface=glued_surface,
    )


def _number_words() -> frozenset[str]:
    """Words that can begin a spelled-out number (see :func:`_word_number`)."""
    lex = lexicon()
    return frozenset({"a", "an", "half", "quarter", *lex.vague, *lex.cardinals, *lex.tens})


_STARTS: list[tuple[frozenset[str], re.Pattern[str], tuple[str, ...]]] = []


def _start_rules() -> tuple[frozenset[str], re.Pattern[str], tuple[str, ...]]:
    """Words, characters and suffixes that may begin a number (built once)."""
    if not _STARTS:
        lex = lexicon()
        chars = {"-", *lex.vulgar, *(s[0] for s in lex.currency_symbols)}
        words = _number_words() | {w.lower() for w in lex.dollar_countries}
        words |= {c.lower() for c in lex.currency_codes}
        words |= {s.lower() for s in lex.currency_symbols}
        pattern = re.compile(r"[\d" + "".join(re.escape(c) for c in sorted(chars)) + "]")
        _STARTS.append((words, pattern, lex.multiple_suffixes))
    return _STARTS[0]


def may_start_number(text: str, lower: str) -> bool:
    """False only where :func:`read_number` is sure to read nothing (most words)."""
    words, chars, suffixes = _start_rules()
    return lower in words or chars.search(text) is not None or lower.endswith(suffixes)


#: may_start_number by word hash, across docs (hashes are the same in every vocab); cleared
#: when it grows past a bound, so a long run does not keep every word it saw.
_DECIDED: dict[int, bool] = {}
_DECIDED_MAX = 200_000


def number_starts(doc: Doc) -> list[bool]:
    """:func:`may_start_number` of every token, decided once per distinct word.

    Why: trying :func:`read_number` at every token was half of figure extraction, nearly all
    of it on words that cannot begin a number; and news sentences are short, so the decisions
    are kept across docs.
    """
    strings = doc.vocab.strings
    decided = _DECIDED
    if len(decided) > _DECIDED_MAX:
        decided.clear()
    starts: list[bool] = []
    for orth in doc.to_array("ORTH").tolist():
        may = decided.get(orth)
        if may is None:
            text = strings[orth]
            may = decided[orth] = may_start_number(text, text.lower())
        starts.append(may)
    return starts


def _money(doc: Doc, i: int, name: str, start: int) -> Num | None:
    """The amount after a currency symbol or code at token ``i - 1`` ("$ 5.4 m", "EUR 5m")."""
    lex = lexicon()
    if i >= len(doc):
        return None
    tok = doc[i]
    country = next((c for c in lex.dollar_countries if tok.lower_.startswith(c)), None)
    num = digit_number(doc, i, currency=True)
    if num is None and name == "dollar" and country and tok.text[len(country) :][:1].isdigit():
        num = _strip_prefix(doc, i, len(country))  # "$US2.4 billion"
        name = lex.dollar_countries[country]
    if num is None:
        word = _word_number(doc, i)
        if word is None or word.fraction or word.high is not None:
            return None
        num = word
    if num.currency or (num.unit is not None and num.unit.kind != "currency"):
        return None
    value, j, end, scaled = num.value, num.j, num.end, num.scaled
    if not scaled and j < len(doc):  # "$5.4 m" / "$2 bn" split by the tokenizer
        letters = nb.scale_letter(doc[j].text, money_or_noun=True)
        if letters is not None:
            value *= letters
            end = _end(doc, j + 1)
            j += 1
            scaled = True
    unit = num.unit if num.unit is not None else UnitInfo(name, "currency")
    return replace(
        num,
        i=i - 1,
        j=j,
        start=start,
        end=end,
        value=value,
        unit=unit,
        currency=True,
        scaled=scaled,
    )


def _strip_prefix(doc: Doc, i: int, skip: int) -> Num | None:
    """A number in token ``i`` after ``skip`` letters ("US2.4" after "$")."""
    tok = doc[i]
    parsed = nb.parse_digits(tok.text[skip:])
    if parsed is None or parsed.prefix:
        return None
    glued = nb.glued_unit(parsed.suffix, money_or_noun=True)
    if glued is None:
        return None
    value = parsed.value * glued[0]
    num = Num(i, i + 1, tok.idx + skip, tok.idx + len(tok), value, scaled=glued[0] != 1.0)
    if i + 1 < len(doc) and doc[i + 1].lower_ in lexicon().scales and not parsed.suffix:
        return replace(
            num,
            j=i + 2,
            end=_end(doc, i + 2),
            value=value * lexicon().scales[doc[i + 1].lower_],
            scaled=True,
        )
    return num


def read_number(doc: Doc, i: int) -> Num | None:
    """Any number at token ``i``, with a currency symbol or code before it if present."""
    lex = lexicon()
    tok = doc[i]
    n = len(doc)
    name = lex.currency_symbols.get(tok.text) or lex.currency_symbols.get(tok.text.upper())
    if name is None and tok.text in lex.currency_codes and tok.text.isupper():
        name = lex.currency_codes[tok.text]
    if name is None and tok.lower_ in lex.dollar_countries and i + 2 < n and doc[i + 1].text == "$":
        num = _money(doc, i + 2, lex.dollar_countries[tok.lower_], tok.idx)  # "US $80 million"
        return replace(num, i=i) if num is not None else None
    if name is not None and i + 1 < n:
        num = _money(doc, i + 1, name, tok.idx)
        if num is not None:
            return num
        if tok.text in lex.currency_codes:
            return None
    num = digit_number(doc, i)
    if num is not None:
        return num
    if tok.text.endswith("-") and len(tok.text) > 1 and i + 1 < n:
        head = tok.text[:-1]  # "four-, five- and six-cylinder": the compound comes later
        value = nb.word_value(head.lower()) or (float(head) if head.isdigit() else None)
        if value is not None and doc[i + 1].lower_ in (",", "and", "or", "to"):
            end = tok.idx + len(head)
            return Num(i, i + 1, tok.idx, end, value, digits=head.isdigit(), suspended=True)
    return _word_number(doc, i)


_QUOTES = frozenset({"'", '"'})


def _quote_opened(doc: Doc, i: int) -> bool:
    """Whether a quotation mark opened before token ``i`` in its sentence is still open."""
    sent_start = doc[i].sent.start
    return sum(1 for t in doc[sent_start:i] if t.text in _QUOTES) % 2 == 1


def _single_unit(doc: Doc, k: int) -> tuple[UnitInfo | None, str, tuple[UnitInfo, ...]]:
    """A one-token unit at ``k``: (unit, surface, candidates when the surface is ambiguous).

    A period the tokenizer left on a sentence's last word is not part of it ("5 F.").
    """
    lex = lexicon()
    surface = doc[k].text
    if (
        surface.endswith(".")
        and len(surface) > 1
        and surface not in lex.ambiguous
        and (surface.lower(),) not in lex.unit_phrases
    ):
        surface = surface[:-1]
    low = surface.lower()
    candidates = lex.ambiguous.get(surface) or (
        lex.ambiguous.get(low, ()) if len(surface) > 1 else ()
    )
    if candidates:
        return candidates[0], surface, candidates
    if surface in lex.cased_units:
        return lex.cased_units[surface], surface, ()
    if surface in lex.currency_codes and surface.isupper():
        return UnitInfo(lex.currency_codes[surface], "currency"), surface, ()
    if surface in lex.currency_symbols and not surface.isalpha():  # "100,000 ₭"
        return UnitInfo(lex.currency_symbols[surface], "currency"), surface, ()
    return lex.unit_phrases.get((low,)), surface, ()


def read_unit(doc: Doc, num: Num) -> UnitSpan | None:
    """The unit phrase written right after ``num`` (longest match): "per cent", "km/h", "C"."""
    lex = lexicon()
    j = num.j
    n = len(doc)
    k = j
    if k < n and doc[k].text in DASHES and not doc[k - 1].whitespace_:
        k += 1  # "16-year-old", "12-inch"
    if k >= n:
        return None
    sizes = lex.unit_sizes.get(doc[k].lower_, ())
    if 1 not in sizes:
        sizes = (*sizes, 1)
    for size in sizes:
        if k + size > n:
            continue
        candidates: tuple[UnitInfo, ...] = ()
        surface = doc[k].text
        if size == 1:
            info, surface, candidates = _single_unit(doc, k)
        else:
            info = lex.unit_phrases.get(tuple(t.lower_ for t in doc[k : k + size]))
        if info is None:
            continue
        glued = not doc[k - 1].whitespace_
        if surface in _QUOTES and (not glued or k + 1 >= n or _quote_opened(doc, k)):
            continue  # 10' is ten feet; 'I was 10' closes a quotation
        if size == 1 and surface.lower() in lex.glued_only and not glued and not candidates:
            continue
        if info.name == "year of age" or k == j or surface.lower() in ("-year-old", "year-old"):
            return UnitSpan(info, k + size, _end(doc, k + size), surface, candidates)
        if k > j and info.kind in ("length", "mass", "duration", "other", "area", "speed"):
            return UnitSpan(info, k + size, _end(doc, k + size), surface, candidates)
    return None


def read_rate(doc: Doc, j: int) -> tuple[str, int, int] | None:
    """Read "per barrel", "a year", "/h" after a unit: returns (name, next token, end char)."""
    lex = lexicon()
    rate_units = {"second", "minute", "hour", "day", "week", "month", "year", "night", "quarter"}
    n = len(doc)
    if j + 1 >= n:
        return None
    w = doc[j].lower_
    if w in ("per", "/"):
        for size in range(min(3, n - j - 1), 0, -1):
            words = tuple(t.lower_ for t in doc[j + 1 : j + 1 + size])
            if len(words[-1]) > 1 and words[-1].endswith(".") and words not in lex.unit_phrases:
                words = (*words[:-1], words[-1][:-1])  # "per sq m." ending a sentence
            info = lex.unit_phrases.get(words)
            if info is not None:
                return info.name, j + 1 + size, _end(doc, j + 1 + size)
        nxt = doc[j + 1]
        if nxt.pos_ in UNIT_NOUN_POS or nxt.lower_ in rate_units or nxt.lower_ == "annum":
            name = "year" if nxt.lower_ == "annum" else nxt.lemma_.lower()
            return name, j + 2, _end(doc, j + 2)
    if w in ("a", "an") and j + 1 < n:  # "$84.50 a barrel": a unit that is not ambiguous
        info = lex.unit_phrases.get((doc[j + 1].lower_,))
        plain = doc[j + 1].text not in lex.ambiguous and doc[j + 1].lower_ not in lex.ambiguous
        if info is not None and plain and info.kind in ("other", "mass", "length", "area"):
            return info.name, j + 2, _end(doc, j + 2)
    if w in ("a", "an", "each", "every") and doc[j + 1].lower_ in rate_units | {"annum"}:
        nxt = doc[j + 1]
        if j + 2 < n and doc[j + 2].lower_ in ("ago", "earlier", "later", "before", "after"):
            return None
        return ("year" if nxt.lower_ == "annum" else nxt.lower_), j + 2, _end(doc, j + 2)
    if (
        w in ("a", "per")
        and j + 2 < n
        and doc[j + 1].text in DASHES
        and doc[j + 2].lower_ in rate_units
    ):
        return doc[j + 2].lower_, j + 3, _end(doc, j + 3)
    if w.startswith(("a-", "per-")) and w.split("-", 1)[1] in rate_units:
        return w.split("-", 1)[1], j + 1, _end(doc, j + 1)
    return None
