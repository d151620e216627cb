"""Figures: every number in the news, with its unit, qualifier and what it counts.

Textacy ``extract`` style: :func:`extract_figures` walks a parsed spaCy ``Doc`` (tagger, parser,
lemmatizer, ner) and yields frozen :class:`Figure` records. The rules are token patterns over the
written forms news uses (digits with separators, scale words, number words, fractions, vague
plurals, ranges, currencies, units) plus dependency heads for the counted noun and for verbs of
change. Conventions (unit names, counted nouns as units, "one", vague plurals as ``[x, 10x]``)
follow the NewsQuant gold (Almasian et al., EMNLP 2023).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the contracts import this module's vocabularies without any doc
    from spacy.tokens import Doc, Token

from pipeline.extract import numbers as nb
from pipeline.extract.doccache import doc_text

CHANGES = ("=", "~", ">", "<", "up", "down")
KINDS = (
    "count",
    "percent",
    "currency",
    "length",
    "area",
    "mass",
    "duration",
    "speed",
    "temperature",
    "other",
)


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure found in a document.

    Attributes:
        text: Surface text; ``doc.text[start:end] == text`` always.
        start: Character offset of the figure in ``doc.text``.
        end: Character offset just past the figure.
        value: The single value; None for a range.
        value_low: Lower end of a range, else None.
        value_high: Upper end of a range, else None.
        change: One of ``=``, ``~``, ``>``, ``<``, ``up``, ``down``.
        unit: Lowercase singular unit name ("percentage", "dollar", "kilometre"); for counts the
            counted noun as NewsQuant writes it ("afghan province"); None when unknown.
        kind: One of :data:`KINDS`.
        counted: What is counted, as written ("Afghan provinces"); None if not a count.
    """

    text: str
    start: int
    end: int
    value: float | None
    value_low: float | None
    value_high: float | None
    change: str
    unit: str | None
    kind: str
    counted: str | None


@dataclass(frozen=True, slots=True)
class _Num:
    """A number read from tokens ``[i, j)``; char offsets may cut into the first token."""

    i: int
    j: int
    start: int
    end: int
    value: float
    high: float | None = None  # set for vague plurals ("hundreds" -> [100, 1000])
    unit: nb.UnitInfo | None = None
    currency: bool = False
    scaled: bool = False
    digits: bool = True
    fraction: bool = False
    change: str = "="
    continues_range: bool = False  # token began with "to-" ("to-260,000")


@dataclass(frozen=True, slots=True)
class _Unit:
    """A unit read after a number, ending before token ``j`` / char ``end``."""

    info: nb.UnitInfo
    j: int
    end: int


_DASHES = frozenset({"-", "–", "—"})
_ONE_BLOCKERS = frozenset(
    [
        "each",
        "every",
        "same",
        "no",
        "any",
        "the",
        "this",
        "that",
        "which",
        "another",
        "such",
        "little",
        "only",
        "other",
        "any",
        "one's",
    ]
)
_ID_WORDS = frozenset({"no.", "no", "#", "number", "nos.", "vol.", "page", "p.", "pp.", "rule"})
_TIME_WORDS = frozenset(
    {
        "a.m.",
        "p.m.",
        "am",
        "pm",
        "a.m",
        "p.m",
        "gmt",
        "et",
        "pt",
        "est",
        "edt",
        "bst",
        "utc",
        "o'clock",
    }
)
_UNIT_NOUN_POS = frozenset({"NOUN", "PROPN"})


def _word_number(doc: Doc, i: int) -> _Num | None:
    """Read spelled-out numbers, fractions, dozens and vague plurals starting at token ``i``."""
    tok = doc[i]
    low = tok.lower_
    n = len(doc)
    nxt = doc[i + 1].lower_ if i + 1 < n else ""
    # "a dozen", "a third", "a half", "a million"
    if low in ("a", "an"):
        if nxt in nb.GROUP_WORDS:
            return _Num(
                i, i + 2, tok.idx, doc[i + 1].idx + len(nxt), nb.GROUP_WORDS[nxt], digits=False
            )
        if nxt in ("third", "quarter", "half", "fifth", "tenth") and _fraction_context(doc, i + 2):
            value = 1.0 / nb.FRACTION_WORDS[nxt]
            return _Num(
                i, i + 2, tok.idx, doc[i + 1].idx + len(nxt), value, digits=False, fraction=True
            )
        if nxt in ("hundred", "thousand", "million", "billion"):
            return _Num(
                i,
                i + 2,
                tok.idx,
                doc[i + 1].idx + len(nxt),
                nb.SCALE_WORDS[nxt],
                digits=False,
                scaled=True,
            )
        return None
    if (
        low == "half"
        and (_fraction_context(doc, i + 1) or (i + 1 < n and doc[i + 1].tag_ == "DT"))
        and (i + 1 >= n or doc[i + 1].text not in _DASHES)
    ):
        return _Num(i, i + 1, tok.idx, tok.idx + len(tok), 0.5, digits=False, fraction=True)
    frac = nb.fraction_value(low)
    if frac is not None:
        return _Num(i, i + 1, tok.idx, tok.idx + len(tok), frac, digits=False, fraction=True)
    if low in nb.VAGUE_WORDS and nxt == "of":
        base = nb.VAGUE_WORDS[low]
        j = i + 1
        # "tens of thousands of", "hundreds of millions of"
        if i + 3 < n and doc[i + 2].lower_ in nb.VAGUE_WORDS and doc[i + 3].lower_ == "of":
            base *= nb.VAGUE_WORDS[doc[i + 2].lower_]
            j = i + 3
        end_tok = doc[j - 1]
        high = 120.0 if low == "dozens" and j == i + 1 else base * 10
        return _Num(i, j, tok.idx, end_tok.idx + len(end_tok), base, high=high, digits=False)
    value = nb.word_value(low)
    if value is None:
        return None
    if (
        i + 2 < n
        and doc[i + 1].text in _DASHES
        and not doc[i].whitespace_
        and (doc[i + 2].lower_ in ("thirds", "quarters", "fifths", "tenths", "eighths"))
    ):  # "two-thirds" split by the tokenizer
        end_tok = doc[i + 2]
        return _Num(
            i,
            i + 3,
            tok.idx,
            end_tok.idx + len(end_tok),
            value / nb.FRACTION_WORDS[end_tok.lower_],
            digits=False,
            fraction=True,
        )
    total, current, j = 0.0, value, i + 1
    while j < n:
        w = doc[j].lower_
        v = nb.word_value(w)
        if v is not None and current % 100 == 0 and current and v < 100:
            current += v
        elif w == "hundred":
            current *= 100
        elif w in ("thousand", "million", "billion", "trillion"):
            total += current * nb.SCALE_WORDS[w]
            current = 0.0
        elif (
            w == "and"
            and j + 1 < n
            and nb.word_value(doc[j + 1].lower_) is not None
            and (doc[j - 1].lower_ == "hundred")
        ):
            j += 1
            continue
        elif w in nb.GROUP_WORDS:
            current *= nb.GROUP_WORDS[w]
        elif w in ("third", "thirds", "quarter", "quarters", "fifths", "tenths") and (
            _fraction_context(doc, j + 1)
        ):
            current /= nb.FRACTION_WORDS[w]
            end_tok = doc[j]
            return _Num(
                i,
                j + 1,
                tok.idx,
                end_tok.idx + len(end_tok),
                total + current,
                digits=False,
                fraction=True,
            )
        else:
            break
        j += 1
    end_tok = doc[j - 1]
    return _Num(
        i, j, tok.idx, end_tok.idx + len(end_tok), total + current, digits=False, scaled=j > i + 1
    )


def _fraction_context(doc: Doc, k: int) -> bool:
    """Whether a fraction word ending before ``k`` is used as a quantity ("a third of ...")."""
    if k >= len(doc):
        return True
    t = doc[k]
    return t.lower_ == "of" or t.is_punct or t.tag_ in ("DT", "PRP$", "PDT")


def _digit_number(doc: Doc, i: int, *, currency: bool = False) -> _Num | None:
    """Read a number written with digits at token ``i``, with glued prefix/suffix and scale.

    Args:
        doc: The document.
        i: Token index.
        currency: A currency symbol precedes the token, so "m"/"b" mean million/billion.
    """
    tok = doc[i]
    parsed = nb.parse_digits(tok.text)
    if parsed is None:
        frac = nb.slash_fraction(tok.text)
        if frac is None:
            return None
        return _Num(i, i + 1, tok.idx, tok.idx + len(tok), frac)
    prefix = parsed.prefix
    currency_name = nb.CURRENCY_PREFIX.get(prefix.rstrip("."))
    if prefix in ("ps", "rm", "rs", "rs.") and abs(parsed.value) < 10 and not parsed.suffix:
        return None  # "PS5", "RM2": product names, not money
    unit: nb.UnitInfo | None = None
    if currency_name:
        unit = nb.UnitInfo(currency_name, "currency")
    value = parsed.value
    scaled = False
    suffix = parsed.suffix
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    before_noun = (
        nxt is not None
        and nxt.is_alpha
        and ((nxt.lower_,) in nb.UNIT_PHRASES or nxt.tag_ in ("NNS", "NNPS"))
    )
    if suffix:
        if (currency_name or currency or before_noun) and suffix.lower().rstrip(".") in (
            nb.CURRENCY_ONLY_SCALES
        ):
            value *= nb.CURRENCY_ONLY_SCALES[suffix.lower().rstrip(".")]
            scaled = True
        else:
            glued = nb.glued_unit(suffix)
            if glued is None:
                return None
            scale, glued_info = glued
            value *= scale
            scaled = scale != 1.0
            if glued_info is not None:
                unit = glued_info
    change = "<" if prefix == "sub-" else ("up" if prefix == "+" else "=")
    start = tok.idx if prefix and prefix not in ("to-",) else tok.idx + parsed.num_start
    if prefix == "to-":
        start = tok.idx + 3
    j = i + 1
    n = len(doc)
    while j < n and not suffix:
        w = doc[j].lower_
        if w in nb.SCALE_WORDS and w not in ("k", "b"):
            value *= nb.SCALE_WORDS[w]
            scaled = True
        elif (
            w in ("m", "bn", "mn", "b")
            and not doc[j - 1].whitespace_
            and j + 1 < n
            and (
                currency_name
                or (doc[j + 1].lower_,) in nb.UNIT_PHRASES
                or doc[j + 1].tag_ in ("NNS", "NNPS")
            )
        ):
            value *= nb.SCALE_WORDS.get(w, 1e6)
            scaled = True
        elif currency_name and w in nb.CURRENCY_ONLY_SCALES and not doc[j - 1].whitespace_:
            value *= nb.CURRENCY_ONLY_SCALES[w]
            scaled = True
        else:
            break
        j += 1
    end_tok = doc[j - 1]
    end = end_tok.idx + len(end_tok) if j > i + 1 else tok.idx + len(tok)
    return _Num(
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
    )


_CURRENCY_TOKENS = frozenset({"$", "€", "£", "¥", "₹", "₪", "US$", "HK$", "C$", "A$"})
#: Words that can begin a spelled-out number (see :func:`_word_number`); any other word must
#: hold a digit or a hyphen ("twenty-five", "two-thirds") to begin one.
_NUMBER_WORDS = frozenset({"a", "an", "half", *nb.VAGUE_WORDS, *nb.UNITS_WORDS, *nb.TENS_WORDS})
_ANY_DIGIT = re.compile(r"\d")


def _may_start_number(text: str, lower: str) -> bool:
    """False only where :func:`_read_number` is sure to read nothing (most words)."""
    return (
        lower in _NUMBER_WORDS
        or "-" in lower
        or text in _CURRENCY_TOKENS
        or _ANY_DIGIT.search(text) is not None
    )


def _number_starts(doc: Doc) -> list[bool]:
    """:func:`_may_start_number` of every token, decided once per distinct word.

    Why: trying :func:`_read_number` at every token was half of figure extraction, nearly all
    of it on words that cannot begin a number.
    """
    strings = doc.vocab.strings
    decided: dict[int, bool] = {}
    starts: list[bool] = []
    for orth, lower in doc.to_array(["ORTH", "LOWER"]).tolist():
        may = decided.get(orth)
        if may is None:
            may = decided[orth] = _may_start_number(strings[orth], strings[lower])
        starts.append(may)
    return starts


def _read_number(doc: Doc, i: int) -> _Num | None:
    """Read any number at token ``i``, with a currency symbol token before it if present."""
    tok = doc[i]
    if tok.text in _CURRENCY_TOKENS and i + 1 < len(doc):
        num = _digit_number(doc, i + 1, currency=True)
        if num is None or num.currency or (num.unit is not None and num.unit.kind != "currency"):
            return None
        name = nb.CURRENCY_PREFIX.get(tok.lower_, "dollar")
        start = tok.idx
        if tok.text == "$" and i > 0 and doc[i - 1].lower_ in nb.DOLLAR_COUNTRY:
            name = nb.DOLLAR_COUNTRY[doc[i - 1].lower_]
            start = doc[i - 1].idx
        value = num.value
        j, end, scaled = num.j, num.end, num.scaled
        # "$5.4 m" / "$2 bn" split by the tokenizer
        if not scaled and j < len(doc) and doc[j].lower_.rstrip(".") in nb.CURRENCY_ONLY_SCALES:
            value *= nb.CURRENCY_ONLY_SCALES[doc[j].lower_.rstrip(".")]
            end = doc[j].idx + len(doc[j])
            j += 1
            scaled = True
        return _Num(
            i,
            j,
            start,
            end,
            value,
            unit=nb.UnitInfo(name, "currency"),
            currency=True,
            scaled=scaled,
        )
    num = _digit_number(doc, i)
    if num is not None:
        return num
    return _word_number(doc, i)


def _read_unit(doc: Doc, num: _Num) -> _Unit | None:
    """Read a unit phrase written right after ``num`` (longest match), e.g. "per cent", "km/h"."""
    j = num.j
    n = len(doc)
    k = j
    if k < n and doc[k].text in _DASHES and not doc[k - 1].whitespace_:
        k += 1  # "16-year-old", "12-inch"
    for size in range(min(nb.MAX_UNIT_TOKENS, n - k), 0, -1):
        words = tuple(t.lower_ for t in doc[k : k + size])
        info = nb.UNIT_PHRASES.get(words)
        if size == 1 and doc[k].text in nb.CASED_UNITS:
            info = nb.CASED_UNITS[doc[k].text]
        if info is None:
            continue
        if size == 1 and words[0] in nb.GLUED_ONLY and doc[k - 1].whitespace_:
            continue
        if info.name == "year of age" or k == j or words[0] in ("-year-old", "year-old"):
            last = doc[k + size - 1]
            return _Unit(info, k + size, last.idx + len(last))
        if k > j and info.kind in ("length", "mass", "duration", "other", "area", "speed"):
            last = doc[k + size - 1]
            return _Unit(info, k + size, last.idx + len(last))
    return None


def _read_rate(doc: Doc, j: int) -> tuple[str, int, int] | None:
    """Read "per barrel", "a year", "/h" after a unit: returns (name, next token, end char)."""
    n = len(doc)
    if j + 1 >= n:
        return None
    w = doc[j].lower_
    if w in ("per", "/"):
        for size in range(min(3, n - j - 1), 0, -1):
            words = tuple(t.lower_ for t in doc[j + 1 : j + 1 + size])
            info = nb.UNIT_PHRASES.get(words)
            if info is not None:
                last = doc[j + size]
                return info.name, j + 1 + size, last.idx + len(last)
        nxt = doc[j + 1]
        if nxt.pos_ in _UNIT_NOUN_POS or nxt.lower_ in nb.RATE_TIME_UNITS:
            return nxt.lemma_.lower(), j + 2, nxt.idx + len(nxt)
    if w in ("a", "an", "each", "every") and doc[j + 1].lower_ in nb.RATE_TIME_UNITS:
        nxt = doc[j + 1]
        if j + 2 < n and doc[j + 2].lower_ in ("ago", "earlier", "later", "before", "after"):
            return None
        return nb.RATE_TIME_UNITS[nxt.lower_], j + 2, nxt.idx + len(nxt)
    if (
        w in ("a", "per")
        and j + 2 < n
        and doc[j + 1].text in _DASHES
        and (doc[j + 2].lower_ in nb.RATE_TIME_UNITS)
    ):
        tok = doc[j + 2]
        return nb.RATE_TIME_UNITS[tok.lower_], j + 3, tok.idx + len(tok)
    if w.startswith(("a-", "per-")) and w.split("-", 1)[1] in nb.RATE_TIME_UNITS:
        tok = doc[j]
        return nb.RATE_TIME_UNITS[w.split("-", 1)[1]], j + 1, tok.idx + len(tok)
    return None


def _qualifier_before(doc: Doc, i: int) -> tuple[str, int] | None:
    """Longest qualifier phrase ending just before token ``i``: (change, first token index)."""
    for size in range(min(nb.MAX_QUALIFIER_TOKENS, i), 0, -1):
        words = tuple(t.lower_ for t in doc[i - size : i])
        change = nb.QUALIFIERS_BEFORE.get(words)
        if change is not None:
            return change, i - size
    return None


def _is_year_like(doc: Doc, num: _Num, unit: nb.UnitInfo | None) -> bool:
    """A bare four-digit integer that reads as a year ("in 2014", "the 2019 list")."""
    tok = doc[num.i]
    if not (num.digits and unit is None and not num.scaled and num.j == num.i + 1):
        return False
    if not (tok.text.isdigit() and len(tok.text) == 4 and 1000 <= num.value <= 2100):
        return False
    head = tok.head
    plural_count = (
        tok.dep_ == "nummod"
        and head.i > tok.i
        and head.tag_ in ("NNS", "NNPS")
        and tok.ent_type_ != "DATE"
    )
    return not plural_count


def _is_date_or_time(doc: Doc, num: _Num, unit: nb.UnitInfo | None) -> bool:
    """Days of months ("Nov. 9", "9 November"), clock times ("5:25 a.m.", "1.56pm")."""
    n = len(doc)
    prev = doc[num.i - 1] if num.i > 0 else None
    nxt = doc[num.j] if num.j < n else None
    if unit is not None:
        return False
    if prev is not None and prev.lower_ in nb.MONTHS and prev.text[0].isupper():
        return True
    if nxt is not None and nxt.lower_ in nb.MONTHS and nxt.text[0].isupper() and num.value <= 31:
        return True
    return nxt is not None and nxt.lower_ in _TIME_WORDS


def _is_identifier(doc: Doc, num: _Num, unit: nb.UnitInfo | None) -> bool:
    """Names with numbers: "Section 427", "Game 6", "S&P 500", "COVID-19", "No. 5"."""
    if unit is not None or num.i == 0 or num.high is not None or num.fraction:
        return False
    prev = doc[num.i - 1]
    tok = doc[num.i]
    if not num.digits:
        # "the Kick Six": a capitalised number word inside a name
        return tok.text[0].isupper() and not tok.is_sent_start and prev.pos_ == "PROPN"
    if prev.lower_ in _ID_WORDS:
        return True
    if prev.text in _DASHES and not prev.whitespace_ and num.i >= 2:
        before = doc[num.i - 2]
        if not before.whitespace_ and before.is_alpha:
            return True
    if prev.is_alpha and len(prev.text) == 1 and prev.lower_ not in ("a", "i"):
        return True  # "S P 500", "Model S 3"
    if tok.text[0] in "+-" and prev.is_alpha and prev.text.isupper():
        return True  # "COVID -19"
    return (
        prev.pos_ in ("PROPN", "NOUN", "X")
        and (prev.text[0].isupper() or (prev.pos_ == "PROPN" and not prev.text.islower()))
        and not prev.is_sent_start
        and prev.lower_ not in nb.MONTHS
    )


def _is_one_pronoun(doc: Doc, num: _Num) -> bool:
    """Whether "one" is a pronoun ("each one", "the same one") rather than a count."""
    tok = doc[num.i]
    if tok.lower_ != "one" or num.j != num.i + 1:
        return False
    if num.i > 0 and doc[num.i - 1].lower_ in _ONE_BLOCKERS:
        return True
    nxt = doc[num.j] if num.j < len(doc) else None
    if nxt is not None and (nxt.lower_ == "of" or (nxt.lower_,) in nb.UNIT_PHRASES):
        return False
    return not (tok.dep_ == "nummod" and tok.head.pos_ in _UNIT_NOUN_POS)


_DROP_POS = frozenset(
    {
        "DET",
        "ADP",
        "PRON",
        "CCONJ",
        "SCONJ",
        "PART",
        "AUX",
        "ADV",
        "PUNCT",
        "NUM",
        "SYM",
        "X",
        "SPACE",
        "INTJ",
    }
)


def _content_lemmas(tokens: list[Token], *, keep_verbs: bool = False) -> str | None:
    """NewsQuant-style counted-noun unit: lowercase lemmas of content words.

    Hyphenated compounds ("first-team", "coal-fired") are kept whole; determiners, adpositions,
    pronouns, adverbs, numbers and (unless ``keep_verbs``) verbs are dropped.
    """
    groups: list[list[Token]] = []
    for t in tokens:
        glued = groups and (
            (t.text in _DASHES and not t.whitespace_)
            or (groups[-1][-1].text in _DASHES and not groups[-1][-1].whitespace_)
        )
        if glued and not (t.text in _DASHES and t.whitespace_):
            groups[-1].append(t)
        else:
            groups.append([t])
    parts: list[str] = []
    for group in groups:
        while len(group) > 1 and group[0].text in _DASHES:
            group = group[1:]
        if len(group) > 1 and group[-1].text not in _DASHES:
            if any(t.pos_ == "NUM" or t.text[:1].isdigit() for t in group):
                continue
            parts.append(
                "".join(t.lemma_.lower() if t.i == group[-1].i else t.lower_ for t in group)
            )
            continue
        t = group[0]
        if t.pos_ in _DROP_POS or t.text[:1].isdigit() or t.text in _DASHES:
            continue
        if t.lower_ in ("more", "less", "fewer", "additional"):
            continue
        if t.pos_ == "VERB" and not keep_verbs:
            continue
        parts.append(t.lemma_.lower())
    return " ".join(parts) or None


_PHONE = re.compile(r"(?:\d{3}\)?[\s.-]?)?\d{3}[-.]\d{4}(?!\d)|\d{3}\)\s?\d{3}")

_NON_COUNT_HEADS = frozenset({"%", "percent", "per", "cent"})


def _counted(doc: Doc, num: _Num, end_i: int) -> tuple[str, str, Token | None] | None:
    """What the number ending before token ``end_i`` counts: (unit, surface, head noun)."""
    n = len(doc)
    start_i = num.i
    if end_i < n and doc[end_i].lower_ == "of" and end_i + 1 < n:
        pobj = next((c for c in doc[end_i].children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.pos_ in ("PRON", "NUM") or pobj.tag_ == "WDT":
            return None
        if num.high is not None or num.scaled or not (num.fraction or num.value == 1):
            tokens = [c for c in pobj.lefts if c.dep_ in ("amod", "compound", "poss")] + [pobj]
            unit = _content_lemmas(tokens)
            first = tokens[0].i
        else:
            relcl = {t.i for c in pobj.children if c.dep_ == "relcl" for t in c.subtree}
            tokens = [t for t in pobj.subtree if t.i not in relcl]
            unit = _content_lemmas(tokens, keep_verbs=True)
            first = tokens[0].i
        while first < pobj.i and (doc[first].pos_ in ("DET", "PRON") or doc[first].is_punct):
            first += 1
        if unit is None:
            return None
        return unit, doc[first : max(t.i for t in tokens) + 1].text, pobj
    head: Token | None = None
    for t in doc[start_i:end_i]:
        h = t.head
        if (
            not (start_i <= h.i < end_i)
            and h.i >= end_i
            and h.pos_ in _UNIT_NOUN_POS
            and (t.dep_ in ("nummod", "amod", "compound", "quantmod", "nmod"))
        ):
            head = h
            break
    if head is None and num.fraction and end_i < n and doc[end_i].tag_ == "DT":
        k = end_i + 1
        while k < n and doc[k].pos_ in ("ADJ", "NOUN", "PROPN"):
            k += 1
        if k > end_i + 1:
            head = doc[k - 1]
    if head is None:
        tok = doc[start_i]
        if tok.dep_ == "conj" and tok.head.pos_ == "NOUN" and tok.head.i < start_i:
            h = tok.head
            return h.lemma_.lower(), h.text, h  # "another pick or two"
        return None
    between = doc[end_i : head.i]
    if num.fraction and head is not None:
        return head.lemma_.lower(), doc[end_i : head.i + 1].text, head
    if any(c.lower_ in ("last", "next", "this") for c in head.lefts):
        return None  # "2.1 last year"
    if head.i - end_i > 5 or any(
        t.pos_ in ("DET", "PRON", "ADP", "PUNCT") and t.text not in _DASHES for t in between
    ):
        return None
    if head.lower_ in nb.MONTHS or head.lower_ in _NON_COUNT_HEADS:
        return None
    # "the 12 page document": a singular noun right after the number is the counted thing
    if (
        between
        and between[0].tag_ == "NN"
        and between[0].dep_ == "compound"
        and (num.value != 1 and head.tag_ == "NN")
    ):
        head = between[0]
    tokens = list(doc[end_i : head.i + 1])
    left = [
        c
        for c in head.lefts
        if start_i - 2 <= c.i < start_i
        and c.dep_ in ("amod", "compound", "nmod")
        and c.pos_ in ("ADJ", "NOUN")
    ]
    unit = _content_lemmas(left + tokens)
    if unit is None:
        return None
    return unit, doc[end_i : head.i + 1].text, head


def _verb_change(doc: Doc, start_i: int, end_i: int) -> str:
    """up/down when the figure is the amount of a verb of change ("rose 5%", "fell by 2")."""
    root = next((t for t in doc[start_i:end_i] if not (start_i <= t.head.i < end_i)), None)
    if root is None:
        return "="
    while root.dep_ == "conj" and root.head is not root and root.head.pos_ != "VERB":
        root = root.head
    head = root.head
    if root.dep_ == "pobj":
        if head.lower_ not in ("by", "between"):
            return "="
        head = head.head
    elif root.dep_ not in (
        "dobj",
        "npadvmod",
        "advmod",
        "attr",
        "obj",
        "nsubj",
        "prep",
        "ccomp",
        "conj",
        "appos",
    ):
        return "="
    lemma = head.lemma_.lower()
    if head.pos_ in ("VERB", "AUX", "ADV", "ADP"):
        if lemma in nb.UP_VERBS:
            return "up"
        if lemma in nb.DOWN_VERBS:
            return "down"
    return "="


def _kind_and_unit(
    doc: Doc, num: _Num, end_i: int, unit: nb.UnitInfo | None
) -> tuple[str, str | None, str | None, bool]:
    """Kind, unit name, counted surface and whether the counted head is a singular name."""
    if unit is not None:
        return unit.kind, unit.name, None, False
    counted = _counted(doc, num, end_i)
    if num.fraction:
        return (
            "other",
            "% " + (counted[0] if counted else "-"),
            (counted[1] if counted else None),
            False,
        )
    if counted is None:
        return ("count" if num.high is not None else "other"), None, None, False
    name, surface, head = counted
    if head is not None and (head.lower_,) in nb.UNIT_PHRASES:
        info = nb.UNIT_PHRASES[(head.lower_,)]
        if info.kind in ("duration", "length", "mass", "currency", "area", "percent"):
            return info.kind, info.name, None, False
    proper_name = head is not None and head.tag_ == "NNP" and num.digits and num.high is None
    if head is not None and head.i + 1 < len(doc) and doc[head.i + 1].lower_ in ("per", "a", "an"):
        rate = _read_rate(doc, head.i + 1)
        if rate is not None and rate[0] in nb.RATE_TIME_UNITS.values():
            name = f"{name} per {rate[0]}"  # "three thousand tests per day"
    return "count", name, surface, proper_name


def _is_age(doc: Doc, num: _Num) -> bool:
    """A bare whole number that is a person's age: "Maddon, 66, has", "He will be 35"."""
    i, j = num.i, num.j
    if not num.digits or not (0 < num.value < 120) or num.value != int(num.value):
        return False
    if i >= 2 and j < len(doc) and doc[i - 1].text == "," and doc[j].text == ",":
        before = doc[i - 2]
        if before.ent_type_ == "PERSON" or (before.pos_ == "PROPN" and doc[i].dep_ == "appos"):
            return True
    tok = doc[i]
    if tok.dep_ in ("attr", "acomp") and tok.head.lemma_ in ("be", "turn"):
        subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        return subj is not None and (
            subj.lower_ in ("he", "she", "i") or subj.ent_type_ == "PERSON"
        )
    return False


def _ordinal(doc: Doc, i: int) -> Figure | None:
    tok = doc[i]
    low = tok.lower_
    value: float | None = None
    if low in nb.ORDINAL_WORDS and tok.tag_ in ("JJ", "RB"):
        value = float(nb.ORDINAL_WORDS[low])
    else:
        parsed = nb.parse_digits(tok.text)
        if (
            parsed is not None
            and parsed.suffix.lower() in ("st", "nd", "rd", "th")
            and not (parsed.prefix)
        ):
            value = parsed.value
    if value is None:
        return None
    return Figure(
        tok.text, tok.idx, tok.idx + len(tok), value, None, None, "=", "ordinal", "other", None
    )


def extract_figures(doc: Doc, *, include_ordinals: bool = False) -> Iterator[Figure]:
    """Yield every figure in ``doc``: values, ranges, units, qualifiers and counted nouns.

    Years, dates, clock times and identifiers ("Section 427", "COVID-19") are skipped.

    Args:
        doc: A document parsed with tagger, parser, lemmatizer and ner.
        include_ordinals: Also yield ordinals ("third", "10th") with unit "ordinal".

    Yields:
        Figures in document order; ``doc.text[f.start:f.end] == f.text``.
    """
    n = len(doc)
    may_start = _number_starts(doc)
    i = 0
    last: Figure | None = None
    last_end_i = -1
    last_sent = -1
    while i < n:
        num = _read_number(doc, i) if may_start[i] else None
        if num is None or num.continues_range:
            if include_ordinals:
                ordinal = _ordinal(doc, i)
                if ordinal is not None:
                    yield ordinal
            i += 1
            continue
        sent_start = doc[i].sent.start
        prev = last if last_sent == sent_start else None
        figure, end_i = _build(doc, num, prev, last_end_i)
        if figure is None:
            i = max(i + 1, end_i)
            continue
        yield figure
        last, last_end_i, last_sent = figure, end_i, sent_start
        i = end_i


def _range_second(doc: Doc, num: _Num, j: int, between: bool) -> _Num | None:
    """The upper end of a range written after ``num`` at token ``j``, if any."""
    n = len(doc)
    if num.high is not None or num.fraction or j >= n:
        return None
    connector = doc[j]
    k = j + 1
    second: _Num | None = None
    dash = connector.text in _DASHES and not doc[j - 1].whitespace_ and not connector.whitespace_
    if (
        connector.lower_ == "to"
        or (connector.lower_ == "and" and between)
        or dash
        or (connector.text == "–")
    ):
        if k < n and dash and doc[k].lower_.startswith("to-"):
            second = _digit_number(doc, k)
        elif k < n:
            second = _read_number(doc, k)
            if second is not None and second.continues_range:
                second = None
    elif connector.lower_.startswith("to-"):
        second = _digit_number(doc, j)
    if second is None or second.high is not None or second.fraction:
        return None
    if dash and doc[k].text.startswith("0"):
        return None  # codes: "12-07"
    if connector.lower_ == "to" and second.digits != num.digits and not num.fraction:
        return None
    return second


def _build(doc: Doc, num: _Num, last: Figure | None, last_end_i: int) -> tuple[Figure | None, int]:
    """Complete a number into a figure (unit, range, qualifier, counted noun), or reject it."""
    n = len(doc)
    if _is_one_pronoun(doc, num):
        return None, num.j
    phone = _PHONE.match(doc_text(doc), doc[num.i].idx)
    if phone is not None and num.digits:  # "555-0199", "(212) 555-0143": not figures
        k = num.i
        while k < n and doc[k].idx < phone.end():
            k += 1
        return None, k
    # "five-year award": a spelled-out number glued to a time word is an adjective, not a figure
    if (
        not num.digits
        and num.j + 1 < n
        and doc[num.j].text in _DASHES
        and (
            not doc[num.j].whitespace_
            and (doc[num.j + 1].lower_,) in nb.UNIT_PHRASES
            and nb.UNIT_PHRASES[(doc[num.j + 1].lower_,)].kind == "duration"
            and not (num.j + 3 < n and doc[num.j + 3].lower_ == "old")
        )
    ):
        return None, num.j + 2
    unit = num.unit
    unit_read = _read_unit(doc, num)
    j, end = num.j, num.end
    if unit_read is not None and (unit is None or unit_read.info.kind == "currency"):
        unit, j, end = unit_read.info, unit_read.j, unit_read.end
    elif num.currency and j < n and doc[j].lower_ in nb.DOLLAR_SUFFIX:
        unit = nb.UnitInfo(nb.DOLLAR_SUFFIX[doc[j].lower_], "currency")
        end = doc[j].idx + len(doc[j])
        j += 1
    rate = _read_rate(doc, j) if j < n else None
    if rate is not None and unit is not None:
        j, end = rate[1], rate[2]
    # sign and qualifier before the number
    start = num.start
    value = num.value
    first_i = num.i
    if (
        num.i > 0
        and doc[num.i - 1].lower_ in ("minus", "-")
        and num.digits
        and (doc[num.i - 1].lower_ == "minus" or not doc[num.i - 1].whitespace_)
        and (num.i < 2 or doc[num.i - 2].whitespace_ or doc[num.i - 1].lower_ == "minus")
    ):
        value = -value
        first_i = num.i - 1
        start = doc[first_i].idx
    qualifier = _qualifier_before(doc, first_i)
    q_start = qualifier[1] if qualifier else first_i
    between = q_start > 0 and doc[q_start - 1].lower_ == "between"
    # ranges: "1,000 to 1,500", "5-10", "between 5 and 10", "200,000 to-260,000"
    base_change = _verb_change(doc, num.i, j)
    from_range = num.i > 0 and doc[first_i - 1].lower_ == "from"
    second = None
    if (
        base_change == "="
        or from_range
        or between
        or unit is None
        or (doc[num.i].head.lower_ == "by")
    ):
        second = _range_second(doc, num, j, between)
    low_v, high_v = value, num.high
    if second is not None:
        if _is_year_like(doc, num, None) and (
            _is_year_like(doc, second, None) or second.value < 100
        ):
            return None, second.j
        unit2 = _read_unit(doc, second)
        u2 = unit2.info if unit2 is not None else second.unit
        if (
            unit is not None
            and u2 is not None
            and unit.name != u2.name
            and not (unit.kind == u2.kind == "currency")
        ):
            second = None
        else:
            high_v = second.value
            if (
                second.scaled
                and not num.scaled
                and abs(value) < abs(second.value) / _scale_of(second)
            ):
                low_v = value * _scale_of(second)
            j, end = second.j, second.end
            if unit2 is not None:
                j, end = unit2.j, unit2.end
            if unit is None:
                unit = u2
            rate2 = _read_rate(doc, j) if j < n else None
            if rate2 is not None and unit is not None:
                rate = rate2
                j, end = rate2[1], rate2[2]
    is_range = high_v is not None and high_v != low_v
    if not is_range:
        high_v = None
    if (
        second is None
        and num.high is None
        and (
            _is_year_like(doc, num, unit)
            or _is_date_or_time(doc, num, unit)
            or _is_identifier(doc, num, unit)
        )
    ):
        return None, num.j
    if unit is None and _is_age(doc, num):
        unit = nb.UnitInfo("year of age", "duration")
    # "one of four mission concepts", "one out of three Germans": a fraction
    fraction_of = None
    if unit is None and not is_range and num.digits is False and j + 1 < n:
        k = (
            j + 1
            if doc[j].lower_ == "of"
            else (j + 2 if doc[j].lower_ == "out" and doc[j + 1].lower_ == "of" else -1)
        )
        if k > 0 and k < n:
            whole = _read_number(doc, k)
            if (
                whole is not None
                and not whole.fraction
                and whole.high is None
                and (whole.value > low_v > 0 and not whole.scaled)
            ):
                fraction_of = whole
    if fraction_of is not None:
        low_v = low_v / fraction_of.value
        counted = _counted(doc, fraction_of, fraction_of.j)
        j, end = fraction_of.j, fraction_of.end
        if counted is not None:
            end = max(end, counted[2].idx + len(counted[2]) if counted[2] is not None else end)
        unit_out = "% " + (counted[0] if counted else "-")
        kind, counted_surface = "other", counted[1] if counted else None
    else:
        kind, unit_out, counted_surface, proper = _kind_and_unit(doc, num, j, unit)
        if proper and unit is None:
            return None, num.j  # "787 Dreamliner", "16 Industrial Avenue": names
        if unit is not None:
            unit_out = unit.name
    if rate is not None and unit_out and unit is not None:
        unit_out = f"{unit_out} per {rate[0]}"
    # a bare number takes the unit of the figure before it in the sentence:
    # "435 homes by open sale and 187 by tender", "84.75 cents, the lowest is 74.07"
    if (
        unit_out is None
        and last is not None
        and last.unit
        and not num.fraction
        and (second is None and doc_text(doc)[last.start - 1 : last.start] != "(")
        and (last.kind != "percent" or doc[num.i].head.lower_ not in ("to", "at"))
        and last.unit != "year of age"
        and doc[num.i].dep_ != "nummod"
    ):
        unit_out, kind = last.unit, last.kind
    # qualifiers and change
    change = num.change
    if qualifier is not None:
        change = qualifier[0]
        start = doc[qualifier[1]].idx
    if between and second is not None:
        start = doc[q_start - 1].idx
    if j < n:
        for after, sym in nb.QUALIFIERS_AFTER.items():
            words = tuple(t.lower_ for t in doc[j : j + len(after)])
            if words == after and change == "=":
                change = sym
                last_tok = doc[j + len(after) - 1]
                end = last_tok.idx + len(last_tok)
                j += len(after)
                break
    if (
        change == "="
        and num.j < n
        and doc[num.j].lower_ == "more"
        and unit is None
        and (num.j + 1 < n and doc[num.j + 1].pos_ == "NOUN")
    ):
        change = ">"  # "eight more picks" (NewsQuant convention)
    if change == "=":
        prev_i = q_start - 1
        if (
            prev_i >= 0
            and doc[prev_i].lower_ in ("up", "down")
            and (
                doc[prev_i].dep_ != "prt"
                or doc[prev_i].head.lemma_ in ("be", "trend", "edge", "inch", "tick", "move")
            )
        ):
            change = doc[prev_i].lower_
        elif prev_i >= 0 and doc[prev_i].text == "+" and not doc[prev_i].whitespace_:
            change = "up"
            start = doc[prev_i].idx
        elif not from_range:
            change = _verb_change(doc, num.i, j) if second is not None else base_change
    # parenthetical conversions inherit the qualifier: "more than 100 km (60 miles)"
    if last is not None and change == "=" and 0 <= last_end_i <= q_start:
        gap = doc[last_end_i:q_start]
        if 0 < len(gap) <= 2 and all(t.text in ("(", "/", "[") for t in gap):
            change = last.change
    text = doc_text(doc)[start:end]
    if is_range:
        lo, hi = sorted((low_v, high_v))  # type: ignore[type-var]
        return Figure(text, start, end, None, lo, hi, change, unit_out, kind, counted_surface), j
    return Figure(text, start, end, low_v, None, None, change, unit_out, kind, counted_surface), j


def _scale_of(num: _Num) -> float:
    """The scale factor a scaled number was multiplied by (1e6 for "1.5 million")."""
    if not num.scaled:
        return 1.0
    for scale in (1e12, 1e9, 1e6, 1e3):
        if abs(num.value) >= scale:
            return scale
    return 1.0
