"""Figures that disagree: two outlets in one story, the same quantity, incompatible values.

A reader calls two figures a disagreement only when they measure the same quantity, so each
figure carries a frame (``figures.frame_*``, :mod:`pipeline.extract.frames`): what is counted,
in what event, whose, where, when and in what role. Two figures are compared only when they
are in different articles of one story from different outlets (neither a copy), of the same
kind and unit (durations and vague plurals such as "hundreds" never), and their frames match
(:func:`same_quantity`):

* **role**: equal, and a total, change, rate, limit or forecast: a part ("three of the four
  states"), a margin of error or a lead in points is never set against anything;
* **counted**: the same head lemma (a tiny synonym table: "forces" count troops) and the same
  modifiers, except that a nationality may be named on one side only ("U.S. troops" =
  "troops"; "Iraqi troops" is not "U.S. troops", "construction jobs" is not "jobs");
* **event**: the same predicate lemma, or two of one class of the lexicon ("killed" and
  "died"), or one side neutral ("be", "have", none); predicates of different classes ("left
  behind" and "deployed") are different quantities;
* **holder** and **place**: when both sides name one, the names agree (same last word, one's
  words within the other's after unifying spellings); a change or rate whose holder is named
  on one side only is not compared (the sector is not the economy);
* **time**: when both sides name one, they share a day, month, year or relative expression
  (a time we cannot read is compared as written); a named year is also checked against the
  other side's article date; a missing one means the article's date, which is the story's;
* **tie**: something besides the counted noun: two non-neutral predicates, or an agreeing
  holder, place or time;
* **uncertainty**: at most :attr:`ConflictSettings.max_uncertain` fields named on one side
  only or predicates of one class only.

The match is *exact* when every field present on one side is present and equal on the other,
*fuzzy* otherwise (the row says which). A figure whose own article gives another value for
the same counted head, predicate class and role (:func:`ambiguous`) needs a tie.

Each figure then becomes an interval from its qualifier (``figures.change``):

* ``=`` exact: the point ``[v, v]`` (a range ``[low, high]``); a round value (two or more
  trailing zeros, 100 or more) may be rounded by half its last significant digit, at most
  :attr:`ConflictSettings.rounding` of it (news writes 1,907 votes as 1,900); a whole
  percentage by half a point;
* ``~`` about, some, an estimated: ``[v - 10%, v + 10%]`` (:attr:`ConflictSettings.tolerance`);
* ``>`` more than, over, and "surpassed": ``[v, inf)``; ``<`` less than, under:
  ``(-inf, v]`` (closed: "more than 50" and "50 or more" agree);
* a limit ("up to 30") is compared as the limit itself (``[30, 30]``): "up to 30" and
  "30" agree, "up to 30" and "up to 40" do not;
* ``up``/``down`` are changes: compared only with changes, by their amounts.

Two figures conflict when their frames match, their intervals do not intersect and the gap
between them is at most :attr:`ConflictSettings.max_ratio` (twofold).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import polars as pl

from pipeline import ids
from pipeline.across.duplicates import publication_order
from pipeline.extract.frames import lexicon

_TOKEN = re.compile(r"[a-z0-9][a-z0-9.'-]*")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
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
        "estimated",
        "roughly",
        "nearly",
        "almost",
        "least",
        "most",
        "at",
        "over",
        "another",
        "new",
        "just",
        "only",
    )
)
#: Modifiers that make the figure a difference, not a level ("49,000 fewer jobs").
_DELTA = frozenset(("more", "fewer", "less", "additional", "extra", "further"))
#: A counted thing starting with a multiplier means the value lost it ("69K jobs" read as 69).
_MULTIPLIER = frozenset(
    ("k", "m", "bn", "b", "mn", "million", "billion", "thousand", "hundred", "trillion")
)
_IRREGULAR = {
    "people": "person",
    "men": "man",
    "women": "woman",
    "children": "child",
    "personnel": "personnel",
    "police": "police",
}
#: Roles whose holder says whose the quantity is: a change or rate named for one holder
#: ("the private sector added") is not the unattributed one ("payrolls grew by").
_ATTRIBUTED_ROLES = frozenset(("change", "rate"))
#: Roles whose figures are set against others of the same role.
COMPARED_ROLES = frozenset(("total", "change", "rate", "limit", "forecast"))


@dataclass(frozen=True, slots=True)
class ConflictSettings:
    """Tuning of conflict detection.

    Attributes:
        tolerance: Half-width of an "about" interval, as a share of the value.
        rounding: Most a round exact value may have been rounded, as a share of the value.
        max_ratio: Largest gap between two figures, as a ratio, still read as a disagreement
            about one quantity: two outlets counting one thing rarely differ twofold, and
            larger gaps are nearly always two quantities (a sector and the economy, one
            attack and another, 9/11's dead and Tuesday's, 45 arrests in one office and 128
            in all).
        max_uncertain: Frame fields that may be uncertain in a fuzzy match (named on one
            side only, or predicates of one class only); with more, the two figures are as
            likely about two scenes of one story.
    """

    tolerance: float = 0.1
    rounding: float = 0.05
    max_ratio: float = 2.0
    max_uncertain: int = 2


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

    def same_population(self, other: Counted) -> bool:
        """Same head and the same narrowing modifiers.

        Only a nationality may be named on one side alone ("U.S. troops" = "troops"), never
        a sector or kind ("construction jobs" is not "jobs").
        """
        if self.head != other.head:
            return False
        generic = frozenset(_aliases().values())
        differ = self.modifiers ^ other.modifiers
        return differ <= generic and len((self.modifiers | other.modifiers) & generic) <= 1

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


@cache
def _aliases() -> dict[str, str]:
    return dict(lexicon()["modifier_aliases"])


@cache
def _head_synonyms() -> dict[str, str]:
    return dict(lexicon()["head_synonyms"])


@cache
def _event_classes() -> dict[str, frozenset[str]]:
    """Event lemma -> the classes it belongs to."""
    classes: dict[str, set[str]] = {}
    for name, members in lexicon()["event_classes"].items():
        for member in members:
            classes.setdefault(member, set()).add(name)
    return {lemma: frozenset(names) for lemma, names in classes.items()}


@cache
def _above_events() -> frozenset[str]:
    return frozenset(lexicon()["above_events"])


@cache
def _neutral_events() -> frozenset[str]:
    return frozenset(lexicon()["neutral_events"])


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


def _words(text: str) -> list[str]:
    """Lowercase words with multi-word place names unified ("United States" -> "us")."""
    text = text.lower().replace("’", "'")
    for name, alias in _aliases().items():
        if " " in name:
            text = re.sub(rf"\b{re.escape(name)}\b", alias, text)
    return [
        t.rstrip("'").rstrip(".") if t.endswith("'") else t.rstrip("'")
        for t in _TOKEN.findall(text)
    ]


def counted_key(counted: str | None) -> Counted | None:
    """Normalise a counted thing; None when there is nothing to compare."""
    if not counted:
        return None
    tokens = _words(counted)
    if not tokens or tokens[0].rstrip(".") in _MULTIPLIER or _DELTA & set(tokens):
        return None
    tokens = [t for t in tokens if t and t not in _STOP and not t[0].isdigit()]
    if not tokens:
        return None
    head = singular(tokens[-1].rstrip("."))
    head = _head_synonyms().get(head, head)
    aliases = _aliases()
    modifiers = frozenset(
        aliases.get(t, aliases.get(t.rstrip("."), t.rstrip("."))) for t in tokens[:-1]
    )
    return Counted(head, modifiers)


def _alias(word: str, aliases: Mapping[str, str]) -> str:
    """One spelling of a modifier or name word ("U.S." and "American" are "us")."""
    return aliases.get(word, aliases.get(word.rstrip("."), word.rstrip(".")))


def _name_key(text: str | None) -> frozenset[str] | None:
    """Words of a holder or place name, spellings unified; None when there is none."""
    if not text:
        return None
    aliases = _aliases()
    words = frozenset(_alias(w, aliases) for w in _words(text) if w not in _STOP)
    return words or None


_TIME_UNITS = ("week", "month", "year", "quarter", "weekend", "decade", "day", "night")


def time_key(text: str | None) -> frozenset[str] | None:
    """What a time expression pins down: named days, months, years and relative phrases."""
    if not text:
        return None
    words = _words(text)
    known = set(lexicon()["time_words"])
    keys: set[str] = set()
    for i, word in enumerate(words):
        if _YEAR.fullmatch(word):
            keys.add(word)
        elif word in ("last", "next", "this", "past", "previous") and i + 1 < len(words):
            unit = singular(words[i + 1])
            if unit in _TIME_UNITS:
                keys.add(f"{word} {unit}")
        elif (
            word in known
            and word not in _TIME_UNITS
            and word
            not in (
                "last",
                "next",
                "this",
                "past",
                "previous",
                "since",
                "ago",
                "earlier",
                "later",
            )
        ):
            keys.add(word.rstrip(".")[:3])
        elif word[0].isdigit() and i + 1 < len(words) and singular(words[i + 1]) in _TIME_UNITS:
            keys.add(f"{word} {singular(words[i + 1])}")  # "the past 28 months"
    if not keys:  # a time we cannot read is still a time: compared as written
        keys = {" ".join(w for w in words if w not in ("the", "a", "an", "of"))}
    return frozenset(keys)


def interval(
    value: float | None,
    low: float | None,
    high: float | None,
    change: str,
    tolerance: float,
    *,
    role: str = "total",
    rounding: float = 0.0,
) -> Interval | None:
    """The values a figure allows, from its qualifier and role.

    None for empty figures and for ``up``/``down`` (a change's amount is compared by
    :func:`figure_interval`, only with other changes).
    """
    if change in ("up", "down"):
        return None
    if value is not None:
        low = high = value
    if low is None or high is None:
        return None
    low, high = min(low, high), max(low, high)
    if role == "limit":
        return Interval(high, high)
    if change == "~":
        return Interval(low - abs(low) * tolerance, high + abs(high) * tolerance)
    if change == ">":
        return Interval(low, math.inf, low_open=True)
    if change == "<":
        return Interval(-math.inf, high, high_open=True)
    if rounding and low == high:
        slack = _rounding_slack(low, rounding)
        return Interval(low - slack, high + slack)
    return Interval(low, high)


def _rounding_slack(value: float, share: float) -> float:
    """How much a round value may have been rounded: half its last digit, at most ``share``."""
    magnitude = abs(value)
    if magnitude < 100 or magnitude != int(magnitude):
        return 0.0
    unit = 1
    while int(magnitude) % (unit * 10) == 0:
        unit *= 10
    if unit < 100:
        return 0.0
    return min(unit / 2, magnitude * share)


@dataclass(frozen=True, slots=True)
class FigureView:
    """One figure as the conflict decision sees it: values, frame and article metadata."""

    figure_id: str
    article_id: str
    outlet: str
    published_at: datetime | None
    text: str
    value: float | None
    low: float | None
    high: float | None
    change: str
    kind: str
    unit: str | None
    counted: str | None
    event: str | None
    holder: str | None
    place: str | None
    time: str | None
    role: str

    @classmethod
    def from_row(
        cls, row: Mapping[str, object], outlet: str | None, published_at: datetime | None
    ) -> FigureView:
        """From a ``figures`` row (with its ``frame_*`` columns) and its article's metadata."""
        counted = row.get("frame_counted") or row.get("counted")
        return cls(
            figure_id=str(row["figure_id"]),
            article_id=str(row["article_id"]),
            outlet=(outlet or str(row["article_id"])).strip().lower(),
            published_at=published_at,
            text=str(row["text"]),
            value=row["value"],  # type: ignore[arg-type]
            low=row["value_low"],  # type: ignore[arg-type]
            high=row["value_high"],  # type: ignore[arg-type]
            change=str(row["change"]),
            kind=str(row["kind"]),
            unit=row["unit"],  # type: ignore[arg-type]
            counted=counted,  # type: ignore[arg-type]
            event=row.get("frame_event"),  # type: ignore[arg-type]
            holder=row.get("frame_holder"),  # type: ignore[arg-type]
            place=row.get("frame_place"),  # type: ignore[arg-type]
            time=row.get("frame_time"),  # type: ignore[arg-type]
            role=str(row.get("frame_role") or "total"),
        )

    def describe(self) -> str:
        """The frame in words: "u.s. troop · deploy · holder ... · in Iraq · now · total"."""
        parts = [self.counted or "?", self.event or "-"]
        if self.holder:
            parts.append(f"of {self.holder}")
        parts.append(f"in {self.place}" if self.place else "anywhere")
        parts.append(self.time or "at publication")
        parts.append(self.role)
        return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class Match:
    """Why two frames are the same quantity."""

    counted: Counted
    exact: bool
    notes: tuple[str, ...]
    #: A holder, place or named time agrees on both sides.
    tied: bool = False


def _event_match(a: str | None, b: str | None) -> tuple[bool, bool] | None:
    """(matches, exact) for two events, None when they are different events."""
    neutral = _neutral_events()
    a_neutral = a is None or a in neutral
    b_neutral = b is None or b in neutral
    if a == b:
        return True, True
    if a_neutral or b_neutral:
        return True, False
    classes = _event_classes()
    a_classes = classes.get(a or "", frozenset()) | classes.get((a or "").split()[0], frozenset())
    b_classes = classes.get(b or "", frozenset()) | classes.get((b or "").split()[0], frozenset())
    if a_classes & b_classes:
        return True, False
    return None


def _names_agree(a: str | None, b: str | None) -> bool | None:
    """True (both named, agree), False (both named, differ) or None (one is missing).

    Two names agree when they end in the same word and one's words are within the
    other's ("Trump" = "Donald Trump"; "same-sex marriage" is not "same-sex marriage bans").
    """
    key_a, key_b = _name_key(a), _name_key(b)
    if key_a is None or key_b is None:
        return None
    last_a, last_b = _last_word(a), _last_word(b)
    return last_a == last_b and (key_a <= key_b or key_b <= key_a)


def _last_word(text: str | None) -> str:
    words = [w for w in _words(text or "") if w not in _STOP]
    return _alias(words[-1], _aliases()) if words else ""


def _times_agree(a: FigureView, b: FigureView) -> bool | None:
    key_a, key_b = time_key(a.time), time_key(b.time)
    if key_a is not None and key_b is not None:
        return bool(key_a & key_b)
    for named, other in ((key_a, b), (key_b, a)):
        if named is None or other.published_at is None:
            continue
        years = {k for k in named if _YEAR.fullmatch(k)}
        if years and str(other.published_at.year) not in years:
            return False
    return None


def same_quantity(
    a: FigureView, b: FigureView, settings: ConflictSettings = ConflictSettings()
) -> Match | None:
    """The match of two figures' frames, or None when they measure different quantities."""
    if a.role != b.role or a.role not in COMPARED_ROLES:
        return None
    if a.kind != b.kind or (a.kind != "count" and a.unit != b.unit) or a.kind == "duration":
        return None
    key_a, key_b = counted_key(a.counted), counted_key(b.counted)
    if key_a is None or key_b is None or not key_a.same_population(key_b):
        return None
    exact = key_a.modifiers == key_b.modifiers
    notes: list[str] = []
    event = _event_match(a.event, b.event)
    if event is None:
        return None
    neutral = _neutral_events()
    # What ties the two beyond the counted noun: events of one class (neither neutral), or
    # the same holder, place or named time. Without one, two "people" are any people.
    anchored = a.event not in neutral and b.event not in neutral and a.event and b.event

    exact = exact and event[1]
    tied = False
    if not event[1]:
        notes.append(f"events {a.event or 'none'} ~ {b.event or 'none'}")
    for field, agree in (
        ("holder", _names_agree(a.holder, b.holder)),
        ("place", _names_agree(a.place, b.place)),
        ("time", _times_agree(a, b)),
    ):
        if agree is False:
            return None
        one_sided = agree is None and bool(getattr(a, field) or getattr(b, field))
        if field == "holder" and one_sided and a.role in _ATTRIBUTED_ROLES:
            return None  # "construction added 48,000" vs "236,000 were added"
        anchored = anchored or agree is True
        tied = tied or agree is True
        if agree is None and (getattr(a, field) or getattr(b, field)):
            exact = False
            notes.append(f"{field} named on one side only")
    if not anchored or len(notes) > settings.max_uncertain:
        return None
    specific = key_a if len(key_a.modifiers) >= len(key_b.modifiers) else key_b
    return Match(specific, exact, tuple(notes), tied)


def figure_interval(figure: FigureView, settings: ConflictSettings) -> Interval | None:
    """The values ``figure`` allows (see the module docstring)."""
    if is_vague(figure):
        return None
    change = "=" if figure.change in ("up", "down") else figure.change
    if change == "=" and (figure.event or "").split(" ")[0] in _above_events():
        change = ">"  # "Texas surpassed 5,000 new cases"
    span = interval(
        figure.value,
        figure.low,
        figure.high,
        change,
        settings.tolerance,
        role=figure.role,
        rounding=settings.rounding,
    )
    if span is None:
        return None
    # A whole percentage may round a decimal one: "46 percent" and "45.9 percent" agree.
    if figure.kind == "percent" and change == "=" and span.low == span.high == int(span.low):
        return Interval(span.low - 0.5, span.high + 0.5)
    # A reader does not split hairs at a bound: "more than 50" and "50 or more" agree, and
    # news often writes "more than" for "at least".
    return Interval(span.low, span.high)


def is_vague(figure: FigureView) -> bool:
    """A vague plural ("hundreds", "dozens of"): no digits and a tenfold range.

    Not compared: "thousands of Americans" is said of 23,000 as readily as of 3,000.
    """
    return not any(ch.isdigit() for ch in figure.text) and figure.value is None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The decision on one pair of figures."""

    conflict: bool
    match: Match | None
    interval_a: Interval | None
    interval_b: Interval | None


def decide(
    a: FigureView,
    b: FigureView,
    settings: ConflictSettings = ConflictSettings(),
    *,
    unclear: bool = False,
) -> Verdict:
    """Whether two figures of different outlets disagree about the same quantity.

    Args:
        a: One figure.
        b: The other.
        settings: Interval tolerances.
        unclear: One of them is :func:`ambiguous` in its article: only a tied match counts.
    """
    if a.article_id == b.article_id or a.outlet == b.outlet:
        return Verdict(False, None, None, None)
    match = same_quantity(a, b, settings)
    span_a, span_b = figure_interval(a, settings), figure_interval(b, settings)
    if match is None or span_a is None or span_b is None or (unclear and not match.tied):
        return Verdict(False, match, span_a, span_b)
    clash = not span_a.intersects(span_b) and _gap(span_a, span_b) <= settings.max_ratio
    return Verdict(clash, match, span_a, span_b)


def _gap(a: Interval, b: Interval) -> float:
    """How far apart two disjoint intervals are, as the ratio of the nearer ends."""
    lower, upper = (a, b) if a.high < b.low else (b, a)
    if lower.high <= 0 or math.isinf(upper.low):
        return math.inf
    return upper.low / lower.high


def reason(a: FigureView, b: FigureView, verdict: Verdict) -> str:
    """One line a person can check: the shared frame, who says what, and why they clash."""
    assert verdict.match is not None and verdict.interval_a and verdict.interval_b
    match = verdict.match
    shared = [match.counted.label()]
    for field in ("event", "holder", "place", "time"):
        value = getattr(a, field) or getattr(b, field)
        if value:
            shared.append(
                f"of {value}" if field == "holder" else f"in {value}" if field == "place" else value
            )
    if not (a.time or b.time):
        shared.append("at publication")
    kind = "exact" if match.exact else "fuzzy (" + "; ".join(match.notes) + ")"
    return (
        f"both: {', '.join(shared)} ({a.role}); {a.outlet} says {a.text!r} "
        f"{verdict.interval_a.describe()}, {b.outlet} says {b.text!r} "
        f"{verdict.interval_b.describe()}: cannot both hold; frames match {kind}"
    )


def ambiguous(views: Sequence[FigureView], settings: ConflictSettings) -> set[str]:
    """Figures whose own article gives another, incompatible value for the same frame.

    "Almost 3,000 killed on 9/11" and "8 killed on Tuesday" in one article (same counted
    head, predicates of one class, one role, values apart) are two quantities the frame may
    not tell apart: such a figure is compared with another outlet's only when a holder,
    place or named time agrees on both sides (:attr:`Match.tied`).

    Args:
        views: Figures of one article (any order).
        settings: Interval tolerances.
    """
    out: set[str] = set()
    for i, a in enumerate(views):
        key_a = counted_key(a.counted)
        for b in views[i + 1 :]:
            key_b = counted_key(b.counted)
            if key_a is None or key_b is None or key_a.head != key_b.head or a.role != b.role:
                continue
            if _event_match(a.event, b.event) is None:
                continue
            span_a, span_b = figure_interval(a, settings), figure_interval(b, settings)
            if span_a and span_b and not span_a.intersects(span_b):
                out.update((a.figure_id, b.figure_id))
    return out


def find_conflicts(
    figures: pl.DataFrame,
    articles: pl.DataFrame,
    speakers: Mapping[str, str | None],
    settings: ConflictSettings = ConflictSettings(),
) -> pl.DataFrame:
    """Pairs of figures in one story, from different outlets, whose values cannot both hold.

    Args:
        figures: The ``figures`` table (or the rows of story articles), frames included.
        articles: ``article_id``, ``published_at``, ``duplicate_of``, ``story_id``, ``outlet``.
        speakers: ``claims.source_id`` by ``claim_id`` (the figure's speaker).
        settings: Interval tolerances.

    Returns:
        The ``figure_conflicts`` rows (see :data:`pipeline.tables.SCHEMAS`).
    """
    from pipeline.tables import SCHEMAS

    meta = {
        row[0]: row[1:]
        for row in articles.select(
            "article_id", "published_at", "duplicate_of", "story_id", "outlet"
        ).iter_rows()
    }
    candidates: dict[tuple[str, str, str], list[tuple]] = {}
    for row in figures.iter_rows(named=True):
        published_at, duplicate_of, story_id, outlet = meta.get(
            row["article_id"], (None, None, None, None)
        )
        if story_id is None or duplicate_of is not None:
            continue
        view = FigureView.from_row(row, outlet, published_at)
        key = counted_key(view.counted)
        if key is None or view.role not in COMPARED_ROLES:
            continue
        order = publication_order(published_at, row["article_id"])
        candidates.setdefault((story_id, view.kind, key.head), []).append(
            (order, view.figure_id, view, row)
        )
    records = []
    for (story_id, _, _), members in sorted(candidates.items()):
        members.sort(key=lambda m: (m[0], m[1]))
        by_article: dict[str, list[FigureView]] = {}
        for member in members:
            by_article.setdefault(member[2].article_id, []).append(member[2])
        unclear = set().union(*(ambiguous(v, settings) for v in by_article.values()))
        for i, (_, _, a, row_a) in enumerate(members):
            for _, _, b, row_b in members[i + 1 :]:
                verdict = decide(a, b, settings, unclear=bool({a.figure_id, b.figure_id} & unclear))
                if not verdict.conflict:
                    continue
                assert verdict.match and verdict.interval_a and verdict.interval_b
                records.append(
                    {
                        "conflict_id": "x_" + ids.stable_id(a.figure_id, b.figure_id),
                        "story_id": story_id,
                        "counted": verdict.match.counted.label(),
                        **_side("a", a, row_a, verdict.interval_a, speakers),
                        **_side("b", b, row_b, verdict.interval_b, speakers),
                        "frame_match": "exact" if verdict.match.exact else "fuzzy",
                        "reason": reason(a, b, verdict),
                    }
                )
    schema = SCHEMAS["figure_conflicts"]
    if not records:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(records, schema=schema).sort("conflict_id")


def _side(
    tag: str,
    view: FigureView,
    row: Mapping,
    span: Interval,
    speakers: Mapping[str, str | None],
) -> dict:
    return {
        f"figure_id_{tag}": view.figure_id,
        f"article_id_{tag}": view.article_id,
        f"source_id_{tag}": speakers.get(row["claim_id"]) if row["claim_id"] else None,
        f"text_{tag}": view.text,
        f"value_{tag}": view.value,
        f"low_{tag}": None if math.isinf(span.low) else span.low,
        f"high_{tag}": None if math.isinf(span.high) else span.high,
        f"frame_{tag}": view.describe(),
    }
