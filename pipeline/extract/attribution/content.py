"""Content spans: what a cue reports, read off the dependency parse.

Rules over the parse: the clausal complement of a verb cue ("said that ..."), the clause that
governs it ("X is so, he said"), the sentence around a parenthetical attribution, the clause of
"according to X", a prepositional or direct object. Each cuts trailing asides (relative
clauses, appositions, parataxis). Which cue candidates are kept is learned
(:mod:`pipeline.extract.attribution.model`); the spans themselves are these rules.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from pipeline.extract.attribution.lexicon import CUE_LEMMAS
from pipeline.extract.attribution.quotes import OPEN_QUOTES
from pipeline.extract.doccache import doc_text
from pipeline.extract.speaker_names import RELATIVE_PRONOUNS
from pipeline.extract.tokens import char_span, same_para, subject, subtree

_TRIM_CHARS = " \t\r\n,;:—–-."


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without surrounding spaces, commas, colons, dashes and full stops."""
    while start < end and text[start] in _TRIM_CHARS:
        start += 1
    while end > start and text[end - 1] in _TRIM_CHARS:
        end -= 1
    return start, end


def complement(verb: Token) -> Token | None:
    """The clausal complement of a cue: after it ("said that ..."), else before ("..., X said")."""
    before = None
    for child in verb.children:
        if child.dep_ not in ("ccomp", "xcomp"):
            continue
        if child.i > verb.i and same_para(child, verb):
            return child
        if child.dep_ == "ccomp" and child.i < verb.i:
            # a complement rooted in an earlier paragraph ("AP reports:\n\n..., X said") is
            # a parse across the break: its part in the verb's paragraph is the content
            before = child
    return before


def pruned(root: Token, anchor: Token) -> list[Token]:
    """Subtree of ``root`` without trailing asides (", who ...", ", saying", parataxis).

    Why: a coordinated clause stays ("said that A, and that B", "A, but B"): in
    train[200:] cutting it at the comma lost more gold content than it saved. A subjectless
    reporting verb coordinated with the root ("said he would review it and warned ...") is
    cut: the parser hangs the speaker's second cue inside the first one's content, and the
    gold makes it a claim of its own. An apposition or relative clause is an aside only at
    the end: mid-sentence ("make the Shoal, an atoll Beijing grabbed, into a fortress")
    cutting it threw away the rest of the content.
    """
    doc = root.doc
    cut = len(doc)
    last = max((t.i for t in root.subtree if not t.is_punct and not t.is_space), default=root.i)
    root_i = root.i
    for tok in root.subtree:
        i = tok.i
        dep = tok.dep_  # asked first: most words are none of the cut's dependencies
        if i <= root_i or dep not in _CUT_DEPS or i <= tok.head.i:
            continue
        second_cue = (  # "said he would review it and warned ...": the speaker's next claim
            dep == "conj"
            and tok.head == root
            and tok.pos_ == "VERB"
            and tok.lemma_.casefold() in CUE_LEMMAS
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
        )
        if (
            dep == "parataxis"
            or second_cue
            or (
                dep in _ASIDE_DEPS
                and _after_comma(doc, tok.left_edge.i)
                and not (dep == "advcl" and _qualifies(tok))
                and not (dep != "advcl" and tok.right_edge.i < last - 1)
            )
        ):
            cut = min(cut, tok.left_edge.i)
    tokens = [t for t in subtree(root, anchor) if t.i < cut]
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
        tokens.pop()
    return tokens or [root]


#: Dependencies of a word after the root that may cut the content: an aside set off by a comma
#: (:data:`_ASIDE_DEPS`), a parataxis, a coordinated second cue.
_ASIDE_DEPS = frozenset({"relcl", "appos", "acl", "advcl"})
_CUT_DEPS = _ASIDE_DEPS | {"parataxis", "conj"}


def _after_comma(doc: Doc, start: int) -> bool:
    """Whether the phrase starting at token ``start`` follows a comma (or ", and")."""
    return doc[start - 1].text in (",", ";", "--", "—") or (
        doc[start - 1].dep_ == "cc" and doc[start - 2].text == ","
    )


_QUALIFYING_MARKS = frozenset({"when", "because", "if", "since", "unless"})


def _qualifies(clause: Token) -> bool:
    """An adverbial clause that qualifies the claim ("..., when it comes to ...")."""
    return any(c.dep_ == "mark" and c.lower_ in _QUALIFYING_MARKS for c in clause.children)


def _to_verb_pair(comp: Token, conj: Token) -> bool:
    """A bare verb paired with a "to" complement: "declined to threaten Moscow or declare ..."."""
    return (
        comp.dep_ == "xcomp"
        and comp.tag_ == conj.tag_ == "VB"
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children)
    )


def second_complement(verb: Token, comp: Token) -> list[Token]:
    """A second clause coordinated with the first: "said that A, but that B", "to A or B".

    Why: the parser often hangs "but that B" (or "or B" after "to A") on the reporting verb
    instead of on A, which cut the content at the comma; the gold takes both. Keeping it
    gained on dev, train[:200] and train[200:] alike.
    """
    doc = verb.doc
    for conj in verb.children:
        if (
            conj.dep_ == "conj"
            and conj.i > comp.i
            and same_para(conj, verb)
            and doc[conj.left_edge.i - 1].dep_ == "cc"
            and (
                any(c.dep_ == "mark" and c.lower_ == "that" for c in conj.children)
                or _to_verb_pair(comp, conj)
            )
        ):
            return pruned(conj, verb)
    return []


def direct_object(verb: Token) -> Token | None:
    """The verb's direct object after it, in its paragraph."""
    for child in verb.children:
        if child.dep_ == "dobj" and child.i > verb.i and same_para(child, verb):
            return child
    return None


def span_of(tokens: list[Token], doc: Doc) -> tuple[int, int] | None:
    """Trimmed character span from the first token to the last (``None`` when empty)."""
    if not tokens:
        return None
    start, end = char_span(tokens)
    start, end = trim(doc_text(doc), start, end)
    return (start, end) if end > start else None


def outer_content(verb: Token) -> tuple[int, int] | None:
    """Content that governs the cue: "X is so, he said", "X, he said, is Y", "As X writes, Y"."""
    head = verb.head
    if head == verb or not same_para(head, verb):
        return None
    is_as = any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    if verb.dep_ == "advcl" and not is_as:
        return None
    if any(c.dep_ == "mark" and c.lower_ in ("that", "if", "whether") for c in verb.children):
        return None
    if head.lemma_.casefold() in CUE_LEMMAS and not is_as:
        return None
    sub = {t.i for t in verb.subtree}
    doc = verb.doc
    lo, hi = verb.left_edge.i, verb.right_edge.i
    while lo < verb.i and doc[lo].is_punct:
        lo += 1  # the attribution's own commas are children of the verb: look past them
    while hi > verb.i and doc[hi].is_punct:
        hi -= 1
    tokens = [t for t in subtree(head, verb) if t.i not in sub]
    before = [t for t in tokens if t.i < lo]
    after = [t for t in tokens if t.i > hi]
    parenthetical = (
        before
        and after
        and lo > 0
        and doc[lo - 1].text in (",", "--", "—")
        and hi + 1 < len(doc)
        and doc[hi + 1].text in (",", "--", "—")
    )
    if parenthetical and not is_as:
        side = before + after
    elif head.i > verb.i and not is_as:
        return None
    else:
        side = after if is_as and len(after) > len(before) else before
    if len(side) < 3:
        return None
    return span_of(side, doc)


ASIDE_MARKS = (",", "--", "—")


_OWN_CONTENT_DEPS = frozenset({"dobj", "ccomp", "xcomp", "attr", "oprd", "acomp"})


def parenthetical_content(verb: Token) -> tuple[int, int] | None:
    """Content around a cue set off by commas: "The museum, Mr. Bush said, celebrated ...".

    Why: PolNeAR's content is then the whole sentence minus the attribution, but the parser
    hangs the two halves anywhere (the cue as parataxis of the second half, the second half as
    an adverbial of the cue, the first half as a subordinate clause), so the sentence, not the
    tree, is the unit here. Only a subject-first attribution of a few tokens between two
    commas counts ("X, the agency said in a June report, Y").
    """
    subj = subject(verb)
    if subj is None or subj.i > verb.i or subj.lower_ in RELATIVE_PRONOUNS:
        return None
    doc = verb.doc
    lo = subj.left_edge.i
    if lo == 0 or doc[lo - 1].text not in ASIDE_MARKS or verb.i - lo > 8:
        return None
    j = verb.i + 1
    while j < len(doc) and j - verb.i <= 6 and doc[j].text not in ASIDE_MARKS:
        if doc[j].is_sent_start or doc[j].text in ("“", '"', "''", "(") or doc[j].lower_ == "that":
            return None
        own = doc[j].dep_ in _OWN_CONTENT_DEPS
        if own and not (doc[j].dep_ == "dobj" and verb.lemma_ == "tell"):
            return None  # "announced a new strategy, in which ...": the cue has its own content
        j += 1
    if j >= len(doc) or doc[j].text not in ASIDE_MARKS:
        return None
    if j + 1 < len(doc) and doc[j + 1].text in OPEN_QUOTES + '"':
        return None  # "Asked about it, Adelson said, “...”": the quotation is the claim
    sent = verb.sent
    before = [t for t in doc[sent.start : lo - 1] if same_para(t, verb) and not t.is_space]
    after = [t for t in doc[j + 1 : sent.end] if same_para(t, verb) and not t.is_space]
    if after and after[0].head == verb and after[0].dep_ == "advcl" and after[0].tag_ == "VBG":
        return None  # "X is so, Hollande said, noting ...": the attribution goes on; X is all

    if len([t for t in before if not t.is_punct]) < 1 or len(after) < 3:
        return None
    return span_of(before + after, doc)


def according_content(tok: Token) -> tuple[int, int] | None:
    """Content of "according to X": the rest of the clause on the longer side.

    Why: when the phrase hangs on the second of two coordinated clauses ("A, while B,
    according to X"), the gold takes both: climbing from the conjunct to the first clause
    recovered 12 claims in train[200:] and lost none on dev or train[:200].
    """
    sub = {t.i for t in tok.subtree}
    anchor = tok.head if tok.head != tok else tok
    while anchor.dep_ not in ("ROOT",) and anchor.head != anchor and anchor.pos_ != "VERB":
        anchor = anchor.head
    while anchor.dep_ == "conj" and anchor.head.pos_ in ("VERB", "AUX"):
        anchor = anchor.head
    tokens = [t for t in subtree(anchor, tok) if t.i not in sub]
    before = [t for t in tokens if t.i < tok.i]
    after = [t for t in tokens if t.i > tok.i]
    doc = tok.doc
    lo, hi = tok.i, max(sub)
    aside = lo > 0 and doc[lo - 1].text == "," and hi + 1 < len(doc) and doc[hi + 1].text == ","
    if aside and len(before) >= 3 and len([t for t in after if not t.is_punct]) >= 3:
        return span_of(before + after, doc)
    side = before if len(before) >= len(after) else after
    return span_of(side, tok.doc) if len(side) >= 3 else None


#: Prepositions whose object can be a cue's content ("called for X", "talked about X").
_CONTENT_PREPS = frozenset({"for", "about", "to", "on", "of", "against", "over", "as", "with"})


def prep_content(tok: Token) -> tuple[str, Token] | None:
    """The first content-bearing prepositional object after a verb or noun ("for X")."""
    for child in tok.children:
        if child.dep_ == "prep" and child.i > tok.i and child.lower_ in _CONTENT_PREPS:
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None and same_para(obj, tok):
                return child.lower_, obj
    return None
