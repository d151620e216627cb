"""Speakers for cues the patterns left without one: the doer of the clause the cue hangs in.

Also the words the patterns took for a speaker that speak for no one: a dateline or a time
zone the parser made the subject (:func:`past_label`), a speaker that is the whole content
(:func:`names_content`).

Used only after a cue made a claim (the claims' assembly in :mod:`pipeline.extract.claims`):
no cue candidate, and so no training example of the learned judge or taggers, reads it. That
is why it lives apart from :mod:`.cues`: the claims model's code digest
(:func:`pipeline.learn.claims.learning_code`) covers the modules that shape what the models
learn, and a change here, downstream of them, does not make the model stale.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from pipeline.extract.attribution.cue_speakers import addressed_participle, speaker_of
from pipeline.extract.attribution.cues import Cue
from pipeline.extract.attribution.lexicon import CAUSING_VERBS, DOER_PREPOSITIONS, EXPLETIVES
from pipeline.extract.doccache import doc_text, entity_at
from pipeline.extract.speaker_names import RELATIVE_PRONOUNS
from pipeline.extract.speakers import mention_tokens
from pipeline.extract.tokens import char_span, para_start, same_para, subject

#: Dependencies of a subjectless clause whose doer is its governor's subject: a participle
#: or infinitive adjunct ("..., pointing to X and saying that ..."), a coordinated verb.
_CONTROLLED = frozenset({"advcl", "xcomp", "conj", "pcomp"})


def spoken_by(cue: Cue) -> Token | None:
    """The speaker token of a cue that made a claim, less the words that are no speaker.

    :func:`_spoken_by` names the token; a label set off before the clause stands aside for
    the apposition the parser hung on it (:func:`_set_off_label`), and a speaker whose noun
    phrase is the whole content is none (:func:`names_content`).
    """
    return no_label_or_content(cue, _spoken_by(cue))


def no_label_or_content(cue: Cue, speaker: Token | None) -> Token | None:
    """``speaker`` past a set-off label (:func:`past_label`), or none if it names the content.

    The one test of a non-speaker both speaker paths apply: the patterns' (:func:`spoken_by`)
    and the learned source tagger's (:func:`~.crf.tagged_speaker`).
    """
    if speaker is not None:
        speaker = past_label(speaker)
    if speaker is not None:
        speaker = named_after_role(speaker)
    if speaker is not None and speaker.lower_ in _ARTICLES and speaker.pos_ == "DET":
        speaker = _determined(speaker, cue)
    return None if speaker is None or names_content(cue, speaker) else speaker


def named_after_role(speaker: Token) -> Token:
    """The name a role runs into with no comma, where the parser made the role the speaker.

    Why: in "Former Vice President Joe Biden on Wednesday said" and "Senate Minority Leader
    Chuck Schumer, D-N.Y., said" the parser makes the role the subject and hangs the name on it
    as an apposition, so the speaker was the role alone, and a source named "President" or
    "Senate Minority Leader" took the claim (AllSides 4k: about 85 claims). The name must be a
    person entity starting right after the role's word; after a comma ("the spokesman, Jim
    Smith") it is another rule's (:func:`~pipeline.extract.speakers._named_after_role`).
    """
    if speaker.ent_type_ == "PERSON":
        return speaker
    for child in speaker.rights:
        if child.dep_ == "appos" and child.ent_type_ == "PERSON":
            ent = entity_at(child)
            if ent is not None and ent.start == speaker.i + 1:
                return child
    return speaker


#: Articles: a speaker token that is one determines the noun that names someone, if anyone.
_ARTICLES = frozenset({"a", "an", "the"})


def _determined(article: Token, cue: Cue) -> Token | None:
    """The noun an article determines, as the speaker; none when that noun is the cue.

    Why: the source tagger's run on a nominal cue sometimes holds the article alone, so "Romney
    made a ridiculous pledge to ..." and "the central Mitt Romney talking point" had the
    speakers "a" and "the" (AllSides, first 1,000 articles: 26 claims). An article speaks for
    no one; the noun it determines may, unless that noun is the cue word itself.
    """
    noun = article.head
    if noun.i == article.i or noun.pos_ not in ("NOUN", "PROPN"):
        return None
    return None if cue.cue[0] <= noun.idx < cue.cue[1] else noun


def past_label(speaker: Token) -> Token | None:
    """``speaker``, or the apposition past it where it is a label set off before the clause.

    The apposition the parser hung on a dateline or time zone (:func:`_set_off_label`) is the
    clause's real subject; without one, no one speaks.
    """
    label = _set_off_label(speaker)
    return speaker if label is None else _apposition_after(speaker, label)


def _spoken_by(cue: Cue) -> Token | None:
    """The speaker token of a cue that made a claim: its own, or :func:`fallback_speaker`'s.

    An expletive "it" the patterns took from the governing clause of a subjectless cue is
    no one: "it's hard to imagine ...", "it is premature to assume ...", "It means
    acknowledging that ..." (PolNeAR names no source). Only where the governor is "be" with
    a predicate adjective or noun, or "mean": elsewhere "it" is mostly a thing that speaks
    ("it declined, citing legal risks"). Held-out folds of PolNeAR train: 11 right speakers
    gained, none lost; dev unchanged.
    """
    speaker = cue.speaker
    if speaker is None:
        return fallback_speaker(cue)
    verb = cue.verb
    if _object_of_adjunct(verb, speaker):
        return fallback_speaker(cue)
    reporter = _reporting_subject(cue, speaker)
    if reporter is not None:
        return reporter
    governor = verb.head
    if (
        speaker.lower_ in EXPLETIVES
        and speaker.head.i == governor.i != verb.i
        and verb.dep_ in ("xcomp", "ccomp", "advcl")
        and (
            governor.lemma_ == "mean"
            or (
                governor.lemma_ == "be"
                and any(c.dep_ in ("acomp", "attr") for c in governor.children)
            )
        )
    ):
        return None
    return speaker


#: Dependencies of a verb that is no main clause of its own: a participle or infinitive
#: adjunct, a coordinated verb, a verb after a preposition ("in pushing X to ...").
_ADJUNCT_DEPS = frozenset({"conj", "advcl", "pcomp"})


def _object_of_adjunct(verb: Token, speaker: Token) -> bool:
    """Whether the patterns took the object of a participle or adjunct cue as its speaker.

    Why: a direct object is who or what the cue is done to, and an inverted speaker ("...,"
    said X) is never parsed as the object of a participle or of a coordinated or adverbial
    verb: "answering questions about his campaign", "while urging his critics to pipe down",
    "in pushing the Obama administration to release", "and told his audience they wouldn't
    back him". The doer of the governing clause speaks (:func:`fallback_speaker`). Not a
    causing verb's object, which does the complement ("pushing private doctors to query
    veterans about", :data:`~.lexicon.CAUSING_VERBS`). Held-out folds 0 and 1 of PolNeAR
    train: 4 right speakers gained, 1 lost.
    """
    return (
        speaker.dep_ == "dobj"
        and verb.lemma_ not in CAUSING_VERBS
        and speaker.head.i == verb.i
        and (verb.tag_ == "VBG" or verb.dep_ in _ADJUNCT_DEPS)
    )


def _reporting_subject(cue: Cue, speaker: Token) -> Token | None:
    """The subject of the reporting clause above a participle the parser hung on its complement.

    Why: in "Mr. Trump questioned why Mr. Khan's wife did not speak ..., implying that ...",
    "Bennett denied the notion that a campaign shakeup is coming, explaining that ..." or
    "Most of the vulnerable Senate Republicans have said they would support Trump, while
    emphasizing ...", the parser attaches the participle to the verb of the reported clause,
    and the patterns take that clause's subject ("Mr. Khan's wife", "a campaign shakeup",
    "they"); the participle continues the reporting clause, whose subject speaks (PolNeAR names
    it). Only a participle (VBG) adjunct or conjunct whose governor is a clausal complement,
    when the patterns took the governor's own subject; climbs the chain of complements to the
    first clause that is not one. The reporter must come before the participle, and the
    governor too ("saying at one point, ''The answer is ...''" hangs on the quotation's verb).
    Held-out folds 0 and 1 of PolNeAR train: 10 right speakers gained, none lost.
    """
    verb = cue.verb
    governor = verb.head
    if (
        verb.tag_ != "VBG"
        or verb.dep_ not in ("advcl", "conj")
        or governor.dep_ != "ccomp"
        or speaker.head.i != governor.i
        or governor.i > verb.i
    ):
        return None
    node = governor
    while node.dep_ == "ccomp" and node.head.i != node.i:
        node = node.head
    reporter = subject(node)
    if reporter is None or reporter.i > verb.i or not same_para(reporter, verb):
        return None
    return None if _inside_content(cue, reporter) else reporter


def fallback_speaker(cue: Cue) -> Token | None:
    """Who voices a cue the patterns gave no speaker: the doer of the clause it hangs in.

    A claim without a speaker is wrong whenever PolNeAR names a source, which it does for
    nine in ten claims; the patterns leave three in a hundred matched claims speakerless.
    Two repairs, each measured on PolNeAR train (all 840 articles, the extractor as shipped):

    - a verb whose governor has no subject either: climb the chain of subjectless clauses
      (:func:`_chain_subject`): "He ducked, pointing to his record and saying that ...";
    - a nominal cue in a prepositional phrase or the object of a subjectless verb: the
      verb's doer voices it ("says in a statement that", "voted in favor of", "bristled at
      the suggestion that").

    Used only where a cue already made a claim (the claims' assembly, the learned cues): the
    cue candidates, and so the content score, stay as they were.
    """
    tok = cue.verb
    if tok.tag_ == "VBN" or addressed_participle(tok):
        return None  # a passive ("Trump is expected to ..."): its subject is what is said
    if tok.pos_ == "NOUN":
        if tok.dep_ == "pobj" and tok.head.lower_ in DOER_PREPOSITIONS:
            verb = tok.head.head
        elif tok.dep_ == "dobj":
            verb = tok.head
        else:
            return None
        if verb.pos_ not in ("VERB", "AUX") or not same_para(verb, tok):
            return None
        speaker = subject(verb) or speaker_of(verb)
    elif tok.dep_ in _CONTROLLED | {"acl"}:
        governor = tok.head.head if tok.head.dep_ == "prep" else tok.head
        speaker = _chain_subject(governor, tok) if same_para(governor, tok) else None
    elif tok.tag_ in _FINITE and subject(tok) is None:
        speaker = _name_before(tok)
    else:
        return None
    if speaker is None or speaker.lower_ in RELATIVE_PRONOUNS or not same_para(speaker, tok):
        return None
    if _inside_content(cue, speaker):
        return None
    return speaker


#: Finite verb tags: a verb that should have a subject of its own.
_FINITE = frozenset({"VBD", "VBZ", "VBP"})

#: Entity types of the names that may speak.
_NAMES = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def _name_before(verb: Token) -> Token | None:
    """The name right before a finite cue the parser gave no subject, with no verb between.

    "Senator Harry Reid, the minority leader, said that ..." parsed with "Reid" hung on an
    earlier noun: the last name before the verb in its sentence, when only its apposition
    and punctuation lie between.
    """
    sent_start = verb.sent.start
    for i in range(verb.i - 1, sent_start - 1, -1):
        tok = verb.doc[i]
        if tok.pos_ in ("VERB", "AUX") or not same_para(tok, verb):
            return None
        if tok.ent_type_ in _NAMES and tok.pos_ == "PROPN":
            return tok
    return None


def _chain_subject(governor: Token, tok: Token) -> Token | None:
    """The subject up a chain of subjectless clauses from ``governor`` (``tok``'s governor).

    "He basically ducked, pointing to his record ... and saying that ...": "saying" hangs on
    "pointing", which has no subject; "ducked" has, two levels up. A passive governor's
    subject does the adjunct too ("Romer was sidelined after demonstrating that"). Not
    through a clausal complement or a relative clause: their subjects are their own.
    """
    node = governor
    for _ in range(4):
        found = subject(node) or next((c for c in node.children if c.dep_ == "nsubjpass"), None)
        if found is not None:
            return found if same_para(found, tok) else None
        if node.dep_ not in _CONTROLLED or node.head is node:
            return None
        node = node.head.head if node.head.dep_ == "prep" else node.head
        if not same_para(node, tok):
            return None
    return None


def _inside_content(cue: Cue, token: Token) -> bool:
    """Whether ``token`` lies inside the cue's content: a word of what is said is no speaker."""
    return cue.content is not None and cue.content[0] <= token.idx < cue.content[1]


#: A paragraph's opening dateline: a place, perhaps a state or country after a comma, perhaps
#: the wire or outlet in brackets, then a dash ("WASHINGTON (AP) —", "Boston (CNN) –",
#: "NEW YORK —", "Austin, Texas -").
_DATELINE = re.compile(
    r"[A-Z][\w.'’]*(?:[ \u00a0][A-Z][\w.'’]*){0,3}"
    r"(?:,[ \u00a0][A-Z][\w.]*(?:[ \u00a0][A-Z][\w.]*)?)?"
    r"[ \u00a0]*(?:\([^()\n]{1,40}\)[ \u00a0]*)?(?:—|–|--?)[ \u00a0]"
)

#: A time zone written after a clock time ("At 12:11 a.m. ET, ..."): ET, EST, PDT, GMT, UTC.
_TIME_ZONE = re.compile(r"(?:[ECMP][SD]?T|GMT|UTC)")

#: Entity types of a dateline's place.
_PLACES = frozenset({"GPE", "LOC", "FAC"})


def _set_off_label(speaker: Token) -> int | None:
    """Where the clause begins after a label the parser took for the speaker, if it is one.

    Why: the parser makes the subject of the first clause of a paragraph out of its dateline
    ("Washington (CNN) - House Speaker John Boehner and President Barack Obama spoke ..."),
    and out of a time zone after a clock time ("At 12:11 a.m. ET, Obama's re-election campaign
    put out a statement"), hanging the real subject on it as an apposition. Neither a place
    before a dash opening the paragraph nor a time zone is anyone who speaks. Returns the
    character offset after the label (after the dateline's dash), or ``None``.
    """
    doc = speaker.doc
    if _TIME_ZONE.fullmatch(speaker.text) and speaker.i > 0:
        before = doc[speaker.i - 1]
        if before.ent_type_ == "TIME" and speaker.ent_type_ != "TIME":
            return speaker.idx + len(speaker.text)
    if speaker.ent_type_ not in _PLACES and speaker.ent_type_:
        return None
    text = doc_text(doc)
    start = para_start(text, speaker.idx)
    found = _DATELINE.match(text, start)
    if found is None or not found.end() > speaker.idx:
        return None
    # a place in capitals, or with its wire in brackets ("Commerce, Michigan (CNN) -", which
    # the model tags no place); "Democrats -- most notably Reid --" is an aside, not a dateline
    if ")" in found.group(0):
        return found.end()
    place = found.group(0).split("(")[0].strip(" ,\u00a0—–-")
    return found.end() if speaker.ent_type_ and place.isupper() else None


def _apposition_after(label: Token, after: int) -> Token | None:
    """The last apposition hung on ``label`` past character ``after``: the clause's subject."""
    found = [c for c in label.children if c.dep_ == "appos" and c.idx >= after]
    return found[-1] if found else None


def names_content(cue: Cue, speaker: Token) -> bool:
    """Whether the speaker's noun phrase is the whole content: then it says nothing.

    Why: "Got a question? Ask Ken Rudin", "Read the audit report", "... where politicians,
    special interests meet": the cue's object or subject was taken for both what is said
    and who says it (AllSides, first 1,000 articles: 30 claims, none a reader would keep).
    The speaker word itself must lie in the content: a mention the parse ran on past its
    word ("Trump defended eminent domain", cue "defended") still names the right speaker.
    """
    return cue.content is not None and names_span(cue.content, speaker)


def names_span(content: tuple[int, int], speaker: Token) -> bool:
    """:func:`names_content` for a content span (character offsets)."""
    if not content[0] <= speaker.idx < content[1]:
        return False
    start, end = char_span(mention_tokens(speaker))
    return start <= content[0] and content[1] <= end
