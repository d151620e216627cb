"""A frame's fields as the comparison reads them: keys that two spellings of one thing share.

"U.S. troops" and "American forces" are one counted thing, "the Pentagon" and "the U.S.
military" one holder, "Monday night" and "Monday" one time. :mod:`pipeline.across.sameness`
decides on these keys (:class:`Counted`, :func:`counted_key`, :func:`name_key`,
:func:`time_key`, :func:`holder_name`); the learned baseline
(:mod:`pipeline.evaluate.conflict_baseline`) reads them as features. Kept apart from the
decision so that each can be read (and tested) on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.across.sameness_lexicon import (
    STOP_WORDS,
    head_synonyms,
    holder_aliases,
    lookup_phrase,
    lower_words,
    modifier_aliases,
    singular,
    unified_word,
    word_sets,
)
from pipeline.extract.frames import lexicon

#: A year, as a time names it.
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
#: Modifiers that make the figure a difference, not a level ("49,000 fewer jobs").
_DELTA = frozenset(("more", "fewer", "less", "additional", "extra", "further"))
#: A counted thing starting with a multiplier means the value lost it ("69K jobs" read as 69).
_MULTIPLIER = frozenset(
    ("k", "m", "bn", "b", "mn", "million", "billion", "thousand", "hundred", "trillion")
)


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
        generic = frozenset(modifier_aliases().values())
        loose = word_sets()["loose_modifiers"]
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
        return not (self.modifiers ^ other.modifiers) & word_sets()["kind_modifiers"]

    def label(self) -> str:
        """Readable key, e.g. ``us troop``."""
        return " ".join([*sorted(self.modifiers), self.head])


def counted_key(counted: str | None) -> Counted | None:
    """Normalise a counted thing; None when there is nothing to compare."""
    if not counted:
        return None
    tokens = lower_words(counted)
    if not tokens or tokens[0].rstrip(".") in _MULTIPLIER or _DELTA & set(tokens):
        return None
    tokens = [t for t in tokens if t and t not in STOP_WORDS and not t[0].isdigit()]
    if not tokens:
        return None
    head = singular(tokens[-1].rstrip("."))
    head = head_synonyms().get(head, head)
    aliases = modifier_aliases()
    modifiers = frozenset(
        aliases.get(t, aliases.get(t.rstrip("."), t.rstrip("."))) for t in tokens[:-1]
    )
    return Counted(head, modifiers)


def name_key(text: str | None) -> frozenset[str] | None:
    """Words of a holder or place name, spellings unified; None when there is none."""
    if not text:
        return None
    aliases = modifier_aliases()
    words = frozenset(unified_word(w, aliases) for w in lower_words(text) if w not in STOP_WORDS)
    return words or None


_TIME_UNITS = ("week", "month", "year", "quarter", "weekend", "decade", "day", "night")


def time_key(text: str | None) -> frozenset[str] | None:
    """What a time expression pins down: named days, months, years and relative phrases.

    None for no time and for the present ("now", "currently"): the article's own date.
    """
    if not text or text.lower().strip() in word_sets()["present_times"]:
        return None
    words = lower_words(text)
    relation = ""
    if words and words[0] in word_sets()["time_before"] | word_sets()["time_after"]:
        relation = "before " if words[0] in word_sets()["time_before"] else "after "
        words = words[1:]
    known = set(lexicon()["time_words"])
    day_parts = word_sets()["day_parts"]
    keys: set[str] = set()
    for i, word in enumerate(words):
        if word in day_parts:
            continue  # "Monday morning" is Monday; "this morning" is the article's day
        if YEAR.fullmatch(word):
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


def holder_name(text: str | None) -> str | None:
    """The holder as compared: None for the whole or a cause, an alias for another name.

    "Businesses added 146,000" and "employers added 148,000" are the economy's gain, the
    same as an unattributed "146,000 jobs were added"; "the Pentagon" and "the U.S. military"
    are the U.S.; "the attack" that left 58 dead and "the eight days of strikes" that killed
    five are the cause, not whose the dead are.
    """
    if not text:
        return None
    phrase = lookup_phrase(text)
    if not phrase or phrase in word_sets()["holder_wholes"]:
        return None
    if phrase in holder_aliases():
        return holder_aliases()[phrase]
    if _is_bare_cause(text):
        return None
    return text


def _is_bare_cause(text: str) -> bool:
    """A bare cause ("the attack", "the fighting") is the story's event, not a scene in it.

    A cause with words of its own ("the February attack", "last week's attacks", "a mass
    shooting at an Orlando nightclub") names one scene of a story that tells several.
    """
    words = [w for w in lower_words(text) if w not in STOP_WORDS]
    return (
        len(words) == 1
        and words[0] in word_sets()["cause_nouns"]
        and singular(words[0]) == words[0]
    )


def is_cause(text: str | None) -> bool:
    """A holder that is a cause ("the February attack"), not whose the quantity is."""
    words = [w for w in lower_words(text or "") if w not in STOP_WORDS]
    return bool(words) and singular(words[-1]) in word_sets()["cause_nouns"]
