"""Place mentions: recognition (spaCy entities + gazetteer matching) and GeoNames resolution.

Recognition takes spaCy's GPE/LOC/FAC entities, then adds what NER misses or mislabels: ORG or
PERSON entities and untagged proper-noun runs whose whole text is a gazetteer name that is a
country, a first-level division, a continent, a large city, or a place in a country the article
already talks about ("Nineveh", "Bashiqa"), and country, division and continent names inside
other names ("US Special Forces"). Demonyms and adjectives (NORP: "Iraqi", "Americans") are
place mentions too, resolved to their country, as GDELT-style counts and the GeoWebNews and
LGL gold take them. Every mention says how it names its place (:data:`MENTION_FORMS`: ``name``,
``demonym``, ``modifier`` for "U.S.-led", ``embedded`` for "US Special Forces"), so a user who
wants only names filters on it. The candidate spans come from
:mod:`pipeline.extract.place_spans`; this module makes them mentions (trimmed, joined, with
their hints) and resolves them with :func:`pipeline.link.geocode.resolve`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span

from pipeline.extract.doccache import doc_text
from pipeline.extract.place_spans import (
    CELESTIAL_WORDS,
    PLACE_LABELS,
    STOP_WORDS,
    candidate_spans,
    dateline_parts,
    gazetteer_worthy,
)
from pipeline.link.gazetteer import Gazetteer, name_key
from pipeline.link.geocode import (
    ADMIN_WORDS,
    DEMONYM,
    FACILITY,
    HINT_WORDS,
    MENTION_FORMS,
    METONYM,
    MODIFIER,
    NAME,
    TOWN,
    Mention,
    candidate_rows,
    container_rows,
    metonym_keys,
    resolve,
)

_CONTAINER = re.compile(r",\s*((?:[A-Z][\w\.\-’']*\.?)(?:\s+[A-Z][\w\.\-’']*)*)")
_STRIP_LEFT = ("the ", "The ")
#: What stands between two places of a list: "England and Wales", "Missouri, New York".
_LIST_JOINER = re.compile(r"\s*(?:,|,?\s+(?:and|or|&))\s+")
#: A name joined by a hyphen to the lower-case word it qualifies ("U.S.-led", "Gaza-based").
_MODIFIER = re.compile(r"[-\u2010\u2011][a-z]+\b")
#: A token that is such a compound: the name, then the hyphen and the word.
_MODIFIER_TOKEN = re.compile(r"([A-Z][\w.]*(?:[-\u2010\u2011][A-Z][\w.]*)*)[-\u2010\u2011][a-z]+$")


@dataclass(frozen=True, slots=True)
class Location:
    """One resolved (or unresolvable) place mention; ``doc.text[start:end] == text``."""

    text: str
    start: int
    end: int
    geonameid: int | None
    name: str | None
    feature_code: str | None
    country_code: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    confidence: float
    mention: str = NAME


def _trim(span: Span) -> tuple[int, int] | None:
    """Char offsets of a span without a leading article or a trailing possessive."""
    start, end = span.start_char, span.end_char
    text = doc_text(span.doc)
    for prefix in _STRIP_LEFT:
        if text.startswith(prefix, start, end):
            start += len(prefix)
    while end > start and text[end - 1] in ",;:'’ ":
        end -= 1
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    return (start, end) if end > start else None


def _admin_hint(doc: Doc, span: Span) -> bool:
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    before = doc[span.start - 2 : span.start] if span.start >= 2 else None
    if after in ADMIN_WORDS:
        return True
    return bool(before is not None and before[1].lower_ == "of" and before[0].lower_ in ADMIN_WORDS)


#: Words after "air" that make a facility ("Al-Asad air base", "Scott Air Force Base").
_AIR_WORDS = frozenset({"base", "force", "station", "field"})
#: Words before "of" that make the name a town ("the city of Paris", "Town of Groton").
_TOWN_OF = frozenset({"city", "town", "village", "township", "borough"})


def _kind_hint(doc: Doc, span: Span) -> str | None:
    """The kind of place the words in and around ``span`` name (:data:`HINT_WORDS`), if any.

    Its own last word ("Kiser Lake", "Pulkovo Airport"), the word after it ("the Al-Asad base",
    "the Neches river", "Al Asad air base"), or "city of" before it.
    """
    words = [t.lower_ for t in span if t.lower_ != "the"]
    if len(words) > 1 and words[-1] in HINT_WORDS:
        return HINT_WORDS[words[-1]]
    if words and words[0] == "lake":
        return HINT_WORDS["lake"]
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    if after == "air" and span.end + 1 < len(doc) and doc[span.end + 1].lower_ in _AIR_WORDS:
        return FACILITY
    if after in HINT_WORDS:
        return HINT_WORDS[after]
    before = [t.lower_ for t in doc[max(0, span.start - 2) : span.start]]
    if len(before) == 2 and before[1] == "of" and before[0] in _TOWN_OF:
        return TOWN
    return None


def _container(text: str, end: int) -> str | None:
    match = _CONTAINER.match(text, end, min(len(text), end + 40))
    return match.group(1).rstrip(",") if match else None


def find_mentions(
    doc: Doc,
    gazetteer: Gazetteer,
    *,
    labels: tuple[str, ...] = PLACE_LABELS,
    demonyms: bool = True,
    gazetteer_match: bool = True,
) -> list[Mention]:
    """Recognition only: the place mentions of ``doc`` (see :func:`extract_locations`)."""
    text = doc_text(doc)
    mentions: list[Mention] = []
    previous_end: int | None = None
    # A dateline names the town the reporter files from ("NEW YORK —" is the city).
    datelines = {start for start, _ in dateline_parts(text)}
    for span, form, gaz_only in candidate_spans(doc, gazetteer, labels, demonyms, gazetteer_match):
        trimmed = _trim(span)
        if trimmed is None:
            continue
        start, end = trimmed
        compound = _MODIFIER_TOKEN.fullmatch(text, start, end)
        if compound and form == NAME:
            end = compound.end(1)  # NER took the whole "Baghdad-based" as the place
        surface = text[start:end]
        is_demonym = form == DEMONYM
        if name_key(surface) in STOP_WORDS and not is_demonym:
            continue
        container = _container(text, end)
        if name_key(surface) in CELESTIAL_WORDS and not (
            container and container_rows(gazetteer, container)
        ):
            continue  # "Titan, Saturn's largest moon", but not "Mars, Pa."
        if form == NAME and _MODIFIER.match(text, end):
            form = MODIFIER  # "U.S.-led", "Baghdad-based": the name qualifies a word
        elif form == NAME and container is None and name_key(surface) in metonym_keys():
            form = METONYM  # "the White House said": Washington, as its government
        mentions.append(
            Mention(
                text=surface,
                start=start,
                end=end,
                container=container,
                admin_hint=_admin_hint(doc, span),
                demonym=is_demonym,
                gazetteer_only=gaz_only,
                listed=(
                    previous_end is not None
                    and not is_demonym
                    and _LIST_JOINER.fullmatch(text, previous_end, start) is not None
                ),
                form=form,
                hint=None if is_demonym else TOWN if start in datelines else _kind_hint(doc, span),
            )
        )
        previous_end = None if is_demonym else end
    mentions = _joined(gazetteer, text, mentions)
    if gazetteer_match:
        mentions = _with_modifiers(doc, gazetteer, mentions)
    return mentions


def _joined(gazetteer: Gazetteer, text: str, mentions: list[Mention]) -> list[Mention]:
    """Neighbouring names that together are one gazetteer name ("Baja" "California")."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.form == m.form == NAME
            and text[prev.end : m.start] == " "
            and any(
                int(gazetteer.kind[r]) in (0, 2)
                for r in gazetteer.lookup(text[prev.start : m.end])[:20]
            )
        ):
            out[-1] = replace(
                m,
                text=text[prev.start : m.end],
                start=prev.start,
                gazetteer_only=prev.gazetteer_only and m.gazetteer_only,
                listed=prev.listed,
            )
            continue
        out.append(m)
    return out


def _with_modifiers(doc: Doc, gazetteer: Gazetteer, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` plus names inside hyphenated modifier tokens ("U.S.-led", "Gaza-based").

    spaCy keeps such a compound as one token and tags it as no entity; its name part is taken
    when it is a place worth taking on its own (a country, division or large city).
    """
    text = doc_text(doc)
    covered = [(m.start, m.end) for m in mentions]
    added: list[Mention] = []
    for token in doc:
        if "-" not in token.text and "\u2010" not in token.text and "\u2011" not in token.text:
            continue
        match = _MODIFIER_TOKEN.fullmatch(token.text)
        if match is None:
            continue
        start = token.idx
        end = start + match.end(1)
        if any(s < end and start < e for s, e in covered):
            continue
        key = name_key(text[start:end])
        if key in STOP_WORDS or not (
            gazetteer_worthy(gazetteer, text[start:end], set(), set(), local=False)
            or any(
                gazetteer.feature_code(row) == "PCLI" for row in gazetteer.rows_for(key)[:5]
            )  # "U.S.", "UK": too short for the general test, which skips "us"
        ):
            continue
        added.append(Mention(text[start:end], start, end, form=MODIFIER))
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda m: m.start)


def to_locations(
    gazetteer: Gazetteer, mentions: list[Mention], *, keep_unresolved: bool = True
) -> Iterator[Location]:
    """Resolve recognised mentions (one document) into :class:`Location` records."""
    resolutions = resolve(gazetteer, mentions)
    for mention, res in zip(mentions, resolutions, strict=True):
        if res.row is None:
            if not keep_unresolved or mention.demonym or mention.gazetteer_only:
                continue
            # No gazetteer entry; the point, if any, is the document's focus (low confidence).
            yield Location(
                mention.text,
                mention.start,
                mention.end,
                None,
                None,
                None,
                None,
                None,
                res.latitude,
                res.longitude,
                res.confidence,
                mention.form,
            )
            continue
        place = gazetteer.place(res.row)
        yield Location(
            text=mention.text,
            start=mention.start,
            end=mention.end,
            geonameid=place.geonameid if place.geonameid > 0 else None,  # see link.coverage
            name=place.name,
            feature_code=place.feature_code,
            country_code=place.country_code or None,
            admin1=place.admin1,
            latitude=res.latitude,
            longitude=res.longitude,
            confidence=res.confidence,
            mention=mention.form,
        )


def extract_locations(
    doc: Doc,
    gazetteer: Gazetteer,
    *,
    labels: tuple[str, ...] = PLACE_LABELS,
    demonyms: bool = True,
    gazetteer_match: bool = True,
    keep_unresolved: bool = True,
) -> Iterator[Location]:
    """Yield the place mentions of ``doc``, each resolved to GeoNames when possible.

    Args:
        doc: A parsed document (entities, POS tags).
        gazetteer: A loaded :class:`~pipeline.link.gazetteer.Gazetteer`.
        labels: spaCy entity labels taken as places.
        demonyms: Also yield demonyms ("Iraqi", "Americans"), resolved to their country (on
            by default, as ``newsledger run`` extracts them; rows say so in ``mention``).
        gazetteer_match: Add gazetteer names that NER missed or mislabelled.
        keep_unresolved: Yield NER place mentions that no gazetteer entry fits (null id).
    """
    mentions = find_mentions(
        doc, gazetteer, labels=labels, demonyms=demonyms, gazetteer_match=gazetteer_match
    )
    yield from to_locations(gazetteer, mentions, keep_unresolved=keep_unresolved)


__all__ = [
    "MENTION_FORMS",
    "PLACE_LABELS",
    "Location",
    "candidate_rows",
    "extract_locations",
    "find_mentions",
    "to_locations",
]
