"""Speakers: the mention of who is cited, and the one source it stands for in the article.

A claim's cue gives a head token ("said" → "Boehner"); this module finds the mention around it
(the noun phrase without appositions or relative clauses) and resolves it to a canonical
:class:`~pipeline.link.sources.SourceRef`, given the sources the article cited before: a
pronoun or a relative "who" to its antecedent, a surname to the full name the article gives,
"the president" to the one person just named President, a role written before a name to the
description, an unnamed phrase ("a senior official") to an anonymous source.

Resolution stays within one article; :func:`pipeline.link.sources.merge_sources` then makes
one source of each person or body across the article's claims.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Token

from pipeline.extract.attribution.lexicon import NON_PERSON_PRONOUNS
from pipeline.extract.attribution.quotes import Quote, in_quotation
from pipeline.extract.doccache import doc_ents, doc_text, entity_at
from pipeline.extract.speaker_names import (
    _OFFICES,
    _PRONOUN_SEX,
    ANONYMOUS_HEADS,
    DOCUMENT_HEADS,
    _is_named_person,
    _is_person_ref,
    _name_titles_role,
    _office_holder,
    _outside_quotation,
    _person_name,
    _relative_antecedent,
    _surname_of_known_person,
    _title_sex,
)
from pipeline.extract.speaker_names import (
    RELATIVE_PRONOUNS as RELATIVE_PRONOUNS,
)
from pipeline.extract.speaker_names import (
    _separates as _separates,
)
from pipeline.extract.tokens import char_span, para_start, same_para, subtree
from pipeline.link.sources import (
    NEWS_KINDS,
    PRONOUNS,
    SourceRef,
    lookup_alias,
    make_ref,
    named_kind,
    normalise_name,
    organisation_kind,
    person_kind,
    strip_titles,
)

# --------------------------------------------------------------------------------------------
# Speaker mentions
# --------------------------------------------------------------------------------------------


def mention_tokens(head: Token) -> list[Token]:
    """The noun phrase of ``head``: no appositions, relative clauses or parentheticals."""
    if head.ent_iob_ != "O" and head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC"):
        ent = entity_at(head)
        if ent is not None:
            left = [t for t in head.lefts if t.dep_ in ("det", "compound", "amod", "poss")]
            start = min([ent.start, *(t.left_edge.i for t in left)])
            role = head.head
            if head.dep_ == "appos" and role.i == ent.start - 1 and role.ent_type_ != "PERSON":
                # "Former Vice President Joe Biden": the parser hung the name on its role
                start = min(start, role.left_edge.i)
            tokens = [t for t in head.doc[start : max(ent.end, head.i + 1)] if same_para(t, head)]
            return _cut_label(_cut_parenthetical(tokens, head), head)
    skip = {"appos", "relcl", "punct", "cc", "conj", "acl", "advcl", "parataxis"}
    keep = [head]
    for child in head.children:
        if child.dep_ in skip and not (child.i < head.i and child.text in "[]"):
            continue  # but keep brackets of an editor's insertion: "the [Western] contractors"
        keep.extend(subtree(child, head))
    keep.sort(key=lambda t: t.i)
    lo = hi = keep.index(head)
    while lo > 0 and keep[lo - 1].i == keep[lo].i - 1:
        lo -= 1
    while hi < len(keep) - 1 and keep[hi + 1].i == keep[hi].i + 1:
        hi += 1
    return _cut_label(_cut_parenthetical(keep[lo : hi + 1], head), head)


def _cut_parenthetical(tokens: list[Token], head: Token) -> list[Token]:
    for k, tok in enumerate(tokens):
        if tok.text in ("(", "[") and k > 0 and tok.i > head.i:
            tokens = tokens[:k]
            break
    # never the head itself: "47% say" is said by "47%", whose head "%" is punctuation to spaCy
    while len(tokens) > 1 and (tokens[-1].is_punct or tokens[-1].is_space) and tokens[-1] != head:
        tokens = tokens[:-1]
    while len(tokens) > 1 and _is_stray(tokens[0]):
        tokens = tokens[1:]
    return tokens or [head]


_LABEL_DASHES = frozenset({"-", "--", "–", "—"})


def _cut_label(tokens: list[Token], head: Token) -> list[Token]:
    """The mention without a label or list number that opens its paragraph.

    Why: the parser hangs a paragraph's label on the subject after it, so the speakers "UPDATE
    II - A quartet of hugely influential Missouri Republicans", "Bottom line - David
    Wildstein" and "2) A majority of registered voters" became sources under those names. A
    label ends at a dash set off by spaces (a hyphen inside "Jean-Pierre" is no dash) before
    the head; a list number is a number and a closing bracket or full stop.
    """
    if not tokens or not _opens_paragraph(tokens[0]):
        return tokens
    cut = 0
    for k, tok in enumerate(tokens):
        if tok.i >= head.i:
            break
        spaced = tok.whitespace_ and k > 0 and tokens[k - 1].whitespace_
        if tok.text in _LABEL_DASHES and spaced:
            cut = k + 1
    if cut == 0 and len(tokens) > 2 and tokens[0].like_num and tokens[1].text in (")", "."):
        cut = 2 if tokens[1].i < head.i else 0
    return tokens[cut:] or tokens


def _opens_paragraph(token: Token) -> bool:
    """Whether nothing but spaces comes before ``token`` in its paragraph."""
    text = doc_text(token.doc)
    start = para_start(text, token.idx)
    return not text[start : token.idx].strip()


def _is_stray(token: Token) -> bool:
    """Punctuation, space or a symbol with no letter or digit, such as a scraped table's "|"."""
    if token.is_currency:  # "$15 organizing director"
        return False
    return token.is_punct or token.is_space or not any(c.isalnum() for c in token.text)


def _description(head: Token) -> str | None:
    """Role from an apposition ("Saad al-Hadithi, a spokesman for the Iraqi government")."""
    for child in head.children:
        if child.dep_ == "appos" and same_para(child, head):
            tokens = _cut_parenthetical(subtree(child, head), child)
            if not tokens or all(t.pos_ in ("PROPN", "PUNCT") for t in tokens):
                continue
            start, end = char_span(tokens)
            return doc_text(head.doc)[start:end]
    return None


# --------------------------------------------------------------------------------------------
# Source resolution within one article
# --------------------------------------------------------------------------------------------

_PERSON_PRONOUNS = frozenset({"he", "she", "i", "him", "her", "his", "my", "me"})

#: A name in capitals of two to five words, as a transcript labels its speakers.
_CAPITALS_LABEL = re.compile(r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ’'.-]+(?: [A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ’'.-]+){1,4}")


def _opens_label(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` opens its paragraph as a label ("AMY GOODMAN:", "X, HOST:")."""
    return text[end : end + 1] in (":", ",") and not text[para_start(text, start) : start].strip(
        '"“ '
    )


#: First-person pronouns that, outside any quotation, stand for the writer.
#:
#: Why: "I" and "me" took the last person cited, like "he". In columns, letters and analyses
#: that is someone the writer quotes or argues with: "I think something similar has been at
#: the root of Trump's success" (National Review) was Paul Begala's, "Now I am not making the
#: argument that Joe Biden needed to rank in the top half" (an op-ed) Joe Biden's (AllSides 4k:
#: 1,749 such claims, about two in three of a sample of 14 wrong). Outside a quotation the
#: writer speaks, whom the text does not name: the claim keeps "I" as an anonymous source.
#: Inside one ("“I want to be that champion,” she said") the speaker is resolved as before.
#: Either way, a claim inside another claim's words is that claim's speaker's
#: (:func:`first_person`).
WRITER_PRONOUNS = frozenset({"i", "me", "my"})


def first_person(
    surface: str,
    start: int,
    cue: int,
    voiced: Sequence[tuple[int, int, SourceRef]],
    quotes: list[Quote],
) -> SourceRef | None:
    """Who a first-person speaker ``surface`` at ``start`` is, or None to resolve it as a pronoun.

    The speaker of the innermost claim so far (``voiced``: content span and source) whose
    content holds the cue at ``cue``; else, outside all of ``quotes``, the writer.

    Why: "I" is whoever speaks the words it is in. "“Everyday Americans need a champion, and I
    want to be that champion,” she said" nests a claim of "I want" in Hillary Clinton's
    quotation; "I think hydraulic fracking can be done safely, Salazar said" one in
    Salazar's reported words. Resolved as a pronoun, that "I" took the last person cited
    before it ("ORC Poll"), wherever its own speaker was named after it.
    """
    inside = [(end - begin, ref) for begin, end, ref in voiced if begin <= cue < end]
    if inside:
        return replace(min(inside, key=lambda pair: pair[0])[1], surface=surface)
    if not in_quotation(quotes, start):
        # "I think ..." outside any quotation is the writer's: not the last person cited
        return make_ref(surface, "anonymous", None, surface)
    return None


def _cited_person(refs: list[SourceRef], name: str) -> SourceRef | None:
    """The latest person already cited under ``name``, whose kind and role a mention keeps."""
    return next((r for r in reversed(refs) if r.name == name and _is_person_ref(r)), None)


def resolve_speaker(
    start: int,
    end: int,
    head: Token,
    history: list[tuple[int, SourceRef]],
    outlet: str | None,
) -> SourceRef:
    """Resolve one speaker mention to a canonical source, given the article's earlier sources.

    Args:
        start: Mention start offset.
        end: Mention end offset.
        head: Syntactic head of the mention.
        history: (offset, source) of the sources resolved so far in the article, in order.
        outlet: The article's own outlet, if known.
    """
    doc = head.doc
    surface = doc_text(doc)[start:end]
    lower = surface.casefold()
    antecedent = _relative_antecedent(head)
    if antecedent is not None:
        a_start, a_end = char_span(mention_tokens(antecedent))
        resolved = resolve_speaker(a_start, a_end, antecedent, history, outlet)
        return replace(resolved, surface=surface)
    description = _description(head)
    if lower in PRONOUNS or head.pos_ == "PRON":
        want_person = lower in _PERSON_PRONOUNS
        candidates = [(pos, ref) for pos, ref in history if pos < start]
        if want_person:
            # a named person earlier in the same sentence, outside the quotation it says
            sent_start = head.sent.start_char
            for ent in reversed(doc_ents(doc)):
                if (
                    sent_start <= ent.start_char < start
                    and _is_named_person(ent)
                    and _outside_quotation(ent, start)
                ):
                    name = _person_name(ent.text, [r for _, r in history], doc)
                    candidates.append((ent.start_char, make_ref(name, "person", None, ent.text)))
                    break
            candidates = [c for c in candidates if _is_person_ref(c[1])]
            sex = _PRONOUN_SEX.get(lower)
            if sex is not None:
                text = doc_text(doc)
                agreeing = [c for c in candidates if _title_sex(text, c[1].name) in (None, sex)]
                candidates = agreeing or candidates
        else:
            bodies = [c for c in candidates if not _is_person_ref(c[1])]
            candidates = bodies if bodies or lower in NON_PERSON_PRONOUNS else candidates
        if candidates:
            _, ref = max(candidates, key=lambda c: c[0])
            return replace(ref, surface=surface)
        if want_person:
            for ent in reversed(doc_ents(doc)):
                if ent.end_char <= start and _is_named_person(ent):
                    name = _person_name(ent.text, [r for _, r in history], doc)
                    return make_ref(name, "person", None, surface)
        return make_ref(surface, "anonymous", None, surface)
    alias = lookup_alias(surface)
    if alias is not None:
        return make_ref(alias[0], alias[1], description, surface)
    refs = [r for _, r in history]
    if _CAPITALS_LABEL.fullmatch(surface) and _opens_label(doc_text(doc), start, end):
        # a transcript's speaker label ("AMY GOODMAN:"), which the tagger leaves untagged:
        # a person, named as the prose would name them ("Amy Goodman")
        bare, titles = strip_titles(surface.title())
        name = _person_name(bare, refs, doc)
        return make_ref(name, person_kind(titles, description), description, surface)
    reporter = _outlet_person(head, start, end) or _named_after_role(head, start, end)
    if reporter is not None:  # "NPR's Philip Reeves": the person, the outlet their role
        name_start, name_end, written_role = reporter
        bare, titles = strip_titles(doc_text(doc)[name_start:name_end])
        name = _person_name(bare, refs, doc)
        base = _cited_person(refs, name)
        if base is not None:
            return replace(base, surface=surface)
        role = description or written_role
        return make_ref(name, person_kind(titles, role), role, surface, individual=True)
    if outlet and normalise_name(surface) == normalise_name(outlet):
        return make_ref(outlet, "media", description, surface)
    ent_label = head.ent_type_ if head.ent_iob_ != "O" else ""
    if (
        ent_label == "PERSON"
        or (
            head.pos_ == "PROPN"
            and not ent_label
            and head.text[:1].isupper()
            and len(surface.split()) <= 4
            and not any(t.pos_ == "NOUN" for t in head.lefts)
        )
        or _surname_of_known_person(surface, head, refs)
    ):
        bare, titles, role = _name_titles_role(head, start, end)
        name = _person_name(bare, refs, doc)
        base = _cited_person(refs, name)
        if base is not None and name != bare:
            return replace(base, surface=surface)
        description = description or role
        kind = person_kind(titles, description)
        return make_ref(name, kind, description, surface, individual=True)
    name = re.sub(r"^(the|The)\s+", "", surface)
    name = re.sub(r"['’]s$", "", name)
    if ent_label in ("ORG", "GPE", "FAC") or head.pos_ == "PROPN":
        kind = "government" if ent_label == "GPE" else organisation_kind(name)
        return make_ref(name, kind, description, surface)
    lemma = head.lemma_.casefold()
    # "many of them" keeps its quantifier: "of them" names no one
    bare_np = re.sub(
        r"^(the|a|an|another|some|several|many|two|three|one|other)\s+(?!of\b)",
        "",
        surface,
        flags=re.I,
    )
    definite = lower.startswith(("the ", "this ", "that ", "these ", "those "))
    office = definite and lemma in _OFFICES and head.tag_ != "NNS"
    holder = _office_holder(head, start, refs) if office else None
    if holder is not None:
        base = _cited_person(refs, holder)
        if base is not None:
            return replace(base, surface=surface)
        kind = person_kind((lemma,), description)
        return make_ref(holder, kind, description, surface, individual=True)
    if definite:
        # a definite nominal ("the spokesman", "the contractors") refers back to a source
        # whose name or role has the word, as a word: "the industry" is no "drug-industry
        # lobbyist", nor "the men" Paul Manafort
        word = re.compile(
            rf"(?<![\w-])(?:{re.escape(lemma)}|{re.escape(head.lower_)})(?:e?s|['’]s)?\b"
        )
        for _, ref in reversed(history):
            if word.search(f"{ref.name} {ref.description or ''}".casefold()):
                return replace(ref, surface=surface)
    if office:  # no one holds it, or two do: an unnamed office holder
        return make_ref(bare_np, "anonymous", description or bare_np, surface)
    if lemma in DOCUMENT_HEADS:
        return make_ref(bare_np, "document", description, surface)
    bare_np = " ".join(bare_np.replace("[", " ").replace("]", " ").split())
    if (
        lemma in ANONYMOUS_HEADS
        or lemma in _OFFICES  # "a president hoping to show progress": someone unnamed
        or (head.tag_ == "NNS" and organisation_kind(bare_np) != "media")
    ):
        return make_ref(bare_np, "anonymous", description or bare_np, surface)
    return make_ref(bare_np, organisation_kind(bare_np), description, surface)


def _outlet_person(head: Token, start: int, end: int) -> tuple[int, int, str] | None:
    """Where the name is in "Outlet's First Last", and the outlet's name, if it is one.

    Why: the small model tags "NPR's Philip Reeves" and "ABC News' Jake Tapper" as one
    organisation, or only "Jay" of "Weekly Standard's Jay Cost" as a person, so journalists
    cited with their outlet became organisations named after both ("NPR's Philip Reeves"),
    apart from the same person named alone. A possessive before two or three capitalised
    proper nouns ending at the head names a person when the possessor is a news outlet or
    agency (the sources table's aliases or its media words), or when the tagger marks one of
    those nouns a person: "Morsi's Muslim Brotherhood", "Moody's Investors Service" and
    "London's Metropolitan Police" stay bodies.
    """
    if head.pos_ != "PROPN":
        return None
    owner = next((c for c in head.children if c.dep_ == "poss" and c.i < head.i), None)
    if owner is None:
        return None
    case = owner.right_edge
    if case.text not in ("'s", "’s", "'", "’") or case.idx < start:
        return None
    names = head.doc[case.i + 1 : head.i + 1]
    if not 2 <= len(names) <= 3 or names.end_char > end:
        return None
    if not all(t.pos_ == "PROPN" and t.text[:1].isupper() and t.text[1:].islower() for t in names):
        return None
    outlet = doc_text(head.doc)[owner.left_edge.idx : case.idx]
    canonical, kind = named_kind(outlet)
    if kind not in NEWS_KINDS and not any(t.ent_type_ == "PERSON" for t in names):
        return None
    owner_name = canonical or re.sub(r"^[Tt]he\s+", "", outlet)
    return names.start_char, names.end_char, owner_name


def _named_after_role(head: Token, start: int, end: int) -> tuple[int, int, str] | None:
    """Where the name is in "a role, First Last", and the role, if the mention is so.

    Why: "one of their lawyers, David Boies", "spokesman for Mr. Boehner, Michael Steel" and
    "one alleged victim of priest sex abuse, Michael Duran" named sources after the whole
    phrase, anonymous or organisations, apart from the person named alone elsewhere; where the
    parser hangs the name on the role as an apposition, the mention is the role alone and the
    source was that role. The name must be a person entity of two words or more right after a
    comma, ending the mention or set off as the role's apposition, and the role before the
    comma must hold a common noun and no list ("GOP conservatives including Ted Cruz of Texas,
    Kelly Ayotte" is a list, not a role). This mirrors "X, a doctor, said" (:func:`_description`).
    """
    doc = head.doc
    ent = next((e for e in doc_ents(doc) if e.end_char == end and e.start_char > start), None)
    if ent is None and head.pos_ in ("NOUN", "NUM"):  # "one of their lawyers, David Boies"
        named = next((c for c in head.children if c.dep_ == "appos" and c.i > head.i), None)
        ent = entity_at(named) if named is not None and same_para(named, head) else None
        end = ent.start_char if ent is not None else end
    if ent is None or ent.label_ != "PERSON" or len(ent) < 2 or ent.start == 0:
        return None
    comma = doc[ent.start - 1]
    if comma.text != "," or comma.idx <= start or comma.idx > end:
        return None
    before = doc.char_span(start, comma.idx, alignment_mode="expand")
    if before is None:
        return None
    role = doc[before.start : comma.i]
    if not any(t.pos_ == "NOUN" for t in role) or any(t.text in (",", "and") for t in role):
        return None
    return ent.start_char, ent.end_char, re.sub(r"^(?:the|a|an)\s+", "", role.text, flags=re.I)
