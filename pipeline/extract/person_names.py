"""The persons an article names in full, and where it uses their surnames alone.

Helpers of :mod:`pipeline.extract.speaker_names`, over the parsed article: which person
entities are full names (proper nouns, not a headline's words run on into the name, not a
reporting verb opening the sentence), where each is first given, and where each surname is
used alone before it. Rules, not learned.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from pipeline.extract.attribution.lexicon import NAME_OPENING_VERBS
from pipeline.extract.doccache import doc_ents, doc_text
from pipeline.extract.tokens import char_span, para_start, same_para
from pipeline.link.sources import is_title, normalise_name

#: Possessive endings the tagger leaves on a name ("Obama's").
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})


def name_tokens(ent: Span) -> tuple[list[Token], tuple[str, ...]]:
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
    while len(tokens) > 1 and tokens[-1].lower_ in POSSESSIVES:
        tokens.pop()
    return tokens, tuple(titles)


def after_opening_verb(doc: Doc, start: int, end: int) -> int:
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


def joined(tokens: list[Token]) -> str:
    """The text from the first token to the last, with runs of whitespace made one space."""
    return " ".join(doc_text(tokens[0].doc)[slice(*char_span(tokens))].split())


@lru_cache(maxsize=8)
def full_name_mentions(doc: Doc) -> tuple[tuple[str, tuple[Token, ...]], ...]:
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
        tokens, _ = name_tokens(ent)
        if len(tokens) < 2 or not all(name_word(t) for t in tokens):
            continue
        doubtful = bool(headline_lines) and _runs_on_in_headline(tokens[-1], headline_lines)
        found.append((joined(tokens), tuple(tokens), doubtful))
    in_prose = {name for name, _, doubtful in found if not doubtful}
    return tuple(
        (name, tokens) for name, tokens, doubtful in found if not doubtful or name in in_prose
    )


@lru_cache(maxsize=8)
def named_persons(doc: Doc) -> tuple[str, ...]:
    """The full names of :func:`full_name_mentions`, once per mention."""
    return tuple(name for name, _ in full_name_mentions(doc))


#: Words of four letters or more that a line needs, all capitalised and this many of them not
#: in capitals throughout, to be set in headline case ("Obama Lays Out Plan:": Obama, Lays,
#: Plan). A line in capitals is a transcript's label ("ROBERT SIEGEL, HOST:").
_HEADLINE_WORDS = 3
_LONG_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")


@lru_cache(maxsize=8)
def _headline_case_lines(doc: Doc) -> frozenset[int]:
    """Where each line starts whose words of four letters or more are all capitalised.

    Headlines, subheads, captions and list items inside a body; prose has lowercase verbs.
    """
    starts: set[int] = set()
    start = 0
    for line in doc_text(doc).split("\n"):
        words = _LONG_WORD.findall(line)
        if (
            all(w[0].isupper() for w in words)
            and sum(not w.isupper() for w in words) >= _HEADLINE_WORDS
        ):
            starts.add(start)
        start += len(line) + 1
    return frozenset(starts)


def _runs_on_in_headline(last: Token, headline_starts: frozenset[int]) -> bool:
    """Whether a name ending at ``last`` runs on in a headline-case line.

    That is, a capitalised word follows it there, or a comma and a capitalised word that begins
    no entity: the headline goes on ("Obama Lays Out ...", "Obama Hails Growth, But Says ...").
    """
    if para_start(doc_text(last.doc), last.idx) not in headline_starts:
        return False
    following = last.nbor() if last.i + 1 < len(last.doc) else None
    if following is None or following.is_space or not same_para(last, following):
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
def first_uses(doc: Doc) -> tuple[dict[str, int], dict[str, tuple[int, ...]]]:
    """Where each full name is first given, and where each of their surnames is used alone.

    By character offset. The full names are :func:`named_persons`'; a surname is alone in any
    capitalised token outside them ("Obama" of "President Obama").
    """
    first_named: dict[str, int] = {}
    inside: set[int] = set()
    for name, tokens in full_name_mentions(doc):
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
def named_persons_by_surname(doc: Doc) -> dict[str, tuple[str, ...]]:
    """:func:`named_persons` by the last word of the normalised name, in the article's order.

    Why: a surname is looked up for every person mention; scanning every named person each
    time took 5% of claim extraction.
    """
    index: dict[str, list[str]] = {}
    for name in named_persons(doc):
        index.setdefault(normalise_name(name).split()[-1], []).append(name)
    return {surname: tuple(names) for surname, names in index.items()}


_NAME_PARTICLES = frozenset(
    {"al", "bin", "da", "de", "del", "der", "di", "du", "la", "le", "van", "von"}
)


def name_word(token: Token) -> bool:
    """Whether a token can be part of a person's name: a capitalised proper noun or a particle."""
    return token.pos_ == "PROPN" and (token.text[:1].isupper() or token.text in _NAME_PARTICLES)
