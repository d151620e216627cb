"""What reads as a number but is no figure: years, dates, times, names, labels, scores, phones.

The word lists are in ``data/figures/not_figures.toml`` (see :mod:`pipeline.extract.lexicon`);
the functions here say where in a sentence they apply.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipeline.extract.lexicon import UnitInfo, lexicon
from pipeline.extract.quantities import DASHES, UNIT_NOUN_POS, Num

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: Phone numbers and the like: "555-0199", "(212) 555-0143".
PHONE = re.compile(r"(?:\d{3}\)?[\s.-]?)?\d{3}[-.]\d{4}(?!\d)|\d{3}\)\s?\d{3}")


def is_year_like(doc: Doc, num: Num, unit: UnitInfo | None) -> bool:
    """A bare four-digit integer that reads as a year ("in 2014", "the 2019 list")."""
    tok = doc[num.i]
    if not (num.digits and unit is None and not num.scaled and num.j == num.i + 1):
        return False
    if not (tok.text.isdigit() and len(tok.text) == 4 and 1000 <= num.value <= 2100):
        return False
    head = tok.head
    plural_count = (
        tok.dep_ == "nummod"
        and head.i > tok.i
        and head.tag_ in ("NNS", "NNPS")
        and tok.ent_type_ != "DATE"
    )
    return not plural_count


def is_date_or_time(doc: Doc, num: Num, unit: UnitInfo | None) -> bool:
    """Days of months ("Nov. 9", "9 November"), clock times ("5:25 a.m.", "1.56pm")."""
    lex = lexicon()
    n = len(doc)
    prev = doc[num.i - 1] if num.i > 0 else None
    nxt = doc[num.j] if num.j < n else None
    if unit is not None:
        return False
    if prev is not None and prev.lower_ in lex.months and prev.text[0].isupper():
        return True
    if nxt is not None and nxt.lower_ in lex.months and nxt.text[0].isupper() and num.value <= 31:
        return True
    if nxt is None or nxt.lower_ not in lex.time_words:
        return False
    if nxt.lower_ in lex.military_time_words:  # "1300 hours", not "24 hours"
        text = doc[num.i].text
        return len(text) == 4 and text.isdigit() and int(text[2:]) < 60
    return True


def is_identifier(doc: Doc, num: Num, unit: UnitInfo | None) -> bool:
    """Names with numbers: "Section 427", "Game 6", "S&P 500", "COVID-19", "ISO 9001"."""
    lex = lexicon()
    if unit is not None or num.i == 0 or num.high is not None or num.fraction:
        return False
    prev = doc[num.i - 1]
    tok = doc[num.i]
    if not num.digits:
        # "the Kick Six": a capitalised number word inside a name
        return tok.text[0].isupper() and not tok.is_sent_start and prev.pos_ == "PROPN"
    if prev.lower_ in lex.label_words or prev.lower_ in lex.index_names:
        return True
    if prev.lower_ in lex.standards and prev.text.isupper():
        return True
    if prev.lower_ in lex.label_words_capitalised and prev.text[0].isupper():
        return True
    if num.i >= 2 and f"{doc[num.i - 2].lower_} {prev.lower_}" in lex.index_names:
        return True
    if prev.text in DASHES and not prev.whitespace_ and num.i >= 2:
        before = doc[num.i - 2]
        if not before.whitespace_ and any(c.isalpha() for c in before.text):
            return True  # "F-35", "A320-200"
    if prev.is_alpha and len(prev.text) == 1 and prev.text not in ("a", "i", "x", "A", "I"):
        return True  # "S P 500", "Model S 3"
    if tok.text[0] in "+-" and prev.is_alpha and prev.text.isupper():
        return True  # "COVID -19"
    return (
        prev.pos_ in ("PROPN", "NOUN", "X")
        and (prev.text[0].isupper() or (prev.pos_ == "PROPN" and not prev.text.islower()))
        and not prev.is_sent_start
        and prev.lower_ not in lex.months
        and prev.text not in lex.currency_codes
    )


def is_one_pronoun(doc: Doc, num: Num) -> bool:
    """Whether "one" is a pronoun ("each one", "the same one") rather than a count."""
    lex = lexicon()
    tok = doc[num.i]
    if tok.lower_ != "one" or num.j != num.i + 1:
        return False
    nxt = doc[num.j] if num.j < len(doc) else None
    if nxt is not None and (nxt.lower_,) in lex.unit_phrases:
        return False  # "that one mile"
    if (
        nxt is not None
        and nxt.lower_ in ("in", "out")
        and num.j + 1 < len(doc)
        and (doc[num.j + 1].like_num or doc[num.j + 1].lower_ == "of")
    ):
        return False  # "one in five adults", "one out of three"
    if num.i > 0 and doc[num.i - 1].lower_ in lex.one_pronoun_after:
        return True
    if nxt is not None and nxt.lower_ == "of":
        return False
    return not (tok.dep_ == "nummod" and tok.head.pos_ in UNIT_NOUN_POS)


def is_age(doc: Doc, num: Num) -> bool:
    """A bare whole number that is a person's age: "Maddon, 66, has", "He will be 35"."""
    i, j = num.i, num.j
    if not num.digits or not (0 < num.value < 120) or num.value != int(num.value):
        return False
    if i >= 2 and j < len(doc) and doc[i - 1].text == "," and doc[j].text == ",":
        before = doc[i - 2]
        if before.ent_type_ == "PERSON" or (before.pos_ == "PROPN" and doc[i].dep_ == "appos"):
            return True
    tok = doc[i]
    if tok.dep_ in ("attr", "acomp") and tok.head.lemma_ in ("be", "turn"):
        subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        return subj is not None and (
            subj.lower_ in ("he", "she", "i") or subj.ent_type_ == "PERSON"
        )
    return False


def is_score(first: Num, second: Num, dash: bool, unit: UnitInfo | None) -> bool:
    """A result such as "3-0" or "101-99": whole numbers joined by a dash, going down."""
    return (
        dash
        and unit is None
        and first.digits
        and second.digits
        and first.value == int(first.value)
        and second.value == int(second.value)
        and 0 <= second.value <= first.value <= lexicon().score_largest
    )


def glued_number_word(doc: Doc, num: Num) -> int | None:
    """A spelled number glued to a time word ("five-year award") is an adjective, no figure.

    Returns:
        The token after the compound, or None when ``num`` is not one.
    """
    n = len(doc)
    lex = lexicon()
    if num.digits or num.j + 1 >= n or doc[num.j].text not in DASHES or doc[num.j].whitespace_:
        return None
    info = lex.unit_phrases.get((doc[num.j + 1].lower_,))
    if info is None or info.kind != "duration":
        return None
    if num.j + 3 < n and doc[num.j + 3].lower_ == "old":
        return None
    return num.j + 2
