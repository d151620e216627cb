"""Quotations: pairing the marks on the raw text, and where a quotation sits in its sentence.

Rules, not learned: pairing quotation marks is a matter of typography (curly, straight and
doubled-apostrophe marks; a quotation running over several paragraphs reopens each one with a
mark of the same style), and the rules here found every direct quote a learned tagger would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

OPEN_QUOTES = "“„«"


CLOSE_QUOTES = "”»"


@Language.component("paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every line break, before the parser runs.

    Why: the parser happily joins a dateline or a heading to the next paragraph's first
    sentence ("The Latest on the race (all times EDT): 7 p.m. Donald Trump is ..."), which
    hands the wrong subject to the cue. Preset starts are respected by the parser. Place it
    with ``nlp.add_pipe("paragraph_boundaries", before="parser")``.
    """
    newline = False
    for tok in doc:
        if tok.is_space:
            newline = newline or "\n" in tok.text
            continue
        if newline and tok.i > 0:
            tok.is_sent_start = True
        newline = "\n" in tok.whitespace_
    return doc


@dataclass(frozen=True, slots=True)
class Quote:
    """A top-level quotation.

    Attributes:
        open: Offset of the opening mark.
        start: Offset just inside the opening mark.
        end: Offset of the closing mark (end of the quoted text).
        close: Offset just after the closing mark.
    """

    open: int
    start: int
    end: int
    close: int


_MARK = re.compile(r"''|``|[“”„«»\"]")


def _is_opening_straight(text: str, i: int) -> bool:
    prev = text[i - 1] if i > 0 else " "
    return prev.isspace() or prev in "([{—–-:/\u00a0"


def _closes_later(para: str, after: int) -> bool:
    """Whether a closing curly mark follows in ``para`` before any curly mark opening anew.

    Why: a quotation quoting with the same marks ("“I’d rather live in what he calls “hell”
    than live in a world where he is president.”") closed at the inner quotation's end, and
    the rest of it, left without an opening mark, was lost. The inner mark closes the inner
    quotation only when another closing mark follows in the paragraph.
    """
    for match in re.finditer(r"[“”]", para[after:]):
        if match.group() == "”":
            return True
        if para[after + match.start() - 1 : after + match.start()].isspace():
            return False
    return False


def _typed_close(text: str, i: int, style: str) -> bool:
    """An opening curly mark typed where a closing one belongs: “It's unusual,“ said X.

    Why: right after a comma, full stop, "?" or "!" and before a space, a “ inside an open
    curly quotation can only close it (a nested quotation opens after a space); left open,
    the quotation ran on over its attribution into the next one.
    """
    return (
        style == "curly"
        and text[i] == "“"
        and text[i - 1 : i] in (",", ".", "?", "!")
        and text[i + 1 : i + 2] in (" ", "\u00a0", "\n", "")
    )


def _mark_style(mark: str) -> str:
    return "straight" if mark == '"' else "double" if mark in ("''", "``") else "curly"


def find_quotes(text: str, *, min_chars: int = 1) -> list[Quote]:
    """Pair quotation marks into top-level quotes.

    Curly, straight and doubled-apostrophe (''...'') quotes are paired within a paragraph; a
    paragraph that opens a quote and never closes it continues into the next paragraph when
    that one opens with a mark of the same style (the multi-paragraph convention).

    Args:
        text: The article text.
        min_chars: Quotes with fewer inner characters are dropped.
    """
    quotes: list[Quote] = []
    pending: tuple[int, int, str] | None = None  # (open, start, style) carried across paragraphs
    pos = 0
    for para in text.split("\n"):
        base = pos
        pos += len(para) + 1
        opened: tuple[int, int, str] | None = None
        inner = False  # a quotation opened inside a curly one with the same marks
        for match in _MARK.finditer(para):
            i, mark = base + match.start(), match.group()
            style = _mark_style(mark)
            if opened is None:
                if mark in CLOSE_QUOTES:
                    continue
                if mark in ('"', "''") and not _is_opening_straight(text, i):
                    continue
                if (
                    pending is not None
                    and not para[: match.start()].strip()
                    and (pending[2] == style)
                ):
                    opened = pending  # continuation paragraph of a multi-paragraph quote
                else:
                    opened = (i, i + len(mark), style)
                pending = None
            elif mark == "“" and opened[2] == "curly" and text[i - 1 : i].isspace():
                inner = True
            elif (mark not in OPEN_QUOTES and mark != "``") or _typed_close(text, i, opened[2]):
                if inner and _closes_later(para, match.end()):
                    inner = False  # “... what he calls “hell” than ...”: the inner one closes
                    continue
                inner = False
                if i - opened[1] >= min_chars:
                    quotes.append(Quote(opened[0], opened[1], i, i + len(mark)))
                opened = None
        if opened is not None:
            pending = opened
        elif para.strip():
            pending = None
    return sorted(quotes, key=lambda q: q.open)


def in_quotation(quotes: list[Quote], offset: int) -> bool:
    """Whether ``offset`` lies inside one of ``quotes`` (as :func:`find_quotes` returns them)."""
    return any(quote.start <= offset < quote.end for quote in quotes)


def quote_ends_clause(text: str, quote: Quote) -> bool:
    """The quotation closes its clause: final punctuation inside, or end of sentence after."""
    inner = text[quote.start : quote.end].rstrip()
    after = text[quote.close : quote.close + 2].lstrip(" \u00a0")
    return inner[-1:] in ",.!?…:;—-" or not after or after[0] in ".!?;\n"


def quote_starts_clause(text: str, quote: Quote) -> bool:
    """The quotation opens its sentence (paragraph start or after final punctuation)."""
    before = text[: quote.open].rstrip(" \u00a0")
    return not before or before[-1] in '\n.!?:"”'


_TITLE_SMALL_WORDS = frozenset({"a", "an", "the", "of", "and", "in", "on", "for", "to", "with"})


_WORK_LEAD = re.compile(r"(?:[’']s|\b(?:[Oo]n|[Oo]f))[ \u00a0]*$")


def names_a_work(text: str, quote: Quote) -> bool:
    """A title-case quotation after a possessive or "on"/"of": a show or a book, not content.

    Why: "On this weekend’s broadcast of “Fox News Sunday,” Pence said ..." ends in a comma
    right before the cue, so it looked like the quotation the cue introduces, and took the
    cue away from its real, reported content. Chants and words ("chants of “Marco!
    Marco!”", "mangling of “Hamas,”") are content, hence the title-case test.
    """
    if _WORK_LEAD.search(text, max(0, quote.open - 6), quote.open) is None:
        return False
    words = text[quote.start : quote.end].rstrip(",. ").split()
    if len(words) < 2 or re.search(r"[!?]", text[quote.start : quote.end]):
        return False
    return all(w[:1].isupper() or w in _TITLE_SMALL_WORDS for w in words)


def standalone(text: str, quote: Quote) -> bool:
    """A quotation that makes up its own sentence (not a scare quote inside prose)."""
    before = text[: quote.open].rstrip(" \u00a0")
    inner = text[quote.start : quote.end]
    return (not before or before[-1] in '\n.!?"”:') and len(inner.split()) >= 3


def short_sentence(text: str, quote: Quote) -> bool:
    """A quotation of one or two words that is a sentence of its own (“Bodies everywhere.”).

    Why: too short for :func:`standalone` (a scare quote inside prose is as short), but
    opening after a sentence's end and closing on its own ".", "?" or "!", it is speech: in
    "“There was carnage on the road,” Bouhlel said. “Bodies everywhere.”" the gold merges it
    into the quotation before it (PolNeAR train: 8 merged, 1 with a cue of its own).
    """
    before = text[: quote.open].rstrip(" \u00a0")
    return bool(before) and before[-1] in '.!?"”' and 0 < sentence_words(text, quote) < 3


def sentence_words(text: str, quote: Quote) -> int:
    """The number of words of a quotation that ends its own sentence, else 0.

    Why: a quotation closing on its own ".", "?" or "!" is a sentence of speech; how many words
    it has decides which rule may join it to the run before it (:func:`short_sentence` under
    three, ``claims._tail_of_run`` three or more).
    """
    inner = text[quote.start : quote.end].rstrip()
    return len(inner.split()) if inner[-1:] in (".", "?", "!") else 0
