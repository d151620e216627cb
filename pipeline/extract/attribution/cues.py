"""Cues: reporting verbs, nouns and phrases with their speaker token and reported content.

Candidates are found by dependency patterns (a verb with a clausal complement, object or
prepositional object; a passive; a nominal cue; "according to X"; a sentence-opening "In a
poll, ..."), each with the content span :mod:`pipeline.extract.attribution.content` gives it.
Which (frame, lemma) pairs count comes from the :class:`~.lexicon.Lexicon`; the speaker token
is the subject, or whom :mod:`.cue_speakers` names where the subject is missing or is not the
speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy
from spacy.attrs import LEMMA, LOWER, POS
from spacy.parts_of_speech import NOUN, VERB
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from pipeline.extract.attribution.content import (
    according_content,
    complement,
    direct_object,
    outer_content,
    parenthetical_content,
    prep_content,
    pruned,
    second_complement,
    span_of,
)
from pipeline.extract.attribution.cue_speakers import (
    TIME_ENTITIES,
    according_author,
    addressed_participle,
    adjacent_name,
    counted_subject,
    is_passive,
    noun_source,
    outer_subject,
    passive_agent,
    relative_reporter,
    speaker_of,
)
from pipeline.extract.attribution.lexicon import (
    CUE_LEMMAS,
    LEXICON,
    OBJECT_CUE_LEMMAS,
    RAISING_VERBS,
    WEAK_CUES,
    Lexicon,
)
from pipeline.extract.attribution.quotes import Quote, in_quotation
from pipeline.extract.doccache import doc_text
from pipeline.extract.speaker_names import RELATIVE_PRONOUNS
from pipeline.extract.speakers import mention_tokens
from pipeline.extract.tokens import char_span, same_para, subject
from pipeline.link.sources import NEWS_KINDS, named_kind


@dataclass(frozen=True, slots=True)
class Cue:
    """A matched reporting cue before annotation."""

    cue: tuple[int, int]
    speaker: Token | None
    via: Token | None
    content: tuple[int, int] | None  # reported content, if the pattern gives one
    verb: Token
    weak: bool  # only a cue when a quotation is attached to it
    frame: str = "comp"  # which pattern matched (see :class:`Lexicon`)
    key: str = ""  # the lexicon key: lemma, or "lemma prep"
    seed: bool = True  # a hand-listed cue: only these take quotations
    judged: bool = False  # beyond the lexicon: a claim only if the learned model admits it


def is_media_like(token: Token) -> bool:
    """Whether the mention headed by ``token`` names a news agency or outlet."""
    start, end = char_span(mention_tokens(token))
    canonical, kind = named_kind(doc_text(token.doc)[start:end])
    # a name the alias table does not hold counts by its words only when the head is a name
    return kind in NEWS_KINDS and (canonical is not None or token.pos_ == "PROPN")


def narration_outside_quotes(
    cues: list[Cue], quotes: list[Quote], lex: Lexicon | None = None
) -> list[Cue]:
    """``cues`` without the narration-only ones (:attr:`Lexicon.narration`) inside a quotation.

    Why: those cues were learned on the article's own words only. Inside a quotation they are
    mostly the speaker's phrasing ("I think", "we want"), and their candidates there were not
    precise enough to count.

    Args:
        cues: Cues as :func:`match_cues` found them with ``lex``.
        quotes: The article's quotations.
        lex: The lexicon; default :data:`LEXICON`.
    """
    lex = lex or LEXICON
    return [
        cue
        for cue in cues
        if not (lex.narration_only(cue.frame, cue.key) and in_quotation(quotes, cue.cue[0]))
    ]


def _noun_cue(tok: Token, lex: Lexicon) -> Cue | None:
    """A nominal cue: "Trump's claim that ...", "concerns about X" voiced by a verb's subject."""
    lemma = tok.lemma_.casefold()
    if not lex.may_admit("noun", lemma):
        return None
    content_tok: Token | None = None
    key = lemma
    for child in tok.children:
        if child.dep_ in ("acl", "ccomp") and child.i > tok.i and same_para(child, tok):
            content_tok = child
            break
    if content_tok is None:
        found = prep_content(tok)
        if found is None:
            return None
        key = f"{lemma} {found[0]}"
        content_tok = found[1]
    if not lex.admits("noun", key):
        return None
    speaker = next((c for c in tok.children if c.dep_ == "poss"), None) or noun_source(tok)
    if speaker is None and tok.dep_ in ("dobj", "nsubj", "attr"):
        head = tok.head
        speaker = passive_agent(head) if tok.dep_ == "nsubj" else subject(head)
    if speaker is not None and (speaker.lower_ in RELATIVE_PRONOUNS or not same_para(speaker, tok)):
        speaker = None
    content = span_of(pruned(content_tok, tok), tok.doc)
    return Cue((tok.idx, tok.idx + len(tok)), speaker, None, content, tok, False, "noun", key)


_POLL_HEADS = frozenset({"poll", "survey", "average"})


def _poll_cue(tok: Token) -> Cue | None:
    """A sentence-opening "In a CBS News poll, she led ...": the poll is the source.

    Why: PolNeAR annotates the poll as the source of the finding, with "In" as the cue; in
    train[200:] a sentence-opening "In <poll/survey/average>," heads a gold cue 17 times in
    22, against 38 in 144 anywhere else, hence the position test.
    """
    doc = tok.doc
    if tok.dep_ != "prep" or not (tok.is_sent_start or doc[tok.i - 1].is_space):
        return None
    pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.lemma_.casefold() not in _POLL_HEADS:
        return None
    comma = tok.right_edge.i + 1
    if comma >= len(doc) or doc[comma].text != ",":
        return None
    sent = tok.sent
    rest = [t for t in doc[comma + 1 : sent.end] if same_para(t, tok) and not t.is_space]
    if len(rest) < 3:
        return None
    content = span_of(rest, doc)
    return Cue((tok.idx, tok.idx + len(tok)), pobj, None, content, tok, False, "poll", "in")


def _candidate_words(doc: Doc, lemmas: frozenset[str] | None) -> list[int]:
    """Indices of the words :func:`match_cues` may take: a noun, a verb, "in", "accord".

    Why: read from the doc's arrays (each distinct lemma folded once, for both of an article's
    calls), so that the other two thirds of the words never become ``Token`` objects (building
    one per word was a tenth of the claims stage's time).
    """
    if not len(doc):
        return []
    folded, which, wanted = _candidate_columns(doc)
    if lemmas is not None:  # not in place: the mask is cached
        wanted = wanted & numpy.array([lemma in lemmas for lemma in folded], dtype=bool)[which]
    return numpy.flatnonzero(wanted).tolist()


@lru_cache(maxsize=4)
def _candidate_columns(doc: Doc) -> tuple[list[str], numpy.ndarray, numpy.ndarray]:
    """Folded distinct lemmas, each word's index into them, the word mask (memoised)."""
    strings = doc.vocab.strings
    columns = doc.to_array([LEMMA, LOWER, POS])
    distinct, which = numpy.unique(columns[:, 0], return_inverse=True)
    folded = [strings[int(lemma_id)].casefold() for lemma_id in distinct]
    wanted = numpy.isin(columns[:, 2], _CUE_POS) | (columns[:, 1] == _IN)
    wanted |= numpy.array([lemma == "accord" for lemma in folded], dtype=bool)[which]
    return folded, which, wanted


#: Parts of speech of the words that can head a cue (besides "in" and "accord").
_CUE_POS = numpy.array([NOUN, VERB], dtype=numpy.uint64)
_IN = numpy.uint64(get_string_id("in"))


def match_cues(
    doc: Doc,
    lex: Lexicon | None = None,
    *,
    lemmas: frozenset[str] | None = None,
    skip: frozenset[int] = frozenset(),
) -> list[Cue]:
    """Find reporting cues with their speaker, relay and reported content.

    Args:
        doc: The parsed article.
        lex: Which cues count; default :data:`LEXICON`.
        lemmas: Only words with these lemmas (all when ``None``): a prefilter that spares the
            parse walks for words that cannot be cues.
        skip: Indices of words not to read (each cue's ``verb`` is its word).
    """
    lex = lex or LEXICON
    found: list[Cue] = []
    for i in _candidate_words(doc, lemmas):
        if i in skip:
            continue
        tok = doc[i]
        lemma = tok.lemma_.casefold()
        if lemma == "accord" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                found.append(
                    Cue(
                        (tok.idx, to.idx + len(to)),
                        according_author(pobj),
                        None,
                        according_content(tok),
                        tok,
                        False,
                        "according",
                        "accord",
                    )
                )
            continue
        if tok.lower_ == "in" and (cue := _poll_cue(tok)) is not None:
            found.append(cue)
            continue
        if tok.pos_ == "NOUN":
            if (cue := _noun_cue(tok, lex)) is not None:
                found.append(cue)
            continue
        if tok.pos_ != "VERB" or lemma in RAISING_VERBS:
            continue
        if is_passive(tok):
            if (cue := _passive_cue(tok, lemma, lex)) is not None:
                found.append(cue)
            continue
        seed = lemma in CUE_LEMMAS or lemma in OBJECT_CUE_LEMMAS
        comp_ok = seed or lex.admits("comp", lemma)
        obj_ok = lemma in OBJECT_CUE_LEMMAS or lex.admits("obj", lemma)
        prep = prep_content(tok) if lex.may_admit("prep", lemma) else None
        prep_ok = prep is not None and lex.admits("prep", f"{lemma} {prep[0]}")
        if not (comp_ok or obj_ok or prep_ok):
            continue
        cue = (tok.idx, tok.idx + len(tok))
        speaker = subject(tok) or counted_subject(tok)
        via: Token | None = None
        addressed = addressed_participle(tok)
        if addressed:
            speaker = passive_agent(tok)
        if speaker is None and tok.dep_ in ("advcl", "xcomp", "pcomp"):
            # "AP quoted an official as saying ...": the object speaks, the subject relays
            governor = tok.head.head if tok.head.dep_ == "prep" else tok.head
            dobj = next((c for c in governor.children if c.dep_ == "dobj"), None)
            if governor.lemma_ == "quote" and dobj is not None:
                speaker, via = dobj, subject(governor)
        speaker = speaker or (None if addressed else speaker_of(tok))
        if lemma == "learn":
            frm = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"), None)
            source = next((c for c in frm.children if c.dep_ == "pobj"), None) if frm else None
            if frm is None or source is None:
                continue
            via, speaker = speaker, source
            cue = (tok.idx, frm.idx + len(frm))
        dated = False
        if speaker is None and not addressed:
            # inverted "..., said X" parsed with X as an object
            speaker = next(
                (
                    c
                    for c in tok.children
                    if c.dep_ in ("dobj", "attr", "npadvmod")
                    and c.i > tok.i
                    and c.pos_ in ("PROPN", "NOUN")
                    and same_para(c, tok)
                ),
                None,
            )
            if speaker is not None and speaker.ent_type_ in TIME_ENTITIES:
                # a date or time is no speaker ("John Kasich said Saturday that ..." parsed
                # with "Kasich" hung elsewhere); the cue stays, for the later repairs
                speaker, dated = None, True
        if speaker is None and lemma in CUE_LEMMAS and not addressed:
            speaker = adjacent_name(tok)
        if speaker is None and not dated and not (addressed and speaker_of(tok) is not None):
            continue  # (an addressed cue stays the cue it was, without the addressee)
        if lemma == "tell":
            recipient = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
            if recipient is not None and is_media_like(recipient):
                via = recipient
        weak = lemma in WEAK_CUES
        content: tuple[int, int] | None = None
        frame, key = "comp", lemma
        comp = complement(tok) if comp_ok else None
        outer = False
        paren = parenthetical_content(tok) if comp_ok and not weak else None
        if paren is not None:
            content, outer = paren, True
        elif comp is not None and not weak:
            content = span_of(pruned(comp, tok) + second_complement(tok, comp), doc)
        elif obj_ok and (obj := direct_object(tok)) is not None:
            frame = "obj"
            tokens = pruned(obj, tok)
            for child in tok.children:
                if child.i > obj.i and child.dep_ in ("prep", "oprd", "xcomp", "ccomp", "advcl"):
                    if doc[child.left_edge.i - 1].is_punct:
                        break
                    tokens.extend(pruned(child, tok))
            content = span_of(sorted(tokens, key=lambda t: t.i), doc)
        elif prep_ok and prep is not None and direct_object(tok) is None:
            frame, key = "prep", f"{lemma} {prep[0]}"
            content = span_of(pruned(prep[1], tok), doc)
        elif comp_ok and tok.dep_ in ("ccomp", "parataxis", "advcl", "conj", "ROOT") and not weak:
            content = outer_content(tok)
            outer = content is not None
        elif not seed:
            continue
        if (
            speaker is not None
            and content is not None
            and content[0] <= speaker.idx < content[1]
            and not outer
            and not relative_reporter(tok, speaker)
        ):
            # the "speaker" is what was said ("questioning the integrity of ..."): the subject
            # of an enclosing clause speaks, if any
            speaker = outer_subject(tok, content)
            if speaker is None and not seed:
                continue
        found.append(Cue(cue, speaker, via, content, tok, weak, frame, key, seed))
    return found


def _passive_cue(tok: Token, lemma: str, lex: Lexicon) -> Cue | None:
    """A passive cue: "it was reported that ...", "X is expected to ...", "backed by X"."""
    if not lex.admits("pass", lemma):
        return None
    doc = tok.doc
    speaker = passive_agent(tok)
    comp = next(
        (c for c in tok.children if c.dep_ in ("ccomp", "xcomp") and same_para(c, tok)), None
    )
    subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    if comp is not None and comp.dep_ == "ccomp":
        tokens = pruned(comp, tok)
    elif subj is not None and subj.lower_ not in RELATIVE_PRONOUNS and subj.lower_ != "it":
        tokens = pruned(subj, tok)
        if comp is not None:
            tokens = sorted([*tokens, *pruned(comp, tok)], key=lambda t: t.i)
    else:
        return None
    content = span_of(tokens, doc)
    cue = (tok.idx, tok.idx + len(tok))
    return Cue(cue, speaker, None, content, tok, False, "pass", lemma, False)


#: Every (frame, lemma) admitted: the candidates the learned model judges.
ADMIT_ALL = replace(LEXICON, admit_all=True)


def extra_candidates(
    doc: Doc, cues: list[Cue], *, lemmas: frozenset[str] | None = None
) -> list[Cue]:
    """Cue candidates of every (frame, lemma) that ``cues`` (the lexicon's) do not hold.

    Why: the lexicon keeps a (frame, lemma) pair only where its candidates are right often
    enough on their own; the learned model (:mod:`.model`) can take a candidate of any pair on
    the strength of its context. These candidates never take quotations (``seed`` is off), and
    a word that is already one of ``cues`` keeps that reading. A candidate needs a speaker
    outside its content: a claim nobody made ("is believed to be deserted", in a caption) is no
    source's claim. ``lemmas`` limits the search
    to the words the model can admit (:attr:`~.model.CueModel.lemmas`).
    """
    taken = frozenset(cue.verb.i for cue in cues)
    seen = {(cue.cue, cue.content) for cue in cues}
    out = []
    for cue in match_cues(doc, ADMIT_ALL, lemmas=lemmas, skip=taken):
        if cue.content is None or (cue.cue, cue.content) in seen:
            continue  # one reading per cue word: the lexicon's, where it has one
        speaker = cue.speaker
        if speaker is None and addressed_participle(cue.verb):
            pass  # "Asked about X, she ...": someone unnamed asked
        elif speaker is None or cue.content[0] <= speaker.idx < cue.content[1]:
            continue  # no one said it ("is believed to"), or what was said holds who said it
        seen.add((cue.cue, cue.content))
        out.append(replace(cue, seed=False, judged=True))
    return out
