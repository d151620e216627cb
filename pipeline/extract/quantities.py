"""The figures grammar over spaCy tokens: numbers written in digits, in words, and as money.

Each reader takes a token index and returns a frozen record of what it read, with token and
character bounds; every word list comes from :func:`pipeline.extract.lexicon.lexicon`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pipeline.extract import numbers as nb
from pipeline.extract.lexicon import UnitInfo, lexicon
from pipeline.extract.unitsense import money_surface

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
    ordinal: bool = False  # "the tenth" read as 10, only as a range's end or a bound
    part: float | None = None  # the smaller part glued after a mark: 9 of "5'9\""


def end_of(doc: Doc, j: int) -> int:
    """The character offset just past token ``j - 1``."""
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
        if nxt == "half" and i + 2 < n and doc[i + 2].lower_ in lex.groups:  # "a half dozen"
            value = lex.groups[doc[i + 2].lower_] / lex.fractions[nxt]
            return Num(i, i + 3, tok.idx, end_of(doc, i + 3), value, digits=False)
        if nxt in lex.groups:
            return Num(i, i + 2, tok.idx, end_of(doc, i + 2), lex.groups[nxt], digits=False)
        if nxt in lex.fractions and nxt not in ("second",):
            value = 1.0 / lex.fractions[nxt]
            if i + 2 < n and doc[i + 2].lower_ in lex.scales:
                scale = lex.scales[doc[i + 2].lower_]
                return Num(i, i + 3, tok.idx, end_of(doc, i + 3), value * scale, digits=False)
            if nxt in ("third", "quarter", "half", "fifth", "tenth") and fraction_context(
                doc, i + 2
            ):
                end = end_of(doc, i + 2)
                return Num(i, i + 2, tok.idx, end, value, digits=False, fraction=True)
            return None
        if nxt in lex.scales:
            value, j, _ = _word_sequence(doc, i + 1, lex.scales[nxt])
            return Num(i, j, tok.idx, end_of(doc, j), value, digits=False, scaled=True)
        return None
    if (  # "half a dozen", "half a million": the group or scale, divided
        low in ("half", "quarter")
        and i + 2 < n
        and doc[i + 1].lower_ in ("a", "an")
        and (doc[i + 2].lower_ in lex.groups or doc[i + 2].lower_ in lex.scales)
    ):
        word = doc[i + 2].lower_
        base = lex.groups.get(word) or lex.scales[word]
        value = base / lex.fractions[low]
        return Num(
            i, i + 3, tok.idx, end_of(doc, i + 3), value, digits=False, scaled=word in lex.scales
        )
    if low in ("half", "quarter") and i + 1 < n and doc[i + 1].lower_ in lex.scales:
        value = lex.scales[doc[i + 1].lower_] / lex.fractions[low]  # "half million"
        return Num(i, i + 2, tok.idx, end_of(doc, i + 2), value, digits=False, scaled=True)
    if (
        low == "half"
        and (
            fraction_context(doc, i + 1)
            or (i + 1 < n and doc[i + 1].tag_ == "DT")
            or (i > 0 and doc[i - 1].lower_ == "than")  # "more than half", a share
        )
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
        return Num(i, j, tok.idx, end_of(doc, j), base, high=high, digits=False)
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
        return Num(i, i + 3, tok.idx, end_of(doc, i + 3), value, digits=False, fraction=True)
    total, j, scaled = _word_sequence(doc, i, value)
    if j < n and doc[j].lower_ in lex.fractions and doc[j].lower_ not in ("second",):
        word = doc[j].lower_
        plural_or_one = word.endswith("s") or (total == 1 and fraction_context(doc, j + 1))
        scale_after = j + 1 < n and doc[j + 1].lower_ in lex.scales
        if plural_or_one and (fraction_context(doc, j + 1) or scale_after):
            value = total / lex.fractions[word]  # "three quarters", "one fifth of"
            if j + 1 < n and doc[j + 1].lower_ in lex.scales:
                value *= lex.scales[doc[j + 1].lower_]
                return Num(i, j + 2, tok.idx, end_of(doc, j + 2), value, digits=False)
            return Num(i, j + 1, tok.idx, end_of(doc, j + 1), value, digits=False, fraction=True)
    return Num(i, j, tok.idx, end_of(doc, j), total, digits=False, scaled=scaled)


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


_MONEY_DIGITS = re.compile(r"\d,\d{3}|\.\d\d(?!\d)|\d(?:bn|m|k|mn)$", re.IGNORECASE)


def _money_form(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is written as money: cents, thousands, or a scale after it."""
    nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
    return _MONEY_DIGITS.search(doc[i].text) is not None or nxt in lexicon().scales


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
    parsed = nb.parse_digits(text) or nb.glued_fraction(text)
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
    if currency_name and prefix.upper() in lex.glued_only_symbols and not _money_form(doc, i):
        return None
    unit = UnitInfo(currency_name, "currency") if currency_name else None
    value = parsed.value
    scaled = False
    suffix = parsed.suffix
    money_or_noun = bool(currency_name or currency)
    glued_surface = money_surface(text[: len(prefix)]) if currency_name else ""
    marked = nb.marked_part(suffix) if suffix and not prefix else None
    if marked is not None:  # "5'9": the mark is the amount's unit, the part comes after it
        suffix = marked[0]
    if suffix:
        glued = nb.glued_unit(suffix, money_or_noun=money_or_noun or _noun_follows(doc, i + 1))
        if glued is None:
            bare = suffix[:-1] if suffix.endswith(".") and len(suffix) > 1 else suffix
            if bare not in lex.ambiguous or bare.lower() in lex.glued_suffixes:
                return None
            glued = (1.0, lex.ambiguous[bare][0])
            glued_surface = bare
        scale, glued_info = glued
        value *= scale
        scaled = scale != 1.0
        if glued_info is not None:
            unit = glued_info
            bare = suffix[:-1] if suffix.endswith(".") and len(suffix) > 1 else suffix
            tries = (suffix, bare, *((suffix.lower(), bare.lower()) if len(suffix) > 1 else ()))
            # as the model's trainer reads surfaces; "9.8″." ends a sentence: the surface is "″"
            glued_surface = next((s for s in tries if s in lex.ambiguous), "")
    change = {"sub-": "<", "+": "up", "~": "~", "≈": "~"}.get(prefix, "=")
    start = tok.idx if prefix and prefix != "to-" else tok.idx + parsed.num_start
    if prefix == "to-":
        start = tok.idx + 3
    if prefix in ("~", "≈", "+"):
        start = tok.idx
    comparison = prefix.lstrip("abcdefghijklmnopqrstuvwxyz")
    if comparison and comparison[0] in "<>≤≥":
        change = ">" if comparison[0] in ">≥" else "<"
        start = tok.idx + len(prefix) - len(comparison)  # "x>10": the bound is ">10"
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
    if marked is not None and j < n and doc[j].text in lex.part_marks and not tok.whitespace_:
        j += 1  # the part's own mark: "5'9" + '"'
    end = end_of(doc, j) if j > i + 1 else tok.idx + len(tok)
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
        part=marked[1] if marked is not None else None,
    )


def _number_words() -> frozenset[str]:
    """Words that can begin a spelled-out number (see :func:`_word_number`)."""
    lex = lexicon()
    return frozenset(
        {"a", "an", "half", "quarter", *lex.vague, *lex.cardinals, *lex.tens, *lex.ordinals}
    )


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
            end = end_of(doc, j + 1)
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
        surface=num.surface or money_surface(doc[i - 1].text),
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
            end=end_of(doc, i + 2),
            value=value * lexicon().scales[doc[i + 1].lower_],
            scaled=True,
        )
    return num


_ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")


def ordinal_number(doc: Doc, i: int) -> Num | None:
    """An ordinal at token ``i`` as its number ("tenth", "10th"), "the" before it included.

    Only where nothing it ranks follows ("the tenth century", "the 10th of May", "the third
    straight day" are no numbers). The range and bound grammar decides whether it is one.
    """
    tok = doc[i]
    rank = lexicon().ordinals.get(tok.lower_)
    value = float(rank) if rank is not None else None
    if value is None and tok.text[:1].isdigit() and tok.lower_.endswith(_ORDINAL_SUFFIXES):
        parsed = nb.parse_digits(tok.text)
        if parsed is not None and not parsed.prefix and parsed.suffix in _ORDINAL_SUFFIXES:
            value = parsed.value
    if value is None:
        return None
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    if nxt is not None and (nxt.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") or nxt.lower_ == "of"):
        return None
    first = i - 1 if i > 0 and doc[i - 1].lower_ == "the" else i
    return Num(first, i + 1, doc[first].idx, end_of(doc, i + 1), value, digits=False, ordinal=True)


def read_number(doc: Doc, i: int) -> Num | None:
    """Any number at token ``i``, with a currency symbol or code before it if present."""
    lex = lexicon()
    tok = doc[i]
    n = len(doc)
    name = lex.currency_symbols.get(tok.text) or lex.currency_symbols.get(tok.text.upper())
    if name is not None and tok.text.upper() in lex.glued_only_symbols:
        name = None  # "R18.00" is one token; a spaced "R" is a letter
    if name is None and tok.text in lex.currency_codes and tok.text.isupper():
        name = lex.currency_codes[tok.text]
    country = name is None and tok.lower_ in lex.dollar_countries and not tok.text.islower()
    if country and i + 2 < n and doc[i + 1].text == "$":  # not "by a $77 million margin"
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
