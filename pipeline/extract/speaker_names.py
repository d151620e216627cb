"""Names in an article: who a surname, a title, an office or a pronoun stands for.

Helpers of :func:`pipeline.extract.speakers.resolve_speaker`, over the parsed article: the
persons it names (entities that look like names, not "the Moon"), their titles and genders
("Mr.", "Sen."), the office holders it introduces ("President Obama", then "the president"),
the antecedent of a relative "who", and where a person entity stands relative to quotations.
Rules, not learned.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from pipeline.extract.doccache import doc_ents, doc_text, entity_at
from pipeline.extract.person_names import (
    KNOWN_BEFORE_FULL_NAME,
    POSSESSIVES,
    after_opening_verb,
    first_uses,
    joined,
    name_tokens,
    named_persons,
    named_persons_by_surname,
)
from pipeline.extract.tokens import para_start, same_para
from pipeline.link.sources import (
    TITLE_SEX,
    SourceRef,
    ends_with_name,
    expand_surname,
    is_title,
    normalise_name,
    strip_titles,
)

#: Relative pronouns that stand for the head noun of their clause ("officials who said ...").
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})

#: Head lemmas of speaker phrases that name no one, a data table
#: (``attribution/data/source_heads.json``, whose ``_doc`` says what each list holds).
_SOURCE_HEADS: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "attribution" / "data" / "source_heads.json").read_text("utf-8")
)

#: Heads of unnamed source phrases ("officials", "a senior official", "contractors"), people
#: named by what they are or do ("the candidate"), shares of a group ("47% say", "a majority
#: of voters") and quantities of people ("many", "no one"): all anonymous sources.
ANONYMOUS_HEADS = frozenset(
    _SOURCE_HEADS["anonymous"]
    + _SOURCE_HEADS["anonymous_roles"]
    + _SOURCE_HEADS["shares"]
    + _SOURCE_HEADS["quantifiers"]
)

#: Heads of documents cited as sources ("a statement", "the report", "a poll"), and of what
#: shows rather than says ("Video footage shows").
DOCUMENT_HEADS = frozenset(_SOURCE_HEADS["documents"] + _SOURCE_HEADS["shows"])

_INDIVIDUAL_KINDS = frozenset({"politician", "official", "person", "military"})


def _is_person_ref(ref: SourceRef) -> bool:
    return ref.kind in _INDIVIDUAL_KINDS and (ref.kind != "military" or " " in ref.name)


def _is_named_person(ent: Span) -> bool:
    """Whether a person entity names someone: the tagger also marks "the Moon" and "the Gateway".

    Why: "“... to the surface of the Moon,” he said" made the speaker "Moon".
    """
    doc = ent.doc
    return ent.label_ == "PERSON" and not (
        ent.start > 0 and doc[ent.start - 1].lower_ in ("the", "a", "an")
    )


def _outside_quotation(ent: Span, pronoun_start: int) -> bool:
    """Whether the entity is not inside a quotation that closes before the pronoun after it.

    Why: a name inside the quotation a pronoun says ("“I met Obama,” he said") is not its
    speaker. The first quotation mark after the name tells: a closing one ends a quotation the
    name is in, an opening one ("Trump went on to promote “Celebrity Apprentice,” note that
    he") starts another. A straight mark closes when the paragraph has an odd number of them
    before the name.
    """
    text = doc_text(ent.doc)
    for char in text[ent.end_char : pronoun_start]:
        if char in "“«":
            return True
        if char in "”»":
            return False
        if char == '"':
            return text.count('"', para_start(text, ent.start_char), ent.start_char) % 2 == 0
    return True


#: The sex a personal pronoun says, as :data:`~pipeline.link.sources.TITLE_SEX` writes it.
_PRONOUN_SEX = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
_TITLED_SURNAME = re.compile(
    r"\b("
    + "|".join(sorted((title.capitalize() for title in TITLE_SEX), key=lambda t: (-len(t), t)))
    + r")\.? ([A-Z][\w-]*(?:['’][A-Z][\w-]*)?)"
)


def _title_sex(text: str, name: str) -> str | None:
    """The sex the article's titles give ``name``: "m" for "Mr.", "f" for "Mrs.", "Ms.", "Miss".

    None when the article never titles the surname, or titles it both ways.

    Why: "he" and "she" took the last person cited, whoever it was. Where an outlet titles
    surnames on second reference ("Mrs. Clinton"), the title rules out half the candidates.
    On PolNeAR train 38 of 2,626 he/she speakers change source; read one by one, about 19
    are now right that were wrong, 1 is now wrong, and the rest are wrong either way.
    """
    words = name.split()
    return _titled_surnames(text).get(words[-1]) if words else None


@lru_cache(maxsize=8)
def _titled_surnames(text: str) -> dict[str, str | None]:
    """Each surname the article titles, with the sex its titles say (None when both)."""
    found: dict[str, set[str]] = {}
    for title, surname in _TITLED_SURNAME.findall(text):
        found.setdefault(surname, set()).add(TITLE_SEX[title.casefold()])
    return {name: sexes.pop() if len(sexes) == 1 else None for name, sexes in found.items()}


def _relative_antecedent(head: Token) -> Token | None:
    """The noun a relative pronoun stands for: "Christie, who has campaigned" gives Christie.

    Why: resolved as a pronoun, "who" took the source cited last before it, most often someone
    else. On PolNeAR train 549 of 648 relative-pronoun speakers change source; in a sample of
    45, about 40 are now the antecedent, against 3 before.
    """
    if head.lower_ not in RELATIVE_PRONOUNS or head.head.dep_ != "relcl":
        return None
    antecedent = head.head.head
    if head.lower_ == "who":
        for _ in range(3):  # "who" is a person: not the place or body after a preposition
            if antecedent.dep_ == "appos" and (  # "McConnell, now the majority leader, who"
                antecedent.pos_ != "PROPN" or antecedent.head.pos_ == "PROPN"
            ):  # but not "his daughter Ivanka Trump, who"
                antecedent = antecedent.head
            elif (  # "Democrats on Capitol Hill, who"
                antecedent.dep_ == "pobj"
                and antecedent.ent_type_ in ("GPE", "LOC", "FAC", "ORG")
                and antecedent.head.head.pos_ in ("NOUN", "PROPN")
            ):
                antecedent = antecedent.head.head
            else:
                break
        # the parser hangs the clause on a list's first member: "LaBelle and Stevie Wonder, who"
        last = max(antecedent.conjuncts, key=lambda t: t.i, default=antecedent)
        if last.i < head.i and all(t.is_punct for t in head.doc[last.i + 1 : head.i]):
            antecedent = last
    if antecedent.pos_ not in ("NOUN", "PROPN") or not same_para(antecedent, head):
        return None
    return antecedent


def _name_titles_role(head: Token, start: int, end: int) -> tuple[str, tuple[str, ...], str | None]:
    """A person's bare name, titles and the role written before the name, if any.

    Why: a mention like "House Speaker John Boehner" or "planetary geologist Rosaly Lopes" was
    named in full, so the same person became two sources ("John Boehner" elsewhere) and the
    role was lost. The person entity around the head gives the name; the words before it, after
    any dateline or quotation ("... (Reuters) - President"), give the titles and the role. A
    role needs a noun that is not a title: "Rep." is a title only, "defensive" no role.
    """
    doc = head.doc
    start = after_opening_verb(doc, start, end)
    ent = entity_at(head)
    if (
        ent is None
        or ent.label_ != "PERSON"
        or not start < ent.start_char < ent.end_char <= end
        or _first_name_outside(ent)
    ):
        bare, titles = strip_titles(doc_text(doc)[start:end])
        return bare, titles, None
    tokens, ent_titles = name_tokens(ent)
    bare = joined(tokens)
    first = ent.start
    while first > 0 and doc[first - 1].idx >= start:
        first -= 1
    prefix = [t for t in doc[first : ent.start] if not t.is_space]
    cut = max((k + 1 for k, t in enumerate(prefix) if _separates(t)), default=0)
    prefix = prefix[cut:]
    while prefix and prefix[0].lower_ in ("the", "a", "an"):
        prefix = prefix[1:]
    while prefix and prefix[-1].lower_ in POSSESSIVES:  # "Fox's Megyn Kelly": the role is "Fox"
        prefix = prefix[:-1]
    titles = tuple(t.text.rstrip(".").casefold() for t in prefix if is_title(t.text))
    has_role = any(
        t.pos_ in ("NOUN", "PROPN") and t.text[:1].isalpha() and not is_title(t.text)
        for t in prefix
    )
    return bare, titles + ent_titles, joined(prefix) if has_role else None


def _separates(token: Token) -> bool:
    """Whether a punctuation mark ends what comes before a name (a dateline, a quotation).

    A full stop belongs to an abbreviation ("Lt. Gov.") and a hyphen inside a word
    ("front-runner") to the word.
    """
    if not token.is_punct or token.text == ".":
        return False
    spaced = bool(token.whitespace_) or token.i == 0 or bool(token.doc[token.i - 1].whitespace_)
    return token.is_quote or token.is_bracket or spaced


def _first_name_outside(ent: Span) -> bool:
    """Whether the entity is a surname whose first name the tagger left out ("German Ortega")."""
    if len(ent) != 1 or ent.start == 0:
        return False
    before = ent.doc[ent.start - 1]
    return (
        before.pos_ == "PROPN"
        and before.text[:1].isupper()
        and before.ent_iob_ == "O"
        and not is_title(before.text)
    )


#: Offices a definite nominal can stand for ("the president", "the governor"), with the
#: abbreviations that title a name ("Gov. Chris Christie").
_OFFICES = frozenset(
    {
        "president",
        "senator",
        "governor",
        "mayor",
        "speaker",
        "chancellor",
        "ambassador",
        "judge",
        "general",
        "colonel",
        "admiral",
        "sheriff",
    }
)
_OFFICE_ABBREVIATIONS = {"gov": "governor", "sen": "senator", "gen": "general", "col": "colonel"}


def _office_holder(head: Token, start: int, refs: list[SourceRef]) -> str | None:
    """The one person the article titles with the office before "the president", if one.

    Why: "the president said" became a source of kind organisation named "president", though
    the article had named "President Barack Obama". A place before the office ("the Florida
    senator", "the senator from Florida", "the French president") must be among the words
    before the holder's name ("Florida Sen. Marco Rubio"), and an office of a body ("World Bank
    President Jim Yong Kim", "the union's president") is no office of state; nor is "Former
    President Bill Clinton" the president. The holder must be one of the last few persons named
    before. Two holders, or none, leave the office unresolved.
    """
    if any(t.dep_ == "poss" or t.lower_ == "vice" for t in head.lefts):
        return None
    former = any(t.lower_ == "former" for t in head.lefts)
    of_places = (t for prep in head.rights if prep.lower_ in ("from", "of") for t in prep.children)
    places = {
        t.lower_ for t in (*head.lefts, *of_places) if t.pos_ in ("PROPN", "ADJ") and t.is_title
    }
    recent = _recent_surnames(head.doc, start)
    holders = {
        _person_name(name, refs, head.doc)
        for pos, name, context, of_body in _office_holders(head.doc).get(head.lemma_.casefold(), ())
        if pos < start
        and name.split()[-1] in recent
        and places <= context
        and (places or not of_body)
        and former == ("former" in context)
    }
    return holders.pop() if len(holders) == 1 else None


def _recent_surnames(doc: Doc, start: int, *, names: int = 4) -> set[str]:
    """The last words of the last few persons (or bodies: "Christie" is often ORG) before.

    Why: "the senator" is someone the reader has just met. Without this, an article that
    titles only Sen. Bernie Sanders, early on, sent a later "the senator" about Marco Rubio
    to Sanders.
    """
    recent: list[str] = []
    for ent in reversed(doc_ents(doc)):
        if ent.label_ in ("PERSON", "ORG") and ent.end_char <= start and len(recent) < names:
            surname = ent.text.split()[-1] if ent.text.split() else ""
            if surname not in recent:
                recent.append(surname)
    return set(recent)


@lru_cache(maxsize=8)
def _office_holders(doc: Doc) -> dict[str, tuple[tuple[int, str, frozenset[str], bool], ...]]:
    """The persons the article titles with each office.

    Each holder is its offset, name, the words before the name, and whether those include a
    body ("World Bank"). "Vice President Joe Biden" does not hold "president".
    """
    found: dict[str, list[tuple[int, str, frozenset[str], bool]]] = {}
    for ent in doc_ents(doc):
        if ent.label_ != "PERSON" or ent.start == 0:
            continue
        tokens, inside = name_tokens(ent)
        before = doc[ent.start - 1]
        titles = (*inside, before.text.rstrip(".").casefold()) if before.is_title else inside
        context = frozenset(t.lower_ for t in doc[max(ent.start - 4, 0) : ent.start])
        first = ent.start  # the run of capitalised words right before the name
        while first > 0 and (doc[first - 1].is_title or doc[first - 1].tag_ == "POS"):
            first -= 1
        of_body = any(t.ent_type_ == "ORG" or t.tag_ == "POS" for t in doc[first : ent.start])
        for title in titles:
            office = _OFFICE_ABBREVIATIONS.get(title, title)
            if office in _OFFICES and "vice" not in context:
                holder = (ent.start_char, joined(tokens), context, of_body)
                found.setdefault(office, []).append(holder)
    return {office: tuple(holders) for office, holders in found.items()}


def _surname_of_known_person(surface: str, head: Token, refs: list[SourceRef]) -> bool:
    """Whether a name tagged as a body, place or noun is the surname of a person in the article.

    Why: the tagger often labels a surname ORG or GPE, or parses it as a common noun ("Trump
    said", "Kasich said", "Sanders said"), which made the speaker an organisation apart from
    the person the article names in full.
    """
    if len(surface.split()) > 2 or surface.isupper():
        return False
    bare = strip_titles(surface)[0]
    return bare[:1].isupper() and _person_name(bare, refs, head.doc) != bare


def _person_name(name: str, refs: list[SourceRef], doc: Doc) -> str:
    """Full name for a (sur)name, from the persons the article cites or names.

    Why: with only the cited persons to go by, "Romney" stayed "Romney" when the article had
    named "Mitt Romney" without quoting him yet, and one person became two sources; and a
    surname went to whoever was cited in full, though the article named another far more
    often ("Trump" became Ivanka Trump, cited once, in an article naming Donald Trump
    throughout). Each first name with that surname counts its mentions, cited and named; one
    must have at least twice the mentions of any other, or the surname stays as written: with
    Bill and Chelsea Clinton named once each, "Mr. Clinton" is no guess.

    A full name given only after the surname has been used alone
    :data:`~pipeline.extract.person_names.KNOWN_BEFORE_FULL_NAME`
    times is someone else: news names a person in full on first reference, and "President
    Obama" said throughout before "first lady Michelle Obama" made every later "Obama said"
    Michelle's.
    """
    bare, _ = strip_titles(name)
    key = normalise_name(bare).split()
    if not key:
        return bare
    named = named_persons_by_surname(doc).get(key[-1], ())
    cited = (r.name for r in refs if _is_person_ref(r) and normalise_name(r.name).endswith(key[-1]))
    first_named, alone = first_uses(doc)
    uses = alone.get(key[-1], ())
    matches = [
        full
        for full in (*named, *cited)
        if ends_with_name(full, bare)
        and bisect.bisect_left(uses, first_named.get(full, -1)) < KNOWN_BEFORE_FULL_NAME
    ]
    by_first = Counter(normalise_name(full).split()[0] for full in matches)
    if not by_first:
        return _by_first_name(bare, key, doc)
    (first, most), *rest = by_first.most_common()
    if rest and most < 2 * max(count for _, count in rest):
        return bare
    return expand_surname(bare, [m for m in matches if normalise_name(m).split()[0] == first])


#: A title, then one capitalised word standing alone: a lower-case word or a mark follows.
_TITLED_WORD = re.compile(r"\b([A-Z][a-z]+)\.? ([A-Z][\w-]+)(?=['’]s\b|[,.;:!?]| [a-z])")


@lru_cache(maxsize=8)
def _titled_alone(text: str) -> frozenset[str]:
    """The words ``text`` writes alone after a title ("Mr. Trump's", "President Obama said")."""
    return frozenset(
        normalise_name(word) for title, word in _TITLED_WORD.findall(text) if is_title(title)
    )


def _titled_full(text: str, full: str) -> bool:
    """Whether ``text`` writes the full name ``full`` right after a title ("President Xi ...")."""
    return any(
        is_title(title) for title in re.findall(rf"\b([A-Z][a-z]+)\.? {re.escape(full)}\b", text)
    )


#: Common English nicknames and the given names they stand for ("bernie" -> "bernard"), a data
#: file of the attribution components.
_NICKNAMES: dict[str, tuple[str, ...]] = {
    nick: tuple(names)
    for nick, names in json.loads(
        (Path(__file__).parent / "attribution" / "data" / "nicknames.json").read_text("utf-8")
    ).items()
}


def _by_first_name(bare: str, key: list[str], doc: Doc) -> str:
    """The one person the article names whose given name is ``key`` or a name it is short for.

    Why: a speaker called by a given name or a nickname alone ("Bernie said", "Hillary said")
    is the person named in full before, when exactly one named person has that given name
    (or, for a nickname, the name it shortens: Bernie for Bernard); else it stays as written.
    A word the article writes alone after a title ("Mr. Trump's", "President Trump said") is
    a surname: then only a full name the article also titles takes it, one that puts the
    family name first ("President Xi said" is President Xi Jinping's). Without that, "Trump
    said" was "Trump Tower", "Obama said" the "Obama White House", whenever the tagger made
    such a place a person and the article never gave the full name (AllSides 4k: about 60
    claims).
    """
    if len(key) != 1:
        return bare
    given = {key[0], *_NICKNAMES.get(key[0], ())}
    persons = {full for full in named_persons(doc) if len(normalise_name(full).split()) > 1}
    found = sorted(full for full in persons if normalise_name(full).split()[0] in given)
    text = doc_text(doc)
    if key[0] in _titled_alone(text):  # a surname here, unless first in a titled full name
        found = [full for full in found if _titled_full(text, full)]
    return found[0] if len(found) == 1 else bare
