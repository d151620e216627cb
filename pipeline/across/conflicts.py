"""Figures that disagree: two outlets in one story, the same quantity, incompatible values.

A reader calls two figures a disagreement only when they measure the same quantity. Two
figures are compared only when they are in different articles of one story from different
outlets (neither a copy) and their frames say they are one quantity
(:func:`pipeline.across.sameness.same_quantity`: role, counted noun and modifiers, predicate,
holder, place and time; vague plurals such as "hundreds" never). A figure whose own article
gives another value for the same counted head, predicate class and role (:func:`rivals`)
is compared only when a holder, place or time ties it to the other, or when the two are one
count told twice: close (:attr:`ConflictSettings.untied_ratio`) and neither nearer to a rival
(:func:`confused`).

Each figure then becomes an interval from its qualifier (``figures.change``):

* ``=`` exact: the point ``[v, v]`` (a range ``[low, high]``); a round value (two or more
  trailing zeros, 100 or more) may be rounded by half its last significant digit, at most
  :attr:`ConflictSettings.rounding` of it (news writes 1,907 votes as 1,900); a whole
  percentage by half a point;
* of two exact values stated to different digits, the coarser may be the other rounded or
  cut short: ``[v - unit/2, v + unit)`` ("$8.6 million" beside "$8.67 million",
  :func:`stated_precision`);
* ``~`` about, some, an estimated: ``[v - 10%, v + 10%]`` (:attr:`ConflictSettings.tolerance`);
* ``>`` more than, over, and "surpassed": ``[v, inf)``; ``<`` less than, under:
  ``(-inf, v]`` (closed: "more than 50" and "50 or more" agree);
* a limit ("up to 30") is compared as the limit itself (``[30, 30]``): "up to 30" and
  "30" agree, "up to 30" and "up to 40" do not;
* ``up``/``down`` are changes: compared only with changes, by their amounts.

Two figures conflict when their frames match, their intervals do not intersect and the gap
between them is at most :attr:`ConflictSettings.max_ratio` (twofold). Frames that agree but
say nothing beyond the counted noun (no predicate, holder, place or time to tie them, nothing
named on one side only: :attr:`~pipeline.across.sameness.Mismatch.untied`) conflict only when
the gap is at most :attr:`ConflictSettings.untied_ratio` (a tenth), and only when they are
counts: "275 people" and "at least 278 people" are one toll told twice, "12 people" and "20
people" may be two scenes; a percentage or an amount counts a measure, not a population, and
one story gives many close values of one measure ("a drop of 20%" defining a bear market, a
forecast "drop of 18%" for the year).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import polars as pl

from pipeline import ids
from pipeline.across.duplicates import publication_order
from pipeline.across.intervals import Interval, gap, interval, stated_precision
from pipeline.across.sameness import (
    COMPARED_ROLES,
    Counted,
    FigureView,
    Match,
    Mismatch,
    compare,
    counted_key,
    event_match,
    same_quantity,
    singular,
    time_key,
)
from pipeline.extract.frames import lexicon
from pipeline.extract.lexicon import lexicon as figure_lexicon

__all__ = [
    "COMPARED_ROLES",
    "ConflictSettings",
    "Counted",
    "FigureView",
    "Interval",
    "Match",
    "Verdict",
    "confused",
    "counted_key",
    "decide",
    "figure_interval",
    "find_conflicts",
    "gap",
    "interval",
    "rivals",
    "same_quantity",
    "singular",
    "time_key",
]


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
        untied_ratio: Largest gap, as a ratio, between two figures whose frames agree but
            say nothing beyond the counted noun (:attr:`Mismatch.untied`: "275 people"
            and "at least 278 people", no predicate, holder, place or time on either side).
            Such frames do not tell one quantity from two; values this close are one count
            told twice far more often than two counts that happen to fall together.
    """

    tolerance: float = 0.1
    rounding: float = 0.05
    max_ratio: float = 2.0
    max_uncertain: int = 2
    untied_ratio: float = 1.1


@cache
def _above_events() -> frozenset[str]:
    return frozenset(lexicon()["above_events"])


def figure_interval(figure: FigureView, settings: ConflictSettings) -> Interval | None:
    """The values ``figure`` allows (see the module docstring)."""
    if is_vague(figure):
        return None
    change = "=" if figure.change in ("up", "down") else figure.change
    if change == "=" and (figure.event or "").split(" ")[0] in _above_events():
        change = ">"  # "Texas surpassed 5,000 new cases"
    value = figure.value
    if figure.role == "from_to":  # "fell from 8.1 percent to 7.8 percent": 7.8 percent now
        value = _level_now(figure)
        if value is None:
            return None
    span = interval(
        value,
        figure.low,
        figure.high,
        change,
        settings.tolerance,
        role=figure.role,
        rounding=settings.rounding,
    )
    if span is None:
        return None
    if figure.role == "besides":  # "the ambassador and three other Americans": four or more
        return Interval(span.low + 1, math.inf)
    # A whole percentage may round a decimal one: "46 percent" and "45.9 percent" agree, but
    # "44 percent" and "43%" do not (43.5 rounds up).
    if figure.kind == "percent" and change == "=" and span.low == span.high == int(span.low):
        return Interval(span.low - 0.5, span.high + 0.5, high_open=True)
    # A reader does not split hairs at a bound: "more than 50" and "50 or more" agree, and
    # news often writes "more than" for "at least"; only a rounded value's upper end is open.
    return Interval(span.low, span.high, high_open=span.high_open and not math.isinf(span.high))


def _level_now(figure: FigureView) -> float | None:
    """The level a change from one value to another went to: its low end when it fell.

    The direction is the event's (the figure lexicon's verbs of rising and falling); a
    range whose verb says neither is not compared.
    """
    verb = (figure.event or "").split(" ")[0]
    words = figure_lexicon()
    if figure.low is None or figure.high is None:
        return None
    if verb in words.down_verbs:
        return min(figure.low, figure.high)
    if verb in words.up_verbs:
        return max(figure.low, figure.high)
    return None


def is_vague(figure: FigureView) -> bool:
    """A vague plural ("hundreds", "dozens of"): no digits and a plural of a round number.

    Not compared: "thousands of Americans" is said of 23,000 as readily as of 3,000. A range
    spelled out in words ("two or three", "three to five million") is no vaguer than "2-3":
    it has no digits either, but it bounds its values, and is compared as a range.
    """
    if any(ch.isdigit() for ch in figure.text) or figure.value is not None:
        return False
    words = {word.strip(".,;:").lower() for word in figure.text.split()}
    return bool(words & _vague_counts())


@cache
def _vague_counts() -> frozenset[str]:
    """The vague plurals ("dozens", "hundreds", "thousands"), from the frames lexicon."""
    return frozenset(lexicon()["vague_counts"])


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
    rivals_a: Sequence[FigureView] = (),
    rivals_b: Sequence[FigureView] = (),
) -> Verdict:
    """Whether two figures of different outlets disagree about the same quantity.

    A figure with :func:`rivals` in its own article (or ``unclear``) is set against another
    outlet's only on a tied match (:attr:`Match.tied`), or when the two are one count told
    twice: within :attr:`ConflictSettings.untied_ratio` of each other, and neither nearer to
    one of the other's rivals (:func:`confused`). "at least 59" dead in Las Vegas beside
    "49" dead in Orlando a year before, against another outlet's "58": told twice.

    Args:
        a: One figure.
        b: The other.
        settings: Interval tolerances.
        unclear: One of them has rivals in its article, which are not given.
        rivals_a: The other values ``a``'s article gives for its frame (:func:`rivals`).
        rivals_b: The same for ``b``.
    """
    if a.article_id == b.article_id or a.outlet == b.outlet:
        return Verdict(False, None, None, None)
    compared = compare(a, b, max_uncertain=settings.max_uncertain)
    span_a, span_b = figure_interval(a, settings), figure_interval(b, settings)
    match = compared if isinstance(compared, Match) else None
    untied = compared.untied if isinstance(compared, Mismatch) else None
    if span_a is None or span_b is None:
        return Verdict(False, match, span_a, span_b)
    span_a, span_b = stated_precision(a, span_a, b, span_b, settings.rounding)
    disjoint = not span_a.intersects(span_b)
    unclear = unclear or bool(rivals_a or rivals_b)
    # frames that say the same little: one count (not a share or an amount) told twice, if close
    if match is None:
        if untied is None or unclear or a.kind != "count":
            return Verdict(False, None, span_a, span_b)
        clash = disjoint and gap(span_a, span_b) <= settings.untied_ratio
        return Verdict(clash, untied if clash else None, span_a, span_b)
    if unclear and not match.tied:  # told twice, or not compared (reads every rival: only here)
        told_twice = (
            disjoint
            and gap(span_a, span_b) <= settings.untied_ratio
            and not confused(a, rivals_a, b, settings)
            and not confused(b, rivals_b, a, settings)
        )
        if not told_twice:
            return Verdict(False, match, span_a, span_b)
    clash = disjoint and gap(span_a, span_b) <= settings.max_ratio
    return Verdict(clash, match, span_a, span_b)


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


#: A counted noun mentioned more often than this in one story (in all its articles) is not
#: compared there: so many mentions are many quantities (a transcript, a live blog, a results
#: table), and comparing every pair is quadratic (a 5 MB report made it the run's longest step).
MAX_MENTIONS = 400


def rivals(
    views: Sequence[FigureView], settings: ConflictSettings
) -> dict[str, tuple[FigureView, ...]]:
    """For each figure, the other values its own article gives for the same frame.

    "20 were killed at the metro" and "11 people were killed" at the airport in one article
    (same counted head, predicates of one class, one role, values apart) are two quantities
    the frame may not tell apart. Only values another outlet's figure could be confused between
    are rivals: apart by at most the square of :attr:`ConflictSettings.max_ratio`. Another
    outlet's figure is set against this one only within ``max_ratio`` of it, and, were it
    about the other quantity, would be within ``max_ratio`` of that one (outlets counting one
    thing rarely differ twofold), so the two are within ``max_ratio ** 2`` of each other.
    "Almost 3,000 killed on 9/11" beside "8 killed on Tuesday", "between 80,000 and 100,000
    people" beside "275 people killed", or a poll's "about half" of Israelis beside "six
    Israelis" killed leave no such doubt: no count of a few can be taken for one of thousands.

    Args:
        views: Figures of one article (any order).
        settings: Interval tolerances.
    """
    out: dict[str, list[FigureView]] = {}
    for i, a in enumerate(views):
        key_a = counted_key(a.counted)
        for b in views[i + 1 :]:
            key_b = counted_key(b.counted)
            if key_a is None or key_b is None or key_a.head != key_b.head or a.role != b.role:
                continue
            if event_match(a.event, b.event) is None:
                continue
            span_a, span_b = figure_interval(a, settings), figure_interval(b, settings)
            if span_a is None or span_b is None or span_a.intersects(span_b):
                continue
            if gap(span_a, span_b) <= settings.max_ratio**2:
                out.setdefault(a.figure_id, []).append(b)
                out.setdefault(b.figure_id, []).append(a)
    return {figure_id: tuple(found) for figure_id, found in out.items()}


def confused(
    figure: FigureView,
    its_rivals: Sequence[FigureView],
    other: FigureView,
    settings: ConflictSettings,
) -> bool:
    """Whether ``other`` is at least as near to one of ``figure``'s rivals as to ``figure``.

    Such a value may tell the rival's quantity: "11 killed" at the airport beside "20
    killed" at the metro in one article, against another outlet's "at least 20 died". A
    rival farther from it ("49 dead" in Orlando a year before, beside "at least 59" in Las
    Vegas, against another outlet's "58") does not explain it.

    Args:
        figure: A figure of one article.
        its_rivals: The other values its article gives for the same frame (:func:`rivals`).
        other: Another outlet's figure.
        settings: Interval tolerances.
    """
    span = figure_interval(figure, settings)
    span_other = figure_interval(other, settings)
    if span is None or span_other is None:
        return bool(its_rivals)
    near = _distance(span, span_other)
    for rival in its_rivals:
        span_rival = figure_interval(rival, settings)
        if span_rival is None or _distance(span_rival, span_other) <= near:
            return True
    return False


def _distance(a: Interval, b: Interval) -> float:
    """1 for intervals that meet, else the ratio of their nearer ends (:func:`gap`)."""
    return 1.0 if a.intersects(b) else gap(a, b)


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
        if len(members) > MAX_MENTIONS:
            continue  # a transcript's or a live blog's noun: many quantities, see MAX_MENTIONS
        members.sort(key=lambda m: (m[0], m[1]))
        by_article: dict[str, list[FigureView]] = {}
        for member in members:
            by_article.setdefault(member[2].article_id, []).append(member[2])
        rivalled: dict[str, tuple[FigureView, ...]] = {}
        for views in by_article.values():
            rivalled.update(rivals(views, settings))
        for i, (_, _, a, row_a) in enumerate(members):
            for _, _, b, row_b in members[i + 1 :]:
                if a.article_id == b.article_id:
                    continue  # an article does not disagree with itself here (see rivals)
                verdict = decide(
                    a,
                    b,
                    settings,
                    rivals_a=rivalled.get(a.figure_id, ()),
                    rivals_b=rivalled.get(b.figure_id, ()),
                )
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
