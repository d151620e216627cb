"""Where and when a figure is: the place and time of its frame (:mod:`pipeline.extract.frames`).

A figure's place is a named place after a locative preposition on its counted noun or its
event ("in Iraq", "at the Maelbeek metro station"), or "there"; its time is a DATE or TIME
entity attached to them ("in February"), found up the clauses it hangs on, in the subject of
its clause or in a lead clause ("As of Wednesday, ...: Trump now has 446"). Both look in the
same places (the noun, the event and the clauses above it), so they live together, apart
from the counted noun (:mod:`pipeline.extract.frame_counted`), the role
(:mod:`pipeline.extract.frame_roles`) and the event and holder
(:mod:`pipeline.extract.frames`). Cue words are data (``data/frames.json``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from pipeline.extract.doccache import doc_ents, entity_at
from pipeline.extract.frame_counted import is_date
from pipeline.extract.frame_lexicon import word_sets as _sets

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_NOUNS = frozenset({"NOUN", "PROPN"})
_VERBS = frozenset({"VERB", "AUX"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_TIME_LABELS = frozenset({"DATE", "TIME"})
_AGE = re.compile(r"\b(?:years?|months?|weeks?|days?)[- ]old\b", re.IGNORECASE)
#: Proper nouns that are not where something is ("from Mrs. Clinton's server", "on Monday").
_NOT_PLACE_LABELS = frozenset({"PERSON", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL"})
#: Dependencies that open a clause inside a phrase ("the election, which decided ...").
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "parataxis"})
#: How far up the tree a figure's event (:mod:`pipeline.extract.frames`) and the subject
#: whose date it takes are looked for (noun -> prep -> noun -> verb ...).
MAX_CLIMB = 4


def _entity_text(token: Token, labels: frozenset[str]) -> str | None:
    if token.ent_type_ not in labels:
        return None
    ent = entity_at(token)
    return None if ent is None else ent.text


def _owners(argument: Token, event: Token | None) -> list[Token]:
    """Where a place or time of the figure can hang: the noun, the event, the clauses above.

    "..., killing 14 people" takes the time of "blew up Monday".
    """
    owners = [argument]
    if event is not None:  # "20 died and 130 were wounded at the station": shared attachments
        owners.extend(c for c in event.children if c.dep_ == "conj" and c.pos_ in _VERBS)
    token = event
    for _ in range(3):
        if token is None:
            break
        owners.append(token)
        if token.dep_ not in ("advcl", "xcomp", "conj") or token.head.i == token.i:
            break
        token = token.head
    return owners


def figure_place(argument: Token, event: Token | None, inside: set[int]) -> str | None:
    """A named place after a locative preposition on the counted noun or the event."""
    preps = _sets()["place_preps"]
    owners = _owners(argument, event)
    deictic = _deictic(event) if event is not None else None
    if deictic:  # "the 89 people who were killed there"
        return deictic
    if (
        event is not None
        and event.dep_ == "relcl"
        and any(c.lower_ in ("where", "wherein") for c in event.children)
    ):  # "Zaventem Airport, where 11 people were killed"
        named = [
            t
            for t in event.head.subtree
            if t.pos_ == "PROPN" and t.i < event.i and t.ent_type_ not in _NOT_PLACE_LABELS
        ]
        if named and event.head.pos_ in _NOUNS:
            return " ".join(t.text for t in named)
    for owner in owners:
        for child in owner.children:
            if child.dep_ != "prep" or child.lower_ not in preps:
                continue
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.i not in inside:
                    name = _entity_text(obj, _PLACE_LABELS)
                    if name:
                        return name
                    if obj.ent_type_ in _NOT_PLACE_LABELS:
                        continue  # a person or a date is not where
                    # "at the Maelbeek metro station", "outside Collins's office", "at an
                    # event in her Arizona district"; not "on the Stone case"
                    named = [
                        t
                        for t in obj.subtree
                        if t.pos_ == "PROPN"
                        and t.i not in inside
                        and (t.ent_type_ not in _NOT_PLACE_LABELS or t.dep_ == "poss")
                        and (t.ent_type_ in _PLACE_LABELS or _names_a_place(t))
                    ]
                    if named:
                        return " ".join(t.text for t in named)
    return None


def _names_a_place(token: Token) -> bool:
    """A name on a place noun: "Maelbeek" of "the Maelbeek metro station"."""
    head = token
    while head.dep_ in ("compound", "poss", "amod", "nmod", "case") and head.head.i != head.i:
        head = head.head
    return head.lemma_.lower() in _sets()["place_nouns"]


def _deictic(event: Token) -> str | None:
    """The adverb "there" or "here" on the event: a place the sentence before named."""
    for child in event.children:
        if child.dep_ == "advmod" and child.lower_ in ("there", "here"):
            return child.lower_
    return None


def figure_time(argument: Token, event: Token | None, inside: set[int]) -> str | None:
    """A DATE or TIME entity attached to the counted noun or the event (not the figure).

    The nearest owner's date wins, whatever comes first in the sentence: the noun's, then the
    event's, then those of the clauses it is joined to ("added 69,000 jobs in May, and 77,000
    were created in April": 77,000 is April's); of two dates on one owner, the one nearer the
    figure ("rose to 7.6% in May from 7.5% in April", both on "rose").
    """
    owners = _owners(argument, event)
    if event is not None:
        owners = [argument, event, *(o for o in owners[1:] if o.i != event.i)]
    if argument.dep_ == "pobj":  # "from 7.5% in April": the date on the figure's preposition
        owners.insert(1, argument.head)
    doc = argument.doc
    times = [ent for ent in _times(doc) if not any(t.i in inside for t in ent)]
    for owner in owners:
        found = [ent for ent in times if _time_on(ent, owner)]
        if found:
            return min(found, key=lambda ent: abs(ent.root.i - argument.i)).text
    # "in 1992, when he ordered 4,500 troops": the clause hangs off the date
    if event is not None and event.dep_ in ("relcl", "advcl") and event.head.ent_type_ == "DATE":
        named = _entity_text(event.head, _TIME_LABELS)
        if named:
            return named
    # a time adverb on the event or in a clause on it: "as it stands now, Clinton has"; a
    # date found further on is more precise ("As of Wednesday, ...: Trump now has 446")
    adverb = None
    for owner in owners[1:]:
        for child in owner.children:
            words = [child] if child.dep_ == "advmod" else []
            if child.dep_ == "advcl":
                words = [t for t in child.subtree if t.dep_ == "advmod"]
            for word in words:
                if adverb is None and word.lower_ in _sets()["time_adverbs"]:
                    adverb = word.lower_
    # a date deeper inside a phrase on the event: "ahead of Tuesday's two contests", kept
    # with its relation ("Ahead of Tuesday" is not Tuesday)
    for owner in owners[1:]:
        for child in owner.children:
            if child.dep_ not in ("prep", "advmod"):  # "ahead of" is tagged an adverb
                continue
            inner = {t.i for t in child.subtree}
            for ent in _times(doc):
                if ent.label_ == "DATE" and ent.root.i in inner and ent.root.i not in inside:
                    if child.lower_ in _sets()["time_relations"] and child.i < ent.start:
                        return doc[child.i : ent.end].text
                    return ent.text
    return _subject_date(argument, inside) or _lead_clause_date(event, inside) or adverb


def _time_on(ent: Span, owner: Token) -> bool:
    """Whether the date ``ent`` hangs on ``owner``.

    Directly, through a preposition, or as a bare noun phrase of time ("killed 14 people
    Monday").
    """
    root = ent.root
    if owner.i == root.head.i:
        return True
    return root.head.dep_ == "prep" and owner.i == root.head.head.i


@lru_cache(maxsize=8)
def _times(doc: Doc) -> tuple[Span, ...]:
    """The DATE and TIME entities that say when, not ages ("a 28-year-old man", "24 years old").

    An age is a DATE to the tagger, but it is nobody's time: "a 28-year-old man went on a
    rampage in 1996" happened in 1996. Built once per doc (a figure's frame asks for them
    several times, and reading ``doc.ents`` walks the whole doc).
    """
    return tuple(
        ent for ent in doc_ents(doc) if ent.label_ in _TIME_LABELS and not _AGE.search(ent.text)
    )


def possessive_date(noun: Token | None, inside: set[int]) -> str | None:
    """The date a counted noun is of: "three of Saturday's four contests" -> "Saturday"."""
    if noun is None:
        return None
    for child in noun.lefts:
        if child.dep_ == "poss" and is_date(child) and child.i not in inside:
            return _entity_text(child, _TIME_LABELS)
    return None


def _lead_clause_date(event: Token | None, inside: set[int]) -> str | None:
    """A date in a clause that leads into the figure's across a colon or a dash.

    "As of Wednesday, the race stands as follows: Trump now has 446 delegates"; "the special
    election on April 18 topped 37 percent — nearly 194,000 people voted". Only the lead
    clause's subject and its prepositions, not clauses inside them.
    """
    if event is None:
        return None
    doc = event.doc
    leads = [t for t in event.lefts if t.dep_ in ("ccomp", "parataxis")]
    # "We already knew that ... the special election on April 18 topped 37 percent — ..."
    leads += [c for lead in leads for c in lead.children if c.dep_ == "ccomp"]
    for lead in leads:
        phrase: set[int] = set()
        for child in lead.children:
            if child.dep_ in ("nsubj", "nsubjpass", "prep"):
                phrase |= _phrase_tokens(child)
        date = _date_within(doc, phrase, inside)
        if date:
            return date
    return None


def _date_within(doc: Doc, phrase: set[int], inside: set[int]) -> str | None:
    """A DATE entity wholly inside ``phrase`` and not in the figure."""
    for ent in _times(doc):
        tokens = {t.i for t in ent}
        if ent.label_ == "DATE" and tokens <= phrase and not tokens & inside:
            return ent.text
    return None


def _phrase_tokens(token: Token) -> set[int]:
    """The token's phrase without the clauses inside it (relative, adverbial, ...)."""
    out = {token.i}
    for child in token.children:
        if child.dep_ not in _CLAUSE_DEPS:
            out |= _phrase_tokens(child)
    return out


def _subject_date(argument: Token, inside: set[int]) -> str | None:
    """A date in the subject of a clause the figure hangs on, up the tree.

    "December hiring was a little better than first thought, with 219,000 jobs added";
    "the special election on April 18 topped 37 percent — nearly 194,000 people voted".
    Relative clauses in the subject are not its date ("Trump, who won in March, has ...").
    """
    doc = argument.doc
    token = argument
    for _ in range(MAX_CLIMB + 1):
        if token.pos_ in _VERBS:
            for child in token.children:
                if child.dep_ not in ("nsubj", "nsubjpass"):
                    continue
                clauses = {
                    t.i for c in child.children if c.dep_ in ("relcl", "acl") for t in c.subtree
                }
                date = _date_within(doc, {t.i for t in child.subtree} - clauses, inside)
                if date:
                    return date
        if token.head.i == token.i:
            break
        token = token.head
    return None
