"""Place mentions: recognition (spaCy entities + gazetteer matching) and GeoNames resolution.

Recognition takes spaCy's GPE/LOC/FAC entities, then adds what NER misses or mislabels: ORG or
PERSON entities and untagged proper-noun runs whose whole text is a gazetteer name that is a
country, a first-level division, a continent, a large city, or a place in a country the article
already talks about ("Nineveh", "Bashiqa"), and country, division and continent names inside
other names ("US Special Forces"). Demonyms and adjectives (NORP: "Iraqi", "Americans") are
place mentions too, resolved to their country, as GDELT-style counts and the GeoWebNews and
LGL gold take them. Every mention says how it names its place (:data:`MENTION_FORMS`: ``name``,
``demonym``, ``modifier`` for "U.S.-led", ``embedded`` for "US Special Forces"), so a user who
wants only names filters on it. Resolution is :func:`pipeline.link.geocode.resolve`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.tokens import Doc, Span

from pipeline.extract.doccache import doc_ents, doc_text
from pipeline.link.gazetteer import KIND_DEMONYM, Gazetteer, name_key
from pipeline.link.geocode import (
    ADMIN_WORDS,
    DEMONYM,
    EMBEDDED,
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

#: spaCy labels taken as place mentions.
PLACE_LABELS: tuple[str, ...] = ("GPE", "LOC", "FAC")

#: The word lists of recognition (organisation words, stop words, titles, celestial bodies,
#: generic kind words): data, not code.
WORDS_PATH = Path(__file__).resolve().parent / "data" / "places.toml"
_WORDS = tomllib.loads(WORDS_PATH.read_text(encoding="utf-8"))
#: Words that make an ORG/untagged span an organisation rather than a place.
_ORG_WORDS = frozenset(_WORDS["org_words"])
#: Words never taken as gazetteer-only mentions on their own (sentence-initial capitals etc.).
_STOP = frozenset(_WORDS["stop"])
#: Titles before a name: capitalised words after one name a person ("Gov. Jackson").
_TITLES = frozenset(_WORDS["titles"])
#: Bodies of the solar system (and the Apollo programme) that gazetteers also hold as towns:
#: "Titan", Saturn's moon, is not Tītān in Afghanistan, nor "Mars" a town in Pennsylvania,
#: unless the text says so ("Mars, Pa.").
_CELESTIAL = frozenset(_WORDS["celestial"])

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


def _gazetteer_worthy(
    gazetteer: Gazetteer, text: str, countries: set[str], admin1: set[str], *, local: bool
) -> bool:
    """Whether a span that NER did not call a place is a place name worth taking.

    Countries, continents, first-level divisions and large cities always are; with ``local``,
    so is a place of >= 1,000 inhabitants in a country the document mentions and in a
    first-level division it mentions (or, for countries with few mentions, the country alone).
    """
    key = name_key(text)
    if not key or key in _STOP or len(key) < 3:
        return False
    if set(key.split()) & _ORG_WORDS:
        return False
    for row in gazetteer.rows_for(key)[:20]:
        kind = int(gazetteer.kind[row])
        if kind not in (0, 1, 2):
            continue
        code = gazetteer.feature_code(row)
        pop = int(gazetteer.population[row])
        if code in ("PCLI", "CONT", "RGN") or (code == "ADM1" and kind != 1):
            return True
        if code in ("AIRB", "AIRP") and local and gazetteer.country_code(row) in countries:
            return True  # an air base or airport in a country the article talks about
        if not code.startswith("PPL") or kind == 1:
            continue
        if pop >= 200_000:
            return True
        cc = gazetteer.country_code(row)
        if local and pop >= 1_000 and cc in countries:
            a1 = f"{cc}.{gazetteer.admin1_code(row)}"
            if a1 in admin1 or not any(a.startswith(cc + ".") for a in admin1):
                return True
    return False


#: A dateline: capitals opening a paragraph or following a sentence, before a comma, an agency
#: or a dash ("TORONTO — ", "BOSTON (Reuters) - ", "TIJUANA & SAN DIEGO, March 29").
_CAPS_RUN = r"[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+)*"
_DATELINE = re.compile(
    rf"(?:^|\n|\. )\s*({_CAPS_RUN}(?: & {_CAPS_RUN})*)(?=,| \(| ?[\u2014\u2013-]+ )"
    # The magazine form puts the town in brackets before the dash: "(NEW YORK) — Police ..."
    rf"|(?:^|\n|\. )\s*\(({_CAPS_RUN}(?: & {_CAPS_RUN})*)\)(?= ?[\u2014\u2013-]+ )"
)


def _datelines(doc: Doc, gazetteer: Gazetteer, taken: set[int]) -> list[Span]:
    """Places named in capitals by a dateline, which the tagger leaves untagged.

    Only a country, a first-level division or a large city (:func:`_gazetteer_worthy` without
    local context): a dateline names where the reporter files from.
    """
    out: list[Span] = []
    for start, end in _dateline_parts(doc_text(doc)):
        span = doc.char_span(start, end)
        if span is None or taken.intersection(range(span.start, span.end)):
            continue
        if _gazetteer_worthy(gazetteer, span.text, set(), set(), local=False):
            out.append(span)
    return out


def _dateline_parts(text: str) -> list[tuple[int, int]]:
    """Character spans of the names in ``text``'s datelines ("TIJUANA & SAN DIEGO," is two)."""
    out = []
    for match in _DATELINE.finditer(text):
        group = 1 if match.group(1) is not None else 2
        start = match.start(group)
        for part in match.group(group).split(" & "):
            out.append((start, start + len(part)))
            start += len(part) + 3
    return out


def _is_demonym(gazetteer: Gazetteer, text: str) -> bool:
    """Whether ``text`` is a demonym the gazetteer knows, or names a country or continent."""
    for row in gazetteer.lookup(text)[:20]:
        if int(gazetteer.kind[row]) == KIND_DEMONYM:
            return True
        if gazetteer.feature_code(row) in ("PCLI", "CONT", "RGN"):
            return True
    return False


def _doc_places(gazetteer: Gazetteer, spans: list[Span]) -> tuple[set[str], set[str]]:
    """Countries and admin1 codes ("US.MN") that the NER place mentions point to."""
    countries: set[str] = set()
    admin1: set[str] = set()
    for span in spans:
        for row in gazetteer.lookup(span.text)[:1]:
            cc = gazetteer.country_code(row)
            if not cc:
                continue
            countries.add(cc)
            if gazetteer.feature_code(row) != "PCLI":
                admin1.add(f"{cc}.{gazetteer.admin1_code(row)}")
    return countries, admin1


#: Words for a kind of place or building that are also the name of some division (South
#: Sudan's "Lakes", France's "Centre"): inside another name they are the kind, not the place.
_GENERIC_WORDS = frozenset(HINT_WORDS) | frozenset(_WORDS["generic_words"])


#: Tokens in the longest country name an entity may hold ("Democratic People's Republic of
#: Korea" is seven: the possessive is a token of its own).
_EMBEDDED_TOKENS = 7


def _embedded(
    doc: Doc, gazetteer: Gazetteer, taken: set[int], demonyms: bool
) -> list[tuple[Span, str, bool]]:
    """Country, division and continent names inside other entities ("US Special Forces")."""
    out: list[tuple[Span, str, bool]] = []
    for ent in doc_ents(doc):
        if ent.label_ in PLACE_LABELS or ent.label_ in ("PERSON", "NORP", "CARDINAL", "DATE"):
            continue
        if taken.intersection(range(ent.start, ent.end)):
            continue
        i = ent.start
        while i < ent.end:
            hit, hit_kind = None, 0
            # Longest first, up to the longest country names ("Democratic People's Republic
            # of Korea" is not "Republic of Korea"; "Democratic Republic of the Congo").
            for j in range(min(ent.end, i + _EMBEDDED_TOKENS), i, -1):
                span = doc[i:j]
                if not span[0].is_title and not span[0].is_upper:
                    continue
                if name_key(span.text) in _GENERIC_WORDS:
                    continue  # "Kendale Lakes Elementary", "Community Centre": a kind, no place
                # Rows come sorted by kind: look past same-named towns and counties.
                for row in gazetteer.lookup(span.text)[:20]:
                    kind = int(gazetteer.kind[row])
                    code = gazetteer.feature_code(row)
                    if kind == 3 and not demonyms:
                        continue
                    if kind in (0, 2, 3) and code in ("PCLI", "CONT", "ADM1", "RGN"):
                        hit, hit_kind = span, kind
                        break
                if hit is not None:
                    break
            if hit is not None:
                form = DEMONYM if hit_kind == 3 and demonyms else EMBEDDED
                out.append((hit, form, True))
                taken.update(range(hit.start, hit.end))
                i = hit.end
            else:
                i += 1
    return out


def _surnames(doc: Doc) -> set[str]:
    """The last words of the article's persons named in full ("Mitt Romney" gives "romney").

    Why: the tagger labels a surname GPE now and then, and a town of that name exists
    (Romney, West Virginia; Kennedy Township; Obama, Japan). A place so named is kept only
    when it is a country, a first-level division or a large city ("Washington", "Houston").
    """
    return {ent[-1].lower_ for ent in doc_ents(doc) if ent.label_ == "PERSON" and len(ent) > 1}


def _named_for_person(ent: Span, surnames: set[str]) -> bool:
    """Whether a place entity is only a surname ("Romney", "the Obama of '08").

    Another capitalised word makes it a name of its own ("Trump Tower", "Washington State").
    """
    words = [t for t in ent if t.lower_ != "the"]
    return bool(words) and words[0].lower_ in surnames and not any(t.is_title for t in words[1:])


def _spans(
    doc: Doc,
    gazetteer: Gazetteer,
    labels: tuple[str, ...],
    demonyms: bool,
    gazetteer_match: bool,
    embedded: bool = True,
) -> list[tuple[Span, str, bool]]:
    """(span, mention form, gazetteer_only) candidates, in text order, non-overlapping."""
    found: list[tuple[Span, str, bool]] = []
    taken: set[int] = set()
    surnames = _surnames(doc)
    for ent in doc_ents(doc):
        if ent.label_ in labels:
            if _named_for_person(ent, surnames) and not _gazetteer_worthy(
                gazetteer, ent.text, set(), set(), local=False
            ):
                continue  # "Romney", "the Obama of '08": the person the article names, no town
            found.append((ent, NAME, False))
            taken.update(range(ent.start, ent.end))
        elif ent.label_ == "NORP" and demonyms:
            found.append((ent, DEMONYM, False))
            taken.update(range(ent.start, ent.end))
    if gazetteer_match:
        countries, admin1 = _doc_places(gazetteer, [s for s, f, _ in found if f != DEMONYM])
        # The tagger calls a town NORP now and then ("Lahore", "Sochi"): a NORP span that is
        # no demonym but a place name worth taking (as an ORG would be) is that place's name.
        found = [
            (span, NAME, True)
            if form == DEMONYM
            and not _is_demonym(gazetteer, span.text)
            and _gazetteer_worthy(gazetteer, span.text, countries, admin1, local=True)
            else (span, form, gaz_only)
            for span, form, gaz_only in found
        ]
        person_words = {t.lower_ for ent in doc_ents(doc) if ent.label_ == "PERSON" for t in ent}
        for ent in doc_ents(doc):
            if ent.label_ in ("ORG", "PERSON") and not taken.intersection(
                range(ent.start, ent.end)
            ):
                local = ent.label_ == "ORG" and ent.text.lower() not in person_words
                if _gazetteer_worthy(gazetteer, ent.text, countries, admin1, local=local):
                    found.append((ent, NAME, True))
                    taken.update(range(ent.start, ent.end))
        for span in _datelines(doc, gazetteer, taken):
            found.append((span, NAME, True))
            taken.update(range(span.start, span.end))
        if embedded:
            found.extend(_embedded(doc, gazetteer, taken, demonyms))
        i = 0
        while i < len(doc):
            tok = doc[i]
            if i in taken or tok.ent_type_ or not tok.is_title or tok.pos_ != "PROPN":
                i += 1
                continue
            j = i + 1
            while (
                j < len(doc)
                and doc[j].is_title
                and doc[j].pos_ == "PROPN"
                and j not in taken
                and not doc[j].ent_type_
            ):
                j += 1
            span = doc[i:j]
            local = span.text.lower() not in person_words and not (
                i > 0 and doc[i - 1].lower_.rstrip(".") in _TITLES
            )
            if _gazetteer_worthy(gazetteer, span.text, countries, admin1, local=local):
                found.append((span, NAME, True))
                taken.update(range(i, j))
            i = j
    found.sort(key=lambda item: item[0].start)
    return found


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
    datelines = {start for start, _ in _dateline_parts(text)}
    for span, form, gaz_only in _spans(doc, gazetteer, labels, demonyms, gazetteer_match):
        trimmed = _trim(span)
        if trimmed is None:
            continue
        start, end = trimmed
        compound = _MODIFIER_TOKEN.fullmatch(text, start, end)
        if compound and form == NAME:
            end = compound.end(1)  # NER took the whole "Baghdad-based" as the place
        surface = text[start:end]
        is_demonym = form == DEMONYM
        if name_key(surface) in _STOP and not is_demonym:
            continue
        container = _container(text, end)
        if name_key(surface) in _CELESTIAL and not (
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
        if key in _STOP or not (
            _gazetteer_worthy(gazetteer, text[start:end], set(), set(), local=False)
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
