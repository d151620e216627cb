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

from pipeline.extract.attribution.lexicon import NAME_OPENING_VERBS
from pipeline.extract.doccache import doc_ents, doc_text, entity_at
from pipeline.extract.tokens import char_span, para_start, same_para
from pipeline.link.sources import (
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


_PRONOUN_GENDER = {"he": 1, "him": 1, "his": 1, "she": -1, "her": -1}
_TITLES_BY_GENDER = {"Mr": 1, "Mrs": -1, "Ms": -1, "Miss": -1}
_TITLED_SURNAME = re.compile(r"\b(Mrs|Ms|Miss|Mr)\.? ([A-Z][\w-]*(?:['’][A-Z][\w-]*)?)")


def _title_gender(text: str, name: str) -> int:
    """1 when the article calls ``name`` "Mr.", -1 for "Mrs.", "Ms." or "Miss", else 0.

    Why: "he" and "she" took the last person cited, whoever it was. Where an outlet titles
    surnames on second reference ("Mrs. Clinton"), the title rules out half the candidates.
    On PolNeAR train 38 of 2,626 he/she speakers change source; read one by one, about 19
    are now right that were wrong, 1 is now wrong, and the rest are wrong either way.
    """
    words = name.split()
    return _titled_surnames(text).get(words[-1], 0) if words else 0


@lru_cache(maxsize=8)
def _titled_surnames(text: str) -> dict[str, int]:
    """Each surname the article titles, with its gender (0 when titled both ways)."""
    found: dict[str, set[int]] = {}
    for title, surname in _TITLED_SURNAME.findall(text):
        found.setdefault(surname, set()).add(_TITLES_BY_GENDER[title])
    return {name: genders.pop() if len(genders) == 1 else 0 for name, genders in found.items()}


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
    start = _after_opening_verb(doc, start, end)
    ent = entity_at(head)
    if (
        ent is None
        or ent.label_ != "PERSON"
        or not start < ent.start_char < ent.end_char <= end
        or _first_name_outside(ent)
    ):
        bare, titles = strip_titles(doc_text(doc)[start:end])
        return bare, titles, None
    name_tokens, ent_titles = _name_tokens(ent)
    bare = _joined(name_tokens)
    first = ent.start
    while first > 0 and doc[first - 1].idx >= start:
        first -= 1
    prefix = [t for t in doc[first : ent.start] if not t.is_space]
    cut = max((k + 1 for k, t in enumerate(prefix) if _separates(t)), default=0)
    prefix = prefix[cut:]
    while prefix and prefix[0].lower_ in ("the", "a", "an"):
        prefix = prefix[1:]
    while prefix and prefix[-1].lower_ in _POSSESSIVES:  # "Fox's Megyn Kelly": the role is "Fox"
        prefix = prefix[:-1]
    titles = tuple(t.text.rstrip(".").casefold() for t in prefix if is_title(t.text))
    has_role = any(
        t.pos_ in ("NOUN", "PROPN") and t.text[:1].isalpha() and not is_title(t.text)
        for t in prefix
    )
    return bare, titles + ent_titles, _joined(prefix) if has_role else None


_POSSESSIVES = frozenset({"'s", "’s", "'", "’"})


def _name_tokens(ent: Span) -> tuple[list[Token], tuple[str, ...]]:
    """A person entity's tokens without leading titles or a possessive, and the titles.

    A reporting verb opening the sentence is no part of the name: the tagger takes "Said" of
    "Said Obama: ..." into the entity, and "Said Obama" became a full name that every later
    "Obama" went to (15 claims in the first 1,000 AllSides articles).
    """
    tokens = [t for t in ent if not t.is_space]
    if len(tokens) > 1 and tokens[0].lower_ in NAME_OPENING_VERBS and _opens_sentence(tokens[0]):
        tokens.pop(0)
    titles: list[str] = []
    while len(tokens) > 1 and is_title(tokens[0].text):
        titles.append(tokens.pop(0).text.rstrip(".").casefold())
    while len(tokens) > 1 and tokens[-1].lower_ in _POSSESSIVES:
        tokens.pop()
    return tokens, tuple(titles)


def _after_opening_verb(doc: Doc, start: int, end: int) -> int:
    """Where a mention's name begins: after a reporting verb that opens its sentence."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) < 2:
        return start
    first = span[0]
    if first.lower_ in NAME_OPENING_VERBS and _opens_sentence(first):
        return span[1].idx
    return start


def _opens_sentence(token: Token) -> bool:
    """Whether ``token`` is the first word of its sentence or of its line.

    The parser does not always end a sentence at a paragraph break.
    """
    doc = token.doc
    if all(t.is_space for t in doc[token.sent.start : token.i]):
        return True
    text = doc_text(doc)
    return not text[para_start(text, token.idx) : token.idx].strip()


def _joined(tokens: list[Token]) -> str:
    """The text from the first token to the last, with runs of whitespace made one space."""
    return " ".join(doc_text(tokens[0].doc)[slice(*char_span(tokens))].split())


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
        tokens, inside = _name_tokens(ent)
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
                holder = (ent.start_char, _joined(tokens), context, of_body)
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

    A full name given only after the surname has been used alone :data:`KNOWN_BEFORE_FULL_NAME`
    times is someone else: news names a person in full on first reference, and "President
    Obama" said throughout before "first lady Michelle Obama" made every later "Obama said"
    Michelle's.
    """
    bare, _ = strip_titles(name)
    key = normalise_name(bare).split()
    if not key:
        return bare
    named = _named_persons_by_surname(doc).get(key[-1], ())
    cited = (r.name for r in refs if _is_person_ref(r) and normalise_name(r.name).endswith(key[-1]))
    first_named, alone = _first_uses(doc)
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
    """
    if len(key) != 1:
        return bare
    given = {key[0], *_NICKNAMES.get(key[0], ())}
    persons = {full for full in _named_persons(doc) if len(normalise_name(full).split()) > 1}
    found = sorted(full for full in persons if normalise_name(full).split()[0] in given)
    return found[0] if len(found) == 1 else bare


@lru_cache(maxsize=8)
def _full_name_mentions(doc: Doc) -> tuple[tuple[str, tuple[Token, ...]], ...]:
    """Each mention of a person by a full name, in the article's order, with its name tokens.

    Titles are stripped. Only names made of proper nouns count: the tagger also marks
    "Certainly Donald Trump", "Weak - Rubio" and "Trump v. Trump" as persons. Nor does a name
    in a line set in headline case that runs on into the headline's words, unless the article
    also gives it in prose: the tagger takes the verbs of "President Obama Commemorates The
    March On Washington" and "Obama Hails Growth, But Says ..." into the name, and "Obama
    Commemorates" became the full name every "Obama" of the article went to. A name that ends
    its headline-case line or is followed by a parenthesis or lowercase word stays: captions,
    lists and interview labels ("Director of the CIA: Rep. Mike Pompeo", "Angelo Carusone
    (MSNBC via YouTube)", "Rasmus Kleis Nielsen").
    """
    headline_lines = _headline_case_lines(doc)
    found: list[tuple[str, tuple[Token, ...], bool]] = []
    for ent in doc_ents(doc):
        if ent.label_ != "PERSON":
            continue
        tokens, _ = _name_tokens(ent)
        if len(tokens) < 2 or not all(_name_word(t) for t in tokens):
            continue
        doubtful = bool(headline_lines) and _runs_on_in_headline(tokens[-1], headline_lines)
        found.append((_joined(tokens), tuple(tokens), doubtful))
    in_prose = {name for name, _, doubtful in found if not doubtful}
    return tuple(
        (name, tokens) for name, tokens, doubtful in found if not doubtful or name in in_prose
    )


@lru_cache(maxsize=8)
def _named_persons(doc: Doc) -> tuple[str, ...]:
    """The full names of :func:`_full_name_mentions`, once per mention."""
    return tuple(name for name, _ in _full_name_mentions(doc))


#: Words of four letters or more that a line needs, all capitalised and this many of them not
#: in capitals throughout, to be set in headline case ("Obama Lays Out Plan:": Obama, Lays,
#: Plan). A line in capitals is a transcript's label ("ROBERT SIEGEL, HOST:").
_HEADLINE_WORDS = 3
_LONG_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")


@lru_cache(maxsize=8)
def _headline_case_lines(doc: Doc) -> tuple[tuple[int, int], ...]:
    """The (start, end) of each line whose words of four letters or more are all capitalised.

    Headlines, subheads, captions and list items inside a body; prose has lowercase verbs.
    """
    text = doc_text(doc)
    lines: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        words = _LONG_WORD.findall(line)
        if (
            all(w[0].isupper() for w in words)
            and sum(not w.isupper() for w in words) >= _HEADLINE_WORDS
        ):
            lines.append((start, start + len(line)))
        start += len(line) + 1
    return tuple(lines)


def _runs_on_in_headline(last: Token, lines: tuple[tuple[int, int], ...]) -> bool:
    """Whether a name ending at ``last`` runs on in a headline-case line.

    That is, a capitalised word follows it there, or a comma and a capitalised word that begins
    no entity: the headline goes on ("Obama Lays Out ...", "Obama Hails Growth, But Says ...").
    """
    at = bisect.bisect_right(lines, last.idx, key=lambda line: line[0]) - 1
    if at < 0 or last.idx > lines[at][1]:
        return False
    following = last.nbor() if last.i + 1 < len(last.doc) else None
    if following is None or following.idx >= lines[at][1] or following.is_space:
        return False
    if following.text == "," and following.i + 1 < len(last.doc):
        # a list of names ("Joe Biden, Kamala Harris, Julián Castro") does not run on
        following = following.nbor()
        if following.ent_iob_ == "B":  # the tagger's type is no matter: "Tulsi Gabbard" ORG
            return False
    return following.text[:1].isupper()


#: How often a surname may be used alone before a full name with it is given for that full
#: name still to be who the surname stands for: a caption or a lead may say "President Obama"
#: a few times before "President Barack Obama". First 1,000 AllSides articles, persons as
#: ``coalesce(sources.same_as, source_id)``: at 5, 155 claims move to the right person (85
#: from Michelle Obama to Barack Obama, 36 from "Team Obama", Ann Romney's to Mitt Romney) and
#: about 20 go from a full name to its unlinked surname, the same person ("Mr. Clinton" in an
#: article naming Bill Clinton late); at 3, 174 right and about 85 to a surname.
KNOWN_BEFORE_FULL_NAME = 5


@lru_cache(maxsize=8)
def _first_uses(doc: Doc) -> tuple[dict[str, int], dict[str, tuple[int, ...]]]:
    """Where each full name is first given, and where each of their surnames is used alone.

    By character offset. The full names are :func:`_named_persons`'; a surname is alone in any
    capitalised token outside them ("Obama" of "President Obama").
    """
    first_named: dict[str, int] = {}
    inside: set[int] = set()
    for name, tokens in _full_name_mentions(doc):
        first_named.setdefault(name, tokens[0].idx)
        inside.update(t.i for t in tokens)
    surnames = {normalise_name(name).split()[-1] for name in first_named}
    alone: dict[str, list[int]] = {}
    for token in doc:
        if token.i in inside or not token.text[:1].isupper():
            continue
        word = normalise_name(token.text)
        if word in surnames:
            alone.setdefault(word, []).append(token.idx)
    return first_named, {word: tuple(offsets) for word, offsets in alone.items()}


@lru_cache(maxsize=8)
def _named_persons_by_surname(doc: Doc) -> dict[str, tuple[str, ...]]:
    """:func:`_named_persons` by the last word of the normalised name, in the article's order.

    Why: a surname is looked up for every person mention; scanning every named person each
    time took 5% of claim extraction.
    """
    index: dict[str, list[str]] = {}
    for name in _named_persons(doc):
        index.setdefault(normalise_name(name).split()[-1], []).append(name)
    return {surname: tuple(names) for surname, names in index.items()}


_NAME_PARTICLES = frozenset(
    {"al", "bin", "da", "de", "del", "der", "di", "du", "la", "le", "van", "von"}
)


def _name_word(token: Token) -> bool:
    """Whether a token can be part of a person's name: a capitalised proper noun or a particle."""
    return token.pos_ == "PROPN" and (token.text[:1].isupper() or token.text in _NAME_PARTICLES)
