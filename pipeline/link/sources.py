"""Canonical sources: who is cited, as one entity across the corpus.

A :class:`SourceRef` is one mention of a source inside one article, already canonicalised
within that article (surname -> full name, pronoun -> antecedent, "AP" -> "The Associated
Press"). Its ``source_id`` depends only on the canonical key (kind family + normalised
name), so the same entity gets the same id in every article without a corpus pass.
:func:`merge_sources` folds the mentions of a whole corpus into the rows of the ``sources``
table.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.ids import stable_id

SOURCE_KINDS = (
    "news_agency",
    "media",
    "government",
    "military",
    "politician",
    "official",
    "organisation",
    "international_org",
    "ngo",
    "person",
    "anonymous",
    "document",
)

#: Personal pronouns: resolved to an antecedent, never kept as an alias.
PRONOUNS = frozenset(
    {"he", "she", "they", "it", "him", "her", "them", "we", "i", "you", "us", "who", "which"}
)

#: Kinds that name an individual; the rest name a body (or a text).
PERSON_KINDS = frozenset({"politician", "official", "person"})


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One mention of a source, canonicalised within its article.

    Attributes:
        source_id: Stable id derived from the canonical key only.
        name: Canonical display name.
        kind: One of :data:`SOURCE_KINDS`.
        description: Role from an apposition or the anonymous description, if any.
        surface: The text as written in the article ("AP", "he", "the spokesman").
    """

    source_id: str
    name: str
    kind: str
    description: str | None
    surface: str


@dataclass(frozen=True, slots=True)
class Source:
    """One row of the ``sources`` table (corpus-wide aggregate of :class:`SourceRef`)."""

    source_id: str
    name: str
    kind: str
    description: str | None
    aliases: tuple[str, ...]


# --------------------------------------------------------------------------------------------
# Alias table: agencies, major outlets and international bodies.
# --------------------------------------------------------------------------------------------

#: The alias table, a data file (``data/source_aliases.toml``): canonical name, kind and the
#: names each body goes by.
ALIASES_FILE = Path(__file__).parent / "data" / "source_aliases.toml"
_ALIAS_TABLE: tuple[tuple[str, str, tuple[str, ...]], ...] = tuple(
    (body["name"], body["kind"], tuple(body["aliases"]))
    for body in tomllib.loads(ALIASES_FILE.read_text("utf-8"))["body"]
)

_QUOTE_TRANS = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": "-", "—": "-", "‐": "-"})
_TITLES = (
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "sir",
    "dame",
    "lord",
    "rev",
    "president",
    "vice",
    "prime",
    "minister",
    "sen",
    "sens",
    "senator",
    "rep",
    "reps",
    "representative",
    "congressman",
    "congresswoman",
    "assemblyman",
    "assemblywoman",
    "councilman",
    "councilwoman",
    "gov",
    "governor",
    "secretary",
    "gen",
    "general",
    "col",
    "colonel",
    "lt",
    "maj",
    "major",
    "capt",
    "captain",
    "adm",
    "admiral",
    "sgt",
    "army",
    "navy",
    "air",
    "force",
    "marine",
    "brig",
    "lieutenant",
    "mayor",
    "judge",
    "justice",
    "chancellor",
    "king",
    "queen",
    "prince",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "attorney",
    "former",
    "u.s",
    "us",
    "state",
    "foreign",
    "defense",
    "defence",
    "chief",
    "sheikh",
    "ayatollah",
    "speaker",
    "leader",
    "gop",
)
_MILITARY_TITLES = frozenset(
    {
        "gen",
        "general",
        "col",
        "colonel",
        "lt",
        "maj",
        "major",
        "capt",
        "captain",
        "adm",
        "admiral",
        "sgt",
        "army",
        "navy",
        "marine",
        "brig",
        "lieutenant",
    }
)
_POLITICIAN_TITLES = frozenset(
    {
        "president",
        "prime",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "mayor",
        "chancellor",
        "king",
        "queen",
        "prince",
        "speaker",
    }
)
_OFFICIAL_TITLES = frozenset(
    {
        "minister",
        "secretary",
        "ambassador",
        "spokesman",
        "spokeswoman",
        "attorney",
        "judge",
        "justice",
        "chief",
    }
)


@lru_cache(maxsize=16384)
def normalise_name(text: str) -> str:
    """Key for comparing names: accents, case, dots, quotes, leading "the" and spacing removed.

    Memoised: claim extraction asks for the same few names over and over (every known name of
    the article for every short one), 46k calls for 300 articles.

    Args:
        text: A name as written ("The Associated Press", "U.S.-led coalition").
    """
    folded = unicodedata.normalize("NFKD", text.translate(_QUOTE_TRANS))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    folded = folded.replace(".", "")
    folded = re.sub(r"['\"(),]", " ", folded)
    folded = re.sub(r"\s+", " ", folded).strip()
    folded = re.sub(r"^the ", "", folded)
    return re.sub(r"'s$", "", folded).strip()


_ALIASES: dict[str, tuple[str, str]] = {}
for _canonical, _kind, _names in _ALIAS_TABLE:
    for _alias in (*_names, _canonical):
        _ALIASES[normalise_name(_alias)] = (_canonical, _kind)


def lookup_alias(text: str) -> tuple[str, str] | None:
    """Canonical name and kind of a known agency, outlet or body, or ``None``.

    Args:
        text: A surface form ("AP", "the Associated Press (AP)", "U.N.").
    """
    key = normalise_name(re.sub(r"\s*\([^)]*\)\s*$", "", text))
    return _ALIASES.get(key)


#: Titles that say a person's sex, by the sex they say ("Mr." a man; "Mrs.", "Ms.", "Miss" a
#: woman). One table for its two readers: which of "he" and "she" a titled surname can stand
#: for (:mod:`pipeline.extract.speaker_names`), and whether a surname titled both ways is two
#: people (:mod:`pipeline.link.same_person`).
TITLE_SEX = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}


def strip_titles(name: str) -> tuple[str, tuple[str, ...]]:
    """Split leading honorifics and ranks off a personal name.

    Returns:
        The bare name ("Ryan Dillon") and the lower-cased titles removed (("army", "col")).
    """
    words = name.split()
    titles: list[str] = []
    while len(words) > 1 and words[0].rstrip(".").casefold() in _TITLES:
        titles.append(words.pop(0).rstrip(".").casefold())
    return " ".join(words), tuple(titles)


def _own_role_words(description: str) -> set[str]:
    """The description's words, less titles followed by a name: they title someone else.

    "attorney general under former President George W. Bush" is an official, not a politician.
    """
    words = description.split()
    return {
        word.strip(".,").casefold()
        for word, after in zip(words, [*words[1:], ""], strict=True)
        if not (is_title(word) and after[:1].isupper() and not is_title(after))
    }


def _civilian(words: set[str]) -> set[str]:
    """``words`` without the ranks that are part of a civilian office's title."""
    if "attorney" in words or "surgeon" in words:  # Attorney General, Surgeon General
        words = words - {"general"}
    if words & {"gov", "governor"}:  # Lt. Gov.
        words = words - {"lt", "lieutenant"}
    return words


def is_title(word: str) -> bool:
    """Whether a word is an honorific or rank that :func:`strip_titles` removes ("Rep.")."""
    return word.rstrip(".,").casefold() in _TITLES


#: A vice president described by a field or a body ("for policy", "at Boeing") is an executive:
#: a country's vice president is titled ("Vice President Joe Biden") or "of" it.
_EXECUTIVE = re.compile(r"\bvice[ -]president (?:for|at|in)\b", re.I)


def person_kind(titles: Sequence[str], description: str | None) -> str:
    """Kind of a named individual from its titles and role description.

    "Attorney General" and "Lt. Gov." are civilian offices, not ranks, and a title in the
    description that names someone else ("adviser to President Obama") is not the person's.
    """
    ranks = _civilian(set(titles))
    words = set(ranks)
    if description:
        own = _civilian(_own_role_words(description))
        if _EXECUTIVE.search(description):  # "vice president for policy at the Cato Institute"
            own = (own - {"president"}) | {"executive"}
        words |= own
    if words & _MILITARY_TITLES:
        return "official" if not ranks & _MILITARY_TITLES else "military"
    if words & _POLITICIAN_TITLES or words & {
        "senator",
        "congressman",
        "congresswoman",
        "lawmaker",
        "candidate",
        "nominee",
    }:
        return "politician"
    if words & _OFFICIAL_TITLES or words & {
        "official",
        "adviser",
        "advisor",
        "director",
        "spokesperson",
        "envoy",
        "executive",
    }:
        return "official"
    return "person"


_GOVERNMENT_WORDS = frozenset(
    {
        "government",
        "ministry",
        "department",
        "administration",
        "cabinet",
        "parliament",
        "congress",
        "senate",
        "house",
        "agency",
        "council",
        "office",
        "authorities",
        "police",
        "court",
        "commission",
        "kremlin",
        "municipality",
        "embassy",
        "bureau",
    }
)
_MILITARY_WORDS = frozenset(
    {
        "military",
        "army",
        "coalition",
        "forces",
        "force",
        "command",
        "navy",
        "pentagon",
        "troops",
        "militia",
        "militias",
    }
)
_MEDIA_WORDS = frozenset(
    {
        "news",
        "times",
        "post",
        "journal",
        "tribune",
        "herald",
        "gazette",
        "magazine",
        "radio",
        "television",
        "tv",
        "newspaper",
        "channel",
        "press",
        "daily",
        "telegraph",
        "report",
    }
)
_NGO_WORDS = frozenset({"watch", "amnesty", "foundation", "charity", "rights", "institute"})


def organisation_kind(name: str) -> str:
    """Kind of a named body from the words of its name."""
    words = {w.strip(".,()").casefold() for w in name.split()}
    if words & _MEDIA_WORDS and not words & _GOVERNMENT_WORDS:
        return "media"
    if words & _MILITARY_WORDS:
        return "military"
    if words & _GOVERNMENT_WORDS:
        return "government"
    if words & _NGO_WORDS:
        return "ngo"
    return "organisation"


#: The kinds of a news outlet or agency.
NEWS_KINDS = frozenset({"media", "news_agency"})


def named_kind(surface: str) -> tuple[str | None, str]:
    """Canonical name and kind of the body ``surface`` names, the name ``None`` when unknown.

    The alias table's entry when it holds the name ("AP": the Associated Press, a news agency),
    else no canonical name and the kind the words of the name give ("Weekly Standard": media).
    """
    known = lookup_alias(surface)
    return known if known is not None else (None, organisation_kind(surface))


def kind_family(kind: str, *, individual: bool = False) -> str:
    """Coarse family that keys the id: persons, bodies, anonymous sources and documents.

    "military" names a body ("the US-led coalition") or, with ``individual``, a soldier ("Army
    Col. Ryan Dillon"), who shares the id of the same name cited without a rank.
    """
    if kind in PERSON_KINDS or (individual and kind == "military"):
        return "person"
    if kind in ("anonymous", "document"):
        return kind
    return "body"


def source_id_for(kind: str, name: str, *, individual: bool = False) -> str:
    """Stable id of a canonical source: ``"src_" + stable_id(family, normalised name)``."""
    return "src_" + stable_id(kind_family(kind, individual=individual), normalise_name(name))


def make_ref(
    name: str, kind: str, description: str | None, surface: str, *, individual: bool = False
) -> SourceRef:
    """Build a :class:`SourceRef`, checking the kind and deriving the id.

    Args:
        name: Canonical display name.
        kind: One of :data:`SOURCE_KINDS`.
        description: Role, if any.
        surface: Text as written in the article.
        individual: The source is one person (matters only for "military").
    """
    if kind not in SOURCE_KINDS:
        raise ValueError(f"unknown source kind {kind!r}")
    source_id = source_id_for(kind, name, individual=individual)
    return SourceRef(source_id, name, kind, description or None, surface)


def expand_surname(name: str, known_full_names: Iterable[str]) -> str:
    """Map a short name ("al-Abadi", "Mr. Obama") to a fuller name seen in the same article.

    A known name matches when it :func:`ends_with_name` ``name`` (after titles are stripped).
    Of several, the one named most often wins ("Trump" is Donald Trump in an article that
    cites him ten times and Melania Trump once), then the longest, then the first
    alphabetically, so the result is deterministic.

    Args:
        name: The name as cited, titles allowed.
        known_full_names: Person names seen in the article, once per mention.
    """
    bare, _ = strip_titles(name)
    matches = Counter(full for full in known_full_names if ends_with_name(full, bare))
    if not matches:
        return bare
    return min(matches, key=lambda full: (-matches[full], -len(full), full))


def ends_with_name(full: str, name: str) -> bool:
    """Whether ``full`` is a longer name whose last words are ``name`` ("Haider al-Abadi")."""
    key = normalise_name(name).split()
    words = normalise_name(full).split()
    return bool(key) and len(words) > len(key) and words[-len(key) :] == key


#: Kinds a mention gets when nothing in it says more: a name alone, a body's name alone.
_GENERIC_KINDS = frozenset({"person", "organisation"})


def merge_sources(refs: Iterable[SourceRef]) -> list[Source]:
    """Aggregate mentions into ``sources`` rows, one per ``source_id``, sorted by id.

    The name is the most frequent canonical name (ties: the longest, then alphabetical); the
    kind is the most frequent kind other than the generic "person" and "organisation" when a
    mention gives one (a title makes "President Donald Trump" a politician, though "Trump"
    alone says only person), else the most frequent (ties: alphabetical); the description is
    the most frequent non-null description (ties: alphabetical); aliases are the sorted
    distinct surfaces and names other than the chosen name.
    """
    by_id: dict[str, list[SourceRef]] = defaultdict(list)
    for ref in refs:
        by_id[ref.source_id].append(ref)
    rows: list[Source] = []
    for source_id in sorted(by_id):
        group = by_id[source_id]
        names = Counter(r.name for r in group)
        name = min(names, key=lambda n: (-names[n], -len(n), n))
        kinds = Counter(r.kind for r in group)
        kinds = Counter({k: n for k, n in kinds.items() if k not in _GENERIC_KINDS}) or kinds
        kind = min(kinds, key=lambda k: (-kinds[k], k))
        descriptions = Counter(r.description for r in group if r.description)
        description = (
            min(descriptions, key=lambda d: (-descriptions[d], d)) if descriptions else None
        )
        aliases = {r.surface for r in group if r.surface.casefold() not in PRONOUNS}
        aliases = (aliases | set(names)) - {name}
        rows.append(Source(source_id, name, kind, description, tuple(sorted(aliases))))
    return rows
