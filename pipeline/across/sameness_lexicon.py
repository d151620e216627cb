"""The lexicons of the frame comparison and the word normalisation every field shares.

:mod:`pipeline.across.sameness` compares two figures' frames field by field; every field
(counted noun, holder, place, time) is read through the same few tables and the same
tokenisation: ``data/sameness.json`` (holders that mean the whole, aliases, causes, time
words), the frames' lexicon (:func:`pipeline.extract.frames.lexicon`: modifier aliases, head
synonyms, event classes) and the gazetteer's demonyms. They live here, apart from the
decision, so that the keys (:mod:`pipeline.across.sameness_keys`) and the comparison read one
copy, and :func:`data_digest` names every file the across stage's version must cover.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.extract.frames import lexicon
from pipeline.link.gazetteer import BUNDLED_GEONAMES
from pipeline.link.gazetteer_inputs import TABLE_FILES, nationality_lines, read_tsv

#: Lexicons of the comparison itself (holders that mean the whole, aliases, causes).
DATA_FILE = Path(__file__).resolve().parent / "data" / "sameness.json"
#: The gazetteer's demonyms ("word:CODE" lines; "scope, code, forms" rows), read for the
#: nationality modifiers (:func:`nationality_modifiers`) by the gazetteer builder's readers.
DEMONYM_FILES = (BUNDLED_GEONAMES / "nationalities.txt", TABLE_FILES["demonyms"])
#: Countries whose nationality news leaves unsaid: not a part of the population it counts.
_UNSAID_CODES = frozenset(("US", "GB"))

_TOKEN = re.compile(r"[a-z0-9][a-z0-9.'-]*")
#: Words that do not narrow what is counted.
STOP_WORDS = frozenset(
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
_IRREGULAR = {
    "people": "person",
    "men": "man",
    "women": "woman",
    "children": "child",
    "personnel": "personnel",
    "police": "police",
}


@cache
def modifier_aliases() -> dict[str, str]:
    """One spelling of each modifier or name (the frames' ``modifier_aliases``)."""
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
    nationalities, demonyms = DEMONYM_FILES
    forms = [(code, form) for form, code in nationality_lines(nationalities)]
    for fields in read_tsv(demonyms):
        if len(fields) > 2:
            forms.extend((fields[1].strip(), form.strip()) for form in fields[2].split("|"))
    unsaid = {"us", "uk"}
    words = set()
    for code, form in forms:
        if not form or code in _UNSAID_CODES or form.replace(".", "").isupper():
            continue
        word = form.split()[-1].lower()
        if modifier_aliases().get(word) not in unsaid:
            words.add(word)
    return frozenset(words)


@cache
def word_sets() -> dict[str, frozenset[str]]:
    """The comparison's word sets by name, read once (kinds include nationalities)."""
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
        "holder_wholes": frozenset(lookup_phrase(w) for w in lex["holder_wholes"]),
    }


@cache
def holder_aliases() -> dict[str, str]:
    """Holder lookup phrase -> the name it stands for ("the Pentagon" -> the U.S.)."""
    return {
        lookup_phrase(name): alias for name, alias in comparison_lexicon()["holder_aliases"].items()
    }


def lookup_phrase(text: str) -> str:
    """A holder as a lookup key: words without determiners, spellings unified, singular."""
    aliases = modifier_aliases()
    return " ".join(
        singular(unified_word(w, aliases)) for w in lower_words(text) if w not in STOP_WORDS
    )


@cache
def head_synonyms() -> dict[str, str]:
    """Counted head -> the head it counts as ("force" -> "troop")."""
    return dict(lexicon()["head_synonyms"])


@cache
def event_classes() -> dict[str, frozenset[str]]:
    """Event lemma -> the classes it belongs to."""
    classes: dict[str, set[str]] = {}
    for name, members in lexicon()["event_classes"].items():
        for member in members:
            classes.setdefault(member, set()).add(name)
    return {lemma: frozenset(names) for lemma, names in classes.items()}


@cache
def neutral_events() -> frozenset[str]:
    """Predicates that tie nothing ("be", "have")."""
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


def lower_words(text: str) -> list[str]:
    """Lowercase words with multi-word place names unified ("United States" -> "us")."""
    text = text.lower().replace("’", "'")
    for name, alias in modifier_aliases().items():
        if " " in name:
            text = re.sub(rf"\b{re.escape(name)}\b", alias, text)
    return [
        t.rstrip("'").rstrip(".") if t.endswith("'") else t.rstrip("'")
        for t in _TOKEN.findall(text)
    ]


def unified_word(word: str, aliases: Mapping[str, str]) -> str:
    """One spelling of a modifier or name word ("U.S." and "American" are "us")."""
    return aliases.get(word, aliases.get(word.rstrip("."), word.rstrip(".")))
