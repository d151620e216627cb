"""What a figure counts: the counted noun of its frame (:mod:`pipeline.extract.frames`).

The noun a number modifies ("4,000 troops"), its of-object ("three of the four states",
"dozens of soldiers"), what an amount of money is in ("$850 billion in spending cuts"), the
noun a bare percentage or amount is the level of ("the unemployment rate fell to 5 percent"),
and the narrowing modifiers that go with it, without the clauses on it. Cue words are data
(``data/frames.json``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.extract.frame_lexicon import lexicon
from pipeline.extract.frame_lexicon import word_sets as _sets

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["counted_noun", "counted_text", "is_date", "measured_noun", "wanted_by"]

_NOUNS = frozenset({"NOUN", "PROPN"})
_VERBS = frozenset({"VERB", "AUX"})
_TIME_LABELS = frozenset({"DATE", "TIME"})
#: Entities an amount is "in" that are not what it counts ("$5 million in 2019", "in Ohio").
_NOT_COUNTED = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod"})
#: Dependencies that open a clause inside a phrase ("the voters who backed him").
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "parataxis"})


def counted_noun(span: Span, anchor: Token, *, amount: bool = False) -> Token | None:
    """The noun the figure counts: the head of a numeric modifier, or an of-object.

    An amount of money also counts its in-object ("$1.3 trillion in revenue").
    """
    units = _sets()["unit_nouns"]
    of_object = _of_object(anchor, _sets()["amount_preps"] if amount else frozenset(("of",)))
    if of_object is not None and (
        anchor.pos_ in ("NUM", "NOUN") or anchor.lower_ in units or anchor.like_num
    ):
        return of_object
    head = anchor.head
    if (
        anchor.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "det", "advmod")
        and head.pos_ in _NOUNS
        and head.i > anchor.i
    ):
        return head
    if anchor.pos_ in _NOUNS and anchor.lower_ not in units and not anchor.like_num:
        return anchor  # a vague plural or a noun inside the figure ("dozens", "$5")
    return None


def wanted_by(noun: Token) -> tuple[Token, Token] | None:
    """Who wants an amount and the verb, when the amount is parsed onto their clause.

    "the $12 billion Jones wants": the parser hangs the amount on "Jones", the subject of
    "wants" (a relative clause without "that"), or reads "Jones wants" as a noun phrase with
    a plural head "wants". An amount of money counts neither; it is what Jones wants.
    Returns (the holder's token, the predicate's token), or None.
    """
    verb = noun.head
    if (
        noun.pos_ == "PROPN"
        and noun.dep_ in ("nsubj", "nsubjpass")
        and verb.pos_ in _VERBS
        and verb.i > noun.i
    ):
        return noun, verb
    if noun.tag_ == "NNS" and noun.lemma_.lower() in _sets()["forecast_cues"]:
        name = next((c for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
        if name is not None:
            return name, noun
    return None


def measured_noun(anchor: Token) -> Token | None:
    """The common noun a bare percentage or amount is the level of, from the parse.

    "an approval rating of 43 percent" (the noun the figure is "of"); "the unemployment rate
    fell to 5 percent", "turnout was 61 percent", "the deficit reached $1 trillion" (the
    subject of the clause the figure completes). A name as the subject is whose the level
    is, not what it measures ("Jones fell to 40 percent" is Jones's support).
    """
    units = _sets()["unit_nouns"]
    head = anchor.head
    if anchor.dep_ == "pobj" and head.lower_ == "of" and head.dep_ == "prep":
        owner = head.head
        if owner.pos_ == "NOUN" and owner.i < anchor.i and owner.lower_ not in units:
            return owner
        return None
    if anchor.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in _sets()["level_preps"]:
        clause = head.head
    elif _completes(anchor):
        clause = head
    else:
        return None
    if clause.pos_ not in _VERBS:
        return None
    # "raised tariffs from 10 percent to 25 percent": the object is what went up; "the rate
    # edged down to 7.7 percent and has remained below 8 percent": the first verb's subject
    wanted = ("dobj",) if anchor.dep_ == "pobj" else ()
    measured = next((c for c in clause.children if c.dep_ in wanted and c.i != anchor.i), None)
    for _ in range(2):
        if measured is not None:
            break
        measured = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if clause.dep_ != "conj" or clause.head.pos_ not in _VERBS:
            break
        clause = clause.head
    if measured is None or measured.pos_ != "NOUN" or measured.lower_ in units:
        return None
    return measured


def _completes(anchor: Token) -> bool:
    """The figure completes its verb as a level, not as what the verb acts on.

    "remained below 8 percent", "was 5 percent", "turnout reached 61 percent"; not the
    object of "the senator raised $5 million".
    """
    if anchor.dep_ == "prep":
        return anchor.lower_ != "of"
    if anchor.dep_ == "dobj":
        return anchor.head.lemma_.lower() in lexicon()["neutral_events"]
    return anchor.dep_ in ("attr", "acomp", "oprd")


def _of_object(token: Token, preps: frozenset[str] = frozenset(("of",))) -> Token | None:
    """``X`` of "60 percent of X" / "three of the four X" / "dozens of X"."""
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ in preps:
            return next(
                (
                    c
                    for c in child.children
                    if c.dep_ == "pobj" and c.pos_ in _NOUNS and c.ent_type_ not in _NOT_COUNTED
                ),
                None,
            )
    return None


def counted_text(noun: Token, inside: set[int]) -> str:
    """Lowercase lemma of ``noun`` with its narrowing left modifiers, in text order."""
    modifiers: list[Token] = []
    for child in noun.lefts:
        if child.i in inside or child.like_num or child.pos_ == "NUM":
            continue
        if child.dep_ == "poss" and is_date(child):
            continue  # "Saturday's contests" are contests, on Saturday
        if child.dep_ in _MODIFIER_DEPS or (child.dep_ == "poss" and child.pos_ in _NOUNS):
            modifiers.extend(
                t
                for t in _without_clauses(child, inside)
                if (t.i not in inside and not t.is_punct) or t.text == "-"
            )
    words = [t.lower_ for t in sorted(modifiers, key=lambda t: t.i)]
    words.append(noun.lemma_.lower())
    return " ".join(words).replace(" - ", "-")


def _without_clauses(token: Token, inside: set[int]) -> list[Token]:
    """The token's phrase without clauses in it: a relative clause is not a modifier.

    "the 40 Ohio voters who backed him" counts "ohio voter"; what the voters did is the
    clause's, not part of what is counted.
    """
    out = [token]
    for child in token.children:
        if child.dep_ not in _CLAUSE_DEPS or child.i in inside:
            out.extend(_without_clauses(child, inside))
    return out


def is_date(token: Token) -> bool:
    """A date or time ("Tuesday's contests", "January's 7.9 percent"): when, not whose."""
    return token.ent_type_ in _TIME_LABELS
