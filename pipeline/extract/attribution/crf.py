"""Learned attribution taggers: cues the rules miss, and the content and source around them.

Citron's layout (BBC R&D), over the spaCy parse the pipeline caches (:mod:`.tagging` has the
features). Three linear-chain CRFs, learned by ``newsledger train claims``
(:mod:`pipeline.learn.claims_crf`) from PolNeAR train and shipped as python-crfsuite files:

- the **cue tagger** reads a sentence and tags its cue tokens (BIO): reported beliefs,
  intentions, nominal cues ("a statement"), "the report found", which the lexicon's frames
  do not reach;
- the **content tagger** reads the cue's sentence, the sentence before and two after (within
  the paragraph), each token seen from the cue (side, distance, branch of the cue's tree),
  and tags the content (BIO);
- the **source tagger** reads the same window and tags the source.

The **link step** is a rule: the content is the tagged run with the largest summed marginal
probability, the source the tagged run nearest the cue, and its speaker token the run's
syntactic head, which :mod:`pipeline.extract.speakers` then resolves like any rule speaker.

Only cues the rules did not find take the tagged content outright: on the rules' own cues,
the rules' content matched PolNeAR 88% of the time against the content tagger's 81% (fold 0
of train, gold cues given, a tagger of 40 iterations), and handing the tagger the rules' span
as a feature changed nothing end to end. On a rule's reported claim the content tagger is
asked for its doubt instead (:func:`doubted_contents`): a span it finds far less likely than
its own labelling gives way to its run. Quotation pairing, signatures under quotations and
"according to" stay rules. Sentences are tagged only when they hold a word whose lemma
headed a cue in training often enough (the model's ``lemmas``, see
:mod:`pipeline.learn.claims_crf`) and do not lie wholly inside a quotation, which keeps
extraction fast and linear in the article's length.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from pipeline.extract.attribution.content import pruned, span_of, trim
from pipeline.extract.attribution.cue_speakers import (
    addressed_participle,
    is_passive,
    passive_agent,
    speaker_of,
)
from pipeline.extract.attribution.cues import Cue
from pipeline.extract.attribution.fallback import names_span, no_label_or_content
from pipeline.extract.attribution.lexicon import RAISED_PEOPLE, RAISING_VERBS
from pipeline.extract.attribution.model import MODEL_PATH
from pipeline.extract.attribution.tagging import (
    AFTER,
    BEFORE,
    TokenTable,
    cue_anchor,
    cue_features,
    sentence_window,
    span_features,
    spans_of,
    token_range,
    token_table,
)
from pipeline.extract.doccache import doc_text
from pipeline.extract.tokens import subject

#: The committed taggers: one crfsuite file per tagger beside the claims model, whose JSON
#: (:data:`~pipeline.extract.attribution.model.MODEL_PATH`) lists the cue lemmas and the
#: files' digests under ``taggers``.
TAGGERS = ("cue", "content", "source")


def tagger_path(card: Path, name: str) -> Path:
    """Where tagger ``name`` lives beside the model card ``card`` (``claims-cue.crfsuite``)."""
    return card.with_name(f"{card.stem}-{name}.crfsuite")


@dataclass(frozen=True, slots=True)
class Taggers:
    """The three taggers and the cue lemmas worth tagging a sentence for.

    Attributes:
        cue: The cue tagger (a ``pycrfsuite.Tagger``).
        content: The content tagger.
        source: The source tagger.
        lemmas: Lemmas that headed a cue in training; a sentence without one is not tagged.
    """

    cue: object
    content: object
    source: object
    lemmas: frozenset[str]

    @classmethod
    def load(cls, card: Path, lemmas: Iterable[str]) -> Taggers:
        """The taggers stored beside ``card`` (as :mod:`pipeline.learn.claims_crf` writes)."""
        import pycrfsuite

        opened = []
        for name in TAGGERS:
            tagger = pycrfsuite.Tagger()  # pyright: ignore[reportAttributeAccessIssue]
            tagger.open(str(tagger_path(card, name)))
            opened.append(tagger)
        return cls(*opened, lemmas=frozenset(lemmas))


@lru_cache(maxsize=1)
def default_taggers() -> Taggers | None:
    """The committed taggers, or ``None`` before they were trained (the rules then decide)."""
    if not MODEL_PATH.exists():
        return None
    section = json.loads(MODEL_PATH.read_text(encoding="utf-8")).get("taggers")
    if not section or not all(tagger_path(MODEL_PATH, n).exists() for n in TAGGERS):
        return None
    return Taggers.load(MODEL_PATH, section["lemmas"])


def tag_cues(doc: Doc, taggers: Taggers) -> list[tuple[int, int]]:
    """Token ranges the cue tagger marks, over the sentences that hold a cue lemma.

    Not a sentence wholly inside a quotation (a tenth of the sentences): the quotation's
    attribution is the rules' (pairing, signatures), and on PolNeAR dev and the first 200
    training articles leaving those sentences out lost no gold attribution.
    """
    table = token_table(doc)
    lemmas = taggers.lemmas
    out: list[tuple[int, int]] = []
    quoted = table.quoted
    for start, end in table.sent_bounds:
        if lemmas.isdisjoint(table.lemma[start:end]) or quoted[start:end].min() > 0:
            continue
        labels = taggers.cue.tag(cue_features(table, start, end))  # type: ignore[attr-defined]
        out.extend((start + a, start + b) for a, b in spans_of(labels))
    return out


def _best_run(tagger: object, features: Sequence) -> tuple[int, int] | None:
    """The tagged run with the largest summed marginal probability of not being O."""
    labels = tagger.tag(features)  # type: ignore[attr-defined]
    runs = spans_of(labels)
    return _likeliest_run(tagger, runs) if runs else None


def _likeliest_run(tagger: object, runs: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Of the runs of the tagger's last tagging, the one most likely not O (summed marginals)."""
    marginal = tagger.marginal  # type: ignore[attr-defined]
    return max(runs, key=lambda r: sum(1.0 - marginal("O", i) for i in range(*r)))


def _nearest_run(tagger: object, features: Sequence, cue: int) -> tuple[int, int] | None:
    runs = spans_of(tagger.tag(features))  # type: ignore[attr-defined]
    if not runs:
        return None
    return min(runs, key=lambda r: (min(abs(r[0] - cue), abs(r[1] - 1 - cue)), r[0]))


def _rule_speaker(head: Token) -> Token | None:
    """The rules' speaker of a learned cue's head word when the source tagger tags none.

    Not an expletive subject ("it's obvious"): it says nothing. (A raising verb with no tagged
    source is no claim at all: :func:`learned_cues` drops it before asking.)
    """
    speaker = speaker_of(head)
    if speaker is None or speaker.lower_ in ("it", "there"):
        return None
    return speaker


#: The source tagger's probability that a token is part of a source (1 - P(O), from its
#: marginals) at which the token names the speaker of a learned cue that has none otherwise
#: (no tagged run, no subject). Held-out folds of PolNeAR train (taggers learned on the other
#: four fifths): fold 0 speaker accuracy 0.8956 -> 0.8995 at 0.1 (0.8992 at 0.05, 0.8977 at
#: 0.2), fold 1 0.9093 -> 0.9112 (0.9101, 0.9123).
SOURCE_MARGINAL = 0.1


def _likeliest_source(doc: Doc, tagger: object, w_start: int, w_end: int) -> Token | None:
    """The window's token the source tagger most believes is a source, if it believes enough.

    Why: the tagger's best path tags no source where the parse lost the speaker too
    ("“The risk,” said Edward Leamer" parsed with no subject), while its marginals often still
    point at the name. Only a noun or pronoun; :func:`~pipeline.extract.speakers.mention_tokens`
    widens it to the mention. Reads the marginals of the tagger's last sequence: call right
    after the source tagger tagged this window.
    """
    marginal = tagger.marginal  # type: ignore[attr-defined]
    probs = [1.0 - marginal("O", i) for i in range(w_end - w_start)]
    if not probs:
        return None
    best = max(range(len(probs)), key=lambda i: (probs[i], -i))
    token = doc[w_start + best]
    if probs[best] < SOURCE_MARGINAL or token.pos_ not in ("PROPN", "NOUN", "PRON"):
        return None
    return token


def _by_agent(verb: Token) -> Token | None:
    """The speaker of a passive learned cue: its "by" agent ("was seen by some as"), or none.

    Why: a passive's subject is who or what is spoken of, not who speaks ("He was invited",
    "Perez has also been mentioned as", "She is expected to"): PolNeAR names the agent or no
    source, while the source tagger and the parse offered the subject. Held-out folds of
    PolNeAR train: fold 0 +8 right speakers, none lost; with :data:`SOURCE_MARGINAL`, fold 0
    0.8956 -> 0.9023, fold 1 0.9093 -> 0.9137.
    """
    return passive_agent(verb)


def learned_speaker(head: Token, tagged: Token) -> Token:
    """The speaker of a learned cue whose source the tagger tagged: the head's own subject.

    Why: where the cue word has a nominal subject, the parse names the speaker better than the
    source tagger's nearest run (PolNeAR train, all 840 articles: 6 matched claims gained a
    right speaker, none lost; dev read half unchanged). Not an expletive ("it's obvious").
    """
    own = subject(head)
    if own is None or own.lower_ in ("it", "there"):
        return tagged
    return own


def tagged_speaker(doc: Doc, cue: Cue, taggers: Taggers) -> Token | None:
    """The speaker of a rule cue left without one: the head of the source tagger's nearest run.

    Why: where neither the patterns nor the fallback (:func:`~.fallback.spoken_by`) find a
    speaker, the source tagger often still tags one. Not a passive or an asked participle,
    whose subject is spoken of (as for the rules). Where the rules do name a speaker the tagger
    is not asked: against them it was right 33 times and wrong 218 where the two differ
    (held-out fold 0 of PolNeAR train), whatever margin of its own probability was required.
    """
    verb = cue.verb
    if is_passive(verb) or addressed_participle(verb):
        return None
    table = token_table(doc)
    cue_tokens = token_range(table, *cue.cue)
    if cue_tokens is None:
        return None
    w_start, w_end = sentence_window(table, cue_tokens, before=BEFORE, after=AFTER)
    features = span_features(table, cue_tokens, w_start, w_end)
    anchor = cue_anchor(table, *cue_tokens)
    # "Damascus, Syria (CNN) -- Saying ...": a dateline is no one; "Got a question? Ask Ken
    # Rudin": a source run that is the whole content says nothing
    return no_label_or_content(cue, _nearest_source(doc, table, taggers, features, w_start, anchor))


def _nearest_source(
    doc: Doc, table: TokenTable, taggers: Taggers, features: Sequence, w_start: int, anchor: int
) -> Token | None:
    """The head word of the source tagger's run nearest the cue word ``anchor``, or none.

    ``features`` are the window's from ``w_start`` (:func:`~.tagging.span_features`), as
    lists or as crfsuite items (:func:`_items`); ``table`` is ``doc``'s token table.
    """
    run = _nearest_run(taggers.source, features, anchor - w_start)
    if run is None:
        return None
    return doc[cue_anchor(table, w_start + run[0], w_start + run[1])]


def _items(features: list[list[str]]) -> Sequence:
    """``features`` converted once to a crfsuite item sequence, for taggers that read it twice.

    Why: crfsuite copies every feature string into its own sequence on each ``tag`` call; that
    copy is half the cost of tagging, and a learned cue's window is read by the content and the
    source tagger alike. Same features, same tags: only the copy is shared.
    """
    import pycrfsuite

    return pycrfsuite.ItemSequence(features)  # pyright: ignore[reportAttributeAccessIssue]


#: Dependencies of a phrase that, set off by a comma or a dash at the end of a tagged content
#: run, is an aside the content leaves out (", which votes on March 1", ", insisting that",
#: ", a Republican appointed by", ", and more than 4 in 10 said"): see :func:`without_aside`.
ASIDE_DEPS = frozenset({"relcl", "acl", "advcl", "appos", "parataxis", "conj", "npadvmod"})
_BREAKS = frozenset({",", ";", "--", "—", "–", "-"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl"})


def without_aside(doc: Doc, first: int, end: int, cue: int) -> int:
    """The end of the tagged run ``first:end`` before a trailing aside, or ``end``.

    An aside is a phrase that starts right after a comma or dash in the run (past an "and" or
    "but"), runs to the run's end, hangs from a word before the comma, is not the cue word, and
    has a dependency in :data:`ASIDE_DEPS`; a coordinated verb only with a subject of its own
    (", but Democrats have pushed"; ", and cost jobs" stays). The rules' own spans keep such
    clauses (:func:`~.content.pruned`): cutting them there lost more than it gained.
    """
    for c in range(first + 1, end - 1):
        if doc[c].text not in _BREAKS:
            continue
        start = c + 1
        if doc[start].dep_ == "cc" and start + 1 < end:
            start += 1
        phrase = doc[start]
        while phrase.head.i != phrase.i and phrase.head.left_edge.i == start:
            phrase = phrase.head
        if (
            phrase.left_edge.i != start
            or phrase.right_edge.i < end - 2
            or phrase.head.i > c
            or phrase.i == cue
            or phrase.dep_ not in ASIDE_DEPS
        ):
            continue
        if phrase.dep_ == "conj" and _SUBJECT_DEPS.isdisjoint(k.dep_ for k in phrase.children):
            continue
        return c
    return end


def tidied(doc: Doc, first: int, end: int, cue: int) -> tuple[int, int]:
    """The content tagger's run ``first:end`` without a leading preposition or trailing aside.

    Why: PolNeAR's cue takes in the preposition or particle its verb governs ("talks about",
    "lays out", "has been asked about"), and its content stops before an aside set off by a
    comma (:func:`without_aside`); the tagger's run often took in both. Held-out folds 0 and 1
    of PolNeAR train (taggers learned on the other four fifths), content F1: 0.7276 / 0.6999
    -> 0.7303 / 0.7013 together with the run inside a doubted span refused
    (:func:`_tagged_instead`).
    """
    lead = doc[first]
    if end - first > 1 and (
        lead.dep_ == "prt" or (lead.pos_ == "ADP" and lead.dep_ in ("prep", "agent"))
    ):
        first += 1
    return first, without_aside(doc, first, end, cue)


#: Entity types of a raising verb's subject that make its clause a claim (:func:`raised_someone`).
RAISED_ENTITIES = frozenset({"PERSON", "NORP", "ORG"})


def raised_someone(verb: Token) -> bool:
    """Whether a raising verb's subject is someone: a person, group or organisation.

    Why: PolNeAR marks the writer's reading of a person's manner or intent as an attribution
    ("Cruz seemed lost", "Clinton appeared to have the most to gain", "Republicans appear to
    be salivating": the whole clause is the content, no source), while a thing's state ("The
    more than 16-year-old Afghan war appears to be in full swing", the seeds) is the writer's
    own narration. Names by entity type or as proper nouns (the parse leaves "Cruz" without
    a type), personal pronouns (:data:`~.lexicon.RAISED_PEOPLE`), and plural common nouns, in
    the news mostly groups of people ("Mr. Trump's voters also appeared to turn out", "All the
    donors appear to have ties"; held-out train folds: 17 more claims, 12 right).
    """
    subj = subject(verb)
    if subj is None:
        return False
    return (
        subj.ent_type_ in RAISED_ENTITIES
        or subj.pos_ == "PROPN"
        or subj.tag_ == "NNS"
        or subj.lower_ in RAISED_PEOPLE
    )


def _it_appears(verb: Token) -> bool:
    """An expletive subject and a clause ("It appears (that) X"): X the writer's inference.

    Why: PolNeAR marks these as it marks the raised claims (content X, cue "it appears"); the
    seeds' "the war appears to be" has a subject of its own. Held-out train folds, tagged
    raising cues with a content run: 17 more claims, 9 right.
    """
    subj = subject(verb)
    return (
        subj is not None
        and subj.lower_ == "it"
        and any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children)
    )


def raised_clause(verb: Token) -> tuple[int, int]:
    """The content of a raising verb that :func:`raised_someone`: its clause from the subject.

    Why: PolNeAR's content is the whole clause, subject and verb included ("Cruz seemed
    lost", "Ms. Kelly seemed certain to leave"), not the complement the content tagger
    runs over; words before the subject ("But", "Along the way,") are not in it, nor a
    trailing aside or a coordinated clause with a subject of its own.
    """
    subj = subject(verb)
    start = subj.left_edge.i if subj is not None else verb.i
    cut = len(verb.doc)
    for child in verb.children:
        if child.i > verb.i and child.dep_ == "conj" and subject(child) is not None:
            ccs = [c.i for c in verb.children if c.dep_ == "cc" and verb.i < c.i < child.i]
            cut = min(cut, child.left_edge.i, *ccs)
    tokens = [t for t in pruned(verb, verb) if start <= t.i < cut]
    while len(tokens) > 1 and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
        tokens.pop()
    return span_of(tokens, verb.doc) or (verb.idx, verb.idx + len(verb))


def _inferred_clause(verb: Token) -> tuple[int, int] | None:
    """The clause "It appears (that) X" infers: X (with its "that"), without trailing asides.

    Why: the content tagger's run there is often the words around the cue ("It appears,
    though"), while the parse gives the clause.
    """
    comp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    if comp is None or not _it_appears(verb):
        return None
    return span_of(pruned(comp, verb), verb.doc)


def learned_cues(doc: Doc, taggers: Taggers, taken: Sequence[tuple[int, int]]) -> list[Cue]:
    """Cues the cue tagger finds beyond ``taken`` (character spans of the rules' cues).

    Each has the content and speaker the content and source taggers give it. A cue without
    a content run is dropped. ``taken`` is sorted here, so the test per cue is a bisection
    and the whole stays linear in the article.
    """
    import bisect

    table = token_table(doc)
    spans = sorted(taken)
    starts = [s for s, _ in spans]
    reach = 0
    ends_before: list[int] = []  # max end among spans[:k+1]
    for _, e in spans:
        reach = max(reach, e)
        ends_before.append(reach)
    out: list[Cue] = []
    for first, end in tag_cues(doc, taggers):
        c_start, c_end = int(table.idx[first]), int(table.ends[end - 1])
        k = bisect.bisect_left(starts, c_end) - 1
        if k >= 0 and ends_before[k] > c_start:
            continue  # a rule cue overlaps: the rules' claim stands
        anchor = cue_anchor(table, first, end)
        w_start, w_end = sentence_window(table, (first, end), before=BEFORE, after=AFTER)
        # converted for crfsuite once: the content and the source tagger read the same window
        features = _items(span_features(table, (first, end), w_start, w_end))
        verb = doc[anchor]
        raising = table.lemma[anchor] in RAISING_VERBS
        raised = raising and raised_someone(verb)
        # "the war appears to be ...": the writer's hedge, no one's claim, unless a source is
        # tagged; "It appears that X" is the writer's inference, a claim
        hedge = raising and not raised and not _it_appears(verb)
        if raised:
            content = raised_clause(verb)
        elif raising and (clause := _inferred_clause(verb)) is not None:
            content = clause
        else:
            run = _best_run(taggers.content, features)
            if run is None:
                continue
            r_first, r_end = tidied(doc, w_start + run[0], w_start + run[1], anchor)
            if not any(t.pos_ in CONTENT_POS for t in doc[r_first:r_end]):
                continue  # "Thank you": a pronoun or a function word alone reports nothing
            content = (int(table.idx[r_first]), int(table.ends[r_end - 1]))
        tagged = _nearest_source(doc, table, taggers, features, w_start, anchor)
        if tagged is not None:
            speaker = learned_speaker(verb, tagged)
        elif hedge:
            continue
        else:
            speaker = _rule_speaker(verb)
            if speaker is None:
                speaker = _likeliest_source(doc, taggers.source, w_start, w_end)
        if is_passive(verb) or addressed_participle(verb):
            # the subject is spoken of or asked, as with the rules' cues ("Asked if ..., the
            # candidate said"): held-out folds 0 and 1, asked: 2 right speakers gained, none lost
            speaker = _by_agent(verb)
        elif raising:
            # "X seems to ...", with a tagged source: still the writer's hedge about X, which
            # PolNeAR leaves without a source (held-out folds 0 and 1 of train: 3 right
            # speakers gained, none lost)
            speaker = None
        if speaker is not None and names_span(content, speaker):
            continue  # "where politicians, special interests meet": the source is all it says
        out.append(
            Cue(
                cue=(c_start, c_end),
                speaker=speaker,
                via=None,
                content=content,
                verb=verb,
                weak=False,
                frame="learned",
                key=table.lemma[anchor],
                seed=False,
            )
        )
    return out


#: How much likelier (natural log) the content tagger must find its own best labelling of a
#: rule claim's window than the labelling the rule's content span gives before its run
#: replaces the span (:func:`doubted_contents`). Held-out folds of PolNeAR train (content
#: tagger learned on the other four fifths, the default window; reported rule claims whose
#: tagged run and span do not match by the eval's test, about 17% of them): switching at a
#: margin of 3 turned 39 (fold 0) and 40 (fold 1) more claims right than wrong; at 5, 30 and
#: 44; at 8, 26 and 40; always switching, 4 and 5. End to end (fold 0 / fold 1 content F1):
#: 0.7173 / 0.6969 without, 0.7211 / 0.7009 at 3, 0.7206 / 0.7021 at 5.
RULE_DOUBT = 3.0

#: Parts of speech of which a learned cue's content run needs one: a run of pronouns and
#: function words ("Thank you", "said it") reports nothing. Learned claims may be as short as
#: :data:`pipeline.extract.claims.LEARNED_MIN_CHARS` (3), so "you" would pass on length alone.
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})

#: The shortest run, in characters, that may replace a doubted rule span: a shorter one is a
#: fragment of the tagger's labelling (a pronoun, a stray word), not what the rule's cue
#: reports. (A claim of a cue the taggers add may be shorter:
#: :data:`pipeline.extract.claims.LEARNED_MIN_CHARS`.)
MIN_RETAGGED_CONTENT = 8

#: The window the doubt reads: the cue's sentence and the next one (in the paragraph), not the
#: taggers' wider :data:`~.tagging.BEFORE` / :data:`~.tagging.AFTER`. The rules' claims are
#: many, and featurising the wider window for each cut extraction speed by two fifths; folds
#: 0 / 1: 0.7217 / 0.7003 with this window, 0.7185 / 0.6994 with the cue's sentence alone;
#: 0.7211 / 0.6996 once a run matching the rule's span no longer replaces it.
DOUBT_BEFORE, DOUBT_AFTER = 0, 1


def _log_probability(tagger: object, labels: Sequence[str]) -> float:
    probability = tagger.probability(labels)  # type: ignore[attr-defined]
    return math.log(max(probability, 1e-300))


def _tagged_instead(
    doc: Doc, tagger: object, cue: tuple[int, int], content: tuple[int, int]
) -> tuple[int, int] | None:
    """The content tagger's run for a rule claim whose span it finds far less likely, or none.

    None, too, when the run matches the span by the eval's test: the rule's span then stands
    (the two differ by a full stop or an aside, and the rules' spans are the trimmed ones).
    """
    table = token_table(doc)
    cue_tokens = token_range(table, *cue)
    span = token_range(table, *content)
    if cue_tokens is None or span is None:
        return None
    w_start, w_end = sentence_window(table, cue_tokens, before=DOUBT_BEFORE, after=DOUBT_AFTER)
    if span[0] < w_start or span[1] > w_end:
        return None  # a span across the paragraph or past the window: the tagger never saw one
    features = span_features(table, cue_tokens, w_start, w_end)
    labels = tagger.tag(features)  # type: ignore[attr-defined]
    runs = spans_of(labels)
    if not runs:
        return None
    rule = ["O"] * (w_end - w_start)
    rule[span[0] - w_start] = "B"
    rule[span[0] - w_start + 1 : span[1] - w_start] = ["I"] * (span[1] - span[0] - 1)
    if _log_probability(tagger, labels) - _log_probability(tagger, rule) <= RULE_DOUBT:
        return None
    first, end = _likeliest_run(tagger, runs)
    first, end = tidied(doc, w_start + first, w_start + end, cue_anchor(table, *cue_tokens))
    tagged = trim(doc_text(doc), int(table.idx[first]), int(table.ends[end - 1]))
    if content[0] <= tagged[0] and tagged[1] <= content[1]:
        return None  # a run inside the span: the span was right 12 times, the run 6 (fold 0)
    return None if same_content(tagged, content) else tagged


def same_content(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """The eval's match test: overlap of at least half the longer span.

    Two claims whose contents pass it say the same thing (they would match the same gold
    claim), so the extractor keeps one of them.
    """
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return overlap * 2 >= max(a[1] - a[0], b[1] - b[0])


def doubted_contents(
    doc: Doc, raw: Sequence[tuple[int, int, bool, Cue]], taggers: Taggers
) -> list[tuple[int, int, bool, Cue]]:
    """``raw`` (the rules' claims) with the reported contents the content tagger doubts retagged.

    Why: where the rules' span and the tagger's run for the same cue disagree (about a sixth of
    the reported rule claims), each is right about as often as the other (PolNeAR train, held-
    out fold 0: rule alone 125, tagger alone 129); the tagger's own probability of the rule's
    span tells the cases apart: when its best labelling of the window is more than
    :data:`RULE_DOUBT` (natural log) likelier than the rule's, its run is right more often.
    Direct quotations keep their marks' span. A run that matches another claim's content is
    that claim's and is not taken: taking it made matched claims of duplicates (held-out fold
    1: recall 0.6763 -> 0.6728 and speaker accuracy 0.9165 -> 0.9117 with it, 0.6785 and
    0.9153 without).
    """
    out = []
    for k, (start, end, direct, cue) in enumerate(raw):
        if not direct:
            tagged = _tagged_instead(doc, taggers.content, cue.cue, (start, end))
            if (
                tagged is not None
                and tagged[1] - tagged[0] >= MIN_RETAGGED_CONTENT
                and not any(same_content(tagged, (r[0], r[1])) for j, r in enumerate(raw) if j != k)
            ):
                start, end = tagged
        out.append((start, end, direct, cue))
    return sorted(out, key=lambda r: (r[0], r[1]))
