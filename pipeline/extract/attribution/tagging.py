"""Token features for the learned attribution taggers (:mod:`.crf`), from the cached parse.

Every feature comes from the spaCy parse the pipeline already caches (lemma, part of speech,
fine tag, dependency, head, entity type), the quotation marks (:mod:`.quotes`) and the
paragraph breaks: nothing is parsed again. A doc's attributes are read once into arrays
(:class:`TokenTable`, via ``Doc.to_array``), and the features of a token are strings looked
up in those arrays, so the cost per token is a few string joins, and only sentences the taggers
need are featurised.

Two feature sets:

- :func:`cue_features`: what the token is and what surrounds it (window of lemmas and tags,
  its dependency and its head's, what its subject is, whether it governs a clause, whether it
  stands inside a quotation, where it sits in the paragraph). The cue tagger reads a sentence.
- :func:`span_features`: the same token seen from one cue: side and distance, which branch of
  the cue's dependency tree it hangs from ("under:ccomp", "under:nsubj", "above:parataxis"),
  whether it shares the cue's sentence, clause or quotation. The content and source taggers
  read a window of sentences around the cue.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

import numpy
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IDX,
    LEMMA,
    LENGTH,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    TAG,
)
from spacy.tokens import Doc

from pipeline.extract.attribution.quotes import find_quotes
from pipeline.extract.doccache import doc_text
from pipeline.extract.tokens import para_ids

_ATTRS = [LOWER, LEMMA, POS, TAG, DEP, HEAD, ENT_TYPE, ENT_IOB, IDX, SENT_START, ORTH, LENGTH]
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_PRONOUNS = frozenset({"i", "we", "he", "she", "they", "it", "you", "who", "that", "which"})
#: Children whose presence says what a word governs (a clause, an object, an agent).
_GOVERNED = frozenset(
    {"ccomp", "xcomp", "dobj", "prep", "agent", "advcl", "parataxis", "mark", "neg", "aux"}
)
#: How far up the tree a path to the cue is followed (deeper tokens are "far").
_MAX_DEPTH = 12


#: Sentences around the cue that the content and source taggers read (within the paragraph):
#: on PolNeAR train, 96% of contents lie wholly inside one before and two after.
BEFORE, AFTER = 1, 2


@dataclass(frozen=True, slots=True)
class TokenTable:
    """A doc's token attributes as arrays (strings as tuples, positions as numpy).

    Attributes:
        lower: Lowercase forms.
        lemma: Lemmas, lowercase.
        pos: Coarse parts of speech.
        tag: Fine tags.
        dep: Dependency labels.
        ent: Entity type of each token ("" outside entities).
        shape: A short word shape ("Xx", "x", "d", "p" for punctuation, "q" for a quote mark).
        head: Index of each token's head.
        idx: Character offset of each token.
        ends: Character offset just after each token.
        sent: Sentence number of each token.
        sent_bounds: ``(start, end)`` token indices of each sentence.
        para: Paragraph number of each token.
        quoted: 1 inside a quotation, 2 on its marks, 0 outside.
        subject: Index of each token's nominal subject child, or -1.
        subject_kind: What that subject is: a pronoun, an entity type, a part of speech, "none".
        governs: Per token, the set of notable child dependencies, joined ("ccomp+dobj").
    """

    lower: tuple[str, ...]
    lemma: tuple[str, ...]
    pos: tuple[str, ...]
    tag: tuple[str, ...]
    dep: tuple[str, ...]
    ent: tuple[str, ...]
    shape: tuple[str, ...]
    head: numpy.ndarray
    idx: numpy.ndarray
    ends: numpy.ndarray
    sent: numpy.ndarray
    sent_bounds: tuple[tuple[int, int], ...]
    para: numpy.ndarray
    quoted: numpy.ndarray
    subject: numpy.ndarray
    subject_kind: tuple[str, ...]
    governs: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.lower)


def _shape(word: str) -> str:
    if not word:
        return ""
    if word in "“”\"'‘’«»``''":
        return "q"
    if word[0].isupper():
        return "X" if word.isupper() and len(word) > 1 else "Xx"
    if word[0].isdigit():
        return "d"
    if word[0].isalpha():
        return "x"
    return "p"


@lru_cache(maxsize=4)
def token_table(doc: Doc) -> TokenTable:
    """The arrays of ``doc`` (memoised for the few docs in flight)."""
    n = len(doc)
    strings = doc.vocab.strings
    arr = doc.to_array(_ATTRS) if n else numpy.zeros((0, len(_ATTRS)), numpy.uint64)
    ints = arr.astype(numpy.int64)  # HEAD is a signed offset stored in the uint64 array

    def words(column: int, mapped: Callable[[str], str] | None = None) -> tuple[str, ...]:
        # each distinct string looked up (and ``mapped``) once, then gathered in C (itemgetter
        # over indices): lowering the lemmas and shaping the words per token was a fifth of this
        keys, inverse = numpy.unique(arr[:, column], return_inverse=True)
        names = [strings[key] if key else "" for key in keys.tolist()]
        if mapped is not None:
            names = [mapped(name) for name in names]
        if n < 2:
            return tuple(names[i] for i in inverse.tolist())
        return itemgetter(*inverse.tolist())(names)

    lower = words(0)
    lemma = words(1, str.lower)
    dep = words(4)
    head = numpy.arange(n, dtype=numpy.int64) + ints[:, 5]
    idx = ints[:, 8]
    ends = idx + ints[:, 11]
    sent_start = ints[:, 9] == 1
    if n:
        sent_start[0] = True
    sent = numpy.cumsum(sent_start) - 1
    starts = numpy.flatnonzero(sent_start).tolist()
    bounds = tuple(zip(starts, [*starts[1:], n], strict=True))
    quoted = numpy.zeros(n, dtype=numpy.int64)
    for quote in find_quotes(doc_text(doc), min_chars=2):
        inside = numpy.searchsorted(idx, [quote.start, quote.end])
        quoted[inside[0] : inside[1]] = 1
        marks = numpy.searchsorted(idx, [quote.open, quote.end], side="left")
        for m in marks.tolist():
            if m < n:
                quoted[m] = 2
    subjects = [-1] * n
    governed: dict[int, set[str]] = {}  # only heads with a notable child: most tokens have none
    for i, (label, h) in enumerate(zip(dep, head.tolist(), strict=True)):
        if h == i:
            continue
        if label in _SUBJECTS and (subjects[h] < 0 or abs(i - h) < abs(subjects[h] - h)):
            subjects[h] = i
        if label in _GOVERNED:
            governed.setdefault(h, set()).add(label)
    pos = words(2)
    ent = words(6)
    subject_kind = tuple(
        "none" if s < 0 else lower[s] if lower[s] in _PRONOUNS else ent[s] or pos[s]
        for s in subjects
    )
    governs = [""] * n
    for h, labels in governed.items():
        governs[h] = "+".join(sorted(labels))
    return TokenTable(
        lower=lower,
        lemma=lemma,
        pos=pos,
        tag=words(3),
        dep=dep,
        ent=ent,
        shape=words(10, _shape),  # ORTH: not Token.text, a Token per word cost more
        head=head,
        idx=idx,
        ends=ends,
        sent=sent,
        sent_bounds=bounds,
        para=numpy.asarray(para_ids(doc), dtype=numpy.int64),
        quoted=quoted,
        subject=numpy.asarray(subjects, dtype=numpy.int64),
        subject_kind=subject_kind,
        governs=tuple(governs),
    )


#: WordNet 3.0's lexicographer classes of single-word verbs, by first sense:
#: :mod:`pipeline.learn.wordnet_classes` writes the table.
WORDNET_PATH = Path(__file__).parent / "data" / "wordnet_classes.json"


@lru_cache(maxsize=1)
def wordnet_verb_classes() -> dict[str, tuple[str, ...]]:
    """``{lemma: classes}`` of single-word verbs, each lemma's classes first sense first."""
    data = json.loads(WORDNET_PATH.read_text("utf-8"))
    return {k: tuple(v.split()) for k, v in data["verb"].items()}


@lru_cache(maxsize=65536)
def wordnet_features(lemma: str, pos: str, prefix: str) -> tuple[str, ...]:
    """The features of a verb's WordNet classes: each class, and the first sense's apart.

    Only verbs have classes here (nouns scored the same for twice the table, see the package
    docstring); any other part of speech has no feature, a verb WordNet lacks has ``v=none``.
    """
    if pos != "VERB":
        return ()
    found = wordnet_verb_classes().get(lemma)
    if not found:
        return (prefix + "v=none",)
    return (prefix + "1v=" + found[0], *(prefix + "v=" + c for c in found))


def cue_features(table: TokenTable, start: int, end: int) -> list[tuple[str, ...]]:
    """Features of the tokens ``start:end`` (a sentence) for the cue tagger.

    Built column by column over the sentence (one comprehension per feature, then one zip):
    a third of the time of a loop per token, and the cue tagger reads most sentences. A window
    position past the sentence's edge reads "#".
    """
    lemma = table.lemma[start:end]
    tag = table.tag[start:end]
    dep = table.dep[start:end]
    governs = table.governs[start:end]
    subjects = table.subject_kind[start:end]
    heads = table.head[start:end].tolist()
    head_lemma = [table.lemma[h] for h in heads]
    head_dep = [table.dep[h] for h in heads]
    padded = ("#", "#", *lemma, "#", "#")
    padded_pos = ("#", "#", *table.pos[start:end], "#", "#")
    n = end - start
    cols = [
        ["b"] * n,
        ["l=" + x for x in lemma],
        ["w=" + x for x in table.lower[start:end]],
        ["t=" + x for x in tag],
        ["d=" + x for x in dep],
        ["lt=" + x + "|" + y for x, y in zip(lemma, tag, strict=True)],
        ["ld=" + x + "|" + y for x, y in zip(lemma, dep, strict=True)],
        ["hl=" + x for x in head_lemma],
        ["hd=" + x + "|" + y for x, y in zip(head_dep, dep, strict=True)],
        ["s=" + x for x in table.shape[start:end]],
        ["q=" + _QUOTED[x] for x in table.quoted[start:end].tolist()],
        ["e=" + x for x in table.ent[start:end]],
        ["g=" + x for x in governs],
        ["lg=" + x + "|" + y for x, y in zip(lemma, governs, strict=True)],
        ["sj=" + x for x in subjects],
        ["lsj=" + x + "|" + y for x, y in zip(lemma, subjects, strict=True)],
        [
            "side=L" if h > i else "side=R" if h < i else "side=root"
            for i, h in enumerate(heads, start)
        ],
        ["l-2=" + x for x in padded[0:n]],
        ["l-1=" + x for x in padded[1 : n + 1]],
        ["l1=" + x for x in padded[3 : n + 3]],
        ["l2=" + x for x in padded[4 : n + 4]],
        ["p-2=" + x for x in padded_pos[0:n]],
        ["p-1=" + x for x in padded_pos[1 : n + 1]],
        ["p1=" + x for x in padded_pos[3 : n + 3]],
        ["p2=" + x for x in padded_pos[4 : n + 4]],
        ["bi=" + x + "_" + y for x, y in zip(lemma, padded[3 : n + 3], strict=True)],
    ]
    if int(table.para[start]) == 0:
        cols.append(["para0"] * n)
    out = list(zip(*cols, strict=True))
    # WordNet classes of the word and of its head: a reporting word never seen heading a
    # cue in training ("lashed out", "sued") still looks like one
    pos = table.pos[start:end]
    out = [
        row + wordnet_features(x, p, "wn") + wordnet_features(hl, table.pos[h], "hwn")
        for row, x, p, hl, h in zip(out, lemma, pos, head_lemma, heads, strict=True)
    ]
    if out:
        out[0] = (*out[0], "first")
    return out


_QUOTED = ("0", "1", "2")


def _bucket(n: int) -> str:
    n = abs(n)
    return str(n if n < 4 else 4 if n < 8 else 8 if n < 16 else 16 if n < 32 else 32)


def _branches(table: TokenTable, cue: int, start: int, end: int) -> list[str]:
    """Per token of ``start:end``, where it hangs relative to ``cue`` in the parse.

    "under:DEP" when the cue is an ancestor and DEP the label of the cue's child on the path;
    "above:DEP" when the token is an ancestor of the cue, DEP the label of its child on the way
    down; "cue" for the cue; "apart" otherwise (another branch of the sentence or another
    sentence).
    """
    head = table.head
    dep = table.dep
    above: dict[int, str] = {}
    node, below = cue, "cue"
    for _ in range(_MAX_DEPTH):
        above[node] = below
        parent = int(head[node])
        if parent == node:
            break
        below, node = dep[node], parent
    out = []
    for i in range(start, end):
        if i == cue:
            out.append("cue")
            continue
        if i in above:
            out.append("above:" + above[i])
            continue
        node, found = i, ""
        for _ in range(_MAX_DEPTH):
            parent = int(head[node])
            if parent == node:
                break
            if parent == cue:
                found = "under:" + dep[node]
                break
            node = parent
        out.append(found or "apart")
    return out


def span_features(
    table: TokenTable,
    cue: tuple[int, int],
    start: int,
    end: int,
) -> list[list[str]]:
    """Features of the tokens ``start:end`` seen from the cue occupying tokens ``cue``.

    Args:
        table: The doc's :class:`TokenTable`.
        cue: Token indices ``(first, last + 1)`` of the cue.
        start: First token of the window.
        end: End of the window.
    """
    c_first, c_end = cue
    anchor = c_first
    for i in range(c_first, c_end):  # the cue's syntactic head: the token whose head is outside
        h = int(table.head[i])
        if not (c_first <= h < c_end) or h == i:
            anchor = i
            break
    branches = _branches(table, anchor, start, end)
    cue_sent = int(table.sent[anchor])
    cue_quote = str(int(table.quoted[anchor]))
    cue_lemma = table.lemma[anchor]
    cue_para = int(table.para[anchor])
    # column by column over the window (as :func:`cue_features`): the rules' claims are
    # tagged too (:func:`~.crf.doubted_contents`), so this runs for most cues
    n = end - start
    sides = ["L"] * max(0, min(c_first, end) - start)
    sides += ["C"] * max(0, min(c_end, end) - max(c_first, start))
    sides += ["R"] * (n - len(sides))
    dists = [
        side + _bucket(c_first - i if side == "L" else i - c_end + 1 if side == "R" else 0)
        for side, i in zip(sides, range(start, end), strict=True)
    ]
    quoted = [str(q) for q in table.quoted[start:end].tolist()]
    tag = table.tag[start:end]
    lower = table.lower[start:end]
    cols = [
        ["b"] * n,
        ["side=" + x for x in sides],
        ["dist=" + x for x in dists],
        ["br=" + x for x in branches],
        ["brs=" + x + "|" + y for x, y in zip(branches, sides, strict=True)],
        ["brl=" + x + "|" + cue_lemma for x in branches],
        [_SENT_OFFSET[max(-2, min(2, x - cue_sent))] for x in table.sent[start:end].tolist()],
        ["para=True" if x == cue_para else "para=False" for x in table.para[start:end].tolist()],
        ["q=" + x + "|" + cue_quote for x in quoted],
        ["qs=" + x + "|" + y for x, y in zip(quoted, sides, strict=True)],
        ["t=" + x for x in tag],
        ["d=" + x for x in table.dep[start:end]],
        ["s=" + x for x in table.shape[start:end]],
        ["e=" + x for x in table.ent[start:end]],
        ["cl=" + cue_lemma] * n,
        ["cls=" + cue_lemma + "|" + x for x in sides],
    ]
    out = [list(row) for row in zip(*cols, strict=True)]
    pos, lemma = table.pos[start:end], table.lemma[start:end]
    for k, feats in enumerate(out):
        if tag[k] in _PUNCT_TAGS:
            feats.append("w=" + lower[k])
            feats.append("ws=" + lower[k] + "|" + sides[k])
        elif pos[k] in _FUNCTION_POS:
            feats.append("w=" + lower[k])
        else:
            feats.append("l=" + lemma[k])
        if k > 0:
            feats.append("t-1=" + tag[k - 1])
            feats.append("br-1=" + branches[k - 1])
        if k + 1 < n:
            feats.append("t1=" + tag[k + 1])
            feats.append("br1=" + branches[k + 1])
    return out


_SENT_OFFSET = {d: f"sent={d}" for d in range(-2, 3)}
_PUNCT_TAGS = frozenset({".", ",", ":", "``", "''", "-LRB-", "-RRB-", "HYPH", "NFP"})
_FUNCTION_POS = frozenset({"PRON", "ADP", "SCONJ", "DET", "CCONJ", "AUX", "PART"})


def sentence_window(
    table: TokenTable, cue: tuple[int, int], *, before: int, after: int
) -> tuple[int, int]:
    """Token range of the cue's sentence and ``before``/``after`` sentences around it.

    Only sentences in the cue's paragraph count (a content never crosses a paragraph break
    outside quotations, which the rules pair).
    """
    s = int(table.sent[cue[0]])
    bounds = table.sent_bounds
    para = table.para
    cue_para = int(para[cue[0]])
    first = s
    while first > 0 and s - first < before and int(para[bounds[first - 1][0]]) == cue_para:
        first -= 1
    last = int(table.sent[cue[1] - 1])
    while last + 1 < len(bounds) and last - s < after:
        if int(para[bounds[last + 1][0]]) != cue_para:
            break
        last += 1
    return bounds[first][0], bounds[last][1]


def token_range(table: TokenTable, start: int, end: int) -> tuple[int, int] | None:
    """Token indices ``(first, last + 1)`` of the tokens overlapping characters ``start:end``."""
    first = int(numpy.searchsorted(table.ends, start, side="right"))
    last = int(numpy.searchsorted(table.idx, end, side="left"))
    return (first, last) if first < last else None


def spans_of(labels: Sequence[str]) -> list[tuple[int, int]]:
    """The ``(first, end)`` runs of a BIO sequence (I without a B opens a run)."""
    runs: list[tuple[int, int]] = []
    begin = -1
    for i, label in enumerate(labels):
        if label == "B" or (label == "I" and begin < 0):
            if begin >= 0:
                runs.append((begin, i))
            begin = i
        elif label == "O" and begin >= 0:
            runs.append((begin, i))
            begin = -1
    if begin >= 0:
        runs.append((begin, len(labels)))
    return runs


def cue_anchor(table: TokenTable, first: int, end: int) -> int:
    """The syntactic head of tokens ``first:end``: the first whose head lies outside."""
    for i in range(first, end):
        head = int(table.head[i])
        if head == i or not first <= head < end:
            return i
    return first
