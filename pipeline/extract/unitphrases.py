"""The unit written after a number: "per cent", "km/h", "5 C", "10'", "20 a of land", "/h".

Read over spaCy tokens after a :class:`pipeline.extract.quantities.Num`; the surfaces are in
``data/figures/units.toml`` (see :mod:`pipeline.extract.lexicon`). A surface that means several
units comes back with its candidates, for the disambiguator (:mod:`pipeline.extract.unitsense`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.extract.lexicon import UnitInfo, lexicon
from pipeline.extract.quantities import DASHES, UNIT_NOUN_POS, Num, end_of

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Kinds of unit a dash may join to the amount before it ("12-inch", "a 10-pound trout").
_DASHED_KINDS = frozenset({"length", "mass", "duration", "other", "area", "speed"})


@dataclass(frozen=True, slots=True)
class UnitSpan:
    """A unit read after a number, ending before token ``j`` / char ``end``.

    ``candidates`` holds the units an ambiguous surface may mean (first: the fallback);
    ``glued``: no space between the amount and the surface ("5C", "9.8″", "12-inch").
    """

    info: UnitInfo
    j: int
    end: int
    surface: str = ""
    candidates: tuple[UnitInfo, ...] = ()
    glued: bool = False


_QUOTES = frozenset({"'", '"'})
#: Time units of a rate ("$5 a day", "twice a week", "per annum").
RATE_UNITS = frozenset(
    {"second", "minute", "hour", "day", "week", "month", "year", "night", "quarter"}
)
#: Parts of speech of a word that the article "a" may begin a noun phrase with.
_NOMINAL = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "DET", "ADV", "PRON", "X", "SYM"})


def _quote_opened(doc: Doc, i: int) -> bool:
    """Whether a quotation mark opened before token ``i`` is still open.

    Counted in the sentence, and for double quotes from the paragraph's start (a quotation
    runs over sentences; single quotes are counted in the sentence only, since the tokenizer
    splits a plural's apostrophe, "players'", into the same token). A mark glued to digits is
    a unit (5' 9", 69"), not a quotation mark.
    """
    mark = doc[i].text
    start = doc[i].sent.start
    if mark == '"':
        while start > 0 and "\n" not in doc[start - 1].whitespace_ + doc[start - 1].text:
            start -= 1
    marks = sum(1 for t in doc[start:i] if t.text == mark and not _after_digits(doc, t.i))
    return marks % 2 == 1


def _after_digits(doc: Doc, k: int) -> bool:
    return k > 0 and not doc[k - 1].whitespace_ and doc[k - 1].text[-1:].isdigit()


def _article_unit(doc: Doc, num: Num, k: int, glued: bool) -> bool:
    """Whether an article-like symbol at ``k`` ("20 a of land") is a unit, not "a" + noun.

    It is where no noun phrase follows that it could begin, or where a determiner comes before
    the amount ("a 5 a plot", "her 20 a career": no article follows "a 5"), unless a rate's
    time unit follows ("the 5 a day campaign").
    """
    if glued:
        return False
    nxt = doc[k + 1] if k + 1 < len(doc) else None
    if nxt is None or nxt.pos_ not in _NOMINAL:
        return True
    before = doc[num.i - 1] if num.i > 0 else None
    determined = before is not None and before.tag_ in ("DT", "PRP$", "POS")
    return determined and nxt.lower_ not in RATE_UNITS


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
        and ((surface.lower(),) not in lex.unit_phrases or surface[:-1] in lex.ambiguous)
    ):
        surface = surface[:-1]  # "600 P." is the ambiguous "P", not the point's "p."
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
        if surface in _QUOTES and (not glued or _quote_opened(doc, k)):
            continue  # 10' is ten feet; 'I was 10' closes a quotation
        if size == 1 and surface in lex.article_units and not _article_unit(doc, num, k, glued):
            continue
        if size == 1 and surface.lower() in lex.glued_only and not glued and not candidates:
            continue
        end = end_of(doc, k + size)
        if size == 1:
            end -= len(doc[k].text) - len(surface)  # "5 V." ends before the sentence's period
        if info.name == "year of age" or k == j or surface.lower() in ("-year-old", "year-old"):
            return UnitSpan(info, k + size, end, surface, candidates, glued)
        if k > j:  # after a dash, "a 10-pound trout": a unit a thing can measure
            fits = [c for c in candidates or (info,) if c.kind in _DASHED_KINDS]
            if fits:
                kept = tuple(fits) if len(fits) > 1 else ()
                return UnitSpan(fits[0], k + size, end, surface, kept, glued)
    return None


def read_rate(doc: Doc, j: int) -> tuple[str, int, int] | None:
    """Read "per barrel", "a year", "/h" after a unit: returns (name, next token, end char)."""
    lex = lexicon()
    rate_units = RATE_UNITS
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
                return info.name, j + 1 + size, end_of(doc, j + 1 + size)
        nxt = doc[j + 1]
        if nxt.pos_ in UNIT_NOUN_POS or nxt.lower_ in rate_units or nxt.lower_ == "annum":
            name = "year" if nxt.lower_ == "annum" else nxt.lemma_.lower()
            return name, j + 2, end_of(doc, j + 2)
    if w in ("a", "an") and j + 1 < n:  # "$84.50 a barrel": a unit that is not ambiguous
        info = lex.unit_phrases.get((doc[j + 1].lower_,))
        plain = doc[j + 1].text not in lex.ambiguous and doc[j + 1].lower_ not in lex.ambiguous
        if info is not None and plain and info.kind in ("other", "mass", "length", "area"):
            return info.name, j + 2, end_of(doc, j + 2)
    if w in ("a", "an") and doc[j + 1].lower_ in lex.groups:  # "64.2 cents a dozen"
        return doc[j + 1].lower_, j + 2, end_of(doc, j + 2)
    if w in ("a", "an", "each", "every") and doc[j + 1].lower_ in rate_units | {"annum"}:
        nxt = doc[j + 1]
        if j + 2 < n and doc[j + 2].lower_ in ("ago", "earlier", "later", "before", "after"):
            return None
        return ("year" if nxt.lower_ == "annum" else nxt.lower_), j + 2, end_of(doc, j + 2)
    if (
        w in ("a", "per")
        and j + 2 < n
        and doc[j + 1].text in DASHES
        and doc[j + 2].lower_ in rate_units
    ):
        return doc[j + 2].lower_, j + 3, end_of(doc, j + 3)
    if w.startswith(("a-", "per-")) and w.split("-", 1)[1] in rate_units:
        return w.split("-", 1)[1], j + 1, end_of(doc, j + 1)
    return None
