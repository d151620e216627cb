"""Attaching quotations to cues: which cue a quotation belongs to, and how far a run goes.

Rules: a quotation attaches to the cue whose clause it touches across punctuation only
("“...,” X said", "X said: “...”"), though a cue after a colon-opened quotation that ends
its sentence does not take it, nor does a cue after a quotation closed by a full stop that
reports content of its own ("“A.” Bivens hopes Democrats ..."); a name between a quotation
and its verb repairs the speaker; a quotation woven into reported speech yields the clause,
not the quotation.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from spacy.tokens import Doc, Token

from pipeline.extract.attribution.content import direct_object
from pipeline.extract.attribution.cues import Cue
from pipeline.extract.attribution.lexicon import CUE_LEMMAS
from pipeline.extract.attribution.quotes import (
    Quote,
    names_a_work,
    quote_ends_clause,
    quote_starts_clause,
)
from pipeline.extract.doccache import doc_text
from pipeline.extract.speakers import mention_tokens
from pipeline.extract.tokens import subject, subtree

_PUNCT_GAP = re.compile(r"^[\s,;:—–\-()]*(that\s*)?$")


_CLAUSE_DEPS = frozenset(
    {
        "nsubj",
        "dobj",
        "dative",
        "prep",
        "advmod",
        "npadvmod",
        "aux",
        "neg",
        "prt",
        "agent",
        "attr",
        "mark",
        "punct",
    }
)


def _cue_clause(cue: Cue) -> list[Token]:
    """Words of the cue clause: verb, speaker and their plain dependents (no punctuation)."""
    verb = cue.verb
    tokens = [verb]
    for child in verb.children:
        if child.dep_ in _CLAUSE_DEPS:
            tokens.extend(subtree(child, verb))
    if cue.speaker is not None:
        tokens.extend(mention_tokens(cue.speaker))
        if verb.lemma_ == "accord":
            tokens.extend(verb.doc[verb.i : cue.speaker.i + 1])
    return [t for t in tokens if not t.is_punct]


_NAME_BEFORE_CUE = re.compile(
    r"^[ \u00a0]+([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3})(?:, [^,.;!?“”\"\n]{1,80},)?[ \u00a0]+$"
)


def repair_speakers(doc: Doc, quotes: list[Quote], cues: list[Cue]) -> list[Cue]:
    """Give a cue the name standing between a quotation and its verb as speaker.

    Why: after “...,” the parser often takes a quoted title later in the sentence for the
    subject (“...,” Flynn, a top Trump surrogate, said on Fox News’s “Fox and Friends.”
    yields the subject "Fox"); the cue then neither attaches to its quotation nor names the
    right speaker. A capitalised name (with an optional apposition set off by commas) right
    between a sentence-opening, comma-final quotation and the verb is the speaker; a
    quotation inside a sentence ("When X shouted, “Cruz,” Beck joked") may belong to the
    cue before it.
    """
    text = doc_text(doc)
    out = list(cues)
    for quote in quotes:
        if text[quote.end - 1 : quote.end] != "," or not quote_starts_clause(text, quote):
            continue
        for ci, cue in enumerate(out):
            verb = cue.verb
            if not cue.seed or not quote.close < verb.idx < quote.close + 120:
                continue
            if cue.speaker is not None and quote.close <= cue.speaker.idx < verb.idx:
                continue
            if not text[quote.close : verb.idx].strip():
                inverted = _inverted_speaker(verb, quote)
                if inverted is not None:
                    out[ci] = replace(cue, speaker=inverted)
                continue
            match = _NAME_BEFORE_CUE.match(text[quote.close : verb.idx])
            if match is None:
                continue
            name = doc.char_span(
                quote.close + match.start(1), quote.close + match.end(1), alignment_mode="expand"
            )
            if name is None or not any(t.pos_ == "PROPN" for t in name):
                continue
            out[ci] = replace(cue, speaker=name[-1])
    return out


def _inverted_speaker(verb: Token, quote: Quote) -> Token | None:
    """The speaker after a verb that follows its quotation: “Meh,” wrote a Trump supporter.

    Why: the parser often takes the quotation's first word for the subject and the speaker
    after the verb for its object; a subject inside the quotation is never the speaker.
    """
    speaker = subject(verb)
    if speaker is not None and not quote.start <= speaker.idx < quote.end:
        return None
    obj = direct_object(verb)
    return obj if obj is not None and obj.pos_ in ("NOUN", "PROPN") else None


def attach_quotes(
    doc: Doc, quotes: list[Quote], cues: list[Cue], *, skip: frozenset[int] = frozenset()
) -> dict[int, int]:
    """Map quote index -> cue index for quotes that sit right next to a cue clause.

    A cue after a quotation that does not end in ",", "—", "-", "!" or "?" (mostly a full
    stop) does not take it when the cue has content of its own after the quotation:
    "“... stimulus.” Bivens hopes Democrats do not make the same mistake", "“...” Zimmerman
    wrote in the auction description that he plans ..." (often across a paragraph break the
    normalised body joined). Such a quotation continues the run before it or takes the
    running speaker. On PolNeAR train the rule's cases named the gold speaker 1 time in 30;
    a comma-final quotation's following cue with content of its own names it 92 times in
    125, and stays.
    """
    text = doc_text(doc)
    attached: dict[int, int] = {}
    # A cue's clause does not depend on the quote: built once per cue, not once per pair (it
    # walks subtrees; per pair it was a third of claim extraction). Only the clause's words
    # outside the quote are read below: those after its close or before its open.
    # Kept as the sorted offsets of the clause's words and the running largest end among them,
    # so that the nearest word on either side of a quotation is a bisection, not a scan of the
    # clause per (quotation, cue) pair.
    clauses: dict[int, tuple[list[int], list[int]]] = {}
    for qi, quote in enumerate(quotes):
        best: tuple[int, int, int, int] | None = None  # (priority, gap, verb distance, cue)
        opened_by_colon = text[: quote.open].rstrip(" \u00a0")[-1:] == ":"
        for ci, cue in enumerate(cues):
            verb = cue.verb
            if ci in skip or not cue.seed or quote.open <= verb.idx < quote.close:
                continue
            clause = clauses.get(ci)
            if clause is None:
                clause = clauses[ci] = _offsets(_cue_clause(cue))
            starts, reach_ends = clause
            if verb.idx >= quote.close:
                k = bisect_left(starts, quote.close)  # the clause's first word after the close
                if k == len(starts) or names_a_work(text, quote):
                    continue
                gap = text[quote.close : starts[k]]
                prio = 0 if text[quote.end - 1 : quote.end] in ",—-!?" else 1
                if not (quote_starts_clause(text, quote) or prio == 0):
                    continue
                if opened_by_colon and text[quote.end - 1 : quote.end] != ",":
                    continue  # "X interjected: “Is it?” Y said.": the colon's clause speaks
                if prio == 1 and cue.content is not None and cue.content[0] >= quote.close:
                    continue  # "“A.” Bivens hopes Democrats ...": the verb reports its own
            else:
                k = bisect_left(starts, quote.open)  # the clause's words before the open
                if k == 0:
                    continue
                gap = text[reach_ends[k - 1] : quote.open]
                prio = 0 if gap.strip() == ":" else 1
                if not gap.strip() and not quote_ends_clause(text, quote):
                    continue
            if ("\n" in gap.strip(" ") and gap.strip() != ":") or not _PUNCT_GAP.match(gap):
                continue
            if not gap.strip() and _names_in_clause(doc, quote, verb):
                continue
            reach = min(abs(verb.idx - quote.open), abs(verb.idx - quote.close))
            candidate = (prio, len(gap), reach, ci)
            if best is None or candidate < best:
                best = candidate
        if best is not None:
            attached[qi] = best[3]
    return attached


def _offsets(clause: list[Token]) -> tuple[list[int], list[int]]:
    """The clause's word offsets, sorted, and per prefix of them the largest word end."""
    starts, reach_ends, reach = [], [], 0
    for start, end in sorted((t.idx, t.idx + len(t)) for t in clause):
        reach = max(reach, end)
        starts.append(start)
        reach_ends.append(reach)
    return starts, reach_ends


def aside_between_quotes(
    cue: Cue, raw: list[tuple[int, int, bool, Cue]], quotes: list[Quote]
) -> bool:
    """A participial cue in the narration between two pieces of one quotation run.

    Why: in "“A,” X said, emphasizing B. “C.”" the run A..C is one direct claim, and B lies
    inside its span without being quoted: it is a claim of its own, not a repeat of the quote.
    Only a participle ("emphasizing", "adding", "referring to") counts: other contents inside
    a run were mostly its own words reported again.
    """
    if cue.content is None or cue.verb.tag_ != "VBG":
        return False
    start, end = cue.content
    runs = [direct for s, e, direct, _ in raw if s <= start and end <= e]
    return all(runs) and not any(q.open < end and start < q.close for q in quotes)


def _names_in_clause(doc: Doc, quote: Quote, verb: Token) -> bool:
    """The quotation names something in the cue's own clause ("said on “Fox and Friends.”").

    Why: a title quoted right after a reporting verb's prepositional phrase is no content;
    taking it as one splits the quotation around it.
    """
    if verb.idx >= quote.open or verb.lemma_.casefold() not in CUE_LEMMAS:
        return False
    lead = doc_text(doc)[verb.idx : quote.open].rstrip(" \u00a0")
    mark = lead[-1:]
    if mark and not (mark.isalnum() or mark in "’'"):
        return False  # ", “...": a quotation introduced by punctuation is content
    if lead.endswith(("’s", "'s")):
        return True  # "on Fox News’s “Fox and Friends.”": a possessed title names a work
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    node = span.root
    for _ in range(6):
        if node.head == node or node.head.i < verb.i:
            return False
        if node.head == verb:
            return node.dep_ in ("prep", "npadvmod") or (
                node.dep_ == "pobj" and node.head.dep_ == "prep"
            )
        if node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head == verb:
            return True
        node = node.head
    return False


def within_attribution(doc: Doc, quote: Quote, cue: Cue) -> bool:
    """The quotation sits inside the cue's own clause: its speaker or its verb governs it."""
    if not cue.cue[0] - 200 < quote.open < cue.cue[1] + 200:
        return False
    if doc_text(doc)[: quote.open].rstrip(" \u00a0")[-1:] in (",", ":", "—", "\n", ""):
        return False
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    stops = {cue.verb.i} | ({cue.speaker.i} if cue.speaker is not None else set())
    return any(anc.i in stops for anc in span.root.ancestors)


def resumes(text: str, last_end: int, quote: Quote, cue: Cue) -> bool:
    """The quotation resumes the previous one around its cue: “A,” he said, [aside,] “B”."""
    if not (last_end <= cue.cue[0] and cue.cue[1] <= quote.open):
        return False
    between = text[last_end : quote.open]
    if re.search(r"[.!?;]", between[2:]) or len(between.split()) > 15:
        return False
    return between.rstrip().endswith((",", " but", " and", "—"))


def quote_or_clause(text: str, quote: Quote, cue: Cue) -> tuple[int, int, bool, Cue]:
    """The claim of a quotation attached to ``cue``: the quote, or the clause it is part of.

    Why: a quotation woven into reported speech ("Trump said that “a bomb” had gone off",
    "Not paying taxes “makes me smart,” Trump said", "So when ..., he said, “we were
    floored.”") is annotated as one attribution whose content is the whole clause; only a
    quotation that makes up the content on its own is a direct claim.
    """
    if cue.content is not None:
        start, end = cue.content
        if text[: quote.open].rstrip()[-1:] == ":":
            pass  # "X declared the need for ...: “...”": the quotation is the claim
        elif _introduced_whole(text, quote, start):
            pass  # "X wrote, “A,” and shared a link": what follows is the narration's
        elif start <= quote.start and quote.end <= end + 1:
            outside = text[start : quote.open] + " " + text[quote.close : end]
            if len(re.findall(r"\w+", outside)) >= 3:
                return (start, max(end, quote.end), False, cue)
    return (quote.start, quote.end, True, cue)


def _introduced_whole(text: str, quote: Quote, start: int) -> bool:
    """A quotation a comma introduces and its own comma closes, with nothing of it before.

    Why: in "Canova wrote to his followers, “It's time to end her career,” and shared a
    link", "According to Woodward, “...,” presumably meaning ..." and "X interjected, “...,”
    who proceeded to ..." the parse hangs the narration after the quotation on the cue's
    content, which made the claim a clause; the quotation alone is what was said.
    """
    return (
        not re.search(r"\w", text[start : quote.open])
        and text[: quote.open].rstrip(" \u00a0")[-1:] == ","
        and text[quote.end - 1 : quote.end] == ","
    )
