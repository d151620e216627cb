"""A figure's frame: what it counts, in what event, whose, where, when, and in what role.

Two outlets' numbers disagree only when they measure the same quantity: "about 4,000 troops"
*left behind* after a drawdown and "over 5,000 troops" *deployed* now are both troops in Iraq,
yet not the same quantity. The frame is what a reader checks before calling two figures a
disagreement. It is read from the parse the figures already have (textacy ``extract`` style: a
pure function over a spaCy ``Doc``, a frozen record out):

* ``counted``: the counted noun's lemma with its narrowing modifiers, lowercased
  ("private-sector job", "u.s. troop"); for "three of the four states", "state"; for a bare
  percentage or amount, the noun it is the level of ("the unemployment rate fell to 5
  percent", "an approval rating of 43 percent"); for money with no noun, "money";
* ``event``: the predicate the quantity is an argument of, as a lemma with its particle
  ("leave behind", "deploy", "kill"); the verb of a noun of an event the figure hangs off
  ("the deaths of 12 people" -> "die", "the separation of 2,000 children" -> "separate":
  ``nominal_events``); "be" for copulas and "there be"; the state an event left the
  counted in ("left 12 people dead" -> "dead");
* ``holder``: whose quantity it is: the event's subject when the figure is its object, a
  possessor ("Iraq's 5,000 troops"), or the agent of a passive ("by the Labor Department");
  the one an infinitive is asked of ("Smith was ordered to pay"); for "he" or "she", the
  person named before it in the sentence;
* ``place``: a named place (GPE, LOC, FAC) after a locative preposition on the event or the
  counted noun ("in Iraq");
* ``time``: a DATE or TIME entity attached to the event or the counted noun ("in February",
  "last year"); None means the article's own date;
* ``role``: ``total`` (a level), ``part`` (of a larger whole: "three of the four states";
  one of counts that split one event: "arrested 15 times in Georgia, and four in Ohio"),
  ``change`` (an increase or decrease, "added 20,000 jobs", "5,000 more troops"), ``rate``
  (an average or a quantity per period: "an average of 158,000 jobs a month"),
  ``margin`` (a margin of error), ``limit`` ("up to 30 rounds"), ``forecast`` (expected,
  planned, a target or a condition: "would leave", "is expected to reach", "until
  unemployment has fallen to 6.5 percent"), ``revision``, ``sum``,
  ``previous`` (the level a change came from: "fell to 5 percent from 6 percent"),
  ``from_to`` (both levels read as one range, "fell from 8.1 percent to 7.8 percent": compared
  as the level it went to), or
  ``besides`` (others beside named ones: "the ambassador and three other Americans", four in
  all), or ``cell`` (a figure of a table flattened into text, whose row and column labels
  the parse cannot read; never compared).

This module reads the event and the holder and puts the frame together; the counted noun is
:mod:`pipeline.extract.frame_counted`'s, the place and time
:mod:`pipeline.extract.frame_where_when`'s, the role :mod:`pipeline.extract.frame_roles`'s.
The lexicons (particles, cue words, event classes) are data: ``data/frames.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from pipeline.extract.doccache import doc_ents
from pipeline.extract.frame_counted import (
    counted_noun,
    counted_text,
    is_date,
    measured_noun,
    wanted_by,
)
from pipeline.extract.frame_lexicon import DATA_FILE, data_digest, lexicon
from pipeline.extract.frame_lexicon import word_sets as _sets
from pipeline.extract.frame_roles import besides_named, figure_role
from pipeline.extract.frame_where_when import (
    MAX_CLIMB,
    figure_place,
    figure_time,
    possessive_date,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "DATA_FILE",
    "FRAME_COLUMNS",
    "ROLES",
    "FigureFrame",
    "data_digest",
    "figure_frame",
    "frame_columns",
    "lexicon",
]

ROLES = (
    "total",
    "part",
    "change",
    "rate",
    "margin",
    "limit",
    "forecast",
    "revision",
    "sum",
    "previous",
    "from_to",
    "besides",
    "cell",
)

_NOUNS = frozenset({"NOUN", "PROPN"})
_VERBS = frozenset({"VERB", "AUX"})
_SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
_OBJECT_DEPS = frozenset({"dobj", "obj", "attr", "oprd", "nsubjpass", "dative"})
#: Figures that may be the level of a noun they do not modify ("the rate fell to 5 percent").
_LEVEL_KINDS = frozenset({"percent", "currency"})


@dataclass(frozen=True, slots=True)
class FigureFrame:
    """What a figure measures; every field may be None when the parse does not say.

    Attributes:
        counted: Counted head lemma with its modifiers, lowercase ("u.s. troop").
        event: Predicate lemma with particle ("leave behind"), or a nominal event ("death").
        holder: Whose quantity: subject, possessor or passive agent, as written.
        place: Named place the quantity is in, as written ("Iraq").
        time: Time expression the quantity is at, as written ("in February" -> "February");
            None means the article's date.
        role: One of :data:`ROLES`.
    """

    counted: str | None
    event: str | None
    holder: str | None
    place: str | None
    time: str | None
    role: str


#: The ``figures`` columns a frame fills, in table order.
FRAME_COLUMNS = (
    "frame_counted",
    "frame_event",
    "frame_holder",
    "frame_place",
    "frame_time",
    "frame_role",
)


def frame_columns(frame: FigureFrame) -> dict[str, str | None]:
    """The frame as ``figures`` columns (``frame_counted`` ... ``frame_role``)."""
    return {
        "frame_counted": frame.counted,
        "frame_event": frame.event,
        "frame_holder": frame.holder,
        "frame_place": frame.place,
        "frame_time": frame.time,
        "frame_role": frame.role,
    }


def figure_frame(
    doc: Doc, start: int, end: int, *, change: str = "=", kind: str | None = None
) -> FigureFrame:
    """The frame of the figure at characters ``[start, end)`` of ``doc``.

    Args:
        doc: The parsed article (tagger, parser, lemmatizer, ner).
        start: The figure's start offset in ``doc.text``.
        end: The figure's end offset.
        change: The figure's qualifier (``figures.change``): ``up``/``down`` make it a change.
        kind: The figure's kind (``figures.kind``): an amount of money counts what it is "in"
            or "of" ("$850 billion in spending cuts"), else money; a bare percentage or amount
            counts the noun it is the level of ("the unemployment rate fell to 5 percent").
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return FigureFrame(None, None, None, None, None, "total")
    anchor = _anchor(span)
    noun = counted_noun(span, anchor, amount=kind == "currency")
    inside = {t.i for t in span}
    counted = counted_text(noun, inside) if noun is not None else None
    if noun is not None and counted is not None and besides_named(noun):
        counted = counted.removeprefix("other ")  # "X and three other Americans": Americans
    # "the unemployment rate fell to 5 percent", "an approval rating of 43 percent": a share
    # or an amount with no noun of its own measures the noun it is the level of
    measured = measured_noun(anchor) if noun is None and kind in _LEVEL_KINDS else None
    if measured is not None:
        counted = counted_text(measured, inside)
    elif counted is None and kind == "currency":
        counted = "money"  # "she raised $8.6 million": money, tied by its event and holder
    # "the $12 billion Jones wants": the amount hangs on the subject of a relative clause
    # without "that"; it counts no name, and is what Jones wants.
    wanted = wanted_by(noun) if kind == "currency" and noun is not None else None
    if wanted is not None:
        counted = "money"
    # The figure's place in the clause: the counted noun it modifies ("4,000 troops were
    # deployed"), or the figure itself when the noun is its of-object ("dozens of soldiers
    # were flown").
    of_figure = noun is not None and noun.head.dep_ == "prep" and noun.head.head.i == anchor.i
    argument = anchor if noun is None or of_figure else noun
    event_token = _event_token(argument, inside)
    # "the attack left 12 people dead": the deaths are the event, the attack still whose
    state = _resulting_state(event_token, argument) if wanted is None else wanted[1]
    event = _event_text(state) if state is not None else None
    if wanted is not None:
        holder = " ".join(
            t.text
            for t in wanted[0].subtree
            if t.i not in inside and t.i <= wanted[0].i and t.dep_ not in ("det", "punct")
        )
    else:
        holder = _holder(argument, event_token)
    if measured is not None and holder is not None and holder == _compact(measured):
        holder = None  # the rate is what is measured, not whose it is
    # "44 percent of Sanders voters in West Virginia": the place of the of-object is the figure's
    place = figure_place(argument, event_token, inside) or (
        figure_place(noun, None, inside) if of_figure and noun is not None else None
    )
    time = figure_time(argument, event_token, inside) or possessive_date(noun, inside)
    role = figure_role(doc, span, anchor, noun, event_token, event, change)
    return FigureFrame(counted, event, holder, place, time, role)


def _anchor(span: Span) -> Token:
    """The figure's syntactic root: its token whose head lies outside the span."""
    for token in span:
        if token.head.i < span.start or token.head.i >= span.end or token.head.i == token.i:
            return token
    return span.root


def _resulting_state(event: Token | None, argument: Token) -> Token | None:
    """The state an event left the counted in: "left three people dead" is about deaths.

    "leave" with a complement of a known event ("dead", "wounded", "homeless") takes it as
    the event; "left 4,000 troops behind" has a particle, not a complement, and stays. Any
    other verb does too when the complement is an adjective of a known state: "found eight
    people shot dead" counts the dead, not everyone shot.
    """
    if event is None:
        return event
    leave = event.lemma_.lower() == "leave"
    complements = ("oprd", "ccomp", "xcomp", "acomp", "advcl")
    for child in event.children:
        known = child.lemma_.lower() in _classed_events() or child.lower_ in _classed_events()
        stated = leave or (child.pos_ == "ADJ" and child.dep_ in ("oprd", "acomp", "advcl"))
        if child.dep_ in complements and child.i > argument.i and known and stated:
            return child
    return event


@cache
def _classed_events() -> frozenset[str]:
    """Every predicate of an event class (kill, dead, wound, arrest, deploy, ...)."""
    return frozenset(word for words in lexicon()["event_classes"].values() for word in words)


def _event_token(argument: Token, inside: set[int]) -> Token | None:
    """The predicate ``argument`` belongs to: a verb up the tree, or a noun it is 'of'.

    A relative or participial clause on the counted noun names its event first ("the 13
    people who were killed", "2,000 children being separated"), unless the noun is its
    active subject: "300 opinions that demonstrate fairness" describes the opinions, and the
    count's event is the clause above.
    """
    for child in argument.rights:
        clause = child.dep_ in ("relcl", "acl") and child.pos_ in _VERBS
        if clause and child.i not in inside and not _describes(child):
            return child
    token = argument
    for _ in range(MAX_CLIMB):
        head = token.head
        if head.i == token.i:
            return token if token.pos_ in _VERBS else None
        if head.pos_ in _VERBS and head.dep_ != "prep":
            return head
        if head.dep_ == "prep" or head.pos_ == "ADP":  # "including", "following" too
            token = head
            continue
        if token.dep_ == "prep" and token.pos_ == "VERB" and head.pos_ in _NOUNS:
            # "killed 161 Palestinians, including ... five Israelis": on to the verb
            token = head
            continue
        if head.pos_ in _NOUNS and token.dep_ == "pobj":
            return head
        if token.lower_ == "of" and head.pos_ == "NOUN" and head.lemma_.lower() in _nominals():
            return head  # "the deaths of 12 people", "the separation of 2,000 children"
        if head.pos_ in _NOUNS and token.dep_ in ("appos", "conj"):
            token = head
            continue
        if head.pos_ == "ADJ":  # "dead", "injured" as predicates
            return head
        return None
    return None


def _describes(clause: Token) -> bool:
    """A relative clause whose subject is the relative pronoun, in the active voice."""
    subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    return (
        clause.dep_ == "relcl"
        and subject is not None
        and subject.tag_ in ("WDT", "WP")
        and not any(c.dep_ in ("auxpass", "nsubjpass") for c in clause.children)
    )


@cache
def _nominals() -> dict[str, str]:
    """Nouns of an event and the verb they name ("separation" -> "separate")."""
    return dict(lexicon()["nominal_events"])


def _event_text(token: Token) -> str:
    """Lemma of the event with its particle ("leave behind"); "there be" for existentials.

    A noun of an event is its verb: "the separation of 2,000 children" is "separate", as
    "2,000 children were separated".
    """
    lemma = token.lemma_.lower()
    if token.pos_ == "NOUN" and lemma in _nominals():
        return _nominals()[lemma]
    if any(c.dep_ == "expl" for c in token.children):
        return "there " + lemma
    particles = _sets()["particles"]
    for child in token.rights:
        if child.dep_ in ("prt", "advmod") and child.lower_ in particles and child.i == token.i + 1:
            return f"{lemma} {child.lower_}"
    polar_nouns = lexicon()["polarity_nouns"]
    for child in token.rights:  # "199 Republicans voted against it" is not "227 voted"
        if child.dep_ == "prep" and child.lower_ in _sets()["polarity_preps"]:
            return f"{lemma} {child.lower_}"
        # "voted in opposition" is "voted against"; "voted in favor" is "voted for"
        polar = [polar_nouns[o.lower_] for o in child.children if o.lower_ in polar_nouns]
        if child.dep_ == "prep" and child.lower_ == "in" and polar:
            return f"{lemma} {polar[0]}"
    return lemma


def _compact(token: Token) -> str | None:
    """A noun phrase as written, without determiners and relative clauses ("United States")."""
    if token.pos_ == "PRON" or token.pos_ not in _NOUNS:
        return None
    keep = [
        t
        for t in token.subtree
        if (t.i <= token.i and t.dep_ not in ("det", "punct", "poss", "case")) or t.i == token.i
    ]
    # Proper nouns as written, other words lowercase: "Businesses" at the start of a
    # sentence is a common noun, and the case tells a name from a description.
    words = [t.text if t.pos_ == "PROPN" else t.lower_ for t in sorted(keep, key=lambda t: t.i)]
    return " ".join(words) or None


def _holder(argument: Token, event: Token | None) -> str | None:
    """Whose quantity: a possessor, the subject of the event, or the agent of a passive."""
    found = _holder_token(argument, event)
    if found is not None and _is_dateline(found):
        # "DENVER – Jane Smith, the candidate, raised": the dateline is where it was filed
        found = next((c for c in found.children if c.dep_ == "appos"), None)
    if found is None:
        return None
    clauses = {t.i for c in found.children if c.dep_ == "relcl" for t in c.subtree}
    if argument.i in {t.i for t in found.subtree} - clauses:
        return None  # the figure's own phrase ("the 30,000 emails that are missing")
    if found.lower_ in _sets()["person_pronouns"]:
        return _person_before(found)
    name = _compact(found)
    group = _group_of(found)
    return f"{name} {group}" if name and group else name


def _group_of(holder: Token) -> str | None:
    """The group a holder is restricted to: "for blacks" of "the unemployment rate for blacks".

    A rate or share for one group is another quantity than the whole's ("the jobless rate"):
    the group is kept in the holder, so the names no longer agree (they end in other words).
    A group is a nationality or people's group entity (NORP) or a noun of ``group_nouns``
    after a preposition of ``group_preps``; "support for the bill" names no group.
    """
    sets = _sets()
    for prep in holder.children:
        if prep.dep_ != "prep" or prep.lower_ not in sets["group_preps"]:
            continue
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        if pobj.ent_type_ == "NORP" or pobj.lemma_.lower() in sets["group_nouns"]:
            # the group's noun and what stands before it ("college educated white women"),
            # not the phrases after it ("Democrats in House races among ...")
            kept = [
                t.text
                for t in pobj.subtree
                if t.i <= pobj.i and t.dep_ not in ("det", "punct", "poss", "case")
            ]
            return f"{prep.lower_} {' '.join(kept)}"
    return None


#: How many sentences before a pronoun's own one are read for the person it stands for.
PRONOUN_CONTEXT_SENTENCES = 1


def _person_before(pronoun: Token) -> str | None:
    """The person "he" or "she" stands for: the last person named before it.

    "DeBartolo pleaded guilty to failing to report a felony when he paid $400,000": the
    payer is DeBartolo, not anyone another article names as paying. In its own sentence
    first; when none is named there, the subject of the sentence before, if it names a person
    ("Smith won Nevada. He took 46 percent"), else the last person that sentence names (up to
    :data:`PRONOUN_CONTEXT_SENTENCES` back). None when no person is named before.
    """
    ents = doc_ents(pronoun.doc)
    sentence = pronoun.sent

    def people_in(start: int, end: int) -> list[Span]:
        return [e for e in ents if e.label_ == "PERSON" and start <= e.start and e.end <= end]

    people = people_in(sentence.start, pronoun.i)
    if people:
        return people[-1].text
    for _ in range(PRONOUN_CONTEXT_SENTENCES):
        if sentence.start == 0:
            return None
        sentence = pronoun.doc[sentence.start - 1].sent
        people = people_in(sentence.start, sentence.end)
        subjects = {t.i for t in sentence.root.children if t.dep_ in ("nsubj", "nsubjpass")}
        subject = [e for e in people if any(t.i in subjects for t in e)]
        if subject or people:
            return (subject or people)[-1].text
    return None


def _is_dateline(token: Token) -> bool:
    """A dateline: a capitalised place opening the sentence before a dash ("DENVER –")."""
    doc = token.doc
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (
        token.is_sent_start is True
        and token.text.isupper()
        and following is not None
        and following.text in ("-", "–", "—", "--")
    )


def _holder_token(argument: Token, event: Token | None) -> Token | None:
    """The token heading the holder's phrase (see :func:`_holder`).

    The other participant of the event: its subject (or passive agent) when the figure is
    the object, its object when the figure is the subject or agent ("17 women accused
    Trump"). A clause without a subject takes the one of the clause it depends on
    ("construction stands out, adding 48,000 jobs").
    """
    for child in argument.lefts:
        if child.dep_ == "poss" and child.pos_ in _NOUNS and not is_date(child):
            return child
    if event is None or event.pos_ not in _VERBS:
        return None
    if argument.dep_ == "pobj" and argument.head.lower_ in ("with", "at"):
        # "the poll found Clinton with 45 percent", "showed Trump at 28%": the object's
        obj = next((c for c in event.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.i != argument.i:
            return obj
    is_subject = argument.dep_ in (*_SUBJECT_DEPS, "pobj") and (
        argument.dep_ != "pobj" or argument.head.dep_ == "agent"
    )
    wanted = ("dobj", "nsubjpass") if is_subject else ("nsubj", "agent")
    clause = event
    controlled = False
    for _ in range(3):
        if controlled and not is_subject:
            # "Smith was ordered to pay", "the judge ordered Smith to pay": the object (or
            # passive subject) of the verb an infinitive hangs on is who pays, not who ordered
            controller = next((c for c in clause.children if c.dep_ in ("dobj", "nsubjpass")), None)
            if controller is not None and controller.i != argument.i:
                return controller
        for child in clause.children:
            if child.dep_ not in wanted or child.i == argument.i:
                continue
            if child.dep_ == "agent":
                child = next((c for c in child.children if c.dep_ == "pobj"), None)
                if child is None or child.i == argument.i:
                    continue
            if child.tag_ in ("WDT", "WP") and clause.dep_ == "relcl":
                return clause.head  # "attacks that killed 14": the attacks
            return child
        if clause.dep_ not in ("advcl", "xcomp", "conj") or clause.head.pos_ not in _VERBS:
            break
        controlled = clause.dep_ == "xcomp"
        clause = clause.head
    return None
