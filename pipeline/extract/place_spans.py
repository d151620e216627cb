"""Where a document names places: the candidate spans of place-mention recognition.

spaCy's GPE/LOC/FAC entities (and NORP demonyms), then what NER misses or mislabels: ORG or
PERSON entities and untagged proper-noun runs whose whole text is a gazetteer name worth
taking (:func:`gazetteer_worthy`), places in capitals in datelines, and country, division and
continent names inside other names ("US Special Forces"). One job: find the spans and say how
each names its place; :mod:`pipeline.extract.locations` turns them into mentions and resolves
them.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from spacy.tokens import Doc, Span

from pipeline.extract.doccache import doc_ents, doc_text
from pipeline.link.gazetteer import KIND_DEMONYM, Gazetteer, name_key
from pipeline.link.geocode import DEMONYM, EMBEDDED, HINT_WORDS, NAME

#: spaCy labels taken as place mentions.
PLACE_LABELS: tuple[str, ...] = ("GPE", "LOC", "FAC")

#: The word lists of recognition (organisation words, stop words, titles, celestial bodies,
#: generic kind words): data, not code.
WORDS_PATH = Path(__file__).resolve().parent / "data" / "places.toml"
_WORDS = tomllib.loads(WORDS_PATH.read_text(encoding="utf-8"))
#: Words that make an ORG/untagged span an organisation rather than a place.
_ORG_WORDS = frozenset(_WORDS["org_words"])
#: Words never taken as gazetteer-only mentions on their own (sentence-initial capitals etc.).
STOP_WORDS = frozenset(_WORDS["stop"])
#: Titles before a name: capitalised words after one name a person ("Gov. Jackson").
_TITLES = frozenset(_WORDS["titles"])
#: Bodies of the solar system (and the Apollo programme) that gazetteers also hold as towns:
#: "Titan", Saturn's moon, is not Tītān in Afghanistan, nor "Mars" a town in Pennsylvania,
#: unless the text says so ("Mars, Pa.").
CELESTIAL_WORDS = frozenset(_WORDS["celestial"])


def gazetteer_worthy(
    gazetteer: Gazetteer, text: str, countries: set[str], admin1: set[str], *, local: bool
) -> bool:
    """Whether a span that NER did not call a place is a place name worth taking.

    Countries, continents, first-level divisions and large cities always are; with ``local``,
    so is a place of >= 1,000 inhabitants in a country the document mentions and in a
    first-level division it mentions (or, for countries with few mentions, the country alone).
    """
    key = name_key(text)
    if not key or key in STOP_WORDS or len(key) < 3:
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

    Only a country, a first-level division or a large city (:func:`gazetteer_worthy` without
    local context): a dateline names where the reporter files from.
    """
    out: list[Span] = []
    for start, end in dateline_parts(doc_text(doc)):
        span = doc.char_span(start, end)
        if span is None or taken.intersection(range(span.start, span.end)):
            continue
        if gazetteer_worthy(gazetteer, span.text, set(), set(), local=False):
            out.append(span)
    return out


def dateline_parts(text: str) -> list[tuple[int, int]]:
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
            if cc := gazetteer.country_code(row):
                countries.add(cc)
            if division := gazetteer.division_key(row):
                admin1.add(division)
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


def candidate_spans(
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
            if _named_for_person(ent, surnames) and not gazetteer_worthy(
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
            and gazetteer_worthy(gazetteer, span.text, countries, admin1, local=True)
            else (span, form, gaz_only)
            for span, form, gaz_only in found
        ]
        person_words = {t.lower_ for ent in doc_ents(doc) if ent.label_ == "PERSON" for t in ent}
        for ent in doc_ents(doc):
            if ent.label_ in ("ORG", "PERSON") and not taken.intersection(
                range(ent.start, ent.end)
            ):
                local = ent.label_ == "ORG" and ent.text.lower() not in person_words
                if gazetteer_worthy(gazetteer, ent.text, countries, admin1, local=local):
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
            if gazetteer_worthy(gazetteer, span.text, countries, admin1, local=local):
                found.append((span, NAME, True))
                taken.update(range(i, j))
            i = j
    found.sort(key=lambda item: item[0].start)
    return found
