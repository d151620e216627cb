"""What a figure counts, how it changes, and its qualifier: the figure's context in the sentence.

Dependency heads give the counted noun ("seven Afghan provinces", "hundreds of detainees", "the
number of active fighters is 1,000 to 1,500") and the verb of change ("rose 5%"); qualifier
phrases come from ``data/figures/qualifiers.toml``. Counted nouns are written as NewsQuant
writes count units: lowercase lemmas of the content words ("afghan province").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.extract import unitsense
from pipeline.extract.lexicon import UnitInfo, lexicon
from pipeline.extract.quantities import DASHES, UNIT_NOUN_POS, Num
from pipeline.extract.unitphrases import read_rate

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_NON_COUNT_HEADS = frozenset({"%", "percent", "per", "cent"})
#: Kinds of unit a counted head noun is taken as ("40 tonnes of grain", "20,000 drams").
_MEASURE_KINDS = frozenset({"duration", "length", "mass", "currency", "area", "percent"})
_RATE_TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year"})

_DROP_POS = frozenset(
    {
        "DET",
        "ADP",
        "PRON",
        "CCONJ",
        "SCONJ",
        "PART",
        "AUX",
        "ADV",
        "PUNCT",
        "NUM",
        "SYM",
        "X",
        "SPACE",
        "INTJ",
    }
)


def _lemma(t: Token) -> str:
    """Lowercase lemma; a plural proper noun ("World Cups") loses its plural too."""
    lemma = t.lemma_.lower()
    if t.tag_ == "NNPS" and lemma == t.lower_ and lemma.endswith("s") and not lemma.endswith("ss"):
        return lemma[:-1]
    return lemma


def content_lemmas(tokens: list[Token], *, keep_verbs: bool = False) -> str | None:
    """NewsQuant-style counted-noun unit: lowercase lemmas of content words.

    Hyphenated compounds ("first-team", "coal-fired") are kept whole; determiners, adpositions,
    pronouns, adverbs, numbers and (unless ``keep_verbs``) verbs are dropped.
    """
    groups: list[list[Token]] = []
    for t in tokens:
        glued = groups and (
            (t.text in DASHES and not t.whitespace_)
            or (groups[-1][-1].text in DASHES and not groups[-1][-1].whitespace_)
        )
        if glued and not (t.text in DASHES and t.whitespace_):
            groups[-1].append(t)
        else:
            groups.append([t])
    parts: list[str] = []
    for group in groups:
        while len(group) > 1 and group[0].text in DASHES:
            group = group[1:]
        if len(group) > 1 and group[-1].text not in DASHES:
            if any(t.pos_ == "NUM" or t.text[:1].isdigit() for t in group):
                continue
            parts.append("".join(_lemma(t) if t.i == group[-1].i else t.lower_ for t in group))
            continue
        t = group[0]
        if t.pos_ in _DROP_POS or t.text[:1].isdigit() or t.text in DASHES:
            continue
        if t.lower_ in ("more", "less", "fewer", "additional"):
            continue
        if t.pos_ == "VERB" and not keep_verbs:
            continue
        parts.append(_lemma(t))
    return " ".join(parts) or None


def counted_noun(doc: Doc, num: Num, end_i: int) -> tuple[str, str, Token | None] | None:
    """What the number ending before token ``end_i`` counts: (unit, surface, head noun)."""
    n = len(doc)
    start_i = num.i
    if end_i < n and doc[end_i].lower_ == "of" and end_i + 1 < n:
        pobj = next((c for c in doc[end_i].children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.pos_ in ("PRON", "NUM") or pobj.tag_ == "WDT":
            return None
        if num.high is not None or num.scaled or not (num.fraction or num.value == 1):
            tokens = [c for c in pobj.lefts if c.dep_ in ("amod", "compound", "poss")] + [pobj]
            unit = content_lemmas(tokens)
            first = tokens[0].i
        else:
            relcl = {t.i for c in pobj.children if c.dep_ == "relcl" for t in c.subtree}
            tokens = [t for t in pobj.subtree if t.i not in relcl]
            unit = content_lemmas(tokens, keep_verbs=True)
            first = tokens[0].i
        while first < pobj.i and (doc[first].pos_ in ("DET", "PRON") or doc[first].is_punct):
            first += 1
        if unit is None:
            return None
        return unit, doc[first : max(t.i for t in tokens) + 1].text, pobj
    head: Token | None = None
    for t in doc[start_i:end_i]:
        h = t.head
        if (
            not (start_i <= h.i < end_i)
            and h.i >= end_i
            and h.pos_ in UNIT_NOUN_POS
            and (t.dep_ in ("nummod", "amod", "compound", "quantmod", "nmod"))
        ):
            head = h
            break
    if head is None and num.fraction and end_i < n and doc[end_i].tag_ == "DT":
        k = end_i + 1
        while k < n and doc[k].pos_ in ("ADJ", "NOUN", "PROPN"):
            k += 1
        if k > end_i + 1:
            head = doc[k - 1]
    if head is None and end_i < n and doc[end_i].tag_ in ("NNS", "NNPS"):
        head = doc[end_i]  # a plural noun right after: "8.8m subscribers" misparsed
    if head is None:
        tok = doc[start_i]
        if tok.dep_ == "conj" and tok.head.pos_ == "NOUN" and tok.head.i < start_i:
            h = tok.head
            return h.lemma_.lower(), h.text, h  # "another pick or two"
        return None
    between = doc[end_i : head.i]
    if num.fraction and head is not None:
        return head.lemma_.lower(), doc[end_i : head.i + 1].text, head
    if any(c.lower_ in ("last", "next", "this") for c in head.lefts):
        return None  # "2.1 last year"
    if head.i - end_i > 5 or any(
        t.pos_ in ("DET", "PRON", "ADP", "PUNCT") and t.text not in DASHES for t in between
    ):
        return None
    if head.lower_ in lexicon().months or head.lower_ in _NON_COUNT_HEADS:
        return None
    # "the 12 page document": a singular noun right after the number is the counted thing
    if (
        between
        and between[0].tag_ == "NN"
        and between[0].dep_ == "compound"
        and (num.value != 1 and head.tag_ == "NN")
    ):
        head = between[0]
    tokens = list(doc[end_i : head.i + 1])
    left = [
        c
        for c in head.lefts
        if start_i - 2 <= c.i < start_i
        and c.dep_ in ("amod", "compound", "nmod")
        and c.pos_ in ("ADJ", "NOUN")
    ]
    unit = content_lemmas(left + tokens)
    if unit is None:
        return None
    return unit, doc[end_i : head.i + 1].text, head


def verb_change(doc: Doc, start_i: int, end_i: int) -> str:
    """up/down when the figure is the amount of a verb of change ("rose 5%", "fell by 2")."""
    root = next((t for t in doc[start_i:end_i] if not (start_i <= t.head.i < end_i)), None)
    if root is None:
        return "="
    while root.dep_ == "conj" and root.head is not root and root.head.pos_ != "VERB":
        root = root.head
    head = root.head
    if root.dep_ == "pobj":
        if head.lower_ not in ("by", "between"):
            return "="
        head = head.head
    elif root.dep_ not in (
        "dobj",
        "npadvmod",
        "advmod",
        "attr",
        "obj",
        "nsubj",
        "prep",
        "ccomp",
        "conj",
        "appos",
    ):
        return "="
    lemma = head.lemma_.lower()
    if head.pos_ in ("VERB", "AUX", "ADV", "ADP"):
        if lemma in lexicon().up_verbs:
            return "up"
        if lemma in lexicon().down_verbs:
            return "down"
    return "="


def kind_and_unit(
    doc: Doc, num: Num, end_i: int, unit: UnitInfo | None
) -> tuple[str, str | None, str | None, bool]:
    """Kind, unit name, counted surface and whether the counted head is a singular name."""
    if unit is not None:
        return unit.kind, unit.name, None, False
    counted = counted_noun(doc, num, end_i)
    if num.fraction:
        return (
            "other",
            "% " + (counted[0] if counted else "-"),
            (counted[1] if counted else None),
            False,
        )
    if counted is None:
        subject = counted_by_subject(doc, num, end_i)
        if subject is not None:  # what "the number of X" is: it names the thing, no unit
            return "count", None, subject, False
        return ("count" if num.high is not None else "other"), None, None, False
    name, surface, head = counted
    info = _head_unit(doc, num, head) if head is not None else None
    if info is not None and info.kind in _MEASURE_KINDS:
        return info.kind, info.name, None, False
    proper_name = head is not None and head.tag_ == "NNP" and num.digits and num.high is None
    if head is not None and head.i + 1 < len(doc) and doc[head.i + 1].lower_ in ("per", "a", "an"):
        rate = read_rate(doc, head.i + 1)
        if rate is not None and rate[0] in _RATE_TIME_UNITS:
            name = f"{name} per {rate[0]}"  # "three thousand tests per day"
    return "count", name, surface, proper_name


def _head_unit(doc: Doc, num: Num, head: Token) -> UnitInfo | None:
    """The unit a counted head noun names ("20,000 Armenian drams"), or None.

    A head that means several units ("drams", "pounds") is read by the disambiguator, as a
    unit written right after the amount is.
    """
    lex = lexicon()
    candidates = lex.ambiguous.get(head.text) or lex.ambiguous.get(head.lower_)
    if candidates and len(head.text) > 1:
        number = doc[num.i : num.j].text  # as written ("5,000.50"), for the amount's form
        return unitsense.choose(
            head.sent, head.text, candidates, glued=False, value=num.value, number=number
        )
    return lex.unit_phrases.get((head.lower_,))


def qualifier_before(doc: Doc, i: int) -> tuple[str, int] | None:
    """Longest qualifier phrase ending just before token ``i``: (change, first token index).

    An "up to" whose "up" belongs to the verb before it ("ticked up to 7.6%") is no qualifier:
    the figure is the level the verb reached (:func:`up_is_particle`).
    """
    if i == 0:
        return None
    lex = lexicon()
    for size in lex.qualifier_sizes.get(doc[i - 1].lower_, ()):
        if size > i:
            continue
        words = tuple(t.lower_ for t in doc[i - size : i])
        change = lex.qualifiers_before.get(words)
        if change is not None and not (words[0] == "up" and up_is_particle(doc, i - size)):
            return change, i - size
    return None


def up_is_particle(doc: Doc, i: int) -> bool:
    """Whether the "up" at token ``i`` is the particle of a verb of rising right before it.

    "edged up to 8.2 percent", "went up to 5 percent": the verb moved the figure up to a level.
    Read from the verb's lemma (``up_particle_verbs`` of the figure lexicon), not the parse,
    which tags these "up"s as particles, adverbs or number modifiers alike.
    """
    if i == 0 or doc[i].lower_ != "up":
        return False
    verb = doc[i - 1]
    return verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in lexicon().up_particle_verbs


_CLIMB_DEPS = frozenset({"pobj", "prep", "attr", "acomp", "advmod", "dobj", "npadvmod", "prt"})


def counted_by_subject(doc: Doc, num: Num, end_i: int) -> str | None:
    """What a count noun subject counts, for a figure it is equated with.

    "the number of active fighters is ... in the range of 1,000 to 1,500" -> "active fighters";
    "USA troop numbers wound down to 40,000" -> "USA troop". The figure's head chain is climbed
    through prepositions and complements to its clause's verb, whose subject must be one of
    the count nouns of ``numbers.toml``.
    """
    count_nouns = lexicon().count_nouns
    root = next((t for t in doc[num.i : end_i] if not (num.i <= t.head.i < end_i)), None)
    steps = 0
    while root is not None and root.dep_ in _CLIMB_DEPS and steps < 6:
        root = root.head
        steps += 1
        if root.pos_ in ("VERB", "AUX"):
            break
    if root is None or root.pos_ not in ("VERB", "AUX"):
        return None
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.lower_ not in count_nouns:
        return None
    of = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        thing = next((c for c in of.children if c.dep_ == "pobj"), None)
        if thing is None or thing.pos_ not in UNIT_NOUN_POS:
            return None
        lefts = [c for c in thing.lefts if c.dep_ in ("amod", "compound")]
        first = min([thing.i, *(t.i for c in lefts for t in c.subtree)])
        return doc[first : thing.i + 1].text
    compounds = [c for c in subject.lefts if c.dep_ == "compound"]
    if not compounds:
        return None
    first = min(t.i for c in compounds for t in c.subtree)
    return doc[first : subject.i].text
