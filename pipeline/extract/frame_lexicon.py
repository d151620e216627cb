"""The lexicons of figure frames (``data/frames.json``), read once, shared by their modules.

:mod:`pipeline.extract.frames` reads what a figure counts and where it hangs;
:mod:`pipeline.extract.frame_roles` reads in what role. Both take their cue words from here,
so a changed lexicon has one digest for the stage versions.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "frames.json"

#: Lexicon entries read as sets of words.
_SET_NAMES = (
    "particles",
    "person_pronouns",
    "forecast_cues",
    "condition_marks",
    "forecast_nouns",
    "margin_nouns",
    "difference_nouns",
    "lead_events",
    "part_after_of",
    "part_modifiers",
    "change_words",
    "change_events",
    "place_preps",
    "unit_nouns",
    "rate_words",
    "lead_words",
    "period_words",
    "time_adverbs",
    "revision_words",
    "polarity_preps",
    "place_nouns",
    "amount_preps",
    "time_relations",
    "vague_counts",
    "level_preps",
    "group_preps",
    "group_nouns",
)


@cache
def lexicon() -> dict[str, Any]:
    """The frame lexicons (``data/frames.json``), read once."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@cache
def data_digest() -> str:
    """Digest of the lexicon file, for stage versions (a changed lexicon re-extracts)."""
    return hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()[:16]


@cache
def word_sets() -> dict[str, frozenset[str]]:
    """The lexicon's word lists as sets, by name."""
    lex = lexicon()
    return {name: frozenset(lex[name]) for name in _SET_NAMES}
