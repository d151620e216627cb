"""Figures: every number in the news, with its unit, qualifier and what it counts.

Textacy ``extract`` style: :func:`extract_figures` walks a parsed spaCy ``Doc`` (tagger, parser,
lemmatizer, ner) and yields frozen :class:`Figure` records. The rules are data
(``pipeline/extract/data/figures/*.toml``, loaded by :mod:`pipeline.extract.lexicon`: number
words, scale words and letters, units from pint, currencies from ISO 4217, qualifiers, and what
is not a figure) read by a short grammar over tokens:

- :mod:`pipeline.extract.numbers`: a number inside one token ("$2bn", "~3.5", "98.6degF");
- :mod:`pipeline.extract.quantities`: numbers over tokens (number words of any length,
  fractions, multiples, money);
- :mod:`pipeline.extract.unitphrases`: the unit written after a number, and rates ("per day");
- :mod:`pipeline.extract.ranges`: ranges and bounds ("5 to 10", "$50-$60", "more than 10 and
  less than 40");
- :mod:`pipeline.extract.composite`: shares ("one in five") and a whole with its part
  ("3 dollars 50 cents");
- :mod:`pipeline.extract.counted`: what is counted, the verb of change, the qualifier;
- :mod:`pipeline.extract.notfigures`: years, dates, times, labels, indexes, scores, phones;
- :mod:`pipeline.extract.unitsense`: the learned disambiguator of surfaces that mean several
  units ("pounds", "5 C", "10'"), applied only to those.

This module completes a number into a figure: unit, range, qualifier, counted noun. Conventions
(unit names, counted nouns as units, "one", vague plurals as ``[x, 10x]``) follow the NewsQuant
gold (Almasian et al., EMNLP 2023).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the contracts import this module's vocabularies without any doc
    from spacy.tokens import Doc

from pipeline.extract import composite as cp
from pipeline.extract import counted as ctx
from pipeline.extract import notfigures as nf
from pipeline.extract import numbers as nb
from pipeline.extract import quantities as qt
from pipeline.extract import ranges as rg
from pipeline.extract import unitphrases as up
from pipeline.extract import unitsense
from pipeline.extract.lexicon import UnitInfo, lexicon
from pipeline.extract.quantities import DASHES, Num

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

# Kept for callers and tests of the token grammar.
_read_number = qt.read_number
_number_starts = qt.number_starts


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


def _ordinal(doc: Doc, i: int) -> Figure | None:
    tok = doc[i]
    low = tok.lower_
    value: float | None = None
    if low in lexicon().ordinals and tok.tag_ in ("JJ", "RB"):
        value = float(lexicon().ordinals[low])
    else:
        parsed = nb.parse_digits(tok.text)
        ordinal = parsed is not None and parsed.suffix.lower() in ("st", "nd", "rd", "th")
        if parsed is not None and ordinal and not parsed.prefix:
            value = parsed.value
    if value is None:
        return None
    end = tok.idx + len(tok)
    return Figure(tok.text, tok.idx, end, value, None, None, "=", "ordinal", "other", None)


def _pair_or_ordinal(
    doc: Doc, i: int
) -> tuple[Num | None, tuple[Num, Num] | None, tuple[Num, Num] | None]:
    """At a token no number reads at: a range in one token, a size, or an ordinal bound.

    Returns (the number to build, the range's two ends, the size's two sides).
    """
    text = doc[i].text
    if text[:1].isdigit():
        pair = rg.token_range(doc, i)
        if pair is not None:
            return pair[0], pair, None
        sides = rg.dimensions(doc, i)
        if sides is not None:
            return sides[1], None, sides
    elif text.lower() not in lexicon().ordinals:
        return None, None, None
    return rg.ordinal_bound(doc, i), None, None


def extract_figures(doc: Doc, *, include_ordinals: bool = False) -> Iterator[Figure]:
    """Yield every figure in ``doc``: values, ranges, units, qualifiers and counted nouns.

    Years, dates, clock times, identifiers ("Section 427", "COVID-19"), scores and phone
    numbers are skipped.

    Args:
        doc: A document parsed with tagger, parser, lemmatizer and ner.
        include_ordinals: Also yield ordinals ("third", "10th") with unit "ordinal".

    Yields:
        Figures in document order; ``doc.text[f.start:f.end] == f.text``.
    """
    n = len(doc)
    may_start = qt.number_starts(doc)
    i = 0
    last: Figure | None = None
    last_end_i = -1
    last_sent = -1
    pending: tuple[Figure, int] | None = None  # a bound that the next may close into a range
    while i < n:
        num = qt.read_number(doc, i) if may_start[i] else None
        pair = sides = None
        if num is None and may_start[i]:  # the rarer forms, tried only where a number may be
            num, pair, sides = _pair_or_ordinal(doc, i)
        if num is None or num.continues_range:
            if include_ordinals:
                ordinal = _ordinal(doc, i)
                if ordinal is not None:
                    yield ordinal
            i += 1
            continue
        sent_start = doc[i].sent.start
        prev = last if last_sent == sent_start else None
        figure, end_i = _build(doc, num, prev, last_end_i, pair[1] if pair else None)
        if figure is None or (
            sides is not None and (figure.unit is None or figure.kind == "count")
        ):
            i = max(i + 1, end_i)
            continue  # a size is a figure when its unit is written: "1920x1080 pixels"
        if sides is not None:
            if pending is not None:
                yield pending[0]
                pending = None
            side = sides[0]
            text = _text(doc, side.start, side.end, side.i, side.j)
            yield replace(figure, text=text, start=side.start, end=side.end, value=side.value)
        if pending is not None:
            joined = rg.join_bounds(doc, pending, figure, num)
            if joined is not None:
                figure = joined
                pending = None
            else:
                yield pending[0]
                pending = None
        if figure.change in (">", "<") and figure.value is not None:
            pending = (figure, end_i)
        else:
            yield figure
        last, last_end_i, last_sent = figure, end_i, sent_start
        i = end_i
    if pending is not None:
        yield pending[0]


def _negated(doc: Doc, num: Num) -> tuple[float, int, int]:
    """The value with a sign written before it ("minus 5", "-5", "negative ten")."""
    if num.i == 0:
        return num.value, num.i, num.start
    prev = doc[num.i - 1]
    word = prev.lower_
    spelled = word in ("minus", "negative")
    glued = word == "-" and not prev.whitespace_ and num.digits
    if (spelled or glued) and (num.i < 2 or doc[num.i - 2].whitespace_ or spelled):
        return -num.value, num.i - 1, prev.idx
    return num.value, num.i, num.start


def _disambiguated(doc: Doc, num: Num, span: up.UnitSpan | None, unit: UnitInfo | None):
    """The unit an ambiguous surface means here, by the learned disambiguator."""
    lex = lexicon()
    if span is not None and span.candidates and unit is span.info:
        number = _text(doc, num.start, num.end, num.i, num.j)
        return unitsense.choose(
            doc[num.i].sent,  # only here: finding a token's sentence walks the doc
            span.surface,
            span.candidates,
            glued=span.glued,
            value=num.value,
            number=number,
        )
    if num.surface and unit is not None:
        candidates = lex.ambiguous.get(num.surface) or lex.ambiguous.get(num.surface.lower())
        if num.currency:  # a symbol before the amount is money: "¥500" is yen or yuan
            candidates = tuple(c for c in candidates or () if c.kind == "currency")
        if candidates:
            number = _text(doc, num.start, num.end, num.i, num.j)
            return unitsense.choose(
                doc[num.i].sent,
                num.surface,
                candidates,
                glued=True,
                value=num.value,
                number=number,
            )
    return unit


def _build(
    doc: Doc, num: Num, last: Figure | None, last_end_i: int, token_second: Num | None = None
) -> tuple[Figure | None, int]:
    """Complete a number into a figure (unit, range, qualifier, counted noun), or reject it."""
    lex = lexicon()
    n = len(doc)
    if nf.is_one_pronoun(doc, num):
        return None, num.j
    if num.digits and doc[num.i].text[:3].isdigit():  # "555-0199", "(212) 555-0143"
        window = doc[num.i : min(n, num.i + 6)]
        phone = nf.PHONE.match(window.text)
        if phone is not None:
            k = num.i
            while k < n and doc[k].idx < window.start_char + phone.end():
                k += 1
            return None, k
    skip = nf.glued_number_word(doc, num)
    if skip is not None:
        return None, skip
    if num.suspended:
        return _suspended(doc, num), num.j
    unit = num.unit
    unit_read = up.read_unit(doc, num)
    if unit_read is None and unit is None and num.fraction:
        unit_read = _fraction_unit(doc, num)
    j, end = num.j, num.end
    if unit_read is not None and (unit is None or unit_read.info.kind == "currency"):
        unit, j, end = unit_read.info, unit_read.j, unit_read.end
    elif num.currency and j < n and doc[j].lower_ in lex.dollar_suffixes:
        unit = UnitInfo(lex.dollar_suffixes[doc[j].lower_], "currency")
        end = doc[j].idx + len(doc[j])
        j += 1
    elif unit is not None and unit.name == "degree" and j < n:  # "37deg C"
        info = lex.unit_phrases.get(("deg", doc[j].lower_))
        if info is not None and info.kind == "temperature":
            unit, j, end = info, j + 1, doc[j].idx + len(doc[j])
    unit = _disambiguated(doc, num, unit_read, unit)
    if num.part is not None:
        num = _with_part(num, unit)
    if unit is None and j + 1 < n and doc[j].lower_ in lex.size_signs:
        unit = _side_unit(doc, j + 1)
    rate = up.read_rate(doc, j) if j < n else None
    if rate is not None and unit is not None:
        j, end = rate[1], rate[2]
    value, first_i, start = _negated(doc, num)
    qualifier = ctx.qualifier_before(doc, first_i)
    q_start = qualifier[1] if qualifier else first_i
    opener = doc[q_start - 1].lower_ if q_start > 0 else ""
    between = opener == "between"
    base_change = ctx.verb_change(doc, num.i, j)
    from_range = opener == "from" or (q_start > 1 and doc[q_start - 2 : q_start].text == "range of")
    second = None
    dash = False
    if token_second is not None:
        second = token_second
    elif (
        base_change == "="
        or from_range
        or between
        or unit is None
        or (doc[num.i].head.lower_ == "by")
    ):
        found = rg.range_second(doc, num, j, between, opened=between or from_range)
        if found is not None:
            second, dash = found
    low_v, high_v = value, num.high
    if second is not None:
        if nf.is_year_like(doc, num, None) and (
            nf.is_year_like(doc, second, None) or second.value < 100
        ):
            return None, second.j
        unit2 = up.read_unit(doc, second) if token_second is None else None
        u2 = unit2.info if unit2 is not None else second.unit
        if token_second is not None:
            u2 = unit  # one token, one unit: "¥50-¥60" as disambiguated
        if dash and unit is None and u2 is None and nf.is_identifier(doc, num, None):
            return None, second.j  # "Boeing 737-800": a model number
        if nf.is_score(num, second, dash, unit or u2) and not (
            second.j < n and doc[second.j].pos_ in ("NOUN", "ADJ")
        ):  # "won 3-0" (not "a 9-2 lead", a count of what follows)
            return None, second.j
        if unit is not None and u2 is not None and not _same_unit(unit, u2):
            second = None  # "1 USD to 14.4 R", "5 km to 3 miles": two figures
        else:
            high_v = second.value
            if (
                second.scaled
                and not num.scaled
                and abs(value) < abs(second.value) / rg.scale_of(second)
            ):
                low_v = value * rg.scale_of(second)  # "$10 to $15 bn", "3 to 4 million"
            j, end = max(j, second.j), max(end, second.end)
            if unit2 is not None:
                j, end = unit2.j, unit2.end
                u2 = _disambiguated(doc, second, unit2, u2)
            if unit is None:
                unit = u2
            rate2 = up.read_rate(doc, j) if j < n else None
            if rate2 is not None and unit is not None:
                rate = rate2
                j, end = rate2[1], rate2[2]
    if num.ordinal and second is None and qualifier is None:
        return None, num.j  # "between the 10th and the 15th of May": a date, no range
    is_range = high_v is not None and high_v != low_v
    if not is_range:
        high_v = None
    if (
        second is None
        and num.high is None
        and (
            (nf.is_year_like(doc, num, unit) and (qualifier is None or qualifier[0] == "="))
            or nf.is_date_or_time(doc, num, unit)
            or nf.is_identifier(doc, num, unit)
        )
    ):
        return None, num.j
    if unit is None and nf.is_age(doc, num):
        unit = UnitInfo("year of age", "duration")
    return _finish(
        doc,
        replace(num, value=value),
        _Span(start, end, j, first_i, q_start),
        unit,
        (low_v, high_v if is_range else None),
        (qualifier, base_change, from_range, between, second is not None),
        (last, last_end_i, rate),
    )


def _fraction_unit(doc: Doc, num: Num) -> up.UnitSpan | None:
    """The unit a fraction takes of one of it: "a quarter of a dram", "half an hour".

    A fraction of one unit ("a"/"an" and a unit word) is an amount in that unit; a fraction of
    other things ("a third of the votes") stays a share of them.
    """
    k = num.j + (num.j < len(doc) and doc[num.j].lower_ == "of")
    if k + 1 >= len(doc) or doc[k].lower_ not in ("a", "an") or len(doc[k + 1].text) < 2:
        return None
    return up.read_unit(doc, replace(num, j=k + 1))


def _with_part(num: Num, unit: UnitInfo | None) -> Num:
    """The amount with the part glued after its mark: 5'9" is 5.75 feet, 4'30" 4.5 minutes.

    The part joins by the whole unit's ``[[compound]]``; without one it is left out.
    """
    compound = next((c for c in lexicon().compounds if unit is not None and c.applies(unit)), None)
    if compound is None or num.part is None or num.part >= compound.per:
        return num
    part = num.part / compound.per
    return replace(num, value=num.value + part if num.value >= 0 else num.value - part)


def _same_unit(a: UnitInfo, b: UnitInfo) -> bool:
    """One unit, maybe named twice ("$10 to 15 US dollars"; see ``[same_currency]``)."""
    groups = lexicon().same_currency
    return a.name == b.name or groups.get(a.name, -1) == groups.get(b.name, -2)


def _side_unit(doc: Doc, k: int) -> UnitInfo | None:
    """The unit of a size's other side at token ``k`` ("10 x 12 feet" gives "10" feet).

    Only a measure (a count, "2 x 4 teams", or money is no size).
    """
    other = qt.read_number(doc, k)
    if other is None or other.unit is not None:
        return None
    span = up.read_unit(doc, other)
    if span is None or span.info.kind in ("currency", "count", "percent"):
        return None
    return _disambiguated(doc, other, span, span.info)


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    j: int
    first_i: int
    q_start: int


def _finish(doc: Doc, num: Num, span: _Span, unit, values, changes, before) -> tuple:
    """Counted noun, fraction of a whole, unit of the figure before, change: the figure."""
    lex = lexicon()
    n = len(doc)
    low_v, high_v = values
    qualifier, base_change, from_range, between, has_second = changes
    last, last_end_i, rate = before
    start, end, j, q_start = span.start, span.end, span.j, span.q_start
    is_range = high_v is not None
    # "one of four mission concepts", "one out of three Germans": a fraction
    fraction_of = cp.fraction_of(doc, num, j, low_v) if unit is None and not is_range else None
    if fraction_of is not None:
        low_v = low_v / fraction_of.value
        counted = ctx.counted_noun(doc, fraction_of, fraction_of.j)
        j, end = fraction_of.j, fraction_of.end
        if counted is not None and counted[2] is not None:
            end = max(end, counted[2].idx + len(counted[2]))
        unit_out = "% " + (counted[0] if counted else "-")
        kind, counted_surface = "other", counted[1] if counted else None
    else:
        kind, unit_out, counted_surface, proper = ctx.kind_and_unit(doc, num, j, unit)
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
        and not has_second
        and not _after_paren(doc, last.start, num.i)
        and (last.kind != "percent" or doc[num.i].head.lower_ not in ("to", "at"))
        and last.unit != "year of age"
        and doc[num.i].dep_ != "nummod"
    ):
        unit_out, kind = last.unit, last.kind
    change = num.change
    if qualifier is not None:
        change = qualifier[0]
        start = doc[qualifier[1]].idx
    if between and has_second:
        start = doc[q_start - 1].idx
    if j < n and change in ("=", "~"):
        for size in (3, 2, 1):
            words = tuple(t.lower_ for t in doc[j : j + size])
            sym = lex.qualifiers_after.get(words)
            # "5000 or less than 6000": the phrase begins the next figure
            then_number = j + size < n and (
                doc[j + size].like_num or doc[j + size].lower_ == "than"
            )
            if sym is not None and len(words) == size and not then_number:
                change = sym
                end = doc[j + size - 1].idx + len(doc[j + size - 1])
                j += size
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
        change, start = _verb_or_particle(doc, q_start, start, base_change, from_range)
        if change == "=" and has_second and not from_range:
            change = ctx.verb_change(doc, num.i, j)
    # parenthetical conversions inherit the qualifier: "more than 100 km (60 miles)"
    if last is not None and change == "=" and 0 <= last_end_i <= q_start:
        gap = doc[last_end_i:q_start]
        if 0 < len(gap) <= 2 and all(t.text in ("(", "/", "[") for t in gap):
            change = last.change
    compound = next((c for c in lex.compounds if unit is not None and c.applies(unit)), None)
    whole = float(low_v).is_integer() and unit is not None and unit.name not in cp.compound_parts()
    if not is_range and compound is not None and whole and j < n:
        part = cp.minor_amount(doc, j, compound)
        if part is not None:  # "3 dollars 50 cents", "5 feet 2 inches"
            low_v = low_v + part[0] / compound.per if low_v >= 0 else low_v - part[0] / compound.per
            j, end = part[1], doc[part[1] - 1].idx + len(doc[part[1] - 1])
    text = _text(doc, start, end, min(num.i, span.first_i, q_start), j)
    if is_range:
        lo, hi = sorted((low_v, high_v))
        return Figure(text, start, end, None, lo, hi, change, unit_out, kind, counted_surface), j
    return Figure(text, start, end, low_v, None, None, change, unit_out, kind, counted_surface), j


def _suspended(doc: Doc, num: Num) -> Figure | None:
    """A suspended compound ("four-, five- and six-cylinder") takes the unit of the one ahead."""
    n = len(doc)
    for k in range(num.j, min(n - 1, num.j + 10)):
        tok = doc[k]
        joined = tok.text in DASHES and not doc[k - 1].whitespace_ and not tok.whitespace_
        if joined and doc[k + 1].is_alpha and qt.read_number(doc, k - 1) is not None:
            noun = doc[k + 1]
            info = lexicon().unit_phrases.get((noun.lower_,))
            unit, kind = (info.name, info.kind) if info else (noun.lemma_.lower(), "count")
            counted = None if info else noun.text
            text = doc[num.i].text[: num.end - num.start]
            return Figure(text, num.start, num.end, num.value, None, None, "=", unit, kind, counted)
    return None


def _after_paren(doc: Doc, offset: int, i: int) -> bool:
    """Whether the character before ``offset`` (a token start before token ``i``) is "("."""
    k = i
    while k > 0 and doc[k].idx > offset:
        k -= 1
    return doc[k].idx == offset and k > 0 and doc[k - 1].text == "(" and not doc[k - 1].whitespace_


def _text(doc: Doc, start: int, end: int, first_i: int, end_i: int) -> str:
    """``doc.text[start:end]``, read from the tokens around it.

    Building ``doc.text`` for every short doc was a tenth of figure extraction.
    """
    a = first_i
    while a > 0 and doc[a].idx > start:
        a -= 1
    b = max(end_i, a + 1)
    while b < len(doc) and doc[b - 1].idx + len(doc[b - 1]) < end:
        b += 1
    window = doc[a:b]
    offset = window.start_char
    return window.text[start - offset : end - offset]


def _verb_or_particle(
    doc: Doc, q_start: int, start: int, base_change: str, from_range: bool
) -> tuple[str, int]:
    """The change from "up 5%", "+5", or the verb that governs the figure."""
    prev_i = q_start - 1
    if (
        prev_i >= 0
        and doc[prev_i].lower_ in ("up", "down")
        and (
            doc[prev_i].dep_ != "prt"
            or doc[prev_i].head.lemma_ in ("be", "trend", "edge", "inch", "tick", "move")
        )
    ):
        return doc[prev_i].lower_, start
    if prev_i >= 0 and doc[prev_i].text == "+" and not doc[prev_i].whitespace_:
        return "up", doc[prev_i].idx
    if not from_range:
        return base_change, start
    return "=", start
