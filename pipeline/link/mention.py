"""A place mention as resolution sees it, and what resolving it gives.

Kept apart from :mod:`pipeline.link.geocode` so that candidate lookup
(:mod:`pipeline.link.candidates`) and ranking (:mod:`pipeline.link.ranker`) can use it.
"""

from __future__ import annotations

from dataclasses import dataclass

# fmt: off
#: Division words that make a bare name a division ("Nineveh province", "the state of Ohio").
ADMIN_WORDS = frozenset({
    "province", "governorate", "state", "region", "county", "district", "parish", "prefecture",
    "oblast", "department", "provinces", "counties", "states",
})
#: Last words of a polity's name ("the Russian Empire", "the Soviet Union"): with no candidate
#: of its own, such a name stands where the document's main place does, not in one of its towns.
POLITY_WORDS = frozenset({
    "empire", "union", "republic", "kingdom", "federation", "caliphate", "confederation",
    "commonwealth", "emirate", "sultanate", "dynasty", "states",
})  # fmt: skip
#: What the words beside a name say it names ("the Al-Asad air base", "Kiser Lake", "the city of
#: Paris"): a feature candidates of that kind match and others do not (``Mention.hint``).
FACILITY, WATER, TOWN = "facility", "water", "town"
HINT_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("airport", "airfield", "airbase", "base", "bases", "airstrip", "aerodrome"), FACILITY
    ),
    **dict.fromkeys(
        ("river", "lake", "creek", "bay", "sea", "ocean", "gulf", "strait", "reservoir",
         "canal", "lakes", "rivers", "harbor", "harbour", "sound"),
        WATER,
    ),
    **dict.fromkeys(("city", "town", "village", "township", "borough", "hamlet"), TOWN),
}
# fmt: on

#: How a place is mentioned (the ``mention`` column of ``locations``): by its name ("Iraq"),
#: by a demonym or adjective ("Iraqi", "Americans"), by its name used as a modifier
#: ("U.S.-led"), by its name inside the name of something else ("US Special Forces"), or by
#: a building that stands for its government ("the White House": Washington).
NAME, DEMONYM, MODIFIER, EMBEDDED, METONYM = "name", "demonym", "modifier", "embedded", "metonym"
MENTION_FORMS = (NAME, DEMONYM, MODIFIER, EMBEDDED, METONYM)


@dataclass(frozen=True, slots=True)
class Mention:
    """A place mention to resolve.

    Attributes:
        text: Surface text.
        start: Char offset.
        end: Char offset.
        container: Surface text of an explicit container right after it ("X, Iraq"), if any.
        admin_hint: True when a division word is attached ("Nineveh province").
        demonym: True for a demonym ("Iraqi"): countries and continents only.
        gazetteer_only: True when only the gazetteer (not NER) proposed it.
        listed: True when it follows the previous mention in a list ("England and Wales",
            "Missouri, New York"): the two are likely places of one kind.
        form: How the place is mentioned, one of :data:`MENTION_FORMS`.
        hint: The kind of place the words around it name (:data:`HINT_WORDS`), if any.
    """

    text: str
    start: int
    end: int
    container: str | None = None
    admin_hint: bool = False
    demonym: bool = False
    gazetteer_only: bool = False
    listed: bool = False
    form: str = NAME
    hint: str | None = None

    @property
    def abbreviation(self) -> bool:
        """Whether the surface looks like a dotted or capitals abbreviation ("Ga.", "NJ", "NSW")."""
        t = self.text
        return (t.endswith(".") and len(t) <= 6) or (len(t) in (2, 3) and t.isupper())


@dataclass(frozen=True, slots=True)
class Resolution:
    """The chosen gazetteer row (``row`` is None when unresolved), a 0..1 confidence and a point.

    The point is the row's, except where the gazetteer has only a guess (``approx``, e.g. a
    county) and the document locates it better; an unmatched local name ("Kingsley Road")
    gets the document's focus point with ``row`` None.
    """

    row: int | None
    confidence: float
    latitude: float | None = None
    longitude: float | None = None
    approx: bool = False
