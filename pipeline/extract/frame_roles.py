"""The role of a figure in its sentence: a total, a part, a change, a rate, and so on.

Two outlets' figures are compared only in one role: "three of the four states" is a part of
a whole, "up to 30 rounds" a limit, "expected to reach 500,000" a forecast, and "December's
gain was revised to 219,000" or "initially reported 155,000" a revision or a first estimate,
which is not the latest count of the month the other outlet reports. The cue words are data
(``data/frames.json``); the first cue found wins (:func:`figure_role`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from pipeline.extract.counted import up_is_particle
from pipeline.extract.frame_lexicon import lexicon, word_sets
from pipeline.extract.lexicon import lexicon as figure_lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_NOUNS = frozenset({"NOUN", "PROPN"})
#: Children that open another clause, whose words are not the figure's clause.
_OTHER_CLAUSES = frozenset({"conj", "cc", "ccomp", "parataxis", "relcl", "advcl", "csubj"})
#: A sentence with at least this many numbers, and no fewer numbers than words, is a table
#: flattened into text (a tax return by candidate and year, a poll by state): see _in_table.
_TABLE_MIN_NUMBERS = 8


def _words_before(doc: Doc, index: int, count: int) -> list[str]:
    return [t.lower_ for t in doc[max(0, index - count) : index]]


@cache
def _phrases(name: str) -> tuple[tuple[int, frozenset[tuple[str, ...]]], ...]:
    """The lexicon's phrase list ``name`` by length: (length, its phrases as word tuples).

    A figure's role is looked up in many phrase lists; asking per length "is this n-gram one
    of them" costs a set lookup, where comparing every phrase at every position did not.
    """
    by_length: dict[int, set[tuple[str, ...]]] = {}
    for phrase in lexicon()[name]:
        by_length.setdefault(len(phrase), set()).add(tuple(phrase))
    return tuple((length, frozenset(group)) for length, group in sorted(by_length.items()))


def _ends_with(words: Sequence[str], name: str) -> bool:
    """Whether ``words`` end with a phrase of the lexicon's list ``name``."""
    n = len(words)
    return any(
        n >= length and tuple(words[n - length :]) in group for length, group in _phrases(name)
    )


def _in_table(span: Span) -> bool:
    """Whether the figure is a cell of a table flattened into one "sentence".

    "2010 2011 2010 2011 Total Income $1,795,614 $844,585 ... Taxes $453,770 ...": the row
    and column labels (whose return, which year, which line) are not in the parse, which
    reads the column headers as the time of every cell and no predicate or holder at all, so
    a cell would match any prose figure of one of the years. A table is a sentence with at
    least :data:`_TABLE_MIN_NUMBERS` numbers and no fewer numbers than words (prose with many
    figures still has more words than numbers).
    """
    sentence = span.sent
    numbers = sum(1 for t in sentence if t.like_num or any(ch.isdigit() for ch in t.text))
    if numbers < _TABLE_MIN_NUMBERS:
        return False
    words = sum(1 for t in sentence if t.is_alpha and not t.like_num)
    return numbers >= words


def _split_by_gapping(span: Span, anchor: Token, event_token: Token | None) -> bool:
    """Whether the figure is one of counts that split one event, its verb not repeated.

    "He was arrested 15 times in Georgia, and four in Ohio"; "20 died at the metro and 11
    at the airport": a bare number conjoined to the figure's verb (the verb and the counted
    noun left out) says the figure is a share of a total by place, time or another split,
    and so is the bare number itself.
    """
    if anchor.dep_ == "conj" and anchor.pos_ == "NUM" and anchor.head.pos_ in ("VERB", "AUX"):
        return True
    if event_token is None or event_token.pos_ not in ("VERB", "AUX"):
        return False
    return any(
        c.dep_ == "conj" and c.pos_ == "NUM" and not span.start <= c.i < span.end
        for c in event_token.children
    )


def figure_role(
    doc: Doc,
    span: Span,
    anchor: Token,
    noun: Token | None,
    event_token: Token | None,
    event: str | None,
    change: str,
) -> str:
    """The figure's role; the first cue found wins.

    ``cell`` (a figure of a flattened table, :func:`_in_table`), ``margin``, ``limit``,
    ``part``, ``revision``, ``sum``, ``forecast``, the level a change
    went to (``total``) or came from (``previous``), both read as one range ("fell from 8.1
    percent to 7.8 percent": ``from_to``, whose end the change went to is the level now),
    ``rate``, ``change`` or ``total``, looked for in that order.

    Args:
        doc: The parsed article.
        span: The figure's tokens.
        anchor: The figure's syntactic root.
        noun: The counted noun, if any.
        event_token: The predicate the figure is an argument of, if any.
        event: That predicate as a lemma with its particle.
        change: The figure's qualifier (``figures.change``).
    """
    if _in_table(span):
        return "cell"
    lex = lexicon()
    sets = word_sets()
    span_words = [t.lower_ for t in span]
    before = _words_before(doc, span.start, 5)
    context = before + span_words
    if noun is not None and noun.lemma_.lower() in sets["margin_nouns"]:
        return "margin"
    if noun is not None and _is_difference(noun, event_token):
        return "margin"  # "leads by 5 points", "a lead of 5 points"; not "dropped 500 points"
    if _has_phrase(context, "margin_before"):  # before the figure or inside it
        return "margin"
    if "margin" in context and "error" in context:
        return "margin"
    following = [t.lower_ for t in doc[(noun.i if noun is not None else span.end - 1) + 1 :][:2]]
    if set(following) & sets["lead_words"]:  # "195 delegates ahead": a lead, not a count
        return "margin"
    limited = _ends_with(before, "limit_before") or any(
        _ends_with(context[: i + 1], "limit_before") for i in range(len(before), len(context))
    )
    if limited and not _moved_up_to(doc, span):
        return "limit"
    of_object_prep = next((c for c in anchor.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of_object_prep is not None and noun is not None:
        # the whole's own number, not the figure's: "an average of 122 Dreamers" is no part
        outside = [c for c in noun.lefts if not span.start <= c.i < span.end]
        determiners = {c.lower_ for c in outside}
        whole = determiners & sets["part_after_of"] or any(c.like_num for c in outside)
        # "hundreds of the victims" is a vague count of them, not a part as "three of the four"
        vague = not any(ch.isdigit() for ch in span.text) and anchor.lower_ in sets["vague_counts"]
        if whole and anchor.lower_ not in sets["unit_nouns"] and not vague:
            return "part"
    if _ends_with(before, "part_before") and not _counts_its_own_kind(doc, span, noun):
        return "part"
    if _split_by_gapping(span, anchor, event_token):
        return "part"  # "arrested 15 times in Georgia, and four in Ohio": 19 in all
    if noun is not None and besides_named(noun):
        return "besides"  # "the ambassador and three other Americans": four in all
    if noun is not None and any(c.lower_ in sets["part_modifiers"] for c in noun.lefts):
        return "part"  # "the remaining 17 delegates", "the other 14": what is left of a whole
    if _is_revision(doc, span, anchor, noun, event_token):
        return "revision"
    if _has_phrase(_clause_words(doc, span, anchor, noun, event_token), "sum_phrases"):
        return "sum"  # "In total, 17 people died in and around Paris during three days"
    if _is_forecast(anchor, noun, event_token):
        return "forecast"
    level = _level_of_change(anchor, noun)
    if level == "previous" and any(t.lower_ == "to" and t.head.lower_ == "from" for t in span):
        return "from_to"  # "fell from 8.1 percent to 7.8 percent": now 7.8 percent
    if level is not None:
        return level
    after = [t.lower_ for t in doc[(noun.i if noun is not None else span.end - 1) + 1 :][:3]]
    if (
        set(context) & sets["rate_words"]
        or any(after[: len(p)] == list(p) for p in lex["rate_after"])
        or _per_period(event_token)
    ):
        return "rate"
    if change in ("up", "down"):
        return "change"
    # "5,000 more troops", "an additional 300", but not the qualifier "more than 5,000"
    nearby = [*before[-2:], *span_words]
    if noun is not None:
        nearby += [t.lower_ for t in doc[span.end : noun.i]]
    marked = {
        word
        for i, word in enumerate(nearby)
        if i + 1 >= len(nearby) or nearby[i + 1] not in ("than", "of")
    }
    if marked & sets["change_words"]:
        return "change"
    if event is not None and event.split()[0] in sets["change_events"]:
        return "change"
    return "total"


def _moved_up_to(doc: Doc, span: Span) -> bool:
    """In "edged up to 8.2 percent", "up" is the particle of a verb of rising: no limit."""
    return any(
        up_is_particle(doc, t.i) for t in doc[max(span.start - 2, 0) : span.end] if t.lower_ == "up"
    )


def _is_difference(noun: Token, event: Token | None) -> bool:
    """Points that are a difference between two sides, not a change or a level.

    "Points" (``difference_nouns``) in news are a lead or a margin ("ahead 4.2 points",
    "by two points in Florida", "a lead of 5 points") unless a verb of change moves them
    ("the Dow dropped 1,089 points", "fell by 500 points": a change) or they are the level a
    change went to or stood at ("closed at 17,000 points", ``level_preps``), each read by the
    later cues. A verb of leading (``lead_events``: "won by", "trails by") is a margin even
    where it is also a verb of change.
    """
    sets = word_sets()
    if noun.lemma_.lower() not in sets["difference_nouns"]:
        return False
    if event is not None:
        lemma = event.lemma_.lower()
        if lemma in sets["lead_events"]:
            return True
        if _changes(lemma):
            return False
    level = noun.head if noun.dep_ == "pobj" else None
    return not (level is not None and level.lower_ in sets["level_preps"])


@cache
def _change_verbs() -> frozenset[str]:
    """Verbs of rising and falling (the figure lexicon's, ``[verbs]`` of qualifiers.toml)."""
    words = figure_lexicon()
    return words.up_verbs | words.down_verbs


def _changes(lemma: str) -> bool:
    """A verb of change by lemma: the frames' ``change_events`` or the figure lexicon's."""
    return lemma in word_sets()["change_events"] or lemma in _change_verbs()


def _counts_its_own_kind(doc: Doc, span: Span, noun: Token | None) -> bool:
    """A figure after "including" with a kind of its own: the total of that kind.

    "Several people, including 16 police officers" counts all the officers: a noun of its
    own, other than the noun of the phrase it is included in, as another outlet's "16 officers
    were injured" does; "including 20 people" or "including 20" is a part of the whole.
    """
    if noun is None or span.start == 0:
        return False
    cue = doc[span.start - 1]
    if cue.lower_ != "including":
        return False
    whole = cue.head
    while whole.dep_ in ("conj", "appos") and whole.head.i != whole.i:
        whole = whole.head
    return whole.pos_ in _NOUNS and whole.lemma_.lower() != noun.lemma_.lower()


def besides_named(noun: Token) -> bool:
    """A count beside named ones: "the ambassador and three other Americans".

    The count is of the others; with the named ones before it, the total is larger ("four
    Americans"), so the figure is neither a part of a whole nor the whole (``besides``).
    """
    head = noun.head
    return (
        noun.dep_ == "conj"
        and head.pos_ in _NOUNS
        and head.i < noun.i
        and any(c.dep_ == "amod" and c.lower_ == "other" for c in noun.lefts)
    )


def _level_of_change(anchor: Token, noun: Token | None) -> str | None:
    """A level a change went to or came from, not the size of the change.

    "The rate fell to 5 percent from 6 percent": 5 percent is the level now (``total``),
    6 percent the one before (``previous``); "fell 1 point" is the change. "Ticked up to
    7.6% from 7.5%" moves as "rose" does (:func:`_moves`).
    """
    phrase = anchor if anchor.dep_ == "pobj" else noun
    if phrase is None or phrase.dep_ != "pobj":
        return None
    prep = phrase.head
    verb = prep.head
    if prep.dep_ == "prep" and verb.dep_ == "prep" and verb.lower_ == "from":
        verb = verb.head  # "fell from 8.1 percent to 7.8 percent": "to" hangs on "from"
    if prep.dep_ != "prep" or verb.pos_ not in ("VERB", "AUX"):
        return None
    if not _moves(verb):
        return None
    return {"to": "total", "from": "previous"}.get(prep.lower_)


def _moves(verb: Token) -> bool:
    """A verb of change: of the lexicons, or any verb with "up" or "down" ("ticked up")."""
    if _changes(verb.lemma_.lower()):
        return True
    return any(c.dep_ == "prt" and c.lower_ in ("up", "down") for c in verb.children)


def _per_period(event: Token | None) -> bool:
    """The event happens per period: "are being separated each day", "added a month"."""
    if event is None:
        return False
    for child in event.children:
        if child.dep_ in ("npadvmod", "advmod", "dobj") and any(
            c.lower_ in ("a", "an", "each", "every", "per") for c in child.children
        ):
            return child.lemma_.lower() in word_sets()["period_words"]
    return False


def _is_forecast(anchor: Token, noun: Token | None, event: Token | None) -> bool:
    """A planned, expected or hypothetical quantity (modal, verb of expectation, a target)."""
    sets = word_sets()
    if noun is not None:
        for child in noun.lefts:
            if child.dep_ == "compound" and child.lemma_.lower() in sets["forecast_nouns"]:
                return True
    token = event
    steps = 0
    while token is not None and steps < 4:
        if token.lemma_.lower() in sets["forecast_cues"] and token.pos_ in ("VERB", "AUX"):
            return True
        if token.lemma_.lower() in sets["forecast_nouns"] and token.pos_ in _NOUNS:
            return True
        for child in token.children:
            if child.dep_ == "aux" and child.lemma_.lower() in sets["forecast_cues"]:
                return True
            # a condition or threshold, not a count: "until unemployment has fallen to 6.5
            # percent", "if turnout reaches 60 percent"
            if child.dep_ == "mark" and child.lower_ in sets["condition_marks"]:
                return True
        climbs = ("xcomp", "advcl", "ccomp", "conj", "acl", "pcomp", "pobj", "prep")
        if token.dep_ in ("advcl", "conj") and _has_subject(token):
            break  # a clause with its own subject has its own modality ("..., it may not")
        if token.dep_ in climbs and token.head.i != token.i:  # "the goal of signing up 3.3m"
            token = token.head
            steps += 1
            continue
        break
    return False


def _has_subject(token: Token) -> bool:
    """The clause names its own subject: it does not share the modality of the one above.

    "..., leaving behind about 4,000 troops" is the expected withdrawal's; "Obama continues
    to argue ..., it may not matter" keeps "may" to "matter".
    """
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.children)


def _is_revision(
    doc: Doc, span: Span, anchor: Token, noun: Token | None, event: Token | None
) -> bool:
    """A revised count or a first estimate: a revision cue in the figure's own clause.

    "219,000 jobs added instead of 196,000", "their initial estimate of 157,000", "initially,
    it said 88,000": the words of the event's clause (not of clauses joined to it) and the
    few words before the figure.
    """
    words = _clause_words(doc, span, anchor, noun, event)
    if set(words) & word_sets()["revision_words"]:
        return True
    return _has_phrase(words, "revision_phrases")


def _clause_words(
    doc: Doc, span: Span, anchor: Token, noun: Token | None, event: Token | None
) -> list[str]:
    """Lowercase words of the figure's clause and the few words before the figure."""
    return [t.lower_ for t in _clause_tokens(anchor, noun, event)] + _words_before(
        doc, span.start, 3
    )


def _has_phrase(words: Sequence[str], name: str) -> bool:
    """Whether a phrase of the lexicon's list ``name`` occurs in ``words``."""
    return any(
        tuple(words[i : i + length]) in group
        for length, group in _phrases(name)
        for i in range(len(words) - length + 1)
    )


def _clause_tokens(anchor: Token, noun: Token | None, event: Token | None) -> list[Token]:
    """The tokens of the figure's own clause, in text order."""
    tokens: dict[int, Token] = {}
    for root in (t for t in (event, noun, anchor) if t is not None):
        tokens[root.i] = root
        for child in root.children:
            if child.dep_ in _OTHER_CLAUSES:
                continue
            tokens.update((t.i, t) for t in child.subtree)
    if event is not None and event.dep_ == "ccomp":  # "Initially, it said that 88,000 ..."
        for child in event.head.children:
            if child.dep_ in ("advmod", "npadvmod"):
                tokens.update((t.i, t) for t in child.subtree)
    return [tokens[i] for i in sorted(tokens)]
