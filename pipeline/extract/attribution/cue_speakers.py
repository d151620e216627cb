"""Who voices a cue: the speaker token of a cue candidate, by grammatical kind. Rules.

:func:`~.cues.match_cues` takes a candidate's subject as its speaker; the helpers here say who
speaks where the subject is missing or is not the speaker: a participle's or complement's
governing clause (:func:`speaker_of`), a causing verb's object, a passive's agent, a nominal
cue's possessor or "from"/"by" object, the author in "according to a speech X delivered", a
share of people ("4 in 10 say"), a name the parser left beside a subjectless verb, and the
asker of a bare "Asked about X, ...". Each helper says why and what it measured. Kept apart from
the candidate patterns so that each module does one job; the learned speaker tagger
(:mod:`.crf`) and the repairs after assembly (:mod:`.fallback`) build on these.
"""

from __future__ import annotations

from spacy.tokens import Token

from pipeline.extract.attribution.lexicon import (
    ADDRESSEE_VERBS,
    CAUSING_VERBS,
    CUE_LEMMAS,
    THING_OBJECTS,
)
from pipeline.extract.speaker_names import RELATIVE_PRONOUNS
from pipeline.extract.tokens import same_para, subject

__all__ = [
    "SPEAKING_ENTITIES",
    "TIME_ENTITIES",
    "according_author",
    "addressed_participle",
    "adjacent_name",
    "counted_subject",
    "is_passive",
    "noun_source",
    "outer_subject",
    "passive_agent",
    "relative_reporter",
    "speaker_of",
]


def is_passive(verb: Token) -> bool:
    """Whether ``verb`` is a passive: it has a passive auxiliary or a passive subject."""
    return any(child.dep_ in ("auxpass", "nsubjpass") for child in verb.children)


def passive_agent(verb: Token) -> Token | None:
    """The "by" object of a passive verb ("is supported by X")."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


#: Entity types of names that speak (people, groups, organisations, governments).
SPEAKING_ENTITIES = frozenset({"PERSON", "NORP", "ORG", "GPE"})

#: Entity types of a time, which never speaks.
TIME_ENTITIES = frozenset({"DATE", "TIME"})


def speaker_of(tok: Token) -> Token | None:
    """The speaker of a verb cue: its subject, or its governor's ("..., saying that").

    A participle describing a name has no subject of its own: the name speaks ("skittish
    Democrats contemplating", "NATO saying"). Only a name: a common noun there is as often a
    thing ("legal papers opposing", "the other side knowing"). The object of a causing verb
    does its complement ("led the journalist to fear": :func:`_controller`); the object of
    any verb with an infinitive does not (on the first 200 training articles taking it cost
    0.2 points of speaker accuracy: "used the comments to urge" is the subject's).
    """
    speaker = subject(tok)
    if speaker is None and tok.dep_ == "acl" and tok.tag_ == "VBG":
        noun = tok.head
        if noun.ent_type_ in SPEAKING_ENTITIES and noun.i < tok.i and same_para(noun, tok):
            return noun
    if speaker is None and tok.dep_ == "xcomp" and (controller := _controller(tok)) is not None:
        return controller
    if speaker is None and tok.dep_ in ("advcl", "xcomp", "conj", "pcomp", "acl"):
        governor = tok.head.head if tok.head.dep_ == "prep" else tok.head
        if same_para(governor, tok):
            speaker = subject(governor)
            outer = governor.head
            if (
                (
                    (tok.dep_ == "conj" and tok.lemma_.casefold() in CUE_LEMMAS)
                    or (_set_off_participle(tok) and outer.i < governor.i)
                )
                and governor.dep_ == "ccomp"
                and outer.lemma_.casefold() in CUE_LEMMAS
                and same_para(outer, tok)
            ):
                # "X said it would ... and warned ...", "X has indicated he would ...,
                # vowing to ...": the parser hangs the second cue under the first one's
                # content; X, not the content's subject, warned or vowed
                speaker = subject(outer) or speaker
    return speaker


def counted_subject(verb: Token) -> Token | None:
    """A share of people the parser hung on the verb as a number: "About 4 in 10 say ...".

    The last number before the verb with nothing but its own modifiers between ("Six in 10
    say", "more than 4 in 10 said"); its subtree is the speaker mention.
    """
    for child in verb.children:
        if (
            child.dep_ == "nummod"
            and child.pos_ == "NUM"
            and child.right_edge.i == verb.i - 1
            and same_para(child, verb)
        ):
            return child
    return None


def relative_reporter(verb: Token, speaker: Token) -> bool:
    """Whether ``speaker`` reports inside a relative clause: "which officials said will go".

    The content runs from the relative pronoun, before the reporter, so it holds the
    reporter's own subject; that subject still speaks (PolNeAR: "officials", with "which"
    and "will go ..." as content).
    """
    return (
        verb.dep_ == "relcl"
        and speaker.head.i == verb.i
        and speaker.dep_ == "nsubj"
        and speaker.i < verb.i
        and any(
            c.dep_ == "nsubj" and c.lower_ in RELATIVE_PRONOUNS and c.i < speaker.i
            for c in verb.subtree
        )
    )


def _set_off_participle(tok: Token) -> bool:
    """Whether ``tok`` is a participle adjunct after a comma: "..., vowing to ..."."""
    return (
        tok.dep_ == "advcl"
        and tok.tag_ == "VBG"
        and tok.i > 0
        and tok.doc[tok.i - 1].text == ","
        and not any(c.dep_ in ("nsubj", "aux") for c in tok.children)
    )


def _controller(tok: Token) -> Token | None:
    """Who does a subjectless complement of a causing verb: "led some allies to worry".

    The governing verb's direct object before ``tok`` when the verb is one of
    :data:`~.lexicon.CAUSING_VERBS`: PolNeAR names the one led or prompted, not what led
    them ("The decisive victory led Priebus to declare", "it prompted Anderson Cooper to
    accuse"). Not a thing pronoun ("could leave it thinking"), nor other verbs with an object
    and an infinitive, whose object is mostly a thing ("used the comments to urge", "spent
    more time talking"). Held-out folds of PolNeAR train: see the decision list.
    """
    governor = tok.head
    if governor.lemma_.casefold() not in CAUSING_VERBS:
        return None
    for child in governor.children:
        if (
            child.dep_ == "dobj"
            and child.i < tok.i
            and child.pos_ in ("NOUN", "PROPN", "PRON")
            and child.lower_ not in THING_OBJECTS
            and same_para(child, tok)
        ):
            return child
    return None


def according_author(pobj: Token) -> Token:
    """Who speaks in "according to ``pobj``": the author a relative clause names, if any.

    "according to a speech Mrs. Clinton delivered": Mrs. Clinton; otherwise ``pobj`` itself.
    """
    for child in pobj.children:
        if child.dep_ == "relcl" and same_para(child, pobj):
            author = subject(child)
            if author is not None and author.ent_type_ in SPEAKING_ENTITIES:
                return author
    return pobj


def noun_source(tok: Token) -> Token | None:
    """Who voices a nominal cue when no possessive does.

    "warnings from his attorney", "a report by the CBO", "the European reluctance",
    "Republican criticism". Why: without it the speaker fell to the subject of the verb
    governing the noun ("X persisted despite warnings from Y"), or to none.
    """
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by") and child.i > tok.i:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("PROPN", "NOUN") and same_para(pobj, tok):
                return pobj
    for child in tok.children:
        if (
            child.dep_ in ("amod", "compound", "nmod")
            and child.i < tok.i
            and child.ent_type_ in SPEAKING_ENTITIES
        ):
            return child
    return None


_NAME_SUBJECTS = frozenset({"he", "she", "they", "i", "we"})


def adjacent_name(verb: Token) -> Token | None:
    """A name or pronoun right before a finite reporting verb the parser left subjectless.

    Why: the parser sometimes hangs the speaker elsewhere ("“Look at ...,” Conway notes."
    parses "notes" with no subject, so the quotation went to a verb inside it) and the cue is
    then dropped for want of a subject; the token pattern "<PROPN> said" still names who
    spoke. In train[200:] this recovers few claims (most misparsed "X said" still
    get some subject, if the wrong one) but costs none; excluding dates ("who Beck on
    Wednesday called ...") cost a match on train[:200] and train[200:].
    """
    if verb.i == 0 or verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    prev = verb.doc[verb.i - 1]
    if not same_para(prev, verb):
        return None
    if prev.pos_ == "PROPN" or prev.lower_ in _NAME_SUBJECTS:
        return prev
    return None


def addressed_participle(verb: Token) -> bool:
    """Whether ``verb`` is a bare participle of asking: "Asked about X, she said ...".

    Its governor's subject is who was asked, not who asked; PolNeAR credits the question to
    the asker, named by "by" (the agent) or, mostly, not at all. On PolNeAR train, matched
    claims of such a cue had the right speaker 2 times in 36 when they took the governor's
    subject. The verbs are :data:`~.lexicon.ADDRESSEE_VERBS`; the participle has no subject
    or auxiliary of its own ("when asked", not "she asked" or "was asked").
    """
    if verb.dep_ != "advcl" or verb.tag_ not in ("VBN", "VBD"):
        return False
    if verb.lemma_.casefold() not in ADDRESSEE_VERBS:
        return False
    return not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children)


def outer_subject(tok: Token, content: tuple[int, int]) -> Token | None:
    """The nearest subject of an enclosing clause that lies outside ``content``."""
    node = tok
    for _ in range(4):
        if node.head == node or not same_para(node.head, tok):
            return None
        node = node.head
        subj = subject(node)
        if subj is not None and not content[0] <= subj.idx < content[1]:
            return subj
    return None
