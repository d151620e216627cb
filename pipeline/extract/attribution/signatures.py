"""Attributions without a verb: headline labels, transcript turns, dashed signatures.

Rules: "Sanders: Clinton needs ..." headlines, "PENCE: ..." turns of a transcript, a quotation
signed "— Name" on its line or the next, and the running speaker a stand-alone quotation
inherits from the nearest cue before it.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from pipeline.extract.attribution.content import trim
from pipeline.extract.attribution.cues import Cue
from pipeline.extract.attribution.quotes import Quote
from pipeline.extract.doccache import doc_text
from pipeline.extract.tokens import same_para

_HEADLINE_LABEL = re.compile(r"^([A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*){0,3}): +(?=\S)")


def headline_cue(doc: Doc) -> Cue | None:
    """A headline that credits its claim with a name and a colon: "Sanders: Clinton needs ...".

    Why: the "Name: what they said" headline is a common attribution the verb patterns never
    see. The label must be a short title-cased name, not a shouted kicker ("BUSTED:") nor a
    rubric ("The Latest:"); the content is the rest of the headline.
    """
    text = doc_text(doc)
    line_end = text.find("\n")
    line_end = len(text) if line_end < 0 else line_end
    match = _HEADLINE_LABEL.match(text[:line_end])
    if match is None or match.group(1).isupper() or match.group(1).split()[0] in ("The", "A"):
        return None
    label = doc.char_span(0, match.end(1), alignment_mode="expand")
    colon = doc.char_span(match.end(1), match.end(1) + 1, alignment_mode="expand")
    content = trim(text, match.end(), line_end)
    if label is None or colon is None or len(text[content[0] : content[1]].split()) < 3:
        return None
    cue = (colon.start_char, colon.end_char)
    return Cue(cue, label.root, None, content, colon[0], False, "colon", ":", False)


_SPEAKER_LABEL = re.compile(r"^[\"“]?([A-Z][A-Z’'-]{2,}): +(?=\S)", re.MULTILINE)


def transcript_cues(doc: Doc) -> list[Cue]:
    """Turns of an interview transcript: paragraphs opened by a capitalised speaker label.

    Why: "PENCE: Well, look, ..." attributes the whole turn; a label counts only when it opens
    at least two paragraphs of the article, which tells a transcript from a one-off rubric
    ("UPDATE:", "CORRECTION:").
    """
    text = doc_text(doc)
    matches = list(_SPEAKER_LABEL.finditer(text))
    counts: dict[str, int] = {}
    for match in matches:
        counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    out = []
    for match in matches:
        if counts[match.group(1)] < 2:
            continue
        end = text.find("\n", match.end())
        content = trim(text, match.end(), len(text) if end < 0 else end)
        label = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if label is None or len(text[content[0] : content[1]].split()) < 3:
            continue
        cue = (match.end(1), match.end(1) + 1)
        out.append(Cue(cue, label.root, None, content, label.root, False, "colon", ":", False))
    return out


_DASH_BYLINE = re.compile(r"^[ \u00a0]*(\n[ \u00a0\n]*)?[―—–-]+[ \u00a0]*(?=[A-Z])")


#: Words of a dashed line under a quotation that credits the story, not the quotation.
_CREDIT_LINE = re.compile(
    r"\b(contribut\w*|reporting|assistance|editing|writing|follow|updated|twitter)\b", re.I
)


def dash_byline(doc: Doc, quote: Quote) -> Cue | None:
    """A quotation signed with a dash and a name: “...” ― Karen Bobadilla.

    The signature may also open the next paragraph, as in a list of the day's quotations
    ("“...”⏎⏎-- Then Sen. Barack Obama in a 2008 campaign ad"). There a dashed line is just as
    often a reporter's sign-off ("--Courtney Subramanian"), a credit ("-- CNBC's Christina
    Wilkie contributed") or a section heading ("-- Big Questions:"), so it signs the quotation
    only when the quotation is a paragraph of its own and the line names a person within its
    first words ("Email from drug-industry lobbyist Bryant Hall") and goes on to say who they
    are or where they spoke.
    """
    text = doc_text(doc)
    match = _DASH_BYLINE.match(text[quote.close : quote.close + 40])
    if match is None:
        return None
    name_start = quote.close + match.end()
    if match.group(1):
        first = _signature_name(doc, quote, name_start)
        if first is None:
            return None
    else:
        span = doc.char_span(name_start, name_start + 1, alignment_mode="expand")
        if span is None or span[0].pos_ != "PROPN":
            return None
        first = span[0]
    last = first
    while (
        last.i + 1 < len(doc)
        and doc[last.i + 1].pos_ == "PROPN"
        and same_para(first, doc[last.i + 1])
    ):
        last = doc[last.i + 1]
    name = doc[first.i : last.i + 1]
    dash_start = quote.close + len(match.group()) - len(match.group().lstrip(" \u00a0\n"))
    dash = text[dash_start:].split(None, 1)[0] if text[dash_start:].strip() else "-"
    dash_span = doc.char_span(dash_start, dash_start + 1, alignment_mode="expand")
    verb = dash_span[0] if dash_span is not None else first
    return Cue(
        (dash_start, dash_start + len(dash.rstrip(" \u00a0"))), name.root, None, None, verb, False
    )


def _signature_name(doc: Doc, quote: Quote, name_start: int) -> Token | None:
    """The first token of the person a dashed line under a stand-alone quotation names."""
    text = doc_text(doc)
    line_end = text.find("\n", name_start)
    line = text[name_start : line_end if line_end >= 0 else len(text)]
    para_start = text.rfind("\n", 0, quote.open) + 1
    para_end = text.find("\n", quote.close)
    after = text[quote.close : para_end if para_end >= 0 else len(text)]
    if (
        text[para_start : quote.open].strip()
        or after.strip(" \u00a0.,")
        or _CREDIT_LINE.search(line)
    ):
        return None
    span = doc.char_span(name_start, name_start + len(line), alignment_mode="contract")
    if span is None or span[0].pos_ in ("ADP", "CCONJ", "SCONJ", "DET", "PRON"):  # "— In Nashville"
        return None
    for ent in span.ents:
        if ent.label_ != "PERSON":
            continue
        ends_line = not line[ent.end_char - name_start :].strip(" \u00a0.,")
        possessive = ent.end < len(doc) and doc[ent.end].tag_ == "POS"
        if ent.start - span.start < 8 and not ends_line and not possessive:
            return ent[0]
        break
    return None


def preceding_cue(cues: list[Cue], quote: Quote, *, window: int = 400) -> Cue | None:
    """The nearest cue with a speaker before a stand-alone quotation (the running speaker)."""
    before = [
        c
        for c in cues
        if c.seed and c.speaker is not None and quote.open - window < c.cue[1] <= quote.open
    ]
    return max(before, key=lambda c: c.cue[1]) if before else None


_FROM_INTRO = re.compile(
    r"(?:^|\n)[ \u00a0]*(?:(?:And|Also|Plus|But),? )?(from) ([^\n:“”\"]{2,80}?):[ \u00a0]*$"
)


def from_intro(doc: Doc, quote: Quote) -> Cue | None:
    """A quotation introduced by "And from X:" on its own line or paragraph.

    Why: round-ups of reactions credit each quotation with a bare "from" and a colon ("And from
    Senator Mark Olsen: “...”"); no verb governs the quotation, so the cue patterns never see
    it. The speaker is the named person or body (the last proper noun of the phrase, else its
    head).
    """
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, quote.open) + 1
    match = _FROM_INTRO.search(text, max(0, line_start - 1), quote.open)
    if match is None:
        return None
    phrase = doc.char_span(match.start(2), match.end(2), alignment_mode="expand")
    if phrase is None or not len(phrase):
        return None
    names = [t for t in phrase if t.pos_ == "PROPN"]
    speaker = names[-1] if names else phrase.root
    word = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
    verb = word[0] if word is not None and len(word) else speaker
    return Cue((match.start(1), match.end(1)), speaker, None, None, verb, False, "colon", "from")
