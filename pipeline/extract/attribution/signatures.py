"""Attributions without a verb: headline labels, transcript turns, dashed signatures.

Rules: "Sanders: Clinton needs ..." headlines, "PENCE: ..." turns of a transcript, a quotation
signed "— Name" on its line or the next, a digest's quoted excerpt under its headline
("HEADLINE “...” [WaPo.]"), a quotation a colon opens ("X fired back: “...”") or a short
clause follows ("“...,” X barked") whatever the verb, and the running speaker a stand-alone
quotation inherits from the nearest cue before it.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from pipeline.extract.attribution.content import trim
from pipeline.extract.attribution.cues import Cue
from pipeline.extract.attribution.lexicon import COLON_NON_SPEAKERS, RUBRIC_WORDS
from pipeline.extract.attribution.quotes import Quote, quote_starts_clause
from pipeline.extract.doccache import doc_text
from pipeline.extract.tokens import para_start, same_para, subject

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


#: Capitals, accented ones included ("JUAN GONZÁLEZ").
_CAPS = "A-ZÀ-ÖØ-Þ"
_SPEAKER_LABEL = re.compile(
    rf"^[\"“]?(?P<label>[{_CAPS}][{_CAPS}’'-]{{2,}}"
    rf"|[{_CAPS}][{_CAPS}’'.-]+(?: [{_CAPS}][{_CAPS}’'.-]+){{1,3}})"
    rf"(?:, [{_CAPS}][{_CAPS}’'. -]+)?: +(?=\S)",
    re.MULTILINE,
)


def transcript_cues(doc: Doc) -> list[Cue]:
    """Turns of an interview transcript: paragraphs opened by a capitalised speaker label.

    Why: "PENCE: Well, look, ..." attributes the whole turn. An article is a transcript when
    one label (by its last word) opens at least two of its paragraphs, which tells it from a
    one-off rubric ("UPDATE:", "CORRECTION:"); then every label opens a turn, a guest's one
    answer too. A label may be a full name and a role ("AMY GOODMAN:",
    "ROBERT SIEGEL, HOST:", then "SIEGEL:"), but holds no rubric's word
    (:data:`~.lexicon.RUBRIC_WORDS`): "SEE ALSO:" and "FILE PHOTO:" repeat too. Before
    full-name labels were read, every turn of a Democracy Now or NPR transcript (AllSides
    4k: 177 articles) was the narration of no one: its "I think" took the last person
    cited, whoever was speaking.
    """
    text = doc_text(doc)
    matches = [
        m
        for m in _SPEAKER_LABEL.finditer(text)
        if not any(word.casefold() in RUBRIC_WORDS for word in m.group("label").split())
    ]
    counts: dict[str, int] = {}
    for match in matches:
        surname = match.group("label").split()[-1]
        counts[surname] = counts.get(surname, 0) + 1
    if not counts or max(counts.values()) < 2:
        return []
    out = []
    for match in matches:
        end = text.find("\n", match.end())
        content = trim(text, match.end(), len(text) if end < 0 else end)
        label = doc.char_span(match.start("label"), match.end("label"), alignment_mode="expand")
        if label is None or len(text[content[0] : content[1]].split()) < 3:
            continue
        colon = text.rindex(":", match.start(), match.end())
        cue = (colon, colon + 1)
        out.append(Cue(cue, label.root, None, content, label.root, False, "colon", ":", False))
    return out


#: An embedded tweet's signature: a dash, the account's name, its handle and the date
#: ("— Donald J. Trump (@realDonaldTrump) July 28, 2017").
_TWEET_SIGNATURE = re.compile(
    r"(?P<dash>[―—–-]+)[ \u00a0]*(?P<name>[^\n()@―—–/]{1,60}?)[ \u00a0]*\(@\w{1,30}\)[ \u00a0]*"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4}"
)
#: Where an embedded tweet's text opens in its paragraph: after a tag or an earlier tweet.
_TWEET_OPENING = re.compile(r"<tweet[^>\n]*>|\(@\w{1,30}\)[ \u00a0]*\w+ \d{1,2}, \d{4}\S*")
#: The links a tweet's text ends in ("pic.twitter.com/VTOs2BoZFB", "https://t.co/daC7Qr7ZhZ").
_TRAILING_LINKS = re.compile(r"(?:[ \u00a0]*(?:pic\.twitter\.com/\S+|https?://\S+))+[ \u00a0]*$")


def embedded_tweets(doc: Doc) -> list[Cue]:
    """Tweets embedded in the article, each a claim of its account ("... — Name (@handle) Date").

    Why: a scraped embed keeps the tweet's text and its signature line, without quotation
    marks, so the text was nobody's claim, and its "I" the writer's or the last person
    cited's (AllSides 4k: 687 embeds in 297 articles). The content is the text from its
    paragraph's start (or the tag or tweet before it) to the dash, less trailing links; a
    tweet in quotation marks is left to the quotation's signature (:func:`dash_byline`).
    """
    text = doc_text(doc)
    out = []
    for match in _TWEET_SIGNATURE.finditer(text):
        start = para_start(text, match.start())
        for opening in _TWEET_OPENING.finditer(text, start, match.start()):
            start = opening.end()
        links = _TRAILING_LINKS.search(text, start, match.start())
        content = trim(text, start, links.start() if links is not None else match.start())
        body = text[content[0] : content[1]]
        if len(body.split()) < 3 or body[:1] in "\"“'‘":
            continue
        name_start, name_end = _account_name(text, match)
        name = doc.char_span(name_start, name_end, alignment_mode="expand")
        dash = doc.char_span(match.start("dash"), match.end("dash"), alignment_mode="expand")
        if name_end <= name_start or name is None or dash is None:
            continue
        cue = (match.start("dash"), match.end("dash"))
        out.append(Cue(cue, name.root, None, content, dash[0], False, "colon", "—", False))
    return out


def tweet_author(text: str, dash: int) -> tuple[int, int] | None:
    """The account name signing the embedded tweet whose dash is at ``dash``, as a span.

    Why: the speaker is the name as signed. The parse runs it into the link before the dash
    ("https://t.co/... — Yashar Ali") or the emoji after it.
    """
    match = _TWEET_SIGNATURE.match(text, dash)
    return _account_name(text, match) if match is not None else None


def _account_name(text: str, match: re.Match[str]) -> tuple[int, int]:
    """The span of ``match``'s account name, less the emoji or marks after it ("Matt Couch 🎙")."""
    start, end = match.span("name")
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    return start, end


def turn_label(text: str, colon: int) -> tuple[int, int] | None:
    """The speaker label of the turn whose colon is at ``colon`` ("AMY GOODMAN"), as a span.

    Why: the turn's speaker is the whole label. The parse of a line in capitals is erratic,
    and the noun phrase of its head was "SEN" of "SEN. LINDSEY GRAHAM:" or "AMY" of "AMY
    GOODMAN:".
    """
    match = _SPEAKER_LABEL.match(text, para_start(text, colon))
    if match is None or text.rindex(":", match.start(), match.end()) != colon:
        return None
    return match.start("label"), match.end("label")


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
    are or where they spoke, or the name alone ends in a full stop ("- Sanders.": a sign-off
    has none).
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
    para_end = text.find("\n", quote.close)
    after = text[quote.close : para_end if para_end >= 0 else len(text)]
    if (
        text[para_start(text, quote.open) : quote.open].strip()
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
        rest = line[ent.end_char - name_start :].strip(" \u00a0")
        ends_line = not rest.strip(".,") and rest != "."  # "- Sanders." signs; "--Name" may not
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
    line_start = para_start(text, quote.open)
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


def colon_intro(doc: Doc, quote: Quote) -> Cue | None:
    """The clause or label a colon opens a quotation with, where no reporting verb governs it.

    Why: "Rubio fired back forcefully: “...”", "Hoff’s letter makes a libertarian-style case:
    “...”", "17-year-old Jared Potts echoed:⏎⏎“...”" and labels ("Clinton: “...”",
    "HEADLINE - Philip Bump: “...”") credit the quotation to the clause's subject or to the
    label, whatever the verb; without a listed cue such a quotation took the running speaker
    of an earlier cue. The colon must end the text before the quotation (on its line, or the
    line before when the quotation is a paragraph of its own).
    """
    text = doc_text(doc)
    before = text[: quote.open].rstrip(" \u00a0")
    if before.endswith("\n"):
        para_end = text.find("\n", quote.close)
        if text[quote.close : para_end if para_end >= 0 else len(text)].strip(" \u00a0.,"):
            return None  # across a paragraph break only a quotation of its own paragraph
        before = before.rstrip(" \u00a0\n")
    if not before.endswith(":"):
        return None
    colon = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if colon is None or not len(colon):
        return None
    line_start = para_start(before, len(before))
    label = _label_speaker(doc, line_start, len(before) - 1)
    speaker = label or _clause_speaker(colon[0], line_start)
    if speaker is None:
        return None
    return Cue(
        (colon.start_char, colon.end_char), speaker, None, None, colon[0], False, "colon", ":"
    )


_DASHED_LABEL = re.compile(r"\s[―—–-]+\s*([A-Z][^\n:“”\"―—–]{0,80})$")
_LINE_LABEL = re.compile(r"([A-Z][^\n:“”\"]{0,80})$")


def _label_speaker(doc: Doc, line_start: int, colon: int) -> Token | None:
    """The last proper noun of a short title-case label before the colon: "Rep. X (R-S.C.):"."""
    text = doc_text(doc)
    # "HEADLINE - Philip Bump:" names the one after the dash; else the whole line is the label
    match = _DASHED_LABEL.search(text, line_start, colon) or _LINE_LABEL.match(
        text, line_start, colon
    )
    if match is None or len(match.group(1).split()) > 8:
        return None
    span = doc.char_span(match.start(1), colon, alignment_mode="contract")
    if span is None or any(t.pos_ in ("VERB", "AUX") for t in span):
        return None
    names = [
        t
        for t in span
        if t.pos_ == "PROPN" and not any(p.text == "(" for p in span[: t.i - span.start])
    ]
    return names[-1] if names else None


def _clause_speaker(colon: Token, line_start: int) -> Token | None:
    """The subject of the clause the colon closes (or, inverted, "Stated Stone:", its object)."""
    sent = colon.sent
    heads = [
        t
        for t in sent
        if t.i < colon.i
        and t.idx >= line_start
        and t.pos_ in ("VERB", "AUX")
        and (t.head == t or t.head.i >= colon.i or t.head.i < sent.start or t.head.idx < line_start)
    ]
    if not heads:
        return None
    verb = heads[-1]
    while True:  # "X made the allegations, and Y responded:": the last conjoined clause
        later = [c for c in verb.children if c.dep_ == "conj" and verb.i < c.i < colon.i]
        if not later or later[-1].pos_ not in ("VERB", "AUX"):
            break
        verb = later[-1]
    speaker = subject(verb)
    if speaker is None:
        objects = [c for c in verb.children if c.dep_ in ("dobj", "attr") and c.pos_ == "PROPN"]
        speaker = objects[0] if objects else None
    if speaker is None or speaker.lower_ in COLON_NON_SPEAKERS or speaker.i > colon.i:
        return None
    return speaker


_TRAILER = re.compile(r"[ \u00a0]*[^\n.!?“”\"]{1,80}?[.!?\n]")
_FINITE = frozenset({"VBD", "VBZ", "VBP"})
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON", "NUM"})


def trailing_attribution(doc: Doc, quote: Quote) -> Cue | None:
    """The short clause after a quotation ending in ",", "?" or "!", whatever its verb.

    Why: "“Go back to Univision,” Trump barked", "“...,” the editorial read", "“...?” Beck
    questioned", "“...,” opined Cleveland's Plain Dealer" credit the quotation to the noun
    phrase beside the verb; without a listed cue (or with a misparse: "Trump" taken for a
    compound of "barked") such a quotation took the running speaker of an earlier cue. The
    clause must end its sentence within a few words; the speaker is the first noun phrase
    before the verb, or, inverted, the one after it.
    """
    text = doc_text(doc)
    if text[quote.end - 1 : quote.end] not in (",", "?", "!") or not quote_starts_clause(
        text, quote
    ):
        return None
    match = _TRAILER.match(text, quote.close)
    if match is None:
        return None
    span = doc.char_span(quote.close, match.end() - 1, alignment_mode="contract")
    if span is None or not len(span) or len(span) > 10:
        return None
    verbs = [
        t
        for t in span
        if t.pos_ in ("VERB", "AUX")
        and (t.tag_ in _FINITE or (t.tag_ == "VBN" and t.i > span.start))  # "Trump barked"
    ]
    if not verbs or any(t.text == "," for t in span[: verbs[0].i - span.start]):
        return None
    verb = verbs[0]
    before = span[: verb.i - span.start]
    after = span[verb.i - span.start + 1 :]
    words = before if len(before) else after
    speaker = _first_noun_run(words)
    if speaker is None:
        return None
    return Cue((verb.idx, verb.idx + len(verb)), speaker, None, None, verb, False)


def _first_noun_run(words: Span) -> Token | None:
    """The last word of the first run of nouns ("a Democratic staffer in the room": staffer)."""
    run: Token | None = None
    for token in words:
        if token.pos_ in _NOMINAL or (token.pos_ == "DET" and token.lower_ in ("another", "one")):
            run = token
        elif run is not None:
            break
    return run


_CITED = re.compile(r"[ \u00a0]*\[[^\]\n]{1,40}\][ \u00a0]*(?:\n|$)")


def digest_excerpt(doc: Doc, quote: Quote) -> Cue | None:
    """A news digest's item: a capitalised headline, a quoted excerpt, a bracketed outlet.

    Why: "UN: PEACEKEEPERS PAYING 13-YEAR-OLDS FOR SEX “The United Nations has been ...”
    [WaPo.]" (a morning newsletter's list of stories) quotes the story the headline names;
    no verb governs the excerpt, so it was no claim at all. The gold credits the headline
    (PolNeAR train: 6 of 7 such items). The excerpt must follow the headline on its line and
    the bracket must end the paragraph.
    """
    text = doc_text(doc)
    cited = _CITED.match(text, quote.close)
    if cited is None:
        return None
    line_start = para_start(text, quote.open)
    headline = text[line_start : quote.open]
    if not re.search(r"[A-Z]{2}", headline) or re.search(r"[a-z]", headline):
        return None
    words = doc.char_span(line_start, quote.open, alignment_mode="contract")
    if words is None or not len(words):
        return None
    speaker = next((t for t in reversed(words) if not t.is_punct and not t.is_space), None)
    bracket = text[quote.close : cited.end()].strip(" \u00a0\n")
    start = text.index(bracket, quote.close)
    mark = doc.char_span(start, start + 1, alignment_mode="expand")
    if speaker is None or mark is None or not len(mark):
        return None
    return Cue((start, start + len(bracket)), speaker, None, None, mark[0], False, "colon", "[")
