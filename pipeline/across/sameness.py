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
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.extract.frames import lexicon
from pipeline.link.gazetteer import BUNDLED_GEONAMES

#: Lexicons of the comparison itself (holders that mean the whole, aliases, causes).
DATA_FILE = Path(__file__).resolve().parent / "data" / "sameness.json"
#: The gazetteer's demonyms ("word:CODE" lines; "scope, code, forms" rows), read for the
#: nationality modifiers (:func:`nationality_modifiers`).
DEMONYM_FILES = (BUNDLED_GEONAMES / "nationalities.txt", BUNDLED_GEONAMES / "demonyms.txt")
#: Countries whose nationality news leaves unsaid: not a part of the population it counts.
_UNSAID_CODES = frozenset(("US", "GB"))

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
#: Roles whose figures are compared only when every field named on one side is on the other:
#: a requirement or a plan is for a purpose the frame does not hold ("to open debate").
_EXACT_ROLES = frozenset(("forecast", "limit"))
#: Roles whose figures are set against others of the same role (never a part, a margin or a
#: revision: "revised to 219,000" and "first reported 155,000" are not the month's count).
COMPARED_ROLES = frozenset(
    ("total", "change", "rate", "limit", "forecast", "sum", "previous", "besides")
)
#: Roles set against another: "the ambassador and three other Americans" is a total (of at
#: least four, :func:`pipeline.across.conflicts.figure_interval`).
_SAME_ROLE = {"besides": "total"}


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
        loose = _sets()["loose_modifiers"]
        differ = (self.modifiers ^ other.modifiers) - loose  # "top aide" = "close aide"
        return differ <= generic and len((self.modifiers | other.modifiers) & generic) <= 1

    def narrows(self, other: Counted) -> bool:
        """Same head, and one side names modifiers the other does not, none of them a kind.

        "police officers" and "officers", "short-range ballistic missiles" and "ballistic
        missiles": the other side does not say which, so it is not a contradiction, only an
        uncertain field. A modifier that sorts the population into kinds ("construction
        jobs", "manufacturing jobs") names a part, never the whole (``kind_modifiers``).
        """
        if self.head != other.head or not self.matches(other):
            return False
        return not (self.modifiers ^ other.modifiers) & _sets()["kind_modifiers"]

    def label(self) -> str:
        """Readable key, e.g. ``us troop``."""
        return " ".join([*sorted(self.modifiers), self.head])


@cache
def _aliases() -> dict[str, str]:
    return dict(lexicon()["modifier_aliases"])


@cache
def comparison_lexicon() -> dict[str, Any]:
    """The comparison lexicons (``data/sameness.json``), read once."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@cache
def data_digest() -> str:
    """Digest of the comparison lexicon file and the demonym files, for the stage version."""
    digest = hashlib.sha256()
    for path in (DATA_FILE, *DEMONYM_FILES):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def nationality_modifiers() -> frozenset[str]:
    """Nationality adjectives that sort a population into parts ("Iraqi troops").

    Read from the gazetteer's demonym files (:data:`DEMONYM_FILES`), so the two lists never
    drift apart: the last word of every form ("Sri Lankan" -> "lankan"), lowercase. Not the
    United States' and the United Kingdom's own (news leaves "U.S." and "British" unsaid:
    "troops" in a story about U.S. troops are U.S. troops), nor any word the modifier
    aliases read as either ("North American" is no "American" population), nor
    abbreviations ("EU"), which are names, not adjectives.
    """
    forms: list[tuple[str, str]] = []  # (code, form)
    nationalities, demonyms = DEMONYM_FILES
    for line in nationalities.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#") and ":" in line:
            form, code = line.strip().rsplit(":", 1)
            forms.append((code.strip().upper(), form.strip()))
    for line in demonyms.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if not line.startswith("#") and len(fields) > 2:
            forms.extend((fields[1].strip(), form.strip()) for form in fields[2].split("|"))
    unsaid = {"us", "uk"}
    words = set()
    for code, form in forms:
        if not form or code in _UNSAID_CODES or form.replace(".", "").isupper():
            continue
        word = form.split()[-1].lower()
        if _aliases().get(word) not in unsaid:
            words.add(word)
    return frozenset(words)


@cache
def _sets() -> dict[str, frozenset[str]]:
    lex = comparison_lexicon()
    return {
        "loose_modifiers": frozenset(lex["loose_modifiers"]),
        "kind_modifiers": frozenset(
            [*lex["kind_modifiers"], *lex["party_modifiers"], *nationality_modifiers()]
        ),
        "weekdays": frozenset(lex["weekdays"]),
        "day_parts": frozenset(lex["day_parts"]),
        "months": frozenset(lex["months"]),
        "cause_nouns": frozenset(singular(w) for w in lex["cause_nouns"]),
        "present_times": frozenset(lex["present_times"]),
        "generic_heads": frozenset(lex["generic_heads"]),
        "time_before": frozenset(lex["time_before"]),
        "time_after": frozenset(lex["time_after"]),
        "holder_wholes": frozenset(_phrase(w) for w in lex["holder_wholes"]),
    }


@cache
def _holder_aliases() -> dict[str, str]:
    return {_phrase(name): alias for name, alias in comparison_lexicon()["holder_aliases"].items()}


def _phrase(text: str) -> str:
    """A holder as a lookup key: words without determiners, spellings unified, singular."""
    aliases = _aliases()
    return " ".join(singular(_alias(w, aliases)) for w in _words(text) if w not in _STOP)


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
    """What a time expression pins down: named days, months, years and relative phrases.

    None for no time and for the present ("now", "currently"): the article's own date.
    """
    if not text or text.lower().strip() in _sets()["present_times"]:
        return None
    words = _words(text)
    relation = ""
    if words and words[0] in _sets()["time_before"] | _sets()["time_after"]:
        relation = "before " if words[0] in _sets()["time_before"] else "after "
        words = words[1:]
    known = set(lexicon()["time_words"])
    day_parts = _sets()["day_parts"]
    keys: set[str] = set()
    for i, word in enumerate(words):
        if word in day_parts:
            continue  # "Monday morning" is Monday; "this morning" is the article's day
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
        rest = [w for w in words if w not in ("the", "a", "an", "of", "this", "early", "late")]
        if all(w in day_parts for w in rest):
            return None  # "morning", "this morning": a part of a day names no day
        keys = {" ".join(w for w in words if w not in ("the", "a", "an", "of"))}
    return frozenset(relation + key for key in keys)  # "ahead of Tuesday" is not Tuesday


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


#: The note of a match that nothing ties beyond the counted noun (:attr:`Mismatch.untied`).
UNTIED_NOTE = "nothing ties them beyond the counted noun"


@dataclass(frozen=True, slots=True)
class Mismatch:
    """Why two frames are not one quantity: the check that failed and what it saw."""

    #: ``role``, ``kind``, ``counted``, ``modifiers``, ``event``, ``holder``, ``place``,
    #: ``time``, ``tie`` (nothing beyond the counted noun) or ``uncertain`` (too many fuzzy
    #: fields).
    check: str
    detail: str
    #: For a ``tie`` failure whose frames are otherwise certain (the same modifiers, the same
    #: or no predicate, nothing named on one side only): the match they would make, which
    #: :func:`pipeline.across.conflicts.decide` accepts only for values close together.
    untied: Match | None = None

    def describe(self) -> str:
        """E.g. ``modifiers: undocumented / young``."""
        return f"{self.check}: {self.detail}"


@dataclass(frozen=True, slots=True)
class Match:
    """Why two frames are the same quantity."""

    counted: Counted
    exact: bool
    notes: tuple[str, ...]
    #: A holder, place or named time agrees on both sides.
    tied: bool = False


def event_match(a: str | None, b: str | None) -> tuple[bool, bool] | None:
    """(matches, exact) for two predicates, None when they are different events."""
    neutral = _neutral_events()
    a_neutral = a is None or a in neutral
    b_neutral = b is None or b in neutral
    if a == b:
        return True, True
    polarity = frozenset(lexicon()["polarity_preps"])
    if _last(a) in polarity or _last(b) in polarity:
        return None  # "voted against" is not "voted", nor another "against"
    if a_neutral or b_neutral:
        return True, False
    classes = _event_classes()
    a_classes = classes.get(a or "", frozenset()) | classes.get((a or "").split()[0], frozenset())
    b_classes = classes.get(b or "", frozenset()) | classes.get((b or "").split()[0], frozenset())
    if a_classes & b_classes:
        return True, False
    return None


def _last(event: str | None) -> str:
    return (event or "").rsplit(" ", 1)[-1]


def holder_name(text: str | None) -> str | None:
    """The holder as compared: None for the whole or a cause, an alias for another name.

    "Businesses added 146,000" and "employers added 148,000" are the economy's gain, the
    same as an unattributed "146,000 jobs were added"; "the Pentagon" and "the U.S. military"
    are the U.S.; "the attack" that left 58 dead and "the eight days of strikes" that killed
    five are the cause, not whose the dead are.
    """
    if not text:
        return None
    phrase = _phrase(text)
    if not phrase or phrase in _sets()["holder_wholes"]:
        return None
    if phrase in _holder_aliases():
        return _holder_aliases()[phrase]
    if _is_bare_cause(text):
        return None
    return text


def _is_bare_cause(text: str) -> bool:
    """A bare cause ("the attack", "the fighting") is the story's event, not a scene in it.

    A cause with words of its own ("the February attack", "last week's attacks", "a mass
    shooting at an Orlando nightclub") names one scene of a story that tells several.
    """
    words = [w for w in _words(text) if w not in _STOP]
    return len(words) == 1 and words[0] in _sets()["cause_nouns"] and singular(words[0]) == words[0]


def is_cause(text: str | None) -> bool:
    """A holder that is a cause ("the February attack"), not whose the quantity is."""
    words = [w for w in _words(text or "") if w not in _STOP]
    return bool(words) and singular(words[-1]) in _sets()["cause_nouns"]


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
    weekdays = _sets()["weekdays"]
    for named, other in ((key_a, b), (key_b, a)):
        if named is None or other.published_at is None:
            continue
        years = {k for k in named if _YEAR.fullmatch(k)}
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
        months = named & _sets()["months"]
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
    if key_a.head in _sets()["generic_heads"]:
        return Mismatch("counted", f"generic head {key_a.head}")  # "Five things to watch"
    exact = key_a.modifiers == key_b.modifiers
    notes: list[str] = []
    if one_sided_modifiers:
        notes.append("modifiers named on one side only")
    event = event_match(a.event, b.event)
    if event is None:
        return Mismatch("event", f"{a.event} / {b.event}")
    neutral = _neutral_events()
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
    return event is None or event in _neutral_events()


def _listed(modifiers: frozenset[str]) -> str:
    return " ".join(sorted(modifiers)) or "none"
