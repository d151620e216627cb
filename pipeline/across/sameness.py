"""Which figures measure the same quantity: their frames, compared as a reader would.

Each figure carries a frame (``figures.frame_*``, :mod:`pipeline.extract.frames`): what is
counted, in what event, whose, where, when and in what role. :func:`same_quantity` says whether
two frames are one quantity:

* **role**: equal, and a total, change, rate, limit or forecast: a part ("three of the four
  states"), a margin of error or a lead in points is never set against anything; durations
  are not compared;
* **counted**: the same head lemma (a tiny synonym table: "forces" count troops) and
  modifiers that do not contradict: a nationality may be named on one side only ("U.S.
  troops" = "troops"; "Iraqi troops" is not "U.S. troops"); other modifiers named on one side
  only ("police officers" and "officers") are an uncertain field, unless they name a kind
  ("construction jobs" is not "jobs"); different modifiers on both sides ("undocumented" and
  "young") are different populations;
* **event**: the same predicate lemma, or two of one class of the lexicon ("killed" and
  "died"), or one side neutral ("be", "have", none); predicates of different classes ("left
  behind" and "deployed") are different quantities;
* **holder** and **place**: when both sides name one, the names agree (same last word, one's
  words within the other's after unifying spellings); a change or rate whose holder is named
  on one side only is not compared (the sector is not the economy);
* **time**: when both sides name one, they share a day, month, year or relative expression
  (a time we cannot read is compared as written); a named year is also checked against the
  other side's article date; a missing one means the article's date, which is the story's;
  a part of a day ("morning", "Monday night") names no day of its own;
* **tie**: something besides the counted noun: two non-neutral predicates, or an agreeing
  holder, place or time; two frames with none that are otherwise certain (the same
  modifiers, the same predicate or none, nothing named on one side only) are a
  :class:`Mismatch` carrying the match they would make (``untied``), which the conflict
  decision accepts only for close values;
* **uncertainty**: at most ``max_uncertain`` fields (modifiers, holder, place, time) named on
  one side only or predicates of one class only.

The match is *exact* when every field present on one side is present and equal on the other,
*fuzzy* otherwise.

The lexicons and word normalisation are :mod:`pipeline.across.sameness_lexicon`, the fields'
keys :mod:`pipeline.across.sameness_keys`, the records :mod:`pipeline.across.sameness_records`;
their public names are importable from here too.
"""

from __future__ import annotations

from pipeline.across.sameness_keys import (
    YEAR,
    Counted,
    counted_key,
    holder_name,
    is_cause,
    name_key,
    time_key,
)
from pipeline.across.sameness_lexicon import (
    STOP_WORDS,
    data_digest,
    event_classes,
    lower_words,
    modifier_aliases,
    nationality_modifiers,
    neutral_events,
    singular,
    unified_word,
    word_sets,
)
from pipeline.across.sameness_records import UNTIED_NOTE, FigureView, Match, Mismatch
from pipeline.extract.frames import lexicon

__all__ = [
    "COMPARED_ROLES",
    "UNTIED_NOTE",
    "Counted",
    "FigureView",
    "Match",
    "Mismatch",
    "compare",
    "counted_key",
    "data_digest",
    "event_match",
    "field_agreements",
    "holder_name",
    "is_cause",
    "is_neutral",
    "nationality_modifiers",
    "same_quantity",
    "singular",
    "time_key",
]


#: Roles whose holder says whose the quantity is: a change or rate named for one holder
#: ("the private sector added") is not the unattributed one ("payrolls grew by").
_ATTRIBUTED_ROLES = frozenset(("change", "rate"))
#: Roles whose figures are compared only when every field named on one side is on the other:
#: a requirement or a plan is for a purpose the frame does not hold ("to open debate").
_EXACT_ROLES = frozenset(("forecast", "limit"))
#: Roles whose figures are set against others of the same role (never a part, a margin or a
#: revision: "revised to 219,000" and "first reported 155,000" are not the month's count).
COMPARED_ROLES = frozenset(
    ("total", "change", "rate", "limit", "forecast", "sum", "previous", "besides", "from_to")
)
#: Roles set against another: "the ambassador and three other Americans" is a total (of at
#: least four), "fell from 8.1 percent to 7.8 percent" the total it fell to
#: (:func:`pipeline.across.conflicts.figure_interval`).
_SAME_ROLE = {"besides": "total", "from_to": "total"}


def event_match(a: str | None, b: str | None) -> tuple[bool, bool] | None:
    """(matches, exact) for two predicates, None when they are different events."""
    neutral = neutral_events()
    a_neutral = a is None or a in neutral
    b_neutral = b is None or b in neutral
    if a == b:
        return True, True
    classes = event_classes()
    polarity = frozenset(lexicon()["polarity_preps"])
    if _last(a) in polarity or _last(b) in polarity:
        # "voted against" is not "voted", nor another "against"; it is "opposed" (one class)
        polar = classes.get(a or "", frozenset()) & classes.get(b or "", frozenset())
        return (True, False) if polar else None
    if a_neutral or b_neutral:
        return True, False
    a_classes = classes.get(a or "", frozenset()) | classes.get((a or "").split()[0], frozenset())
    b_classes = classes.get(b or "", frozenset()) | classes.get((b or "").split()[0], frozenset())
    if a_classes & b_classes:
        return True, False
    return None


def _last(event: str | None) -> str:
    return (event or "").rsplit(" ", 1)[-1]


def _names_agree(a: str | None, b: str | None) -> bool | None:
    """True (both named, agree), False (both named, differ) or None (one is missing).

    Two names agree when they end in the same word and one's words are within the
    other's ("Trump" = "Donald Trump"; "same-sex marriage" is not "same-sex marriage bans").
    """
    key_a, key_b = name_key(a), name_key(b)
    if key_a is None or key_b is None:
        return None
    last_a, last_b = _last_word(a), _last_word(b)
    return last_a == last_b and (key_a <= key_b or key_b <= key_a)


def _last_word(text: str | None) -> str:
    words = [w for w in lower_words(text or "") if w not in STOP_WORDS]
    return unified_word(words[-1], modifier_aliases()) if words else ""


def _times_agree(a: FigureView, b: FigureView) -> bool | None:
    key_a, key_b = time_key(a.time), time_key(b.time)
    if key_a is not None and key_b is not None:
        return bool(key_a & key_b)
    weekdays = word_sets()["weekdays"]
    for named, other in ((key_a, b), (key_b, a)):
        if named is None or other.published_at is None:
            continue
        years = {k for k in named if YEAR.fullmatch(k)}
        if years and str(other.published_at.year) not in years:
            return False
        # A level ("has 446 delegates") named "as of Wednesday" is not the other article's
        # level on its own day; an event ("killed Monday") is the story's, whenever told.
        days = named & weekdays
        weekday = other.published_at.strftime("%a").lower()
        if days and _is_state(a) and _is_state(b) and weekday not in days:
            return False
        # A total of a month other than both articles' ("the special election on April 18",
        # told in June) is another occasion's; a change's month is its period, and a report
        # tells last month's ("added 148,000 jobs in December", published in January).
        # "ahead of Tuesday's contests" is not the Tuesday article's "now"
        relative = {k.split(" ", 1)[1] for k in named if k.startswith(("before ", "after "))}
        if relative & {weekday, other.published_at.strftime("%b").lower()}:
            return False
        months = named & word_sets()["months"]
        own = a if named is key_a else b
        dates = {other.published_at, own.published_at}
        seen = {d.strftime("%b").lower() for d in dates if d is not None}
        if months and a.role == "total" and not months & seen:
            return False
    return None


def _is_state(view: FigureView) -> bool:
    """A level at a time (a neutral predicate: "has", "there are"), not an event's count."""
    return is_neutral(view.event)


def same_quantity(a: FigureView, b: FigureView, *, max_uncertain: int = 2) -> Match | None:
    """The match of two figures' frames, or None when they measure different quantities.

    Args:
        a: One figure.
        b: The other.
        max_uncertain: Most fields named on one side only, or predicates of one class only.
    """
    compared = compare(a, b, max_uncertain=max_uncertain)
    return compared if isinstance(compared, Match) else None


def compare(a: FigureView, b: FigureView, *, max_uncertain: int = 2) -> Match | Mismatch:
    """:func:`same_quantity`'s decision with its reason: the match, or the first check failed.

    ``newsledger eval conflicts`` prints the failed check beside the read half's errors and
    counts the read half's missed conflicts by check, so whoever tunes the decision sees
    where recall is lost (a rule for one sentence shows up as one count).
    """
    role_a, role_b = _SAME_ROLE.get(a.role, a.role), _SAME_ROLE.get(b.role, b.role)
    if role_a != role_b or a.role not in COMPARED_ROLES or b.role not in COMPARED_ROLES:
        return Mismatch("role", f"{a.role} / {b.role}")
    if a.kind != b.kind or (a.kind != "count" and a.unit != b.unit) or a.kind == "duration":
        return Mismatch("kind", f"{a.kind} {a.unit or ''} / {b.kind} {b.unit or ''}")
    key_a, key_b = counted_key(a.counted), counted_key(b.counted)
    if key_a is None or key_b is None:
        return Mismatch("counted", "nothing counted on one side")
    if key_a.head != key_b.head:
        return Mismatch("counted", f"heads {key_a.head} / {key_b.head}")
    one_sided_modifiers = not key_a.same_population(key_b)
    if one_sided_modifiers and not key_a.narrows(key_b):
        return Mismatch("modifiers", f"{_listed(key_a.modifiers)} / {_listed(key_b.modifiers)}")
    if key_a.head in word_sets()["generic_heads"]:
        return Mismatch("counted", f"generic head {key_a.head}")  # "Five things to watch"
    exact = key_a.modifiers == key_b.modifiers
    notes: list[str] = []
    if one_sided_modifiers:
        notes.append("modifiers named on one side only")
    event = event_match(a.event, b.event)
    if event is None:
        return Mismatch("event", f"{a.event} / {b.event}")
    neutral = neutral_events()
    # What ties the two beyond the counted noun: events of one class (neither neutral), or
    # the same holder, place or named time. Without one, two "people" are any people.
    anchored = a.event not in neutral and b.event not in neutral and a.event and b.event

    exact = exact and event[1]
    tied = False
    if not event[1]:
        notes.append(f"events {a.event or 'none'} ~ {b.event or 'none'}")
    holder_a, holder_b = holder_name(a.holder), holder_name(b.holder)
    for field, (agree, named) in field_agreements(a, b).items():
        if agree is False:
            return Mismatch(field, f"{getattr(a, field)} / {getattr(b, field)}")
        one_sided = agree is None and named
        if field == "holder" and one_sided and (is_cause(holder_a) or is_cause(holder_b)):
            return Mismatch("holder", "a cause on one side only")  # "the February attack"
        if field == "holder" and one_sided and a.role in _ATTRIBUTED_ROLES:
            return Mismatch("holder", f"a {a.role}'s holder on one side only")
        if field == "place" and one_sided and a.kind == "percent":
            # a share of Michigan's voters is not the nation's: the place is the population
            return Mismatch("place", "a share's place on one side only")
        if one_sided and a.role in _EXACT_ROLES:
            return Mismatch(field, f"a {a.role}'s {field} on one side only")  # "60 votes needed"
        anchored = anchored or agree is True
        tied = tied or agree is True
        if one_sided:
            exact = False
            notes.append(f"{field} named on one side only")
    specific = key_a if len(key_a.modifiers) >= len(key_b.modifiers) else key_b
    if not anchored:
        # Two frames that say the same little ("12 people" and "13 people", no predicate,
        # holder, place or time on either side) are not known to be one quantity; they may
        # still be one count told twice, which :func:`~pipeline.across.conflicts.decide`
        # accepts only for close values.
        untied = None if notes else Match(specific, False, (UNTIED_NOTE,), False)
        return Mismatch("tie", "nothing ties them beyond the counted noun", untied)
    if len(notes) > max_uncertain:
        return Mismatch("uncertain", "; ".join(notes))
    return Match(specific, exact, tuple(notes), tied)


def field_agreements(a: FigureView, b: FigureView) -> dict[str, tuple[bool | None, bool]]:
    """Holder, place and time: (agree: True, False or None when one is missing; named at all).

    Holders as compared (:func:`holder_name`: the whole and a bare cause are none).
    """
    holder_a, holder_b = holder_name(a.holder), holder_name(b.holder)
    return {
        "holder": (_names_agree(holder_a, holder_b), bool(holder_a or holder_b)),
        "place": (_names_agree(a.place, b.place), bool(a.place or b.place)),
        "time": (_times_agree(a, b), bool(time_key(a.time) or time_key(b.time))),
    }


def is_neutral(event: str | None) -> bool:
    """No event, or a neutral predicate ("be", "have"): ties nothing."""
    return event is None or event in neutral_events()


def _listed(modifiers: frozenset[str]) -> str:
    return " ".join(sorted(modifiers)) or "none"
