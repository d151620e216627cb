"""Figures that disagree: one story, the same counted thing and place, incompatible values.

Each figure becomes an interval from its qualifier (``figures.change``):

* ``=`` exact: the point ``[v, v]`` (a range ``[low, high]``);
* ``~`` about, some, an estimated: ``[v - 10%, v + 10%]`` (:attr:`ConflictSettings.tolerance`;
  news rounds "about 4,000" to the thousand, so 10% is the documented width);
* ``>`` more than, over: ``(v, inf)``; ``<`` less than, under: ``(-inf, v)``;
* ``up``/``down`` are changes, not levels: never compared.

Two figures conflict when their intervals do not intersect. They are compared only when they
are in different articles of the same story (within one article, different numbers are usually
different moments: "5,000 now, 4,000 after the drawdown"), neither article is a copy, they
measure the same kind, and they count the same thing at the same place, matched conservatively:

* counted thing: same head-noun lemma (a tiny synonym table: "forces" counts troops) and
  modifiers that do not contradict (one set within the other after unifying spellings:
  "USA troops" = "U.S. troops" = "American forces" = "troops", but "Iraqi troops" is not
  "U.S. troops");
* place: the resolved places in the figure's sentence; two non-empty, disjoint sets differ.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from pipeline import ids
from pipeline.across.duplicates import publication_order

_PLACE_ALIASES = (
    (re.compile(r"\bunited states( of america)?\b"), "us"),
    (re.compile(r"\bunited kingdom\b"), "uk"),
)
_TOKEN = re.compile(r"[a-z0-9][a-z0-9.'-]*")
#: Spellings of one nationality or place modifier.
_MODIFIER = {
    "us": "us",
    "u.s.": "us",
    "u.s": "us",
    "usa": "us",
    "u.s.a.": "us",
    "american": "us",
    "america": "us",
    "americans": "us",
    "uk": "uk",
    "u.k.": "uk",
    "british": "uk",
    "britain": "uk",
}
#: Words that do not narrow what is counted.
_STOP = frozenset(
    (
        "the",
        "a",
        "an",
        "of",
        "some",
        "about",
        "than",
        "other",
        "total",
        "all",
        "those",
        "these",
        "its",
        "their",
        "our",
        "his",
        "her",
        "remaining",
    )
)
#: Modifiers that make the figure a difference, not a level ("49,000 fewer jobs").
_DELTA = frozenset(
    ("more", "fewer", "less", "additional", "extra", "further", "new", "lost", "added")
)
#: A counted thing starting with a multiplier means the value lost it ("69K jobs" read as 69).
_MULTIPLIER = frozenset(
    ("k", "m", "bn", "b", "mn", "million", "billion", "thousand", "hundred", "trillion")
)
#: A place is where the figure is only after a locative preposition ("troops in Iraq"), not as a
#: nationality ("U.S. troops", "American forces"), which the counted thing already carries.
_LOCATIVE = re.compile(
    r"\b(?:in|at|inside|near|across|throughout|within|into|to|from)\s+(?:the\s+)?$", re.IGNORECASE
)
_IRREGULAR = {
    "people": "person",
    "men": "man",
    "women": "woman",
    "children": "child",
    "personnel": "personnel",
    "police": "police",
}
#: Head nouns that count the same thing (kept tiny on purpose: a wrong merge invents conflicts).
_HEAD_SYNONYMS = {"force": "troop"}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n")


@dataclass(frozen=True, slots=True)
class ConflictSettings:
    """Tuning of conflict detection.

    Attributes:
        tolerance: Half-width of an "about" interval, as a share of the value.
    """

    tolerance: float = 0.1


@dataclass(frozen=True, slots=True)
class Counted:
    """What a figure counts, normalised: head lemma and narrowing modifiers."""

    head: str
    modifiers: frozenset[str]

    def matches(self, other: Counted) -> bool:
        """Same head and modifiers that do not contradict (one set within the other)."""
        return self.head == other.head and (
            self.modifiers <= other.modifiers or other.modifiers <= self.modifiers
        )

    def label(self) -> str:
        """Readable key, e.g. ``us troop``."""
        return " ".join([*sorted(self.modifiers), self.head])


@dataclass(frozen=True, slots=True)
class Interval:
    """A set of values; ``low``/``high`` may be infinite; ``*_open`` excludes the end."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def intersects(self, other: Interval) -> bool:
        """True when some value belongs to both."""
        low = max(self.low, other.low)
        high = min(self.high, other.high)
        if low < high:
            return True
        if low > high:
            return False
        low_open = (self.low_open and self.low == low) or (other.low_open and other.low == low)
        high_open = (self.high_open and self.high == high) or (
            other.high_open and other.high == high
        )
        return not (low_open or high_open)

    def describe(self) -> str:
        """Interval notation, e.g. ``(5000, inf)``."""
        left = "(" if self.low_open or math.isinf(self.low) else "["
        right = ")" if self.high_open or math.isinf(self.high) else "]"
        return f"{left}{_number(self.low)}, {_number(self.high)}{right}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.6g}"


def singular(word: str) -> str:
    """A noun's singular by rule (enough for heads of counted things)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def counted_key(counted: str | None) -> Counted | None:
    """Normalise a counted thing; None when there is nothing to compare."""
    if not counted:
        return None
    text = counted.lower().replace("’", "'")
    for pattern, replacement in _PLACE_ALIASES:
        text = pattern.sub(replacement, text)
    tokens = [t.rstrip("'") for t in _TOKEN.findall(text)]
    if not tokens or tokens[0].rstrip(".") in _MULTIPLIER or _DELTA & set(tokens):
        return None
    tokens = [t for t in tokens if t and t not in _STOP and not t[0].isdigit()]
    if not tokens:
        return None
    head = singular(tokens[-1].rstrip("."))
    head = _HEAD_SYNONYMS.get(head, head)
    modifiers = frozenset(_MODIFIER.get(t, t.rstrip(".")) for t in tokens[:-1])
    return Counted(head, modifiers)


def interval(
    value: float | None,
    low: float | None,
    high: float | None,
    change: str,
    tolerance: float,
) -> Interval | None:
    """The values a figure allows, from its qualifier; None for changes and empty figures."""
    if change in ("up", "down"):
        return None
    if value is not None:
        low = high = value
    if low is None or high is None:
        return None
    low, high = min(low, high), max(low, high)
    if change == "~":
        return Interval(low - abs(low) * tolerance, high + abs(high) * tolerance)
    if change == ">":
        return Interval(low, math.inf, low_open=True)
    if change == "<":
        return Interval(-math.inf, high, high_open=True)
    return Interval(low, high)


def sentence_spans(body: str) -> list[tuple[int, int]]:
    """Approximate sentence boundaries (punctuation then a capital, or a blank line)."""
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(body):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(body)))
    return spans


def figure_places(
    figures: pl.DataFrame, locations: pl.DataFrame, bodies: Mapping[str, str]
) -> dict[str, frozenset[int]]:
    """Resolved places (geonameids) named as locations in the sentence of each figure.

    Only mentions after a locative preposition count (see ``_LOCATIVE``).

    Args:
        figures: ``figure_id``, ``article_id``, ``start``.
        locations: ``article_id``, ``start``, ``geonameid``.
        bodies: Article bodies by id (only the figures' articles are needed).
    """
    by_article: dict[str, list[tuple[int, int]]] = {}
    for article_id, start, geonameid in locations.select(
        "article_id", "start", "geonameid"
    ).iter_rows():
        body = bodies.get(article_id)
        if geonameid is not None and body and _LOCATIVE.search(body[max(0, start - 20) : start]):
            by_article.setdefault(article_id, []).append((start, geonameid))
    places: dict[str, frozenset[int]] = {}
    spans_cache: dict[str, list[tuple[int, int]]] = {}
    for figure_id, article_id, start in figures.select(
        "figure_id", "article_id", "start"
    ).iter_rows():
        mentions = by_article.get(article_id)
        if not mentions or article_id not in bodies:
            places[figure_id] = frozenset()
            continue
        spans = spans_cache.setdefault(article_id, sentence_spans(bodies[article_id]))
        sentence = next(((s, e) for s, e in spans if s <= start < e), (start, start + 1))
        places[figure_id] = frozenset(g for s, g in mentions if sentence[0] <= s < sentence[1])
    return places


def find_conflicts(
    figures: pl.DataFrame,
    articles: pl.DataFrame,
    speakers: Mapping[str, str | None],
    places: Mapping[str, frozenset[int]],
    settings: ConflictSettings = ConflictSettings(),
) -> pl.DataFrame:
    """Pairs of figures in one story whose values cannot both be true.

    Args:
        figures: The ``figures`` table (or the rows of story articles).
        articles: ``article_id``, ``published_at``, ``duplicate_of``, ``story_id``.
        speakers: ``claims.source_id`` by ``claim_id`` (the figure's speaker).
        places: Geonameids in each figure's sentence (:func:`figure_places`).
        settings: Interval tolerance.

    Returns:
        The ``figure_conflicts`` rows (see :data:`pipeline.tables.SCHEMAS`).
    """
    from pipeline.tables import SCHEMAS

    meta = {
        row[0]: row[1:]
        for row in articles.select(
            "article_id", "published_at", "duplicate_of", "story_id"
        ).iter_rows()
    }
    candidates: dict[tuple[str, str, str], list[tuple]] = {}
    for row in figures.iter_rows(named=True):
        published_at, duplicate_of, story_id = meta.get(row["article_id"], (None, None, None))
        if story_id is None or duplicate_of is not None:
            continue
        key = counted_key(row["counted"])
        span = interval(
            row["value"], row["value_low"], row["value_high"], row["change"], settings.tolerance
        )
        if key is None or span is None:
            continue
        order = publication_order(published_at, row["article_id"])
        candidates.setdefault((story_id, row["kind"], key.head), []).append(
            (order, row["figure_id"], row, key, span)
        )
    records = []
    for (story_id, kind, _), members in sorted(candidates.items()):
        members.sort(key=lambda m: (m[0], m[1]))
        for i, (_, _, a, key_a, span_a) in enumerate(members):
            for _, _, b, key_b, span_b in members[i + 1 :]:
                if a["article_id"] == b["article_id"] or not key_a.matches(key_b):
                    continue
                if kind != "count" and a["unit"] != b["unit"]:
                    continue
                places_a = places.get(a["figure_id"], frozenset())
                places_b = places.get(b["figure_id"], frozenset())
                if places_a and places_b and not places_a & places_b:
                    continue
                if span_a.intersects(span_b):
                    continue
                specific = key_a if len(key_a.modifiers) >= len(key_b.modifiers) else key_b
                records.append(
                    {
                        "conflict_id": "x_" + ids.stable_id(a["figure_id"], b["figure_id"]),
                        "story_id": story_id,
                        "counted": specific.label(),
                        **_side("a", a, span_a, speakers),
                        **_side("b", b, span_b, speakers),
                        "reason": f"{a['text']!r} means {span_a.describe()} and "
                        f"{b['text']!r} means {span_b.describe()}: the intervals do not overlap",
                    }
                )
    schema = SCHEMAS["figure_conflicts"]
    if not records:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(records, schema=schema).sort("conflict_id")


def _side(tag: str, row: Mapping, span: Interval, speakers: Mapping[str, str | None]) -> dict:
    return {
        f"figure_id_{tag}": row["figure_id"],
        f"article_id_{tag}": row["article_id"],
        f"source_id_{tag}": speakers.get(row["claim_id"]) if row["claim_id"] else None,
        f"text_{tag}": row["text"],
        f"value_{tag}": row["value"],
        f"low_{tag}": None if math.isinf(span.low) else span.low,
        f"high_{tag}": None if math.isinf(span.high) else span.high,
    }
